//! No real policy may make the reader or the analyser panic: every policy of
//! the CA4P-483 corpus (`$PIPA_SHARED/corpus/policies/html`, default
//! `<repo>/../shared/corpus/policies/html`, never committed; found by the
//! helper of `corpus_eval`) is analysed as `pipa policy FILE` reads it (the
//! HTML file) and as the corpus evaluation gives it (the annotators' `<pre>`
//! text, as plain text and as Markdown), each behind `catch_unwind`. The
//! assertion names every policy that panicked. Skipped, with a notice, when
//! the corpus is absent.

#[path = "support/corpus_eval.rs"]
mod eval;

use pipa_policy::{Format, Lexicon, analyse_bytes, analyse_file};
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

/// The text of a panic's payload.
fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into())
}

/// Reads and analyses one policy every way pipa is given it; the first
/// panic, as text.
fn analyse_every_way(path: &Path, lex: &Lexicon) -> Result<(), String> {
    let run = |what: &str, f: &dyn Fn()| {
        panic::catch_unwind(AssertUnwindSafe(f))
            .map_err(|p| format!("{what}: {}", panic_message(&*p)))
    };
    // An error (unreadable, empty) is an answer, not a panic.
    run("html", &|| {
        let _ = analyse_file(path, lex);
    })?;
    let html = std::fs::read_to_string(path).unwrap_or_default();
    let text = eval::annotated_text(&html);
    if !text.is_empty() {
        for (name, format) in [("p.txt", Format::Text), ("p.md", Format::Markdown)] {
            run(name, &|| {
                let _ = analyse_bytes(name, text.as_bytes(), Some(format), lex);
            })?;
        }
    }
    Ok(())
}

#[test]
fn no_corpus_policy_panics() {
    let dir = eval::corpus_dir();
    let html = dir.join("html");
    if !html.is_dir() {
        eprintln!(
            "skipping: ../shared/corpus not found (no {}; set PIPA_SHARED)",
            html.display()
        );
        return;
    }
    let ids = eval::list(&dir).unwrap_or_else(|e| panic!("listing the corpus: {e}"));
    assert!(!ids.is_empty(), "no policy in {}", html.display());
    let lex = Lexicon::embedded();
    let mut failed = Vec::new();
    for (id, _) in &ids {
        let file = format!("{id}.html");
        if let Err(e) = analyse_every_way(&html.join(&file), lex) {
            failed.push(format!("{file} ({e})"));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} policies panicked: {}",
        failed.len(),
        ids.len(),
        failed.join("; ")
    );
}
