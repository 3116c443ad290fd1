//! The SDK catalogue compiled for matching: hash maps keyed by what each
//! kind of evidence looks like in a package, so that every class, component,
//! meta-data key, file and string is looked up once, whatever the number of
//! signatures (one pass; no per-signature scan).

use pipa_kb::{Kb, Sdk};
use regex::RegexSet;
use std::collections::{HashMap, HashSet};

/// Who owns a class: an SDK's dex prefix (index into [`Catalogue::prefixes`]),
/// the app's own package, or nobody known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    /// Matched dex prefix (index into `prefixes`), with its length in bytes.
    Prefix(u32),
    /// Under one of the app's own packages, more specific than any SDK prefix.
    App,
    /// Neither.
    None,
}

/// One dex prefix of one SDK.
#[derive(Debug, Clone)]
pub(crate) struct Prefix {
    /// Index of the SDK in `kb.sdks`.
    pub sdk: u32,
    /// Dotted form as written in the catalogue.
    pub dotted: String,
}

/// The compiled catalogue (owns its keys: no borrow of the kb).
#[derive(Debug, Default)]
pub(crate) struct Catalogue {
    pub prefixes: Vec<Prefix>,
    /// Slash-form package or class path (`com/umeng/commonsdk`) → prefix index.
    paths: HashMap<Box<[u8]>, u32>,
    /// The app's first-party prefixes (slash form): its packages and their
    /// organisation prefixes (see [`crate::subject`]).
    app_paths: HashSet<Box<[u8]>>,
    /// Per SDK: its vendor family (the id before the first dot), an index
    /// into `family_names`.
    pub family: Vec<u32>,
    /// Per SDK: a library or framework (code others relocate into theirs).
    library: Vec<bool>,
    family_names: Vec<String>,
    /// Vendor namespaces (first two segments of a dex prefix, slash form,
    /// `com/google`) → the families with a prefix there.
    namespaces: HashMap<Box<[u8]>, Vec<u32>>,
    /// Packages (slash form) holding a class-name signature (last segment
    /// starts with an upper-case letter): only their classes need a
    /// class-level lookup.
    class_pkgs: HashSet<Box<[u8]>>,
    /// Core classes (slash form, no `L`/`;`: `com/tencent/tauth/Tencent`)
    /// → the SDK they prove (see `SdkSignatures::core_classes`).
    core: HashMap<Box<[u8]>, u32>,
    /// Per SDK: it lists core classes, so its code counts only with one.
    pub needs_core: Vec<bool>,
    /// Component class name → SDKs.
    pub components: HashMap<String, Vec<u32>>,
    pub components_regex: Option<(RegexSet, Vec<u32>)>,
    /// Meta-data key → SDKs.
    pub meta_data: HashMap<String, Vec<u32>>,
    /// Native library file name → SDKs.
    pub native: HashMap<String, Vec<u32>>,
    pub native_regex: Option<(RegexSet, Vec<u32>)>,
    /// Exact entry path → SDKs.
    pub assets: HashMap<String, Vec<u32>>,
    /// Entry path prefixes (ending in `/`) and their SDK.
    pub asset_prefixes: Vec<(String, u32)>,
    /// Host names (lower case) → SDK; a host also matches its subdomains.
    pub hosts: HashMap<Box<[u8]>, u32>,
    /// The top-level domains of `hosts` with their dot (`.com`), sorted: what
    /// the string search looks for first.
    pub tlds: Vec<String>,
}

/// Top-level segments tried when a shaded copy's vendor token is found
/// (`com/google/gson/umeng/x` → `com/umeng/x`, `cn/umeng/x`, …).
const SHADE_TLDS: [&str; 5] = ["com", "cn", "net", "io", "org"];

/// Package names that name no vendor.
const NOT_VENDORS: &[&str] = &[
    "com", "net", "org", "github", "gitee", "gitlab", "google", "android", "apache", "example",
];

