//! Hostile variants of real APKs, built here byte by byte from the registry
//! fixtures (`scripts/fetch-fixtures.sh`; `$PIPA_FIXTURES` or `.cache/fixtures`):
//! the tricks packers and malware use against analysis tools (BadPack's bogus
//! compression method, fake encryption flags, zeroed local headers, junk before
//! the archive, a duplicate manifest, an overlap zip bomb, a damaged secondary
//! dex), plus truncations and random byte flips.
//!
//! For each variant `Apk::parse` must not panic and must give either `Ok` with
//! the anomaly the trick calls for and the original package name, or a clean
//! `Err`; the dex stage (`read_dex`, `parse_dex_file`, `CodeIndex::build`) runs
//! on every `Ok`. Absent fixtures: a notice, and the test passes.

use pipa_android::{Apk, ApkError};
use pipa_core::{AnomalySink, Limits};
use pipa_testkit::{Prng, fixtures_dir};
use std::collections::BTreeMap;
use std::io::{Read, Write};

/// Small, multidex, and single-dex with a large manifest.
const FIXTURES: &[&str] = &[
    "appium-uiautomator2-server-10.6.6-androidTest.apk",
    "appium-settings-8.0.10.apk",
    "ApiDemos-debug.apk",
];

const MANIFEST: &[u8] = b"AndroidManifest.xml";
const LFH_SIG: u32 = 0x0403_4b50;
const CD_SIG: u32 = 0x0201_4b50;
const EOCD_SIG: u32 = 0x0605_4b50;

fn u16_at(d: &[u8], o: usize) -> u16 {
    u16::from_le_bytes([d[o], d[o + 1]])
}
fn u32_at(d: &[u8], o: usize) -> u32 {
    u32::from_le_bytes([d[o], d[o + 1], d[o + 2], d[o + 3]])
}
fn put16(d: &mut [u8], o: usize, v: u16) {
    d[o..o + 2].copy_from_slice(&v.to_le_bytes());
}
fn put32(d: &mut [u8], o: usize, v: u32) {
    d[o..o + 4].copy_from_slice(&v.to_le_bytes());
}

/// One entry as stored: its compressed bytes and central-directory fields.
#[derive(Clone)]
struct Raw {
    name: Vec<u8>,
    method: u16,
    flags: u16,
    crc: u32,
    csize: u32,
    usize: u32,
    data: Vec<u8>,
}

/// Where things are in a zip (ours or the fixture, which are plain zips:
/// no zip64, no comment).
#[derive(Default)]
struct Layout {
    /// Per entry: local header offset, data end, central record offset.
    lfh: Vec<usize>,
    data_end: Vec<usize>,
    cd: Vec<usize>,
    names: Vec<Vec<u8>>,
    cd_start: usize,
    eocd: usize,
}

impl Layout {
    fn of(zip: &[u8]) -> Layout {
        let eocd = (0..=zip.len() - 22)
            .rev()
            .find(|&o| u32_at(zip, o) == EOCD_SIG)
            .expect("fixture has an EOCD");
        let n = u16_at(zip, eocd + 10) as usize;
        let cd_start = u32_at(zip, eocd + 16) as usize;
        let mut l = Layout {
            cd_start,
            eocd,
            ..Layout::default()
        };
        let mut p = cd_start;
        for _ in 0..n {
            assert_eq!(u32_at(zip, p), CD_SIG);
            let nlen = u16_at(zip, p + 28) as usize;
            let total = 46 + nlen + u16_at(zip, p + 30) as usize + u16_at(zip, p + 32) as usize;
            let lfh = u32_at(zip, p + 42) as usize;
            let data = lfh + 30 + u16_at(zip, lfh + 26) as usize + u16_at(zip, lfh + 28) as usize;
            l.lfh.push(lfh);
            l.data_end.push(data + u32_at(zip, p + 20) as usize);
            l.cd.push(p);
            l.names.push(zip[p + 46..p + 46 + nlen].to_vec());
            p += total;
        }
        l
    }

    fn index(&self, name: &[u8]) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// Byte range of an entry from its local header to the end of its data.
    fn range(&self, i: usize) -> std::ops::Range<usize> {
        self.lfh[i]..self.data_end[i]
    }

