//! Unit tests with archives built byte by byte, including BadPack tricks.

use super::*;
use std::io::Write;

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// One entry to write; every field a trick may tamper with is separate.
#[derive(Clone)]
struct Fx {
    name: String,
    content: Vec<u8>,
    deflate: bool,
    cd_method: Option<u16>,
    lfh_method: Option<u16>,
    cd_flags: u16,
    lfh_flags: u16,
    zero_local_sizes: bool,
    crc: Option<u32>,
}

fn fx(name: &str, content: &[u8], deflate: bool) -> Fx {
    Fx {
        name: name.into(),
        content: content.to_vec(),
        deflate,
        cd_method: None,
        lfh_method: None,
        cd_flags: 0,
        lfh_flags: 0,
        zero_local_sizes: false,
        crc: None,
    }
}

fn p16(v: &mut Vec<u8>, x: u16) {
    v.extend_from_slice(&x.to_le_bytes());
}
fn p32(v: &mut Vec<u8>, x: u32) {
    v.extend_from_slice(&x.to_le_bytes());
}
fn p64(v: &mut Vec<u8>, x: u64) {
    v.extend_from_slice(&x.to_le_bytes());
}

#[allow(clippy::too_many_arguments)]
fn lfh(out: &mut Vec<u8>, name: &[u8], method: u16, flags: u16, crc: u32, cs: u32, us: u32) {
    p32(out, LFH_SIG);
    p16(out, 20);
    p16(out, flags);
    p16(out, method);
    p32(out, 0);
    p32(out, crc);
    p32(out, cs);
    p32(out, us);
    p16(out, name.len() as u16);
    p16(out, 0);
    out.extend_from_slice(name);
}

#[allow(clippy::too_many_arguments)]
fn cdr(
    out: &mut Vec<u8>,
    name: &[u8],
    method: u16,
    flags: u16,
    crc: u32,
    cs: u32,
    us: u32,
    off: u32,
    extra: &[u8],
) {
    p32(out, CD_SIG);
    p16(out, 0x031e);
    p16(out, 20);
    p16(out, flags);
    p16(out, method);
    p32(out, 0);
    p32(out, crc);
    p32(out, cs);
    p32(out, us);
    p16(out, name.len() as u16);
    p16(out, extra.len() as u16);
    p16(out, 0);
    p16(out, 0);
    p16(out, 0);
    p32(out, 0);
    p32(out, off);
    out.extend_from_slice(name);
    out.extend_from_slice(extra);
}

fn eocd(out: &mut Vec<u8>, n: u16, cd_size: u32, cd_off: u32, comment: &[u8]) {
    p32(out, locate::EOCD_SIG);
    p16(out, 0);
    p16(out, 0);
    p16(out, n);
    p16(out, n);
    p32(out, cd_size);
    p32(out, cd_off);
    p16(out, comment.len() as u16);
    out.extend_from_slice(comment);
}

struct Opts {
    junk: usize,
    fix_offsets: bool,
    signing_block: Option<Vec<u8>>,
    comment: Vec<u8>,
}

impl Default for Opts {
    fn default() -> Self {
        Opts {
            junk: 0,
            fix_offsets: true,
            signing_block: None,
            comment: Vec::new(),
        }
    }
}

