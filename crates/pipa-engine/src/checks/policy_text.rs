//! The privacy policy read as text (`--policy`, or the one found in the
//! package), held against itself — the 16 elements a policy must contain —
//! and against the package: dangerous permissions it does not explain, SDKs
//! it does not name (and names it lists that the package does not hold), PI
//! the code collects that it does not declare.
//!
//! Reading a policy is a text analysis: a sentence pipa misreads or a policy
//! shown as an image makes a gap that is not there. Gaps are therefore risks
//! with the sentences (or their absence) as evidence, never violations.

use super::{Ctx, code_evidence_capped};
use crate::model::{ApiUse, Evidence, Finding, Severity, Verdict};
use crate::text::{join, list, t};
use pipa_kb::Text;
use pipa_policy::{ElementVerdict, PolicyReport, Span};
use std::collections::BTreeMap;

/// Policy passages shown per finding.
const POLICY_EVIDENCE: usize = 5;
/// Code sites shown per undeclared PI type.
const CODE_SITES: usize = 8;

/// A policy passage as evidence.
pub(crate) fn passage(r: &PolicyReport, s: &Span) -> Evidence {
    Evidence::Policy {
        source: source_name(r),
        text: s.text.clone(),
        start: s.start,
        end: s.end,
    }
}

fn source_name(r: &PolicyReport) -> String {
    r.source
        .url
        .clone()
        .unwrap_or_else(|| r.source.path.clone())
}

/// Which policy was read, and how pipa came by it.
pub(crate) fn source_note(r: &PolicyReport) -> Evidence {
    let (zh, en) = match r.source.origin.as_deref() {
        Some("package") => ("安装包内的文件", "a file in the package"),
        _ => ("用户提供（--policy）", "given by the user (--policy)"),
    };
    Evidence::Note {
        text: t(
            format!(
                "所依据的隐私政策：{}（{zh}，{} 字，{}）。",
                source_name(r),
                r.source.chars,
                r.source.encoding
            ),
            format!(
                "Policy read: {} ({en}, {} characters, {}).",
                source_name(r),
                r.source.chars,
                r.source.encoding
            ),
        ),
    }
}

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(r) = &ctx.facts.policy_text else {
        return;
    };
    language(ctx, r, out);
    elements(ctx, r, out);
    permissions(ctx, r, out);
    sdks(ctx, r, out);
    pi_types(ctx, r, out);
}

fn names(items: impl IntoIterator<Item = Text>) -> Text {
    let (zh, en): (Vec<String>, Vec<String>) = items.into_iter().map(|x| (x.zh, x.en)).unzip();
    t(list(&zh, 8).zh, list(&en, 8).en)
}

/// A note on what the policy has of a kind: `{zh}：…。` / `{en}: ….`, or
/// 无/none.
fn policy_has(zh: &str, en: &str, items: Vec<Text>) -> Evidence {
    let l = if items.is_empty() {
        t("无", "none")
    } else {
        names(items)
    };
    Evidence::Note {
        text: t(format!("{zh}：{}。", l.zh), format!("{en}: {}.", l.en)),
    }
}

/// 191-1.4: no Simplified Chinese version.
fn language(ctx: &Ctx<'_>, r: &PolicyReport, out: &mut Vec<Finding>) {
    let l = &r.language;
    if l.simplified_chinese {
        return;
    }
    out.push(Finding {
        id: "policy.language".into(),
        rule_ids: ctx.cite(&["191-1.4"], &[]),
        verdict: Verdict::Risk,
        severity: Severity::Medium,
        title: t(
            "隐私政策不是简体中文",
            "The privacy policy is not in Simplified Chinese",
        ),
        description: t(
            format!(
                "政策文本中汉字占 {:.0}%，繁体字占汉字的 {:.1}%：看来不是简体中文版。未提供简体中文版属 191-1.4（隐私政策难以阅读）。若 App 另有简体中文版政策，请用 --policy 提供。",
                l.han_ratio * 100.0,
                l.traditional_ratio * 100.0
            ),
            format!(
                "Han characters are {:.0}% of the text and traditional forms {:.1}% of those: this does not read as a Simplified Chinese version, whose absence is 191-1.4. If the app has a Simplified Chinese policy, give that one with --policy.",
                l.han_ratio * 100.0,
                l.traditional_ratio * 100.0
            ),
        ),
        evidence: vec![source_note(r)],
        remediation: ctx.remediation("191-1.4", None),
    });
}

