//! Shared vocabulary of pipa's package readers.
//!
//! Readers of hostile packages never panic and rarely fail outright: whatever
//! they tolerate (a bogus compression method, a bad checksum, an inflated string
//! count) becomes an [`Anomaly`] that travels with the parsed model, so that it
//! can be shown as evidence. [`Limits`] bounds the work a single package may cause.

mod anomaly;
mod limits;

pub use anomaly::{Anomaly, AnomalySink, Severity};
pub use limits::Limits;
