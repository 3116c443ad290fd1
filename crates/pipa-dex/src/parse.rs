//! Entry points: one buffer to one or more [`Dex`] views.

use pipa_core::{AnomalySink, Severity};

use crate::checksum::{adler32, sha1};
use crate::dex::{Check, Dex};
use crate::error::DexError;
use crate::header::{HEADER_SIZE_V35, HEADER_SIZE_V41, Header, is_known_version};

/// What to verify while parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseOptions {
    /// Compute and compare the Adler-32 checksum (cheap).
    pub verify_checksum: bool,
    /// Compute and compare the SHA-1 signature (costs about 3 ms per MB).
    pub verify_signature: bool,
    /// Maximum number of dex headers read from one v041 container.
    pub max_container_dex: usize,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            verify_checksum: true,
            verify_signature: true,
            max_container_dex: 1000,
        }
    }
}

/// Parses a dex file (or a v041 container holding several dex) with default
/// [`ParseOptions`]. See [`parse_dex_file_with`].
pub fn parse_dex_file<'a>(
    data: &'a [u8],
    location: &str,
    sink: &mut AnomalySink,
) -> Result<Vec<Dex<'a>>, DexError> {
    parse_dex_file_with(data, location, ParseOptions::default(), sink)
}

/// Parses a dex file (or a v041 container) without copying.
///
/// Fails when `data` is not a dex at all, or the first header or its id
/// tables are unusable. Tolerated problems (bad checksum/signature, size
/// mismatch, unknown version, a broken later dex in a container) are
/// recorded in `sink` with `location`.
pub fn parse_dex_file_with<'a>(
    data: &'a [u8],
    location: &str,
    opts: ParseOptions,
    sink: &mut AnomalySink,
) -> Result<Vec<Dex<'a>>, DexError> {
    let first = parse_one(data, 0, location.to_string(), opts, sink)?;
    let is_container = first.header.version >= 41 && first.header.header_size >= HEADER_SIZE_V41;
    let mut out = vec![first];
    if !is_container {
        return Ok(out);
    }
    let mut base = 0usize;
    while let Some(prev) = out.last() {
        let step = prev.header.file_size as usize;
        if step < HEADER_SIZE_V41 as usize {
            break;
        }
        base = match base.checked_add(step) {
            Some(b) if b < data.len() => b,
            _ => break,
        };
        if out.len() >= opts.max_container_dex {
            sink.add(
                "dex.container_too_many",
                Severity::Warning,
                location,
                format!(
                    "more than {} dex in container; rest ignored",
                    opts.max_container_dex
                ),
            );
            break;
        }
        let loc = format!("{location}#{}", out.len());
        match parse_one(data, base, loc.clone(), opts, sink) {
            Ok(d) => out.push(d),
            Err(e) => {
                sink.add(
                    "dex.container_bad_entry",
                    Severity::Error,
                    loc,
                    format!("dex header at {base:#x} in container unreadable: {e}"),
                );
                break;
            }
        }
    }
    Ok(out)
}

fn parse_one<'a>(
    data: &'a [u8],
    base: usize,
    location: String,
    opts: ParseOptions,
    sink: &mut AnomalySink,
) -> Result<Dex<'a>, DexError> {
    let own = data.get(base..).unwrap_or(&[]);
    let h = Header::parse(own)?;
    let mut n = 0u32;
    let mut add = |sink: &mut AnomalySink, code, sev, msg: String| {
        n += 1;
        sink.add(code, sev, location.as_str(), msg);
    };
    if !is_known_version(h.version) {
        add(
            sink,
            "dex.unknown_version",
            Severity::Warning,
            format!(
                "unknown dex version {:03}; read as the nearest known layout",
                h.version
            ),
        );
    }
    let want_header = if h.version >= 41 {
        HEADER_SIZE_V41
    } else {
        HEADER_SIZE_V35
    };
    if h.header_size != want_header {
        add(
            sink,
            "dex.bad_header_size",
            Severity::Warning,
            format!(
                "header_size {:#x}, expected {want_header:#x}",
                h.header_size
            ),
        );
    }
    let container = h.version >= 41 && h.header_size >= HEADER_SIZE_V41;
    if container {
        if h.header_offset as usize != base {
            add(
                sink,
                "dex.container_bad_header_offset",
                Severity::Warning,
                format!(
                    "header_offset {:#x} but header found at {base:#x}",
                    h.header_offset
                ),
            );
        }
        if h.container_size as usize != data.len() {
            add(
                sink,
                "dex.container_size_mismatch",
                Severity::Warning,
                format!(
                    "container_size {} but buffer has {} bytes",
                    h.container_size,
                    data.len()
                ),
            );
        }
    }
    let file_size = h.file_size as usize;
    let avail = own.len();
    let size_ok = if container {
        file_size <= avail
    } else {
        file_size == avail
    };
    if !size_ok {
        add(
            sink,
            "dex.file_size_mismatch",
            Severity::Warning,
            format!("header file_size {file_size} but {avail} bytes available"),
        );
    }
    let end = if (HEADER_SIZE_V35 as usize..=avail).contains(&file_size) {
        file_size
    } else {
        avail
    };
    let mut dex = Dex::new(data, base, h, location.clone())?;
    if opts.verify_checksum {
        let sum = |to: &[u8]| to.get(12..).map(adler32);
        let mut ok = sum(own.get(..end).unwrap_or(own)) == Some(h.checksum);
        if !ok && container {
            ok = sum(own) == Some(h.checksum);
        }
        dex.checksum = if ok { Check::Ok } else { Check::Bad };
        if !ok {
            add(
                sink,
                "dex.bad_checksum",
                Severity::Info,
                format!(
                    "adler32 checksum {:#010x} does not match the data",
                    h.checksum
                ),
            );
        }
    }
    if opts.verify_signature {
        let sig = |to: &[u8]| to.get(32..).map(sha1);
        let mut ok = sig(own.get(..end).unwrap_or(own)) == Some(h.signature);
        if !ok && container {
            ok = sig(own) == Some(h.signature);
        }
        dex.signature = if ok { Check::Ok } else { Check::Bad };
        if !ok {
            add(
                sink,
                "dex.bad_signature",
                Severity::Info,
                "SHA-1 signature does not match the data".to_string(),
            );
        }
    }
    dex.anomalies = n;
    Ok(dex)
}
