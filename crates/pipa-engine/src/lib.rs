//! The assessment engine: turns an app model into facts, runs one check per
//! legal item, and produces the [`Assessment`]. Knows nothing about bytes
//! (format crates) or rendering (renderers read the `Assessment` only).
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let bytes = std::fs::read("app.apk")?;
//! let apk = pipa_android::Apk::parse(&bytes, pipa_core::Limits::default())?;
//! let mut sink = pipa_core::AnomalySink::default();
//! let blobs = apk.read_dex();
//! let mut dexes = Vec::new();
//! for (name, blob) in &blobs {
//!     if let Ok(blob) = blob {
//!         dexes.extend(pipa_dex::parse_dex_file(blob, name, &mut sink)?);
//!     }
//! }
//! let index = pipa_dex::CodeIndex::build(dexes, &mut sink);
//! let input = pipa_engine::ScanInput {
//!     path: "app.apk".into(),
//!     sha256: String::new(),
//!     apk: &apk,
//!     index: &index,
//!     anomalies: Vec::new(),
//!     policy: None,
//!     category: None,
//!     first_party: Vec::new(),
//! };
//! let assessment = pipa_engine::assess(&input, pipa_kb::Kb::embedded());
//! for item in &assessment.items {
//!     println!("{} {}", item.id, item.verdict.as_str());
//! }
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

mod apis;
mod caveats;
mod checks;
mod coverage;
pub mod diff;
mod facts;
pub mod gate;
mod live;
pub mod model;
mod permission_requests;
mod policy;
mod priorities;
mod reach;
mod remedy;
mod sdks;
mod subject;
mod text;
pub use text::{plural, subject_text};

pub use diff::{AssessmentDiff, DiffGate, DiffOptions, diff, diff_with};
pub use facts::{ApiSite, Facts, PermissionFact, PolicyFacts, StringTableFact, facts};
pub use model::*;
pub use permission_requests::ReRequest;
pub use priorities::{MAX_PRIORITIES, PriorityClass, finding_sdks, not_in_priorities, priorities};
pub use reach::{
    ChainHit, CodeTrigger, LaunchHit, ReachFacts, SdkInitHit, SelfStartHit, SelfStartTrigger,
    UndeliveredTrigger,
};
pub use remedy::sdk_start_fix;
pub use subject::{FirstPartyError, SubjectResolver, parse_first_party};

use std::time::Instant;

/// Everything the engine needs about one Android package: the model read by
/// `pipa-android`, the code index built by `pipa-dex`, and what the reader
/// noticed on the way.
pub struct ScanInput<'a, 'd> {
    /// Path as given by the user.
    pub path: String,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    /// The package model.
    pub apk: &'a pipa_android::Apk<'d>,
    /// The code index over its dex files.
    pub index: &'a pipa_dex::CodeIndex<'d>,
    /// Anomalies found while reading (carried into the assessment).
    pub anomalies: Vec<pipa_core::Anomaly>,
    /// The privacy policy the user gave (`--policy`), read and analysed.
    /// Without it the engine analyses a policy it finds in the package.
    pub policy: Option<&'a pipa_policy::Policy>,
    /// The app type the user named (`--category`): PI outside its
    /// necessary list is a 191-4.1 risk.
    pub category: Option<&'a pipa_kb::AppType>,
    /// More first-party package prefixes the user named (`--first-party`),
    /// dotted, each checked with [`parse_first_party`]: their code is the
    /// app's unless a longer catalogued SDK prefix claims it.
    pub first_party: Vec<String>,
}

/// Withholds the `pass` verdicts of an incomplete assessment again (after
/// the developer's answers, which may have passed items): they become
/// `manual`, saying why. No effect on a complete assessment.
pub fn withhold_incomplete(a: &mut Assessment) {
    coverage::withhold_passes(&a.coverage, &mut a.items, &mut a.findings);
}

/// Assesses one Android package against the knowledge base: facts, then one
/// check per legal item. Never fails: what cannot be decided is `manual`.
pub fn assess(input: &ScanInput<'_, '_>, kb: &pipa_kb::Kb) -> Assessment {
    let start = Instant::now();
    let mut stages = Vec::new();
    let facts = facts::facts_timed(input, kb, &mut stages);
    let t_facts = start.elapsed().as_secs_f64() * 1000.0;
    let (mut items, mut findings) = checks::run(&facts, kb);
    coverage::withhold_passes(&facts.coverage, &mut items, &mut findings);
    let total = start.elapsed().as_secs_f64() * 1000.0;
    stages.push(("checks".into(), total - t_facts));
    let mut a = Assessment {
        schema: SCHEMA,
        scanned_at: utc_now(),
        tool: Tool {
            name: "pipa".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kb_version: pipa_kb::kb_version(),
        },
        input: Input {
            path: input.path.clone(),
            sha256: input.sha256.clone(),
            kind: "apk".into(),
            signers: signers(&input.apk.signing),
        },
        app: facts.app.clone(),
        permissions: facts.permissions.iter().map(|p| p.use_.clone()).collect(),
        api_uses: facts.api_uses.iter().map(|a| a.use_.clone()).collect(),
        sdks: facts.sdks.clone(),
        reachability: facts.reach.summary.clone(),
        policy: facts.policy_text.clone(),
        category: facts.category.as_ref().map(|c| Category {
            seq: c.seq,
            id: c.id.clone(),
            name: c.name.clone(),
            basic_function: c.basic_function.clone(),
            necessary: checks::necessary_pi(c),
            no_pi_required: c.no_pi_required,
        }),
        answers: None,
        baseline: None,
        items,
        caveats: caveats::caveats(&findings),
        findings,
        priorities: Vec::new(),
        anomalies: input.anomalies.clone(),
        coverage: facts.coverage.clone(),
        timings: TimingSummary {
            total_ms: total,
            stages,
        },
    };
    a.priorities = priorities(&a, kb);
    a
}

/// The package's signing certificates, one entry per certificate with the
/// schemes that use it.
fn signers(info: &pipa_android::signing::SigningInfo) -> Vec<model::SignerCert> {
    let mut out: Vec<model::SignerCert> = Vec::new();
    for s in &info.signers {
        let Some(d) = &s.certificate_sha256 else {
            continue;
        };
        match out.iter_mut().find(|c| &c.sha256 == d) {
            Some(c) => {
                if !c.schemes.contains(&s.scheme) {
                    c.schemes.push(s.scheme.clone());
                }
                if c.subject.is_none() {
                    c.subject.clone_from(&s.certificate_subject);
                }
            }
            None => out.push(model::SignerCert {
                schemes: vec![s.scheme.clone()],
                sha256: d.clone(),
                subject: s.certificate_subject.clone(),
            }),
        }
    }
    out
}

/// Now, UTC, as `2026-12-07T20:13:07Z`; `SOURCE_DATE_EPOCH` (seconds)
/// fixes it, for reproducible reports.
pub fn utc_now() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        });
    utc_timestamp(secs)
}

/// `secs` since 1970 as `YYYY-MM-DDThh:mm:ssZ` (proleptic Gregorian).
pub fn utc_timestamp(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

#[cfg(test)]
mod time_tests {
    use super::utc_timestamp;

    #[test]
    fn timestamps() {
        assert_eq!(utc_timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_timestamp(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc_timestamp(1_796_674_387), "2026-12-07T20:13:07Z");
        assert_eq!(utc_timestamp(4_102_444_799), "2099-12-31T23:59:59Z");
    }
}