fn build_with(es: &[Fx], o: &Opts) -> Vec<u8> {
    let mut out = vec![0x5au8; o.junk];
    let base = if o.fix_offsets { o.junk } else { 0 };
    let mut cd = Vec::new();
    for e in es {
        let off = (out.len() - o.junk + base) as u32;
        let crc = e.crc.unwrap_or_else(|| crc32fast::hash(&e.content));
        let body = if e.deflate {
            deflate(&e.content)
        } else {
            e.content.clone()
        };
        let real = if e.deflate { 8 } else { 0 };
        let (cs, us) = (body.len() as u32, e.content.len() as u32);
        let (lcs, lus, lcrc) = if e.zero_local_sizes {
            (0, 0, 0)
        } else {
            (cs, us, crc)
        };
        lfh(
            &mut out,
            e.name.as_bytes(),
            e.lfh_method.unwrap_or(real),
            e.lfh_flags,
            lcrc,
            lcs,
            lus,
        );
        out.extend_from_slice(&body);
        cdr(
            &mut cd,
            e.name.as_bytes(),
            e.cd_method.unwrap_or(real),
            e.cd_flags,
            crc,
            cs,
            us,
            off,
            &[],
        );
    }
    if let Some(sb) = &o.signing_block {
        out.extend_from_slice(sb);
    }
    let cd_off = (out.len() - o.junk + base) as u32;
    let cd_len = cd.len() as u32;
    out.extend_from_slice(&cd);
    eocd(&mut out, es.len() as u16, cd_len, cd_off, &o.comment);
    out
}

fn build(es: &[Fx]) -> Vec<u8> {
    build_with(es, &Opts::default())
}

fn codes(a: &Archive) -> Vec<&'static str> {
    a.anomalies().items().iter().map(|x| x.code).collect()
}

fn sample() -> Vec<Fx> {
    vec![
        fx("AndroidManifest.xml", b"<manifest stored/>", false),
        fx("classes.dex", &b"dex\n035\0".repeat(500), true),
        fx("res/empty", b"", true),
    ]
}

fn read_all(a: &Archive) -> Vec<Vec<u8>> {
    a.entries()
        .iter()
        .map(|e| a.read(e).unwrap().into_owned())
        .collect()
}

#[test]
fn plain_archive() {
    let es = sample();
    let z = build(&es);
    let a = Archive::parse(&z, Limits::default()).unwrap();
    assert_eq!(a.entries().len(), 3);
    assert!(a.anomalies().is_empty(), "{:?}", a.anomalies());
    for (e, f) in a.entries().iter().zip(&es) {
        assert_eq!(e.name, f.name);
        assert_eq!(a.read(e).unwrap().as_ref(), &f.content[..]);
    }
    let m = a.by_name("AndroidManifest.xml").unwrap();
    assert!(matches!(a.read(m).unwrap(), Cow::Borrowed(_)));
    assert!(a.by_name("nope").is_none());
    assert!(a.signing_block().is_none());
    assert!(!a.is_zip64());
    assert_eq!(a.inflated_bytes(), 4000);
}

#[test]
fn archive_is_send_sync() {
    fn ok<T: Send + Sync>() {}
    ok::<Archive<'static>>();
}

#[test]
fn bogus_cd_method_on_stored_data() {
    let mut es = sample();
    es[0].cd_method = Some(0x6bf7);
    let z = build(&es);
    let a = Archive::parse(&z, Limits::default()).unwrap();
    assert!(codes(&a).contains(&"zip.bogus_method"));
    assert_eq!(read_all(&a)[0], es[0].content);
    assert!(!codes(&a).contains(&"zip.bad_crc"));
}

#[test]
fn bogus_cd_method_on_deflated_data() {
    let mut es = sample();
    es[1].cd_method = Some(0x0063);
    let z = build(&es);
    let a = Archive::parse(&z, Limits::default()).unwrap();
    assert_eq!(read_all(&a)[1], es[1].content);
    let n = codes(&a)
        .iter()
        .filter(|c| **c == "zip.bogus_method")
        .count();
    assert_eq!(n, 2, "{:?}", a.anomalies());
}

#[test]
fn bogus_local_method() {
    let mut es = sample();
    es[0].lfh_method = Some(0xbeef);
    es[1].lfh_method = Some(0x0001);
    let z = build(&es);
    let a = Archive::parse(&z, Limits::default()).unwrap();
    assert_eq!(read_all(&a)[0], es[0].content);
    assert_eq!(read_all(&a)[1], es[1].content);
    assert!(codes(&a).contains(&"zip.bogus_method"));
}

