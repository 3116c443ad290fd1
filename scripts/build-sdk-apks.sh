#!/usr/bin/env bash
# Wraps real third-party SDK binaries into test APKs, one per `apk`/`renamed` row of
# fixtures/sdk-binaries.tsv, for crates/pipa-cli/tests/sdk_binaries.rs:
#   jars (an aar's classes.jar + libs/*.jar) -> dex with D8 (bundletool-all-1.17.2.jar
#   from the pinned MobSF sdist), the listed/aar AndroidManifest.xml files merged into one
#   manifest for package pipa.sdkfixture.<name> (placeholders filled, references to the
#   library's own resources dropped) and linked by aapt against android-framework-res,
#   then classes*.dex, lib/<abi>/*.so and assets/ added. Rows of kind `renamed` first move
#   every class under an obfuscated package (baksmali, rewrite, smali).
#
#   scripts/build-sdk-apks.sh [name...]     # all rows, or only the named ones
#
# Inputs come from scripts/fetch-fixtures.sh ($PIPA_FIXTURES/sdk-src, default
# .cache/fixtures) and, for corpus: rows, ../shared/corpus/sdk ($PIPA_SDK_CORPUS); those rows
# are skipped with a notice when it is absent. Output: $PIPA_FIXTURES/sdk-apks/<name>.apk.
# Idempotent: a row whose APK was built from the same row (but for its expected ids),
# inputs and RECIPE is kept.
# Exit status 1 when a row fails (its name is printed); 0 with a notice when the tools
# (java, aapt, smali/baksmali, framework-res) or the fetched inputs are missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fixtures=${PIPA_FIXTURES:-$root/.cache/fixtures}
corpus=${PIPA_SDK_CORPUS:-$root/../shared/corpus/sdk}
framework=/usr/share/android-framework-res/framework-res.apk

missing=()
for tool in java aapt python3; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if grep -q $'^renamed\t' "$root/fixtures/sdk-binaries.tsv"; then
  for tool in smali baksmali; do command -v "$tool" >/dev/null || missing+=("$tool"); done
