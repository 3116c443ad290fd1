//! The 16 elements of `privacy_policy_elements.yaml`, each decided from the
//! signals `kb/policy.yaml` gives it: phrases in a sentence (with a second
//! phrase, or a regular expression), or a check the code makes on what the
//! analysis found (operator, contacts, dates, PI declared, open lists,
//! sensitive PI marked, third parties named, time limits, language).

use crate::analyse::{MAX_SIGNAL_EVIDENCE, url_re};
use crate::document::Document;
use crate::lexicon::{Element, Lexicon, Signal};
use crate::model::*;
use pipa_kb::Text;
use std::collections::HashMap;

/// Longest time limit the rules allow (191-6.3, 191-6.5): 15 working days.
pub const MAX_DAYS: u32 = 15;

/// Evaluates every element of the lexicon against the report so far.
pub(crate) fn evaluate(doc: &Document, lex: &Lexicon, r: &PolicyReport) -> Vec<ElementResult> {
    // Phrase ids per sentence; a phrase inside a URL (HTTPS in
    // https://…/privacy) is not one.
    let urls: Vec<(usize, usize)> = url_re()
        .find_iter(&doc.text)
        .map(|u| (u.start(), u.end()))
        .collect();
    let mut per_sentence: HashMap<usize, Vec<u32>> = HashMap::new();
    for m in lex.phrases.find_overlapping_iter(&doc.text) {
        let u = urls.partition_point(|&(_, e)| e <= m.start());
        if urls.get(u).is_some_and(|&(s, _)| s <= m.start()) {
            continue;
        }
        let c = doc.char_at(m.start());
        if let Some(s) = doc.sentence_at(c) {
            let v = per_sentence.entry(s).or_default();
            let p = m.pattern().as_u32();
            if !v.contains(&p) {
                v.push(p);
            }
        }
    }
    let mut sorted: Vec<usize> = per_sentence.keys().copied().collect();
    sorted.sort_unstable();
    lex.elements
        .iter()
        .map(|e| element(doc, e, r, &per_sentence, &sorted))
        .collect()
}

fn sentence_span(doc: &Document, s: usize) -> Span {
    let x = doc.sentences[s];
    Span {
        text: doc.slice(x.start, x.end).to_string(),
        start: x.start,
        end: x.end,
        terms: Vec::new(),
    }
}

fn phrases(
    doc: &Document,
    sig: &Signal,
    per: &HashMap<usize, Vec<u32>>,
    sorted: &[usize],
) -> Vec<Span> {
    let mut out = Vec::new();
    let has = |s: usize, set: &[u32]| {
        per.get(&s)
            .is_some_and(|v| v.iter().any(|p| set.contains(p)))
    };
    let candidates: Box<dyn Iterator<Item = usize>> = if sig.any.is_empty() {
        Box::new(0..doc.sentences.len())
    } else {
        Box::new(sorted.iter().copied().filter(|&s| has(s, &sig.any)))
    };
    for s in candidates {
        if !sig.with.is_empty() && !has(s, &sig.with) {
            continue;
        }
        if let Some(re) = &sig.regex
            && !re.is_match(doc.sentence_text(s))
        {
            continue;
        }
        out.push(sentence_span(doc, s));
        if out.len() >= MAX_SIGNAL_EVIDENCE {
            break;
        }
    }
    out
}

/// The names `computed:` may take in `kb/policy.yaml` (those `computed`
/// knows; any other is never found).
#[cfg(test)]
const COMPUTED: &[&str] = &[
    "operator",
    "contact",
    "date",
    "pi_declared",
    "no_vague_pi",
    "sensitive_marked",
    "sensitive_declared",
    "sdk_policy_link",
    "third_party_named",
    "time_limit_15",
    "simplified_chinese",
];

