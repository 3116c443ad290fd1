//! Oracle test: the [`Apk`] model (package, version, SDK levels, label,
//! launcher activity, requested permissions) against Debian's `aapt` on every
//! real APK that `aapt dump badging` reads: the registry fixtures
//! (`scripts/fetch-fixtures.sh`, `$PIPA_FIXTURES` or `.cache/fixtures`), the
//! Debian androguard examples and `/work/shared/corpus/apk`.
//!
//! The fairest comparison is to print, from our model, the lines aapt would
//! print, and compare lines:
//! - `aapt dump badging`: `package: name='…' versionCode='…' versionName='…'`,
//!   `sdkVersion:`, `targetSdkVersion:` (aapt prints nothing when the attribute
//!   is absent; the platform defaults are then min 1 and target = min, which is
//!   what our model must hold), `application-label:` (printed only when the
//!   default-locale label is not empty), and each `launchable-activity:` must be
//!   one of our activities, exported, with MAIN and LAUNCHER (aapt accepts them
//!   in different intent filters of the same activity; so do we here).
//! - `aapt dump permissions`: the `uses-permission:` and `uses-permission-sdk-23:`
//!   lines, in order, with `maxSdkVersion`. `aapt dump badging` also prints
//!   `uses-implied-permission:` lines and `uses-permission:` lines for permissions
//!   it *infers* (e.g. READ_EXTERNAL_STORAGE from WRITE_EXTERNAL_STORAGE when the
//!   target SDK is old): they are not in the manifest, so the permission
//!   comparison uses `dump permissions`, which prints only declared elements,
//!   and ignores `uses-implied-permission:` / `optional-permission:` lines.
//!
//! Every disagreement is either a bug or one of the documented [`EXCEPTIONS`]
//! (aapt different by design); the test fails on any other mismatch. Files
//! aapt cannot read are still parsed (no panic allowed) but not compared.

use pipa_android::Apk;
use pipa_android::manifest::{ComponentKind, Manifest};
use pipa_core::Limits;
use pipa_testkit::{
    ANDROGUARD_EXAMPLES, aapt_normalize, apks_under, corpus_dir, fixtures_dir, have_tool,
    run_stdout,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Disagreements with aapt that are understood: (file name, field, why).
/// Matched on the file name (not the folder) and the field compared.
const EXCEPTIONS: &[(&str, &str, &str)] = &[];

/// (source name, APKs), sources that are absent get a notice.
fn sources() -> Vec<(String, Vec<PathBuf>)> {
    let dirs = [
        ("fixtures".to_string(), fixtures_dir()),
        ("androguard".to_string(), PathBuf::from(ANDROGUARD_EXAMPLES)),
        ("corpus".to_string(), corpus_dir()),
    ];
    let mut out = Vec::new();
    for (name, dir) in dirs {
        if !dir.is_dir() {
            eprintln!("notice: {name} ({}) absent; skipped", dir.display());
            continue;
        }
        let v = apks_under(&dir);
        if v.is_empty() {
            eprintln!("notice: {name} ({}) has no APK; skipped", dir.display());
        }
        out.push((name, v));
    }
    out
}

fn aapt(what: &str, file: &Path) -> Option<String> {
    run_stdout(Command::new("aapt").args(["dump", what]).arg(file))
}

/// aapt's line matches ours: equal, or ours followed by more fields aapt adds
/// (`platformBuildVersionName=…`, `requiredFeature=…`).
fn line_matches(aapt_line: &str, ours: &str) -> bool {
    aapt_line == ours
        || aapt_line
            .strip_prefix(ours)
            .is_some_and(|rest| rest.starts_with(' '))
}

/// `package:` line as aapt prints it: versionCode is a signed 32-bit integer
/// printed only when positive (`versionCodeMajor` is not shown).
fn package_line(m: &Manifest) -> String {
    let vc = m
        .version_code
        .map(|v| (v & 0xffff_ffff) as u32 as i32)
        .filter(|v| *v > 0)
        .map(|v| v.to_string())
        .unwrap_or_default();
    format!(
        "package: name='{}' versionCode='{vc}' versionName='{}'",
        aapt_normalize(&m.package),
        aapt_normalize(m.version_name.as_deref().unwrap_or(""))
    )
}

fn permission_lines(m: &Manifest) -> Vec<String> {
    m.permissions
        .iter()
        .map(|p| {
            let head = if p.sdk23 {
                "uses-permission-sdk-23:"
            } else {
                "uses-permission:"
            };
            let max = p
                .max_sdk
                .map(|v| format!(" maxSdkVersion='{v}'"))
                .unwrap_or_default();
            format!("{head} name='{}'{max}", aapt_normalize(&p.name))
        })
        .collect()
}

/// The value of `key:'…'` lines (first one), e.g. `sdkVersion:'21'`.
fn quoted_value<'t>(text: &'t str, key: &str) -> Option<&'t str> {
    text.lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(":'")?.strip_suffix('\''))
}

