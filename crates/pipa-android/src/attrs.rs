//! Names of the Android framework attributes (`android:attr/*`, ids `0x0101xxxx`).
//!
//! The table is generated from AOSP's `public.xml` by `scripts/gen-android-attrs.py`
//! into `data/android_attrs.tsv` and embedded at compile time. Binary XML names
//! its `android:` attributes by these ids (the resource map), and Android trusts
//! the id, not the string: this table is how we get the real name back.

use std::sync::OnceLock;

const TSV: &str = include_str!("../data/android_attrs.tsv");

struct Table {
    /// Sorted by id.
    by_id: Vec<(u32, &'static str)>,
    /// Sorted by name.
    by_name: Vec<(&'static str, u32)>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut by_id: Vec<(u32, &'static str)> = TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let (id, name) = l.split_once('\t')?;
                let id = u32::from_str_radix(id.trim().trim_start_matches("0x"), 16).ok()?;
                Some((id, name.trim()))
            })
            .collect();
        by_id.sort_unstable_by_key(|&(id, _)| id);
        by_id.dedup_by_key(|&mut (id, _)| id);
        let mut by_name: Vec<(&'static str, u32)> = by_id.iter().map(|&(i, n)| (n, i)).collect();
        by_name.sort_unstable();
        Table { by_id, by_name }
    })
}

/// The framework name of attribute resource id `id`, e.g. `0x0101020c` → `minSdkVersion`.
/// `None` for ids outside the table (app attributes, attributes newer than the table).
pub fn name_of(id: u32) -> Option<&'static str> {
    let t = &table().by_id;
    t.binary_search_by_key(&id, |&(i, _)| i)
        .ok()
        .and_then(|ix| t.get(ix))
        .map(|&(_, n)| n)
}

/// The resource id of framework attribute `name`, e.g. `exported` → `0x01010010`.
pub fn id_of(name: &str) -> Option<u32> {
    let t = &table().by_name;
    t.binary_search_by(|&(n, _)| n.cmp(name))
        .ok()
        .and_then(|ix| t.get(ix))
        .map(|&(_, i)| i)
}

/// Number of attributes in the embedded table.
pub fn len() -> usize {
    table().by_id.len()
}

/// True when `id` is in the framework package (`0x01xxxxxx`).
pub fn is_framework_id(id: u32) -> bool {
    id >> 24 == 0x01
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_ids() {
        assert_eq!(name_of(0x0101_0000), Some("theme"));
        assert_eq!(name_of(0x0101_020c), Some("minSdkVersion"));
        assert_eq!(name_of(0x0101_0003), Some("name"));
        assert_eq!(name_of(0x0101_0010), Some("exported"));
        assert_eq!(name_of(0x7f01_0000), None);
        assert_eq!(id_of("minSdkVersion"), Some(0x0101_020c));
        assert_eq!(id_of("noSuchAttribute"), None);
        assert!(len() > 1300);
    }

    /// Manifest attributes added after API 27, as AOSP's `public-final.xml` numbers them.
    #[test]
    fn modern_ids() {
        for (id, name) in [
            (0x0101_04ec, "usesCleartextTraffic"),
            (0x0101_0527, "networkSecurityConfig"),
            (0x0101_0599, "foregroundServiceType"),
            (0x0101_0603, "requestLegacyExternalStorage"),
            (0x0101_063e, "dataExtractionRules"),
            (0x0101_0644, "usesPermissionFlags"),
            (0x0101_0651, "supportedTypes"),
            (0x0101_069a, "windowOptOutEdgeToEdgeEnforcement"),
            (0x0101_06ab, "pageSizeCompat"),
        ] {
            assert_eq!(name_of(id), Some(name), "0x{id:08x}");
            assert_eq!(id_of(name), Some(id), "{name}");
        }
        // Reserved in API 35 but never finalised: no name.
        assert_eq!(name_of(0x0101_068a), None);
        assert!(len() >= 1579);
    }

    #[test]
    fn table_is_sorted_and_unique() {
        let ids: Vec<u32> = TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| {
                let (id, _) = l.split_once('\t').expect("id<TAB>name");
                u32::from_str_radix(id.trim_start_matches("0x"), 16).expect("hex id")
            })
            .collect();
        assert_eq!(ids.len(), len(), "every line parses and no id repeats");
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "sorted by id");
    }

    #[test]
    fn round_trip() {
        for &(id, name) in &table().by_id {
            assert_eq!(id_of(name), Some(id), "{name}");
            assert!(is_framework_id(id));
        }
    }
}
