#!/usr/bin/env bash
# A newcomer's first hour, as a script: clones this repository (its committed
# HEAD) into a temporary folder with no ../shared beside it and a cargo target
# folder of its own, then runs the README's two commands in order, timing
# each and keeping their output:
#
#   scripts/fresh-clone.sh              # both commands
#   scripts/fresh-clone.sh --main-only  # only the main job (pipa scan on a real APK)
#
# Prints, per command, its exit status, its wall time and its last lines; the
# folder is kept (its path is printed) for a look at the logs. The cargo
# registry cache (~/.cargo) is shared with the machine, the build is not.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
main_only=0
[ "${1:-}" = --main-only ] && main_only=1

work=$(mktemp -d /tmp/pipa-fresh.XXXXXX)
git clone --quiet "$src" "$work/pipa"
cd "$work/pipa"
export CARGO_TARGET_DIR="$work/target"
unset PIPA_FIXTURES PIPA_SHARED PIPA_CORPUS
[ -e ../shared ] && { echo "fresh-clone: $work/shared exists" >&2; exit 1; }
echo "fresh-clone: $(git log --oneline -1) in $work/pipa"

# The README's commands, read from its "Two commands" block.
cmds=$(awk '/^## Two commands/{f=1} f&&/^```sh/{b=1;next} b&&/^```/{exit} b&&!/^#/&&NF' README.md)
n=0
status=0
while IFS= read -r cmd; do
  n=$((n + 1))
  [ $main_only = 1 ] && [ $n -gt 1 ] && break
  log="$work/command-$n.log"
  echo "fresh-clone: [$n] $cmd"
  start=$(date +%s)
  set +e
  bash -c "$cmd" >"$log" 2>&1
  rc=$?
  set -e
  secs=$(( $(date +%s) - start ))
  echo "fresh-clone: [$n] exit $rc after ${secs}s; last lines of $log:"
  tail -n 8 "$log" | sed 's/^/    /'
  [ $rc = 0 ] || status=$rc
done <<<"$cmds"
[ $n -ge 2 ] || [ $main_only = 1 ] || { echo "fresh-clone: README has fewer than two commands" >&2; exit 1; }
exit $status
