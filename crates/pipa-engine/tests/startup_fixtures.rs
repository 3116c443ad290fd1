//! Start-up, background and associated-launch analysis (issue 5), end to end.
//!
//! Each scenario under `tests/startup/<name>/` is a tiny app (package
//! `fixture.<name>`): an `AndroidManifest.xml` and smali sources. The test
//! assembles them with Debian's `smali`, links the manifest with `aapt`
//! against `android-framework-res`, adds the dex, loads the APK the way the
//! CLI does and checks what `assess` reports under the ids `before_consent.*`,
//! `sdk_init.*`, `background.*`, `launch.*` and `start.*`: the exact set of ids, their
//! verdicts and the call chains (`{"kind": "chain", ...}` evidence) with
//! their steps, hops, entry, target, call offset and gating.
//!
//! Every fixture is first proven independently of pipa: `dexdump -d` must
//! show the instructions the scenario is about (and `aapt dump xmltree` the
//! manifest), and every chain pipa reports is checked against the dump —
//! each `call` hop is an invoke of the next step, each `async` hop constructs
//! the next step's class, each `component` hop loads it with `const-class`,
//! and the last step invokes the target at the reported offset.
//!
//! The evidence is read from the assessment's JSON form (the
//! `pipa.assessment/1` contract), so the test builds without the Rust enum.
//! Skipped with a notice when `smali`, `aapt`, `dexdump` or the framework
//! resources are missing (`scripts/test.sh` installs them).

mod common;

use pipa_kb::Kb;
use pipa_testkit::{SmaliApk, build_smali_apk, run_ok, smali_tools_present};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Finding-id prefixes of the analysis under test.
const PREFIXES: &[&str] = &[
    "before_consent.",
    "sdk_init.",
    "background.",
    "launch.",
    "start.",
    "code.obfuscated_strings",
];

const GET_DEVICE_ID: &str = "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;";
const GET_LAST_KNOWN_LOCATION: &str = "Landroid/location/LocationManager;->getLastKnownLocation(Ljava/lang/String;)Landroid/location/Location;";

/// Catalogue SDK stubbed by the `gated` fixture, and its init method.
const AMAP: &str = "amap.map3d";
const AMAP_INIT: &str =
    "Lcom/amap/api/maps/MapsInitializer;->initialize(Landroid/content/Context;)V";
/// Catalogue SDK stubbed by the `provider` fixture, and its provider.
const JPUSH: &str = "jiguang.jpush";
const JPUSH_PROVIDER: &str = "cn.jpush.android.service.InitProvider";

// ---------------------------------------------------------------------------
// Building and scanning

/// Whether the tools are here; prints the skip notice when not.
fn tools_present(name: &str) -> bool {
    smali_tools_present(&format!("startup_fixtures: {name}"))
}

/// One built fixture: its APK, `dexdump -d` of its dex, the manifest tree.
struct Built {
    name: &'static str,
    apk: PathBuf,
    dump: Dump,
    manifest: String,
}

/// Assembles `tests/startup/<name>/` into `<CARGO_TARGET_TMPDIR>/startup_fixtures/<name>/fixture.apk`.
fn build(name: &'static str) -> Built {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/startup")
        .join(name);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("startup_fixtures")
        .join(name);
    let SmaliApk { apk, dex } = build_smali_apk(&src, &dir);
    let dump = Dump::parse(&run_ok(Command::new("dexdump").arg("-d").arg(&dex)));
    let manifest = run_ok(
        Command::new("aapt")
            .args(["dump", "xmltree"])
            .arg(&apk)
            .arg("AndroidManifest.xml"),
    );
    Built {
        name,
        apk,
        dump,
        manifest,
    }
}

/// Loads the APK the way `pipa-cli` does, assesses it, returns the JSON form.
fn scan(b: &Built) -> Value {
    let package = format!("fixture.{}", b.name);
    let a = common::assess_fixture(&b.apk, &package, Kb::embedded(), None, None);
    serde_json::to_value(&a).expect("assessment to JSON")
}

// ---------------------------------------------------------------------------
// `dexdump -d`, parsed

/// One instruction: code-unit offset, opcode, operands (dexdump's text).
#[derive(Debug, Clone)]
struct Insn {
    offset: u32,
    op: String,
    args: String,
}

#[derive(Debug, Default)]
struct ClassDump {
    flags: String,
    superclass: String,
    interfaces: Vec<String>,
    /// Smali method (`Lx/Y;->m(I)V`) → its instructions.
    methods: BTreeMap<String, Vec<Insn>>,
}

/// The classes of one dex as `dexdump -d` shows them.
#[derive(Debug, Default)]
struct Dump {
    classes: BTreeMap<String, ClassDump>,
}

/// `'Lx/Y;'` (dexdump quotes descriptors) → `Lx/Y;`.
fn unquote(s: &str) -> String {
    s.trim().trim_matches('\'').to_string()
}

/// `Lx/Y;->m(I)V` → dexdump's `Lx/Y;.m:(I)V`; a field `Lx/Y;->F:I` →
/// `Lx/Y;.F:I`.
fn dd_ref(smali: &str) -> String {
    let (class, rest) = smali.split_once("->").expect("smali member ref");
    match rest.find('(') {
        Some(at) => {
            let (name, proto) = rest.split_at(at);
            format!("{class}.{name}:{proto}")
        }
        None => format!("{class}.{rest}"),
    }
}

/// `fixture.boot.LocService` → `Lfixture/boot/LocService;`.
fn descriptor(dotted: &str) -> String {
    format!("L{};", dotted.replace('.', "/"))
}

/// `Lx/Y;->m(I)V` → (`Lx/Y;`, `m(I)V`).
fn split_method(smali: &str) -> (&str, &str) {
    smali
        .split_once("->")
        .unwrap_or_else(|| panic!("not a smali method: {smali}"))
}

impl Dump {
    fn parse(text: &str) -> Dump {
        let mut dump = Dump::default();
        for sec in text.split("\nClass #").skip(1) {
            let mut class = ClassDump::default();
            let mut desc = String::new();
            let mut in_interfaces = false;
            let mut method: Option<String> = None;
            for line in sec.lines() {
                let t = line.trim();
                if let Some(v) = t.strip_prefix("Class descriptor  :") {
                    desc = unquote(v);
                } else if let Some(v) = t.strip_prefix("Access flags      :") {
                    if class.flags.is_empty() {
                        class.flags = v.trim().to_string();
                    }
                } else if let Some(v) = t.strip_prefix("Superclass        :") {
                    class.superclass = unquote(v);
                } else if t.starts_with("Interfaces        -") {
                    in_interfaces = true;
                } else if t.starts_with("Static fields") {
                    in_interfaces = false;
                } else if in_interfaces && t.starts_with('#') {
                    if let Some((_, v)) = t.split_once(':') {
                        class.interfaces.push(unquote(v));
                    }
                } else if let Some((_, code)) = line.split_once('|') {
                    if let Some(head) = code.strip_prefix('[') {
                        // `[000688] fixture.gated.App.onCreate:()V`
                        let sig = head.split_once("] ").map_or("", |(_, s)| s);
                        let (owner_name, proto) = sig.split_once(':').unwrap_or((sig, ""));
                        let name = owner_name.rsplit_once('.').map_or(owner_name, |(_, n)| n);
                        let key = format!("{desc}->{name}{proto}");
                        class.methods.entry(key.clone()).or_default();
                        method = Some(key);
                    } else if let (Some(m), Some((off, ins))) = (&method, code.split_once(": ")) {
                        let Ok(offset) = u32::from_str_radix(off.trim(), 16) else {
                            continue;
                        };
                        let (op, args) = ins.split_once(' ').unwrap_or((ins, ""));
                        if let Some(v) = class.methods.get_mut(m) {
                            v.push(Insn {
                                offset,
                                op: op.to_string(),
                                args: args.to_string(),
                            });
                        }
                    }
                }
            }
            assert!(!desc.is_empty(), "dexdump class without descriptor");
            dump.classes.insert(desc, class);
        }
        dump
    }

    fn class(&self, desc: &str) -> &ClassDump {
        self.classes.get(desc).unwrap_or_else(|| {
            panic!(
                "dexdump: no class {desc}; classes: {:?}",
                self.classes.keys().collect::<Vec<_>>()
            )
        })
    }

    fn method(&self, smali: &str) -> &[Insn] {
        let (class, _) = split_method(smali);
        self.class(class)
            .methods
            .get(smali)
            .unwrap_or_else(|| {
                panic!(
                    "dexdump: no method {smali}; {class} has {:?}",
                    self.class(class).methods.keys().collect::<Vec<_>>()
                )
            })
            .as_slice()
    }

