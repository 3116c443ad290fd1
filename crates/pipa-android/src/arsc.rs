//! Reader of `resources.arsc` (the compiled resource table).
//!
//! Follows AOSP's `LoadedArsc` (`libs/androidfw`): a table chunk holding the
//! global value string pool and one or more packages; each package holds its
//! type and key string pools, type specs and type chunks (dense, sparse
//! `FLAG_SPARSE`, or `FLAG_OFFSET16`), with simple, compact or complex (bag)
//! entries. Library, overlayable and staged-alias chunks are skipped. Hostile
//! tables (overrunning sizes, out-of-range offsets, unsorted sparse entries)
//! are tolerated and reported as `arsc.*` anomalies; nothing panics.

mod config;

#[cfg(test)]
mod tests;

use crate::axml::Value;
use crate::axml::pool::{Origin, StringPool, u8_at, u16_at, u32_at};
pub use config::Config;
use pipa_core::{AnomalySink, Severity};
use std::collections::BTreeMap;

const RES_STRING_POOL_TYPE: u16 = 0x0001;
const RES_TABLE_TYPE: u16 = 0x0002;
const RES_TABLE_PACKAGE_TYPE: u16 = 0x0200;
const RES_TABLE_TYPE_TYPE: u16 = 0x0201;
const RES_TABLE_TYPE_SPEC_TYPE: u16 = 0x0202;
const RES_TABLE_LIBRARY_TYPE: u16 = 0x0203;
const RES_TABLE_OVERLAYABLE_TYPE: u16 = 0x0204;
const RES_TABLE_OVERLAYABLE_POLICY_TYPE: u16 = 0x0205;
const RES_TABLE_STAGED_ALIAS_TYPE: u16 = 0x0206;

const FLAG_SPARSE: u8 = 0x01;
const FLAG_OFFSET16: u8 = 0x02;
const ENTRY_FLAG_COMPLEX: u16 = 0x0001;
const ENTRY_FLAG_COMPACT: u16 = 0x0008;
const NO_ENTRY: u32 = 0xffff_ffff;

/// Maximum reference chain followed by [`ResourceTable::resolve`].
pub const MAX_REFERENCE_DEPTH: usize = 16;

/// Why a resource table could not be read at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ArscError {
    /// Too short to hold the table header.
    #[error("resources.arsc too short ({0} bytes)")]
    TooShort(usize),
    /// The header is not a resource table's.
    #[error("not a resource table: chunk type {0:#06x}, header size {1:#x}")]
    NotATable(u16, usize),
}

/// A resource value of one configuration.
#[derive(Debug, Clone, PartialEq)]
pub enum ResValue {
    /// A simple value (string, reference, integer, colour, …).
    Value(Value),
    /// A complex entry (style, array, plurals, attr): its parent and entry count.
    Bag {
        /// Parent style (`0` for none).
        parent: u32,
        /// Number of map entries.
        count: u32,
    },
}

