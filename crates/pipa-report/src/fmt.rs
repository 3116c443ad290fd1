//! Labels and small formatting helpers shared by the renderers.

use crate::Lang;
use pipa_engine::{Evidence, Severity, Verdict};
use pipa_kb::{Kb, Status, Text};

/// The verdicts in report order (worst first).
pub const VERDICTS: [Verdict; 5] = [
    Verdict::Violation,
    Verdict::Risk,
    Verdict::Manual,
    Verdict::Pass,
    Verdict::NotApplicable,
];

/// English label of a verdict.
pub fn verdict_en(v: Verdict) -> &'static str {
    match v {
        Verdict::Violation => "violation",
        Verdict::Risk => "risk",
        Verdict::Manual => "manual",
        Verdict::Pass => "pass",
        Verdict::NotApplicable => "not applicable",
    }
}

/// `违规 violation` or `violation`.
pub fn verdict(v: Verdict, lang: Lang) -> String {
    match lang {
        Lang::Both => format!("{} {}", v.zh(), verdict_en(v)),
        Lang::Zh => v.zh().to_string(),
        Lang::En => verdict_en(v).to_string(),
    }
}

pub use pipa_engine::plural;

/// `高 high` or `high`.
pub fn severity(s: Severity, lang: Lang) -> String {
    let (zh, en) = match s {
        Severity::High => ("高", "high"),
        Severity::Medium => ("中", "medium"),
        Severity::Low => ("低", "low"),
        Severity::Info => ("提示", "info"),
    };
    pair(zh, en, lang)
}

/// Whether a call site is reachable, as a label.
pub fn site_reach(r: pipa_engine::SiteReach, lang: Lang) -> String {
    match r {
        pipa_engine::SiteReach::Live => pair("可达", "live", lang),
        pipa_engine::SiteReach::Unreachable => pair("不可达", "unreachable", lang),
    }
}

/// Whether a call site's permission is declared, as a label.
pub fn site_permission(p: pipa_engine::SitePermission, lang: Lang) -> String {
    use pipa_engine::SitePermission as P;
    match p {
        P::NotNeeded => pair("无需权限", "not needed", lang),
        P::Declared => pair("已声明", "declared", lang),
        P::Missing => pair("未声明", "missing", lang),
        P::NotChecked => pair("未判定", "not checked", lang),
    }
}