    /// The method's instructions, for messages.
    fn listing(&self, smali: &str) -> String {
        self.method(smali)
            .iter()
            .map(|i| format!("    {:04x}: {} {}", i.offset, i.op, i.args))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The first instruction of `method` with opcode `op` whose operands contain `needle`.
    fn insn(&self, method: &str, op: &str, needle: &str) -> &Insn {
        self.method(method)
            .iter()
            .find(|i| i.op == op && i.args.contains(needle))
            .unwrap_or_else(|| {
                panic!(
                    "fixture broken: dexdump shows no `{op} … {needle}` in {method}:\n{}",
                    self.listing(method)
                )
            })
    }

    /// Offset of the invoke of `target` (smali ref) in `method`.
    fn call(&self, method: &str, op: &str, target: &str) -> u32 {
        self.insn(method, op, &dd_ref(target)).offset
    }

    /// Methods anywhere in the dex that mention `needle` in an operand.
    fn users_of(&self, needle: &str) -> Vec<String> {
        self.classes
            .values()
            .flat_map(|c| c.methods.iter())
            .filter(|(_, ins)| ins.iter().any(|i| i.args.contains(needle)))
            .map(|(m, _)| m.clone())
            .collect()
    }

    /// Classes that list `iface` among their interfaces.
    fn implementors(&self, iface: &str) -> Vec<&str> {
        self.classes
            .iter()
            .filter(|(_, c)| c.interfaces.iter().any(|i| i == iface))
            .map(|(d, _)| d.as_str())
            .collect()
    }
}

// ---------------------------------------------------------------------------
// The assessment, as the test sees it

/// A `{"kind": "chain"}` evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Chain {
    entry: String,
    component: String,
    steps: Vec<String>,
    hops: Vec<String>,
    target: String,
    dex: String,
    offset: u64,
    subject: String,
    gated: bool,
}

impl Chain {
    fn from_json(v: &Value) -> Chain {
        let s = |k: &str| {
            v.get(k)
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("chain evidence without string `{k}`: {v}"))
                .to_string()
        };
        let list = |k: &str| -> Vec<String> {
            v.get(k)
                .and_then(Value::as_array)
                .unwrap_or_else(|| panic!("chain evidence without list `{k}`: {v}"))
                .iter()
                .map(|x| {
                    x.as_str()
                        .unwrap_or_else(|| panic!("chain `{k}` item not a string: {v}"))
                        .to_string()
                })
                .collect()
        };
        Chain {
            entry: s("entry"),
            component: s("component"),
            steps: list("steps"),
            hops: list("hops"),
            target: s("target"),
            dex: s("dex"),
            offset: v
                .get("offset")
                .and_then(Value::as_u64)
                .unwrap_or_else(|| panic!("chain evidence without `offset`: {v}")),
            subject: s("subject"),
            gated: v
                .get("gated")
                .and_then(Value::as_bool)
                .unwrap_or_else(|| panic!("chain evidence without `gated`: {v}")),
        }
    }

    fn render(&self) -> String {
        let mut s = format!(
            "{} {} [{}] {}",
            self.entry,
            self.component,
            self.subject,
            if self.gated { "gated" } else { "ungated" }
        );
        for (n, step) in self.steps.iter().enumerate() {
            match n.checked_sub(1).and_then(|h| self.hops.get(h)) {
                Some(h) => {
                    let _ = write!(s, "\n        -{h}-> {step}");
                }
                None if n == 0 => {
                    let _ = write!(s, "\n        {step}");
                }
                None => {
                    let _ = write!(s, "\n        -(no hop)-> {step}");
                }
            }
        }
        let _ = write!(
            s,
            "\n        calls {} @ {}:{:#x}",
            self.target, self.dex, self.offset
        );
        s
    }
}

/// One finding: id, verdict, rule ids, its chains, the raw evidence.
#[derive(Debug)]
struct Found {
    id: String,
    verdict: String,
    rule_ids: Vec<String>,
    chains: Vec<Chain>,
    evidence: Vec<Value>,
}

/// The assessment's findings and SDKs, and a printable summary for messages.
struct Report {
    findings: Vec<Found>,
    json: Value,
    text: String,
}

fn in_scope(id: &str) -> bool {
    PREFIXES.iter().any(|p| id.starts_with(p))
}

impl Report {
    fn new(name: &str, json: Value) -> Report {
        let mut findings = Vec::new();
        for f in json["findings"].as_array().expect("findings[]") {
            let evidence: Vec<Value> = f["evidence"].as_array().cloned().unwrap_or_default();
            findings.push(Found {
                id: f["id"].as_str().expect("finding id").to_string(),
                verdict: f["verdict"].as_str().expect("finding verdict").to_string(),
                rule_ids: f["rule_ids"]
                    .as_array()
                    .map(|r| {
                        r.iter()
                            .filter_map(Value::as_str)
                            .map(String::from)
                            .collect()
                    })
                    .unwrap_or_default(),
                chains: evidence
                    .iter()
                    .filter(|e| e["kind"] == "chain")
                    .map(Chain::from_json)
                    .collect(),
                evidence,
            });
        }
        let mut text = format!("\n--- what pipa reported for fixture `{name}` ---\nfindings:");
        for f in &findings {
            let mark = if in_scope(&f.id) { "*" } else { " " };
            let _ = write!(text, "\n {mark} {} ({})", f.id, f.verdict);
            if in_scope(&f.id) {
                let _ = write!(text, " rules {:?}", f.rule_ids);
                for c in &f.chains {
                    let _ = write!(text, "\n      chain: {}", c.render());
                }
                for e in f.evidence.iter().filter(|e| e["kind"] != "chain") {
                    let _ = write!(text, "\n      {e}");
                }
            }
        }
        text.push_str("\nsdks:");
        for s in json["sdks"].as_array().into_iter().flatten() {
            let _ = write!(
                text,
                "\n   {} {} initialized={}",
                s["id"].as_str().unwrap_or("?"),
                s["confidence"].as_str().unwrap_or("?"),
                s["initialized"]
            );
        }
        text.push_str("\napi_uses:");
        for u in json["api_uses"].as_array().into_iter().flatten() {
            let _ = write!(
                text,
                "\n   {} from {} @ {}:{} ({})",
                u["api_id"].as_str().unwrap_or("?"),
                u["caller"].as_str().unwrap_or("?"),
                u["dex"].as_str().unwrap_or("?"),
                u["offset"],
                u["subject"].as_str().unwrap_or("?")
            );
        }
        text.push_str("\n---");
        Report {
            findings,
            json,
            text,
        }
    }

    /// Ids of the findings under test.
    fn ids(&self) -> BTreeSet<&str> {
        self.findings
            .iter()
            .map(|f| f.id.as_str())
            .filter(|id| in_scope(id))
            .collect()
    }

    fn expect_ids(&self, want: &[&str]) {
        let want: BTreeSet<&str> = want.iter().copied().collect();
        let got = self.ids();
        assert_eq!(
            got,
            want,
            "finding ids with prefixes {PREFIXES:?}: missing {:?}, unexpected {:?}{}",
            want.difference(&got).collect::<Vec<_>>(),
            got.difference(&want).collect::<Vec<_>>(),
            self.text
        );
    }

    fn finding(&self, id: &str) -> &Found {
        let mut it = self.findings.iter().filter(|f| f.id == id);
        let f = it
            .next()
            .unwrap_or_else(|| panic!("no finding {id}{}", self.text));
        assert!(it.next().is_none(), "finding {id} twice{}", self.text);
        f
    }

    fn expect_verdict(&self, id: &str, verdict: &str) -> &Found {
        let f = self.finding(id);
        assert_eq!(f.verdict, verdict, "verdict of {id}{}", self.text);
        f
    }

    /// The finding's only chain equals `want`.
    fn expect_one_chain(&self, id: &str, want: &Chain) {
        let f = self.finding(id);
        assert!(
            f.chains.len() == 1 && &f.chains[0] == want,
            "{id}: want exactly one chain\n      chain: {}\n  got {} chain(s){}",
            want.render(),
            f.chains.len(),
            self.text
        );
    }

    fn all_chains(&self) -> impl Iterator<Item = (&str, &Chain)> {
        self.findings
            .iter()
            .flat_map(|f| f.chains.iter().map(move |c| (f.id.as_str(), c)))
    }

    /// The SDK entry `id`; must be detected with at least medium confidence.
    fn sdk(&self, id: &str) -> &Value {
        let s = self.json["sdks"]
            .as_array()
            .and_then(|a| a.iter().find(|s| s["id"] == id))
            .unwrap_or_else(|| panic!("SDK {id} not detected (the stub is broken){}", self.text));
        assert!(
            matches!(s["confidence"].as_str(), Some("medium" | "high")),
            "SDK {id} detected with confidence {} (want medium or high){}",
            s["confidence"],
            self.text
        );
        s
    }

    /// `api_uses` holds `api_id` called from `caller` at `offset` — the
    /// per-site layer the chains build on.
    fn expect_api_use(&self, api_id: &str, caller: &str, offset: u32, subject: &str) {
        let ok = self.json["api_uses"].as_array().is_some_and(|a| {
            a.iter().any(|u| {
                u["api_id"] == api_id
                    && u["caller"] == caller
                    && u["offset"].as_u64() == Some(u64::from(offset))
                    && u["subject"] == subject
            })
        });
        assert!(
            ok,
            "api_uses lacks {api_id} from {caller} @ {offset:#x} ({subject}){}",
            self.text
        );
    }
}

/// Every string anywhere in `v`.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

// ---------------------------------------------------------------------------
// Checks common to every fixture

const ENTRIES: &[&str] = &[
    "application",
    "provider",
    "initializer",
    "receiver",
    "service",
    "job",
    "periodic",
];
const HOPS: &[&str] = &["call", "async", "clinit", "component"];

