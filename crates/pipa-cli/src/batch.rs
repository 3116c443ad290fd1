//! `pipa scan PATH...` over many apps: files, folders (recursive: their
//! `.apk` files) and list files (`@list.txt`, one path per line); `-j N`
//! apps at a time, each assessed by `pipa_scan::assess`; each app's report
//! in `--out-dir` as `<package>-<versionCode>-<sha8>.<ext>`; one summary
//! row per input (an input that cannot be assessed is a row with its
//! error, never the end of the batch), as a table on standard output and
//! `summary.csv` in the out dir; `--resume` takes the rows of that summary
//! for the inputs it already holds (same SHA-256, report still there).

use pipa_engine::{Assessment, Verdict};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// The inputs `args` name, in order, without duplicates: a file as it is,
/// a folder's `.apk` files (recursive, sorted), a list file's paths
/// (`@list.txt`; blank lines and `#` comments skipped; a relative path is
/// read as if given on the command line, from the current folder). Errors
/// name the argument.
pub fn inputs(args: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out: Vec<PathBuf> = Vec::new();
    for a in args {
        let s = a.to_string_lossy();
        if let Some(list) = s.strip_prefix('@') {
            let list = Path::new(list);
            let text = std::fs::read_to_string(list)
                .map_err(|e| anyhow::anyhow!("{}: cannot read the list: {e}", list.display()))?;
            for line in text.lines().map(str::trim) {
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                out.push(PathBuf::from(line));
            }
        } else if a.is_dir() {
            let mut found = Vec::new();
            walk(a, &mut found)
                .map_err(|e| anyhow::anyhow!("{}: cannot list the folder: {e}", a.display()))?;
            found.sort();
            if found.is_empty() {
                anyhow::bail!("{}: no .apk file in this folder", a.display());
            }
            out.extend(found);
        } else {
            // Files, and paths that do not exist: the row says so.
            out.push(a.clone());
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| seen.insert(p.clone()));
    Ok(out)
}

/// The `.apk` files under `dir` (case-insensitive), recursively; symbolic
/// links to folders are not followed (no cycles).
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        let ty = e.file_type()?;
        let p = e.path();
        if ty.is_dir() {
            walk(&p, out)?;
        } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("apk")) {
            out.push(p);
        }
    }
    Ok(())
}

/// One app of the batch, assessed or not.
#[derive(Debug, Default, Clone)]
pub struct Row {
    /// The input as named.
    pub file: String,
    /// SHA-256 of the file.
    pub sha256: String,
    /// Package name.
    pub package: String,
    /// `versionName (versionCode)`.
    pub version: String,
    /// The first signer's subject.
    pub signer: String,
    /// SDKs found (high or medium confidence): their names.
    pub sdks: Vec<String>,
    /// SDKs initialised before consent (a start-up finding that is a risk
    /// or a violation).
    pub sdk_init_before_consent: Vec<String>,
    /// PI types read on an ungated start-up path (before consent).
    pub pi_before_consent: Vec<String>,
    /// Self-start and associated-launch findings that are risks or
    /// violations.
    pub self_start_or_launch: usize,
    /// A privacy policy was read (found in the package).
    pub policy: bool,
    /// Findings per verdict.
    pub violations: usize,
    /// Risks.
    pub risks: usize,
    /// Manual checks.
    pub manual: usize,
    /// Findings at or above `--fail-on` (0 without it).
    pub failing: usize,
    /// The assessment is incomplete (code left unread).
    pub incomplete: bool,
    /// The report written, in the out dir.
    pub report: Option<PathBuf>,
    /// Wall time of the app, ms.
    pub ms: f64,
    /// Why the app could not be assessed.
    pub error: Option<String>,
    /// Taken from the out dir's earlier summary (`--resume`), not assessed
    /// again.
    pub resumed: bool,
}

