//! `pipa policy` refuses text that is not a privacy policy: exit 2, one line
//! naming the file and why, nothing on stdout; `--force` analyses it anyway.
//! A real (team) policy is not refused. `pipa scan --policy` applies the
//! same test, before reading the package, with the same `--force`.

mod common;

use common::pipa;
use pipa_testkit::fixture;
use std::path::{Path, PathBuf};

const APK: &str = "appium-settings-8.0.10.apk";

fn thin_policy() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../pipa-policy/tests/policies/thin.txt")
}

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
    let p = thin_policy();
    let o = pipa(&["policy", p.to_str().expect("utf-8")]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn scan_refuses_a_note_as_its_policy_before_reading_the_package() {
    let dir = tempfile::tempdir().expect("tempdir");
    let note = dir.path().join("note.txt");
    std::fs::write(&note, "请在周五前提交报告，谢谢。").expect("write");
    let note = note.to_str().expect("utf-8");
    // No package at all: the policy is judged first, so the error is the
    // policy's, not the missing file's.
    let missing = dir.path().join("absent.apk");
    let o = pipa(&[
        "scan",
        missing.to_str().expect("utf-8"),
        "--policy",
        note,
        "--format",
        "json",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(o.stdout.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(&format!(
            "pipa: error: {note}: not a privacy policy (不是隐私政策)"
        )),
        "{err}"
    );
    assert!(
        err.contains("characters") && err.contains("--force"),
        "{err}"
    );

    // `--force` without `--policy` is a usage error, not a silent no-op.
    let o = pipa(&["scan", missing.to_str().expect("utf-8"), "--force"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--policy"));

    let Some(apk) = fixture(APK) else { return };
    let apk = apk.to_str().expect("utf-8");
    let o = pipa(&["scan", apk, "--policy", note, "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    // Forced: assessed with the note as its policy.
    let o = pipa(&["scan", apk, "--policy", note, "--force", "--format", "json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(
        v["policy"]["source"]["path"], note,
        "{}",
        v["policy"]["source"]
    );
}

#[test]
fn scan_accepts_a_real_policy() {
    let Some(apk) = fixture(APK) else { return };
    let p = thin_policy();
    let p = p.to_str().expect("utf-8");
    let o = pipa(&[
        "scan",
        apk.to_str().expect("utf-8"),
        "--policy",
        p,
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
    assert_eq!(
        v["policy"]["source"]["path"], p,
        "{}",
        v["policy"]["source"]
    );
}

/// `pipa diff` applies the same test to `--policy`, `--old-policy` and
/// `--new-policy`, before reading the packages, naming the option the user
/// wrote; `--force` uses the text anyway (then the missing package is the
/// error, the twin).
#[test]
fn diff_refuses_a_note_as_a_policy_and_names_the_option() {
    let dir = tempfile::tempdir().expect("tempdir");
    let note = dir.path().join("note.txt");
    std::fs::write(&note, "请在周五前提交报告，谢谢。").expect("write");
    let note = note.to_str().expect("utf-8");
    let old = dir.path().join("old.apk");
    let new = dir.path().join("new.apk");
    let (old, new) = (old.to_str().expect("utf-8"), new.to_str().expect("utf-8"));
    for opt in ["--policy", "--old-policy", "--new-policy"] {
        let o = pipa(&["diff", old, new, opt, note]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{opt}: {err}");
        assert!(o.stdout.is_empty());
        assert!(
            err.starts_with(&format!("pipa: error: {opt} {note}: not a privacy policy")),
            "{opt}: {err}"
        );
        assert!(err.contains("--force"), "{err}");
    }
    let o = pipa(&["diff", old, new, "--policy", note, "--force"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(!err.contains("not a privacy policy"), "{err}");
    assert!(err.contains("old.apk") || err.contains("new.apk"), "{err}");
}
