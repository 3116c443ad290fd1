//! Collection after a self-start (164-1.2, 164-2.2, 26号文 自启动): sensitive
//! calls that a receiver of system broadcasts, a sync adapter or a
//! repeating alarm / periodic job reaches, each with the trigger that starts
//! the app and the chain, edge by edge, from it to the call. One finding per
//! subject of the calls (`background.self_start.<subject>`).
//!
//! The triggers and their delivery limits are `kb/startup.yaml` data; the
//! chains are `reach::self_start`'s. Only calls that can run and succeed
//! (`ApiUse::is_effective`) and that no consent check precedes make a risk.

use super::Ctx;
use super::reach::{missing_text, subject_name};
use crate::model::{Evidence, Finding, Severity, SitePermission, SiteReach, Verdict};
use crate::reach::{SelfStartHit, SelfStartTrigger};
use crate::text::{list, t};
use std::collections::BTreeMap;

/// Chains listed per finding; the rest are counted.
const MAX_CHAINS: usize = 20;

pub(crate) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let r = &ctx.facts.reach;
    let mut by: BTreeMap<(u8, String), Vec<&SelfStartHit>> = BTreeMap::new();
    for h in &r.self_start {
        // A call nothing reaches is not reported (its trigger could not
        // reach it either; kept for safety against stale indices).
        if ctx
            .facts
            .api_uses
            .get(h.api_use)
            .is_some_and(|a| a.use_.reach != SiteReach::Live)
        {
            continue;
        }
        let rank = match h.subject.as_str() {
            "app" => 0,
            s if s.starts_with("sdk:") => 1,
            _ => 2,
        };
        by.entry((rank, h.subject.clone())).or_default().push(h);
    }
    for ((_, subject), hits) in by {
        out.push(finding(ctx, &subject, &hits));
    }
}

/// How a trigger reads in a sentence: `接收器 X（开机完成、网络变化）` /
/// `the receiver X (boot completed, connectivity change)`.
fn trigger_text(tr: &SelfStartTrigger) -> (String, String) {
    let zh: Vec<&str> = tr.names.iter().map(|(z, _)| z.as_str()).collect();
    let en: Vec<&str> = tr.names.iter().map(|(_, e)| e.as_str()).collect();
    if tr.kind == "periodic" {
        let place = crate::text::dotted_method(&tr.component);
        (
            format!("{place} 设置的{}", zh.join("、")),
            format!("the {} set in {place}", en.join(", ")),
        )
    } else {
        (
            format!("组件 {} 接收的系统广播（{}）", tr.component, zh.join("、")),
            format!(
                "the system broadcasts ({}) delivered to {}",
                en.join(", "),
                tr.component
            ),
        )
    }
}

