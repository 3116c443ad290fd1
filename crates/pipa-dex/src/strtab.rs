//! Static string tables an obfuscator keeps encrypted: classes whose static
//! initialiser (`<clinit>`) stores strings into static `String` or
//! `String[]` fields that it computes with a decryption routine — a static
//! method taking a `String`, `char[]` or `byte[]` and returning a `String`
//! whose code runs a loop of XOR over characters or bytes (or such a loop in
//! `<clinit>` itself). The strings in the dex are then ciphertext: what they
//! say (a shell command, a reflected method name, a system property) cannot
//! be matched. This is a detector, not an evaluator: it says which classes
//! hold such tables, not what they contain.
//!
//! Bounded: one linear pass over each `<clinit>` and over each called
//! method (at most [`MAX_DECODER_UNITS`] code units, results cached per
//! method), at most [`MAX_TABLES`] tables per package.

use crate::{CodeIndex, Dex};
use std::collections::HashMap;

/// Decoders longer than this (code units) are not examined.
pub const MAX_DECODER_UNITS: u32 = 4096;
/// At most this many tables are reported per package.
pub const MAX_TABLES: usize = 10_000;

/// A class whose static initialiser decrypts the strings it stores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringTable {
    /// Index of the dex in the code index.
    pub dex: u16,
    /// `method_ids` index of the class's `<clinit>`.
    pub clinit: u32,
    /// `method_ids` index of the decryption method it calls, `None` when
    /// the loop is in `<clinit>` itself.
    pub decoder: Option<u32>,
    /// Calls of the decoder in `<clinit>` (0 when inline).
    pub decode_calls: u32,
    /// Offset (code units) of the first decoder call, or of the first
    /// store of a string field when inline.
    pub offset: u32,
    /// Static `String` / `String[]` fields `<clinit>` writes.
    pub fields: u32,
}

const XOR_OPS: [u8; 6] = [0x97, 0xa2, 0xb7, 0xc2, 0xd7, 0xdf];
/// aget-byte, aget-char, aput-byte, aput-char, int-to-byte, int-to-char.
const CHAR_OPS: [u8; 6] = [0x48, 0x49, 0x4f, 0x50, 0x8d, 0x8e];

/// Whether a branch of `code` goes backwards (a loop).
fn backward_branch(insns: &[u8], offset: u32, opcode: u8) -> bool {
    let at = offset as usize * 2;
    let s16 = |i: usize| {
        insns
            .get(at + i..at + i + 2)
            .map_or(0, |b| i32::from(i16::from_le_bytes([b[0], b[1]])))
    };
    let rel: i32 = match opcode {
        0x28 => insns.get(at + 1).map_or(0, |&b| i32::from(b as i8)),
        0x29 => s16(2),
        0x2a => insns
            .get(at + 2..at + 6)
            .map_or(0, |b| i32::from_le_bytes([b[0], b[1], b[2], b[3]])),
        0x32..=0x3d => s16(2),
        _ => 0,
    };
    rel < 0
}

/// What a method's code shows: XOR, character/byte array work, a loop.
#[derive(Default, Clone, Copy)]
struct Shape {
    xor: bool,
    chars: bool,
    looped: bool,
}

impl Shape {
    fn decrypts(self) -> bool {
        self.xor && self.chars && self.looped
    }
}

fn shape(d: &Dex<'_>, code_off: u32) -> Option<(Shape, Vec<u32>)> {
    let code = d.code_item(code_off)?;
    if code.insns_size() > MAX_DECODER_UNITS {
        return None;
    }
    let mut s = Shape::default();
    let mut callees = Vec::new();
    for i in code.instructions() {
        if XOR_OPS.contains(&i.opcode) {
            s.xor = true;
        } else if CHAR_OPS.contains(&i.opcode) {
            s.chars = true;
        } else if matches!(i.opcode, 0x28..=0x2a | 0x32..=0x3d) {
            s.looped |= backward_branch(code.insns, i.offset, i.opcode);
        } else if matches!(i.opcode, 0x6e..=0x72 | 0x74..=0x78)
            && let Some(m) = d.method_ref(i.index)
        {
            if m.class == "Ljava/lang/String;"
                && matches!(m.name.as_ref(), "toCharArray" | "charAt" | "getBytes")
            {
                s.chars = true;
            } else if matches!(i.opcode, 0x71 | 0x77) {
                callees.push(i.index);
            }
        }
    }
    Some((s, callees))
}

