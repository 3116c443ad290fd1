//! `pipa scan`: read an APK, assess it against the knowledge base, render.

use crate::load;
use crate::timings::Timings;
use pipa_engine::Assessment;
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
    /// `--first-party`: more prefixes of the app's own code, dotted.
    pub first_party: &'a [String],
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

/// Reads, indexes and assesses `path`. The knowledge base is parsed on
/// another thread beside the reading (timings stage `kb`, overlapped),
/// except when `--category` or `--policy` is given: those are checked
/// first, before the package is read (stage `policy`). Then `assess`.
/// Returns the knowledge base too, for the renderers' rule texts (parsed
/// once). Errors name the file and the problem.
pub fn scan(path: &Path, opts: &ScanOptions<'_>) -> anyhow::Result<(Assessment, Kb, Timings)> {
    let mut t = Timings::default();
    std::thread::scope(|sc| {
        let mut job = Some(sc.spawn(|| {
            let t0 = std::time::Instant::now();
            let kb = crate::load_kb();
            (kb, t0.elapsed().as_secs_f64() * 1e3)
        }));
        let mut join_kb = |t: &mut Timings| -> anyhow::Result<Option<Kb>> {
            let Some(j) = job.take() else {
                return Ok(None);
            };
            let (kb, ms) = match j.join() {
                Ok(v) => v,
                Err(e) => std::panic::resume_unwind(e),
            };
            t.overlapped("kb (parallel)", ms);
            kb.map(Some)
        };
        // `--category` and `--policy` are checked before the package is read.
        let early = if opts.category.is_some() || opts.policy.is_some() {
            join_kb(&mut t)?
        } else {
            None
        };
        let category = match &early {
            Some(kb) => opts.category.map(|q| app_type(kb, q)).transpose()?,
            None => None,
        };
        let policy = match (&early, opts.policy) {
            (Some(kb), Some(arg)) => Some(t.stage(
                "policy",
                || -> anyhow::Result<pipa_policy::Policy> {
                    let lex = pipa_policy::Lexicon::new(kb)?;
                    let p = crate::policy::load(arg, opts.timeout, &lex)?;
                    if !opts.force {
                        crate::policy::refuse_non_policy(arg, &p, kb)?;
                    }
                    Ok(p)
                },
            )?),
            _ => None,
        };
        let (a, late) = load::with_apk(
            path,
            &mut t,
            load::Purpose::Assess,
            |l, t| -> anyhow::Result<(Assessment, Option<Kb>)> {
                let late = join_kb(t)?;
                let Some(kb) = early.as_ref().or(late.as_ref()) else {
                    anyhow::bail!("knowledge base: not loaded");
                };
                let input = l.scan_input(policy.as_ref(), category, opts.first_party);
                let a = t.stage("assess", || pipa_engine::assess(&input, kb));
                Ok((a, late))
            },
        )??;
        let Some(kb) = early.or(late) else {
            anyhow::bail!("knowledge base: not loaded");
        };
        t.finish();
        Ok((a, kb, t))
    })
}
