//! Facts: what the package shows, independent of any legal item — requested
//! permissions with the PI they reach, sensitive-API call sites with their
//! subject, components, flags, and privacy-policy traces.

use crate::ScanInput;
use crate::model::{ApiUse, AppInfo, Evidence, PermissionUse, SdkUse, SitePermission, SiteReach};
use crate::subject::SubjectResolver;
use pipa_android::manifest::{AppFlags, Component, Queries};
use pipa_android::netsec::NetworkSecurityConfig;
use pipa_kb::{Kb, Protection};
use std::time::Instant;

/// A requested permission with what the knowledge base knows of it.
#[derive(Debug, Clone)]
pub struct PermissionFact {
    /// The permission as reported.
    pub use_: PermissionUse,
    /// Needs a purpose statement at request time (191-2.3).
    pub purpose_required: bool,
    /// Chinese name as users see it, when catalogued.
    pub name_zh: Option<String>,
    /// Requested through `<uses-permission-sdk-23>`.
    pub sdk23: bool,
}

/// One sensitive-API use with the knowledge-base entry it matched.
#[derive(Debug, Clone)]
pub struct ApiSite {
    /// Index of the entry in `kb.apis`.
    pub entry: usize,
    /// The instruction in the code index.
    pub site: pipa_dex::Site,
    /// The use as reported.
    pub use_: ApiUse,
}

/// Traces of a privacy policy in the package.
#[derive(Debug, Clone, Default)]
pub struct PolicyFacts {
    /// Evidence that the app ships or links a policy: policy-like files,
    /// resource strings, strings loaded by the app's own code.
    pub found: Vec<Evidence>,
    /// Policy-like strings loaded only by third-party code (most likely an
    /// SDK's own policy, not the app's).
    pub third_party: Vec<Evidence>,
    /// Policy-like files of the package read but not taken as the app's
    /// policy: (entry, why).
    pub rejected: Vec<(String, String)>,
}

/// Everything the checks read.
#[derive(Debug, Clone)]
pub struct Facts {
    /// The app as identified.
    pub app: AppInfo,
    /// Requested permissions, manifest order.
    pub permissions: Vec<PermissionFact>,
    /// Sensitive-API uses, in knowledge-base order of the entries.
    pub api_uses: Vec<ApiSite>,
    /// Components, manifest order.
    pub components: Vec<Component>,
    /// `<application>` flags (platform defaults applied).
    pub flags: AppFlags,
    /// The network security config, when readable.
    pub netsec: Option<NetworkSecurityConfig>,
    /// `<queries>`.
    pub queries: Queries,
    /// Privacy-policy traces.
    pub policy: PolicyFacts,
    /// The privacy policy analysed: the user's (`--policy`), else the one
    /// found in the package, if any reads as a policy.
    pub policy_text: Option<pipa_policy::PolicyReport>,
    /// The app type the user named.
    pub category: Option<pipa_kb::AppType>,
    /// Third-party SDKs found, with the PI their own code collects.
    pub sdks: Vec<SdkUse>,
    /// Start-up, background and associated-launch reachability.
    pub reach: crate::reach::ReachFacts,
    /// Code in the package that pipa does not read (entry, size): dex, jar
    /// or apk files outside the runtime's `classes*.dex` load path (loaded
    /// with DexClassLoader, or packed), and Instant Run's `instant-run.zip`.
    pub unread_code: Vec<(String, u64)>,
    /// How much of the code was read and indexed (see [`crate::Coverage`]).
    pub coverage: crate::model::Coverage,
    /// Runtime-permission requests made from the callback that receives
    /// the user's answer: asking again after a refusal.
    pub re_requests: Vec<crate::permission_requests::ReRequest>,
    /// Classes whose static initialiser decrypts the strings it stores
    /// (`pipa_dex::string_tables`): string constants pipa cannot read.
    pub string_tables: Vec<StringTableFact>,
}

/// A class holding an encrypted string table, located and attributed.
#[derive(Debug, Clone)]
pub struct StringTableFact {
    /// The class, smali descriptor.
    pub class: String,
    /// Its `<clinit>`, smali.
    pub clinit: String,
    /// The decryption method, smali; `None` when the loop is in `<clinit>`.
    pub decoder: Option<String>,
    /// Decoder calls in `<clinit>`.
    pub decode_calls: u32,
    /// Static String / String[] fields written.
    pub fields: u32,
    /// Dex file.
    pub dex: String,
    /// Offset of the first decoder call (or string store).
    pub offset: u32,
    /// Who: `app`, `sdk:<id>`, `unknown-third-party`.
    pub subject: String,
}

impl Facts {
    /// The requested permission `name`, if requested.
    pub fn permission(&self, name: &str) -> Option<&PermissionFact> {
        self.permissions.iter().find(|p| p.use_.name == name)
    }
}

/// Builds the facts of one package.
pub fn facts(input: &ScanInput<'_, '_>, kb: &Kb) -> Facts {
    facts_timed(input, kb, &mut Vec::new())
}

