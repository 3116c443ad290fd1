//! End to end: `pipa diff` on three real versions of io.appium.settings
//! (3.6.0, 5.0.0 and 8.0.10 from npm; `scripts/fetch-fixtures.sh`).
//!
//! Every expected change is computed in the test from what `pipa inspect
//! --format json` and `pipa scan --format json` say about each version, and
//! the permission changes also from `aapt dump permissions` (an independent
//! oracle; skipped when aapt is absent). A version against itself shows no
//! change. Errors name the file. Parts that need a fixture print a notice and
//! pass when it is absent.

mod common;
use common::pipa;

use pipa_testkit::{fixture, have_tool};
use serde_json::Value;
use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Output};

const V3: &str = "appium-settings-3.6.0.apk";
const V5: &str = "appium-settings-5.0.0.apk";
const V8: &str = "appium-settings-8.0.10.apk";

fn stdout_json(out: &Output) -> Value {
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

fn json(cmd: &str, apk: &Path) -> Value {
    stdout_json(&pipa(&[
        OsStr::new(cmd),
        apk.as_os_str(),
        OsStr::new("--format"),
        OsStr::new("json"),
    ]))
}

fn diff(old: &Path, new: &Path, extra: &[&str]) -> Output {
    let mut args: Vec<&OsStr> = vec!["diff".as_ref(), old.as_os_str(), new.as_os_str()];
    args.extend(extra.iter().map(OsStr::new));
    pipa(&args)
}

fn diff_json(old: &Path, new: &Path) -> Value {
    let out = diff(old, new, &["--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout_json(&out)
}

fn strs(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// `key` of each element of the array `v`.
fn field(v: &Value, key: &str) -> BTreeSet<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x[key].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn minus(a: &BTreeSet<String>, b: &BTreeSet<String>) -> BTreeSet<String> {
    a.difference(b).cloned().collect()
}

/// The diff's added and removed `key`s of `v` (`{added, removed}`).
fn added_removed(v: &Value, key: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    (field(&v["added"], key), field(&v["removed"], key))
}

/// `aapt dump permissions`: the requested permission names; None without aapt.
fn aapt_permissions(apk: &Path) -> Option<BTreeSet<String>> {
    if !have_tool("aapt") {
        eprintln!("notice: aapt absent; the aapt oracle is skipped");
        return None;
    }
    let out = Command::new("aapt")
        .args(["dump", "permissions"])
        .arg(apk)
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "aapt dump permissions {}",
        apk.display()
    );
    Some(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| {
                let rest = l
                    .strip_prefix("uses-permission: name='")
                    .or_else(|| l.strip_prefix("uses-permission-sdk-23: name='"))?;
                Some(rest.split('\'').next()?.to_string())
            })
            .collect(),
    )
}

/// PI types a scan shows the version collecting: its code, its permissions,
/// its SDKs' declared collection.
fn collected(scan: &Value) -> BTreeSet<String> {
    let mut s = field(&scan["api_uses"], "pi_type");
    for p in scan["permissions"].as_array().into_iter().flatten() {
        s.extend(strs(&p["pi_types"]));
    }
    for p in scan["sdks"].as_array().into_iter().flatten() {
        s.extend(strs(&p["collects"]));
    }
    s
}

/// `subject|pi_type` pairs of the code's call sites.
fn subject_pi(scan: &Value) -> BTreeSet<String> {
    scan["api_uses"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|u| {
            format!(
                "{}|{}",
                u["subject"].as_str().unwrap_or(""),
                u["pi_type"].as_str().unwrap_or("")
            )
        })
        .collect()
}

/// Reached calls as `api_id|subject|pi_type|gated`.
fn reached(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            format!(
                "{}|{}|{}|{}",
                r["api_id"].as_str().unwrap_or(""),
                r["subject"].as_str().unwrap_or(""),
                r["pi_type"].as_str().unwrap_or(""),
                r["gated"]
            )
        })
        .collect()
}

fn sdk_init(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .map(|r| format!("{}|{}", r["sdk"].as_str().unwrap_or(""), r["gated"]))
        .collect()
}

fn pair_of(
    d: &Value,
    key: &str,
    f: fn(&Value) -> BTreeSet<String>,
) -> (BTreeSet<String>, BTreeSet<String>) {
    (f(&d[key]["added"]), f(&d[key]["removed"]))
}

