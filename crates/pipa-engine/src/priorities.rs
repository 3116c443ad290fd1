//! "主要问题 / What to fix first": the findings ranked by what regulators act
//! on, computed once here and only rendered by the reports.
//!
//! Order of the classes ([`PriorityClass`]): personal information collected
//! before consent (the types that weigh most, `kb/pi_types.yaml` `weight` ≥
//! [`TOP_PI_WEIGHT`]: device identifiers, the app list, location, contacts,
//! SMS, call log …), by the app or an SDK; SDKs initialised before consent;
//! no or incomplete privacy policy; permissions granted at install time; self
//! start and associated launch that collect; then the rest (risks and
//! violations only, worst first). SDKs started by one call
//! (`UMConfigure.init` starts U-Common, U-App and U-Share) are one line,
//! together with what they collect before consent. Each line names the
//! place to change: the first method of the app's own code after the entry
//! point the system runs (`MyApplication.onCreate → MyApplication.initSDK`:
//! `initSDK`).

use crate::model::{Assessment, Evidence, Finding, Priority, Severity, Verdict};
use crate::remedy::{sdk_start_fix, short_api};
use crate::text::{list, short_dotted, t};
use pipa_kb::{Kb, Text};
use serde::Serialize;
use std::collections::HashMap;

/// At most this many lines.
pub const MAX_PRIORITIES: usize = 10;

/// PI types weighing at least this much (`kb/pi_types.yaml` `weight`) make
/// collection before consent the first class; lighter ones (network, sensors,
/// device information) rank with the rest.
pub const TOP_PI_WEIGHT: u32 = 50;

/// Why a line ranks where it does, most acted on first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PriorityClass {
    /// Identifiers, app list, location … collected before consent.
    BeforeConsentPi,
    /// An SDK initialised before consent.
    SdkInitBeforeConsent,
    /// No privacy policy, or one that misses what the app does.
    Policy,
    /// Permissions granted at install time (targetSdkVersion below 23).
    InstallTimePermissions,
    /// Self-start or associated launch that reaches collection.
    SelfStart,
    /// Every other risk or violation.
    Other,
}

impl PriorityClass {
    /// `before_consent_pi`, …
    pub fn as_str(self) -> &'static str {
        match self {
            PriorityClass::BeforeConsentPi => "before_consent_pi",
            PriorityClass::SdkInitBeforeConsent => "sdk_init_before_consent",
            PriorityClass::Policy => "policy",
            PriorityClass::InstallTimePermissions => "install_time_permissions",
            PriorityClass::SelfStart => "self_start",
            PriorityClass::Other => "other",
        }
    }

    /// Chinese and English label.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            PriorityClass::BeforeConsentPi => ("同意前收集", "collected before consent"),
            PriorityClass::SdkInitBeforeConsent => {
                ("SDK 同意前初始化", "SDK started before consent")
            }
            PriorityClass::Policy => ("隐私政策", "privacy policy"),
            PriorityClass::InstallTimePermissions => {
                ("安装时授予权限", "permissions granted at install")
            }
            PriorityClass::SelfStart => ("自启动/关联启动", "self-start / associated launch"),
            PriorityClass::Other => ("其他", "other"),
        }
    }
}

/// A finding that can be a line: a risk or a violation, not information.
fn counts(f: &Finding) -> bool {
    matches!(f.verdict, Verdict::Violation | Verdict::Risk) && !f.id.starts_with("api.inert.")
}

/// Decides whether a method is in the app's own code from the assessment's
/// first-party prefixes (`com.hjq.*`), with the catalogue's precedence: a
/// catalogued SDK prefix longer than the first-party prefix keeps its code
/// (`com.hjq.toast` stays that library).
struct Owner<'a> {
    first_party: Vec<String>,
    kb: &'a Kb,
}

