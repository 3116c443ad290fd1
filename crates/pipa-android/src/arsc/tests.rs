//! Hand-built resource tables: layouts, hostile variants, truncation, flips.

use super::*;
use crate::axml::tests::w::{PoolOpts, chunk, pool, u16s, u32s};

fn simple(key: u32, ty: u8, data: u32) -> Vec<u8> {
    let mut e = u16s(8).to_vec();
    e.extend_from_slice(&u16s(0));
    e.extend_from_slice(&u32s(key));
    e.extend_from_slice(&u16s(8));
    e.push(0);
    e.push(ty);
    e.extend_from_slice(&u32s(data));
    e
}

fn bag(key: u32, parent: u32, items: &[(u32, u8, u32)]) -> Vec<u8> {
    let mut e = u16s(16).to_vec();
    e.extend_from_slice(&u16s(ENTRY_FLAG_COMPLEX));
    e.extend_from_slice(&u32s(key));
    e.extend_from_slice(&u32s(parent));
    e.extend_from_slice(&u32s(items.len() as u32));
    for &(name, ty, data) in items {
        e.extend_from_slice(&u32s(name));
        e.extend_from_slice(&u16s(8));
        e.push(0);
        e.push(ty);
        e.extend_from_slice(&u32s(data));
    }
    e
}

fn compact(key: u16, ty: u8, data: u32) -> Vec<u8> {
    let mut e = u16s(key).to_vec();
    e.extend_from_slice(&u16s(ENTRY_FLAG_COMPACT | ((ty as u16) << 8)));
    e.extend_from_slice(&u32s(data));
    e
}

fn config(lang: &[u8; 2], region: &[u8; 2], density: u16, sdk: u16) -> Vec<u8> {
    let mut c = vec![0u8; 64];
    c[0..4].copy_from_slice(&u32s(64));
    c[8..10].copy_from_slice(lang);
    c[10..12].copy_from_slice(region);
    c[14..16].copy_from_slice(&u16s(density));
    c[24..26].copy_from_slice(&u16s(sdk));
    c
}

fn type_chunk(tid: u8, flags: u8, cfg: &[u8], count: u32, entries: &[(u16, Vec<u8>)]) -> Vec<u8> {
    let mut offs = Vec::new();
    let mut data = Vec::new();
    let mut placed = Vec::new();
    for (idx, e) in entries {
        placed.push((*idx, data.len()));
        data.extend_from_slice(e);
    }
    if flags & FLAG_SPARSE != 0 {
        for &(idx, off) in &placed {
            offs.extend_from_slice(&u16s(idx));
            offs.extend_from_slice(&u16s((off / 4) as u16));
        }
    } else if flags & FLAG_OFFSET16 != 0 {
        for i in 0..count as u16 {
            let o = placed
                .iter()
                .find(|p| p.0 == i)
                .map_or(0xffff, |p| (p.1 / 4) as u16);
            offs.extend_from_slice(&u16s(o));
        }
        while offs.len() % 4 != 0 {
            offs.push(0);
        }
    } else {
        for i in 0..count as u16 {
            let o = placed
                .iter()
                .find(|p| p.0 == i)
                .map_or(NO_ENTRY, |p| p.1 as u32);
            offs.extend_from_slice(&u32s(o));
        }
    }
    let hs = 8 + 12 + cfg.len();
    let mut h = vec![tid, flags, 0, 0];
    let n = if flags & FLAG_SPARSE != 0 {
        entries.len() as u32
    } else {
        count
    };
    h.extend_from_slice(&u32s(n));
    h.extend_from_slice(&u32s((hs + offs.len()) as u32));
    h.extend_from_slice(cfg);
    let mut body = offs;
    body.extend_from_slice(&data);
    chunk(0x0201, &h, &body)
}

fn spec(tid: u8, count: u32) -> Vec<u8> {
    let mut h = vec![tid, 0, 0, 0];
    h.extend_from_slice(&u32s(count));
    let body: Vec<u8> = (0..count).flat_map(|_| u32s(0x4000_0000)).collect();
    chunk(0x0202, &h, &body)
}

fn package(id: u32, name: &str, children: &[Vec<u8>]) -> Vec<u8> {
    let types = pool(&["string", "xml", "style"], &PoolOpts::default());
    let keys = pool(
        &["app_name", "alias", "loop", "prefs", "Theme"],
        &PoolOpts {
            utf8: true,
            ..Default::default()
        },
    );
    let mut h = u32s(id).to_vec();
    let mut n = [0u8; 256];
    for (i, u) in name.encode_utf16().take(127).enumerate() {
        n[i * 2..i * 2 + 2].copy_from_slice(&u16s(u));
    }
    h.extend_from_slice(&n);
    h.extend_from_slice(&u32s(288));
    h.extend_from_slice(&u32s(3));
    h.extend_from_slice(&u32s(288 + types.len() as u32));
    h.extend_from_slice(&u32s(5));
    h.extend_from_slice(&u32s(0));
    let mut body = types;
    body.extend_from_slice(&keys);
    for c in children {
        body.extend_from_slice(c);
    }
    chunk(0x0200, &h, &body)
}

