//! The code index: invoke, const-string, sget and new-instance sites of
//! every method with code, over all dex files of an app.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use pipa_core::{AnomalySink, Severity};
use rayon::prelude::*;

use crate::class_data::ClassData;
use crate::code::CodeItem;
use crate::dex::Dex;
use crate::leb128::read_uleb128;
use crate::opcodes::op_info;
use crate::sites::{ClassHandle, DexSummary, MethodHandle, Site, StringHandle, StringMatch};

/// At most this many detailed anomalies per dex from the index walk; the
/// rest are counted in one summary anomaly.
const MAX_DETAILED_ANOMALIES: u32 = 100;

/// Sites of one dex, each Vec sorted by `target` (then caller, offset).
#[derive(Debug, Default)]
struct DexSites {
    invokes: Vec<Site>,
    custom_invokes: Vec<Site>,
    const_strings: Vec<Site>,
    sgets: Vec<Site>,
    new_instances: Vec<Site>,
    const_classes: Vec<Site>,
    methods_with_code: u32,
    anomalies: u32,
    /// (chars start, NUL position, string idx) sorted by start; built on the
    /// first string search.
    spans: OnceLock<Vec<[u32; 3]>>,
}

/// Index over all dex files of an app (see the crate docs).
#[derive(Debug)]
pub struct CodeIndex<'a> {
    dexes: Vec<Dex<'a>>,
    sites: Vec<DexSites>,
    /// Built beside the sites for the call graph, taken by it.
    graph_base: std::sync::Mutex<Option<crate::callgraph::GraphBase<'a>>>,
}

struct Recorder<'s> {
    sink: &'s mut AnomalySink,
    location: &'s str,
    count: u32,
}

impl Recorder<'_> {
    fn add(&mut self, code: &'static str, sev: Severity, msg: impl FnOnce() -> String) {
        self.count += 1;
        if self.count <= MAX_DETAILED_ANOMALIES {
            self.sink.add(code, sev, self.location, msg());
        }
    }
}

