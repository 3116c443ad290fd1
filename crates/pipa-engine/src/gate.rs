//! What people add to an assessment: the developer's answers to the
//! questionnaire (`kb/questionnaire.yaml`) and the baseline of findings a
//! team accepts with a written justification.
//!
//! Both are applied after [`assess`](crate::assess), to the finished
//! [`Assessment`]; parsing the files is the caller's business (the CLI reads
//! YAML and JSON), so these functions take typed values.
//!
//! Answers never clear evidence: an item at `risk` or `violation` from its
//! findings keeps that verdict (a `no` can make it worse, and is marked
//! `by_statement`). Answers never make an item pass either: an item the
//! package leaves `manual` stays `manual`; once every one of its questions is
//! answered `yes`/`na` it is *declared* (`declared: pass`, or
//! `not_applicable` when all are `na`), a state renderers show apart from
//! the verdicts. A `yes` whose question asks for proof with an empty note is
//! `unproven`.

use crate::model::{Accepted, Answer, AnswersInfo, Assessment, BaselineInfo, Statement, Verdict};
use pipa_kb::{IfNo, Kb, Text};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One answer as written in the answers file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerEntry {
    /// `yes`, `no` or `na`; empty (not yet answered) is allowed.
    #[serde(default)]
    pub answer: Option<Answer>,
    /// The developer's note: where, how, since when.
    #[serde(default)]
    pub note: Option<String>,
}

/// The answers file (`pipa questionnaire > answers.yaml`, filled in).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Answers {
    /// `pipa.answers/1`.
    #[serde(default)]
    pub schema: Option<String>,
    /// The app the answers are for (informative; a mismatch is reported by
    /// the caller, not refused).
    #[serde(default)]
    pub app: Option<String>,
    /// Question id → answer.
    #[serde(default)]
    pub answers: BTreeMap<String, AnswerEntry>,
}

/// Schema name of the answers file.
pub const ANSWERS_SCHEMA: &str = "pipa.answers/1";
/// Schema name of the baseline file.
pub const BASELINE_SCHEMA: &str = "pipa.baseline/1";

/// The verdict answer `a` to a question gives its item.
fn verdict_of(answer: Answer, if_no: IfNo) -> Verdict {
    match (answer, if_no) {
        (Answer::Yes, _) => Verdict::Pass,
        (Answer::Na, _) => Verdict::NotApplicable,
        (Answer::No, IfNo::Violation) => Verdict::Violation,
        (Answer::No, IfNo::Risk) => Verdict::Risk,
    }
}

/// Applies the developer's answers to `a`: statements on the items, changed
/// verdicts (see the module doc), and `a.answers` saying what was applied.
/// `source` names the file for the report.
pub fn apply_answers(a: &mut Assessment, kb: &Kb, answers: &Answers, source: &str) {
    let mut info = AnswersInfo {
        source: source.to_string(),
        questions: kb.questions.len(),
        ..AnswersInfo::default()
    };
    info.unknown = answers
        .answers
        .keys()
        .filter(|id| !kb.questions.iter().any(|q| &q.id == *id))
        .cloned()
        .collect();
    for item in &mut a.items {
        let questions: Vec<_> = kb.questions.iter().filter(|q| q.item == item.id).collect();
        if questions.is_empty() {
            continue;
        }
        let mut statements = Vec::new();
        for q in &questions {
            let Some(entry) = answers.answers.get(&q.id) else {
                continue;
            };
            let Some(answer) = entry.answer else {
                continue;
            };
            let note = entry
                .note
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string);
            statements.push(Statement {
                question: q.id.clone(),
                text: Text {
                    zh: q.question.zh.clone(),
                    en: q.question.en.clone(),
                },
                answer,
                verdict: verdict_of(answer, q.if_no),
                unproven: answer == Answer::Yes && q.proof.is_some() && note.is_none(),
                note,
            });
        }
        if statements.is_empty() {
            continue;
        }
        info.answered += statements.len();
        let worst = statements.iter().map(|s| s.verdict).min();
        let complete = statements.len() == questions.len();
        // What the answers alone say: a `no` decides at once; otherwise the
        // item is decided only when every question is answered.
        let stated = match worst {
            Some(v @ (Verdict::Violation | Verdict::Risk)) => Some(v),
            Some(_) if complete => {
                if statements.iter().all(|s| s.answer == Answer::Na) {
                    Some(Verdict::NotApplicable)
                } else {
                    Some(Verdict::Pass)
                }
            }
            _ => None,
        };
        let before = item.verdict;
        let after = match (before, stated) {
            (_, None) => before,
            // Evidence stands; a statement can only make it worse.
            (Verdict::Violation | Verdict::Risk, Some(s)) => before.min(s),
            // A `no` counts against the app whatever the package showed.
            (_, Some(s @ (Verdict::Violation | Verdict::Risk))) => s,
            // `yes`/`na` never make a verdict: an item the package cannot
            // decide is declared, shown apart; one it decided keeps that.
            (Verdict::Manual, Some(s)) => {
                item.declared = Some(s);
                info.items_changed.push(item.id.clone());
                before
            }
            (_, Some(_)) => before,
        };
        if after != before {
            item.verdict = after;
            item.by_statement = true;
            info.items_changed.push(item.id.clone());
        }
        item.statements = statements;
    }
    a.answers = Some(info);
}