impl<'a> Owner<'a> {
    fn new(a: &Assessment, kb: &'a Kb) -> Owner<'a> {
        Owner::of(&a.app.first_party, &a.app.id, kb)
    }

    /// From the first-party prefixes (`com.hjq.*`, the `--first-party`
    /// ones among them) and the package name (when there are none).
    fn of(first_party: &[String], id: &str, kb: &'a Kb) -> Owner<'a> {
        let mut first_party: Vec<String> = first_party
            .iter()
            .map(|p| p.trim_end_matches('*').trim_end_matches('.').to_string())
            .filter(|p| !p.is_empty())
            .collect();
        if first_party.is_empty() && !id.is_empty() {
            first_party.push(id.to_string());
        }
        Owner { first_party, kb }
    }

    fn is_app(&self, smali: &str) -> bool {
        let m = crate::text::dotted_method(smali);
        let Some((class, _)) = m.rsplit_once('.') else {
            return false;
        };
        let under = |p: &str| class == p || class.starts_with(&format!("{p}."));
        let Some(fp) = self
            .first_party
            .iter()
            .filter(|p| under(p))
            .max_by_key(|p| p.len())
        else {
            return false;
        };
        !self
            .kb
            .sdks
            .iter()
            .flat_map(|s| &s.signatures.dex)
            .any(|d| d.len() > fp.len() && under(d))
    }

    /// The place to change on a chain (entry first): the first app-owned
    /// method after the entry point, or the entry when it calls out of the
    /// app's code at once; with the app-owned methods after it.
    fn place(&self, steps: &[String]) -> (Option<String>, Vec<String>) {
        let app: Vec<bool> = steps.iter().map(|s| self.is_app(s)).collect();
        let start = match (app.first(), app.get(1)) {
            (_, Some(true)) if steps.len() > 1 => 1,
            (Some(true), _) => 0,
            _ => match app.iter().rposition(|x| *x) {
                Some(i) => i,
                None => return (None, Vec::new()),
            },
        };
        let place = crate::text::dotted_method(&steps[start]);
        let via: Vec<String> = steps[start + 1..]
            .iter()
            .zip(&app[start + 1..])
            .take_while(|(_, a)| **a)
            .map(|(s, _)| crate::text::dotted_method(s))
            .filter(|m| *m != place)
            .collect();
        (Some(place), via)
    }
}

/// The first sentence of each language of `x`.
fn first_sentence(x: &Text) -> Text {
    let zh = match x.zh.find('。') {
        Some(i) => x.zh[..i + '。'.len_utf8()].to_string(),
        None => x.zh.clone(),
    };
    let en = match x.en.find(". ") {
        Some(i) => x.en[..=i].to_string(),
        None => x.en.clone(),
    };
    t(zh, en)
}

/// The sensitive calls a subject makes before consent, without a consent
/// check, that can run and collect: `(pi_type, api)` ordered by weight,
/// then by knowledge-base order (the IMEI before the Android ID).
fn before_consent_apis(a: &Assessment, kb: &Kb, subjects: &[String]) -> Vec<(String, String)> {
    let order: HashMap<&str, usize> = kb
        .apis
        .iter()
        .enumerate()
        .map(|(i, x)| (x.id.as_str(), i))
        .collect();
    let mut v: Vec<(u32, usize, String, String)> = Vec::new();
    for r in &a.reachability.before_consent {
        if r.gated || !subjects.contains(&r.subject) {
            continue;
        }
        let caller = r.chain.len().checked_sub(2).and_then(|i| r.chain.get(i));
        let effective = a.api_uses.iter().any(|u| {
            u.api_id == r.api_id
                && u.subject == r.subject
                && Some(&u.caller) == caller
                && u.is_effective()
        });
        if !effective || v.iter().any(|x| x.3 == r.api) {
            continue;
        }
        v.push((
            kb.pi_weight(&r.pi_type),
            order.get(r.api_id.as_str()).copied().unwrap_or(usize::MAX),
            r.pi_type.clone(),
            r.api.clone(),
        ));
    }
    v.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
    v.into_iter().map(|(_, _, p, api)| (p, api)).collect()
}

/// "设备标识符、位置信息（TelephonyManager.getDeviceId 等 5 个接口）".
fn collected_text(kb: &Kb, apis: &[(String, String)]) -> (Text, u32) {
    let mut types: Vec<&str> = Vec::new();
    for (p, _) in apis {
        if !types.contains(&p.as_str()) {
            types.push(p);
        }
    }
    let weight = types.iter().map(|p| kb.pi_weight(p)).max().unwrap_or(0);
    let zh: Vec<String> = types
        .iter()
        .map(|p| {
            kb.pi_type(p)
                .map_or_else(|| p.to_string(), |x| x.name.zh.clone())
        })
        .collect();
    let en: Vec<String> = types
        .iter()
        .map(|p| {
            kb.pi_type(p)
                .map_or_else(|| p.to_string(), |x| x.name.en.to_lowercase())
        })
        .collect();
    let names: Vec<String> = apis.iter().map(|(_, a)| short_dotted(a)).collect();
    let shown = 4;
    let api_zh = if names.len() > shown {
        format!("{} 等 {} 个接口", names[..shown].join("、"), names.len())
    } else {
        names.join("、")
    };
    let api_en = if names.len() > shown {
        format!(
            "{} and {} more APIs",
            names[..shown].join(", "),
            names.len() - shown
        )
    } else {
        names.join(", ")
    };
    (
        t(
            format!("{}（{api_zh}）", list(&zh, 6).zh),
            format!("{} ({api_en})", list(&en, 6).en),
        ),
        weight,
    )
}

/// The subject's published name: SDK name with its vendor, or the app.
fn subject_name(kb: &Kb, a: &Assessment, subjects: &[String]) -> Text {
    let mut zh: Vec<String> = Vec::new();
    let mut en: Vec<String> = Vec::new();
    let mut vendors: Vec<Text> = Vec::new();
    for s in subjects {
        match s.strip_prefix("sdk:") {
            Some(id) => {
                let (name, vendor) = match a.sdks.iter().find(|x| x.id == id) {
                    Some(u) => (u.name.clone(), Some(u.vendor.clone())),
                    None => match kb.sdk(id) {
                        Some(k) => (k.name.clone(), Some(k.vendor.clone())),
                        None => (t(id, id), None),
                    },
                };
                zh.push(name.zh);
                en.push(name.en);
                if let Some(v) = vendor
                    && !vendors.contains(&v)
                {
                    vendors.push(v);
                }
            }
            None => {
                let x = crate::text::subject_text(kb, s);
                zh.push(x.zh);
                en.push(x.en);
            }
        }
    }
    let (mut z, mut e) = (zh.join("、"), en.join(", "));
    if !vendors.is_empty() {
        let vz: Vec<&str> = vendors.iter().map(|v| v.zh.as_str()).collect();
        let ve: Vec<&str> = vendors.iter().map(|v| v.en.as_str()).collect();
        z.push_str(&format!("（{}）", vz.join("、")));
        e.push_str(&format!(" ({})", ve.join(", ")));
    }
    t(z, e)
}

/// The chains of a finding (steps, entry first).
fn chains(f: &Finding) -> impl Iterator<Item = (&[String], &str, bool)> {
    f.evidence.iter().filter_map(|e| match e {
        Evidence::Chain {
            steps,
            target,
            gated,
            ..
        } => Some((steps.as_slice(), target.as_str(), *gated)),
        _ => None,
    })
}

/// A place to change and the app's own methods after it.
type Place = (Option<String>, Vec<String>);

/// The most common place over the ungated chains of `f`.
fn common_place(owner: &Owner<'_>, f: &Finding) -> Place {
    let mut seen: Vec<(Place, usize)> = Vec::new();
    for (steps, _, gated) in chains(f) {
        if gated {
            continue;
        }
        let p = owner.place(steps);
        if p.0.is_none() {
            continue;
        }
        match seen.iter_mut().find(|(x, _)| x.0 == p.0) {
            Some((_, n)) => *n += 1,
            None => seen.push((p, 1)),
        }
    }
    seen.into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(p, _)| p)
        .unwrap_or((None, Vec::new()))
}

/// The permission-free or less intrusive alternatives the knowledge base
/// gives for these APIs (`kb/apis.yaml` `alternative`), each once.
fn api_alternatives(kb: &Kb, apis: &[(String, String)]) -> Option<Text> {
    let mut zh: Vec<String> = Vec::new();
    let mut en: Vec<String> = Vec::new();
    for (_, api) in apis {
        let Some(k) = kb.apis.iter().find(|x| {
            !x.member.is_empty() && api == &format!("{}.{}", x.class, x.member)
                || x.value.as_deref() == Some(api.as_str())
        }) else {
            continue;
        };
        if let Some(alt) = &k.alternative
            && !zh.contains(&alt.zh)
        {
            zh.push(alt.zh.clone());
            en.push(alt.en.clone());
        }
    }
    (!zh.is_empty()).then(|| t(zh.join(""), en.join(" ")))
}

struct Line {
    class: PriorityClass,
    weight: u32,
    /// Distinct sensitive APIs called before consent (more is worse).
    breadth: usize,
    subjects: Vec<String>,
    problem: Text,
    place: (Option<String>, Vec<String>),
    fix: Text,
    findings: Vec<usize>,
}

/// The SDKs named in SDK `id`'s start-up finding besides it: started by
/// the same call, reported, without a start-up finding of their own (see
/// `SdkInitReach::same_start`).
fn started_with<'a>(a: &'a Assessment, id: &'a str) -> impl Iterator<Item = String> + 'a {
    let starts = &a.reachability.sdk_init;
    let own = starts.iter().find(|r| r.sdk == id);
    starts
        .iter()
        .filter(move |r| {
            r.sdk != id
                && own.is_some_and(|o| o.same_start(r))
                && a.sdks.iter().any(|s| s.id == r.sdk && s.must_be_named())
                && !a
                    .findings
                    .iter()
                    .any(|f| f.id.strip_prefix("sdk_init.before_consent.") == Some(r.sdk.as_str()))
        })
        .map(|r| r.sdk.clone())
}

/// The SDKs (catalogue ids) finding `f` is about, by its check: an SDK's
/// own finding (`sdk.<id>`), its start-up (`sdk_init.before_consent.<id>`
/// with the SDKs the same call starts), what it collects before consent or
/// in the background. Empty for findings about the app or several subjects
/// (their evidence names them).
pub fn finding_sdks(a: &Assessment, f: &Finding) -> Vec<String> {
    if let Some(id) = f.id.strip_prefix("sdk_init.before_consent.") {
        let mut v = vec![id.to_string()];
        v.extend(started_with(a, id));
        return v;
    }
    let id =
        f.id.strip_prefix("before_consent.sdk:")
            .or_else(|| f.id.strip_prefix("background.sdk:"))
            .or_else(|| f.id.strip_prefix("sdk."));
    match id {
        Some(id) if a.sdks.iter().any(|s| s.id == id) => vec![id.to_string()],
        _ => Vec::new(),
    }
}

/// The "what to fix first" lines of an assessment: at most
/// [`MAX_PRIORITIES`], ranked (see the module documentation). Findings a
/// baseline accepts are left out. Empty when nothing is a risk or a
/// violation.
pub fn priorities(a: &Assessment, kb: &Kb) -> Vec<Priority> {
    let owner = Owner::new(a, kb);
    let f = &a.findings;
    let live = |i: usize| counts(&f[i]) && a.accepted(i).is_none();
    let mut used = vec![false; f.len()];
    let mut lines: Vec<Line> = Vec::new();

    // SDKs started before consent, grouped by the call that starts them,
    // with what they collect before consent.
    let mut groups: Vec<(String, Vec<(usize, String)>)> = Vec::new();
    for (i, x) in f.iter().enumerate() {
        let Some(id) = x.id.strip_prefix("sdk_init.before_consent.") else {
            continue;
        };
        if !live(i) {
            continue;
        }
        let key = chains(x)
            .next()
            .map_or_else(|| x.id.clone(), |(_, target, _)| short_api(target));
        let mut ids = vec![id.to_string()];
        ids.extend(started_with(a, id));
        let v = match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v,
            None => {
                groups.push((key, Vec::new()));
                &mut groups.last_mut().expect("pushed").1
            }
        };
        v.extend(ids.into_iter().map(|id| (i, id)));
    }
    for (call, mut members) in groups {
        // SDKs that collect before consent first (U-Common before U-App).
        members
            .sort_by_key(|(_, id)| !f.iter().any(|x| x.id == format!("before_consent.sdk:{id}")));
        let subjects: Vec<String> = members.iter().map(|(_, id)| format!("sdk:{id}")).collect();
        let mut idx: Vec<usize> = Vec::new();
        for s in &subjects {
            if let Some(j) = f
                .iter()
                .position(|x| x.id == format!("before_consent.{s}"))
                .filter(|&j| live(j))
            {
                idx.push(j);
            }
        }
        for &(i, _) in &members {
            if !idx.contains(&i) {
                idx.push(i);
            }
        }
        let apis = before_consent_apis(a, kb, &subjects);
        let (collected, weight) = collected_text(kb, &apis);
        let first = &f[members[0].0];
        let place = chains(first)
            .next()
            .map_or((None, Vec::new()), |(steps, _, _)| owner.place(steps));
        // The fix of the SDK with the most start-up data (U-Common's
        // preInit, not U-Share's bare init).
        let best = members
            .iter()
            .filter_map(|(_, id)| a.sdks.iter().find(|s| s.id == *id))
            .max_by_key(|s| {
                kb.sdk(&s.id)
                    .map_or(s.compliant_init.len(), |k| k.compliant_init.len())
            });
        let fix = best.map_or_else(
            || first_sentence(&first.remediation),
            |s| sdk_start_fix(s, kb),
        );
        let problem = if apis.is_empty() {
            t(
                format!("在用户同意隐私政策前初始化（{call}），启动后即可能开始收集。"),
                format!(
                    "initialised before the user agrees to the privacy policy ({call}); collection can start with it."
                ),
            )
        } else {
            t(
                format!(
                    "在用户同意隐私政策前初始化（{call}），启动时即读取{}。",
                    collected.zh
                ),
                format!(
                    "initialised before the user agrees to the privacy policy ({call}); at start-up it reads {}.",
                    collected.en
                ),
            )
        };
        for &j in &idx {
            used[j] = true;
        }
        lines.push(Line {
            class: if weight >= TOP_PI_WEIGHT {
                PriorityClass::BeforeConsentPi
            } else {
                PriorityClass::SdkInitBeforeConsent
            },
            weight,
            breadth: apis.len(),
            subjects,
            problem,
            place,
            fix,
            findings: idx,
        });
    }

