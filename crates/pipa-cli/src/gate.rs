//! `pipa questionnaire`, `scan --answers`, `scan --baseline` and
//! `scan --write-baseline`: reading and writing the files; the logic is
//! `pipa_engine::gate`.

use crate::LangArg;
use pipa_engine::Assessment;
use pipa_engine::gate::{self, Answers, Baseline};
use pipa_kb::{IfNo, Kb};
use pipa_report::Lang;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct QuestionnaireArgs {
    /// An APK: each question then shows pipa's current verdict for its item
    /// (questions of items the package already decides stay, marked).
    pub apk: Option<PathBuf>,
    /// Write to this file instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Language of the comments (both: Chinese with English beside, the default; zh: Chinese only; en: English only).
    #[arg(long, value_enum, default_value_t = LangArg::Both)]
    pub lang: LangArg,
}

pub fn run_questionnaire(args: QuestionnaireArgs) -> anyhow::Result<()> {
    let (kb, a) = match &args.apk {
        Some(path) => {
            let s =
                pipa_scan::assess(pipa_scan::Input::Path(path), &pipa_scan::Options::default())?;
            let (a, kb) = (s.assessment, s.kb);
            (kb, Some(a))
        }
        None => (pipa_scan::load_kb()?, None),
    };
    let text = questionnaire(&kb, a.as_ref(), args.lang.into());
    crate::emit(args.output.as_ref(), &text)
}

/// The questionnaire as a YAML answers file to fill in, the questions and
/// how to check them as comments.
fn questionnaire(kb: &Kb, a: Option<&Assessment>, lang: Lang) -> String {
    let mut s = String::new();
    let l = |zh: &str, e: &str| -> String { lang.pick(zh, e, format!("{zh} / {e}")) };
    let _ = writeln!(
        s,
        "# pipa {} — 《App违法违规收集使用个人信息行为认定方法》",
        l("自评估问卷", "self-assessment questionnaire")
    );
    // Chinese line, then English line (one of them with --lang zh / en).
    for (zh, e) in [
        (
            "每题回答 yes（符合）/ no（不符合）/ na（不适用），并在 note 中写明依据：界面路径、截图、流程或记录。",
            "Answer each question yes (complies) / no (does not) / na (does not apply), with a note: screen path, screenshot, procedure or record.",
        ),
        (
            "然后：pipa scan app.apk --answers answers.yaml",
            "Then: pipa scan app.apk --answers answers.yaml",
        ),
        (
            "回答是开发者的声明，报告中如此标示；声明不能抵消安装包中的证据（已为风险或违规的条款不会因“是”而通过）。",
            "Answers are the developer's statements and are shown as such; they never clear evidence found in the package.",
        ),
        (
            "“是”从不计为通过：安装包无法判定的条款显示为“自述”，与结论分开；“是”而备注中没有题目要求的证明，显示为“未证明”。",
            "A yes never counts as a pass: items the package cannot decide are shown as declared, apart from the verdicts; a yes without the proof its question asks for in the note is shown as unproven.",
        ),
    ] {
        if lang != Lang::En {
            let _ = writeln!(s, "# {zh}");
        }
        if lang != Lang::Zh {
            let _ = writeln!(s, "# {e}");
        }
    }
    let _ = writeln!(s, "schema: {}", gate::ANSWERS_SCHEMA);
    if let Some(a) = a {
        let _ = writeln!(s, "app: {}", yaml_scalar(&a.app.id));
    }
    let _ = writeln!(s, "answers:");
    let mut last_item = "";
    for q in &kb.questions {
        if q.item != last_item {
            last_item = &q.item;
            let title = kb
                .rule(&q.item)
                .map(|r| l(&r.title.zh, &r.title.en))
                .unwrap_or_default();
            let _ = writeln!(s, "\n  # ── {} {title} ──", q.item);
            if let Some(item) = a.and_then(|a| a.items.iter().find(|i| i.id == q.item)) {
                let _ = writeln!(
                    s,
                    "  # {}: {}{}",
                    l("pipa 当前结论", "pipa's verdict now"),
                    item.verdict.as_str(),
                    if item.findings.is_empty() {
                        String::new()
                    } else {
                        format!(" ({} findings: pipa scan --format md)", item.findings.len())
                    }
                );
            }
            if let Some(m) = kb.rule(&q.item).and_then(|r| r.manual.as_ref()) {
                comment(&mut s, &l("如何检查", "How to check"), &m.zh, &m.en, lang);
            }
        }
        comment(&mut s, &l("问", "Q"), &q.question.zh, &q.question.en, lang);
        comment(&mut s, &l("为何", "Why"), &q.why.zh, &q.why.en, lang);
        if let Some(p) = &q.proof {
            comment(
                &mut s,
                &l("“是”须附证明", "Proof for yes"),
                &p.zh,
                &p.en,
                lang,
            );
        }
        let no = match q.if_no {
            IfNo::Violation => l("违规", "violation"),
            IfNo::Risk => l("风险", "risk"),
        };
        let _ = writeln!(s, "  # {} → {no}", l("否", "no"));
        let _ = writeln!(s, "  {}:", q.id);
        let _ = writeln!(s, "    answer:    # yes | no | na");
        let _ = writeln!(s, "    note: \"\"");
    }
    s
}

/// A comment line (zh, then en on its own line; one of them with
/// `--lang zh` / `--lang en`).
fn comment(s: &mut String, label: &str, zh: &str, en_text: &str, lang: Lang) {
    let one = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    match lang {
        Lang::En => {
            let _ = writeln!(s, "  # {label}: {}", one(en_text));
        }
        Lang::Zh => {
            let _ = writeln!(s, "  # {label}: {}", one(zh));
        }
        Lang::Both => {
            let _ = writeln!(s, "  # {label}: {}", one(zh));
            let _ = writeln!(s, "  #   {}", one(en_text));
        }
    }
}

