//! The Excel workbook: one sheet per table, with filters.
//! (Being written by the XLSX helper; placeholder until then.)

use crate::Lang;
use pipa_engine::Assessment;
use pipa_kb::Kb;

/// Why a workbook could not be written.
pub type XlsxError = Box<dyn std::error::Error + Send + Sync>;

/// The assessment as an .xlsx workbook (bytes).
pub fn xlsx(_a: &Assessment, _kb: &Kb, _lang: Lang) -> Result<Vec<u8>, XlsxError> {
    unimplemented!("xlsx")
}
