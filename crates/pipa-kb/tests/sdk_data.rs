//! Validation of the SDK catalogue (`kb/sdks/*.yaml`, see `kb/sdks/README.md`):
//! every record parses, ids and references resolve, signatures are well formed
//! and specific, and the key Chinese SDKs have curated entries.

use std::collections::{HashMap, HashSet};

use pipa_kb::{Kb, Sdk, Status};
use regex::Regex;

/// The generated file; the rest are curated.
const GENERATED: &str = "sdks/libchecker.yaml";

/// Namespaces a `dex` prefix may never be on its own.
const PLATFORM_BLOCKLIST: &[&str] = &[
    "android",
    "androidx",
    "java",
    "javax",
    "kotlin",
    "kotlinx",
    "dalvik",
    "com.google",
    "com.google.android",
    "com.google.android.gms",
    "com.android",
    "com.facebook",
    "com.tencent",
    "com.alibaba",
    "com.baidu",
    "com.huawei",
    "com.xiaomi",
    "com.bytedance",
    "org.apache",
    "com.sina",
];

fn kb() -> Kb {
    Kb::load_embedded().expect("every kb file parses and every extension record has its entry")
}

/// Every record of every catalogue file with the file it is in (extension records included).
/// Read from the YAML sources (not the embedded JSON) so that a problem is
/// reported with its line.
fn records() -> Vec<(&'static str, Sdk)> {
    let mut out = Vec::new();
    for (file, _) in pipa_kb::SDK_FILES_JSON {
        let path = format!("{}/../../kb/{file}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let list: Vec<Sdk> = serde_yaml_ng::from_str(&text)
            .unwrap_or_else(|e| panic!("{file}: does not parse as a list of SDK entries: {e}"));
        out.extend(list.into_iter().map(|s| (*file, s)));
    }
    out
}

#[test]
fn embedded_json_equals_the_yaml_sources() {
    let from_yaml: Vec<Sdk> = records()
        .into_iter()
        .map(|(_, s)| s)
        .filter(|s| !s.extends)
        .collect();
    let embedded = kb();
    let ids: Vec<&str> = embedded.sdks.iter().map(|s| s.id.as_str()).collect();
    let yaml_ids: Vec<&str> = from_yaml.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, yaml_ids);
    for (a, b) in embedded.sdks.iter().zip(&from_yaml) {
        // Extension records only add signatures; everything else is as written.
        assert_eq!(a.name, b.name, "{}", a.id);
        assert_eq!(a.collects, b.collects, "{}", a.id);
        assert_eq!(a.version, b.version, "{}", a.id);
        assert_eq!(a.compliant_init, b.compliant_init, "{}", a.id);
        assert!(
            b.signatures
                .dex
                .iter()
                .all(|d| a.signatures.dex.contains(d)),
            "{}",
            a.id
        );
    }
}

fn report(what: &str, errors: Vec<String>) {
    assert!(
        errors.is_empty(),
        "{what}: {} problem(s):\n  {}",
        errors.len(),
        errors.join("\n  ")
    );
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("the test's own expressions compile")
}

fn is_java_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

#[test]
fn catalogue_has_at_least_300_entries() {
    let kb = kb();
    assert!(
        kb.sdks.len() >= 300,
        "kb/sdks: {} entries (extension records not counted), at least 300 expected",
        kb.sdks.len()
    );
}

#[test]
fn ids_are_unique_and_well_formed() {
    let id_re = re(r"^[a-z0-9][a-z0-9_.-]*$");
    let mut errors = Vec::new();
    let mut seen: HashMap<&str, &str> = HashMap::new();
    let recs = records();
    for (file, s) in &recs {
        if !id_re.is_match(&s.id) {
            errors.push(format!("{file}: id {:?} is not [a-z0-9][a-z0-9_.-]*", s.id));
        }
        if s.extends {
            continue;
        }
        if let Some(first) = seen.insert(s.id.as_str(), file) {
            errors.push(format!("{file}: id {} is also defined in {first}", s.id));
        }
    }
    for (file, s) in recs.iter().filter(|(_, s)| s.extends) {
        if !seen.contains_key(s.id.as_str()) {
            errors.push(format!(
                "{file}: extension record {} extends no entry",
                s.id
            ));
        }
    }
    report("SDK ids", errors);
}

