//! The terminal report: a summary, the PI types by subject, the third-party
//! SDK list, the 31-item table, then each finding that is not a pass with its
//! evidence and how to fix it.

use crate::Lang;
use crate::fmt::{self, pad, pair, short};
use crate::statements;
use crate::summary::{Summary, short_permission};
use pipa_engine::{Assessment, Evidence, Finding, Verdict};
use pipa_kb::Kb;
use std::fmt::Write;

/// How to render for a terminal.
#[derive(Debug, Clone, Copy)]
pub struct TerminalOptions {
    /// Language.
    pub lang: Lang,
    /// ANSI colours (only when writing to a terminal).
    pub color: bool,
    /// Call sites and strings shown per finding with `details` (the JSON
    /// has them all); manifest entries, files and notes are always shown.
    pub max_evidence: usize,
    /// The long form: every SDK's details, all 31 items, and each finding
    /// with its description, evidence and fix. Without it (the default) the
    /// report is the summary a reader acts on: each finding in two lines
    /// (its most telling evidence and how many more), manual items without
    /// findings in one line, and a pointer to the long form.
    pub details: bool,
}

impl Default for TerminalOptions {
    fn default() -> Self {
        TerminalOptions {
            lang: Lang::Both,
            color: false,
            max_evidence: 8,
            details: false,
        }
    }
}

/// The terminal report without colours.
pub fn terminal(a: &Assessment, kb: &Kb, lang: Lang) -> String {
    terminal_with(
        a,
        kb,
        TerminalOptions {
            lang,
            ..TerminalOptions::default()
        },
    )
}

struct Paint(bool);

impl Paint {
    fn sgr(&self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.sgr("1", s)
    }
    fn verdict(&self, v: Verdict, s: &str) -> String {
        let code = match v {
            Verdict::Violation => "1;31",
            Verdict::Risk => "33",
            Verdict::Manual => "36",
            Verdict::Pass => "32",
            Verdict::NotApplicable => "2",
        };
        self.sgr(code, s)
    }
}

/// The labels of the report's header, for the width of its label column.
const HEADER_LABELS: &[(&str, &str)] = &[
    ("文件", "File"),
    ("应用", "App"),
    ("平台", "Platform"),
    ("补充", "Added"),
    ("代码覆盖", "Coverage"),
    ("发现", "Findings"),
    ("31 项结论", "Items"),
    ("权限", "Permissions"),
    ("第三方 SDK", "SDKs"),
    ("自有代码", "First-party code"),
    ("异常", "Anomalies"),
];

