//! The self-assessment questionnaire, the answers, the baseline and the exit
//! codes of `--fail-on`, end to end on a real registry app
//! (io.appium.settings 8.0.10, `scripts/fetch-fixtures.sh`). What each run
//! must show is derived from the plain scan of the same package, not written
//! down. Parts that need the fixture print a notice and pass without it; the
//! questionnaire and the errors always run.

mod common;
use common::pipa;

use pipa_testkit::fixture;
use serde_json::Value;
use std::ffi::OsStr;
use std::path::Path;
use std::process::Output;

const SETTINGS: &str = "appium-settings-8.0.10.apk";

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> Value {
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "stderr: {}",
        stderr(o)
    );
    serde_json::from_slice(&o.stdout).expect("JSON")
}

fn scan_json(apk: &Path, extra: &[&str]) -> (Value, Output) {
    let mut args: Vec<&OsStr> = vec!["scan".as_ref(), apk.as_os_str()];
    args.extend(["--format", "json"].iter().map(OsStr::new));
    args.extend(extra.iter().map(OsStr::new));
    let o = pipa(&args);
    (json(&o), o)
}

fn items(v: &Value) -> Vec<(String, String, bool)> {
    v["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap_or_default().to_string(),
                i["verdict"].as_str().unwrap_or_default().to_string(),
                i["by_statement"].as_bool().unwrap_or(false),
            )
        })
        .collect()
}