fn regex_set(pairs: Vec<(String, u32)>) -> Option<(RegexSet, Vec<u32>)> {
    if pairs.is_empty() {
        return None;
    }
    // Anchored: a signature names the whole file or class name.
    let (pats, owners): (Vec<String>, Vec<u32>) = pairs
        .into_iter()
        .map(|(p, i)| (format!("^(?:{p})$"), i))
        .unzip();
    // The kb tests compile every pattern; a bad one here drops the set
    // rather than failing a scan.
    RegexSet::new(&pats).ok().map(|s| (s, owners))
}

impl Catalogue {
    /// Compiles the catalogue of `kb`, with the app's first-party prefixes
    /// (`Lcom/x/` descriptor prefixes: its packages and their organisation
    /// prefixes) so that first-party code under an SDK prefix as generic as
    /// them stays the app's.
    pub fn new(kb: &Kb, app_prefixes: &[String]) -> Catalogue {
        let mut c = Catalogue::default();
        let mut comp_re = Vec::new();
        let mut native_re = Vec::new();
        for (i, sdk) in kb.sdks.iter().enumerate() {
            let i = i as u32;
            let fam = sdk.id.split('.').next().unwrap_or_default();
            let f = match c.family_names.iter().position(|n| n == fam) {
                Some(f) => f as u32,
                None => {
                    c.family_names.push(fam.to_string());
                    (c.family_names.len() - 1) as u32
                }
            };
            c.family.push(f);
            c.library
                .push(matches!(sdk.category.as_str(), "library" | "framework"));
            c.add_sdk(i, sdk, &mut comp_re, &mut native_re);
        }
        let slash = |p: &String| p.trim_start_matches('L').trim_end_matches('/').to_string();
        for p in app_prefixes {
            let path = slash(p);
            if !path.is_empty() {
                c.app_paths.insert(path.into_bytes().into());
            }
        }
        // Vendor namespaces.
        for p in &c.prefixes {
            let path = p.dotted.trim_matches('.').replace('.', "/");
            let segs: Vec<&str> = path.split('/').collect();
            let (Some(a), Some(b)) = (segs.first(), segs.get(1)) else {
                continue;
            };
            let Some(&f) = c.family.get(p.sdk as usize) else {
                continue;
            };
            let ns: Box<[u8]> = format!("{a}/{b}").into_bytes().into();
            let v = c.namespaces.entry(ns).or_default();
            if !v.contains(&f) {
                v.push(f);
            }
        }
        let mut tlds: Vec<String> = c
            .hosts
            .keys()
            .filter_map(|h| h.iter().rposition(|&b| b == b'.').and_then(|p| h.get(p..)))
            .map(|t| String::from_utf8_lossy(t).into_owned())
            .collect();
        tlds.sort();
        tlds.dedup();
        c.tlds = tlds;
        c.components_regex = regex_set(comp_re);
        c.native_regex = regex_set(native_re);
        c
    }

    fn add_sdk(
        &mut self,
        i: u32,
        sdk: &Sdk,
        comp_re: &mut Vec<(String, u32)>,
        native_re: &mut Vec<(String, u32)>,
    ) {
        let s = &sdk.signatures;
        for d in &s.dex {
            let path = d.trim_matches('.').replace('.', "/");
            if path.is_empty() {
                continue;
            }
            let idx = self.prefixes.len() as u32;
            self.prefixes.push(Prefix {
                sdk: i,
                dotted: d.clone(),
            });
            if let Some((pkg, last)) = path.rsplit_once('/')
                && last.starts_with(|c: char| c.is_ascii_uppercase())
            {
                self.class_pkgs.insert(pkg.as_bytes().into());
            }
            self.paths.entry(path.into_bytes().into()).or_insert(idx);
        }
        let push = |map: &mut HashMap<String, Vec<u32>>, k: &String| {
            let v = map.entry(k.clone()).or_default();
            if !v.contains(&i) {
                v.push(i);
            }
        };
        for k in &s.components {
            push(&mut self.components, k);
        }
        for k in &s.meta_data {
            push(&mut self.meta_data, k);
        }
        for k in &s.native {
            push(&mut self.native, k);
        }
        for a in &s.assets {
            if a.ends_with('/') {
                self.asset_prefixes.push((a.clone(), i));
            } else {
                push(&mut self.assets, a);
            }
        }
        for h in &s.hosts {
            let h = h.trim().trim_start_matches("*.").to_ascii_lowercase();
            if !h.is_empty() {
                self.hosts.entry(h.into_bytes().into()).or_insert(i);
            }
        }
        for k in &s.core_classes {
            let path = k.trim_matches('.').replace('.', "/");
            if !path.is_empty() {
                self.core.entry(path.into_bytes().into()).or_insert(i);
            }
        }
        self.needs_core.push(!s.core_classes.is_empty());
        comp_re.extend(s.components_regex.iter().map(|r| (r.clone(), i)));
        native_re.extend(s.native_regex.iter().map(|r| (r.clone(), i)));
    }

