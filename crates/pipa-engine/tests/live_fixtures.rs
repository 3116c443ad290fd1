//! Liveness and permissions of sensitive-API sites, end to end: tiny apps
//! written here as smali and a manifest, assembled with Debian's `smali`,
//! linked with `aapt` and assessed the way the CLI does. Each scenario has
//! a twin that differs in one respect (a caller, a permission), so every
//! assertion can fail:
//!
//! - `dead`: `Recorder.record` starts an `AudioRecord` but nothing calls
//!   it and RECORD_AUDIO is not declared: no `api.recording` risk, the site
//!   is listed by `api.inert.unreachable`; `called`: the activity calls it
//!   and RECORD_AUDIO is declared: `api.recording` is a risk.
//! - `noperm`: the activity calls `LocationManager.getLastKnownLocation`
//!   without a location permission: no `api.pi.location`, the site is listed
//!   by `api.inert.permission_missing`; `perm`: ACCESS_FINE_LOCATION
//!   declared: `api.pi.location` is a risk.
//! - `receiver`: a receiver registered at run time (only `new-instance` in
//!   the activity leads to it) reads the IMEI in `onReceive`: live, a risk;
//!   its dead twin class in the same app is unreachable.
//!
//! Skipped with a notice when `smali`, `aapt` or the framework resources
//! are missing (`scripts/test.sh` installs them).

mod common;

use pipa_kb::Kb;
use pipa_testkit::{SmaliApk, build_smali_apk, smali_tools_present};
use serde_json::Value;
use std::path::Path;

const ACTIVITY_HEAD: &str = r#".class public Lfixture/NAME/Main;
.super Landroid/app/Activity;

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

.method public onCreate(Landroid/os/Bundle;)V
    .registers 5
    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V
"#;

const RECORDER: &str = r#".class public Lfixture/NAME/Recorder;
.super Ljava/lang/Object;

.method public static record(Landroid/media/AudioRecord;)V
    .registers 1
    invoke-virtual {p0}, Landroid/media/AudioRecord;->startRecording()V
    return-void
.end method
"#;

const CALL_RECORDER: &str = r#"    const/4 v0, 0x0
    invoke-static {v0}, Lfixture/NAME/Recorder;->record(Landroid/media/AudioRecord;)V
"#;

const LOCATE: &str = r#"    const-string v0, "location"
    invoke-virtual {p0, v0}, Lfixture/NAME/Main;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    check-cast v0, Landroid/location/LocationManager;
    const-string v1, "gps"
    invoke-virtual {v0, v1}, Landroid/location/LocationManager;->getLastKnownLocation(Ljava/lang/String;)Landroid/location/Location;
"#;

const REGISTER: &str = r#"    new-instance v0, Lfixture/NAME/Rcv;
    invoke-direct {v0}, Lfixture/NAME/Rcv;-><init>()V
    new-instance v1, Landroid/content/IntentFilter;
    const-string v2, "x.y.PING"
    invoke-direct {v1, v2}, Landroid/content/IntentFilter;-><init>(Ljava/lang/String;)V
    invoke-virtual {p0, v0, v1}, Lfixture/NAME/Main;->registerReceiver(Landroid/content/BroadcastReceiver;Landroid/content/IntentFilter;)Landroid/content/Intent;
"#;

/// A receiver class `CLASS` whose `onReceive` reads the IMEI.
const RECEIVER: &str = r#".class public Lfixture/NAME/CLASS;
.super Landroid/content/BroadcastReceiver;

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/content/BroadcastReceiver;-><init>()V
    return-void
.end method

.method public onReceive(Landroid/content/Context;Landroid/content/Intent;)V
    .registers 4
    const-string v0, "phone"
    invoke-virtual {p1, v0}, Landroid/content/Context;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    check-cast v0, Landroid/telephony/TelephonyManager;
    invoke-virtual {v0}, Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;
    return-void
.end method
"#;

/// Writes, builds and assesses fixture `name`: the activity's `onCreate`
/// runs `body`; `classes` are (file name, smali); `perms` are declared.
fn scan(name: &str, body: &str, classes: &[(&str, &str)], perms: &[&str]) -> Value {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("live_fixtures")
        .join(name);
    let src = root.join("src");
    let _ = std::fs::remove_dir_all(&src);
    let pkg = src.join("smali/fixture").join(name);
    std::fs::create_dir_all(&pkg).expect("mkdir");
    let activity = format!("{ACTIVITY_HEAD}{body}    return-void\n.end method\n");
    std::fs::write(pkg.join("Main.smali"), activity.replace("NAME", name)).expect("write");
    for (file, text) in classes {
        std::fs::write(
            pkg.join(format!("{file}.smali")),
            text.replace("NAME", name),
        )
        .expect("write");
    }
    let uses: String = perms
        .iter()
        .map(|p| format!("  <uses-permission android:name=\"android.permission.{p}\"/>\n"))
        .collect();
    let manifest = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android"
    package="fixture.{name}" android:versionCode="1" android:versionName="1.0">
  <uses-sdk android:minSdkVersion="21" android:targetSdkVersion="33"/>
{uses}  <application android:label="{name}">
    <activity android:name=".Main" android:exported="true">
      <intent-filter>
        <action android:name="android.intent.action.MAIN"/>
        <category android:name="android.intent.category.LAUNCHER"/>
      </intent-filter>
    </activity>
  </application>
</manifest>
"#
    );
    std::fs::write(src.join("AndroidManifest.xml"), manifest).expect("write manifest");
    let SmaliApk { apk, .. } = build_smali_apk(&src, &root.join("out"));
    let a = common::assess_fixture(&apk, &format!("fixture.{name}"), Kb::embedded(), None, None);
    serde_json::to_value(&a).expect("assessment to JSON")
}