/// Sorts sites by target in O(n) (counting sort; targets < `n_targets`,
/// stable so caller/offset order is kept).
fn bucket_sort(v: Vec<Site>, n_targets: u32) -> Vec<Site> {
    if v.len() < 2 {
        return v;
    }
    let mut starts = vec![0u32; n_targets as usize + 1];
    for s in &v {
        if let Some(c) = starts.get_mut(s.target as usize + 1) {
            *c += 1;
        }
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let filler = Site {
        target: 0,
        caller: 0,
        offset: 0,
        dex: 0,
        opcode: 0,
    };
    let mut out = vec![filler; v.len()];
    for s in v {
        if let Some(pos) = starts.get_mut(s.target as usize)
            && let Some(slot) = out.get_mut(*pos as usize)
        {
            *slot = s;
            *pos += 1;
        }
    }
    out
}

fn index_dex(dex: &Dex<'_>, dex_no: u16, sink: &mut AnomalySink) -> DexSites {
    let mut rec = Recorder {
        sink,
        location: dex.location(),
        count: 0,
    };
    let data = dex.data();
    let (nm, ns, nf, nt) = (
        dex.method_ids_count(),
        dex.string_ids_count(),
        dex.field_ids_count(),
        dex.type_ids_count(),
    );
    let mut out = DexSites::default();
    let own_len = dex.own_len();
    // A rough pre-size: about one invoke per 12 bytes of a typical dex.
    out.invokes.reserve(own_len / 16);
    // Work bound: code items may be shared between methods (d8 does that for
    // identical bodies), but a hostile file could point a million methods at
    // one large body. Walk at most 4 code units per byte of this dex.
    let mut budget = (own_len as u64).saturating_mul(4).max(1 << 16);
    let mut cd = ClassData::default();
    'classes: for (ci, def) in dex.class_defs().enumerate() {
        if def.class_data_off == 0 {
            continue;
        }
        if !cd.parse_into(data, def.class_data_off) {
            rec.add("dex.bad_class_data", Severity::Error, || {
                format!(
                    "class_def {ci}: class_data at {:#x} unreadable; class skipped",
                    def.class_data_off
                )
            });
            continue;
        }
        for m in cd.methods() {
            if m.code_off == 0 {
                continue;
            }
            if m.method_idx >= nm {
                rec.add("dex.bad_method_idx", Severity::Error, || {
                    format!(
                        "class_def {ci}: method_idx {} out of range; method skipped",
                        m.method_idx
                    )
                });
                continue;
            }
            let Some(code) = CodeItem::parse(data, m.code_off) else {
                rec.add("dex.bad_code_item", Severity::Error, || {
                    format!(
                        "method {}: code_item at {:#x} unreadable",
                        m.method_idx, m.code_off
                    )
                });
                continue;
            };
            out.methods_with_code += 1;
            let units = u64::from(code.insns_size());
            if units > budget {
                rec.add("dex.work_limit", Severity::Error, || {
                    "code walk budget exhausted (code items shared by too many methods); rest of dex not indexed".to_string()
                });
                break 'classes;
            }
            budget -= units;
            let caller = m.method_idx;
            let mut it = code.instructions();
            for insn in it.by_ref() {
                let (list, limit) = match insn.opcode {
                    0x6e..=0x72 | 0x74..=0x78 | 0xfa | 0xfb => (&mut out.invokes, nm),
                    0xfc | 0xfd => (&mut out.custom_invokes, u32::MAX),
                    0x1a | 0x1b => (&mut out.const_strings, ns),
                    0x60..=0x66 => (&mut out.sgets, nf),
                    0x22 => (&mut out.new_instances, nt),
                    0x1c => (&mut out.const_classes, nt),
                    _ => continue,
                };
                if insn.index >= limit {
                    rec.add("dex.bad_insn_index", Severity::Error, || {
                        format!(
                            "method {caller} @{:#06x}: {} index {} out of range; site skipped",
                            insn.offset,
                            op_info(insn.opcode).name,
                            insn.index
                        )
                    });
                    continue;
                }
                list.push(Site {
                    target: insn.index,
                    caller,
                    offset: insn.offset,
                    dex: dex_no,
                    opcode: insn.opcode,
                });
            }
            if it.truncated() {
                rec.add("dex.truncated_code", Severity::Warning, || {
                    format!("method {caller}: last instruction runs past the code item")
                });
            }
        }
    }
    if rec.count > MAX_DETAILED_ANOMALIES {
        let extra = rec.count - MAX_DETAILED_ANOMALIES;
        rec.sink.add(
            "dex.more_anomalies",
            Severity::Warning,
            rec.location,
            format!("{extra} more code anomalies not listed"),
        );
    }
    out.anomalies = rec.count;
    out.invokes = bucket_sort(std::mem::take(&mut out.invokes), nm);
    out.invokes.shrink_to_fit();
    out.const_strings = bucket_sort(std::mem::take(&mut out.const_strings), ns);
    out.sgets = bucket_sort(std::mem::take(&mut out.sgets), nf);
    out.new_instances = bucket_sort(std::mem::take(&mut out.new_instances), nt);
    out.const_classes = bucket_sort(std::mem::take(&mut out.const_classes), nt);
    out.custom_invokes.sort_unstable();
    out
}

/// The `(class, name, proto-or-type)` parts of `Lcls;->name(args)ret` or
/// `Lcls;->name:type`.
fn split_member(s: &str, field: bool) -> Option<(&str, &str, &str)> {
    let (class, rest) = s.split_once("->")?;
    let at = if field {
        rest.find(':')?
    } else {
        rest.find('(')?
    };
    let (name, tail) = rest.split_at(at);
    let tail = if field { tail.get(1..)? } else { tail };
    Some((class, name, tail))
}

/// The sites in `v` (sorted by target) whose target is `t`.
fn sites_for(v: &[Site], t: u32) -> &[Site] {
    let lo = v.partition_point(|s| s.target < t);
    let hi = lo
        + v.get(lo..)
            .map_or(0, |r| r.partition_point(|s| s.target <= t));
    v.get(lo..hi).unwrap_or(&[])
}

