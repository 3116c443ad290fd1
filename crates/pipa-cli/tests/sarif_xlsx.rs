//! End to end: `pipa scan --format sarif` and `--format xlsx` on the real
//! registry APKs (`scripts/fetch-fixtures.sh`), checked against what
//! `--format json` says about the same APK: the SARIF log validated against
//! the official SARIF 2.1.0 schema (fetched by the same script) with one
//! result per finding to act on; the workbook read back with calamine (an
//! independent reader) with one row per finding, API call site, permission
//! and SDK. Parts whose fixtures are absent print a notice and pass.

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use pipa_testkit::fixture;
use serde_json::Value;
use std::io::Cursor;
use std::path::Path;
use std::process::{Command, Output};

const APKS: [&str; 3] = [
    "appium-settings-8.0.10.apk",
    "ApiDemos-debug.apk",
    "appium-uiautomator2-server-10.6.6.apk",
];

fn scan(apk: &Path, extra: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_pipa"))
        .arg("scan")
        .arg(apk)
        .args(extra)
        .output()
        .expect("run pipa");
    assert_eq!(
        out.status.code(),
        Some(0),
        "pipa scan {} {extra:?}: {}",
        apk.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn json(apk: &Path) -> Value {
    serde_json::from_slice(&scan(apk, &["--format", "json"]).stdout).expect("JSON")
}

/// The official schema; its `language` pattern has a stray `]` (a literal in
/// ECMA-262, an error in Rust's regexes), escaped here with the same meaning.
fn schema() -> Option<jsonschema::Validator> {
    let text = std::fs::read_to_string(fixture("sarif-schema-2.1.0.json")?).ok()?;
    let v: Value = serde_json::from_str(&text.replace("{2}]?$", "{2}\\\\]?$")).ok()?;
    Some(
        jsonschema::options()
            .should_validate_formats(true)
            .build(&v)
            .expect("the schema compiles"),
    )
}

#[test]
fn sarif_of_registry_apks_is_valid_and_complete() {
    let Some(schema) = schema() else { return };
    for name in APKS {
        let Some(apk) = fixture(name) else { continue };
        let a = json(&apk);
        let findings = a["findings"].as_array().expect("findings");
        let to_act: Vec<&Value> = findings
            .iter()
            .filter(|f| !matches!(f["verdict"].as_str(), Some("pass" | "not_applicable")))
            .collect();
        for lang in ["zh", "en"] {
            let out = scan(&apk, &["--format", "sarif", "--lang", lang]);
            let log: Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
            let errors: Vec<String> = schema
                .iter_errors(&log)
                .take(10)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{name} ({lang}): {errors:#?}");
            let run = &log["runs"][0];
            let results = run["results"].as_array().expect("results");
            assert_eq!(
                results.len(),
                to_act.len(),
                "{name}: one result per finding to act on"
            );
            let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
            for r in results {
                let i = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
                assert_eq!(rules[i]["id"], r["ruleId"], "{name}");
                let f = to_act
                    .iter()
                    .find(|f| f["id"] == r["ruleId"])
                    .expect("a finding of that id");
                let want = match f["verdict"].as_str() {
                    Some("violation") => "error",
                    Some("risk") => "warning",
                    _ => "none",
                };
                assert_eq!(r["level"], want, "{name} {}", f["id"]);
                assert!(!r["locations"].as_array().expect("locations").is_empty());
                assert_eq!(r["properties"]["findingId"], f["ref"], "{name}: one id");
            }
            // call sites point at their dex file inside the package
            let code = results
                .iter()
                .flat_map(|r| r["locations"].as_array().into_iter().flatten())
                .find(|l| l["logicalLocations"][0]["kind"] == "function")
                .expect("some call site");
            let art = &code["physicalLocation"]["artifactLocation"];
            assert_eq!(art["uriBaseId"], "APK");
            assert!(art["uri"].as_str().expect("uri").ends_with(".dex"), "{art}");
            let pkg = &run["artifacts"][0];
            assert_eq!(pkg["hashes"]["sha-256"], a["input"]["sha256"]);
        }
    }
}

/// The corpus app the issue-16 tester used (Umeng, Bugly, QQ): its log had
/// duplicate `logicalLocations` items, which the schema forbids.
#[test]
fn sarif_of_the_corpus_app_is_valid() {
    let apk = pipa_testkit::corpus_dir().join("AndroidProject-2019-09-09-8d44588c.apk");
    if !apk.is_file() {
        eprintln!(
            "notice: {} absent; corpus SARIF check skipped",
            apk.display()
        );
        return;
    }
    let Some(schema) = schema() else { return };
    for lang in ["zh", "en"] {
        let out = scan(&apk, &["--format", "sarif", "--lang", lang]);
        let log: Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
        let errors: Vec<String> = schema
            .iter_errors(&log)
            .take(10)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "({lang}): {errors:#?}");
    }
}

fn workbook(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes)).expect("calamine reads the workbook")
}

