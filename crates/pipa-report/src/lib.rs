//! pipa's renderers: they read an [`Assessment`](pipa_engine::Assessment)
//! (and the knowledge base for rule texts) and return text. They know nothing
//! about bytes, files or the command line.
//!
//! - [`terminal`]: a summary, the third-party SDK list and the 31-item table
//!   for a terminal;
//! - [`markdown`]: a report a compliance person reads (with the SDK list and
//!   its evidence);
//! - [`json`]: the JSON contract `pipa.assessment/1`;
//! - [`html`]: one self-contained HTML page with a summary chart, the 31
//!   items with their legal text and every finding's evidence;
//! - [`sarif`]: SARIF 2.1.0 for code-scanning UIs;
//! - [`xlsx`]: an Excel workbook, one sheet per table;
//! - [`explain`](explain::explain) and [`kb_list`]: views of the knowledge base.
//!
//! Texts are Chinese first with English beside ([`Lang::Both`], the
//! default), Chinese only ([`Lang::Zh`]) or English only ([`Lang::En`]).

#![warn(missing_docs)]

mod coverage;
pub mod diff;
pub mod explain;
mod fmt;
mod html;
pub mod kb_list;
mod markdown;
pub mod policy;
mod priorities;
mod provenance;
mod sarif;
mod sdk;
mod statements;
mod summary;
mod terminal;
mod xlsx;

pub use diff::{diff_json, diff_markdown, diff_text};
pub use explain::{explain, suggest};
pub use html::html;
pub use kb_list::{KbTable, kb_json, kb_text};
pub use markdown::markdown;
pub use policy::{policy_markdown, policy_text};
pub use sarif::sarif;
pub use summary::{Summary, failing, fails_at};
pub use terminal::{TerminalOptions, terminal, terminal_with};
pub use xlsx::{XlsxError, xlsx};

use pipa_engine::Assessment;

/// The language of a rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Simplified Chinese first, English beside it (the default).
    #[default]
    Both,
    /// Simplified Chinese only.
    Zh,
    /// English only.
    En,
}

impl Lang {
    /// One side of a bilingual text: `zh` for [`Lang::Zh`], `en` for
    /// [`Lang::En`], `both` (the two together) for [`Lang::Both`].
    pub fn pick(
        self,
        zh: impl Into<String>,
        en: impl Into<String>,
        both: impl Into<String>,
    ) -> String {
        match self {
            Lang::Zh => zh.into(),
            Lang::En => en.into(),
            Lang::Both => both.into(),
        }
    }
}

/// The assessment as pretty-printed JSON (schema `pipa.assessment/1`), with a
/// final newline.
pub fn json(a: &Assessment) -> serde_json::Result<String> {
    let mut s = serde_json::to_string_pretty(a)?;
    s.push('\n');
    Ok(s)
}

#[cfg(test)]
mod testdata;
