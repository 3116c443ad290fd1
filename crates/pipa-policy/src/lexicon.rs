//! The knowledge base's policy vocabulary compiled into automata: PI terms,
//! permission words, SDK and vendor names, cue words (collection, denial,
//! open lists, sensitivity, third parties, permissions, answering users), and
//! the phrases of the elements' signals. Built once per process.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use pipa_kb::{Kb, PolicyElement, Text};
use regex::Regex;
use std::collections::HashMap;

/// What a cue word is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cue {
    Collect,
    /// A collection verb that governs only the term right after it.
    WeakCollect,
    Negation,
    Vague,
    Sensitive,
    ThirdParty,
    Permission,
    Response,
    Ignore,
}

/// A sentence role (kb/policy.yaml `sentence_roles`).
#[derive(Debug, Clone)]
pub(crate) struct RoleInfo {
    pub name: String,
    pub declares: bool,
    pub verb_wins: bool,
    /// A strong verb outweighs the role when only a heading gives it.
    pub heading_verb_wins: bool,
    /// A negation before a term outweighs the role (the term is denied).
    pub negation_wins: bool,
    /// With `verb_wins`: the only verbs that win (none: any strong verb).
    pub winning_verbs: Vec<String>,
}

/// A PI type as the analysis needs it.
#[derive(Debug, Clone)]
pub(crate) struct PiInfo {
    pub id: String,
    pub name: Text,
    pub sensitive: bool,
}

/// One name of SDKs.
#[derive(Debug, Clone)]
pub(crate) struct SdkName {
    /// Catalogue ids it names (indices into `Lexicon::sdk_ids`).
    pub sdks: Vec<u32>,
    /// A vendor's name (names every SDK of the vendor, weakly).
    pub vendor: bool,
}

/// A compiled signal.
#[derive(Debug, Clone)]
pub(crate) struct Signal {
    pub id: String,
    pub name: Text,
    pub required: bool,
    /// Phrase ids (into the signal automaton) of `any`, and of `with`.
    pub any: Vec<u32>,
    pub with: Vec<u32>,
    pub regex: Option<Regex>,
    pub computed: Option<String>,
    pub rules_191: Vec<String>,
}

/// A compiled element.
#[derive(Debug, Clone)]
pub(crate) struct Element {
    pub spec: PolicyElement,
    pub signals: Vec<Signal>,
}

/// Why a lexicon could not be built (a bad regular expression or pattern
/// set in the knowledge base).
#[derive(Debug, Clone, thiserror::Error)]
#[error("kb/policy.yaml: {0}")]
pub struct LexiconError(String);

/// The compiled vocabulary.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub(crate) pi: AhoCorasick,
    /// Per pattern: the PI type index, or `None` for a `not` phrase.
    pub(crate) pi_of: Vec<Option<usize>>,
    pub(crate) pi_types: Vec<PiInfo>,
    pub(crate) perm: AhoCorasick,
    /// Per pattern: the permissions it explains (index into `perm_sets`).
    pub(crate) perm_of: Vec<usize>,
    pub(crate) perm_sets: Vec<Vec<String>>,
    pub(crate) perm_words: Vec<String>,
    pub(crate) sdk: AhoCorasick,
    pub(crate) sdk_of: Vec<SdkName>,
    pub(crate) sdk_ids: Vec<String>,
    pub(crate) cues: AhoCorasick,
    pub(crate) cue_of: Vec<Cue>,
    pub(crate) cue_words: Vec<String>,
    pub(crate) phrases: AhoCorasick,
    pub(crate) elements: Vec<Element>,
    /// Role words of sentences and headings (overlapping matches).
    pub(crate) roles: AhoCorasick,
    /// Per pattern of `roles`: the role index, and whether it is a heading word.
    pub(crate) role_of: Vec<(usize, bool)>,
    /// The roles, in priority order.
    pub(crate) role_info: Vec<RoleInfo>,
    /// Words that give a PI type's terms another sense in their sentence.
    pub(crate) senses: AhoCorasick,
    /// Per pattern of `senses`: the PI type.
    pub(crate) sense_of: Vec<usize>,
    /// The words of `senses`.
    pub(crate) sense_words: Vec<String>,
    /// Characters a collection verb may stand before its term.
    pub(crate) govern_window: usize,
    /// The same for the weak verbs.
    pub(crate) weak_window: usize,
    /// Words before a term after which a verb after the term governs it.
    pub(crate) verb_after_markers: Vec<String>,
    /// Characters between two items of an enumeration.
    pub(crate) enumeration_gap: usize,
    /// Words that end an enumeration.
    pub(crate) enumeration_breaks: Vec<String>,
    /// Words opening a sentence that continues the one before.
    pub(crate) continuation_words: Vec<String>,
    /// Verbs after their object, with the words marking the object.
    pub(crate) post_verbs: Vec<pipa_kb::PostVerbs>,
    /// Words referring back to the PI just named (此类信息).
    pub(crate) refer_back_words: Vec<String>,
    /// Words opening a purpose (用于, 以便).
    pub(crate) purpose_words: Vec<String>,
}

