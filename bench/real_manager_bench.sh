#!/usr/bin/env bash
# Events per second that a real OSSEC manager on this machine absorbs with
# zero loss: the agent (built in build/) sends N events through its local
# queue at a paced rate; the manager's archives.log (with <logall>yes)
# is counted afterwards. Figures only.
#
#   bench/real_manager_bench.sh OSSEC_DIR KEY_LINE EVENTS RATE [RATE...]
#
# OSSEC_DIR is the manager's install (its logs/archives/archives.log must
# grow); KEY_LINE is a client.keys line the manager knows.
set -euo pipefail
ossec_dir=$1 key=$2 events=$3
shift 3
root=$(cd "$(dirname "$0")/.." && pwd)
home=$(mktemp -d /tmp/real-bench.XXXXXX)
trap '"$home/bin/ossec-control" stop >/dev/null 2>&1 || true; rm -rf "$home"' EXIT
cmake --install "$root/build" --prefix "$home" >/dev/null
echo "$key" > "$home/etc/client.keys"
archives="$ossec_dir/logs/archives/archives.log"

for rate in "$@"; do
    cat > "$home/etc/ossec.conf" <<CONF
<ossec_config>
  <client><server-ip>127.0.0.1</server-ip><notify_time>30</notify_time></client>
  <client_buffer><events_per_second>$rate</events_per_second></client_buffer>
</ossec_config>
CONF
    rm -f "$home"/logcollector_disabled
    "$home/bin/ossec-agentd" -f >/dev/null 2>&1 &
    agent=$!
    sleep 3
    tag="bench-$rate-$$-$RANDOM"
    python3 - "$home/queue/ossec/queue" "$tag" "$events" <<'PY'
import socket, sys, time
path, tag, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
pad = "x" * 80
for i in range(n):
    msg = f"1:{tag}:{tag} event {i} {pad}\0".encode()
    while True:
        try:
            s.sendto(msg, path)
            break
        except (BlockingIOError, ConnectionRefusedError):
            time.sleep(0.01)
PY
    start=$(date +%s.%N)
    expected_secs=$(( events / rate + 5 ))
    for _ in $(seq 1 $((expected_secs * 2 + 30))); do
        got=$(grep -ac -- "->$tag " "$archives" || true)
        [[ "$got" -ge "$events" ]] && break
        sleep 1
    done
    sleep 5
    got=$(grep -ac -- "->$tag " "$archives" || true)
    end=$(date +%s.%N)
    kill "$agent"; wait "$agent" 2>/dev/null || true
    printf 'rate %6s events/s: %d of %d arrived (%s), %.1f s\n' "$rate" "$got" "$events" \
        "$([[ $got -ge $events ]] && echo 'no loss' || echo LOSS)" "$(echo "$end - $start" | bc)"
    rm -rf "$home/queue/buffer"
done