/// One finding per element the policy misses or meets only in part.
fn elements(ctx: &Ctx<'_>, r: &PolicyReport, out: &mut Vec<Finding>) {
    for e in &r.elements {
        let severity = match e.verdict {
            ElementVerdict::Missing => Severity::Medium,
            ElementVerdict::Partial => Severity::Low,
            _ => continue,
        };
        let missing: Vec<_> = e
            .signals
            .iter()
            .filter(|s| s.required && !s.found)
            .collect();
        // The items a gap stands for: those of the missing signals; the
        // element's own where a missing signal names none, or where all is
        // missing.
        let mut rules: Vec<String> = Vec::new();
        let mut own = e.verdict == ElementVerdict::Missing;
        for s in &missing {
            if s.rules_191.is_empty() {
                own = true;
            }
            rules.extend(s.rules_191.iter().cloned());
        }
        if own {
            rules.extend(e.rules_191.iter().cloned());
        }
        let basis: Vec<&str> = e.basis.iter().map(String::as_str).collect();
        rules.extend(ctx.cite(&[], &basis));
        let mut seen = Vec::new();
        rules.retain(|x| {
            let new = !seen.contains(x);
            seen.push(x.clone());
            new
        });
        if rules.is_empty() {
            rules = e.basis.clone();
        }
        let what = names(missing.iter().map(|s| s.name.clone()));
        let mut evidence = vec![source_note(r)];
        evidence.push(Evidence::Note {
            text: t(
                format!("未找到：{}。", what.zh),
                format!("Not found: {}.", what.en),
            ),
        });
        // A failed check (open lists, unmarked sensitive PI, a time limit
        // over 15 days) shows what breaks it; a found signal what meets it.
        for s in &e.signals {
            for sp in &s.evidence {
                if evidence.len() < POLICY_EVIDENCE + 2 {
                    evidence.push(passage(r, sp));
                }
            }
        }
        let (title, lead) = if e.verdict == ElementVerdict::Missing {
            (
                t(
                    format!("隐私政策缺少“{}”", e.name.zh),
                    format!("Privacy policy lacks: {}", e.name.en),
                ),
                t(
                    format!("隐私政策中未找到“{}”的内容。", e.name.zh),
                    format!("The policy says nothing pipa can find on “{}”.", e.name.en),
                ),
            )
        } else {
            (
                t(
                    format!("隐私政策的“{}”不完整", e.name.zh),
                    format!("Privacy policy incomplete: {}", e.name.en),
                ),
                t(
                    format!("隐私政策对“{}”的说明缺少：{}。", e.name.zh, what.zh),
                    format!(
                        "What the policy says on “{}” lacks: {}.",
                        e.name.en, what.en
                    ),
                ),
            )
        };
        let caveat = t(
            "这是对政策文本的自动分析：措辞特殊、以图片呈现或放在链接页面中的内容可能未被读到，请对照原文确认。",
            "This is an automatic reading of the text: wording pipa does not know, text in images or on linked pages may be missed; confirm against the policy.",
        );
        let description = match &e.note {
            Some(n) => join(&join(&lead, &caveat), n),
            None => join(&lead, &caveat),
        };
        let first = rules.first().cloned().unwrap_or_default();
        out.push(Finding {
            id: format!("policy.element.{}", e.id),
            rule_ids: rules,
            verdict: Verdict::Risk,
            severity,
            title,
            description,
            evidence,
            remediation: ctx.remediation(
                &first,
                Some(t(
                    format!("在隐私政策中补充：{}。", what.zh),
                    format!("Add to the policy: {}.", what.en),
                )),
            ),
        });
    }
}

