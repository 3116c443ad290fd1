//! Tolerant reader of Android packages (in progress).

pub mod arsc;
pub mod attrs;
pub mod axml;
pub mod signing;
pub mod zip;
