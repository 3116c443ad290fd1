//! `pipa inspect`: read an APK fully (container, manifest, resources, signing,
//! every dex and its code index) and summarise it.

use pipa_android::apk::NativeLib;
use pipa_android::manifest::Manifest;
use pipa_android::netsec::NetworkSecurityConfig;
use pipa_android::signing::SigningInfo;
use pipa_core::Anomaly;
use pipa_scan::{DexReport, Purpose, Timings, with_apk};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The file that was read.
#[derive(Debug, Serialize)]
pub struct FileInfo {
    /// Path as given.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the whole file, hex.
    pub sha256: String,
}

/// Totals of the code index over all dex files.
#[derive(Debug, Default, Serialize)]
pub struct CodeIndexStats {
    /// Invoke sites.
    pub invoke_sites: usize,
    /// const-string sites.
    pub const_string_sites: usize,
    /// Static field reads.
    pub sget_sites: usize,
    /// new-instance sites.
    pub new_instance_sites: usize,
    /// Heap used by the index, bytes.
    pub heap_bytes: usize,
}

/// Everything `pipa inspect` reports (JSON schema `pipa.inspect/1`).
#[derive(Debug, Serialize)]
pub struct InspectReport {
    /// Schema id of this JSON document.
    pub schema: &'static str,
    /// pipa's version.
    pub pipa_version: &'static str,
    /// The file.
    pub file: FileInfo,
    /// The decoded manifest.
    pub manifest: Manifest,
    /// The network security config, when the manifest names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_security_config: Option<NetworkSecurityConfig>,
    /// Signing schemes and certificates.
    pub signing: SigningInfo,
    /// Native libraries per ABI.
    pub native_libs: BTreeMap<String, Vec<NativeLib>>,
    /// Asset files.
    pub assets: Vec<String>,
    /// Dex/jar/apk files not on the runtime's load path.
    pub other_code: Vec<String>,
    /// Dex files in load order.
    pub dex: Vec<DexReport>,
    /// Code-index totals.
    pub code_index: CodeIndexStats,
    /// Everything odd found while reading.
    pub anomalies: Vec<Anomaly>,
    /// Anomalies not kept past the caps.
    pub anomalies_dropped: usize,
}

/// Reads and indexes `path`. Errors name the file and the problem.
pub fn inspect(path: &Path) -> anyhow::Result<(InspectReport, Timings)> {
    let mut t = Timings::default();
    let report = with_apk(path, &mut t, Purpose::Inspect, |l, _| {
        let index = l.index;
        let n = index.dexes().len() as u16;
        let code_index = CodeIndexStats {
            invoke_sites: index.invoke_count(),
            const_string_sites: (0..n).map(|i| index.const_string_sites_in(i).len()).sum(),
            sget_sites: (0..n)
                .map(|i| index.static_field_read_sites_in(i).len())
                .sum(),
            new_instance_sites: (0..n).map(|i| index.new_instance_sites_in(i).len()).sum(),
            heap_bytes: index.heap_bytes(),
        };
        InspectReport {
            schema: "pipa.inspect/1",
            pipa_version: env!("CARGO_PKG_VERSION"),
            file: FileInfo {
                path: l.path,
                size: l.size,
                sha256: l.sha256,
            },
            manifest: l.apk.manifest.clone(),
            network_security_config: l.apk.network_security_config.clone(),
            signing: l.apk.signing.clone(),
            native_libs: l.apk.native_libs.clone(),
            assets: l.apk.assets.clone(),
            other_code: l.apk.other_code.clone(),
            dex: l.dex,
            code_index,
            anomalies: l.anomalies,
            anomalies_dropped: l.anomalies_dropped,
        }
    })?;
    t.finish();
    Ok((report, t))
}