fn finding(ctx: &Ctx<'_>, subject: &str, hits: &[&SelfStartHit]) -> Finding {
    let f = ctx.facts;
    let use_of = |h: &SelfStartHit| f.api_uses.get(h.api_use).map(|a| &a.use_);
    let missing_of =
        |h: &SelfStartHit| use_of(h).is_some_and(|u| u.permission == SitePermission::Missing);
    // Distinct calls (a call reached from a broadcast and from an alarm is
    // one call with two chains).
    let mut calls: Vec<usize> = hits.iter().map(|h| h.api_use).collect();
    calls.sort_unstable();
    calls.dedup();
    let n = calls.len();
    let missing = calls
        .iter()
        .filter(|&&i| hits.iter().any(|h| h.api_use == i && missing_of(h)))
        .count();
    // The risk: a call that can run and succeed, on a path without a
    // consent check.
    let risky: Vec<&&SelfStartHit> = hits
        .iter()
        .filter(|h| !h.gated && use_of(h).is_some_and(|u| u.is_effective()))
        .collect();
    let gated_only = hits.iter().all(|h| h.gated);
    // PI types, in order of appearance.
    let mut pis: Vec<String> = Vec::new();
    for h in hits {
        if let Some(u) = use_of(h)
            && !pis.contains(&u.pi_type)
        {
            pis.push(u.pi_type.clone());
        }
    }
    let pi_zh: Vec<String> = pis.iter().map(|p| ctx.pi_name(p).zh).collect();
    let pi_en: Vec<String> = pis.iter().map(|p| ctx.pi_name(p).en).collect();
    // Triggers, in the order the analysis found them; per trigger its
    // evidence, then its chains (ungated and shortest first, one per path).
    let mut trig: Vec<usize> = hits.iter().map(|h| h.trigger).collect();
    trig.sort_unstable();
    trig.dedup();
    let mut evidence: Vec<Evidence> = Vec::new();
    let mut seen: Vec<Vec<String>> = Vec::new();
    let mut listed = 0usize;
    let mut more = 0usize;
    let mut tz: Vec<String> = Vec::new();
    let mut te: Vec<String> = Vec::new();
    let mut periodic = false;
    for &ti in &trig {
        let Some(tr) = f.reach.self_start_triggers.get(ti) else {
            continue;
        };
        let (z, e) = trigger_text(tr);
        tz.push(z);
        te.push(e);
        let mut own: Vec<&&SelfStartHit> = hits.iter().filter(|h| h.trigger == ti).collect();
        if tr.kind == "periodic"
            && own
                .iter()
                .any(|h| risky.iter().any(|r| std::ptr::eq(**r, **h)))
        {
            periodic = true;
        }
        own.sort_by_key(|h| (h.gated, chain_len(&h.chain)));
        if !evidence.contains(&tr.evidence) {
            evidence.push(tr.evidence.clone());
        }
        for h in own {
            let key = crate::reach::chain_text(&h.chain);
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            if listed < MAX_CHAINS {
                evidence.push(h.chain.clone());
                listed += 1;
            } else {
                more += 1;
            }
        }
    }
    if more > 0 {
        evidence.push(Evidence::Note {
            text: t(
                format!("另有 {more} 条调用链未列出（见 reachability.self_start）。"),
                format!(
                    "{more} more {} not listed (see reachability.self_start).",
                    crate::text::plural(more, "chain", "chains")
                ),
            ),
        });
    }
    let (who_zh, who_en) = subject_name(ctx, subject);
    let (miss_zh, miss_en) = missing_text(missing, n);
    let (verdict, severity) = if !risky.is_empty() {
        (Verdict::Risk, Severity::High)
    } else {
        (Verdict::Manual, Severity::Low)
    };
    let gate_zh = if gated_only {
        "所有路径都先检查了已保存的同意标志（gated）：静态看来只在用户同意后才收集；需运行时确认该标志只在用户点击“同意”后写入。"
    } else {
        ""
    };
    let gate_en = if gated_only {
        " Every path first checks a stored consent flag (gated): statically collection happens only after consent; confirm at run time that the flag is written only when the user taps Agree."
    } else {
        ""
    };
    let (per_zh, per_en) = if periodic {
        (
            "周期触发意味着按固定间隔反复收集（191-4.4 收集频度）。",
            " A periodic trigger means collection again and again at a fixed interval (191-4.4, collection frequency).",
        )
    } else {
        ("", "")
    };
    let mut rule_ids = ctx.cite(&["164-1.2", "164-2.2"], &["MIIT26-autostart"]);
    if periodic {
        rule_ids.push("191-4.4".into());
    }
    Finding {
        id: format!("background.self_start.{subject}"),
        rule_ids,
        verdict,
        severity,
        title: t(
            format!("自启动后在后台收集个人信息：{who_zh}"),
            format!("PI collected in the background after a self-start: {who_en}"),
        ),
        description: t(
            format!(
                "{who_zh}中有 {n} 处敏感 API 调用（{}）可从无需用户操作的自启动入口到达：{}。系统发出广播或闹钟到期时拉起组件，沿下列调用链读取个人信息，此时用户可能没有打开 App，也看不到它在运行。164号文重点整治静默或后台超范围收集（164-1.2）与无合理场景的频繁自启动（164-2.2）。{per_zh}{gate_zh}{miss_zh}调用链为静态分析结果（含类层次与组件启动推断），需运行时确认触发后是否实际调用及频率。",
                list(&pi_zh, 10).zh,
                tz.join("；")
            ),
            format!(
                "{n} sensitive API calls ({}) in {who_en} are reachable from self-start entry points that need no user action: {}. When the broadcast arrives or the alarm fires the system starts the component, which reads PI along the chains below while the user may not have opened the app and does not see it run. 164 targets silent or background collection beyond need (164-1.2) and frequent self-start without a reasonable scenario (164-2.2).{per_en}{gate_en}{miss_en} The chains come from static analysis (class hierarchy and component starts inferred); confirm at run time whether and how often the calls run after such a start.",
                list(&pi_en, 10).en,
                te.join("; ")
            ),
        ),
        evidence,
        remediation: ctx.remediation(
            "164-2.2",
            Some(t(
                "去掉无合理场景的开机/系统广播接收器和重复闹钟；自启动后不读取设备标识、位置等个人信息，确需后台收集的，只在用户开启的功能需要时进行，并在隐私政策中说明场景与频率。SDK 的自启动与后台采集可通过其开关关闭（见 SDK 合规指南）。",
                "Drop boot/system-broadcast receivers and repeating alarms that have no reasonable scenario; read no device identifiers, location or other PI after such a start; where background collection is needed, do it only for a feature the user turned on and state its scenario and frequency in the privacy policy. SDKs' self-start and background collection can be turned off with their switches (see the SDK's compliance guide).",
            )),
        ),
    }
}

fn chain_len(e: &Evidence) -> usize {
    match e {
        Evidence::Chain { steps, .. } => steps.len(),
        _ => 0,
    }
}