    fn raw_entries(&self, zip: &[u8]) -> Vec<Raw> {
        (0..self.cd.len())
            .map(|i| {
                let p = self.cd[i];
                let lfh = self.lfh[i];
                let data =
                    lfh + 30 + u16_at(zip, lfh + 26) as usize + u16_at(zip, lfh + 28) as usize;
                Raw {
                    name: self.names[i].clone(),
                    method: u16_at(zip, p + 10),
                    flags: u16_at(zip, p + 8) & !0x0008,
                    crc: u32_at(zip, p + 16),
                    csize: u32_at(zip, p + 20),
                    usize: u32_at(zip, p + 24),
                    data: zip[data..self.data_end[i]].to_vec(),
                }
            })
            .collect()
    }
}

/// Writes a plain zip; returns it with its layout.
fn build(entries: &[Raw]) -> (Vec<u8>, Layout) {
    let mut out = Vec::new();
    let mut lfhs = Vec::new();
    for e in entries {
        lfhs.push(out.len());
        out.extend_from_slice(&LFH_SIG.to_le_bytes());
        for v in [20u16, e.flags, e.method, 0, 0x21] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for v in [e.crc, e.csize, e.usize] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&e.name);
        out.extend_from_slice(&e.data);
    }
    let cd_start = out.len();
    for (e, &lfh) in entries.iter().zip(&lfhs) {
        cd_record(&mut out, e, lfh as u32);
    }
    eocd(&mut out, entries.len(), cd_start);
    let layout = Layout::of(&out);
    (out, layout)
}

fn cd_record(out: &mut Vec<u8>, e: &Raw, lfh: u32) {
    out.extend_from_slice(&CD_SIG.to_le_bytes());
    for v in [20u16, 20, e.flags, e.method, 0, 0x21] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for v in [e.crc, e.csize, e.usize] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for v in [e.name.len() as u16, 0, 0, 0, 0] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&lfh.to_le_bytes());
    out.extend_from_slice(&e.name);
}

fn eocd(out: &mut Vec<u8>, n: usize, cd_start: usize) {
    let cd_size = out.len() - cd_start;
    out.extend_from_slice(&EOCD_SIG.to_le_bytes());
    for v in [0u16, 0, n as u16, n as u16] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&(cd_size as u32).to_le_bytes());
    out.extend_from_slice(&(cd_start as u32).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
}

