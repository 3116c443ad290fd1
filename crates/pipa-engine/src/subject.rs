//! Who does it: the one place that decides the subject of a code location:
//! the app's own code, a catalogued SDK, or unknown third-party code.
//!
//! **First-party code** is under the manifest package, the package of the
//! `<application android:name>` class or of a launcher activity (the last
//! two only when not inside a catalogued SDK's package, unless they share the
//! manifest package's organisation), or under the *organisation prefix* of
//! one of those packages: its first two segments (`com.hjq` for
//! `com.hjq.demo`; three when the second is generic, `cn.com.x`,
//! `com.github.x`; none for platform namespaces such as `com.android`).
//!
//! A class under both a first-party prefix and a catalogued SDK prefix is
//! the SDK's only when the SDK prefix is longer (more specific): with app
//! `com.hjq.demo`, a catalogued `com.hjq.toast` stays that library (a
//! separate product of the same organisation), while uncatalogued `com.hjq.*`
//! code is first-party; with app `cn.jiguang.demo`, the vendor-wide
//! `cn.jiguang` prefix (JCore) claims nothing under `cn.jiguang`, while
//! JPush's `cn.jpush.android` stays JPush's; in Bugly's demo app
//! `com.tencent.bugly.hotfix`, `com.tencent.bugly` outside the app's package
//! stays Bugly's (its code is there).
//!
//! The user may name more first-party prefixes (`pipa scan --first-party
//! com.hjq`, [`parse_first_party`]): they are the app's as given (no
//! organisation prefix is derived from them), with the same precedence (a
//! longer catalogued SDK prefix keeps its code). Each prefix keeps how it was
//! decided ([`FirstPartyPrefix`]), for the reports.

use crate::model::{FirstPartyBasis, FirstPartyPrefix, Subject};
use crate::sdks::{Catalogue, Owner};
use pipa_android::Manifest;
use pipa_android::manifest::ComponentKind;
use std::sync::Arc;

/// `Lcom/x/Y;` → `com.x.Y`.
pub(crate) fn dotted(desc: &str) -> String {
    desc.strip_prefix('L')
        .and_then(|s| s.strip_suffix(';'))
        .unwrap_or(desc)
        .replace('/', ".")
}

/// `com.x.Y` → `Lcom/x/Y;`.
pub(crate) fn descriptor(dotted: &str) -> String {
    format!("L{};", dotted.replace('.', "/"))
}

/// Decides the [`Subject`] of a class from the manifest.
#[derive(Debug, Clone, Default)]
pub struct SubjectResolver {
    /// Descriptor prefixes of the app's own packages, `Lcom/x/`.
    app_prefixes: Vec<String>,
    /// Per app prefix: what it comes from (the manifest package, the class).
    app_sources: Vec<(FirstPartyBasis, String)>,
    /// Descriptor prefixes of their organisations (`Lcom/hjq/`).
    org_prefixes: Vec<String>,
    /// Prefixes the user named (`--first-party`): descriptor form, and as given.
    user_prefixes: Vec<(String, String)>,
    /// The compiled SDK catalogue with the ids of its SDKs.
    catalogue: Option<Arc<(Catalogue, Vec<String>)>>,
}

impl SubjectResolver {
    /// The app's own code is under the manifest package, the package of the
    /// `<application android:name>` class, or the package of a launcher
    /// activity (apps whose code namespace differs from their application id).
    pub fn new(manifest: &Manifest) -> SubjectResolver {
        let mut app_prefixes = Vec::new();
        let mut app_sources = Vec::new();
        let mut add = |pkg: &str, basis: FirstPartyBasis, source: &str| {
            let pkg = pkg.trim_matches('.');
            if pkg.is_empty() {
                return;
            }
            let p = format!("L{}/", pkg.replace('.', "/"));
            if !app_prefixes.contains(&p) {
                app_prefixes.push(p);
                app_sources.push((basis, source.to_string()));
            }
        };
        add(
            &manifest.package,
            FirstPartyBasis::ManifestPackage,
            &manifest.package,
        );
        let launchers = manifest.components.iter().filter_map(|c| {
            let activity = matches!(
                c.kind,
                ComponentKind::Activity | ComponentKind::ActivityAlias
            );
            let launcher = c.intent_filters.iter().any(|f| {
                f.actions.iter().any(|a| a == "android.intent.action.MAIN")
                    && f.categories
                        .iter()
                        .any(|x| x == "android.intent.category.LAUNCHER")
            });
            (activity && launcher).then(|| c.target_activity.as_ref().unwrap_or(&c.name))
        });
        let classes = manifest
            .application_class
            .iter()
            .map(|c| (FirstPartyBasis::ApplicationClass, c))
            .chain(launchers.map(|c| (FirstPartyBasis::LauncherActivity, c)));
        for (basis, cls) in classes {
            if let Some((pkg, _)) = cls.rsplit_once('.') {
                add(pkg, basis, cls);
            }
        }
        let org_prefixes = orgs(&app_prefixes);
        SubjectResolver {
            app_prefixes,
            app_sources,
            org_prefixes,
            user_prefixes: Vec::new(),
            catalogue: None,
        }
    }

