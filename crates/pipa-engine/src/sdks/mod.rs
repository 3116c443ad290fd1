//! Third-party SDK detection: which catalogued SDKs a package embeds, how
//! sure pipa is, their version where it can be read, and whether code
//! outside the SDK calls into it (`initialized`).
//!
//! **Presence.** An SDK is *there* only when its own code is: classes under
//! its dex prefixes, a manifest component of its own whose class is in the
//! dex (`presence: code`), or a native library that only it ships
//! (`native`). Manifest declarations alone (meta-data keys, component
//! names whose classes are absent or belong to another SDK) are left-over
//! configuration (`manifest_only`), and asset files or host strings alone
//! are traces (`traces_only`): both are reported with `confidence: low`,
//! whatever their score, so they never become a high/medium row, a row of
//! the policy's SDK list or an `sdk.*` finding. Evidence shared by several
//! entries (a vendor family's meta-data key, a component two entries list)
//! never makes an entry present: only its own code does.
//!
//! **Initialised** means reached from outside the SDK's vendor family: a
//! call from the app's code or from unknown code outside the vendor's
//! namespaces, a call from an SDK that is itself initialised (fixpoint), or
//! its own `<provider>` whose class is in the dex. Calls between SDKs of one
//! family (`google.*`) initialise only when the caller is initialised.
//!
//! Every kind of evidence is matched in one pass over what the package
//! holds: each type descriptor of each dex is looked up once (hash lookups
//! per distinct package, types are sorted), each manifest component,
//! meta-data key, native library and asset once, and the hosts are found by
//! one Aho-Corasick pass over the string data of each dex.

mod catalogue;
mod version;

pub(crate) use catalogue::{Catalogue, Owner};

use crate::model::{CompliantInitUse, Evidence, SdkUse};
use crate::subject::{SubjectResolver, dotted};
use crate::text::t;
use pipa_android::Apk;
use pipa_dex::{CodeIndex, Site};
use pipa_kb::Kb;
use std::collections::{HashMap, HashSet};

/// At most this many items of one evidence kind per SDK; the rest are counted.
const MAX_PER_KIND: usize = 8;
/// Example class names per matched dex prefix.
const CLASS_EXAMPLES: usize = 3;

/// A site where code outside an SDK calls into it.
#[derive(Debug, Clone, Copy)]
struct ExternalCall {
    site: Site,
    /// Calling SDK (index in `kb.sdks`), or `None` for the app / unknown code.
    from_sdk: Option<u32>,
    /// The caller is the app's own code.
    from_app: bool,
}

/// What was found of one SDK, before it becomes an [`SdkUse`].
#[derive(Debug, Default)]
struct Acc {
    /// Per matched dex prefix: classes defined under it, examples.
    prefixes: HashMap<u32, (u32, Vec<String>)>,
    classes: u32,
    /// The entry lists core classes (`signatures.core_classes`): its
    /// classes and components count as its code only with one of them.
    needs_core: bool,
    /// Its core classes that the dex defines.
    core: u32,
    components: Vec<Evidence>,
    /// Components matched (all, for the evidence list).
    n_components: usize,
    /// Its own components whose classes are in the dex (not shared with
    /// another entry, not another SDK's or the app's class).
    own_components: usize,
    providers: Vec<Evidence>,
    meta: Vec<Evidence>,
    native: Vec<Evidence>,
    n_native: usize,
    /// Native libraries that only this entry names.
    own_native: usize,
    assets: Vec<Evidence>,
    n_assets: usize,
    hosts: Vec<Evidence>,
    /// Calls from outside: one from the app, one from unknown code, one per calling SDK.
    calls: Vec<ExternalCall>,
}

impl Acc {
    fn found(&self) -> bool {
        self.classes > 0
            || self.n_components > 0
            || !self.meta.is_empty()
            || self.n_native > 0
            || self.n_assets > 0
            || !self.hosts.is_empty()
    }

    /// Classes under its prefixes are its own code: it names no core
    /// classes, or one of them is defined.
    fn code_is_its_own(&self) -> bool {
        !self.needs_core || self.core > 0
    }

    /// `code`, `native`, `manifest_only` or `traces_only` (see the module doc).
    fn presence(&self) -> &'static str {
        if self.code_is_its_own() && (self.classes > 0 || self.own_components > 0) {
            "code"
        } else if self.own_native > 0 {
            "native"
        } else if self.n_components > 0 || !self.meta.is_empty() {
            "manifest_only"
        } else {
            "traces_only"
        }
    }

    /// Its own code or native library is in the package.
    fn present(&self) -> bool {
        matches!(self.presence(), "code" | "native")
    }

    /// `high` / `medium` / `low` by score when present, else `low`.
    fn confidence(&self) -> &'static str {
        if self.present() {
            level(self.score())
        } else {
            "low"
        }
    }

    /// `1 - Π(1 - w)` over the kinds of evidence present: independent
    /// clues add up; code in the SDK's own packages or components that the
    /// system starts by name weigh most, a host name in a string least.
    fn score(&self) -> f64 {
        let mut w: Vec<f64> = Vec::new();
        if self.classes >= 20 {
            w.push(0.8);
        } else if self.classes >= 3 {
            w.push(0.7);
        } else if self.classes > 0 {
            w.push(0.45);
        }
        match self.own_components {
            0 => {}
            1 => w.push(0.6),
            _ => w.push(0.75),
        }
        if !self.meta.is_empty() {
            w.push(0.6);
        }
        if self.n_native > 0 {
            w.push(0.5);
        }
        if self.n_assets > 0 {
            w.push(0.35);
        }
        if !self.hosts.is_empty() {
            w.push(0.25);
        }
        1.0 - w.iter().fold(1.0, |acc, x| acc * (1.0 - x))
    }
}

