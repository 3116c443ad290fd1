//! Evaluation of pipa's policy reader against the CA4P-483 annotations
//! (EMNLP 2022; research use): how many of the annotators' data spans (label
//! 数据) and named third parties (labels 受试者 and 操作者, without pronouns,
//! self-references and generic categories) pipa finds, and how many of its
//! findings the annotators marked. Shared by `examples/corpus_eval.rs` and
//! `tests/corpus_eval.rs`.
//!
//! The corpus (`$PIPA_SHARED/corpus/policies`, default `<repo>/../shared/…`)
//! is never part of the repository: `html/NNNN.html` (tagtog anndoc; the text
//! is the content of its `<pre>` element, HTML entities decoded) and
//! `annotations/NNNN.json` (`{classId_name, text, start, end}`, offsets in
//! Unicode code points into that text). Policies sorted by file name: the
//! first 100 are the development set (the lexicon was tuned on them), the
//! other 100 are held out.
//!
//! pipa reads the same text as a `.txt` file; its plain text drops rule lines
//! (`=====`) and collapses white space, so its offsets are mapped back to the
//! annotators' by aligning the two texts (every other character is kept).
//!
//! pipa's report keeps at most six sentences of evidence per PI type and per
//! third party. To score every mention, the policy is analysed again with the
//! mentions already found overwritten (same byte length, structure kept) until
//! no new mention appears; "as reported" scores the first pass only. (For
//! PI terms this gives exactly what pipa reports with the cap lifted; checked
//! once by patching the cap. Party mentions come out about 1 % more.)
//!
//! Scoring, with character overlap as a match:
//! - 数据: predicted = the term ranges of `pi_types` and of `pi_denied` (the
//!   annotators mark data whether or not its collection is denied; a
//!   declared-only row is printed too). Precision = predicted terms on a gold
//!   span / predicted; recall = gold spans under a predicted term / gold.
//!   The annotators mark only some mentions (about half of those of 设备信息
//!   or 手机号 in the dev set), so precision is a lower bound; precision over
//!   the terms in sentences that carry any labelled annotation is printed as
//!   a fairer estimate. Recall is also given without generic gold spans
//!   ([`GENERIC_DATA`]) and without data pipa deliberately leaves unmapped
//!   ([`UNMAPPED_DATA`]).
//! - named parties: gold = 受试者 and 操作者 spans that [`party_kind`] calls
//!   named (not a pronoun, the user or the operator and its app, not a
//!   category); predicted = the name ranges in `third_parties` evidence.
//!   SDK tables are seldom annotated, so precision is a lower bound.

#![allow(dead_code)]

use pipa_policy::{Document, Format, Lexicon, Source, analyse, analyse_bytes};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Policies in the development set (the first, by file name).
pub const DEV: usize = 100;

/// Most analysis passes per policy when uncapping the evidence.
const MAX_PASSES: usize = 400;

/// The corpus folder: `$PIPA_SHARED/corpus/policies`, or
/// `<repo>/../shared/corpus/policies`.
pub fn corpus_dir() -> PathBuf {
    match std::env::var_os("PIPA_SHARED") {
        Some(d) => PathBuf::from(d).join("corpus/policies"),
        None => {
            let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/policies");
            p.canonicalize().unwrap_or(p)
        }
    }
}

/// Which policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Set {
    /// The first 100 (the lexicon was tuned on them).
    Dev,
    /// The other 100.
    Test,
    /// All.
    All,
}

impl Set {
    /// `dev`, `test`, `all`.
    pub fn parse(s: &str) -> Option<Set> {
        match s {
            "dev" => Some(Set::Dev),
            "test" | "held-out" | "heldout" => Some(Set::Test),
            "all" => Some(Set::All),
            _ => None,
        }
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        match self {
            Set::Dev => "dev",
            Set::Test => "held-out",
            Set::All => "all",
        }
    }
}

/// One annotation.
#[derive(Debug, Clone)]
pub struct Gold {
    /// `数据`, `受试者`, … (empty for the unlabelled segments).
    pub label: String,
    /// The annotated text.
    pub text: String,
    /// First code point.
    pub start: usize,
    /// One past the last.
    pub end: usize,
}

/// One policy of the corpus.
#[derive(Debug, Clone)]
pub struct Item {
    /// The file stem (`NNNN`).
    pub id: String,
    /// The annotators' text.
    pub text: String,
    /// The annotations.
    pub gold: Vec<Gold>,
    /// Annotations whose text equals the slice at their offsets.
    pub offsets_ok: usize,
}

/// The policies of the corpus, sorted by file name, with their set.
pub fn list(dir: &Path) -> Result<Vec<(String, Set)>, String> {
    let rd = std::fs::read_dir(dir.join("html")).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut ids: Vec<String> = rd
        .flatten()
        .filter_map(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.strip_suffix(".html").map(str::to_string)
        })
        .collect();
    ids.sort();
    Ok(ids
        .into_iter()
        .enumerate()
        .map(|(i, id)| (id, if i < DEV { Set::Dev } else { Set::Test }))
        .collect())
}

