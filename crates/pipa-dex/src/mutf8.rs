//! Modified UTF-8 (dex string data) decoding and UTF-16-order comparison.

use std::borrow::Cow;
use std::cmp::Ordering;

/// Decodes MUTF-8 bytes (without the trailing NUL). Borrowed when the bytes
/// are also valid UTF-8 (always the case for ASCII); otherwise decoded via
/// UTF-16 code units, with U+FFFD for anything invalid (lossless for valid
/// MUTF-8, including surrogate pairs and `C0 80` for NUL).
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => {
            let units: Vec<u16> = Utf16Units::new(bytes).collect();
            Cow::Owned(String::from_utf16_lossy(&units))
        }
    }
}

/// Iterator over the UTF-16 code units encoded by MUTF-8 bytes; invalid
/// sequences yield U+FFFD.
#[derive(Debug, Clone)]
pub struct Utf16Units<'a> {
    d: &'a [u8],
    pos: usize,
}

impl<'a> Utf16Units<'a> {
    /// Starts at the beginning of `d`.
    pub fn new(d: &'a [u8]) -> Self {
        Utf16Units { d, pos: 0 }
    }

    #[inline]
    fn cont(&self, i: usize) -> Option<u16> {
        let b = *self.d.get(self.pos + i)?;
        (b & 0xc0 == 0x80).then_some(u16::from(b & 0x3f))
    }
}

impl Iterator for Utf16Units<'_> {
    type Item = u16;

    #[inline]
    fn next(&mut self) -> Option<u16> {
        let b = *self.d.get(self.pos)?;
        if b < 0x80 {
            self.pos += 1;
            return Some(u16::from(b));
        }
        if b & 0xe0 == 0xc0 {
            if let Some(c1) = self.cont(1) {
                self.pos += 2;
                return Some((u16::from(b & 0x1f) << 6) | c1);
            }
        } else if b & 0xf0 == 0xe0
            && let (Some(c1), Some(c2)) = (self.cont(1), self.cont(2))
        {
            self.pos += 3;
            return Some((u16::from(b & 0x0f) << 12) | (c1 << 6) | c2);
        }
        self.pos += 1;
        Some(0xfffd)
    }
}

/// Compares dex string bytes with a Rust string in the order used to sort
/// `string_ids` (UTF-16 code units).
pub fn cmp_with_str(mutf8: &[u8], s: &str) -> Ordering {
    Utf16Units::new(mutf8).cmp(s.encode_utf16())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_borrowed() {
        assert!(matches!(decode(b"Ljava/lang/Object;"), Cow::Borrowed(_)));
    }

    #[test]
    fn nul_and_surrogates() {
        // C0 80 = U+0000; ED A0 BD ED B8 80 = U+1F600 as a surrogate pair.
        let b = [
            b'a', 0xc0, 0x80, 0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80, 0xe4, 0xb8, 0xad,
        ];
        assert_eq!(decode(&b), "a\u{0}\u{1F600}中");
        assert_eq!(cmp_with_str(&b, "a\u{0}\u{1F600}中"), Ordering::Equal);
    }

    #[test]
    fn invalid_is_lossy() {
        assert_eq!(decode(&[b'x', 0xff, 0xe4]), "x\u{fffd}\u{fffd}");
    }
}
