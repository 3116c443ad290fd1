//! From bytes to a [`Document`]: the encoding (BOM, UTF-8, the page's own
//! `charset`, else detection: GBK/GB18030 pages are still common), the
//! format (HTML, Markdown, plain text, PDF) and each format's reader.

use crate::document::{BlockKind, Builder, Document};
use crate::error::PolicyError;
use scraper::{ElementRef, Html, Node};
use serde::Serialize;

/// A policy's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// HTML (or XHTML).
    Html,
    /// Plain text.
    Text,
    /// Markdown.
    Markdown,
    /// PDF.
    Pdf,
}

impl Format {
    /// From a file name's extension.
    pub fn from_name(name: &str) -> Option<Format> {
        let lower = name.to_ascii_lowercase();
        let lower = lower.split(['?', '#']).next().unwrap_or_default();
        let ext = lower.rsplit_once('.').map(|(_, e)| e)?;
        Some(match ext {
            "html" | "htm" | "xhtml" | "shtml" | "php" | "jsp" | "asp" | "aspx" => Format::Html,
            "md" | "markdown" => Format::Markdown,
            "txt" | "text" => Format::Text,
            "pdf" => Format::Pdf,
            _ => return None,
        })
    }

    /// From an HTTP `Content-Type`.
    pub fn from_content_type(ct: &str) -> Option<Format> {
        let ct = ct.to_ascii_lowercase();
        if ct.contains("html") || ct.contains("xml") {
            Some(Format::Html)
        } else if ct.contains("pdf") {
            Some(Format::Pdf)
        } else if ct.contains("markdown") {
            Some(Format::Markdown)
        } else if ct.starts_with("text/") {
            Some(Format::Text)
        } else {
            None
        }
    }

    /// Its name as reported.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Text => "txt",
            Format::Markdown => "md",
            Format::Pdf => "pdf",
        }
    }
}

/// What the content looks like (the name's extension wins when it has one
/// pipa knows, except that PDF magic always means PDF).
pub fn sniff(bytes: &[u8], hint: Option<Format>) -> Format {
    if bytes.starts_with(b"%PDF-") {
        return Format::Pdf;
    }
    if let Some(f) = hint.filter(|f| *f != Format::Pdf) {
        return f;
    }
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let has = |pat: &[u8]| memchr::memmem::find(&lower, pat).is_some();
    if has(b"<html") || has(b"<!doctype") || has(b"<body") || has(b"<p>") || has(b"<div") {
        Format::Html
    } else {
        Format::Text
    }
}

/// Decodes `bytes`: a BOM, then strict UTF-8, then (for HTML) the page's
/// declared charset, then detection. Returns the text and the encoding's
/// name in lower case (`utf-8`, `gbk`, `gb18030`, `utf-16le`, …).
pub fn decode(bytes: &[u8], html: bool) -> (String, String) {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return (text.into_owned(), enc.name().to_ascii_lowercase());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_string(), "utf-8".into());
    }
    let declared = if html { meta_charset(bytes) } else { None };
    // A page that says UTF-8 but is not (checked above): let detection decide.
    let enc = declared
        .filter(|e| *e != encoding_rs::UTF_8)
        .unwrap_or_else(|| detect(bytes));
    let (text, _, _) = enc.decode(bytes);
    (text.into_owned(), enc.name().to_ascii_lowercase())
}

/// chardetng's guess, with the `.cn` top-level domain as the hint.
fn detect(bytes: &[u8]) -> &'static encoding_rs::Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    det.guess(Some(b"cn"), chardetng::Utf8Detection::Deny)
}

/// The `charset` of `<meta charset=…>` or `<meta http-equiv … content="…;
/// charset=…">` in the first 4 KiB.
fn meta_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let at = memchr::memmem::find(&lower, b"charset")?;
    let rest = &lower[at + 7..];
    let rest = rest
        .iter()
        .position(|&c| c != b' ' && c != b'=' && c != b'"' && c != b'\'')
        .map(|i| &rest[i..])?;
    let end = rest
        .iter()
        .position(|&c| !(c.is_ascii_alphanumeric() || c == b'-' || c == b'_'))
        .unwrap_or(rest.len());
    encoding_rs::Encoding::for_label(&rest[..end])
}

/// How much of the decoded text is not text (NUL and other controls,
/// replacement characters): above a tenth, the file is not a policy.
pub fn looks_binary(text: &str) -> bool {
    let mut bad = 0usize;
    let mut all = 0usize;
    for c in text.chars().take(20_000) {
        all += 1;
        if c == '\u{fffd}' || (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')) {
            bad += 1;
        }
    }
    all > 0 && bad * 10 > all
}

