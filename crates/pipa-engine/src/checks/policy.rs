//! 191-1.1: is there a privacy policy in the package, and does it hold rules
//! on collecting and using PI?

use super::Ctx;
use super::policy_text::{passage, source_note};
use crate::model::{Evidence, Finding, Severity, Verdict};
use crate::text::t;

/// The analysed policy (if any): does it declare what it collects?
fn rules(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(r) = &ctx.facts.policy_text else {
        return;
    };
    let from_package = r.source.origin.as_deref() == Some("package");
    if r.pi_types.is_empty() {
        out.push(Finding {
            id: "policy.no_rules".into(),
            rule_ids: ctx.cite(&["191-1.1"], &["PIPL-17"]),
            verdict: Verdict::Risk,
            severity: Severity::High,
            title: t(
                "隐私政策中未找到收集使用个人信息的规则",
                "The privacy policy holds no rules on collecting and using PI that pipa can find",
            ),
            description: t(
                "隐私政策中没有找到声明收集的个人信息类型（如位置、设备标识、手机号）。政策没有收集使用规则即属 191-1.1。若政策以图片呈现或措辞特殊，请人工确认。",
                "No PI type (location, device identifiers, phone number …) is declared as collected in the policy. A policy without rules on collecting and using PI is 191-1.1. If the policy is an image or unusually worded, confirm by reading it.",
            ),
            evidence: vec![source_note(r)],
            remediation: ctx.remediation("191-1.1", None),
        });
        return;
    }
    let mut evidence = vec![source_note(r)];
    evidence.extend(
        r.pi_types
            .iter()
            .filter_map(|p| p.evidence.first())
            .take(3)
            .map(|s| passage(r, s)),
    );
    out.push(Finding {
        id: "policy.rules".into(),
        rule_ids: ctx.cite(&["191-1.1"], &[]),
        verdict: if from_package {
            Verdict::Pass
        } else {
            Verdict::Manual
        },
        severity: Severity::Info,
        title: t(
            format!("隐私政策声明了收集的个人信息（{} 类）", r.pi_types.len()),
            format!("The privacy policy declares the PI it collects ({} types)", r.pi_types.len()),
        ),
        description: if from_package {
            t(
                "安装包内带有隐私政策，且政策中有收集使用个人信息的规则。其内容是否完整见各要素和一致性检查。",
                "The package carries a privacy policy with rules on collecting and using PI. Whether it is complete: see the elements and the consistency checks.",
            )
        } else {
            t(
                "所提供的隐私政策中有收集使用个人信息的规则。它是否在 App 中提供（可找到、可打开）需运行 App 确认。",
                "The policy given holds rules on collecting and using PI. Whether the app offers it (findable, can be opened) needs a run of the app.",
            )
        },
        evidence,
        remediation: ctx.remediation("191-1.1", None),
    });
}

/// The traces, with what pipa made of them when no policy was read: the
/// files it read and why it did not take them, the URL to pass to
/// `--policy`.
fn found_evidence(ctx: &Ctx<'_>) -> Vec<Evidence> {
    let p = &ctx.facts.policy;
    let mut ev = p.found.clone();
    if ctx.facts.policy_text.is_some() {
        return ev;
    }
    for (entry, why) in &p.rejected {
        ev.push(Evidence::Note {
            text: t(
                format!("已读取 {entry}，未作为 App 的隐私政策：{why}"),
                format!("Read {entry}, not taken as the app's policy: {why}"),
            ),
        });
    }
    let url = p.found.iter().find_map(|e| match e {
        Evidence::String { value, .. }
            if value.starts_with("http://") || value.starts_with("https://") =>
        {
            Some(value.clone())
        }
        _ => None,
    });
    if let Some(u) = url {
        ev.push(Evidence::Note {
            text: t(
                format!("政策似乎在线提供：用 `pipa scan APP --policy {u}` 读取并核对其内容（pipa 不会自动联网）。"),
                format!("The policy seems to be online: run `pipa scan APP --policy {u}` to read and check it (pipa never goes online by itself)."),
            ),
        });
    }
    ev
}

pub(crate) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    rules(ctx, out);
    let p = &ctx.facts.policy;
    if ctx
        .facts
        .policy_text
        .as_ref()
        .is_some_and(|r| r.source.origin.as_deref() == Some("package") && !r.pi_types.is_empty())
    {
        // The policy in the package was read: `policy.rules` says so.
        return;
    }
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
            evidence: found_evidence(ctx),
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
