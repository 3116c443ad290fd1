//! Oracle test: every call chain `pipa scan` reports on real APKs, hop by
//! hop, against Debian's `dexdump -d`.
//!
//! The APKs are the registry fixtures (`$PIPA_FIXTURES`, default
//! `<repo>/.cache/fixtures`, with the SDK test APKs under `sdk-apks/`) and,
//! when present, the shared corpus (`../shared/corpus/apk`, never
//! committed). Each is scanned with `pipa scan --format json`; every
//! `{"kind": "chain"}` evidence of every finding is then read against the
//! disassembly of the APK's `classes*.dex` (unzipped to a temporary folder,
//! one `dexdump -d` per dex, in the class loader's order: the first
//! definition of a class wins, as in pipa's call graph):
//!
//! - a `call` hop from step i to step i+1: step i's body has an `invoke-*`
//!   of step i+1's name and prototype on a class that is step i+1's class,
//!   a subclass of it (an inherited method) or — for `invoke-virtual` and
//!   `invoke-interface` only — a supertype of it (dispatch to an override,
//!   which is where class hierarchy analysis over-approximates);
//! - `async`: step i constructs (`invoke-direct <init>` or `new-instance`)
//!   step i+1's class or a subclass of it;
//! - `clinit`: step i+1 is a `<clinit>`, and step i calls a static method
//!   of its class (or of a subclass), creates an instance of it or reads one
//!   of its static fields;
//! - `component`: step i loads step i+1's class (or a subclass) with
//!   `const-class`;
//! - the last step has an instruction at exactly `offset` that references
//!   `target` (the invoked method, the field read, the string loaded); for
//!   `sdk_init.before_consent.*`, whose target is the SDK method the edge
//!   reaches, the instruction may name it through a subclass or reach it by
//!   one of the implicit hops; when the target is the last step itself (an
//!   SDK's own entry point, a `launch.*` caller) an instruction must start at
//!   `offset` (for `launch.*` an invoke, the launch call);
//! - the first step is a method of the entry component (or of one of its
//!   superclasses), `dex` is the dex that defines the last step, and `hops`
//!   has one kind per step after the first.
//!
//! The summary per APK (chains, hops by kind, call hops by how the invoked
//! class relates to the callee, targets) is printed; `PIPA_CHAINS_VERBOSE=1`
//! also prints every chain with the instruction that justifies each hop.
//! Skipped with a notice when `dexdump` is missing, when no APK is present,
//! or (per APK) when dexdump rejects one of its dex files.

use pipa_testkit::{
    apks_under, corpus_apks, corpus_dir, fixtures_dir, have_tool, unzip_entry, zip_entry_names,
};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const ENTRIES: &[&str] = &[
    "application",
    "provider",
    "initializer",
    "receiver",
    "service",
    "job",
    // A method scheduling a repeating alarm/job (`background.self_start.*`):
    // the component is its class, checked like the others.
    "periodic",
];
const HOPS: &[&str] = &["call", "async", "clinit", "component"];

// ---------------------------------------------------------------------------
// The chains pipa reports

/// One `{"kind": "chain"}` evidence and the finding that cites it.
#[derive(Debug, Clone)]
struct Chain {
    finding: String,
    entry: String,
    component: String,
    steps: Vec<String>,
    hops: Vec<String>,
    target: String,
    dex: String,
    offset: u32,
    subject: String,
    gated: bool,
}

