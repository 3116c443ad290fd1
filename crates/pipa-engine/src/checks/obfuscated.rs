//! String constants pipa cannot read: classes whose static initialiser
//! decrypts the strings it stores (`pipa_dex::string_tables`). Identifier
//! reads through shell commands (`cat /sys/class/net/wlan0/address`,
//! `getprop`) or reflection (`getDeviceId` as a string) are matched on
//! string constants; kept encrypted, they are invisible. Such code must
//! never look clean: `code.obfuscated_strings` (manual) says which classes,
//! through which decryption method, attributed to the app or an SDK.

use super::Ctx;
use super::reach::subject_name;
use crate::model::{Evidence, Finding, Severity, Verdict};
use crate::text::t;

/// Classes listed as evidence; the rest are counted.
const MAX_CLASSES: usize = 20;

pub(crate) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let tables = &ctx.facts.string_tables;
    if tables.is_empty() {
        return;
    }
    // Subjects, app first, then SDKs, then unknown code; with class counts.
    let mut subjects: Vec<(u8, String, usize)> = Vec::new();
    for s in tables {
        let rank = match s.subject.as_str() {
            "app" => 0,
            x if x.starts_with("sdk:") => 1,
            _ => 2,
        };
        match subjects.iter_mut().find(|(_, x, _)| *x == s.subject) {
            Some(e) => e.2 += 1,
            None => subjects.push((rank, s.subject.clone(), 1)),
        }
    }
    subjects.sort();
    let mut ordered: Vec<&crate::facts::StringTableFact> = tables.iter().collect();
    ordered.sort_by_key(|s| {
        (
            subjects
                .iter()
                .position(|(_, x, _)| *x == s.subject)
                .unwrap_or(usize::MAX),
            std::cmp::Reverse(s.decode_calls),
            s.class.clone(),
        )
    });
    let mut evidence: Vec<Evidence> = ordered
        .iter()
        .take(MAX_CLASSES)
        .map(|s| Evidence::Code {
            api: s.decoder.clone().unwrap_or_else(|| {
                "inline XOR loop in <clinit> (no separate decryption method)".into()
            }),
            caller: s.clinit.clone(),
            dex: s.dex.clone(),
            offset: s.offset,
            subject: s.subject.clone(),
        })
        .collect();
    let n = tables.len();
    if n > MAX_CLASSES {
        let more = n - MAX_CLASSES;
        evidence.push(Evidence::Note {
            text: t(
                format!("另有 {more} 个类未列出。"),
                format!("{more} more classes not listed."),
            ),
        });
    }
    let who_zh: Vec<String> = subjects
        .iter()
        .map(|(_, s, c)| format!("{}（{c} 个类）", subject_name(ctx, s).0))
        .collect();
    let who_en: Vec<String> = subjects
        .iter()
        .map(|(_, s, c)| {
            let unit = if *c == 1 { "class" } else { "classes" };
            format!("{} ({c} {unit})", subject_name(ctx, s).1)
        })
        .collect();
    let calls: u32 = tables.iter().map(|s| s.decode_calls).sum();
    out.push(Finding {
        id: "code.obfuscated_strings".into(),
        rule_ids: ctx.cite(&["191-3.1", "191-2.1"], &[]),
        verdict: Verdict::Manual,
        severity: Severity::Medium,
        title: t(
            format!("加密字符串表未能读取（{n} 个类）：经字符串的采集可能未被发现"),
            format!(
                "Encrypted string tables not read ({n} {}): collection through strings may be missed",
                if n == 1 { "class" } else { "classes" }
            ),
        ),
        description: t(
            format!(
                "{n} 个类在静态初始化（<clinit>）中用解密函数（对字符或字节做循环异或）生成其静态字符串或字符串数组（共 {calls} 次解密调用），dex 中只有密文：{}。pipa 通过字符串常量识别经 shell 命令（如 cat /sys/class/net/wlan0/address、getprop）或反射（如以字符串调用 getDeviceId）读取的标识符，这些字符串加密后无法匹配，相关采集可能被漏报。本项不是违规结论，而是分析范围的缺口。",
                who_zh.join("、")
            ),
            format!(
                "{n} classes compute their static strings or string arrays in their static initialiser (<clinit>) with a decryption routine (a loop of XOR over characters or bytes; {calls} decryption calls): the dex holds only ciphertext. {}. pipa finds identifiers read through shell commands (cat /sys/class/net/wlan0/address, getprop) or reflection (getDeviceId as a string) by their string constants; encrypted, they cannot be matched and such collection may be missed. This is not a finding of a violation but a gap in what was analysed.",
                who_en.join("; ")
            ),
        ),
        evidence,
        remediation: t(
            "人工或运行时核查：用 Hook 工具（如 camille）监控 Runtime.exec、ProcessBuilder、反射调用与系统属性读取，或在运行时导出这些类解密后的字段值；要求 SDK 厂商说明加密字符串的用途并提供未混淆版本以供评估。",
            "Check by hand or at run time: hook Runtime.exec, ProcessBuilder, reflective calls and system-property reads (e.g. camille), or dump these classes' decrypted fields at run time; ask the SDK vendor what the encrypted strings are for and for an unobfuscated build to assess.",
        ),
    });
}