#[test]
fn references_resolve() {
    let kb = kb();
    let pi: HashSet<&str> = kb.pi_types.iter().map(|p| p.id.as_str()).collect();
    let perms: HashSet<&str> = kb.permissions.iter().map(|p| p.name.as_str()).collect();
    let sources: HashSet<&str> = kb.sources.iter().map(|s| s.id.as_str()).collect();
    let mut errors = Vec::new();
    for (file, s) in records() {
        for p in &s.collects {
            if !pi.contains(p.as_str()) {
                errors.push(format!("{file}: {}: unknown PI type {p}", s.id));
            }
        }
        for p in &s.permissions {
            if !perms.contains(p.as_str()) {
                errors.push(format!(
                    "{file}: {}: permission {p} is not in kb/permissions.yaml",
                    s.id
                ));
            }
        }
        for src in &s.sources {
            if !sources.contains(src.as_str()) {
                errors.push(format!("{file}: {}: unknown source id {src}", s.id));
            }
        }
        if !s.extends && s.sources.is_empty() {
            errors.push(format!("{file}: {}: no source", s.id));
        }
    }
    report("SDK references", errors);
}

#[test]
fn every_entry_has_a_signature() {
    let kb = kb();
    let files: HashMap<String, &str> = records()
        .into_iter()
        .filter(|(_, s)| !s.extends)
        .map(|(f, s)| (s.id, f))
        .collect();
    let errors: Vec<String> = kb
        .sdks
        .iter()
        .filter(|s| s.signatures.is_empty())
        .map(|s| {
            let file = files.get(&s.id).copied().unwrap_or("?");
            format!("{file}: {}: no signature at all", s.id)
        })
        .collect();
    report("SDK signatures", errors);
}

#[test]
fn regular_expressions_compile() {
    let mut errors = Vec::new();
    for (file, s) in records() {
        let sig = &s.signatures;
        let version_patterns = s
            .version
            .iter()
            .filter_map(|v| v.string.as_ref().map(|x| &x.pattern));
        for p in sig
            .components_regex
            .iter()
            .chain(&sig.native_regex)
            .chain(version_patterns)
        {
            if let Err(e) = Regex::new(p) {
                errors.push(format!("{file}: {}: {p:?} does not compile: {e}", s.id));
            }
        }
    }
    report("SDK regular expressions", errors);
}

#[test]
fn dex_prefixes_are_specific_and_unique() {
    let mut errors = Vec::new();
    let mut owner: HashMap<String, (String, &str)> = HashMap::new();
    for (file, s) in records() {
        for p in &s.signatures.dex {
            let segments: Vec<&str> = p.split('.').collect();
            if segments.len() < 2 {
                errors.push(format!(
                    "{file}: {}: dex {p:?} has fewer than two segments",
                    s.id
                ));
            }
            if !segments.iter().all(|x| is_java_identifier(x)) {
                errors.push(format!(
                    "{file}: {}: dex {p:?} is not a dotted Java name",
                    s.id
                ));
            }
            if PLATFORM_BLOCKLIST.contains(&p.as_str()) {
                errors.push(format!(
                    "{file}: {}: dex {p:?} is a bare platform/vendor namespace",
                    s.id
                ));
            }
            match owner.get(p) {
                Some((id, f)) if *id != s.id => errors.push(format!(
                    "{file}: {}: dex {p:?} is also a prefix of {id} ({f})",
                    s.id
                )),
                Some(_) => {}
                None => {
                    owner.insert(p.clone(), (s.id.clone(), file));
                }
            }
        }
    }
    report("SDK dex prefixes", errors);
}

