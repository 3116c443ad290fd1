/// Resource limits for reading one package. Defaults are generous for real
/// apps (the largest store apps have a few hundred MB of dex) and small enough
/// that a zip bomb cannot exhaust a 24 GiB machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Maximum number of central-directory entries.
    pub max_entries: usize,
    /// Maximum inflated size of a single entry, in bytes.
    pub max_entry_size: u64,
    /// Maximum total inflated bytes read from one archive.
    pub max_total_size: u64,
    /// Maximum number of dex files read from one package.
    pub max_dex_files: usize,
    /// Maximum XML nesting depth / element count in a binary XML document.
    pub max_xml_elements: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 200_000,
            max_entry_size: 1 << 30,
            max_total_size: 4 << 30,
            max_dex_files: 1_000,
            max_xml_elements: 1_000_000,
        }
    }
}