/// Reads decoded `text` of `format` (not PDF: its text comes as plain text).
pub fn read(text: &str, format: Format) -> Document {
    match format {
        Format::Html => read_html(text),
        Format::Markdown => read_markdown(text),
        Format::Text | Format::Pdf => read_text(text),
    }
}

/// Elements whose content is never text of the page.
const SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "head", "title", "svg", "iframe", "object",
    "canvas", "select", "button",
];

/// Inline elements that emphasise.
const EMPHASIS: &[&str] = &["b", "strong", "u", "em", "mark", "ins"];

fn read_html(text: &str) -> Document {
    let html = Html::parse_document(text);
    let mut b = Builder::default();
    walk(html.root_element(), &mut b, 0);
    b.finish()
}

fn style_emphasises(el: &scraper::node::Element) -> bool {
    el.attr("style").is_some_and(|s| {
        let s = s.to_ascii_lowercase().replace(' ', "");
        s.contains("font-weight:bold")
            || s.contains("font-weight:700")
            || s.contains("font-weight:600")
            || s.contains("font-weight:800")
            || s.contains("font-weight:900")
            || s.contains("text-decoration:underline")
    }) || el
        .attr("class")
        .is_some_and(|c| c.to_ascii_lowercase().contains("bold"))
}

fn walk(el: ElementRef<'_>, b: &mut Builder, depth: u32) {
    // Deeply nested markup (hostile or generated) is read flat below this.
    if depth > 256 {
        for t in el.text() {
            b.text(t);
        }
        return;
    }
    let name = el.value().name();
    if SKIP.contains(&name) {
        return;
    }
    let emph = EMPHASIS.contains(&name) || style_emphasises(el.value());
    if emph {
        b.emphasis_start();
    }
    let kind = match name {
        "h1" => Some(BlockKind::Heading(1)),
        "h2" => Some(BlockKind::Heading(2)),
        "h3" => Some(BlockKind::Heading(3)),
        "h4" => Some(BlockKind::Heading(4)),
        "h5" => Some(BlockKind::Heading(5)),
        "h6" => Some(BlockKind::Heading(6)),
        "li" | "dt" | "dd" => Some(BlockKind::ListItem),
        "tr" => Some(BlockKind::TableRow),
        "p" | "div" | "section" | "article" | "blockquote" | "header" | "footer" | "main"
        | "nav" | "aside" | "ul" | "ol" | "dl" | "table" | "thead" | "tbody" | "tfoot"
        | "caption" | "form" | "figure" | "figcaption" | "address" | "center" | "body" | "html" => {
            Some(BlockKind::Paragraph)
        }
        _ => None,
    };
    if name == "pre" {
        b.end_block(BlockKind::Paragraph);
        let mut s = String::new();
        for t in el.text() {
            s.push_str(t);
        }
        text_lines(&s, b);
        if emph {
            b.emphasis_end();
        }
        return;
    }
    if let Some(k) = kind {
        // What came before belongs to the enclosing block.
        let _ = k;
        b.end_block(BlockKind::Paragraph);
        if name == "table" {
            b.table_start();
        }
    }
    for child in el.children() {
        match child.value() {
            Node::Text(t) => b.text(t),
            Node::Element(e) => {
                let n = e.name();
                if n == "br" {
                    b.end_block(
                        kind.filter(|k| *k != BlockKind::TableRow)
                            .unwrap_or(BlockKind::Paragraph),
                    );
                    continue;
                }
                if n == "td" || n == "th" {
                    b.cell_start();
                }
                if let Some(c) = ElementRef::wrap(child) {
                    walk(c, b, depth + 1);
                }
                if n == "td" || n == "th" {
                    b.cell_end();
                }
            }
            _ => {}
        }
    }
    if let Some(k) = kind {
        b.end_block(k);
    }
    if emph {
        b.emphasis_end();
    }
}