impl<'a> CodeIndex<'a> {
    /// Indexes `dexes` (in order: classes.dex, classes2.dex, …) on the
    /// current thread. Code anomalies go to `sink`.
    pub fn build(dexes: Vec<Dex<'a>>, sink: &mut AnomalySink) -> CodeIndex<'a> {
        let dexes = Self::cap(dexes, sink);
        let sites = dexes
            .iter()
            .enumerate()
            .map(|(i, d)| index_dex(d, i as u16, sink))
            .collect();
        CodeIndex {
            dexes,
            sites,
            graph_base: Default::default(),
        }
    }

    /// Like [`CodeIndex::build`] but indexes the dex files in parallel (rayon).
    pub fn build_parallel(dexes: Vec<Dex<'a>>, sink: &mut AnomalySink) -> CodeIndex<'a> {
        Self::build_parallel_inner(dexes, sink, false)
    }

    /// Like [`CodeIndex::build_parallel`], and builds the index-free part of
    /// the call graph ([`crate::GraphBase`]) at the same time, for
    /// [`crate::CallGraph::build`] to take: the index of the largest dex
    /// leaves a core idle.
    pub fn build_parallel_for_graph(dexes: Vec<Dex<'a>>, sink: &mut AnomalySink) -> CodeIndex<'a> {
        Self::build_parallel_inner(dexes, sink, true)
    }

    fn build_parallel_inner(
        dexes: Vec<Dex<'a>>,
        sink: &mut AnomalySink,
        graph: bool,
    ) -> CodeIndex<'a> {
        let dexes = Self::cap(dexes, sink);
        let index_all = || -> Vec<(DexSites, AnomalySink)> {
            dexes
                .par_iter()
                .enumerate()
                .map(|(i, d)| {
                    let mut s = AnomalySink::default();
                    let r = index_dex(d, i as u16, &mut s);
                    (r, s)
                })
                .collect()
        };
        let (results, base) = if graph {
            let (r, b) = rayon::join(index_all, || crate::callgraph::GraphBase::build(&dexes));
            (r, Some(b))
        } else {
            (index_all(), None)
        };
        let mut sites = Vec::with_capacity(results.len());
        for (r, s) in results {
            sink.extend(s);
            sites.push(r);
        }
        CodeIndex {
            dexes,
            sites,
            graph_base: std::sync::Mutex::new(base),
        }
    }

    /// The call-graph base built with the index, once.
    pub(crate) fn take_graph_base(&self) -> Option<crate::callgraph::GraphBase<'a>> {
        self.graph_base.lock().ok()?.take()
    }

    fn cap(mut dexes: Vec<Dex<'a>>, sink: &mut AnomalySink) -> Vec<Dex<'a>> {
        let max = usize::from(u16::MAX);
        if dexes.len() > max {
            sink.add(
                "dex.too_many_dex",
                Severity::Error,
                "index",
                format!(
                    "{} dex files; only the first {max} are indexed",
                    dexes.len()
                ),
            );
            dexes.truncate(max);
        }
        dexes
    }

    /// The indexed dex files, in index order.
    pub fn dexes(&self) -> &[Dex<'a>] {
        &self.dexes
    }

    /// Dex number `n`.
    pub fn dex(&self, n: u16) -> Option<&Dex<'a>> {
        self.dexes.get(usize::from(n))
    }

    /// Per-dex summary for the CLI.
    pub fn summaries(&self) -> Vec<DexSummary> {
        self.dexes
            .iter()
            .zip(&self.sites)
            .map(|(d, s)| DexSummary {
                location: d.location().to_string(),
                version: d.version(),
                class_defs: d.class_defs_count(),
                method_ids: d.method_ids_count(),
                methods_with_code: s.methods_with_code,
                invokes: (s.invokes.len() + s.custom_invokes.len()) as u32,
                checksum: d.checksum_check(),
                signature: d.signature_check(),
                anomalies: d.parse_anomalies() + s.anomalies,
            })
            .collect()
    }

    /// All invoke sites (method invokes sorted by callee per dex, then
    /// invoke-custom sites whose `target` is a call-site index).
    pub fn invoke_sites(&self) -> impl Iterator<Item = &Site> + '_ {
        self.sites
            .iter()
            .flat_map(|s| s.invokes.iter().chain(s.custom_invokes.iter()))
    }

    /// Invoke sites of dex `n` whose target is a method (sorted by callee).
    pub fn method_invoke_sites(&self, n: u16) -> &[Site] {
        self.sites.get(usize::from(n)).map_or(&[], |s| &s.invokes)
    }

