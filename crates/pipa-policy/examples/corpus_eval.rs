//! Measures pipa's policy reader against the CA4P-483 annotations: 数据
//! (declared PI) and named third parties, precision and recall, on the
//! development set (first 100 policies, which the lexicon was tuned on) and
//! the held-out set (the other 100), plus the analysis time per policy and
//! the most frequent misses.
//!
//! ```text
//! cargo run --release -p pipa-policy --example corpus_eval -- \
//!     [--set dev|test|all] [--misses N] [--corpus DIR] [--fp-sample N] [--threads N] [--blank-rules] [--as-md]
//! ```
//!
//! `--set all` (the default) prints both sets side by side and the misses of
//! each; `--fp-sample N` prints N of the parties pipa names that no named gold party backs, of each set, spread
//! evenly, with a little context, for classifying by hand. The corpus is
//! `$PIPA_SHARED/corpus/policies` (default `<repo>/../shared/…`); it is not
//! part of the repository.
//!
//! `--blank-rules` is an experiment, not the measurement: the corpus's
//! `==========` lines are overwritten with spaces before pipa reads the text
//! (offsets unchanged), which shows what pipa's text reader loses by taking
//! the paragraph above each such line for a Setext heading. `--as-md`, also
//! an experiment, gives pipa the text as Markdown (`.md`), which it resembles.

#[path = "../tests/support/corpus_eval.rs"]
mod eval;

use eval::{PolicyEval, Set};
use std::path::PathBuf;

fn main() {
    let mut set = Set::All;
    let mut n_misses = 30;
    let mut fp_sample = 0;
    let mut near = 0;
    let mut dir = eval::corpus_dir();
    let mut threads = eval::default_threads();
    let mut opt = eval::Options::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = |name: &str| {
            args.next()
                .unwrap_or_else(|| die(&format!("{name} needs a value")))
        };
        match a.as_str() {
            "--set" => set = Set::parse(&val("--set")).unwrap_or_else(|| die("--set dev|test|all")),
            "--misses" => {
                n_misses = val("--misses")
                    .parse()
                    .unwrap_or_else(|_| die("--misses N"))
            }
            "--fp-sample" => {
                fp_sample = val("--fp-sample")
                    .parse()
                    .unwrap_or_else(|_| die("--fp-sample N"))
            }
            "--near" => near = val("--near").parse().unwrap_or_else(|_| die("--near N")),
            "--threads" => {
                threads = val("--threads")
                    .parse()
                    .unwrap_or_else(|_| die("--threads N"))
            }
            "--corpus" => dir = PathBuf::from(val("--corpus")),
            "--blank-rules" => opt.blank_rules = true,
            "--as-md" => opt.markdown = true,
            "-h" | "--help" => {
                println!(
                    "corpus_eval [--set dev|test|all] [--misses N] [--corpus DIR] [--fp-sample N] [--threads N] [--blank-rules] [--as-md]"
                );
                return;
            }
            _ => die(&format!("unknown argument {a}")),
        }
    }
    if !dir.join("html").is_dir() {
        die(&format!(
            "no corpus at {} (set --corpus or PIPA_SHARED)",
            dir.display()
        ));
    }
    let lex = pipa_policy::Lexicon::embedded();
    let evals = eval::run(&dir, set, lex, threads, opt).unwrap_or_else(|e| die(&e));
    let dev: Vec<&PolicyEval> = evals.iter().filter(|e| e.set == Set::Dev).collect();
    let test: Vec<&PolicyEval> = evals.iter().filter(|e| e.set == Set::Test).collect();
    let all: Vec<&PolicyEval> = evals.iter().collect();
    let (sd, st, sa) = (
        eval::summarise(&dev),
        eval::summarise(&test),
        eval::summarise(&all),
    );
    let mut cols = Vec::new();
    if !dev.is_empty() {
        cols.push(("dev", &sd));
    }
    if !test.is_empty() {
        cols.push(("held-out", &st));
    }
    if !dev.is_empty() && !test.is_empty() {
        cols.push(("all", &sa));
    }
    let mut note = String::new();
    if opt.blank_rules {
        note.push_str(" (experiment: ===== lines blanked)");
    }
    if opt.markdown {
        note.push_str(" (experiment: read as Markdown)");
    }
    println!("corpus: {}{note}\n", dir.display());
    print!("{}", eval::table(&cols));
    for (name, group) in [("held-out", &test), ("dev", &dev)] {
        if group.is_empty() {
            continue;
        }
        if n_misses > 0 {
            println!("\n==== {name}: worst misses ====");
            print!("{}", eval::misses(group, n_misses));
        }
        if near > 0 {
            println!("\n==== {name}: missed gold 数据 by pipa's near-miss reason ====");
            let mut by: std::collections::BTreeMap<&str, Vec<(&str, &eval::Scored)>> =
                std::collections::BTreeMap::new();
            for e in group.iter() {
                for g in &e.data_gold {
                    if let Some((r, _)) = &g.near {
                        by.entry(r.as_str()).or_default().push((e.id.as_str(), g));
                    }
                }
            }
            for (r, v) in &by {
                println!("  {r}: {}", v.len());
                for (id, g) in v.iter().take(near) {
                    let sent = g.near.as_ref().map_or("", |n| n.1.as_str());
                    let sent: String = sent.chars().take(160).collect();
                    println!("    {id} {:?} | {sent}", g.text);
                }
            }
        }
        if fp_sample > 0 {
            println!("\n==== {name}: sample of party false positives ====");
            // One per (policy, party pipa names) with no mention on a named gold party.
            let fps: Vec<(&str, &eval::Mention)> = group
                .iter()
                .flat_map(|e| {
                    let found = eval::found_parties(e);
                    let mut seen = std::collections::BTreeSet::new();
                    e.party_pred
                        .iter()
                        .filter(move |p| found.get(&p.what) == Some(&false))
                        .filter(move |p| seen.insert(p.what.clone()))
                        .map(move |p| (e.id.as_str(), p))
                })
                .collect();
            let step = (fps.len() / fp_sample.max(1)).max(1);
            for (id, p) in fps.iter().step_by(step).take(fp_sample) {
                let ctx = context(&dir, id, p.start, p.end);
                println!(
                    "  {id} [{}..{}] {:?} (pipa: {}) annotated-sentence={} | {ctx}",
                    p.start, p.end, p.text, p.what, p.annotated_sentence
                );
            }
        }
    }
    let slow = evals.iter().max_by(|a, b| a.ms.total_cmp(&b.ms));
    if let Some(s) = slow {
        println!("\nslowest: {} {:.1} ms ({} chars)", s.id, s.ms, s.chars);
    }
}

/// A few characters around `start..end` of policy `id` (never committed).
fn context(dir: &std::path::Path, id: &str, start: usize, end: usize) -> String {
    let Ok(item) = eval::load(dir, id) else {
        return String::new();
    };
    let c: Vec<char> = item.text.chars().collect();
    let a = start.saturating_sub(15);
    let b = (end + 15).min(c.len());
    c[a..b].iter().collect::<String>().replace('\n', "⏎")
}

fn die(msg: &str) -> ! {
    eprintln!("corpus_eval: {msg}");
    std::process::exit(2)
}
