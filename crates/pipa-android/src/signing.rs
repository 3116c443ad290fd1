//! Signing schemes of an APK: v1 (JAR signing) and the APK Signing Block
//! (v2, v3, v3.1, source stamps, channel blocks such as VasDolly, Walle and
//! Packer-NG).
//!
//! This module reports what is *present* and the SHA-256 of each signer's
//! first certificate; it does not verify signatures or digests (that is what
//! `apksigner verify` does). All length fields are bounds-checked; damage
//! becomes an anomaly, never a panic.

use crate::zip::Archive;
use pipa_core::{Anomaly, AnomalySink, Severity};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Block id of APK Signature Scheme v2.
pub const ID_V2: u32 = 0x7109_871a;
/// Block id of APK Signature Scheme v3.
pub const ID_V3: u32 = 0xf053_68c0;
/// Block id of APK Signature Scheme v3.1.
pub const ID_V31: u32 = 0x1b93_ad61;
/// Source stamp v1.
pub const ID_STAMP_V1: u32 = 0x2b09_189e;
/// Source stamp v2.
pub const ID_STAMP_V2: u32 = 0x6dff_800d;
/// Verity padding (zeros that align the block).
pub const ID_VERITY_PADDING: u32 = 0x4272_6577;
/// VasDolly (Tencent) channel block.
pub const ID_VASDOLLY: u32 = 0x8811_55ff;
/// Walle (Meituan) channel block.
pub const ID_WALLE: u32 = 0x7177_7777;
/// Packer-NG v2 channel block (`"zxk!"`).
pub const ID_PACKER_NG: u32 = 0x7a78_6b21;
/// Google Play "frosting" metadata.
pub const ID_PLAY_FROSTING: u32 = 0x2146_444e;
/// Dependency info inserted by the Android Gradle plugin (encrypted).
pub const ID_DEPENDENCY_INFO: u32 = 0x504b_4453;

const MAGIC: &[u8; 16] = b"APK Sig Block 42";

/// The name used in reports for a known block id.
pub fn block_kind(id: u32) -> &'static str {
    match id {
        ID_V2 => "v2",
        ID_V3 => "v3",
        ID_V31 => "v3.1",
        ID_STAMP_V1 => "source_stamp_v1",
        ID_STAMP_V2 => "source_stamp_v2",
        ID_VERITY_PADDING => "verity_padding",
        ID_VASDOLLY => "vasdolly_channel",
        ID_WALLE => "walle_channel",
        ID_PACKER_NG => "packer_ng_channel",
        ID_PLAY_FROSTING => "play_frosting",
        ID_DEPENDENCY_INFO => "dependency_info",
        _ => "unknown",
    }
}

/// One signer found in a signature scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Signer {
    /// "v1", "v2", "v3" or "v3.1".
    pub scheme: String,
    /// Lowercase hex SHA-256 of the first certificate (DER), when readable.
    pub certificate_sha256: Option<String>,
    /// The certificate's subject, RFC 4514 style (the last RDN first, as
    /// `apksigner --print-certs` shows it: `CN=Android Debug, O=Android, C=US`),
    /// when readable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate_subject: Option<String>,
    /// For v1: the signature file, e.g. `META-INF/CERT.RSA`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// v3/v3.1: minimum SDK version this signer applies to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_sdk: Option<u32>,
    /// v3/v3.1: maximum SDK version this signer applies to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_sdk: Option<u32>,
}

/// A block of the APK Signing Block that is not a signature scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OtherBlock {
    /// The id in hex, e.g. `0x881155ff`.
    pub id: String,
    /// Known name (see [`block_kind`]) or "unknown".
    pub kind: &'static str,
    /// Length of the value in bytes.
    pub size: u64,
}

/// What an APK's signing looks like.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SigningInfo {
    /// Schemes present, in order: "v1", "v2", "v3", "v3.1".
    pub schemes: Vec<String>,
    /// Distinct certificate digests (lowercase hex SHA-256), in order of
    /// first appearance (v1, v2, v3, v3.1).
    pub certificates_sha256: Vec<String>,
    /// Each signer per scheme.
    pub signers: Vec<Signer>,
    /// Size of the APK Signing Block in bytes, when present.
    pub signing_block_size: Option<u64>,
    /// Non-scheme blocks: source stamps, padding, channel blocks, unknown ids.
    pub other_blocks: Vec<OtherBlock>,
    /// Damage found while reading the signing data.
    pub anomalies: Vec<Anomaly>,
}

