//! What one method does to one object before an instruction: the calls
//! made on it in the straight-line code that leads there (inside one
//! method; no branch joins the code walked, no value comes from elsewhere).

use crate::Dex;
use crate::bytes::u16_at;
use crate::code::{CodeItem, Insn, invoke_registers};
use crate::opcodes::{Format, op_info};

/// One call made on the traced object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectCall {
    /// Offset of the invoke in code units.
    pub offset: u32,
    /// Callee `method_ids` index.
    pub method: u32,
    /// The registers passed, the object first.
    pub registers: Vec<u16>,
}

/// The history of the object a register holds at an instruction, as far
/// as straight-line code shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectTrace {
    /// Calls made on the object (the object their first register), last
    /// first.
    pub calls: Vec<ObjectCall>,
    /// The walk reached the `new-instance` that made the object: `calls`
    /// then holds every call on it since, its constructor included.
    pub created: bool,
    /// The walk reached the start of the method (no branch back to it)
    /// with the object in an incoming argument register: its number among
    /// the method's argument words (`this` is 0 for an instance method).
    /// `calls` then holds every call the method makes on it.
    pub parameter: Option<u16>,
}

/// The calls made on the object register `reg` holds at the instruction
/// at `offset` of the method whose `code_item` is at `code_off`, walking
/// back through straight-line code: the walk stops where a branch or a
/// catch handler joins (other paths could bring another object or skip a
/// call), at the start of the method, and at any write to the register
/// other than `new-instance` (the origin), a `move-object` (followed to its
/// source), or the `move-result-object` of a call on the object for which
/// `returns_self(method)` holds (a builder returning its receiver:
/// followed). `None` when the code cannot be read or has a switch.
pub fn calls_on(
    d: &Dex<'_>,
    code_off: u32,
    offset: u32,
    reg: u16,
    returns_self: impl Fn(u32) -> bool,
) -> Option<ObjectTrace> {
    let code = d.code_item(code_off)?;
    let handlers = crate::callgraph::handler_addresses(d, code_off).unwrap_or_default();
    trace(&code, handlers, offset, reg, returns_self)
}

/// [`calls_on`] over `code` whose catch handlers start at `handlers`.
fn trace(
    code: &CodeItem<'_>,
    mut joins: Vec<u32>,
    offset: u32,
    reg: u16,
    returns_self: impl Fn(u32) -> bool,
) -> Option<ObjectTrace> {
    let mut before: Vec<Insn> = Vec::new();
    let mut it = code.instructions();
    for i in it.by_ref() {
        joins.extend(branch_targets(code, &i)?);
        if i.offset < offset {
            before.push(i);
        }
    }
    if it.truncated() {
        return None;
    }
    // Sorted for binary search: a hostile method may branch everywhere.
    joins.sort_unstable();
    joins.dedup();
    let joins = |a: &u32| joins.binary_search(a).is_ok();
    let mut out = ObjectTrace::default();
    let mut tracked = reg;
    // The instruction the walk last stood at: the state there is the one
    // traced only if no other path reaches it.
    let mut at = offset;
    let mut k = before.len();
    while k > 0 {
        if joins(&at) {
            return Some(out);
        }
        k -= 1;
        let Some(i) = before.get(k) else { break };
        at = i.offset;
        if is_invoke(i.opcode) {
            let regs = invoke_registers(code, i.offset)?;
            if regs.first() == Some(&tracked) {
                out.calls.push(ObjectCall {
                    offset: i.offset,
                    method: i.index,
                    registers: regs,
                });
            }
            continue;
        }
        let Some((dest, wide)) = written(code, i)? else {
            continue;
        };
        if dest != tracked && !(wide && dest.checked_add(1) == Some(tracked)) {
            continue;
        }
        let raw = code.insns;
        let at_b = i.offset as usize * 2;
        match i.opcode {
            // new-instance: the origin.
            0x22 if dest == tracked => {
                out.created = true;
                return Some(out);
            }
            // move-object vA, vB (4 bits each).
            0x07 => tracked = u16::from(*raw.get(at_b + 1)? >> 4),
            // move-object/from16 vAA, vBBBB.
            0x08 => tracked = u16_at(raw, at_b + 2)?,
            // move-object/16 vAAAA, vBBBB.
            0x09 => tracked = u16_at(raw, at_b + 4)?,
            // move-result-object: the call just before it.
            0x0c => {
                let Some(call) = k.checked_sub(1).and_then(|p| before.get(p)) else {
                    return Some(out);
                };
                if !is_invoke(call.opcode) || joins(&at) || !returns_self(call.index) {
                    return Some(out);
                }
                let regs = invoke_registers(code, call.offset)?;
                let Some(&object) = regs.first() else {
                    return Some(out);
                };
                out.calls.push(ObjectCall {
                    offset: call.offset,
                    method: call.index,
                    registers: regs,
                });
                tracked = object;
                k -= 1;
                at = call.offset;
            }
            _ => return Some(out),
        }
    }
    let first_arg = code.registers_size.checked_sub(code.ins_size)?;
    if k == 0 && !joins(&at) && tracked >= first_arg {
        out.parameter = Some(tracked - first_arg);
    }
    Some(out)
}

