#!/usr/bin/env bash
# Installs what is needed, builds, and runs every test: the Windows build
# (cross-compiled with MinGW-w64, unit tests under Wine) first, then every
# fuzz target for a few seconds (so they keep building and running), then
# the Windows MSI end to end under Wine, then the whole Linux suite (unit
# and integration tests). Ends with CTest's summary line of the Linux run.
# With CI=true (set by .ci/run: a throwaway machine) it also builds the
# .deb, lints it, installs it here, runs the agent through the init script
# and purges it (tests/package/deb-test.sh, about two minutes); elsewhere
# that step is skipped, since it installs into /var/ossec and /etc.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh --windows --fuzz --package

# MinGW builds of Crypto++, pugixml and GoogleTest, made from Debian's
# sources; reused while the package versions stay the same.
.ci/windows-tests.sh "${MINGW_PREFIX:-$PWD/out/mingw-prefix}"

tests/fuzz/run.sh "${FUZZ_SECONDS:-5}"

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build

# The MSI (wixl) installed, run and removed under Wine, connected to the
# test manager of the Linux build (about a minute).
tests/package/msi-test.sh build/win build

if [[ "${CI:-}" == true ]]; then
    sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo env CI=true tests/package/deb-test.sh build
else
    echo "test-all: tests/package/deb-test.sh skipped: it installs into /var/ossec; set CI=true" \
         "on a throwaway machine to run it"
fi

cd build
ctest --output-on-failure --timeout 120 -j2
