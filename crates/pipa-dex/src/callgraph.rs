//! A call graph over all dex files of an app, built from the [`CodeIndex`].
//!
//! Nodes are the methods with code that the app defines (the first
//! definition of a class wins, as in Android's class loader). Edges:
//!
//! - **call**: `invoke-static`/`-direct`/`-super` resolve up the class
//!   hierarchy to the defining method; `invoke-virtual`/`-interface` also
//!   reach every override in the subtypes of the referenced class (class
//!   hierarchy analysis) when the app defines the referenced class, unless
//!   there are more than
//!   [`CallGraphOptions::max_fanout`] of them (then only the resolved method;
//!   such sites are counted as megamorphic);
//! - **async**: constructing an object of a class that extends or implements
//!   one of [`CallGraphOptions::async_types`] (Runnable, Handler, AsyncTask,
//!   Kotlin lambdas, …) reaches its callbacks (`run`, `handleMessage`, …)
//!   from the constructing method;
//! - **clinit**: `invoke-static`, `new-instance` and `sget` of another class
//!   reach that class's static initialiser;
//! - **component**: `const-class` of one of
//!   [`CallGraphOptions::component_types`] (the app's services, receivers,
//!   workers: `new Intent(ctx, X.class)`) in a method that also calls one of
//!   [`CallGraphOptions::component_start_apis`] reaches its lifecycle
//!   methods.
//!
//! Reachability ([`CallGraph::reach`]) is a breadth-first search from a set
//! of roots that keeps, for every method reached, the edge it was first
//! reached by: the chain back to a root is a shortest one.

use std::borrow::Cow;
use std::collections::HashMap;

use foldhash::fast::RandomState;
use rayon::prelude::*;
use serde::Serialize;

use crate::dex::Dex;
use crate::index::CodeIndex;
use crate::sites::MethodHandle;

type Map<K, V> = HashMap<K, V, RandomState>;

/// "None" for node and type ids.
pub const NONE: u32 = u32::MAX;

/// Bound on class-hierarchy walks (depth of supers, interfaces visited).
const MAX_DEPTH: usize = 64;
/// Descendants visited for one virtual call before it counts as megamorphic.
const MAX_DESCENDANTS: usize = 4096;

/// How a method reaches the next one in a chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Hop {
    /// A call instruction.
    Call,
    /// An object handed to a thread, handler, executor or coroutine.
    Async,
    /// A static initialiser run on first use of a class.
    Clinit,
    /// A service, receiver or worker of the app started by class literal.
    Component,
}

impl Hop {
    /// `call`, `async`, `clinit`, `component`.
    pub fn as_str(self) -> &'static str {
        match self {
            Hop::Call => "call",
            Hop::Async => "async",
            Hop::Clinit => "clinit",
            Hop::Component => "component",
        }
    }
}

/// What the graph builder needs to know about the platform.
#[derive(Debug, Clone)]
pub struct CallGraphOptions {
    /// Types whose objects run code asynchronously once constructed, with
    /// the callback methods that run: (`Ljava/lang/Runnable;`, [`run`]).
    pub async_types: Vec<(String, Vec<String>)>,
    /// Classes the app starts by class literal (its services, receivers,
    /// workers), with their lifecycle methods; a class literal of the type
    /// or of any subtype counts.
    pub component_types: Vec<(String, Vec<String>)>,
    /// Calls (class descriptor, method name) that turn a class literal into
    /// a start (`Intent.<init>`, `ComponentName.<init>`, WorkManager request
    /// builders, `JobIntentService.enqueueWork`): a `const-class` counts only
    /// in a method that also makes one of them. Empty: every `const-class`.
    pub component_start_apis: Vec<(String, String)>,
    /// A virtual or interface call with more targets than this keeps only
    /// the statically resolved one.
    pub max_fanout: usize,
}

impl Default for CallGraphOptions {
    fn default() -> Self {
        CallGraphOptions {
            async_types: Vec::new(),
            component_types: Vec::new(),
            component_start_apis: Vec::new(),
            max_fanout: 64,
        }
    }
}

/// Counts for `--timings` and notes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CallGraphStats {
    /// Classes defined (first definitions).
    pub classes: u32,
    /// Classes defined again in a later dex (ignored, as Android does).
    pub duplicate_classes: u32,
    /// Methods with code (nodes).
    pub methods: u32,
    /// Edges after de-duplication.
    pub edges: u32,
    /// Call sites to methods the app does not define (framework, missing).
    pub external_calls: u32,
    /// Virtual/interface call sites cut to the resolved method.
    pub megamorphic_calls: u32,
    /// Async, clinit and component edges.
    pub implicit_edges: u32,
}

#[derive(Debug, Clone, Copy)]
struct Edge {
    to: u32,
    offset: u32,
    hop: Hop,
    /// Reached through class hierarchy analysis (an override in a
    /// subtype), not by resolving the referenced method itself.
    cha: bool,
    /// The instruction is in a catch handler: it runs only when something
    /// throws. Searches use such edges only where no other path exists.
    exc: bool,
}

#[derive(Debug, Clone, Copy)]
struct Node {
    dex: u16,
    method_idx: u32,
    code_off: u32,
    class: u32,
    sig: u64,
}

#[derive(Debug, Clone, Default)]
struct Class {
    defined: bool,
    interface: bool,
    superclass: u32,
    interfaces: Vec<u32>,
    /// Nodes `methods.0 .. methods.1`.
    methods: (u32, u32),
}

/// The call graph (see the module docs).
#[derive(Debug)]
pub struct CallGraph<'a> {
    types: Interner<'a>,
    classes: Vec<Class>,
    children: Vec<Vec<u32>>,
    names: Interner<'a>,
    nodes: Vec<Node>,
    by_sig: Map<(u32, u64), u32>,
    /// Signatures of methods with code that interfaces define (default
    /// methods): only these need the interface walk of `resolve_up`.
    iface_sigs: std::collections::HashSet<u64, RandomState>,
    /// Per dex, `method_ids` index → node (defined in that dex), or NONE.
    node_of: Vec<Vec<u32>>,
    first: Vec<u32>,
    edges: Vec<Edge>,
    stats: CallGraphStats,
}

