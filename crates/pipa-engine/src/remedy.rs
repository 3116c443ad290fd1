//! Specific fixes built from the knowledge base: what an SDK's own start-up
//! APIs allow before consent (`kb/sdks/*.yaml` `compliant_init`,
//! `generations`). Used by the findings and by the "what to fix first"
//! block, so both say the same thing.

use crate::model::SdkUse;
use crate::text::t;
use pipa_kb::{InitRole, Kb, Text};

/// `Lcom/umeng/commonsdk/UMConfigure;->preInit` → `UMConfigure.preInit`.
pub(crate) fn short_api(api: &str) -> String {
    let (class, name) = pipa_kb::class_and_method(api).unwrap_or(("", api));
    let class = class.trim_start_matches('L').trim_end_matches(';');
    let simple = class.rsplit('/').next().unwrap_or(class);
    let name = name.split('(').next().unwrap_or(name);
    if simple.is_empty() {
        name.to_string()
    } else {
        format!("{simple}.{name}")
    }
}

/// The start-up APIs with `role`, short names, distinct.
fn role_apis<'a>(apis: impl Iterator<Item = (&'a str, InitRole)>, role: InitRole) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for (api, r) in apis {
        if r != role {
            continue;
        }
        let n = short_api(api);
        if !v.contains(&n) {
            v.push(n);
        }
    }
    v
}

/// How to start SDK `s` compliantly, from its start-up data: what may run
/// in `Application.onCreate`, what must wait for the user's consent, and,
/// when the version in the package has no API that may run before consent
/// but the catalogue knows a later one that has (Umeng's `preInit`), the
/// upgrade that gives one. Without start-up data: defer every call.
pub fn sdk_start_fix(s: &SdkUse, kb: &Kb) -> Text {
    let here = || s.compliant_init.iter().map(|c| (c.api.as_str(), c.role));
    let pre = role_apis(here(), InitRole::PreInit);
    let init = role_apis(here(), InitRole::Init);
    let consent = role_apis(here(), InitRole::Consent);
    let mut zh = String::new();
    let mut en = String::new();
    if !pre.is_empty() {
        zh.push_str(&format!(
            "在 Application.onCreate 中只调用预初始化 {}（不采集、不上报）；",
            pre.join("、")
        ));
        en.push_str(&format!(
            "In Application.onCreate call only the pre-init {} (it collects and sends nothing); ",
            pre.join(", ")
        ));
    } else {
        zh.push_str("用户同意隐私政策前不要调用该 SDK 的任何接口；");
        en.push_str("Call none of this SDK's APIs before the user agrees to the privacy policy; ");
    }
    let mut after: Vec<String> = init.clone();
    for c in &consent {
        if !after.contains(c) {
            after.push(c.clone());
        }
    }
    if after.is_empty() {
        zh.push_str("用户同意后再初始化该 SDK，并关闭其 ContentProvider 自动初始化。");
        en.push_str("initialise it only after the user agrees, and turn off its ContentProvider auto-initialisation.");
    } else {
        zh.push_str(&format!("用户点击“同意”后再调用 {}", after.join("、")));
        en.push_str(&format!(
            "call {} only after the user taps Agree",
            after.join(" and ")
        ));
        if !consent.is_empty() {
            zh.push_str(&format!(
                "（{} 用于把用户的选择告知 SDK，拒绝时传 false）",
                consent.join("、")
            ));
            en.push_str(&format!(
                " ({} tells the SDK the user's decision; pass false on refusal)",
                consent.join(", ")
            ));
        }
        zh.push('。');
        en.push('.');
    }
    if s.no_compliant_init {
        // The catalogue's full start-up data: a later version may have a
        // pre-init the one in the package lacks.
        let all = || {
            kb.sdk(&s.id)
                .into_iter()
                .flat_map(|k| k.compliant_init.iter().map(|c| (c.api.as_str(), c.role)))
        };
        let k_pre = role_apis(all(), InitRole::PreInit);
        let k_init = role_apis(all(), InitRole::Init);
        let k_consent = role_apis(all(), InitRole::Consent);
        let version = s
            .version
            .as_deref()
            .map(|v| format!("（{v}）"))
            .unwrap_or_default();
        let version_en = s
            .version
            .as_deref()
            .map(|v| format!(" ({v})"))
            .unwrap_or_default();
        if k_pre.is_empty() {
            zh.push_str(&format!(
                "该 SDK{version}没有可在同意前调用的合规初始化接口：只能把全部调用推迟到同意之后。"
            ));
            en.push_str(&format!(
                " This SDK (the version in the package{version_en}) has no API that may run before consent: defer every call until after consent."
            ));
        } else {
            let mut later: Vec<String> = k_init;
            for c in k_consent {
                if !later.contains(&c) {
                    later.push(c);
                }
            }
            zh.push_str(&format!(
                "本包中的版本{version}没有 {}：或者升级到有该接口的版本，在 Application.onCreate 中只调用 {}，用户同意后再调用 {}。",
                k_pre.join("、"),
                k_pre.join("、"),
                later.join("、")
            ));
            en.push_str(&format!(
                " The version in the package{version_en} has no {}: alternatively upgrade to a version that has it, call only {} in Application.onCreate, and {} after consent.",
                k_pre.join(", "),
                k_pre.join(", "),
                later.join(" and ")
            ));
        }
    }
    t(zh, en)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names() {
        assert_eq!(
            short_api("Lcom/umeng/commonsdk/UMConfigure;->preInit"),
            "UMConfigure.preInit"
        );
        assert_eq!(
            short_api(
                "Lcom/tencent/bugly/crashreport/CrashReport;->initCrashReport(Landroid/content/Context;)V"
            ),
            "CrashReport.initCrashReport"
        );
    }
}
