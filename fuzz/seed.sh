#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seeds taken from real files:
#   - the Debian androguard package's examples (APKs, DEX, binary XML),
#   - the project's fixture APKs (.cache/fixtures, fetched by the fixture script).
# From every APK it extracts AndroidManifest.xml, resources.arsc and classes*.dex
# with `unzip -p`. Seeds larger than MAX_SEED bytes are skipped; seeds are named
# by their SHA-1 so reruns are idempotent and duplicates collapse.
#
# Usage: fuzz/seed.sh            (from anywhere)
#        MAX_SEED=2000000 fuzz/seed.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
corpus="$here/corpus"
max="${MAX_SEED:-1000000}"
androguard="${ANDROGUARD_EXAMPLES:-/usr/share/doc/androguard/examples}"
fixtures="${FIXTURES:-$root/.cache/fixtures}"

command -v unzip >/dev/null || { echo "seed.sh: needs unzip (apt-get install unzip)" >&2; exit 1; }
mkdir -p "$corpus"/{zip,axml,arsc,dex}

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# add TARGET FILE: copies FILE into the target's corpus if small and non-empty.
add() {
    local target="$1" file="$2" size sum
    [ -f "$file" ] || return 0
    size=$(stat -c %s "$file")
    if [ "$size" -eq 0 ] || [ "$size" -gt "$max" ]; then
        return 0
    fi
    sum=$(sha1sum "$file" | cut -d' ' -f1)
    cp "$file" "$corpus/$target/$sum"
}

# from_apk APK: the APK itself (zip) and its manifest, table and dex files.
from_apk() {
    local apk="$1" name
    add zip "$apk"
    unzip -p "$apk" AndroidManifest.xml >"$tmp/m" 2>/dev/null || true
    add axml "$tmp/m"
    unzip -p "$apk" resources.arsc >"$tmp/r" 2>/dev/null || true
    add arsc "$tmp/r"
    # Binary XML resources too, a few per APK (layouts, xml/).
    { unzip -Z1 "$apk" 2>/dev/null || true; } >"$tmp/list"
    { grep -E '^res/.*\.xml$' "$tmp/list" || true; } | head -n 5 | while read -r name; do
        unzip -p "$apk" "$name" >"$tmp/x" 2>/dev/null || true
        add axml "$tmp/x"
    done
    { grep -E '^classes[0-9]*\.dex$' "$tmp/list" || true; } | while read -r name; do
        unzip -p "$apk" "$name" >"$tmp/d" 2>/dev/null || true
        add dex "$tmp/d"
    done
}

if [ -d "$androguard" ]; then
    while IFS= read -r -d '' f; do
        case "$f" in
            *.apk | *.ap_ | *.zip | *.jar) from_apk "$f" ;;
            *.dex) add dex "$f" ;;
            *.xml)
                # Only binary XML (starts with a RES_XML_TYPE chunk, 03 00).
                if [ "$(head -c 2 "$f" | od -An -tx1 | tr -d ' \n')" = "0300" ]; then
                    add axml "$f"
                fi
                ;;
            *.arsc) add arsc "$f" ;;
        esac
    done < <(find "$androguard" -type f -print0)
else
    echo "seed.sh: $androguard not found (apt-get install androguard); skipping" >&2
fi

if [ -d "$fixtures" ]; then
    for apk in "$fixtures"/*.apk; do
        [ -f "$apk" ] && from_apk "$apk"
    done
else
    echo "seed.sh: $fixtures not found (run the fixture fetcher); skipping" >&2
fi

for t in zip axml arsc dex; do
    printf '%-5s %5d seeds %8d KiB\n' "$t" "$(find "$corpus/$t" -type f | wc -l)" \
        "$(du -sk "$corpus/$t" | cut -f1)"
done