/// Methods reached from a set of roots (see [`CallGraph::reach`]).
#[derive(Debug, Clone)]
pub struct Reach {
    parent: Vec<u32>,
    hop: Vec<Hop>,
    offset: Vec<u32>,
    root: Vec<u32>,
    count: usize,
}

/// One step of a chain: the method, how it was reached from the previous
/// step (`None` for the root), and the offset of that call in the previous
/// step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// The node.
    pub node: u32,
    /// How the previous step reaches it.
    pub hop: Option<Hop>,
    /// Offset of the reaching instruction in the previous step.
    pub offset: u32,
}

impl Reach {
    /// Whether `node` was reached.
    pub fn reached(&self, node: u32) -> bool {
        self.parent.get(node as usize).is_some_and(|&p| p != NONE)
    }

    /// Position in the roots list of the root that `node` was reached from.
    pub fn root_of(&self, node: u32) -> Option<u32> {
        self.root.get(node as usize).copied().filter(|&r| r != NONE)
    }

    /// Number of methods reached (roots included).
    pub fn count(&self) -> usize {
        self.count
    }

    /// The chain from the root to `node` (root first); empty when not reached.
    pub fn chain(&self, node: u32) -> Vec<Step> {
        let mut out = Vec::new();
        let mut cur = node;
        while let Some(&p) = self.parent.get(cur as usize) {
            if p == NONE || out.len() > self.parent.len() {
                return Vec::new();
            }
            let root = p == cur;
            out.push(Step {
                node: cur,
                hop: (!root).then(|| self.hop.get(cur as usize).copied().unwrap_or(Hop::Call)),
                offset: self.offset.get(cur as usize).copied().unwrap_or(0),
            });
            if root {
                out.reverse();
                return out;
            }
            cur = p;
        }
        Vec::new()
    }
}

/// Visited marks for hierarchy walks: a stamp per type id.
struct Visited {
    stamp: Vec<u32>,
    cur: u32,
}

impl Visited {
    fn next(&mut self) {
        self.cur = self.cur.wrapping_add(1);
        if self.cur == 0 {
            self.stamp.fill(0);
            self.cur = 1;
        }
    }

    /// Marks `t`; false when it was already marked in this walk.
    fn visit(&mut self, t: u32) -> bool {
        match self.stamp.get_mut(t as usize) {
            Some(s) if *s == self.cur => false,
            Some(s) => {
                *s = self.cur;
                true
            }
            None => false,
        }
    }
}

/// Catch-handler code of every method: from each handler's address to the
/// first instruction that leaves it (`return*`, `throw`, `goto*`),
/// inclusive. Built with the [`GraphBase`], beside the code index.
#[derive(Debug, Default)]
struct Handlers {
    /// Node `n`'s ranges are `ranges[first[n]..first[n + 1]]`.
    first: Vec<u32>,
    ranges: Vec<(u32, u32)>,
}

impl Handlers {
    fn build(dexes: &[Dex<'_>], g: &CallGraph<'_>) -> Self {
        let mut h = Handlers {
            first: Vec::with_capacity(g.nodes.len() + 1),
            ranges: Vec::new(),
        };
        h.first.push(0);
        for node in &g.nodes {
            if let Some(d) = dexes.get(usize::from(node.dex))
                && let Some(r) = handler_ranges(d, node.code_off)
            {
                h.ranges.extend(r);
            }
            h.first.push(h.ranges.len() as u32);
        }
        h
    }

    /// Whether `offset` of `node` is in catch-handler code.
    fn contains(&self, node: u32, offset: u32) -> bool {
        let n = node as usize;
        let (Some(&lo), Some(&hi)) = (self.first.get(n), self.first.get(n + 1)) else {
            return false;
        };
        self.ranges
            .get(lo as usize..hi as usize)
            .unwrap_or_default()
            .iter()
            .any(|&(a, b)| a <= offset && offset <= b)
    }
}

/// See [`Handlers`]. `None` when the method has no tries or they are
/// unreadable (then nothing counts as handler code).
fn handler_ranges(d: &Dex<'_>, off: u32) -> Option<Vec<(u32, u32)>> {
    let code = d.code_item(off)?;
    let addrs = handler_addresses(d, off)?;
    let mut out = Vec::new();
    for a in addrs {
        // Walk from the handler only, not the whole method.
        let Some(from) = code.insns.get(a as usize * 2..) else {
            continue;
        };
        let end = crate::code::Instructions::new(from)
            .find(|i| matches!(i.opcode, 0x0e..=0x11 | 0x27..=0x2a))
            .map_or(u32::MAX, |i| a + i.offset);
        out.push((a, end));
    }
    Some(out)
}

/// The catch-handler addresses of the method whose `code_item` is at
/// `off`, sorted. `None` when it has no tries or they are unreadable.
pub(crate) fn handler_addresses(d: &Dex<'_>, off: u32) -> Option<Vec<u32>> {
    use crate::leb128::{read_sleb128, read_uleb128};
    let code = d.code_item(off)?;
    if code.tries_size == 0 {
        return None;
    }
    let units = code.insns_size() as usize;
    let pad = if units % 2 == 1 { 2 } else { 0 };
    let tries_at = (off as usize).checked_add(16 + units * 2 + pad)?;
    let list_at = tries_at.checked_add(usize::from(code.tries_size) * 8)?;
    let data = d.data();
    let mut p = list_at;
    let count = read_uleb128(data, &mut p)?.min(1024);
    let mut addrs: Vec<u32> = Vec::new();
    for _ in 0..count {
        let size = read_sleb128(data, &mut p)?;
        for _ in 0..size.unsigned_abs().min(1024) {
            read_uleb128(data, &mut p)?;
            addrs.push(read_uleb128(data, &mut p)?);
        }
        if size <= 0 {
            addrs.push(read_uleb128(data, &mut p)?);
        }
    }
    addrs.sort_unstable();
    addrs.dedup();
    Some(addrs)
}

/// Ids for byte strings borrowed from the dex data (type descriptors,
/// method names), in first-seen order.
#[derive(Debug, Default)]
struct Interner<'a> {
    ids: Map<&'a [u8], u32>,
    list: Vec<&'a [u8]>,
}