impl Row {
    fn of(file: &str, a: &Assessment, threshold: Option<Verdict>) -> Row {
        let count = |v: Verdict| a.findings.iter().filter(|f| f.verdict == v).count();
        let mut sdk_init: Vec<String> = Vec::new();
        for f in &a.findings {
            if f.id.starts_with("sdk_init.before_consent.") && f.verdict <= Verdict::Risk {
                for id in pipa_engine::finding_sdks(a, f) {
                    let name = a
                        .sdks
                        .iter()
                        .find(|s| s.id == id)
                        .map_or(id.clone(), |s| s.name.zh.clone());
                    if !sdk_init.contains(&name) {
                        sdk_init.push(name);
                    }
                }
            }
        }
        let mut pi: Vec<String> = Vec::new();
        for r in a.reachability.before_consent.iter().filter(|r| !r.gated) {
            if !pi.contains(&r.pi_type) {
                pi.push(r.pi_type.clone());
            }
        }
        Row {
            file: file.to_string(),
            sha256: a.input.sha256.clone(),
            package: a.app.id.clone(),
            version: match (&a.app.version_name, a.app.version_code) {
                (Some(n), Some(c)) => format!("{n} ({c})"),
                (Some(n), None) => n.clone(),
                (None, Some(c)) => format!("({c})"),
                (None, None) => String::new(),
            },
            signer: a
                .input
                .signers
                .first()
                .and_then(|s| s.subject.clone())
                .unwrap_or_default(),
            sdks: a
                .sdks
                .iter()
                .filter(|s| s.confidence != "low")
                .map(|s| s.name.zh.clone())
                .collect(),
            sdk_init_before_consent: sdk_init,
            pi_before_consent: pi,
            self_start_or_launch: a
                .findings
                .iter()
                .filter(|f| {
                    (f.id.starts_with("background.self_start.") || f.id.starts_with("launch"))
                        && f.verdict <= Verdict::Risk
                })
                .count(),
            policy: a.policy.is_some(),
            violations: count(Verdict::Violation),
            risks: count(Verdict::Risk),
            manual: count(Verdict::Manual),
            failing: threshold.map_or(0, |t| pipa_report::failing(a, t).len()),
            incomplete: a.coverage.incomplete,
            ..Row::default()
        }
    }
}

/// Renders an app's report: its bytes and file extension.
pub type Render =
    dyn Fn(&Assessment, &pipa_kb::Kb) -> anyhow::Result<(Vec<u8>, &'static str)> + Sync;

/// What the batch does with each app.
pub struct Batch<'a> {
    /// Apps assessed at a time.
    pub jobs: usize,
    /// Where each app's report and `summary.csv` go.
    pub out_dir: Option<&'a Path>,
    /// Renders an app's report.
    pub render: &'a Render,
    /// `--first-party` prefixes.
    pub first_party: &'a [String],
    /// `--fail-on`.
    pub threshold: Option<Verdict>,
    /// `--resume`: the rows of the out dir's earlier `summary.csv`; an
    /// input whose SHA-256 has a row there without an error, and whose
    /// report is still there, is not assessed again.
    pub previous: &'a [Row],
}

/// Assesses every input, `jobs` at a time (each worker holds one app: memory
/// does not grow with the number of apps), and returns the rows in input
/// order. Progress on standard error when it is a terminal.
pub fn run(inputs: &[PathBuf], b: &Batch<'_>) -> Vec<Row> {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let rows: Mutex<Vec<Option<Row>>> = Mutex::new(vec![None; inputs.len()]);
    let progress = std::io::stderr().is_terminal();
    let t0 = Instant::now();
    let jobs = b.jobs.clamp(1, inputs.len().max(1));
    std::thread::scope(|sc| {
        for _ in 0..jobs {
            sc.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = inputs.get(i) else { break };
                    let row = one(path, b);
                    let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                    if progress {
                        let rate = n as f64 / t0.elapsed().as_secs_f64().max(1e-3);
                        let left = (inputs.len() - n) as f64 / rate;
                        let _ = write!(
                            std::io::stderr(),
                            "\r\x1b[K[{n}/{}] {rate:.1} apps/s, ETA {left:.0} s · {}",
                            inputs.len(),
                            path.display()
                        );
                    }
                    if let Ok(mut r) = rows.lock() {
                        r[i] = Some(row);
                    }
                }
            });
        }
    });
    if progress {
        let _ = writeln!(std::io::stderr());
    }
    rows.into_inner()
        .unwrap_or_default()
        .into_iter()
        .zip(inputs)
        .map(|(r, p)| {
            r.unwrap_or_else(|| Row {
                file: p.display().to_string(),
                error: Some("not assessed (a worker stopped)".into()),
                ..Row::default()
            })
        })
        .collect()
}

