//! The Markdown report, for a compliance person: summary, PI involved, the
//! third-party SDK list with its evidence, the 31 items with their legal
//! text, findings with evidence and remediation, items to check by hand,
//! anomalies, and the legal basis.

use crate::Lang;
use crate::fmt::{self, pair, short};
use crate::statements;
use crate::summary::Summary;
use crate::terminal::finding_order;
use pipa_engine::{Assessment, Verdict};
use pipa_kb::Kb;
use std::collections::BTreeSet;
use std::fmt::Write;

/// Evidence items listed per finding (the JSON has them all).
const MAX_EVIDENCE: usize = 200;

/// A table cell: pipes escaped, line breaks as `<br>`.
pub(crate) fn cell(s: &str) -> String {
    s.replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace('\n', "<br>")
}

/// Inline code that survives backticks inside.
fn code(s: &str) -> String {
    if s.contains('`') {
        format!("`` {s} ``")
    } else {
        format!("`{s}`")
    }
}

/// A heading in the report's language(s).
fn h(zh: &str, en: &str, lang: Lang) -> String {
    pair(zh, en, lang)
}

/// The Markdown report.
pub fn markdown(a: &Assessment, kb: &Kb, lang: Lang) -> String {
    let mut s = String::new();
    let sum = Summary::of(a);
    let app = &a.app;
    let app_name = app.name.as_deref().unwrap_or(&app.id);

    let _ = writeln!(
        s,
        "# {}：{app_name}\n",
        h(
            "App 个人信息保护合规评估报告",
            "Personal-information compliance assessment",
            lang
        )
    );
    // ---- an incomplete assessment says so before anything else ----
    if let Some(lines) = crate::coverage::banner(a, lang) {
        let _ = writeln!(s, "> [!WARNING]");
        for (i, l) in lines.iter().enumerate() {
            let l = cell(l);
            if i == 0 {
                let _ = writeln!(s, "> **{l}**  ");
            } else {
                let _ = writeln!(s, "> {l}  ");
            }
        }
        let _ = writeln!(s);
    }
    // ---- what to fix first ----
    crate::priorities::markdown(&mut s, a, lang);

    let _ = writeln!(
        s,
        "> {}\n",
        match lang {
            Lang::Both =>
                "依据《App违法违规收集使用个人信息行为认定方法》（国信办秘字〔2019〕191号）逐项评估。本报告基于安装包的静态分析：“违规”仅用于安装包本身即可证明的情形；“风险”须经人工确认；“需人工确认”说明了检查什么、如何检查。 / Assessed item by item against the 191 Methods. Static analysis of the package: “violation” only where the package itself proves it; “risk” needs a person to confirm; “manual” says what to check and how.",
            Lang::Zh =>
                "依据《App违法违规收集使用个人信息行为认定方法》（国信办秘字〔2019〕191号）逐项评估。本报告基于安装包的静态分析：“违规”仅用于安装包本身即可证明的情形；“风险”须经人工确认；“需人工确认”说明了检查什么、如何检查。",
            Lang::En =>
                "Assessed item by item against the Methods for Identifying Illegal Collection and Use of Personal Information by Apps (191). Static analysis of the package: “violation” only where the package itself proves it; “risk” needs a person to confirm; “manual” says what to check and how.",
        }
    );

    // ---- summary ----
    let _ = writeln!(s, "## {}\n", h("概要", "Summary", lang));
    let _ = writeln!(s, "| | |\n|---|---|");
    let rows = [
        (
            pair("应用", "App", lang),
            format!("{} ({})", cell(app_name), code(&app.id)),
        ),
        (
            pair("版本", "Version", lang),
            format!(
                "{} ({})",
                cell(app.version_name.as_deref().unwrap_or("—")),
                app.version_code
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| "—".into())
            ),
        ),
        (
            pair("平台", "Platform", lang),
            format!(
                "{} · minSdk {} · targetSdk {}",
                app.platform, app.min_sdk, app.target_sdk
            ),
        ),
        (pair("文件", "File", lang), code(&a.input.path)),
        ("SHA-256".to_string(), code(&a.input.sha256)),
        (
            pair("第三方 SDK", "Third-party SDKs", lang),
            crate::sdk::counts(a, lang),
        ),
        (
            pair("自有代码", "First-party code", lang),
            crate::sdk::first_party_with(a, lang, code).unwrap_or_else(|| "—".into()),
        ),
        (
            pair("代码覆盖", "Coverage", lang),
            crate::coverage::figures(&a.coverage, lang),
        ),
        (
            pair("工具", "Tool", lang),
            format!("{} {} ({})", a.tool.name, a.tool.version, a.schema),
        ),
    ];
    for (k, v) in rows {
        let _ = writeln!(s, "| {k} | {v} |");
    }
    for (k, v) in crate::provenance::rows(a, lang) {
        let _ = writeln!(s, "| {k} | {} |", cell(&v));
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "| {} | {} |\n|---|---:|",
        h("结论", "Verdict", lang),
        h("项数", "Items", lang)
    );
    for (v, n) in &sum.items {
        let _ = writeln!(s, "| {} | {n} |", fmt::verdict(*v, lang));
    }
    if sum.declared > 0 {
        let _ = writeln!(
            s,
            "| {} | {} |",
            cell(&statements::declared_count(&sum, lang).unwrap_or_default()),
            sum.declared
        );
    }
    let _ = writeln!(s);
    let sev: Vec<String> = sum
        .findings
        .iter()
        .map(|&(sv, n)| format!("{} {n}", fmt::severity(sv, lang)))
        .collect();
    let _ = writeln!(
        s,
        "{}: {}{}\n",
        h("发现", "Findings", lang),
        a.findings.len(),
        if sev.is_empty() {
            String::new()
        } else {
            format!(" ({})", sev.join(" · "))
        }
    );

    // ---- PI ----
    let _ = writeln!(
        s,
        "## {}\n",
        h("涉及的个人信息", "Personal information involved", lang)
    );
    if sum.pi_by_subject.is_empty() && sum.pi_by_permission.is_empty() {
        let _ = writeln!(s, "{}\n", pair("未发现。", "None found.", lang));
    } else {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |\n|---|---|---|---|",
            h("个人信息类型", "PI type", lang),
            h("敏感", "Sensitive", lang),
            h("代码调用（按主体）", "Call sites by subject", lang),
            h("权限", "Permissions", lang)
        );
        let mut types: BTreeSet<&String> = sum.pi_by_permission.keys().collect();
        for t in sum.pi_by_subject.values() {
            types.extend(t.keys());
        }
        for t in types {
            let by_subject: Vec<String> = sum
                .pi_by_subject
                .iter()
                .filter_map(|(subj, m)| m.get(t).map(|n| format!("{} × {n}", code(subj))))
                .collect();
            let perms = sum
                .pi_by_permission
                .get(t)
                .map(|v| v.iter().map(|p| code(p)).collect::<Vec<_>>().join(", "))
                .unwrap_or_default();
            let sensitive = match kb.pi_type(t).map(|p| p.sensitive) {
                Some(true) => pair("是", "yes", lang),
                Some(false) => pair("否", "no", lang),
                None => "—".into(),
            };
            let _ = writeln!(
                s,
                "| {} | {sensitive} | {} | {perms} |",
                cell(&fmt::pi_name(kb, t, lang)),
                by_subject.join("<br>")
            );
        }
        let _ = writeln!(s);
    }

    // ---- third-party SDKs ----
    crate::sdk::markdown(&mut s, a, kb, lang, cell, code);

    // ---- privacy policy ----
    let _ = writeln!(s, "## {}\n", h("隐私政策", "Privacy policy", lang));
    for l in crate::policy::scan_policy_lines(a, lang) {
        let _ = writeln!(s, "- {}", l.replace('\n', " "));
    }
    let _ = writeln!(s);
    if let Some(r) = &a.policy {
        s.push_str(&crate::policy::elements_markdown(r, lang, "###"));
    }

    // ---- the 31 items ----
    let _ = writeln!(
        s,
        "## {}\n",
        h(
            "31 项认定结果",
            &format!("The {} items", a.items.len()),
            lang
        )
    );
    let _ = writeln!(
        s,
        "| {} | {} | {} | {} |\n|---|---|---|---:|",
        h("编号", "Id", lang),
        h("认定项（条文）", "Item (legal text)", lang),
        h("结论", "Verdict", lang),
        h("发现", "Findings", lang)
    );
    for item in &a.items {
        let text = match kb.rule(&item.id) {
            Some(r) => {
                let mut t = format!("**{}**<br>", cell(&short(&r.title, lang)));
                match lang {
                    Lang::Both => {
                        t.push_str(&cell(&r.text_zh));
                        if !r.gloss_en.is_empty() {
                            let _ = write!(t, "<br>*{}*", cell(&r.gloss_en));
                        }
                    }
                    Lang::Zh => t.push_str(&cell(&r.text_zh)),
                    Lang::En => t.push_str(&cell(&r.gloss_en)),
                }
                if !r.verbatim {
                    let _ = write!(t, " ({})", pair("非原文", "not verbatim", lang));
                }
                t
            }
            None => pair("（知识库无此条）", "(not in the knowledge base)", lang),
        };
        let refs: Vec<String> = item
            .findings
            .iter()
            .filter_map(|&i| a.findings.get(i))
            .map(|f| format!("[{0}](#{0})", f.short_id()))
            .collect();
        let _ = writeln!(
            s,
            "| {} | {text} | {} | {} |",
            item.id,
            statements::item_verdict(item, lang),
            if refs.is_empty() {
                "0".into()
            } else {
                refs.join(" ")
            }
        );
    }
    let _ = writeln!(s);
    if a.items.iter().any(|i| i.by_statement) {
        let _ = writeln!(s, "{}\n", statements::stated_legend(lang));
    }
    if a.items.iter().any(|i| i.declared.is_some()) {
        let _ = writeln!(s, "{}\n", statements::declared_legend(lang));
    }

    // ---- the developer's statements ----
    if let Some(line) = statements::answers_summary(a, lang) {
        let _ = writeln!(
            s,
            "## {}\n\n{}\n\n{}\n",
            h("开发者声明", "The developer's statements", lang),
            cell(&line),
            pair(
                "以下为开发者对自评估问卷的回答，pipa 未核实；回答不能抵消安装包中的证据。",
                "The developer's answers to the self-assessment questionnaire, not verified by pipa; they never clear evidence found in the package.",
                lang
            )
        );
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |\n|---|---|---|---|",
            h("编号", "Id", lang),
            h("问题", "Question", lang),
            h("回答", "Answer", lang),
            h("结论", "Verdict", lang)
        );
        for item in &a.items {
            for st in &item.statements {
                let q = match lang {
                    Lang::Both => format!("{}<br>*{}*", cell(&st.text.zh), cell(&st.text.en)),
                    Lang::Zh => cell(&st.text.zh),
                    Lang::En => cell(&st.text.en),
                };
                let mut ans = statements::answer(st.answer, lang);
                if st.unproven {
                    let _ = write!(ans, " **{}**", statements::unproven_word(lang));
                }
                if let Some(n) = &st.note {
                    let _ = write!(ans, "<br>{}", cell(n));
                }
                let _ = writeln!(
                    s,
                    "| {} | {q} | {ans} | {} |",
                    code(&st.question),
                    statements::item_verdict(item, lang)
                );
            }
        }
        let _ = writeln!(s);
    }
    if let Some(line) = statements::baseline_summary(a, lang) {
        let _ = writeln!(s, "> {}\n", cell(&line));
    }

    // ---- findings at a glance: one row each; in full in Appendix A ----
    let order = finding_order(a);
    let _ = writeln!(
        s,
        "## {}\n",
        h("发现与整改", "Findings and remediation", lang)
    );
    if order.is_empty() {
        let _ = writeln!(s, "{}\n", pair("无。", "None.", lang));
    } else {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
            h("编号", "Id", lang),
            h("结论 · 严重程度", "Verdict · severity", lang),
            h("认定项", "Item", lang),
            h("发现", "Finding", lang),
            h("首要证据", "First evidence", lang),
        );
        for &i in &order {
            let Some(f) = a.findings.get(i) else { continue };
            let first = f.evidence.first().map_or_else(
                || "—".to_string(),
                |e| {
                    let more = f.evidence.len() - 1;
                    let e = cell(&fmt::evidence(e, lang, code));
                    if more == 0 {
                        e
                    } else {
                        format!("{e} (+{more})")
                    }
                },
            );
            let _ = writeln!(
                s,
                "| [{0}](#{0}) | {1} · {2} | {3} | {4}{5} | {first} |",
                f.short_id(),
                fmt::verdict(f.verdict, lang),
                fmt::severity(f.severity, lang),
                f.rule_ids.first().map_or("", String::as_str),
                cell(&short(&f.title, lang)),
                if a.accepted(i).is_some() {
                    format!(" ({})", pair("已接受", "accepted", lang))
                } else {
                    String::new()
                },
            );
        }
        let _ = writeln!(
            s,
            "\n{}\n",
            pair(
                "每项发现的说明、全部证据与整改见附录 A（编号可点击）。",
                "Each finding's description, all its evidence and its fix: Appendix A (the ids link there).",
                lang
            )
        );
        for l in fmt::caveat_lines(a, lang) {
            let _ = writeln!(s, "> {}\n", cell(&l));
        }
    }

    // ---- anomalies ----
    let _ = writeln!(s, "## {}\n", h("安装包异常", "Package anomalies", lang));
    if a.anomalies.is_empty() {
        let _ = writeln!(s, "{}\n", pair("无。", "None.", lang));
    } else {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |\n|---|---|---|---|",
            h("代码", "Code", lang),
            h("级别", "Severity", lang),
            h("位置", "Location", lang),
            h("说明", "Detail", lang)
        );
        for an in &a.anomalies {
            let sev = serde_json::to_value(an.severity)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "| {} | {sev} | {} | {} |",
                code(an.code),
                code(&an.location),
                cell(&an.message)
            );
        }
        let _ = writeln!(s);
    }

    // ---- Appendix A: each finding in full ----
    if !order.is_empty() {
        let _ = writeln!(
            s,
            "## {}\n",
            h(
                "附录 A 发现详情：说明、证据与整改",
                "Appendix A. Findings in full: description, evidence, fix",
                lang
            )
        );
    }
    for i in order {
        let Some(f) = a.findings.get(i) else { continue };
        let _ = writeln!(
            s,
            "### <a id=\"{0}\"></a>{0} {1} — {2}\n",
            f.short_id(),
            short(&f.title, lang),
            fmt::verdict(f.verdict, lang),
        );
        let _ = writeln!(
            s,
            "- {}: {}\n- {}: {}\n- {}: {}\n",
            h("依据", "Rules", lang),
            f.rule_ids
                .iter()
                .map(|r| {
                    let t = fmt::rule_title(kb, r, lang);
                    if t.is_empty() {
                        r.clone()
                    } else {
                        format!("{r} {t}")
                    }
                })
                .collect::<Vec<_>>()
                .join("; "),
            h("严重程度", "Severity", lang),
            fmt::severity(f.severity, lang),
            h("检查", "Check", lang),
            code(&f.id)
        );
        if let Some(acc) = a.accepted(i) {
            let _ = writeln!(s, "> {}\n", cell(&statements::accepted_line(acc, lang)));
        }
        for line in fmt::lines(&f.description, lang) {
            let _ = writeln!(s, "{line}\n");
        }
        if let Some(c) = fmt::caveat_ref(a, f, lang) {
            let _ = writeln!(s, "*（{c}）*\n");
        }
        if !f.evidence.is_empty() {
            let _ = writeln!(
                s,
                "**{}** ({})\n",
                h("证据", "Evidence", lang),
                f.evidence.len()
            );
            for e in f.evidence.iter().take(MAX_EVIDENCE) {
                let _ = writeln!(s, "- {}", fmt::evidence(e, lang, code));
            }
            if f.evidence.len() > MAX_EVIDENCE {
                let _ = writeln!(
                    s,
                    "- {}",
                    pair(
                        &format!(
                            "……另有 {} 条，见 JSON 报告",
                            f.evidence.len() - MAX_EVIDENCE
                        ),
                        &format!(
                            "… {} more in the JSON report",
                            f.evidence.len() - MAX_EVIDENCE
                        ),
                        lang
                    )
                );
            }
            let _ = writeln!(s);
        }
        let fix = fmt::lines(&f.remediation, lang);
        if !fix.is_empty() {
            let _ = writeln!(s, "**{}**\n", h("整改建议", "How to fix", lang));
            for line in fix {
                let _ = writeln!(s, "{line}\n");
            }
        }
    }

    // ---- Appendix B: each SDK's evidence ----
    if !a.sdks.is_empty() {
        let _ = writeln!(
            s,
            "## {}\n",
            h(
                "附录 B 第三方 SDK 识别依据与初始化",
                "Appendix B. Third-party SDKs: evidence and initialisation",
                lang
            )
        );
        crate::sdk::markdown_details(&mut s, a, lang, code);
    }

    // ---- manual items ----
    let manual: Vec<_> = a
        .items
        .iter()
        .filter(|i| matches!(i.verdict, Verdict::Manual | Verdict::NotApplicable))
        .collect();
    if !manual.is_empty() {
        let _ = writeln!(
            s,
            "## {}\n",
            h(
                "附录 C 需人工确认与不适用的项：检查什么、怎么查",
                "Appendix C. Items for a person, and items not applicable: what to check and how",
                lang
            )
        );
        for item in manual {
            let _ = writeln!(
                s,
                "### {} {} — {}\n",
                item.id,
                fmt::rule_title(kb, &item.id, lang),
                fmt::verdict(item.verdict, lang)
            );
            if let Some(n) = &item.note {
                for line in fmt::lines(n, lang) {
                    let _ = writeln!(s, "{line}\n");
                }
            }
            if item.verdict == Verdict::Manual
                && let Some(m) = kb.rule(&item.id).and_then(|r| r.manual.as_ref())
            {
                let _ = writeln!(s, "**{}**\n", h("检查方法", "What to check and how", lang));
                for line in fmt::lines(m, lang) {
                    let _ = writeln!(s, "{line}\n");
                }
            }
        }
    }

    // ---- legal basis ----
    legal_basis(&mut s, a, kb, lang);
    s
}

