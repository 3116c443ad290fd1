//! The "主要问题 / What to fix first" block every report opens with. The
//! ranking is the engine's (`Assessment::priorities`, computed once); each
//! renderer calls one function here at one point.

use crate::Lang;
use crate::fmt::{self, pair};
use crate::html::esc::{bi, esc, finding_anchor, text as html_text};
use pipa_engine::{Assessment, Priority};
use pipa_kb::Text;
use std::fmt::Write;

/// The block's heading.
pub(crate) fn heading(lang: Lang) -> String {
    pair("主要问题", "What to fix first", lang)
}

/// What the block says when nothing is a risk or a violation: no
/// reassurance beyond that.
fn none_line(lang: Lang) -> String {
    pair(
        "没有风险或违规发现（“需人工确认”的项目仍须逐项检查）。",
        "No risk or violation found (items marked “manual” still need a person).",
        lang,
    )
}

/// "另有 N 项风险/违规发现见下文".
fn more_line(n: usize, lang: Lang) -> String {
    match lang {
        Lang::Both => format!(
            "另有 {n} 项风险或违规发现见下文。 / {n} more risk or violation {} below.",
            pipa_engine::plural(n, "finding", "findings")
        ),
        Lang::Zh => format!("另有 {n} 项风险或违规发现见下文。"),
        Lang::En => format!(
            "{n} more risk or violation {} below.",
            pipa_engine::plural(n, "finding", "findings")
        ),
    }
}

/// The line's head: verdict, severity, subject and problem in one language.
fn head(p: &Priority, zh: bool) -> String {
    let (name, problem) = if zh {
        (&p.subject_name.zh, &p.problem.zh)
    } else {
        (&p.subject_name.en, &p.problem.en)
    };
    if name.is_empty() {
        problem.clone()
    } else if zh {
        format!("{name}：{problem}")
    } else {
        format!("{name}: {problem}")
    }
}

/// The place: `com.x.App.initSdk（经 com.x.Client.init）`.
fn place(p: &Priority, lang: Lang) -> Option<String> {
    let pl = p.place.as_ref()?;
    if p.via.is_empty() {
        return Some(pl.clone());
    }
    Some(match lang {
        Lang::Both => format!("{pl}（经 via {}）", p.via.join(" → ")),
        Lang::Zh => format!("{pl}（经 {}）", p.via.join(" → ")),
        Lang::En => format!("{pl} (via {})", p.via.join(" → ")),
    })
}

fn tag(p: &Priority, lang: Lang) -> String {
    format!(
        "{} · {}",
        fmt::verdict(p.verdict, lang),
        fmt::severity(p.severity, lang)
    )
}

fn bilingual(t: &Text, lang: Lang) -> Vec<&str> {
    fmt::lines(t, lang)
}

/// The block for the terminal report.
pub(crate) fn terminal(s: &mut String, a: &Assessment, lang: Lang, bold: impl Fn(&str) -> String) {
    let _ = writeln!(s, "{}", bold(&heading(lang)));
    if a.priorities.is_empty() {
        let _ = writeln!(s, "  {}", none_line(lang));
        let _ = writeln!(s);
        return;
    }
    let lw = [("整改", "fix"), ("位置", "place"), ("发现", "finding")]
        .iter()
        .map(|(zh, en)| fmt::width(&pair(zh, en, lang)))
        .max()
        .unwrap_or(8)
        + 2;
    let label = |zh: &str, en: &str| fmt::pad(&pair(zh, en, lang), lw);
    for p in &a.priorities {
        let lead = format!("{:>2}. ", p.rank);
        let _ = writeln!(
            s,
            "{lead}{} [{}]",
            bold(&head(p, lang != Lang::En)),
            tag(p, lang)
        );
        if lang == Lang::Both {
            let _ = writeln!(s, "    {}", head(p, false));
        }
        if let Some(pl) = place(p, lang) {
            let _ = writeln!(s, "    {}{pl}", label("位置", "place"));
        }
        for (n, l) in bilingual(&p.fix, lang).into_iter().enumerate() {
            let l0 = if n == 0 {
                label("整改", "fix")
            } else {
                " ".repeat(lw)
            };
            let _ = writeln!(s, "    {l0}{l}");
        }
        let _ = writeln!(
            s,
            "    {}{}",
            label("发现", "finding"),
            p.finding_ids.join(" · ")
        );
    }
    let more = pipa_engine::not_in_priorities(a);
    if more > 0 {
        let _ = writeln!(s, "  {}", more_line(more, lang));
    }
    let _ = writeln!(s);
}

