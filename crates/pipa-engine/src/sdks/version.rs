//! Reading an SDK's version where its catalogue entry says it can be read.

use pipa_android::Apk;
use pipa_dex::{CodeIndex, StaticValue};
use pipa_kb::{Sdk, SdkGeneration};

/// Longest version text kept (a hostile file could put anything there).
const MAX_LEN: usize = 40;

/// The first version the entry's sources give, trimmed; `None` when none
/// can be read.
pub(crate) fn read(apk: &Apk<'_>, index: &CodeIndex<'_>, sdk: &Sdk) -> Option<String> {
    sdk.version.iter().find_map(|src| {
        let v = if let Some(f) = &src.field {
            field(index, f)
        } else if let Some(s) = &src.string {
            string(index, &s.class, &s.pattern)
        } else if let Some(key) = &src.meta_data {
            apk.manifest
                .meta_data
                .iter()
                .find(|m| &m.name == key)
                .and_then(|m| m.value.clone())
        } else if let Some(path) = &src.file {
            file(apk, path)
        } else {
            None
        }?;
        clean(&v)
    })
}

fn clean(v: &str) -> Option<String> {
    // `key=value` (Play services `.properties`) and `name:value` (HMS
    // `base:6.11.0.300`) forms keep the value.
    let v = v
        .lines()
        .find_map(|l| l.trim().strip_prefix("version="))
        .unwrap_or(v);
    let v = v.rsplit(':').next().unwrap_or(v).trim();
    let ok = !v.is_empty()
        && v.len() <= MAX_LEN
        && v.chars().any(|c| c.is_ascii_digit())
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+'));
    ok.then(|| v.to_string())
}

/// `Lx/Y;->NAME` (optionally `:Ljava/lang/String;`): the constant value of a
/// static final field.
fn field(index: &CodeIndex<'_>, f: &str) -> Option<String> {
    let (class, rest) = f.split_once("->")?;
    let name = rest.split(':').next().unwrap_or(rest);
    for d in index.dexes() {
        let Some(t) = d.find_type(class) else {
            continue;
        };
        let Some(cd) = d.class_defs().find(|c| c.class_idx == t) else {
            continue;
        };
        for (fidx, v) in d.static_values(&cd) {
            let StaticValue::String(s) = v else { continue };
            let Some(fr) = d.field_ref(fidx) else {
                continue;
            };
            if fr.name == name {
                return d.string(s).map(|x| x.into_owned());
            }
        }
    }
    None
}

/// The first string constant loaded in `class`'s methods that matches `pattern`.
fn string(index: &CodeIndex<'_>, class: &str, pattern: &str) -> Option<String> {
    let re = regex::Regex::new(pattern).ok()?;
    for (n, d) in index.dexes().iter().enumerate() {
        let Ok(n) = u16::try_from(n) else { break };
        let Some(t) = d.find_type(class) else {
            continue;
        };
        let methods = d.methods_of_types(t..t + 1);
        if methods.is_empty() {
            continue;
        }
        for site in index.const_string_sites_in(n) {
            if !methods.contains(&site.caller) {
                continue;
            }
            let Some(s) = d.string(site.target) else {
                continue;
            };
            if let Some(c) = re.captures(&s) {
                let m = c.get(1).or_else(|| c.get(0))?;
                return Some(m.as_str().to_string());
            }
        }
    }
    None
}

/// A small text entry of the package (`META-INF/x.version`).
fn file(apk: &Apk<'_>, path: &str) -> Option<String> {
    let archive = apk.archive();
    let e = archive.entries().iter().find(|e| e.name == path)?;
    if e.uncompressed_size > 256 {
        return None;
    }
    let bytes = archive.read(e).ok()?;
    std::str::from_utf8(&bytes).ok().map(str::to_string)
}

/// The SDK's generation: the first of its `generations` whose marker the
/// dex defines; `None` when it lists none or no marker is defined.
pub(crate) fn generation<'k>(index: &CodeIndex<'_>, sdk: &'k Sdk) -> Option<&'k SdkGeneration> {
    sdk.generations.iter().find(|g| defines(index, &g.marker))
}

/// Whether some dex defines `marker`: a class `Lx/Y;`, or a method
/// `Lx/Y;->name` (the class defines a method of that name).
fn defines(index: &CodeIndex<'_>, marker: &str) -> bool {
    match marker.split_once("->") {
        Some((class, m)) => defines_method(index, class, m) == Some(true),
        None => index.dexes().iter().any(|d| {
            d.find_type(marker)
                .is_some_and(|t| d.class_defs().any(|c| c.class_idx == t))
        }),
    }
}

/// Whether the version embedded has API `Lx/Y;->name`: `None` when no dex
/// defines class `Lx/Y;` (absent, or renamed: nothing can be said), else
/// whether the class defines a method of that name.
pub(crate) fn api_defined(index: &CodeIndex<'_>, api: &str) -> Option<bool> {
    let (class, m) = api.split_once("->")?;
    defines_method(index, class, m)
}

fn defines_method(index: &CodeIndex<'_>, class: &str, method: &str) -> Option<bool> {
    let name = method.split('(').next().unwrap_or(method);
    let mut class_seen = false;
    for d in index.dexes() {
        let Some(t) = d.find_type(class) else {
            continue;
        };
        let Some(cd) = d.class_defs().find(|c| c.class_idx == t) else {
            continue;
        };
        class_seen = true;
        let Some(n) = d.find_string(name) else {
            continue;
        };
        let named = d.methods_named(t, n);
        let has = d.class_data(&cd).is_some_and(|data| {
            data.direct_methods
                .iter()
                .chain(&data.virtual_methods)
                .any(|m| named.contains(&m.method_idx))
        });
        if has {
            return Some(true);
        }
    }
    class_seen.then_some(false)
}
