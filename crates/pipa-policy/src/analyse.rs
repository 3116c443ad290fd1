//! From a [`Document`] to a [`PolicyReport`]: one pass of each automaton
//! over the text, sentence by sentence context, then the elements.

use crate::document::{BlockKind, Document};
use crate::lexicon::{Cue, Lexicon, is_han};
use crate::model::*;
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

/// Sentences kept as evidence per declaration.
const MAX_EVIDENCE: usize = 6;
/// Sentences kept as evidence per element signal.
pub(crate) const MAX_SIGNAL_EVIDENCE: usize = 3;
/// How far (characters) after 例如/包括但不限于 a PI term makes the list open.
const VAGUE_AHEAD: usize = 40;

/// Cue words of one sentence.
#[derive(Debug, Clone, Default)]
struct Cues {
    /// Collection verbs: character range, weak.
    verbs: Vec<(usize, usize, bool)>,
    /// The sentence's own role (index into the lexicon's roles), if any.
    role: Option<usize>,
    /// PI types whose terms have another sense here, with the word.
    senses: Vec<(usize, usize)>,
    negations: Vec<usize>,
    vague: Vec<(usize, usize, bool)>,
    sensitive: bool,
    third_party: bool,
    permission: bool,
    response: bool,
}

/// Context of a block from the headings above it (and its table's header).
#[derive(Debug, Clone, Copy, Default)]
struct Section {
    /// Role of the innermost heading with one (or the table's header).
    role: Option<usize>,
    third_party: bool,
    permission: bool,
}

struct Ctx<'a> {
    doc: &'a Document,
    lex: &'a Lexicon,
    cues: Vec<Cues>,
    sections: Vec<Section>,
    /// Byte ranges of the URLs in the text: no term, name or permission
    /// word inside one counts (HMSCore in …/HMSCore-Guides/…).
    urls: Vec<(usize, usize)>,
}

impl Ctx<'_> {
    /// Whether byte offset `b` of the text is inside a URL.
    fn in_url(&self, b: usize) -> bool {
        let i = self.urls.partition_point(|&(_, e)| e <= b);
        self.urls.get(i).is_some_and(|&(s, _)| s <= b)
    }
}

fn re(cell: &'static OnceLock<Regex>, pat: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pat).unwrap_or_else(|e| panic!("static regex {pat}: {e}")))
}

fn company_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"[\p{Han}A-Za-z0-9（）()]{2,40}?(?:股份有限公司|有限责任公司|有限公司|集团公司|工作室)",
    )
}
fn email_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}",
    )
}
fn phone_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"(?:\+?86[\s\-]?)?(?:1[3-9]\d{9}|400[\s\-]?\d{3}[\s\-]?\d{4}|800[\s\-]?\d{3}[\s\-]?\d{4}|0\d{2,3}[\s\-]?\d{7,8}|\(0\d{2,3}\)\s?\d{7,8})",
    )
}
fn address_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"(?:地址|住所|所在地)\s*(?:为|是)?\s*[:：]?\s*([\p{Han}A-Za-z0-9（）()\-#、]{6,60}(?:号|室|楼|层|座|栋|大厦|园区|中心|路|街|道))",
    )
}
fn date_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"(\d{4})\s*(?:年|[-/.])\s*(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})\s*日?",
    )
}
fn days_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"(\d{1,3}|[零一二两三四五六七八九十百]{1,4})\s*(?:个)?\s*(工作日|自然日|日|天)",
    )
}
pub(crate) fn url_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]+")
}
fn permission_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"android\.permission\.[A-Z_]{3,60}")
}
fn sdk_name_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"([A-Za-z0-9\p{Han}+·\-]{2,16}?)\s?(?:SDK|sdk)")
}

/// Words that open a name that is no name (该SDK, 第三方SDK).
const NOT_A_NAME: &[&str] = &[
    "第三方",
    "该",
    "此",
    "上述",
    "相关",
    "本",
    "其",
    "以下",
    "各",
    "部分",
    "这些",
    "下列",
    "其他",
    "其它",
    "前述",
    "所述",
    "有关",
    "任何",
    "使用",
    "接入",
    "嵌入",
    "集成",
    "通过",
    "提供",
    "我们",
    "这类",
    "此类",
    "该类",
    "等",
    "的",
    "及",
    "和",
    "与",
    "或",
    "如",
    "他们",
    "它们",
    "您",
];

/// Words of running text that the characters before “SDK” may run through:
/// the name starts after the last of them (接入了下表所列的第三方SDK names no
/// SDK; 我们集成了腾讯BuglySDK names 腾讯Bugly).
const NAME_AFTER: &[&str] = &[
    "的",
    "了",
    "第三方",
    "接入",
    "集成",
    "嵌入",
    "使用",
    "采用",
    "通过",
    "所列",
    "以下",
    "下列",
    "如下",
    "这些",
    "相关",
    "合作方",
    "我们",
    "例如",
    "比如",
    "譬如",
    "诸如",
    "包括",
    "如：",
];

/// Verbs after which the words before “SDK” are the subject that uses it
/// (华为会通过SDK收集: 华为).
const NAME_VERBS: &[&str] = &["通过", "使用", "采用", "接入", "集成", "嵌入"];
/// Auxiliaries between such a subject and its verb.
const AUXILIARIES: &[char] = &[
    '会', '将', '也', '还', '均', '都', '亦', '可', '能', '需', '要',
];

/// The name in the run of characters before “SDK” (`[A-Za-z0-9\p{Han}+·-]`,
/// up to 16): what follows the last word of running text, or the subject of
/// a verb the run ends with; `None` when no name is left.
fn sdk_name(run: &str) -> Option<&str> {
    let mut name = run.trim_start_matches(['、', '，', '（', '(', '“', '"']);
    for _ in 0..2 {
        let Some(i) = NAME_AFTER
            .iter()
            .filter_map(|w| name.rfind(w).map(|i| i + w.len()))
            .max()
        else {
            break;
        };
        if i < name.len() {
            name = &name[i..];
            break;
        }
        // The run ends with a marker: a verb leaves its subject, else nothing.
        let verb = NAME_VERBS.iter().find(|v| name.ends_with(**v))?;
        name = name[..name.len() - verb.len()].trim_end_matches(AUXILIARIES);
    }
    let n = name.chars().count();
    let bad = NOT_A_NAME.iter().any(|p| name.starts_with(p))
        || n < 2
        || only_kinds(name)
        || name.ends_with(DETERMINERS)
        || (name.chars().all(is_han) && n > MAX_HAN_NAME);
    (!bad).then_some(name)
}

/// Characters ending a run of text before “SDK” that make it no name (各SDK,
/// 该SDK: each, that SDK).
const DETERMINERS: &[char] = &['各', '该', '此', '其', '本', '每', '等', '这', '那', '些'];
/// Longest name before “SDK” written in Han characters only: longer runs are
/// running text (发现不一致时暂停发布并要求SDK).
const MAX_HAN_NAME: usize = 8;

/// Kinds of SDK: “统计SDK”, “广告类SDK”, “消息推送SDK” name no party.
const SDK_KINDS: &[&str] = &[
    "统计",
    "分析",
    "数据",
    "广告",
    "推送",
    "消息",
    "分享",
    "社交",
    "登录",
    "一键",
    "授权",
    "支付",
    "地图",
    "定位",
    "导航",
    "客服",
    "更新",
    "升级",
    "安全",
    "风控",
    "崩溃",
    "性能",
    "监测",
    "监控",
    "认证",
    "验证",
    "识别",
    "人脸",
    "实名",
    "直播",
    "视频",
    "音视频",
    "音频",
    "播放器",
    "播放",
    "图片",
    "加固",
    "热修复",
    "修复",
    "埋点",
    "聊天",
    "即时通讯",
    "通讯",
    "语音",
    "扫码",
    "小程序",
    "厂商",
    "系统",
    "第三方",
    "外部",
    "其他",
    "其它",
    "功能",
    "服务",
    "类",
    "相关",
    "和",
    "及",
    "与",
    "、",
];

