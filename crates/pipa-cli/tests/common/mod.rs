//! The end-to-end tests' one way to run the built `pipa` binary.

use std::ffi::OsStr;
use std::process::{Command, Output};

/// Runs `pipa args…` with backtraces on and `NO_COLOR` unset, capturing
/// its output.
pub fn pipa<S: AsRef<OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pipa"))
        .args(args)
        .env("RUST_BACKTRACE", "1")
        .env_remove("NO_COLOR")
        .output()
        .expect("run pipa")
}
