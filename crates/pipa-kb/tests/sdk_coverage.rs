//! Coverage of the embedded SDK catalogue (`kb/sdks/*.yaml`) against two
//! public checklists kept under `../shared/reference/` (outside the repository):
//!
//! * `exodus-trackers-signatures.json`: trackers, each with a `code_signature`
//!   of `|`-separated class-name prefixes (dots regex-escaped);
//! * `camille-sdk-prefixes.json`: `{sdk_name, package_name}` pairs.
//!
//! A checklist name is *covered* when one of its prefixes lies under a
//! catalogue `dex` prefix (the catalogue prefix is the same or a parent
//! package), and *partially covered* when only a more specific catalogue prefix
//! lies under one of its prefixes. The test prints the figures and the
//! uncovered names, and asserts floors so the coverage cannot silently drop.
//! It skips (with a notice) when the checklists are absent.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use pipa_kb::Kb;
use serde_json::Value;

/// Floors (percent of names, covered or partially covered); set a little
/// under the figures measured when the test was written.
const EXODUS_FLOOR: f64 = 18.0;
const CAMILLE_FLOOR: f64 = 22.0;

fn reference_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/reference"
    ))
}

/// How a catalogue relates to one checklist prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Cover {
    None,
    Partial,
    Full,
}

/// `inner` equals `outer` or lies under it as a package/class (`.` or `$` follows).
fn under(inner: &str, outer: &str) -> bool {
    inner == outer
        || (inner.starts_with(outer)
            && matches!(inner.as_bytes().get(outer.len()), Some(b'.' | b'$')))
}

/// Checklist prefix as a plain dotted name: regex escapes removed, trailing
/// dots trimmed. Leading-dot entries (`.tealium.`) are segment matches.
fn normalise(q: &str) -> (String, bool) {
    let q = q.trim().replace("\\.", ".").replace('\\', "");
    let floating = q.starts_with('.');
    (q.trim_matches('.').to_string(), floating)
}

fn cover(catalogue: &[&str], q: &str) -> Cover {
    let (q, floating) = normalise(q);
    if q.is_empty() {
        return Cover::None;
    }
    if floating {
        // A segment run anywhere in the name: `.tealium.` matches `com.tealium`.
        let needle = format!(".{q}");
        let hit = catalogue.iter().any(|p| {
            let p = format!(".{p}.");
            p.contains(&format!("{needle}."))
        });
        return if hit { Cover::Full } else { Cover::None };
    }
    if catalogue.iter().any(|p| under(&q, p)) {
        Cover::Full
    } else if catalogue.iter().any(|p| under(p, &q)) {
        Cover::Partial
    } else {
        Cover::None
    }
}

/// Name → best cover over its prefixes.
fn measure(
    catalogue: &[&str],
    checklist: &BTreeMap<String, Vec<String>>,
) -> BTreeMap<String, Cover> {
    checklist
        .iter()
        .map(|(name, prefixes)| {
            let best = prefixes
                .iter()
                .map(|q| cover(catalogue, q))
                .max()
                .unwrap_or(Cover::None);
            (name.clone(), best)
        })
        .collect()
}

fn read_json(path: &Path) -> Option<Value> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

fn exodus(dir: &Path) -> Option<BTreeMap<String, Vec<String>>> {
    let v = read_json(&dir.join("exodus-trackers-signatures.json"))?;
    let mut out = BTreeMap::new();
    for t in v.as_array()? {
        let name = t.get("name")?.as_str()?.to_string();
        let sig = t
            .get("code_signature")
            .and_then(Value::as_str)
            .unwrap_or("");
        let prefixes: Vec<String> = sig
            .split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        out.entry(name).or_insert_with(Vec::new).extend(prefixes);
    }
    Some(out)
}

fn camille(dir: &Path) -> Option<BTreeMap<String, Vec<String>>> {
    let v = read_json(&dir.join("camille-sdk-prefixes.json"))?;
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for e in v.as_array()? {
        let name = e.get("sdk_name")?.as_str()?.to_string();
        let prefix = e.get("package_name")?.as_str()?.to_string();
        out.entry(name).or_default().push(prefix);
    }
    Some(out)
}

/// Prints the figures; returns the percentage covered or partially covered.
fn report(list: &str, result: &BTreeMap<String, Cover>) -> f64 {
    let total = result.len();
    let full = result.values().filter(|c| **c == Cover::Full).count();
    let partial = result.values().filter(|c| **c == Cover::Partial).count();
    let pct = |n: usize| {
        if total == 0 {
            0.0
        } else {
            100.0 * n as f64 / total as f64
        }
    };
    println!(
        "{list}: covered {full}/{total} ({:.1}%), partially {partial} ({:.1}%), together {:.1}%",
        pct(full),
        pct(partial),
        pct(full + partial)
    );
    let partial_names: BTreeSet<&str> = result
        .iter()
        .filter(|(_, c)| **c == Cover::Partial)
        .map(|(n, _)| n.as_str())
        .collect();
    println!(
        "{list}: partially covered: {}",
        partial_names.into_iter().collect::<Vec<_>>().join(", ")
    );
    let uncovered: BTreeSet<&str> = result
        .iter()
        .filter(|(_, c)| **c == Cover::None)
        .map(|(n, _)| n.as_str())
        .collect();
    println!(
        "{list}: uncovered ({}): {}",
        uncovered.len(),
        uncovered.into_iter().collect::<Vec<_>>().join(", ")
    );
    pct(full + partial)
}

#[test]
fn normalise_and_cover() {
    let cat = [
        "com.appsflyer",
        "com.google.firebase.analytics",
        "com.tealium",
    ];
    assert_eq!(cover(&cat, "com.appsflyer."), Cover::Full);
    assert_eq!(cover(&cat, "com\\.appsflyer\\.internal"), Cover::Full);
    assert_eq!(cover(&cat, "com.appsflyerx"), Cover::None);
    assert_eq!(cover(&cat, "com.google.firebase."), Cover::Partial);
    assert_eq!(cover(&cat, ".tealium."), Cover::Full);
    assert_eq!(cover(&cat, ".sizmek."), Cover::None);
    assert_eq!(cover(&cat, ""), Cover::None);
}

#[test]
fn catalogue_covers_public_checklists() {
    let dir = reference_dir();
    if !dir.is_dir() {
        println!(
            "sdk_coverage: skipped, {} is absent (the checklists live outside the repository)",
            dir.display()
        );
        return;
    }
    let (Some(exodus), Some(camille)) = (exodus(&dir), camille(&dir)) else {
        println!(
            "sdk_coverage: skipped, the checklists under {} are missing or unreadable",
            dir.display()
        );
        return;
    };
    let kb = Kb::load_embedded().expect("the embedded knowledge base loads");
    let catalogue: Vec<&str> = kb
        .sdks
        .iter()
        .flat_map(|s| s.signatures.dex.iter().map(String::as_str))
        .collect();
    println!(
        "sdk_coverage: {} catalogue entries, {} dex prefixes",
        kb.sdks.len(),
        catalogue.len()
    );
    let no_code = exodus.values().filter(|v| v.is_empty()).count();
    println!("exodus: {no_code} trackers have no code signature (network only)");
    let e = report("exodus", &measure(&catalogue, &exodus));
    let c = report("camille", &measure(&catalogue, &camille));
    assert!(
        e >= EXODUS_FLOOR,
        "exodus coverage {e:.1}% fell under the floor {EXODUS_FLOOR}%"
    );
    assert!(
        c >= CAMILLE_FLOOR,
        "camille coverage {c:.1}% fell under the floor {CAMILLE_FLOOR}%"
    );
}
