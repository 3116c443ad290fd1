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

/// Reads, indexes and assesses `path`; the timings gain a `kb` stage (run
/// beside the reading), then `policy` when one is given, then `assess`.
/// Returns the knowledge base too, for the renderers' rule texts (parsed
/// once). Errors name the file and the problem.
pub fn scan(path: &Path, opts: &ScanOptions<'_>) -> anyhow::Result<(Assessment, Kb, Timings)> {
    let mut t = Timings::default();
    std::thread::scope(|sc| {
        // The knowledge base is parsed beside the reading of the package.
        let kb_job = sc.spawn(|| {
            let t0 = std::time::Instant::now();
            let kb = crate::load_kb();
            (kb, t0.elapsed().as_secs_f64() * 1e3)
        });
        let (a, kb) = load::with_apk(
            path,
            &mut t,
            load::Purpose::Assess,
            |l, t| -> anyhow::Result<(Assessment, Kb)> {
                let (kb, kb_ms) = match kb_job.join() {
                    Ok(v) => v,
                    Err(e) => std::panic::resume_unwind(e),
                };
                t.overlapped("kb (parallel)", kb_ms);
                let kb = kb?;
                let category = opts.category.map(|q| app_type(&kb, q)).transpose()?;
                let policy = match opts.policy {
                    Some(arg) => Some(t.stage(
                        "policy",
                        || -> anyhow::Result<pipa_policy::Policy> {
                            let lex = pipa_policy::Lexicon::new(&kb)?;
                            crate::policy::load(arg, opts.timeout, &lex)
                        },
                    )?),
                    None => None,
                };
                let input = ScanInput {
                    path: l.path,
                    sha256: l.sha256,
                    apk: l.apk,
                    index: l.index,
                    anomalies: l.anomalies,
                    policy: policy.as_ref(),
                    category,
                };
                let a = t.stage("assess", || pipa_engine::assess(&input, &kb));
                Ok((a, kb))
            },
        )??;
        t.finish();
        Ok((a, kb, t))
    })
}
