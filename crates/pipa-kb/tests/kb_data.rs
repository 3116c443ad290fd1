//! Validation of the embedded knowledge base: every file parses, every reference
//! resolves, the 191 items are complete and verbatim, smali facts are well formed.

use std::collections::HashSet;

use pipa_kb::{ApiEffect, ApiKind, Kb, Protection, Status};

fn kb() -> Kb {
    Kb::load_embedded().expect("every kb/*.yaml file parses into the model")
}

fn assert_unique<'a>(what: &str, ids: impl IntoIterator<Item = &'a str>) {
    let mut seen = HashSet::new();
    let dups: Vec<&str> = ids.into_iter().filter(|id| !seen.insert(*id)).collect();
    assert!(dups.is_empty(), "duplicate {what}: {dups:?}");
}

#[test]
fn ids_are_unique() {
    let kb = kb();
    assert_unique("source ids", kb.sources.iter().map(|s| s.id.as_str()));
    assert_unique("PI type ids", kb.pi_types.iter().map(|p| p.id.as_str()));
    assert_unique("rule ids", kb.rules.iter().map(|r| r.id.as_str()));
    assert_unique(
        "permission names",
        kb.permissions.iter().map(|p| p.name.as_str()),
    );
    assert_unique("API ids", kb.apis.iter().map(|a| a.id.as_str()));
}

#[test]
fn colleagues_pi_type_ids_exist() {
    let kb = kb();
    for id in [
        "device_id",
        "phone_number",
        "location",
        "app_list",
        "clipboard",
        "contacts",
        "call_log",
        "sms",
        "calendar",
        "camera",
        "audio",
        "biometric",
        "sensor",
        "network",
        "bluetooth",
        "account",
        "media",
        "health",
        "identity",
        "screen",
    ] {
        assert!(kb.pi_type(id).is_some(), "pi_types.yaml lacks {id}");
    }
    // PIPL Art. 28 sensitive categories.
    for id in [
        "biometric",
        "health",
        "identity",
        "location",
        "financial",
        "minor",
    ] {
        assert!(
            kb.pi_type(id).is_some_and(|p| p.sensitive),
            "{id} must be sensitive"
        );
    }
    for p in &kb.pi_types {
        assert!(
            !p.name.zh.is_empty() && !p.name.en.is_empty() && !p.description.zh.is_empty(),
            "{}: name and description needed",
            p.id
        );
        assert!(
            (1..=100).contains(&p.weight),
            "{}: weight 1–100 needed",
            p.id
        );
    }
    // The ranking the reports rely on: identifiers, app list and location
    // before contacts, SMS and call log, before device information.
    let w = |id: &str| kb.pi_weight(id);
    assert!(w("device_id") > w("contacts") && w("app_list") > w("contacts"));
    assert!(w("location") > w("sms") && w("call_log") > w("device_info"));
    assert!(w("sms") > w("network") && w("network") > w("device_info"));
}

#[test]
fn pi_type_references_resolve() {
    let kb = kb();
    for p in &kb.permissions {
        for t in &p.pi_types {
            assert!(
                kb.pi_type(t).is_some(),
                "permission {}: unknown PI type {t}",
                p.name
            );
        }
    }
    for a in &kb.apis {
        assert!(
            kb.pi_type(&a.pi_type).is_some(),
            "API {}: unknown PI type {}",
            a.id,
            a.pi_type
        );
    }
}

#[test]
fn api_permissions_exist() {
    let kb = kb();
    for a in &kb.apis {
        for p in &a.permissions {
            assert!(
                kb.permission(p).is_some(),
                "API {}: permission {p} not in permissions.yaml",
                a.id
            );
        }
    }
}

#[test]
fn source_references_resolve() {
    let kb = kb();
    for r in &kb.rules {
        assert!(
            kb.source(&r.source).is_some(),
            "rule {}: unknown source {}",
            r.id,
            r.source
        );
    }
    for p in &kb.permissions {
        assert!(!p.sources.is_empty(), "permission {} has no source", p.name);
        for s in &p.sources {
            assert!(
                kb.source(s).is_some(),
                "permission {}: unknown source {s}",
                p.name
            );
        }
    }
    for a in &kb.apis {
        assert!(!a.sources.is_empty(), "API {} has no source", a.id);
        for s in &a.sources {
            assert!(kb.source(s).is_some(), "API {}: unknown source {s}", a.id);
        }
    }
    for id in [
        "191",
        "164",
        "MIIT-26",
        "PIPL",
        "NDSR",
        "GBT35273",
        "TC260-PERM",
        "TC260-SDK",
        "N39",
        "camille",
        "privacysentry",
        "appshark",
        "aosp-docs",
    ] {
        assert!(kb.source(id).is_some(), "sources.yaml lacks {id}");
    }
}

