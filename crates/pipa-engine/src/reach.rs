//! Reachability facts: which sensitive calls and SDK initialisations run
//! without any user action (start-up: Application, ContentProviders,
//! androidx.startup initialisers), which run only in the background
//! (receivers, services, jobs), with the shortest call chain of each; which
//! of those chains pass a check of a stored consent flag; the code that
//! schedules the app to run again, keeps services sticky, or starts other
//! apps (associated launch).
//!
//! The call graph is `pipa_dex::CallGraph`; the platform knowledge (entry
//! methods, async types, UI types, consent key words, launch APIs) is
//! `kb/startup.yaml`.

use crate::facts::ApiSite;
use crate::model::{Evidence, Reachability, ReachedApi, SdkInitReach, SdkUse, Subject};
use crate::subject::{SubjectResolver, descriptor, dotted};
use pipa_android::manifest::{Component, ComponentKind, Manifest};
use pipa_dex::{CallGraph, CallGraphOptions, CodeIndex, Hop, Reach, StringMatch};
use pipa_kb::{InitRole, Kb};
use std::collections::HashMap;

/// A sensitive call reached from an entry point.
#[derive(Debug, Clone)]
pub struct ChainHit {
    /// Index into `Facts::api_uses`.
    pub api_use: usize,
    /// Who makes the call.
    pub subject: String,
    /// The chain (an [`Evidence::Chain`]).
    pub chain: Evidence,
    /// The chain passes a consent check before the call.
    pub gated: bool,
}

/// An SDK called at start-up.
#[derive(Debug, Clone)]
pub struct SdkInitHit {
    /// SDK id.
    pub sdk: String,
    /// The chain to the first call into it (an [`Evidence::Chain`]).
    pub chain: Evidence,
    /// The chain passes a consent check before the call.
    pub gated: bool,
    /// The role of the called method in the SDK's start-up data (`None`:
    /// not a catalogued start-up API, or the SDK's own entry point).
    pub role: Option<InitRole>,
    /// The called method (smali).
    pub call: String,
    /// The system starts the SDK through its own component (provider,
    /// initializer), not a call from other code.
    pub own_entry: bool,
    /// The SDK starts compliantly: no call that may collect runs at
    /// start-up without a consent check, and its pre-init, consent signal or
    /// gated init is used.
    pub compliant_init_used: bool,
    /// Its catalogued start-up APIs called at start-up: (api, role, gated).
    pub startup_apis: Vec<(String, InitRole, bool)>,
    /// The call is a consent API passed a constant `true` on a start-up
    /// path without a consent check: it tells the SDK the user agreed
    /// before anyone asked (`agrees_with_true` in the catalogue).
    pub consent_claimed: bool,
}

/// A code location that makes the app run again later or keeps it running.
#[derive(Debug, Clone)]
pub struct CodeTrigger {
    /// `periodic` or `sticky`.
    pub group: String,
    /// Who.
    pub subject: String,
    /// What (name of the API or `START_STICKY`), zh and en.
    pub what: (String, String),
    /// Where.
    pub evidence: Evidence,
}

/// Code that starts, binds or broadcasts to another app.
#[derive(Debug, Clone)]
pub struct LaunchHit {
    /// Who.
    pub subject: String,
    /// The other apps' package/component names or URL schemes it names.
    pub targets: Vec<String>,
    /// Phone makers' device-identifier services it binds (OAID), listed
    /// apart: they are system apps, and what they return is PI.
    pub id_services: Vec<String>,
    /// The calls and constants.
    pub evidence: Vec<Evidence>,
    /// A chain when the code runs without the user (start-up or background).
    pub chain: Option<Evidence>,
}

/// What makes the app run without the user at the start of a self-start
/// chain: a receiver of system broadcasts (or a sync adapter), or a call
/// that schedules a component again and again.
#[derive(Debug, Clone)]
pub struct SelfStartTrigger {
    /// `broadcast` or `periodic`.
    pub kind: &'static str,
    /// The broadcast actions (or sync actions) the system delivers to the
    /// receiver, or the scheduling API (smali, `Landroid/app/AlarmManager;->setRepeating`).
    pub what: Vec<String>,
    /// Their names (zh, en), from `kb/startup.yaml`.
    pub names: Vec<(String, String)>,
    /// The receiver or service (dotted), or the scheduling method (smali).
    pub component: String,
    /// Who declares the receiver or schedules.
    pub subject: String,
    /// The manifest element or the scheduling call.
    pub evidence: Evidence,
}

/// A sensitive call reached from a self-start trigger.
#[derive(Debug, Clone)]
pub struct SelfStartHit {
    /// Index into `Facts::api_uses`.
    pub api_use: usize,
    /// Who makes the call.
    pub subject: String,
    /// Index into [`ReachFacts::self_start_triggers`].
    pub trigger: usize,
    /// The chain from the trigger (an [`Evidence::Chain`]; entry `receiver`
    /// or `service` for broadcasts, `periodic` for scheduling calls).
    pub chain: Evidence,
    /// The chain passes a consent check before the call.
    pub gated: bool,
}

/// A receiver of system broadcasts the system does not start for this app:
/// its actions are not delivered to receivers declared in the manifest at
/// the app's target SDK, or the boot broadcast without its permission.
#[derive(Debug, Clone)]
pub struct UndeliveredTrigger {
    /// The receiver (dotted).
    pub component: String,
    /// The actions it declares that are not delivered.
    pub actions: Vec<String>,
}

/// Everything the reachability analysis found.
#[derive(Debug, Clone, Default)]
pub struct ReachFacts {
    /// The summary for the assessment's `reachability` key.
    pub summary: Reachability,
    /// Sensitive calls reached from start-up entry points.
    pub before_consent: Vec<ChainHit>,
    /// Sensitive calls reached only from receivers, services and jobs.
    pub background: Vec<ChainHit>,
    /// SDKs called at start-up.
    pub sdk_init: Vec<SdkInitHit>,
    /// Periodic scheduling and sticky services.
    pub triggers: Vec<CodeTrigger>,
    /// Associated launch.
    pub launches: Vec<LaunchHit>,
    /// Chains from self-start receivers into the app, per receiver class
    /// (dotted): how many sensitive calls each reaches.
    pub self_start_reach: Vec<(String, usize)>,
    /// The subject of every manifest component (dotted class, subject label).
    pub component_subjects: Vec<(String, String)>,
    /// Self-start triggers that reach sensitive calls.
    pub self_start_triggers: Vec<SelfStartTrigger>,
    /// Sensitive calls reached from self-start triggers: per call, the
    /// shortest chain from a broadcast and from a scheduling call.
    pub self_start: Vec<SelfStartHit>,
    /// Receivers of system broadcasts the system does not deliver to them.
    pub undelivered: Vec<UndeliveredTrigger>,
    /// Per entry of `Facts::api_uses`: whether its calling method is live
    /// (see `pipa_dex::CallGraph::liveness`); all true when liveness could
    /// not be computed.
    pub live_sites: Vec<bool>,
}

impl ReachFacts {
    /// The subject label of the manifest component `class` (dotted).
    pub fn component_subject(&self, class: &str) -> Option<&str> {
        self.component_subjects
            .iter()
            .find(|(c, _)| c == class)
            .map(|(_, s)| s.as_str())
    }
}

/// Entry points of one kind.
struct Roots {
    nodes: Vec<u32>,
    /// Per root: (entry kind, component dotted).
    info: Vec<(&'static str, String)>,
}

impl Roots {
    fn new() -> Roots {
        Roots {
            nodes: Vec::new(),
            info: Vec::new(),
        }
    }