fi
[ -f "$framework" ] || missing+=("$framework")
if [ ${#missing[@]} -gt 0 ]; then
  echo "build-sdk-apks: notice: missing ${missing[*]}; SDK test APKs not built (scripts/test.sh installs them as root)" >&2
  exit 0
fi
if [ ! -f "$fixtures/sdk-src/bundletool-all-1.17.2.jar" ]; then
  echo "build-sdk-apks: notice: $fixtures/sdk-src not fetched (run scripts/fetch-fixtures.sh); SDK test APKs not built" >&2
  exit 0
fi

exec python3 - "$root" "$fixtures" "$corpus" "$framework" "$0" "$@" <<'PY'
import fnmatch, hashlib, os, re, shutil, subprocess, sys, tarfile, tempfile, time, zipfile
import xml.etree.ElementTree as ET

root, fixtures, corpus, framework, script = sys.argv[1:6]
only = set(sys.argv[6:])
tsv = os.path.join(root, "fixtures", "sdk-binaries.tsv")
src_dir = os.path.join(fixtures, "sdk-src")
out_dir = os.path.join(fixtures, "sdk-apks")
os.makedirs(out_dir, exist_ok=True)
d8_jar = os.path.join(src_dir, "bundletool-all-1.17.2.jar")
A = "{http://schemas.android.com/apk/res/android}"
ET.register_namespace("android", A[1:-1])
ABIS = {"armeabi", "armeabi-v7a", "arm64-v8a", "x86", "x86_64", "mips", "mips64"}


class RowError(Exception):
    pass


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def glob_re(pattern):
    """`*` stays inside a folder, `**` crosses folders, `?` one character."""
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out + r"\Z")


def run(cmd, log=None, cwd=None):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if log is not None:
        with open(log, "a") as f:
            f.write("$ " + " ".join(cmd) + "\n" + p.stdout)
    if p.returncode != 0:
        raise RowError(f"{os.path.basename(cmd[0]) if cmd[0] != 'java' else 'D8'} failed: "
                       + p.stdout.strip()[-2000:])
    return p.stdout


pins = {}
rows = []
with open(tsv, encoding="utf-8") as f:
    for line in f:
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if cols[0] == "pin":
            pins[cols[2]] = (cols[3], cols[6])
        elif cols[0] in ("apk", "renamed"):
            if len(cols) < 5:
                sys.exit(f"build-sdk-apks: row {cols[1] if len(cols) > 1 else line!r}: needs 5 columns")
            rows.append((cols, line))
        else:
            sys.exit(f"build-sdk-apks: unknown row kind {cols[0]!r}")

# Part of every row's stamp: bump it when a change of this script changes what a row builds
# (the row's text and its inputs are in the stamp already).
RECIPE = "1"


def stage_sources(name, sources, patterns, stage, extract=True):
    """Unpacks the files the patterns select from every source under stage/<source name>/.
    Returns (selected relative paths, digest of the inputs) or None to skip the row. Without
    `extract` only the digest is made (a pinned package is known by its sha256 unopened)."""
    digest = hashlib.sha256()
    regs = [(p, glob_re(p)) for p in patterns]
    hit = {p: 0 for p in patterns}
    chosen = []
    for src in sources:
        if src.startswith("npm:"):
            spec = src[4:]
            if spec not in pins:
                raise RowError(f"source {src} has no pin row")
            sha, local = pins[spec]
            pkg = spec.rsplit("@", 1)[0]
            tgz = os.path.join(src_dir, local)
            if not os.path.isfile(tgz):
                print(f"build-sdk-apks: notice: {name}: {tgz} not fetched; skipped", file=sys.stderr)
                return None
            digest.update(sha.encode())
            if not extract:
                continue
            with tarfile.open(tgz, "r:gz") as t:
                for m in t.getmembers():
                    if not m.isfile():
                        continue
                    rel = f"{pkg}/{m.name}"
                    for p, r in regs:
                        if r.match(rel):
                            hit[p] += 1
                            dest = os.path.join(stage, rel)
                            os.makedirs(os.path.dirname(dest), exist_ok=True)
                            with t.extractfile(m) as fi, open(dest, "wb") as fo:
                                shutil.copyfileobj(fi, fo)
                            chosen.append(rel)
                            break
        elif src.startswith("corpus:"):
            folder = src[7:]
            base = os.path.join(corpus, folder)
            if not os.path.isdir(base):
                print(f"build-sdk-apks: notice: {name}: {base} absent; skipped", file=sys.stderr)
                return None
            for dirpath, _, files in os.walk(base):
                for fn in sorted(files):
                    full = os.path.join(dirpath, fn)
                    rel = folder + "/" + os.path.relpath(full, base)
                    for p, r in regs:
                        if r.match(rel):
                            hit[p] += 1
                            if extract:
                                dest = os.path.join(stage, rel)
                                os.makedirs(os.path.dirname(dest), exist_ok=True)
                                shutil.copyfile(full, dest)
                            digest.update(rel.encode() + sha256(full).encode())
                            chosen.append(rel)
                            break
        else:
            raise RowError(f"unknown source {src}")
    empty = [p for p, n in hit.items() if n == 0]
    if empty and extract:
        raise RowError("nothing matches " + " ".join(empty))
    return sorted(set(chosen)), digest.hexdigest()


def fill_placeholders(text, package):
    text = text.replace("${applicationId}", package)
    return re.sub(r"\$\{([A-Za-z0-9_.]+)\}", lambda m: "pipa-" + m.group(1).lower(), text)


def clean(el):
    """Drops attributes aapt cannot link here: other namespaces (tools:), and references to
    the library's own resources (@style/…, ?attr/…), which the test APK does not carry."""
    for k in list(el.attrib):
        v = el.attrib[k]
        if (k.startswith("{") and not k.startswith(A)) or (
            (v.startswith("@") or v.startswith("?")) and not v.startswith(("@android:", "?android:", "@null"))
        ):
            del el.attrib[k]
    for c in el:
        clean(c)


def merged_manifest(package, manifests, meta, label):
    top, app_children, seen = [], [], set()
    for m in manifests:
        with open(m, encoding="utf-8") as f:
            text = fill_placeholders(f.read(), package)
        try:
            doc = ET.fromstring(text.encode("utf-8"))
        except ET.ParseError as e:
            raise RowError(f"{m}: {e}")
        clean(doc)
        for c in doc:
            if not isinstance(c.tag, str) or c.tag in ("uses-sdk",):
                continue
            if c.tag == "application":
                for a in c:
                    if isinstance(a.tag, str):
                        key = (a.tag, a.get(A + "name"))
                        if key[1] and key in seen:
                            continue
                        seen.add(key)
                        app_children.append(a)
                continue
            key = (c.tag, c.get(A + "name"))
            if key[1] and key in seen:
                continue
            seen.add(key)
            top.append(c)
    man = ET.Element("manifest", {"package": package, A + "versionCode": "1", A + "versionName": "1.0"})
    ET.SubElement(man, "uses-sdk", {A + "minSdkVersion": "21", A + "targetSdkVersion": "29"})
    man.extend(top)
    app = ET.SubElement(man, "application", {A + "label": label})
    app.extend(app_children)
    for k, v in meta:
        ET.SubElement(app, "meta-data", {A + "name": k, A + "value": v})
    return man


def link_manifest(man, work, log):
    """aapt package; an attribute this framework-res does not know is dropped and retried."""
    path = os.path.join(work, "AndroidManifest.xml")
    apk = os.path.join(work, "base.apk")
    for _ in range(50):
        ET.ElementTree(man).write(path, encoding="utf-8", xml_declaration=True)
        p = subprocess.run(["aapt", "package", "-f", "-M", path, "-I", framework, "-F", apk],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        with open(log, "a") as f:
            f.write("$ aapt package\n" + p.stdout)
        if p.returncode == 0:
            return apk
        m = re.search(r"No resource identifier found for attribute '([^']+)' in package 'android'", p.stdout)
        if not m:
            raise RowError("aapt package failed: " + p.stdout.strip()[-2000:])
        for el in man.iter():
            el.attrib.pop(A + m.group(1), None)
    raise RowError("aapt package: too many unknown attributes")


def rename_dex(dex_files, renames, work, log):
    """baksmali every dex, rewrite the class-package prefixes, smali it back."""
    smali_dir = os.path.join(work, "smali")
    for d in dex_files:
        run(["baksmali", "d", "-o", smali_dir, d], log)
    pairs = []
    for r in renames:
        old, _, new = r.partition("=")
        if not old or not new:
            raise RowError(f"bad rename {r!r}")
        pairs.append(("L" + old, "L" + new))
    n = 0
    for dirpath, _, files in os.walk(smali_dir):
        for fn in files:
            p = os.path.join(dirpath, fn)
            with open(p, encoding="utf-8") as f:
                t = f.read()
            for old, new in pairs:
                t = t.replace(old, new)
            with open(p, "w", encoding="utf-8") as f:
                f.write(t)
            n += 1
    out = os.path.join(work, "renamed")
    os.makedirs(out)
    run(["smali", "a", "-o", os.path.join(out, "classes.dex"), smali_dir], log)
    return [os.path.join(out, "classes.dex")], n


def build(cols, line):
    kind, name, sources, inputs, expected = cols[:5]
    renames = cols[5].split() if kind == "renamed" and len(cols) > 5 else []
    if kind == "renamed" and not renames:
        raise RowError("renamed row without renames")
    apk_out = os.path.join(out_dir, name + ".apk")
    stamp_path = apk_out + ".stamp"
    work = tempfile.mkdtemp(prefix=f"sdk-apk-{name}-")
    try:
        stage = os.path.join(work, "src")
        patterns = [p for p in inputs.split() if not p.startswith("meta:")]
        meta = [tuple(p[5:].split("=", 1)) for p in inputs.split() if p.startswith("meta:")]
        if any(len(m) != 2 for m in meta):
            raise RowError("meta: needs KEY=value")
        staged = stage_sources(name, sources.split(), patterns, stage, extract=False)
        if staged is None:
            return "skipped"
        # The expected ids do not change the APK: editing them rebuilds nothing.
        recipe = "\t".join(cols[:4] + cols[5:])
        stamp = hashlib.sha256((recipe + "\n" + RECIPE + "\n" + staged[1]).encode()).hexdigest()
        if os.path.isfile(apk_out) and os.path.isfile(stamp_path):
            with open(stamp_path) as f:
                if f.read().strip() == stamp:
                    return "up to date"
        staged = stage_sources(name, sources.split(), patterns, stage)
        if staged is None:
            return "skipped"
        chosen = staged[0]
        jars, manifests, libs, assets = [], [], [], []
        for rel in chosen:
            full = os.path.join(stage, rel)
            base = os.path.basename(rel)
            if rel.endswith(".jar"):
                jars.append(full)
            elif rel.endswith(".aar"):
                x = full + ".x"
                with zipfile.ZipFile(full) as z:
                    z.extractall(x)
                    names = z.namelist()
                for n in sorted(names):
                    if n == "classes.jar" or re.fullmatch(r"libs/[^/]+\.jar", n):
                        jars.append(os.path.join(x, n))
                    elif n == "AndroidManifest.xml":
                        manifests.append(os.path.join(x, n))
                    elif (m := re.fullmatch(r"jni/([^/]+)/([^/]+\.so)", n)) and m.group(1) in ABIS:
                        libs.append((f"lib/{m.group(1)}/{m.group(2)}", os.path.join(x, n)))
                    elif n.startswith("assets/") and not n.endswith("/"):
                        assets.append((n, os.path.join(x, n)))
            elif base == "AndroidManifest.xml":
                manifests.append(full)
            elif rel.endswith(".so"):
                abi = os.path.basename(os.path.dirname(rel))
                if abi not in ABIS:
                    raise RowError(f"{rel}: parent folder {abi} is no ABI")
                libs.append((f"lib/{abi}/{base}", full))
            else:
                raise RowError(f"{rel}: no rule for this kind of file")
        if not jars:
            raise RowError("no jar to convert")
        log = os.path.join(out_dir, name + ".log")
        open(log, "w").close()
        dex_dir = os.path.join(work, "dex")
        os.makedirs(dex_dir)
        t0 = time.time()
        # C1 only: D8 runs for seconds, the server compiler would not pay off.
        d8_out = run(["java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", d8_jar,
                      "com.android.tools.r8.D8", "--release", "--min-api", "21",
                      "--output", dex_dir] + jars, log)
        warnings = d8_out.count("Warning")
        dexes = sorted(os.path.join(dex_dir, f) for f in os.listdir(dex_dir) if f.endswith(".dex"))
        if not dexes:
            raise RowError("D8 wrote no dex")
        note = ""
        if renames:
            dexes, nfiles = rename_dex(dexes, renames, work, log)
            note = f", {nfiles} classes renamed ({' '.join(renames)})"
        package = "pipa.sdkfixture." + re.sub(r"[^a-z0-9]+", "_", name.lower())
        man = merged_manifest(package, manifests, meta, "pipa SDK fixture " + name)
        apk = link_manifest(man, work, log)
        with zipfile.ZipFile(apk, "a", zipfile.ZIP_DEFLATED) as z:
            for i, d in enumerate(dexes):
                z.write(d, "classes.dex" if i == 0 else f"classes{i + 1}.dex")
            done = set()
            nlibs = len({arc for arc, _ in libs})
            for arc, full in libs + assets:
                if arc not in done:  # the aar's own copy first, then the row's
                    done.add(arc)
                    z.write(full, arc)
        tmp = apk_out + ".part"
        shutil.copyfile(apk, tmp)
        os.replace(tmp, apk_out)
        with open(stamp_path, "w") as f:
            f.write(stamp + "\n")
        return (f"built: {len(jars)} jar(s) -> {len(dexes)} dex in {time.time() - t0:.1f}s "
                f"(D8 notes: {warnings}, expected for SDKs compiled without their optional dependencies; see {log}), "
                f"{len(manifests)} manifest(s), {nlibs} .so, {len(done) - nlibs} assets{note}; "
                f"expects {expected}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


failed = []
t_all = time.time()
for cols, line in rows:
    name = cols[1]
    if only and name not in only:
        continue
    t = time.time()
    try:
        what = build(cols, line)
        print(f"build-sdk-apks: {name}: {what} [{time.time() - t:.1f}s]", flush=True)
    except (RowError, OSError, zipfile.BadZipFile, tarfile.TarError) as e:
        print(f"build-sdk-apks: error: row {name}: {e}", file=sys.stderr, flush=True)
        failed.append(name)
unknown = only - {c[1] for c, _ in rows}
if unknown:
    print(f"build-sdk-apks: error: no such rows: {' '.join(sorted(unknown))}", file=sys.stderr)
    failed.extend(sorted(unknown))
print(f"build-sdk-apks: done in {time.time() - t_all:.1f}s; {len(failed)} failed"
      + (": " + " ".join(failed) if failed else ""))
sys.exit(1 if failed else 0)
PY
