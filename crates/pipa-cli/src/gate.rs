//! The questionnaire, the answers and the baseline (being written).

use pipa_engine::Assessment;
use pipa_kb::Kb;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct QuestionnaireArgs {
    /// Write to this file instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

pub fn run_questionnaire(_args: QuestionnaireArgs) -> anyhow::Result<()> {
    anyhow::bail!("not yet")
}
pub fn apply_answers(_a: &mut Assessment, _kb: &Kb, _path: &Path) -> anyhow::Result<()> {
    anyhow::bail!("not yet")
}
pub fn apply_baseline(_a: &mut Assessment, _path: &Path) -> anyhow::Result<()> {
    anyhow::bail!("not yet")
}
pub fn write_baseline(_a: &Assessment, _path: &Path) -> anyhow::Result<()> {
    anyhow::bail!("not yet")
}
