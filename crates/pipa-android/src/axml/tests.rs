//! Hand-built binary XML: each trick, truncation, byte flips.

use super::*;

/// A tiny writer of chunks for tests (also used by the arsc tests).
pub(crate) mod w {
    pub fn u16s(v: u16) -> [u8; 2] {
        v.to_le_bytes()
    }
    pub fn u32s(v: u32) -> [u8; 4] {
        v.to_le_bytes()
    }

    /// A chunk: header (type, header size, size), rest of header, body.
    pub fn chunk(ty: u16, header_rest: &[u8], body: &[u8]) -> Vec<u8> {
        let hs = 8 + header_rest.len();
        let size = hs + body.len();
        let mut v = Vec::with_capacity(size);
        v.extend_from_slice(&u16s(ty));
        v.extend_from_slice(&u16s(hs as u16));
        v.extend_from_slice(&u32s(size as u32));
        v.extend_from_slice(header_rest);
        v.extend_from_slice(body);
        v
    }

    /// Options for a string pool.
    #[derive(Default, Clone)]
    pub struct PoolOpts {
        pub utf8: bool,
        /// Declared stringCount instead of the real one.
        pub count: Option<u32>,
        /// Padding bytes between the offsets and the string data.
        pub gap: usize,
    }

    pub fn pool(strings: &[&str], o: &PoolOpts) -> Vec<u8> {
        let mut data = Vec::new();
        let mut offsets = Vec::new();
        for s in strings {
            offsets.push(data.len() as u32);
            if o.utf8 {
                let n16 = s.encode_utf16().count();
                let b = s.as_bytes();
                for n in [n16, b.len()] {
                    if n > 0x7f {
                        data.push(0x80 | (n >> 8) as u8);
                        data.push(n as u8);
                    } else {
                        data.push(n as u8);
                    }
                }
                data.extend_from_slice(b);
                data.push(0);
            } else {
                let u: Vec<u16> = s.encode_utf16().collect();
                data.extend_from_slice(&u16s(u.len() as u16));
                for c in u {
                    data.extend_from_slice(&u16s(c));
                }
                data.extend_from_slice(&u16s(0));
            }
        }
        while data.len() % 4 != 0 {
            data.push(0);
        }
        let mut body = Vec::new();
        for off in &offsets {
            body.extend_from_slice(&u32s(*off));
        }
        body.extend(std::iter::repeat_n(0u8, o.gap));
        let strings_start = 0x1c + body.len();
        body.extend_from_slice(&data);
        let mut h = Vec::new();
        h.extend_from_slice(&u32s(o.count.unwrap_or(strings.len() as u32)));
        h.extend_from_slice(&u32s(0));
        h.extend_from_slice(&u32s(if o.utf8 { 0x100 } else { 0 }));
        h.extend_from_slice(&u32s(strings_start as u32));
        h.extend_from_slice(&u32s(0));
        chunk(0x0001, &h, &body)
    }

    pub fn res_map(ids: &[u32]) -> Vec<u8> {
        let body: Vec<u8> = ids.iter().flat_map(|i| u32s(*i)).collect();
        chunk(0x0180, &[], &body)
    }

    fn node_header(line: u32) -> Vec<u8> {
        let mut h = u32s(line).to_vec();
        h.extend_from_slice(&u32s(0xffff_ffff));
        h
    }

    pub fn start_ns(prefix: u32, uri: u32) -> Vec<u8> {
        let mut b = u32s(prefix).to_vec();
        b.extend_from_slice(&u32s(uri));
        chunk(0x0100, &node_header(1), &b)
    }

    pub fn end_ns(prefix: u32, uri: u32) -> Vec<u8> {
        let mut b = u32s(prefix).to_vec();
        b.extend_from_slice(&u32s(uri));
        chunk(0x0101, &node_header(1), &b)
    }

    /// (ns, name, raw, type, data)
    pub type A = (u32, u32, u32, u8, u32);

