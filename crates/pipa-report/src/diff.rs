//! Views of an [`AssessmentDiff`] (`pipa diff`): plain text for a terminal,
//! Markdown for a review ticket, and the JSON contract `pipa.diff/1`.
//!
//! Lines start with `+` (in the new version only), `-` (in the old version
//! only) or `~` (in both, changed).

use crate::Lang;
use crate::fmt::{evidence, lines, pair, severity, short, short_method, verdict};
use pipa_engine::diff::{
    AssessmentDiff, Changes, PiSource, PolicyState, ReachChange, SubjectPi, Version,
};
use pipa_kb::Text;
use std::fmt::Write as _;

/// The diff as pretty-printed JSON (schema `pipa.diff/1`), with a final newline.
pub fn diff_json(d: &AssessmentDiff) -> serde_json::Result<String> {
    let mut s = serde_json::to_string_pretty(d)?;
    s.push('\n');
    Ok(s)
}

/// The diff for a terminal.
pub fn diff_text(d: &AssessmentDiff, lang: Lang) -> String {
    render(d, lang, Style::Text)
}

/// The diff as a Markdown report.
pub fn diff_markdown(d: &AssessmentDiff, lang: Lang) -> String {
    render(d, lang, Style::Md)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Text,
    Md,
}

fn plain(s: &str) -> String {
    s.to_string()
}

fn tick(s: &str) -> String {
    format!("`{}`", s.replace('`', "'"))
}

struct Out {
    s: String,
    style: Style,
    lang: Lang,
}

impl Out {
    fn code(&self) -> fn(&str) -> String {
        match self.style {
            Style::Text => plain,
            Style::Md => tick,
        }
    }

    fn heading(&mut self, zh: &str, en: &str) {
        let h = pair(zh, en, self.lang);
        match self.style {
            Style::Text => {
                let _ = writeln!(self.s, "\n{h}");
            }
            Style::Md => {
                if !self.s.ends_with("\n\n") {
                    self.s.push('\n');
                }
                let _ = writeln!(self.s, "## {h}\n");
            }
        }
    }

    /// One entry: `+ text` (text) or `- **+** text` (Markdown).
    fn entry(&mut self, mark: char, text: &str) {
        match self.style {
            Style::Text => {
                let _ = writeln!(self.s, "  {mark} {text}");
            }
            Style::Md => {
                let m = match mark {
                    '+' => "➕",
                    '-' => "➖",
                    _ => "✏️",
                };
                let _ = writeln!(self.s, "- {m} {text}");
            }
        }
    }

    /// A line under an entry.
    fn sub(&mut self, text: &str) {
        match self.style {
            Style::Text => {
                let _ = writeln!(self.s, "      {text}");
            }
            Style::Md => {
                let _ = writeln!(self.s, "  - {text}");
            }
        }
    }

    fn para(&mut self, text: &str) {
        match self.style {
            Style::Text => {
                let _ = writeln!(self.s, "  {text}");
            }
            Style::Md => {
                let _ = writeln!(self.s, "{text}\n");
            }
        }
    }
}

/// `3.6.0 (code 32)`.
fn version_line(v: &Version, lang: Lang) -> String {
    let mut s = v.version_name.clone().unwrap_or_else(|| "?".into());
    if let Some(c) = v.version_code {
        let _ = write!(s, " ({} {c})", pair("版本号", "code", lang));
    }
    s
}

fn pi_list(v: &[String]) -> String {
    if v.is_empty() {
        "—".into()
    } else {
        v.join(", ")
    }
}

fn gated(g: bool, lang: Lang) -> String {
    if g {
        pair("同意后", "after consent", lang)
    } else {
        pair("未经同意", "no consent check", lang)
    }
}

