//! Requested permissions: purpose statements (191-2.3), install-time grants
//! of apps targeting API < 23 (191-3.1/3.3), background location.

use super::{Ctx, permission_evidence};
use crate::facts::PermissionFact;
use crate::model::{Evidence, Finding, Severity, Verdict};
use crate::text::{list, t};

const BACKGROUND_LOCATION: &str = "android.permission.ACCESS_BACKGROUND_LOCATION";
const FOREGROUND_LOCATION: &[&str] = &[
    "android.permission.ACCESS_FINE_LOCATION",
    "android.permission.ACCESS_COARSE_LOCATION",
];

pub(crate) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    purpose(ctx, out);
    legacy_runtime(ctx, out);
    background_location(ctx, out);
    re_request(ctx, out);
}

/// Requests made again from the callback that receives the user's answer.
fn re_request(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let hits = &ctx.facts.re_requests;
    if hits.is_empty() {
        return;
    }
    let callbacks: Vec<String> = hits.iter().map(|h| h.callback.clone()).collect();
    let app = hits.iter().any(|h| h.subject == "app");
    out.push(Finding {
        id: "perm.re_request".into(),
        rule_ids: ctx.cite(&["191-3.2"], &["164-2.1", "191-4.2"]),
        verdict: Verdict::Risk,
        severity: if app { Severity::Medium } else { Severity::Low },
        title: t(
            format!("收到用户的权限选择后再次申请权限（{} 处）", hits.len()),
            format!(
                "Permissions requested again after the user answered ({} {})",
                hits.len(),
                crate::text::plural(hits.len(), "place", "places")
            ),
        ),
        description: t(
            format!(
                "以下回调在收到用户对权限申请的选择后再次调用 requestPermissions：{}。若用户拒绝后反复弹出申请，或不授权就无法进入 App（常见于启动页），即属于频繁索取权限（164-2.1）、用户明确拒绝后频繁征求同意（191-3.2），拒绝后无法使用则涉及 191-4.2。静态分析只能证明“回调中再次申请”，是否在拒绝后循环、是否阻止使用需运行时确认（拒绝权限后观察）。",
                list(&callbacks, 6).zh
            ),
            format!(
                "These callbacks call requestPermissions again after receiving the user's answer to a permission request: {}. If the dialog comes back after a refusal, or the app cannot be entered without granting (typical of splash screens), that is the repeated permission requests 164-2.1 names and asking again after a clear refusal (191-3.2); an app unusable after refusal also touches 191-4.2. Static analysis proves only the request inside the callback: whether it loops after a refusal and blocks use needs a run (refuse and watch).",
                list(&callbacks, 6).en
            ),
        ),
        evidence: hits.iter().map(|h| h.site.clone()).collect(),
        remediation: ctx.remediation(
            "191-3.2",
            Some(t(
                "用户拒绝后不要在回调中立即再次申请：说明该权限对应的功能不可用，只在用户再次使用该功能时才重新申请（48 小时内不重复弹窗为常见的商店要求）；启动页不得以授权为进入条件。",
                "After a refusal do not ask again from the callback: explain that the feature is unavailable and ask again only when the user uses that feature again (app stores commonly require no repeat within 48 hours); a splash screen must not make a permission the condition for entering.",
            )),
        ),
    });
}

/// Permissions that can collect PI: dangerous ones and those the kb marks.
fn pi_permissions<'a>(ctx: &'a Ctx<'_>) -> Vec<&'a PermissionFact> {
    ctx.facts
        .permissions
        .iter()
        .filter(|p| p.use_.dangerous || p.purpose_required)
        .collect()
}

fn names(perms: &[&PermissionFact]) -> Vec<String> {
    perms
        .iter()
        .map(|p| match &p.name_zh {
            Some(zh) if !zh.is_empty() => format!("{}（{}）", short(&p.use_.name), zh),
            _ => short(&p.use_.name).to_string(),
        })
        .collect()
}

fn short(name: &str) -> &str {
    name.strip_prefix("android.permission.").unwrap_or(name)
}