/// `high` / `medium` / `low` for a score.
pub(crate) fn level(score: f64) -> &'static str {
    if score >= 0.8 {
        "high"
    } else if score >= 0.5 {
        "medium"
    } else {
        "low"
    }
}

/// Detects the catalogued SDKs of one package. `subjects` carries the
/// compiled catalogue (see [`SubjectResolver::with_catalogue`]).
pub(crate) fn detect(
    apk: &Apk<'_>,
    index: &CodeIndex<'_>,
    kb: &Kb,
    subjects: &SubjectResolver,
) -> Vec<SdkUse> {
    let Some(cat) = subjects.catalogue() else {
        return Vec::new();
    };
    let mut acc: Vec<Acc> = Vec::new();
    acc.resize_with(kb.sdks.len(), Acc::default);
    for (a, &n) in acc.iter_mut().zip(&cat.needs_core) {
        a.needs_core = n;
    }
    code(index, cat, &mut acc);
    let present = defined_components(apk, index);
    manifest(apk, cat, &present, &mut acc);
    files(apk, cat, &mut acc);
    hosts(index, cat, &mut acc);
    let initialized = initialized(&acc);

    let mut out = Vec::new();
    for (i, a) in acc.iter().enumerate() {
        let Some(sdk) = kb.sdks.get(i) else { continue };
        if !a.found() {
            continue;
        }
        let score = a.score();
        let presence = a.presence();
        let is_present = a.present();
        let mut evidence = Vec::new();
        let mut prefixes: Vec<(&u32, &(u32, Vec<String>))> = a.prefixes.iter().collect();
        prefixes.sort_by_key(|(p, (n, _))| (std::cmp::Reverse(*n), **p));
        for (p, (n, examples)) in prefixes {
            evidence.push(Evidence::Package {
                prefix: cat
                    .prefixes
                    .get(*p as usize)
                    .map(|x| x.dotted.clone())
                    .unwrap_or_default(),
                classes: *n,
                examples: examples.clone(),
            });
        }
        if a.classes > 0 && !a.code_is_its_own() {
            let core = sdk.signatures.core_classes.join(", ");
            evidence.push(Evidence::Note {
                text: t(
                    format!("其包名下的类不含其核心类（{core}）：是其他厂商以其名称提供的桩代码或少量复制的类，不是该 SDK 本身。"),
                    format!("The classes under its packages include none of its core classes ({core}): stubs or a few copied classes another vendor ships under its names, not the SDK itself."),
                ),
            });
        }
        evidence.extend(a.components.iter().cloned());
        more(
            &mut evidence,
            a.n_components,
            a.components.len(),
            "组件",
            ("component", "components"),
        );
        evidence.extend(a.meta.iter().cloned());
        evidence.extend(a.native.iter().cloned());
        more(
            &mut evidence,
            a.n_native,
            a.native.len(),
            "原生库",
            ("native library", "native libraries"),
        );
        evidence.extend(a.assets.iter().cloned());
        more(
            &mut evidence,
            a.n_assets,
            a.assets.len(),
            "资源文件",
            ("asset file", "asset files"),
        );
        evidence.extend(a.hosts.iter().cloned());

        let init = is_present && initialized.get(i).copied().unwrap_or(false);
        let mut init_evidence: Vec<Evidence> = a
            .calls
            .iter()
            .filter(|c| {
                c.from_sdk
                    .is_none_or(|s| initialized.get(s as usize) == Some(&true))
            })
            .map(|c| call_evidence(index, kb, subjects, c))
            .collect();
        init_evidence.extend(a.providers.iter().cloned());
        if !init {
            init_evidence.clear();
        }

        // The generation embedded, shown with its marker; one without a
        // pre-init or consent API has no compliant initialisation.
        let generation = is_present
            .then(|| version::generation(index, sdk))
            .flatten();
        if let Some(g) = generation {
            evidence.push(Evidence::Note {
                text: t(
                    format!("版本代际：{}（依据：代码定义了 {}）", g.name.zh, g.marker),
                    format!("Generation: {} (the code defines {})", g.name.en, g.marker),
                ),
            });
        }
        // The start-up APIs of the version embedded: one whose class the
        // dex defines without that method (UMConfigure.preInit in U-Common
        // 2.1.0) does not exist there.
        let compliant_init: Vec<CompliantInitUse> = sdk
            .compliant_init
            .iter()
            .filter(|c| !is_present || version::api_defined(index, &c.api) != Some(false))
            .map(|c| CompliantInitUse {
                api: c.api.clone(),
                role: c.role,
                agrees_with_true: c.agrees_with_true,
                used: compliant_api_used(index, &c.api),
                at_startup: None,
                description: c.description.clone(),
            })
            .collect();
        out.push(SdkUse {
            id: sdk.id.clone(),
            name: sdk.name.clone(),
            vendor: sdk.vendor.clone(),
            category: sdk.category.as_str().into(),
            category_name: t(sdk.category.zh(), sdk.category.en()),
            confidence: a.confidence().into(),
            presence: presence.into(),
            score: (score * 100.0).round() / 100.0,
            version: version::read(apk, index, sdk),
            initialized: init,
            classes: a.classes,
            collects: sdk.collects.clone(),
            observed_pi: Vec::new(),
            api_sites: 0,
            compliant_init,
            compliant_init_used: None,
            no_compliant_init: sdk.no_compliant_init
                || generation.is_some_and(|g| g.no_compliant_init),
            compliance_guide: (!sdk.compliance_guide.is_empty())
                .then(|| sdk.compliance_guide.clone()),
            website: (!sdk.website.is_empty()).then(|| sdk.website.clone()),
            privacy_policy: (!sdk.privacy_policy.is_empty()).then(|| sdk.privacy_policy.clone()),
            catalogue_status: sdk.status.map(|s| format!("{s:?}").to_lowercase()),
            evidence,
            startup: None,
            init_evidence,
        });
    }
    // Present SDKs first, then by score.
    out.sort_by(|a, b| {
        let absent = |s: &SdkUse| !matches!(s.presence.as_str(), "code" | "native");
        absent(a)
            .cmp(&absent(b))
            .then_with(|| b.score.total_cmp(&a.score))
            .then_with(|| a.id.cmp(&b.id))
    });
    out
}

