//! `ResStringPool` reader shared by binary XML and resources.arsc, following
//! AOSP's `ResStringPool::setTo` / `stringAt`: offsets start right after the
//! header (at `headerSize`), string data at `stringsStart`, styles ignored.
//! Malformed parts are tolerated and reported; a bad string reads as absent.

use pipa_core::{AnomalySink, Severity};

/// Little-endian `u16` at `off`, if in bounds.
pub(crate) fn u16_at(data: &[u8], off: usize) -> Option<u16> {
    let b = data.get(off..off.checked_add(2)?)?;
    Some(u16::from_le_bytes([*b.first()?, *b.get(1)?]))
}

/// Little-endian `u32` at `off`, if in bounds.
pub(crate) fn u32_at(data: &[u8], off: usize) -> Option<u32> {
    let b = data.get(off..off.checked_add(4)?)?;
    let mut a = [0u8; 4];
    a.copy_from_slice(b);
    Some(u32::from_le_bytes(a))
}

/// Byte at `off`, if in bounds.
pub(crate) fn u8_at(data: &[u8], off: usize) -> Option<u8> {
    data.get(off).copied()
}

/// Which reader uses the pool (selects the anomaly code family).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    Axml,
    Arsc,
}

impl Origin {
    fn code(self, what: PoolCode) -> &'static str {
        use PoolCode::*;
        match (self, what) {
            (Origin::Axml, Header) => "axml.string_pool_header",
            (Origin::Arsc, Header) => "arsc.string_pool_header",
            (Origin::Axml, CountInflated) => "axml.string_count_inflated",
            (Origin::Arsc, CountInflated) => "arsc.string_count_inflated",
            (Origin::Axml, CountOverlap) => "axml.string_offsets_overlap_data",
            (Origin::Arsc, CountOverlap) => "arsc.string_offsets_overlap_data",
            (Origin::Axml, StringsStart) => "axml.strings_start",
            (Origin::Arsc, StringsStart) => "arsc.strings_start",
            (Origin::Axml, StylesStart) => "axml.styles_start",
            (Origin::Arsc, StylesStart) => "arsc.styles_start",
            (Origin::Axml, Unterminated) => "axml.string_pool_unterminated",
            (Origin::Arsc, Unterminated) => "arsc.string_pool_unterminated",
            (Origin::Axml, Gap) => "axml.string_pool_gap",
            (Origin::Arsc, Gap) => "arsc.string_pool_gap",
        }
    }
}

#[derive(Clone, Copy)]
enum PoolCode {
    Header,
    CountInflated,
    CountOverlap,
    StringsStart,
    StylesStart,
    Unterminated,
    Gap,
}

/// Why one string could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StrError {
    /// Index ≥ the string count.
    OutOfRange,
    /// Offset or length points outside the string data.
    OutOfBounds,
    /// No NUL after the declared length (Android rejects the string).
    NotTerminated,
}

impl StrError {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            StrError::OutOfRange => "index beyond the string count",
            StrError::OutOfBounds => "offset or length beyond the string data",
            StrError::NotTerminated => "string not NUL-terminated",
        }
    }
}

/// A string pool over borrowed bytes.
#[derive(Debug, Clone, Default)]
pub(crate) struct StringPool<'a> {
    /// The chunk, clamped to the available bytes.
    chunk: &'a [u8],
    utf8: bool,
    /// Offset of the `u32` offsets array (the chunk's `headerSize`).
    entries: usize,
    /// Usable string count (clamped so that the offsets array fits).
    count: usize,
    /// String data, `[start, end)` within `chunk`.
    strings_start: usize,
    strings_end: usize,
    /// The `stringCount` as declared.
    declared_count: u32,
}