/// Whether `name` is made of kinds of SDK only (统计分析, 消息推送类).
fn only_kinds(name: &str) -> bool {
    let mut rest = name;
    while !rest.is_empty() {
        let Some(k) = SDK_KINDS
            .iter()
            .filter(|k| rest.starts_with(**k))
            .max_by_key(|k| k.len())
        else {
            return false;
        };
        rest = &rest[k.len()..];
    }
    true
}

/// Characters written only in Traditional Chinese (a sample of common ones;
/// 191-1.4 asks for a Simplified Chinese version). None of them is written
/// the same in Simplified Chinese (集 存 除 撤 告 置 域 are: 收集, 存储, 删除,
/// 撤回, 告知, 设置, 区域 — tested).
const TRADITIONAL: &str = "個資隱權們護與時對說這為於關將條並會從開應讀據絡號碼聯繫電話務數單處當後說確認則還會過選擇隨變態網頁據閱讀請與記錄裝設備進監測區實際體驗訊廣錄製瀏覽種類屬報導買賣銀帳戶簽證認證須產業響應規範內經濟獲採儲刪銷諮詢協議營運";

/// Analyses `doc` with `lex`.
pub fn analyse(doc: &Document, lex: &Lexicon, source: Source) -> PolicyReport {
    let mut ctx = Ctx {
        doc,
        lex,
        cues: vec![Cues::default(); doc.sentences.len()],
        sections: Vec::new(),
        urls: url_re()
            .find_iter(&doc.text)
            .map(|m| (m.start(), m.end()))
            .collect(),
    };
    cues(&mut ctx);
    roles(&mut ctx);
    sections(&mut ctx);
    let (pi_types, pi_denied, vague, pi_by_sentence, near_misses) = pi(&ctx);
    let third_parties = third_parties(&ctx, &pi_by_sentence);
    let permissions = permissions(&ctx);
    let time_limits = time_limits(&ctx);
    let (operator, contacts) = operator_and_contacts(&ctx);
    let dates = dates(&ctx);
    let language = language(doc);
    let stats = Stats {
        sentences: doc.sentences.len(),
        headings: doc
            .blocks
            .iter()
            .filter(|b| matches!(b.kind, BlockKind::Heading(_)))
            .count(),
        table_rows: doc
            .blocks
            .iter()
            .filter(|b| b.kind == BlockKind::TableRow)
            .count(),
        longest_sentence: doc
            .sentences
            .iter()
            .map(|s| s.end - s.start)
            .max()
            .unwrap_or(0),
    };
    let title = title(doc).map(|t| t.chars().take(80).collect());
    let mut report = PolicyReport {
        schema: SCHEMA,
        source,
        title,
        operator,
        contacts,
        dates,
        language,
        stats,
        pi_types,
        pi_denied,
        vague,
        third_parties,
        permissions,
        time_limits,
        elements: Vec::new(),
        near_misses,
    };
    report.elements = crate::elements::evaluate(doc, lex, &report);
    report
}

/// Words a policy's title has (隐私政策, 隐私权政策, 隐私保护指引, 个人信息保护政策).
const TITLE_WORDS: &[&str] = &["隐私", "政策", "指引", "个人信息保护"];

/// The title: a short line naming the policy before the first heading (a
/// plain-text title is no numbered heading), else the first heading, else
/// the first block.
fn title(doc: &Document) -> Option<&str> {
    let first_heading = doc
        .blocks
        .iter()
        .position(|b| matches!(b.kind, BlockKind::Heading(_)));
    let named = doc.blocks[..first_heading.unwrap_or(doc.blocks.len()).min(5)]
        .iter()
        .map(|b| doc.slice(b.start, b.end))
        .find(|t| {
            t.chars().count() <= 40
                && !t.ends_with(['。', '；', '：', ':', '，'])
                && TITLE_WORDS.iter().any(|w| t.contains(w))
        });
    named
        .or_else(|| first_heading.map(|i| doc.slice(doc.blocks[i].start, doc.blocks[i].end)))
        .or_else(|| doc.blocks.first().map(|b| doc.slice(b.start, b.end)))
}

/// Walks matches in text order, mapping each char offset to its sentence.
struct Locator<'a> {
    doc: &'a Document,
    next: usize,
}

impl Locator<'_> {
    fn sentence(&mut self, c: usize) -> Option<usize> {
        let s = &self.doc.sentences;
        if self.next > 0 && s.get(self.next - 1).is_some_and(|x| x.start > c) {
            self.next = 0;
        }
        while self.next < s.len() && s[self.next].end <= c {
            self.next += 1;
        }
        s.get(self.next)
            .filter(|x| x.start <= c && c < x.end)
            .map(|_| self.next)
    }
}

/// A match of an ASCII pattern must not sit inside a longer word.
fn ascii_bounded(text: &str, start: usize, end: usize) -> bool {
    // Offsets of a match in `text` are char boundaries; anything else is no
    // ASCII word to check (and must not panic).
    let (Some(pat), Some(head), Some(tail)) =
        (text.get(start..end), text.get(..start), text.get(end..))
    else {
        return true;
    };
    if !pat.is_ascii() {
        return true;
    }
    let before = head.chars().next_back();
    let after = tail.chars().next();
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let joins_before = word(before) && pat.starts_with(|c: char| c.is_ascii_alphanumeric());
    let joins_after = word(after) && pat.ends_with(|c: char| c.is_ascii_alphanumeric());
    !joins_before && !joins_after
}

fn cues(ctx: &mut Ctx<'_>) {
    let doc = ctx.doc;
    let mut loc = Locator { doc, next: 0 };
    for m in ctx.lex.cues.find_iter(&doc.text) {
        let cue = ctx.lex.cue_of[m.pattern().as_usize()];
        if cue == Cue::Ignore || !ascii_bounded(&doc.text, m.start(), m.end()) {
            continue;
        }
        let c = doc.char_at(m.start());
        let Some(s) = loc.sentence(c) else { continue };
        let e = doc.char_at(m.end());
        let cs = &mut ctx.cues[s];
        match cue {
            Cue::Collect => cs.verbs.push((c, e, false)),
            Cue::WeakCollect => cs.verbs.push((c, e, true)),
            Cue::Negation => cs.negations.push(c),
            Cue::Vague => {
                let word = &ctx.lex.cue_words[m.pattern().as_usize()];
                cs.vague.push((c, e, word.starts_with('等')));
            }
            Cue::Sensitive => cs.sensitive = true,
            Cue::ThirdParty => cs.third_party = true,
            Cue::Permission => cs.permission = true,
            Cue::Response => cs.response = true,
            Cue::Ignore => {}
        }
    }
}

