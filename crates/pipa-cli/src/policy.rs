//! Reading the policy a user names: a file or a URL.

use pipa_policy::{Lexicon, Policy};
use std::path::Path;
use std::time::Duration;

/// Reads and analyses `arg`: an http(s) URL (fetched once, with `timeout`)
/// or a file.
pub fn load(arg: &str, timeout: Duration, lex: &Lexicon) -> anyhow::Result<Policy> {
    Ok(if pipa_policy::is_url(arg) {
        pipa_policy::analyse_url(arg, timeout, lex)?
    } else {
        pipa_policy::analyse_file(Path::new(arg), lex)?
    })
}
