#!/bin/sh
# Locks (add) or unlocks (delete) a local account.
#   disable-account.sh add|delete <user> [...]
ACTION=$1
USER_NAME=$2
HERE=$(cd "$(dirname "$0")" && pwd)
LOG="$HERE/../../logs/active-responses.log"
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH

log() { echo "$(date '+%Y/%m/%d %H:%M:%S') disable-account.sh: $*" >> "$LOG"; }

case "$USER_NAME" in
    ""|-*|*[!A-Za-z0-9._@-]*) log "$ACTION: invalid user name '$USER_NAME'"; exit 1 ;;
    root) log "$ACTION: refusing to lock root"; exit 1 ;;
esac
id "$USER_NAME" >/dev/null 2>&1 || { log "$ACTION: no local user '$USER_NAME'"; exit 1; }
case "$ACTION" in
    add) usermod -L -- "$USER_NAME" 2>/dev/null || passwd -l -- "$USER_NAME" ;;
    delete) usermod -U -- "$USER_NAME" 2>/dev/null || passwd -u -- "$USER_NAME" ;;
    *) log "bad action '$ACTION'"; exit 1 ;;
esac
STATUS=$?
log "$ACTION $USER_NAME: exit status $STATUS"
exit $STATUS
