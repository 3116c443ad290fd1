//! A privacy policy's analysis ([`PolicyReport`]) for a terminal and in
//! Markdown: the 16 elements with their signals and sentences, the PI types
//! declared, open lists, third parties, permissions explained, time limits.
//! Evidence shows the sentence and its `[start..end]` character offsets into
//! the plain text (`pipa policy FILE --format plain`).

use crate::Lang;
use crate::fmt::{pair, short, table};
use pipa_policy::{ElementVerdict, PolicyReport, Span};

/// Characters of a sentence shown before it is cut.
const SHOWN: usize = 90;

/// `具备 pass` or `pass`.
pub fn element_verdict(v: ElementVerdict, lang: Lang) -> String {
    let en = match v {
        ElementVerdict::NotApplicable => "not applicable",
        v => v.as_str(),
    };
    pair(v.zh(), en, lang)
}

fn mark(v: ElementVerdict) -> &'static str {
    match v {
        ElementVerdict::Pass => "✓",
        ElementVerdict::Partial => "△",
        ElementVerdict::Missing => "✗",
        ElementVerdict::Manual => "?",
        ElementVerdict::NotApplicable => "-",
    }
}

/// A sentence cut to `SHOWN` characters, with its offsets.
pub fn quote(s: &Span) -> String {
    let text: String = s.text.chars().take(SHOWN).collect();
    let cut = if s.text.chars().count() > SHOWN {
        "…"
    } else {
        ""
    };
    format!("「{text}{cut}」[{}..{}]", s.start, s.end)
}

