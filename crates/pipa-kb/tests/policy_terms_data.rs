//! Validation of `kb/policy_terms.yaml`: every PI type, permission and SDK it
//! names exists; every PI type has terms; no term is empty, a single
//! character, or given to two PI types; every `not` phrase contains a term of
//! its own type; SDK aliases name one catalogue entry each and do not repeat
//! the catalogue's own names.

use std::collections::{HashMap, HashSet};

use pipa_kb::Kb;

fn kb() -> Kb {
    Kb::load_embedded().expect("every kb/*.yaml file parses into the model")
}

/// The matcher compares ASCII letters case-insensitively.
fn fold(s: &str) -> String {
    s.to_ascii_lowercase()
}

fn check_word(what: &str, w: &str) {
    assert_eq!(w, w.trim(), "{what}: {w:?} has surrounding spaces");
    assert!(
        w.chars().count() >= 2,
        "{what}: {w:?} is empty or a single character"
    );
}

#[test]
fn sources_resolve() {
    let kb = kb();
    assert!(!kb.policy_terms.sources.is_empty());
    for s in &kb.policy_terms.sources {
        assert!(kb.source(s).is_some(), "policy_terms: unknown source {s}");
    }
}

#[test]
fn every_pi_type_has_terms() {
    let kb = kb();
    let mut seen = HashSet::new();
    for t in &kb.policy_terms.pi_terms {
        assert!(
            kb.pi_type(&t.pi_type).is_some(),
            "pi_terms: unknown PI type {}",
            t.pi_type
        );
        assert!(
            seen.insert(t.pi_type.as_str()),
            "pi_terms: {} twice",
            t.pi_type
        );
    }
    assert_eq!(kb.pi_types.len(), 25, "pi_types.yaml has 25 types");
    for p in &kb.pi_types {
        let n = kb
            .policy_terms
            .pi_terms
            .iter()
            .find(|t| t.pi_type == p.id)
            .map_or(0, |t| t.terms.len());
        assert!(n >= 3, "PI type {} has {n} terms (at least 3 wanted)", p.id);
    }
}

#[test]
fn pi_terms_are_well_formed_and_unambiguous() {
    let kb = kb();
    // term (folded) → PI type
    let mut owner: HashMap<String, &str> = HashMap::new();
    for t in &kb.policy_terms.pi_terms {
        for w in &t.terms {
            check_word(&format!("pi_terms {}", t.pi_type), w);
            if let Some(other) = owner.insert(fold(w), &t.pi_type) {
                panic!(
                    "term {w:?} is under {other} and {} (one PI type per term)",
                    t.pi_type
                );
            }
        }
    }
    for t in &kb.policy_terms.pi_terms {
        let own: Vec<String> = t.terms.iter().map(|w| fold(w)).collect();
        for n in &t.not {
            check_word(&format!("pi_terms {} not", t.pi_type), n);
            let f = fold(n);
            assert!(
                !owner.contains_key(&f),
                "{}: `not` phrase {n:?} is also a term of {}",
                t.pi_type,
                owner[&f]
            );
            assert!(
                own.iter().any(|w| f.contains(w.as_str())),
                "{}: `not` phrase {n:?} contains none of the type's terms",
                t.pi_type
            );
        }
        let mut seen = HashSet::new();
        for n in &t.not {
            assert!(seen.insert(fold(n)), "{}: `not` {n:?} twice", t.pi_type);
        }
    }
}

#[test]
fn permission_terms_name_known_permissions() {
    let kb = kb();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, g) in kb.policy_terms.permission_terms.iter().enumerate() {
        assert!(!g.terms.is_empty(), "permission group {i} has no terms");
        assert!(
            !g.permissions.is_empty(),
            "permission group {i} ({:?}) names no permission",
            g.terms
        );
        for p in &g.permissions {
            assert!(
                kb.permission(p).is_some(),
                "permission_terms: {p} is not in permissions.yaml"
            );
        }
        for w in &g.terms {
            check_word("permission_terms", w);
            if let Some(j) = seen.insert(fold(w), i) {
                panic!("permission term {w:?} is in groups {j} and {i}");
            }
        }
    }
    // The runtime permissions a policy must explain are all covered.
    let covered: HashSet<&str> = kb
        .policy_terms
        .permission_terms
        .iter()
        .flat_map(|g| g.permissions.iter().map(String::as_str))
        .collect();
    for p in kb
        .permissions
        .iter()
        .filter(|p| p.protection == pipa_kb::Protection::Dangerous && p.purpose_required)
    {
        // Call handover is a telephony-stack detail no policy words.
        if p.name == "android.permission.ACCEPT_HANDOVER" {
            continue;
        }
        assert!(
            covered.contains(p.name.as_str()),
            "dangerous permission {} has no policy words",
            p.name
        );
    }
}

/// The name forms the policy matcher registers for one name: as written,
/// without spaces, and without a trailing "SDK" (pipa-policy `lexicon.rs`).
fn variants(name: &str) -> Vec<String> {
    let compact: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = vec![name.trim().to_string(), compact.clone()];
    for suffix in ["SDK", "sdk", "Sdk"] {
        if let Some(s) = compact.strip_suffix(suffix) {
            out.push(s.trim_end_matches(['-', '_', ' ']).to_string());
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

#[test]
fn sdk_aliases_name_one_catalogue_entry() {
    let kb = kb();
    // catalogue name form (folded) → ids
    let mut catalogue: HashMap<String, HashSet<&str>> = HashMap::new();
    for s in &kb.sdks {
        for n in [&s.name.zh, &s.name.en] {
            for v in variants(n) {
                catalogue.entry(fold(&v)).or_default().insert(s.id.as_str());
            }
        }
    }
    let mut alias_owner: HashMap<String, &str> = HashMap::new();
    let mut ids = HashSet::new();
    for a in &kb.policy_terms.sdk_aliases {
        assert!(
            kb.sdk(&a.sdk).is_some(),
            "sdk_aliases: unknown SDK {}",
            a.sdk
        );
        assert!(ids.insert(a.sdk.as_str()), "sdk_aliases: {} twice", a.sdk);
        assert!(!a.names.is_empty(), "sdk_aliases: {} has no names", a.sdk);
        for n in &a.names {
            check_word(&format!("sdk_aliases {}", a.sdk), n);
            let as_written = fold(n.trim());
            if let Some(owners) = catalogue.get(&as_written) {
                assert!(
                    !owners.contains(a.sdk.as_str()),
                    "{}: alias {n:?} repeats the catalogue's own name",
                    a.sdk
                );
            }
            for v in variants(n) {
                let f = fold(&v);
                if let Some(owners) = catalogue.get(&f) {
                    let others: Vec<&&str> = owners.iter().filter(|o| **o != a.sdk).collect();
                    assert!(
                        others.is_empty(),
                        "{}: alias {n:?} is a catalogue name of {others:?}",
                        a.sdk
                    );
                }
                if let Some(other) = alias_owner.insert(f, &a.sdk) {
                    assert_eq!(other, a.sdk, "alias {n:?} names both {other} and {}", a.sdk);
                }
            }
        }
    }
}
