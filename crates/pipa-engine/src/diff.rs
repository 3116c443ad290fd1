//! What changed in personal-information collection between two versions of
//! an app: [`diff`] compares two [`Assessment`]s and returns an
//! [`AssessmentDiff`], whose JSON form is the contract `pipa.diff/1` (keep
//! these keys; add freely).
//!
//! A pure function of its inputs: no files, no clock. Besides the changes
//! (permissions, SDKs, PI types per subject, start-up collection, policy,
//! items, findings) it raises its own findings for 191-2.2 (规则变化未通知用户):
//! the new version collects a PI type, or embeds an SDK, that the old one did
//! not, and the policy the new version comes with does not declare it. That is
//! a risk, never a proven violation: the app may tell its users by other
//! means (a pop-up, release notes) that a package cannot show.

use crate::model::{
    Assessment, Coverage, Evidence, Finding, ItemResult, PermissionUse, ReachedApi, SdkInitReach,
    SdkUse, Severity, Tool, Verdict,
};
use crate::text::{list, plural, subject_text, t};
use pipa_kb::{Kb, Text};
use pipa_policy::{ElementVerdict, PolicyReport};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Schema id of the JSON form.
pub const DIFF_SCHEMA: &str = "pipa.diff/1";

/// The legal item the diff's own findings cite: 191-2.2 (收集使用个人信息的目的、
/// 方式、范围发生变化时，未以适当方式通知用户). Its remediation text comes from
/// `kb/rules.yaml`.
pub const RULE_CHANGE_NOT_NOTIFIED: &str = "191-2.2";

/// Example call sites kept per (subject, PI type) and per diff finding.
pub const EXAMPLES: usize = 3;

/// Added and removed entries of one kind.
#[derive(Debug, Clone, Serialize)]
pub struct Changes<T> {
    /// In the new version only.
    pub added: Vec<T>,
    /// In the old version only.
    pub removed: Vec<T>,
}

impl<T> Default for Changes<T> {
    fn default() -> Self {
        Changes {
            added: Vec::new(),
            removed: Vec::new(),
        }
    }
}

impl<T> Changes<T> {
    /// Nothing added, nothing removed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }
}

/// The policy one version was assessed with.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyInfo {
    /// File, URL, or entry in the package.
    pub source: String,
    /// `option` (given by the user) or `package` (found in the package).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// Characters of its plain text.
    pub chars: usize,
    /// SHA-256 of its plain text, when the caller knew it ([`DiffOptions`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// The update or effective date it states, when found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
}

/// One side of the diff: which package, which app, which policy.
#[derive(Debug, Clone, Serialize)]
pub struct Version {
    /// Path as given.
    pub path: String,
    /// SHA-256 of the file.
    pub sha256: String,
    /// Package name.
    pub id: String,
    /// Label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Version name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_name: Option<String>,
    /// Version code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_code: Option<i64>,
    /// Target SDK level.
    pub target_sdk: i64,
    /// The policy it was assessed with, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyInfo>,
    /// How much of its code was read (as `pipa scan`'s `coverage`).
    pub coverage: Coverage,
}

/// Either version's assessment is incomplete (see [`Coverage`]): the diff
/// compares what was read, so a change may be only code pipa could not read.
#[derive(Debug, Clone, Serialize)]
pub struct DiffIncomplete {
    /// The old version's assessment is incomplete.
    pub old: bool,
    /// The new version's assessment is incomplete.
    pub new: bool,
    /// What was read of each incomplete version, and what that means for
    /// the changes shown.
    pub message: Text,
}

/// A permission requested by one version only.
#[derive(Debug, Clone, Serialize)]
pub struct PermissionChange {
    /// Full name.
    pub name: String,
    /// A runtime (dangerous) permission.
    pub dangerous: bool,
    /// Protection class from the knowledge base.
    pub protection: String,
    /// PI types it gives access to.
    pub pi_types: Vec<String>,
}

/// An SDK found in one version only.
#[derive(Debug, Clone, Serialize)]
pub struct SdkRef {
    /// Catalogue id.
    pub id: String,
    /// Product name.
    pub name: Text,
    /// Category id.
    pub category: String,
    /// Version, where the package shows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// PI types its vendor says it collects.
    pub collects: Vec<String>,
    /// PI types of call sites in its own code.
    pub observed_pi: Vec<String>,
    /// Called from outside its own code, or started by the system.
    pub initialized: bool,
    /// `ungated` or `gated` when called on a start-up path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub startup: Option<String>,
}

/// An SDK in both versions whose version differs.
#[derive(Debug, Clone, Serialize)]
pub struct SdkVersionChange {
    /// Catalogue id.
    pub id: String,
    /// Product name.
    pub name: Text,
    /// Version in the old package.
    pub old: Option<String>,
    /// Version in the new package.
    pub new: Option<String>,
}

/// A sensitive call site, as an example.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallSite {
    /// Dotted API name.
    pub api: String,
    /// Calling method, smali form.
    pub caller: String,
    /// Dex file.
    pub dex: String,
    /// Bytecode offset (code units).
    pub offset: u32,
}

/// A PI type collected by one subject's code, in one version only.
#[derive(Debug, Clone, Serialize)]
pub struct SubjectPi {
    /// `app`, `sdk:<id>`, `unknown-third-party`.
    pub subject: String,
    /// The subject by its published name (an SDK's name and vendor); empty
    /// in [`collected_pi`].
    pub subject_name: Text,
    /// PI type id.
    pub pi_type: String,
    /// Call sites.
    pub sites: usize,
    /// A few of them ([`EXAMPLES`]).
    pub examples: Vec<CallSite>,
}

/// Call sites of a PI type that are in both versions (same API, same
/// calling method) but attributed to another subject: a change of label
/// (unattributed code now recognised as a catalogued SDK, a knowledge-base
/// id renamed, code now counted as the app's own), not new or removed
/// collection.
#[derive(Debug, Clone, Serialize)]
pub struct AttributionChange {
    /// PI type id.
    pub pi_type: String,
    /// Subject in the old version: `app`, `sdk:<id>`, `unknown-third-party`.
    pub old_subject: String,
    /// Subject in the new version.
    pub new_subject: String,
    /// The old subject by its published name (an SDK's name and vendor).
    pub old_name: Text,
    /// The new subject by its published name.
    pub new_name: Text,
    /// Call sites that moved.
    pub sites: usize,
    /// A few of them ([`EXAMPLES`]), as in the new version.
    pub examples: Vec<CallSite>,
}

/// An SDK in one version's list only whose code is in both: every sensitive
/// call site of it is in the other version too, under another subject (it
/// was recognised, or its catalogue id changed). Not an SDK added or removed.
#[derive(Debug, Clone, Serialize)]
pub struct SdkAttributionChange {
    /// Catalogue id.
    pub id: String,
    /// Product name.
    pub name: Text,
    /// `added`: in the new version's list only; `removed`: in the old one's.
    pub side: String,
    /// The subjects its call sites have in the other version.
    pub other_subjects: Vec<String>,
}

/// What makes a version collect a PI type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum PiSource {
    /// Call sites in the code of `subject`.
    Code {
        /// `app`, `sdk:<id>`, `unknown-third-party`.
        subject: String,
        /// Call sites.
        sites: usize,
    },
    /// A requested permission.
    Permission {
        /// Full name.
        name: String,
    },
    /// An SDK in the package whose vendor says it collects it.
    Sdk {
        /// Catalogue id.
        id: String,
    },
}

/// A PI type collected (code, permission or SDK) by one version only.
#[derive(Debug, Clone, Serialize)]
pub struct PiTypeChange {
    /// PI type id.
    pub pi_type: String,
    /// Its name.
    pub name: Text,
    /// Sensitive PI (PIPL Art. 28).
    pub sensitive: bool,
    /// Why the version collects it.
    pub via: Vec<PiSource>,
}

/// A sensitive call reached without the user (start-up or background), in
/// one version only.
#[derive(Debug, Clone, Serialize)]
pub struct ReachChange {
    /// Dotted API name.
    pub api: String,
    /// Knowledge-base id.
    pub api_id: String,
    /// PI type.
    pub pi_type: String,
    /// Who calls it.
    pub subject: String,
    /// Who calls it, by its published name (an SDK's name and vendor).
    pub subject_name: Text,
    /// Only after a consent check.
    pub gated: bool,
    /// One chain from the entry point to the call.
    pub chain: Vec<String>,
}

/// An SDK called at start-up in one version only.
#[derive(Debug, Clone, Serialize)]
pub struct SdkInitChange {
    /// Catalogue id.
    pub sdk: String,
    /// Only after a consent check.
    pub gated: bool,
    /// A compliant-initialisation API of it is called somewhere.
    pub compliant_init_used: bool,
    /// One chain from the entry point to the SDK.
    pub chain: Vec<String>,
}

/// What runs without the user, added and removed. An entry whose `gated`
/// flag changed shows as removed with one value and added with the other.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StartupChanges {
    /// Sensitive calls reached at start-up (before consent).
    pub before_consent: Changes<ReachChange>,
    /// Sensitive calls reached in the background only.
    pub background: Changes<ReachChange>,
    /// SDKs called at start-up.
    pub sdk_init: Changes<SdkInitChange>,
}

impl StartupChanges {
    /// Nothing changed.
    pub fn is_empty(&self) -> bool {
        self.before_consent.is_empty() && self.background.is_empty() && self.sdk_init.is_empty()
    }
}

