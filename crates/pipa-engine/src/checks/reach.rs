//! Findings from the reachability analysis: PI collected before consent
//! (191-3.1), SDKs initialised before consent, collection only in the
//! background (164-1.2) and associated launch of other apps (164-2.2).

use super::Ctx;
use crate::model::{Evidence, Finding, Severity, SiteEffect, SitePermission, SiteReach, Verdict};
use crate::reach::{ChainHit, SdkInitHit};
use crate::remedy::short_api;
use crate::text::{list, t};
use pipa_android::manifest::ComponentKind;
use pipa_kb::{InitRole, Text};
use std::collections::BTreeMap;

/// Chains listed per finding; the rest are counted.
const MAX_CHAINS: usize = 20;

pub(crate) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    before_consent(ctx, out);
    sdk_init(ctx, out);
    background(ctx, out);
    launch(ctx, out);
    wakeable(ctx, out);
}

/// Hits grouped by subject (app first, then SDKs, then unknown).
/// Hits whose call is unreachable by liveness (a job class nothing
/// schedules) or collects nothing (a send, a path, a lookup of one target,
/// the app's own data: see `api.inert.not_collection`) are left out.
fn by_subject<'h>(
    ctx: &Ctx<'_>,
    hits: &'h [ChainHit],
) -> BTreeMap<(u8, String), Vec<&'h ChainHit>> {
    let mut m: BTreeMap<(u8, String), Vec<&ChainHit>> = BTreeMap::new();
    for h in hits.iter().filter(|h| {
        ctx.facts.api_uses.get(h.api_use).is_none_or(|a| {
            a.use_.reach == SiteReach::Live && a.use_.effect == SiteEffect::Collects
        })
    }) {
        let rank = match h.subject.as_str() {
            "app" => 0,
            s if s.starts_with("sdk:") => 1,
            _ => 2,
        };
        m.entry((rank, h.subject.clone())).or_default().push(h);
    }
    m
}

pub(super) fn subject_name(ctx: &Ctx<'_>, subject: &str) -> (String, String) {
    match subject.strip_prefix("sdk:") {
        Some(id) => {
            let name = ctx.kb.sdk(id).map_or_else(|| t(id, id), |x| x.name.clone());
            (
                format!("第三方 SDK「{}」", name.zh),
                format!("the third-party SDK {}", name.en),
            )
        }
        // The app's own code and unattributed code in the shared words.
        None => {
            let x = crate::text::subject_text(ctx.kb, subject);
            (x.zh, x.en)
        }
    }
}

