//! Bounds-checked little-endian reads over the archive bytes.

/// Reads a little-endian `u16` at `off`, or `None` past the end.
pub(crate) fn u16_at(d: &[u8], off: usize) -> Option<u16> {
    let b: [u8; 2] = d.get(off..off.checked_add(2)?)?.try_into().ok()?;
    Some(u16::from_le_bytes(b))
}

/// Reads a little-endian `u32` at `off`, or `None` past the end.
pub(crate) fn u32_at(d: &[u8], off: usize) -> Option<u32> {
    let b: [u8; 4] = d.get(off..off.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_le_bytes(b))
}

/// Reads a little-endian `u64` at `off`, or `None` past the end.
pub(crate) fn u64_at(d: &[u8], off: usize) -> Option<u64> {
    let b: [u8; 8] = d.get(off..off.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(b))
}

/// Converts a file offset to `usize`, or `None` when it cannot index memory.
pub(crate) fn to_usize(v: u64) -> Option<usize> {
    usize::try_from(v).ok()
}

/// The slice `d[start..start+len]` for 64-bit file coordinates, if in bounds.
pub(crate) fn slice_at(d: &[u8], start: u64, len: u64) -> Option<&[u8]> {
    let s = to_usize(start)?;
    let e = s.checked_add(to_usize(len)?)?;
    d.get(s..e)
}
