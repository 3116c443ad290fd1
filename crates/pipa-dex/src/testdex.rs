//! Test-only builder of a minimal, hand-assembled dex.

use crate::checksum::{adler32, sha1};

/// Strings of the fixture, sorted as dex requires.
pub const STRINGS: [&str; 12] = [
    "<init>",
    "L",
    "Landroid/os/Build;",
    "Landroid/telephony/TelephonyManager;",
    "Lcom/example/Foo;",
    "Ljava/lang/Object;",
    "Ljava/lang/String;",
    "SERIAL",
    "V",
    "getDeviceId",
    "hello",
    "run",
];

fn uleb(mut v: u32, out: &mut Vec<u8>) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn put32(d: &mut [u8], off: usize, v: u32) {
    d[off..off + 4].copy_from_slice(&v.to_le_bytes());
}

/// Rewrites checksum and signature of the dex that starts at `base` and is
/// `len` bytes long.
pub fn fix_integrity(d: &mut [u8], base: usize, len: usize) {
    let sig = sha1(&d[base + 32..base + len]);
    d[base + 12..base + 32].copy_from_slice(&sig);
    let sum = adler32(&d[base + 12..base + len]);
    put32(d, base + 8, sum);
}

/// A dex with class `Lcom/example/Foo;` and one method `run()V`:
/// `sget-object Build.SERIAL; const-string "hello"; new-instance Object;
/// invoke-direct Object.<init>; invoke-virtual TelephonyManager.getDeviceId;
/// return-void`. Data offsets get `data_base` added (for v041 containers,
/// where they are relative to the container start).
pub fn build(version: &[u8; 3], data_base: u32) -> Vec<u8> {
    let hs: usize = if version == b"041" { 0x78 } else { 0x70 };
    let mut d = vec![0u8; hs];
    d[..4].copy_from_slice(b"dex\n");
    d[4..7].copy_from_slice(version);
    let (sid, tid, pid, fid, mid, cid) = (hs, hs + 48, hs + 72, hs + 96, hs + 104, hs + 128);
    let data_start = hs + 160;
    d.resize(data_start, 0);
    // code item
    let code_off = data_start;
    let insns: [u16; 13] = [
        0x0062, 0x0000, 0x011a, 0x000a, 0x0222, 0x0003, 0x1070, 0x0002, 0x0002, 0x106e, 0x0000,
        0x0001, 0x000e,
    ];
    for v in [3u16, 1, 1, 0] {
        d.extend_from_slice(&v.to_le_bytes());
    }
    d.extend_from_slice(&0u32.to_le_bytes());
    d.extend_from_slice(&(insns.len() as u32).to_le_bytes());
    for u in insns {
        d.extend_from_slice(&u.to_le_bytes());
    }
    // class data
    let class_data_off = d.len();
    let mut cd = Vec::new();
    for v in [0, 0, 0, 1, 1, 1, code_off as u32 + data_base] {
        uleb(v, &mut cd);
    }
    d.extend_from_slice(&cd);
    // string data
    let mut string_offs = Vec::new();
    for s in STRINGS {
        string_offs.push(d.len() as u32 + data_base);
        uleb(s.len() as u32, &mut d);
        d.extend_from_slice(s.as_bytes());
        d.push(0);
    }
    while !d.len().is_multiple_of(4) {
        d.push(0);
    }
    for (i, o) in string_offs.iter().enumerate() {
        put32(&mut d, sid + 4 * i, *o);
    }
    for (i, s) in [2u32, 3, 4, 5, 6, 8].iter().enumerate() {
        put32(&mut d, tid + 4 * i, *s);
    }
    // protos: ()Ljava/lang/String; and ()V
    for (i, (shorty, ret)) in [(1u32, 4u32), (8, 5)].iter().enumerate() {
        put32(&mut d, pid + 12 * i, *shorty);
        put32(&mut d, pid + 12 * i + 4, *ret);
    }
    // field: Build.SERIAL:String
    d[fid..fid + 2].copy_from_slice(&0u16.to_le_bytes());
    d[fid + 2..fid + 4].copy_from_slice(&4u16.to_le_bytes());
    put32(&mut d, fid + 4, 7);
    // methods: TM.getDeviceId()String, Foo.run()V, Object.<init>()V
    for (i, (c, p, n)) in [(1u16, 0u16, 9u32), (2, 1, 11), (3, 1, 0)]
        .iter()
        .enumerate()
    {
        d[mid + 8 * i..mid + 8 * i + 2].copy_from_slice(&c.to_le_bytes());
        d[mid + 8 * i + 2..mid + 8 * i + 4].copy_from_slice(&p.to_le_bytes());
        put32(&mut d, mid + 8 * i + 4, *n);
    }
    // class def
    for (i, v) in [
        2u32,
        1,
        3,
        0,
        0xffff_ffff,
        0,
        class_data_off as u32 + data_base,
        0,
    ]
    .iter()
    .enumerate()
    {
        put32(&mut d, cid + 4 * i, *v);
    }
    let len = d.len();
    put32(&mut d, 0x20, len as u32);
    put32(&mut d, 0x24, hs as u32);
    put32(&mut d, 0x28, 0x1234_5678);
    for (off, count, at) in [
        (0x38, 12, sid),
        (0x40, 6, tid),
        (0x48, 2, pid),
        (0x50, 1, fid),
        (0x58, 3, mid),
        (0x60, 1, cid),
    ] {
        put32(&mut d, off, count);
        put32(&mut d, off + 4, at as u32);
    }
    put32(&mut d, 0x68, (len - data_start) as u32);
    put32(&mut d, 0x6c, data_start as u32 + data_base);
    if hs == 0x78 {
        put32(&mut d, 0x70, len as u32);
        put32(&mut d, 0x74, data_base);
    }
    fix_integrity(&mut d, 0, len);
    d
}
