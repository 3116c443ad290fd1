//! Third-party SDK detection on real SDK binaries, end to end with `pipa scan --format json`.
//!
//! Every `apk`/`renamed` row of `fixtures/sdk-binaries.tsv` names a test APK that
//! `scripts/build-sdk-apks.sh` built from a real SDK jar/aar (D8 dex, the SDK's own manifest
//! entries, its `.so` files) into `$PIPA_FIXTURES/sdk-apks/<name>.apk`; each expected SDK id
//! must be in the report's `sdks` with evidence. The `renamed` row's code was moved under an
//! obfuscated package, so its SDK must be found from the manifest and native libraries alone,
//! without package evidence. Rows whose APK is absent print a notice and are skipped, like the
//! other registry fixtures (`scripts/test.sh` fetches and builds them; rows from
//! `../shared/corpus/sdk` exist only beside the development corpus). One more test checks
//! `../shared/corpus/apk/AndroidProject-2019-09-09-8d44588c.apk` (Umeng, Bugly, QQ) when the
//! corpus is present.

use pipa_testkit::{corpus_dir, fixtures_dir, workspace_root};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One APK row of `fixtures/sdk-binaries.tsv`.
struct Row {
    kind: String,
    name: String,
    sources: String,
    expected: Vec<String>,
}

fn rows() -> Vec<Row> {
    let tsv = workspace_root().join("fixtures/sdk-binaries.tsv");
    let text = std::fs::read_to_string(&tsv).expect("read fixtures/sdk-binaries.tsv");
    let mut v = Vec::new();
    for line in text.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        if !matches!(cols.first(), Some(&"apk") | Some(&"renamed")) {
            continue;
        }
        assert!(cols.len() >= 5, "row with 5 columns: {line}");
        v.push(Row {
            kind: cols[0].to_string(),
            name: cols[1].to_string(),
            sources: cols[2].to_string(),
            expected: cols[4].split(',').map(|s| s.trim().to_string()).collect(),
        });
    }
    assert!(!v.is_empty(), "rows in {}", tsv.display());
    v
}

fn apk_of(row: &Row) -> PathBuf {
    fixtures_dir()
        .join("sdk-apks")
        .join(format!("{}.apk", row.name))
}

/// `pipa scan <apk> --format json`, parsed.
fn scan_json(apk: &Path) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_pipa"))
        .arg("scan")
        .arg(apk)
        .args(["--format", "json"])
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("run pipa");
    assert_eq!(
        out.status.code(),
        Some(0),
        "pipa scan {}: {}",
        apk.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("scan JSON parses")
}

/// The report's `sdks`, by id.
fn sdks_by_id(a: &Value) -> BTreeMap<String, Value> {
    a["sdks"]
        .as_array()
        .expect("the report has an `sdks` array")
        .iter()
        .filter_map(|s| Some((s["id"].as_str()?.to_string(), s.clone())))
        .collect()
}

