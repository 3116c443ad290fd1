//! The "主要问题 / What to fix first" block of every format (issue 16), on
//! `../shared/corpus/apk/AndroidProject-2019-09-09-8d44588c.apk`: Umeng and
//! Bugly started before consent are the first two lines, with
//! `MyApplication.initSDK` as the place to change and Umeng's own fix
//! (preInit in onCreate; init and submitPolicyGrantResult after consent).
//! Skipped with a notice when the shared corpus is absent; the repository's
//! own fixtures are covered by `pipa-engine`'s `startup_fixtures` (the block
//! and its negative twins).

mod common;

use calamine::{Reader, Xlsx, open_workbook};
use common::pipa;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn apk() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/apk/AndroidProject-2019-09-09-8d44588c.apk");
    if p.is_file() {
        Some(p)
    } else {
        eprintln!("notice: {} absent; skipped", p.display());
        None
    }
}

fn scan(apk: &Path, format: &str) -> String {
    let out = pipa(&[
        "scan".as_ref(),
        apk.as_os_str(),
        "--format".as_ref(),
        format.as_ref(),
    ]);
    assert!(out.status.code().is_some_and(|c| c <= 1), "{out:?}");
    String::from_utf8(out.stdout).expect("utf-8")
}

const PLACE: &str = "com.hjq.demo.common.MyApplication.initSDK";

/// Checks one rendering of the block: the Umeng line first, Bugly second,
/// the place and the fixes, and the block before `before` (the next part).
fn check_block(format: &str, block: &str) {
    let umeng = block.find("友盟+基础组件库").expect("Umeng line");
    let bugly = block.find("腾讯 Bugly").expect("Bugly line");
    assert!(umeng < bugly, "{format}: Umeng first:\n{block}");
    assert!(
        block.matches(PLACE).count() >= 2,
        "{format}: initSDK is the place for both:\n{block}"
    );
    assert!(
        block.contains("com.hjq.umeng.UmengClient.init"),
        "{format}: the way through the app's Umeng wrapper:\n{block}"
    );
    for needle in [
        "UMConfigure.preInit",
        "UMConfigure.submitPolicyGrantResult",
        "CrashReport.initCrashReport",
        "TelephonyManager.getDeviceId",
    ] {
        assert!(
            block.contains(needle),
            "{format}: {needle} missing:\n{block}"
        );
    }
}