/// PI types of the hits, named, and the chains as evidence (ungated first).
fn chains_and_pi(ctx: &Ctx<'_>, hits: &[&ChainHit]) -> (Vec<String>, Vec<String>, Vec<Evidence>) {
    let mut pis: Vec<String> = Vec::new();
    for h in hits {
        if let Some(a) = ctx.facts.api_uses.get(h.api_use)
            && !pis.contains(&a.use_.pi_type)
        {
            pis.push(a.use_.pi_type.clone());
        }
    }
    let zh: Vec<String> = pis.iter().map(|p| ctx.pi_name(p).zh).collect();
    let en: Vec<String> = pis.iter().map(|p| ctx.pi_name(p).en).collect();
    // Ungated first, then by regulatory weight of the PI type
    // (`kb/pi_types.yaml`: identifiers, app list, location before device
    // information and Build fields), then knowledge-base order (the IMEI
    // before the Android ID), then the shortest chain.
    let order: std::collections::HashMap<&str, usize> = ctx
        .kb
        .apis
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let api_of = |h: &ChainHit| ctx.facts.api_uses.get(h.api_use).map(|a| &a.use_);
    let mut sorted: Vec<&&ChainHit> = hits.iter().collect();
    sorted.sort_by_key(|h| {
        let u = api_of(h);
        (
            h.gated,
            std::cmp::Reverse(u.map_or(0, |u| ctx.kb.pi_weight(&u.pi_type))),
            u.and_then(|u| order.get(u.api_id.as_str()).copied())
                .unwrap_or(usize::MAX),
            chain_len(&h.chain),
        )
    });
    // Calls of the same API on the same path (other offsets in the same
    // method) add nothing to read: one chain each.
    let mut seen: Vec<Vec<String>> = Vec::new();
    let mut distinct: Vec<&&ChainHit> = Vec::new();
    for h in sorted {
        let key = crate::reach::chain_text(&h.chain);
        if !seen.contains(&key) {
            seen.push(key);
            distinct.push(h);
        }
    }
    // One chain per distinct sensitive API before any second chain of one:
    // a cut never hides an API behind more chains of another.
    let mut apis_seen: Vec<&str> = Vec::new();
    let (first, rest): (Vec<&&ChainHit>, Vec<&&ChainHit>) = distinct.into_iter().partition(|h| {
        let id = api_of(h).map_or("", |u| u.api_id.as_str());
        if apis_seen.contains(&id) {
            false
        } else {
            apis_seen.push(id);
            true
        }
    });
    let distinct: Vec<&&ChainHit> = first.into_iter().chain(rest).collect();
    let mut ev: Vec<Evidence> = distinct
        .iter()
        .take(MAX_CHAINS)
        .map(|h| h.chain.clone())
        .collect();
    if distinct.len() > MAX_CHAINS {
        let more = distinct.len() - MAX_CHAINS;
        ev.push(Evidence::Note {
            text: t(
                format!("另有 {more} 条调用链未列出（见 reachability）。"),
                format!(
                    "{more} more {} not listed (see reachability).",
                    crate::text::plural(more, "chain", "chains")
                ),
            ),
        });
    }
    (zh, en, ev)
}

fn chain_len(e: &Evidence) -> usize {
    match e {
        Evidence::Chain { steps, .. } => steps.len(),
        _ => 0,
    }
}

/// Whether the call of `h` cannot succeed: its runtime permission is not
/// declared.
fn permission_missing(ctx: &Ctx<'_>, h: &ChainHit) -> bool {
    ctx.facts
        .api_uses
        .get(h.api_use)
        .is_some_and(|a| a.use_.permission == SitePermission::Missing)
}

/// The sentence on calls whose permission is missing (empty when none).
pub(super) fn missing_text(missing: usize, n: usize) -> (String, String) {
    if missing == 0 {
        return (String::new(), String::new());
    }
    (
        format!(
            "其中 {missing} 处调用所需的运行时权限未在清单中声明，调用无法成功，不计为风险{}。",
            if missing == n {
                "（因此本项降为需人工确认）"
            } else {
                ""
            }
        ),
        format!(
            " {missing} of them need a runtime permission the manifest does not declare: they cannot succeed and are not counted as risk{}.",
            if missing == n {
                " (so this is lowered to manual)"
            } else {
                ""
            }
        ),
    )
}

