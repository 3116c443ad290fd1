//! Reading a package for any front end: map the file (or take the bytes),
//! hash it, parse the container and manifest, inflate and parse every dex,
//! build the code index — each a timed stage. `pipa inspect`, `pipa scan`
//! and `pipa diff` all start here.

use crate::timings::Timings;
use anyhow::Context;
use pipa_android::{Apk, ApkError};
use pipa_core::{Anomaly, AnomalySink, Limits, Severity};
use pipa_dex::{Check, CodeIndex, Dex, ParseOptions};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::Path;

/// What the package is read for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Facts only (`pipa inspect`).
    Inspect,
    /// An assessment, which builds the call graph.
    Assess,
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

/// An APK read and indexed. The model and the index borrow the file's bytes,
/// so they are lent to a closure (see [`with_apk`]) rather than returned.
pub struct Loaded<'a, 'd> {
    /// Path as given.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the whole file, hex.
    pub sha256: String,
    /// The package model.
    pub apk: &'a Apk<'d>,
    /// The code index over every readable dex.
    pub index: &'a CodeIndex<'d>,
    /// Each dex file in load order, readable or not.
    pub dex: Vec<DexReport>,
    /// Everything odd found while reading (container, manifest, signing, dex).
    pub anomalies: Vec<Anomaly>,
    /// Anomalies not kept past the caps.
    pub anomalies_dropped: usize,
}

impl<'a, 'd> Loaded<'a, 'd> {
    /// What the engine assesses: this package with the user's policy, app
    /// type and first-party prefixes (`pipa scan`, `pipa diff`).
    pub fn scan_input(
        self,
        policy: Option<&'a pipa_policy::Policy>,
        category: Option<&'a pipa_kb::AppType>,
        first_party: &[String],
    ) -> pipa_engine::ScanInput<'a, 'd> {
        pipa_engine::ScanInput {
            path: self.path,
            sha256: self.sha256,
            apk: self.apk,
            index: self.index,
            anomalies: self.anomalies,
            policy,
            category,
            first_party: first_party.to_vec(),
        }
    }
}

/// Reads and indexes `path` (stages `read`, `sha256`, `zip+manifest`,
/// `dex-inflate`, `dex-parse`, `dex-index` in `t`), then calls `f` with the
/// result and `t` for further stages. Errors name the file and the problem.
pub fn with_apk<R>(
    path: &Path,
    t: &mut Timings,
    purpose: Purpose,
    f: impl FnOnce(Loaded<'_, '_>, &mut Timings) -> R,
) -> anyhow::Result<R> {
    let shown = path.display().to_string();
    let file = t
        .stage("read", || map_file(path))
        .with_context(|| format!("{shown}: cannot read"))?;
    read_hashed(&shown, &file, &|| file.release_pages(), t, purpose, f)
}

/// As [`with_apk`], for a package already in memory (an upload): `name`
/// stands for it in errors and in the assessment's `input.path`.
pub fn with_bytes<R>(
    name: &str,
    bytes: &[u8],
    t: &mut Timings,
    purpose: Purpose,
    f: impl FnOnce(Loaded<'_, '_>, &mut Timings) -> R,
) -> anyhow::Result<R> {
    read_hashed(name, bytes, &|| {}, t, purpose, f)
}

/// Hashes `bytes` on another thread beside the reading (the dex inflate
/// leaves a core idle), reads and indexes them; `release` drops the pages
/// read so far once the hash and the index are done.
fn read_hashed<R>(
    shown: &str,
    bytes: &[u8],
    release: &dyn Fn(),
    t: &mut Timings,
    purpose: Purpose,
    f: impl FnOnce(Loaded<'_, '_>, &mut Timings) -> R,
) -> anyhow::Result<R> {
    if bytes.is_empty() {
        anyhow::bail!("{shown}: empty file (0 bytes): not an APK");
    }
    std::thread::scope(|sc| {
        let hasher = sc.spawn(|| {
            let t0 = std::time::Instant::now();
            let h = hex(&Sha256::digest(bytes));
            (h, t0.elapsed().as_secs_f64() * 1e3)
        });
        read_and_index(shown, bytes, release, t, purpose, hasher, f)
    })
}

type HashJob<'s> = std::thread::ScopedJoinHandle<'s, (String, f64)>;

fn read_and_index<R>(
    shown: &str,
    bytes: &[u8],
    release: &dyn Fn(),
    t: &mut Timings,
    purpose: Purpose,
    hasher: HashJob<'_>,
    f: impl FnOnce(Loaded<'_, '_>, &mut Timings) -> R,
) -> anyhow::Result<R> {
    let shown = shown.to_string();
    let limits = Limits::default();
    let apk = t
        .stage("zip+manifest", || Apk::parse(bytes, limits))
        .map_err(|e: ApkError| {
            let e = e.to_string();
            // An Android library (AAR): a text manifest and the classes in classes.jar.
            if e.contains("text XML") && bytes.windows(11).any(|w| w == b"classes.jar") {
                anyhow::anyhow!(
                    "{shown}: an Android library (AAR: classes.jar and a text AndroidManifest.xml), not an APK; pipa reads APKs: assess an app that embeds the library ({e})"
                )
            } else {
                anyhow::anyhow!("{shown}: {e}")
            }
        })?;

    let blobs = t.stage("dex-inflate", || apk.read_dex());

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

    let index = t.stage("dex-index", || match purpose {
        Purpose::Inspect => CodeIndex::build_parallel(dexes, &mut sink),
        // The call graph's hierarchy and methods are built beside the index.
        Purpose::Assess => CodeIndex::build_parallel_for_graph(dexes, &mut sink),
    });
    // Fill in the per-dex counts; readable dex reports are in index order.
    let mut summaries = index.summaries().into_iter();
    for r in reports.iter_mut().filter(|r| r.error.is_none()) {
        if let Some(s) = summaries.next() {
            r.methods_with_code = s.methods_with_code;
            r.invokes = s.invokes;
        }
    }

    let (sha256, hash_ms) = match hasher.join() {
        Ok(v) => v,
        Err(e) => std::panic::resume_unwind(e),
    };
    t.overlapped("sha256 (parallel)", hash_ms);
    // The hashed and compressed data is not needed again (stored dex pages
    // and entries read later fault back in).
    release();

    let (mut anomalies, mut dropped) = apk.anomalies();
    let (dex_anoms, dex_dropped) = sink.into_parts();
    anomalies.extend(dex_anoms);
    dropped += dex_dropped;

    let loaded = Loaded {
        path: shown,
        size: bytes.len() as u64,
        sha256,
        apk: &apk,
        index: &index,
        dex: reports,
        anomalies,
        anomalies_dropped: dropped,
    };
    Ok(f(loaded, t))
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
