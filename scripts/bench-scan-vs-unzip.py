#!/usr/bin/env python3
"""pipa scan against the unzip floor, interleaved on the same machine.

The floor is what any tool must do before reading code: inflate every
classes*.dex of the package (`unzip -p APK 'classes*.dex' > /dev/null`).
Each round runs every given pipa binary once (`scan APK --format json`,
output discarded), then the floor once; the report gives medians and the
ratio to the floor's median. Usage:

    scripts/bench-scan-vs-unzip.py APK [PIPA ...] [--rounds N]

PIPA defaults to target/release/pipa. Compare two builds by giving both.
"""
import argparse
import statistics
import subprocess
import sys
import time


def timed(cmd):
    t = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    dt = time.perf_counter() - t
    # exit 3 is "assessed with gaps"; anything else but 0 means the run failed
    if r.returncode not in (0, 3):
        sys.exit(f"{' '.join(cmd)}: exit {r.returncode}")
    return dt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("apk")
    ap.add_argument("pipa", nargs="*", default=["target/release/pipa"])
    ap.add_argument("--rounds", type=int, default=15)
    a = ap.parse_args()
    runs = {p: [] for p in a.pipa}
    floor = []
    for _ in range(a.rounds):
        for p in a.pipa:
            runs[p].append(timed([p, "scan", a.apk, "--format", "json"]))
        floor.append(timed(["sh", "-c", f"unzip -p '{a.apk}' 'classes*.dex' > /dev/null"]))
    f = statistics.median(floor)
    print(f"unzip floor: median {f * 1e3:.0f} ms (min {min(floor) * 1e3:.0f}), {a.rounds} rounds")
    for p, v in runs.items():
        m = statistics.median(v)
        print(f"{p}: median {m * 1e3:.0f} ms (min {min(v) * 1e3:.0f}), {m / f:.2f}x the floor")


if __name__ == "__main__":
    main()