fn before_consent(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for ((_, subject), hits) in by_subject(ctx, &ctx.facts.reach.before_consent) {
        let ungated = hits.iter().filter(|h| !h.gated).count();
        let missing = hits.iter().filter(|h| permission_missing(ctx, h)).count();
        // Ungated calls that can succeed: the risk.
        let ungated_ok = hits
            .iter()
            .filter(|h| !h.gated && !permission_missing(ctx, h))
            .count();
        let (zh, en, evidence) = chains_and_pi(ctx, &hits);
        let (who_zh, who_en) = subject_name(ctx, &subject);
        let n = hits.len();
        let (miss_zh, miss_en) = missing_text(missing, n);
        let (verdict, severity) = if ungated_ok > 0 {
            (Verdict::Risk, Severity::High)
        } else {
            (Verdict::Manual, Severity::Low)
        };
        let gate_zh = if ungated > 0 {
            format!("其中 {ungated} 处调用路径上没有检查用户是否已同意隐私政策。")
        } else {
            "所有路径都先检查了已保存的同意标志（gated），静态看来在同意后才调用；需运行时确认该标志只在用户点击“同意”后写入。".into()
        };
        let gate_en = if ungated > 0 {
            format!(
                "{ungated} of them are on paths without any check that the user agreed to the privacy policy."
            )
        } else {
            "Every path first checks a stored consent flag (gated): statically the calls happen only after consent; confirm at run time that the flag is written only when the user taps Agree.".into()
        };
        out.push(Finding {
            id: format!("before_consent.{subject}"),
            rule_ids: ctx.cite(&["191-3.1"], &["164-1.1", "PIPL-13"]),
            verdict,
            severity,
            title: t(
                format!("启动即可能收集个人信息（同意前）：{who_zh}"),
                format!("PI may be collected at start-up, before consent: {who_en}"),
            ),
            description: t(
                format!(
                    "{who_zh}中有 {n} 处敏感 API 调用（{}）可从无需用户操作即运行的入口（Application、ContentProvider、androidx.startup 初始化器及其静态初始化）到达，隐私弹窗出现之前即会执行。{gate_zh}{miss_zh}",
                    list(&zh, 10).zh
                ),
                format!(
                    "{n} sensitive API calls ({}) in {who_en} are reachable from entry points that run without any user action (Application, ContentProviders, androidx.startup initialisers and their static initialisers), before the privacy pop-up can be shown. {gate_en}{miss_en}",
                    list(&en, 10).en
                ),
            ),
            evidence,
            remediation: ctx.remediation(
                "191-3.1",
                Some(t(
                    "把这些调用移出 Application.onCreate、ContentProvider 等启动路径，放到用户同意隐私政策之后；或在调用前检查已保存的同意状态。",
                    "Move these calls out of Application.onCreate, ContentProviders and other start-up paths to after the user agrees to the privacy policy, or check the stored consent before calling.",
                )),
            ),
        });
    }
}

fn sdk_init(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let hits = &ctx.facts.reach.sdk_init;
    // The summary's entries, in the same order: the start-up of each hit.
    let starts = &ctx.facts.reach.summary.sdk_init;
    let sdk = |i: usize| ctx.facts.sdks.iter().find(|s| s.id == hits[i].sdk);
    // Libraries without vendor-declared collection: nothing to defer
    // (their calls are in before_consent.* with their subject).
    let reported: Vec<bool> = (0..hits.len())
        .map(|i| sdk(i).is_some_and(crate::model::SdkUse::must_be_named))
        .collect();
    let mut done = vec![false; hits.len()];
    for i in 0..hits.len() {
        if done[i] || !reported[i] {
            continue;
        }
        // SDKs one call starts together are one finding.
        let group: Vec<usize> = (i..hits.len())
            .filter(|&j| {
                !done[j]
                    && reported[j]
                    && (j == i
                        || starts
                            .get(i)
                            .zip(starts.get(j))
                            .is_some_and(|(a, b)| a.same_start(b)))
            })
            .collect();
        for &j in &group {
            done[j] = true;
        }
        let mut members: Vec<(usize, &crate::model::SdkUse)> = group
            .iter()
            .filter_map(|&j| sdk(j).map(|s| (j, s)))
            .collect();
        // The SDK with the most start-up data first: its fix is the one to
        // follow (U-Common's preInit, not U-Share's bare init); its id is
        // the finding's.
        members.sort_by_key(|(_, s)| {
            (
                std::cmp::Reverse(
                    ctx.kb
                        .sdk(&s.id)
                        .map_or(s.compliant_init.len(), |k| k.compliant_init.len()),
                ),
                s.id.clone(),
            )
        });
        let Some(&(first, s)) = members.first() else {
            continue;
        };
        let also: Vec<&crate::model::SdkUse> = members[1..].iter().map(|(_, s)| *s).collect();
        out.push(sdk_init_finding(ctx, &hits[first], s, &also));
    }
}