#[test]
fn fake_encryption_flag() {
    let mut es = sample();
    es[1].cd_flags = 1;
    es[0].lfh_flags = 1;
    let z = build(&es);
    let a = Archive::parse(&z, Limits::default()).unwrap();
    assert_eq!(read_all(&a)[1], es[1].content);
    assert_eq!(
        codes(&a)
            .iter()
            .filter(|c| **c == "zip.fake_encryption")
            .count(),
        2
    );
}

#[test]
fn zeroed_local_sizes() {
    let mut es = sample();
    for e in &mut es {
        e.zero_local_sizes = true;
    }
    let z = build(&es);
    let a = Archive::parse(&z, Limits::default()).unwrap();
    let got = read_all(&a);
    for (g, e) in got.iter().zip(&es) {
        assert_eq!(g, &e.content);
    }
    assert!(codes(&a).contains(&"zip.local_header_mismatch"));
}

#[test]
fn junk_prefix_without_fixed_offsets() {
    let es = sample();
    let z = build_with(
        &es,
        &Opts {
            junk: 4096,
            fix_offsets: false,
            ..Opts::default()
        },
    );
    let a = Archive::parse(&z, Limits::default()).unwrap();
    assert_eq!(a.prefix_shift(), 4096);
    assert!(codes(&a).contains(&"zip.junk_prefix"));
    for (g, e) in read_all(&a).iter().zip(&es) {
        assert_eq!(g, &e.content);
    }
    assert!(!codes(&a).contains(&"zip.bad_crc"));
}

#[test]
fn junk_prefix_with_fixed_offsets() {
    let es = sample();
    let z = build_with(
        &es,
        &Opts {
            junk: 4096,
            ..Opts::default()
        },
    );
    let a = Archive::parse(&z, Limits::default()).unwrap();
    assert_eq!(a.prefix_shift(), 0);
    assert!(codes(&a).contains(&"zip.junk_prefix"));
    assert_eq!(read_all(&a)[1], es[1].content);
}

#[test]
fn duplicate_names_first_wins() {
    let es = vec![
        fx("AndroidManifest.xml", b"first", false),
        fx("a", b"x", false),
        fx("AndroidManifest.xml", b"second", true),
    ];
    let z = build(&es);
    let a = Archive::parse(&z, Limits::default()).unwrap();
    let e = a.by_name("AndroidManifest.xml").unwrap();
    assert_eq!(e.index, 0);
    assert_eq!(a.read(e).unwrap().as_ref(), b"first");
    assert!(codes(&a).contains(&"zip.duplicate_name"));
    assert_eq!(a.by_name("a").unwrap().index, 1);
}

#[test]
fn crc_mismatch_is_reported_once_and_data_returned() {
    let mut es = sample();
    es[0].crc = Some(0x1234_5678);
    es[1].crc = Some(0x1234_5678);
    let z = build(&es);
    let a = Archive::parse(&z, Limits::default()).unwrap();
    read_all(&a);
    let got = read_all(&a);
    assert_eq!(got[0], es[0].content);
    assert_eq!(got[1], es[1].content);
    assert_eq!(codes(&a).iter().filter(|c| **c == "zip.bad_crc").count(), 2);
}

#[test]
fn unsafe_paths() {
    let es = vec![
        fx("../../etc/passwd", b"x", false),
        fx("/abs", b"x", false),
        fx("a/..\\b", b"x", false),
        fx("ok/..name", b"x", false),
    ];
    let z = build(&es);
    let a = Archive::parse(&z, Limits::default()).unwrap();
    assert_eq!(
        codes(&a)
            .iter()
            .filter(|c| **c == "zip.unsafe_path")
            .count(),
        3
    );
}

