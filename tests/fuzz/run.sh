#!/usr/bin/env bash
# tests/fuzz/run.sh SECONDS: builds every fuzz target with clang
# (libFuzzer + ASan + UBSan) and runs each for SECONDS, starting from the
# seed corpus in tests/fuzz/corpus/<target>. Fails when a target finds a
# crash; the reproducer is left in the build directory.
set -euo pipefail
seconds=${1:-10}
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAGENT_FUZZ=ON -DAGENT_BUILD_TESTS=OFF >/dev/null
cmake --build "$build"

status=0
for target in "$build"/tests/fuzz/fuzz_*; do
    [[ -x "$target" && -f "$target" ]] || continue
    name=$(basename "$target")
    work="$build/corpus/$name"
    mkdir -p "$work" "$build/crashes"
    seeds="$root/tests/fuzz/corpus/$name"
    [[ -d "$seeds" ]] || seeds=""
    log="$build/$name.log"
    if "$target" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 \
           -artifact_prefix="$build/crashes/$name-" "$work" $seeds >"$log" 2>&1; then
        runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
        echo "$name: ${runs:-?} executions in ${seconds} s, no finding"
    else
        echo "$name: FINDING, see $log and $build/crashes/"
        tail -n 30 "$log"
        status=1
    fi
done
exit $status