/// Decodes the entities tagtog writes (`&lt;` `&gt;` `&amp;` `&quot;`, and
/// numeric ones).
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(j) = rest
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == ';')
            .map(|(j, _)| j)
        else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let ent = &rest[1..j];
        let c = match ent {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => ent
                .strip_prefix("#x")
                .or_else(|| ent.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| ent.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[j + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The annotators' text: the contents of the `<pre>` elements, concatenated,
/// entities decoded.
pub fn annotated_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<pre") {
        rest = &rest[i..];
        let Some(open) = rest.find('>') else { break };
        rest = &rest[open + 1..];
        let end = rest.find("</pre>").unwrap_or(rest.len());
        out.push_str(&unescape(&rest[..end]));
        rest = &rest[end..];
    }
    out
}

/// Reads policy `id`.
pub fn load(dir: &Path, id: &str) -> Result<Item, String> {
    let hp = dir.join("html").join(format!("{id}.html"));
    let ap = dir.join("annotations").join(format!("{id}.json"));
    let html = std::fs::read_to_string(&hp).map_err(|e| format!("{}: {e}", hp.display()))?;
    let ann = std::fs::read_to_string(&ap).map_err(|e| format!("{}: {e}", ap.display()))?;
    let text = annotated_text(&html);
    let v: serde_json::Value =
        serde_json::from_str(&ann).map_err(|e| format!("{}: {e}", ap.display()))?;
    let chars: Vec<char> = text.chars().collect();
    let mut gold = Vec::new();
    let mut offsets_ok = 0;
    for a in v.as_array().into_iter().flatten() {
        let s = |k: &str| {
            a.get(k)
                .and_then(|x| x.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let n = |k: &str| a.get(k).and_then(|x| x.as_u64()).unwrap_or(0) as usize;
        let g = Gold {
            label: s("classId_name"),
            text: s("text"),
            start: n("start"),
            end: n("end"),
        };
        if g.start <= g.end
            && g.end <= chars.len()
            && chars[g.start..g.end].iter().collect::<String>() == g.text
        {
            offsets_ok += 1;
        }
        gold.push(g);
    }
    Ok(Item {
        id: id.to_string(),
        text,
        gold,
        offsets_ok,
    })
}

// ---------------------------------------------------------------------------
// Gold categories.

/// Gold 数据 spans that name no kind of data (recall is also given without
/// them).
pub const GENERIC_DATA: &[&str] = &[
    "个人信息",
    "信息",
    "数据",
    "相关信息",
    "这些信息",
    "上述信息",
    "以上信息",
    "前述信息",
    "该信息",
    "该等信息",
    "此类信息",
    "此信息",
    "其他信息",
    "个人数据",
    "用户信息",
    "您的信息",
    "您的个人信息",
    "用户个人信息",
    "个人敏感信息",
    "敏感信息",
    "个人隐私信息",
    "隐私信息",
    "必要信息",
    "必要的信息",
    "相关个人信息",
    "上述个人信息",
    "您的个人数据",
    "个人信息数据",
    "敏感个人信息",
    "其他个人信息",
    "你的个人信息",
    "你的信息",
    "资料",
    "个人资料",
    "内容",
    "用户数据",
    "相关数据",
    "该等个人信息",
    "这些个人信息",
    "您提供的信息",
    "有关信息",
    "部分信息",
    "所需信息",
    "对应信息",
    "上述数据",
    "未成年人个人信息",
    "儿童个人信息",
    "非个人身份信息",
    "个人身份信息",
];

/// Data pipa deliberately maps to no PI type (kb/policy_terms.yaml, header
/// "未映射"): a gold span made only of these is outside pipa's scope.
pub const UNMAPPED_DATA: &[&str] = &[
    "姓名",
    "真实姓名",
    "性别",
    "生日",
    "出生日期",
    "出生年月",
    "年龄",
    "地址",
    "收货地址",
    "住址",
    "通信地址",
    "通讯地址",
    "邮寄地址",
    "联系地址",
    "邮政编码",
    "邮编",
    "职业",
    "学历",
    "学校",
    "年级",
    "兴趣爱好",
    "爱好",
    "兴趣",
    "用户画像",
    "标签",
    "用户画像标签",
    "评论",
    "点赞",
    "关注",
    "收藏",
    "发布内容",
    "反馈",
    "反馈信息",
    "好友列表",
    "聊天记录",
    "通讯关系",
    "Cookie",
    "Cookies",
    "cookie",
    "地区",
    "城市",
    "所在地",
    "所在地区",
    "游戏数据",
    "对局信息",
    "成就",
    "崩溃记录",
    "性能数据",
    "统计信息",
    "IP",
    "QQ",
    "微信",
    "电话",
    "邮箱",
    "短信验证码",
    "验证码",
];

/// Parties that are the policy's own side or the user.
pub const SELF_PARTIES: &[&str] = &[
    "我们",
    "我",
    "您",
    "你",
    "您本人",
    "你本人",
    "本人",
    "我公司",
    "本公司",
    "我司",
    "本司",
    "我行",
    "本行",
    "我方",
    "本方",
    "用户",
    "用户本人",
    "本应用",
    "本软件",
    "本app",
    "本APP",
    "本App",
    "本平台",
    "本网站",
    "本站",
    "本产品",
    "本游戏",
    "其",
    "他们",
    "它们",
    "他",
    "她",
    "它",
    "系统",
    "服务器",
    "平台",
    "我们的服务器",
    "监护人",
    "您的监护人",
    "其他用户",
    "个人信息主体",
    "您的好友",
    "好友",
    "云端",
    "后台",
    "客户端",
];

/// Words that make a party a category rather than a name.
pub const GENERIC_PARTY_HEADS: &[&str] = &[
    "第三方",
    "伙伴",
    "合作方",
    "合作单位",
    "关联方",
    "关联公司",
    "组织",
    "个人",
    "其他方",
    "服务商",
    "提供商",
    "供应商",
    "提供方",
    "服务方",
    "机构",
    "商家",
    "承包商",
    "广告商",
    "制造商",
    "厂商",
    "运营商",
    "开发者",
    "开发方",
    "单位",
    "部门",
    "机关",
    "公众",
    "代理",
    "代理人",
    "受托方",
    "受托者",
    "受让方",
    "收购方",
    "接收方",
    "商户",
    "主体",
    "人员",
    "专家",
    "顾问",
    "银行",
    "法院",
    "政府",
    "企业",
    "卖家",
    "买家",
    "对方",
    "接收者",
    "他人",
    "第三者",
    "任何人",
    "合作商",
    "功能",
    "商城",
];

/// Words that open a reference to parties named elsewhere.
pub const GENERIC_PARTY_PREFIXES: &[&str] = &[
    "上述",
    "前述",
    "所述",
    "该",
    "此",
    "这些",
    "这类",
    "此类",
    "相关",
    "其他",
    "其它",
    "任何",
    "除",
    "有关",
    "对应",
    "相应",
    "各",
    "部分",
    "某些",
    "特定",
    "必要的",
    "我们的",
    "您的",
    "这个",
    "那些",
    "那个",
    "第三方",
    "您",
    "你",
    "通过",
    "在",
    "所需",
    "登陆",
    "登录",
    "同类",
];

/// How a gold party is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartyKind {
    /// A pronoun, the user, or the operator and its app.
    SelfRef,
    /// A category (第三方, 合作伙伴, 支付机构 …).
    Generic,
    /// A named party: scored.
    Named,
}

fn has_latin_name(t: &str) -> bool {
    let mut s = t.to_string();
    for w in ["SDK", "sdk", "Sdk", "APP", "App", "app", "API", "IT", "ID"] {
        s = s.replace(w, "");
    }
    s.chars().any(|c| c.is_ascii_alphanumeric())
}

/// Words that, before `SDK`, name no party (第三方SDK, 广告SDK).
const GENERIC_SDK_WORDS: &[&str] = &[
    "第三方",
    "广告",
    "统计",
    "推送",
    "支付",
    "分享",
    "登录",
    "地图",
    "定位",
    "安全",
    "风控",
    "客服",
    "Push",
    "push",
    "厂商",
    "手机厂商",
    "合作方",
    "合作伙伴",
    "三方",
];

/// Classifies a gold party span; `self_names` are the operator's and the
/// app's names ([`self_names`]).
pub fn party_kind(t: &str, self_names: &BTreeSet<String>) -> PartyKind {
    let t = t.trim_matches(|c: char| {
        c.is_whitespace() || c.is_ascii_punctuation() || "，。、：；“”‘’（）《》【】".contains(c)
    });
    if SELF_PARTIES.contains(&t)
        || self_names.contains(t)
        || t.is_empty()
        || (t.chars().count() < 2 && !t.is_ascii())
    {
        return PartyKind::SelfRef;
    }
    if self_names.iter().any(|n| {
        n.chars().count() >= 2
            && ((t.contains(n.as_str()) && t.chars().count() <= n.chars().count() + 4)
                || (t.chars().count() >= 2 && n.contains(t)))
    }) {
        return PartyKind::SelfRef;
    }
    let lower = t.to_ascii_lowercase();
    if lower.contains("cookie") || lower.contains("beacon") || t.contains("像素标签") {
        return PartyKind::Generic;
    }
    if GENERIC_PARTY_PREFIXES.iter().any(|p| t.starts_with(p)) {
        return PartyKind::Generic;
    }
    // <name>SDK: the name decides.
    let bare = t
        .trim_end_matches(|c: char| c.is_whitespace())
        .strip_suffix("SDK")
        .or_else(|| t.strip_suffix("sdk"))
        .map(|x| x.trim_end());
    if let Some(x) = bare {
        if x.is_empty() || x.ends_with('的') || GENERIC_SDK_WORDS.iter().any(|w| x.ends_with(w)) {
            return PartyKind::Generic;
        }
        return party_kind(x, self_names);
    }
    if GENERIC_PARTY_HEADS.iter().any(|h| t.ends_with(h))
        || t.ends_with('方')
        || t.ends_with("对象")
    {
        return PartyKind::Generic;
    }
    let legal = ["有限公司", "集团", "股份公司", "工作室", "有限责任公司"]
        .iter()
        .any(|w| t.contains(w));
    if legal || has_latin_name(t) {
        return PartyKind::Named;
    }
    // X公司: a name when X is (short and) no category word.
    if let Some(x) = t.strip_suffix("公司") {
        let generic_x = [
            "关联",
            "第三方",
            "合作",
            "支付",
            "物流",
            "快递",
            "广告",
            "服务",
            "技术",
            "数据",
            "的",
            "我",
            "本",
            "其",
            "云",
            "子",
            "母",
            "分",
            "电信",
            "运营",
            "保险",
            "证券",
            "金融",
        ];
        if !x.is_empty() && x.chars().count() <= 4 && !generic_x.iter().any(|g| x.contains(g)) {
            return PartyKind::Named;
        }
        return PartyKind::Generic;
    }
    // Made of category words only (在线客服, 数据存储设施, 所有用户).
    let mut rest = t.to_string();
    for w in GENERIC_PARTY_HEADS.iter().chain(GENERIC_PARTY_WORDS) {
        rest = rest.replace(w, "");
    }
    if rest.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
        return PartyKind::Generic;
    }
    PartyKind::Named
}

/// Words that describe a party without naming it (removed before asking
/// whether anything of a name is left).
pub const GENERIC_PARTY_WORDS: &[&str] = &[
    "使用者",
    "用户",
    "客服",
    "服务",
    "系统",
    "设施",
    "设备",
    "程序",
    "应用",
    "平台",
    "开放",
    "中心",
    "数据",
    "存储",
    "本地",
    "呼叫",
    "在线",
    "审计",
    "技术",
    "提供",
    "接收",
    "记录",
    "收集",
    "注册",
    "身份",
    "学生",
    "家长",
    "教师",
    "好友",
    "家人",
    "孩子",
    "所有",
    "最终",
    "外界",
    "其他",
    "我们",
    "绑定",
    "账号",
    "使用",
    "合作商",
    "合作",
    "关联",
    "公司",
    "他人",
    "收货人",
    "投诉人",
    "这个",
    "过程",
    "相应",
    "各类",
    "各种",
    "有关",
    "专业",
    "外部",
    "境外",
    "境内",
    "国家",
    "客户",
    "电信",
    "社交",
    "网络",
    "科研",
    "院所",
    "高校",
    "游戏",
    "邮寄",
    "商店",
    "风控",
    "账户",
    "登录",
    "登陆",
    "上述",
    "购物",
    "收货",
    "点赞",
    "评论",
    "报名",
    "咨询",
    "广告主",
    "广告",
    "受托",
    "支付",
    "第三方",
    "所需",
    "同类",
    "范围",
    "法律",
    "法规",
    "允许",
    "投诉",
    "销售",
    "代理",
    "产品",
    "您",
    "你",
    "的",
    "和",
    "及",
    "与",
    "或",
    "等",
];

/// Names the operator gives itself near the start of the text.
const SELF_INTRO: &[&str] = &["简称", "统称", "下称", "以下称", "（指", "(指"];

/// Characters at the start of a policy where the operator introduces itself:
/// a handler (操作者) named there is taken for the operator or its app.
pub const SELF_HEAD: usize = 400;

/// The operator's and the app's own names: the title (`# 某某隐私政策` →
/// 某某), names in 《…》 or “…” before 隐私政策/隐私协议, and, in the first
/// 2,000 characters, the names a company gives itself (`…有限公司（以下简称
/// “某某”）`, `某某公司（指…）`, `某某（或简称“我们”）`).
pub fn self_names(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut push = |s: &str| {
        let s = s.trim_matches(|c: char| {
            c.is_whitespace() || c.is_ascii_punctuation() || "“”《》「」（）【】：，".contains(c)
        });
        if (2..=30).contains(&s.chars().count()) {
            out.insert(s.to_string());
        }
    };
    const POLICY: &[&str] = &[
        "用户隐私与使用协议",
        "个人信息保护政策",
        "隐私保护政策",
        "隐私保护指引",
        "用户隐私政策",
        "隐私权政策",
        "用户使用协议",
        "用户协议",
        "隐私政策",
        "隐私协议",
        "隐私条款",
        "隐私保护",
        "服务条款",
        "服务协议",
        "隐私权声明",
        "隐私声明",
    ];
    // Title-ish lines.
    for line in text.lines().filter(|l| !l.trim().is_empty()).take(4) {
        let l = line.trim();
        if l.starts_with("Apkid") {
            continue;
        }
        for suffix in POLICY {
            if let Some(i) = l.find(suffix) {
                let head = l[..i].trim_end_matches(['A', 'P', 'p', ' ']);
                push(head);
                break;
            }
        }
    }
    for quote in [('“', '”'), ('《', '》')] {
        let mut rest = text;
        while let Some(i) = rest.find(quote.0) {
            let after = &rest[i + quote.0.len_utf8()..];
            let Some(j) = after.find(quote.1) else { break };
            let inner = &after[..j];
            let next = &after[j + quote.1.len_utf8()..];
            if POLICY.iter().any(|p| next.starts_with(p)) {
                push(inner);
            }
            for p in POLICY {
                if let Some(x) = inner.strip_suffix(p) {
                    push(x);
                    break;
                }
            }
            rest = next;
        }
    }
    // Self-introductions near the start.
    let head: String = text.chars().take(2000).collect();
    for cue in SELF_INTRO {
        let mut from = 0;
        while let Some(k) = head[from..].find(cue).map(|k| k + from) {
            from = k + cue.len();
            let after: String = head[from..].chars().take(40).collect();
            let before: String = {
                let v: Vec<char> = head[..k].chars().rev().take(80).collect();
                v.into_iter().rev().collect()
            };
            // Quoted names right after the cue: “某某”、“我们”.
            let quoted: Vec<String> = after
                .split(['“', '”', '"', '「', '」'])
                .skip(1)
                .step_by(2)
                .take(3)
                .map(str::to_string)
                .collect();
            let speaks_for_us = quoted
                .iter()
                .any(|q| q.contains("我们") || q.contains("本公司"))
                || before.contains("有限公司")
                || after.contains("有限公司")
                || cue.contains('指');
            if !speaks_for_us {
                continue;
            }
            for q in &quoted {
                if !q.contains("政策")
                    && !q.contains("协议")
                    && !q.contains("我们")
                    && !q.contains("用户")
                    && !q.contains('您')
                {
                    push(q);
                }
            }
            // The name just before (the bracket).
            let b = before.trim_end_matches(['（', '(', '或', '以', '下', '文', ' ', '，']);
            let start = b
                .rfind(|c: char| {
                    "，。；：、\n “”".contains(c)
                        || c == '由'
                        || c == '是'
                        || c == '示'
                        || c == '用'
                })
                .map_or(0, |x| x + b[x..].chars().next().map_or(1, char::len_utf8));
            push(&b[start..]);
            for m in ["有限责任公司", "股份有限公司", "有限公司"] {
                if let Some(x) = b.rfind(m) {
                    let h = &b[..x + m.len()];
                    let s0 = h
                        .rfind(|c: char| "，。；：、\n “”（(".contains(c) || c == '示' || c == '用')
                        .map_or(0, |x| x + h[x..].chars().next().map_or(1, char::len_utf8));
                    push(&h[s0..]);
                    break;
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Alignment of pipa's plain text to the annotators' text.

fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{a0}' | '\u{3000}' | '\u{200b}' | '\u{feff}')
}

/// Characters a reader drops as markup (rule lines, Markdown marks).
fn markup(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '=' | '-' | '*' | '_' | '—' | '─' | '#' | '|' | '>' | '`' | ':' | '~' | '+'
        )
}

/// For each character of `doc` (and one past the end), the index of the
/// annotators' character it is; and how many characters of the annotators'
/// text were skipped other than white space and markup (0 when the
/// alignment is exact). A space of `doc` with no white space at its place
/// (a reader's cell separator) takes the place of the next character.
pub fn align(doc: &str, input: &[char]) -> (Vec<usize>, usize) {
    let mut map = Vec::with_capacity(doc.len() + 1);
    let mut j = 0;
    let mut skipped = 0;
    for d in doc.chars() {
        if is_space(d) {
            let mut k = j;
            while k < input.len() && markup(input[k]) && !is_space(input[k]) {
                k += 1;
            }
            if k < input.len() && is_space(input[k]) {
                map.push(k);
                j = k + 1;
            } else {
                map.push(j.min(input.len().saturating_sub(1)));
            }
            continue;
        }
        while j < input.len() && input[j] != d {
            if !is_space(input[j]) && !markup(input[j]) {
                skipped += 1;
            }
            j += 1;
        }
        map.push(j.min(input.len().saturating_sub(1)));
        j += 1;
    }
    map.push(j.min(input.len()));
    (map, skipped)
}

// ---------------------------------------------------------------------------
// What pipa finds, every mention.

/// A mention pipa found, in the annotators' offsets.
#[derive(Debug, Clone)]
pub struct Mention {
    /// First code point.
    pub start: usize,
    /// One past the last.
    pub end: usize,
    /// The text.
    pub text: String,
    /// The PI type, or the party's name as pipa reports it.
    pub what: String,
    /// Reported in pipa's first pass (within the evidence cap).
    pub reported: bool,
    /// A PI type the policy says it does not collect (`pi_denied`).
    pub denied: bool,
    /// Its sentence has at least one labelled annotation.
    pub annotated_sentence: bool,
    /// Overlaps a gold span of its kind.
    pub hit: bool,
}

/// A gold span, scored.
#[derive(Debug, Clone)]
pub struct Scored {
    /// The text.
    pub text: String,
    /// First code point.
    pub start: usize,
    /// One past the last.
    pub end: usize,
    /// Generic (data) or its party kind is not `Named`.
    pub generic: bool,
    /// Made only of data pipa deliberately does not map.
    pub unmapped: bool,
    /// A PI term of the lexicon matches in it (so a miss is the context's
    /// doing: `why` tells), rather than no term at all (a lexicon gap).
    pub raw: bool,
    /// For a miss with a term: `heading`, `no-cue` (no collection verb in the
    /// sentence or the headings above it), `other` (a verb is there: a
    /// denial, a table, …).
    pub why: &'static str,
    /// Party kind (parties only).
    pub kind: Option<PartyKind>,
    /// Overlapped by any mention.
    pub hit: bool,
    /// Overlapped by a mention of the first pass.
    pub hit_reported: bool,
    /// Overlapped by a declared (not denied) mention.
    pub hit_declared: bool,
    /// For a miss: the reason pipa gave for not claiming a term there
    /// (`role:definition`, `no_verb`, …; see `near_misses`), and the
    /// sentence, from the first pass.
    pub near: Option<(String, String)>,
}

/// One policy's outcome.
#[derive(Debug, Clone)]
pub struct PolicyEval {
    /// The file stem (`NNNN`).
    pub id: String,
    /// Dev or held out.
    pub set: Set,
    /// Milliseconds to read and analyse the policy once.
    pub ms: f64,
    /// Characters of the annotators' text.
    pub chars: usize,
    /// Annotations, and those whose offsets check.
    pub annotations: usize,
    /// Annotations whose text equals their slice.
    pub offsets_ok: usize,
    /// Characters skipped by the alignment (0 = exact).
    pub align_skipped: usize,
    /// Analysis passes to uncap the PI evidence, the party evidence.
    pub passes: (usize, usize),
    /// Gold 数据.
    pub data_gold: Vec<Scored>,
    /// PI term mentions.
    pub data_pred: Vec<Mention>,
    /// Gold parties (all kinds; `kind` tells).
    pub party_gold: Vec<Scored>,
    /// Third-party name mentions.
    pub party_pred: Vec<Mention>,
}

const FILL: [char; 4] = ['~', '\u{a4}', '\u{25a1}', '\u{1f532}'];

/// Characters never overwritten: cue words (a sentence keeps its verbs),
/// `SDK`, and headings.
fn protected(doc: &Document, words: &[String]) -> Vec<bool> {
    let n = doc.chars();
    let mut p = vec![false; n];
    for w in words
        .iter()
        .map(String::as_str)
        .chain(["SDK", "sdk", "Sdk"])
    {
        if w.is_empty() {
            continue;
        }
        for (b, m) in doc.text.match_indices(w) {
            let s = doc.char_at(b);
            let e = doc.char_at(b + m.len());
            p[s..e.min(n)].iter_mut().for_each(|x| *x = true);
        }
    }
    for b in &doc.blocks {
        if matches!(b.kind, pipa_policy::BlockKind::Heading(_)) {
            p[b.start..b.end.min(n)].iter_mut().for_each(|x| *x = true);
        }
    }
    p
}

/// `doc` with the characters of `masked` overwritten, byte lengths kept (so
/// every offset and the structure stay as they are).
fn masked_doc(doc: &Document, masked: &[bool]) -> Document {
    let mut d = doc.clone();
    d.text = doc
        .text
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if masked.get(i).copied().unwrap_or(false) {
                FILL[c.len_utf8() - 1]
            } else {
                c
            }
        })
        .collect();
    d
}

/// A raw mention in pipa's offsets.
struct Raw {
    s: usize,
    e: usize,
    what: String,
    denied: bool,
    pass: usize,
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Runs `find` over `doc` again and again, masking what it found, until no
/// new mention appears. Returns the mentions and the number of passes.
fn uncapped(
    doc: &Document,
    first: Vec<(usize, usize, String, bool)>,
    protect: &[bool],
    mut find: impl FnMut(&Document) -> Vec<(usize, usize, String, bool)>,
) -> (Vec<Raw>, usize) {
    let n = doc.chars();
    let mut seen: Vec<Raw> = Vec::new();
    let mut masked = vec![false; n];
    let mut found = first;
    let mut pass = 1;
    loop {
        let mut new = 0;
        let mut taken: Vec<(usize, usize)> = seen.iter().map(|r| (r.s, r.e)).collect();
        taken.sort_unstable();
        for (s, e, what, denied) in found {
            if s >= e || e > n || masked[s..e].iter().any(|&m| m) {
                continue;
            }
            let i = taken.partition_point(|&(_, te)| te <= s);
            if taken.get(i).is_some_and(|&t| overlaps(t, (s, e)))
                || seen.iter().any(|r| overlaps((r.s, r.e), (s, e)))
            {
                continue;
            }
            for (k, m) in masked[s..e].iter_mut().enumerate() {
                if !protect[s + k] {
                    *m = true;
                }
            }
            seen.push(Raw {
                s,
                e,
                what,
                denied,
                pass,
            });
            new += 1;
        }
        if new == 0 || pass >= MAX_PASSES {
            break;
        }
        pass += 1;
        found = find(&masked_doc(doc, &masked));
    }
    (seen, pass)
}

fn pi_mentions(
    r: &pipa_policy::PolicyReport,
    declared_first: &BTreeSet<String>,
) -> Vec<(usize, usize, String, bool)> {
    let mut v = Vec::new();
    for d in &r.pi_types {
        for sp in &d.evidence {
            for t in &sp.terms {
                v.push((t[0], t[1], d.pi_type.clone(), false));
            }
        }
    }
    for d in r
        .pi_denied
        .iter()
        .filter(|d| !declared_first.contains(&d.pi_type))
    {
        for sp in &d.evidence {
            for t in &sp.terms {
                v.push((t[0], t[1], d.pi_type.clone(), true));
            }
        }
    }
    v
}

fn party_mentions(r: &pipa_policy::PolicyReport) -> Vec<(usize, usize, String, bool)> {
    let mut v = Vec::new();
    for p in &r.third_parties {
        for sp in &p.evidence {
            for t in &sp.terms {
                v.push((t[0], t[1], p.name.clone(), false));
            }
        }
    }
    v
}

/// How pipa is given the text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// An experiment, not the measurement: overwrite the `=====` lines of
    /// the corpus with spaces (offsets kept) before pipa reads the text, so
    /// that its text reader does not take the line above each for a Setext
    /// heading.
    pub blank_rules: bool,
    /// An experiment: give pipa the text as Markdown (`.md`), which the
    /// corpus's text resembles (`###` headings, `**` bold, `|` tables).
    pub markdown: bool,
}

/// The text pipa is given: the annotators' text, or with `=====` lines
/// blanked ([`Options::blank_rules`]); always as many characters.
pub fn pipa_input(text: &str, opt: Options) -> String {
    if !opt.blank_rules {
        return text.to_string();
    }
    text.split('\n')
        .map(|l| {
            let t = l.trim();
            if t.chars().count() >= 3 && t.chars().all(|c| c == '=') {
                " ".repeat(l.chars().count())
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn pipa_format(opt: Options) -> Format {
    if opt.markdown {
        Format::Markdown
    } else {
        Format::Text
    }
}

fn file_name(id: &str, opt: Options) -> String {
    format!("{id}.{}", if opt.markdown { "md" } else { "txt" })
}

/// Evaluates one policy.
pub fn evaluate(item: &Item, set: Set, lex: &Lexicon, opt: Options) -> Result<PolicyEval, String> {
    let given = pipa_input(&item.text, opt);
    let t0 = Instant::now();
    let policy = analyse_bytes(
        &file_name(&item.id, opt),
        given.as_bytes(),
        Some(pipa_format(opt)),
        lex,
    )
    .map_err(|e| format!("{}: {e}", item.id))?;
    let ms = t0.elapsed().as_secs_f64() * 1000.0;
    let doc = &policy.document;
    let report = &policy.report;
    let input: Vec<char> = item.text.chars().collect();
    let given: Vec<char> = given.chars().collect();
    let (map, align_skipped) = align(&doc.text, &given);
    let to_input = |s: usize, e: usize| -> (usize, usize) {
        let a = map[s.min(map.len() - 1)];
        let b = if e > s {
            map[(e - 1).min(map.len() - 1)] + 1
        } else {
            a
        };
        (a, b)
    };

    let kb = pipa_kb::Kb::embedded();
    let mut cue_words: Vec<String> = Vec::new();
    cue_words.extend(kb.policy.collect_words.iter().cloned());
    cue_words.extend(kb.policy.weak_collect_words.iter().cloned());
    cue_words.extend(kb.policy.verb_after_markers.iter().cloned());
    cue_words.extend(kb.policy.negation_words.iter().cloned());
    cue_words.extend(kb.policy.third_party_words.iter().cloned());
    cue_words.extend(kb.policy.sensitive_markers.iter().cloned());
    let protect = protected(doc, &cue_words);

    let declared_first: BTreeSet<String> =
        report.pi_types.iter().map(|d| d.pi_type.clone()).collect();
    let (pi_raw, pi_passes) = uncapped(doc, pi_mentions(report, &declared_first), &protect, |d| {
        pi_mentions(&analyse(d, lex, Source::default()), &declared_first)
    });
    let (tp_raw, tp_passes) = uncapped(doc, party_mentions(report), &protect, |d| {
        party_mentions(&analyse(d, lex, Source::default()))
    });

    // Sentences (annotators' offsets) that carry a labelled annotation.
    let labelled: Vec<(usize, usize)> = item
        .gold
        .iter()
        .filter(|g| !g.label.is_empty())
        .map(|g| (g.start, g.end))
        .collect();
    let sentence_annotated = |c: usize| -> bool {
        doc.sentence_at(c).is_some_and(|i| {
            let s = doc.sentences[i];
            let r = to_input(s.start, s.end);
            labelled.iter().any(|&g| overlaps(g, r))
        })
    };
    let mention = |r: &Raw| -> Mention {
        let (s, e) = to_input(r.s, r.e);
        Mention {
            start: s,
            end: e,
            text: input[s..e].iter().collect(),
            what: r.what.clone(),
            reported: r.pass == 1,
            denied: r.denied,
            annotated_sentence: sentence_annotated(r.s),
            hit: false,
        }
    };
    let mut data_pred: Vec<Mention> = pi_raw.iter().map(mention).collect();
    let mut party_pred: Vec<Mention> = tp_raw.iter().map(mention).collect();

    // Gold, deduplicated.
    let mut seen = BTreeSet::new();
    let selfs = self_names(&item.text);
    let head: String = item
        .text
        .lines()
        .filter(|l| !l.starts_with("Apkid"))
        .flat_map(|l| l.chars().chain(['\n']))
        .take(SELF_HEAD)
        .collect();
    let mut data_gold = Vec::new();
    let mut party_gold = Vec::new();
    for g in &item.gold {
        if !seen.insert((g.label.clone(), g.start, g.end)) {
            continue;
        }
        let text = g.text.trim().to_string();
        match g.label.as_str() {
            "数据" => {
                let norm = text
                    .trim_start_matches("您的")
                    .trim_start_matches("你的")
                    .trim_start_matches("用户的");
                let generic = GENERIC_DATA.contains(&norm) || GENERIC_DATA.contains(&text.as_str());
                let items: Vec<&str> = norm
                    .split(['、', '，', ',', '/', '和', '及', '与', '或'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect();
                let unmapped = !items.is_empty() && items.iter().all(|i| UNMAPPED_DATA.contains(i));
                data_gold.push(Scored {
                    text,
                    start: g.start,
                    end: g.end,
                    generic,
                    unmapped,
                    raw: false,
                    why: "",
                    kind: None,
                    hit: false,
                    hit_reported: false,
                    hit_declared: false,
                    near: None,
                });
            }
            "受试者" | "操作者" => {
                let bare =
                    text.trim_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace());
                let kind = match party_kind(&text, &selfs) {
                    PartyKind::Named
                        if g.label == "操作者"
                            && bare.chars().count() >= 2
                            && head.contains(bare) =>
                    {
                        PartyKind::SelfRef
                    }
                    k => k,
                };
                party_gold.push(Scored {
                    text,
                    start: g.start,
                    end: g.end,
                    generic: kind != PartyKind::Named,
                    unmapped: false,
                    raw: false,
                    why: "",
                    kind: Some(kind),
                    hit: false,
                    hit_reported: false,
                    hit_declared: false,
                    near: None,
                });
            }
            _ => {}
        }
    }
    // Two labels on one span count once.
    party_gold.sort_by_key(|g| (g.start, g.end));
    party_gold.dedup_by_key(|g| (g.start, g.end));

    score(&mut data_gold, &mut data_pred, |_| true);
    for g in data_gold.iter_mut().filter(|g| !g.hit) {
        g.near = report
            .near_misses
            .iter()
            .find(|n| overlaps(to_input(n.term[0], n.term[1]), (g.start, g.end)))
            .map(|n| {
                (
                    n.reason.clone(),
                    doc.slice(n.sentence[0], n.sentence[1]).to_string(),
                )
            });
    }
    // Misses: a term of the lexicon there (context) or none (lexicon)?
    let collect = &kb.policy.collect_words;
    let raws: Vec<(usize, usize, (usize, usize))> = raw_pi_terms(&doc.text)
        .into_iter()
        .map(|(bs, be)| {
            let (s, e) = (doc.char_at(bs), doc.char_at(be));
            (s, e, to_input(s, e))
        })
        .collect();
    for g in data_gold.iter_mut() {
        let Some(&(s, _, _)) = raws.iter().find(|r| overlaps(r.2, (g.start, g.end))) else {
            continue;
        };
        g.raw = true;
        if g.hit {
            continue;
        }
        g.why = match doc.sentence_at(s) {
            Some(i) => {
                let sent = doc.sentences[i];
                let block = sent.block;
                if matches!(doc.blocks[block].kind, pipa_policy::BlockKind::Heading(_)) {
                    "heading"
                } else {
                    let text = doc.sentence_text(i);
                    let cue = collect.iter().any(|w| text.contains(w.as_str()))
                        || doc
                            .heading_titles(block)
                            .any(|h| collect.iter().any(|w| h.contains(w.as_str())));
                    if cue { "other" } else { "no-cue" }
                }
            }
            None => "other",
        };
    }
    score(&mut party_gold, &mut party_pred, |g| {
        g.kind == Some(PartyKind::Named)
    });

    Ok(PolicyEval {
        id: item.id.clone(),
        set,
        ms,
        chars: input.len(),
        annotations: item.gold.len(),
        offsets_ok: item.offsets_ok,
        align_skipped,
        passes: (pi_passes, tp_passes),
        data_gold,
        data_pred,
        party_gold,
        party_pred,
    })
}

/// Byte ranges of the lexicon's PI terms in `text` (built like pipa's
/// automaton: terms and `not` phrases, leftmost-longest, ASCII case
/// insensitive; `not` matches dropped).
fn raw_pi_terms(text: &str) -> Vec<(usize, usize)> {
    static AC: std::sync::OnceLock<(aho_corasick::AhoCorasick, Vec<bool>)> =
        std::sync::OnceLock::new();
    let (ac, is_term) = AC.get_or_init(|| {
        let mut pats = Vec::new();
        let mut is_term = Vec::new();
        for t in &pipa_kb::Kb::embedded().policy_terms.pi_terms {
            for w in &t.terms {
                pats.push(w.clone());
                is_term.push(true);
            }
            for w in &t.not {
                pats.push(w.clone());
                is_term.push(false);
            }
        }
        let ac = aho_corasick::AhoCorasickBuilder::new()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(&pats)
            .unwrap_or_else(|e| panic!("PI terms automaton: {e}"));
        (ac, is_term)
    });
    ac.find_iter(text)
        .filter(|m| is_term[m.pattern().as_usize()])
        .map(|m| (m.start(), m.end()))
        .collect()
}

fn score(gold: &mut [Scored], pred: &mut [Mention], counts: impl Fn(&Scored) -> bool) {
    for p in pred.iter_mut() {
        p.hit = gold
            .iter()
            .any(|g| counts(g) && overlaps((g.start, g.end), (p.start, p.end)));
    }
    for g in gold.iter_mut() {
        for p in pred.iter() {
            if overlaps((g.start, g.end), (p.start, p.end)) {
                g.hit = true;
                g.hit_reported |= p.reported;
                g.hit_declared |= !p.denied;
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Figures.

/// A ratio with its parts.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ratio {
    /// Numerator.
    pub n: usize,
    /// Denominator.
    pub d: usize,
}

impl Ratio {
    /// n/d (0 when d is 0).
    pub fn value(self) -> f64 {
        if self.d == 0 {
            0.0
        } else {
            self.n as f64 / self.d as f64
        }
    }

    fn add(&mut self, hit: bool) {
        self.d += 1;
        self.n += usize::from(hit);
    }
}

impl std::fmt::Display for Ratio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.3} ({}/{})", self.value(), self.n, self.d)
    }
}

/// The figures of a set.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Policies.
    pub policies: usize,
    /// 数据, every mention (declared and denied): precision.
    pub data_p: Ratio,
    /// … precision over mentions in sentences with a labelled annotation.
    pub data_p_annotated: Ratio,
    /// … recall.
    pub data_r: Ratio,
    /// … recall without generic gold spans.
    pub data_r_specific: Ratio,
    /// … recall without generic spans and data pipa does not map.
    pub data_r_in_scope: Ratio,
    /// 数据, declared mentions only: precision.
    pub data_decl_p: Ratio,
    /// … recall.
    pub data_decl_r: Ratio,
    /// 数据, as reported (first pass): precision.
    pub data_rep_p: Ratio,
    /// … recall.
    pub data_rep_r: Ratio,
    /// … recall without generic gold spans.
    pub data_rep_r_specific: Ratio,
    /// Named parties, every mention: precision.
    pub party_p: Ratio,
    /// … precision in annotated sentences.
    pub party_p_annotated: Ratio,
    /// … recall.
    pub party_r: Ratio,
    /// Named parties as reported: precision.
    pub party_rep_p: Ratio,
    /// … recall.
    pub party_rep_r: Ratio,
    /// Distinct named parties per policy found (any mention).
    pub party_names_r: Ratio,
    /// Distinct parties pipa names per policy with a mention on a named gold party.
    pub party_names_p: Ratio,
    /// Missed specific in-scope gold 数据: with a lexicon term (by `why`:
    /// heading, no-cue, other), without any term.
    pub data_miss_causes: (usize, usize, usize, usize),
    /// Gold party spans: self, generic, named.
    pub party_kinds: (usize, usize, usize),
    /// Analysis time per policy, ms: mean, max, total.
    pub ms: (f64, f64, f64),
    /// Annotations whose offsets check, of all.
    pub offsets: Ratio,
    /// Characters skipped by the alignment, all policies.
    pub align_skipped: usize,
    /// Most passes.
    pub max_passes: usize,
}

/// The figures of `evals`.
pub fn summarise(evals: &[&PolicyEval]) -> Summary {
    let mut s = Summary {
        policies: evals.len(),
        ..Summary::default()
    };
    let mut total = 0.0f64;
    let mut max = 0.0f64;
    for e in evals {
        total += e.ms;
        max = max.max(e.ms);
        s.offsets.n += e.offsets_ok;
        s.offsets.d += e.annotations;
        s.align_skipped += e.align_skipped;
        s.max_passes = s.max_passes.max(e.passes.0).max(e.passes.1);
        for p in &e.data_pred {
            s.data_p.add(p.hit);
            if p.annotated_sentence {
                s.data_p_annotated.add(p.hit);
            }
            if !p.denied {
                s.data_decl_p.add(p.hit);
            }
            if p.reported {
                s.data_rep_p.add(p.hit);
            }
        }
        for g in &e.data_gold {
            s.data_r.add(g.hit);
            s.data_decl_r.add(g.hit_declared);
            s.data_rep_r.add(g.hit_reported);
            if !g.generic {
                s.data_r_specific.add(g.hit);
                s.data_rep_r_specific.add(g.hit_reported);
                if !g.unmapped {
                    s.data_r_in_scope.add(g.hit);
                    if !g.hit {
                        match g.why {
                            "heading" => s.data_miss_causes.0 += 1,
                            "no-cue" => s.data_miss_causes.1 += 1,
                            _ if g.raw => s.data_miss_causes.2 += 1,
                            _ => s.data_miss_causes.3 += 1,
                        }
                    }
                }
            }
        }
        for p in &e.party_pred {
            s.party_p.add(p.hit);
            if p.annotated_sentence {
                s.party_p_annotated.add(p.hit);
            }
            if p.reported {
                s.party_rep_p.add(p.hit);
            }
        }
        let mut names: BTreeMap<String, bool> = BTreeMap::new();
        for g in &e.party_gold {
            match g.kind {
                Some(PartyKind::SelfRef) => s.party_kinds.0 += 1,
                Some(PartyKind::Generic) => s.party_kinds.1 += 1,
                _ => {
                    s.party_kinds.2 += 1;
                    s.party_r.add(g.hit);
                    s.party_rep_r.add(g.hit_reported);
                    *names.entry(norm_name(&g.text)).or_default() |= g.hit;
                }
            }
        }
        for hit in names.into_values() {
            s.party_names_r.add(hit);
        }
        for hit in found_parties(e).into_values() {
            s.party_names_p.add(hit);
        }
    }
    if !evals.is_empty() {
        s.ms = (total / evals.len() as f64, max, total);
    }
    s
}

/// pipa's parties of one policy (by the name it reports): whether any of
/// their mentions is on a named gold party.
pub fn found_parties(e: &PolicyEval) -> BTreeMap<String, bool> {
    let mut m: BTreeMap<String, bool> = BTreeMap::new();
    for p in &e.party_pred {
        *m.entry(p.what.clone()).or_default() |= p.hit;
    }
    m
}

fn norm_name(t: &str) -> String {
    t.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The table of figures, one column per set.
pub fn table(cols: &[(&str, &Summary)]) -> String {
    let mut out = format!("{:<46}", "");
    for (n, _) in cols {
        out.push_str(&format!(" {n:>22}"));
    }
    out.push('\n');
    let r = |x: Ratio| format!("{x}");
    let mut row = |name: &str, f: &dyn Fn(&Summary) -> String| {
        out.push_str(&format!("{name:<46}"));
        for (_, s) in cols {
            out.push_str(&format!(" {:>22}", f(s)));
        }
        out.push('\n');
    };
    row("policies", &|s| s.policies.to_string());
    row("annotation offsets = text", &|s| r(s.offsets));
    row("alignment: skipped chars", &|s| s.align_skipped.to_string());
    row("数据 precision (all mentions)", &|s| r(s.data_p));
    row("数据 precision (in annotated sentences)", &|s| {
        r(s.data_p_annotated)
    });
    row("数据 recall", &|s| r(s.data_r));
    row("数据 recall, generic gold excluded", &|s| {
        r(s.data_r_specific)
    });
    row("数据 recall, generic+unmapped excluded", &|s| {
        r(s.data_r_in_scope)
    });
    row("  in-scope misses: term in heading", &|s| {
        s.data_miss_causes.0.to_string()
    });
    row("  in-scope misses: term, no collect verb", &|s| {
        s.data_miss_causes.1.to_string()
    });
    row("  in-scope misses: term, verb there (other)", &|s| {
        s.data_miss_causes.2.to_string()
    });
    row("  in-scope misses: no lexicon term", &|s| {
        s.data_miss_causes.3.to_string()
    });
    row("数据 declared only: precision", &|s| r(s.data_decl_p));
    row("数据 declared only: recall", &|s| r(s.data_decl_r));
    row("数据 as reported (cap 6/type): precision", &|s| {
        r(s.data_rep_p)
    });
    row("数据 as reported: recall", &|s| r(s.data_rep_r));
    row("数据 as reported: recall, generic excl.", &|s| {
        r(s.data_rep_r_specific)
    });
    row("gold parties self/generic/named", &|s| {
        format!(
            "{}/{}/{}",
            s.party_kinds.0, s.party_kinds.1, s.party_kinds.2
        )
    });
    row("named parties precision (all mentions)", &|s| r(s.party_p));
    row("named parties precision (annotated sent.)", &|s| {
        r(s.party_p_annotated)
    });
    row("named parties recall (mentions)", &|s| r(s.party_r));
    row(
        "named parties as reported: precision",
        &|s| r(s.party_rep_p),
    );
    row("named parties as reported: recall", &|s| r(s.party_rep_r));
    row("named parties recall (distinct per policy)", &|s| {
        r(s.party_names_r)
    });
    row("parties precision (distinct per policy)", &|s| {
        r(s.party_names_p)
    });
    row("analysis ms/policy mean", &|s| format!("{:.1}", s.ms.0));
    row("analysis ms/policy max", &|s| format!("{:.1}", s.ms.1));
    row("analysis ms total", &|s| format!("{:.0}", s.ms.2));
    row("most passes to uncap evidence", &|s| {
        s.max_passes.to_string()
    });
    out
}

/// Most frequent texts, with counts.
pub fn top<'a>(items: impl Iterator<Item = &'a str>, n: usize) -> Vec<(String, usize)> {
    let mut c: HashMap<String, usize> = HashMap::new();
    for i in items {
        *c.entry(i.replace('\n', "⏎")).or_default() += 1;
    }
    let mut v: Vec<(String, usize)> = c.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.truncate(n);
    v
}

/// The worst misses of `evals`, as text.
pub fn misses(evals: &[&PolicyEval], n: usize) -> String {
    let mut out = String::new();
    let list = |out: &mut String, title: &str, v: Vec<(String, usize)>| {
        out.push_str(&format!("{title}\n"));
        for (t, c) in v {
            out.push_str(&format!("  {c:>4}  {t}\n"));
        }
    };
    list(
        &mut out,
        "missed gold 数据 (all, most frequent):",
        top(
            evals.iter().flat_map(|e| {
                e.data_gold
                    .iter()
                    .filter(|g| !g.hit)
                    .map(|g| g.text.as_str())
            }),
            n,
        ),
    );
    list(
        &mut out,
        "missed gold 数据 (generic and unmapped excluded):",
        top(
            evals.iter().flat_map(|e| {
                e.data_gold
                    .iter()
                    .filter(|g| !g.hit && !g.generic && !g.unmapped)
                    .map(|g| g.text.as_str())
            }),
            n,
        ),
    );
    list(
        &mut out,
        "missed in-scope gold 数据 with no lexicon term (lexicon gaps):",
        top(
            evals.iter().flat_map(|e| {
                e.data_gold
                    .iter()
                    .filter(|g| !g.hit && !g.generic && !g.unmapped && !g.raw)
                    .map(|g| g.text.as_str())
            }),
            n,
        ),
    );
    list(
        &mut out,
        "missed in-scope gold 数据 with a lexicon term (context: why text):",
        top(
            evals
                .iter()
                .flat_map(|e| {
                    e.data_gold
                        .iter()
                        .filter(|g| !g.hit && !g.generic && !g.unmapped && g.raw)
                        .map(|g| format!("[{}] {}", g.why, g.text))
                })
                .collect::<Vec<_>>()
                .iter()
                .map(String::as_str),
            n,
        ),
    );
    out.push_str("PI terms by false positives (pred, hits, precision; in annotated sentences: pred, hits):\n");
    let mut per: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    for p in evals.iter().flat_map(|e| &e.data_pred) {
        let c = per.entry(p.text.clone()).or_default();
        c[0] += 1;
        c[1] += usize::from(p.hit);
        if p.annotated_sentence {
            c[2] += 1;
            c[3] += usize::from(p.hit);
        }
    }
    let mut per: Vec<(String, [usize; 4])> = per.into_iter().collect();
    per.sort_by(|a, b| {
        (b.1[0] - b.1[1])
            .cmp(&(a.1[0] - a.1[1]))
            .then_with(|| a.0.cmp(&b.0))
    });
    for (t, c) in per.iter().take(n) {
        out.push_str(&format!(
            "  {:>4} {:>4} {:.2}   {:>4} {:>4}  {t}\n",
            c[0],
            c[1],
            c[1] as f64 / c[0].max(1) as f64,
            c[2],
            c[3]
        ));
    }
    list(
        &mut out,
        "false-positive PI terms (text):",
        top(
            evals.iter().flat_map(|e| {
                e.data_pred
                    .iter()
                    .filter(|p| !p.hit)
                    .map(|p| p.text.as_str())
            }),
            n,
        ),
    );
    list(
        &mut out,
        "false-positive PI terms in annotated sentences (text):",
        top(
            evals.iter().flat_map(|e| {
                e.data_pred
                    .iter()
                    .filter(|p| !p.hit && p.annotated_sentence)
                    .map(|p| p.text.as_str())
            }),
            n,
        ),
    );
    let fp_types = top(
        evals.iter().flat_map(|e| {
            e.data_pred
                .iter()
                .filter(|p| !p.hit)
                .map(|p| p.what.as_str())
        }),
        30,
    );
    list(&mut out, "false-positive PI terms by pipa type:", fp_types);
    list(
        &mut out,
        "missed named parties:",
        top(
            evals.iter().flat_map(|e| {
                e.party_gold
                    .iter()
                    .filter(|g| !g.hit && g.kind == Some(PartyKind::Named))
                    .map(|g| g.text.as_str())
            }),
            n,
        ),
    );
    list(
        &mut out,
        "found named parties:",
        top(
            evals.iter().flat_map(|e| {
                e.party_gold
                    .iter()
                    .filter(|g| g.hit && g.kind == Some(PartyKind::Named))
                    .map(|g| g.text.as_str())
            }),
            n,
        ),
    );
    list(
        &mut out,
        "false-positive party mentions (text):",
        top(
            evals.iter().flat_map(|e| {
                e.party_pred
                    .iter()
                    .filter(|p| !p.hit)
                    .map(|p| p.text.as_str())
            }),
            n,
        ),
    );
    list(
        &mut out,
        "false-positive parties (distinct per policy, pipa's name):",
        top(
            evals
                .iter()
                .flat_map(|e| {
                    found_parties(e)
                        .into_iter()
                        .filter(|(_, hit)| !hit)
                        .map(|(n, _)| n)
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
                .iter()
                .map(String::as_str),
            n,
        ),
    );
    list(
        &mut out,
        "gold parties counted as generic:",
        top(
            evals.iter().flat_map(|e| {
                e.party_gold
                    .iter()
                    .filter(|g| g.kind == Some(PartyKind::Generic))
                    .map(|g| g.text.as_str())
            }),
            n,
        ),
    );
    list(
        &mut out,
        "gold parties counted as self:",
        top(
            evals.iter().flat_map(|e| {
                e.party_gold
                    .iter()
                    .filter(|g| g.kind == Some(PartyKind::SelfRef))
                    .map(|g| g.text.as_str())
            }),
            n,
        ),
    );
    out
}

/// Loads and evaluates every policy of `set` on `threads` threads, in file
/// order. The analysis time of each policy is measured afterwards, one
/// policy at a time, so that the threads do not slow each other down.
pub fn run(
    dir: &Path,
    set: Set,
    lex: &Lexicon,
    threads: usize,
    opt: Options,
) -> Result<Vec<PolicyEval>, String> {
    let items: Vec<(Item, Set)> = list(dir)?
        .into_iter()
        .filter(|(_, s)| set == Set::All || *s == set)
        .map(|(id, s)| load(dir, &id).map(|i| (i, s)))
        .collect::<Result<_, _>>()?;
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: std::sync::Mutex<Vec<(usize, Result<PolicyEval, String>)>> =
        std::sync::Mutex::new(Vec::new());
    std::thread::scope(|sc| {
        for _ in 0..threads.max(1) {
            sc.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some((item, s)) = items.get(i) else { break };
                    let r = evaluate(item, *s, lex, opt);
                    results
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((i, r));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results.sort_by_key(|(i, _)| *i);
    let mut evals: Vec<PolicyEval> = results
        .into_iter()
        .map(|(_, r)| r)
        .collect::<Result<_, _>>()?;
    for (e, (item, _)) in evals.iter_mut().zip(&items) {
        let given = pipa_input(&item.text, opt);
        let t0 = Instant::now();
        analyse_bytes(
            &file_name(&item.id, opt),
            given.as_bytes(),
            Some(pipa_format(opt)),
            lex,
        )
        .map_err(|err| format!("{}: {err}", item.id))?;
        e.ms = t0.elapsed().as_secs_f64() * 1000.0;
    }
    Ok(evals)
}

/// Threads to use: the machine's, at most 16.
pub fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(4, |n| n.get())
        .min(16)
}
