//! The `header_item` at the start of each dex (0x70 bytes, 0x78 from v041).

use crate::bytes::u32_at;
use crate::error::DexError;

/// Size of a v035-v040 header.
pub const HEADER_SIZE_V35: u32 = 0x70;
/// Size of a v041 header (adds `container_size` and `header_offset`).
pub const HEADER_SIZE_V41: u32 = 0x78;
/// The little-endian tag.
pub const ENDIAN_CONSTANT: u32 = 0x1234_5678;

/// Decoded header fields. Offsets are as stored (see [`crate::Dex`] for what
/// they are relative to).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct Header {
    /// Version number from the magic (`35` for `dex\n035\0`).
    pub version: u16,
    pub checksum: u32,
    pub signature: [u8; 20],
    pub file_size: u32,
    pub header_size: u32,
    pub endian_tag: u32,
    pub link_size: u32,
    pub link_off: u32,
    pub map_off: u32,
    pub string_ids_size: u32,
    pub string_ids_off: u32,
    pub type_ids_size: u32,
    pub type_ids_off: u32,
    pub proto_ids_size: u32,
    pub proto_ids_off: u32,
    pub field_ids_size: u32,
    pub field_ids_off: u32,
    pub method_ids_size: u32,
    pub method_ids_off: u32,
    pub class_defs_size: u32,
    pub class_defs_off: u32,
    pub data_size: u32,
    pub data_off: u32,
    /// v041: size of the whole container (0 before v041).
    pub container_size: u32,
    /// v041: offset of this header in the container (0 before v041).
    pub header_offset: u32,
}

/// True for the versions this reader knows (035, 037, 038, 039, 040, 041).
pub fn is_known_version(v: u16) -> bool {
    matches!(v, 35 | 37 | 38 | 39 | 40 | 41)
}

impl Header {
    /// Parses the header at the start of `d`. Fails when the magic is not a
    /// dex magic, the data is shorter than 0x70 bytes, or the file is
    /// big-endian.
    pub fn parse(d: &[u8]) -> Result<Header, DexError> {
        let head = d.get(..4).unwrap_or(d);
        if !b"dex\n".starts_with(head) || head.is_empty() {
            return Err(DexError::NotDex(format!("bad magic {:02x?}", head)));
        }
        let magic = d.get(..8).ok_or(DexError::Truncated {
            len: d.len(),
            need: HEADER_SIZE_V35 as usize,
        })?;
        if &magic[..4] != b"dex\n" || magic[7] != 0 {
            return Err(DexError::NotDex(format!("bad magic {:02x?}", magic)));
        }
        let digits = &magic[4..7];
        if !digits.iter().all(u8::is_ascii_digit) {
            return Err(DexError::NotDex(format!(
                "bad version digits {:02x?}",
                digits
            )));
        }
        let version = digits
            .iter()
            .fold(0u16, |a, &c| a * 10 + u16::from(c - b'0'));
        if d.len() < HEADER_SIZE_V35 as usize {
            return Err(DexError::Truncated {
                len: d.len(),
                need: HEADER_SIZE_V35 as usize,
            });
        }
        let r = |off: usize| u32_at(d, off).unwrap_or(0);
        let endian_tag = r(0x28);
        if endian_tag != ENDIAN_CONSTANT {
            return Err(DexError::BadEndian(endian_tag));
        }
        let mut signature = [0u8; 20];
        if let Some(s) = d.get(12..32) {
            signature.copy_from_slice(s);
        }
        let header_size = r(0x24);
        let (container_size, header_offset) =
            if version >= 41 && header_size >= HEADER_SIZE_V41 && d.len() >= 0x78 {
                (r(0x70), r(0x74))
            } else {
                (0, 0)
            };
        Ok(Header {
            version,
            checksum: r(8),
            signature,
            file_size: r(0x20),
            header_size,
            endian_tag,
            link_size: r(0x2c),
            link_off: r(0x30),
            map_off: r(0x34),
            string_ids_size: r(0x38),
            string_ids_off: r(0x3c),
            type_ids_size: r(0x40),
            type_ids_off: r(0x44),
            proto_ids_size: r(0x48),
            proto_ids_off: r(0x4c),
            field_ids_size: r(0x50),
            field_ids_off: r(0x54),
            method_ids_size: r(0x58),
            method_ids_off: r(0x5c),
            class_defs_size: r(0x60),
            class_defs_off: r(0x64),
            data_size: r(0x68),
            data_off: r(0x6c),
            container_size,
            header_offset,
        })
    }
}