    pub fn start_el_with(
        line: u32,
        ns: u32,
        name: u32,
        attrs: &[A],
        attr_start: u16,
        attr_size: u16,
    ) -> Vec<u8> {
        let mut b = u32s(ns).to_vec();
        b.extend_from_slice(&u32s(name));
        b.extend_from_slice(&u16s(attr_start));
        b.extend_from_slice(&u16s(attr_size));
        b.extend_from_slice(&u16s(attrs.len() as u16));
        b.extend_from_slice(&[0; 6]);
        b.resize(attr_start as usize, 0xee);
        for &(ans, an, raw, ty, data) in attrs {
            let mut a = u32s(ans).to_vec();
            a.extend_from_slice(&u32s(an));
            a.extend_from_slice(&u32s(raw));
            a.extend_from_slice(&u16s(8));
            a.push(0);
            a.push(ty);
            a.extend_from_slice(&u32s(data));
            a.resize(attr_size as usize, 0xdd);
            b.extend_from_slice(&a);
        }
        chunk(0x0102, &node_header(line), &b)
    }

    pub fn start_el(line: u32, ns: u32, name: u32, attrs: &[A]) -> Vec<u8> {
        start_el_with(line, ns, name, attrs, 20, 20)
    }

    pub fn end_el(ns: u32, name: u32) -> Vec<u8> {
        let mut b = u32s(ns).to_vec();
        b.extend_from_slice(&u32s(name));
        chunk(0x0103, &node_header(1), &b)
    }

    pub fn doc(ty: u16, parts: &[Vec<u8>]) -> Vec<u8> {
        let body: Vec<u8> = parts.concat();
        chunk(ty, &[], &body)
    }
}

use w::*;

const N: u32 = 0xffff_ffff;
const STRS: &[&str] = &[
    "versionCode",
    "name",
    "exported",
    "android",
    ANDROID_NS,
    "manifest",
    "package",
    "com.example",
    "activity",
    ".Main",
    "application",
];
const IDS: &[u32] = &[0x0101_021b, 0x0101_0003, 0x0101_0010];

fn body(pool_chunk: Vec<u8>, act_attrs: &[A]) -> Vec<Vec<u8>> {
    vec![
        pool_chunk,
        res_map(IDS),
        start_ns(3, 4),
        start_el(2, N, 5, &[(4, 0, N, 0x10, 7), (N, 6, 7, 0x03, 7)]),
        start_el(3, N, 10, &[]),
        start_el(4, N, 8, act_attrs),
        end_el(N, 8),
        end_el(N, 10),
        end_el(N, 5),
        end_ns(3, 4),
    ]
}

fn manifest(opts: &PoolOpts) -> Vec<u8> {
    doc(
        0x0003,
        &body(
            pool(STRS, opts),
            &[(4, 1, 9, 0x03, 9), (4, 2, N, 0x12, 0xffff_ffff)],
        ),
    )
}

fn parse(data: &[u8]) -> (Result<XmlDocument, AxmlError>, AnomalySink) {
    let mut sink = AnomalySink::default();
    let r = parse_xml(data, "AndroidManifest.xml", &Limits::default(), &mut sink);
    (r, sink)
}

fn codes(sink: &AnomalySink) -> Vec<&'static str> {
    sink.items().iter().map(|a| a.code).collect()
}

fn check_manifest(doc: &XmlDocument) {
    let root = &doc.root;
    assert_eq!(root.name, "manifest");
    assert_eq!(root.line, 2);
    assert_eq!(
        root.attr("package").and_then(|a| a.value.as_str()),
        Some("com.example")
    );
    assert_eq!(
        root.android_attr("versionCode")
            .and_then(|a| a.value.as_int()),
        Some(7)
    );
    let app = root
        .children_named("application")
        .next()
        .expect("application");
    let act = app.children_named("activity").next().expect("activity");
    assert_eq!(
        act.android_attr("name").and_then(|a| a.value.as_str()),
        Some(".Main")
    );
    assert_eq!(
        act.android_attr("exported").and_then(|a| a.value.as_bool()),
        Some(true)
    );
    assert_eq!(doc.namespaces.len(), 1);
}

#[test]
fn plain_utf16_and_utf8() {
    for utf8 in [false, true] {
        let data = manifest(&PoolOpts {
            utf8,
            ..Default::default()
        });
        let (doc, sink) = parse(&data);
        let doc = doc.expect("parses");
        assert!(sink.is_empty(), "{:?}", sink.items());
        assert_eq!(doc.utf8_strings, utf8);
        check_manifest(&doc);
        let xml = doc.to_xml_string();
        assert!(xml.contains("<manifest xmlns:android="), "{xml}");
        assert!(xml.contains("android:name=\".Main\""), "{xml}");
        assert!(xml.contains("android:exported=\"true\""), "{xml}");
        assert!(xml.contains("package=\"com.example\""), "{xml}");
    }
}

