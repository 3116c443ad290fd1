//! Traces of a privacy policy in the package: policy-like files under
//! `assets/` and `res/raw/`, policy URLs and texts in resources.arsc and in
//! the strings the code loads. One multi-pattern pass per source.

use crate::facts::PolicyFacts;
use crate::model::{Evidence, Subject};
use crate::subject::SubjectResolver;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder};
use pipa_android::Apk;
use pipa_dex::CodeIndex;

/// Substrings that make a string a candidate (case-sensitive, one pass).
const KEYWORDS: &[&str] = &[
    "privacy",
    "Privacy",
    "PRIVACY",
    "yinsi",
    "YinSi",
    "Yinsi",
    "隐私",
    "个人信息保护",
];

/// Phrases that name a policy in running text (checked case-insensitively on
/// the candidates, and on the content of policy-like files).
const PHRASES: &[&str] = &[
    "隐私政策",
    "隐私协议",
    "隐私权政策",
    "隐私保护指引",
    "隐私保护政策",
    "个人信息保护政策",
    "个人信息保护指引",
    "privacy policy",
    "privacy notice",
    "privacy statement",
];

/// Path fragments (lowercase) of a policy-like file.
const PATH_HINTS: &[&str] = &["privacy", "yinsi", "隐私", "个人信息"];

/// Content of at most this many files is read, each at most `MAX_FILE` bytes.
const MAX_FILES: usize = 64;
const MAX_FILE: u64 = 1 << 20;
/// Evidence kept per list.
const MAX_EVIDENCE: usize = 12;

fn phrase_matcher() -> Option<AhoCorasick> {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .build(PHRASES)
        .ok()
}

/// A string that reads like a policy reference: a URL/path with a keyword,
/// or text naming a policy.
pub(crate) fn looks_like_policy(s: &str, phrases: &AhoCorasick) -> bool {
    if phrases.is_match(s) {
        return true;
    }
    let lower = s.to_ascii_lowercase();
    let urlish = lower.contains("://")
        || lower.starts_with("www.")
        || lower.ends_with(".html")
        || lower.ends_with(".htm");
    urlish && PATH_HINTS.iter().any(|k| lower.contains(k)) && !s.contains(char::is_whitespace)
}

/// Finds policy traces in `apk` and its code.
pub(crate) fn find_policy(
    apk: &Apk<'_>,
    index: &CodeIndex<'_>,
    subjects: &SubjectResolver,
) -> PolicyFacts {
    let mut out = PolicyFacts::default();
    let Some(phrases) = phrase_matcher() else {
        return out;
    };
    files(apk, &phrases, &mut out);
    if let Some(res) = &apk.resources {
        for s in res.strings() {
            if out.found.len() >= MAX_EVIDENCE {
                break;
            }
            if s.len() <= 2048 && looks_like_policy(s, &phrases) {
                out.found.push(Evidence::String {
                    value: s.to_string(),
                    locations: vec!["resources.arsc".into()],
                });
            }
        }
    }
    dex_strings(index, subjects, &phrases, &mut out);
    out
}

fn files(apk: &Apk<'_>, phrases: &AhoCorasick, out: &mut PolicyFacts) {
    let archive = apk.archive();
    let mut read = 0usize;
    for e in archive.entries() {
        let name = e.name.as_str();
        if !(name.starts_with("assets/") || name.starts_with("res/raw/")) || name.ends_with('/') {
            continue;
        }
        let lower = name.to_lowercase();
        if PATH_HINTS.iter().any(|k| lower.contains(k)) {
            out.found.push(Evidence::File {
                path: name.to_string(),
                detail: Some("file name reads like a privacy policy".into()),
            });
        } else if [".html", ".htm", ".txt"].iter().any(|x| lower.ends_with(x))
            && e.uncompressed_size <= MAX_FILE
            && read < MAX_FILES
        {
            read += 1;
            let Ok(bytes) = archive.read(e) else { continue };
            if let Some(m) = phrases.find(&*bytes) {
                let phrase = PHRASES.get(m.pattern().as_usize()).copied().unwrap_or("");
                out.found.push(Evidence::File {
                    path: name.to_string(),
                    detail: Some(format!("content names a policy: “{phrase}”")),
                });
            }
        }
        if out.found.len() >= MAX_EVIDENCE {
            break;
        }
    }
}

