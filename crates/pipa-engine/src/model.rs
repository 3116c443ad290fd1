//! The `Assessment`: what renderers and front ends read. Its JSON form is the
//! contract `pipa.assessment/1` — keep these keys; add freely.

use pipa_core::Anomaly;
use pipa_kb::Text;
use serde::Serialize;

/// Schema id of the JSON form.
pub const SCHEMA: &str = "pipa.assessment/1";

/// The outcome of one legal item or finding.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The evidence proves it (the rule is about what the package contains).
    Violation,
    /// The evidence points to it; a person must confirm.
    Risk,
    /// A person must check; the report says what and how.
    Manual,
    /// Checked, nothing found.
    Pass,
    /// Does not apply to this app.
    NotApplicable,
}

impl Verdict {
    /// The stable snake_case name (`not_applicable`).
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Violation => "violation",
            Verdict::Risk => "risk",
            Verdict::Manual => "manual",
            Verdict::Pass => "pass",
            Verdict::NotApplicable => "not_applicable",
        }
    }

    /// Chinese label.
    pub fn zh(self) -> &'static str {
        match self {
            Verdict::Violation => "违规",
            Verdict::Risk => "风险",
            Verdict::Manual => "需人工确认",
            Verdict::Pass => "通过",
            Verdict::NotApplicable => "不适用",
        }
    }
}

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Likely enforcement target.
    High,
    /// Should be fixed.
    Medium,
    /// Worth a look.
    Low,
    /// For the record.
    Info,
}

/// Who does it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum Subject {
    /// The app's own code (under its package or application class's package).
    App,
    /// A named SDK (catalogue id).
    Sdk(String),
    /// Third-party code not attributed to a known SDK (obfuscated or unknown).
    UnknownThirdParty,
}

impl Subject {
    /// `app`, `sdk:<id>`, `unknown-third-party`.
    pub fn label(&self) -> String {
        match self {
            Subject::App => "app".into(),
            Subject::Sdk(id) => format!("sdk:{id}"),
            Subject::UnknownThirdParty => "unknown-third-party".into(),
        }
    }
}

/// The tool that made the assessment.
#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    /// `pipa`.
    pub name: String,
    /// Version.
    pub version: String,
    /// The knowledge base's version (`pipa_kb::kb_version`): the crate
    /// version and a digest of its data.
    pub kb_version: String,
}

/// One signing certificate of the package, with the schemes that use it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignerCert {
    /// Signature schemes signed with it, in order (`v1`, `v2`, `v3`, `v3.1`).
    pub schemes: Vec<String>,
    /// SHA-256 of the certificate (DER), lowercase hex.
    pub sha256: String,
    /// Its subject (`CN=…, O=…, C=…`), when readable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
}

/// The input assessed.
#[derive(Debug, Clone, Serialize)]
pub struct Input {
    /// Path as given.
    pub path: String,
    /// SHA-256 of the file.
    pub sha256: String,
    /// `apk` (later `aab`, `ipa`, `wxapkg`, `hap`, `aar`).
    pub kind: String,
    /// The signing certificates, as read from the package (present, not
    /// verified: `apksigner verify` verifies); empty when unsigned.
    pub signers: Vec<SignerCert>,
}

/// The app as identified.
#[derive(Debug, Clone, Serialize)]
pub struct AppInfo {
    /// `android`.
    pub platform: String,
    /// Package name / bundle id.
    pub id: String,
    /// Label.
    pub name: Option<String>,
    /// Version name.
    pub version_name: Option<String>,
    /// Version code.
    pub version_code: Option<i64>,
    /// Minimum SDK level.
    pub min_sdk: i64,
    /// Target SDK level.
    pub target_sdk: i64,
    /// Prefixes of the app's own (first-party) code, `com.hjq.*`: its
    /// organisation prefixes and packages (see `SubjectResolver`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub first_party: Vec<String>,
    /// How each of `first_party` was decided, in the same order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub first_party_basis: Vec<FirstPartyPrefix>,
}

/// What makes a package prefix the app's own code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FirstPartyBasis {
    /// The manifest's `package`.
    ManifestPackage,
    /// The package of the `<application android:name>` class.
    ApplicationClass,
    /// The package of a launcher activity.
    LauncherActivity,
    /// Given by the user (`--first-party`).
    Option,
}

impl FirstPartyBasis {
    /// Chinese and English name.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            FirstPartyBasis::ManifestPackage => ("清单包名", "manifest package"),
            FirstPartyBasis::ApplicationClass => ("Application 类", "application class"),
            FirstPartyBasis::LauncherActivity => ("启动 Activity", "launcher activity"),
            FirstPartyBasis::Option => ("用户指定", "given by"),
        }
    }
}

/// An SDK that runs as part of the app and shares nothing with a vendor of
/// its own: a general library or app framework (`kb/sdks` `category:
/// library` or `framework`: AndroidX/Jetpack, Kotlin, support libraries,
/// React Native …) whose vendor declares no collection (`collects: []`).
/// Its PI-collecting calls are the app's to disclose (they are listed with
/// their subject); a policy need not name it as a third party.
pub fn library_only(category: &str, collects: &[String]) -> bool {
    collects.is_empty() && matches!(category, "library" | "framework")
}