impl ResValue {
    /// The string of a string value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            ResValue::Value(v) => v.as_str(),
            ResValue::Bag { .. } => None,
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Stored {
    Simple { data_type: u8, data: u32 },
    Bag { parent: u32, count: u32 },
}

#[derive(Debug, Clone)]
struct Entry {
    key: u32,
    value: Stored,
}

#[derive(Debug, Clone)]
struct TypeChunk {
    config: Config,
    /// Sorted by entry index.
    entries: Vec<(u16, Entry)>,
}

#[derive(Debug, Clone, Default)]
struct TypeGroup {
    spec_flags: Vec<u32>,
    chunks: Vec<TypeChunk>,
}

#[derive(Debug, Clone)]
struct Package {
    id: u32,
    name: String,
    type_names: Vec<String>,
    keys: Vec<String>,
    type_id_offset: u32,
    types: BTreeMap<u8, TypeGroup>,
}

/// A parsed resource table.
#[derive(Debug, Clone, Default)]
pub struct ResourceTable {
    strings: Vec<String>,
    packages: Vec<Package>,
}

/// One chunk found while iterating: type, header size, offset, (clamped) size.
#[derive(Debug, Clone, Copy)]
struct Chunk {
    ty: u16,
    hs: usize,
    pos: usize,
    size: usize,
}

/// Iterates the chunks in `data[start..end]`, clamping and reporting bad ones.
fn chunks(
    data: &[u8],
    start: usize,
    end: usize,
    what: &str,
    loc: &str,
    sink: &mut AnomalySink,
) -> Vec<Chunk> {
    let end = end.min(data.len());
    let mut out = Vec::new();
    let mut pos = start;
    while pos < end {
        let (Some(ty), Some(hs), Some(size)) = (
            u16_at(data, pos),
            u16_at(data, pos + 2),
            u32_at(data, pos + 4),
        ) else {
            sink.add(
                "arsc.truncated",
                Severity::Error,
                loc,
                format!("{what}: {} stray bytes at {pos:#x}", end - pos),
            );
            break;
        };
        if pos + 8 > end {
            sink.add(
                "arsc.truncated",
                Severity::Error,
                loc,
                format!("{what}: chunk header at {pos:#x} crosses the end"),
            );
            break;
        }
        let (hs, mut size) = (hs as usize, size as usize);
        if size > end - pos {
            sink.add(
                "arsc.chunk_overrun",
                Severity::Error,
                loc,
                format!(
                    "{what}: chunk {ty:#06x} at {pos:#x} claims {size:#x} bytes, {:#x} left; clamped",
                    end - pos
                ),
            );
            size = end - pos;
        }
        if hs < 8 || hs > size {
            sink.add(
                "arsc.bad_chunk",
                Severity::Error,
                loc,
                format!("{what}: chunk {ty:#06x} at {pos:#x}: header size {hs:#x}, size {size:#x}; stopped"),
            );
            break;
        }
        if (hs | size) & 3 != 0 {
            sink.add(
                "arsc.unaligned_chunk",
                Severity::Warning,
                loc,
                format!("{what}: chunk {ty:#06x} at {pos:#x} sizes not 4-aligned"),
            );
        }
        out.push(Chunk { ty, hs, pos, size });
        pos += size;
    }
    out
}

/// Decodes every string of a pool (unreadable ones as "", counted in one anomaly).
fn decode_all(pool: &StringPool<'_>, what: &str, loc: &str, sink: &mut AnomalySink) -> Vec<String> {
    let mut bad = 0usize;
    let out = (0..pool.len())
        .map(|i| {
            pool.get(i as u32).unwrap_or_else(|_| {
                bad += 1;
                String::new()
            })
        })
        .collect();
    if bad > 0 {
        sink.add(
            "arsc.bad_string",
            Severity::Warning,
            loc,
            format!("{what}: {bad} unreadable strings read as empty"),
        );
    }
    out
}

/// Parses a resource table. `location` names the file in anomalies.
pub fn parse_arsc(
    data: &[u8],
    location: &str,
    sink: &mut AnomalySink,
) -> Result<ResourceTable, ArscError> {
    let (Some(ty), Some(hs), Some(size)) = (u16_at(data, 0), u16_at(data, 2), u32_at(data, 4))
    else {
        return Err(ArscError::TooShort(data.len()));
    };
    let (hs, mut size) = (hs as usize, size as usize);
    if ty != RES_TABLE_TYPE || hs < 12 || hs > data.len() {
        return Err(ArscError::NotATable(ty, hs));
    }
    if size > data.len() {
        sink.add(
            "arsc.size_overrun",
            Severity::Error,
            location,
            format!(
                "table size {size:#x} beyond the {:#x} bytes present; clamped",
                data.len()
            ),
        );
        size = data.len();
    } else if size < data.len() {
        sink.add(
            "arsc.trailing_data",
            Severity::Info,
            location,
            format!("{} bytes after the table", data.len() - size),
        );
    }
    let size = size.max(hs);
    let package_count = u32_at(data, 8).unwrap_or(0);
    let mut table = ResourceTable::default();
    let mut have_pool = false;
    for c in chunks(data, hs, size, "table", location, sink) {
        let chunk = data.get(c.pos..c.pos + c.size).unwrap_or_default();
        match c.ty {
            RES_STRING_POOL_TYPE => {
                if have_pool {
                    sink.add(
                        "arsc.multiple_string_pools",
                        Severity::Warning,
                        location,
                        format!("extra value string pool at {:#x}; ignored", c.pos),
                    );
                    continue;
                }
                have_pool = true;
                let pool = StringPool::parse(chunk, Origin::Arsc, location, sink);
                table.strings = decode_all(&pool, "value strings", location, sink);
            }
            RES_TABLE_PACKAGE_TYPE => {
                if let Some(p) = parse_package(chunk, c.hs, c.pos, location, sink) {
                    table.packages.push(p);
                }
            }
            t => sink.add(
                "arsc.unknown_chunk",
                Severity::Warning,
                location,
                format!(
                    "unknown chunk type {t:#06x} at {:#x} in the table; skipped",
                    c.pos
                ),
            ),
        }
    }
    if table.packages.len() as u64 != package_count as u64 {
        sink.add(
            "arsc.package_count",
            Severity::Info,
            location,
            format!(
                "header says {package_count} packages, found {}",
                table.packages.len()
            ),
        );
    }
    Ok(table)
}

fn parse_package(
    chunk: &[u8],
    hs: usize,
    base: usize,
    loc: &str,
    sink: &mut AnomalySink,
) -> Option<Package> {
    let Some(id) = u32_at(chunk, 8) else {
        sink.add(
            "arsc.bad_package",
            Severity::Error,
            loc,
            format!("package at {base:#x} too short"),
        );
        return None;
    };
    let name_units: Vec<u16> = (0..128)
        .map_while(|i| u16_at(chunk, 12 + i * 2))
        .take_while(|&u| u != 0)
        .collect();
    let name = String::from_utf16_lossy(&name_units);
    let type_strings = u32_at(chunk, 268).unwrap_or(0) as usize;
    let key_strings = u32_at(chunk, 276).unwrap_or(0) as usize;
    let type_id_offset = if hs >= 288 {
        u32_at(chunk, 284).unwrap_or(0)
    } else {
        0
    };
    if hs < 284 {
        sink.add(
            "arsc.bad_package",
            Severity::Warning,
            loc,
            format!("package {name:?} header size {hs:#x} (expected 0x11c or 0x120)"),
        );
    }
    let mut pkg = Package {
        id,
        name,
        type_names: Vec::new(),
        keys: Vec::new(),
        type_id_offset,
        types: BTreeMap::new(),
    };
    let what = format!("package {:#04x} {:?}", pkg.id, pkg.name);
    let (mut have_types, mut have_keys) = (false, false);
    let mut bad_type_ids = 0usize;
    for c in chunks(chunk, hs, chunk.len(), &what, loc, sink) {
        let sub = chunk.get(c.pos..c.pos + c.size).unwrap_or_default();
        match c.ty {
            RES_STRING_POOL_TYPE => {
                let is_types = c.pos == type_strings || (c.pos != key_strings && !have_types);
                if c.pos != type_strings && c.pos != key_strings {
                    sink.add(
                        "arsc.string_pool_offset",
                        Severity::Warning,
                        loc,
                        format!("{what}: string pool at {:#x} is at neither typeStrings {type_strings:#x} nor keyStrings {key_strings:#x}; taken by order", c.pos),
                    );
                }
                let pool = StringPool::parse(sub, Origin::Arsc, loc, sink);
                if is_types && !have_types {
                    have_types = true;
                    pkg.type_names = decode_all(&pool, "type strings", loc, sink);
                } else if !have_keys {
                    have_keys = true;
                    pkg.keys = decode_all(&pool, "key strings", loc, sink);
                } else {
                    sink.add(
                        "arsc.multiple_string_pools",
                        Severity::Warning,
                        loc,
                        format!("{what}: extra string pool at {:#x}; ignored", c.pos),
                    );
                }
            }
            RES_TABLE_TYPE_SPEC_TYPE => {
                let tid = u8_at(sub, 8).unwrap_or(0);
                let count = u32_at(sub, 12).unwrap_or(0) as usize;
                if tid == 0 {
                    bad_type_ids += 1;
                    continue;
                }
                let room = (c.size - c.hs) / 4;
                if count > room {
                    sink.add(
                        "arsc.spec_overrun",
                        Severity::Warning,
                        loc,
                        format!("{what}: type spec {tid} claims {count} entries, room for {room}; clamped"),
                    );
                }
                let flags = (0..count.min(room))
                    .map(|i| u32_at(sub, c.hs + i * 4).unwrap_or(0))
                    .collect();
                let g = pkg.types.entry(tid).or_default();
                if !g.spec_flags.is_empty() {
                    sink.add(
                        "arsc.duplicate_type_spec",
                        Severity::Warning,
                        loc,
                        format!("{what}: second type spec for type {tid}"),
                    );
                }
                g.spec_flags = flags;
            }
            RES_TABLE_TYPE_TYPE => {
                let tid = u8_at(sub, 8).unwrap_or(0);
                if tid == 0 {
                    bad_type_ids += 1;
                    continue;
                }
                if let Some(tc) = parse_type(sub, c.hs, &what, loc, sink) {
                    pkg.types.entry(tid).or_default().chunks.push(tc);
                }
            }
            RES_TABLE_LIBRARY_TYPE
            | RES_TABLE_OVERLAYABLE_TYPE
            | RES_TABLE_OVERLAYABLE_POLICY_TYPE
            | RES_TABLE_STAGED_ALIAS_TYPE => {}
            t => sink.add(
                "arsc.unknown_chunk",
                Severity::Warning,
                loc,
                format!(
                    "{what}: unknown chunk type {t:#06x} at {:#x}; skipped",
                    c.pos
                ),
            ),
        }
    }
    if bad_type_ids > 0 {
        sink.add(
            "arsc.bad_type_id",
            Severity::Warning,
            loc,
            format!("{what}: {bad_type_ids} type chunks with type id 0; skipped"),
        );
    }
    Some(pkg)
}

fn parse_type(
    sub: &[u8],
    hs: usize,
    what: &str,
    loc: &str,
    sink: &mut AnomalySink,
) -> Option<TypeChunk> {
    let tid = u8_at(sub, 8).unwrap_or(0);
    let flags = u8_at(sub, 9).unwrap_or(0);
    let count = u32_at(sub, 12).unwrap_or(0) as usize;
    let entries_start = u32_at(sub, 16).unwrap_or(0) as usize;
    let config = Config::parse(sub.get(20..hs).unwrap_or_default());
    let cfg = config.to_string();
    if entries_start > sub.len() || entries_start < hs {
        sink.add(
            "arsc.bad_type",
            Severity::Error,
            loc,
            format!("{what}: type {tid} ({cfg}): entriesStart {entries_start:#x} outside the chunk ({:#x}); skipped", sub.len()),
        );
        return None;
    }
    let unit = if flags & (FLAG_SPARSE | FLAG_OFFSET16) != 0 {
        if flags & FLAG_SPARSE != 0 { 4 } else { 2 }
    } else {
        4
    };
    let room = (entries_start - hs) / unit;
    let n = if count > room {
        sink.add(
            "arsc.type_overrun",
            Severity::Warning,
            loc,
            format!("{what}: type {tid} ({cfg}) claims {count} entries, offsets room for {room}; clamped"),
        );
        room
    } else {
        count
    };
    let mut offsets: Vec<(u16, usize)> = Vec::with_capacity(n.min(1 << 16));
    if flags & FLAG_SPARSE != 0 {
        let mut last: Option<u16> = None;
        let mut unsorted = false;
        for i in 0..n {
            let (Some(idx), Some(off)) = (u16_at(sub, hs + i * 4), u16_at(sub, hs + i * 4 + 2))
            else {
                break;
            };
            if last.is_some_and(|l| idx <= l) {
                unsorted = true;
            }
            last = Some(idx);
            offsets.push((idx, off as usize * 4));
        }
        if unsorted {
            sink.add(
                "arsc.sparse_unsorted",
                Severity::Warning,
                loc,
                format!("{what}: sparse type {tid} ({cfg}) entries not strictly sorted (Android binary-searches them)"),
            );
        }
    } else if flags & FLAG_OFFSET16 != 0 {
        for i in 0..n.min(1 << 16) {
            let Some(off) = u16_at(sub, hs + i * 2) else {
                break;
            };
            if off != 0xffff {
                offsets.push((i as u16, off as usize * 4));
            }
        }
    } else {
        if n > 1 << 16 {
            sink.add(
                "arsc.type_overrun",
                Severity::Warning,
                loc,
                format!(
                    "{what}: type {tid} ({cfg}) has {n} entries, more than ids allow; cut to 65536"
                ),
            );
        }
        for i in 0..n.min(1 << 16) {
            let Some(off) = u32_at(sub, hs + i * 4) else {
                break;
            };
            if off != NO_ENTRY {
                offsets.push((i as u16, off as usize));
            }
        }
    }
    let mut entries = Vec::with_capacity(offsets.len());
    let mut bad = 0usize;
    for (idx, off) in offsets {
        match read_entry(sub, entries_start.saturating_add(off)) {
            Some(e) => entries.push((idx, e)),
            None => bad += 1,
        }
    }
    if bad > 0 {
        sink.add(
            "arsc.bad_entry",
            Severity::Warning,
            loc,
            format!(
                "{what}: type {tid} ({cfg}): {bad} entries out of bounds or malformed; skipped"
            ),
        );
    }
    entries.sort_by_key(|&(i, _)| i);
    let before = entries.len();
    entries.dedup_by_key(|(i, _)| *i);
    if entries.len() != before {
        sink.add(
            "arsc.duplicate_entry",
            Severity::Warning,
            loc,
            format!(
                "{what}: type {tid} ({cfg}): {} duplicate entry indices",
                before - entries.len()
            ),
        );
    }
    Some(TypeChunk { config, entries })
}

fn read_entry(sub: &[u8], at: usize) -> Option<Entry> {
    let size = u16_at(sub, at)?;
    let flags = u16_at(sub, at + 2)?;
    if flags & ENTRY_FLAG_COMPACT != 0 {
        // Compact entry: key u16 (in the size slot), type in the flags' high byte.
        let data = u32_at(sub, at + 4)?;
        return Some(Entry {
            key: size as u32,
            value: Stored::Simple {
                data_type: (flags >> 8) as u8,
                data,
            },
        });
    }
    let key = u32_at(sub, at + 4)?;
    let size = size as usize;
    if size < 8 {
        return None;
    }
    if flags & ENTRY_FLAG_COMPLEX != 0 {
        let parent = u32_at(sub, at + 8)?;
        let count = u32_at(sub, at + 12)?;
        // The map entries must lie inside the chunk (we don't keep them).
        let maps_end = (count as usize)
            .checked_mul(12)?
            .checked_add(at.checked_add(size)?)?;
        if maps_end > sub.len() {
            return None;
        }
        Some(Entry {
            key,
            value: Stored::Bag { parent, count },
        })
    } else {
        let v = at.checked_add(size)?;
        let data_type = u8_at(sub, v + 3)?;
        let data = u32_at(sub, v + 4)?;
        Some(Entry {
            key,
            value: Stored::Simple { data_type, data },
        })
    }
}

impl ResourceTable {
    fn entries_of(&self, id: u32) -> impl Iterator<Item = (&Package, &TypeChunk, &Entry)> {
        let pkg_id = id >> 24;
        let type_id = ((id >> 16) & 0xff) as u8;
        let entry = (id & 0xffff) as u16;
        self.packages
            .iter()
            .filter(move |p| p.id == pkg_id)
            .flat_map(move |p| {
                p.types
                    .get(&type_id)
                    .into_iter()
                    .flat_map(|g| g.chunks.iter())
                    .filter_map(move |tc| {
                        tc.entries
                            .binary_search_by_key(&entry, |&(i, _)| i)
                            .ok()
                            .and_then(|ix| tc.entries.get(ix))
                            .map(|(_, e)| (p, tc, e))
                    })
            })
    }

