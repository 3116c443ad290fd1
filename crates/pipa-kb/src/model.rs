//! The typed model of the knowledge-base files.

use serde::{Deserialize, Serialize};

/// A text in Simplified Chinese with its English beside it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    /// Simplified Chinese (the authoritative text).
    pub zh: String,
    /// English.
    pub en: String,
}

/// The whole knowledge base.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Kb {
    /// Documents everything else cites (`kb/sources.yaml`).
    pub sources: Vec<Source>,
    /// The PI vocabulary (`kb/pi_types.yaml`).
    pub pi_types: Vec<PiType>,
    /// Legal items (`kb/rules.yaml`).
    pub rules: Vec<Rule>,
    /// Android permissions (`kb/permissions.yaml`).
    pub permissions: Vec<Permission>,
    /// Sensitive APIs (`kb/apis.yaml`).
    pub apis: Vec<Api>,
}

/// A document a rule, permission or API entry comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Stable id (`191`, `164`, `PIPL`, `GBT35273`, `TC260-PERM`, `camille`, `aosp-docs`, …).
    pub id: String,
    /// Title (Chinese for Chinese documents).
    pub title: String,
    /// Issuer.
    #[serde(default)]
    pub issuer: String,
    /// Date signed, published or of the commit read.
    #[serde(default)]
    pub date: String,
    /// Official address where one exists.
    #[serde(default)]
    pub url: String,
    /// Where the text was actually read (mirror, commit) — see `../shared/regs/SOURCES.md`.
    #[serde(default)]
    pub read_at: String,
    /// Licence of the material, for code/data lists.
    #[serde(default)]
    pub licence: String,
}

impl Source {
    /// Issuer and date, those that are given, for one line of citation.
    pub fn issuer_and_date(&self) -> Vec<&str> {
        [self.issuer.as_str(), self.date.as_str()]
            .into_iter()
            .filter(|x| !x.is_empty())
            .collect()
    }
}

/// One personal-information type of the shared vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PiType {
    /// Stable id, snake_case (`device_id`, `location`, `contacts`, `app_list`, …).
    pub id: String,
    /// Name.
    pub name: Text,
    /// Sensitive personal information under PIPL Art. 28 (and GB/T 35273 Annex B).
    pub sensitive: bool,
    /// What it covers.
    pub description: Text,
}

/// How far a text can be trusted (see `../shared/regs/SOURCES.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Official text, or an official repost, was read.
    Verified,
    /// Official wording for a fragment only.
    Partial,
    /// Our own summary of a secondary source.
    Paraphrase,
    /// Not checked against a source: do not encode as a hard rule.
    Unverified,
}

/// What kind of input can decide an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceKind {
    /// The package itself (manifest, code, SDKs).
    Static,
    /// Runtime instrumentation (hooks, traffic, UI automation).
    Dynamic,
    /// The privacy-policy text.
    PolicyText,
    /// A person (back end, process, UI judgement).
    Manual,
}

/// A legal item a check stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// Rule id (`191-3.1`, `164-1.2`, `PIPL-28`, `GBT35273-6.3`).
    pub id: String,
    /// Source document id (see [`Source`]).
    pub source: String,
    /// Category heading of the document, where it has one.
    #[serde(default)]
    pub category: Option<Text>,
    /// Short title.
    pub title: Text,
    /// The legal text in Chinese.
    pub text_zh: String,
    /// An English gloss of the text (ours, not an official translation).
    pub gloss_en: String,
    /// True when `text_zh` is character for character the source's text.
    pub verbatim: bool,
    /// Trust in the text.
    pub status: Status,
    /// Which inputs can decide it.
    #[serde(default)]
    pub evidence: Vec<EvidenceKind>,
    /// What pipa checks for this item, and from what.
    #[serde(default)]
    pub check: Option<Text>,
    /// For items pipa cannot decide: what a person must check, and how.
    #[serde(default)]
    pub manual: Option<Text>,
    /// How to comply.
    #[serde(default)]
    pub remediation: Option<Text>,
    /// Related rule ids.
    #[serde(default)]
    pub related: Vec<String>,
}

