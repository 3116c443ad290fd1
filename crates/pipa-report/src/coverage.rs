//! The coverage of the assessment as every format shows it at the top:
//! one line of figures, and, when the assessment is incomplete, a banner
//! that says so first and names the conclusions it cannot support.

use crate::Lang;
use crate::fmt::pair;
use pipa_engine::{Assessment, Coverage};

/// The figures: `98.4% · dex 文件 dex files 9/9 … · 类 classes 5841/5846 · 方法 methods 33346/33899`.
pub(crate) fn figures(c: &Coverage, lang: Lang) -> String {
    std::iter::once(c.percent())
        .chain(
            c.figures()
                .iter()
                .map(|f| format!("{} {}", pair(f.zh, f.en, lang), f.value)),
        )
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The banner of an incomplete assessment (`None` when complete): the
/// first line says it is incomplete, the second what it cannot support,
/// the third what was not read.
pub(crate) fn banner(a: &Assessment, lang: Lang) -> Option<Vec<String>> {
    coverage_banner(&a.coverage, lang)
}

/// [`banner`] of one coverage (a diff has two).
pub(crate) fn coverage_banner(c: &Coverage, lang: Lang) -> Option<Vec<String>> {
    if !c.incomplete {
        return None;
    }
    let (mut damaged_zh, mut damaged_en) = (String::new(), String::new());
    if c.damaged_dex > 0 {
        damaged_zh = format!("，{} 个 dex 文件校验和不符（文件被改动过）", c.damaged_dex);
        damaged_en = format!(
            "; {} dex files fail their checksum (altered)",
            c.damaged_dex
        );
    }
    let short = c.shortfall();
    let first = match lang {
        Lang::Both => format!(
            "评估不完整 INCOMPLETE：{}{damaged_zh}。 / {}{damaged_en}.",
            short.zh,
            upper_first(&short.en)
        ),
        Lang::Zh => format!("评估不完整：{}{damaged_zh}。", short.zh),
        Lang::En => format!("INCOMPLETE: {}{damaged_en}.", short.en),
    };
    let u = Coverage::unsupported();
    let second = match lang {
        Lang::Both => format!("不能支持的结论：{}。 / Cannot support: {}.", u.zh, u.en),
        Lang::Zh => format!("不能支持的结论：{}。", u.zh),
        Lang::En => format!("Cannot support: {}.", u.en),
    };
    let shown: Vec<String> = c
        .unread
        .iter()
        .take(3)
        .map(|x| format!("{} ({})", x.what, x.why))
        .collect();
    let more = c.unread.len().saturating_sub(3);
    let mut third = format!("{}: {}", pair("未读取", "Not read", lang), shown.join("; "));
    if more > 0 {
        third.push_str(&match lang {
            Lang::Both => format!("；另有 {more} 项 / {more} more"),
            Lang::Zh => format!("；另有 {more} 项"),
            Lang::En => format!("; {more} more"),
        });
    }
    Some(vec![first, second, third])
}

/// `Only …` from `only …`.
pub(crate) fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn banner_only_when_incomplete_and_figures_say_what_was_read() {
        let mut a = crate::testdata::sample();
        assert!(banner(&a, Lang::Both).is_none());
        a.coverage.dex_files = 3;
        a.coverage.dex_read = 2;
        a.coverage.code_bytes = 100;
        a.coverage.code_bytes_read = 40;
        a.coverage.ratio = 0.4;
        a.coverage.incomplete = true;
        a.coverage.unread = vec![pipa_engine::Unread {
            what: "classes2.dex".into(),
            why: "not a dex file".into(),
        }];
        let b = banner(&a, Lang::Both).expect("banner");
        assert!(b[0].starts_with("评估不完整 INCOMPLETE"), "{}", b[0]);
        assert!(b[0].contains("40.0%"), "{}", b[0]);
        assert!(b[2].contains("classes2.dex"), "{}", b[2]);
        let en = banner(&a, Lang::En).expect("banner");
        assert!(en[0].starts_with("INCOMPLETE: only 40.0%"), "{}", en[0]);
        assert!(!en.concat().contains("评估"));
        assert!(figures(&a.coverage, Lang::En).contains("dex files 2/3"));
    }
}
