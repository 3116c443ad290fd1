//! Who does it: the one place that decides the subject of a code location:
//! the app's own code, a catalogued SDK (the most specific dex prefix of the
//! catalogue wins over the app's package when longer), or unknown
//! third-party code.

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
        SubjectResolver {
            app_prefixes,
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
        let mut kept = Vec::with_capacity(self.app_prefixes.len());
        for (i, p) in self.app_prefixes.iter().enumerate() {
            if i == 0 || !sdk_prefixes.iter().any(|s| p.starts_with(s.as_str())) {
                kept.push(p.clone());
            }
        }
        self.app_prefixes = kept;
        let cat = Catalogue::new(kb, &self.app_prefixes);
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolver(pkgs: &[&str]) -> SubjectResolver {
        SubjectResolver {
            app_prefixes: pkgs.iter().map(|p| p.to_string()).collect(),
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
}
