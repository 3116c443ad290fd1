#!/usr/bin/env bash
# The test command (README, .ci/run). On a fresh machine it
#  1. installs the independent oracles the tests compare against (Debian: aapt,
#     dexdump, apksigner, androguard with its ~370 example APK/DEX files, pdftotext) and the
#     fixture builders (smali, android-framework-res), when run
#     as root with apt-get available; otherwise the oracle tests skip with a notice;
#  2. fetches the pinned real APKs and SDK packages from package registries
#     (scripts/fetch-fixtures.sh) and wraps the SDKs into test APKs
#     (scripts/build-sdk-apks.sh);
#  3. checks formatting and lints, then runs the whole test suite, and closes on
#     one line: `test.sh: N passed, N failed, N skipped` with the names of the
#     tests that skipped a check (they print `notice: … skipped` / `skipping: …`
#     and pass; a skip is a missing input or tool, never a silent pass). The full
#     output of every test is kept in .cache/test-output.log.
#
# About 15 minutes on 2 cores from a warm cargo cache; 25–30 from nothing
# (dependencies, then the release build of the tests).
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
# The SDK fixtures: D8 runs on Java; fetch-fixtures.sh downloads D8 with pip,
# build-sdk-apks.sh is Python.
command -v java >/dev/null || need+=(default-jre-headless)
command -v python3 >/dev/null || need+=(python3)
python3 -m pip --version >/dev/null 2>&1 || need+=(python3-pip)
# The second reader of the XLSX report (crates/pipa-cli/tests/sarif_xlsx.rs).
python3 -c 'import openpyxl' >/dev/null 2>&1 || need+=(python3-openpyxl)
# The policy PDF tests (crates/pipa-policy/tests/pdf.rs) compare pdf_text with pdftotext.
command -v pdftotext >/dev/null || need+=(poppler-utils)
# The HTML report test (crates/pipa-cli/tests/html_report.rs) renders the report in headless Chromium.
command -v chromium >/dev/null || need+=(chromium)
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
scripts/build-sdk-apks.sh

cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings

# The tests, with the output of passing tests shown (--show-output) so that
# skip notices can be counted; those blocks go to the log, not the screen.
mkdir -p .cache
log=.cache/test-output.log
set +e
cargo test --workspace --release -- --show-output >"$log" 2>&1
status=$?
set -e
awk -f scripts/test-summary.awk "$log"
exit $status
