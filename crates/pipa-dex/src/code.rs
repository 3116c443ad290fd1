//! `code_item` and the instruction walk.

use crate::bytes::{u16_at, u32_at};
use crate::opcodes::{IndexKind, OpInfo, op_info};

/// A `code_item`: register counts and the instruction array (zero-copy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeItem<'a> {
    /// Number of registers.
    pub registers_size: u16,
    /// Words of incoming arguments.
    pub ins_size: u16,
    /// Words of outgoing argument space.
    pub outs_size: u16,
    /// Number of try items.
    pub tries_size: u16,
    /// Offset of the debug info, or 0.
    pub debug_info_off: u32,
    /// The instructions, `insns_size * 2` bytes, little-endian code units.
    pub insns: &'a [u8],
}

impl<'a> CodeItem<'a> {
    /// Parses the `code_item` at `off`. `None` when the fixed part or the
    /// instruction array does not fit in `d`.
    pub fn parse(d: &'a [u8], off: u32) -> Option<CodeItem<'a>> {
        let o = off as usize;
        let insns_size = u32_at(d, o.checked_add(12)?)?;
        let start = o + 16;
        let len = (insns_size as usize).checked_mul(2)?;
        let insns = d.get(start..start.checked_add(len)?)?;
        Some(CodeItem {
            registers_size: u16_at(d, o)?,
            ins_size: u16_at(d, o + 2)?,
            outs_size: u16_at(d, o + 4)?,
            tries_size: u16_at(d, o + 6)?,
            debug_info_off: u32_at(d, o + 8)?,
            insns,
        })
    }

    /// Length of the instruction array in 16-bit code units.
    pub fn insns_size(&self) -> u32 {
        (self.insns.len() / 2) as u32
    }

    /// Iterates the decoded instructions, skipping switch and array payloads.
    pub fn instructions(&self) -> Instructions<'a> {
        Instructions::new(self.insns)
    }
}

/// One decoded instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Insn {
    /// Offset in code units from the start of the method (dexdump's `|xxxx:`).
    pub offset: u32,
    /// The opcode byte.
    pub opcode: u8,
    /// The pool index operand (meaning per [`Insn::index_kind`]); 0 if none.
    pub index: u32,
    /// The second index: the `proto_ids` index of invoke-polymorphic; else 0.
    pub index2: u32,
}

impl Insn {
    /// Static facts about the opcode.
    pub fn info(&self) -> &'static OpInfo {
        op_info(self.opcode)
    }

    /// What [`Insn::index`] refers to.
    pub fn index_kind(&self) -> IndexKind {
        op_info(self.opcode).index
    }
}

/// Payload pseudo-instruction identifiers (in the first code unit).
pub const PACKED_SWITCH_PAYLOAD: u16 = 0x0100;
/// `sparse-switch-payload` identifier.
pub const SPARSE_SWITCH_PAYLOAD: u16 = 0x0200;
/// `fill-array-data-payload` identifier.
pub const FILL_ARRAY_DATA_PAYLOAD: u16 = 0x0300;

/// Width in code units of the instruction or payload starting at code unit
/// `pos` of `insns` (bytes). `None` when it cannot be read.
#[inline]
pub fn width_at(insns: &[u8], pos: usize) -> Option<usize> {
    let unit = u16_at(insns, pos * 2)?;
    let w = match unit {
        PACKED_SWITCH_PAYLOAD => 4 + 2 * usize::from(u16_at(insns, (pos + 1) * 2)?),
        SPARSE_SWITCH_PAYLOAD => 2 + 4 * usize::from(u16_at(insns, (pos + 1) * 2)?),
        FILL_ARRAY_DATA_PAYLOAD => {
            let elem = u64::from(u16_at(insns, (pos + 1) * 2)?);
            let size = u64::from(u32_at(insns, (pos + 2) * 2)?);
            let units = (elem * size).div_ceil(2) + 4;
            usize::try_from(units).ok()?
        }
        _ => usize::from(op_info(unit as u8).width()),
    };
    Some(w)
}

