//! Privacy-policy analysis: reads a policy (HTML, text, Markdown, PDF; UTF-8,
//! GBK/GB18030 or UTF-16; a file or a URL) into plain text with its
//! structure, and finds in it — offline, deterministically, with the sentence
//! and its character offsets as evidence — the PI types it declares, the third
//! parties and SDKs it names, the permissions it explains, the rights it
//! offers, and the 16 elements a Chinese policy must contain.

#![warn(missing_docs)]

mod error;
mod fetch;
mod pdf;

pub use error::PolicyError;
pub use fetch::{Fetched, fetch};
pub use pdf::pdf_text;

/// Most bytes read from a policy file or URL.
pub const MAX_POLICY_BYTES: u64 = 16 << 20;