    /// The SDK that class `path` (slash form, no `L`/`;`) is a core class of.
    pub fn core_of(&self, path: &[u8]) -> Option<u32> {
        if self.core.is_empty() {
            return None;
        }
        self.core.get(path).copied()
    }

    /// The SDK of a prefix index.
    pub fn sdk_of(&self, prefix: u32) -> Option<u32> {
        self.prefixes.get(prefix as usize).map(|p| p.sdk)
    }

    /// The longest SDK prefix at or above `pkg` (slash form) and its length.
    fn longest_sdk(&self, pkg: &[u8]) -> Option<(u32, usize)> {
        let mut end = pkg.len();
        loop {
            let k = pkg.get(..end)?;
            if let Some(&v) = self.paths.get(k) {
                return Some((v, end));
            }
            end = k.iter().rposition(|&c| c == b'/')?;
        }
    }

    /// The length of the longest first-party prefix at or above `pkg`.
    fn longest_app(&self, pkg: &[u8]) -> Option<usize> {
        if self.app_paths.is_empty() {
            return None;
        }
        let mut end = pkg.len();
        loop {
            let k = pkg.get(..end)?;
            if self.app_paths.contains(k) {
                return Some(end);
            }
            end = k.iter().rposition(|&c| c == b'/')?;
        }
    }

    /// A shaded copy: `rest` (what follows a prefix of a library `sdk` of
    /// family `family`) starts with another vendor's family name and, put back at
    /// the top (`com/google/gson` + `umeng/analytics/a` →
    /// `com/umeng/analytics/a`), is under a prefix of that vendor's: that
    /// prefix. (A copy nested the other way, `com/vendor/x/com/google/gson`,
    /// is already the vendor's: the longest match from the top is its prefix.)
    fn shaded(&self, rest: &[u8], sdk: u32, family: u32) -> Option<u32> {
        if self.library.get(sdk as usize) != Some(&true) {
            // A vendor's adapter for another (`cn/jiguang/share/facebook`)
            // is the vendor's own code.
            return None;
        }
        let first = rest.split(|&c| c == b'/').next()?;
        if first.len() < 4 || NOT_VENDORS.iter().any(|v| v.as_bytes() == first) {
            return None;
        }
        for tld in SHADE_TLDS {
            let mut cand = Vec::with_capacity(tld.len() + 1 + rest.len());
            cand.extend_from_slice(tld.as_bytes());
            cand.push(b'/');
            cand.extend_from_slice(rest);
            if let Some((p, l)) = self.longest_sdk(&cand)
                && l > tld.len() + 1 + first.len()
                && let Some(&f) = self.sdk_of(p).and_then(|s| self.family.get(s as usize))
                && f != family
                && self.family_names.get(f as usize).map(|n| n.as_bytes()) == Some(first)
            {
                return Some(p);
            }
        }
        None
    }