#[test]
fn related_rules_resolve() {
    let kb = kb();
    for r in &kb.rules {
        for rel in &r.related {
            assert!(
                kb.rule(rel).is_some(),
                "rule {}: related {rel} unknown",
                r.id
            );
        }
    }
}

/// 6 categories of 4 + 4 + 9 + 6 + 3 + 5 items.
fn expected_191_ids() -> Vec<String> {
    [4, 4, 9, 6, 3, 5]
        .iter()
        .enumerate()
        .flat_map(|(c, &n)| (1..=n).map(move |i| format!("191-{}.{}", c + 1, i)))
        .collect()
}

#[test]
fn all_31_items_of_191_in_order() {
    let kb = kb();
    let ids: Vec<&str> = kb.rules_of("191").map(|r| r.id.as_str()).collect();
    let expected = expected_191_ids();
    assert_eq!(expected.len(), 31);
    assert_eq!(ids, expected.iter().map(String::as_str).collect::<Vec<_>>());
}

#[test]
fn every_191_item_says_how_to_check_and_fix() {
    let kb = kb();
    for r in kb.rules_of("191") {
        assert!(
            r.check.is_some() || r.manual.is_some(),
            "{}: needs check or manual",
            r.id
        );
        assert!(r.remediation.is_some(), "{}: needs remediation", r.id);
        for t in [&r.check, &r.manual, &r.remediation].into_iter().flatten() {
            assert!(!t.zh.is_empty() && !t.en.is_empty(), "{}: empty text", r.id);
        }
        assert!(r.category.is_some(), "{}: category", r.id);
        assert!(!r.evidence.is_empty(), "{}: evidence kinds", r.id);
        assert!(
            r.verbatim && r.status == Status::Verified,
            "{}: verified verbatim",
            r.id
        );
    }
}

#[test]
fn status_tells_the_truth() {
    let kb = kb();
    for r in &kb.rules {
        assert!(!r.text_zh.is_empty(), "{}: text_zh", r.id);
        if r.status == Status::Unverified || r.status == Status::Paraphrase {
            assert!(
                !r.verbatim,
                "{}: an {:?} text cannot be verbatim",
                r.id, r.status
            );
        }
        // GB/T 35273 body text was not read (SOURCES.md 6g).
        if r.source == "GBT35273" {
            assert_eq!(r.status, Status::Unverified, "{}", r.id);
        }
        if r.source == "PIPL" || r.source == "NDSR" {
            assert!(r.verbatim && r.status == Status::Verified, "{}", r.id);
        }
    }
    for id in [
        "6", "13", "14", "17", "23", "24", "28", "29", "31", "47", "51",
    ] {
        assert!(
            kb.rule(&format!("PIPL-{id}")).is_some(),
            "PIPL-{id} missing"
        );
    }
    assert!(kb.rules_of("164").count() >= 8, "164 items");
}

/// Pulls `id` / `text_zh` pairs out of the research file with the YAML parser.
fn shared_191_texts(text: &str) -> Vec<(String, String)> {
    let doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).expect("rules_191.yaml parses");
    doc["items"]
        .as_sequence()
        .expect("items")
        .iter()
        .map(|it| {
            (
                it["id"].as_str().expect("id").to_string(),
                it["text_zh"].as_str().expect("text_zh").to_string(),
            )
        })
        .collect()
}

#[test]
fn verbatim_191_texts_match_research_file() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/regs/rules_191.yaml");
    let alt = std::path::Path::new("/work/shared/regs/rules_191.yaml");
    let Some(text) = [path.as_path(), alt]
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
    else {
        eprintln!("notice: shared/regs/rules_191.yaml not present; verbatim comparison skipped");
        return;
    };
    let kb = kb();
    let shared = shared_191_texts(&text);
    assert_eq!(shared.len(), 31);
    for (id, text_zh) in shared {
        let r = kb.rule(&id).unwrap_or_else(|| panic!("{id} missing"));
        assert_eq!(
            r.text_zh, text_zh,
            "{id}: text differs from the research file"
        );
    }
}

