//! Sensitive-API call sites: one finding per PI type (191-3.1, 164-1.2), the
//! topics the 2020 plan names as separate findings, and what the policy must
//! disclose (191-2.1, 191-5.1).

use super::{Ctx, code_evidence, permission_evidence};
use crate::facts::ApiSite;
use crate::model::{
    ApiUse, Evidence, Finding, Severity, SiteEffect, SitePermission, SiteReach, Verdict,
};
use crate::text::{list, t};
use pipa_kb::Text;

/// A topic named in the 2020 plan: its tag on kb APIs, the PI type whose
/// permissions also count as evidence, severity, title.
struct Topic {
    tag: &'static str,
    permission_pi: Option<&'static str>,
    severity: Severity,
    zh: &'static str,
    en: &'static str,
}

const TOPICS: &[Topic] = &[
    Topic {
        tag: "clipboard_read",
        permission_pi: None,
        severity: Severity::Medium,
        zh: "读取剪切板",
        en: "Clipboard reads",
    },
    Topic {
        tag: "app_list",
        permission_pi: Some("app_list"),
        severity: Severity::High,
        zh: "获取软件安装列表",
        en: "Installed-app list queries",
    },
    Topic {
        tag: "recording",
        permission_pi: Some("audio"),
        severity: Severity::High,
        zh: "录音",
        en: "Audio recording",
    },
    Topic {
        tag: "camera",
        permission_pi: Some("camera"),
        severity: Severity::Medium,
        zh: "使用相机",
        en: "Camera use",
    },
    Topic {
        tag: "biometric",
        permission_pi: Some("biometric"),
        severity: Severity::High,
        zh: "使用生物识别",
        en: "Biometric use",
    },
    Topic {
        tag: "screen_capture",
        permission_pi: None,
        severity: Severity::High,
        zh: "录屏/截屏",
        en: "Screen capture",
    },
];

pub(crate) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    by_pi_type(ctx, out);
    for topic in TOPICS {
        topic_finding(ctx, topic, out);
    }
    disclosure(ctx, out);
    third_party(ctx, out);
    inert(ctx, out);
}