/// One first-party prefix and how it was decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FirstPartyPrefix {
    /// `com.hjq.*`, as in [`AppInfo::first_party`].
    pub prefix: String,
    /// What it comes from.
    pub basis: FirstPartyBasis,
    /// The package or class it comes from (`com.hjq.demo`,
    /// `com.hjq.demo.app.AppApplication`); the option as given for
    /// `option`.
    pub source: String,
    /// The prefix is the organisation prefix of `source`'s package (its
    /// first two segments, three when the second is generic), not the
    /// package itself.
    pub organisation: bool,
}

impl FirstPartyPrefix {
    /// How it was decided, e.g. `组织前缀（Application 类
    /// com.hjq.demo.app.AppApplication）` / `organisation of the application
    /// class com.hjq.demo.app.AppApplication`.
    pub fn basis_text(&self) -> Text {
        let (zh, en) = self.basis.label();
        let src = &self.source;
        match (self.basis, self.organisation) {
            (FirstPartyBasis::Option, _) => Text {
                zh: format!("{zh} --first-party {src}"),
                en: format!("{en} --first-party {src}"),
            },
            (_, true) => Text {
                zh: format!("组织前缀，来自{zh} {src}"),
                en: format!("organisation of the {en} {src}"),
            },
            (_, false) => Text {
                zh: format!("{zh} {src}"),
                en: format!("{en} {src}"),
            },
        }
    }
}

/// A requested permission with what it gives access to.
#[derive(Debug, Clone, Serialize)]
pub struct PermissionUse {
    /// Full name.
    pub name: String,
    /// PI types it gives access to.
    pub pi_types: Vec<String>,
    /// A runtime (dangerous) permission.
    pub dangerous: bool,
    /// Protection class from the knowledge base, `unknown` when not catalogued.
    pub protection: String,
    /// `maxSdkVersion`, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_sdk: Option<i64>,
}

/// One sensitive-API use in the code.
#[derive(Debug, Clone, Serialize)]
pub struct ApiUse {
    /// Dotted API name, e.g. `android.telephony.TelephonyManager.getDeviceId`.
    pub api: String,
    /// Knowledge-base id of the API entry.
    pub api_id: String,
    /// PI type collected.
    pub pi_type: String,
    /// Calling method, smali form `Lcom/x/Y;->m()V`.
    pub caller: String,
    /// Dex file.
    pub dex: String,
    /// Bytecode offset in code units.
    pub offset: u32,
    /// Who calls: `app`, `sdk:<id>`, `unknown-third-party`.
    pub subject: String,
    /// Whether any entry point reaches the calling method: `live` or
    /// `unreachable` (see `reachability.liveness`).
    pub reach: SiteReach,
    /// Whether the permission the call needs is declared: `declared`,
    /// `missing` (a runtime permission, none of the alternatives declared:
    /// the call cannot succeed), `not_needed`, or `not_checked` (only
    /// install-time or privileged permissions are listed).
    pub permission: SitePermission,
    /// What the call does here: `collects` (the default), or `sends`,
    /// `locates`, `looks_up`, `own_data` (not collection; see
    /// [`SiteEffect`]).
    pub effect: SiteEffect,
}

impl ApiUse {
    /// The call collects personal information when it runs: reachable,
    /// its permission not missing, and a read of personal information (not
    /// a send, a path, a lookup of one target or the app's own data). Only
    /// such sites make a risk.
    pub fn is_effective(&self) -> bool {
        self.reach == SiteReach::Live
            && self.permission != SitePermission::Missing
            && self.effect == SiteEffect::Collects
    }
}

/// What one call site does with personal information, from the kb entry's
/// `effect` and the calling code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteEffect {
    /// Reads personal information, or could not be decided (never hidden).
    #[default]
    Collects,
    /// Sends data the app supplies (an SMS).
    Sends,
    /// Returns a place (a storage path) and reads nothing itself.
    Locates,
    /// Asks about one named target (a package, one intent's handlers).
    LooksUp,
    /// Returns only the app's own data: the calling method looks for its
    /// own process, or from the app's minSdkVersion the platform returns
    /// nothing else.
    OwnData,
}

impl SiteEffect {
    /// `collects`, `sends`, `locates`, `looks_up`, `own_data`.
    pub fn as_str(self) -> &'static str {
        match self {
            SiteEffect::Collects => "collects",
            SiteEffect::Sends => "sends",
            SiteEffect::Locates => "locates",
            SiteEffect::LooksUp => "looks_up",
            SiteEffect::OwnData => "own_data",
        }
    }
}

/// Whether an entry point reaches a call site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteReach {
    /// Reached, or could not be decided (never hidden).
    #[default]
    Live,
    /// Present in the code, but no entry point, class named anywhere, or
    /// object created by live code leads to it.
    Unreachable,
}

impl SiteReach {
    /// `live`, `unreachable`.
    pub fn as_str(self) -> &'static str {
        match self {
            SiteReach::Live => "live",
            SiteReach::Unreachable => "unreachable",
        }
    }
}

/// Whether the permission a call site needs is declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SitePermission {
    /// The API needs no permission, or works in some mode without one.
    #[default]
    NotNeeded,
    /// One of the permissions it needs is declared.
    Declared,
    /// It needs a runtime permission and none of the alternatives is
    /// declared (or each stops below `minSdkVersion`): the call cannot
    /// succeed.
    Missing,
    /// Only install-time, special or privileged permissions are listed;
    /// whether they are needed is not decided.
    NotChecked,
}

