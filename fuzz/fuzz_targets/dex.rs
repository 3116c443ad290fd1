//! DEX: parse (v035-v041, containers), build the code index, run lookups,
//! build the call graph and search it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pipa_core::AnomalySink;
use pipa_dex::{CallGraph, CallGraphOptions, CodeIndex, ParseOptions, parse_dex_file_with};

fuzz_target!(|data: &[u8]| {
    let mut sink = AnomalySink::default();
    // The SHA-1 signature check is a pure hash over the input: skip it so the
    // fuzzer spends its time in the parser. The cheap Adler-32 stays on.
    let opts = ParseOptions {
        verify_signature: false,
        ..ParseOptions::default()
    };
    let Ok(dexes) = parse_dex_file_with(data, "classes.dex", opts, &mut sink) else {
        return;
    };
    let index = CodeIndex::build(dexes, &mut sink);
    let _ = index.summaries();
    let _ = index.invoke_count();
    let _ = index.heap_bytes();
    for site in index.invoke_sites().take(64) {
        let _ = index.render_site(site);
    }
    let _ =
        index.call_sites("Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;");
    let _ = index.call_sites_by_name("Ljava/lang/Runtime;", "exec");
    for m in index.find_methods_by_name("Landroid/app/Activity;", "onCreate") {
        let _ = index.call_sites_of(m);
        let _ = index.method_ref(m);
    }
    let _ = index.static_field_reads("Landroid/os/Build;->SERIAL:Ljava/lang/String;");
    let _ = index.new_instance_sites("Ljava/lang/ProcessBuilder;");
    for h in index.find_string("su").into_iter().take(8) {
        let _ = index.const_string_sites_of(h);
    }
    let _ = index.const_string_sites("http://");
    let _ = index.search_strings(&["http", "Landroid/", "\u{0}"]);
    for c in index.classes_with_prefix("Landroid/").into_iter().take(8) {
        let _ = c;
    }
    for m in index.methods_with_prefix("Ljava/lang/").into_iter().take(8) {
        let _ = index.call_sites_of(m);
    }
    let opts = CallGraphOptions {
        async_types: vec![("Ljava/lang/Runnable;".into(), vec!["run".into()])],
        component_types: vec![("Landroid/app/Service;".into(), vec!["onCreate".into()])],
        ..CallGraphOptions::default()
    };
    let g = CallGraph::build(&index, &opts);
    let n = g.len() as u32;
    let roots: Vec<u32> = (0..n.min(8)).collect();
    let r = g.reach(&roots, |x| if x % 2 == 0 { 4 } else { u32::MAX }, |_| true);
    for node in (0..n).filter(|&x| r.reached(x)).take(64) {
        let _ = r.chain(node);
        let _ = g.method_name(node);
    }
});
