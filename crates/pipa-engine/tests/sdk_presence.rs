//! No SDK row without its code: every high- or medium-confidence SDK that
//! the engine reports for a real APK must have its code in the package, as
//! an independent oracle sees it: a class under one of its dex prefixes (or
//! the class of one of its own manifest components) in Debian `dexdump`'s
//! class list of every `classes*.dex`, or one of its native libraries among
//! the zip's entries (read by the `zip` crate). SDKs declared in the
//! manifest whose code is absent (`presence: manifest_only`) must stay low
//! and raise no `sdk.*` or `policy.sdk_undeclared.*` finding.
//!
//! APKs: the registry fixtures and the SDK test APKs (`scripts/fetch-fixtures.sh`,
//! `scripts/build-sdk-apks.sh`; `$PIPA_FIXTURES` or `.cache/fixtures`) and
//! the shared corpus (`../shared/corpus/apk`) when present. Skipped with a
//! notice when `dexdump` or the files are absent.

mod common;

use pipa_engine::{Assessment, Evidence};
use pipa_kb::Kb;
use pipa_testkit::{apks_under, corpus_apks, fixtures_dir, have_tool, unzip_entry};
use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn scan(path: &Path) -> Assessment {
    common::assess_apk(path)
}

/// The APKs to check: registry fixtures, SDK test APKs, the shared corpus.
fn apks() -> Vec<PathBuf> {
    let dir = fixtures_dir();
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|r| {
            r.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "apk"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v.extend(apks_under(&dir.join("sdk-apks")));
    let corpus = corpus_apks();
    if corpus.is_empty() {
        eprintln!("notice: shared corpus absent; only the registry fixtures are checked");
    }
    v.extend(corpus);
    v
}

/// Class descriptors of every `classes*.dex` of `apk`, by `dexdump`; `Err`
/// when dexdump rejects one.
fn dexdump_classes(apk: &Path, entries: &[String]) -> Result<HashSet<String>, String> {
    let mut out = HashSet::new();
    let tmp = std::env::temp_dir().join(format!("pipa-presence-{}.dex", std::process::id()));
    for name in entries {
        let is_dex = name.starts_with("classes") && name.ends_with(".dex") && !name.contains('/');
        if !is_dex {
            continue;
        }
        let bytes = unzip_entry(apk, name)?.ok_or("entry vanished")?;
        std::fs::write(&tmp, bytes).map_err(|e| e.to_string())?;
        let mut child = Command::new("dexdump")
            .arg(&tmp)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("dexdump: {e}"))?;
        let stdout = child.stdout.take().ok_or("dexdump: no stdout")?;
        for line in BufReader::new(stdout).split(b'\n') {
            let line = line.map_err(|e| e.to_string())?;
            let line = String::from_utf8_lossy(&line);
            if let Some(rest) = line.trim().strip_prefix("Class descriptor")
                && let Some(d) = rest.split('\'').nth(1)
            {
                out.insert(d.to_string());
            }
        }
        let status = child.wait().map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("dexdump rejected {name}"));
        }
    }
    let _ = std::fs::remove_file(&tmp);
    Ok(out)
}

/// `com.x.y` → `Lcom/x/y` (a package or class prefix of descriptors).
fn desc_prefix(dotted: &str) -> String {
    format!("L{}", dotted.trim_matches('.').replace('.', "/"))
}

/// Whether the oracle sees the code of SDK `id`: a class under one of its
/// dex prefixes, the class of a component of its own (shown without a
/// detail in its evidence), or one of its native libraries.
fn has_code(
    kb: &Kb,
    sdk: &pipa_engine::SdkUse,
    classes: &HashSet<String>,
    libs: &[String],
) -> bool {
    let Some(entry) = kb.sdk(&sdk.id) else {
        return false;
    };
    let sig = &entry.signatures;
    let prefixes: Vec<String> = sig.dex.iter().map(|d| desc_prefix(d)).collect();
    let under = |c: &str| {
        prefixes.iter().any(|p| {
            c.strip_prefix(p.as_str())
                .is_some_and(|r| r.starts_with(['/', ';', '$']))
        })
    };
    if classes.iter().any(|c| under(c)) {
        return true;
    }
    let own_component = sdk.evidence.iter().any(|e| {
        matches!(e, Evidence::Manifest { name: Some(n), detail: None, element }
            if element != "meta-data" && classes.contains(&format!("{};", desc_prefix(n))))
    });
    if own_component {
        return true;
    }
    let res: Vec<regex::Regex> = sig
        .native_regex
        .iter()
        .filter_map(|r| regex::Regex::new(&format!("^(?:{r})$")).ok())
        .collect();
    libs.iter()
        .any(|l| sig.native.contains(l) || res.iter().any(|r| r.is_match(l)))
}

#[test]
fn no_sdk_row_without_its_code() {
    if !have_tool("dexdump") {
        eprintln!("notice: dexdump not installed; skipped");
        return;
    }
    let kb = Kb::embedded();
    let mut rows = 0;
    let mut failures: Vec<String> = Vec::new();
    let mut checked = 0;
    for apk in apks() {
        let what = apk
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let entries = match pipa_testkit::zip_entry_names(&apk) {
            Ok(e) => e,
            Err(e) => {
                eprintln!("notice: {what}: zip unreadable ({e}); skipped");
                continue;
            }
        };
        let classes = match dexdump_classes(&apk, &entries) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("notice: {what}: {e}; skipped");
                continue;
            }
        };
        let libs: Vec<String> = entries
            .iter()
            .filter(|n| n.starts_with("lib/"))
            .filter_map(|n| n.rsplit('/').next().map(str::to_string))
            .collect();
        let a = scan(&apk);
        checked += 1;
        eprintln!(
            "sdk_presence: {what} ({} classes; first-party {})",
            classes.len(),
            a.app.first_party.join(" ")
        );
        for s in &a.sdks {
            let listed = s.confidence != "low";
            let code = has_code(kb, s, &classes, &libs);
            eprintln!(
                "  {:<34} {:<6} {:<13} init={:<5} oracle={}",
                s.id,
                s.confidence,
                s.presence,
                s.initialized,
                if code { "code" } else { "-" }
            );
            if listed {
                rows += 1;
                if !code {
                    failures.push(format!("{what}: {} ({}) without code", s.id, s.confidence));
                }
                if !matches!(s.presence.as_str(), "code" | "native") {
                    failures.push(format!(
                        "{what}: {} listed with presence {}",
                        s.id, s.presence
                    ));
                }
            } else if s.presence == "manifest_only" {
                let ids = [
                    format!("sdk.{}", s.id),
                    format!("policy.sdk_undeclared.{}", s.id),
                ];
                if a.findings.iter().any(|f| ids.contains(&f.id)) {
                    failures.push(format!("{what}: manifest-only {} has a finding", s.id));
                }
                if s.initialized {
                    failures.push(format!("{what}: manifest-only {} initialised", s.id));
                }
            }
        }
    }
    eprintln!(
        "sdk_presence: {checked} APKs, {rows} high/medium rows, {} without code",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
