//! Checks: facts held against legal items. Each module adds findings; `run`
//! assembles the 31 items of 191 from them, in knowledge-base order.

mod apis;
mod background;
mod coverage;
mod necessity;
mod obfuscated;
mod permissions;
mod policy;
mod policy_text;
mod reach;
mod sdks;
mod security;
mod startup;

use crate::facts::Facts;
use crate::model::{Evidence, Finding, ItemResult, Verdict};
use crate::text::{join, t};
use pipa_kb::{EvidenceKind, Kb, Text};

pub(crate) use necessity::necessary_pi;

/// The 31 items of 191, in the document's order: the report always has
/// them all, even when the knowledge base lacks one.
pub(crate) const ITEMS_191: [&str; 31] = [
    "191-1.1", "191-1.2", "191-1.3", "191-1.4", "191-2.1", "191-2.2", "191-2.3", "191-2.4",
    "191-3.1", "191-3.2", "191-3.3", "191-3.4", "191-3.5", "191-3.6", "191-3.7", "191-3.8",
    "191-3.9", "191-4.1", "191-4.2", "191-4.3", "191-4.4", "191-4.5", "191-4.6", "191-5.1",
    "191-5.2", "191-5.3", "191-6.1", "191-6.2", "191-6.3", "191-6.4", "191-6.5",
];

/// At most this many code locations per finding; the rest are counted.
pub(crate) const MAX_CODE_EVIDENCE: usize = 20;

/// What a check reads.
pub(crate) struct Ctx<'a> {
    pub facts: &'a Facts,
    pub kb: &'a Kb,
}

impl Ctx<'_> {
    /// `primary` ids always, `optional` ones only where the knowledge base has them.
    pub fn cite(&self, primary: &[&str], optional: &[&str]) -> Vec<String> {
        primary
            .iter()
            .copied()
            .chain(
                optional
                    .iter()
                    .copied()
                    .filter(|id| self.kb.rule(id).is_some()),
            )
            .map(String::from)
            .collect()
    }

    /// The finding's own advice followed by the kb remediation of `rule_id`
    /// (either alone when the other is missing).
    pub fn remediation(&self, rule_id: &str, own: Option<Text>) -> Text {
        let kb = self.kb.rule(rule_id).and_then(|r| r.remediation.clone());
        match (own, kb) {
            (Some(o), Some(k)) => join(&o, &k),
            (Some(o), None) => o,
            (None, Some(k)) => k,
            (None, None) => t(
                format!("参照 {rule_id} 的要求整改。"),
                format!("Bring the app in line with {rule_id}."),
            ),
        }
    }

    /// Name of a PI type (`zh`, `en`), or its id.
    pub fn pi_name(&self, id: &str) -> Text {
        self.kb
            .pi_type(id)
            .map_or_else(|| t(id, id), |p| p.name.clone())
    }
}

/// Runs every check: the 31 items of 191 (kb order) and the findings.
pub(crate) fn run(facts: &Facts, kb: &Kb) -> (Vec<ItemResult>, Vec<Finding>) {
    let ctx = Ctx { facts, kb };
    let mut findings = Vec::new();
    policy::check(&ctx, &mut findings);
    policy_text::check(&ctx, &mut findings);
    necessity::check(&ctx, &mut findings);
    permissions::check(&ctx, &mut findings);
    apis::check(&ctx, &mut findings);
    sdks::check(&ctx, &mut findings);
    reach::check(&ctx, &mut findings);
    background::check(&ctx, &mut findings);
    startup::check(&ctx, &mut findings);
    security::check(&ctx, &mut findings);
    coverage::check(&ctx, &mut findings);
    obfuscated::check(&ctx, &mut findings);
    let generic: Vec<Text> = kb
        .rules
        .iter()
        .filter_map(|r| r.remediation.clone())
        .collect();
    generic_advice_once(&mut findings, &generic);
    let items = item_ids(kb)
        .into_iter()
        .map(|id| item(kb, id, &findings))
        .collect();
    (items, findings)
}

/// A legal item's generic advice (`kb/rules.yaml` `remediation`) follows a
/// finding's own advice once per report, not on every finding: it stays on
/// the worst finding that carries it (the first a report shows) and on
/// findings that have no advice of their own.
fn generic_advice_once(findings: &mut [Finding], generic: &[Text]) {
    for g in generic {
        if g.zh.is_empty() && g.en.is_empty() {
            continue;
        }
        let suffix_en = format!(" {}", g.en);
        let mut carriers: Vec<usize> = (0..findings.len())
            .filter(|&i| {
                let r = &findings[i].remediation;
                r.zh.len() > g.zh.len() && r.zh.ends_with(&g.zh) && r.en.ends_with(&suffix_en)
            })
            .collect();
        carriers.sort_by_key(|&i| (findings[i].verdict, findings[i].severity, i));
        for &i in carriers.iter().skip(1) {
            let r = &mut findings[i].remediation;
            r.zh.truncate(r.zh.len() - g.zh.len());
            r.en.truncate(r.en.len() - suffix_en.len());
        }
    }
}

