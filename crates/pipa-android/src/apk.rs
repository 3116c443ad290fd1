//! An APK read the way the platform reads it: the archive, the manifest with
//! resources resolved, the signing block, native libraries, assets and the dex
//! files in load order.

use crate::arsc::{ResourceTable, parse_arsc};
use crate::axml::{AxmlError, parse_xml};
use crate::manifest::Manifest;
use crate::netsec::NetworkSecurityConfig;
use crate::resolve::{NoResources, Resolver};
use crate::signing::{SigningInfo, read_signing};
use crate::zip::{Archive, ZipError};
use pipa_core::{Anomaly, AnomalySink, Limits, Severity};
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Why a package could not be read at all. Everything less severe is an anomaly.
#[derive(Debug, thiserror::Error)]
pub enum ApkError {
    /// The container is not a readable zip.
    #[error("{0}")]
    Zip(#[from] ZipError),
    /// No `AndroidManifest.xml` entry.
    #[error("no AndroidManifest.xml in the archive (not an APK?)")]
    NoManifest,
    /// The manifest entry could not be inflated.
    #[error("AndroidManifest.xml cannot be read: {0}")]
    ManifestEntry(ZipError),
    /// The manifest is not decodable binary XML.
    #[error("AndroidManifest.xml cannot be decoded: {0}")]
    ManifestXml(AxmlError),
    /// The manifest decodes but is not a manifest.
    #[error("AndroidManifest.xml is not a manifest: {0}")]
    ManifestModel(String),
}

/// A native library inside the package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NativeLib {
    /// File name, e.g. `libjcore.so`.
    pub name: String,
    /// Full entry path.
    pub path: String,
    /// Inflated size in bytes, as the central directory says.
    pub size: u64,
}

/// A dex entry of the package, in the order the runtime loads them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DexEntry {
    /// Entry name (`classes.dex`, `classes2.dex`, …).
    pub name: String,
    /// Inflated size per the central directory.
    pub size: u64,
}

/// A dex entry's name and its inflated bytes, or why they could not be read.
pub type DexBlob<'a> = (String, Result<Cow<'a, [u8]>, String>);

/// Everything read from an APK, except the code (see [`Apk::read_dex`]).
pub struct Apk<'a> {
    archive: Archive<'a>,
    /// The decoded manifest.
    pub manifest: Manifest,
    /// resources.arsc, when present and readable.
    pub resources: Option<ResourceTable>,
    /// The network security config named by the manifest, when readable.
    pub network_security_config: Option<NetworkSecurityConfig>,
    /// Signing schemes and certificates.
    pub signing: SigningInfo,
    /// Native libraries per ABI (`arm64-v8a` → libs).
    pub native_libs: BTreeMap<String, Vec<NativeLib>>,
    /// Files under `assets/`.
    pub assets: Vec<String>,
    /// `classes*.dex` in load order.
    pub dex_entries: Vec<DexEntry>,
    /// Other entries that look like dex/jar/apk code outside the load path
    /// (packed or dynamically loaded code).
    pub other_code: Vec<String>,
    sink: AnomalySink,
}

