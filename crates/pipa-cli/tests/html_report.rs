//! End to end: `pipa scan --format html` on the registry fixtures, checked
//! against the JSON of the same scan (every finding, the 31 items), then
//! rendered by headless Chromium (Debian `chromium`): a screenshot that is a
//! real page (PNG, sane size, not one colour) and the DOM after scripts ran.
//! Without a fixture or without Chromium, the part prints a notice and passes.

use pipa_testkit::{fixture, run_ok};
use serde_json::Value;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const APKS: [&str; 3] = [
    "appium-settings-8.0.10.apk",
    "ApiDemos-debug.apk",
    "appium-uiautomator2-server-10.6.6.apk",
];
const CHROMIUM: &str = "/usr/bin/chromium";

/// `pipa scan <apk> <extra…>` and its standard output.
fn scan(apk: &Path, extra: &[&str]) -> String {
    run_ok(
        Command::new(env!("CARGO_BIN_EXE_pipa"))
            .arg("scan")
            .arg(apk)
            .args(extra),
    )
}

/// The report of `apk` written with `-o` into `dir`.
fn html_report(apk: &Path, dir: &Path, lang: &str) -> PathBuf {
    let out = dir.join(format!("report-{lang}.html"));
    let o = out.to_str().expect("UTF-8 path");
    scan(apk, &["--format", "html", "--lang", lang, "-o", o]);
    out
}

/// `s` as the report escapes text.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[test]
fn html_has_every_finding_and_item_of_the_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in APKS {
        let Some(apk) = fixture(name) else { continue };
        let json: Value = serde_json::from_str(&scan(&apk, &["--format", "json"])).expect("JSON");
        for lang in ["both", "zh", "en"] {
            let path = html_report(&apk, dir.path(), lang);
            let h = std::fs::read_to_string(&path).expect("report");
            assert!(
                h.starts_with(&format!(
                    "<!DOCTYPE html>\n<html lang=\"{}\">",
                    if lang == "en" { "en" } else { "zh-CN" }
                )),
                "{name}"
            );
            assert!(h.ends_with("</html>\n"), "{name}");
            let items = json["items"].as_array().expect("items");
            assert_eq!(items.len(), 31);
            for it in items {
                let id = it["id"].as_str().expect("id");
                assert!(
                    h.contains(&format!("<tr id=\"item-{id}\"")),
                    "{name}: item {id}"
                );
            }
            let findings = json["findings"].as_array().expect("findings");
            assert!(!findings.is_empty(), "{name}: no findings");
            for f in findings {
                // Anchored and numbered by the short id of the JSON's `ref`.
                let id = f["id"].as_str().expect("finding id");
                let r = f["ref"].as_str().expect("finding ref");
                assert!(
                    h.contains(&format!("id=\"{r}\" data-id=\"{}\"", esc(id))),
                    "{name}: finding {id}"
                );
            }
            for s in json["sdks"].as_array().expect("sdks") {
                let id = s["id"].as_str().expect("sdk id");
                assert!(
                    h.contains(&format!("<code>{}</code>", esc(id))),
                    "{name}: SDK {id}"
                );
            }
            // Text has `<` and `"` escaped: these can only be markup.
            let lower = h.to_ascii_lowercase();
            for bad in ["<link", "<img", "<iframe", "<object", "<embed", " src=\""] {
                assert!(!lower.contains(bad), "{name}: {bad}");
            }
            let css =
                &lower[lower.find("<style>").expect("style")..lower.find("</style>").expect("end")];
            assert!(
                !css.contains("url(") && !css.contains("@import"),
                "{name}: CSS"
            );
        }
    }
}

/// Runs `cmd`, killing it after `limit`; its standard output, or a panic
/// naming the command when it fails or hangs.
fn run_limited(cmd: &mut Command, limit: Duration) -> Vec<u8> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = stdout.read_to_end(&mut v);
        v
    });
    let start = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().expect("wait") {
            break st;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} still running after {limit:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let out = reader.join().expect("reader");
    assert!(status.success(), "{cmd:?}: {status}");
    out
}

/// Headless Chromium with a fresh profile and nothing on the network.
fn chromium(profile: &Path) -> Command {
    let mut c = Command::new(CHROMIUM);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

#[test]
fn chromium_renders_the_report() {
    if !Path::new(CHROMIUM).exists() {
        eprintln!("notice: {CHROMIUM} absent (Debian package chromium); skipped");
        return;
    }
    let Some(apk) = fixture(APKS[0]) else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let report = html_report(&apk, dir.path(), "both");
    let url = format!("file://{}", report.display());
    let limit = Duration::from_secs(60);

    let shot = dir.path().join("shot.png");
    run_limited(
        chromium(&dir.path().join("profile-1"))
            .arg("--window-size=1280,2000")
            .arg(format!("--screenshot={}", shot.display()))
            .arg(&url),
        limit,
    );
    let bytes = std::fs::read(&shot).expect("screenshot written");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "PNG magic");
    let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
    let mut reader = decoder.read_info().expect("PNG header");
    let mut buf = vec![0; reader.output_buffer_size().expect("buffer size")];
    let info = reader.next_frame(&mut buf).expect("PNG frame");
    assert!(
        (800..=4000).contains(&info.width) && (1000..=8000).contains(&info.height),
        "{}x{}",
        info.width,
        info.height
    );
    let px = info.color_type.samples();
    let pixels: Vec<&[u8]> = buf[..info.buffer_size()]
        .chunks_exact(px)
        .map(|p| &p[..px.min(3)])
        .collect();
    let colours: std::collections::BTreeSet<&[u8]> = pixels.iter().copied().collect();
    assert!(
        colours.len() > 50,
        "{} colours: a blank page",
        colours.len()
    );
    // The dark header band and the text: a share of dark pixels.
    let dark = pixels
        .iter()
        .filter(|p| p.iter().map(|&c| u32::from(c)).sum::<u32>() < 3 * 90)
        .count();
    assert!(
        dark * 100 > pixels.len(),
        "{dark} dark pixels of {}",
        pixels.len()
    );

    // The DOM after the script ran: the summary, the items, the button the
    // script reveals.
    let dom = run_limited(
        chromium(&dir.path().join("profile-2"))
            .arg("--dump-dom")
            .arg(&url),
        limit,
    );
    let dom = String::from_utf8_lossy(&dom);
    assert!(dom.contains("<section id=\"summary\">"), "summary");
    assert!(dom.contains("<svg class=\"donut\""), "chart");
    assert_eq!(dom.matches("<tr id=\"item-191-").count(), 31);
    let button = &dom[dom.find("id=\"toggle-all\"").expect("button")..];
    assert!(
        !button[..button.find('>').expect("tag end")].contains("hidden"),
        "the script did not run"
    );
}