    fn add(&mut self, g: &CallGraph<'_>, class_desc: &str, names: &[String], kind: &'static str) {
        let Some(t) = g.find_type(class_desc) else {
            return;
        };
        let dotted = dotted(class_desc);
        for name in names {
            for n in g.methods_named(t, name) {
                if !self.nodes.contains(&n) {
                    self.nodes.push(n);
                    self.info.push((kind, dotted.clone()));
                }
            }
        }
    }
}

fn is_service_like(c: &Component) -> bool {
    matches!(c.kind, ComponentKind::Service | ComponentKind::Receiver)
}

/// What the call graph models for this package: its services, receivers and
/// jobs, the KB's asynchronous types and component start APIs.
pub(crate) fn graph_options(manifest: &Manifest, kb: &Kb) -> CallGraphOptions {
    let st = &kb.startup;
    let names = |kind: &str| st.entry_methods.get(kind).cloned().unwrap_or_default();
    let mut component_types: Vec<(String, Vec<String>)> = Vec::new();
    for c in manifest.components.iter().filter(|c| is_service_like(c)) {
        let kind = if c.kind == ComponentKind::Service {
            "service"
        } else {
            "receiver"
        };
        component_types.push((descriptor(&c.name), names(kind)));
    }
    for j in &st.job_types {
        component_types.push((j.type_.clone(), j.methods.clone()));
    }
    CallGraphOptions {
        async_types: st
            .async_types
            .iter()
            .map(|a| (a.type_.clone(), a.callbacks.clone()))
            .collect(),
        component_types,
        component_start_apis: st
            .component_start_apis
            .iter()
            .map(|c| (c.class.clone(), c.method.clone()))
            .collect(),
        ..CallGraphOptions::default()
    }
}

/// Runs the analysis on `g`, the call graph of `index` built with
/// [`graph_options`].
#[allow(clippy::too_many_arguments)]
pub(crate) fn analyse<'d>(
    manifest: &Manifest,
    index: &CodeIndex<'d>,
    g: &CallGraph<'d>,
    kb: &Kb,
    subjects: &SubjectResolver,
    api_uses: &[ApiSite],
    sdks: &[SdkUse],
    live_roots: &[String],
    consent_key_strings: &[StringMatch],
    stages: &mut Vec<(String, f64)>,
) -> ReachFacts {
    let st = &kb.startup;
    let names = |kind: &str| st.entry_methods.get(kind).cloned().unwrap_or_default();
    let t0 = std::time::Instant::now();
    let mut cx = Cx {
        g,
        index,
        subjects,
        subject_cache: HashMap::new(),
        labels: Vec::new(),
    };

    // ---- entry points ----
    let mut startup = Roots::new();
    if let Some(app) = &manifest.application_class {
        startup.add(g, &descriptor(app), &names("application"), "application");
    }
    for c in manifest
        .components
        .iter()
        .filter(|c| c.kind == ComponentKind::Provider && c.enabled)
    {
        startup.add(g, &descriptor(&c.name), &names("provider"), "provider");
        for m in &c.meta_data {
            if m.value.as_deref() == Some("androidx.startup") {
                startup.add(
                    g,
                    &descriptor(&m.name),
                    &names("initializer"),
                    "initializer",
                );
            }
        }
    }
    let self_start_actions: Vec<&str> = st
        .system_broadcasts
        .iter()
        .chain(&st.keep_alive_services)
        .map(|t| t.action.as_str())
        .collect();
    let mut bg_self = Roots::new();
    let mut bg_other = Roots::new();
    for c in manifest
        .components
        .iter()
        .filter(|c| is_service_like(c) && c.enabled)
    {
        let (kind, list) = if c.kind == ComponentKind::Service {
            ("service", names("service"))
        } else {
            ("receiver", names("receiver"))
        };
        let self_start = c
            .intent_filters
            .iter()
            .flat_map(|f| &f.actions)
            .any(|a| self_start_actions.contains(&a.as_str()));
        let roots = if self_start {
            &mut bg_self
        } else {
            &mut bg_other
        };
        roots.add(g, &descriptor(&c.name), &list, kind);
    }
    // Workers and job services (started by code, not by a manifest entry).
    let job_bases: Vec<(u32, &Vec<String>)> = st
        .job_types
        .iter()
        .filter_map(|j| g.find_type(&j.type_).map(|t| (t, &j.methods)))
        .collect();
    let ui_bases: Vec<u32> = st.ui_types.iter().filter_map(|t| g.find_type(t)).collect();
    let mut fg_nodes: Vec<u32> = Vec::new();
    let mut ui_names: Vec<String> = Vec::new();
    for t in g.defined_types() {
        let Some(name) = g.type_name(t) else { continue };
        let anc = g.ancestors_of(t);
        for (base, methods) in &job_bases {
            if t != *base && anc.contains(base) {
                bg_other.add(g, &name, methods, "job");
            }
        }
        if ui_bases.iter().any(|b| anc.contains(b)) {
            fg_nodes.extend(g.methods_of(t));
            ui_names.push(name.trim_end_matches(';').to_string());
        }
    }
    // Inner and anonymous classes of screens (`MainActivity$1`) are UI too.
    ui_names.sort();
    for t in g.defined_types() {
        let Some(name) = g.type_name(t) else { continue };
        if let Some((outer, _)) = name.split_once('$')
            && ui_names.binary_search(&outer.to_string()).is_ok()
        {
            fg_nodes.extend(g.methods_of(t));
        }
    }
    for c in manifest.components.iter().filter(|c| {
        matches!(
            c.kind,
            ComponentKind::Activity | ComponentKind::ActivityAlias
        )
    }) {
        if let Some(t) = g.find_type(&descriptor(&c.name)) {
            fg_nodes.extend(g.methods_of(t));
        }
    }

    // ---- consent gates ----
    let gates = consent_gates(&cx, kb, consent_key_strings);
    let gate = |n: u32| gates.get(&n).copied().unwrap_or(u32::MAX);

    // ---- reach ----
    // Screens and UI callbacks run because the user looks or taps: paths
    // through them are not "without user action".
    let mut ui = vec![false; g.len()];
    for &n in &fg_nodes {
        if let Some(x) = ui.get_mut(n as usize) {
            *x = true;
        }
    }
    let no_ui = |n: u32| !ui.get(n as usize).copied().unwrap_or(false);
    let any = |_: u32| true;
    let start_ungated = g.reach(&startup.nodes, gate, no_ui);
    let start_all = g.reach(&startup.nodes, |_| u32::MAX, no_ui);
    let bg_self_reach = g.reach(&bg_self.nodes, |_| u32::MAX, no_ui);
    let mut bg_all_roots = bg_self.nodes.clone();
    bg_all_roots.extend(&bg_other.nodes);
    let mut bg_all_info = bg_self.info.clone();
    bg_all_info.extend(bg_other.info.iter().cloned());
    let bg_all = g.reach(&bg_all_roots, |_| u32::MAX, no_ui);
    let mut fg_roots = startup.nodes.clone();
    fg_roots.extend(&fg_nodes);
    let fg = g.reach(&fg_roots, |_| u32::MAX, any);
    stages.push(("reach.search".into(), crate::facts::ms(t0)));

    let mut out = ReachFacts::default();
    let t0 = std::time::Instant::now();
    liveness(g, index, manifest, live_roots, api_uses, &mut out);
    stages.push(("reach.liveness".into(), crate::facts::ms(t0)));
    for c in &manifest.components {
        let s = subjects.of_class(&descriptor(&c.name)).label();
        out.component_subjects.push((c.name.clone(), s));
    }
    let stats = g.stats();
    out.summary.methods = stats.methods;
    out.summary.edges = stats.edges;
    out.summary.megamorphic_calls = stats.megamorphic_calls;
    out.summary.reached_at_startup = start_all.count() as u32;
    out.summary.reached_in_background = bg_all.count() as u32;
    for roots in [&startup, &bg_self, &bg_other] {
        for (i, (kind, comp)) in roots.info.iter().enumerate() {
            let subject = roots
                .nodes
                .get(i)
                .map(|&n| cx.subject(n))
                .unwrap_or_default();
            let e = crate::model::EntryPoint {
                kind: (*kind).into(),
                component: comp.clone(),
                subject,
            };
            if !out.summary.entries.contains(&e) {
                out.summary.entries.push(e);
            }
        }
    }

    // ---- sensitive calls ----
    let mut self_reach: HashMap<String, usize> = HashMap::new();
    for (i, a) in api_uses.iter().enumerate() {
        let Some(node) = g.node(a.site.dex, a.site.caller) else {
            continue;
        };
        let target = cx.site_target(a);
        if start_all.reached(node) {
            let ungated = start_ungated.reached(node) && a.site.offset < gate(node);
            let reach = if ungated { &start_ungated } else { &start_all };
            let chain = cx.chain(reach, &startup.info, node, &target, a.site.offset, !ungated);
            out.before_consent.push(ChainHit {
                api_use: i,
                subject: a.use_.subject.clone(),
                chain,
                gated: !ungated,
            });
        } else if bg_all.reached(node) && !fg.reached(node) {
            let from_self = bg_self_reach.reached(node);
            let (reach, info) = if from_self {
                (&bg_self_reach, &bg_self.info)
            } else {
                (&bg_all, &bg_all_info)
            };
            if from_self
                && let Some(r) = reach.root_of(node)
                && let Some((_, comp)) = info.get(r as usize)
            {
                *self_reach.entry(comp.clone()).or_default() += 1;
            }
            let chain = cx.chain(reach, info, node, &target, a.site.offset, false);
            out.background.push(ChainHit {
                api_use: i,
                subject: a.use_.subject.clone(),
                chain,
                gated: false,
            });
        }
    }
    out.self_start_reach = self_reach.into_iter().collect();
    out.self_start_reach.sort();

    // ---- SDKs initialised at start-up ----
    out.sdk_init = sdk_inits(&mut cx, &startup, &start_ungated, &start_all, &gate, sdks);

    // ---- code triggers, associated launch ----
    out.triggers = code_triggers(&mut cx, kb, manifest);
    out.launches = launches(
        &mut cx,
        kb,
        manifest,
        &start_all,
        &startup.info,
        &bg_all,
        &bg_all_info,
    );

    // ---- collection after a self-start ----
    let t0 = std::time::Instant::now();
    let entered = |n: u32| start_all.reached(n) || bg_all.reached(n) || fg.reached(n);
    self_start(
        &mut cx, kb, manifest, api_uses, &gate, &no_ui, &entered, &mut out,
    );
    stages.push(("reach.self_start".into(), crate::facts::ms(t0)));

    for h in &out.before_consent {
        if let Some(a) = api_uses.get(h.api_use) {
            out.summary.before_consent.push(reached_api(a, h));
        }
    }
    for h in &out.background {
        if let Some(a) = api_uses.get(h.api_use) {
            out.summary.background.push(reached_api(a, h));
        }
    }
    for h in &out.sdk_init {
        out.summary.sdk_init.push(SdkInitReach {
            sdk: h.sdk.clone(),
            gated: h.gated,
            call: h.call.clone(),
            role: h.role,
            compliant_init_used: h.compliant_init_used,
            consent_claimed: h.consent_claimed,
            chain: chain_text(&h.chain),
        });
    }
    out
}