/// Sites that cannot collect anything as the package stands: unreachable
/// code, and calls whose runtime permission is not declared. Information,
/// never a risk (items ignore these findings for their verdict).
fn inert(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let f = ctx.facts;
    let unreachable: Vec<&ApiUse> = f
        .api_uses
        .iter()
        .map(|s| &s.use_)
        .filter(|u| u.reach == SiteReach::Unreachable)
        .collect();
    // A site both unreachable and without permission is listed once, as
    // unreachable.
    let no_permission: Vec<&ApiUse> = f
        .api_uses
        .iter()
        .map(|s| &s.use_)
        .filter(|u| u.reach == SiteReach::Live && u.permission == SitePermission::Missing)
        .collect();
    let pis = |uses: &[&ApiUse]| -> (String, String) {
        let mut ids: Vec<&str> = Vec::new();
        for u in uses {
            if !ids.contains(&u.pi_type.as_str()) {
                ids.push(&u.pi_type);
            }
        }
        let zh: Vec<String> = ids.iter().map(|p| ctx.pi_name(p).zh).collect();
        let en: Vec<String> = ids.iter().map(|p| ctx.pi_name(p).en).collect();
        (list(&zh, 10).zh, list(&en, 10).en)
    };
    if !unreachable.is_empty() {
        let (zh, en) = pis(&unreachable);
        let apis = api_names(unreachable.iter().copied());
        out.push(Finding {
            id: "api.inert.unreachable".into(),
            rule_ids: ctx.cite(&["191-3.1"], &[]),
            verdict: Verdict::Pass,
            severity: Severity::Info,
            title: t(
                "代码存在但不可达（不计为风险）",
                "Present in code, not reachable (not counted as risk)",
            ),
            description: t(
                format!(
                    "{} 处敏感 API 调用（{zh}；接口 {}）所在的方法从任何入口都到达不了：清单组件、资源与字符串中命名的类、运行代码创建的对象和调用都不通向它们（多为库中未使用的代码）。它们不构成收集，未计入风险；若应用通过未识别的方式（加固、动态加载、native 回调）运行这些代码，需运行时确认。",
                    unreachable.len(),
                    list(&apis, 6).zh
                ),
                format!(
                    "{} sensitive-API {} ({en}; APIs {}) in methods no entry point reaches: no manifest component, no class named in resources or strings, no object or call of running code leads there (mostly unused library code). This code collects nothing and is not counted as risk; if the app runs it in a way not seen here (packing, dynamic loading, native callbacks), confirm at run time.",
                    unreachable.len(),
                    crate::text::plural(unreachable.len(), "call site is", "call sites are"),
                    list(&apis, 6).en
                ),
            ),
            evidence: code_evidence(unreachable.iter().copied()),
            remediation: t(
                "无需整改；可用 R8/ProGuard 删除未使用的代码以免误报。",
                "Nothing to fix; shrinking (R8/ProGuard) removes unused code and such reports.",
            ),
        });
    }
    // Live, permission not missing, and no collection: what each call does.
    let not_collection: Vec<&ApiUse> = f
        .api_uses
        .iter()
        .map(|s| &s.use_)
        .filter(|u| {
            u.reach == SiteReach::Live
                && u.permission != SitePermission::Missing
                && u.effect != SiteEffect::Collects
        })
        .collect();
    if !not_collection.is_empty() {
        out.push(not_collection_finding(ctx, &not_collection));
    }
    if !no_permission.is_empty() {
        let (zh, en) = pis(&no_permission);
        let apis = api_names(no_permission.iter().copied());
        let mut perms: Vec<String> = Vec::new();
        for s in f.api_uses.iter().filter(|s| {
            s.use_.reach == SiteReach::Live && s.use_.permission == SitePermission::Missing
        }) {
            for p in ctx
                .kb
                .apis
                .get(s.entry)
                .map_or(&[][..], |a| a.permissions.as_slice())
            {
                if !perms.contains(p) {
                    perms.push(p.clone());
                }
            }
        }
        let short: Vec<String> = perms
            .iter()
            .map(|p| p.rsplit('.').next().unwrap_or(p).to_string())
            .collect();
        out.push(Finding {
            id: "api.inert.permission_missing".into(),
            rule_ids: ctx.cite(&["191-3.1"], &[]),
            verdict: Verdict::Pass,
            severity: Severity::Info,
            title: t(
                "权限未声明，调用无法成功（不计为风险）",
                "Cannot succeed: permission not declared (not counted as risk)",
            ),
            description: t(
                format!(
                    "{} 处可到达的敏感 API 调用（{zh}；接口 {}）需要运行时权限（任一：{}），而清单未声明其中任何一个（或其 maxSdkVersion 低于 minSdkVersion）：系统不会授予，调用无法取得数据，未计入风险。若今后在清单中增加这些权限，这些调用即构成收集。",
                    no_permission.len(),
                    list(&apis, 6).zh,
                    list(&short, 8).zh
                ),
                format!(
                    "{} reachable sensitive-API {} ({en}; APIs {}) a runtime permission (any of: {}) that the manifest does not declare (or whose maxSdkVersion is below minSdkVersion): the system cannot grant it, so the calls get no data and are not counted as risk. Declaring the permission later turns them into collection.",
                    no_permission.len(),
                    crate::text::plural(no_permission.len(), "call site needs", "call sites need"),
                    list(&apis, 6).en,
                    list(&short, 8).en
                ),
            ),
            evidence: code_evidence(no_permission.iter().copied()),
            remediation: t(
                "无需整改；若不需要这些功能，可移除相关代码或依赖。",
                "Nothing to fix; if the features are not needed, remove the code or dependency.",
            ),
        });
    }
}

