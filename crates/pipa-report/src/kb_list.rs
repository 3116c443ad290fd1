//! `pipa kb …`: browse the knowledge base as text or JSON, optionally filtered.

use crate::Lang;
use crate::fmt::{self, pair, short};
use pipa_kb::Kb;
use serde::Serialize;
use std::fmt::Write;

/// A table of the knowledge base.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KbTable {
    /// Legal items.
    Rules,
    /// Sensitive APIs.
    Apis,
    /// Android permissions.
    Permissions,
    /// The PI vocabulary.
    PiTypes,
    /// The third-party SDK catalogue.
    Sdks,
}

/// True when `filter` (case-insensitive) occurs anywhere in the entry's JSON
/// form (ids, names, texts, tags); no filter matches everything.
fn matches<T: Serialize>(entry: &T, filter: Option<&str>) -> bool {
    let Some(f) = filter else { return true };
    let f = f.to_lowercase();
    serde_json::to_string(entry)
        .map(|s| s.to_lowercase().contains(&f))
        .unwrap_or(false)
}

fn select<'k, T: Serialize>(v: &'k [T], filter: Option<&str>) -> Vec<&'k T> {
    v.iter().filter(|e| matches(*e, filter)).collect()
}

/// The entries of `table` matching `filter`, as a pretty JSON array (with a final newline).
pub fn kb_json(kb: &Kb, table: KbTable, filter: Option<&str>) -> serde_json::Result<String> {
    let mut s = match table {
        KbTable::Rules => serde_json::to_string_pretty(&select(&kb.rules, filter)),
        KbTable::Apis => serde_json::to_string_pretty(&select(&kb.apis, filter)),
        KbTable::Permissions => serde_json::to_string_pretty(&select(&kb.permissions, filter)),
        KbTable::PiTypes => serde_json::to_string_pretty(&select(&kb.pi_types, filter)),
        KbTable::Sdks => serde_json::to_string_pretty(&select(&kb.sdks, filter)),
    }?;
    s.push('\n');
    Ok(s)
}

/// The entries of `table` matching `filter`, one per line in aligned
/// columns, with a count at the end.
pub fn kb_text(kb: &Kb, table: KbTable, filter: Option<&str>, lang: Lang) -> String {
    let rows: Vec<Vec<String>> = match table {
        KbTable::Rules => select(&kb.rules, filter)
            .into_iter()
            .map(|r| {
                vec![
                    r.id.clone(),
                    fmt::trust(r.verbatim, r.status, lang),
                    short(&r.title, lang),
                ]
            })
            .collect(),
        KbTable::Apis => select(&kb.apis, filter)
            .into_iter()
            .map(|a| {
                vec![
                    a.id.clone(),
                    a.pi_type.clone(),
                    a.display_name(),
                    a.permissions
                        .iter()
                        .map(|p| crate::summary::short_permission(p))
                        .collect::<Vec<_>>()
                        .join(","),
                ]
            })
            .collect(),
        KbTable::Permissions => select(&kb.permissions, filter)
            .into_iter()
            .map(|p| {
                let prot = serde_json::to_value(p.protection)
                    .ok()
                    .and_then(|x| x.as_str().map(str::to_string))
                    .unwrap_or_default();
                vec![
                    p.name.clone(),
                    prot,
                    p.pi_types.join(","),
                    match lang {
                        Lang::Both => format!("{} · {}", p.name_zh, short(&p.description, lang)),
                        Lang::Zh => format!("{} · {}", p.name_zh, p.description.zh),
                        Lang::En => p.description.en.clone(),
                    },
                ]
            })
            .collect(),
        KbTable::PiTypes => select(&kb.pi_types, filter)
            .into_iter()
            .map(|t| {
                vec![
                    t.id.clone(),
                    if t.sensitive {
                        pair("敏感", "sensitive", lang)
                    } else {
                        "-".to_string()
                    },
                    short(&t.name, lang),
                ]
            })
            .collect(),
        KbTable::Sdks => select(&kb.sdks, filter)
            .into_iter()
            .map(|x| {
                vec![
                    x.id.clone(),
                    match lang {
                        Lang::Both | Lang::Zh => x.category.zh().to_string(),
                        Lang::En => x.category.as_str().to_string(),
                    },
                    short(&x.name, lang),
                    match lang {
                        Lang::Both | Lang::Zh if !x.vendor.zh.is_empty() => x.vendor.zh.clone(),
                        _ => x.vendor.en.clone(),
                    },
                    x.collects.join(","),
                ]
            })
            .collect(),
    };
    let n = rows.len();
    let mut s = fmt::table(&rows, "");
    let _ = writeln!(
        s,
        "{}",
        match lang {
            Lang::Both => format!("共 {n} 条 / {n} {}", fmt::plural(n, "entry", "entries")),
            Lang::Zh => format!("共 {n} 条"),
            Lang::En => format!("{n} {}", fmt::plural(n, "entry", "entries")),
        }
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::kb;

    #[test]
    fn filters_and_formats() {
        let kb = kb();
        let all = kb_text(&kb, KbTable::Rules, None, Lang::Both);
        assert!(all.contains("共 32 条"), "{all}");
        let one = kb_text(&kb, KbTable::Rules, Some("pipl"), Lang::En);
        assert!(one.starts_with("PIPL-51"), "{one}");
        assert!(one.contains("1 entry") && !one.contains("1 entries"));
        let json = kb_json(&kb, KbTable::PiTypes, Some("LOCATION")).expect("json");
        let v: serde_json::Value = serde_json::from_str(&json).expect("parses");
        assert_eq!(v.as_array().map(Vec::len), Some(1));
        assert_eq!(v[0]["id"], "location");
        let t = kb_text(&kb, KbTable::PiTypes, None, Lang::Both);
        let loc = t
            .lines()
            .find(|l| l.starts_with("location "))
            .expect("location");
        assert!(
            loc.contains("  敏感 sensitive  位置信息 / Location"),
            "{loc}"
        );
    }

    #[test]
    fn embedded_kb_lists() {
        let kb = Kb::embedded();
        for t in [
            KbTable::Rules,
            KbTable::Apis,
            KbTable::Permissions,
            KbTable::PiTypes,
            KbTable::Sdks,
        ] {
            let json = kb_json(kb, t, None).expect("json");
            assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
            assert!(kb_text(kb, t, None, Lang::Both).contains(" 条"));
        }
    }
}