impl SitePermission {
    /// `not_needed`, `declared`, `missing`, `not_checked`.
    pub fn as_str(self) -> &'static str {
        match self {
            SitePermission::NotNeeded => "not_needed",
            SitePermission::Declared => "declared",
            SitePermission::Missing => "missing",
            SitePermission::NotChecked => "not_checked",
        }
    }
}

/// A compliant-initialisation API of an SDK and whether the code calls it.
#[derive(Debug, Clone, Serialize)]
pub struct CompliantInitUse {
    /// The method, smali form without prototype.
    pub api: String,
    /// When the host app may call it: `pre_init` (before consent),
    /// `init` (only after consent), `consent` (the user's decision),
    /// `switch` (turns collection off).
    pub role: pipa_kb::InitRole,
    /// A consent API whose boolean parameter is the decision (`true` =
    /// agreed).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub agrees_with_true: bool,
    /// Called anywhere in the package.
    pub used: bool,
    /// Called on a start-up path: `ungated` (before any consent check) or
    /// `gated`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_startup: Option<String>,
    /// What it does.
    pub description: Text,
}

/// A third-party SDK found in the package (the 第三方SDK清单 row).
#[derive(Debug, Clone, Serialize)]
pub struct SdkUse {
    /// Catalogue id (`jiguang.jpush`).
    pub id: String,
    /// Product name.
    pub name: Text,
    /// Vendor.
    pub vendor: Text,
    /// Category id (`push`, `analytics`, …).
    pub category: String,
    /// Category name.
    pub category_name: Text,
    /// `high`, `medium` or `low`; always `low` unless `presence` is `code`
    /// or `native` (whatever the score).
    pub confidence: String,
    /// What of it is in the package: `code` (classes under its dex
    /// prefixes, or a component of its own whose class is in the dex),
    /// `native` (a native library only it ships), `manifest_only`
    /// (declared in the manifest, code absent: left-over configuration) or
    /// `traces_only` (asset files or host strings only).
    pub presence: String,
    /// 0–1: independent clues combined (`1 - Π(1 - w)`).
    pub score: f64,
    /// Version, where the package shows it.
    pub version: Option<String>,
    /// Code outside the SDK calls into it, or the system starts it (provider).
    pub initialized: bool,
    /// Called on a start-up path (Application, provider, initializer):
    /// `ungated`, or `gated` when only after a consent check (see
    /// `reachability.sdk_init` for the chain).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub startup: Option<String>,
    /// Why `initialized`: the calls into it from outside, its providers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub init_evidence: Vec<Evidence>,
    /// Classes of the package attributed to it.
    pub classes: u32,
    /// PI types its vendor says it collects.
    pub collects: Vec<String>,
    /// PI types of sensitive-API call sites in its own code that can run
    /// and succeed (live, permission not missing).
    pub observed_pi: Vec<String>,
    /// Sensitive-API call sites in its own code that can run and succeed.
    pub api_sites: usize,
    /// Its compliant-initialisation APIs and whether they are called.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub compliant_init: Vec<CompliantInitUse>,
    /// The SDK starts compliantly: nothing that may collect is called at
    /// start-up without a consent check, and its pre-init, consent signal or
    /// an init after consent is used. `None` when the catalogue has no
    /// start-up data for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compliant_init_used: Option<bool>,
    /// The catalogued versions have no compliant start-up API: no call
    /// may come before consent.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub no_compliant_init: bool,
    /// The vendor's compliance guide.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compliance_guide: Option<String>,
    /// Product website.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// The SDK's own privacy policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub privacy_policy: Option<String>,
    /// Trust in the catalogue entry (`unverified`), when less than checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catalogue_status: Option<String>,
    /// What shows it is there.
    pub evidence: Vec<Evidence>,
}

impl SdkUse {
    /// A privacy policy must name it: found with some confidence (not
    /// `low`), collecting PI (by its vendor's word or its own calls), and
    /// not a library or framework that shares nothing with a vendor of its
    /// own ([`library_only`]).
    pub fn must_be_named(&self) -> bool {
        self.confidence != "low"
            && !(self.collects.is_empty() && self.observed_pi.is_empty())
            && !library_only(&self.category, &self.collects)
    }
}