/// Every chain pipa reports is well formed and is what the dex says: each
/// hop is visible in `dexdump`, and the last step calls the target at the
/// reported offset (unless the target is that step itself: a component the
/// system starts).
fn check_chains(b: &Built, r: &Report) {
    let mut bad = Vec::new();
    for (id, c) in r.all_chains() {
        let mut why = Vec::new();
        if !ENTRIES.contains(&c.entry.as_str()) {
            why.push(format!("entry `{}` not one of {ENTRIES:?}", c.entry));
        }
        if c.steps.is_empty() || c.hops.len() + 1 != c.steps.len() {
            why.push(format!(
                "{} steps but {} hops (want steps - 1)",
                c.steps.len(),
                c.hops.len()
            ));
        }
        if let Some(h) = c.hops.iter().find(|h| !HOPS.contains(&h.as_str())) {
            why.push(format!("hop `{h}` not one of {HOPS:?}"));
        }
        if c.dex != "classes.dex" {
            why.push(format!("dex `{}` (want classes.dex)", c.dex));
        }
        if let Some(first) = c.steps.first()
            && !first.starts_with(&format!("{}->", descriptor(&c.component)))
        {
            why.push(format!(
                "first step {first} is not a method of the component {}",
                c.component
            ));
        }
        for (n, hop) in c.hops.iter().enumerate() {
            let (Some(from), Some(to)) = (c.steps.get(n), c.steps.get(n + 1)) else {
                continue;
            };
            let Some(ins) = b
                .dump
                .classes
                .get(split_method(from).0)
                .and_then(|k| k.methods.get(from))
            else {
                why.push(format!("step {from} is not in the dex"));
                continue;
            };
            let (to_class, to_sig) = split_method(to);
            let (name, proto) = to_sig.split_at(to_sig.find('(').unwrap_or(to_sig.len()));
            let shown = match hop.as_str() {
                // An invoke of that name and prototype (the class may be a
                // supertype or interface: virtual calls resolve by hierarchy).
                "call" => {
                    let want = format!(".{name}:{proto}");
                    ins.iter()
                        .any(|i| i.op.starts_with("invoke-") && i.args.contains(&want))
                }
                "async" => ins
                    .iter()
                    .any(|i| i.op == "new-instance" && i.args.contains(to_class)),
                "component" => ins
                    .iter()
                    .any(|i| i.op == "const-class" && i.args.contains(to_class)),
                _ => true,
            };
            if !shown {
                why.push(format!("`{hop}` hop {from} → {to} not visible in dexdump"));
            }
        }
        // A chain whose target is its own last step is the system starting
        // a component (an SDK's provider): there is no call to find.
        if let Some(last) = c.steps.last()
            && c.target.contains("->")
            && c.target != *last
        {
            let want = dd_ref(&c.target);
            let at = b
                .dump
                .classes
                .get(split_method(last).0)
                .and_then(|k| k.methods.get(last))
                .and_then(|ins| {
                    ins.iter().find(|i| {
                        (i.op.starts_with("invoke-") || i.op.starts_with("sget"))
                            && i.args.contains(&want)
                    })
                })
                .map(|i| u64::from(i.offset));
            if at != Some(c.offset) {
                why.push(format!(
                    "last step {last} invokes {} at {:?} per dexdump, chain says {:#x}",
                    c.target,
                    at.map(|o| format!("{o:#x}")),
                    c.offset
                ));
            }
        }
        if !why.is_empty() {
            bad.push(format!(
                "{id}: {}\n      {}",
                c.render(),
                why.join("\n      ")
            ));
        }
    }
    assert!(
        bad.is_empty(),
        "malformed chains:\n  {}{}",
        bad.join("\n  "),
        r.text
    );
}

/// `before_consent.*` findings cite 191-3.1; no finding under test lists
/// the same evidence twice.
fn check_findings(r: &Report) {
    for f in r.findings.iter().filter(|f| in_scope(&f.id)) {
        let dups: Vec<&Value> = f
            .evidence
            .iter()
            .enumerate()
            .filter(|(n, e)| f.evidence[..*n].contains(e))
            .map(|(_, e)| e)
            .collect();
        assert!(
            dups.is_empty(),
            "{} lists evidence twice: {dups:?}{}",
            f.id,
            r.text
        );
        if f.id.starts_with("before_consent.") || f.id.starts_with("sdk_init.") {
            assert!(
                f.rule_ids.iter().any(|x| x == "191-3.1"),
                "{} does not cite 191-3.1{}",
                f.id,
                r.text
            );
        }
    }
}

/// Builds, proves and scans one fixture; `None` when tools are missing.
fn fixture(name: &'static str, prove: impl FnOnce(&Built)) -> Option<(Built, Report)> {
    if !tools_present(name) {
        return None;
    }
    let b = build(name);
    prove(&b);
    let r = Report::new(name, scan(&b));
    // Shown with `--nocapture`.
    eprintln!("{}", r.text);
    assert_eq!(r.json["app"]["id"], format!("fixture.{name}"));
    check_chains(&b, &r);
    check_findings(&r);
    Some((b, r))
}

fn manifest_has(b: &Built, needles: &[&str]) {
    for n in needles {
        assert!(
            b.manifest.contains(n),
            "fixture broken: `aapt dump xmltree` of {} lacks {n}:\n{}",
            b.name,
            b.manifest
        );
    }
}

// ---------------------------------------------------------------------------
// The scenarios

/// Application.onCreate reads the IMEI itself; a dead class reads it too.
#[test]
fn direct_call_in_application_on_create() {
    const ON_CREATE: &str = "Lfixture/direct/App;->onCreate()V";
    const DEAD: &str = "Lfixture/direct/Dead;->imei(Landroid/content/Context;)Ljava/lang/String;";
    let mut at = 0;
    let mut dead_at = 0;
    let Some((_, r)) = fixture("direct", |b| {
        manifest_has(b, &["android:name(0x01010003)=\"fixture.direct.App\""]);
        assert_eq!(
            b.dump.class("Lfixture/direct/App;").superclass,
            "Landroid/app/Application;"
        );
        at = b.dump.call(ON_CREATE, "invoke-virtual", GET_DEVICE_ID);
        dead_at = b.dump.call(DEAD, "invoke-virtual", GET_DEVICE_ID);
        // Dead is dead: nothing outside it mentions it.
        let users: Vec<String> = b
            .dump
            .users_of("Lfixture/direct/Dead;")
            .into_iter()
            .filter(|m| !m.starts_with("Lfixture/direct/Dead;"))
            .collect();
        assert!(
            users.is_empty(),
            "fixture broken: Dead is used by {users:?}"
        );
    }) else {
        return;
    };
    r.expect_api_use("telephony.get_device_id", ON_CREATE, at, "app");
    r.expect_api_use("telephony.get_device_id", DEAD, dead_at, "app");

    r.expect_ids(&["before_consent.app"]);
    r.expect_verdict("before_consent.app", "risk");
    // What to fix first: the app's own IMEI read in onCreate, first, with
    // the place and the permission-free alternative from kb/apis.yaml.
    let top = fix_first(&r);
    assert_eq!(
        top.first()
            .map(|l| (l.0.as_str(), l.1.clone(), l.2.as_str())),
        Some((
            "before_consent_pi",
            vec!["app".to_string()],
            "fixture.direct.App.onCreate"
        )),
        "{top:?}{}",
        r.text
    );
    assert!(top[0].3.contains("OAID"), "{top:?}");
    r.expect_one_chain(
        "before_consent.app",
        &Chain {
            entry: "application".into(),
            component: "fixture.direct.App".into(),
            steps: vec![ON_CREATE.into()],
            hops: vec![],
            target: GET_DEVICE_ID.into(),
            dex: "classes.dex".into(),
            offset: at.into(),
            subject: "app".into(),
            gated: false,
        },
    );
    let dead: Vec<String> = r
        .all_chains()
        .filter(|(_, c)| {
            c.steps
                .iter()
                .any(|s| s.starts_with("Lfixture/direct/Dead;"))
        })
        .map(|(id, c)| format!("{id}: {}", c.render()))
        .collect();
    assert!(
        dead.is_empty(),
        "the dead class is in chains:\n  {}{}",
        dead.join("\n  "),
        r.text
    );
}

/// Application.onCreate posts a Runnable to a Handler; the Runnable calls an
/// interface method whose only implementation reads the IMEI.
#[test]
fn handler_runnable_and_interface_call() {
    const ON_CREATE: &str = "Lfixture/handler/App;->onCreate()V";
    const RUN: &str = "Lfixture/handler/App$1;->run()V";
    const READ: &str = "Lfixture/handler/ImeiSource;->read()Ljava/lang/String;";
    let mut at = 0;
    let Some((_, r)) = fixture("handler", |b| {
        manifest_has(b, &["android:name(0x01010003)=\"fixture.handler.App\""]);
        let d = &b.dump;
        d.insn(ON_CREATE, "new-instance", "Lfixture/handler/App$1;");
        d.call(
            ON_CREATE,
            "invoke-virtual",
            "Landroid/os/Handler;->post(Ljava/lang/Runnable;)Z",
        );
        assert_eq!(
            d.class("Lfixture/handler/App$1;").interfaces,
            ["Ljava/lang/Runnable;"]
        );
        assert!(
            d.class("Lfixture/handler/IdSource;")
                .flags
                .contains("INTERFACE"),
            "fixture broken: IdSource is not an interface"
        );
        d.call(
            RUN,
            "invoke-interface",
            "Lfixture/handler/IdSource;->read()Ljava/lang/String;",
        );
        assert_eq!(
            d.implementors("Lfixture/handler/IdSource;"),
            ["Lfixture/handler/ImeiSource;"],
            "fixture broken: IdSource must have exactly one implementation"
        );
        at = d.call(READ, "invoke-virtual", GET_DEVICE_ID);
    }) else {
        return;
    };
    r.expect_api_use("telephony.get_device_id", READ, at, "app");

    r.expect_ids(&["before_consent.app"]);
    r.expect_verdict("before_consent.app", "risk");
    r.expect_one_chain(
        "before_consent.app",
        &Chain {
            entry: "application".into(),
            component: "fixture.handler.App".into(),
            steps: vec![ON_CREATE.into(), RUN.into(), READ.into()],
            hops: vec!["async".into(), "call".into()],
            target: GET_DEVICE_ID.into(),
            dex: "classes.dex".into(),
            offset: at.into(),
            subject: "app".into(),
            gated: false,
        },
    );
}