fn finding<'a>(a: &'a Value, id: &str) -> Option<&'a Value> {
    a["findings"]
        .as_array()
        .and_then(|v| v.iter().find(|f| f["id"] == id))
}

fn verdict(a: &Value, id: &str) -> Option<String> {
    finding(a, id).and_then(|f| f["verdict"].as_str().map(String::from))
}

/// The `api_uses` entry of `api_id` called from a method of class `class`
/// (simple name): its `reach` and `permission`.
fn state(a: &Value, api_id: &str, class: &str) -> (String, String) {
    let u = a["api_uses"]
        .as_array()
        .and_then(|v| {
            v.iter().find(|u| {
                u["api_id"] == api_id
                    && u["caller"]
                        .as_str()
                        .is_some_and(|c| c.contains(&format!("/{class};->")))
            })
        })
        .unwrap_or_else(|| panic!("no api_use {api_id} in {class}: {}", a["api_uses"]));
    (
        u["reach"].as_str().unwrap_or_default().to_string(),
        u["permission"].as_str().unwrap_or_default().to_string(),
    )
}

/// Whether finding `id` has code evidence whose caller is in class `class`.
fn lists(a: &Value, id: &str, class: &str) -> bool {
    finding(a, id)
        .and_then(|f| f["evidence"].as_array())
        .is_some_and(|ev| {
            ev.iter().any(|e| {
                e["kind"] == "code"
                    && e["caller"]
                        .as_str()
                        .is_some_and(|c| c.contains(&format!("/{class};->")))
            })
        })
}

fn s(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
}

#[test]
fn unreachable_recording_is_information_and_called_recording_a_risk() {
    if !smali_tools_present("live_fixtures") {
        return;
    }
    let dead = scan("dead", "", &[("Recorder", RECORDER)], &[]);
    assert_eq!(
        state(&dead, "audio_record.start_recording", "Recorder"),
        s("unreachable", "missing")
    );
    assert_eq!(
        verdict(&dead, "api.recording"),
        None,
        "no recording finding"
    );
    assert_eq!(
        verdict(&dead, "api.inert.unreachable").as_deref(),
        Some("pass")
    );
    assert!(lists(&dead, "api.inert.unreachable", "Recorder"));
    assert_eq!(dead["reachability"]["liveness"]["computed"], true);
    // 191-3.1 keeps its verdict without a risk: the inert finding is not a check.
    let item = dead["items"]
        .as_array()
        .and_then(|v| v.iter().find(|i| i["id"] == "191-3.1"))
        .expect("191-3.1");
    assert_ne!(item["verdict"], "risk");
    assert_ne!(item["verdict"], "pass");

    let called = scan(
        "called",
        CALL_RECORDER,
        &[("Recorder", RECORDER)],
        &["RECORD_AUDIO"],
    );
    assert_eq!(
        state(&called, "audio_record.start_recording", "Recorder"),
        s("live", "declared")
    );
    assert_eq!(verdict(&called, "api.recording").as_deref(), Some("risk"));
    assert!(lists(&called, "api.recording", "Recorder"));
    assert_eq!(verdict(&called, "api.inert.unreachable"), None);
}

#[test]
fn location_without_permission_cannot_succeed() {
    if !smali_tools_present("live_fixtures") {
        return;
    }
    let noperm = scan("noperm", LOCATE, &[], &[]);
    let id = "location_manager.get_last_known_location";
    assert_eq!(state(&noperm, id, "Main"), s("live", "missing"));
    assert_eq!(verdict(&noperm, "api.pi.location"), None);
    assert_eq!(
        verdict(&noperm, "api.inert.permission_missing").as_deref(),
        Some("pass")
    );
    assert!(lists(&noperm, "api.inert.permission_missing", "Main"));

    let perm = scan("perm", LOCATE, &[], &["ACCESS_FINE_LOCATION"]);
    assert_eq!(state(&perm, id, "Main"), s("live", "declared"));
    assert_eq!(verdict(&perm, "api.pi.location").as_deref(), Some("risk"));
    assert!(lists(&perm, "api.pi.location", "Main"));
    assert_eq!(verdict(&perm, "api.inert.permission_missing"), None);
}

#[test]
fn receiver_created_by_live_code_is_live() {
    if !smali_tools_present("live_fixtures") {
        return;
    }
    let a = scan(
        "receiver",
        REGISTER,
        &[
            ("Rcv", &RECEIVER.replace("CLASS", "Rcv")),
            ("DeadRcv", &RECEIVER.replace("CLASS", "DeadRcv")),
        ],
        &["READ_PHONE_STATE"],
    );
    let id = "telephony.get_device_id";
    assert_eq!(state(&a, id, "Rcv"), s("live", "declared"));
    assert_eq!(state(&a, id, "DeadRcv"), s("unreachable", "declared"));
    assert_eq!(verdict(&a, "api.pi.device_id").as_deref(), Some("risk"));
    assert!(lists(&a, "api.pi.device_id", "Rcv"));
    assert!(!lists(&a, "api.pi.device_id", "DeadRcv"));
    assert!(lists(&a, "api.inert.unreachable", "DeadRcv"));
}
