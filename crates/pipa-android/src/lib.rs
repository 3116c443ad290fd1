//! Tolerant reader of Android packages.
//!
//! Reads an APK the way the platform does: the zip container through its
//! central directory ([`zip`]), binary XML ([`axml`]), resources.arsc
//! ([`arsc`]), the signing block ([`signing`]), and assembles them into an
//! [`Apk`] whose [`Manifest`] has every reference resolved and every default
//! applied. Whatever is odd but tolerated is recorded as a
//! [`pipa_core::Anomaly`]; only a package that cannot be read at all is an error.

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
