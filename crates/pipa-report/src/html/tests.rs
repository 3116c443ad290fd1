use super::*;
use crate::testdata::{ids_191, kb, sample, with_sdks};
use pipa_engine::{Accepted, Answer, BaselineInfo, Evidence, Statement, Verdict};
use pipa_kb::Text;

fn t(zh: &str, en: &str) -> Text {
    Text {
        zh: zh.into(),
        en: en.into(),
    }
}

const HOSTILE: &str = "<script>alert(\"x\")</script>'&amp;<img src=x onerror=alert(1)>";

/// Elements that have no end tag.
const VOID: [&str; 8] = ["meta", "br", "hr", "img", "input", "link", "col", "wbr"];
/// Elements a `<p>` cannot hold.
const BLOCK: [&str; 16] = [
    "div",
    "p",
    "ul",
    "ol",
    "dl",
    "table",
    "details",
    "section",
    "article",
    "blockquote",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "header",
];

/// Checks that tags nest: every element but void ones and `<x/>` is closed
/// in order; no raw `<` in text; no block inside `<p>`, no `<a>` in `<a>`;
/// `<style>` and `<script>` bodies skipped. Returns the problem found.
fn check_nesting(html: &str) -> Result<(), String> {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        if let Some(r) = rest.strip_prefix("<!DOCTYPE html>") {
            rest = r;
            continue;
        }
        let end = rest
            .find('>')
            .ok_or_else(|| format!("unclosed tag at {:?}", &rest[..rest.len().min(40)]))?;
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            return Err(format!("raw < in text: <{tag}>"));
        }
        if closing {
            match stack.pop() {
                Some(open) if open == name => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
            continue;
        }
        if tag.contains('<') || !tag.matches('"').count().is_multiple_of(2) {
            return Err(format!("broken attributes in <{tag}>"));
        }
        if stack.last().is_some_and(|p| p == "p") && BLOCK.contains(&name.as_str()) {
            return Err(format!("<{name}> inside <p>"));
        }
        if name == "a" && stack.iter().any(|x| x == "a") {
            return Err("<a> inside <a>".into());
        }
        if VOID.contains(&name.as_str()) || tag.ends_with('/') {
            continue;
        }
        if name == "style" || name == "script" {
            let close = format!("</{name}>");
            let at = rest.find(&close).ok_or(format!("{close} missing"))?;
            rest = &rest[at + close.len()..];
            continue;
        }
        stack.push(name);
    }
    if stack.is_empty() {
        Ok(())
    } else {
        Err(format!("left open: {stack:?}"))
    }
}

/// The tags of a page (`<…>`): text and the bodies of `<style>` and
/// `<script>` excluded.
fn tags(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        rest = &rest[end..];
        for raw in ["<style", "<script"] {
            if tag.starts_with(raw) {
                let close = format!("</{}>", &raw[1..]);
                rest = &rest[rest.find(&close).unwrap_or(0)..];
            }
        }
        out.push(tag);
    }
    out
}

/// CJK (wide) characters in `s`.
fn cjk(s: &str) -> Vec<char> {
    s.chars()
        .filter(|c| crate::fmt::width(c.encode_utf8(&mut [0; 4])) == 2)
        .collect()
}

/// [`with_sdks`] with statements on two items (one decides the verdict), a
/// baseline accepting the first finding, a policy passage, and hostile text
/// wherever the package or the policy supplies text.
fn loaded() -> Assessment {
    let mut a = with_sdks();
    a.app.name = Some(HOSTILE.into());
    a.findings[1].description.en = HOSTILE.into();
    a.findings[1].evidence.push(Evidence::String {
        value: HOSTILE.into(),
        locations: vec!["Lcom/x/Y;->m()V".into()],
    });
    a.findings[1].evidence.push(Evidence::Policy {
        source: "/tmp/privacy.html".into(),
        text: format!("我们会收集位置信息{HOSTILE}"),
        start: 120,
        end: 180,
    });
    a.sdks[0].name.en = HOSTILE.into();
    let item = a
        .items
        .iter_mut()
        .find(|i| i.id == "191-2.3")
        .expect("item");
    item.statements = vec![Statement {
        question: "191-2.3.purpose".into(),
        text: t(
            "是否逐项说明权限目的？",
            "Is each permission's purpose stated?",
        ),
        answer: Answer::No,
        verdict: Verdict::Risk,
        note: Some(HOSTILE.into()),
        unproven: false,
    }];
    item.verdict = Verdict::Risk;
    item.by_statement = true;
    a.baseline = Some(BaselineInfo {
        source: "pipa-baseline.yaml".into(),
        accepted: vec![Accepted {
            finding: 0,
            id: a.findings[0].id.clone(),
            justification: format!("政策在官网 {HOSTILE}"),
            by: Some("李雷".into()),
            until: Some("2030-01-01".into()),
        }],
        ..BaselineInfo::default()
    });
    let policy = format!(
        "<h1>隐私政策</h1><p>我们收集您的位置信息{}，用于附近的门店。</p>",
        esc::esc(HOSTILE)
    );
    let p = pipa_policy::analyse_bytes(
        "privacy.html",
        policy.as_bytes(),
        None,
        pipa_policy::Lexicon::embedded(),
    )
    .expect("policy");
    a.policy = Some(p.report);
    a
}

