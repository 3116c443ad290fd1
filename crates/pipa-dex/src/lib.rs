//! Zero-copy DEX reader (versions 035-041, including v041 containers) and a
//! code index of invoke, const-string, sget, new-instance and const-class
//! sites, a call graph over it ([`CallGraph`]) and the methods that can run
//! at all ([`CallGraph::liveness`]).
//!
//! ```no_run
//! # fn main() -> Result<(), pipa_dex::DexError> {
//! let bytes = std::fs::read("classes.dex").unwrap_or_default();
//! let mut sink = pipa_core::AnomalySink::default();
//! let dexes = pipa_dex::parse_dex_file(&bytes, "classes.dex", &mut sink)?;
//! let index = pipa_dex::CodeIndex::build(dexes, &mut sink);
//! for site in index.call_sites("Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;") {
//!     println!("{}", index.render_site(&site));
//! }
//! # Ok(()) }
//! ```
//!
//! The reader never panics on hostile input: every read is bounds-checked,
//! counts from the file never size an allocation beyond what the data can
//! hold, and anything tolerable is recorded as a [`pipa_core::Anomaly`].

#![warn(missing_docs)]

mod bytes;
mod callgraph;
pub mod checksum;
pub mod class_data;
pub mod code;
mod dex;
mod error;
pub mod flow;
pub mod header;
mod index;
pub mod leb128;
mod live;
pub mod mutf8;
pub mod opcodes;
mod parse;
mod sites;
pub mod strtab;
pub mod values;

pub use callgraph::{CallGraph, CallGraphOptions, CallGraphStats, GraphBase, Hop, Reach, Step};
pub use class_data::{ClassData, ClassDef, EncodedField, EncodedMethod, NO_INDEX};
pub use code::{CodeItem, Insn, Instructions, constant_at, invoke_registers};
pub use dex::{Check, Dex, FieldId, FieldRef, MethodId, MethodRef, ProtoId};
pub use error::DexError;
pub use flow::{ObjectCall, ObjectTrace, calls_on};
pub use header::Header;
pub use index::CodeIndex;
pub use live::{LiveRoots, LiveStats, Liveness};
pub use opcodes::{Format, IndexKind, OpInfo, op_info};
pub use parse::{ParseOptions, parse_dex_file, parse_dex_file_with};
pub use sites::{ClassHandle, DexSummary, MethodHandle, Site, StringHandle, StringMatch};
pub use strtab::{StringTable, string_tables};
pub use values::StaticValue;

#[cfg(test)]
mod testdex;
#[cfg(test)]
mod tests;
