//! The page's other sections: PI types involved, the third-party SDK list
//! (ready to paste into a privacy policy) with each SDK's evidence, the
//! privacy policy, the package's anomalies and the legal basis.

use super::esc::{anchor, bi, esc, link, paragraphs, text};
use super::findings::evidence_list;
use crate::Lang;
use crate::fmt;
use crate::sdk;
use crate::summary::Summary;
use pipa_engine::{Assessment, SdkUse};
use pipa_kb::Kb;
use pipa_policy::{ElementVerdict, PolicyReport};
use std::collections::BTreeSet;
use std::fmt::Write;

/// Table of PI types: sensitive or not, call sites by subject, permissions.
pub fn pi_table(s: &mut String, a: &Assessment, kb: &Kb, sum: &Summary, lang: Lang) {
    let mut types: BTreeSet<&String> = sum.pi_by_permission.keys().collect();
    for t in sum.pi_by_subject.values() {
        types.extend(t.keys());
    }
    if types.is_empty() {
        let _ = write!(
            s,
            "<p class=\"muted\">{}</p>",
            bi("未发现。", "None found.", lang)
        );
        return;
    }
    let _ = write!(
        s,
        "<div class=\"scroll\"><table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th>\
         </tr></thead><tbody>",
        bi("个人信息类型", "PI type", lang),
        bi("敏感", "Sensitive", lang),
        bi("代码调用（按主体）", "Call sites by subject", lang),
        bi("权限", "Permissions", lang)
    );
    for t in types {
        let sensitive = match kb.pi_type(t).map(|p| p.sensitive) {
            Some(true) => format!("<b class=\"sens\">{}</b>", bi("是", "yes", lang)),
            Some(false) => bi("否", "no", lang),
            None => "—".into(),
        };
        let by_subject: Vec<String> = sum
            .pi_by_subject
            .iter()
            .filter_map(|(subj, m)| {
                m.get(t)
                    .map(|n| format!("{} × {n}", super::chart::subject_name(a, subj, lang)))
            })
            .collect();
        let perms: Vec<String> = sum
            .pi_by_permission
            .get(t)
            .map(|v| {
                v.iter()
                    .map(|p| format!("<code>{}</code>", esc(p)))
                    .collect()
            })
            .unwrap_or_default();
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{sensitive}</td><td>{}</td><td>{}</td></tr>",
            esc(&fmt::pi_name(kb, t, lang)),
            by_subject.join("<br>"),
            perms.join(" ")
        );
    }
    s.push_str("</tbody></table></div>");
}

