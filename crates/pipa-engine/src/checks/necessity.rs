//! 191-4.1 with the app's type (`--category`): every PI type the package
//! collects — through its code, or through the dangerous permissions it
//! requests — that the 2021 rule does not list as necessary for that type's
//! basic function.

use super::policy_text::observed_pi;
use super::{Ctx, code_evidence_capped};
use crate::model::{Evidence, Finding, Severity, Verdict};
use crate::text::{list, t};
use pipa_kb::AppType;
use std::collections::BTreeMap;

/// The PI types (pipa ids) necessary for `ty`'s basic function.
pub(crate) fn necessary_pi(ty: &AppType) -> Vec<String> {
    let mut v: Vec<String> = ty
        .necessary
        .iter()
        .flat_map(|n| n.pi_types.iter().cloned())
        .collect();
    v.sort();
    v.dedup();
    v
}

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(ty) = &ctx.facts.category else {
        return;
    };
    let necessary = necessary_pi(ty);
    let code = observed_pi(ctx);
    // PI type → permissions that reach it.
    let mut perms: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for p in ctx.facts.permissions.iter().filter(|p| p.use_.dangerous) {
        for pi in &p.use_.pi_types {
            perms
                .entry(pi.as_str())
                .or_default()
                .push(p.use_.name.as_str());
        }
    }
    let mut all: Vec<&str> = code.keys().copied().chain(perms.keys().copied()).collect();
    all.sort_unstable();
    all.dedup();
    let necessary_names: Vec<String> = necessary.iter().map(|x| ctx.pi_name(x).zh).collect();
    let necessary_en: Vec<String> = necessary.iter().map(|x| ctx.pi_name(x).en).collect();
    let basis = if ty.no_pi_required {
        t(
            format!(
                "{}的基本功能服务为“{}”，规定无须个人信息即可使用。",
                ty.name.zh, ty.basic_function.zh
            ),
            format!(
                "The basic function of {} apps is “{}”; the rule says it needs no PI.",
                ty.name.en, ty.basic_function.en
            ),
        )
    } else {
        t(
            format!(
                "{}的基本功能服务为“{}”，其必要个人信息在 pipa 的分类中对应：{}。",
                ty.name.zh,
                ty.basic_function.zh,
                list(&necessary_names, 12).zh
            ),
            format!(
                "The basic function of {} apps is “{}”; its necessary PI maps to pipa's types {}.",
                ty.name.en,
                ty.basic_function.en,
                list(&necessary_en, 12).en
            ),
        )
    };
    let art4 = ctx
        .kb
        .rule("N39-4")
        .map(|r| r.text_zh.clone())
        .unwrap_or_else(|| {
            "App不得因为用户不同意提供非必要个人信息，而拒绝用户使用其基本功能服务。".into()
        });
    let mut flagged = 0;
    for id in all {
        if necessary.iter().any(|n| n == id) {
            continue;
        }
        flagged += 1;
        let name = ctx.pi_name(id);
        let mut evidence = vec![Evidence::Note {
            text: basis.clone(),
        }];
        if let Some(ps) = perms.get(id) {
            for p in ps {
                evidence.push(Evidence::Manifest {
                    element: "uses-permission".into(),
                    name: Some((*p).to_string()),
                    detail: None,
                });
            }
        }
        if let Some(sites) = code.get(id) {
            evidence.extend(code_evidence_capped(sites.iter().copied(), 5));
        }
        out.push(Finding {
            id: format!("necessity.{id}"),
            rule_ids: ctx.cite(&["191-4.1"], &["N39-4", "MIIT26-pi-necessity", "PIPL-6"]),
            verdict: Verdict::Risk,
            severity: if ctx.kb.pi_type(id).is_some_and(|p| p.sensitive) {
                Severity::High
            } else {
                Severity::Medium
            },
            title: t(
                format!("“{}”不是{}基本功能的必要个人信息", name.zh, ty.name.zh),
                format!("{} is not necessary for the basic function of {} apps", name.en, ty.name.en),
            ),
            description: t(
                format!(
                    "App 收集或申请权限获取“{}”，而《常见类型移动互联网应用程序必要个人信息范围规定》未将其列为{}基本功能服务的必要个人信息。它只能用于扩展功能，并须在用户使用该功能时单独征得同意；若与现有业务功能无关，即属 191-4.1。第四条：{}",
                    name.zh, ty.name.zh, art4
                ),
                format!(
                    "The app collects {} or asks for a permission that reaches it, but the 2021 rule does not list it as necessary for the basic function of {} apps. It may serve extended functions only, with consent asked when the user uses them; if no current function needs it, that is 191-4.1. Art. 4: an app may not refuse its basic functions to a user who declines non-necessary PI.",
                    name.en, ty.name.en
                ),
            ),
            evidence,
            remediation: ctx.remediation(
                "191-4.1",
                Some(t(
                    format!("确认哪项功能需要“{}”：只在该功能使用时申请并说明目的；用户拒绝时基本功能照常可用；无功能需要则删除相关权限和调用。", name.zh),
                    format!("Find the function that needs {}: ask only when it is used, with its purpose; keep the basic function working when the user refuses; if none needs it, remove the permission and calls.", name.en),
                )),
            ),
        });
    }
    if flagged == 0 {
        out.push(Finding {
            id: "necessity.within".into(),
            rule_ids: ctx.cite(&["191-4.1"], &["N39-4"]),
            verdict: Verdict::Pass,
            severity: Severity::Info,
            title: t(
                format!("收集的个人信息均在{}的必要范围内", ty.name.zh),
                format!("All PI collected is within what {} apps need", ty.name.en),
            ),
            description: t(
                format!("代码和危险权限可获取的个人信息类型都属于该类型基本功能的必要个人信息。仍需确认：用户拒绝非必要信息时基本功能可用（第四条：{art4}）。"),
                "Every PI type the code or the dangerous permissions reach is necessary for the type's basic function. Still check that the basic function works when the user declines non-necessary PI (Art. 4).",
            ),
            evidence: vec![Evidence::Note { text: basis }],
            remediation: ctx.remediation("191-4.1", None),
        });
    }
}
