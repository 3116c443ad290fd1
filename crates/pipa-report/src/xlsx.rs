//! The Excel workbook (`pipa scan --format xlsx`): one sheet per table —
//! summary, the 31 items, findings, SDKs, sensitive-API call sites,
//! permissions. Every sheet has a bold, frozen header row and an autofilter
//! over its rows; verdict cells are coloured. Every value from the package is
//! written as a string cell (never a formula), cut to Excel's 32,767
//! characters per cell with a marker.
//!
//! Row sheets are sorted worst first, carry numeric rank columns beside the
//! verdict and severity labels (1 = worst: a bilingual label sorts
//! 中 < 低 < 提 < 高), and end with the package, version and SHA-256 of the
//! app, so that the sheets of several workbooks can be stacked.

use crate::Lang;
use crate::fmt::{self, pair, short};
use crate::sarif::legal_text;
use crate::sdk;
use crate::summary::Summary;
use pipa_engine::{Answer, Assessment, Severity, Verdict};
use pipa_kb::Kb;
use rust_xlsxwriter::{Color, Format, FormatAlign, Workbook, Worksheet};

/// Why a workbook could not be written.
pub type XlsxError = Box<dyn std::error::Error + Send + Sync>;

/// Excel's limit of characters (UTF-16 units) in a cell.
const CELL_MAX: usize = 32_767;
/// Appended to a value cut to [`CELL_MAX`].
const TRUNCATED: &str = "\n… [已截断 truncated: see --format json]";
/// Data rows per sheet (Excel's 1,048,576 rows less the header).
const MAX_ROWS: usize = 1_048_575;
/// Excel's limit of characters in a sheet name.
const SHEET_NAME_MAX: usize = 31;

/// A cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    /// Text, written as a string whatever it looks like.
    Text(String),
    /// A number.
    Num(f64),
    /// A verdict, coloured.
    Verdict(Verdict),
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

/// A column: its header, width (characters) and whether long text wraps.
struct Col {
    header: String,
    width: f64,
    wrap: bool,
}

/// One sheet's table.
pub(crate) struct Table {
    /// The sheet name.
    pub name: String,
    cols: Vec<Col>,
    /// The data rows.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    fn new(name: (&str, &str), lang: Lang, cols: &[(&str, &str, f64, bool)]) -> Table {
        Table {
            name: sheet_name(name.0, name.1, lang),
            cols: cols
                .iter()
                .map(|&(zh, en, width, wrap)| Col {
                    header: pair(zh, en, lang),
                    width,
                    wrap,
                })
                .collect(),
            rows: Vec::new(),
        }
    }
}

/// `概要 Summary` or `Summary`, without the characters Excel forbids and
/// cut to 31 characters.
fn sheet_name(zh: &str, en: &str, lang: Lang) -> String {
    let n: String = pair(zh, en, lang)
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(SHEET_NAME_MAX)
        .collect();
    n.trim().trim_matches('\'').to_string()
}

/// `s` cut so that it fits in a cell (UTF-16 units), with a marker.
fn fit(s: &str) -> String {
    if s.encode_utf16().count() <= CELL_MAX {
        return s.to_string();
    }
    let room = CELL_MAX - TRUNCATED.encode_utf16().count();
    let mut used = 0;
    let mut out = String::new();
    for c in s.chars() {
        used += c.len_utf16();
        if used > room {
            break;
        }
        out.push(c);
    }
    out.push_str(TRUNCATED);
    out
}

fn opt(s: Option<&str>) -> Cell {
    Cell::Text(s.unwrap_or("").to_string())
}

/// Rank of a verdict for sorting: 1 (violation) … 5 (not applicable).
pub(crate) fn verdict_rank(v: Verdict) -> u8 {
    match v {
        Verdict::Violation => 1,
        Verdict::Risk => 2,
        Verdict::Manual => 3,
        Verdict::Pass => 4,
        Verdict::NotApplicable => 5,
    }
}

/// Rank of a severity for sorting: 1 (high) … 4 (info).
pub(crate) fn severity_rank(s: Severity) -> u8 {
    match s {
        Severity::High => 1,
        Severity::Medium => 2,
        Severity::Low => 3,
        Severity::Info => 4,
    }
}

