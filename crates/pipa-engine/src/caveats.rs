//! Caveats that hold for a kind of finding (what static analysis can and
//! cannot prove there), said once per report: each finding of that kind
//! points to its caveat instead of repeating it in its description. Row
//! formats, where each row stands alone (XLSX, SARIF), repeat it per row.

use crate::model::{Caveat, Finding};
use pipa_kb::Text;

struct Def {
    id: &'static str,
    zh: &'static str,
    en: &'static str,
    /// The findings it holds for, by check id.
    applies: fn(&str) -> bool,
}

const DEFS: &[Def] = &[
    Def {
        id: "static.capability",
        zh: "代码中存在调用只说明代码具备收集能力，静态分析不能证明何时调用：是否在用户同意隐私政策前、或在后台静默状态下收集（191-3.1、164-1.2），需运行时检测确认。",
        en: "A call in the code proves the code can collect; static analysis cannot prove when: whether it happens before the user consents or silently in the background (191-3.1, 164-1.2) must be confirmed at run time.",
        applies: |id| id.starts_with("api.pi."),
    },
    Def {
        id: "static.chains",
        zh: "同意前调用链为静态分析结果（含类层次与异步回调推断），需运行时（如 camille）确认是否在同意前实际调用。",
        en: "The before-consent chains come from static analysis (class hierarchy and async callbacks inferred); confirm at run time (e.g. camille) whether they run before consent.",
        applies: |id| id.starts_with("before_consent."),
    },
];

/// The caveats that hold for some of `findings`, each with the ids of the
/// findings it holds for, in a fixed order.
pub fn caveats(findings: &[Finding]) -> Vec<Caveat> {
    DEFS.iter()
        .filter_map(|d| {
            let ids: Vec<String> = findings
                .iter()
                .filter(|f| (d.applies)(&f.id))
                .map(|f| f.id.clone())
                .collect();
            (!ids.is_empty()).then(|| Caveat {
                id: d.id.to_string(),
                text: Text {
                    zh: d.zh.to_string(),
                    en: d.en.to_string(),
                },
                findings: ids,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Severity, Verdict};

    fn finding(id: &str) -> Finding {
        Finding {
            id: id.into(),
            rule_ids: vec!["191-3.1".into()],
            verdict: Verdict::Risk,
            severity: Severity::Medium,
            title: Text::default(),
            description: Text::default(),
            evidence: Vec::new(),
            remediation: Text::default(),
        }
    }

    /// A caveat is listed once with every finding it holds for; one that
    /// holds for none is not listed (the twin).
    #[test]
    fn each_caveat_once_with_its_findings() {
        let fs = [
            finding("api.pi.device_id"),
            finding("api.pi.location"),
            finding("perm.dangerous"),
        ];
        let c = caveats(&fs);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].id, "static.capability");
        assert_eq!(c[0].findings, ["api.pi.device_id", "api.pi.location"]);
        assert!(c[0].text.zh.contains("运行时") && c[0].text.en.contains("run time"));
        assert!(caveats(&[finding("perm.dangerous")]).is_empty());
        let c = caveats(&[finding("before_consent.sdk:umeng.common")]);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].id, "static.chains");
    }
}