/// The SDK init and the IMEI read sit behind a stored consent flag.
#[test]
fn consent_gated_start_up() {
    const ON_CREATE: &str = "Lfixture/gated/App;->onCreate()V";
    const IS_AGREED: &str = "Lfixture/gated/Privacy;->isAgreed(Landroid/content/Context;)Z";
    let mut imei_at = 0;
    let mut init_at = 0;
    let Some((_, r)) = fixture("gated", |b| {
        manifest_has(b, &["android:name(0x01010003)=\"fixture.gated.App\""]);
        let d = &b.dump;
        d.insn(IS_AGREED, "const-string", "\"privacy_agreed\"");
        d.call(
            IS_AGREED,
            "invoke-interface",
            "Landroid/content/SharedPreferences;->getBoolean(Ljava/lang/String;Z)Z",
        );
        // isAgreed, then the branch, then the init and the read, both
        // skipped by the branch.
        let check = d.call(ON_CREATE, "invoke-static", IS_AGREED);
        let branch = d.insn(ON_CREATE, "if-eqz", "");
        init_at = d.call(ON_CREATE, "invoke-static", AMAP_INIT);
        imei_at = d.call(ON_CREATE, "invoke-virtual", GET_DEVICE_ID);
        let skip_to = branch
            .args
            .split(", ")
            .nth(1)
            .and_then(|t| u32::from_str_radix(t.split_whitespace().next()?, 16).ok())
            .unwrap_or_else(|| panic!("if-eqz target in {}", branch.args));
        assert!(
            check < branch.offset
                && branch.offset < init_at
                && init_at < imei_at
                && imei_at < skip_to,
            "fixture broken: want isAgreed < if-eqz < init < getDeviceId < branch target:\n{}",
            d.listing(ON_CREATE)
        );
        // The SDK's compliant-init APIs are defined, never called.
        for api in ["updatePrivacyShow", "updatePrivacyAgree"] {
            let callers = d.users_of(&format!("Lcom/amap/api/maps/MapsInitializer;.{api}:"));
            assert!(
                callers.is_empty(),
                "fixture broken: {api} called by {callers:?}"
            );
        }
    }) else {
        return;
    };
    r.expect_api_use("telephony.get_device_id", ON_CREATE, imei_at, "app");
    let sdk = r.sdk(AMAP);
    assert_eq!(sdk["initialized"], true, "{AMAP} initialized{}", r.text);
    assert!(
        sdk["compliant_init"]
            .as_array()
            .is_some_and(|c| !c.is_empty() && c.iter().all(|x| x["used"] == false)),
        "{AMAP}: its compliant-init APIs must be listed and unused{}",
        r.text
    );

    let sdk_init = format!("sdk_init.before_consent.{AMAP}");
    r.expect_ids(&["before_consent.app", &sdk_init]);
    r.expect_verdict("before_consent.app", "manual");
    r.expect_verdict(&sdk_init, "manual");
    r.expect_one_chain(
        "before_consent.app",
        &Chain {
            entry: "application".into(),
            component: "fixture.gated.App".into(),
            steps: vec![ON_CREATE.into()],
            hops: vec![],
            target: GET_DEVICE_ID.into(),
            dex: "classes.dex".into(),
            offset: imei_at.into(),
            subject: "app".into(),
            gated: true,
        },
    );
    r.expect_one_chain(
        &sdk_init,
        &Chain {
            entry: "application".into(),
            component: "fixture.gated.App".into(),
            steps: vec![ON_CREATE.into()],
            hops: vec![],
            target: AMAP_INIT.into(),
            dex: "classes.dex".into(),
            offset: init_at.into(),
            // The call into the SDK is made by the app's code.
            subject: "app".into(),
            gated: true,
        },
    );
    let ungated: Vec<String> = r
        .all_chains()
        .filter(|(id, c)| id.starts_with("before_consent.") && !c.gated)
        .map(|(id, c)| format!("{id}: {}", c.render()))
        .collect();
    assert!(
        ungated.is_empty(),
        "ungated before-consent chains:\n  {}{}",
        ungated.join("\n  "),
        r.text
    );
    // The negative twin of the block: gated calls make no before-consent
    // line (they are manual, not risks).
    let top = before_consent_lines(&r);
    assert!(top.is_empty(), "{top:?}{}", r.text);
}

/// An SDK's own ContentProvider reads the IMEI at process start.
#[test]
fn sdk_provider_at_start_up() {
    const ON_CREATE: &str = "Lcn/jpush/android/service/InitProvider;->onCreate()Z";
    const IMEI: &str =
        "Lcn/jpush/android/helper/DeviceInfo;->imei(Landroid/content/Context;)Ljava/lang/String;";
    let mut at = 0;
    let Some((_, r)) = fixture("provider", |b| {
        manifest_has(
            b,
            &[
                "E: provider",
                &format!("android:name(0x01010003)=\"{JPUSH_PROVIDER}\""),
            ],
        );
        let d = &b.dump;
        assert_eq!(
            d.class(&descriptor(JPUSH_PROVIDER)).superclass,
            "Landroid/content/ContentProvider;"
        );
        d.call(ON_CREATE, "invoke-static", IMEI);
        at = d.call(IMEI, "invoke-virtual", GET_DEVICE_ID);
        // The app's own code calls nothing of the SDK.
        let from_app: Vec<String> = d
            .users_of("Lcn/jpush/")
            .into_iter()
            .filter(|m| !m.starts_with("Lcn/jpush/"))
            .collect();
        assert!(
            from_app.is_empty(),
            "fixture broken: SDK called by {from_app:?}"
        );
    }) else {
        return;
    };
    let subject = format!("sdk:{JPUSH}");
    r.expect_api_use("telephony.get_device_id", IMEI, at, &subject);
    let sdk = r.sdk(JPUSH);
    assert!(
        sdk["compliant_init"]
            .as_array()
            .is_some_and(|c| c.iter().all(|x| x["used"] == false)),
        "{JPUSH}: no compliant-init API may be used{}",
        r.text
    );

    let sdk_init = format!("sdk_init.before_consent.{JPUSH}");
    let reads = format!("before_consent.{subject}");
    r.expect_ids(&[&sdk_init, &reads]);
    r.expect_verdict(&sdk_init, "risk");
    r.expect_verdict(&reads, "risk");
    // The init chain: the system starts the SDK's provider. Its steps and
    // target are not pinned by the contract; its entry and start are.
    let init = &r.finding(&sdk_init).chains;
    assert!(
        init.len() == 1
            && init[0].entry == "provider"
            && init[0].component == JPUSH_PROVIDER
            && !init[0].gated
            && init[0]
                .steps
                .first()
                .is_some_and(|s| s.starts_with(&format!("{}->", descriptor(JPUSH_PROVIDER)))),
        "{sdk_init}: want one ungated chain with entry provider starting in {JPUSH_PROVIDER}{}",
        r.text
    );
    r.expect_one_chain(
        &reads,
        &Chain {
            entry: "provider".into(),
            component: JPUSH_PROVIDER.into(),
            steps: vec![ON_CREATE.into(), IMEI.into()],
            hops: vec!["call".into()],
            target: GET_DEVICE_ID.into(),
            dex: "classes.dex".into(),
            offset: at.into(),
            subject,
            gated: false,
        },
    );
}

/// A boot receiver starts a service that reads the location: self-start and
/// background collection, nothing at start-up.
#[test]
fn boot_receiver_starts_location_service() {
    const ON_RECEIVE: &str = "Lfixture/boot/BootReceiver;->onReceive(Landroid/content/Context;Landroid/content/Intent;)V";
    const ON_START: &str = "Lfixture/boot/LocService;->onStartCommand(Landroid/content/Intent;II)I";
    let mut at = 0;
    let Some((_, r)) = fixture("boot", |b| {
        manifest_has(
            b,
            &[
                "\"android.permission.RECEIVE_BOOT_COMPLETED\"",
                "\"android.permission.ACCESS_FINE_LOCATION\"",
                "E: receiver",
                "\"fixture.boot.BootReceiver\"",
                "\"android.intent.action.BOOT_COMPLETED\"",
                "E: service",
                "\"fixture.boot.LocService\"",
            ],
        );
        let d = &b.dump;
        d.insn(ON_RECEIVE, "const-class", "Lfixture/boot/LocService;");
        d.call(
            ON_RECEIVE,
            "invoke-virtual",
            "Landroid/content/Context;->startService(Landroid/content/Intent;)Landroid/content/ComponentName;",
        );
        at = d.call(ON_START, "invoke-virtual", GET_LAST_KNOWN_LOCATION);
        // onStartCommand returns START_NOT_STICKY (2): no sticky restart.
        let ins = d.method(ON_START);
        assert!(
            ins.windows(2).any(|w| w[0].op == "const/4"
                && w[0].args.contains("#int 2")
                && w[1].op == "return"),
            "fixture broken: onStartCommand must return 2:\n{}",
            d.listing(ON_START)
        );
    }) else {
        return;
    };
    r.expect_api_use(
        "location_manager.get_last_known_location",
        ON_START,
        at,
        "app",
    );

    // The call is reached from a self-start trigger: reported with it in
    // background.self_start.app, not again in background.app.
    r.expect_ids(&["start.boot", "background.self_start.app"]);
    r.expect_verdict("start.boot", "risk");
    r.expect_verdict("background.self_start.app", "risk");
    r.expect_one_chain(
        "background.self_start.app",
        &Chain {
            entry: "receiver".into(),
            component: "fixture.boot.BootReceiver".into(),
            steps: vec![ON_RECEIVE.into(), ON_START.into()],
            hops: vec!["component".into()],
            target: GET_LAST_KNOWN_LOCATION.into(),
            dex: "classes.dex".into(),
            offset: at.into(),
            subject: "app".into(),
            gated: false,
        },
    );
}