const RECEIVE_BOOT: &str = "android.permission.RECEIVE_BOOT_COMPLETED";

/// Roots of one kind of self-start trigger: per root node, the trigger and
/// the steps that lead from the trigger to it (for a scheduling call: the
/// scheduling method, perhaps the helper that builds the PendingIntent).
struct TriggerRoots {
    roots: Roots,
    /// Per root: (index into `out.self_start_triggers`, prefix steps as
    /// (node, hop to the next step)).
    via: Vec<(usize, Vec<(u32, Hop)>)>,
}

/// Sensitive calls reached from self-start triggers (`out.self_start`):
/// receivers of the system broadcasts of `kb/startup.yaml` that the system
/// delivers to them at the app's target SDK (the boot broadcast only with
/// RECEIVE_BOOT_COMPLETED), sync adapters and account authenticators, and
/// the components that a periodic scheduling call (repeating alarm,
/// periodic or persisted job, periodic work) names in the same method or
/// in a method it calls directly (`new Intent(ctx, X.class)` →
/// `PendingIntent.getService`). A scheduling call counts only when an
/// entry point reaches its method. Paths do not go through screens.
#[allow(clippy::too_many_arguments)]
fn self_start(
    cx: &mut Cx<'_, '_>,
    kb: &Kb,
    manifest: &Manifest,
    api_uses: &[ApiSite],
    gate: &dyn Fn(u32) -> u32,
    no_ui: &dyn Fn(u32) -> bool,
    entered: &dyn Fn(u32) -> bool,
    out: &mut ReachFacts,
) {
    let st = &kb.startup;
    let g = cx.g;
    let names = |kind: &str| st.entry_methods.get(kind).cloned().unwrap_or_default();
    let boot_ok = manifest.permissions.iter().any(|p| p.name == RECEIVE_BOOT);
    let mut triggers: Vec<SelfStartTrigger> = Vec::new();
    let mut broadcast = TriggerRoots {
        roots: Roots::new(),
        via: Vec::new(),
    };
    for c in manifest
        .components
        .iter()
        .filter(|c| is_service_like(c) && c.enabled)
    {
        let (kind, list, known) = if c.kind == ComponentKind::Service {
            ("service", names("service"), &st.keep_alive_services)
        } else {
            ("receiver", names("receiver"), &st.system_broadcasts)
        };
        let mut what: Vec<String> = Vec::new();
        let mut labels: Vec<(String, String)> = Vec::new();
        let mut lost: Vec<String> = Vec::new();
        for a in c.intent_filters.iter().flat_map(|f| &f.actions) {
            let Some(t) = known.iter().find(|t| t.action == *a) else {
                continue;
            };
            let delivered =
                t.delivered_to_manifest(manifest.target_sdk) && (t.group != "boot" || boot_ok);
            let bucket = if delivered { &mut what } else { &mut lost };
            if !bucket.contains(a) {
                bucket.push(a.clone());
                if delivered {
                    labels.push((t.zh.clone(), t.en.clone()));
                }
            }
        }
        if !lost.is_empty() {
            out.undelivered.push(UndeliveredTrigger {
                component: c.name.clone(),
                actions: lost,
            });
        }
        if what.is_empty() {
            continue;
        }
        let Some(t) = g.find_type(&descriptor(&c.name)) else {
            continue;
        };
        let subject = cx.subjects.of_class(&descriptor(&c.name)).label();
        let ti = triggers.len();
        triggers.push(SelfStartTrigger {
            kind: "broadcast",
            evidence: Evidence::Manifest {
                element: kind.into(),
                name: Some(c.name.clone()),
                detail: Some(format!(
                    "{subject}; <intent-filter> action {}",
                    what.join(", ")
                )),
            },
            what,
            names: labels,
            component: c.name.clone(),
            subject,
        });
        for name in &list {
            for n in g.methods_named(t, name) {
                if !broadcast.roots.nodes.contains(&n) {
                    broadcast.roots.nodes.push(n);
                    broadcast.roots.info.push((kind, c.name.clone()));
                    broadcast.via.push((ti, Vec::new()));
                }
            }
        }
    }
    let mut periodic = TriggerRoots {
        roots: Roots::new(),
        via: Vec::new(),
    };
    for p in &st.periodic_apis {
        let api = format!("{}->{}", p.class, p.method);
        for s in cx.index.call_sites_by_name(&p.class, &p.method) {
            let Some(from) = g.node(s.dex, s.caller) else {
                continue;
            };
            if !entered(from) {
                continue;
            }
            // Components named in the scheduling method, else in a method
            // it calls directly.
            let mut targets: Vec<(u32, Vec<(u32, Hop)>)> = g
                .edges_of(from)
                .filter(|e| e.2 == Hop::Component)
                .map(|(to, _, _)| (to, vec![(from, Hop::Component)]))
                .collect();
            if targets.is_empty() {
                let callees: Vec<u32> = g
                    .direct_edges_of(from)
                    .filter(|e| e.2 == Hop::Call)
                    .map(|e| e.0)
                    .collect();
                for c in callees {
                    for (to, _, hop) in g.edges_of(c) {
                        if hop == Hop::Component {
                            targets.push((to, vec![(from, Hop::Call), (c, Hop::Component)]));
                        }
                    }
                }
            }
            if targets.is_empty() {
                continue;
            }
            let caller = cx.method_text(from);
            let subject = cx.subject(from);
            let ti = triggers.len();
            triggers.push(SelfStartTrigger {
                kind: "periodic",
                what: vec![api.clone()],
                names: vec![(p.zh.clone(), p.en.clone())],
                component: caller.clone(),
                subject: subject.clone(),
                evidence: Evidence::Code {
                    api: api.clone(),
                    caller,
                    dex: cx.dex_location(s.dex),
                    offset: s.offset,
                    subject,
                },
            });
            let comp = g
                .class_of(from)
                .and_then(|t| g.type_name(t))
                .map_or_else(String::new, |n| dotted(&n));
            for (to, prefix) in targets {
                if !periodic.roots.nodes.contains(&to) {
                    periodic.roots.nodes.push(to);
                    periodic.roots.info.push(("periodic", comp.clone()));
                    periodic.via.push((ti, prefix));
                }
            }
        }
    }
    if broadcast.roots.nodes.is_empty() && periodic.roots.nodes.is_empty() {
        return;
    }
    let mut used: Vec<Option<usize>> = vec![None; triggers.len()];
    let mut hits: Vec<SelfStartHit> = Vec::new();
    for tr in [&broadcast, &periodic] {
        if tr.roots.nodes.is_empty() {
            continue;
        }
        let all = g.reach(&tr.roots.nodes, |_| u32::MAX, no_ui);
        let ungated = g.reach(&tr.roots.nodes, gate, no_ui);
        for (i, a) in api_uses.iter().enumerate() {
            let Some(node) = g.node(a.site.dex, a.site.caller) else {
                continue;
            };
            if !all.reached(node) {
                continue;
            }
            let ung = ungated.reached(node) && a.site.offset < gate(node);
            let reach = if ung { &ungated } else { &all };
            let Some((ti, prefix)) = reach.root_of(node).and_then(|r| tr.via.get(r as usize))
            else {
                continue;
            };
            let target = cx.site_target(a);
            let mut chain = cx.chain(reach, &tr.roots.info, node, &target, a.site.offset, !ung);
            if !prefix.is_empty()
                && let Evidence::Chain { steps, hops, .. } = &mut chain
            {
                let mut s2: Vec<String> = prefix.iter().map(|(n, _)| cx.method_text(*n)).collect();
                let mut h2: Vec<String> =
                    prefix.iter().map(|(_, h)| h.as_str().to_string()).collect();
                s2.append(steps);
                h2.append(hops);
                *steps = s2;
                *hops = h2;
            }
            let slot = match used.get(*ti).copied().flatten() {
                Some(k) => k,
                None => {
                    let k = out.self_start_triggers.len();
                    if let Some(t) = triggers.get(*ti) {
                        out.self_start_triggers.push(t.clone());
                    }
                    if let Some(u) = used.get_mut(*ti) {
                        *u = Some(k);
                    }
                    k
                }
            };
            hits.push(SelfStartHit {
                api_use: i,
                subject: a.use_.subject.clone(),
                trigger: slot,
                chain,
                gated: !ung,
            });
        }
    }
    // What the `start.*` findings count per receiver: the calls its
    // broadcasts reach.
    let mut per: HashMap<String, usize> = HashMap::new();
    for h in &hits {
        if let Some(t) = out.self_start_triggers.get(h.trigger)
            && t.kind == "broadcast"
        {
            *per.entry(t.component.clone()).or_default() += 1;
        }
    }
    for (comp, n) in per {
        match out.self_start_reach.iter_mut().find(|(c, _)| *c == comp) {
            Some(x) => x.1 = x.1.max(n),
            None => out.self_start_reach.push((comp, n)),
        }
    }
    out.self_start_reach.sort();
    for h in &hits {
        let (Some(a), Some(t)) = (
            api_uses.get(h.api_use),
            out.self_start_triggers.get(h.trigger),
        ) else {
            continue;
        };
        out.summary.self_start.push(crate::model::SelfStartApi {
            trigger: t.kind.into(),
            what: t.what.clone(),
            component: t.component.clone(),
            api: a.use_.api.clone(),
            api_id: a.use_.api_id.clone(),
            pi_type: a.use_.pi_type.clone(),
            subject: h.subject.clone(),
            gated: h.gated,
            chain: chain_text(&h.chain),
        });
    }
    out.self_start = hits;
}

