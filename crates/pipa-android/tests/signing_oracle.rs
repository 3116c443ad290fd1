//! Compares `read_signing` with `apksigner verify --verbose --print-certs`.
//!
//! apksigner reports only schemes that *verify*, we report schemes that are
//! *present*; so the fair check is: every scheme apksigner verified is one we
//! found, and the signer certificate digest apksigner prints is among ours.
//! apksigner takes ~0.6 s per file (JVM start), so by default a deterministic
//! sample is checked; set `PIPA_ORACLE_ALL=1` to check every file.

use pipa_android::signing::read_signing;
use pipa_android::zip::Archive;
use pipa_core::Limits;
use pipa_testkit::{ANDROGUARD_EXAMPLES, apks_under, corpus_dir, have_tool};
use std::path::{Path, PathBuf};
use std::process::Command;

struct Verdict {
    schemes: Vec<String>,
    digest: Option<String>,
    subject: Option<String>,
}

fn apksigner(path: &Path) -> Option<Verdict> {
    let out = Command::new("apksigner")
        .args(["verify", "--verbose", "--print-certs"])
        .arg(path)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut v = Verdict {
        schemes: Vec::new(),
        digest: None,
        subject: None,
    };
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("Verified using ")
            && line.ends_with(": true")
            && let Some(s) = rest.split(' ').next()
        {
            v.schemes.push(s.to_string());
        }
        if let Some(d) = line.strip_prefix("Signer #1 certificate SHA-256 digest: ") {
            v.digest = Some(d.trim().to_string());
        }
        if let Some(d) = line.strip_prefix("Signer #1 certificate DN: ") {
            v.subject = Some(d.trim().to_string());
        }
    }
    Some(v)
}

#[test]
fn signing_matches_apksigner() {
    if !have_tool("apksigner") {
        eprintln!("skipping: apksigner is not installed");
        return;
    }
    let corpus = corpus_dir();
    let mut files = Vec::new();
    for d in [PathBuf::from(ANDROGUARD_EXAMPLES), corpus.clone()] {
        if d.is_dir() {
            files.extend(apks_under(&d));
        } else {
            eprintln!("note: {} is absent", d.display());
        }
    }
    files.sort();
    if files.is_empty() {
        eprintln!("skipping: no APKs found");
        return;
    }
    let all = std::env::var_os("PIPA_ORACLE_ALL").is_some();
    let files: Vec<PathBuf> = files
        .into_iter()
        .enumerate()
        .filter(|(i, p)| {
            all || i % 8 == 0 || p.to_string_lossy().contains("/signing/") || p.starts_with(&corpus)
        })
        .map(|(_, p)| p)
        .collect();
    let (mut compared, mut verified, mut digests_equal, mut subjects_equal) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for f in &files {
        let Ok(data) = std::fs::read(f) else {
            continue;
        };
        let Some(oracle) = apksigner(f) else {
            continue;
        };
        let Ok(a) = Archive::parse(&data, Limits::default()) else {
            if !oracle.schemes.is_empty() {
                failures.push(format!(
                    "{}: apksigner verifies, we cannot open it",
                    f.display()
                ));
            }
            continue;
        };
        let ours = read_signing(&a);
        compared += 1;
        if !oracle.schemes.is_empty() {
            verified += 1;
        }
        for s in &oracle.schemes {
            if s != "v4" && !ours.schemes.contains(s) {
                failures.push(format!(
                    "{}: apksigner verified {s}, we found {:?}",
                    f.display(),
                    ours.schemes
                ));
            }
        }
        if let Some(d) = &oracle.digest {
            if ours.certificates_sha256.contains(d) {
                digests_equal += 1;
                // The subject of the same certificate, when apksigner's DN
                // uses only the attribute names we print (no OIDs, no
                // EMAILADDRESS, whose spelling differs between tools).
                let known = |dn: &str| {
                    dn.split(", ").all(|p| {
                        ["CN=", "C=", "L=", "ST=", "O=", "OU="]
                            .iter()
                            .any(|k| p.starts_with(k))
                    })
                };
                if let Some(want) = oracle.subject.as_deref().filter(|s| known(s)) {
                    let got = ours
                        .signers
                        .iter()
                        .find(|s| s.certificate_sha256.as_ref() == Some(d))
                        .and_then(|s| s.certificate_subject.clone());
                    if got.as_deref() == Some(want) {
                        subjects_equal += 1;
                    } else {
                        failures.push(format!(
                            "{}: apksigner signer DN {want}, ours {got:?}",
                            f.display()
                        ));
                    }
                }
            } else {
                failures.push(format!(
                    "{}: apksigner signer digest {d}, ours {:?}",
                    f.display(),
                    ours.certificates_sha256
                ));
            }
        }
    }
    eprintln!(
        "signing oracle: {compared} APKs compared with apksigner, {verified} verified by it, \
         {digests_equal} signer digests equal, {subjects_equal} subjects equal"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