/// How the policies of the two versions relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyState {
    /// Neither version has one (none given, none found in the package).
    None,
    /// Only the new version has one.
    Added,
    /// Only the old version has one.
    Removed,
    /// Both have the same policy.
    Unchanged,
    /// Both have one, and they differ.
    Changed,
}

impl PolicyState {
    /// The stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyState::None => "none",
            PolicyState::Added => "added",
            PolicyState::Removed => "removed",
            PolicyState::Unchanged => "unchanged",
            PolicyState::Changed => "changed",
        }
    }

    /// A bilingual description.
    pub fn text(self) -> Text {
        match self {
            PolicyState::None => t(
                "两个版本均无隐私政策（未提供，安装包中也未找到）",
                "neither version has a privacy policy (none given, none found in the package)",
            ),
            PolicyState::Added => t(
                "仅新版本有隐私政策",
                "only the new version has a privacy policy",
            ),
            PolicyState::Removed => t(
                "仅旧版本有隐私政策，新版本没有",
                "only the old version has a privacy policy",
            ),
            PolicyState::Unchanged => t("隐私政策未更新", "the privacy policy did not change"),
            PolicyState::Changed => t("隐私政策已更新", "the privacy policy changed"),
        }
    }
}

/// One of the 16 policy elements whose verdict changed.
#[derive(Debug, Clone, Serialize)]
pub struct ElementChange {
    /// `PP-01` … `PP-16`.
    pub id: String,
    /// Its name.
    pub name: Text,
    /// Verdict in the old policy.
    pub old: ElementVerdict,
    /// Verdict in the new policy.
    pub new: ElementVerdict,
}

/// The policies compared.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyDiff {
    /// How they relate.
    pub state: PolicyState,
    /// How `unchanged` was decided: `sha256` (same plain text) or `analysis`
    /// (same size, PI types, third parties, permissions, dates and element
    /// verdicts; the text itself was not available). Absent unless both
    /// versions have a policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compared_by: Option<String>,
    /// Elements whose verdict changed (both versions have a policy).
    pub elements: Vec<ElementChange>,
    /// PI types declared as collected.
    pub pi_declared: Changes<String>,
    /// Third parties named (catalogue SDK id, or the name as written).
    pub third_parties: Changes<String>,
    /// Permissions explained.
    pub permissions: Changes<String>,
}

/// One of the 31 items whose verdict changed.
#[derive(Debug, Clone, Serialize)]
pub struct ItemChange {
    /// Rule id.
    pub id: String,
    /// Its title.
    pub title: Text,
    /// Verdict in the old version.
    pub old: Verdict,
    /// Verdict in the new version.
    pub new: Verdict,
    /// The new verdict is worse (pass → risk, risk → violation, …).
    pub worse: bool,
}

/// A finding, by id.
#[derive(Debug, Clone, Serialize)]
pub struct FindingRef {
    /// Finding id.
    pub id: String,
    /// Legal items.
    pub rule_ids: Vec<String>,
    /// Verdict.
    pub verdict: Verdict,
    /// Severity.
    pub severity: Severity,
    /// Title.
    pub title: Text,
}

/// A finding in both versions whose verdict changed.
#[derive(Debug, Clone, Serialize)]
pub struct FindingChange {
    /// Finding id.
    pub id: String,
    /// Title (new version).
    pub title: Text,
    /// Verdict in the old version.
    pub old: Verdict,
    /// Verdict in the new version.
    pub new: Verdict,
}

/// Findings added, removed and changed, matched by id.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FindingChanges {
    /// In the new version only.
    pub added: Vec<FindingRef>,
    /// In the old version only.
    pub removed: Vec<FindingRef>,
    /// In both, with another verdict.
    pub verdict_changed: Vec<FindingChange>,
}

/// Counts, for a one-line summary and gates.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DiffSummary {
    /// Something changed besides the file (any list below non-empty).
    pub changed: bool,
    /// Permissions added.
    pub permissions_added: usize,
    /// Permissions removed.
    pub permissions_removed: usize,
    /// Dangerous permissions added.
    pub dangerous_permissions_added: usize,
    /// SDKs added.
    pub sdks_added: usize,
    /// SDKs removed.
    pub sdks_removed: usize,
    /// PI types newly collected.
    pub pi_types_added: usize,
    /// PI types no longer collected.
    pub pi_types_removed: usize,
    /// Start-up/background entries added (before consent, background, SDK init).
    pub startup_added: usize,
    /// Start-up/background entries removed.
    pub startup_removed: usize,
    /// (PI type, old subject, new subject) whose call sites are in both
    /// versions under another subject, and SDKs only recognised anew.
    pub attribution_changed: usize,
    /// Items whose verdict got worse.
    pub items_worse: usize,
    /// Items whose verdict got better.
    pub items_better: usize,
    /// Findings added.
    pub findings_added: usize,
    /// Findings removed.
    pub findings_removed: usize,
    /// The diff's own risk findings (191-2.2).
    pub risks: usize,
}

/// What changed between two assessments of (normally) the same app.
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentDiff {
    /// `pipa.diff/1`.
    pub schema: &'static str,
    /// The tool.
    pub tool: Tool,
    /// Set (first, before anything else) when either version's assessment
    /// is incomplete; `null` when both were read in full or above the
    /// threshold.
    pub incomplete: Option<DiffIncomplete>,
    /// The older version.
    pub old: Version,
    /// The newer version.
    pub new: Version,
    /// Both have the same package name.
    pub same_app: bool,
    /// Things to know before reading the diff (different package names, the
    /// same file twice, a lower version code).
    pub warnings: Vec<Text>,
    /// Counts.
    pub summary: DiffSummary,
    /// Permissions requested.
    pub permissions: Changes<PermissionChange>,
    /// SDKs found.
    pub sdks: Changes<SdkRef>,
    /// SDKs in both whose version changed.
    pub sdk_versions: Vec<SdkVersionChange>,
    /// PI types collected by the version as a whole (code, permissions, SDKs).
    pub pi_types: Changes<PiTypeChange>,
    /// PI types collected by each subject's code, with example call sites
    /// (entries whose every call site is in the other version under another
    /// subject are in `attribution` instead).
    pub collection: Changes<SubjectPi>,
    /// Call sites in both versions whose subject changed.
    pub attribution: Vec<AttributionChange>,
    /// SDKs in one version's list only whose code is in both (see
    /// [`SdkAttributionChange`]); they are not in `sdks`.
    pub sdk_attribution: Vec<SdkAttributionChange>,
    /// What runs without the user.
    pub startup: StartupChanges,
    /// The policies.
    pub policy: PolicyDiff,
    /// Items of 191 whose verdict changed.
    pub items: Vec<ItemChange>,
    /// Findings of the two assessments, matched by id.
    pub findings: FindingChanges,
    /// The diff's own findings: 191-2.2 risks.
    pub diff_findings: Vec<Finding>,
}

/// What the caller knows beyond the two assessments.
#[derive(Debug, Clone, Default)]
pub struct DiffOptions {
    /// SHA-256 of the old version's policy text, when the caller read it.
    pub old_policy_sha256: Option<String>,
    /// SHA-256 of the new version's policy text.
    pub new_policy_sha256: Option<String>,
}

/// A condition under which a diff should fail a pipeline (`pipa diff --fail-on`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffGate {
    /// The new version collects a PI type the old did not (code, permission
    /// or SDK), requests a new dangerous permission, embeds a new SDK, or
    /// makes a new sensitive call before consent.
    NewCollection,
    /// The diff raises a 191-2.2 risk, or a finding or item becomes a risk or
    /// a violation (new, or worse than before).
    Risk,
    /// A finding or item becomes a violation.
    Violation,
}

impl AssessmentDiff {
    /// Why `gate` fails, one line each; empty when it passes.
    pub fn gate(&self, gate: DiffGate) -> Vec<String> {
        let mut why = Vec::new();
        match gate {
            DiffGate::NewCollection => {
                for p in &self.pi_types.added {
                    why.push(format!("new PI type collected: {}", p.pi_type));
                }
                for p in self.permissions.added.iter().filter(|p| p.dangerous) {
                    why.push(format!("new dangerous permission: {}", p.name));
                }
                for s in &self.sdks.added {
                    why.push(format!("new SDK: {}", s.id));
                }
                for r in &self.startup.before_consent.added {
                    why.push(format!(
                        "new call at start-up: {} ({}, {})",
                        r.api, r.pi_type, r.subject
                    ));
                }
            }
            DiffGate::Risk | DiffGate::Violation => {
                let floor = if gate == DiffGate::Risk {
                    Verdict::Risk
                } else {
                    Verdict::Violation
                };
                let bad = |v: Verdict| rank(v) <= rank(floor);
                for f in self.diff_findings.iter().filter(|f| bad(f.verdict)) {
                    why.push(format!(
                        "{} [{}]: {}",
                        f.id,
                        f.rule_ids.join(","),
                        f.title.en
                    ));
                }
                for f in self.findings.added.iter().filter(|f| bad(f.verdict)) {
                    why.push(format!("new finding {} ({})", f.id, f.verdict.as_str()));
                }
                for f in &self.findings.verdict_changed {
                    if bad(f.new) && rank(f.new) < rank(f.old) {
                        why.push(format!(
                            "finding {}: {} -> {}",
                            f.id,
                            f.old.as_str(),
                            f.new.as_str()
                        ));
                    }
                }
                for i in self.items.iter().filter(|i| i.worse && bad(i.new)) {
                    why.push(format!(
                        "item {}: {} -> {}",
                        i.id,
                        i.old.as_str(),
                        i.new.as_str()
                    ));
                }
            }
        }
        why
    }
}