/// Whether a line of plain text is a heading: numbered like a clause
/// (一、 （一） 1. 1、 第一条 Article 1) or an underlined (`===`) title,
/// short, and without a sentence end.
fn heading_level(line: &str) -> Option<u8> {
    let t = line.trim();
    let n = t.chars().count();
    if n == 0 || n > 40 || t.ends_with(['。', '；', ';', '，', ',', '：', ':']) {
        return None;
    }
    // Characters, never bytes: the marks after a number are often multi-byte
    // (、 ． U+FF0E), and a byte offset past one is not a char boundary.
    let first: Vec<char> = t.chars().take(6).collect();
    let &lead = first.first()?;
    let cn_num = |c: char| "一二三四五六七八九十".contains(c);
    if lead == '第'
        && (t.contains('条') || t.contains('章') || t.contains("部分"))
        && first
            .get(1)
            .is_some_and(|&c| cn_num(c) || c.is_ascii_digit())
    {
        return Some(1);
    }
    if cn_num(lead) {
        let after = first.iter().find(|c| !cn_num(**c));
        if matches!(after, Some('、' | '.' | '．')) {
            return Some(1);
        }
    }
    if matches!(lead, '（' | '(') && first.get(1).is_some_and(|&c| cn_num(c)) {
        return Some(2);
    }
    if lead.is_ascii_digit() {
        // The mark after the number and the character after the mark.
        let mut rest = t.chars().skip_while(char::is_ascii_digit);
        let (mark, next) = (rest.next(), rest.next());
        let decimal = next.is_some_and(|c| c.is_ascii_digit());
        match mark {
            Some('、') => return Some(3),
            Some('.' | '．') if !decimal => return Some(3),
            Some('.') => return Some(4),
            _ => {}
        }
    }
    None
}

/// Short and without a sentence end: a title.
fn looks_like_title(line: &str) -> bool {
    let t = line.trim();
    t.chars().count() <= 40
        && !t.contains(['。', '；', ';', '！', '？', '!', '?'])
        && !t.ends_with(['，', ',', '：', ':'])
}

fn is_rule(line: &str) -> bool {
    let t = line.trim();
    t.chars().count() >= 3
        && t.chars()
            .all(|c| matches!(c, '=' | '-' | '*' | '_' | '—' | '─'))
}

fn text_lines(text: &str, b: &mut Builder) {
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim().is_empty() || is_rule(line) {
            i += 1;
            continue;
        }
        // A `===` line makes a title only of a line that reads like one: a
        // paragraph above a rule stays a paragraph (its PI and cues count).
        let underlined = lines
            .get(i + 1)
            .is_some_and(|n| is_rule(n) && n.trim().starts_with('='))
            && looks_like_title(line);
        b.text(line);
        let kind = if underlined {
            BlockKind::Heading(1)
        } else if let Some(l) = heading_level(line) {
            BlockKind::Heading(l)
        } else if line
            .trim_start()
            .starts_with(['•', '·', '●', '○', '■', '□', '-', '*', '◆', '▪'])
        {
            BlockKind::ListItem
        } else {
            BlockKind::Paragraph
        };
        b.end_block(kind);
        i += 1;
    }
}

fn read_text(text: &str) -> Document {
    let mut b = Builder::default();
    text_lines(text, &mut b);
    b.finish()
}

fn read_markdown(text: &str) -> Document {
    let mut b = Builder::default();
    let mut in_table = false;
    let mut in_code = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_code = !in_code;
            continue;
        }
        if t.is_empty() {
            in_table = false;
            continue;
        }
        if in_code {
            b.text(t);
            b.end_block(BlockKind::Paragraph);
            continue;
        }
        if let Some(level) = md_heading(t) {
            in_table = false;
            inline_md(t.trim_start_matches('#').trim(), &mut b);
            b.end_block(BlockKind::Heading(level));
            continue;
        }
        if t.starts_with('|') || (in_table && t.contains('|')) {
            let cells: Vec<&str> = t.trim_matches('|').split('|').collect();
            if cells
                .iter()
                .all(|c| c.trim().chars().all(|x| matches!(x, '-' | ':' | ' ')))
            {
                continue; // the separator row
            }
            if !in_table {
                b.table_start();
                in_table = true;
            }
            for c in cells {
                b.cell_start();
                inline_md(c.trim(), &mut b);
            }
            b.end_block(BlockKind::TableRow);
            continue;
        }
        in_table = false;
        if let Some(rest) = list_item(t) {
            inline_md(rest, &mut b);
            b.end_block(BlockKind::ListItem);
        } else if is_rule(t) {
            continue;
        } else {
            inline_md(t.trim_start_matches('>').trim(), &mut b);
            let kind = heading_level(t).map_or(BlockKind::Paragraph, BlockKind::Heading);
            b.end_block(kind);
        }
    }
    b.finish()
}

fn md_heading(t: &str) -> Option<u8> {
    let rest = t.trim_start_matches('#');
    let n = t.len() - rest.len(); // `#` is one byte: bytes = characters
    (1..=6)
        .contains(&n)
        .then_some(n as u8)
        .filter(|_| rest.is_empty() || rest.starts_with(' '))
}

