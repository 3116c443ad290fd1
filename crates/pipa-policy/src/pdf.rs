//! Text from a PDF policy, through `pdf-extract`, guarded.
//!
//! `pdf-extract` is pure Rust but not hardened: odd PDFs make it panic
//! (`unwrap`s, `panic!("unsupported encoding …")` for CJK fonts with a
//! predefined CMap such as `UniGB-UCS2-H`), and text set in a CID font
//! without a `ToUnicode` map comes out as nothing at all (an empty string per
//! glyph), while simple fonts without a usable encoding give U+0000 or U+FFFD.
//! [`pdf_text`] therefore runs the extraction on a thread of its own behind
//! [`std::panic::catch_unwind`] and a time limit, checks the result, and
//! reports an error rather than returning text with holes in it.

use std::any::Any;
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Once, mpsc};
use std::thread;
use std::time::Duration;

use pdf_extract::{Document, Object, PlainTextOutput};

use crate::PolicyError;

/// Name of the extraction threads; the panic hook recognises them by it.
const THREAD_NAME: &str = "pipa-pdf-extract";

/// Stack of an extraction thread: `pdf-extract` and `lopdf` recurse over the
/// object graph.
const THREAD_STACK: usize = 16 << 20;

/// Above this share of unmapped characters (U+FFFD, U+0000 and other control
/// characters) among the non-blank ones, the text is refused as garbage.
const MAX_UNMAPPED_SHARE: f64 = 0.10;

/// What to tell the user when the text cannot be had from this PDF.
const ADVICE: &str =
    "run `pdftotext` (poppler-utils) on it, or give the HTML version of the policy";

/// Longest panic message kept in an error (some `pdf-extract` panics print
/// whole PDF dictionaries).
const MAX_PANIC_MESSAGE: usize = 200;

thread_local! {
    /// Where the last panic on this (extraction) thread happened, recorded by
    /// the panic hook.
    static PANIC_LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The plain text of a PDF policy, one line per line of the PDF as
/// `pdf-extract` sees it (lines often break mid-sentence; the caller segments
/// sentences), pages joined by a line break, form feeds dropped, trailing
/// blanks trimmed and runs of blank lines collapsed to one. The odd character
/// without a Unicode mapping (U+FFFD or a control character: a bullet or an
/// icon glyph) is dropped; more than 10% of them is an error.
///
/// `path_label` names the file or URL in errors. The extraction runs on its
/// own thread, named `pipa-pdf-extract`:
///
/// * A panic in `pdf-extract` becomes [`PolicyError::Pdf`] with the panic's
///   message and location. Its message is not printed: the first call installs
///   (once per process) a panic hook that stays silent for threads of that name
///   and passes every other panic on to the hook that was there before. A hook
///   the application sets later replaces it; `pdf-extract`'s panics are then
///   printed by that hook but still turned into errors. With `panic = "abort"`
///   nothing can be caught, and a stack overflow aborts in any profile (page
///   trees whose `Parent` links form a cycle are refused beforehand for that
///   reason).
/// * If it has not finished after `timeout`, the extraction is abandoned and
///   [`PolicyError::Pdf`] says so. Rust cannot stop a thread: the abandoned
///   one runs on to its end in the background, holding its copy of the bytes,
///   and its result is discarded.
///
/// `pdf-extract` logs through the `log` crate only; with no logger installed
/// it prints nothing.
///
/// # Errors
///
/// [`PolicyError::Pdf`] when the bytes are not a readable PDF, are encrypted
/// with a password, make `pdf-extract` fail or panic, take longer than
/// `timeout`, have no pages, or yield no text or text whose fonts lack a
/// Unicode mapping (scanned pages; CID fonts without `ToUnicode`).
pub fn pdf_text(path_label: &str, bytes: &[u8], timeout: Duration) -> Result<String, PolicyError> {
    let pdf_error = |message: String| PolicyError::Pdf {
        path: path_label.to_owned(),
        message,
    };
    install_quiet_panic_hook();
    let owned = bytes.to_vec();
    let (sender, receiver) = mpsc::sync_channel(1);
    thread::Builder::new()
        .name(THREAD_NAME.to_owned())
        .stack_size(THREAD_STACK)
        .spawn(move || {
            let outcome = panic::catch_unwind(AssertUnwindSafe(|| extract(&owned)))
                .map_err(|payload| panic_message(payload.as_ref()));
            // The receiver is gone when the caller gave up waiting.
            let _ = sender.send(outcome);
        })
        .map_err(|e| pdf_error(format!("cannot start the extraction thread: {e}")))?;
    let extracted = match receiver.recv_timeout(timeout) {
        Ok(Ok(Ok(extracted))) => extracted,
        Ok(Ok(Err(message))) => return Err(pdf_error(message)),
        Ok(Err(panic)) => {
            return Err(pdf_error(format!(
                "pdf-extract panicked ({panic}); it cannot read this PDF: {ADVICE}"
            )));
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            return Err(pdf_error(format!(
                "extraction abandoned after {timeout:?} (left to finish in the background)"
            )));
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            return Err(pdf_error(
                "the extraction thread ended without a result".to_owned(),
            ));
        }
    };
    check_and_normalise(extracted).map_err(pdf_error)
}

/// What the extraction thread hands back.
struct Extracted {
    /// The raw text of each page, in order.
    pages: Vec<String>,
    /// `BaseFont` names of Type0 fonts without `ToUnicode` that show text.
    unmapped_fonts: BTreeSet<String>,
}

/// Loads the PDF and extracts each page's text; runs on the extraction
/// thread. Errors are messages without the file name.
fn extract(bytes: &[u8]) -> Result<Extracted, String> {
    let mut doc = Document::load_mem(bytes).map_err(|e| format!("not a readable PDF: {e}"))?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err("the PDF is encrypted with a password".to_owned());
    }
    let page_ids = doc.get_pages();
    for &page_id in page_ids.values() {
        // pdf-extract looks up inherited page attributes recursively without a
        // cycle check; a `Parent` cycle would overflow the stack and abort.
        if let Err(e) = doc.get_page_resources(page_id) {
            return Err(format!("broken page tree: {e}"));
        }
    }
    let mut pages = Vec::with_capacity(page_ids.len());
    for &number in page_ids.keys() {
        let mut text = String::new();
        let mut output = PlainTextOutput::new(&mut text);
        pdf_extract::output_doc_page(&doc, &mut output, number)
            .map_err(|e| format!("page {number}: {e}"))?;
        pages.push(text);
    }
    let unmapped_fonts = unmapped_fonts_in_use(&doc);
    Ok(Extracted {
        pages,
        unmapped_fonts,
    })
}

