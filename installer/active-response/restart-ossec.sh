#!/bin/sh
# Restarts the agent (agent_control -R on the manager).
#   restart-ossec.sh add|delete [...]   ("delete" does nothing)
HERE=$(cd "$(dirname "$0")" && pwd)
HOME_DIR=$(cd "$HERE/../.." && pwd)
LOG="$HOME_DIR/logs/active-responses.log"
echo "$(date '+%Y/%m/%d %H:%M:%S') restart-ossec.sh: $1" >> "$LOG"
[ "$1" = add ] || exit 0
# Detached, so the restart survives the stop of ossec-execd that runs this.
nohup "$HOME_DIR/bin/ossec-control" restart >/dev/null 2>&1 </dev/null &
exit 0