impl Chain {
    fn from_json(finding: &str, v: &Value) -> Result<Chain, String> {
        let s = |k: &str| {
            v.get(k)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| format!("chain evidence without string `{k}`: {v}"))
        };
        let list = |k: &str| -> Result<Vec<String>, String> {
            v.get(k)
                .and_then(Value::as_array)
                .ok_or_else(|| format!("chain evidence without list `{k}`: {v}"))?
                .iter()
                .map(|x| {
                    x.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| format!("chain `{k}` item not a string: {v}"))
                })
                .collect()
        };
        Ok(Chain {
            finding: finding.to_string(),
            entry: s("entry")?,
            component: s("component")?,
            steps: list("steps")?,
            hops: list("hops")?,
            target: s("target")?,
            dex: s("dex")?,
            offset: v
                .get("offset")
                .and_then(Value::as_u64)
                .and_then(|o| u32::try_from(o).ok())
                .ok_or_else(|| format!("chain evidence without `offset`: {v}"))?,
            subject: s("subject")?,
            gated: v
                .get("gated")
                .and_then(Value::as_bool)
                .ok_or_else(|| format!("chain evidence without `gated`: {v}"))?,
        })
    }

    fn render(&self) -> String {
        let mut s = format!(
            "{} — {} {} [{}] {}",
            self.finding,
            self.entry,
            self.component,
            self.subject,
            if self.gated { "gated" } else { "ungated" }
        );
        for (n, step) in self.steps.iter().enumerate() {
            match n.checked_sub(1).map(|h| self.hops.get(h)) {
                None => {
                    let _ = write!(s, "\n        {step}");
                }
                Some(Some(h)) => {
                    let _ = write!(s, "\n        -{h}-> {step}");
                }
                Some(None) => {
                    let _ = write!(s, "\n        -(no hop)-> {step}");
                }
            }
        }
        let _ = write!(
            s,
            "\n        target {} @ {}:{:#06x}",
            self.target, self.dex, self.offset
        );
        s
    }
}

/// `pipa scan <apk> --format json`, parsed.
fn scan_json(apk: &Path) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_pipa"))
        .arg("scan")
        .arg(apk)
        .args(["--format", "json"])
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("run pipa");
    assert_eq!(
        out.status.code(),
        Some(0),
        "pipa scan {}: {}",
        apk.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("scan JSON parses")
}

