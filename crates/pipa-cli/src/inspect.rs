//! `pipa inspect`: read an APK fully (container, manifest, resources, signing,
//! every dex and its code index) and summarise it.

use crate::timings::Timings;
use anyhow::Context;
use pipa_android::apk::NativeLib;
use pipa_android::manifest::Manifest;
use pipa_android::netsec::NetworkSecurityConfig;
use pipa_android::signing::SigningInfo;
use pipa_android::{Apk, ApkError};
use pipa_core::{Anomaly, AnomalySink, Limits, Severity};
use pipa_dex::{Check, CodeIndex, Dex, ParseOptions};
use serde::Serialize;
use sha2::{Digest, Sha256};
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

/// One dex file as read.
#[derive(Debug, Serialize)]
pub struct DexReport {
    /// Entry name.
    pub name: String,
    /// Inflated size, bytes.
    pub size: u64,
    /// Dex version (35 … 41); 0 when unreadable.
    pub version: u16,
    /// Class definitions.
    pub classes: u32,
    /// Method references (method_ids).
    pub method_ids: u32,
    /// Methods with code.
    pub methods_with_code: u32,
    /// Invoke instructions.
    pub invokes: u32,
    /// Adler-32 checksum matches.
    pub checksum_ok: bool,
    /// Why the dex could not be read, when it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
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
    let shown = path.display().to_string();
    let mut t = Timings::default();
    let file = t
        .stage("read", || map_file(path))
        .with_context(|| format!("{shown}: cannot read"))?;
    let bytes: &[u8] = &file;
    let sha256 = t.stage("sha256", || {
        let h = hex(&Sha256::digest(bytes));
        file.release_pages();
        h
    });
    let limits = Limits::default();
    let apk = t
        .stage("zip+manifest", || Apk::parse(bytes, limits))
        .map_err(|e: ApkError| anyhow::anyhow!("{shown}: {e}"))?;

    let blobs = t.stage("dex-inflate", || {
        let b = apk.read_dex();
        // Compressed dex data is not needed again (stored dex pages fault back in).
        file.release_pages();
        b
    });

    let mut sink = AnomalySink::default();
    let mut reports: Vec<DexReport> = Vec::with_capacity(blobs.len());
    let dexes: Vec<Dex<'_>> = t.stage("dex-parse", || {
        let opts = ParseOptions {
            verify_checksum: true,
            verify_signature: false,
            ..ParseOptions::default()
        };
        let mut all = Vec::new();
        for (name, blob) in &blobs {
            let size = blob.as_ref().map(|b| b.len() as u64).unwrap_or(0);
            let parsed = blob.as_ref().map_err(Clone::clone).and_then(|b| {
                pipa_dex::parse_dex_file_with(b, name, opts, &mut sink).map_err(|e| e.to_string())
            });
            match parsed {
                Ok(ds) => {
                    for d in &ds {
                        reports.push(DexReport {
                            name: name.clone(),
                            size: d.own_len() as u64,
                            version: d.version(),
                            classes: d.class_defs_count(),
                            method_ids: d.method_ids_count(),
                            methods_with_code: 0,
                            invokes: 0,
                            checksum_ok: d.checksum_check() != Check::Bad,
                            error: None,
                        });
                    }
                    all.extend(ds);
                }
                Err(e) => {
                    sink.add(
                        "dex.unreadable",
                        Severity::Error,
                        name.clone(),
                        format!("{e}; the other dex files are still read"),
                    );
                    reports.push(DexReport {
                        name: name.clone(),
                        size,
                        version: 0,
                        classes: 0,
                        method_ids: 0,
                        methods_with_code: 0,
                        invokes: 0,
                        checksum_ok: false,
                        error: Some(e),
                    });
                }
            }
        }
        all
    });

    let index = t.stage("dex-index", || CodeIndex::build_parallel(dexes, &mut sink));
    // Fill in the per-dex counts; readable dex reports are in index order.
    let mut summaries = index.summaries().into_iter();
    for r in reports.iter_mut().filter(|r| r.error.is_none()) {
        if let Some(s) = summaries.next() {
            r.methods_with_code = s.methods_with_code;
            r.invokes = s.invokes;
        }
    }
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

    let (mut anomalies, mut dropped) = apk.anomalies();
    let (dex_anoms, dex_dropped) = sink.into_parts();
    anomalies.extend(dex_anoms);
    dropped += dex_dropped;

    let report = InspectReport {
        schema: "pipa.inspect/1",
        pipa_version: env!("CARGO_PKG_VERSION"),
        file: FileInfo {
            path: shown,
            size: bytes.len() as u64,
            sha256,
        },
        manifest: apk.manifest.clone(),
        network_security_config: apk.network_security_config.clone(),
        signing: apk.signing.clone(),
        native_libs: apk.native_libs.clone(),
        assets: apk.assets.clone(),
        other_code: apk.other_code.clone(),
        dex: reports,
        code_index,
        anomalies,
        anomalies_dropped: dropped,
    };
    t.finish();
    Ok((report, t))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The file's bytes, memory-mapped (read-only, private): only the pages the
/// readers touch are loaded, and the kernel can drop them under pressure.
/// Falls back to reading into memory where mapping is not possible (pipes,
/// empty files).
fn map_file(path: &Path) -> std::io::Result<FileBytes> {
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if meta.is_file() && meta.len() > 0 {
        // SAFETY: the map is read-only and private. If another process
        // truncates the file while we read it, access faults (SIGBUS); that is
        // the documented limit of mapping, shared with every mmap-based reader.
        if let Ok(m) = unsafe { memmap2::Mmap::map(&file) } {
            return Ok(FileBytes::Mapped(m));
        }
    }
    let mut v = Vec::new();
    std::io::Read::read_to_end(&mut std::io::BufReader::new(file), &mut v)?;
    Ok(FileBytes::Owned(v))
}

/// A package's bytes: mapped or owned.
enum FileBytes {
    Mapped(memmap2::Mmap),
    Owned(Vec<u8>),
}

impl FileBytes {
    /// Tells the kernel the mapped pages read so far are not needed now: they
    /// leave our resident set and fault back in from the page cache if touched
    /// again. Lowers peak memory on large packages; no effect on owned bytes.
    fn release_pages(&self) {
        #[cfg(unix)]
        if let FileBytes::Mapped(m) = self {
            // SAFETY: the mapping is read-only and private and never written,
            // so dropping its pages loses nothing: they are re-read from the file.
            let _ = unsafe { m.unchecked_advise(memmap2::UncheckedAdvice::DontNeed) };
        }
    }
}

impl std::ops::Deref for FileBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            FileBytes::Mapped(m) => m,
            FileBytes::Owned(v) => v,
        }
    }
}
