//! Oracle test: our binary XML and resource table readers against Debian's
//! `aapt` on real APKs (androguard's examples and `/work/shared/corpus/apk`).
//!
//! For every APK: `AndroidManifest.xml` must give the same elements in the
//! same order with the same attributes (resource id, pooled name, type and
//! data or string) as `aapt dump xmltree`; every value of `aapt dump --values
//! resources` must be found in `values(id)` under the same configuration;
//! `application-label:` of `aapt dump badging` must equal `resolve_string`.
//! Missing folders or tools: a notice, and the test passes. Files aapt cannot
//! read are skipped with a notice, but are still parsed (no panic allowed).

use pipa_android::arsc::{self, ResValue};
use pipa_android::axml::{self, Element, Value};
use pipa_core::{AnomalySink, Limits};
use pipa_testkit::{
    ANDROGUARD_EXAMPLES, aapt_normalize, apks_under, corpus_dir, have_tool, run_stdout,
    unzip_entry, zip_entry_names,
};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The APKs of the androguard examples and the shared corpus, sorted.
fn apks() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in [PathBuf::from(ANDROGUARD_EXAMPLES), corpus_dir()] {
        if !p.is_dir() {
            eprintln!("notice: {} absent; skipped", p.display());
            continue;
        }
        out.extend(apks_under(&p));
    }
    out.sort();
    out
}

fn aapt(args: &[&str], file: &Path, extra: &[&str]) -> Option<String> {
    run_stdout(Command::new("aapt").args(args).arg(file).args(extra))
}

#[derive(Debug)]
enum AVal {
    Str(String),
    Typed(u8, u32),
}

#[derive(Debug)]
struct AAttr {
    name: String,
    id: Option<u32>,
    val: AVal,
}

#[derive(Debug)]
struct AElem {
    name: String,
    attrs: Vec<AAttr>,
}

/// Reads a `"..."` literal with aapt's escapes at the start of `s`.
fn quoted(s: &str) -> Option<(String, &str)> {
    let s = s.strip_prefix('"')?;
    let mut out = String::new();
    let mut it = s.char_indices();
    while let Some((i, c)) = it.next() {
        match c {
            '\\' => {
                let (_, n) = it.next()?;
                out.push('\\');
                out.push(n);
            }
            '"' => return Some((out, s.get(i + 1..)?)),
            c => out.push(c),
        }
    }
    None
}

fn parse_xmltree(text: &str) -> Vec<AElem> {
    let mut out: Vec<AElem> = Vec::new();
    for line in text.lines() {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("E: ") {
            let name = rest.rsplit_once(" (line=").map_or(rest, |(n, _)| n);
            out.push(AElem {
                name: name.to_owned(),
                attrs: Vec::new(),
            });
        } else if let Some(rest) = t.strip_prefix("A: ") {
            let Some(eq) = rest.find(")=").map(|i| i + 1).or_else(|| rest.find('=')) else {
                continue;
            };
            let (left, v) = (&rest[..eq], &rest[eq + 1..]);
            let (name, id) = match left.rfind("(0x") {
                Some(i) if left.ends_with(')') => (
                    &left[..i],
                    u32::from_str_radix(&left[i + 3..left.len() - 1], 16).ok(),
                ),
                _ => (left, None),
            };
            let val = if v.starts_with("(null)") {
                AVal::Typed(0, 0)
            } else if let Some(r) = v.strip_prefix('@') {
                AVal::Typed(1, hex(r))
            } else if let Some(r) = v.strip_prefix('?') {
                AVal::Typed(2, hex(r))
            } else if let Some(r) = v.strip_prefix("(type ") {
                let (ty, d) = r.split_once(')').unwrap_or((r, "0"));
                AVal::Typed(hex(ty) as u8, hex(d))
            } else if let Some((s, _)) = quoted(v) {
                AVal::Str(s)
            } else {
                AVal::Str(format!("<unparsed {v}>"))
            };
            if let Some(e) = out.last_mut() {
                e.attrs.push(AAttr {
                    name: name.to_owned(),
                    id,
                    val,
                });
            }
        }
    }
    out
}

fn hex(s: &str) -> u32 {
    let s = s.trim().trim_start_matches("0x");
    let end = s.find(|c: char| !c.is_ascii_hexdigit()).unwrap_or(s.len());
    u32::from_str_radix(&s[..end], 16).unwrap_or(0)
}