fn automaton(patterns: &[String], kind: MatchKind) -> Result<AhoCorasick, LexiconError> {
    AhoCorasickBuilder::new()
        .match_kind(kind)
        .ascii_case_insensitive(true)
        .build(patterns)
        .map_err(|e| LexiconError(e.to_string()))
}

/// Names too generic to stand for one SDK when a policy uses them.
const GENERIC_NAMES: &[&str] = &[
    "android",
    "google",
    "java",
    "kotlin",
    "sdk",
    "push",
    "map",
    "maps",
    "share",
    "login",
    "analytics",
    "ads",
    "pay",
    "payment",
    "location",
    "update",
    "crash",
    "camera",
    "image",
    "video",
    "audio",
    "player",
    "http",
    "json",
    "core",
    "common",
    "base",
    "utils",
    "support",
    "统计",
    "推送",
    "分享",
    "登录",
    "支付",
    "地图",
    "定位",
    "广告",
    "更新",
    "客服",
];

/// Whether `name` is specific enough to match in running text.
fn usable_name(name: &str) -> bool {
    let n = name.trim();
    let lower = n.to_ascii_lowercase();
    if GENERIC_NAMES.contains(&lower.as_str()) {
        return false;
    }
    let han = n.chars().filter(|c| is_han(*c)).count();
    if han > 0 {
        n.chars().count() >= 2
    } else {
        n.len() >= 4
    }
}

/// Han ideograph (CJK Unified, Ext. A, Compatibility).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}')
}

/// Name variants: as written, without spaces, without a trailing SDK.
fn variants(name: &str) -> Vec<String> {
    let mut out = vec![name.trim().to_string()];
    let compact: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    out.push(compact.clone());
    for suffix in ["SDK", "sdk", "Sdk"] {
        if let Some(s) = compact.strip_suffix(suffix) {
            out.push(s.trim_end_matches(['-', '_', ' ']).to_string());
        }
    }
    out.retain(|s| usable_name(s));
    out.sort();
    out.dedup();
    out
}

/// A vendor's legal name without its parenthetical (`（极光）`).
fn vendor_names(vendor: &str) -> Vec<String> {
    let mut out = Vec::new();
    let base: String = vendor
        .split(['（', '('])
        .next()
        .unwrap_or_default()
        .trim()
        .to_string();
    if base.ends_with("公司") && base.chars().count() >= 6 {
        out.push(base);
    }
    out
}

/// Default of `govern_window` when the KB gives none.
const GOVERN_WINDOW: usize = 120;
/// Default of `weak_window` when the KB gives none.
const WEAK_WINDOW: usize = 12;

