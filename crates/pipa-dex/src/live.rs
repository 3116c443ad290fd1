//! Liveness: the methods that can run at all, computed as one worklist
//! fixpoint over the [`CallGraph`]. It over-approximates on purpose: a
//! method wrongly called dead hides what it does, so every doubt counts as
//! live.
//!
//! - A **live class** has every method of its own live (the platform may
//!   call any override as a callback), and so are its superclasses and
//!   interfaces that the app defines (their methods are inherited).
//! - **Root classes** are live from the start (the caller names them:
//!   manifest components, classes named in resources, service files).
//! - With [`LiveRoots::string_pool`], every class whose name (dotted
//!   `a.b.C$D` or slashed `a/b/C$D`) is a string anywhere in a dex string
//!   pool is a root too (reflection, `Class.forName`, class names stored in
//!   strings): a superset of "named by a `const-string` in live code".
//! - A **live method** makes live: every callee of every edge of the graph
//!   (calls including class-hierarchy targets, async callbacks, static
//!   initialisers, components, calls in catch handlers); every class it
//!   instantiates (`new-instance`) or names (`const-class`); its own class
//!   when it makes an `invoke-custom` (the lambda bodies are methods of that
//!   class); the static initialisers of its class and of that class's
//!   superclasses (the class is initialised before the method runs).
//!
//! Methods the graph does not know (duplicate class definitions, unreadable
//! code) are not nodes; callers of [`Liveness::is_live`] get `true` for any
//! node out of range.

use crate::NO_INDEX;
use crate::callgraph::{CallGraph, NONE};
use crate::index::CodeIndex;

/// What starts the liveness search.
#[derive(Debug, Clone, Default)]
pub struct LiveRoots {
    /// Classes live from the start: descriptors (`Lcom/x/Y;`), dotted
    /// (`com.x.Y`) or slashed (`com/x/Y`) names. Names of classes the app
    /// does not define are ignored.
    pub classes: Vec<String>,
    /// Also take as roots the classes whose dotted or slashed name is a
    /// string of any dex string pool.
    pub string_pool: bool,
}

/// Counts for `--timings` and notes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct LiveStats {
    /// Root classes found among the classes the app defines.
    pub root_classes: u32,
    /// Of them, found only through the dex string pools.
    pub string_roots: u32,
    /// Classes live at the end.
    pub live_classes: u32,
    /// Methods (nodes) live at the end.
    pub live_methods: u32,
    /// Methods (nodes) in all.
    pub methods: u32,
}

/// The result of [`CallGraph::liveness`].
#[derive(Debug, Clone)]
pub struct Liveness {
    nodes: Vec<u64>,
    classes: Vec<u64>,
    stats: LiveStats,
}

fn get(bits: &[u64], i: u32) -> Option<bool> {
    bits.get(i as usize / 64)
        .map(|w| w & (1u64 << (i % 64)) != 0)
}

/// Sets bit `i`; true when it was clear.
fn set(bits: &mut [u64], i: u32) -> bool {
    match bits.get_mut(i as usize / 64) {
        Some(w) => {
            let m = 1u64 << (i % 64);
            let was = *w & m != 0;
            *w |= m;
            !was
        }
        None => false,
    }
}

impl Liveness {
    /// Whether method `node` can run. Nodes the graph does not have count
    /// as live (never hide what cannot be decided).
    pub fn is_live(&self, node: u32) -> bool {
        get(&self.nodes, node).unwrap_or(true)
    }

    /// Whether an object of class `t` (type id) can exist or the platform
    /// can call it. Types the app does not define are not live.
    pub fn is_class_live(&self, t: u32) -> bool {
        get(&self.classes, t).unwrap_or(false)
    }

    /// Counts.
    pub fn stats(&self) -> LiveStats {
        self.stats
    }
}

/// The descriptor of a class name given as descriptor, dotted or slashed.
fn descriptor_bytes(name: &[u8], out: &mut Vec<u8>) -> bool {
    out.clear();
    if name.len() < 3 || name.len() > 1024 {
        return false;
    }
    if name.first() == Some(&b'L') && name.last() == Some(&b';') {
        out.extend_from_slice(name);
        return true;
    }
    if name.last() == Some(&b';')
        || name.first() == Some(&b'[')
        || !name.iter().any(|&b| b == b'.' || b == b'/')
        || name
            .iter()
            .any(|&b| b <= b' ' || matches!(b, b';' | b'(' | b')' | b'<' | b'>' | b'[' | b':'))
    {
        return false;
    }
    out.push(b'L');
    out.extend(name.iter().map(|&b| if b == b'.' { b'/' } else { b }));
    out.push(b';');
    true
}

struct Search<'g, 'a> {
    g: &'g CallGraph<'a>,
    nodes: Vec<u64>,
    classes: Vec<u64>,
    /// Classes whose static initialisers (and their superclasses') are live.
    inited: Vec<u64>,
    stack: Vec<u32>,
}

impl Search<'_, '_> {
    fn node(&mut self, n: u32) {
        if set(&mut self.nodes, n) {
            self.stack.push(n);
        }
    }