#[test]
fn android_project_fix_first_in_every_format() {
    let Some(apk) = apk() else { return };

    // JSON: the structured list, computed once by the engine.
    let a: Value = serde_json::from_str(&scan(&apk, "json")).expect("json");
    let p = a["priorities"].as_array().expect("priorities");
    assert!(!p.is_empty() && p.len() <= 10, "{p:?}");
    let first: Vec<(&str, Vec<&str>, &str)> = p
        .iter()
        .filter(|x| x["class"] == "before_consent_pi" || x["class"] == "sdk_init_before_consent")
        .map(|x| {
            (
                x["class"].as_str().unwrap_or_default(),
                x["subjects"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect(),
                x["place"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        first,
        vec![
            (
                "before_consent_pi",
                vec!["sdk:umeng.common", "sdk:umeng.analytics", "sdk:umeng.share"],
                PLACE
            ),
            ("before_consent_pi", vec!["sdk:tencent.bugly"], PLACE),
        ],
        "exactly Umeng and Bugly, started in initSDK"
    );
    assert_eq!(p[0]["rank"], 1);
    let um_fix = p[0]["fix"]["zh"].as_str().unwrap_or_default();
    assert!(
        um_fix.contains("UMConfigure.preInit")
            && um_fix.contains("UMConfigure.submitPolicyGrantResult")
            && um_fix.contains("2.1.0"),
        "Umeng's own fix, for the version in the package: {um_fix}"
    );
    // The line points to its findings by index and by the short id every
    // format shows (the finding's `ref`).
    let findings = a["findings"].as_array().cloned().unwrap_or_default();
    let of_line = |key: &str| -> Vec<String> {
        p[0]["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_u64)
            .filter_map(|i| findings.get(i as usize)?[key].as_str().map(str::to_string))
            .collect()
    };
    let checks = of_line("id");
    let checks: Vec<&str> = checks.iter().map(String::as_str).collect();
    assert!(
        checks.contains(&"before_consent.sdk:umeng.common")
            && checks.contains(&"sdk_init.before_consent.umeng.common"),
        "{checks:?}"
    );
    // One call, UMConfigure.init, starts U-Common, U-App and U-Share: one
    // start-up finding naming the three, filed under the SDK with the most
    // start-up data; Bugly, started by its own call, has its own.
    let starts: Vec<&Value> = findings
        .iter()
        .filter(|f| {
            f["id"]
                .as_str()
                .is_some_and(|i| i.starts_with("sdk_init.before_consent."))
        })
        .collect();
    let start_ids: Vec<&str> = starts.iter().filter_map(|f| f["id"].as_str()).collect();
    assert_eq!(
        start_ids,
        vec![
            "sdk_init.before_consent.tencent.bugly",
            "sdk_init.before_consent.umeng.common"
        ],
        "one start-up finding per starting call"
    );
    let um_title = starts[1]["title"]["zh"].as_str().unwrap_or_default();
    for name in ["U-Common", "U-App", "U-Share", "UMConfigure.init"] {
        assert!(um_title.contains(name), "{name} in {um_title}");
    }
    assert_eq!(starts[1]["verdict"], "risk");
    assert!(
        !starts[0]["title"]["zh"]
            .as_str()
            .unwrap_or_default()
            .contains("友盟"),
        "Bugly's finding names Bugly only: {}",
        starts[0]["title"]
    );
    let refs = of_line("ref");
    let ids: Vec<&str> = p[0]["finding_ids"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(ids, refs);

    // Evidence ranked by regulatory weight, one chain per API first: the
    // identifiers a regulator tests for come before any Build field.
    let bc = a["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["id"] == "before_consent.sdk:umeng.common")
        .expect("Umeng before consent");
    let targets: Vec<&str> = bc["evidence"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["kind"] == "chain")
        .filter_map(|e| e["target"].as_str())
        .collect();
    let at = |needle: &str| targets.iter().position(|t| t.contains(needle));
    for id in [
        "getDeviceId",
        "getSubscriberId",
        "getMacAddress",
        "wlan0/address",
    ] {
        assert!(
            at(id).is_some_and(|i| i < 8),
            "{id} in the first 8: {targets:?}"
        );
    }
    if let Some(model) = at("Build.MODEL") {
        assert!(at("getDeviceId") < Some(model), "{targets:?}");
    }

    // Text: the block opens the report after the header.
    let t = scan(&apk, "text");
    let start = t.find("主要问题 What to fix first").expect("text block");
    let end = t.find("个人信息类型（按主体）").expect("next part");
    assert!(start < end, "block first");
    check_block("text", &t[start..end]);

    // Markdown: before the summary, linked to the findings.
    let m = scan(&apk, "md");
    let start = m.find("## 主要问题 What to fix first").expect("md block");
    let end = m.find("## 概要 Summary").expect("summary");
    assert!(start < end, "block before the summary");
    let block = &m[start..end];
    check_block("md", block);
    let umeng = ids[0];
    assert!(block.contains(&format!("[`{umeng}`](#{umeng})")), "{block}");

    // HTML: the first section, linked to the findings.
    let h = scan(&apk, "html");
    let start = h.find("<section id=\"fix-first\">").expect("html block");
    let end = h.find("<section id=\"summary\">").expect("summary");
    assert!(start < end, "block before the summary");
    let block = &h[start..end];
    check_block("html", block);
    assert!(
        block.contains(&format!("<a href=\"#{umeng}\"><code>{umeng}</code></a>")),
        "{block}"
    );

    // XLSX: the first rows of the summary sheet.
    let dir = std::env::temp_dir().join(format!("pipa-fix-first-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let path = dir.join("a.xlsx");
    let out = pipa(&[
        "scan".as_ref(),
        apk.as_os_str(),
        "--format".as_ref(),
        "xlsx".as_ref(),
        "-o".as_ref(),
        path.as_os_str(),
    ]);
    assert!(out.status.code().is_some_and(|c| c <= 1), "{out:?}");
    let mut wb: Xlsx<_> = open_workbook(&path).expect("xlsx");
    let sheet = wb.worksheet_range("概要 Summary").expect("summary sheet");
    let rows: Vec<(String, String)> = sheet
        .rows()
        .skip(1)
        .map(|r| {
            (
                r.first().map(|c| c.to_string()).unwrap_or_default(),
                r.get(1).map(|c| c.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    assert!(
        rows[0].0.starts_with("主要问题 1") && rows[1].0.starts_with("主要问题 2"),
        "{rows:?}"
    );
    let block: String = rows
        .iter()
        .filter(|(k, _)| k.starts_with("主要问题"))
        .map(|(_, v)| v.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    check_block("xlsx", &block);
    let _ = std::fs::remove_dir_all(&dir);
}