/// Roles of sentences and headings, and the other senses of PI terms, from
/// the KB's `sentence_roles` and `not_with` words.
fn roles(ctx: &mut Ctx<'_>) {
    let doc = ctx.doc;
    let lex = ctx.lex;
    let mut loc = Locator { doc, next: 0 };
    for m in lex.roles.find_overlapping_iter(&doc.text) {
        let (r, heading_word) = lex.role_of[m.pattern().as_usize()];
        let c = doc.char_at(m.start());
        let Some(s) = loc.sentence(c) else { continue };
        let is_heading = matches!(
            doc.blocks[doc.sentences[s].block].kind,
            BlockKind::Heading(_)
        );
        if heading_word && !is_heading {
            continue;
        }
        let cs = &mut ctx.cues[s];
        cs.role = Some(cs.role.map_or(r, |o| o.min(r)));
    }
    let mut loc = Locator { doc, next: 0 };
    for m in lex.senses.find_overlapping_iter(&doc.text) {
        let t = lex.sense_of[m.pattern().as_usize()];
        let Some(s) = loc.sentence(doc.char_at(m.start())) else {
            continue;
        };
        ctx.cues[s].senses.push((t, m.pattern().as_usize()));
    }
    // A sense carries over to the next sentence of the block when that one
    // has no verb of its own (客服电话可能会被录音…。录音在被保留一段时间后
    // 会自动删除).
    for s in 1..doc.sentences.len() {
        if doc.sentences[s].block == doc.sentences[s - 1].block
            && ctx.cues[s].verbs.is_empty()
            && !ctx.cues[s - 1].senses.is_empty()
        {
            let carried = ctx.cues[s - 1].senses.clone();
            ctx.cues[s].senses.extend(carried);
        }
    }
}

fn sections(ctx: &mut Ctx<'_>) {
    let doc = ctx.doc;
    // Flags of each block's own sentences.
    let mut own = vec![Section::default(); doc.blocks.len()];
    for (i, s) in doc.sentences.iter().enumerate() {
        let c = &ctx.cues[i];
        let o = &mut own[s.block];
        if let Some(r) = c.role {
            o.role = Some(o.role.map_or(r, |x| x.min(r)));
        }
        o.third_party |= c.third_party || doc.slice(s.start, s.end).contains("SDK");
        o.permission |= c.permission;
    }
    let mut out = Vec::with_capacity(doc.blocks.len());
    for (bi, b) in doc.blocks.iter().enumerate() {
        let mut sec = Section::default();
        for &h in &doc.headings[bi] {
            // The innermost heading with a role gives the section's role.
            if own[h].role.is_some() {
                sec.role = own[h].role;
            }
            sec.third_party |= own[h].third_party;
            sec.permission |= own[h].permission;
        }
        if let Some(first) = b.table
            && first != bi
        {
            // The header row speaks for the table: a header naming
            // information makes the rows collection (unless the section's
            // role declares nothing).
            let header = doc.slice(doc.blocks[first].start, doc.blocks[first].end);
            let blocked = sec.role.is_some_and(|r| !ctx.lex.role_info[r].declares);
            if !blocked
                && (header.contains("信息")
                    || header.contains("权限")
                    || !own_verbs(ctx, first).is_empty())
            {
                sec.role = ctx
                    .lex
                    .role_info
                    .iter()
                    .position(|r| r.name == "collection");
            }
            sec.third_party |= own[first].third_party;
            sec.permission |= own[first].permission;
        }
        out.push(sec);
    }
    ctx.sections = out;
}

/// Collection verbs of the sentences of block `b`.
fn own_verbs(ctx: &Ctx<'_>, b: usize) -> Vec<(usize, usize, bool)> {
    ctx.doc
        .sentences
        .iter()
        .enumerate()
        .filter(|(_, s)| s.block == b)
        .flat_map(|(i, _)| ctx.cues[i].verbs.iter().copied())
        .collect()
}

fn span(doc: &Document, s: usize, terms: Vec<[usize; 2]>) -> Span {
    let x = doc.sentences[s];
    Span {
        text: doc.slice(x.start, x.end).to_string(),
        start: x.start,
        end: x.end,
        terms,
    }
}

/// Whether a negation (不会收集, 不申请) stands before character `c` of
/// sentence `s` in the same clause (不会…，但会收集 is no denial).
fn negated(ctx: &Ctx<'_>, s: usize, c: usize) -> bool {
    ctx.cues[s]
        .negations
        .iter()
        .any(|&n| n < c && !ctx.doc.slice(n, c).contains(['，', ',', '但']))
}

/// PI terms found per sentence (type index, char start, char end).
type PiHits = HashMap<usize, Vec<(usize, usize, usize)>>;

struct Decl {
    sentences: BTreeMap<usize, Vec<[usize; 2]>>,
    claims: BTreeMap<usize, Vec<Claim>>,
    marked: bool,
}

/// What [`pi`] finds.
type PiFound = (
    Vec<PiDeclaration>,
    Vec<PiDeclaration>,
    Vec<Span>,
    PiHits,
    Vec<NearMiss>,
);

/// Sentence-internal clause breaks a governing verb may not reach across.
const CLAUSE_BREAKS: &[char] = &['；', ';', '。', '！', '？', '|'];

/// The collection verb of sentence `s` that governs the term starting at
/// character `a`: before it in the same clause, within the lexicon's window
/// (the weak verbs' shorter one), and not inside a PI term (记录 in 通话记录).
/// Also whether it is a strong one.
fn governing(
    ctx: &Ctx<'_>,
    s: usize,
    (a, b): (usize, usize),
    inner: &[(usize, usize)],
) -> Option<([usize; 2], bool)> {
    before(ctx, s, a, inner)
        .or_else(|| after(ctx, s, (a, b), inner))
        .or_else(|| post_verb(ctx, s, (a, b)))
        .or_else(|| referred_back(ctx, s, b))
}

/// Sentence-final marks a post-verb or a referring word may not reach across
/// (it may cross `；`: 对您的网络身份标识信息…；设备信息…进行收集).
const SENTENCE_ENDS: &[char] = &['。', '！', '？', '|'];

/// A verb after its object (进行收集, 创建账号, the KB's `post_verbs`) after
/// the term at `a..b` in the same sentence, with one of its group's markers
/// (将, 对, 把; 通过) before the term in the sentence, within the window.
fn post_verb(ctx: &Ctx<'_>, s: usize, (a, b): (usize, usize)) -> Option<([usize; 2], bool)> {
    let doc = ctx.doc;
    let w = ctx.lex.govern_window;
    let (start, end) = clause_run(doc, s);
    let head = doc.slice(a.saturating_sub(w).max(start), a);
    let tail = doc.slice(b, (b + w).min(end));
    ctx.lex
        .post_verbs
        .iter()
        .filter(|g| g.markers.is_empty() || g.markers.iter().any(|m| head.contains(m.as_str())))
        .filter_map(|g| {
            g.verbs
                .iter()
                .filter_map(|v| tail.find(v.as_str()).map(|i| (i, v)))
                .min_by_key(|&(i, _)| i)
        })
        .filter(|&(i, _)| {
            let gap = tail[..i].trim_end();
            // 您的通讯录不会被收集 is a denial.
            !gap.contains(SENTENCE_ENDS)
                && !["不", "不会", "不将", "无需", "不得", "未"]
                    .iter()
                    .any(|n| gap.ends_with(n))
        })
        .min_by_key(|&(i, _)| i)
        .map(|(i, v)| {
            let v0 = b + tail[..i].chars().count();
            ([v0, v0 + v.chars().count()], true)
        })
}

/// The characters of sentence `s` together with the sentences of its block
/// joined to it by `；` (clauses of one long sentence).
fn clause_run(doc: &Document, s: usize) -> (usize, usize) {
    let block = doc.sentences[s].block;
    let semi = |i: usize| doc.sentence_text(i).trim_end().ends_with(['；', ';']);
    let mut first = s;
    while first > 0 && doc.sentences[first - 1].block == block && semi(first - 1) {
        first -= 1;
    }
    let mut last = s;
    while last + 1 < doc.sentences.len() && doc.sentences[last + 1].block == block && semi(last) {
        last += 1;
    }
    (doc.sentences[first].start, doc.sentences[last].end)
}

