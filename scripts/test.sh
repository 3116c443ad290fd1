#!/usr/bin/env bash
# The test command (README, .ci/run). On a fresh machine it
#  1. installs the independent oracles the tests compare against (Debian: aapt,
#     dexdump, apksigner, androguard with its ~370 example APK/DEX files) and the
#     fixture builders (smali, android-framework-res), when run
#     as root with apt-get available; otherwise the oracle tests skip with a notice;
#  2. fetches the pinned real APKs from package registries (scripts/fetch-fixtures.sh);
#  3. checks formatting and lints, then runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for tool in aapt dexdump apksigner; do command -v "$tool" >/dev/null || need+=("$tool"); done
[ -d /usr/share/doc/androguard/examples ] || need+=(androguard)
# The kb fixture test (crates/pipa-engine/tests/api_fixtures.rs) assembles smali
# (Debian's `smali` is the libsmali-java package) and links the manifest with aapt
# against the framework resources.
command -v smali >/dev/null || need+=(libsmali-java)
[ -f /usr/share/android-framework-res/framework-res.apk ] || need+=(android-framework-res)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test.sh: installing oracles: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "test.sh: notice: missing ${need[*]} and not root: oracle tests will skip" >&2
  fi
fi

scripts/fetch-fixtures.sh || echo "test.sh: notice: some fixtures could not be fetched; tests that need them will skip" >&2
export PIPA_FIXTURES=${PIPA_FIXTURES:-$PWD/.cache/fixtures}

cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo test --workspace --release
