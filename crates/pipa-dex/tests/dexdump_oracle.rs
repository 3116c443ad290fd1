//! Oracle test: our invoke sites against Debian `dexdump -d`.
//!
//! For every `.dex` under the androguard examples (Debian package
//! `androguard`), every `classes*.dex` inside the `.apk` files there, the APKs
//! of `../shared/corpus/apk`, the registry fixtures (`$PIPA_FIXTURES`, default
//! `.cache/fixtures`) and any paths in `PIPA_DEX_ORACLE_EXTRA`
//! (colon-separated `.dex`/`.apk`), we compare per dex:
//! * the number of invoke instructions, and
//! * the set of invoked method references (smali form).
//!
//! Files dexdump rejects (v041, garbage) are skipped with a notice, but our
//! reader still has to read them without panicking. If the examples or
//! dexdump are missing the test prints a notice and passes.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use pipa_core::AnomalySink;
use pipa_dex::{CodeIndex, parse_dex_file};
use pipa_testkit::{
    ANDROGUARD_EXAMPLES, corpus_dir, files_with_ext, fixtures_dir, have_tool, unzip_entry_max,
    zip_entry_names,
};

const MAX_DEX: u64 = 256 << 20;

/// The `.dex` and `.apk` files under `dir`, sorted.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    out.extend(files_with_ext(dir, &["dex", "apk"]));
}

/// `(label, bytes)` of the dex files of an input.
fn dex_files(path: &Path) -> Vec<(String, Vec<u8>)> {
    let label = path.display().to_string();
    if path.extension().and_then(|e| e.to_str()) == Some("dex") {
        return std::fs::read(path)
            .map(|b| vec![(label, b)])
            .unwrap_or_default();
    }
    if !path.is_file() {
        return Vec::new();
    }
    let Ok(mut names) = zip_entry_names(path) else {
        println!("notice: {label}: not a readable zip, skipped");
        return Vec::new();
    };
    names.retain(|n| {
        n.starts_with("classes")
            && n.ends_with(".dex")
            && n["classes".len()..n.len() - 4]
                .chars()
                .all(|c| c.is_ascii_digit())
    });
    // classes.dex, classes2.dex, classes3.dex, … classes10.dex
    names.sort_by_key(|n| (n.len(), n.clone()));
    let mut out = Vec::new();
    for n in names {
        match unzip_entry_max(path, &n, MAX_DEX) {
            Ok(Some(b)) => out.push((format!("{label}!{n}"), b)),
            Ok(None) => println!("notice: {label}!{n}: unreadable entry, skipped"),
            Err(e) => println!("notice: {label}!{n}: cannot inflate ({e}), skipped"),
        }
    }
    out
}

/// dexdump writes `Lcls;.name:(args)ret`; smali is `Lcls;->name(args)ret`.
/// Simple names contain neither `.` nor `:`, descriptors no `.`.
fn smali_from_dexdump(t: &str) -> Option<String> {
    let colon = t.find(":(")?;
    let dot = t[..colon].rfind('.')?;
    Some(format!(
        "{}->{}{}",
        &t[..dot],
        &t[dot + 1..colon],
        &t[colon + 1..]
    ))
}

struct Dump {
    invokes: u64,
    methods: BTreeSet<String>,
}

/// Runs `dexdump -d -i` on a file and collects its invokes; `None` when
/// dexdump rejects the file.
fn dexdump(path: &Path, label: &str) -> Option<Dump> {
    let mut child = Command::new("dexdump")
        .args(["-d", "-i"])
        .arg(path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    let stdout = child.stdout.take()?;
    let mut d = Dump {
        invokes: 0,
        methods: BTreeSet::new(),
    };
    for line in BufReader::new(stdout).split(b'\n') {
        let Ok(line) = line else { break };
        let line = String::from_utf8_lossy(&line);
        let Some(p) = line.find(": invoke-") else {
            continue;
        };
        if !line[..p].contains('|') {
            continue;
        }
        d.invokes += 1;
        let rest = &line[p..];
        let Some(b) = rest.find("}, ") else { continue };
        let mut target = &rest[b + 3..];
        if let Some(c) = target.find(" // ") {
            target = &target[..c];
        }
        // invoke-polymorphic: "Lx;->invoke([Ljava/lang/Object;)Ljava/lang/Object;, (I)V"
        if let Some(c) = target.find(", ") {
            target = &target[..c];
        }
        if let Some(m) = smali_from_dexdump(target) {
            d.methods.insert(m);
        }
    }
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut err);
    }
    let status = child.wait().ok()?;
    if !status.success() || err.contains("Failure") || err.contains("Unrecognized") {
        let first = err.lines().next().unwrap_or("").to_string();
        println!("notice: dexdump rejected {label}: {first}");
        return None;
    }
    Some(d)
}