/// Worst first: violation 0, risk 1, manual 2, pass and not applicable 3.
fn rank(v: Verdict) -> u8 {
    match v {
        Verdict::Violation => 0,
        Verdict::Risk => 1,
        Verdict::Manual => 2,
        Verdict::Pass | Verdict::NotApplicable => 3,
    }
}

/// Compares two assessments (see the module docs); the policies are
/// compared by their analysis.
pub fn diff(old: &Assessment, new: &Assessment, kb: &Kb) -> AssessmentDiff {
    diff_with(old, new, kb, &DiffOptions::default())
}

/// [`diff`], with the policies' text hashes when the caller knows them.
pub fn diff_with(
    old: &Assessment,
    new: &Assessment,
    kb: &Kb,
    opts: &DiffOptions,
) -> AssessmentDiff {
    let same_app = old.app.id == new.app.id;
    let mut warnings = Vec::new();
    if !same_app {
        warnings.push(t(
            format!(
                "两个安装包的包名不同（{} 与 {}），可能不是同一个 App 的两个版本；仍逐项比较。",
                old.app.id, new.app.id
            ),
            format!(
                "The package names differ ({} and {}): these may not be two versions of one app; compared anyway.",
                old.app.id, new.app.id
            ),
        ));
    }
    if !old.input.sha256.is_empty() && old.input.sha256 == new.input.sha256 {
        warnings.push(t(
            "两个文件相同（SHA-256 一致）。",
            "Both files are the same (same SHA-256).",
        ));
    }
    if let (Some(a), Some(b)) = (old.app.version_code, new.app.version_code)
        && b < a
    {
        warnings.push(t(
            format!("“新”版本的版本号（{b}）低于“旧”版本（{a}）：参数顺序是否颠倒？"),
            format!(
                "The “new” version code ({b}) is lower than the “old” one ({a}): are the arguments swapped?"
            ),
        ));
    }

    let permissions = permissions(&old.permissions, &new.permissions);
    let (old_sites, new_sites) = (sites(old), sites(new));
    let (mut sdks, sdk_versions) = sdks(&old.sdks, &new.sdks);
    let sdk_attribution = sdk_attribution(&mut sdks, &old_sites, &new_sites);
    let (collection, attribution) = collection(kb, old, new, &old_sites, &new_sites);
    let mut pi_types = pi_types(old, new, kb);
    // A PI type "new" only because a recognised SDK's catalogue entry
    // says it collects it is a change of label, as the SDK itself.
    for (c, side) in [
        (&mut pi_types.added, "added"),
        (&mut pi_types.removed, "removed"),
    ] {
        c.retain(|p| {
            !p.via.iter().all(|v| match v {
                PiSource::Sdk { id } => sdk_attribution
                    .iter()
                    .any(|a| a.id == *id && a.side == side),
                _ => false,
            })
        });
    }
    let startup = StartupChanges {
        before_consent: reach(
            kb,
            &old.reachability.before_consent,
            &new.reachability.before_consent,
        ),
        background: reach(
            kb,
            &old.reachability.background,
            &new.reachability.background,
        ),
        sdk_init: sdk_init(
            &old.reachability.sdk_init,
            &new.reachability.sdk_init,
            &sdk_attribution,
        ),
    };
    let policy = policy(old.policy.as_ref(), new.policy.as_ref(), opts);
    let items = items(&old.items, &new.items, kb);
    let findings = findings(&old.findings, &new.findings, &relabels(&attribution));
    let diff_findings = rule_2_2(new, &pi_types, &sdks, &policy, kb);

    let startup_added = startup.before_consent.added.len()
        + startup.background.added.len()
        + startup.sdk_init.added.len();
    let startup_removed = startup.before_consent.removed.len()
        + startup.background.removed.len()
        + startup.sdk_init.removed.len();
    let policy_changed = !policy.elements.is_empty()
        || !policy.pi_declared.is_empty()
        || !policy.third_parties.is_empty()
        || !policy.permissions.is_empty()
        || matches!(policy.state, PolicyState::Added | PolicyState::Removed);
    let changed = !permissions.is_empty()
        || !sdks.is_empty()
        || !sdk_versions.is_empty()
        || !pi_types.is_empty()
        || !collection.is_empty()
        || !attribution.is_empty()
        || !sdk_attribution.is_empty()
        || !startup.is_empty()
        || policy_changed
        || !items.is_empty()
        || !findings.added.is_empty()
        || !findings.removed.is_empty()
        || !findings.verdict_changed.is_empty();
    let summary = DiffSummary {
        changed,
        permissions_added: permissions.added.len(),
        permissions_removed: permissions.removed.len(),
        dangerous_permissions_added: permissions.added.iter().filter(|p| p.dangerous).count(),
        sdks_added: sdks.added.len(),
        sdks_removed: sdks.removed.len(),
        pi_types_added: pi_types.added.len(),
        pi_types_removed: pi_types.removed.len(),
        startup_added,
        startup_removed,
        attribution_changed: attribution.len() + sdk_attribution.len(),
        items_worse: items.iter().filter(|i| i.worse).count(),
        items_better: items.iter().filter(|i| rank(i.new) > rank(i.old)).count(),
        findings_added: findings.added.len(),
        findings_removed: findings.removed.len(),
        risks: diff_findings.len(),
    };
    AssessmentDiff {
        schema: DIFF_SCHEMA,
        tool: Tool {
            name: "pipa".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kb_version: pipa_kb::kb_version(),
        },
        incomplete: incomplete(&old.coverage, &new.coverage),
        old: version(old, opts.old_policy_sha256.as_deref()),
        new: version(new, opts.new_policy_sha256.as_deref()),
        same_app,
        warnings,
        summary,
        permissions,
        sdks,
        sdk_versions,
        pi_types,
        collection,
        attribution,
        sdk_attribution,
        startup,
        policy,
        items,
        findings,
        diff_findings,
    }
}

fn version(a: &Assessment, policy_sha: Option<&str>) -> Version {
    Version {
        path: a.input.path.clone(),
        sha256: a.input.sha256.clone(),
        id: a.app.id.clone(),
        name: a.app.name.clone(),
        version_name: a.app.version_name.clone(),
        version_code: a.app.version_code,
        target_sdk: a.app.target_sdk,
        policy: a.policy.as_ref().map(|p| PolicyInfo {
            source: p
                .source
                .url
                .clone()
                .unwrap_or_else(|| p.source.path.clone()),
            origin: p.source.origin.clone(),
            chars: p.source.chars,
            sha256: policy_sha.map(String::from),
            updated: policy_date(p),
        }),
        coverage: a.coverage.clone(),
    }
}

/// [`DiffIncomplete`] when either coverage is incomplete: what was read of
/// each incomplete side, then what may be only unread code — what
/// “disappeared” when the new version is incomplete, what “appeared” when
/// the old one is.
fn incomplete(old: &Coverage, new: &Coverage) -> Option<DiffIncomplete> {
    if !old.incomplete && !new.incomplete {
        return None;
    }
    let mut zh = vec![];
    let mut en = vec![];
    for (side_zh, side_en, c) in [
        ("旧版本", "The old version", old),
        ("新版本", "The new version", new),
    ] {
        if !c.incomplete {
            continue;
        }
        let short = c.shortfall();
        let (mut dz, mut de) = (String::new(), String::new());
        if c.damaged_dex > 0 {
            dz = format!("，{} 个 dex 文件校验和不符", c.damaged_dex);
            de = format!(", {} dex files fail their checksum", c.damaged_dex);
        }
        zh.push(format!("{side_zh}{}{dz}", short.zh));
        en.push(format!("{side_en}: {}{de}", short.en));
    }
    let mut meaning_zh = String::new();
    let mut meaning_en = String::new();
    if new.incomplete {
        meaning_zh.push_str("“消失”（-）的发现、个人信息类型、SDK 和启动时调用可能只是新版本中未能读取的代码，并非已删除。");
        meaning_en.push_str(" Findings, PI types, SDKs and start-up calls that “disappeared” (-) may only be in the new version's code that could not be read, not removed.");
    }
    if old.incomplete {
        meaning_zh.push_str("“新增”（+）的可能在旧版本未能读取的代码中早已存在。");
        meaning_en.push_str(
            " What “appeared” (+) may already be in the old version's code that could not be read.",
        );
    }
    Some(DiffIncomplete {
        old: old.incomplete,
        new: new.incomplete,
        message: t(
            format!("{}。{meaning_zh}", zh.join("；")),
            format!("{}.{meaning_en}", en.join("; ")),
        ),
    })
}

/// The policy's update date, else its effective or published date.
fn policy_date(p: &PolicyReport) -> Option<String> {
    ["updated", "effective", "published"].iter().find_map(|k| {
        p.dates
            .iter()
            .find(|d| d.kind == *k)
            .map(|d| d.value.clone())
    })
}

/// `added`/`removed` of two keyed maps, values taken from the side they are in.
fn changes<K: Ord, A, T>(
    old: &BTreeMap<K, A>,
    new: &BTreeMap<K, A>,
    mut make: impl FnMut(&A) -> T,
) -> Changes<T> {
    Changes {
        added: new
            .iter()
            .filter(|(k, _)| !old.contains_key(k))
            .map(|(_, v)| make(v))
            .collect(),
        removed: old
            .iter()
            .filter(|(k, _)| !new.contains_key(k))
            .map(|(_, v)| make(v))
            .collect(),
    }
}

