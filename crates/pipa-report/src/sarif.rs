//! SARIF 2.1.0 output for code-scanning UIs (`pipa scan --format sarif`).
//!
//! One run; one result per finding a person must act on (`violation`,
//! `risk`, `manual`; `pass` and `not_applicable` findings are not results,
//! their count is in the run's properties). Mapping:
//!
//! | verdict     | `kind`   | `level`   |
//! |-------------|----------|-----------|
//! | `violation` | `fail`   | `error`   |
//! | `risk`      | `fail`   | `warning` |
//! | `manual`    | `review` | `none` (SARIF §3.27.10: a `kind` other than `fail` has level `none`) |
//!
//! Rules are the finding kinds (the finding id, e.g. `api.pi.device_id`),
//! carrying the legal texts of the items they cite. Locations point into the
//! package: zip entries relative to the base id `APK`; call sites are the dex
//! file plus a logical location (the method; the bytecode offset is in code
//! units of the method, not a byte offset of the file, so it goes in the
//! location's properties, not in a region); call chains are code flows;
//! policy passages carry their character offsets into the policy's plain
//! text. Findings the baseline accepts carry an external, accepted
//! suppression with its justification.

use crate::Lang;
use crate::fmt::{self, short};
use crate::terminal::finding_order;
use pipa_engine::{Assessment, Evidence, Finding, Severity, Verdict};
use pipa_kb::Kb;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// The schema the log declares.
const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The base id of paths inside the package.
pub(crate) const APK_BASE: &str = "APK";
/// Locations listed per result (the JSON has every evidence item).
const MAX_LOCATIONS: usize = 100;
/// Name of the partial fingerprint (versioned: change it when the key changes).
const FINGERPRINT: &str = "pipaFinding/v1";

/// The assessment as a SARIF 2.1.0 log (pretty JSON, final newline).
pub fn sarif(a: &Assessment, kb: &Kb, lang: Lang) -> serde_json::Result<String> {
    let mut s = serde_json::to_string_pretty(&log(a, kb, lang))?;
    s.push('\n');
    Ok(s)
}

/// The SARIF log as a JSON value.
pub(crate) fn log(a: &Assessment, kb: &Kb, lang: Lang) -> Value {
    let mut arts = Artifacts::new(a);
    let mut rules: Vec<Value> = Vec::new();
    let mut rule_index: HashMap<&str, usize> = HashMap::new();
    let mut results = Vec::new();
    for i in finding_order(a) {
        let f = &a.findings[i];
        let idx = *rule_index.entry(f.id.as_str()).or_insert_with(|| {
            rules.push(rule(f, kb, lang));
            rules.len() - 1
        });
        results.push(result(a, i, idx, &mut arts, lang));
    }
    let not_reported = a.findings.len() - results.len();
    let info_uri = env!("CARGO_PKG_REPOSITORY");
    let mut driver = json!({
        "name": a.tool.name,
        "fullName": "pipa (Personal Information Protection Assessment)",
        "version": a.tool.version,
        "semanticVersion": a.tool.version,
    });
    if info_uri.contains("://") {
        driver["informationUri"] = json!(info_uri);
    }
    driver["language"] = json!(language(lang));
    driver["rules"] = Value::Array(rules);
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "invocations": [invocation(a, lang)],
            "originalUriBaseIds": {
                APK_BASE: {
                    "description": { "text": format!(
                        "{}: {}",
                        fmt::pair("安装包内的路径（zip 条目）", "paths inside the package (zip entries)", lang),
                        a.input.path
                    )}
                }
            },
            "artifacts": arts.list,
            "results": results,
            "language": language(lang),
            "columnKind": "unicodeCodePoints",
            "properties": {
                "schema": a.schema,
                "app": a.app,
                "findings": a.findings.len(),
                "findingsNotReported": not_reported,
                "coverage": a.coverage,
                "incomplete": a.coverage.incomplete,
                "items": a.items.iter().map(|it| json!({
                    "id": it.id,
                    "verdict": it.verdict.as_str(),
                    "findings": it.findings.len(),
                    // The developer's word, apart from the verdict.
                    "declared": it.declared.map(|d| d.as_str()),
                    "unproven": it.unproven(),
                })).collect::<Vec<_>>(),
                "declaredItems": a.items.iter().filter(|it| it.declared.is_some()).count(),
            }
        }]
    })
}