#[test]
fn non_ascii_strings() {
    let strs = ["名字", "😀x", "café"];
    for utf8 in [false, true] {
        let p = pool(
            &strs,
            &PoolOpts {
                utf8,
                ..Default::default()
            },
        );
        let data = doc(3, &[p, start_el(1, N, 0, &[(N, 1, N, 3, 2)]), end_el(N, 0)]);
        let (doc, sink) = parse(&data);
        let doc = doc.expect("parses");
        assert!(sink.is_empty());
        assert_eq!(doc.root.name, "名字");
        assert_eq!(doc.root.attributes[0].name, "😀x");
        assert_eq!(doc.root.attributes[0].value.as_str(), Some("café"));
    }
}

#[test]
fn resource_map_wins_over_pooled_name() {
    let mut strs = STRS.to_vec();
    strs[1] = "fakeName"; // decoy in the pool, id says android:name
    strs.push("exported"); // 11: android-ns name without an id
    let data = doc(
        3,
        &body(
            pool(&strs, &PoolOpts::default()),
            &[(4, 1, 9, 0x03, 9), (4, 11, N, 0x12, 0xffff_ffff)],
        ),
    );
    let (doc, sink) = parse(&data);
    let doc = doc.expect("parses");
    let act = &doc.root.children[0].children[0];
    let name = act.android_attr("name").expect("by id");
    assert_eq!(name.pooled_name, "fakeName");
    assert_eq!(name.resource_id, Some(0x0101_0003));
    // The pooled "exported" has no id: Android ignores it.
    assert!(act.android_attr("exported").is_none());
    let c = codes(&sink);
    assert!(c.contains(&"axml.attr_name_mismatch"), "{c:?}");
    assert!(c.contains(&"axml.android_attr_without_id"), "{c:?}");
}

#[test]
fn inflated_string_count_beyond_chunk_is_clamped() {
    let data = manifest(&PoolOpts {
        count: Some(0x4000_0000),
        ..Default::default()
    });
    let (doc, sink) = parse(&data);
    check_manifest(&doc.expect("parses"));
    assert!(codes(&sink).contains(&"axml.string_count_inflated"));
}

#[test]
fn inflated_string_count_overlapping_data() {
    let data = manifest(&PoolOpts {
        count: Some(STRS.len() as u32 + 5),
        ..Default::default()
    });
    let (doc, sink) = parse(&data);
    check_manifest(&doc.expect("parses"));
    assert!(codes(&sink).contains(&"axml.string_offsets_overlap_data"));
}

#[test]
fn gap_before_string_data() {
    for utf8 in [false, true] {
        let data = manifest(&PoolOpts {
            utf8,
            gap: 64,
            ..Default::default()
        });
        let (doc, sink) = parse(&data);
        check_manifest(&doc.expect("parses"));
        assert!(codes(&sink).contains(&"axml.string_pool_gap"));
    }
}

#[test]
fn out_of_range_string_index_reads_empty() {
    let data = doc(
        3,
        &body(
            pool(STRS, &PoolOpts::default()),
            &[(4, 1, 9999, 0x03, 5000)],
        ),
    );
    let (doc, sink) = parse(&data);
    let doc = doc.expect("parses");
    let a = doc.root.children[0].children[0]
        .android_attr("name")
        .expect("attr");
    assert_eq!(a.value.as_str(), Some(""));
    assert_eq!(a.raw.as_deref(), Some(""));
    assert!(codes(&sink).contains(&"axml.bad_string_index"));
}

#[test]
fn odd_attribute_start_and_size_are_followed() {
    let mut parts = body(pool(STRS, &PoolOpts::default()), &[]);
    parts[5] = start_el_with(
        4,
        N,
        8,
        &[(4, 1, 9, 0x03, 9), (4, 2, N, 0x12, 1)],
        0x24,
        0x1c,
    );
    let (doc, sink) = parse(&doc(3, &parts));
    check_manifest(&doc.expect("parses"));
    let c = codes(&sink);
    assert!(c.contains(&"axml.odd_attribute_start"), "{c:?}");
    assert!(c.contains(&"axml.odd_attribute_size"), "{c:?}");
}

