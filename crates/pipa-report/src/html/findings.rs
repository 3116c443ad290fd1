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

/// Every finding, worst first (verdict, then severity).
pub fn section(s: &mut String, a: &Assessment, kb: &Kb, lang: Lang) {
    let mut order: Vec<usize> = (0..a.findings.len()).collect();
    order.sort_by_key(|&i| (a.findings[i].verdict, a.findings[i].severity));
    if order.is_empty() {
        let _ = write!(s, "<p class=\"muted\">{}</p>", bi("无。", "None.", lang));
    }
    for i in order {
        card(s, a, kb, lang, i);
    }
}

fn card(s: &mut String, a: &Assessment, kb: &Kb, lang: Lang, i: usize) {
    let f = &a.findings[i];
    let accepted = a.accepted(i);
    let _ = write!(
        s,
        "<article class=\"finding {}{}\" id=\"{}\" data-id=\"{}\">\
         <header><h3><span class=\"fno\">{}</span> {}</h3><div class=\"badges\">{}{}",
        verdict_class(f.verdict),
        if accepted.is_some() { " accepted" } else { "" },
        finding_anchor(f),
        esc(&f.id),
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
    for e in ev.iter().take(MAX_EVIDENCE) {
        s.push_str("<li>");
        evidence(s, e, lang);
        s.push_str("</li>");
    }
    if ev.len() > MAX_EVIDENCE {
        let more = ev.len() - MAX_EVIDENCE;
        let _ = write!(
            s,
            "<li class=\"muted\">{}</li>",
            bi(
                &format!("……另有 {more} 条，见 JSON 报告"),
                &format!("… {more} more in the JSON report"),
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
            for (i, step) in steps.iter().enumerate() {
                s.push_str("<li>");
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
