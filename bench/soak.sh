#!/usr/bin/env bash
# bench/soak.sh MINUTES: the real agent (ossec-agentd, ossec-logcollector,
# ossec-syscheckd from build/) against ossec-testmanager on 127.0.0.1 for
# MINUTES, with a steady stream of log lines and a few file changes every
# minute. Prints, every minute, each daemon's RSS, CPU used in that minute
# and open descriptors, and the events sent and received so far; at the
# end a summary: first and last RSS and descriptors per daemon, and the
# log lines and file changes lost (by sequence number and by path+md5).
# Figures only; it passes or fails nothing.
#
#   bench/soak.sh MINUTES           (SOAK_RATE lines/s, default 20;
#                                    BUILD_DIR, default build)
set -euo pipefail
minutes=${1:?usage: bench/soak.sh MINUTES}
rate=${SOAK_RATE:-20}
files_per_minute=5
watched_files=100
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
for program in ossec-agentd ossec-logcollector ossec-syscheckd; do
    [[ -x "$build/agent/programs/$program/$program" ]] ||
        { echo "soak: $build/agent/programs/$program/$program is missing; build first" >&2; exit 1; }
done
[[ -x "$build/tests/testmanager/ossec-testmanager" ]] ||
    { echo "soak: ossec-testmanager is missing in $build; build first" >&2; exit 1; }