/// Reads the signing information of an archive.
pub fn read_signing(archive: &Archive) -> SigningInfo {
    let mut info = SigningInfo::default();
    let mut sink = AnomalySink::default();
    read_v1(archive, &mut info, &mut sink);
    if let Some(block) = locate_block(archive, &mut sink) {
        info.signing_block_size = Some(block.len() as u64);
        read_block(block, &mut info, &mut sink);
    }
    for s in &info.signers {
        if !info.schemes.contains(&s.scheme) {
            info.schemes.push(s.scheme.clone());
        }
        if let Some(d) = &s.certificate_sha256
            && !info.certificates_sha256.contains(d)
        {
            info.certificates_sha256.push(d.clone());
        }
    }
    let order = |s: &String| ["v1", "v2", "v3", "v3.1"].iter().position(|x| x == s);
    info.schemes.sort_by_key(order);
    info.anomalies = sink.into_parts().0;
    info
}

fn sha256_hex(data: &[u8]) -> String {
    let d = Sha256::digest(data);
    let mut s = String::with_capacity(64);
    for b in d {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

// ---------------------------------------------------------------- v1

fn is_top_meta_inf(name: &str) -> Option<&str> {
    let rest = name.strip_prefix("META-INF/")?;
    (!rest.contains('/')).then_some(rest)
}

fn ends_with_ci(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len()
        && s.get(s.len() - suffix.len()..)
            .is_some_and(|t| t.eq_ignore_ascii_case(suffix))
}

fn read_v1(archive: &Archive, info: &mut SigningInfo, sink: &mut AnomalySink) {
    let mut sf = 0usize;
    let mut blocks = Vec::new();
    for e in archive.entries() {
        let Some(base) = is_top_meta_inf(&e.name) else {
            continue;
        };
        if ends_with_ci(base, ".SF") {
            sf += 1;
        } else if [".RSA", ".DSA", ".EC"]
            .iter()
            .any(|s| ends_with_ci(base, s))
        {
            blocks.push(e);
        }
    }
    if sf == 0 || blocks.is_empty() {
        if sf + blocks.len() > 0 {
            sink.add(
                "signing.v1_incomplete",
                Severity::Warning,
                "META-INF/",
                format!(
                    "{sf} signature file(s) (.SF) and {} signature block file(s); v1 needs both",
                    blocks.len()
                ),
            );
        }
        return;
    }
    for e in blocks {
        let cert = match archive.read(e) {
            Ok(bytes) => {
                let c = pkcs7_first_certificate(&bytes).map(|c| (sha256_hex(c), cert_subject(c)));
                if c.is_none() {
                    sink.add(
                        "signing.bad_pkcs7",
                        Severity::Warning,
                        e.name.clone(),
                        "no certificate could be read from the PKCS#7 signature block",
                    );
                }
                c
            }
            Err(err) => {
                sink.add(
                    "signing.unreadable",
                    Severity::Error,
                    e.name.clone(),
                    err.to_string(),
                );
                None
            }
        };
        let (cert, subject) = cert.map_or((None, None), |(d, s)| (Some(d), s));
        info.signers.push(Signer {
            scheme: "v1".into(),
            certificate_sha256: cert,
            certificate_subject: subject,
            file: Some(e.name.clone()),
            min_sdk: None,
            max_sdk: None,
        });
    }
}

/// (tag, content, rest after the element, the whole element).
type Tlv<'a> = (u8, &'a [u8], &'a [u8], &'a [u8]);

/// A minimal DER walker: (tag, content, rest, whole). Only low tag numbers and
/// definite lengths, which is what signing tools emit.
fn der(input: &[u8]) -> Option<Tlv<'_>> {
    let (&tag, rest) = input.split_first()?;
    if tag & 0x1f == 0x1f {
        return None;
    }
    let (&l0, rest) = rest.split_first()?;
    let (len, rest) = if l0 < 0x80 {
        (l0 as usize, rest)
    } else {
        let n = (l0 & 0x7f) as usize;
        if n == 0 || n > 4 {
            return None;
        }
        let (lb, rest) = rest.split_at_checked(n)?;
        (lb.iter().fold(0usize, |a, &b| (a << 8) | b as usize), rest)
    };
    let (content, after) = rest.split_at_checked(len)?;
    let whole_len = input.len() - after.len();
    Some((tag, content, after, input.get(..whole_len)?))
}