/// A bilingual label: `zh en` (Chinese first) or `en`.
pub fn pair(zh: &str, en: &str, lang: Lang) -> String {
    match lang {
        Lang::Both => format!("{zh} {en}"),
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

/// A short text (a title): `中文 / English`, or English only. Falls back to
/// whichever side is present.
pub fn short(t: &Text, lang: Lang) -> String {
    match (lang, t.zh.is_empty(), t.en.is_empty()) {
        (_, true, true) => String::new(),
        (Lang::Both, false, false) => format!("{} / {}", t.zh, t.en),
        (Lang::Both | Lang::Zh, false, _) | (Lang::En, false, true) => t.zh.clone(),
        (_, true, false) | (Lang::En, false, false) => t.en.clone(),
    }
}

/// A longer text as lines: Chinese then English, or English only.
pub fn lines(t: &Text, lang: Lang) -> Vec<&str> {
    let mut v = Vec::new();
    match lang {
        Lang::Both => {
            if !t.zh.is_empty() {
                v.push(t.zh.trim());
            }
            if !t.en.is_empty() {
                v.push(t.en.trim());
            }
        }
        Lang::Zh => {
            if !t.zh.is_empty() {
                v.push(t.zh.trim());
            } else if !t.en.is_empty() {
                v.push(t.en.trim());
            }
        }
        Lang::En => {
            if !t.en.is_empty() {
                v.push(t.en.trim());
            } else if !t.zh.is_empty() {
                v.push(t.zh.trim());
            }
        }
    }
    v
}

/// The title of a rule from the knowledge base, or the empty string.
pub fn rule_title(kb: &Kb, id: &str, lang: Lang) -> String {
    kb.rule(id)
        .map(|r| short(&r.title, lang))
        .unwrap_or_default()
}

/// A PI type's name (`位置信息 Location`), or its id when not catalogued.
pub fn pi_name(kb: &Kb, id: &str, lang: Lang) -> String {
    match kb.pi_type(id) {
        Some(p) => match lang {
            Lang::Both => format!("{} {}", p.name.zh, p.name.en),
            Lang::Zh => p.name.zh.clone(),
            Lang::En => p.name.en.clone(),
        },
        None => id.to_string(),
    }
}

/// `原文 verbatim · verified` and the like.
pub fn trust(verbatim: bool, status: Status, lang: Lang) -> String {
    let v = if verbatim {
        pair("原文", "verbatim", lang)
    } else {
        pair("非原文", "not verbatim", lang)
    };
    let (zh, en) = match status {
        Status::Verified => ("已核实", "verified"),
        Status::Partial => ("部分核实", "partial"),
        Status::Paraphrase => ("转述", "paraphrase"),
        Status::Unverified => ("未核实", "unverified"),
    };
    format!("{v} · {}", pair(zh, en, lang))
}

/// One line for an evidence item; `code` wraps literal parts (backticks for
/// Markdown, nothing for the terminal).
pub fn evidence(e: &Evidence, lang: Lang, code: fn(&str) -> String) -> String {
    match e {
        Evidence::Code {
            api,
            caller,
            dex,
            offset,
            subject,
        } => format!(
            "{}  {} ← {} · {}",
            pair("调用", "call", lang),
            code(api),
            code(&format!("{caller} @0x{offset:x} ({dex})")),
            subject
        ),
        Evidence::Manifest {
            element,
            name,
            detail,
        } => {
            let mut s = format!("<{element}");
            if let Some(n) = name {
                s.push(' ');
                s.push_str(n);
            }
            if let Some(d) = detail {
                s.push(' ');
                s.push_str(d);
            }
            s.push('>');
            format!("{}  {}", pair("清单", "manifest", lang), code(&s))
        }
        Evidence::File { path, detail } => {
            let mut s = format!("{}  {}", pair("文件", "file", lang), code(path));
            if let Some(d) = detail {
                s.push_str(" — ");
                s.push_str(d);
            }
            s
        }
        Evidence::Package {
            prefix,
            classes,
            examples,
        } => {
            let mut s = format!(
                "{}  {} · {}",
                pair("代码包", "package", lang),
                code(prefix),
                match lang {
                    Lang::Both =>
                        format!("{classes} 个类 / {}", plural(*classes, "class", "classes")),
                    Lang::Zh => format!("{classes} 个类"),
                    Lang::En => format!("{classes} {}", plural(*classes, "class", "classes")),
                }
            );
            if !examples.is_empty() {
                let ex: Vec<String> = examples.iter().map(|x| code(x)).collect();
                s.push_str(" (");
                s.push_str(&ex.join(", "));
                s.push(')');
            }
            s
        }
        Evidence::String { value, locations } => {
            let mut s = format!("{}  {}", pair("字符串", "string", lang), code(value));
            if !locations.is_empty() {
                let locs: Vec<String> = locations.iter().map(|l| code(l)).collect();
                s.push_str(" ← ");
                s.push_str(&locs.join(", "));
            }
            s
        }
        Evidence::Chain {
            entry,
            component,
            steps,
            hops,
            target,
            dex,
            offset,
            subject,
            gated,
        } => {
            let mut s = format!(
                "{}  [{} {}] ",
                pair("调用链", "chain", lang),
                entry_name(entry, lang),
                component
            );
            for (i, step) in steps.iter().enumerate() {
                if i > 0 {
                    s.push_str(&hop_arrow(
                        hops.get(i - 1).map_or("call", String::as_str),
                        lang,
                    ));
                }
                s.push_str(&code(&short_method(step)));
            }
            s.push_str(" ⟶ ");
            s.push_str(&code(&short_method(target)));
            s.push_str(&format!(" @0x{offset:x} ({dex}) · {subject}"));
            if *gated {
                s.push_str(" · ");
                s.push_str(&pair("同意检查之后", "after a consent check", lang));
            }
            s
        }
        Evidence::Policy {
            source,
            text,
            start,
            end,
        } => format!(
            "{}  {} {}",
            pair("政策", "policy", lang),
            crate::policy::quote(&pipa_policy::Span {
                text: text.clone(),
                start: *start,
                end: *end,
                terms: Vec::new(),
            }),
            code(&short_source(source)),
        ),
        Evidence::Note { text } => {
            format!(
                "{}  {}",
                pair("说明", "note", lang),
                lines(text, lang).join(" ")
            )
        }
    }
}

/// The file name of a policy source (`…/privacy.html` → `privacy.html`);
/// URLs whole.
pub fn short_source(s: &str) -> String {
    if s.contains("://") {
        return s.to_string();
    }
    s.rsplit(['/', '\\']).next().unwrap_or(s).to_string()
}

/// `Lcom/x/Y;->run()V` → `com.x.Y.run` (other text unchanged).
pub fn short_method(smali: &str) -> String {
    let Some((class, rest)) = smali.split_once("->") else {
        return smali.to_string();
    };
    let class = class
        .strip_prefix('L')
        .and_then(|c| c.strip_suffix(';'))
        .unwrap_or(class)
        .replace('/', ".");
    let name = rest.split(['(', ':']).next().unwrap_or(rest);
    format!("{class}.{name}")
}

/// The arrow between two steps of a call chain, by how the first reaches the
/// next (`call`, `async`, `clinit`, `component`).
pub fn hop_arrow(hop: &str, lang: Lang) -> String {
    match hop {
        "async" => format!(" ⇢({}) ", pair("异步", "async", lang)),
        "clinit" => format!(" →({}) ", pair("静态初始化", "static init", lang)),
        "component" => format!(" ⇒({}) ", pair("启动组件", "starts component", lang)),
        _ => " → ".to_string(),
    }
}

/// What runs a chain's first method (`application`, `receiver`, …) in the
/// report's language(s).
pub fn entry_name(kind: &str, lang: Lang) -> String {
    let (zh, en) = match kind {
        "application" => ("Application", "Application"),
        "provider" => ("ContentProvider", "ContentProvider"),
        "initializer" => ("启动初始化器", "androidx.startup initializer"),
        "receiver" => ("广播接收器", "receiver"),
        "service" => ("服务", "service"),
        "job" => ("后台任务", "job"),
        "periodic" => ("周期闹钟/任务", "periodic alarm/job"),
        other => (other, other),
    };
    if zh == en {
        zh.to_string()
    } else {
        pair(zh, en, lang)
    }
}

/// Columns a string takes in a terminal: East Asian wide characters take two.
pub fn width(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

/// `s` padded with spaces to `cols` terminal columns.
pub fn pad(s: &str, cols: usize) -> String {
    let w = width(s);
    let mut out = s.to_string();
    if w < cols {
        out.extend(std::iter::repeat_n(' ', cols - w));
    }
    out
}

/// Rows as aligned columns (two spaces apart, by terminal width), each line
/// indented by `indent` and without trailing spaces.
pub fn table(rows: &[Vec<String>], indent: &str) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| width(s))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let mut line = String::from(indent);
        for (c, cell) in r.iter().enumerate() {
            if c + 1 == r.len() {
                line.push_str(cell);
            } else {
                line.push_str(&pad(cell, widths[c] + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_take_two_columns() {
        assert_eq!(width("违规 violation"), 4 + 1 + 9);
        assert_eq!(pad("风险", 6), "风险  ");
        assert_eq!(pad("toolong", 3), "toolong");
    }

    #[test]
    fn short_texts_fall_back() {
        let t = Text {
            zh: "无隐私政策".into(),
            en: "No privacy policy".into(),
        };
        assert_eq!(short(&t, Lang::Both), "无隐私政策 / No privacy policy");
        assert_eq!(short(&t, Lang::En), "No privacy policy");
        let zh_only = Text {
            zh: "仅中文".into(),
            en: String::new(),
        };
        assert_eq!(short(&zh_only, Lang::En), "仅中文");
    }

    #[test]
    fn call_sites_read_like_smali() {
        let e = Evidence::Code {
            api: "android.telephony.TelephonyManager.getDeviceId".into(),
            caller: "Lcom/x/Y;->m()V".into(),
            dex: "classes.dex".into(),
            offset: 0x12,
            subject: "app".into(),
        };
        let line = evidence(&e, Lang::En, |s| s.to_string());
        assert!(
            line.contains("Lcom/x/Y;->m()V @0x12 (classes.dex)"),
            "{line}"
        );
        assert!(line.contains("getDeviceId"));
    }
}

#[cfg(test)]
mod chain_tests {
    use super::*;

    #[test]
    fn chains_read_as_class_method_arrows() {
        assert_eq!(short_method("Lcom/x/App$1;->run()V"), "com.x.App$1.run");
        assert_eq!(short_method("\"android_id\""), "\"android_id\"");
        let e = Evidence::Chain {
            entry: "receiver".into(),
            component: "com.x.Boot".into(),
            steps: vec![
                "Lcom/x/Boot;->onReceive(Landroid/content/Context;Landroid/content/Intent;)V".into(),
                "Lcom/x/Loc;->onStartCommand(Landroid/content/Intent;II)I".into(),
            ],
            hops: vec!["component".into()],
            target: "Landroid/location/LocationManager;->getLastKnownLocation(Ljava/lang/String;)Landroid/location/Location;".into(),
            dex: "classes.dex".into(),
            offset: 0x12,
            subject: "app".into(),
            gated: true,
        };
        let s = evidence(&e, Lang::En, |x| format!("`{x}`"));
        assert_eq!(
            s,
            "chain  [receiver com.x.Boot] `com.x.Boot.onReceive` ⇒(starts component) `com.x.Loc.onStartCommand` ⟶ `android.location.LocationManager.getLastKnownLocation` @0x12 (classes.dex) · app · after a consent check"
        );
    }
}

/// Each caveat of the report once: "注 1：…" / "Note 1: …" (one line per
/// language shown).
pub fn caveat_lines(a: &pipa_engine::Assessment, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    for (i, c) in a.caveats.iter().enumerate() {
        let n = i + 1;
        let labelled = Text {
            zh: format!("注 {n}：{}", c.text.zh.trim()),
            en: format!("Note {n}: {}", c.text.en.trim()),
        };
        out.extend(lines(&labelled, lang).into_iter().map(str::to_string));
    }
    out
}

/// A finding's pointer to its caveats, "见注 1 / see note 1", or `None`.
pub fn caveat_ref(
    a: &pipa_engine::Assessment,
    f: &pipa_engine::Finding,
    lang: Lang,
) -> Option<String> {
    let n = a.caveat_numbers(f);
    if n.is_empty() {
        return None;
    }
    let list = n
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join("、");
    let list_en = n
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    Some(match lang {
        Lang::Both => format!("见注 {list} / see note {list_en}"),
        Lang::Zh => format!("见注 {list}"),
        Lang::En => format!("see note {list_en}"),
    })
}

/// The description with its caveats written out, for formats whose rows
/// stand alone (XLSX, SARIF).
pub fn description_with_caveats(a: &pipa_engine::Assessment, f: &pipa_engine::Finding) -> Text {
    let mut t = f.description.clone();
    for c in a.caveats.iter().filter(|c| c.findings.contains(&f.id)) {
        for (out, add) in [(&mut t.zh, &c.text.zh), (&mut t.en, &c.text.en)] {
            if !out.is_empty()
                && !out.ends_with(char::is_whitespace)
                && !out.ends_with(['。', '；'])
            {
                out.push(' ');
            }
            out.push_str(add.trim());
        }
    }
    t
}
