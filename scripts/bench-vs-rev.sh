#!/usr/bin/env bash
# Compares `pipa scan` of this checkout with an earlier revision on the same APKs, same
# machine, same session: builds REV in a git worktree (own target dir), then runs both
# binaries interleaved N times per APK (one thread each) and prints the minimum wall time
# and the maximum peak RSS of each.
#
#   scripts/bench-vs-rev.sh REV APK... [-n N]     # e.g. scripts/bench-vs-rev.sh 32ca30a .cache/fixtures/*.apk
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rev=${1:?usage: bench-vs-rev.sh REV APK... [-n N]}; shift
runs=15
apks=()
while [ $# -gt 0 ]; do
  case "$1" in
    -n) runs=$2; shift 2 ;;
    *) apks+=("$1"); shift ;;
  esac
done
[ ${#apks[@]} -gt 0 ] || { echo "bench-vs-rev: no APKs given" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "bench-vs-rev: needs /usr/bin/time (Debian package time)" >&2; exit 2; }
work=${PIPA_BENCH_DIR:-$root/.cache/bench}
mkdir -p "$work"
base="$work/rev-$rev"
if [ ! -x "$work/target-$rev/release/pipa" ]; then
  rm -rf "$base"
  git -C "$root" worktree add -f -q --detach "$base" "$rev"
  (cd "$base" && CARGO_TARGET_DIR="$work/target-$rev" cargo build --release -q -p pipa-cli)
  git -C "$root" worktree remove -f "$base"
fi
(cd "$root" && cargo build --release -q -p pipa-cli)
exec python3 - "$work/target-$rev/release/pipa" "${CARGO_TARGET_DIR:-$root/target}/release/pipa" "$runs" "$rev" "${apks[@]}" <<'PY'
import os, subprocess, sys, time
base, new, runs, rev, apks = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5:]
print(f"{'apk':36} {rev+' ms':>10} {'now ms':>10} {'ratio':>6} {rev+' RSS':>12} {'now RSS':>10}")
for apk in apks:
    t = {base: [], new: []}
    rss = {base: 0, new: 0}
    for _ in range(runs):
        for b in (base, new):
            s = time.perf_counter()
            p = subprocess.run(["/usr/bin/time", "-f", "%M", b, "scan", apk, "--threads", "1",
                                "--format", "json"], capture_output=True)
            t[b].append(time.perf_counter() - s)
            if p.returncode not in (0, 1):
                sys.exit(f"bench-vs-rev: {b} failed on {apk}: {p.stderr.decode()[-300:]}")
            rss[b] = max(rss[b], int(p.stderr.decode().strip().splitlines()[-1]))
    tb, tn = min(t[base]) * 1e3, min(t[new]) * 1e3
    print(f"{os.path.basename(apk)[:36]:36} {tb:10.1f} {tn:10.1f} {tn/tb:6.2f} "
          f"{rss[base]/1024:9.1f} MiB {rss[new]/1024:7.1f} MiB")
PY
