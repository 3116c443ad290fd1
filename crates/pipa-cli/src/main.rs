//! `pipa`: assess mobile apps against China's personal-information rules.
//!
//! The binary is thin: it parses arguments, calls the library crates and
//! renders what they return. Errors are one line naming the file and the
//! problem, with exit code 2; usage errors exit 2 too.

mod batch;
mod diff;
mod gate;
mod inspect;
mod policy;
mod render;

use clap::{Parser, Subcommand, ValueEnum};
use pipa_engine::Verdict;
use pipa_report::{KbTable, Lang, TerminalOptions};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[global_allocator]
static ALLOC: pipa_scan::CountingAlloc = pipa_scan::CountingAlloc;

/// pipa — App 个人信息保护合规评估 / personal-information compliance assessment for mobile apps.
#[derive(Parser)]
#[command(name = "pipa", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 评估 / Assess an APK against the 31 items of 191, with evidence and how to fix.
    Scan(ScanArgs),
    /// 查看安装包 / Show what an APK contains: manifest, components, permissions, signing, code.
    Inspect(InspectArgs),
    /// 条文说明 / Explain a legal item: its text, source, what pipa checks, how to fix.
    Explain(ExplainArgs),
    /// 隐私政策 / Analyse a privacy policy alone: the 16 elements, PI declared, SDKs, permissions, gaps.
    Policy(PolicyArgs),
    /// 知识库 / Browse the knowledge base: rules, APIs, permissions, PI types.
    Kb(KbArgs),
    /// 自评估问卷 / The questions no package can answer, as a YAML file to fill in for `scan --answers`.
    Questionnaire(gate::QuestionnaireArgs),
    /// 版本对比 / What changed in PI collection between two versions of an app.
    Diff(diff::DiffArgs),
    /// Shell completions: `pipa completions bash > /etc/bash_completion.d/pipa` (or zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
    /// The man page (roff): `pipa man > pipa.1; man ./pipa.1`.
    Man,
}

#[derive(clap::Args)]
struct CompletionsArgs {
    /// The shell.
    shell: clap_complete::Shell,
}

/// Output formats of `policy`.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum PolicyFormat {
    /// The elements with their sentences, PI declared, third parties, permissions.
    Text,
    /// JSON (schema `pipa.policy/1`).
    Json,
    /// Markdown.
    Md,
    /// The plain text the offsets point into (character offsets).
    Plain,
}

#[derive(clap::Args)]
struct PolicyArgs {
    /// The policy: a file (html, txt, md, pdf; UTF-8, GBK/GB18030 or UTF-16) or an http(s) URL.
    policy: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PolicyFormat::Text)]
    format: PolicyFormat,
    /// Write the output to this file instead of standard output.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Report language (both: Chinese with English beside, the default; zh: Chinese only; en: English only).
    #[arg(long, value_enum, default_value_t = LangArg::Both)]
    lang: LangArg,
    /// Seconds to wait for a URL.
    #[arg(long, default_value_t = 20)]
    timeout: u64,
    /// Print the time to read and to analyse the policy (stderr).
    #[arg(long)]
    timings: bool,
    /// Analyse the text even when it does not read as a privacy policy
    /// (too short, too little of a policy's vocabulary, no title naming it;
    /// see `recognition` in kb/policy.yaml).
    #[arg(long)]
    force: bool,
    /// Print, for one PI type (e.g. call_log; `pipa kb pi-types` lists them),
    /// the sentences that made a claim (role, governing verb, term) and those
    /// that nearly did (and why not), instead of the report.
    #[arg(long, value_name = "TYPE")]
    explain: Option<String>,
}

/// Output formats of `inspect`.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    /// Human-readable summary (Chinese and English labels).
    Text,
    /// Machine-readable JSON (`inspect`: the object `pipa.inspect/1`; `kb`: a list of entries).
    Json,
}

/// Output formats of `scan`.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ScanFormat {
    /// Terminal report: summary, the 31-item table, findings with evidence.
    Text,
    /// JSON (schema `pipa.assessment/1`).
    Json,
    /// Markdown report with the legal text of each item.
    Md,
    /// One self-contained HTML page (summary chart, items, findings with evidence, SDKs).
    Html,
    /// SARIF 2.1.0, for code-scanning UIs.
    Sarif,
    /// Excel workbook: items, findings, SDKs, APIs, permissions (needs -o or a pipe).
    Xlsx,
}

