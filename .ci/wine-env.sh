# shellcheck shell=bash
# Sourceable helpers for running MinGW-built .exe files (ctest) under Wine, headless.
#
#   export WINEPREFIX=/some/dir/wine      # optional; default: ${TMPDIR:-/tmp}/ci-wine-prefix
#   . .ci/wine-env.sh
#   wine_start                            # create/boot the prefix, start a persistent wineserver
#   trap wine_stop EXIT
#   (cd build/win && timeout 1200 ctest --output-on-failure --timeout 120)
#   wine_stop                             # wineserver -k (always before deleting the prefix)
#
# Order matters (toolchain.md P4/P5): wineboot -i; wineserver -w; wineserver -p; then one
# `wine cmd /c exit` with stdio redirected so services.exe/winedevice.exe never hold ctest's pipes.
# Without the persistent server each wine process costs ~3 s; with it ~0.06 s.

export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml="
export WINEPREFIX="${WINEPREFIX:-${TMPDIR:-/tmp}/ci-wine-prefix}"
# Wine exit codes are truncated to 8 bits (P7): 0xC0000135 (missing DLL) arrives as 53.

wine_start() {
  local t0 rc=0 tool
  t0=$(date +%s.%N)
  for tool in wine wineboot wineserver; do
    command -v "$tool" >/dev/null 2>&1 || { echo "wine_start: $tool not found" >&2; return 1; }
  done
  mkdir -p "$(dirname "$WINEPREFIX")" || return 1
  # Stop a server left over for this prefix, so -p below cannot race an existing one (P5).
  wineserver -k </dev/null >/dev/null 2>&1 || true
  wineserver -w </dev/null >/dev/null 2>&1 || true
  wineboot -i </dev/null >/dev/null 2>&1 || rc=$?
  if [ $rc -ne 0 ]; then echo "wine_start: wineboot -i failed (rc=$rc) for $WINEPREFIX" >&2; return 1; fi
  wineserver -w </dev/null >/dev/null 2>&1 || true      # let the boot-time server finish
  wineserver -p </dev/null >/dev/null 2>&1 || true      # persistent server (rc=2 if one already runs)
  # Start services.exe/winedevice.exe now, detached from the caller's stdout/stderr.
  if ! wine cmd /c exit </dev/null >/dev/null 2>&1; then
    echo "wine_start: 'wine cmd /c exit' failed in $WINEPREFIX" >&2
    return 1
  fi
  echo "wine_start: WINEPREFIX=$WINEPREFIX ready [$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s]" >&2
}

wine_stop() {
  wineserver -k </dev/null >/dev/null 2>&1 || true
  wineserver -w </dev/null >/dev/null 2>&1 || true
  return 0
}
