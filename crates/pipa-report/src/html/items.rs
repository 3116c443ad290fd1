//! The 31 items: grouped by the categories of 191, each with its legal text,
//! verdict, links to its findings, the note of items a person must check,
//! and the developer's statements when `scan --answers` gave some.

use super::esc::{bi, esc, finding_anchor, item_anchor, paragraphs, text, verdict_badge};
use crate::Lang;
use crate::fmt::{self, pair};
use pipa_engine::{Answer, Assessment, ItemResult, Verdict};
use pipa_kb::Kb;
use std::fmt::Write;

/// The items table.
pub fn section(s: &mut String, a: &Assessment, kb: &Kb, lang: Lang) {
    let _ = write!(
        s,
        "<div class=\"scroll\"><table class=\"items\"><thead><tr><th>{}</th><th>{}</th>\
         <th>{}</th><th>{}</th></tr></thead><tbody>",
        bi("编号", "Id", lang),
        bi("认定项（条文）", "Item (legal text)", lang),
        bi("结论", "Verdict", lang),
        bi("发现", "Findings", lang)
    );
    let mut category = None;
    for item in &a.items {
        let rule = kb.rule(&item.id);
        let cat = rule.and_then(|r| r.category.as_ref());
        if cat.is_some() && cat != category {
            category = cat;
            if let Some(c) = cat {
                let _ = write!(
                    s,
                    "<tr class=\"cat\"><th colspan=\"4\">{}</th></tr>",
                    text(c, lang)
                );
            }
        }
        row(s, a, kb, lang, item);
    }
    s.push_str("</tbody></table></div>");
    // On paper the manual items with nothing found are one line of ids (the
    // page has their rows, legal text and check method).
    let quiet: Vec<&str> = a
        .items
        .iter()
        .filter(|i| crate::statements::quiet(i))
        .map(|i| i.id.as_str())
        .collect();
    if !quiet.is_empty() {
        let _ = write!(
            s,
            "<p class=\"print-only muted\">{}</p>",
            esc(&match lang {
                Lang::Both => format!(
                    "未打印：需人工确认、无发现的 {n} 项（条文与检查方法见 HTML 报告或 pipa explain）：{ids} / Not printed: {n} manual {items} with no finding (legal text and check method in the HTML report or pipa explain): {ids}",
                    n = quiet.len(),
                    items = fmt::plural(quiet.len(), "item", "items"),
                    ids = quiet.join(" ")
                ),
                Lang::Zh => format!(
                    "未打印：需人工确认、无发现的 {} 项（条文与检查方法见 HTML 报告或 pipa explain）：{}",
                    quiet.len(),
                    quiet.join(" ")
                ),
                Lang::En => format!(
                    "Not printed: {} manual {} with no finding (legal text and check method in the HTML report or pipa explain): {}",
                    quiet.len(),
                    fmt::plural(quiet.len(), "item", "items"),
                    quiet.join(" ")
                ),
            })
        );
    }
}