/// The headers of the rank columns.
const VERDICT_RANK: (&str, &str, f64, bool) =
    ("结论序（1 最重）", "Verdict rank (1 worst)", 10.0, false);
const SEVERITY_RANK: (&str, &str, f64, bool) =
    ("严重序（1 最高）", "Severity rank (1 highest)", 10.0, false);

/// The columns every row sheet ends with: the app, so that sheets of several
/// workbooks can be stacked.
const APP_COLS: [(&str, &str, f64, bool); 3] = [
    ("应用包名", "App package", 28.0, false),
    ("应用版本", "App version", 14.0, false),
    ("安装包 SHA-256", "APK SHA-256", 20.0, false),
];

/// The cells of [`APP_COLS`].
fn app_cells(a: &Assessment) -> [Cell; 3] {
    [
        a.app.id.as_str().into(),
        app_version(a).into(),
        a.input.sha256.as_str().into(),
    ]
}

/// `2.1.0 (21)`: the version name and code.
fn app_version(a: &Assessment) -> String {
    format!(
        "{} ({})",
        a.app.version_name.as_deref().unwrap_or("—"),
        a.app
            .version_code
            .map_or("—".to_string(), |v| v.to_string())
    )
}

/// `cols` followed by [`APP_COLS`].
fn with_app(
    cols: &[(&'static str, &'static str, f64, bool)],
) -> Vec<(&'static str, &'static str, f64, bool)> {
    cols.iter().copied().chain(APP_COLS).collect()
}

/// The workbook's tables, in sheet order.
pub(crate) fn tables(a: &Assessment, kb: &Kb, lang: Lang) -> Vec<Table> {
    vec![
        summary(a, lang),
        items(a, kb, lang),
        findings(a, lang),
        sdks(a, kb, lang),
        apis(a, kb, lang),
        permissions(a, kb, lang),
    ]
}

fn summary(a: &Assessment, lang: Lang) -> Table {
    let mut t = Table::new(
        ("概要", "Summary"),
        lang,
        &[("项目", "Field", 34.0, false), ("值", "Value", 90.0, true)],
    );
    let app = &a.app;
    let sum = Summary::of(a);
    // An incomplete assessment says so in the first rows.
    let mut rows: Vec<(String, Cell)> = crate::coverage::banner(a, lang)
        .map(|lines| {
            let keys = [
                pair("评估不完整", "INCOMPLETE", lang),
                pair("不能支持的结论", "Cannot support", lang),
                pair("未读取", "Not read", lang),
            ];
            keys.into_iter()
                .zip(lines)
                .map(|(k, l)| (k, Cell::from(l)))
                .collect()
        })
        .unwrap_or_default();
    rows.extend(
        crate::priorities::xlsx_rows(a, lang)
            .into_iter()
            .map(|(k, v)| (k, Cell::from(v))),
    );
    rows.extend([
        (pair("应用", "App", lang), opt(app.name.as_deref())),
        (pair("包名", "Package", lang), app.id.as_str().into()),
        (pair("版本", "Version", lang), app_version(a).into()),
        (
            pair("平台", "Platform", lang),
            format!(
                "{} · minSdk {} · targetSdk {}",
                app.platform, app.min_sdk, app.target_sdk
            )
            .into(),
        ),
        (pair("文件", "File", lang), a.input.path.as_str().into()),
        ("SHA-256".into(), a.input.sha256.as_str().into()),
        (
            pair("工具", "Tool", lang),
            format!("{} {} ({})", a.tool.name, a.tool.version, a.schema).into(),
        ),
    ]);
    rows.extend(
        crate::provenance::rows(a, lang)
            .into_iter()
            .map(|(k, v)| (k, v.into())),
    );
    for (v, n) in &sum.items {
        rows.push((
            format!(
                "{}: {}",
                pair("条款", "Items", lang),
                fmt::verdict(*v, lang)
            ),
            Cell::Num(*n as f64),
        ));
    }
    if sum.declared > 0 {
        // Apart from the verdicts: the developer's word, never a pass.
        rows.push((
            format!(
                "{}: {}",
                pair("条款", "Items", lang),
                crate::statements::declared_count(&sum, lang).unwrap_or_default()
            ),
            Cell::Num(sum.declared as f64),
        ));
    }
    rows.push((
        pair("代码覆盖", "Coverage", lang),
        crate::coverage::figures(&a.coverage, lang).into(),
    ));
    rows.push((
        pair("发现", "Findings", lang),
        Cell::Num(a.findings.len() as f64),
    ));
    for (s, n) in &sum.findings {
        rows.push((
            format!(
                "{}: {}",
                pair("发现", "Findings", lang),
                fmt::severity(*s, lang)
            ),
            Cell::Num(*n as f64),
        ));
    }
    if let Some(b) = &a.baseline {
        rows.push((
            pair("基线接受的发现", "Findings accepted by the baseline", lang),
            Cell::Num(b.accepted.len() as f64),
        ));
    }
    rows.push((
        pair("第三方 SDK", "Third-party SDKs", lang),
        sdk::counts(a, lang).into(),
    ));
    if let Some(fp) = sdk::first_party(a, lang) {
        rows.push((pair("自有代码", "First-party code", lang), fp.into()));
    }
    rows.push((
        pair("敏感 API 调用点", "Sensitive-API call sites", lang),
        Cell::Num(a.api_uses.len() as f64),
    ));
    rows.push((
        pair("权限", "Permissions", lang),
        Cell::Num(a.permissions.len() as f64),
    ));
    if let Some(p) = &a.policy {
        rows.push((
            pair("隐私政策", "Privacy policy", lang),
            p.source.url.as_deref().unwrap_or(&p.source.path).into(),
        ));
    }
    if let Some(c) = &a.category {
        rows.push((
            pair("应用类型", "App type", lang),
            short(&c.name, lang).into(),
        ));
    }
    if let Some(ans) = &a.answers {
        rows.push((
            pair("开发者答卷", "Developer's answers", lang),
            format!("{} ({}/{})", ans.source, ans.answered, ans.questions).into(),
        ));
    }
    rows.push((
        pair("读取异常", "Anomalies", lang),
        Cell::Num(a.anomalies.len() as f64),
    ));
    t.rows = rows.into_iter().map(|(k, v)| vec![k.into(), v]).collect();
    t
}

