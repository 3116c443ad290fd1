//! The one library entry point of pipa: [`assess`] reads a package from a
//! path or from bytes, indexes its code and assesses it with the user's
//! privacy policy, app type and first-party prefixes, within the readers'
//! limits, each step a timed stage ([`Timings`]). The `pipa` command (scan,
//! inspect, diff, gate) runs it; so will the server. No rendering and no
//! command-line types here: front ends render the [`Assessment`] with
//! `pipa-report`.
//!
//! ```no_run
//! let opts = pipa_scan::Options {
//!     policy: Some("privacy.html"),
//!     ..Default::default()
//! };
//! let scan = pipa_scan::assess(pipa_scan::Input::Path("app.apk".as_ref()), &opts)?;
//! println!("{} findings", scan.assessment.findings.len());
//! # Ok::<(), anyhow::Error>(())
//! ```

pub mod load;
pub mod policy;
pub mod timings;

pub use load::{DexReport, Loaded, Purpose, with_apk, with_bytes};
pub use timings::{CountingAlloc, Stage, Timings, mib};

use pipa_engine::Assessment;
use pipa_kb::Kb;
use std::path::Path;
use std::time::Duration;

/// The package to assess.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// A file, memory-mapped.
    Path(&'a Path),
    /// Bytes already in memory (an upload); `name` stands for them in
    /// errors and in the assessment's `input.path`.
    Bytes {
        /// What to call the package.
        name: &'a str,
        /// The package.
        bytes: &'a [u8],
    },
}

/// What the assessment adds to the package.
#[derive(Debug, Default, Clone)]
pub struct Options<'a> {
    /// The privacy policy: a file or an http(s) URL.
    pub policy: Option<&'a str>,
    /// Time limit for fetching a policy URL.
    pub timeout: Duration,
    /// One of the 39 app types (number, Chinese name, id).
    pub category: Option<&'a str>,
    /// Use the policy even when its text does not read as one.
    pub force: bool,
    /// More prefixes of the app's own code, dotted (`com.hjq`).
    pub first_party: &'a [String],
}

/// An assessment with what it was made with.
pub struct Scan {
    /// The assessment.
    pub assessment: Assessment,
    /// The knowledge base it used (the renderers need its rule texts).
    pub kb: Kb,
    /// Wall time and heap per stage.
    pub timings: Timings,
}

/// The embedded knowledge base; an error (not a panic) if its data is invalid.
pub fn load_kb() -> anyhow::Result<Kb> {
    Kb::load_embedded().map_err(|e| anyhow::anyhow!("knowledge base: {e}"))
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

/// Reads, indexes and assesses `input`. The knowledge base is parsed on
/// another thread beside the reading (timings stage `kb`, overlapped),
/// except when `category` or `policy` is given: those are checked first,
/// before the package is read (stage `policy`). Then `assess`. Errors name
/// the input and the problem.
pub fn assess(input: Input<'_>, opts: &Options<'_>) -> anyhow::Result<Scan> {
    let mut t = Timings::default();
    std::thread::scope(|sc| {
        let mut job = Some(sc.spawn(|| {
            let t0 = std::time::Instant::now();
            let kb = load_kb();
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
                    let p = policy::load(arg, opts.timeout, &lex)?;
                    if !opts.force {
                        policy::refuse_non_policy(arg, &p, kb)?;
                    }
                    Ok(p)
                },
            )?),
            _ => None,
        };
        let run =
            |l: Loaded<'_, '_>, t: &mut Timings| -> anyhow::Result<(Assessment, Option<Kb>)> {
                let late = join_kb(t)?;
                let Some(kb) = early.as_ref().or(late.as_ref()) else {
                    anyhow::bail!("knowledge base: not loaded");
                };
                let input = l.scan_input(policy.as_ref(), category, opts.first_party);
                let a = t.stage("assess", || pipa_engine::assess(&input, kb));
                Ok((a, late))
            };
        let (a, late) = match input {
            Input::Path(path) => with_apk(path, &mut t, Purpose::Assess, run),
            Input::Bytes { name, bytes } => with_bytes(name, bytes, &mut t, Purpose::Assess, run),
        }??;
        let Some(kb) = early.or(late) else {
            anyhow::bail!("knowledge base: not loaded");
        };
        t.finish();
        Ok(Scan {
            assessment: a,
            kb,
            timings: t,
        })
    })
}
