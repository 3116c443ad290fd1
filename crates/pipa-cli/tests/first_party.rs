//! First-party code (issue 16): how each prefix was decided, shown in every
//! format, and `--first-party PREFIX` on `pipa scan` and `pipa diff`, on
//! `../shared/corpus/apk/AndroidProject-2019-09-09-8d44588c.apk` (manifest
//! package `com.hjq.demo`, its organisation `com.hjq`; ImmersionBar, a
//! catalogued library under `com.gyf.immersionbar`, reads `Build.MANUFACTURER`
//! in `NotchUtils`). Skipped with a notice when the shared corpus is absent;
//! the refusals of a bad prefix need no package.

mod common;

use common::pipa;
use serde_json::Value;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

fn apk() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/apk/AndroidProject-2019-09-09-8d44588c.apk");
    if p.is_file() {
        Some(p)
    } else {
        eprintln!("notice: {} absent; skipped", p.display());
        None
    }
}

fn run(args: &[&OsStr]) -> String {
    let out = pipa(args);
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn scan(apk: &Path, extra: &[&str]) -> String {
    let mut args: Vec<&OsStr> = vec!["scan".as_ref(), apk.as_os_str()];
    args.extend(extra.iter().map(OsStr::new));
    run(&args)
}

fn json(apk: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    serde_json::from_str(&scan(apk, &args)).expect("json")
}

/// Subjects of the call sites whose caller is in `class_prefix` (smali).
fn subjects_of(a: &Value, class_prefix: &str) -> Vec<String> {
    let mut v: Vec<String> = a["api_uses"]
        .as_array()
        .expect("api_uses")
        .iter()
        .filter(|u| {
            u["caller"]
                .as_str()
                .is_some_and(|c| c.starts_with(class_prefix))
        })
        .filter_map(|u| u["subject"].as_str().map(String::from))
        .collect();
    v.sort();
    v.dedup();
    v
}

#[test]
fn the_basis_of_each_prefix_is_said_in_every_format() {
    let Some(apk) = apk() else { return };
    let a = json(&apk, &[]);
    assert_eq!(a["app"]["first_party"], serde_json::json!(["com.hjq.*"]));
    assert_eq!(
        a["app"]["first_party_basis"],
        serde_json::json!([{
            "prefix": "com.hjq.*",
            "basis": "manifest_package",
            "source": "com.hjq.demo",
            "organisation": true
        }])
    );
    let zh = "组织前缀，来自清单包名 com.hjq.demo";
    let en = "organisation of the manifest package com.hjq.demo";
    for format in ["text", "md", "html"] {
        let both = scan(&apk, &["--format", format]);
        let line = both
            .lines()
            .find(|l| l.contains("First-party code"))
            .unwrap_or_else(|| panic!("{format}: no first-party line"));
        assert!(line.contains("com.hjq.*"), "{format}: {line}");
        assert!(line.contains(zh) && line.contains(en), "{format}: {line}");
        let only_zh = scan(&apk, &["--format", format, "--lang", "zh"]);
        assert!(only_zh.contains(zh), "{format} zh");
        assert!(!only_zh.contains(en), "{format} zh: no English");
        let only_en = scan(&apk, &["--format", format, "--lang", "en"]);
        assert!(only_en.contains(en), "{format} en");
        assert!(!only_en.contains(zh), "{format} en: no Chinese");
    }
}

#[test]
fn first_party_option_moves_code_unless_a_longer_sdk_prefix_claims_it() {
    let Some(apk) = apk() else { return };
    let bar = "Lcom/gyf/immersionbar/";
    let before = json(&apk, &[]);
    assert_eq!(subjects_of(&before, bar), ["sdk:gyf.immersionbar"]);

    // As specific as the catalogue's prefix: the app's, said as the option.
    let own = json(&apk, &["--first-party", "com.gyf.immersionbar.*"]);
    assert_eq!(subjects_of(&own, bar), ["app"]);
    assert_eq!(
        own["app"]["first_party_basis"][0],
        serde_json::json!({
            "prefix": "com.gyf.immersionbar.*",
            "basis": "option",
            "source": "com.gyf.immersionbar",
            "organisation": false
        })
    );
    assert_eq!(
        own["app"]["first_party"],
        serde_json::json!(["com.gyf.immersionbar.*", "com.hjq.*"])
    );
    let text = scan(
        &apk,
        &["--first-party", "com.gyf.immersionbar", "--lang", "en"],
    );
    assert!(
        text.contains("com.gyf.immersionbar.* (given by --first-party com.gyf.immersionbar)"),
        "{text}"
    );
    // Nothing else moved: Umeng, Bugly and the app's own code keep theirs,
    // and the place to change of the first problems stays the app's.
    for class in ["Lcom/umeng/", "Lcom/tencent/bugly/", "Lcom/hjq/"] {
        assert_eq!(
            subjects_of(&own, class),
            subjects_of(&before, class),
            "{class}"
        );
    }
    assert_eq!(
        own["priorities"][0]["place"],
        before["priorities"][0]["place"]
    );

    // Negative twins: a prefix shorter than the catalogued one leaves the
    // SDK its code (`com.gyf` < `com.gyf.immersionbar`, `com.tencent` <
    // `com.tencent.bugly`).
    let short = json(
        &apk,
        &["--first-party", "com.gyf", "--first-party", "com.tencent"],
    );
    assert_eq!(subjects_of(&short, bar), ["sdk:gyf.immersionbar"]);
    assert_eq!(
        subjects_of(&short, "Lcom/tencent/bugly/"),
        ["sdk:tencent.bugly"]
    );
    assert!(
        short["sdks"]
            .as_array()
            .expect("sdks")
            .iter()
            .any(|s| s["id"] == "tencent.bugly" && s["confidence"] == "high"),
        "Bugly still found"
    );
}

#[test]
fn diff_takes_the_option_for_both_versions() {
    let Some(apk) = apk() else { return };
    let out = run(&[
        "diff".as_ref(),
        apk.as_os_str(),
        apk.as_os_str(),
        "--first-party".as_ref(),
        "com.gyf.immersionbar".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let d: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(d["summary"]["changed"], false, "{out}");
}

#[test]
fn a_bad_prefix_is_refused_naming_the_option() {
    for (bad, why) in [
        ("androidx.core", "platform"),
        ("com", "single segment"),
        ("com/hjq", "dots"),
        ("com.1x", "not a Java package name"),
    ] {
        for cmd in [
            &["scan", "missing.apk"][..],
            &["diff", "a.apk", "b.apk"][..],
        ] {
            let mut args: Vec<&str> = cmd.to_vec();
            args.extend(["--first-party", bad]);
            let out = pipa(&args);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{bad}: {err}");
            assert!(err.contains("--first-party"), "{bad}: {err}");
            assert!(err.contains(bad) && err.contains(why), "{bad}: {err}");
            // Refused before any file is read.
            assert!(
                !err.contains("missing.apk") && !err.contains("a.apk"),
                "{err}"
            );
            assert!(!err.contains("panicked"), "{err}");
        }
    }
}

/// A launcher activity outside the manifest package (androguard's test APK
/// `duplicate.permisssions`, launcher `info.guardianproject.urzip.MainActivity`):
/// its organisation is first-party, said as such.
#[test]
fn a_launcher_package_is_said_as_the_basis() {
    let Some(dir) = pipa_testkit::androguard_examples() else {
        eprintln!("notice: androguard examples absent; skipped");
        return;
    };
    let apk = dir.join("tests/duplicate.permisssions_9999999.apk");
    if !apk.is_file() {
        eprintln!("notice: {} absent; skipped", apk.display());
        return;
    }
    let a = json(&apk, &[]);
    assert_eq!(
        a["app"]["first_party_basis"],
        serde_json::json!([
            {
                "prefix": "duplicate.permisssions.*",
                "basis": "manifest_package",
                "source": "duplicate.permisssions",
                "organisation": false
            },
            {
                "prefix": "info.guardianproject.*",
                "basis": "launcher_activity",
                "source": "info.guardianproject.urzip.MainActivity",
                "organisation": true
            }
        ])
    );
    let text = scan(&apk, &["--lang", "en"]);
    assert!(
        text.contains(
            "info.guardianproject.* (organisation of the launcher activity info.guardianproject.urzip.MainActivity)"
        ),
        "{text}"
    );
}