fn items(a: &Assessment, kb: &Kb, lang: Lang) -> Table {
    let mut t = Table::new(
        ("条款", "Items"),
        lang,
        &with_app(&[
            ("条款", "Item", 10.0, false),
            ("类别", "Category", 24.0, true),
            ("标题", "Title", 36.0, true),
            ("条文", "Legal text", 70.0, true),
            ("结论", "Verdict", 16.0, false),
            VERDICT_RANK,
            ("发现数", "Findings", 10.0, false),
            ("发现", "Finding ids", 30.0, true),
            ("说明", "Note", 50.0, true),
            ("开发者声明", "Developer's statements", 50.0, true),
            ("自述（未核实）", "Declared (not verified)", 24.0, true),
        ]),
    );
    // Worst first; the legal order within a verdict.
    let mut order: Vec<&pipa_engine::ItemResult> = a.items.iter().collect();
    order.sort_by_key(|it| verdict_rank(it.verdict));
    for it in order {
        let rule = kb.rule(&it.id);
        let category = rule
            .and_then(|r| r.category.as_ref())
            .map(|c| short(c, lang))
            .unwrap_or_default();
        let legal = legal_text(kb, &it.id, lang);
        let ids: Vec<String> = it
            .findings
            .iter()
            .filter_map(|&i| a.findings.get(i))
            .map(|f| f.short_id())
            .collect();
        let note = it
            .note
            .as_ref()
            .map(|n| fmt::lines(n, lang).join("\n"))
            .unwrap_or_default();
        let statements: Vec<String> = it
            .statements
            .iter()
            .map(|s| {
                let answer = match s.answer {
                    Answer::Yes => "yes",
                    Answer::No => "no",
                    Answer::Na => "n/a",
                };
                let mut line = format!("{} {}: {answer}", s.question, short(&s.text, lang));
                if s.unproven {
                    line.push_str(&format!(" [{}]", crate::statements::unproven_word(lang)));
                }
                if let Some(n) = &s.note {
                    line.push_str(" — ");
                    line.push_str(n);
                }
                line
            })
            .collect();
        t.rows.push(vec![
            it.id.as_str().into(),
            category.into(),
            fmt::rule_title(kb, &it.id, lang).into(),
            legal.get(1..).unwrap_or_default().join("\n").into(),
            Cell::Verdict(it.verdict),
            Cell::Num(f64::from(verdict_rank(it.verdict))),
            Cell::Num(it.findings.len() as f64),
            ids.join("\n").into(),
            note.into(),
            statements.join("\n").into(),
            crate::statements::declared(it, lang)
                .unwrap_or_default()
                .into(),
        ]);
        t.rows.last_mut().expect("a row").extend(app_cells(a));
    }
    t
}