fn ours(bytes: &[u8], label: &str) -> Option<(u64, BTreeSet<String>)> {
    let mut sink = AnomalySink::default();
    let dexes = parse_dex_file(bytes, label, &mut sink).ok()?;
    let index = CodeIndex::build(dexes, &mut sink);
    let mut methods = BTreeSet::new();
    let mut count = 0u64;
    for s in index.invoke_sites() {
        count += 1;
        if matches!(s.opcode, 0xfc | 0xfd) {
            continue;
        }
        let d = index.dex(s.dex)?;
        match d.method_ref(s.target) {
            Some(m) => methods.insert(m.to_string()),
            None => methods.insert(format!("<unresolved method@{}>", s.target)),
        };
    }
    Some((count, methods))
}

#[test]
fn invokes_match_dexdump() {
    if !have_tool("dexdump") {
        println!("notice: dexdump not installed; oracle test skipped");
        return;
    }
    let mut inputs = Vec::new();
    walk(Path::new(ANDROGUARD_EXAMPLES), &mut inputs);
    walk(&corpus_dir(), &mut inputs);
    // The pinned registry APKs (scripts/fetch-fixtures.sh), incl. the 16-dex one.
    walk(&fixtures_dir(), &mut inputs);
    if let Ok(extra) = std::env::var("PIPA_DEX_ORACLE_EXTRA") {
        for p in extra.split(':').filter(|p| !p.is_empty()) {
            let p = PathBuf::from(p);
            if p.is_dir() {
                walk(&p, &mut inputs)
            } else {
                inputs.push(p)
            }
        }
    }
    if inputs.is_empty() {
        println!(
            "notice: no inputs under {ANDROGUARD_EXAMPLES} or the corpus; oracle test skipped"
        );
        return;
    }
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("dexdump_oracle");
    let _ = std::fs::create_dir_all(&tmp);
    let (mut compared, mut matched_invokes, mut skipped, mut ours_failed) =
        (0u64, 0u64, 0u64, 0u64);
    let mut failures = Vec::new();
    for input in &inputs {
        for (label, bytes) in dex_files(input) {
            let ours = ours(&bytes, &label);
            let file = tmp.join("oracle.dex");
            if std::fs::write(&file, &bytes).is_err() {
                continue;
            }
            let Some(dump) = dexdump(&file, &label) else {
                skipped += 1;
                continue;
            };
            let Some((count, methods)) = ours else {
                ours_failed += 1;
                failures.push(format!("{label}: dexdump reads it, we return an error"));
                continue;
            };
            compared += 1;
            if count != dump.invokes || methods != dump.methods {
                let only_theirs: Vec<_> = dump.methods.difference(&methods).take(5).collect();
                let only_ours: Vec<_> = methods.difference(&dump.methods).take(5).collect();
                failures.push(format!(
                    "{label}: invokes ours {count} dexdump {}; only dexdump {only_theirs:?}; only ours {only_ours:?}",
                    dump.invokes
                ));
            } else {
                matched_invokes += count;
            }
        }
    }
    println!(
        "dexdump oracle: {compared} dex compared, {matched_invokes} invokes matched, {skipped} skipped (dexdump rejected), {ours_failed} rejected only by us, {} mismatches",
        failures.len()
    );
    for f in &failures {
        println!("MISMATCH {f}");
    }
    assert!(
        failures.is_empty(),
        "{} dex disagree with dexdump",
        failures.len()
    );
}