/// Reachable calls that collect nothing, by what they do: an SMS sent, a
/// storage path, one named target looked up, the app's own data.
fn not_collection_finding(ctx: &Ctx<'_>, uses: &[&ApiUse]) -> Finding {
    let kinds: [(SiteEffect, &str, &str); 4] = [
        (
            SiteEffect::Sends,
            "发送数据（如短信，SmsManager.sendTextMessage）：是发送而非读取，确认每次发送都由用户操作触发、内容与号码为用户所知",
            "send data (an SMS, SmsManager.sendTextMessage): a send, not a read; confirm each send is the user's action, with a number and text the user knows",
        ),
        (
            SiteEffect::Locates,
            "取得存储位置（Environment.getExternalStorageDirectory 等）：只返回路径，本身不读取文件",
            "get a storage location (Environment.getExternalStorageDirectory …): a path, no file is read by the call",
        ),
        (
            SiteEffect::LooksUp,
            "查询一个指定目标（某个包名、一个具体 Intent 的处理者、限定到一个包或组件的 Intent）：不是枚举已安装应用",
            "look up one named target (a package name, the handlers of one specific intent, an intent limited to one package or component): no enumeration of installed apps",
        ),
        (
            SiteEffect::OwnData,
            "只得到本应用自己的数据（调用方法同时取本进程号 Process.myPid，或自应用支持的最低系统版本起平台只返回本应用的数据）",
            "get only the app's own data (the calling method also takes its own Process.myPid, or from the app's minSdkVersion the platform returns nothing else)",
        ),
    ];
    let mut zh: Vec<String> = Vec::new();
    let mut en: Vec<String> = Vec::new();
    for (k, kz, ke) in kinds {
        let of_kind: Vec<&ApiUse> = uses.iter().copied().filter(|u| u.effect == k).collect();
        if of_kind.is_empty() {
            continue;
        }
        let apis = api_names(of_kind.iter().copied());
        zh.push(format!("{} 处{kz}（{}）", of_kind.len(), list(&apis, 4).zh));
        en.push(format!(
            "{} sites {ke} ({})",
            of_kind.len(),
            list(&apis, 4).en
        ));
    }
    Finding {
        id: "api.inert.not_collection".into(),
        rule_ids: ctx.cite(&["191-3.1"], &[]),
        verdict: Verdict::Pass,
        severity: Severity::Info,
        title: t(
            "调用不构成收集（不计为风险）",
            "Calls that collect nothing (not counted as risk)",
        ),
        description: t(
            format!(
                "以下可到达的敏感 API 调用不读取个人信息，未计入风险：{}。判断依据是知识库中每个接口的作用（apis.yaml 的 effect、enumerates_when、intent_limited_by、own_when_calls、no_pi_from_api）与调用方法加载的常量；无法判定的调用一律按收集计入。",
                zh.join("；")
            ),
            format!(
                "These reachable sensitive-API calls read no personal information and are not counted as risk: {}. Decided from what each API does in the knowledge base (effect, enumerates_when, intent_limited_by, own_when_calls, no_pi_from_api in apis.yaml) and the constants the calling method loads; calls that cannot be decided are counted as collection.",
                en.join("; ")
            ),
        ),
        evidence: code_evidence(uses.iter().copied()),
        remediation: t(
            "无需整改；发送短信须由用户操作触发。",
            "Nothing to fix; an SMS must be sent only on the user's action.",
        ),
    }
}

/// The sites that can run and succeed: reachable, permission not missing.
/// Only these make a risk; the others are listed by `api.inert.*`.
fn effective<'k>(ctx: &'k Ctx<'_>) -> impl Iterator<Item = &'k ApiSite> + 'k {
    ctx.facts.api_uses.iter().filter(|s| s.use_.is_effective())
}

fn tags<'k>(ctx: &'k Ctx<'_>, s: &ApiSite) -> &'k [String] {
    ctx.kb.apis.get(s.entry).map_or(&[], |a| a.tags.as_slice())
}

fn is_topic(ctx: &Ctx<'_>, s: &ApiSite) -> bool {
    tags(ctx, s)
        .iter()
        .any(|t| TOPICS.iter().any(|x| x.tag == t))
}

/// Distinct API names of `uses`, first-seen order.
fn api_names<'a>(uses: impl IntoIterator<Item = &'a ApiUse>) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for u in uses {
        let api = crate::text::short_dotted(&u.api);
        if !v.contains(&api) {
            v.push(api);
        }
    }
    v
}

fn counts<'a>(uses: impl IntoIterator<Item = &'a ApiUse>) -> (usize, usize) {
    let mut app = 0;
    let mut other = 0;
    for u in uses {
        if u.subject == "app" {
            app += 1;
        } else {
            other += 1;
        }
    }
    (app, other)
}

