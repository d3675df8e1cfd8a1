#!/bin/sh
# Adds or removes "ALL: <srcip>" in /etc/hosts.deny (TCP wrappers).
#   host-deny.sh add|delete <user> <srcip> [...]
ACTION=$1
IP=$3
HERE=$(cd "$(dirname "$0")" && pwd)
LOG="$HERE/../../logs/active-responses.log"
DENY=${OSSEC_HOSTS_DENY:-/etc/hosts.deny}
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH

log() { echo "$(date '+%Y/%m/%d %H:%M:%S') host-deny.sh: $*" >> "$LOG"; }

case "$IP" in
    ""|*[!0-9A-Fa-f.:]*) log "$ACTION: not an IP address: '$IP'"; exit 1 ;;
esac
LINE="ALL: $IP"
case "$ACTION" in
    add)
        grep -q -x -F "$LINE" "$DENY" 2>/dev/null || echo "$LINE" >> "$DENY" || exit 1 ;;
    delete)
        [ -f "$DENY" ] || exit 0
        TMP="$DENY.ossec.$$"
        grep -v -x -F "$LINE" "$DENY" > "$TMP"
        cat "$TMP" > "$DENY" && rm -f "$TMP" || exit 1 ;;
    *) log "bad action '$ACTION'"; exit 1 ;;
esac
log "$ACTION $IP in $DENY"