/// The SDK list to publish, then each SDK's evidence.
pub fn sdks(s: &mut String, a: &Assessment, kb: &Kb, lang: Lang) {
    let _ = write!(
        s,
        "<p class=\"lead\">{}</p>",
        bi(
            "隐私政策应逐一列出 App 嵌入的第三方 SDK 及其收集个人信息的目的、方式和范围（191-2.1）。下表可直接粘贴到隐私政策中；“收集的个人信息”取自 SDK 厂商的声明，请与实际集成的功能核对。",
            "A privacy policy must list each embedded SDK with the purpose, means and scope of the PI it collects (191-2.1). The table below can be pasted into the policy; “PI collected” is what the vendor declares: check it against the features you integrate.",
            lang
        )
    );
    if a.sdks.is_empty() {
        let _ = write!(
            s,
            "<p class=\"muted\">{}</p>",
            bi("未发现。", "None found.", lang)
        );
        return;
    }
    // The table is the policy's SDK list: what a policy must name. Code
    // found that needs no entry (libraries, nothing collected) is one line.
    let (listed, unlisted): (Vec<&SdkUse>, Vec<&SdkUse>) = a
        .sdks
        .iter()
        .filter(|x| sdk::in_table(x))
        .partition(|x| x.must_be_named());
    if !listed.is_empty() {
        let _ = write!(
            s,
            "<div class=\"scroll\"><table class=\"sdk-list\"><thead><tr><th>{}</th><th>{}</th>\
             <th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            bi("SDK 名称", "SDK", lang),
            bi("提供方", "Vendor", lang),
            bi("使用目的（类别）", "Purpose (category)", lang),
            bi("收集的个人信息", "PI collected", lang),
            bi("隐私政策 / 官网", "Privacy policy / website", lang)
        );
        for x in &listed {
            let mut links: Vec<String> = Vec::new();
            if let Some(p) = &x.privacy_policy {
                links.push(link(p));
            }
            if let Some(w) = x
                .website
                .as_ref()
                .filter(|w| Some(*w) != x.privacy_policy.as_ref())
            {
                links.push(link(w));
            }
            let _ = write!(
                s,
                "<tr><td><a href=\"#{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                anchor("sdk-", &x.id),
                esc(&sdk::name(x, lang)),
                esc(&sdk::vendor(x, lang)),
                esc(&sdk::category(x, lang)),
                esc(&sdk::pi_list(kb, &x.collects, lang)),
                if links.is_empty() {
                    "—".into()
                } else {
                    links.join("<br>")
                }
            );
        }
        s.push_str("</tbody></table></div>");
    }
    let low: Vec<&SdkUse> = a.sdks.iter().filter(|x| sdk::is_low(x)).collect();
    let leftover: Vec<&SdkUse> = a.sdks.iter().filter(|x| sdk::is_leftover(x)).collect();
    let lists = [
        (
            "muted",
            bi(
                "无需列入隐私政策（通用库，或不收集个人信息），未列入上表",
                "Need no entry in the policy (libraries, or no PI collected): not in the table",
                lang,
            ),
            unlisted,
        ),
        (
            "muted",
            bi(
                "仅有弱线索、未列入上表的 SDK",
                "SDKs with weak clues only, not in the table",
                lang,
            ),
            low,
        ),
        ("muted leftover", esc(&sdk::leftover_note(lang)), leftover),
    ];
    for (class, note, list) in lists {
        if list.is_empty() {
            continue;
        }
        let names: Vec<String> = list
            .iter()
            .map(|x| {
                format!(
                    "<a href=\"#{}\">{}</a>",
                    anchor("sdk-", &x.id),
                    esc(&sdk::name(x, lang))
                )
            })
            .collect();
        let _ = write!(
            s,
            "<p class=\"{class}\">{note} ({}): {}</p>",
            list.len(),
            names.join(" · ")
        );
    }
    let _ = write!(
        s,
        "<h3>{}</h3>",
        bi("识别依据与初始化", "Evidence and initialisation", lang)
    );
    for x in &a.sdks {
        sdk_details(s, kb, lang, x);
    }
}

