//! Personal-information security risks visible in the manifest: debuggable,
//! backup, cleartext traffic, exported components without a permission.
//! No 191 item covers them; they cite PIPL Art. 51 (security measures) and
//! the GB/T 35273 clauses the knowledge base relates to it.

use super::Ctx;
use crate::model::{Evidence, Finding, Severity, Verdict};
use crate::text::t;
use pipa_android::manifest::{Component, ComponentKind};
use pipa_kb::Text;

/// At most this many components are listed.
const MAX_COMPONENTS: usize = 20;

pub(crate) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let f = ctx.facts;
    if f.flags.debuggable {
        out.push(Finding {
            id: "sec.debuggable".into(),
            rule_ids: rule_ids(ctx, "SEC-debuggable"),
            verdict: Verdict::Risk,
            severity: Severity::High,
            title: t("应用可调试（android:debuggable=true）", "The app is debuggable (android:debuggable=true)"),
            description: t(
                "清单设置了 android:debuggable=\"true\"：任何人连接设备即可调试 App、读取其私有数据（run-as）和内存中的个人信息。发布版本不应可调试；这是未采取安全技术措施的风险（个人信息保护法第五十一条），不直接对应 191 的某一项。",
                "The manifest sets android:debuggable=\"true\": anyone with the device can attach a debugger, read the app's private data (run-as) and the PI in its memory. A release must not be debuggable; this is a risk of missing security measures (PIPL Art. 51), not one of the 191 items.",
            ),
            evidence: vec![Evidence::Manifest {
                element: "application".into(),
                name: None,
                detail: Some("android:debuggable=\"true\"".into()),
            }],
            remediation: remediation(ctx, "SEC-debuggable", t(
                "发布构建中去掉 android:debuggable（release 构建类型默认不可调试）。",
                "Remove android:debuggable from release builds (the release build type is not debuggable by default).",
            )),
        });
    }
    if f.flags.allow_backup {
        out.push(Finding {
            id: "sec.allow_backup".into(),
            rule_ids: rule_ids(ctx, "SEC-allow-backup"),
            verdict: Verdict::Risk,
            severity: Severity::Low,
            title: t("允许备份应用数据（allowBackup）", "App data can be backed up (allowBackup)"),
            description: t(
                "android:allowBackup 为 true（显式设置或未设置时的平台缺省值）：App 私有目录中的数据可经 adb backup（targetSdk 低于 31 时）或云备份/设备迁移导出，其中可能包含个人信息和登录凭据。这是安全风险（个人信息保护法第五十一条），是否实际包含个人信息需结合数据存储核查。",
                "android:allowBackup is true (set explicitly or by the platform default): data in the app's private storage can leave the device through adb backup (targetSdk below 31) or cloud backup / device transfer, including PI and login tokens. A security risk (PIPL Art. 51); whether PI is included depends on what the app stores.",
            ),
            evidence: vec![Evidence::Manifest {
                element: "application".into(),
                name: None,
                detail: Some("android:allowBackup=true (explicit or default)".into()),
            }],
            remediation: remediation(ctx, "SEC-allow-backup", t(
                "设置 android:allowBackup=\"false\"，或用 dataExtractionRules/fullBackupContent 排除含个人信息和凭据的文件。",
                "Set android:allowBackup=\"false\", or exclude files holding PI and credentials with dataExtractionRules / fullBackupContent.",
            )),
        });
    }
    cleartext(ctx, out);
    exported(ctx, out);
}

/// PIPL-51, the knowledge base's practice rule `sec` (e.g. `SEC-debuggable`)
/// and the GB/T 35273 clauses related to either, where the kb has them.
fn rule_ids(ctx: &Ctx<'_>, sec: &str) -> Vec<String> {
    let mut ids = ctx.cite(&["PIPL-51"], &[sec]);
    for base in [sec, "PIPL-51"] {
        let Some(r) = ctx.kb.rule(base) else { continue };
        for rel in &r.related {
            if rel.starts_with("GBT35273") && ctx.kb.rule(rel).is_some() && !ids.contains(rel) {
                ids.push(rel.clone());
            }
        }
    }
    ids
}

