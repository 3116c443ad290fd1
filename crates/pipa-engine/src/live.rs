//! Whether each sensitive-API site can run and succeed: the class names the
//! platform instantiates by name (liveness roots, from the manifest and the
//! resources), and whether the permission a call needs is declared.

use crate::facts::PermissionFact;
use crate::model::SitePermission;
use pipa_android::Apk;
use pipa_kb::{Api, Kb, Protection};
use rayon::prelude::*;
use std::collections::BTreeSet;

/// Resource files read for class names at most (count, bytes each, bytes in all).
const MAX_XML_FILES: usize = 20_000;
const MAX_XML_BYTES: u64 = 1 << 20;
const MAX_XML_TOTAL: u64 = 64 << 20;

/// Class names (dotted as written) the platform may instantiate or call by
/// name: every string of the manifest (components, application, backup
/// agent, instrumentation, app component factory, meta-data names and
/// values, package-relative names resolved), every element name and
/// attribute string of the binary XML resources (layouts, menus,
/// preferences, navigation graphs, transitions), the strings of
/// `resources.arsc` (behaviours named in string resources) and the lines
/// of `META-INF/services/*` (`ServiceLoader`). Over-approximates on purpose:
/// a name that is no class is simply not found.
pub(crate) fn root_names(apk: &Apk<'_>) -> Vec<String> {
    let m = &apk.manifest;
    let mut out: BTreeSet<String> = BTreeSet::new();
    let pkg = m.package.as_str();
    // `relative`: a manifest value, where `.Main` and `Main` are in the package.
    let add = |v: &str, relative: bool, out: &mut BTreeSet<String>| {
        let v = v.trim();
        if v.is_empty() || v.len() > 1024 {
            return;
        }
        if let Some(rest) = v.strip_prefix('.') {
            out.insert(format!("{pkg}.{rest}"));
        } else if relative && !v.contains('.') && v.chars().next().is_some_and(char::is_alphabetic)
        {
            // `android:name="Main"` is package-relative too.
            out.insert(format!("{pkg}.{v}"));
        }
        if v.contains('.') || v.contains('/') {
            out.insert(v.to_string());
        }
    };
    for c in &m.components {
        add(&c.name, true, &mut out);
        if let Some(t) = &c.target_activity {
            add(t, true, &mut out);
        }
        for md in &c.meta_data {
            add(&md.name, true, &mut out);
        }
    }
    for name in m.application_class.iter().chain(&m.app_component_factory) {
        add(name, true, &mut out);
    }
    for md in &m.meta_data {
        add(&md.name, true, &mut out);
    }
    let archive = apk.archive();
    let limits = archive.limits();
    // Pick the files first (caps in entry order), then read them in parallel.
    let mut picked: Vec<&pipa_android::zip::Entry> = Vec::new();
    let mut total = 0u64;
    for e in archive.entries() {
        let name = e.name.as_str();
        let xml = name == "AndroidManifest.xml"
            || (name.ends_with(".xml") && !name.starts_with("assets/"));
        if !(xml || name.starts_with("META-INF/services/")) || e.is_dir() {
            continue;
        }
        let size = e.uncompressed_size.max(e.compressed_size);
        if size > MAX_XML_BYTES
            || total.saturating_add(size) > MAX_XML_TOTAL
            // Leave the archive's inflate budget to the rest of the scan.
            || archive.inflated_bytes().saturating_add(total + size) > limits.max_total_size / 2
        {
            continue;
        }
        total += size;
        picked.push(e);
        if picked.len() >= MAX_XML_FILES {
            break;
        }
    }
    let found: Vec<Vec<(String, bool)>> = picked
        .par_iter()
        .map(|e| names_in(archive, e, &limits))
        .collect();
    for (v, relative) in found.iter().flatten() {
        add(v, *relative, &mut out);
    }
    if let Some(res) = &apk.resources {
        for s in res.strings() {
            if s.contains('.') && !s.contains(' ') {
                add(s, false, &mut out);
            }
        }
    }
    out.into_iter().collect()
}

/// Candidate class names in one file (value, package-relative allowed).
fn names_in(
    archive: &pipa_android::zip::Archive<'_>,
    e: &pipa_android::zip::Entry,
    limits: &pipa_core::Limits,
) -> Vec<(String, bool)> {
    let name = e.name.as_str();
    let mut out = Vec::new();
    let Ok(data) = archive.read(e) else {
        return out;
    };
    if let Some(service) = name.strip_prefix("META-INF/services/") {
        out.push((service.to_string(), false));
        for line in String::from_utf8_lossy(&data).lines() {
            out.push((line.split('#').next().unwrap_or("").to_string(), false));
        }
        return out;
    }
    let manifest = name == "AndroidManifest.xml";
    let mut sink = pipa_core::AnomalySink::default();
    let Ok(doc) = pipa_android::axml::parse_xml(&data, name, limits, &mut sink) else {
        return out;
    };
    for (_, el) in doc.root.walk() {
        if manifest || el.name.contains('.') {
            out.push((el.name.clone(), manifest));
        }
        for a in &el.attributes {
            let v = a.value.as_str().or(a.raw.as_deref());
            if let Some(v) = v
                && (manifest || v.contains('.'))
            {
                out.push((v.to_string(), manifest));
            }
        }
    }
    out
}