fn rows(wb: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> Vec<Vec<Data>> {
    wb.worksheet_range(sheet)
        .unwrap_or_else(|e| panic!("sheet {sheet}: {e}"))
        .rows()
        .map(<[Data]>::to_vec)
        .collect()
}

fn count(a: &Value, key: &str) -> usize {
    a[key].as_array().map_or(0, Vec::len)
}

#[test]
fn xlsx_of_registry_apks_matches_the_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in APKS {
        let Some(apk) = fixture(name) else { continue };
        let a = json(&apk);
        let path = dir.path().join(format!("{name}.xlsx"));
        let out = scan(
            &apk,
            &["--format", "xlsx", "-o", path.to_str().expect("utf-8")],
        );
        assert!(out.stdout.is_empty(), "-o: nothing on standard output");
        let bytes = std::fs::read(&path).expect("the workbook was written");
        let mut wb = workbook(bytes.clone());
        assert_eq!(
            wb.sheet_names(),
            [
                "概要 Summary",
                "条款 Items",
                "发现 Findings",
                "SDK SDKs",
                "API APIs",
                "权限 Permissions"
            ]
        );
        for (sheet, key) in [
            ("条款 Items", "items"),
            ("发现 Findings", "findings"),
            ("SDK SDKs", "sdks"),
            ("API APIs", "api_uses"),
            ("权限 Permissions", "permissions"),
        ] {
            let r = rows(&mut wb, sheet);
            assert_eq!(r.len() - 1, count(&a, key), "{name}: {sheet}");
        }
        let findings = rows(&mut wb, "发现 Findings");
        assert_eq!(findings[0][0], Data::String("编号 Id".into()));
        // The same findings, by the short id every format shows (JSON `ref`),
        // worst first by the numeric rank columns.
        let mut refs: Vec<String> = a["findings"]
            .as_array()
            .expect("f")
            .iter()
            .map(|f| f["ref"].as_str().expect("ref").to_string())
            .collect();
        let mut got: Vec<String> = findings[1..].iter().map(|r| r[0].to_string()).collect();
        let ranks: Vec<(f64, f64)> = findings[1..]
            .iter()
            .map(|r| match (&r[3], &r[5]) {
                (Data::Float(v), Data::Float(s)) => (*v, *s),
                other => panic!("{name}: ranks are numbers: {other:?}"),
            })
            .collect();
        assert!(ranks.is_sorted_by(|x, y| x <= y), "{name}: worst first");
        refs.sort();
        got.sort();
        assert_eq!(got, refs, "{name}: finding ids");
        let pkg = a["app"]["id"].as_str().expect("package");
        for sheet in [
            "条款 Items",
            "发现 Findings",
            "SDK SDKs",
            "API APIs",
            "权限 Permissions",
        ] {
            let r = rows(&mut wb, sheet);
            let p = r[0]
                .iter()
                .position(|h| *h == Data::String("应用包名 App package".into()))
                .expect("package column");
            assert!(
                r[1..].iter().all(|row| row[p] == Data::String(pkg.into())),
                "{sheet}"
            );
        }
        let apis = rows(&mut wb, "API APIs");
        let mut sites: Vec<(String, f64)> = apis[1..]
            .iter()
            .map(|row| match &row[6] {
                Data::Float(o) => (row[4].to_string(), *o),
                other => panic!("offset {other:?}"),
            })
            .collect();
        let mut want: Vec<(String, f64)> = a["api_uses"]
            .as_array()
            .expect("apis")
            .iter()
            .map(|u| {
                let caller = u["caller"].as_str().expect("caller").to_string();
                (caller, u["offset"].as_f64().expect("offset"))
            })
            .collect();
        sites.sort_by(|x, y| x.partial_cmp(y).expect("cmp"));
        want.sort_by(|x, y| x.partial_cmp(y).expect("cmp"));
        assert_eq!(sites, want, "{name}: call sites");
        // every sheet filters, and its header row is frozen
        for i in 1..=6 {
            let xml = pipa_testkit::unzip_entry(&path, &format!("xl/worksheets/sheet{i}.xml"))
                .expect("readable")
                .expect("sheet part");
            let xml = String::from_utf8(xml).expect("utf-8");
            assert!(xml.contains("<autoFilter ref=\"A1:"), "{name} sheet{i}");
            assert!(xml.contains("state=\"frozen\""), "{name} sheet{i}");
        }
        // the same bytes through a pipe
        let piped = scan(&apk, &["--format", "xlsx", "--lang", "en"]);
        let mut wb = workbook(piped.stdout);
        assert_eq!(rows(&mut wb, "Findings").len() - 1, count(&a, "findings"));
        // and a second reader, when Python's openpyxl is installed
        openpyxl(&path, &a);
    }
}

/// Sheet row counts by openpyxl, when it is installed (else a notice).
fn openpyxl(path: &Path, a: &Value) {
    let script = "import sys, openpyxl\n\
        wb = openpyxl.load_workbook(sys.argv[1], read_only=True)\n\
        print(' '.join(str(ws.max_row - 1) for ws in wb.worksheets))";
    // The Python on PATH, or Debian's (python3-openpyxl).
    let Some(out) = ["python3", "/usr/bin/python3"]
        .iter()
        .filter_map(|py| {
            Command::new(py)
                .args(["-c", script])
                .arg(path)
                .output()
                .ok()
        })
        .find(|o| o.status.success())
    else {
        eprintln!("notice: no Python with openpyxl; its check skipped");
        return;
    };
    let got = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let want = format!(
        "{} {} {} {} {}",
        count(a, "items"),
        count(a, "findings"),
        count(a, "sdks"),
        count(a, "api_uses"),
        count(a, "permissions")
    );
    assert!(got.ends_with(&want), "openpyxl: {got}, want … {want}");
}
