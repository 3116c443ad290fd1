//! Version test: real dex files re-stamped as 035/037/038/039/040 (with
//! recomputed Adler-32 and SHA-1, using an independent SHA-1) must read with
//! valid integrity fields and the same code; dexdump must agree on the
//! invoke count for each re-stamped file. (The v041 container case is
//! covered by the unit test `container_041_with_two_dex`, which builds two
//! dex with container-relative data offsets.)

use std::path::PathBuf;
use std::process::Command;

use pipa_core::AnomalySink;
use pipa_dex::{Check, CodeIndex, parse_dex_file};

const INPUTS: [&str; 3] = [
    "/usr/share/doc/androguard/examples/tests/Test.dex",
    "/usr/share/doc/androguard/examples/tests/okhttp.d8.038.dex",
    "/usr/share/doc/androguard/examples/tests/fdroid/com.example.trigger_130.dex",
];

fn adler32(d: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &x in d {
        a = (a + u32::from(x)) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

fn restamp(orig: &[u8], version: &[u8; 3]) -> Vec<u8> {
    let mut d = orig.to_vec();
    d[4..7].copy_from_slice(version);
    let sig = sha1_smol::Sha1::from(&d[32..]).digest().bytes();
    d[12..32].copy_from_slice(&sig);
    let sum = adler32(&d[12..]);
    d[8..12].copy_from_slice(&sum.to_le_bytes());
    d
}

fn dexdump_invokes(bytes: &[u8], tag: &str) -> Option<usize> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let file = dir.join(format!("versions-{tag}.dex"));
    std::fs::write(&file, bytes).ok()?;
    let out = Command::new("dexdump").arg("-d").arg(&file).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    Some(
        text.lines()
            .filter(|l| l.contains("|") && l.contains(": invoke-"))
            .count(),
    )
}

#[test]
fn restamped_versions_read() {
    let mut tested = 0;
    for path in INPUTS {
        let Ok(orig) = std::fs::read(path) else {
            println!("notice: {path} not found; skipped");
            continue;
        };
        let mut base_count = None;
        for v in [b"035", b"037", b"038", b"039", b"040"] {
            let bytes = restamp(&orig, v);
            let mut sink = AnomalySink::default();
            let dexes = parse_dex_file(&bytes, path, &mut sink).expect("re-stamped dex parses");
            assert_eq!(dexes.len(), 1);
            let d = &dexes[0];
            let want: u16 = std::str::from_utf8(v)
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            assert_eq!(d.version(), want);
            assert_eq!(d.checksum_check(), Check::Ok, "{path} as {want}");
            assert_eq!(d.signature_check(), Check::Ok, "{path} as {want}");
            assert!(sink.is_empty(), "{path} as {want}: {:?}", sink.items());
            let idx = CodeIndex::build(dexes, &mut sink);
            let n = idx.invoke_count();
            assert_eq!(*base_count.get_or_insert(n), n);
            let tag = format!("{}-{want}", tested);
            match dexdump_invokes(&bytes, &tag) {
                Some(theirs) => assert_eq!(theirs, n, "{path} as {want}: dexdump disagrees"),
                None => println!("notice: dexdump unavailable or rejected {path} as {want}"),
            }
        }
        tested += 1;
    }
    println!("versions: {tested} real dex re-stamped as 035/037/038/039/040");
}