fn render(d: &AssessmentDiff, lang: Lang, style: Style) -> String {
    let mut o = Out {
        s: String::new(),
        style,
        lang,
    };
    let code = o.code();
    let title = if d.same_app {
        format!(
            "{}: {} {} → {}",
            pair("pipa 版本对比", "pipa diff", lang),
            d.new.id,
            version_line(&d.old, lang),
            version_line(&d.new, lang)
        )
    } else {
        format!(
            "{}: {} {} → {} {}",
            pair("pipa 版本对比", "pipa diff", lang),
            d.old.id,
            version_line(&d.old, lang),
            d.new.id,
            version_line(&d.new, lang)
        )
    };
    // An incomplete side says so first: before the title in text (as
    // `pipa scan`), right under it in Markdown.
    let banner = incomplete_banner(d, lang);
    match style {
        Style::Text => {
            for l in &banner {
                let _ = writeln!(o.s, "!! {l}");
            }
            let _ = writeln!(o.s, "{title}");
        }
        Style::Md => {
            let _ = writeln!(o.s, "# {title}\n");
            if !banner.is_empty() {
                let _ = writeln!(o.s, "> [!WARNING]");
                for (i, l) in banner.iter().enumerate() {
                    if i == 0 {
                        let _ = writeln!(o.s, "> **{l}**  ");
                    } else {
                        let _ = writeln!(o.s, "> {l}  ");
                    }
                }
                let _ = writeln!(o.s);
            }
        }
    }
    for (zh, en, v) in [("旧", "old", &d.old), ("新", "new", &d.new)] {
        let mut line = format!(
            "{}: {} sha256 {}",
            pair(zh, en, lang),
            code(&v.path),
            v.sha256
        );
        match &v.policy {
            Some(p) => {
                let _ = write!(
                    line,
                    "; {} {} ({} {}",
                    pair("隐私政策", "policy", lang),
                    code(&p.source),
                    p.chars,
                    pair("字", "chars", lang)
                );
                if let Some(u) = &p.updated {
                    let _ = write!(line, ", {u}");
                }
                line.push(')');
            }
            None => {
                let _ = write!(line, "; {}", pair("无隐私政策", "no policy", lang));
            }
        }
        o.para(&line);
    }
    for w in &d.warnings {
        let label = pair("注意", "warning", lang);
        o.para(&format!("{label}: {}", short(w, lang)));
    }
    summary(&mut o, d);
    if !d.summary.changed && d.diff_findings.is_empty() {
        return o.s;
    }
    permissions(&mut o, d);
    sdks(&mut o, d);
    pi(&mut o, d);
    startup(&mut o, d);
    policy(&mut o, d);
    items(&mut o, d);
    findings(&mut o, d);
    diff_findings(&mut o, d);
    o.s
}

/// The lines of [`AssessmentDiff::incomplete`] (none when both versions
/// were read in full): what it means, then per incomplete version its
/// coverage figures and what was not read.
fn incomplete_banner(d: &AssessmentDiff, lang: Lang) -> Vec<String> {
    let Some(inc) = &d.incomplete else {
        return Vec::new();
    };
    let mut lines = vec![match lang {
        Lang::Both => format!(
            "评估不完整 INCOMPLETE：{} / {}",
            inc.message.zh, inc.message.en
        ),
        Lang::Zh => format!("评估不完整：{}", inc.message.zh),
        Lang::En => format!("INCOMPLETE: {}", inc.message.en),
    }];
    for (zh, en, v) in [("旧", "old", &d.old), ("新", "new", &d.new)] {
        let c = &v.coverage;
        let Some(b) = crate::coverage::coverage_banner(c, lang) else {
            continue;
        };
        lines.push(format!(
            "{}: {}; {}",
            pair(zh, en, lang),
            crate::coverage::figures(c, lang),
            b.last().map_or("", String::as_str)
        ));
    }
    lines
}

