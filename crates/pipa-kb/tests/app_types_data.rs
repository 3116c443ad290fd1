//! Validation of `kb/app_types.yaml`: the 39 app types of the 2021 rule on
//! necessary PI (国信办秘字〔2021〕14号) are complete, in order, resolvable by
//! every name a user may type, mapped only to known PI ids, and — where the
//! research file is present — verbatim.

use std::collections::HashSet;

use pipa_kb::{AppType, Kb};

fn kb() -> Kb {
    Kb::load_embedded().expect("every kb/*.yaml file parses into the model")
}

fn assert_unique<'a>(what: &str, items: impl IntoIterator<Item = &'a str>) {
    let mut seen = HashSet::new();
    let dups: Vec<&str> = items.into_iter().filter(|x| !seen.insert(*x)).collect();
    assert!(dups.is_empty(), "duplicate {what}: {dups:?}");
}

fn is_snake_case(s: &str) -> bool {
    !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && !s.ends_with('_')
        && !s.contains("__")
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[test]
fn thirty_nine_types_in_order() {
    let kb = kb();
    assert_eq!(kb.app_types.len(), 39, "the rule lists 39 types");
    for (i, t) in kb.app_types.iter().enumerate() {
        assert_eq!(t.seq as usize, i + 1, "{}: seq out of order", t.id);
    }
    assert_eq!(
        kb.app_types.iter().filter(|t| t.no_pi_required).count(),
        13,
        "the rule names 13 types that need no PI"
    );
}

#[test]
fn ids_names_and_aliases_are_unique() {
    let kb = kb();
    for t in &kb.app_types {
        assert!(is_snake_case(&t.id), "id `{}` is not snake_case", t.id);
        assert!(t.name.zh.ends_with('类'), "{}: name `{}`", t.id, t.name.zh);
        assert!(!t.name.en.trim().is_empty(), "{}: no English name", t.id);
        assert!(
            !t.basic_function.zh.trim().is_empty(),
            "{}: no basic function",
            t.id
        );
        assert!(
            !t.basic_function.en.trim().is_empty(),
            "{}: no English basic function",
            t.id
        );
        for a in &t.aliases {
            assert!(!a.trim().is_empty(), "{}: empty alias", t.id);
            assert_ne!(a, &t.name.zh, "{}: alias repeats the name", t.id);
        }
    }
    assert_unique("app type ids", kb.app_types.iter().map(|t| t.id.as_str()));
    assert_unique(
        "app type zh names",
        kb.app_types.iter().map(|t| t.name.zh.as_str()),
    );
    assert_unique(
        "app type en names",
        kb.app_types.iter().map(|t| t.name.en.as_str()),
    );
    assert_unique(
        "aliases",
        kb.app_types
            .iter()
            .flat_map(|t| t.aliases.iter().map(String::as_str)),
    );
}

#[test]
fn mapping_is_well_formed() {
    let kb = kb();
    for t in &kb.app_types {
        assert_eq!(
            t.no_pi_required,
            t.necessary.is_empty(),
            "{}: no_pi_required must hold exactly when necessary is empty",
            t.id
        );
        for c in &t.necessary {
            assert!(!c.text.trim().is_empty(), "{}: empty clause", t.id);
            for p in &c.pi_types {
                assert!(
                    kb.pi_type(p).is_some(),
                    "{} `{}`: unknown PI type {p}",
                    t.id,
                    c.text
                );
            }
            assert_unique(
                &format!("PI types of {} `{}`", t.id, c.text),
                c.pi_types.iter().map(String::as_str),
            );
            if c.pi_types.is_empty() {
                assert!(
                    c.note.as_deref().is_some_and(|n| !n.trim().is_empty()),
                    "{} `{}`: a clause mapped to no PI type needs a note",
                    t.id,
                    c.text
                );
            }
        }
        assert!(!t.sources.is_empty(), "{}: no source", t.id);
        for s in &t.sources {
            assert!(kb.source(s).is_some(), "{}: unknown source {s}", t.id);
        }
    }
}

/// The registered user's phone number is necessary wherever the rule says so,
/// and the types that need PI map at least one clause to a PI type.
#[test]
fn every_type_needing_pi_maps_something() {
    let kb = kb();
    for t in kb.app_types.iter().filter(|t| !t.no_pi_required) {
        assert!(
            t.necessary.iter().any(|c| !c.pi_types.is_empty()),
            "{}: no clause maps to a PI type",
            t.id
        );
        for c in t
            .necessary
            .iter()
            .filter(|c| c.text == "注册用户移动电话号码")
        {
            assert_eq!(c.pi_types, ["phone_number"], "{}", t.id);
        }
    }
}

fn assert_finds(kb: &Kb, query: &str, t: &AppType) {
    let found = kb.app_type(query).map(|f| f.id.as_str());
    assert_eq!(found, Some(t.id.as_str()), "query `{query}`");
}

#[test]
fn every_name_a_user_may_type_finds_its_type() {
    let kb = kb();
    for t in &kb.app_types {
        assert_finds(&kb, &t.seq.to_string(), t);
        assert_finds(&kb, &t.id, t);
        assert_finds(&kb, &t.name.zh, t);
        assert_finds(&kb, &t.name.en, t);
        let bare = t.name.zh.strip_suffix('类').expect("name ends in 类");
        assert_finds(&kb, bare, t);
        for a in &t.aliases {
            assert_finds(&kb, a, t);
            assert_finds(&kb, &format!(" {a} "), t);
        }
    }
    assert!(kb.app_type("0").is_none());
    assert!(kb.app_type("40").is_none());
    assert!(kb.app_type("no such type").is_none());
}

/// One type of `necessary_pi_39.yaml`: (seq, name, basic function, clauses).
type SharedType = (u64, String, String, Vec<String>);

/// Reads the types out of the research file with the YAML parser; clause
/// texts lose their trailing `；`/`。`, as in `kb/app_types.yaml`.
fn shared_types(text: &str) -> Vec<SharedType> {
    let doc: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(text).expect("necessary_pi_39.yaml parses");
    doc["types"]
        .as_sequence()
        .expect("types")
        .iter()
        .map(|t| {
            let clauses = t["necessary_pi_zh"]
                .as_sequence()
                .expect("necessary_pi_zh")
                .iter()
                .map(|c| {
                    c.as_str()
                        .expect("clause text")
                        .trim_end_matches(['；', '。'])
                        .to_string()
                })
                .collect();
            (
                t["seq"].as_u64().expect("seq"),
                t["type_zh"].as_str().expect("type_zh").to_string(),
                t["basic_function_zh"]
                    .as_str()
                    .expect("basic_function_zh")
                    .to_string(),
                clauses,
            )
        })
        .collect()
}

#[test]
fn verbatim_texts_match_research_file() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/regs/necessary_pi_39.yaml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!(
            "notice: {} not present; verbatim comparison of the 39 app types skipped",
            path.display()
        );
        return;
    };
    let kb = kb();
    let shared = shared_types(&text);
    assert_eq!(shared.len(), 39);
    for ((seq, name, basic, clauses), t) in shared.iter().zip(&kb.app_types) {
        assert_eq!(u64::from(t.seq), *seq, "{}: seq", t.id);
        assert_eq!(
            &t.name.zh, name,
            "{}: name differs from the research file",
            t.id
        );
        assert_eq!(
            &t.basic_function.zh, basic,
            "{}: basic function differs from the research file",
            t.id
        );
        let ours: Vec<&str> = t.necessary.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            ours, *clauses,
            "{}: clauses differ from the research file",
            t.id
        );
    }
}