/// Checks the diff of `old` → `new` against the two scans, inspects and aapt.
/// Returns the diff.
fn check_pair(old: &Path, new: &Path) -> Value {
    let d = diff_json(old, new);
    let (so, sn) = (json("scan", old), json("scan", new));
    let (io, inn) = (json("inspect", old), json("inspect", new));
    assert_eq!(d["schema"], "pipa.diff/1");

    // Both versions, as scan sees them.
    for (side, s) in [("old", &so), ("new", &sn)] {
        assert_eq!(d[side]["id"], s["app"]["id"]);
        assert_eq!(d[side]["version_name"], s["app"]["version_name"]);
        assert_eq!(d[side]["version_code"], s["app"]["version_code"]);
        assert_eq!(d[side]["sha256"], s["input"]["sha256"]);
    }
    assert_eq!(d["same_app"], true);

    // Permissions: inspect's manifest, and aapt.
    let perms_i = |i: &Value| field(&i["manifest"]["permissions"], "name");
    let (pa, pr) = added_removed(&d["permissions"], "name");
    assert_eq!(
        pa,
        minus(&perms_i(&inn), &perms_i(&io)),
        "permissions added vs inspect"
    );
    assert_eq!(
        pr,
        minus(&perms_i(&io), &perms_i(&inn)),
        "permissions removed vs inspect"
    );
    if let (Some(ao), Some(an)) = (aapt_permissions(old), aapt_permissions(new)) {
        assert_eq!(pa, minus(&an, &ao), "permissions added vs aapt");
        assert_eq!(pr, minus(&ao, &an), "permissions removed vs aapt");
    }
    // Each added permission carries scan's dangerous flag and PI types.
    for p in d["permissions"]["added"].as_array().into_iter().flatten() {
        let s = sn["permissions"]
            .as_array()
            .and_then(|a| a.iter().find(|x| x["name"] == p["name"]))
            .expect("in the new scan");
        assert_eq!(p["dangerous"], s["dangerous"]);
        assert_eq!(p["pi_types"], s["pi_types"]);
    }

    // SDKs.
    let (sa, sr) = added_removed(&d["sdks"], "id");
    let ids = |s: &Value| field(&s["sdks"], "id");
    assert_eq!(sa, minus(&ids(&sn), &ids(&so)));
    assert_eq!(sr, minus(&ids(&so), &ids(&sn)));

    // PI types collected (code, permissions, SDKs), and per subject.
    let (ca, cr) = added_removed(&d["pi_types"], "pi_type");
    assert_eq!(
        ca,
        minus(&collected(&sn), &collected(&so)),
        "PI types added"
    );
    assert_eq!(
        cr,
        minus(&collected(&so), &collected(&sn)),
        "PI types removed"
    );
    let sp = |v: &Value| -> BTreeSet<String> {
        v.as_array()
            .into_iter()
            .flatten()
            .map(|x| {
                format!(
                    "{}|{}",
                    x["subject"].as_str().unwrap_or(""),
                    x["pi_type"].as_str().unwrap_or("")
                )
            })
            .collect()
    };
    assert_eq!(
        sp(&d["collection"]["added"]),
        minus(&subject_pi(&sn), &subject_pi(&so))
    );
    assert_eq!(
        sp(&d["collection"]["removed"]),
        minus(&subject_pi(&so), &subject_pi(&sn))
    );
    // Example call sites are real call sites of that version.
    for x in d["collection"]["added"].as_array().into_iter().flatten() {
        for e in x["examples"].as_array().into_iter().flatten() {
            assert!(
                sn["api_uses"].as_array().is_some_and(|a| a
                    .iter()
                    .any(|u| u["caller"] == e["caller"]
                        && u["api"] == e["api"]
                        && u["offset"] == e["offset"])),
                "{e} not a call site of the new scan"
            );
        }
    }

    // Start-up and background.
    let ro = &so["reachability"];
    let rn = &sn["reachability"];
    for key in ["before_consent", "background"] {
        let (a, r) = pair_of(&d["startup"], key, reached);
        assert_eq!(
            a,
            minus(&reached(&rn[key]), &reached(&ro[key])),
            "{key} added"
        );
        assert_eq!(
            r,
            minus(&reached(&ro[key]), &reached(&rn[key])),
            "{key} removed"
        );
    }
    let (a, r) = pair_of(&d["startup"], "sdk_init", sdk_init);
    assert_eq!(
        a,
        minus(&sdk_init(&rn["sdk_init"]), &sdk_init(&ro["sdk_init"]))
    );
    assert_eq!(
        r,
        minus(&sdk_init(&ro["sdk_init"]), &sdk_init(&rn["sdk_init"]))
    );

    // Items whose verdict changed.
    let verdicts = |s: &Value| -> BTreeSet<String> {
        s["items"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|i| {
                format!(
                    "{}|{}",
                    i["id"].as_str().unwrap_or(""),
                    i["verdict"].as_str().unwrap_or("")
                )
            })
            .collect()
    };
    let changed_items: BTreeSet<String> = minus(&verdicts(&sn), &verdicts(&so))
        .iter()
        .map(|s| s.split('|').next().unwrap_or("").to_string())
        .collect();
    assert_eq!(field(&d["items"], "id"), changed_items);

    // Findings by id.
    let (fa, fr) = added_removed(&d["findings"], "id");
    let fids = |s: &Value| field(&s["findings"], "id");
    assert_eq!(fa, minus(&fids(&sn), &fids(&so)));
    assert_eq!(fr, minus(&fids(&so), &fids(&sn)));

    // 191-2.2: every new PI type the new policy does not declare (none of
    // these versions has a policy, so every one) is a risk.
    assert!(sn.get("policy").is_none() && so.get("policy").is_none());
    assert_eq!(d["policy"]["state"], "none");
    let risks: BTreeSet<String> = field(&d["diff_findings"], "id")
        .into_iter()
        .filter_map(|id| id.strip_prefix("diff.pi_new_undeclared.").map(String::from))
        .collect();
    assert_eq!(risks, ca);
    for f in d["diff_findings"].as_array().into_iter().flatten() {
        assert_eq!(f["rule_ids"][0], "191-2.2");
        assert_eq!(f["verdict"], "risk");
    }
    d
}