/// The terminal report with options (language, colours, evidence per finding).
pub fn terminal_with(a: &Assessment, kb: &Kb, o: TerminalOptions) -> String {
    let lang = o.lang;
    let p = Paint(o.color);
    let mut s = String::new();
    let sum = Summary::of(a);
    // The label column fits the widest header label, and a label never runs
    // into its value (one space at least).
    let lw = HEADER_LABELS
        .iter()
        .chain(crate::provenance::LABELS)
        .map(|(zh, en)| fmt::width(&pair(zh, en, lang)) + 2)
        .max()
        .unwrap_or(18);
    let label = |zh: &str, en: &str| {
        let l = pair(zh, en, lang);
        let w = lw.max(fmt::width(&l) + 1);
        pad(&l, w)
    };

    // ---- an incomplete assessment says so first ----
    if let Some(lines) = crate::coverage::banner(a, lang) {
        for l in &lines {
            let _ = writeln!(s, "{}", p.verdict(Verdict::Violation, &format!("!! {l}")));
        }
        let _ = writeln!(s);
    }
    // ---- summary ----
    let _ = writeln!(
        s,
        "{}",
        p.bold(&format!(
            "{} {} · {}",
            a.tool.name,
            a.tool.version,
            pair(
                "App 个人信息保护合规评估",
                "personal-information compliance assessment",
                lang
            )
        ))
    );
    let app = &a.app;
    let _ = writeln!(
        s,
        "{}{}  {}  {} ({})",
        label("应用", "App"),
        app.id,
        app.name.as_deref().unwrap_or("—"),
        app.version_name.as_deref().unwrap_or("—"),
        app.version_code
            .map(|v| v.to_string())
            .unwrap_or_else(|| "—".into())
    );
    let _ = writeln!(
        s,
        "{}{} · min {} · target {}",
        label("平台", "Platform"),
        app.platform,
        app.min_sdk,
        app.target_sdk
    );
    let _ = writeln!(
        s,
        "{}{}  (sha256 {})",
        label("文件", "File"),
        a.input.path,
        a.input.sha256
    );
    provenance(&mut s, a, lang, lw);
    let mut counts: Vec<String> = sum
        .items
        .iter()
        .map(|&(v, n)| p.verdict(v, &format!("{} {n}", fmt::verdict(v, lang))))
        .collect();
    counts.extend(statements::declared_count(&sum, lang));
    let _ = writeln!(s, "{}{}", label("31 项结论", "Items"), counts.join(" · "));
    let _ = writeln!(
        s,
        "{}{}",
        label("代码覆盖", "Coverage"),
        crate::coverage::figures(&a.coverage, lang)
    );
    let sev: Vec<String> = sum
        .findings
        .iter()
        .map(|&(sv, n)| format!("{} {n}", fmt::severity(sv, lang)))
        .collect();
    let _ = writeln!(
        s,
        "{}{}{}",
        label("发现", "Findings"),
        a.findings.len(),
        if sev.is_empty() {
            String::new()
        } else {
            format!(" ({})", sev.join(" · "))
        }
    );
    for line in [
        statements::answers_summary(a, lang),
        statements::baseline_summary(a, lang),
    ]
    .into_iter()
    .flatten()
    {
        let _ = writeln!(s, "{}{line}", label("补充", "Added"));
    }
    let dangerous: Vec<&str> = a
        .permissions
        .iter()
        .filter(|p| p.dangerous)
        .map(|p| short_permission(&p.name))
        .collect();
    let _ = writeln!(
        s,
        "{}{} ({} {})",
        label("权限", "Permissions"),
        a.permissions.len(),
        pair("危险", "dangerous", lang),
        dangerous.len()
    );
    let _ = writeln!(
        s,
        "{}{}",
        label("第三方 SDK", "SDKs"),
        crate::sdk::counts(a, lang)
    );
    if let Some(fp) = crate::sdk::first_party(a, lang) {
        let _ = writeln!(s, "{}{fp}", label("自有代码", "First-party code"));
    }
    if !a.anomalies.is_empty() {
        let _ = writeln!(s, "{}{}", label("异常", "Anomalies"), a.anomalies.len());
    }

    // ---- what to fix first ----
    let _ = writeln!(s);
    crate::priorities::terminal(&mut s, a, lang, |x| p.bold(x));

    // ---- PI types by subject ----
    let _ = writeln!(
        s,
        "{}",
        p.bold(&pair("个人信息类型（按主体）", "PI types by subject", lang))
    );
    if sum.pi_by_subject.is_empty() && sum.pi_by_permission.is_empty() {
        let _ = writeln!(s, "  {}", pair("未发现", "none found", lang));
    }
    let labels: Vec<String> = sum
        .pi_by_subject
        .keys()
        .map(|k| crate::sdk::subject_name(a, kb, k, lang))
        .collect();
    let sw = labels
        .iter()
        .map(|k| fmt::width(k) + 2)
        .chain([fmt::width(&pair("权限", "permissions", lang)) + 2, 22])
        .max()
        .unwrap_or(22);
    for ((_, types), label) in sum.pi_by_subject.iter().zip(&labels) {
        let list: Vec<String> = types
            .iter()
            .map(|(t, n)| format!("{} ({n})", fmt::pi_name(kb, t, lang)))
            .collect();
        let _ = writeln!(s, "  {}{}", pad(label, sw), list.join(" · "));
    }
    if !sum.pi_by_permission.is_empty() {
        let list: Vec<String> = sum
            .pi_by_permission
            .iter()
            .map(|(t, perms)| format!("{} ({})", fmt::pi_name(kb, t, lang), perms.join(", ")))
            .collect();
        let _ = writeln!(
            s,
            "  {}{}",
            pad(&pair("权限", "permissions", lang), sw),
            list.join(" · ")
        );
    }

    // ---- third-party SDKs ----
    crate::sdk::terminal(&mut s, a, kb, lang, o.details, |x| p.bold(x));

    // ---- privacy policy ----
    let _ = writeln!(s);
    let _ = writeln!(s, "{}", p.bold(&pair("隐私政策", "Privacy policy", lang)));
    for l in crate::policy::scan_policy_lines(a, lang) {
        let _ = writeln!(s, "  {l}");
    }

    // ---- the 31 items ----
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{}",
        p.bold(&match lang {
            Lang::Both => format!(
                "《App违法违规收集使用个人信息行为认定方法》{} 项 / the {} items",
                a.items.len(),
                a.items.len()
            ),
            Lang::Zh => format!(
                "《App违法违规收集使用个人信息行为认定方法》{} 项",
                a.items.len()
            ),
            Lang::En => format!(
                "The {} items of the Methods for Identifying Illegal Collection and Use of PI by Apps (191)",
                a.items.len()
            ),
        })
    );
    let vw = match lang {
        Lang::Both => 22,
        Lang::Zh => 12,
        Lang::En => 16,
    };
    let _ = writeln!(
        s,
        "  {}{}{}{}",
        pad(&pair("编号", "id", lang), 12),
        pad(&pair("结论", "verdict", lang), vw),
        pad(&pair("发现", "findings", lang), 16),
        pair("认定项", "item", lang)
    );
    // The short form lists the items a reader must act on or look at (a
    // finding, a verdict other than manual, or a statement); the manual
    // items with nothing found are one line of ids.
    let brief = |item: &pipa_engine::ItemResult| !o.details && statements::quiet(item);
    for item in a.items.iter().filter(|i| !brief(i)) {
        let v = statements::item_verdict(item, lang);
        let title = fmt::rule_title(kb, &item.id, lang);
        let _ = writeln!(
            s,
            "  {}{}{}{}",
            pad(&item.id, 12),
            p.verdict(item.verdict, &pad(&v, vw)),
            pad(&item.findings.len().to_string(), 16),
            title
        );
    }
    let quiet: Vec<&str> = a
        .items
        .iter()
        .filter(|i| brief(i))
        .map(|i| i.id.as_str())
        .collect();
    if !quiet.is_empty() {
        let _ = writeln!(
            s,
            "  {}",
            match lang {
                Lang::Both => format!(
                    "需人工确认、无发现的 {n} 项 / {n} manual {} with no finding: {}",
                    fmt::plural(quiet.len(), "item", "items"),
                    quiet.join(" "),
                    n = quiet.len()
                ),
                Lang::Zh => format!(
                    "需人工确认、无发现的 {} 项：{}",
                    quiet.len(),
                    quiet.join(" ")
                ),
                Lang::En => format!(
                    "{} manual {} with no finding: {}",
                    quiet.len(),
                    fmt::plural(quiet.len(), "item", "items"),
                    quiet.join(" ")
                ),
            }
        );
    }
    if a.items.iter().any(|i| i.by_statement) {
        let _ = writeln!(s, "  {}", statements::stated_legend(lang));
    }
    if a.items.iter().any(|i| i.declared.is_some()) {
        let _ = writeln!(s, "  {}", statements::declared_legend(lang));
    }
    let stated: Vec<_> = a
        .items
        .iter()
        .flat_map(|i| i.statements.iter().map(move |st| (i, st)))
        .filter(|(i, st)| i.by_statement || st.unproven || st.answer != pipa_engine::Answer::Yes)
        .collect();
    if !stated.is_empty() {
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{}",
            p.bold(&pair(
                "开发者声明（改变结论、非“是”或未证明的回答）",
                "Developer's statements (those that changed a verdict, are not yes, or lack proof)",
                lang
            ))
        );
        for (item, st) in stated {
            let _ = writeln!(
                s,
                "  {} {}",
                pad(&item.id, 10),
                statements::statement_line(st, lang)
            );
        }
    }
    let manual = a
        .items
        .iter()
        .filter(|i| i.verdict == Verdict::Manual)
        .count();
    if manual > 0 {
        let _ = writeln!(
            s,
            "  {}",
            match lang {
                Lang::Both => format!(
                    "{manual} 项需人工确认：`pipa explain 编号` 或 `--format md` 说明检查什么、怎么查 / {manual} {} a person: see `pipa explain ID` or `--format md`",
                    fmt::plural(manual, "item needs", "items need")
                ),
                Lang::Zh => format!(
                    "{manual} 项需人工确认：`pipa explain 编号` 或 `--format md` 说明检查什么、怎么查"
                ),
                Lang::En => format!(
                    "{manual} {} a person: `pipa explain ID` or `--format md` say what to check and how",
                    fmt::plural(manual, "item needs", "items need")
                ),
            }
        );
    }

    // ---- findings ----
    let order = finding_order(a);
    if !order.is_empty() {
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{}",
            p.bold(&pair("发现（非通过项）", "Findings (not pass)", lang))
        );
        for l in fmt::caveat_lines(a, lang) {
            let _ = writeln!(s, "  {l}");
        }
    }
    let shown = !order.is_empty();
    for i in order {
        let Some(f) = a.findings.get(i) else { continue };
        if o.details {
            finding(&mut s, f, fmt::caveat_ref(a, f, lang), &p, o);
        } else {
            brief_finding(&mut s, f, &p, lang);
        }
        if let Some(acc) = a.accepted(i) {
            let _ = writeln!(s, "  {}", statements::accepted_line(acc, lang));
        }
    }
    if shown && !o.details {
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{}",
            pair(
                "每项发现的说明、全部证据与整改：加 --details，或 --format html / md / json",
                "Each finding's description, all its evidence and its fix: add --details, or --format html / md / json",
                lang
            )
        );
    }
    s
}