    /// All const-string sites of dex `n` (sorted by string index).
    pub fn const_string_sites_in(&self, n: u16) -> &[Site] {
        self.sites
            .get(usize::from(n))
            .map_or(&[], |s| &s.const_strings)
    }

    /// All sget sites of dex `n` (sorted by field index).
    pub fn static_field_read_sites_in(&self, n: u16) -> &[Site] {
        self.sites.get(usize::from(n)).map_or(&[], |s| &s.sgets)
    }

    /// All new-instance sites of dex `n` (sorted by type index).
    pub fn new_instance_sites_in(&self, n: u16) -> &[Site] {
        self.sites
            .get(usize::from(n))
            .map_or(&[], |s| &s.new_instances)
    }

    /// All invoke-custom sites of dex `n` (lambdas, string concatenation;
    /// `target` is a call-site index).
    pub fn custom_invoke_sites_in(&self, n: u16) -> &[Site] {
        self.sites
            .get(usize::from(n))
            .map_or(&[], |s| &s.custom_invokes)
    }

    /// All const-class sites of dex `n` (sorted by type index).
    pub fn const_class_sites_in(&self, n: u16) -> &[Site] {
        self.sites
            .get(usize::from(n))
            .map_or(&[], |s| &s.const_classes)
    }

    /// Total number of invoke instructions.
    pub fn invoke_count(&self) -> usize {
        self.sites
            .iter()
            .map(|s| s.invokes.len() + s.custom_invokes.len())
            .sum()
    }

    /// Bytes of heap held by the index (site vectors and span caches).
    pub fn heap_bytes(&self) -> usize {
        let site = std::mem::size_of::<Site>();
        self.sites
            .iter()
            .map(|s| {
                (s.invokes.capacity()
                    + s.custom_invokes.capacity()
                    + s.const_strings.capacity()
                    + s.sgets.capacity()
                    + s.new_instances.capacity()
                    + s.const_classes.capacity())
                    * site
                    + s.spans.get().map_or(0, |v| v.capacity() * 12)
            })
            .sum::<usize>()
            + self.dexes.capacity() * std::mem::size_of::<Dex<'a>>()
            + self.sites.capacity() * std::mem::size_of::<DexSites>()
    }

    fn iter_dex(&self) -> impl Iterator<Item = (u16, &Dex<'a>, &DexSites)> + '_ {
        self.dexes
            .iter()
            .zip(&self.sites)
            .enumerate()
            .map(|(i, (d, s))| (i as u16, d, s))
    }

    // ---- methods -------------------------------------------------------

    /// Methods matching a smali reference
    /// `Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;`
    /// in every dex that references them.
    pub fn find_methods(&self, smali: &str) -> Vec<MethodHandle> {
        let Some((class, name, proto)) = split_member(smali, false) else {
            return Vec::new();
        };
        self.methods_named(class, name, Some(proto))
    }

    /// Methods of `class` called `name`, with any prototype.
    pub fn find_methods_by_name(&self, class: &str, name: &str) -> Vec<MethodHandle> {
        self.methods_named(class, name, None)
    }

    fn methods_named(&self, class: &str, name: &str, proto: Option<&str>) -> Vec<MethodHandle> {
        let mut out = Vec::new();
        for (n, d, _) in self.iter_dex() {
            let (Some(t), Some(s)) = (d.find_type(class), d.find_string(name)) else {
                continue;
            };
            for m in d.methods_named(t, s) {
                let ok = match proto {
                    None => true,
                    Some(p) => d
                        .method_id(m)
                        .and_then(|id| d.proto_descriptor(id.proto_idx.into()))
                        .is_some_and(|x| x == p),
                };
                if ok {
                    out.push(MethodHandle {
                        dex: n,
                        method_idx: m,
                    });
                }
            }
        }
        out
    }

    /// Invoke sites calling `m`.
    pub fn call_sites_of(&self, m: MethodHandle) -> &[Site] {
        sites_for(self.method_invoke_sites(m.dex), m.method_idx)
    }

    /// All call sites of a method given as smali (see [`CodeIndex::find_methods`]).
    pub fn call_sites(&self, smali: &str) -> Vec<Site> {
        self.find_methods(smali)
            .into_iter()
            .flat_map(|m| self.call_sites_of(m).iter().copied())
            .collect()
    }

    /// All call sites of any method `name` of `class` (any prototype).
    pub fn call_sites_by_name(&self, class: &str, name: &str) -> Vec<Site> {
        self.find_methods_by_name(class, name)
            .into_iter()
            .flat_map(|m| self.call_sites_of(m).iter().copied())
            .collect()
    }

    /// Method `m` resolved to strings.
    pub fn method_ref(&self, m: MethodHandle) -> Option<crate::MethodRef<'a>> {
        self.dex(m.dex)?.method_ref(m.method_idx)
    }