fn language(lang: Lang) -> &'static str {
    match lang {
        Lang::Both | Lang::Zh => "zh-CN",
        Lang::En => "en-US",
    }
}

/// `kind` and `level` of a result with this verdict (see the module doc).
pub(crate) fn kind_level(v: Verdict) -> (&'static str, &'static str) {
    match v {
        Verdict::Violation => ("fail", "error"),
        Verdict::Risk => ("fail", "warning"),
        Verdict::Manual => ("review", "none"),
        Verdict::Pass => ("pass", "none"),
        Verdict::NotApplicable => ("notApplicable", "none"),
    }
}

/// GitHub's `security-severity` (0–10): high 8.0, medium 5.5, low 3.0.
fn security_severity(s: Severity) -> Option<&'static str> {
    match s {
        Severity::High => Some("8.0"),
        Severity::Medium => Some("5.5"),
        Severity::Low => Some("3.0"),
        Severity::Info => None,
    }
}

/// The legal text of a rule as plain-text lines: `191-3.1 title`, the
/// Chinese text and the English gloss (English only for [`Lang::En`]), and
/// the source document. Unknown ids give their id alone.
pub(crate) fn legal_text(kb: &Kb, id: &str, lang: Lang) -> Vec<String> {
    let Some(r) = kb.rule(id) else {
        return vec![id.to_string()];
    };
    let mut v = vec![format!("{id} {}", short(&r.title, lang))];
    if lang == Lang::Both && !r.text_zh.trim().is_empty() {
        v.push(r.text_zh.trim().to_string());
    }
    if !r.gloss_en.trim().is_empty() {
        v.push(r.gloss_en.trim().to_string());
    }
    if let Some(src) = kb.source(&r.source) {
        let mut line = format!("— {}", src.title);
        let meta = src.issuer_and_date();
        if !meta.is_empty() {
            line.push_str(&format!(" ({})", meta.join(", ")));
        }
        v.push(line);
    }
    v
}

fn rule(f: &Finding, kb: &Kb, lang: Lang) -> Value {
    let (_, level) = kind_level(f.verdict);
    let legal: Vec<Vec<String>> = f
        .rule_ids
        .iter()
        .map(|id| legal_text(kb, id, lang))
        .collect();
    let basis_label = fmt::pair("法律依据", "Legal basis", lang);
    let fix_label = fmt::pair("整改建议", "How to fix", lang);
    let full = legal
        .iter()
        .map(|l| l.join("\n"))
        .collect::<Vec<_>>()
        .join("\n\n");
    let remediation = fmt::lines(&f.remediation, lang).join("\n");
    let help_text = format!("{fix_label}:\n{remediation}\n\n{basis_label}:\n{full}");
    let mut md = format!("**{fix_label}**\n\n{remediation}\n\n**{basis_label}**\n");
    for l in &legal {
        md.push_str(&format!("\n- **{}**", l[0]));
        for line in &l[1..] {
            md.push_str(&format!("\n  > {line}"));
        }
        md.push('\n');
    }
    let mut tags = vec!["privacy".to_string(), "pipa".to_string()];
    for id in &f.rule_ids {
        if let Some(src) = kb.rule(id).map(|r| r.source.clone())
            && !tags.contains(&src)
        {
            tags.push(src);
        }
        if !tags.contains(id) {
            tags.push(id.clone());
        }
    }
    let mut props = json!({ "tags": tags, "legalBasis": f.rule_ids });
    if let Some(s) = security_severity(f.severity) {
        props["security-severity"] = json!(s);
    }
    let mut r = json!({
        "id": f.id,
        "shortDescription": { "text": short(&f.title, lang) },
        "fullDescription": { "text": full },
        "help": { "text": help_text, "markdown": md },
        "defaultConfiguration": { "level": level },
        "properties": props,
    });
    if let Some(url) = f
        .rule_ids
        .iter()
        .filter_map(|id| kb.rule(id))
        .filter_map(|r| kb.source(&r.source))
        .map(|s| s.url.as_str())
        .find(|u| u.starts_with("http://") || u.starts_with("https://"))
    {
        r["helpUri"] = json!(url_uri(url));
    }
    r
}