fn inflate(data: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    flate2::read::DeflateDecoder::new(data)
        .read_to_end(&mut v)
        .expect("fixture entry inflates");
    v
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// The entry made stored (uncompressed).
fn stored(e: &Raw) -> Raw {
    let data = if e.method == 8 {
        inflate(&e.data)
    } else {
        e.data.clone()
    };
    Raw {
        method: 0,
        crc: crc32fast::hash(&data),
        csize: data.len() as u32,
        usize: data.len() as u32,
        data,
        ..e.clone()
    }
}

/// What the dex stage found: dex files parsed and the names that failed.
struct DexOutcome {
    blobs: usize,
    parsed: usize,
    failed: Vec<String>,
}

fn dex_stage(apk: &Apk<'_>) -> DexOutcome {
    let blobs = apk.read_dex();
    let mut sink = AnomalySink::default();
    let mut dexes = Vec::new();
    let mut failed = Vec::new();
    for (name, blob) in &blobs {
        match blob {
            Ok(b) => match pipa_dex::parse_dex_file(b, name, &mut sink) {
                Ok(ds) => dexes.extend(ds),
                Err(_) => failed.push(name.clone()),
            },
            Err(_) => failed.push(name.clone()),
        }
    }
    let parsed = dexes.len();
    let index = pipa_dex::CodeIndex::build(dexes, &mut sink);
    assert_eq!(index.dexes().len(), parsed, "the index keeps every dex");
    DexOutcome {
        blobs: blobs.len(),
        parsed,
        failed,
    }
}

/// A clean error: one line, says something.
fn check_err(what: &str, e: &ApkError) {
    let s = e.to_string();
    assert!(
        !s.is_empty() && !s.contains('\n'),
        "{what}: error is not one clean line: {s:?}"
    );
}

/// Parses a structural variant: must be Ok, same package, the anomaly `code`
/// (at `location` when given), and every dex of the original still readable.
fn expect_ok(
    what: &str,
    bytes: &[u8],
    limits: Limits,
    package: &str,
    code: &str,
    location: Option<&str>,
    dex_count: usize,
) {
    let apk = match Apk::parse(bytes, limits) {
        Ok(a) => a,
        Err(e) => panic!("{what}: refused: {e}"),
    };
    assert_eq!(apk.manifest.package, package, "{what}: package");
    let (anoms, _) = apk.anomalies();
    assert!(
        anoms
            .iter()
            .any(|a| a.code == code && location.is_none_or(|l| a.location == l)),
        "{what}: no {code} at {location:?}; got {:?}",
        anoms.iter().fold(BTreeMap::new(), |mut m, a| {
            *m.entry(a.code).or_insert(0) += 1;
            m
        })
    );
    let d = dex_stage(&apk);
    assert_eq!(d.blobs, dex_count, "{what}: dex entries");
    assert!(d.failed.is_empty(), "{what}: dex failed: {:?}", d.failed);
    assert!(d.parsed >= dex_count, "{what}: dex parsed");
}

#[derive(Default)]
struct Tally {
    variants: usize,
    ok: usize,
    err: usize,
    dex_runs: usize,
}

impl Tally {
    /// A variant with no particular expectation: no panic; Ok keeps the
    /// package unless the manifest's own bytes were touched; dex stage on Ok.
    fn any(&mut self, what: &str, bytes: &[u8], package: &str, manifest_touched: bool) {
        self.variants += 1;
        match Apk::parse(bytes, Limits::default()) {
            Ok(apk) => {
                self.ok += 1;
                if !manifest_touched {
                    assert_eq!(apk.manifest.package, package, "{what}: package");
                }
                let _ = apk.anomalies();
                dex_stage(&apk);
                self.dex_runs += 1;
            }
            Err(e) => {
                self.err += 1;
                check_err(what, &e);
            }
        }
    }
}

fn structural(file: &str, orig: &[u8], decoy: Option<&[u8]>) {
    let limits = Limits::default();
    let apk = Apk::parse(orig, limits).unwrap_or_else(|e| panic!("{file}: {e}"));
    let package = apk.manifest.package.clone();
    let dex_count = apk.dex_entries.len();
    assert!(!package.is_empty() && dex_count > 0);
    drop(apk);
    let l = Layout::of(orig);
    let m = l.index(MANIFEST).expect("manifest entry");
    let raws = l.raw_entries(orig);
    let manifest_loc = Some("AndroidManifest.xml");

    // BadPack: the manifest stored, and a bogus method in the central
    // directory (and the local header), with a bogus compressed size:
    // Android's resource loader reads it as stored, uncompressed size.
    let mut v = raws.clone();
    v[m] = stored(&v[m]);
    let (mut b, bl) = build(&v);
    put16(&mut b, bl.cd[m] + 10, 0x5a5a);
    put16(&mut b, bl.lfh[m] + 8, 0x5a5a);
    put32(&mut b, bl.cd[m] + 20, 0x0bad_f00d);
    let what = format!("{file} bogus method (stored data)");
    expect_ok(
        &what,
        &b,
        limits,
        &package,
        "zip.bogus_method",
        manifest_loc,
        dex_count,
    );

    // Bogus method over deflated data, in place (the original bytes otherwise).
    let mut b = orig.to_vec();
    put16(&mut b, l.cd[m] + 10, 0x1234);
    let what = format!("{file} bogus method (deflated data)");
    expect_ok(
        &what,
        &b,
        limits,
        &package,
        "zip.bogus_method",
        manifest_loc,
        dex_count,
    );

    // Fake encryption: bit 0 of the flags on every entry, both headers.
    let mut b = orig.to_vec();
    for i in 0..l.cd.len() {
        let f = u16_at(&b, l.cd[i] + 8);
        put16(&mut b, l.cd[i] + 8, f | 1);
        let f = u16_at(&b, l.lfh[i] + 6);
        put16(&mut b, l.lfh[i] + 6, f | 1);
    }
    let what = format!("{file} fake encryption");
    expect_ok(
        &what,
        &b,
        limits,
        &package,
        "zip.fake_encryption",
        manifest_loc,
        dex_count,
    );

    // Local headers with CRC and sizes zeroed (the central directory is right).
    let mut b = orig.to_vec();
    for &lfh in &l.lfh {
        b[lfh + 14..lfh + 26].fill(0);
    }
    let what = format!("{file} zeroed local sizes");
    expect_ok(
        &what,
        &b,
        limits,
        &package,
        "zip.local_header_mismatch",
        manifest_loc,
        dex_count,
    );

    // 4 KiB of junk before the archive, offsets not adjusted.
    let mut b: Vec<u8> = (0..4096u32).map(|i| (i * 7 + 3) as u8).collect();
    b.extend_from_slice(orig);
    let what = format!("{file} junk prefix");
    expect_ok(
        &what,
        &b,
        limits,
        &package,
        "zip.junk_prefix",
        None,
        dex_count,
    );

    // A second AndroidManifest.xml (another app's, or junk) after the first:
    // lookups return the first, as Android's did.
    let mut v = raws.clone();
    let second = match decoy {
        Some(d) => Raw {
            crc: crc32fast::hash(d),
            csize: d.len() as u32,
            usize: d.len() as u32,
            method: 0,
            data: d.to_vec(),
            ..raws[m].clone()
        },
        None => stored(&Raw {
            data: b"decoy".to_vec(),
            method: 0,
            ..raws[m].clone()
        }),
    };
    v.insert(m + 1, second);
    let (b, _) = build(&v);
    let what = format!("{file} duplicate manifest");
    expect_ok(
        &what,
        &b,
        limits,
        &package,
        "zip.duplicate_name",
        manifest_loc,
        dex_count,
    );

    // Overlap bomb: 2000 central records share one local header whose data
    // inflates to 4 MiB each (8 GiB claimed). Reading them all must stay within
    // the budget.
    let kernel = vec![0u8; 4 << 20];
    let mut v = raws.clone();
    v.push(Raw {
        name: b"assets/bomb/0".to_vec(),
        method: 8,
        flags: 0,
        crc: crc32fast::hash(&kernel),
        csize: 0,
        usize: kernel.len() as u32,
        data: deflate(&kernel),
    });
    let k = v.len() - 1;
    v[k].csize = v[k].data.len() as u32;
    let (mut b, bl) = build(&v);
    let cd_tail = b.split_off(bl.eocd);
    drop(cd_tail);
    let bomb_lfh = bl.lfh[k] as u32;
    let mut n = v.len();
    for i in 1..2000 {
        let e = Raw {
            name: format!("assets/bomb/{i}").into_bytes(),
            ..v[k].clone()
        };
        cd_record(&mut b, &e, bomb_lfh);
        n += 1;
    }
    eocd(&mut b, n, bl.cd_start);
    let small = Limits {
        max_total_size: 64 << 20,
        ..limits
    };
    let what = format!("{file} overlap bomb");
    expect_ok(&what, &b, limits, &package, "zip.overlap", None, dex_count);
    let apk = Apk::parse(&b, small).expect("bomb parses");
    let a = apk.archive();
    let mut refused = 0;
    for e in a.entries() {
        if e.name.starts_with("assets/bomb/") && a.read(e).is_err() {
            refused += 1;
        }
    }
    assert!(
        a.inflated_bytes() <= small.max_total_size,
        "{what}: inflated {} past the budget",
        a.inflated_bytes()
    );
    assert!(refused > 1900, "{what}: only {refused} bomb reads refused");

    // A damaged classes2.dex among good ones: an undecodable deflate stream,
    // then a stream that inflates to something that is not a dex. The other
    // dex files are still read and the damaged one is named.
    let mut v = raws.clone();
    let d2 = match l.index(b"classes2.dex") {
        Some(i) => i,
        None => {
            let c1 = l.index(b"classes.dex").expect("classes.dex");
            v.push(Raw {
                name: b"classes2.dex".to_vec(),
                ..raws[c1].clone()
            });
            v.push(Raw {
                name: b"classes3.dex".to_vec(),
                ..raws[c1].clone()
            });
            v.len() - 2
        }
    };
    let total = dex_count.max(3);
    for (how, data) in [
        ("bad deflate stream", vec![0xffu8; 64]),
        (
            "not a dex",
            deflate(b"dex\n035\0 but nothing after the magic"),
        ),
    ] {
        let mut w = v.clone();
        let plain = b"dex\n035\0 but nothing after the magic";
        w[d2] = Raw {
            method: 8,
            crc: crc32fast::hash(plain),
            csize: data.len() as u32,
            usize: plain.len() as u32,
            data,
            ..w[d2].clone()
        };
        let (b, _) = build(&w);
        let what = format!("{file} damaged classes2.dex ({how})");
        let apk = Apk::parse(&b, limits).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(apk.manifest.package, package, "{what}");
        let d = dex_stage(&apk);
        assert_eq!(d.blobs, total, "{what}: dex entries");
        assert_eq!(d.failed, ["classes2.dex"], "{what}: failed dex");
        assert!(d.parsed >= total - 1, "{what}: the others parse");
    }
}

/// Truncations and byte flips, with no particular expectation but no panic.
fn fuzzish(file: &str, orig: &[u8], t: &mut Tally) {
    let package = Apk::parse(orig, Limits::default())
        .unwrap()
        .manifest
        .package
        .clone();
    let l = Layout::of(orig);
    let m = l.index(MANIFEST).expect("manifest entry");
    let mrange = l.range(m);
    let mcd = l.cd[m]..l.cd[m] + 46 + MANIFEST.len();
    let len = orig.len();

    // 100 plain truncations, half of them in the central directory / EOCD.
    let tail = len - l.cd_start;
    for i in 0..100 {
        let cut = if i % 2 == 0 {
            len * i / 100
        } else {
            len - 1 - tail * i / 100
        };
        let what = format!("{file} cut at {cut}");
        // The EOCD is gone: a clean error is expected; an Ok must be right.
        t.any(&what, &orig[..cut], &package, false);
    }
    // 100 holes: the file cut at `cut` but its central directory and EOCD kept
    // (as a damaged download or a carved file looks). With the manifest intact
    // the package must still be read.
    for i in 0..100 {
        let cut = l.cd_start * i / 100;
        let mut b = orig[..cut].to_vec();
        b.extend_from_slice(&orig[l.cd_start..]);
        let intact = mrange.end <= cut;
        let what = format!("{file} hole from {cut}");
        match Apk::parse(&b, Limits::default()) {
            Ok(apk) => {
                assert_eq!(apk.manifest.package, package, "{what}");
                dex_stage(&apk);
                t.ok += 1;
                t.dex_runs += 1;
            }
            Err(e) => {
                assert!(!intact, "{what}: manifest intact but refused: {e}");
                check_err(&what, &e);
                t.err += 1;
            }
        }
        t.variants += 1;
    }

    // 300 variants with 1–4 bytes flipped: half anywhere, half in the central
    // directory, EOCD and local headers.
    let mut rng = Prng::new(0x9e37_79b9_7f4a_7c15 ^ len as u64);
    for i in 0..300 {
        let mut b = orig.to_vec();
        let mut touched = false;
        for _ in 0..1 + rng.below(4) {
            let o = if i % 2 == 0 {
                rng.below(len)
            } else if rng.below(2) == 0 {
                l.cd_start + rng.below(len - l.cd_start)
            } else {
                l.lfh[rng.below(l.lfh.len())] + rng.below(30)
            };
            b[o] ^= 1 << rng.below(8);
            touched |= mrange.contains(&o) || mcd.contains(&o);
        }
        let what = format!("{file} flips #{i}");
        t.any(&what, &b, &package, touched);
    }
}

#[test]
fn hostile_variants_of_real_apks() {
    let dir = fixtures_dir();
    let files: Vec<(&str, Vec<u8>)> = FIXTURES
        .iter()
        .filter_map(|f| match std::fs::read(dir.join(f)) {
            Ok(b) => Some((*f, b)),
            Err(_) => {
                eprintln!(
                    "notice: fixture {f} absent in {} (run scripts/fetch-fixtures.sh); skipped",
                    dir.display()
                );
                None
            }
        })
        .collect();
    if files.is_empty() {
        return;
    }
    // Another fixture's manifest serves as the decoy duplicate.
    let manifests: Vec<Vec<u8>> = files
        .iter()
        .map(|(_, b)| {
            let l = Layout::of(b);
            let m = l.index(MANIFEST).unwrap();
            stored(&l.raw_entries(b)[m]).data
        })
        .collect();
    let mut t = Tally::default();
    for (i, (file, bytes)) in files.iter().enumerate() {
        let decoy = (files.len() > 1).then(|| manifests[(i + 1) % files.len()].as_slice());
        structural(file, bytes, decoy);
    }
    // Truncations and flips on the smallest (they parse it ~500 times).
    let (file, bytes) = files.iter().min_by_key(|(_, b)| b.len()).unwrap();
    fuzzish(file, bytes, &mut t);
    eprintln!(
        "hostile: {} fixtures × 9 structural variants passed; {file}: {} truncated/holed/flipped \
         variants, {} read ({} dex stages run), {} refused cleanly",
        files.len(),
        t.variants,
        t.ok,
        t.dex_runs,
        t.err
    );
    assert_eq!(t.variants, 500);
}