/// A computed signal: (found, evidence).
fn computed(name: &str, r: &PolicyReport) -> (bool, Vec<Span>) {
    let take = |v: Vec<Span>| v.into_iter().take(MAX_SIGNAL_EVIDENCE).collect::<Vec<_>>();
    match name {
        "operator" => (
            r.operator.is_some(),
            r.operator.iter().map(|f| f.evidence.clone()).collect(),
        ),
        "contact" => (
            !r.contacts.is_empty(),
            take(r.contacts.iter().map(|f| f.evidence.clone()).collect()),
        ),
        "date" => (
            !r.dates.is_empty(),
            take(r.dates.iter().map(|f| f.evidence.clone()).collect()),
        ),
        "pi_declared" => (
            !r.pi_types.is_empty(),
            take(
                r.pi_types
                    .iter()
                    .filter_map(|p| p.evidence.first().cloned())
                    .collect(),
            ),
        ),
        // Checks: satisfied when nothing breaks them; the evidence is what does.
        "no_vague_pi" => (r.vague.is_empty(), take(r.vague.clone())),
        "sensitive_marked" => {
            let unmarked: Vec<Span> = r
                .pi_types
                .iter()
                .filter(|p| p.sensitive && !p.marked)
                .filter_map(|p| p.evidence.first().cloned())
                .collect();
            (unmarked.is_empty(), take(unmarked))
        }
        "sensitive_declared" => (
            r.pi_types.iter().any(|p| p.sensitive),
            take(
                r.pi_types
                    .iter()
                    .filter(|p| p.sensitive)
                    .filter_map(|p| p.evidence.first().cloned())
                    .collect(),
            ),
        ),
        "sdk_policy_link" => (
            r.third_parties.iter().any(|t| t.policy_url.is_some()),
            take(
                r.third_parties
                    .iter()
                    .filter_map(|t| {
                        let url = t.policy_url.as_deref()?;
                        t.evidence
                            .iter()
                            .find(|e| e.text.contains(url))
                            .or(t.evidence.first())
                            .cloned()
                    })
                    .collect(),
            ),
        ),
        "third_party_named" => (
            !r.third_parties.is_empty(),
            take(
                r.third_parties
                    .iter()
                    .filter_map(|t| t.evidence.first().cloned())
                    .collect(),
            ),
        ),
        "time_limit_15" => {
            let over: Vec<Span> = r
                .time_limits
                .iter()
                .filter(|t| t.days > MAX_DAYS)
                .map(|t| t.evidence.clone())
                .collect();
            if over.is_empty() {
                (
                    !r.time_limits.is_empty(),
                    take(r.time_limits.iter().map(|t| t.evidence.clone()).collect()),
                )
            } else {
                (false, take(over))
            }
        }
        "simplified_chinese" => (r.language.simplified_chinese, Vec::new()),
        _ => (false, Vec::new()),
    }
}

fn element(
    doc: &Document,
    e: &Element,
    r: &PolicyReport,
    per: &HashMap<usize, Vec<u32>>,
    sorted: &[usize],
) -> ElementResult {
    let mut signals = Vec::new();
    for sig in &e.signals {
        let (found, evidence) = match &sig.computed {
            Some(c) => computed(c, r),
            None => {
                let ev = phrases(doc, sig, per, sorted);
                (!ev.is_empty(), ev)
            }
        };
        signals.push(SignalResult {
            id: sig.id.clone(),
            name: sig.name.clone(),
            required: sig.required,
            found,
            evidence,
            rules_191: sig.rules_191.clone(),
        });
    }
    let spec = &e.spec;
    let required: Vec<&SignalResult> = signals.iter().filter(|s| s.required).collect();
    let any_found = signals.iter().any(|s| s.found && !s.evidence.is_empty())
        || required.iter().any(|s| s.found);
    let all_required = !required.is_empty() && required.iter().all(|s| s.found);
    let applies = spec
        .applies_if
        .as_ref()
        .is_none_or(|id| signals.iter().any(|s| &s.id == id && s.found));
    let verdict = match spec.decided_by.as_str() {
        _ if !applies => ElementVerdict::NotApplicable,
        "manual" => ElementVerdict::Manual,
        "miniprogram" => ElementVerdict::NotApplicable,
        _ if all_required => ElementVerdict::Pass,
        _ if any_found => ElementVerdict::Partial,
        _ => ElementVerdict::Missing,
    };
    let mut evidence: Vec<Span> = Vec::new();
    for s in &signals {
        if !s.found {
            continue;
        }
        for sp in &s.evidence {
            if evidence.len() < 5 && !evidence.iter().any(|x| x.start == sp.start) {
                evidence.push(sp.clone());
            }
        }
    }
    let note = match spec.decided_by.as_str() {
        "text" => None,
        "miniprogram" => Some(Text {
            zh: "仅适用于微信小程序：在小程序管理后台配置《小程序用户隐私保护指引》。".into(),
            en: "WeChat mini programs only: the privacy guide is configured in the mini program's admin console.".into(),
        }),
        _ => spec.manual.clone(),
    };
    ElementResult {
        id: spec.id.clone(),
        name: spec.name.clone(),
        verdict,
        basis: spec.basis.clone(),
        rules_191: spec.rules_191.clone(),
        signals,
        evidence,
        note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_computed_signal_is_known() {
        for e in &Lexicon::embedded().elements {
            for sig in &e.signals {
                if let Some(c) = &sig.computed {
                    assert!(
                        COMPUTED.contains(&c.as_str()),
                        "{} signal {}: unknown computed {c}",
                        e.spec.id,
                        sig.id
                    );
                }
            }
        }
    }
}
