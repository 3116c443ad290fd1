//! Opens every file under the Debian androguard examples (valid, invalid and
//! oddly signed APKs, jars, dex…) and reads every entry. Python's `zipfile`
//! is the independent oracle: where it can list and test an archive, we must
//! open it with the same entry count and read every entry without error.

use pipa_android::zip::Archive;
use pipa_core::Limits;
use pipa_testkit::{ANDROGUARD_EXAMPLES, files_under};
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

const PY: &str = r#"
import sys, zipfile
for p in sys.stdin.read().split('\n'):
    if not p:
        continue
    try:
        z = zipfile.ZipFile(p)
        n = len(z.infolist())
        try:
            ok = 'ok' if z.testzip() is None else 'badcrc'
        except Exception as e:
            ok = 'readerr'
        print(p + '\t' + str(n) + '\t' + ok)
    except Exception as e:
        print(p + '\t-\t' + type(e).__name__)
"#;

/// path -> (entry count, "ok" | "badcrc" | "readerr" | exception name)
fn python_oracle(files: &[PathBuf]) -> Option<HashMap<String, (Option<usize>, String)>> {
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(PY)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let list: String = files.iter().map(|p| format!("{}\n", p.display())).collect();
    child.stdin.take()?.write_all(list.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    let mut m = HashMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let mut it = line.split('\t');
        let (Some(p), Some(n), Some(s)) = (it.next(), it.next(), it.next()) else {
            continue;
        };
        m.insert(p.to_string(), (n.parse().ok(), s.to_string()));
    }
    Some(m)
}

#[test]
fn androguard_examples() {
    let Some(root) = pipa_testkit::androguard_examples() else {
        eprintln!("skipping: {ANDROGUARD_EXAMPLES} is absent (Debian package androguard)");
        return;
    };
    let files = files_under(&root);
    let Some(oracle) = python_oracle(&files) else {
        eprintln!("skipping: python3 is not available for the zipfile oracle");
        return;
    };
    let (mut zipish, mut opened, mut agreed, mut py_ok, mut entries_read) = (0, 0, 0, 0, 0usize);
    let mut failures = Vec::new();
    let mut anomaly_counts: HashMap<&'static str, usize> = HashMap::new();
    for f in &files {
        let Ok(data) = std::fs::read(f) else {
            continue;
        };
        let name = f.display().to_string();
        let ext = f.extension().and_then(|e| e.to_str()).unwrap_or("");
        let looks_zip =
            data.starts_with(b"PK") || matches!(ext, "apk" | "jar" | "zip" | "ap_" | "aar");
        if looks_zip {
            zipish += 1;
        }
        let py = oracle.get(&name);
        let parsed = Archive::parse(&data, Limits::default());
        let a = match parsed {
            Ok(a) => a,
            Err(e) => {
                if let Some((Some(_), _)) = py {
                    failures.push(format!("{name}: python opens it, we fail: {e}"));
                }
                continue;
            }
        };
        opened += 1;
        let mut read_errors = Vec::new();
        for e in a.entries() {
            match a.read(e) {
                Ok(_) => entries_read += 1,
                Err(err) => read_errors.push(err.to_string()),
            }
        }
        for x in a.anomalies().items() {
            *anomaly_counts.entry(x.code).or_default() += 1;
        }
        if let Some((Some(n), status)) = py {
            if *n == a.entries().len() {
                agreed += 1;
            } else {
                failures.push(format!(
                    "{name}: python lists {n} entries, we {}",
                    a.entries().len()
                ));
            }
            if status == "ok" {
                py_ok += 1;
                if !read_errors.is_empty() {
                    failures.push(format!(
                        "{name}: python reads all entries, we fail: {read_errors:?}"
                    ));
                }
                if a.anomalies()
                    .items()
                    .iter()
                    .any(|x| x.code == "zip.bad_crc")
                {
                    failures.push(format!("{name}: python finds CRCs fine, we report bad_crc"));
                }
            }
        }
    }
    let mut codes: Vec<_> = anomaly_counts.into_iter().collect();
    codes.sort();
    eprintln!(
        "androguard examples: {} files, {zipish} zip-like, {opened} opened, {agreed} entry counts equal to \
         python zipfile, {py_ok} fully read by python, {entries_read} entries read; anomalies: {codes:?}",
        files.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(opened > 300, "only {opened} archives opened");
}
