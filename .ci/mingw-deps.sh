#!/usr/bin/env bash
# Build the MinGW-w64 (x86_64, posix threads) third-party prefix used by the Windows cross build:
#   Crypto++  (static, $PREFIX/lib/libcryptopp.a, $PREFIX/include/cryptopp)   from Debian source "libcrypto++"
#   pugixml   (static, CMake config in $PREFIX/lib/cmake/pugixml)             from Debian source "pugixml"
#   GoogleTest + GMock (static, CMake config GTest)                           from /usr/src/googletest
#   Asio      (header-only, copied from /usr/include)
#
# Usage: .ci/mingw-deps.sh PREFIX
#   Then: cmake ... -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64-x86_64.cmake -DMINGW_PREFIX=PREFIX
#
# Idempotent. If PREFIX/.stamp holds the same key (versions of the Debian packages the sources come from,
# plus hashes of this script and the toolchain file) and every expected file exists, nothing is done.
# Otherwise PREFIX is wiped and rebuilt from scratch; the stamp is written last, so an interrupted run
# is never mistaken for a good one. Set MINGW_DEPS_FORCE=1 to ignore the stamp.
# The machine's apt configuration is not touched: sources are fetched with a private source list.
set -euo pipefail

if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: $0 PREFIX" >&2
  exit 2
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
TC="$repo/cmake/mingw-w64-x86_64.cmake"
[ -f "$TC" ] || { echo "mingw-deps: toolchain file $TC missing" >&2; exit 1; }

mkdir -p "$1"
P=$(cd "$1" && pwd)
case "$P" in
  /|/usr|/usr/*|/etc|/etc/*|/bin|/lib|/lib64|/sbin|"$HOME") echo "mingw-deps: refusing PREFIX=$P" >&2; exit 2 ;;
esac

HOST=x86_64-w64-mingw32
CXX_MINGW=$HOST-g++-posix
JOBS=$(nproc)
t_all=$(date +%s.%N)
tick() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }
log() { echo "mingw-deps: $*"; }

for tool in "$CXX_MINGW" $HOST-ar $HOST-ranlib cmake ninja apt-get dpkg-source dpkg-query; do
  command -v "$tool" >/dev/null || { echo "mingw-deps: missing tool $tool" >&2; exit 1; }
done
for f in /usr/include/asio.hpp /usr/src/googletest/CMakeLists.txt; do
  [ -e "$f" ] || { echo "mingw-deps: missing $f (install libasio-dev / googletest)" >&2; exit 1; }
done

# ---- cache key -------------------------------------------------------------------------------------
key="$(dpkg-query -W libcrypto++-dev libpugixml-dev googletest g++-mingw-w64-x86-64-posix libasio-dev)
script $(sha256sum < "${BASH_SOURCE[0]}" | cut -d' ' -f1)
toolchain $(sha256sum < "$TC" | cut -d' ' -f1)"
expected=(include/cryptopp/cryptlib.h include/cryptopp/blowfish.h lib/libcryptopp.a
          include/pugixml.hpp lib/libpugixml.a lib/cmake/pugixml/pugixml-config.cmake
          include/gtest/gtest.h include/gmock/gmock.h lib/libgtest.a lib/libgtest_main.a lib/libgmock.a
          lib/libgmock_main.a lib/cmake/GTest/GTestConfig.cmake include/asio.hpp include/asio/version.hpp)

if [ "${MINGW_DEPS_FORCE:-0}" != 1 ] && [ -f "$P/.stamp" ] && [ "$(cat "$P/.stamp")" = "$key" ]; then
  missing=0
  for f in "${expected[@]}"; do [ -e "$P/$f" ] || { log "cached prefix lacks $f"; missing=1; }; done
  if [ $missing = 0 ]; then
    log "cache hit: $P is up to date (stamp matches), nothing to do [$(took "$t_all") s]"
    exit 0
  fi
fi
log "building prefix $P"

# Only wipe a directory that is empty or was made by this script.
if [ -n "$(ls -A "$P")" ] && [ ! -f "$P/.mingw-deps-prefix" ]; then
  echo "mingw-deps: $P is not empty and was not created by this script; refusing to wipe it" >&2
  exit 1
fi
find "$P" -mindepth 1 -delete
touch "$P/.mingw-deps-prefix"

W=$(mktemp -d "$(dirname "$P")/.mingw-deps-work.XXXXXX")
trap 'rm -rf "$W"' EXIT

# ---- 1. sources via a private apt source list ----------------------------------------------------------
t=$(tick)
A=$W/apt-src
mkdir -p "$A/lists/partial" "$A/cache/archives/partial" "$A/parts"
: > "$A/src.list"
# deb822 files: one "deb-src [signed-by=..] URI SUITE COMPONENTS..." line per URI x suite of each "deb" stanza.
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  awk '
    function flush(   i, j, nu, ns, u, s, opt) {
      if (types ~ /(^|[ \t])deb($|[ \t])/ && uris != "" && suites != "" && enabled !~ /^[Nn][Oo]$/) {
        opt = (signed != "") ? "[signed-by=" signed "] " : ""
        nu = split(uris, u, /[ \t]+/); ns = split(suites, s, /[ \t]+/)
        for (i = 1; i <= nu; i++) for (j = 1; j <= ns; j++)
          if (u[i] != "" && s[j] != "") print "deb-src " opt u[i] " " s[j] " " comps
      }
      types = uris = suites = comps = signed = enabled = ""
    }
    /^[ \t]*#/ { next }
    /^[ \t]*$/ { flush(); next }
    {
      k = $0; sub(/:.*/, "", k); v = $0; sub(/^[^:]*:[ \t]*/, "", v); sub(/[ \t]+$/, "", v)
      k = tolower(k)
      if (k == "types") types = v; else if (k == "uris") uris = v; else if (k == "suites") suites = v
      else if (k == "components") comps = v; else if (k == "signed-by") signed = v
      else if (k == "enabled") enabled = v
    }
    END { flush() }
  ' /etc/apt/sources.list.d/debian.sources >> "$A/src.list"
