//! `pdf_text` on PDFs written here, byte by byte: a standard Type1 font for
//! ASCII, a CID font with and without a `ToUnicode` map for Chinese, a CJK
//! font with a predefined CMap (which `pdf-extract` panics on), a page with no
//! text, and broken files. When Debian's `pdftotext` (poppler-utils) is
//! installed the extracted text is compared with its output.

use std::fmt::Write as _;
use std::process::Command;
use std::time::{Duration, Instant};

use pipa_policy::{PolicyError, pdf_text};
use pipa_testkit::{Prng, have_tool};

const TIMEOUT: Duration = Duration::from_secs(30);

const CHINESE: &[&str] = &[
    "个人信息保护政策",
    "一、我们如何收集和使用您的个人信息",
    "为向您提供服务，我们会收集您的设备标识符（IMEI、Android ID）、",
    "位置信息和通讯录。您可以在“设置—隐私”中撤回同意。",
    "二、我们如何共享您的个人信息",
    "我们接入了友盟+ SDK，用于统计分析。",
];

const ENGLISH: &[&str] = &[
    "Privacy Policy (version 2.1)",
    "We collect your device identifiers and location.",
    "You may withdraw consent at any time: see Settings \\ Privacy.",
];

/// The fonts a test PDF can use.
#[derive(Clone, Copy, PartialEq)]
enum Font {
    /// Helvetica, WinAnsi, not embedded: ASCII only.
    Helvetica,
    /// A Type0 font over a CIDFontType2, `Identity-H`, codes numbered in
    /// order of first use, with or without a `ToUnicode` CMap.
    Cid { to_unicode: bool },
    /// A Type0 font with the predefined CMap `UniGB-UCS2-H` (codes are UCS-2).
    Predefined,
}

/// A PDF written object by object; `finish` computes the xref offsets.
struct PdfWriter {
    objects: Vec<Vec<u8>>,
}

impl PdfWriter {
    fn new() -> Self {
        PdfWriter {
            objects: Vec::new(),
        }
    }

    /// Reserves an object number, to be filled with `set`.
    fn reserve(&mut self) -> usize {
        self.objects.push(Vec::new());
        self.objects.len()
    }

    fn set(&mut self, id: usize, body: impl Into<Vec<u8>>) {
        self.objects[id - 1] = body.into();
    }

    fn add(&mut self, body: impl Into<Vec<u8>>) -> usize {
        let id = self.reserve();
        self.set(id, body);
        id
    }

    fn add_stream(&mut self, data: &[u8]) -> usize {
        let mut body = format!("<< /Length {} >>\nstream\n", data.len()).into_bytes();
        body.extend_from_slice(data);
        body.extend_from_slice(b"\nendstream");
        self.add(body)
    }

    fn finish(self, root: usize) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in self.objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        let mut tail = format!("xref\n0 {}\n0000000000 65535 f \n", self.objects.len() + 1);
        for offset in offsets {
            writeln!(tail, "{offset:010} 00000 n ").unwrap();
        }
        write!(
            tail,
            "trailer\n<< /Size {} /Root {root} 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            self.objects.len() + 1
        )
        .unwrap();
        out.extend_from_slice(tail.as_bytes());
        out
    }
}

/// A PDF of A4 pages, each line of each page set in `font` at 10 pt, 15 pt apart.
fn policy_pdf(pages: &[Vec<String>], font: Font) -> Vec<u8> {
    let mut pdf = PdfWriter::new();
    let catalog = pdf.reserve();
    let tree = pdf.reserve();
    pdf.set(catalog, format!("<< /Type /Catalog /Pages {tree} 0 R >>"));
    // Character codes of the CID font, in order of first use.
    let mut cids: Vec<char> = Vec::new();
    let mut kids = Vec::new();
    let mut contents = Vec::new();
    for lines in pages {
        let mut content = String::from("BT\n/F1 10 Tf\n72 780 Td\n");
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                content.push_str("0 -15 Td\n");
            }
            content.push_str(&show(line, font, &mut cids));
            content.push_str(" Tj\n");
        }
        content.push_str("ET\n");
        contents.push(content);
    }
    let font_id = add_font(&mut pdf, font, &cids);
    for content in contents {
        let stream = pdf.add_stream(content.as_bytes());
        kids.push(pdf.add(format!(
            "<< /Type /Page /Parent {tree} 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {stream} 0 R >>"
        )));
    }
    let kids: Vec<String> = kids.iter().map(|k| format!("{k} 0 R")).collect();
    pdf.set(
        tree,
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            kids.len()
        ),
    );
    pdf.finish(catalog)
}

