//! What pipa could not read: code in the package outside the runtime's
//! `classes*.dex` load path (a dex/jar/apk in `assets/` or `res/raw/` loaded
//! with `DexClassLoader`, a packer's payload, Instant Run's
//! `instant-run.zip`). Every code-based conclusion of the report is then
//! about part of the app only, and must say so where a person looks first.

use super::Ctx;
use crate::model::{Evidence, Finding, Severity, Verdict};
use crate::text::{list, t};

/// Entries listed as evidence; the rest are counted.
const MAX_ENTRIES: usize = 20;

pub(crate) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    unreadable(ctx, out);
    let unread = &ctx.facts.unread_code;
    if unread.is_empty() {
        return;
    }
    let instant_run = unread.iter().any(|(n, _)| n.ends_with("instant-run.zip"));
    let names: Vec<String> = unread.iter().map(|(n, _)| n.clone()).collect();
    let mut evidence: Vec<Evidence> = unread
        .iter()
        .take(MAX_ENTRIES)
        .map(|(n, size)| Evidence::File {
            path: n.clone(),
            detail: Some(if n.ends_with("instant-run.zip") {
                format!("Instant Run: the app's own classes are in this zip ({size} bytes); pipa did not read them")
            } else {
                format!("code outside classes*.dex ({size} bytes): loaded at run time or packed; pipa did not read it")
            }),
        })
        .collect();
    if unread.len() > MAX_ENTRIES {
        let more = unread.len() - MAX_ENTRIES;
        evidence.push(Evidence::Note {
            text: t(
                format!("另有 {more} 个文件未列出。"),
                format!("{more} more files not listed."),
            ),
        });
    }
    let (why_zh, why_en) = if instant_run {
        (
            "这是 Instant Run 调试构建：应用自身的类在 instant-run.zip 中，classes.dex 只有启动桩代码。",
            "This is an Instant Run debug build: the app's own classes are in instant-run.zip, classes.dex holds only a bootstrap stub.",
        )
    } else {
        (
            "这些代码不在系统加载的 classes*.dex 中，通常由 DexClassLoader 等在运行时加载，或是加固壳的载荷。",
            "This code is not in the classes*.dex the system loads: it is usually loaded at run time (DexClassLoader) or is a packer's payload.",
        )
    };
    out.push(Finding {
        id: "code.not_analysed".into(),
        rule_ids: ctx.cite(&["191-3.1", "191-2.1"], &[]),
        verdict: Verdict::Manual,
        severity: Severity::High,
        title: t(
            format!("部分代码未分析（{} 个文件）：代码相关结论不完整", unread.len()),
            format!(
                "Code not analysed ({} files): the code-based conclusions are incomplete",
                unread.len()
            ),
        ),
        description: t(
            format!(
                "安装包中有 pipa 未读取的代码：{}。{why_zh}本报告中关于代码收集个人信息、同意前收集和 SDK 的结论只覆盖已读取的代码，不能据此认为这些文件中的代码合规。",
                list(&names, 6).zh
            ),
            format!(
                "The package holds code pipa did not read: {}. {why_en} What this report says about PI collected by code, collection before consent and SDKs covers only the code that was read; it says nothing about the code in these files.",
                list(&names, 6).en
            ),
        ),
        evidence,
        remediation: t(
            if instant_run {
                "用正式（release）构建重新评估；Instant Run 构建不能用于合规评估或上架。"
            } else {
                "提供未加固、不含动态加载代码的构建重新评估，或对这些文件中的代码做运行时检测（抓包、Hook）。"
            },
            if instant_run {
                "Assess a release build: an Instant Run build cannot be assessed or published."
            } else {
                "Assess a build without packing or dynamically loaded code, or test the code in these files at run time (traffic capture, hooks)."
            },
        ),
    });
}

