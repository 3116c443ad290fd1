//! Sensitive-API call sites: one pass over the knowledge base's API entries,
//! each looked up in the code index by binary search (no scan of the code).

use crate::facts::ApiSite;
use crate::model::{ApiUse, SitePermission, SiteReach};
use crate::subject::SubjectResolver;
use pipa_dex::{CodeIndex, Site};
use pipa_kb::{Api, ApiKind, Kb};
use std::collections::HashSet;

/// Every site of every API entry of `kb` in `index`, in entry order.
pub(crate) fn api_sites(
    index: &CodeIndex<'_>,
    kb: &Kb,
    subjects: &SubjectResolver,
) -> Vec<ApiSite> {
    let mut out = Vec::new();
    for (entry, api) in kb.apis.iter().enumerate() {
        let sites = sites_of(index, api);
        if sites.is_empty() {
            continue;
        }
        let name = api.display_name();
        for s in sites {
            let Some(d) = index.dex(s.dex) else { continue };
            let (caller, subject) = match d.method_ref(s.caller) {
                Some(m) => (m.to_string(), subjects.of_class(&m.class)),
                None => (
                    format!("method@{}", s.caller),
                    crate::model::Subject::UnknownThirdParty,
                ),
            };
            out.push(ApiSite {
                entry,
                site: s,
                use_: ApiUse {
                    api: name.clone(),
                    api_id: api.id.clone(),
                    pi_type: api.pi_type.clone(),
                    caller,
                    dex: d.location().to_string(),
                    offset: s.offset,
                    subject: subject.label(),
                    reach: SiteReach::Live,
                    permission: SitePermission::NotNeeded,
                },
            });
        }
    }
    out
}

/// The sites matching one entry (see [`Api`] for what each kind matches).
fn sites_of(index: &CodeIndex<'_>, api: &Api) -> Vec<Site> {
    match api.kind {
        ApiKind::Method => {
            let class = api.class_descriptor();
            let mut sites = match &api.descriptor {
                Some(proto) => index.call_sites(&format!("{class}->{}{proto}", api.member)),
                None => index.call_sites_by_name(&class, &api.member),
            };
            // A required constant: the calling method must also load it
            // (e.g. `android_id` for `Settings$Secure.getString`).
            if let Some(v) = &api.value
                && !sites.is_empty()
            {
                let loaders: HashSet<(u16, u32)> = index
                    .const_string_sites(v)
                    .iter()
                    .map(|s| (s.dex, s.caller))
                    .collect();
                sites.retain(|s| loaders.contains(&(s.dex, s.caller)));
            }
            sites
        }
        ApiKind::StaticField => static_reads(index, api),
        ApiKind::String => match &api.value {
            Some(v) if !v.is_empty() => index.const_string_sites(v),
            _ => Vec::new(),
        },
    }
}

/// sget sites of the field `class.member`, of type `descriptor` when given,
/// else of any type.
fn static_reads(index: &CodeIndex<'_>, api: &Api) -> Vec<Site> {
    let class = api.class_descriptor();
    if let Some(ty) = &api.descriptor {
        return index.static_field_reads(&format!("{class}->{}:{ty}", api.member));
    }
    let mut out = Vec::new();
    for (n, d) in index.dexes().iter().enumerate() {
        let (Some(c), Some(name)) = (d.find_type(&class), d.find_string(&api.member)) else {
            continue;
        };
        let Ok(n) = u16::try_from(n) else { break };
        let sgets = index.static_field_read_sites_in(n);
        for f in d.fields_named(c, name) {
            let lo = sgets.partition_point(|s| s.target < f);
            let hi = sgets.partition_point(|s| s.target <= f);
            if let Some(r) = sgets.get(lo..hi) {
                out.extend_from_slice(r);
            }
        }
    }
    out
}