fn by_pi_type(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    // PI types in first-seen (kb entry) order.
    let mut pis: Vec<&str> = Vec::new();
    for s in effective(ctx) {
        if !is_topic(ctx, s) && !pis.contains(&s.use_.pi_type.as_str()) {
            pis.push(&s.use_.pi_type);
        }
    }
    for pi in pis {
        let uses: Vec<&ApiUse> = effective(ctx)
            .filter(|s| s.use_.pi_type == pi && !is_topic(ctx, s))
            .map(|s| &s.use_)
            .collect();
        let name = ctx.pi_name(pi);
        let sensitive = ctx.kb.pi_type(pi).is_some_and(|p| p.sensitive);
        out.push(Finding {
            id: format!("api.pi.{pi}"),
            rule_ids: ctx.cite(&["191-3.1"], &["164-1.2"]),
            verdict: Verdict::Risk,
            severity: if sensitive {
                Severity::High
            } else {
                Severity::Medium
            },
            title: t(
                format!("代码中存在收集{}的调用", name.zh),
                format!("The code collects {}", name.en.to_lowercase()),
            ),
            description: collect_description(&name, &uses, sensitive),
            evidence: code_evidence(uses.iter().copied()),
            remediation: ctx.remediation(
                "191-3.1",
                Some(t(
                    format!("仅在相关功能需要时调用上述接口，并在隐私政策中列明收集{}的目的。", name.zh),
                    format!("Call these APIs only when a feature needs them, and state in the policy why {} is collected.", name.en.to_lowercase()),
                )),
            ),
        });
    }
}

fn collect_description(name: &Text, uses: &[&ApiUse], sensitive: bool) -> Text {
    let (app, other) = counts(uses.iter().copied());
    let apis = api_names(uses.iter().copied());
    let sens_zh = if sensitive {
        "（敏感个人信息）"
    } else {
        ""
    };
    let sens_en = if sensitive { " (sensitive PI)" } else { "" };
    t(
        format!(
            "代码中有 {} 处调用可收集{}{}：App 自身代码 {app} 处，第三方代码 {other} 处；接口：{}。",
            uses.len(),
            name.zh,
            sens_zh,
            list(&apis, 8).zh
        ),
        format!(
            "{} {} can collect {}{sens_en}: {app} in the app's own code, {other} in third-party code; APIs: {}.",
            uses.len(),
            crate::text::plural(uses.len(), "call site", "call sites"),
            name.en.to_lowercase(),
            list(&apis, 8).en
        ),
    )
}

fn topic_finding(ctx: &Ctx<'_>, topic: &Topic, out: &mut Vec<Finding>) {
    let f = ctx.facts;
    let uses: Vec<&ApiUse> = effective(ctx)
        .filter(|s| tags(ctx, s).iter().any(|t| t == topic.tag))
        .map(|s| &s.use_)
        .collect();
    let perms: Vec<&crate::facts::PermissionFact> = match topic.permission_pi {
        Some(pi) => f
            .permissions
            .iter()
            .filter(|p| p.use_.pi_types.iter().any(|x| x == pi))
            .collect(),
        None => Vec::new(),
    };
    let q = &f.queries;
    let queries = topic.tag == "app_list"
        && !(q.packages.is_empty() && q.intents.is_empty() && q.providers.is_empty());
    if uses.is_empty() && perms.is_empty() && !queries {
        return;
    }
    let mut evidence: Vec<Evidence> = perms.iter().map(|p| permission_evidence(p, ctx)).collect();
    if queries {
        evidence.push(Evidence::Manifest {
            element: "queries".into(),
            name: None,
            detail: Some(format!(
                "{} <package>, {} <intent>, {} <provider>: the app can see these apps",
                q.packages.len(),
                q.intents.len(),
                q.providers.len()
            )),
        });
    }
    evidence.extend(code_evidence(uses.iter().copied()));
    let (app, other) = counts(uses.iter().copied());
    let apis = api_names(uses.iter().copied());
    let perm_names: Vec<String> = perms.iter().map(|p| p.use_.name.clone()).collect();
    // `<queries>` alone shows only targeted visibility of named apps.
    let severity = if uses.is_empty() && perms.is_empty() {
        Severity::Low
    } else {
        topic.severity
    };
    let biometric = topic.tag == "biometric";
    out.push(Finding {
        id: format!("api.{}", topic.tag),
        rule_ids: if biometric {
            ctx.cite(&["191-3.1"], &["164-1.2", "PIPL-28", "PIPL-29"])
        } else {
            ctx.cite(&["191-3.1"], &["164-1.2"])
        },
        verdict: Verdict::Risk,
        severity,
        title: t(topic.zh, topic.en),
        description: t(
            format!(
                "{}：代码调用 {} 处（App 自身 {app} 处，第三方 {other} 处）{}{}{}。这是 2020 年专项整治点名的行为，安装包只能证明具备该能力；是否在同意前、在后台或超出功能需要地执行，需运行时检测确认。",
                topic.zh,
                uses.len(),
                if apis.is_empty() { String::new() } else { format!("，接口 {}", list(&apis, 6).zh) },
                if perm_names.is_empty() { String::new() } else { format!("；申请权限 {}", list(&perm_names, 6).zh) },
                if queries { "；清单含 <queries> 声明" } else { "" },
            ),
            format!(
                "{}: {} {} ({app} in the app's own code, {other} third-party){}{}{}. The 2020 campaign names this behaviour; the package only proves the capability: whether it runs before consent, in the background or beyond what a feature needs must be confirmed at run time.",
                topic.en,
                uses.len(),
                crate::text::plural(uses.len(), "call site", "call sites"),
                if apis.is_empty() { String::new() } else { format!(", APIs {}", list(&apis, 6).en) },
                if perm_names.is_empty() { String::new() } else { format!("; permissions {}", list(&perm_names, 6).en) },
                if queries { "; the manifest has <queries>" } else { "" },
            ),
        ),
        evidence,
        remediation: ctx.remediation(
            "191-3.1",
            Some(t(
                format!("仅在用户主动使用相关功能且已同意后才{}，并在隐私政策中说明；第三方 SDK 的同类行为同样需要告知并取得同意。", topic.zh),
                format!("{} only when the user uses the feature and has consented, and say so in the policy; the same holds for third-party SDKs.", topic.en),
            )),
        ),
    });
}