fn non_empty(v: &Value) -> bool {
    v.as_array().is_some_and(|a| !a.is_empty())
}

fn any(v: &Value, f: impl Fn(&Value) -> bool) -> bool {
    v.as_array().is_some_and(|a| a.iter().any(f))
}

/// `--fail-on new-collection`, from the diff's JSON.
fn gate_new_collection(d: &Value) -> bool {
    non_empty(&d["pi_types"]["added"])
        || any(&d["permissions"]["added"], |p| p["dangerous"] == true)
        || non_empty(&d["sdks"]["added"])
        || non_empty(&d["startup"]["before_consent"]["added"])
}

/// `--fail-on risk`, from the diff's JSON.
fn gate_risk(d: &Value) -> bool {
    let bad = |v: &Value| v == "risk" || v == "violation";
    let rank = |v: &Value| match v.as_str() {
        Some("violation") => 0,
        Some("risk") => 1,
        Some("manual") => 2,
        _ => 3,
    };
    non_empty(&d["diff_findings"])
        || any(&d["findings"]["added"], |f| bad(&f["verdict"]))
        || any(&d["findings"]["verdict_changed"], |f| {
            bad(&f["new"]) && rank(&f["new"]) < rank(&f["old"])
        })
        || any(&d["items"], |i| i["worse"] == true && bad(&i["new"]))
}

#[test]
fn real_versions_diff_matches_scan_inspect_and_aapt() {
    let (Some(v3), Some(v5), Some(v8)) = (fixture(V3), fixture(V5), fixture(V8)) else {
        return;
    };
    let d35 = check_pair(&v3, &v5);
    let d58 = check_pair(&v5, &v8);
    // The pairs differ meaningfully (else the checks above prove little):
    // 5.0.0 adds RECORD_AUDIO and records (new PI, so 191-2.2 risks without
    // a policy), 8.0.10 adds more permissions.
    assert!(
        d35["summary"]["pi_types_added"].as_u64() > Some(0),
        "{}",
        d35["summary"]
    );
    assert!(non_empty(&d35["diff_findings"]));
    assert!(
        d35["summary"]["permissions_added"].as_u64() > Some(0),
        "{}",
        d35["summary"]
    );
    assert!(
        d58["summary"]["permissions_added"].as_u64() > Some(0),
        "{}",
        d58["summary"]
    );
    assert!(d35["summary"]["changed"] == true && d58["summary"]["changed"] == true);

    // --fail-on: exit 1 with reasons exactly when the gate has them.
    for (pair, d) in [((&v3, &v5), &d35), ((&v5, &v8), &d58)] {
        let out = diff(
            pair.0,
            pair.1,
            &["--fail-on", "risk,new-collection", "--lang", "en"],
        );
        let risky = gate_new_collection(d) || gate_risk(d);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(if risky { 1 } else { 0 }), "{err}");
        if risky {
            assert!(err.contains("pipa: --fail-on "), "{err}");
        }
        // The text lists each added permission once, with `+`.
        let t = String::from_utf8_lossy(&out.stdout);
        for p in d["permissions"]["added"].as_array().into_iter().flatten() {
            let line = format!("+ {}", p["name"].as_str().unwrap_or(""));
            assert_eq!(t.matches(&line).count(), 1, "{line} in {t}");
        }
    }
}

