//! Self-start (164-2.2, 26号文): receivers of system broadcasts (boot and
//! others), sync adapters and account authenticators, periodic alarms and
//! jobs, sticky services. The triggers are `kb/startup.yaml` data; each
//! component or call is attributed to the app or an SDK.

use super::Ctx;
use crate::model::{Evidence, Finding, Severity, Verdict};
use crate::text::t;
use pipa_android::manifest::ComponentKind;

const RECEIVE_BOOT: &str = "android.permission.RECEIVE_BOOT_COMPLETED";

pub(crate) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    manifest_triggers(ctx, out, "boot");
    manifest_triggers(ctx, out, "broadcast");
    manifest_triggers(ctx, out, "sync");
    code_triggers(ctx, out, "periodic");
    code_triggers(ctx, out, "sticky");
}

fn subject_of(ctx: &Ctx<'_>, class: &str) -> String {
    ctx.facts
        .reach
        .component_subject(class)
        .unwrap_or("unknown")
        .to_string()
}

/// Receivers (boot, broadcast) or services (sync) answering the group's actions.
fn manifest_triggers(ctx: &Ctx<'_>, out: &mut Vec<Finding>, group: &str) {
    let f = ctx.facts;
    let st = &ctx.kb.startup;
    let (kind, triggers) = if group == "sync" {
        (ComponentKind::Service, &st.keep_alive_services)
    } else {
        (ComponentKind::Receiver, &st.system_broadcasts)
    };
    let mut evidence = Vec::new();
    let mut names_zh: Vec<String> = Vec::new();
    let mut names_en: Vec<String> = Vec::new();
    let mut reached = 0usize;
    // Receivers whose broadcasts the system no longer delivers to receivers
    // declared in the manifest at the app's target SDK: information only.
    let mut undelivered: Vec<Evidence> = Vec::new();
    let target = f.app.target_sdk;
    for c in &f.components {
        if c.kind != kind || !c.enabled {
            continue;
        }
        let all: Vec<&pipa_kb::Trigger> = c
            .intent_filters
            .iter()
            .flat_map(|i| i.actions.iter())
            .filter_map(|a| triggers.iter().find(|t| t.action == *a && t.group == group))
            .collect();
        let (hits, lost): (Vec<&pipa_kb::Trigger>, Vec<&pipa_kb::Trigger>) = all
            .into_iter()
            .partition(|t| t.delivered_to_manifest(target));
        if !lost.is_empty() {
            let actions: Vec<&str> = lost.iter().map(|h| h.action.as_str()).collect();
            undelivered.push(Evidence::Manifest {
                element: "receiver".into(),
                name: Some(c.name.clone()),
                detail: Some(format!(
                    "{}; <intent-filter> action {}: not delivered to manifest receivers at targetSdkVersion {target}",
                    subject_of(ctx, &c.name),
                    actions.join(", ")
                )),
            });
        }
        if hits.is_empty() {
            continue;
        }
        for h in &hits {
            if !names_zh.contains(&h.zh) {
                names_zh.push(h.zh.clone());
                names_en.push(h.en.clone());
            }
        }
        let n = f
            .reach
            .self_start_reach
            .iter()
            .find(|(comp, _)| *comp == c.name)
            .map_or(0, |(_, n)| *n);
        reached += n;
        let actions: Vec<&str> = hits.iter().map(|h| h.action.as_str()).collect();
        let mut detail = format!(
            "{}; <intent-filter> action {}",
            subject_of(ctx, &c.name),
            actions.join(", ")
        );
        if n > 0 {
            detail.push_str(&format!("; reaches {n} sensitive API calls"));
        }
        evidence.push(Evidence::Manifest {
            element: if kind == ComponentKind::Service {
                "service".into()
            } else {
                "receiver".into()
            },
            name: Some(c.name.clone()),
            detail: Some(detail),
        });
    }
    if evidence.is_empty() {
        if !undelivered.is_empty() {
            out.push(undelivered_finding(ctx, group, target, undelivered));
        }
        return;
    }
    if group == "boot" {
        // Without the permission the boot broadcast is never delivered.
        if f.permission(RECEIVE_BOOT).is_none() {
            return;
        }
        evidence.insert(
            0,
            Evidence::Manifest {
                element: "uses-permission".into(),
                name: Some(RECEIVE_BOOT.into()),
                detail: None,
            },
        );
    }
    let n = evidence.len() - usize::from(group == "boot");
    let (title, what_zh, what_en) = match group {
        "boot" => (
            t("开机自启动", "Starts itself at boot"),
            format!(
                "App 申请了 RECEIVE_BOOT_COMPLETED，并有 {n} 个接收开机广播的组件，设备开机后无需用户操作即可启动。"
            ),
            format!(
                "The app requests RECEIVE_BOOT_COMPLETED and has {n} receivers of the boot broadcast: it starts after boot without any user action."
            ),
        ),
        "broadcast" => (
            t("监听系统广播自启动", "Starts itself on system broadcasts"),
            format!(
                "{n} 个接收器在清单中静态注册了系统广播（{}），广播发生时系统会启动 App 进程（Android 8.0 起多数隐式广播不再投递给静态接收器，但开机、解锁等例外仍可投递，旧版本系统全部投递）。",
                names_zh.join("、")
            ),
            format!(
                "{n} {} system broadcasts in the manifest ({}): the system starts the app's process when they occur (since Android 8.0 most implicit broadcasts are no longer delivered to manifest receivers, but exempt ones such as boot and unlock still are, and older systems deliver all).",
                crate::text::plural(n, "receiver registers", "receivers register"),
                names_en.join(", ")
            ),
        ),
        _ => (
            t(
                "同步适配器/账户服务保活",
                "Kept alive by sync adapter or account service",
            ),
            format!(
                "{n} 个服务声明为同步适配器或账户验证器（{}），系统会按同步计划在后台启动它们，常被用于保活。",
                names_zh.join("、")
            ),
            format!(
                "{n} {} as sync adapters or account authenticators ({}): the system starts {} in the background on its sync schedule, a common keep-alive technique.",
                crate::text::plural(n, "service is declared", "services are declared"),
                names_en.join(", "),
                crate::text::plural(n, "it", "them")
            ),
        ),
    };
    let (lost_zh, lost_en) = if undelivered.is_empty() {
        (String::new(), String::new())
    } else {
        (
            format!(
                "另有 {} 个接收器的广播在 targetSdkVersion {target} 下不会投递给清单接收器，不计入。",
                undelivered.len()
            ),
            format!(
                "{} more receivers declare only broadcasts not delivered to manifest receivers at targetSdkVersion {target}; not counted. ",
                undelivered.len()
            ),
        )
    };
    let reach_zh = if reached > 0 {
        format!("从这些组件可到达 {reached} 处敏感 API 调用（见 background.self_start.* 发现）。")
    } else {
        String::new()
    };
    let reach_en = if reached > 0 {
        format!(
            "{reached} sensitive API calls are reachable from them (see the background.self_start.* findings). "
        )
    } else {
        String::new()
    };
    out.push(Finding {
        id: format!("start.{group}"),
        rule_ids: ctx.cite(&["164-2.2"], &["MIIT26-autostart"]),
        verdict: Verdict::Risk,
        severity: if reached > 0 { Severity::Medium } else { Severity::Low },
        title,
        description: t(
            format!("{what_zh}{reach_zh}{lost_zh}164号文重点整治未告知、未经同意或无合理场景的频繁自启动（164-2.2）；是否有合理场景、启动后是否收集个人信息，需结合功能与运行时检测判断。"),
            format!("{what_en} {reach_en}{lost_en}164 targets frequent self-start without notice, consent or a reasonable scenario (164-2.2); whether the scenario is reasonable and whether PI is collected after start must be judged from the features and at run time."),
        ),
        evidence,
        remediation: ctx.remediation(
            "164-2.2",
            Some(t(
                "去掉不必要的自启动；确需自启动的，在隐私政策中说明场景并提供关闭方式，自启动后不在用户同意前收集个人信息。",
                "Drop self-start unless needed; where needed, explain it in the policy, offer a way to turn it off, and collect no PI after such a start before consent.",
            )),
        ),
    });
}