fn more(ev: &mut Vec<Evidence>, total: usize, shown: usize, zh: &str, en: (&str, &str)) {
    if total > shown {
        let n = total - shown;
        ev.push(Evidence::Note {
            text: t(
                format!("另有 {n} 个{zh}未列出。"),
                format!(
                    "{n} more {} not listed.",
                    crate::text::plural(n, en.0, en.1)
                ),
            ),
        });
    }
}

/// Classes per SDK and calls into SDKs from outside them, one dex at a time.
fn code(index: &CodeIndex<'_>, cat: &Catalogue, acc: &mut [Acc]) {
    for (n, d) in index.dexes().iter().enumerate() {
        let Ok(n) = u16::try_from(n) else { break };
        // Owner of every type of this dex. Types are sorted, so classes of
        // one package are adjacent: the package lookup runs once per package.
        let nt = d.type_ids_count();
        let mut owner = vec![Owner::None; nt as usize];
        let mut prev: Option<(&[u8], Owner)> = None;
        for (t, slot) in owner.iter_mut().enumerate() {
            let Some(path) = d
                .type_bytes(t as u32)
                .and_then(|b| b.strip_prefix(b"L"))
                .and_then(|p| p.strip_suffix(b";"))
            else {
                continue;
            };
            let pkg_len = path.iter().rposition(|&c| c == b'/');
            let pkg = pkg_len.and_then(|k| path.get(..k)).unwrap_or_default();
            let pkg_owner = match prev {
                Some((p, o)) if p == pkg => o,
                _ => {
                    let o = if pkg_len.is_some() {
                        cat.owner_of_package(pkg)
                    } else {
                        Owner::None
                    };
                    prev = Some((pkg, o));
                    o
                }
            };
            *slot = cat.owner_of_class_in(path, pkg_len, pkg_owner);
        }
        let sdk_of_type = |t: u32| -> (Owner, Option<u32>) {
            let o = owner.get(t as usize).copied().unwrap_or(Owner::None);
            match o {
                Owner::Prefix(p) => (o, cat.sdk_of(p)),
                _ => (o, None),
            }
        };
        for cd in d.class_defs() {
            let (Owner::Prefix(p), Some(s)) = sdk_of_type(cd.class_idx) else {
                continue;
            };
            if cat.needs_core.get(s as usize) == Some(&true)
                && let Some(c) = d
                    .type_bytes(cd.class_idx)
                    .and_then(|b| b.strip_prefix(b"L"))
                    .and_then(|b| b.strip_suffix(b";"))
                    .and_then(|path| cat.core_of(path))
                && let Some(a) = acc.get_mut(c as usize)
            {
                a.core += 1;
            }
            let Some(a) = acc.get_mut(s as usize) else {
                continue;
            };
            a.classes += 1;
            let e = a.prefixes.entry(p).or_default();
            e.0 += 1;
            if e.1.len() < CLASS_EXAMPLES
                && let Some(desc) = d.type_descriptor(cd.class_idx)
            {
                e.1.push(dotted(&desc));
            }
        }
        // Invokes are sorted by callee: resolve the callee's owner once per callee.
        let sites = index.method_invoke_sites(n);
        let mut i = 0;
        while let Some(first) = sites.get(i) {
            let target = first.target;
            let mut j = i;
            while sites.get(j).is_some_and(|s| s.target == target) {
                j += 1;
            }
            let callee = d
                .method_id(target)
                .map(|m| sdk_of_type(u32::from(m.class_idx)).1);
            if let Some(Some(s)) = callee
                && let Some(group) = sites.get(i..j)
                && let Some(a) = acc.get_mut(s as usize)
            {
                for site in group {
                    let Some(m) = d.method_id(site.caller) else {
                        continue;
                    };
                    let (o, from) = sdk_of_type(u32::from(m.class_idx));
                    if from == Some(s) {
                        continue;
                    }
                    // Unknown code in the callee's vendor namespace
                    // (`com/google/…` calling a `google.*` SDK) is the
                    // vendor's own: it does not initialise the SDK.
                    if o == Owner::None
                        && let Some(f) = cat.family.get(s as usize)
                        && d.type_bytes(u32::from(m.class_idx))
                            .is_some_and(|desc| cat.namespace_families(desc).contains(f))
                    {
                        continue;
                    }
                    let from_app = o == Owner::App;
                    let seen = a
                        .calls
                        .iter()
                        .any(|c| c.from_sdk == from && (from.is_some() || c.from_app == from_app));
                    if !seen {
                        a.calls.push(ExternalCall {
                            site: *site,
                            from_sdk: from,
                            from_app,
                        });
                    }
                }
            }
            i = j;
        }
    }
}