    /// Owner of a package path (slash form, no `L`): the most specific SDK
    /// prefix, unless a first-party prefix is at least as specific (app
    /// `cn.jiguang.demo`, organisation `cn.jiguang`: nothing under the
    /// vendor-wide `cn.jiguang` prefix is the SDK's, while the longer
    /// `cn.jpush.android`, or `com.tencent.bugly` in app
    /// `com.tencent.bugly.demo`, stays the SDK's); a package nested in an
    /// SDK's that names another vendor is that vendor's shaded copy.
    pub fn owner_of_package(&self, pkg: &[u8]) -> Owner {
        let sdk = self.longest_sdk(pkg);
        let app = self.longest_app(pkg);
        match (sdk, app) {
            (None, None) => Owner::None,
            (None, Some(_)) => Owner::App,
            (Some((_, l)), Some(a)) if a >= l => Owner::App,
            (Some((p, l)), _) => {
                let rest = pkg.get(l + 1..).unwrap_or_default();
                let shaded = self.sdk_of(p).and_then(|s| {
                    let f = *self.family.get(s as usize)?;
                    if rest.is_empty() {
                        None
                    } else {
                        self.shaded(rest, s, f)
                    }
                });
                Owner::Prefix(shaded.unwrap_or(p))
            }
        }
    }

    /// The vendor families with a dex prefix in the namespace (first two
    /// segments) of a class descriptor `Lcom/x/…`.
    pub fn namespace_families(&self, desc: &[u8]) -> &[u32] {
        let path = desc.strip_prefix(b"L").unwrap_or(desc);
        let mut it = path.iter().enumerate().filter(|&(_, &c)| c == b'/');
        let end = it.nth(1).map(|(i, _)| i);
        end.and_then(|e| path.get(..e))
            .and_then(|ns| self.namespaces.get(ns))
            .map_or(&[], |v| v.as_slice())
    }

    /// Owner of a class given its path (slash form, no `L`/`;`), split at its
    /// last `/`; `pkg_owner` is [`Self::owner_of_package`] of the package
    /// part (passed in so a caller walking sorted types computes it once per
    /// package).
    pub fn owner_of_class_in(
        &self,
        path: &[u8],
        pkg_len: Option<usize>,
        pkg_owner: Owner,
    ) -> Owner {
        if !self.class_pkgs.is_empty()
            && let Some(n) = pkg_len
            && path.get(..n).is_some_and(|p| self.class_pkgs.contains(p))
        {
            // `a/b/C$D` → `a/b/C`, then the class itself.
            let top = path
                .iter()
                .skip(n)
                .position(|&c| c == b'$')
                .map_or(path.len(), |p| n + p);
            for key in [path.get(..top), Some(path)].into_iter().flatten() {
                if let Some(&v) = self.paths.get(key) {
                    return Owner::Prefix(v);
                }
            }
        }
        // A top-level class whose whole name is a signature (rare: packages
        // are the norm) or a package signature.
        if pkg_len.is_none()
            && let Some(&v) = self.paths.get(path)
        {
            return Owner::Prefix(v);
        }
        pkg_owner
    }

    /// Owner of a class descriptor (`Lcom/x/Y;`).
    pub fn owner_of_descriptor(&self, desc: &[u8]) -> Owner {
        let Some(path) = desc.strip_prefix(b"L").and_then(|p| p.strip_suffix(b";")) else {
            return Owner::None;
        };
        let pkg_len = path.iter().rposition(|&c| c == b'/');
        let pkg_owner = match pkg_len {
            Some(n) => self.owner_of_package(path.get(..n).unwrap_or_default()),
            None => Owner::None,
        };
        self.owner_of_class_in(path, pkg_len, pkg_owner)
    }

    /// SDKs whose components match a manifest class name: exact names, then
    /// dex prefixes (components keep their names under R8), then patterns.
    pub fn component_sdks(&self, class: &str) -> Vec<u32> {
        let mut out: Vec<u32> = self.components.get(class).cloned().unwrap_or_default();
        let desc = crate::subject::descriptor(class);
        if let Owner::Prefix(p) = self.owner_of_descriptor(desc.as_bytes())
            && let Some(s) = self.sdk_of(p)
            && !out.contains(&s)
        {
            out.push(s);
        }
        add_regex_matches(&self.components_regex, class, &mut out);
        out
    }