/// Short name of a permission (`RECORD_AUDIO`).
fn short(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// Every permission that needs a purpose statement and that the policy does
/// not explain.
fn permissions(ctx: &Ctx<'_>, r: &PolicyReport, out: &mut Vec<Finding>) {
    for p in &ctx.facts.permissions {
        if !p.purpose_required || r.explains(&p.use_.name) {
            continue;
        }
        let zh = p
            .name_zh
            .clone()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| short(&p.use_.name).to_string());
        let pi = names(p.use_.pi_types.iter().map(|x| ctx.pi_name(x)));
        let explained: Vec<Text> = r
            .permissions
            .iter()
            .map(|x| t(short(&x.name), short(&x.name)))
            .collect();
        let mut evidence = vec![
            Evidence::Manifest {
                element: "uses-permission".into(),
                name: Some(p.use_.name.clone()),
                detail: None,
            },
            source_note(r),
            policy_has(
                "政策解释了的权限",
                "Permissions the policy explains",
                explained,
            ),
        ];
        // Where the app's own code uses it, that is why it is asked for.
        let sites: Vec<&ApiUse> = ctx
            .facts
            .api_uses
            .iter()
            .map(|u| &u.use_)
            .filter(|u| u.is_effective() && p.use_.pi_types.contains(&u.pi_type))
            .collect();
        evidence.extend(code_evidence_capped(sites, 3));
        out.push(Finding {
            id: format!("policy.permission_undeclared.{}", short(&p.use_.name)),
            rule_ids: ctx.cite(&["191-2.1", "191-2.3"], &["MIIT26-permissions"]),
            verdict: Verdict::Risk,
            severity: Severity::Medium,
            title: t(
                format!("隐私政策未说明申请“{zh}”权限（{}）", short(&p.use_.name)),
                format!(
                    "The policy does not explain the {} permission",
                    short(&p.use_.name)
                ),
            ),
            description: t(
                format!(
                    "清单申请了 {}（{zh}，可获取{}），但隐私政策中没有说明为何申请该权限、用于哪项功能。申请可收集个人信息的权限须告知目的（191-2.3），政策须逐一列出收集的个人信息（191-2.1）。若该权限实际不用，应从清单中删除。",
                    p.use_.name, pi.zh
                ),
                format!(
                    "The manifest requests {} (access to {}), but the policy does not say why or for which function. Permissions that collect PI need their purpose stated (191-2.3) and the policy must list the PI collected (191-2.1). If the permission is not used, remove it from the manifest.",
                    p.use_.name, pi.en
                ),
            ),
            evidence,
            remediation: ctx.remediation(
                "191-2.3",
                Some(t(
                    format!("在隐私政策的权限说明中写明“{zh}”权限的用途、对应功能和拒绝的后果，或删除该权限。"),
                    format!(
                        "Explain the {} permission in the policy's permission list (purpose, function, what happens if refused), or drop it.",
                        short(&p.use_.name)
                    ),
                )),
            ),
        });
    }
}

fn names_sdk(r: &PolicyReport, id: &str) -> bool {
    r.third_parties
        .iter()
        .any(|p| p.sdk_id.as_deref() == Some(id) || p.also.iter().any(|x| x == id))
}