    /// Makes `t` and its app-defined ancestors live.
    fn class(&mut self, t: u32) -> bool {
        if !self.g.is_defined(t) || get(&self.classes, t) != Some(false) {
            return false;
        }
        for a in self.g.ancestors_of(t) {
            if self.g.is_defined(a) && set(&mut self.classes, a) {
                for n in self.g.methods_of(a) {
                    self.node(n);
                }
            }
        }
        true
    }

    /// The static initialisers of `t` and its superclasses (each class
    /// looked at once).
    fn init(&mut self, t: u32) {
        let mut cur = t;
        for _ in 0..64 {
            if cur == NONE || !set(&mut self.inited, cur) {
                return;
            }
            for n in self.g.methods_of(cur) {
                if self.g.method_name(n) == Some(b"<clinit>".as_slice()) {
                    self.node(n);
                }
            }
            cur = self.g.superclass_of(cur);
        }
    }
}

impl<'a> CallGraph<'a> {
    /// The live methods and classes of the app (see the module docs): one
    /// worklist pass over bitsets.
    pub fn liveness(&self, index: &CodeIndex<'a>, roots: &LiveRoots) -> Liveness {
        let n = self.len();
        let words = |k: usize| vec![0u64; k.div_ceil(64)];
        let mut s = Search {
            g: self,
            nodes: words(n),
            classes: words(self.type_count()),
            inited: words(self.type_count()),
            stack: Vec::new(),
        };
        // Class references per method: (node, type id), sorted by node.
        let mut refs: Vec<(u32, u32)> = Vec::new();
        for (dn, d) in index.dexes().iter().enumerate() {
            let Ok(dn) = u16::try_from(dn) else { break };
            let mut memo: Vec<u32> = vec![NO_INDEX; d.type_ids_count() as usize];
            for site in index
                .new_instance_sites_in(dn)
                .iter()
                .chain(index.const_class_sites_in(dn))
            {
                let Some(from) = self.node(dn, site.caller) else {
                    continue;
                };
                let Some(slot) = memo.get_mut(site.target as usize) else {
                    continue;
                };
                if *slot == NO_INDEX {
                    *slot = d
                        .type_bytes(site.target)
                        .and_then(|b| self.find_type_bytes(b))
                        .filter(|&t| self.is_defined(t))
                        .unwrap_or(NONE);
                }
                if *slot != NONE {
                    refs.push((from, *slot));
                }
            }
            for site in index.custom_invoke_sites_in(dn) {
                if let Some(from) = self.node(dn, site.caller)
                    && let Some(t) = self.class_of(from)
                {
                    refs.push((from, t));
                }
            }
        }
        refs.sort_unstable();
        refs.dedup();

        // Roots.
        let mut buf = Vec::new();
        let mut stats = LiveStats {
            methods: n as u32,
            ..LiveStats::default()
        };
        for name in &roots.classes {
            if descriptor_bytes(name.as_bytes(), &mut buf)
                && let Some(t) = self.find_type_bytes(&buf)
                && s.class(t)
            {
                stats.root_classes += 1;
            }
        }
        if roots.string_pool {
            for d in index.dexes() {
                for i in 0..d.string_ids_count() {
                    let Some(b) = d.string_bytes(i) else { continue };
                    // Every type's own descriptor is in the pool; a class
                    // name starts with a letter, `_` or `$`.
                    if b.last() == Some(&b';')
                        || !b
                            .first()
                            .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, b'_' | b'$'))
                    {
                        continue;
                    }
                    if descriptor_bytes(b, &mut buf)
                        && let Some(t) = self.find_type_bytes(&buf)
                        && s.class(t)
                    {
                        stats.root_classes += 1;
                        stats.string_roots += 1;
                    }
                }
            }
        }

        // Fixpoint.
        while let Some(cur) = s.stack.pop() {
            if let Some(t) = self.class_of(cur) {
                s.init(t);
            }
            for (to, _, _) in self.edges_of(cur) {
                s.node(to);
            }
            let lo = refs.partition_point(|&(f, _)| f < cur);
            let mut i = lo;
            while let Some(&(f, t)) = refs.get(i) {
                if f != cur {
                    break;
                }
                s.class(t);
                i += 1;
            }
        }
        stats.live_methods = s.nodes.iter().map(|w| w.count_ones()).sum();
        stats.live_classes = s.classes.iter().map(|w| w.count_ones()).sum();
        Liveness {
            nodes: s.nodes,
            classes: s.classes,
            stats,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::descriptor_bytes;

    fn d(s: &str) -> Option<String> {
        let mut b = Vec::new();
        descriptor_bytes(s.as_bytes(), &mut b).then(|| String::from_utf8(b).unwrap_or_default())
    }

    #[test]
    fn class_names_to_descriptors() {
        assert_eq!(d("com.x.Y").as_deref(), Some("Lcom/x/Y;"));
        assert_eq!(d("com/x/Y$1").as_deref(), Some("Lcom/x/Y$1;"));
        assert_eq!(d("Lcom/x/Y;").as_deref(), Some("Lcom/x/Y;"));
        assert_eq!(d("hello world.txt"), None);
        assert_eq!(d("Y"), None);
        assert_eq!(d("[Lcom/x/Y;"), None);
        assert_eq!(d("(Lcom/x/Y;)V"), None);
    }
}
