//! Bounds-checked little-endian reads.

#[inline]
pub(crate) fn u16_at(d: &[u8], off: usize) -> Option<u16> {
    let b = d.get(off..off.checked_add(2)?)?;
    Some(u16::from_le_bytes([b[0], b[1]]))
}

#[inline]
pub(crate) fn u32_at(d: &[u8], off: usize) -> Option<u32> {
    let b = d.get(off..off.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// The `count * size` bytes at `off`, if they all lie inside `d`.
#[inline]
pub(crate) fn table(d: &[u8], off: u32, count: u32, size: usize) -> Option<&[u8]> {
    let len = (count as usize).checked_mul(size)?;
    let start = off as usize;
    d.get(start..start.checked_add(len)?)
}
