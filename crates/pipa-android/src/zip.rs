//! A zip reader that reads an APK the way Android does, and never falls over.
//!
//! The reader works over the whole file as `&[u8]` (read or memory-mapped by
//! the caller). It follows Android's libziparchive: the end-of-central-directory
//! record is found by scanning back from the end, the central directory (CD) is
//! walked, and the **CD's** method, sizes and offsets are used; the local file
//! header only tells where an entry's data starts (its name and extra lengths).
//!
//! Tricks that confuse other tools (BadPack-style bogus compression methods,
//! fake encryption flags, zeroed local headers, junk before the archive,
//! duplicate names, overlapping entries) are tolerated and recorded as
//! [`Anomaly`](pipa_core::Anomaly) values with stable `zip.*` codes.
//!
//! Resource use is bounded by [`Limits`]: the number of entries, each entry's
//! inflated size, and the total bytes inflated over the archive's lifetime.
//!
//! ## Compression methods
//!
//! Android has two readers. libziparchive's `ExtractToWriter` handles only
//! 0 (stored) and 8 (deflated) and fails on anything else, while the resource
//! loader (`androidfw` `ZipAssetsProvider::OpenInternal`), which reads
//! `AndroidManifest.xml` and `resources.arsc` at install time, inflates when the
//! method is 8 and maps the data **as stored** (`uncompressed_size` bytes) for
//! any other value. That is what BadPack relies on. For a method other than 0
//! and 8 we therefore first take the stored view; if its CRC does not match
//! we try inflating; if neither matches we return the stored view (Android's).

mod bytes;
mod inflate;
mod locate;
#[cfg(test)]
mod tests;

use bytes::{slice_at, u16_at, u32_at, u64_at};
use pipa_core::{AnomalySink, Limits, Severity};
use std::borrow::Cow;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};

/// Compression method 0: stored.
pub const METHOD_STORED: u16 = 0;
/// Compression method 8: deflated.
pub const METHOD_DEFLATED: u16 = 8;

const CD_SIG: u32 = 0x0201_4b50;
const CD_LEN: usize = 46;
const LFH_SIG: u32 = 0x0403_4b50;
const LFH_LEN: usize = 30;
const ZIP64_EXTRA_ID: u16 = 0x0001;
const FLAG_ENCRYPTED: u16 = 0x0001;
const FLAG_STRONG_ENCRYPTION: u16 = 0x0040;
const FLAG_DATA_DESCRIPTOR: u16 = 0x0008;
const APK_SIG_MAGIC: &[u8; 16] = b"APK Sig Block 42";

/// Why an archive or an entry could not be read. Each message is one line; the
/// caller prefixes the file name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZipError {
    /// No end-of-central-directory record near the end of the file.
    #[error(
        "not a zip archive, or cut short: no end-of-central-directory record in the last {searched} bytes"
    )]
    NotZip {
        /// How many bytes at the end of the file were searched.
        searched: usize,
    },
    /// The central directory is missing or cut short.
    #[error("truncated central directory: {detail}")]
    TruncatedCentralDirectory {
        /// What exactly is missing.
        detail: String,
    },
    /// An entry's data lies (partly) outside the file.
    #[error(
        "data of entry `{name}` is out of bounds: bytes {start}..{end} of a {file_len}-byte file"
    )]
    DataOutOfBounds {
        /// Entry name.
        name: String,
        /// First byte of the data.
        start: u64,
        /// One past the last byte of the data.
        end: u64,
        /// Length of the file.
        file_len: u64,
    },
    /// An entry inflates (or claims to inflate) to more than the per-entry limit.
    #[error("entry `{name}` is too large: {size} bytes inflated (limit {limit})")]
    EntryTooLarge {
        /// Entry name.
        name: String,
        /// Declared or reached size.
        size: u64,
        /// The per-entry limit.
        limit: u64,
    },
    /// The archive's total inflate budget is spent.
    #[error(
        "inflate budget exhausted at entry `{name}`: {used} of {limit} bytes already inflated from this archive"
    )]
    BudgetExhausted {
        /// Entry name.
        name: String,
        /// Bytes inflated so far.
        used: u64,
        /// The total limit.
        limit: u64,
    },
    /// The deflate stream is corrupt.
    #[error("cannot inflate entry `{name}`: {detail}")]
    Inflate {
        /// Entry name.
        name: String,
        /// zlib's complaint.
        detail: String,
    },
}

