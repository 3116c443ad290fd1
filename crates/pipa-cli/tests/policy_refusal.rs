//! `pipa policy` refuses text that is not a privacy policy: exit 2, one line
//! naming the file and why, nothing on stdout; `--force` analyses it anyway.
//! A real (team) policy is not refused.

mod common;

use common::pipa;
use std::path::Path;

#[test]
fn a_note_is_refused_and_force_analyses_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let note = dir.path().join("note.txt");
    std::fs::write(&note, "请在周五前提交报告，谢谢。").expect("write");
    let o = pipa(&["policy", note.to_str().expect("utf-8")]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(o.stdout.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(&format!(
            "pipa: error: {}: not a privacy policy",
            note.display()
        )),
        "{err}"
    );
    assert!(
        err.contains("characters") && err.contains("--force"),
        "{err}"
    );

    let o = pipa(&[
        "policy",
        note.to_str().expect("utf-8"),
        "--force",
        "--format",
        "json",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["schema"], "pipa.policy/1");
}

#[test]
fn a_real_policy_is_not_refused() {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../pipa-policy/tests/policies/thin.txt");
    let o = pipa(&["policy", p.to_str().expect("utf-8")]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