    /// Adds the first-party prefixes the user named (dotted, as returned by
    /// [`parse_first_party`]). Call before [`Self::with_catalogue`].
    pub fn with_first_party(mut self, prefixes: &[String]) -> SubjectResolver {
        for p in prefixes {
            let pkg = p.trim_end_matches('*').trim_matches('.');
            if pkg.is_empty() {
                continue;
            }
            let d = format!("L{}/", pkg.replace('.', "/"));
            if !self.user_prefixes.iter().any(|(x, _)| *x == d) {
                self.user_prefixes.push((d, pkg.to_string()));
            }
        }
        self
    }

    /// Adds SDK attribution from the knowledge base's SDK catalogue.
    pub fn with_catalogue(mut self, kb: &pipa_kb::Kb) -> SubjectResolver {
        // A launcher activity or application class inside a catalogued SDK's
        // package (LeakCanary's DisplayLeakActivity has its own launcher
        // icon) does not make that package the app's own; the manifest
        // package (the first prefix) always stays.
        let sdk_prefixes: Vec<String> = kb
            .sdks
            .iter()
            .flat_map(|s| &s.signatures.dex)
            .map(|d| format!("L{}/", d.replace('.', "/")))
            .collect();
        let manifest_org = self.app_prefixes.first().and_then(|p| org_of(p));
        let mut kept = Vec::with_capacity(self.app_prefixes.len());
        let mut kept_sources = Vec::with_capacity(self.app_prefixes.len());
        for (i, p) in self.app_prefixes.iter().enumerate() {
            let same_org = manifest_org.is_some() && org_of(p) == manifest_org;
            if i == 0 || same_org || !sdk_prefixes.iter().any(|s| p.starts_with(s.as_str())) {
                kept.push(p.clone());
                if let Some(src) = self.app_sources.get(i) {
                    kept_sources.push(src.clone());
                }
            }
        }
        self.app_prefixes = kept;
        self.app_sources = kept_sources;
        self.org_prefixes = orgs(&self.app_prefixes);
        let all: Vec<String> = self
            .app_prefixes
            .iter()
            .chain(&self.org_prefixes)
            .chain(self.user_prefixes.iter().map(|(d, _)| d))
            .cloned()
            .collect();
        let cat = Catalogue::new(kb, &all);
        let ids = kb.sdks.iter().map(|s| s.id.clone()).collect();
        self.catalogue = Some(Arc::new((cat, ids)));
        self
    }

    pub(crate) fn catalogue(&self) -> Option<&Catalogue> {
        self.catalogue.as_deref().map(|(c, _)| c)
    }

    /// The subject of code in class `class_desc` (`Lcom/x/Y;`).
    pub fn of_class(&self, class_desc: &str) -> Subject {
        if let Some((cat, ids)) = self.catalogue.as_deref() {
            return match cat.owner_of_descriptor(class_desc.as_bytes()) {
                Owner::App => Subject::App,
                Owner::Prefix(p) => cat
                    .sdk_of(p)
                    .and_then(|s| ids.get(s as usize))
                    .map_or(Subject::UnknownThirdParty, |id| Subject::Sdk(id.clone())),
                Owner::None => Subject::UnknownThirdParty,
            };
        }
        if self
            .app_prefixes
            .iter()
            .chain(&self.org_prefixes)
            .chain(self.user_prefixes.iter().map(|(d, _)| d))
            .any(|p| class_desc.starts_with(p.as_str()))
        {
            Subject::App
        } else {
            Subject::UnknownThirdParty
        }
    }