/// One central-directory entry. Sizes, method, CRC and flags come from the
/// central directory; the `local_*` fields show what the local header said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Entry name, lossily decoded as UTF-8.
    pub name: String,
    /// Position in the central directory (0-based).
    pub index: usize,
    /// Compression method from the central directory.
    pub method: u16,
    /// Compressed size from the central directory (zip64-aware).
    pub compressed_size: u64,
    /// Uncompressed size from the central directory (zip64-aware).
    pub uncompressed_size: u64,
    /// CRC-32 from the central directory.
    pub crc32: u32,
    /// Offset of the first data byte in the file.
    pub data_offset: u64,
    /// General-purpose flags from the central directory.
    pub flags: u16,
    /// Offset of the local header in the file (after prefix correction).
    pub local_header_offset: u64,
    /// The local header's compression method, if a local header was found.
    pub local_method: Option<u16>,
    /// The local header's general-purpose flags, if a local header was found.
    pub local_flags: Option<u16>,
}

impl Entry {
    /// True for directory entries (names ending in `/`).
    pub fn is_dir(&self) -> bool {
        self.name.ends_with('/')
    }

    /// The byte range the entry occupies from its local header to the end of
    /// its data (stored entries span the larger of the two sizes, as Android
    /// maps `uncompressed_size` bytes of them).
    pub fn file_range(&self) -> (u64, u64) {
        let len = if self.method == METHOD_STORED {
            self.compressed_size.max(self.uncompressed_size)
        } else {
            self.compressed_size
        };
        (
            self.local_header_offset,
            self.data_offset.saturating_add(len),
        )
    }
}

// Read-time anomaly kinds, each reported once per entry.
const R_BAD_CRC: u8 = 1;
const R_SIZE: u8 = 2;
const R_TRUNCATED: u8 = 4;
const R_METHOD: u8 = 8;

/// A parsed archive borrowing the file's bytes. `Send + Sync`: entries may be
/// read from several threads; the inflate budget is shared.
#[derive(Debug)]
pub struct Archive<'a> {
    data: &'a [u8],
    limits: Limits,
    entries: Vec<Entry>,
    /// Entry indices sorted by (name, index): binary search for `by_name`.
    sorted: Vec<u32>,
    cd_offset: u64,
    cd_size: u64,
    eocd_offset: u64,
    prefix_shift: i64,
    comment: (usize, usize),
    zip64: bool,
    signing_block: Option<(usize, usize)>,
    anomalies: Mutex<AnomalySink>,
    reported: Vec<AtomicU8>,
    inflated: AtomicU64,
}

fn has_sig(d: &[u8], off: u64, sig: u32) -> bool {
    bytes::to_usize(off).and_then(|o| u32_at(d, o)) == Some(sig)
}

fn name_is_unsafe(name: &str) -> Option<&'static str> {
    if name.starts_with('/') || name.starts_with('\\') {
        return Some("absolute path");
    }
    let b = name.as_bytes();
    if b.len() >= 2 && b.get(1) == Some(&b':') && b.first().is_some_and(u8::is_ascii_alphabetic) {
        return Some("drive-letter path");
    }
    if name.split(['/', '\\']).any(|c| c == "..") {
        return Some("`..` component");
    }
    if name.contains('\0') {
        return Some("NUL byte");
    }
    None
}

/// Parses the zip64 extended-information extra field: 64-bit values follow,
/// in order, for each 32-bit field that is saturated.
fn zip64_extra(extra: &[u8], want: [bool; 3]) -> Option<[Option<u64>; 3]> {
    let mut pos = 0usize;
    while pos + 4 <= extra.len() {
        let id = u16_at(extra, pos)?;
        let len = u16_at(extra, pos + 2)? as usize;
        let body = extra.get(pos + 4..pos + 4 + len)?;
        if id == ZIP64_EXTRA_ID {
            let mut out = [None; 3];
            let mut p = 0usize;
            for (slot, w) in out.iter_mut().zip(want) {
                if w {
                    *slot = Some(u64_at(body, p)?);
                    p += 8;
                }
            }
            return Some(out);
        }
        pos += 4 + len;
    }
    None
}

