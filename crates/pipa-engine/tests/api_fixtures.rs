//! Every knowledge-base API entry is detectable: the test writes one smali
//! class per entry of the embedded kb (`Lfixture/A000;` …) holding exactly that
//! entry's use, plus a control class with none, assembles them with Debian's
//! `smali`, packs the dex with a binary manifest for package `fixture` (made by
//! `aapt` against `android-framework-res`), loads the APK the way the CLI does
//! and checks that `assess` reports each entry from its own class only.
//! Skipped with a notice when `smali`, `aapt` or the framework resources are
//! missing (`scripts/test.sh` installs them).

mod common;
mod support;

use pipa_engine::Assessment;
use pipa_kb::{ApiKind, Kb};
use pipa_testkit::{FRAMEWORK_RES, have_tool, run_ok};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use support::{CONTROL, class_name, control_class, fixture_class};

/// Pairs (entry of the fixture, other entry) where the other entry
/// legitimately matches the fixture's one instruction too, with the reason.
/// None today: every entry has its own class, member or constant.
const SHARED_MATCHES: &[(&str, &str, &str)] = &[];

struct Fixture {
    /// kb id → fixture class descriptor.
    class_of: BTreeMap<String, String>,
    /// kb id → (opcode, operand text) expected in `dexdump -d`.
    expected: BTreeMap<String, (String, String)>,
    /// Method entries whose prototype is the generic fallback.
    fallback_protos: Vec<String>,
    dir: PathBuf,
    apk: PathBuf,
}

/// Writes the smali, assembles the dex and builds `fixture.apk`.
fn build(kb: &Kb) -> Fixture {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("api_fixtures");
    let _ = std::fs::remove_dir_all(&dir);
    let src = dir.join("smali");
    let pkg = src.join(support::PACKAGE);
    std::fs::create_dir_all(&pkg).expect("mkdir smali");
    let dex_dir = dir.join("dex");
    std::fs::create_dir_all(&dex_dir).expect("mkdir dex");

    let mut class_of = BTreeMap::new();
    let mut expected = BTreeMap::new();
    let mut fallback_protos = Vec::new();
    for (n, api) in kb.apis.iter().enumerate() {
        let class = class_name(n);
        let (smali, op, target) = fixture_class(&class, api);
        std::fs::write(pkg.join(format!("A{n:03}.smali")), smali).expect("write smali");
        if api.kind == ApiKind::Method && !support::proto_of(api).1 {
            fallback_protos.push(api.id.clone());
        }
        assert!(
            class_of.insert(api.id.clone(), class).is_none(),
            "duplicate kb id {}",
            api.id
        );
        expected.insert(api.id.clone(), (op, target));
    }
    std::fs::write(pkg.join("Control.smali"), control_class()).expect("write smali");

    run_ok(
        Command::new("smali")
            .arg("assemble")
            .arg("-o")
            .arg(dex_dir.join("classes.dex"))
            .arg(&src),
    );

    let manifest = dir.join("AndroidManifest.xml");
    std::fs::write(
        &manifest,
        r#"<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android"
    package="fixture" android:versionCode="1" android:versionName="1.0">
  <uses-sdk android:minSdkVersion="21" android:targetSdkVersion="33"/>
  <application android:label="fixture"/>
</manifest>
"#,
    )
    .expect("write manifest");
    let apk = dir.join("fixture.apk");
    run_ok(
        Command::new("aapt")
            .args(["package", "-f", "-M"])
            .arg(&manifest)
            .args(["-I", FRAMEWORK_RES, "-F"])
            .arg(&apk),
    );
    // `aapt add` stores paths as given: run it from the dex directory.
    run_ok(
        Command::new("aapt")
            .args(["add", "-f"])
            .arg(&apk)
            .arg("classes.dex")
            .current_dir(&dex_dir),
    );
    Fixture {
        class_of,
        expected,
        fallback_protos,
        dir,
        apk,
    }
}

/// Loads the APK the way `pipa-cli` does and assesses it.
fn scan(path: &Path, kb: &Kb) -> Assessment {
    common::assess_fixture(path, "fixture", kb, None, None)
}

/// The class part of a caller `Lfixture/A000;->run()V`.
fn caller_class(caller: &str) -> &str {
    caller.split_once("->").map_or(caller, |(c, _)| c)
}

