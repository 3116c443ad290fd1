//! Unit tests over hand-assembled fixtures and mutated real dex files.

use pipa_core::AnomalySink;
use pipa_testkit::{ANDROGUARD_EXAMPLES, Prng};

use crate::testdex::{self, STRINGS, fix_integrity};
use crate::{Check, CodeIndex, DexError, parse_dex_file};

const TM_GET_DEVICE_ID: &str =
    "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;";

fn codes(sink: &AnomalySink) -> Vec<&'static str> {
    sink.items().iter().map(|a| a.code).collect()
}

#[test]
fn minimal_dex_reads() {
    let bytes = testdex::build(b"035", 0);
    let mut sink = AnomalySink::default();
    let dexes = parse_dex_file(&bytes, "classes.dex", &mut sink).expect("fixture parses");
    assert!(sink.is_empty(), "{:?}", sink.items());
    let d = &dexes[0];
    assert_eq!(d.version(), 35);
    assert_eq!(d.checksum_check(), Check::Ok);
    assert_eq!(d.signature_check(), Check::Ok);
    assert_eq!(
        (
            d.string_ids_count(),
            d.type_ids_count(),
            d.proto_ids_count()
        ),
        (12, 6, 2)
    );
    assert_eq!(
        (
            d.field_ids_count(),
            d.method_ids_count(),
            d.class_defs_count()
        ),
        (1, 3, 1)
    );
    for (i, s) in STRINGS.iter().enumerate() {
        assert_eq!(d.string(i as u32).as_deref(), Some(*s));
        assert_eq!(d.find_string(s), Some(i as u32));
    }
    assert_eq!(d.find_string("nope"), None);
    assert_eq!(d.find_type("Lcom/example/Foo;"), Some(2));
    assert_eq!(
        d.method_ref(0).map(|m| m.to_string()).as_deref(),
        Some(TM_GET_DEVICE_ID)
    );
    assert_eq!(
        d.field_ref(0).map(|f| f.to_string()).as_deref(),
        Some("Landroid/os/Build;->SERIAL:Ljava/lang/String;")
    );
    let cd = d.class_def(0).expect("class def");
    assert_eq!(
        d.type_descriptor(cd.class_idx).as_deref(),
        Some("Lcom/example/Foo;")
    );
    assert_eq!(d.superclass(&cd).as_deref(), Some("Ljava/lang/Object;"));
    assert!(d.interfaces(&cd).is_empty());
    let data = d.class_data(&cd).expect("class data");
    assert_eq!(data.virtual_methods.len(), 1);
    let m = data.virtual_methods[0];
    assert_eq!((m.method_idx, m.access_flags), (1, 1));
    let code = d.code_item(m.code_off).expect("code");
    let ops: Vec<(u32, u8, u32)> = code
        .instructions()
        .map(|i| (i.offset, i.opcode, i.index))
        .collect();
    assert_eq!(
        ops,
        vec![
            (0, 0x62, 0),
            (2, 0x1a, 10),
            (4, 0x22, 3),
            (6, 0x70, 2),
            (9, 0x6e, 0),
            (12, 0x0e, 0)
        ]
    );
}

#[test]
fn minimal_dex_index() {
    let bytes = testdex::build(b"035", 0);
    let mut sink = AnomalySink::default();
    let dexes = parse_dex_file(&bytes, "classes.dex", &mut sink).expect("parses");
    let idx = CodeIndex::build(dexes, &mut sink);
    assert!(sink.is_empty());
    let sites = idx.call_sites(TM_GET_DEVICE_ID);
    assert_eq!(sites.len(), 1);
    assert_eq!(
        idx.render_site(&sites[0]),
        format!("Lcom/example/Foo;->run()V @0x0009 invoke-virtual {TM_GET_DEVICE_ID}")
    );
    assert_eq!(
        idx.call_sites_by_name("Landroid/telephony/TelephonyManager;", "getDeviceId")
            .len(),
        1
    );
    assert!(
        idx.call_sites("Landroid/telephony/TelephonyManager;->getDeviceId()V")
            .is_empty()
    );
    let init = idx.call_sites("Ljava/lang/Object;-><init>()V");
    assert_eq!((init.len(), init[0].offset, init[0].opcode), (1, 6, 0x70));
    let sget = idx.static_field_reads("Landroid/os/Build;->SERIAL:Ljava/lang/String;");
    assert_eq!((sget.len(), sget[0].offset), (1, 0));
    assert!(
        idx.static_field_reads("Landroid/os/Build;->SERIAL:I")
            .is_empty()
    );
    let ni = idx.new_instance_sites("Ljava/lang/Object;");
    assert_eq!((ni.len(), ni[0].offset, ni[0].caller), (1, 4, 1));
    let cs = idx.const_string_sites("hello");
    assert_eq!((cs.len(), cs[0].offset), (1, 2));
    assert_eq!(
        idx.render_site(&cs[0]),
        "Lcom/example/Foo;->run()V @0x0002 const-string \"hello\""
    );
    let m = idx.search_strings(&["Device", "ell", "zzz", "L"]);
    let got: Vec<(u32, u32)> = m.iter().map(|x| (x.string.string_idx, x.pattern)).collect();
    // "L" occurs in every descriptor, the shorty "L" and "SERIAL".
    assert!(got.contains(&(9, 0)) && got.contains(&(10, 1)) && got.contains(&(1, 3)));
    assert!(!got.iter().any(|x| x.1 == 2));
    assert_eq!(got.iter().filter(|x| x.1 == 3).count(), 7);
    assert_eq!(idx.find_string("run").len(), 1);
    assert_eq!(idx.classes_with_prefix("Lcom/").len(), 1);
    assert!(idx.classes_with_prefix("Landroid/").is_empty());
    let am = idx.methods_with_prefix("Landroid/");
    assert_eq!(am.len(), 1);
    assert_eq!(
        idx.method_ref(am[0]).map(|m| m.to_string()).as_deref(),
        Some(TM_GET_DEVICE_ID)
    );
    let s = &idx.summaries()[0];
    assert_eq!((s.methods_with_code, s.invokes, s.anomalies), (1, 2, 0));
    assert_eq!(idx.invoke_sites().count(), 2);
}