impl ScanFormat {
    /// The file extension of a report in this format.
    fn extension(self) -> &'static str {
        match self {
            ScanFormat::Text => "txt",
            ScanFormat::Json => "json",
            ScanFormat::Md => "md",
            ScanFormat::Html => "html",
            ScanFormat::Sarif => "sarif",
            ScanFormat::Xlsx => "xlsx",
        }
    }
}

/// Report language.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum LangArg {
    /// Chinese first, English beside (the default).
    Both,
    /// Chinese only.
    Zh,
    /// English only.
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Both => Lang::Both,
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        }
    }
}

/// The lowest verdict that makes `scan` exit 1.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum FailOn {
    /// Exit 1 when an item or finding is a violation.
    Violation,
    /// Exit 1 when an item or finding is a risk or a violation.
    Risk,
}

impl FailOn {
    /// The verdict it stands for.
    fn verdict(self) -> Verdict {
        match self {
            FailOn::Violation => Verdict::Violation,
            FailOn::Risk => Verdict::Risk,
        }
    }
}

#[derive(clap::Args)]
struct InspectArgs {
    /// The APK file.
    apk: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write the output to this file instead of standard output.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Print per-stage wall time and peak memory (to stderr for text; in the JSON otherwise).
    #[arg(long)]
    timings: bool,
    /// Threads for indexing dex files (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
}

#[derive(clap::Args)]
struct ScanArgs {
    /// The APK file; several files, folders (their .apk files, recursively)
    /// or list files (`@list.txt`, one path per line) assess a batch: one
    /// summary row per app, each app's report in `--out-dir`.
    #[arg(value_name = "APK", required = true)]
    apk: Vec<PathBuf>,
    /// Batch: write each app's report (`<package>-<versionCode>-<sha8>.<ext>`,
    /// in `--format`) and `summary.csv` into this folder (created).
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
    /// Batch: apps assessed at a time (default: the cores).
    #[arg(short = 'j', long, value_name = "N")]
    jobs: Option<usize>,
    /// Batch: keep the rows of the apps `--out-dir`'s summary.csv already
    /// holds (same SHA-256, no error, report still there); assess the rest.
    #[arg(long, requires = "out_dir")]
    resume: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ScanFormat::Text)]
    format: ScanFormat,
    /// Write the report to this file instead of standard output.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Report language (both: Chinese with English beside, the default; zh: Chinese only; en: English only).
    #[arg(long, value_enum, default_value_t = LangArg::Both)]
    lang: LangArg,
    /// Exit 1 when a finding not accepted by the baseline, or an item decided
    /// by the answers, is at or above this verdict (default: never).
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// The developer's answers to the questionnaire (`pipa questionnaire`):
    /// they decide the items the package cannot, shown as statements.
    #[arg(long, value_name = "FILE")]
    answers: Option<PathBuf>,
    /// Findings accepted with a written justification (`--write-baseline`
    /// makes one to fill in); accepted findings do not fail `--fail-on`.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Write the current risk and violation findings as a baseline to FILE
    /// (each needs a justification written in before `--baseline` takes it).
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Per-stage wall time and peak memory, with an `assess` stage (stderr; in the JSON for json).
    #[arg(long)]
    timings: bool,
    /// Threads for indexing dex files (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Text format: the long form, with every SDK's details, all 31 items, and
    /// each finding's description, evidence (up to 8 call sites) and fix. The
    /// default text report is the summary: what to fix first, then each
    /// finding in two lines.
    #[arg(long)]
    details: bool,
    /// The app's privacy policy: a file (html, txt, md, pdf; UTF-8 or GBK) or
    /// an http(s) URL (fetched once). Without it, pipa reads the policy it
    /// finds in the package, if any.
    #[arg(long, value_name = "FILE|URL")]
    policy: Option<String>,
    /// The app's type, one of the 39 of the 2021 necessary-PI rule (number,
    /// Chinese name such as 地图导航, or id): PI outside its necessary list is
    /// a 191-4.1 risk.
    #[arg(long, value_name = "TYPE")]
    category: Option<String>,
    /// A package prefix of the app's own code (`com.hjq` or `com.hjq.*`),
    /// besides the manifest package, application class and launcher
    /// packages and their organisation (repeat for several). A longer
    /// catalogued SDK prefix keeps its code (`com.hjq.toast` stays that
    /// library under `--first-party com.hjq`).
    #[arg(long, value_name = "PREFIX", value_parser = first_party_arg)]
    first_party: Vec<String>,
    /// Seconds to wait for a policy URL.
    #[arg(long, default_value_t = 20)]
    timeout: u64,
    /// Use the `--policy` text even when it does not read as a privacy
    /// policy (as `pipa policy --force`; see `recognition` in kb/policy.yaml).
    #[arg(long, requires = "policy")]
    force: bool,
}

