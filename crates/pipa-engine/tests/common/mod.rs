//! The engine tests' loaders: a one-dex fixture APK, or any real APK, read
//! the way `pipa-cli` reads it, indexed and assessed.

use pipa_engine::{Assessment, ScanInput, assess};
use pipa_kb::Kb;
use std::path::Path;

/// Reads the fixture at `path` (its manifest package must be `package`, and
/// it must hold exactly one dex), and assesses it with `policy` and
/// `category`.
#[allow(dead_code)] // not every test binary that includes `common` builds fixtures
pub fn assess_fixture(
    path: &Path,
    package: &str,
    kb: &Kb,
    policy: Option<&pipa_policy::Policy>,
    category: Option<&pipa_kb::AppType>,
) -> Assessment {
    let bytes = std::fs::read(path).expect("read apk");
    let apk = pipa_android::Apk::parse(&bytes, pipa_core::Limits::default()).expect("parse apk");
    assert_eq!(apk.manifest.package, package, "manifest package");
    let mut sink = pipa_core::AnomalySink::default();
    let blobs = apk.read_dex();
    let mut dexes = Vec::new();
    for (name, blob) in &blobs {
        let blob = blob.as_ref().unwrap_or_else(|e| panic!("{name}: {e}"));
        dexes.extend(pipa_dex::parse_dex_file(blob, name, &mut sink).expect("parse dex"));
    }
    assert_eq!(dexes.len(), 1, "one dex");
    let index = pipa_dex::CodeIndex::build(dexes, &mut sink);
    let input = ScanInput {
        path: path.display().to_string(),
        sha256: String::new(),
        apk: &apk,
        index: &index,
        anomalies: Vec::new(),
        policy,
        category,
        first_party: Vec::new(),
    };
    assess(&input, kb)
}

/// Reads any real APK (all its dex files, unreadable ones skipped as the
/// CLI does), indexes and assesses it with the embedded knowledge base.
#[allow(dead_code)] // only the real-APK tests use it
pub fn assess_apk(path: &Path) -> Assessment {
    assess_apk_with(path, Kb::embedded(), &[])
}

/// [`assess_apk`] with another knowledge base and the user's
/// `--first-party` prefixes.
#[allow(dead_code)] // only the real-APK tests use it
pub fn assess_apk_with(path: &Path, kb: &Kb, first_party: &[String]) -> Assessment {
    let bytes = std::fs::read(path).expect("read apk");
    let apk = pipa_android::Apk::parse(&bytes, pipa_core::Limits::default()).expect("parse apk");
    let mut sink = pipa_core::AnomalySink::default();
    let blobs = apk.read_dex();
    let mut dexes = Vec::new();
    for (name, blob) in &blobs {
        if let Ok(blob) = blob
            && let Ok(ds) = pipa_dex::parse_dex_file(blob, name, &mut sink)
        {
            dexes.extend(ds);
        }
    }
    let index = pipa_dex::CodeIndex::build_parallel(dexes, &mut sink);
    let input = ScanInput {
        path: path.display().to_string(),
        sha256: String::new(),
        apk: &apk,
        index: &index,
        anomalies: Vec::new(),
        policy: None,
        category: None,
        first_party: first_party.to_vec(),
    };
    assess(&input, kb)
}