/// Receivers of system broadcasts that the system does not start at the
/// app's target SDK (Android 7.0: CONNECTIVITY_ACTION; Android 8.0: implicit
/// broadcasts outside the exception list; some never reach manifest
/// receivers): present, but they cannot start the app. `pass`, `info`.
fn undelivered_finding(
    ctx: &Ctx<'_>,
    group: &str,
    target: i64,
    evidence: Vec<Evidence>,
) -> Finding {
    let n = evidence.len();
    Finding {
        id: format!("start.{group}"),
        rule_ids: ctx.cite(&["164-2.2"], &["MIIT26-autostart"]),
        verdict: Verdict::Pass,
        severity: Severity::Info,
        title: t(
            "静态注册的系统广播不会投递（不能自启动）",
            "Manifest receivers of system broadcasts the system does not deliver (no self-start)",
        ),
        description: t(
            format!(
                "{n} 个接收器在清单中静态注册了系统广播，但 App 的 targetSdkVersion 为 {target}：Android 7.0 起网络变化广播、Android 8.0 起不在豁免清单内的隐式广播不再投递给清单中声明的接收器（亮屏、电量变化等从不投递），系统不会因这些广播启动 App。它们不计为自启动风险；若 App 在运行时以 registerReceiver 动态注册，只在进程已运行时生效。"
            ),
            format!(
                "{n} receivers declare system broadcasts in the manifest, but the app targets SDK {target}: from Android 7.0 the connectivity broadcast, and from Android 8.0 implicit broadcasts outside the exception list, are no longer delivered to receivers declared in the manifest (screen on, battery changed and a few others never are), so these broadcasts do not start the app. They are not counted as self-start risk; receivers registered at run time with registerReceiver work only while the process runs."
            ),
        ),
        evidence,
        remediation: t(
            "无需整改；可删除这些不再生效的静态注册。",
            "Nothing to fix; these manifest registrations no longer work and can be removed.",
        ),
    }
}

