//! Regression guard against the CA4P-483 annotations (EMNLP 2022, research
//! use; `$PIPA_SHARED/corpus/policies`, default `<repo>/../shared/…`, never
//! committed): on the 100 held-out policies, pipa's recall and precision for
//! the annotators' data spans (数据) and its recall of named third parties
//! must not fall more than [`MARGIN`] below the values measured when this
//! test was written. The evaluation is `tests/support/corpus_eval.rs`
//! (shared with `examples/corpus_eval.rs`, which prints the misses too).
//! Skipped, with a notice, when the corpus is absent.

#[path = "support/corpus_eval.rs"]
mod eval;

use eval::{PolicyEval, Set};

/// How far a figure may fall below its measured value.
const MARGIN: f64 = 0.03;

// Measured 2026-12-03 after the plain-text reader stopped taking a paragraph
// above a `===` rule for a title (数据 recall 0.451 → 0.498); sentence roles
// (2026-12-07) cost 0.03 of it (mentions in definitions, rights and security
// clauses are no longer reported), the second round of issue 24 won it back
// (verbs after their object, words referring back, lines and `；` lists
// continuing a lead-in): 0.499, precision 0.438.

/// Held-out 数据 recall (every gold span; pipa's PI terms of every mention,
/// declared or denied), measured.
const DATA_RECALL: f64 = 0.499;
/// Held-out 数据 precision (every PI-term mention pipa finds), measured.
const DATA_PRECISION: f64 = 0.438;
/// Held-out named-party recall (gold mentions overlapped), measured.
const NAMED_PARTY_RECALL: f64 = 0.607;

#[test]
fn ca4p_held_out_data_and_named_parties() {
    let dir = eval::corpus_dir();
    if !dir.join("html").is_dir() || !dir.join("annotations").is_dir() {
        eprintln!(
            "notice: CA4P-483 corpus absent at {} (set PIPA_SHARED); skipped",
            dir.display()
        );
        return;
    }
    let lex = pipa_policy::Lexicon::embedded();
    let evals = eval::run(
        &dir,
        Set::All,
        lex,
        eval::default_threads(),
        eval::Options::default(),
    )
    .unwrap_or_else(|e| panic!("corpus evaluation: {e}"));
    let dev: Vec<&PolicyEval> = evals.iter().filter(|e| e.set == Set::Dev).collect();
    let test: Vec<&PolicyEval> = evals.iter().filter(|e| e.set == Set::Test).collect();
    assert_eq!(
        (dev.len(), test.len()),
        (100, 100),
        "the corpus has 200 policies"
    );
    let (sd, st) = (eval::summarise(&dev), eval::summarise(&test));
    eprintln!("{}", eval::table(&[("dev", &sd), ("held-out", &st)]));

    // The text pipa is given is the annotators' text, and the offsets map.
    for s in [&sd, &st] {
        assert_eq!(
            s.offsets.n, s.offsets.d,
            "annotation offsets do not match the <pre> text"
        );
        assert_eq!(
            s.align_skipped, 0,
            "pipa's text does not align with the annotators'"
        );
    }
    let checks = [
        ("held-out 数据 recall", st.data_r.value(), DATA_RECALL),
        ("held-out 数据 precision", st.data_p.value(), DATA_PRECISION),
        (
            "held-out named-party recall",
            st.party_r.value(),
            NAMED_PARTY_RECALL,
        ),
    ];
    let mut failed = Vec::new();
    for (name, got, measured) in checks {
        if got + 1e-9 < measured - MARGIN {
            failed.push(format!("{name}: {got:.3} < {measured:.3} - {MARGIN}"));
        }
    }
    assert!(failed.is_empty(), "regressed: {}", failed.join("; "));
}