fn permissions(old: &[PermissionUse], new: &[PermissionUse]) -> Changes<PermissionChange> {
    let by_name = |v: &[PermissionUse]| -> BTreeMap<String, PermissionUse> {
        v.iter().map(|p| (p.name.clone(), p.clone())).collect()
    };
    changes(&by_name(old), &by_name(new), |p| PermissionChange {
        name: p.name.clone(),
        dangerous: p.dangerous,
        protection: p.protection.clone(),
        pi_types: p.pi_types.clone(),
    })
}

fn sdks(old: &[SdkUse], new: &[SdkUse]) -> (Changes<SdkRef>, Vec<SdkVersionChange>) {
    let by_id = |v: &[SdkUse]| -> BTreeMap<String, SdkUse> {
        v.iter().map(|s| (s.id.clone(), s.clone())).collect()
    };
    let (o, n) = (by_id(old), by_id(new));
    let c = changes(&o, &n, |s| SdkRef {
        id: s.id.clone(),
        name: s.name.clone(),
        category: s.category.clone(),
        version: s.version.clone(),
        collects: s.collects.clone(),
        observed_pi: s.observed_pi.clone(),
        initialized: s.initialized,
        startup: s.startup.clone(),
    });
    let versions = n
        .iter()
        .filter_map(|(id, s)| {
            let before = o.get(id)?;
            (before.version != s.version).then(|| SdkVersionChange {
                id: id.clone(),
                name: s.name.clone(),
                old: before.version.clone(),
                new: s.version.clone(),
            })
        })
        .collect();
    (c, versions)
}

/// (subject, PI type) → its call sites, from the code.
fn subject_pi(a: &Assessment) -> BTreeMap<(String, String), SubjectPi> {
    let mut m: BTreeMap<(String, String), SubjectPi> = BTreeMap::new();
    for u in &a.api_uses {
        let e = m
            .entry((u.subject.clone(), u.pi_type.clone()))
            .or_insert_with(|| SubjectPi {
                subject: u.subject.clone(),
                subject_name: Text::default(),
                pi_type: u.pi_type.clone(),
                sites: 0,
                examples: Vec::new(),
            });
        e.sites += 1;
        if e.examples.len() < EXAMPLES {
            e.examples.push(CallSite {
                api: u.api.clone(),
                caller: u.caller.clone(),
                dex: u.dex.clone(),
                offset: u.offset,
            });
        }
    }
    m
}

/// A call site's identity across versions: (PI type, API, calling method);
/// the offset and dex may move.
type SiteKey = (String, String, String);

/// Per call site, its subject and where it is.
fn sites(a: &Assessment) -> BTreeMap<SiteKey, (String, CallSite)> {
    let mut m = BTreeMap::new();
    for u in &a.api_uses {
        m.entry((u.pi_type.clone(), u.api.clone(), u.caller.clone()))
            .or_insert_with(|| {
                (
                    u.subject.clone(),
                    CallSite {
                        api: u.api.clone(),
                        caller: u.caller.clone(),
                        dex: u.dex.clone(),
                        offset: u.offset,
                    },
                )
            });
    }
    m
}

/// The call-site keys of `subject` collecting `pi` in `a`.
fn keys_of<'s>(
    sites: &'s BTreeMap<SiteKey, (String, CallSite)>,
    subject: &'s str,
    pi: &'s str,
) -> impl Iterator<Item = &'s SiteKey> + 's {
    sites
        .iter()
        .filter(move |(k, (s, _))| k.0 == pi && s == subject)
        .map(|(k, _)| k)
}

/// Collection per (subject, PI type), added and removed, without the
/// entries whose every call site is in the other version under another
/// subject; and the call sites whose subject changed.
fn collection(
    kb: &Kb,
    old: &Assessment,
    new: &Assessment,
    old_sites: &BTreeMap<SiteKey, (String, CallSite)>,
    new_sites: &BTreeMap<SiteKey, (String, CallSite)>,
) -> (Changes<SubjectPi>, Vec<AttributionChange>) {
    let named = |e: &SubjectPi| SubjectPi {
        subject_name: subject_text(kb, &e.subject),
        ..e.clone()
    };
    let mut c = changes(&subject_pi(old), &subject_pi(new), named);
    // Only a label changed: every site is on the other side.
    c.added
        .retain(|e| !keys_of(new_sites, &e.subject, &e.pi_type).all(|k| old_sites.contains_key(k)));
    c.removed
        .retain(|e| !keys_of(old_sites, &e.subject, &e.pi_type).all(|k| new_sites.contains_key(k)));
    let mut moved: BTreeMap<(String, String, String), AttributionChange> = BTreeMap::new();
    for (k, (ns, site)) in new_sites {
        let Some((os, _)) = old_sites.get(k) else {
            continue;
        };
        if os == ns {
            continue;
        }
        let e = moved
            .entry((k.0.clone(), os.clone(), ns.clone()))
            .or_insert_with(|| AttributionChange {
                pi_type: k.0.clone(),
                old_subject: os.clone(),
                new_subject: ns.clone(),
                old_name: subject_text(kb, os),
                new_name: subject_text(kb, ns),
                sites: 0,
                examples: Vec::new(),
            });
        e.sites += 1;
        if e.examples.len() < EXAMPLES {
            e.examples.push(site.clone());
        }
    }
    (c, moved.into_values().collect())
}

/// Moves the SDKs of one version's list whose code is in both versions
/// (every sensitive call site of theirs is on the other side, under another
/// subject) from `sdks` to the returned list. An SDK without sensitive call
/// sites cannot be matched this way and stays.
fn sdk_attribution(
    sdks: &mut Changes<SdkRef>,
    old_sites: &BTreeMap<SiteKey, (String, CallSite)>,
    new_sites: &BTreeMap<SiteKey, (String, CallSite)>,
) -> Vec<SdkAttributionChange> {
    let mut out = Vec::new();
    for (list, side, mine, other) in [
        (&mut sdks.added, "added", new_sites, old_sites),
        (&mut sdks.removed, "removed", old_sites, new_sites),
    ] {
        list.retain(|s| {
            let label = format!("sdk:{}", s.id);
            let keys: Vec<&SiteKey> = mine
                .iter()
                .filter(|(_, (subj, _))| *subj == label)
                .map(|(k, _)| k)
                .collect();
            let mut others: Vec<String> = Vec::new();
            for k in &keys {
                match other.get(*k) {
                    Some((o, _)) if *o != label => {
                        if !others.contains(o) {
                            others.push(o.clone());
                        }
                    }
                    _ => return true,
                }
            }
            if keys.is_empty() {
                return true;
            }
            out.push(SdkAttributionChange {
                id: s.id.clone(),
                name: s.name.clone(),
                side: side.to_string(),
                other_subjects: others,
            });
            false
        });
    }
    out
}

/// Old subject → new subject, where every moved call site of the old
/// subject went to one new subject (finding ids name subjects:
/// `before_consent.sdk:x`), with SDK ids bare too (`policy.sdk_undeclared.x`).
fn relabels(moved: &[AttributionChange]) -> BTreeMap<String, String> {
    let mut to: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for m in moved {
        to.entry(m.old_subject.as_str())
            .or_default()
            .insert(m.new_subject.as_str());
    }
    let mut out = BTreeMap::new();
    for (from, tos) in to {
        if tos.len() != 1 {
            continue;
        }
        let Some(t) = tos.into_iter().next() else {
            continue;
        };
        out.insert(from.to_string(), t.to_string());
        if let (Some(a), Some(b)) = (from.strip_prefix("sdk:"), t.strip_prefix("sdk:")) {
            out.insert(a.to_string(), b.to_string());
        }
    }
    out
}

/// `id` with a trailing subject renamed by `relabels` (`before_consent.sdk:x`
/// → `before_consent.sdk:y`).
fn relabel(id: &str, relabels: &BTreeMap<String, String>) -> String {
    for (from, to) in relabels {
        if let Some(head) = id.strip_suffix(from.as_str())
            && head.ends_with('.')
        {
            return format!("{head}{to}");
        }
    }
    id.to_string()
}

/// PI type → why the version collects it (code, permissions, SDKs).
pub fn collected_pi(a: &Assessment) -> BTreeMap<String, Vec<PiSource>> {
    let mut m: BTreeMap<String, Vec<PiSource>> = BTreeMap::new();
    for ((subject, pi), s) in subject_pi(a) {
        m.entry(pi).or_default().push(PiSource::Code {
            subject,
            sites: s.sites,
        });
    }
    for p in &a.permissions {
        for pi in &p.pi_types {
            m.entry(pi.clone()).or_default().push(PiSource::Permission {
                name: p.name.clone(),
            });
        }
    }
    for s in &a.sdks {
        for pi in &s.collects {
            m.entry(pi.clone())
                .or_default()
                .push(PiSource::Sdk { id: s.id.clone() });
        }
    }
    m
}

fn pi_types(old: &Assessment, new: &Assessment, kb: &Kb) -> Changes<PiTypeChange> {
    let (o, n) = (collected_pi(old), collected_pi(new));
    let make = |id: &String, via: &Vec<PiSource>| PiTypeChange {
        pi_type: id.clone(),
        name: kb
            .pi_type(id)
            .map_or_else(|| t(id.as_str(), id.as_str()), |p| p.name.clone()),
        sensitive: kb.pi_type(id).is_some_and(|p| p.sensitive),
        via: via.clone(),
    };
    Changes {
        added: n
            .iter()
            .filter(|(k, _)| !o.contains_key(*k))
            .map(|(k, v)| make(k, v))
            .collect(),
        removed: o
            .iter()
            .filter(|(k, _)| !n.contains_key(*k))
            .map(|(k, v)| make(k, v))
            .collect(),
    }
}