/// Names of up to `max` `res/**.xml` entries of the APK.
fn res_xml_names(path: &Path, max: usize) -> Vec<String> {
    let mut names = zip_entry_names(path).unwrap_or_default();
    names.retain(|n| n.starts_with("res/") && n.ends_with(".xml"));
    names.sort();
    names.truncate(max);
    names
}

#[derive(Default, Debug)]
struct Counts {
    apks: usize,
    res_xml_compared: usize,
    res_xml_text: usize,
    zip_unreadable: usize,
    no_manifest: usize,
    aapt_failed: usize,
    ours_failed: usize,
    compared: usize,
    elements: usize,
    attributes: usize,
    xml_mismatch: usize,
    arsc_files: usize,
    arsc_values: usize,
    arsc_value_mismatch: usize,
    arsc_config_name_mismatch: usize,
    arsc_name_mismatch: usize,
    labels: usize,
    label_mismatch: usize,
}

fn compare_manifest(
    path: &Path,
    aapt_text: &str,
    root: &Element,
    c: &mut Counts,
    log: &mut Vec<String>,
) {
    let theirs = parse_xmltree(aapt_text);
    let ours = root.walk();
    if theirs.len() != ours.len() {
        c.xml_mismatch += 1;
        log.push(format!(
            "{}: {} elements vs aapt {}",
            path.display(),
            ours.len(),
            theirs.len()
        ));
    }
    for ((_, e), a) in ours.iter().zip(theirs.iter()) {
        c.elements += 1;
        let name_ok = match &e.namespace {
            Some(_) => a.name.ends_with(&format!(":{}", e.name)),
            None => a.name == e.name,
        };
        if !name_ok {
            c.xml_mismatch += 1;
            log.push(format!(
                "{}: element {:?} vs aapt {:?}",
                path.display(),
                e.name,
                a.name
            ));
            continue;
        }
        if e.attributes.len() != a.attrs.len() {
            c.xml_mismatch += 1;
            log.push(format!(
                "{}: <{}> has {} attributes vs aapt {}",
                path.display(),
                e.name,
                e.attributes.len(),
                a.attrs.len()
            ));
        }
        for (ours, theirs) in e.attributes.iter().zip(a.attrs.iter()) {
            c.attributes += 1;
            let name_ok = match &ours.namespace {
                Some(_) => theirs.name.ends_with(&format!(":{}", ours.pooled_name)),
                None => theirs.name == ours.pooled_name,
            };
            let id_ok = theirs.id == ours.resource_id;
            let val_ok = match (&theirs.val, &ours.value) {
                (AVal::Str(s), Value::String(o)) => *s == aapt_normalize(o),
                (AVal::Typed(t, d), _) => *t == ours.data_type && *d == ours.data,
                _ => false,
            };
            if !(name_ok && id_ok && val_ok) {
                c.xml_mismatch += 1;
                log.push(format!(
                    "{}: <{}> attribute {:?}/{:?} = {:?} vs aapt {:?}",
                    path.display(),
                    e.name,
                    ours.pooled_name,
                    ours.resource_id,
                    ours.value,
                    theirs
                ));
            }
        }
    }
}

/// Whether our decoded value is aapt's `t=0x.. d=0x..`.
fn same_typed(v: &Value, t: u8, d: u32) -> bool {
    match v {
        Value::Null => t == 0,
        Value::Reference(r) => (t == 1 || t == 7) && *r == d,
        Value::AttributeRef(r) => (t == 2 || t == 8) && *r == d,
        Value::String(_) => t == 3,
        Value::Float(f) => t == 4 && f.to_bits() == d,
        Value::Dimension(x) => t == 5 && *x == d,
        Value::Fraction(x) => t == 6 && *x == d,
        Value::Int(i) => t == 0x10 && *i as u32 == d,
        Value::Hex(h) => t == 0x11 && *h == d,
        Value::Bool(b) => t == 0x12 && *b == (d != 0),
        Value::Color(c) => (0x1c..=0x1f).contains(&t) && *c == d,
        Value::Other { data_type, data } => *data_type == t && *data == d,
    }
}