/// The string operand of `Tj` for `line` in `font`.
fn show(line: &str, font: Font, cids: &mut Vec<char>) -> String {
    match font {
        Font::Helvetica => {
            let mut s = String::from("(");
            for c in line.chars() {
                assert!(c.is_ascii(), "Helvetica test text must be ASCII");
                if matches!(c, '(' | ')' | '\\') {
                    s.push('\\');
                }
                s.push(c);
            }
            s.push(')');
            s
        }
        Font::Cid { .. } => {
            let mut s = String::from("<");
            for c in line.chars() {
                let code = match cids.iter().position(|&k| k == c) {
                    Some(i) => i + 1,
                    None => {
                        cids.push(c);
                        cids.len()
                    }
                };
                write!(s, "{code:04X}").unwrap();
            }
            s.push('>');
            s
        }
        Font::Predefined => {
            let mut s = String::from("<");
            for unit in line.encode_utf16() {
                write!(s, "{unit:04X}").unwrap();
            }
            s.push('>');
            s
        }
    }
}

fn add_font(pdf: &mut PdfWriter, font: Font, cids: &[char]) -> usize {
    if font == Font::Helvetica {
        return pdf.add(
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        );
    }
    let descriptor = pdf.add(
        "<< /Type /FontDescriptor /FontName /TestSongti /Flags 4 /FontBBox [0 -120 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
    );
    let (encoding, ordering) = match font {
        Font::Predefined => ("UniGB-UCS2-H", "GB1"),
        _ => ("Identity-H", "Identity"),
    };
    let cid_font = pdf.add(format!(
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestSongti /CIDSystemInfo << /Registry (Adobe) /Ordering ({ordering}) /Supplement 0 >> /FontDescriptor {descriptor} 0 R /DW 1000 /CIDToGIDMap /Identity >>"
    ));
    let mut type0 = format!(
        "<< /Type /Font /Subtype /Type0 /BaseFont /TestSongti /Encoding /{encoding} /DescendantFonts [{cid_font} 0 R]"
    );
    if font == (Font::Cid { to_unicode: true }) {
        let cmap = pdf.add_stream(to_unicode_cmap(cids).as_bytes());
        write!(type0, " /ToUnicode {cmap} 0 R").unwrap();
    }
    type0.push_str(" >>");
    pdf.add(type0)
}