/// One accepted finding in the baseline file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    /// The finding id (`perm.dangerous.READ_CONTACTS`).
    pub finding: String,
    /// The verdict it had when accepted: a worse one is not accepted.
    pub verdict: Verdict,
    /// The finding's title when accepted (for the reader of the file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Why it is accepted; required, written by a person.
    #[serde(default)]
    pub justification: String,
    /// Who accepted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// Until when (`YYYY-MM-DD`); after it the finding counts again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
}

/// The baseline file (`pipa-baseline.json`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// `pipa.baseline/1`.
    pub schema: String,
    /// The app it was written for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<String>,
    /// The accepted findings.
    pub accepted: Vec<BaselineEntry>,
}

/// Why a baseline file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaselineError {
    /// Another schema.
    #[error("schema is `{0}`, expected `pipa.baseline/1`")]
    Schema(String),
    /// Entries without a written justification.
    #[error(
        "{} entr{} without a justification ({}): write why each finding is accepted",
        .0.len(),
        if .0.len() == 1 { "y" } else { "ies" },
        .0.join(", ")
    )]
    Unjustified(Vec<String>),
    /// A date that is not `YYYY-MM-DD`.
    #[error("entry `{finding}`: until `{until}` is not a date (YYYY-MM-DD)")]
    BadDate {
        /// The finding id.
        finding: String,
        /// What was written.
        until: String,
    },
}

/// Checks a baseline: the schema, a justification on every entry, dates.
pub fn validate_baseline(b: &Baseline) -> Result<(), BaselineError> {
    if b.schema != BASELINE_SCHEMA {
        return Err(BaselineError::Schema(b.schema.clone()));
    }
    let unjustified: Vec<String> = b
        .accepted
        .iter()
        .filter(|e| e.justification.trim().is_empty())
        .map(|e| e.finding.clone())
        .collect();
    if !unjustified.is_empty() {
        return Err(BaselineError::Unjustified(unjustified));
    }
    for e in &b.accepted {
        if let Some(u) = &e.until
            && !is_date(u)
        {
            return Err(BaselineError::BadDate {
                finding: e.finding.clone(),
                until: u.clone(),
            });
        }
    }
    Ok(())
}

