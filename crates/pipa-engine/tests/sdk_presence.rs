//! No SDK row without its code: every high- or medium-confidence SDK that
//! the engine reports for a real APK must have its code in the package, as
//! an independent oracle sees it: a class under one of its dex prefixes (or
//! the class of one of its own manifest components) in Debian `dexdump`'s
//! class list of every `classes*.dex`, or one of its native libraries among
//! the zip's entries (read by the `zip` crate). SDKs declared in the
//! manifest whose code is absent (`presence: manifest_only`) must stay low
//! and raise no `sdk.*` or `policy.sdk_undeclared.*` finding.
//!
//! Precision and recall against a truth set: `tests/sdk_truth/labels.tsv`
//! labels, per APK file name and catalogue id, whether the SDK's code is
//! there, each label with the class `dexdump` must (or must not) list; see
//! [`sdk_identity_precision_and_recall`].
//!
//! APKs: the registry fixtures and the SDK test APKs (`scripts/fetch-fixtures.sh`,
//! `scripts/build-sdk-apks.sh`; `$PIPA_FIXTURES` or `.cache/fixtures`) and
//! the shared corpus (`../shared/corpus/apk`) when present. Skipped with a
//! notice when `dexdump` or the files are absent.

mod common;

use pipa_engine::{Assessment, Evidence};
use pipa_kb::Kb;
use pipa_testkit::{apks_under, corpus_apks, fixtures_dir, have_tool, unzip_entry};
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

fn scan(path: &Path) -> Assessment {
    common::assess_apk(path)
}

/// The APKs to check: registry fixtures, SDK test APKs, the shared corpus.
fn apks() -> Vec<PathBuf> {
    let dir = fixtures_dir();
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|r| {
            r.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "apk"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v.extend(apks_under(&dir.join("sdk-apks")));
    let corpus = corpus_apks();
    if corpus.is_empty() {
        eprintln!("notice: shared corpus absent; only the registry fixtures are checked");
    }
    v.extend(corpus);
    v
}

/// Class descriptors of every `classes*.dex` of `apk`, and the methods they
/// define (`Lx/Y;->name`), by `dexdump`; `Err` when dexdump rejects one.
fn dexdump_classes(
    apk: &Path,
    entries: &[String],
) -> Result<(HashSet<String>, HashSet<String>), String> {
    let mut out = HashSet::new();
    let mut methods = HashSet::new();
    let tmp = std::env::temp_dir().join(format!("pipa-presence-{}.dex", std::process::id()));
    for name in entries {
        let is_dex = name.starts_with("classes") && name.ends_with(".dex") && !name.contains('/');
        if !is_dex {
            continue;
        }
        let bytes = unzip_entry(apk, name)?.ok_or("entry vanished")?;
        std::fs::write(&tmp, bytes).map_err(|e| e.to_string())?;
        let mut child = Command::new("dexdump")
            .arg(&tmp)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("dexdump: {e}"))?;
        let stdout = child.stdout.take().ok_or("dexdump: no stdout")?;
        let mut class = String::new();
        let mut in_methods = false;
        for line in BufReader::new(stdout).split(b'\n') {
            let line = line.map_err(|e| e.to_string())?;
            let line = String::from_utf8_lossy(&line);
            let line = line.trim();
            if let Some(rest) = line.strip_prefix("Class descriptor")
                && let Some(d) = rest.split('\'').nth(1)
            {
                out.insert(d.to_string());
                class = d.to_string();
                in_methods = false;
            } else if line.starts_with("Direct methods") || line.starts_with("Virtual methods") {
                in_methods = true;
            } else if line.starts_with("Static fields") || line.starts_with("Instance fields") {
                in_methods = false;
            } else if in_methods
                && let Some(rest) = line.strip_prefix("name")
                && let Some(n) = rest.split('\'').nth(1)
            {
                methods.insert(format!("{class}->{n}"));
            }
        }
        let status = child.wait().map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("dexdump rejected {name}"));
        }
    }
    let _ = std::fs::remove_file(&tmp);
    Ok((out, methods))
}

