//! The library entry point: `assess` on a path and on the same bytes in
//! memory gives the same assessment; bad input is an error naming it.

use pipa_scan::{Input, Options, assess};
use serde_json::Value;

/// The assessment as JSON, without what differs by run or by how the
/// package was given (scan time, the engine's own timings, the name it was
/// given under).
fn comparable(a: &pipa_engine::Assessment) -> Value {
    let mut v = serde_json::to_value(a).expect("assessment serialises");
    v["scanned_at"] = Value::Null;
    v["timings"] = Value::Null;
    v["input"]["path"] = Value::Null;
    v
}

#[test]
fn path_and_bytes_give_the_same_assessment() {
    let Some(apk) = pipa_testkit::fixture("appium-settings-8.0.10.apk") else {
        return;
    };
    let opts = Options::default();
    let by_path = assess(Input::Path(&apk), &opts).expect("assess the path");
    let bytes = std::fs::read(&apk).expect("read");
    let by_bytes = assess(
        Input::Bytes {
            name: "upload.apk",
            bytes: &bytes,
        },
        &opts,
    )
    .expect("assess the bytes");
    assert_eq!(by_bytes.assessment.input.path, "upload.apk");
    assert_eq!(
        by_path.assessment.input.sha256,
        by_bytes.assessment.input.sha256
    );
    assert!(!by_path.assessment.findings.is_empty());
    assert_eq!(
        comparable(&by_path.assessment),
        comparable(&by_bytes.assessment)
    );
    // Both runs are timed stage by stage, the reading included.
    for s in [&by_path, &by_bytes] {
        let stages: Vec<&str> = s.timings.stages.iter().map(|x| x.stage).collect();
        for want in ["zip+manifest", "dex-parse", "dex-index", "assess"] {
            assert!(stages.contains(&want), "{want} in {stages:?}");
        }
    }
    assert!(by_path.timings.stages.iter().any(|x| x.stage == "read"));
}

#[test]
fn bad_input_is_an_error_that_names_it() {
    let opts = Options::default();
    let empty = assess(
        Input::Bytes {
            name: "empty.apk",
            bytes: &[],
        },
        &opts,
    )
    .err()
    .expect("empty input refused")
    .to_string();
    assert!(
        empty.starts_with("empty.apk: ") && empty.contains("empty"),
        "{empty}"
    );
    let junk = assess(
        Input::Bytes {
            name: "junk.apk",
            bytes: b"this is not a zip archive at all",
        },
        &opts,
    )
    .err()
    .expect("junk refused")
    .to_string();
    assert!(junk.starts_with("junk.apk: "), "{junk}");
    let dir = std::env::temp_dir().join(format!("pipa-scan-missing-{}", std::process::id()));
    let missing = dir.join("missing.apk");
    let e = assess(Input::Path(&missing), &opts)
        .err()
        .expect("missing file refused")
        .to_string();
    assert!(
        e.contains("missing.apk") && e.contains("cannot read"),
        "{e}"
    );
    // An unknown app type is refused before the package is read.
    let bad = Options {
        category: Some("no-such-type"),
        ..Options::default()
    };
    let e = assess(Input::Path(&missing), &bad)
        .err()
        .expect("unknown app type refused")
        .to_string();
    assert!(e.contains("--category no-such-type"), "{e}");
}