/// The questionnaire with every answer set by `answer(question id)`.
fn answered(
    template: &str,
    answer: impl Fn(&str) -> Option<(&'static str, &'static str)>,
) -> String {
    let mut out = String::new();
    let mut current = String::new();
    for line in template.lines() {
        let t = line.trim_start();
        if line.starts_with("  ")
            && !t.starts_with('#')
            && t.ends_with(':')
            && !line.starts_with("    ")
        {
            current = t.trim_end_matches(':').to_string();
        }
        if t.starts_with("answer:") {
            if let Some((a, _)) = answer(&current) {
                out.push_str(&format!("    answer: {a}\n"));
                continue;
            }
        } else if t.starts_with("note:")
            && let Some((_, n)) = answer(&current)
        {
            out.push_str(&format!("    note: {n:?}\n"));
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn question_ids(template: &str) -> Vec<String> {
    template
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   ") && l.trim_end().ends_with(':'))
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(|l| l.trim().trim_end_matches(':').to_string())
        .collect()
}

#[test]
fn questionnaire_lists_every_item_of_191_with_how_to_check() {
    let o = pipa(&["questionnaire"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    let ids = question_ids(&text);
    assert!(ids.len() >= 31, "{} questions", ids.len());
    // Every item of the report has a question, and a "how to check" line.
    let items: std::collections::BTreeSet<String> = ids
        .iter()
        .map(|q| {
            q.rsplit_once('.')
                .map(|(i, _)| i.to_string())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(items.len(), 31, "{items:?}");
    assert_eq!(text.matches("如何检查 / How to check").count(), 31);
    assert_eq!(
        text.matches("“是”须附证明 / Proof for yes").count(),
        ids.len(),
        "every question says what proof a yes needs"
    );
    assert!(text.contains("schema: pipa.answers/1"));
    let en = stdout(&pipa(&["questionnaire", "--lang", "en"]));
    assert!(!en.contains("如何检查"));
    assert_eq!(question_ids(&en), ids);
}

#[test]
fn answers_decide_manual_items_and_never_clear_evidence() {
    let Some(apk) = fixture(SETTINGS) else { return };
    let dir = tempfile::tempdir().expect("tmp");
    let (plain, _) = scan_json(&apk, &[]);
    let before = items(&plain);
    let template = stdout(&pipa(&[
        "questionnaire".as_ref(),
        apk.as_os_str(),
        "--lang".as_ref(),
        "en".as_ref(),
    ]));
    assert!(template.contains("app: io.appium.settings"));
    // The questionnaire shows pipa's verdict for each item of this package.
    for (id, verdict, _) in &before {
        let head = template
            .split(&format!("── {id} "))
            .nth(1)
            .unwrap_or_else(|| panic!("{id} in questionnaire"));
        assert!(
            head.contains(&format!("pipa's verdict now: {verdict}")),
            "{id}: {verdict}"
        );
    }

    // All yes: no item passes by statement (statements are not
    // verification): every manual item stays manual and is declared, shown
    // apart; the rest keep their verdicts.
    let yes = dir.path().join("yes.yaml");
    std::fs::write(
        &yes,
        answered(&template, |_| Some(("yes", "checked 2026-12"))),
    )
    .expect("write");
    let (v, o) = scan_json(&apk, &["--answers", yes.to_str().expect("utf8")]);
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    let after = items(&v);
    let mut changed = 0;
    for ((id, b, _), (id2, a, stated)) in before.iter().zip(&after) {
        assert_eq!(id, id2);
        match b.as_str() {
            "manual" => {
                assert_eq!(a, "manual", "{id}");
                assert!(!stated, "{id}");
                let item = v["items"]
                    .as_array()
                    .expect("items")
                    .iter()
                    .find(|i| i["id"] == *id);
                let item = item.expect("item");
                assert_eq!(item["declared"], "pass", "{id}");
                assert!(
                    item["statements"]
                        .as_array()
                        .expect("statements")
                        .iter()
                        .all(|s| s.get("unproven").is_none()),
                    "{id}: every yes has a note"
                );
                changed += 1;
            }
            _ => {
                assert_eq!(a, b, "{id}: evidence stands");
                assert!(!stated, "{id}");
            }
        }
    }
    assert!(changed > 0);
    assert_eq!(
        v["answers"]["items_changed"].as_array().map(Vec::len),
        Some(changed)
    );
    assert_eq!(
        v["answers"]["answered"].as_u64(),
        Some(question_ids(&template).len() as u64)
    );
    assert!(
        !v["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|i| i["verdict"] == "pass" && i["declared"].is_string()),
        "a declared item is never a pass"
    );
    // Statements carry the question and the note.
    let st = &v["items"][1]["statements"][0];
    assert_eq!(st["answer"], "yes");
    assert_eq!(st["note"], "checked 2026-12");
    // The plain scan's --fail-on outcome does not change with all-yes
    // answers (they make nothing pass, and nothing fail).
    for t in ["risk", "violation"] {
        let plain = pipa(&[
            "scan".as_ref(),
            apk.as_os_str(),
            "--fail-on".as_ref(),
            t.as_ref(),
        ]);
        let with = pipa(&[
            "scan".as_ref(),
            apk.as_os_str(),
            "--fail-on".as_ref(),
            t.as_ref(),
            "--answers".as_ref(),
            yes.as_os_str(),
        ]);
        assert_eq!(plain.status.code(), with.status.code(), "--fail-on {t}");
    }

    // `yes` with empty notes: declared, and every such statement unproven;
    // the reports say so.
    let bare = dir.path().join("bare.yaml");
    std::fs::write(&bare, answered(&template, |_| Some(("yes", "")))).expect("write");
    let (v, _) = scan_json(&apk, &["--answers", bare.to_str().expect("utf8")]);
    let declared: Vec<&Value> = v["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| i["declared"].is_string())
        .collect();
    assert_eq!(declared.len(), changed);
    for i in &declared {
        assert_eq!(i["verdict"], "manual");
        for st in i["statements"].as_array().expect("statements") {
            assert_eq!(st["unproven"], true, "{}", i["id"]);
        }
    }
    let md = stdout(&pipa(&[
        "scan".as_ref(),
        apk.as_os_str(),
        "--format".as_ref(),
        "md".as_ref(),
        "--answers".as_ref(),
        bare.as_os_str(),
    ]));
    assert!(md.contains("自述 declared"), "{md}");
    assert!(md.contains("未证明 unproven"), "{md}");

    // A `no` on a manual item is a violation by the developer's own
    // statement: --fail-on violation fails naming it; n/a everywhere on an
    // item makes it not applicable.
    let manual: Vec<&String> = before
        .iter()
        .filter(|(_, v, _)| v == "manual")
        .map(|(id, _, _)| id)
        .collect();
    let target = manual[0].clone();
    let na_item = manual[1].clone();
    let mixed = dir.path().join("mixed.yaml");
    std::fs::write(
        &mixed,
        answered(&template, |q| {
            if q.starts_with(&format!("{target}.")) {
                Some(("no", "not yet"))
            } else if q.starts_with(&format!("{na_item}.")) {
                Some(("na", ""))
            } else {
                None
            }
        }),
    )
    .expect("write");
    let (v, _) = scan_json(&apk, &["--answers", mixed.to_str().expect("utf8")]);
    for (id, verdict, stated) in items(&v) {
        if id == target {
            assert_eq!((verdict.as_str(), stated), ("violation", true), "{id}");
        } else if id == na_item {
            assert_eq!((verdict.as_str(), stated), ("manual", false), "{id}");
            let item = v["items"]
                .as_array()
                .expect("items")
                .iter()
                .find(|i| i["id"] == *id);
            assert_eq!(item.expect("item")["declared"], "not_applicable", "{id}");
        } else {
            let b = &before.iter().find(|(i, _, _)| *i == id).expect("item").1;
            assert_eq!(&verdict, b, "{id}: unanswered items keep their verdict");
        }
    }
    let plain_fails = pipa(&[
        "scan".as_ref(),
        apk.as_os_str(),
        "--fail-on".as_ref(),
        "violation".as_ref(),
    ]);
    let o = pipa(&[
        "scan".as_ref(),
        apk.as_os_str(),
        "--fail-on".as_ref(),
        "violation".as_ref(),
        "--answers".as_ref(),
        mixed.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("violation {target} (developer's answer)")),
        "{}",
        stderr(&o)
    );
    if plain_fails.status.code() == Some(0) {
        assert_eq!(
            stderr(&o).matches("\n  ").count(),
            1,
            "only the stated item: {}",
            stderr(&o)
        );
    }
    // Reports show the statements as statements.
    let md = stdout(&pipa(&[
        "scan".as_ref(),
        apk.as_os_str(),
        "--format".as_ref(),
        "md".as_ref(),
        "--answers".as_ref(),
        mixed.as_os_str(),
    ]));
    assert!(
        md.contains("## 开发者声明 The developer's statements"),
        "{md}"
    );
    assert!(md.contains("not yet"));
    assert!(md.contains("* 结论来自开发者的问卷回答"));
    let text = stdout(&pipa(&[
        "scan".as_ref(),
        apk.as_os_str(),
        "--answers".as_ref(),
        mixed.as_os_str(),
    ]));
    assert!(text.contains("Developer's statements"), "{text}");
}

#[test]
fn bad_answers_files_are_one_line_errors_and_unknown_ids_warnings() {
    let Some(apk) = fixture(SETTINGS) else { return };
    let dir = tempfile::tempdir().expect("tmp");
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "schema: pipa.answers/1\nanswers:\n  191-1.2.first-run:\n    answer: maybe\n",
    )
    .expect("w");
    let o = pipa(&[
        "scan".as_ref(),
        apk.as_os_str(),
        "--answers".as_ref(),
        bad.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("pipa: error: ") && err.contains("bad.yaml") && err.contains("maybe"),
        "{err}"
    );
    let missing = dir.path().join("none.yaml");
    let o = pipa(&[
        "scan".as_ref(),
        apk.as_os_str(),
        "--answers".as_ref(),
        missing.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("none.yaml: cannot read"),
        "{}",
        stderr(&o)
    );
    let unknown = dir.path().join("unknown.yaml");
    std::fs::write(&unknown, "answers:\n  9.9.nothing:\n    answer: yes\n").expect("w");
    let (v, o) = scan_json(&apk, &["--answers", unknown.to_str().expect("utf8")]);
    assert!(
        stderr(&o).contains("no such question (ignored): 9.9.nothing"),
        "{}",
        stderr(&o)
    );
    assert_eq!(v["answers"]["unknown"][0], "9.9.nothing");
}

#[test]
fn baseline_accepts_justified_findings_and_gates_the_rest() {
    let Some(apk) = fixture(SETTINGS) else { return };
    let dir = tempfile::tempdir().expect("tmp");
    let (plain, _) = scan_json(&apk, &[]);
    let gating: Vec<String> = plain["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| matches!(f["verdict"].as_str(), Some("risk" | "violation")))
        .map(|f| f["id"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(!gating.is_empty(), "the app has risk findings to accept");
    let scan = |extra: &[&OsStr]| {
        let mut args: Vec<&OsStr> = vec!["scan".as_ref(), apk.as_os_str()];
        args.extend_from_slice(extra);
        pipa(&args)
    };
    let file = dir.path().join("pipa-baseline.json");
    let f = file.as_os_str();

    // Without a baseline --fail-on risk fails, listing every finding.
    let o = scan(&["--fail-on".as_ref(), "risk".as_ref()]);
    assert_eq!(o.status.code(), Some(1));
    for id in &gating {
        assert!(
            stderr(&o).contains(&format!(" {id} ")),
            "{id}: {}",
            stderr(&o)
        );
    }

    // --write-baseline lists them with empty justifications, which --baseline refuses.
    let o = scan(&["--write-baseline".as_ref(), f]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let written: Value =
        serde_json::from_slice(&std::fs::read(&file).expect("read")).expect("json");
    assert_eq!(written["schema"], "pipa.baseline/1");
    let ids: Vec<&str> = written["accepted"]
        .as_array()
        .expect("accepted")
        .iter()
        .map(|e| e["finding"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(ids, gating.iter().map(String::as_str).collect::<Vec<_>>());
    let o = scan(&[
        "--baseline".as_ref(),
        f,
        "--fail-on".as_ref(),
        "risk".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("pipa-baseline.json") && stderr(&o).contains("without a justification"),
        "{}",
        stderr(&o)
    );

    // Justified: the gate passes, the findings stay in the report, marked.
    let mut b = written.clone();
    for e in b["accepted"].as_array_mut().expect("arr") {
        e["justification"] = "test instrumentation app, never distributed to users".into();
        e["by"] = "qa".into();
    }
    std::fs::write(&file, serde_json::to_string_pretty(&b).expect("ser")).expect("w");
    let o = scan(&[
        "--baseline".as_ref(),
        f,
        "--fail-on".as_ref(),
        "risk".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (v, _) = scan_json(&apk, &["--baseline", file.to_str().expect("utf8")]);
    assert_eq!(
        v["baseline"]["accepted"].as_array().map(Vec::len),
        Some(gating.len())
    );
    assert_eq!(
        v["findings"].as_array().map(Vec::len),
        plain["findings"].as_array().map(Vec::len)
    );
    let text = stdout(&scan(&["--baseline".as_ref(), f]));
    assert!(
        text.contains("已接受（基线） accepted (baseline): test instrumentation app"),
        "{text}"
    );

    // Rewriting keeps the justifications.
    let o = scan(&["--baseline".as_ref(), f, "--write-baseline".as_ref(), f]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let again: Value = serde_json::from_slice(&std::fs::read(&file).expect("read")).expect("json");
    assert_eq!(again, b);

    // One entry removed: exactly that finding fails the gate.
    let mut fewer = b.clone();
    let dropped = fewer["accepted"].as_array_mut().expect("arr").remove(0);
    let dropped = dropped["finding"].as_str().expect("id").to_string();
    std::fs::write(&file, serde_json::to_string(&fewer).expect("ser")).expect("w");
    let o = scan(&[
        "--baseline".as_ref(),
        f,
        "--fail-on".as_ref(),
        "risk".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(&format!(" {dropped} ")),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains(": 1 finding(s)"), "{}", stderr(&o));

    // Expired acceptance counts again; an entry matching nothing is reported.
    let mut old = b.clone();
    old["accepted"][0]["until"] = "2020-01-01".into();
    old["accepted"]
        .as_array_mut()
        .expect("arr")
        .push(serde_json::json!({"finding": "gone.finding", "verdict": "risk", "justification": "was fixed"}));
    std::fs::write(&file, serde_json::to_string(&old).expect("ser")).expect("w");
    let o = scan(&[
        "--baseline".as_ref(),
        f,
        "--fail-on".as_ref(),
        "risk".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("past their `until` date") && err.contains(&dropped),
        "{err}"
    );
    assert!(
        err.contains("match no finding any more") && err.contains("gone.finding"),
        "{err}"
    );
}

#[test]
fn baseline_errors_name_the_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("b.json");
    std::fs::write(&file, "{\"schema\": \"pipa.baseline/1\", \"accepted\": [ ").expect("w");
    // The file is read before the package: the error comes whatever the APK.
    let apk = fixture(SETTINGS);
    let Some(apk) = apk else { return };
    let o = pipa(&[
        "scan".as_ref(),
        apk.as_os_str(),
        "--baseline".as_ref(),
        file.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("b.json: not a pipa baseline"), "{err}");
}