/// A word referring back to the PI just named (此类信息, 该信息) after the
/// term ending at `b`, in the same sentence, right after a collection verb
/// or 提供 (手机号码属于敏感信息，收集此类信息是为了…): that verb governs.
fn referred_back(ctx: &Ctx<'_>, s: usize, b: usize) -> Option<([usize; 2], bool)> {
    let doc = ctx.doc;
    let sent = doc.sentences[s];
    let tail = doc.slice(b, (b + ctx.lex.govern_window).min(sent.end));
    let tail = tail.split(SENTENCE_ENDS).next().unwrap_or(tail);
    for word in &ctx.lex.refer_back_words {
        let Some(i) = tail.find(word.as_str()) else {
            continue;
        };
        let r = b + tail[..i].chars().count();
        let verb = ctx.cues[s]
            .verbs
            .iter()
            .find(|&&(v0, v1, _)| v0 >= b && v1 <= r && r - v1 <= 2)
            .map(|&(v0, v1, _)| [v0, v1]);
        // 拒绝提供该信息; 我们会将此类信息汇总.
        let offer = ["提供", "将", "对", "把"]
            .iter()
            .find(|w| tail[..i].ends_with(**w))
            .map(|w| [r - w.chars().count(), r]);
        if let Some(v) = verb.or(offer) {
            return Some((v, true));
        }
    }
    None
}

/// Whether the term ending at `b` is named as a permission with its use
/// (麦克风权限、摄像头权限：用于…; 相机权限用于扫码; a table cell 相机权限 |).
fn permission_named(ctx: &Ctx<'_>, b: usize) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &R,
        r"^\s*权限(?:[、，,和及与/][^：:。；，]{1,12}?权限)*[\s*_】\]）)]*(?:[：:|]|，?(?:主要)?用于|是为了)",
    );
    r.is_match(ctx.doc.slice(b, b + 80))
}

/// Whether a purpose word (以便, 为了) stands between a verb ending at `v1`
/// and a term at `a` with no comma or colon after it: the term is part of
/// the purpose (收集此类信息是为了证实您的真实身份).
fn in_purpose(ctx: &Ctx<'_>, v1: usize, a: usize) -> bool {
    let gap = ctx.doc.slice(v1, a);
    ctx.lex
        .purpose_words
        .iter()
        .filter_map(|w| gap.rfind(w.as_str()).map(|i| i + w.len()))
        .max()
        .is_some_and(|i| !gap[i..].contains(['，', ',', '：', ':']))
}

/// A collection verb after the term at `a..b` when a marker of the
/// 把-construction (将您的…提供给, 将您的订单号…与支付机构共享) stands before
/// it, both in its clause; a weak verb within three times its window.
fn after(
    ctx: &Ctx<'_>,
    s: usize,
    (a, b): (usize, usize),
    inner: &[(usize, usize)],
) -> Option<([usize; 2], bool)> {
    let doc = ctx.doc;
    let w = ctx.lex.govern_window;
    let sent = doc.sentences[s];
    let from = a.saturating_sub(w).max(sent.start);
    let head = doc.slice(from, a);
    let head = head.rsplit(CLAUSE_BREAKS).next().unwrap_or(head);
    if !ctx
        .lex
        .verb_after_markers
        .iter()
        .any(|m| head.contains(m.as_str()))
    {
        return None;
    }
    ctx.cues[s]
        .verbs
        .iter()
        .filter(|&&(v0, v1, weak)| {
            v0 >= b
                && v0 - b <= if weak { 3 * ctx.lex.weak_window } else { w }
                && !inner.iter().any(|&(t0, t1)| v0 < t1 && t0 < v1)
                && !doc.slice(b, v0).contains(CLAUSE_BREAKS)
        })
        .map(|&(v0, v1, weak)| ([v0, v1], !weak))
        .next()
}

/// The nearest strong collection verb before the term at `a`, else the
/// nearest weak one.
fn before(
    ctx: &Ctx<'_>,
    s: usize,
    a: usize,
    inner: &[(usize, usize)],
) -> Option<([usize; 2], bool)> {
    ctx.cues[s]
        .verbs
        .iter()
        .filter(|&&(v0, v1, weak)| {
            let window = if weak {
                ctx.lex.weak_window
            } else {
                ctx.lex.govern_window
            };
            v1 <= a
                && a - v1 <= window
                && !inner.iter().any(|&(t0, t1)| v0 < t1 && t0 < v1)
                && !ctx.doc.slice(v1, a).contains(CLAUSE_BREAKS)
                && !in_purpose(ctx, v1, a)
        })
        .map(|&(v0, v1, weak)| ([v0, v1], !weak))
        // The nearest strong verb, else the nearest weak one.
        .max_by_key(|&([_, v1], strong)| (strong, v1))
}

/// Whether a term starting at `a` continues an enumeration whose last item
/// ends at `e`: close, in the same clause, no enumeration break between.
fn enumerated(ctx: &Ctx<'_>, e: usize, a: usize) -> bool {
    if a < e || a - e > ctx.lex.enumeration_gap {
        return false;
    }
    let gap = ctx.doc.slice(e, a);
    !gap.contains(CLAUSE_BREAKS)
        && !ctx
            .lex
            .enumeration_breaks
            .iter()
            .any(|w| gap.contains(w.as_str()))
}

/// A title set as a paragraph or list item (`* 六、我们如何处理儿童的个人信息`,
/// `#### 九、未满18周岁的未成年人信息`: short, numbered, no verb, no comma) or
/// a table-of-contents line (three numbered titles or more): read as a
/// heading, which declares nothing itself.
fn title_like(text: &str, cues: &Cues) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let numbered = re(&R, r"[一二三四五六七八九十]{1,3}、");
    let t = text.trim_matches(|c: char| c.is_whitespace() || "*#•·_-".contains(c));
    if numbered.find_iter(t).count() >= 3 {
        return true;
    }
    cues.verbs.is_empty()
        && t.chars().count() <= 30
        && numbered.find(t).is_some_and(|m| m.start() == 0)
        && !t.contains(['，', ',', '：', ':', '。'])
}

/// An enumerated item (（1）, 1.3.1, a), 一、).
fn enumerator_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"^[\s*_]*(?:[（(]?[0-9一二三四五六七八九十]{1,3}[)）]|[0-9]{1,2}(?:\.[0-9]{1,2}){0,3}[.、．)]?\s|[a-zA-Z][)）.]|[一二三四五六七八九十]{1,3}、|[•·●\-])",
    )
}

/// Sentences led in by a collection statement that ends with a colon
/// (我们会收集以下信息：) — the enumerated items after it, up to the next
/// heading or un-numbered paragraph.
fn led_in(ctx: &Ctx<'_>) -> Vec<bool> {
    let doc = ctx.doc;
    let mut out = vec![false; doc.sentences.len()];
    let mut lead = false;
    let mut last_block = usize::MAX;
    for (i, sent) in doc.sentences.iter().enumerate() {
        let block = &doc.blocks[sent.block];
        if matches!(block.kind, BlockKind::Heading(_)) {
            lead = false;
            continue;
        }
        if sent.block != last_block {
            let text = doc.slice(block.start, block.end);
            let item = block.kind == BlockKind::ListItem || enumerator_re().is_match(text);
            // Un-numbered lines of a list go on while the line before ends
            // with `；` (or is the lead-in itself, ending with `：`).
            let joined = last_block != usize::MAX && {
                let b = &doc.blocks[last_block];
                doc.slice(b.start, b.end)
                    .trim_end_matches(['*', '_', ' ', '\u{3000}'])
                    .ends_with(['；', ';', '：', ':'])
            };
            if !item && !joined {
                lead = false;
            }
            last_block = sent.block;
        }
        // A sentence opening with 例如/包括 continues the enumeration of
        // the sentence before it when that one has a collection verb.
        let text = doc.sentence_text(i).trim_start_matches(['*', '_', ' ']);
        let continues = i > 0
            && !ctx.cues[i - 1].verbs.is_empty()
            && ctx.cues[i - 1].role.is_none()
            && ctx
                .lex
                .continuation_words
                .iter()
                .any(|w| text.starts_with(w.as_str()));
        // A line that ends inside a sentence (no closing mark) with a
        // collection verb continues into the next line (我们可能会在企业用户的
        // 指示下收集你主动提供的⏎**人脸图像信息或指纹特征值信息**。).
        let broken = i > 0
            && doc.sentences[i - 1].block != sent.block
            && !ctx.cues[i - 1].verbs.is_empty()
            && ctx.cues[i - 1].role.is_none()
            && !matches!(
                doc.blocks[doc.sentences[i - 1].block].kind,
                BlockKind::Heading(_)
            )
            && !doc
                .sentence_text(i - 1)
                .trim_end_matches(['*', '_', ' '])
                .ends_with([
                    '。', '；', ';', '！', '？', '：', ':', '.', '!', '?', ')', '）',
                ]);
        out[i] = lead || continues || broken;
        let t = doc.sentence_text(i).trim_end_matches(['*', '_', ' ']);
        if t.ends_with(['：', ':']) && !ctx.cues[i].verbs.is_empty() {
            lead = true;
        }
    }
    out
}

