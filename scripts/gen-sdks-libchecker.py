#!/usr/bin/env python3
"""Generate kb/sdks/libchecker.yaml from LibChecker-Rules.

Usage (from the repository root):

    python3 scripts/gen-sdks-libchecker.py [RULES_DIR] [--out kb/sdks/libchecker.yaml]

RULES_DIR defaults to ../shared/reference/libchecker-rules (relative to the
repository root's parent). Python 3 standard library only (the YAML reader for
the curated files and the YAML writer are written here by hand).

LibChecker-Rules (https://github.com/LibChecker/LibChecker-Rules) is
Copyright the LibChecker team, Apache License 2.0. Only names are taken:
rule file names (component classes, native library names), label, team and
relativeUrl. Descriptions are NOT copied.

What it does
------------
* Reads `<folder>/<signature>.json` from activities-libs, services-libs,
  receivers-libs, providers-libs (component class names) and native-libs
  (native library file names). Invalid JSON files are skipped and listed on
  stderr. `*/regex/*.json` rules are regex rules; in the copy we read their
  JSON holds no pattern (LibChecker keeps the expressions in its compiled
  rules database), so they contribute a pattern only when the JSON has a
  `regex` / `pattern` field; otherwise they are listed on stderr and skipped.
  `static-libs` (shared-library package names) has no place in the model and
  is skipped too.
* Groups the rules by (label, team). A label that a curated entry of another
  kb/sdks/*.yaml file claims (`libchecker: [label, ...]`) becomes an extension
  record (`extends: true`) of that entry carrying only the signatures the
  entry lacks; every other group becomes an entry `lc.<slug>` with
  `sources: [libchecker]`, `status: unverified`, `collects: []`.
* Derives a `dex` prefix for a generated entry from the longest common
  package of its component classes, when it is specific enough (see
  `derive_dex`), unique among generated entries and not equal to a dex prefix
  of any curated entry.
* Output is sorted and byte-for-byte stable for the same input.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import os
import re
import sys
import unicodedata

COMPONENT_FOLDERS = ["activities-libs", "services-libs", "receivers-libs", "providers-libs"]
NATIVE_FOLDER = "native-libs"

# C++ runtimes that any native code may ship: never evidence of the SDK whose
# LibChecker label happens to list them (they stay on the generic
# "C++ 共享库" entry only).
GENERIC_NATIVE = {"libc++_shared.so", "libgnustl_shared.so", "libstlport_shared.so"}
OUT_NAME = "libchecker.yaml"

# Namespaces a derived dex prefix may never be (too broad: a platform, or a
# vendor group with many unrelated products).
DEX_BLOCKLIST = {
    "android", "androidx", "java", "javax", "kotlin", "kotlinx", "dalvik", "dagger",
    "org", "com", "net", "cn", "io", "me", "de",
    "com.google", "com.google.android", "com.google.android.gms", "com.google.firebase",
    "com.google.android.material", "com.google.android.exoplayer2", "com.google.common",
    "com.android", "com.android.support", "android.support", "android.support.v4",
    "androidx.core", "androidx.work", "androidx.work.impl", "androidx.room",
    "com.facebook", "com.tencent", "com.tencent.mm", "com.qq", "com.alibaba",
    "com.alibaba.android", "com.alibaba.sdk", "com.alibaba.sdk.android", "com.alipay",
    "com.alipay.mobile", "com.ali", "com.aliyun", "com.taobao", "com.baidu",
    "com.baidu.android", "com.huawei", "com.huawei.hms", "com.huawei.android",
    "com.hihonor", "com.xiaomi", "com.miui", "com.bytedance", "com.bytedance.sdk",
    "com.ss", "com.ss.android", "com.sina", "com.netease", "com.umeng", "com.meizu",
    "com.vivo", "com.oppo", "com.heytap", "com.coloros", "com.samsung", "com.amazon",
    "com.microsoft", "com.apple", "com.jd", "com.kuaishou", "com.kwai", "com.iflytek",
    "com.squareup", "cn.jiguang", "com.bilibili", "com.didi", "com.meituan", "com.sankuai",
    "com.xingin", "com.zhihu", "com.qihoo360", "com.qihoo", "com.iqiyi", "org.qiyi",
    "com.youku", "com.sohu", "com.ctrip", "com.xunmeng", "com.pinduoduo", "com.douban",
    "com.weibo", "com.kingsoft", "com.tencent.map", "com.tencent.mobileqq", "org.apache", "org.chromium", "org.webkit", "org.json", "org.xml",
    "org.w3c", "com.sun", "sun", "libcore", "junit", "org.junit",
}

# Second segments that never make a 2-segment prefix specific enough.
GENERIC_SECOND = {
    "android", "google", "example", "app", "apps", "sdk", "lib", "library", "common",
    "base", "core", "util", "utils", "tencent", "alibaba", "baidu", "huawei", "xiaomi",
    "bytedance", "facebook", "sina", "netease", "umeng", "alipay", "taobao", "qq", "ss",
    "mobile", "support", "github", "open", "test",
}

JAVA_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
CLASS_NAME = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)+$")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
JAVA_KEYWORDS = {
    "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class",
    "const", "continue", "default", "do", "double", "else", "enum", "extends", "final",
    "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
    "interface", "long", "native", "new", "package", "private", "protected", "public",
    "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this",
    "throw", "throws", "transient", "try", "void", "volatile", "while", "true", "false",
    "null",
}

# Category by keywords over label + team (+ the URL's host), first match wins.
# ASCII keywords match whole words, case-insensitively; CJK ones as substrings.
CATEGORY_RULES: list[tuple[str, list[str]]] = [
    ("apm", ["apm", "apminsight", "performance", "性能", "全景监控", "matrix", "卡顿"]),
    ("crash_reporting", ["crash", "crashlytics", "crasheye", "bugly", "acra", "bugsnag",
                         "breakpad", "sentry", "xcrash", "instabug", "崩溃", "云捕"]),
    ("push", ["push", "推送", "messaging", "信鸽", "tpns", "getui", "个推"]),
    ("ads", ["ads", "ad", "admob", "adcolony", "applovin", "pangle", "audience network",
             "mobads", "ironsource", "vungle", "mintegral", "unity ads", "广告", "推广",
             "流量联盟", "极光联盟", "穿山甲", "广点通"]),
    ("hotfix", ["hotfix", "tinker", "andfix", "sophix", "robust", "replugin", "virtualapp",
                "virtual app", "mira", "neptune", "shadow", "qigsaw", "热修复", "插件化"]),
    ("security", ["加固", "安全", "jiagu", "legu", "梆梆", "爱加密", "易盾", "protect",
                  "游戏盾", "反外挂", "手游安全", "tersafe"]),
    ("risk_control", ["风控", "设备指纹", "同盾", "数美", "防水墙", "captcha", "可信 id",
                      "反欺诈", "fingerprint", "dingxiang", "顶象"]),
    ("login", ["号码认证", "一键登录", "极光认证", "闪验", "登录", "login", "sign-in",
               "signin", "oauth", "appauth", "账号", "帐号", "account", "开放平台"]),
    ("share", ["分享", "share", "微博", "weibo"]),
    ("payment", ["支付", "pay", "billing", "银联", "unionpay", "米大师", "midas", "bestpay",
                 "paypal", "stripe", "招商银行", "收银台"]),
    ("media", ["美化", "美颜", "特效", "美摄", "相芯", "faceunity", "nama"]),
    ("identity_verification", ["实人", "人脸", "人像", "face", "liveness", "活体", "身份",
                               "ocr", "文字识别", "旷视", "megvii", "优图", "核身",
                               "faceplusplus"]),
    ("im", ["im", "即时通讯", "云信", "通信", "环信", "融云", "rongcloud", "hyphenate",
            "easemob", "chat"]),
    ("rtc", ["rtc", "实时音视频", "agora", "zego", "即构", "anychat", "gme", "gvoice",
             "游戏语音", "游密", "voip", "webrtc", "trtc"]),
    ("speech", ["语音识别", "语音合成", "speech", "tts", "asr", "讯飞", "iflytek", "思必驰",
                "aispeech", "aiui", "小爱", "语音"]),
    ("customer_service", ["客服", "七鱼", "美洽", "meiqia", "sobot", "zendesk", "intercom",
                          "helpshift", "udesk"]),
    ("map", ["地图", "map", "maps", "mapbox", "lbs", "amap", "高德", "navi", "导航"]),
    ("location", ["定位", "location", "beacon", "geofence"]),
    ("analytics", ["analytics", "统计", "分析", "datafinder", "adjust", "appsflyer",
                   "神策", "sensorsdata", "growingio", "talkingdata", "灯塔", "mta",
                   "measurement", "umeng analytics", "firebase analytics"]),
    ("webview", ["tbs", "浏览服务", "webview", "crosswalk", "chromium", "trichrome",
                 "小程序", "快应用", "finclip", "mini program", "hapjs", "x5"]),
    ("cloud", ["httpdns", "dns", "oss", "cos", "七牛", "qiniu", "upgrade", "检查更新",
               "更新", "后端云", "bmob", "leancloud", "日志服务", "sls", "cdn",
               "appgallery connect", "cloud storage", "云存储", "云手机"]),
    ("framework", ["flutter", "react native", "unity", "godot", "cocos", "cocos2d",
                   "xamarin", "weex", "uni-app", "dcloud", "qt", "cordova", "golang",
                   "python-for-android", "gamemaker", "团结引擎", "mpaas", "kivy",
                   "game engine", "engine"]),
    ("media", ["video", "player", "视频", "ffmpeg", "直播", "image", "gif", "photo",
               "picture", "crop", "ucrop", "fresco", "audio", "mp3", "lame", "exoplayer",
               "ijkplayer", "x264", "opus", "webp", "apng", "gpuimage", "avpro", "fmod",
               "音频", "图片", "媒体", "media"]),
    ("library", ["jetpack", "androidx"]),
]

CODE_HOSTS = ("github.com", "gitlab.com", "googlesource.com", "sourceforge.net",
              "bitbucket.org", "github.io", "gitee.com")

TWO_LEVEL_SUFFIXES = {"com.cn", "net.cn", "org.cn", "gov.cn", "edu.cn", "co.jp", "co.uk",
                      "com.hk", "com.tw", "co.kr", "com.au"}


def die(msg: str) -> None:
    print(f"gen-sdks-libchecker: {msg}", file=sys.stderr)
    sys.exit(1)


def warn(msg: str) -> None:
    print(f"gen-sdks-libchecker: {msg}", file=sys.stderr)


# ---------------------------------------------------------------- reading rules

class Group:
    """The rules sharing one (label, team)."""

    def __init__(self, label: str, team: str) -> None:
        self.label = label
        self.team = team
        self.urls: collections.Counter[str] = collections.Counter()
        self.components: set[str] = set()
        self.components_regex: set[str] = set()
        self.native: set[str] = set()
        self.native_regex: set[str] = set()
        self.regex_files: list[str] = []

    def website(self) -> str:
        urls = [(u, c) for u, c in self.urls.items() if u.startswith(("https://", "http://"))]
        if not urls:
            return ""
        urls.sort(key=lambda uc: (-uc[1], uc[0]))
        return urls[0][0]


def read_json(path: str, skipped: list[str]) -> dict | None:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        skipped.append(f"{path}: {e}")
        return None
    if not isinstance(data, dict) or not isinstance(data.get("label"), str):
        skipped.append(f"{path}: no label")
        return None
    return data


def regex_of(data: dict) -> str | None:
    for key in ("regex", "pattern", "regexName", "name"):
        v = data.get(key)
        if isinstance(v, str) and v:
            return v
    return None


def read_rules(root: str) -> tuple[dict[tuple[str, str], Group], list[str], list[str]]:
    groups: dict[tuple[str, str], Group] = {}
    skipped: list[str] = []
    notes: list[str] = []

    def group(data: dict) -> Group:
        label = data["label"].strip()
        team = (data.get("team") or "").strip() if isinstance(data.get("team"), str) else ""
        key = (label, team)
        if key not in groups:
            groups[key] = Group(label, team)
        g = groups[key]
        url = data.get("relativeUrl")
        if isinstance(url, str) and url.strip():
            g.urls[url.strip()] += 1
        return g

    for folder in COMPONENT_FOLDERS + [NATIVE_FOLDER]:
        base = os.path.join(root, folder)
        if not os.path.isdir(base):
            die(f"{base}: not a directory (is {root} a LibChecker-Rules copy?)")
        for name in sorted(os.listdir(base)):
            path = os.path.join(base, name)
            if name == "regex" and os.path.isdir(path):
                for rname in sorted(os.listdir(path)):
                    if not rname.endswith(".json"):
                        continue
                    rpath = os.path.join(path, rname)
                    data = read_json(rpath, skipped)
                    if data is None:
                        continue
                    pattern = regex_of(data)
                    g = group(data)
                    rel = f"{folder}/regex/{rname}"
                    if pattern is None:
                        notes.append(f"{rel}: regex rule without a pattern in the JSON, not used")
                        continue
                    g.regex_files.append(rel)
                    if folder == NATIVE_FOLDER:
                        g.native_regex.add(pattern)
                    else:
                        g.components_regex.add(pattern)
                continue
            if not name.endswith(".json"):
                continue
            sig = name[: -len(".json")]
            data = read_json(path, skipped)
            if data is None:
                continue
            if folder == NATIVE_FOLDER:
                if not sig.endswith(".so"):
                    notes.append(f"{folder}/{name}: native name without .so, not used")
                    group(data)
                    continue
                group(data).native.add(sig)
            else:
                if not CLASS_NAME.match(sig):
                    notes.append(f"{folder}/{name}: not a class name, not used")
                    group(data)
                    continue
                group(data).components.add(sig)
    static = os.path.join(root, "static-libs")
    if os.path.isdir(static):
        for name in sorted(os.listdir(static)):
            if name.endswith(".json"):
                notes.append(f"static-libs/{name}: static shared libraries are not in the model, not used")
    return groups, skipped, notes


# ------------------------------------------------- reading the curated YAML files

def split_flow(s: str) -> list[str]:
    """Splits the inside of a flow collection at top-level commas."""
    out, depth, cur, quote = [], 0, [], None
    i = 0
    while i < len(s):
        ch = s[i]
        if quote:
            cur.append(ch)
            if ch == "\\" and quote == '"' and i + 1 < len(s):
                cur.append(s[i + 1])
                i += 1
            elif ch == quote:
                if quote == "'" and i + 1 < len(s) and s[i + 1] == "'":
                    cur.append("'")
                    i += 1
                else:
                    quote = None
        elif ch in "\"'":
            quote = ch
            cur.append(ch)
        elif ch in "[{":
            depth += 1
            cur.append(ch)
        elif ch in "]}":
            depth -= 1
            cur.append(ch)
        elif ch == "," and depth == 0:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
        i += 1
    last = "".join(cur).strip()
    if last:
        out.append(last)
    return out


def strip_comment(line: str) -> str:
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i].rstrip()
    return line.rstrip()


def flow_depth(line: str) -> int:
    """Open `[`/`{` minus closed ones outside quotes (a flow collection
    continued on the next line when positive)."""
    depth, quote, last = 0, None, ""
    for ch in line:
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'" and depth > 0 and last in "[{,:":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        if not ch.isspace():
            last = ch
    return depth


def scalar(s: str):
    s = s.strip()
    if s.startswith('"') and s.endswith('"') and len(s) >= 2:
        try:
            return json.loads(s)
        except ValueError:
            return s[1:-1]
    if s.startswith("'") and s.endswith("'") and len(s) >= 2:
        return s[1:-1].replace("''", "'")
    if s.startswith("["):
        inner = s[1:s.rfind("]")] if "]" in s else s[1:]
        return [scalar(x) for x in split_flow(inner)]
    if s.startswith("{"):
        inner = s[1:s.rfind("}")] if "}" in s else s[1:]
        d = {}
        for item in split_flow(inner):
            k, _, v = item.partition(":")
            d[k.strip()] = scalar(v)
        return d
    if s in ("true", "True"):
        return True
    if s in ("false", "False"):
        return False
    return s


def read_curated(path: str) -> list[dict]:
    """The fields this script needs from a curated file: id, extends,
    libchecker and signatures (flow or block lists, flow mappings)."""
    entries: list[dict] = []
    cur: dict | None = None
    key: str | None = None  # top-level key whose block value is being read
    subkey: str | None = None  # signatures sub-key whose block list is being read
    with open(path, encoding="utf-8") as f:
        raw_lines = [strip_comment(x) for x in f.read().splitlines()]
    lines: list[str] = []
    for raw in raw_lines:
        if lines and flow_depth(lines[-1]) > 0:
            lines[-1] = lines[-1] + " " + raw.strip()
        else:
            lines.append(raw)
    for line in lines:
        if not line.strip():
            continue
        m = re.match(r"^- (\w+):\s*(.*)$", line)
        if m:
            cur = {"signatures": {}}
            entries.append(cur)
            key, subkey = None, None
            k, v = m.group(1), m.group(2)
            if v:
                cur[k] = scalar(v)
            continue
        if cur is None:
            continue
        m = re.match(r"^  (\w+):\s*(.*)$", line)
        if m:
            k, v = m.group(1), m.group(2)
            subkey = None
            if k == "signatures" and v.startswith("{"):
                sigs = scalar(v)
                if isinstance(sigs, dict):
                    cur["signatures"] = {a: list(b) if isinstance(b, list) else [b]
                                         for a, b in sigs.items() if b != ""}
                key = None
            elif v:
                cur[k] = scalar(v)
                key = None
            else:
                key = k
                if k != "signatures":
                    cur[k] = []
            continue
        m = re.match(r"^\s{4,}(\w+):\s*(.*)$", line) if key == "signatures" else None
        if m and len(line) - len(line.lstrip()) == 4:
            k, v = m.group(1), m.group(2)
            if v:
                val = scalar(v)
                cur["signatures"][k] = val if isinstance(val, list) else [val]
                subkey = None
            else:
                cur["signatures"][k] = []
                subkey = k
            continue
        m = re.match(r"^\s{2,}- (.*)$", line)
        if m and key == "signatures" and subkey:
            cur["signatures"][subkey].append(scalar(m.group(1)))
            continue
        if m and key and key != "signatures" and isinstance(cur.get(key), list):
            cur[key].append(scalar(m.group(1)))
    for e in entries:
        e["extends"] = e.get("extends") is True
        lc = e.get("libchecker", [])
        e["libchecker"] = [str(x) for x in lc] if isinstance(lc, list) else [str(lc)]
        e["signatures"] = {k: [str(x) for x in v if isinstance(x, str)]
                           for k, v in e["signatures"].items() if isinstance(v, list)}
    return [e for e in entries if isinstance(e.get("id"), str)]


# ------------------------------------------------------------------ derivations

def ascii_slug(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = s.encode("ascii", "ignore").decode("ascii").lower()
    s = s.replace("++", "pp").replace("+", "plus").replace("&", "and")
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s


def host_of(url: str) -> str:
    m = re.match(r"^https?://([^/:?#]+)", url)
    return m.group(1).lower() if m else ""


def host_slug(url: str) -> str:
    host = host_of(url)
    if not host:
        return ""
    parts = [p for p in host.split(".") if p and p != "www"]
    if host.endswith(CODE_HOSTS):
        path = re.sub(r"^https?://[^/]+/?", "", url).split("/")
        owner = path[0] if path and path[0] else ""
        return ascii_slug(owner)
    if len(parts) >= 3 and ".".join(parts[-2:]) in TWO_LEVEL_SUFFIXES:
        return ascii_slug(parts[-3])
    if len(parts) >= 2:
        return ascii_slug(parts[-2])
    return ascii_slug(host)


def short_hash(*parts: str) -> str:
    return hashlib.sha1("\0".join(parts).encode("utf-8")).hexdigest()[:6]


def base_id(g: Group) -> str:
    label_slug = ascii_slug(re.sub(r"\bsdk\b", " ", g.label, flags=re.I))
    if not CJK.search(g.label) and label_slug:
        return label_slug
    # A Chinese label: no transliteration; the vendor (team or website host)
    # plus a short hash of label and team keeps the id stable and unique.
    vendor = ascii_slug(g.team) or host_slug(g.website()) or "x"
    words = ascii_slug(re.sub(r"\bsdk\b", " ", CJK.sub(" ", g.label), flags=re.I))
    stem = f"{vendor}-{words}" if words and words != vendor else vendor
    return f"{stem}.{short_hash(g.label, g.team)}"


def full_slug(g: Group) -> str:
    return ascii_slug(g.label) if not CJK.search(g.label) else ""


def assign_ids(groups: list[Group]) -> dict[int, str]:
    """`lc.<base>`; a base several groups share becomes the full label slug
    (`sdk` kept), else `<base>.<team>`, else `<base>.<hash>`."""
    ids: dict[int, str] = {}
    by_base: dict[str, list[Group]] = collections.defaultdict(list)
    for g in groups:
        by_base[base_id(g)].append(g)
    taken = {b for b, gs in by_base.items() if len(gs) == 1}
    for base, gs in sorted(by_base.items()):
        if len(gs) == 1:
            ids[id(gs[0])] = f"lc.{base}"
            continue
        fulls = collections.Counter(full_slug(g) for g in gs)
        teams = collections.Counter(f"{base}.{ascii_slug(g.team) or 'x'}" for g in gs)
        for g in gs:
            full = full_slug(g)
            team = f"{base}.{ascii_slug(g.team) or 'x'}"
            if full and fulls[full] == 1 and (full == base or full not in by_base):
                cand = full
            elif teams[team] == 1:
                cand = team
            else:
                cand = f"{base}.{short_hash(g.label, g.team)}"
            if cand in taken:
                cand = f"{base}.{short_hash(g.label, g.team)}"
            taken.add(cand)
            ids[id(g)] = f"lc.{cand}"
    return ids


def valid_prefix(p: str) -> bool:
    return all(JAVA_IDENT.match(s) and s not in JAVA_KEYWORDS for s in p.split("."))


def derive_dex(g: Group) -> str | None:
    """Longest common package of the group's component classes, if specific."""
    if not g.components:
        return None
    pkgs = [c.split(".")[:-1] for c in sorted(g.components)]
    common = pkgs[0]
    for p in pkgs[1:]:
        n = 0
        while n < len(common) and n < len(p) and common[n] == p[n]:
            n += 1
        common = common[:n]
    # `$` parts and obfuscated one-letter tails are not packages to trust.
    while common and (("$" in common[-1]) or (len(common[-1]) == 1 and len(common) > 3)):
        common = common[:-1]
    prefix = ".".join(common)
    if not prefix or prefix in DEX_BLOCKLIST or not valid_prefix(prefix):
        return None
    if len(common) >= 3:
        # Reject when every shorter-by-one prefix is a blocked vendor root and
        # the last segment is a generic word (com.tencent.sdk, com.baidu.android).
        if common[-1] in GENERIC_SECOND and ".".join(common[:-1]) in DEX_BLOCKLIST:
            return None
        return prefix
    if len(common) == 2:
        second = common[1]
        if second in GENERIC_SECOND or len(second) < 4:
            return None
        hints = " ".join([ascii_slug(g.label), ascii_slug(g.team), host_of(g.website())])
        if second.lower() in hints.replace("-", " ").replace(".", " ").split() or \
                second.lower() in hints.replace("-", "").replace(".", ""):
            return prefix
    return None