/// Every chain of every finding; malformed evidence goes to `bad`.
fn chains_of(a: &Value, bad: &mut Vec<String>) -> Vec<Chain> {
    let mut out = Vec::new();
    for f in a["findings"].as_array().into_iter().flatten() {
        let id = f["id"].as_str().unwrap_or("?");
        for e in f["evidence"].as_array().into_iter().flatten() {
            if e["kind"] != "chain" {
                continue;
            }
            match Chain::from_json(id, e) {
                Ok(c) => out.push(c),
                Err(why) => bad.push(format!("{id}: {why}")),
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Smali and dexdump references

/// A method or field reference: class descriptor, member name, and the rest
/// (`(I)V` for a method, `I` for a field).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Member {
    class: String,
    name: String,
    sig: String,
}

impl Member {
    /// `Lx/Y;->m(I)V` or `Lx/Y;->f:I`.
    fn from_smali(s: &str) -> Option<Member> {
        let (class, rest) = s.split_once("->")?;
        let (name, sig) = match rest.find('(') {
            Some(p) => (&rest[..p], &rest[p..]),
            None => {
                let (n, t) = rest.split_once(':')?;
                (n, t)
            }
        };
        Some(Member {
            class: class.to_string(),
            name: name.to_string(),
            sig: sig.to_string(),
        })
    }

    /// dexdump's `Lx/Y;.m:(I)V` or `Lx/Y;.f:I` (descriptors hold no `.`).
    fn from_dexdump(s: &str) -> Option<Member> {
        let (class, rest) = s.split_once('.')?;
        let (name, sig) = rest.split_once(':')?;
        Some(Member {
            class: class.to_string(),
            name: name.to_string(),
            sig: sig.to_string(),
        })
    }

    fn is_method(&self) -> bool {
        self.sig.starts_with('(')
    }

    fn smali(&self) -> String {
        if self.is_method() {
            format!("{}->{}{}", self.class, self.name, self.sig)
        } else {
            format!("{}->{}:{}", self.class, self.name, self.sig)
        }
    }
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

impl Insn {
    /// The referenced item without dexdump's `// kind@index` comment: a
    /// method or field (`Lx;.m:(I)V`, `Lx;.f:I`), a type (`Lx;`) or a
    /// quoted string.
    fn reference(&self) -> &str {
        let a = self
            .args
            .rsplit_once(" // ")
            .map_or(self.args.as_str(), |(l, _)| l);
        if self.op.starts_with("invoke-") {
            let r = a.split_once("}, ").map_or(a, |(_, r)| r);
            // invoke-polymorphic: `Lx;.invoke:([Ljava/lang/Object;)Ljava/lang/Object;, (I)V`
            r.split_once(", ").map_or(r, |(m, _)| m)
        } else if self.op.starts_with("const-string") {
            a.find('"').map_or(a, |p| &a[p..])
        } else {
            a.rsplit_once(", ").map_or(a, |(_, r)| r)
        }
    }

    fn member(&self) -> Option<Member> {
        Member::from_dexdump(self.reference())
    }

    fn is_invoke(&self) -> bool {
        self.op.starts_with("invoke-")
    }

    /// `invoke-virtual` and `invoke-interface` (and their `/range` forms):
    /// the calls that dispatch on the receiver's class.
    fn is_dispatch(&self) -> bool {
        self.op.starts_with("invoke-virtual") || self.op.starts_with("invoke-interface")
    }

    fn show(&self) -> String {
        format!("{:04x}: {} {}", self.offset, self.op, self.args)
    }
}

#[derive(Debug, Clone)]
struct ClassInfo {
    superclass: Option<String>,
    interfaces: Vec<String>,
}

/// What one dex holds: every class with its supertypes, and the bodies of
/// the methods asked for.
#[derive(Debug, Default)]
struct DexDump {
    classes: Vec<(String, Option<String>, Vec<String>)>,
    /// Smali method → (class, instructions).
    bodies: Vec<(String, String, Vec<Insn>)>,
}

/// `'Lx/Y;'` (dexdump quotes) → `Lx/Y;`.
fn unquote(s: &str) -> String {
    s.trim().trim_matches('\'').to_string()
}

/// Runs `dexdump -d` on one dex, keeping the bodies of `wanted` methods
/// only (the dump of a large app is hundreds of megabytes). `Err` when
/// dexdump rejects the file.
fn dexdump(path: &Path, wanted: &HashSet<String>) -> Result<DexDump, String> {
    let mut child = Command::new("dexdump")
        .arg("-d")
        .arg(path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("dexdump: {e}"))?;
    let stdout = child.stdout.take().ok_or("dexdump: no stdout")?;
    let mut stderr = child.stderr.take().ok_or("dexdump: no stderr")?;
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let mut d = DexDump::default();
    #[derive(PartialEq)]
    enum Section {
        Other,
        Interfaces,
        Fields,
        Methods,
    }
    let mut section = Section::Other;
    let mut class: Option<(String, Option<String>, Vec<String>)> = None;
    let mut name: Option<String> = None;
    // Index into d.bodies of the method being read, when it is wanted.
    let mut body: Option<usize> = None;
    let mut reader = BufReader::with_capacity(1 << 20, stdout);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => return Err(format!("reading dexdump output: {e}")),
        }
        // Instruction lines start with the file offset (`0f7174: 7010 …|0000: op …`).
        if buf.first().is_some_and(u8::is_ascii_hexdigit) && !buf.starts_with(b"Class #") {
            let Some(i) = body else { continue };
            let line = String::from_utf8_lossy(&buf);
            let Some((_, code)) = line.split_once('|') else {
                continue;
            };
            let code = code.trim_end_matches(['\n', '\r']);
            if code.starts_with('[') {
                continue;
            }
            let Some((off, ins)) = code.split_once(": ") else {
                continue;
            };
            let Ok(offset) = u32::from_str_radix(off.trim(), 16) else {
                continue;
            };
            let (op, args) = ins.split_once(' ').unwrap_or((ins, ""));
            d.bodies[i].2.push(Insn {
                offset,
                op: op.to_string(),
                args: args.to_string(),
            });
            continue;
        }
        let line = String::from_utf8_lossy(&buf);
        let t = line.trim();
        if line.starts_with("Class #") {
            if let Some(c) = class.take() {
                d.classes.push(c);
            }
            section = Section::Other;
            body = None;
        } else if let Some(v) = t.strip_prefix("Class descriptor  :") {
            class = Some((unquote(v), None, Vec::new()));
        } else if let Some(v) = t.strip_prefix("Superclass        :") {
            if let Some(c) = class.as_mut() {
                let s = unquote(v);
                c.1 = (!s.is_empty()).then_some(s);
            }
        } else if t.starts_with("Interfaces        -") {
            section = Section::Interfaces;
        } else if t.starts_with("Static fields") || t.starts_with("Instance fields") {
            section = Section::Fields;
            body = None;
        } else if t.starts_with("Direct methods") || t.starts_with("Virtual methods") {
            section = Section::Methods;
            body = None;
        } else if t.starts_with("source_file_idx") {
            section = Section::Other;
            body = None;
        } else if section == Section::Interfaces && t.starts_with('#') {
            if let (Some(c), Some((_, v))) = (class.as_mut(), t.split_once(':')) {
                c.2.push(unquote(v));
            }
        } else if section == Section::Methods {
            if let Some(v) = t.strip_prefix("name          :") {
                name = Some(unquote(v));
                body = None;
            } else if let Some(v) = t.strip_prefix("type          :")
                && let (Some(c), Some(n)) = (class.as_ref(), name.take())
            {
                let key = format!("{}->{}{}", c.0, n, unquote(v));
                if wanted.contains(&key) {
                    d.bodies.push((key, c.0.clone(), Vec::new()));
                    body = Some(d.bodies.len() - 1);
                }
            }
        }
    }
    if let Some(c) = class.take() {
        d.classes.push(c);
    }
    let status = child.wait().map_err(|e| format!("dexdump: {e}"))?;
    let err = err_reader.join().unwrap_or_default();
    if !status.success() || err.contains("Failure") {
        let first = err.lines().next().unwrap_or("").to_string();
        return Err(format!("dexdump exit {status}: {first}"));
    }
    if d.classes.is_empty() {
        return Err("dexdump printed no class".into());
    }
    Ok(d)
}

/// The code of one APK as dexdump shows it.
#[derive(Debug, Default)]
struct Code {
    dex_names: Vec<String>,
    classes: HashMap<String, ClassInfo>,
    bodies: HashMap<String, (usize, Vec<Insn>)>,
    duplicate_classes: usize,
}

/// `classes.dex` → 1, `classesN.dex` → N.
fn dex_number(name: &str) -> Option<u32> {
    let mid = name.strip_prefix("classes")?.strip_suffix(".dex")?;
    if mid.is_empty() {
        Some(1)
    } else if mid.starts_with('0') {
        None
    } else {
        mid.parse().ok()
    }
}

impl Code {
    /// Unzips the APK's `classes*.dex` and dumps them (in parallel), keeping
    /// the bodies of `wanted`.
    fn load(apk: &Path, wanted: &HashSet<String>) -> Result<Code, String> {
        let mut names: Vec<(u32, String)> = zip_entry_names(apk)?
            .into_iter()
            .filter_map(|n| dex_number(&n).map(|k| (k, n)))
            .collect();
        names.sort();
        names.dedup();
        if names.is_empty() {
            return Err("no classes*.dex".into());
        }
        let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
        let mut files = Vec::new();
        for (_, n) in &names {
            let bytes = unzip_entry(apk, n)?.ok_or_else(|| format!("{n}: no such entry"))?;
            let p = tmp.path().join(n);
            std::fs::write(&p, bytes).map_err(|e| format!("{}: {e}", p.display()))?;
            files.push(p);
        }
        let dumps: Vec<Result<DexDump, String>> = std::thread::scope(|s| {
            let hs: Vec<_> = files
                .iter()
                .map(|p| s.spawn(move || dexdump(p, wanted)))
                .collect();
            hs.into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err("dexdump thread panicked".into()))
                })
                .collect()
        });
        let mut code = Code::default();
        for (k, (dump, (_, name))) in dumps.into_iter().zip(&names).enumerate() {
            let dump = dump.map_err(|e| format!("{name}: {e}"))?;
            code.dex_names.push(name.clone());
            // The first definition of a class wins (Android's class loader).
            let mut fresh: HashSet<String> = HashSet::new();
            for (desc, superclass, interfaces) in dump.classes {
                if code.classes.contains_key(&desc) {
                    code.duplicate_classes += 1;
                    continue;
                }
                fresh.insert(desc.clone());
                code.classes.insert(
                    desc,
                    ClassInfo {
                        superclass,
                        interfaces,
                    },
                );
            }
            for (key, class, insns) in dump.bodies {
                if fresh.contains(&class) {
                    code.bodies.entry(key).or_insert((k, insns));
                }
            }
        }
        Ok(code)
    }

    fn body(&self, method: &str) -> Option<&[Insn]> {
        self.bodies.get(method).map(|(_, v)| v.as_slice())
    }

    /// `t`, its superclasses and interfaces (those of classes outside the
    /// app are not known: the walk stops there).
    fn ancestors(&self, t: &str) -> Vec<String> {
        let mut out = vec![t.to_string()];
        let mut i = 0;
        while i < out.len() && out.len() < 256 {
            if let Some(c) = self.classes.get(&out[i]) {
                for a in c.superclass.iter().chain(&c.interfaces) {
                    if !out.contains(a) {
                        out.push(a.clone());
                    }
                }
            }
            i += 1;
        }
        out
    }

    fn is_subtype(&self, t: &str, base: &str) -> bool {
        t == base || self.ancestors(t).iter().any(|a| a == base)
    }

    /// Some app class that is a subtype of both `a` and `b` (a class that
    /// implements interface `a` and inherits `b`'s method).
    fn common_subtype(&self, a: &str, b: &str) -> Option<&str> {
        self.classes
            .keys()
            .find(|k| {
                let anc = self.ancestors(k);
                anc.iter().any(|x| x == a) && anc.iter().any(|x| x == b)
            })
            .map(String::as_str)
    }
}