fn summary(o: &mut Out, d: &AssessmentDiff) {
    let lang = o.lang;
    let s = &d.summary;
    if !s.changed && d.diff_findings.is_empty() {
        o.para(&pair(
            "个人信息收集无变化（权限、SDK、代码中的收集、启动时行为、隐私政策、31 项结论均相同）。",
            "No change in PI collection (permissions, SDKs, collection in code, start-up, policy and the 31 items are the same).",
            lang,
        ));
        return;
    }
    // (中文, English, value) — one list for both languages.
    let signed = |plus: usize, minus: usize| format!("+{plus} −{minus}");
    let parts = [
        (
            "权限",
            "permissions",
            format!(
                "{} ({} +{})",
                signed(s.permissions_added, s.permissions_removed),
                pair("危险", "dangerous", lang),
                s.dangerous_permissions_added
            ),
        ),
        ("SDK", "SDKs", signed(s.sdks_added, s.sdks_removed)),
        (
            "个人信息类型",
            "PI types",
            signed(s.pi_types_added, s.pi_types_removed),
        ),
        (
            "启动/后台",
            "start-up",
            signed(s.startup_added, s.startup_removed),
        ),
        (
            "归属变化",
            "attribution changes",
            s.attribution_changed.to_string(),
        ),
        (
            "条目变差/变好",
            "items worse/better",
            format!("{}/{}", s.items_worse, s.items_better),
        ),
        (
            "发现",
            "findings",
            signed(s.findings_added, s.findings_removed),
        ),
        ("风险", "191-2.2 risks", s.risks.to_string()),
    ];
    let body: Vec<String> = parts
        .iter()
        .map(|(zh, en, v)| format!("{} {v}", pair(zh, en, lang)))
        .collect();
    let line = format!(
        "{}: {}",
        pair("概要", "Summary", lang),
        body.join(match lang {
            Lang::Both | Lang::Zh => "；",
            Lang::En => "; ",
        })
    );
    o.para(&line);
}

fn each<T>(c: &Changes<T>, mut f: impl FnMut(char, &T)) {
    for x in &c.added {
        f('+', x);
    }
    for x in &c.removed {
        f('-', x);
    }
}

fn permissions(o: &mut Out, d: &AssessmentDiff) {
    if d.permissions.is_empty() {
        return;
    }
    let (lang, code) = (o.lang, o.code());
    o.heading("权限", "Permissions");
    each(&d.permissions, |m, p| {
        let mut s = code(&p.name);
        if p.dangerous {
            let _ = write!(s, " [{}]", pair("危险", "dangerous", lang));
        }
        if !p.pi_types.is_empty() {
            let _ = write!(s, " → {}", pi_list(&p.pi_types));
        }
        o.entry(m, &s);
    });
}

fn sdks(o: &mut Out, d: &AssessmentDiff) {
    if d.sdks.is_empty() && d.sdk_versions.is_empty() && d.sdk_attribution.is_empty() {
        return;
    }
    let (lang, code) = (o.lang, o.code());
    o.heading("第三方 SDK", "Third-party SDKs");
    each(&d.sdks, |m, s| {
        let mut line = format!("{} {}", code(&s.id), short(&s.name, lang));
        if let Some(v) = &s.version {
            let _ = write!(line, " {v}");
        }
        let _ = write!(
            line,
            " · {}: {}",
            pair("收集", "collects", lang),
            pi_list(&s.collects)
        );
        if let Some(st) = &s.startup {
            let _ = write!(
                line,
                " · {} {st}",
                pair("启动时调用", "called at start-up", lang)
            );
        }
        o.entry(m, &line);
    });
    for a in &d.sdk_attribution {
        let others: Vec<&str> = a.other_subjects.iter().map(String::as_str).collect();
        let (zh, en) = if a.side == "added" {
            (
                "新版本才识别出；代码两版都有，旧版本中归于",
                "recognised in the new version only; its code is in both, in the old version attributed to",
            )
        } else {
            (
                "仅旧版本识别出；代码两版都有，新版本中归于",
                "recognised in the old version only; its code is in both, in the new version attributed to",
            )
        };
        let line = format!(
            "{} {}: {} {}",
            code(&a.id),
            short(&a.name, lang),
            pair(zh, en, lang),
            others.join(", ")
        );
        o.entry('~', &line);
    }
    for v in &d.sdk_versions {
        let line = format!(
            "{} {}: {} → {}",
            code(&v.id),
            short(&v.name, lang),
            v.old.as_deref().unwrap_or("?"),
            v.new.as_deref().unwrap_or("?")
        );
        o.entry('~', &line);
    }
}