#[test]
fn hostile_text_is_escaped_everywhere() {
    for lang in [Lang::Both, Lang::En] {
        let h = html(&loaded(), &kb(), lang);
        assert_eq!(h.matches("<script").count(), 1, "only our own script");
        assert!(!h.contains("<img"), "no injected element");
        assert!(!h.contains("alert(\"x\")"), "quotes escaped");
        let escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;amp;&lt;img src=x onerror=alert(1)&gt;";
        // title, header, facts, description, evidence, SDK name, statement
        // note, baseline justification
        assert!(
            h.matches(escaped).count() >= 8,
            "{}",
            h.matches(escaped).count()
        );
        check_nesting(&h).unwrap_or_else(|e| panic!("{lang:?}: {e}"));
    }
    // The policy's own text, decoded from HTML, comes back escaped.
    let h = html(&loaded(), &kb(), Lang::Both);
    assert!(
        h.contains("<q>我们收集您的位置信息&lt;script&gt;alert(&quot;x&quot;)"),
        "policy sentence"
    );
}

#[test]
fn nesting_checker_catches_mistakes() {
    assert!(check_nesting("<div><p>x</p></div>").is_ok());
    assert!(check_nesting("<div><p>x</div></p>").is_err());
    assert!(check_nesting("<p><div>x</div></p>").is_err());
    assert!(check_nesting("<td>a < b</td>").is_err());
    assert!(check_nesting("<ul><li>x</li>").is_err());
    assert!(check_nesting("<svg><circle r=\"1\"/></svg><br>").is_ok());
}

#[test]
fn all_31_items_with_legal_text_verdict_and_links() {
    let a = sample();
    let h = html(&a, &kb(), Lang::Both);
    for id in ids_191() {
        let start = h
            .find(&format!("<tr id=\"item-{id}\""))
            .unwrap_or_else(|| panic!("row {id} missing"));
        let row = &h[start..start + h[start..].find("</tr>").expect("row end")];
        assert!(row.contains(&format!("认定条文{id}；")), "{row}");
        assert!(
            row.contains(&format!("<p class=\"en\">Gloss of {id}.</p>")),
            "{row}"
        );
        let item = a.items.iter().find(|i| i.id == id).expect("item");
        assert!(
            row.contains(&esc::verdict_badge(item.verdict, Lang::Both)),
            "{row}"
        );
        for &f in &item.findings {
            let id = a.findings[f].short_id();
            assert!(row.contains(&format!("href=\"#{id}\"")), "{row}");
            assert!(row.contains(&format!(">{id}</a>")), "{row}");
        }
    }
    assert_eq!(h.matches("<tr id=\"item-").count(), 31);
    // the manual item says what to check; the n.a. one its note
    let row = &h[h.find("id=\"item-191-2.3\"").expect("2.3")..];
    assert!(row[..row.find("</tr>").expect("end")].contains("人工查看界面"));
    let row = &h[h.find("id=\"item-191-6.6\"").expect("6.6")..];
    assert!(row[..row.find("</tr>").expect("end")].contains("无账号功能"));
}