impl<'a> Apk<'a> {
    /// Reads an APK from its bytes.
    pub fn parse(data: &'a [u8], limits: Limits) -> Result<Apk<'a>, ApkError> {
        let archive = Archive::parse(data, limits)?;
        let mut sink = AnomalySink::default();

        let resources = archive.by_name("resources.arsc").and_then(|e| {
            let parsed = archive
                .read(e)
                .map_err(|e| e.to_string())
                .and_then(|bytes| {
                    parse_arsc(&bytes, "resources.arsc", &mut sink).map_err(|e| e.to_string())
                });
            parsed
                .map_err(|err| {
                    sink.add(
                        "apk.resources_unreadable",
                        Severity::Error,
                        "resources.arsc",
                        format!("{err}; references in the manifest stay unresolved"),
                    )
                })
                .ok()
        });
        let resolver: &dyn Resolver = match &resources {
            Some(t) => t,
            None => &NoResources,
        };

        let entry = archive
            .by_name("AndroidManifest.xml")
            .ok_or(ApkError::NoManifest)?;
        let bytes = archive.read(entry).map_err(ApkError::ManifestEntry)?;
        let doc = parse_xml(&bytes, "AndroidManifest.xml", &limits, &mut sink)
            .map_err(ApkError::ManifestXml)?;
        let manifest =
            Manifest::from_xml(&doc, resolver, &mut sink).map_err(ApkError::ManifestModel)?;

        let network_security_config =
            manifest
                .flags
                .network_security_config
                .as_deref()
                .and_then(|path| {
                    let e = archive.by_name(path)?;
                    let bytes = match archive.read(e) {
                        Ok(b) => b,
                        Err(err) => {
                            sink.add(
                                "apk.netsec_unreadable",
                                Severity::Warning,
                                path,
                                err.to_string(),
                            );
                            return None;
                        }
                    };
                    match parse_xml(&bytes, path, &limits, &mut sink) {
                        Ok(doc) => Some(NetworkSecurityConfig::from_xml(&doc, path, resolver)),
                        Err(err) => {
                            sink.add(
                                "apk.netsec_unreadable",
                                Severity::Warning,
                                path,
                                err.to_string(),
                            );
                            None
                        }
                    }
                });

        let signing = read_signing(&archive);

        let mut native_libs: BTreeMap<String, Vec<NativeLib>> = BTreeMap::new();
        let mut assets = Vec::new();
        let mut dex_names = Vec::new();
        let mut other_code = Vec::new();
        for e in archive.entries() {
            let name = e.name.as_str();
            if let Some(rest) = name.strip_prefix("lib/")
                && let Some((abi, file)) = rest.split_once('/')
                && !file.is_empty()
                && !file.ends_with('/')
            {
                native_libs
                    .entry(abi.to_string())
                    .or_default()
                    .push(NativeLib {
                        name: file.rsplit('/').next().unwrap_or(file).to_string(),
                        path: name.to_string(),
                        size: e.uncompressed_size,
                    });
            } else if let Some(rest) = name.strip_prefix("assets/")
                && !rest.is_empty()
                && !rest.ends_with('/')
            {
                assets.push(name.to_string());
            }
            if let Some(n) = dex_number(name) {
                dex_names.push((n, name.to_string(), e.uncompressed_size));
            } else if looks_like_code(name) {
                other_code.push(name.to_string());
            }
        }
        // The runtime loads classes.dex, classes2.dex, … and stops at the first gap.
        dex_names.sort();
        let mut dex_entries = Vec::new();
        for (i, (n, name, size)) in dex_names.into_iter().enumerate() {
            if n as usize == i + 1 {
                dex_entries.push(DexEntry { name, size });
            } else {
                sink.add(
                    "apk.dex_not_loaded",
                    Severity::Warning,
                    name.clone(),
                    "dex number out of sequence: the runtime does not load it",
                );
                other_code.push(name);
            }
        }
        if dex_entries.len() > limits.max_dex_files {
            sink.add(
                "apk.too_many_dex",
                Severity::Error,
                "classes*.dex",
                format!(
                    "{} dex files; only the first {} are read",
                    dex_entries.len(),
                    limits.max_dex_files
                ),
            );
            dex_entries.truncate(limits.max_dex_files);
        }

        Ok(Apk {
            archive,
            manifest,
            resources,
            network_security_config,
            signing,
            native_libs,
            assets,
            dex_entries,
            other_code,
            sink,
        })
    }

    /// The underlying archive.
    pub fn archive(&self) -> &Archive<'a> {
        &self.archive
    }

    /// Inflates the dex files in load order. A damaged entry gives an `Err`
    /// (its one-line reason) for that entry only; the others are still returned.
    /// Entries are inflated in parallel (rayon's global pool).
    pub fn read_dex(&self) -> Vec<DexBlob<'a>> {
        self.dex_entries
            .par_iter()
            .map(|d| {
                let r = match self.archive.read_by_name(&d.name) {
                    Some(r) => r.map_err(|e| e.to_string()),
                    None => Err("entry vanished from the archive index".to_string()),
                };
                (d.name.clone(), r)
            })
            .collect()
    }

    /// All anomalies so far: the archive's (including reads), the manifest's and
    /// resources', the signing block's; and how many were not kept past the caps.
    pub fn anomalies(&self) -> (Vec<Anomaly>, usize) {
        let (mut all, mut dropped) = self.archive.anomalies().into_parts();
        all.extend(self.sink.items().iter().cloned());
        dropped += self.sink.dropped();
        all.extend(self.signing.anomalies.iter().cloned());
        (all, dropped)
    }
}

/// `classes.dex` → 1, `classesN.dex` → N; anything else → None.
fn dex_number(name: &str) -> Option<u32> {
    let mid = name.strip_prefix("classes")?.strip_suffix(".dex")?;
    if mid.is_empty() {
        return Some(1);
    }
    if mid.starts_with('0') || !mid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u32 = mid.parse().ok()?;
    (n >= 2).then_some(n)
}

fn looks_like_code(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".dex", ".jar", ".apk", ".odex", ".vdex", ".oat"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dex_numbers() {
        assert_eq!(dex_number("classes.dex"), Some(1));
        assert_eq!(dex_number("classes2.dex"), Some(2));
        assert_eq!(dex_number("classes16.dex"), Some(16));
        assert_eq!(dex_number("classes1.dex"), None);
        assert_eq!(dex_number("classes02.dex"), None);
        assert_eq!(dex_number("assets/classes.dex"), None);
        assert_eq!(dex_number("classesX.dex"), None);
    }
}