    /// SDKs whose native library names match a file name.
    pub fn native_sdks(&self, file: &str) -> Vec<u32> {
        let mut out: Vec<u32> = self.native.get(file).cloned().unwrap_or_default();
        add_regex_matches(&self.native_regex, file, &mut out);
        out
    }

    /// SDKs whose asset signatures match an entry path.
    pub fn asset_sdks(&self, path: &str) -> Vec<u32> {
        let mut out: Vec<u32> = self.assets.get(path).cloned().unwrap_or_default();
        for (p, s) in &self.asset_prefixes {
            if path.starts_with(p.as_str()) && !out.contains(s) {
                out.push(*s);
            }
        }
        out
    }
}

/// Adds the SDKs of the patterns of `set` that match `text` to `out` (once each).
fn add_regex_matches(set: &Option<(RegexSet, Vec<u32>)>, text: &str, out: &mut Vec<u32>) {
    let Some((set, owners)) = set else { return };
    for m in set.matches(text).iter() {
        if let Some(&s) = owners.get(m)
            && !out.contains(&s)
        {
            out.push(s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pipa_kb::{SdkSignatures, Text};

    pub(crate) fn sdk(id: &str, sigs: SdkSignatures) -> Sdk {
        Sdk {
            id: id.into(),
            extends: false,
            name: Text::default(),
            vendor: Text::default(),
            category: pipa_kb::SdkCategory::Other,
            website: String::new(),
            privacy_policy: String::new(),
            signatures: sigs,
            collects: vec![],
            collects_source: String::new(),
            compliant_init: vec![],
            no_compliant_init: false,
            compliance_guide: String::new(),
            permissions: vec![],
            version: vec![],
            generations: vec![],
            libchecker: vec![],
            sources: vec![],
            status: None,
        }
    }

    fn dex(prefixes: &[&str]) -> SdkSignatures {
        SdkSignatures {
            dex: prefixes.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    fn cat() -> (Kb, Catalogue) {
        let kb = Kb {
            sdks: vec![
                sdk("tencent.x", dex(&["com.tencent.mm.opensdk"])),
                sdk(
                    "umeng.common",
                    dex(&["com.umeng.commonsdk", "com.umeng.umcrash.UMCrash"]),
                ),
                sdk(
                    "w.wide",
                    SdkSignatures {
                        dex: vec!["com.umeng".into()],
                        components: vec!["com.x.Push".into()],
                        components_regex: vec![r"com\.pangle\.stub\..*".into()],
                        native: vec!["libjcore.so".into()],
                        native_regex: vec![r"libBugly.*\.so".into()],
                        assets: vec!["assets/jiguang/".into(), "assets/gt.conf".into()],
                        ..Default::default()
                    },
                ),
            ],
            ..Kb::default()
        };
        let c = Catalogue::new(&kb, &["Lcom/umeng/demo/".into()]);
        (kb, c)
    }

    fn sdk_id<'k>(kb: &'k Kb, c: &Catalogue, desc: &str) -> Option<&'k str> {
        match c.owner_of_descriptor(desc.as_bytes()) {
            Owner::Prefix(p) => c
                .sdk_of(p)
                .and_then(|s| kb.sdks.get(s as usize))
                .map(|s| s.id.as_str()),
            Owner::App => Some("app"),
            Owner::None => None,
        }
    }

    #[test]
    fn most_specific_prefix_wins() {
        let (kb, c) = cat();
        assert_eq!(
            sdk_id(&kb, &c, "Lcom/umeng/commonsdk/a/b;"),
            Some("umeng.common")
        );
        assert_eq!(
            sdk_id(&kb, &c, "Lcom/umeng/commonsdk/UMConfigure;"),
            Some("umeng.common")
        );
        assert_eq!(sdk_id(&kb, &c, "Lcom/umeng/analytics/X;"), Some("w.wide"));
        assert_eq!(sdk_id(&kb, &c, "Lcom/umeng/X;"), Some("w.wide"));
        // Package boundaries: `com/umengx` is not `com/umeng`.
        assert_eq!(sdk_id(&kb, &c, "Lcom/umengx/X;"), None);
        assert_eq!(
            sdk_id(&kb, &c, "Lcom/tencent/mm/opensdk/openapi/W;"),
            Some("tencent.x")
        );
        assert_eq!(sdk_id(&kb, &c, "Lcom/tencent/mm/other/W;"), None);
        // The app's own package is more specific than `com.umeng`.
        assert_eq!(sdk_id(&kb, &c, "Lcom/umeng/demo/Main;"), Some("app"));
        assert_eq!(sdk_id(&kb, &c, "LTopLevel;"), None);
        assert_eq!(sdk_id(&kb, &c, "[I"), None);
    }

    #[test]
    fn class_signatures_and_nested_classes() {
        let (kb, c) = cat();
        // `com.umeng.umcrash.UMCrash` is a class of umeng.common inside the
        // wide `com.umeng` package.
        assert_eq!(
            sdk_id(&kb, &c, "Lcom/umeng/umcrash/UMCrash;"),
            Some("umeng.common")
        );
        assert_eq!(
            sdk_id(&kb, &c, "Lcom/umeng/umcrash/UMCrash$1;"),
            Some("umeng.common")
        );
        assert_eq!(sdk_id(&kb, &c, "Lcom/umeng/umcrash/Other;"), Some("w.wide"));
    }

    #[test]
    fn components_files_and_patterns() {
        let (kb, c) = cat();
        let ids = |v: Vec<u32>| -> Vec<&str> {
            v.iter()
                .filter_map(|&i| kb.sdks.get(i as usize).map(|s| s.id.as_str()))
                .collect()
        };
        assert_eq!(ids(c.component_sdks("com.x.Push")), vec!["w.wide"]);
        assert_eq!(
            ids(c.component_sdks("com.umeng.commonsdk.Svc")),
            vec!["umeng.common"]
        );
        assert_eq!(ids(c.component_sdks("com.pangle.stub.A1")), vec!["w.wide"]);
        assert!(c.component_sdks("com.pangle.stubX").is_empty());
        assert_eq!(ids(c.native_sdks("libjcore.so")), vec!["w.wide"]);
        assert_eq!(ids(c.native_sdks("libBugly_Native.so")), vec!["w.wide"]);
        assert!(c.native_sdks("libBugly.so.bak").is_empty());
        assert_eq!(ids(c.asset_sdks("assets/jiguang/a.bin")), vec!["w.wide"]);
        assert_eq!(ids(c.asset_sdks("assets/gt.conf")), vec!["w.wide"]);
        assert!(c.asset_sdks("assets/gt.conf2").is_empty());
    }
    fn cat_with(ids: &[(&str, &[&str])], app: &[&str]) -> (Kb, Catalogue) {
        let kb = Kb {
            sdks: ids
                .iter()
                .map(|(id, d)| {
                    let mut s = sdk(id, dex(d));
                    if id.ends_with("gson") {
                        s.category = pipa_kb::SdkCategory::Library;
                    }
                    s
                })
                .collect(),
            ..Kb::default()
        };
        let app: Vec<String> = app.iter().map(|s| s.to_string()).collect();
        let c = Catalogue::new(&kb, &app);
        (kb, c)
    }

    /// (b) A vendor prefix never claims the app's own code: with app
    /// `cn.jiguang.demo` (organisation `cn.jiguang`), nothing under
    /// `cn.jiguang` is JCore's; JPush's own package stays JPush's.
    #[test]
    fn vendor_prefix_never_claims_first_party_code() {
        let (kb, c) = cat_with(
            &[
                ("jiguang.jcore", &["cn.jiguang"]),
                ("jiguang.jpush", &["cn.jpush.android"]),
            ],
            &["Lcn/jiguang/demo/", "Lcn/jiguang/"],
        );
        assert_eq!(
            sdk_id(&kb, &c, "Lcn/jiguang/demo/MainActivity;"),
            Some("app")
        );
        assert_eq!(sdk_id(&kb, &c, "Lcn/jiguang/demo2/ui/A;"), Some("app"));
        assert_eq!(
            sdk_id(&kb, &c, "Lcn/jiguang/api/JCoreInterface;"),
            Some("app")
        );
        assert_eq!(
            sdk_id(&kb, &c, "Lcn/jpush/android/api/JPushInterface;"),
            Some("jiguang.jpush")
        );
        // Bugly's demo app: Bugly's code outside the app's package is Bugly's.
        let (kb, c) = cat_with(
            &[("tencent.bugly", &["com.tencent.bugly"])],
            &["Lcom/tencent/bugly/hotfix/", "Lcom/tencent/"],
        );
        assert_eq!(
            sdk_id(&kb, &c, "Lcom/tencent/bugly/crashreport/CrashReport;"),
            Some("tencent.bugly")
        );
        assert_eq!(sdk_id(&kb, &c, "Lcom/tencent/bugly/hotfix/A;"), Some("app"));
        assert_eq!(sdk_id(&kb, &c, "Lcom/tencent/other/A;"), Some("app"));
        // App `com.hjq.demo`: a catalogued library of the same organisation
        // (`com.hjq.toast`) stays that library; the rest of `com.hjq` is the app's.
        let (kb, c) = cat_with(
            &[("hjq.toast", &["com.hjq.toast"])],
            &["Lcom/hjq/demo/", "Lcom/hjq/"],
        );
        assert_eq!(
            sdk_id(&kb, &c, "Lcom/hjq/toast/Toaster;"),
            Some("hjq.toast")
        );
        assert_eq!(sdk_id(&kb, &c, "Lcom/hjq/bar/TitleBar;"), Some("app"));
        assert_eq!(sdk_id(&kb, &c, "Lcom/hjq/demo/ui/A;"), Some("app"));
        assert_eq!(sdk_id(&kb, &c, "Lcom/other/A;"), None);
    }

    /// (e) Shaded copies belong to the SDK that embeds them.
    #[test]
    fn shaded_copies_belong_to_the_embedding_sdk() {
        let (kb, c) = cat_with(
            &[
                ("google.gson", &["com.google.gson"]),
                ("umeng.analytics", &["com.umeng.analytics"]),
                ("umeng.common", &["com.umeng.commonsdk"]),
                ("vendor.x", &["com.vendor.x"]),
            ],
            &[],
        );
        assert_eq!(
            sdk_id(&kb, &c, "Lcom/google/gson/internal/A;"),
            Some("google.gson")
        );
        // The vendor's copy nested under its own package.
        assert_eq!(
            sdk_id(&kb, &c, "Lcom/vendor/x/com/google/gson/Gson;"),
            Some("vendor.x")
        );
        // Gson relocated under `com.google.gson.<vendor>`, but not a
        // vendor's adapter for another (only libraries are relocated).
        assert_eq!(
            sdk_id(&kb, &c, "Lcom/vendor/x/umeng/analytics/A;"),
            Some("vendor.x")
        );
        assert_eq!(
            sdk_id(&kb, &c, "Lcom/google/gson/umeng/analytics/A;"),
            Some("umeng.analytics")
        );
        // No prefix of that vendor there, or no vendor's name: Gson's own.
        assert_eq!(
            sdk_id(&kb, &c, "Lcom/google/gson/umeng/internal/A;"),
            Some("google.gson")
        );
        assert_eq!(
            sdk_id(&kb, &c, "Lcom/google/gson/media/A;"),
            Some("google.gson")
        );
    }
}