/// The finding's own advice with the kb remediation of `sec`, else PIPL-51's.
fn remediation(ctx: &Ctx<'_>, sec: &str, own: Text) -> Text {
    match ctx.kb.rule(sec).and_then(|r| r.remediation.as_ref()) {
        Some(k) => k.clone(),
        None => ctx.remediation("PIPL-51", Some(own)),
    }
}

fn cleartext(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let f = ctx.facts;
    let target = f.app.target_sdk;
    let mut evidence = Vec::new();
    let mut base = false;
    match &f.netsec {
        // On API 24+ the network security config decides; its default follows targetSdk.
        Some(n) => {
            base = n.base_cleartext_permitted.unwrap_or(target < 28);
            if base {
                evidence.push(Evidence::File {
                    path: n.path.clone(),
                    detail: Some(match n.base_cleartext_permitted {
                        Some(_) => "<base-config cleartextTrafficPermitted=\"true\">".into(),
                        None => format!("<base-config> without cleartextTrafficPermitted; targetSdkVersion={target} < 28 permits cleartext"),
                    }),
                });
            }
            for d in &n.domain_configs {
                if d.cleartext_permitted == Some(true) {
                    evidence.push(Evidence::File {
                        path: n.path.clone(),
                        detail: Some(format!(
                            "<domain-config cleartextTrafficPermitted=\"true\"> {}",
                            d.domains.join(", ")
                        )),
                    });
                }
            }
            if n.trusts_user_cas() {
                evidence.push(Evidence::File {
                    path: n.path.clone(),
                    detail: Some(
                        "trusts user-installed CA certificates outside debug-overrides".into(),
                    ),
                });
            }
        }
        None => {
            if f.flags.uses_cleartext_traffic {
                base = true;
                evidence.push(Evidence::Manifest {
                    element: "application".into(),
                    name: None,
                    detail: Some(if f.flags.uses_cleartext_traffic_explicit {
                        "android:usesCleartextTraffic=\"true\"".into()
                    } else {
                        format!("android:usesCleartextTraffic not set; targetSdkVersion={target} < 28 permits cleartext by default")
                    }),
                });
            }
        }
    }
    if evidence.is_empty() {
        return;
    }
    out.push(Finding {
        id: "sec.cleartext".into(),
        rule_ids: rule_ids(ctx, "SEC-cleartext"),
        verdict: Verdict::Risk,
        severity: if base { Severity::Medium } else { Severity::Low },
        title: t(
            if base { "允许明文 HTTP 通信" } else { "部分域名允许明文通信或信任用户证书" },
            if base { "Cleartext HTTP traffic is permitted" } else { "Cleartext or user CAs permitted for some domains" },
        ),
        description: t(
            "App 的网络配置允许明文（HTTP）传输（或信任用户安装的证书），经网络传输的个人信息可能被窃听或篡改。这是未采取加密等安全技术措施的风险（个人信息保护法第五十一条第三项）；是否实际以明文传输个人信息，需抓包确认。",
            "The app's network configuration permits cleartext (HTTP) traffic (or trusts user-installed CAs): PI sent over the network can be intercepted or altered. A risk of missing encryption (PIPL Art. 51(3)); whether PI actually travels in cleartext must be confirmed by capturing traffic.",
        ),
        evidence,
        remediation: remediation(
            ctx,
            "SEC-cleartext",
            t(
                "全部使用 HTTPS；设置 usesCleartextTraffic=\"false\" 或在网络安全配置中禁止明文，且不信任用户证书。",
                "Use HTTPS everywhere; set usesCleartextTraffic=\"false\" or forbid cleartext in the network security config, and do not trust user CAs.",
            ),
        ),
    });
}

fn is_launcher(c: &Component) -> bool {
    c.intent_filters.iter().any(|i| {
        i.actions.iter().any(|a| a == "android.intent.action.MAIN")
            && i.categories.iter().any(|x| {
                x == "android.intent.category.LAUNCHER"
                    || x == "android.intent.category.LEANBACK_LAUNCHER"
            })
    })
}