fn list_item(t: &str) -> Option<&str> {
    for p in ["- ", "* ", "+ "] {
        if let Some(r) = t.strip_prefix(p) {
            return Some(r);
        }
    }
    let rest = t.trim_start_matches(|c: char| c.is_ascii_digit());
    if rest.len() == t.len() {
        return None;
    }
    rest.strip_prefix(". ")
        .or_else(|| rest.strip_prefix(") "))
        .map(str::trim_start)
}

/// Markdown inline text: `**bold**`/`__bold__` become emphasis, links keep
/// their text and URL, other markers go.
fn inline_md(s: &str, b: &mut Builder) {
    let mut rest = s;
    let mut bold = false;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("**").or_else(|| rest.strip_prefix("__")) {
            if bold {
                b.emphasis_end();
            } else {
                b.emphasis_start();
            }
            bold = !bold;
            rest = r;
            continue;
        }
        // [text](url) → text (url)
        if rest.starts_with('[')
            && let Some(close) = rest.find("](")
            && let Some(end) = rest[close..].find(')')
        {
            b.text(&rest[1..close]);
            let url = &rest[close + 2..close + end];
            if !url.is_empty() {
                b.text(" (");
                b.text(url);
                b.text(")");
            }
            rest = &rest[close + end + 1..];
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        if c != '`' {
            let mut buf = [0u8; 4];
            b.text(c.encode_utf8(&mut buf));
        }
        rest = &rest[c.len_utf8()..];
    }
    if bold {
        b.emphasis_end();
    }
}

