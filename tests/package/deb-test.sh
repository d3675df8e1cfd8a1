#!/bin/sh
# Builds the .deb, lints it, installs it onto this machine, checks owners
# and modes, connects the agent to a test manager, checks that a logged
# line arrives and that ossec-agentd runs as ossec, then purges and checks
# that nothing is left.
#   CI=true tests/package/deb-test.sh [BUILD_DIR]    (default build-pkg)
# It installs into /var/ossec and /etc, so it runs only on a throwaway
# machine: CI=true or FORCE=1 must be set. Needs root, dpkg, lintian.
set -eu

if [ "${CI:-}" != true ] && [ "${FORCE:-}" != 1 ]; then
    echo "deb-test: installs into /var/ossec; set CI=true or FORCE=1 to run" >&2
    exit 2
fi
SOURCE=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "${1:-$SOURCE/build-pkg}" && pwd)
PORT=${OSSEC_TEST_PORT:-15141}
HOME_DIR=/var/ossec
WORK=$(mktemp -d)
MANAGER_PID=

fail() {
    echo "deb-test: FAIL: $*" >&2
    [ -f "$HOME_DIR/logs/ossec.log" ] && tail -20 "$HOME_DIR/logs/ossec.log" >&2
    exit 1
}
STARTED=$(date +%s)
step() { echo "deb-test: [$(($(date +%s) - STARTED)) s] $*"; }

cleanup() {
    [ -n "$MANAGER_PID" ] && kill "$MANAGER_PID" 2>/dev/null
    if dpkg -s ossec-hids-agent >/dev/null 2>&1; then
        dpkg --purge ossec-hids-agent >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# expect PATH OWNER:GROUP MODE
expect() {
    actual=$(stat -c '%U:%G %a' "$1") || fail "$1 is missing"
    [ "$actual" = "$2 $3" ] || fail "$1 is $actual, expected $2 $3"
}

# wait_for SECONDS COMMAND...: true once COMMAND succeeds
wait_for() {
    deadline=$(($(date +%s) + $1))
    shift
    until "$@"; do
        [ "$(date +%s)" -lt "$deadline" ] || return 1
        sleep 0.2
    done
}

build_and_lint() {
    [ ! -e "$HOME_DIR" ] || fail "$HOME_DIR exists already; not touching it"
    cmake --build "$BUILD" >/dev/null
    DEB=$("$SOURCE/installer/debian/build-deb.sh" "$BUILD" "$WORK")
    step "built $(basename "$DEB")"
    step "lintian findings (errors and warnings; overrides documented in the package):"
    lintian "$DEB" >"$WORK/lintian.out" 2>&1 || true
    grep -v 'running with root privileges' "$WORK/lintian.out" || echo "  (none)"
    if grep -q '^E:' "$WORK/lintian.out"; then
        fail "lintian reports errors"
    fi
}

install_package() {
    user_before=$(getent passwd ossec || true)
    group_before=$(getent group ossec || true)
    # The unattended path sets the manager; the key comes later, by hand.
    OSSEC_MANAGER=127.0.0.1 OSSEC_MANAGER_PORT=$PORT \
        dpkg -i "$DEB" >"$WORK/dpkg-install.log" 2>&1 ||
        { cat "$WORK/dpkg-install.log" >&2; fail "dpkg -i failed"; }
    step "installed"
    getent passwd ossec >/dev/null || fail "no ossec user after install"
    shell=$(getent passwd ossec | cut -d: -f7)
    case "$shell" in */nologin|*/false) ;; *) fail "ossec has a login shell ($shell)" ;; esac
}

check_modes() {
    expect $HOME_DIR root:ossec 550
    expect $HOME_DIR/etc root:ossec 550
    expect $HOME_DIR/etc/ossec.conf root:ossec 440
    expect $HOME_DIR/etc/client.keys root:ossec 640
    expect $HOME_DIR/etc/shared ossec:ossec 770
    expect $HOME_DIR/bin/ossec-agentd root:ossec 550
    expect $HOME_DIR/queue root:ossec 550
    expect $HOME_DIR/queue/ossec ossec:ossec 2770
    expect $HOME_DIR/queue/alerts ossec:ossec 2770
    expect $HOME_DIR/queue/rids ossec:ossec 770
    expect $HOME_DIR/queue/buffer ossec:ossec 770
    expect $HOME_DIR/logs ossec:ossec 750
    expect $HOME_DIR/logs/ossec.log ossec:ossec 660
    expect $HOME_DIR/var/run root:ossec 770
    expect /etc/init.d/ossec root:root 755
    grep -qx /var/ossec/etc/client.keys /var/lib/dpkg/info/ossec-hids-agent.conffiles ||
        fail "client.keys is not a conffile"
    step "owners and modes as OSSEC's"
}

start_manager() {
    key=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
    echo "001 deb-test-agent any $key" >"$WORK/manager.keys"
    "$BUILD/tests/testmanager/ossec-testmanager" --port "$PORT" \
        --keys "$WORK/manager.keys" >"$WORK/manager.out" 2>&1 &
    MANAGER_PID=$!
    wait_for 10 grep -q listening "$WORK/manager.out" ||
        fail "test manager did not start: $(cat "$WORK/manager.out")"
}