/// A `ToUnicode` CMap mapping code `i + 1` to `cids[i]`.
fn to_unicode_cmap(cids: &[char]) -> String {
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for (block, chunk) in cids.chunks(100).enumerate() {
        writeln!(cmap, "{} beginbfchar", chunk.len()).unwrap();
        for (i, c) in chunk.iter().enumerate() {
            let mut utf16 = String::new();
            for unit in c.encode_utf16(&mut [0; 2]) {
                write!(utf16, "{unit:04X}").unwrap();
            }
            writeln!(cmap, "<{:04X}> <{utf16}>", block * 100 + i + 1).unwrap();
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    cmap
}

fn lines(text: &[&str]) -> Vec<String> {
    text.iter().map(|l| (*l).to_owned()).collect()
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Asserts that `ours` and `pdftotext`'s `oracle` have the same characters
/// apart from white space; on a difference shows where, not the whole text.
fn assert_same_text(ours: &str, oracle: &str) {
    let (a, b): (Vec<char>, Vec<char>) = (
        squeeze(ours).chars().collect(),
        squeeze(oracle).chars().collect(),
    );
    if let Some(at) = (0..a.len().max(b.len())).find(|&i| a.get(i) != b.get(i)) {
        let around = |v: &[char]| {
            v[at.saturating_sub(30)..(at + 30).min(v.len())]
                .iter()
                .collect::<String>()
        };
        panic!(
            "pdf_text and pdftotext differ at character {at} (of {} and {}):\n ours:      {}\n pdftotext: {}",
            a.len(),
            b.len(),
            around(&a),
            around(&b)
        );
    }
}

/// `pdftotext`'s text of `pdf`, or `None` (with a notice) when it is not installed.
fn pdftotext(name: &str, pdf: &[u8]) -> Option<String> {
    if !have_tool("pdftotext") {
        eprintln!(
            "notice: pdftotext (poppler-utils) not installed; skipping the comparison for {name}"
        );
        return None;
    }
    let path =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("pipa-policy-{name}.pdf"));
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-q"])
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pdftotext {name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

fn pdf_message(err: PolicyError, label: &str) -> String {
    let text = err.to_string();
    match err {
        PolicyError::Pdf { path, message } => {
            assert_eq!(path, label);
            assert!(text.starts_with(label), "{text}");
            message
        }
        other => panic!("expected PolicyError::Pdf, got {other}"),
    }
}

#[test]
fn ascii_text_in_a_standard_font() {
    let pdf = policy_pdf(&[lines(ENGLISH)], Font::Helvetica);
    let text = pdf_text("policy-en.pdf", &pdf, TIMEOUT).unwrap();
    assert_eq!(
        text.lines().map(str::trim).collect::<Vec<_>>(),
        ENGLISH,
        "{text:?}"
    );
    if let Some(oracle) = pdftotext("en", &pdf) {
        assert_same_text(&text, &oracle);
    }
}

#[test]
fn chinese_text_in_a_cid_font_with_to_unicode() {
    let pdf = policy_pdf(
        &[lines(&CHINESE[..3]), lines(&CHINESE[3..])],
        Font::Cid { to_unicode: true },
    );
    let text = pdf_text("policy-zh.pdf", &pdf, TIMEOUT).unwrap();
    assert!(!text.contains('\u{c}'), "{text:?}");
    // One line per line of the PDF, pages joined by a line break. Spacing
    // inside a line is pdf-extract's guess from the glyph widths, and so is a
    // blank line now and then (a gap of just over 1.5 lines).
    let got: Vec<String> = text
        .lines()
        .map(squeeze)
        .filter(|l| !l.is_empty())
        .collect();
    let want: Vec<String> = CHINESE.iter().map(|l| squeeze(l)).collect();
    assert_eq!(got, want, "{text:?}");
    if let Some(oracle) = pdftotext("zh", &pdf) {
        assert_same_text(&text, &oracle);
    }
}

#[test]
fn chinese_text_in_a_cid_font_without_to_unicode_is_refused() {
    let pdf = policy_pdf(&[lines(CHINESE)], Font::Cid { to_unicode: false });
    let message = pdf_message(pdf_text("scan.pdf", &pdf, TIMEOUT).unwrap_err(), "scan.pdf");
    assert!(
        message.contains("no text could be extracted from its 1 page(s)"),
        "{message}"
    );
    assert!(
        message.contains("TestSongti") && message.contains("ToUnicode"),
        "{message}"
    );
    assert!(
        message.contains("pdftotext") && message.contains("HTML"),
        "{message}"
    );
}

#[test]
fn some_text_without_a_unicode_mapping_is_refused_too() {
    // An English title page, then a page in the unmapped CID font: the
    // Chinese would silently be missing.
    let mut pdf = PdfWriter::new();
    let catalog = pdf.reserve();
    let tree = pdf.reserve();
    pdf.set(catalog, format!("<< /Type /Catalog /Pages {tree} 0 R >>"));
    let helvetica = add_font(&mut pdf, Font::Helvetica, &[]);
    let mut cids = Vec::new();
    let body = show(CHINESE[2], Font::Cid { to_unicode: false }, &mut cids);
    let cid = add_font(&mut pdf, Font::Cid { to_unicode: false }, &cids);
    let content = format!(
        "BT /F1 12 Tf 72 780 Td (Privacy Policy) Tj ET\nBT /F2 12 Tf 72 700 Td {body} Tj ET\n"
    );
    let stream = pdf.add_stream(content.as_bytes());
    let page = pdf.add(format!(
        "<< /Type /Page /Parent {tree} 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 {helvetica} 0 R /F2 {cid} 0 R >> >> /Contents {stream} 0 R >>"
    ));
    pdf.set(
        tree,
        format!("<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>"),
    );
    let pdf = pdf.finish(catalog);
    let message = pdf_message(
        pdf_text("mixed.pdf", &pdf, TIMEOUT).unwrap_err(),
        "mixed.pdf",
    );
    assert!(
        message.contains("text set in TestSongti has no Unicode mapping"),
        "{message}"
    );
}

#[test]
fn a_predefined_cjk_cmap_makes_pdf_extract_panic_and_that_is_an_error() {
    let pdf = policy_pdf(&[lines(CHINESE)], Font::Predefined);
    let message = pdf_message(pdf_text("gb.pdf", &pdf, TIMEOUT).unwrap_err(), "gb.pdf");
    assert!(
        message.contains("pdf-extract panicked") && message.contains("UniGB-UCS2-H"),
        "{message}"
    );
    assert!(message.contains("pdftotext"), "{message}");
}

#[test]
fn a_page_without_text_is_refused() {
    let mut pdf = PdfWriter::new();
    let catalog = pdf.reserve();
    let tree = pdf.reserve();
    pdf.set(catalog, format!("<< /Type /Catalog /Pages {tree} 0 R >>"));
    let stream = pdf.add_stream(b"0.5 g 72 72 400 600 re f\n");
    let page = pdf.add(format!(
        "<< /Type /Page /Parent {tree} 0 R /MediaBox [0 0 595 842] /Resources << >> /Contents {stream} 0 R >>"
    ));
    pdf.set(
        tree,
        format!("<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>"),
    );
    let pdf = pdf.finish(catalog);
    let message = pdf_message(
        pdf_text("image.pdf", &pdf, TIMEOUT).unwrap_err(),
        "image.pdf",
    );
    assert!(
        message.contains("no text could be extracted from its 1 page(s)"),
        "{message}"
    );
    assert!(message.contains("scanned"), "{message}");
}

#[test]
fn garbage_and_truncated_files_are_errors_naming_the_file() {
    let message = pdf_message(
        pdf_text("junk.pdf", b"<html>not a pdf</html>", TIMEOUT).unwrap_err(),
        "junk.pdf",
    );
    assert!(message.contains("not a readable PDF"), "{message}");
    let pdf = policy_pdf(&[lines(ENGLISH)], Font::Helvetica);
    for cut in [0, 9, 40, pdf.len() / 3] {
        let err = pdf_text("cut.pdf", &pdf[..cut], TIMEOUT).unwrap_err();
        pdf_message(err, "cut.pdf");
    }
}

#[test]
fn a_page_tree_with_a_parent_cycle_is_refused_not_a_stack_overflow() {
    // The page inherits its MediaBox through Parent links that loop.
    let mut pdf = PdfWriter::new();
    let catalog = pdf.reserve();
    let tree = pdf.reserve();
    let inner = pdf.reserve();
    pdf.set(catalog, format!("<< /Type /Catalog /Pages {tree} 0 R >>"));
    let font = add_font(&mut pdf, Font::Helvetica, &[]);
    let stream = pdf.add_stream(b"BT /F1 12 Tf 72 780 Td (Hello) Tj ET\n");
    let page = pdf.add(format!(
        "<< /Type /Page /Parent {inner} 0 R /Resources << /Font << /F1 {font} 0 R >> >> /Contents {stream} 0 R >>"
    ));
    pdf.set(
        inner,
        format!("<< /Type /Pages /Parent {tree} 0 R /Kids [{page} 0 R] /Count 1 >>"),
    );
    pdf.set(
        tree,
        format!("<< /Type /Pages /Parent {inner} 0 R /Kids [{inner} 0 R] /Count 1 >>"),
    );
    let pdf = pdf.finish(catalog);
    let err = pdf_text("loop.pdf", &pdf, TIMEOUT).unwrap_err();
    pdf_message(err, "loop.pdf");
}

#[test]
fn damaged_pdfs_never_panic_through() {
    let good = policy_pdf(
        &[lines(&CHINESE[..3]), lines(&CHINESE[3..])],
        Font::Cid { to_unicode: true },
    );
    let mut prng = Prng::new(0x5eed_0f9d);
    let (mut ok, mut failed) = (0, 0);
    for _ in 0..200 {
        let mut pdf = good.clone();
        prng.damage(&mut pdf);
        match pdf_text("damaged.pdf", &pdf, TIMEOUT) {
            Ok(_) => ok += 1,
            Err(err) => {
                pdf_message(err, "damaged.pdf");
                failed += 1;
            }
        }
    }
    eprintln!("damaged PDFs: {ok} read, {failed} refused");
    assert_eq!(ok + failed, 200);
}

fn long_policy(pages: usize) -> Vec<Vec<String>> {
    (0..pages)
        .map(|p| {
            (0..40)
                .map(|l| {
                    format!(
                        "第{}页第{}行：{}",
                        p + 1,
                        l + 1,
                        CHINESE[(p + l) % CHINESE.len()]
                    )
                })
                .collect()
        })
        .collect()
}

#[test]
fn a_slow_extraction_is_abandoned_at_the_timeout() {
    let pdf = policy_pdf(&long_policy(60), Font::Cid { to_unicode: true });
    let start = Instant::now();
    let message = pdf_message(
        pdf_text("long.pdf", &pdf, Duration::ZERO).unwrap_err(),
        "long.pdf",
    );
    assert!(start.elapsed() < Duration::from_secs(1));
    assert!(message.contains("abandoned after 0ns"), "{message}");
}

#[test]
fn a_thirty_page_policy() {
    let pdf = policy_pdf(&long_policy(30), Font::Cid { to_unicode: true });
    let start = Instant::now();
    let text = pdf_text("thirty.pdf", &pdf, TIMEOUT).unwrap();
    eprintln!(
        "30 pages, {} bytes of PDF, {} characters of text: {:?}",
        pdf.len(),
        text.chars().count(),
        start.elapsed()
    );
    assert_eq!(text.lines().filter(|l| !l.is_empty()).count(), 30 * 40);
    assert!(text.lines().last().unwrap().starts_with("第30页第40行"));
    if let Some(oracle) = pdftotext("thirty", &pdf) {
        assert_same_text(&text, &oracle);
    }
}