fn is_invoke(op: u8) -> bool {
    matches!(op, 0x6e..=0x72 | 0x74..=0x78)
}

/// Where a branch of `i` can go (a switch: `None`, not followed).
fn branch_targets(code: &CodeItem<'_>, i: &Insn) -> Option<Vec<u32>> {
    let raw = code.insns;
    let at = i.offset as usize * 2;
    let b1 = *raw.get(at + 1)?;
    let rel = |v: i32| u32::try_from(i64::from(i.offset) + i64::from(v)).ok();
    Some(match op_info(i.opcode).format {
        Format::F10t => rel(i32::from(b1 as i8)).into_iter().collect(),
        Format::F20t | Format::F21t | Format::F22t => rel(i32::from(u16_at(raw, at + 2)? as i16))
            .into_iter()
            .collect(),
        Format::F30t => rel(crate::bytes::u32_at(raw, at + 2)? as i32)
            .into_iter()
            .collect(),
        Format::F31t if matches!(i.opcode, 0x2b | 0x2c) => return None,
        _ => Vec::new(),
    })
}

/// The register `i` writes and whether the value is wide; `Some(None)` when
/// it writes none. Conservative as in [`crate::constant_at`]: formats whose
/// first register may be read (`iput`) count as writes.
fn written(code: &CodeItem<'_>, i: &Insn) -> Option<Option<(u16, bool)>> {
    let raw = code.insns;
    let at = i.offset as usize * 2;
    let b1 = *raw.get(at + 1)?;
    let dest = match i.opcode {
        0x03 | 0x06 | 0x09 => u16_at(raw, at + 2)?,
        _ => match op_info(i.opcode).format {
            Format::F12x | Format::F11n | Format::F22c | Format::F22s | Format::F22t => {
                u16::from(b1 & 0x0f)
            }
            Format::F10x
            | Format::F10t
            | Format::F20t
            | Format::F30t
            | Format::F35c
            | Format::F3rc
            | Format::F45cc
            | Format::F4rcc => return Some(None),
            _ => u16::from(b1),
        },
    };
    let wide = matches!(
        i.opcode,
        0x04..=0x06 | 0x0b | 0x16..=0x19 | 0x45 | 0x53 | 0x61 | 0x7d..=0x8c | 0x9b..=0xaf | 0xbb..=0xcf
    );
    Some(Some((dest, wide)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(units: &[u8]) -> CodeItem<'_> {
        CodeItem {
            registers_size: 5,
            ins_size: 0,
            outs_size: 3,
            tries_size: 0,
            debug_info_off: 0,
            insns: units,
        }
    }

    fn methods(t: &ObjectTrace) -> Vec<(u32, u32)> {
        t.calls.iter().map(|c| (c.offset, c.method)).collect()
    }

    // 0: new-instance v0, type@1; 2: invoke-direct {v0}, m@2;
    // 5: invoke-virtual {v0, v1}, m@5; 8: invoke-virtual {v2, v0, v3}, m@7;
    // 11: return-void.
    const STRAIGHT: [u8; 24] = [
        0x22, 0x00, 0x01, 0x00, 0x70, 0x10, 0x02, 0x00, 0x00, 0x00, 0x6e, 0x20, 0x05, 0x00, 0x10,
        0x00, 0x6e, 0x30, 0x07, 0x00, 0x02, 0x03, 0x0e, 0x00,
    ];

    #[test]
    fn every_call_since_the_object_was_made() {
        let t = trace(&code(&STRAIGHT), Vec::new(), 8, 0, |_| false).expect("readable");
        assert!(t.created);
        assert_eq!(methods(&t), vec![(5, 5), (2, 2)]);
        assert_eq!(t.calls[0].registers, vec![0, 1]);
        // v3 is never written: nothing seen, no origin.
        let t = trace(&code(&STRAIGHT), Vec::new(), 8, 3, |_| false).expect("readable");
        assert!(!t.created && t.calls.is_empty());
        // With no incoming argument v3 is a local; with two (v3, v4) it is
        // the first argument.
        assert_eq!(t.parameter, None);
        let mut two = code(&STRAIGHT);
        two.ins_size = 2;
        let t = trace(&two, Vec::new(), 8, 3, |_| false).expect("readable");
        assert_eq!(t.parameter, Some(0));
        // A branch back to the start: the argument may have changed.
        let t = trace(&two, vec![0], 8, 3, |_| false).expect("readable");
        assert_eq!(t.parameter, None);
        // A catch handler at 5 joins: only what follows it is certain.
        let t = trace(&code(&STRAIGHT), vec![5], 8, 0, |_| false).expect("readable");
        assert!(!t.created);
        assert_eq!(methods(&t), vec![(5, 5)]);
    }

    #[test]
    fn a_branch_joining_hides_what_came_before() {
        // 0: new-instance v0; 2: if-eqz v1, +6 (to 8); 4: invoke-virtual
        // {v0, v1}, m@5; 7: nop; 8: invoke-virtual {v2, v0, v3}, m@7.
        let c = [
            0x22, 0x00, 0x01, 0x00, 0x38, 0x01, 0x06, 0x00, 0x6e, 0x20, 0x05, 0x00, 0x10, 0x00,
            0x00, 0x00, 0x6e, 0x30, 0x07, 0x00, 0x02, 0x03, 0x0e, 0x00,
        ];
        let t = trace(&code(&c), Vec::new(), 8, 0, |_| false).expect("readable");
        assert!(!t.created && t.calls.is_empty());
    }

    #[test]
    fn a_builder_result_is_followed_only_when_it_returns_itself() {
        // 0: new-instance v0; 2: invoke-virtual {v0, v1}, m@5;
        // 5: move-result-object v4; 6: invoke-virtual {v2, v4, v3}, m@7.
        let c = [
            0x22, 0x00, 0x01, 0x00, 0x6e, 0x20, 0x05, 0x00, 0x10, 0x00, 0x0c, 0x04, 0x6e, 0x30,
            0x07, 0x00, 0x42, 0x03, 0x0e, 0x00,
        ];
        let t = trace(&code(&c), Vec::new(), 6, 4, |m| m == 5).expect("readable");
        assert!(t.created);
        assert_eq!(methods(&t), vec![(2, 5)]);
        let t = trace(&code(&c), Vec::new(), 6, 4, |_| false).expect("readable");
        assert!(!t.created && t.calls.is_empty());
    }
}
