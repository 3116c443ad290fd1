//! The app behind the privacy-policy consistency checks (issue 6), end to end.
//!
//! `tests/policy/app/` is a tiny app (package `fixture.policy`, “随手拍”): an
//! `AndroidManifest.xml` and smali sources, built at test time with
//! [`pipa_testkit::build_smali_apk`] (Debian's `smali` and `aapt` against
//! `android-framework-res`). Its policy, written by the team, is
//! `crates/pipa-policy/tests/policies/fixture-app.*` (see the README there).
//!
//! What the app does, and how the policy differs from it on purpose:
//! - requests INTERNET, CAMERA, ACCESS_FINE_LOCATION, ACCESS_COARSE_LOCATION,
//!   READ_PHONE_STATE and RECORD_AUDIO — the policy explains the camera,
//!   location and phone permissions but never mentions the microphone (and
//!   no code records);
//! - `MainActivity.readDeviceInfo` (from `onCreate`) reads the IMEI,
//!   `openScanner` (the “scan” button) opens the camera, `showNearby` (the
//!   “nearby” button) reads the last known location — all declared;
//! - embeds and initialises (from `onCreate`) two catalogue SDKs, as stubs
//!   that read nothing: Umeng common (`umeng.common`: `UMConfigure.preInit`
//!   and `init`, meta-data `UMENG_CHANNEL`), listed in the policy's SDK
//!   table, and JPush (`jiguang.jpush`: `JPushInterface.init`, its
//!   `PushActivity` in the manifest), which the policy does not list.
//!
//! This test proves the fixture independently of pipa (`dexdump -d` shows
//! the invokes, `aapt dump` the permissions and components) and checks what
//! `assess` reports about the app, from the assessment's JSON form. The
//! policy checks are added once `ScanInput` takes a policy (see the
//! `// policy assertions:` spot below).
//!
//! Skipped with a notice when `smali`, `aapt`, `dexdump` or the framework
//! resources are missing (`scripts/test.sh` installs them).

mod common;

use pipa_kb::Kb;
use pipa_testkit::{SmaliApk, build_smali_apk, run_ok, smali_tools_present};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

const PACKAGE: &str = "fixture.policy";

const PERMISSIONS: &[&str] = &[
    "android.permission.INTERNET",
    "android.permission.CAMERA",
    "android.permission.ACCESS_FINE_LOCATION",
    "android.permission.ACCESS_COARSE_LOCATION",
    "android.permission.READ_PHONE_STATE",
    "android.permission.RECORD_AUDIO",
];

/// The sensitive calls of the app's own code: (kb api id, calling method,
/// called method), all in smali form.
const API_CALLS: &[(&str, &str, &str)] = &[
    (
        "camera.open",
        "Lfixture/policy/MainActivity;->openScanner()V",
        "Landroid/hardware/Camera;->open()Landroid/hardware/Camera;",
    ),
    (
        "location_manager.get_last_known_location",
        "Lfixture/policy/MainActivity;->showNearby()V",
        "Landroid/location/LocationManager;->getLastKnownLocation(Ljava/lang/String;)Landroid/location/Location;",
    ),
    (
        "telephony.get_device_id",
        "Lfixture/policy/MainActivity;->readDeviceInfo()V",
        "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;",
    ),
];

/// The SDK initialisations the app makes (the caller is `INIT_SDKS`).
const SDK_INITS: &[(&str, &str)] = &[
    (
        "umeng.common",
        "Lcom/umeng/commonsdk/UMConfigure;->preInit(Landroid/content/Context;Ljava/lang/String;Ljava/lang/String;)V",
    ),
    (
        "umeng.common",
        "Lcom/umeng/commonsdk/UMConfigure;->init(Landroid/content/Context;Ljava/lang/String;Ljava/lang/String;ILjava/lang/String;)V",
    ),
    (
        "jiguang.jpush",
        "Lcn/jpush/android/api/JPushInterface;->init(Landroid/content/Context;)V",
    ),
];
const INIT_SDKS: &str = "Lfixture/policy/MainActivity;->initSdks()V";
const ON_CREATE: &str = "Lfixture/policy/MainActivity;->onCreate(Landroid/os/Bundle;)V";
const ON_CLICK: &str = "Lfixture/policy/MainActivity;->onClick(Landroid/view/View;)V";

/// The two catalogue SDKs the app embeds: the policy lists the first only.
const UMENG: &str = "umeng.common";
const JPUSH: &str = "jiguang.jpush";

// ---------------------------------------------------------------------------
// Building and scanning

