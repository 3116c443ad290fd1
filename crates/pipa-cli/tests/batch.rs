//! End to end: `pipa scan` over several apps — a folder of the registry
//! fixtures with a broken and an empty "APK" among them, a list file —
//! gives one summary row per input (errors as rows, never the end of the
//! batch), each app's report in `--out-dir`, the same rows with `-j 1` and
//! `-j 2`, and the same findings as scanning each app alone. Options that
//! belong to one app are refused. Parts that need a fixture print a notice
//! and pass when it is absent.

mod common;
use common::pipa;

use pipa_testkit::fixture;
use serde_json::Value;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

const APKS: [&str; 3] = [
    "appium-settings-8.0.10.apk",
    "appium-settings-3.6.0.apk",
    "ApiDemos-debug.apk",
];

/// The summary's rows (header first), fields unquoted (every field is
/// quoted, quotes doubled; no field holds a line break here).
fn rows(csv: &str) -> Vec<Vec<String>> {
    csv.split("\r\n")
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut out = Vec::new();
            let mut cur = String::new();
            let mut quoted = false;
            let mut chars = l.chars().peekable();
            while let Some(c) = chars.next() {
                match (c, quoted) {
                    ('"', true) if chars.peek() == Some(&'"') => {
                        cur.push('"');
                        chars.next();
                    }
                    ('"', _) => quoted = !quoted,
                    (',', false) => out.push(std::mem::take(&mut cur)),
                    _ => cur.push(c),
                }
            }
            out.push(cur);
            out
        })
        .collect()
}

fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("column {name} in {header:?}"))
}

/// A folder holding copies of the fixtures, a sub-folder with one more, a
/// broken and an empty `.apk`, and a text file that is not taken.
fn folder(dir: &Path, apks: &[PathBuf]) -> PathBuf {
    let root = dir.join("apps");
    let sub = root.join("more");
    std::fs::create_dir_all(&sub).expect("mkdir");
    for (i, a) in apks.iter().enumerate() {
        let to = if i == 0 { &sub } else { &root };
        std::fs::copy(a, to.join(a.file_name().expect("name"))).expect("copy");
    }
    std::fs::write(root.join("broken.apk"), b"PK\x03\x04 not really a zip").expect("write");
    std::fs::write(root.join("empty.APK"), b"").expect("write");
    std::fs::write(root.join("notes.txt"), b"not an app").expect("write");
    root
}

