//! Texts a person reads name SDKs by their published name and vendor, never
//! by pipa's catalogue id (issue 16: policy gaps said `sdk:umeng.common`):
//! `../shared/corpus/apk/AndroidProject-2019-09-09-8d44588c.apk` held
//! against a real policy of the shared corpus that does not mention sensor
//! data (`policies/html/0496.html`, read with `--force`). The ids stay in
//! the data (`api_uses[].subject`). Skipped with a notice when the corpus is
//! absent.

mod common;

use common::pipa;
use serde_json::Value;
use std::path::PathBuf;

fn corpus(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus")
        .join(rel);
    if p.is_file() {
        Some(p)
    } else {
        eprintln!("notice: {} absent; skipped", p.display());
        None
    }
}

/// `id` as a word of `text` (not a part of a longer id or a host name).
fn names_id(text: &str, id: &str) -> bool {
    text.match_indices(id).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + id.len()..].chars().next();
        let word = |c: Option<char>| {
            c.is_some_and(|c| c.is_alphanumeric() || c == '.' || c == '_' || c == '-')
        };
        !word(before) && !word(after)
    })
}

#[test]
fn findings_name_sdks_by_name_and_vendor() {
    let (Some(apk), Some(policy)) = (
        corpus("apk/AndroidProject-2019-09-09-8d44588c.apk"),
        corpus("policies/html/0496.html"),
    ) else {
        return;
    };
    let out = pipa(&[
        "scan".as_ref(),
        apk.as_os_str(),
        "--policy".as_ref(),
        policy.as_os_str(),
        "--force".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert!(out.status.code().is_some_and(|c| c <= 1), "{out:?}");
    let a: Value = serde_json::from_slice(&out.stdout).expect("json");
    let ids: Vec<&str> = a["sdks"]
        .as_array()
        .expect("sdks")
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert!(ids.contains(&"umeng.common"));
    for f in a["findings"].as_array().expect("findings") {
        for part in ["title", "description", "remediation"] {
            for lang in ["zh", "en"] {
                let text = f[part][lang].as_str().unwrap_or_default();
                assert!(!text.contains("sdk:"), "{} {part}: {text}", f["id"]);
                for id in &ids {
                    assert!(!names_id(text, id), "{} {part} names {id}: {text}", f["id"]);
                }
            }
        }
    }
    // The gap of undeclared sensor data, collected by U-Common: its name and vendor.
    let gap = a["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["id"] == "policy.pi_undeclared.sensor")
        .expect("sensor data is not in the policy");
    let zh = gap["description"]["zh"].as_str().unwrap_or_default();
    let en = gap["description"]["en"].as_str().unwrap_or_default();
    assert!(zh.contains("友盟同欣") && zh.contains("U-Common"), "{zh}");
    assert!(
        en.contains("Umeng Common") && en.contains("by Umeng"),
        "{en}"
    );
    // Twin: the data keeps the ids (for tools).
    assert!(
        a["api_uses"]
            .as_array()
            .expect("api_uses")
            .iter()
            .any(|u| u["subject"] == "sdk:umeng.common")
    );
}