/// `com.x.y` → `Lcom/x/y` (a package or class prefix of descriptors).
fn desc_prefix(dotted: &str) -> String {
    format!("L{}", dotted.trim_matches('.').replace('.', "/"))
}

/// `c` is `p` or lies under it (`/`, `;` or `$` follows).
fn under_prefix(c: &str, p: &str) -> bool {
    c.strip_prefix(p)
        .is_some_and(|r| r.starts_with(['/', ';', '$']))
}

/// Whether the oracle sees the code of SDK `id`: a class under one of its
/// dex prefixes that is not the app's first-party code, the class of a
/// component of its own (shown without a detail in its evidence), or one of
/// its native libraries; and, when the entry names core classes, one of
/// them.
fn has_code(
    kb: &Kb,
    sdk: &pipa_engine::SdkUse,
    first_party: &[String],
    classes: &HashSet<String>,
    libs: &[String],
) -> bool {
    let Some(entry) = kb.sdk(&sdk.id) else {
        return false;
    };
    let sig = &entry.signatures;
    if !sig.core_classes.is_empty()
        && !sig
            .core_classes
            .iter()
            .any(|c| classes.contains(&format!("{};", desc_prefix(c))))
    {
        return false;
    }
    let prefixes: Vec<String> = sig.dex.iter().map(|d| desc_prefix(d)).collect();
    let app: Vec<String> = first_party
        .iter()
        .map(|p| desc_prefix(p.trim_end_matches('*')))
        .collect();
    // First-party code (`com.hjq.*`) is the app's unless the SDK prefix is
    // more specific (`com.tencent.bugly` in app `com.tencent.bugly.hotfix`,
    // organisation `com.tencent`). A shaded copy of a library
    // (`com.google.gson.umeng.…`: another vendor family's name right under
    // the prefix) is that vendor's; a vendor's adapter for another
    // (`cn.jiguang.share.facebook`) stays the vendor's own code.
    let library = matches!(entry.category.as_str(), "library" | "framework");
    let families: HashSet<&str> = kb
        .sdks
        .iter()
        .filter_map(|e| e.id.split('.').next())
        .filter(|f| f.len() >= 4 && Some(*f) != sdk.id.split('.').next())
        .collect();
    let shaded = |c: &str, p: &str| {
        library
            && c.get(p.len() + 1..)
                .and_then(|rest| rest.split('/').next())
                .is_some_and(|seg| !seg.ends_with(';') && families.contains(seg))
    };
    let under = |c: &str| {
        prefixes.iter().any(|p| {
            under_prefix(c, p)
                && !shaded(c, p)
                && !app.iter().any(|q| q.len() >= p.len() && under_prefix(c, q))
        })
    };
    if classes.iter().any(|c| under(c)) {
        return true;
    }
    let own_component = sdk.evidence.iter().any(|e| {
        matches!(e, Evidence::Manifest { name: Some(n), detail: None, element }
            if element != "meta-data" && classes.contains(&format!("{};", desc_prefix(n))))
    });
    if own_component {
        return true;
    }
    let res: Vec<regex::Regex> = sig
        .native_regex
        .iter()
        .filter_map(|r| regex::Regex::new(&format!("^(?:{r})$")).ok())
        .collect();
    libs.iter()
        .any(|l| sig.native.contains(l) || res.iter().any(|r| r.is_match(l)))
}

/// One APK as the oracle and the engine see it.
struct Scanned {
    /// File name (the truth set's key).
    name: String,
    /// `dexdump`'s class descriptors.
    classes: HashSet<String>,
    /// Methods the classes define, `Lx/Y;->name`.
    methods: HashSet<String>,
    /// File names of its native libraries.
    libs: Vec<String>,
    a: Assessment,
}