fn result(a: &Assessment, i: usize, rule_index: usize, arts: &mut Artifacts, lang: Lang) -> Value {
    let f = &a.findings[i];
    let (kind, level) = kind_level(f.verdict);
    let mut text = vec![format!("{} {}", f.short_id(), short(&f.title, lang))];
    let description = fmt::description_with_caveats(a, f);
    text.extend(fmt::lines(&description, lang).into_iter().map(String::from));
    for e in &f.evidence {
        if let Evidence::Note { text: t } = e {
            text.push(fmt::lines(t, lang).join(" "));
        }
    }
    text.push(format!(
        "{}: {}",
        fmt::pair("依据", "Rules", lang),
        f.rule_ids.join(", ")
    ));
    let mut locations: Vec<Value> = f
        .evidence
        .iter()
        .filter_map(|e| location(e, arts, lang))
        .take(MAX_LOCATIONS)
        .collect();
    if locations.is_empty() {
        // Code-scanning UIs need a location: the package itself.
        locations.push(json!({
            "physicalLocation": { "artifactLocation": arts.package() },
            "message": { "text": fmt::pair("整个安装包", "the whole package", lang) },
        }));
    }
    let flows: Vec<Value> = f
        .evidence
        .iter()
        .filter_map(|e| code_flow(e, arts))
        .take(MAX_LOCATIONS)
        .collect();
    let mut r = json!({
        "ruleId": f.id,
        "ruleIndex": rule_index,
        "kind": kind,
        "level": level,
        "message": { "text": text.join("\n") },
        "locations": locations,
    });
    let o = r.as_object_mut().expect("an object");
    if !flows.is_empty() {
        o.insert("codeFlows".into(), Value::Array(flows));
    }
    o.insert(
        "partialFingerprints".into(),
        json!({ FINGERPRINT: fingerprint(f), "pipaFindingId/v1": f.short_id() }),
    );
    if let Some(acc) = a.accepted(i) {
        let mut s = json!({
            "kind": "external",
            "status": "accepted",
            "justification": acc.justification,
        });
        let mut p = Map::new();
        if let Some(by) = &acc.by {
            p.insert("by".into(), json!(by));
        }
        if let Some(until) = &acc.until {
            p.insert("until".into(), json!(until));
        }
        if !p.is_empty() {
            s["properties"] = Value::Object(p);
        }
        o.insert("suppressions".into(), json!([s]));
    }
    o.insert(
        "properties".into(),
        json!({
            "findingId": f.short_id(),
            "verdict": f.verdict.as_str(),
            "severity": f.severity,
            "ruleIds": f.rule_ids,
            "evidence": f.evidence.len(),
        }),
    );
    r
}