fn table(extra: &[Vec<u8>]) -> Vec<u8> {
    let values = pool(
        &["App", "res/xml/prefs.xml", "应用", "alt"],
        &PoolOpts::default(),
    );
    let def = config(&[0, 0], &[0, 0], 0, 0);
    let zh = config(b"zh", b"CN", 0, 0);
    let hdpi = config(&[0, 0], &[0, 0], 240, 4);
    let mut children = vec![
        spec(1, 3),
        type_chunk(
            1,
            0,
            &def,
            3,
            &[
                (0, simple(0, 3, 0)),
                (1, simple(1, 1, 0x7f01_0000)),
                (2, simple(2, 1, 0x7f01_0002)),
            ],
        ),
        type_chunk(1, FLAG_SPARSE, &zh, 3, &[(0, simple(0, 3, 2))]),
        type_chunk(1, FLAG_OFFSET16, &hdpi, 3, &[(1, compact(1, 3, 3))]),
        spec(2, 1),
        type_chunk(2, 0, &def, 1, &[(0, simple(3, 3, 1))]),
        spec(3, 1),
        type_chunk(3, 0, &def, 1, &[(0, bag(4, 0, &[(0x0101_0000, 0x10, 1)]))]),
    ];
    children.extend_from_slice(extra);
    let pkg = package(0x7f, "com.example", &children);
    let mut body = values;
    body.extend_from_slice(&pkg);
    chunk(0x0002, &u32s(1), &body)
}

fn parse(data: &[u8]) -> (Result<ResourceTable, ArscError>, AnomalySink) {
    let mut sink = AnomalySink::default();
    let r = parse_arsc(data, "resources.arsc", &mut sink);
    (r, sink)
}

#[test]
fn reads_a_table() {
    let (t, sink) = parse(&table(&[]));
    let t = t.expect("parses");
    assert!(sink.is_empty(), "{:?}", sink.items());
    assert_eq!(t.packages(), vec![(0x7f, "com.example".to_owned())]);
    assert_eq!(t.name_of(0x7f01_0000).as_deref(), Some("string/app_name"));
    assert_eq!(t.name_of(0x7f02_0000).as_deref(), Some("xml/prefs"));
    assert_eq!(t.name_of(0x7f01_0009), None);
    assert_eq!(t.id_of("string", "alias"), Some(0x7f01_0001));
    let v = t.values(0x7f01_0000);
    let shown: Vec<(String, Option<&str>)> =
        v.iter().map(|(c, v)| (c.to_string(), v.as_str())).collect();
    assert_eq!(
        shown,
        vec![
            ("default".to_owned(), Some("App")),
            ("zh-rCN".to_owned(), Some("应用"))
        ]
    );
    assert_eq!(v[1].0.language, "zh");
    assert_eq!(v[1].0.region, "CN");
    // Compact entry in an offset16 chunk.
    let v = t.values(0x7f01_0001);
    assert_eq!(v.len(), 2);
    assert_eq!(v[1].0.to_string(), "hdpi-v4");
    assert_eq!(v[1].1.as_str(), Some("alt"));
    assert_eq!(v[1].0.density, 240);
    // alias → app_name (default config).
    assert_eq!(t.resolve_string(0x7f01_0001).as_deref(), Some("App"));
    // Self-reference: cycle-safe.
    assert_eq!(
        t.resolve(0x7f01_0002),
        Some(ResValue::Value(Value::Reference(0x7f01_0002)))
    );
    assert_eq!(t.resolve_string(0x7f01_0002), None);
    assert_eq!(
        t.resolve_string(0x7f02_0000).as_deref(),
        Some("res/xml/prefs.xml")
    );
    assert_eq!(
        t.resolve(0x7f03_0000),
        Some(ResValue::Bag {
            parent: 0,
            count: 1
        })
    );
    assert_eq!(t.spec_flags(0x7f01_0000), Some(0x4000_0000));
}