#[test]
fn enough_apis_and_permissions() {
    let kb = kb();
    assert!(kb.apis.len() >= 150, "{} APIs", kb.apis.len());
    assert!(
        kb.permissions.len() >= 100,
        "{} permissions",
        kb.permissions.len()
    );
}

/// Every runtime permission of the Android platform (Manifest.permission, protection
/// level `dangerous`), up to API 35.
const DANGEROUS: &[&str] = &[
    "android.permission.READ_CALENDAR",
    "android.permission.WRITE_CALENDAR",
    "android.permission.READ_CALL_LOG",
    "android.permission.WRITE_CALL_LOG",
    "android.permission.PROCESS_OUTGOING_CALLS",
    "android.permission.CAMERA",
    "android.permission.READ_CONTACTS",
    "android.permission.WRITE_CONTACTS",
    "android.permission.GET_ACCOUNTS",
    "android.permission.ACCESS_FINE_LOCATION",
    "android.permission.ACCESS_COARSE_LOCATION",
    "android.permission.ACCESS_BACKGROUND_LOCATION",
    "android.permission.ACCESS_MEDIA_LOCATION",
    "android.permission.RECORD_AUDIO",
    "android.permission.READ_PHONE_STATE",
    "android.permission.READ_PHONE_NUMBERS",
    "android.permission.CALL_PHONE",
    "android.permission.ANSWER_PHONE_CALLS",
    "com.android.voicemail.permission.ADD_VOICEMAIL",
    "android.permission.USE_SIP",
    "android.permission.ACCEPT_HANDOVER",
    "android.permission.BODY_SENSORS",
    "android.permission.BODY_SENSORS_BACKGROUND",
    "android.permission.ACTIVITY_RECOGNITION",
    "android.permission.SEND_SMS",
    "android.permission.RECEIVE_SMS",
    "android.permission.READ_SMS",
    "android.permission.RECEIVE_WAP_PUSH",
    "android.permission.RECEIVE_MMS",
    "android.permission.READ_EXTERNAL_STORAGE",
    "android.permission.WRITE_EXTERNAL_STORAGE",
    "android.permission.READ_MEDIA_IMAGES",
    "android.permission.READ_MEDIA_VIDEO",
    "android.permission.READ_MEDIA_AUDIO",
    "android.permission.READ_MEDIA_VISUAL_USER_SELECTED",
    "android.permission.BLUETOOTH_SCAN",
    "android.permission.BLUETOOTH_CONNECT",
    "android.permission.BLUETOOTH_ADVERTISE",
    "android.permission.NEARBY_WIFI_DEVICES",
    "android.permission.UWB_RANGING",
    "android.permission.POST_NOTIFICATIONS",
];

#[test]
fn every_dangerous_permission_is_present() {
    let kb = kb();
    for name in DANGEROUS {
        let p = kb
            .permission(name)
            .unwrap_or_else(|| panic!("{name} missing"));
        assert_eq!(p.protection, Protection::Dangerous, "{name}");
        assert!(p.group.is_some(), "{name}: group");
    }
    for name in [
        "android.permission.QUERY_ALL_PACKAGES",
        "android.permission.SYSTEM_ALERT_WINDOW",
        "android.permission.PACKAGE_USAGE_STATS",
        "android.permission.BIND_ACCESSIBILITY_SERVICE",
        "android.permission.RECEIVE_BOOT_COMPLETED",
        "com.asus.msa.SupplementaryDID.ACCESS",
    ] {
        assert!(kb.permission(name).is_some(), "{name} missing");
    }
}

#[test]
fn pi_collecting_permissions_need_a_purpose() {
    let kb = kb();
    for p in &kb.permissions {
        if p.protection == Protection::Dangerous && !p.pi_types.is_empty() {
            assert!(
                p.purpose_required,
                "{}: can collect PI, purpose_required (191-2.3)",
                p.name
            );
        }
        assert!(!p.name_zh.is_empty(), "{}: name_zh", p.name);
        let looks_like = p.name.contains('.') && !p.name.contains(' ');
        assert!(looks_like, "{}: permission name", p.name);
    }
}