impl<'a> Interner<'a> {
    fn id(&mut self, b: &'a [u8]) -> u32 {
        if let Some(&i) = self.ids.get(b) {
            return i;
        }
        let i = self.list.len() as u32;
        self.ids.insert(b, i);
        self.list.push(b);
        i
    }

    fn get(&self, b: &[u8]) -> Option<u32> {
        self.ids.get(b).copied()
    }

    fn bytes(&self, i: u32) -> Option<&'a [u8]> {
        self.list.get(i as usize).copied()
    }

    fn len(&self) -> usize {
        self.list.len()
    }

    fn heap_bytes(&self) -> usize {
        self.ids.capacity() * 24 + self.list.capacity() * 16
    }
}

/// What edge building needs from [`CallGraphOptions`], resolved to ids.
struct EdgePrep {
    init: Option<u32>,
    clinit_name: Option<u32>,
    async_bases: Map<u32, Vec<u32>>,
    async_dispatch: Vec<(u32, u32)>,
    component_bases: Vec<(u32, Vec<u32>)>,
    starters: Option<std::collections::HashSet<(u16, u32), RandomState>>,
    max_fanout: usize,
}

/// The part of a [`CallGraph`] that needs no code index: types, the class
/// hierarchy, the methods with code and the per-dex id tables. Built from
/// the parsed dex files, so it can be built while the code index is.
#[derive(Debug)]
pub struct GraphBase<'a> {
    g: CallGraph<'a>,
    tables: Tables,
    handlers: Handlers,
    /// The dex files it was built from: start and length of each one's data.
    from: Vec<(usize, usize)>,
}

