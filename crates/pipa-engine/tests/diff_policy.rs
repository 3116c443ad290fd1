//! `pipa_engine::diff` on two versions of a built app: the 191-2.2 risk
//! (new collection the policy does not declare) appears exactly when the
//! policy was not updated.
//!
//! `tests/diff/v1` and `tests/diff/v2` are one tiny app (`fixture.diff`,
//! “门店助手”) in two versions, built at test time with
//! [`pipa_testkit::build_smali_apk`]: 1.0 reads the IMEI; 2.0 also requests
//! `ACCESS_FINE_LOCATION` and reads the last known location from a button.
//! `tests/diff/policy-1.0.txt` declares the device identifier only;
//! `policy-2.0.txt` adds location. `dexdump -d` and `aapt dump permissions`
//! show what each version contains, independently of pipa.
//!
//! Skipped with a notice when `smali`, `aapt`, `dexdump` or the framework
//! resources are missing (`scripts/test.sh` installs them).

mod common;

use pipa_engine::diff::{DiffGate, DiffOptions, PolicyState, RULE_CHANGE_NOT_NOTIFIED};
use pipa_engine::{Assessment, Evidence, Verdict, diff, diff_with};
use pipa_kb::Kb;
use pipa_testkit::{build_smali_apk, run_ok, smali_tools_present};
use std::path::{Path, PathBuf};
use std::process::Command;

const PACKAGE: &str = "fixture.diff";
const LOCATION_CALLER: &str = "Lfixture/diff/MainActivity;->showNearby()V";
const FINE_LOCATION: &str = "android.permission.ACCESS_FINE_LOCATION";

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff")
}

/// Builds version `v` and checks, with `aapt` and `dexdump`, whether it
/// requests fine location and calls `getLastKnownLocation` from `showNearby`.
fn build(v: &str, with_location: bool) -> PathBuf {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("diff_fixture_{v}"));
    let built = build_smali_apk(&dir().join(v), &out);
    let perms = run_ok(
        Command::new("aapt")
            .args(["dump", "permissions"])
            .arg(&built.apk),
    );
    assert_eq!(perms.contains(FINE_LOCATION), with_location, "{perms}");
    let dump = run_ok(Command::new("dexdump").arg("-d").arg(&built.dex));
    // dexdump prints methods as `Lx/Y;.m:(…)R`.
    let calls = dump.lines().any(|l| {
        l.contains("invoke-virtual")
            && l.contains("Landroid/location/LocationManager;.getLastKnownLocation:")
    });
    assert_eq!(calls, with_location, "dexdump of {v}");
    built.apk
}

fn policy(name: &str, kb: &Kb) -> pipa_policy::Policy {
    let lex = pipa_policy::Lexicon::new(kb).expect("lexicon");
    let mut p = pipa_policy::analyse_file(&dir().join(name), &lex).expect("policy");
    p.report.source.origin = Some("option".into());
    p
}

fn assess(apk: &Path, kb: &Kb, policy: Option<&pipa_policy::Policy>) -> Assessment {
    common::assess_fixture(apk, PACKAGE, kb, policy, None)
}

fn risk_ids(d: &pipa_engine::AssessmentDiff) -> Vec<String> {
    d.diff_findings.iter().map(|f| f.id.clone()).collect()
}

#[test]
fn new_location_is_a_2_2_risk_only_without_a_policy_update() {
    if !smali_tools_present("diff_policy") {
        return;
    }
    let kb = Kb::embedded();
    let v1 = build("v1", false);
    let v2 = build("v2", true);
    let p1 = policy("policy-1.0.txt", kb);
    let p2 = policy("policy-2.0.txt", kb);
    // What the policies declare, as the analyser reads them.
    assert!(
        p1.report.declares("device_id"),
        "policy 1.0 declares the IMEI"
    );
    assert!(
        !p1.report.declares("location"),
        "policy 1.0 has no location"
    );
    assert!(
        p2.report.declares("location"),
        "policy 2.0 declares location"
    );

    let old = assess(&v1, kb, Some(&p1));
    // The app's code collects location in 2.0 only.
    let has_location = |a: &Assessment| a.api_uses.iter().any(|u| u.pi_type == "location");
    assert!(!has_location(&old));

    // 1. The policy was not updated: 2.0 ships with the 1.0 policy.
    let stale = assess(&v2, kb, Some(&p1));
    assert!(has_location(&stale));
    let d = diff(&old, &stale, kb);
    assert_eq!(d.policy.state, PolicyState::Unchanged);
    assert_eq!(risk_ids(&d), ["diff.pi_new_undeclared.location"]);
    let f = &d.diff_findings[0];
    assert_eq!(f.rule_ids, [RULE_CHANGE_NOT_NOTIFIED]);
    assert_eq!(f.verdict, Verdict::Risk);
    assert!(
        f.evidence
            .iter()
            .any(|e| matches!(e, Evidence::Code { caller, .. } if caller == LOCATION_CALLER)),
        "{:?}",
        f.evidence
    );
    assert!(
        f.evidence
            .iter()
            .any(|e| matches!(e, Evidence::Manifest { name: Some(n), .. } if n == FINE_LOCATION))
    );
    let added: Vec<&str> = d
        .permissions
        .added
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(added, [FINE_LOCATION]);
    assert!(d.permissions.removed.is_empty());
    assert!(d.collection.added.iter().any(|s| s.subject == "app"
        && s.pi_type == "location"
        && s.examples.iter().any(|e| e.caller == LOCATION_CALLER)));
    assert!(!d.gate(DiffGate::Risk).is_empty());
    // The same with the texts' hashes: the policy file is the same.
    let same = DiffOptions {
        old_policy_sha256: Some("x".into()),
        new_policy_sha256: Some("x".into()),
    };
    assert_eq!(risk_ids(&diff_with(&old, &stale, kb, &same)), risk_ids(&d));

    // 2. The policy was updated to declare location: no 191-2.2 risk.
    let updated = assess(&v2, kb, Some(&p2));
    let d = diff(&old, &updated, kb);
    assert_eq!(d.policy.state, PolicyState::Changed);
    assert!(d.policy.pi_declared.added.iter().any(|p| p == "location"));
    assert!(risk_ids(&d).is_empty(), "{:?}", risk_ids(&d));
    assert!(
        d.gate(DiffGate::Risk)
            .iter()
            .all(|w| !w.contains("191-2.2"))
    );
    // Still new collection for a gate that asks.
    assert!(!d.gate(DiffGate::NewCollection).is_empty());

    // 3. No policy anywhere: still the risk.
    let d = diff(&assess(&v1, kb, None), &assess(&v2, kb, None), kb);
    assert_eq!(d.policy.state, PolicyState::None);
    assert_eq!(risk_ids(&d), ["diff.pi_new_undeclared.location"]);

    // 4. A version against itself: nothing.
    let d = diff(&old, &old, kb);
    assert!(!d.summary.changed);
    assert!(d.diff_findings.is_empty());
}
