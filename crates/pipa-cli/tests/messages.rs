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
