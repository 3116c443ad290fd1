//! Coverage of the assessment: which `classes*.dex` files, classes and
//! methods were read and indexed, and what was not and why (see
//! [`crate::Coverage`]). Read from the package model, the code index and
//! the reader's anomalies: a dex file the index lacks could not be read
//! (the `dex.unreadable` anomaly says why).

use crate::ScanInput;
use crate::model::{COVERAGE_MAX_UNREAD, COVERAGE_THRESHOLD, Coverage, Unread};
use pipa_dex::Dex;

/// Measures what `input`'s code index holds of the package's code;
/// `unread_code` is the code outside the load path (entry, size).
pub(crate) fn measure(input: &ScanInput<'_, '_>, unread_code: &[(String, u64)]) -> Coverage {
    let index = input.index;
    let summaries = index.summaries();
    let mut c = Coverage::default();
    let mut unread: Vec<Unread> = Vec::new();
    let mut bytes_read = 0f64;
    for entry in &input.apk.dex_entries {
        c.dex_files += 1;
        c.code_bytes += entry.size;
        let of_entry: Vec<(usize, &Dex<'_>)> = index
            .dexes()
            .iter()
            .enumerate()
            .filter(|(_, d)| is_of(d.location(), &entry.name))
            .collect();
        if of_entry.is_empty() {
            let why = input
                .anomalies
                .iter()
                .find(|a| a.location == entry.name && a.code.starts_with("dex."))
                .map_or_else(
                    || "not read (limits or unreadable entry)".to_string(),
                    |a| a.message.clone(),
                );
            unread.push(Unread {
                what: entry.name.clone(),
                why,
            });
            continue;
        }
        c.dex_read += 1;
        let (mut classes, mut classes_ok, mut methods, mut methods_ok) = (0u64, 0u64, 0u64, 0u64);
        for (i, d) in of_entry {
            if d.checksum_check() == pipa_dex::Check::Bad {
                c.damaged_dex += 1;
                unread.push(Unread {
                    what: d.location().to_string(),
                    why: "checksum mismatch: the file was changed after it was built (Android refuses to load it); what was read from it may be wrong".into(),
                });
            }
            let mut methods_here = 0u64;
            for (ci, def) in d.class_defs().enumerate() {
                classes += 1;
                match d.class_data(&def) {
                    Some(data) => {
                        classes_ok += 1;
                        methods_here += data.methods().filter(|m| m.code_off != 0).count() as u64;
                    }
                    None => unread.push(Unread {
                        what: format!(
                            "{}: {}",
                            d.location(),
                            d.type_descriptor(def.class_idx)
                                .map_or_else(|| format!("class_def {ci}"), |s| s.into_owned())
                        ),
                        why: format!(
                            "class_data at {:#x} unreadable: its methods were not indexed",
                            def.class_data_off
                        ),
                    }),
                }
            }
            let indexed = summaries
                .get(i)
                .map_or(0, |s| u64::from(s.methods_with_code))
                .min(methods_here);
            if indexed < methods_here {
                unread.push(Unread {
                    what: d.location().to_string(),
                    why: format!(
                        "{} of {methods_here} methods with code not indexed (unreadable code items, out-of-range method ids, or the work limit)",
                        methods_here - indexed
                    ),
                });
            }
            methods += methods_here;
            methods_ok += indexed;
        }
        c.classes += sat(classes);
        c.classes_read += sat(classes_ok);
        c.methods += sat(methods);
        c.methods_read += sat(methods_ok);
        bytes_read += entry.size as f64 * share(classes_ok, classes) * share(methods_ok, methods);
    }
    for (name, size) in unread_code {
        c.other_code_files += 1;
        c.code_bytes += size;
        unread.push(Unread {
            what: name.clone(),
            why: if name.ends_with("instant-run.zip") {
                "Instant Run: the app's own classes are in this zip, not in classes*.dex".into()
            } else {
                "code outside classes*.dex (loaded at run time or packed): not read".into()
            },
        });
    }
    c.code_bytes_read = (bytes_read.floor() as u64).min(c.code_bytes);
    c.ratio = if c.code_bytes == 0 {
        1.0
    } else {
        bytes_read / c.code_bytes as f64
    };
    c.threshold = COVERAGE_THRESHOLD;
    c.incomplete = c.ratio < COVERAGE_THRESHOLD || c.damaged_dex > 0;
    if unread.len() > COVERAGE_MAX_UNREAD {
        let more = unread.len() - COVERAGE_MAX_UNREAD;
        unread.truncate(COVERAGE_MAX_UNREAD);
        unread.push(Unread {
            what: format!("{more} more"),
            why: "not listed".into(),
        });
    }
    c.unread = unread;
    c
}

/// `classes.dex` or `classes.dex#1` (a container's second dex) for entry `classes.dex`.
fn is_of(location: &str, entry: &str) -> bool {
    location
        .strip_prefix(entry)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('#'))
}

fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

fn sat(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// An incomplete assessment concludes no `pass`: items and findings that
/// would pass become `manual`, saying why.
pub(crate) fn withhold_passes(
    c: &Coverage,
    items: &mut [crate::model::ItemResult],
    findings: &mut [crate::model::Finding],
) {
    use crate::model::Verdict;
    if !c.incomplete {
        return;
    }
    let why = crate::text::t(
        format!(
            "评估不完整：只读取了 {} 的代码（阈值 {:.0}%），未读代码中可能有本项所禁止的行为，不能判定为“通过”；请人工核查或提供可完整读取的安装包。",
            c.percent(),
            c.threshold * 100.0
        ),
        format!(
            "Incomplete assessment: only {} of the code was read (threshold {:.0}%); the unread code may do what this item forbids, so it cannot pass. Check by hand, or assess a package pipa can read in full.",
            c.percent(),
            c.threshold * 100.0
        ),
    );
    for it in items.iter_mut().filter(|i| i.verdict == Verdict::Pass) {
        it.verdict = Verdict::Manual;
        it.note = Some(match it.note.take() {
            Some(n) => crate::text::join(&why, &n),
            None => why.clone(),
        });
    }
    for f in findings.iter_mut().filter(|f| f.verdict == Verdict::Pass) {
        f.verdict = Verdict::Manual;
        f.description = crate::text::join(&why, &f.description);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn container_locations_belong_to_their_entry() {
        assert!(super::is_of("classes.dex", "classes.dex"));
        assert!(super::is_of("classes.dex#1", "classes.dex"));
        assert!(!super::is_of("classes2.dex", "classes.dex"));
        assert!(!super::is_of("classes.dex2", "classes.dex"));
    }
}