/// The manifest components whose classes the dex defines (descriptors).
fn defined_components(apk: &Apk<'_>, index: &CodeIndex<'_>) -> HashSet<Vec<u8>> {
    let wanted: HashSet<Vec<u8>> = apk
        .manifest
        .components
        .iter()
        .map(|c| crate::subject::descriptor(&c.name).into_bytes())
        .collect();
    let mut found = HashSet::new();
    if wanted.is_empty() {
        return found;
    }
    for d in index.dexes() {
        for cd in d.class_defs() {
            if let Some(b) = d.type_bytes(cd.class_idx)
                && wanted.contains(b)
            {
                found.insert(b.to_vec());
            }
        }
    }
    found
}

/// Components (by exact name, by the SDK's packages, by pattern) and
/// meta-data keys. A component is the SDK's own (weighs in its score, makes
/// it present, starts it when a provider) only when its class is in the dex
/// (`defined`) and belongs to that SDK: under its dex prefix, or under no
/// SDK's nor the app's package and named by no other entry.
fn manifest(apk: &Apk<'_>, cat: &Catalogue, defined: &HashSet<Vec<u8>>, acc: &mut [Acc]) {
    let m = &apk.manifest;
    for c in &m.components {
        let desc = crate::subject::descriptor(&c.name);
        let provider = c.kind == pipa_android::manifest::ComponentKind::Provider;
        let is_defined = defined.contains(desc.as_bytes());
        add_component(cat, acc, &c.name, c.kind.tag(), provider, is_defined);
    }
    let metas = m
        .meta_data
        .iter()
        .chain(m.components.iter().flat_map(|c| c.meta_data.iter()));
    for md in metas {
        add_meta(cat, acc, &md.name);
    }
}

/// One manifest component (`tag`: `service`, `provider`, …) whose class the
/// dex defines or not.
fn add_component(
    cat: &Catalogue,
    acc: &mut [Acc],
    name: &str,
    tag: &str,
    provider: bool,
    is_defined: bool,
) {
    let sdks = cat.component_sdks(name);
    if sdks.is_empty() {
        return;
    }
    let desc = crate::subject::descriptor(name);
    let owner = cat.owner_of_descriptor(desc.as_bytes());
    let owner_sdk = match owner {
        Owner::Prefix(p) => cat.sdk_of(p),
        _ => None,
    };
    for &s in &sdks {
        let Some(a) = acc.get_mut(s as usize) else {
            continue;
        };
        let own = is_defined && (owner_sdk == Some(s) || (owner == Owner::None && sdks.len() == 1));
        let detail = if !is_defined {
            Some("类不在代码中（残留配置） / class not in the code (leftover configuration)".into())
        } else if !own {
            Some("类属于其他 SDK 或应用自身 / class belongs to another SDK or the app".into())
        } else {
            None
        };
        if own {
            a.own_components += 1;
        }
        if own && provider {
            // A provider is created by the system before Application.onCreate:
            // an SDK that declares one (its class present) starts itself.
            a.providers.push(Evidence::Manifest {
                element: "provider".into(),
                name: Some(name.to_string()),
                detail: Some("由系统在应用启动时创建（自动初始化） / created by the system at app start (auto-initialisation)".into()),
            });
        }
        a.n_components += 1;
        if a.components.len() < MAX_PER_KIND {
            a.components.push(Evidence::Manifest {
                element: tag.into(),
                name: Some(name.to_string()),
                detail,
            });
        }
    }
}

