//! Is this text a privacy policy at all? `pipa policy` refuses text that is
//! not (a 25-character note would otherwise get a report of ten missing
//! elements). The test and its figures are data (`kb/policy.yaml`
//! `recognition`): enough characters, enough of a policy's vocabulary, and a
//! title naming it a policy in a heading or its opening — or, for policies
//! whose title was lost, much more of that vocabulary.

use crate::{BlockKind, Document};
use pipa_kb::PolicyRecognition;

/// What the test found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recognition {
    /// Characters of text.
    pub chars: usize,
    /// Distinct vocabulary terms found.
    pub terms: Vec<String>,
    /// The title found, in a heading or the opening.
    pub title: Option<String>,
    /// Occurrences of the words of a text that speaks to its user.
    pub voice: usize,
    /// Why it is not a policy (empty: it is one).
    pub reasons: Vec<String>,
}

impl Recognition {
    /// True when the text passed the test.
    pub fn is_policy(&self) -> bool {
        self.reasons.is_empty()
    }
}

/// Applies the test `r` to `doc`.
pub fn recognise(doc: &Document, r: &PolicyRecognition) -> Recognition {
    let chars = doc.chars();
    let lower = doc.text.to_lowercase();
    let terms: Vec<String> = r
        .terms
        .iter()
        .filter(|t| lower.contains(&t.to_lowercase()))
        .cloned()
        .collect();
    let opening: String = lower.chars().take(r.title_within).collect();
    let headings: Vec<String> = doc
        .blocks
        .iter()
        .filter(|b| matches!(b.kind, BlockKind::Heading(_)))
        .map(|b| doc.slice(b.start, b.end).to_lowercase())
        .collect();
    let title = r
        .titles
        .iter()
        .find(|t| {
            let t = t.to_lowercase();
            opening.contains(&t) || headings.iter().any(|h| h.contains(&t))
        })
        .cloned();
    let voice: usize = r
        .voice
        .iter()
        .map(|w| lower.matches(&w.to_lowercase()).count())
        .sum();
    let mut reasons = Vec::new();
    if chars < r.min_chars {
        reasons.push(format!(
            "{chars} characters of text (a policy has at least {})",
            r.min_chars
        ));
    }
    if terms.len() < r.min_terms {
        reasons.push(format!(
            "{} of a policy's terms ({}; at least {} needed)",
            terms.len(),
            if terms.is_empty() {
                "none".to_string()
            } else {
                terms.join(", ")
            },
            r.min_terms
        ));
    }
    if title.is_none() && terms.len() < r.untitled_terms {
        reasons.push(format!(
            "no heading or opening names it a privacy policy ({} …), and it has fewer than {} of a policy's terms",
            r.titles.iter().take(3).cloned().collect::<Vec<_>>().join(", "),
            r.untitled_terms
        ));
    }
    if voice < r.min_voice {
        reasons.push(format!(
            "it does not speak to its user ({voice} of {}; at least {})",
            r.voice
                .iter()
                .map(|w| w.trim())
                .collect::<Vec<_>>()
                .join(", "),
            r.min_voice
        ));
    }
    Recognition {
        chars,
        terms,
        title,
        voice,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        crate::input::read(text, crate::Format::Text)
    }

    fn rules() -> PolicyRecognition {
        pipa_kb::Kb::embedded().policy.recognition.clone()
    }

    #[test]
    fn a_short_note_is_refused_with_reasons() {
        let r = recognise(&doc("买菜：鸡蛋、牛奶、面包，下午三点前。"), &rules());
        assert!(!r.is_policy());
        assert_eq!(r.reasons.len(), 4, "{:?}", r.reasons);
        assert!(r.reasons[0].contains("characters"));
    }

    #[test]
    fn a_long_text_without_policy_vocabulary_is_refused() {
        let text = "第一章 总则\n".to_string()
            + &"本合同由甲乙双方在平等自愿的基础上订立，双方应当按照约定全面履行各自的义务，违约方承担违约责任。".repeat(20);
        let r = recognise(&doc(&text), &rules());
        assert!(!r.is_policy(), "{r:?}");
        assert!(r.title.is_none());
    }

    #[test]
    fn a_titled_policy_passes() {
        let text = "# 示例App隐私政策\n\n".to_string()
            + &"我们会收集您的个人信息，包括设备信息，用于提供服务；未经您的同意，我们不会与第三方共享。您可以查阅、更正、删除您的个人信息，或撤回同意；如有疑问请联系我们。".repeat(4);
        let r = recognise(
            &crate::input::read(&text, crate::Format::Markdown),
            &rules(),
        );
        assert!(r.is_policy(), "{r:?}");
        assert_eq!(r.title.as_deref(), Some("隐私政策"));
    }
}