/// Many CD entries pointing at one deflated local entry (zbsm-style).
fn overlap_bomb(copies: usize, inflated: usize) -> Vec<u8> {
    let content = vec![0u8; inflated];
    let body = deflate(&content);
    let crc = crc32fast::hash(&content);
    let mut out = Vec::new();
    lfh(
        &mut out,
        b"0",
        8,
        0,
        crc,
        body.len() as u32,
        inflated as u32,
    );
    out.extend_from_slice(&body);
    let cd_off = out.len() as u32;
    let mut cd = Vec::new();
    for i in 0..copies {
        cdr(
            &mut cd,
            format!("{i}").as_bytes(),
            8,
            0,
            crc,
            body.len() as u32,
            inflated as u32,
            0,
            &[],
        );
    }
    let cd_len = cd.len() as u32;
    out.extend_from_slice(&cd);
    eocd(&mut out, copies as u16, cd_len, cd_off, b"");
    out
}

#[test]
fn overlap_bomb_detected_and_budget_holds() {
    let z = overlap_bomb(200, 1 << 20);
    let limits = Limits {
        max_total_size: 20 << 20,
        ..Limits::default()
    };
    let a = Archive::parse(&z, limits).unwrap();
    let n = codes(&a).iter().filter(|c| **c == "zip.overlap").count();
    assert_eq!(n, 199);
    let mut ok = 0;
    let mut refused = 0;
    for e in a.entries() {
        match a.read(e) {
            Ok(d) => {
                assert_eq!(d.len(), 1 << 20);
                ok += 1;
            }
            Err(ZipError::BudgetExhausted { .. }) => refused += 1,
            Err(other) => panic!("{other}"),
        }
    }
    assert_eq!(ok, 20);
    assert_eq!(refused, 180);
    assert!(a.inflated_bytes() <= 20 << 20);
}

#[test]
fn entry_cap_stops_inflating() {
    let z = overlap_bomb(1, 1 << 20);
    let limits = Limits {
        max_entry_size: 1000,
        ..Limits::default()
    };
    let a = Archive::parse(&z, limits).unwrap();
    let e = &a.entries()[0];
    assert!(matches!(a.read(e), Err(ZipError::EntryTooLarge { .. })));
    // Lie about the size in the CD: the cap still stops inflation.
    let mut z2 = z.clone();
    let cd = a.cd_offset() as usize;
    z2[cd + 24..cd + 28].copy_from_slice(&10u32.to_le_bytes());
    let a2 = Archive::parse(&z2, limits).unwrap();
    let err = a2.read(&a2.entries()[0]).unwrap_err();
    assert!(
        matches!(err, ZipError::EntryTooLarge { size: 1001, .. }),
        "{err}"
    );
    assert!(a2.inflated_bytes() <= 1001);
}

#[test]
fn too_many_entries_is_capped() {
    let es: Vec<Fx> = (0..50).map(|i| fx(&format!("f{i}"), b"x", false)).collect();
    let z = build(&es);
    let limits = Limits {
        max_entries: 10,
        ..Limits::default()
    };
    let a = Archive::parse(&z, limits).unwrap();
    assert_eq!(a.entries().len(), 10);
    assert!(codes(&a).contains(&"zip.too_many_entries"));
}

#[test]
fn comment_and_trailing_garbage() {
    let es = sample();
    let mut z = build_with(
        &es,
        &Opts {
            comment: b"hello PK\x05\x06 fake".to_vec(),
            ..Opts::default()
        },
    );
    let a = Archive::parse(&z, Limits::default()).unwrap();
    assert_eq!(a.comment(), b"hello PK\x05\x06 fake");
    assert!(a.anomalies().is_empty(), "{:?}", a.anomalies());
    z.extend_from_slice(b"trailing junk");
    let a = Archive::parse(&z, Limits::default()).unwrap();
    assert!(codes(&a).contains(&"zip.trailing_data"));
    assert_eq!(read_all(&a)[1], es[1].content);
}

#[test]
fn not_a_zip() {
    assert!(matches!(
        Archive::parse(b"", Limits::default()),
        Err(ZipError::NotZip { .. })
    ));
    assert!(matches!(
        Archive::parse(&[0u8; 1000], Limits::default()),
        Err(ZipError::NotZip { .. })
    ));
    let e = Archive::parse(b"hello", Limits::default()).unwrap_err();
    assert!(!e.to_string().contains('\n'));
}

