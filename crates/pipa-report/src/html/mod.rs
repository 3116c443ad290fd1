//! The HTML report: one self-contained page (inline CSS, a few lines of
//! optional inline script, inline SVG charts; no external asset of any
//! kind), readable with scripts off (evidence opens with `<details>`),
//! printable, and usable at phone width.
//!
//! Sections: a summary a manager reads at a glance (the app, counts of items
//! per verdict with a donut, findings per severity, PI types by subject as
//! bars), the PI types involved, the third-party SDK list ready to paste into
//! a privacy policy, the privacy policy's analysis, the 31 items with their
//! legal text (and the developer's statements when given), every finding
//! with its evidence and remediation, the package's anomalies and the legal
//! basis. Every text from the package or the policy is escaped.

mod chart;
pub(crate) mod esc;
mod findings;
mod items;
mod sections;

use crate::Lang;
use crate::fmt;
use crate::summary::Summary;
use esc::{bi, esc, verdict_class};
use pipa_engine::Assessment;
use pipa_kb::Kb;
use std::fmt::Write;

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("script.js");

/// The assessment as one self-contained HTML page.
pub fn html(a: &Assessment, kb: &Kb, lang: Lang) -> String {
    let sum = Summary::of(a);
    let app_name = a.app.name.as_deref().unwrap_or(&a.app.id);
    let title = fmt::pair(
        "App 个人信息保护合规评估报告",
        "Personal-information compliance assessment",
        lang,
    );
    let mut s = String::with_capacity(64 * 1024);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"generator\" content=\"{} {}\">\
         <title>{} — {}</title><style>{STYLE}</style></head><body>",
        match lang {
            Lang::Both | Lang::Zh => "zh-CN",
            Lang::En => "en",
        },
        esc(&a.tool.name),
        esc(&a.tool.version),
        esc(app_name),
        esc(&title),
    );
    let _ = write!(
        s,
        "<header class=\"top\"><div class=\"wrap\"><div class=\"kicker\">{}</div>\
         <h1>{}</h1><div class=\"sub\"><code>{}</code> {}</div></div></header>",
        bi(
            "App 个人信息保护合规评估报告",
            "Personal-information compliance assessment",
            lang
        ),
        esc(app_name),
        esc(&a.app.id),
        a.app
            .version_name
            .as_deref()
            .map(|v| format!("· v{}", esc(v)))
            .unwrap_or_default()
    );
    if let Some(lines) = crate::coverage::banner(a, lang) {
        s.push_str("<div class=\"wrap\"><div class=\"incomplete\" role=\"alert\">");
        for (i, l) in lines.iter().enumerate() {
            if i == 0 {
                let _ = write!(s, "<p><strong>{}</strong></p>", esc(l));
            } else {
                let _ = write!(s, "<p>{}</p>", esc(l));
            }
        }
        s.push_str("</div></div>");
    }
    nav(&mut s, lang);
    s.push_str("<main class=\"wrap\">");
    crate::priorities::html(&mut s, a, lang);

    section(&mut s, "summary", &bi("概要", "Summary", lang), |s| {
        summary(s, a, kb, &sum, lang)
    });
    section(
        &mut s,
        "pi",
        &bi("涉及的个人信息", "Personal information involved", lang),
        |s| sections::pi_table(s, a, kb, &sum, lang),
    );
    section(
        &mut s,
        "sdks",
        &bi("第三方 SDK 清单", "Third-party SDKs", lang),
        |s| sections::sdks(s, a, kb, lang),
    );
    section(
        &mut s,
        "policy",
        &bi("隐私政策", "Privacy policy", lang),
        |s| sections::policy(s, a, lang),
    );
    section(
        &mut s,
        "items",
        &bi(
            &format!("{} 项认定结果", a.items.len()),
            &format!("The {} items", a.items.len()),
            lang,
        ),
        |s| items::section(s, a, kb, lang),
    );
    section(
        &mut s,
        "findings",
        &bi("发现与整改", "Findings and remediation", lang),
        |s| findings::section(s, a, kb, lang),
    );
    section(
        &mut s,
        "anomalies",
        &bi("安装包异常", "Package anomalies", lang),
        |s| sections::anomalies(s, a, lang),
    );
    section(
        &mut s,
        "basis",
        &bi("法律依据", "Legal basis", lang),
        |s| sections::legal_basis(s, a, kb, lang),
    );
    let _ = writeln!(
        s,
        "</main><footer class=\"wrap\">{} · {} {} · <code>{}</code></footer>\
         <script>{SCRIPT}</script></body></html>",
        bi(
            "本报告基于安装包的静态分析，“风险”与“需人工确认”须由人核实",
            "Static analysis of the package: “risk” and “manual” need a person to confirm",
            lang
        ),
        esc(&a.tool.name),
        esc(&a.tool.version),
        esc(a.schema)
    );
    s
}

