//! Zip container: central directory, every entry read (stored, deflated,
//! bogus methods), then the signing block (v1 from META-INF, v2+ block).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pipa_android::{signing, zip::Archive};
use pipa_core::Limits;

/// Tight inflation caps: the defaults (1 GiB per entry, 4 GiB in all) are
/// sized for real apps and would trip libFuzzer's RSS limit on any zip bomb.
/// The caps themselves are what is under test, not their size.
const LIMITS: Limits = Limits {
    max_entries: 10_000,
    max_entry_size: 16 << 20,
    max_total_size: 64 << 20,
    max_dex_files: 100,
    max_xml_elements: 100_000,
};

fuzz_target!(|data: &[u8]| {
    let Ok(archive) = Archive::parse(data, LIMITS) else {
        return;
    };
    for entry in archive.entries() {
        let _ = entry.is_dir();
        let _ = entry.file_range();
        let _ = archive.read(entry);
    }
    let _ = archive.read_by_name("AndroidManifest.xml");
    let _ = signing::read_signing(&archive);
    let _ = archive.signing_block();
    let _ = archive.take_anomalies();
});