fi
# one-line format: turn every "deb ..." line into "deb-src ...".
if [ -f /etc/apt/sources.list ]; then
  sed -n -E 's/^[[:space:]]*deb[[:space:]]+/deb-src /p' /etc/apt/sources.list >> "$A/src.list"
fi
sort -u -o "$A/src.list" "$A/src.list"
[ -s "$A/src.list" ] || { echo "mingw-deps: no Debian sources found in /etc/apt" >&2; exit 1; }
log "private source list:"; sed 's/^/    /' "$A/src.list"

AO=(-o "Dir::Etc::sourcelist=$A/src.list" -o "Dir::Etc::sourceparts=$A/parts"
    -o "Dir::State::lists=$A/lists" -o "Dir::Cache=$A/cache" -o APT::Sandbox::User=root -q)
ok=0
for attempt in 1 2 3; do
  if apt-get "${AO[@]}" update >"$W/apt-update.log" 2>&1; then ok=1; break; fi
  log "apt-get update failed (attempt $attempt):"; tail -n 5 "$W/apt-update.log" >&2; sleep $((attempt * 5))
done
[ $ok = 1 ] || exit 1

# Fetch the source version that matches the installed binary package (so the stamp key is honest);
# fall back to the candidate source if that exact version is no longer in the archive.
mkdir -p "$W/src"
fetch_src() {  # binary-package  ->  prints source package name
  local bin=$1 src ver
  src=$(dpkg-query -W -f='${source:Package}' "$bin")
  ver=$(dpkg-query -W -f='${source:Version}' "$bin")
  if ! (cd "$W/src" && apt-get "${AO[@]}" source --download-only "$src=$ver" >"$W/apt-src-$src.log" 2>&1); then
    log "source $src=$ver not available, taking the candidate version" >&2
    (cd "$W/src" && apt-get "${AO[@]}" source --download-only "$src" >>"$W/apt-src-$src.log" 2>&1) \
      || { cat "$W/apt-src-$src.log" >&2; exit 1; }
  fi
  echo "$src"
}
src_cryptopp=$(fetch_src libcrypto++-dev)
src_pugixml=$(fetch_src libpugixml-dev)
# --skip-patches: Debian's patches rename the library to libcrypto++ / include/crypto++ (toolchain.md P8).
(cd "$W/src" && dpkg-source --skip-patches -x "$(ls "${src_cryptopp}"_*.dsc | head -n1)" cryptopp >/dev/null 2>&1)
(cd "$W/src" && dpkg-source --skip-patches -x "$(ls "${src_pugixml}"_*.dsc | head -n1)" pugixml >/dev/null 2>&1)
[ -f "$W/src/cryptopp/GNUmakefile" ] && [ -f "$W/src/pugixml/CMakeLists.txt" ] \
  || { echo "mingw-deps: source extraction failed" >&2; exit 1; }
