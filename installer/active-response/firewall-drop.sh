#!/bin/sh
# Blocks or unblocks a source IP in the host firewall.
#   firewall-drop.sh add|delete <user> <srcip> [<alertid> <ruleid> <location...> <file>]
# Uses nftables when present, else ipset with iptables, else plain
# iptables/ip6tables. ossec-execd runs it with an argument vector (no
# shell); the address is checked again here before any command sees it.
ACTION=$1
IP=$3
HERE=$(cd "$(dirname "$0")" && pwd)
LOG="$HERE/../../logs/active-responses.log"
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH

log() { echo "$(date '+%Y/%m/%d %H:%M:%S') firewall-drop.sh: $*" >> "$LOG"; }

case "$ACTION" in add|delete) ;; *) log "bad action '$ACTION'"; exit 1 ;; esac
case "$IP" in
    ""|*[!0-9A-Fa-f.:]*) log "$ACTION: not an IP address: '$IP'"; exit 1 ;;
esac
case "$IP" in *:*) FAMILY=6 ;; *) FAMILY=4 ;; esac

nft_block() {
    nft list table inet ossec >/dev/null 2>&1 || {
        nft add table inet ossec &&
        nft add set inet ossec blocked4 '{ type ipv4_addr; }' &&
        nft add set inet ossec blocked6 '{ type ipv6_addr; }' &&
        nft add chain inet ossec input '{ type filter hook input priority -10; }' &&
        nft add chain inet ossec forward '{ type filter hook forward priority -10; }' &&
        nft add rule inet ossec input ip saddr @blocked4 drop &&
        nft add rule inet ossec input ip6 saddr @blocked6 drop &&
        nft add rule inet ossec forward ip saddr @blocked4 drop &&
        nft add rule inet ossec forward ip6 saddr @blocked6 drop
    } || return 1
    if [ "$ACTION" = add ]; then
        nft add element inet ossec "blocked$FAMILY" "{ $IP }"
    else
        nft delete element inet ossec "blocked$FAMILY" "{ $IP }" 2>/dev/null || true
    fi
}

ipset_block() {
    SET="ossec-blocked$FAMILY"
    if [ "$FAMILY" = 6 ]; then TABLES=ip6tables; OPT="family inet6"; else TABLES=iptables; OPT=""; fi
    # shellcheck disable=SC2086
    ipset create "$SET" hash:ip $OPT -exist || return 1
    for CHAIN in INPUT FORWARD; do
        "$TABLES" -w -C "$CHAIN" -m set --match-set "$SET" src -j DROP 2>/dev/null ||
            "$TABLES" -w -I "$CHAIN" -m set --match-set "$SET" src -j DROP || return 1
    done
    if [ "$ACTION" = add ]; then ipset add "$SET" "$IP" -exist; else ipset del "$SET" "$IP" -exist; fi
}

iptables_block() {
    if [ "$FAMILY" = 6 ]; then TABLES=ip6tables; else TABLES=iptables; fi
    for CHAIN in INPUT FORWARD; do
        if [ "$ACTION" = add ]; then
            "$TABLES" -w -C "$CHAIN" -s "$IP" -j DROP 2>/dev/null ||
                "$TABLES" -w -I "$CHAIN" -s "$IP" -j DROP || return 1
        else
            while "$TABLES" -w -D "$CHAIN" -s "$IP" -j DROP 2>/dev/null; do :; done
        fi
    done
}

if command -v nft >/dev/null 2>&1; then
    TOOL=nftables; nft_block
elif command -v ipset >/dev/null 2>&1 && command -v iptables >/dev/null 2>&1; then
    TOOL=ipset; ipset_block
elif command -v iptables >/dev/null 2>&1; then
    TOOL=iptables; iptables_block
else
    log "$ACTION $IP: no nft, ipset or iptables on this host"; exit 1
fi
STATUS=$?
log "$ACTION $IP with $TOOL: exit status $STATUS"
exit $STATUS
