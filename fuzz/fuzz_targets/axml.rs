//! Binary XML (AndroidManifest.xml, res/**.xml): parse, walk, render.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pipa_android::axml;
use pipa_core::{AnomalySink, Limits};

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_xml_elements: 100_000,
        ..Limits::default()
    };
    let mut sink = AnomalySink::default();
    let Ok(doc) = axml::parse_xml(data, "AndroidManifest.xml", &limits, &mut sink) else {
        return;
    };
    let _ = doc.to_xml_string();
    let _ = doc.root.subtree_len();
    for (_, el) in doc.root.walk() {
        let _ = el.android_attr("name");
        let _ = el.attr("package");
        for attr in &el.attributes {
            let _ = attr.is_framework();
        }
        let _ = el.children_named("application").count();
    }
});