fn compare_resources(
    path: &Path,
    text: &str,
    table: &arsc::ResourceTable,
    c: &mut Counts,
    log: &mut Vec<String>,
) {
    let mut config = String::new();
    let mut pending: Option<(u32, String, u8, u32)> = None;
    let check = |pending: &Option<(u32, String, u8, u32)>,
                 string: Option<String>,
                 config: &str,
                 c: &mut Counts,
                 log: &mut Vec<String>| {
        let Some((id, name, t, d)) = pending else {
            return;
        };
        c.arsc_values += 1;
        let want_cfg = if config == "(default)" {
            "default"
        } else {
            config
        };
        let vals = table.values(*id);
        let same_val = |v: &ResValue| match v {
            ResValue::Value(Value::String(s)) => {
                *t == 3 && string.as_ref().is_none_or(|w| *w == aapt_normalize(s))
            }
            ResValue::Value(v) => same_typed(v, *t, *d),
            ResValue::Bag { .. } => *t == 0xff,
        };
        let exact = vals
            .iter()
            .any(|(cfg, v)| cfg.to_string() == want_cfg && same_val(v));
        if !exact {
            if vals.iter().any(|(_, v)| same_val(v)) {
                c.arsc_config_name_mismatch += 1;
                if c.arsc_config_name_mismatch <= 10 {
                    log.push(format!(
                        "{}: {id:#010x} config {want_cfg:?} not among ours {:?}",
                        path.display(),
                        vals.iter().map(|(c, _)| c.to_string()).collect::<Vec<_>>()
                    ));
                }
            } else {
                c.arsc_value_mismatch += 1;
                log.push(format!(
                    "{}: {id:#010x} [{want_cfg}] t={t:#x} d={d:#x} {string:?}: ours {vals:?}",
                    path.display()
                ));
            }
        }
        let tn = name.split_once(':').map_or(name.as_str(), |(_, n)| n);
        match table.name_of(*id) {
            Some(n) if n == tn || n.ends_with(&format!(":{tn}")) => {}
            other => {
                c.arsc_name_mismatch += 1;
                if c.arsc_name_mismatch <= 10 {
                    log.push(format!(
                        "{}: name of {id:#010x}: {other:?} vs aapt {name}",
                        path.display()
                    ));
                }
            }
        }
    };
    for line in text.lines() {
        let l = line.trim();
        if let Some(cfg) = l.strip_prefix("config ").and_then(|r| r.strip_suffix(':')) {
            check(&pending, None, &config, c, log);
            pending = None;
            config = cfg.to_owned();
        } else if let Some(r) = l.strip_prefix("resource 0x") {
            check(&pending, None, &config, c, log);
            pending = None;
            let (id, rest) = r.split_once(' ').unwrap_or((r, ""));
            let id = u32::from_str_radix(id, 16).unwrap_or(0);
            let Some((name, v)) = rest.split_once(": ") else {
                continue;
            };
            if v.starts_with("<bag>") {
                pending = Some((id, name.to_owned(), 0xff, 0));
            } else if let Some(tv) = v.strip_prefix("t=") {
                let (t, rest) = tv.split_once(' ').unwrap_or((tv, ""));
                let d = rest.strip_prefix("d=").map(hex).unwrap_or(0);
                pending = Some((id, name.to_owned(), hex(t) as u8, d));
            }
        } else if l.starts_with("(string8) ") || l.starts_with("(string16) ") {
            let s = l
                .split_once(' ')
                .and_then(|(_, q)| quoted(q))
                .map(|(s, _)| s);
            check(&pending, s, &config, c, log);
            pending = None;
        } else if l.starts_with("type ") || l.starts_with("Package") || l.starts_with("spec ") {
            check(&pending, None, &config, c, log);
            pending = None;
        }
    }
    check(&pending, None, &config, c, log);
}