/// Something a person can open and see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Evidence {
    /// A manifest element or attribute.
    Manifest {
        /// Element, e.g. `uses-permission`, `application`, `receiver`.
        element: String,
        /// Its name (permission, component class), if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// Attribute and value, e.g. `android:debuggable="true"`.
        #[serde(skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
    },
    /// A call site or field read in the code.
    Code {
        /// What is called/read (dotted API name or smali ref).
        api: String,
        /// Calling method, smali form.
        caller: String,
        /// Dex file.
        dex: String,
        /// Bytecode offset (code units).
        offset: u32,
        /// `app`, `sdk:<id>`, `unknown-third-party`.
        subject: String,
    },
    /// A file in the package.
    File {
        /// Entry path.
        path: String,
        /// Why it matters.
        #[serde(skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
    },
    /// Classes of the code under a package (an SDK's dex prefix).
    Package {
        /// The package or class prefix, dotted.
        prefix: String,
        /// Classes defined under it.
        classes: u32,
        /// A few of them.
        examples: Vec<String>,
    },
    /// A string constant in the code (e.g. a URL).
    String {
        /// The value.
        value: String,
        /// Where it is loaded (smali methods), a few.
        locations: Vec<String>,
    },
    /// A call chain from an entry point the system runs (Application,
    /// ContentProvider, receiver, service, job) to a call of interest.
    Chain {
        /// What runs the first method: `application`, `provider`,
        /// `initializer` (androidx.startup), `receiver`, `service`, `job`.
        entry: String,
        /// The manifest component or class of the entry point.
        component: String,
        /// The methods, smali form, entry first; the last one makes the call.
        steps: Vec<String>,
        /// How each step reaches the next (`steps.len() - 1` entries):
        /// `call`, `async` (Runnable/Handler/Executor/coroutine hop),
        /// `clinit` (static initialiser), `component` (starts a service,
        /// receiver or worker of the app).
        hops: Vec<String>,
        /// What the last step calls (sensitive API, or the SDK method).
        target: String,
        /// Dex file of the last step.
        dex: String,
        /// Bytecode offset of the call in the last step (code units).
        offset: u32,
        /// Who makes the call: `app`, `sdk:<id>`, `unknown-third-party`.
        subject: String,
        /// The chain passes a check of a stored consent flag before the call.
        gated: bool,
    },
    /// A passage of the privacy policy (a sentence), by character offsets
    /// into the policy's plain text (`pipa policy FILE --format plain`).
    Policy {
        /// The policy: file, URL, or entry in the package.
        source: String,
        /// The passage.
        text: String,
        /// First character.
        start: usize,
        /// One past the last character.
        end: usize,
    },
    /// An explanation where nothing can be pointed at (e.g. for `manual`).
    Note {
        /// The explanation.
        text: Text,
    },
}

/// One finding: a fact about the app held against one or more legal items.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Stable id within the report: check id plus a qualifier (`perm.dangerous`, `api.clipboard_read`).
    pub id: String,
    /// The legal items it stands for.
    pub rule_ids: Vec<String>,
    /// Its verdict.
    pub verdict: Verdict,
    /// How much it matters.
    pub severity: Severity,
    /// Title.
    pub title: Text,
    /// What was found, in sentences.
    pub description: Text,
    /// Where.
    pub evidence: Vec<Evidence>,
    /// How to fix it.
    pub remediation: Text,
}

impl Finding {
    /// The finding's short id, the same in every format and every run:
    /// `F` + its first item of 191 (`3.1`; another rule id in full when it
    /// cites none) + `-` + six hex digits of a hash of that rule id and the
    /// finding's [`id`](Self::id) (check plus subject, `before_consent.sdk:umeng`):
    /// `F3.1-4be2c9`. Never an index: findings keep their ids when others
    /// come and go.
    pub fn short_id(&self) -> String {
        let rule = self
            .rule_ids
            .iter()
            .find(|r| r.starts_with("191-"))
            .or_else(|| self.rule_ids.first())
            .map(String::as_str)
            .unwrap_or("");
        let item = rule.strip_prefix("191-").unwrap_or(rule);
        // FNV-1a, 64 bits: fixed by definition, so ids never move between
        // versions of Rust or of a hashing crate.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in rule.bytes().chain([0]).chain(self.id.bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        format!("F{item}-{:06x}", h >> 40)
    }
}

/// The findings with their short ids: each serialises as the finding with
/// `ref` ([`Finding::short_id`]) added.
fn findings_with_refs<S: serde::Serializer>(
    findings: &[Finding],
    ser: S,
) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct WithRef<'a> {
        #[serde(rename = "ref")]
        short_id: String,
        #[serde(flatten)]
        finding: &'a Finding,
    }
    ser.collect_seq(findings.iter().map(|f| WithRef {
        short_id: f.short_id(),
        finding: f,
    }))
}

/// One line of the "主要问题 / What to fix first" block.
#[derive(Debug, Clone, Serialize)]
pub struct Priority {
    /// 1 … 10, in the order shown.
    pub rank: usize,
    /// Why it ranks where it does.
    pub class: crate::priorities::PriorityClass,
    /// Who does it: `app`, `sdk:<id>`, `unknown-third-party` (SDKs started
    /// by one call are one line: all their labels).
    pub subjects: Vec<String>,
    /// The subject's published name (SDK name and vendor).
    pub subject_name: Text,
    /// The problem, in one sentence.
    pub problem: Text,
    /// The place to change: the first method of the app's own code on the
    /// chain after the entry point the system runs (dotted
    /// `com.x.App.initSdk`), when the chain has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// Further methods of the app's own code on the way from `place` to the
    /// call, dotted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub via: Vec<String>,
    /// The concrete fix.
    pub fix: Text,
    /// Indices into `findings`, the main one first.
    pub findings: Vec<usize>,
    /// Their short ids ([`Finding::short_id`]), the ids every format shows.
    pub finding_ids: Vec<String>,
    /// The worst verdict of its findings.
    pub verdict: Verdict,
    /// The highest severity of its findings.
    pub severity: Severity,
}