fn sdk_details(s: &mut String, kb: &Kb, lang: Lang, x: &SdkUse) {
    let (observed, _) = sdk::observed(kb, x, lang, "*");
    let _ = write!(
        s,
        "<details class=\"sdk\" id=\"{}\"><summary><b>{}</b> <code>{}</code> · {} {} · {} {}</summary>\
         <dl class=\"meta\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd>\
         <dt>{}</dt><dd>{}</dd></dl>",
        anchor("sdk-", &x.id),
        esc(&sdk::name(x, lang)),
        esc(&x.id),
        bi("置信度", "confidence", lang),
        esc(&sdk::confidence_cell(x, lang)),
        bi("已初始化", "initialized", lang),
        esc(&sdk::initialized_cell(x, lang)),
        bi("版本", "Version", lang),
        esc(&sdk::version(x)),
        bi("类", "Classes", lang),
        x.classes,
        bi("厂商声明收集", "Collects (vendor)", lang),
        esc(&sdk::pi_list(kb, &x.collects, lang)),
        bi("自身代码调用", "Observed in its code", lang),
        esc(&observed),
    );
    for (zh, en, ev) in [
        ("识别依据", "Evidence", &x.evidence),
        ("初始化依据", "Init evidence", &x.init_evidence),
    ] {
        if !ev.is_empty() {
            let _ = write!(s, "<h4>{} ({})</h4>", bi(zh, en, lang), ev.len());
            evidence_list(s, ev, lang);
        }
    }
    if !x.compliant_init.is_empty() {
        let _ = write!(
            s,
            "<h4>{}</h4>",
            bi("合规初始化接口", "Compliant-initialisation APIs", lang)
        );
        if let Some(c) = sdk::compliant_start(x, lang) {
            let warn = x.compliant_init_used == Some(false);
            let _ = write!(
                s,
                "<p>{}{}{}</p>",
                if warn { "<b class=\"warn\">" } else { "" },
                esc(&c),
                if warn { "</b>" } else { "" }
            );
        }
        s.push_str("<ul class=\"ev\">");
        for c in &x.compliant_init {
            let state = esc(&sdk::init_api_state(c, lang));
            let bad = c.at_startup.as_deref() == Some("ungated") && !c.role.safe_before_consent();
            let _ = write!(
                s,
                "<li><code>{}</code> — {} {}</li>",
                esc(&c.api),
                if bad {
                    format!("<b class=\"warn\">{state}</b>")
                } else {
                    state
                },
                text(&c.description, lang)
            );
        }
        s.push_str("</ul>");
    }
    s.push_str("</details>");
}

/// The policy read (or how to give one), its elements and the gaps.
pub fn policy(s: &mut String, a: &Assessment, lang: Lang) {
    s.push_str("<ul class=\"plain\">");
    for l in crate::policy::scan_policy_lines(a, lang) {
        let _ = write!(s, "<li>{}</li>", esc(&l));
    }
    s.push_str("</ul>");
    if let Some(r) = &a.policy {
        elements(s, r, lang);
    }
}

fn element_class(v: ElementVerdict) -> String {
    format!("e-{}", v.as_str())
}

fn elements(s: &mut String, r: &PolicyReport, lang: Lang) {
    let _ = write!(
        s,
        "<h3>{}</h3><p>{}</p><div class=\"scroll\"><table class=\"elements\"><thead><tr>\
         <th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        bi("隐私政策要素", "Policy elements", lang),
        esc(&crate::policy::element_counts(r, lang)),
        bi("编号", "Id", lang),
        bi("要素与信号", "Element and signals", lang),
        bi("结论", "Verdict", lang),
        bi("依据", "Basis", lang)
    );
    for e in &r.elements {
        let _ = write!(
            s,
            "<tr><td class=\"id\">{}</td><td><details><summary>{}</summary><ul class=\"signals\">",
            esc(&e.id),
            text(&e.name, lang)
        );
        for sig in &e.signals {
            let (mark, class) = match (sig.found, sig.required) {
                (true, _) => ("✓", "found"),
                (false, true) => ("✗", "missing"),
                (false, false) => ("·", "optional"),
            };
            let _ = write!(
                s,
                "<li class=\"{class}\"><span class=\"mark\">{mark}</span> {}",
                text(&sig.name, lang)
            );
            for sp in &sig.evidence {
                let _ = write!(
                    s,
                    "<div><q>{}</q> <span class=\"at\">[{}..{}]</span></div>",
                    esc(&sp.text),
                    sp.start,
                    sp.end
                );
            }
            s.push_str("</li>");
        }
        s.push_str("</ul>");
        if let Some(n) = &e.note {
            let _ = write!(s, "<div class=\"note\">{}</div>", paragraphs(n, lang));
        }
        let basis: Vec<String> = e.basis.iter().map(|b| esc(b)).collect();
        let _ = write!(
            s,
            "</details></td><td><span class=\"badge {}\">{}</span></td><td>{}</td></tr>",
            element_class(e.verdict),
            esc(&crate::policy::element_verdict(e.verdict, lang)),
            basis.join(", ")
        );
    }
    let _ = write!(
        s,
        "</tbody></table></div><details class=\"decl\"><summary>{}</summary><pre>{}</pre></details>",
        bi("声明与清单", "Declarations and lists", lang),
        esc(&crate::policy::declarations_text(r, lang))
    );
}

