//! `pipa policy` refuses text that is not a privacy policy (the test of
//! `recognition` in kb/policy.yaml). No real policy may be refused: every
//! policy of the CA4P-483 corpus (`$PIPA_SHARED/corpus/policies/html`; skipped
//! with a notice when absent) and the team's test policies; and texts that
//! are not policies — this repository's README files, the PIPL's text and
//! other digests of `../shared/regs` (a law speaks of PI but not to a user),
//! a shopping note, a contract — are refused.

#[path = "support/corpus_eval.rs"]
mod eval;

use pipa_policy::{Lexicon, analyse_bytes, analyse_file, recognise};
use std::path::Path;

fn rules() -> pipa_kb::PolicyRecognition {
    pipa_kb::Kb::embedded().policy.recognition.clone()
}

fn check_file(path: &Path, lex: &Lexicon) -> pipa_policy::Recognition {
    let p = analyse_file(path, lex).unwrap_or_else(|e| panic!("{e}"));
    recognise(&p.document, &rules())
}

#[test]
fn no_corpus_policy_is_refused() {
    let dir = eval::corpus_dir().join("html");
    if !dir.is_dir() {
        eprintln!(
            "skipping: ../shared/corpus not found (no {}; set PIPA_SHARED)",
            dir.display()
        );
        return;
    }
    let lex = Lexicon::embedded();
    let files = pipa_testkit::files_with_ext(&dir, &["html"]);
    assert!(files.len() >= 100, "{} policies", files.len());
    let mut refused = Vec::new();
    let (mut min_chars, mut min_terms, mut min_voice) = (usize::MAX, usize::MAX, usize::MAX);
    for f in &files {
        let r = check_file(f, lex);
        min_chars = min_chars.min(r.chars);
        min_terms = min_terms.min(r.terms.len());
        min_voice = min_voice.min(r.voice);
        if !r.is_policy() {
            refused.push(format!("{}: {}", f.display(), r.reasons.join("; ")));
        }
    }
    eprintln!(
        "{} corpus policies, none refused; least: {min_chars} chars, {min_terms} terms, {min_voice} voice words",
        files.len()
    );
    assert!(refused.is_empty(), "refused:\n{}", refused.join("\n"));
}

#[test]
fn the_team_policies_are_policies() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/policies");
    let lex = Lexicon::embedded();
    for name in [
        "fixture-app.html",
        "fixture-app-gbk.html",
        "fixture-app.md",
        "fixture-app.txt",
        "thin.txt",
        "long-30k.txt",
    ] {
        let r = check_file(&dir.join(name), lex);
        assert!(r.is_policy(), "{name}: {:?}", r.reasons);
    }
}

#[test]
fn texts_that_are_not_policies_are_refused() {
    let root = pipa_testkit::workspace_root();
    let lex = Lexicon::embedded();
    let mut files = vec![
        root.join("README.md"),
        root.join("kb/sdks/README.md"),
        root.join("crates/pipa-policy/tests/policies/README.md"),
    ];
    // The law's text, and digests that are not about policies. (Digests
    // that quote a policy's wording at length, such as rules_191.yaml or
    // privacy_policy_elements.yaml, do read as policies: a known limit.)
    let regs = eval::corpus_dir().join("../../regs");
    if regs.is_dir() {
        for name in [
            "SOURCES.md",
            "pipl_articles.yaml",
            "necessary_pi_39.yaml",
            "sensitive_apis.yaml",
        ] {
            files.push(regs.join(name));
        }
    } else {
        eprintln!(
            "notice: {} absent; the regulation texts skipped",
            regs.display()
        );
    }
    let mut taken = Vec::new();
    for f in &files {
        let r = check_file(f, lex);
        if r.is_policy() {
            taken.push(format!("{} taken as a policy: {r:?}", f.display()));
        }
    }
    assert!(taken.is_empty(), "{}", taken.join("\n"));
    for (name, text) in [
        ("note.txt", "买菜：鸡蛋、牛奶、面包。"),
        ("contract.txt", &"本合同由甲乙双方在平等自愿的基础上订立，双方应当全面履行各自的义务，违约方承担违约责任。".repeat(30)),
    ] {
        let p = analyse_bytes(name, text.as_bytes(), None, lex).expect("read");
        assert!(!recognise(&p.document, &rules()).is_policy(), "{name}");
    }
}
