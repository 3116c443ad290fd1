//! pipa's knowledge base: the legal items a check stands for, the vocabulary of
//! personal-information (PI) types, Android permissions and sensitive APIs.
//!
//! Knowledge is data: the files under the repository's `kb/` folder, embedded
//! in the binary at build time, parsed once on first use and validated by
//! tests (every reference resolves, every text has its source). A new API or a
//! new legal item is a data change, not a code change.

#![warn(missing_docs)]

mod model;

pub use model::*;

use std::sync::OnceLock;

/// The core knowledge-base files (`kb/*.yaml`), converted to JSON at build
/// time (`build.rs`), in load order: (file name, JSON text).
pub const FILES_JSON: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/core_files_json.rs"));

/// The SDK catalogue files (`kb/sdks/*.yaml`, sorted by name), converted to
/// JSON at build time; `build.rs` lists the folder, so a new file needs no
/// code change.
pub const SDK_FILES_JSON: &[(&str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/sdk_files_json.rs"));

/// The knowledge base's version, shown in every report: the crate version
/// and a digest of the embedded files (`0.1.0+kb.5f3a9c1e`), so two reports
/// made with different data say so even when the tool version is the same.
pub fn kb_version() -> String {
    // FNV-1a, 32 bits, over every embedded file's name and text.
    let mut h: u32 = 0x811c_9dc5;
    for (name, text) in FILES_JSON.iter().chain(SDK_FILES_JSON) {
        for b in name.bytes().chain([0]).chain(text.bytes()).chain([0]) {
            h ^= u32::from(b);
            h = h.wrapping_mul(0x0100_0193);
        }
    }
    format!("{}+kb.{h:08x}", env!("CARGO_PKG_VERSION"))
}

/// Why the knowledge base could not be loaded (a bug in the data, caught by tests).
#[derive(Debug, thiserror::Error)]
pub enum KbError {
    /// A file does not parse into the typed model.
    #[error("kb/{file}: {message}")]
    Parse {
        /// File name under `kb/`.
        file: &'static str,
        /// What the YAML parser said.
        message: String,
    },
    /// SDK records do not fit together (duplicate id, extension of nothing).
    #[error("kb/{file}: SDK `{id}`: {message}")]
    Sdk {
        /// File name under `kb/`.
        file: &'static str,
        /// The SDK id.
        id: String,
        /// What is wrong.
        message: String,
    },
}

impl Kb {
    /// The embedded knowledge base, parsed once.
    ///
    /// # Panics
    /// Never in a released build: the embedded data is validated by this
    /// crate's tests (`Kb::load_embedded` returns the error instead).
    pub fn embedded() -> &'static Kb {
        static KB: OnceLock<Kb> = OnceLock::new();
        KB.get_or_init(|| match Kb::load_embedded() {
            Ok(kb) => kb,
            // The data is compiled in and checked by `cargo test`; reaching this
            // means a build from unvalidated data.
            Err(e) => panic!("embedded knowledge base is invalid: {e}"),
        })
    }

    /// Parses the embedded files.
    pub fn load_embedded() -> Result<Kb, KbError> {
        let mut kb = Kb::default();
        for (file, text) in FILES_JSON {
            let parse = |e: serde_json::Error| KbError::Parse {
                file,
                message: e.to_string(),
            };
            match *file {
                "sources.yaml" => kb.sources = serde_json::from_str(text).map_err(parse)?,
                "pi_types.yaml" => kb.pi_types = serde_json::from_str(text).map_err(parse)?,
                "rules.yaml" => kb.rules = serde_json::from_str(text).map_err(parse)?,
                "permissions.yaml" => kb.permissions = serde_json::from_str(text).map_err(parse)?,
                "apis.yaml" => kb.apis = serde_json::from_str(text).map_err(parse)?,
                "startup.yaml" => kb.startup = serde_json::from_str(text).map_err(parse)?,
                "policy.yaml" => kb.policy = serde_json::from_str(text).map_err(parse)?,
                "policy_terms.yaml" => {
                    kb.policy_terms = serde_json::from_str(text).map_err(parse)?;
                }
                "app_types.yaml" => kb.app_types = serde_json::from_str(text).map_err(parse)?,
                "questionnaire.yaml" => {
                    let q: Questionnaire = serde_json::from_str(text).map_err(parse)?;
                    kb.questions = q.questions;
                }
                _ => {}
            }
        }
        kb.sdks = load_sdks(SDK_FILES_JSON)?;
        Ok(kb)
    }

    /// One of the 39 app types by its number (`1`), id (`map_navigation`),
    /// name (`地图导航类`) or alias (`地图导航`); `None` when nothing matches.
    pub fn app_type(&self, query: &str) -> Option<&AppType> {
        let q = query.trim();
        if let Ok(n) = q.parse::<u32>() {
            return self.app_types.iter().find(|t| t.seq == n);
        }
        let bare = q.strip_suffix('类').unwrap_or(q);
        self.app_types.iter().find(|t| {
            t.id.eq_ignore_ascii_case(q)
                || t.name.zh == q
                || t.name.zh.strip_suffix('类') == Some(bare)
                || t.name.en.eq_ignore_ascii_case(q)
                || t.aliases.iter().any(|a| a == q || a == bare)
        })
    }

    /// An SDK by id (`jiguang.jpush`).
    pub fn sdk(&self, id: &str) -> Option<&Sdk> {
        self.sdks.iter().find(|s| s.id == id)
    }

    /// A legal item by id (`191-3.1`).
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The items of one document, in order (`"191"` gives the 31 items).
    pub fn rules_of<'a>(&'a self, source: &'a str) -> impl Iterator<Item = &'a Rule> + 'a {
        self.rules.iter().filter(move |r| r.source == source)
    }

    /// A PI type by id (`device_id`).
    pub fn pi_type(&self, id: &str) -> Option<&PiType> {
        self.pi_types.iter().find(|p| p.id == id)
    }

    /// How much collecting PI type `id` weighs for a regulator (1–100,
    /// `kb/pi_types.yaml` `weight`); 0 for an unknown type.
    pub fn pi_weight(&self, id: &str) -> u32 {
        self.pi_type(id).map_or(0, |p| p.weight)
    }

    /// A permission by its full name.
    pub fn permission(&self, name: &str) -> Option<&Permission> {
        self.permissions.iter().find(|p| p.name == name)
    }

    /// A source document by id.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// An API entry by id (`telephony.get_device_id`).
    pub fn api(&self, id: &str) -> Option<&Api> {
        self.apis.iter().find(|a| a.id == id)
    }

    /// The API entries carrying a topic tag (`clipboard_read`, `app_list`, …), in file order.
    pub fn apis_with_tag<'a>(&'a self, tag: &'a str) -> impl Iterator<Item = &'a Api> + 'a {
        self.apis
            .iter()
            .filter(move |a| a.tags.iter().any(|t| t == tag))
    }

    /// The API entries collecting one PI type (`location`), in file order.
    pub fn apis_of_pi_type<'a>(&'a self, pi_type: &'a str) -> impl Iterator<Item = &'a Api> + 'a {
        self.apis.iter().filter(move |a| a.pi_type == pi_type)
    }

    /// The PI types a permission gives access to, by full permission name; empty
    /// for a permission the knowledge base does not know.
    pub fn pi_types_of_permission(&self, name: &str) -> &[String] {
        self.permission(name)
            .map(|p| p.pi_types.as_slice())
            .unwrap_or(&[])
    }

    /// The PI types of a permission resolved to their entries (unknown ids skipped).
    pub fn pi_type_entries_of_permission<'a>(
        &'a self,
        name: &str,
    ) -> impl Iterator<Item = &'a PiType> + 'a {
        self.pi_types_of_permission(name)
            .iter()
            .filter_map(|id| self.pi_type(id))
    }

    /// The permissions of one protection class, in file order.
    pub fn permissions_of(&self, protection: Protection) -> impl Iterator<Item = &Permission> {
        self.permissions
            .iter()
            .filter(move |p| p.protection == protection)
    }
}

