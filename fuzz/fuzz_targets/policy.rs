//! Privacy policies: arbitrary bytes through the policy front ends. The first
//! byte picks the way in — the format sniffed from the content, HTML, plain
//! text, Markdown (each: decoding, the format's reader, the analysis), or PDF
//! (`pdf_text`, then its text analysed) — the rest is the policy. Every way
//! also checks the document's character/byte offset maps against each other.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pipa_policy::{Document, Format, Lexicon, analyse_bytes, decode, pdf_text};
use std::time::Duration;

/// PDF extraction runs on a thread of its own; past this it is abandoned.
const PDF_TIMEOUT: Duration = Duration::from_secs(5);

/// Offsets pipa reports are character offsets; the maps must agree.
fn check(doc: &Document) {
    let n = doc.chars();
    for c in (0..=n).take(4096) {
        let b = doc.byte_at(c);
        assert!(doc.text.is_char_boundary(b), "byte_at({c}) = {b}");
        assert_eq!(doc.char_at(b), c);
    }
    for (i, s) in doc.sentences.iter().enumerate() {
        assert!(s.start <= s.end && s.end <= n, "sentence {i}: {s:?}");
        let _ = doc.sentence_text(i);
        let _ = doc.heading_titles(s.block).count();
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, bytes)) = data.split_first() else {
        return;
    };
    let lex = Lexicon::embedded();
    let (name, hint) = match mode % 5 {
        0 => ("policy", None),
        1 => ("policy.html", Some(Format::Html)),
        2 => ("policy.txt", Some(Format::Text)),
        3 => ("policy.md", Some(Format::Markdown)),
        _ => {
            // An error (not a PDF, no text, a caught pdf-extract panic) is fine.
            if let Ok(text) = pdf_text("policy.pdf", bytes, PDF_TIMEOUT)
                && let Ok(p) = analyse_bytes("policy.txt", text.as_bytes(), None, lex)
            {
                check(&p.document);
            }
            return;
        }
    };
    let _ = decode(bytes, hint == Some(Format::Html));
    if let Ok(p) = analyse_bytes(name, bytes, hint, lex) {
        check(&p.document);
    }
});
