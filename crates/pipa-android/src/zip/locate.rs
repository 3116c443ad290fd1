//! Finding the end-of-central-directory record (and its zip64 companions) by
//! scanning back from the end of the file, the way libziparchive does.

use super::ZipError;
use super::bytes::{u16_at, u32_at, u64_at};
use pipa_core::{AnomalySink, Severity};

pub(crate) const EOCD_SIG: u32 = 0x0605_4b50;
pub(crate) const EOCD_LEN: usize = 22;
pub(crate) const ZIP64_LOCATOR_SIG: u32 = 0x0706_4b50;
pub(crate) const ZIP64_LOCATOR_LEN: usize = 20;
pub(crate) const ZIP64_EOCD_SIG: u32 = 0x0606_4b50;
pub(crate) const ZIP64_EOCD_LEN: usize = 56;
/// The archive comment is at most 64 KiB, so the EOCD starts within this many
/// bytes of the end.
pub(crate) const MAX_EOCD_SEARCH: usize = EOCD_LEN + u16::MAX as usize;

/// What the end records say about the central directory.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EndInfo {
    /// Offset of the (32-bit) EOCD record.
    pub eocd_offset: usize,
    /// Declared number of central-directory records.
    pub entries: u64,
    /// Declared central-directory size.
    pub cd_size: u64,
    /// Declared central-directory offset (before any prefix correction).
    pub cd_offset: u64,
    /// Where the central directory must end: the zip64 EOCD record if
    /// present, else the EOCD.
    pub cd_end_bound: usize,
    /// Offset of the zip64 EOCD record, when one was used.
    pub zip64_offset: Option<usize>,
    /// Archive comment range.
    pub comment: (usize, usize),
}

fn has_sig(d: &[u8], off: usize, sig: u32) -> bool {
    u32_at(d, off) == Some(sig)
}

/// Whether the EOCD candidate at `off` points at a central directory record
/// (declared or implied by its size), or declares an empty archive.
fn plausible(d: &[u8], off: usize) -> bool {
    let n = u16_at(d, off + 10).unwrap_or(0);
    let size = u32_at(d, off + 12).unwrap_or(0) as usize;
    let cd = u32_at(d, off + 16).unwrap_or(0) as usize;
    if n == 0 && size == 0 {
        return true;
    }
    if n == u16::MAX || size == u32::MAX as usize || cd == u32::MAX as usize {
        return off >= ZIP64_LOCATOR_LEN && has_sig(d, off - ZIP64_LOCATOR_LEN, ZIP64_LOCATOR_SIG);
    }
    const CD_SIG: u32 = 0x0201_4b50;
    (cd < off && has_sig(d, cd, CD_SIG))
        || off.checked_sub(size).is_some_and(|c| has_sig(d, c, CD_SIG))
}

