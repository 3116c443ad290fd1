//! Findings and their evidence: a card per finding (worst first) with its
//! verdict, severity, rules (linked to the item rows), description, the
//! evidence opened on demand, the remediation, and the baseline's
//! acceptance when there is one.

use super::esc::{
    bi, code_markup, esc, finding_anchor, item_anchor, mark_code, paragraphs, severity_badge, text,
    verdict_badge, verdict_class,
};
use crate::Lang;
use crate::fmt;
use pipa_engine::{Assessment, Evidence};
use pipa_kb::Kb;
use std::fmt::Write;

/// Evidence items listed per finding or SDK (the JSON has them all).
pub const MAX_EVIDENCE: usize = 200;

/// Evidence items printed per list (the first ones: the engine ranks them
/// by regulatory weight); the page on screen and the JSON have them all, and
/// the printout says how many it left out.
pub const PRINT_EVIDENCE: usize = 3;

/// Steps of a call chain printed before and after the cut of a long chain.
const PRINT_CHAIN_HEAD: usize = 3;
const PRINT_CHAIN_TAIL: usize = 2;

/// Every finding, worst first (verdict, then severity).
pub fn section(s: &mut String, a: &Assessment, kb: &Kb, lang: Lang) {
    let mut order: Vec<usize> = (0..a.findings.len()).collect();
    order.sort_by_key(|&i| (a.findings[i].verdict, a.findings[i].severity));
    if order.is_empty() {
        let _ = write!(s, "<p class=\"muted\">{}</p>", bi("无。", "None.", lang));
    }
    if !order.is_empty() && !a.caveats.is_empty() {
        s.push_str("<div class=\"caveats\">");
        for (i, c) in a.caveats.iter().enumerate() {
            let _ = write!(
                s,
                "<p id=\"caveat-{}\"><b>{}</b> {}</p>",
                i + 1,
                bi(&format!("注 {}", i + 1), &format!("Note {}", i + 1), lang),
                super::esc::text(&c.text, lang)
            );
        }
        s.push_str("</div>");
    }
    filter_bar(s, a, kb, lang);
    for i in order {
        card(s, a, kb, lang, i);
    }
}

/// The subjects (`app`, `sdk:umeng`) and PI types a finding's evidence
/// names, for the filter.
fn facets(a: &Assessment, i: usize) -> (Vec<String>, Vec<String>) {
    let mut subjects: Vec<String> = Vec::new();
    let mut pi: Vec<String> = Vec::new();
    let add = |v: &mut Vec<String>, x: &str| {
        if !x.is_empty() && !v.iter().any(|y| y == x) {
            v.push(x.to_string());
        }
    };
    for id in pipa_engine::finding_sdks(a, &a.findings[i]) {
        add(&mut subjects, &format!("sdk:{id}"));
    }
    for e in &a.findings[i].evidence {
        let (subject, api) = match e {
            Evidence::Code { subject, api, .. } => (subject, api),
            Evidence::Chain {
                subject, target, ..
            } => (subject, target),
            _ => continue,
        };
        add(&mut subjects, subject);
        if let Some(u) = a.api_uses.iter().find(|u| &u.api == api) {
            add(&mut pi, &u.pi_type);
        }
    }
    (subjects, pi)
}

/// The filter over the cards (subject, PI type, verdict): hidden until the
/// script runs (without it every card shows).
fn filter_bar(s: &mut String, a: &Assessment, kb: &Kb, lang: Lang) {
    if a.findings.is_empty() {
        return;
    }
    let mut subjects: Vec<String> = Vec::new();
    let mut pi: Vec<String> = Vec::new();
    let mut verdicts: Vec<pipa_engine::Verdict> = Vec::new();
    for i in 0..a.findings.len() {
        let (su, p) = facets(a, i);
        for x in su {
            if !subjects.contains(&x) {
                subjects.push(x);
            }
        }
        for x in p {
            if !pi.contains(&x) {
                pi.push(x);
            }
        }
        if !verdicts.contains(&a.findings[i].verdict) {
            verdicts.push(a.findings[i].verdict);
        }
    }
    subjects.sort();
    pi.sort();
    verdicts.sort();
    let all = bi("全部", "all", lang);
    let select = |s: &mut String, key: &str, label: String, opts: Vec<(String, String)>| {
        let _ = write!(
            s,
            "<label>{label} <select data-filter=\"{key}\"><option value=\"\">{all}</option>"
        );
        for (v, text) in opts {
            let _ = write!(s, "<option value=\"{}\">{}</option>", esc(&v), esc(&text));
        }
        s.push_str("</select></label>");
    };
    s.push_str("<div class=\"filter\" id=\"finding-filter\" hidden>");
    let subject_name = |x: &str| crate::sdk::subject_name(a, kb, x, lang);
    select(
        s,
        "subject",
        bi("主体", "Subject", lang),
        subjects
            .iter()
            .map(|x| (x.clone(), subject_name(x)))
            .collect(),
    );
    select(
        s,
        "pi",
        bi("个人信息类型", "PI type", lang),
        pi.iter()
            .map(|x| (x.clone(), fmt::pi_name(kb, x, lang)))
            .collect(),
    );
    select(
        s,
        "verdict",
        bi("结论", "Verdict", lang),
        verdicts
            .iter()
            .map(|v| (v.as_str().to_string(), fmt::verdict(*v, lang)))
            .collect(),
    );
    let _ = write!(
        s,
        "<span class=\"shown\" aria-live=\"polite\" data-of=\"{}\"></span></div>",
        esc(&fmt::pair("条显示", "shown", lang))
    );
}