#[derive(clap::Args)]
struct ExplainArgs {
    /// Rule id, e.g. `191-3.1` (or `3.1`), `PIPL-29`.
    rule_id: String,
    /// Language (both: Chinese with English beside, the default; zh: Chinese only; en: English only).
    #[arg(long, value_enum, default_value_t = LangArg::Both)]
    lang: LangArg,
}

/// Tables of the knowledge base.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum KbTableArg {
    /// Legal items (191, 164, PIPL, …).
    Rules,
    /// Sensitive APIs, fields and content URIs.
    Apis,
    /// Android permissions and the PI they give access to.
    Permissions,
    /// The personal-information vocabulary.
    PiTypes,
    /// The third-party SDK catalogue (signatures, PI collected, compliant-init APIs).
    Sdks,
}

#[derive(clap::Args)]
struct KbArgs {
    /// What to list.
    #[arg(value_enum)]
    table: KbTableArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Only entries containing this text (case-insensitive, any field).
    #[arg(long)]
    filter: Option<String>,
    /// Language of the text listing.
    #[arg(long, value_enum, default_value_t = LangArg::Both)]
    lang: LangArg,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // Help and version go to stdout and succeed; usage errors exit 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Scan(args) => run_scan(args),
        Command::Inspect(args) => run_inspect(args).map(|()| ExitCode::SUCCESS),
        Command::Explain(args) => run_explain(args).map(|()| ExitCode::SUCCESS),
        Command::Kb(args) => run_kb(args).map(|()| ExitCode::SUCCESS),
        Command::Policy(args) => run_policy(args).map(|()| ExitCode::SUCCESS),
        Command::Questionnaire(args) => gate::run_questionnaire(args).map(|()| ExitCode::SUCCESS),
        Command::Diff(args) => diff::run(args),
        Command::Completions(args) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(args.shell, &mut cmd, "pipa", &mut out);
            emit_bytes(None, &out).map(|()| ExitCode::SUCCESS)
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut out)
                .map_err(|e| anyhow::anyhow!("cannot render the man page: {e}"))
                .and_then(|()| emit_bytes(None, &out))
                .map(|()| ExitCode::SUCCESS)
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "pipa: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn set_threads(threads: Option<usize>) {
    if let Some(n) = threads {
        // Only fails if a pool exists already, which cannot happen this early.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global();
    }
}

/// Writes `text` to `output`, or to standard output.
fn emit(output: Option<&PathBuf>, text: &str) -> anyhow::Result<()> {
    emit_bytes(output, text.as_bytes())
}

/// Writes `bytes` to `output`, or to standard output.
fn emit_bytes(output: Option<&PathBuf>, bytes: &[u8]) -> anyhow::Result<()> {
    match output {
        Some(path) => std::fs::write(path, bytes)
            .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", path.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth reporting.
            let _ = out.write_all(bytes);
        }
    }
    Ok(())
}

fn pretty(v: &serde_json::Value) -> anyhow::Result<String> {
    let mut s = serde_json::to_string_pretty(v)?;
    s.push('\n');
    Ok(s)
}

fn run_inspect(args: InspectArgs) -> anyhow::Result<()> {
    set_threads(args.threads);
    let (report, timings) = inspect::inspect(&args.apk)?;
    let text = match args.format {
        Format::Json => {
            let mut v = serde_json::to_value(&report)?;
            if args.timings
                && let Some(obj) = v.as_object_mut()
            {
                obj.insert("timings".into(), serde_json::to_value(&timings)?);
            }
            pretty(&v)?
        }
        Format::Text => render::text(&report),
    };
    emit(args.output.as_ref(), &text)?;
    if args.timings && args.format == Format::Text {
        let _ = write!(std::io::stderr(), "{}", timings.render());
    }
    Ok(())
}

