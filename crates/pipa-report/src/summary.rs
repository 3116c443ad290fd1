//! Figures both the terminal and the Markdown report show.

use crate::fmt::VERDICTS;
use pipa_engine::{Assessment, Severity, Verdict};
use std::collections::BTreeMap;

/// Counts and groupings drawn from an assessment.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Items per verdict, in [`VERDICTS`] order (violation first); items
    /// the developer declared (see `declared`) are not among them.
    pub items: Vec<(Verdict, usize)>,
    /// Items the package cannot decide that the developer's answers declare
    /// settled (`ItemResult::declared`): shown apart, never as a pass.
    pub declared: usize,
    /// Of `declared`, those with a `yes` lacking its proof (an empty note).
    pub unproven: usize,
    /// Findings per severity (high first), only non-zero ones.
    pub findings: Vec<(Severity, usize)>,
    /// Per subject (`app`, `sdk:<id>`, `unknown-third-party`): PI type → call sites.
    pub pi_by_subject: BTreeMap<String, BTreeMap<String, usize>>,
    /// PI type → requested permissions that give access to it.
    pub pi_by_permission: BTreeMap<String, Vec<String>>,
}

impl Summary {
    /// Draws the figures from `a`.
    pub fn of(a: &Assessment) -> Summary {
        let items = VERDICTS
            .iter()
            .map(|&v| {
                let n = a
                    .items
                    .iter()
                    .filter(|i| i.declared.is_none() && i.verdict == v);
                (v, n.count())
            })
            .collect();
        let declared = a.items.iter().filter(|i| i.declared.is_some()).count();
        let unproven = a.items.iter().filter(|i| i.unproven()).count();
        let findings = [
            Severity::High,
            Severity::Medium,
            Severity::Low,
            Severity::Info,
        ]
        .iter()
        .map(|&s| (s, a.findings.iter().filter(|f| f.severity == s).count()))
        .filter(|&(_, n)| n > 0)
        .collect();
        let mut pi_by_subject: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        // Calls that can run and succeed (the others are in `api.inert.*`).
        for u in a.api_uses.iter().filter(|u| u.is_effective()) {
            *pi_by_subject
                .entry(u.subject.clone())
                .or_default()
                .entry(u.pi_type.clone())
                .or_default() += 1;
        }
        let mut pi_by_permission: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for p in &a.permissions {
            for t in &p.pi_types {
                pi_by_permission
                    .entry(t.clone())
                    .or_default()
                    .push(short_permission(&p.name).to_string());
            }
        }
        Summary {
            items,
            declared,
            unproven,
            findings,
            pi_by_subject,
            pi_by_permission,
        }
    }
}

/// `READ_SMS` for `android.permission.READ_SMS`; other names unchanged.
pub fn short_permission(name: &str) -> &str {
    name.strip_prefix("android.permission.").unwrap_or(name)
}

fn rank(v: Verdict) -> u8 {
    match v {
        Verdict::Violation => 2,
        Verdict::Risk => 1,
        Verdict::Manual | Verdict::Pass | Verdict::NotApplicable => 0,
    }
}

/// True when some item or finding is at or above `threshold`
/// (`violation` > `risk`; other thresholds never fail).
pub fn fails_at(a: &Assessment, threshold: Verdict) -> bool {
    let t = rank(threshold);
    if t == 0 {
        return false;
    }
    a.items
        .iter()
        .map(|i| i.verdict)
        .chain(a.findings.iter().map(|f| f.verdict))
        .any(|v| rank(v) >= t)
}

/// What makes `--fail-on threshold` fail, one line each: findings at or
/// above it that the baseline does not accept, and items at or above it
/// whose verdict comes from the developer's own statements. Empty when the
/// gate passes (thresholds below `risk` never fail).
pub fn failing(a: &Assessment, threshold: Verdict) -> Vec<String> {
    let t = rank(threshold);
    if t == 0 {
        return Vec::new();
    }
    let mut out: Vec<String> = a
        .findings
        .iter()
        .enumerate()
        .filter(|(i, f)| rank(f.verdict) >= t && a.accepted(*i).is_none())
        .map(|(_, f)| {
            format!(
                "{} {} [{}] {}",
                f.verdict.as_str(),
                f.id,
                f.rule_ids.join(", "),
                f.title.zh
            )
        })
        .collect();
    out.extend(
        a.items
            .iter()
            .filter(|i| i.by_statement && rank(i.verdict) >= t)
            .map(|i| format!("{} {} (developer's answer)", i.verdict.as_str(), i.id)),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::sample;

    #[test]
    fn counts_and_groups() {
        let a = sample();
        let s = Summary::of(&a);
        let total: usize = s.items.iter().map(|(_, n)| n).sum();
        assert_eq!(total, 31);
        assert_eq!(s.items[0], (Verdict::Violation, 1));
        assert_eq!(s.items[1], (Verdict::Risk, 2));
        assert_eq!(s.pi_by_subject["app"]["location"], 1);
        assert_eq!(s.pi_by_subject["sdk:umeng"]["device_id"], 1);
        assert_eq!(s.pi_by_permission["sms"], vec!["READ_SMS".to_string()]);
    }

    #[test]
    fn fail_thresholds() {
        let mut a = sample();
        assert!(fails_at(&a, Verdict::Risk));
        assert!(fails_at(&a, Verdict::Violation));
        assert!(!fails_at(&a, Verdict::Manual));
        for i in &mut a.items {
            if i.verdict == Verdict::Violation {
                i.verdict = Verdict::Risk;
            }
        }
        for f in &mut a.findings {
            if f.verdict == Verdict::Violation {
                f.verdict = Verdict::Risk;
            }
        }
        assert!(!fails_at(&a, Verdict::Violation));
        assert!(fails_at(&a, Verdict::Risk));
    }
}
