//! Times parsing and indexing of the dex files of APKs (or plain .dex files).
//!
//! `cargo run --release -p pipa-dex --example index_bench -- app.apk [more…]`

use std::path::Path;
use std::time::Instant;

use pipa_core::AnomalySink;
use pipa_dex::{CodeIndex, ParseOptions, parse_dex_file_with};

fn load(path: &str) -> Vec<(String, Vec<u8>)> {
    if path.ends_with(".dex") {
        return std::fs::read(path)
            .map(|b| vec![(path.to_string(), b)])
            .unwrap_or_default();
    }
    let Ok(mut names) = pipa_testkit::zip_entry_names(Path::new(path)) else {
        return Vec::new();
    };
    names.retain(|n| n.starts_with("classes") && n.ends_with(".dex"));
    names.sort_by_key(|n| (n.len(), n.clone()));
    let mut out = Vec::new();
    for n in names {
        if let Ok(Some(b)) = pipa_testkit::unzip_entry(Path::new(path), &n) {
            out.push((n, b));
        }
    }
    out
}

fn main() {
    for path in std::env::args().skip(1) {
        let files = load(&path);
        let total: usize = files.iter().map(|f| f.1.len()).sum();
        let biggest = files.iter().map(|f| f.1.len()).max().unwrap_or(0);
        println!(
            "{path}: {} dex, {:.1} MB (biggest {:.1} MB)",
            files.len(),
            total as f64 / 1e6,
            biggest as f64 / 1e6
        );
        for (opts, what) in [
            (
                ParseOptions {
                    verify_checksum: false,
                    verify_signature: false,
                    ..Default::default()
                },
                "no verify",
            ),
            (
                ParseOptions {
                    verify_checksum: true,
                    verify_signature: false,
                    ..Default::default()
                },
                "adler32",
            ),
            (ParseOptions::default(), "adler32+sha1"),
        ] {
            let t = Instant::now();
            let mut sink = AnomalySink::default();
            let n: usize = files
                .iter()
                .map(|(l, b)| parse_dex_file_with(b, l, opts, &mut sink).map_or(0, |v| v.len()))
                .sum();
            println!(
                "  parse ({what}): {n} dex in {:.1} ms",
                t.elapsed().as_secs_f64() * 1e3
            );
        }
        let opts = ParseOptions {
            verify_checksum: false,
            verify_signature: false,
            ..Default::default()
        };
        for parallel in [false, true] {
            let mut best = f64::MAX;
            let mut last = None;
            for _ in 0..5 {
                let mut sink = AnomalySink::default();
                let dexes: Vec<_> = files
                    .iter()
                    .flat_map(|(l, b)| {
                        parse_dex_file_with(b, l, opts, &mut sink).unwrap_or_default()
                    })
                    .collect();
                let t = Instant::now();
                let idx = if parallel {
                    CodeIndex::build_parallel(dexes, &mut sink)
                } else {
                    CodeIndex::build(dexes, &mut sink)
                };
                best = best.min(t.elapsed().as_secs_f64() * 1e3);
                last = Some(idx);
            }
            let Some(idx) = last else { continue };
            println!(
                "  index ({}): best of 5 {best:.1} ms; {} invokes; heap {:.1} MB ({:.2}x dex bytes)",
                if parallel { "rayon" } else { "1 thread" },
                idx.invoke_count(),
                idx.heap_bytes() as f64 / 1e6,
                idx.heap_bytes() as f64 / total.max(1) as f64
            );
            if parallel {
                let t = Instant::now();
                let sites = idx.call_sites("Ljava/lang/String;->equals(Ljava/lang/Object;)Z");
                let by_name = idx.call_sites_by_name("Ljava/lang/StringBuilder;", "append");
                println!(
                    "  lookups: String.equals {} sites, StringBuilder.append (any proto) {} sites in {:.3} ms",
                    sites.len(),
                    by_name.len(),
                    t.elapsed().as_secs_f64() * 1e3
                );
                if let Some(s) = sites.first() {
                    println!("    e.g. {}", idx.render_site(s));
                }
                let pats = [
                    "http://",
                    "https://",
                    "getDeviceId",
                    "android_id",
                    "umeng",
                    "IMEI",
                    "content://",
                ];
                let t = Instant::now();
                let m = idx.search_strings(&pats);
                println!(
                    "  search_strings ({} patterns): {} matches in {:.1} ms",
                    pats.len(),
                    m.len(),
                    t.elapsed().as_secs_f64() * 1e3
                );
                let t = Instant::now();
                let m = idx.search_strings(&pats);
                println!(
                    "    again (spans cached): {} matches in {:.1} ms",
                    m.len(),
                    t.elapsed().as_secs_f64() * 1e3
                );
                let t = Instant::now();
                let c = idx.classes_with_prefix("Landroidx/");
                let ms = idx.methods_with_prefix("Landroidx/");
                println!(
                    "  prefix Landroidx/: {} classes, {} methods in {:.2} ms",
                    c.len(),
                    ms.len(),
                    t.elapsed().as_secs_f64() * 1e3
                );
                let ssr = idx.static_field_reads("Landroid/os/Build;->SERIAL:Ljava/lang/String;");
                let ni = idx.new_instance_sites("Ljava/lang/StringBuilder;");
                println!(
                    "  Build.SERIAL reads {}, new StringBuilder {}",
                    ssr.len(),
                    ni.len()
                );
                for s in idx.summaries().iter().take(3) {
                    println!("    {s:?}");
                }
            }
        }
    }
}
