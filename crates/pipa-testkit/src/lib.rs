//! Helpers shared by the tests (and development examples) of the pipa crates:
//! where the test inputs live, walking folders for them, whether an oracle
//! tool is installed, a deterministic PRNG for byte flips, and reading an
//! entry out of an APK with an independent zip reader (the `zip` crate, not
//! ours).
//!
//! The inputs, each optional (tests print a notice and pass without them):
//! - the Debian androguard examples ([`ANDROGUARD_EXAMPLES`], package
//!   `androguard`): ~500 APK, DEX, AXML and ARSC edge cases;
//! - the registry fixtures ([`fixtures_dir`]: `$PIPA_FIXTURES`, default
//!   `<repo>/.cache/fixtures`, filled by `scripts/fetch-fixtures.sh`);
//! - the shared corpus ([`corpus_dir`]: `$PIPA_CORPUS`, default
//!   `<repo>/../shared/corpus/apk`).
//!
//! Tiny test apps are built from smali sources with [`build_smali_apk`]
//! (Debian's `smali`, `aapt` and `android-framework-res`; check
//! [`smali_tools_present`] first).
//!
//! A dev-dependency only (`publish = false`); it depends on no pipa crate, so
//! every crate's unit tests may use it too.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where Debian's `androguard` package installs its examples.
pub const ANDROGUARD_EXAMPLES: &str = "/usr/share/doc/androguard/examples";

/// The workspace root (the folder of the top `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    p.canonicalize().unwrap_or(p)
}

/// Every regular file under `dir`, recursively (symbolic links followed),
/// sorted. Empty when `dir` is absent or unreadable.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.is_file() {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

/// The files of [`files_under`] whose extension is one of `exts` (exact,
/// case-sensitive, without the dot), sorted.
pub fn files_with_ext(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut v = files_under(dir);
    v.retain(|p| {
        p.extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| exts.contains(&x))
    });
    v
}

/// The `.apk` files under `dir`, recursively, sorted.
pub fn apks_under(dir: &Path) -> Vec<PathBuf> {
    files_with_ext(dir, &["apk"])
}

/// The androguard examples folder when it is installed.
pub fn androguard_examples() -> Option<PathBuf> {
    let p = PathBuf::from(ANDROGUARD_EXAMPLES);
    p.is_dir().then_some(p)
}

/// The registry fixtures folder: `$PIPA_FIXTURES`, or `<repo>/.cache/fixtures`.
/// It may be absent.
pub fn fixtures_dir() -> PathBuf {
    match std::env::var_os("PIPA_FIXTURES") {
        Some(d) => PathBuf::from(d),
        None => workspace_root().join(".cache/fixtures"),
    }
}

/// The registry fixture `name` when present; otherwise prints a notice (the
/// caller then skips its checks) and returns `None`.
pub fn fixture(name: &str) -> Option<PathBuf> {
    let p = fixtures_dir().join(name);
    if p.is_file() {
        Some(p)
    } else {
        eprintln!(
            "notice: fixture {} absent (run scripts/fetch-fixtures.sh); skipped",
            p.display()
        );
        None
    }
}

/// The shared APK corpus: `$PIPA_CORPUS`, or `<repo>/../shared/corpus/apk`
/// (made absolute and free of `..` when it exists). It may be absent.
pub fn corpus_dir() -> PathBuf {
    match std::env::var_os("PIPA_CORPUS") {
        Some(d) => PathBuf::from(d),
        None => {
            let p = workspace_root().join("../shared/corpus/apk");
            p.canonicalize().unwrap_or(p)
        }
    }
}

/// The `.apk` files of the shared corpus, sorted; empty when it is absent.
pub fn corpus_apks() -> Vec<PathBuf> {
    apks_under(&corpus_dir())
}

/// Whether the program `name` is on `PATH` (an executable file), without
/// running it: `aapt`, `dexdump`, `apksigner`, `smali`…
pub fn have_tool(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| is_executable(&d.join(name))))
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file()
}

/// Tiny deterministic PRNG (xorshift64*, Vigna's multiplier) for byte flips:
/// the same seed gives the same sequence on every platform. A zero seed
/// yields only zeros; pick any other.
#[derive(Debug, Clone)]
pub struct Prng(u64);

impl Prng {
    /// A generator starting from `seed`.
    pub const fn new(seed: u64) -> Self {
        Prng(seed)
    }

    /// The next 64 pseudo-random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n`, 0 when `n` is 0 (modulo bias is irrelevant here).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// Damages `data` in place: sets 1–4 bytes at random offsets to `0xff`,
    /// `0`, `0x80` or a random value (the bytes most likely to upset a
    /// length, count or offset field).
    pub fn damage(&mut self, data: &mut [u8]) {
        for _ in 0..1 + self.below(4) {
            let at = self.below(data.len());
            let v = match self.below(4) {
                0 => 0xff,
                1 => 0,
                2 => 0x80,
                _ => self.next_u64() as u8,
            };
            if let Some(b) = data.get_mut(at) {
                *b = v;
            }
        }
    }
}