/// The built fixture: the APK, `dexdump -d` of its dex, the manifest dumps.
struct Built {
    apk: PathBuf,
    /// Smali method (`Lx/Y;->m()V`) → its instructions `(offset, text)`.
    methods: BTreeMap<String, Vec<(u32, String)>>,
    xmltree: String,
    permissions: String,
}

fn build() -> Built {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/policy/app");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("policy_fixture");
    let SmaliApk { apk, dex } = build_smali_apk(&src, &dir);
    let methods = parse_dexdump(&run_ok(Command::new("dexdump").arg("-d").arg(&dex)));
    let xmltree = run_ok(
        Command::new("aapt")
            .args(["dump", "xmltree"])
            .arg(&apk)
            .arg("AndroidManifest.xml"),
    );
    let permissions = run_ok(Command::new("aapt").args(["dump", "permissions"]).arg(&apk));
    Built {
        apk,
        methods,
        xmltree,
        permissions,
    }
}

/// `dexdump -d` → method → instructions. A method header is
/// `|[000cdc] fixture.policy.MainActivity.openScanner:()V`, an instruction
/// `|0000: invoke-static {}, Landroid/hardware/Camera;.open:()… // method@0002`.
fn parse_dexdump(text: &str) -> BTreeMap<String, Vec<(u32, String)>> {
    let mut out: BTreeMap<String, Vec<(u32, String)>> = BTreeMap::new();
    let mut class = String::new();
    let mut method: Option<String> = None;
    for line in text.lines() {
        let t = line.trim();
        if let Some(v) = t.strip_prefix("Class descriptor  :") {
            class = v.trim().trim_matches('\'').to_string();
            method = None;
        } else if let Some((_, code)) = line.split_once('|') {
            if let Some(head) = code.strip_prefix('[') {
                let sig = head.split_once("] ").map_or("", |(_, s)| s);
                let (owner_name, proto) = sig.split_once(':').unwrap_or((sig, ""));
                let name = owner_name.rsplit_once('.').map_or(owner_name, |(_, n)| n);
                let key = format!("{class}->{name}{proto}");
                out.entry(key.clone()).or_default();
                method = Some(key);
            } else if let (Some(m), Some((off, ins))) = (&method, code.split_once(": "))
                && let Ok(offset) = u32::from_str_radix(off.trim(), 16)
                && let Some(v) = out.get_mut(m)
            {
                v.push((offset, ins.to_string()));
            }
        }
    }
    out
}

/// `Lx/Y;->m(I)V` → dexdump's `Lx/Y;.m:(I)V`.
fn dd_ref(smali: &str) -> String {
    let (class, rest) = smali.split_once("->").expect("smali member ref");
    let at = rest.find('(').expect("smali method ref");
    let (name, proto) = rest.split_at(at);
    format!("{class}.{name}:{proto}")
}

