//! `pipa diff old.apk new.apk`: what changed in PI collection between two versions.
//! (Being written by the diff helper; placeholder until then.)

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct DiffArgs {
    /// The older APK.
    pub old: PathBuf,
    /// The newer APK.
    pub new: PathBuf,
}

pub fn run(_args: DiffArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("pipa diff: not built yet")
}