fn purpose(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let perms = pi_permissions(ctx);
    if perms.is_empty() {
        return;
    }
    let mut pis: Vec<String> = Vec::new();
    for p in &perms {
        for id in &p.use_.pi_types {
            let n = ctx.pi_name(id).zh;
            if !pis.contains(&n) {
                pis.push(n);
            }
        }
    }
    let n = names(&perms);
    out.push(Finding {
        id: "perm.purpose".into(),
        rule_ids: ctx.cite(&["191-2.3", "191-4.1"], &[]),
        verdict: Verdict::Manual,
        severity: Severity::Medium,
        title: t(
            format!("申请 {} 项可收集个人信息的权限，需同步告知目的", perms.len()),
            format!(
                "{} permissions that can collect PI: each needs its purpose stated when requested",
                perms.len()
            ),
        ),
        description: t(
            format!(
                "清单申请了 {}，可访问：{}。申请这些权限时须同步告知用户目的（191-2.3），且每项都须与现有业务功能相关（191-4.1）。安装包本身无法说明申请时是否展示了目的、功能是否需要，需运行 App 在权限弹窗前后核对。",
                list(&n, 30).zh,
                if pis.is_empty() { "（知识库未标注）".to_string() } else { pis.join("、") }
            ),
            format!(
                "The manifest requests {}. When each is requested the user must be told why (191-2.3), and each must serve an existing feature (191-4.1). The package cannot show whether a purpose is displayed or whether a feature needs it: run the app and check around each permission prompt.",
                list(&n, 30).en
            ),
        ),
        evidence: perms.iter().map(|p| permission_evidence(p, ctx)).collect(),
        remediation: ctx.remediation("191-2.3", None),
    });
}

fn legacy_runtime(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let target = ctx.facts.app.target_sdk;
    if target >= 23 {
        return;
    }
    let perms: Vec<&PermissionFact> = ctx
        .facts
        .permissions
        .iter()
        .filter(|p| p.use_.dangerous)
        .collect();
    if perms.is_empty() {
        return;
    }
    let n = names(&perms);
    let mut evidence = vec![Evidence::Manifest {
        element: "uses-sdk".into(),
        name: None,
        detail: Some(format!("android:targetSdkVersion={target}")),
    }];
    evidence.extend(perms.iter().map(|p| permission_evidence(p, ctx)));
    out.push(Finding {
        id: "perm.legacy_runtime".into(),
        // Several dangerous permissions granted in one go at install is the
        // one-shot bundle 191-4.6 describes ("一次性同意打开多个权限").
        rule_ids: if perms.len() > 1 {
            ctx.cite(&["191-3.1", "191-3.3", "191-4.6"], &[])
        } else {
            ctx.cite(&["191-3.1", "191-3.3"], &[])
        },
        verdict: Verdict::Risk,
        severity: Severity::High,
        title: t(
            format!("targetSdkVersion={target}（低于 23）：危险权限在安装时即被授予"),
            format!("targetSdkVersion={target} (below 23): dangerous permissions are granted at install"),
        ),
        description: t(
            format!(
                "App 的 targetSdkVersion 为 {target}，低于 23，系统不会在运行时逐项征求同意，而是在安装时一并授予 {}。这意味着这些权限在用户同意隐私政策前就已打开（191-3.1），也可能超出用户实际愿意授权的范围（191-3.3）；多项权限在安装时一次性授予，用户无法逐项拒绝（191-4.6）。较新的 Android 版本会在首次启动时显示权限审查界面，但仍是一次性授权，故判为风险，需结合运行时确认。",
                list(&n, 30).zh
            ),
            format!(
                "targetSdkVersion is {target}, below 23: the system does not ask for each permission at run time but grants {} at install. These permissions are open before the user agrees to the privacy policy (191-3.1) and may exceed what the user would authorise (191-3.3); several are granted in one go at install and cannot be refused one by one (191-4.6). Newer Android versions show a one-time permission review on first start, so this is a risk to confirm at run time.",
                list(&n, 30).en
            ),
        ),
        evidence,
        remediation: ctx.remediation(
            "191-3.1",
            Some(t(
                "将 targetSdkVersion 提高到应用商店要求的版本（至少 23），在用到相关功能时再动态申请权限。",
                "Raise targetSdkVersion to what app stores require (at least 23) and request each permission at run time when its feature is used.",
            )),
        ),
    });
}