/// One app: assessed, its report written; any error (or panic) is its row.
fn one(path: &Path, b: &Batch<'_>) -> Row {
    let t = Instant::now();
    let file = path.display().to_string();
    if !b.previous.is_empty()
        && let Ok(sha) = sha256_file(path)
        && let Some(r) = b.previous.iter().find(|r| {
            r.sha256 == sha && r.error.is_none() && r.report.as_ref().is_some_and(|p| p.is_file())
        })
    {
        return Row {
            file,
            resumed: true,
            ..r.clone()
        };
    }
    let res = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| -> anyhow::Result<Row> {
        let opts = pipa_scan::Options {
            first_party: b.first_party,
            ..pipa_scan::Options::default()
        };
        let s = pipa_scan::assess(pipa_scan::Input::Path(path), &opts)?;
        let mut row = Row::of(&file, &s.assessment, b.threshold);
        if let Some(dir) = b.out_dir {
            let (bytes, ext) = (b.render)(&s.assessment, &s.kb)?;
            let a = &s.assessment;
            let name = format!(
                "{}-{}-{}.{ext}",
                safe(&a.app.id),
                a.app
                    .version_code
                    .map_or("0".to_string(), |c| c.to_string()),
                a.input.sha256.get(..8).unwrap_or("")
            );
            let out = dir.join(name);
            std::fs::write(&out, bytes)
                .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", out.display()))?;
            row.report = Some(out);
        }
        Ok(row)
    }));
    let mut row = match res {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => Row {
            file,
            error: Some(format!("{e:#}")),
            ..Row::default()
        },
        Err(p) => Row {
            file,
            error: Some(format!(
                "internal error (panic): {}",
                p.downcast_ref::<&str>()
                    .map(|s| (*s).to_string())
                    .or_else(|| p.downcast_ref::<String>().cloned())
                    .unwrap_or_default()
            )),
            ..Row::default()
        },
    };
    row.ms = t.elapsed().as_secs_f64() * 1e3;
    row
}

/// The SHA-256 of the file at `path`, hex, read in blocks.
fn sha256_file(path: &Path) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// The rows of a `summary.csv` this module wrote (see [`csv`]); an error
/// names the file when it is not one.
pub fn read_csv(path: &Path) -> anyhow::Result<Vec<Row>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", path.display()))?;
    let mut lines = fields(&text).into_iter();
    let header = lines.next().unwrap_or_default();
    if header != COLUMNS {
        anyhow::bail!(
            "{}: not a pipa batch summary (its columns differ); --resume reads the summary.csv of an earlier batch into the same --out-dir",
            path.display()
        );
    }
    let list = |s: &str| -> Vec<String> {
        s.split("; ")
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect()
    };
    let n = |s: &str| s.parse::<usize>().unwrap_or(0);
    Ok(lines
        .filter(|f| f.len() == COLUMNS.len())
        .map(|f| Row {
            file: f[0].clone(),
            sha256: f[1].clone(),
            package: f[2].clone(),
            version: f[3].clone(),
            signer: f[4].clone(),
            sdks: list(&f[6]),
            sdk_init_before_consent: list(&f[7]),
            pi_before_consent: list(&f[8]),
            self_start_or_launch: n(&f[9]),
            policy: f[10] == "yes",
            violations: n(&f[11]),
            risks: n(&f[12]),
            manual: n(&f[13]),
            failing: n(&f[14]),
            incomplete: f[15] == "yes",
            report: (!f[16].is_empty()).then(|| PathBuf::from(&f[16])),
            error: (!f[17].is_empty()).then(|| f[17].clone()),
            ..Row::default()
        })
        .collect())
}