const JPUSH_RECEIVER: &str = "cn.jpush.android.service.PushReceiver";
const PUSH_ON_START: &str =
    "Lcn/jpush/android/service/PushService;->onStartCommand(Landroid/content/Intent;II)I";
const PUSH_COLLECT: &str =
    "Lcn/jpush/android/helper/DeviceInfo;->collect(Landroid/content/Context;)V";
/// What `DeviceInfo.collect` calls: (api id, smali target, invoke).
const COLLECTED: &[(&str, &str)] = &[
    ("telephony.get_device_id", GET_DEVICE_ID),
    (
        "wifi_manager.get_connection_info",
        "Landroid/net/wifi/WifiManager;->getConnectionInfo()Landroid/net/wifi/WifiInfo;",
    ),
    (
        "wifi_info.get_mac_address",
        "Landroid/net/wifi/WifiInfo;->getMacAddress()Ljava/lang/String;",
    ),
    (
        "location_manager.request_location_updates",
        "Landroid/location/LocationManager;->requestLocationUpdates(Ljava/lang/String;JFLandroid/location/LocationListener;)V",
    ),
];

/// Where `DeviceInfo.collect` calls each of [`COLLECTED`], per dexdump.
fn collected_at(d: &Dump) -> Vec<u32> {
    COLLECTED
        .iter()
        .map(|(_, target)| {
            let op = if target.contains("requestLocationUpdates") {
                "invoke-virtual/range"
            } else {
                "invoke-virtual"
            };
            d.call(PUSH_COLLECT, op, target)
        })
        .collect()
}