    // Collection before consent by the app or an SDK not started by a
    // catalogued call.
    for (i, x) in f.iter().enumerate() {
        let Some(subject) = x.id.strip_prefix("before_consent.") else {
            continue;
        };
        if used[i] || !live(i) {
            continue;
        }
        let subjects = vec![subject.to_string()];
        let apis = before_consent_apis(a, kb, &subjects);
        let (collected, weight) = collected_text(kb, &apis);
        let sdk = subject
            .strip_prefix("sdk:")
            .and_then(|id| a.sdks.iter().find(|s| s.id == id));
        let mut fix = match sdk {
            Some(s) if !s.compliant_init.is_empty() => sdk_start_fix(s, kb),
            Some(_) => t(
                "把对该 SDK 的调用移到用户同意隐私政策之后。",
                "Move the calls into this SDK to after the user agrees to the privacy policy.",
            ),
            None => t(
                "把这些调用移到用户同意隐私政策之后，或在调用前检查已保存的同意状态。",
                "Move these calls to after the user agrees to the privacy policy, or check the stored consent first.",
            ),
        };
        if let Some(alt) = api_alternatives(kb, &apis) {
            fix = t(
                format!("{}{}", fix.zh, alt.zh),
                format!("{} {}", fix.en, alt.en),
            );
        }
        used[i] = true;
        lines.push(Line {
            class: if weight >= TOP_PI_WEIGHT {
                PriorityClass::BeforeConsentPi
            } else {
                PriorityClass::Other
            },
            weight,
            breadth: apis.len(),
            subjects,
            problem: if apis.is_empty() {
                first_sentence(&x.title)
            } else {
                t(
                    format!("用户同意隐私政策前即读取{}。", collected.zh),
                    format!(
                        "reads {} before the user agrees to the privacy policy.",
                        collected.en
                    ),
                )
            },
            place: common_place(&owner, x),
            fix,
            findings: vec![i],
        });
    }