fn is_java_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// `android.provider.Settings$Secure`: dotted package, `$` for nested classes. A
/// capitalised segment followed by more segments is a nested class written with `.`.
fn is_java_class_name(s: &str) -> bool {
    let segs: Vec<&str> = s.split('.').collect();
    segs.len() >= 2
        && segs.iter().all(|seg| is_java_ident(seg))
        && segs[..segs.len() - 1]
            .iter()
            .all(|seg| !seg.starts_with(|c: char| c.is_ascii_uppercase()))
        && segs[segs.len() - 1].starts_with(|c: char| c.is_ascii_uppercase())
}

/// One smali type: `I`, `[B`, `Ljava/lang/String;`.
fn smali_type(s: &str, allow_void: bool) -> Option<&str> {
    let s = s.trim_start_matches('[');
    let c = s.chars().next()?;
    match c {
        'Z' | 'B' | 'S' | 'C' | 'I' | 'J' | 'F' | 'D' => Some(&s[1..]),
        'V' if allow_void => Some(&s[1..]),
        'L' => {
            let end = s.find(';')?;
            let body = &s[1..end];
            (!body.is_empty() && body.split('/').all(is_java_ident)).then(|| &s[end + 1..])
        }
        _ => None,
    }
}

fn is_smali_method_descriptor(d: &str) -> bool {
    let Some(rest) = d.strip_prefix('(') else {
        return false;
    };
    let Some(close) = rest.find(')') else {
        return false;
    };
    let mut params = &rest[..close];
    while !params.is_empty() {
        match smali_type(params, false) {
            Some(r) => params = r,
            None => return false,
        }
    }
    smali_type(&rest[close + 1..], true) == Some("")
}

fn is_smali_field_descriptor(d: &str) -> bool {
    smali_type(d, false) == Some("")
}

#[test]
fn smali_checkers_work() {
    assert!(is_java_class_name("android.provider.Settings$Secure"));
    assert!(!is_java_class_name("android.provider.Settings.Secure"));
    assert!(!is_java_class_name("android/provider/Settings"));
    assert!(is_smali_method_descriptor(
        "(Landroid/content/ContentResolver;Ljava/lang/String;)Ljava/lang/String;"
    ));
    assert!(is_smali_method_descriptor("()V"));
    assert!(is_smali_method_descriptor("([BI)[Ljava/lang/String;"));
    assert!(!is_smali_method_descriptor("(String)V"));
    assert!(!is_smali_method_descriptor("(V)V"));
    assert!(is_smali_field_descriptor("Landroid/net/Uri;"));
    assert!(!is_smali_field_descriptor("Landroid.net.Uri;"));
}