/// Which API sites are live (`out.live_sites`, `out.summary.liveness`).
/// Roots: the manifest's classes and `names` (resources, service files),
/// and every class named in a dex string pool. When no class the manifest
/// names is in the code, nothing is decided: every site is live.
fn liveness<'d>(
    g: &CallGraph<'d>,
    index: &CodeIndex<'d>,
    manifest: &Manifest,
    names: &[String],
    api_uses: &[ApiSite],
    out: &mut ReachFacts,
) {
    let manifest_class_in_code = manifest
        .components
        .iter()
        .map(|c| c.name.as_str())
        .chain(manifest.application_class.as_deref())
        .any(|c| g.find_type(&descriptor(c)).is_some_and(|t| g.is_defined(t)));
    if !manifest_class_in_code {
        out.live_sites = vec![true; api_uses.len()];
        return;
    }
    let mut classes: Vec<String> = manifest
        .components
        .iter()
        .map(|c| c.name.clone())
        .chain(manifest.application_class.iter().cloned())
        .collect();
    classes.extend(names.iter().cloned());
    let roots = pipa_dex::LiveRoots {
        classes,
        string_pool: true,
    };
    let l = g.liveness(index, &roots);
    // A caller the graph does not know (duplicate class, unreadable code)
    // counts as live.
    out.live_sites = api_uses
        .iter()
        .map(|a| {
            g.node(a.site.dex, a.site.caller)
                .is_none_or(|n| l.is_live(n))
        })
        .collect();
    let st = l.stats();
    let s = &mut out.summary.liveness;
    s.computed = true;
    s.root_classes = st.root_classes;
    s.string_roots = st.string_roots;
    s.live_classes = st.live_classes;
    s.live_methods = st.live_methods;
}