/// One `<meta-data>` key: evidence for every entry naming it (a family's
/// shared key makes none of them present: see [`Acc::presence`]).
fn add_meta(cat: &Catalogue, acc: &mut [Acc], key: &str) {
    let Some(sdks) = cat.meta_data.get(key) else {
        return;
    };
    for &s in sdks {
        let Some(a) = acc.get_mut(s as usize) else {
            continue;
        };
        let dup = a
            .meta
            .iter()
            .any(|e| matches!(e, Evidence::Manifest { name: Some(n), .. } if n == key));
        if !dup && a.meta.len() < MAX_PER_KIND {
            a.meta.push(Evidence::Manifest {
                element: "meta-data".into(),
                name: Some(key.to_string()),
                detail: None,
            });
        }
    }
}

/// Native libraries (each name once, whatever the ABIs) and asset files.
fn files(apk: &Apk<'_>, cat: &Catalogue, acc: &mut [Acc]) {
    let mut seen: Vec<&str> = Vec::new();
    for lib in apk.native_libs.values().flatten() {
        if seen.contains(&lib.name.as_str()) {
            continue;
        }
        seen.push(&lib.name);
        let sdks = cat.native_sdks(&lib.name);
        for &s in &sdks {
            let Some(a) = acc.get_mut(s as usize) else {
                continue;
            };
            a.n_native += 1;
            if sdks.len() == 1 {
                a.own_native += 1;
            }
            if a.native.len() < MAX_PER_KIND {
                a.native.push(Evidence::File {
                    path: lib.path.clone(),
                    detail: Some("原生库 / native library".into()),
                });
            }
        }
    }
    for path in &apk.assets {
        for s in cat.asset_sdks(path) {
            let Some(a) = acc.get_mut(s as usize) else {
                continue;
            };
            a.n_assets += 1;
            if a.assets.len() < MAX_PER_KIND {
                a.assets.push(Evidence::File {
                    path: path.clone(),
                    detail: Some("资源文件 / asset".into()),
                });
            }
        }
    }
}

/// Longest string searched for host names (longer ones are data blobs).
const MAX_HOST_STRING: usize = 64 * 1024;

/// Host names in string constants. One Aho-Corasick pass over the string
/// data of each dex finds the strings holding a top-level domain of the
/// catalogue's hosts (`.com`, `.cn`, …); in those, every run of host-name
/// characters (`alog.umeng.com` in `https://alog.umeng.com/app_logs`) is
/// looked up with its parent domains in the catalogue's host map. So
/// `x.umeng.com` matches `umeng.com`, and `notumeng.com` or `umeng.com.cn`
/// do not.
fn hosts(index: &CodeIndex<'_>, cat: &Catalogue, acc: &mut [Acc]) {
    if cat.hosts.is_empty() {
        return;
    }
    let mut seen: Vec<pipa_dex::StringHandle> = index
        .search_strings(&cat.tlds)
        .into_iter()
        .map(|m| m.string)
        .collect();
    seen.dedup();
    for h in seen {
        let Some(d) = index.dex(h.dex) else { continue };
        let Some(bytes) = d.string_bytes(h.string_idx) else {
            continue;
        };
        if bytes.len() > MAX_HOST_STRING {
            continue;
        }
        let Some(s) = host_runs(bytes).find_map(|run| lookup(&cat.hosts, run)) else {
            continue;
        };
        let Some(a) = acc.get_mut(s as usize) else {
            continue;
        };
        if a.hosts.len() >= 3 {
            continue;
        }
        let value: String = String::from_utf8_lossy(bytes).chars().take(200).collect();
        if a.hosts
            .iter()
            .any(|e| matches!(e, Evidence::String { value: v, .. } if *v == value))
        {
            continue;
        }
        let locations = index
            .const_string_sites_of(h)
            .iter()
            .take(3)
            .filter_map(|site| d.method_ref(site.caller).map(|r| r.to_string()))
            .collect();
        a.hosts.push(Evidence::String { value, locations });
    }
}