#[test]
fn api_entries_are_well_formed() {
    let kb = kb();
    for a in &kb.apis {
        match a.kind {
            ApiKind::String => {
                assert!(
                    a.class.is_empty() && a.member.is_empty(),
                    "{}: string entry with class",
                    a.id
                );
                assert!(
                    a.value.as_deref().is_some_and(|v| !v.is_empty()),
                    "{}: value",
                    a.id
                );
                assert!(a.descriptor.is_none(), "{}: descriptor on a string", a.id);
            }
            ApiKind::Method | ApiKind::StaticField => {
                assert!(
                    is_java_class_name(&a.class),
                    "{}: class {:?}",
                    a.id,
                    a.class
                );
                assert!(is_java_ident(&a.member), "{}: member {:?}", a.id, a.member);
                if let Some(d) = &a.descriptor {
                    let ok = if a.kind == ApiKind::Method {
                        is_smali_method_descriptor(d)
                    } else {
                        is_smali_field_descriptor(d)
                    };
                    assert!(ok, "{}: descriptor {d:?}", a.id);
                }
            }
        }
        assert!(
            !a.description.zh.is_empty() && !a.description.en.is_empty(),
            "{}",
            a.id
        );
        // What decides a lookup belongs to lookups; called methods are
        // `class.member`; API levels are real ones.
        if a.effect != ApiEffect::Lookup {
            assert!(
                a.enumerates_when.is_empty() && a.probe_min.is_none(),
                "{}: enumerates_when/probe_min on a non-lookup",
                a.id
            );
        }
        assert!(a.probe_min.is_none_or(|n| n >= 2), "{}: probe_min", a.id);
        for m in &a.own_when_calls {
            let (class, member) = m.rsplit_once('.').unwrap_or(("", ""));
            assert!(
                is_java_class_name(class) && is_java_ident(member),
                "{}: own_when_calls {m:?}",
                a.id
            );
        }
        for m in &a.intent_limited_by {
            let (name, proto) = m.split_once('(').unwrap_or((m, ""));
            let (class, member) = name.rsplit_once('.').unwrap_or(("", ""));
            assert!(
                class == "android.content.Intent"
                    && (is_java_ident(member) || member == "<init>")
                    && (proto.is_empty() || proto.contains(')')),
                "{}: intent_limited_by {m:?}",
                a.id
            );
        }
        assert!(
            a.no_pi_from_api.is_none_or(|v| (2..=40).contains(&v)),
            "{}: no_pi_from_api",
            a.id
        );
        if a.tags.iter().any(|t| t == "sms_send") {
            assert_eq!(a.effect, ApiEffect::Send, "{}: an SMS send is a send", a.id);
        }
    }
    // The Android ID read only counts with its setting key.
    let android_id = kb
        .api("settings_secure.android_id")
        .expect("android_id entry");
    assert_eq!(android_id.value.as_deref(), Some("android_id"));
    assert_eq!(
        android_id.class_descriptor(),
        "Landroid/provider/Settings$Secure;"
    );
}

const CHECK_TAGS: &[&str] = &[
    "clipboard_read",
    "app_list",
    "recording",
    "camera",
    "biometric",
    "screen_capture",
    "location",
    "device_id",
    "phone_number",
    "contacts",
    "sms",
    "call_log",
    "calendar",
    "sensor",
    "wifi_scan",
    "bluetooth_scan",
    "account",
];
const OTHER_TAGS: &[&str] = &[
    "app_usage",
    "clipboard_monitor",
    "sms_send",
    "screen_read",
    "notification",
    "health",
    "media",
];

#[test]
fn tags_are_known_and_used() {
    let kb = kb();
    for a in &kb.apis {
        for t in &a.tags {
            assert!(
                CHECK_TAGS.contains(&t.as_str()) || OTHER_TAGS.contains(&t.as_str()),
                "{}: unknown tag {t} (add it to the test's vocabulary if intended)",
                a.id
            );
        }
    }
    for t in CHECK_TAGS {
        assert!(
            kb.apis_with_tag(t).next().is_some(),
            "no API carries tag {t}"
        );
    }
}

#[test]
fn lookups() {
    let kb = kb();
    assert_eq!(
        kb.pi_types_of_permission("android.permission.READ_CONTACTS"),
        ["contacts".to_string()]
    );
    assert!(kb.pi_types_of_permission("no.such.PERMISSION").is_empty());
    assert!(
        kb.apis_with_tag("clipboard_read")
            .all(|a| a.pi_type == "clipboard")
    );
    assert!(
        kb.pi_type_entries_of_permission("android.permission.ACCESS_FINE_LOCATION")
            .any(|p| p.sensitive)
    );
    assert!(kb.apis_of_pi_type("location").count() >= 10);
    assert!(kb.permissions_of(Protection::Vendor).count() >= 10);
}