#[test]
fn a_version_against_itself_changes_nothing() {
    let Some(v5) = fixture(V5) else { return };
    let d = diff_json(&v5, &v5);
    assert_eq!(d["summary"]["changed"], false, "{}", d["summary"]);
    for key in ["permissions", "sdks", "pi_types", "collection", "findings"] {
        assert_eq!(d[key]["added"].as_array().map(Vec::len), Some(0), "{key}");
        assert_eq!(d[key]["removed"].as_array().map(Vec::len), Some(0), "{key}");
    }
    assert_eq!(d["items"].as_array().map(Vec::len), Some(0));
    assert_eq!(d["diff_findings"].as_array().map(Vec::len), Some(0));
    let out = diff(
        &v5,
        &v5,
        &["--fail-on", "new-collection,risk,violation", "--lang", "en"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("No change in PI collection"));
    // Markdown to a file.
    let dir = tempfile::tempdir().expect("tempdir");
    let md = dir.path().join("diff.md");
    let out = diff(
        &v5,
        &v5,
        &["--format", "md", "-o", md.to_str().expect("utf-8 path")],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let s = std::fs::read_to_string(&md).expect("written");
    assert!(
        s.starts_with("# pipa 版本对比 pipa diff: io.appium.settings"),
        "{s}"
    );
}

/// The fixture policies of `pipa-engine`'s diff test: 1.0 declares the
/// device identifier, 2.0 adds location.
fn fixture_policy(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../pipa-engine/tests/diff")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn policies_given_on_the_command_line() {
    let (Some(v3), Some(v5)) = (fixture(V3), fixture(V5)) else {
        return;
    };
    let (p1, p2) = (
        fixture_policy("policy-1.0.txt"),
        fixture_policy("policy-2.0.txt"),
    );
    // The fixture policies are a few lines, not whole policies: `--force`
    // (policy_refusal.rs tests the refusal).
    let json = |extra: &[&str]| {
        let mut args = vec!["--format", "json", "--force"];
        args.extend_from_slice(extra);
        let out = diff(&v3, &v5, &args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout_json(&out)
    };
    let bare = json(&[]);
    // One policy for both: unchanged, by the text's hash.
    let same = json(&["--policy", &p1]);
    assert_eq!(same["policy"]["state"], "unchanged");
    assert_eq!(same["policy"]["compared_by"], "sha256");
    let sha = same["old"]["policy"]["sha256"].as_str().expect("sha256");
    assert_eq!(sha.len(), 64);
    assert_eq!(same["new"]["policy"]["sha256"], sha);
    // The risks are the new PI types the policy does not declare: the same
    // as without a policy, less what policy 1.0 declares.
    let risks = |d: &Value| field(&d["diff_findings"], "id");
    assert!(
        same["policy"]["pi_declared"]["added"]
            .as_array()
            .is_some_and(Vec::is_empty)
    );
    let s1 = json_policy_types(&p1);
    let expect: BTreeSet<String> = risks(&bare)
        .into_iter()
        .filter(|id| {
            !s1.iter()
                .any(|t| id == &format!("diff.pi_new_undeclared.{t}"))
        })
        .collect();
    assert_eq!(risks(&same), expect);
    // Two policies: changed, with location newly declared.
    let two = json(&["--old-policy", &p1, "--new-policy", &p2]);
    assert_eq!(two["policy"]["state"], "changed");
    assert!(strs(&two["policy"]["pi_declared"]["added"]).contains("location"));
    assert_ne!(
        two["old"]["policy"]["sha256"],
        two["new"]["policy"]["sha256"]
    );
}

/// PI types `pipa policy --format json` finds declared in `policy`.
fn json_policy_types(policy: &str) -> BTreeSet<String> {
    // The diff fixtures are a few sentences: below the policy recogniser's
    // length, so analysed with --force.
    let out = pipa(&["policy", policy, "--format", "json", "--force"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("policy JSON");
    field(&v["pi_types"], "type")
}

#[test]
fn errors_name_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("missing.apk");
    let junk = dir.path().join("junk.apk");
    std::fs::write(&junk, b"not a zip").expect("write");
    for (old, new, needle) in [(&missing, &junk, "missing.apk"), (&junk, &junk, "junk.apk")] {
        let out = diff(old, new, &[]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.starts_with("pipa: error: "), "{err}");
        assert!(err.contains(needle), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // A policy that cannot be read names the policy.
    let Some(v5) = fixture(V5) else { return };
    let out = diff(
        &v5,
        &v5,
        &["--new-policy", missing.to_str().expect("utf-8")],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.starts_with("pipa: error: --new-policy "), "{err}");
    assert!(err.contains("missing.apk"), "{err}");
}