fn findings(a: &Assessment, lang: Lang) -> Table {
    let mut t = Table::new(
        ("发现", "Findings"),
        lang,
        &with_app(&[
            ("编号", "Id", 14.0, false),
            ("检查", "Check", 30.0, false),
            ("结论", "Verdict", 16.0, false),
            VERDICT_RANK,
            ("严重程度", "Severity", 12.0, false),
            SEVERITY_RANK,
            ("条款", "Rules", 14.0, true),
            ("标题", "Title", 40.0, true),
            ("描述", "Description", 60.0, true),
            ("证据", "Evidence", 90.0, true),
            ("整改建议", "Remediation", 50.0, true),
            ("基线接受", "Accepted", 12.0, false),
            ("理由", "Justification", 40.0, true),
        ]),
    );
    // Worst first: verdict, then severity, then the engine's order.
    let mut order: Vec<usize> = (0..a.findings.len()).collect();
    order.sort_by_key(|&i| {
        let f = &a.findings[i];
        (verdict_rank(f.verdict), severity_rank(f.severity))
    });
    for i in order {
        let f = &a.findings[i];
        let evidence: Vec<String> = f
            .evidence
            .iter()
            .map(|e| fmt::evidence(e, lang, |s| s.to_string()))
            .collect();
        let acc = a.accepted(i);
        let justification = acc
            .map(|x| {
                let mut s = x.justification.clone();
                if let Some(by) = &x.by {
                    s.push_str(&format!(" ({by})"));
                }
                if let Some(until) = &x.until {
                    s.push_str(&format!(" → {until}"));
                }
                s
            })
            .unwrap_or_default();
        t.rows.push(vec![
            f.short_id().into(),
            f.id.as_str().into(),
            Cell::Verdict(f.verdict),
            Cell::Num(f64::from(verdict_rank(f.verdict))),
            fmt::severity(f.severity, lang).into(),
            Cell::Num(f64::from(severity_rank(f.severity))),
            f.rule_ids.join("\n").into(),
            short(&f.title, lang).into(),
            fmt::lines(&fmt::description_with_caveats(a, f), lang)
                .join("\n")
                .into(),
            evidence.join("\n").into(),
            fmt::lines(&f.remediation, lang).join("\n").into(),
            sdk::initialized(acc.is_some(), lang).into(),
            justification.into(),
        ]);
        t.rows.last_mut().expect("a row").extend(app_cells(a));
    }
    t
}

fn sdks(a: &Assessment, kb: &Kb, lang: Lang) -> Table {
    let mut t = Table::new(
        ("SDK", "SDKs"),
        lang,
        &with_app(&[
            ("编号", "Id", 24.0, false),
            ("名称", "Name", 28.0, true),
            ("厂商", "Vendor", 30.0, true),
            ("类别", "Category", 16.0, false),
            ("置信度", "Confidence", 12.0, false),
            (
                "收集的个人信息（厂商声明）",
                "PI collected (vendor)",
                36.0,
                true,
            ),
            (
                "代码中观察到的个人信息",
                "PI observed in its code",
                36.0,
                true,
            ),
            ("版本", "Version", 12.0, false),
            ("已初始化", "Initialised", 24.0, true),
            ("网站", "Website", 30.0, false),
            ("隐私政策", "Privacy policy", 40.0, false),
        ]),
    );
    for s in &a.sdks {
        t.rows.push(vec![
            s.id.as_str().into(),
            sdk::name(s, lang).into(),
            sdk::vendor(s, lang).into(),
            sdk::category(s, lang).into(),
            sdk::confidence_cell(s, lang).into(),
            sdk::pi_list(kb, &s.collects, lang).into(),
            sdk::observed(kb, s, lang, "*").0.into(),
            sdk::version(s).into(),
            sdk::initialized_cell(s, lang).into(),
            opt(s.website.as_deref()),
            opt(s.privacy_policy.as_deref()),
        ]);
        t.rows.last_mut().expect("a row").extend(app_cells(a));
    }
    t
}

