#!/usr/bin/env bash
# Fetches the real APKs the tests and benchmarks use, from package registries, by
# package name (fixtures/registry-apks.tsv), into a cache, and checks their sha256.
# Idempotent: files already present with the right digest are kept.
#
#   scripts/fetch-fixtures.sh            # into .cache/fixtures (or $PIPA_FIXTURES)
#
# Also names the Debian androguard examples folder (~370 APK/DEX edge cases) when
# the package is installed (.ci/run installs it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest=${PIPA_FIXTURES:-$root/.cache/fixtures}
mkdir -p "$dest"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail=0
while IFS=$'\t' read -r registry spec inner sha name; do
  case "$registry" in ''|'#'*) continue ;; esac
  out="$dest/$name"
  if [ -f "$out" ] && echo "$sha  $out" | sha256sum -c --quiet - 2>/dev/null; then
    continue
  fi
  case "$registry" in
    npm)
      tgz="$work/${spec//[@\/]/_}.tgz"
      if [ ! -f "$tgz" ]; then
        (cd "$work" && npm pack --silent "$spec" >"$work/packname") || { echo "fetch-fixtures: npm pack $spec failed" >&2; fail=1; continue; }
        mv "$work/$(tail -n1 "$work/packname")" "$tgz"
      fi
      tar -xzf "$tgz" -C "$work" "$inner"
      mv "$work/$inner" "$out.part"
      ;;
    *) echo "fetch-fixtures: unknown registry $registry" >&2; fail=1; continue ;;
  esac
  if echo "$sha  $out.part" | sha256sum -c --quiet - ; then
    mv "$out.part" "$out"
    echo "fetch-fixtures: $name ($spec) ok"
  else
    echo "fetch-fixtures: $name from $spec: sha256 mismatch, discarded" >&2
    rm -f "$out.part"; fail=1
  fi
done < "$root/fixtures/registry-apks.tsv"

if [ -d /usr/share/doc/androguard/examples ]; then
  echo "fetch-fixtures: androguard examples at /usr/share/doc/androguard/examples"
else
  echo "fetch-fixtures: notice: Debian package androguard not installed; its examples will be skipped" >&2
fi
exit $fail