fn section(s: &mut String, id: &str, heading: &str, body: impl FnOnce(&mut String)) {
    let _ = write!(s, "<section id=\"{id}\"><h2>{heading}</h2>");
    body(s);
    s.push_str("</section>");
}

fn nav(s: &mut String, lang: Lang) {
    let links = [
        ("fix-first", "主要问题", "Fix first"),
        ("summary", "概要", "Summary"),
        ("pi", "个人信息", "PI"),
        ("sdks", "SDK", "SDKs"),
        ("policy", "隐私政策", "Policy"),
        ("items", "31 项", "Items"),
        ("findings", "发现", "Findings"),
        ("basis", "依据", "Basis"),
    ];
    s.push_str("<nav class=\"toc\"><div class=\"wrap\">");
    for (id, zh, en) in links {
        let label = match lang {
            Lang::Both | Lang::Zh => esc(zh),
            Lang::En => esc(en),
        };
        let _ = write!(s, "<a href=\"#{id}\">{label}</a>");
    }
    let _ = write!(
        s,
        "<button type=\"button\" id=\"toggle-all\" hidden data-open=\"{}\" data-close=\"{}\">{}</button>\
         </div></nav>",
        esc(&fmt::pair("展开全部证据", "Expand all", lang)),
        esc(&fmt::pair("收起全部证据", "Collapse all", lang)),
        esc(&fmt::pair("展开全部证据", "Expand all", lang)),
    );
}

/// Scan time, versions and signers as summary rows (label, HTML).
fn provenance(a: &Assessment, lang: Lang) -> Vec<(String, String)> {
    let labels = crate::provenance::LABELS;
    crate::provenance::rows(a, lang)
        .into_iter()
        .map(|(k, v)| {
            let label = labels
                .iter()
                .find(|(zh, en)| fmt::pair(zh, en, lang) == k)
                .map_or_else(|| esc(&k), |(zh, en)| bi(zh, en, lang));
            (label, format!("<span class=\"prov\">{}</span>", esc(&v)))
        })
        .collect()
}