/// `YYYY-MM-DD` with a plausible month and day.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits =
        |r: std::ops::Range<usize>| b[r.clone()].iter().all(u8::is_ascii_digit) && !r.is_empty();
    if !(digits(0..4) && digits(5..7) && digits(8..10)) {
        return false;
    }
    let month: u32 = s[5..7].parse().unwrap_or(0);
    let day: u32 = s[8..10].parse().unwrap_or(0);
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// Applies a validated baseline: findings it accepts are listed in
/// `a.baseline` (they stay in the report, marked accepted); entries past
/// their date, entries whose finding got worse, and entries matching no
/// finding are reported. `today` is `YYYY-MM-DD`. The "what to fix first"
/// block is ranked again without the accepted findings.
pub fn apply_baseline(
    a: &mut Assessment,
    kb: &pipa_kb::Kb,
    b: &Baseline,
    source: &str,
    today: &str,
) {
    let mut info = BaselineInfo {
        source: source.to_string(),
        ..BaselineInfo::default()
    };
    for e in &b.accepted {
        let Some(index) = a.findings.iter().position(|f| f.id == e.finding) else {
            info.stale.push(e.finding.clone());
            continue;
        };
        // ISO dates compare as strings.
        if e.until.as_deref().is_some_and(|u| u < today) {
            info.expired.push(e.finding.clone());
            continue;
        }
        if a.findings[index].verdict < e.verdict {
            info.worse.push(e.finding.clone());
            continue;
        }
        info.accepted.push(Accepted {
            finding: index,
            id: e.finding.clone(),
            justification: e.justification.trim().to_string(),
            by: e.by.clone().filter(|s| !s.trim().is_empty()),
            until: e.until.clone(),
        });
    }
    a.baseline = Some(info);
    // Accepted findings are not what to fix first (`priorities` skips them):
    // the block is ranked again, so lines of open findings fill their places.
    a.priorities = crate::priorities(a, kb);
}

/// A baseline of the findings of `a` at `risk` or `violation`, each with an
/// empty justification for a person to write (`--baseline` refuses the file
/// until every entry has one). Entries of `previous` that still match keep
/// their justification, author and date.
pub fn baseline_of(a: &Assessment, previous: Option<&Baseline>) -> Baseline {
    let accepted = a
        .findings
        .iter()
        .filter(|f| f.verdict <= Verdict::Risk)
        .map(|f| {
            let old = previous.and_then(|p| p.accepted.iter().find(|e| e.finding == f.id));
            BaselineEntry {
                finding: f.id.clone(),
                verdict: f.verdict,
                title: Some(f.title.zh.clone()),
                justification: old.map(|o| o.justification.clone()).unwrap_or_default(),
                by: old.and_then(|o| o.by.clone()),
                until: old.and_then(|o| o.until.clone()),
            }
        })
        .collect();
    Baseline {
        schema: BASELINE_SCHEMA.to_string(),
        app: Some(a.app.id.clone()),
        accepted,
    }
}

/// Today's date (UTC) as `YYYY-MM-DD`.
pub fn today_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard
/// Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(20_424), (2025, 12, 2));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert!(is_date("2026-12-31"));
        assert!(!is_date("2026-13-01"));
        assert!(!is_date("26-12-01"));
        assert!(!is_date("2026/12/01"));
        assert!(today_utc().as_str() > "2025-01-01");
    }

    #[test]
    fn verdict_of_answers() {
        assert_eq!(verdict_of(Answer::Yes, IfNo::Violation), Verdict::Pass);
        assert_eq!(verdict_of(Answer::No, IfNo::Violation), Verdict::Violation);
        assert_eq!(verdict_of(Answer::No, IfNo::Risk), Verdict::Risk);
        assert_eq!(verdict_of(Answer::Na, IfNo::Risk), Verdict::NotApplicable);
    }

    #[test]
    fn baseline_validation() {
        let entry = |j: &str, until: Option<&str>| BaselineEntry {
            finding: "perm.x".into(),
            verdict: Verdict::Risk,
            title: None,
            justification: j.into(),
            by: None,
            until: until.map(String::from),
        };
        let mut b = Baseline {
            schema: BASELINE_SCHEMA.into(),
            app: None,
            accepted: vec![entry("needed for the map", Some("2027-06-30"))],
        };
        assert_eq!(validate_baseline(&b), Ok(()));
        b.accepted.push(entry("  ", None));
        assert!(matches!(
            validate_baseline(&b),
            Err(BaselineError::Unjustified(v)) if v == ["perm.x"]
        ));
        b.accepted[1] = entry("ok", Some("next year"));
        assert!(matches!(
            validate_baseline(&b),
            Err(BaselineError::BadDate { .. })
        ));
        b.accepted.pop();
        b.schema = "other/1".into();
        assert!(matches!(
            validate_baseline(&b),
            Err(BaselineError::Schema(_))
        ));
    }
}