/// The report of `a` in `format` (JSON without the run's timings; text in
/// colour when `color`), for one app or each app of a batch.
fn report_bytes(
    a: &pipa_engine::Assessment,
    kb: &pipa_kb::Kb,
    format: ScanFormat,
    lang: Lang,
    details: bool,
    color: bool,
) -> anyhow::Result<Vec<u8>> {
    Ok(match format {
        ScanFormat::Text => pipa_report::terminal_with(
            a,
            kb,
            TerminalOptions {
                lang,
                color,
                details,
                ..TerminalOptions::default()
            },
        )
        .into_bytes(),
        ScanFormat::Json => pretty(&serde_json::to_value(a)?)?.into_bytes(),
        ScanFormat::Md => pipa_report::markdown(a, kb, lang).into_bytes(),
        ScanFormat::Html => pipa_report::html(a, kb, lang).into_bytes(),
        ScanFormat::Sarif => pipa_report::sarif(a, kb, lang)?.into_bytes(),
        ScanFormat::Xlsx => pipa_report::xlsx(a, kb, lang)
            .map_err(|e| anyhow::anyhow!("cannot write the workbook: {e}"))?,
    })
}

/// `pipa scan` over several apps (see [`batch`]). Options that belong to one
/// app (its policy, answers, baseline, type, one output file) are refused.
/// Exit 2 when an input could not be assessed (after the whole batch and
/// its summary), else 1 when an app fails `--fail-on`, else 3 when an
/// assessment is incomplete, else 0.
fn run_batch(args: &ScanArgs) -> anyhow::Result<ExitCode> {
    for (given, name) in [
        (args.policy.is_some(), "--policy"),
        (args.answers.is_some(), "--answers"),
        (args.baseline.is_some(), "--baseline"),
        (args.write_baseline.is_some(), "--write-baseline"),
        (args.category.is_some(), "--category"),
        (args.output.is_some(), "-o/--output (use --out-dir)"),
        (args.timings, "--timings"),
    ] {
        if given {
            anyhow::bail!(
                "{name}: for one app, not with several apps, a folder or a list (批量评估不支持该选项)"
            );
        }
    }
    let inputs = batch::inputs(&args.apk)?;
    if let Some(d) = &args.out_dir {
        std::fs::create_dir_all(d)
            .map_err(|e| anyhow::anyhow!("{}: cannot create the folder: {e}", d.display()))?;
    }
    let lang = Lang::from(args.lang);
    let (format, details) = (args.format, args.details);
    let render = move |a: &pipa_engine::Assessment,
                       kb: &pipa_kb::Kb|
          -> anyhow::Result<(Vec<u8>, &'static str)> {
        Ok((
            report_bytes(a, kb, format, lang, details, false)?,
            format.extension(),
        ))
    };
    let threshold = args.fail_on.map(FailOn::verdict);
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let previous = match &args.out_dir {
        Some(d) if args.resume && d.join("summary.csv").is_file() => {
            batch::read_csv(&d.join("summary.csv"))?
        }
        _ => Vec::new(),
    };
    let t0 = std::time::Instant::now();
    let rows = batch::run(
        &inputs,
        &batch::Batch {
            jobs,
            out_dir: args.out_dir.as_deref(),
            render: &render,
            first_party: &args.first_party,
            threshold,
            previous: &previous,
        },
    );
    let secs = t0.elapsed().as_secs_f64();
    if let Some(d) = &args.out_dir {
        let p = d.join("summary.csv");
        std::fs::write(&p, batch::csv(&rows))
            .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", p.display()))?;
    }
    emit(None, &batch::table(&rows, secs))?;
    Ok(if rows.iter().any(|r| r.error.is_some()) {
        ExitCode::from(2)
    } else if rows.iter().any(|r| r.failing > 0) {
        ExitCode::from(1)
    } else if rows.iter().any(|r| r.incomplete) {
        ExitCode::from(EXIT_INCOMPLETE)
    } else {
        ExitCode::SUCCESS
    })
}

