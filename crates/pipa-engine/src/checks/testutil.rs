//! Small models for the checks' unit tests: a tiny knowledge base and facts.

use crate::facts::{ApiSite, Facts, PolicyFacts, permission_fact};
use crate::model::{ApiUse, AppInfo};
use pipa_android::manifest::{
    AppFlags, Component, ComponentKind, ExportedReason, IntentFilter, Queries,
};
use pipa_kb::{Api, ApiKind, Kb, Permission, PiType, Protection, Text};

fn tx(s: &str) -> Text {
    Text {
        zh: s.into(),
        en: s.into(),
    }
}

fn perm(name: &str, protection: Protection, pi: &[&str]) -> Permission {
    Permission {
        name: name.into(),
        protection,
        group: None,
        name_zh: String::new(),
        description: tx(name),
        pi_types: pi.iter().map(|s| s.to_string()).collect(),
        purpose_required: protection == Protection::Dangerous,
        since_api: None,
        sources: Vec::new(),
        status: None,
    }
}

fn api(id: &str, class: &str, member: &str, pi: &str, tags: &[&str]) -> Api {
    Api {
        id: id.into(),
        kind: ApiKind::Method,
        class: class.into(),
        member: member.into(),
        descriptor: None,
        value: None,
        pi_type: pi.into(),
        permissions: Vec::new(),
        permission_optional: false,
        effect: pipa_kb::ApiEffect::Read,
        enumerates_when: Vec::new(),
        probe_min: None,
        own_when_calls: Vec::new(),
        intent_limited_by: Vec::new(),
        no_pi_from_api: None,
        tags: tags.iter().map(|s| s.to_string()).collect(),
        description: tx(id),
        alternative: None,
        sources: Vec::new(),
        status: None,
    }
}

/// A knowledge base with a few permissions, PI types and APIs, no rules
/// (the checks fall back to the document's 31 items).
pub(crate) fn kb() -> Kb {
    let d = Protection::Dangerous;
    Kb {
        pi_types: ["device_id", "location", "clipboard"]
            .iter()
            .map(|id| PiType {
                id: id.to_string(),
                name: tx(id),
                sensitive: *id == "location",
                weight: match *id {
                    "device_id" => 100,
                    "location" => 90,
                    _ => 80,
                },
                description: tx(id),
            })
            .collect(),
        permissions: vec![
            perm("android.permission.READ_PHONE_STATE", d, &["device_id"]),
            perm("android.permission.ACCESS_FINE_LOCATION", d, &["location"]),
            perm(
                "android.permission.ACCESS_BACKGROUND_LOCATION",
                d,
                &["location"],
            ),
            perm("android.permission.INTERNET", Protection::Normal, &[]),
            perm(
                "android.permission.RECEIVE_BOOT_COMPLETED",
                Protection::Normal,
                &[],
            ),
        ],
        apis: vec![
            api(
                "telephony.get_device_id",
                "android.telephony.TelephonyManager",
                "getDeviceId",
                "device_id",
                &["device_id"],
            ),
            api(
                "clipboard.get_primary_clip",
                "android.content.ClipboardManager",
                "getPrimaryClip",
                "clipboard",
                &["clipboard_read"],
            ),
        ],
        // The platform facts of the reachability analysis, as shipped.
        startup: Kb::embedded().startup.clone(),
        ..Kb::default()
    }
}

/// Facts of an app `com.x` requesting `perms`, targeting `target`.
pub(crate) fn facts_with(perms: &[&str], target: i64) -> Facts {
    let kb = kb();
    Facts {
        string_tables: Vec::new(),
        unread_code: Vec::new(),
        coverage: crate::model::Coverage::default(),
        re_requests: Vec::new(),
        app: AppInfo {
            platform: "android".into(),
            id: "com.x".into(),
            name: None,
            version_name: None,
            version_code: None,
            min_sdk: 21,
            target_sdk: target,
            first_party: Vec::new(),
            first_party_basis: Vec::new(),
        },
        permissions: perms
            .iter()
            .map(|p| permission_fact(&kb, p, None, false))
            .collect(),
        api_uses: Vec::new(),
        components: Vec::new(),
        flags: AppFlags {
            debuggable: false,
            allow_backup: true,
            uses_cleartext_traffic: target < 28,
            uses_cleartext_traffic_explicit: false,
            network_security_config: None,
            request_legacy_external_storage: None,
            extract_native_libs: None,
            test_only: false,
        },
        netsec: None,
        queries: Queries::default(),
        policy: PolicyFacts::default(),
        policy_text: None,
        category: None,
        sdks: Vec::new(),
        reach: Default::default(),
    }
}

/// A call site of kb API `id`.
pub(crate) fn site(kb: &Kb, id: &str, caller: &str, subject: &str) -> ApiSite {
    let entry = kb
        .apis
        .iter()
        .position(|a| a.id == id)
        .expect("api in test kb");
    let a = &kb.apis[entry];
    ApiSite {
        entry,
        site: pipa_dex::Site {
            target: 0,
            caller: 0,
            offset: 4,
            dex: 0,
            opcode: 0x6e,
        },
        use_: ApiUse {
            api: a.display_name(),
            api_id: a.id.clone(),
            pi_type: a.pi_type.clone(),
            caller: caller.into(),
            dex: "classes.dex".into(),
            offset: 4,
            subject: subject.into(),
            reach: crate::model::SiteReach::Live,
            permission: crate::model::SitePermission::NotNeeded,
            effect: crate::model::SiteEffect::Collects,
        },
    }
}

/// An exported receiver with one intent filter of `actions`.
pub(crate) fn receiver(name: &str, actions: &[&str]) -> Component {
    Component {
        kind: ComponentKind::Receiver,
        name: name.into(),
        exported: true,
        exported_reason: ExportedReason::IntentFilter,
        enabled: true,
        permission: None,
        read_permission: None,
        write_permission: None,
        authorities: Vec::new(),
        grant_uri_permissions: None,
        process: None,
        target_activity: None,
        foreground_service_type: None,
        direct_boot_aware: false,
        intent_filters: vec![IntentFilter {
            actions: actions.iter().map(|s| s.to_string()).collect(),
            ..IntentFilter::default()
        }],
        meta_data: Vec::new(),
    }
}