impl Built {
    fn listing(&self, method: &str) -> String {
        self.methods
            .get(method)
            .map(|v| {
                v.iter()
                    .map(|(o, i)| format!("    {o:04x}: {i}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_else(|| {
                format!(
                    "    (no such method; the dex has {:?})",
                    self.methods.keys().collect::<Vec<_>>()
                )
            })
    }

    /// Offset of the `invoke-*` of `target` in `method`, per dexdump.
    fn invoke(&self, method: &str, target: &str) -> u32 {
        let want = dd_ref(target);
        self.methods
            .get(method)
            .and_then(|v| {
                v.iter()
                    .find(|(_, i)| i.starts_with("invoke-") && i.contains(&want))
            })
            .map(|(o, _)| *o)
            .unwrap_or_else(|| {
                panic!(
                    "fixture broken: dexdump shows no invoke of {target} in {method}:\n{}",
                    self.listing(method)
                )
            })
    }

    /// Methods anywhere in the dex whose instructions mention `needle`.
    fn users_of(&self, needle: &str) -> Vec<&str> {
        self.methods
            .iter()
            .filter(|(_, v)| v.iter().any(|(_, i)| i.contains(needle)))
            .map(|(m, _)| m.as_str())
            .collect()
    }
}

/// Loads the APK the way `pipa-cli` does, assesses it, returns the JSON form.
fn scan(b: &Built) -> Value {
    scan_with(&b.apk, None, None)
}

/// [`scan`] of `apk` (the fixture or a variant of it) with a policy and an
/// app type.
fn scan_with(
    path: &Path,
    policy: Option<&pipa_policy::Policy>,
    category: Option<&pipa_kb::AppType>,
) -> Value {
    let a = common::assess_fixture(path, PACKAGE, Kb::embedded(), policy, category);
    serde_json::to_value(&a).expect("assessment to JSON")
}

/// What pipa reported, for failure messages.
fn summary(a: &Value) -> String {
    let mut s = String::from("\n--- what pipa reported for fixture `policy` ---\npermissions:");
    for p in a["permissions"].as_array().into_iter().flatten() {
        s.push_str(&format!("\n   {}", p["name"].as_str().unwrap_or("?")));
    }
    s.push_str("\nsdks:");
    for x in a["sdks"].as_array().into_iter().flatten() {
        s.push_str(&format!(
            "\n   {} {} score={} initialized={}",
            x["id"].as_str().unwrap_or("?"),
            x["confidence"].as_str().unwrap_or("?"),
            x["score"],
            x["initialized"]
        ));
    }
    s.push_str("\napi_uses:");
    for u in a["api_uses"].as_array().into_iter().flatten() {
        s.push_str(&format!(
            "\n   {} ({}) from {} @ {}:{:#x} ({})",
            u["api_id"].as_str().unwrap_or("?"),
            u["pi_type"].as_str().unwrap_or("?"),
            u["caller"].as_str().unwrap_or("?"),
            u["dex"].as_str().unwrap_or("?"),
            u["offset"].as_u64().unwrap_or(u64::MAX),
            u["subject"].as_str().unwrap_or("?")
        ));
    }
    s.push_str("\nfindings:");
    for f in a["findings"].as_array().into_iter().flatten() {
        s.push_str(&format!(
            "\n   {} ({})",
            f["id"].as_str().unwrap_or("?"),
            f["verdict"].as_str().unwrap_or("?")
        ));
    }
    s.push_str("\n---");
    s
}

// ---------------------------------------------------------------------------
// The test

#[test]
fn policy_fixture_app() {
    if !smali_tools_present("policy_fixture") {
        return;
    }
    let b = build();

    // The fixture, proven without pipa.
    for p in PERMISSIONS {
        assert!(
            b.permissions
                .contains(&format!("uses-permission: name='{p}'")),
            "fixture broken: `aapt dump permissions` lacks {p}:\n{}",
            b.permissions
        );
    }
    for needle in [
        "\"fixture.policy.MainActivity\"",
        "\"android.intent.action.MAIN\"",
        "\"android.intent.category.LAUNCHER\"",
        "\"cn.jpush.android.ui.PushActivity\"",
        "\"UMENG_CHANNEL\"",
    ] {
        assert!(
            b.xmltree.contains(needle),
            "fixture broken: `aapt dump xmltree` lacks {needle}:\n{}",
            b.xmltree
        );
    }
    let mut at = BTreeMap::new();
    for (api_id, caller, target) in API_CALLS {
        at.insert(*api_id, b.invoke(caller, target));
    }
    for (_, target) in SDK_INITS {
        b.invoke(INIT_SDKS, target);
    }
    // The handlers that lead to the calls.
    b.invoke(ON_CREATE, "Lfixture/policy/MainActivity;->initSdks()V");
    b.invoke(
        ON_CREATE,
        "Lfixture/policy/MainActivity;->readDeviceInfo()V",
    );
    b.invoke(
        ON_CREATE,
        "Landroid/widget/Button;->setOnClickListener(Landroid/view/View$OnClickListener;)V",
    );
    b.invoke(ON_CLICK, "Lfixture/policy/MainActivity;->openScanner()V");
    b.invoke(ON_CLICK, "Lfixture/policy/MainActivity;->showNearby()V");
    // Nothing records audio, and the SDK stubs read nothing sensitive.
    for needle in [
        "Landroid/media/AudioRecord;",
        "Landroid/media/MediaRecorder;",
    ] {
        let users = b.users_of(needle);
        assert!(
            users.is_empty(),
            "fixture broken: {needle} used by {users:?}"
        );
    }
    for needle in [
        "Landroid/telephony/",
        "Landroid/location/",
        "Landroid/hardware/",
    ] {
        let users: Vec<&str> = b
            .users_of(needle)
            .into_iter()
            .filter(|m| !m.starts_with("Lfixture/policy/"))
            .collect();
        assert!(
            users.is_empty(),
            "fixture broken: SDK stub uses {needle}: {users:?}"
        );
    }

    // What pipa reports.
    let a = scan(&b);
    let text = summary(&a);
    eprintln!("{text}");
    assert_eq!(a["app"]["id"], PACKAGE, "app id{text}");

    // The six permissions, exactly.
    let got: BTreeSet<&str> = a["permissions"]
        .as_array()
        .expect("permissions[]")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    let want: BTreeSet<&str> = PERMISSIONS.iter().copied().collect();
    assert_eq!(got, want, "permissions{text}");

    // Both SDKs, with high confidence, initialised by the app; no other.
    let ids: BTreeSet<&str> = a["sdks"]
        .as_array()
        .expect("sdks[]")
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert_eq!(ids, BTreeSet::from([UMENG, JPUSH]), "sdks{text}");
    for id in [UMENG, JPUSH] {
        let s = a["sdks"]
            .as_array()
            .and_then(|v| v.iter().find(|s| s["id"] == id))
            .unwrap_or_else(|| panic!("SDK {id} not detected (the stub is broken){text}"));
        assert_eq!(s["confidence"], "high", "confidence of {id}{text}");
        assert_eq!(s["initialized"], true, "{id} initialized{text}");
    }

    // The three API uses, by the app, at the offsets dexdump shows.
    for (api_id, caller, _) in API_CALLS {
        let off = u64::from(at[api_id]);
        let found = a["api_uses"].as_array().is_some_and(|v| {
            v.iter().any(|u| {
                u["api_id"] == *api_id
                    && u["caller"] == *caller
                    && u["dex"] == "classes.dex"
                    && u["offset"].as_u64() == Some(off)
                    && u["subject"] == "app"
            })
        });
        assert!(
            found,
            "api_uses lacks {api_id} from {caller} @ classes.dex:{off:#x} (app){text}"
        );
    }
    // …and no other sensitive call: no audio, nothing by the SDK stubs.
    let others: Vec<String> = a["api_uses"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|u| !API_CALLS.iter().any(|(id, _, _)| u["api_id"] == *id))
        .map(|u| u.to_string())
        .collect();
    assert!(others.is_empty(), "unexpected api_uses {others:?}{text}");

    policy_checks(&b);
}

/// The team's policy for the fixture, in its four forms.
fn policy_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../pipa-policy/tests/policies");
    [
        "fixture-app.html",
        "fixture-app-gbk.html",
        "fixture-app.md",
        "fixture-app.txt",
    ]
    .iter()
    .map(|f| dir.join(f))
    .collect()
}

/// Ids of the consistency gaps (`policy.permission_undeclared.*`,
/// `policy.sdk_undeclared.*`, `policy.pi_undeclared.*`), sorted.
fn gaps(a: &Value) -> Vec<String> {
    let mut v: Vec<String> = a["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["id"].as_str())
        .filter(|id| {
            [
                "policy.permission_undeclared.",
                "policy.sdk_undeclared.",
                "policy.pi_undeclared.",
            ]
            .iter()
            .any(|p| id.starts_with(p))
        })
        .map(String::from)
        .collect();
    v.sort();
    v
}

fn finding_ids(a: &Value) -> BTreeSet<String> {
    a["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["id"].as_str().map(String::from))
        .collect()
}

/// The policy checks (issue 6): the policy, written for this app, omits one
/// SDK (JPush) and one permission (RECORD_AUDIO): exactly those two gaps,
/// whatever form the policy takes; found in the package when it is there;
/// and the app type's necessary PI.
fn policy_checks(b: &Built) {
    let lex = pipa_policy::Lexicon::new(Kb::embedded()).expect("lexicon");
    let mut elements: Option<Vec<(String, String)>> = None;
    for f in policy_files() {
        let p = pipa_policy::analyse_file(&f, &lex).unwrap_or_else(|e| panic!("{e}"));
        let a = scan_with(&b.apk, Some(&p), None);
        let text = summary(&a);
        assert_eq!(
            gaps(&a),
            [
                "policy.permission_undeclared.RECORD_AUDIO",
                &format!("policy.sdk_undeclared.{JPUSH}"),
            ],
            "{}: the policy omits JPush and the microphone, nothing else{text}",
            f.display()
        );
        let ids = finding_ids(&a);
        assert!(
            !ids.contains("policy.sdk_not_found"),
            "{}: Umeng is in the package{text}",
            f.display()
        );
        assert!(
            ids.contains("policy.rules"),
            "{}: policy.rules{text}",
            f.display()
        );
        let pol = &a["policy"];
        assert_eq!(pol["schema"], "pipa.policy/1");
        assert_eq!(pol["source"]["origin"], "option");
        assert!(
            pol["third_parties"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|t| t["sdk_id"] == UMENG),
            "{}: Umeng listed{text}",
            f.display()
        );
        // The four forms give the same elements.
        let ev: Vec<(String, String)> = pol["elements"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| {
                (
                    e["id"].as_str().unwrap_or("").to_string(),
                    e["verdict"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        assert_eq!(ev.len(), 16, "16 elements");
        match &elements {
            None => elements = Some(ev),
            Some(first) => assert_eq!(
                first,
                &ev,
                "{}: same elements as the HTML form",
                f.display()
            ),
        }
        // Each gap cites its legal items and shows the manifest or SDK.
        for f in a["findings"].as_array().into_iter().flatten() {
            let id = f["id"].as_str().unwrap_or("");
            if id.starts_with("policy.permission_undeclared.")
                || id.starts_with("policy.sdk_undeclared.")
            {
                assert_eq!(f["verdict"], "risk", "{id}");
                assert!(
                    f["rule_ids"]
                        .as_array()
                        .is_some_and(|r| r.iter().any(|x| x == "191-2.1")),
                    "{id} cites 191-2.1"
                );
                assert!(
                    !f["evidence"].as_array().is_none_or(|e| e.is_empty()),
                    "{id} has evidence"
                );
            }
        }
    }

    // Without --policy: no policy in the package, none read.
    let a = scan_with(&b.apk, None, None);
    assert!(a.get("policy").is_none(), "no policy read{}", summary(&a));
    assert!(finding_ids(&a).contains("policy.not_found"));

    // The same policy shipped as assets/privacy.html: found, read, same gaps.
    let html = &policy_files()[0];
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("policy_fixture_asset");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("assets")).expect("mkdir");
    std::fs::copy(html, dir.join("assets/privacy.html")).expect("copy policy");
    let apk2 = dir.join("with-policy.apk");
    std::fs::copy(&b.apk, &apk2).expect("copy apk");
    run_ok(Command::new("aapt").current_dir(&dir).args([
        "add",
        "with-policy.apk",
        "assets/privacy.html",
    ]));
    let a = scan_with(&apk2, None, None);
    let text = summary(&a);
    assert_eq!(
        a["policy"]["source"]["path"], "assets/privacy.html",
        "{text}"
    );
    assert_eq!(a["policy"]["source"]["origin"], "package", "{text}");
    assert_eq!(
        gaps(&a),
        [
            "policy.permission_undeclared.RECORD_AUDIO",
            &format!("policy.sdk_undeclared.{JPUSH}")
        ],
        "{text}"
    );
    let item = a["items"]
        .as_array()
        .and_then(|v| v.iter().find(|i| i["id"] == "191-1.1"))
        .expect("191-1.1");
    assert_eq!(
        item["verdict"], "pass",
        "a policy with rules in the package{text}"
    );

    // --category: the PI the code or dangerous permissions reach, minus what
    // the type needs, computed here from the fixture's known calls and
    // permissions and the kb's list for the type.
    let kb = Kb::embedded();
    for q in ["地图导航", "1", "拍摄美化"] {
        let Some(ty) = kb.app_type(q) else {
            panic!("app type {q}")
        };
        let a = scan_with(&b.apk, None, Some(ty));
        let necessary: BTreeSet<&str> = ty
            .necessary
            .iter()
            .flat_map(|n| n.pi_types.iter().map(String::as_str))
            .collect();
        let mut reached: BTreeSet<String> = API_CALLS
            .iter()
            .filter_map(|(id, _, _)| {
                kb.apis
                    .iter()
                    .find(|x| x.id == *id)
                    .map(|x| x.pi_type.clone())
            })
            .collect();
        for p in PERMISSIONS {
            if let Some(k) = kb.permissions.iter().find(|k| k.name == *p)
                && k.protection == pipa_kb::Protection::Dangerous
            {
                reached.extend(k.pi_types.iter().cloned());
            }
        }
        let expected: BTreeSet<String> = reached
            .iter()
            .filter(|p| !necessary.contains(p.as_str()))
            .map(|p| format!("necessity.{p}"))
            .collect();
        let got: BTreeSet<String> = finding_ids(&a)
            .into_iter()
            .filter(|i| i.starts_with("necessity."))
            .collect();
        if expected.is_empty() {
            assert_eq!(got, BTreeSet::from(["necessity.within".to_string()]), "{q}");
        } else {
            assert_eq!(got, expected, "--category {q}{}", summary(&a));
        }
        assert_eq!(a["category"]["seq"], ty.seq);
    }
}