/// [`facts`], recording the time of its stages (name, ms) in `stages`.
pub(crate) fn facts_timed(
    input: &ScanInput<'_, '_>,
    kb: &Kb,
    stages: &mut Vec<(String, f64)>,
) -> Facts {
    // The call graph (the largest stage) is built beside the facts that do
    // not need it. `rayon::join`, not a thread of its own: a caller on a
    // rayon thread (`pipa diff` assesses two packages at once) keeps
    // working while it waits, so the graph's own parallel work cannot
    // starve.
    let opts = crate::reach::graph_options(&input.apk.manifest, kb);
    let ((g, graph_ms), pre) = rayon::join(
        || {
            let t0 = Instant::now();
            let g = pipa_dex::CallGraph::build(input.index, &opts);
            (g, ms(t0))
        },
        || before_graph(input, kb, stages),
    );
    stages.push(("reach.callgraph (parallel)".into(), graph_ms));
    with_graph(input, kb, stages, pre, &g)
}

/// The facts gathered while the call graph is built.
struct BeforeGraph {
    subjects: SubjectResolver,
    app: AppInfo,
    permissions: Vec<PermissionFact>,
    api_uses: Vec<ApiSite>,
    sdks: Vec<SdkUse>,
    policy: PolicyFacts,
    policy_text: Option<pipa_policy::PolicyReport>,
    roots: Vec<String>,
    unread_code: Vec<(String, u64)>,
    re_requests: Vec<crate::permission_requests::ReRequest>,
    string_tables: Vec<StringTableFact>,
    coverage: crate::model::Coverage,
    consent_key_strings: Vec<pipa_dex::StringMatch>,
}

fn before_graph(
    input: &ScanInput<'_, '_>,
    kb: &Kb,
    stages: &mut Vec<(String, f64)>,
) -> BeforeGraph {
    let m = &input.apk.manifest;
    let t0 = Instant::now();
    let subjects = SubjectResolver::new(m)
        .with_first_party(&input.first_party)
        .with_catalogue(kb);
    stages.push(("facts.sdk_catalogue".into(), ms(t0)));
    let app = AppInfo {
        platform: "android".into(),
        id: m.package.clone(),
        name: m.label.clone(),
        version_name: m.version_name.clone(),
        version_code: m.version_code,
        min_sdk: m.min_sdk,
        target_sdk: m.target_sdk,
        first_party: subjects.first_party(),
        first_party_basis: subjects.first_party_basis(),
    };
    let mut permissions: Vec<PermissionFact> = Vec::new();
    for up in &m.permissions {
        // A permission requested twice (plain and -sdk-23) is one fact.
        if permissions.iter().any(|p| p.use_.name == up.name) {
            continue;
        }
        permissions.push(permission_fact(kb, &up.name, up.max_sdk, up.sdk23));
    }
    let t0 = Instant::now();
    let api_uses = crate::apis::api_sites(input.index, kb, &subjects);
    stages.push(("facts.apis".into(), ms(t0)));
    let mut api_uses = api_uses;
    let held = crate::live::declared(&permissions, m.min_sdk, m.target_sdk);
    for u in &mut api_uses {
        if let Some(api) = kb.apis.get(u.entry) {
            u.use_.permission = crate::live::permission_state(kb, api, &held);
        }
    }
    crate::apis::effects(input.index, kb, &mut api_uses, m.min_sdk, &m.package);
    let t0 = Instant::now();
    let sdks = crate::sdks::detect(input.apk, input.index, kb, &subjects);
    stages.push(("facts.sdks".into(), ms(t0)));
    let t0 = Instant::now();
    let mut policy = crate::policy::find_policy(input.apk, input.index, &subjects);
    stages.push(("facts.policy".into(), ms(t0)));
    let policy_text = match input.policy {
        Some(p) => {
            let mut r = p.report.clone();
            r.source.origin = Some("option".into());
            Some(r)
        }
        None => {
            let t0 = Instant::now();
            let (r, rejected) = crate::policy::package_policy(input.apk, &policy.found, kb);
            policy.rejected = rejected;
            stages.push(("facts.policy_text".into(), ms(t0)));
            r
        }
    };
    let t0 = Instant::now();
    let roots = crate::live::root_names(input.apk);
    stages.push(("facts.live_roots".into(), ms(t0)));
    let mut unread_code: Vec<(String, u64)> = Vec::new();
    for e in input.apk.archive().entries() {
        let n = e.name.as_str();
        if input.apk.other_code.iter().any(|o| o == n) || n.ends_with("instant-run.zip") {
            unread_code.push((n.to_string(), e.uncompressed_size));
        }
    }
    let re_requests = crate::permission_requests::re_requests(input.index, kb, &subjects);
    let t0 = Instant::now();
    let string_tables = pipa_dex::string_tables(input.index)
        .into_iter()
        .filter_map(|t| {
            let d = input.index.dex(t.dex)?;
            let clinit = d.method_ref(t.clinit)?;
            let class = clinit.class.to_string();
            Some(StringTableFact {
                subject: subjects.of_class(&class).label(),
                clinit: clinit.to_string(),
                class,
                decoder: t
                    .decoder
                    .and_then(|m| d.method_ref(m))
                    .map(|m| m.to_string()),
                decode_calls: t.decode_calls,
                fields: t.fields,
                dex: d.location().to_string(),
                offset: t.offset,
            })
        })
        .collect();
    stages.push(("facts.string_tables".into(), ms(t0)));
    let t0 = Instant::now();
    let coverage = crate::coverage::measure(input, &unread_code);
    stages.push(("facts.coverage".into(), ms(t0)));
    let consent_key_strings = crate::reach::consent_key_strings(input.index, kb);
    BeforeGraph {
        subjects,
        app,
        permissions,
        api_uses,
        sdks,
        policy,
        policy_text,
        roots,
        unread_code,
        re_requests,
        string_tables,
        coverage,
        consent_key_strings,
    }
}