fn via(v: &PiSource, lang: Lang) -> String {
    match v {
        PiSource::Code { subject, sites } => {
            format!("{} {subject} ({sites})", pair("代码", "code", lang))
        }
        PiSource::Permission { name } => format!(
            "{} {}",
            pair("权限", "permission", lang),
            name.rsplit('.').next().unwrap_or(name)
        ),
        PiSource::Sdk { id } => format!("SDK {id}"),
    }
}

/// A subject by its published name, the id when the diff has no name for
/// it (one made before names were recorded).
fn subject(id: &str, name: &Text, lang: Lang) -> String {
    let n = short(name, lang);
    if n.is_empty() { id.to_string() } else { n }
}

fn subject_pi(o: &mut Out, m: char, s: &SubjectPi) {
    let (lang, code) = (o.lang, o.code());
    o.entry(
        m,
        &format!(
            "{} · {} ({}: {})",
            subject(&s.subject, &s.subject_name, lang),
            s.pi_type,
            pair("调用点", "call sites", lang),
            s.sites
        ),
    );
    for e in &s.examples {
        o.sub(&format!(
            "{} ← {}",
            code(&e.api),
            code(&format!("{} @0x{:x} ({})", e.caller, e.offset, e.dex))
        ));
    }
}

fn pi(o: &mut Out, d: &AssessmentDiff) {
    let lang = o.lang;
    if !d.pi_types.is_empty() {
        o.heading("收集的个人信息类型", "PI types collected");
        each(&d.pi_types, |m, p| {
            let mut line = format!("{} ({})", short(&p.name, lang), p.pi_type);
            if p.sensitive {
                let _ = write!(line, " [{}]", pair("敏感", "sensitive", lang));
            }
            let v: Vec<String> = p.via.iter().map(|x| via(x, lang)).collect();
            let _ = write!(line, " · {}: {}", pair("途径", "via", lang), v.join("; "));
            o.entry(m, &line);
        });
    }
    if !d.collection.is_empty() {
        o.heading(
            "各主体代码中的收集（示例调用点）",
            "Collection in code per subject (example call sites)",
        );
        for s in &d.collection.added {
            subject_pi(o, '+', s);
        }
        for s in &d.collection.removed {
            subject_pi(o, '-', s);
        }
    }
    if !d.attribution.is_empty() {
        let code = o.code();
        o.heading(
            "归属变化（同一调用点，主体识别不同；不是新增或停止收集）",
            "Attribution changes (the same call sites, attributed to another subject; not new or stopped collection)",
        );
        for a in &d.attribution {
            o.entry(
                '~',
                &format!(
                    "{} · {} → {} ({}: {})",
                    a.pi_type,
                    short(&a.old_name, lang),
                    short(&a.new_name, lang),
                    pair("调用点", "call sites", lang),
                    a.sites
                ),
            );
            for e in &a.examples {
                o.sub(&format!(
                    "{} ← {}",
                    code(&e.api),
                    code(&format!("{} @0x{:x} ({})", e.caller, e.offset, e.dex))
                ));
            }
        }
    }
}

fn reach_entry(o: &mut Out, m: char, r: &ReachChange) {
    let (lang, code) = (o.lang, o.code());
    o.entry(
        m,
        &format!(
            "{} · {} · {} [{}]",
            code(&r.api),
            r.pi_type,
            subject(&r.subject, &r.subject_name, lang),
            gated(r.gated, lang)
        ),
    );
    if !r.chain.is_empty() {
        let chain: Vec<String> = r.chain.iter().map(|s| short_method(s)).collect();
        o.sub(&chain.join(" → "));
    }
}

fn startup(o: &mut Out, d: &AssessmentDiff) {
    let st = &d.startup;
    let lang = o.lang;
    if !st.before_consent.is_empty() {
        o.heading(
            "启动时（同意前）调用的敏感接口",
            "Sensitive calls at start-up (before consent)",
        );
        each(&st.before_consent, |m, r| reach_entry(o, m, r));
    }
    if !st.background.is_empty() {
        o.heading(
            "仅在后台调用的敏感接口",
            "Sensitive calls in the background",
        );
        each(&st.background, |m, r| reach_entry(o, m, r));
    }
    if !st.sdk_init.is_empty() {
        o.heading("启动时初始化的 SDK", "SDKs initialised at start-up");
        let code = o.code();
        each(&st.sdk_init, |m, s| {
            let mut line = format!("{} [{}]", code(&s.sdk), gated(s.gated, lang));
            if s.compliant_init_used {
                let _ = write!(
                    line,
                    " · {}",
                    pair("调用了合规初始化接口", "compliant init used", lang)
                );
            }
            o.entry(m, &line);
            if !s.chain.is_empty() {
                let chain: Vec<String> = s.chain.iter().map(|x| short_method(x)).collect();
                o.sub(&chain.join(" → "));
            }
        });
    }
}