/// `BaseFont` names of the Type0 (CID) fonts that have no `ToUnicode` map and
/// are used by a text-showing operator in a page's content stream. Text in
/// them is lost by `pdf-extract`. Best effort: text in form XObjects is not
/// looked at, and unreadable content is skipped.
fn unmapped_fonts_in_use(doc: &Document) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for page_id in doc.get_pages().into_values() {
        let Ok(fonts) = doc.get_page_fonts(page_id) else {
            continue;
        };
        let unmapped: Vec<(&[u8], String)> = fonts
            .iter()
            .filter(|(_, font)| {
                font.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0".as_slice())
                    && !font.has(b"ToUnicode")
            })
            .map(|(name, font)| {
                let base = font.get(b"BaseFont").and_then(Object::as_name).map_or_else(
                    |_| String::from_utf8_lossy(name).into_owned(),
                    |b| String::from_utf8_lossy(b).into_owned(),
                );
                (name.as_slice(), base)
            })
            .collect();
        if unmapped.is_empty() {
            continue;
        }
        let Ok(content) = doc.get_and_decode_page_content(page_id) else {
            continue;
        };
        let mut current: Option<&[u8]> = None;
        for op in &content.operations {
            match op.operator.as_str() {
                "Tf" => current = op.operands.first().and_then(|o| o.as_name().ok()),
                "Tj" | "TJ" | "'" | "\"" => {
                    if let Some(font) = current
                        && let Some((_, base)) = unmapped.iter().find(|(name, _)| *name == font)
                    {
                        found.insert(base.clone());
                    }
                }
                _ => {}
            }
        }
    }
    found
}

