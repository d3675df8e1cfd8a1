#!/usr/bin/env bash
# Builds the agent, installs it into out/demo, and runs it on this
# machine's own logs until Ctrl-C.
#
# Default: against the test manager on 127.0.0.1, which prints every event
# as it receives it. Against a real manager instead:
#   OSSEC_MANAGER=10.0.0.5 OSSEC_KEY=<base64 key from manage_agents -e> scripts/demo.sh
# (the agent's own log is then shown instead).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

scripts/install-deps.sh
echo "building the agent and the test manager (the first run takes a few minutes)..."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target ossec-agentd ossec-logcollector ossec-testmanager

home="$root/out/demo"
port="${DEMO_PORT:-15140}"
rm -rf "$home"
mkdir -p "$home/bin" "$home/etc/shared" "$home/logs" "$home/queue/ossec" "$home/var/run"
cp build/agent/programs/ossec-agentd/ossec-agentd \
   build/agent/programs/ossec-logcollector/ossec-logcollector "$home/bin/"

# The machine's own logs, read from their start so there is something to
# see at once; the agent then keeps following them.
localfiles=""
for f in /var/log/dpkg.log /var/log/apt/history.log /var/log/alternatives.log \
         /var/log/syslog /var/log/auth.log /var/log/messages /var/log/bootstrap.log; do
    [[ -r "$f" ]] || continue
    localfiles+="  <localfile><log_format>syslog</log_format><location>$f</location>"
    localfiles+="<only-future-events>no</only-future-events></localfile>"$'\n'
done

if [[ -n "${OSSEC_MANAGER:-}" ]]; then
    [[ -n "${OSSEC_KEY:-}" ]] || { echo "set OSSEC_KEY as well" >&2; exit 2; }
    manager="$OSSEC_MANAGER"
    manager_port=1514
    echo "$OSSEC_KEY" | base64 -d > "$home/etc/client.keys"
    echo >> "$home/etc/client.keys"
else
    manager=127.0.0.1
    manager_port=$port
    key=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
    echo "001 demo-agent any $key" > "$home/etc/client.keys"
fi

cat > "$home/etc/ossec.conf" <<CONF
<ossec_config>
  <client>
    <server-ip>$manager</server-ip>
    <port>$manager_port</port>
    <notify_time>60</notify_time>
  </client>
$localfiles</ossec_config>
CONF

pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    echo "stopped; the agent's log is $home/logs/ossec.log"
}
trap cleanup EXIT
trap 'exit 0' INT TERM

if [[ -z "${OSSEC_MANAGER:-}" ]]; then
    build/tests/testmanager/ossec-testmanager --port "$port" \
        --keys "$home/etc/client.keys" &
    pids+=($!)
fi
"$home/bin/ossec-agentd" -f 2>/dev/null &
pids+=($!)
"$home/bin/ossec-logcollector" -f 2>/dev/null &
pids+=($!)

echo "agent running from $home against $manager:$manager_port; Ctrl-C stops it"
if [[ -n "${OSSEC_MANAGER:-}" ]]; then
    tail -F "$home/logs/ossec.log" &
    pids+=($!)
fi
wait