log "sources fetched and extracted: $(ls "$W/src" | grep -E '\.dsc$' | tr '\n' ' ')[$(took "$t") s]"

# ---- 2. Crypto++ (GNUmakefile detects MinGW from \$(CXX) -dumpmachine) -----------------------------------
t=$(tick)
make -C "$W/src/cryptopp" -j"$JOBS" static \
     CXX="$CXX_MINGW" AR=$HOST-ar RANLIB=$HOST-ranlib \
     CXXFLAGS="-DNDEBUG -O2 -D_WIN32_WINNT=0x0601" >"$W/cryptopp-build.log" 2>&1 \
  || { tail -n 40 "$W/cryptopp-build.log" >&2; exit 1; }
make -C "$W/src/cryptopp" install-lib PREFIX="$P" CXX="$CXX_MINGW" >"$W/cryptopp-install.log" 2>&1 \
  || { tail -n 40 "$W/cryptopp-install.log" >&2; exit 1; }
log "Crypto++ built and installed [$(took "$t") s]"

# ---- 3. pugixml ----------------------------------------------------------------------------------------
cmake_dep() {  # name source-dir extra-args...
  local name=$1 srcdir=$2; shift 2
  cmake -S "$srcdir" -B "$W/b-$name" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$TC" -DMINGW_PREFIX="$P" \
        -DMINGW_USE_CCACHE=OFF -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$P" \
        -DBUILD_SHARED_LIBS=OFF "$@" >"$W/$name-build.log" 2>&1 \
    && cmake --build "$W/b-$name" -j "$JOBS" >>"$W/$name-build.log" 2>&1 \
    && cmake --install "$W/b-$name" >>"$W/$name-build.log" 2>&1 \
    || { tail -n 40 "$W/$name-build.log" >&2; exit 1; }
}
t=$(tick)
cmake_dep pugixml "$W/src/pugixml" -DPUGIXML_BUILD_TESTS=OFF
log "pugixml built and installed [$(took "$t") s]"

# ---- 4. GoogleTest + GMock -------------------------------------------------------------------------------
t=$(tick)
cmake_dep gtest /usr/src/googletest -DINSTALL_GTEST=ON -DBUILD_GMOCK=ON
log "GoogleTest+GMock built and installed [$(took "$t") s]"

# ---- 5. Asio headers (toolchain.md P1: the find root excludes /usr/include) ------------------------------
cp -r /usr/include/asio /usr/include/asio.hpp "$P/include/"

# ---- verify + stamp --------------------------------------------------------------------------------------
for f in "${expected[@]}"; do
  [ -e "$P/$f" ] || { echo "mingw-deps: expected $P/$f was not produced" >&2; exit 1; }
done
printf '%s\n' "$key" > "$P/.stamp.tmp" && mv "$P/.stamp.tmp" "$P/.stamp"
log "done: $P ($(du -sh "$P" | cut -f1)) [total $(took "$t_all") s]"