/// A decryption routine: static, returns a String, takes a String, char[]
/// or byte[], and XORs characters or bytes in a loop (itself or in a
/// static method it calls).
fn is_decoder(
    d: &Dex<'_>,
    m: u32,
    code_of: &HashMap<u32, u32>,
    cache: &mut HashMap<u32, bool>,
) -> bool {
    if let Some(&v) = cache.get(&m) {
        return v;
    }
    cache.insert(m, false);
    let v = (|| {
        let r = d.method_ref(m)?;
        let (params, ret) = r.proto.strip_prefix('(')?.split_once(')')?;
        if ret != "Ljava/lang/String;"
            || !(params.contains("Ljava/lang/String;")
                || params.contains("[C")
                || params.contains("[B"))
        {
            return Some(false);
        }
        let (s, callees) = shape(d, *code_of.get(&m)?)?;
        if s.decrypts() {
            return Some(true);
        }
        // One level down: `a(String)` → `a(char[])` holding the loop.
        Some(callees.iter().take(16).any(|&c| {
            code_of
                .get(&c)
                .and_then(|&off| shape(d, off))
                .is_some_and(|(s, _)| s.decrypts())
        }))
    })()
    .unwrap_or(false);
    cache.insert(m, v);
    v
}

/// Every class of `index` whose `<clinit>` decrypts the strings it stores.
pub fn string_tables(index: &CodeIndex<'_>) -> Vec<StringTable> {
    let mut out = Vec::new();
    for (dn, d) in index.dexes().iter().enumerate() {
        let Ok(dn) = u16::try_from(dn) else { break };
        // method idx → code offset, for the methods this dex defines.
        let mut code_of: HashMap<u32, u32> = HashMap::new();
        let mut clinits: Vec<(u32, u32)> = Vec::new();
        for cd in d.class_defs() {
            let Some(data) = d.class_data(&cd) else {
                continue;
            };
            for m in data.methods() {
                if m.code_off == 0 {
                    continue;
                }
                code_of.insert(m.method_idx, m.code_off);
                if d.method_id(m.method_idx)
                    .and_then(|id| d.string_bytes(id.name_idx))
                    == Some(b"<clinit>".as_slice())
                {
                    clinits.push((m.method_idx, m.code_off));
                }
            }
        }
        let mut cache: HashMap<u32, bool> = HashMap::new();
        let mut string_field: HashMap<u32, bool> = HashMap::new();
        for (clinit, off) in clinits {
            if out.len() >= MAX_TABLES {
                return out;
            }
            let Some(code) = d.code_item(off) else {
                continue;
            };
            let mut fields: Vec<u32> = Vec::new();
            let mut first_store = u32::MAX;
            let mut calls: HashMap<u32, (u32, u32)> = HashMap::new();
            let mut s = Shape::default();
            for i in code.instructions() {
                match i.opcode {
                    // sput-object to a String or String[] field.
                    0x69 => {
                        let is_str = *string_field.entry(i.index).or_insert_with(|| {
                            d.field_id(i.index)
                                .and_then(|f| d.type_bytes(f.type_idx.into()))
                                .is_some_and(|t| {
                                    t == b"Ljava/lang/String;" || t == b"[Ljava/lang/String;"
                                })
                        });
                        if is_str {
                            if !fields.contains(&i.index) {
                                fields.push(i.index);
                            }
                            first_store = first_store.min(i.offset);
                        }
                    }
                    0x71 | 0x77 if is_decoder(d, i.index, &code_of, &mut cache) => {
                        let e = calls.entry(i.index).or_insert((0, i.offset));
                        e.0 += 1;
                    }
                    op if XOR_OPS.contains(&op) => s.xor = true,
                    op if CHAR_OPS.contains(&op) => s.chars = true,
                    0x28..=0x2a | 0x32..=0x3d => {
                        s.looped |= backward_branch(code.insns, i.offset, i.opcode);
                    }
                    _ => {}
                }
            }
            if fields.is_empty() {
                continue;
            }
            // The most called decoder (ties: the first called).
            let best = calls
                .iter()
                .max_by_key(|(_, (n, at))| (*n, std::cmp::Reverse(*at)))
                .map(|(&m, &(n, at))| (m, n, at));
            let t = match best {
                Some((m, n, at)) => StringTable {
                    dex: dn,
                    clinit,
                    decoder: Some(m),
                    decode_calls: calls.values().map(|(n, _)| n).sum::<u32>().max(n),
                    offset: at,
                    fields: fields.len() as u32,
                },
                None if s.decrypts() => StringTable {
                    dex: dn,
                    clinit,
                    decoder: None,
                    decode_calls: 0,
                    offset: first_store,
                    fields: fields.len() as u32,
                },
                None => continue,
            };
            out.push(t);
        }
    }
    out
}