impl<'a> Archive<'a> {
    /// Parses the archive: end records, central directory, local headers.
    /// Fails only when there is no usable central directory; everything odd
    /// but readable becomes an anomaly.
    pub fn parse(data: &'a [u8], limits: Limits) -> Result<Archive<'a>, ZipError> {
        let mut sink = AnomalySink::default();
        let end = locate::find_end(data, &mut sink)?;
        let len = data.len() as u64;
        let bound = end.cd_end_bound as u64;

        // Where is the central directory really? Junk before the archive
        // shifts everything by the same amount: detect it by comparing the
        // declared CD offset with the position implied by the EOCD.
        let implied = bound.checked_sub(end.cd_size);
        let (cd_start, shift) = if has_sig(data, end.cd_offset, CD_SIG) && end.cd_offset <= bound {
            (end.cd_offset, 0i64)
        } else if let Some(imp) = implied.filter(|&i| has_sig(data, i, CD_SIG)) {
            let shift = imp as i64 - end.cd_offset as i64;
            (imp, shift)
        } else if end.entries == 0 || end.cd_size == 0 {
            (implied.unwrap_or(bound), 0)
        } else {
            return Err(ZipError::TruncatedCentralDirectory {
                detail: format!(
                    "no central directory record at offset {} (declared) or {} (implied by the EOCD at {})",
                    end.cd_offset,
                    implied.map_or_else(|| "-".to_string(), |i| i.to_string()),
                    end.eocd_offset
                ),
            });
        };
        if shift > 0 {
            sink.add(
                "zip.junk_prefix",
                Severity::Warning,
                "<archive>",
                format!(
                    "{shift} bytes precede the archive and its offsets were not adjusted; corrected \
                     (Android rejects such files)"
                ),
            );
        } else if shift < 0 {
            sink.add(
                "zip.bad_cd_offset",
                Severity::Warning,
                "<archive>",
                format!(
                    "declared central directory offset {} is {} bytes past the real one; corrected",
                    end.cd_offset, -shift
                ),
            );
        }

        // Walk the central directory by signature, bounded by the end records.
        let mut entries: Vec<Entry> = Vec::with_capacity(
            usize::try_from(end.entries.min(limits.max_entries as u64).min(1 << 20)).unwrap_or(0),
        );
        let mut pos = usize::try_from(cd_start).unwrap_or(usize::MAX);
        let bound_usize = end.cd_end_bound;
        let mut truncated = false;
        while pos.saturating_add(CD_LEN) <= bound_usize && u32_at(data, pos) == Some(CD_SIG) {
            if entries.len() >= limits.max_entries {
                sink.add(
                    "zip.too_many_entries",
                    Severity::Error,
                    "<archive>",
                    format!(
                        "more than {} entries; the rest are ignored",
                        limits.max_entries
                    ),
                );
                break;
            }
            let f16 = |o: usize| u16_at(data, pos + o).unwrap_or(0);
            let f32_ = |o: usize| u32_at(data, pos + o).unwrap_or(0);
            let flags = f16(8);
            let method = f16(10);
            let crc32 = f32_(16);
            let csize32 = f32_(20);
            let usize32 = f32_(24);
            let nlen = f16(28) as usize;
            let xlen = f16(30) as usize;
            let clen = f16(32) as usize;
            let lfh32 = f32_(42);
            let name_start = pos + CD_LEN;
            let next = name_start + nlen + xlen + clen;
            if next > bound_usize {
                truncated = true;
                break;
            }
            let name_bytes = data.get(name_start..name_start + nlen).unwrap_or(&[]);
            let extra = data
                .get(name_start + nlen..name_start + nlen + xlen)
                .unwrap_or(&[]);
            let name = match std::str::from_utf8(name_bytes) {
                Ok(s) => s.to_owned(),
                Err(_) => {
                    let n = String::from_utf8_lossy(name_bytes).into_owned();
                    sink.add(
                        "zip.bad_name_encoding",
                        Severity::Info,
                        n.clone(),
                        "entry name is not valid UTF-8 (Android rejects such names); decoded lossily",
                    );
                    n
                }
            };
            let index = entries.len();

            let mut compressed_size = u64::from(csize32);
            let mut uncompressed_size = u64::from(usize32);
            let mut lfh_raw = u64::from(lfh32);
            let want = [usize32 == u32::MAX, csize32 == u32::MAX, lfh32 == u32::MAX];
            if want.iter().any(|&w| w) {
                match zip64_extra(extra, want) {
                    Some([u, c, o]) => {
                        uncompressed_size = u.unwrap_or(uncompressed_size);
                        compressed_size = c.unwrap_or(compressed_size);
                        lfh_raw = o.unwrap_or(lfh_raw);
                    }
                    None => sink.add(
                        "zip.bad_zip64_extra",
                        Severity::Warning,
                        name.clone(),
                        "saturated size or offset without a usable zip64 extra field; using 32-bit values",
                    ),
                }
            }

            // Local header: at the corrected offset, else at the raw one.
            let corrected = (lfh_raw as i128 + shift as i128).clamp(0, u64::MAX as i128) as u64;
            let lfh_off = if has_sig(data, corrected, LFH_SIG) || !has_sig(data, lfh_raw, LFH_SIG) {
                corrected
            } else {
                lfh_raw
            };
            let lfh = bytes::to_usize(lfh_off).filter(|&o| u32_at(data, o) == Some(LFH_SIG));
            let (data_offset, local_method, local_flags) = match lfh {
                Some(o) => {
                    let l16 = |x: usize| u16_at(data, o + x).unwrap_or(0);
                    let l32 = |x: usize| u32_at(data, o + x).unwrap_or(0);
                    let lflags = l16(6);
                    let lmethod = l16(8);
                    let lcrc = l32(14);
                    let lcsize = l32(18);
                    let lusize = l32(22);
                    let lnlen = l16(26) as usize;
                    let lxlen = l16(28) as usize;
                    let data_offset = lfh_off + (LFH_LEN + lnlen + lxlen) as u64;
                    let mut diffs: Vec<&str> = Vec::new();
                    let lname = data.get(o + LFH_LEN..o + LFH_LEN + lnlen);
                    if lname != Some(name_bytes) {
                        diffs.push("name");
                    }
                    if lmethod != method && matches!(lmethod, METHOD_STORED | METHOD_DEFLATED) {
                        diffs.push("method");
                    }
                    if lflags & FLAG_DATA_DESCRIPTOR == 0 {
                        let (mut lc, mut lu) = (u64::from(lcsize), u64::from(lusize));
                        if lcsize == u32::MAX || lusize == u32::MAX {
                            let lextra = data
                                .get(o + LFH_LEN + lnlen..o + LFH_LEN + lnlen + lxlen)
                                .unwrap_or(&[]);
                            if let Some([u, c, _]) = zip64_extra(lextra, [true, true, false]) {
                                lu = u.unwrap_or(lu);
                                lc = c.unwrap_or(lc);
                            }
                        }
                        if lc != compressed_size || lu != uncompressed_size {
                            diffs.push("sizes");
                        }
                        if lcrc != crc32 {
                            diffs.push("crc");
                        }
                    }
                    if (lflags ^ flags) & FLAG_DATA_DESCRIPTOR != 0 {
                        diffs.push("flags");
                    }
                    if !diffs.is_empty() {
                        sink.add(
                            "zip.local_header_mismatch",
                            Severity::Warning,
                            name.clone(),
                            format!(
                                "local header disagrees with the central directory on {}; the central directory is used",
                                diffs.join(", ")
                            ),
                        );
                    }
                    if lmethod != method && !matches!(lmethod, METHOD_STORED | METHOD_DEFLATED) {
                        sink.add(
                            "zip.bogus_method",
                            Severity::Warning,
                            name.clone(),
                            format!(
                                "local header compression method {lmethod:#06x} is bogus; ignored (the central directory says {method})"
                            ),
                        );
                    }
                    if lflags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION) != 0
                        && flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION) == 0
                    {
                        sink.add(
                            "zip.fake_encryption",
                            Severity::Warning,
                            name.clone(),
                            "local header sets the encryption flag; Android ignores it",
                        );
                    }
                    (data_offset, Some(lmethod), Some(lflags))
                }
                None => {
                    sink.add(
                        "zip.bad_local_header",
                        Severity::Error,
                        name.clone(),
                        format!("no local header at offset {lfh_off}; data offset guessed from the central directory"),
                    );
                    (
                        lfh_off.saturating_add((LFH_LEN + nlen + xlen) as u64),
                        None,
                        None,
                    )
                }
            };

            if !matches!(method, METHOD_STORED | METHOD_DEFLATED) {
                sink.add(
                    "zip.bogus_method",
                    Severity::Warning,
                    name.clone(),
                    format!(
                        "central directory compression method {method:#06x} is bogus; Android's resource \
                         loader reads such entries as stored"
                    ),
                );
            }
            if flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION) != 0 {
                sink.add(
                    "zip.fake_encryption",
                    Severity::Warning,
                    name.clone(),
                    format!("encryption flag set ({flags:#06x}); Android ignores it and reads the data as plain"),
                );
            }
            if method == METHOD_STORED && compressed_size != uncompressed_size {
                sink.add(
                    "zip.size_mismatch",
                    Severity::Warning,
                    name.clone(),
                    format!(
                        "stored entry with compressed size {compressed_size} != uncompressed size {uncompressed_size}; \
                         Android reads the uncompressed size"
                    ),
                );
            }
            if let Some(why) = name_is_unsafe(&name) {
                sink.add(
                    "zip.unsafe_path",
                    Severity::Warning,
                    name.clone(),
                    format!("unsafe entry name ({why})"),
                );
            }
            if name.is_empty() {
                sink.add(
                    "zip.empty_name",
                    Severity::Info,
                    "<archive>",
                    format!("entry #{index} has an empty name"),
                );
            }
            if data_offset.saturating_add(compressed_size) > len {
                sink.add(
                    "zip.data_out_of_bounds",
                    Severity::Error,
                    name.clone(),
                    format!(
                        "data {}..{} lies beyond the end of the {len}-byte file",
                        data_offset,
                        data_offset.saturating_add(compressed_size)
                    ),
                );
            }

