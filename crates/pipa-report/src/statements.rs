//! What people added to the assessment, as every renderer shows it: the
//! developer's answers (`scan --answers`, shown as their statements, never as
//! evidence) and the baseline of accepted findings (`scan --baseline`).

use crate::Lang;
use crate::fmt::{self, pair};
use pipa_engine::{Accepted, Answer, Assessment, ItemResult, Statement};
/// A manual item with no finding, statement or declaration: nothing to read
/// but its check method (the short forms list such items as one line of ids).
pub(crate) fn quiet(item: &ItemResult) -> bool {
    item.verdict == pipa_engine::Verdict::Manual
        && item.findings.is_empty()
        && item.statements.is_empty()
        && item.declared.is_none()
}

/// The item's verdict label, with `*` when it comes from the developer's
/// statements (the legend is [`stated_legend`]), and the developer's
/// declaration beside it when there is one ([`declared`]).
pub(crate) fn item_verdict(item: &ItemResult, lang: Lang) -> String {
    let v = fmt::verdict(item.verdict, lang);
    if item.by_statement {
        format!("{v} *")
    } else if let Some(d) = declared(item, lang) {
        format!("{v} · {d}")
    } else {
        v
    }
}

/// `自述 declared: 通过 pass`, with `（未证明 unproven）` when a `yes` lacks
/// its proof; `None` when the developer declared nothing for the item.
pub(crate) fn declared(item: &ItemResult, lang: Lang) -> Option<String> {
    let d = item.declared?;
    let mut s = format!("{}: {}", declared_word(lang), fmt::verdict(d, lang));
    if item.unproven() {
        s.push_str(&format!(" ({})", unproven_word(lang)));
    }
    Some(s)
}

/// `自述 declared`: the state of an item settled only by the developer's word.
pub(crate) fn declared_word(lang: Lang) -> String {
    pair("自述", "declared", lang)
}

/// `未证明 unproven`: a `yes` whose question asks for proof, with no note.
pub(crate) fn unproven_word(lang: Lang) -> String {
    pair("未证明", "unproven", lang)
}

/// The declared items in a line for the summary, or `None` without any:
/// `自述 declared 5（开发者声明，pipa 未核实，不计为通过；其中 5 项未证明）`.
pub(crate) fn declared_count(sum: &crate::Summary, lang: Lang) -> Option<String> {
    if sum.declared == 0 {
        return None;
    }
    let zh = format!(
        "开发者声明，pipa 未核实，不计为通过{}",
        if sum.unproven > 0 {
            format!("；其中 {} 项未证明", sum.unproven)
        } else {
            String::new()
        }
    );
    let en = format!(
        "the developer's statement, not verified by pipa, never counted as a pass{}",
        if sum.unproven > 0 {
            format!("; {} of them unproven", sum.unproven)
        } else {
            String::new()
        }
    );
    Some(format!(
        "{} {} ({})",
        declared_word(lang),
        sum.declared,
        lang.pick(zh.clone(), en.clone(), format!("{zh} / {en}"))
    ))
}

/// What the declared state means, for the legend under the item table.
pub(crate) fn declared_legend(lang: Lang) -> String {
    pair(
        "自述：安装包无法判定该项，开发者的问卷回答称其符合（或不适用）；这是声明，不是核实，不计为通过。未证明：回答“是”但未按问卷要求在备注中给出证明（截图、路径、检测记录）。",
        "declared: the package cannot decide the item and the developer's answers say it complies (or does not apply); a statement, not a verification, never counted as a pass. unproven: a “yes” without the proof the questionnaire asks for in its note (screenshot, path, test record).",
        lang,
    )
}

/// What `*` beside a verdict means.
pub(crate) fn stated_legend(lang: Lang) -> String {
    pair(
        "* 结论来自开发者的问卷回答（声明，pipa 未核实）",
        "* verdict from the developer's answers to the questionnaire (their statement, not verified by pipa)",
        lang,
    )
}

/// The words of an answer: (`否`, `no`).
pub(crate) fn answer_words(a: Answer) -> (&'static str, &'static str) {
    match a {
        Answer::Yes => ("是", "yes"),
        Answer::No => ("否", "no"),
        Answer::Na => ("不适用", "n/a"),
    }
}