#[test]
fn skipped_and_unknown_chunks() {
    let lib = chunk(0x0203, &u32s(0), &[]);
    let overlay = chunk(0x0204, &[0; 8], &[]);
    let alias = chunk(0x0206, &u32s(0), &[]);
    let junk = chunk(0x0299, &[], &[1, 2, 3, 4]);
    let (t, sink) = parse(&table(&[lib, overlay, alias, junk]));
    let t = t.expect("parses");
    assert_eq!(t.resolve_string(0x7f01_0000).as_deref(), Some("App"));
    let c: Vec<_> = sink.items().iter().map(|a| a.code).collect();
    assert_eq!(c, vec!["arsc.unknown_chunk"]);
}

#[test]
fn unsorted_sparse_and_bad_offsets() {
    let def = config(&[0, 0], &[0, 0], 0, 0);
    let mut t = type_chunk(
        1,
        FLAG_SPARSE,
        &config(b"fr", &[0, 0], 0, 0),
        3,
        &[(2, simple(0, 3, 3)), (0, simple(0, 3, 3))],
    );
    let bad = type_chunk(1, 0, &def, 1, &[(0, simple(0, 3, 0))]);
    let mut bad = bad;
    // Point entry 0 far outside the chunk.
    let hs = 8 + 12 + 64;
    bad[hs..hs + 4].copy_from_slice(&u32s(0x0fff_fff0));
    t.extend_from_slice(&bad);
    let (tab, sink) = parse(&table(&[t]));
    let tab = tab.expect("parses");
    assert!(
        tab.values(0x7f01_0002)
            .iter()
            .any(|(c, _)| c.to_string() == "fr")
    );
    let c: Vec<_> = sink.items().iter().map(|a| a.code).collect();
    assert!(c.contains(&"arsc.sparse_unsorted"), "{c:?}");
    assert!(c.contains(&"arsc.bad_entry"), "{c:?}");
}

#[test]
fn multiple_packages_get_prefixed_names() {
    let data = table(&[]);
    let mut two = data.clone();
    let pkg2 = package(
        0x80,
        "com.other",
        &[
            spec(1, 1),
            type_chunk(
                1,
                0,
                &config(&[0, 0], &[0, 0], 0, 0),
                1,
                &[(0, simple(0, 3, 0))],
            ),
        ],
    );
    two.extend_from_slice(&pkg2);
    let len = two.len() as u32;
    two[4..8].copy_from_slice(&u32s(len));
    let (t, sink) = parse(&two);
    let t = t.expect("parses");
    assert_eq!(
        t.name_of(0x8001_0000).as_deref(),
        Some("com.other:string/app_name")
    );
    assert_eq!(
        t.name_of(0x7f01_0000).as_deref(),
        Some("com.example:string/app_name")
    );
    assert!(sink.items().iter().any(|a| a.code == "arsc.package_count"));
}

#[test]
fn not_a_table() {
    assert_eq!(parse(b"").0.err(), Some(ArscError::TooShort(0)));
    assert!(matches!(
        parse(&[3, 0, 8, 0, 8, 0, 0, 0]).0,
        Err(ArscError::NotATable(3, 8))
    ));
}

#[test]
fn three_letter_and_bcp47_locales() {
    // "ast": packed 1xxxxxyy yyyzzzzz
    let (a, s, t) = (0u8, (b's' - b'a'), (b't' - b'a'));
    let b0 = 0x80 | (t << 2) | (s >> 3);
    let b1 = ((s & 7) << 5) | a;
    let mut c = config(&[b0, b1], b"ES", 0, 0);
    assert_eq!(Config::parse(&c).to_string(), "ast-rES");
    c[36..40].copy_from_slice(b"Latn");
    assert_eq!(Config::parse(&c).to_string(), "b+ast+Latn+ES");
    assert_eq!(Config::parse(&[]).to_string(), "default");
}

#[test]
fn truncation_at_every_offset_never_panics() {
    let data = table(&[]);
    for n in 0..=data.len() {
        let (t, _) = parse(data.get(..n).unwrap_or_default());
        if let Ok(t) = t {
            for id in [0x7f01_0000, 0x7f01_0001, 0x7f01_0002, 0x7f03_0000] {
                let _ = (t.name_of(id), t.values(id), t.resolve_string(id));
            }
        }
    }
}

#[test]
fn random_byte_flips_never_panic() {
    let seed = table(&[]);
    let mut rng = pipa_testkit::Prng::new(0x1234_5678_9abc_def1);
    for _ in 0..6000 {
        let mut data = seed.clone();
        rng.damage(&mut data);
        if let (Ok(t), _) = parse(&data) {
            for id in [
                0x7f01_0000,
                0x7f01_0001,
                0x7f01_0002,
                0x7f02_0000,
                0x7f03_0000,
            ] {
                let _ = (t.name_of(id), t.values(id), t.resolve(id));
            }
        }
    }
}