impl<'a> StringPool<'a> {
    /// Reads the pool chunk `chunk` (starting at its `ResChunk_header`,
    /// already clamped to the available bytes; `declared_size` is the header's size).
    pub(crate) fn parse(
        chunk: &'a [u8],
        origin: Origin,
        location: &str,
        sink: &mut AnomalySink,
    ) -> StringPool<'a> {
        let header_size = u16_at(chunk, 2).unwrap_or(0) as usize;
        let declared_size = u32_at(chunk, 4).unwrap_or(0) as usize;
        let size = declared_size.min(chunk.len());
        let chunk = chunk.get(..size).unwrap_or(chunk);
        let (Some(count), Some(style_count), Some(flags), Some(strings_start), Some(styles_start)) = (
            u32_at(chunk, 8),
            u32_at(chunk, 12),
            u32_at(chunk, 16),
            u32_at(chunk, 20),
            u32_at(chunk, 24),
        ) else {
            sink.add(
                origin.code(PoolCode::Header),
                Severity::Error,
                location,
                format!("string pool chunk too short ({size} bytes): no strings"),
            );
            return StringPool::default();
        };
        if header_size < 0x1c || header_size > size {
            sink.add(
                origin.code(PoolCode::Header),
                Severity::Error,
                location,
                format!(
                    "string pool header size {header_size:#x} (chunk {size:#x}); Android rejects it"
                ),
            );
            return StringPool::default();
        }
        let utf8 = flags & 0x100 != 0;
        let mut pool = StringPool {
            chunk,
            utf8,
            entries: header_size,
            count: 0,
            strings_start: 0,
            strings_end: 0,
            declared_count: count,
        };
        if count == 0 {
            return pool;
        }
        let room = (size - header_size) / 4;
        let mut n = count as usize;
        if n > room {
            sink.add(
                origin.code(PoolCode::CountInflated),
                Severity::Error,
                location,
                format!("stringCount {count} but room for only {room} offsets; clamped (Android rejects the pool)"),
            );
            n = room;
        }
        pool.count = n;
        let strings_start = strings_start as usize;
        if strings_start >= size {
            sink.add(
                origin.code(PoolCode::StringsStart),
                Severity::Error,
                location,
                format!("stringsStart {strings_start:#x} beyond the pool ({size:#x} bytes)"),
            );
            return pool;
        }
        let offsets_end = header_size + n * 4;
        let declared_offsets_end = (header_size as u64) + (count as u64) * 4;
        if offsets_end > strings_start {
            sink.add(
                origin.code(PoolCode::CountOverlap),
                Severity::Warning,
                location,
                format!(
                    "stringCount {count}: offsets array ({header_size:#x}..{declared_offsets_end:#x}) runs into the string data at {strings_start:#x} (inflated count)"
                ),
            );
        } else if offsets_end.saturating_add((style_count as usize).saturating_mul(4))
            < strings_start
        {
            sink.add(
                origin.code(PoolCode::Gap),
                Severity::Info,
                location,
                format!(
                    "gap of {} bytes between the string offsets and the string data",
                    strings_start - offsets_end
                ),
            );
        }
        let mut end = size;
        if style_count != 0 {
            let ss = styles_start as usize;
            if ss > strings_start && ss < size {
                end = ss;
            } else {
                sink.add(
                    origin.code(PoolCode::StylesStart),
                    Severity::Warning,
                    location,
                    format!("stylesStart {ss:#x} out of place (stringsStart {strings_start:#x}, size {size:#x}); ignored"),
                );
            }
        }
        pool.strings_start = strings_start;
        pool.strings_end = end;
        // Android: the last unit of the string data must be 0.
        let last_ok = if utf8 {
            end.checked_sub(1).and_then(|i| u8_at(chunk, i)) == Some(0)
        } else {
            end.checked_sub(2).and_then(|i| u16_at(chunk, i)) == Some(0)
        };
        if !last_ok {
            sink.add(
                origin.code(PoolCode::Unterminated),
                Severity::Warning,
                location,
                "string data does not end with a NUL (Android rejects the pool)",
            );
        }
        pool
    }

    /// Number of readable strings.
    pub(crate) fn len(&self) -> usize {
        self.count
    }

    /// The `stringCount` as declared in the header.
    #[allow(dead_code)]
    pub(crate) fn declared_count(&self) -> u32 {
        self.declared_count
    }

    /// True for a UTF-8 pool.
    pub(crate) fn is_utf8(&self) -> bool {
        self.utf8
    }

    /// String `idx`, read the way `ResStringPool::stringAt` does.
    pub(crate) fn get(&self, idx: u32) -> Result<String, StrError> {
        let idx = idx as usize;
        if idx >= self.count {
            return Err(StrError::OutOfRange);
        }
        let off = idx
            .checked_mul(4)
            .and_then(|o| o.checked_add(self.entries))
            .and_then(|o| u32_at(self.chunk, o))
            .ok_or(StrError::OutOfRange)? as usize;
        let strings = self
            .chunk
            .get(self.strings_start..self.strings_end)
            .ok_or(StrError::OutOfBounds)?;
        if self.utf8 {
            decode_utf8(strings, off)
        } else {
            decode_utf16(strings, off & !1)
        }
    }
}