/// The items of 191 in kb order, then any the kb lacks, in document order.
fn item_ids(kb: &Kb) -> Vec<String> {
    let mut ids: Vec<String> = kb
        .rules_of("191")
        .map(|r| r.id.clone())
        .filter(|id| ITEMS_191.contains(&id.as_str()))
        .collect();
    for id in ITEMS_191 {
        if !ids.iter().any(|x| x == id) {
            ids.push(id.to_string());
        }
    }
    ids
}

fn item(kb: &Kb, id: String, findings: &[Finding]) -> ItemResult {
    let idx: Vec<usize> = findings
        .iter()
        .enumerate()
        .filter(|(_, f)| f.rule_ids.contains(&id))
        .map(|(i, _)| i)
        .collect();
    // `api.inert.*` list what cannot run or succeed: information, not a
    // check of the item, so they leave its verdict alone.
    let verdict = idx
        .iter()
        .filter_map(|&i| findings.get(i))
        .filter(|f| !f.id.starts_with("api.inert."))
        .map(|f| f.verdict)
        .min()
        .unwrap_or(Verdict::Manual);
    let note = manual_note(kb, &id, !idx.is_empty());
    ItemResult {
        id,
        verdict,
        findings: idx,
        note: Some(note),
        statements: Vec::new(),
        by_statement: false,
        declared: None,
    }
}

/// What a person must still check for item `id`.
fn manual_note(kb: &Kb, id: &str, has_findings: bool) -> Text {
    let rule = kb.rule(id);
    if let Some(m) = rule.and_then(|r| r.manual.clone()) {
        return m;
    }
    let kinds = rule.map(|r| r.evidence.as_slice()).unwrap_or(&[]);
    let mut zh = Vec::new();
    let mut en = Vec::new();
    for k in kinds {
        let (z, e) = match k {
            EvidenceKind::Static => continue,
            EvidenceKind::Dynamic => (
                "运行时检测（监控 API 调用、网络流量与界面）",
                "runtime testing (API hooks, traffic, UI)",
            ),
            EvidenceKind::PolicyText => ("隐私政策文本核对", "reading the privacy-policy text"),
            EvidenceKind::Manual => (
                "人工核查（界面操作、后台处理、运营流程）",
                "a person's review (UI, back end, operations)",
            ),
        };
        zh.push(z);
        en.push(e);
    }
    if zh.is_empty() {
        zh.push("人工核查");
        en.push("a person's review");
    }
    let lead = if has_findings {
        t("以上发现需确认；", "The findings above need confirming; ")
    } else {
        t(
            "仅凭安装包无法判定该项；",
            "This item cannot be decided from the package alone; ",
        )
    };
    join(
        &lead,
        &t(
            format!("需通过{}判定。", zh.join("、")),
            format!("decide it by {}.", en.join(", ")),
        ),
    )
}

/// Code evidence of `sites`, app code first, capped, with a note on the rest.
pub(crate) fn code_evidence<'a>(
    sites: impl IntoIterator<Item = &'a crate::model::ApiUse>,
) -> Vec<Evidence> {
    code_evidence_capped(sites, MAX_CODE_EVIDENCE)
}

/// [`code_evidence`] with at most `cap` locations listed.
pub(crate) fn code_evidence_capped<'a>(
    sites: impl IntoIterator<Item = &'a crate::model::ApiUse>,
    cap: usize,
) -> Vec<Evidence> {
    let mut all: Vec<&crate::model::ApiUse> = sites.into_iter().collect();
    all.sort_by_key(|u| u.subject != "app");
    let total = all.len();
    let mut ev: Vec<Evidence> = all
        .iter()
        .take(cap)
        .map(|u| Evidence::Code {
            api: u.api.clone(),
            caller: u.caller.clone(),
            dex: u.dex.clone(),
            offset: u.offset,
            subject: u.subject.clone(),
        })
        .collect();
    if total > cap {
        let more = total - cap;
        ev.push(Evidence::Note {
            text: t(
                format!("另有 {more} 处调用未列出（共 {total} 处，见 api_uses）。"),
                format!(
                    "{more} more call site{} not listed ({total} in all; see api_uses).",
                    if more == 1 { "" } else { "s" }
                ),
            ),
        });
    }
    ev
}