    // Policy gaps: one line per kind (`policy.element.*`, …).
    let mut kinds: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, x) in f.iter().enumerate() {
        if used[i] || !live(i) || !x.id.starts_with("policy.") {
            continue;
        }
        let kind: String = x.id.splitn(3, '.').take(2).collect::<Vec<_>>().join(".");
        match kinds.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, v)) => v.push(i),
            None => kinds.push((kind, vec![i])),
        }
    }
    for (_, idx) in kinds {
        let x = &f[idx[0]];
        let n = idx.len();
        let problem = if n == 1 {
            x.title.clone()
        } else {
            t(
                format!("{} 等 {n} 项", x.title.zh),
                format!("{} and {} more", x.title.en, n - 1),
            )
        };
        for &j in &idx {
            used[j] = true;
        }
        lines.push(Line {
            class: PriorityClass::Policy,
            weight: 0,
            breadth: 0,
            subjects: vec!["app".into()],
            problem,
            place: (None, Vec::new()),
            fix: first_sentence(&x.remediation),
            findings: idx,
        });
    }

    // The rest, one line each.
    for (i, x) in f.iter().enumerate() {
        if used[i] || !live(i) {
            continue;
        }
        let class = if x.id == "perm.legacy_runtime" {
            PriorityClass::InstallTimePermissions
        } else if (x.id.starts_with("background.self_start.")
            || x.id.starts_with("start.")
            || x.id.starts_with("launch."))
            && x.severity <= Severity::Medium
        {
            PriorityClass::SelfStart
        } else {
            PriorityClass::Other
        };
        let weight =
            x.id.strip_prefix("api.pi.")
                .or_else(|| x.id.strip_prefix("api."))
                .map_or(0, |p| kb.pi_weight(p));
        let subjects =
            x.id.strip_prefix("background.self_start.")
                .or_else(|| x.id.strip_prefix("background."))
                .map(|s| vec![s.to_string()])
                .or_else(|| {
                    x.id.strip_prefix("sdk.")
                        .map(|id| vec![format!("sdk:{id}")])
                })
                .unwrap_or_default();
        lines.push(Line {
            class,
            weight,
            breadth: 0,
            subjects,
            problem: x.title.clone(),
            place: (None, Vec::new()),
            fix: first_sentence(&x.remediation),
            findings: vec![i],
        });
    }

    let worst = |l: &Line| {
        (
            l.findings.iter().map(|&i| f[i].verdict).min(),
            l.findings.iter().map(|&i| f[i].severity).min(),
        )
    };
    lines.sort_by(|x, y| {
        x.class
            .cmp(&y.class)
            .then(worst(x).cmp(&worst(y)))
            .then(y.weight.cmp(&x.weight))
            .then(y.breadth.cmp(&x.breadth))
            .then(x.findings.first().cmp(&y.findings.first()))
    });
    lines
        .into_iter()
        .take(MAX_PRIORITIES)
        .enumerate()
        .map(|(n, l)| {
            let (verdict, severity) = worst(&l);
            Priority {
                rank: n + 1,
                class: l.class,
                subject_name: if l.subjects.is_empty() {
                    t("", "")
                } else {
                    subject_name(kb, a, &l.subjects)
                },
                subjects: l.subjects,
                problem: l.problem,
                place: l.place.0,
                via: l.place.1,
                fix: l.fix,
                finding_ids: l.findings.iter().map(|&i| f[i].short_id()).collect(),
                findings: l.findings,
                verdict: verdict.unwrap_or(Verdict::Risk),
                severity: severity.unwrap_or(Severity::Medium),
            }
        })
        .collect()
}

