//! LEB128 decoding (as used by dex: at most five bytes, 32-bit values).

/// Reads an unsigned LEB128 value at `*pos`, advancing it. `None` when the
/// data ends first or the encoding is longer than five bytes.
#[inline]
pub fn read_uleb128(d: &[u8], pos: &mut usize) -> Option<u32> {
    let mut result: u32 = 0;
    let mut shift = 0u32;
    let mut p = *pos;
    loop {
        let b = *d.get(p)?;
        p += 1;
        result |= u32::from(b & 0x7f).wrapping_shl(shift);
        if b & 0x80 == 0 {
            *pos = p;
            return Some(result);
        }
        shift += 7;
        if shift >= 35 {
            return None;
        }
    }
}

/// Reads a signed LEB128 value at `*pos`, advancing it.
#[inline]
pub fn read_sleb128(d: &[u8], pos: &mut usize) -> Option<i32> {
    let mut result: u32 = 0;
    let mut shift = 0u32;
    let mut p = *pos;
    loop {
        let b = *d.get(p)?;
        p += 1;
        result |= u32::from(b & 0x7f).wrapping_shl(shift);
        shift += 7;
        if b & 0x80 == 0 {
            if shift < 32 && (b & 0x40) != 0 {
                result |= u32::MAX << shift;
            }
            *pos = p;
            return Some(result as i32);
        }
        if shift >= 35 {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uleb() {
        let cases: &[(&[u8], u32)] = &[
            (&[0x00], 0),
            (&[0x01], 1),
            (&[0x7f], 127),
            (&[0x80, 0x7f], 16256),
            (&[0xff, 0xff, 0xff, 0xff, 0x0f], u32::MAX),
        ];
        for (b, v) in cases {
            let mut p = 0;
            assert_eq!(read_uleb128(b, &mut p), Some(*v));
            assert_eq!(p, b.len());
        }
        let mut p = 0;
        assert_eq!(read_uleb128(&[0x80, 0x80], &mut p), None);
        assert_eq!(read_uleb128(&[0x80; 9], &mut p), None);
    }

    #[test]
    fn sleb() {
        let cases: &[(&[u8], i32)] = &[
            (&[0x00], 0),
            (&[0x01], 1),
            (&[0x7f], -1),
            (&[0x80, 0x7f], -128),
            (&[0x3c], 60),
        ];
        for (b, v) in cases {
            let mut p = 0;
            assert_eq!(read_sleb128(b, &mut p), Some(*v));
        }
    }
}