/// Exported, enabled, no permission required (providers: read or write open).
fn unprotected(c: &Component) -> bool {
    if !c.exported || !c.enabled || c.permission.is_some() {
        return false;
    }
    match c.kind {
        ComponentKind::Provider => c.read_permission.is_none() || c.write_permission.is_none(),
        ComponentKind::Activity | ComponentKind::ActivityAlias => !is_launcher(c),
        ComponentKind::Service | ComponentKind::Receiver => true,
    }
}

fn exported(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let comps: Vec<&Component> = ctx
        .facts
        .components
        .iter()
        .filter(|c| unprotected(c))
        .collect();
    if comps.is_empty() {
        return;
    }
    let providers = comps
        .iter()
        .filter(|c| c.kind == ComponentKind::Provider)
        .count();
    let mut evidence: Vec<Evidence> = comps
        .iter()
        .take(MAX_COMPONENTS)
        .map(|c| Evidence::Manifest {
            element: c.kind.tag().into(),
            name: Some(c.name.clone()),
            detail: Some(format!(
                "exported ({:?}), no android:permission{}",
                c.exported_reason,
                if c.authorities.is_empty() {
                    String::new()
                } else {
                    format!("; authorities {}", c.authorities.join(";"))
                }
            )),
        })
        .collect();
    if comps.len() > MAX_COMPONENTS {
        let more = comps.len() - MAX_COMPONENTS;
        evidence.push(Evidence::Note {
            text: t(
                format!("另有 {more} 个组件未列出。"),
                format!(
                    "{more} more {} not listed.",
                    crate::text::plural(more, "component", "components")
                ),
            ),
        });
    }
    out.push(Finding {
        id: "sec.exported_components".into(),
        rule_ids: rule_ids(ctx, "SEC-exported"),
        verdict: Verdict::Risk,
        severity: if providers > 0 { Severity::Medium } else { Severity::Low },
        title: t(
            format!("{} 个导出组件未设访问权限", comps.len()),
            format!("{} exported components require no permission", comps.len()),
        ),
        description: t(
            format!(
                "{} 个组件（其中内容提供器 {providers} 个）可被任何其他 App 调用且未要求权限（启动入口除外）。若这些组件返回或接收个人信息，其他 App 可绕过授权读取或篡改（个人信息保护法第五十一条）；需逐一核查组件是否处理个人信息、是否校验调用方。",
                comps.len()
            ),
            format!(
                "{} components ({providers} content providers) can be invoked by any other app and require no permission (launcher entries excluded). If they return or accept PI, other apps can read or alter it without authorisation (PIPL Art. 51); check each for PI handling and caller checks.",
                comps.len()
            ),
        ),
        evidence,
        remediation: remediation(
            ctx,
            "SEC-exported",
            t(
                "无需对外的组件设置 android:exported=\"false\"；需对外的组件用 signature 级权限保护，并校验调用方与输入。",
                "Set android:exported=\"false\" on components others need not reach; protect the rest with a signature-level permission and check callers and input.",
            ),
        ),
    });
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;

    #[test]
    fn security_findings_cite_pipl_51_only() {
        let kb = kb();
        let mut f = facts_with(&[], 27);
        f.flags.debuggable = true;
        f.components.push(receiver("com.x.R", &["com.x.ACTION"]));
        let (items, findings) = super::super::run(&f, &kb);
        for id in [
            "sec.debuggable",
            "sec.allow_backup",
            "sec.cleartext",
            "sec.exported_components",
        ] {
            let x = findings
                .iter()
                .find(|x| x.id == id)
                .unwrap_or_else(|| panic!("{id}"));
            assert_eq!(x.rule_ids, ["PIPL-51"]);
            assert!(!x.evidence.is_empty());
        }
        // Not tied to a 191 item.
        let pos = findings
            .iter()
            .position(|x| x.id == "sec.debuggable")
            .expect("pos");
        assert!(items.iter().all(|i| !i.findings.contains(&pos)));
    }
}
