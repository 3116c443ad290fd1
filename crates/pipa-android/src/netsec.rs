//! The network security config (`res/xml/network_security_config.xml`): whether
//! cleartext traffic is allowed, for which domains, and whether user-installed
//! CAs are trusted (which lets a proxy read the app's traffic).

use crate::axml::{Element, Value, XmlDocument};
use crate::resolve::Resolver;
use serde::Serialize;

/// A `<domain-config>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DomainConfig {
    /// `<domain>` values (with `includeSubdomains` shown as a `*.` prefix).
    pub domains: Vec<String>,
    /// `cleartextTrafficPermitted`, when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cleartext_permitted: Option<bool>,
    /// `<certificates src>` of its trust anchors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trust_anchors: Vec<String>,
}

/// The decoded network security config.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NetworkSecurityConfig {
    /// Entry path the manifest names.
    pub path: String,
    /// `<base-config cleartextTrafficPermitted>`, when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_cleartext_permitted: Option<bool>,
    /// `<base-config>` trust anchors (`system`, `user`, `@raw/…`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub base_trust_anchors: Vec<String>,
    /// `<domain-config>`s.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub domain_configs: Vec<DomainConfig>,
    /// `<debug-overrides>` trust anchors (active only in debuggable builds).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub debug_trust_anchors: Vec<String>,
}

impl NetworkSecurityConfig {
    /// Builds the summary from the decoded XML.
    pub fn from_xml(doc: &XmlDocument, path: &str, res: &dyn Resolver) -> NetworkSecurityConfig {
        let mut out = NetworkSecurityConfig {
            path: path.to_string(),
            base_cleartext_permitted: None,
            base_trust_anchors: Vec::new(),
            domain_configs: Vec::new(),
            debug_trust_anchors: Vec::new(),
        };
        for e in &doc.root.children {
            match e.name.as_str() {
                "base-config" => {
                    out.base_cleartext_permitted = cleartext(e, res);
                    out.base_trust_anchors = anchors(e, res);
                }
                "domain-config" => collect_domain_configs(e, res, &mut out.domain_configs, 0),
                "debug-overrides" => out.debug_trust_anchors = anchors(e, res),
                _ => {}
            }
        }
        out
    }

    /// True when some configuration trusts user-installed CAs outside debug overrides.
    pub fn trusts_user_cas(&self) -> bool {
        self.base_trust_anchors.iter().any(|a| a == "user")
            || self
                .domain_configs
                .iter()
                .any(|d| d.trust_anchors.iter().any(|a| a == "user"))
    }
}

fn collect_domain_configs(
    e: &Element,
    res: &dyn Resolver,
    out: &mut Vec<DomainConfig>,
    depth: u32,
) {
    let mut domains = Vec::new();
    for d in e.children_named("domain") {
        let sub = d
            .attr("includeSubdomains")
            .and_then(|a| value_bool(&a.value, res))
            .unwrap_or(false);
        let name = d.text.trim();
        if !name.is_empty() {
            domains.push(if sub {
                format!("*.{name}")
            } else {
                name.to_string()
            });
        }
    }
    out.push(DomainConfig {
        domains,
        cleartext_permitted: cleartext(e, res),
        trust_anchors: anchors(e, res),
    });
    // Nested domain-configs inherit; a hostile file cannot recurse past the
    // parser's own element cap, but keep a depth bound all the same.
    if depth < 32 {
        for c in e.children_named("domain-config") {
            collect_domain_configs(c, res, out, depth + 1);
        }
    }
}

fn cleartext(e: &Element, res: &dyn Resolver) -> Option<bool> {
    e.attr("cleartextTrafficPermitted")
        .and_then(|a| value_bool(&a.value, res))
}

fn anchors(e: &Element, res: &dyn Resolver) -> Vec<String> {
    let mut out = Vec::new();
    for ta in e.children_named("trust-anchors") {
        for c in ta.children_named("certificates") {
            if let Some(a) = c.attr("src") {
                let v = match &a.value {
                    Value::String(s) => s.clone(),
                    Value::Reference(id) => res
                        .name(*id)
                        .map(|n| format!("@{n}"))
                        .unwrap_or_else(|| format!("@0x{id:08x}")),
                    other => format!("{other:?}"),
                };
                out.push(v);
            }
        }
    }
    out
}

fn value_bool(v: &Value, res: &dyn Resolver) -> Option<bool> {
    match v {
        Value::Reference(id) => res.boolean(*id),
        Value::String(s) => match s.trim() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        v => v.as_bool(),
    }
}