/// Periodic alarms/jobs and sticky services found in the code.
fn code_triggers(ctx: &Ctx<'_>, out: &mut Vec<Finding>, group: &str) {
    let hits: Vec<&crate::reach::CodeTrigger> = ctx
        .facts
        .reach
        .triggers
        .iter()
        .filter(|h| h.group == group)
        .collect();
    if hits.is_empty() {
        return;
    }
    let mut zh: Vec<String> = Vec::new();
    let mut en: Vec<String> = Vec::new();
    let mut subjects: Vec<String> = Vec::new();
    for h in &hits {
        if !zh.contains(&h.what.0) {
            zh.push(h.what.0.clone());
            en.push(h.what.1.clone());
        }
        if !subjects.contains(&h.subject) {
            subjects.push(h.subject.clone());
        }
    }
    let subjects = crate::text::join_texts(&crate::text::subjects_text(ctx.kb, &subjects));
    let n = hits.len();
    let evidence: Vec<Evidence> = hits
        .iter()
        .take(super::MAX_CODE_EVIDENCE)
        .map(|h| h.evidence.clone())
        .collect();
    let (title, d_zh, d_en) = if group == "periodic" {
        (
            t("定时唤醒（周期闹钟/任务）", "Wakes itself on a schedule"),
            format!(
                "代码中有 {n} 处设置周期闹钟或持久化/周期任务（{}；{}），App 关闭后系统仍会按计划启动它。",
                zh.join("、"),
                subjects.zh
            ),
            format!(
                "{n} {} repeating alarms or persisted/periodic jobs ({}; {}): the system starts the app on schedule even after it was closed.",
                crate::text::plural(n, "call schedules", "calls schedule"),
                en.join(", "),
                subjects.en
            ),
        )
    } else {
        (
            t(
                "粘性服务（被杀后自动重启）",
                "Sticky services (restart after being killed)",
            ),
            format!(
                "{n} 个服务的 onStartCommand 返回 {}（{}），进程被系统回收后会自动重启服务。",
                zh.join("、"),
                subjects.zh
            ),
            format!(
                "{n} {} {} from onStartCommand ({}): the system restarts {} after killing the process.",
                crate::text::plural(n, "service returns", "services return"),
                en.join(", "),
                subjects.en,
                crate::text::plural(n, "it", "them")
            ),
        )
    };
    out.push(Finding {
        id: format!("start.{group}"),
        rule_ids: ctx.cite(&["164-2.2"], &["MIIT26-autostart"]),
        verdict: Verdict::Risk,
        severity: Severity::Low,
        title,
        description: t(
            format!("{d_zh}是否有合理场景（如用户设置的提醒）、频率与启动后的行为需人工与运行时确认（164-2.2）。"),
            format!("{d_en} Whether there is a reasonable scenario (e.g. a reminder the user set), how often, and what runs then must be confirmed by a person and at run time (164-2.2)."),
        ),
        evidence,
        remediation: ctx.remediation(
            "164-2.2",
            Some(t(
                "只为用户开启的功能设置定时任务；服务不需要时返回 START_NOT_STICKY。",
                "Schedule work only for features the user turned on; return START_NOT_STICKY from services that need not restart.",
            )),
        ),
    });
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;

    #[test]
    fn boot_receiver_needs_the_permission() {
        let kb = kb();
        let mut f = facts_with(&[], 30);
        f.components.push(receiver(
            "com.x.Boot",
            &["android.intent.action.BOOT_COMPLETED"],
        ));
        let (_, findings) = super::super::run(&f, &kb);
        assert!(!findings.iter().any(|x| x.id == "start.boot"));
        let mut f = facts_with(&["android.permission.RECEIVE_BOOT_COMPLETED"], 30);
        f.components.push(receiver(
            "com.x.Boot",
            &["android.intent.action.BOOT_COMPLETED"],
        ));
        let (_, findings) = super::super::run(&f, &kb);
        let b = findings
            .iter()
            .find(|x| x.id == "start.boot")
            .expect("boot");
        assert_eq!(b.evidence.len(), 2);
    }

    #[test]
    fn other_system_broadcasts_are_their_own_finding() {
        let kb = kb();
        let mut f = facts_with(&[], 30);
        f.components.push(receiver(
            "com.x.Net",
            &[
                "android.net.conn.CONNECTIVITY_CHANGE",
                "android.intent.action.USER_PRESENT",
                "com.x.CUSTOM",
            ],
        ));
        let (_, findings) = super::super::run(&f, &kb);
        let b = findings
            .iter()
            .find(|x| x.id == "start.broadcast")
            .expect("broadcast");
        assert_eq!(b.evidence.len(), 1);
        assert!(!findings.iter().any(|x| x.id == "start.boot"));
        // Target 30: neither broadcast reaches a manifest receiver.
        assert_eq!(b.verdict, crate::model::Verdict::Pass);
    }

    #[test]
    fn broadcasts_count_only_where_the_system_delivers_them() {
        let kb = kb();
        let verdict = |target: i64, action: &str| {
            let mut f = facts_with(&[], target);
            f.components.push(receiver("com.x.Net", &[action]));
            let (_, findings) = super::super::run(&f, &kb);
            findings
                .iter()
                .find(|x| x.id == "start.broadcast")
                .map(|x| x.verdict)
        };
        use crate::model::Verdict::{Pass, Risk};
        let conn = "android.net.conn.CONNECTIVITY_CHANGE";
        assert_eq!(verdict(23, conn), Some(Risk));
        assert_eq!(verdict(24, conn), Some(Pass));
        let unlock = "android.intent.action.USER_PRESENT";
        assert_eq!(verdict(25, unlock), Some(Risk));
        assert_eq!(verdict(26, unlock), Some(Pass));
        assert_eq!(verdict(21, "android.intent.action.SCREEN_ON"), Some(Pass));
        // Exempt: delivered at any target.
        assert_eq!(
            verdict(34, "android.intent.action.LOCALE_CHANGED"),
            Some(Risk)
        );
    }
}
