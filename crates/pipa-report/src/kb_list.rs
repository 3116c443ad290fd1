//! `pipa kb …`: browse the knowledge base as text or JSON, optionally filtered.

use crate::Lang;
use crate::fmt::{self, pad, pair, short};
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
    }?;
    s.push('\n');
    Ok(s)
}

/// The entries of `table` matching `filter`, one per line, with a count at the end.
pub fn kb_text(kb: &Kb, table: KbTable, filter: Option<&str>, lang: Lang) -> String {
    let mut s = String::new();
    let n = match table {
        KbTable::Rules => {
            let v = select(&kb.rules, filter);
            for r in &v {
                let _ = writeln!(
                    s,
                    "{}{}{}",
                    pad(&r.id, 12),
                    pad(&fmt::trust(r.verbatim, r.status, lang), 34),
                    short(&r.title, lang)
                );
            }
            v.len()
        }
        KbTable::Apis => {
            let v = select(&kb.apis, filter);
            for a in &v {
                let _ = writeln!(
                    s,
                    "{}{}{}{}",
                    pad(&a.id, 36),
                    pad(&a.pi_type, 16),
                    pad(&a.display_name(), 64),
                    a.permissions
                        .iter()
                        .map(|p| crate::summary::short_permission(p))
                        .collect::<Vec<_>>()
                        .join(",")
                );
            }
            v.len()
        }
        KbTable::Permissions => {
            let v = select(&kb.permissions, filter);
            for p in &v {
                let prot = serde_json::to_value(p.protection)
                    .ok()
                    .and_then(|x| x.as_str().map(str::to_string))
                    .unwrap_or_default();
                let _ = writeln!(
                    s,
                    "{}{}{}{}",
                    pad(&p.name, 56),
                    pad(&prot, 11),
                    pad(&p.pi_types.join(","), 24),
                    match lang {
                        Lang::Zh => format!("{} · {}", p.name_zh, short(&p.description, lang)),
                        Lang::En => p.description.en.clone(),
                    }
                );
            }
            v.len()
        }
        KbTable::PiTypes => {
            let v = select(&kb.pi_types, filter);
            for t in &v {
                let _ = writeln!(
                    s,
                    "{}{}{}",
                    pad(&t.id, 20),
                    pad(
                        &if t.sensitive {
                            pair("敏感", "sensitive", lang)
                        } else {
                            String::new()
                        },
                        16
                    ),
                    short(&t.name, lang)
                );
            }
            v.len()
        }
    };
    let _ = writeln!(
        s,
        "{}",
        match lang {
            Lang::Zh => format!("共 {n} 条 / {n} entries"),
            Lang::En => format!("{n} entries"),
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
        let all = kb_text(&kb, KbTable::Rules, None, Lang::Zh);
        assert!(all.contains("共 32 条"), "{all}");
        let one = kb_text(&kb, KbTable::Rules, Some("pipl"), Lang::En);
        assert!(one.starts_with("PIPL-51"), "{one}");
        assert!(one.contains("1 entries"));
        let json = kb_json(&kb, KbTable::PiTypes, Some("LOCATION")).expect("json");
        let v: serde_json::Value = serde_json::from_str(&json).expect("parses");
        assert_eq!(v.as_array().map(Vec::len), Some(1));
        assert_eq!(v[0]["id"], "location");
        let t = kb_text(&kb, KbTable::PiTypes, None, Lang::Zh);
        assert!(t.contains("location            敏感 sensitive"), "{t}");
    }

    #[test]
    fn embedded_kb_lists() {
        let kb = Kb::embedded();
        for t in [
            KbTable::Rules,
            KbTable::Apis,
            KbTable::Permissions,
            KbTable::PiTypes,
        ] {
            let json = kb_json(kb, t, None).expect("json");
            assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
            assert!(kb_text(kb, t, None, Lang::Zh).contains(" 条"));
        }
    }
}