#[test]
fn empty_archive() {
    let z = build(&[]);
    let a = Archive::parse(&z, Limits::default()).unwrap();
    assert!(a.entries().is_empty());
}

#[test]
fn signing_block_found() {
    let mut sb = Vec::new();
    let pairs: Vec<u8> = {
        let mut p = Vec::new();
        p64(&mut p, 4 + 3);
        p32(&mut p, 0x1234_5678);
        p.extend_from_slice(b"abc");
        p
    };
    let size = (pairs.len() + 8 + 16) as u64;
    p64(&mut sb, size);
    sb.extend_from_slice(&pairs);
    p64(&mut sb, size);
    sb.extend_from_slice(APK_SIG_MAGIC);
    let z = build_with(
        &sample(),
        &Opts {
            signing_block: Some(sb.clone()),
            ..Opts::default()
        },
    );
    let a = Archive::parse(&z, Limits::default()).unwrap();
    assert_eq!(a.signing_block().unwrap(), &sb[..]);
    assert!(a.anomalies().is_empty(), "{:?}", a.anomalies());
}

#[test]
fn truncation_at_every_offset() {
    let z = build(&sample());
    for cut in 0..z.len() {
        let part = &z[..cut];
        if let Ok(a) = Archive::parse(part, Limits::default()) {
            for e in a.entries() {
                let _ = a.read(e);
            }
        }
    }
    // And cutting from the front.
    for cut in 0..z.len() {
        if let Ok(a) = Archive::parse(&z[cut..], Limits::default()) {
            for e in a.entries() {
                let _ = a.read(e);
            }
        }
    }
}

#[test]
fn random_byte_flips_never_panic() {
    let mut es = sample();
    es.push(fx("lib/arm64-v8a/libx.so", &[7u8; 3000], true));
    let z = build_with(
        &es,
        &Opts {
            comment: b"c".to_vec(),
            ..Opts::default()
        },
    );
    let limits = Limits {
        max_entry_size: 1 << 20,
        max_total_size: 8 << 20,
        ..Limits::default()
    };
    let mut rng = pipa_testkit::Prng::new(0x9e37_79b9_7f4a_7c15);
    let mut parsed = 0;
    for _ in 0..4000 {
        let mut m = z.clone();
        let flips = 1 + rng.next_u64() % 4;
        for _ in 0..flips {
            let i = (rng.next_u64() % m.len() as u64) as usize;
            // Bias towards headers: a third of the flips hit the tail.
            let i = if rng.next_u64().is_multiple_of(3) {
                m.len() - 1 - (i % 200.min(m.len()))
            } else {
                i
            };
            m[i] = rng.next_u64() as u8;
        }
        if let Ok(a) = Archive::parse(&m, limits) {
            parsed += 1;
            for e in a.entries() {
                let _ = a.read(e);
                let _ = a.by_name(&e.name);
            }
            let _ = a.signing_block();
        }
    }
    assert!(parsed > 1000);
}

