//! `pipa diff old.apk new.apk`: what changed in PI collection between two
//! versions, and the 191-2.2 risks of collecting more without updating the
//! policy. The comparison is `pipa_engine::diff`; this file reads the two
//! packages (side by side) and their policies, renders, and applies the gates.
//!
//! Exit codes: 0 the diff was made (changes or not) and no `--fail-on` gate
//! failed; 3 the diff was made but either version's assessment is
//! incomplete (as `pipa scan`: one warning line per such version on
//! stderr, and the diff says so first); 1 a gate failed (the reasons go to
//! stderr; it takes precedence over 3); 2 an error (a file unreadable, a
//! policy URL unreachable, bad arguments).

use anyhow::Context;
use clap::ValueEnum;
use pipa_engine::{Assessment, DiffGate, DiffOptions};
use pipa_kb::{AppType, Kb};
use pipa_report::Lang;
use pipa_scan::{Purpose, Timings, app_type, with_apk};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// Output formats of `diff`.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum DiffFormat {
    /// Plain text: `+` added, `-` removed, `~` changed.
    Text,
    /// Markdown, for a review ticket or a pull request.
    Md,
    /// JSON (schema `pipa.diff/1`).
    Json,
}

/// What makes `diff` exit 1.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum DiffFailOn {
    /// The new version collects a PI type the old did not (code, permission or
    /// SDK), requests a new dangerous permission, embeds a new SDK, or makes a
    /// new sensitive call at start-up.
    NewCollection,
    /// The diff raises a 191-2.2 risk (new collection the new policy does not
    /// declare), or a finding or item becomes a risk or violation.
    Risk,
    /// A finding or item becomes a violation.
    Violation,
}

#[derive(clap::Args)]
pub struct DiffArgs {
    /// The older APK.
    pub old: PathBuf,
    /// The newer APK.
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Write the diff to this file instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Report language (both: Chinese with English beside, the default; zh: Chinese only; en: English only).
    #[arg(long, value_enum, default_value_t = crate::LangArg::Both)]
    pub lang: crate::LangArg,
    /// Exit 1 when this gate fails (repeat, or separate with commas, for several).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub fail_on: Vec<DiffFailOn>,
    /// The privacy policy of both versions (file or http(s) URL), unless
    /// `--old-policy`/`--new-policy` name their own. Without any, each version
    /// is assessed with the policy found in its package, if any.
    #[arg(long, value_name = "FILE|URL")]
    pub policy: Option<String>,
    /// The old version's privacy policy (file or http(s) URL).
    #[arg(long, value_name = "FILE|URL")]
    pub old_policy: Option<String>,
    /// The new version's privacy policy (file or http(s) URL).
    #[arg(long, value_name = "FILE|URL")]
    pub new_policy: Option<String>,
    /// The app's type, one of the 39 (number, Chinese name or id), for both versions.
    #[arg(long, value_name = "TYPE")]
    pub category: Option<String>,
    /// A package prefix of the app's own code (`com.hjq` or `com.hjq.*`),
    /// for both versions, besides the manifest package, application class
    /// and launcher packages and their organisation (repeat for several). A
    /// longer catalogued SDK prefix keeps its code.
    #[arg(long, value_name = "PREFIX", value_parser = crate::first_party_arg)]
    pub first_party: Vec<String>,
    /// Seconds to wait for a policy URL.
    #[arg(long, default_value_t = 20)]
    pub timeout: u64,
    /// Use the policy texts even when one does not read as a privacy policy
    /// (as `pipa scan --force`; see `recognition` in kb/policy.yaml).
    #[arg(long)]
    pub force: bool,
    /// Threads for indexing dex files (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Per-version stage times (stderr). The versions are read side by side,
    /// so the heap and RSS figures count both.
    #[arg(long)]
    pub timings: bool,
}

/// A policy read for one side, with the SHA-256 of its plain text.
struct LoadedPolicy {
    policy: pipa_policy::Policy,
    sha256: String,
}