/// Runs `cmd` and returns its standard output (lossily decoded) when it
/// starts and exits with success; `None` otherwise (not installed, refused
/// the input…).
pub fn run_stdout(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    if !out.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Runs `cmd` and returns its standard output (lossily decoded); panics
/// with the command, its output and its error output when it cannot start
/// or exits with failure. For test set-up steps that must work.
pub fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The framework resources `aapt` links a manifest against (Debian package
/// `android-framework-res`).
pub const FRAMEWORK_RES: &str = "/usr/share/android-framework-res/framework-res.apk";

/// The programs [`build_smali_apk`] and the tests that cross-check its
/// output need.
pub const SMALI_TOOLS: &[&str] = &["smali", "aapt", "dexdump"];

/// Whether `smali`, `aapt`, `dexdump` and [`FRAMEWORK_RES`] are all here.
/// When not, prints `<test_name>: notice: skipped: …` naming what is
/// missing (the caller then skips its checks) and returns `false`.
pub fn smali_tools_present(test_name: &str) -> bool {
    let missing: Vec<&str> = SMALI_TOOLS
        .iter()
        .copied()
        .filter(|t| !have_tool(t))
        .collect();
    let res = Path::new(FRAMEWORK_RES).is_file();
    if missing.is_empty() && res {
        return true;
    }
    eprintln!(
        "{test_name}: notice: skipped: needs smali (libsmali-java), aapt, dexdump and \
         {FRAMEWORK_RES} (android-framework-res); missing: {missing:?}{}",
        if res {
            ""
        } else {
            " and the framework resources"
        }
    );
    false
}

/// A test app built by [`build_smali_apk`].
#[derive(Debug, Clone)]
pub struct SmaliApk {
    /// The package: `<out_dir>/fixture.apk`.
    pub apk: PathBuf,
    /// Its only dex, as assembled: `<out_dir>/dex/classes.dex`.
    pub dex: PathBuf,
}

/// Builds a test app from `src_dir` (an `AndroidManifest.xml` and a `smali/`
/// folder) into `out_dir`, which is emptied first: `smali assemble` makes
/// `dex/classes.dex`, `aapt package` links the manifest against
/// [`FRAMEWORK_RES`] into `fixture.apk` and `aapt add` stores the dex in it
/// as `classes.dex`. Unsigned (pipa does not need a signature). Panics with
/// the failing command's output.
pub fn build_smali_apk(src_dir: &Path, out_dir: &Path) -> SmaliApk {
    let _ = std::fs::remove_dir_all(out_dir);
    let dex_dir = out_dir.join("dex");
    std::fs::create_dir_all(&dex_dir)
        .unwrap_or_else(|e| panic!("mkdir {}: {e}", dex_dir.display()));
    let dex = dex_dir.join("classes.dex");
    run_ok(
        Command::new("smali")
            .arg("assemble")
            .arg("-o")
            .arg(&dex)
            .arg(src_dir.join("smali")),
    );
    let apk = out_dir.join("fixture.apk");
    run_ok(
        Command::new("aapt")
            .args(["package", "-f", "-M"])
            .arg(src_dir.join("AndroidManifest.xml"))
            .args(["-I", FRAMEWORK_RES, "-F"])
            .arg(&apk),
    );
    // `aapt add` stores paths as given: run it from the dex directory.
    run_ok(
        Command::new("aapt")
            .args(["add", "-f"])
            .arg(&apk)
            .arg("classes.dex")
            .current_dir(&dex_dir),
    );
    SmaliApk { apk, dex }
}

/// `aapt`'s `ResTable::normalizeForOutput`, to compare our strings with what
/// `aapt dump` prints: escapes `\`, newline and `"` (not `'`) and stops at a
/// NUL like the C string it is.
pub fn aapt_normalize(s: &str) -> String {
    let mut o = String::new();
    for c in s.chars() {
        match c {
            '\0' => break,
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '"' => o.push_str("\\\""),
            c => o.push(c),
        }
    }
    o
}

fn open_zip(path: &Path) -> Result<zip::ZipArchive<std::fs::File>, String> {
    let f = std::fs::File::open(path).map_err(|e| e.to_string())?;
    zip::ZipArchive::new(f).map_err(|e| e.to_string())
}

/// The entry names of the zip at `path`, in central-directory order, read by
/// the `zip` crate (an oracle independent of ours); names the crate cannot
/// decode are left out. `Err` when the file cannot be opened or is no zip the
/// crate reads.
pub fn zip_entry_names(path: &Path) -> Result<Vec<String>, String> {
    let z = open_zip(path)?;
    Ok(z.file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect())
}

/// The inflated bytes of entry `name` of the zip at `path`, read by the `zip`
/// crate: `Ok(None)` when there is no such entry, `Err` when the archive or
/// the entry cannot be read.
pub fn unzip_entry(path: &Path, name: &str) -> Result<Option<Vec<u8>>, String> {
    unzip_entry_max(path, name, u64::MAX)
}

/// [`unzip_entry`] that keeps at most the first `max` bytes of the entry
/// (a guard against bombs; the rest is not inflated).
pub fn unzip_entry_max(path: &Path, name: &str, max: u64) -> Result<Option<Vec<u8>>, String> {
    let mut z = open_zip(path)?;
    let e = match z.by_name(name) {
        Ok(e) => e,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    let mut v = Vec::new();
    e.take(max).read_to_end(&mut v).map_err(|e| e.to_string())?;
    Ok(Some(v))
}

/// Writes a copy of the zip at `src` to `dst` with every entry passed
/// through `edit(name, bytes)` (entries stored or deflated as in `src`;
/// no signature is kept valid): the way to make a hostile variant of a real
/// package, e.g. a dex with flipped bytes. Entries the `zip` crate cannot
/// read are left out. `Err` names what failed.
pub fn rewrite_zip(
    src: &Path,
    dst: &Path,
    mut edit: impl FnMut(&str, Vec<u8>) -> Vec<u8>,
) -> Result<(), String> {
    use std::io::Write;
    let mut z = open_zip(src)?;
    let out = std::fs::File::create(dst).map_err(|e| format!("{}: {e}", dst.display()))?;
    let mut w = zip::ZipWriter::new(out);
    for i in 0..z.len() {
        let Ok(mut e) = z.by_index(i) else { continue };
        let Ok(name) = e.name().map(|n| n.into_owned()) else {
            continue;
        };
        let method = e.compression();
        let mut data = Vec::new();
        if e.read_to_end(&mut data).is_err() {
            continue;
        }
        drop(e);
        let data = edit(&name, data);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(method)
            .large_file(data.len() > u32::MAX as usize / 2);
        w.start_file(name.as_str(), opts)
            .map_err(|e| format!("{name}: {e}"))?;
        w.write_all(&data).map_err(|e| format!("{name}: {e}"))?;
    }
    w.finish().map_err(|e| e.to_string())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prng_is_xorshift64_star() {
        // Reference values of xorshift64* from seed 1.
        let mut r = Prng::new(1);
        assert_eq!(r.next_u64(), 0x47e4_ce4b_896c_dd1d);
        assert_eq!(r.next_u64(), 0xabcf_a6a8_e079_651d);
        let mut a = Prng::new(7);
        let mut b = a.clone();
        assert_eq!(a.below(10), (b.next_u64() % 10) as usize);
    }

    #[test]
    fn damage_changes_at_most_four_bytes() {
        let mut r = Prng::new(0x9e37_79b9_7f4a_7c15);
        for _ in 0..100 {
            let mut d = [0x11u8; 64];
            r.damage(&mut d);
            assert!(d.iter().filter(|&&b| b != 0x11).count() <= 4);
        }
        r.damage(&mut []);
    }

    #[test]
    fn normalize_like_aapt() {
        assert_eq!(aapt_normalize("a\\b\n\"c'\0rest"), "a\\\\b\\n\\\"c'");
    }

    #[test]
    fn run_stdout_of_missing_program_is_none() {
        assert!(run_stdout(&mut Command::new("/nonexistent/pipa-testkit")).is_none());
        assert!(!have_tool("pipa-testkit-no-such-tool"));
    }

    #[test]
    #[should_panic(expected = "failed")]
    fn run_ok_panics_on_failure() {
        run_ok(&mut Command::new("false"));
    }

    #[test]
    fn walking_an_absent_folder_is_empty() {
        assert!(files_under(Path::new("/nonexistent/pipa-testkit")).is_empty());
    }

    #[test]
    fn walk_is_sorted_and_filtered() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let all = files_under(root);
        assert!(all.windows(2).all(|w| w[0] < w[1]));
        let rs = files_with_ext(root, &["rs"]);
        assert!(rs.iter().any(|p| p.ends_with("src/lib.rs")));
        assert!(rs.iter().all(|p| p.extension().is_some_and(|x| x == "rs")));
        assert!(all.iter().any(|p| p.ends_with("Cargo.toml")));
    }

    #[test]
    fn missing_entries_and_archives() {
        let no = Path::new("/nonexistent/pipa-testkit.apk");
        assert!(zip_entry_names(no).is_err());
        assert!(unzip_entry(no, "AndroidManifest.xml").is_err());
    }
}