/// Parses SDK files (JSON text, as `build.rs` makes it from the YAML): full
/// entries first (ids unique), then extension records (`extends: true`)
/// whose signatures are added to the entry of their id.
pub fn load_sdks(files: &[(&'static str, &str)]) -> Result<Vec<Sdk>, KbError> {
    let mut all: Vec<(&'static str, Sdk)> = Vec::new();
    for (file, text) in files {
        let list: Vec<Sdk> = serde_json::from_str(text).map_err(|e| KbError::Parse {
            file,
            message: e.to_string(),
        })?;
        all.extend(list.into_iter().map(|s| (*file, s)));
    }
    let mut sdks: Vec<Sdk> = Vec::new();
    let mut pos: std::collections::HashMap<String, usize> = Default::default();
    for (file, s) in all.iter().filter(|(_, s)| !s.extends) {
        if pos.insert(s.id.clone(), sdks.len()).is_some() {
            return Err(KbError::Sdk {
                file,
                id: s.id.clone(),
                message: "id defined twice".into(),
            });
        }
        sdks.push(s.clone());
    }
    for (file, s) in all.iter().filter(|(_, s)| s.extends) {
        let Some(&i) = pos.get(&s.id) else {
            return Err(KbError::Sdk {
                file,
                id: s.id.clone(),
                message: "extends an entry that does not exist".into(),
            });
        };
        if let Some(target) = sdks.get_mut(i) {
            target.signatures.merge(&s.signatures);
            for src in &s.sources {
                if !target.sources.contains(src) {
                    target.sources.push(src.clone());
                }
            }
        }
    }
    Ok(sdks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_kb_loads() {
        let kb = Kb::load_embedded().expect("kb parses");
        assert!(!kb.rules.is_empty());
    }
}