/// ContentInfo { OID, [0] SignedData { version, digestAlgorithms,
/// encapContentInfo, [0] IMPLICIT certificates, [1] crls?, signerInfos } }:
/// the certificate of the first SignerInfo (matched by issuer and serial
/// number), else the first certificate.
fn pkcs7_first_certificate(p7: &[u8]) -> Option<&[u8]> {
    let (t, ci, _, _) = der(p7)?;
    if t != 0x30 {
        return None;
    }
    let (_, _, ci_rest, _) = der(ci)?; // contentType OID
    let (t, explicit, _, _) = der(ci_rest)?;
    if t != 0xa0 {
        return None;
    }
    let (t, sd, _, _) = der(explicit)?;
    if t != 0x30 {
        return None;
    }
    let mut rest = sd;
    for _ in 0..3 {
        rest = der(rest)?.2; // version, digestAlgorithms, encapContentInfo
    }
    let (t, certs, mut after, _) = der(rest)?;
    if t != 0xa0 {
        return None;
    }
    let mut all = Vec::new();
    let mut c = certs;
    while let Some((t, _, next, whole)) = der(c) {
        if t == 0x30 {
            all.push(whole);
        }
        c = next;
    }
    // Skip optional crls [1], then take the first SignerInfo's sid.
    if let Some((0xa1, _, next, _)) = der(after) {
        after = next;
    }
    let sid = der(after)
        .filter(|x| x.0 == 0x31)
        .and_then(|(_, infos, _, _)| der(infos))
        .and_then(|(_, info, _, _)| der(info).map(|v| v.2)) // skip version
        .and_then(der)
        .filter(|x| x.0 == 0x30)
        .map(|x| x.1);
    if let Some(sid) = sid
        && let Some((_, _, after_issuer, issuer)) = der(sid)
        && let Some((_, _, _, serial)) = der(after_issuer)
    {
        for cert in &all {
            if cert_issuer_serial(cert) == Some((issuer, serial)) {
                return Some(cert);
            }
        }
    }
    all.first().copied()
}

/// (issuer Name, serialNumber INTEGER) of a certificate, both as whole TLVs.
fn cert_issuer_serial(cert: &[u8]) -> Option<(&[u8], &[u8])> {
    let (_, body, _, _) = der(cert)?;
    let (_, tbs, _, _) = der(body)?;
    let mut rest = tbs;
    if der(rest)?.0 == 0xa0 {
        rest = der(rest)?.2; // explicit version
    }
    let (_, _, after_serial, serial) = der(rest)?;
    let after_alg = der(after_serial)?.2;
    let (_, _, _, issuer) = der(after_alg)?;
    Some((issuer, serial))
}

