#!/usr/bin/env bash
# The Windows part of CI: cross-compiles the tree with MinGW-w64, checks that
# every program imports only system DLLs, and runs the unit tests under Wine.
#
# Usage: .ci/windows-tests.sh PREFIX
#   PREFIX  where .ci/mingw-deps.sh builds (or finds, cached) Crypto++,
#           pugixml and GoogleTest for MinGW.
# Environment (all optional):
#   BUILD_DIR          build directory            (default: build/win)
#   BUILD_TYPE         CMake build type           (default: Release)
#   WINEPREFIX         Wine prefix for the tests  (default: BUILD_DIR/wine-prefix)
#   CTEST_TIMEOUT      seconds per test           (default: 120)
#   CTEST_TOTAL        seconds for the whole run  (default: 600)
# Exits non-zero when a step or a test fails; ends with CTest's summary line.
set -euo pipefail

if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: $0 PREFIX" >&2
  exit 2
fi

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
build_dir=${BUILD_DIR:-build/win}
log() { echo "windows-tests: $*"; }

log "third-party prefix $1"
.ci/mingw-deps.sh "$1"
prefix=$(cd "$1" && pwd)

log "configuring and building $build_dir"
cmake -S . -B "$build_dir" -G Ninja \
  -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64-x86_64.cmake \
  -DMINGW_PREFIX="$prefix" \
  -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}"
cmake --build "$build_dir"

log "checking DLL imports"
mapfile -t programs < <(find "$build_dir" -name '*.exe' -not -path '*/CMakeFiles/*' -not -path '*/wine-prefix/*' | sort)
if [ ${#programs[@]} -eq 0 ]; then
  echo "windows-tests: no .exe found in $build_dir" >&2
  exit 1
fi
.ci/check-win-imports.sh "${programs[@]}"

export WINEPREFIX=${WINEPREFIX:-$repo/$build_dir/wine-prefix}
# shellcheck source=SCRIPTDIR/wine-env.sh
. .ci/wine-env.sh
trap wine_stop EXIT
wine_start

log "running the unit tests under Wine"
ctest_log=$(mktemp)
rc=0
(cd "$build_dir" && timeout "${CTEST_TOTAL:-600}" \
   ctest --output-on-failure --timeout "${CTEST_TIMEOUT:-120}") 2>&1 | tee "$ctest_log" \
  || rc=$?
wine_stop

summary=$(grep -E '[0-9]+% tests passed' "$ctest_log" | tail -n 1 || true)
rm -f "$ctest_log"
if [ "$rc" -eq 124 ]; then
  echo "windows-tests: ctest did not finish within ${CTEST_TOTAL:-600} s" >&2
fi
echo "${summary:-windows-tests: ctest printed no summary (exit status $rc)}"
exit "$rc"