/// Refuses text that is empty or garbage, and normalises the rest.
fn check_and_normalise(extracted: Extracted) -> Result<String, String> {
    let page_count = extracted.pages.len();
    if page_count == 0 {
        return Err("the PDF has no pages".to_owned());
    }
    let fonts = || {
        extracted
            .unmapped_fonts
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (mut mapped, mut unmapped) = (0usize, 0usize);
    for c in extracted.pages.iter().flat_map(|p| p.chars()) {
        if c == '\u{FFFD}' || (c.is_control() && !c.is_whitespace()) {
            unmapped += 1;
        } else if !c.is_whitespace() {
            mapped += 1;
        }
    }
    if mapped == 0 {
        let why = if extracted.unmapped_fonts.is_empty() {
            "the pages are scanned images, or their fonts lack a Unicode mapping (CID fonts without ToUnicode)".to_owned()
        } else {
            format!(
                "its fonts lack a Unicode mapping (CID fonts without ToUnicode: {})",
                fonts()
            )
        };
        return Err(format!(
            "no text could be extracted from its {page_count} page(s): {why}; {ADVICE}"
        ));
    }
    if unmapped as f64 > MAX_UNMAPPED_SHARE * (mapped + unmapped) as f64 {
        return Err(format!(
            "{unmapped} of {} characters came out as U+FFFD or control characters: its fonts lack a Unicode mapping; {ADVICE}",
            mapped + unmapped
        ));
    }
    if !extracted.unmapped_fonts.is_empty() {
        return Err(format!(
            "text set in {} has no Unicode mapping (CID font without ToUnicode) and would be missing from the extracted text; {ADVICE}",
            fonts()
        ));
    }
    let mut text = String::new();
    for page in &extracted.pages {
        normalise_into(page, &mut text);
    }
    while text.ends_with('\n') {
        text.pop();
    }
    Ok(text)
}

/// Appends `page` to `out`: form feeds and other control characters dropped
/// (line breaks and tabs kept), `\r\n` and `\r` made `\n`, trailing blanks of
/// each line trimmed, runs of blank lines collapsed to one, a line break at
/// the end; no leading blank line in `out`.
fn normalise_into(page: &str, out: &mut String) {
    let page = page.replace("\r\n", "\n").replace('\r', "\n");
    for line in page.split('\n') {
        let line: String = line
            .chars()
            .filter(|&c| c == '\t' || !(c.is_control() || c == '\u{FFFD}'))
            .collect();
        let line = line.trim_end();
        if line.is_empty() && (out.is_empty() || out.ends_with("\n\n")) {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
}

/// Installs, once per process, a panic hook that records the location of a
/// panic on an extraction thread instead of printing it, and passes all other
/// panics to the hook that was installed before.
fn install_quiet_panic_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if thread::current().name() == Some(THREAD_NAME) {
                let location = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()));
                PANIC_LOCATION.with(|slot| *slot.borrow_mut() = location);
            } else {
                previous(info);
            }
        }));
    });
}

/// The message of a caught panic, shortened, with its location when the hook
/// recorded one.
fn panic_message(payload: &(dyn Any + Send)) -> String {
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("no message");
    let mut message: String = message.chars().take(MAX_PANIC_MESSAGE).collect();
    if message.len() < payload_len(payload) {
        message.push('…');
    }
    match PANIC_LOCATION.with(|slot| slot.borrow_mut().take()) {
        Some(location) => format!("{message:?} at {location}"),
        None => format!("{message:?}"),
    }
}

/// Byte length of a panic payload's message, to tell whether it was shortened.
fn payload_len(payload: &(dyn Any + Send)) -> usize {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.len())
        .or_else(|| payload.downcast_ref::<String>().map(String::len))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page_text(pages: &[&str]) -> Extracted {
        Extracted {
            pages: pages.iter().map(|p| (*p).to_owned()).collect(),
            unmapped_fonts: BTreeSet::new(),
        }
    }

    #[test]
    fn normalising_keeps_lines_and_drops_form_feeds() {
        let text = check_and_normalise(page_text(&[
            "\n\n我们收集的个人信息  \r\n包括设备标识符\x0c\n\n\n\n第二段",
            "第二页\n",
        ]))
        .unwrap();
        assert_eq!(text, "我们收集的个人信息\n包括设备标识符\n\n第二段\n第二页");
    }

    #[test]
    fn mostly_replacement_characters_are_refused() {
        let err = check_and_normalise(page_text(&["\u{FFFD}\u{FFFD}\u{FFFD} ab"])).unwrap_err();
        assert!(err.contains("U+FFFD"), "{err}");
        let err = check_and_normalise(page_text(&["\0\0\0\0 abc"])).unwrap_err();
        assert!(err.contains("3 of") || err.contains("4 of"), "{err}");
    }

    #[test]
    fn a_few_replacement_characters_are_tolerated_and_dropped() {
        let text =
            check_and_normalise(page_text(&["个人信息保护政策\u{FFFD}第一条至第二十条"])).unwrap();
        assert_eq!(text, "个人信息保护政策第一条至第二十条");
    }

    #[test]
    fn blank_pages_are_refused() {
        let err = check_and_normalise(page_text(&["  \n ", "\n"])).unwrap_err();
        assert!(
            err.contains("no text") && err.contains("2 page(s)"),
            "{err}"
        );
        let err = check_and_normalise(page_text(&[])).unwrap_err();
        assert!(err.contains("no pages"), "{err}");
    }

    #[test]
    fn panic_messages_are_shortened() {
        let long = "x".repeat(500);
        let message = panic_message(&long);
        assert!(message.chars().count() < 210, "{message}");
        assert!(message.contains('…'));
        assert_eq!(panic_message(&"short"), "\"short\"");
    }
}