/// Reads one side's policy; refuses text that does not read as a privacy
/// policy unless `force` (the same test as `pipa scan --policy`).
fn load_policy(
    arg: &str,
    which: &str,
    timeout: Duration,
    lex: &pipa_policy::Lexicon,
    refuse: Option<&Kb>,
) -> anyhow::Result<LoadedPolicy> {
    let policy = pipa_scan::policy::load(arg, timeout, lex)
        .with_context(|| format!("{which} {arg}: cannot read the policy"))?;
    if let Some(kb) = refuse {
        pipa_scan::policy::refuse_non_policy(&format!("{which} {arg}"), &policy, kb)?;
    }
    let sha256 = Sha256::digest(policy.document.text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(LoadedPolicy { policy, sha256 })
}

/// Reads, indexes and assesses one package.
fn assess(
    path: &Path,
    kb: &Kb,
    policy: Option<&pipa_policy::Policy>,
    category: Option<&AppType>,
    first_party: &[String],
) -> anyhow::Result<(Assessment, Timings)> {
    let mut t = Timings::default();
    let a = with_apk(path, &mut t, Purpose::Assess, |l, t| {
        let input = l.scan_input(policy, category, first_party);
        t.stage("assess", || pipa_engine::assess(&input, kb))
    })?;
    t.finish();
    Ok((a, t))
}

/// `pipa diff`: see the module docs for the exit codes.
pub fn run(args: DiffArgs) -> anyhow::Result<ExitCode> {
    crate::set_threads(args.threads);
    let kb = pipa_scan::load_kb()?;
    let category = args
        .category
        .as_deref()
        .map(|q| app_type(&kb, q))
        .transpose()?;
    let timeout = Duration::from_secs(args.timeout);
    let old_arg = args.old_policy.as_deref().or(args.policy.as_deref());
    let new_arg = args.new_policy.as_deref().or(args.policy.as_deref());
    let (old_policy, new_policy) = if old_arg.is_some() || new_arg.is_some() {
        let lex = pipa_policy::Lexicon::new(&kb)?;
        let refuse = (!args.force).then_some(&kb);
        // The option the user wrote, for the messages.
        let which = |own: bool, name: &'static str| if own { name } else { "--policy" };
        let old_p = old_arg
            .map(|a| {
                load_policy(
                    a,
                    which(args.old_policy.is_some(), "--old-policy"),
                    timeout,
                    &lex,
                    refuse,
                )
            })
            .transpose()?;
        // One policy for both: read (or fetch) it once.
        let new_p = match (new_arg, &old_p) {
            (Some(n), Some(o)) if Some(n) == old_arg => Some(LoadedPolicy {
                policy: o.policy.clone(),
                sha256: o.sha256.clone(),
            }),
            (Some(n), _) => Some(load_policy(
                n,
                which(args.new_policy.is_some(), "--new-policy"),
                timeout,
                &lex,
                refuse,
            )?),
            (None, _) => None,
        };
        (old_p, new_p)
    } else {
        (None, None)
    };
    // The two versions side by side (each also indexes its dex files in parallel).
    let (old, new) = rayon::join(
        || {
            assess(
                &args.old,
                &kb,
                old_policy.as_ref().map(|p| &p.policy),
                category,
                &args.first_party,
            )
        },
        || {
            assess(
                &args.new,
                &kb,
                new_policy.as_ref().map(|p| &p.policy),
                category,
                &args.first_party,
            )
        },
    );
    let (old, old_t) = old?;
    let (new, new_t) = new?;
    let opts = DiffOptions {
        old_policy_sha256: old_policy.as_ref().map(|p| p.sha256.clone()),
        new_policy_sha256: new_policy.as_ref().map(|p| p.sha256.clone()),
    };
    let d = pipa_engine::diff_with(&old, &new, &kb, &opts);
    let lang = Lang::from(args.lang);
    let text = match args.format {
        DiffFormat::Json => pipa_report::diff_json(&d)?,
        DiffFormat::Md => pipa_report::diff_markdown(&d, lang),
        DiffFormat::Text => pipa_report::diff_text(&d, lang),
    };
    crate::emit(args.output.as_ref(), &text)?;
    let mut err = std::io::stderr().lock();
    if args.timings {
        let _ = writeln!(err, "old: {}", args.old.display());
        let _ = write!(err, "{}", old_t.render());
        let _ = writeln!(err, "new: {}", args.new.display());
        let _ = write!(err, "{}", new_t.render());
    }
    // Compared with gaps: said on stderr per version, exit 3 unless a gate failed.
    for a in [&old, &new] {
        if a.coverage.incomplete {
            let _ = writeln!(err, "{}", crate::incomplete_warning(a));
        }
    }
    let mut failed = false;
    for gate in &args.fail_on {
        let (g, name) = match gate {
            DiffFailOn::NewCollection => (DiffGate::NewCollection, "new-collection"),
            DiffFailOn::Risk => (DiffGate::Risk, "risk"),
            DiffFailOn::Violation => (DiffGate::Violation, "violation"),
        };
        let why = d.gate(g);
        if why.is_empty() {
            continue;
        }
        failed = true;
        let _ = writeln!(err, "pipa: --fail-on {name}: {} reason(s):", why.len());
        for w in why.iter().take(20) {
            let _ = writeln!(err, "  {w}");
        }
        if why.len() > 20 {
            let _ = writeln!(err, "  … and {} more", why.len() - 20);
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else if d.incomplete.is_some() {
        ExitCode::from(crate::EXIT_INCOMPLETE)
    } else {
        ExitCode::SUCCESS
    })
}