fn policy(o: &mut Out, d: &AssessmentDiff) {
    let p = &d.policy;
    let lang = o.lang;
    o.heading("隐私政策", "Privacy policy");
    let mut state = short(&p.state.text(), lang);
    if let Some(by) = &p.compared_by
        && p.state == PolicyState::Unchanged
    {
        let _ = write!(
            state,
            " ({})",
            if by == "sha256" {
                pair("文本 SHA-256 相同", "same text SHA-256", lang)
            } else {
                pair(
                    "分析结果相同，未比对原文",
                    "same analysis; the texts were not compared",
                    lang,
                )
            }
        );
    }
    o.para(&state);
    for e in &p.elements {
        let line = format!(
            "{} {}: {} → {}",
            e.id,
            short(&e.name, lang),
            pair(e.old.zh(), e.old.as_str(), lang),
            pair(e.new.zh(), e.new.as_str(), lang)
        );
        o.entry('~', &line);
    }
    for (zh, en, c) in [
        ("声明收集的个人信息", "PI declared", &p.pi_declared),
        ("列出的第三方", "third parties named", &p.third_parties),
        ("说明的权限", "permissions explained", &p.permissions),
    ] {
        let label = pair(zh, en, lang);
        each(c, |m, x| o.entry(m, &format!("{label}: {x}")));
    }
}

fn items(o: &mut Out, d: &AssessmentDiff) {
    if d.items.is_empty() {
        return;
    }
    let lang = o.lang;
    o.heading("结论变化的条目（191）", "Items whose verdict changed (191)");
    for i in &d.items {
        let mut line = format!(
            "{} {}: {} → {}",
            i.id,
            short(&i.title, lang),
            verdict(i.old, lang),
            verdict(i.new, lang)
        );
        if i.worse {
            let _ = write!(line, " ({})", pair("变差", "worse", lang));
        }
        o.entry('~', &line);
    }
}

fn findings(o: &mut Out, d: &AssessmentDiff) {
    let f = &d.findings;
    if f.added.is_empty() && f.removed.is_empty() && f.verdict_changed.is_empty() {
        return;
    }
    let (lang, code) = (o.lang, o.code());
    o.heading("发现", "Findings");
    for (m, list) in [('+', &f.added), ('-', &f.removed)] {
        for x in list {
            let line = format!(
                "{} [{}] {}",
                code(&x.id),
                verdict(x.verdict, lang),
                short(&x.title, lang)
            );
            o.entry(m, &line);
        }
    }
    for x in &f.verdict_changed {
        let line = format!(
            "{} {}: {} → {}",
            code(&x.id),
            short(&x.title, lang),
            verdict(x.old, lang),
            verdict(x.new, lang)
        );
        o.entry('~', &line);
    }
}

fn text_lines(o: &mut Out, label: &str, t: &Text) {
    let lang = o.lang;
    let body = lines(t, lang).join(if o.style == Style::Md { "<br>" } else { " " });
    o.sub(&format!("{label}: {body}"));
}