/// The outcome of one legal item.
#[derive(Debug, Clone, Serialize)]
pub struct ItemResult {
    /// Rule id (`191-1.1`).
    pub id: String,
    /// Its verdict: the worst of its findings, or `pass`/`manual`/`not_applicable`.
    pub verdict: Verdict,
    /// Indices into `findings`.
    pub findings: Vec<usize>,
    /// Why the verdict, when no finding says it (e.g. what a person must check).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
    /// The developer's answers to this item's questions (`scan --answers`),
    /// shown as their statements, not as evidence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statements: Vec<Statement>,
    /// True when the verdict comes from the developer's statements rather
    /// than from evidence in the package (a `no` answer, or every question
    /// answered `yes`/`na` on an item the package cannot decide).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub by_statement: bool,
    /// What the developer's answers alone say of an item the package
    /// cannot decide (`pass`, or `not_applicable` when every answer is
    /// `na`): a statement, shown apart as 自述 / declared, never a verdict —
    /// `verdict` stays what the package shows (`manual`), and no card,
    /// chart, total or `--fail-on` counts it as a pass.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared: Option<Verdict>,
}

impl ItemResult {
    /// True when the developer declared the item settled (see
    /// [`declared`](Self::declared)) and some `yes` lacks the proof its
    /// question asks for (an empty note).
    pub fn unproven(&self) -> bool {
        self.declared.is_some() && self.statements.iter().any(|s| s.unproven)
    }
}

/// A developer's answer (`yes`/`no`/`na`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Answer {
    /// The app does what the question asks.
    Yes,
    /// It does not.
    No,
    /// The question does not apply to the app.
    Na,
}

/// One answer of the questionnaire, as the developer gave it.
#[derive(Debug, Clone, Serialize)]
pub struct Statement {
    /// Question id (`191-1.2.first-run`).
    pub question: String,
    /// The question.
    pub text: Text,
    /// The answer.
    pub answer: Answer,
    /// The verdict this answer alone gives the item.
    pub verdict: Verdict,
    /// The developer's note (where, how, since when).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// A `yes` whose question asks for proof (a screenshot, a path, a test
    /// record) and whose note is empty: the statement is unproven.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unproven: bool,
}

/// The answers file given to `scan --answers`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AnswersInfo {
    /// The file.
    pub source: String,
    /// Questions answered (yes/no/na).
    pub answered: usize,
    /// Questions in the questionnaire.
    pub questions: usize,
    /// Items whose verdict the answers changed.
    pub items_changed: Vec<String>,
    /// Question ids in the file that the questionnaire does not have (ignored).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<String>,
}

/// A finding the baseline file accepts, with its written justification.
#[derive(Debug, Clone, Serialize)]
pub struct Accepted {
    /// Index into `findings`.
    pub finding: usize,
    /// The finding's id.
    pub id: String,
    /// Why it is accepted (required).
    pub justification: String,
    /// Who accepted it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// Until when (YYYY-MM-DD); past it the acceptance no longer applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
}

/// How the baseline (`scan --baseline`) applied to this assessment.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BaselineInfo {
    /// The baseline file.
    pub source: String,
    /// Findings accepted.
    pub accepted: Vec<Accepted>,
    /// Baseline entries no finding matches any more (fixed, or renamed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stale: Vec<String>,
    /// Entries past their `until` date: their findings count again.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expired: Vec<String>,
    /// Entries whose finding got worse than the accepted verdict (risk →
    /// violation): they count again.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub worse: Vec<String>,
}

/// Wall time of the assessment.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TimingSummary {
    /// Total, ms.
    pub total_ms: f64,
    /// Per stage (name, ms).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<(String, f64)>,
}

/// One of the 39 app types of the 2021 necessary-PI rule, as named by the user.
#[derive(Debug, Clone, Serialize)]
pub struct Category {
    /// 1 … 39.
    pub seq: u32,
    /// Stable id (`map_navigation`).
    pub id: String,
    /// Name (地图导航类).
    pub name: Text,
    /// The basic function.
    pub basic_function: Text,
    /// PI types necessary for the basic function (pipa ids).
    pub necessary: Vec<String>,
    /// The rule says the basic function needs no PI.
    pub no_pi_required: bool,
}

/// A caveat that holds for several findings, said once per report (the
/// findings point to it) instead of once in each finding's description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Caveat {
    /// `static.capability`, `static.chains`.
    pub id: String,
    /// The caveat.
    pub text: Text,
    /// The findings it holds for (their [`Finding::id`]s).
    pub findings: Vec<String>,
}

impl Assessment {
    /// The 1-based numbers of the caveats that hold for `f` ("注 1").
    pub fn caveat_numbers(&self, f: &Finding) -> Vec<usize> {
        self.caveats
            .iter()
            .enumerate()
            .filter(|(_, c)| c.findings.contains(&f.id))
            .map(|(i, _)| i + 1)
            .collect()
    }
}

