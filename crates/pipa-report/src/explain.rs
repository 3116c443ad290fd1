//! `pipa explain RULE_ID`: one legal item as the knowledge base knows it.

use crate::Lang;
use crate::fmt::{self, pair, short};
use pipa_kb::{EvidenceKind, Kb, Rule};
use std::fmt::Write;

/// Looks a rule up: exact id, then case-insensitively, then `3.1` as `191-3.1`.
pub fn find<'k>(kb: &'k Kb, id: &str) -> Option<&'k Rule> {
    let id = id.trim();
    kb.rule(id)
        .or_else(|| kb.rules.iter().find(|r| r.id.eq_ignore_ascii_case(id)))
        .or_else(|| kb.rule(&format!("191-{id}")))
}

/// Ids close to `id` (by edit distance, or sharing its item number), best first, at most 5.
pub fn suggest(kb: &Kb, id: &str) -> Vec<String> {
    let q = id.trim().to_ascii_lowercase();
    let common = |c: &str| q.chars().zip(c.chars()).take_while(|(a, b)| a == b).count();
    let mut scored: Vec<(usize, std::cmp::Reverse<usize>, &str)> = kb
        .rules
        .iter()
        .filter_map(|r| {
            let c = r.id.to_ascii_lowercase();
            let d = levenshtein(&q, &c);
            let tail = c.rsplit_once('-').map_or(c.as_str(), |(_, n)| n);
            let q_tail = q.rsplit_once('-').map(|(_, m)| m).unwrap_or(&q);
            // `3.11` is one keystroke from 191-3.1's `3.1`.
            let suffix = q_tail == tail || (!q.contains('-') && levenshtein(&q, tail) <= 1);
            let p = std::cmp::Reverse(common(&c));
            if suffix {
                Some((0, p, r.id.as_str()))
            } else if d <= 2.max(q.len() / 4) {
                Some((d, p, r.id.as_str()))
            } else {
                None
            }
        })
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(5)
        .map(|(_, _, s)| s.to_string())
        .collect()
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

fn kind(k: EvidenceKind, lang: Lang) -> String {
    match k {
        EvidenceKind::Static => pair("安装包静态分析", "static analysis of the package", lang),
        EvidenceKind::Dynamic => pair("运行时检测", "runtime observation", lang),
        EvidenceKind::PolicyText => pair("隐私政策文本", "privacy-policy text", lang),
        EvidenceKind::Manual => pair("人工核查", "a person", lang),
    }
}

/// The explanation of one rule: legal text with its verbatim marker and
/// status, source document, what pipa checks, what a person must check, how
/// to fix it, related items.
pub fn explain(rule: &Rule, kb: &Kb, lang: Lang) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}  {}", rule.id, short(&rule.title, lang));
    if let Some(c) = &rule.category {
        let _ = writeln!(s, "{}: {}", pair("类别", "Category", lang), short(c, lang));
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{} ({}):",
        pair("条文", "Legal text", lang),
        fmt::trust(rule.verbatim, rule.status, lang)
    );
    if lang == Lang::Both {
        let _ = writeln!(s, "  {}", rule.text_zh.trim());
    }
    if !rule.gloss_en.is_empty() {
        let _ = writeln!(
            s,
            "  {} (English gloss by pipa, not an official translation)",
            rule.gloss_en.trim()
        );
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "{}:", pair("来源", "Source", lang));
    match kb.source(&rule.source) {
        Some(d) => {
            let _ = writeln!(s, "  {}", d.title);
            let meta = d.issuer_and_date();
            if !meta.is_empty() {
                let _ = writeln!(s, "  {}", meta.join(" · "));
            }
            if !d.url.is_empty() {
                let _ = writeln!(s, "  {}", d.url);
            }
            if !d.read_at.is_empty() {
                let _ = writeln!(
                    s,
                    "  {}: {}",
                    pair("文本读自", "text read at", lang),
                    d.read_at
                );
            }
        }
        None => {
            let _ = writeln!(s, "  {}", rule.source);
        }
    }
    if !rule.evidence.is_empty() {
        let kinds: Vec<String> = rule.evidence.iter().map(|&k| kind(k, lang)).collect();
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{}: {}",
            pair("可据以判断的输入", "Decided from", lang),
            kinds.join("; ")
        );
    }
    let sections = [
        (pair("pipa 检查什么", "What pipa checks", lang), &rule.check),
        (
            pair(
                "需人工检查什么、如何检查",
                "What a person must check, and how",
                lang,
            ),
            &rule.manual,
        ),
        (pair("如何整改", "How to fix", lang), &rule.remediation),
    ];
    for (head, body) in sections {
        let _ = writeln!(s);
        let _ = writeln!(s, "{head}:");
        match body {
            Some(t) => {
                for line in fmt::lines(t, lang) {
                    let _ = writeln!(s, "  {line}");
                }
            }
            None => {
                let _ = writeln!(s, "  —");
            }
        }
    }
    if !rule.related.is_empty() {
        let _ = writeln!(s);
        let rel: Vec<String> = rule
            .related
            .iter()
            .map(|r| {
                let t = fmt::rule_title(kb, r, lang);
                if t.is_empty() {
                    r.clone()
                } else {
                    format!("{r} {t}")
                }
            })
            .collect();
        let _ = writeln!(s, "{}: {}", pair("相关", "Related", lang), rel.join("; "));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::kb;

    #[test]
    fn explains_text_source_check_and_fix() {
        let kb = kb();
        let r = find(&kb, "191-3.1").expect("rule");
        let out = explain(r, &kb, Lang::Both);
        assert!(out.starts_with("191-3.1  条目191-3.1 / Item 191-3.1"));
        assert!(
            out.contains("条文 Legal text (原文 verbatim · 已核实 verified):\n  认定条文191-3.1；")
        );
        assert!(out.contains("App违法违规收集使用个人信息行为认定方法"));
        assert!(out.contains("http://www.cac.gov.cn/"));
        assert!(out.contains("检查权限"));
        assert!(out.contains("人工查看界面"));
        assert!(out.contains("Ask for consent at first run"));
        let en = explain(r, &kb, Lang::En);
        assert!(!en.contains("认定条文"));
        assert!(en.contains("Gloss of 191-3.1."));
    }

    #[test]
    fn lookups_and_suggestions() {
        let kb = kb();
        assert_eq!(find(&kb, "pipl-51").map(|r| r.id.as_str()), Some("PIPL-51"));
        assert_eq!(find(&kb, "3.1").map(|r| r.id.as_str()), Some("191-3.1"));
        assert!(find(&kb, "191-9.9").is_none());
        let s = suggest(&kb, "191-3.9");
        assert!(
            !s.is_empty() && s.iter().all(|x| x.starts_with("191-3.")),
            "{s:?}"
        );
        let s = suggest(&kb, "164-3.1");
        assert_eq!(s.first().map(String::as_str), Some("191-3.1"), "{s:?}");
        assert!(suggest(&kb, "completely-unrelated-words").is_empty());
        assert_eq!(levenshtein("kitten", "sitting"), 3);
    }
}