fn diff_findings(o: &mut Out, d: &AssessmentDiff) {
    if d.diff_findings.is_empty() {
        return;
    }
    let (lang, code) = (o.lang, o.code());
    o.heading(
        "版本变化带来的风险（191-2.2 规则变化未通知用户）",
        "Risks from the change (191-2.2 changes not notified to the user)",
    );
    for f in &d.diff_findings {
        let line = format!(
            "{} [{} · {}] {}",
            code(&f.id),
            verdict(f.verdict, lang),
            severity(f.severity, lang),
            short(&f.title, lang)
        );
        o.entry('+', &line);
        text_lines(o, &pair("说明", "why", lang), &f.description);
        for e in &f.evidence {
            o.sub(&format!(
                "{}: {}",
                pair("证据", "evidence", lang),
                evidence(e, lang, code)
            ));
        }
        text_lines(o, &pair("整改", "fix", lang), &f.remediation);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pipa_engine::diff::{DiffGate, diff};

    /// The sample with location added in a second version (a permission, a
    /// call in the app's code) and a finding fewer.
    fn versions() -> (pipa_engine::Assessment, pipa_engine::Assessment) {
        let old = crate::testdata::sample();
        let mut new = old.clone();
        new.input.sha256 = "f".repeat(64);
        new.app.version_code = old.app.version_code.map(|c| c + 1);
        new.permissions.push(pipa_engine::PermissionUse {
            name: "android.permission.RECORD_AUDIO".into(),
            pi_types: vec!["audio".into()],
            dangerous: true,
            protection: "dangerous".into(),
            max_sdk: None,
        });
        new.api_uses.push(pipa_engine::ApiUse {
            api: "android.media.AudioRecord.startRecording".into(),
            api_id: "audio_record.start".into(),
            pi_type: "audio".into(),
            caller: "Lcom/example/Rec;->go()V".into(),
            dex: "classes.dex".into(),
            offset: 0x12,
            subject: "app".into(),
            reach: pipa_engine::SiteReach::Live,
            permission: pipa_engine::SitePermission::Declared,
            effect: pipa_engine::SiteEffect::Collects,
        });
        new.findings.pop();
        (old, new)
    }

    /// Call sites whose subject changed are one `~` line under their own
    /// heading, subjects by name and vendor, not `+`/`-` collection.
    #[test]
    fn an_attribution_change_is_shown_as_one() {
        let old = crate::testdata::sample();
        let mut new = old.clone();
        new.input.sha256 = "f".repeat(64);
        let u = new.api_uses.first_mut().expect("a call site");
        u.subject = "sdk:umeng.common".into();
        // The catalogue names the SDK.
        let d = diff(&old, &new, pipa_kb::Kb::embedded());
        assert!(d.collection.is_empty(), "{:?}", d.collection);
        let text = diff_text(&d, Lang::En);
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with("~ ") && l.contains(" → "))
            .unwrap_or_else(|| panic!("no attribution line:\n{text}"));
        assert!(
            line.contains("Umeng Common") && line.contains("by Umeng"),
            "{line}"
        );
        assert!(!line.contains("sdk:umeng.common"), "{line}");
        assert!(text.contains("Attribution changes"), "{text}");
        assert!(!text.contains("+ sdk:umeng.common"), "{text}");
        let zh = diff_text(&d, Lang::Zh);
        assert!(
            zh.contains("归属变化") && !zh.contains("Attribution"),
            "{zh}"
        );
    }

    #[test]
    fn text_and_markdown_show_each_change_once() {
        let (old, new) = versions();
        let kb = crate::testdata::kb();
        let d = diff(&old, &new, &kb);
        assert!(!d.permissions.added.is_empty());
        assert_eq!(d.gate(DiffGate::Risk).len(), d.diff_findings.len());
        for lang in [Lang::Both, Lang::En] {
            let t = diff_text(&d, lang);
            assert_eq!(
                t.matches("+ android.permission.RECORD_AUDIO").count(),
                1,
                "{t}"
            );
            assert!(t.contains("Lcom/example/Rec;->go()V @0x12"), "{t}");
            assert!(t.contains("diff.pi_new_undeclared.audio"), "{t}");
            assert_eq!(t.contains("概要"), lang == Lang::Both, "{t}");
            let m = diff_markdown(&d, lang);
            assert!(m.starts_with("# "), "{m}");
            assert!(m.contains("`android.permission.RECORD_AUDIO`"), "{m}");
            assert!(m.contains("## "), "{m}");
            for f in &d.findings.removed {
                assert!(m.contains(&format!("➖ `{}`", f.id)), "{m}");
                assert!(t.contains(&format!("- {}", f.id)), "{t}");
            }
        }
        let j: serde_json::Value =
            serde_json::from_str(&diff_json(&d).expect("json")).expect("parse");
        assert_eq!(j["schema"], "pipa.diff/1");
        assert_eq!(
            j["permissions"]["added"][0]["name"],
            "android.permission.RECORD_AUDIO"
        );
    }

    #[test]
    fn an_incomplete_version_is_said_first_in_every_format() {
        let (old, mut new) = versions();
        let kb = crate::testdata::kb();
        let d = diff(&old, &new, &kb);
        assert!(d.incomplete.is_none());
        assert!(!diff_text(&d, Lang::Both).contains("INCOMPLETE"));
        assert!(!diff_markdown(&d, Lang::Both).contains("INCOMPLETE"));
        let j: serde_json::Value =
            serde_json::from_str(&diff_json(&d).expect("json")).expect("parse");
        assert!(j["incomplete"].is_null(), "{}", j["incomplete"]);

        let c = &mut new.coverage;
        c.dex_files = 2;
        c.dex_read = 1;
        c.code_bytes = 100;
        c.code_bytes_read = 40;
        c.ratio = 0.4;
        c.incomplete = true;
        c.unread = vec![pipa_engine::Unread {
            what: "classes2.dex".into(),
            why: "bad magic".into(),
        }];
        let d = diff(&old, &new, &kb);
        let inc = d.incomplete.as_ref().expect("incomplete");
        assert!(inc.new && !inc.old);
        let t = diff_text(&d, Lang::Both);
        let first: Vec<&str> = t.lines().take(2).collect();
        assert!(first[0].starts_with("!! 评估不完整 INCOMPLETE"), "{t}");
        assert!(
            first[0].contains("新版本只读取了安装包 40.0% 的代码"),
            "{t}"
        );
        assert!(
            first[0].contains("“消失”") && first[0].contains("disappeared"),
            "{t}"
        );
        assert!(!first[0].contains("appeared” (+)"), "{t}");
        assert!(
            first[1].contains("新 new: 40.0%") && first[1].contains("classes2.dex (bad magic)"),
            "{t}"
        );
        let en = diff_text(&d, Lang::En);
        assert!(
            en.starts_with("!! INCOMPLETE: The new version: only 40.0%"),
            "{en}"
        );
        assert!(!en.lines().next().unwrap_or("").contains("消失"), "{en}");
        let m = diff_markdown(&d, Lang::Both);
        let head: Vec<&str> = m.lines().take(4).collect();
        assert!(head[0].starts_with("# "), "{m}");
        assert_eq!(head[2], "> [!WARNING]", "{m}");
        assert!(head[3].starts_with("> **评估不完整 INCOMPLETE"), "{m}");
        let json = diff_json(&d).expect("json");
        let j: serde_json::Value = serde_json::from_str(&json).expect("parse");
        assert_eq!(j["incomplete"]["new"], true);
        assert_eq!(j["incomplete"]["old"], false);
        assert_eq!(j["new"]["coverage"]["incomplete"], true);
        // Among the first keys, after the schema and the tool.
        let at = json.find("\"incomplete\"").expect("key");
        assert!(at < json.find("\"old\"").expect("old"), "{json}");

        // The old version incomplete: what appeared may be unread code.
        let d = diff(&new, &old, &kb);
        let t = diff_text(&d, Lang::En);
        let first = t.lines().next().unwrap_or("");
        assert!(
            first.contains("The old version: only 40.0%") && first.contains("“appeared” (+)"),
            "{t}"
        );
        assert!(!first.contains("disappeared"), "{t}");
    }

    #[test]
    fn no_change_is_one_sentence() {
        let a = crate::testdata::sample();
        let kb = crate::testdata::kb();
        let d = diff(&a, &a, &kb);
        let t = diff_text(&d, Lang::En);
        assert!(t.contains("No change in PI collection"), "{t}");
        assert!(!t.contains("\nPermissions"), "{t}");
        let z = diff_text(&d, Lang::Both);
        assert!(z.contains("个人信息收集无变化"), "{z}");
    }
}