fn apis(a: &Assessment, kb: &Kb, lang: Lang) -> Table {
    let mut t = Table::new(
        ("API", "APIs"),
        lang,
        &with_app(&[
            ("API", "API", 60.0, false),
            ("编号", "API id", 28.0, false),
            ("个人信息类型", "PI type", 24.0, false),
            ("主体", "Subject", 24.0, false),
            ("调用方法", "Caller", 70.0, false),
            ("DEX", "Dex", 14.0, false),
            ("偏移（代码单元）", "Offset (code units)", 12.0, false),
            ("可达性", "Reach", 12.0, false),
            ("权限", "Permission", 14.0, false),
        ]),
    );
    // Worst first: calls that can run and succeed, then the others.
    let mut order: Vec<&pipa_engine::ApiUse> = a.api_uses.iter().collect();
    order.sort_by_key(|u| !u.is_effective());
    for u in order {
        t.rows.push(vec![
            u.api.as_str().into(),
            u.api_id.as_str().into(),
            fmt::pi_name(kb, &u.pi_type, lang).into(),
            u.subject.as_str().into(),
            u.caller.as_str().into(),
            u.dex.as_str().into(),
            Cell::Num(f64::from(u.offset)),
            fmt::site_reach(u.reach, lang).into(),
            fmt::site_permission(u.permission, lang).into(),
        ]);
        t.rows.last_mut().expect("a row").extend(app_cells(a));
    }
    t
}

fn permissions(a: &Assessment, kb: &Kb, lang: Lang) -> Table {
    let mut t = Table::new(
        ("权限", "Permissions"),
        lang,
        &with_app(&[
            ("权限", "Permission", 50.0, false),
            ("危险权限", "Dangerous", 12.0, false),
            ("保护级别", "Protection", 16.0, false),
            ("个人信息类型", "PI types", 40.0, true),
            ("maxSdkVersion", "maxSdkVersion", 14.0, false),
        ]),
    );
    // Worst first: dangerous permissions, then the others.
    let mut order: Vec<&pipa_engine::PermissionUse> = a.permissions.iter().collect();
    order.sort_by_key(|p| !p.dangerous);
    for p in order {
        t.rows.push(vec![
            p.name.as_str().into(),
            sdk::initialized(p.dangerous, lang).into(),
            p.protection.as_str().into(),
            sdk::pi_list(kb, &p.pi_types, lang).into(),
            p.max_sdk
                .map_or(Cell::Text(String::new()), |m| Cell::Num(m as f64)),
        ]);
        t.rows.last_mut().expect("a row").extend(app_cells(a));
    }
    t
}

/// Fill colour of a verdict cell.
fn verdict_color(v: Verdict) -> u32 {
    match v {
        Verdict::Violation => 0xF4CCCC,
        Verdict::Risk => 0xFCE5CD,
        Verdict::Manual => 0xFFF2CC,
        Verdict::Pass => 0xD9EAD3,
        Verdict::NotApplicable => 0xEEEEEE,
    }
}

/// The assessment as an .xlsx workbook (bytes).
pub fn xlsx(a: &Assessment, kb: &Kb, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    for t in tables(a, kb, lang) {
        write_table(wb.add_worksheet(), &t, lang)?;
    }
    Ok(wb.save_to_buffer()?)
}

