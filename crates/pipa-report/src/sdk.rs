//! The third-party SDK list (第三方SDK清单) in the human reports: the list a
//! developer publishes with the privacy policy (191-2.1; TC260 SDK guide).
//! High- and medium-confidence SDKs go in a table; low-confidence ones (weak
//! clues only, such as a host string) in a compact line below it, and those
//! declared in the manifest whose code is absent (`presence:
//! manifest_only`, left-over configuration) in a line of their own.

use crate::Lang;
use crate::fmt::{self, pair};
use pipa_engine::{Assessment, Evidence, SdkUse};
use pipa_kb::{Kb, Text};
use std::fmt::Write;

/// Table rows shown in the terminal (the JSON has them all).
const MAX_TERMINAL_ROWS: usize = 60;
/// Low-confidence SDKs named in the terminal's compact line.
const MAX_TERMINAL_LOW: usize = 15;
/// Evidence items listed per SDK in Markdown.
const MAX_MD_EVIDENCE: usize = 200;
/// Names are clipped to this many terminal columns in the table.
const NAME_COLS: usize = 44;
/// Vendor names are clipped to this many terminal columns in the table.
const VENDOR_COLS: usize = 28;

/// A row of the table (high or medium confidence: its code is there).
pub fn in_table(s: &SdkUse) -> bool {
    s.confidence != "low"
}

/// Declared in the manifest, code absent: left-over configuration, listed
/// apart from the table and from the weak clues.
pub fn is_leftover(s: &SdkUse) -> bool {
    s.presence == "manifest_only"
}

/// Weak clues only: named below the table, not in it.
pub fn is_low(s: &SdkUse) -> bool {
    s.confidence == "low" && !is_leftover(s)
}

/// The label of the left-over list.
pub fn leftover_note(lang: Lang) -> String {
    pair(
        "清单中声明但代码不存在（残留配置，未列入上表）",
        "declared in the manifest, code absent: leftover configuration (not in the table)",
        lang,
    )
}

/// The confidence, with `· 残留配置 leftover` for a manifest-only SDK.
pub fn confidence_cell(s: &SdkUse, lang: Lang) -> String {
    let c = confidence(&s.confidence, lang);
    if is_leftover(s) {
        format!(
            "{c} · {}",
            pair("残留配置（代码不存在）", "leftover (code absent)", lang)
        )
    } else {
        c
    }
}

/// The app's first-party code prefixes, each with how it was decided:
/// `("com.hjq.*", "组织前缀，来自清单包名 com.hjq.demo / organisation of the
/// manifest package com.hjq.demo")`; the basis is empty in an assessment
/// made before it was recorded.
pub fn first_party_parts(a: &Assessment, lang: Lang) -> Vec<(String, String)> {
    if a.app.first_party_basis.is_empty() {
        return a
            .app
            .first_party
            .iter()
            .map(|p| (p.clone(), String::new()))
            .collect();
    }
    a.app
        .first_party_basis
        .iter()
        .map(|b| (b.prefix.clone(), fmt::short(&b.basis_text(), lang)))
        .collect()
}

/// `com.hjq.* (组织前缀，来自… / organisation of …) · …`, with `code` around
/// each prefix, or `None` when the app has none.
pub fn first_party_with(
    a: &Assessment,
    lang: Lang,
    code: impl Fn(&str) -> String,
) -> Option<String> {
    let parts = first_party_parts(a, lang);
    (!parts.is_empty()).then(|| {
        parts
            .iter()
            .map(|(p, b)| {
                if b.is_empty() {
                    code(p)
                } else {
                    format!("{} ({b})", code(p))
                }
            })
            .collect::<Vec<_>>()
            .join(" · ")
    })
}

/// [`first_party_with`] in plain text.
pub fn first_party(a: &Assessment, lang: Lang) -> Option<String> {
    first_party_with(a, lang, str::to_string)
}

/// `zh en` (once when the same), one side when the other is empty, or `fallback`.
fn both(t: &Text, fallback: &str) -> String {
    match (t.zh.is_empty(), t.en.is_empty()) {
        (true, true) => fallback.to_string(),
        (false, true) => t.zh.clone(),
        (true, false) => t.en.clone(),
        (false, false) if t.zh == t.en => t.zh.clone(),
        (false, false) => format!("{} {}", t.zh, t.en),
    }
}

/// The SDK's name: `极光推送 JPush`, or `JPush` (the id when no English name).
pub fn name(s: &SdkUse, lang: Lang) -> String {
    match lang {
        Lang::Both => both(&s.name, &s.id),
        Lang::Zh if !s.name.zh.is_empty() => s.name.zh.clone(),
        Lang::Zh | Lang::En if s.name.en.is_empty() => s.id.clone(),
        Lang::Zh => s.name.en.clone(),
        Lang::En => s.name.en.clone(),
    }
}

/// A subject in plain text: the app's own code and unattributed code in the
/// engine's words ([`pipa_engine::subject_text`]), an SDK of the package by
/// [`name`] (its id when the package lists no such SDK).
pub fn subject_name(a: &Assessment, kb: &Kb, subject: &str, lang: Lang) -> String {
    match subject.strip_prefix("sdk:") {
        Some(id) => a
            .sdks
            .iter()
            .find(|x| x.id == id)
            .map_or_else(|| subject.to_string(), |x| name(x, lang)),
        None => {
            let t = pipa_engine::subject_text(kb, subject);
            pair(&t.zh, &t.en, lang)
        }
    }
}

