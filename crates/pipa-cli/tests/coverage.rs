//! Coverage of the assessment, end to end on a real package and hostile
//! variants of it (`pipa_testkit::rewrite_zip`): a dex that cannot be read,
//! and dex files with 200 flipped bytes each. The damaged packages must say
//! they are incomplete in every format (text, Markdown, HTML, SARIF, XLSX,
//! JSON), conclude no `pass`, and exit 3 with one warning line on stderr;
//! the intact one reads 100% of its code (class counts checked against
//! `dexdump -f` when installed), shows no banner and exits 0. `pipa diff`
//! with a damaged version says so first in every format (text, Markdown,
//! JSON), warns that what disappeared may be unread code, and exits 3.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use common::pipa;
use pipa_testkit::{Prng, fixture, have_tool, rewrite_zip, unzip_entry};
use serde_json::Value;
use std::io::Cursor;
use std::path::Path;
use std::process::Output;

const APK: &str = "appium-settings-8.0.10.apk";

fn scan(apk: &Path, format: &str, lang: &str) -> Output {
    let mut args = vec![
        "scan".to_string(),
        apk.display().to_string(),
        "--format".into(),
        format.into(),
        "--lang".into(),
        lang.into(),
    ];
    if format == "xlsx" {
        args.push("-o".into());
        args.push(apk.with_extension("xlsx").display().to_string());
    }
    pipa(&args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn summary_rows(apk: &Path) -> Vec<String> {
    let bytes = std::fs::read(apk.with_extension("xlsx")).expect("workbook written");
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("calamine reads it");
    wb.worksheet_range("概要 Summary")
        .expect("summary sheet")
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect()
}

/// Every format of a damaged package says it is incomplete, first.
fn assert_incomplete(apk: &Path) {
    let o = scan(apk, "json", "both");
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "one warning line: {err}");
    assert!(
        err.starts_with("pipa: warning: ") && err.contains("incomplete assessment"),
        "{err}"
    );
    let a: Value = serde_json::from_slice(&o.stdout).expect("json");
    let c = &a["coverage"];
    assert_eq!(c["incomplete"], true, "{c}");
    assert!(!c["unread"].as_array().expect("unread").is_empty());
    for key in ["items", "findings"] {
        for x in a[key].as_array().expect("array") {
            assert_ne!(x["verdict"], "pass", "{key}: {}", x["id"]);
        }
    }
    assert!(
        a["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["id"] == "code.unreadable" && f["severity"] == "high"),
        "code.unreadable finding"
    );

    let text = stdout(&scan(apk, "text", "both"));
    assert!(
        text.lines()
            .next()
            .unwrap_or("")
            .contains("评估不完整 INCOMPLETE"),
        "first line of the text report: {}",
        text.lines().next().unwrap_or("")
    );
    assert!(text.contains("代码覆盖 Coverage"), "coverage line");
    let en = stdout(&scan(apk, "text", "en"));
    assert!(
        en.starts_with("!! INCOMPLETE: only "),
        "{}",
        &en[..80.min(en.len())]
    );

    let md = stdout(&scan(apk, "md", "both"));
    let head: String = md.lines().take(6).collect::<Vec<_>>().join("\n");
    assert!(head.contains("**评估不完整 INCOMPLETE"), "{head}");
    assert!(head.contains("不能支持的结论"), "{head}");

    let html = stdout(&scan(apk, "html", "both"));
    let banner = html.find("class=\"incomplete\"").expect("html banner");
    let summary = html.find("id=\"summary\"").expect("summary section");
    assert!(banner < summary, "the banner comes before the summary");

    let sarif: Value = serde_json::from_slice(&scan(apk, "sarif", "both").stdout).expect("sarif");
    let run = &sarif["runs"][0];
    assert_eq!(run["properties"]["incomplete"], true);
    assert_eq!(
        run["invocations"][0]["toolExecutionNotifications"][0]["descriptor"]["id"],
        "pipa.incomplete"
    );

    let o = scan(apk, "xlsx", "both");
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let rows = summary_rows(apk);
    assert!(
        rows.get(1)
            .is_some_and(|r| r.starts_with("评估不完整 INCOMPLETE")),
        "first row after the header: {rows:?}"
    );
}

/// `src` with its `classes.dex` (96% of the code) made no dex (its magic
/// overwritten), as `unreadable.apk` in `dir`.
fn unreadable_variant(src: &Path, dir: &Path) -> std::path::PathBuf {
    let unreadable = dir.join("unreadable.apk");
    rewrite_zip(src, &unreadable, |name, mut d| {
        if name == "classes.dex" {
            d[..3].copy_from_slice(b"XXX");
        }
        d
    })
    .expect("rewrite");
    unreadable
}

#[test]
fn damaged_dex_files_make_an_incomplete_assessment_in_every_format() {
    let Some(src) = fixture(APK) else { return };
    let dir = tempfile::tempdir().expect("tempdir");

    // classes.dex (96% of the code) is no dex any more.
    let unreadable = unreadable_variant(&src, dir.path());
    assert_incomplete(&unreadable);
    let a: Value = serde_json::from_slice(&scan(&unreadable, "json", "en").stdout).expect("json");
    let c = &a["coverage"];
    assert_eq!(
        c["dex_read"].as_u64(),
        Some(c["dex_files"].as_u64().expect("n") - 1)
    );
    assert!(c["ratio"].as_f64().expect("ratio") < 0.1, "{c}");
    assert_eq!(c["unread"][0]["what"], "classes.dex");
    assert!(
        c["unread"][0]["why"]
            .as_str()
            .expect("why")
            .contains("magic")
    );

    // 200 bytes flipped in the second half of every dex: checksums fail,
    // some class data and code items become unreadable.
    let flipped = dir.path().join("flipped.apk");
    let mut rng = Prng::new(0x5eed_c0de);
    rewrite_zip(&src, &flipped, |name, mut d| {
        if name.ends_with(".dex") && d.len() > 0x1000 {
            for _ in 0..200 {
                let at = d.len() / 2 + rng.below(d.len() / 2);
                d[at] = [0xff, 0, 0x80][rng.below(3)];
            }
        }
        d
    })
    .expect("rewrite");
    assert_incomplete(&flipped);
    let a: Value = serde_json::from_slice(&scan(&flipped, "json", "en").stdout).expect("json");
    assert!(a["coverage"]["damaged_dex"].as_u64().expect("damaged") > 0);
}

#[test]
fn an_intact_package_is_read_in_full_and_shows_no_banner() {
    let Some(src) = fixture(APK) else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let apk = dir.path().join("intact.apk");
    std::fs::copy(&src, &apk).expect("copy");
    let o = scan(&apk, "json", "both");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    let a: Value = serde_json::from_slice(&o.stdout).expect("json");
    let c = &a["coverage"];
    assert_eq!(c["ratio"].as_f64(), Some(1.0), "{c}");
    assert_eq!(c["incomplete"], false);
    assert_eq!(c["dex_files"], c["dex_read"]);
    assert_eq!(c["classes"], c["classes_read"]);
    assert_eq!(c["methods"], c["methods_read"]);
    assert!(c["unread"].as_array().expect("unread").is_empty());
    assert!(
        a["findings"]
            .as_array()
            .expect("f")
            .iter()
            .any(|f| f["verdict"] == "pass"),
        "the intact package has a pass the damaged ones must withhold"
    );
    // Class definitions against dexdump's reading of each dex header.
    if have_tool("dexdump") {
        let mut total = 0u64;
        let names = pipa_testkit::zip_entry_names(&apk).expect("names");
        for n in names
            .iter()
            .filter(|n| n.starts_with("classes") && n.ends_with(".dex"))
        {
            let bytes = unzip_entry(&apk, n).expect("unzip").expect("entry");
            let p = dir.path().join(n);
            std::fs::write(&p, bytes).expect("write");
            let out = pipa_testkit::run_ok(std::process::Command::new("dexdump").arg("-f").arg(&p));
            let line = out
                .lines()
                .find(|l| l.trim_start().starts_with("class_defs_size"))
                .expect("class_defs_size");
            total += line
                .rsplit(':')
                .next()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .expect("number");
        }
        assert_eq!(
            c["classes"].as_u64(),
            Some(total),
            "dexdump class_defs_size"
        );
    } else {
        eprintln!("notice: dexdump not installed; class counts not checked against it");
    }
    for (format, banner) in [
        ("text", "评估不完整"),
        ("md", "评估不完整"),
        ("html", "class=\"incomplete\""),
    ] {
        let out = stdout(&scan(&apk, format, "both"));
        assert!(!out.contains(banner), "{format}: no banner");
        assert!(out.contains("100%"), "{format}: coverage 100%");
    }
    let o = scan(&apk, "xlsx", "both");
    assert_eq!(o.status.code(), Some(0));
    let rows = summary_rows(&apk);
    assert!(rows.iter().all(|r| !r.contains("INCOMPLETE")));
    assert!(
        rows.iter()
            .any(|r| r.starts_with("代码覆盖 Coverage | 100%")),
        "{rows:?}"
    );
}

fn diff(old: &Path, new: &Path, format: &str, lang: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "diff".to_string(),
        old.display().to_string(),
        new.display().to_string(),
        "--format".into(),
        format.into(),
        "--lang".into(),
        lang.into(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    pipa(&args)
}

#[test]
fn a_diff_with_a_damaged_version_says_so_first_and_exits_3() {
    let Some(src) = fixture(APK) else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let damaged = unreadable_variant(&src, dir.path());

    // Intact against itself: complete, exit 0, no banner.
    let o = diff(&src, &src, "json", "both", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let d: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert!(d["incomplete"].is_null(), "{}", d["incomplete"]);
    assert!(!stdout(&diff(&src, &src, "text", "both", &[])).contains("INCOMPLETE"));

    // Intact → damaged: findings disappear, and the diff says they may only
    // be unread code, first, in every format.
    let o = diff(&src, &damaged, "json", "both", &[]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(
        err.lines().count(),
        1,
        "one warning, for the new version: {err}"
    );
    assert!(
        err.starts_with(&format!(
            "pipa: warning: {}: incomplete assessment",
            damaged.display()
        )),
        "{err}"
    );
    let json = stdout(&o);
    let d: Value = serde_json::from_str(&json).expect("json");
    assert_eq!(d["incomplete"]["new"], true, "{}", d["incomplete"]);
    assert_eq!(d["incomplete"]["old"], false);
    assert!(
        d["incomplete"]["message"]["en"]
            .as_str()
            .expect("message")
            .contains(
                "“disappeared” (-) may only be in the new version's code that could not be read"
            ),
        "{}",
        d["incomplete"]["message"]
    );
    assert_eq!(d["new"]["coverage"]["incomplete"], true);
    assert_eq!(d["old"]["coverage"]["incomplete"], false);
    assert!(
        !d["findings"]["removed"]
            .as_array()
            .expect("removed")
            .is_empty()
            || d["summary"]["pi_types_removed"].as_u64() > Some(0),
        "the damaged version lost what the banner warns about: {}",
        d["summary"]
    );
    let head: String = json.lines().take(8).collect::<Vec<_>>().join("\n");
    assert!(head.contains("\"incomplete\": {"), "{head}");

    let text = stdout(&diff(&src, &damaged, "text", "both", &[]));
    let first = text.lines().next().unwrap_or("");
    assert!(
        first.starts_with("!! 评估不完整 INCOMPLETE：新版本只读取了安装包 "),
        "{first}"
    );
    assert!(
        first.contains("“消失”") && first.contains("disappeared"),
        "{first}"
    );
    assert!(
        text.lines().nth(1).unwrap_or("").contains("classes.dex"),
        "second line names what was not read: {text}"
    );
    let en = stdout(&diff(&src, &damaged, "text", "en", &[]));
    assert!(
        en.starts_with("!! INCOMPLETE: The new version: only "),
        "{en}"
    );
    assert!(!en.lines().next().unwrap_or("").contains("消失"));
    let md = stdout(&diff(&src, &damaged, "md", "both", &[]));
    let head: String = md.lines().take(5).collect::<Vec<_>>().join("\n");
    assert!(head.contains("> **评估不完整 INCOMPLETE"), "{head}");

    // Damaged → intact: what appeared may have been unread in the old one.
    let o = diff(&damaged, &src, "text", "en", &[]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let first = stdout(&o).lines().next().unwrap_or("").to_string();
    assert!(
        first.contains("The old version: only ") && first.contains("“appeared” (+)"),
        "{first}"
    );

    // A failing gate takes precedence over 3, as in `pipa scan`: the old
    // version read 4% of its code, so the new one "collects" more.
    let o = diff(
        &damaged,
        &src,
        "json",
        "en",
        &["--fail-on", "new-collection"],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("pipa: --fail-on new-collection: "), "{err}");
    assert!(err.contains("incomplete assessment"), "{err}");
}