/// Names of `launchable-activity: name='X'  label='…' icon='…'`.
fn launchables(text: &str) -> Vec<&str> {
    text.lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("launchable-activity: name='")?;
            Some(rest.rsplit_once("'  label='").map_or(rest, |(n, _)| n))
        })
        .collect()
}

#[derive(Default, Debug)]
struct Counts {
    files: usize,
    aapt_unreadable: usize,
    compared: usize,
    fields: usize,
    matched: usize,
    permissions: usize,
    launchables: usize,
    excepted: usize,
    permissions_only: usize,
    /// Attributes absent in the manifest (aapt prints nothing; platform defaults).
    min_absent: usize,
    target_absent: usize,
    label_absent: usize,
}

struct Cmp<'a> {
    file: &'a str,
    c: &'a mut Counts,
    log: &'a mut Vec<String>,
    used: &'a mut BTreeMap<(&'static str, &'static str), usize>,
}

impl Cmp<'_> {
    fn check(&mut self, field: &str, ok: bool, detail: impl FnOnce() -> String) {
        self.c.fields += 1;
        if ok {
            self.c.matched += 1;
            return;
        }
        if let Some(&(f, fld, _)) = EXCEPTIONS
            .iter()
            .find(|(f, fld, _)| *f == self.file && *fld == field)
        {
            self.c.excepted += 1;
            *self.used.entry((f, fld)).or_default() += 1;
            return;
        }
        self.log
            .push(format!("{}: {field}: {}", self.file, detail()));
    }
}

fn compare(
    m: &Manifest,
    has_resources: bool,
    badging: &str,
    perms: Option<&str>,
    cmp: &mut Cmp<'_>,
) {
    // package / versionCode / versionName
    let ours = package_line(m);
    let theirs = badging.lines().find(|l| l.starts_with("package:"));
    cmp.check(
        "package",
        theirs.is_some_and(|t| line_matches(t, &ours)),
        || format!("aapt {theirs:?}, ours {ours:?}"),
    );

    // minSdk: absent in aapt means the platform default 1.
    let min = quoted_value(badging, "sdkVersion");
    cmp.c.min_absent += usize::from(min.is_none());
    cmp.check(
        "sdkVersion",
        match min {
            Some(v) => v.parse::<i64>().ok() == Some(m.min_sdk),
            None => m.min_sdk == 1,
        },
        || format!("aapt {min:?}, ours {}", m.min_sdk),
    );
    // targetSdk: absent in aapt means target = min.
    let target = quoted_value(badging, "targetSdkVersion");
    cmp.c.target_absent += usize::from(target.is_none());
    cmp.check(
        "targetSdkVersion",
        match target {
            Some(v) => v.parse::<i64>().ok() == Some(m.target_sdk),
            None => m.target_sdk == m.min_sdk,
        },
        || format!("aapt {target:?}, ours {} (min {})", m.target_sdk, m.min_sdk),
    );

    // Default label: aapt prints it only when not empty.
    let label = badging
        .lines()
        .find_map(|l| l.strip_prefix("application-label:'")?.strip_suffix('\''));
    let ours_label = m
        .label
        .as_deref()
        .map(aapt_normalize)
        .filter(|l| !l.is_empty());
    cmp.c.label_absent += usize::from(label.is_none());
    // aapt's badging resolves the label through the resource table only: an
    // APK without resources.arsc gets `application: label=''` even when the
    // manifest holds a literal string (the SDK test APKs are built that way).
    let aapt_without_table = label.is_none()
        && !has_resources
        && badging
            .lines()
            .any(|l| l.starts_with("application: label=''"));
    cmp.check(
        "application-label",
        label == ours_label.as_deref() || aapt_without_table,
        || format!("aapt {label:?}, ours {:?}", m.label),
    );

    for name in launchables(badging) {
        cmp.c.launchables += 1;
        let found = m.components_of(ComponentKind::Activity).find(|c| {
            c.name == name
                && c.exported
                && c.intent_filters
                    .iter()
                    .any(|f| f.actions.iter().any(|a| a == "android.intent.action.MAIN"))
                && c.intent_filters.iter().any(|f| {
                    f.categories
                        .iter()
                        .any(|a| a == "android.intent.category.LAUNCHER")
                })
        });
        cmp.check("launchable-activity", found.is_some(), || {
            let c = m.components.iter().find(|c| c.name == name);
            format!("aapt {name:?}, ours {c:?}")
        });
    }

    // `application-debuggable` is printed when android:debuggable is true.
    let debuggable = badging.lines().any(|l| l == "application-debuggable");
    cmp.check("debuggable", debuggable == m.flags.debuggable, || {
        format!("aapt {debuggable}, ours {}", m.flags.debuggable)
    });

    compare_permissions(m, perms, cmp);
}