fn write_table(ws: &mut Worksheet, t: &Table, lang: Lang) -> Result<(), XlsxError> {
    ws.set_name(&t.name)?;
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xD9D9D9))
        .set_text_wrap();
    let plain = Format::new().set_align(FormatAlign::Top);
    let wrap = Format::new().set_align(FormatAlign::Top).set_text_wrap();
    for (c, col) in t.cols.iter().enumerate() {
        let c = c as u16;
        ws.set_column_width(c, col.width)?;
        ws.write_string_with_format(0, c, fit(&col.header), &header)?;
    }
    let mut last = 0u32;
    for (r, row) in t.rows.iter().take(MAX_ROWS).enumerate() {
        let r = r as u32 + 1;
        last = r;
        for (c, cell) in row.iter().enumerate() {
            let fmt_ = if t.cols.get(c).is_some_and(|x| x.wrap) {
                &wrap
            } else {
                &plain
            };
            let c = c as u16;
            match cell {
                Cell::Text(s) => {
                    ws.write_string_with_format(r, c, fit(s), fmt_)?;
                }
                Cell::Num(n) => {
                    ws.write_number_with_format(r, c, *n, fmt_)?;
                }
                Cell::Verdict(v) => {
                    let f = Format::new()
                        .set_align(FormatAlign::Top)
                        .set_background_color(Color::RGB(verdict_color(*v)));
                    ws.write_string_with_format(r, c, fmt::verdict(*v, lang), &f)?;
                }
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    let last_col = t.cols.len().saturating_sub(1) as u16;
    ws.autofilter(0, 0, last, last_col)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::{kb, sample, with_sdks};
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    use pipa_engine::Evidence;
    use std::io::{Cursor, Read};

    fn read(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
        open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("calamine opens it")
    }

    fn text(d: &Data) -> String {
        match d {
            Data::String(s) => s.clone(),
            Data::Empty => String::new(),
            other => other.to_string(),
        }
    }

    /// The XML of every worksheet part in the package.
    fn sheet_xml(bytes: &[u8]) -> Vec<String> {
        parts(bytes, "xl/worksheets/sheet")
    }

    /// The parts of the package whose names start with `prefix`.
    fn parts(bytes: &[u8], prefix: &str) -> Vec<String> {
        let mut z = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
        let names: Vec<String> = z
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .filter(|n| n.starts_with(prefix))
            .collect();
        let mut out = Vec::new();
        for n in names {
            let mut s = String::new();
            z.by_name(&n)
                .expect("entry")
                .read_to_string(&mut s)
                .expect("utf-8");
            out.push(s);
        }
        out
    }

    #[test]
    fn sheets_headers_and_row_counts() {
        let a = with_sdks();
        let bytes = xlsx(&a, &kb(), Lang::Both).expect("workbook");
        let mut wb = read(&bytes);
        assert_eq!(
            wb.sheet_names(),
            [
                "概要 Summary",
                "条款 Items",
                "发现 Findings",
                "SDK SDKs",
                "API APIs",
                "权限 Permissions"
            ]
        );
        let count = |wb: &mut Xlsx<_>, name: &str| {
            wb.worksheet_range(name).expect("sheet").rows().count() - 1
        };
        assert_eq!(count(&mut wb, "条款 Items"), 31);
        assert_eq!(count(&mut wb, "发现 Findings"), a.findings.len());
        assert_eq!(count(&mut wb, "SDK SDKs"), a.sdks.len());
        assert_eq!(count(&mut wb, "API APIs"), a.api_uses.len());
        assert_eq!(count(&mut wb, "权限 Permissions"), a.permissions.len());
        let items = wb.worksheet_range("条款 Items").expect("items");
        let header: Vec<String> = items
            .rows()
            .next()
            .expect("header")
            .iter()
            .map(text)
            .collect();
        assert_eq!(header[0], "条款 Item");
        assert_eq!(header[4], "结论 Verdict");
        let row = items
            .rows()
            .find(|r| text(&r[0]) == "191-3.3")
            .expect("191-3.3");
        assert_eq!(text(&row[4]), "违规 violation");
        assert!(
            text(&row[3]).contains("认定条文191-3.3")
                && text(&row[3]).contains("Gloss of 191-3.3.")
        );
        let legacy = a.findings.iter().find(|f| f.id == "perm.legacy_target");
        assert_eq!(text(&row[7]), legacy.expect("finding").short_id());
        let f = wb.worksheet_range("发现 Findings").expect("findings");
        let chain = f
            .rows()
            .find(|r| text(&r[1]) == "before_consent.app")
            .expect("chain");
        assert!(
            text(&chain[9]).contains("com.example.app.App.onCreate"),
            "{}",
            text(&chain[9])
        );
        let summary = wb.worksheet_range("概要 Summary").expect("summary");
        assert!(summary.rows().any(|r| text(&r[1]) == "ab".repeat(32)));
        // frozen bold header, autofilter, coloured verdicts
        let xml = sheet_xml(&bytes);
        assert_eq!(xml.len(), 6);
        for s in &xml {
            assert!(s.contains("<autoFilter ref=\"A1:"), "{s}");
            assert!(s.contains("state=\"frozen\""));
        }
        assert!(
            xml[1].contains("<autoFilter ref=\"A1:N32\""),
            "31 rows and a header, 14 columns"
        );
        let styles = parts(&bytes, "xl/styles.xml").concat();
        for v in crate::fmt::VERDICTS {
            assert!(
                styles.contains(&format!("FF{:06X}", verdict_color(v))),
                "{v:?}"
            );
        }
        assert!(styles.contains("<b/>"), "bold header");
    }

    #[test]
    fn english_names_and_empty_tables() {
        let bytes = xlsx(&sample(), &kb(), Lang::En).expect("workbook");
        let mut wb = read(&bytes);
        assert_eq!(
            wb.sheet_names(),
            [
                "Summary",
                "Items",
                "Findings",
                "SDKs",
                "APIs",
                "Permissions"
            ]
        );
        let sdks = wb.worksheet_range("SDKs").expect("sdks");
        assert_eq!(sdks.rows().count(), 1, "header only");
        let xml = sheet_xml(&bytes);
        assert!(xml[3].contains("<autoFilter ref=\"A1:N1\""));
    }

    #[test]
    fn hostile_strings_stay_strings_and_huge_ones_are_cut() {
        let mut a = sample();
        let hostile = "=cmd|' /C calc'!A0";
        a.api_uses[0].caller = hostile.into();
        a.api_uses[1].caller = "+SUM(1,2)\u{1}\u{7}_x0041_".into();
        a.findings[0].evidence.push(Evidence::String {
            value: "@".repeat(100_000),
            locations: vec![],
        });
        a.app.name = Some("-2+3".into());
        let bytes = xlsx(&a, &kb(), Lang::En).expect("no error on hostile input");
        let mut wb = read(&bytes);
        for name in wb.sheet_names() {
            let formulas = wb.worksheet_formula(&name).expect("formulas");
            assert!(
                formulas.used_cells().all(|(_, _, f)| f.is_empty()),
                "{name} has formulas"
            );
        }
        let api = wb.worksheet_range("APIs").expect("apis");
        let callers: Vec<String> = api.rows().skip(1).map(|r| text(&r[4])).collect();
        assert!(callers.contains(&hostile.to_string()));
        assert!(callers.contains(&"+SUM(1,2)\u{1}\u{7}_x0041_".to_string()));
        let f = wb.worksheet_range("Findings").expect("findings");
        let id = a.findings[0].short_id();
        let ev = text(&f.rows().find(|r| text(&r[0]) == id).expect("row")[9]);
        assert!(ev.encode_utf16().count() <= CELL_MAX);
        assert!(ev.ends_with(TRUNCATED), "marker");
        let summary = wb.worksheet_range("Summary").expect("summary");
        // The "what to fix first" rows come first; then the app.
        let app = summary
            .rows()
            .find(|r| text(&r[0]) == "App")
            .expect("app row");
        assert_eq!(app[1], Data::String("-2+3".into()));
    }

    #[test]
    fn fit_and_sheet_names() {
        assert_eq!(fit("abc"), "abc");
        let long = "中".repeat(40_000);
        let cut = fit(&long);
        assert!(cut.encode_utf16().count() <= CELL_MAX && cut.ends_with(TRUNCATED));
        let astral = "😀".repeat(20_000); // two UTF-16 units each
        assert!(fit(&astral).encode_utf16().count() <= CELL_MAX);
        assert_eq!(sheet_name("a[b]", "c:d*e?f/g\\h", Lang::En), "cdefgh");
        assert_eq!(
            sheet_name("x", &"y".repeat(40), Lang::En).chars().count(),
            31
        );
    }

    #[test]
    fn accepted_findings_show_their_justification() {
        let mut a = sample();
        a.baseline = Some(pipa_engine::BaselineInfo {
            source: "b.yaml".into(),
            accepted: vec![pipa_engine::Accepted {
                finding: 1,
                id: a.findings[1].id.clone(),
                justification: "disclosed".into(),
                by: None,
                until: Some("2030-01-01".into()),
            }],
            ..Default::default()
        });
        let t = findings(&a, Lang::En);
        let row = |i: usize| {
            let id = Cell::Text(a.findings[i].short_id());
            t.rows.iter().find(|r| r[0] == id).expect("row")
        };
        assert_eq!(row(1)[11], Cell::Text("yes".into()));
        assert_eq!(row(1)[12], Cell::Text("disclosed → 2030-01-01".into()));
        assert_eq!(row(0)[11], Cell::Text("no".into()));
    }

    /// Read back with calamine: the rank columns are numbers, each row
    /// sheet is sorted worst first by them, and every row names the app.
    #[test]
    fn rank_columns_sort_and_every_row_names_the_app() {
        let a = with_sdks();
        let bytes = xlsx(&a, &kb(), Lang::Both).expect("workbook");
        let mut wb = read(&bytes);
        let col = |r: &calamine::Range<Data>, name: &str| -> usize {
            r.rows()
                .next()
                .expect("header")
                .iter()
                .position(|h| text(h) == name)
                .unwrap_or_else(|| panic!("column {name}"))
        };
        let num = |d: &Data| match d {
            Data::Float(f) => *f,
            other => panic!("not a number: {other:?}"),
        };
        for (sheet, ranks) in [
            (
                "条款 Items",
                vec!["结论序（1 最重） Verdict rank (1 worst)"],
            ),
            (
                "发现 Findings",
                vec![
                    "结论序（1 最重） Verdict rank (1 worst)",
                    "严重序（1 最高） Severity rank (1 highest)",
                ],
            ),
            ("SDK SDKs", vec![]),
            ("API APIs", vec![]),
            ("权限 Permissions", vec![]),
        ] {
            let r = wb.worksheet_range(sheet).expect("sheet");
            let idx: Vec<usize> = ranks.iter().map(|n| col(&r, n)).collect();
            let keys: Vec<Vec<f64>> = r
                .rows()
                .skip(1)
                .map(|row| idx.iter().map(|&i| num(&row[i])).collect())
                .collect();
            let mut sorted = keys.clone();
            sorted.sort_by(|x, y| x.partial_cmp(y).expect("numbers"));
            assert_eq!(keys, sorted, "{sheet}: worst first");
            let (p, v, h) = (
                col(&r, "应用包名 App package"),
                col(&r, "应用版本 App version"),
                col(&r, "安装包 SHA-256 APK SHA-256"),
            );
            for row in r.rows().skip(1) {
                assert_eq!(text(&row[p]), a.app.id, "{sheet}");
                assert_eq!(text(&row[v]), app_version(&a), "{sheet}");
                assert_eq!(text(&row[h]), a.input.sha256, "{sheet}");
            }
        }
        // The ranks agree with the labels beside them.
        let f = wb.worksheet_range("发现 Findings").expect("findings");
        let (v, vr) = (
            col(&f, "结论 Verdict"),
            col(&f, "结论序（1 最重） Verdict rank (1 worst)"),
        );
        for row in f.rows().skip(1) {
            let verdict = crate::fmt::VERDICTS
                .into_iter()
                .find(|x| crate::fmt::verdict(*x, Lang::Both) == text(&row[v]))
                .expect("a verdict label");
            assert_eq!(num(&row[vr]), f64::from(verdict_rank(verdict)));
        }
        assert!(f.rows().count() > 2, "something to sort");
        assert_eq!(verdict_rank(Verdict::Violation), 1);
        assert!(severity_rank(Severity::High) < severity_rank(Severity::Info));
    }
}
