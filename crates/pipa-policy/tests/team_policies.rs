//! The team's own test policies (`tests/policies/`, see the README there),
//! analysed end to end from their files:
//! - `fixture-app.{html,md,txt}` and `fixture-app-gbk.html` — the policy of the
//!   fixture app 随手拍 (`fixture.policy`, crates/pipa-engine/tests/policy/app):
//!   complete on every element, declares the camera, location and phone
//!   permissions and lists Umeng, and on purpose never mentions the
//!   microphone or JPush. The four forms must read the same;
//! - `thin.txt` — a poor policy that lacks most elements;
//! - `long-30k.txt` — a 30,000-character policy for the speed requirement.

use pipa_policy::{ElementVerdict, Lexicon, Policy, PolicyReport, Span, analyse_file};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ElementVerdict::{Manual, Missing, NotApplicable, Partial, Pass};

fn path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/policies")
        .join(name)
}

fn load(name: &str) -> Policy {
    analyse_file(&path(name), Lexicon::embedded()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

const FIXTURE_FORMS: &[&str] = &[
    "fixture-app.html",
    "fixture-app-gbk.html",
    "fixture-app.md",
    "fixture-app.txt",
];

/// What the README says the fixture policy gets, element by element.
const FIXTURE_VERDICTS: &[(&str, ElementVerdict)] = &[
    ("PP-01", Pass),
    ("PP-02", Pass),
    ("PP-03", Pass),
    ("PP-04", Pass),
    ("PP-05", Pass),
    ("PP-06", Pass),
    ("PP-07", Manual),
    ("PP-08", Pass),
    ("PP-09", Pass),
    ("PP-10", Pass),
    ("PP-11", Pass),
    ("PP-12", Pass),
    ("PP-13", Manual),
    ("PP-14", Pass),
    ("PP-15", Pass),
    ("PP-16", NotApplicable),
];

/// What the README says `thin.txt` gets.
const THIN_VERDICTS: &[(&str, ElementVerdict)] = &[
    ("PP-01", Missing),
    ("PP-02", Partial),
    ("PP-03", Partial),
    ("PP-04", Missing),
    ("PP-05", Partial),
    ("PP-06", Partial),
    ("PP-07", Manual),
    ("PP-08", Missing),
    ("PP-09", Partial),
    ("PP-10", Missing),
    ("PP-11", Partial),
    ("PP-12", Missing),
    ("PP-13", Manual),
    ("PP-14", Missing),
    ("PP-15", Missing),
    ("PP-16", NotApplicable),
];

fn verdicts(r: &PolicyReport) -> Vec<(String, ElementVerdict)> {
    r.elements
        .iter()
        .map(|e| (e.id.clone(), e.verdict))
        .collect()
}

fn expected(table: &[(&str, ElementVerdict)]) -> Vec<(String, ElementVerdict)> {
    table.iter().map(|(id, v)| (id.to_string(), *v)).collect()
}

fn pi_types(r: &PolicyReport) -> Vec<&str> {
    r.pi_types.iter().map(|p| p.pi_type.as_str()).collect()
}

fn permissions(r: &PolicyReport) -> BTreeSet<&str> {
    r.permissions.iter().map(|p| p.name.as_str()).collect()
}

/// Everything in the report the four forms must agree on (not the source,
/// the block structure, or the emphasis of types that are not sensitive).
fn reading(r: &PolicyReport) -> String {
    let mut out = String::new();
    for p in &r.pi_types {
        out += &format!(
            "pi {} sensitive={} marked={}\n",
            p.pi_type,
            p.sensitive,
            p.sensitive && p.marked
        );
    }
    for p in &r.pi_denied {
        out += &format!("denied {}\n", p.pi_type);
    }
    for t in &r.third_parties {
        out += &format!(
            "party {} {:?} also={:?} listed={} pi={:?} url={:?}\n",
            t.name, t.sdk_id, t.also, t.listed, t.pi_types, t.policy_url
        );
    }
    for p in &r.permissions {
        out += &format!("permission {} {:?}\n", p.name, p.terms);
    }
    for e in &r.elements {
        let found: Vec<&str> = e
            .signals
            .iter()
            .filter(|s| s.found)
            .map(|s| s.id.as_str())
            .collect();
        out += &format!("element {} {:?} {:?}\n", e.id, e.verdict, found);
    }
    for t in &r.time_limits {
        out += &format!("limit {} working={}\n", t.days, t.working_days);
    }
    for f in r.operator.iter().chain(&r.contacts).chain(&r.dates) {
        out += &format!("fact {} {}\n", f.kind, f.value);
    }
    out += &format!("vague {}\ntitle {:?}\n", r.vague.len(), r.title);
    out
}

#[test]
fn fixture_app_reads_the_same_in_all_four_forms() {
    let html = load("fixture-app.html");
    let want = reading(&html.report);
    for name in FIXTURE_FORMS {
        let p = load(name);
        let got = reading(&p.report);
        assert_eq!(got, want, "{name} reads differently from fixture-app.html");
        let src = &p.report.source;
        match *name {
            "fixture-app-gbk.html" => {
                assert!(
                    src.encoding == "gbk" || src.encoding == "gb18030",
                    "{name}: {}",
                    src.encoding
                );
                assert_eq!(src.format, "html");
            }
            n => {
                assert_eq!(src.encoding, "utf-8", "{n}");
                assert_eq!(src.format, n.rsplit('.').next().unwrap_or_default(), "{n}");
            }
        }
        assert_eq!(src.chars, p.document.chars(), "{name}");
    }
    // The GBK page is the UTF-8 page re-encoded: the same plain text.
    let gbk = load("fixture-app-gbk.html");
    assert_eq!(gbk.document.text, html.document.text);
    assert!(html.report.source.bytes > gbk.report.source.bytes);
}

#[test]
fn fixture_app_meets_every_element() {
    for name in FIXTURE_FORMS {
        let r = load(name).report;
        assert_eq!(verdicts(&r), expected(FIXTURE_VERDICTS), "{name}");
        for e in &r.elements {
            if e.verdict == Pass {
                let missing: Vec<&str> = e
                    .signals
                    .iter()
                    .filter(|s| !s.found)
                    .map(|s| s.id.as_str())
                    .collect();
                assert!(
                    missing.is_empty(),
                    "{name} {}: signals not found {missing:?}",
                    e.id
                );
            }
        }
        assert!(r.vague.is_empty(), "{name}: open lists {:?}", r.vague);
        assert!(!r.time_limits.is_empty(), "{name}");
        assert!(
            r.time_limits.iter().all(|t| t.days == 15 && t.working_days),
            "{name}: {:?}",
            r.time_limits.iter().map(|t| t.days).collect::<Vec<_>>()
        );
        assert!(
            r.language.simplified_chinese && r.language.traditional_ratio == 0.0,
            "{name}: {:?}",
            r.language
        );
    }
}

#[test]
fn fixture_app_declares_what_the_app_does_except_the_microphone() {
    for name in FIXTURE_FORMS {
        let r = load(name).report;
        let pi = pi_types(&r);
        for t in [
            "device_id",
            "device_info",
            "network",
            "phone_number",
            "account",
            "app_usage",
            "location",
            "camera",
            "media",
        ] {
            assert!(pi.contains(&t), "{name}: {t} not declared in {pi:?}");
        }
        // The minors section is conditional boilerplate (仅在取得监护人同意的
        // 前提下收集…): no declaration of under-14 data (issue 24, cause 9).
        assert!(!r.declares("minor"), "{name}: minor declared");
        assert!(!r.declares("audio"), "{name}: audio declared");
        assert!(r.pi_denied.is_empty(), "{name}: {:?}", r.pi_denied);
        for p in &r.pi_types {
            assert!(
                !p.sensitive || p.marked,
                "{name}: sensitive {} not marked",
                p.pi_type
            );
        }
        let perms = permissions(&r);
        for p in [
            "android.permission.CAMERA",
            "android.permission.ACCESS_FINE_LOCATION",
            "android.permission.ACCESS_COARSE_LOCATION",
            "android.permission.READ_PHONE_STATE",
            "android.permission.INTERNET",
        ] {
            assert!(perms.contains(p), "{name}: {p} not explained in {perms:?}");
        }
        // Never the microphone; and taking photos with the camera explains no
        // storage, nor typing a phone number reading the device's number.
        for p in [
            "android.permission.RECORD_AUDIO",
            "android.permission.FOREGROUND_SERVICE_MICROPHONE",
            "android.permission.READ_EXTERNAL_STORAGE",
            "android.permission.READ_MEDIA_IMAGES",
            "android.permission.READ_PHONE_NUMBERS",
        ] {
            assert!(!perms.contains(p), "{name}: {p} explained");
        }
    }
}

#[test]
fn fixture_app_lists_umeng_and_never_names_jpush() {
    for name in FIXTURE_FORMS {
        let p = load(name);
        let r = &p.report;
        assert_eq!(r.third_parties.len(), 1, "{name}: {:?}", r.third_parties);
        let u = &r.third_parties[0];
        assert_eq!(u.sdk_id.as_deref(), Some("umeng.common"), "{name}");
        assert!(u.listed, "{name}");
        assert_eq!(
            u.policy_url.as_deref(),
            Some("https://www.umeng.com/page/policy"),
            "{name}"
        );
        for t in ["device_id", "device_info", "network"] {
            assert!(
                u.pi_types.iter().any(|x| x == t),
                "{name}: umeng {t}: {:?}",
                u.pi_types
            );
        }
        assert!(
            u.evidence
                .iter()
                .any(|e| e.text.contains("友盟同欣（北京）科技有限公司")),
            "{name}: {:?}",
            u.evidence
        );
        assert!(
            !r.third_parties
                .iter()
                .flat_map(|t| t.sdk_id.iter().chain(&t.also))
                .any(|id| id.starts_with("jiguang.")),
            "{name}"
        );
        // The text itself: on purpose no JPush and no microphone.
        let lower = p.document.text.to_lowercase();
        for w in [
            "极光",
            "jpush",
            "jiguang",
            "麦克风",
            "录音",
            "话筒",
            "语音",
            "声音",
            "record_audio",
        ] {
            assert!(!lower.contains(w), "{name} mentions {w}");
        }
    }
}

#[test]
fn fixture_app_names_its_operator_contacts_and_dates() {
    for name in FIXTURE_FORMS {
        let r = load(name).report;
        assert_eq!(r.title.as_deref(), Some("随手拍隐私政策"), "{name}");
        let op = r.operator.as_ref().map(|f| f.value.as_str());
        assert_eq!(op, Some("随手拍（北京）科技有限公司"), "{name}");
        let contacts: Vec<(&str, &str)> = r
            .contacts
            .iter()
            .map(|f| (f.kind.as_str(), f.value.as_str()))
            .collect();
        assert_eq!(
            contacts,
            [
                ("address", "北京市海淀区学院路甲5号随手拍大厦12层"),
                ("email", "privacy@suishoupai.example"),
                ("phone", "400-012-3456"),
                ("email", "dpo@suishoupai.example"),
            ],
            "{name}"
        );
        let dates: Vec<(&str, &str)> = r
            .dates
            .iter()
            .map(|f| (f.kind.as_str(), f.value.as_str()))
            .collect();
        assert_eq!(
            dates,
            [("updated", "2025-03-01"), ("effective", "2025-03-08")],
            "{name}"
        );
    }
}

/// Every span of a report.
fn spans(r: &PolicyReport) -> Vec<(&'static str, &Span)> {
    let mut v: Vec<(&'static str, &Span)> = Vec::new();
    for p in r.pi_types.iter().chain(&r.pi_denied) {
        v.extend(p.evidence.iter().map(|s| ("pi", s)));
    }
    v.extend(r.vague.iter().map(|s| ("vague", s)));
    for t in &r.third_parties {
        v.extend(t.evidence.iter().map(|s| ("party", s)));
    }
    for p in &r.permissions {
        v.extend(p.evidence.iter().map(|s| ("permission", s)));
    }
    v.extend(r.time_limits.iter().map(|t| ("limit", &t.evidence)));
    for f in r.operator.iter().chain(&r.contacts).chain(&r.dates) {
        v.push(("fact", &f.evidence));
    }
    for e in &r.elements {
        v.extend(e.evidence.iter().map(|s| ("element", s)));
        for s in &e.signals {
            v.extend(s.evidence.iter().map(|x| ("signal", x)));
        }
    }
    v
}

#[test]
fn evidence_offsets_index_the_plain_text() {
    let files = FIXTURE_FORMS
        .iter()
        .copied()
        .chain(["thin.txt", "long-30k.txt"]);
    for name in files {
        let p = load(name);
        let chars: Vec<char> = p.document.text.chars().collect();
        assert_eq!(chars.len(), p.document.chars(), "{name}");
        let all = spans(&p.report);
        assert!(all.len() > 20, "{name}: only {} spans", all.len());
        for (what, s) in all {
            assert!(
                s.start < s.end && s.end <= chars.len(),
                "{name} {what}: {}..{}",
                s.start,
                s.end
            );
            let at: String = chars[s.start..s.end].iter().collect();
            assert_eq!(at, s.text, "{name} {what}: offsets {}..{}", s.start, s.end);
            for &[a, b] in &s.terms {
                assert!(
                    s.start <= a && a < b && b <= s.end,
                    "{name} {what}: term {a}..{b} outside {}..{}",
                    s.start,
                    s.end
                );
            }
        }
        // The words that matter are where the report says.
        for pd in &p.report.pi_types {
            for s in &pd.evidence {
                for &[a, b] in &s.terms {
                    let w: String = chars[a..b].iter().collect();
                    assert!(
                        !w.trim().is_empty(),
                        "{name}: empty term for {}",
                        pd.pi_type
                    );
                }
            }
        }
    }
    let p = load("fixture-app.html");
    let u = &p.report.third_parties[0].evidence[0];
    let chars: Vec<char> = p.document.text.chars().collect();
    let [a, b] = u.terms[0];
    assert_eq!(
        chars[a..b].iter().collect::<String>(),
        "友盟+基础组件库（U-Common）"
    );
}

#[test]
fn thin_policy_lacks_most_elements() {
    let r = load("thin.txt").report;
    assert_eq!(verdicts(&r), expected(THIN_VERDICTS));
    assert!(r.operator.is_none(), "{:?}", r.operator);
    assert!(r.contacts.is_empty(), "{:?}", r.contacts);
    assert!(r.dates.is_empty(), "{:?}", r.dates);
    assert!(
        r.time_limits.is_empty(),
        "{:?}",
        r.time_limits.iter().map(|t| t.days).collect::<Vec<_>>()
    );
    assert_eq!(r.title.as_deref(), Some("快拍相机隐私政策"));
    // Open lists: 包括但不限于…等, …等信息, 例如, 比如.
    let vague: Vec<&str> = r.vague.iter().map(|s| s.text.as_str()).collect();
    assert!(vague.len() >= 5, "{vague:?}");
    for w in [
        "包括但不限于设备信息、位置信息、通讯录等",
        "IP地址等信息",
        "比如经纬度",
        "您的使用习惯等信息",
    ] {
        assert!(
            vague.iter().any(|s| s.contains(w)),
            "{w} not found open in {vague:?}"
        );
    }
    let no_vague = r
        .element("PP-02")
        .and_then(|e| e.signals.iter().find(|s| s.id == "no_vague_pi"))
        .expect("PP-02 no_vague_pi");
    assert!(!no_vague.found && !no_vague.evidence.is_empty());
    // Sensitive location declared, not marked; “统计SDK” and “广告SDK” name no party.
    let loc = r
        .pi_types
        .iter()
        .find(|p| p.pi_type == "location")
        .expect("location declared");
    assert!(loc.sensitive && !loc.marked);
    assert!(r.third_parties.is_empty(), "{:?}", r.third_parties);
    assert!(r.explains("android.permission.CAMERA"));
}

#[test]
fn long_policy_loads_and_reads_like_the_fixture() {
    let p = load("long-30k.txt");
    let r = &p.report;
    let n = p.document.chars();
    assert!((28_000..=31_000).contains(&n), "{n} characters");
    assert_eq!(r.source.chars, n);
    assert!(r.stats.sentences > 500, "{:?}", r.stats);
    for e in &r.elements {
        let want = FIXTURE_VERDICTS
            .iter()
            .find(|(id, _)| *id == e.id)
            .map(|(_, v)| *v);
        assert_eq!(Some(e.verdict), want, "{}", e.id);
    }
    let ids: BTreeSet<&str> = r
        .third_parties
        .iter()
        .filter_map(|t| t.sdk_id.as_deref())
        .collect();
    for id in [
        "umeng.common",
        "getui.push",
        "huawei.push",
        "xiaomi.mipush",
        "oppo.push",
        "vivo.push",
        "tencent.wechat-opensdk",
        "tencent.qq-connect",
        "sina.weibo_sdk",
        "alipay.sdk",
        "amap.map3d",
        "tencent.bugly",
        "cmcc.quick_login",
        "alibaba.realidentity",
    ] {
        assert!(ids.contains(id), "{id} not in {ids:?}");
    }
    // Every party is a catalogue SDK or a vendor of some: no running text
    // taken for a name, nothing from inside a URL.
    for t in &r.third_parties {
        assert!(
            t.sdk_id.is_some() || !t.also.is_empty(),
            "unknown party {:?}",
            t.name
        );
    }
    assert!(!ids.contains("huawei.hms_core"), "matched inside a URL");
    for t in ["biometric", "identity", "financial", "location", "contacts"] {
        let d = r.pi_types.iter().find(|p| p.pi_type == t);
        assert!(d.is_some_and(|d| !d.sensitive || d.marked), "{t}: {d:?}");
    }
    // Its minors section is the fixture's conditional boilerplate (issue 24).
    assert!(!r.declares("minor"));
    // Said not to be read: asked in a question, refused, not declared.
    let denied: Vec<&str> = r.pi_denied.iter().map(|p| p.pi_type.as_str()).collect();
    assert_eq!(denied, ["app_list", "clipboard"]);
    // Retention periods (签收后30天删除) are no time limits.
    assert!(
        r.time_limits.iter().all(|t| t.days <= 15),
        "{:?}",
        r.time_limits
    );
    assert!(!r.explains("android.permission.ACCESS_BACKGROUND_LOCATION"));
    assert!(!r.explains("android.permission.QUERY_ALL_PACKAGES"));
    // No partner's address taken for ours.
    assert!(
        r.contacts.iter().all(|c| !c.value.contains("guangying")),
        "{:?}",
        r.contacts
    );
}