fn pi(ctx: &Ctx<'_>) -> PiFound {
    let doc = ctx.doc;
    let lex = ctx.lex;
    let mut loc = Locator { doc, next: 0 };
    let mut hits: PiHits = HashMap::new();
    // Every term match, typed or a `not` (for verbs inside terms).
    let mut inner: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
    for m in lex.pi.find_iter(&doc.text) {
        if !ascii_bounded(&doc.text, m.start(), m.end()) || ctx.in_url(m.start()) {
            continue;
        }
        let c = doc.char_at(m.start());
        let Some(s) = loc.sentence(c) else { continue };
        let e = doc.char_at(m.end());
        inner.entry(s).or_default().push((c, e));
        let Some(t) = lex.pi_of[m.pattern().as_usize()] else {
            continue;
        };
        hits.entry(s).or_default().push((t, c, e));
    }
    let collection = lex.role_info.iter().position(|r| r.name == "collection");
    let led = led_in(ctx);
    let mut declared: BTreeMap<usize, Decl> = BTreeMap::new();
    let mut denied: BTreeMap<usize, Decl> = BTreeMap::new();
    let mut near: Vec<NearMiss> = Vec::new();
    let mut vague = Vec::new();
    // Types with a mention highlighted or called sensitive anywhere (not only
    // where collection is declared: 位置信息属于敏感个人信息).
    let mut marked: BTreeSet<usize> = BTreeSet::new();
    let mut sentences: Vec<&usize> = hits.keys().collect();
    sentences.sort_unstable();
    for &s in sentences {
        let terms = &hits[&s];
        let inner_s = inner.get(&s).map(Vec::as_slice).unwrap_or(&[]);
        let sent = doc.sentences[s];
        let block = &doc.blocks[sent.block];
        let cues = &ctx.cues[s];
        let sec = ctx.sections[sent.block];
        let heading =
            matches!(block.kind, BlockKind::Heading(_)) || title_like(doc.sentence_text(s), cues);
        let listed = matches!(block.kind, BlockKind::TableRow | BlockKind::ListItem);
        // A question (问：会读取剪贴板吗？) declares nothing. Only the
        // full-width mark: a `?` ends many a sentence inside a URL.
        let question = doc.sentence_text(s).ends_with('？');
        // The sentence's own role, else its section's: only collection,
        // sharing (and no role) declare.
        let role = cues.role.or(sec.role);
        let blocked = role.filter(|&r| !lex.role_info[r].declares);
        // The heading's role (or a lead-in ending with a colon) speaks for
        // list items, table rows and sentences without a verb of their own,
        // not for a sentence whose verbs govern other terms.
        // A verbless sentence of prose (录音在被保留一段时间后会自动删除) is no
        // enumeration: it needs two terms, or a colon (设备信息：型号…).
        // An enumerated item (（1）您的地理位置；) or a short line is one.
        let text = doc.sentence_text(s);
        let enumeration = listed
            || led[s]
            || (cues.verbs.is_empty()
                && (terms.len() >= 2
                    || text.contains(['：', ':'])
                    || text.chars().count() <= 16
                    || enumerator_re().is_match(doc.slice(block.start, block.end))));
        let by_section = (sec.role.is_some_and(|r| lex.role_info[r].declares) || led[s])
            && cues.role.is_none()
            && enumeration;
        let by_party = listed && sec.third_party && blocked.is_none();
        let mut any_declared = false;
        // The last claimed term of this sentence (its end and verb): the
        // next items of an enumeration share its verb.
        let mut chain: Option<(usize, Option<[usize; 2]>, bool)> = None;
        for &(t, a, b) in terms {
            let miss = |reason: String| NearMiss {
                pi_type: lex.pi_types[t].id.clone(),
                sentence: [sent.start, sent.end],
                term: [a, b],
                reason,
            };
            if let Some(&(_, w)) = cues.senses.iter().find(|&&(st, _)| st == t) {
                near.push(miss(format!("sense:{}", lex.sense_words[w])));
                continue;
            }
            // Denied: a negation before the term, with no collection verb
            // between them that a second clause would bring (不会…，但会收集).
            let neg = negated(ctx, s, a);
            if !neg && (cues.sensitive || doc.emphasised(a, b)) {
                marked.insert(t);
            }
            let governed = governing(ctx, s, (a, b), inner_s).or_else(|| {
                chain
                    .filter(|&(e, _, _)| enumerated(ctx, e, a))
                    .and_then(|(_, v, strong)| v.map(|v| (v, strong)))
            });
            let verb = governed.map(|(v, _)| v);
            // 相机权限：用于扫码 — a permission named with what it is for.
            let named = verb.is_none() && permission_named(ctx, b);
            let strong = governed.is_some_and(|(_, strong)| strong);
            // A strong verb outweighs the role where the role allows
            // (verb_wins: security, contact channel).
            // (heading_verb_wins: a conditional section's own statement
            // 我们可能还会收集您的联系方式).
            let blocked_here = blocked.filter(|&r| {
                let info = &lex.role_info[r];
                let wins = info.winning_verbs.is_empty()
                    || verb.is_some_and(|[v0, v1]| {
                        let v = doc.slice(v0, v1);
                        info.winning_verbs.iter().any(|w| v.contains(w.as_str()))
                    });
                !(strong
                    && ((info.verb_wins && wins)
                        || (info.heading_verb_wins && cues.role.is_none())))
            });
            // A negation outweighs a role that lets it (我们不会将您的个人身份
            // 信息与合作伙伴共享 in a de-identification clause).
            let blocked_here = blocked_here.filter(|&r| !(neg && lex.role_info[r].negation_wins));
            let (target, claim) = if let Some(r) = blocked_here {
                near.push(miss(format!("role:{}", lex.role_info[r].name)));
                continue;
            } else if neg {
                (&mut denied, None)
            } else if heading {
                near.push(miss("heading".into()));
                continue;
            } else if question {
                near.push(miss("question".into()));
                continue;
            } else if verb.is_some() || named || by_section || by_party {
                any_declared = true;
                let r = role.filter(|&r| lex.role_info[r].declares).or(collection);
                let name = r.map_or("collection", |r| lex.role_info[r].name.as_str());
                chain = Some((b, verb, strong));
                let claim = Claim {
                    role: name.to_string(),
                    sentence: [sent.start, sent.end],
                    verb,
                    term: [a, b],
                };
                (&mut declared, Some(claim))
            } else {
                near.push(miss("no_verb".into()));
                continue;
            };
            let d = target.entry(t).or_insert(Decl {
                sentences: BTreeMap::new(),
                claims: BTreeMap::new(),
                marked: false,
            });
            d.sentences.entry(s).or_default().push([a, b]);
            if let Some(c) = claim {
                d.claims.entry(s).or_default().push(c);
            }
            d.marked |= cues.sensitive || doc.emphasised(a, b);
        }
        if any_declared {
            for &(va, vb, after) in &cues.vague {
                let open = if after {
                    terms.iter().any(|&(_, _, e)| e <= va && va <= e + 2)
                } else {
                    terms
                        .iter()
                        .any(|&(_, a, _)| a >= vb && a <= vb + VAGUE_AHEAD)
                };
                if open {
                    let mut t: Vec<[usize; 2]> = vec![[va, vb]];
                    t.extend(terms.iter().map(|&(_, a, b)| [a, b]));
                    t.sort_unstable();
                    vague.push(span(doc, s, t));
                    break;
                }
            }
        }
    }
    let build = |m: BTreeMap<usize, Decl>| -> Vec<PiDeclaration> {
        m.into_iter()
            .map(|(t, d)| {
                let info = &lex.pi_types[t];
                PiDeclaration {
                    pi_type: info.id.clone(),
                    name: info.name.clone(),
                    sensitive: info.sensitive,
                    marked: d.marked,
                    claims: d
                        .claims
                        .into_values()
                        .take(MAX_EVIDENCE)
                        .flatten()
                        .collect(),
                    evidence: d
                        .sentences
                        .into_iter()
                        .take(MAX_EVIDENCE)
                        .map(|(s, terms)| span(doc, s, terms))
                        .collect(),
                }
            })
            .collect()
    };
    for (t, d) in declared.iter_mut() {
        d.marked |= marked.contains(t);
    }
    let declared_types: BTreeSet<usize> = declared.keys().copied().collect();
    denied.retain(|t, _| !declared_types.contains(t));
    (build(declared), build(denied), vague, hits, near)
}