/// The complete assessment of one app.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    /// `pipa.assessment/1`.
    pub schema: &'static str,
    /// When the scan ran, UTC, `2026-12-07T20:13:07Z` (`SOURCE_DATE_EPOCH`
    /// fixes it for reproducible reports).
    pub scanned_at: String,
    /// The tool.
    pub tool: Tool,
    /// The input.
    pub input: Input,
    /// The app.
    pub app: AppInfo,
    /// Requested permissions.
    pub permissions: Vec<PermissionUse>,
    /// Sensitive-API uses found in the code.
    pub api_uses: Vec<ApiUse>,
    /// Third-party SDKs found (most certain first).
    pub sdks: Vec<SdkUse>,
    /// What runs without the user: entry points, sensitive calls reached at
    /// start-up and in the background, SDKs initialised at start-up.
    pub reachability: Reachability,
    /// The privacy policy analysed (`--policy`, or found in the package):
    /// the `pipa.policy/1` object of `pipa policy --format json`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<pipa_policy::PolicyReport>,
    /// The app type the user named (`--category`), one of the 39.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    /// The developer's answers (`scan --answers`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answers: Option<AnswersInfo>,
    /// The baseline of accepted findings (`scan --baseline`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineInfo>,
    /// Every item of 191 (always 31 entries), in order.
    pub items: Vec<ItemResult>,
    /// The findings the items point to; in JSON each also carries `ref`,
    /// its short id ([`Finding::short_id`]), shown by every format.
    #[serde(serialize_with = "findings_with_refs")]
    pub findings: Vec<Finding>,
    /// Caveats that hold for a kind of finding (what static analysis cannot
    /// prove there), each said once with the findings it holds for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub caveats: Vec<Caveat>,
    /// "主要问题 / What to fix first": at most ten lines ranked by what
    /// regulators act on, each with the subject, the place to change and
    /// the fix, pointing to its findings (see [`crate::priorities()`]).
    pub priorities: Vec<Priority>,
    /// Anomalies found while reading the package.
    pub anomalies: Vec<Anomaly>,
    /// How much of the code was read: below its threshold the assessment
    /// is incomplete (see [`Coverage`]).
    pub coverage: Coverage,
    /// Timings.
    pub timings: TimingSummary,
}

/// An entry point the system runs without the user.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EntryPoint {
    /// `application`, `provider`, `initializer`, `receiver`, `service`, `job`.
    pub kind: String,
    /// The class, dotted.
    pub component: String,
    /// Whose code it is.
    pub subject: String,
}

/// A sensitive call reached from entry points.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReachedApi {
    /// Dotted API name.
    pub api: String,
    /// Knowledge-base id.
    pub api_id: String,
    /// PI type.
    pub pi_type: String,
    /// Who calls it.
    pub subject: String,
    /// Only after a consent check.
    pub gated: bool,
    /// The methods from the entry point to the call, then the API.
    pub chain: Vec<String>,
}

/// An SDK called at start-up.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SdkInitReach {
    /// Catalogue id.
    pub sdk: String,
    /// Only after a consent check.
    pub gated: bool,
    /// The SDK method the chain calls.
    pub call: String,
    /// Its role in the SDK's start-up data (`pre_init`, `init`, `consent`,
    /// `switch`), when catalogued.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<pipa_kb::InitRole>,
    /// One of its compliant-initialisation APIs is called somewhere.
    pub compliant_init_used: bool,
    /// The call passes a constant `true` to a consent API without a consent
    /// check: consent claimed before the user was asked.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub consent_claimed: bool,
    /// The methods from the entry point to the call, then the SDK method.
    pub chain: Vec<String>,
}

impl SdkInitReach {
    /// Started by the same call as `o`: the same SDK method at the end of
    /// the same chain, the same consent check, the same claim, and a role
    /// as safe (or not) before consent. One call that starts several SDKs
    /// (`UMConfigure.init`: U-Common, U-App, U-Share) is one finding, the
    /// SDKs named together.
    pub fn same_start(&self, o: &SdkInitReach) -> bool {
        let safe = |r: &SdkInitReach| r.role.is_some_and(pipa_kb::InitRole::safe_before_consent);
        self.call == o.call
            && self.chain == o.chain
            && self.gated == o.gated
            && self.consent_claimed == o.consent_claimed
            && safe(self) == safe(o)
    }
}

/// The call graph and what it shows about code that runs without the user.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Reachability {
    /// Methods with code (call-graph nodes).
    pub methods: u32,
    /// Call-graph edges.
    pub edges: u32,
    /// Virtual/interface calls with too many implementations to follow.
    pub megamorphic_calls: u32,
    /// Methods reached from start-up entry points.
    pub reached_at_startup: u32,
    /// Methods reached from receivers, services and jobs.
    pub reached_in_background: u32,
    /// Entry points.
    pub entries: Vec<EntryPoint>,
    /// Sensitive calls reached at start-up (before consent).
    pub before_consent: Vec<ReachedApi>,
    /// Sensitive calls reached only in the background.
    pub background: Vec<ReachedApi>,
    /// SDKs called at start-up.
    pub sdk_init: Vec<SdkInitReach>,
    /// Sensitive calls reached from a self-start trigger (a receiver of a
    /// system broadcast the system delivers to it, a sync adapter, a
    /// repeating alarm or periodic job), whatever else reaches them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub self_start: Vec<SelfStartApi>,
    /// Which methods can run at all (`api_uses[].reach`).
    pub liveness: LivenessSummary,
}