/// Iterator over the instructions of a code item (see
/// [`CodeItem::instructions`]). Stops at the end of the array, or early
/// when an instruction or payload would run past it; check
/// [`Instructions::truncated`] afterwards.
#[derive(Debug, Clone)]
pub struct Instructions<'a> {
    insns: &'a [u8],
    pos: usize,
    truncated: bool,
}

impl<'a> Instructions<'a> {
    /// Walks `insns` (raw little-endian code units).
    pub fn new(insns: &'a [u8]) -> Self {
        Instructions {
            insns,
            pos: 0,
            truncated: false,
        }
    }

    /// True when the walk stopped at an instruction that did not fit.
    pub fn truncated(&self) -> bool {
        self.truncated
    }
}

impl Iterator for Instructions<'_> {
    type Item = Insn;

    #[inline]
    fn next(&mut self) -> Option<Insn> {
        let total = self.insns.len() / 2;
        loop {
            if self.pos >= total {
                return None;
            }
            let pos = self.pos;
            let Some(w) = width_at(self.insns, pos) else {
                self.truncated = true;
                self.pos = total;
                return None;
            };
            let end = pos.saturating_add(w);
            if end > total {
                self.truncated = true;
                self.pos = total;
                return None;
            }
            self.pos = end;
            let unit = u16_at(self.insns, pos * 2).unwrap_or(0);
            let opcode = unit as u8;
            if opcode == 0 && unit != 0 && (unit >> 8) <= 3 {
                continue; // a payload
            }
            let info = op_info(opcode);
            let b = pos * 2;
            let u = |i: usize| u32::from(u16_at(self.insns, b + 2 * i).unwrap_or(0));
            let (index, index2) = match info.index {
                IndexKind::None => (0, 0),
                IndexKind::MethodAndProto => (u(1), u(3)),
                _ if w == 3 && matches!(info.format, crate::opcodes::Format::F31c) => {
                    (u(1) | (u(2) << 16), 0)
                }
                _ => (u(1), 0),
            };
            return Some(Insn {
                offset: pos as u32,
                opcode,
                index,
                index2,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(u: &[u16]) -> Vec<u8> {
        u.iter().flat_map(|x| x.to_le_bytes()).collect()
    }

    #[test]
    fn walks_and_skips_payloads() {
        let code = units(&[
            0x001a, 0x0005, // const-string v0, string@5
            0x106e, 0x0007, 0x0000, // invoke-virtual {v0}, method@7
            0x002b, 0x0006, 0x0000, // packed-switch v0, +6
            0x000e, // return-void
            0x0000, // nop (padding)
            0x0100, 0x0001, 0x0000, 0x0000, 0x0003,
            0x0000, // packed-switch payload (1 target)
            0x011b, 0x5678, 0x1234, // const-string/jumbo v1, string@0x12345678
            0x0300, 0x0001, 0x0003, 0x0000, 0x0201,
            0x0003, // fill-array-data payload, 3 bytes
            0x10fa, 0x0009, 0x0000, 0x000b, // invoke-polymorphic method@9 proto@11
        ]);
        let ins: Vec<Insn> = Instructions::new(&code).collect();
        let summary: Vec<(u32, u8, u32)> =
            ins.iter().map(|i| (i.offset, i.opcode, i.index)).collect();
        assert_eq!(
            summary,
            vec![
                (0, 0x1a, 5),
                (2, 0x6e, 7),
                (5, 0x2b, 0),
                (8, 0x0e, 0),
                (9, 0x00, 0),
                (16, 0x1b, 0x1234_5678),
                (25, 0xfa, 9),
            ]
        );
        assert_eq!(ins[6].index2, 11);
    }

    #[test]
    fn truncated_stops() {
        let code = units(&[0x106e, 0x0007]);
        let mut it = Instructions::new(&code);
        assert_eq!(it.next(), None);
        assert!(it.truncated());
        let code = units(&[0x0100, 0xffff]);
        let mut it = Instructions::new(&code);
        assert_eq!(it.by_ref().count(), 0);
        assert!(it.truncated());
    }
}

/// The registers an invoke at `offset` passes, in order (`this` first for
/// instance calls; a wide value takes two). `None` when `offset` is not an
/// invoke of `code` or cannot be read.
pub fn invoke_registers(code: &CodeItem<'_>, offset: u32) -> Option<Vec<u16>> {
    let raw = code.insns;
    let at = offset as usize * 2;
    let op = *raw.get(at)?;
    let b1 = *raw.get(at + 1)?;
    match op {
        // invoke-kind {vC, vD, vE, vF, vG}: A|G|op BBBB F|E|D|C.
        0x6e..=0x72 | 0xfa | 0xfc => {
            let count = usize::from(b1 >> 4);
            let g = u16::from(b1 & 0x0f);
            let fedc = u16_at(raw, at + 4)?;
            let regs = [
                fedc & 0xf,
                (fedc >> 4) & 0xf,
                (fedc >> 8) & 0xf,
                fedc >> 12,
                g,
            ];
            (count <= 5).then(|| regs[..count].to_vec())
        }
        // invoke-kind/range {vCCCC .. vNNNN}: AA|op BBBB CCCC.
        0x74..=0x78 | 0xfb | 0xfd => {
            let first = u16_at(raw, at + 4)?;
            (0..u16::from(b1))
                .map(|i| first.checked_add(i))
                .collect::<Option<Vec<u16>>>()
        }
        _ => None,
    }
}

/// The literal `reg` holds at the instruction at `offset`: the last
/// instruction before it, in code order, whose first (destination) register
/// is `reg` must be `const/4`, `const/16`, `const` or `const/high16`, and
/// no branch may lead into the code between them; a method with a switch
/// gives up. Exception handlers are not followed (one that joins the code
/// between them without writing `reg` would see an older value). `None`
/// otherwise: callers use it to confirm a constant, never to clear a value.
pub fn constant_at(code: &CodeItem<'_>, offset: u32, reg: u16) -> Option<i32> {
    let raw = code.insns;
    let mut last: Option<(u32, Option<i32>)> = None;
    let mut targets: Vec<u32> = Vec::new();
    let mut it = code.instructions();
    for i in it.by_ref() {
        let at = i.offset as usize * 2;
        let b1 = *raw.get(at + 1)?;
        let rel = |v: i32| u32::try_from(i64::from(i.offset) + i64::from(v)).ok();
        match op_info(i.opcode).format {
            crate::Format::F10t => targets.extend(rel(i32::from(b1 as i8))),
            crate::Format::F20t | crate::Format::F21t | crate::Format::F22t => {
                targets.extend(rel(i32::from(u16_at(raw, at + 2)? as i16)));
            }
            crate::Format::F30t => targets.extend(rel(u32_at(raw, at + 2)? as i32)),
            // Switches: their targets are in payloads; give up.
            crate::Format::F31t if matches!(i.opcode, 0x2b | 0x2c) => return None,
            _ => {}
        }
        if i.offset >= offset {
            break;
        }
        let (dest, value) = match i.opcode {
            0x12 => (u16::from(b1 & 0x0f), Some(i32::from((b1 as i8) >> 4))),
            0x13 => (u16::from(b1), Some(i32::from(u16_at(raw, at + 2)? as i16))),
            0x14 => (u16::from(b1), Some(u32_at(raw, at + 2)? as i32)),
            0x15 => (u16::from(b1), Some(i32::from(u16_at(raw, at + 2)?) << 16)),
            // move/16 vAAAA, vBBBB.
            0x03 | 0x06 | 0x09 => (u16_at(raw, at + 2)?, None),
            _ => match op_info(i.opcode).format {
                crate::Format::F12x
                | crate::Format::F11n
                | crate::Format::F22c
                | crate::Format::F22s
                | crate::Format::F22t => (u16::from(b1 & 0x0f), None),
                crate::Format::F10x
                | crate::Format::F10t
                | crate::Format::F20t
                | crate::Format::F30t
                | crate::Format::F35c
                | crate::Format::F3rc
                | crate::Format::F45cc
                | crate::Format::F4rcc => continue,
                // F22x, F32x, F23x, F22b, F21c, F21h, F21s, F21t, F31c, F31i,
                // F31t, F51l, F11x: vAA (reads included: conservative).
                _ => (u16::from(b1), None),
            },
        };
        // A wide result also writes the next register.
        let wide = matches!(
            i.opcode,
            0x04..=0x06 | 0x0b | 0x16..=0x19 | 0x45 | 0x53 | 0x61 | 0x7d..=0x8c | 0x9b..=0xaf | 0xbb..=0xcf
        );
        if dest == reg || (wide && dest.checked_add(1) == Some(reg)) {
            last = Some((i.offset, if dest == reg { value } else { None }));
        }
    }
    if it.truncated() {
        return None;
    }
    let (set_at, value) = last?;
    let value = value?;
    if targets.iter().any(|&t| t > set_at && t <= offset) {
        return None;
    }
    Some(value)
}

#[cfg(test)]
mod constant_tests {
    use super::*;

    fn code(units: &[u8]) -> CodeItem<'_> {
        CodeItem {
            registers_size: 4,
            ins_size: 0,
            outs_size: 2,
            tries_size: 0,
            debug_info_off: 0,
            insns: units,
        }
    }

    #[test]
    fn constant_argument_of_an_invoke() {
        // 0: const/4 v1, 0x1; 1: invoke-static {v0, v1}, method@5; 4: return-void
        let c = [0x12, 0x11, 0x71, 0x20, 0x05, 0x00, 0x10, 0x00, 0x0e, 0x00];
        let c = code(&c);
        assert_eq!(invoke_registers(&c, 1), Some(vec![0, 1]));
        assert_eq!(constant_at(&c, 1, 1), Some(1));
        // v0 is never set: unknown.
        assert_eq!(constant_at(&c, 1, 0), None);
        // Not an invoke.
        assert_eq!(invoke_registers(&c, 0), None);
    }

    #[test]
    fn a_later_write_or_a_joining_branch_hides_the_constant() {
        // 0: const/4 v1, 0x1; 1: move-result v1; 2: invoke-static {v0, v1}
        let c = [0x12, 0x11, 0x0a, 0x01, 0x71, 0x20, 0x05, 0x00, 0x10, 0x00];
        assert_eq!(constant_at(&code(&c), 2, 1), None);
        // 0: const/4 v1, 0x0; 1: if-eqz v0, +3 (to 4); 3: const/4 v1, 0x1;
        // 4: invoke-static {v0, v1}: the path from 1 carries 0.
        let c = [
            0x12, 0x01, 0x38, 0x00, 0x03, 0x00, 0x12, 0x11, 0x71, 0x20, 0x05, 0x00, 0x10, 0x00,
        ];
        assert_eq!(constant_at(&code(&c), 4, 1), None);
        // The same without the branch: 1.
        let c = [0x12, 0x01, 0x12, 0x11, 0x71, 0x20, 0x05, 0x00, 0x10, 0x00];
        assert_eq!(constant_at(&code(&c), 2, 1), Some(1));
        // const-wide/16 v0 writes v0 and v1.
        let c = [
            0x12, 0x11, 0x16, 0x00, 0x07, 0x00, 0x71, 0x20, 0x05, 0x00, 0x10, 0x00,
        ];
        assert_eq!(constant_at(&code(&c), 3, 1), None);
    }

    #[test]
    fn range_invoke_registers() {
        // invoke-static/range {v2 .. v3}, method@5
        let c = [0x77, 0x02, 0x05, 0x00, 0x02, 0x00];
        assert_eq!(invoke_registers(&code(&c), 0), Some(vec![2, 3]));
    }
}