#[test]
fn signatures_are_well_formed() {
    let class_re = re(r"^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)+$");
    let host_re = re(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$");
    let mut errors = Vec::new();
    for (file, s) in records() {
        let sig = &s.signatures;
        for c in &sig.components {
            if !class_re.is_match(c) {
                errors.push(format!(
                    "{file}: {}: component {c:?} is not a dotted class name",
                    s.id
                ));
            }
        }
        for n in &sig.native {
            if !n.ends_with(".so") || n.contains('/') {
                errors.push(format!(
                    "{file}: {}: native {n:?} is not a .so file name",
                    s.id
                ));
            }
        }
        for h in &sig.hosts {
            if !host_re.is_match(h) {
                errors.push(format!(
                    "{file}: {}: host {h:?} is not a lower-case host name",
                    s.id
                ));
            }
        }
        for m in &sig.meta_data {
            if m.trim().is_empty() || m.trim() != m {
                errors.push(format!("{file}: {}: meta-data key {m:?}", s.id));
            }
        }
        for a in &sig.assets {
            if a.is_empty() || a.starts_with('/') {
                errors.push(format!("{file}: {}: asset path {a:?}", s.id));
            }
        }
        let marker_re = re(r"^L[A-Za-z0-9_$/]+;(->[A-Za-z0-9_$<>]+)?$");
        for g in &s.generations {
            if !marker_re.is_match(&g.marker) || g.name.zh.is_empty() || g.name.en.is_empty() {
                errors.push(format!(
                    "{file}: {}: generation {:?}: a name and a marker Lx/Y; or Lx/Y;->m",
                    s.id, g.marker
                ));
            }
        }
        for c in &sig.core_classes {
            let under = sig.dex.iter().any(|p| {
                c.strip_prefix(p.as_str())
                    .is_some_and(|r| r.starts_with(['.', '$']))
            });
            if !class_re.is_match(c) || !under {
                errors.push(format!(
                    "{file}: {}: core class {c:?} is not a dotted class under its dex prefixes",
                    s.id
                ));
            }
        }
    }
    report("SDK signatures", errors);
}

#[test]
fn smali_names_are_well_formed() {
    let method_re = re(r"^L[A-Za-z0-9_$/]+;->[A-Za-z0-9_$<>]+$");
    let field_re = re(r"^L[A-Za-z0-9_$/]+;->[A-Za-z0-9_$]+(:\[*([ZBSCIJFD]|L[A-Za-z0-9_$/]+;))?$");
    let class_re = re(r"^L[A-Za-z0-9_$/]+;$");
    let mut errors = Vec::new();
    for (file, s) in records() {
        for c in &s.compliant_init {
            if !method_re.is_match(&c.api) {
                errors.push(format!(
                    "{file}: {}: compliant_init api {:?} is not Lx/y/Z;->name",
                    s.id, c.api
                ));
            }
            if c.description.zh.trim().is_empty() || c.description.en.trim().is_empty() {
                errors.push(format!(
                    "{file}: {}: compliant_init {} has no description",
                    s.id, c.api
                ));
            }
        }
        for v in &s.version {
            if v.kinds() != 1 {
                errors.push(format!(
                    "{file}: {}: a version source gives {} of field/string/meta_data/file, not one",
                    s.id,
                    v.kinds()
                ));
            }
            if let Some(f) = v.field.as_ref().filter(|f| !field_re.is_match(f)) {
                errors.push(format!(
                    "{file}: {}: version field {f:?} is not Lx/y/Z;->name[:type]",
                    s.id
                ));
            }
            if let Some(x) = v.string.as_ref().filter(|x| !class_re.is_match(&x.class)) {
                errors.push(format!(
                    "{file}: {}: version string class {:?} is not Lx/y/Z;",
                    s.id, x.class
                ));
            }
            if v.meta_data.as_ref().is_some_and(|m| m.trim().is_empty()) {
                errors.push(format!("{file}: {}: empty version meta-data key", s.id));
            }
            if let Some(f) = v
                .file
                .as_ref()
                .filter(|f| f.is_empty() || f.starts_with('/'))
            {
                errors.push(format!("{file}: {}: version file {f:?}", s.id));
            }
        }
    }
    report("SDK smali names", errors);
}

#[test]
fn collects_and_urls() {
    let mut errors = Vec::new();
    for (file, s) in records() {
        if !s.collects.is_empty()
            && s.collects_source.trim().is_empty()
            && s.status != Some(Status::Unverified)
        {
            errors.push(format!(
                "{file}: {}: collects without collects_source (or mark it status: unverified)",
                s.id
            ));
        }
        for (what, url) in [
            ("website", &s.website),
            ("privacy_policy", &s.privacy_policy),
        ] {
            if !url.is_empty() && !url.starts_with("https://") && !url.starts_with("http://") {
                errors.push(format!(
                    "{file}: {}: {what} {url:?} is not an http(s) URL",
                    s.id
                ));
            }
        }
        if !s.extends && (s.name.zh.trim().is_empty() || s.name.en.trim().is_empty()) {
            errors.push(format!("{file}: {}: name needs zh and en", s.id));
        }
    }
    report("SDK collects and URLs", errors);
}

/// Packages of the SDKs the issue names: a class `<pkg>.X` must be attributed
/// (by dex prefix) to a curated entry. Alternatives are separated by `|`.
const KEY_PACKAGES: &[&str] = &[
    "com.umeng.commonsdk",
    "cn.jpush.android",
    "cn.jiguang",
    "com.igexin",
    "com.tencent.bugly",
    "com.qq.e",
    "com.tencent.smtt",
    "com.tencent.tauth",
    "com.tencent.mm.opensdk",
    "com.alipay.sdk",
    "com.baidu.location",
    "com.amap.api.location",
    "com.bytedance.sdk.openadsdk",
    "com.huawei.hms.push",
    "com.xiaomi.mipush",
    "com.heytap.msp|com.coloros.mcssdk",
    "com.vivo.push",
    "com.meizu.cloud.pushsdk",
    "com.sina.weibo.sdk",
    "com.cmic.sso.sdk|com.cmic.gen.sdk",
    "com.sensorsdata.analytics",
    "com.growingio",
    "com.tendcloud",
    "com.ishumei",
    "cn.tongdun",
    "com.netease.nis",
    "com.iflytek",
    "com.hyphenate",
    "io.rong",
    "io.agora",
    "com.qiniu",
    "com.meiqia",
    "com.tencent.tinker",
    "com.google.firebase",
    "com.facebook",
    "com.appsflyer",
    "com.adjust.sdk",
    "io.sentry",
];

/// Families whose root is itself a blocked namespace: an entry for one of
/// their products (a prefix under the root) covers them.
const FAMILY_ROOTS: &[&str] = &["com.facebook"];

fn attributed(prefixes: &[&str], class: &str) -> bool {
    prefixes.iter().any(|p| {
        class
            .strip_prefix(p)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('$'))
    })
}