/// A sensitive call reached from a self-start trigger.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SelfStartApi {
    /// `broadcast` (a receiver of system broadcasts or a sync adapter) or
    /// `periodic` (a repeating alarm, periodic or persisted job, periodic
    /// work).
    pub trigger: String,
    /// The broadcast actions, or the scheduling API (smali).
    pub what: Vec<String>,
    /// The receiver or service (dotted), or the method that schedules.
    pub component: String,
    /// Dotted API name.
    pub api: String,
    /// Knowledge-base id of the API entry.
    pub api_id: String,
    /// PI type.
    pub pi_type: String,
    /// Who makes the call.
    pub subject: String,
    /// Only after a consent check.
    pub gated: bool,
    /// The methods from the trigger to the call, then the API.
    pub chain: Vec<String>,
}

/// How `api_uses[].reach` was decided. Roots: every class the manifest
/// names (components, application, instrumentation, backup agent,
/// meta-data), every class named in the resources (layouts, menus,
/// preferences, navigation, `resources.arsc` strings), in
/// `META-INF/services`, or as a string in any dex string pool. A live class
/// has all its methods (and its app-defined superclasses') live; a live
/// method makes live what it calls (class hierarchy, async, static
/// initialisers, catch handlers), instantiates, or names with
/// `const-class`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LivenessSummary {
    /// False when no class the manifest names is in the code (SDK package,
    /// packed app): then every site counts as live.
    pub computed: bool,
    /// Root classes found in the code.
    pub root_classes: u32,
    /// Of them, found only as strings of the dex string pools.
    pub string_roots: u32,
    /// Classes live at the end.
    pub live_classes: u32,
    /// Methods live at the end.
    pub live_methods: u32,
    /// Sensitive-API sites no entry point reaches.
    pub unreachable_sites: u32,
    /// Sensitive-API sites whose runtime permission is not declared.
    pub permission_missing_sites: u32,
}

impl Assessment {
    /// The baseline's acceptance of finding `index`, if any.
    pub fn accepted(&self, index: usize) -> Option<&Accepted> {
        self.baseline
            .as_ref()
            .and_then(|b| b.accepted.iter().find(|x| x.finding == index))
    }
}

/// How much of the package's code pipa read and indexed: every
/// code-based conclusion of the report rests on this share only.
///
/// `ratio` weighs each code file by its size: a `classes*.dex` that was read
/// counts its size × the share of its classes whose data was read × the
/// share of its methods with code that were indexed; a dex that could not be
/// read, and code outside the load path (`unread_code`: a dex/jar/apk in
/// `assets/`, Instant Run's zip), count 0. Below [`COVERAGE_THRESHOLD`] the
/// assessment is **incomplete** (so it is too when a dex file's checksum
/// fails): reports say so first, `pass` verdicts are
/// withheld (`manual`), and `pipa scan` exits 3.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    /// `classes*.dex` files in the package.
    pub dex_files: u32,
    /// Of them, read and indexed.
    pub dex_read: u32,
    /// Dex files read whose checksum fails: changed after they were built
    /// (Android refuses to load them; what was read may be wrong). Any
    /// makes the assessment incomplete.
    pub damaged_dex: u32,
    /// Class definitions in the dex files read.
    pub classes: u32,
    /// Of them, classes whose data was read (a class without data counts).
    pub classes_read: u32,
    /// Methods with code in the classes read.
    pub methods: u32,
    /// Of them, methods whose code was indexed.
    pub methods_read: u32,
    /// Code files outside the runtime's load path (not read by design).
    pub other_code_files: u32,
    /// Bytes of code in the package: `classes*.dex` and the other code files.
    pub code_bytes: u64,
    /// Of them, the bytes read (weighted as above).
    pub code_bytes_read: u64,
    /// `code_bytes_read / code_bytes` (1 when the package holds no code).
    pub ratio: f64,
    /// The threshold below which the assessment is incomplete.
    pub threshold: f64,
    /// `ratio < threshold`, or a damaged dex file.
    pub incomplete: bool,
    /// What was not read, and why (at most [`COVERAGE_MAX_UNREAD`] entries;
    /// then one entry counting the rest).
    pub unread: Vec<Unread>,
}

/// Below this share of the code read, an assessment is incomplete.
pub const COVERAGE_THRESHOLD: f64 = 0.95;

/// Entries of [`Coverage::unread`] listed one by one.
pub const COVERAGE_MAX_UNREAD: usize = 50;

impl Default for Coverage {
    fn default() -> Self {
        Coverage {
            dex_files: 0,
            dex_read: 0,
            damaged_dex: 0,
            classes: 0,
            classes_read: 0,
            methods: 0,
            methods_read: 0,
            other_code_files: 0,
            code_bytes: 0,
            code_bytes_read: 0,
            ratio: 1.0,
            threshold: COVERAGE_THRESHOLD,
            incomplete: false,
            unread: Vec::new(),
        }
    }
}

impl Coverage {
    /// True when everything was read (ratio exactly 1, nothing unread).
    pub fn is_full(&self) -> bool {
        self.unread.is_empty() && self.code_bytes_read == self.code_bytes
    }

    /// `62.3%`: the ratio as a percentage, never rounded up to 100% while
    /// anything is missing.
    pub fn percent(&self) -> String {
        if self.is_full() {
            return "100%".into();
        }
        let p = (self.ratio * 1000.0).floor() / 10.0;
        format!("{:.1}%", p.min(99.9))
    }

    /// The threshold as a percentage: `95%`.
    pub fn threshold_percent(&self) -> String {
        format!("{:.0}%", self.threshold * 100.0)
    }