/// What the policy must list: every PI type the code collects (191-2.1, 191-3.9).
fn disclosure(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    if effective(ctx).next().is_none() {
        return;
    }
    let mut pis: Vec<&str> = Vec::new();
    let mut evidence = Vec::new();
    for s in effective(ctx) {
        if !pis.contains(&s.use_.pi_type.as_str()) {
            pis.push(&s.use_.pi_type);
            evidence.extend(code_evidence([&s.use_]));
        }
    }
    let names: Vec<String> = pis.iter().map(|p| ctx.pi_name(p).zh).collect();
    let names_en: Vec<String> = pis.iter().map(|p| ctx.pi_name(p).en).collect();
    out.push(Finding {
        id: "api.disclosure".into(),
        rule_ids: ctx.cite(&["191-2.1", "191-3.9"], &[]),
        verdict: Verdict::Manual,
        severity: Severity::Medium,
        title: t(
            "隐私政策须逐项列明代码收集的个人信息",
            "The privacy policy must list the PI the code collects",
        ),
        description: t(
            format!(
                "代码（含第三方 SDK）可收集：{}（每类一个示例位置见证据，全部见 api_uses）。需核对隐私政策是否逐一列明这些信息的收集目的、方式和范围（191-2.1），以及实际收集是否与政策声明一致（191-3.9）。",
                names.join("、")
            ),
            format!(
                "The code (third-party SDKs included) can collect: {} (one example location each in the evidence; all in api_uses). Check that the privacy policy lists each with its purpose, method and scope (191-2.1) and that actual collection matches what it declares (191-3.9).",
                names_en.join(", ")
            ),
        ),
        evidence,
        remediation: ctx.remediation("191-2.1", None),
    });
}

