//! What people added to the assessment, as every renderer shows it: the
//! developer's answers (`scan --answers`, shown as their statements, never as
//! evidence) and the baseline of accepted findings (`scan --baseline`).

use crate::Lang;
use crate::fmt::{self, pair};
use pipa_engine::{Accepted, Answer, Assessment, ItemResult, Statement};

/// The item's verdict label, with `*` when it comes from the developer's
/// statements (the legend is [`STATED_LEGEND`]).
pub(crate) fn item_verdict(item: &ItemResult, lang: Lang) -> String {
    let v = fmt::verdict(item.verdict, lang);
    if item.by_statement {
        format!("{v} *")
    } else {
        v
    }
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
        Lang::Zh => format!("{zh} {en}"),
        Lang::En => en.to_string(),
    }
}

/// One statement in a line: `问题 — 否 no（备注：…）`.
pub(crate) fn statement_line(st: &Statement, lang: Lang) -> String {
    let q = match lang {
        Lang::Zh => st.text.zh.as_str(),
        Lang::En => st.text.en.as_str(),
    };
    let mut line = format!("{q} — {}", answer(st.answer, lang));
    if let Some(n) = &st.note {
        line.push_str(&match lang {
            Lang::Zh => format!("（备注 / note: {n}）"),
            Lang::En => format!(" (note: {n})"),
        });
    }
    line
}

/// The answers file in a line: where from, how many answered, items decided.
pub(crate) fn answers_summary(a: &Assessment, lang: Lang) -> Option<String> {
    let info = a.answers.as_ref()?;
    let stated = a.items.iter().filter(|i| i.by_statement).count();
    let mut line = match lang {
        Lang::Zh => format!(
            "开发者问卷 {}：已答 {}/{} 题，{} 项结论来自回答（标 *） / developer's answers {}: {}/{} answered, {} item verdicts from them (marked *)",
            info.source,
            info.answered,
            info.questions,
            stated,
            info.source,
            info.answered,
            info.questions,
            stated
        ),
        Lang::En => format!(
            "Developer's answers {}: {}/{} answered, {} item verdicts from them (marked *)",
            info.source, info.answered, info.questions, stated
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
        Lang::Zh => format!(
            "基线 {}：已接受 {} 项发现 / baseline {}: {} {} accepted",
            b.source,
            b.accepted.len(),
            b.source,
            b.accepted.len(),
            crate::fmt::plural(b.accepted.len(), "finding", "findings")
        ),
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
        assert!(answers_summary(&a, Lang::Zh).is_none());
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
        });
        let item = item.clone();
        assert!(item_verdict(&item, Lang::En).ends_with(" *"));
        let line = statement_line(&item.statements[0], Lang::En);
        assert_eq!(line, "First-run prompt? — no (note: planned for 2.0)");
        assert!(statement_line(&item.statements[0], Lang::Zh).contains("否 no"));
        a.answers = Some(AnswersInfo {
            source: "answers.yaml".into(),
            answered: 1,
            questions: 32,
            items_changed: vec![item.id.clone()],
            unknown: vec!["9.9.x".into()],
        });
        let s = answers_summary(&a, Lang::En).expect("summary");
        assert!(
            s.contains("1/32 answered, 1 item verdicts") && s.contains("9.9.x"),
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
}
