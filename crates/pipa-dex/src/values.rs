//! `encoded_value` / `encoded_array` decoding, for the static values of a
//! class (the initial values of its `static final` constant fields).

use crate::leb128::read_uleb128;

/// Nesting bound for arrays and annotations inside a value (hostile input).
const MAX_DEPTH: u32 = 8;

/// One decoded static value, as far as pipa needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaticValue {
    /// A `string_ids` index.
    String(u32),
    /// An integral value (byte, short, char, int, long; sign-extended).
    Int(i64),
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// Anything else (float, double, type, method, array, annotation, …).
    Other,
}

/// Decodes the `encoded_array` at `off`: up to `max` values in order, or
/// `None` when the header is unreadable. A value that cannot be decoded ends
/// the list (the ones before it are kept).
pub fn encoded_array(d: &[u8], off: u32, max: usize) -> Option<Vec<StaticValue>> {
    let mut pos = off as usize;
    let n = read_uleb128(d, &mut pos)? as usize;
    let mut out = Vec::with_capacity(n.min(max).min(1024));
    for _ in 0..n.min(max) {
        match value(d, &mut pos, 0) {
            Some(v) => out.push(v),
            None => break,
        }
    }
    Some(out)
}

/// Decodes one `encoded_value` at `*pos`, advancing it.
fn value(d: &[u8], pos: &mut usize, depth: u32) -> Option<StaticValue> {
    if depth > MAX_DEPTH {
        return None;
    }
    let head = *d.get(*pos)?;
    *pos += 1;
    let (ty, arg) = (head & 0x1f, usize::from(head >> 5));
    let mut take = |n: usize| -> Option<&[u8]> {
        let b = d.get(*pos..pos.checked_add(n)?)?;
        *pos += n;
        Some(b)
    };
    let unsigned = |b: &[u8]| b.iter().rev().fold(0u64, |a, &x| (a << 8) | u64::from(x));
    let signed = |b: &[u8]| {
        let v = unsigned(b);
        let bits = (b.len() * 8) as u32;
        if bits >= 64 {
            v as i64
        } else {
            ((v << (64 - bits)) as i64) >> (64 - bits)
        }
    };
    Some(match ty {
        // byte, short, int, long: signed; char: unsigned.
        0x00 | 0x02 | 0x04 | 0x06 => StaticValue::Int(signed(take(arg + 1)?)),
        0x03 => StaticValue::Int(unsigned(take(arg + 1)?) as i64),
        // float, double, method_type, method_handle, type, field, method, enum
        0x10 | 0x11 | 0x15 | 0x16 | 0x18 | 0x19 | 0x1a | 0x1b => {
            take(arg + 1)?;
            StaticValue::Other
        }
        0x17 => StaticValue::String(u32::try_from(unsigned(take(arg + 1)?)).ok()?),
        0x1c => {
            let n = read_uleb128(d, pos)?;
            for _ in 0..n {
                value(d, pos, depth + 1)?;
            }
            StaticValue::Other
        }
        0x1d => {
            read_uleb128(d, pos)?; // type_idx
            let n = read_uleb128(d, pos)?;
            for _ in 0..n {
                read_uleb128(d, pos)?; // name_idx
                value(d, pos, depth + 1)?;
            }
            StaticValue::Other
        }
        0x1e => StaticValue::Null,
        0x1f => StaticValue::Bool(arg != 0),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_common_kinds() {
        let d = [
            7, // seven values
            0x17,
            0x05, // string@5 (1 byte)
            0x37,
            0x34,
            0x12, // string@0x1234 (arg 1 → 2 bytes)
            0x00,
            0xff, // byte -1
            0x24,
            0x00,
            0x01,            // int, 2 bytes: 0x100
            0x1f | (1 << 5), // true
            0x1e,            // null
            0x1c,
            0x02,
            0x00,
            0x01,
            0x1e, // array [byte 1, null]
        ];
        let v = encoded_array(&d, 0, 100).expect("header");
        assert_eq!(
            v,
            vec![
                StaticValue::String(5),
                StaticValue::String(0x1234),
                StaticValue::Int(-1),
                StaticValue::Int(0x100),
                StaticValue::Bool(true),
                StaticValue::Null,
                StaticValue::Other,
            ]
        );
    }

    #[test]
    fn hostile_input_ends_the_list() {
        // Claims 1000 values, has one, then an unknown type.
        assert_eq!(
            encoded_array(&[0xe8, 0x07, 0x1e, 0x0e], 0, 5000),
            Some(vec![StaticValue::Null])
        );
        // Truncated value.
        assert_eq!(encoded_array(&[1, 0x37, 0x01], 0, 10), Some(vec![]));
        // Deep nesting stops.
        let mut deep = vec![1u8];
        deep.extend(std::iter::repeat_n([0x1c, 0x01], 20).flatten());
        deep.push(0x1e);
        assert_eq!(encoded_array(&deep, 0, 10), Some(vec![]));
        assert_eq!(encoded_array(&[], 0, 10), None);
    }
}
