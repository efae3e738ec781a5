# Shared plumbing of the throwaway test services (postgres.sh, rabbitmq.sh). Sourced, not run:
# the sourcing script sets SERVICE (its name in messages) and STATE_DIR, and defines cmd_start/cmd_stop.

log() { echo "$SERVICE: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Dump the end of a log so CI output shows the real cause, not just "failed".
show_tail() {
    [[ -f "$1" ]] || return 0
    log "--- last lines of $1 ---"
    tail -n 40 "$1" >&2 || true
}

# Any live TCP socket on the port counts, not only listeners: an outgoing connection that got it as its local
# (ephemeral) port makes our bind fail just the same. TIME-WAIT leftovers do not (the servers bind with
# SO_REUSEADDR), so a restarted broker gets its old port back.
port_in_use() {
    local port=$1
    if command -v ss >/dev/null 2>&1; then
        [[ -n "$(ss -tanH exclude time-wait "sport = :$port" 2>/dev/null)" ]]
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
    fi
}

# Runs cmd_start or cmd_stop under a lock, so parallel CI steps never race on ports, names or data.
# The lock is fd 9; helpers that launch long-lived processes close it (9>&-) so it is not held forever.
dispatch() {
    case "${1:-}" in
        start | stop)
            mkdir -p "$STATE_DIR"
            exec 9>"$STATE_DIR/.lock"
            flock -w 300 9 || die "timed out waiting for lock $STATE_DIR/.lock"
            "cmd_$1"
            ;;
        *)
            echo "usage: $0 start|stop" >&2
            exit 2
            ;;
    esac
}