/// `--first-party PREFIX`, checked before anything is read.
fn first_party_arg(s: &str) -> Result<String, String> {
    pipa_engine::parse_first_party(s).map_err(|e| e.to_string())
}

fn run_scan(args: ScanArgs) -> anyhow::Result<ExitCode> {
    set_threads(args.threads);
    let one = match args.apk.as_slice() {
        [p] if args.out_dir.is_none() && !p.is_dir() && !p.to_string_lossy().starts_with('@') => {
            p.clone()
        }
        _ => return run_batch(&args),
    };
    let opts = pipa_scan::Options {
        policy: args.policy.as_deref(),
        timeout: std::time::Duration::from_secs(args.timeout),
        category: args.category.as_deref(),
        force: args.force,
        first_party: &args.first_party,
    };
    // The people's files first: a mistake in them costs no scan.
    let answers = args
        .answers
        .as_deref()
        .map(|p| gate::load_answers(p).map(|a| (p, a)))
        .transpose()?;
    let baseline = args
        .baseline
        .as_deref()
        .map(|p| gate::read_baseline(p).map(|b| (p, b)))
        .transpose()?;
    let pipa_scan::Scan {
        assessment: mut a,
        kb,
        timings,
    } = pipa_scan::assess(pipa_scan::Input::Path(&one), &opts)?;
    let kb = &kb;
    if let Some((path, answers)) = &answers {
        gate::apply_answers(&mut a, kb, answers, path);
        pipa_engine::withhold_incomplete(&mut a);
    }
    if let Some((path, b)) = &baseline {
        gate::apply_baseline(&mut a, kb, b, path);
    }
    if let Some(path) = &args.write_baseline {
        gate::write_baseline(&a, path)?;
    }
    let lang = Lang::from(args.lang);
    let color = args.format == ScanFormat::Text
        && args.output.is_none()
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let bytes = match args.format {
        ScanFormat::Json if args.timings => {
            let mut v = serde_json::to_value(&a)?;
            if let Some(obj) = v.as_object_mut() {
                // The run's stages (reading, `kb`, `assess`) with memory, and
                // the engine's own breakdown under `engine`.
                let mut t = serde_json::to_value(&timings)?;
                if let Some(tobj) = t.as_object_mut() {
                    tobj.insert("engine".into(), serde_json::to_value(&a.timings)?);
                }
                obj.insert("timings".into(), t);
            }
            pretty(&v)?.into_bytes()
        }
        f => report_bytes(&a, kb, f, lang, args.details, color)?,
    };
    if args.format == ScanFormat::Xlsx && args.output.is_none() && std::io::stdout().is_terminal() {
        anyhow::bail!(
            "--format xlsx writes a binary workbook: give -o report.xlsx (or redirect standard output)"
        );
    }
    emit_bytes(args.output.as_ref(), &bytes)?;
    if args.timings && args.format != ScanFormat::Json {
        let mut t = timings.render();
        // The engine's breakdown of `assess`.
        for (name, ms) in &a.timings.stages {
            t.push_str(&format!("  assess: {name:<20} {ms:>9.1}\n"));
        }
        let r = &a.reachability;
        t.push_str(&format!(
            "  call graph: {} methods, {} edges, {} megamorphic calls; reached: {} at start-up, {} in background\n",
            r.methods, r.edges, r.megamorphic_calls, r.reached_at_startup, r.reached_in_background
        ));
        let _ = write!(std::io::stderr(), "{t}");
    }
    // Assessed, but with gaps: said on stderr, and exit 3 unless a gate failed.
    let assessed = if a.coverage.incomplete {
        let _ = writeln!(std::io::stderr(), "{}", incomplete_warning(&a));
        ExitCode::from(EXIT_INCOMPLETE)
    } else {
        ExitCode::SUCCESS
    };
    let Some(threshold) = args.fail_on.map(FailOn::verdict) else {
        return Ok(assessed);
    };
    let failing = pipa_report::failing(&a, threshold);
    if failing.is_empty() {
        return Ok(assessed);
    }
    let mut msg = format!(
        "pipa: --fail-on {}: {} finding(s) or item(s) at or above it, not accepted by a baseline:\n",
        if threshold == Verdict::Violation {
            "violation"
        } else {
            "risk"
        },
        failing.len()
    );
    for f in &failing {
        msg.push_str(&format!("  {f}\n"));
    }
    let _ = write!(std::io::stderr(), "{msg}");
    Ok(ExitCode::from(1))
}