/// `aapt dump permissions` against our requested and declared permissions.
fn compare_permissions(m: &Manifest, perms: Option<&str>, cmp: &mut Cmp<'_>) {
    // Requested permissions, in order (implied and optional ones are not elements).
    let Some(perms) = perms else {
        cmp.check("permissions", false, || {
            "aapt dump permissions failed".into()
        });
        return;
    };
    let theirs: Vec<&str> = perms
        .lines()
        .filter(|l| l.starts_with("uses-permission:") || l.starts_with("uses-permission-sdk-23:"))
        .collect();
    let ours = permission_lines(m);
    cmp.c.permissions += ours.len();
    let same =
        theirs.len() == ours.len() && theirs.iter().zip(&ours).all(|(t, o)| line_matches(t, o));
    cmp.check("permissions", same, || {
        let first = theirs
            .iter()
            .zip(&ours)
            .position(|(t, o)| !line_matches(t, o))
            .unwrap_or(theirs.len().min(ours.len()));
        format!(
            "aapt {} lines, ours {}; first difference at {first}: aapt {:?}, ours {:?}",
            theirs.len(),
            ours.len(),
            theirs.get(first),
            ours.get(first)
        )
    });

    // `permission: NAME` for each <permission> the app defines.
    let theirs: Vec<&str> = perms
        .lines()
        .filter_map(|l| l.strip_prefix("permission: "))
        .collect();
    let ours: Vec<String> = m
        .declared_permissions
        .iter()
        .map(|p| aapt_normalize(&p.name))
        .collect();
    cmp.check("declared-permissions", theirs == ours, || {
        format!("aapt {theirs:?}, ours {ours:?}")
    });
}

#[test]
fn apk_model_matches_aapt() {
    if !have_tool("aapt") {
        eprintln!("notice: aapt not installed; oracle test skipped");
        return;
    }
    let mut c = Counts::default();
    let mut log = Vec::new();
    let mut used = BTreeMap::new();
    let mut per_source = Vec::new();
    let sources = sources();
    let all_sources = sources.len() == 3;
    for (source, files) in sources {
        let before = c.compared;
        for path in &files {
            c.files += 1;
            let Ok(bytes) = std::fs::read(path) else {
                continue;
            };
            // Parsed whatever aapt thinks: no panic allowed.
            let ours = Apk::parse(&bytes, Limits::default());
            let file = path.file_name().unwrap().to_str().unwrap_or("?");
            let perms = aapt("permissions", path);
            let Some(badging) = aapt("badging", path) else {
                c.aapt_unreadable += 1;
                // aapt's badging gives up on things it does not need for
                // permissions (e.g. a dangling icon reference): still compare those.
                if let (Some(perms), Ok(apk)) = (perms.as_deref(), &ours) {
                    c.permissions_only += 1;
                    let mut cmp = Cmp {
                        file,
                        c: &mut c,
                        log: &mut log,
                        used: &mut used,
                    };
                    compare_permissions(&apk.manifest, Some(perms), &mut cmp);
                }
                continue;
            };
            let apk = match ours {
                Ok(a) => a,
                Err(e) => {
                    log.push(format!("{}: aapt reads it, we fail: {e}", path.display()));
                    continue;
                }
            };
            c.compared += 1;
            let mut cmp = Cmp {
                file,
                c: &mut c,
                log: &mut log,
                used: &mut used,
            };
            compare(
                &apk.manifest,
                apk.resources.is_some(),
                &badging,
                perms.as_deref(),
                &mut cmp,
            );
        }
        per_source.push(format!(
            "{source}: {} APKs, {} compared",
            files.len(),
            c.compared - before
        ));
    }
    eprintln!("apk oracle: {}", per_source.join("; "));
    eprintln!(
        "apk oracle: {} files, {} unreadable by aapt badging ({} of them compared on \
         permissions only), {} compared; {} fields checked, {} equal, {} documented \
         exceptions; {} permission lines, {} launchable activities; defaults checked: \
         {} without minSdk, {} without targetSdk, {} without label",
        c.files,
        c.aapt_unreadable,
        c.permissions_only,
        c.compared,
        c.fields,
        c.matched,
        c.excepted,
        c.permissions,
        c.launchables,
        c.min_absent,
        c.target_absent,
        c.label_absent
    );
    for ((f, fld), n) in &used {
        eprintln!("apk oracle: exception used: {f} {fld} ×{n}");
    }
    for l in &log {
        eprintln!("MISMATCH {l}");
    }
    assert!(
        log.is_empty(),
        "{} unexplained mismatches with aapt",
        log.len()
    );
    // Exceptions that no longer happen must be removed.
    for (f, fld, why) in EXCEPTIONS {
        assert!(
            used.contains_key(&(*f, *fld)) || !all_sources,
            "stale exception {f} {fld} ({why})"
        );
    }
}

