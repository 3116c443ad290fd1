//! One dex file (or one dex of a v041 container): lazy, zero-copy accessors
//! over the id tables.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::ops::Range;

use crate::bytes::{table, u16_at, u32_at};
use crate::class_data::{ClassData, ClassDef, NO_INDEX};
use crate::code::CodeItem;
use crate::error::DexError;
use crate::header::Header;
use crate::leb128::read_uleb128;
use crate::mutf8;

/// A `proto_id_item`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProtoId {
    /// `string_ids` index of the shorty.
    pub shorty_idx: u32,
    /// `type_ids` index of the return type.
    pub return_type_idx: u32,
    /// Offset of the parameter `type_list`, or 0.
    pub parameters_off: u32,
}

/// A `field_id_item`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldId {
    /// `type_ids` index of the defining class.
    pub class_idx: u16,
    /// `type_ids` index of the field type.
    pub type_idx: u16,
    /// `string_ids` index of the name.
    pub name_idx: u32,
}

/// A `method_id_item`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodId {
    /// `type_ids` index of the defining class.
    pub class_idx: u16,
    /// `proto_ids` index.
    pub proto_idx: u16,
    /// `string_ids` index of the name.
    pub name_idx: u32,
}

/// A resolved method reference. Displays as smali
/// `Lcom/Foo;->bar(ILjava/lang/String;)V`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MethodRef<'a> {
    /// Class descriptor, `Lcom/Foo;`.
    pub class: Cow<'a, str>,
    /// Method name.
    pub name: Cow<'a, str>,
    /// Prototype descriptor `(params)ret`.
    pub proto: String,
}

impl fmt::Display for MethodRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}->{}{}", self.class, self.name, self.proto)
    }
}

/// A resolved field reference. Displays as `Lcom/Foo;->NAME:Ljava/lang/String;`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldRef<'a> {
    /// Class descriptor.
    pub class: Cow<'a, str>,
    /// Field name.
    pub name: Cow<'a, str>,
    /// Field type descriptor.
    pub type_: Cow<'a, str>,
}

impl fmt::Display for FieldRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}->{}:{}", self.class, self.name, self.type_)
    }
}

/// Integrity check outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Check {
    /// Matches.
    Ok,
    /// Does not match.
    Bad,
    /// Not computed (switched off in [`crate::ParseOptions`]).
    Skipped,
}

/// One parsed dex.
///
/// Offsets into the id tables (`string_ids_off`, …) are relative to this
/// dex's header; data offsets (string data, class data, code, type lists)
/// are relative to the start of the container (the whole buffer), which is
/// the same thing for v035-v040 files.
#[derive(Debug, Clone)]
pub struct Dex<'a> {
    pub(crate) data: &'a [u8],
    pub(crate) base: usize,
    pub(crate) header: Header,
    pub(crate) location: String,
    pub(crate) checksum: Check,
    pub(crate) signature: Check,
    pub(crate) anomalies: u32,
    pub(crate) string_ids: &'a [u8],
    pub(crate) type_ids: &'a [u8],
    pub(crate) proto_ids: &'a [u8],
    pub(crate) field_ids: &'a [u8],
    pub(crate) method_ids: &'a [u8],
    pub(crate) class_defs: &'a [u8],
}