/// The evidence kinds of one SDK, sorted and deduplicated.
fn evidence_kinds(sdk: &Value) -> Vec<String> {
    let mut k: Vec<String> = sdk["evidence"]
        .as_array()
        .map(|v| {
            v.iter()
                .filter_map(|e| e["kind"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    k.sort();
    k.dedup();
    k
}

/// Problems with `expected` in a report; empty when every id has evidence (something to
/// point at: a note alone does not count).
fn missing_or_bare(found: &BTreeMap<String, Value>, expected: &[String]) -> Vec<String> {
    let mut bad = Vec::new();
    for id in expected {
        match found.get(id) {
            None => bad.push(format!("{id} not found")),
            Some(s) if evidence_kinds(s).iter().all(|k| k == "note") => {
                bad.push(format!("{id} without evidence"));
            }
            Some(_) => {}
        }
    }
    bad
}

/// `id(confidence: evidence kinds)` for the table.
fn describe(found: &BTreeMap<String, Value>) -> String {
    found
        .iter()
        .map(|(id, s)| {
            format!(
                "{id}({}/{}: {})",
                s["confidence"].as_str().unwrap_or("?"),
                s["presence"].as_str().unwrap_or("?"),
                evidence_kinds(s).join("+")
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Scans every present row of `kind` and returns the failures; prints one table line per row.
fn check_rows(kind: &str, extra: impl Fn(&Row, &BTreeMap<String, Value>) -> Vec<String>) {
    let mut failures = Vec::new();
    let mut checked = 0;
    for row in rows().iter().filter(|r| r.kind == kind) {
        let apk = apk_of(row);
        if !apk.is_file() {
            let why = if row.sources.contains("corpus:") {
                "needs ../shared/corpus/sdk, then scripts/build-sdk-apks.sh"
            } else {
                "run scripts/fetch-fixtures.sh and scripts/build-sdk-apks.sh"
            };
            eprintln!(
                "notice: SDK fixture {} absent ({why}); row {} skipped",
                apk.display(),
                row.name
            );
            continue;
        }
        checked += 1;
        let a = scan_json(&apk);
        let found = sdks_by_id(&a);
        let mut bad = missing_or_bare(&found, &row.expected);
        bad.extend(extra(row, &found));
        eprintln!(
            "sdk_binaries: {:<18} want {:<40} {} | {}",
            row.name,
            row.expected.join(","),
            if bad.is_empty() { "ok  " } else { "FAIL" },
            describe(&found)
        );
        if !bad.is_empty() {
            failures.push(format!("{}: {}", row.name, bad.join("; ")));
        }
    }
    eprintln!("sdk_binaries: {checked} {kind} rows checked");
    assert!(
        failures.is_empty(),
        "{} of {checked} rows failed:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

#[test]
fn every_sdk_binary_is_detected() {
    // Versions read from the code (static final constants, string patterns)
    // must equal the version in the SDK file's own name, where it has one.
    const VERSIONS: &[(&str, &str, &str)] = &[
        ("alipay", "alipay.sdk", "15.6.5"),
        ("amap", "amap.location", "3.7.0"),
        ("amap", "amap.map3d", "5.7.0"),
        ("amap", "amap.navi", "5.6.0"),
        ("getui", "getui.push", "3.3.12.0"),
        ("jcore", "jiguang.jcore", "3.3.6"),
        ("janalytics", "jiguang.janalytics", "2.1.8"),
        ("qq-mta", "tencent.mta", "1.6.2"),
        ("umeng-common-9", "umeng.common", "9.9.1"),
        ("umeng-push-6", "umeng.push", "6.7.2"),
        ("umeng-apm-2", "umeng.apm", "2.0.3"),
        ("umeng-asms-1", "umeng.asms", "1.8.7"),
        ("umeng-uyumao-1", "umeng.uyumao", "1.1.4"),
        ("umshare-7", "umeng.share", "7.3.7"),
        ("umshare", "umeng.share", "6.9.2"),
        ("umshare", "umeng.common", "1.5.3"),
    ];
    check_rows("apk", |row, found| {
        VERSIONS
            .iter()
            .filter(|(r, _, _)| *r == row.name)
            .filter_map(|(_, id, want)| {
                let got = found.get(*id).and_then(|s| s["version"].as_str());
                (got != Some(*want)).then(|| format!("{id}: version {got:?}, want {want}"))
            })
            .collect()
    });
}

/// Code moved under an obfuscated prefix: the expected SDK is still found, from the manifest
/// (components, meta-data) and native libraries, never from a dex package prefix. The rename
/// also moved the component classes (R8 would keep them), so an SDK with neither code nor a
/// native library of its own there (JPush) is reported as `presence: manifest_only` (low, off
/// the SDK list); JCore, whose native library is there, stays present.
#[test]
fn renamed_sdk_is_found_without_its_packages() {
    check_rows("renamed", |row, found| {
        let mut bad = Vec::new();
        for id in &row.expected {
            let Some(s) = found.get(id) else { continue };
            let kinds = evidence_kinds(s);
            if kinds.iter().any(|k| k == "package") {
                bad.push(format!(
                    "{id} has package evidence ({kinds:?}): rename failed?"
                ));
            }
            if !kinds.iter().any(|k| k == "manifest" || k == "file") {
                bad.push(format!("{id} has no manifest or file evidence ({kinds:?})"));
            }
            let presence = s["presence"].as_str().unwrap_or("?");
            let file = kinds.iter().any(|k| k == "file");
            if file && presence != "native" && presence != "code" {
                bad.push(format!(
                    "{id}: its native library is there, presence {presence}"
                ));
            }
        }
        bad
    });
}

/// The open-source app template in the shared corpus embeds Umeng, Bugly and the QQ open SDK.
#[test]
fn android_project_app_embeds_umeng_bugly_and_qq() {
    let apk = corpus_dir().join("AndroidProject-2019-09-09-8d44588c.apk");
    if !apk.is_file() {
        eprintln!("notice: {} absent; skipped", apk.display());
        return;
    }
    let a = scan_json(&apk);
    let found = sdks_by_id(&a);
    eprintln!("sdk_binaries: AndroidProject: {}", describe(&found));
    let expected: Vec<String> = ["umeng.common", "tencent.bugly", "tencent.qq-connect"]
        .map(String::from)
        .to_vec();
    let bad = missing_or_bare(&found, &expected);
    assert!(bad.is_empty(), "AndroidProject: {}", bad.join("; "));
    // Each is shown by what the app carries: Umeng's meta-data, Bugly's native library, QQ's
    // manifest activities.
    let has = |id: &str, kind: &str, needle: &str| {
        found[id]["evidence"].as_array().is_some_and(|ev| {
            ev.iter()
                .any(|e| e["kind"] == kind && e.to_string().contains(needle))
        })
    };
    assert!(
        has("umeng.common", "manifest", "UMENG_APPKEY"),
        "Umeng meta-data evidence"
    );
    assert!(
        has("tencent.bugly", "file", "libBugly.so"),
        "Bugly .so evidence"
    );
    assert!(
        has(
            "tencent.qq-connect",
            "manifest",
            "com.tencent.tauth.AuthActivity"
        ),
        "QQ AuthActivity evidence"
    );
}