/// Each finding of the line: its id and the anchor of its section.
fn links<'a>(a: &'a Assessment, p: &'a Priority) -> impl Iterator<Item = (&'a str, String)> {
    p.findings.iter().zip(&p.finding_ids).map(|(i, id)| {
        let anchor = a
            .findings
            .get(*i)
            .map_or_else(|| id.clone(), finding_anchor);
        (id.as_str(), anchor)
    })
}

/// A Markdown cell or line: pipes escaped, no line breaks.
fn md(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The block for the Markdown report: a numbered list linking each line to
/// its findings (`#f1`).
pub(crate) fn markdown(s: &mut String, a: &Assessment, lang: Lang) {
    let _ = writeln!(s, "## {}\n", heading(lang));
    if a.priorities.is_empty() {
        let _ = writeln!(s, "{}\n", none_line(lang));
        return;
    }
    for p in &a.priorities {
        let _ = writeln!(
            s,
            "{}. **{}** ({})",
            p.rank,
            md(&head(p, lang != Lang::En)),
            tag(p, lang)
        );
        if lang == Lang::Both {
            let _ = writeln!(s, "   {}", md(&head(p, false)));
        }
        let _ = writeln!(s);
        if let Some(pl) = place(p, lang) {
            let _ = writeln!(s, "   - {}：`{}`", pair("位置", "Place", lang), pl);
        }
        let fix: Vec<String> = bilingual(&p.fix, lang).into_iter().map(md).collect();
        let _ = writeln!(s, "   - {}：{}", pair("整改", "Fix", lang), fix.join(" "));
        let links: Vec<String> = links(a, p)
            .map(|(id, anchor)| format!("[`{id}`](#{anchor})"))
            .collect();
        let _ = writeln!(
            s,
            "   - {}：{}",
            pair("发现", "Findings", lang),
            links.join(" · ")
        );
        let _ = writeln!(s);
    }
    let more = pipa_engine::not_in_priorities(a);
    if more > 0 {
        let _ = writeln!(s, "{}\n", more_line(more, lang));
    }
}

/// The block for the HTML report: an ordered list, each line linking to its
/// findings.
pub(crate) fn html(s: &mut String, a: &Assessment, lang: Lang) {
    let _ = write!(
        s,
        "<section id=\"fix-first\"><h2>{}</h2>",
        bi("主要问题", "What to fix first", lang)
    );
    if a.priorities.is_empty() {
        let _ = write!(s, "<p>{}</p></section>", esc(&none_line(lang)));
        return;
    }
    s.push_str("<ol class=\"fix-first\">");
    for p in &a.priorities {
        let name = html_text(&p.subject_name, lang);
        let problem = html_text(&p.problem, lang);
        let _ = write!(
            s,
            "<li data-class=\"{}\"><p><strong>{}</strong>{}{} <span class=\"tag\">{}</span></p>",
            p.class.as_str(),
            name,
            if name.is_empty() { "" } else { " — " },
            problem,
            esc(&tag(p, lang))
        );
        if let Some(pl) = place(p, lang) {
            let _ = write!(
                s,
                "<p>{}：<code>{}</code></p>",
                bi("位置", "Place", lang),
                esc(&pl)
            );
        }
        let _ = write!(
            s,
            "<p>{}：{}</p>",
            bi("整改", "Fix", lang),
            html_text(&p.fix, lang)
        );
        let links: Vec<String> = links(a, p)
            .map(|(id, anchor)| {
                format!("<a href=\"#{}\"><code>{}</code></a>", esc(&anchor), esc(id))
            })
            .collect();
        let _ = write!(
            s,
            "<p>{}：{}</p></li>",
            bi("发现", "Findings", lang),
            links.join(" · ")
        );
    }
    s.push_str("</ol>");
    let more = pipa_engine::not_in_priorities(a);
    if more > 0 {
        let _ = write!(s, "<p>{}</p>", esc(&more_line(more, lang)));
    }
    s.push_str("</section>");
}

/// Rows for the XLSX summary sheet: `主要问题 1 What to fix first 1` → the
/// line as text (subject and problem, place, fix, findings).
pub(crate) fn xlsx_rows(a: &Assessment, lang: Lang) -> Vec<(String, String)> {
    if a.priorities.is_empty() {
        return vec![(heading(lang), none_line(lang))];
    }
    let mut rows: Vec<(String, String)> = a
        .priorities
        .iter()
        .map(|p| {
            let key = match lang {
                Lang::Both => format!("主要问题 {} What to fix first {}", p.rank, p.rank),
                Lang::Zh => format!("主要问题 {}", p.rank),
                Lang::En => format!("What to fix first {}", p.rank),
            };
            let mut v = vec![format!("[{}] {}", tag(p, lang), head(p, lang != Lang::En))];
            if lang == Lang::Both {
                v.push(head(p, false));
            }
            if let Some(pl) = place(p, lang) {
                v.push(format!("{}: {pl}", pair("位置", "place", lang)));
            }
            v.push(format!(
                "{}: {}",
                pair("整改", "fix", lang),
                bilingual(&p.fix, lang).join(" ")
            ));
            v.push(format!(
                "{}: {}",
                pair("发现", "findings", lang),
                p.finding_ids.join(" · ")
            ));
            (key, v.join("\n"))
        })
        .collect();
    let more = pipa_engine::not_in_priorities(a);
    if more > 0 {
        rows.push((heading(lang), more_line(more, lang)));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::{kb, sample};
    use pipa_engine::Verdict;

    fn ranked() -> Assessment {
        let mut a = sample();
        a.priorities = pipa_engine::priorities(&a, &kb());
        a
    }

    /// The block opens every format, in the engine's order: the policy
    /// first, then the rest worst first; each line links to its finding.
    #[test]
    fn every_format_opens_with_the_ranked_block() {
        let a = ranked();
        let ids: Vec<&str> = a
            .priorities
            .iter()
            .map(|p| a.findings[p.findings[0]].id.as_str())
            .collect();
        assert_eq!(
            ids,
            [
                "policy.none",
                "perm.legacy_target",
                "perm.dangerous",
                "before_consent.app",
                "sec.allow_backup"
            ]
        );
        let k = kb();
        let t = crate::terminal(&a, &k, Lang::Both);
        let b = t.find("主要问题 What to fix first").expect("text block");
        assert!(b < t.find("个人信息类型").expect("pi"), "{t}");
        assert!(t[b..].contains(" 1. ") && t[b..].contains(" 5. "), "{t}");
        let md = crate::markdown(&a, &k, Lang::Both);
        let b = md.find("## 主要问题 What to fix first").expect("md block");
        assert!(b < md.find("## 概要").expect("summary"), "{md}");
        // Linked by the short id every format shows.
        let sid = a.priorities[0].finding_ids[0].clone();
        assert_eq!(sid, a.findings[a.priorities[0].findings[0]].short_id());
        assert!(md.contains(&format!("[`{sid}`](#{sid})")), "{md}");
        let h = crate::html(&a, &k, Lang::En);
        let b = h.find("<section id=\"fix-first\">").expect("html block");
        assert!(b < h.find("<section id=\"summary\">").expect("summary"));
        assert!(h[b..].contains(&format!("<a href=\"#{sid}\"><code>{sid}</code></a>")));
        let rows = xlsx_rows(&a, Lang::En);
        assert_eq!(rows.len(), 5, "{rows:?}");
        assert_eq!(rows[0].0, "What to fix first 1");
        assert!(rows[0].1.contains(&sid), "{rows:?}");
    }

    /// The negative twin: nothing at risk, no line, and the block says only
    /// that (manual items still need a person).
    #[test]
    fn nothing_at_risk_gives_no_line() {
        let mut a = sample();
        for f in &mut a.findings {
            if f.verdict <= Verdict::Risk {
                f.verdict = Verdict::Manual;
            }
        }
        a.priorities = pipa_engine::priorities(&a, &kb());
        assert!(a.priorities.is_empty());
        let t = crate::terminal(&a, &kb(), Lang::En);
        assert!(t.contains("No risk or violation found"), "{t}");
        assert!(!t.contains(" 1. "), "{t}");
        let rows = xlsx_rows(&a, Lang::En);
        assert_eq!(rows.len(), 1);
    }
}