fn background_location(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let f = ctx.facts;
    let mut evidence = Vec::new();
    let explicit = f.permission(BACKGROUND_LOCATION);
    if let Some(p) = explicit {
        evidence.push(permission_evidence(p, ctx));
    }
    // Before API 29 the foreground location permissions also cover the background.
    let implicit: Vec<&PermissionFact> = if f.app.target_sdk < 29 {
        FOREGROUND_LOCATION
            .iter()
            .filter_map(|n| f.permission(n))
            .collect()
    } else {
        Vec::new()
    };
    if explicit.is_none() && implicit.is_empty() {
        return;
    }
    if !implicit.is_empty() {
        evidence.push(Evidence::Manifest {
            element: "uses-sdk".into(),
            name: None,
            detail: Some(format!(
                "android:targetSdkVersion={} (< 29: foreground location includes background access)",
                f.app.target_sdk
            )),
        });
        evidence.extend(implicit.iter().map(|p| permission_evidence(p, ctx)));
    }
    out.push(Finding {
        id: "perm.background_location".into(),
        rule_ids: ctx.cite(&["191-4.1"], &["164-1.2"]),
        verdict: Verdict::Risk,
        severity: Severity::High,
        title: t(
            "可在后台获取位置信息",
            "Location can be collected in the background",
        ),
        description: t(
            if explicit.is_some() {
                "清单申请了 ACCESS_BACKGROUND_LOCATION，App 在后台运行时也能获取位置（行踪轨迹属于敏感个人信息）。164号文重点整治在静默状态或后台运行时超范围收集个人信息（164-1.2）；是否为业务功能所必需（191-4.1）需结合功能人工判断，并在运行时确认后台是否实际收集。"
            } else {
                "App 的 targetSdkVersion 低于 29，申请前台定位权限即同时获得后台定位能力，App 在后台运行时也能获取位置（行踪轨迹属于敏感个人信息）。需确认后台定位是否为业务功能所必需（191-4.1、164-1.2）。"
            },
            if explicit.is_some() {
                "The manifest requests ACCESS_BACKGROUND_LOCATION: the app can read the location while in the background (location tracks are sensitive PI). 164 targets collection beyond need while silent or in the background (164-1.2); whether a feature needs it (191-4.1) is a judgement on the app's features, and actual background collection must be confirmed at run time."
            } else {
                "targetSdkVersion is below 29, so the foreground location permission also grants background access: the app can read the location in the background (location tracks are sensitive PI). Confirm a feature needs it (191-4.1, 164-1.2)."
            },
        ),
        evidence,
        remediation: ctx.remediation(
            "191-4.1",
            Some(t(
                "仅在确有后台定位需求的功能中申请后台定位，单独说明用途并单独申请；否则删除该权限。",
                "Request background location only for a feature that truly needs it, with its own explanation and its own request; otherwise remove it.",
            )),
        ),
    });
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::model::Evidence;

    #[test]
    fn legacy_target_cites_the_dangerous_permissions() {
        let kb = kb();
        let f = facts_with(
            &[
                "android.permission.READ_PHONE_STATE",
                "android.permission.INTERNET",
            ],
            22,
        );
        let (_, findings) = super::super::run(&f, &kb);
        let legacy = findings
            .iter()
            .find(|f| f.id == "perm.legacy_runtime")
            .expect("legacy");
        assert!(legacy.rule_ids.contains(&"191-3.3".to_string()));
        let named: Vec<&str> = legacy
            .evidence
            .iter()
            .filter_map(|e| match e {
                Evidence::Manifest { name: Some(n), .. } => Some(n.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(named, ["android.permission.READ_PHONE_STATE"]);

        let f = facts_with(&["android.permission.READ_PHONE_STATE"], 23);
        let (_, findings) = super::super::run(&f, &kb);
        assert!(!findings.iter().any(|f| f.id == "perm.legacy_runtime"));
        assert!(findings.iter().any(|f| f.id == "perm.purpose"));
    }

    #[test]
    fn background_location_explicit_and_implicit() {
        let kb = kb();
        let f = facts_with(&["android.permission.ACCESS_BACKGROUND_LOCATION"], 33);
        let (_, findings) = super::super::run(&f, &kb);
        assert!(findings.iter().any(|f| f.id == "perm.background_location"));
        let f = facts_with(&["android.permission.ACCESS_FINE_LOCATION"], 28);
        let (_, findings) = super::super::run(&f, &kb);
        assert!(findings.iter().any(|f| f.id == "perm.background_location"));
        let f = facts_with(&["android.permission.ACCESS_FINE_LOCATION"], 29);
        let (_, findings) = super::super::run(&f, &kb);
        assert!(!findings.iter().any(|f| f.id == "perm.background_location"));
    }
}