fn sdks(ctx: &Ctx<'_>, r: &PolicyReport, out: &mut Vec<Finding>) {
    for s in ctx.facts.sdks.iter().filter(|s| s.must_be_named()) {
        if names_sdk(r, &s.id) {
            continue;
        }
        let mut pi: Vec<&String> = s.observed_pi.iter().chain(&s.collects).collect();
        pi.sort();
        pi.dedup();
        let collects = names(pi.into_iter().map(|x| ctx.pi_name(x)));
        let mut evidence: Vec<Evidence> = s.evidence.iter().take(3).cloned().collect();
        evidence.extend(s.init_evidence.iter().take(2).cloned());
        evidence.push(source_note(r));
        evidence.push(policy_has(
            "政策中列出的第三方",
            "Third parties the policy names",
            r.third_parties
                .iter()
                .map(|p| t(&p.name, &p.name))
                .collect(),
        ));
        out.push(Finding {
            id: format!("policy.sdk_undeclared.{}", s.id),
            rule_ids: ctx.cite(&["191-2.1"], &["PIPL-23"]),
            verdict: Verdict::Risk,
            severity: if s.initialized { Severity::High } else { Severity::Medium },
            title: t(
                format!("隐私政策未列出 SDK：{}（{}）", s.name.zh, s.vendor.zh),
                format!("SDK not named in the policy: {} ({})", s.name.en, s.vendor.en),
            ),
            description: t(
                format!(
                    "安装包中检测到 {}（{}，可信度 {}{}），其收集的个人信息包括{}；但隐私政策的第三方/SDK 清单中没有它（按名称、别名和厂商名查找）。嵌入的 SDK 须在政策中逐一列明名称、目的、方式和个人信息种类（191-2.1，个人信息保护法第二十三条）。",
                    s.name.zh,
                    s.vendor.zh,
                    s.confidence,
                    if s.initialized { "，且被 App 调用初始化" } else { "" },
                    collects.zh
                ),
                format!(
                    "The package holds {} ({}, confidence {}{}), which collects {}; the policy's list of third parties and SDKs does not name it (searched by name, aliases and vendor). Each embedded SDK must be named with its purpose, method and PI types (191-2.1, PIPL Art. 23).",
                    s.name.en,
                    s.vendor.en,
                    s.confidence,
                    if s.initialized { ", initialised by the app" } else { "" },
                    collects.en
                ),
            ),
            evidence,
            remediation: ctx.remediation(
                "191-2.1",
                Some(t(
                    format!(
                        "在隐私政策的第三方 SDK 清单中加入 {}：名称、提供方（{}）、使用目的、收集的个人信息、方式和其隐私政策链接{}；若已不用，从安装包中移除。",
                        s.name.zh,
                        s.vendor.zh,
                        s.privacy_policy.as_deref().map(|u| format!("（{u}）")).unwrap_or_default()
                    ),
                    format!(
                        "Add {} to the policy's SDK list: name, provider ({}), purpose, PI collected, method, and its policy link{}; if it is no longer used, remove it from the package.",
                        s.name.en,
                        s.vendor.en,
                        s.privacy_policy.as_deref().map(|u| format!(" ({u})")).unwrap_or_default()
                    ),
                )),
            ),
        });
    }
    // Named in the policy, not found in the package.
    let absent: Vec<&pipa_policy::ThirdParty> = r
        .third_parties
        .iter()
        .filter(|p| {
            p.sdk_id.as_deref().is_some_and(|id| {
                !ctx.facts
                    .sdks
                    .iter()
                    .any(|s| s.id == id || p.also.contains(&s.id))
            })
        })
        .collect();
    if absent.is_empty() {
        return;
    }
    let shown: Vec<String> = absent.iter().map(|p| p.name.clone()).collect();
    let mut evidence = vec![source_note(r)];
    for p in &absent {
        if let Some(sp) = p.evidence.first()
            && evidence.len() < POLICY_EVIDENCE + 1
        {
            evidence.push(passage(r, sp));
        }
    }
    out.push(Finding {
        id: "policy.sdk_not_found".into(),
        rule_ids: ctx.cite(&["191-2.1"], &[]),
        verdict: Verdict::Manual,
        severity: Severity::Info,
        title: t(
            format!("隐私政策列出但安装包中未检测到的 SDK：{}", list(&shown, 6).zh),
            format!(
                "SDKs the policy names that were not found in the package: {}",
                list(&shown, 6).en
            ),
        ),
        description: t(
            "这些 SDK 在政策中列出，但安装包的代码中未检测到。可能是已移除但政策未更新、代码被混淆或动态加载、仅在其他平台版本中使用，或 pipa 的 SDK 特征未覆盖。请核对：政策应与当前版本一致。",
            "These SDKs are named in the policy but were not detected in the package's code: removed without updating the policy, obfuscated or loaded at run time, used only on another platform, or not covered by pipa's signatures. Check that the policy matches this version.",
        ),
        evidence,
        remediation: t(
            "若 SDK 已不再使用，从隐私政策的 SDK 清单中删除并注明更新；若仍在使用，忽略此项。",
            "If the SDK is no longer used, remove it from the policy's list and mark the update; if it is used, ignore this.",
        ),
    });
}