/// The comparison itself must see a difference in each field it claims to check.
#[test]
fn comparison_detects_differences() {
    use pipa_android::manifest::{
        AppFlags, Component, ExportedReason, IntentFilter, Queries, UsesPermission,
    };
    let m = Manifest {
        package: "a.b".into(),
        version_code: Some((1 << 32) | 7),
        version_name: Some("1.0".into()),
        min_sdk: 21,
        target_sdk: 30,
        max_sdk: None,
        compile_sdk: None,
        label: Some("L".into()),
        application_class: None,
        app_component_factory: None,
        process: None,
        shared_user_id: None,
        flags: AppFlags {
            debuggable: false,
            allow_backup: true,
            uses_cleartext_traffic: false,
            uses_cleartext_traffic_explicit: false,
            network_security_config: None,
            request_legacy_external_storage: None,
            extract_native_libs: None,
            test_only: false,
        },
        permissions: vec![
            UsesPermission {
                name: "android.permission.CAMERA".into(),
                max_sdk: None,
                sdk23: false,
                flags: None,
            },
            UsesPermission {
                name: "x.Y".into(),
                max_sdk: Some(28),
                sdk23: true,
                flags: None,
            },
        ],
        declared_permissions: vec![],
        features: vec![],
        components: vec![Component {
            kind: ComponentKind::Activity,
            name: "a.b.Main".into(),
            exported: true,
            exported_reason: ExportedReason::IntentFilter,
            enabled: true,
            permission: None,
            read_permission: None,
            write_permission: None,
            authorities: vec![],
            grant_uri_permissions: None,
            process: None,
            target_activity: None,
            foreground_service_type: None,
            direct_boot_aware: false,
            intent_filters: vec![IntentFilter {
                actions: vec!["android.intent.action.MAIN".into()],
                categories: vec!["android.intent.category.LAUNCHER".into()],
                ..IntentFilter::default()
            }],
            meta_data: vec![],
        }],
        meta_data: vec![],
        queries: Queries::default(),
    };
    let badging = "package: name='a.b' versionCode='7' versionName='1.0' platformBuildVersionName=''\n\
                   sdkVersion:'21'\ntargetSdkVersion:'30'\n\
                   uses-permission: name='android.permission.READ_EXTERNAL_STORAGE'\n\
                   application-label:'L'\n\
                   launchable-activity: name='a.b.Main'  label='' icon=''\n";
    let perms = "package: a.b\nuses-permission: name='android.permission.CAMERA'\n\
                 uses-permission-sdk-23: name='x.Y' maxSdkVersion='28'\n\
                 uses-implied-permission: name='z' reason='r'\n";
    let run = |badging: &str, perms: &str| {
        let mut c = Counts::default();
        let mut log = Vec::new();
        let mut used = BTreeMap::new();
        let mut cmp = Cmp {
            file: "t.apk",
            c: &mut c,
            log: &mut log,
            used: &mut used,
        };
        compare(&m, true, badging, Some(perms), &mut cmp);
        log
    };
    assert_eq!(run(badging, perms), Vec::<String>::new());
    let cases = [
        ("versionCode='7'", "versionCode='8'", "package"),
        ("sdkVersion:'21'\n", "", "sdkVersion"),
        ("targetSdkVersion:'30'\n", "", "targetSdkVersion"),
        ("'L'", "'M'", "application-label"),
        ("a.b.Main'", "a.b.Other'", "launchable-activity"),
        (
            "application-label",
            "application-debuggable\napplication-label",
            "debuggable",
        ),
    ];
    for (from, to, field) in cases {
        let log = run(&badging.replacen(from, to, 1), perms);
        assert_eq!(log.len(), 1, "{field}: {log:?}");
        assert!(log[0].contains(&format!(": {field}: ")), "{log:?}");
    }
    for (from, to) in [
        ("maxSdkVersion='28'", "maxSdkVersion='29'"),
        ("-sdk-23", ""),
        ("CAMERA", "CAMERA2"),
        ("uses-implied-permission", "uses-permission"),
        ("package: a.b\n", "package: a.b\npermission: a.b.P\n"),
    ] {
        let log = run(badging, &perms.replacen(from, to, 1));
        assert_eq!(log.len(), 1, "{from}: {log:?}");
        assert!(log[0].contains("permissions:"), "{log:?}");
    }
}