#[test]
fn attributes_overrunning_the_node() {
    let mut parts = body(pool(STRS, &PoolOpts::default()), &[]);
    let mut el = start_el(4, N, 8, &[(4, 1, 9, 0x03, 9)]);
    // Claim 3 attributes while only one is present.
    el[16 + 12] = 3;
    parts[5] = el;
    let (doc, sink) = parse(&doc(3, &parts));
    assert!(doc.is_ok());
    assert!(codes(&sink).contains(&"axml.attributes_overrun"));
}

#[test]
fn duplicate_attribute() {
    let data = doc(
        3,
        &body(
            pool(STRS, &PoolOpts::default()),
            &[(4, 2, N, 0x12, 0), (4, 2, N, 0x12, 1)],
        ),
    );
    let (doc, sink) = parse(&data);
    let doc = doc.expect("parses");
    let act = &doc.root.children[0].children[0];
    // First one, as Android's attribute finder does.
    assert_eq!(
        act.android_attr("exported").and_then(|a| a.value.as_bool()),
        Some(false)
    );
    assert!(codes(&sink).contains(&"axml.duplicate_attribute"));
}

#[test]
fn unknown_chunks_are_skipped() {
    let mut parts = body(
        pool(STRS, &PoolOpts::default()),
        &[(4, 1, 9, 3, 9), (4, 2, N, 0x12, 1)],
    );
    parts.insert(1, chunk(0x7777, &[], &[1, 2, 3, 4, 5, 6, 7, 8]));
    parts.insert(6, chunk(0x0142, &[0; 8], &[0; 16]));
    let (doc, sink) = parse(&doc(3, &parts));
    check_manifest(&doc.expect("parses"));
    let n = codes(&sink)
        .iter()
        .filter(|c| **c == "axml.unknown_chunk")
        .count();
    assert_eq!(n, 2, "{:?}", sink.items());
}

#[test]
fn wrong_file_type_and_size_overrun() {
    let mut data = manifest(&PoolOpts::default());
    data[0] = 0x02; // table type
    let len = data.len() as u32 + 100;
    data[4..8].copy_from_slice(&len.to_le_bytes());
    let (doc, sink) = parse(&data);
    check_manifest(&doc.expect("parses"));
    let c = codes(&sink);
    assert!(c.contains(&"axml.bad_file_type"), "{c:?}");
    assert!(c.contains(&"axml.size_overrun"), "{c:?}");
}

#[test]
fn missing_xml_header() {
    let parts = body(
        pool(STRS, &PoolOpts::default()),
        &[(4, 1, 9, 3, 9), (4, 2, N, 0x12, 1)],
    );
    let data = parts.concat();
    let (doc, sink) = parse(&data);
    check_manifest(&doc.expect("parses"));
    assert!(codes(&sink).contains(&"axml.missing_xml_header"));
}

#[test]
fn chunk_overrun_is_clamped() {
    let mut data = manifest(&PoolOpts::default());
    // Last node (end namespace) claims far more than is there.
    let n = data.len();
    let last = n - 24;
    data[last + 4..last + 8].copy_from_slice(&0x1000u32.to_le_bytes());
    let (doc, sink) = parse(&data);
    check_manifest(&doc.expect("parses"));
    assert!(codes(&sink).contains(&"axml.chunk_overrun"));
}

#[test]
fn text_xml_is_refused() {
    for t in [
        &b"<?xml version=\"1.0\"?><manifest/>"[..],
        b"\xef\xbb\xbf  <manifest/>",
        b"\n<manifest/>",
    ] {
        assert_eq!(parse(t).0.err(), Some(AxmlError::TextXml));
    }
    assert_eq!(parse(b"\x03\0").0.err(), Some(AxmlError::TooShort(2)));
    assert_eq!(parse(b"").0.err(), Some(AxmlError::TooShort(0)));
}