fn reach(kb: &Kb, old: &[ReachedApi], new: &[ReachedApi]) -> Changes<ReachChange> {
    let keyed = |v: &[ReachedApi]| -> BTreeMap<(String, String, String, bool), ReachChange> {
        let mut m = BTreeMap::new();
        for r in v {
            m.entry((
                r.api_id.clone(),
                r.subject.clone(),
                r.pi_type.clone(),
                r.gated,
            ))
            .or_insert_with(|| ReachChange {
                api: r.api.clone(),
                api_id: r.api_id.clone(),
                pi_type: r.pi_type.clone(),
                subject: r.subject.clone(),
                subject_name: subject_text(kb, &r.subject),
                gated: r.gated,
                chain: r.chain.clone(),
            });
        }
        m
    };
    let mut c = changes(&keyed(old), &keyed(new), ReachChange::clone);
    // The same call (API, caller, gating) on the other side under another
    // subject: only its label changed (see `attribution`).
    let site = |r: &ReachChange| {
        let caller = r.chain.len().checked_sub(2).and_then(|i| r.chain.get(i));
        (r.api_id.clone(), caller.cloned(), r.gated)
    };
    let ids = |v: &[ReachedApi]| -> BTreeSet<(String, Option<String>, bool)> {
        v.iter()
            .map(|r| {
                let caller = r.chain.len().checked_sub(2).and_then(|i| r.chain.get(i));
                (r.api_id.clone(), caller.cloned(), r.gated)
            })
            .collect()
    };
    let (o, n) = (ids(old), ids(new));
    c.added.retain(|r| !o.contains(&site(r)));
    c.removed.retain(|r| !n.contains(&site(r)));
    c
}

/// SDKs called at start-up, added and removed; an SDK only recognised in
/// one version (`moved`: its code is in both) is not a start-up change.
fn sdk_init(
    old: &[SdkInitReach],
    new: &[SdkInitReach],
    moved: &[SdkAttributionChange],
) -> Changes<SdkInitChange> {
    let keyed = |v: &[SdkInitReach]| -> BTreeMap<(String, bool), SdkInitChange> {
        let mut m = BTreeMap::new();
        for r in v {
            m.entry((r.sdk.clone(), r.gated))
                .or_insert_with(|| SdkInitChange {
                    sdk: r.sdk.clone(),
                    gated: r.gated,
                    compliant_init_used: r.compliant_init_used,
                    chain: r.chain.clone(),
                });
        }
        m
    };
    let mut c = changes(&keyed(old), &keyed(new), SdkInitChange::clone);
    let relabelled = |id: &str, side: &str| moved.iter().any(|m| m.id == id && m.side == side);
    c.added.retain(|x| !relabelled(&x.sdk, "added"));
    c.removed.retain(|x| !relabelled(&x.sdk, "removed"));
    c
}

/// PI types a policy declares (itself or beside a third party).
fn declared(p: &PolicyReport) -> BTreeSet<String> {
    p.pi_types
        .iter()
        .map(|d| d.pi_type.clone())
        .chain(
            p.third_parties
                .iter()
                .flat_map(|tp| tp.pi_types.iter().cloned()),
        )
        .collect()
}

/// Third parties a policy names: catalogue ids (with the ones a vendor's name
/// may stand for), else the name as written.
fn named_parties(p: &PolicyReport) -> BTreeSet<String> {
    let mut s = BTreeSet::new();
    for tp in &p.third_parties {
        match &tp.sdk_id {
            Some(id) => {
                s.insert(id.clone());
            }
            None => {
                s.insert(tp.name.clone());
            }
        }
        s.extend(tp.also.iter().cloned());
    }
    s
}

fn set_changes(old: &BTreeSet<String>, new: &BTreeSet<String>) -> Changes<String> {
    Changes {
        added: new.difference(old).cloned().collect(),
        removed: old.difference(new).cloned().collect(),
    }
}

/// Same policy by its analysis: what a text change would almost always move.
fn same_analysis(a: &PolicyReport, b: &PolicyReport) -> bool {
    let ids = |p: &PolicyReport| -> Vec<String> {
        p.pi_types.iter().map(|d| d.pi_type.clone()).collect()
    };
    let dates = |p: &PolicyReport| -> Vec<(String, String)> {
        p.dates
            .iter()
            .map(|d| (d.kind.clone(), d.value.clone()))
            .collect()
    };
    let elements = |p: &PolicyReport| -> Vec<(String, ElementVerdict)> {
        p.elements
            .iter()
            .map(|e| (e.id.clone(), e.verdict))
            .collect()
    };
    let perms = |p: &PolicyReport| -> Vec<String> {
        p.permissions.iter().map(|x| x.name.clone()).collect()
    };
    a.source.chars == b.source.chars
        && a.stats.sentences == b.stats.sentences
        && a.stats.headings == b.stats.headings
        && a.stats.table_rows == b.stats.table_rows
        && a.stats.longest_sentence == b.stats.longest_sentence
        && ids(a) == ids(b)
        && dates(a) == dates(b)
        && elements(a) == elements(b)
        && perms(a) == perms(b)
        && named_parties(a) == named_parties(b)
}

fn policy(
    old: Option<&PolicyReport>,
    new: Option<&PolicyReport>,
    opts: &DiffOptions,
) -> PolicyDiff {
    let mut d = PolicyDiff {
        state: PolicyState::None,
        compared_by: None,
        elements: Vec::new(),
        pi_declared: Changes::default(),
        third_parties: Changes::default(),
        permissions: Changes::default(),
    };
    let (o, n) = match (old, new) {
        (None, None) => return d,
        (None, Some(_)) => {
            d.state = PolicyState::Added;
            return d;
        }
        (Some(_), None) => {
            d.state = PolicyState::Removed;
            return d;
        }
        (Some(o), Some(n)) => (o, n),
    };
    let same = match (&opts.old_policy_sha256, &opts.new_policy_sha256) {
        (Some(a), Some(b)) => {
            d.compared_by = Some("sha256".into());
            a == b
        }
        _ => {
            d.compared_by = Some("analysis".into());
            same_analysis(o, n)
        }
    };
    d.state = if same {
        PolicyState::Unchanged
    } else {
        PolicyState::Changed
    };
    for e in &n.elements {
        if let Some(before) = o.element(&e.id)
            && before.verdict != e.verdict
        {
            d.elements.push(ElementChange {
                id: e.id.clone(),
                name: e.name.clone(),
                old: before.verdict,
                new: e.verdict,
            });
        }
    }
    d.pi_declared = set_changes(&declared(o), &declared(n));
    d.third_parties = set_changes(&named_parties(o), &named_parties(n));
    let perms = |p: &PolicyReport| -> BTreeSet<String> {
        p.permissions.iter().map(|x| x.name.clone()).collect()
    };
    d.permissions = set_changes(&perms(o), &perms(n));
    d
}

fn items(old: &[ItemResult], new: &[ItemResult], kb: &Kb) -> Vec<ItemChange> {
    let before: BTreeMap<&str, Verdict> = old.iter().map(|i| (i.id.as_str(), i.verdict)).collect();
    new.iter()
        .filter_map(|i| {
            let o = *before.get(i.id.as_str())?;
            (o != i.verdict).then(|| ItemChange {
                id: i.id.clone(),
                title: kb
                    .rule(&i.id)
                    .map_or_else(|| t(i.id.as_str(), i.id.as_str()), |r| r.title.clone()),
                old: o,
                new: i.verdict,
                worse: rank(i.verdict) < rank(o),
            })
        })
        .collect()
}

/// Findings matched by id; an old finding about a subject whose code is now
/// attributed to another (`relabels`) is matched under the new subject.
fn findings(
    old: &[Finding],
    new: &[Finding],
    relabels: &BTreeMap<String, String>,
) -> FindingChanges {
    let by_id = |v: &[Finding], rename: bool| -> BTreeMap<String, Finding> {
        let mut m = BTreeMap::new();
        for f in v {
            let id = if rename {
                relabel(&f.id, relabels)
            } else {
                f.id.clone()
            };
            m.entry(id).or_insert_with(|| f.clone());
        }
        m
    };
    let (o, n) = (by_id(old, true), by_id(new, false));
    let r = |f: &Finding| FindingRef {
        id: f.id.clone(),
        rule_ids: f.rule_ids.clone(),
        verdict: f.verdict,
        severity: f.severity,
        title: f.title.clone(),
    };
    let c = changes(&o, &n, r);
    let verdict_changed = n
        .iter()
        .filter_map(|(id, f)| {
            let before = o.get(id)?;
            (before.verdict != f.verdict).then(|| FindingChange {
                id: id.clone(),
                title: f.title.clone(),
                old: before.verdict,
                new: f.verdict,
            })
        })
        .collect();
    FindingChanges {
        added: c.added,
        removed: c.removed,
        verdict_changed,
    }
}

/// Evidence of why the new version collects `pi`: call sites, permissions,
/// SDK packages (a few of each).
fn pi_evidence(new: &Assessment, change: &PiTypeChange) -> Vec<Evidence> {
    let mut ev = Vec::new();
    for u in new
        .api_uses
        .iter()
        .filter(|u| u.pi_type == change.pi_type)
        .take(EXAMPLES)
    {
        ev.push(Evidence::Code {
            api: u.api.clone(),
            caller: u.caller.clone(),
            dex: u.dex.clone(),
            offset: u.offset,
            subject: u.subject.clone(),
        });
    }
    for p in new
        .permissions
        .iter()
        .filter(|p| p.pi_types.contains(&change.pi_type))
        .take(EXAMPLES)
    {
        ev.push(Evidence::Manifest {
            element: "uses-permission".into(),
            name: Some(p.name.clone()),
            detail: None,
        });
    }
    for s in new
        .sdks
        .iter()
        .filter(|s| s.collects.contains(&change.pi_type))
        .take(EXAMPLES)
    {
        ev.extend(s.evidence.iter().take(1).cloned());
    }
    ev
}

