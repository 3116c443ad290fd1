//! Tolerant reader of Android packages.
//!
//! Reads an APK the way the platform does: the zip container through its
//! central directory ([`zip`]), binary XML ([`axml`]), resources.arsc
//! ([`arsc`]), the signing block ([`signing`]), and assembles them into an
//! [`Apk`] whose [`Manifest`] has every reference resolved and every default
//! applied. Whatever is odd but tolerated is recorded as a
//! [`pipa_core::Anomaly`]; only a package that cannot be read at all is an error.
//!
//! All call sites of a sensitive API:
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let bytes = std::fs::read("app.apk")?;
//! let apk = pipa_android::Apk::parse(&bytes, pipa_core::Limits::default())?;
//! let mut sink = pipa_core::AnomalySink::default();
//! let blobs = apk.read_dex(); // stored entries are borrowed, the others inflated
//! let mut dexes = Vec::new();
//! for (name, blob) in &blobs {
//!     if let Ok(blob) = blob {
//!         dexes.extend(pipa_dex::parse_dex_file(blob, name, &mut sink)?);
//!     }
//! }
//! let index = pipa_dex::CodeIndex::build(dexes, &mut sink);
//! for site in index.call_sites("Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;") {
//!     println!("{}", index.render_site(&site));
//! }
//! # Ok(())
//! # }
//! ```

pub mod apk;
pub mod arsc;
pub mod attrs;
pub mod axml;
pub mod manifest;
pub mod netsec;
pub mod resolve;
pub mod signing;
pub mod zip;

pub use apk::{Apk, ApkError};
pub use manifest::Manifest;