    /// Descriptor prefixes of the app's own code.
    pub fn app_prefixes(&self) -> &[String] {
        &self.app_prefixes
    }

    /// The first-party prefixes, dotted with `.*` (`com.hjq.*`): the ones
    /// the user named, the organisation prefixes, then the app's packages
    /// not under one of them.
    pub fn first_party(&self) -> Vec<String> {
        self.first_party_basis()
            .into_iter()
            .map(|p| p.prefix)
            .collect()
    }

    /// [`Self::first_party`], each with how it was decided: the user's
    /// option, or the first package (manifest package, application class,
    /// launcher activity) it comes from.
    pub fn first_party_basis(&self) -> Vec<FirstPartyPrefix> {
        let mut out: Vec<FirstPartyPrefix> = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for (d, given) in &self.user_prefixes {
            seen.push(d);
            out.push(FirstPartyPrefix {
                prefix: format!("{}.*", dotted_prefix(d)),
                basis: FirstPartyBasis::Option,
                source: given.clone(),
                organisation: false,
            });
        }
        let source = |i: usize| {
            self.app_sources.get(i).cloned().unwrap_or_else(|| {
                let p = self.app_prefixes.get(i).map_or("", String::as_str);
                (FirstPartyBasis::ManifestPackage, dotted_prefix(p))
            })
        };
        for o in &self.org_prefixes {
            let Some(i) = self
                .app_prefixes
                .iter()
                .position(|p| org_of(p).as_deref() == Some(o.as_str()))
            else {
                continue;
            };
            if seen.contains(&o.as_str()) {
                continue;
            }
            seen.push(o);
            let (basis, source) = source(i);
            out.push(FirstPartyPrefix {
                prefix: format!("{}.*", dotted_prefix(o)),
                basis,
                source,
                // A two-segment package is its own organisation.
                organisation: self.app_prefixes.get(i) != Some(o),
            });
        }
        for (i, p) in self.app_prefixes.iter().enumerate() {
            if self.org_prefixes.iter().any(|o| p.starts_with(o.as_str()))
                || seen.contains(&p.as_str())
            {
                continue;
            }
            seen.push(p);
            let (basis, source) = source(i);
            out.push(FirstPartyPrefix {
                prefix: format!("{}.*", dotted_prefix(p)),
                basis,
                source,
                organisation: false,
            });
        }
        out
    }
}

/// Why a `--first-party` prefix is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{given:?} is not a usable first-party package prefix: {why}")]
pub struct FirstPartyError {
    /// The prefix as given.
    pub given: String,
    /// What is wrong with it.
    pub why: String,
}

/// Reads a first-party package prefix as a user writes it (`com.hjq`,
/// `com.hjq.*`, `com.hjq.`) into its dotted form (`com.hjq`). Refused: an
/// empty or malformed name (segments of letters, digits, `_` and `$`, not
/// starting with a digit), a single segment (`com` would claim every
/// `com.*` class), a generic namespace (`com.github`, `cn.com`) and the
/// platform's (`android`, `androidx`, `java`, `kotlin`, `com.google`,
/// `com.android`, and anything under the first six): their code is never
/// the app's.
pub fn parse_first_party(given: &str) -> Result<String, FirstPartyError> {
    let err = |why: &str| FirstPartyError {
        given: given.to_string(),
        why: why.to_string(),
    };
    let p = given.trim();
    let p = p
        .strip_suffix(".*")
        .or_else(|| p.strip_suffix('.'))
        .unwrap_or(p);
    if p.is_empty() {
        return Err(err("empty; give a dotted package name such as com.example"));
    }
    if p.contains('/') {
        return Err(err("use dots, not slashes (com.example, not com/example)"));
    }
    let segs: Vec<&str> = p.split('.').collect();
    for s in &segs {
        let ok = s
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
            && s.chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '$');
        if !ok {
            return Err(err(&format!(
                "segment {s:?} is not a Java package name (letters, digits, _ and $, not starting with a digit)"
            )));
        }
    }
    if segs.len() < 2 {
        return Err(err(
            "a single segment would claim a whole top-level namespace; give at least two (com.example)",
        ));
    }
    if segs.len() == 2 && segs.get(1).is_some_and(|s| GENERIC_SECOND.contains(s)) {
        return Err(err(
            "a generic namespace names no organisation; give the organisation too (com.github.user)",
        ));
    }
    // The platform's organisations: a one-segment one (`androidx`) with
    // everything under it, a longer one (`com.android`) itself.
    let platform = p == "com.google"
        || PLATFORM_ORGS
            .iter()
            .any(|n| p == *n || (!n.contains('.') && p.starts_with(&format!("{n}."))));
    if platform {
        return Err(err(
            "the platform's namespace (Android, AndroidX, Java, Kotlin, Google) is never the app's own code",
        ));
    }
    Ok(p.to_string())
}