    // ---- fields, types, strings ---------------------------------------

    /// sget sites reading the field `Lcls;->NAME:Ltype;`.
    pub fn static_field_reads(&self, field: &str) -> Vec<Site> {
        let Some((class, name, ty)) = split_member(field, true) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (_, d, s) in self.iter_dex() {
            let (Some(c), Some(nm), Some(t)) =
                (d.find_type(class), d.find_string(name), d.find_type(ty))
            else {
                continue;
            };
            for f in d.fields_named(c, nm) {
                if d.field_id(f).is_some_and(|id| u32::from(id.type_idx) == t) {
                    out.extend_from_slice(sites_for(&s.sgets, f));
                }
            }
        }
        out
    }

    /// new-instance sites of the type `desc` (e.g. `Landroid/webkit/WebView;`).
    pub fn new_instance_sites(&self, desc: &str) -> Vec<Site> {
        let mut out = Vec::new();
        for (_, d, s) in self.iter_dex() {
            if let Some(t) = d.find_type(desc) {
                out.extend_from_slice(sites_for(&s.new_instances, t));
            }
        }
        out
    }

    /// const-string sites loading exactly `value`.
    pub fn const_string_sites(&self, value: &str) -> Vec<Site> {
        let mut out = Vec::new();
        for (_, d, s) in self.iter_dex() {
            if let Some(i) = d.find_string(value) {
                out.extend_from_slice(sites_for(&s.const_strings, i));
            }
        }
        out
    }

    /// const-string sites of string `h`.
    pub fn const_string_sites_of(&self, h: StringHandle) -> &[Site] {
        self.sites
            .get(usize::from(h.dex))
            .map_or(&[], |s| sites_for(&s.const_strings, h.string_idx))
    }

    /// The strings equal to `value`, one per dex that has it.
    pub fn find_string(&self, value: &str) -> Vec<StringHandle> {
        self.iter_dex()
            .filter_map(|(n, d, _)| {
                d.find_string(value).map(|i| StringHandle {
                    dex: n,
                    string_idx: i,
                })
            })
            .collect()
    }

    /// Strings containing any of `patterns` (literal, case-sensitive), with
    /// one Aho-Corasick pass over each dex's string data. Each (string,
    /// pattern) pair is reported once, sorted.
    pub fn search_strings<P: AsRef<[u8]>>(&self, patterns: &[P]) -> Vec<StringMatch> {
        let mut out = Vec::new();
        let Ok(ac) = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(patterns)
        else {
            return out;
        };
        for (n, d, s) in self.iter_dex() {
            let spans = s.spans.get_or_init(|| string_spans(d));
            let (Some(first), Some(hi)) = (spans.first(), spans.iter().map(|x| x[1]).max()) else {
                continue;
            };
            let lo = first[0] as usize;
            let Some(region) = d.data().get(lo..hi as usize) else {
                continue;
            };
            let before = out.len();
            for m in ac.find_overlapping_iter(region) {
                let (start, end) = ((lo + m.start()) as u32, (lo + m.end()) as u32);
                let j = spans.partition_point(|x| x[0] <= start);
                let mut k = j;
                // Only ids sharing the same start can also contain it; a
                // hostile file could have many, so look at a few only.
                let floor = j.saturating_sub(16);
                while k > floor {
                    k -= 1;
                    let Some(sp) = spans.get(k) else { break };
                    if end <= sp[1] {
                        out.push(StringMatch {
                            string: StringHandle {
                                dex: n,
                                string_idx: sp[2],
                            },
                            pattern: m.pattern().as_u32(),
                        });
                    }
                    if spans.get(k.wrapping_sub(1)).is_none_or(|p| p[0] != sp[0]) {
                        break;
                    }
                }
            }
            if let Some(tail) = out.get_mut(before..) {
                tail.sort_unstable();
            }
            out.dedup();
        }
        out
    }