/// `dexdump -d` shows each fixture's intended instruction in its own class.
fn cross_check_dexdump(fx: &Fixture) {
    if !have_tool("dexdump") {
        eprintln!("api_fixtures: notice: dexdump not installed; instruction cross-check skipped");
        return;
    }
    let out = Command::new("dexdump")
        .arg("-d")
        .arg(fx.dir.join("dex/classes.dex"))
        .output()
        .expect("dexdump");
    assert!(out.status.success(), "dexdump failed");
    let text = String::from_utf8_lossy(&out.stdout);
    // Class sections start with `Class #n` and name their descriptor.
    let mut sections: BTreeMap<String, &str> = BTreeMap::new();
    for sec in text.split("Class #").skip(1) {
        if let Some(d) = sec
            .split_once("Class descriptor  : '")
            .and_then(|(_, r)| r.split_once('\''))
            .map(|(d, _)| d.to_string())
        {
            sections.insert(d, sec);
        }
    }
    let mut bad = Vec::new();
    for (id, (op, target)) in &fx.expected {
        let class = &fx.class_of[id];
        let ok = sections.get(class).is_some_and(|sec| {
            sec.lines().any(|l| {
                l.contains('|') && l.contains(&format!(": {op} ")) && l.contains(target.as_str())
            })
        });
        if !ok {
            bad.push(format!("{id} ({class}: {op} {target})"));
        }
    }
    assert!(
        bad.is_empty(),
        "dexdump does not show the intended instruction for {} entries:\n  {}",
        bad.len(),
        bad.join("\n  ")
    );
}

#[test]
fn every_kb_api_entry_is_detected_in_its_own_fixture() {
    let missing: Vec<&str> = ["smali", "aapt"]
        .into_iter()
        .filter(|t| !have_tool(t))
        .collect();
    if !missing.is_empty() || !Path::new(FRAMEWORK_RES).is_file() {
        eprintln!(
            "api_fixtures: notice: skipped: needs smali (libsmali-java), aapt and {FRAMEWORK_RES} \
             (android-framework-res); missing: {missing:?}"
        );
        return;
    }
    let kb = Kb::load_embedded().expect("embedded kb");
    let fx = build(&kb);
    if !fx.fallback_protos.is_empty() {
        eprintln!(
            "api_fixtures: notice: generic prototype {} used for {:?}; add their real one to tests/support",
            support::FALLBACK_PROTO,
            fx.fallback_protos
        );
    }
    cross_check_dexdump(&fx);

    let a = scan(&fx.apk, &kb);
    assert_eq!(a.app.id, "fixture");

    let shared: BTreeSet<(&str, &str)> = SHARED_MATCHES.iter().map(|(a, b, _)| (*a, *b)).collect();
    let entry_of_class: BTreeMap<&str, &str> = fx
        .class_of
        .iter()
        .map(|(id, c)| (c.as_str(), id.as_str()))
        .collect();

    let mut found: BTreeSet<&str> = BTreeSet::new();
    let mut wrong: Vec<String> = Vec::new();
    for u in &a.api_uses {
        let class = caller_class(&u.caller);
        if class == CONTROL {
            wrong.push(format!(
                "{} reported from the control class ({})",
                u.api_id, u.caller
            ));
            continue;
        }
        if u.subject != "app" {
            wrong.push(format!(
                "{} from {}: subject {} (want app)",
                u.api_id, u.caller, u.subject
            ));
        }
        match entry_of_class.get(class) {
            Some(&own) if own == u.api_id => {
                assert_eq!(u.caller, format!("{class}->run()V"), "{}: caller", u.api_id);
                found.insert(own);
            }
            Some(&own) if shared.contains(&(own, u.api_id.as_str())) => {}
            Some(&own) => wrong.push(format!(
                "{} reported from {} (the fixture of {own})",
                u.api_id, u.caller
            )),
            None => wrong.push(format!(
                "{} reported from unknown caller {}",
                u.api_id, u.caller
            )),
        }
    }
    // Every listed shared match must actually occur, or the list is stale.
    for (own, other, why) in SHARED_MATCHES {
        let seen = a.api_uses.iter().any(|u| {
            u.api_id == *other
                && fx
                    .class_of
                    .get(*own)
                    .is_some_and(|c| caller_class(&u.caller) == c)
        });
        assert!(
            seen,
            "listed shared match {own} → {other} ({why}) no longer occurs"
        );
    }

    let undetected: Vec<String> = kb
        .apis
        .iter()
        .filter(|api| !found.contains(api.id.as_str()))
        .map(|api| format!("{} ({})", api.id, fx.class_of[&api.id]))
        .collect();

    let mut by_kind: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for api in &kb.apis {
        let k = match api.kind {
            ApiKind::Method => "method",
            ApiKind::StaticField => "static_field",
            ApiKind::String => "string",
        };
        let e = by_kind.entry(k).or_default();
        e.1 += 1;
        if found.contains(api.id.as_str()) {
            e.0 += 1;
        }
    }
    eprintln!("api_fixtures: detected/total by kind: {by_kind:?}");

    assert!(
        undetected.is_empty() && wrong.is_empty(),
        "{} of {} kb API entries undetected:\n  {}\n{} wrong reports:\n  {}",
        undetected.len(),
        kb.apis.len(),
        undetected.join("\n  "),
        wrong.len(),
        wrong.join("\n  ")
    );
}
