#!/usr/bin/env bash
# Installs what building and testing the agent needs, from Debian 12's
# own packages. --windows adds the MinGW-w64 cross compiler and Wine.
set -euo pipefail

packages=(cmake ninja-build g++ pkg-config ccache libasio-dev libcrypto++-dev
          libpugixml-dev zlib1g-dev libssl-dev libgtest-dev libgmock-dev googletest)
if [[ "${1:-}" == "--windows" ]]; then
    packages+=(g++-mingw-w64-x86-64-posix gcc-mingw-w64-x86-64-posix mingw-w64-tools
               libz-mingw-w64-dev wine wine64 dpkg-dev)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get -o DPkg::Lock::Timeout=600 update -q
$sudo apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}"
