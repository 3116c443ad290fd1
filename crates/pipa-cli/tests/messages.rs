//! The one-line errors a newcomer meets first: an empty file, an Android
//! library (AAR) given as an app, a rule id one keystroke off.

mod common;

use common::pipa;
use std::io::Write;

fn error_of(args: &[&str]) -> String {
    let o = pipa(args);
    assert_eq!(o.status.code(), Some(2), "{args:?}");
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("pipa: error: "), "{err}");
    err
}

#[test]
fn an_empty_file_is_called_empty() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("empty.apk");
    std::fs::write(&f, b"").expect("write");
    let err = error_of(&["scan", f.to_str().expect("utf-8")]);
    assert!(err.contains("empty.apk: empty file (0 bytes)"), "{err}");
}

#[test]
fn an_aar_is_named_a_library() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("lib.aar");
    let mut z = zip_writer(&f);
    for (name, data) in [
        ("AndroidManifest.xml", &b"<manifest package=\"x.y\"/>"[..]),
        (
            "classes.jar",
            &b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"[..],
        ),
    ] {
        z.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("entry");
        z.write_all(data).expect("write");
    }
    z.finish().expect("finish");
    let err = error_of(&["scan", f.to_str().expect("utf-8")]);
    assert!(err.contains("an Android library (AAR"), "{err}");
}

fn zip_writer(p: &std::path::Path) -> zip::ZipWriter<std::fs::File> {
    zip::ZipWriter::new(std::fs::File::create(p).expect("create"))
}

#[test]
fn explain_suggests_the_item_one_keystroke_away() {
    let err = error_of(&["explain", "3.11"]);
    assert!(
        err.contains("did you mean") && err.contains("191-3.1"),
        "{err}"
    );
}

/// `1 classes`, `1 services return`, `1 more components`: a count of one
/// with a plural noun, found anywhere in `text` (not `0.1 files`, `21 files`).
fn one_with_plural(text: &str) -> Vec<String> {
    const NOUNS: [&str; 13] = [
        "call sites",
        "evidence entries",
        "findings",
        "classes",
        "services",
        "receivers",
        "packages",
        "methods",
        "files",
        "components",
        "chains",
        "calls",
        "items need",
    ];
    let mut hits = Vec::new();
    for line in text.lines() {
        // `1 more files not listed` counts too.
        let line = line.replace(" more ", " ");
        for noun in NOUNS {
            for (at, _) in line.match_indices(&format!("1 {noun}")) {
                let before = line[..at].chars().next_back();
                let after = line[at + 2 + noun.len()..].chars().next();
                if !before.is_some_and(|c| c.is_ascii_digit() || c == '.' || c == ',')
                    && !after.is_some_and(|c| c.is_alphanumeric())
                {
                    hits.push(line.chars().take(160).collect());
                }
            }
        }
    }
    hits
}

#[test]
fn a_count_of_one_takes_the_singular() {
    // The registry APKs' reports hold counts of one: a finding title
    // ("(1 package)"), descriptions ("1 service returns"), package evidence
    // ("1 class"). None may read "1 classes".
    let mut seen = 0;
    for name in [
        "ApiDemos-debug.apk",
        "appium-settings-3.6.0.apk",
        "appium-settings-5.0.0.apk",
        "appium-settings-8.0.10.apk",
    ] {
        let Some(apk) = pipa_testkit::fixture(name) else {
            continue;
        };
        seen += 1;
        let apk = apk.to_str().expect("utf-8");
        for (format, lang) in [("md", "en"), ("text", "both")] {
            let o = pipa(&["scan", apk, "--format", format, "--lang", lang]);
            let out = String::from_utf8_lossy(&o.stdout);
            assert!(out.len() > 1000, "{name}: a report");
            let hits = one_with_plural(&out);
            assert!(hits.is_empty(), "{name} {format} {lang}: {hits:#?}");
        }
    }
    if seen == 0 {
        eprintln!("notice: no registry APK fixture; plurals not checked on real reports");
    }
    // The checker itself finds what it looks for, and only that.
    assert_eq!(
        one_with_plural("· 1 classes (`a.B`)\n2 services return\n21 files\n1 more components")
            .len(),
        2
    );
}
