//! Errors of the DEX reader.

use thiserror::Error;

/// Why a byte buffer could not be read as a DEX file at all.
///
/// Everything that can be tolerated is recorded as an anomaly instead; an
/// error means there is nothing useful to return.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum DexError {
    /// The buffer does not start with `dex\n` + three digits + NUL.
    #[error("not a dex file: {0}")]
    NotDex(String),
    /// The buffer is shorter than a dex header.
    #[error("truncated dex header: {len} bytes, need at least {need}")]
    Truncated {
        /// Bytes available.
        len: usize,
        /// Bytes needed.
        need: usize,
    },
    /// The endian tag announces a big-endian (or unknown) byte order.
    #[error("unsupported endian tag {0:#010x}")]
    BadEndian(u32),
    /// An id table of the header lies outside the file.
    #[error("{table} table ({count} items at {offset:#x}) lies outside the file ({len} bytes)")]
    BadIdTable {
        /// Which table (`string_ids`, `type_ids`, …).
        table: &'static str,
        /// Declared item count.
        count: u32,
        /// Declared offset.
        offset: u32,
        /// Bytes available.
        len: usize,
    },
}