configure_agent() {
    conf=$HOME_DIR/etc/ossec.conf
    grep -q "<server-ip>127.0.0.1</server-ip>" "$conf" && grep -q "<port>$PORT</port>" "$conf" ||
        fail "OSSEC_MANAGER and OSSEC_MANAGER_PORT did not reach $conf"
    sed -i -e "s|<location>/var/log/auth.log</location>|<location>$WORK/watched.log</location>|" \
        "$conf"
    : >"$WORK/watched.log"
    chmod 0755 "$WORK"
    "$HOME_DIR/bin/manage_agents" -i "$(base64 -w0 <"$WORK/manager.keys")" -y >/dev/null ||
        fail "manage_agents -i failed"
    # As OSSEC keeps it: readable by root and the ossec group, not others.
    expect $HOME_DIR/etc/client.keys root:ossec 640
}

agentd_user() {
    pid=$(cat $HOME_DIR/var/run/ossec-agentd-*.pid 2>/dev/null) || return 1
    awk '/^Uid:/ { print $2 }' "/proc/$pid/status" | xargs getent passwd | cut -d: -f1
}

agentd_is_ossec() { [ "$(agentd_user 2>/dev/null)" = ossec ]; }

agentd_root() {
    pid=$(cat $HOME_DIR/var/run/ossec-agentd-*.pid 2>/dev/null) || return 1
    readlink "/proc/$pid/root"
}

pid_file_of() { cat $HOME_DIR/var/run/"$1"-*.pid 2>/dev/null; }

# ossec-control reload (through the init script): logcollector keeps its
# pid and follows a <localfile> added since; agentd is restarted, still
# as ossec.
reload_agent() {
    agentd_before=$(pid_file_of ossec-agentd)
    logcollector_before=$(pid_file_of ossec-logcollector)
    : >"$WORK/added.log"
    sed -i "s|</ossec_config>|<localfile><log_format>syslog</log_format><location>$WORK/added.log</location></localfile></ossec_config>|" \
        $HOME_DIR/etc/ossec.conf
    /etc/init.d/ossec reload >"$WORK/reload.log" 2>&1 ||
        { cat "$WORK/reload.log" >&2; fail "/etc/init.d/ossec reload failed"; }
    wait_for 10 grep -q "configuration reloaded" $HOME_DIR/logs/ossec.log ||
        fail "logcollector did not reload its configuration"
    [ "$(pid_file_of ossec-logcollector)" = "$logcollector_before" ] ||
        fail "reload restarted ossec-logcollector"
    wait_for 10 agentd_is_ossec || fail "ossec-agentd is not running as ossec after reload"
    [ "$(pid_file_of ossec-agentd)" != "$agentd_before" ] || fail "reload kept the old ossec-agentd"
    line="deb-test reload $(date +%s%N)"
    echo "$line" >>"$WORK/added.log"
    wait_for 30 grep -qF "$line" "$WORK/manager.out" ||
        fail "a line of the file added by reload did not arrive"
    step "reload: logcollector follows the added file (same pid), agentd restarted as ossec"
}

run_agent() {
    /etc/init.d/ossec start >"$WORK/start.log" 2>&1 ||
        { cat "$WORK/start.log" >&2; fail "/etc/init.d/ossec start failed"; }
    /etc/init.d/ossec status >/dev/null || fail "/etc/init.d/ossec status: not all running"
    step "started with /etc/init.d/ossec start"

    wait_for 10 agentd_is_ossec || fail "ossec-agentd runs as '$(agentd_user)', not ossec"
    [ "$(agentd_root)" = $HOME_DIR ] ||
        fail "ossec-agentd is confined to '$(agentd_root)', not $HOME_DIR"
    step "ossec-agentd runs as user ossec, chrooted into $HOME_DIR (/proc/PID)"
    [ -S $HOME_DIR/queue/ossec/queue ] || fail "no queue socket"
    expect $HOME_DIR/queue/ossec/queue root:ossec 660

    line="deb-test line $(date +%s%N)"
    # logcollector starts at the end of a file: wait until it has it open.
    wait_for 15 grep -qF "$WORK/watched.log" $HOME_DIR/logs/ossec.log ||
        fail "logcollector does not report reading $WORK/watched.log"
    echo "$line" >>"$WORK/watched.log"
    wait_for 30 grep -qF "$line" "$WORK/manager.out" ||
        fail "the line did not reach the test manager: $(tail -5 "$WORK/manager.out")"
    step "a line appended to a monitored file arrived at the test manager"

    reload_agent

    /etc/init.d/ossec stop >/dev/null || fail "/etc/init.d/ossec stop failed"
    ! pgrep -f "$HOME_DIR/bin/ossec-" >/dev/null || fail "daemons still running after stop"
    step "stopped"
}

purge_and_check() {
    dpkg --purge ossec-hids-agent >"$WORK/purge.log" 2>&1 ||
        { cat "$WORK/purge.log" >&2; fail "dpkg --purge failed"; }
    [ ! -e $HOME_DIR ] || fail "$HOME_DIR left after purge"
    [ ! -e /etc/init.d/ossec ] || fail "/etc/init.d/ossec left after purge"
    ! ls /etc/rc?.d/*ossec >/dev/null 2>&1 || fail "rc links left after purge"
    [ ! -e /lib/systemd/system/ossec.service ] || fail "systemd unit left after purge"
    # An ossec account that existed before (another OSSEC install) must
    # survive; one the package created must be gone.
    [ "$(getent passwd ossec || true)" = "$user_before" ] || fail "ossec user left or changed"
    [ "$(getent group ossec || true)" = "$group_before" ] || fail "ossec group left or changed"
    step "purged; nothing left (account as before install: ${user_before:-none})"
}

build_and_lint
install_package
check_modes
start_manager
configure_agent
run_agent
purge_and_check
echo "deb-test: PASS in $(($(date +%s) - STARTED)) s"
