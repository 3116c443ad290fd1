//! Embeds the knowledge base: lists `kb/sdks/*.yaml` (a new catalogue file
//! needs no code change) and converts every YAML file to JSON, which the
//! binary parses several times faster than YAML at start-up. A YAML syntax
//! error stops the build with the file and line.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The core files, in load order.
const CORE: &[&str] = &[
    "sources.yaml",
    "pi_types.yaml",
    "rules.yaml",
    "permissions.yaml",
    "apis.yaml",
    "startup.yaml",
    "policy.yaml",
    "policy_terms.yaml",
    "app_types.yaml",
    "questionnaire.yaml",
];

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it"));
    let kb = manifest.join("../../kb");
    let sdk_dir = kb.join("sdks");
    println!("cargo:rerun-if-changed={}", sdk_dir.display());
    let mut sdk_files: Vec<PathBuf> = std::fs::read_dir(&sdk_dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
                .collect()
        })
        .unwrap_or_default();
    sdk_files.sort();

    let mut yaml = String::from("&[\n");
    let mut json = String::from("&[\n");
    for f in &sdk_files {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let label = format!("sdks/{name}");
        let _ = writeln!(yaml, "    ({label:?}, include_str!({:?})),", abs(f));
        let j = to_json(f, &label, &out);
        let _ = writeln!(
            json,
            "    ({label:?}, include_str!({:?})),",
            j.display().to_string()
        );
    }
    yaml.push(']');
    json.push(']');
    write(&out.join("sdk_files.rs"), &yaml);
    write(&out.join("sdk_files_json.rs"), &json);

    let mut core = String::from("&[\n");
    for name in CORE {
        let j = to_json(&kb.join(name), name, &out);
        let _ = writeln!(
            core,
            "    ({name:?}, include_str!({:?})),",
            j.display().to_string()
        );
    }
    core.push(']');
    write(&out.join("core_files_json.rs"), &core);
}

fn abs(p: &Path) -> String {
    p.canonicalize()
        .unwrap_or_else(|_| p.to_path_buf())
        .display()
        .to_string()
}

/// Converts one YAML file to JSON under `OUT_DIR/kb-json/`, returning its path.
fn to_json(src: &Path, label: &str, out: &Path) -> PathBuf {
    println!("cargo:rerun-if-changed={}", src.display());
    let text =
        std::fs::read_to_string(src).unwrap_or_else(|e| panic!("kb/{label}: cannot read: {e}"));
    let value: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("kb/{label}: {e}"));
    let json = serde_json::to_string(&value)
        .unwrap_or_else(|e| panic!("kb/{label}: not representable as JSON: {e}"));
    let dir = out.join("kb-json");
    let _ = std::fs::create_dir_all(dir.join("sdks"));
    let dest = dir.join(format!("{label}.json"));
    write(&dest, &json);
    dest
}

fn write(path: &Path, text: &str) {
    // Unchanged output keeps its mtime, so dependants are not rebuilt.
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return;
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}