#[test]
fn no_root_without_nodes() {
    let data = doc(3, &[pool(STRS, &PoolOpts::default())]);
    assert_eq!(parse(&data).0.err(), Some(AxmlError::NoRoot));
}

#[test]
fn element_cap() {
    let mut parts = vec![pool(STRS, &PoolOpts::default()), start_el(1, N, 5, &[])];
    for _ in 0..50 {
        parts.push(start_el(2, N, 8, &[]));
        parts.push(end_el(N, 8));
    }
    parts.push(end_el(N, 5));
    let data = doc(3, &parts);
    let mut sink = AnomalySink::default();
    let limits = Limits {
        max_xml_elements: 10,
        ..Limits::default()
    };
    let d = parse_xml(&data, "x.xml", &limits, &mut sink).expect("parses");
    assert_eq!(d.root.subtree_len(), 10);
    let c = codes(&sink);
    assert!(c.contains(&"axml.too_many_elements"), "{c:?}");
    assert!(c.contains(&"axml.unclosed_elements"), "{c:?}");
}

#[test]
fn deep_nesting_is_cut_without_recursion() {
    let depth = 100_000;
    let mut parts = vec![pool(STRS, &PoolOpts::default())];
    for _ in 0..depth {
        parts.push(start_el(1, N, 8, &[]));
    }
    for _ in 0..depth {
        parts.push(end_el(N, 8));
    }
    let (doc, sink) = parse(&doc(3, &parts));
    let doc = doc.expect("parses");
    assert_eq!(doc.root.subtree_len(), MAX_DEPTH);
    assert!(codes(&sink).contains(&"axml.too_deep"));
    assert!(doc.to_xml_string().len() > MAX_DEPTH);
}

#[test]
fn multiple_roots_and_unbalanced_end() {
    let parts = vec![
        pool(STRS, &PoolOpts::default()),
        end_el(N, 8),
        start_el(1, N, 5, &[]),
        end_el(N, 5),
        start_el(1, N, 8, &[]),
        end_el(N, 8),
    ];
    let (doc, sink) = parse(&doc(3, &parts));
    assert_eq!(doc.expect("parses").root.name, "manifest");
    let c = codes(&sink);
    assert!(c.contains(&"axml.multiple_roots"), "{c:?}");
    assert!(c.contains(&"axml.unbalanced_end"), "{c:?}");
}

#[test]
fn values() {
    assert_eq!(Value::from_typed(0x12, 0xffff_ffff).as_bool(), Some(true));
    assert_eq!(Value::from_typed(0x10, 0xffff_ffff).as_int(), Some(-1));
    assert_eq!(Value::from_typed(0x11, 0x10).as_int(), Some(16));
    assert_eq!(Value::String("true".into()).as_bool(), Some(true));
    assert_eq!(Value::String("0x1f".into()).as_int(), Some(31));
    assert_eq!(
        Value::from_typed(0x01, 0x7f01_0000),
        Value::Reference(0x7f01_0000)
    );
    assert_eq!(Value::from_typed(0x05, 0x1001).to_string(), "16dp");
    assert_eq!(
        Value::from_typed(0x1c, 0xff00_ff00).to_string(),
        "#ff00ff00"
    );
    assert_eq!(Value::from_typed(0x00, 0).as_bool(), None);
}

#[test]
fn truncation_at_every_offset_never_panics() {
    for utf8 in [false, true] {
        let data = manifest(&PoolOpts {
            utf8,
            ..Default::default()
        });
        for n in 0..=data.len() {
            let _ = parse(data.get(..n).unwrap_or_default());
        }
    }
}

#[test]
fn random_byte_flips_never_panic() {
    let seeds = [
        manifest(&PoolOpts::default()),
        manifest(&PoolOpts {
            utf8: true,
            gap: 8,
            ..Default::default()
        }),
    ];
    let mut rng = pipa_testkit::Prng::new(0x9e37_79b9_7f4a_7c15);
    let limits = Limits {
        max_xml_elements: 1000,
        ..Limits::default()
    };
    for i in 0..6000 {
        let mut data = seeds[i % 2].clone();
        rng.damage(&mut data);
        let mut sink = AnomalySink::default();
        if let Ok(doc) = parse_xml(&data, "f.xml", &limits, &mut sink) {
            let _ = doc.to_xml_string();
        }
    }
}
