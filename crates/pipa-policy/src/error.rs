//! What can go wrong reading a policy. Every error names the file (or URL)
//! and the problem.

use thiserror::Error;

/// Why a policy could not be read.
#[derive(Debug, Error)]
pub enum PolicyError {
    /// The file could not be read.
    #[error("{path}: cannot read: {message}")]
    Io {
        /// The file.
        path: String,
        /// The OS error.
        message: String,
    },
    /// The file is larger than the limit.
    #[error("{path}: {size} bytes is more than the {limit}-byte limit for a policy")]
    TooLarge {
        /// The file or URL.
        path: String,
        /// Its size (or the bytes read before stopping).
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The content is not a policy pipa can read (binary, empty, unknown format).
    #[error("{path}: {message}")]
    Unreadable {
        /// The file or URL.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A PDF whose text could not be extracted.
    #[error("{path}: PDF text extraction failed: {message}")]
    Pdf {
        /// The file or URL.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// Fetching a URL failed.
    #[error("{url}: fetch failed: {message}")]
    Fetch {
        /// The URL.
        url: String,
        /// What went wrong (status, timeout, TLS, …).
        message: String,
    },
}