// ---------------------------------------------------------------------------
// Checking a chain

/// How a `call` hop's invoke names the callee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum CallKind {
    /// The invoke names the callee's class.
    Exact,
    /// It names a subclass that inherits the method.
    Inherited,
    /// A virtual/interface call on a supertype: an override in a subclass
    /// (class hierarchy analysis).
    Dispatch,
    /// An interface call that a class implementing the interface answers
    /// with a method it inherits from the callee's class.
    DispatchInherited,
}

/// Tallies for one APK.
#[derive(Debug, Default)]
struct Tally {
    chains: usize,
    hops: BTreeMap<String, usize>,
    calls: BTreeMap<String, usize>,
    targets: usize,
}

fn method_of(s: &str) -> Result<Member, String> {
    Member::from_smali(s)
        .filter(Member::is_method)
        .ok_or_else(|| format!("`{s}` is not a smali method"))
}

/// The invoke in `body` that makes the `call` hop to `to`, classified.
fn call_hop<'a>(
    code: &Code,
    body: &'a [Insn],
    to: &Member,
) -> Result<(CallKind, &'a Insn), String> {
    let mut best: Option<(CallKind, &Insn)> = None;
    let mut unrelated: Vec<String> = Vec::new();
    for i in body.iter().filter(|i| i.is_invoke()) {
        let Some(m) = i.member() else { continue };
        if m.name != to.name || m.sig != to.sig {
            continue;
        }
        let kind = if m.class == to.class {
            Some(CallKind::Exact)
        } else if code.is_subtype(&m.class, &to.class) {
            Some(CallKind::Inherited)
        } else if i.is_dispatch() && code.is_subtype(&to.class, &m.class) {
            Some(CallKind::Dispatch)
        } else if i.op.starts_with("invoke-interface")
            && code.common_subtype(&m.class, &to.class).is_some()
        {
            Some(CallKind::DispatchInherited)
        } else {
            None
        };
        match kind {
            Some(k) if best.is_none_or(|(b, _)| k < b) => best = Some((k, i)),
            Some(_) => {}
            None => unrelated.push(i.show()),
        }
    }
    best.ok_or_else(|| {
        if unrelated.is_empty() {
            format!("no invoke of *.{}:{}", to.name, to.sig)
        } else {
            format!(
                "invokes of {}:{} only on classes unrelated to {} ({})",
                to.name,
                to.sig,
                to.class,
                unrelated.join("; ")
            )
        }
    })
}

