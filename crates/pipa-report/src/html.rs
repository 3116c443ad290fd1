//! The HTML report: one self-contained page (no external assets).
//! (Being written by the HTML helper; placeholder until then.)

use crate::Lang;
use pipa_engine::Assessment;
use pipa_kb::Kb;

/// The assessment as one self-contained HTML page.
pub fn html(_a: &Assessment, _kb: &Kb, _lang: Lang) -> String {
    unimplemented!("html report")
}