/// Reads a policy from bytes: decoding, format, reader. `name` labels
/// errors and hints at the format. PDF bytes are turned into text by
/// [`crate::pdf_text`].
pub fn document(
    name: &str,
    bytes: &[u8],
    hint: Option<Format>,
) -> Result<(Document, Format, String), PolicyError> {
    if bytes.is_empty() {
        return Err(PolicyError::Unreadable {
            path: name.into(),
            message: "the file is empty".into(),
        });
    }
    let hint = hint.or_else(|| Format::from_name(name));
    let format = sniff(bytes, hint);
    let (text, encoding) = if format == Format::Pdf {
        (
            crate::pdf_text(name, bytes, std::time::Duration::from_secs(20))?,
            "pdf".to_string(),
        )
    } else {
        decode(bytes, format == Format::Html)
    };
    if looks_binary(&text) {
        return Err(PolicyError::Unreadable {
            path: name.into(),
            message: format!(
                "not text: read as {encoding}, more than a tenth of the characters are control or undecodable bytes"
            ),
        });
    }
    let doc = read(&text, format);
    if doc.chars() == 0 {
        return Err(PolicyError::Unreadable {
            path: name.into(),
            message: format!("no text found (read as {} {encoding})", format.as_str()),
        });
    }
    Ok((doc, format, encoding))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_structure_tables_emphasis_and_skipped_elements() {
        let page = r#"<html><head><title>x</title><style>p{}</style></head><body>
            <h1>隐私政策</h1><p>我们收集<strong>位置信息</strong>，<br>用于推荐。</p>
            <script>var a="收集通讯录";</script>
            <table><tr><th>SDK名称</th><th>收集信息</th></tr>
            <tr><td>友盟+</td><td><span style="font-weight: bold">设备信息</span></td></tr></table>
            <ul><li>一</li><li>二</li></ul></body></html>"#;
        let d = read(page, Format::Html);
        assert_eq!(
            d.text,
            "隐私政策\n我们收集位置信息，\n用于推荐。\nSDK名称 | 收集信息\n友盟+ | 设备信息\n一\n二"
        );
        let kinds: Vec<BlockKind> = d.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            [
                BlockKind::Heading(1),
                BlockKind::Paragraph,
                BlockKind::Paragraph,
                BlockKind::TableRow,
                BlockKind::TableRow,
                BlockKind::ListItem,
                BlockKind::ListItem
            ]
        );
        assert_eq!(d.blocks[4].table, Some(3));
        let e: Vec<&str> = d.emphasis.iter().map(|&(s, e)| d.slice(s, e)).collect();
        assert_eq!(e, ["位置信息", "设备信息"]);
    }

    #[test]
    fn gbk_is_detected_from_meta_and_without_it() {
        let page = "<html><head><meta charset=\"gbk\"></head><body><p>我们会收集您的设备信息和位置信息，用于提供服务。</p></body></html>";
        let (gbk, _, _) = encoding_rs::GBK.encode(page);
        let (text, enc) = decode(&gbk, true);
        assert_eq!(enc, "gbk");
        assert!(text.contains("设备信息"));
        let plain = "本隐私政策说明我们如何收集、使用、存储和共享您的个人信息，以及您享有的查询、更正、删除等权利。";
        let (gbk, _, _) = encoding_rs::GBK.encode(plain);
        let (text, enc) = decode(&gbk, false);
        assert!(enc == "gbk" || enc == "gb18030", "{enc}");
        assert_eq!(text, plain);
    }

    #[test]
    fn text_and_markdown_headings_lists_tables() {
        let t = read(
            "“某App”隐私政策\n==========\n一、我们如何收集信息\n1. 注册时我们收集手机号码。\n（一）位置\n• 定位信息\n",
            Format::Text,
        );
        let kinds: Vec<BlockKind> = t.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            [
                BlockKind::Heading(1),
                BlockKind::Heading(1),
                BlockKind::Paragraph,
                BlockKind::Heading(2),
                BlockKind::ListItem
            ]
        );
        // A sentence above a rule is not a title.
        let p = read(
            "我们会在您注册时收集您的手机号码，用于创建账号。\n==========\n",
            Format::Text,
        );
        assert_eq!(p.blocks[0].kind, BlockKind::Paragraph);
        let m = read(
            "# 隐私政策\n\n我们收集**位置信息**，见[说明](https://a.example/p)。\n\n| SDK | 信息 |\n|---|---|\n| 友盟+ | 设备信息 |\n\n- 项目一\n",
            Format::Markdown,
        );
        assert_eq!(
            m.text,
            "隐私政策\n我们收集位置信息，见说明 (https://a.example/p)。\nSDK | 信息\n友盟+ | 设备信息\n项目一"
        );
        assert_eq!(m.emphasis.len(), 1);
        assert_eq!(m.blocks[3].table, Some(2));
    }

    /// Multi-byte punctuation where a reader expects an ASCII `.`: a clause
    /// number with a full-width full stop (`1．`) used to make the plain-text
    /// heading test slice inside the `．` (U+FF0E, 3 bytes) and panic.
    const MULTIBYTE: &str = "隐私政策\n\
        1．我们如何收集您的个人信息\n\
        2．\n\
        3．5 版本说明\n\
        12．您的权利\n\
        一．总则\n\
        1。注册时我们收集您的手机号码；用于创建账号…\n\
        1；我们会收集设备信息。\n\
        1…位置信息😀\n\
        1😀．联系我们\n\
        ．\n\
        1．\n\
        #．标题\n\
        #😀 标题\n\
        1😀 列表\n\
        [链接😀](https://a.example/😀)。\n\
        | 名称．😀 | 信息； |\n";

    #[test]
    fn multibyte_punctuation_never_splits_a_character() {
        assert_eq!(heading_level("1．我们如何收集您的个人信息"), Some(3));
        assert_eq!(heading_level("12．您的权利"), Some(3));
        assert_eq!(heading_level("2．"), Some(3));
        // A decimal is not a clause number, with either full stop.
        assert_eq!(heading_level("3．5 版本说明"), None);
        assert_eq!(heading_level("3.5 版本说明"), Some(4));
        assert_eq!(heading_level("一．总则"), Some(1));
        for line in MULTIBYTE.lines() {
            // Any answer, but no panic.
            let _ = heading_level(line);
            let _ = md_heading(line);
            let _ = list_item(line);
        }
        let lex = crate::Lexicon::embedded();
        let html = format!("<html><body><pre>{MULTIBYTE}</pre><p>{MULTIBYTE}</p></body></html>");
        for (name, text) in [
            ("p.txt", MULTIBYTE.to_string()),
            ("p.md", MULTIBYTE.to_string()),
            ("p.html", html),
        ] {
            let p = crate::analyse_bytes(name, text.as_bytes(), None, lex)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(
                p.document.text.contains("我们如何收集您的个人信息"),
                "{name}"
            );
        }
        let t = read(MULTIBYTE, Format::Text);
        let h = t
            .blocks
            .iter()
            .find(|b| t.slice(b.start, b.end) == "1．我们如何收集您的个人信息")
            .map(|b| b.kind);
        assert_eq!(h, Some(BlockKind::Heading(3)));
    }

    #[test]
    fn bad_input_is_named() {
        let e = document("p.txt", b"", None).unwrap_err().to_string();
        assert!(e.contains("p.txt") && e.contains("empty"), "{e}");
        let bin: Vec<u8> = (0..2000u32).map(|i| (i % 7) as u8).collect();
        let e = document("p.bin", &bin, None).unwrap_err().to_string();
        assert!(e.contains("p.bin") && e.contains("not text"), "{e}");
    }
}