/// The instruction in `body` that makes an `async` hop to `to`.
fn async_hop<'a>(code: &Code, body: &'a [Insn], to: &Member) -> Option<&'a Insn> {
    let direct = body.iter().find(|i| {
        i.op.starts_with("invoke-direct")
            && i.member()
                .is_some_and(|m| m.name == "<init>" && code.is_subtype(&m.class, &to.class))
    });
    direct.or_else(|| {
        body.iter()
            .find(|i| i.op == "new-instance" && code.is_subtype(i.reference(), &to.class))
    })
}

/// The instruction in `body` that makes a `clinit` hop to `to`.
fn clinit_hop<'a>(code: &Code, body: &'a [Insn], to: &Member) -> Option<&'a Insn> {
    if to.name != "<clinit>" {
        return None;
    }
    body.iter().find(|i| {
        if i.op.starts_with("invoke-static") {
            i.member()
                .is_some_and(|m| code.is_subtype(&m.class, &to.class))
        } else if i.op == "new-instance" {
            i.reference() == to.class
        } else if i.op.starts_with("sget") {
            i.member().is_some_and(|m| m.class == to.class)
        } else {
            false
        }
    })
}

/// The instruction in `body` that makes a `component` hop to `to`.
fn component_hop<'a>(code: &Code, body: &'a [Insn], to: &Member) -> Option<&'a Insn> {
    body.iter()
        .find(|i| i.op == "const-class" && code.is_subtype(i.reference(), &to.class))
}

