#!/usr/bin/env bash
# Side-by-side benchmark: `pipa inspect` (full read + dex code index) against
# androguard's AnalyzeAPK (PyPI androguard==4.1.4) on the same APKs, same machine,
# same run. Both are pinned to one core (taskset -c 0); pipa also runs with
# --threads 1. Reports wall time (median of N runs) and peak RSS of each.
#
#   scripts/bench-vs-androguard.sh [RUNS] [APK...]
#
# Defaults: 5 runs; the ApiDemos and appium-uiautomator2-server fixtures.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
runs=${1:-5}; shift || true
fx=${PIPA_FIXTURES:-$root/.cache/fixtures}
if [ $# -eq 0 ]; then
  scripts/fetch-fixtures.sh >/dev/null
  set -- "$fx/ApiDemos-debug.apk" "$fx/appium-uiautomator2-server-10.6.6.apk"
fi
venv=$root/.cache/venv-androguard
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q androguard==4.1.4
fi
cargo build --release -q -p pipa-cli
pipa=$root/target/release/pipa
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package time)" >&2; exit 1; }

tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
# median wall seconds and max RSS KiB over $runs runs of a command
measure() {
  local walls=() rss=0 out
  for _ in $(seq "$runs"); do
    /usr/bin/time -o "$tmp" -f '%e %M' taskset -c 0 "$@" >/dev/null 2>&1
    out=$(tail -n1 "$tmp")
    walls+=("${out% *}"); local r=${out#* }; [ "$r" -gt "$rss" ] && rss=$r
  done
  local med; med=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
  echo "$med $rss"
}

cat > "$root/.cache/ag_analyze.py" <<'PY'
import sys, logging
from loguru import logger
logger.remove()
from androguard.misc import AnalyzeAPK
a, d, dx = AnalyzeAPK(sys.argv[1])
print(a.get_package(), len(list(dx.get_classes())))
PY

printf '%-46s %10s %10s %12s %12s %8s\n' apk pipa_s pipa_MiB androguard_s androguard_MiB speedup
for apk in "$@"; do
  read -r pw pr < <(measure "$pipa" inspect --threads 1 --format json "$apk")
  read -r aw ar < <(measure "$venv/bin/python" "$root/.cache/ag_analyze.py" "$apk")
  awk -v n="$(basename "$apk")" -v pw="$pw" -v pr="$pr" -v aw="$aw" -v ar="$ar" 'BEGIN{
    printf "%-46s %10.3f %10.1f %12.3f %12.1f %7.0fx\n", n, pw, pr/1024, aw, ar/1024, (pw>0? aw/pw : 0) }'
done