            entries.push(Entry {
                name,
                index,
                method,
                compressed_size,
                uncompressed_size,
                crc32,
                data_offset,
                flags,
                local_header_offset: lfh_off,
                local_method,
                local_flags,
            });
            pos = next;
        }
        let walked = (pos as u64).saturating_sub(cd_start);
        if truncated {
            sink.add(
                "zip.truncated_cd",
                Severity::Error,
                "<archive>",
                format!(
                    "central directory record #{} runs past the end records; stopped",
                    entries.len()
                ),
            );
        }
        if entries.is_empty() && end.entries > 0 {
            return Err(ZipError::TruncatedCentralDirectory {
                detail: format!(
                    "the EOCD declares {} entries but no central directory record could be read at offset {cd_start}",
                    end.entries
                ),
            });
        }
        if entries.len() as u64 != end.entries && entries.len() < limits.max_entries {
            sink.add(
                "zip.cd_count_mismatch",
                Severity::Warning,
                "<archive>",
                format!(
                    "the EOCD declares {} entries, the central directory holds {}; all found are used",
                    end.entries,
                    entries.len()
                ),
            );
        }
        if walked != end.cd_size && !truncated && entries.len() < limits.max_entries {
            sink.add(
                "zip.cd_size_mismatch",
                Severity::Info,
                "<archive>",
                format!(
                    "the EOCD declares a {}-byte central directory, {walked} bytes of records were found",
                    end.cd_size
                ),
            );
        }

        // Name index and duplicates.
        let mut sorted: Vec<u32> = (0..entries.len() as u32).collect();
        sorted.sort_unstable_by(|&a, &b| {
            let (ea, eb) = (entry_at(&entries, a), entry_at(&entries, b));
            ea.name.cmp(&eb.name).then(a.cmp(&b))
        });
        for w in sorted.windows(2) {
            if let [a, b] = *w {
                let (ea, eb) = (entry_at(&entries, a), entry_at(&entries, b));
                if ea.name == eb.name {
                    sink.add(
                        "zip.duplicate_name",
                        Severity::Warning,
                        eb.name.clone(),
                        format!(
                            "entry #{} repeats the name of entry #{}; pipa reads the first, other tools may read the second, and Android's installer (libziparchive) refuses such archives",
                            eb.index,
                            entry_at(&entries, sorted_first(&entries, &sorted, &eb.name)).index
                        ),
                    );
                }
            }
        }

        check_overlaps(&entries, cd_start, &mut sink);

        // Bytes before the first local header (junk with adjusted offsets).
        if shift == 0
            && let Some(first) = entries.iter().map(|e| e.local_header_offset).min()
            && first > 0
            && !is_virtual_entry_padding(data, first)
        {
            sink.add(
                "zip.junk_prefix",
                Severity::Info,
                "<archive>",
                format!(
                    "{first} bytes precede the first local header (Android rejects such files)"
                ),
            );
        }

        let signing_block = find_signing_block(data, cd_start);
        let reported = entries.iter().map(|_| AtomicU8::new(0)).collect();
        Ok(Archive {
            data,
            limits,
            entries,
            sorted,
            cd_offset: cd_start,
            cd_size: end.cd_size,
            eocd_offset: end.eocd_offset as u64,
            prefix_shift: shift,
            comment: end.comment,
            zip64: end.zip64_offset.is_some(),
            signing_block,
            anomalies: Mutex::new(sink),
            reported,
            inflated: AtomicU64::new(0),
        })
    }

    /// All central-directory entries, in CD order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The first entry with this exact name (O(log n)).
    pub fn by_name(&self, name: &str) -> Option<&Entry> {
        let i = self
            .sorted
            .partition_point(|&i| entry_at(&self.entries, i).name.as_str() < name);
        let e = self.entries.get(*self.sorted.get(i)? as usize)?;
        (e.name == name).then_some(e)
    }

    /// The whole file.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// Offset of the central directory in the file (after junk correction).
    pub fn cd_offset(&self) -> u64 {
        self.cd_offset
    }

    /// Declared size of the central directory.
    pub fn cd_size(&self) -> u64 {
        self.cd_size
    }

    /// Offset of the end-of-central-directory record.
    pub fn eocd_offset(&self) -> u64 {
        self.eocd_offset
    }

    /// How far declared offsets were shifted to find the data (positive when
    /// junk was prepended without fixing the offsets).
    pub fn prefix_shift(&self) -> i64 {
        self.prefix_shift
    }

    /// True when zip64 end records were found.
    pub fn is_zip64(&self) -> bool {
        self.zip64
    }

    /// The archive comment.
    pub fn comment(&self) -> &'a [u8] {
        self.data.get(self.comment.0..self.comment.1).unwrap_or(&[])
    }

    /// The limits this archive was opened with.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Total bytes inflated so far (counted against `Limits::max_total_size`).
    pub fn inflated_bytes(&self) -> u64 {
        self.inflated.load(Ordering::Relaxed)
    }

    /// The APK Signing Block (from its leading size field through the magic),
    /// if the bytes right before the central directory end with the magic
    /// `APK Sig Block 42` and its trailing size fits in the file. The two size
    /// fields are not checked against each other here (see `signing`).
    pub fn signing_block(&self) -> Option<&'a [u8]> {
        let (s, e) = self.signing_block?;
        self.data.get(s..e)
    }

    /// A snapshot of all anomalies so far: those found while parsing and those
    /// found while reading entries.
    pub fn anomalies(&self) -> AnomalySink {
        self.sink().clone()
    }

    /// Takes all anomalies recorded so far, leaving the archive's sink empty.
    pub fn take_anomalies(&self) -> AnomalySink {
        std::mem::take(&mut *self.sink())
    }

    fn sink(&self) -> std::sync::MutexGuard<'_, AnomalySink> {
        self.anomalies.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records a read-time anomaly once per entry and kind.
    fn report(&self, entry: &Entry, kind: u8, code: &'static str, sev: Severity, msg: String) {
        let first = match self.reported.get(entry.index) {
            Some(r) => r.fetch_or(kind, Ordering::Relaxed) & kind == 0,
            None => true,
        };
        if first {
            self.sink().add(code, sev, entry.name.clone(), msg);
        }
    }

    /// Reads an entry's bytes: stored data is borrowed (zero-copy), deflated
    /// data is inflated within the limits. CRC mismatches, size mismatches and
    /// truncated streams are recorded as anomalies and the data is returned.
    pub fn read(&self, entry: &Entry) -> Result<Cow<'a, [u8]>, ZipError> {
        match entry.method {
            METHOD_STORED => {
                let s = self.stored_view(entry)?;
                self.check_crc(entry, s);
                Ok(Cow::Borrowed(s))
            }
            METHOD_DEFLATED => {
                let out = self.inflate_entry(entry)?;
                self.check_crc(entry, &out);
                Ok(Cow::Owned(out))
            }
            _ => self.read_bogus(entry),
        }
    }

    /// Reads an entry by name (the first of duplicates).
    pub fn read_by_name(&self, name: &str) -> Option<Result<Cow<'a, [u8]>, ZipError>> {
        self.by_name(name).map(|e| self.read(e))
    }

    fn out_of_bounds(&self, entry: &Entry, len: u64) -> ZipError {
        ZipError::DataOutOfBounds {
            name: entry.name.clone(),
            start: entry.data_offset,
            end: entry.data_offset.saturating_add(len),
            file_len: self.data.len() as u64,
        }
    }

    /// Android maps `uncompressed_size` bytes of a stored entry; if that runs
    /// past the file but the compressed size fits, that is used instead.
    fn stored_view(&self, entry: &Entry) -> Result<&'a [u8], ZipError> {
        if let Some(s) = slice_at(self.data, entry.data_offset, entry.uncompressed_size) {
            return Ok(s);
        }
        if let Some(s) = slice_at(self.data, entry.data_offset, entry.compressed_size) {
            self.report(
                entry,
                R_SIZE,
                "zip.size_mismatch",
                Severity::Warning,
                format!(
                    "stored size {} runs past the file; read the compressed size {} instead",
                    entry.uncompressed_size, entry.compressed_size
                ),
            );
            return Ok(s);
        }
        Err(self.out_of_bounds(entry, entry.uncompressed_size.min(entry.compressed_size)))
    }

    fn check_crc(&self, entry: &Entry, data: &[u8]) -> bool {
        let crc = crc32fast::hash(data);
        if crc != entry.crc32 {
            self.report(
                entry,
                R_BAD_CRC,
                "zip.bad_crc",
                Severity::Warning,
                format!(
                    "CRC-32 is {crc:08x}, the central directory says {:08x}",
                    entry.crc32
                ),
            );
            return false;
        }
        true
    }

    fn budget_error(&self, entry: &Entry) -> ZipError {
        ZipError::BudgetExhausted {
            name: entry.name.clone(),
            used: self.inflated.load(Ordering::Relaxed),
            limit: self.limits.max_total_size,
        }
    }

    /// Inflates an entry within the per-entry cap and the remaining budget.
    fn inflate_entry(&self, entry: &Entry) -> Result<Vec<u8>, ZipError> {
        let input = slice_at(self.data, entry.data_offset, entry.compressed_size)
            .ok_or_else(|| self.out_of_bounds(entry, entry.compressed_size))?;
        let max_entry = self.limits.max_entry_size;
        if entry.uncompressed_size > max_entry {
            return Err(ZipError::EntryTooLarge {
                name: entry.name.clone(),
                size: entry.uncompressed_size,
                limit: max_entry,
            });
        }
        let used = self.inflated.load(Ordering::Relaxed);
        let remaining = self.limits.max_total_size.saturating_sub(used);
        if entry.uncompressed_size > remaining || (remaining == 0 && !input.is_empty()) {
            return Err(self.budget_error(entry));
        }
        let cap = max_entry.min(remaining);
        let result = inflate::inflate(input, entry.uncompressed_size, cap);
        let produced = match &result {
            Ok((v, _)) => v.len() as u64,
            Err(inflate::Fail::OverCap { produced }) => *produced,
            Err(inflate::Fail::Corrupt(_)) => 0,
        };
        let total = self
            .inflated
            .fetch_add(produced, Ordering::Relaxed)
            .saturating_add(produced);
        match result {
            Ok((out, end)) => {
                if total > self.limits.max_total_size {
                    return Err(self.budget_error(entry));
                }
                if end == inflate::End::Truncated {
                    self.report(
                        entry,
                        R_TRUNCATED,
                        "zip.truncated_entry",
                        Severity::Error,
                        format!(
                            "deflate stream ends early: {} of {} bytes",
                            out.len(),
                            entry.uncompressed_size
                        ),
                    );
                } else if out.len() as u64 != entry.uncompressed_size {
                    self.report(
                        entry,
                        R_SIZE,
                        "zip.size_mismatch",
                        Severity::Warning,
                        format!(
                            "inflated to {} bytes, the central directory says {}",
                            out.len(),
                            entry.uncompressed_size
                        ),
                    );
                }
                Ok(out)
            }
            Err(inflate::Fail::OverCap { produced }) => {
                if cap < max_entry {
                    Err(self.budget_error(entry))
                } else {
                    Err(ZipError::EntryTooLarge {
                        name: entry.name.clone(),
                        size: produced,
                        limit: max_entry,
                    })
                }
            }
            Err(inflate::Fail::Corrupt(detail)) => Err(ZipError::Inflate {
                name: entry.name.clone(),
                detail,
            }),
        }
    }

    /// A method other than 0 and 8: stored view first (Android's resource
    /// loader), then inflate, then the stored view regardless of CRC.
    fn read_bogus(&self, entry: &Entry) -> Result<Cow<'a, [u8]>, ZipError> {
        let stored = self.stored_view(entry);
        if let Ok(s) = stored
            && crc32fast::hash(s) == entry.crc32
        {
            return Ok(Cow::Borrowed(s));
        }
        if let Ok(out) = self.inflate_entry(entry)
            && crc32fast::hash(&out) == entry.crc32
        {
            self.report(
                entry,
                R_METHOD,
                "zip.bogus_method",
                Severity::Warning,
                format!(
                    "data under bogus method {:#06x} is actually deflated (Android would read it as stored)",
                    entry.method
                ),
            );
            return Ok(Cow::Owned(out));
        }
        let s = stored?;
        self.check_crc(entry, s);
        Ok(Cow::Borrowed(s))
    }
}

