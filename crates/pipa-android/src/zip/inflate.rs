//! Raw-deflate decompression with a hard output cap.
//!
//! `flate2::Decompress` is driven directly (rather than through `Read`) so that
//! a truncated stream is told apart from a complete one, and output never
//! grows past `cap + 1` bytes.

use flate2::{Decompress, FlushDecompress, Status};

/// How an inflate run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    /// The deflate stream ended properly.
    Complete,
    /// The input ran out before the end of the stream (partial output).
    Truncated,
}

/// Why an inflate run failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fail {
    /// The stream is not valid deflate.
    Corrupt(String),
    /// More than `cap` bytes would be produced; `produced` were inflated.
    OverCap { produced: u64 },
}

/// Largest expansion ratio of deflate (about 1032:1), used to bound the
/// initial allocation when the declared size is a lie.
const MAX_RATIO: u64 = 1032;
const MIN_GROW: usize = 32 * 1024;

/// Inflates raw deflate `input`, producing at most `cap` bytes. `size_hint` is
/// the declared uncompressed size, used only to size the first allocation.
pub(crate) fn inflate(input: &[u8], size_hint: u64, cap: u64) -> Result<(Vec<u8>, End), Fail> {
    let cap_usize = usize::try_from(cap).unwrap_or(usize::MAX - 1);
    let limit = cap_usize.saturating_add(1);
    let initial = size_hint.min(cap).min(
        (input.len() as u64)
            .saturating_mul(MAX_RATIO)
            .saturating_add(64),
    );
    let initial = usize::try_from(initial)
        .unwrap_or(0)
        .saturating_add(1)
        .min(limit);
    let mut out: Vec<u8> = Vec::with_capacity(initial);
    let mut d = Decompress::new(false);
    loop {
        if out.len() == out.capacity() {
            if out.len() > cap_usize {
                return Err(Fail::OverCap {
                    produced: out.len() as u64,
                });
            }
            let room = limit - out.len();
            let grow = room.min(out.len().max(MIN_GROW));
            out.reserve_exact(grow);
        }
        let consumed = usize::try_from(d.total_in()).unwrap_or(usize::MAX);
        let rest = input.get(consumed..).unwrap_or(&[]);
        let (in0, out0) = (d.total_in(), d.total_out());
        let status = d
            .decompress_vec(rest, &mut out, FlushDecompress::None)
            .map_err(|e| Fail::Corrupt(e.to_string()))?;
        if out.len() > cap_usize {
            return Err(Fail::OverCap {
                produced: out.len() as u64,
            });
        }
        match status {
            Status::StreamEnd => return Ok((out, End::Complete)),
            Status::Ok | Status::BufError => {
                let progressed = d.total_in() != in0 || d.total_out() != out0;
                if !progressed && out.len() < out.capacity() {
                    if rest.is_empty() {
                        return Ok((out, End::Truncated));
                    }
                    return Err(Fail::Corrupt("inflate made no progress".into()));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn deflate(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).ok();
        e.finish().unwrap_or_default()
    }

    #[test]
    fn roundtrip_and_caps() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let z = deflate(&data);
        let (out, end) = inflate(&z, data.len() as u64, 1 << 20).unwrap();
        assert_eq!(end, End::Complete);
        assert_eq!(out, data);
        // exact cap is fine, one less is over
        assert!(inflate(&z, 0, data.len() as u64).is_ok());
        assert!(matches!(
            inflate(&z, 0, data.len() as u64 - 1),
            Err(Fail::OverCap { .. })
        ));
        // lying size hint does not matter
        assert_eq!(inflate(&z, u64::MAX, 1 << 20).unwrap().0, data);
        // truncated input
        let (part, end) = inflate(&z[..z.len() / 2], 0, 1 << 20).unwrap();
        assert_eq!(end, End::Truncated);
        assert!(part.len() < data.len());
        assert!(data.starts_with(&part));
        // garbage
        assert!(matches!(
            inflate(&[0xff; 64], 0, 1 << 20),
            Err(Fail::Corrupt(_))
        ));
        // empty stream
        let (e, end) = inflate(&deflate(b""), 0, 0).unwrap();
        assert!(e.is_empty());
        assert_eq!(end, End::Complete);
    }
}