/// Protection class of an Android permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Protection {
    /// Runtime ("dangerous") permission: granted by the user at run time (API 23+).
    Dangerous,
    /// Special access granted in system settings (appop), e.g. SYSTEM_ALERT_WINDOW.
    Special,
    /// Normal: granted at install.
    Normal,
    /// Signature / privileged: not grantable to ordinary apps.
    Signature,
    /// A phone maker's or an app store's own permission.
    Vendor,
}

/// An Android permission and the personal information it gives access to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permission {
    /// Full name, e.g. `android.permission.READ_PHONE_STATE`.
    pub name: String,
    /// Protection class.
    pub protection: Protection,
    /// Android permission group (`PHONE`, `LOCATION`, …), where it has one.
    #[serde(default)]
    pub group: Option<String>,
    /// Chinese name as users see it (e.g. 电话, 位置).
    pub name_zh: String,
    /// What it allows, in both languages.
    pub description: Text,
    /// PI types it gives access to (ids from `pi_types.yaml`).
    #[serde(default)]
    pub pi_types: Vec<String>,
    /// Needs a purpose statement when requested (191-2.3): it can collect PI.
    #[serde(default)]
    pub purpose_required: bool,
    /// First API level, where relevant.
    #[serde(default)]
    pub since_api: Option<u32>,
    /// Source ids.
    #[serde(default)]
    pub sources: Vec<String>,
    /// Trust in the entry where it is less than a platform fact read in a cited
    /// source (e.g. vendor permissions named from SDK manifests); absent = verified.
    #[serde(default)]
    pub status: Option<Status>,
}

/// What an API entry matches in the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiKind {
    /// Invocations of a method (any overload when `descriptor` is absent).
    Method,
    /// Static field reads (`sget*`), e.g. `Build.SERIAL`.
    StaticField,
    /// A `const-string` equal to `value` (content URIs, setting keys, intent actions).
    String,
}

/// A sensitive API: where in the code PI is collected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Api {
    /// Stable id, e.g. `telephony.get_device_id`.
    pub id: String,
    /// What is matched.
    pub kind: ApiKind,
    /// Java class name, dotted, nested classes with `$` (`android.provider.Settings$Secure`);
    /// empty for `string` entries.
    #[serde(default)]
    pub class: String,
    /// Method or field name; empty for `string` entries.
    #[serde(default)]
    pub member: String,
    /// Method prototype `(params)ret` or field type in smali form; absent = any.
    #[serde(default)]
    pub descriptor: Option<String>,
    /// For `string` entries the exact constant; for methods, a constant the
    /// calling method must also load for the call to count (e.g. `android_id`
    /// for `Settings$Secure.getString`).
    #[serde(default)]
    pub value: Option<String>,
    /// The PI type collected (id from `pi_types.yaml`).
    pub pi_type: String,
    /// Permissions the call needs (any of them), if any.
    #[serde(default)]
    pub permissions: Vec<String>,
    /// Topic tags the checks use: `clipboard_read`, `app_list`, `recording`,
    /// `camera`, `biometric`, `screen_capture`, `location`, `device_id`, …
    #[serde(default)]
    pub tags: Vec<String>,
    /// What it does.
    pub description: Text,
    /// Source ids (API lists it appears in, platform docs).
    #[serde(default)]
    pub sources: Vec<String>,
    /// Trust in the entry where it is less than a platform fact read in a cited
    /// source (e.g. vendor SDK classes); absent = verified.
    #[serde(default)]
    pub status: Option<Status>,
}

impl Api {
    /// The class as a dex type descriptor: `Landroid/provider/Settings$Secure;`.
    pub fn class_descriptor(&self) -> String {
        format!("L{};", self.class.replace('.', "/"))
    }

    /// `android.telephony.TelephonyManager.getDeviceId` (or the string value).
    pub fn display_name(&self) -> String {
        match self.kind {
            ApiKind::String => self.value.clone().unwrap_or_default(),
            _ => format!("{}.{}", self.class, self.member),
        }
    }
}