#[test]
fn manifests_and_resources_match_aapt() {
    if !have_tool("aapt") {
        eprintln!("notice: aapt not installed; oracle test skipped");
        return;
    }
    let limits = Limits::default();
    let mut c = Counts::default();
    let mut log = Vec::new();
    let mut tally: std::collections::BTreeMap<&'static str, usize> = Default::default();
    for path in apks() {
        c.apks += 1;
        let manifest = match unzip_entry(&path, "AndroidManifest.xml") {
            Ok(Some(m)) => m,
            Ok(None) => {
                c.no_manifest += 1;
                continue;
            }
            Err(e) => {
                c.zip_unreadable += 1;
                eprintln!(
                    "notice: {}: zip crate cannot read it ({e}); skipped",
                    path.display()
                );
                continue;
            }
        };
        let mut sink = AnomalySink::default();
        let ours = axml::parse_xml(&manifest, "AndroidManifest.xml", &limits, &mut sink);
        for a in sink.items() {
            *tally.entry(a.code).or_default() += 1;
        }
        let theirs = aapt(&["dump", "xmltree"], &path, &["AndroidManifest.xml"]);
        let doc = match (ours, theirs) {
            (Ok(doc), Some(t)) => {
                c.compared += 1;
                compare_manifest(&path, &t, &doc.root, &mut c, &mut log);
                Some(doc)
            }
            (Ok(doc), None) => {
                c.aapt_failed += 1;
                eprintln!(
                    "notice: {}: aapt cannot dump the manifest; ours read it",
                    path.display()
                );
                Some(doc)
            }
            (Err(e), Some(_)) => {
                c.ours_failed += 1;
                log.push(format!(
                    "{}: aapt reads the manifest, we fail: {e}",
                    path.display()
                ));
                None
            }
            (Err(_), None) => {
                c.aapt_failed += 1;
                None
            }
        };
        // A few res/**.xml files per APK (layouts, xml, drawables).
        for name in res_xml_names(&path, 8) {
            let Ok(Some(bytes)) = unzip_entry(&path, &name) else {
                continue;
            };
            let mut sink = AnomalySink::default();
            let ours = axml::parse_xml(&bytes, &name, &limits, &mut sink);
            let theirs = aapt(&["dump", "xmltree"], &path, &[&name]);
            match (ours, theirs) {
                (Ok(doc), Some(t)) => {
                    c.res_xml_compared += 1;
                    compare_manifest(&path, &t, &doc.root, &mut c, &mut log);
                }
                (Err(axml::AxmlError::TextXml), _) => c.res_xml_text += 1,
                (Err(e), Some(t)) if !t.trim().is_empty() => {
                    c.ours_failed += 1;
                    log.push(format!(
                        "{}!{name}: aapt reads it, we fail: {e}",
                        path.display()
                    ));
                }
                _ => {}
            }
        }
        let Ok(Some(arsc_bytes)) = unzip_entry(&path, "resources.arsc") else {
            continue;
        };
        let mut sink = AnomalySink::default();
        let Ok(table) = arsc::parse_arsc(&arsc_bytes, "resources.arsc", &mut sink) else {
            continue;
        };
        for a in sink.items() {
            *tally.entry(a.code).or_default() += 1;
        }
        if let Some(text) = aapt(&["dump", "--values", "resources"], &path, &[]) {
            c.arsc_files += 1;
            compare_resources(&path, &text, &table, &mut c, &mut log);
        }
        // application-label of badging vs resolve_string of the label.
        let Some(doc) = doc else { continue };
        let Some(badging) = aapt(&["dump", "badging"], &path, &[]) else {
            continue;
        };
        let Some(want) = badging
            .lines()
            .find_map(|l| l.strip_prefix("application-label:"))
            .map(|l| l.trim_matches('\''))
        else {
            continue;
        };
        let label = doc
            .root
            .children_named("application")
            .next()
            .and_then(|a| a.android_attr("label"));
        let got = match label.map(|a| &a.value) {
            Some(Value::Reference(id)) => table.resolve_string(*id),
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        };
        c.labels += 1;
        if got.as_deref().map(aapt_normalize).as_deref() != Some(want) {
            c.label_mismatch += 1;
            log.push(format!(
                "{}: label {got:?} vs aapt {want:?}",
                path.display()
            ));
        }
    }
    for l in log.iter().take(60) {
        eprintln!("mismatch: {l}");
    }
    eprintln!("axml oracle counts: {c:#?}");
    eprintln!("anomalies seen: {tally:#?}");
    assert_eq!(c.xml_mismatch, 0, "manifest mismatches against aapt");
    assert_eq!(c.ours_failed, 0, "manifests aapt reads but we do not");
    assert_eq!(
        c.arsc_value_mismatch, 0,
        "resource values differing from aapt"
    );
    assert_eq!(
        c.arsc_config_name_mismatch, 0,
        "configuration names differing from aapt"
    );
    assert_eq!(
        c.arsc_name_mismatch, 0,
        "resource names differing from aapt"
    );
    assert_eq!(
        c.label_mismatch, 0,
        "application labels differing from aapt"
    );
}
