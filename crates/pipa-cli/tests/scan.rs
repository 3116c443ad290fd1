//! End to end: `pipa scan`, `pipa explain` and `pipa kb` as a user runs them.
//!
//! On the registry fixtures (`scripts/fetch-fixtures.sh`; `$PIPA_FIXTURES` or
//! `.cache/fixtures`): ApiDemos and io.appium.settings in text, Markdown and
//! JSON, the permissions io.appium.settings is known to request showing up as
//! evidence, `--fail-on`, `--timings`, `-o`. Those parts print a notice and
//! pass when a fixture is absent. Errors, `explain` and `kb` always run.

mod common;
use common::pipa;

use pipa_testkit::fixture;
use serde_json::Value;
use std::ffi::OsStr;
use std::path::Path;
use std::process::Output;

const APIDEMOS: &str = "ApiDemos-debug.apk";
const SETTINGS: &str = "appium-settings-8.0.10.apk";

fn scan(apk: &Path, extra: &[&str]) -> Output {
    let mut args: Vec<&OsStr> = vec!["scan".as_ref(), apk.as_os_str()];
    args.extend(extra.iter().map(OsStr::new));
    pipa(&args)
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).expect("UTF-8 output")
}

fn ok(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    text(&out.stdout)
}

/// Asserts an error: exit 2, nothing on stdout, exactly one line on stderr
/// that starts with `pipa: error: ` and contains `needle`.
fn one_line_error(out: &Output, needle: &str) {
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert!(out.stdout.is_empty(), "stdout: {}", text(&out.stdout));
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("pipa: error: "), "{err}");
    assert!(err.contains(needle), "{needle} in {err}");
    assert!(!err.contains("panicked"), "{err}");
}

fn json_of(apk: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let out = ok(&scan(apk, &args));
    serde_json::from_str(&out).expect("scan JSON parses")
}

/// The contract every assessment keeps.
fn check_contract(a: &Value, package: &str) {
    assert_eq!(a["schema"], "pipa.assessment/1");
    assert_eq!(a["tool"]["name"], "pipa");
    assert_eq!(a["input"]["kind"], "apk");
    assert_eq!(a["input"]["sha256"].as_str().map(str::len), Some(64));
    assert_eq!(a["app"]["platform"], "android");
    assert_eq!(a["app"]["id"], package);
    let items = a["items"].as_array().expect("items");
    assert_eq!(items.len(), 31);
    let findings = a["findings"].as_array().expect("findings");
    for item in items {
        assert!(item["id"].as_str().is_some_and(|s| s.starts_with("191-")));
        assert!(item["verdict"].is_string());
        for i in item["findings"].as_array().expect("indices") {
            let i = i.as_u64().expect("index") as usize;
            assert!(i < findings.len(), "finding index {i} in range");
        }
    }
    for f in findings {
        assert!(!f["rule_ids"].as_array().expect("rule_ids").is_empty());
        assert!(f["title"]["zh"].is_string() && f["title"]["en"].is_string());
        assert!(f["remediation"]["zh"].is_string());
        assert!(f["evidence"].is_array());
    }
    for key in ["permissions", "api_uses", "anomalies"] {
        assert!(a[key].is_array(), "{key}");
    }
    assert!(a["timings"]["total_ms"].is_number());
}

