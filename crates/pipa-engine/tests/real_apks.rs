//! The engine on real APKs: the registry fixtures (`scripts/fetch-fixtures.sh`,
//! `$PIPA_FIXTURES` or `.cache/fixtures`) and, when present, the shared corpus
//! (`$PIPA_CORPUS` or `<repo>/../shared/corpus/apk`). Skipped with a notice when
//! the files are absent.

use pipa_engine::{Assessment, Evidence, ScanInput, Verdict, assess};
use pipa_kb::{ApiKind, Kb};
use pipa_testkit::{corpus_apks, corpus_dir, fixture};
use std::path::Path;
use std::time::Instant;

/// Reads, indexes and assesses `path`; also returns the time `assess` took.
fn scan(path: &Path) -> (Assessment, f64) {
    let bytes = std::fs::read(path).expect("read apk");
    let apk = pipa_android::Apk::parse(&bytes, pipa_core::Limits::default()).expect("parse apk");
    let mut sink = pipa_core::AnomalySink::default();
    let blobs = apk.read_dex();
    let mut dexes = Vec::new();
    for (name, blob) in &blobs {
        if let Ok(blob) = blob
            && let Ok(ds) = pipa_dex::parse_dex_file(blob, name, &mut sink)
        {
            dexes.extend(ds);
        }
    }
    let index = pipa_dex::CodeIndex::build_parallel(dexes, &mut sink);
    let (mut anomalies, _) = apk.anomalies();
    anomalies.extend(sink.into_parts().0);
    let input = ScanInput {
        path: path.display().to_string(),
        sha256: String::new(),
        apk: &apk,
        index: &index,
        anomalies,
        policy: None,
        category: None,
        first_party: Vec::new(),
    };
    let kb = Kb::embedded();
    let start = Instant::now();
    let a = assess(&input, kb);
    (a, start.elapsed().as_secs_f64() * 1000.0)
}

/// What holds for every assessment.
fn invariants(a: &Assessment, what: &str) {
    let kb = Kb::embedded();
    assert_eq!(a.items.len(), 31, "{what}: 31 items");
    let kb_order: Vec<&str> = kb.rules_of("191").map(|r| r.id.as_str()).collect();
    let ids: Vec<&str> = a.items.iter().map(|i| i.id.as_str()).collect();
    if kb_order.len() == 31 {
        assert_eq!(ids, kb_order, "{what}: items in kb order");
    }
    for it in &a.items {
        assert!(
            it.verdict != Verdict::Manual || it.note.is_some() || !it.findings.is_empty(),
            "{what}: manual item {} explains itself",
            it.id
        );
        for &f in &it.findings {
            let f = a.findings.get(f).expect("finding index in range");
            assert!(
                f.rule_ids.contains(&it.id),
                "{what}: {} cites {}",
                f.id,
                it.id
            );
        }
    }
    for (i, f) in a.findings.iter().enumerate() {
        let referenced = a.items.iter().any(|it| it.findings.contains(&i));
        let non_191 = f.rule_ids.iter().any(|r| !r.starts_with("191-"));
        assert!(
            referenced || non_191,
            "{what}: finding {} is orphaned",
            f.id
        );
        assert!(!f.rule_ids.is_empty(), "{what}: {} has rule ids", f.id);
        for r in &f.rule_ids {
            assert!(
                kb.rule(r).is_some(),
                "{what}: {} cites {r}, not in the kb",
                f.id
            );
        }
        assert!(!f.evidence.is_empty(), "{what}: {} has evidence", f.id);
        assert!(!f.title.zh.is_empty() && !f.title.en.is_empty());
        assert!(!f.description.zh.is_empty() && !f.description.en.is_empty());
        assert!(!f.remediation.zh.is_empty() && !f.remediation.en.is_empty());
        if f.verdict == Verdict::Violation {
            assert!(
                f.description.en.contains("prove"),
                "{what}: a violation says why the package proves it"
            );
        }
    }
    let mut ids: Vec<&str> = a.findings.iter().map(|f| f.id.as_str()).collect();
    ids.sort_unstable();
    let n = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), n, "{what}: finding ids are unique");
    // The JSON contract keys.
    let v = serde_json::to_value(a).expect("serialises");
    for key in [
        "schema",
        "tool",
        "input",
        "app",
        "permissions",
        "api_uses",
        "items",
        "findings",
        "anomalies",
        "timings",
    ] {
        assert!(v.get(key).is_some(), "{what}: JSON key {key}");
    }
    assert_eq!(v["schema"], "pipa.assessment/1");
}

fn manifest_names(f: &pipa_engine::Finding) -> Vec<&str> {
    f.evidence
        .iter()
        .filter_map(|e| match e {
            Evidence::Manifest { name: Some(n), .. } => Some(n.as_str()),
            _ => None,
        })
        .collect()
}