/// `是 yes`, `否 no`, `不适用 n/a`.
pub(crate) fn answer(a: Answer, lang: Lang) -> String {
    let (zh, en) = answer_words(a);
    match lang {
        Lang::Both => format!("{zh} {en}"),
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

/// One statement in a line: `问题 — 否 no（备注：…）`.
pub(crate) fn statement_line(st: &Statement, lang: Lang) -> String {
    let q = match lang {
        Lang::Both | Lang::Zh => st.text.zh.as_str(),
        Lang::En => st.text.en.as_str(),
    };
    let mut line = format!("{q} — {}", answer(st.answer, lang));
    if st.unproven {
        line.push_str(&format!(" [{}]", unproven_word(lang)));
    }
    if let Some(n) = &st.note {
        line.push_str(&match lang {
            Lang::Both => format!("（备注 / note: {n}）"),
            Lang::Zh => format!("（备注：{n}）"),
            Lang::En => format!(" (note: {n})"),
        });
    }
    line
}

/// The answers file in a line: where from, how many answered, items decided.
pub(crate) fn answers_summary(a: &Assessment, lang: Lang) -> Option<String> {
    let info = a.answers.as_ref()?;
    let stated = a.items.iter().filter(|i| i.by_statement).count();
    let declared = a.items.iter().filter(|i| i.declared.is_some()).count();
    let unproven = a.items.iter().filter(|i| i.unproven()).count();
    let mut line = match lang {
        Lang::Both => format!(
            "开发者问卷 {}：已答 {}/{} 题，{} 项结论来自回答（标 *），{} 项自述（不计为通过，{} 项未证明） / developer's answers {}: {}/{} answered, {} item verdicts from them (marked *), {} declared (never counted as a pass, {} unproven)",
            info.source,
            info.answered,
            info.questions,
            stated,
            declared,
            unproven,
            info.source,
            info.answered,
            info.questions,
            stated,
            declared,
            unproven
        ),
        Lang::Zh => format!(
            "开发者问卷 {}：已答 {}/{} 题，{} 项结论来自回答（标 *），{} 项自述（不计为通过，{} 项未证明）",
            info.source, info.answered, info.questions, stated, declared, unproven
        ),
        Lang::En => format!(
            "Developer's answers {}: {}/{} answered, {} item verdicts from them (marked *), {} declared (never counted as a pass, {} unproven)",
            info.source, info.answered, info.questions, stated, declared, unproven
        ),
    };
    if !info.unknown.is_empty() {
        line.push_str(&format!(
            "; {}: {}",
            pair("未知题号（已忽略）", "unknown question ids (ignored)", lang),
            info.unknown.join(", ")
        ));
    }
    Some(line)
}

/// The baseline in a line: accepted, expired, worse, stale.
pub(crate) fn baseline_summary(a: &Assessment, lang: Lang) -> Option<String> {
    let b = a.baseline.as_ref()?;
    let mut line = match lang {
        Lang::Both => format!(
            "基线 {}：已接受 {} 项发现 / baseline {}: {} {} accepted",
            b.source,
            b.accepted.len(),
            b.source,
            b.accepted.len(),
            crate::fmt::plural(b.accepted.len(), "finding", "findings")
        ),
        Lang::Zh => format!("基线 {}：已接受 {} 项发现", b.source, b.accepted.len()),
        Lang::En => format!(
            "Baseline {}: {} {} accepted",
            b.source,
            b.accepted.len(),
            crate::fmt::plural(b.accepted.len(), "finding", "findings")
        ),
    };
    for (zh, en, list) in [
        ("已过期", "expired", &b.expired),
        ("已加重", "got worse", &b.worse),
        ("已无对应发现", "match nothing", &b.stale),
    ] {
        if !list.is_empty() {
            line.push_str(&format!("; {}: {}", pair(zh, en, lang), list.join(", ")));
        }
    }
    Some(line)
}

/// `已接受 accepted: justification (by …, until …)`.
pub(crate) fn accepted_line(acc: &Accepted, lang: Lang) -> String {
    let mut line = format!(
        "{}: {}",
        pair("已接受（基线）", "accepted (baseline)", lang),
        acc.justification
    );
    let mut who = Vec::new();
    if let Some(by) = &acc.by {
        who.push(format!("{} {by}", pair("由", "by", lang)));
    }
    if let Some(u) = &acc.until {
        who.push(format!("{} {u}", pair("至", "until", lang)));
    }
    if !who.is_empty() {
        line.push_str(&format!(" ({})", who.join(", ")));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::sample;
    use pipa_engine::{AnswersInfo, BaselineInfo, Verdict};
    use pipa_kb::Text;

    #[test]
    fn labels_and_summaries() {
        let mut a = sample();
        assert!(answers_summary(&a, Lang::Both).is_none());
        assert!(baseline_summary(&a, Lang::En).is_none());
        let item = &mut a.items[1];
        item.by_statement = true;
        item.statements.push(Statement {
            question: "191-1.2.first-run".into(),
            text: Text {
                zh: "首次运行提示？".into(),
                en: "First-run prompt?".into(),
            },
            answer: Answer::No,
            verdict: Verdict::Violation,
            note: Some("planned for 2.0".into()),
            unproven: false,
        });
        let item = item.clone();
        assert!(item_verdict(&item, Lang::En).ends_with(" *"));
        let line = statement_line(&item.statements[0], Lang::En);
        assert_eq!(line, "First-run prompt? — no (note: planned for 2.0)");
        assert!(statement_line(&item.statements[0], Lang::Both).contains("否 no"));
        a.answers = Some(AnswersInfo {
            source: "answers.yaml".into(),
            answered: 1,
            questions: 32,
            items_changed: vec![item.id.clone()],
            unknown: vec!["9.9.x".into()],
        });
        let s = answers_summary(&a, Lang::En).expect("summary");
        assert!(
            s.contains("1/32 answered, 1 item verdicts")
                && s.contains("0 declared")
                && s.contains("9.9.x"),
            "{s}"
        );
        a.baseline = Some(BaselineInfo {
            source: "b.json".into(),
            accepted: vec![Accepted {
                finding: 0,
                id: a.findings[0].id.clone(),
                justification: "kiosk app, no accounts".into(),
                by: Some("Li".into()),
                until: Some("2027-01-31".into()),
            }],
            stale: vec!["old.one".into()],
            ..Default::default()
        });
        let s = baseline_summary(&a, Lang::En).expect("summary");
        assert!(
            s.contains("1 finding accepted") && s.contains("match nothing: old.one"),
            "{s}"
        );
        let acc = a.accepted(0).expect("accepted");
        assert_eq!(
            accepted_line(acc, Lang::En),
            "accepted (baseline): kiosk app, no accounts (by Li, until 2027-01-31)"
        );
    }

    /// An item the package cannot decide, every question answered `yes`
    /// with an empty note: declared, unproven, and a pass nowhere.
    #[test]
    fn declared_items_are_never_a_pass_in_any_format() {
        let mut a = sample();
        let kb = crate::testdata::kb();
        let plain = crate::Summary::of(&a);
        let pass = |s: &crate::Summary| {
            s.items
                .iter()
                .find(|(v, _)| *v == Verdict::Pass)
                .map(|x| x.1)
        };
        let manual = |s: &crate::Summary| {
            s.items
                .iter()
                .find(|(v, _)| *v == Verdict::Manual)
                .map(|x| x.1)
        };
        let item = a
            .items
            .iter_mut()
            .find(|i| i.verdict == Verdict::Manual)
            .expect("a manual item");
        let id = item.id.clone();
        item.declared = Some(Verdict::Pass);
        item.statements.push(Statement {
            question: format!("{id}.q"),
            text: Text {
                zh: "是否符合？".into(),
                en: "Does it comply?".into(),
            },
            answer: Answer::Yes,
            verdict: Verdict::Pass,
            note: None,
            unproven: true,
        });
        a.answers = Some(AnswersInfo {
            source: "answers.yaml".into(),
            answered: 1,
            questions: 32,
            items_changed: vec![id.clone()],
            unknown: vec![],
        });
        let sum = crate::Summary::of(&a);
        assert_eq!((sum.declared, sum.unproven), (1, 1));
        assert_eq!(pass(&sum), pass(&plain), "a declaration is not a pass");
        assert_eq!(manual(&sum), manual(&plain).map(|n| n - 1));
        let total: usize = sum.items.iter().map(|x| x.1).sum::<usize>() + sum.declared;
        assert_eq!(total, a.items.len());
        let label = item_verdict(
            &a.items.iter().find(|i| i.id == id).expect("item").clone(),
            Lang::Both,
        );
        assert_eq!(
            label,
            "需人工确认 manual · 自述 declared: 通过 pass (未证明 unproven)"
        );
        // Every format names the state, apart from the verdicts.
        for lang in [Lang::Both, Lang::En] {
            let md = crate::markdown(&a, &kb, lang);
            let text = crate::terminal(&a, &kb, lang);
            let html = crate::html(&a, &kb, lang);
            for (name, out) in [("md", &md), ("text", &text), ("html", &html)] {
                assert!(out.contains(&declared_word(lang)), "{name} {lang:?}");
                assert!(out.contains(&unproven_word(lang)), "{name} {lang:?}");
            }
            assert!(html.contains("class=\"card declared\""));
            assert!(html.contains("class=\"arc declared\""));
        }
        let sarif = crate::sarif::log(&a, &kb, Lang::En);
        let it = sarif["runs"][0]["properties"]["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["id"] == id.as_str())
            .expect("item")
            .clone();
        assert_eq!(
            (it["verdict"].as_str(), it["declared"].as_str()),
            (Some("manual"), Some("pass"))
        );
        assert_eq!(it["unproven"], true);
        let tables = crate::xlsx::tables(&a, &kb, Lang::En);
        let row = tables[1]
            .rows
            .iter()
            .find(|r| r[0] == crate::xlsx::Cell::Text(id.clone()))
            .expect("row");
        assert_eq!(row[4], crate::xlsx::Cell::Verdict(Verdict::Manual));
        assert_eq!(
            row[10],
            crate::xlsx::Cell::Text("declared: pass (unproven)".into())
        );
        // --fail-on: a declaration neither passes nor fails anything.
        for t in [Verdict::Risk, Verdict::Violation] {
            assert_eq!(crate::fails_at(&a, t), crate::fails_at(&sample(), t));
            assert_eq!(crate::failing(&a, t), crate::failing(&sample(), t));
        }
    }
}