    /// What was read, in the order every view shows it after the
    /// [`percent`](Self::percent): dex files read of all, dex files with a
    /// bad checksum (when any), classes read of all, methods with code
    /// indexed of all, code files outside the load path (when any). The
    /// views (report, finding, the CLI's warning) join them their own way.
    pub fn figures(&self) -> Vec<CoverageFigure> {
        let of = |read: u32, all: u32| format!("{read}/{all}");
        let mut v = vec![CoverageFigure {
            zh: "dex 文件",
            en: "dex files",
            value: of(self.dex_read, self.dex_files),
        }];
        if self.damaged_dex > 0 {
            v.push(CoverageFigure {
                zh: "校验和不符",
                en: "bad checksum",
                value: self.damaged_dex.to_string(),
            });
        }
        v.push(CoverageFigure {
            zh: "类",
            en: "classes",
            value: of(self.classes_read, self.classes),
        });
        v.push(CoverageFigure {
            zh: "方法",
            en: "methods",
            value: of(self.methods_read, self.methods),
        });
        if self.other_code_files > 0 {
            v.push(CoverageFigure {
                zh: "未读代码文件",
                en: "code files not read",
                value: self.other_code_files.to_string(),
            });
        }
        v
    }

    /// [`figures`](Self::figures) in one language each, `label value`
    /// joined by `sep` (zh) and `sep_en`.
    pub fn figures_text(&self, sep: &str, sep_en: &str) -> Text {
        let f = self.figures();
        let join = |label: fn(&CoverageFigure) -> &'static str, sep: &str| {
            f.iter()
                .map(|x| format!("{} {}", label(x), x.value))
                .collect::<Vec<_>>()
                .join(sep)
        };
        Text {
            zh: join(|x| x.zh, sep),
            en: join(|x| x.en, sep_en),
        }
    }

    /// The shortfall, for a sentence: `只读取了安装包 62.3% 的代码（阈值 95%）`
    /// / `only 62.3% of the package's code was read (threshold 95%)`.
    pub fn shortfall(&self) -> Text {
        Text {
            zh: format!(
                "只读取了安装包 {} 的代码（阈值 {}）",
                self.percent(),
                self.threshold_percent()
            ),
            en: format!(
                "only {} of the package's code was read (threshold {})",
                self.percent(),
                self.threshold_percent()
            ),
        }
    }

    /// The conclusions an incomplete assessment cannot support.
    pub fn unsupported() -> Text {
        Text {
            zh: "代码未读部分中的个人信息收集、同意前收集、后台收集、SDK 识别与初始化、自启动与关联启动；\"通过\"结论均不成立".into(),
            en: "PI collected by the unread code, collection before consent or in the background, SDKs present and their initialisation, self-start and associated launches; no item can be concluded as a pass".into(),
        }
    }
}

/// One figure of [`Coverage::figures`]: its label in both languages and
/// its value (`9/9`, `2`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageFigure {
    /// Chinese label.
    pub zh: &'static str,
    /// English label.
    pub en: &'static str,
    /// The value.
    pub value: String,
}

/// One piece of code pipa did not read.
#[derive(Debug, Clone, Serialize)]
pub struct Unread {
    /// The file, or the class in it: `classes2.dex`,
    /// `classes.dex: Lcom/x/Y;`, `assets/plugin.jar`.
    pub what: String,
    /// Why (English; the anomaly or reader message).
    pub why: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(id: &str, rules: &[&str]) -> Finding {
        let t = Text {
            zh: String::new(),
            en: String::new(),
        };
        Finding {
            id: id.into(),
            rule_ids: rules.iter().map(|r| r.to_string()).collect(),
            verdict: Verdict::Risk,
            severity: Severity::High,
            title: t.clone(),
            description: t.clone(),
            evidence: Vec::new(),
            remediation: t,
        }
    }

    #[test]
    fn short_ids_are_fixed_readable_and_distinct() {
        let f = finding("before_consent.sdk:umeng", &["191-3.1", "164-2.1"]);
        // Fixed by definition (FNV-1a, checked with Python): this value must never change.
        assert_eq!(f.short_id(), "F3.1-258504");
        assert_eq!(f.short_id(), f.clone().short_id());
        assert!(
            finding("policy.language", &["PIPL-17"])
                .short_id()
                .starts_with("FPIPL-17-")
        );
        assert!(finding("x", &[]).short_id().starts_with("F-"));
        // The subject and the rule both count.
        let other = finding("before_consent.sdk:bugly", &["191-3.1"]);
        assert_ne!(other.short_id(), f.short_id());
        assert_ne!(
            finding("before_consent.sdk:umeng", &["191-3.2"]).short_id()[5..],
            f.short_id()[5..]
        );
        // JSON carries it as `ref` beside the finding's fields.
        let v = serde_json::to_value(WithFindings {
            findings: vec![f.clone()],
        })
        .expect("json");
        assert_eq!(v["findings"][0]["ref"], f.short_id());
        assert_eq!(v["findings"][0]["id"], "before_consent.sdk:umeng");
    }

    #[derive(Serialize)]
    struct WithFindings {
        #[serde(serialize_with = "findings_with_refs")]
        findings: Vec<Finding>,
    }
}
