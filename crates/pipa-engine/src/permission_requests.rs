//! Permission requests made again after the user answered: a call of a
//! runtime-permission request method (`requestPermissions`) inside the
//! callback that receives the user's answer (`onRequestPermissionsResult`),
//! directly or through a method of the same class it calls. After a refusal
//! that asks again: the re-request loop of a splash screen that never lets
//! the user past (164-2.1 频繁索取权限, 191-3.2 频繁征求同意).
//!
//! Method names come from `kb/startup.yaml: permission_requests`. One pass
//! over the invoke sites of each dex; method ids are unique per dex, so a
//! call to a helper of the same dex is matched by its `method_ids` index.

use crate::model::Evidence;
use crate::subject::SubjectResolver;
use pipa_dex::CodeIndex;
use pipa_kb::Kb;
use std::collections::HashMap;

/// A request made from the answer callback.
#[derive(Debug, Clone)]
pub struct ReRequest {
    /// The callback (smali).
    pub callback: String,
    /// The request call site (an [`Evidence::Code`]).
    pub site: Evidence,
    /// Who makes it (`app`, `sdk:<id>`, `unknown-third-party`).
    pub subject: String,
}

/// Every request call reached from an answer callback, at most one hop away
/// in the same class.
pub(crate) fn re_requests(
    index: &CodeIndex<'_>,
    kb: &Kb,
    subjects: &SubjectResolver,
) -> Vec<ReRequest> {
    let pr = &kb.startup.permission_requests;
    let mut out = Vec::new();
    for (dn, d) in index.dexes().iter().enumerate() {
        let Ok(dn) = u16::try_from(dn) else { break };
        let names = |list: &[String]| -> Vec<u32> {
            list.iter().filter_map(|n| d.find_string(n)).collect()
        };
        let requests = names(&pr.request_methods);
        let callbacks = names(&pr.result_callbacks);
        if requests.is_empty() || callbacks.is_empty() {
            continue;
        }
        let name_of = |m: u32| d.method_id(m).map(|id| id.name_idx);
        let class_of = |m: u32| d.method_id(m).map(|id| u32::from(id.class_idx));
        let sites = index.method_invoke_sites(dn);
        // Methods that make a request: caller → the first request site.
        let mut requesters: HashMap<u32, &pipa_dex::Site> = HashMap::new();
        for s in sites {
            if name_of(s.target).is_some_and(|n| requests.contains(&n)) {
                requesters.entry(s.caller).or_insert(s);
            }
        }
        if requesters.is_empty() {
            continue;
        }
        let mut push = |callback: u32, site: &pipa_dex::Site| {
            let Some(cb) = d.method_ref(callback) else {
                return;
            };
            let subject = subjects.of_class(&cb.class).label();
            let ev = Evidence::Code {
                api: d
                    .method_ref(site.target)
                    .map_or_else(String::new, |m| format!("{}->{}", m.class, m.name)),
                caller: d
                    .method_ref(site.caller)
                    .map_or_else(String::new, |m| m.to_string()),
                dex: d.location().to_string(),
                offset: site.offset,
                subject: subject.clone(),
            };
            out.push(ReRequest {
                callback: cb.to_string(),
                site: ev,
                subject,
            });
        };
        // Direct: the callback itself requests.
        for (&caller, site) in &requesters {
            if name_of(caller).is_some_and(|n| callbacks.contains(&n)) {
                push(caller, site);
            }
        }
        // One hop: the callback calls a method of its own class that requests.
        for s in sites {
            let Some(site) = requesters.get(&s.target) else {
                continue;
            };
            if name_of(s.caller).is_some_and(|n| callbacks.contains(&n))
                && !name_of(s.target).is_some_and(|n| callbacks.contains(&n))
                && class_of(s.caller) == class_of(s.target)
                && !requesters.contains_key(&s.caller)
            {
                push(s.caller, site);
            }
        }
    }
    out.sort_by(|a, b| a.callback.cmp(&b.callback));
    out.dedup_by(|a, b| a.callback == b.callback);
    out
}