/// `Lcom/x/` → `com.x`.
fn dotted_prefix(p: &str) -> String {
    p.trim_start_matches('L')
        .trim_end_matches('/')
        .replace('/', ".")
}

/// Second segments that name no organisation: the organisation is three
/// segments (`cn.com.bank`, `com.github.user`).
const GENERIC_SECOND: &[&str] = &[
    "com",
    "net",
    "org",
    "gov",
    "edu",
    "ac",
    "co",
    "github",
    "gitee",
    "gitlab",
    "googlecode",
    "sourceforge",
    "bitbucket",
];

/// Namespaces that are nobody's organisation prefix.
const PLATFORM_ORGS: &[&str] = &[
    "com.android",
    "com.google.android",
    "android",
    "androidx",
    "java",
    "javax",
    "kotlin",
    "kotlinx",
    "dalvik",
];

/// The organisation prefix (`Lcom/hjq/`) of a package prefix (`Lcom/hjq/demo/`).
fn org_of(prefix: &str) -> Option<String> {
    let pkg = dotted_prefix(prefix);
    let segs: Vec<&str> = pkg.split('.').collect();
    let generic = segs.get(1).is_some_and(|s| GENERIC_SECOND.contains(s));
    let n = if generic { 3 } else { 2 };
    let org = segs.get(..n)?.join(".");
    if PLATFORM_ORGS.contains(&org.as_str()) || segs.len() < n {
        return None;
    }
    Some(format!("L{}/", org.replace('.', "/")))
}

