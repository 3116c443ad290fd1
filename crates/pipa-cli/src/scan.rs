//! `pipa scan`: read an APK, assess it against the knowledge base, render.

use crate::load;
use crate::timings::Timings;
use pipa_engine::{Assessment, ScanInput};
use pipa_kb::Kb;
use std::path::Path;

/// Reads, indexes and assesses `path`; the timings gain `kb` and `assess`
/// stages after the reading stages. Returns the knowledge base too, for the
/// renderers' rule texts (parsed once). Errors name the file and the problem.
pub fn scan(path: &Path) -> anyhow::Result<(Assessment, Kb, Timings)> {
    let mut t = Timings::default();
    let kb = t.stage("kb", crate::load_kb)?;
    let a = load::with_apk(path, &mut t, |l, t| {
        let input = ScanInput {
            path: l.path,
            sha256: l.sha256,
            apk: l.apk,
            index: l.index,
            anomalies: l.anomalies,
        };
        t.stage("assess", || pipa_engine::assess(&input, &kb))
    })?;
    t.finish();
    Ok((a, kb, t))
}