/// Exit code of `scan` for an assessment made with gaps: below the coverage
/// threshold, or a damaged dex file (distinct from 1, `--fail-on`, which
/// takes precedence, and 2, errors).
const EXIT_INCOMPLETE: u8 = 3;

/// The one-line stderr warning of an incomplete assessment (`scan`, and
/// `diff` for each incomplete version).
fn incomplete_warning(a: &pipa_engine::Assessment) -> String {
    let c = &a.coverage;
    format!(
        "pipa: warning: {}: incomplete assessment (评估不完整): {}: {}; no item passes; exit {EXIT_INCOMPLETE}",
        a.input.path,
        c.shortfall().en,
        c.figures_text("; ", "; ").en
    )
}

fn run_policy(args: PolicyArgs) -> anyhow::Result<()> {
    let t0 = std::time::Instant::now();
    let kb = load_kb()?;
    let lex = pipa_policy::Lexicon::new(&kb)?;
    let t_lex = t0.elapsed();
    let p = pipa_scan::policy::load(
        &args.policy,
        std::time::Duration::from_secs(args.timeout),
        &lex,
    )?;
    let t_all = t0.elapsed();
    if !args.force {
        pipa_scan::policy::refuse_non_policy(&args.policy, &p, &kb)?;
    }
    let lang = Lang::from(args.lang);
    if let Some(t) = &args.explain {
        if !kb.pi_types.iter().any(|x| &x.id == t) {
            let ids: Vec<&str> = kb.pi_types.iter().map(|x| x.id.as_str()).collect();
            anyhow::bail!(
                "{t}: unknown PI type (未知的个人信息类型); one of {}",
                ids.join(", ")
            );
        }
        return emit(args.output.as_ref(), &policy::explain(&p, t));
    }
    let text = match args.format {
        PolicyFormat::Json => {
            let mut s = serde_json::to_string_pretty(&p.report)?;
            s.push('\n');
            s
        }
        PolicyFormat::Text => pipa_report::policy_text(&p.report, lang),
        PolicyFormat::Md => pipa_report::policy_markdown(&p.report, lang),
        PolicyFormat::Plain => format!("{}\n", p.document.text),
    };
    emit(args.output.as_ref(), &text)?;
    if args.timings {
        let _ = writeln!(
            std::io::stderr(),
            "timings: kb + vocabulary {:.1} ms, read + analyse {:.1} ms ({} chars)",
            t_lex.as_secs_f64() * 1000.0,
            (t_all - t_lex).as_secs_f64() * 1000.0,
            p.report.source.chars
        );
    }
    Ok(())
}

use pipa_scan::load_kb;

fn run_explain(args: ExplainArgs) -> anyhow::Result<()> {
    let kb = &load_kb()?;
    let Some(rule) = pipa_report::explain::find(kb, &args.rule_id) else {
        let close = pipa_report::suggest(kb, &args.rule_id);
        let hint = if close.is_empty() {
            "`pipa kb rules` lists them all".to_string()
        } else {
            format!(
                "did you mean {}? (`pipa kb rules` lists them all)",
                close.join(", ")
            )
        };
        anyhow::bail!("{}: unknown rule id; {hint}", args.rule_id);
    };
    emit(None, &pipa_report::explain(rule, kb, args.lang.into()))
}

fn run_kb(args: KbArgs) -> anyhow::Result<()> {
    let kb = &load_kb()?;
    let table = match args.table {
        KbTableArg::Rules => KbTable::Rules,
        KbTableArg::Apis => KbTable::Apis,
        KbTableArg::Permissions => KbTable::Permissions,
        KbTableArg::PiTypes => KbTable::PiTypes,
        KbTableArg::Sdks => KbTable::Sdks,
    };
    let filter = args.filter.as_deref();
    let text = match args.format {
        Format::Json => pipa_report::kb_json(kb, table, filter)?,
        Format::Text => pipa_report::kb_text(kb, table, filter, args.lang.into()),
    };
    emit(None, &text)
}