/// A YAML plain scalar if safe, else double-quoted.
fn yaml_scalar(v: &str) -> String {
    if !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        v.to_string()
    } else {
        serde_json::to_string(v).unwrap_or_default()
    }
}

/// Reads the answers file (YAML, or JSON): done before the package is read,
/// so a mistake in it costs no scan.
pub fn load_answers(path: &Path) -> anyhow::Result<Answers> {
    let text = read(path)?;
    let answers: Answers = serde_yaml_ng::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{}: not an answers file: {e}", path.display()))?;
    if let Some(schema) = &answers.schema
        && schema != gate::ANSWERS_SCHEMA
    {
        anyhow::bail!(
            "{}: schema is `{schema}`, expected `{}`",
            path.display(),
            gate::ANSWERS_SCHEMA
        );
    }
    Ok(answers)
}

/// Applies the answers read by [`load_answers`], warning about another app's
/// answers and unknown question ids.
pub fn apply_answers(a: &mut Assessment, kb: &Kb, answers: &Answers, path: &Path) {
    let mut warn = std::io::stderr().lock();
    if let Some(app) = &answers.app
        && app != &a.app.id
    {
        let _ = writeln!(
            warn,
            "pipa: warning: {}: answers are for `{app}`, the package is `{}`",
            path.display(),
            a.app.id
        );
    }
    gate::apply_answers(a, kb, answers, &path.display().to_string());
    if let Some(info) = &a.answers
        && !info.unknown.is_empty()
    {
        let _ = writeln!(
            warn,
            "pipa: warning: {}: no such question (ignored): {}",
            path.display(),
            info.unknown.join(", ")
        );
    }
}

fn read(path: &Path) -> anyhow::Result<String> {
    let bytes =
        std::fs::read(path).map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", path.display()))?;
    // Answers and baselines are small; a huge file is a mistake, not data.
    if bytes.len() > 4 << 20 {
        anyhow::bail!("{}: larger than 4 MiB", path.display());
    }
    String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("{}: not UTF-8 text", path.display()))
}

fn load_baseline(path: &Path) -> anyhow::Result<Baseline> {
    let text = read(path)?;
    serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{}: not a pipa baseline: {e}", path.display()))
}

/// Reads and validates the baseline (before the package is read).
pub fn read_baseline(path: &Path) -> anyhow::Result<Baseline> {
    let b = load_baseline(path)?;
    gate::validate_baseline(&b).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    Ok(b)
}

/// Applies the baseline read by [`read_baseline`], reporting entries that
/// expired, got worse or match nothing.
pub fn apply_baseline(a: &mut Assessment, kb: &Kb, b: &Baseline, path: &Path) {
    gate::apply_baseline(a, kb, b, &path.display().to_string(), &gate::today_utc());
    if let Some(info) = &a.baseline {
        let mut warn = std::io::stderr().lock();
        for (what, list) in [
            ("past their `until` date, counted again", &info.expired),
            ("worse than when accepted, counted again", &info.worse),
            (
                "match no finding any more (fixed? remove them)",
                &info.stale,
            ),
        ] {
            if !list.is_empty() {
                let _ = writeln!(
                    warn,
                    "pipa: baseline {}: {} entr{} {what}: {}",
                    path.display(),
                    list.len(),
                    if list.len() == 1 { "y" } else { "ies" },
                    list.join(", ")
                );
            }
        }
    }
}

/// Writes the risk and violation findings of `a` as a baseline, keeping the
/// justifications of the file already there.
pub fn write_baseline(a: &Assessment, path: &Path) -> anyhow::Result<()> {
    let previous = if path.exists() {
        Some(load_baseline(path)?)
    } else {
        None
    };
    let b = gate::baseline_of(a, previous.as_ref());
    let open = b
        .accepted
        .iter()
        .filter(|e| e.justification.trim().is_empty())
        .count();
    let mut text = serde_json::to_string_pretty(&b)?;
    text.push('\n');
    std::fs::write(path, text)
        .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", path.display()))?;
    let _ = writeln!(
        std::io::stderr(),
        "pipa: wrote {} finding(s) to {}; {open} need a written justification before --baseline accepts the file",
        b.accepted.len(),
        path.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questionnaire_parses_as_an_empty_answers_file() {
        let kb = pipa_scan::load_kb().expect("kb");
        for lang in [Lang::Both, Lang::Zh, Lang::En] {
            let text = questionnaire(&kb, None, lang);
            let parsed: Answers = serde_yaml_ng::from_str(&text).expect("valid YAML");
            assert_eq!(parsed.schema.as_deref(), Some(gate::ANSWERS_SCHEMA));
            assert_eq!(parsed.answers.len(), kb.questions.len());
            assert!(parsed.answers.values().all(|e| e.answer.is_none()));
            for q in &kb.questions {
                assert_eq!(text.contains(&q.question.en), lang != Lang::Zh, "{}", q.id);
                assert_eq!(text.contains(&q.question.zh), lang != Lang::En, "{}", q.id);
            }
        }
    }

    #[test]
    fn scalars() {
        assert_eq!(yaml_scalar("com.example.app"), "com.example.app");
        assert_eq!(yaml_scalar("a: b"), "\"a: b\"");
        assert_eq!(yaml_scalar(""), "\"\"");
    }
}