fn reached_api(a: &ApiSite, h: &ChainHit) -> ReachedApi {
    ReachedApi {
        api: a.use_.api.clone(),
        api_id: a.use_.api_id.clone(),
        pi_type: a.use_.pi_type.clone(),
        subject: h.subject.clone(),
        gated: h.gated,
        chain: chain_text(&h.chain),
    }
}

/// `A.m → B.n ⇢ C.run` (the steps of a chain in one line, with its target).
pub(crate) fn chain_text(e: &Evidence) -> Vec<String> {
    match e {
        Evidence::Chain { steps, target, .. } => {
            let mut v = steps.clone();
            v.push(target.clone());
            v
        }
        _ => Vec::new(),
    }
}

/// Shared lookups.
struct Cx<'g, 'a> {
    g: &'g CallGraph<'a>,
    index: &'g CodeIndex<'a>,
    subjects: &'g SubjectResolver,
    /// Type id → index into `labels`.
    subject_cache: HashMap<u32, usize>,
    labels: Vec<String>,
}

impl Cx<'_, '_> {
    /// The subject of `node`'s class, as an index into `labels`
    /// (classes are resolved once).
    fn subject_id(&mut self, node: u32) -> usize {
        let t = self.g.class_of(node).unwrap_or(u32::MAX);
        if let Some(&i) = self.subject_cache.get(&t) {
            return i;
        }
        let label = self
            .g
            .type_name(t)
            .map_or(Subject::UnknownThirdParty, |n| self.subjects.of_class(&n))
            .label();
        let i = match self.labels.iter().position(|l| *l == label) {
            Some(i) => i,
            None => {
                self.labels.push(label);
                self.labels.len() - 1
            }
        };
        self.subject_cache.insert(t, i);
        i
    }

    /// `app`, `sdk:<id>` or `unknown-third-party` for `node`'s class.
    fn subject(&mut self, node: u32) -> String {
        let i = self.subject_id(node);
        self.labels.get(i).cloned().unwrap_or_default()
    }

    fn method_text(&self, node: u32) -> String {
        self.g
            .method(node)
            .and_then(|m| self.index.method_ref(m))
            .map_or_else(|| format!("method@{node}"), |m| m.to_string())
    }

    /// The smali form of what a sensitive-API site calls, reads or loads.
    fn site_target(&self, a: &ApiSite) -> String {
        let s = &a.site;
        let Some(d) = self.index.dex(s.dex) else {
            return a.use_.api.clone();
        };
        let r = match s.opcode {
            0x1a | 0x1b => d.string(s.target).map(|v| format!("{v:?}")),
            0x60..=0x66 => d.field_ref(s.target).map(|f| f.to_string()),
            _ => d.method_ref(s.target).map(|m| m.to_string()),
        };
        r.unwrap_or_else(|| a.use_.api.clone())
    }

