//! `class_def_item` and `class_data_item` (uleb128-encoded fields and methods).

use crate::bytes::u32_at;
use crate::leb128::read_uleb128;

/// Marker for "no index" in `class_def_item` (superclass, source file).
pub const NO_INDEX: u32 = 0xffff_ffff;

/// One `class_def_item` (32 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassDef {
    /// `type_ids` index of the class.
    pub class_idx: u32,
    /// Access flags (`ACC_PUBLIC` = 0x1, `ACC_INTERFACE` = 0x200, …).
    pub access_flags: u32,
    /// `type_ids` index of the superclass, or [`NO_INDEX`].
    pub superclass_idx: u32,
    /// Offset of the `type_list` of interfaces, or 0.
    pub interfaces_off: u32,
    /// `string_ids` index of the source file name, or [`NO_INDEX`].
    pub source_file_idx: u32,
    /// Offset of the annotations directory, or 0.
    pub annotations_off: u32,
    /// Offset of the `class_data_item`, or 0 (no fields or methods).
    pub class_data_off: u32,
    /// Offset of the static values array, or 0.
    pub static_values_off: u32,
}

impl ClassDef {
    /// Size of one item in bytes.
    pub const SIZE: usize = 32;

    pub(crate) fn parse(b: &[u8]) -> Option<ClassDef> {
        let r = |i: usize| u32_at(b, i * 4);
        Some(ClassDef {
            class_idx: r(0)?,
            access_flags: r(1)?,
            superclass_idx: r(2)?,
            interfaces_off: r(3)?,
            source_file_idx: r(4)?,
            annotations_off: r(5)?,
            class_data_off: r(6)?,
            static_values_off: r(7)?,
        })
    }
}

/// A field declared in `class_data_item`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodedField {
    /// `field_ids` index (already un-delta-encoded).
    pub field_idx: u32,
    /// Access flags.
    pub access_flags: u32,
}

/// A method declared in `class_data_item`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodedMethod {
    /// `method_ids` index (already un-delta-encoded).
    pub method_idx: u32,
    /// Access flags (`ACC_STATIC` = 0x8, `ACC_NATIVE` = 0x100, …).
    pub access_flags: u32,
    /// Offset of the `code_item`, or 0 for abstract and native methods.
    pub code_off: u32,
}

/// A decoded `class_data_item`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClassData {
    /// Static fields.
    pub static_fields: Vec<EncodedField>,
    /// Instance fields.
    pub instance_fields: Vec<EncodedField>,
    /// Direct methods (static, private, constructors).
    pub direct_methods: Vec<EncodedMethod>,
    /// Virtual methods.
    pub virtual_methods: Vec<EncodedMethod>,
}

impl ClassData {
    /// Decodes the item at `off` in `d`. `None` when it runs past the end of
    /// the data or a uleb128 is malformed.
    pub fn parse(d: &[u8], off: u32) -> Option<ClassData> {
        let mut cd = ClassData::default();
        cd.parse_into(d, off).then_some(cd)
    }

    /// Like [`ClassData::parse`] but reuses this value's allocations. Returns
    /// false (leaving whatever was decoded so far) on malformed data.
    pub fn parse_into(&mut self, d: &[u8], off: u32) -> bool {
        self.static_fields.clear();
        self.instance_fields.clear();
        self.direct_methods.clear();
        self.virtual_methods.clear();
        let mut p = off as usize;
        let mut counts = [0u32; 4];
        for c in &mut counts {
            match read_uleb128(d, &mut p) {
                Some(v) => *c = v,
                None => return false,
            }
        }
        let remaining = d.len().saturating_sub(p);
        // Each field takes at least 2 bytes and each method 3: a hostile count
        // cannot make us reserve more than the data could hold.
        let [sf, inf, dm, vm] = counts;
        for (n, list) in [
            (sf, &mut self.static_fields),
            (inf, &mut self.instance_fields),
        ] {
            list.reserve((n as usize).min(remaining / 2));
            let mut idx = 0u32;
            for _ in 0..n {
                let (Some(diff), Some(flags)) = (read_uleb128(d, &mut p), read_uleb128(d, &mut p))
                else {
                    return false;
                };
                idx = idx.wrapping_add(diff);
                list.push(EncodedField {
                    field_idx: idx,
                    access_flags: flags,
                });
            }
        }
        for (n, list) in [
            (dm, &mut self.direct_methods),
            (vm, &mut self.virtual_methods),
        ] {
            list.reserve((n as usize).min(remaining / 3));
            let mut idx = 0u32;
            for _ in 0..n {
                let (Some(diff), Some(flags), Some(code_off)) = (
                    read_uleb128(d, &mut p),
                    read_uleb128(d, &mut p),
                    read_uleb128(d, &mut p),
                ) else {
                    return false;
                };
                idx = idx.wrapping_add(diff);
                list.push(EncodedMethod {
                    method_idx: idx,
                    access_flags: flags,
                    code_off,
                });
            }
        }
        true
    }

    /// Direct then virtual methods, in file order.
    pub fn methods(&self) -> impl Iterator<Item = &EncodedMethod> {
        self.direct_methods
            .iter()
            .chain(self.virtual_methods.iter())
    }
}