/// The package's anomalies.
pub fn anomalies(s: &mut String, a: &Assessment, lang: Lang) {
    if a.anomalies.is_empty() {
        let _ = write!(s, "<p class=\"muted\">{}</p>", bi("无。", "None.", lang));
        return;
    }
    let _ = write!(
        s,
        "<div class=\"scroll\"><table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th>\
         </tr></thead><tbody>",
        bi("代码", "Code", lang),
        bi("级别", "Severity", lang),
        bi("位置", "Location", lang),
        bi("说明", "Detail", lang)
    );
    for an in &a.anomalies {
        let sev = serde_json::to_value(an.severity)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let _ = write!(
            s,
            "<tr><td><code>{}</code></td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
            esc(an.code),
            esc(&sev),
            esc(&an.location),
            esc(&an.message)
        );
    }
    s.push_str("</tbody></table></div>");
}

/// The documents the items and findings rest on, then the texts of rules
/// findings cite beyond the 31 items (each with an anchor `rule-<id>`).
pub fn legal_basis(s: &mut String, a: &Assessment, kb: &Kb, lang: Lang) {
    let mut ids: Vec<&str> = a.items.iter().map(|i| i.id.as_str()).collect();
    let mut extra: Vec<&str> = Vec::new();
    for r in a.findings.iter().flat_map(|f| &f.rule_ids) {
        if !ids.contains(&r.as_str()) {
            ids.push(r);
            extra.push(r);
        }
    }
    let mut docs: Vec<&str> = Vec::new();
    for r in ids.iter().filter_map(|id| kb.rule(id)) {
        if !docs.contains(&r.source.as_str()) {
            docs.push(&r.source);
        }
    }
    s.push_str("<ul class=\"plain sources\">");
    for id in docs {
        let Some(d) = kb.source(id) else {
            let _ = write!(s, "<li>{}</li>", esc(id));
            continue;
        };
        let (open, close, comma) = match lang {
            Lang::Both | Lang::Zh => ("《", "》", "，"),
            Lang::En => ("", "", ", "),
        };
        let _ = write!(s, "<li><b>{open}{}{close}</b>", esc(&d.title));
        let meta = d.issuer_and_date();
        if !meta.is_empty() {
            let _ = write!(s, " {}", esc(&meta.join(comma)));
        }
        if !d.url.is_empty() {
            let _ = write!(s, " {}", link(&d.url));
        }
        s.push_str("</li>");
    }
    s.push_str("</ul>");
    for id in extra {
        let _ = write!(s, "<div class=\"rule\" id=\"{}\">", anchor("rule-", id));
        match kb.rule(id) {
            Some(r) => {
                let _ = write!(
                    s,
                    "<h4>{} {}</h4><p class=\"muted\">{}</p>",
                    esc(id),
                    text(&r.title, lang),
                    esc(&fmt::trust(r.verbatim, r.status, lang))
                );
                if lang == Lang::Both {
                    let _ = write!(s, "<blockquote>{}</blockquote>", esc(r.text_zh.trim()));
                }
                let _ = write!(
                    s,
                    "<blockquote class=\"en\">{}</blockquote>",
                    esc(r.gloss_en.trim())
                );
            }
            None => {
                let _ = write!(s, "<h4>{}</h4>", esc(id));
            }
        }
        s.push_str("</div>");
    }
    let _ = write!(
        s,
        "<p class=\"muted small\">{}</p>",
        bi(
            "英文为 pipa 的释义，并非官方译文，以中文原文为准。`pipa explain 编号` 显示每条的来源与核实状态。",
            "English glosses are pipa's, not official translations; the Chinese text is authoritative. `pipa explain ID` shows each text's source and verification status.",
            lang
        )
    );
}
