//! Third-party SDKs that collect PI: each must be listed in the privacy
//! policy's SDK list with what it collects and why (191-2.1), and what it
//! sends to its vendor needs the user's consent (191-5.1, PIPL-23).

use super::{Ctx, code_evidence_capped};
use crate::model::{Evidence, Finding, SdkUse, Severity, Verdict};
use crate::text::{join, list, t};
use pipa_kb::Text;

/// Detection evidence shown per SDK (the full list is in `sdks`).
const SDK_EVIDENCE: usize = 4;
/// Call sites of the SDK's own sensitive-API uses shown per finding.
const SDK_CODE_SITES: usize = 5;

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &ctx.facts.sdks {
        if s.confidence == "low" || (s.collects.is_empty() && s.observed_pi.is_empty()) {
            continue;
        }
        // Libraries and app frameworks (AndroidX, React Native, …) run in the
        // app and send nothing to a vendor of their own: their PI-collecting
        // calls are the app's to disclose (the api.* findings list them with
        // their subject), not a third party's.
        if crate::model::library_only(&s.category, &s.collects) {
            continue;
        }
        out.push(finding(ctx, s));
    }
}

fn pi_names(ctx: &Ctx<'_>, ids: &[String]) -> Text {
    let zh: Vec<String> = ids.iter().map(|i| ctx.pi_name(i).zh).collect();
    let en: Vec<String> = ids.iter().map(|i| ctx.pi_name(i).en).collect();
    t(list(&zh, 12).zh, list(&en, 12).en)
}

