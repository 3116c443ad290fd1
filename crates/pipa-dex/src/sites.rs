//! Compact site records and handles used by the code index.

use serde::Serialize;

use crate::dex::Check;

/// One recorded instruction site: 16 bytes, `Copy`.
///
/// `target` is, by kind: the callee `method_ids` index (invokes, including
/// invoke-polymorphic), the call-site index (invoke-custom), the
/// `string_ids` index (const-string), the `field_ids` index (sget*) or the
/// `type_ids` index (new-instance, const-class), all within dex number `dex`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Site {
    /// Index of the referenced item in dex `dex`.
    pub target: u32,
    /// `method_ids` index of the method containing the instruction.
    pub caller: u32,
    /// Offset of the instruction in code units (dexdump's `|xxxx:`).
    pub offset: u32,
    /// Position of the dex in the [`crate::CodeIndex`] (0 = classes.dex).
    pub dex: u16,
    /// The opcode byte.
    pub opcode: u8,
}

/// A method of one dex of the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct MethodHandle {
    /// Position of the dex in the index.
    pub dex: u16,
    /// `method_ids` index.
    pub method_idx: u32,
}

/// A class def of one dex of the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ClassHandle {
    /// Position of the dex in the index.
    pub dex: u16,
    /// Position in `class_defs`.
    pub class_def_idx: u32,
}

/// A string of one dex of the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct StringHandle {
    /// Position of the dex in the index.
    pub dex: u16,
    /// `string_ids` index.
    pub string_idx: u32,
}

/// A string that contains one of the searched patterns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct StringMatch {
    /// The string.
    pub string: StringHandle,
    /// Position of the pattern in the list passed to the search.
    pub pattern: u32,
}

/// Per-dex numbers for the CLI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DexSummary {
    /// Where the dex came from.
    pub location: String,
    /// Dex version (35 … 41).
    pub version: u16,
    /// Number of class defs.
    pub class_defs: u32,
    /// Number of method ids.
    pub method_ids: u32,
    /// Methods with a readable code item.
    pub methods_with_code: u32,
    /// Invoke instructions (all kinds).
    pub invokes: u32,
    /// Adler-32 check.
    pub checksum: Check,
    /// SHA-1 check.
    pub signature: Check,
    /// Anomalies recorded for this dex (parse + index).
    pub anomalies: u32,
}
