#!/usr/bin/env python3
"""Generate crates/pipa-android/data/android_attrs.tsv (framework attribute ids).

Usage:
  scripts/gen-android-attrs.py [--label TEXT]... [INPUT...] > crates/pipa-android/data/android_attrs.tsv

Each INPUT is one of:
  *.xml   AOSP's frameworks/base/core/res/res/values/public.xml or public-final.xml:
          every `<public type="attr" name=".." id="0x0101xxxx"/>` is taken. Entries
          without an explicit id (the `<staging-public-group>` of public-staging.xml,
          i.e. ids not yet final) are ignored, so only finalised ids are used.
  *.apk   a framework-res.apk, read with `aapt dump resources` (`android:attr/*` specs).
  *.tsv   a table in this script's own output format; its `# Source:` header lines are
          carried over, so the table can be regenerated or extended from itself.

`--label TEXT` describes the INPUT that follows it in the header (default: its path;
ignored for a TSV, whose own `# Source:` lines are used).
Inputs are merged: an id or name given two different ways is an error, so every
source must agree wherever they overlap. Without INPUT the Debian packages are read:
androguard's copy of public.xml (API 27) and android-framework-res's framework-res.apk
(Android 10, API 29); `apt-get install androguard android-framework-res aapt`.

Newer levels: AOSP's public-final.xml (Apache-2.0) lists every finalised attribute from
API 1 on, so one copy regenerates the whole table, e.g. for API 36
  scripts/gen-android-attrs.py --label "AOSP android16 public-final.xml" public-final.xml
and `scripts/gen-android-attrs.py crates/pipa-android/data/android_attrs.tsv NEWER.xml`
extends the current table. Output: `#` header lines naming the sources and licence,
then one `0x0101xxxx<TAB>name` line per attribute, sorted by id.
"""
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

DEFAULT_INPUTS = [
    (
        "/usr/lib/python3/dist-packages/androguard/core/resources/public.xml",
        "AOSP frameworks/base/core/res/res/values/public.xml as shipped by Debian's "
        "androguard package (androguard/core/resources/public.xml)",
    ),
    (
        "/usr/share/android-framework-res/framework-res.apk",
        "AOSP framework-res.apk (Android 10) as shipped by Debian's android-framework-res "
        "package, read with aapt dump resources",
    ),
]

SPEC = re.compile(r"spec resource (0x[0-9a-fA-F]{8}) android:attr/([A-Za-z0-9_.]+):")


def read_xml(path):
    out = []
    for el in ET.parse(path).getroot().iter("public"):
        if el.get("type") == "attr" and el.get("id"):
            out.append((int(el.get("id"), 16), el.get("name")))
    return out


def read_apk(path):
    dump = subprocess.run(
        ["aapt", "dump", "resources", path], check=True, capture_output=True, text=True
    ).stdout
    return [(int(m.group(1), 16), m.group(2)) for m in SPEC.finditer(dump)]


def read_tsv(path):
    entries, sources = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# Source:"):
                sources.append(line)
            elif line.strip() and not line.startswith("#"):
                rid, name = line.split("\t")
                entries.append((int(rid, 16), name.strip()))
    return entries, sources


def main() -> None:
    inputs, label, argv = [], None, sys.argv[1:]
    while argv:
        arg = argv.pop(0)
        if arg in ("-h", "--help"):
            raise SystemExit(__doc__)
        if arg == "--label":
            if not argv:
                raise SystemExit("--label needs a value")
            label = argv.pop(0)
        else:
            inputs.append((arg, label or arg))
            label = None
    inputs = inputs or DEFAULT_INPUTS

    by_id, by_name, sources = {}, {}, []
    for path, label in inputs:
        if path.endswith(".tsv"):
            entries, carried = read_tsv(path)
        else:
            entries = read_apk(path) if path.endswith(".apk") else read_xml(path)
            carried = []
        if not entries:
            raise SystemExit(f"{path}: no attributes found")
        for rid, name in entries:
            if rid >> 16 != 0x0101:
                raise SystemExit(f"{path}: 0x{rid:08x} ({name}) is not a framework attr id")
            if by_id.setdefault(rid, name) != name:
                raise SystemExit(f"{path}: 0x{rid:08x} is {name}, elsewhere {by_id[rid]}")
            if by_name.setdefault(name, rid) != rid:
                raise SystemExit(f"{path}: {name} is 0x{rid:08x}, elsewhere 0x{by_name[name]:08x}")
        ids = sorted(rid for rid, _ in entries)
        sources += carried or [
            f"# Source: {label}: {len(ids)} attrs, 0x{ids[0]:08x}..0x{ids[-1]:08x}."
        ]
    sources = list(dict.fromkeys(sources))

    out = sys.stdout
    out.write("# Android framework attribute resource ids (android:attr/*).\n")
    out.write("# Licence: Apache-2.0 (The Android Open Source Project).\n")
    for line in sources:
        out.write(line + "\n")
    out.write("# Only finalised ids; every source agrees on the ids it shares with the others.\n")
    out.write("# Generated by scripts/gen-android-attrs.py; format: id<TAB>name, sorted by id.\n")
    for rid in sorted(by_id):
        out.write(f"0x{rid:08x}\t{by_id[rid]}\n")


if __name__ == "__main__":
    main()
