//! Escaping and the small pieces of markup every section uses. All text that
//! reaches the page goes through [`esc`] (package and policy texts are
//! hostile input); attribute values are always double-quoted.

use crate::Lang;
use crate::fmt;
use pipa_engine::{Severity, Verdict};
use pipa_kb::Text;

/// `s` safe as HTML text and as a double- or single-quoted attribute value:
/// `& < > " '` as character references, NUL and other C0 controls (but tab,
/// line feed and carriage return) as U+FFFD.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// An `href` value for an external link: only `http:` and `https:` URLs
/// (never `javascript:` or `data:`), escaped.
pub fn href(url: &str) -> Option<String> {
    let u = url.trim();
    let lower = u.get(..8).unwrap_or(u).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then(|| esc(u))
}

/// An external link whose text is the URL itself, or the escaped text when
/// it is not an http(s) URL.
pub fn link(url: &str) -> String {
    match href(url) {
        Some(h) => format!(
            "<a href=\"{h}\" rel=\"noopener noreferrer\">{}</a>",
            esc(url)
        ),
        None => esc(url),
    }
}

/// A fragment id from any text: ASCII letters, digits, `.`, `_` and `-`
/// kept, anything else as `-`.
pub fn anchor(prefix: &str, s: &str) -> String {
    let mut out = String::from(prefix);
    out.extend(s.chars().map(|c| {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
            c
        } else {
            '-'
        }
    }));
    out
}

/// The row of item `id` in the 31-item table.
pub fn item_anchor(id: &str) -> String {
    anchor("item-", id)
}

/// The anchor of a finding: its short id (`F3.1-4be2c9`, as in every
/// format; see [`Finding::short_id`](pipa_engine::Finding::short_id)).
pub fn finding_anchor(f: &pipa_engine::Finding) -> String {
    f.short_id()
}

/// A bilingual label: `中文 <span class="en">English</span>`, or the English.
pub fn bi(zh: &str, en: &str, lang: Lang) -> String {
    match lang {
        Lang::Both => format!("{} <span class=\"en\">{}</span>", esc(zh), esc(en)),
        Lang::Zh => esc(zh),
        Lang::En => esc(en),
    }
}

/// A short text (a title) like [`bi`]; falls back to whichever side exists.
pub fn text(t: &Text, lang: Lang) -> String {
    match (lang, t.zh.is_empty(), t.en.is_empty()) {
        (Lang::Both, false, false) if t.zh != t.en => bi(&t.zh, &t.en, lang),
        _ => esc(&fmt::short(t, lang)),
    }
}

/// A longer text as paragraphs (the English one marked when beside Chinese).
pub fn paragraphs(t: &Text, lang: Lang) -> String {
    let lines = fmt::lines(t, lang);
    let two = lines.len() > 1;
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if two && i > 0 {
                format!("<p class=\"en\">{}</p>", esc(l))
            } else {
                format!("<p>{}</p>", esc(l))
            }
        })
        .collect()
}

/// The CSS class of a verdict (`v-violation`, `v-not_applicable`).
pub fn verdict_class(v: Verdict) -> String {
    format!("v-{}", v.as_str())
}

/// A verdict badge.
pub fn verdict_badge(v: Verdict, lang: Lang) -> String {
    format!(
        "<span class=\"badge {}\">{}</span>",
        verdict_class(v),
        bi(v.zh(), fmt::verdict_en(v), lang)
    )
}

/// The CSS class of a severity (`s-high`).
pub fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::High => "s-high",
        Severity::Medium => "s-medium",
        Severity::Low => "s-low",
        Severity::Info => "s-info",
    }
}

/// A severity badge.
pub fn severity_badge(s: Severity, lang: Lang) -> String {
    format!(
        "<span class=\"badge sev {}\">{}</span>",
        severity_class(s),
        esc(&fmt::severity(s, lang))
    )
}

/// Marks literal parts for [`code_markup`] (the `code` argument of
/// [`fmt::evidence`]).
pub fn mark_code(s: &str) -> String {
    let clean: String = s.chars().filter(|&c| c != OPEN && c != CLOSE).collect();
    format!("{OPEN}{clean}{CLOSE}")
}

const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// A line made with [`mark_code`] as escaped HTML with `<code>` elements.
/// When the marks do not pair up (the input itself held the private-use
/// characters), they are dropped and the line is plain text.
pub fn code_markup(line: &str) -> String {
    let mut open = false;
    let mut paired = true;
    for c in line.chars() {
        match c {
            OPEN if !open => open = true,
            CLOSE if open => open = false,
            OPEN | CLOSE => paired = false,
            _ => {}
        }
    }
    let escaped = esc(line);
    if paired && !open {
        escaped.replace(OPEN, "<code>").replace(CLOSE, "</code>")
    } else {
        escaped.replace([OPEN, CLOSE], "")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_hostile_text() {
        assert_eq!(
            esc("<script>alert(\"x\" & 'y')</script>"),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
        assert_eq!(esc("a\0b\u{1b}[31m\n"), "a\u{FFFD}b\u{FFFD}[31m\n");
        assert_eq!(esc("&amp;"), "&amp;amp;");
        assert_eq!(esc("违规 ok"), "违规 ok");
    }

    #[test]
    fn links_only_for_http() {
        assert_eq!(
            href("https://x.cn/a?b=1&c=\"2\"").as_deref(),
            Some("https://x.cn/a?b=1&amp;c=&quot;2&quot;")
        );
        assert_eq!(href("HTTP://X.CN").as_deref(), Some("HTTP://X.CN"));
        assert_eq!(href("javascript:alert(1)"), None);
        assert_eq!(href(" data:text/html,<b>"), None);
        assert_eq!(link("javascript:alert(1)"), "javascript:alert(1)");
        assert!(link("https://a.b").starts_with("<a href=\"https://a.b\""));
    }

    #[test]
    fn anchors_are_plain() {
        assert_eq!(item_anchor("191-1.1"), "item-191-1.1");
        assert_eq!(anchor("sdk-", "a b\"<c>"), "sdk-a-b--c-");
        let f = &crate::testdata::sample().findings[0];
        assert_eq!(finding_anchor(f), f.short_id());
    }

    #[test]
    fn code_marks_pair_or_vanish() {
        let line = format!("call {} ← {}", mark_code("a<b"), mark_code("c\u{E001}d"));
        assert_eq!(
            code_markup(&line),
            "call <code>a&lt;b</code> ← <code>cd</code>"
        );
        let hostile = format!("x\u{E001}y {}", mark_code("z"));
        assert_eq!(code_markup(&hostile), "xy z");
        assert_eq!(code_markup("a\u{E000}b"), "ab");
    }
}
