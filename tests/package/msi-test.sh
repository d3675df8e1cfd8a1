#!/usr/bin/env bash
# The Windows agent's MSI under Wine, end to end: install unattended with
# the manager and key properties, check the files and that the service
# OssecSvc runs (sc query), connect it to the test manager (a Linux
# program, on 127.0.0.1), check that a line written to a monitored log
# arrives, then uninstall and check the service and program are gone.
#
# Usage: tests/package/msi-test.sh [WIN_BUILD] [LINUX_BUILD]
#   WIN_BUILD    MinGW build with ossec-agent.exe (default build/win)
#   LINUX_BUILD  native build with ossec-testmanager (default build)
# Uses its own Wine prefix (WIN_BUILD/msi-wine-prefix, made afresh);
# every wait is bounded. Exits non-zero on the first failed check.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
win_build=$(cd "${1:-build/win}" && pwd)
linux_build=$(cd "${2:-build}" && pwd)
manager_program=$linux_build/tests/testmanager/ossec-testmanager
port=${OSSEC_TEST_PORT:-15142}
started=$(date +%s)
step() { echo "msi-test: [$(($(date +%s) - started)) s] $*"; }

work=$(mktemp -d)
manager_pid=
export WINEPREFIX=$win_build/msi-wine-prefix
# shellcheck source=../../.ci/wine-env.sh
. .ci/wine-env.sh
agent_dir="$WINEPREFIX/drive_c/Program Files (x86)/ossec-agent"

cleanup() {
  if [ -n "$manager_pid" ]; then kill "$manager_pid" 2>/dev/null || true; fi
  wine_stop
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "msi-test: FAIL: $*" >&2
  if [ -f "$agent_dir/logs/ossec.log" ]; then
    echo "--- ossec.log (last 30 lines)" >&2
    tail -n 30 "$agent_dir/logs/ossec.log" >&2
  fi
  if [ -f "$work/manager.out" ]; then
    echo "--- test manager output (last 20 lines)" >&2
    tail -n 20 "$work/manager.out" >&2
  fi
  exit 1
}

# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND every half second.
wait_for() {
  local seconds=$1 what=$2 deadline
  shift 2
  deadline=$(($(date +%s) + seconds))
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "$what: not within $seconds s"
    sleep 0.5
  done
}

winpath() { echo "Z:${1//\//\\}"; }
service_state() {
  timeout 30 wine sc query OssecSvc </dev/null 2>/dev/null | tr -d '\r' |
    sed -n 's/^ *STATE *: *[0-9]* *\([A-Z_]*\).*/\1/p'
}
service_is() { [ "$(service_state)" = "$1" ]; }

[ -x "$manager_program" ] || fail "$manager_program not built"
step "building the MSI"
installer/wix/build-msi.sh "$win_build" "$work/agent.msi"

step "fresh Wine prefix $WINEPREFIX"
wine_stop
rm -rf "$WINEPREFIX"
wine_start

# The agent's identity, shared with the test manager.
key_hex=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '001 msi-test any %s\n' "$key_hex" >"$work/manager.keys"
key_b64=$(printf '001 msi-test any %s' "$key_hex" | base64 -w0)

step "msiexec /i /qn with OSSEC_MANAGER, OSSEC_MANAGER_PORT, OSSEC_KEY"
rc=0
timeout 180 wine msiexec /i "$(winpath "$work/agent.msi")" /qn \
  /l*v "$(winpath "$work/install.log")" \
  OSSEC_MANAGER=127.0.0.1 OSSEC_MANAGER_PORT="$port" OSSEC_KEY="$key_b64" \
  </dev/null >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 0 ] || fail "msiexec /i exited $rc (8-bit; see $work/install.log)"

[ -f "$agent_dir/ossec-agent.exe" ] || fail "ossec-agent.exe not installed in $agent_dir"
for f in etc/ossec.conf.default etc/internal_options.conf active-response/bin/netsh.cmd \
         active-response/bin/route-null.cmd active-response/bin/restart-ossec.cmd; do
  [ -f "$agent_dir/$f" ] || fail "$f not installed"