def words_of(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9+]+", text.lower()))


def category_of(g: Group) -> str:
    text = f"{g.label} {g.team}"
    low = text.lower()
    words = words_of(text)
    host = host_of(g.website())
    host_words = set(host.split(".")) if host else set()
    for cat, keys in CATEGORY_RULES:
        for k in keys:
            if CJK.search(k):
                if k in text:
                    return cat
            elif " " in k or "-" in k:
                if re.search(r"(?<![a-z0-9])" + re.escape(k) + r"(?![a-z0-9])", low):
                    return cat
            elif k in words or (len(k) >= 4 and k in host_words):
                return cat
    if host.endswith(CODE_HOSTS):
        return "library"
    return "other"


# ----------------------------------------------------------------- YAML output

RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"}


def q(s: str) -> str:
    """A YAML scalar usable in block and flow context."""
    if (
        s
        and re.fullmatch(r"[A-Za-z0-9_$\u3400-\u9fff][A-Za-z0-9_$.\-+/()（）\u3000-\u9fff\uff00-\uffef ]*", s)
        and not s.endswith(" ")
        and s.lower() not in RESERVED
        and not re.fullmatch(r"[0-9.+\-eE_]+", s)
    ):
        return s
    return json.dumps(s, ensure_ascii=False)


def flow(items) -> str:
    return "[" + ", ".join(q(x) for x in items) + "]"


