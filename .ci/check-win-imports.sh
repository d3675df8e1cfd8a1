#!/usr/bin/env bash
# Fail if any given PE file imports a DLL that is not a Windows system DLL (e.g. libstdc++-6.dll,
# libgcc_s_seh-1.dll, zlib1.dll, libwinpthread-1.dll: Wine may supply or find those, real Windows will not;
# toolchain.md P2/P3). Comparison is case-insensitive.
#
# Usage: .ci/check-win-imports.sh EXE|DLL...
#   Extra allowed DLL names (space separated, no path) may be given in WIN_IMPORTS_EXTRA_ALLOWED.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 EXE..." >&2
  exit 2
fi
OBJDUMP=${OBJDUMP:-x86_64-w64-mingw32-objdump}
command -v "$OBJDUMP" >/dev/null || { echo "check-win-imports: $OBJDUMP not found" >&2; exit 2; }

allowed=(
  kernel32 kernelbase ntdll advapi32 msvcrt ucrtbase user32 gdi32 shell32 shlwapi ole32 oleaut32
  ws2_32 mswsock iphlpapi dnsapi bcrypt ncrypt crypt32 secur32 sspicli rpcrt4 userenv wevtapi psapi
  version netapi32 wtsapi32 dbghelp winmm powrprof setupapi cfgmgr32 wintrust imagehlp comctl32
  comdlg32 wldap32 winhttp wininet authz pdh wbemuuid tdh
)
for x in ${WIN_IMPORTS_EXTRA_ALLOWED:-}; do x=$(tr '[:upper:]' '[:lower:]' <<<"$x"); allowed+=("${x%.dll}"); done

is_allowed() {  # lower-case dll name
  local n=${1%.dll} a
  case "$n" in
    api-ms-win-*|ext-ms-win-*) return 0 ;;   # API sets (ucrt api-ms-win-crt-*, core, ...)
  esac
  for a in "${allowed[@]}"; do [ "$n" = "$a" ] && return 0; done
  return 1
}

bad=0
for f in "$@"; do
  if [ ! -f "$f" ]; then echo "check-win-imports: $f: no such file" >&2; bad=1; continue; fi
  if ! dump=$("$OBJDUMP" -p "$f" 2>&1); then
    echo "check-win-imports: $f: objdump failed: $dump" >&2; bad=1; continue
  fi
  if ! grep -q 'file format pei-' <<<"$dump"; then
    echo "check-win-imports: $f: not a PE file" >&2; bad=1; continue
  fi
  dlls=$(sed -n -E 's/^[[:space:]]*DLL Name:[[:space:]]*([^[:space:]]+).*/\1/p' <<<"$dump" | tr '[:upper:]' '[:lower:]' | sort -u)
  offending=()
  for d in $dlls; do is_allowed "$d" || offending+=("$d"); done
  if [ ${#offending[@]} -gt 0 ]; then
    echo "FAIL $f imports non-system DLL(s): ${offending[*]}" >&2
    bad=1
  else
    echo "ok   $f: $(echo $dlls | tr ' ' ',')"
  fi
done
exit $bad