fn row(s: &mut String, a: &Assessment, kb: &Kb, lang: Lang, item: &ItemResult) {
    let _ = write!(
        s,
        "<tr id=\"{}\" class=\"{}{}\"><td class=\"id\">{}</td><td class=\"law\">",
        item_anchor(&item.id),
        super::esc::verdict_class(item.verdict),
        if crate::statements::quiet(item) {
            " quiet"
        } else {
            ""
        },
        esc(&item.id)
    );
    match kb.rule(&item.id) {
        Some(r) => {
            let _ = write!(s, "<div class=\"rt\">{}</div>", text(&r.title, lang));
            match lang {
                Lang::Both => {
                    let _ = write!(s, "<p class=\"zh-law\">{}</p>", esc(r.text_zh.trim()));
                    if !r.gloss_en.is_empty() {
                        let _ = write!(s, "<p class=\"en\">{}</p>", esc(r.gloss_en.trim()));
                    }
                }
                Lang::Zh => {
                    let _ = write!(s, "<p class=\"zh-law\">{}</p>", esc(r.text_zh.trim()));
                }
                Lang::En => {
                    let _ = write!(s, "<p>{}</p>", esc(r.gloss_en.trim()));
                }
            }
            if !r.verbatim {
                let _ = write!(
                    s,
                    "<p class=\"muted\">{}</p>",
                    bi("非原文", "not verbatim", lang)
                );
            }
        }
        None => s.push_str(&bi("（知识库无此条）", "(not in the knowledge base)", lang)),
    }
    if let Some(n) = &item.note {
        let _ = write!(s, "<div class=\"note\">{}</div>", paragraphs(n, lang));
    }
    // The check method, unless the note above already is it (a manual
    // item with nothing found says what to check).
    if item.verdict == Verdict::Manual
        && let Some(m) = kb.rule(&item.id).and_then(|r| r.manual.as_ref())
        && item.note.as_ref() != Some(m)
    {
        let _ = write!(
            s,
            "<details class=\"how\"><summary>{}</summary>{}</details>",
            bi("检查方法", "What to check and how", lang),
            paragraphs(m, lang)
        );
    }
    statements(s, item, lang);
    let _ = write!(
        s,
        "</td><td class=\"verdict\">{}",
        verdict_badge(item.verdict, lang)
    );
    if item.by_statement {
        let _ = write!(
            s,
            "<div class=\"by-st\">{}</div>",
            bi(
                "结论来自开发者声明",
                "verdict from the developer's statement",
                lang
            )
        );
    }
    if let Some(d) = crate::statements::declared(item, lang) {
        let _ = write!(
            s,
            "<div class=\"declared{}\" title=\"{}\">{}</div>",
            if item.unproven() { " unproven" } else { "" },
            esc(&crate::statements::declared_legend(lang)),
            esc(&d)
        );
    }
    s.push_str("</td><td class=\"refs\">");
    if item.findings.is_empty() {
        s.push_str("<span class=\"muted\">—</span>");
    }
    let links: Vec<String> = item
        .findings
        .iter()
        .filter_map(|&i| a.findings.get(i))
        .map(|f| {
            format!(
                "<a href=\"#{}\" title=\"{}\">{}</a>",
                finding_anchor(f),
                esc(&fmt::short(&f.title, lang)),
                esc(&f.short_id())
            )
        })
        .collect();
    s.push_str(&links.join(" "));
    s.push_str("</td></tr>");
}

/// The developer's answers to the item's questions, marked as statements
/// pipa did not verify.
fn statements(s: &mut String, item: &ItemResult, lang: Lang) {
    if item.statements.is_empty() {
        return;
    }
    let _ = write!(
        s,
        "<div class=\"statements\"><div class=\"st-head\">{}</div><ul>",
        bi(
            "开发者声明（pipa 未核实）",
            "Developer's statement, not verified by pipa",
            lang
        )
    );
    for st in &item.statements {
        let (zh, en) = crate::statements::answer_words(st.answer);
        let _ = write!(
            s,
            "<li><span class=\"q\">{}</span> <code>{}</code> → <b class=\"ans ans-{en_class}\">{}</b> \
             <span class=\"muted\">({})</span>",
            text(&st.text, lang),
            esc(&st.question),
            bi(zh, en, lang),
            esc(&pair(
                &format!("此回答给出：{}", st.verdict.zh()),
                &format!("this answer gives: {}", fmt::verdict_en(st.verdict)),
                lang
            )),
            en_class = match st.answer {
                Answer::Yes => "yes",
                Answer::No => "no",
                Answer::Na => "na",
            }
        );
        if st.unproven {
            let proof = pair(
                "未证明：回答“是”但备注为空，问卷要求的证明未给出",
                "unproven: a “yes” with an empty note; the proof the questionnaire asks for is missing",
                lang,
            );
            let _ = write!(s, " <b class=\"unproven\">{}</b>", esc(&proof));
        }
        if let Some(n) = &st.note {
            let _ = write!(
                s,
                "<div class=\"st-note\">{}: {}</div>",
                bi("说明", "note", lang),
                esc(n)
            );
        }
        s.push_str("</li>");
    }
    s.push_str("</ul></div>");
}
