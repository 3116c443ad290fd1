//! 191-1.1: is there a privacy policy in the package?

use super::Ctx;
use crate::model::{Evidence, Finding, Severity, Verdict};
use crate::text::t;

pub(crate) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let p = &ctx.facts.policy;
    if !p.found.is_empty() {
        out.push(Finding {
            id: "policy.found".into(),
            rule_ids: ctx.cite(&["191-1.1"], &[]),
            verdict: Verdict::Manual,
            severity: Severity::Info,
            title: t(
                "安装包中发现隐私政策线索，需核对其内容",
                "Privacy-policy traces found in the package; check the content",
            ),
            description: t(
                format!(
                    "在安装包中发现 {} 处像隐私政策的文件、链接或文字（见证据）。这说明 App 很可能提供了隐私政策，但不能说明其中包含收集使用个人信息的规则：需打开并核对政策内容（191-1.1 后半句），并确认首次运行时以弹窗等方式提示阅读（191-1.2）。",
                    p.found.len()
                ),
                format!(
                    "{} policy-like files, links or texts were found in the package (see evidence). The app probably provides a privacy policy, but whether it contains rules on collecting and using PI cannot be told from the package: open and check it (second half of 191-1.1), and confirm it is shown prominently on first run (191-1.2).",
                    p.found.len()
                ),
            ),
            evidence: p.found.clone(),
            remediation: ctx.remediation("191-1.1", None),
        });
        return;
    }
    let mut evidence = vec![Evidence::Note {
        text: t(
            "已检查：assets/ 与 res/raw/ 下的文件名和 HTML/TXT 内容、resources.arsc 的字符串、App 自身代码加载的字符串（privacy、yinsi、隐私、个人信息保护政策等），均未发现隐私政策或其链接。",
            "Searched: names and HTML/TXT content of files under assets/ and res/raw/, resources.arsc strings, strings loaded by the app's own code (privacy, yinsi, 隐私, 个人信息保护政策 …); no policy or policy link was found.",
        ),
    }];
    if !p.third_party.is_empty() {
        evidence.push(Evidence::Note {
            text: t(
                "以下像隐私政策的字符串只由第三方代码加载，多为 SDK 自己的政策，不能代替 App 的隐私政策：",
                "The policy-like strings below are loaded by third-party code only; they are most likely an SDK's own policy and do not stand for the app's:",
            ),
        });
        evidence.extend(p.third_party.iter().cloned());
    }
    out.push(Finding {
        id: "policy.not_found".into(),
        rule_ids: ctx.cite(&["191-1.1"], &[]),
        verdict: Verdict::Risk,
        severity: Severity::High,
        title: t(
            "安装包中未发现隐私政策",
            "No privacy policy found in the package",
        ),
        description: t(
            "安装包中既没有像隐私政策的文件，也没有隐私政策链接或文字。App 可能在运行时从服务器加载政策（链接可能被拼接或加密），因此这只是风险：需运行 App 确认是否能找到并打开隐私政策。若确实没有，即构成 191-1.1“在App中没有隐私政策”。",
            "The package holds no policy-like file, link or text. The app may load its policy from a server at run time (the URL may be assembled or encrypted), so this is a risk: run the app and confirm whether a privacy policy can be found and opened. If there is none, that is 191-1.1 (no privacy policy in the app).",
        ),
        evidence,
        remediation: ctx.remediation("191-1.1", None),
    });
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::model::{Evidence, Verdict};

    #[test]
    fn no_policy_is_a_risk_and_a_policy_is_manual() {
        let kb = kb();
        let mut f = facts_with(&[], 30);
        let (items, findings) = super::super::run(&f, &kb);
        assert_eq!(items[0].verdict, Verdict::Risk);
        assert_eq!(findings[items[0].findings[0]].id, "policy.not_found");

        f.policy.found.push(Evidence::File {
            path: "assets/privacy.html".into(),
            detail: None,
        });
        let (items, findings) = super::super::run(&f, &kb);
        assert_eq!(items[0].verdict, Verdict::Manual);
        assert_eq!(findings[items[0].findings[0]].id, "policy.found");
    }
}
