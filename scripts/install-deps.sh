#!/usr/bin/env bash
# Installs what building and testing the agent needs, from Debian 12's
# own packages. --windows adds the MinGW-w64 cross compiler, Wine and
# wixl (the MSI), --fuzz clang with libFuzzer and the sanitizers' runtime,
# --package what building, linting and installing the .deb needs.
set -euo pipefail

packages=(cmake ninja-build g++ pkg-config ccache libasio-dev libcrypto++-dev
          libpugixml-dev zlib1g-dev libssl-dev openssl libgtest-dev libgmock-dev googletest)
for option in "$@"; do
    case "$option" in
        --windows)
            packages+=(g++-mingw-w64-x86-64-posix gcc-mingw-w64-x86-64-posix
                       mingw-w64-tools libz-mingw-w64-dev wine wine64 dpkg-dev
                       wixl msitools) ;;
        --fuzz) packages+=(clang libclang-rt-14-dev) ;;
        --package) packages+=(dpkg-dev lintian adduser) ;;
        *) echo "install-deps.sh: unknown option $option" >&2; exit 2 ;;
    esac
done

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
