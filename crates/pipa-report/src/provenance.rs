//! Where a report comes from, as every format shows it: when the scan ran
//! (UTC), the pipa and knowledge-base versions, and the package's signing
//! certificates (subject, SHA-256, schemes).

use crate::Lang;
use crate::fmt::pair;
use pipa_engine::{Assessment, SignerCert};

/// The labels of [`rows`], for the terminal's label column.
pub(crate) const LABELS: &[(&str, &str)] = &[
    ("扫描时间", "Scanned (UTC)"),
    ("pipa 版本", "pipa version"),
    ("知识库版本", "KB version"),
    ("签名证书", "Signer"),
];

/// (label, value) rows: scan time, pipa version, KB version, then one row
/// per signing certificate (or one saying the package is unsigned).
pub(crate) fn rows(a: &Assessment, lang: Lang) -> Vec<(String, String)> {
    let label = |i: usize| pair(LABELS[i].0, LABELS[i].1, lang);
    let mut out = vec![
        (label(0), a.scanned_at.clone()),
        (label(1), format!("{} ({})", a.tool.version, a.schema)),
        (label(2), a.tool.kb_version.clone()),
    ];
    if a.input.signers.is_empty() {
        out.push((
            label(3),
            pair(
                "未签名（未找到证书）",
                "unsigned (no certificate found)",
                lang,
            ),
        ));
    }
    for c in &a.input.signers {
        out.push((label(3), signer(c, lang)));
    }
    out
}

/// `CN=…, O=… · SHA-256 ab12… · v1, v2`.
pub(crate) fn signer(c: &SignerCert, lang: Lang) -> String {
    format!(
        "{} · SHA-256 {} · {} {}",
        c.subject
            .clone()
            .unwrap_or_else(|| pair("（主题不可读）", "(subject unreadable)", lang)),
        c.sha256,
        pair("方案", "scheme", lang),
        c.schemes.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::{kb, sample};

    /// Every format carries the scan time, both versions and the signer.
    #[test]
    fn every_format_names_time_versions_and_signer() {
        let a = sample();
        let kb = kb();
        let c = &a.input.signers[0];
        let subject = c.subject.clone().expect("subject");
        for lang in [Lang::Both, Lang::En] {
            let xlsx_text: String = crate::xlsx::tables(&a, &kb, lang)[0]
                .rows
                .iter()
                .flatten()
                .map(|c| format!("{c:?}\n"))
                .collect();
            let outputs = [
                ("text", crate::terminal(&a, &kb, lang)),
                ("md", crate::markdown(&a, &kb, lang)),
                ("html", crate::html(&a, &kb, lang)),
                ("sarif", crate::sarif(&a, &kb, lang).expect("sarif")),
                ("json", crate::json(&a).expect("json")),
                ("xlsx", xlsx_text),
            ];
            for (name, out) in &outputs {
                for want in [
                    a.scanned_at.as_str(),
                    a.tool.version.as_str(),
                    a.tool.kb_version.as_str(),
                    c.sha256.as_str(),
                    subject.as_str(),
                ] {
                    assert!(out.contains(want), "{name} {lang:?}: no {want}");
                }
                assert!(out.contains("v2"), "{name}: scheme");
            }
        }
        let mut unsigned = sample();
        unsigned.input.signers.clear();
        let r = rows(&unsigned, Lang::En);
        assert_eq!(
            r.last().map(|x| x.1.as_str()),
            Some("unsigned (no certificate found)")
        );
    }
}

#[cfg(test)]
mod lang_tests {
    use crate::Lang;
    use crate::testdata::{kb, with_sdks};

    /// `--lang zh` is Chinese only: none of the English labels of the
    /// bilingual report appear; `--lang both` has them beside the Chinese.
    #[test]
    fn chinese_only_has_no_english_labels() {
        let mut a = with_sdks();
        a.items[4].declared = Some(pipa_engine::Verdict::Pass);
        let kb = kb();
        let labels = [
            "violation",
            "Findings",
            "Evidence",
            "How to fix",
            "Signer",
            "Scanned (UTC)",
            "declared",
            "Third-party SDKs",
            "Summary",
            "manual",
            "Coverage",
            "First-party code",
        ];
        let xlsx = |lang| -> String {
            crate::xlsx::tables(&a, &kb, lang)
                .iter()
                .map(|t| format!("{}\n{:?}\n", t.name, t.rows))
                .collect()
        };
        for (name, both, zh) in [
            (
                "text",
                crate::terminal(&a, &kb, Lang::Both),
                crate::terminal(&a, &kb, Lang::Zh),
            ),
            (
                "md",
                crate::markdown(&a, &kb, Lang::Both),
                crate::markdown(&a, &kb, Lang::Zh),
            ),
            (
                "html",
                visible(&crate::html(&a, &kb, Lang::Both)),
                visible(&crate::html(&a, &kb, Lang::Zh)),
            ),
            ("xlsx", xlsx(Lang::Both), xlsx(Lang::Zh)),
        ] {
            let mut present = 0;
            for l in labels {
                assert!(!zh.contains(l), "{name} --lang zh has “{l}”");
                present += usize::from(both.contains(l));
            }
            assert!(present >= 5, "{name}: the bilingual report has the labels");
            assert!(
                zh.contains("违规") && zh.contains("证据") || name == "xlsx",
                "{name}"
            );
        }
    }

    /// The text of an HTML page a reader sees: no style, script or tags
    /// (class names such as `v-violation` are not text).
    fn visible(h: &str) -> String {
        let mut page = h.to_string();
        for (open, close) in [("<style>", "</style>"), ("<script>", "</script>")] {
            if let (Some(i), Some(j)) = (page.find(open), page.find(close)) {
                page.replace_range(i..j + close.len(), "");
            }
        }
        let mut text = String::new();
        let mut in_tag = false;
        for c in page.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        text
    }
}