/// The vendor: Chinese name (English when there is none), or English only.
pub fn vendor(s: &SdkUse, lang: Lang) -> String {
    let t = &s.vendor;
    let v = match lang {
        Lang::Both | Lang::Zh if !t.zh.is_empty() => &t.zh,
        Lang::Both | Lang::Zh => &t.en,
        Lang::En if !t.en.is_empty() => &t.en,
        Lang::En => &t.zh,
    };
    if v.is_empty() {
        "—".into()
    } else {
        v.clone()
    }
}

/// The category: `推送 Push`, or `Push` (the id when no name).
pub fn category(s: &SdkUse, lang: Lang) -> String {
    match lang {
        Lang::Both => both(&s.category_name, &s.category),
        Lang::Zh if !s.category_name.zh.is_empty() => s.category_name.zh.clone(),
        Lang::Zh | Lang::En if s.category_name.en.is_empty() => s.category.clone(),
        Lang::Zh => s.category_name.en.clone(),
        Lang::En => s.category_name.en.clone(),
    }
}

/// `高 high`, `中 medium`, `低 low`, or `high` etc.
pub fn confidence(c: &str, lang: Lang) -> String {
    match c {
        "high" => pair("高", "high", lang),
        "medium" => pair("中", "medium", lang),
        "low" => pair("低", "low", lang),
        other => other.to_string(),
    }
}

/// `是 yes` / `否 no`.
pub fn initialized(b: bool, lang: Lang) -> String {
    if b {
        pair("是", "yes", lang)
    } else {
        pair("否", "no", lang)
    }
}

/// `是 yes`, with `· 启动时 at start-up` when called on a start-up path
/// (`· 启动时（同意后） at start-up (after consent)` when gated).
pub fn initialized_cell(x: &SdkUse, lang: Lang) -> String {
    let base = initialized(x.initialized, lang);
    match x.startup.as_deref() {
        Some("gated") => format!(
            "{base} · {}",
            pair(
                "启动时（同意检查后）",
                "at start-up (after consent check)",
                lang
            )
        ),
        Some(_) => format!("{base} · {}", pair("启动时", "at start-up", lang)),
        None => base,
    }
}

/// The version, or `—`.
pub fn version(s: &SdkUse) -> String {
    s.version.clone().unwrap_or_else(|| "—".into())
}