fn legal_basis(s: &mut String, a: &Assessment, kb: &Kb, lang: Lang) {
    let _ = writeln!(
        s,
        "## {}\n",
        h("附录 D 法律依据", "Appendix D. Legal basis", lang)
    );
    let mut cited: Vec<&str> = a.items.iter().map(|i| i.id.as_str()).collect();
    for f in &a.findings {
        for r in &f.rule_ids {
            if !cited.contains(&r.as_str()) {
                cited.push(r);
            }
        }
    }
    let mut sources: Vec<&str> = Vec::new();
    for id in &cited {
        if let Some(r) = kb.rule(id)
            && !sources.contains(&r.source.as_str())
        {
            sources.push(&r.source);
        }
    }
    for src in sources {
        match kb.source(src) {
            Some(d) => {
                let mut line = format!("- **{}**", cell(&d.title));
                let meta = d.issuer_and_date();
                if !meta.is_empty() {
                    let _ = write!(line, "，{}", meta.join("，"));
                }
                if !d.url.is_empty() {
                    let _ = write!(line, " <{}>", d.url);
                }
                if !d.read_at.is_empty() {
                    let _ = write!(
                        line,
                        "<br>{}: {}",
                        pair("文本来源", "text read at", lang),
                        d.read_at
                    );
                }
                let _ = writeln!(s, "{line}");
            }
            None => {
                let _ = writeln!(s, "- {src}");
            }
        }
    }
    let _ = writeln!(s);
    // Texts of the rules findings cite beyond the 31 items (the table has those).
    let others: Vec<&str> = cited
        .iter()
        .copied()
        .filter(|id| !a.items.iter().any(|i| i.id == *id))
        .collect();
    for id in others {
        let Some(r) = kb.rule(id) else {
            let _ = writeln!(s, "- {id}");
            continue;
        };
        let _ = writeln!(
            s,
            "**{id} {}** ({})\n",
            short(&r.title, lang),
            fmt::trust(r.verbatim, r.status, lang)
        );
        match lang {
            Lang::Both => {
                let _ = writeln!(s, "> {}\n>\n> *{}*\n", r.text_zh.trim(), r.gloss_en.trim());
            }
            Lang::Zh => {
                let _ = writeln!(s, "> {}\n", r.text_zh.trim());
            }
            Lang::En => {
                let _ = writeln!(s, "> {}\n", r.gloss_en.trim());
            }
        }
    }
    let _ = writeln!(
        s,
        "{}",
        match lang {
            Lang::Both =>
                "注：中文条文标注“非原文”者为转述；英文为 pipa 的释义，并非官方译文。`pipa explain 编号` 显示每条的来源与核实状态。 / Texts marked “not verbatim” are paraphrases; English glosses are pipa's, not official translations. `pipa explain ID` shows each text's source and status.",
            Lang::Zh =>
                "注：中文条文标注“非原文”者为转述。`pipa explain 编号` 显示每条的来源与核实状态。",
            Lang::En =>
                "English glosses are pipa's, not official translations; the Chinese text is authoritative. `pipa explain ID` shows each text's source and verification status.",
        }
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::{ids_191, kb, sample};

    #[test]
    fn table_has_all_items_with_legal_text() {
        let md = markdown(&sample(), &kb(), Lang::Both);
        for id in ids_191() {
            let row = md
                .lines()
                .find(|l| l.starts_with(&format!("| {id} |")))
                .unwrap_or_else(|| panic!("row {id} missing"));
            assert!(row.contains(&format!("认定条文{id}；")), "{row}");
            assert!(row.contains(&format!("*Gloss of {id}.*")), "{row}");
        }
        let row = md
            .lines()
            .find(|l| l.starts_with("| 191-3.3 |"))
            .expect("row");
        assert!(
            row.contains("违规 violation") && row.contains("[F3.3-339016](#F3.3-339016)"),
            "{row}"
        );
    }

    #[test]
    fn findings_evidence_manual_anomalies_and_basis() {
        let md = markdown(&sample(), &kb(), Lang::Both);
        assert!(md.starts_with("# App 个人信息保护合规评估报告"));
        assert!(md.contains(
            "<a id=\"F3.3-339016\"></a>F3.3-339016 目标版本低于23 / targetSdkVersion below 23 — 违规 violation"
        ));
        assert!(md.contains("`Lcom/x/Y;->m()V @0x12 (classes.dex)`"), "{md}");
        assert!(md.contains("`<uses-permission android.permission.READ_SMS>`"));
        assert!(md.contains("**整改建议 How to fix**"));
        assert!(md.contains("### 191-2.3"));
        assert!(md.contains("人工查看界面"));
        assert!(md.contains("### 191-6.6"));
        assert!(md.contains("无账号功能"));
        assert!(md.contains("| `zip.junk_prefix` | warning | `app.apk` |"));
        assert!(md.contains("## 附录 D 法律依据 Appendix D. Legal basis"));
        assert!(md.contains("**App违法违规收集使用个人信息行为认定方法**"));
        assert!(md.contains(
            "**PIPL-51 安全保护义务 / Security measures** (非原文 not verbatim · 部分核实 partial)"
        ));
        // PI table
        assert!(
            md.contains("| 位置信息 Location | 是 yes | `app` × 1 |"),
            "{md}"
        );
    }

    #[test]
    fn english_report() {
        let md = markdown(&sample(), &kb(), Lang::En);
        assert!(md.starts_with("# Personal-information compliance assessment"));
        assert!(md.contains("| 191-1.1 | **Item 191-1.1**<br>Gloss of 191-1.1. | risk |"));
        assert!(!md.contains("认定条文"));
    }

    #[test]
    fn cells_escape_pipes() {
        assert_eq!(cell("a|b\nc"), "a\\|b<br>c");
        assert_eq!(code("a`b"), "`` a`b ``");
    }
}