#[test]
fn bad_checksum_and_unknown_version_are_anomalies() {
    let mut bytes = testdex::build(b"035", 0);
    bytes[8] ^= 1;
    let mut sink = AnomalySink::default();
    let d = parse_dex_file(&bytes, "x.dex", &mut sink).expect("parses");
    assert_eq!(d[0].checksum_check(), Check::Bad);
    assert_eq!(codes(&sink), vec!["dex.bad_checksum"]);

    let mut bytes = testdex::build(b"036", 0);
    let len = bytes.len();
    bytes.extend_from_slice(&[0; 8]);
    fix_integrity(&mut bytes, 0, len);
    let mut sink = AnomalySink::default();
    let d = parse_dex_file(&bytes, "x.dex", &mut sink).expect("parses");
    assert_eq!(d[0].version(), 36);
    assert_eq!(
        codes(&sink),
        vec!["dex.unknown_version", "dex.file_size_mismatch"]
    );
}

#[test]
fn not_dex_is_error() {
    let mut sink = AnomalySink::default();
    assert!(matches!(
        parse_dex_file(b"PK\x03\x04", "a", &mut sink),
        Err(DexError::NotDex(_))
    ));
    assert!(matches!(
        parse_dex_file(b"dex\n035\0", "a", &mut sink),
        Err(DexError::Truncated { .. })
    ));
    assert!(matches!(
        parse_dex_file(b"dex\n0a5\0", "a", &mut sink),
        Err(DexError::NotDex(_))
    ));
    let mut big = testdex::build(b"035", 0);
    big[0x28..0x2c].copy_from_slice(&0x7856_3412u32.to_le_bytes());
    assert!(matches!(
        parse_dex_file(&big, "a", &mut sink),
        Err(DexError::BadEndian(_))
    ));
    let mut bad = testdex::build(b"035", 0);
    bad[0x5c..0x60].copy_from_slice(&0xffff_0000u32.to_le_bytes());
    assert!(matches!(
        parse_dex_file(&bad, "a", &mut sink),
        Err(DexError::BadIdTable {
            table: "method_ids",
            ..
        })
    ));
}

#[test]
fn container_041_with_two_dex() {
    let a = testdex::build(b"041", 0);
    let h = a.len();
    assert!(h.is_multiple_of(4));
    let b = testdex::build(b"041", h as u32);
    let mut c = a.clone();
    c.extend_from_slice(&b);
    let total = c.len() as u32;
    for base in [0, h] {
        c[base + 0x70..base + 0x74].copy_from_slice(&total.to_le_bytes());
    }
    fix_integrity(&mut c, 0, h);
    fix_integrity(&mut c, h, b.len());
    let mut sink = AnomalySink::default();
    let dexes = parse_dex_file(&c, "classes.dex", &mut sink).expect("container parses");
    assert!(sink.is_empty(), "{:?}", sink.items());
    assert_eq!(dexes.len(), 2);
    assert_eq!(dexes[1].header_offset(), h);
    assert_eq!(dexes[1].location(), "classes.dex#1");
    assert_eq!(dexes[1].checksum_check(), Check::Ok);
    assert_eq!(dexes[1].string(10).as_deref(), Some("hello"));
    let idx = CodeIndex::build(dexes, &mut sink);
    let sites = idx.call_sites(TM_GET_DEVICE_ID);
    assert_eq!(sites.iter().map(|s| s.dex).collect::<Vec<_>>(), vec![0, 1]);
    assert_eq!(idx.search_strings(&["hello"]).len(), 2);
}