impl<'a> GraphBase<'a> {
    /// Interns the types, names and prototypes of `dexes` and defines their
    /// classes and methods (first definition wins, as on Android).
    pub fn build(dexes: &[Dex<'a>]) -> GraphBase<'a> {
        let mut g = CallGraph {
            types: Interner::default(),
            classes: Vec::new(),
            children: Vec::new(),
            names: Interner::default(),
            nodes: Vec::new(),
            by_sig: Map::default(),
            iface_sigs: Default::default(),
            node_of: Vec::new(),
            first: Vec::new(),
            edges: Vec::new(),
            stats: CallGraphStats::default(),
        };
        let tables = g.intern(dexes);
        g.define_classes(dexes, &tables);
        let handlers = Handlers::build(dexes, &g);
        GraphBase {
            g,
            tables,
            handlers,
            from: fingerprint(dexes),
        }
    }

    fn matches(&self, dexes: &[Dex<'_>]) -> bool {
        self.from == fingerprint(dexes)
    }
}

fn fingerprint(dexes: &[Dex<'_>]) -> Vec<(usize, usize)> {
    dexes
        .iter()
        .map(|d| (d.data().as_ptr() as usize, d.data().len()))
        .collect()
}

/// Builder state that does not outlive `build`.
#[derive(Debug)]
struct Tables {
    /// Per dex: type_ids index → type id.
    type_map: Vec<Vec<u32>>,
    /// Per dex: method_ids index → (class type id, signature).
    msig: Vec<Vec<(u32, u64)>>,
}

impl<'a> CallGraph<'a> {
    /// Builds the graph of all methods of `index` (see the module docs).
    /// Uses the [`GraphBase`] the index was built with
    /// ([`CodeIndex::build_parallel_for_graph`]), if any.
    pub fn build(index: &CodeIndex<'a>, opts: &CallGraphOptions) -> CallGraph<'a> {
        let base = index
            .take_graph_base()
            .filter(|b| b.matches(index.dexes()))
            .unwrap_or_else(|| GraphBase::build(index.dexes()));
        let GraphBase {
            mut g,
            tables,
            handlers,
            ..
        } = base;
        let raw = g.collect_edges(index, &tables, &handlers, opts);
        // The per-dex tables are as large as the edge list: free them first.
        drop(tables);
        drop(handlers);
        g.finish_edges(raw);
        g
    }

    // ---- interning -------------------------------------------------------

    fn intern(&mut self, dexes: &[Dex<'a>]) -> Tables {
        let mut protos: Map<Box<[u32]>, u32> = Map::default();
        let mut type_map = Vec::new();
        let mut msig = Vec::new();
        let mut buf: Vec<u32> = Vec::new();
        for d in dexes {
            let tm: Vec<u32> = (0..d.type_ids_count())
                .map(|i| d.type_bytes(i).map_or(NONE, |b| self.types.id(b)))
                .collect();
            let pm: Vec<u32> = (0..d.proto_ids_count())
                .map(|p| {
                    let Some(pid) = d.proto_id(p) else {
                        return NONE;
                    };
                    buf.clear();
                    buf.push(
                        tm.get(pid.return_type_idx as usize)
                            .copied()
                            .unwrap_or(NONE),
                    );
                    match d.type_list(pid.parameters_off) {
                        Some(it) => {
                            buf.extend(it.map(|t| tm.get(t as usize).copied().unwrap_or(NONE)))
                        }
                        None => return NONE,
                    }
                    if let Some(&id) = protos.get(buf.as_slice()) {
                        return id;
                    }
                    let id = protos.len() as u32;
                    protos.insert(buf.clone().into_boxed_slice(), id);
                    id
                })
                .collect();
            // Names by string index: many method ids share a name.
            let mut names_of: Vec<u32> = vec![NONE; d.string_ids_count() as usize];
            let ms: Vec<(u32, u64)> = (0..d.method_ids_count())
                .map(|m| {
                    let Some(id) = d.method_id(m) else {
                        return (NONE, u64::MAX);
                    };
                    let class = tm.get(usize::from(id.class_idx)).copied().unwrap_or(NONE);
                    let proto = pm.get(usize::from(id.proto_idx)).copied().unwrap_or(NONE);
                    let name = match names_of.get(id.name_idx as usize) {
                        Some(&n) if n != NONE => n,
                        _ => {
                            let n = d
                                .string_bytes(id.name_idx)
                                .map_or(NONE, |b| self.names.id(b));
                            if let Some(slot) = names_of.get_mut(id.name_idx as usize) {
                                *slot = n;
                            }
                            n
                        }
                    };
                    if class == NONE || proto == NONE || name == NONE {
                        return (NONE, u64::MAX);
                    }
                    (class, (u64::from(name) << 32) | u64::from(proto))
                })
                .collect();
            type_map.push(tm);
            msig.push(ms);
        }
        self.classes = vec![Class::default(); self.types.len()];
        self.children = vec![Vec::new(); self.types.len()];
        Tables { type_map, msig }
    }

    fn define_classes(&mut self, dexes: &[Dex<'a>], t: &Tables) {
        for (dn, d) in dexes.iter().enumerate() {
            let tm = &t.type_map[dn];
            let ms = &t.msig[dn];
            let mut node_of = vec![NONE; d.method_ids_count() as usize];
            for cd in d.class_defs() {
                let Some(&ty) = tm.get(cd.class_idx as usize) else {
                    continue;
                };
                let Some(c) = self.classes.get(ty as usize) else {
                    continue;
                };
                if c.defined {
                    self.stats.duplicate_classes += 1;
                    continue;
                }
                let superclass = if cd.superclass_idx == crate::NO_INDEX {
                    NONE
                } else {
                    tm.get(cd.superclass_idx as usize).copied().unwrap_or(NONE)
                };
                let interfaces: Vec<u32> = d
                    .interfaces(&cd)
                    .into_iter()
                    .filter_map(|i| tm.get(i as usize).copied())
                    .filter(|&i| i != NONE && i != ty)
                    .collect();
                let start = self.nodes.len() as u32;
                if let Some(data) = d.class_data(&cd) {
                    for m in data.direct_methods.iter().chain(&data.virtual_methods) {
                        if m.code_off == 0 {
                            continue;
                        }
                        let Some(&(mc, sig)) = ms.get(m.method_idx as usize) else {
                            continue;
                        };
                        if mc != ty || self.by_sig.contains_key(&(ty, sig)) {
                            continue;
                        }
                        let n = self.nodes.len() as u32;
                        self.nodes.push(Node {
                            dex: dn as u16,
                            method_idx: m.method_idx,
                            code_off: m.code_off,
                            class: ty,
                            sig,
                        });
                        self.by_sig.insert((ty, sig), n);
                        if let Some(slot) = node_of.get_mut(m.method_idx as usize) {
                            *slot = n;
                        }
                    }
                }
                let end = self.nodes.len() as u32;
                if superclass != NONE
                    && superclass != ty
                    && let Some(ch) = self.children.get_mut(superclass as usize)
                {
                    ch.push(ty);
                }
                for &i in &interfaces {
                    if let Some(ch) = self.children.get_mut(i as usize) {
                        ch.push(ty);
                    }
                }
                let interface = cd.access_flags & 0x200 != 0;
                if interface {
                    for n in start..self.nodes.len() as u32 {
                        if let Some(node) = self.nodes.get(n as usize) {
                            self.iface_sigs.insert(node.sig);
                        }
                    }
                }
                self.classes[ty as usize] = Class {
                    defined: true,
                    interface,
                    superclass: if superclass == ty { NONE } else { superclass },
                    interfaces,
                    methods: (start, end),
                };
                self.stats.classes += 1;
            }
            self.node_of.push(node_of);
        }
        self.stats.methods = self.nodes.len() as u32;
    }

    // ---- hierarchy ---------------------------------------------------------

    fn class(&self, t: u32) -> Option<&Class> {
        self.classes.get(t as usize)
    }

    /// The method with signature `sig` that `t` has, own or inherited.
    fn resolve_up(&self, t: u32, sig: u64) -> Option<u32> {
        let mut cur = t;
        for _ in 0..MAX_DEPTH {
            if cur == NONE {
                break;
            }
            if let Some(&n) = self.by_sig.get(&(cur, sig)) {
                return Some(n);
            }
            cur = self.class(cur).map_or(NONE, |c| c.superclass);
        }
        if !self.is_defined(t) || !self.iface_sigs.contains(&sig) {
            return None;
        }
        // Default methods of interfaces.
        self.ancestors(t)
            .into_iter()
            .filter(|&a| self.class(a).is_some_and(|c| c.interface))
            .find_map(|a| self.by_sig.get(&(a, sig)).copied())
    }

    /// `t` and its superclasses and interfaces, nearest first (bounded).
    fn ancestors(&self, t: u32) -> Vec<u32> {
        let mut out = vec![t];
        let mut i = 0;
        while i < out.len() && out.len() < MAX_DEPTH {
            let Some(c) = self.class(out[i]) else {
                i += 1;
                continue;
            };
            for a in std::iter::once(c.superclass).chain(c.interfaces.iter().copied()) {
                if a != NONE && !out.contains(&a) {
                    out.push(a);
                }
            }
            i += 1;
        }
        out
    }

    /// Targets of a virtual or interface call of `sig` on `t`; `None` when
    /// megamorphic (the caller then keeps the resolved method only).
    fn virtual_targets(&self, t: u32, sig: u64, max: usize, v: &mut Visited) -> Option<Vec<u32>> {
        let mut out: Vec<u32> = self.resolve_up(t, sig).into_iter().collect();
        let iface = self.class(t).is_none_or(|c| c.interface || !c.defined);
        v.next();
        let mut stack: Vec<u32> = self.children.get(t as usize).cloned().unwrap_or_default();
        let mut walked = 0usize;
        while let Some(c) = stack.pop() {
            if !v.visit(c) {
                continue;
            }
            walked += 1;
            if walked > MAX_DESCENDANTS {
                return None;
            }
            let n = match self.by_sig.get(&(c, sig)).copied() {
                Some(n) => Some(n),
                // A class implementing the interface may inherit the
                // implementation from a superclass outside the subtree.
                None if iface && self.class(c).is_some_and(|k| !k.interface) => {
                    self.resolve_up(c, sig)
                }
                None => None,
            };
            if let Some(n) = n
                && !out.contains(&n)
            {
                out.push(n);
                if out.len() > max {
                    return None;
                }
            }
            if let Some(ch) = self.children.get(c as usize) {
                stack.extend_from_slice(ch);
            }
        }
        Some(out)
    }

    /// Nodes of methods named `name` (any prototype) that `t` has, own or
    /// inherited (an override hides the inherited one).
    fn resolve_name_up(&self, t: u32, name: u32) -> Vec<u32> {
        let mut out: Vec<u32> = Vec::new();
        let mut sigs: Vec<u64> = Vec::new();
        let mut cur = t;
        for _ in 0..MAX_DEPTH {
            let Some(c) = self.class(cur) else { break };
            for n in c.methods.0..c.methods.1 {
                if let Some(node) = self.nodes.get(n as usize)
                    && (node.sig >> 32) as u32 == name
                    && !sigs.contains(&node.sig)
                {
                    sigs.push(node.sig);
                    out.push(n);
                }
            }
            cur = c.superclass;
            if cur == NONE {
                break;
            }
        }
        out
    }

    // ---- edges -------------------------------------------------------------

    fn collect_edges(
        &mut self,
        index: &CodeIndex<'a>,
        t: &Tables,
        handlers: &Handlers,
        opts: &CallGraphOptions,
    ) -> Vec<(u32, Edge)> {
        let prep = self.edge_prep(index, opts);
        // Each dex's invoke sites in chunks, built in parallel; every chunk
        // has its own caches, and the edges are sorted per node afterwards,
        // so the result does not depend on the split.
        let total: usize = (0..index.dexes().len())
            .map(|dn| index.method_invoke_sites(dn as u16).len())
            .sum();
        let chunk = (total / 8).max(8192);
        let mut jobs: Vec<(u16, usize, usize)> = Vec::new();
        for dn in 0..index.dexes().len() {
            let n = index.method_invoke_sites(dn as u16).len();
            let mut lo = 0;
            loop {
                let hi = (lo + chunk).min(n);
                jobs.push((dn as u16, lo, hi));
                if hi >= n {
                    break;
                }
                lo = hi;
            }
        }
        let this: &Self = self;
        let parts: Vec<(Vec<(u32, Edge)>, CallGraphStats)> = jobs
            .par_iter()
            .map(|&(dn, lo, hi)| this.edges_in(index, t, &prep, handlers, dn, lo..hi))
            .collect();
        let mut raw = Vec::with_capacity(parts.iter().map(|p| p.0.len()).sum());
        for (edges, st) in parts {
            raw.extend(edges);
            self.stats.external_calls += st.external_calls;
            self.stats.megamorphic_calls += st.megamorphic_calls;
            self.stats.implicit_edges += st.implicit_edges;
        }
        raw
    }

    /// What edge building needs from the options, as type and name ids.
    fn edge_prep(&self, index: &CodeIndex<'a>, opts: &CallGraphOptions) -> EdgePrep {
        let init = self.names.get(b"<init>");
        let clinit_name = self.names.get(b"<clinit>");
        // Async bases and component classes by type id.
        let mut async_bases: Map<u32, Vec<u32>> = Map::default();
        let mut async_dispatch: Vec<(u32, u32)> = Vec::new();
        for (desc, names) in &opts.async_types {
            if let Some(ty) = self.types.get(desc.as_bytes()) {
                let ids: Vec<u32> = names
                    .iter()
                    .filter_map(|n| self.names.get(n.as_bytes()))
                    .collect();
                async_dispatch.extend(ids.iter().map(|&i| (ty, i)));
                async_bases.entry(ty).or_default().extend(ids);
            }
        }
        let mut component_bases: Vec<(u32, Vec<u32>)> = Vec::new();
        for (desc, names) in &opts.component_types {
            if let Some(ty) = self.types.get(desc.as_bytes()) {
                let ids: Vec<u32> = names
                    .iter()
                    .filter_map(|n| self.names.get(n.as_bytes()))
                    .collect();
                component_bases.push((ty, ids));
            }
        }
        // Methods that make a start API call, per (dex, method idx).
        let mut starters: Option<std::collections::HashSet<(u16, u32), RandomState>> = None;
        if !opts.component_start_apis.is_empty() && !component_bases.is_empty() {
            let mut set = std::collections::HashSet::default();
            for (class, name) in &opts.component_start_apis {
                for s in index.call_sites_by_name(class, name) {
                    set.insert((s.dex, s.caller));
                }
            }
            starters = Some(set);
        }
        EdgePrep {
            init,
            clinit_name,
            async_bases,
            async_dispatch,
            component_bases,
            starters,
            max_fanout: opts.max_fanout,
        }
    }

    /// The edges of invoke sites `range` of dex `dn` (and, with the first
    /// chunk of a dex, those of its new-instance, sget and const-class
    /// sites), with the counts they add.
    fn edges_in(
        &self,
        index: &CodeIndex<'a>,
        t: &Tables,
        prep: &EdgePrep,
        handlers: &Handlers,
        dn16: u16,
        range: std::ops::Range<usize>,
    ) -> (Vec<(u32, Edge)>, CallGraphStats) {
        let mut stats = CallGraphStats::default();
        let mut raw: Vec<(u32, Edge)> = Vec::new();
        let mut components: Map<u32, Vec<u32>> = Map::default();
        let mut async_cache: Map<u32, Vec<u32>> = Map::default();
        let mut virt_cache: Map<(u32, u64), Option<Vec<u32>>> = Map::default();
        let mut seen = Visited {
            stamp: vec![0; self.types.len()],
            cur: 0,
        };
        let clinit_of = |g: &Self, ty: u32| -> Option<u32> {
            let name = prep.clinit_name?;
            let c = g.class(ty)?;
            (c.methods.0..c.methods.1).find(|&n| {
                g.nodes
                    .get(n as usize)
                    .is_some_and(|x| (x.sig >> 32) as u32 == name)
            })
        };
        {
            let dn = usize::from(dn16);
            let node_of = &self.node_of[dn];
            let ms = &t.msig[dn];
            let tm = &t.type_map[dn];
            let caller_node = |m: u32| node_of.get(m as usize).copied().filter(|&n| n != NONE);
            let first_chunk = range.start == 0;
            // Sites are sorted by target: resolve each target once.
            let mut memo: (u32, Option<u32>) = (NONE, None);
            let sites = index.method_invoke_sites(dn16);
            for s in sites.get(range).unwrap_or_default() {
                let Some(from) = caller_node(s.caller) else {
                    continue;
                };
                let Some(&(ty, sig)) = ms.get(s.target as usize) else {
                    continue;
                };
                if ty == NONE {
                    continue;
                }
                if memo.0 != s.target {
                    memo = (s.target, self.resolve_up(ty, sig));
                }
                let up = memo.1;
                let virtual_ = matches!(s.opcode, 0x6e | 0x72 | 0x74 | 0x78);
                let is_static = matches!(s.opcode, 0x71 | 0x77);
                let resolved_up = if virtual_ { up } else { None };
                let exc = handlers.contains(from, s.offset);
                let mut push = |to: u32, hop: Hop| {
                    let cha = hop == Hop::Call && virtual_ && Some(to) != resolved_up;
                    raw.push((
                        from,
                        Edge {
                            to,
                            offset: s.offset,
                            hop,
                            cha,
                            exc,
                        },
                    ));
                };
                let mut resolved = None;
                if matches!(s.opcode, 0xfa | 0xfb) {
                    stats.external_calls += 1;
                } else if virtual_ && prep.async_dispatch.contains(&(ty, (sig >> 32) as u32)) {
                    // `runnable.run()`, `handler.handleMessage(m)` on the
                    // platform type: which object runs is decided where it
                    // was constructed (async edges), not by every subclass.
                    match resolved_up {
                        Some(to) => push(to, Hop::Call),
                        None => stats.external_calls += 1,
                    }
                } else if virtual_ && !self.is_defined(ty) {
                    // A call on a platform type (`Map.get`, `Iterator.next`,
                    // `Resources.getDrawable`): the receiver is almost always
                    // a platform object; the few app classes that name the
                    // type are no better guess than none. Callbacks the
                    // platform runs are modelled as async edges instead.
                    stats.external_calls += 1;
                } else if virtual_ {
                    let targets = virt_cache.entry((ty, sig)).or_insert_with(|| {
                        self.virtual_targets(ty, sig, prep.max_fanout, &mut seen)
                    });
                    match targets {
                        Some(v) => {
                            if v.is_empty() {
                                stats.external_calls += 1;
                            }
                            for &to in v.iter() {
                                push(to, Hop::Call);
                            }
                        }
                        None => {
                            stats.megamorphic_calls += 1;
                            match up {
                                Some(to) => push(to, Hop::Call),
                                None => stats.external_calls += 1,
                            }
                        }
                    }
                } else {
                    resolved = up;
                    match resolved {
                        Some(to) => push(to, Hop::Call),
                        None => stats.external_calls += 1,
                    }
                }
                let from_class = self.nodes.get(from as usize).map_or(NONE, |n| n.class);
                // Static initialiser of the class a static method is declared in.
                if is_static {
                    let decl = resolved
                        .and_then(|n| self.nodes.get(n as usize))
                        .map_or(ty, |n| n.class);
                    if decl != from_class
                        && let Some(c) = clinit_of(self, decl)
                    {
                        push(c, Hop::Clinit);
                        stats.implicit_edges += 1;
                    }
                }
                // Async: a constructor of a class that runs callbacks.
                if !prep.async_bases.is_empty()
                    && prep.init.is_some_and(|i| (sig >> 32) as u32 == i)
                    && matches!(s.opcode, 0x70 | 0x76)
                    && ty != from_class
                {
                    let cbs = async_cache
                        .entry(ty)
                        .or_insert_with(|| self.async_callbacks(ty, &prep.async_bases));
                    if !cbs.is_empty() && !self.ancestors(from_class).contains(&ty) {
                        for &to in cbs.iter() {
                            push(to, Hop::Async);
                            stats.implicit_edges += 1;
                        }
                    }
                }
            }
            // new-instance and sget: static initialisers.
            let d = &index.dexes()[dn];
            let (news, sgets): (&[crate::Site], &[crate::Site]) = if first_chunk {
                (
                    index.new_instance_sites_in(dn16),
                    index.static_field_read_sites_in(dn16),
                )
            } else {
                (&[], &[])
            };
            for s in news.iter().chain(sgets) {
                let Some(from) = caller_node(s.caller) else {
                    continue;
                };
                let type_idx = if s.opcode == 0x22 {
                    Some(s.target)
                } else {
                    d.field_id(s.target).map(|f| u32::from(f.class_idx))
                };
                let Some(ty) = type_idx.and_then(|i| tm.get(i as usize).copied()) else {
                    continue;
                };
                let from_class = self.nodes.get(from as usize).map_or(NONE, |n| n.class);
                if ty != from_class
                    && let Some(c) = clinit_of(self, ty)
                {
                    let exc = handlers.contains(from, s.offset);
                    raw.push((
                        from,
                        Edge {
                            to: c,
                            offset: s.offset,
                            hop: Hop::Clinit,
                            cha: false,
                            exc,
                        },
                    ));
                    stats.implicit_edges += 1;
                }
            }
            // const-class of a component: its lifecycle methods.
            if first_chunk && !prep.component_bases.is_empty() {
                for s in index.const_class_sites_in(dn16) {
                    let Some(from) = caller_node(s.caller) else {
                        continue;
                    };
                    let Some(&ty) = tm.get(s.target as usize) else {
                        continue;
                    };
                    if !self.is_defined(ty)
                        || prep
                            .starters
                            .as_ref()
                            .is_some_and(|set| !set.contains(&(dn16, s.caller)))
                    {
                        continue;
                    }
                    let targets = components.entry(ty).or_insert_with(|| {
                        let anc = self.ancestors(ty);
                        let mut out = Vec::new();
                        for (base, names) in &prep.component_bases {
                            if anc.contains(base) {
                                for &name in names {
                                    for n in self.resolve_name_up(ty, name) {
                                        if !out.contains(&n) {
                                            out.push(n);
                                        }
                                    }
                                }
                            }
                        }
                        out
                    });
                    let exc = handlers.contains(from, s.offset);
                    for &to in targets.iter() {
                        raw.push((
                            from,
                            Edge {
                                to,
                                offset: s.offset,
                                hop: Hop::Component,
                                cha: false,
                                exc,
                            },
                        ));
                        stats.implicit_edges += 1;
                    }
                }
            }
        }
        (raw, stats)
    }

    /// Callbacks that run once an object of `ty` is constructed.
    fn async_callbacks(&self, ty: u32, bases: &Map<u32, Vec<u32>>) -> Vec<u32> {
        let mut out = Vec::new();
        for a in self.ancestors(ty) {
            if let Some(names) = bases.get(&a) {
                for &name in names {
                    for n in self.resolve_name_up(ty, name) {
                        if !out.contains(&n) {
                            out.push(n);
                        }
                    }
                }
            }
        }
        out
    }

    /// Counting sort of the raw edges by source, then per source by
    /// (target, offset), keeping the first call of each target.
    fn finish_edges(&mut self, raw: Vec<(u32, Edge)>) {
        let n = self.nodes.len();
        let mut first = vec![0u32; n + 1];
        for (f, _) in &raw {
            if let Some(c) = first.get_mut(*f as usize + 1) {
                *c += 1;
            }
        }
        for i in 1..first.len() {
            first[i] += first[i - 1];
        }
        let mut pos = first.clone();
        let filler = Edge {
            to: 0,
            offset: 0,
            hop: Hop::Call,
            cha: false,
            exc: false,
        };
        let mut edges = vec![filler; raw.len()];
        for (f, e) in raw {
            if let Some(p) = pos.get_mut(f as usize)
                && let Some(slot) = edges.get_mut(*p as usize)
            {
                *slot = e;
                *p += 1;
            }
        }
        // Sort and de-duplicate each node's edges in place, compacting.
        let mut out_first = vec![0u32; n + 1];
        let mut w = 0usize;
        for i in 0..n {
            let (lo, hi) = (first[i] as usize, first[i + 1] as usize);
            let seg = &mut edges[lo..hi];
            // Per target: a normal call before one in a catch handler, then
            // the first offset.
            seg.sort_unstable_by_key(|e| (e.to, e.exc, e.offset, e.hop, e.cha));
            let mut last = NONE;
            for r in lo..hi {
                let e = edges[r];
                if e.to != last {
                    edges[w] = e;
                    w += 1;
                    last = e.to;
                }
            }
            out_first[i + 1] = w as u32;
        }
        edges.truncate(w);
        edges.shrink_to_fit();
        self.first = out_first;
        self.edges = edges;
        self.stats.edges = w as u32;
    }

    // ---- queries -------------------------------------------------------------

    /// Counts.
    pub fn stats(&self) -> CallGraphStats {
        self.stats
    }

    /// Number of nodes (methods with code).
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when the app defines no method with code.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Bytes of heap held by the graph (approximate).
    pub fn heap_bytes(&self) -> usize {
        self.edges.capacity() * std::mem::size_of::<Edge>()
            + self.first.capacity() * 4
            + self.nodes.capacity() * std::mem::size_of::<Node>()
            + self.node_of.iter().map(|v| v.capacity() * 4).sum::<usize>()
            + self.by_sig.capacity() * 16
            + self.types.heap_bytes()
            + self.names.heap_bytes()
            + self.classes.capacity() * std::mem::size_of::<Class>()
            + self
                .classes
                .iter()
                .map(|c| c.interfaces.capacity() * 4)
                .sum::<usize>()
            + self
                .children
                .iter()
                .map(|c| c.capacity() * 4 + 24)
                .sum::<usize>()
    }

    /// The node of the method `method_idx` of dex `dex`, when the app
    /// defines it there (with code).
    pub fn node(&self, dex: u16, method_idx: u32) -> Option<u32> {
        self.node_of
            .get(usize::from(dex))?
            .get(method_idx as usize)
            .copied()
            .filter(|&n| n != NONE)
    }

    /// The method of `node` (its dex and `method_ids` index).
    pub fn method(&self, node: u32) -> Option<MethodHandle> {
        self.nodes.get(node as usize).map(|n| MethodHandle {
            dex: n.dex,
            method_idx: n.method_idx,
        })
    }

    /// The dex number and `code_item` offset of `node`'s code.
    pub fn code_of(&self, node: u32) -> Option<(u16, u32)> {
        self.nodes.get(node as usize).map(|n| (n.dex, n.code_off))
    }

    /// Type id of the class of `node`.
    pub fn class_of(&self, node: u32) -> Option<u32> {
        self.nodes.get(node as usize).map(|n| n.class)
    }

    /// Number of type ids (classes defined or referenced).
    pub fn type_count(&self) -> usize {
        self.types.len()
    }

    /// Descriptor of type `t` (`Lcom/x/Y;`).
    pub fn type_name(&self, t: u32) -> Option<Cow<'a, str>> {
        self.types.bytes(t).map(crate::mutf8::decode)
    }

    /// Type id of descriptor `desc`, when any dex references it.
    pub fn find_type(&self, desc: &str) -> Option<u32> {
        self.types.get(desc.as_bytes())
    }

    /// Type id of the superclass of `t` when the app defines `t`, else NONE.
    pub(crate) fn superclass_of(&self, t: u32) -> u32 {
        self.class(t).map_or(NONE, |c| c.superclass)
    }

    /// Type id of the descriptor given as bytes (as the dex stores it).
    pub(crate) fn find_type_bytes(&self, desc: &[u8]) -> Option<u32> {
        self.types.get(desc)
    }

    /// Whether the app defines type `t`.
    pub fn is_defined(&self, t: u32) -> bool {
        self.class(t).is_some_and(|c| c.defined)
    }

    /// Type ids of the classes the app defines.
    pub fn defined_types(&self) -> impl Iterator<Item = u32> + '_ {
        self.classes
            .iter()
            .enumerate()
            .filter(|(_, c)| c.defined)
            .map(|(i, _)| i as u32)
    }

    /// `t`, its superclasses and interfaces, nearest first (bounded walk).
    pub fn ancestors_of(&self, t: u32) -> Vec<u32> {
        self.ancestors(t)
    }

    /// Whether `t` is `base` or extends or implements it (bounded walk).
    pub fn is_subtype(&self, t: u32, base: u32) -> bool {
        self.ancestors(t).contains(&base)
    }

    /// Methods named `name` (any prototype) of class `t`, own or inherited
    /// from app classes (framework methods are not nodes).
    pub fn methods_named(&self, t: u32, name: &str) -> Vec<u32> {
        match self.names.get(name.as_bytes()) {
            Some(id) => self.resolve_name_up(t, id),
            None => Vec::new(),
        }
    }

    /// All nodes of class `t` (its own methods with code).
    pub fn methods_of(&self, t: u32) -> std::ops::Range<u32> {
        self.class(t).map_or(0..0, |c| c.methods.0..c.methods.1)
    }

    /// Name of the method of `node`.
    pub fn method_name(&self, node: u32) -> Option<&'a [u8]> {
        let name = (self.nodes.get(node as usize)?.sig >> 32) as u32;
        self.names.bytes(name)
    }

    /// Out-edges of `node`: (target, offset of the instruction, hop).
    pub fn edges_of(&self, node: u32) -> impl Iterator<Item = (u32, u32, Hop)> + '_ {
        self.edge_slice(node)
            .iter()
            .map(|e| (e.to, e.offset, e.hop))
    }

    /// The edges of `node` in the CSR arrays.
    fn edge_slice(&self, node: u32) -> &[Edge] {
        let lo = self.first.get(node as usize).copied().unwrap_or(0) as usize;
        let hi = self.first.get(node as usize + 1).copied().unwrap_or(0) as usize;
        self.edges.get(lo..hi.max(lo)).unwrap_or(&[])
    }

    /// Out-edges of `node` that do not come from class hierarchy analysis:
    /// the method the instruction names (or inherits), static initialisers,
    /// async callbacks and components.
    pub fn direct_edges_of(&self, node: u32) -> impl Iterator<Item = (u32, u32, Hop)> + '_ {
        self.edge_slice(node)
            .iter()
            .filter(|e| !e.cha)
            .map(|e| (e.to, e.offset, e.hop))
    }

    /// Breadth-first search from `roots` (in order: an earlier root wins a
    /// tie). `gate(node)` is the offset in `node` from which its calls are
    /// not followed (`u32::MAX` = follow all): an edge whose instruction is
    /// at or after the gate is skipped. Methods for which `enter` is false
    /// are never reached (barriers), unless they are roots.
    pub fn reach(
        &self,
        roots: &[u32],
        gate: impl Fn(u32) -> u32,
        enter: impl Fn(u32) -> bool,
    ) -> Reach {
        let n = self.nodes.len();
        let mut r = Reach {
            parent: vec![NONE; n],
            hop: vec![Hop::Call; n],
            offset: vec![0; n],
            root: vec![NONE; n],
            count: 0,
        };
        let mut queue: std::collections::VecDeque<u32> = std::collections::VecDeque::new();
        for (i, &node) in roots.iter().enumerate() {
            if let Some(p) = r.parent.get_mut(node as usize)
                && *p == NONE
            {
                *p = node;
                r.root[node as usize] = i as u32;
                r.count += 1;
                queue.push_back(node);
            }
        }
        // Phase 1 follows normal code only; phase 2 goes on from everything
        // reached, through catch handlers too, so that a chain runs through
        // a handler only when no normal path exists.
        let mut order: Vec<u32> = Vec::new();
        while let Some(cur) = queue.pop_front() {
            order.push(cur);
            self.expand(cur, Some(false), &gate, &enter, &mut r, &mut queue);
        }
        // Phase 2: the handler edges of what phase 1 reached, then everything
        // of what they reach.
        for &cur in &order {
            self.expand(cur, Some(true), &gate, &enter, &mut r, &mut queue);
        }
        while let Some(cur) = queue.pop_front() {
            self.expand(cur, None, &gate, &enter, &mut r, &mut queue);
        }
        r
    }

    /// Follows the edges of `cur` (all, normal ones or handler ones) to
    /// methods not reached yet.
    fn expand(
        &self,
        cur: u32,
        // Some(false): normal edges only; Some(true): handler edges only;
        // None: all.
        handlers: Option<bool>,
        gate: &impl Fn(u32) -> u32,
        enter: &impl Fn(u32) -> bool,
        r: &mut Reach,
        queue: &mut std::collections::VecDeque<u32>,
    ) {
        let g = gate(cur);
        let root = r.root[cur as usize];
        for e in self.edge_slice(cur) {
            let (to, off, hop) = (e.to, e.offset, e.hop);
            if off >= g || !enter(to) || handlers.is_some_and(|h| h != e.exc) {
                continue;
            }
            if let Some(p) = r.parent.get_mut(to as usize)
                && *p == NONE
            {
                *p = cur;
                r.hop[to as usize] = hop;
                r.offset[to as usize] = off;
                r.root[to as usize] = root;
                r.count += 1;
                queue.push_back(to);
            }
        }
    }
}