home=$(mktemp -d /tmp/soak.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    [[ -n "${SOAK_KEEP:-}" ]] || rm -rf "$home"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$home"/{bin,etc/shared,logs,queue/ossec,queue/rids,queue/alerts,var/run,active-response/bin,data/watched}
for program in ossec-agentd ossec-logcollector ossec-syscheckd; do
    cp "$build/agent/programs/$program/$program" "$home/bin/"
done
cp "$root/config/internal_options.conf" "$home/etc/"
key=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
echo "001 soak-agent any $key" > "$home/etc/client.keys"
input="$home/data/input.log"
watched="$home/data/watched"
: > "$input"
for i in $(seq 0 $((watched_files - 1))); do echo "initial $i" > "$watched/f$i"; done

manager_out="$home/testmanager.out"
"$build/tests/testmanager/ossec-testmanager" --port 0 --keys "$home/etc/client.keys" \
    > "$manager_out" 2>&1 &
pids+=($!)
port=
for _ in $(seq 1 100); do
    port=$(grep -o 'listening on 127\.0\.0\.1:[0-9]*' "$manager_out" | grep -o '[0-9]*$' || true)
    [[ -n "$port" ]] && break
    sleep 0.1
done
[[ -n "$port" ]] || { echo "soak: the test manager did not start" >&2; cat "$manager_out" >&2; exit 1; }

cat > "$home/etc/ossec.conf" <<CONF
<ossec_config>
  <client>
    <server-ip>127.0.0.1</server-ip>
    <port>$port</port>
    <notify_time>10</notify_time>
    <time-reconnect>60</time-reconnect>
  </client>
  <localfile>
    <log_format>syslog</log_format>
    <location>$input</location>
  </localfile>
  <syscheck>
    <frequency>60</frequency>
    <directories check_all="yes">$watched</directories>
  </syscheck>
</ossec_config>
CONF

declare -A daemon_pid
for program in ossec-agentd ossec-logcollector ossec-syscheckd; do
    "$home/bin/$program" -f > "$home/logs/$program.out" 2>&1 &
    daemon_pid[$program]=$!
    pids+=($!)
    sleep 1
done

# The log writer: rate lines each second, numbered from 0, for the whole run.
sent_file="$home/sent"
echo 0 > "$sent_file"
(
    n=0
    end=$((SECONDS + minutes * 60))
    while (( SECONDS < end )); do
        block=""
        stamp=$(date '+%b %e %H:%M:%S')
        for ((i = 0; i < rate; i++)); do
            block+="$stamp soakhost soak[1]: soak line $n"$'\n'
            n=$((n + 1))
        done
        printf '%s' "$block" >> "$input"
        echo "$n" > "$sent_file.tmp" && mv "$sent_file.tmp" "$sent_file"
        sleep 1
    done
) &
writer=$!
pids+=($writer)

# Every minute, files_per_minute files change; a given file changes at most
# once every watched_files / files_per_minute minutes, far apart from the
# 60 s scans, so each change is one event. changes holds "path md5".
changes="$home/changes"
: > "$changes"
change_files() {
    local minute=$1
    for j in $(seq 0 $((files_per_minute - 1))); do
        local f="$watched/f$(( (minute * files_per_minute + j) % watched_files ))"
        echo "change at minute $minute $RANDOM" > "$f"
        echo "$f $(md5sum < "$f" | cut -d' ' -f1)" >> "$changes"
    done
}

ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
fds() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
hz=$(getconf CLK_TCK)
received_lines() {
    grep -a "location=$input: " "$manager_out" | grep -o 'soak line [0-9]*$' |
        sort -u | wc -l
}
syscheck_events() { grep -ac "location=syscheck: " "$manager_out" || true; }

declare -A first_rss first_fds last_ticks
for program in "${!daemon_pid[@]}"; do last_ticks[$program]=$(ticks "${daemon_pid[$program]}"); done
printf '%-6s %-19s %9s %7s %4s %9s %7s %4s %9s %7s %4s %8s %8s %8s\n' min "" \
    agentd_kB cpu% fd logc_kB cpu% fd sysc_kB cpu% fd sent recv sysc_ev
for minute in $(seq 1 "$minutes"); do
    change_files "$minute"
    sleep 60
    line=$(printf '%-6s' "$minute")
    line+=$(printf ' %-19s' "$(date -u +%FT%TZ)")
    for program in ossec-agentd ossec-logcollector ossec-syscheckd; do
        pid=${daemon_pid[$program]}
        if ! kill -0 "$pid" 2>/dev/null; then
            line+=$(printf ' %9s %7s %4s' DEAD - -)
            continue
        fi
        now=$(ticks "$pid")
        cpu=$(awk -v a="$now" -v b="${last_ticks[$program]}" -v hz="$hz" \
              'BEGIN {printf "%.2f", (a - b) * 100 / hz / 60}')
        last_ticks[$program]=$now
        rss=$(rss_kb "$pid")
        fd=$(fds "$pid")
        [[ -n "${first_rss[$program]:-}" ]] || { first_rss[$program]=$rss; first_fds[$program]=$fd; }
        line+=$(printf ' %9s %7s %4s' "$rss" "$cpu" "$fd")
    done
    line+=$(printf ' %8s %8s %8s' "$(cat "$sent_file")" "$(received_lines)" "$(syscheck_events)")
    echo "$line"
done

wait "$writer" 2>/dev/null || true
sent=$(cat "$sent_file")
# Let the last lines drain and the last changes be seen by a scan.
for _ in $(seq 1 90); do
    [[ $(received_lines) -ge $sent ]] && break
    sleep 1
done
sleep 70
received=$(received_lines)
lost_changes=0
while read -r path md5; do
    grep -a "location=syscheck: " "$manager_out" | grep -F ":$md5" | grep -qF " $path" ||
        lost_changes=$((lost_changes + 1))
done < "$changes"

echo "--- summary after $minutes min ($rate lines/s, $files_per_minute file changes/min)"
for program in ossec-agentd ossec-logcollector ossec-syscheckd; do
    pid=${daemon_pid[$program]}
    if kill -0 "$pid" 2>/dev/null; then
        echo "$program: RSS ${first_rss[$program]:-?} kB at minute 1, $(rss_kb "$pid") kB at the end;" \
             "descriptors ${first_fds[$program]:-?} -> $(fds "$pid");" \
             "CPU $(awk -v t="$(ticks "$pid")" -v hz="$hz" 'BEGIN {printf "%.1f", t / hz}') s in total"
    else
        echo "$program: DIED (see $home/logs/$program.out; run with SOAK_KEEP=1 to keep it)"
    fi
done
echo "log lines: sent $sent, received $received distinct, lost $((sent - received))," \
     "duplicates $(( $(grep -ac "location=$input: " "$manager_out" || true) - received ))"
echo "file changes: made $(wc -l < "$changes"), reported with their new md5 $(( $(wc -l < "$changes") - lost_changes )), lost $lost_changes"
echo "manager: $(grep -ac '^rejected' "$manager_out" || true) rejected datagrams;" \
     "agent startups $(grep -ac '^startup' "$manager_out" || true)"
echo "ossec.log: $(grep -ac 'ERROR' "$home/logs/ossec.log" || true) ERROR lines," \
     "$(grep -ac 'WARN' "$home/logs/ossec.log" || true) WARN lines"