fn entry_at(entries: &[Entry], i: u32) -> &Entry {
    // Indices in `sorted` are built from `0..entries.len()`.
    &entries[i as usize]
}

fn sorted_first(entries: &[Entry], sorted: &[u32], name: &str) -> u32 {
    let i = sorted.partition_point(|&i| entry_at(entries, i).name.as_str() < name);
    sorted.get(i).copied().unwrap_or(0)
}

/// Entries whose byte ranges (local header through data) overlap each other
/// or the central directory: the overlap zip bomb, or entries sharing data.
fn check_overlaps(entries: &[Entry], cd_start: u64, sink: &mut AnomalySink) {
    let mut ranges: Vec<(u64, u64, u32)> = entries
        .iter()
        .map(|e| {
            let (s, end) = e.file_range();
            (s, end, e.index as u32)
        })
        .collect();
    ranges.sort_unstable();
    let mut max_end = 0u64;
    let mut owner = 0u32;
    for &(s, e, i) in &ranges {
        if s < max_end
            && let (Some(a), Some(b)) = (entries.get(i as usize), entries.get(owner as usize))
        {
            sink.add(
                    "zip.overlap",
                    Severity::Error,
                    a.name.clone(),
                    format!(
                        "data {s}..{e} overlaps entry #{} `{}` (overlapping entries: zip bomb or tampering)",
                        b.index, b.name
                    ),
                );
        }
        if e > max_end {
            max_end = e;
            owner = i;
        }
        if e > cd_start
            && s < cd_start
            && let Some(a) = entries.get(i as usize)
        {
            sink.add(
                "zip.overlap",
                Severity::Error,
                a.name.clone(),
                format!("data {s}..{e} runs into the central directory at {cd_start}"),
            );
        }
    }
}

