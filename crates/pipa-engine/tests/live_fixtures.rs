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
//! - What a call does (`effect`, `kb/apis.yaml`): an SMS sent is no SMS
//!   read; a storage path is no media read; `queryIntentActivities` for one
//!   intent (built here or by the caller of a helper) is a lookup, for
//!   MAIN/LAUNCHER an enumeration; `getRunningAppProcesses` beside
//!   `Process.myPid`, or from minSdk 22, is the app's own data;
//!   `getPackageInfo` of the app itself or of one publisher's apps is a
//!   lookup, of three publishers' apps a probe of the app list; an intent
//!   limited to one package or component (`setPackage`, an explicit
//!   class; in the method or in every caller of a static helper) is a
//!   lookup even for MAIN/LAUNCHER, unless the limit is null or on one
//!   branch only.
//! - The system speech recogniser (`RECOGNIZE_SPEECH`) is audio PI of
//!   medium severity, not `api.recording`; `MediaRecorder` recording is.
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
    scan_at(name, body, classes, perms, 21)
}

/// [`scan`] with `minSdkVersion` `min_sdk`.
fn scan_at(
    name: &str,
    body: &str,
    classes: &[(&str, &str)],
    perms: &[&str],
    min_sdk: u32,
) -> Value {
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
  <uses-sdk android:minSdkVersion="{min_sdk}" android:targetSdkVersion="33"/>
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

/// The `api_uses` entry of `api_id` whose caller contains `needle`.
fn api_use<'a>(a: &'a Value, api_id: &str, needle: &str) -> &'a Value {
    a["api_uses"]
        .as_array()
        .and_then(|v| {
            v.iter().find(|u| {
                u["api_id"] == api_id && u["caller"].as_str().is_some_and(|c| c.contains(needle))
            })
        })
        .unwrap_or_else(|| panic!("no api_use {api_id} in {needle}: {}", a["api_uses"]))
}

