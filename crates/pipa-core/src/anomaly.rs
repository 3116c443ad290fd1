use serde::Serialize;
use std::fmt;

/// How much an anomaly matters for the trust one can put in the parsed data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Unusual but harmless (e.g. junk before the archive, a stale checksum).
    Info,
    /// A trick that confuses other tools; Android itself accepts it.
    Warning,
    /// Data was lost or could not be read (e.g. a damaged dex, a truncated entry).
    Error,
}

/// Something odd found while reading a package, tolerated and recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Anomaly {
    /// Stable machine-readable code, e.g. `zip.bogus_method`, `dex.bad_checksum`.
    pub code: &'static str,
    pub severity: Severity,
    /// Where: an entry name, `classes2.dex`, `AndroidManifest.xml`, …
    pub location: String,
    /// Human-readable detail (English).
    pub message: String,
}

impl Anomaly {
    /// Creates an anomaly.
    pub fn new(
        code: &'static str,
        severity: Severity,
        location: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Anomaly {
            code,
            severity,
            location: location.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Anomaly {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[{:?}] {} at {}: {}",
            self.severity, self.code, self.location, self.message
        )
    }
}

/// A bounded collector of anomalies: a hostile file must not be able to make us
/// record millions of them. Past the cap, only a count is kept.
#[derive(Debug, Default, Clone)]
pub struct AnomalySink {
    items: Vec<Anomaly>,
    dropped: usize,
    /// Distinct codes kept so far (a few dozen at most).
    codes: Vec<&'static str>,
}

impl AnomalySink {
    /// At most this many anomalies are kept per sink.
    pub const CAP: usize = 1000;

    /// Records an anomaly (or counts it, past [`Self::CAP`]). Past the cap the
    /// first anomaly of each code is still kept: a flood of one kind (e.g. a
    /// thousand mismatched local headers) must not hide evidence of another
    /// (the overlap that makes the file a zip bomb). Codes are static strings,
    /// so this adds at most one item per code.
    pub fn push(&mut self, a: Anomaly) {
        if self.keep(a.code) {
            self.items.push(a);
        }
    }

    fn keep(&mut self, code: &'static str) -> bool {
        let new_code = !self.codes.contains(&code);
        if new_code {
            self.codes.push(code);
        }
        if self.items.len() < Self::CAP || new_code {
            true
        } else {
            self.dropped += 1;
            false
        }
    }

    /// Shorthand for `push(Anomaly::new(..))`.
    pub fn add(
        &mut self,
        code: &'static str,
        severity: Severity,
        location: impl Into<String>,
        message: impl Into<String>,
    ) {
        if self.keep(code) {
            self.items
                .push(Anomaly::new(code, severity, location, message));
        }
    }

    /// Appends everything from another sink.
    pub fn extend(&mut self, other: AnomalySink) {
        for a in other.items {
            self.push(a);
        }
        self.dropped += other.dropped;
    }

    /// The recorded anomalies.
    pub fn items(&self) -> &[Anomaly] {
        &self.items
    }

    /// How many were not kept because of the cap.
    pub fn dropped(&self) -> usize {
        self.dropped
    }

    /// Consumes the sink, returning kept anomalies and the dropped count.
    pub fn into_parts(self) -> (Vec<Anomaly>, usize) {
        (self.items, self.dropped)
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.dropped == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sink_caps_and_counts() {
        let mut s = AnomalySink::default();
        for i in 0..AnomalySink::CAP + 5 {
            s.add("t.x", Severity::Info, format!("e{i}"), "m");
        }
        assert_eq!(s.items().len(), AnomalySink::CAP);
        assert_eq!(s.dropped(), 5);
        assert_eq!(s.items()[0].location, "e0");
        // A new kind of anomaly past the cap is still kept, once.
        s.add("t.other", Severity::Error, "x", "m");
        s.add("t.other", Severity::Error, "y", "m");
        assert_eq!(s.items().len(), AnomalySink::CAP + 1);
        assert_eq!(s.items()[AnomalySink::CAP].location, "x");
        assert_eq!(s.dropped(), 6);
        let mut t = AnomalySink::default();
        t.push(Anomaly::new("t.third", Severity::Info, "z", "m"));
        s.extend(t);
        assert_eq!(s.items().len(), AnomalySink::CAP + 2);
    }
}