fn summary(s: &mut String, a: &Assessment, kb: &Kb, sum: &Summary, lang: Lang) {
    let app = &a.app;
    // The verdict cards and the donut.
    s.push_str("<div class=\"overview\"><div class=\"cards\">");
    for (v, n) in &sum.items {
        let _ = write!(
            s,
            "<a class=\"card {}{}\" href=\"#items\"><span class=\"n\">{n}</span>\
             <span class=\"l\">{}</span></a>",
            verdict_class(*v),
            if *n == 0 { " zero" } else { "" },
            bi(v.zh(), fmt::verdict_en(*v), lang)
        );
    }
    if sum.declared > 0 {
        // Shown apart: the developer's word, never a pass.
        let _ = write!(
            s,
            "<a class=\"card declared\" href=\"#items\" title=\"{}\"><span class=\"n\">{}</span>\
             <span class=\"l\">{}{}</span></a>",
            esc(&crate::statements::declared_legend(lang)),
            sum.declared,
            bi("自述", "declared by the developer", lang),
            if sum.unproven > 0 {
                format!(
                    " <span class=\"unproven\">{}</span>",
                    bi(
                        &format!("{} 项未证明", sum.unproven),
                        &format!("{} unproven", sum.unproven),
                        lang
                    )
                )
            } else {
                String::new()
            }
        );
    }
    let _ = write!(
        s,
        "</div><div class=\"chart\">{}</div></div>",
        chart::donut(sum, lang)
    );
    // Findings by severity.
    let _ = write!(
        s,
        "<p class=\"sevline\"><b>{}: {}</b>",
        bi("发现", "Findings", lang),
        a.findings.len()
    );
    for (sv, n) in &sum.findings {
        let _ = write!(
            s,
            " <span class=\"badge sev {}\">{} {n}</span>",
            esc::severity_class(*sv),
            esc(&fmt::severity(*sv, lang))
        );
    }
    if let Some(b) = &a.baseline {
        let _ = write!(
            s,
            " <span class=\"badge acc\">{} {}</span>",
            bi("基线已接受", "accepted by the baseline", lang),
            b.accepted.len()
        );
    }
    s.push_str("</p>");
    let _ = write!(
        s,
        "<p class=\"sevline coverage{}\"><b>{}:</b> {}</p>",
        if a.coverage.incomplete { " low" } else { "" },
        bi("代码覆盖", "Coverage", lang),
        esc(&crate::coverage::figures(&a.coverage, lang))
    );
    // The facts.
    let version = format!(
        "{} ({})",
        app.version_name.as_deref().unwrap_or("—"),
        app.version_code
            .map(|v| v.to_string())
            .unwrap_or_else(|| "—".into())
    );
    let mut rows: Vec<(String, String)> = vec![
        (
            bi("应用", "App", lang),
            format!(
                "{} <code>{}</code>",
                esc(app.name.as_deref().unwrap_or("—")),
                esc(&app.id)
            ),
        ),
        (bi("版本", "Version", lang), esc(&version)),
        (
            bi("平台", "Platform", lang),
            esc(&format!(
                "{} · minSdk {} · targetSdk {}",
                app.platform, app.min_sdk, app.target_sdk
            )),
        ),
        (
            bi("文件", "File", lang),
            format!("<code>{}</code>", esc(&a.input.path)),
        ),
        (
            "SHA-256".into(),
            format!("<code class=\"hash\">{}</code>", esc(&a.input.sha256)),
        ),
        (
            bi("第三方 SDK", "Third-party SDKs", lang),
            esc(&crate::sdk::counts(a, lang)),
        ),
    ];
    rows.extend(provenance(a, lang));
    let fp = crate::sdk::first_party_parts(a, lang);
    if !fp.is_empty() {
        let cell: Vec<String> = fp
            .iter()
            .map(|(p, b)| {
                if b.is_empty() {
                    format!("<code>{}</code>", esc(p))
                } else {
                    format!("<code>{}</code> ({})", esc(p), esc(b))
                }
            })
            .collect();
        rows.push((bi("自有代码", "First-party code", lang), cell.join(" · ")));
    }
    if let Some(c) = &a.category {
        rows.push((
            bi("App 类型", "App type", lang),
            format!("{} {}", c.seq, esc::text(&c.name, lang)),
        ));
    }
    if let Some(ans) = &a.answers {
        rows.push((
            bi("开发者回答", "Developer's answers", lang),
            format!(
                "<code>{}</code> · {}",
                esc(&ans.source),
                esc(&fmt::pair(
                    &format!(
                        "已答 {}/{} 题，涉及 {} 项（改变的结论或自述；开发者声明，pipa 未核实）",
                        ans.answered,
                        ans.questions,
                        ans.items_changed.len()
                    ),
                    &format!(
                        "{}/{} answered, {} items changed or declared (statements, not verified by pipa)",
                        ans.answered,
                        ans.questions,
                        ans.items_changed.len()
                    ),
                    lang
                ))
            ),
        ));
    }
    if let Some(b) = &a.baseline {
        rows.push((
            bi("基线", "Baseline", lang),
            format!(
                "<code>{}</code> · {}",
                esc(&b.source),
                esc(&fmt::pair(
                    &format!(
                        "接受 {} · 失效 {} · 过期 {} · 变严重 {}",
                        b.accepted.len(),
                        b.stale.len(),
                        b.expired.len(),
                        b.worse.len()
                    ),
                    &format!(
                        "accepted {} · stale {} · expired {} · worse {}",
                        b.accepted.len(),
                        b.stale.len(),
                        b.expired.len(),
                        b.worse.len()
                    ),
                    lang
                ))
            ),
        ));
    }
    rows.push((
        bi("工具", "Tool", lang),
        esc(&format!(
            "{} {} ({})",
            a.tool.name, a.tool.version, a.schema
        )),
    ));
    s.push_str("<dl class=\"facts\">");
    for (k, v) in rows {
        let _ = write!(s, "<dt>{k}</dt><dd>{v}</dd>");
    }
    s.push_str("</dl>");
    // PI types by subject.
    if let Some(bars) = chart::pi_by_subject(a, kb, sum, lang) {
        let _ = write!(
            s,
            "<div class=\"screen-only\"><h3>{}</h3>{bars}</div>",
            bi("个人信息类型（按主体）", "PI types by subject", lang)
        );
    }
    let _ = write!(
        s,
        "<p class=\"muted small\">{}</p>",
        bi(
            "依据《App违法违规收集使用个人信息行为认定方法》逐项评估。“违规”仅用于安装包本身即可证明的情形；“风险”须经人工确认；“需人工确认”说明了检查什么、如何检查。",
            "Assessed item by item against the 191 Methods. “Violation” only where the package itself proves it; “risk” needs a person to confirm; “manual” says what to check and how.",
            lang
        )
    );
}

#[cfg(test)]
mod tests;