/// The SDK's own fix, from its start-up data (see
/// [`crate::remedy::sdk_start_fix`]), with the place to change first and the
/// vendor's compliance guide last.
fn sdk_fix(ctx: &Ctx<'_>, s: &crate::model::SdkUse, place: Option<&str>) -> Text {
    let mut zh = String::new();
    let mut en = String::new();
    if let Some(p) = place {
        zh.push_str(&format!("需修改的位置：{p}。"));
        en.push_str(&format!("The place to change: {p}. "));
    }
    let core = crate::remedy::sdk_start_fix(s, ctx.kb);
    zh.push_str(&core.zh);
    en.push_str(&core.en);
    if let Some(g) = &s.compliance_guide {
        zh.push_str(&format!("厂商合规指南：{g}"));
        en.push_str(&format!(" Vendor compliance guide: {g}"));
    }
    t(zh, en)
}

/// The method that makes the call: the chain's last step.
fn call_place(chain: &Evidence) -> Option<String> {
    match chain {
        Evidence::Chain { steps, .. } => steps.last().map(|m| {
            let (class, name) = pipa_kb::class_and_method(m).unwrap_or(("", m));
            format!(
                "{}.{name}",
                class
                    .trim_start_matches('L')
                    .trim_end_matches(';')
                    .replace('/', ".")
            )
        }),
        _ => None,
    }
}