#[test]
fn a_folder_is_a_batch_with_a_row_per_app_and_errors_as_rows() {
    let apks: Vec<PathBuf> = APKS.iter().filter_map(|n| fixture(n)).collect();
    if apks.len() < APKS.len() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let root = folder(dir.path(), &apks);
    let mut summaries = Vec::new();
    for jobs in ["1", "2"] {
        let out = dir.path().join(format!("out-{jobs}"));
        let o = pipa(&[
            OsString::from("scan"),
            root.clone().into(),
            "--format".into(),
            "json".into(),
            "--out-dir".into(),
            out.clone().into(),
            "-j".into(),
            jobs.into(),
        ]);
        let stdout = String::from_utf8_lossy(&o.stdout);
        // Two inputs cannot be assessed: exit 2, after the whole batch.
        assert_eq!(
            o.status.code(),
            Some(2),
            "{stdout}{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(stdout.contains("错误 errors 2"), "{stdout}");
        let csv = std::fs::read_to_string(out.join("summary.csv")).expect("summary.csv");
        let r = rows(&csv);
        let h = &r[0];
        // 3 apps + broken.apk + empty.APK; notes.txt is not an input.
        assert_eq!(r.len(), 1 + 5, "{csv}");
        let (file, err, pkg, report, risks, sha) = (
            col(h, "file"),
            col(h, "error"),
            col(h, "package"),
            col(h, "report"),
            col(h, "risks"),
            col(h, "sha256"),
        );
        for row in &r[1..] {
            assert_eq!(row.len(), h.len(), "{row:?}");
            let name = Path::new(&row[file])
                .file_name()
                .unwrap()
                .to_string_lossy()
                .to_string();
            if name == "broken.apk" || name == "empty.APK" {
                assert!(
                    row[err].contains(&name) && row[pkg].is_empty() && row[risks].is_empty(),
                    "{row:?}"
                );
                continue;
            }
            assert!(row[err].is_empty(), "{row:?}");
            // The app's report, and the same findings as the app alone.
            let rep: Value = serde_json::from_str(
                &std::fs::read_to_string(&row[report]).expect("the app's report"),
            )
            .expect("JSON report");
            assert_eq!(rep["app"]["id"], row[pkg].as_str(), "{row:?}");
            assert_eq!(rep["input"]["sha256"], row[sha].as_str());
            let expect = format!(
                "{}-{}-{}.json",
                row[pkg],
                rep["app"]["version_code"].as_i64().unwrap_or(0),
                &row[sha][..8]
            );
            assert!(
                row[report].ends_with(&expect),
                "{} vs {expect}",
                row[report]
            );
            let alone = pipa(&[
                OsString::from("scan"),
                PathBuf::from(&row[file]).into(),
                "--format".into(),
                "json".into(),
            ]);
            let alone: Value = serde_json::from_slice(&alone.stdout).expect("JSON");
            let ids = |v: &Value| -> Vec<String> {
                v["findings"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|f| format!("{} {}", f["ref"], f["verdict"]))
                    .collect()
            };
            assert_eq!(ids(&rep), ids(&alone), "{name}");
            let n_risk = alone["findings"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|f| f["verdict"] == "risk")
                .count();
            assert_eq!(row[risks], n_risk.to_string(), "{name}");
        }
        // The run's time is the only thing -j changes.
        summaries.push(csv);
    }
    // --resume: the apps the summary holds are not assessed again (same
    // rows); the errors are tried again; an app whose report is gone is
    // assessed again.
    let out = dir.path().join("out-1");
    let first = std::fs::read_to_string(out.join("summary.csv")).expect("summary");
    let gone = rows(&first)[1..]
        .iter()
        .find(|r| r.last().is_some_and(String::is_empty))
        .map(|r| r[rows(&first)[0].iter().position(|h| h == "report").unwrap()].clone())
        .expect("an app's report");
    std::fs::remove_file(&gone).expect("remove a report");
    let o = pipa(&[
        OsString::from("scan"),
        root.clone().into(),
        "--format".into(),
        "json".into(),
        "--out-dir".into(),
        out.clone().into(),
        "--resume".into(),
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(2), "{stdout}");
    assert!(
        stdout.contains("5 个应用 apps: 已评估 assessed 1, 错误 errors 2, 沿用上次结果 resumed 2"),
        "{stdout}"
    );
    assert!(
        Path::new(&gone).is_file(),
        "the missing report is written again"
    );
    let again = std::fs::read_to_string(out.join("summary.csv")).expect("summary");
    assert_eq!(again, first, "the same rows, resumed or assessed again");
    // --resume needs --out-dir.
    let o = pipa(&[OsString::from("scan"), root.into(), "--resume".into()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        summaries[0].replace("out-1", "out-N"),
        summaries[1].replace("out-2", "out-N")
    );
}

#[test]
fn a_list_file_and_several_paths() {
    let apks: Vec<PathBuf> = APKS.iter().filter_map(|n| fixture(n)).collect();
    if apks.len() < 2 {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let list = dir.path().join("list.txt");
    std::fs::write(
        &list,
        format!(
            "# apps to review\n{}\n\n{}\nmissing.apk\n",
            apks[0].display(),
            apks[1].display()
        ),
    )
    .expect("write");
    let o = pipa(&[
        OsString::from("scan"),
        format!("@{}", list.display()).into(),
        apks[0].clone().into(),
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    // The duplicate is taken once; the missing file is a row, and the
    // batch exits 2.
    assert_eq!(o.status.code(), Some(2), "{stdout}");
    assert!(
        stdout.contains("3 个应用 apps: 已评估 assessed 2, 错误 errors 1"),
        "{stdout}"
    );
    assert!(
        stdout.contains("missing.apk") && stdout.contains("cannot read"),
        "{stdout}"
    );
}

#[test]
fn options_of_one_app_are_refused_in_a_batch() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (opt, val) in [
        ("--policy", "p.html"),
        ("--category", "1"),
        ("--answers", "a.toml"),
        ("-o", "r.json"),
    ] {
        let o = pipa(&[
            OsString::from("scan"),
            dir.path().join("a.apk").into(),
            dir.path().join("b.apk").into(),
            opt.into(),
            val.into(),
        ]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{opt}: {err}");
        assert!(
            err.contains(opt) && err.contains("not with several apps"),
            "{opt}: {err}"
        );
    }
    // An empty folder is an error that names it.
    let empty = dir.path().join("nothing");
    std::fs::create_dir(&empty).expect("mkdir");
    let o = pipa(&[OsString::from("scan"), empty.clone().into()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("nothing") && err.contains("no .apk file"),
        "{err}"
    );
}