impl<'a> Dex<'a> {
    /// Builds the view once the header is known; fails when an id table lies
    /// outside the data.
    pub(crate) fn new(
        data: &'a [u8],
        base: usize,
        header: Header,
        location: String,
    ) -> Result<Dex<'a>, DexError> {
        let own = data.get(base..).unwrap_or(&[]);
        let t = |name: &'static str, off: u32, count: u32, size: usize| {
            if count == 0 {
                return Ok(&own[..0]);
            }
            table(own, off, count, size).ok_or(DexError::BadIdTable {
                table: name,
                count,
                offset: off,
                len: own.len(),
            })
        };
        let h = &header;
        Ok(Dex {
            string_ids: t("string_ids", h.string_ids_off, h.string_ids_size, 4)?,
            type_ids: t("type_ids", h.type_ids_off, h.type_ids_size, 4)?,
            proto_ids: t("proto_ids", h.proto_ids_off, h.proto_ids_size, 12)?,
            field_ids: t("field_ids", h.field_ids_off, h.field_ids_size, 8)?,
            method_ids: t("method_ids", h.method_ids_off, h.method_ids_size, 8)?,
            class_defs: t("class_defs", h.class_defs_off, h.class_defs_size, 32)?,
            data,
            base,
            header,
            location,
            checksum: Check::Skipped,
            signature: Check::Skipped,
            anomalies: 0,
        })
    }

    /// The decoded header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Version number: 35, 37, 38, 39, 40 or 41 (or whatever digits an
    /// unknown version had).
    pub fn version(&self) -> u16 {
        self.header.version
    }

    /// Where the dex came from (`classes2.dex`, `classes.dex#1` for the second
    /// dex of a container).
    pub fn location(&self) -> &str {
        &self.location
    }

    /// Offset of this dex's header in the buffer (non-zero only in containers).
    pub fn header_offset(&self) -> usize {
        self.base
    }

    /// Bytes of this dex: its `file_size` when plausible, else the rest of
    /// the buffer from its header.
    pub fn own_len(&self) -> usize {
        let avail = self.data.len().saturating_sub(self.base);
        let fs = self.header.file_size as usize;
        if (0x70..=avail).contains(&fs) {
            fs
        } else {
            avail
        }
    }

    /// The whole buffer (data offsets are relative to it).
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// Adler-32 check result.
    pub fn checksum_check(&self) -> Check {
        self.checksum
    }

    /// SHA-1 signature check result.
    pub fn signature_check(&self) -> Check {
        self.signature
    }

    /// Number of anomalies recorded while parsing this dex.
    pub fn parse_anomalies(&self) -> u32 {
        self.anomalies
    }

    /// Number of `string_ids`.
    pub fn string_ids_count(&self) -> u32 {
        (self.string_ids.len() / 4) as u32
    }
    /// Number of `type_ids`.
    pub fn type_ids_count(&self) -> u32 {
        (self.type_ids.len() / 4) as u32
    }
    /// Number of `proto_ids`.
    pub fn proto_ids_count(&self) -> u32 {
        (self.proto_ids.len() / 12) as u32
    }
    /// Number of `field_ids`.
    pub fn field_ids_count(&self) -> u32 {
        (self.field_ids.len() / 8) as u32
    }
    /// Number of `method_ids`.
    pub fn method_ids_count(&self) -> u32 {
        (self.method_ids.len() / 8) as u32
    }
    /// Number of `class_defs`.
    pub fn class_defs_count(&self) -> u32 {
        (self.class_defs.len() / ClassDef::SIZE) as u32
    }

    // ---- strings -------------------------------------------------------

    /// Offset of the `string_data_item` of string `idx`.
    pub fn string_data_off(&self, idx: u32) -> Option<u32> {
        u32_at(self.string_ids, (idx as usize).checked_mul(4)?)
    }

    /// Raw MUTF-8 bytes of string `idx` (without length prefix and NUL).
    /// The NUL is searched for within `3 * utf16_len + 1` bytes at most.
    pub fn string_bytes(&self, idx: u32) -> Option<&'a [u8]> {
        let mut p = self.string_data_off(idx)? as usize;
        let units = read_uleb128(self.data, &mut p)? as usize;
        let rest = self.data.get(p..)?;
        let window = rest
            .get(..units.saturating_mul(3).saturating_add(1))
            .unwrap_or(rest);
        let end = memchr::memchr(0, window)?;
        window.get(..end)
    }

    /// String `idx`, decoded (borrowed when it is valid UTF-8).
    pub fn string(&self, idx: u32) -> Option<Cow<'a, str>> {
        self.string_bytes(idx).map(mutf8::decode)
    }

    /// Binary-searches `string_ids` (sorted by UTF-16 code units) for `s`.
    pub fn find_string(&self, s: &str) -> Option<u32> {
        let n = self.string_ids_count();
        let lo = partition(0..n, |i| {
            self.string_bytes(i)
                .map_or(Ordering::Less, |b| mutf8::cmp_with_str(b, s))
                == Ordering::Less
        });
        (lo < n
            && self
                .string_bytes(lo)
                .is_some_and(|b| mutf8::cmp_with_str(b, s) == Ordering::Equal))
        .then_some(lo)
    }

    // ---- types ---------------------------------------------------------

    /// `string_ids` index of type `idx`'s descriptor.
    pub fn type_string_idx(&self, idx: u32) -> Option<u32> {
        u32_at(self.type_ids, (idx as usize).checked_mul(4)?)
    }

    /// Raw MUTF-8 descriptor of type `idx`.
    pub fn type_bytes(&self, idx: u32) -> Option<&'a [u8]> {
        self.string_bytes(self.type_string_idx(idx)?)
    }

    /// Descriptor of type `idx`, e.g. `Ljava/lang/String;`.
    pub fn type_descriptor(&self, idx: u32) -> Option<Cow<'a, str>> {
        self.string(self.type_string_idx(idx)?)
    }

    /// Finds the type with descriptor `desc` (binary search).
    pub fn find_type(&self, desc: &str) -> Option<u32> {
        let s = self.find_string(desc)?;
        let n = self.type_ids_count();
        let lo = partition(0..n, |i| self.type_string_idx(i).is_some_and(|x| x < s));
        (self.type_string_idx(lo) == Some(s)).then_some(lo)
    }

    /// The types whose descriptors start with `prefix` (e.g. `Lcom/umeng/`),
    /// as a range of type indices (types are sorted by descriptor).
    pub fn types_with_prefix(&self, prefix: &str) -> Range<u32> {
        let n = self.type_ids_count();
        let plen = prefix.encode_utf16().count();
        let key = |i: u32| -> Ordering {
            match self.type_bytes(i) {
                None => Ordering::Less,
                Some(b) => mutf8::Utf16Units::new(b)
                    .take(plen)
                    .cmp(prefix.encode_utf16()),
            }
        };
        let lo = partition(0..n, |i| key(i) == Ordering::Less);
        let hi = partition(lo..n, |i| key(i) != Ordering::Greater);
        lo..hi
    }

    // ---- protos --------------------------------------------------------

    /// The `proto_id_item` at `idx`.
    pub fn proto_id(&self, idx: u32) -> Option<ProtoId> {
        let o = (idx as usize).checked_mul(12)?;
        Some(ProtoId {
            shorty_idx: u32_at(self.proto_ids, o)?,
            return_type_idx: u32_at(self.proto_ids, o + 4)?,
            parameters_off: u32_at(self.proto_ids, o + 8)?,
        })
    }

    /// The `type_list` at `off` (type indices). Empty for offset 0;
    /// `None` when it lies outside the data.
    pub fn type_list(&self, off: u32) -> Option<impl Iterator<Item = u32> + 'a> {
        let items: &'a [u8] = if off == 0 {
            &[]
        } else {
            let size = u32_at(self.data, off as usize)?;
            table(self.data, off.checked_add(4)?, size, 2)?
        };
        Some(
            items
                .chunks_exact(2)
                .map(|c| u32::from(u16::from_le_bytes([c[0], c[1]]))),
        )
    }

    /// Prototype descriptor `(params)ret` of proto `idx`.
    pub fn proto_descriptor(&self, idx: u32) -> Option<String> {
        let p = self.proto_id(idx)?;
        let mut s = String::with_capacity(32);
        s.push('(');
        for t in self.type_list(p.parameters_off)? {
            s.push_str(&self.type_descriptor(t)?);
        }
        s.push(')');
        s.push_str(&self.type_descriptor(p.return_type_idx)?);
        Some(s)
    }

    // ---- fields and methods -------------------------------------------

    /// The `field_id_item` at `idx`.
    pub fn field_id(&self, idx: u32) -> Option<FieldId> {
        let o = (idx as usize).checked_mul(8)?;
        Some(FieldId {
            class_idx: u16_at(self.field_ids, o)?,
            type_idx: u16_at(self.field_ids, o + 2)?,
            name_idx: u32_at(self.field_ids, o + 4)?,
        })
    }

    /// Field `idx` resolved to strings.
    pub fn field_ref(&self, idx: u32) -> Option<FieldRef<'a>> {
        let f = self.field_id(idx)?;
        Some(FieldRef {
            class: self.type_descriptor(f.class_idx.into())?,
            name: self.string(f.name_idx)?,
            type_: self.type_descriptor(f.type_idx.into())?,
        })
    }

    /// The `method_id_item` at `idx`.
    pub fn method_id(&self, idx: u32) -> Option<MethodId> {
        let o = (idx as usize).checked_mul(8)?;
        Some(MethodId {
            class_idx: u16_at(self.method_ids, o)?,
            proto_idx: u16_at(self.method_ids, o + 2)?,
            name_idx: u32_at(self.method_ids, o + 4)?,
        })
    }

    /// Method `idx` resolved to strings.
    pub fn method_ref(&self, idx: u32) -> Option<MethodRef<'a>> {
        let m = self.method_id(idx)?;
        Some(MethodRef {
            class: self.type_descriptor(m.class_idx.into())?,
            name: self.string(m.name_idx)?,
            proto: self.proto_descriptor(m.proto_idx.into())?,
        })
    }

    /// `method_ids` whose class is `class_idx` and name is `name_idx`
    /// (binary search; `method_ids` are sorted by class, name, proto).
    pub fn methods_named(&self, class_idx: u32, name_idx: u32) -> Range<u32> {
        let n = self.method_ids_count();
        let key = |i: u32| {
            self.method_id(i)
                .map(|m| (u32::from(m.class_idx), m.name_idx))
        };
        let lo = partition(0..n, |i| key(i).is_some_and(|k| k < (class_idx, name_idx)));
        let hi = partition(lo..n, |i| {
            key(i).is_some_and(|k| k <= (class_idx, name_idx))
        });
        lo..hi
    }

    /// `method_ids` of the classes in the type range `types`.
    pub fn methods_of_types(&self, types: Range<u32>) -> Range<u32> {
        let n = self.method_ids_count();
        let cls = |i: u32| {
            self.method_id(i)
                .map_or(u32::MAX, |m| u32::from(m.class_idx))
        };
        let lo = partition(0..n, |i| cls(i) < types.start);
        let hi = partition(lo..n, |i| cls(i) < types.end);
        lo..hi
    }

    /// `field_ids` whose class is `class_idx` and name is `name_idx`.
    pub fn fields_named(&self, class_idx: u32, name_idx: u32) -> Range<u32> {
        let n = self.field_ids_count();
        let key = |i: u32| {
            self.field_id(i)
                .map(|m| (u32::from(m.class_idx), m.name_idx))
        };
        let lo = partition(0..n, |i| key(i).is_some_and(|k| k < (class_idx, name_idx)));
        let hi = partition(lo..n, |i| {
            key(i).is_some_and(|k| k <= (class_idx, name_idx))
        });
        lo..hi
    }

    // ---- classes -------------------------------------------------------

    /// The `class_def_item` at `idx`.
    pub fn class_def(&self, idx: u32) -> Option<ClassDef> {
        let o = (idx as usize).checked_mul(ClassDef::SIZE)?;
        ClassDef::parse(self.class_defs.get(o..o.checked_add(ClassDef::SIZE)?)?)
    }

    /// All class defs in file order.
    pub fn class_defs(&self) -> impl Iterator<Item = ClassDef> + '_ {
        self.class_defs
            .chunks_exact(ClassDef::SIZE)
            .filter_map(ClassDef::parse)
    }

    /// Superclass descriptor of `cd` (`None` for `java.lang.Object` or bad data).
    pub fn superclass(&self, cd: &ClassDef) -> Option<Cow<'a, str>> {
        if cd.superclass_idx == NO_INDEX {
            return None;
        }
        self.type_descriptor(cd.superclass_idx)
    }

    /// Interface type indices of `cd` (empty when none or unreadable).
    pub fn interfaces(&self, cd: &ClassDef) -> Vec<u32> {
        self.type_list(cd.interfaces_off)
            .map(Iterator::collect)
            .unwrap_or_default()
    }

    /// Decoded `class_data_item` of `cd`: `Some(empty)` when the class has
    /// none, `None` when it is unreadable.
    pub fn class_data(&self, cd: &ClassDef) -> Option<ClassData> {
        if cd.class_data_off == 0 {
            return Some(ClassData::default());
        }
        ClassData::parse(self.data, cd.class_data_off)
    }

    /// The static fields of `cd` that have an initial value in its
    /// `static_values` array, as (`field_ids` index, value), in declaration
    /// order. Empty when the class has none or they are unreadable.
    pub fn static_values(&self, cd: &ClassDef) -> Vec<(u32, crate::StaticValue)> {
        if cd.static_values_off == 0 {
            return Vec::new();
        }
        let Some(data) = self.class_data(cd) else {
            return Vec::new();
        };
        let max = data.static_fields.len();
        let Some(values) = crate::values::encoded_array(self.data, cd.static_values_off, max)
        else {
            return Vec::new();
        };
        data.static_fields
            .iter()
            .zip(values)
            .map(|(f, v)| (f.field_idx, v))
            .collect()
    }

    /// The `code_item` at `code_off` (as found in an encoded method).
    pub fn code_item(&self, code_off: u32) -> Option<CodeItem<'a>> {
        if code_off == 0 {
            return None;
        }
        CodeItem::parse(self.data, code_off)
    }
}

/// First index in `r` for which `pred` is false (`pred` must be true on a
/// prefix of the range).
pub(crate) fn partition(r: Range<u32>, mut pred: impl FnMut(u32) -> bool) -> u32 {
    let (mut lo, mut hi) = (r.start, r.end.max(r.start));
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}