/// The counts of element verdicts: `具备 pass 9 · 部分具备 partial 3 · …`.
pub fn element_counts(r: &PolicyReport, lang: Lang) -> String {
    let order = [
        ElementVerdict::Missing,
        ElementVerdict::Partial,
        ElementVerdict::Manual,
        ElementVerdict::Pass,
        ElementVerdict::NotApplicable,
    ];
    order
        .iter()
        .map(|&v| {
            let n = r.elements.iter().filter(|e| e.verdict == v).count();
            format!("{} {n}", element_verdict(v, lang))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

fn head(r: &PolicyReport, lang: Lang) -> Vec<String> {
    let s = &r.source;
    let mut out = vec![format!(
        "{}: {}{} ({}, {}, {} {})",
        pair("隐私政策", "Privacy policy", lang),
        s.path,
        s.url
            .as_ref()
            .filter(|u| **u != s.path)
            .map(|u| format!(" → {u}"))
            .unwrap_or_default(),
        s.format,
        s.encoding,
        s.chars,
        pair("字符", "chars", lang),
    )];
    if let Some(t) = &r.title {
        out.push(format!("{}: {t}", pair("标题", "Title", lang)));
    }
    out.push(format!(
        "{}: {}",
        pair("运营者", "Operator", lang),
        r.operator
            .as_ref()
            .map_or_else(|| pair("未找到", "not found", lang), |f| f.value.clone())
    ));
    let facts = |label: String, v: &[pipa_policy::Fact]| {
        let v: Vec<String> = v
            .iter()
            .map(|f| format!("{} {}", f.kind, f.value))
            .collect();
        let shown = if v.is_empty() {
            pair("未找到", "not found", lang)
        } else {
            v.join("; ")
        };
        format!("{label}: {shown}")
    };
    out.push(facts(pair("联系方式", "Contacts", lang), &r.contacts));
    out.push(facts(pair("日期", "Dates", lang), &r.dates));
    let l = &r.language;
    out.push(format!(
        "{}: {} ({} {:.0}%, {} {:.1}%)",
        pair("语言", "Language", lang),
        if l.simplified_chinese {
            pair("简体中文", "Simplified Chinese", lang)
        } else {
            pair("不是简体中文", "not Simplified Chinese", lang)
        },
        pair("汉字", "Han", lang),
        l.han_ratio * 100.0,
        pair("繁体字", "traditional", lang),
        l.traditional_ratio * 100.0,
    ));
    out
}

/// The policy report for a terminal.
pub fn policy_text(r: &PolicyReport, lang: Lang) -> String {
    let mut out = String::new();
    for l in head(r, lang) {
        out.push_str(&l);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&elements_text(r, lang, true));
    out.push('\n');
    out.push_str(&declarations_text(r, lang));
    out
}

/// The 16 elements: a line each, then the signals (found ✓ / missing ✗)
/// with a sentence; with `detail`, every signal's evidence.
pub fn elements_text(r: &PolicyReport, lang: Lang, detail: bool) -> String {
    let mut out = format!(
        "{} ({}): {}\n",
        pair("隐私政策要素", "Policy elements", lang),
        r.elements.len(),
        element_counts(r, lang)
    );
    for e in &r.elements {
        out.push_str(&format!(
            "  {} {} {}  {}\n",
            e.id,
            mark(e.verdict),
            element_verdict(e.verdict, lang),
            short(&e.name, lang)
        ));
        if !detail {
            continue;
        }
        for s in &e.signals {
            let m = match (s.found, s.required) {
                (true, _) => "✓",
                (false, true) => "✗",
                (false, false) => "·",
            };
            let first = s.evidence.first().map(quote).unwrap_or_default();
            out.push_str(&format!("      {m} {}  {first}\n", short(&s.name, lang)));
        }
    }
    out
}

/// PI declared, denied, open lists, third parties, permissions, time limits.
pub fn declarations_text(r: &PolicyReport, lang: Lang) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{} ({}):\n",
        pair("声明收集的个人信息", "PI declared", lang),
        r.pi_types.len()
    ));
    let rows: Vec<Vec<String>> = r
        .pi_types
        .iter()
        .map(|p| {
            vec![
                short(&p.name, lang),
                if p.sensitive {
                    if p.marked {
                        pair("敏感·已标识", "sensitive, marked", lang)
                    } else {
                        pair("敏感·未标识", "sensitive, not marked", lang)
                    }
                } else {
                    String::new()
                },
                p.evidence.first().map(quote).unwrap_or_default(),
            ]
        })
        .collect();
    out.push_str(&table(&rows, "  "));
    if !r.pi_denied.is_empty() {
        out.push_str(&format!(
            "{} ({}):\n",
            pair("声明不收集", "Said not to be collected", lang),
            r.pi_denied.len()
        ));
        for p in &r.pi_denied {
            out.push_str(&format!(
                "  {}  {}\n",
                short(&p.name, lang),
                p.evidence.first().map(quote).unwrap_or_default()
            ));
        }
    }
    if !r.vague.is_empty() {
        out.push_str(&format!(
            "{} ({}):\n",
            pair("开放式列举（等、例如）", "Open lists (等, 例如)", lang),
            r.vague.len()
        ));
        for s in r.vague.iter().take(10) {
            out.push_str(&format!("  {}\n", quote(s)));
        }
        if r.vague.len() > 10 {
            out.push_str(&format!("  … {}\n", r.vague.len() - 10));
        }
    }
    out.push_str(&format!(
        "{} ({}):\n",
        pair("第三方与 SDK", "Third parties and SDKs", lang),
        r.third_parties.len()
    ));
    let rows: Vec<Vec<String>> = r
        .third_parties
        .iter()
        .map(|t| {
            vec![
                t.name.clone(),
                t.sdk_id.clone().unwrap_or_else(|| {
                    if t.also.is_empty() {
                        "-".into()
                    } else {
                        format!("{}…", t.also[0])
                    }
                }),
                if t.listed {
                    pair("清单", "listed", lang)
                } else {
                    pair("正文", "in text", lang)
                },
                t.pi_types.join(","),
                t.policy_url.clone().unwrap_or_default(),
            ]
        })
        .collect();
    out.push_str(&table(&rows, "  "));
    out.push_str(&format!(
        "{} ({}):\n",
        pair("已说明的权限", "Permissions explained", lang),
        r.permissions.len()
    ));
    let rows: Vec<Vec<String>> = r
        .permissions
        .iter()
        .map(|p| {
            vec![
                p.name.trim_start_matches("android.permission.").to_string(),
                p.terms.join("、"),
                p.evidence.first().map(quote).unwrap_or_default(),
            ]
        })
        .collect();
    out.push_str(&table(&rows, "  "));
    if !r.time_limits.is_empty() {
        out.push_str(&format!("{}:\n", pair("承诺时限", "Time limits", lang)));
        for t in &r.time_limits {
            out.push_str(&format!(
                "  {} {}  {}\n",
                t.days,
                if t.working_days {
                    pair("个工作日", "working days", lang)
                } else {
                    pair("天", "days", lang)
                },
                quote(&t.evidence)
            ));
        }
    }
    out
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The policy report in Markdown.
pub fn policy_markdown(r: &PolicyReport, lang: Lang) -> String {
    let mut out = format!(
        "# {}\n\n",
        pair("隐私政策分析", "Privacy-policy analysis", lang)
    );
    for l in head(r, lang) {
        out.push_str(&format!("- {l}\n"));
    }
    out.push('\n');
    out.push_str(&elements_markdown(r, lang, "##"));
    out.push_str(&format!(
        "\n## {}\n\n",
        pair("声明与清单", "Declarations and lists", lang)
    ));
    out.push_str("```text\n");
    out.push_str(&declarations_text(r, lang));
    out.push_str("```\n");
    out
}

/// The elements as a Markdown table, then each element's signals.
pub fn elements_markdown(r: &PolicyReport, lang: Lang, level: &str) -> String {
    let mut out = format!(
        "{level} {}\n\n{}\n\n| {} | {} | {} | {} |\n|---|---|---|---|\n",
        pair("隐私政策要素", "Policy elements", lang),
        element_counts(r, lang),
        pair("编号", "Id", lang),
        pair("要素", "Element", lang),
        pair("结论", "Verdict", lang),
        pair("依据", "Basis", lang),
    );
    for e in &r.elements {
        out.push_str(&format!(
            "| {} | {} | {} {} | {} |\n",
            e.id,
            md_cell(&short(&e.name, lang)),
            mark(e.verdict),
            element_verdict(e.verdict, lang),
            e.basis.join(", ")
        ));
    }
    out.push('\n');
    for e in &r.elements {
        out.push_str(&format!(
            "{level}# {} {}\n\n",
            e.id,
            md_cell(&short(&e.name, lang))
        ));
        for s in &e.signals {
            let m = match (s.found, s.required) {
                (true, _) => "✓",
                (false, true) => "✗",
                (false, false) => "·",
            };
            out.push_str(&format!("- {m} {}\n", short(&s.name, lang)));
            for sp in &s.evidence {
                out.push_str(&format!("  - {}\n", md_cell(&quote(sp))));
            }
        }
        if let Some(n) = &e.note {
            out.push_str(&format!("\n> {}\n", md_cell(&short(n, lang))));
        }
        out.push('\n');
    }
    out
}

/// Ids after `prefix` of the scan's findings (`policy.sdk_undeclared.` →
/// `jiguang.jpush`, …).
fn finding_tails<'a>(a: &'a pipa_engine::Assessment, prefix: &str) -> Vec<&'a str> {
    a.findings
        .iter()
        .filter_map(|f| f.id.strip_prefix(prefix))
        .collect()
}