#[test]
fn key_chinese_sdks_have_curated_entries() {
    let recs = records();
    let curated: Vec<&str> = recs
        .iter()
        .filter(|(file, _)| *file != GENERATED)
        .flat_map(|(_, s)| s.signatures.dex.iter().map(String::as_str))
        .collect();
    let missing: Vec<&str> = KEY_PACKAGES
        .iter()
        .filter(|alts| {
            !alts.split('|').any(|pkg| {
                attributed(&curated, &format!("{pkg}.X"))
                    || (FAMILY_ROOTS.contains(&pkg)
                        && curated
                            .iter()
                            .any(|p| p.strip_prefix(pkg).is_some_and(|r| r.starts_with('.'))))
            })
        })
        .copied()
        .collect();
    assert!(
        missing.is_empty(),
        "no curated kb/sdks entry's dex prefix covers {} package(s): {missing:?}",
        missing.len()
    );
}

/// Names once cut at their first comma by an unquoted `{zh: …, en: …}` flow
/// mapping (`AutoNavi (AMap`, `OPPO Push SDK (HeyTap`); the whole-text check
/// for every text is `kb_data.rs`'s `every_text_is_whole`.
#[test]
fn names_with_commas_are_whole() {
    let kb = kb();
    let sdk = |id: &str| kb.sdk(id).unwrap_or_else(|| panic!("no SDK {id}"));
    assert_eq!(sdk("amap.map3d").vendor.en, "AutoNavi (AMap, Alibaba)");
    assert_eq!(
        sdk("oppo.push").name.en,
        "OPPO Push SDK (HeyTap, incl. OnePlus, realme)"
    );
    assert_eq!(
        sdk("oppo.push").vendor.en,
        "Guangdong Heytap Technology Co., Ltd. (OPPO)"
    );
    assert_eq!(
        sdk("huawei.hms_core").name.en,
        "HUAWEI HMS Core base SDK (availability, update)"
    );
    assert_eq!(
        sdk("huawei.hms_core").vendor.en,
        "Huawei Software Technologies Co., Ltd."
    );
}