#[test]
fn zip64_archive() {
    let content = b"zip64 content ".repeat(100);
    let body = deflate(&content);
    let crc = crc32fast::hash(&content);
    let mut out = Vec::new();
    // Local header with zip64 sizes in its extra field.
    p32(&mut out, LFH_SIG);
    p16(&mut out, 45);
    p16(&mut out, 0);
    p16(&mut out, 8);
    p32(&mut out, 0);
    p32(&mut out, crc);
    p32(&mut out, u32::MAX);
    p32(&mut out, u32::MAX);
    p16(&mut out, 1);
    p16(&mut out, 20);
    out.extend_from_slice(b"z");
    p16(&mut out, 1);
    p16(&mut out, 16);
    p64(&mut out, content.len() as u64);
    p64(&mut out, body.len() as u64);
    out.extend_from_slice(&body);
    let cd_off = out.len() as u64;
    let mut extra = Vec::new();
    p16(&mut extra, 1);
    p16(&mut extra, 24);
    p64(&mut extra, content.len() as u64);
    p64(&mut extra, body.len() as u64);
    p64(&mut extra, 0);
    let mut cd = Vec::new();
    cdr(
        &mut cd,
        b"z",
        8,
        0,
        crc,
        u32::MAX,
        u32::MAX,
        u32::MAX,
        &extra,
    );
    let cd_len = cd.len() as u64;
    out.extend_from_slice(&cd);
    let rec = out.len() as u64;
    p32(&mut out, locate::ZIP64_EOCD_SIG);
    p64(&mut out, 44);
    p16(&mut out, 45);
    p16(&mut out, 45);
    p32(&mut out, 0);
    p32(&mut out, 0);
    p64(&mut out, 1);
    p64(&mut out, 1);
    p64(&mut out, cd_len);
    p64(&mut out, cd_off);
    p32(&mut out, locate::ZIP64_LOCATOR_SIG);
    p32(&mut out, 0);
    p64(&mut out, rec);
    p32(&mut out, 1);
    p32(&mut out, locate::EOCD_SIG);
    p16(&mut out, 0);
    p16(&mut out, 0);
    p16(&mut out, u16::MAX);
    p16(&mut out, u16::MAX);
    p32(&mut out, u32::MAX);
    p32(&mut out, u32::MAX);
    p16(&mut out, 0);
    let a = Archive::parse(&out, Limits::default()).unwrap();
    assert!(a.is_zip64());
    assert_eq!(a.cd_offset(), cd_off);
    let e = a.by_name("z").unwrap();
    assert_eq!(e.uncompressed_size, content.len() as u64);
    assert_eq!(e.compressed_size, body.len() as u64);
    assert_eq!(a.read(e).unwrap().as_ref(), &content[..]);
    assert!(a.anomalies().is_empty(), "{:?}", a.anomalies());
}

#[test]
fn twenty_thousand_entries() {
    let mut es: Vec<Fx> = (0..20_000)
        .map(|i| fx(&format!("res/drawable/i{i}.png"), b"png", false))
        .collect();
    es.push(fx("classes.dex", &[1u8; 100_000], true));
    let z = build(&es);
    let t = std::time::Instant::now();
    let a = Archive::parse(&z, Limits::default()).unwrap();
    eprintln!("parsed 20001 entries in {:?}", t.elapsed());
    assert_eq!(a.entries().len(), 20_001);
    assert_eq!(a.by_name("res/drawable/i19999.png").unwrap().index, 19_999);
}

/// AGP's zipflinger leaves nameless local headers ("virtual entries") before
/// the first real entry; they pad, they are not junk.
#[test]
fn virtual_entry_padding_is_not_junk() {
    let es = sample();
    let junk = 132;
    let mut z = build_with(
        &es,
        &Opts {
            junk,
            ..Opts::default()
        },
    );
    // Rewrite the junk as one virtual entry: a local header, no name, extra = rest.
    let mut pad = Vec::new();
    pad.extend_from_slice(b"PK\x03\x04");
    pad.extend_from_slice(&[0u8; 22]);
    pad.extend_from_slice(&0u16.to_le_bytes());
    pad.extend_from_slice(&((junk - 30) as u16).to_le_bytes());
    pad.resize(junk, 0);
    z[..junk].copy_from_slice(&pad);
    let a = Archive::parse(&z, Limits::default()).unwrap();
    assert!(!codes(&a).contains(&"zip.junk_prefix"), "{:?}", codes(&a));
    assert_eq!(read_all(&a)[1], es[1].content);
    // The same bytes with a name in the header are junk again.
    z[26] = 1;
    let a = Archive::parse(&z, Limits::default()).unwrap();
    assert!(codes(&a).contains(&"zip.junk_prefix"));
}