impl Lexicon {
    /// Compiles the vocabulary of `kb`.
    pub fn new(kb: &Kb) -> Result<Lexicon, LexiconError> {
        let pol = &kb.policy;
        let terms = &kb.policy_terms;

        // PI terms.
        let pi_types: Vec<PiInfo> = kb
            .pi_types
            .iter()
            .map(|p| PiInfo {
                id: p.id.clone(),
                name: p.name.clone(),
                sensitive: p.sensitive,
            })
            .collect();
        let mut pi_pats: Vec<String> = Vec::new();
        let mut pi_of = Vec::new();
        for t in &terms.pi_terms {
            let Some(i) = pi_types.iter().position(|p| p.id == t.pi_type) else {
                return Err(LexiconError(format!(
                    "pi_terms: unknown PI type {}",
                    t.pi_type
                )));
            };
            for w in &t.terms {
                pi_pats.push(w.clone());
                pi_of.push(Some(i));
            }
            for w in &t.not {
                pi_pats.push(w.clone());
                pi_of.push(None);
            }
        }

        // Permission words.
        let mut perm_pats = Vec::new();
        let mut perm_of = Vec::new();
        let mut perm_sets = Vec::new();
        for (i, g) in terms.permission_terms.iter().enumerate() {
            perm_sets.push(g.permissions.clone());
            for w in &g.terms {
                perm_pats.push(w.clone());
                perm_of.push(i);
            }
        }

        // SDK names: product names (catalogue names and aliases) first, then
        // vendors' legal names.
        let sdk_ids: Vec<String> = kb.sdks.iter().map(|s| s.id.clone()).collect();
        let idx: HashMap<&str, u32> = sdk_ids
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), i as u32))
            .collect();
        let mut names: HashMap<String, SdkName> = HashMap::new();
        let mut add = |name: &str, id: u32, vendor: bool| {
            let e = names.entry(name.to_string()).or_insert(SdkName {
                sdks: Vec::new(),
                vendor,
            });
            if e.vendor && !vendor {
                // A product name beats a vendor name of the same spelling.
                *e = SdkName {
                    sdks: Vec::new(),
                    vendor,
                };
            }
            if e.vendor == vendor && !e.sdks.contains(&id) {
                e.sdks.push(id);
            }
        };
        for (i, s) in kb.sdks.iter().enumerate() {
            for n in [&s.name.zh, &s.name.en] {
                for v in variants(n) {
                    add(&v, i as u32, false);
                }
            }
        }
        for a in &terms.sdk_aliases {
            if let Some(&i) = idx.get(a.sdk.as_str()) {
                for n in &a.names {
                    for v in variants(n) {
                        add(&v, i, false);
                    }
                }
            }
        }
        for (i, s) in kb.sdks.iter().enumerate() {
            for v in vendor_names(&s.vendor.zh) {
                add(&v, i as u32, true);
            }
        }
        let mut sdk_pats: Vec<(String, SdkName)> = names.into_iter().collect();
        sdk_pats.sort_by(|a, b| a.0.cmp(&b.0));
        let sdk = automaton(
            &sdk_pats.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>(),
            MatchKind::LeftmostLongest,
        )?;
        let sdk_of = sdk_pats.into_iter().map(|(_, s)| s).collect();

        // Cue words.
        let mut cue_pats = Vec::new();
        let mut cue_of = Vec::new();
        for (words, cue) in [
            (&pol.ignore_words, Cue::Ignore),
            (&pol.collect_words, Cue::Collect),
            (&pol.weak_collect_words, Cue::WeakCollect),
            (&pol.negation_words, Cue::Negation),
            (&pol.vague_words, Cue::Vague),
            (&pol.sensitive_markers, Cue::Sensitive),
            (&pol.third_party_words, Cue::ThirdParty),
            (&pol.permission_words, Cue::Permission),
            (&pol.response_words, Cue::Response),
        ] {
            for w in words {
                cue_pats.push(w.clone());
                cue_of.push(cue);
            }
        }

        // Sentence roles and term senses.
        let mut role_pats = Vec::new();
        let mut role_of = Vec::new();
        let mut role_info = Vec::new();
        for (i, r) in pol.sentence_roles.iter().enumerate() {
            role_info.push(RoleInfo {
                name: r.role.clone(),
                declares: r.declares,
                verb_wins: r.verb_wins,
                heading_verb_wins: r.heading_verb_wins,
                negation_wins: r.negation_wins,
                winning_verbs: r.winning_verbs.clone(),
            });
            for w in &r.any {
                role_pats.push(w.clone());
                role_of.push((i, false));
            }
            for w in &r.heading {
                role_pats.push(w.clone());
                role_of.push((i, true));
            }
        }
        let mut sense_pats = Vec::new();
        let mut sense_of = Vec::new();
        for t in &terms.pi_terms {
            if let Some(i) = pi_types.iter().position(|p| p.id == t.pi_type) {
                for w in &t.not_with {
                    sense_pats.push(w.clone());
                    sense_of.push(i);
                }
            }
        }

        // Element signals: one automaton of all their phrases.
        let mut phrase_ids: HashMap<String, u32> = HashMap::new();
        let mut phrase_pats: Vec<String> = Vec::new();
        let mut id_of = |p: &str| -> u32 {
            if let Some(&i) = phrase_ids.get(p) {
                return i;
            }
            let i = phrase_pats.len() as u32;
            phrase_pats.push(p.to_string());
            phrase_ids.insert(p.to_string(), i);
            i
        };
        let mut elements = Vec::new();
        for e in &pol.elements {
            let mut signals = Vec::new();
            for s in &e.signals {
                let regex = match &s.regex {
                    Some(r) => Some(Regex::new(r).map_err(|err| {
                        LexiconError(format!("{} signal {}: bad regex: {err}", e.id, s.id))
                    })?),
                    None => None,
                };
                signals.push(Signal {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    required: s.required,
                    any: s.any.iter().map(|p| id_of(p)).collect(),
                    with: s.with.iter().map(|p| id_of(p)).collect(),
                    regex,
                    computed: s.computed.clone(),
                    rules_191: s.rules_191.clone(),
                });
            }
            elements.push(Element {
                spec: e.clone(),
                signals,
            });
        }

        Ok(Lexicon {
            pi: automaton(&pi_pats, MatchKind::LeftmostLongest)?,
            pi_of,
            pi_types,
            perm: automaton(&perm_pats, MatchKind::LeftmostLongest)?,
            perm_of,
            perm_sets,
            perm_words: perm_pats,
            sdk,
            sdk_of,
            sdk_ids,
            cues: automaton(&cue_pats, MatchKind::LeftmostLongest)?,
            cue_of,
            cue_words: cue_pats,
            phrases: automaton(&phrase_pats, MatchKind::Standard)?,
            elements,
            roles: automaton(&role_pats, MatchKind::Standard)?,
            role_of,
            role_info,
            senses: automaton(&sense_pats, MatchKind::Standard)?,
            sense_of,
            sense_words: sense_pats,
            verb_after_markers: pol.verb_after_markers.clone(),
            enumeration_gap: pol.enumeration_gap,
            enumeration_breaks: pol.enumeration_breaks.clone(),
            continuation_words: pol.continuation_words.clone(),
            post_verbs: pol.post_verbs.clone(),
            refer_back_words: pol.refer_back_words.clone(),
            purpose_words: pol.purpose_words.clone(),
            govern_window: if pol.govern_window == 0 {
                GOVERN_WINDOW
            } else {
                pol.govern_window
            },
            weak_window: if pol.weak_window == 0 {
                WEAK_WINDOW
            } else {
                pol.weak_window
            },
        })
    }

    /// The lexicon of the embedded knowledge base, built once.
    ///
    /// # Panics
    /// Never in a released build: the embedded data is compiled by this
    /// crate's tests (`Lexicon::new` returns the error instead).
    pub fn embedded() -> &'static Lexicon {
        static LEX: std::sync::OnceLock<Lexicon> = std::sync::OnceLock::new();
        LEX.get_or_init(|| match Lexicon::new(Kb::embedded()) {
            Ok(l) => l,
            Err(e) => panic!("embedded policy vocabulary is invalid: {e}"),
        })
    }
}
