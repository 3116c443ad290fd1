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

use crate::model::Subject;
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
    /// Descriptor prefixes of their organisations (`Lcom/hjq/`).
    org_prefixes: Vec<String>,
    /// The compiled SDK catalogue with the ids of its SDKs.
    catalogue: Option<Arc<(Catalogue, Vec<String>)>>,
}

impl SubjectResolver {
    /// The app's own code is under the manifest package, the package of the
    /// `<application android:name>` class, or the package of a launcher
    /// activity (apps whose code namespace differs from their application id).
    pub fn new(manifest: &Manifest) -> SubjectResolver {
        let mut app_prefixes = Vec::new();
        let mut add = |pkg: &str| {
            let pkg = pkg.trim_matches('.');
            if pkg.is_empty() {
                return;
            }
            let p = format!("L{}/", pkg.replace('.', "/"));
            if !app_prefixes.contains(&p) {
                app_prefixes.push(p);
            }
        };
        add(&manifest.package);
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
        for cls in manifest.application_class.iter().chain(launchers) {
            if let Some((pkg, _)) = cls.rsplit_once('.') {
                add(pkg);
            }
        }
        let org_prefixes = orgs(&app_prefixes);
        SubjectResolver {
            app_prefixes,
            org_prefixes,
            catalogue: None,
        }
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
        for (i, p) in self.app_prefixes.iter().enumerate() {
            let same_org = manifest_org.is_some() && org_of(p) == manifest_org;
            if i == 0 || same_org || !sdk_prefixes.iter().any(|s| p.starts_with(s.as_str())) {
                kept.push(p.clone());
            }
        }
        self.app_prefixes = kept;
        self.org_prefixes = orgs(&self.app_prefixes);
        let all: Vec<String> = self
            .app_prefixes
            .iter()
            .chain(&self.org_prefixes)
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

    /// The first-party prefixes, dotted with `.*` (`com.hjq.*`): the
    /// organisation prefixes, then the app's packages not under one of them.
    pub fn first_party(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in &self.org_prefixes {
            out.push(format!("{}.*", dotted_prefix(p)));
        }
        for p in &self.app_prefixes {
            if !self.org_prefixes.iter().any(|o| p.starts_with(o.as_str())) {
                out.push(format!("{}.*", dotted_prefix(p)));
            }
        }
        out
    }
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
        SubjectResolver {
            org_prefixes: orgs(&app_prefixes),
            app_prefixes,
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
}