#[test]
fn every_finding_has_its_anchor_evidence_and_fix() {
    let a = loaded();
    let h = html(&a, &kb(), Lang::Both);
    for f in &a.findings {
        let start = h
            .find(&format!(
                "id=\"{}\" data-id=\"{}\" data-verdict=",
                f.short_id(),
                esc::esc(&f.id),
            ))
            .unwrap_or_else(|| panic!("finding {} missing", f.id));
        let card = &h[start..start + h[start..].find("</article>").expect("end")];
        assert!(
            card.contains(&format!(
                "<header><h3><span class=\"fno\">{}</span>",
                f.short_id()
            )),
            "{card}"
        );
        for r in &f.rule_ids {
            assert!(card.contains(&format!(">{}</a>", esc::esc(r))), "{card}");
        }
        assert!(
            card.contains(&format!(
                "{} ({})</summary>",
                bi("证据", "Evidence", Lang::Both),
                f.evidence.len()
            )),
            "{card}"
        );
        assert!(card.contains("整改建议"), "{card}");
    }
    // rule links: items to their rows, other rules to the legal basis
    assert!(h.contains("<a href=\"#item-191-3.3\">191-3.3</a>"));
    assert!(h.contains("<a href=\"#rule-PIPL-51\">PIPL-51</a>"));
    // every fragment link has its target
    for part in h.split("href=\"#").skip(1) {
        let id = &part[..part.find('"').expect("quote")];
        assert!(h.contains(&format!("id=\"{id}\"")), "no target for #{id}");
    }
    // evidence forms: chain as an ordered list, code site, manifest, policy offsets
    assert!(h.contains("<ol class=\"chain\"><li><code title=\"Lcom/example/app/App;-&gt;onCreate()V\">com.example.app.App.onCreate</code></li><li><span class=\"hop\">⇢(异步 async)</span>"), "{h}");
    assert!(h.contains("<code>Lcom/x/Y;-&gt;m()V @0x12 (classes.dex)</code>"));
    assert!(h.contains("<code>&lt;uses-sdk android:targetSdkVersion=&quot;22&quot;&gt;</code>"));
    assert!(h.contains("<span class=\"at\">[120..180] · privacy.html</span>"));
    // the accepted finding
    let f1 = format!("id=\"{}\"", a.findings[0].short_id());
    let acc = &h[h.find(&f1).expect("f1")..];
    let acc = &acc[..acc.find("</article>").expect("end")];
    assert!(
        acc.contains("已接受 <span class=\"en\">accepted</span>"),
        "{acc}"
    );
    assert!(acc.contains("政策在官网") && acc.contains("李雷") && acc.contains("2030-01-01"));
}

#[test]
fn statements_are_marked_as_the_developers() {
    let h = html(&loaded(), &kb(), Lang::Both);
    let row = &h[h.find("id=\"item-191-2.3\"").expect("row")..];
    let row = &row[..row.find("</tr>").expect("end")];
    assert!(row.contains("开发者声明（pipa 未核实） <span class=\"en\">Developer&#39;s statement, not verified by pipa</span>"), "{row}");
    assert!(row.contains("是否逐项说明权限目的？"));
    assert!(row.contains("<b class=\"ans ans-no\">否 <span class=\"en\">no</span></b>"));
    assert!(row.contains("结论来自开发者声明"));
    assert!(row.contains("badge v-risk"));
    // no statement, no mark
    let other = &h[h.find("id=\"item-191-3.3\"").expect("row")..];
    assert!(!other[..other.find("</tr>").expect("end")].contains("开发者声明"));
}

#[test]
fn self_contained_no_external_assets() {
    for a in [loaded(), sample()] {
        for lang in [Lang::Both, Lang::En] {
            let h = html(&a, &kb(), lang);
            let lower = h.to_ascii_lowercase();
            for tag in tags(&lower) {
                for bad in [
                    "<link", "<img", "<iframe", "<object", "<embed", "<base", "<form",
                ] {
                    assert!(!tag.starts_with(bad), "{tag}");
                }
                for bad in [" src=", " style=", "xlink:href", " action="] {
                    assert!(!tag.contains(bad), "{tag}");
                }
            }
            let css =
                &lower[lower.find("<style>").expect("style")..lower.find("</style>").expect("end")];
            assert!(!css.contains("url(") && !css.contains("@import"));
            // hrefs: fragments, or http(s) links on <a> elements only
            for (at, _) in lower.match_indices("href=\"") {
                let before = &lower[..at];
                let tag = &before[before.rfind('<').expect("tag")..];
                assert!(tag.starts_with("<a "), "href outside <a>: {tag}");
                let v = &lower[at + 6..];
                assert!(
                    v.starts_with('#') || v.starts_with("http://") || v.starts_with("https://"),
                    "href {:?}",
                    &v[..v.len().min(30)]
                );
            }
        }
    }
    let h = html(&with_sdks(), &kb(), Lang::Both);
    assert!(
        h.contains("<a href=\"https://www.umeng.com/page/policy\" rel=\"noopener noreferrer\">")
    );
}