/// `code.unreadable`: dex files, classes or methods of the load path that
/// could not be read (damaged, truncated, unsupported), or dex files whose
/// checksum fails. Code outside the load path is `code.not_analysed`.
fn unreadable(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let c = &ctx.facts.coverage;
    let other: Vec<&str> = ctx
        .facts
        .unread_code
        .iter()
        .map(|(n, _)| n.as_str())
        .collect();
    let gaps: Vec<&crate::model::Unread> = c
        .unread
        .iter()
        .filter(|u| !other.contains(&u.what.as_str()))
        .collect();
    if gaps.is_empty() {
        return;
    }
    let mut evidence: Vec<Evidence> = gaps
        .iter()
        .take(MAX_ENTRIES)
        .map(|u| Evidence::File {
            path: u.what.clone(),
            detail: Some(u.why.clone()),
        })
        .collect();
    if gaps.len() > MAX_ENTRIES {
        let more = gaps.len() - MAX_ENTRIES;
        evidence.push(Evidence::Note {
            text: t(
                format!("另有 {more} 处未列出（JSON coverage.unread 列出全部）。"),
                format!("{more} more not listed (JSON coverage.unread lists them)."),
            ),
        });
    }
    let unread_dex = c.dex_files - c.dex_read;
    let figures = t(
        format!(
            "已读取 {}：dex 文件 {}/{}（校验和不符 {}），类 {}/{}，含代码的方法 {}/{}",
            c.percent(),
            c.dex_read,
            c.dex_files,
            c.damaged_dex,
            c.classes_read,
            c.classes,
            c.methods_read,
            c.methods
        ),
        format!(
            "{} read: dex files {}/{} ({} with a bad checksum), classes {}/{}, methods with code {}/{}",
            c.percent(),
            c.dex_read,
            c.dex_files,
            c.damaged_dex,
            c.classes_read,
            c.classes,
            c.methods_read,
            c.methods
        ),
    );
    let (verdict_zh, verdict_en) = if c.incomplete {
        (
            "评估不完整：本报告不给出“通过”结论。",
            "The assessment is incomplete: no item passes in this report.",
        )
    } else {
        (
            "未读部分低于阈值，但其中的代码未经评估。",
            "The unread part is below the threshold, but its code was not assessed.",
        )
    };
    out.push(Finding {
        id: "code.unreadable".into(),
        rule_ids: ctx.cite(&["191-3.1", "191-2.1"], &[]),
        verdict: Verdict::Manual,
        severity: if c.incomplete {
            Severity::High
        } else {
            Severity::Medium
        },
        title: t(
            format!("部分代码无法读取（{}，{} 个 dex 文件无法读取）：代码相关结论不完整", figures.zh, unread_dex),
            format!(
                "Code that could not be read ({}; {unread_dex} dex files unreadable): the code-based conclusions are incomplete",
                figures.en
            ),
        ),
        description: t(
            format!(
                "安装包中有 pipa 无法读取的代码（损坏、截断、被篡改或不支持的格式）。{verdict_zh}关于代码收集个人信息、同意前收集、后台行为和 SDK 的结论只覆盖已读取的代码；无法读取的代码不能视为合规。",
            ),
            format!(
                "The package holds code pipa could not read (damaged, truncated, tampered with or unsupported). {verdict_en} What this report says about PI collected by code, collection before consent, background behaviour and SDKs covers only the code that was read; code that could not be read is not code found clean.",
            ),
        ),
        evidence,
        remediation: t(
            "用未损坏、未篡改的安装包（与上架包相同的构建）重新评估；或对这些代码做运行时检测。",
            "Assess an undamaged, untampered package (the build that is published), or test this code at run time.",
        ),
    });
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::model::Verdict;

    #[test]
    fn unread_code_is_a_prominent_manual_finding_and_its_absence_none() {
        let kb = kb();
        let mut f = facts_with(&[], 30);
        let (_, findings) = super::super::run(&f, &kb);
        assert!(!findings.iter().any(|x| x.id == "code.not_analysed"));
        f.unread_code = vec![
            ("instant-run.zip".into(), 1000),
            ("assets/plugin.jar".into(), 20),
        ];
        let (_, findings) = super::super::run(&f, &kb);
        let x = findings
            .iter()
            .find(|x| x.id == "code.not_analysed")
            .expect("code.not_analysed");
        assert_eq!(x.verdict, Verdict::Manual);
        assert_eq!(x.evidence.len(), 2);
        assert!(x.title.en.contains("2 files"));
        assert!(x.description.zh.contains("Instant Run"));
    }

    #[test]
    fn an_incomplete_assessment_withholds_every_pass_and_says_why() {
        let kb = kb();
        let mut f = facts_with(&[], 30);
        let (mut i2, mut f2) = super::super::run(&f, &kb);
        // Passes to withhold (an item, a finding).
        i2[0].verdict = Verdict::Pass;
        // Complete: nothing changes.
        crate::coverage::withhold_passes(&f.coverage, &mut i2, &mut f2);
        assert_eq!(i2[0].verdict, Verdict::Pass);
        // Incomplete: no pass, each withheld item says why.
        f.coverage.dex_files = 2;
        f.coverage.dex_read = 1;
        f.coverage.code_bytes = 100;
        f.coverage.code_bytes_read = 50;
        f.coverage.ratio = 0.5;
        f.coverage.incomplete = true;
        f.coverage.unread = vec![crate::model::Unread {
            what: "classes2.dex".into(),
            why: "not a dex file".into(),
        }];
        let (mut items, mut findings) = super::super::run(&f, &kb);
        let unreadable = findings
            .iter()
            .find(|x| x.id == "code.unreadable")
            .expect("code.unreadable");
        assert_eq!(unreadable.evidence.len(), 1);
        items[0].verdict = Verdict::Pass;
        findings[0].verdict = Verdict::Pass;
        crate::coverage::withhold_passes(&f.coverage, &mut items, &mut findings);
        assert!(items.iter().all(|i| i.verdict != Verdict::Pass));
        assert!(findings.iter().all(|x| x.verdict != Verdict::Pass));
        assert!(
            items
                .iter()
                .filter(|i| i.verdict == Verdict::Manual)
                .any(|i| i.note.as_ref().is_some_and(|n| n.en.contains("50.0%")))
        );
    }
}