    fn to_value(&self, s: Stored) -> ResValue {
        match s {
            Stored::Bag { parent, count } => ResValue::Bag { parent, count },
            Stored::Simple { data_type, data } => {
                if data_type == crate::axml::value::TYPE_STRING {
                    ResValue::Value(Value::String(
                        self.strings.get(data as usize).cloned().unwrap_or_default(),
                    ))
                } else {
                    ResValue::Value(Value::from_typed(data_type, data))
                }
            }
        }
    }

    /// Packages as (id, name).
    pub fn packages(&self) -> Vec<(u32, String)> {
        self.packages
            .iter()
            .map(|p| (p.id, p.name.clone()))
            .collect()
    }

    /// Number of strings in the global value pool.
    pub fn string_count(&self) -> usize {
        self.strings.len()
    }

    /// The strings of the global value pool (string resource values, file
    /// paths of file resources), in pool order.
    pub fn strings(&self) -> impl Iterator<Item = &str> + '_ {
        self.strings.iter().map(String::as_str)
    }

    /// `type/name` of resource `id` (e.g. `string/app_name`), prefixed with
    /// `package:` when the table has several packages.
    pub fn name_of(&self, id: u32) -> Option<String> {
        let (p, _, e) = self.entries_of(id).next()?;
        let type_id = (id >> 16) & 0xff;
        let ti = (type_id as usize).checked_sub(1 + p.type_id_offset as usize);
        let tname = ti
            .and_then(|i| p.type_names.get(i))
            .cloned()
            .unwrap_or_else(|| format!("type{type_id:#x}"));
        let key = p
            .keys
            .get(e.key as usize)
            .cloned()
            .unwrap_or_else(|| format!("entry{:#x}", id & 0xffff));
        if self.packages.len() > 1 {
            Some(format!("{}:{tname}/{key}", p.name))
        } else {
            Some(format!("{tname}/{key}"))
        }
    }