fn dex_strings(
    index: &CodeIndex<'_>,
    subjects: &SubjectResolver,
    phrases: &AhoCorasick,
    out: &mut PolicyFacts,
) {
    let mut last = None;
    for m in index.search_strings(KEYWORDS) {
        // One string can match several keywords.
        if last == Some(m.string) {
            continue;
        }
        last = Some(m.string);
        if out.found.len() >= MAX_EVIDENCE && out.third_party.len() >= MAX_EVIDENCE {
            break;
        }
        let Some(d) = index.dex(m.string.dex) else {
            continue;
        };
        let Some(value) = d.string(m.string.string_idx) else {
            continue;
        };
        if value.len() > 2048 || !looks_like_policy(&value, phrases) {
            continue;
        }
        let sites = index.const_string_sites_of(m.string);
        if sites.is_empty() {
            continue;
        }
        let mut by_app = false;
        let mut locations = Vec::new();
        for s in sites {
            if let Some(mr) = d.method_ref(s.caller) {
                by_app |= subjects.of_class(&mr.class) == Subject::App;
                if locations.len() < 3 {
                    locations.push(mr.to_string());
                }
            }
        }
        let ev = Evidence::String {
            value: value.into_owned(),
            locations,
        };
        let list = if by_app {
            &mut out.found
        } else {
            &mut out.third_party
        };
        if list.len() < MAX_EVIDENCE && !list.contains(&ev) {
            list.push(ev);
        }
    }
}

/// Policy-like files read as candidates for the app's policy, at most.
const MAX_CANDIDATES: usize = 8;
/// Largest candidate file read.
const MAX_CANDIDATE_BYTES: u64 = 4 << 20;
/// A candidate shorter than this (characters) is not a policy.
const MIN_POLICY_CHARS: usize = 300;

/// The app's policy among the policy-like files `found` in the package: each
/// candidate is read and analysed; the one that declares the most PI types
/// and meets the most elements wins. Returns it (its `source.path` is the
/// entry, `source.origin` is `package`) and, for the others, why not.
pub(crate) fn package_policy(
    apk: &Apk<'_>,
    found: &[Evidence],
    kb: &pipa_kb::Kb,
) -> (Option<pipa_policy::PolicyReport>, Vec<(String, String)>) {
    let mut rejected = Vec::new();
    let entries: Vec<&str> = found
        .iter()
        .filter_map(|e| match e {
            Evidence::File { path, .. } => Some(path.as_str()),
            _ => None,
        })
        .take(MAX_CANDIDATES)
        .collect();
    if entries.is_empty() {
        return (None, rejected);
    }
    let lex = match pipa_policy::Lexicon::new(kb) {
        Ok(l) => l,
        Err(e) => {
            rejected.push(("kb/policy.yaml".into(), e.to_string()));
            return (None, rejected);
        }
    };
    let archive = apk.archive();
    let mut best: Option<(u64, pipa_policy::PolicyReport)> = None;
    for name in entries {
        let Some(entry) = archive.entries().iter().find(|e| e.name == name) else {
            continue;
        };
        if entry.uncompressed_size > MAX_CANDIDATE_BYTES {
            rejected.push((
                name.to_string(),
                format!("larger than {} MiB", MAX_CANDIDATE_BYTES >> 20),
            ));
            continue;
        }
        let bytes = match archive.read(entry) {
            Ok(b) => b,
            Err(e) => {
                rejected.push((name.to_string(), e.to_string()));
                continue;
            }
        };
        let p = match pipa_policy::analyse_bytes(name, &bytes, None, &lex) {
            Ok(p) => p,
            Err(e) => {
                rejected.push((name.to_string(), e.to_string()));
                continue;
            }
        };
        let r = p.report;
        if r.source.chars < MIN_POLICY_CHARS || r.pi_types.is_empty() {
            rejected.push((
                name.to_string(),
                format!(
                    "{} characters, {} PI types declared: not read as the app's privacy policy",
                    r.source.chars,
                    r.pi_types.len()
                ),
            ));
            continue;
        }
        let met = |v: pipa_policy::ElementVerdict| {
            r.elements.iter().filter(|e| e.verdict == v).count() as u64
        };
        let score = r.pi_types.len() as u64 * 10
            + met(pipa_policy::ElementVerdict::Pass) * 5
            + met(pipa_policy::ElementVerdict::Partial) * 2
            + (r.source.chars as u64 / 1000).min(20);
        match &best {
            Some((b, other)) if *b >= score => {
                rejected.push((
                    name.to_string(),
                    format!("{} reads more like the policy", other.source.path),
                ));
            }
            _ => {
                if let Some((_, other)) = best.take() {
                    rejected.push((
                        other.source.path.clone(),
                        format!("{name} reads more like the policy"),
                    ));
                }
                best = Some((score, r));
            }
        }
    }
    let best = best.map(|(_, mut r)| {
        r.source.origin = Some("package".into());
        r
    });
    (best, rejected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_like_strings() {
        let p = phrase_matcher().expect("matcher");
        assert!(looks_like_policy("https://x.com/privacy.html", &p));
        assert!(looks_like_policy("https://x.com/yinsi", &p));
        assert!(looks_like_policy("请阅读《隐私政策》", &p));
        assert!(looks_like_policy("Read our Privacy Policy", &p));
        assert!(!looks_like_policy("privacy_mode", &p));
        assert!(!looks_like_policy("setPrivacyEnabled", &p));
        assert!(!looks_like_policy("https://x.com/terms", &p));
    }
}
