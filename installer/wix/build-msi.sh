#!/usr/bin/env bash
# Builds the Windows agent's MSI with wixl from a MinGW build directory.
#
# Usage: installer/wix/build-msi.sh BUILD_DIR [OUTPUT]
#   BUILD_DIR  the MinGW build (holds agent/programs/ossec-agent/ossec-agent.exe)
#   OUTPUT     the .msi to write (default: BUILD_DIR/ossec-agent.msi)
# VERSION overrides the product version (default: the project's, from CMake).
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 BUILD_DIR [OUTPUT]" >&2
  exit 2
fi
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$(cd "$1" && pwd)
output=${2:-$build/ossec-agent.msi}
case "$output" in /*) ;; *) output=$PWD/$output ;; esac

exe=$build/agent/programs/ossec-agent/ossec-agent.exe
[ -f "$exe" ] || { echo "build-msi: $exe not found; build the MinGW tree first" >&2; exit 1; }
command -v wixl >/dev/null || { echo "build-msi: wixl not found (apt-get install wixl)" >&2; exit 1; }
version=${VERSION:-$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")}
[ -n "$version" ] || { echo "build-msi: no version in $build/CMakeCache.txt" >&2; exit 1; }

# wixl takes only relative Source paths (an absolute one fails with
# "Couldn't find file"), so the inputs are staged beside a copy of the .wxs.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/conf" "$stage/ar"
cp "$exe" "$stage/bin/"
cp "$repo/installer/wix/ossec.conf" "$repo/config/internal_options.conf" "$stage/conf/"
cp "$repo"/installer/active-response/{netsh,route-null,restart-ossec}.cmd "$stage/ar/"
cp "$repo/installer/wix/agent.wxs" "$stage/"

(cd "$stage" && wixl -a x64 -D Version="$version" -D BinDir=bin -D ConfDir=conf -D ArDir=ar \
   -o agent.msi agent.wxs)
mv "$stage/agent.msi" "$output"
echo "build-msi: $output (version $version, $(stat -c %s "$output") bytes)"