fn finding(ctx: &Ctx<'_>, s: &SdkUse) -> Finding {
    let label = format!("sdk:{}", s.id);
    let sites: Vec<&crate::model::ApiUse> = ctx
        .facts
        .api_uses
        .iter()
        .map(|u| &u.use_)
        .filter(|u| u.subject == label && u.is_effective())
        .collect();
    let observed = !s.observed_pi.is_empty();
    // Its own code collects PI and something starts it: data very likely
    // leaves for the vendor; whether with consent needs a runtime check.
    let verdict = if observed && s.initialized {
        Verdict::Risk
    } else {
        Verdict::Manual
    };
    let sensitive = s
        .observed_pi
        .iter()
        .chain(&s.collects)
        .any(|p| ctx.kb.pi_type(p).is_some_and(|x| x.sensitive));
    let severity = if verdict == Verdict::Risk && sensitive {
        Severity::High
    } else {
        Severity::Medium
    };

    let mut zh = format!(
        "检测到第三方 SDK「{}」（{}，{}，置信度 {}）。",
        s.name.zh, s.vendor.zh, s.category_name.zh, s.confidence
    );
    let mut en = format!(
        "Third-party SDK {} ({}, {}, confidence {}) is embedded.",
        s.name.en, s.vendor.en, s.category_name.en, s.confidence
    );
    if !s.collects.is_empty() {
        let n = pi_names(ctx, &s.collects);
        zh.push_str(&format!("其运营方声明该 SDK 收集：{}。", n.zh));
        en.push_str(&format!(" Its vendor states that it collects: {}.", n.en));
    }
    if observed {
        let n = pi_names(ctx, &s.observed_pi);
        zh.push_str(&format!(
            "其自身代码中有 {} 处敏感 API 调用，涉及：{}。",
            s.api_sites, n.zh
        ));
        en.push_str(&format!(
            " Its own code has {} sensitive-API {}, reaching: {}.",
            s.api_sites,
            crate::text::plural(s.api_sites, "call site", "call sites"),
            n.en
        ));
    }
    if s.initialized {
        zh.push_str("SDK 之外的代码调用了它（或由系统通过 provider 启动），即该 SDK 会运行。");
        en.push_str(" Code outside the SDK calls it (or the system starts it through a provider), so it runs.");
    } else {
        zh.push_str("未发现 SDK 之外的代码调用它：可能未被使用（残留代码），或通过反射/动态方式启动，需运行时确认。");
        en.push_str(" No code outside the SDK was found calling it: it may be unused (left-over code) or started by reflection; confirm at run time.");
    }
    let unused: Vec<&str> = s
        .compliant_init
        .iter()
        .filter(|c| !c.used && c.role != pipa_kb::InitRole::Switch)
        .map(|c| c.api.as_str())
        .collect();
    let used: Vec<&str> = s
        .compliant_init
        .iter()
        .filter(|c| c.used)
        .map(|c| c.api.as_str())
        .collect();
    // Whether it starts compliantly is decided by the start-up analysis
    // (`sdk_init.before_consent.*`), not by an API being called somewhere.
    match s.compliant_init_used {
        Some(true) => {
            zh.push_str("启动分析显示其按厂商合规方式初始化（同意前只做预初始化或传递同意结果，正式初始化不在未经同意的启动路径上）。");
            en.push_str(" The start-up analysis shows it is started the compliant way (before consent only pre-init or the consent signal; the real init is not on an unchecked start-up path).");
        }
        Some(false) if s.startup.as_deref() == Some("ungated") => {
            zh.push_str("启动时未经同意检查即调用了它（见 sdk_init.before_consent 发现），不属于合规初始化。");
            en.push_str(" It is called at start-up without a consent check (see the sdk_init.before_consent finding): not a compliant start-up.");
        }
        _ => {}
    }
    if !used.is_empty() {
        zh.push_str(&format!(
            "代码中调用了其启动相关接口：{}。",
            used.join("、")
        ));
        en.push_str(&format!(
            " The code calls its start-up APIs: {}.",
            used.join(", ")
        ));
    } else if !unused.is_empty() {
        zh.push_str(&format!(
            "未发现调用其合规初始化接口：{}。",
            unused.join("、")
        ));
        en.push_str(&format!(
            " Its compliant-initialisation API is not called: {}.",
            unused.join(", ")
        ));
    }
    zh.push_str("隐私政策须在第三方 SDK 清单中列明其名称、运营方、目的、收集的个人信息及 SDK 隐私政策链接（191-2.1）；向第三方提供个人信息须取得用户同意（191-5.1、个人信息保护法第二十三条）。是否实际发送需抓包确认。");
    en.push_str(" The privacy policy's SDK list must name it, its vendor, purpose, the PI it collects and a link to its own policy (191-2.1); providing PI to a third party needs the user's consent (191-5.1, PIPL Art. 23). Whether data is actually sent needs a traffic capture to confirm.");
    if s.catalogue_status.as_deref() == Some("unverified") {
        zh.push_str("（该 SDK 的目录条目未经核实，收集项以运营方最新文档为准。）");
        en.push_str(" (This SDK's catalogue entry is unverified: check the vendor's current documentation.)");
    }

    let mut evidence: Vec<Evidence> = s.evidence.iter().take(SDK_EVIDENCE).cloned().collect();
    evidence.extend(code_evidence_capped(sites.iter().copied(), SDK_CODE_SITES));
    evidence.extend(s.init_evidence.iter().take(2).cloned());

    let mut own = t(
        format!(
            "在隐私政策的第三方 SDK 清单中列出「{}」（运营方、目的、收集的个人信息类型、SDK 隐私政策链接{}），并在用户同意隐私政策后再初始化该 SDK。",
            s.name.zh,
            s.privacy_policy
                .as_deref()
                .map(|u| format!("：{u}"))
                .unwrap_or_default()
        ),
        format!(
            "List {} in the policy's third-party SDK list (vendor, purpose, PI types, its privacy policy{}), and initialise it only after the user agrees to the policy.",
            s.name.en,
            s.privacy_policy
                .as_deref()
                .map(|u| format!(": {u}"))
                .unwrap_or_default()
        ),
    );
    if !unused.is_empty() && used.is_empty() {
        own = join(
            &own,
            &t(
                format!("使用其合规初始化接口：{}。", unused.join("、")),
                format!(
                    "Use its compliant-initialisation API: {}.",
                    unused.join(", ")
                ),
            ),
        );
    }
    Finding {
        id: format!("sdk.{}", s.id),
        rule_ids: ctx.cite(&["191-2.1", "191-5.1"], &["164-1.3", "PIPL-23"]),
        verdict,
        severity,
        title: t(
            format!("第三方 SDK「{}」收集个人信息", s.name.zh),
            format!("Third-party SDK {} collects PI", s.name.en),
        ),
        description: t(zh, en),
        evidence,
        remediation: ctx.remediation("191-2.1", Some(own)),
    }
}
