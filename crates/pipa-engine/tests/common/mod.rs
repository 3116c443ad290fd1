//! The engine tests' one loader: a one-dex fixture APK read the way
//! `pipa-cli` reads it, indexed and assessed.

use pipa_engine::{Assessment, ScanInput, assess};
use pipa_kb::Kb;
use std::path::Path;

/// Reads the fixture at `path` (its manifest package must be `package`, and
/// it must hold exactly one dex), and assesses it with `policy` and
/// `category`.
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
    };
    assess(&input, kb)
}
