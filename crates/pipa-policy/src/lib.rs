//! Privacy-policy analysis: reads a policy (HTML, text, Markdown, PDF; UTF-8,
//! GBK/GB18030 or UTF-16; a file or a URL) into plain text with its
//! structure, and finds in it — offline, deterministically, with the sentence
//! and its character offsets as evidence — the PI types it declares, the third
//! parties and SDKs it names, the permissions it explains, the rights it
//! offers, and the 16 elements a Chinese policy must contain.

#![warn(missing_docs)]

mod analyse;
mod document;
mod elements;
mod error;
mod fetch;
mod input;
mod lexicon;
mod model;
mod pdf;
mod recognise;

pub use analyse::analyse;
pub use document::{Block, BlockKind, Builder, Document, Sentence};
pub use elements::MAX_DAYS;
pub use error::PolicyError;
pub use fetch::{Fetched, fetch};
pub use input::{Format, decode};
pub use lexicon::{Lexicon, LexiconError};
pub use model::*;
pub use pdf::pdf_text;
pub use recognise::{Recognition, recognise};

use std::io::Read;
use std::path::Path;
use std::time::Duration;

/// A policy read and analysed: its plain text and structure, and what pipa
/// found in it.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The text the report's offsets point into.
    pub document: Document,
    /// What pipa found.
    pub report: PolicyReport,
}

/// Reads and analyses a policy given as bytes. `name` labels errors and the
/// report's source; `hint` overrides the format the name suggests.
pub fn analyse_bytes(
    name: &str,
    bytes: &[u8],
    hint: Option<Format>,
    lex: &Lexicon,
) -> Result<Policy, PolicyError> {
    if bytes.len() as u64 > MAX_POLICY_BYTES {
        return Err(PolicyError::TooLarge {
            path: name.into(),
            size: bytes.len() as u64,
            limit: MAX_POLICY_BYTES,
        });
    }
    let (document, format, encoding) = input::document(name, bytes, hint)?;
    let source = Source {
        path: name.into(),
        url: None,
        encoding,
        format: format.as_str().into(),
        bytes: bytes.len() as u64,
        chars: document.chars(),
        origin: None,
    };
    let report = analyse(&document, lex, source);
    Ok(Policy { document, report })
}

/// Reads and analyses a policy file (at most [`MAX_POLICY_BYTES`]).
pub fn analyse_file(path: &Path, lex: &Lexicon) -> Result<Policy, PolicyError> {
    let name = path.display().to_string();
    let io = |e: std::io::Error| PolicyError::Io {
        path: name.clone(),
        message: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(MAX_POLICY_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    analyse_bytes(&name, &bytes, None, lex)
}

/// Fetches a policy URL once (with `timeout`) and analyses it.
pub fn analyse_url(url: &str, timeout: Duration, lex: &Lexicon) -> Result<Policy, PolicyError> {
    let f = fetch(url, timeout, MAX_POLICY_BYTES)?;
    let hint = f
        .content_type
        .as_deref()
        .and_then(Format::from_content_type)
        .or_else(|| Format::from_name(&f.url));
    let mut p = analyse_bytes(url, &f.bytes, hint, lex)?;
    p.report.source.url = Some(f.url);
    Ok(p)
}

/// Whether `s` is an http(s) URL rather than a file name.
pub fn is_url(s: &str) -> bool {
    let l = s.trim_start().to_ascii_lowercase();
    l.starts_with("http://") || l.starts_with("https://")
}

/// Most bytes read from a policy file or URL.
pub const MAX_POLICY_BYTES: u64 = 16 << 20;