    /// Every configuration's value of resource `id`, in table order.
    pub fn values(&self, id: u32) -> Vec<(Config, ResValue)> {
        self.entries_of(id)
            .map(|(_, tc, e)| (tc.config.clone(), self.to_value(e.value)))
            .collect()
    }

    /// Value of the default configuration (else the first), following
    /// reference chains up to [`MAX_REFERENCE_DEPTH`], cycle-safe. A
    /// reference that leads outside the table is returned as is.
    pub fn resolve(&self, id: u32) -> Option<ResValue> {
        let mut seen = Vec::new();
        let mut cur = id;
        let mut last: Option<ResValue> = None;
        for _ in 0..MAX_REFERENCE_DEPTH {
            if seen.contains(&cur) {
                return last;
            }
            seen.push(cur);
            let mut first = None;
            let mut default = None;
            for (_, tc, e) in self.entries_of(cur) {
                if first.is_none() {
                    first = Some(e.value);
                }
                if tc.config.is_default() {
                    default = Some(e.value);
                    break;
                }
            }
            let Some(v) = default.or(first) else {
                return last;
            };
            let v = self.to_value(v);
            match v {
                ResValue::Value(Value::Reference(r)) if r != 0 => {
                    last = Some(v);
                    cur = r;
                }
                v => return Some(v),
            }
        }
        last
    }