/// Permissions granted without being named, by the platform's rules:
/// `WRITE_EXTERNAL_STORAGE` grants `READ_EXTERNAL_STORAGE`; below target
/// 4 phone state and storage are granted; below target 16 the contacts
/// permissions grant the call log.
fn implied(name: &str, target_sdk: i64) -> &'static [&'static str] {
    match name {
        "android.permission.WRITE_EXTERNAL_STORAGE" => {
            &["android.permission.READ_EXTERNAL_STORAGE"]
        }
        "android.permission.READ_CONTACTS" if target_sdk < 16 => {
            &["android.permission.READ_CALL_LOG"]
        }
        "android.permission.WRITE_CONTACTS" if target_sdk < 16 => {
            &["android.permission.WRITE_CALL_LOG"]
        }
        _ => &[],
    }
}

/// The permissions an app holds or can ask for: declared ones unless they
/// stop (`maxSdkVersion`) below `minSdkVersion`, and what they imply.
pub(crate) fn declared(perms: &[PermissionFact], min_sdk: i64, target_sdk: i64) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in perms {
        if p.use_.max_sdk.is_some_and(|m| m < min_sdk) {
            continue;
        }
        out.push(p.use_.name.clone());
        out.extend(
            implied(&p.use_.name, target_sdk)
                .iter()
                .map(|s| s.to_string()),
        );
    }
    if target_sdk < 4 {
        for p in [
            "android.permission.READ_PHONE_STATE",
            "android.permission.WRITE_EXTERNAL_STORAGE",
            "android.permission.READ_EXTERNAL_STORAGE",
        ] {
            out.push(p.into());
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Whether the permission `api` needs is declared (see [`SitePermission`]).
/// `Missing` only when the kb lists at least one runtime permission, none
/// of the alternatives is declared, and the API has no mode without one;
/// when the kb says nothing, the call is taken to succeed.
pub(crate) fn permission_state(kb: &Kb, api: &Api, declared: &[String]) -> SitePermission {
    if api.permissions.is_empty() {
        return SitePermission::NotNeeded;
    }
    if api
        .permissions
        .iter()
        .any(|p| declared.binary_search(p).is_ok())
    {
        return SitePermission::Declared;
    }
    if api.permission_optional {
        return SitePermission::NotNeeded;
    }
    let runtime = api.permissions.iter().any(|p| {
        kb.permission(p)
            .is_some_and(|k| k.protection == Protection::Dangerous)
    });
    if runtime {
        SitePermission::Missing
    } else {
        SitePermission::NotChecked
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::permission_fact;

    fn api(kb: &Kb, id: &str) -> Api {
        kb.apis
            .iter()
            .find(|a| a.id == id)
            .cloned()
            .unwrap_or_else(|| panic!("kb api {id}"))
    }

    #[test]
    fn permission_states() {
        let kb = Kb::embedded();
        let loc = api(kb, "location_manager.get_last_known_location");
        let none: Vec<String> = Vec::new();
        assert_eq!(permission_state(kb, &loc, &none), SitePermission::Missing);
        let coarse = declared(
            &[permission_fact(
                kb,
                "android.permission.ACCESS_COARSE_LOCATION",
                None,
                false,
            )],
            21,
            33,
        );
        assert_eq!(
            permission_state(kb, &loc, &coarse),
            SitePermission::Declared
        );
        // maxSdkVersion below minSdkVersion: never granted.
        let gone = declared(
            &[permission_fact(
                kb,
                "android.permission.ACCESS_FINE_LOCATION",
                Some(18),
                false,
            )],
            21,
            33,
        );
        assert_eq!(permission_state(kb, &loc, &gone), SitePermission::Missing);
        // maxSdkVersion at or above minSdkVersion still counts.
        let some = declared(
            &[permission_fact(
                kb,
                "android.permission.ACCESS_FINE_LOCATION",
                Some(28),
                false,
            )],
            21,
            33,
        );
        assert_eq!(permission_state(kb, &loc, &some), SitePermission::Declared);
        // No permission needed: camera intent.
        let intent = api(kb, "string.action_image_capture");
        assert_eq!(
            permission_state(kb, &intent, &none),
            SitePermission::NotNeeded
        );
        // Install-time permissions only: not decided.
        let fp = api(kb, "fingerprint_manager_compat.authenticate");
        assert_eq!(permission_state(kb, &fp, &none), SitePermission::NotChecked);
        // A mode without permission (scoped storage).
        let media = api(kb, "media_store.images_external_uri");
        assert_eq!(
            permission_state(kb, &media, &none),
            SitePermission::NotNeeded
        );
        // Implied: WRITE_EXTERNAL_STORAGE grants READ_EXTERNAL_STORAGE.
        let w = declared(
            &[permission_fact(
                kb,
                "android.permission.WRITE_EXTERNAL_STORAGE",
                None,
                false,
            )],
            21,
            33,
        );
        assert!(w.contains(&"android.permission.READ_EXTERNAL_STORAGE".to_string()));
        // Target below 4: phone state granted.
        let old = declared(&[], 1, 3);
        let imei = api(kb, "telephony.get_device_id");
        assert_eq!(permission_state(kb, &imei, &old), SitePermission::Declared);
        assert_eq!(permission_state(kb, &imei, &none), SitePermission::Missing);
    }
}