/// Locates the EOCD. Prefers the candidate (scanning backwards) whose comment
/// length ends exactly at the end of the file, as Android requires; otherwise
/// takes the last plausible one and records `zip.trailing_data`.
pub(crate) fn find_end(d: &[u8], sink: &mut AnomalySink) -> Result<EndInfo, ZipError> {
    if d.len() < EOCD_LEN {
        return Err(ZipError::NotZip { searched: d.len() });
    }
    let search_start = d.len().saturating_sub(MAX_EOCD_SEARCH);
    let window = d.get(search_start..).unwrap_or(&[]);
    let mut fallback: Option<usize> = None;
    let mut exact: Option<usize> = None;
    let mut last_resort: Option<usize> = None;
    for rel in memchr::memmem::rfind_iter(window, &EOCD_SIG.to_le_bytes()) {
        let off = search_start + rel;
        if off + EOCD_LEN > d.len() {
            continue;
        }
        let comment_len = u16_at(d, off + 20).unwrap_or(0) as usize;
        if off + EOCD_LEN + comment_len == d.len() {
            exact = Some(off);
            break;
        }
        last_resort = last_resort.or(Some(off));
        if fallback.is_none() && plausible(d, off) {
            fallback = Some(off);
        }
    }
    let eocd_offset = match (exact, fallback.or(last_resort)) {
        (Some(o), _) => o,
        (None, Some(o)) => {
            let comment_len = u16_at(d, o + 20).unwrap_or(0) as usize;
            sink.add(
                "zip.trailing_data",
                Severity::Warning,
                "<archive>",
                format!(
                    "the end-of-central-directory record at {o} does not end the file \
                     (comment length {comment_len}, {} bytes after it); Android rejects such files",
                    d.len() as i64 - (o + EOCD_LEN + comment_len) as i64
                ),
            );
            o
        }
        (None, None) => {
            return Err(ZipError::NotZip {
                searched: window.len(),
            });
        }
    };
    let comment_len = u16_at(d, eocd_offset + 20).unwrap_or(0) as usize;
    let comment_start = eocd_offset + EOCD_LEN;
    let comment = (comment_start, (comment_start + comment_len).min(d.len()));

    let disk = u16_at(d, eocd_offset + 4).unwrap_or(0);
    let cd_disk = u16_at(d, eocd_offset + 6).unwrap_or(0);
    let n_disk = u16_at(d, eocd_offset + 8).unwrap_or(0);
    let n16 = u16_at(d, eocd_offset + 10).unwrap_or(0);
    let size32 = u32_at(d, eocd_offset + 12).unwrap_or(0);
    let off32 = u32_at(d, eocd_offset + 16).unwrap_or(0);
    if disk != 0 || cd_disk != 0 || n_disk != n16 {
        sink.add(
            "zip.multi_disk",
            Severity::Info,
            "<archive>",
            format!(
                "EOCD disk fields are odd (disk {disk}, cd disk {cd_disk}, {n_disk} vs {n16} records); ignored"
            ),
        );
    }

    let mut info = EndInfo {
        eocd_offset,
        entries: u64::from(n16),
        cd_size: u64::from(size32),
        cd_offset: u64::from(off32),
        cd_end_bound: eocd_offset,
        zip64_offset: None,
        comment,
    };

    // Zip64: the locator sits right before the EOCD.
    let saturated = n16 == u16::MAX || size32 == u32::MAX || off32 == u32::MAX;
    if let Some(loc) = eocd_offset.checked_sub(ZIP64_LOCATOR_LEN)
        && has_sig(d, loc, ZIP64_LOCATOR_SIG)
    {
        let declared = u64_at(d, loc + 8).unwrap_or(u64::MAX);
        let adjacent = loc.checked_sub(ZIP64_EOCD_LEN);
        let declared_ok = usize::try_from(declared)
            .ok()
            .filter(|&o| o < loc && has_sig(d, o, ZIP64_EOCD_SIG));
        let rec = match declared_ok {
            Some(o) => Some(o),
            None => {
                let adj = adjacent.filter(|&o| has_sig(d, o, ZIP64_EOCD_SIG));
                if adj.is_some() {
                    sink.add(
                        "zip.zip64_offset",
                        Severity::Info,
                        "<archive>",
                        format!(
                            "zip64 locator points at {declared}, but the zip64 EOCD record is at {}; using the latter",
                            adj.unwrap_or(0)
                        ),
                    );
                }
                adj
            }
        };
        match rec {
            Some(r) => {
                let n64 = u64_at(d, r + 32).unwrap_or(0);
                let size64 = u64_at(d, r + 40).unwrap_or(0);
                let off64 = u64_at(d, r + 48).unwrap_or(0);
                // Like libziparchive: the zip64 values rule when any 32-bit
                // field is saturated; otherwise the 32-bit ones do.
                if saturated {
                    info.entries = n64;
                    info.cd_size = size64;
                    info.cd_offset = off64;
                } else if (n64, size64, off64)
                    != (u64::from(n16), u64::from(size32), u64::from(off32))
                {
                    sink.add(
                        "zip.zip64_mismatch",
                        Severity::Info,
                        "<archive>",
                        format!(
                            "zip64 end record ({n64} records, cd {size64} bytes at {off64}) disagrees with \
                             the EOCD ({n16} records, cd {size32} bytes at {off32}); using the EOCD"
                        ),
                    );
                }
                info.cd_end_bound = r;
                info.zip64_offset = Some(r);
            }
            None => sink.add(
                "zip.bad_zip64",
                Severity::Warning,
                "<archive>",
                "a zip64 locator is present but no zip64 end record was found; using the 32-bit EOCD",
            ),
        }
    } else if saturated {
        sink.add(
            "zip.bad_zip64",
            Severity::Info,
            "<archive>",
            "EOCD fields are saturated but there is no zip64 locator; walking the central directory by signature",
        );
    }
    Ok(info)
}