fn decode_utf8(strings: &[u8], off: usize) -> Result<String, StrError> {
    if off >= strings.len().saturating_sub(1) {
        return Err(StrError::OutOfBounds);
    }
    let mut p = off;
    let len8 = |p: &mut usize| -> Result<usize, StrError> {
        let b0 = u8_at(strings, *p).ok_or(StrError::OutOfBounds)? as usize;
        *p += 1;
        if b0 & 0x80 != 0 {
            let b1 = u8_at(strings, *p).ok_or(StrError::OutOfBounds)? as usize;
            *p += 1;
            Ok(((b0 & 0x7f) << 8) | b1)
        } else {
            Ok(b0)
        }
    };
    let _u16len = len8(&mut p)?;
    let u8len = len8(&mut p)?;
    let end = p.checked_add(u8len).ok_or(StrError::OutOfBounds)?;
    if end >= strings.len() {
        return Err(StrError::OutOfBounds);
    }
    if u8_at(strings, end) != Some(0) {
        return Err(StrError::NotTerminated);
    }
    let bytes = strings.get(p..end).ok_or(StrError::OutOfBounds)?;
    Ok(decode_mutf8(bytes))
}

/// UTF-8 as aapt writes it; CESU-8 surrogate pairs and stray bytes tolerated.
fn decode_mutf8(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => {
            // Try CESU-8 / modified UTF-8 by going through UTF-16 units.
            let mut units: Vec<u16> = Vec::with_capacity(bytes.len());
            let mut i = 0;
            while let Some(&b) = bytes.get(i) {
                let (unit, n) = if b < 0x80 {
                    (b as u32, 1)
                } else if b & 0xe0 == 0xc0 {
                    let c1 = bytes.get(i + 1).copied().unwrap_or(0x80) as u32;
                    ((((b & 0x1f) as u32) << 6) | (c1 & 0x3f), 2)
                } else if b & 0xf0 == 0xe0 {
                    let c1 = bytes.get(i + 1).copied().unwrap_or(0x80) as u32;
                    let c2 = bytes.get(i + 2).copied().unwrap_or(0x80) as u32;
                    (
                        (((b & 0x0f) as u32) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f),
                        3,
                    )
                } else if b & 0xf8 == 0xf0 {
                    let c1 = bytes.get(i + 1).copied().unwrap_or(0x80) as u32;
                    let c2 = bytes.get(i + 2).copied().unwrap_or(0x80) as u32;
                    let c3 = bytes.get(i + 3).copied().unwrap_or(0x80) as u32;
                    let cp = (((b & 0x07) as u32) << 18)
                        | ((c1 & 0x3f) << 12)
                        | ((c2 & 0x3f) << 6)
                        | (c3 & 0x3f);
                    if let Some(c) = char::from_u32(cp) {
                        let mut buf = [0u16; 2];
                        units.extend_from_slice(c.encode_utf16(&mut buf));
                    } else {
                        units.push(0xfffd);
                    }
                    i += 4;
                    continue;
                } else {
                    (0xfffd, 1)
                };
                units.push(unit as u16);
                i += n;
            }
            char::decode_utf16(units.iter().copied())
                .map(|r| r.unwrap_or('\u{fffd}'))
                .collect()
        }
    }
}

fn decode_utf16(strings: &[u8], off: usize) -> Result<String, StrError> {
    let units_total = strings.len() / 2;
    let off_units = off / 2;
    if off_units >= units_total.saturating_sub(1) {
        return Err(StrError::OutOfBounds);
    }
    let mut p = off;
    let first = u16_at(strings, p).ok_or(StrError::OutOfBounds)? as usize;
    p += 2;
    let len = if first & 0x8000 != 0 {
        let second = u16_at(strings, p).ok_or(StrError::OutOfBounds)? as usize;
        p += 2;
        ((first & 0x7fff) << 16) | second
    } else {
        first
    };
    let end = len
        .checked_mul(2)
        .and_then(|l| l.checked_add(p))
        .ok_or(StrError::OutOfBounds)?;
    if end / 2 >= units_total {
        return Err(StrError::OutOfBounds);
    }
    if u16_at(strings, end) != Some(0) {
        return Err(StrError::NotTerminated);
    }
    let bytes = strings.get(p..end).ok_or(StrError::OutOfBounds)?;
    let units = bytes.chunks_exact(2).map(|c| {
        u16::from_le_bytes([
            c.first().copied().unwrap_or(0),
            c.get(1).copied().unwrap_or(0),
        ])
    });
    Ok(char::decode_utf16(units)
        .map(|r| r.unwrap_or('\u{fffd}'))
        .collect())
}