/// The APK Signing Block ends right before the central directory with a
/// 64-bit size and the 16-byte magic.
fn find_signing_block(data: &[u8], cd_start: u64) -> Option<(usize, usize)> {
    let end = bytes::to_usize(cd_start)?;
    let magic_at = end.checked_sub(16)?;
    if data.get(magic_at..end)? != APK_SIG_MAGIC {
        return None;
    }
    let size = u64_at(data, end.checked_sub(24)?)?;
    let start = end.checked_sub(bytes::to_usize(size)?)?.checked_sub(8)?;
    Some((start, end))
}

/// True when `data[..end]` is nothing but "virtual entries": nameless local
/// headers, absent from the central directory, whose extra field pads up to the
/// next real entry. Android Gradle Plugin's zipflinger writes them when it
/// deletes or aligns entries in place; they are harmless, not junk.
fn is_virtual_entry_padding(data: &[u8], end: u64) -> bool {
    let Ok(end) = usize::try_from(end) else {
        return false;
    };
    let mut pos = 0usize;
    while pos < end {
        let Some(h) = data.get(pos..pos.saturating_add(30)) else {
            return false;
        };
        if h.get(..4) != Some(b"PK\x03\x04".as_slice()) {
            return false;
        }
        let le16 = |i: usize| {
            h.get(i..i + 2)
                .map_or(0, |b| u16::from_le_bytes([b[0], b[1]]) as usize)
        };
        let le32 = |i: usize| {
            h.get(i..i + 4)
                .map_or(u32::MAX, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        };
        // No name, no data: only the extra field, which is the padding.
        if le16(26) != 0 || le32(18) != 0 {
            return false;
        }
        pos = pos.saturating_add(30).saturating_add(le16(28));
    }
    pos == end
}
