//! SARIF 2.1.0 output for code-scanning UIs.
//! (Being written by the SARIF helper; placeholder until then.)

use crate::Lang;
use pipa_engine::Assessment;
use pipa_kb::Kb;

/// The assessment as a SARIF 2.1.0 log (pretty JSON, final newline).
pub fn sarif(_a: &Assessment, _kb: &Kb, _lang: Lang) -> serde_json::Result<String> {
    unimplemented!("sarif")
}