/// CSV records (RFC 4180: quoted fields, `""` for a quote, line breaks
/// inside quotes kept).
fn fields(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut cur)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut cur));
                out.push(std::mem::take(&mut row));
            }
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() || !row.is_empty() {
        row.push(cur);
        out.push(row);
    }
    out
}

/// A package name as a file name: letters, digits, `.`, `_`, `-` kept.
fn safe(s: &str) -> String {
    let v: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if v.is_empty() { "app".into() } else { v }
}

/// The summary's columns.
const COLUMNS: [&str; 18] = [
    "file",
    "sha256",
    "package",
    "version",
    "signer",
    "sdks",
    "sdk_names",
    "sdks_initialised_before_consent",
    "pi_before_consent",
    "self_start_or_launch",
    "policy_found",
    "violations",
    "risks",
    "manual",
    "failing",
    "incomplete",
    "report",
    "error",
];

/// The rows as CSV (RFC 4180: every field quoted, `"` doubled), one header
/// line; lists joined with `; `.
pub fn csv(rows: &[Row]) -> String {
    let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out = COLUMNS.map(q).join(",");
    out.push_str("\r\n");
    for r in rows {
        let fields = [
            r.file.clone(),
            r.sha256.clone(),
            r.package.clone(),
            r.version.clone(),
            r.signer.clone(),
            if r.error.is_some() {
                String::new()
            } else {
                r.sdks.len().to_string()
            },
            r.sdks.join("; "),
            r.sdk_init_before_consent.join("; "),
            r.pi_before_consent.join("; "),
            num(r, r.self_start_or_launch),
            if r.error.is_some() {
                String::new()
            } else {
                (if r.policy { "yes" } else { "no" }).into()
            },
            num(r, r.violations),
            num(r, r.risks),
            num(r, r.manual),
            num(r, r.failing),
            if r.error.is_some() {
                String::new()
            } else {
                (if r.incomplete { "yes" } else { "no" }).into()
            },
            r.report
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            r.error.clone().unwrap_or_default(),
        ];
        out.push_str(&fields.iter().map(|f| q(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// A count, empty for an app that was not assessed.
fn num(r: &Row, n: usize) -> String {
    if r.error.is_some() {
        String::new()
    } else {
        n.to_string()
    }
}

/// The rows as a terminal table, then a line of totals.
pub fn table(rows: &[Row], secs: f64) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<44} {:<32} {:>5} {:>5} {:>5}  同意前初始化的 SDK SDKs started before consent / 错误 error",
        "文件 file", "包名 package", "违规", "风险", "SDK"
    );
    let clip = |x: &str, n: usize| -> String {
        let c: Vec<char> = x.chars().collect();
        if c.len() <= n {
            x.to_string()
        } else {
            format!("…{}", c[c.len() - (n - 1)..].iter().collect::<String>())
        }
    };
    for r in rows {
        let tail = match &r.error {
            Some(e) => format!("错误 error: {e}"),
            None => r.sdk_init_before_consent.join("、"),
        };
        let _ = writeln!(
            s,
            "{:<44} {:<32} {:>5} {:>5} {:>5}  {tail}",
            clip(&r.file, 44),
            clip(&r.package, 32),
            num(r, r.violations),
            num(r, r.risks),
            if r.error.is_some() {
                String::new()
            } else {
                r.sdks.len().to_string()
            },
        );
    }
    let errors = rows.iter().filter(|r| r.error.is_some()).count();
    let resumed = rows.iter().filter(|r| r.resumed).count();
    let _ = write!(
        s,
        "{} 个应用 apps: 已评估 assessed {}, 错误 errors {errors}",
        rows.len(),
        rows.len() - errors - resumed,
    );
    if resumed > 0 {
        let _ = write!(s, ", 沿用上次结果 resumed {resumed}");
    }
    let _ = writeln!(
        s,
        "; {secs:.1} s, {:.1} apps/s",
        rows.len() as f64 / secs.max(1e-3)
    );
    s
}
