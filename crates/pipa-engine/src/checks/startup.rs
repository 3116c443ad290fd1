//! Self-start: receivers of the boot broadcast (164-2.2).

use super::Ctx;
use crate::model::{Evidence, Finding, Severity, Verdict};
use crate::text::t;
use pipa_android::manifest::ComponentKind;

const BOOT_ACTIONS: &[&str] = &[
    "android.intent.action.BOOT_COMPLETED",
    "android.intent.action.LOCKED_BOOT_COMPLETED",
    "android.intent.action.QUICKBOOT_POWERON",
    "com.htc.intent.action.QUICKBOOT_POWERON",
];
const RECEIVE_BOOT: &str = "android.permission.RECEIVE_BOOT_COMPLETED";

pub(crate) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let f = ctx.facts;
    let mut evidence = Vec::new();
    for c in &f.components {
        if c.kind != ComponentKind::Receiver || !c.enabled {
            continue;
        }
        let actions: Vec<&str> = c
            .intent_filters
            .iter()
            .flat_map(|i| i.actions.iter())
            .map(String::as_str)
            .filter(|a| BOOT_ACTIONS.contains(a))
            .collect();
        if !actions.is_empty() {
            evidence.push(Evidence::Manifest {
                element: "receiver".into(),
                name: Some(c.name.clone()),
                detail: Some(format!("<intent-filter> action {}", actions.join(", "))),
            });
        }
    }
    let perm = f.permission(RECEIVE_BOOT);
    if evidence.is_empty() || perm.is_none() {
        // Without the permission the boot broadcast is never delivered.
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
    let n = evidence.len() - 1;
    out.push(Finding {
        id: "start.boot".into(),
        rule_ids: ctx.cite(&["164-2.2"], &["MIIT26-autostart"]),
        verdict: Verdict::Risk,
        severity: Severity::Low,
        title: t("开机自启动", "Starts itself at boot"),
        description: t(
            format!("App 申请了 RECEIVE_BOOT_COMPLETED，并有 {n} 个接收开机广播的组件，设备开机后无需用户操作即可启动。164号文重点整治未告知、未经同意或无合理场景的频繁自启动（164-2.2）；是否有合理场景、启动后是否收集个人信息，需结合功能与运行时检测判断。"),
            format!("The app requests RECEIVE_BOOT_COMPLETED and has {n} receivers of the boot broadcast: it starts after boot without any user action. 164 targets frequent self-start without notice, consent or a reasonable scenario (164-2.2); whether the scenario is reasonable and whether PI is collected after start must be judged from the features and at run time."),
        ),
        evidence,
        remediation: ctx.remediation(
            "164-2.2",
            Some(t(
                "去掉不必要的开机自启动；确需自启动的，在隐私政策中说明场景并提供关闭方式，自启动后不在用户同意前收集个人信息。",
                "Drop self-start at boot unless needed; where needed, explain it in the policy, offer a way to turn it off, and collect no PI after such a start before consent.",
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
}
