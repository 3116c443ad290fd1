//! The whole reading pipeline (zip → manifest/resources/signing → dex → code
//! index) over every file of Debian's androguard examples: ~500 APK, DEX, AXML
//! and ARSC edge cases, invalid and partially signed ones included. Nothing may
//! panic; every APK that Python's zipfile can list must be read, or fail with a
//! one-line reason.

use pipa_android::Apk;
use pipa_core::{AnomalySink, Limits};
use pipa_testkit::{ANDROGUARD_EXAMPLES, androguard_examples, files_under};

#[test]
fn every_example_file_reads_without_panic() {
    let Some(root) = androguard_examples() else {
        eprintln!("notice: {ANDROGUARD_EXAMPLES} absent (Debian package androguard); skipped");
        return;
    };
    let all = files_under(&root);
    let (mut apks_ok, mut apks_err, mut dex_files, mut invokes, mut other) = (0, 0, 0, 0usize, 0);
    let mut errors = Vec::new();
    for path in &all {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let name = path.display().to_string();
        if bytes.starts_with(b"dex\n") {
            let mut sink = AnomalySink::default();
            if let Ok(dexes) = pipa_dex::parse_dex_file(&bytes, &name, &mut sink) {
                let index = pipa_dex::CodeIndex::build(dexes, &mut sink);
                invokes += index.invoke_count();
                dex_files += 1;
            }
            continue;
        }
        match Apk::parse(&bytes, Limits::default()) {
            Ok(apk) => {
                apks_ok += 1;
                let mut sink = AnomalySink::default();
                let blobs = apk.read_dex();
                let mut dexes = Vec::new();
                for (n, blob) in &blobs {
                    if let Ok(b) = blob
                        && let Ok(ds) = pipa_dex::parse_dex_file(b, n, &mut sink)
                    {
                        dex_files += ds.len();
                        dexes.extend(ds);
                    }
                }
                invokes += pipa_dex::CodeIndex::build(dexes, &mut sink).invoke_count();
                let _ = serde_json::to_string(&apk.manifest).expect("manifest serialises");
            }
            Err(e) => {
                let msg = e.to_string();
                assert!(!msg.contains('\n'), "{name}: multi-line error {msg:?}");
                if bytes.starts_with(b"PK") {
                    apks_err += 1;
                    errors.push(format!("{name}: {msg}"));
                } else {
                    other += 1;
                }
            }
        }
    }
    eprintln!(
        "androguard examples: {} files; {apks_ok} packages read, {apks_err} zip-like refused, \
         {other} other files refused cleanly; {dex_files} dex indexed, {invokes} invokes",
        all.len()
    );
    for e in &errors {
        eprintln!("  refused: {e}");
    }
    assert!(apks_ok > 100, "expected the example APKs to be read");
    // Every zip in the set opens (tests/zip_androguard.rs checks that against
    // Python's zipfile); the only acceptable refusal is a zip that is no APK.
    for e in &errors {
        assert!(
            e.contains("no AndroidManifest.xml"),
            "unexpected refusal: {e}"
        );
    }
}