/// A stable hash of the finding id and its primary (first located)
/// evidence, without offsets, so results match across builds of the app.
pub(crate) fn fingerprint(f: &Finding) -> String {
    let key = f.evidence.iter().find_map(evidence_key).unwrap_or_default();
    let mut h = Sha256::new();
    h.update(f.id.as_bytes());
    h.update([0]);
    h.update(key.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn evidence_key(e: &Evidence) -> Option<String> {
    Some(match e {
        Evidence::Code { api, caller, .. } => format!("code\0{caller}\0{api}"),
        Evidence::Manifest {
            element,
            name,
            detail,
        } => format!(
            "manifest\0{element}\0{}\0{}",
            name.as_deref().unwrap_or(""),
            detail.as_deref().unwrap_or("")
        ),
        Evidence::File { path, .. } => format!("file\0{path}"),
        Evidence::Package { prefix, .. } => format!("package\0{prefix}"),
        Evidence::String { value, .. } => format!("string\0{value}"),
        Evidence::Chain {
            entry,
            component,
            target,
            ..
        } => format!("chain\0{entry}\0{component}\0{target}"),
        Evidence::Policy { text, .. } => format!("policy\0{text}"),
        Evidence::Note { .. } => return None,
    })
}

/// The first `max` distinct values of `items`, in order (SARIF arrays
/// such as `logicalLocations` and `tags` must not repeat an item).
fn distinct(items: impl Iterator<Item = Value>, max: usize) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for v in items {
        if out.len() == max {
            break;
        }
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// A method in smali form as a SARIF logical location.
fn method(smali: &str) -> Value {
    let fq = fmt::short_method(smali);
    let name = fq.rsplit('.').next().unwrap_or(&fq).to_string();
    json!({
        "name": name,
        "fullyQualifiedName": fq,
        "decoratedName": smali,
        "kind": "function",
    })
}

fn location(e: &Evidence, arts: &mut Artifacts, lang: Lang) -> Option<Value> {
    let text = fmt::evidence(e, lang, |s| s.to_string());
    Some(match e {
        Evidence::Code {
            caller,
            dex,
            offset,
            subject,
            api,
        } => json!({
            "physicalLocation": { "artifactLocation": arts.entry(dex) },
            "logicalLocations": [method(caller)],
            "message": { "text": text },
            "properties": { "bytecodeOffset": offset, "api": api, "subject": subject },
        }),
        Evidence::Manifest {
            element,
            name,
            detail,
        } => {
            let mut fq = format!("/manifest//{element}");
            if let Some(n) = name {
                fq.push_str(&format!("[@android:name='{n}']"));
            }
            let mut l = json!({
                "physicalLocation": { "artifactLocation": arts.entry("AndroidManifest.xml") },
                "logicalLocations": [{
                    "name": name.as_deref().unwrap_or(element),
                    "fullyQualifiedName": fq,
                    "kind": "element",
                }],
                "message": { "text": text },
            });
            if let Some(d) = detail {
                l["properties"] = json!({ "detail": d });
            }
            l
        }
        Evidence::File { path, .. } => json!({
            "physicalLocation": { "artifactLocation": arts.entry(path) },
            "message": { "text": text },
        }),
        Evidence::Package { prefix, .. } => json!({
            "physicalLocation": { "artifactLocation": arts.package() },
            "logicalLocations": [{ "fullyQualifiedName": prefix, "kind": "namespace" }],
            "message": { "text": text },
        }),
        Evidence::String { locations, .. } => json!({
            "physicalLocation": { "artifactLocation": arts.package() },
            // The schema wants distinct items: a string used twice in one
            // method is one logical location.
            "logicalLocations": distinct(locations.iter().map(|m| method(m)), MAX_LOCATIONS),
            "message": { "text": text },
        }),
        Evidence::Chain {
            steps,
            dex,
            offset,
            subject,
            target,
            ..
        } => {
            let last = steps.last().map(String::as_str).unwrap_or(target);
            json!({
                "physicalLocation": { "artifactLocation": arts.entry(dex) },
                "logicalLocations": [method(last)],
                "message": { "text": text },
                "properties": { "bytecodeOffset": offset, "api": target, "subject": subject },
            })
        }
        Evidence::Policy {
            source,
            text: passage,
            start,
            end,
        } => json!({
            "physicalLocation": {
                "artifactLocation": arts.policy(source),
                "region": {
                    "charOffset": start,
                    "charLength": end.saturating_sub(*start),
                    "snippet": { "text": passage },
                },
            },
            "message": { "text": text },
            "properties": { "offsets": "characters of the policy's plain text (pipa policy FILE --format plain)" },
        }),
        Evidence::Note { .. } => return None,
    })
}

/// A call chain as a code flow: one thread flow, the entry first.
fn code_flow(e: &Evidence, arts: &mut Artifacts) -> Option<Value> {
    let Evidence::Chain {
        entry,
        component,
        steps,
        hops,
        target,
        dex,
        offset,
        gated,
        ..
    } = e
    else {
        return None;
    };
    let mut locs: Vec<Value> = steps
        .iter()
        .enumerate()
        .take(MAX_LOCATIONS)
        .map(|(i, s)| {
            let how = if i == 0 {
                format!("{entry} {component}")
            } else {
                hops.get(i - 1).cloned().unwrap_or_else(|| "call".into())
            };
            json!({
                "location": { "logicalLocations": [method(s)], "message": { "text": how } },
                "nestingLevel": i,
                "executionOrder": i,
            })
        })
        .collect();
    let n = locs.len();
    locs.push(json!({
        "location": {
            "physicalLocation": { "artifactLocation": arts.entry(dex) },
            "logicalLocations": [method(target)],
            "message": { "text": format!("{} @0x{offset:x}", fmt::short_method(target)) },
        },
        "nestingLevel": n,
        "executionOrder": n,
        "kinds": ["call"],
    }));
    Some(json!({
        "message": { "text": format!("{entry} {component}{}", if *gated { " (after a consent check)" } else { "" }) },
        "threadFlows": [{ "locations": locs }],
    }))
}

/// The artifacts the results point to: the package first, then the entries
/// inside it and the policy files, each once.
struct Artifacts {
    list: Vec<Value>,
    index: HashMap<(bool, String), usize>,
    package_path: String,
    policy_in_package: Option<String>,
}

impl Artifacts {
    fn new(a: &Assessment) -> Artifacts {
        let mut pkg = json!({
            "location": { "uri": file_uri(&a.input.path) },
            "roles": ["analysisTarget"],
            "mimeType": "application/vnd.android.package-archive",
        });
        if is_sha256(&a.input.sha256) {
            pkg["hashes"] = json!({ "sha-256": a.input.sha256.to_ascii_lowercase() });
        }
        let policy_in_package = a
            .policy
            .as_ref()
            .filter(|p| p.source.origin.as_deref() == Some("package"))
            .map(|p| p.source.path.clone());
        Artifacts {
            list: vec![pkg],
            index: HashMap::new(),
            package_path: a.input.path.clone(),
            policy_in_package,
        }
    }

    /// The package itself.
    fn package(&self) -> Value {
        json!({ "uri": file_uri(&self.package_path), "index": 0 })
    }

    /// An entry inside the package.
    fn entry(&mut self, path: &str) -> Value {
        let uri = path_uri(path.trim_start_matches('/'));
        let i = self.add(true, &uri);
        json!({ "uri": uri, "uriBaseId": APK_BASE, "index": i })
    }

    /// A policy: an entry of the package, a URL, or a file.
    fn policy(&mut self, source: &str) -> Value {
        if self.policy_in_package.as_deref() == Some(source) {
            return self.entry(source);
        }
        let uri = if source.contains("://") {
            url_uri(source)
        } else {
            file_uri(source)
        };
        let i = self.add(false, &uri);
        json!({ "uri": uri, "index": i })
    }

    fn add(&mut self, inside: bool, uri: &str) -> usize {
        let next = self.list.len();
        *self
            .index
            .entry((inside, uri.to_string()))
            .or_insert_with(|| {
                let mut art = json!({ "location": { "uri": uri } });
                if inside {
                    art["location"]["uriBaseId"] = json!(APK_BASE);
                    art["parentIndex"] = json!(0);
                }
                self.list.push(art);
                next
            })
    }
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Percent-encodes all but unreserved characters and the separators in `keep`.
fn encode(s: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || keep.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A relative path as a URI reference (`/` separators kept).
fn path_uri(p: &str) -> String {
    encode(&p.replace('\\', "/"), b"/")
}

/// A local file: `file:///abs/path` for absolute paths, else relative.
fn file_uri(p: &str) -> String {
    let p = p.replace('\\', "/");
    let bytes = p.as_bytes();
    if p.starts_with('/') {
        format!("file://{}", encode(&p, b"/"))
    } else if bytes.len() > 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        format!("file:///{}:{}", &p[..1], encode(&p[2..], b"/"))
    } else {
        encode(&p, b"/")
    }
}

/// A URL with spaces, controls and non-ASCII characters percent-encoded.
fn url_uri(u: &str) -> String {
    encode(u, b"/:?#[]@!$&'()*+,;=%")
}

fn invocation(a: &Assessment, lang: Lang) -> Value {
    // An incomplete assessment says so first.
    let banner = crate::coverage::banner(a, lang).map(|lines| {
        json!({
            "descriptor": { "id": "pipa.incomplete" },
            "level": "error",
            "message": { "text": lines.join("\n") },
            "properties": { "coverage": a.coverage.ratio },
        })
    });
    let notes: Vec<Value> = banner
        .into_iter()
        .chain(a.anomalies.iter().map(|x| {
            let level = match x.severity {
                pipa_core::Severity::Error => "error",
                pipa_core::Severity::Warning => "warning",
                pipa_core::Severity::Info => "note",
            };
            json!({
                "descriptor": { "id": x.code },
                "level": level,
                "message": { "text": format!("{} ({})", x.message, x.location) },
                "properties": { "location": x.location },
            })
        }))
        .collect();
    json!({
        "executionSuccessful": true,
        "startTimeUtc": a.scanned_at,
        "toolExecutionNotifications": notes,
        "properties": {
            "kbVersion": a.tool.kb_version,
            "signers": a.input.signers,
            "provenance": crate::provenance::rows(a, lang)
                .into_iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::{kb, sample};
    use pipa_engine::Accepted;

    fn run(v: &Value) -> &Value {
        &v["runs"][0]
    }

    #[test]
    fn one_result_per_finding_to_act_on_with_levels_and_kinds() {
        let a = sample();
        let v = log(&a, &kb(), Lang::Both);
        let results = run(&v)["results"].as_array().expect("results");
        let acted = a
            .findings
            .iter()
            .filter(|f| !matches!(f.verdict, Verdict::Pass | Verdict::NotApplicable))
            .count();
        assert_eq!(results.len(), acted);
        let by_id = |id: &str| {
            results
                .iter()
                .find(|r| r["ruleId"] == id)
                .unwrap_or_else(|| panic!("{id}"))
        };
        let r = by_id("perm.legacy_target");
        assert_eq!(
            (r["kind"].as_str(), r["level"].as_str()),
            (Some("fail"), Some("error"))
        );
        let r = by_id("policy.none");
        assert_eq!(
            (r["kind"].as_str(), r["level"].as_str()),
            (Some("fail"), Some("warning"))
        );
        let r = by_id("perm.purpose");
        assert_eq!(
            (r["kind"].as_str(), r["level"].as_str()),
            (Some("review"), Some("none"))
        );
        // every ruleIndex points to its rule
        let rules = run(&v)["tool"]["driver"]["rules"]
            .as_array()
            .expect("rules");
        for r in results {
            let i = r["ruleIndex"].as_u64().expect("index") as usize;
            assert_eq!(rules[i]["id"], r["ruleId"]);
        }
    }

    #[test]
    fn pass_findings_are_not_results() {
        let mut a = sample();
        a.findings[0].verdict = Verdict::Pass;
        let v = log(&a, &kb(), Lang::En);
        assert!(
            !run(&v)["results"]
                .as_array()
                .expect("results")
                .iter()
                .any(|r| r["ruleId"] == "policy.none")
        );
        assert_eq!(run(&v)["properties"]["findingsNotReported"], 1);
    }

    #[test]
    fn rules_carry_the_legal_text() {
        let v = log(&sample(), &kb(), Lang::Both);
        let rules = run(&v)["tool"]["driver"]["rules"]
            .as_array()
            .expect("rules");
        let r = rules
            .iter()
            .find(|r| r["id"] == "sec.allow_backup")
            .expect("rule");
        let full = r["fullDescription"]["text"].as_str().expect("text");
        assert!(
            full.contains("PIPL-51 安全保护义务 / Security measures"),
            "{full}"
        );
        assert!(full.contains("个人信息处理者应当"), "{full}");
        assert!(full.contains("Handlers must take security measures."));
        assert!(full.contains("中华人民共和国个人信息保护法"));
        assert_eq!(r["properties"]["legalBasis"], json!(["PIPL-51"]));
        assert!(
            r["properties"]["tags"]
                .as_array()
                .expect("tags")
                .contains(&json!("PIPL"))
        );
        assert_eq!(r["properties"]["security-severity"], "3.0");
        assert_eq!(r["defaultConfiguration"]["level"], "warning");
        let md = r["help"]["markdown"].as_str().expect("md");
        assert!(
            md.contains("关闭备份。") && md.contains("> 个人信息处理者应当"),
            "{md}"
        );
        let r = rules
            .iter()
            .find(|r| r["id"] == "policy.none")
            .expect("rule");
        assert_eq!(
            r["helpUri"],
            "http://www.cac.gov.cn/2019-12/27/c_1578986455686625.htm"
        );
        // English only
        let v = log(&sample(), &kb(), Lang::En);
        let text = serde_json::to_string(&v).expect("json");
        assert!(
            !text.contains("认定条文"),
            "no Chinese legal text in English"
        );
        assert_eq!(run(&v)["language"], "en-US");
    }

    #[test]
    fn locations_point_into_the_package() {
        let v = log(&sample(), &kb(), Lang::En);
        let results = run(&v)["results"].as_array().expect("results");
        let r = results
            .iter()
            .find(|r| r["ruleId"] == "perm.dangerous")
            .expect("result");
        let locs = r["locations"].as_array().expect("locations");
        assert_eq!(locs.len(), 2);
        let m = &locs[0]["physicalLocation"]["artifactLocation"];
        assert_eq!(
            (m["uri"].as_str(), m["uriBaseId"].as_str()),
            (Some("AndroidManifest.xml"), Some("APK"))
        );
        assert_eq!(
            locs[0]["logicalLocations"][0]["fullyQualifiedName"],
            "/manifest//uses-permission[@android:name='android.permission.READ_SMS']"
        );
        let c = &locs[1];
        assert_eq!(
            c["physicalLocation"]["artifactLocation"]["uri"],
            "classes.dex"
        );
        assert_eq!(c["logicalLocations"][0]["fullyQualifiedName"], "com.x.Y.m");
        assert_eq!(c["logicalLocations"][0]["kind"], "function");
        assert_eq!(c["properties"]["bytecodeOffset"], 0x12);
        // artifacts: the package with its hash, entries once each, under it
        let arts = run(&v)["artifacts"].as_array().expect("artifacts");
        assert_eq!(arts[0]["hashes"]["sha-256"], "ab".repeat(32));
        assert_eq!(arts[0]["location"]["uri"], "app.apk");
        let idx = m["index"].as_u64().expect("index") as usize;
        assert_eq!(arts[idx]["location"]["uri"], "AndroidManifest.xml");
        assert_eq!(arts[idx]["parentIndex"], 0);
        assert_eq!(
            arts.iter()
                .filter(|x| x["location"]["uri"] == "classes.dex")
                .count(),
            1
        );
        // a note only: the package itself, the note in the message
        let r = results
            .iter()
            .find(|r| r["ruleId"] == "policy.none")
            .expect("r");
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["index"],
            0
        );
        assert!(
            r["message"]["text"]
                .as_str()
                .expect("m")
                .contains("No policy file or URL found")
        );
        // chains: a code flow from the entry to the call
        let r = results
            .iter()
            .find(|r| r["ruleId"] == "before_consent.app")
            .expect("chain");
        let tf = &r["codeFlows"][0]["threadFlows"][0]["locations"];
        assert_eq!(tf.as_array().expect("flow").len(), 3);
        assert_eq!(
            tf[0]["location"]["logicalLocations"][0]["fullyQualifiedName"],
            "com.example.app.App.onCreate"
        );
        assert_eq!(tf[1]["location"]["message"]["text"], "async");
        assert_eq!(
            tf[2]["location"]["logicalLocations"][0]["fullyQualifiedName"],
            "android.telephony.TelephonyManager.getDeviceId"
        );
    }

    #[test]
    fn policy_passages_have_character_regions() {
        let mut a = sample();
        a.findings[0].evidence.push(Evidence::Policy {
            source: "https://example.com/隐私 政策.html".into(),
            text: "我们收集位置信息".into(),
            start: 10,
            end: 18,
        });
        let v = log(&a, &kb(), Lang::Both);
        let r = run(&v)["results"]
            .as_array()
            .expect("results")
            .iter()
            .find(|r| r["ruleId"] == "policy.none")
            .expect("r")
            .clone();
        let p = &r["locations"][0]["physicalLocation"];
        assert_eq!(p["region"]["charOffset"], 10);
        assert_eq!(p["region"]["charLength"], 8);
        assert_eq!(p["region"]["snippet"]["text"], "我们收集位置信息");
        assert_eq!(
            p["artifactLocation"]["uri"],
            "https://example.com/%E9%9A%90%E7%A7%81%20%E6%94%BF%E7%AD%96.html"
        );
    }

    #[test]
    fn accepted_findings_are_suppressed() {
        let mut a = sample();
        let i = a
            .findings
            .iter()
            .position(|f| f.id == "perm.dangerous")
            .expect("f");
        a.baseline = Some(pipa_engine::BaselineInfo {
            source: "pipa-baseline.yaml".into(),
            accepted: vec![Accepted {
                finding: i,
                id: "perm.dangerous".into(),
                justification: "SMS login, disclosed in the policy".into(),
                by: Some("li".into()),
                until: None,
            }],
            ..Default::default()
        });
        let v = log(&a, &kb(), Lang::En);
        let results = run(&v)["results"].as_array().expect("results");
        for r in results {
            let s = &r["suppressions"];
            if r["ruleId"] == "perm.dangerous" {
                assert_eq!(s[0]["kind"], "external");
                assert_eq!(s[0]["status"], "accepted");
                assert_eq!(s[0]["justification"], "SMS login, disclosed in the policy");
                assert_eq!(s[0]["properties"]["by"], "li");
            } else {
                assert!(s.is_null(), "{r}");
            }
        }
    }

    #[test]
    fn fingerprints_are_stable_and_distinct() {
        let a = sample();
        let fp = |v: &Value| -> Vec<String> {
            run(v)["results"]
                .as_array()
                .expect("results")
                .iter()
                .map(|r| {
                    r["partialFingerprints"][FINGERPRINT]
                        .as_str()
                        .expect("fp")
                        .to_string()
                })
                .collect()
        };
        let one = fp(&log(&a, &kb(), Lang::Both));
        let two = fp(&log(&a, &kb(), Lang::En));
        assert_eq!(one, two);
        let mut uniq = one.clone();
        uniq.sort();
        uniq.dedup();
        assert_eq!(uniq.len(), one.len());
        // offsets move with a rebuild; the fingerprint does not
        let mut b = a.clone();
        if let Evidence::Code { offset, .. } = &mut b.findings[1].evidence[1] {
            *offset += 4;
        }
        assert_eq!(fingerprint(&a.findings[1]), fingerprint(&b.findings[1]));
        b.findings[1].evidence.swap(0, 1);
        assert_ne!(fingerprint(&a.findings[1]), fingerprint(&b.findings[1]));
    }

    #[test]
    fn anomalies_are_notifications() {
        let v = log(&sample(), &kb(), Lang::En);
        let inv = &run(&v)["invocations"][0];
        assert_eq!(inv["executionSuccessful"], true);
        let n = &inv["toolExecutionNotifications"][0];
        assert_eq!(n["descriptor"]["id"], "zip.junk_prefix");
        assert_eq!(n["level"], "warning");
    }

    #[test]
    fn uris() {
        assert_eq!(file_uri("/tmp/a b.apk"), "file:///tmp/a%20b.apk");
        assert_eq!(file_uri("C:\\x\\y.apk"), "file:///C:/x/y.apk");
        assert_eq!(file_uri("dir/y:z.apk"), "dir/y%3Az.apk");
        assert_eq!(path_uri("lib/arm64-v8a/libx.so"), "lib/arm64-v8a/libx.so");
        assert_eq!(url_uri("https://a.b/c?d=e f"), "https://a.b/c?d=e%20f");
    }

    /// The official SARIF 2.1.0 schema, fetched by scripts/fetch-fixtures.sh.
    pub(crate) fn schema() -> Option<jsonschema::Validator> {
        let path = pipa_testkit::fixture(SCHEMA_FILE)?;
        // The published schema's `language` pattern has a stray `]`, a literal
        // in ECMA-262 regexes but an error in Rust's: escape it (same meaning).
        let text = std::fs::read_to_string(path)
            .expect("schema readable")
            .replace("{2}]?$", "{2}\\\\]?$");
        let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
        Some(
            jsonschema::options()
                .should_validate_formats(true)
                .build(&schema)
                .expect("schema compiles"),
        )
    }

    /// The local name of the schema fixture.
    const SCHEMA_FILE: &str = "sarif-schema-2.1.0.json";

    #[test]
    fn valid_against_the_official_schema() {
        let Some(schema) = schema() else { return };
        let mut a = crate::testdata::with_sdks();
        a.findings[0].evidence.push(Evidence::Policy {
            source: "assets/privacy.html".into(),
            text: "x".into(),
            start: 0,
            end: 1,
        });
        a.findings[2].evidence.push(Evidence::String {
            value: "=cmd|' /C calc'!A0 \u{1}".into(),
            // the same method twice (a string used twice in one method),
            // as in AndroidProject-2019-09: SARIF wants distinct items
            locations: vec!["Lcom/x/Y;->m()V".into(), "Lcom/x/Y;->m()V".into()],
        });
        let again = a.findings[2].rule_ids[0].clone();
        a.findings[2].rule_ids.push(again);
        for lang in [Lang::Both, Lang::En] {
            let v = log(&a, &kb(), lang);
            let errors: Vec<String> = schema
                .iter_errors(&v)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{errors:#?}");
        }
        // and the schema does reject a broken log, duplicates included
        let mut bad = log(&a, &kb(), Lang::En);
        bad["runs"][0]["results"][0]["level"] = json!("fatal");
        assert!(!schema.is_valid(&bad));
        let mut dup = log(&a, &kb(), Lang::En);
        let loc = &mut dup["runs"][0]["results"][0]["locations"][0];
        let one = json!({ "fullyQualifiedName": "a.b", "kind": "function" });
        loc["logicalLocations"] = json!([one.clone(), one]);
        assert!(
            !schema.is_valid(&dup),
            "duplicate logical locations are invalid"
        );
    }
}