/// Findings that are a risk or a violation (not accepted by a baseline)
/// and in no line of `a.priorities`: the "N more" of the block.
pub fn not_in_priorities(a: &Assessment) -> usize {
    (0..a.findings.len())
        .filter(|&i| counts(&a.findings[i]) && a.accepted(i).is_none())
        .filter(|i| !a.priorities.iter().any(|p| p.findings.contains(i)))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The place to change follows the first-party prefixes, `--first-party`
    /// ones too, with the catalogue's precedence (AndroidProject's
    /// ImmersionBar, `com.gyf.immersionbar` in `kb/sdks/libraries.yaml`).
    #[test]
    fn the_place_follows_the_first_party_prefixes() {
        let kb = Kb::embedded();
        let chain = [
            "Lcom/hjq/demo/common/MyApplication;->onCreate()V".to_string(),
            "Lcom/gyf/immersionbar/ImmersionBar;->init()V".to_string(),
            "Lcom/gyf/immersionbar/NotchUtils;->hasNotchAtXiaoMi(Landroid/content/Context;)Z"
                .to_string(),
        ];
        let auto = Owner::of(&["com.hjq.*".into()], "com.hjq.demo", kb);
        assert_eq!(
            auto.place(&chain).0.as_deref(),
            Some("com.hjq.demo.common.MyApplication.onCreate")
        );
        // As specific as the SDK's prefix: the code is the app's.
        let own = Owner::of(
            &["com.gyf.immersionbar.*".into(), "com.hjq.*".into()],
            "com.hjq.demo",
            kb,
        );
        assert_eq!(
            own.place(&chain),
            (
                Some("com.gyf.immersionbar.ImmersionBar.init".into()),
                vec!["com.gyf.immersionbar.NotchUtils.hasNotchAtXiaoMi".into()]
            )
        );
        // Shorter than the SDK's prefix: the SDK keeps its code.
        let org = Owner::of(
            &["com.gyf.*".into(), "com.hjq.*".into()],
            "com.hjq.demo",
            kb,
        );
        assert_eq!(org.place(&chain), auto.place(&chain));
    }
}