fn item_ids(a: &Value) -> Vec<String> {
    a["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["id"].as_str().map(str::to_string))
        .collect()
}

/// Full names of the permissions findings cite as manifest evidence.
fn permissions_in_evidence(a: &Value) -> Vec<String> {
    let mut v = Vec::new();
    for f in a["findings"].as_array().expect("findings") {
        for e in f["evidence"].as_array().expect("evidence") {
            if e["kind"] == "manifest"
                && e["element"]
                    .as_str()
                    .is_some_and(|s| s.starts_with("uses-permission"))
                && let Some(n) = e["name"].as_str()
            {
                v.push(n.to_string());
            }
        }
    }
    v
}

#[test]
fn settings_json_contract_and_known_permissions() {
    let Some(apk) = fixture(SETTINGS) else { return };
    let a = json_of(&apk, &[]);
    check_contract(&a, "io.appium.settings");
    let cited = permissions_in_evidence(&a);
    for p in [
        "READ_SMS",
        "RECORD_AUDIO",
        "READ_PHONE_STATE",
        "ACCESS_BACKGROUND_LOCATION",
    ] {
        let full = format!("android.permission.{p}");
        assert!(
            cited.contains(&full),
            "{full} in findings' evidence: {cited:?}"
        );
    }
    // Call sites are evidence too, with the smali caller and a dex name.
    let code = a["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .flat_map(|f| f["evidence"].as_array().cloned().unwrap_or_default())
        .find(|e| e["kind"] == "code")
        .expect("some call-site evidence");
    assert!(code["caller"].as_str().is_some_and(|c| c.contains(";->")));
    assert!(code["dex"].as_str().is_some_and(|d| d.ends_with(".dex")));
}

#[test]
fn settings_text_report() {
    let Some(apk) = fixture(SETTINGS) else { return };
    let a = json_of(&apk, &[]);
    let out = ok(&scan(&apk, &[]));
    assert!(
        !out.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
    assert!(out.contains("io.appium.settings"));
    assert!(out.contains("31 项结论 Items"), "{out}");
    // The short form: an item is a row, or (manual, nothing found) an id
    // in the one line of quiet items.
    let quiet = out
        .lines()
        .find(|l| l.contains("manual items with no finding"))
        .unwrap_or("");
    for id in item_ids(&a) {
        assert!(
            out.lines()
                .any(|l| l.trim_start().starts_with(&format!("{id} ")))
                || quiet.split_whitespace().any(|w| w == id),
            "row {id}:\n{out}"
        );
    }
    assert!(out.contains("风险 risk"));
    assert!(out.contains("需人工确认 manual"));
    assert!(out.contains("加 --details"), "{out}");
    assert!(!out.contains("整改 How to fix:"), "{out}");

    // The long form: every item a row, each finding with evidence and fix.
    let out = ok(&scan(&apk, &["--details"]));
    for id in item_ids(&a) {
        assert!(
            out.lines()
                .any(|l| l.trim_start().starts_with(&format!("{id} "))),
            "row {id}:\n{out}"
        );
    }
    assert!(out.contains("证据 Evidence:"));
    assert!(out.contains("整改 How to fix:"));
    assert!(
        out.contains("<uses-permission android.permission.READ_SMS"),
        "{out}"
    );
    // A call site: `Lcom/x/Y;->m()V @0x12 (classes.dex)`.
    assert!(
        out.lines()
            .any(|l| l.contains(";->") && l.contains(" @0x") && l.contains(".dex)")),
        "call-site evidence line:\n{out}"
    );

    let en = ok(&scan(&apk, &["--lang", "en"]));
    assert!(en.contains("Items") && en.contains("risk"));
    assert!(!en.contains("风险"), "English only:\n{en}");
}

#[test]
fn settings_markdown_report() {
    let Some(apk) = fixture(SETTINGS) else { return };
    let a = json_of(&apk, &[]);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("report.md");
    let out = scan(
        &apk,
        &["--format", "md", "-o", path.to_str().expect("utf-8")],
    );
    assert!(ok(&out).is_empty(), "-o leaves stdout empty");
    let md = std::fs::read_to_string(&path).expect("report written");
    assert!(md.starts_with("# App 个人信息保护合规评估报告"));
    for h in [
        "## 概要 Summary",
        "## 31 项认定结果",
        "## 发现与整改 Findings and remediation",
        "## 安装包异常 Package anomalies",
        "## 附录 A 发现详情：说明、证据与整改",
        "## 附录 D 法律依据 Appendix D. Legal basis",
    ] {
        assert!(md.contains(h), "{h}");
    }
    // Every item's row carries its legal text from the knowledge base.
    let kb = pipa_kb::Kb::embedded();
    for id in item_ids(&a) {
        let row = md
            .lines()
            .find(|l| l.starts_with(&format!("| {id} |")))
            .unwrap_or_else(|| panic!("row {id}"));
        let rule = kb.rule(&id).expect("item in kb");
        assert!(row.contains(rule.text_zh.trim()), "{row}");
    }
    assert!(md.contains("`<uses-permission android.permission.RECORD_AUDIO"));
    assert!(md.contains("App违法违规收集使用个人信息行为认定方法"));

    let en = ok(&scan(&apk, &["--format", "md", "--lang", "en"]));
    assert!(en.starts_with("# Personal-information compliance assessment"));
    assert!(en.contains("## Appendix D. Legal basis"));
}

#[test]
fn settings_fail_on_and_timings() {
    let Some(apk) = fixture(SETTINGS) else { return };
    let a = json_of(&apk, &[]);
    let risky = scan(&apk, &["--fail-on", "risk"]);
    assert_eq!(risky.status.code(), Some(1), "io.appium.settings has risks");
    assert!(!risky.stdout.is_empty(), "the report is still printed");
    let any_violation = a["items"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(a["findings"].as_array().into_iter().flatten())
        .any(|x| x["verdict"] == "violation");
    let v = scan(&apk, &["--fail-on", "violation", "--format", "json"]);
    assert_eq!(v.status.code(), Some(if any_violation { 1 } else { 0 }));
    assert_eq!(scan(&apk, &["--format", "json"]).status.code(), Some(0));

    let t = json_of(&apk, &["--timings"]);
    let stages: Vec<&str> = t["timings"]["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .filter_map(|s| s["stage"].as_str())
        .collect();
    for s in ["read", "zip+manifest", "dex-index", "assess"] {
        assert!(stages.contains(&s), "{s} in {stages:?}");
    }
    assert!(t["timings"]["total_ms"].as_f64().is_some_and(|ms| ms > 0.0));
    let out = scan(&apk, &["--timings"]);
    let err = text(&out.stderr);
    assert!(err.lines().any(|l| l.starts_with("assess ")), "{err}");
}

#[test]
fn apidemos_all_formats() {
    let Some(apk) = fixture(APIDEMOS) else { return };
    let a = json_of(&apk, &[]);
    check_contract(&a, "io.appium.android.apis");
    let out = ok(&scan(&apk, &[]));
    for id in item_ids(&a) {
        assert!(out.contains(&id), "{id}");
    }
    let md = ok(&scan(&apk, &["--format", "md"]));
    assert_eq!(
        md.lines().filter(|l| l.starts_with("| 191-")).count(),
        31,
        "31 rows in the items table"
    );
}

#[test]
fn scan_errors_are_one_line_with_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let not_zip = dir.path().join("not-a-zip.apk");
    std::fs::write(&not_zip, b"hello, not an apk").expect("write");
    one_line_error(&scan(&not_zip, &[]), "not-a-zip.apk: ");
    let missing = dir.path().join("missing.apk");
    one_line_error(
        &scan(&missing, &["--format", "json"]),
        "missing.apk: cannot read",
    );

    // Usage errors exit 2 as well (clap's message, on stderr).
    for args in [
        vec!["scan"],
        vec!["scan", "x.apk", "--format", "pdf"],
        vec!["scan", "x.apk", "--fail-on", "manual"],
        vec!["scan", "x.apk", "--bogus"],
        vec!["explain"],
        vec!["kb", "trackers"],
        vec!["frobnicate"],
    ] {
        let out = pipa(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(text(&out.stderr).contains("error"), "{args:?}");
    }
    let help = pipa(&["scan", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(text(&help.stdout).contains("--fail-on"));
}

#[test]
fn explain_prints_the_verbatim_text() {
    let out = ok(&pipa(&["explain", "191-3.1"]));
    assert!(out.starts_with("191-3.1 "), "{out}");
    assert!(
        out.contains("征得用户同意前就开始收集个人信息或打开可收集个人信息的权限"),
        "{out}"
    );
    let rule = pipa_kb::Kb::embedded().rule("191-3.1").expect("191-3.1");
    assert!(out.contains(rule.text_zh.trim()));
    assert!(out.contains("原文 verbatim"), "verbatim marker: {out}");
    assert!(
        out.contains("App违法违规收集使用个人信息行为认定方法"),
        "source"
    );
    assert!(out.contains("What pipa checks"));
    assert!(out.contains("What a person must check"));
    assert!(out.contains("How to fix"));

    // `3.1` is 191's; case does not matter for other documents.
    assert_eq!(ok(&pipa(&["explain", "3.1"])), out);
    let en = ok(&pipa(&["explain", "191-3.1", "--lang", "en"]));
    assert!(!en.contains("征得用户同意前"), "{en}");

    let unknown = pipa(&["explain", "191-3.99"]);
    one_line_error(&unknown, "191-3.99: unknown rule id");
    assert!(text(&unknown.stderr).contains("did you mean 191-3."));
}

#[test]
fn kb_browsing() {
    let kb = pipa_kb::Kb::embedded();
    let out = ok(&pipa(&["kb", "apis", "--format", "json"]));
    let v: Value = serde_json::from_str(&out).expect("kb apis JSON parses");
    let apis = v.as_array().expect("array");
    assert_eq!(apis.len(), kb.apis.len());
    assert!(
        apis.iter()
            .all(|a| a["id"].is_string() && a["pi_type"].is_string())
    );

    let sms = ok(&pipa(&["kb", "permissions", "--filter", "read_sms"]));
    assert!(
        sms.lines()
            .any(|l| l.starts_with("android.permission.READ_SMS ")),
        "{sms}"
    );

    let rules = ok(&pipa(&["kb", "rules"]));
    for r in kb.rules_of("191") {
        assert!(
            rules.lines().any(|l| l.starts_with(&format!("{} ", r.id))),
            "{}",
            r.id
        );
    }
    let pi: Value = serde_json::from_str(&ok(&pipa(&[
        "kb", "pi-types", "--format", "json", "--filter", "location",
    ])))
    .expect("pi-types JSON");
    assert!(
        pi.as_array()
            .is_some_and(|a| a.iter().any(|t| t["id"] == "location"))
    );
    let none = ok(&pipa(&[
        "kb",
        "apis",
        "--filter",
        "no-such-thing-xyz",
        "--lang",
        "en",
    ]));
    assert_eq!(none.trim(), "0 entries");
}