fn card(s: &mut String, a: &Assessment, kb: &Kb, lang: Lang, i: usize) {
    let f = &a.findings[i];
    let accepted = a.accepted(i);
    let (subjects, pi) = facets(a, i);
    let _ = write!(
        s,
        "<article class=\"finding {}{}\" id=\"{}\" data-id=\"{}\" data-verdict=\"{}\" \
         data-subject=\" {} \" data-pi=\" {} \">\
         <header><h3><span class=\"fno\">{}</span> {}</h3><div class=\"badges\">{}{}",
        verdict_class(f.verdict),
        if accepted.is_some() { " accepted" } else { "" },
        finding_anchor(f),
        esc(&f.id),
        f.verdict.as_str(),
        esc(&subjects.join(" ")),
        esc(&pi.join(" ")),
        esc(&f.short_id()),
        text(&f.title, lang),
        verdict_badge(f.verdict, lang),
        severity_badge(f.severity, lang),
    );
    if accepted.is_some() {
        let _ = write!(
            s,
            "<span class=\"badge acc\">{}</span>",
            bi("已接受", "accepted", lang)
        );
    }
    s.push_str("</div></header>");
    let rules: Vec<String> = f
        .rule_ids
        .iter()
        .map(|r| {
            let target = if a.items.iter().any(|it| it.id == *r) {
                item_anchor(r)
            } else {
                super::esc::anchor("rule-", r)
            };
            let title = fmt::rule_title(kb, r, lang);
            format!(
                "<a href=\"#{target}\">{}</a>{}",
                esc(r),
                if title.is_empty() {
                    String::new()
                } else {
                    format!(" {}", esc(&title))
                }
            )
        })
        .collect();
    let _ = write!(
        s,
        "<dl class=\"meta\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd><code>{}</code></dd></dl>",
        bi("依据", "Rules", lang),
        rules.join(match lang {
            Lang::Both | Lang::Zh => "；",
            Lang::En => "; ",
        }),
        bi("检查", "Check", lang),
        esc(&f.id)
    );
    if let Some(acc) = accepted {
        let _ = write!(
            s,
            "<div class=\"accepted-note\"><b>{}</b> {}",
            bi(
                "基线已接受此发现（不计入门禁）",
                "Accepted by the baseline (does not fail the gate)",
                lang
            ),
            esc(&acc.justification)
        );
        if let Some(by) = &acc.by {
            let _ = write!(s, " · {}: {}", bi("接受人", "by", lang), esc(by));
        }
        if let Some(until) = &acc.until {
            let _ = write!(s, " · {}: {}", bi("有效期至", "until", lang), esc(until));
        }
        s.push_str("</div>");
    }
    s.push_str(&paragraphs(&f.description, lang));
    let notes = a.caveat_numbers(f);
    if !notes.is_empty() {
        let links: Vec<String> = notes
            .iter()
            .map(|n| {
                format!(
                    "<a href=\"#caveat-{n}\">{}</a>",
                    bi(&format!("见注 {n}"), &format!("see note {n}"), lang)
                )
            })
            .collect();
        let _ = write!(s, "<p class=\"caveat-ref muted\">{}</p>", links.join(" "));
    }
    if !f.evidence.is_empty() {
        let _ = write!(
            s,
            "<details class=\"evidence\"><summary>{} ({})</summary>",
            bi("证据", "Evidence", lang),
            f.evidence.len()
        );
        evidence_list(s, &f.evidence, lang);
        s.push_str("</details>");
    }
    let fix = paragraphs(&f.remediation, lang);
    if !fix.is_empty() {
        let _ = write!(
            s,
            "<div class=\"fix\"><h4>{}</h4>{fix}</div>",
            bi("整改建议", "How to fix", lang)
        );
    }
    s.push_str("</article>");
}

