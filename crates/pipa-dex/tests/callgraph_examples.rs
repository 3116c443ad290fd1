//! The call graph on hostile and odd inputs: every `.dex` of the androguard
//! examples (Debian package `androguard`) and every dex inside its `.apk`
//! files, plus the registry fixtures: building the graph and searching it
//! from every method never panics, every edge points at a method the app
//! defines, and every chain found leads back to its root through edges that
//! exist. Skips with a notice when the examples are absent.

use pipa_core::AnomalySink;
use pipa_dex::{CallGraph, CallGraphOptions, CodeIndex, parse_dex_file};
use pipa_testkit::{
    ANDROGUARD_EXAMPLES, files_with_ext, fixtures_dir, unzip_entry_max, zip_entry_names,
};
use std::path::Path;

fn dex_blobs(path: &Path) -> Vec<(String, Vec<u8>)> {
    let label = path.display().to_string();
    if path.extension().and_then(|e| e.to_str()) == Some("dex") {
        return std::fs::read(path)
            .map(|b| vec![(label, b)])
            .unwrap_or_default();
    }
    let Ok(mut names) = zip_entry_names(path) else {
        return Vec::new();
    };
    names.retain(|n| n.starts_with("classes") && n.ends_with(".dex"));
    names.sort_by_key(|n| (n.len(), n.clone()));
    names
        .into_iter()
        .filter_map(|n| {
            unzip_entry_max(path, &n, 256 << 20)
                .ok()
                .flatten()
                .map(|b| (format!("{label}!{n}"), b))
        })
        .collect()
}

fn options() -> CallGraphOptions {
    CallGraphOptions {
        async_types: vec![
            ("Ljava/lang/Runnable;".into(), vec!["run".into()]),
            ("Landroid/os/Handler;".into(), vec!["handleMessage".into()]),
        ],
        component_types: vec![("Landroid/app/Service;".into(), vec!["onCreate".into()])],
        ..CallGraphOptions::default()
    }
}

#[test]
fn call_graph_is_consistent_on_every_example() {
    let mut inputs = Vec::new();
    let examples = Path::new(ANDROGUARD_EXAMPLES);
    if examples.is_dir() {
        inputs.extend(files_with_ext(examples, &["dex", "apk"]));
    } else {
        println!(
            "notice: {ANDROGUARD_EXAMPLES} absent (Debian package androguard); examples skipped"
        );
    }
    let fx = fixtures_dir();
    if fx.is_dir() {
        inputs.extend(files_with_ext(&fx, &["apk"]));
    }
    let (mut graphs, mut nodes, mut edges) = (0usize, 0usize, 0usize);
    for path in &inputs {
        let blobs = dex_blobs(path);
        let mut sink = AnomalySink::default();
        let mut dexes = Vec::new();
        for (label, b) in &blobs {
            if let Ok(d) = parse_dex_file(b, label, &mut sink) {
                dexes.extend(d);
            }
        }
        if dexes.is_empty() {
            continue;
        }
        let index = CodeIndex::build(dexes, &mut sink);
        let g = CallGraph::build(&index, &options());
        graphs += 1;
        nodes += g.len();
        let n = g.len() as u32;
        for from in 0..n {
            for (to, _, _) in g.edges_of(from) {
                assert!(
                    to < n,
                    "{}: edge {from} -> {to} out of range",
                    path.display()
                );
                edges += 1;
            }
            let m = g.method(from).expect("node has a method");
            assert_eq!(
                g.node(m.dex, m.method_idx),
                Some(from),
                "{}: node map",
                path.display()
            );
        }
        // Search from the first methods; every chain must follow real edges.
        let roots: Vec<u32> = (0..n.min(50)).collect();
        let r = g.reach(&roots, |_| u32::MAX, |_| true);
        for node in (0..n).filter(|&x| r.reached(x)).take(2000) {
            let chain = r.chain(node);
            assert!(
                !chain.is_empty(),
                "{}: reached node {node} has no chain",
                path.display()
            );
            assert!(roots.contains(&chain[0].node));
            for w in chain.windows(2) {
                assert!(
                    g.edges_of(w[0].node).any(|(to, _, _)| to == w[1].node),
                    "{}: chain hop {} -> {} is not an edge",
                    path.display(),
                    w[0].node,
                    w[1].node
                );
            }
        }
    }
    println!("call graph: {graphs} inputs, {nodes} methods, {edges} edges");
}

/// Every edge of `g`, with its offset and hop, node by node.
fn all_edges(g: &CallGraph<'_>) -> Vec<(u32, u32, u32, String)> {
    let mut out = Vec::new();
    for from in 0..g.len() as u32 {
        for (to, offset, hop) in g.edges_of(from) {
            out.push((from, to, offset, format!("{hop:?}")));
        }
    }
    out
}

/// The graph built from a base made beside the index (the parallel path
/// `pipa scan` takes) is the graph built in one go on one thread; a second
/// build on the same index, whose base is taken, is the same again.
#[test]
fn prebuilt_base_gives_the_same_graph() {
    let fx = fixtures_dir();
    let mut inputs = Vec::new();
    let examples = Path::new(ANDROGUARD_EXAMPLES);
    if examples.is_dir() {
        inputs.extend(files_with_ext(examples, &["apk"]));
    }
    if fx.is_dir() {
        inputs.extend(files_with_ext(&fx, &["apk"]));
    }
    if inputs.is_empty() {
        println!("notice: no fixtures or androguard examples; prebuilt-base check skipped");
        return;
    }
    let (mut compared, mut edges_seen) = (0usize, 0usize);
    for path in &inputs {
        let blobs = dex_blobs(path);
        let parse = || {
            let mut sink = AnomalySink::default();
            let mut dexes = Vec::new();
            for (label, b) in &blobs {
                if let Ok(d) = parse_dex_file(b, label, &mut sink) {
                    dexes.extend(d);
                }
            }
            dexes
        };
        let (one, two) = (parse(), parse());
        if one.is_empty() {
            continue;
        }
        let mut sink = AnomalySink::default();
        let plain = CodeIndex::build(one, &mut sink);
        let with_base = CodeIndex::build_parallel_for_graph(two, &mut sink);
        let a = CallGraph::build(&plain, &options());
        let b = CallGraph::build(&with_base, &options());
        let c = CallGraph::build(&with_base, &options());
        assert_eq!(a.stats(), b.stats(), "{}: stats", path.display());
        let edges = all_edges(&a);
        assert_eq!(edges, all_edges(&b), "{}: edges", path.display());
        assert_eq!(
            edges,
            all_edges(&c),
            "{}: edges, base taken",
            path.display()
        );
        compared += 1;
        edges_seen += edges.len();
    }
    assert!(
        compared > 0 && edges_seen > 0,
        "no input had edges to compare"
    );
    println!("prebuilt base: {compared} packages, {edges_seen} edges, same graph");
}