/// The maximal runs of host-name characters (letters, digits, `.`, `-`) of
/// `s` that contain a dot.
fn host_runs(s: &[u8]) -> impl Iterator<Item = &[u8]> {
    s.split(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-')))
        .filter(|r| r.contains(&b'.'))
}

/// The SDK of `host` or of its nearest parent domain in `map` (case-insensitive).
fn lookup(map: &HashMap<Box<[u8]>, u32>, host: &[u8]) -> Option<u32> {
    if host.len() < 4 || !host.contains(&b'.') || host.len() > 253 {
        return None;
    }
    let mut buf = [0u8; 253];
    let lower = buf.get_mut(..host.len())?;
    lower.copy_from_slice(host);
    lower.make_ascii_lowercase();
    let lower = lower.strip_suffix(b".").unwrap_or(lower);
    let mut rest: &[u8] = lower;
    loop {
        if let Some(&s) = map.get(rest) {
            return Some(s);
        }
        let dot = rest.iter().position(|&c| c == b'.')?;
        rest = rest.get(dot + 1..)?;
        if !rest.contains(&b'.') {
            return None;
        }
    }
}

/// Which SDKs are initialised: present, and called by the app or unknown
/// code (outside the vendor's namespaces: see [`code`]), started by the
/// system through a provider of their own, or called by an initialised SDK.
fn initialized(acc: &[Acc]) -> Vec<bool> {
    let mut init: Vec<bool> = acc
        .iter()
        .map(|a| {
            a.present() && (!a.providers.is_empty() || a.calls.iter().any(|c| c.from_sdk.is_none()))
        })
        .collect();
    loop {
        let mut changed = false;
        for (i, a) in acc.iter().enumerate() {
            if init.get(i) == Some(&true) || !a.present() {
                continue;
            }
            let by_sdk = a.calls.iter().any(|c| {
                c.from_sdk
                    .is_some_and(|s| init.get(s as usize) == Some(&true))
            });
            if by_sdk && let Some(x) = init.get_mut(i) {
                *x = true;
                changed = true;
            }
        }
        if !changed {
            return init;
        }
    }
}

fn call_evidence(
    index: &CodeIndex<'_>,
    kb: &Kb,
    subjects: &SubjectResolver,
    c: &ExternalCall,
) -> Evidence {
    let d = index.dex(c.site.dex);
    let api = d
        .and_then(|d| d.method_ref(c.site.target))
        .map_or_else(|| format!("method@{}", c.site.target), |m| m.to_string());
    let caller_ref = d.and_then(|d| d.method_ref(c.site.caller));
    let caller = caller_ref
        .as_ref()
        .map_or_else(|| format!("method@{}", c.site.caller), |m| m.to_string());
    let subject = match (c.from_sdk, &caller_ref) {
        (Some(s), _) => kb
            .sdks
            .get(s as usize)
            .map_or_else(|| "unknown-third-party".into(), |x| format!("sdk:{}", x.id)),
        (None, Some(m)) => subjects.of_class(&m.class).label(),
        (None, None) => "unknown-third-party".into(),
    };
    Evidence::Code {
        api,
        caller,
        dex: d.map(|d| d.location().to_string()).unwrap_or_default(),
        offset: c.site.offset,
        subject,
    }
}

/// Whether `Lx/Y;->name` is called anywhere.
fn compliant_api_used(index: &CodeIndex<'_>, api: &str) -> bool {
    pipa_kb::class_and_method(api)
        .is_some_and(|(class, name)| !index.call_sites_by_name(class, name).is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_parent_domains() {
        let map: HashMap<Box<[u8]>, u32> = [(&b"umeng.com"[..], 1), (&b"bugly.qq.com"[..], 2)]
            .into_iter()
            .map(|(h, s)| (h.into(), s))
            .collect();
        let url = |s: &str| host_runs(s.as_bytes()).find_map(|r| lookup(&map, r));
        assert_eq!(url("https://alog.umeng.com/app_logs"), Some(1));
        assert_eq!(url("https://UMENG.com:443/x"), Some(1));
        assert_eq!(url("http://notumeng.com/"), None);
        assert_eq!(url("http://umeng.com.cn/"), None);
        assert_eq!(url("https://android.bugly.qq.com/rqd"), Some(2));
        assert_eq!(url("https://qq.com/"), None);
        assert_eq!(url("plus.umeng.com."), Some(1));
        assert_eq!(url("com"), None);
        assert_eq!(url("com.umeng.analytics.Foo"), None);
        assert_eq!(url("connect to pv.umeng.com failed"), Some(1));
        assert_eq!(
            host_runs(b"https://a.umeng.com/x?y").collect::<Vec<_>>(),
            vec![&b"a.umeng.com"[..]]
        );
    }

    #[test]
    fn scores_and_levels() {
        let a = Acc {
            classes: 25,
            ..Acc::default()
        };
        assert_eq!(level(a.score()), "high");
        let renamed = Acc {
            own_components: 2,
            meta: vec![Evidence::Note { text: t("", "") }],
            ..Acc::default()
        };
        assert!(renamed.score() >= 0.8);
        let host_only = Acc {
            hosts: vec![Evidence::Note { text: t("", "") }],
            ..Acc::default()
        };
        assert_eq!(level(host_only.score()), "low");
        assert!(!Acc::default().found());
    }

    fn entry(id: &str, dex: &[&str], sigs: pipa_kb::SdkSignatures) -> pipa_kb::Sdk {
        let mut s = pipa_kb::Kb::embedded()
            .sdks
            .first()
            .expect("a catalogued SDK")
            .clone();
        s.id = id.into();
        s.signatures = pipa_kb::SdkSignatures {
            dex: dex.iter().map(|d| d.to_string()).collect(),
            ..sigs
        };
        s
    }

    fn cat_of(sdks: Vec<pipa_kb::Sdk>, app: &[&str]) -> (Vec<Acc>, Catalogue) {
        let kb = Kb {
            sdks,
            ..Kb::default()
        };
        let app: Vec<String> = app.iter().map(|s| s.to_string()).collect();
        let c = Catalogue::new(&kb, &app);
        let mut acc = Vec::new();
        acc.resize_with(kb.sdks.len(), Acc::default);
        (acc, c)
    }

    /// (a) A meta-data key a vendor family shares (UMENG_APPKEY) makes only
    /// the entry whose code is there present; the sibling is left-over.
    #[test]
    fn shared_meta_data_makes_no_sibling_present() {
        let meta = |k: &str| pipa_kb::SdkSignatures {
            meta_data: vec![k.into()],
            ..Default::default()
        };
        let (mut acc, c) = cat_of(
            vec![
                entry(
                    "umeng.common",
                    &["com.umeng.commonsdk"],
                    meta("UMENG_APPKEY"),
                ),
                entry("umeng.push", &["com.umeng.message"], meta("UMENG_APPKEY")),
            ],
            &[],
        );
        acc[0].classes = 40;
        add_meta(&c, &mut acc, "UMENG_APPKEY");
        assert_eq!(acc[0].presence(), "code");
        assert_eq!(acc[0].confidence(), "high");
        assert_eq!(acc[1].meta.len(), 1, "the key is still shown as evidence");
        assert_eq!(acc[1].presence(), "manifest_only");
        assert_eq!(acc[1].confidence(), "low");
        assert!(acc[1].score() >= 0.5, "score stays what the clues weigh");
    }

    /// Another vendor's stubs under an SDK's names (Umeng Share's
    /// `com.tencent.tauth.AuthActivity`, with no `com.tencent.tauth.Tencent`)
    /// make no row when the entry names core classes; with a core class the
    /// same classes and component are its code.
    #[test]
    fn stubs_without_a_core_class_are_not_the_sdk() {
        let auth = "com.tencent.tauth.AuthActivity";
        let sigs = pipa_kb::SdkSignatures {
            components: vec![auth.into()],
            core_classes: vec!["com.tencent.tauth.Tencent".into()],
            ..Default::default()
        };
        let (mut acc, c) = cat_of(
            vec![entry("tencent.qq-connect", &["com.tencent.tauth"], sigs)],
            &[],
        );
        assert_eq!(c.needs_core, vec![true]);
        assert_eq!(c.core_of(b"com/tencent/tauth/Tencent"), Some(0));
        assert_eq!(c.core_of(b"com/tencent/tauth/AuthActivity"), None);
        acc[0].needs_core = true;
        acc[0].classes = 3;
        add_component(&c, &mut acc, auth, "activity", false, true);
        assert_eq!(acc[0].own_components, 1);
        assert_eq!(acc[0].presence(), "manifest_only");
        assert_eq!(acc[0].confidence(), "low");
        acc[0].core = 1;
        assert_eq!(acc[0].presence(), "code");
        assert_eq!(acc[0].confidence(), "high");
    }

    /// (c) One SDK's service (AMap's location service, also listed by the
    /// map SDK) and the family's API key make no map SDK present.
    #[test]
    fn a_sibling_service_makes_no_sibling_present() {
        let svc = "com.amap.api.location.APSService";
        let sigs = |comp: bool| pipa_kb::SdkSignatures {
            components: if comp { vec![svc.into()] } else { vec![] },
            meta_data: vec!["com.amap.api.v2.apikey".into()],
            ..Default::default()
        };
        let (mut acc, c) = cat_of(
            vec![
                entry("amap.location", &["com.amap.api.location"], sigs(true)),
                entry("amap.map3d", &["com.amap.api.maps"], sigs(true)),
                entry("amap.search", &["com.amap.api.services"], sigs(false)),
            ],
            &[],
        );
        acc[0].classes = 30;
        add_component(&c, &mut acc, svc, "service", false, true);
        add_meta(&c, &mut acc, "com.amap.api.v2.apikey");
        assert_eq!(acc[0].own_components, 1);
        assert_eq!(acc[0].presence(), "code");
        assert_eq!(
            acc[1].own_components, 0,
            "the service's class is amap.location's"
        );
        assert_eq!(acc[1].n_components, 1, "still listed as evidence");
        assert_eq!(acc[1].presence(), "manifest_only");
        assert_eq!(acc[2].presence(), "manifest_only");
        assert!(matches!(
            acc[1].components.first(),
            Some(Evidence::Manifest { detail: Some(d), .. }) if d.contains("another SDK")
        ));
    }

    /// (d) An older generation's component names (pre-JCore JPush services
    /// that the JCore entry also names) make the newer core module present
    /// neither when their classes are JPush's nor when they are absent; an
    /// absent class is labelled left-over.
    #[test]
    fn older_component_names_make_no_newer_module_present() {
        let old = "cn.jpush.android.service.DaemonService";
        let comp = pipa_kb::SdkSignatures {
            components: vec![old.into()],
            ..Default::default()
        };
        let (mut acc, c) = cat_of(
            vec![
                entry("jiguang.jpush", &["cn.jpush.android"], Default::default()),
                entry("jiguang.jcore", &["cn.jiguang"], comp),
            ],
            &[],
        );
        acc[0].classes = 200;
        add_component(&c, &mut acc, old, "service", false, true);
        assert_eq!(acc[0].own_components, 1);
        assert_eq!(acc[1].own_components, 0);
        assert_eq!(acc[1].presence(), "manifest_only");
        // The same declaration with no class anywhere (a leftover of an
        // SDK removed from the build): nobody is present, and it says so.
        let (mut acc2, c2) = cat_of(
            vec![entry(
                "jiguang.jcore",
                &["cn.jiguang"],
                pipa_kb::SdkSignatures {
                    components: vec![old.into()],
                    ..Default::default()
                },
            )],
            &[],
        );
        add_component(&c2, &mut acc2, old, "service", true, false);
        assert_eq!(acc2[0].presence(), "manifest_only");
        assert!(
            acc2[0].providers.is_empty(),
            "an absent provider starts nothing"
        );
        assert!(matches!(
            acc2[0].components.first(),
            Some(Evidence::Manifest { detail: Some(d), .. }) if d.contains("leftover")
        ));
        assert_eq!(initialized(&acc2), vec![false]);
    }

    /// A component of its own whose class is in the dex is the SDK's code
    /// even when its packages are renamed (R8 keeps component names).
    #[test]
    fn own_component_class_is_code() {
        let comp = pipa_kb::SdkSignatures {
            components: vec!["com.x.push.PushService".into()],
            ..Default::default()
        };
        let (mut acc, c) = cat_of(vec![entry("x.push", &["com.x.push.core"], comp)], &[]);
        add_component(
            &c,
            &mut acc,
            "com.x.push.PushService",
            "provider",
            true,
            true,
        );
        assert_eq!(acc[0].presence(), "code");
        assert_eq!(acc[0].providers.len(), 1);
        assert_eq!(initialized(&acc), vec![true]);
    }

    /// (6) Calls inside a vendor family initialise nothing unless the caller
    /// is initialised; unknown code in the vendor's namespace is the
    /// vendor's own.
    #[test]
    fn family_calls_do_not_initialise() {
        let site = Site {
            target: 0,
            caller: 0,
            offset: 0,
            dex: 0,
            opcode: 0x6e,
        };
        let call = |from_sdk| ExternalCall {
            site,
            from_sdk,
            from_app: false,
        };
        let present = |calls| Acc {
            classes: 10,
            calls,
            ..Acc::default()
        };
        // google.a calls google.b, google.b calls google.c: none initialised.
        let acc = vec![
            present(vec![]),
            present(vec![call(Some(0))]),
            present(vec![call(Some(1))]),
        ];
        assert_eq!(initialized(&acc), vec![false, false, false]);
        // Once the app calls google.a, the chain runs.
        let acc = vec![
            present(vec![ExternalCall {
                site,
                from_sdk: None,
                from_app: true,
            }]),
            present(vec![call(Some(0))]),
            present(vec![call(Some(1))]),
        ];
        assert_eq!(initialized(&acc), vec![true, true, true]);
        // An SDK whose code is absent is never initialised.
        let absent = Acc {
            calls: vec![call(None)],
            meta: vec![Evidence::Note { text: t("", "") }],
            ..Acc::default()
        };
        assert_eq!(initialized(&[absent]), vec![false]);
        // Unknown code under com/google is in google's namespace.
        let (_, c) = cat_of(
            vec![
                entry(
                    "google.ads",
                    &["com.google.android.gms.ads"],
                    Default::default(),
                ),
                entry("umeng.common", &["com.umeng.commonsdk"], Default::default()),
            ],
            &[],
        );
        let fam = |i: usize| c.family[i];
        assert!(
            c.namespace_families(b"Lcom/google/android/gms/internal/ads/zz;")
                .contains(&fam(0))
        );
        assert!(!c.namespace_families(b"Lcom/example/App;").contains(&fam(0)));
        assert!(!c.namespace_families(b"Lcom/google/X;").contains(&fam(1)));
    }

    #[test]
    fn initialisation_propagates_from_initialised_sdks() {
        let site = Site {
            target: 0,
            caller: 0,
            offset: 0,
            dex: 0,
            opcode: 0x6e,
        };
        let call = |from_sdk| ExternalCall {
            site,
            from_sdk,
            from_app: false,
        };
        // 0 is called by the app; 1 by 0; 2 by 3, which nobody calls.
        let acc = vec![
            Acc {
                classes: 1,
                calls: vec![call(None)],
                ..Acc::default()
            },
            Acc {
                classes: 1,
                calls: vec![call(Some(0))],
                ..Acc::default()
            },
            Acc {
                classes: 1,
                calls: vec![call(Some(3))],
                ..Acc::default()
            },
            Acc {
                classes: 1,
                ..Acc::default()
            },
        ];
        assert_eq!(initialized(&acc), vec![true, true, false, false]);
    }
}