/// Issue 15, 7 (b): a push SDK's receiver of the boot, connectivity and
/// unlock broadcasts starts its service, which arms an inexact repeating
/// alarm that starts it again; each start reads the IMEI, the Wi-Fi MAC and
/// requests location. One `background.self_start.sdk:jiguang.jpush` risk
/// naming both triggers, with a chain from each to each call.
#[test]
fn push_service_self_started_by_broadcasts_and_alarm() {
    const ON_RECEIVE: &str = "Lcn/jpush/android/service/PushReceiver;->onReceive(Landroid/content/Context;Landroid/content/Intent;)V";
    const ON_CREATE: &str = "Lcn/jpush/android/service/PushService;->onCreate()V";
    const SCHEDULE: &str =
        "Lcn/jpush/android/helper/AlarmHelper;->scheduleHeartbeat(Landroid/content/Context;)V";
    const SET_INEXACT: &str =
        "Landroid/app/AlarmManager;->setInexactRepeating(IJJLandroid/app/PendingIntent;)V";
    let mut at: Vec<u32> = Vec::new();
    let mut alarm_at = 0;
    let Some((_, r)) = fixture("selfstart", |b| {
        manifest_has(
            b,
            &[
                "targetSdkVersion(0x01010270)=(type 0x10)0x17",
                "\"android.permission.RECEIVE_BOOT_COMPLETED\"",
                "\"android.permission.READ_PHONE_STATE\"",
                "\"android.permission.ACCESS_WIFI_STATE\"",
                "\"android.permission.ACCESS_FINE_LOCATION\"",
                "E: receiver",
                &format!("\"{JPUSH_RECEIVER}\""),
                "\"android.intent.action.BOOT_COMPLETED\"",
                "\"android.net.conn.CONNECTIVITY_CHANGE\"",
                "\"android.intent.action.USER_PRESENT\"",
                "\"cn.jpush.android.service.PushService\"",
            ],
        );
        let d = &b.dump;
        d.insn(
            ON_RECEIVE,
            "const-class",
            "Lcn/jpush/android/service/PushService;",
        );
        d.call(
            ON_RECEIVE,
            "invoke-virtual",
            "Landroid/content/Context;->startService(Landroid/content/Intent;)Landroid/content/ComponentName;",
        );
        d.call(ON_CREATE, "invoke-static", SCHEDULE);
        // The alarm's PendingIntent starts PushService.
        d.insn(
            SCHEDULE,
            "const-class",
            "Lcn/jpush/android/service/PushService;",
        );
        d.call(
            SCHEDULE,
            "invoke-static",
            "Landroid/app/PendingIntent;->getService(Landroid/content/Context;ILandroid/content/Intent;I)Landroid/app/PendingIntent;",
        );
        alarm_at = d.call(SCHEDULE, "invoke-virtual/range", SET_INEXACT);
        d.call(PUSH_ON_START, "invoke-static", PUSH_COLLECT);
        at = collected_at(d);
        // The app's own screen calls nothing of the SDK.
        let from_app: Vec<String> = d
            .users_of("Lcn/jpush/")
            .into_iter()
            .filter(|m| !m.starts_with("Lcn/jpush/"))
            .collect();
        assert!(
            from_app.is_empty(),
            "fixture broken: SDK called by {from_app:?}"
        );
    }) else {
        return;
    };
    let subject = format!("sdk:{JPUSH}");
    for ((api_id, _), &off) in COLLECTED.iter().zip(&at) {
        r.expect_api_use(api_id, PUSH_COLLECT, off, &subject);
    }
    let id = format!("background.self_start.{subject}");
    r.expect_ids(&["start.boot", "start.broadcast", "start.periodic", &id]);
    let f = r.expect_verdict(&id, "risk");
    assert_eq!(finding_json(&r, &id)["severity"], "high", "{}", r.text);
    for rule in ["164-1.2", "164-2.2", "191-4.4"] {
        assert!(
            f.rule_ids.iter().any(|x| x == rule),
            "{id} does not cite {rule}{}",
            r.text
        );
    }
    // The triggers: the receiver with its three broadcasts, then the
    // alarm call, each before its chains.
    let trig: Vec<&Value> = f.evidence.iter().filter(|e| e["kind"] != "chain").collect();
    assert_eq!(trig.len(), 2, "two triggers{}", r.text);
    assert_eq!(trig[0]["kind"], "manifest");
    assert_eq!(trig[0]["element"], "receiver");
    assert_eq!(trig[0]["name"], JPUSH_RECEIVER);
    let detail = trig[0]["detail"].as_str().unwrap_or_default();
    for a in [
        "android.intent.action.BOOT_COMPLETED",
        "android.net.conn.CONNECTIVITY_CHANGE",
        "android.intent.action.USER_PRESENT",
    ] {
        assert!(detail.contains(a), "receiver trigger lacks {a}: {detail}");
    }
    assert_eq!(trig[1]["kind"], "code");
    assert_eq!(
        trig[1]["api"],
        "Landroid/app/AlarmManager;->setInexactRepeating"
    );
    assert_eq!(trig[1]["caller"], SCHEDULE);
    assert_eq!(trig[1]["offset"], alarm_at);
    // Exactly one chain per trigger and call, edge by edge.
    let mut want: Vec<Chain> = Vec::new();
    for ((_, target), &off) in COLLECTED.iter().zip(&at) {
        want.push(Chain {
            entry: "receiver".into(),
            component: JPUSH_RECEIVER.into(),
            steps: vec![ON_RECEIVE.into(), PUSH_ON_START.into(), PUSH_COLLECT.into()],
            hops: vec!["component".into(), "call".into()],
            target: (*target).into(),
            dex: "classes.dex".into(),
            offset: off.into(),
            subject: subject.clone(),
            gated: false,
        });
    }
    for ((_, target), &off) in COLLECTED.iter().zip(&at) {
        want.push(Chain {
            entry: "periodic".into(),
            component: "cn.jpush.android.helper.AlarmHelper".into(),
            steps: vec![SCHEDULE.into(), PUSH_ON_START.into(), PUSH_COLLECT.into()],
            hops: vec!["component".into(), "call".into()],
            target: (*target).into(),
            dex: "classes.dex".into(),
            offset: off.into(),
            subject: subject.clone(),
            gated: false,
        });
    }
    let mut got = f.chains.clone();
    let key = |c: &Chain| (c.entry.clone(), c.offset);
    got.sort_by_key(key);
    want.sort_by_key(key);
    assert!(
        got == want,
        "{id}: want the chains\n      {}{}",
        want.iter()
            .map(Chain::render)
            .collect::<Vec<_>>()
            .join("\n      "),
        r.text
    );
    // The receiver's evidence comes first, then its chains, then the
    // alarm and its chains.
    let kinds: Vec<String> = f
        .evidence
        .iter()
        .map(|e| match e["kind"].as_str() {
            Some("chain") => e["entry"].as_str().unwrap_or("?").to_string(),
            k => k.unwrap_or("?").to_string(),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "manifest", "receiver", "receiver", "receiver", "receiver", "code", "periodic",
            "periodic", "periodic", "periodic"
        ],
        "{}",
        r.text
    );
    let title = finding_json(&r, &id)["title"]["zh"]
        .as_str()
        .unwrap_or_default();
    assert!(title.contains("极光"), "the title names the SDK: {title}");
    let desc = finding_json(&r, &id)["description"]["zh"]
        .as_str()
        .unwrap_or_default();
    for w in [
        "开机完成",
        "网络变化",
        "用户解锁",
        "非精确重复闹钟",
        "设备标识",
        "位置",
    ] {
        assert!(desc.contains(w), "description lacks {w}: {desc}");
    }
    let ss = r.json["reachability"]["self_start"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(ss, 8, "reachability.self_start{}", r.text);
}

/// The negative twin of `selfstart`: the same SDK service reads the same
/// data, but only a tap on the launcher screen starts it. No self-start
/// trigger, nothing background-only: no `background.*` or `start.*`.
#[test]
fn push_service_started_only_by_a_click() {
    const ON_CLICK: &str = "Lfixture/clickstart/MainActivity$1;->onClick(Landroid/view/View;)V";
    let mut at: Vec<u32> = Vec::new();
    let Some((_, r)) = fixture("clickstart", |b| {
        let d = &b.dump;
        assert_eq!(
            d.class("Lfixture/clickstart/MainActivity$1;").interfaces,
            ["Landroid/view/View$OnClickListener;"]
        );
        d.insn(
            ON_CLICK,
            "const-class",
            "Lcn/jpush/android/service/PushService;",
        );
        d.call(PUSH_ON_START, "invoke-static", PUSH_COLLECT);
        at = collected_at(d);
        assert!(
            !b.manifest.contains("E: receiver"),
            "fixture broken: no receiver"
        );
        for api in ["setRepeating", "setInexactRepeating", "setPeriodic"] {
            let users = d.users_of(&format!(".{api}:"));
            assert!(users.is_empty(), "fixture broken: {api} in {users:?}");
        }
    }) else {
        return;
    };
    let subject = format!("sdk:{JPUSH}");
    for ((api_id, _), &off) in COLLECTED.iter().zip(&at) {
        r.expect_api_use(api_id, PUSH_COLLECT, off, &subject);
    }
    r.expect_ids(&[]);
    assert!(
        r.json["reachability"]["self_start"]
            .as_array()
            .is_none_or(Vec::is_empty),
        "no self-start chain{}",
        r.text
    );
}

/// The launcher Activity starts another app's service and launches WeChat.
#[test]
fn activity_launches_other_apps() {
    const ON_CREATE: &str = "Lfixture/launch/MainActivity;->onCreate(Landroid/os/Bundle;)V";
    const OPEN: &str = "Lfixture/launch/MainActivity;->openWeChat()V";
    const OWN: &str = "Lfixture/launch/MainActivity;->startOwn()V";
    const SET_CLASS: &str = "Landroid/content/Intent;->setClassName(Ljava/lang/String;Ljava/lang/String;)Landroid/content/Intent;";
    const START_SERVICE: &str = "Lfixture/launch/MainActivity;->startService(Landroid/content/Intent;)Landroid/content/ComponentName;";
    let Some((_, r)) = fixture("launch", |b| {
        manifest_has(
            b,
            &[
                "\"fixture.launch.MainActivity\"",
                "\"android.intent.action.MAIN\"",
                "\"android.intent.category.LAUNCHER\"",
                "\"fixture.launch.OwnService\"",
            ],
        );
        let d = &b.dump;
        d.insn(ON_CREATE, "const-string", "\"com.other.app\"");
        d.insn(ON_CREATE, "const-string", "\"com.other.app.PushService\"");
        d.call(ON_CREATE, "invoke-virtual", SET_CLASS);
        d.call(ON_CREATE, "invoke-virtual", START_SERVICE);
        d.insn(OPEN, "const-string", "\"com.tencent.mm\"");
        d.call(
            OPEN,
            "invoke-virtual",
            "Landroid/content/pm/PackageManager;->getLaunchIntentForPackage(Ljava/lang/String;)Landroid/content/Intent;",
        );
        d.call(
            OPEN,
            "invoke-virtual",
            "Lfixture/launch/MainActivity;->startActivity(Landroid/content/Intent;)V",
        );
        d.insn(OWN, "const-string", "\"fixture.launch\"");
        d.call(OWN, "invoke-virtual", SET_CLASS);
    }) else {
        return;
    };

    r.expect_ids(&["launch.other_app"]);
    let f = r.finding("launch.other_app");
    assert!(
        matches!(f.verdict.as_str(), "risk" | "manual"),
        "launch.other_app verdict {} (want risk or manual){}",
        f.verdict,
        r.text
    );
    let mut texts = Vec::new();
    f.evidence.iter().for_each(|e| strings(e, &mut texts));
    for pkg in ["com.other.app", "com.tencent.mm"] {
        assert!(
            texts.iter().any(|t| t.contains(pkg)),
            "launch.other_app evidence does not name {pkg}{}",
            r.text
        );
    }
    // The control: starting the app's own service by name is no other app.
    let own: Vec<&String> = texts
        .iter()
        .filter(|t| {
            t.as_str() == "fixture.launch" || t.contains("OwnService") || t.contains("startOwn")
        })
        .collect();
    assert!(
        own.is_empty(),
        "launch.other_app evidence names the app's own component: {own:?}{}",
        r.text
    );
}

/// The IMEI is read before a consent check made through a preferences
/// wrapper (ungated), the IMSI after it (gated); an androidx.startup
/// initializer reaches Build.SERIAL through a static initialiser.
#[test]
fn partly_gated_start_up_and_initializer_clinit() {
    const ON_CREATE: &str = "Lfixture/partial/App;->onCreate()V";
    const GET_BOOL: &str =
        "Lfixture/partial/SpUtil;->getBool(Landroid/content/Context;Ljava/lang/String;)Z";
    const GET_IMSI: &str =
        "Landroid/telephony/TelephonyManager;->getSubscriberId()Ljava/lang/String;";
    const CREATE: &str =
        "Lfixture/partial/IdInitializer;->create(Landroid/content/Context;)Ljava/lang/Object;";
    const CLINIT: &str = "Lfixture/partial/Ids;-><clinit>()V";
    const SERIAL: &str = "Landroid/os/Build;->SERIAL:Ljava/lang/String;";
    let (mut imei_at, mut imsi_at, mut serial_at) = (0, 0, 0);
    let Some((_, r)) = fixture("partial", |b| {
        manifest_has(
            b,
            &[
                "androidx.startup.InitializationProvider",
                "fixture.partial.IdInitializer",
            ],
        );
        let d = &b.dump;
        imei_at = d.call(ON_CREATE, "invoke-virtual", GET_DEVICE_ID);
        d.insn(ON_CREATE, "const-string", "\"user_agreement_accepted\"");
        let check = d.call(ON_CREATE, "invoke-static", GET_BOOL);
        imsi_at = d.call(ON_CREATE, "invoke-virtual", GET_IMSI);
        assert!(
            imei_at < check && check < imsi_at,
            "fixture broken: want getDeviceId < getBool < getSubscriberId:\n{}",
            d.listing(ON_CREATE)
        );
        d.call(
            CREATE,
            "invoke-static",
            "Lfixture/partial/Ids;->cached()Ljava/lang/String;",
        );
        serial_at = d
            .insn(CLINIT, "sget-object", "Landroid/os/Build;.SERIAL")
            .offset;
    }) else {
        return;
    };
    r.expect_ids(&["before_consent.app"]);
    // One call is ungated: the finding is a risk.
    r.expect_verdict("before_consent.app", "risk");
    let f = r.finding("before_consent.app");
    let want = [
        Chain {
            entry: "application".into(),
            component: "fixture.partial.App".into(),
            steps: vec![ON_CREATE.into()],
            hops: vec![],
            target: GET_DEVICE_ID.into(),
            dex: "classes.dex".into(),
            offset: imei_at.into(),
            subject: "app".into(),
            gated: false,
        },
        Chain {
            entry: "application".into(),
            component: "fixture.partial.App".into(),
            steps: vec![ON_CREATE.into()],
            hops: vec![],
            target: GET_IMSI.into(),
            dex: "classes.dex".into(),
            offset: imsi_at.into(),
            subject: "app".into(),
            gated: true,
        },
        Chain {
            entry: "initializer".into(),
            component: "fixture.partial.IdInitializer".into(),
            steps: vec![CREATE.into(), CLINIT.into()],
            hops: vec!["clinit".into()],
            target: SERIAL.into(),
            dex: "classes.dex".into(),
            offset: serial_at.into(),
            subject: "app".into(),
            gated: false,
        },
    ];
    for w in &want {
        assert!(
            f.chains.contains(w),
            "before_consent.app lacks the chain\n      {}{}",
            w.render(),
            r.text
        );
    }
    assert_eq!(f.chains.len(), want.len(), "chains{}", r.text);
}

/// The consent flag is a static boolean field named for consent; the IMEI
/// is read only when it is set.
#[test]
fn static_consent_flag_gates() {
    const ON_CREATE: &str = "Lfixture/flag/App;->onCreate()V";
    let mut at = 0;
    let Some((_, r)) = fixture("flag", |b| {
        let d = &b.dump;
        let check = d
            .insn(
                ON_CREATE,
                "sget-boolean",
                "Lfixture/flag/Consent;.sPrivacyAgreed:Z",
            )
            .offset;
        at = d.call(ON_CREATE, "invoke-virtual", GET_DEVICE_ID);
        assert!(check < at, "fixture broken:\n{}", d.listing(ON_CREATE));
    }) else {
        return;
    };
    r.expect_ids(&["before_consent.app"]);
    r.expect_verdict("before_consent.app", "manual");
    r.expect_one_chain(
        "before_consent.app",
        &Chain {
            entry: "application".into(),
            component: "fixture.flag.App".into(),
            steps: vec![ON_CREATE.into()],
            hops: vec![],
            target: GET_DEVICE_ID.into(),
            dex: "classes.dex".into(),
            offset: at.into(),
            subject: "app".into(),
            gated: true,
        },
    );
}

const UM_INIT: &str = "Lcom/umeng/commonsdk/UMConfigure;->init(Landroid/content/Context;Ljava/lang/String;Ljava/lang/String;ILjava/lang/String;)V";
const UM_PRE_INIT: &str = "Lcom/umeng/commonsdk/UMConfigure;->preInit(Landroid/content/Context;Ljava/lang/String;Ljava/lang/String;)V";
const UM_GRANT: &str =
    "Lcom/umeng/commonsdk/UMConfigure;->submitPolicyGrantResult(Landroid/content/Context;Z)V";
const BUGLY_INIT: &str = "Lcom/tencent/bugly/crashreport/CrashReport;->initCrashReport(Landroid/content/Context;Ljava/lang/String;Z)V";

/// The finding's JSON object.
/// The "what to fix first" lines: (class, subjects, place, fix zh).
fn fix_first(r: &Report) -> Vec<(String, Vec<String>, String, String)> {
    r.json["priorities"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
            (
                s(&p["class"]),
                p["subjects"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(s)
                    .collect(),
                s(&p["place"]),
                s(&p["fix"]["zh"]),
            )
        })
        .collect()
}

/// Lines of the first two classes (collection or SDK start before consent).
fn before_consent_lines(r: &Report) -> Vec<(String, Vec<String>, String, String)> {
    fix_first(r)
        .into_iter()
        .filter(|l| l.0 == "before_consent_pi" || l.0 == "sdk_init_before_consent")
        .collect()
}

fn finding_json<'a>(r: &'a Report, id: &str) -> &'a Value {
    r.json["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["id"] == id))
        .unwrap_or_else(|| panic!("no finding {id}{}", r.text))
}