/// PI type names joined by ` · `, or `—`.
pub fn pi_list(kb: &Kb, ids: &[String], lang: Lang) -> String {
    if ids.is_empty() {
        return "—".into();
    }
    ids.iter()
        .map(|t| fmt::pi_name(kb, t, lang))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Types seen in the SDK's own code, `*` on those its vendor does not declare
/// (only when the vendor declares something), and the number of call sites.
/// Second value: some type is marked.
pub fn observed(kb: &Kb, s: &SdkUse, lang: Lang, star: &str) -> (String, bool) {
    if s.observed_pi.is_empty() {
        return ("—".into(), false);
    }
    let mut marked = false;
    let names: Vec<String> = s
        .observed_pi
        .iter()
        .map(|t| {
            let n = fmt::pi_name(kb, t, lang);
            if !s.collects.is_empty() && !s.collects.contains(t) {
                marked = true;
                format!("{n}{star}")
            } else {
                n
            }
        })
        .collect();
    let sites = match lang {
        Lang::Both => format!(
            "{} 处调用 / {}",
            s.api_sites,
            crate::fmt::plural(s.api_sites, "call site", "call sites")
        ),
        Lang::Zh => format!("{} 处调用", s.api_sites),
        Lang::En => format!(
            "{} {}",
            s.api_sites,
            crate::fmt::plural(s.api_sites, "call site", "call sites")
        ),
    };
    (format!("{} ({sites})", names.join(" · ")), marked)
}

/// `5 (高 high 3 · 中 medium 1 · 低 low 1)`.
pub fn counts(a: &Assessment, lang: Lang) -> String {
    let mut parts: Vec<String> = ["high", "medium", "low"]
        .iter()
        .map(|c| {
            let n = a
                .sdks
                .iter()
                .filter(|s| s.confidence == *c && !is_leftover(s))
                .count();
            (c, n)
        })
        .filter(|&(_, n)| n > 0)
        .map(|(c, n)| format!("{} {n}", confidence(c, lang)))
        .collect();
    let leftover = a.sdks.iter().filter(|s| is_leftover(s)).count();
    if leftover > 0 {
        parts.push(format!("{} {leftover}", pair("残留配置", "leftover", lang)));
    }
    if parts.is_empty() {
        a.sdks.len().to_string()
    } else {
        format!("{} ({})", a.sdks.len(), parts.join(" · "))
    }
}

/// The name in the terminal table: both names when they fit in [`NAME_COLS`],
/// else the Chinese one (the English goes on the id line, see [`name_moved`]).
fn name_cell(s: &SdkUse, lang: Lang) -> String {
    let n = name(s, lang);
    if name_moved(s, lang) {
        clip(&s.name.zh, NAME_COLS)
    } else {
        clip(&n, NAME_COLS)
    }
}

/// The English name did not fit beside the Chinese one in the table.
fn name_moved(s: &SdkUse, lang: Lang) -> bool {
    lang == Lang::Both
        && !s.name.zh.is_empty()
        && !s.name.en.is_empty()
        && fmt::width(&name(s, lang)) > NAME_COLS
}

/// A catalogue status in the report's language(s).
fn status(st: &str, lang: Lang) -> String {
    let zh = match st {
        "unverified" => "未核实",
        "partial" => "部分核实",
        "verified" => "已核实",
        other => other,
    };
    match lang {
        Lang::Both => format!("目录条目{zh} / catalogue entry {st}"),
        Lang::Zh => format!("目录条目{zh}"),
        Lang::En => format!("catalogue entry {st}"),
    }
}

/// `s` cut to `cols` terminal columns, with `…` when cut.
fn clip(s: &str, cols: usize) -> String {
    if fmt::width(s) <= cols {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if fmt::width(&out) + fmt::width(c.encode_utf8(&mut [0; 4])) + 1 > cols {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// The method name of a smali reference: `JPushInterface.setAuth` for
/// `Lcn/jpush/android/api/JPushInterface;->setAuth`.
fn short_api(api: &str) -> String {
    match api.split_once(";->") {
        Some((class, method)) => {
            let simple = class.rsplit('/').next().unwrap_or(class);
            let simple = simple.trim_start_matches('L');
            let method = method.split('(').next().unwrap_or(method);
            format!("{simple}.{method}")
        }
        None => api.to_string(),
    }
}

fn used(b: bool, lang: Lang) -> String {
    if b {
        pair("已调用", "used", lang)
    } else {
        pair("未调用", "not used", lang)
    }
}

/// A start-up API's role and what the code does with it:
/// `正式初始化（须在同意后） init (only after consent) · 启动时未经同意调用 called at start-up without consent check`.
pub(crate) fn init_api_state(c: &pipa_engine::CompliantInitUse, lang: Lang) -> String {
    let (rz, re) = c.role.label();
    let state = match (c.used, c.at_startup.as_deref()) {
        (_, Some("ungated")) if c.role.safe_before_consent() => {
            pair("启动时调用", "called at start-up", lang)
        }
        (_, Some("ungated")) => pair(
            "启动时未经同意检查即调用",
            "called at start-up without a consent check",
            lang,
        ),
        (_, Some(_)) => pair(
            "启动时在同意检查后调用",
            "called at start-up after a consent check",
            lang,
        ),
        (b, _) => used(b, lang),
    };
    format!("{} · {state}", pair(rz, re, lang))
}

/// Whether the SDK starts the way its vendor's compliance guide asks.
pub(crate) fn compliant_start(x: &SdkUse, lang: Lang) -> Option<String> {
    let v = x.compliant_init_used?;
    Some(if v {
        pair("合规初始化：是", "compliant start-up: yes", lang)
    } else if x.startup.as_deref() == Some("ungated") {
        pair(
            "合规初始化：否（启动时未经同意即初始化）",
            "compliant start-up: no (initialised at start-up before consent)",
            lang,
        )
    } else {
        pair("合规初始化：否", "compliant start-up: no", lang)
    })
}

/// The section title.
fn title(lang: Lang) -> String {
    match lang {
        Lang::Both => "第三方 SDK 清单 / Third-party SDKs".into(),
        Lang::Zh => "第三方 SDK 清单".into(),
        Lang::En => "Third-party SDKs".into(),
    }
}

fn low_note(lang: Lang) -> String {
    pair(
        "低置信度（仅有弱线索，如域名字符串，未列入上表）",
        "low confidence (weak clues only, such as a host string; not in the table)",
        lang,
    )
}

fn legend(lang: Lang, star: &str, marked: bool) -> String {
    let mut s = match lang {
        Lang::Both => "已初始化“否”：SDK 之外没有代码调用它，系统也不启动它 / initialized “no”: nothing outside the SDK calls it and the system does not start it".to_string(),
        Lang::Zh => "已初始化“否”：SDK 之外没有代码调用它，系统也不启动它".to_string(),
        Lang::En => "initialized “no”: nothing outside the SDK calls it and the system does not start it".to_string(),
    };
    if marked {
        s.push_str(&match lang {
            Lang::Both => {
                format!("; {star} 厂商未声明收集该类信息 / {star} not declared by the vendor")
            }
            Lang::Zh => format!("；{star} 厂商未声明收集该类信息"),
            Lang::En => format!("; {star} not declared by the vendor"),
        });
    }
    s
}

/// The terminal section: title, aligned table with detail lines under each
/// row, the low-confidence line, a legend.
pub fn terminal(
    s: &mut String,
    a: &Assessment,
    kb: &Kb,
    lang: Lang,
    details: bool,
    bold: impl Fn(&str) -> String,
) {
    let _ = writeln!(s);
    let _ = writeln!(s, "{}", bold(&title(lang)));
    if a.sdks.is_empty() {
        let _ = writeln!(s, "  {}", pair("未发现", "none found", lang));
        return;
    }
    let listed: Vec<&SdkUse> = a.sdks.iter().filter(|x| in_table(x)).collect();
    let low: Vec<&SdkUse> = a.sdks.iter().filter(|x| is_low(x)).collect();
    let leftover: Vec<&SdkUse> = a.sdks.iter().filter(|x| is_leftover(x)).collect();
    let shown = &listed[..listed.len().min(MAX_TERMINAL_ROWS)];
    let mut marked = false;
    if !shown.is_empty() {
        let mut rows = vec![vec![
            pair("名称", "name", lang),
            pair("厂商", "vendor", lang),
            pair("类别", "category", lang),
            pair("置信度", "confidence", lang),
            pair("版本", "version", lang),
            pair("已初始化", "initialized", lang),
        ]];
        for x in shown {
            rows.push(vec![
                name_cell(x, lang),
                clip(&vendor(x, lang), VENDOR_COLS),
                category(x, lang),
                confidence(&x.confidence, lang),
                version(x),
                initialized_cell(x, lang),
            ]);
        }
        let table = fmt::table(&rows, "  ");
        let mut lines = table.lines();
        if let Some(h) = lines.next() {
            let _ = writeln!(s, "{h}");
        }
        let label = |zh: &str, en: &str| format!("      {}: ", pair(zh, en, lang));
        for (line, x) in lines.zip(shown) {
            let _ = writeln!(s, "{line}");
            if !details {
                continue;
            }
            let mut collects = pi_list(kb, &x.collects, lang);
            if let Some(st) = &x.catalogue_status {
                let _ = write!(collects, " ({})", status(st, lang));
            }
            let _ = writeln!(
                s,
                "{}{collects}",
                label("厂商声明收集", "collects (vendor)")
            );
            let (obs, m) = observed(kb, x, lang, "*");
            marked |= m;
            let _ = writeln!(s, "{}{obs}", label("自身代码调用", "observed in its code"));
            if !x.compliant_init.is_empty() {
                let apis: Vec<String> = x
                    .compliant_init
                    .iter()
                    .map(|c| format!("{} ({})", short_api(&c.api), init_api_state(c, lang)))
                    .collect();
                let _ = writeln!(
                    s,
                    "{}{}{}",
                    label("合规初始化接口", "compliant-init APIs"),
                    compliant_start(x, lang)
                        .map(|c| format!("{c}; "))
                        .unwrap_or_default(),
                    apis.join(" · ")
                );
            }
            let _ = writeln!(
                s,
                "{}{}{} · {}: {}",
                label("编号", "id"),
                x.id,
                if name_moved(x, lang) {
                    format!(" ({})", x.name.en)
                } else {
                    String::new()
                },
                pair("隐私政策", "privacy policy", lang),
                x.privacy_policy.as_deref().unwrap_or("—")
            );
        }
        if listed.len() > shown.len() {
            let more = listed.len() - shown.len();
            let _ = writeln!(
                s,
                "  {}",
                match lang {
                    Lang::Both => format!(
                        "…… 另有 {more} 个（完整列表见 --format json 或 md）/ … {more} more (all in --format json or md)"
                    ),
                    Lang::Zh => format!("…… 另有 {more} 个（完整列表见 --format json 或 md）"),
                    Lang::En => format!("… {more} more (all in --format json or md)"),
                }
            );
        }
    }
    if !low.is_empty() {
        let mut names: Vec<String> = low
            .iter()
            .take(MAX_TERMINAL_LOW)
            .map(|x| format!("{} ({})", name(x, lang), x.id))
            .collect();
        if low.len() > MAX_TERMINAL_LOW {
            names.push(match lang {
                Lang::Both => format!(
                    "…… 另有 {} 个 / … {} more",
                    low.len() - MAX_TERMINAL_LOW,
                    low.len() - MAX_TERMINAL_LOW
                ),
                Lang::Zh => format!("…… 另有 {} 个", low.len() - MAX_TERMINAL_LOW),
                Lang::En => format!("… {} more", low.len() - MAX_TERMINAL_LOW),
            });
        }
        let _ = writeln!(
            s,
            "  {} {}: {}",
            low.len(),
            low_note(lang),
            names.join(" · ")
        );
    }
    if !leftover.is_empty() {
        let names: Vec<String> = leftover
            .iter()
            .map(|x| format!("{} ({})", name(x, lang), x.id))
            .collect();
        let _ = writeln!(
            s,
            "  {} {}: {}",
            leftover.len(),
            leftover_note(lang),
            names.join(" · ")
        );
    }
    if !shown.is_empty() {
        let _ = writeln!(s, "  {}", legend(lang, "*", marked));
    }
}

/// An anchor id for an SDK's details.
fn anchor(id: &str) -> String {
    let mut s = String::from("sdk-");
    s.extend(id.chars().map(|c| {
        if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            '-'
        }
    }));
    s
}

/// The Markdown section: intro, table, low-confidence line, legend, then one
/// details block per SDK with its evidence, init evidence and compliant-init APIs.
pub fn markdown(
    s: &mut String,
    a: &Assessment,
    kb: &Kb,
    lang: Lang,
    cell: fn(&str) -> String,
    code: fn(&str) -> String,
) {
    let _ = writeln!(
        s,
        "## {}\n",
        pair("第三方 SDK 清单", "Third-party SDKs", lang)
    );
    let guide = kb
        .source("TC260-SDK")
        .map(|d| d.title.clone())
        .unwrap_or_default();
    let _ = writeln!(
        s,
        "> {}\n",
        match lang {
            Lang::Both => format!(
                "App 嵌入的第三方 SDK 及其收集使用个人信息的目的、方式、范围应在隐私政策中逐一列出（191-2.1{}）。“厂商声明收集”取自 SDK 厂商的隐私政策或合规指南；“自身代码调用”是本安装包中该 SDK 自身代码调用敏感 API 涉及的类型。 / The SDKs an app embeds, and what they collect, must be listed one by one in its privacy policy (191-2.1). “Collects (vendor)” is what the vendor's policy or compliance guide says; “observed in its code” is what the SDK's own code in this package calls sensitive APIs for.",
                if guide.is_empty() {
                    String::new()
                } else {
                    format!("；《{guide}》")
                }
            ),
            Lang::Zh => format!(
                "App 嵌入的第三方 SDK 及其收集使用个人信息的目的、方式、范围应在隐私政策中逐一列出（191-2.1{}）。“厂商声明收集”取自 SDK 厂商的隐私政策或合规指南；“自身代码调用”是本安装包中该 SDK 自身代码调用敏感 API 涉及的类型。",
                if guide.is_empty() {
                    String::new()
                } else {
                    format!("；《{guide}》")
                }
            ),
            Lang::En => "The SDKs an app embeds, and the purposes, means and scope of the personal information they collect, must be listed one by one in its privacy policy (191-2.1; TC260 guide on apps' use of SDKs). “Collects (vendor)” is what the vendor's policy or compliance guide says; “observed in its code” is what the SDK's own code in this package calls sensitive APIs for.".to_string(),
        }
    );
    if a.sdks.is_empty() {
        let _ = writeln!(s, "{}\n", pair("未发现。", "None found.", lang));
        return;
    }
    let listed: Vec<&SdkUse> = a.sdks.iter().filter(|x| in_table(x)).collect();
    let low: Vec<&SdkUse> = a.sdks.iter().filter(|x| is_low(x)).collect();
    let leftover: Vec<&SdkUse> = a.sdks.iter().filter(|x| is_leftover(x)).collect();
    let mut marked = false;
    if !listed.is_empty() {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|---|---|---|",
            pair("名称", "Name", lang),
            pair("厂商", "Vendor", lang),
            pair("类别", "Category", lang),
            pair("置信度", "Confidence", lang),
            pair("版本", "Version", lang),
            pair("已初始化", "Initialized", lang),
            pair("厂商声明收集", "Collects (vendor)", lang),
            pair("自身代码调用", "Observed in its code", lang),
            pair("隐私政策", "Privacy policy", lang),
        );
        for x in &listed {
            let (obs, m) = observed(kb, x, lang, "\\*");
            marked |= m;
            let mut collects = cell(&pi_list(kb, &x.collects, lang));
            if let Some(st) = &x.catalogue_status {
                let _ = write!(collects, " ({})", status(st, lang));
            }
            let _ = writeln!(
                s,
                "| [{}](#{})<br>{} | {} | {} | {} | {} | {} | {collects} | {} | {} |",
                cell(&name(x, lang)),
                anchor(&x.id),
                code(&x.id),
                cell(&vendor(x, lang)),
                cell(&category(x, lang)),
                confidence(&x.confidence, lang),
                cell(&version(x)),
                initialized_cell(x, lang),
                cell(&obs),
                x.privacy_policy
                    .as_deref()
                    .map(|u| format!("<{u}>"))
                    .unwrap_or_else(|| "—".into()),
            );
        }
        let _ = writeln!(s);
    }
    for (note, list) in [(low_note(lang), &low), (leftover_note(lang), &leftover)] {
        if list.is_empty() {
            continue;
        }
        let names: Vec<String> = list
            .iter()
            .map(|x| {
                format!(
                    "[{}](#{}) ({})",
                    cell(&name(x, lang)),
                    anchor(&x.id),
                    code(&x.id)
                )
            })
            .collect();
        let _ = writeln!(s, "**{note}** ({}): {}\n", list.len(), names.join(" · "));
    }
    if !listed.is_empty() {
        let _ = writeln!(s, "{}\n", legend(lang, "\\*", marked));
    }

    if !a.sdks.is_empty() {
        let _ = writeln!(
            s,
            "{}\n",
            pair(
                "每个 SDK 的识别依据与初始化见附录 B。",
                "Each SDK's evidence and initialisation: Appendix B.",
                lang
            )
        );
    }
}

/// The Markdown appendix: one details block per SDK (the table's names link
/// here) with its evidence, init evidence and compliant-init APIs.
pub fn markdown_details(s: &mut String, a: &Assessment, lang: Lang, code: fn(&str) -> String) {
    let cell = crate::markdown::cell;
    for x in &a.sdks {
        let _ = writeln!(
            s,
            "<a id=\"{}\"></a>\n<details><summary><b>{}</b> ({}) — {} · {} {}</summary>\n",
            anchor(&x.id),
            cell(&name(x, lang)),
            x.id,
            confidence_cell(x, lang),
            pair("已初始化", "initialized", lang),
            initialized_cell(x, lang),
        );
        let mut meta = vec![
            format!("{}: {}", pair("类", "classes", lang), x.classes),
            format!("{}: {:.2}", pair("得分", "score", lang), x.score),
        ];
        if let Some(st) = &x.catalogue_status {
            meta.push(status(st, lang));
        }
        if let Some(w) = &x.website {
            meta.push(format!("{}: <{w}>", pair("网站", "website", lang)));
        }
        let _ = writeln!(s, "- {}", meta.join(" · "));
        evidence_list(
            s,
            &pair("识别依据", "Evidence", lang),
            &x.evidence,
            lang,
            code,
        );
        evidence_list(
            s,
            &pair("初始化依据", "Init evidence", lang),
            &x.init_evidence,
            lang,
            code,
        );
        if !x.compliant_init.is_empty() {
            let _ = writeln!(
                s,
                "- **{}**{}",
                pair("合规初始化接口", "Compliant-initialisation APIs", lang),
                compliant_start(x, lang)
                    .map(|c| format!(" — {c}"))
                    .unwrap_or_default()
            );
            for c in &x.compliant_init {
                let d = fmt::lines(&c.description, lang).join(" ");
                let _ = writeln!(
                    s,
                    "  - {} — {}{}",
                    code(&c.api),
                    init_api_state(c, lang),
                    if d.is_empty() {
                        String::new()
                    } else {
                        format!(" — {d}")
                    }
                );
            }
        }
        let _ = writeln!(s, "\n</details>\n");
    }
}

fn evidence_list(
    s: &mut String,
    label: &str,
    ev: &[Evidence],
    lang: Lang,
    code: fn(&str) -> String,
) {
    if ev.is_empty() {
        return;
    }
    let _ = writeln!(s, "- **{label}** ({})", ev.len());
    for e in ev.iter().take(MAX_MD_EVIDENCE) {
        let _ = writeln!(s, "  - {}", fmt::evidence(e, lang, code));
    }
    if ev.len() > MAX_MD_EVIDENCE {
        let more = ev.len() - MAX_MD_EVIDENCE;
        let _ = writeln!(
            s,
            "  - {}",
            pair(
                &format!("……另有 {more} 条，见 JSON 报告"),
                &format!("… {more} more in the JSON report"),
                lang
            )
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::{kb, sample, with_sdks};
    use crate::{markdown, terminal};

    /// The lines of the terminal's SDK section (title to the next blank line).
    fn section(out: &str, title: &str) -> Vec<String> {
        out.lines()
            .skip_while(|l| !l.contains(title))
            .take_while(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    }

    fn has_cjk(s: &str) -> bool {
        s.chars()
            .any(|c| fmt::width(c.encode_utf8(&mut [0; 4])) == 2)
    }

    /// Display column where `needle` starts in `line`.
    fn col(line: &str, needle: &str) -> usize {
        let at = line
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in {line:?}"));
        fmt::width(&line[..at])
    }

    #[test]
    fn terminal_table_rows_details_and_low_line() {
        let out = crate::testdata::terminal_long(&with_sdks(), Lang::Both);
        let sec = section(&out, "第三方 SDK 清单 / Third-party SDKs");
        assert!(!sec.is_empty(), "{out}");
        // after the PI types, before the 31 items
        let at = out.find("第三方 SDK 清单").expect("title");
        assert!(out.find("个人信息类型（按主体）").expect("pi") < at);
        assert!(at < out.find("《App违法违规").expect("items"));
        assert!(
            out.lines().any(|l| l.starts_with("第三方 SDK SDKs ")
                && l.trim_end()
                    .ends_with(" 3 (高 high 1 · 中 medium 1 · 低 low 1)")),
            "{out}"
        );

        let header = sec
            .iter()
            .find(|l| l.contains("名称 name"))
            .expect("header");
        let umeng = sec
            .iter()
            .find(|l| l.contains("友盟统计 Umeng Analytics"))
            .expect("umeng row");
        let jpush = sec
            .iter()
            .find(|l| l.contains("极光推送 JPush"))
            .expect("jpush row");
        assert!(
            umeng.contains("友盟同欣（北京）科技有限公司") && umeng.contains("统计分析 Analytics")
        );
        assert!(
            umeng.contains("高 high") && umeng.contains("9.4.7") && umeng.ends_with("是 yes"),
            "{umeng}"
        );
        assert!(
            jpush.contains("中 medium") && jpush.contains(" — ") && jpush.ends_with("否 no"),
            "{jpush}"
        );
        // long vendor clipped to 28 columns
        assert!(jpush.contains("深圳市和讯华谷信息技术有限…"), "{jpush}");
        // columns aligned by display width
        for (h, u, j) in [
            ("厂商 vendor", "友盟同欣", "深圳市"),
            ("类别 category", "统计分析", "推送 Push"),
            ("置信度 confidence", "高 high", "中 medium"),
            ("版本 version", "9.4.7", "—"),
            ("已初始化 initialized", "是 yes", "否 no"),
        ] {
            let c = col(header, h);
            assert_eq!(col(umeng, u), c, "{h}\n{header}\n{umeng}");
            assert_eq!(col(jpush, j), c, "{h}\n{header}\n{jpush}");
        }
        // detail lines
        let text = sec.join("\n");
        assert!(text.contains("厂商声明收集 collects (vendor): 设备标识符 Device identifiers · 位置信息 Location\n"), "{text}");
        assert!(text.contains("自身代码调用 observed in its code: 设备标识符 Device identifiers (1 处调用 / call site)"));
        assert!(
            text.contains(
                "设备标识符 Device identifiers · 位置信息 Location* (3 处调用 / call sites)"
            ),
            "{text}"
        );
        assert!(text.contains("(目录条目未核实 / catalogue entry unverified)"));
        assert!(
            text.contains("合规初始化接口 compliant-init APIs: 合规初始化：是 compliant start-up: yes; UMConfigure.preInit (预初始化（同意前可调用） pre-init (allowed before consent) · 启动时调用 called at start-up)"),
            "{text}"
        );
        assert!(
            text.contains("JPushInterface.setAuth (同意结果接口 consent signal · 未调用 not used)"),
            "{text}"
        );
        assert!(text.contains(
            "编号 id: umeng.analytics · 隐私政策 privacy policy: https://www.umeng.com/page/policy"
        ));
        assert!(text.contains("* 厂商未声明收集该类信息"));
        // the low-confidence SDK: not a row, in the compact line
        assert!(
            !sec.iter()
                .any(|l| l.contains("穿山甲") && l.contains("广告")),
            "{text}"
        );
        let low = sec
            .iter()
            .find(|l| l.contains("低置信度"))
            .expect("low line");
        assert!(
            low.contains("1 低置信度") && low.contains("穿山甲 Pangle (bytedance.pangle)"),
            "{low}"
        );
    }

    #[test]
    fn terminal_english_has_no_cjk_in_the_section() {
        let out = crate::testdata::terminal_long(&with_sdks(), Lang::En);
        let sec = section(&out, "Third-party SDKs");
        assert!(sec.len() > 5, "{out}");
        for l in &sec {
            assert!(!has_cjk(l), "CJK in English: {l}");
        }
        let text = sec.join("\n");
        assert!(text.contains("Umeng Analytics") && text.contains("Aurora Mobile (Jiguang)"));
        assert!(text.contains("collects (vendor): Device identifiers · Location"));
        assert!(text.contains("Location* (3 call sites)"), "{text}");
        assert!(text.contains("1 low confidence (weak clues only, such as a host string; not in the table): Pangle (bytedance.pangle)"));
        let header = sec.iter().find(|l| l.contains("name")).expect("header");
        let row = sec.iter().find(|l| l.contains("JPush")).expect("row");
        assert_eq!(col(header, "initialized"), col(row, "no"));
    }

    #[test]
    fn terminal_without_sdks_says_none() {
        let out = terminal(&sample(), &kb(), Lang::Both);
        let sec = section(&out, "第三方 SDK 清单");
        assert_eq!(sec[1].trim(), "未发现 none found", "{sec:?}");
    }

    /// Declared in the manifest, code absent: a list of its own below the
    /// table (terminal, Markdown, HTML), never a table row; the first-party
    /// prefixes on one line.
    #[test]
    fn leftover_configuration_is_listed_apart() {
        let mut a = with_sdks();
        let mut left = a.sdks[0].clone();
        left.id = "getui.push".into();
        left.name = Text {
            zh: "个推".into(),
            en: "Getui Push".into(),
        };
        left.confidence = "low".into();
        left.presence = "manifest_only".into();
        a.sdks.push(left);
        let out = terminal(&a, &kb(), Lang::Both);
        let sec = section(&out, "第三方 SDK 清单 / Third-party SDKs");
        assert!(
            sec.iter()
                .any(|l| l.contains("清单中声明但代码不存在（残留配置")
                    && l.contains("个推 Getui Push (getui.push)")),
            "{sec:?}"
        );
        assert!(
            !sec.iter()
                .any(|l| l.contains("个推") && l.contains("低 low")),
            "not a table row: {sec:?}"
        );
        assert!(out.contains("残留配置 leftover 1"), "{out}");
        assert!(out.contains("com.example.*"), "first-party line: {out}");
        assert!(!low_line_has(&sec, "getui.push"), "{sec:?}");
        let md = markdown(&a, &kb(), Lang::En);
        assert!(
            md.contains("**declared in the manifest, code absent: leftover configuration (not in the table)** (1)"),
            "{md}"
        );
        assert!(!md.contains("| [Getui Push]"), "not a Markdown table row");
        let html = crate::html(&a, &kb(), Lang::En);
        assert!(
            html.contains("class=\"muted leftover\""),
            "HTML leftover list"
        );
    }

    fn low_line_has(sec: &[String], id: &str) -> bool {
        sec.iter().any(|l| l.contains("低置信度") && l.contains(id))
    }

    #[test]
    fn terminal_caps_the_table() {
        let mut a = with_sdks();
        let row = a.sdks[1].clone();
        a.sdks = (0..MAX_TERMINAL_ROWS + 5)
            .map(|i| SdkUse {
                id: format!("x.sdk{i}"),
                ..row.clone()
            })
            .collect();
        let out = terminal(&a, &kb(), Lang::En);
        assert!(
            out.contains("… 5 more (all in --format json or md)"),
            "{out}"
        );
    }

    #[test]
    fn markdown_table_evidence_and_compliant_init() {
        let md = markdown(&with_sdks(), &kb(), Lang::Both);
        let at = md
            .find("## 第三方 SDK 清单 Third-party SDKs")
            .expect("section");
        assert!(at < md.find("## 31 项认定结果").expect("items"));
        assert!(
            md.contains("| 第三方 SDK Third-party SDKs | 3 (高 high 1 · 中 medium 1 · 低 low 1) |")
        );
        let row = md
            .lines()
            .find(|l| l.starts_with("| [友盟统计 Umeng Analytics](#sdk-umeng-analytics)"))
            .expect("row");
        assert!(
            row.contains("<br>`umeng.analytics` | 友盟同欣（北京）科技有限公司 | 统计分析 Analytics | 高 high | 9.4.7 | 是 yes | 设备标识符 Device identifiers · 位置信息 Location | 设备标识符 Device identifiers (1 处调用 / call site) | <https://www.umeng.com/page/policy> |"),
            "{row}"
        );
        let row = md
            .lines()
            .find(|l| l.contains("(#sdk-jiguang-jpush)<br>"))
            .expect("jpush");
        assert!(
            row.contains("| — | 否 no |") && row.contains("位置信息 Location\\* (3"),
            "{row}"
        );
        assert!(
            row.contains("(目录条目未核实 / catalogue entry unverified)"),
            "{row}"
        );
        assert!(
            !md.lines().any(|l| l.starts_with("| [穿山甲")),
            "low not in the table"
        );
        assert!(
            md.contains("(1): [穿山甲 Pangle](#sdk-bytedance-pangle) (`bytedance.pangle`)"),
            "{md}"
        );
        // details
        assert!(md.contains("<a id=\"sdk-umeng-analytics\"></a>\n<details><summary><b>友盟统计 Umeng Analytics</b> (umeng.analytics) — 高 high · 已初始化 initialized 是 yes</summary>"));
        assert!(md.contains("  - 代码包 package  `com.umeng.analytics` · 210 个类 / classes (`com.umeng.analytics.MobclickAgent`)"), "{md}");
        assert!(md.contains("  - 清单 manifest  `<meta-data UMENG_APPKEY>`"));
        assert!(md.contains("- **初始化依据 Init evidence** (1)\n  - 调用 call  `Lcom/umeng/commonsdk/UMConfigure;->init` ← `Lcom/example/app/App;->onCreate()V @0x20 (classes.dex)` · app"), "{md}");
        assert!(md.contains("  - `Lcom/umeng/commonsdk/UMConfigure;->preInit` — 预初始化（同意前可调用） pre-init (allowed before consent) · 启动时调用 called at start-up — 同意前预初始化 Pre-initialise before consent"), "{md}");
        assert!(md.contains("  - `Lcn/jpush/android/api/JPushInterface;->setAuth` — 同意结果接口 consent signal · 未调用 not used — 用户同意后再授权 Authorise after consent"), "{md}");
        assert!(md.contains("合规初始化接口 Compliant-initialisation APIs** — 合规初始化：否 compliant start-up: no"), "{md}");
        assert!(md.contains("  - 字符串 string  `https://api-access.pangle.io`"));
        assert_eq!(md.matches("<details>").count(), 3);
        assert_eq!(md.matches("</details>").count(), 3);
    }

    #[test]
    fn markdown_english_and_empty() {
        let md = markdown(&with_sdks(), &kb(), Lang::En);
        let start = md.find("## Third-party SDKs").expect("section");
        let end = start + md[start..].find("\n## ").expect("next section");
        let sec = &md[start..end];
        assert!(!has_cjk(sec), "{sec}");
        assert!(sec.contains("| [Umeng Analytics](#sdk-umeng-analytics)<br>`umeng.analytics` | Umeng+ | Analytics | high | 9.4.7 | yes |"), "{sec}");
        assert!(sec.contains("Appendix B"), "{sec}");
        let start = md.find("## Appendix B.").expect("appendix B");
        let end = md[start..].find("\n## ").map_or(md.len(), |e| start + e);
        let app_b = &md[start..end];
        assert!(!has_cjk(app_b), "{app_b}");
        assert!(app_b.contains("— pre-init (allowed before consent) · called at start-up — Pre-initialise before consent"), "{app_b}");
        let md = markdown(&sample(), &kb(), Lang::Both);
        assert!(md.contains("## 第三方 SDK 清单 Third-party SDKs\n\n> "));
        assert!(
            md.contains("\n\n未发现。 None found.\n\n## 隐私政策 Privacy policy"),
            "{md}"
        );
    }

    #[test]
    fn long_names_move_the_english_to_the_id_line() {
        let mut a = with_sdks();
        a.sdks[0].name = Text {
            zh: "QQ 互联（腾讯开放平台 Open SDK）".into(),
            en: "QQ Connect (Tencent Open SDK)".into(),
        };
        let out = crate::testdata::terminal_long(&a, Lang::Both);
        let sec = section(&out, "第三方 SDK 清单");
        let row = sec.iter().find(|l| l.contains("QQ 互联")).expect("row");
        assert!(!row.contains("QQ Connect"), "{row}");
        assert!(
            sec.iter()
                .any(|l| l.contains("编号 id: umeng.analytics (QQ Connect (Tencent Open SDK)) · ")),
            "{sec:?}"
        );
        let out = crate::testdata::terminal_long(&a, Lang::En);
        assert!(out.contains("  QQ Connect (Tencent Open SDK)  "), "{out}");
    }

    #[test]
    fn helpers() {
        assert_eq!(clip("深圳市和讯华谷", 7), "深圳市…");
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(
            short_api("Lcn/jpush/android/api/JPushInterface;->setAuth"),
            "JPushInterface.setAuth"
        );
        assert_eq!(short_api("Lcom/x/Y;->m(I)V"), "Y.m");
        assert_eq!(anchor("jiguang.jpush"), "sdk-jiguang-jpush");
        let mut s = with_sdks().sdks[0].clone();
        s.name = Text {
            zh: "Bugly".into(),
            en: "Bugly".into(),
        };
        assert_eq!(name(&s, Lang::Both), "Bugly");
        s.name.en.clear();
        assert_eq!(name(&s, Lang::En), "umeng.analytics");
    }
}

#[cfg(test)]
mod startup_cell_tests {
    use super::*;

    #[test]
    fn start_up_initialisation_is_shown_beside_initialized() {
        let mut x = crate::testdata::with_sdks().sdks[0].clone();
        x.initialized = true;
        x.startup = None;
        assert_eq!(initialized_cell(&x, Lang::En), "yes");
        x.startup = Some("ungated".into());
        assert_eq!(initialized_cell(&x, Lang::En), "yes · at start-up");
        x.startup = Some("gated".into());
        assert_eq!(
            initialized_cell(&x, Lang::Both),
            "是 yes · 启动时（同意检查后） at start-up (after consent check)"
        );
    }
}
