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
                    effect: crate::model::SiteEffect::Collects,
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

/// Callers of one method looked at when it receives the intent a lookup
/// asks about (at most).
const MAX_ARG_CALLERS: usize = 32;

/// First labels of package names counted by `probe_min` (other apps'
/// package names; system property keys such as `ro.build.version` and
/// platform names are not packages of installed apps).
const PACKAGE_ROOTS: &[&str] = &[
    "com", "cn", "net", "org", "io", "me", "tv", "top", "so", "cc", "mobi",
];

/// Whether `s` reads as the package name of another app than `own`.
fn other_app_package(s: &str, own: &str) -> bool {
    let mut parts = s.split('.');
    let first = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    PACKAGE_ROOTS.contains(&first)
        && rest.len() >= 2
        && rest.iter().all(|p| {
            p.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
        // An intent action (`….service.START`) ends in capitals.
        && !rest
            .last()
            .is_some_and(|l| l.chars().all(|c| !c.is_ascii_lowercase()))
        && !(own.is_empty() || s == own || s.starts_with(&format!("{own}.")))
}

/// The publisher part of a package name: its first two labels
/// (`com.tencent` for `com.tencent.mobileqq`).
fn publisher(s: &str) -> &str {
    match s.match_indices('.').nth(1) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Whether a constant names the target of an intent or a lookup: an
/// action, a component or package name, a URI.
fn names_target(s: &str) -> bool {
    const SCHEMES: &[&str] = &[
        "package:", "tel:", "mailto:", "sms:", "smsto:", "market:", "geo:", "http:", "https:",
    ];
    if s.contains(char::is_whitespace) {
        return false;
    }
    if s.contains("://") || SCHEMES.iter().any(|p| s.starts_with(p)) {
        return true;
    }
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        })
}

/// The constants loaded by each method of `methods` (dex, method index).
fn strings_loaded(
    index: &CodeIndex<'_>,
    methods: &HashSet<(u16, u32)>,
) -> std::collections::HashMap<(u16, u32), Vec<String>> {
    let mut out: std::collections::HashMap<(u16, u32), Vec<String>> = Default::default();
    let dexes: HashSet<u16> = methods.iter().map(|m| m.0).collect();
    for n in dexes {
        let Some(d) = index.dex(n) else { continue };
        for s in index.const_string_sites_in(n) {
            if methods.contains(&(n, s.caller))
                && let Some(v) = d.string(s.target)
            {
                out.entry((n, s.caller)).or_default().push(v.into_owned());
            }
        }
    }
    out
}

/// What each site does (see [`crate::model::SiteEffect`]): the kb entry's
/// `effect`; `no_pi_from_api` against the app's `min_sdk`; `own_when_calls`
/// called by the calling method; and for lookups, the constants the calling
/// method (or, when it receives the intent, its callers) loads. Anything
/// not decided stays `collects`.
pub(crate) fn effects(
    index: &CodeIndex<'_>,
    kb: &Kb,
    sites: &mut [ApiSite],
    min_sdk: i64,
    own_package: &str,
) {
    use crate::model::SiteEffect;
    use pipa_kb::ApiEffect;
    // Methods calling an `own_when_calls` method of an entry that has sites.
    let mut own_callers: std::collections::HashMap<&str, HashSet<(u16, u32)>> = Default::default();
    for api in sites.iter().filter_map(|s| kb.apis.get(s.entry)) {
        for m in &api.own_when_calls {
            own_callers.entry(m.as_str()).or_insert_with(|| {
                let Some((class, name)) = m.rsplit_once('.') else {
                    return HashSet::new();
                };
                index
                    .call_sites_by_name(&format!("L{};", class.replace('.', "/")), name)
                    .iter()
                    .map(|s| (s.dex, s.caller))
                    .collect()
            });
        }
    }
    // Lookups: the calling methods, and for those receiving an intent,
    // their callers.
    let mut wanted: HashSet<(u16, u32)> = HashSet::new();
    let mut arg_callers: std::collections::HashMap<usize, Vec<(u16, u32)>> = Default::default();
    for (i, s) in sites.iter().enumerate() {
        let Some(api) = kb.apis.get(s.entry) else {
            continue;
        };
        if api.effect != ApiEffect::Lookup {
            continue;
        }
        wanted.insert((s.site.dex, s.site.caller));
        if !api.enumerates_when.is_empty() && receives_intent(&s.use_.caller) {
            let callers: Vec<(u16, u32)> = index
                .call_sites(&s.use_.caller)
                .iter()
                .map(|c| (c.dex, c.caller))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .take(MAX_ARG_CALLERS + 1)
                .collect();
            wanted.extend(callers.iter().copied());
            arg_callers.insert(i, callers);
        }
    }
    let loaded = strings_loaded(index, &wanted);
    let none: Vec<String> = Vec::new();
    let strings = |m: &(u16, u32)| loaded.get(m).unwrap_or(&none);
    for (i, s) in sites.iter_mut().enumerate() {
        let Some(api) = kb.apis.get(s.entry) else {
            continue;
        };
        let me = (s.site.dex, s.site.caller);
        let own_data = api.no_pi_from_api.is_some_and(|v| min_sdk >= v)
            || api
                .own_when_calls
                .iter()
                .any(|m| own_callers.get(m.as_str()).is_some_and(|c| c.contains(&me)));
        let effect = if own_data {
            SiteEffect::OwnData
        } else if !api.intent_limited_by.is_empty() && intent_limited(index, api, &s.site) {
            SiteEffect::LooksUp
        } else {
            match api.effect {
                ApiEffect::Read => SiteEffect::Collects,
                ApiEffect::Send => SiteEffect::Sends,
                ApiEffect::Locate => SiteEffect::Locates,
                ApiEffect::Lookup => {
                    let probed = if api.probe_min.is_some() {
                        probed_publishers(index, strings(&me), &s.use_.caller, own_package)
                    } else {
                        0
                    };
                    lookup_effect(
                        api,
                        strings(&me),
                        arg_callers
                            .get(&i)
                            .map(|c| c.iter().map(strings).collect::<Vec<_>>()),
                        probed,
                    )
                }
            }
        };
        s.use_.effect = effect;
    }
}

/// Whether the `Intent` the call at `site` is given is limited to one app
/// or component: in the straight-line code before the call, the calling
/// method makes one of the entry's `intent_limited_by` calls on that intent
/// (see [`pipa_dex::calls_on`]) and none of them with an argument a
/// constant null (`setPackage(null)` clears the package); or the calling method is a
/// static helper that receives the intent, and every call of it (at least
/// one, at most [`MAX_ARG_CALLERS`]) passes an intent limited that way.
fn intent_limited(index: &CodeIndex<'_>, api: &Api, site: &Site) -> bool {
    let Some(d) = index.dex(site.dex) else {
        return false;
    };
    let Some(callee) = d.method_ref(site.target) else {
        return false;
    };
    let statik = matches!(site.opcode, 0x71 | 0x77);
    let Some(slot) = param_slots(&callee.proto, statik)
        .into_iter()
        .find(|(_, ty)| *ty == "Landroid/content/Intent;")
        .map(|(slot, _)| slot)
    else {
        return false;
    };
    match limit_at(d, api, site.caller, site.offset, slot) {
        Limit::Limited => true,
        Limit::Other => false,
        Limit::Parameter(word) => {
            let Some(helper) = d.method_ref(site.caller) else {
                return false;
            };
            let callers = index.call_sites(&helper.to_string());
            !callers.is_empty()
                && callers.len() <= MAX_ARG_CALLERS
                && callers.iter().all(|c| {
                    matches!(c.opcode, 0x71 | 0x77)
                        && index.dex(c.dex).is_some_and(|cd| {
                            limit_at(cd, api, c.caller, c.offset, usize::from(word))
                                == Limit::Limited
                        })
                })
        }
    }
}

/// What the calling method shows of the intent it passes in register slot
/// `slot` of the invoke at `offset`.
#[derive(Debug, PartialEq, Eq)]
enum Limit {
    /// Limited to one app or component.
    Limited,
    /// Received unchanged in this argument word (no limit seen).
    Parameter(u16),
    /// Anything else: not shown to be limited.
    Other,
}

fn limit_at(d: &pipa_dex::Dex<'_>, api: &Api, method: u32, offset: u32, slot: usize) -> Limit {
    let Some(code_off) = code_off(d, method) else {
        return Limit::Other;
    };
    let Some(code) = d.code_item(code_off) else {
        return Limit::Other;
    };
    let Some(reg) = pipa_dex::invoke_registers(&code, offset).and_then(|r| r.get(slot).copied())
    else {
        return Limit::Other;
    };
    // Intent setters return the intent they are called on.
    let returns_self = |m: u32| {
        d.method_ref(m).is_some_and(|r| {
            r.class == "Landroid/content/Intent;"
                && r.proto.ends_with(")Landroid/content/Intent;")
                && ["set", "add", "put", "remove"]
                    .iter()
                    .any(|p| r.name.starts_with(p))
        })
    };
    let Some(trace) = pipa_dex::calls_on(d, code_off, offset, reg, returns_self) else {
        return Limit::Other;
    };
    // Each limiting call: whether no argument is a constant null. One with
    // a null (`setPackage(null)`, wherever it comes) undoes the proof.
    let limits: Vec<bool> = trace
        .calls
        .iter()
        .filter(|c| {
            d.method_ref(c.method).is_some_and(|m| {
                let dotted = format!("{}.{}", crate::subject::dotted(&m.class), m.name);
                api.intent_limited_by
                    .iter()
                    .any(|l| *l == dotted || *l == format!("{dotted}{}", m.proto))
            })
        })
        .map(|c| {
            c.registers
                .iter()
                .skip(1)
                .all(|&r| pipa_dex::constant_at(&code, c.offset, r) != Some(0))
        })
        .collect();
    match trace.parameter {
        _ if !limits.is_empty() && limits.iter().all(|&ok| ok) => Limit::Limited,
        // Callers decide only when this method makes no limiting call on it.
        Some(word) if limits.is_empty() => Limit::Parameter(word),
        _ => Limit::Other,
    }
}

/// The `code_item` offset of method `method` of `d`, when `d` defines it
/// with code.
fn code_off(d: &pipa_dex::Dex<'_>, method: u32) -> Option<u32> {
    let class = u32::from(d.method_id(method)?.class_idx);
    let cd = d.class_defs().find(|c| c.class_idx == class)?;
    d.class_data(&cd)?
        .methods()
        .find(|m| m.method_idx == method)
        .map(|m| m.code_off)
        .filter(|&o| o != 0)
}

/// The register slot and type of each parameter of a prototype
/// `(params)ret`: `this` takes slot 0 unless `statik`, wide values two.
fn param_slots(proto: &str, statik: bool) -> Vec<(usize, &str)> {
    let Some(params) = proto
        .split_once('(')
        .and_then(|(_, r)| r.split_once(')'))
        .map(|(p, _)| p)
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut slot = usize::from(!statik);
    let mut rest = params;
    while let Some(c) = rest.chars().next() {
        let dims = rest.chars().take_while(|&c| c == '[').count();
        let len = match rest[dims..].chars().next() {
            Some('L') => rest.find(';').map_or(rest.len(), |p| p + 1),
            // A primitive (a char boundary even on hostile input).
            Some(ch) => dims + ch.len_utf8(),
            None => rest.len(),
        };
        let ty = &rest[..len];
        out.push((slot, ty));
        slot += if dims == 0 && (c == 'J' || c == 'D') {
            2
        } else {
            1
        };
        rest = &rest[len..];
    }
    out
}

/// How many publishers' apps the constants `loaded` by `caller` name:
/// package names of other apps than `own_package`, not of the caller's own
/// publisher (an SDK naming its own components), not class names of the
/// code. Distinct publishers: one vendor's family of clients (QQ, TIM, QQ
/// HD) checked for a share feature counts once.
fn probed_publishers(
    index: &CodeIndex<'_>,
    loaded: &[String],
    caller: &str,
    own_package: &str,
) -> usize {
    let caller_class =
        crate::subject::dotted(pipa_kb::class_and_method(caller).map_or("", |(c, _)| c));
    let mine = publisher(&caller_class);
    let mut probed: Vec<&str> = loaded
        .iter()
        .filter(|s| other_app_package(s, own_package))
        .filter(|s| publisher(s) != mine)
        .filter(|s| {
            let desc = format!("L{};", s.replace('.', "/"));
            index.dexes().iter().all(|d| d.find_type(&desc).is_none())
        })
        .map(|s| publisher(s))
        .collect();
    probed.sort_unstable();
    probed.dedup();
    probed.len()
}

/// Whether the method `Lx;->m(…)R` takes an `Intent` parameter.
fn receives_intent(method: &str) -> bool {
    method
        .split_once('(')
        .and_then(|(_, r)| r.split_once(')'))
        .is_some_and(|(params, _)| params.contains("Landroid/content/Intent;"))
}

/// A lookup's effect from the constants its calling method loads (`own`)
/// and, when it receives the intent, those of each of its callers.
fn lookup_effect(
    api: &Api,
    own: &[String],
    callers: Option<Vec<&Vec<String>>>,
    probed: usize,
) -> crate::model::SiteEffect {
    use crate::model::SiteEffect;
    let enumerates = |v: &[String]| v.iter().any(|s| api.enumerates_when.contains(s));
    if enumerates(own) {
        return SiteEffect::Collects;
    }
    if api.probe_min.is_some_and(|min| probed >= min as usize) {
        return SiteEffect::Collects;
    }
    if api.enumerates_when.is_empty() {
        return SiteEffect::LooksUp;
    }
    if own.iter().any(|s| names_target(s)) {
        return SiteEffect::LooksUp;
    }
    // The intent comes from the callers: each must name a target, none
    // enumerate; too many callers or none seen: not decided.
    match callers {
        Some(c)
            if !c.is_empty()
                && c.len() <= MAX_ARG_CALLERS
                && c.iter()
                    .all(|v| !enumerates(v) && v.iter().any(|s| names_target(s))) =>
        {
            SiteEffect::LooksUp
        }
        _ => SiteEffect::Collects,
    }
}

#[cfg(test)]
mod tests {
    use super::param_slots;

    #[test]
    fn parameter_slots_count_this_and_wide_values() {
        assert_eq!(
            param_slots("(Landroid/content/Intent;I)Ljava/util/List;", false),
            vec![(1, "Landroid/content/Intent;"), (2, "I")]
        );
        assert_eq!(
            param_slots("(J[Ljava/lang/String;[ILandroid/content/Intent;)V", true),
            vec![
                (0, "J"),
                (2, "[Ljava/lang/String;"),
                (3, "[I"),
                (4, "Landroid/content/Intent;")
            ]
        );
        assert!(param_slots("garbage", false).is_empty());
        assert_eq!(param_slots("([é)V", true), vec![(0, "[é")]);
    }
}