    // ---- prefixes -------------------------------------------------------

    /// Class defs whose descriptor starts with `prefix` (e.g. `Lcom/umeng/`).
    pub fn classes_with_prefix(&self, prefix: &str) -> Vec<ClassHandle> {
        let mut out = Vec::new();
        for (n, d, _) in self.iter_dex() {
            let r = d.types_with_prefix(prefix);
            if r.is_empty() {
                continue;
            }
            for (i, cd) in d.class_defs().enumerate() {
                if r.contains(&cd.class_idx) {
                    out.push(ClassHandle {
                        dex: n,
                        class_def_idx: i as u32,
                    });
                }
            }
        }
        out
    }

    /// `method_ids` (defined or only referenced) of classes whose
    /// descriptor starts with `prefix`.
    pub fn methods_with_prefix(&self, prefix: &str) -> Vec<MethodHandle> {
        let mut out = Vec::new();
        for (n, d, _) in self.iter_dex() {
            let r = d.types_with_prefix(prefix);
            if r.is_empty() {
                continue;
            }
            out.extend(d.methods_of_types(r).map(|m| MethodHandle {
                dex: n,
                method_idx: m,
            }));
        }
        out
    }

    // ---- rendering -------------------------------------------------------

    /// Renders a site as `Lcaller;->m()V @0x001a invoke-virtual Lcallee;->n()V`
    /// (the target is a method, field, type, quoted string or `call_site@N`).
    pub fn render_site(&self, s: &Site) -> String {
        let Some(d) = self.dex(s.dex) else {
            return format!("<dex {}?>", s.dex);
        };
        let caller = d
            .method_ref(s.caller)
            .map_or_else(|| format!("method@{}", s.caller), |m| m.to_string());
        let info = op_info(s.opcode);
        let target = match s.opcode {
            0xfc | 0xfd => format!("call_site@{}", s.target),
            0x1a | 0x1b => d
                .string(s.target)
                .map_or_else(|| format!("string@{}", s.target), |v| format!("{v:?}")),
            0x60..=0x66 => d
                .field_ref(s.target)
                .map_or_else(|| format!("field@{}", s.target), |f| f.to_string()),
            0x22 | 0x1c => d
                .type_descriptor(s.target)
                .map_or_else(|| format!("type@{}", s.target), |t| t.into_owned()),
            _ => d
                .method_ref(s.target)
                .map_or_else(|| format!("method@{}", s.target), |m| m.to_string()),
        };
        format!("{caller} @{:#06x} {} {target}", s.offset, info.name)
    }
}

/// `[chars start, NUL position, idx]` of every readable string of `d`,
/// sorted by start. Each byte is scanned for the NUL at most once, even when
/// a hostile file has overlapping string data.
fn string_spans(d: &Dex<'_>) -> Vec<[u32; 3]> {
    let data = d.data();
    let n = d.string_ids_count();
    let mut starts: Vec<[u32; 2]> = Vec::with_capacity(n as usize);
    for i in 0..n {
        let Some(off) = d.string_data_off(i) else {
            continue;
        };
        let mut p = off as usize;
        if read_uleb128(data, &mut p).is_some() && p < data.len() {
            starts.push([p as u32, i]);
        }
    }
    if !starts.is_sorted() {
        starts.sort_unstable();
    }
    let mut out = Vec::with_capacity(starts.len());
    // Position of the first NUL at or after the previous start (None = no
    // NUL up to the end of the data).
    let mut last_nul: Option<Option<usize>> = None;
    for [start, idx] in starts {
        let st = start as usize;
        let nul = match last_nul {
            Some(Some(p)) if p >= st => Some(p),
            Some(None) => None,
            _ => data
                .get(st..)
                .and_then(|r| memchr::memchr(0, r))
                .map(|x| x + st),
        };
        last_nul = Some(nul);
        if let Some(e) = nul {
            out.push([start, e as u32, idx]);
        }
    }
    out
}
