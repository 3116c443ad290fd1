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