/// Parses, indexes and touches every accessor; used on mutated input.
fn exercise(bytes: &[u8]) {
    let mut sink = AnomalySink::default();
    let Ok(dexes) = parse_dex_file(bytes, "fuzz.dex", &mut sink) else {
        return;
    };
    for d in &dexes {
        for i in 0..d.string_ids_count().min(200) {
            let _ = d.string(i);
        }
        for i in 0..d.method_ids_count().min(200) {
            let _ = d.method_ref(i);
        }
        for i in 0..d.field_ids_count().min(50) {
            let _ = d.field_ref(i);
        }
        for cd in d.class_defs().take(50) {
            let _ = d.superclass(&cd);
            let _ = d.interfaces(&cd);
            if let Some(data) = d.class_data(&cd) {
                for m in data.methods() {
                    if let Some(code) = d.code_item(m.code_off) {
                        let _ = code.instructions().count();
                    }
                }
            }
        }
        let _ = d.types_with_prefix("Landroid/");
    }
    let idx = CodeIndex::build(dexes, &mut sink);
    for s in idx.invoke_sites().take(100) {
        let _ = idx.render_site(s);
    }
    let _ = idx.call_sites(TM_GET_DEVICE_ID);
    let _ = idx.call_sites_by_name("Ljava/lang/Object;", "<init>");
    let _ = idx.search_strings(&["http", "L", "a"]);
    let _ = idx.static_field_reads("Landroid/os/Build;->SERIAL:Ljava/lang/String;");
    let _ = idx.methods_with_prefix("L");
    let _ = idx.classes_with_prefix("L");
    let _ = idx.summaries();
}

#[test]
fn every_truncation_is_safe() {
    let bytes = testdex::build(b"035", 0);
    for n in 0..=bytes.len() {
        exercise(&bytes[..n]);
    }
}

fn flip_bytes(base: &[u8], iterations: usize, seed: u64) {
    let mut rng = Prng::new(seed);
    let mut buf = base.to_vec();
    for _ in 0..iterations {
        buf.copy_from_slice(base);
        let flips = 1 + rng.next_u64() % 16;
        for _ in 0..flips {
            let r = rng.next_u64();
            // Bias towards the header and id tables, where damage spreads.
            let span = if r & 1 == 0 {
                buf.len().min(0x200)
            } else {
                buf.len()
            };
            let pos = (r >> 8) as usize % span.max(1);
            if let Some(b) = buf.get_mut(pos) {
                *b = (rng.next_u64() & 0xff) as u8;
            }
        }
        exercise(&buf);
    }
}

#[test]
fn random_flips_on_fixture_do_not_panic() {
    flip_bytes(&testdex::build(b"035", 0), 3000, 0x9E37_79B9_7F4A_7C15);
}

#[test]
fn random_flips_on_real_dex_do_not_panic() {
    let path = std::path::Path::new(ANDROGUARD_EXAMPLES).join("tests/Test.dex");
    let Ok(bytes) = std::fs::read(&path) else {
        println!(
            "notice: {} not found; real-dex flip test skipped",
            path.display()
        );
        return;
    };
    flip_bytes(&bytes, 300, 0xD1B5_4A32_D192_ED03);
}

#[test]
fn shared_code_amplification_is_bounded() {
    // One class whose class_data lists 200k virtual methods, all pointing at
    // the same code item: the walk must stop at the work budget.
    let mut bytes = testdex::build(b"035", 0);
    // A large code item: 33,333 invoke-virtual + 1 nop = 100,000 units.
    let code_off = bytes.len() as u32;
    for v in [3u16, 1, 1, 0, 0, 0] {
        bytes.extend_from_slice(&v.to_le_bytes());
    }
    bytes.extend_from_slice(&100_000u32.to_le_bytes());
    for _ in 0..33_333 {
        for u in [0x106eu16, 0x0000, 0x0001] {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
    }
    bytes.extend_from_slice(&[0, 0]);
    let cd_off = bytes.len() as u32;
    let n = 200_000u32;
    let mut cd = vec![0u8, 0, 0];
    let uleb = |mut v: u32, out: &mut Vec<u8>| loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            break;
        }
        out.push(b | 0x80);
    };
    uleb(n, &mut cd);
    for i in 0..n {
        uleb(u32::from(i == 0), &mut cd);
        uleb(1, &mut cd);
        uleb(code_off, &mut cd);
    }
    bytes.extend_from_slice(&cd);
    let cdef = 0x70 + 128;
    bytes[cdef + 24..cdef + 28].copy_from_slice(&cd_off.to_le_bytes());
    let len = bytes.len();
    bytes[0x20..0x24].copy_from_slice(&(len as u32).to_le_bytes());
    fix_integrity(&mut bytes, 0, len);
    let mut sink = AnomalySink::default();
    let dexes = parse_dex_file(&bytes, "amp.dex", &mut sink).expect("parses");
    let idx = CodeIndex::build(dexes, &mut sink);
    assert!(
        codes(&sink).contains(&"dex.work_limit"),
        "{:?}",
        codes(&sink)
    );
    assert!(idx.invoke_count() <= 4 * len / 3);
}