/// Every readable APK, read by dexdump and assessed once for all the tests
/// of this file; `None` when dexdump is not installed.
fn scanned() -> Option<&'static [Scanned]> {
    static ALL: OnceLock<Option<Vec<Scanned>>> = OnceLock::new();
    ALL.get_or_init(|| {
        if !have_tool("dexdump") {
            return None;
        }
        let mut out = Vec::new();
        for apk in apks() {
            let name = apk
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let entries = match pipa_testkit::zip_entry_names(&apk) {
                Ok(e) => e,
                Err(e) => {
                    eprintln!("notice: {name}: zip unreadable ({e}); skipped");
                    continue;
                }
            };
            let (classes, methods) = match dexdump_classes(&apk, &entries) {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("notice: {name}: {e}; skipped");
                    continue;
                }
            };
            let libs: Vec<String> = entries
                .iter()
                .filter(|n| n.starts_with("lib/"))
                .filter_map(|n| n.rsplit('/').next().map(str::to_string))
                .collect();
            let a = scan(&apk);
            out.push(Scanned {
                name,
                classes,
                methods,
                libs,
                a,
            });
        }
        Some(out)
    })
    .as_deref()
}

#[test]
fn no_sdk_row_without_its_code() {
    let Some(all) = scanned() else {
        eprintln!("notice: dexdump not installed; skipped");
        return;
    };
    let kb = Kb::embedded();
    let mut rows = 0;
    let mut failures: Vec<String> = Vec::new();
    let mut checked = 0;
    for Scanned {
        name: what,
        classes,
        libs,
        a,
        ..
    } in all
    {
        checked += 1;
        eprintln!(
            "sdk_presence: {what} ({} classes; first-party {})",
            classes.len(),
            a.app.first_party.join(" ")
        );
        for s in &a.sdks {
            let listed = s.confidence != "low";
            let code = has_code(kb, s, &a.app.first_party, classes, libs);
            eprintln!(
                "  {:<34} {:<6} {:<13} init={:<5} oracle={}",
                s.id,
                s.confidence,
                s.presence,
                s.initialized,
                if code { "code" } else { "-" }
            );
            if listed {
                rows += 1;
                if !code {
                    failures.push(format!("{what}: {} ({}) without code", s.id, s.confidence));
                }
                if !matches!(s.presence.as_str(), "code" | "native") {
                    failures.push(format!(
                        "{what}: {} listed with presence {}",
                        s.id, s.presence
                    ));
                }
            } else if s.presence == "manifest_only" {
                let ids = [
                    format!("sdk.{}", s.id),
                    format!("policy.sdk_undeclared.{}", s.id),
                ];
                if a.findings.iter().any(|f| ids.contains(&f.id)) {
                    failures.push(format!("{what}: manifest-only {} has a finding", s.id));
                }
                if s.initialized {
                    failures.push(format!("{what}: manifest-only {} initialised", s.id));
                }
            }
        }
    }
    eprintln!(
        "sdk_presence: {checked} APKs, {rows} high/medium rows, {} without code",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// One row of `tests/sdk_truth/labels.tsv`.
#[derive(Debug)]
struct Label {
    apk: String,
    sdk: String,
    /// The SDK's code is there (`present`) or no row may say so (`absent`).
    present: bool,
    /// It handles personal information (counts for recall).
    pi: bool,
    /// `Lx/Y;` that dexdump must list (`present`) or must not (`!Lx/Y;`,
    /// `absent`), or `lib:<prefix>` of a native library's file name.
    marker: String,
    line: usize,
}

fn labels() -> Vec<Label> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sdk_truth/labels.tsv");
    let text = std::fs::read_to_string(&path).expect("read sdk_truth/labels.tsv");
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let [apk, sdk, label, kind, marker, reason] = f.as_slice() else {
            panic!("labels.tsv:{}: 6 tab-separated columns expected", i + 1);
        };
        assert!(
            matches!(*label, "present" | "absent") && matches!(*kind, "pi" | "lib" | "-"),
            "labels.tsv:{}: label present|absent, kind pi|lib|-",
            i + 1
        );
        assert!(!reason.trim().is_empty(), "labels.tsv:{}: no reason", i + 1);
        assert_eq!(
            *label == "absent",
            marker.starts_with('!'),
            "labels.tsv:{}: an absent label's marker starts with '!', a present one's does not",
            i + 1
        );
        out.push(Label {
            apk: apk.to_string(),
            sdk: sdk.to_string(),
            present: *label == "present",
            pi: *kind == "pi",
            marker: marker.trim_start_matches('!').to_string(),
            line: i + 1,
        });
    }
    out
}