/// Start-up roles: an SDK marked `no_compliant_init` offers no pre-init or
/// consent API; every SDK that lists start-up APIs says how it starts (an
/// `init`, a pre-init/consent API, or `no_compliant_init`), an API has one
/// role per SDK, and a compliance guide is an https URL.
#[test]
fn start_up_roles_are_consistent() {
    use pipa_kb::InitRole;
    let mut errors = Vec::new();
    for (file, s) in records() {
        if s.extends {
            continue;
        }
        let roles: Vec<InitRole> = s.compliant_init.iter().map(|c| c.role).collect();
        if s.no_compliant_init
            && roles
                .iter()
                .any(|r| matches!(r, InitRole::PreInit | InitRole::Consent))
        {
            errors.push(format!(
                "{file}: {}: no_compliant_init but lists a pre-init or consent API",
                s.id
            ));
        }
        if !s.compliance_guide.is_empty() && !s.compliance_guide.starts_with("https://") {
            errors.push(format!("{file}: {}: compliance_guide is not https", s.id));
        }
        let mut seen: HashSet<&str> = HashSet::new();
        for c in &s.compliant_init {
            if !seen.insert(c.api.as_str()) {
                errors.push(format!("{file}: {}: {} listed twice", s.id, c.api));
            }
        }
    }
    report("start-up roles", errors);
    // The vendors' guides, exactly: Umeng pre-init before consent, init and
    // the consent signal after; Bugly has no pre-init; JPush's consent signal
    // is JCore's setAuth and JPushInterface.init waits.
    let kb = Kb::embedded();
    let role = |id: &str, api: &str| {
        kb.sdk(id)
            .and_then(|s| s.compliant_init.iter().find(|c| c.api == api))
            .map(|c| c.role)
    };
    assert_eq!(
        role("umeng.common", "Lcom/umeng/commonsdk/UMConfigure;->preInit"),
        Some(InitRole::PreInit)
    );
    assert_eq!(
        role("umeng.common", "Lcom/umeng/commonsdk/UMConfigure;->init"),
        Some(InitRole::Init)
    );
    assert_eq!(
        role(
            "umeng.common",
            "Lcom/umeng/commonsdk/UMConfigure;->submitPolicyGrantResult"
        ),
        Some(InitRole::Consent)
    );
    assert_eq!(
        role(
            "tencent.bugly",
            "Lcom/tencent/bugly/crashreport/CrashReport;->initCrashReport"
        ),
        Some(InitRole::Init)
    );
    assert!(kb.sdk("tencent.bugly").is_some_and(|s| s.no_compliant_init));
    assert_eq!(
        role(
            "jiguang.jpush",
            "Lcn/jpush/android/api/JPushInterface;->init"
        ),
        Some(InitRole::Init)
    );
    assert_eq!(
        role(
            "jiguang.jpush",
            "Lcn/jiguang/api/utils/JCollectionAuth;->setAuth"
        ),
        Some(InitRole::Consent)
    );
}