/// Manifest evidence for a requested permission.
pub(crate) fn permission_evidence(p: &crate::facts::PermissionFact, ctx: &Ctx<'_>) -> Evidence {
    let pis: Vec<String> = p
        .use_
        .pi_types
        .iter()
        .map(|id| ctx.pi_name(id).zh)
        .collect();
    let mut detail = format!("protection={}", p.use_.protection);
    if !pis.is_empty() {
        detail.push_str(&format!("; PI: {}", pis.join("、")));
    }
    if let Some(m) = p.use_.max_sdk {
        detail.push_str(&format!("; android:maxSdkVersion={m}"));
    }
    Evidence::Manifest {
        element: if p.sdk23 {
            "uses-permission-sdk-23".into()
        } else {
            "uses-permission".into()
        },
        name: Some(p.use_.name.clone()),
        detail: Some(detail),
    }
}

#[cfg(test)]
pub(crate) mod testutil;

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;

    #[test]
    fn always_31_items_and_references_resolve() {
        let kb = kb();
        let facts = facts_with(&[], 30);
        let (items, findings) = run(&facts, &kb);
        assert_eq!(items.len(), 31);
        for (i, id) in ITEMS_191.iter().enumerate() {
            assert_eq!(items[i].id, *id);
        }
        for it in &items {
            for &f in &it.findings {
                assert!(findings[f].rule_ids.contains(&it.id));
            }
        }
    }

    #[test]
    fn item_verdict_is_the_worst_finding() {
        let kb = kb();
        let facts = facts_with(&["android.permission.READ_PHONE_STATE"], 22);
        let (items, findings) = run(&facts, &kb);
        let i31 = items.iter().find(|i| i.id == "191-3.1").expect("3.1");
        assert_eq!(i31.verdict, Verdict::Risk);
        assert!(
            i31.findings
                .iter()
                .any(|&f| findings[f].id == "perm.legacy_runtime")
        );
        let i23 = items.iter().find(|i| i.id == "191-2.3").expect("2.3");
        assert_eq!(i23.verdict, Verdict::Manual);
        // An item with nothing found is manual, with a note.
        let i62 = items.iter().find(|i| i.id == "191-6.2").expect("6.2");
        assert_eq!(i62.verdict, Verdict::Manual);
        assert!(i62.findings.is_empty() && i62.note.is_some());
    }

    /// targetSdk < 23 grants several dangerous permissions in one go at
    /// install: 191-4.6 is cited; one permission, or targetSdk 23, is not
    /// a bundle.
    #[test]
    fn install_time_bundle_cites_191_4_6() {
        let kb = kb();
        let item = |perms: &[&str], target: i64| {
            let (items, findings) = run(&facts_with(perms, target), &kb);
            let i = items
                .iter()
                .find(|i| i.id == "191-4.6")
                .expect("4.6")
                .clone();
            let legacy = findings
                .iter()
                .find(|f| f.id == "perm.legacy_runtime")
                .map(|f| f.rule_ids.contains(&"191-4.6".to_string()));
            (i.verdict, legacy)
        };
        let two = [
            "android.permission.READ_PHONE_STATE",
            "android.permission.ACCESS_FINE_LOCATION",
        ];
        assert_eq!(item(&two, 22), (Verdict::Risk, Some(true)));
        let (v, legacy) = item(&two[..1], 22);
        assert_eq!(legacy, Some(false));
        assert_ne!(v, Verdict::Risk);
        let (v, legacy) = item(&two, 23);
        assert_eq!(legacy, None);
        assert_ne!(v, Verdict::Risk);
    }

    /// The generic advice of an item appears once: on the worst finding
    /// with advice of its own, not on the others; a finding with no advice
    /// of its own keeps it.
    #[test]
    fn generic_advice_once_per_report() {
        use crate::model::{Finding, Severity, Verdict};
        let g = t("同意后再收集。", "Collect after consent.");
        let f = |id: &str, v: Verdict, own: Option<&str>| Finding {
            id: id.into(),
            rule_ids: vec!["191-3.1".into()],
            verdict: v,
            severity: Severity::High,
            title: t(id, id),
            description: t("", ""),
            evidence: Vec::new(),
            remediation: match own {
                Some(o) => join(&t(o, o), &g),
                None => g.clone(),
            },
        };
        let mut v = vec![
            f("a", Verdict::Risk, Some("甲")),
            f("b", Verdict::Violation, Some("乙")),
            f("c", Verdict::Risk, None),
            f("d", Verdict::Risk, Some("丁")),
        ];
        super::generic_advice_once(&mut v, std::slice::from_ref(&g));
        let zh: Vec<&str> = v.iter().map(|x| x.remediation.zh.as_str()).collect();
        assert_eq!(zh, ["甲", "乙同意后再收集。", "同意后再收集。", "丁"]);
        assert_eq!(v[0].remediation.en, "甲");
        assert_eq!(v[1].remediation.en, "乙 Collect after consent.");
    }
}