/// Whether dexdump's classes (or the native libraries) show `marker`.
fn shows(marker: &str, classes: &HashSet<String>, libs: &[String]) -> bool {
    match marker.strip_prefix("lib:") {
        Some(lib) => libs.iter().any(|l| l.starts_with(lib)),
        None => classes.contains(marker),
    }
}

/// `n / d`, 1 when there is nothing to count.
fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 { 1.0 } else { n as f64 / d as f64 }
}

/// SDK identity precision and recall on every real APK at hand, against the
/// hand-reviewed truth set, each label re-checked against dexdump:
///
/// - a `present` label's marker class must be in dexdump's class list and an
///   `absent` label's must not (a stale label fails the test);
/// - precision: of the high/medium rows, those labelled `present` are true,
///   those labelled `absent` false (each one also fails the test: a reviewed
///   false row came back); a row without a label is judged by the dexdump
///   oracle (`has_code`: classes under its prefixes outside the app's
///   first-party code, and a core class when the entry names some) and
///   printed so that someone labels it;
/// - recall: of the `present` labels of kind `pi` (SDKs that handle personal
///   information, their code in the APK), those reported high/medium.
///
/// Goals (issue 15): precision ≥ 0.97 (high and medium together), recall ≥ 0.95.
#[test]
fn sdk_identity_precision_and_recall() {
    let Some(all) = scanned() else {
        eprintln!("notice: dexdump not installed; skipped");
        return;
    };
    let kb = Kb::embedded();
    let labels = labels();
    let by_key: HashMap<(&str, &str), &Label> = labels
        .iter()
        .map(|l| ((l.apk.as_str(), l.sdk.as_str()), l))
        .collect();
    assert_eq!(by_key.len(), labels.len(), "labels.tsv: a key twice");
    let mut failures: Vec<String> = Vec::new();
    // (true, all) per confidence level.
    let mut precision: HashMap<&str, (usize, usize)> = HashMap::new();
    let (mut expected, mut found) = (0usize, 0usize);
    let mut missed: Vec<String> = Vec::new();
    let mut unlabelled = 0usize;
    let mut apks = 0usize;
    for s in all {
        let mine: Vec<&Label> = labels.iter().filter(|l| l.apk == s.name).collect();
        apks += 1;
        for l in &mine {
            if shows(&l.marker, &s.classes, &s.libs) != l.present {
                failures.push(format!(
                    "labels.tsv:{}: stale label: dexdump {} {} in {}",
                    l.line,
                    if l.present { "does not show" } else { "shows" },
                    l.marker,
                    s.name
                ));
            }
        }
        let listed: Vec<&pipa_engine::SdkUse> =
            s.a.sdks.iter().filter(|u| u.confidence != "low").collect();
        for u in &listed {
            let truth = match by_key.get(&(s.name.as_str(), u.id.as_str())) {
                Some(l) => l.present,
                None => {
                    unlabelled += 1;
                    let code = has_code(kb, u, &s.a.app.first_party, &s.classes, &s.libs);
                    eprintln!(
                        "notice: {}: {} ({}) has no label; dexdump oracle: {}",
                        s.name,
                        u.id,
                        u.confidence,
                        if code { "code" } else { "no code" }
                    );
                    code
                }
            };
            if !truth {
                failures.push(format!(
                    "{}: {} reported {} but its code is not there",
                    s.name, u.id, u.confidence
                ));
            }
            let e = precision.entry(level(&u.confidence)).or_default();
            e.0 += usize::from(truth);
            e.1 += 1;
        }
        for l in mine.iter().filter(|l| l.present && l.pi) {
            expected += 1;
            if listed.iter().any(|u| u.id == l.sdk) {
                found += 1;
            } else {
                missed.push(format!("{}: {}", s.name, l.sdk));
            }
        }
    }
    let (ht, hn) = precision.get("high").copied().unwrap_or_default();
    let (mt, mn) = precision.get("medium").copied().unwrap_or_default();
    let both = ratio(ht + mt, hn + mn);
    let recall = ratio(found, expected);
    eprintln!(
        "sdk_identity: {apks} APKs; precision high {ht}/{hn} = {:.4}, medium {mt}/{mn} = {:.4}, \
         high+medium {}/{} = {both:.4}; recall of PI-handling SDKs {found}/{expected} = {recall:.4}; \
         {unlabelled} unlabelled rows",
        ratio(ht, hn),
        ratio(mt, mn),
        ht + mt,
        hn + mn,
    );
    for m in &missed {
        eprintln!("  missed: {m}");
    }
    if apks == 0 {
        eprintln!("notice: no APK available; figures not checked");
        return;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(both >= 0.97, "high+medium precision {both:.4} < 0.97");
    assert!(
        recall >= 0.95,
        "recall {recall:.4} < 0.95; missed: {}",
        missed.join(", ")
    );
}

/// `high` / `medium` as a static key.
fn level(confidence: &str) -> &'static str {
    if confidence == "high" {
        "high"
    } else {
        "medium"
    }
}