/// Evidence items as a list (at most [`MAX_EVIDENCE`]).
pub fn evidence_list(s: &mut String, ev: &[Evidence], lang: Lang) {
    s.push_str("<ul class=\"ev\">");
    for (i, e) in ev.iter().take(MAX_EVIDENCE).enumerate() {
        // Past the printed ones: on screen, not on paper.
        s.push_str(if i < PRINT_EVIDENCE {
            "<li>"
        } else {
            "<li class=\"np\">"
        });
        evidence(s, e, lang);
        s.push_str("</li>");
    }
    if ev.len() > MAX_EVIDENCE {
        let more = ev.len() - MAX_EVIDENCE;
        let _ = write!(
            s,
            "<li class=\"muted np\">{}</li>",
            bi(
                &format!("……另有 {more} 条，见 JSON 报告"),
                &format!("… {more} more in the JSON report"),
                lang
            )
        );
    }
    if ev.len() > PRINT_EVIDENCE {
        let more = ev.len() - PRINT_EVIDENCE;
        let _ = write!(
            s,
            "<li class=\"print-more muted\">{}</li>",
            bi(
                &format!("……另有 {more} 条证据未打印，见 HTML 或 JSON 报告"),
                &format!("… {more} more not printed: see the HTML or JSON report"),
                lang
            )
        );
    }
    s.push_str("</ul>");
}

/// One evidence item: call chains as ordered lists, policy sentences with
/// their offsets, the rest as the shared one-line form.
fn evidence(s: &mut String, e: &Evidence, lang: Lang) {
    match e {
        Evidence::Chain {
            entry,
            component,
            steps,
            hops,
            target,
            dex,
            offset,
            subject,
            gated,
        } => {
            let _ = write!(
                s,
                "<span class=\"kind\">{}</span> {} <code>{}</code>",
                bi("调用链", "chain", lang),
                esc(&fmt::entry_name(entry, lang)),
                esc(component)
            );
            if *gated {
                let _ = write!(
                    s,
                    " <span class=\"badge gated\">{}</span>",
                    bi("同意检查之后", "after a consent check", lang)
                );
            }
            s.push_str("<ol class=\"chain\">");
            // On paper a long chain keeps its head (the entry and the app's
            // own methods, where the fix goes) and its tail (the calls into
            // the API); the page shows every step.
            let (head, tail) = (PRINT_CHAIN_HEAD, PRINT_CHAIN_TAIL);
            let cut = steps.len().saturating_sub(head + tail);
            for (i, step) in steps.iter().enumerate() {
                if cut > 1 && i == head {
                    let _ = write!(
                        s,
                        "<li class=\"print-more muted\">{}</li>",
                        bi(
                            &format!("……中间 {cut} 步未打印，见 HTML 报告"),
                            &format!("… {cut} steps not printed: see the HTML report"),
                            lang
                        )
                    );
                }
                let middle = cut > 1 && i >= head && i < head + cut;
                s.push_str(if middle { "<li class=\"np\">" } else { "<li>" });
                if i > 0 {
                    let hop = hops.get(i - 1).map_or("call", String::as_str);
                    let _ = write!(
                        s,
                        "<span class=\"hop\">{}</span> ",
                        esc(fmt::hop_arrow(hop, lang).trim())
                    );
                }
                let _ = write!(
                    s,
                    "<code title=\"{}\">{}</code></li>",
                    esc(step),
                    esc(&fmt::short_method(step))
                );
            }
            let _ = write!(
                s,
                "<li class=\"target\"><span class=\"hop\">⟶</span> <code title=\"{}\">{}</code> \
                 <span class=\"at\">@0x{offset:x} ({}) · {}</span></li></ol>",
                esc(target),
                esc(&fmt::short_method(target)),
                esc(dex),
                esc(subject)
            );
        }
        Evidence::Policy {
            source,
            text,
            start,
            end,
        } => {
            let _ = write!(
                s,
                "<span class=\"kind\">{}</span> <q>{}</q> <span class=\"at\">[{start}..{end}] · {}</span>",
                bi("政策", "policy", lang),
                esc(text),
                esc(&fmt::short_source(source))
            );
        }
        other => {
            let line = fmt::evidence(other, lang, mark_code);
            // The shared form puts two spaces after the kind label.
            match line.split_once("  ") {
                Some((kind, rest)) => {
                    let _ = write!(
                        s,
                        "<span class=\"kind\">{}</span> {}",
                        code_markup(kind),
                        code_markup(rest)
                    );
                }
                None => s.push_str(&code_markup(&line)),
            }
        }
    }
}
