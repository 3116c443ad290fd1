//! The summary's charts, as inline SVG: a donut of the items by verdict, and
//! one bar per subject (the app, each SDK, unknown third-party code) with a
//! segment per PI type its code reaches.

use super::esc::{bi, esc, verdict_class};
use crate::Lang;
use crate::fmt;
use crate::summary::Summary;
use pipa_engine::Assessment;
use pipa_kb::Kb;
use std::collections::BTreeSet;
use std::fmt::Write;

/// Colours cycled over PI types (CSS classes `c0` … `c11`).
const PI_COLOURS: usize = 12;

/// The donut: one arc per verdict with items, the number of items inside.
pub fn donut(sum: &Summary, lang: Lang) -> String {
    let total: usize = sum.items.iter().map(|(_, n)| n).sum::<usize>() + sum.declared;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"donut\" viewBox=\"0 0 42 42\" role=\"img\" aria-label=\"{}\">\
         <circle class=\"ring\" cx=\"21\" cy=\"21\" r=\"15.9155\"/>",
        esc(&items_label(sum, lang))
    );
    // The circumference is 100: lengths are percentages; arcs start at 12 o'clock.
    let mut done = 0.0;
    for (v, n) in &sum.items {
        if *n == 0 || total == 0 {
            continue;
        }
        let pct = *n as f64 * 100.0 / total as f64;
        let _ = write!(
            s,
            "<circle class=\"arc {}\" cx=\"21\" cy=\"21\" r=\"15.9155\" \
             stroke-dasharray=\"{pct:.3} {:.3}\" stroke-dashoffset=\"{:.3}\">\
             <title>{}: {n}</title></circle>",
            verdict_class(*v),
            100.0 - pct,
            25.0 - done,
            esc(&fmt::verdict(*v, lang)),
        );
        done += pct;
    }
    if sum.declared > 0 && total > 0 {
        // The developer's word: an arc of its own, never the pass colour.
        let pct = sum.declared as f64 * 100.0 / total as f64;
        let _ = write!(
            s,
            "<circle class=\"arc declared\" cx=\"21\" cy=\"21\" r=\"15.9155\" \
             stroke-dasharray=\"{pct:.3} {:.3}\" stroke-dashoffset=\"{:.3}\">\
             <title>{}: {}</title></circle>",
            100.0 - pct,
            25.0 - done,
            esc(&crate::statements::declared_word(lang)),
            sum.declared
        );
    }
    let _ = write!(
        s,
        "<text class=\"total\" x=\"21\" y=\"23.5\">{total}</text>\
         <text class=\"unit\" x=\"21\" y=\"28.5\">{}</text></svg>",
        match lang {
            Lang::Both => "项 items",
            Lang::Zh => "项",
            Lang::En => "items",
        }
    );
    s
}

/// `违规 violation 1, 风险 risk 2, …` for screen readers.
fn items_label(sum: &Summary, lang: Lang) -> String {
    let mut parts: Vec<String> = sum
        .items
        .iter()
        .map(|(v, n)| format!("{} {n}", fmt::verdict(*v, lang)))
        .collect();
    if sum.declared > 0 {
        parts.push(format!(
            "{} {}",
            crate::statements::declared_word(lang),
            sum.declared
        ));
    }
    parts.join(", ")
}

/// A subject's name: the app's own code, an SDK by its name, unknown code.
pub fn subject_name(a: &Assessment, subject: &str, lang: Lang) -> String {
    match subject {
        "app" => bi("应用自身代码", "the app's own code", lang),
        "unknown-third-party" => bi("未识别的第三方代码", "unknown third-party code", lang),
        s => match s.strip_prefix("sdk:") {
            Some(id) => match a.sdks.iter().find(|x| x.id == id) {
                Some(x) => format!(
                    "{} <code>{}</code>",
                    esc(&crate::sdk::name(x, lang)),
                    esc(id)
                ),
                None => format!("SDK <code>{}</code>", esc(id)),
            },
            None => format!("<code>{}</code>", esc(s)),
        },
    }
}

/// PI types by subject: a legend, then a row per subject with a bar of one
/// equal segment per PI type (hover: call sites) and the number of types
/// and call sites. `None` when no code reaches any PI type.
pub fn pi_by_subject(a: &Assessment, kb: &Kb, sum: &Summary, lang: Lang) -> Option<String> {
    if sum.pi_by_subject.is_empty() {
        return None;
    }
    let types: Vec<&String> = sum
        .pi_by_subject
        .values()
        .flat_map(|m| m.keys())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let colour = |t: &str| types.iter().position(|x| *x == t).unwrap_or(0) % PI_COLOURS;
    let widest = sum
        .pi_by_subject
        .values()
        .map(|m| m.len())
        .max()
        .unwrap_or(1)
        .max(1);
    let mut s = String::from("<div class=\"legend\">");
    for t in &types {
        let _ = write!(
            s,
            "<span><i class=\"sw c{}\"></i>{}</span>",
            colour(t),
            esc(&fmt::pi_name(kb, t, lang))
        );
    }
    s.push_str("</div><div class=\"bars\">");
    for (subject, m) in &sum.pi_by_subject {
        let sites: usize = m.values().sum();
        let _ = write!(
            s,
            "<div class=\"bar-row\"><div class=\"bar-label\">{}</div>\
             <svg class=\"bar\" viewBox=\"0 0 {widest} 1\" preserveAspectRatio=\"none\" \
             role=\"img\" aria-label=\"{}\">",
            subject_name(a, subject, lang),
            esc(&m
                .iter()
                .map(|(t, n)| format!("{} {n}", fmt::pi_name(kb, t, lang)))
                .collect::<Vec<_>>()
                .join(", "))
        );
        for (i, (t, n)) in m.iter().enumerate() {
            let _ = write!(
                s,
                "<rect class=\"c{}\" x=\"{i}\" y=\"0\" width=\"0.96\" height=\"1\">\
                 <title>{}: {n}</title></rect>",
                colour(t),
                esc(&fmt::pi_name(kb, t, lang))
            );
        }
        let _ = write!(
            s,
            "</svg><div class=\"bar-n\">{}</div></div>",
            match lang {
                Lang::Both => format!(
                    "{} 类 · {sites} 处调用 <span class=\"en\">{}</span>",
                    m.len(),
                    counted(m.len(), sites)
                ),
                Lang::Zh => format!("{} 类 · {sites} 处调用", m.len()),
                Lang::En => counted(m.len(), sites),
            }
        );
    }
    s.push_str("</div>");
    Some(s)
}

/// `1 type · 2 call sites`.
fn counted(types: usize, sites: usize) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{} · {}",
        plural(types, "type", "types"),
        plural(sites, "call site", "call sites")
    )
}
