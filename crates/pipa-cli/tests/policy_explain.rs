//! `pipa policy --explain TYPE` (issue 24): the sentences that made a claim
//! of one PI type, with role, governing verb and term, and those that nearly
//! did with the reason; an unknown type is an error naming the known ones.

mod common;

use common::pipa;

const POLICY: &str = "\
隐私政策

一、定义
个人信息：指以电子或者其他方式记录的能够识别特定自然人身份的各种信息，包括通话记录、通讯录等。

二、我们如何收集和使用您的个人信息
在您使用来电识别功能时，我们会读取您的通话记录，用于识别骚扰电话。
当您与我们联系时，我们可能会保存您的通话记录，以便处理您的问题。
";

fn write() -> (tempfile::TempDir, String) {
    write_text(POLICY)
}

fn write_text(text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("policy.txt");
    std::fs::write(&p, text).expect("write");
    let s = p.to_str().expect("utf-8").to_string();
    (dir, s)
}

/// `pipa policy P --force --explain TYPE`, which must succeed: its stdout.
fn explain(p: &str, pi_type: &str) -> String {
    let o = pipa(&["policy", p, "--force", "--explain", pi_type]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn explain_shows_the_claim_and_the_near_misses() {
    let (_dir, p) = write();
    let out = explain(&p, "call_log");
    assert!(out.starts_with("call_log: 声明收集 (declared)"), "{out}");
    // The one claim: the collection sentence, governed by 读取.
    let claims: Vec<&str> = out.lines().filter(|l| l.starts_with("- 角色")).collect();
    assert_eq!(claims.len(), 1, "{out}");
    assert!(
        claims[0].contains("role: collection")
            && claims[0].contains("verb: 读取")
            && claims[0].contains("term: 通话记录"),
        "{out}"
    );
    assert!(out.contains("我们会读取您的通话记录"), "{out}");
    // Nearly: the definition, and the record of contact with the company.
    let near = out.split("(near misses):").nth(1).unwrap_or_default();
    assert!(near.contains("role:definition"), "{out}");
    assert!(near.contains("sense:与我们联系"), "{out}");
    assert!(near.contains("当您与我们联系时"), "{out}");
}

#[test]
fn explain_an_unknown_type_is_an_error() {
    let (_dir, p) = write();
    let o = pipa(&["policy", &p, "--force", "--explain", "calllog"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(o.stdout.is_empty());
    assert!(
        err.contains("calllog: unknown PI type") && err.contains("call_log"),
        "{err}"
    );
}

/// A list sentence naming several terms of one type under one verb is one
/// entry with all its terms, each once; a second sentence is a second entry.
#[test]
fn explain_groups_the_terms_of_one_sentence() {
    let (_dir, p) = write_text(
        "隐私政策\n\n一、我们如何收集和使用您的个人信息\n\
         在您使用配送服务时，我们会收集您的GPS定位、行踪轨迹、经纬度及GPS定位的精度，用于计算配送路线。\n\
         在您使用附近门店功能时，我们会获取您的位置信息，用于推荐门店。\n",
    );
    let out = explain(&p, "location");
    let entries: Vec<&str> = out.lines().filter(|l| l.starts_with("- 角色")).collect();
    assert_eq!(entries.len(), 2, "{out}");
    assert!(
        entries[0].contains("行踪轨迹") && entries[0].contains("经纬度"),
        "{out}"
    );
    assert_eq!(entries[0].matches("GPS").count(), 1, "{out}");
    assert!(
        entries[1].contains("获取") && entries[1].contains("位置"),
        "{out}"
    );
}