#[test]
fn startup_data_is_well_formed() {
    let kb = Kb::load_embedded().expect("kb loads");
    let st = &kb.startup;
    for kind in [
        "application",
        "provider",
        "initializer",
        "receiver",
        "service",
    ] {
        let m = st
            .entry_methods
            .get(kind)
            .unwrap_or_else(|| panic!("startup.yaml: entry_methods lacks {kind}"));
        assert!(!m.is_empty(), "entry_methods.{kind} is empty");
    }
    let desc = |d: &str| d.starts_with('L') && d.ends_with(';') && !d.contains('.');
    for a in &st.async_types {
        assert!(desc(&a.type_), "async type {} is not a descriptor", a.type_);
        assert!(!a.callbacks.is_empty(), "{} has no callbacks", a.type_);
    }
    for j in &st.job_types {
        assert!(desc(&j.type_), "job type {} is not a descriptor", j.type_);
    }
    for u in &st.ui_types {
        assert!(desc(u), "ui type {u} is not a descriptor");
    }
    for p in &st.periodic_apis {
        assert!(
            desc(&p.class),
            "periodic class {} is not a descriptor",
            p.class
        );
        assert!(!p.zh.is_empty() && !p.en.is_empty());
    }
    for t in &st.target_apis {
        assert!(
            desc(&t.class),
            "target class {} is not a descriptor",
            t.class
        );
    }
    let mut seen = std::collections::HashSet::new();
    for t in &st.system_broadcasts {
        assert!(
            ["boot", "broadcast"].contains(&t.group.as_str()),
            "{}: group {}",
            t.action,
            t.group
        );
        assert!(seen.insert(&t.action), "duplicate action {}", t.action);
        assert!(!t.zh.is_empty() && !t.en.is_empty());
        // Delivery limits are the platform's: never (0), until Android 7
        // (23: CONNECTIVITY_ACTION) or until Android 8 (25).
        assert!(
            t.manifest_max_target
                .is_none_or(|m| [0, 23, 25].contains(&m)),
            "{}: manifest_max_target {:?}",
            t.action,
            t.manifest_max_target
        );
    }
    let delivered = |action: &str, target: i64| {
        st.system_broadcasts
            .iter()
            .find(|t| t.action == action)
            .is_some_and(|t| t.delivered_to_manifest(target))
    };
    // Exempt (boot) and explicit (own package replaced) at any target;
    // connectivity until 23, unlock until 25, screen on never.
    assert!(delivered("android.intent.action.BOOT_COMPLETED", 35));
    assert!(delivered("android.intent.action.MY_PACKAGE_REPLACED", 35));
    assert!(delivered("android.net.conn.CONNECTIVITY_CHANGE", 23));
    assert!(!delivered("android.net.conn.CONNECTIVITY_CHANGE", 24));
    assert!(delivered("android.intent.action.USER_PRESENT", 25));
    assert!(!delivered("android.intent.action.USER_PRESENT", 26));
    assert!(!delivered("android.intent.action.SCREEN_ON", 1));
    for t in &st.keep_alive_services {
        assert_eq!(t.group, "sync", "{}", t.action);
    }
    assert!(
        st.system_broadcasts
            .iter()
            .any(|t| t.action == "android.intent.action.BOOT_COMPLETED" && t.group == "boot")
    );
    assert!(st.consent_key_words.iter().any(|w| w == "privacy"));
    assert!(st.consent_key_words.iter().any(|w| w == "隐私"));
    assert!(!st.launch_apis.is_empty() && !st.standard_schemes.is_empty());
}

/// The questionnaire: every item of 191 has a question, every question
/// names a 191 item it is prefixed with, cites known sources, has both
/// languages, and the items' `manual` text (how to check) exists.
#[test]
fn questionnaire_covers_every_item_of_191() {
    let kb = kb();
    assert_unique("question ids", kb.questions.iter().map(|q| q.id.as_str()));
    let sources: HashSet<&str> = kb.sources.iter().map(|s| s.id.as_str()).collect();
    let items = expected_191_ids();
    for q in &kb.questions {
        assert!(
            items.contains(&q.item),
            "{}: item {} is not of 191",
            q.id,
            q.item
        );
        assert!(
            q.id.starts_with(&format!("{}.", q.item)),
            "{}: id must start with its item",
            q.id
        );
        assert!(
            !q.question.zh.is_empty() && !q.question.en.is_empty(),
            "{}",
            q.id
        );
        assert!(!q.why.zh.is_empty() && !q.why.en.is_empty(), "{}", q.id);
        assert!(!q.sources.is_empty(), "{}: no source", q.id);
        for s in &q.sources {
            assert!(sources.contains(s.as_str()), "{}: unknown source {s}", q.id);
        }
        let rule = kb.rule(&q.item).expect("191 item in rules.yaml");
        assert!(
            rule.manual.is_some(),
            "{}: rules.yaml has no `manual` for {}",
            q.id,
            q.item
        );
    }
    for id in &items {
        assert!(
            kb.questions.iter().any(|q| &q.item == id),
            "no question for {id}"
        );
    }
    // In item order, so the file reads like the document.
    let order: Vec<usize> = kb
        .questions
        .iter()
        .map(|q| {
            items
                .iter()
                .position(|i| i == &q.item)
                .unwrap_or(usize::MAX)
        })
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] <= w[1]),
        "questions out of item order"
    );
}