/// The subject Name of a certificate as `CN=…, O=…, C=…` (RFC 4514: the
/// last RDN first, attributes of one RDN joined by `+`; the usual attribute
/// names, the dotted OID otherwise; values as written, `,`, `+`, `"`, `\\`,
/// `<`, `>`, `;` escaped).
fn cert_subject(cert: &[u8]) -> Option<String> {
    let (_, body, _, _) = der(cert)?;
    let (_, tbs, _, _) = der(body)?;
    let mut rest = tbs;
    if der(rest)?.0 == 0xa0 {
        rest = der(rest)?.2; // explicit version
    }
    let rest = der(rest)?.2; // serialNumber
    let rest = der(rest)?.2; // signature algorithm
    let rest = der(rest)?.2; // issuer
    let rest = der(rest)?.2; // validity
    let (tag, mut rdns, _, _) = der(rest)?; // subject
    if tag != 0x30 {
        return None;
    }
    let mut parts = Vec::new();
    while !rdns.is_empty() {
        let (_, mut set, after, _) = der(rdns)?;
        rdns = after;
        let mut rdn = Vec::new();
        while !set.is_empty() {
            let (_, atv, after, _) = der(set)?;
            set = after;
            let (t, oid, value_tlv, _) = der(atv)?;
            if t != 0x06 {
                return None;
            }
            let (_, value, _, _) = der(value_tlv)?;
            let name = match oid {
                [0x55, 0x04, 0x03] => "CN".to_string(),
                [0x55, 0x04, 0x06] => "C".into(),
                [0x55, 0x04, 0x07] => "L".into(),
                [0x55, 0x04, 0x08] => "ST".into(),
                [0x55, 0x04, 0x0a] => "O".into(),
                [0x55, 0x04, 0x0b] => "OU".into(),
                [0x55, 0x04, 0x05] => "SERIALNUMBER".into(),
                _ => oid_dotted(oid),
            };
            let text: String = String::from_utf8_lossy(value)
                .chars()
                .flat_map(|c| match c {
                    ',' | '+' | '"' | '\\' | '<' | '>' | ';' => vec!['\\', c],
                    c if c.is_control() => vec![],
                    c => vec![c],
                })
                .collect();
            rdn.push(format!("{name}={text}"));
        }
        parts.push(rdn.join("+"));
    }
    parts.reverse();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// An OID's content octets as `1.2.840.113549.1.9.1`.
fn oid_dotted(oid: &[u8]) -> String {
    let mut out = Vec::new();
    let mut v: u64 = 0;
    for (i, &b) in oid.iter().enumerate() {
        v = (v << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            if out.is_empty() && i < 8 {
                let first = (v / 40).min(2);
                out.push(first.to_string());
                out.push((v - first * 40).to_string());
            } else {
                out.push(v.to_string());
            }
            v = 0;
        }
    }
    out.join(".")
}

// ---------------------------------------------------------------- block

/// Finds the APK Signing Block right before the central directory and checks
/// its two size fields against each other.
fn locate_block<'a>(archive: &Archive<'a>, sink: &mut AnomalySink) -> Option<&'a [u8]> {
    let data = archive.data();
    let end = usize::try_from(archive.cd_offset()).ok()?;
    let magic_at = end.checked_sub(16)?;
    if data.get(magic_at..end)? != MAGIC {
        return None;
    }
    let Some(block) = archive.signing_block() else {
        sink.add(
            "signing.bad_block_size",
            Severity::Error,
            "APK Signing Block",
            "the signing block magic is present but its size does not fit in the file",
        );
        return None;
    };
    let head = read_u64(block, 0);
    let tail = read_u64(block, block.len().saturating_sub(24));
    if head != tail || block.len() < 32 {
        sink.add(
            "signing.bad_block_size",
            Severity::Error,
            "APK Signing Block",
            format!("leading size {head:?} and trailing size {tail:?} disagree"),
        );
        return None;
    }
    Some(block)
}

fn read_u64(b: &[u8], off: usize) -> Option<u64> {
    let a: [u8; 8] = b.get(off..off.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(a))
}

/// Length-prefixed (u32 LE) reads over a byte slice.
struct Lp<'a>(&'a [u8]);