/// Third-party code not attributed to a catalogued SDK that collects PI:
/// the policy must name it, and what it sends to its vendor needs consent
/// (191-5.1). Catalogued SDKs get a finding each (`sdk.<id>`).
fn third_party(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let uses: Vec<&ApiUse> = effective(ctx)
        .map(|s| &s.use_)
        .filter(|u| u.subject == "unknown-third-party")
        .collect();
    if uses.is_empty() {
        return;
    }
    // One example per calling package.
    let mut pkgs: Vec<String> = Vec::new();
    let mut examples: Vec<&ApiUse> = Vec::new();
    for u in &uses {
        let pkg = package_of(&u.caller);
        if !pkgs.contains(&pkg) {
            pkgs.push(pkg);
            examples.push(u);
        }
    }
    out.push(Finding {
        id: "api.third_party".into(),
        rule_ids: ctx.cite(&["191-5.1", "191-2.1"], &["164-1.3"]),
        verdict: Verdict::Manual,
        severity: Severity::Medium,
        title: t(
            format!("未识别的第三方代码（{} 个包）收集个人信息", pkgs.len()),
            format!(
                "Unidentified third-party code ({} {}) collects PI",
                pkgs.len(),
                crate::text::plural(pkgs.len(), "package", "packages")
            ),
        ),
        description: t(
            format!(
                "不属于 App 自身包名、也未归属到已知 SDK 的代码中有 {} 处敏感 API 调用，涉及包：{}。若这些 SDK 未经同意、未经匿名化将个人信息发送给第三方，即构成 191-5.1；隐私政策须列明嵌入的第三方代码及其收集的信息（191-2.1）。是否发送需抓包等运行时检测确认。",
                uses.len(),
                list(&pkgs, 10).zh
            ),
            format!(
                "{} sensitive-API {} in code outside the app's own package and not attributed to a known SDK, in: {}. If these SDKs send PI to third parties without consent and without anonymisation, that is 191-5.1; the policy must name the embedded third-party code and what it collects (191-2.1). Whether data is sent must be confirmed at run time (traffic capture).",
                uses.len(),
                crate::text::plural(uses.len(), "call site is", "call sites are"),
                list(&pkgs, 10).en
            ),
        ),
        evidence: code_evidence(examples),
        remediation: ctx.remediation(
            "191-5.1",
            Some(t(
                "在隐私政策中列出第三方 SDK 清单（名称、目的、收集的信息、隐私政策链接），用户同意前不初始化 SDK。",
                "List the third-party SDKs in the policy (name, purpose, data collected, their policy link) and do not initialise them before consent.",
            )),
        ),
    });
}

/// `Lcom/x/y/Z;->m()V` → `com.x.y` (or the class itself without a package).
fn package_of(caller: &str) -> String {
    let class = caller.split("->").next().unwrap_or(caller);
    let class = class.trim_start_matches('L').trim_end_matches(';');
    match class.rsplit_once('/') {
        Some((pkg, _)) => pkg.replace('/', "."),
        None => class.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;

    #[test]
    fn package_names() {
        assert_eq!(package_of("Lcom/x/y/Z;->m()V"), "com.x.y");
        assert_eq!(package_of("LZ;->m()V"), "Z");
    }

    #[test]
    fn api_sites_group_by_pi_type_and_topics_stand_apart() {
        let kb = kb();
        let mut f = facts_with(&[], 30);
        for i in 0..25 {
            f.api_uses.push(site(
                &kb,
                "telephony.get_device_id",
                &format!("La/b{i};->m()V"),
                "unknown-third-party",
            ));
        }
        f.api_uses.push(site(
            &kb,
            "telephony.get_device_id",
            "Lcom/x/A;->m()V",
            "app",
        ));
        f.api_uses.push(site(
            &kb,
            "clipboard.get_primary_clip",
            "Lcom/x/A;->m()V",
            "app",
        ));
        let (items, findings) = super::super::run(&f, &kb);
        let dev = findings
            .iter()
            .find(|x| x.id == "api.pi.device_id")
            .expect("device_id");
        assert_eq!(dev.verdict, Verdict::Risk);
        // 20 sites, app first, then a note on the other 6.
        assert_eq!(dev.evidence.len(), 21);
        assert!(matches!(&dev.evidence[0], Evidence::Code { subject, .. } if subject == "app"));
        assert!(
            matches!(&dev.evidence[20], Evidence::Note { text } if text.en.starts_with("6 more"))
        );
        let clip = findings
            .iter()
            .find(|x| x.id == "api.clipboard_read")
            .expect("clipboard");
        assert_eq!(clip.evidence.len(), 1);
        assert!(!findings.iter().any(|x| x.id == "api.pi.clipboard"));
        let tp = findings
            .iter()
            .find(|x| x.id == "api.third_party")
            .expect("third party");
        assert!(tp.rule_ids.contains(&"191-5.1".to_string()));
        let i31 = items.iter().find(|i| i.id == "191-3.1").expect("3.1");
        assert_eq!(i31.verdict, Verdict::Risk);
    }
}
