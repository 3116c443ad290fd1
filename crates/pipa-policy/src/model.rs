//! The [`PolicyReport`]: what pipa found in a policy. Its JSON form is the
//! contract `pipa.policy/1` — keep these keys; add freely. Offsets are
//! character offsets into the policy's plain text.

use pipa_kb::Text;
use serde::Serialize;

/// Schema id of the JSON form.
pub const SCHEMA: &str = "pipa.policy/1";

/// A piece of the policy: a sentence (or table row) and where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    /// The text.
    pub text: String,
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// The words in it that matter here (character ranges), if any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<[usize; 2]>,
}

/// Where the policy came from.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Source {
    /// The file as given, or where it was found (`assets/privacy.html` in the package).
    pub path: String,
    /// The URL it was fetched from (after redirects), when fetched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `utf-8`, `gbk`, `gb18030`, `utf-16le`, … (`pdf` for PDF text).
    pub encoding: String,
    /// `html`, `txt`, `md`, `pdf`.
    pub format: String,
    /// Bytes read.
    pub bytes: u64,
    /// Characters of the plain text.
    pub chars: usize,
    /// How `pipa scan` came by it: `option` (`--policy`) or `package` (found
    /// in the package); absent for `pipa policy`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

/// Why a sentence declares a PI type: its role (`collection`, `sharing`, or
/// the role of the heading above it), the collection verb that governs the
/// term (none when the heading's role speaks for a list item or table row),
/// and the term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Claim {
    /// The role that lets the sentence declare PI.
    pub role: String,
    /// The sentence (character range).
    pub sentence: [usize; 2],
    /// The governing verb (character range), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verb: Option<[usize; 2]>,
    /// The PI term (character range).
    pub term: [usize; 2],
}

/// A mention of a PI term that did not make a claim, and why: for
/// `pipa policy --explain TYPE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NearMiss {
    /// PI type id.
    #[serde(rename = "type")]
    pub pi_type: String,
    /// The sentence (character range).
    pub sentence: [usize; 2],
    /// The PI term (character range).
    pub term: [usize; 2],
    /// Why not: `role:<role>` (the sentence's or its heading's role declares
    /// nothing), `sense:<word>` (another sense of the term), `no_verb` (no
    /// collection verb governs it), `heading`, `question`.
    pub reason: String,
}

/// A PI type the policy declares (or denies) collecting.
#[derive(Debug, Clone, Serialize)]
pub struct PiDeclaration {
    /// PI type id (`location`).
    #[serde(rename = "type")]
    pub pi_type: String,
    /// Its name.
    pub name: Text,
    /// Sensitive PI under PIPL Art. 28.
    pub sensitive: bool,
    /// At least one mention is highlighted or marked as 个人敏感信息.
    pub marked: bool,
    /// The sentences.
    pub evidence: Vec<Span>,
    /// Why: per evidence sentence, its role and the governing verb and the
    /// term (character offsets into the text).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<Claim>,
}

/// A third party (SDK, partner) the policy names.
#[derive(Debug, Clone, Serialize)]
pub struct ThirdParty {
    /// The name as written.
    pub name: String,
    /// The catalogue SDK it names, when pipa knows it.
    pub sdk_id: Option<String>,
    /// Other catalogue SDKs the name may stand for (a vendor's name names
    /// all of its SDKs).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
    /// PI types declared beside it (same sentence or table row).
    pub pi_types: Vec<String>,
    /// Its privacy-policy link, when given beside it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_url: Option<String>,
    /// Found in a table or list of third parties (rather than in running text).
    pub listed: bool,
    /// Where.
    pub evidence: Vec<Span>,
}

/// A permission the policy explains.
#[derive(Debug, Clone, Serialize)]
pub struct PermissionDeclaration {
    /// The Android permission.
    pub name: String,
    /// The words used (相机, 位置).
    pub terms: Vec<String>,
    /// Where.
    pub evidence: Vec<Span>,
}

/// A time limit the policy commits to.
#[derive(Debug, Clone, Serialize)]
pub struct TimeLimit {
    /// Days.
    pub days: u32,
    /// Working days (工作日) rather than calendar days.
    pub working_days: bool,
    /// Where.
    pub evidence: Span,
}

/// A fact with its evidence (operator, contact, date).
#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    /// What kind (`email`, `phone`, `address`, `effective`, `updated`, …).
    pub kind: String,
    /// The value as written (dates as `YYYY-MM-DD`).
    pub value: String,
    /// Where.
    pub evidence: Span,
}