fn third_parties(ctx: &Ctx<'_>, pi_hits: &PiHits) -> Vec<ThirdParty> {
    let doc = ctx.doc;
    let lex = ctx.lex;
    let mut loc = Locator { doc, next: 0 };
    // Key: the name's first SDK id (or the name for unknown parties).
    let mut out: Vec<ThirdParty> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut covered: Vec<(usize, usize)> = Vec::new();
    let pi_of_unit = |s: usize| -> Vec<String> {
        let mut v: Vec<String> = pi_hits
            .get(&s)
            .into_iter()
            .flatten()
            .map(|&(t, _, _)| lex.pi_types[t].id.clone())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let url_in = |s: usize| -> Option<String> {
        url_re().find(doc.sentence_text(s)).map(|m| {
            m.as_str()
                .trim_end_matches(['.', ',', ';', ')'])
                .to_string()
        })
    };
    let mut add = |out: &mut Vec<ThirdParty>,
                   key: String,
                   name: &str,
                   sdk_id: Option<String>,
                   also: Vec<String>,
                   s: usize,
                   term: [usize; 2]| {
        let sent = doc.sentences[s];
        let block = &doc.blocks[sent.block];
        let listed = matches!(block.kind, BlockKind::TableRow | BlockKind::ListItem)
            || ctx.sections[sent.block].third_party;
        let i = *by_key.entry(key).or_insert_with(|| {
            out.push(ThirdParty {
                name: name.to_string(),
                sdk_id,
                also,
                pi_types: Vec::new(),
                policy_url: None,
                listed: false,
                evidence: Vec::new(),
            });
            out.len() - 1
        });
        let tp = &mut out[i];
        tp.listed |= listed;
        for p in pi_of_unit(s) {
            if !tp.pi_types.contains(&p) {
                tp.pi_types.push(p);
            }
        }
        if tp.policy_url.is_none() {
            tp.policy_url = url_in(s);
        }
        if let Some(e) = tp.evidence.iter_mut().find(|e| e.start == sent.start) {
            e.terms.push(term);
        } else if tp.evidence.len() < MAX_EVIDENCE {
            tp.evidence.push(span(doc, s, vec![term]));
        }
    };
    for m in lex.sdk.find_iter(&doc.text) {
        if !ascii_bounded(&doc.text, m.start(), m.end()) || ctx.in_url(m.start()) {
            continue;
        }
        let c = doc.char_at(m.start());
        let e = doc.char_at(m.end());
        let Some(s) = loc.sentence(c) else { continue };
        let n = &lex.sdk_of[m.pattern().as_usize()];
        let ids: Vec<String> = n
            .sdks
            .iter()
            .map(|&i| lex.sdk_ids[i as usize].clone())
            .collect();
        let (sdk_id, also) = if n.vendor && ids.len() > 1 {
            (None, ids.clone())
        } else {
            (ids.first().cloned(), ids.iter().skip(1).cloned().collect())
        };
        let key = ids.first().cloned().unwrap_or_default();
        let key = if sdk_id.is_none() {
            format!("vendor:{key}")
        } else {
            key
        };
        covered.push((c, e));
        let name = doc.text[m.start()..m.end()].to_string();
        add(&mut out, key, &name, sdk_id, also, s, [c, e]);
    }
    // Parties pipa does not know: the first cell of rows of a third-party
    // table, and "<name>SDK" in sentences about third parties.
    for (s, sent) in doc.sentences.iter().enumerate() {
        let block = &doc.blocks[sent.block];
        let sec = ctx.sections[sent.block];
        if block.kind == BlockKind::TableRow
            && sec.third_party
            && block.table.is_some_and(|f| f != sent.block)
            && let Some(&(a, b)) = block.cells.first()
        {
            let name = doc.slice(a, b).trim();
            let n = name.chars().count();
            if (2..=40).contains(&n)
                && !covered.iter().any(|&(x, y)| x < b && a < y)
                && !name.chars().all(|c| c.is_ascii_digit() || c == '.')
            {
                add(
                    &mut out,
                    format!("name:{name}"),
                    name,
                    None,
                    Vec::new(),
                    s,
                    [a, b],
                );
                covered.push((a, b));
            }
            continue;
        }
        if !(ctx.cues[s].third_party || sec.third_party) {
            continue;
        }
        let text = doc.slice(sent.start, sent.end);
        for cap in sdk_name_re().captures_iter(text) {
            let Some(g) = cap.get(1) else { continue };
            let run = g.as_str();
            let Some(name) = sdk_name(run) else { continue };
            // Where the name is in the run: a suffix (its term runs on to the
            // “SDK”), or the subject before a verb (华为会通过SDK: just the name).
            let off = name.as_ptr() as usize - run.as_ptr() as usize;
            let a = sent.start + text[..g.start() + off].chars().count();
            let b = if off + name.len() == run.len() {
                let whole = cap.get(0).map_or(run, |m| m.as_str());
                a + name.chars().count() + whole.chars().count() - run.chars().count()
            } else {
                a + name.chars().count()
            };
            if covered.iter().any(|&(x, y)| x < b && a < y) {
                continue;
            }
            covered.push((a, b));
            let label = format!("{name}SDK");
            add(
                &mut out,
                format!("name:{label}"),
                &label,
                None,
                Vec::new(),
                s,
                [a, b],
            );
        }
    }
    out
}

/// A permission's words and, per sentence, where they are.
type PermissionHits = (BTreeSet<String>, BTreeMap<usize, Vec<[usize; 2]>>);

fn permissions(ctx: &Ctx<'_>) -> Vec<PermissionDeclaration> {
    let doc = ctx.doc;
    let lex = ctx.lex;
    let mut loc = Locator { doc, next: 0 };
    let mut found: BTreeMap<String, PermissionHits> = BTreeMap::new();
    let mut note = |perm: &str, term: &str, s: usize, t: [usize; 2]| {
        let e = found.entry(perm.to_string()).or_default();
        e.0.insert(term.to_string());
        e.1.entry(s).or_default().push(t);
    };
    for m in lex.perm.find_iter(&doc.text) {
        if !ascii_bounded(&doc.text, m.start(), m.end()) || ctx.in_url(m.start()) {
            continue;
        }
        let c = doc.char_at(m.start());
        let Some(s) = loc.sentence(c) else { continue };
        let sent = doc.sentences[s];
        if !(ctx.cues[s].permission || ctx.sections[sent.block].permission) || negated(ctx, s, c) {
            continue;
        }
        let term = &lex.perm_words[m.pattern().as_usize()];
        for p in &lex.perm_sets[lex.perm_of[m.pattern().as_usize()]] {
            note(p, term, s, [c, doc.char_at(m.end())]);
        }
    }
    for m in permission_re().find_iter(&doc.text) {
        let c = doc.char_at(m.start());
        if let Some(s) = doc.sentence_at(c) {
            note(m.as_str(), m.as_str(), s, [c, doc.char_at(m.end())]);
        }
    }
    found
        .into_iter()
        .map(|(name, (terms, sents))| PermissionDeclaration {
            name,
            terms: terms.into_iter().collect(),
            evidence: sents
                .into_iter()
                .take(MAX_EVIDENCE)
                .map(|(s, t)| span(doc, s, t))
                .collect(),
        })
        .collect()
}

/// 十五 → 15, 三十 → 30, 7 → 7.
fn parse_number(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    let digit = |c: char| {
        "零一二三四五六七八九"
            .find(c)
            .map(|i| (i / 3) as u32)
            .or((c == '两').then_some(2))
    };
    let mut total = 0;
    let mut cur = 0;
    for c in s.chars() {
        match c {
            '十' => {
                total += if cur == 0 { 10 } else { cur * 10 };
                cur = 0;
            }
            '百' => {
                total += if cur == 0 { 100 } else { cur * 100 };
                cur = 0;
            }
            _ => cur = digit(c)?,
        }
    }
    Some(total + cur)
}

/// Words that make a sentence about a person's request, so that any number
/// of days in it is the time to answer.
const REQUEST_WORDS: &[&str] = &[
    "请求", "申请", "投诉", "举报", "反馈", "申诉", "诉求", "来信", "时限",
];
/// Words of keeping and deleting data: a number of days before them is a
/// retention period (签收后30天删除), not a time to answer.
const RETENTION_WORDS: &[&str] = &[
    "删除",
    "匿名化",
    "保存",
    "保留",
    "存储",
    "留存",
    "清除",
    "销毁",
];
/// How far (bytes) after a number of days its verb is looked for.
const VERB_AHEAD: usize = 60;

fn time_limits(ctx: &Ctx<'_>) -> Vec<TimeLimit> {
    let doc = ctx.doc;
    let response: Vec<&str> = ctx
        .lex
        .cue_words
        .iter()
        .zip(&ctx.lex.cue_of)
        .filter(|(_, c)| **c == Cue::Response)
        .map(|(w, _)| w.as_str())
        .collect();
    let first = |text: &str, words: &[&str]| words.iter().filter_map(|w| text.find(w)).min();
    let mut out = Vec::new();
    for (s, sent) in doc.sentences.iter().enumerate() {
        if !ctx.cues[s].response {
            continue;
        }
        let text = doc.slice(sent.start, sent.end);
        let request = REQUEST_WORDS.iter().any(|w| text.contains(w));
        for cap in days_re().captures_iter(text) {
            let (Some(n), Some(unit), Some(all)) = (cap.get(1), cap.get(2), cap.get(0)) else {
                continue;
            };
            let Some(days) = parse_number(n.as_str()).filter(|&d| d > 0 && d <= 366) else {
                continue;
            };
            // In a sentence about a request, or followed by its answer
            // (15个工作日内予以答复, 完成注销) before any deletion.
            if !request {
                let mut end = (all.end() + VERB_AHEAD).min(text.len());
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                let after = &text[all.end()..end];
                let answered = match (first(after, &response), first(after, RETENTION_WORDS)) {
                    (Some(r), Some(k)) => r < k,
                    (Some(_), None) => true,
                    _ => false,
                };
                if !answered {
                    continue;
                }
            }
            let a = sent.start + text[..all.start()].chars().count();
            let b = a + all.as_str().chars().count();
            out.push(TimeLimit {
                days,
                working_days: unit.as_str() == "工作日",
                evidence: span(doc, s, vec![[a, b]]),
            });
        }
    }
    out
}

/// Words near which a company is the operator rather than a partner.
const OPERATOR_CUES: &[&str] = &[
    "我们",
    "运营",
    "本应用",
    "本政策",
    "开发者",
    "以下简称",
    "本平台",
    "本公司",
    "提供者",
    "服务方",
];
/// Characters before which a matched company name starts.
const NAME_BREAKS: &[char] = &[
    '由', '是', '为', '指', '的', '与', '和', '及', '即', '系', '：', ':', '，', '、', '（', '(',
];

/// Where a matched company name starts (a byte offset into `name`): after its
/// last break character, not counting those inside a bracket the name closes
/// itself — 随手拍（北京）科技有限公司 is one name, not 北京）科技有限公司.
fn name_cut(name: &str) -> Option<usize> {
    let mut depth = 0u32;
    for (i, c) in name.char_indices().rev() {
        match c {
            '）' | ')' => depth += 1,
            '（' | '(' if depth > 0 => depth -= 1,
            _ if depth == 0 && NAME_BREAKS.contains(&c) => return Some(i + c.len_utf8()),
            _ => {}
        }
    }
    None
}

fn operator_and_contacts(ctx: &Ctx<'_>) -> (Option<Fact>, Vec<Fact>) {
    let doc = ctx.doc;
    let mut operator: Option<Fact> = None;
    let mut fallback: Option<Fact> = None;
    let mut contacts: Vec<Fact> = Vec::new();
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    for (s, sent) in doc.sentences.iter().enumerate() {
        let text = doc.slice(sent.start, sent.end);
        if operator.is_none() && text.contains("公司") | text.contains("工作室") {
            for m in company_re().find_iter(text) {
                let mut name = m.as_str();
                let mut skip = 0;
                if let Some(cut) = name_cut(name)
                    && name[cut..].chars().count() >= 4
                {
                    skip = cut;
                    name = &name[cut..];
                }
                let trimmed = name.trim_start_matches(['（', '(']);
                skip += name.len() - trimmed.len();
                let name = trimmed;
                if name.chars().count() < 5 || name.starts_with("有限") {
                    continue;
                }
                let a = sent.start + text[..m.start() + skip].chars().count();
                let fact = Fact {
                    kind: "operator".into(),
                    value: name.to_string(),
                    evidence: span(doc, s, vec![[a, a + name.chars().count()]]),
                };
                if OPERATOR_CUES.iter().any(|c| text.contains(c)) && !ctx.cues[s].third_party {
                    operator = Some(fact);
                    break;
                }
                if fallback.is_none()
                    && !ctx.cues[s].third_party
                    && !ctx.sections[sent.block].third_party
                {
                    fallback = Some(fact);
                }
            }
        }
        let mut push = |kind: &str, value: &str, start: usize| {
            if seen.insert((kind.to_string(), value.to_string())) {
                let a = sent.start + text[..start].chars().count();
                contacts.push(Fact {
                    kind: kind.into(),
                    value: value.into(),
                    evidence: span(doc, s, vec![[a, a + value.chars().count()]]),
                });
            }
        };
        // Under a heading about third parties, contacts are theirs; in a
        // sentence that only names one, an e-mail address is still ours.
        if ctx.sections[sent.block].third_party {
            continue;
        }
        for m in email_re().find_iter(text) {
            push("email", m.as_str(), m.start());
        }
        if ctx.cues[s].third_party {
            continue;
        }
        for m in phone_re().find_iter(text) {
            // Not a part of a longer number (an ID, a date).
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            if before.is_some_and(|c| c.is_ascii_digit())
                || after.is_some_and(|c| c.is_ascii_digit())
            {
                continue;
            }
            push("phone", m.as_str().trim(), m.start());
        }
        for cap in address_re().captures_iter(text) {
            if let Some(g) = cap.get(1) {
                push("address", g.as_str(), g.start());
            }
        }
    }
    (operator.or(fallback), contacts)
}

fn dates(ctx: &Ctx<'_>) -> Vec<Fact> {
    let doc = ctx.doc;
    let mut out = Vec::new();
    let n = doc.sentences.len();
    for (s, sent) in doc.sentences.iter().enumerate() {
        let text = doc.slice(sent.start, sent.end);
        let kind = if text.contains("生效") || text.contains("施行") {
            "effective"
        } else if text.contains("更新") || text.contains("修订") || text.contains("修改") {
            "updated"
        } else if text.contains("发布") || text.contains("版本") {
            "published"
        } else if s < 5 || s + 5 >= n {
            "date"
        } else {
            continue;
        };
        for cap in date_re().captures_iter(text) {
            let (Some(y), Some(m), Some(d), Some(all)) =
                (cap.get(1), cap.get(2), cap.get(3), cap.get(0))
            else {
                continue;
            };
            let (Ok(y), Ok(m), Ok(d)) = (
                y.as_str().parse::<u32>(),
                m.as_str().parse::<u32>(),
                d.as_str().parse::<u32>(),
            ) else {
                continue;
            };
            if !(1990..=2100).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
                continue;
            }
            let a = sent.start + text[..all.start()].chars().count();
            out.push(Fact {
                kind: kind.into(),
                value: format!("{y:04}-{m:02}-{d:02}"),
                evidence: span(
                    doc,
                    s,
                    vec![[a, a + all.as_str().trim_end().chars().count()]],
                ),
            });
        }
    }
    out
}

