//! `pipa scan`: read an APK, assess it against the knowledge base, render.

use crate::load;
use crate::timings::Timings;
use pipa_engine::{Assessment, ScanInput};
use pipa_kb::Kb;
use std::path::Path;
use std::time::Duration;

/// What `pipa scan` adds to the package.
#[derive(Default)]
pub struct ScanOptions<'a> {
    /// `--policy`: a file or an http(s) URL.
    pub policy: Option<&'a str>,
    /// Time limit for fetching a policy URL.
    pub timeout: Duration,
    /// `--category`: one of the 39 app types (number, zh name, id).
    pub category: Option<&'a str>,
    /// `--force`: use the policy even when its text does not read as one.
    pub force: bool,
}

/// The app type `q` names, or an error listing the 39.
pub fn app_type<'k>(kb: &'k Kb, q: &str) -> anyhow::Result<&'k pipa_kb::AppType> {
    kb.app_type(q).ok_or_else(|| {
        let all: Vec<String> = kb
            .app_types
            .iter()
            .map(|t| format!("  {:>2} {} ({})", t.seq, t.name.zh, t.id))
            .collect();
        anyhow::anyhow!(
            "--category {q}: not one of the 39 app types of the 2021 necessary-PI rule; give its number, Chinese name or id:\n{}",
            all.join("\n")
        )
    })
}

/// Reads, indexes and assesses `path`; the timings gain `kb` and `assess`
/// stages after the reading stages (and `policy` when one is given).
/// Returns the knowledge base too, for the renderers' rule texts (parsed
/// once). Errors name the file and the problem.
pub fn scan(path: &Path, opts: &ScanOptions<'_>) -> anyhow::Result<(Assessment, Kb, Timings)> {
    let mut t = Timings::default();
    let kb = t.stage("kb", crate::load_kb)?;
    let category = opts.category.map(|q| app_type(&kb, q)).transpose()?;
    let policy = match opts.policy {
        Some(arg) => Some(
            t.stage("policy", || -> anyhow::Result<pipa_policy::Policy> {
                let lex = pipa_policy::Lexicon::new(&kb)?;
                let p = crate::policy::load(arg, opts.timeout, &lex)?;
                if !opts.force {
                    crate::policy::refuse_non_policy(arg, &p, &kb)?;
                }
                Ok(p)
            })?,
        ),
        None => None,
    };
    let a = load::with_apk(path, &mut t, |l, t| {
        let input = ScanInput {
            path: l.path,
            sha256: l.sha256,
            apk: l.apk,
            index: l.index,
            anomalies: l.anomalies,
            policy: policy.as_ref(),
            category,
        };
        t.stage("assess", || pipa_engine::assess(&input, &kb))
    })?;
    t.finish();
    Ok((a, kb, t))
}