/// Rust's `{:?}` of a string (how pipa quotes a string constant target).
fn debug_quoted(s: &str) -> String {
    format!("{s:?}")
}

/// dexdump's operand of `const-string` (`"…"`) → the string.
fn dexdump_string(r: &str) -> &str {
    r.strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .unwrap_or(r)
}

/// Checks the last step's instruction at `offset` against `target`.
fn check_target(code: &Code, c: &Chain, last: &str, body: &[Insn]) -> Result<String, String> {
    let Some(insn) = body.iter().find(|i| i.offset == c.offset) else {
        return Err(format!(
            "no instruction of {last} starts at offset {:#06x}",
            c.offset
        ));
    };
    let shown = insn.show();
    if c.target.starts_with('"') {
        let ok = insn.op.starts_with("const-string")
            && debug_quoted(dexdump_string(insn.reference())) == c.target;
        return if ok {
            Ok(shown)
        } else {
            Err(format!(
                "at {:#06x} dexdump shows `{shown}`, not const-string {}",
                c.offset, c.target
            ))
        };
    }
    if c.target == last {
        // The component itself (an SDK's provider), or a launch.* caller
        // whose offset is its launch call.
        let ok = !c.finding.starts_with("launch.") || insn.is_invoke();
        return if ok {
            Ok(shown)
        } else {
            Err(format!(
                "target is the last step; at {:#06x} dexdump shows `{shown}`, not the launch call",
                c.offset
            ))
        };
    }
    let Some(want) = Member::from_smali(&c.target) else {
        return Err(format!("target `{}` is no smali member", c.target));
    };
    if insn.member().as_ref() == Some(&want) {
        return Ok(shown);
    }
    // sdk_init: the target is the method the edge reaches.
    if c.finding.starts_with("sdk_init.before_consent.") && want.is_method() {
        let one = std::slice::from_ref(insn);
        let ok = call_hop(code, one, &want).is_ok()
            || clinit_hop(code, one, &want).is_some()
            || async_hop(code, one, &want).is_some()
            || component_hop(code, one, &want).is_some();
        if ok {
            return Ok(shown);
        }
    }
    Err(format!(
        "at {:#06x} dexdump shows `{shown}`, which does not reference {}",
        c.offset, c.target
    ))
}