/// The outcome of one element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ElementVerdict {
    /// Everything the text can show is there.
    Pass,
    /// Some of it is there.
    Partial,
    /// None of it is there.
    Missing,
    /// Only a person can tell (or the text shows nothing either way).
    Manual,
    /// Does not apply to this kind of app.
    NotApplicable,
}

impl ElementVerdict {
    /// Chinese label.
    pub fn zh(self) -> &'static str {
        match self {
            ElementVerdict::Pass => "具备",
            ElementVerdict::Partial => "部分具备",
            ElementVerdict::Missing => "缺失",
            ElementVerdict::Manual => "需人工确认",
            ElementVerdict::NotApplicable => "不适用",
        }
    }

    /// The stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ElementVerdict::Pass => "pass",
            ElementVerdict::Partial => "partial",
            ElementVerdict::Missing => "missing",
            ElementVerdict::Manual => "manual",
            ElementVerdict::NotApplicable => "not_applicable",
        }
    }
}

/// One signal of an element and whether it was found.
#[derive(Debug, Clone, Serialize)]
pub struct SignalResult {
    /// Signal id.
    pub id: String,
    /// Its name.
    pub name: Text,
    /// Needed for `pass`.
    pub required: bool,
    /// Found (for a check, e.g. no vague lists: satisfied).
    pub found: bool,
    /// What shows it (or, for a failed check, what breaks it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Span>,
    /// Items of 191 that its absence stands for (beyond the element's own).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules_191: Vec<String>,
}

/// One of the 16 elements.
#[derive(Debug, Clone, Serialize)]
pub struct ElementResult {
    /// `PP-01` … `PP-16`.
    pub id: String,
    /// Its name.
    pub name: Text,
    /// The outcome.
    pub verdict: ElementVerdict,
    /// Legal bases.
    pub basis: Vec<String>,
    /// Items of 191 it stands for.
    pub rules_191: Vec<String>,
    /// The signals.
    pub signals: Vec<SignalResult>,
    /// The sentences that show it (of every found signal, first few).
    pub evidence: Vec<Span>,
    /// What a person must still check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// The language of the text (191-1.4: a Simplified Chinese version).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Language {
    /// Han characters / all letters and Han characters.
    pub han_ratio: f64,
    /// Traditional-only characters / Han characters.
    pub traditional_ratio: f64,
    /// The text reads as Simplified Chinese.
    pub simplified_chinese: bool,
}

/// Size and shape (191-2.4: 冗长繁琐).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    /// Sentences.
    pub sentences: usize,
    /// Headings.
    pub headings: usize,
    /// Table rows.
    pub table_rows: usize,
    /// Longest sentence, characters.
    pub longest_sentence: usize,
}

/// Everything pipa found in one policy.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyReport {
    /// `pipa.policy/1`.
    pub schema: &'static str,
    /// Where it came from.
    pub source: Source,
    /// Its title (first heading), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The operator's name (a company), if found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator: Option<Fact>,
    /// Contacts: e-mail, phone, address, web form.
    pub contacts: Vec<Fact>,
    /// Dates: `effective`, `updated`, `published`.
    pub dates: Vec<Fact>,
    /// The language.
    pub language: Language,
    /// Size and shape.
    pub stats: Stats,
    /// PI types declared as collected, in vocabulary order.
    pub pi_types: Vec<PiDeclaration>,
    /// PI types the policy says it does not collect.
    pub pi_denied: Vec<PiDeclaration>,
    /// Open enumerations of PI (等, 例如, 包括但不限于).
    pub vague: Vec<Span>,
    /// Third parties and SDKs named.
    pub third_parties: Vec<ThirdParty>,
    /// Permissions explained.
    pub permissions: Vec<PermissionDeclaration>,
    /// Time limits committed to for requests and complaints.
    pub time_limits: Vec<TimeLimit>,
    /// The 16 elements.
    pub elements: Vec<ElementResult>,
    /// Mentions of PI terms that made no claim, and why (for `--explain`;
    /// not serialised).
    #[serde(skip)]
    pub near_misses: Vec<NearMiss>,
}

impl PolicyReport {
    /// The element `id`.
    pub fn element(&self, id: &str) -> Option<&ElementResult> {
        self.elements.iter().find(|e| e.id == id)
    }

    /// Whether PI type `id` is declared.
    pub fn declares(&self, pi_type: &str) -> bool {
        self.pi_types.iter().any(|p| p.pi_type == pi_type)
    }

    /// Whether `permission` is explained.
    pub fn explains(&self, permission: &str) -> bool {
        self.permissions.iter().any(|p| p.name == permission)
    }
}