/// A finding's first line: short id, verdict and severity, `rules`, title.
fn heading(s: &mut String, f: &Finding, p: &Paint, lang: Lang, rules: &str) {
    let _ = writeln!(
        s,
        "{} {} {rules}  {}",
        p.bold(&f.short_id()),
        p.verdict(
            f.verdict,
            &format!(
                "[{} · {}]",
                fmt::verdict(f.verdict, lang),
                fmt::severity(f.severity, lang)
            )
        ),
        p.bold(&short(&f.title, lang))
    );
}

/// A finding in two lines: id, verdict, items and title; then its first
/// evidence entry (the engine ranks evidence by regulatory weight) and how
/// many more there are.
fn brief_finding(s: &mut String, f: &Finding, p: &Paint, lang: Lang) {
    heading(s, f, p, lang, f.rule_ids.first().map_or("", String::as_str));
    let Some(first) = f.evidence.first() else {
        return;
    };
    let more = f.evidence.len() - 1;
    let _ = writeln!(
        s,
        "    {}{}",
        fmt::evidence(first, lang, |x| x.to_string()),
        if more == 0 {
            String::new()
        } else {
            match lang {
                Lang::Both => format!("  （另 {more} 条 / +{more}）"),
                Lang::Zh => format!("  （另 {more} 条）"),
                Lang::En => format!("  (+{more})"),
            }
        }
    );
}