/// The privacy-policy lines of a scan report: the policy read (and how pipa
/// came by it), its elements, the gaps against the package by kind, the app
/// type; or, without a policy, how to give one.
pub fn scan_policy_lines(a: &pipa_engine::Assessment, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    match &a.policy {
        Some(r) => {
            let s = &r.source;
            let origin = match s.origin.as_deref() {
                Some("package") => pair("安装包内", "in the package", lang),
                _ => pair("--policy 提供", "given with --policy", lang),
            };
            out.push(format!(
                "{}: {} ({origin}; {}, {}, {} {})",
                pair("来源", "Source", lang),
                s.url.as_deref().unwrap_or(&s.path),
                s.format,
                s.encoding,
                s.chars,
                pair("字符", "chars", lang)
            ));
            out.push(format!(
                "{}: {}",
                pair("要素", "Elements", lang),
                element_counts(r, lang)
            ));
            let gaps: Vec<String> = r
                .elements
                .iter()
                .filter(|e| matches!(e.verdict, ElementVerdict::Missing | ElementVerdict::Partial))
                .map(|e| format!("{} {} {}", e.id, mark(e.verdict), short(&e.name, lang)))
                .collect();
            if !gaps.is_empty() {
                out.push(format!(
                    "{}: {}",
                    pair("未具备", "Not met", lang),
                    gaps.join("; ")
                ));
            }
            let kinds = [
                ("policy.permission_undeclared.", "未说明的权限", "permissions not explained"),
                ("policy.sdk_undeclared.", "未列出的 SDK", "SDKs not named"),
                ("policy.pi_undeclared.", "未声明的个人信息", "PI not declared"),
            ];
            for (prefix, zh, en) in kinds {
                let v = finding_tails(a, prefix);
                out.push(format!(
                    "{}: {}{}",
                    pair(zh, en, lang),
                    v.len(),
                    if v.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", v.join(", "))
                    }
                ));
            }
        }
        None => out.push(pair(
            "未读取隐私政策：用 `--policy 文件|URL` 提供（html、txt、md、pdf），pipa 将逐项核对 16 个要素，并与安装包的权限、SDK 和代码比对。",
            "No policy read: give one with `--policy FILE|URL` (html, txt, md, pdf) to check its 16 elements and hold it against the package's permissions, SDKs and code.",
            lang,
        )),
    }
    if let Some(c) = &a.category {
        let beyond = finding_tails(a, "necessity.");
        let beyond: Vec<&str> = beyond.into_iter().filter(|x| *x != "within").collect();
        out.push(format!(
            "{}: {} {} ({}: {}); {}: {}{}",
            pair("App 类型", "App type", lang),
            c.seq,
            short(&c.name, lang),
            pair("必要个人信息", "necessary PI", lang),
            if c.no_pi_required {
                pair("无须个人信息", "none needed", lang)
            } else {
                c.necessary.join(", ")
            },
            pair("超出必要范围", "beyond it", lang),
            beyond.len(),
            if beyond.is_empty() {
                String::new()
            } else {
                format!(" ({})", beyond.join(", "))
            }
        ));
    }
    out
}