    /// The string value of `id` (default configuration, references followed).
    /// For file resources (layouts, `res/xml/...`) this is the file path.
    pub fn resolve_string(&self, id: u32) -> Option<String> {
        match self.resolve(id)? {
            ResValue::Value(Value::String(s)) => Some(s),
            _ => None,
        }
    }

    /// Spec flags (`SPEC_PUBLIC`, configuration-change masks) of resource `id`.
    pub fn spec_flags(&self, id: u32) -> Option<u32> {
        let p = self.packages.iter().find(|p| p.id == id >> 24)?;
        let g = p.types.get(&(((id >> 16) & 0xff) as u8))?;
        g.spec_flags.get((id & 0xffff) as usize).copied()
    }

    /// The resource id of `type/name` (e.g. `string/app_name`) in any package.
    pub fn id_of(&self, type_name: &str, name: &str) -> Option<u32> {
        for p in &self.packages {
            let Some(ti) = p.type_names.iter().position(|t| t == type_name) else {
                continue;
            };
            let type_id = ti as u32 + 1 + p.type_id_offset;
            let Some(key) = p.keys.iter().position(|k| k == name) else {
                continue;
            };
            let g = p.types.get(&(type_id as u8))?;
            for tc in &g.chunks {
                if let Some((i, _)) = tc.entries.iter().find(|(_, e)| e.key as usize == key) {
                    return Some((p.id << 24) | (type_id << 16) | *i as u32);
                }
            }
        }
        None
    }
}