/// Scan time, versions and signer, one line each, in the label column.
fn provenance(s: &mut String, a: &Assessment, lang: Lang, lw: usize) {
    for (k, v) in crate::provenance::rows(a, lang) {
        let w = lw.max(fmt::width(&k) + 1);
        let _ = writeln!(s, "{}{v}", pad(&k, w));
    }
}

/// Indices of the findings to show (not pass, not n/a), worst first, stable.
pub(crate) fn finding_order(a: &Assessment) -> Vec<usize> {
    let mut v: Vec<usize> = (0..a.findings.len())
        .filter(|&i| {
            !matches!(
                a.findings[i].verdict,
                Verdict::Pass | Verdict::NotApplicable
            )
        })
        .collect();
    v.sort_by_key(|&i| (a.findings[i].verdict, a.findings[i].severity));
    v
}

fn finding(s: &mut String, f: &Finding, caveat: Option<String>, p: &Paint, o: TerminalOptions) {
    let lang = o.lang;
    let _ = writeln!(s);
    heading(s, f, p, lang, &f.rule_ids.join(", "));
    for line in fmt::lines(&f.description, lang) {
        let _ = writeln!(s, "    {line}");
    }
    if let Some(c) = caveat {
        let _ = writeln!(s, "    （{c}）");
    }
    if !f.evidence.is_empty() {
        let _ = writeln!(s, "  {}:", pair("证据", "Evidence", lang));
        // Manifest entries, files and notes are few and short: all shown.
        // Call sites and strings can run to thousands: capped.
        let mut shown_code = 0usize;
        let mut more = 0usize;
        for e in &f.evidence {
            if matches!(
                e,
                Evidence::Code { .. } | Evidence::String { .. } | Evidence::Chain { .. }
            ) {
                if shown_code == o.max_evidence {
                    more += 1;
                    continue;
                }
                shown_code += 1;
            }
            let _ = writeln!(s, "    {}", fmt::evidence(e, lang, |x| x.to_string()));
        }
        if more > 0 {
            let _ = writeln!(
                s,
                "    {}",
                match lang {
                    Lang::Both => format!(
                        "…… 另有 {more} 条证据未显示（完整列表见 --format json 或 md）/ … {more} more {} not shown (all in --format json or md)",
                        fmt::plural(more, "evidence entry", "evidence entries")
                    ),
                    Lang::Zh =>
                        format!("…… 另有 {more} 条证据未显示（完整列表见 --format json 或 md）"),
                    Lang::En => format!(
                        "… {more} more {} not shown (all in --format json or md)",
                        fmt::plural(more, "evidence entry", "evidence entries")
                    ),
                }
            );
        }
    }
    let fix = fmt::lines(&f.remediation, lang);
    if !fix.is_empty() {
        let _ = writeln!(s, "  {}:", pair("整改", "How to fix", lang));
        for line in fix {
            let _ = writeln!(s, "    {line}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::{ids_191, kb, sample};

    /// Every header label, the longest ("自有代码 First-party code") too,
    /// stands apart from its value, and all values start in one column.
    #[test]
    fn header_labels_stand_apart_from_their_values() {
        let mut a = sample();
        a.app.first_party = vec!["io.appium.*".into()];
        for lang in [Lang::Both, Lang::En] {
            let out = terminal(&a, &kb(), lang);
            let mut columns = Vec::new();
            for (zh, en) in HEADER_LABELS {
                let l = pair(zh, en, lang);
                let Some(line) = out.lines().find(|x| x.starts_with(&format!("{l} "))) else {
                    continue;
                };
                let rest = &line[l.len()..];
                let value_at = fmt::width(&l) + rest.len() - rest.trim_start().len();
                assert!(value_at > fmt::width(&l) + 1, "{lang:?}: {line}");
                columns.push(value_at);
            }
            assert!(
                out.lines().any(|x| x.contains("io.appium.*")),
                "{lang:?}: first-party line missing:\n{out}"
            );
            assert!(columns.len() >= 5, "{lang:?}: {columns:?}\n{out}");
            assert!(
                columns.windows(2).all(|w| w[0] == w[1]),
                "{lang:?}: {columns:?}\n{out}"
            );
        }
    }

    #[test]
    fn lists_all_items_with_verdicts_and_titles() {
        let out = terminal(&sample(), &kb(), Lang::Both);
        for id in ids_191() {
            let line = out
                .lines()
                .find(|l| l.trim_start().starts_with(&format!("{id} ")))
                .unwrap_or_else(|| panic!("{id} missing:\n{out}"));
            assert!(line.contains(&format!("条目{id} / Item {id}")), "{line}");
        }
        let line_33 = out.lines().find(|l| l.contains("  191-3.3 ")).expect("3.3");
        assert!(line_33.contains("违规 violation"), "{line_33}");
        assert!(out.contains("违规 violation 1 · 风险 risk 2 · 需人工确认 manual 1 · 通过 pass 26 · 不适用 not applicable 1"), "{out}");
        assert!(out.contains("com.example.app"));
        assert!(!out.contains('\x1b'), "no colour by default");
    }

    #[test]
    fn findings_show_evidence_and_fixes_worst_first() {
        let out = crate::testdata::terminal_long(&sample(), Lang::Both);
        assert!(out.contains("Lcom/x/Y;->m()V @0x12 (classes.dex)"), "{out}");
        assert!(out.contains("<uses-permission android.permission.READ_SMS>"));
        assert!(out.contains("将 targetSdkVersion 提高到 23 以上。"));
        assert!(out.contains("Raise targetSdkVersion to 23+."));
        let v = out.find("目标版本低于23").expect("violation shown");
        let r = out
            .find("未发现隐私政策 / No privacy policy found")
            .expect("risk shown");
        assert!(v < r, "violations before risks");
        // PI by subject
        let sdk = out
            .lines()
            .find(|l| l.contains("sdk:umeng"))
            .expect("sdk line");
        assert!(sdk.contains("设备标识符 Device identifiers (1)"), "{sdk}");
    }

    /// The default (short) form: each finding in two lines (title, then its
    /// first evidence entry with the count of the rest), no fix blocks, the
    /// manual items without findings as one line of ids, and a pointer to
    /// the long form; `--details` has the fixes and every item row.
    #[test]
    fn short_form_is_two_lines_a_finding_and_points_to_details() {
        let mut a = sample();
        let it = a
            .items
            .iter_mut()
            .find(|i| i.findings.is_empty() && i.verdict == Verdict::Pass)
            .expect("a pass item without findings");
        it.verdict = Verdict::Manual;
        it.statements.clear();
        it.declared = None;
        let out = terminal(&a, &kb(), Lang::Both);
        let order = finding_order(&a);
        assert!(!order.is_empty());
        for i in order {
            let f = &a.findings[i];
            let at = out
                .lines()
                .position(|l| l.starts_with(&format!("{} ", f.short_id())))
                .unwrap_or_else(|| panic!("{} missing:\n{out}", f.short_id()));
            let lines: Vec<&str> = out.lines().collect();
            if let Some(first) = f.evidence.first() {
                let ev = lines[at + 1];
                assert!(
                    ev.contains(&fmt::evidence(first, Lang::Both, |x| x.to_string())),
                    "{ev}"
                );
                let more = f.evidence.len() - 1;
                assert_eq!(ev.contains(&format!("+{more}）")), more > 0, "{ev}");
            }
        }
        assert!(!out.contains("整改 How to fix:"), "{out}");
        assert!(out.contains("加 --details"), "{out}");
        let long = crate::testdata::terminal_long(&a, Lang::Both);
        assert!(long.contains("整改 How to fix:"));
        assert!(!long.contains("加 --details"));
        // Items: a manual item without findings is an id in the one line,
        // not a row; in the long form it is a row.
        let quiet: Vec<&str> = a
            .items
            .iter()
            .filter(|i| {
                i.verdict == Verdict::Manual && i.findings.is_empty() && i.statements.is_empty()
            })
            .map(|i| i.id.as_str())
            .collect();
        for id in &quiet {
            let row = format!("  {id} ");
            assert!(
                !out.lines().any(|l| l.starts_with(&row)),
                "{id} is a row:\n{out}"
            );
            assert!(
                long.lines().any(|l| l.starts_with(&row)),
                "{id} not a row in the long form"
            );
        }
        assert!(!quiet.is_empty());
        let line = out
            .lines()
            .find(|l| l.contains("manual item"))
            .expect("quiet line");
        assert!(quiet.iter().all(|id| line.contains(id)), "{line}");
        assert!(out.lines().count() < long.lines().count());
    }

    /// A caveat is said once in every document format (terminal short and
    /// long, Markdown, HTML) and the findings it holds for point to it; the
    /// row formats write it out per finding; a finding it does not hold for
    /// neither points to it nor carries it (the twin).
    #[test]
    fn a_caveat_is_said_once_and_its_findings_point_to_it() {
        let mut a = sample();
        let order = finding_order(&a);
        assert!(order.len() >= 3);
        let ids: Vec<String> = order[..2]
            .iter()
            .map(|&i| a.findings[i].id.clone())
            .collect();
        a.caveats = vec![pipa_engine::Caveat {
            id: "static.capability".into(),
            text: pipa_kb::Text {
                zh: "静态分析不能证明何时调用。".into(),
                en: "Static analysis cannot prove when.".into(),
            },
            findings: ids,
        }];
        let long = crate::testdata::terminal_long(&a, Lang::Both);
        let md = crate::markdown(&a, &kb(), Lang::Both);
        for out in [
            terminal(&a, &kb(), Lang::Both),
            long.clone(),
            md.clone(),
            crate::html(&a, &kb(), Lang::Both),
        ] {
            assert_eq!(out.matches("静态分析不能证明何时调用").count(), 1, "{out}");
            assert_eq!(out.matches("Static analysis cannot prove when").count(), 1);
        }
        assert_eq!(long.matches("见注 1 / see note 1").count(), 2, "{long}");
        assert_eq!(md.matches("见注 1 / see note 1").count(), 2);
        let with = fmt::description_with_caveats(&a, &a.findings[order[0]]);
        assert!(
            with.zh.ends_with("静态分析不能证明何时调用。"),
            "{}",
            with.zh
        );
        assert!(with.en.ends_with("Static analysis cannot prove when."));
        let third = &a.findings[order[2]];
        assert_eq!(fmt::description_with_caveats(&a, third), third.description);
        assert!(fmt::caveat_ref(&a, third, Lang::Both).is_none());
        let en = terminal(&a, &kb(), Lang::En);
        assert!(en.contains("Note 1: Static analysis cannot prove when.") && !en.contains("注 1"));
    }

    #[test]
    fn english_only() {
        let out = crate::testdata::terminal_long(&sample(), Lang::En);
        assert!(out.contains("violation 1 · risk 2 · manual 1 · pass 26"));
        assert!(out.contains("Item 191-4.2"));
        assert!(
            !out.contains("条目"),
            "no Chinese titles in English:\n{out}"
        );
        assert!(!out.contains("违规"));
        assert!(out.contains("Raise targetSdkVersion to 23+."));
    }

    #[test]
    fn colours_and_evidence_cap() {
        let mut a = sample();
        let e = a.findings[1].evidence[1].clone();
        a.findings[1].evidence = vec![e; 20];
        let out = terminal_with(
            &a,
            &kb(),
            TerminalOptions {
                lang: Lang::En,
                color: true,
                max_evidence: 3,
                details: true,
            },
        );
        assert!(out.contains("\x1b[1;31m"));
        assert!(out.contains("… 17 more"), "{out}");
    }

    #[test]
    fn long_subjects_keep_their_column_apart() {
        let mut a = sample();
        a.api_uses[1].subject = "sdk:lc.jetpack-appcompat-long".into();
        let out = terminal(&a, &kb(), Lang::Both);
        let line = out
            .lines()
            .find(|l| l.contains("sdk:lc.jetpack-appcompat-long"))
            .expect("subject line");
        let after = line
            .split_once("sdk:lc.jetpack-appcompat-long")
            .map_or("", |(_, r)| r);
        assert!(
            after.starts_with("  ") && after.trim_start().starts_with("设备标识符"),
            "{line}"
        );
        let app = out
            .lines()
            .find(|l| l.starts_with("  App 自身代码 the app's own code "))
            .expect("app");
        let col = |l: &str, c: char| l.find(c).map(|i| fmt::width(&l[..i]));
        assert_eq!(col(app, '位'), col(line, '设'), "{app}\n{line}");
    }

    /// An SDK of the package is named as its vendor publishes it, in the
    /// report's language; one the package lacks keeps its id (the twin).
    #[test]
    fn subjects_are_named_as_published() {
        let a = crate::testdata::with_sdks();
        let kb = pipa_kb::Kb::embedded();
        let x = &a.sdks[0];
        let sdk = format!("sdk:{}", x.id);
        assert_eq!(
            crate::sdk::subject_name(&a, kb, &sdk, Lang::Both),
            format!("{} {}", x.name.zh, x.name.en)
        );
        assert_eq!(crate::sdk::subject_name(&a, kb, &sdk, Lang::En), x.name.en);
        assert_eq!(
            crate::sdk::subject_name(&a, kb, "sdk:no.such", Lang::Both),
            "sdk:no.such"
        );
        assert_eq!(
            crate::sdk::subject_name(&a, kb, "app", Lang::En),
            "the app's own code"
        );
    }

    #[test]
    fn embedded_kb_renders_without_panicking() {
        let out = terminal(&sample(), pipa_kb::Kb::embedded(), Lang::Both);
        assert!(out.contains("191-6.6"));
    }
}