#[test]
fn english_labels_have_no_chinese() {
    let mut a = with_sdks();
    a.items[4].statements = vec![Statement {
        question: "q".into(),
        text: t("", "Asked?"),
        answer: Answer::Yes,
        verdict: Verdict::Pass,
        note: None,
        unproven: false,
    }];
    a.items[4].by_statement = true;
    let h = html(&a, &kb(), Lang::En);
    assert!(h.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    // The data that is Chinese only: the app's name and the documents' titles.
    let mut rest = h.replace("示例", "");
    for src in &kb().sources {
        rest = rest.replace(&src.title, "").replace(&src.issuer, "");
    }
    assert_eq!(cjk(&rest), Vec::<char>::new());
    assert!(h.contains("Personal-information compliance assessment"));
    check_nesting(&h).expect("nesting");
}

#[test]
fn summary_counts_and_charts() {
    let a = sample();
    let h = html(&a, &kb(), Lang::Both);
    let sum = Summary::of(&a);
    for (v, n) in &sum.items {
        assert!(h.contains(&format!(
            "<a class=\"card {}{}\" href=\"#items\"><span class=\"n\">{n}</span>",
            esc::verdict_class(*v),
            if *n == 0 { " zero" } else { "" }
        )));
    }
    // donut: one arc per verdict present; the violation's share of 100
    let arcs = sum.items.iter().filter(|(_, n)| *n > 0).count();
    assert_eq!(h.matches("<circle class=\"arc ").count(), arcs);
    assert!(h.contains("class=\"arc v-violation\" cx=\"21\" cy=\"21\" r=\"15.9155\" stroke-dasharray=\"3.226 96.774\" stroke-dashoffset=\"25.000\""));
    assert!(h.contains("<text class=\"total\" x=\"21\" y=\"23.5\">31</text>"));
    // PI types by subject: a row per subject, a segment per type
    assert_eq!(
        h.matches("class=\"bar-row\"").count(),
        sum.pi_by_subject.len()
    );
    assert!(h.contains("应用自身代码 <span class=\"en\">the app&#39;s own code</span>"));
    assert!(h.contains("SDK <code>umeng</code>"));
    assert!(h.contains("<title>位置信息 Location: 1</title>"));
    // findings by severity, app facts
    assert!(
        h.contains("<span class=\"badge sev s-high\">高 high 4</span>"),
        "{h}"
    );
    assert!(h.contains(&"ab".repeat(32)));
    assert!(h.contains("minSdk 21 · targetSdk 22"));
}

#[test]
fn sdk_list_ready_to_paste_and_policy_section() {
    let h = html(&loaded(), &kb(), Lang::Both);
    let table = &h[h.find("<table class=\"sdk-list\">").expect("sdk table")..];
    let table = &table[..table.find("</table>").expect("end")];
    assert_eq!(table.matches("<tr>").count(), 3, "header + high + medium");
    assert!(table.contains("友盟同欣（北京）科技有限公司"));
    assert!(table.contains("统计分析 Analytics"));
    assert!(table.contains("设备标识符 Device identifiers · 位置信息 Location"));
    assert!(table.contains("https://www.jiguang.cn/license/privacy"));
    assert!(!table.contains("穿山甲"), "low confidence below the table");
    assert!(h.contains("<a href=\"#sdk-bytedance.pangle\">穿山甲 Pangle</a>"));
    assert!(h.contains("<details class=\"sdk\" id=\"sdk-umeng.analytics\">"));
    assert!(
        h.contains("<b class=\"warn\">合规初始化：否 compliant start-up: no</b>"),
        "{h}"
    );
    // the policy: elements with their verdicts, sentences with offsets
    let r = loaded().policy.expect("policy");
    for e in &r.elements {
        assert!(
            h.contains(&format!("<td class=\"id\">{}</td>", e.id)),
            "{}",
            e.id
        );
    }
    assert!(h.contains("隐私政策要素"));
    let sig = r
        .elements
        .iter()
        .flat_map(|e| &e.signals)
        .flat_map(|s| &s.evidence)
        .next()
        .expect("a sentence");
    assert!(h.contains(&format!(
        "<span class=\"at\">[{}..{}]</span>",
        sig.start, sig.end
    )));
}

#[test]
fn filter_by_subject_pi_type_and_verdict_and_a4_print() {
    let a = loaded();
    let h = html(&a, &kb(), Lang::Both);
    let bar = &h[h
        .find("<div class=\"filter\" id=\"finding-filter\" hidden>")
        .expect("filter")..];
    let bar = &bar[..bar.find("</div>").expect("end")];
    for key in ["subject", "pi", "verdict"] {
        assert!(bar.contains(&format!("data-filter=\"{key}\"")), "{bar}");
    }
    // Every option matches some card, and every card carries its facets.
    assert!(bar.contains("<option value=\"app\">"), "{bar}");
    assert!(
        h.contains("data-subject=\" app \""),
        "a card of the app's own code"
    );
    for f in &a.findings {
        assert!(
            h.contains(&format!(
                "id=\"{}\" data-id=\"{}\" data-verdict=\"{}\"",
                f.short_id(),
                esc::esc(&f.id),
                f.verdict.as_str()
            )),
            "{}",
            f.id
        );
    }
    assert!(h.contains("@page{size:A4"));
    assert!(h.contains("getElementById(\"finding-filter\")"));
}

/// On paper: a finding's first evidence entries print, the rest are marked
/// not-printed with a line that says how many and where they are; a long
/// chain keeps its head and tail; the manual items with nothing found are
/// one printed line. A short list prints whole (the twin).
#[test]
fn print_keeps_the_first_evidence_and_says_what_it_left_out() {
    use super::findings::PRINT_EVIDENCE;
    let mut a = loaded();
    let code = a.findings[1]
        .evidence
        .iter()
        .find(|e| matches!(e, pipa_engine::Evidence::Code { .. }))
        .expect("a call site")
        .clone();
    a.findings[1].evidence = vec![code.clone(); PRINT_EVIDENCE + 4];
    a.findings[2].evidence = vec![code; PRINT_EVIDENCE];
    let chain_steps: Vec<String> = (0..12).map(|i| format!("Lcom/x/C{i};->m()V")).collect();
    let hops = vec!["call".to_string(); 11];
    if let Some(pipa_engine::Evidence::Chain { steps, hops: h, .. }) = a
        .findings
        .iter_mut()
        .flat_map(|f| f.evidence.iter_mut())
        .find(|e| matches!(e, pipa_engine::Evidence::Chain { .. }))
    {
        *steps = chain_steps;
        *h = hops;
    } else {
        panic!("a chain in the sample");
    }
    let h = html(&a, &kb(), Lang::Both);
    let card = |f: &pipa_engine::Finding| {
        let start = h
            .find(&format!("id=\"{}\" data-id=", f.short_id()))
            .expect("card");
        h[start..start + h[start..].find("</article>").expect("end")].to_string()
    };
    let long = card(&a.findings[1]);
    assert_eq!(long.matches("<li class=\"np\">").count(), 4, "{long}");
    assert!(
        long.contains("……另有 4 条证据未打印，见 HTML 或 JSON 报告"),
        "{long}"
    );
    let short = card(&a.findings[2]);
    assert!(!short.contains("证据未打印"), "{short}");
    // The 12-step chain: 3 head steps, 2 tail steps, 7 cut.
    assert!(h.contains("……中间 7 步未打印，见 HTML 报告"), "chain cut");
    assert!(
        h.contains(
            "<li class=\"np\"><span class=\"hop\">→</span> <code title=\"Lcom/x/C3;-&gt;m()V\">"
        ),
        "step 4 cut"
    );
    assert!(
        !h.contains(
            "<li class=\"np\"><span class=\"hop\">→</span> <code title=\"Lcom/x/C10;-&gt;m()V\">"
        ),
        "tail kept"
    );
    // The print style hides exactly those; the screen shows them.
    assert!(h.contains("ul.ev>li.np,ol.chain>li.np,tr.quiet"));
    assert!(h.contains("li.print-more,.print-only{display:none}"));
}