/// Version generations (`generations` in kb/sdks): for every reported SDK
/// whose entry lists some, the generation the engine names (in a note of its
/// evidence) is the first whose marker dexdump shows (a class it lists, or a
/// method it lists under that class), and an older generation without a
/// consent API makes `no_compliant_init` true; a start-up API of the entry
/// is listed on the row unless dexdump shows its class without that method.
/// Prints the generations seen.
#[test]
fn sdk_generation_is_the_one_dexdump_shows() {
    let Some(all) = scanned() else {
        eprintln!("notice: dexdump not installed; skipped");
        return;
    };
    let kb = Kb::embedded();
    let mut failures = Vec::new();
    let mut seen = 0;
    let mut dropped = 0;
    for s in all {
        for u in s.a.sdks.iter().filter(|u| u.confidence != "low") {
            let Some(entry) = kb.sdk(&u.id) else { continue };
            // A start-up API is listed unless dexdump shows its class
            // without the method (an older version that lacks it).
            for c in &entry.compliant_init {
                let Some((class, m)) = c.api.split_once("->") else {
                    continue;
                };
                let missing = s.classes.contains(class)
                    && !s
                        .methods
                        .contains(&format!("{class}->{}", m.split('(').next().unwrap_or(m)));
                let listed = u.compliant_init.iter().any(|x| x.api == c.api);
                dropped += usize::from(missing);
                if listed == missing {
                    failures.push(format!(
                        "{}: {}: {} listed {listed}, dexdump: class defined without it {missing}",
                        s.name, u.id, c.api
                    ));
                }
            }
            if entry.generations.is_empty() {
                continue;
            }
            let expected = entry
                .generations
                .iter()
                .find(|g| s.classes.contains(&g.marker) || s.methods.contains(&g.marker));
            let named = u.evidence.iter().find_map(|e| match e {
                Evidence::Note { text } if text.en.starts_with("Generation: ") => {
                    Some(text.en.clone())
                }
                _ => None,
            });
            eprintln!(
                "generation: {}: {} {} -> {}",
                s.name,
                u.id,
                u.version.as_deref().unwrap_or("?"),
                named.as_deref().unwrap_or("none")
            );
            seen += 1;
            let ok = match (expected, &named) {
                (Some(g), Some(n)) => {
                    n.contains(&g.marker)
                        && u.no_compliant_init == (entry.no_compliant_init || g.no_compliant_init)
                }
                (None, None) => u.no_compliant_init == entry.no_compliant_init,
                _ => false,
            };
            if !ok {
                failures.push(format!(
                    "{}: {}: dexdump shows {:?}, engine says {:?} (no_compliant_init {})",
                    s.name,
                    u.id,
                    expected.map(|g| &g.marker),
                    named,
                    u.no_compliant_init
                ));
            }
        }
    }
    eprintln!(
        "generation: {seen} rows with generations checked; {dropped} start-up APIs absent from the version embedded"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