/// Checks one chain; on success returns what justifies each hop and the
/// target (for the verbose listing).
fn check_chain(code: &Code, c: &Chain, tally: &mut Tally) -> Result<Vec<String>, Vec<String>> {
    let mut why = Vec::new();
    let mut notes = Vec::new();
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
    if let Some(first) = c.steps.first()
        && let Ok(m) = method_of(first)
    {
        let comp = format!("L{};", c.component.replace('.', "/"));
        if !code.is_subtype(&comp, &m.class) {
            why.push(format!(
                "first step {first} is not a method of the component {} or its superclasses",
                c.component
            ));
        }
    }
    for (n, hop) in c.hops.iter().enumerate() {
        let (Some(from), Some(to)) = (c.steps.get(n), c.steps.get(n + 1)) else {
            continue;
        };
        let Some(body) = code.body(from) else {
            why.push(format!("step {n}: {from} has no code in any dex"));
            continue;
        };
        let to_m = match method_of(to) {
            Ok(m) => m,
            Err(e) => {
                why.push(format!("step {}: {e}", n + 1));
                continue;
            }
        };
        if code.body(to).is_none() {
            why.push(format!("step {}: {to} has no code in any dex", n + 1));
        }
        *tally.hops.entry(hop.clone()).or_default() += 1;
        let found = match hop.as_str() {
            "call" => match call_hop(code, body, &to_m) {
                Ok((k, i)) => {
                    *tally.calls.entry(format!("{k:?}")).or_default() += 1;
                    Ok(format!("{k:?}: {}", i.show()))
                }
                Err(e) => Err(e),
            },
            "async" => async_hop(code, body, &to_m).map(Insn::show).ok_or_else(|| {
                format!(
                    "no invoke-direct <init> or new-instance of {} or a subclass",
                    to_m.class
                )
            }),
            "clinit" => clinit_hop(code, body, &to_m)
                .map(Insn::show)
                .ok_or_else(|| {
                    format!(
                        "not a <clinit>, or no invoke-static / new-instance / sget of {}",
                        to_m.class
                    )
                }),
            "component" => component_hop(code, body, &to_m)
                .map(Insn::show)
                .ok_or_else(|| format!("no const-class of {} or a subclass", to_m.class)),
            other => Err(format!("hop `{other}` not one of {HOPS:?}")),
        };
        match found {
            Ok(s) => notes.push(format!("hop {n} {hop}: {s}")),
            Err(e) => why.push(format!(
                "hop {n} `{hop}` {from} → {to}: {e}\n          {from} per dexdump:\n{}",
                listing(body)
            )),
        }
    }
    if let Some(last) = c.steps.last() {
        match (code.bodies.get(last), method_of(last)) {
            (Some((k, body)), Ok(_)) => {
                let defined_in = code.dex_names.get(*k).map_or("?", String::as_str);
                if c.dex != defined_in {
                    why.push(format!(
                        "dex `{}` but the last step's class is defined (first) in {defined_in}",
                        c.dex
                    ));
                }
                match check_target(code, c, last, body) {
                    Ok(s) => {
                        tally.targets += 1;
                        notes.push(format!("target: {s}"));
                    }
                    Err(e) => why.push(format!(
                        "target: {e}\n          {last} per dexdump:\n{}",
                        listing(body)
                    )),
                }
            }
            (None, Ok(_)) => why.push(format!("last step {last} has no code in any dex")),
            (_, Err(e)) => why.push(format!("last step: {e}")),
        }
    }
    tally.chains += 1;
    if why.is_empty() { Ok(notes) } else { Err(why) }
}

/// The oracle itself: the first good chain of an APK, corrupted (steps
/// reversed; the target offset moved by one code unit), must be rejected.
fn oracle_rejects_corruptions(code: &Code, c: &Chain) -> Vec<String> {
    let mut reversed = c.clone();
    reversed.steps.reverse();
    reversed.hops.reverse();
    let mut moved = c.clone();
    moved.offset += 1;
    let mut scratch = Tally::default();
    [("steps reversed", reversed), ("offset + 1", moved)]
        .into_iter()
        .filter(|(_, bad)| check_chain(code, bad, &mut scratch).is_ok())
        .map(|(how, bad)| {
            format!(
                "oracle broken: accepts a corrupted chain ({how}):\n      {}",
                bad.render()
            )
        })
        .collect()
}

/// A method body for messages (at most 80 instructions).
fn listing(body: &[Insn]) -> String {
    let mut s: Vec<String> = body
        .iter()
        .take(80)
        .map(|i| format!("            {}", i.show()))
        .collect();
    if body.len() > 80 {
        s.push(format!("            … {} more", body.len() - 80));
    }
    s.join("\n")
}

// ---------------------------------------------------------------------------
// The tests

