//! End to end: the `pipa` binary as a user runs it.
//!
//! On a registry fixture (`scripts/fetch-fixtures.sh`; `$PIPA_FIXTURES` or
//! `.cache/fixtures`): the text summary, `--format json` (checked against
//! `aapt dump permissions` when aapt is installed), `--timings` and `-o`.
//! Those parts print a notice and pass when the fixture is absent. The error
//! cases build their inputs in a temporary folder and always run: exit code 2,
//! one line on stderr naming the file, no panic.

mod common;
use common::pipa;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const FIXTURE: &str = "ApiDemos-debug.apk";

fn inspect(apk: &Path, extra: &[&str]) -> Output {
    let mut args: Vec<&std::ffi::OsStr> = vec!["inspect".as_ref(), apk.as_os_str()];
    args.extend(extra.iter().map(|s| std::ffi::OsStr::new(*s)));
    pipa(&args)
}

fn fixture() -> Option<PathBuf> {
    pipa_testkit::fixture(FIXTURE)
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).expect("UTF-8 output")
}

/// A requested permission: name, maxSdkVersion, `uses-permission-sdk-23`.
type Perm = (String, Option<i64>, bool);

/// `aapt dump permissions`: the package and the requested permissions in
/// order. None when aapt is not installed.
fn aapt_permissions(apk: &Path) -> Option<(String, Vec<Perm>)> {
    let out = Command::new("aapt")
        .args(["dump", "permissions"])
        .arg(apk)
        .output()
        .ok()?;
    assert!(out.status.success(), "aapt dump permissions failed");
    let s = text(&out.stdout);
    let package = s
        .lines()
        .find_map(|l| l.strip_prefix("package: "))
        .expect("aapt prints the package")
        .to_string();
    let perms = s
        .lines()
        .filter_map(|l| {
            let (sdk23, rest) = if let Some(r) = l.strip_prefix("uses-permission: name='") {
                (false, r)
            } else {
                (true, l.strip_prefix("uses-permission-sdk-23: name='")?)
            };
            let (name, max) = match rest.split_once("' maxSdkVersion='") {
                Some((n, m)) => (n, m.trim_end_matches('\'').parse().ok()),
                None => (rest.trim_end_matches('\''), None),
            };
            Some((name.to_string(), max, sdk23))
        })
        .collect();
    Some((package, perms))
}

#[test]
fn text_output_summarises_the_apk() {
    let Some(apk) = fixture() else { return };
    let out = inspect(&apk, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(out.stderr.is_empty(), "stderr: {}", text(&out.stderr));
    let s = text(&out.stdout);
    let line = |prefix: &str| {
        s.lines()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix:?} line in:\n{s}"))
            .to_string()
    };
    assert!(line("包名 Package").ends_with(" io.appium.android.apis"));
    assert!(line("名称 Label").ends_with(" API Demos"));
    assert!(line("版本 Version").contains("5.0.0 (25)"));
    assert!(line("SDK ").contains("min 17 · target 33"));
    assert!(line("权限 Permissions").ends_with("(14)"), "{s}");
    for p in [
        "android.permission.READ_CONTACTS",
        "android.permission.CAMERA",
        "io.appium.android.apis.DYNAMIC_RECEIVER_NOT_EXPORTED_PERMISSION",
    ] {
        assert!(s.lines().any(|l| l.trim() == p), "{p} not listed");
    }
    assert_eq!(line("DEX ("), "DEX (1)");
    let dex = line("  classes.dex");
    assert!(
        dex.contains(" v0") && dex.contains(" classes") && !dex.contains("damaged"),
        "{dex}"
    );
    assert!(line("  code index:").contains(" invoke"));
}