fn with_graph<'d>(
    input: &ScanInput<'_, 'd>,
    kb: &Kb,
    stages: &mut Vec<(String, f64)>,
    pre: BeforeGraph,
    g: &pipa_dex::CallGraph<'d>,
) -> Facts {
    let m = &input.apk.manifest;
    let BeforeGraph {
        subjects,
        app,
        permissions,
        mut api_uses,
        mut sdks,
        policy,
        policy_text,
        roots,
        unread_code,
        re_requests,
        string_tables,
        coverage,
        consent_key_strings,
    } = pre;
    let mut reach = crate::reach::analyse(
        m,
        input.index,
        g,
        kb,
        &subjects,
        &api_uses,
        &sdks,
        &roots,
        &consent_key_strings,
        stages,
    );
    for (u, live) in api_uses.iter_mut().zip(&reach.live_sites) {
        if !live {
            u.use_.reach = SiteReach::Unreachable;
            reach.summary.liveness.unreachable_sites += 1;
        }
    }
    reach.summary.liveness.permission_missing_sites = api_uses
        .iter()
        .filter(|u| u.use_.permission == SitePermission::Missing)
        .count() as u32;
    // What an SDK's own code collects: only calls that can run and succeed.
    for s in &mut sdks {
        let label = format!("sdk:{}", s.id);
        for u in api_uses
            .iter()
            .filter(|u| u.use_.subject == label && u.use_.is_effective())
        {
            s.api_sites += 1;
            if !s.observed_pi.contains(&u.use_.pi_type) {
                s.observed_pi.push(u.use_.pi_type.clone());
            }
        }
    }
    for s in &mut sdks {
        let hit = reach.sdk_init.iter().find(|h| h.sdk == s.id);
        if let Some(h) = hit {
            s.startup = Some(if h.gated { "gated" } else { "ungated" }.into());
            for c in &mut s.compliant_init {
                if let Some((_, _, gated)) = h.startup_apis.iter().find(|(a, _, _)| *a == c.api) {
                    c.at_startup = Some(if *gated { "gated" } else { "ungated" }.into());
                }
            }
        }
        if !s.compliant_init.is_empty() {
            s.compliant_init_used = Some(match hit {
                Some(h) => h.compliant_init_used,
                // Not called at start-up: compliant when its own means of
                // starting (pre-init, consent signal, init) are used at all.
                None => s
                    .compliant_init
                    .iter()
                    .any(|c| c.used && c.role != pipa_kb::InitRole::Switch),
            });
        }
    }
    Facts {
        string_tables,
        coverage,
        re_requests,
        unread_code,
        app,
        permissions,
        api_uses,
        components: m.components.clone(),
        flags: m.flags.clone(),
        netsec: input.apk.network_security_config.clone(),
        queries: m.queries.clone(),
        policy,
        policy_text,
        category: input.category.cloned(),
        sdks,
        reach,
    }
}

pub(crate) fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// A permission as the knowledge base describes it (`unknown` when not catalogued).
pub(crate) fn permission_fact(
    kb: &Kb,
    name: &str,
    max_sdk: Option<i64>,
    sdk23: bool,
) -> PermissionFact {
    let k = kb.permission(name);
    PermissionFact {
        use_: PermissionUse {
            name: name.to_string(),
            pi_types: k.map(|k| k.pi_types.clone()).unwrap_or_default(),
            dangerous: k.is_some_and(|k| k.protection == Protection::Dangerous),
            protection: k
                .map_or("unknown", |k| protection_name(k.protection))
                .into(),
            max_sdk,
        },
        purpose_required: k.is_some_and(|k| k.purpose_required),
        name_zh: k.map(|k| k.name_zh.clone()),
        sdk23,
    }
}

fn protection_name(p: Protection) -> &'static str {
    match p {
        Protection::Dangerous => "dangerous",
        Protection::Special => "special",
        Protection::Normal => "normal",
        Protection::Signature => "signature",
        Protection::Vendor => "vendor",
    }
}