/// The `at_startup` of an SDK's catalogued start-up API (`None` when absent).
fn at_startup<'a>(sdk: &'a Value, api: &str) -> Option<&'a str> {
    sdk["compliant_init"]
        .as_array()
        .and_then(|c| c.iter().find(|x| x["api"] == api))
        .unwrap_or_else(|| panic!("{api} not in compliant_init: {sdk}"))["at_startup"]
        .as_str()
}

/// Application.onCreate → initSdk → UMConfigure.init and
/// CrashReport.initCrashReport, no consent check: the real inits run before
/// consent. Each is a high risk with its chain, the SDK's own fix and the
/// place to change; neither SDK starts compliantly.
#[test]
fn sdk_init_before_consent() {
    const ON_CREATE: &str = "Lfixture/sdkstart/App;->onCreate()V";
    const INIT_SDK: &str = "Lfixture/sdkstart/App;->initSdk(Landroid/content/Context;)V";
    let (mut um_at, mut bugly_at) = (0, 0);
    let Some((_, r)) = fixture("sdkstart", |b| {
        manifest_has(b, &["android:name(0x01010003)=\"fixture.sdkstart.App\""]);
        let d = &b.dump;
        d.call(ON_CREATE, "invoke-static", INIT_SDK);
        um_at = d.call(INIT_SDK, "invoke-static", UM_INIT);
        bugly_at = d.call(INIT_SDK, "invoke-static", BUGLY_INIT);
        assert!(
            !d.method(ON_CREATE)
                .iter()
                .chain(d.method(INIT_SDK))
                .any(|i| i.op.starts_with("if-")),
            "fixture broken: no branch may come before the inits"
        );
    }) else {
        return;
    };
    for (sdk, at, target, fix) in [
        ("umeng.common", um_at, UM_INIT, "UMConfigure.preInit"),
        (
            "tencent.bugly",
            bugly_at,
            BUGLY_INIT,
            "不要调用该 SDK 的任何接口",
        ),
    ] {
        let id = format!("sdk_init.before_consent.{sdk}");
        r.expect_verdict(&id, "risk");
        let f = finding_json(&r, &id);
        assert_eq!(f["severity"], "high", "{id}{}", r.text);
        r.expect_one_chain(
            &id,
            &Chain {
                entry: "application".into(),
                component: "fixture.sdkstart.App".into(),
                steps: vec![ON_CREATE.into(), INIT_SDK.into()],
                hops: vec!["call".into()],
                target: target.into(),
                dex: "classes.dex".into(),
                offset: at.into(),
                subject: "app".into(),
                gated: false,
            },
        );
        let fix_zh = f["remediation"]["zh"].as_str().unwrap_or_default();
        assert!(
            fix_zh.contains(fix) && fix_zh.contains("fixture.sdkstart.App.initSdk"),
            "{id}: the fix must name the SDK's own way and the place to change: {fix_zh}"
        );
        let s = r.sdk(sdk);
        assert_eq!(s["compliant_init_used"], false, "{sdk}{}", r.text);
        assert_eq!(s["startup"], "ungated", "{sdk}{}", r.text);
    }
    let um = r.sdk("umeng.common");
    assert_eq!(
        at_startup(um, "Lcom/umeng/commonsdk/UMConfigure;->init"),
        Some("ungated")
    );
    assert_eq!(
        at_startup(um, "Lcom/umeng/commonsdk/UMConfigure;->preInit"),
        None
    );
    let fix = finding_json(&r, "sdk_init.before_consent.umeng.common")["remediation"]["zh"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        fix.contains("UMConfigure.init") && fix.contains("UMConfigure.submitPolicyGrantResult"),
        "Umeng's fix: init and submitPolicyGrantResult after consent: {fix}"
    );
    assert_eq!(r.sdk("tencent.bugly")["no_compliant_init"], true);
    // What to fix first: exactly Umeng and Bugly started before consent,
    // each with initSdk as the place and its own fix.
    let top = before_consent_lines(&r);
    let got: Vec<(Vec<String>, &str)> = top.iter().map(|l| (l.1.clone(), l.2.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (
                vec!["sdk:umeng.common".to_string()],
                "fixture.sdkstart.App.initSdk"
            ),
            (
                vec!["sdk:tencent.bugly".to_string()],
                "fixture.sdkstart.App.initSdk"
            ),
        ],
        "{top:?}{}",
        r.text
    );
    assert!(
        top[0].3.contains("UMConfigure.preInit")
            && top[0].3.contains("UMConfigure.submitPolicyGrantResult"),
        "{top:?}"
    );
    assert!(top[1].3.contains("CrashReport.initCrashReport"), "{top:?}");
}

/// The negative twin: UMConfigure.preInit in onCreate, UMConfigure.init and
/// submitPolicyGrantResult only after a consent check. Compliant start-up:
/// the finding passes, no risk, `compliant_init_used: true`.
#[test]
fn sdk_pre_init_then_init_after_consent() {
    const ON_CREATE: &str = "Lfixture/sdkcompliant/App;->onCreate()V";
    const IS_AGREED: &str = "Lfixture/sdkcompliant/Privacy;->isAgreed(Landroid/content/Context;)Z";
    let mut pre_at = 0;
    let Some((_, r)) = fixture("sdkcompliant", |b| {
        let d = &b.dump;
        pre_at = d.call(ON_CREATE, "invoke-static", UM_PRE_INIT);
        let check = d.call(ON_CREATE, "invoke-static", IS_AGREED);
        let branch = d.insn(ON_CREATE, "if-eqz", "").offset;
        let init = d.call(ON_CREATE, "invoke-static", UM_INIT);
        let grant = d.call(ON_CREATE, "invoke-static", UM_GRANT);
        assert!(
            pre_at < check && check < branch && branch < init && init < grant,
            "fixture broken: want preInit < isAgreed < if-eqz < init < grant:\n{}",
            d.listing(ON_CREATE)
        );
    }) else {
        return;
    };
    let id = "sdk_init.before_consent.umeng.common";
    r.expect_verdict(id, "pass");
    r.expect_one_chain(
        id,
        &Chain {
            entry: "application".into(),
            component: "fixture.sdkcompliant.App".into(),
            steps: vec![ON_CREATE.into()],
            hops: vec![],
            target: UM_PRE_INIT.into(),
            dex: "classes.dex".into(),
            offset: pre_at.into(),
            subject: "app".into(),
            gated: false,
        },
    );
    let s = r.sdk("umeng.common");
    assert_eq!(s["compliant_init_used"], true, "{}", r.text);
    assert_eq!(
        at_startup(s, "Lcom/umeng/commonsdk/UMConfigure;->preInit"),
        Some("ungated")
    );
    assert_eq!(
        at_startup(s, "Lcom/umeng/commonsdk/UMConfigure;->init"),
        Some("gated")
    );
    assert_eq!(
        at_startup(
            s,
            "Lcom/umeng/commonsdk/UMConfigure;->submitPolicyGrantResult"
        ),
        Some("gated")
    );
    let risks: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| in_scope(&f.id) && f.verdict == "risk")
        .map(|f| f.id.as_str())
        .collect();
    assert!(
        risks.is_empty(),
        "no start-up risk expected: {risks:?}{}",
        r.text
    );
    // The negative twin of the block: no before-consent line.
    let top = before_consent_lines(&r);
    assert!(top.is_empty(), "{top:?}{}", r.text);
}