/// The `api_uses` entry of `api_id` called from a method of class `class`
/// (simple name): its `reach` and `permission`.
fn state(a: &Value, api_id: &str, class: &str) -> (String, String) {
    let u = api_use(a, api_id, &format!("/{class};->"));
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

/// A class `Work` whose static `run(Context)` runs `body` (registers v0–v5,
/// `p0` the context); the activity calls it.
fn work(body: &str) -> String {
    format!(
        ".class public Lfixture/NAME/Work;\n.super Ljava/lang/Object;\n\n{HAS}\n.method public static run(Landroid/content/Context;)V\n    .registers 7\n{body}    return-void\n.end method\n"
    )
}

const CALL_WORK: &str =
    "    invoke-static {p0}, Lfixture/NAME/Work;->run(Landroid/content/Context;)V\n";

/// `Work.has(Context, Intent)`: whether anything handles the intent.
const HAS: &str = r#".method public static has(Landroid/content/Context;Landroid/content/Intent;)Z
    .registers 4
    invoke-virtual {p0}, Landroid/content/Context;->getPackageManager()Landroid/content/pm/PackageManager;
    move-result-object v0
    const/4 v1, 0x0
    invoke-virtual {v0, p1, v1}, Landroid/content/pm/PackageManager;->queryIntentActivities(Landroid/content/Intent;I)Ljava/util/List;
    move-result-object v0
    invoke-interface {v0}, Ljava/util/List;->isEmpty()Z
    move-result v0
    return v0
.end method
"#;

const SEND_SMS: &str = r#"    invoke-static {}, Landroid/telephony/SmsManager;->getDefault()Landroid/telephony/SmsManager;
    move-result-object v0
    const-string v1, "10086"
    const/4 v2, 0x0
    const-string v3, "hello"
    const/4 v4, 0x0
    const/4 v5, 0x0
    invoke-virtual/range {v0 .. v5}, Landroid/telephony/SmsManager;->sendTextMessage(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;Landroid/app/PendingIntent;Landroid/app/PendingIntent;)V
"#;

const READ_SMS: &str = r#"    const-string v0, "content://sms/inbox"
    invoke-static {v0}, Landroid/net/Uri;->parse(Ljava/lang/String;)Landroid/net/Uri;
"#;

/// An intent for `ACTION` with `CATEGORY` (empty: none) in v0.
fn intent(action: &str, category: &str) -> String {
    let mut s = format!(
        "    new-instance v0, Landroid/content/Intent;\n    const-string v1, \"{action}\"\n    invoke-direct {{v0, v1}}, Landroid/content/Intent;-><init>(Ljava/lang/String;)V\n"
    );
    if !category.is_empty() {
        s.push_str(&format!(
            "    const-string v1, \"{category}\"\n    invoke-virtual {{v0, v1}}, Landroid/content/Intent;->addCategory(Ljava/lang/String;)Landroid/content/Intent;\n"
        ));
    }
    s
}

const QUERY_V0: &str = r#"    invoke-virtual {p0}, Landroid/content/Context;->getPackageManager()Landroid/content/pm/PackageManager;
    move-result-object v1
    const/4 v2, 0x0
    invoke-virtual {v1, v0, v2}, Landroid/content/pm/PackageManager;->queryIntentActivities(Landroid/content/Intent;I)Ljava/util/List;
"#;

const HAS_V0: &str = "    invoke-static {p0, v0}, Lfixture/NAME/Work;->has(Landroid/content/Context;Landroid/content/Intent;)Z\n";

const PROCESSES: &str = r#"    const-string v0, "activity"
    invoke-virtual {p0, v0}, Landroid/content/Context;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    check-cast v0, Landroid/app/ActivityManager;
    invoke-virtual {v0}, Landroid/app/ActivityManager;->getRunningAppProcesses()Ljava/util/List;
"#;

const MY_PID: &str = "    invoke-static {}, Landroid/os/Process;->myPid()I\n    move-result v1\n";

const STORAGE_ROOT: &str =
    "    invoke-static {}, Landroid/os/Environment;->getExternalStorageDirectory()Ljava/io/File;\n";

const PHOTOS_URI: &str = "    sget-object v0, Landroid/provider/MediaStore$Images$Media;->EXTERNAL_CONTENT_URI:Landroid/net/Uri;\n";

/// `getPackageInfo` of the app itself.
const OWN_PACKAGE: &str = r#"    invoke-virtual {p0}, Landroid/content/Context;->getPackageManager()Landroid/content/pm/PackageManager;
    move-result-object v0
    invoke-virtual {p0}, Landroid/content/Context;->getPackageName()Ljava/lang/String;
    move-result-object v1
    const/4 v2, 0x0
    invoke-virtual {v0, v1, v2}, Landroid/content/pm/PackageManager;->getPackageInfo(Ljava/lang/String;I)Landroid/content/pm/PackageInfo;
"#;

/// `getPackageInfo` of each package of `pkgs`.
fn probe(pkgs: &[&str]) -> String {
    let mut s = String::from(
        "    invoke-virtual {p0}, Landroid/content/Context;->getPackageManager()Landroid/content/pm/PackageManager;\n    move-result-object v0\n    const/4 v2, 0x0\n",
    );
    for p in pkgs {
        s.push_str(&format!(
            "    const-string v1, \"{p}\"\n    invoke-virtual {{v0, v1, v2}}, Landroid/content/pm/PackageManager;->getPackageInfo(Ljava/lang/String;I)Landroid/content/pm/PackageInfo;\n"
        ));
    }
    s
}

/// The `effect` of the `api_uses` entry of `api_id` called from method
/// `method` of class `Work`.
fn effect(a: &Value, api_id: &str, method: &str) -> String {
    api_use(a, api_id, &format!("/Work;->{method}("))["effect"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Fixture `name` whose activity calls `Work.run` running `body`.
fn scan_work(name: &str, body: &str, perms: &[&str], min_sdk: u32) -> Value {
    scan_at(name, CALL_WORK, &[("Work", &work(body))], perms, min_sdk)
}

#[test]
fn sending_an_sms_is_not_reading_sms() {
    if !smali_tools_present("live_fixtures") {
        return;
    }
    let send = scan_work("smssend", SEND_SMS, &["SEND_SMS"], 21);
    assert_eq!(
        effect(&send, "sms_manager.send_text_message", "run"),
        "sends"
    );
    assert_eq!(
        verdict(&send, "api.pi.sms"),
        None,
        "a send is no collection"
    );
    assert_eq!(
        verdict(&send, "api.inert.not_collection").as_deref(),
        Some("pass")
    );
    assert!(lists(&send, "api.inert.not_collection", "Work"));

    let read = scan_work("smsread", READ_SMS, &["READ_SMS"], 21);
    assert_eq!(effect(&read, "string.sms_inbox", "run"), "collects");
    assert_eq!(verdict(&read, "api.pi.sms").as_deref(), Some("risk"));
    assert_eq!(verdict(&read, "api.inert.not_collection"), None);
}

#[test]
fn one_intent_is_a_lookup_and_the_launcher_query_an_enumeration() {
    if !smali_tools_present("live_fixtures") {
        return;
    }
    let id = "package_manager.query_intent_activities";
    let view = format!("{}{QUERY_V0}", intent("android.intent.action.VIEW", ""));
    let one = scan_work("oneintent", &view, &[], 21);
    assert_eq!(effect(&one, id, "run"), "looks_up");
    assert_eq!(verdict(&one, "api.app_list"), None);
    assert!(lists(&one, "api.inert.not_collection", "Work"));

    let launcher = format!(
        "{}{QUERY_V0}",
        intent(
            "android.intent.action.MAIN",
            "android.intent.category.LAUNCHER"
        )
    );
    let all = scan_work("launcher", &launcher, &[], 21);
    assert_eq!(effect(&all, id, "run"), "collects");
    assert_eq!(verdict(&all, "api.app_list").as_deref(), Some("risk"));
    assert!(lists(&all, "api.app_list", "Work"));

    // The intent comes from the caller of a helper: the caller decides.
    let settings = format!(
        "{}{HAS_V0}",
        intent("android.settings.APPLICATION_DETAILS_SETTINGS", "")
    );
    let helper = scan_work("helperone", &settings, &[], 21);
    assert_eq!(effect(&helper, id, "has"), "looks_up");
    assert_eq!(verdict(&helper, "api.app_list"), None);

    let home = format!(
        "{}{HAS_V0}",
        intent("android.intent.action.MAIN", "android.intent.category.HOME")
    );
    let helper_all = scan_work("helperall", &home, &[], 21);
    assert_eq!(effect(&helper_all, id, "has"), "collects");
    assert_eq!(
        verdict(&helper_all, "api.app_list").as_deref(),
        Some("risk")
    );
}

/// `setPackage(getPackageName())` on the intent in v0.
const OWN_PACKAGE_V0: &str = r#"    invoke-virtual {p0}, Landroid/content/Context;->getPackageName()Ljava/lang/String;
    move-result-object v1
    invoke-virtual {v0, v1}, Landroid/content/Intent;->setPackage(Ljava/lang/String;)Landroid/content/Intent;
"#;

/// `queryIntentServices` of the intent in v0.
const SERVICES_V0: &str = r#"    invoke-virtual {p0}, Landroid/content/Context;->getPackageManager()Landroid/content/pm/PackageManager;
    move-result-object v1
    const/4 v2, 0x0
    invoke-virtual {v1, v0, v2}, Landroid/content/pm/PackageManager;->queryIntentServices(Landroid/content/Intent;I)Ljava/util/List;
"#;

#[test]
fn an_intent_limited_to_one_package_or_component_is_a_lookup() {
    if !smali_tools_present("live_fixtures") {
        return;
    }
    let acts = "package_manager.query_intent_activities";
    let svcs = "package_manager.query_intent_services";
    let launcher = intent(
        "android.intent.action.MAIN",
        "android.intent.category.LAUNCHER",
    );
    // The launcher activities of the app itself: one package.
    let own = scan_work(
        "ownlauncher",
        &format!("{launcher}{OWN_PACKAGE_V0}{QUERY_V0}"),
        &[],
        21,
    );
    assert_eq!(effect(&own, acts, "run"), "looks_up");
    assert_eq!(verdict(&own, "api.app_list"), None);
    assert!(lists(&own, "api.inert.not_collection", "Work"));
    // Twin: setPackage(null) limits nothing: every launcher app.
    let null = format!(
        "{launcher}    const/4 v1, 0x0\n    invoke-virtual {{v0, v1}}, Landroid/content/Intent;->setPackage(Ljava/lang/String;)Landroid/content/Intent;\n{QUERY_V0}"
    );
    let all = scan_work("nullpackage", &null, &[], 21);
    assert_eq!(effect(&all, acts, "run"), "collects");
    assert_eq!(verdict(&all, "api.app_list").as_deref(), Some("risk"));
    // Twin: the package set, then cleared.
    let cleared = scan_work(
        "clearedpackage",
        &format!(
            "{launcher}{OWN_PACKAGE_V0}{}",
            null.trim_start_matches(&launcher)
        ),
        &[],
        21,
    );
    assert_eq!(effect(&cleared, acts, "run"), "collects");
    // Twin: setPackage on one branch only; the other path reaches the
    // query with the bare launcher intent.
    let branch = format!("{launcher}    if-eqz p0, :skip\n{OWN_PACKAGE_V0}    :skip\n{QUERY_V0}");
    let some = scan_work("branchpackage", &branch, &[], 21);
    assert_eq!(effect(&some, acts, "run"), "collects");

    // A service of the app itself (Umeng Push's manifest self-check),
    // through the intent setPackage returns.
    let own_service = format!(
        "{}    invoke-virtual {{p0}}, Landroid/content/Context;->getPackageName()Ljava/lang/String;\n    move-result-object v1\n    invoke-virtual {{v0, v1}}, Landroid/content/Intent;->setPackage(Ljava/lang/String;)Landroid/content/Intent;\n    move-result-object v3\n    move-object v0, v3\n{SERVICES_V0}",
        intent("com.taobao.accs.intent.action.START_SERVICE", "")
    );
    let self_check = scan_work("ownservice", &own_service, &[], 21);
    assert_eq!(effect(&self_check, svcs, "run"), "looks_up");
    assert_eq!(verdict(&self_check, "api.app_list"), None);
    // Twin: the same action with no package: every app offering it.
    let any = scan_work(
        "anyservice",
        &format!(
            "{}{SERVICES_V0}",
            intent("com.taobao.accs.intent.action.START_SERVICE", "")
        ),
        &[],
        21,
    );
    assert_eq!(effect(&any, svcs, "run"), "collects");
    assert_eq!(verdict(&any, "api.app_list").as_deref(), Some("risk"));

    // A static helper receiving the intent: every caller limits it.
    let helper = scan_work(
        "helperpackage",
        &format!("{launcher}{OWN_PACKAGE_V0}{HAS_V0}"),
        &[],
        21,
    );
    assert_eq!(effect(&helper, acts, "has"), "looks_up");
    assert_eq!(verdict(&helper, "api.app_list"), None);
    // Twin: a second call passes the bare launcher intent.
    let mixed = scan_work(
        "helpermixed",
        &format!("{launcher}{HAS_V0}{OWN_PACKAGE_V0}{HAS_V0}"),
        &[],
        21,
    );
    assert_eq!(effect(&mixed, acts, "has"), "collects");
    assert_eq!(verdict(&mixed, "api.app_list").as_deref(), Some("risk"));
    // Twin: every caller limits it, but the helper clears the package.
    let clear = r#".class public Lfixture/NAME/Clear;
.super Ljava/lang/Object;

.method public static has(Landroid/content/Context;Landroid/content/Intent;)Z
    .registers 4
    const/4 v1, 0x0
    invoke-virtual {p1, v1}, Landroid/content/Intent;->setPackage(Ljava/lang/String;)Landroid/content/Intent;
    invoke-virtual {p0}, Landroid/content/Context;->getPackageManager()Landroid/content/pm/PackageManager;
    move-result-object v0
    invoke-virtual {v0, p1, v1}, Landroid/content/pm/PackageManager;->queryIntentActivities(Landroid/content/Intent;I)Ljava/util/List;
    const/4 v0, 0x1
    return v0
.end method
"#;
    let cleared_body = format!(
        "{launcher}{OWN_PACKAGE_V0}    invoke-static {{p0, v0}}, Lfixture/NAME/Clear;->has(Landroid/content/Context;Landroid/content/Intent;)Z\n"
    );
    let cleared_helper = scan_at(
        "helpercleared",
        CALL_WORK,
        &[("Work", &work(&cleared_body)), ("Clear", clear)],
        &[],
        21,
    );
    assert_eq!(
        api_use(&cleared_helper, acts, "/Clear;->has(")["effect"],
        "collects"
    );

    // An explicit intent (Context, Class): one component (the activity:
    // naming `Work` would make its unused `has` live).
    let explicit = r#"    new-instance v0, Landroid/content/Intent;
    const-class v1, Lfixture/NAME/Main;
    invoke-direct {v0, p0, v1}, Landroid/content/Intent;-><init>(Landroid/content/Context;Ljava/lang/Class;)V
"#;
    let one = scan_work(
        "explicitclass",
        &format!("{explicit}{SERVICES_V0}"),
        &[],
        21,
    );
    assert_eq!(effect(&one, svcs, "run"), "looks_up");
    assert_eq!(verdict(&one, "api.app_list"), None);
}

#[test]
fn the_system_speech_recogniser_is_no_recording_and_a_microphone_is() {
    if !smali_tools_present("live_fixtures") {
        return;
    }
    // ApiDemos' VoiceRecognition: the system recogniser's activity, for
    // its text result.
    let recognise = r#"    new-instance v0, Landroid/content/Intent;
    const-string v1, "android.speech.action.RECOGNIZE_SPEECH"
    invoke-direct {v0, v1}, Landroid/content/Intent;-><init>(Ljava/lang/String;)V
"#;
    let speech = scan_work("speech", recognise, &[], 21);
    assert_eq!(
        effect(&speech, "string.action_recognize_speech", "run"),
        "collects"
    );
    assert_eq!(verdict(&speech, "api.recording"), None);
    let audio = finding(&speech, "api.pi.audio").expect("the text of speech is audio PI");
    assert_eq!(audio["severity"], "medium");
    assert!(lists(&speech, "api.pi.audio", "Work"));
    // Twin: the app's own microphone recording stays `api.recording`.
    let mic = r#"    new-instance v0, Landroid/media/MediaRecorder;
    invoke-direct {v0}, Landroid/media/MediaRecorder;-><init>()V
    const/4 v1, 0x1
    invoke-virtual {v0, v1}, Landroid/media/MediaRecorder;->setAudioSource(I)V
"#;
    let rec = scan_work("mediarecorder", mic, &["RECORD_AUDIO"], 21);
    assert_eq!(verdict(&rec, "api.recording").as_deref(), Some("risk"));
    assert_eq!(
        finding(&rec, "api.recording").expect("recording")["severity"],
        "high"
    );
    assert!(lists(&rec, "api.recording", "Work"));
}

#[test]
fn own_process_and_min_sdk_are_own_data() {
    if !smali_tools_present("live_fixtures") {
        return;
    }
    let id = "activity_manager.get_running_app_processes";
    let own = scan_work("ownproc", &format!("{PROCESSES}{MY_PID}"), &[], 21);
    assert_eq!(effect(&own, id, "run"), "own_data");
    assert_eq!(verdict(&own, "api.app_list"), None);
    assert!(lists(&own, "api.inert.not_collection", "Work"));

    // Without Process.myPid, on Android 5.0 (minSdk 21) it lists others.
    let others = scan_work("procs", PROCESSES, &[], 21);
    assert_eq!(effect(&others, id, "run"), "collects");
    assert_eq!(verdict(&others, "api.app_list").as_deref(), Some("risk"));

    // From API 22 the platform returns only the app's own processes.
    let later = scan_work("procs22", PROCESSES, &[], 22);
    assert_eq!(effect(&later, id, "run"), "own_data");
    assert_eq!(verdict(&later, "api.app_list"), None);
}

#[test]
fn a_storage_path_is_no_media_read() {
    if !smali_tools_present("live_fixtures") {
        return;
    }
    let root = scan_work("storage", STORAGE_ROOT, &["READ_EXTERNAL_STORAGE"], 21);
    assert_eq!(
        effect(&root, "environment.get_external_storage_directory", "run"),
        "locates"
    );
    assert_eq!(verdict(&root, "api.pi.media"), None);
    assert!(lists(&root, "api.inert.not_collection", "Work"));

    let photos = scan_work("photos", PHOTOS_URI, &["READ_EXTERNAL_STORAGE"], 21);
    assert_eq!(
        effect(&photos, "media_store.images_external_uri", "run"),
        "collects"
    );
    assert_eq!(verdict(&photos, "api.pi.media").as_deref(), Some("risk"));
}

#[test]
fn package_lookups_and_probes() {
    if !smali_tools_present("live_fixtures") {
        return;
    }
    let id = "package_manager.get_package_info";
    let own = scan_work("ownpkg", OWN_PACKAGE, &[], 21);
    assert_eq!(effect(&own, id, "run"), "looks_up");
    assert_eq!(verdict(&own, "api.pi.app_list"), None);

    // One publisher's clients (a share feature looking for QQ): a lookup.
    let qq = probe(&[
        "com.tencent.mobileqq",
        "com.tencent.tim",
        "com.tencent.minihd.qq",
    ]);
    let family = scan_work("qqpkgs", &qq, &[], 21);
    assert_eq!(effect(&family, id, "run"), "looks_up");
    assert_eq!(verdict(&family, "api.pi.app_list"), None);

    // A class name of the code is no app: two publishers' apps remain.
    let helper = ".class public Lcom/example/lib/Helper;\n.super Ljava/lang/Object;\n";
    let classes = probe(&["com.tencent.mm", "com.sina.weibo", "com.example.lib.Helper"]);
    let named = scan_at(
        "classpkgs",
        CALL_WORK,
        &[("Work", &work(&classes)), ("Helper", helper)],
        &[],
        21,
    );
    assert_eq!(effect(&named, id, "run"), "looks_up");

    // Three publishers' apps: a probe of what is installed.
    let many = probe(&[
        "com.tencent.mm",
        "com.eg.android.AlipayGphone",
        "com.sina.weibo",
    ]);
    let probed = scan_work("probe", &many, &[], 21);
    assert_eq!(effect(&probed, id, "run"), "collects");
    assert_eq!(verdict(&probed, "api.pi.app_list").as_deref(), Some("risk"));
}