#[test]
fn json_output_matches_aapt() {
    let Some(apk) = fixture() else { return };
    let out = inspect(&apk, &["--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(v["schema"], "pipa.inspect/1");
    assert_eq!(v["file"]["path"], apk.display().to_string());
    assert_eq!(v["file"]["size"], std::fs::metadata(&apk).unwrap().len());
    assert_eq!(v["file"]["sha256"].as_str().map(str::len), Some(64));
    assert!(v.get("timings").is_none(), "timings only with --timings");
    let m = &v["manifest"];
    let ours: Vec<Perm> = m["permissions"]
        .as_array()
        .expect("permissions array")
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["max_sdk"].as_i64(),
                p["sdk23"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(!ours.is_empty());
    let dex = v["dex"].as_array().expect("dex array");
    assert_eq!(dex.len(), 1);
    assert_eq!(dex[0]["name"], "classes.dex");
    assert!(dex[0]["classes"].as_u64().unwrap() > 0);
    assert!(dex[0].get("error").is_none());
    match aapt_permissions(&apk) {
        Some((package, perms)) => {
            assert_eq!(m["package"], package.as_str());
            assert_eq!(ours, perms, "permissions differ from aapt dump permissions");
        }
        None => {
            eprintln!("notice: aapt not installed; compared with known values only");
            assert_eq!(m["package"], "io.appium.android.apis");
            assert_eq!(ours.len(), 14);
        }
    }

    // --timings puts them in the JSON, not on stderr.
    let out = inspect(&apk, &["--format", "json", "--timings"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert!(v["timings"].is_object(), "{}", v["timings"]);
}

#[test]
fn timings_go_to_stderr() {
    let Some(apk) = fixture() else { return };
    let out = inspect(&apk, &["--timings"]);
    assert!(out.status.success());
    let err = text(&out.stderr);
    let mut lines = err.lines();
    assert!(
        lines
            .next()
            .is_some_and(|l| l.starts_with("stage") && l.contains("wall ms")),
        "{err}"
    );
    for stage in ["read", "zip+manifest", "dex-parse", "dex-index", "total"] {
        assert!(
            err.lines()
                .any(|l| l.split_whitespace().next() == Some(stage)),
            "no {stage} row in:\n{err}"
        );
    }
    assert!(!text(&out.stdout).contains("wall ms"), "table on stdout");
}

#[test]
fn output_file_is_written() {
    let Some(apk) = fixture() else { return };
    let dir = tempfile::tempdir().unwrap();
    for format in ["text", "json"] {
        let dest = dir.path().join(format!("out.{format}"));
        let out = inspect(&apk, &["--format", format, "-o", dest.to_str().unwrap()]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(out.stdout.is_empty(), "-o still wrote to stdout");
        let written = std::fs::read(&dest).expect("output file written");
        let direct = inspect(&apk, &["--format", format]);
        assert_eq!(written, direct.stdout, "{format}: -o differs from stdout");
    }
    // An output path that cannot be written: a clean error naming it.
    let bad = dir.path().join("no/such/dir/out.json");
    let out = inspect(&apk, &["-o", bad.to_str().unwrap()]);
    assert_clean_error(&out, &bad);
}

/// Exit code 2, one stderr line `pipa: error: …` naming `file`, no panic.
fn assert_clean_error(out: &Output, file: &Path) {
    let err = text(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}: stderr {err:?}",
        file.display()
    );
    assert!(out.stdout.is_empty(), "stdout: {}", text(&out.stdout));
    assert_eq!(err.lines().count(), 1, "not one line: {err:?}");
    assert!(err.starts_with("pipa: error: "), "{err:?}");
    assert!(
        err.contains(&file.display().to_string()),
        "file not named: {err:?}"
    );
    assert!(
        !err.contains("panicked") && !err.contains("backtrace") && !err.contains("RUST_BACKTRACE"),
        "{err:?}"
    );
}

/// A minimal zip with stored entries.
fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut cd = Vec::new();
    for (name, data) in entries {
        let crc = crc32(data);
        let header = |sig: u32, central: bool| {
            let mut h = sig.to_le_bytes().to_vec();
            if central {
                h.extend_from_slice(&20u16.to_le_bytes());
            }
            for v in [20u16, 0, 0, 0, 0x21] {
                h.extend_from_slice(&v.to_le_bytes());
            }
            for v in [crc, data.len() as u32, data.len() as u32] {
                h.extend_from_slice(&v.to_le_bytes());
            }
            h.extend_from_slice(&(name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            h
        };
        let mut c = header(0x0201_4b50, true);
        c.extend_from_slice(&[0; 12]); // comment len, disk, attrs
        c.extend_from_slice(&(out.len() as u32).to_le_bytes());
        c.extend_from_slice(name.as_bytes());
        cd.extend_from_slice(&c);
        out.extend_from_slice(&header(0x0403_4b50, false));
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
    }
    let cd_start = out.len() as u32;
    out.extend_from_slice(&cd);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    let n = entries.len() as u16;
    for v in [0u16, 0, n, n] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&(cd.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xedb8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

#[test]
fn bad_inputs_are_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut cases: Vec<(PathBuf, &str)> = Vec::new();

    cases.push((d.join("does-not-exist.apk"), "cannot read"));

    let p = d.join("notes.txt");
    std::fs::write(&p, "just some text\nover two lines\n").unwrap();
    cases.push((p, "zip"));

    let p = d.join("empty.apk");
    std::fs::write(&p, b"").unwrap();
    cases.push((p, "empty file"));

    let p = d.join("no-manifest.apk");
    std::fs::write(
        &p,
        zip(&[("classes.dex", b"dex\n035\0"), ("res/raw/a.txt", b"hello")]),
    )
    .unwrap();
    cases.push((p, "AndroidManifest.xml"));

    // A zip whose manifest is not binary XML.
    let p = d.join("text-manifest.apk");
    std::fs::write(
        &p,
        zip(&[("AndroidManifest.xml", b"<manifest package=\"a\"/>")]),
    )
    .unwrap();
    cases.push((p, "AndroidManifest.xml"));

    // Truncated: the small zip cut in half, and the fixture cut when present.
    let whole = zip(&[("AndroidManifest.xml", &[3, 0, 8, 0][..]), ("x", &[0; 300])]);
    let p = d.join("truncated.apk");
    std::fs::write(&p, &whole[..whole.len() / 2]).unwrap();
    cases.push((p, "zip"));
    if let Some(f) = fixture() {
        let bytes = std::fs::read(f).unwrap();
        let p = d.join("truncated-fixture.apk");
        std::fs::write(&p, &bytes[..bytes.len() * 2 / 3]).unwrap();
        cases.push((p, "zip"));
    }

    // A folder is not a file.
    cases.push((d.to_path_buf(), "cannot read"));

    for (path, says) in &cases {
        for format in ["text", "json"] {
            let out = inspect(path, &["--format", format]);
            assert_clean_error(&out, path);
            let err = text(&out.stderr);
            assert!(
                err.contains(says),
                "{}: expected {says:?} in {err:?}",
                path.display()
            );
        }
    }
}