    fn chain(
        &mut self,
        reach: &Reach,
        info: &[(&'static str, String)],
        node: u32,
        target: &str,
        offset: u32,
        gated: bool,
    ) -> Evidence {
        let steps = reach.chain(node);
        let (entry, component) = reach
            .root_of(node)
            .and_then(|r| info.get(r as usize))
            .map_or(("unknown", String::new()), |(k, c)| (*k, c.clone()));
        let dex = self
            .g
            .method(node)
            .map_or_else(String::new, |m| self.dex_location(m.dex));
        Evidence::Chain {
            entry: entry.into(),
            component,
            steps: steps.iter().map(|s| self.method_text(s.node)).collect(),
            hops: steps
                .iter()
                .skip(1)
                .map(|s| s.hop.unwrap_or(Hop::Call).as_str().to_string())
                .collect(),
            target: target.to_string(),
            dex,
            offset,
            subject: self.subject(node),
            gated,
        }
    }

    /// Where dex `n` was read from (`classes2.dex`), for evidence.
    fn dex_location(&self, n: u16) -> String {
        self.index
            .dex(n)
            .map_or_else(String::new, |d| d.location().to_string())
    }

    /// The dex and code item of `node`.
    fn code(&self, node: u32) -> Option<(&pipa_dex::Dex<'_>, pipa_dex::CodeItem<'_>)> {
        let (dn, off) = self.g.code_of(node)?;
        let d = self.index.dex(dn)?;
        Some((d, d.code_item(off)?))
    }
}

fn is_invoke(op: u8) -> bool {
    matches!(op, 0x6e..=0x72 | 0x74..=0x78)
}

/// String constants holding a consent key word of the KB (`privacy`,
/// `agree`, … in lower, upper and capitalised case): the keys a stored
/// consent flag is read with. Needs no call graph, so it runs while the
/// graph is built.
pub(crate) fn consent_key_strings(index: &CodeIndex<'_>, kb: &Kb) -> Vec<StringMatch> {
    let mut patterns: Vec<String> = Vec::new();
    for w in &kb.startup.consent_key_words {
        for v in [w.to_lowercase(), w.to_uppercase(), capitalised(w)] {
            if !patterns.contains(&v) {
                patterns.push(v);
            }
        }
    }
    if patterns.is_empty() {
        return Vec::new();
    }
    index.search_strings(&patterns)
}

/// Nodes that check a stored consent flag, with the offset from which their
/// calls are gated: a method that loads a consent key and then calls a
/// method returning boolean (gate at that call), a method that reads a
/// static boolean field named for consent (gate at the read), and the
/// callers of a key-checking method that itself returns boolean (gate at
/// the call).
fn consent_gates(cx: &Cx<'_, '_>, kb: &Kb, key_strings: &[StringMatch]) -> HashMap<u32, u32> {
    let mut gates: HashMap<u32, u32> = HashMap::new();
    let words = &kb.startup.consent_key_words;
    if words.is_empty() {
        return gates;
    }
    // A stored flag kept in a static boolean field named for consent
    // (`sPrivacyAgreed`, `isAgreeProtocol`): reading it is the check.
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    for (dn, d) in cx.index.dexes().iter().enumerate() {
        let Ok(dn) = u16::try_from(dn) else { break };
        let mut named: HashMap<u32, bool> = HashMap::new();
        for s in cx.index.static_field_read_sites_in(dn) {
            if s.opcode != 0x63 {
                continue;
            }
            let hit = *named.entry(s.target).or_insert_with(|| {
                d.field_id(s.target)
                    .and_then(|f| d.string(f.name_idx))
                    .is_some_and(|n| {
                        let n = n.to_lowercase();
                        lower.iter().any(|w| n.contains(w.as_str()))
                    })
            });
            if hit && let Some(node) = cx.g.node(dn, s.caller) {
                let e = gates.entry(node).or_insert(u32::MAX);
                *e = (*e).min(s.offset);
            }
        }
    }
    let mut checkers: Vec<u32> = Vec::new();
    for m in key_strings {
        for s in cx.index.const_string_sites_of(m.string) {
            let Some(node) = cx.g.node(s.dex, s.caller) else {
                continue;
            };
            let Some((d, code)) = cx.code(node) else {
                continue;
            };
            let check = code.instructions().find(|i| {
                i.offset > s.offset
                    && is_invoke(i.opcode)
                    && d.method_id(i.index)
                        .and_then(|id| d.proto_id(id.proto_idx.into()))
                        .and_then(|p| d.type_bytes(p.return_type_idx))
                        == Some(b"Z".as_slice())
            });
            if let Some(i) = check {
                let e = gates.entry(node).or_insert(u32::MAX);
                *e = (*e).min(i.offset);
                if !checkers.contains(&node) {
                    checkers.push(node);
                }
            }
        }
    }
    // Callers of boolean consent checks.
    let returns_bool: Vec<u32> = checkers
        .into_iter()
        .filter(|&n| {
            cx.g.method(n)
                .and_then(|m| cx.index.method_ref(m))
                .is_some_and(|r| r.proto.ends_with(")Z"))
        })
        .collect();
    if returns_bool.is_empty() {
        return gates;
    }
    for from in 0..cx.g.len() as u32 {
        for (to, off, hop) in cx.g.edges_of(from) {
            if hop == Hop::Call && returns_bool.contains(&to) {
                let e = gates.entry(from).or_insert(u32::MAX);
                *e = (*e).min(off);
            }
        }
    }
    gates
}

fn capitalised(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// One call into an SDK on a start-up path, from outside its code.
struct StartupCall {
    /// Only after a consent check.
    gated: bool,
    /// The called method's role in the SDK's start-up data, when catalogued.
    role: Option<InitRole>,
    /// Length of the chain.
    len: usize,
    /// The call's chain.
    chain: Evidence,
    /// The called method, smali (`Lx/Y;->init(...)V`).
    target: String,
    /// The SDK's own entry point (the system starts it).
    own: bool,
    /// A consent API told "agreed" with a constant `true`, ungated.
    claims: bool,
}

impl StartupCall {
    /// A call the vendor allows before consent: a pre-init, a consent
    /// signal that passes the user's real decision, a switch.
    fn safe(&self) -> bool {
        self.role.is_some_and(InitRole::safe_before_consent) && !self.claims
    }

    /// Ungated calls that may start collection first (they decide the
    /// verdict), then ungated calls the vendor allows before consent
    /// (pre-init, consent signal, switches), then gated calls; shorter
    /// chains first.
    fn rank(&self) -> (bool, bool, usize) {
        (self.gated, self.safe(), self.len)
    }
}

/// Every call into each detected SDK from outside its code on a start-up
/// path, and its own start-up entry points (provider, initializer): the
/// call that decides the verdict (an ungated call that may start collection
/// before one the vendor allows before consent), and what each of the SDK's
/// catalogued start-up APIs does at start-up. An SDK's start-up APIs may
/// live in a sibling's classes (`umeng.push` is started by U-Common's
/// `UMConfigure.init`): they are matched by name, whoever defines them.
fn sdk_inits(
    cx: &mut Cx<'_, '_>,
    startup: &Roots,
    ungated: &Reach,
    all: &Reach,
    gate: &dyn Fn(u32) -> u32,
    sdks: &[SdkUse],
) -> Vec<SdkInitHit> {
    let wanted: Vec<&SdkUse> = sdks.iter().filter(|s| s.confidence != "low").collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    let labels: Vec<String> = wanted.iter().map(|s| format!("sdk:{}", s.id)).collect();
    let mut calls: Vec<Vec<StartupCall>> = (0..wanted.len()).map(|_| Vec::new()).collect();
    let keep = |v: &mut Vec<StartupCall>, c: StartupCall| {
        // One call per (role, gated, claims): the shortest.
        match v
            .iter_mut()
            .find(|x| x.role == c.role && x.gated == c.gated && x.claims == c.claims)
        {
            Some(x) if x.len <= c.len => {}
            Some(x) => *x = c,
            None => v.push(c),
        }
    };
    // Per SDK and catalogued API: reached at start-up, ungated (true) or only gated.
    let mut api_state: HashMap<(usize, usize), bool> = HashMap::new();
    // Own entry points: the system starts the SDK, no consent check can come first.
    for &n in &startup.nodes {
        let s = cx.subject(n);
        if let Some(si) = labels.iter().position(|l| *l == s) {
            let target = cx.method_text(n);
            let chain = cx.chain(all, &startup.info, n, &target, 0, false);
            keep(
                &mut calls[si],
                StartupCall {
                    gated: false,
                    role: None,
                    len: 1,
                    chain,
                    target,
                    own: true,
                    claims: false,
                },
            );
        }
    }
    // Calls of the catalogued start-up APIs, found by name at their call
    // sites (interface methods and classes the package lacks included).
    for (si, s) in wanted.iter().enumerate() {
        for (ci, c) in s.compliant_init.iter().enumerate() {
            let Some((class, name)) = pipa_kb::class_and_method(&c.api) else {
                continue;
            };
            // Calls from the SDK itself, or from the code that defines the
            // API, are the SDK's own business, not the host app's start-up.
            let owner = cx.subjects.of_class(class).label();
            for site in cx.index.call_sites_by_name(class, name) {
                let Some(from) = cx.g.node(site.dex, site.caller) else {
                    continue;
                };
                if !all.reached(from) {
                    continue;
                }
                let fs = cx.subject(from);
                if fs == labels[si] || (fs == owner && owner != "app") {
                    continue;
                }
                let ung = ungated.reached(from) && site.offset < gate(from);
                *api_state.entry((si, ci)).or_insert(false) |= ung;
                let reach = if ung { ungated } else { all };
                let len = reach.chain(from).len();
                let target = cx
                    .index
                    .dex(site.dex)
                    .and_then(|d| d.method_ref(site.target))
                    .map_or_else(|| c.api.clone(), |m| m.to_string());
                let claims = ung
                    && c.role == InitRole::Consent
                    && c.agrees_with_true
                    && passes_true(cx, from, site.offset, site.opcode, &target);
                let chain = cx.chain(reach, &startup.info, from, &target, site.offset, !ung);
                keep(
                    &mut calls[si],
                    StartupCall {
                        gated: !ung,
                        role: Some(c.role),
                        len,
                        chain,
                        target,
                        own: false,
                        claims,
                    },
                );
            }
        }
    }
    // Other calls into the SDK's code from outside it. `Lx/Y;->init(`
    // per catalogued API, to leave out what the loop above took.
    let role_prefixes: Vec<Vec<String>> = wanted
        .iter()
        .map(|s| {
            s.compliant_init
                .iter()
                .filter_map(|c| pipa_kb::class_and_method(&c.api))
                .map(|(cl, n)| format!("{cl}->{n}("))
                .collect()
        })
        .collect();
    for from in 0..cx.g.len() as u32 {
        if !all.reached(from) {
            continue;
        }
        let fs = cx.subject_id(from);
        let edges: Vec<(u32, u32)> =
            cx.g.direct_edges_of(from)
                .map(|(to, off, _)| (to, off))
                .collect();
        for (to, off) in edges {
            if cx.subject_id(to) == fs {
                continue;
            }
            let ts = cx.subject(to);
            let Some(si) = labels.iter().position(|l| *l == ts) else {
                continue;
            };
            let target = cx.method_text(to);
            // Catalogued start-up APIs were taken above, with their role.
            if role_prefixes[si]
                .iter()
                .any(|p| target.starts_with(p.as_str()))
            {
                continue;
            }
            let ung = ungated.reached(from) && off < gate(from);
            let reach = if ung { ungated } else { all };
            let len = reach.chain(from).len();
            if calls[si]
                .iter()
                .any(|x| x.role.is_none() && x.gated != ung && x.len <= len)
            {
                continue;
            }
            let chain = cx.chain(reach, &startup.info, from, &target, off, !ung);
            keep(
                &mut calls[si],
                StartupCall {
                    gated: !ung,
                    role: None,
                    len,
                    chain,
                    target,
                    own: false,
                    claims: false,
                },
            );
        }
    }
    let mut out: Vec<SdkInitHit> = Vec::new();
    for (si, s) in wanted.iter().enumerate() {
        let mut v = std::mem::take(&mut calls[si]);
        if v.is_empty() {
            continue;
        }
        v.sort_by_key(StartupCall::rank);
        let first = v.remove(0);
        let decides_risk = !first.gated && !first.safe();
        let startup_apis: Vec<(String, InitRole, bool)> = s
            .compliant_init
            .iter()
            .enumerate()
            .filter_map(|(ci, c)| {
                api_state
                    .get(&(si, ci))
                    .map(|&u| (c.api.clone(), c.role, !u))
            })
            .collect();
        // Compliant start-up: nothing that may collect runs at start-up
        // without a consent check, and the SDK's own means of starting
        // compliantly are used: its pre-init or consent signal, or its real
        // init called only after a check.
        let has_roles = !s.compliant_init.is_empty();
        let safe_used = s
            .compliant_init
            .iter()
            .any(|c| c.used && c.role.safe_before_consent() && c.role != InitRole::Switch);
        let init_later = s
            .compliant_init
            .iter()
            .any(|c| c.used && c.role == InitRole::Init);
        let compliant_init_used = has_roles && !decides_risk && (safe_used || init_later);
        out.push(SdkInitHit {
            sdk: s.id.clone(),
            chain: first.chain,
            gated: first.gated,
            role: first.role,
            call: first.target,
            own_entry: first.own,
            compliant_init_used,
            startup_apis,
            consent_claimed: first.claims,
        });
    }
    out.sort_by(|a, b| a.sdk.cmp(&b.sdk));
    out
}

/// Whether the invoke at `offset` of `node` passes a constant `true` (1) in
/// a boolean parameter of `target` (`Lx/Y;->m(Landroid/content/Context;Z)V`).
/// `opcode` tells a static call (no `this` register) from the others.
fn passes_true(cx: &Cx<'_, '_>, node: u32, offset: u32, opcode: u8, target: &str) -> bool {
    let Some((_, code)) = cx.code(node) else {
        return false;
    };
    let Some(regs) = pipa_dex::invoke_registers(&code, offset) else {
        return false;
    };
    let Some(params) = target
        .split_once('(')
        .and_then(|(_, r)| r.split_once(')'))
        .map(|(p, _)| p)
    else {
        return false;
    };
    // Register slot of each parameter: `this` first, wide values take two.
    let mut slot = usize::from(!matches!(opcode, 0x71 | 0x77));
    let mut rest = params.as_bytes();
    while let Some(&c) = rest.first() {
        let len = match c {
            b'L' => rest
                .iter()
                .position(|&b| b == b';')
                .map_or(rest.len(), |p| p + 1),
            b'[' => {
                let dims = rest.iter().take_while(|&&b| b == b'[').count();
                match rest.get(dims) {
                    Some(b'L') => rest
                        .iter()
                        .position(|&b| b == b';')
                        .map_or(rest.len(), |p| p + 1),
                    Some(_) => dims + 1,
                    None => rest.len(),
                }
            }
            _ => 1,
        };
        if c == b'Z'
            && regs
                .get(slot)
                .is_some_and(|&r| pipa_dex::constant_at(&code, offset, r) == Some(1))
        {
            return true;
        }
        slot += if c == b'J' || c == b'D' { 2 } else { 1 };
        rest = rest.get(len..).unwrap_or(&[]);
    }
    false
}

/// Periodic scheduling calls and services returning START_STICKY or
/// START_REDELIVER_INTENT from `onStartCommand`.
fn code_triggers(cx: &mut Cx<'_, '_>, kb: &Kb, manifest: &Manifest) -> Vec<CodeTrigger> {
    let mut out = Vec::new();
    for p in &kb.startup.periodic_apis {
        for s in cx.index.call_sites_by_name(&p.class, &p.method) {
            let caller = cx
                .index
                .dex(s.dex)
                .and_then(|d| d.method_ref(s.caller))
                .map(|m| (m.to_string(), m.class.to_string()));
            let Some((caller, class)) = caller else {
                continue;
            };
            let subject = cx.subjects.of_class(&class).label();
            out.push(CodeTrigger {
                group: "periodic".into(),
                subject: subject.clone(),
                what: (p.zh.clone(), p.en.clone()),
                evidence: Evidence::Code {
                    api: format!("{}->{}", p.class, p.method),
                    caller,
                    dex: cx.dex_location(s.dex),
                    offset: s.offset,
                    subject,
                },
            });
        }
    }
    for c in manifest
        .components
        .iter()
        .filter(|c| c.kind == ComponentKind::Service && c.enabled)
    {
        let Some(t) = cx.g.find_type(&descriptor(&c.name)) else {
            continue;
        };
        for n in cx.g.methods_named(t, "onStartCommand") {
            let Some(value) = sticky_return(cx, n) else {
                continue;
            };
            let subject = cx.subject(n);
            let name = if value == 1 {
                "START_STICKY"
            } else {
                "START_REDELIVER_INTENT"
            };
            out.push(CodeTrigger {
                group: "sticky".into(),
                subject: subject.clone(),
                what: (name.into(), name.into()),
                evidence: Evidence::Manifest {
                    element: "service".into(),
                    name: Some(c.name.clone()),
                    detail: Some(format!(
                        "onStartCommand returns {name} ({value}): {}",
                        cx.method_text(n)
                    )),
                },
            });
        }
    }
    out
}

/// `Some(1)` / `Some(3)` when a `return` of `node` returns a register last
/// set by `const/4` or `const/16` to START_STICKY (1) or
/// START_REDELIVER_INTENT (3), in instruction order (no control flow).
fn sticky_return(cx: &Cx<'_, '_>, node: u32) -> Option<i32> {
    let (_, code) = cx.code(node)?;
    let raw = code.insns;
    let mut regs: HashMap<u8, i32> = HashMap::new();
    for i in code.instructions() {
        let at = i.offset as usize * 2;
        let b1 = *raw.get(at + 1)?;
        match i.opcode {
            0x12 => {
                let a = b1 & 0x0f;
                let v = i32::from((b1 as i8) >> 4);
                regs.insert(a, v);
            }
            0x13 => {
                let lo = *raw.get(at + 2)?;
                let hi = *raw.get(at + 3)?;
                regs.insert(b1, i32::from(i16::from_le_bytes([lo, hi])));
            }
            0x0f => {
                if let Some(&v) = regs.get(&b1)
                    && (v == 1 || v == 3)
                {
                    return Some(v);
                }
            }
            _ => {}
        }
    }
    None
}

/// Methods that name another app and start, bind or broadcast to it.
#[allow(clippy::too_many_arguments)]
fn launches(
    cx: &mut Cx<'_, '_>,
    kb: &Kb,
    manifest: &Manifest,
    start: &Reach,
    start_info: &[(&'static str, String)],
    bg: &Reach,
    bg_info: &[(&'static str, String)],
) -> Vec<LaunchHit> {
    let st = &kb.startup;
    let mut callers: Vec<(u16, u32)> = Vec::new();
    for t in &st.target_apis {
        for s in cx.index.call_sites_by_name(&t.class, &t.method) {
            callers.push((s.dex, s.caller));
        }
    }
    callers.sort_unstable();
    callers.dedup();
    let own: Vec<String> = cx
        .subjects
        .app_prefixes()
        .iter()
        // `Lcom/x/` → `com.x`.
        .map(|p| {
            p.strip_prefix('L')
                .unwrap_or(p)
                .trim_end_matches('/')
                .replace('/', ".")
        })
        .chain(std::iter::once(manifest.package.clone()))
        .collect();
    // The app's own components, by name (SDK services declared in the
    // manifest whose classes are elsewhere or renamed).
    let own_components: Vec<&str> = manifest
        .components
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let mut out = Vec::new();
    for (dn, midx) in callers {
        let Some(node) = cx.g.node(dn, midx) else {
            continue;
        };
        let Some((d, code)) = cx.code(node) else {
            continue;
        };
        let mut launch_call: Option<(u32, String)> = None;
        let mut target_call: Option<(u32, String)> = None;
        let mut strings: Vec<String> = Vec::new();
        for i in code.instructions() {
            if is_invoke(i.opcode) {
                let Some(m) = d.method_ref(i.index) else {
                    continue;
                };
                let name = m.name.to_string();
                if st.launch_apis.contains(&name) && launch_call.is_none() {
                    launch_call = Some((i.offset, m.to_string()));
                }
                if name == "getLaunchIntentForPackage" && launch_call.is_none() {
                    launch_call = Some((i.offset, m.to_string()));
                }
                if target_call.is_none()
                    && st
                        .target_apis
                        .iter()
                        .any(|t| t.method == name && t.class == m.class)
                {
                    target_call = Some((i.offset, m.to_string()));
                }
            } else if matches!(i.opcode, 0x1a | 0x1b)
                && let Some(v) = d.string(i.index)
                && !own_components.contains(&v.as_ref())
                && is_other_app(&v, &own, st, cx.g)
                && !strings.contains(&v.to_string())
            {
                strings.push(v.to_string());
            }
        }
        let (Some((loff, lapi)), Some((toff, tapi))) = (launch_call, target_call) else {
            continue;
        };
        let (id_services, strings): (Vec<String>, Vec<String>) =
            strings.into_iter().partition(|v| {
                st.id_service_packages
                    .iter()
                    .any(|p| v == p || v.starts_with(&format!("{p}.")))
            });
        if strings.is_empty() && id_services.is_empty() {
            continue;
        }
        let dex = d.location().to_string();
        let subject = cx.subject(node);
        let caller = cx.method_text(node);
        let mut evidence = vec![Evidence::Code {
            api: tapi,
            caller: caller.clone(),
            dex: dex.clone(),
            offset: toff,
            subject: subject.clone(),
        }];
        if loff != toff {
            evidence.push(Evidence::Code {
                api: lapi,
                caller: caller.clone(),
                dex,
                offset: loff,
                subject: subject.clone(),
            });
        }
        for s in strings.iter().chain(&id_services) {
            evidence.push(Evidence::String {
                value: s.clone(),
                locations: vec![caller.clone()],
            });
        }
        let chain = if start.reached(node) {
            Some(cx.chain(start, start_info, node, &caller, loff, false))
        } else if bg.reached(node) {
            Some(cx.chain(bg, bg_info, node, &caller, loff, false))
        } else {
            None
        };
        out.push(LaunchHit {
            subject,
            targets: strings,
            id_services,
            evidence,
            chain,
        });
    }
    out
}

/// A package or component name, or a URL with a scheme, that is not the
/// app's own and not the platform's.
fn is_other_app(v: &str, own: &[String], st: &pipa_kb::Startup, g: &CallGraph<'_>) -> bool {
    if let Some((scheme, _)) = v.split_once("://") {
        let ok = !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic());
        return ok
            && !st
                .standard_schemes
                .iter()
                .any(|s| s.eq_ignore_ascii_case(scheme));
    }
    let parts: Vec<&str> = v.split('.').collect();
    if parts.len() < 3
        || !st.package_roots.iter().any(|r| r == parts[0])
        || v.len() > 200
        || !parts.iter().all(|p| {
            !p.is_empty()
                && p.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        })
    {
        return false;
    }
    // Intent actions, extra keys and permissions (`cn.jpush.android.ALERT`,
    // `com.x.sdk.action.ACTION_LAUNCH`, `com.bun.msa.param.pkgname`) are not
    // package or component names.
    let last = parts.last().copied().unwrap_or_default();
    if last.len() > 1
        && last
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    {
        return false;
    }
    if parts.iter().any(|p| {
        let p = p.to_ascii_lowercase();
        p.contains("action")
            || matches!(
                p.as_str(),
                "permission" | "param" | "params" | "extra" | "extras" | "intent" | "key"
            )
    }) {
        return false;
    }
    const PLATFORM: &[&str] = &[
        "android.",
        "androidx.",
        "java.",
        "javax.",
        "kotlin.",
        "dalvik.",
        "com.android.",
        "com.google.android.",
    ];
    if PLATFORM.iter().any(|p| v.starts_with(p)) {
        return false;
    }
    if own
        .iter()
        .any(|o| !o.is_empty() && (v == o || v.starts_with(&format!("{o}."))))
    {
        return false;
    }
    // A class the app defines is its own component.
    if g.find_type(&descriptor(v)).is_some_and(|t| g.is_defined(t)) {
        return false;
    }
    // File names (`x.png`, `a.so`) and host names are not packages.
    const SUFFIXES: &[&str] = &[
        "png", "jpg", "json", "xml", "so", "txt", "html", "js", "dex", "jar", "apk", "com", "cn",
        "net", "org", "io",
    ];
    let last = parts.last().copied().unwrap_or_default();
    if SUFFIXES.contains(&last) {
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_apps_are_packages_components_and_schemes_not_keys() {
        let mut sink = pipa_core::AnomalySink::default();
        let index = CodeIndex::build(Vec::new(), &mut sink);
        let g = CallGraph::build(&index, &CallGraphOptions::default());
        let st = &Kb::embedded().startup;
        let own = vec!["com.x.app".to_string()];
        let other = |v: &str| is_other_app(v, &own, st, &g);
        for yes in [
            "com.tencent.mm",
            "com.tencent.mm.plugin.base.stub.WXEntryActivity",
            "weixin://sendreq?appid=",
            "alipays://platformapi/startApp?",
            "org.android.agoo.client.MessageReceiverService",
        ] {
            assert!(other(yes), "{yes} names another app");
        }
        for no in [
            "com.x.app",
            "com.x.app.PushService",
            "https://example.com/",
            "android-app://com.x",
            "android.intent.action.VIEW",
            "com.google.android.gms",
            "cn.jpush.android.ALERT",
            "com.sina.weibo.sdk.action.ACTION_WEIBO_ACTIVITY",
            "cn.jiguang.joperate.to_main_process_action",
            "com.bun.msa.param.pkgname",
            "st.bch",
            "app.upgrade.strategy.bch",
            "Tinker.AbstractResultService",
            "www.baidu.com",
            "logo.png",
        ] {
            assert!(!other(no), "{no} does not name another app");
        }
    }
}