/// What the policy state is, as evidence.
fn policy_note(new: &Assessment, policy: &PolicyDiff) -> Evidence {
    let state = policy.state.text();
    let Some(p) = &new.policy else {
        return Evidence::Note {
            text: t(
                format!(
                    "{}；新版本没有可分析的隐私政策（用 --new-policy 提供）。",
                    state.zh
                ),
                format!(
                    "{}; the new version has no policy to analyse (give one with --new-policy).",
                    capitalise(&state.en)
                ),
            ),
        };
    };
    let declared: Vec<String> = p.pi_types.iter().map(|d| d.pi_type.clone()).collect();
    let src = p.source.url.as_deref().unwrap_or(&p.source.path);
    let shown = list(&declared, 12);
    Evidence::Note {
        text: t(
            format!(
                "{}；新版本的隐私政策（{}）声明收集：{}。",
                state.zh,
                src,
                if declared.is_empty() {
                    "无"
                } else {
                    &shown.zh
                }
            ),
            format!(
                "{}; the new version's policy ({}) declares: {}.",
                capitalise(&state.en),
                src,
                if declared.is_empty() {
                    "nothing"
                } else {
                    &shown.en
                }
            ),
        ),
    }
}

/// Why the policy does not cover a new PI type or SDK, by the policy state.
fn uncovered(new: &Assessment, policy: &PolicyDiff) -> Text {
    match (&new.policy, policy.state) {
        (None, PolicyState::Removed) => t(
            "新版本没有隐私政策（旧版本有）",
            "the new version has no privacy policy (the old one had)",
        ),
        (None, _) => t(
            "两个版本都没有可分析的隐私政策",
            "neither version has a privacy policy to analyse",
        ),
        (Some(_), PolicyState::Unchanged) => t(
            "隐私政策未更新，其中没有相应内容",
            "the privacy policy did not change and does not cover it",
        ),
        (Some(_), _) => t(
            "新版本的隐私政策中没有相应内容",
            "the new version's privacy policy does not cover it",
        ),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The 191-2.2 risks: PI types (and SDKs) new in this version that the
/// policy it comes with does not declare (or name).
fn rule_2_2(
    new: &Assessment,
    pi: &Changes<PiTypeChange>,
    sdks: &Changes<SdkRef>,
    policy: &PolicyDiff,
    kb: &Kb,
) -> Vec<Finding> {
    let declared_now = new.policy.as_ref().map(declared).unwrap_or_default();
    let named_now = new.policy.as_ref().map(named_parties).unwrap_or_default();
    let remediation = |own: Text| -> Text {
        match kb
            .rule(RULE_CHANGE_NOT_NOTIFIED)
            .and_then(|r| r.remediation.as_ref())
        {
            Some(k) => t(
                format!("{}{}", own.zh, k.zh),
                format!("{} {}", own.en, k.en),
            ),
            None => own,
        }
    };
    let why = uncovered(new, policy);
    let mut out = Vec::new();
    for c in &pi.added {
        if declared_now.contains(&c.pi_type) {
            continue;
        }
        // Subjects by their published names (a policy names an SDK by its
        // name and vendor, not by pipa's catalogue id).
        let mut via_zh: Vec<String> = Vec::new();
        let mut via_en: Vec<String> = Vec::new();
        for s in &c.via {
            let (zh, en) = match s {
                PiSource::Code { subject, sites } => {
                    let n = subject_text(kb, subject);
                    (
                        format!("{}（{sites} 处调用）", n.zh),
                        format!(
                            "{} ({sites} {})",
                            n.en,
                            plural(*sites, "call site", "call sites")
                        ),
                    )
                }
                PiSource::Permission { name } => {
                    let short = name.rsplit('.').next().unwrap_or(name).to_string();
                    (format!("权限 {short}"), format!("permission {short}"))
                }
                PiSource::Sdk { id } => {
                    let n = subject_text(kb, &format!("sdk:{id}"));
                    (
                        format!("{}（厂商声明）", n.zh),
                        format!("{} (as its vendor states)", n.en),
                    )
                }
            };
            if !via_en.contains(&en) {
                via_zh.push(zh);
                via_en.push(en);
            }
        }
        let via = t(list(&via_zh, 6).zh, list(&via_en, 6).en);
        let mut evidence = pi_evidence(new, c);
        evidence.push(policy_note(new, policy));
        out.push(Finding {
            id: format!("diff.pi_new_undeclared.{}", c.pi_type),
            rule_ids: vec![RULE_CHANGE_NOT_NOTIFIED.into()],
            verdict: Verdict::Risk,
            severity: if c.sensitive {
                Severity::High
            } else {
                Severity::Medium
            },
            title: t(
                format!("新版本开始收集“{}”，隐私政策未声明", c.name.zh),
                format!(
                    "The new version starts collecting {}, which the policy does not declare",
                    c.name.en
                ),
            ),
            description: t(
                format!(
                    "旧版本没有、新版本新增了收集“{}”的途径（{}），而{}。收集范围变化时应更新隐私政策并提醒用户阅读（191-2.2）。这是风险而非确定的违规：App 可能以其他方式（弹窗、更新说明）通知了用户，需人工确认。",
                    c.name.zh, via.zh, why.zh
                ),
                format!(
                    "The new version gains ways to collect {} that the old one did not have ({}), and {}. When the scope of collection changes, the policy must be updated and users reminded to read it (191-2.2). A risk, not a proven violation: the app may notify users by other means (a pop-up, release notes); a person must confirm.",
                    c.name.en, via.en, why.en
                ),
            ),
            evidence,
            remediation: remediation(t(
                format!("在隐私政策中声明收集“{}”的目的、方式和范围，标注为本次更新内容。", c.name.zh),
                format!(
                    "Declare the purpose, method and scope of collecting {} in the policy, marked as part of this update.",
                    c.name.en
                ),
            )),
        });
    }
    for s in &sdks.added {
        // As `pipa scan` decides (`SdkUse::must_be_named`): libraries and
        // frameworks (AndroidX, Kotlin …) share nothing with a vendor of
        // their own, and weak clues (`low`) are no SDK to list.
        // `sdks.added` comes from `new.sdks`: the entry is there.
        if !new.sdks.iter().any(|x| x.id == s.id && x.must_be_named()) {
            continue;
        }
        let named = subject_text(kb, &format!("sdk:{}", s.id));
        if named_now.contains(&s.id) {
            continue;
        }
        let mut pis: Vec<String> = s.collects.iter().chain(&s.observed_pi).cloned().collect();
        pis.sort();
        pis.dedup();
        let pis = list(&pis, 8);
        let mut evidence: Vec<Evidence> = new
            .sdks
            .iter()
            .find(|x| x.id == s.id)
            .map(|x| x.evidence.iter().take(EXAMPLES).cloned().collect())
            .unwrap_or_default();
        evidence.push(policy_note(new, policy));
        out.push(Finding {
            id: format!("diff.sdk_new_unnamed.{}", s.id),
            rule_ids: vec![RULE_CHANGE_NOT_NOTIFIED.into()],
            verdict: Verdict::Risk,
            severity: Severity::Medium,
            title: t(
                format!("新版本新增 SDK“{}”，隐私政策未列出", s.name.zh),
                format!(
                    "The new version adds the SDK {}, which the policy does not name",
                    s.name.en
                ),
            ),
            description: t(
                format!(
                    "新版本新增了第三方 SDK {}（收集：{}），而{}。向新的第三方提供个人信息属于收集使用方式和范围的变化（191-2.2）。这是风险：需人工确认是否已通过其他方式告知用户。",
                    named.zh, pis.zh, why.zh
                ),
                format!(
                    "The new version adds the third-party SDK {} (collects: {}), and {}. Sharing PI with a new third party changes the method and scope of processing (191-2.2). A risk: a person must confirm whether users were told by other means.",
                    named.en, pis.en, why.en
                ),
            ),
            evidence,
            remediation: remediation(t(
                format!("在隐私政策的第三方 SDK 清单中加入 {}（名称、运营方、目的、收集的信息、隐私政策链接），标注为本次更新。", named.zh),
                format!(
                    "Add {} to the policy's third-party SDK list (name, operator, purpose, PI collected, policy link), marked as part of this update.",
                    named.en
                ),
            )),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        ApiUse, AppInfo, Input, ItemResult, Reachability, SdkInitReach, TimingSummary,
    };

    fn kb() -> &'static Kb {
        Kb::embedded()
    }

    /// A bare assessment of `id` version `code`: nothing requested, no code.
    fn base(id: &str, code: i64) -> Assessment {
        Assessment {
            schema: crate::model::SCHEMA,
            scanned_at: "2026-01-01T00:00:00Z".into(),
            tool: Tool {
                name: "pipa".into(),
                version: "0".into(),
                kb_version: "0+kb.0".into(),
            },
            input: Input {
                path: format!("{id}-{code}.apk"),
                sha256: format!("{code:064x}"),
                kind: "apk".into(),
                signers: Vec::new(),
            },
            app: AppInfo {
                platform: "android".into(),
                id: id.into(),
                name: None,
                version_name: Some(format!("{code}.0")),
                version_code: Some(code),
                min_sdk: 21,
                target_sdk: 34,
                first_party: Vec::new(),
                first_party_basis: Vec::new(),
            },
            permissions: Vec::new(),
            api_uses: Vec::new(),
            sdks: Vec::new(),
            reachability: Reachability::default(),
            policy: None,
            category: None,
            answers: None,
            baseline: None,
            items: ["191-2.2", "191-3.1"]
                .iter()
                .map(|id| ItemResult {
                    id: id.to_string(),
                    verdict: Verdict::Pass,
                    findings: Vec::new(),
                    note: None,
                    statements: Vec::new(),
                    by_statement: false,
                    declared: None,
                })
                .collect(),
            findings: Vec::new(),
            priorities: Vec::new(),
            caveats: Vec::new(),
            coverage: Default::default(),
            anomalies: Vec::new(),
            timings: TimingSummary::default(),
        }
    }

    fn perm(name: &str, pi: &[&str], dangerous: bool) -> PermissionUse {
        PermissionUse {
            name: name.into(),
            pi_types: pi.iter().map(|s| s.to_string()).collect(),
            dangerous,
            protection: if dangerous { "dangerous" } else { "normal" }.into(),
            max_sdk: None,
        }
    }

    fn api(pi: &str, api: &str, caller: &str, subject: &str) -> ApiUse {
        ApiUse {
            api: api.into(),
            api_id: api.to_lowercase(),
            pi_type: pi.into(),
            caller: caller.into(),
            dex: "classes.dex".into(),
            offset: 4,
            subject: subject.into(),
            reach: crate::model::SiteReach::Live,
            permission: crate::model::SitePermission::Declared,
            effect: crate::model::SiteEffect::Collects,
        }
    }

    const GET_LAST: &str = "android.location.LocationManager.getLastKnownLocation";

    /// The app adds location: a permission and a call in its own code.
    fn with_location(mut a: Assessment) -> Assessment {
        a.permissions.push(perm(
            "android.permission.ACCESS_FINE_LOCATION",
            &["location"],
            true,
        ));
        a.api_uses
            .push(api("location", GET_LAST, "Lcom/x/Main;->nearby()V", "app"));
        a
    }

    fn policy(text: &str) -> PolicyReport {
        let lex = pipa_policy::Lexicon::new(kb()).expect("lexicon");
        let mut r = pipa_policy::analyse_bytes("policy.txt", text.as_bytes(), None, &lex)
            .expect("policy")
            .report;
        r.source.origin = Some("option".into());
        r
    }

    const POLICY_OLD: &str = "隐私政策\n我们收集您的设备型号和操作系统版本，用于保障服务安全。";
    const POLICY_NEW: &str = "隐私政策\n我们收集您的设备型号和操作系统版本，用于保障服务安全。\n在您使用附近门店功能时，我们会收集您的位置信息（精确位置），用于推荐附近门店。";

    fn ids(d: &AssessmentDiff) -> Vec<&str> {
        d.diff_findings.iter().map(|f| f.id.as_str()).collect()
    }

    #[test]
    fn same_assessment_changes_nothing() {
        let a = with_location(base("com.x", 1));
        let d = diff(&a, &a, kb());
        assert!(!d.summary.changed, "{:?}", d.summary);
        assert!(d.permissions.is_empty() && d.sdks.is_empty() && d.pi_types.is_empty());
        assert!(d.collection.is_empty() && d.startup.is_empty() && d.items.is_empty());
        assert!(d.diff_findings.is_empty());
        assert!(d.same_app);
        // The same file twice is worth a warning.
        assert_eq!(d.warnings.len(), 1, "{:?}", d.warnings);
        for g in [DiffGate::NewCollection, DiffGate::Risk, DiffGate::Violation] {
            assert!(d.gate(g).is_empty(), "{g:?}");
        }
    }

    #[test]
    fn new_location_without_policy_is_a_2_2_risk() {
        let old = base("com.x", 1);
        let new = with_location(base("com.x", 2));
        let d = diff(&old, &new, kb());
        assert_eq!(d.summary.permissions_added, 1);
        assert_eq!(d.summary.dangerous_permissions_added, 1);
        assert_eq!(d.pi_types.added.len(), 1);
        let pi = &d.pi_types.added[0];
        assert_eq!(pi.pi_type, "location");
        assert!(pi.sensitive, "location is sensitive PI in the kb");
        assert!(pi.via.contains(&PiSource::Code {
            subject: "app".into(),
            sites: 1
        }));
        assert!(pi.via.contains(&PiSource::Permission {
            name: "android.permission.ACCESS_FINE_LOCATION".into()
        }));
        assert_eq!(d.collection.added.len(), 1);
        assert_eq!(
            d.collection.added[0].examples[0].caller,
            "Lcom/x/Main;->nearby()V"
        );
        assert_eq!(d.policy.state, PolicyState::None);
        assert_eq!(ids(&d), ["diff.pi_new_undeclared.location"]);
        let f = &d.diff_findings[0];
        assert_eq!(f.rule_ids, [RULE_CHANGE_NOT_NOTIFIED]);
        assert_eq!(f.verdict, Verdict::Risk);
        assert_eq!(f.severity, Severity::High);
        assert!(f.evidence.iter().any(
            |e| matches!(e, Evidence::Code { caller, .. } if caller == "Lcom/x/Main;->nearby()V")
        ));
        assert!(f.evidence.iter().any(|e| matches!(e, Evidence::Manifest { name: Some(n), .. } if n.ends_with("ACCESS_FINE_LOCATION"))));
        assert!(matches!(f.evidence.last(), Some(Evidence::Note { .. })));
        // The kb's remediation of 191-2.2 follows the finding's own advice.
        let kb_rem = &kb()
            .rule("191-2.2")
            .and_then(|r| r.remediation.clone())
            .expect("kb");
        assert!(f.remediation.zh.ends_with(&kb_rem.zh));
        assert!(f.description.en.contains("not a proven violation"));
        assert!(!d.gate(DiffGate::NewCollection).is_empty());
        assert_eq!(d.gate(DiffGate::Risk).len(), 1);
        assert!(d.gate(DiffGate::Violation).is_empty());
        // And the reverse is a removal, with no risk.
        let back = diff(&new, &old, kb());
        assert_eq!(back.pi_types.removed.len(), 1);
        assert_eq!(back.permissions.removed.len(), 1);
        assert!(back.diff_findings.is_empty());
        assert!(back.gate(DiffGate::NewCollection).is_empty());
        assert!(back.warnings.iter().any(|w| w.en.contains("swapped")));
    }

    #[test]
    fn the_risk_depends_on_what_the_new_policy_declares() {
        let mut old = base("com.x", 1);
        old.policy = Some(policy(POLICY_OLD));
        let mut new = with_location(base("com.x", 2));
        assert!(!policy(POLICY_OLD).declares("location"));
        assert!(
            policy(POLICY_NEW).declares("location"),
            "the lexicon reads 位置信息"
        );

        // Policy not updated: same analysis, and by hash.
        new.policy = Some(policy(POLICY_OLD));
        let d = diff(&old, &new, kb());
        assert_eq!(d.policy.state, PolicyState::Unchanged);
        assert_eq!(d.policy.compared_by.as_deref(), Some("analysis"));
        assert_eq!(ids(&d), ["diff.pi_new_undeclared.location"]);
        let opts = DiffOptions {
            old_policy_sha256: Some("aa".into()),
            new_policy_sha256: Some("aa".into()),
        };
        let d = diff_with(&old, &new, kb(), &opts);
        assert_eq!(d.policy.compared_by.as_deref(), Some("sha256"));
        assert_eq!(
            d.new.policy.as_ref().and_then(|p| p.sha256.as_deref()),
            Some("aa")
        );
        assert_eq!(ids(&d), ["diff.pi_new_undeclared.location"]);

        // Policy updated to declare location: no risk, and the change shows.
        new.policy = Some(policy(POLICY_NEW));
        let d = diff(&old, &new, kb());
        assert_eq!(d.policy.state, PolicyState::Changed);
        assert!(d.policy.pi_declared.added.contains(&"location".to_string()));
        assert!(d.diff_findings.is_empty(), "{:?}", ids(&d));
        assert!(d.gate(DiffGate::Risk).is_empty());
        // Still new collection, for a gate that wants to know.
        assert!(!d.gate(DiffGate::NewCollection).is_empty());

        // An old policy that already declared location, unchanged: nothing to tell users.
        old.policy = Some(policy(POLICY_NEW));
        let d = diff(&old, &new, kb());
        assert_eq!(d.policy.state, PolicyState::Unchanged);
        assert!(d.diff_findings.is_empty());

        // The new version dropped its policy.
        new.policy = None;
        let d = diff(&old, &new, kb());
        assert_eq!(d.policy.state, PolicyState::Removed);
        assert_eq!(ids(&d), ["diff.pi_new_undeclared.location"]);
    }

    fn sdk(id: &str, version: Option<&str>, collects: &[&str]) -> SdkUse {
        let k = kb().sdk(id).expect("catalogue sdk");
        SdkUse {
            id: id.into(),
            name: k.name.clone(),
            vendor: t("v", "v"),
            category: "push".into(),
            category_name: t("推送", "push"),
            confidence: "high".into(),
            presence: "code".into(),
            score: 1.0,
            version: version.map(String::from),
            initialized: true,
            startup: None,
            init_evidence: Vec::new(),
            classes: 10,
            collects: collects.iter().map(|s| s.to_string()).collect(),
            observed_pi: Vec::new(),
            api_sites: 0,
            compliant_init: Vec::new(),
            compliant_init_used: None,
            no_compliant_init: false,
            compliance_guide: None,
            website: None,
            privacy_policy: None,
            catalogue_status: None,
            evidence: vec![Evidence::Package {
                prefix: "cn.jpush".into(),
                classes: 10,
                examples: Vec::new(),
            }],
        }
    }

    fn finding(id: &str, v: Verdict) -> Finding {
        Finding {
            id: id.into(),
            rule_ids: vec!["191-3.1".into()],
            verdict: v,
            severity: Severity::Medium,
            title: t(id, id),
            description: t("", ""),
            evidence: Vec::new(),
            remediation: t("", ""),
        }
    }

    #[test]
    fn sdks_startup_items_and_findings() {
        let mut old = base("com.x", 1);
        old.sdks
            .push(sdk("umeng.common", Some("9.4.0"), &["device_id"]));
        old.findings = vec![
            finding("a.gone", Verdict::Risk),
            finding("b.kept", Verdict::Risk),
        ];
        let mut new = base("com.y", 2);
        new.sdks
            .push(sdk("umeng.common", Some("9.6.1"), &["device_id"]));
        new.sdks.push(sdk(
            "jiguang.jpush",
            Some("5.0.0"),
            &["device_id", "app_list"],
        ));
        new.reachability.before_consent.push(ReachedApi {
            api: "android.telephony.TelephonyManager.getDeviceId".into(),
            api_id: "telephony.get_device_id".into(),
            pi_type: "device_id".into(),
            subject: "sdk:jiguang.jpush".into(),
            gated: false,
            chain: vec!["Lcom/y/App;->onCreate()V".into()],
        });
        new.reachability.sdk_init.push(SdkInitReach {
            sdk: "jiguang.jpush".into(),
            gated: false,
            compliant_init_used: false,
            chain: vec!["Lcom/y/App;->onCreate()V".into()],
            ..Default::default()
        });
        new.items[1].verdict = Verdict::Violation;
        new.findings = vec![
            finding("b.kept", Verdict::Violation),
            finding("c.new", Verdict::Risk),
        ];
        let d = diff(&old, &new, kb());
        assert!(!d.same_app);
        assert!(
            d.warnings
                .iter()
                .any(|w| w.en.contains("package names differ"))
        );
        assert_eq!(d.sdks.added.len(), 1);
        assert_eq!(d.sdks.added[0].id, "jiguang.jpush");
        assert_eq!(d.sdk_versions.len(), 1);
        assert_eq!(d.sdk_versions[0].old.as_deref(), Some("9.4.0"));
        assert_eq!(d.sdk_versions[0].new.as_deref(), Some("9.6.1"));
        // device_id was collected before (umeng); app_list is new, via the SDK.
        let added: Vec<&str> = d
            .pi_types
            .added
            .iter()
            .map(|p| p.pi_type.as_str())
            .collect();
        assert_eq!(added, ["app_list"]);
        assert_eq!(d.startup.before_consent.added.len(), 1);
        assert_eq!(d.startup.sdk_init.added.len(), 1);
        assert_eq!(d.summary.startup_added, 2);
        assert_eq!(d.items.len(), 1);
        assert!(d.items[0].worse);
        assert_eq!(d.items[0].id, "191-3.1");
        let fa: Vec<&str> = d.findings.added.iter().map(|f| f.id.as_str()).collect();
        let fr: Vec<&str> = d.findings.removed.iter().map(|f| f.id.as_str()).collect();
        assert_eq!((fa, fr), (vec!["c.new"], vec!["a.gone"]));
        assert_eq!(d.findings.verdict_changed.len(), 1);
        let mut got = ids(&d);
        got.sort();
        assert_eq!(
            got,
            [
                "diff.pi_new_undeclared.app_list",
                "diff.sdk_new_unnamed.jiguang.jpush"
            ]
        );
        let v = d.gate(DiffGate::Violation);
        assert_eq!(v.len(), 2, "{v:?}"); // b.kept risk → violation, item 191-3.1
        assert!(
            d.gate(DiffGate::NewCollection)
                .iter()
                .any(|w| w.contains("jiguang.jpush"))
        );
        // The JSON contract: schema and the keys CI reads.
        let j = serde_json::to_value(&d).expect("json");
        assert_eq!(j["schema"], "pipa.diff/1");
        assert_eq!(j["summary"]["sdks_added"], 1);
        assert_eq!(j["sdks"]["added"][0]["id"], "jiguang.jpush");
        assert_eq!(j["pi_types"]["added"][0]["via"][0]["kind"], "sdk");
        assert_eq!(j["diff_findings"][0]["rule_ids"][0], "191-2.2");
    }

    /// AndroidX and other libraries share nothing with a vendor of their
    /// own: a new one is not asked to be listed in the policy (and a new
    /// analytics SDK still is).
    #[test]
    fn a_new_library_is_not_asked_to_be_listed() {
        let old = base("com.x", 1);
        let mut new = base("com.x", 2);
        let mut core = sdk("lc.jetpack-core", None, &[]);
        core.category = "library".into();
        core.observed_pi = vec!["location".into()];
        new.sdks.push(core);
        let d = diff(&old, &new, kb());
        assert_eq!(d.sdks.added.len(), 1, "still shown as added");
        assert!(ids(&d).is_empty(), "{:?}", ids(&d));
        // Twin: a vendor that collects is asked for, by name and vendor.
        new.sdks.push(sdk("umeng.common", None, &["device_id"]));
        let d = diff(&old, &new, kb());
        let f = d
            .diff_findings
            .iter()
            .find(|f| f.id == "diff.sdk_new_unnamed.umeng.common")
            .expect("asked");
        let k = kb().sdk("umeng.common").expect("catalogued");
        assert!(
            f.description.zh.contains(&k.vendor.zh),
            "{}",
            f.description.zh
        );
        assert!(
            f.remediation.en.contains(&k.vendor.en),
            "{}",
            f.remediation.en
        );
        assert!(
            !f.description.en.contains("(umeng.common"),
            "{}",
            f.description.en
        );
        // A weak clue (`low`) is no SDK a policy must list, as in `pipa scan`.
        new.sdks.retain(|s| s.id != "umeng.common");
        let mut weak = sdk("umeng.common", None, &["device_id"]);
        weak.confidence = "low".into();
        new.sdks.push(weak);
        let d = diff(&old, &new, kb());
        assert!(
            !ids(&d)
                .iter()
                .any(|i| i.starts_with("diff.sdk_new_unnamed.")),
            "{:?}",
            ids(&d)
        );
    }

    /// The same call sites under another subject are an attribution change,
    /// not new and removed collection; a new call site is still new.
    #[test]
    fn a_subject_relabelled_is_not_new_collection() {
        const DEV: &str = "android.telephony.TelephonyManager.getDeviceId";
        let caller = "Lcom/umeng/commonsdk/Util;->imei()Ljava/lang/String;";
        let mut old = base("com.x", 1);
        old.api_uses
            .push(api("device_id", DEV, caller, "unknown-third-party"));
        old.findings = vec![finding("before_consent.unknown-third-party", Verdict::Risk)];
        let mut new = base("com.x", 2);
        new.api_uses
            .push(api("device_id", DEV, caller, "sdk:umeng.common"));
        let mut um = sdk("umeng.common", None, &["device_id", "location"]);
        um.observed_pi = vec!["device_id".into()];
        new.sdks.push(um);
        new.reachability.sdk_init.push(SdkInitReach {
            sdk: "umeng.common".into(),
            gated: false,
            chain: vec!["Lcom/x/App;->onCreate()V".into()],
            ..Default::default()
        });
        new.findings = vec![finding("before_consent.sdk:umeng.common", Verdict::Risk)];
        let d = diff(&old, &new, kb());
        assert!(d.collection.is_empty(), "{:?}", d.collection);
        assert!(d.sdks.is_empty(), "{:?}", d.sdks.added);
        assert!(
            d.pi_types.is_empty(),
            "location only by the catalogue's word"
        );
        assert!(d.startup.is_empty());
        assert!(d.diff_findings.is_empty(), "{:?}", ids(&d));
        assert!(d.findings.added.is_empty() && d.findings.removed.is_empty());
        assert_eq!(d.attribution.len(), 1);
        let a = &d.attribution[0];
        assert_eq!(
            (a.old_subject.as_str(), a.new_subject.as_str(), a.sites),
            ("unknown-third-party", "sdk:umeng.common", 1)
        );
        assert!(!a.new_name.en.contains("umeng.common"), "{:?}", a.new_name);
        assert_eq!(d.sdk_attribution.len(), 1);
        assert_eq!(d.sdk_attribution[0].side, "added");
        assert!(d.gate(DiffGate::NewCollection).is_empty());
        assert!(d.summary.changed);
        assert_eq!(d.summary.attribution_changed, 2);

        // Twin: one more call site in the SDK is new collection by it.
        new.api_uses.push(api(
            "device_id",
            DEV,
            "Lcom/umeng/commonsdk/Other;->imsi()V",
            "sdk:umeng.common",
        ));
        let d = diff(&old, &new, kb());
        assert_eq!(d.collection.added.len(), 1, "{:?}", d.collection);
        assert_eq!(d.collection.added[0].subject, "sdk:umeng.common");
        assert_eq!(d.sdks.added.len(), 1, "its code was not all there before");
        assert!(!d.gate(DiffGate::NewCollection).is_empty());
    }
}