/// Scans and checks each APK; failures are gathered and asserted at the end.
fn check_apks(label: &str, apks: &[PathBuf]) {
    if !have_tool("dexdump") {
        eprintln!("chains_dexdump: notice: dexdump not installed; {label} skipped");
        return;
    }
    let verbose = std::env::var_os("PIPA_CHAINS_VERBOSE").is_some_and(|v| v != "0");
    let mut failures: Vec<String> = Vec::new();
    let mut total = Tally::default();
    for apk in apks {
        let name = apk.file_name().map_or_else(
            || apk.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let json = scan_json(apk);
        let mut bad = Vec::new();
        let chains = chains_of(&json, &mut bad);
        failures.extend(bad.into_iter().map(|b| format!("{name}: {b}")));
        if chains.is_empty() {
            eprintln!("chains_dexdump: {name}: no chains");
            continue;
        }
        let wanted: HashSet<String> = chains.iter().flat_map(|c| c.steps.clone()).collect();
        let t0 = std::time::Instant::now();
        let code = match Code::load(apk, &wanted) {
            Ok(c) => c,
            Err(e) => {
                eprintln!(
                    "chains_dexdump: notice: {name}: {e}; its {} chains not checked",
                    chains.len()
                );
                continue;
            }
        };
        let dump_ms = t0.elapsed().as_millis();
        let mut tally = Tally::default();
        let mut self_checked = false;
        for c in &chains {
            match check_chain(&code, c, &mut tally) {
                Ok(notes) => {
                    if !self_checked && c.steps.len() > 1 {
                        self_checked = true;
                        failures.extend(
                            oracle_rejects_corruptions(&code, c)
                                .into_iter()
                                .map(|f| format!("{name}: {f}")),
                        );
                    }
                    if verbose {
                        eprintln!(
                            "chains_dexdump: {name}: ok {}\n      {}",
                            c.render(),
                            notes.join("\n      ")
                        );
                    }
                }
                Err(why) => failures.push(format!(
                    "{name}: {}\n      {}",
                    c.render(),
                    why.join("\n      ")
                )),
            }
        }
        eprintln!(
            "chains_dexdump: {name}: {} chains, hops {:?}, call hops {:?}, {} targets; {} dex, \
             {} classes ({} duplicate definitions ignored), dexdump {dump_ms} ms",
            tally.chains,
            tally.hops,
            tally.calls,
            tally.targets,
            code.dex_names.len(),
            code.classes.len(),
            code.duplicate_classes
        );
        total.chains += tally.chains;
        total.targets += tally.targets;
        for (k, v) in tally.hops {
            *total.hops.entry(k).or_default() += v;
        }
        for (k, v) in tally.calls {
            *total.calls.entry(k).or_default() += v;
        }
    }
    eprintln!(
        "chains_dexdump: {label}: {} APKs, {} chains, hops {:?}, call hops {:?}, {} targets, {} failures",
        apks.len(),
        total.chains,
        total.hops,
        total.calls,
        total.targets,
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} chains disagree with dexdump:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

#[test]
fn registry_chains_match_dexdump() {
    let dir = fixtures_dir();
    let apks = apks_under(&dir);
    if apks.is_empty() {
        eprintln!(
            "chains_dexdump: notice: no APK under {} (run scripts/fetch-fixtures.sh and \
             scripts/build-sdk-apks.sh); skipped",
            dir.display()
        );
        return;
    }
    check_apks("registry fixtures", &apks);
}

#[test]
fn corpus_chains_match_dexdump() {
    let apks = corpus_apks();
    if apks.is_empty() {
        eprintln!(
            "chains_dexdump: notice: no corpus at {}; skipped",
            corpus_dir().display()
        );
        return;
    }
    check_apks("corpus", &apks);
}

#[test]
fn references_parse_like_dexdump_prints_them() {
    let i = |op: &str, args: &str| Insn {
        offset: 0,
        op: op.into(),
        args: args.into(),
    };
    let inv = i(
        "invoke-virtual",
        "{v0, v1}, Landroid/telephony/TelephonyManager;.getDeviceId:()Ljava/lang/String; // method@0034",
    );
    assert_eq!(
        inv.member().map(|m| m.smali()).as_deref(),
        Some("Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;")
    );
    let poly = i(
        "invoke-polymorphic",
        "{v0, v1}, Ljava/lang/invoke/MethodHandle;.invoke:([Ljava/lang/Object;)Ljava/lang/Object;, (I)V // method@0001, proto@0002",
    );
    assert_eq!(
        poly.reference(),
        "Ljava/lang/invoke/MethodHandle;.invoke:([Ljava/lang/Object;)Ljava/lang/Object;"
    );
    let sget = i(
        "sget-object",
        "v0, Landroid/os/Build;.SERIAL:Ljava/lang/String; // field@0012",
    );
    assert_eq!(
        sget.member().map(|m| m.smali()).as_deref(),
        Some("Landroid/os/Build;->SERIAL:Ljava/lang/String;")
    );
    let cc = i("const-class", "v1, Lx/Svc; // type@0007");
    assert_eq!(cc.reference(), "Lx/Svc;");
    let s = i("const-string", "v0, \"a, b // c\" // string@0009");
    assert_eq!(debug_quoted(dexdump_string(s.reference())), "\"a, b // c\"");
    assert_eq!(
        Member::from_smali("Lx/Y;->f:I"),
        Some(Member {
            class: "Lx/Y;".into(),
            name: "f".into(),
            sig: "I".into()
        })
    );
}