/// True when every bracket of `s` is closed by its own kind, in order
/// (`(…)`, `（…）`, `「…」`, `[…]`, `【…】`, `《…》`).
fn brackets_balanced(s: &str) -> bool {
    const PAIRS: &[(char, char)] = &[
        ('(', ')'),
        ('（', '）'),
        ('「', '」'),
        ('[', ']'),
        ('【', '】'),
        ('《', '》'),
    ];
    let mut open = Vec::new();
    for c in s.chars() {
        if let Some(&(_, close)) = PAIRS.iter().find(|(o, _)| *o == c) {
            open.push(close);
        } else if PAIRS.iter().any(|(_, cl)| *cl == c) && open.pop() != Some(c) {
            return false;
        }
    }
    open.is_empty()
}

/// Every bilingual text (`{zh, en}`) of the loaded knowledge base, SDK catalogue
/// included, with where it is (`sdks[amap.map3d].vendor`).
fn texts(v: &serde_json::Value, path: &str, out: &mut Vec<(String, String, String)>) {
    match v {
        serde_json::Value::Object(m) => {
            if let (Some(zh), Some(en)) = (
                m.get("zh").and_then(|x| x.as_str()),
                m.get("en").and_then(|x| x.as_str()),
            ) {
                out.push((path.to_string(), zh.to_string(), en.to_string()));
            }
            for (k, x) in m {
                texts(x, &format!("{path}.{k}"), out);
            }
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let at = x
                    .get("id")
                    .and_then(|id| id.as_str())
                    .map_or_else(|| i.to_string(), str::to_string);
                texts(x, &format!("{path}[{at}]"), out);
            }
        }
        _ => {}
    }
}

/// A flow mapping `{zh: …, en: Foo (a, b)}` with an unquoted comma cuts the
/// value at the comma (`Foo (a`); `Text` refuses the stray key since, and this
/// catches a cut that leaves no key behind: every text's brackets close, and no
/// text ends in a company form cut at its comma (`Co., Ltd.` → `Co`).
#[test]
fn every_text_is_whole() {
    let kb = kb();
    let value = serde_json::to_value(&kb).expect("the model serialises");
    let mut all = Vec::new();
    texts(&value, "kb", &mut all);
    assert!(all.len() > 2000, "only {} texts found", all.len());
    let mut errors = Vec::new();
    for (path, zh, en) in &all {
        for (lang, s) in [("zh", zh), ("en", en)] {
            if !brackets_balanced(s) {
                errors.push(format!("{path}.{lang}: unbalanced brackets: {s:?}"));
            }
            if s.ends_with(" Co") || s.ends_with(" Co.") || s.ends_with(" Inc") {
                errors.push(format!("{path}.{lang}: cut company name: {s:?}"));
            }
        }
    }
    assert!(
        errors.is_empty(),
        "{} text(s) cut (quote values with a comma in `{{zh: …, en: …}}`):\n  {}",
        errors.len(),
        errors.join("\n  ")
    );
}

#[test]
fn brackets_balanced_works() {
    assert!(brackets_balanced(
        "OPPO 推送 SDK（含一加、realme）(HeyTap) 「x」"
    ));
    assert!(!brackets_balanced("AutoNavi (AMap"));
    assert!(!brackets_balanced("（ETC服务)"));
    assert!(!brackets_balanced("a) (b"));
}

#[test]
fn a_text_cut_by_an_unquoted_comma_does_not_load() {
    let cut = serde_yaml_ng::from_str::<pipa_kb::Text>("{zh: 华为, en: Huawei Co., Ltd.}");
    let e = cut
        .expect_err("the stray key `Ltd.` is refused")
        .to_string();
    assert!(e.contains("Ltd."), "{e}");
    let quoted: pipa_kb::Text =
        serde_yaml_ng::from_str("{zh: 华为, en: \"Huawei Co., Ltd.\"}").expect("quoted loads");
    assert_eq!(quoted.en, "Huawei Co., Ltd.");
}