#[test]
fn appium_settings_permissions_show_up_with_manifest_evidence() {
    let Some(p) = fixture("appium-settings-8.0.10.apk") else {
        return;
    };
    let (a, ms) = scan(&p);
    invariants(&a, "appium-settings");
    eprintln!(
        "appium-settings: assess {ms:.1} ms, {} findings",
        a.findings.len()
    );
    assert_eq!(a.app.id, "io.appium.settings");
    for perm in [
        "android.permission.READ_SMS",
        "android.permission.RECORD_AUDIO",
        "android.permission.READ_PHONE_STATE",
        "android.permission.ACCESS_BACKGROUND_LOCATION",
    ] {
        let cited: Vec<&str> = a
            .findings
            .iter()
            .filter(|f| manifest_names(f).contains(&perm))
            .map(|f| f.id.as_str())
            .collect();
        assert!(!cited.is_empty(), "{perm} is in no finding");
        let pu = a
            .permissions
            .iter()
            .find(|p| p.name == perm)
            .expect("requested");
        assert!(pu.dangerous, "{perm} is dangerous per the kb");
        assert!(!pu.pi_types.is_empty(), "{perm} has PI types");
    }
    let f = |id: &str| a.findings.iter().find(|f| f.id == id);
    let purpose = f("perm.purpose").expect("191-2.3 finding");
    assert_eq!(purpose.verdict, Verdict::Manual);
    assert!(f("perm.background_location").is_some());
    assert!(
        f("api.recording").is_some(),
        "RECORD_AUDIO gives a recording finding"
    );
    let item = |id: &str| a.items.iter().find(|i| i.id == id).expect("item");
    assert_eq!(item("191-2.3").verdict, Verdict::Manual);
    assert!(!item("191-2.3").findings.is_empty());
}

#[test]
fn api_demos() {
    let Some(p) = fixture("ApiDemos-debug.apk") else {
        return;
    };
    let (a, ms) = scan(&p);
    invariants(&a, "ApiDemos");
    eprintln!(
        "ApiDemos: assess {ms:.1} ms, {} findings, {} api uses",
        a.findings.len(),
        a.api_uses.len()
    );
    // A debug build: debuggable, and the code uses the camera and clipboard demos.
    assert!(a.findings.iter().any(|f| f.id == "sec.debuggable"));
    assert!(!a.api_uses.is_empty(), "ApiDemos calls sensitive APIs");
    for u in &a.api_uses {
        assert!(
            u.caller.starts_with('L') && u.caller.contains("->"),
            "{}",
            u.caller
        );
        assert!(
            u.subject == "app"
                || u.subject == "unknown-third-party"
                || u.subject
                    .strip_prefix("sdk:")
                    .is_some_and(|id| Kb::embedded().sdk(id).is_some()),
            "{}",
            u.subject
        );
        assert!(Kb::embedded().api(&u.api_id).is_some());
    }
    // The app's own code is attributed to the app (its code is under the
    // launcher activity's package, not the application id).
    assert!(a.api_uses.iter().any(|u| u.subject == "app"));
    // Each kind of kb entry is matched: method calls, static fields, strings.
    let kb = Kb::embedded();
    for kind in [ApiKind::Method, ApiKind::StaticField, ApiKind::String] {
        assert!(
            a.api_uses
                .iter()
                .any(|u| kb.api(&u.api_id).is_some_and(|e| e.kind == kind)),
            "no {kind:?} entry matched in ApiDemos"
        );
    }
}

#[test]
fn appium_server_timing() {
    let Some(p) = fixture("appium-uiautomator2-server-10.6.6.apk") else {
        return;
    };
    let (a, ms) = scan(&p);
    invariants(&a, "appium-uiautomator2-server");
    eprintln!(
        "appium-uiautomator2-server: assess {ms:.1} ms (engine stages {:?}), {} findings, {} api uses",
        a.timings.stages,
        a.findings.len(),
        a.api_uses.len()
    );
}

#[test]
fn corpus() {
    let dir = corpus_dir();
    if !dir.is_dir() {
        eprintln!("skipping: {} absent", dir.display());
        return;
    }
    for p in corpus_apks() {
        let (a, ms) = scan(&p);
        invariants(&a, &p.display().to_string());
        if a.app.id == "com.android.insecurebank" {
            // targetSdk 8: dangerous permissions at install; Android ID read
            // where the caller also loads "android_id" (a method entry with a value).
            assert!(a.findings.iter().any(|f| f.id == "perm.legacy_runtime"));
            assert!(a.api_uses.iter().any(|u| {
                u.api_id == "settings_secure.android_id"
                    && u.caller
                        .starts_with("Lcom/android/insecurebank/LoginScreen;->dologin")
                    && u.subject == "app"
            }));
        }
        let count = |v: Verdict| a.items.iter().filter(|i| i.verdict == v).count();
        eprintln!(
            "{}: {} target {} | {} perms, {} api uses, {} findings | items: {} risk, {} manual, {} violation | {ms:.1} ms",
            p.file_name().and_then(|n| n.to_str()).unwrap_or("?"),
            a.app.id,
            a.app.target_sdk,
            a.permissions.len(),
            a.api_uses.len(),
            a.findings.len(),
            count(Verdict::Risk),
            count(Verdict::Manual),
            count(Verdict::Violation),
        );
    }
}
