//! Reading the policy a user names: a file or a URL.

use pipa_kb::Kb;
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

/// Refuses `policy` (read from `arg`) when its text does not read as a
/// privacy policy (`recognition` in kb/policy.yaml): an error naming the
/// file and why, pointing at `--force`. `pipa policy` and `pipa scan
/// --policy` share it.
pub fn refuse_non_policy(arg: &str, policy: &Policy, kb: &Kb) -> anyhow::Result<()> {
    let r = pipa_policy::recognise(&policy.document, &kb.policy.recognition);
    if r.is_policy() {
        return Ok(());
    }
    anyhow::bail!(
        "{arg}: not a privacy policy (不是隐私政策): {}; `--force` analyses it anyway",
        r.reasons.join("; ")
    )
}