fn language(doc: &Document) -> Language {
    let mut han = 0usize;
    let mut letters = 0usize;
    let mut trad = 0usize;
    for c in doc.text.chars() {
        if is_han(c) {
            han += 1;
            if TRADITIONAL.contains(c) {
                trad += 1;
            }
        } else if c.is_alphabetic() {
            letters += 1;
        }
    }
    let han_ratio = if han + letters == 0 {
        0.0
    } else {
        han as f64 / (han + letters) as f64
    };
    let traditional_ratio = if han == 0 {
        0.0
    } else {
        trad as f64 / han as f64
    };
    Language {
        han_ratio,
        traditional_ratio,
        simplified_chinese: han_ratio >= 0.3 && traditional_ratio < 0.01,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers() {
        assert_eq!(parse_number("15"), Some(15));
        assert_eq!(parse_number("十五"), Some(15));
        assert_eq!(parse_number("三十"), Some(30));
        assert_eq!(parse_number("十"), Some(10));
        assert_eq!(parse_number("七"), Some(7));
        assert_eq!(parse_number("两"), Some(2));
        assert_eq!(parse_number("一百二十"), Some(120));
        assert_eq!(parse_number("x"), None);
    }

    #[test]
    fn ascii_terms_need_word_boundaries() {
        let t = "IMEI and MEID, notIMEI";
        assert!(ascii_bounded(t, 0, 4));
        assert!(!ascii_bounded(t, 18, 22));
        assert!(ascii_bounded("设备IMEI号", 6, 10));
    }

    fn report(text: &str) -> PolicyReport {
        let doc = crate::input::read(text, crate::input::Format::Text);
        analyse(&doc, Lexicon::embedded(), Source::default())
    }

    #[test]
    fn company_names_keep_their_brackets() {
        assert_eq!(name_cut("随手拍（北京）科技有限公司"), None);
        let n = "我们是随手拍（北京）科技有限公司";
        assert_eq!(
            name_cut(n).map(|i| &n[i..]),
            Some("随手拍（北京）科技有限公司")
        );
        let r = report("随手拍（北京）科技有限公司（以下简称“我们”）是本应用的运营者。");
        let op = r.operator.expect("operator");
        assert_eq!(op.value, "随手拍（北京）科技有限公司");
        let [a, b] = op.evidence.terms[0];
        assert_eq!(b - a, op.value.chars().count());
    }

    #[test]
    fn simplified_characters_are_not_traditional() {
        let r = report(
            "我们收集、存储、删除您的信息，您可以撤回同意；我们会告知您，并在设置中列明区域。",
        );
        assert_eq!(r.language.traditional_ratio, 0.0);
        assert!(r.language.simplified_chinese);
        let t = report("我們會收集您的個人資訊，並依據本隱私權政策處理與保護。");
        assert!(!t.language.simplified_chinese);
    }

    #[test]
    fn retention_days_are_no_time_limit() {
        let r = report(
            "注销账号后，我们将在30天内删除或匿名化处理您的个人信息。冲印完成并签收后30天，我们将删除冲印照片。\n\
             我们将在收到您的请求后15个工作日内予以答复。您提出删除请求的，我们将在20天内处理。",
        );
        let days: Vec<u32> = r.time_limits.iter().map(|t| t.days).collect();
        assert_eq!(days, [15, 20]);
    }

    #[test]
    fn kinds_and_running_text_before_sdk_name_no_party() {
        assert!(only_kinds("统计"));
        assert!(only_kinds("消息推送类"));
        assert!(!only_kinds("友盟"));
        let r = report(
            "我们在本应用中接入了下表所列的第三方SDK，例如统计SDK、广告SDK；关闭后该SDK不再上报；\
             发现不一致时暂停发布并要求SDK提供方整改；我们集成了鲸鱼云SDK，用于统计；\
             他们会通过SDK收集设备信息；我们会通过SDK收集设备信息；鹈鹕会通过SDK收集设备信息。",
        );
        let names: Vec<&str> = r.third_parties.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["鲸鱼云SDK", "鹈鹕SDK"]);
        let [a, b] = r.third_parties[1].evidence[0].terms[0];
        assert_eq!(b - a, 2, "the subject only");
    }

    #[test]
    fn questions_and_refusals_declare_nothing() {
        let r = report(
            "问：本应用会读取我的剪贴板吗？答：不会。本应用不申请查询已安装应用列表的权限。",
        );
        assert!(r.pi_types.is_empty(), "{:?}", r.pi_types);
        assert!(r.permissions.is_empty(), "{:?}", r.permissions);
    }

    #[test]
    fn a_sensitive_mark_counts_wherever_the_type_is_named() {
        let r = report(
            "我们会在您授权后收集您的位置信息，用于展示附近的内容。位置信息属于敏感个人信息。",
        );
        let loc = r
            .pi_types
            .iter()
            .find(|p| p.pi_type == "location")
            .expect("location");
        assert!(loc.marked);
    }

    #[test]
    fn words_inside_urls_are_not_names_or_terms() {
        let r = report(
            "第三方SDK：华为推送服务，隐私政策 https://developer.huawei.com/consumer/cn/doc/HMSCore-Guides/privacy-gps-imei 。",
        );
        let ids: Vec<Option<&str>> = r
            .third_parties
            .iter()
            .map(|t| t.sdk_id.as_deref())
            .collect();
        assert_eq!(ids, [Some("huawei.push")]);
        assert!(r.pi_types.is_empty(), "{:?}", r.pi_types);
    }
}