done
grep -q "<server-ip>127.0.0.1</server-ip>" "$agent_dir/etc/ossec.conf" ||
  fail "OSSEC_MANAGER not applied to etc/ossec.conf"
grep -q "<port>$port</port>" "$agent_dir/etc/ossec.conf" ||
  fail "OSSEC_MANAGER_PORT not applied to etc/ossec.conf"
[ "$(tr -d '\r' <"$agent_dir/etc/client.keys")" = "001 msi-test any $key_hex" ] ||
  fail "OSSEC_KEY not written to etc/client.keys"
if grep -q "$key_hex" "$work/install.log" 2>/dev/null; then
  fail "the key appears in the installer's log"
fi
step "files and properties in place"

wait_for 30 "service OssecSvc running after install" service_is RUNNING
step "sc query OssecSvc: RUNNING"

# A log to monitor, then a restart so the service reads the new config.
mkdir -p "$WINEPREFIX/drive_c/agent-test"
: >"$WINEPREFIX/drive_c/agent-test/monitored.log"
sed -i 's|</ossec_config>|  <localfile>\n    <log_format>syslog</log_format>\n    <location>C:\\agent-test\\monitored.log</location>\n  </localfile>\n</ossec_config>|' \
  "$agent_dir/etc/ossec.conf"
# The stop is judged by the state it leads to (Wine's sc can report a
# failure for a stop that is under way).
timeout 60 wine sc stop OssecSvc </dev/null >/dev/null 2>&1 || echo "msi-test: sc stop exited non-zero"
wait_for 60 "service stopped by sc stop" service_is STOPPED
step "sc stop: STOPPED"

"$manager_program" --port "$port" --keys "$work/manager.keys" >"$work/manager.out" 2>&1 &
manager_pid=$!
wait_for 10 "test manager listening" grep -q "listening on" "$work/manager.out"

: >"$agent_dir/logs/ossec.log"
timeout 60 wine sc start OssecSvc </dev/null >/dev/null 2>&1 || fail "sc start OssecSvc failed"
wait_for 30 "service running after sc start" service_is RUNNING
step "sc start: RUNNING"

wait_for 60 "agent connected (keep-alive at the manager)" \
  grep -q "^keepalive agent=001" "$work/manager.out"
step "the agent in Wine connected to the test manager"
wait_for 30 "logcollector following monitored.log" \
  grep -q "monitored.log" "$agent_dir/logs/ossec.log"
line="msi-test line $RANDOM$RANDOM"
printf '%s\n' "$line" >>"$WINEPREFIX/drive_c/agent-test/monitored.log"
# The queue message is "1:C:\agent-test\monitored.log:<line>"; the test
# manager prints the location up to the first ':' (the drive letter here).
expected="\\agent-test\\monitored.log:$line"
wait_for 60 "the logged line at the manager" \
  grep -qE "^event agent=001 queue=1 location=C: .*$line\$" "$work/manager.out"
grep -qF "$expected" "$work/manager.out" || fail "the line arrived with another location"
step "line forwarded: $expected"

step "msiexec /x /qn"
rc=0
timeout 180 wine msiexec /x "$(winpath "$work/agent.msi")" /qn \
  /l*v "$(winpath "$work/uninstall.log")" </dev/null >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 0 ] || fail "msiexec /x exited $rc (see $work/uninstall.log)"
# msiexec returns once the stop is requested and the service marked for
# deletion; it is gone when its modules have saved their state and exited.
service_gone() { [ -z "$(service_state)" ]; }
wait_for 60 "service OssecSvc removed after uninstall" service_gone
[ ! -e "$agent_dir/ossec-agent.exe" ] || fail "ossec-agent.exe left behind"
[ ! -e "$agent_dir/active-response/bin/netsh.cmd" ] || fail "netsh.cmd left behind"
# Kept on purpose, for a later install: the configuration and identity.
[ -f "$agent_dir/etc/ossec.conf" ] && [ -f "$agent_dir/etc/client.keys" ] ||
  fail "etc/ossec.conf and etc/client.keys should be kept after uninstall"
step "uninstalled: service and program removed, ossec.conf and client.keys kept"

kill "$manager_pid" 2>/dev/null || true
manager_pid=
wine_stop
rm -rf "$WINEPREFIX"
step "PASS"