/// The organisation prefixes of `prefixes`, once each.
fn orgs(prefixes: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for o in prefixes.iter().filter_map(|p| org_of(p)) {
        if !out.contains(&o) {
            out.push(o);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolver(pkgs: &[&str]) -> SubjectResolver {
        let app_prefixes: Vec<String> = pkgs.iter().map(|p| p.to_string()).collect();
        let app_sources = app_prefixes
            .iter()
            .map(|p| (FirstPartyBasis::ManifestPackage, dotted_prefix(p)))
            .collect();
        SubjectResolver {
            org_prefixes: orgs(&app_prefixes),
            app_prefixes,
            app_sources,
            user_prefixes: Vec::new(),
            catalogue: None,
        }
    }

    #[test]
    fn a_launcher_inside_an_sdk_package_is_not_the_app() {
        let r = resolver(&["Lcom/hjq/demo/", "Lcom/squareup/leakcanary/internal/"]);
        let mut kb = pipa_kb::Kb::default();
        let mut sdk: pipa_kb::Sdk = pipa_kb::Kb::embedded()
            .sdk("square.leakcanary")
            .expect("catalogued")
            .clone();
        sdk.signatures.dex = vec!["com.squareup.leakcanary".into()];
        kb.sdks.push(sdk);
        let r = r.with_catalogue(&kb);
        assert_eq!(r.app_prefixes(), ["Lcom/hjq/demo/".to_string()]);
        assert_eq!(
            r.of_class("Lcom/squareup/leakcanary/internal/LeakCanaryInternals;"),
            Subject::Sdk("square.leakcanary".into())
        );
    }

    #[test]
    fn app_package_and_subpackages_are_the_app() {
        let r = resolver(&["Lcom/x/"]);
        assert_eq!(r.of_class("Lcom/x/Y;"), Subject::App);
        assert_eq!(r.of_class("Lcom/x/y/Z;"), Subject::App);
        assert_eq!(r.of_class("Lcom/xy/Z;"), Subject::UnknownThirdParty);
        assert_eq!(r.of_class("La/b;"), Subject::UnknownThirdParty);
    }
    #[test]
    fn organisation_prefixes() {
        let org = |p: &str| org_of(p);
        assert_eq!(org("Lcom/hjq/demo/"), Some("Lcom/hjq/".into()));
        assert_eq!(org("Lcn/com/bank/app/"), Some("Lcn/com/bank/".into()));
        assert_eq!(
            org("Lcom/github/user/app/"),
            Some("Lcom/github/user/".into())
        );
        assert_eq!(org("Lcom/android/settings/"), None);
        assert_eq!(
            org("Lcom/google/android/youtube/"),
            Some("Lcom/google/".into())
        );
        assert_eq!(org("Lapp/"), None);
        let r = resolver(&["Lcom/hjq/demo/"]);
        assert_eq!(r.first_party(), vec!["com.hjq.*".to_string()]);
        assert_eq!(r.of_class("Lcom/hjq/bar/TitleBar;"), Subject::App);
    }

    /// A resolver for manifest package `pkg` with the embedded catalogue
    /// and the user's `--first-party` prefixes.
    fn with_user(pkg: &str, user: &[&str]) -> SubjectResolver {
        let user: Vec<String> = user
            .iter()
            .map(|u| parse_first_party(u).expect("valid prefix"))
            .collect();
        let mut r = resolver(&[&format!("L{}/", pkg.replace('.', "/"))]);
        r.app_sources = vec![(FirstPartyBasis::ManifestPackage, pkg.to_string())];
        r.with_first_party(&user)
            .with_catalogue(pipa_kb::Kb::embedded())
    }

    #[test]
    fn first_party_option_claims_unknown_code() {
        let before = with_user("com.example.demo", &[]);
        assert_eq!(
            before.of_class("Lcom/hjq/bar/TitleBar;"),
            Subject::UnknownThirdParty
        );
        let r = with_user("com.example.demo", &["com.hjq.*"]);
        assert_eq!(r.of_class("Lcom/hjq/bar/TitleBar;"), Subject::App);
        assert_eq!(r.of_class("Lcom/hjqx/Y;"), Subject::UnknownThirdParty);
        let basis = r.first_party_basis();
        assert_eq!(
            basis[0],
            FirstPartyPrefix {
                prefix: "com.hjq.*".into(),
                basis: FirstPartyBasis::Option,
                source: "com.hjq".into(),
                organisation: false,
            }
        );
        assert_eq!(basis[1].prefix, "com.example.*");
        assert_eq!(basis[1].basis, FirstPartyBasis::ManifestPackage);
        assert!(basis[1].organisation);
        assert_eq!(
            basis[1].basis_text().en,
            "organisation of the manifest package com.example.demo"
        );
        assert_eq!(r.first_party(), vec!["com.hjq.*", "com.example.*"]);
    }

    #[test]
    fn a_longer_catalogued_prefix_keeps_its_code_under_the_option() {
        // U-Common's `com.umeng.commonsdk` is longer than `com.umeng`: it
        // stays the SDK's; uncatalogued `com.umeng.x` becomes the app's.
        let r = with_user("com.example.demo", &["com.umeng"]);
        assert_eq!(
            r.of_class("Lcom/umeng/commonsdk/UMConfigure;"),
            Subject::Sdk("umeng.common".into())
        );
        assert_eq!(r.of_class("Lcom/umeng/mine/Helper;"), Subject::App);
        // Naming the SDK's own prefix (as specific as it) claims it.
        let r = with_user("com.example.demo", &["com.umeng.commonsdk"]);
        assert_eq!(
            r.of_class("Lcom/umeng/commonsdk/UMConfigure;"),
            Subject::App
        );
    }

    #[test]
    fn bad_first_party_prefixes_are_refused_with_the_reason() {
        assert_eq!(parse_first_party("com.hjq.*").as_deref(), Ok("com.hjq"));
        assert_eq!(parse_first_party(" com.hjq. ").as_deref(), Ok("com.hjq"));
        assert_eq!(
            parse_first_party("com.google.android.youtube").as_deref(),
            Ok("com.google.android.youtube")
        );
        for bad in [
            "",
            "*",
            "com",
            "com.",
            "com/hjq",
            "com..hjq",
            "com.1hjq",
            "com.hj q",
            "androidx.core",
            "android",
            "com.google",
            "com.android",
            "kotlin.io",
            "com.github",
            "cn.com",
        ] {
            let e = parse_first_party(bad).expect_err(bad);
            assert!(e.to_string().contains(&format!("{bad:?}")), "{e}");
        }
    }
}