/// The start-up finding of SDK `s`, and of the SDKs `also` started by the
/// same call (named with it; `s` has the most start-up data, its fix is
/// given).
fn sdk_init_finding(
    ctx: &Ctx<'_>,
    h: &SdkInitHit,
    s: &crate::model::SdkUse,
    also: &[&crate::model::SdkUse],
) -> Finding {
    let safe_call = h.role.is_some_and(InitRole::safe_before_consent) && !h.consent_claimed;
    // The system starts the SDK's own component: a risk when sensitive
    // calls of the SDK are reached at start-up without a check; a component
    // that reaches none (a FileProvider for downloads) is only noted.
    let label = format!("sdk:{}", s.id);
    let collects_at_start = ctx
        .facts
        .reach
        .before_consent
        .iter()
        .any(|b| b.subject == label && !b.gated);
    let quiet_component = h.own_entry && !collects_at_start;
    let risky = !h.gated && !safe_call && !quiet_component;
    let (verdict, severity) = if risky {
        (Verdict::Risk, Severity::High)
    } else if quiet_component {
        // Not cleared: reflection or packed code can hide what it starts.
        (Verdict::Manual, Severity::Medium)
    } else if h.gated {
        (Verdict::Manual, Severity::Low)
    } else {
        (Verdict::Pass, Severity::Info)
    };
    let call = short_api(&h.call);
    let (state_zh, state_en) = match (risky, h.gated, h.role) {
        (true, _, Some(InitRole::Consent)) if h.consent_claimed => (
            format!("启动路径上没有同意检查，就以常量 true 调用了同意接口 {call}：在用户作出选择之前告诉 SDK“用户已同意”，SDK 随即按已授权开始收集。该接口只应传入用户在隐私政策弹窗中的真实选择。"),
            format!("The start-up path calls the consent API {call} with a constant true and no consent check: it tells the SDK the user agreed before the user was asked, and the SDK collects as if authorised. Pass only the user's real choice from the privacy dialog."),
        ),
        (true, _, Some(InitRole::Init)) => (
            format!("启动路径上没有同意检查，直接调用了正式初始化接口 {call}：厂商要求该接口只能在用户同意隐私政策后调用，调用后 SDK 即开始收集。"),
            format!("The start-up path calls the real init {call} without any consent check: the vendor requires it only after the user agrees to the privacy policy; collection starts with it."),
        ),
        (true, _, _) if h.call.contains("->onCreate()") || h.call.contains("->attachInfo(") => (
            format!("该 SDK 由系统通过其组件（{call}）在启动时拉起，任何同意检查都无法在它之前执行。"),
            format!("The system starts the SDK through its own component ({call}) at start-up: no consent check can come first."),
        ),
        (true, _, _) => (
            format!("启动路径上没有同意检查，调用了 {call}，它不是厂商允许在同意前调用的预初始化或同意接口。"),
            format!("The start-up path calls {call} without any consent check; it is not a pre-init or consent API the vendor allows before consent."),
        ),
        (false, _, _) if quiet_component => (
            format!("系统在启动时拉起该 SDK 的组件（{call}），但从启动入口未到达该 SDK 的敏感 API 调用（反射或加固代码可能隐藏调用）；需运行时确认该组件启动时不采集。"),
            format!("The system starts the SDK's component ({call}) at start-up, but no sensitive API call of the SDK is reached from the start-up entry points (reflection or packed code would hide one); confirm at run time that it collects nothing when started."),
        ),
        (false, true, _) => (
            "初始化路径先检查了已保存的同意标志（gated），静态看来在同意后才初始化；需运行时确认该标志只在用户点击“同意”后写入。".to_string(),
            "The path first checks a stored consent flag (gated): statically it is initialised only after consent; confirm at run time that the flag is written only when the user taps Agree.".to_string(),
        ),
        (false, false, _) => (
            format!("启动时只调用了厂商允许在同意前调用的接口（{call}），正式初始化不在未经同意的启动路径上。"),
            format!("At start-up only an API the vendor allows before consent is called ({call}); the real init is not on an unchecked start-up path."),
        ),
    };
    let all: Vec<&crate::model::SdkUse> = std::iter::once(s).chain(also.iter().copied()).collect();
    let mut collects: Vec<&String> = Vec::new();
    let mut vendors: Vec<&Text> = Vec::new();
    for x in &all {
        for p in &x.collects {
            if !collects.contains(&p) {
                collects.push(p);
            }
        }
        if !vendors.iter().any(|v| v.zh == x.vendor.zh) {
            vendors.push(&x.vendor);
        }
    }
    let collects_zh: Vec<String> = collects.iter().map(|p| ctx.pi_name(p).zh).collect();
    let collects_en: Vec<String> = collects.iter().map(|p| ctx.pi_name(p).en).collect();
    let names_zh = all
        .iter()
        .map(|x| x.name.zh.as_str())
        .collect::<Vec<_>>()
        .join("、");
    let names_en = all
        .iter()
        .map(|x| x.name.en.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let quoted_zh: String = all.iter().map(|x| format!("「{}」", x.name.zh)).collect();
    let vendors_zh = vendors
        .iter()
        .map(|v| v.zh.as_str())
        .collect::<Vec<_>>()
        .join("、");
    let vendors_en = vendors
        .iter()
        .map(|v| v.en.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    let (sdk_en, verb_en) = if all.len() > 1 {
        ("third-party SDKs", "are")
    } else {
        ("third-party SDK", "is")
    };
    let (vendor_says_zh, vendor_says_en) = match (all.len(), vendors.len()) {
        (1, _) => ("厂商声明其收集", "Its vendor says it collects"),
        (_, 1) => ("厂商声明它们收集", "Their vendor says they collect"),
        _ => ("厂商声明它们收集", "Their vendors say they collect"),
    };
    let place = call_place(&h.chain);
    Finding {
        id: format!("sdk_init.before_consent.{}", s.id),
        rule_ids: ctx.cite(&["191-3.1"], &["164-1.1", "PIPL-23"]),
        verdict,
        severity,
        title: if risky && h.consent_claimed {
            t(
                format!("用户同意前即告诉 SDK“已同意”：{names_zh}（{call}）"),
                format!("SDK told the user agreed before consent: {names_en} ({call})"),
            )
        } else if risky {
            t(
                format!("SDK 在用户同意前初始化：{names_zh}（{call}）"),
                format!("SDK initialised before consent: {names_en} ({call})"),
            )
        } else {
            t(
                format!("SDK 启动时的初始化：{names_zh}"),
                format!("SDK start-up: {names_en}"),
            )
        },
        description: t(
            format!(
                "第三方 SDK{quoted_zh}（{vendors_zh}）在无需用户操作即运行的启动路径上被调用或由系统启动。{state_zh}{vendor_says_zh}：{}。",
                if collects_zh.is_empty() {
                    "未声明".into()
                } else {
                    list(&collects_zh, 10).zh
                }
            ),
            format!(
                "The {sdk_en} {names_en} ({vendors_en}) {verb_en} called on a start-up path that runs without any user action, or started by the system. {state_en} {vendor_says_en}: {}.",
                if collects_en.is_empty() {
                    "nothing declared".into()
                } else {
                    list(&collects_en, 10).en
                }
            ),
        ),
        evidence: vec![h.chain.clone()],
        remediation: sdk_fix(ctx, s, if risky { place.as_deref() } else { None }),
    }
}

fn background(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    // Calls a self-start trigger reaches are reported with their trigger
    // and chain in `background.self_start.*` (checks/background.rs).
    let self_started: std::collections::HashSet<usize> = ctx
        .facts
        .reach
        .self_start
        .iter()
        .map(|h| h.api_use)
        .collect();
    let rest: Vec<ChainHit> = ctx
        .facts
        .reach
        .background
        .iter()
        .filter(|h| !self_started.contains(&h.api_use))
        .cloned()
        .collect();
    for ((_, subject), hits) in by_subject(ctx, &rest) {
        let (zh, en, evidence) = chains_and_pi(ctx, &hits);
        let (who_zh, who_en) = subject_name(ctx, &subject);
        let n = hits.len();
        let missing = hits.iter().filter(|h| permission_missing(ctx, h)).count();
        let (miss_zh, miss_en) = missing_text(missing, n);
        let (verdict, severity) = if missing < n {
            (Verdict::Risk, Severity::Medium)
        } else {
            (Verdict::Manual, Severity::Low)
        };
        out.push(Finding {
            id: format!("background.{subject}"),
            rule_ids: ctx.cite(&["164-1.2"], &["191-3.1"]),
            verdict,
            severity,
            title: t(
                format!("仅在后台收集个人信息：{who_zh}"),
                format!("PI collected only in the background: {who_en}"),
            ),
            description: t(
                format!(
                    "{who_zh}中有 {n} 处敏感 API 调用（{}）只能从广播接收器、服务或后台任务到达，从任何界面（Activity、Fragment、对话框、点击回调）和启动入口都到达不了：它们在用户看不到 App 时运行。164号文重点整治在静默状态或后台运行时超范围收集（164-1.2）。{miss_zh}需运行时确认调用频率与场景是否合理。",
                    list(&zh, 10).zh
                ),
                format!(
                    "{n} sensitive API calls ({}) in {who_en} are reachable only from receivers, services or background jobs, from no screen (activity, fragment, dialog, click handler) and no start-up entry: they run while the user does not see the app. 164 targets collection beyond need while silent or in the background (164-1.2).{miss_en} Confirm at run time how often and why they run.",
                    list(&en, 10).en
                ),
            ),
            evidence,
            remediation: ctx.remediation(
                "164-1.2",
                Some(t(
                    "去掉后台采集，或只在用户开启的功能需要时进行，并在隐私政策中说明后台收集的场景与频率。",
                    "Drop background collection, or do it only for a feature the user turned on, and state its scenario and frequency in the privacy policy.",
                )),
            ),
        });
    }
}

fn launch(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    id_services(ctx, out);
    let hits: Vec<&crate::reach::LaunchHit> = ctx
        .facts
        .reach
        .launches
        .iter()
        .filter(|h| !h.targets.is_empty())
        .collect();
    if hits.is_empty() {
        return;
    }
    let mut targets: Vec<String> = Vec::new();
    let mut evidence = Vec::new();
    let mut unattended = 0;
    for h in &hits {
        for x in &h.targets {
            if !targets.contains(x) {
                targets.push(x.clone());
            }
        }
        if let Some(c) = &h.chain {
            unattended += 1;
            evidence.push(c.clone());
        }
        evidence.extend(
            h.evidence
                .iter()
                .filter(|e| match e {
                    Evidence::String { value, .. } => !h.id_services.contains(value),
                    _ => true,
                })
                .cloned(),
        );
    }
    let severity = if unattended > 0 {
        Severity::Medium
    } else {
        Severity::Low
    };
    let n = hits.len();
    out.push(Finding {
        id: "launch.other_app".into(),
        rule_ids: ctx.cite(&["164-2.2"], &["MIIT26-autostart"]),
        verdict: Verdict::Risk,
        severity,
        title: t("关联启动其他应用", "Starts other apps (associated launch)"),
        description: t(
            format!(
                "{n} 个方法按包名、组件名或 URL scheme 启动、绑定或广播到其他应用：{}。{}164号文重点整治未告知、未经同意或无合理场景关联启动第三方 App（164-2.2）。需确认每次启动都由用户操作触发并在隐私政策中说明。",
                list(&targets, 10).zh,
                if unattended > 0 { format!("其中 {unattended} 个可在无用户操作时（启动或后台）运行。") } else { String::new() }
            ),
            format!(
                "{n} {} to other apps by package, component or URL scheme: {}. {}164 targets launching third-party apps without notice, consent or a reasonable scenario (164-2.2). Confirm each launch follows a user action and is stated in the privacy policy.",
                crate::text::plural(n, "method starts, binds or broadcasts", "methods start, bind or broadcast"),
                list(&targets, 10).en,
                if unattended > 0 { format!("{unattended} of them can run without user action (start-up or background). ") } else { String::new() }
            ),
        ),
        evidence,
        remediation: ctx.remediation(
            "164-2.2",
            Some(t(
                "只在用户主动操作时拉起其他应用；去掉 SDK 的相互唤醒（关联启动）功能，或在隐私政策中说明并提供关闭方式。",
                "Start other apps only on a user action; turn off SDKs' mutual wake-up (associated launch), or state it in the policy with a way to turn it off.",
            )),
        ),
    });
}

/// Binding phone makers' device-identifier (OAID) services: a system app is
/// started and what it returns is a device identifier.
fn id_services(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let hits: Vec<&crate::reach::LaunchHit> = ctx
        .facts
        .reach
        .launches
        .iter()
        .filter(|h| !h.id_services.is_empty())
        .collect();
    if hits.is_empty() {
        return;
    }
    let mut names: Vec<String> = Vec::new();
    let mut subjects: Vec<String> = Vec::new();
    let mut evidence = Vec::new();
    for h in &hits {
        for x in &h.id_services {
            if !names.contains(x) {
                names.push(x.clone());
            }
        }
        if !subjects.contains(&h.subject) {
            subjects.push(h.subject.clone());
        }
        evidence.extend(
            h.evidence
                .iter()
                .filter(|e| match e {
                    Evidence::String { value, .. } => h.id_services.contains(value),
                    _ => true,
                })
                .cloned(),
        );
        if let Some(c) = &h.chain {
            evidence.push(c.clone());
        }
    }
    let subjects = crate::text::join_texts(&crate::text::subjects_text(ctx.kb, &subjects));
    out.push(Finding {
        id: "launch.id_service".into(),
        rule_ids: ctx.cite(&["164-2.2"], &["191-3.1"]),
        verdict: Verdict::Manual,
        severity: Severity::Info,
        title: t(
            "绑定手机厂商设备标识（OAID）服务",
            "Binds phone makers' device-identifier (OAID) services",
        ),
        description: t(
            format!(
                "{}绑定手机厂商的设备标识服务（{}）以读取 OAID 等匿名设备标识：这会启动系统应用的服务，返回的标识属于个人信息。这是行业通行做法（移动安全联盟 OAID），不计入关联启动第三方 App；需确认仅在用户同意隐私政策后调用（191-3.1）。",
                subjects.zh,
                list(&names, 8).zh
            ),
            format!(
                "{} binds phone makers' device-identifier services ({}) to read the OAID and similar identifiers: this starts a system app's service, and the identifier it returns is PI. It is common practice (MSA OAID) and not counted as launching third-party apps; confirm it happens only after the user agrees to the privacy policy (191-3.1).",
                subjects.en,
                list(&names, 8).en
            ),
        ),
        evidence,
        remediation: ctx.remediation(
            "191-3.1",
            Some(t(
                "在用户同意隐私政策后再获取 OAID，并在隐私政策中说明。",
                "Read the OAID only after the user agrees to the privacy policy, and say so in the policy.",
            )),
        ),
    });
}

/// Exported services of SDKs with actions of their own: other apps that
/// embed the same SDK can start them (mutual wake-up, 相互唤醒).
fn wakeable(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let mut evidence = Vec::new();
    let mut sdks: Vec<String> = Vec::new();
    for c in &ctx.facts.components {
        if c.kind != ComponentKind::Service || !c.exported || !c.enabled || c.permission.is_some() {
            continue;
        }
        let subject = ctx.facts.reach.component_subject(&c.name);
        let Some(sdk) = subject
            .filter(|s| s.starts_with("sdk:"))
            .map(str::to_string)
        else {
            continue;
        };
        let actions: Vec<&str> = c
            .intent_filters
            .iter()
            .flat_map(|f| &f.actions)
            .map(String::as_str)
            .filter(|a| !a.starts_with("android.") && !a.starts_with("com.google.android."))
            .collect();
        if actions.is_empty() {
            continue;
        }
        if !sdks.contains(&sdk) {
            sdks.push(sdk.clone());
        }
        evidence.push(Evidence::Manifest {
            element: "service".into(),
            name: Some(c.name.clone()),
            detail: Some(format!(
                "exported, no permission; {sdk}; <intent-filter> action {}",
                actions.join(", ")
            )),
        });
    }
    if evidence.is_empty() {
        return;
    }
    let n = evidence.len();
    out.push(Finding {
        id: "launch.wakeable".into(),
        rule_ids: ctx.cite(&["164-2.2"], &["MIIT26-autostart"]),
        verdict: Verdict::Risk,
        severity: Severity::Low,
        title: t(
            "SDK 服务可被其他应用唤醒",
            "SDK services other apps can wake",
        ),
        description: t(
            format!(
                "{n} 个由第三方 SDK（{}）声明的服务已导出、不要求权限，且响应 SDK 自定义的 action：集成了同一 SDK 的其他应用可以启动或绑定它们，从而拉起本 App（相互唤醒、关联启动）。这是静态推断，需运行时确认 SDK 是否启用了唤醒功能。",
                sdks.join("、")
            ),
            format!(
                "{n} {} by third-party SDKs ({}) {} exported without a permission and {} SDK-specific actions: other apps embedding the same SDK can start or bind {} and so start this app (mutual wake-up, associated launch). Inferred statically; confirm at run time whether the SDK's wake-up feature is on.",
                crate::text::plural(n, "service declared", "services declared"),
                sdks.join(", "),
                crate::text::plural(n, "is", "are"),
                crate::text::plural(n, "answers", "answer"),
                crate::text::plural(n, "it", "them")
            ),
        ),
        evidence,
        remediation: ctx.remediation(
            "164-2.2",
            Some(t(
                "关闭 SDK 的唤醒/拉活功能（多数推送 SDK 提供开关），或将这些服务设为 android:exported=\"false\"。",
                "Turn off the SDK's wake-up (keep-alive) feature (most push SDKs have a switch), or set android:exported=\"false\" on these services.",
            )),
        ),
    });
}
