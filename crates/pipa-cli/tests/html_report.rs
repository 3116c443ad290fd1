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

/// Appended to a copy of the report, shown in an iframe of the width to
/// test (headless Chromium's window is at least 500 px wide): opens every
/// `<details>` (the widest case: evidence shown), then writes into the
/// wrapper's `<body data-measure>` the viewport width, the page's scroll
/// width, and the first elements that stick out past the viewport, for
/// `--dump-dom` to read.
const MEASURE: &str = "<script>(function(){\
document.querySelectorAll('details').forEach(function(d){d.open=true;});\
var w=window.innerWidth,bad=[];\
document.querySelectorAll('body *').forEach(function(e){var r=e.getBoundingClientRect();\
if(r.right>w+1&&bad.length<6){bad.push(e.tagName+'.'+String(e.className).replace(/ /g,'.')+':'+Math.round(r.right));}});\
parent.document.body.setAttribute('data-measure','inner='+w+' scroll='+document.documentElement.scrollWidth+' bad='+bad.join(','));\
})();</script></body>";

/// The page of the tester's corpus app when present (Umeng, Bugly, QQ: long
/// API names and URLs), else the first registry fixture.
fn wide_apk() -> Option<PathBuf> {
    let corpus = pipa_testkit::corpus_dir().join("AndroidProject-2019-09-09-8d44588c.apk");
    if corpus.is_file() {
        return Some(corpus);
    }
    eprintln!(
        "notice: {} absent; measuring a registry fixture",
        corpus.display()
    );
    fixture(APKS[0])
}

/// No horizontal scroll at 390 px (a phone) and 1366 px (a laptop), every
/// evidence list open; the page printed to PDF (A4) has no near-empty page.
/// The figures (scroll widths, page count, the emptiest page) are printed.
#[test]
fn chromium_no_sideways_scroll_and_a4_pages() {
    if !Path::new(CHROMIUM).exists() {
        eprintln!("notice: {CHROMIUM} absent (Debian package chromium); skipped");
        return;
    }
    let Some(apk) = wide_apk() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let report = html_report(&apk, dir.path(), "both");
    let page = std::fs::read_to_string(&report).expect("report");
    let measured = esc(&page.replacen("</body>", MEASURE, 1));
    let limit = Duration::from_secs(90);
    for width in [390, 1366] {
        let wrapper = dir.path().join(format!("at-{width}.html"));
        std::fs::write(
            &wrapper,
            format!(
                "<!DOCTYPE html><html><body style=\"margin:0\"><iframe style=\"width:{width}px;\
                 height:900px;border:0\" srcdoc=\"{measured}\"></iframe></body></html>"
            ),
        )
        .expect("write");
        let dom = run_limited(
            chromium(&dir.path().join(format!("profile-w{width}")))
                .arg("--window-size=1400,900")
                .arg("--dump-dom")
                .arg(format!("file://{}", wrapper.display())),
            limit,
        );
        let dom = String::from_utf8_lossy(&dom);
        let at = dom
            .find("data-measure=\"")
            .expect("the measuring script ran")
            + 14;
        let m = &dom[at..at + dom[at..].find('"').expect("end")];
        let num = |k: &str| -> u32 {
            m.split(' ')
                .find_map(|p| p.strip_prefix(k))
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{k} in {m}"))
        };
        let (inner, scroll) = (num("inner="), num("scroll="));
        eprintln!("html at {width} px: viewport {inner}, page scroll width {scroll} ({m})");
        assert_eq!(inner, width, "the window is {width} px wide");
        assert!(
            scroll <= inner,
            "{width} px: the page scrolls sideways: {m}"
        );
    }

    // Print to PDF (the page's @page A4) and count the pages.
    let pdf = dir.path().join("report.pdf");
    let t0 = Instant::now();
    run_limited(
        chromium(&dir.path().join("profile-pdf"))
            .arg("--no-pdf-header-footer")
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(format!("file://{}", report.display())),
        limit,
    );
    let bytes = std::fs::read(&pdf).expect("PDF written");
    assert!(bytes.starts_with(b"%PDF-"), "a PDF");
    let text = String::from_utf8_lossy(&bytes);
    let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
    eprintln!(
        "html printed to PDF: {pages} pages A4, {} bytes, {:.1} s (chromium --print-to-pdf)",
        bytes.len(),
        t0.elapsed().as_secs_f64()
    );
    assert!(pages > 0, "pages counted");
    let mediabox = text.contains("/MediaBox [0 0 594.95996 841.91998]")
        || text.contains("/MediaBox [0 0 595")
        || text.contains("/MediaBox [0 0 594");
    assert!(mediabox, "A4 pages (595 × 842 pt)");
    // Near-empty pages, by the text on each (pdftotext, poppler-utils).
    if !pipa_testkit::have_tool("pdftotext") {
        eprintln!("notice: pdftotext absent; near-empty pages not checked");
        return;
    }
    let mut least = (usize::MAX, 0);
    for p in 1..pages {
        let out = Command::new("pdftotext")
            .args(["-f", &p.to_string(), "-l", &p.to_string()])
            .arg(&pdf)
            .arg("-")
            .output()
            .expect("pdftotext");
        let n = String::from_utf8_lossy(&out.stdout)
            .chars()
            .filter(|c| !c.is_whitespace())
            .count();
        if n < least.0 {
            least = (n, p);
        }
    }
    eprintln!(
        "html PDF: the emptiest page but the last is page {} with {} characters",
        least.1, least.0
    );
    // Before A4 and breakable finding cards, the corpus app printed 69 Letter
    // pages, the emptiest (but the last) with 378 characters.
    assert!(
        pages < 2 || least.0 >= 600,
        "page {} of {pages} is near empty ({} characters)",
        least.1,
        least.0
    );
}