/// PI types the package's code collects (any subject), with the call sites
/// that can run and succeed.
pub(crate) fn observed_pi<'a>(ctx: &Ctx<'a>) -> BTreeMap<&'a str, Vec<&'a ApiUse>> {
    let mut m: BTreeMap<&str, Vec<&ApiUse>> = BTreeMap::new();
    // Only calls that can run and succeed (see `api.inert` for the rest).
    for u in ctx.facts.api_uses.iter().filter(|u| u.use_.is_effective()) {
        m.entry(u.use_.pi_type.as_str()).or_default().push(&u.use_);
    }
    m
}

fn pi_types(ctx: &Ctx<'_>, r: &PolicyReport, out: &mut Vec<Finding>) {
    let declared = |id: &str| {
        r.declares(id)
            || r.third_parties
                .iter()
                .any(|p| p.pi_types.iter().any(|x| x == id))
    };
    for (id, sites) in observed_pi(ctx) {
        if declared(id) {
            continue;
        }
        let name = ctx.pi_name(id);
        let by_app = sites.iter().any(|u| u.subject == "app");
        let sensitive = ctx.kb.pi_type(id).is_some_and(|p| p.sensitive);
        let mut subjects: Vec<String> = sites.iter().map(|u| u.subject.clone()).collect();
        subjects.sort();
        subjects.dedup();
        let subjects = crate::text::join_texts(&crate::text::subjects_text(ctx.kb, &subjects));
        let mut evidence = code_evidence_capped(sites.iter().copied(), CODE_SITES);
        evidence.push(source_note(r));
        evidence.push(policy_has(
            "政策声明收集的个人信息",
            "PI the policy declares",
            r.pi_types.iter().map(|p| ctx.pi_name(&p.pi_type)).collect(),
        ));
        out.push(Finding {
            id: format!("policy.pi_undeclared.{id}"),
            rule_ids: ctx.cite(&["191-3.9", "191-2.1"], &[]),
            verdict: Verdict::Risk,
            severity: if sensitive { Severity::High } else { Severity::Medium },
            title: t(
                format!("代码收集“{}”，但隐私政策未声明", name.zh),
                format!("The code collects {}, but the policy does not declare it", name.en),
            ),
            description: t(
                format!(
                    "安装包的代码（{}）调用了收集“{}”的接口（{} 处），但隐私政策中没有声明收集该类信息。超出政策所告知范围收集个人信息，属于超范围收集的风险（191-3.9），政策也未逐一列明收集的信息（191-2.1）。需确认这些调用在运行中是否执行。",
                    subjects.zh,
                    name.zh,
                    sites.len()
                ),
                format!(
                    "The package's code ({}) calls APIs that collect {} ({} sites), but the policy does not declare it. Collecting beyond what the policy tells the user is a risk of 191-3.9, and the policy does not list what is collected (191-2.1). Confirm whether these calls run.",
                    subjects.en,
                    name.en,
                    sites.len()
                ),
            ),
            evidence,
            remediation: ctx.remediation(
                "191-3.9",
                Some(if by_app {
                    t(
                        format!("在隐私政策中声明收集“{}”（对应功能、目的、方式），或删除不必要的调用。", name.zh),
                        format!("Declare {} in the policy (function, purpose, method), or remove the calls that are not needed.", name.en),
                    )
                } else {
                    t(
                        format!("SDK 收集“{}”：在政策的 SDK 清单中写明，或通过 SDK 的合规配置关闭该采集。", name.zh),
                        format!("An SDK collects {}: say so in the policy's SDK list, or switch the collection off in the SDK's compliance settings.", name.en),
                    )
                }),
            ),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::facts_with;
    use crate::model::Verdict;
    use pipa_kb::Kb;

    fn policy(text: &str) -> pipa_policy::PolicyReport {
        let lex = pipa_policy::Lexicon::new(Kb::embedded()).expect("lexicon");
        let mut r = pipa_policy::analyse_bytes("p.txt", text.as_bytes(), None, &lex)
            .expect("policy")
            .report;
        r.source.origin = Some("option".into());
        r
    }

    fn ids(f: &[crate::model::Finding]) -> Vec<&str> {
        f.iter().map(|f| f.id.as_str()).collect()
    }

    #[test]
    fn no_pi_declared_is_191_1_1_risk() {
        let kb = Kb::embedded();
        let mut f = facts_with(&[], 30);
        f.policy_text = Some(policy("本政策说明我们如何保护您的权益。我们重视您的隐私。"));
        let (items, findings) = super::super::run(&f, kb);
        assert!(ids(&findings).contains(&"policy.no_rules"));
        assert_eq!(items[0].id, "191-1.1");
        assert_eq!(items[0].verdict, Verdict::Risk);
    }

    #[test]
    fn missing_elements_cite_their_items() {
        let kb = Kb::embedded();
        let mut f = facts_with(&[], 30);
        f.policy_text = Some(policy(
            "隐私政策\n\n为了向您推荐附近的内容，我们会收集您的位置信息和设备信息等。",
        ));
        let (items, findings) = super::super::run(&f, kb);
        let ids = ids(&findings);
        assert!(ids.contains(&"policy.rules"), "{ids:?}");
        // Rights: correction, deletion, cancellation (191-6.1), withdrawal
        // (191-3.8), the time limit (191-6.3) are all missing.
        let rights = findings
            .iter()
            .find(|x| x.id == "policy.element.PP-05")
            .expect("PP-05 missing");
        assert_eq!(rights.verdict, Verdict::Risk);
        for r in ["191-6.1", "191-3.8", "191-6.3"] {
            assert!(
                rights.rule_ids.iter().any(|x| x == r),
                "{r} in {:?}",
                rights.rule_ids
            );
        }
        // The open list (“等”) breaks PP-02 and is shown.
        let pp02 = findings
            .iter()
            .find(|x| x.id == "policy.element.PP-02")
            .expect("PP-02 partial");
        assert!(pp02.evidence.iter().any(|e| matches!(e,
            crate::model::Evidence::Policy { text, .. } if text.contains("设备信息等"))));
        let item = |id: &str| items.iter().find(|i| i.id == id).map(|i| i.verdict);
        assert_eq!(item("191-6.1"), Some(Verdict::Risk));
        assert_eq!(item("191-3.8"), Some(Verdict::Risk));
    }

    #[test]
    fn listed_sdk_absent_from_the_package_is_a_note() {
        let kb = Kb::embedded();
        let mut f = facts_with(&[], 30);
        f.policy_text = Some(policy(
            "我们会收集您的设备标识符。我们接入了极光推送SDK，用于向您推送消息，它会收集设备标识符。",
        ));
        let (_, findings) = super::super::run(&f, kb);
        let nf = findings
            .iter()
            .find(|x| x.id == "policy.sdk_not_found")
            .expect("sdk_not_found");
        assert_eq!(nf.verdict, Verdict::Manual);
        assert!(
            !ids(&findings)
                .iter()
                .any(|i| i.starts_with("policy.sdk_undeclared."))
        );
    }
}