/// `UMConfigure.submitPolicyGrantResult(this, true)` in `onCreate` before
/// any consent check claims a consent nobody gave: a high risk naming the
/// call, `consent_claimed`, and the SDK does not start compliantly. The
/// twin passes `false` (the user has not agreed yet): allowed before
/// consent, pass.
#[test]
fn consent_claimed_with_a_constant_true() {
    for (name, value) in [("sdkclaim", "0x1"), ("sdkdecision", "0x0")] {
        let on_create = format!("Lfixture/{name}/App;->onCreate()V");
        let mut grant_at = 0;
        let Some((_, r)) = fixture(name, |b| {
            let d = &b.dump;
            grant_at = d.call(&on_create, "invoke-static", UM_GRANT);
            let branch = d.insn(&on_create, "if-eqz", "").offset;
            let set = d
                .method(&on_create)
                .iter()
                .rev()
                .find(|i| i.op == "const/4" && i.offset < grant_at)
                .unwrap_or_else(|| panic!("fixture broken: no const/4 before the grant"));
            assert!(
                set.args
                    .contains(&format!("v2, #int {}", value.trim_start_matches("0x")))
                    && grant_at < branch,
                "fixture broken: want const/4 v2, {value} then the grant before the check:\n{}",
                d.listing(&on_create)
            );
        }) else {
            return;
        };
        let id = "sdk_init.before_consent.umeng.common";
        let claimed = name == "sdkclaim";
        r.expect_verdict(id, if claimed { "risk" } else { "pass" });
        let fj = finding_json(&r, id);
        let init = &r.json["reachability"]["sdk_init"]
            .as_array()
            .and_then(|v| v.iter().find(|h| h["sdk"] == "umeng.common"))
            .cloned()
            .unwrap_or_default();
        let s = r.sdk("umeng.common");
        if claimed {
            assert_eq!(fj["severity"], "high", "{}", r.text);
            assert!(
                fj["title"]["zh"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("已同意"),
                "title names the claimed consent: {}",
                fj["title"]
            );
            r.expect_one_chain(
                id,
                &Chain {
                    entry: "application".into(),
                    component: format!("fixture.{name}.App"),
                    steps: vec![on_create.clone()],
                    hops: vec![],
                    target: UM_GRANT.into(),
                    dex: "classes.dex".into(),
                    offset: grant_at.into(),
                    subject: "app".into(),
                    gated: false,
                },
            );
            assert_eq!(init["consent_claimed"], true, "{init}");
            assert_eq!(s["compliant_init_used"], false, "{}", r.text);
        } else {
            assert!(init.get("consent_claimed").is_none(), "{init}");
            assert_eq!(s["compliant_init_used"], true, "{}", r.text);
        }
    }
}

/// A splash screen asks again from onRequestPermissionsResult (through a
/// helper of its own class): `perm.re_request` with that one call site. The
/// request in onCreate and a second screen that only records the answer are
/// not re-requests.
#[test]
fn permission_requested_again_after_the_answer() {
    const SPLASH: &str = "Lfixture/rerequest/SplashActivity;";
    let helper = format!("{SPLASH}->checkAndRequest()V");
    let callback = format!("{SPLASH}->onRequestPermissionsResult(I[Ljava/lang/String;[I)V");
    let request = format!("{SPLASH}->requestPermissions([Ljava/lang/String;I)V");
    let mut at = 0;
    let Some((_, r)) = fixture("rerequest", |b| {
        let d = &b.dump;
        d.call(&callback, "invoke-direct", &helper);
        d.call(
            &format!("{SPLASH}->onCreate(Landroid/os/Bundle;)V"),
            "invoke-direct",
            &helper,
        );
        at = d.call(&helper, "invoke-virtual", &request);
        let main =
            "Lfixture/rerequest/MainActivity;->onRequestPermissionsResult(I[Ljava/lang/String;[I)V";
        assert!(
            !d.method(main).iter().any(|i| i.op.starts_with("invoke")),
            "fixture broken: MainActivity's callback must call nothing"
        );
    }) else {
        return;
    };
    let f = finding_json(&r, "perm.re_request");
    assert_eq!(f["verdict"], "risk", "{}", r.text);
    let ev = f["evidence"].as_array().expect("evidence");
    assert_eq!(ev.len(), 1, "one re-request site: {ev:?}");
    assert_eq!(ev[0]["caller"], helper.as_str());
    assert_eq!(ev[0]["offset"], at);
    assert_eq!(ev[0]["subject"], "app");
    assert!(
        f["rule_ids"]
            .as_array()
            .is_some_and(|r| r.iter().any(|x| x == "191-3.2")),
        "cites 191-3.2"
    );
}

const STRS_CLINIT: &str = "Lcn/jpush/android/helper/Strs;-><clinit>()V";
const STRS_DECODE: &str = "Lcn/jpush/android/helper/Strs;->a(Ljava/lang/String;)Ljava/lang/String;";

/// Issue 15, 7 (c): an SDK class keeps a shell command, a getprop command and
/// a reflected method name XOR-encrypted and decrypts them in `<clinit>`.
/// pipa cannot match them (no `string.*` API use) and says so:
/// `code.obfuscated_strings`, manual, naming the class, its decryption
/// method and the SDK.
#[test]
fn encrypted_string_table_decrypted_at_class_init() {
    let mut first_call = 0;
    let Some((_, r)) = fixture("strtab", |b| {
        let d = &b.dump;
        let calls: Vec<&Insn> = d
            .method(STRS_CLINIT)
            .iter()
            .filter(|i| i.op == "invoke-static" && i.args.contains(&dd_ref(STRS_DECODE)))
            .collect();
        assert_eq!(
            calls.len(),
            3,
            "fixture broken:\n{}",
            d.listing(STRS_CLINIT)
        );
        first_call = calls[0].offset;
        d.insn(
            STRS_CLINIT,
            "sput-object",
            "Lcn/jpush/android/helper/Strs;.z:[Ljava/lang/String;",
        );
        d.insn(STRS_DECODE, "xor-int/lit8", "#int 5");
        d.insn(STRS_DECODE, "aget-char", "");
        assert!(
            d.method(STRS_DECODE)
                .iter()
                .any(|i| i.op == "goto" && i.args.contains("// -")),
            "fixture broken: the decoder loops:\n{}",
            d.listing(STRS_DECODE)
        );
        // Only ciphertext in the dex.
        for plain in ["cat /sys/class/net/wlan0/address", "getprop", "getDeviceId"] {
            let users = d.users_of(&format!("\"{plain}"));
            assert!(
                users.is_empty(),
                "fixture broken: {plain} in clear in {users:?}"
            );
        }
    }) else {
        return;
    };
    // The blind spot: the strings pipa matches are not visible.
    let string_uses: Vec<&str> = r.json["api_uses"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| u["api_id"].as_str())
        .filter(|id| id.starts_with("string."))
        .collect();
    assert!(
        string_uses.is_empty(),
        "string uses {string_uses:?}{}",
        r.text
    );
    r.expect_ids(&["code.obfuscated_strings"]);
    r.expect_verdict("code.obfuscated_strings", "manual");
    let f = finding_json(&r, "code.obfuscated_strings");
    let ev = f["evidence"].as_array().expect("evidence");
    assert_eq!(ev.len(), 1, "one class{}", r.text);
    assert_eq!(ev[0]["kind"], "code");
    assert_eq!(ev[0]["api"], STRS_DECODE);
    assert_eq!(ev[0]["caller"], STRS_CLINIT);
    assert_eq!(ev[0]["offset"], first_call);
    assert_eq!(ev[0]["dex"], "classes.dex");
    assert_eq!(ev[0]["subject"], format!("sdk:{JPUSH}"));
    let desc = f["description"]["zh"].as_str().unwrap_or_default();
    assert!(
        desc.contains("3 次解密调用") && desc.contains("极光"),
        "description: {desc}"
    );
}

/// The negative twin of `strtab`: the same class holds harmless constants in
/// plain text, passed through a helper that only trims. No finding.
#[test]
fn plain_string_table_is_not_obfuscated() {
    let Some((_, r)) = fixture("plaintab", |b| {
        let d = &b.dump;
        assert_eq!(
            d.method(STRS_CLINIT)
                .iter()
                .filter(|i| i.op == "invoke-static" && i.args.contains(&dd_ref(STRS_DECODE)))
                .count(),
            3
        );
        d.insn(STRS_CLINIT, "const-string", "\"heartbeat\"");
        assert!(
            !d.method(STRS_DECODE)
                .iter()
                .any(|i| i.op.starts_with("xor")),
            "fixture broken: no XOR"
        );
    }) else {
        return;
    };
    r.expect_ids(&[]);
}