SIG_ORDER = ["dex", "components", "components_regex", "native", "native_regex"]


def emit_signatures(sigs: dict[str, list[str]]) -> list[str]:
    out = ["  signatures:"]
    for k in SIG_ORDER:
        vals = sigs.get(k) or []
        if not vals:
            continue
        if len(vals) <= 3 and sum(len(v) for v in vals) < 80:
            out.append(f"    {k}: {flow(vals)}")
        else:
            out.append(f"    {k}:")
            out.extend(f"      - {q(v)}" for v in vals)
    return out


HEADER = """\
# GENERATED FILE — do not edit by hand.
# Generated by scripts/gen-sdks-libchecker.py from LibChecker-Rules
# (https://github.com/LibChecker/LibChecker-Rules, the copy in
# ../shared/reference/libchecker-rules; source id `libchecker` in kb/sources.yaml).
# LibChecker-Rules, Copyright the LibChecker team, Apache License 2.0.
# Only names are taken (rule file names = component classes / native library
# names, label, team, relativeUrl); descriptions are not copied. The dex
# prefixes are derived by the script from the component class names.
# Signatures were not re-checked by us: every entry is `status: unverified`.
# To fold a label into a curated entry, list it in that entry's `libchecker:`
# and run the script again.
"""


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("rules", nargs="?",
                    default=os.path.join(os.path.dirname(repo), "shared/reference/libchecker-rules"))
    ap.add_argument("--out", default=os.path.join(repo, "kb/sdks", OUT_NAME))
    args = ap.parse_args()

    groups_map, skipped, notes = read_rules(args.rules)
    for s in skipped:
        warn(f"skipped invalid rule file {s}")
    for n in notes:
        warn(n)

    sdk_dir = os.path.dirname(os.path.abspath(args.out))
    curated: list[tuple[str, dict]] = []
    for name in sorted(os.listdir(sdk_dir)):
        if name.endswith(".yaml") and name != OUT_NAME:
            for e in read_curated(os.path.join(sdk_dir, name)):
                curated.append((name, e))
    curated_by_id: dict[str, dict] = {}
    for name, e in curated:
        if e["extends"]:
            continue
        if e["id"] in curated_by_id:
            warn(f"{name}: id {e['id']} defined twice in curated files")
            continue
        curated_by_id[e["id"]] = e
    # Curated signatures: an entry's own plus those of curated extension records.
    cur_sigs: dict[str, dict[str, set[str]]] = collections.defaultdict(
        lambda: collections.defaultdict(set))
    curated_dex: set[str] = set()
    all_curated_sigs: dict[str, dict[str, str]] = collections.defaultdict(dict)
    for _, e in curated:
        for k, vals in e["signatures"].items():
            cur_sigs[e["id"]][k].update(vals)
            for v in vals:
                all_curated_sigs[k].setdefault(v, e["id"])
            if k == "dex":
                curated_dex.update(vals)

    claims: dict[str, str] = {}
    for _, e in sorted(curated, key=lambda ne: ne[1]["id"]):
        for label in e["libchecker"]:
            if label in claims and claims[label] != e["id"]:
                warn(f"label {label!r} claimed by {claims[label]} and {e['id']}; "
                     f"kept {claims[label]}")
                continue
            claims[label] = e["id"]
    known_labels = {lab for lab, _ in groups_map}
    for label, cid in sorted(claims.items()):
        if label not in known_labels:
            warn(f"{cid} claims label {label!r}, which LibChecker-Rules does not have")

    groups = sorted(groups_map.values(), key=lambda g: (g.label, g.team))
    ext_sigs: dict[str, dict[str, set[str]]] = collections.defaultdict(
        lambda: collections.defaultdict(set))
    ext_labels: dict[str, list[str]] = collections.defaultdict(list)
    own: list[Group] = []
    for g in groups:
        target = claims.get(g.label)
        if target is not None:
            if target not in curated_by_id:
                warn(f"label {g.label!r} claimed by {target}, which is only an extension record")
                continue
            ext_labels[target].append(g.label)
            for k, vals in (("components", g.components),
                            ("components_regex", g.components_regex),
                            ("native", g.native), ("native_regex", g.native_regex)):
                new = {v for v in vals if v not in cur_sigs[target][k]}
                if k == "native":
                    new -= GENERIC_NATIVE
                ext_sigs[target][k].update(new)
        else:
            own.append(g)

    ids = assign_ids(own)
    entries: list[dict] = []
    overlaps: list[str] = []
    for g in own:
        sigs: dict[str, list[str]] = {}
        for k, vals in (("components", g.components), ("components_regex", g.components_regex),
                        ("native", g.native), ("native_regex", g.native_regex)):
            kept = []
            for v in sorted(vals):
                owner = all_curated_sigs[k].get(v)
                if owner is not None:
                    overlaps.append(f"{g.label!r}: {k} {v} is already in curated {owner}")
                else:
                    kept.append(v)
            if kept:
                sigs[k] = kept
        if not sigs:
            if not (g.components or g.native or g.components_regex or g.native_regex):
                warn(f"label {g.label!r} ({g.team}): no usable signature, no entry")
            else:
                warn(f"label {g.label!r} ({g.team}): every signature is in a curated entry "
                     f"(claim the label there), no entry")
            continue
        entries.append({"group": g, "id": ids[id(g)], "sigs": sigs, "dex": derive_dex(g)})
    for o in overlaps:
        warn(f"overlap {o}")

    # A derived dex prefix must be unique among all entries.
    dex_count = collections.Counter(e["dex"] for e in entries if e["dex"])
    for e in entries:
        d = e["dex"]
        if d and (d in curated_dex or dex_count[d] > 1):
            warn(f"{e['id']}: derived dex {d} dropped (also in another entry)")
            e["dex"] = None
        if e["dex"]:
            e["sigs"] = {"dex": [e["dex"]], **e["sigs"]}

    entries.sort(key=lambda e: e["id"])
    out: list[str] = [HEADER]
    cats: collections.Counter[str] = collections.Counter()
    for e in entries:
        g: Group = e["group"]
        cat = category_of(g)
        cats[cat] += 1
        name = g.label
        vendor = g.team or g.label
        out.append(f"- id: {e['id']}")
        out.append(f"  name: {{zh: {q(name)}, en: {q(name)}}}")
        out.append(f"  vendor: {{zh: {q(vendor)}, en: {q(vendor)}}}")
        out.append(f"  category: {cat}")
        if g.website():
            out.append(f"  website: {q(g.website())}")
        out.extend(emit_signatures(e["sigs"]))
        out.append("  collects: []")
        out.append(f"  libchecker: {flow([g.label])}")
        out.append("  sources: [libchecker]")
        out.append("  status: unverified")
        out.append("")
    n_ext = 0
    for target in sorted(ext_sigs):
        sigs = {k: sorted(v) for k, v in ext_sigs[target].items() if v}
        if not sigs:
            continue
        n_ext += 1
        out.append(f"- id: {target}")
        out.append("  extends: true")
        out.extend(emit_signatures(sigs))
        out.append("  sources: [libchecker]")
        out.append("")
    text = "\n".join(out).rstrip("\n") + "\n"
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)

    with_dex = sum(1 for e in entries if e["dex"])
    print(f"groups: {len(groups)}", file=sys.stderr)
    print(f"claimed groups: {sum(len(v) for v in ext_labels.values())} "
          f"(labels claimed by {len(ext_labels)} curated entries)", file=sys.stderr)
    print(f"generated entries: {len(entries)} (with a dex prefix: {with_dex})", file=sys.stderr)
    print(f"extension records: {n_ext}", file=sys.stderr)
    print(f"skipped invalid files: {len(skipped)}", file=sys.stderr)
    print("categories: " + ", ".join(f"{k} {v}" for k, v in sorted(cats.items())),
          file=sys.stderr)


if __name__ == "__main__":
    main()