impl<'a> Lp<'a> {
    fn u32(&mut self) -> Option<u32> {
        let (a, rest) = self.0.split_first_chunk::<4>()?;
        self.0 = rest;
        Some(u32::from_le_bytes(*a))
    }
    fn seq(&mut self) -> Option<&'a [u8]> {
        let n = usize::try_from(self.u32()?).ok()?;
        let (a, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(a)
    }
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

fn read_block(block: &[u8], info: &mut SigningInfo, sink: &mut AnomalySink) {
    // size (8) | pairs | size (8) | magic (16)
    let pairs_end = block.len().saturating_sub(24);
    let mut pairs = block.get(8..pairs_end).unwrap_or(&[]);
    let mut seen: Vec<u32> = Vec::new();
    while !pairs.is_empty() {
        let Some(len) = read_u64(pairs, 0) else {
            sink.add(
                "signing.truncated_pair",
                Severity::Error,
                "APK Signing Block",
                format!(
                    "{} stray bytes at the end of the id-value pairs",
                    pairs.len()
                ),
            );
            break;
        };
        let body = usize::try_from(len)
            .ok()
            .filter(|&l| l >= 4)
            .and_then(|l| pairs.get(8..8usize.checked_add(l)?));
        let Some(body) = body else {
            sink.add(
                "signing.truncated_pair",
                Severity::Error,
                "APK Signing Block",
                format!(
                    "id-value pair of length {len} does not fit in the remaining {} bytes",
                    pairs.len() - 8
                ),
            );
            break;
        };
        pairs = pairs.get(8 + body.len()..).unwrap_or(&[]);
        let Some((id_bytes, value)) = body.split_first_chunk::<4>() else {
            break;
        };
        let id = u32::from_le_bytes(*id_bytes);
        if seen.contains(&id) {
            sink.add(
                "signing.duplicate_block",
                Severity::Warning,
                "APK Signing Block",
                format!("block id {id:#010x} appears more than once"),
            );
        }
        seen.push(id);
        match id {
            ID_V2 => read_scheme(value, "v2", false, info, sink),
            ID_V3 => read_scheme(value, "v3", true, info, sink),
            ID_V31 => read_scheme(value, "v3.1", true, info, sink),
            _ => info.other_blocks.push(OtherBlock {
                id: format!("{id:#010x}"),
                kind: block_kind(id),
                size: value.len() as u64,
            }),
        }
    }
}

/// v2: signers[ signer{ signed_data{ digests, certificates, attrs },
/// signatures, public_key } ]. v3 adds min/max SDK after the certificates in
/// the signed data and after the signed data in the signer.
fn read_scheme(
    value: &[u8],
    scheme: &str,
    v3: bool,
    info: &mut SigningInfo,
    sink: &mut AnomalySink,
) {
    let loc = format!("{scheme} signature block");
    let bad = |sink: &mut AnomalySink, what: &str| {
        sink.add(
            "signing.bad_signer",
            Severity::Error,
            loc.clone(),
            what.to_string(),
        );
    };
    let Some(signers) = Lp(value).seq() else {
        bad(sink, "signer sequence length does not fit");
        return;
    };
    let mut signers = Lp(signers);
    let mut count = 0;
    while !signers.is_empty() {
        let Some(signer) = signers.seq() else {
            bad(sink, "signer length does not fit");
            break;
        };
        count += 1;
        let mut s = Lp(signer);
        let Some(signed) = s.seq() else {
            bad(sink, "signed-data length does not fit");
            continue;
        };
        let (min_sdk, max_sdk) = if v3 { (s.u32(), s.u32()) } else { (None, None) };
        let mut sd = Lp(signed);
        let _digests = sd.seq();
        let cert = sd.seq().and_then(|c| Lp(c).seq());
        if cert.is_none() {
            bad(sink, "signer has no readable certificate");
        }
        info.signers.push(Signer {
            scheme: scheme.to_string(),
            certificate_sha256: cert.map(sha256_hex),
            certificate_subject: cert.and_then(cert_subject),
            file: None,
            min_sdk,
            max_sdk,
        });
    }
    if count == 0 {
        bad(sink, "no signers");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pipa_core::Limits;

    fn lp(v: &[u8]) -> Vec<u8> {
        let mut o = (v.len() as u32).to_le_bytes().to_vec();
        o.extend_from_slice(v);
        o
    }

    fn scheme_value(cert: &[u8], v3: bool) -> Vec<u8> {
        let mut signed = lp(&[]); // digests
        signed.extend(lp(&lp(cert)));
        if v3 {
            signed.extend(24u32.to_le_bytes());
            signed.extend(33u32.to_le_bytes());
        }
        signed.extend(lp(&[])); // attrs
        let mut signer = lp(&signed);
        if v3 {
            signer.extend(24u32.to_le_bytes());
            signer.extend(0x7fff_ffffu32.to_le_bytes());
        }
        signer.extend(lp(&[1, 2]));
        signer.extend(lp(&[3]));
        lp(&lp(&signer))
    }

    fn block(pairs: &[(u32, Vec<u8>)]) -> Vec<u8> {
        let mut body = Vec::new();
        for (id, v) in pairs {
            body.extend(((v.len() + 4) as u64).to_le_bytes());
            body.extend(id.to_le_bytes());
            body.extend(v);
        }
        let size = (body.len() + 24) as u64;
        let mut b = size.to_le_bytes().to_vec();
        b.extend(body);
        b.extend(size.to_le_bytes());
        b.extend(MAGIC);
        b
    }

    fn apk(sig_block: &[u8]) -> Vec<u8> {
        // one stored entry, then the block, then CD + EOCD
        let mut z = Vec::new();
        let name = b"a";
        z.extend(0x0403_4b50u32.to_le_bytes());
        z.extend([20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        z.extend(crc32fast::hash(b"x").to_le_bytes());
        z.extend(1u32.to_le_bytes());
        z.extend(1u32.to_le_bytes());
        z.extend(1u16.to_le_bytes());
        z.extend(0u16.to_le_bytes());
        z.extend(name);
        z.extend(b"x");
        z.extend(sig_block);
        let cd = z.len() as u32;
        z.extend(0x0201_4b50u32.to_le_bytes());
        z.extend([20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        z.extend(crc32fast::hash(b"x").to_le_bytes());
        z.extend(1u32.to_le_bytes());
        z.extend(1u32.to_le_bytes());
        z.extend(1u16.to_le_bytes());
        z.extend([0u8; 12]);
        z.extend(0u32.to_le_bytes());
        z.extend(name);
        let cd_len = z.len() as u32 - cd;
        z.extend(0x0605_4b50u32.to_le_bytes());
        z.extend([0, 0, 0, 0, 1, 0, 1, 0]);
        z.extend(cd_len.to_le_bytes());
        z.extend(cd.to_le_bytes());
        z.extend([0, 0]);
        z
    }

    #[test]
    fn schemes_and_blocks() {
        let b = block(&[
            (ID_V2, scheme_value(b"CERT-A", false)),
            (ID_V3, scheme_value(b"CERT-B", true)),
            (ID_VASDOLLY, b"channel".to_vec()),
            (0xdead_beef, vec![0; 3]),
            (ID_VERITY_PADDING, vec![0; 16]),
        ]);
        let z = apk(&b);
        let a = Archive::parse(&z, Limits::default()).unwrap();
        let s = read_signing(&a);
        assert_eq!(s.schemes, vec!["v2", "v3"]);
        assert_eq!(s.certificates_sha256.len(), 2);
        assert_eq!(s.certificates_sha256[0], sha256_hex(b"CERT-A"));
        assert_eq!(s.signers[1].min_sdk, Some(24));
        assert_eq!(s.signers[1].max_sdk, Some(0x7fff_ffff));
        let kinds: Vec<_> = s.other_blocks.iter().map(|o| o.kind).collect();
        assert_eq!(kinds, vec!["vasdolly_channel", "unknown", "verity_padding"]);
        assert_eq!(s.other_blocks[1].id, "0xdeadbeef");
        assert!(s.anomalies.is_empty(), "{:?}", s.anomalies);
        assert!(serde_json::to_string(&s).is_ok());
    }

    #[test]
    fn damaged_blocks_never_panic() {
        let b = block(&[
            (ID_V2, scheme_value(b"CERT-A", false)),
            (ID_V31, scheme_value(b"CERT-C", true)),
        ]);
        let z = apk(&b);
        let start = z.len() - b.len() - 46 - 1 - 22;
        // Every single-byte corruption inside the block.
        for i in 0..b.len() {
            for v in [0u8, 0xff, 0x7f] {
                let mut m = z.clone();
                m[start + i] = v;
                if let Ok(a) = Archive::parse(&m, Limits::default()) {
                    let _ = read_signing(&a);
                }
            }
        }
        // Mismatched sizes are reported.
        let mut m = z.clone();
        m[start] ^= 1;
        let a = Archive::parse(&m, Limits::default()).unwrap();
        let s = read_signing(&a);
        assert!(
            s.anomalies
                .iter()
                .any(|x| x.code == "signing.bad_block_size")
        );
    }
}
