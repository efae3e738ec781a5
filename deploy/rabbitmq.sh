#!/usr/bin/env bash
# Throwaway RabbitMQ broker for integration tests (CI containers and dev boxes).
#
#   deploy/rabbitmq.sh start   # install if needed, start (or reuse), print connection settings
#   deploy/rabbitmq.sh stop    # stop it; succeeds even if nothing runs
#
# Last stdout line of `start`: host=127.0.0.1;port=<port>;username=guest;password=guest;vhost=/
# Env: WORKFLOW_SERVICES_DIR (default /tmp/workflow-services), RABBITMQ_PORT_TEST (default 55672, next
#      free one if taken), RABBITMQ_NODENAME_TEST (default workflow-test@localhost, workflow-test-2@... if
#      another node already has that name). The node name in use is in $STATE_DIR/nodename. Inspect with:
#   HOME=/root /usr/lib/rabbitmq/bin/rabbitmqctl -n "$(cat /tmp/workflow-services/rabbitmq/nodename)" status
set -euo pipefail

STATE_DIR="${WORKFLOW_SERVICES_DIR:-/tmp/workflow-services}/rabbitmq"
MNESIA_DIR="$STATE_DIR/mnesia"
LOG_DIR="$STATE_DIR/log"
SERVER_LOG="$STATE_DIR/server.log"          # the server's stdout/stderr (early boot errors land here)
CONN_FILE="$STATE_DIR/connection"
PID_FILE="$STATE_DIR/rabbitmq.pid"          # written by the broker itself: the beam.smp pid
LAUNCH_FILE="$STATE_DIR/launcher.pid"       # session leader of everything the start spawned
PORT_FILE="$STATE_DIR/port"
NODE_FILE="$STATE_DIR/nodename"
PLUGINS_FILE="$STATE_DIR/enabled_plugins"
CONFIG_FILE="$STATE_DIR/rabbitmq.conf"
BASE_PORT="${RABBITMQ_PORT_TEST:-55672}"
NODE_NAME="${RABBITMQ_NODENAME_TEST:-workflow-test@localhost}"
RMQ_BIN=/usr/lib/rabbitmq/bin
START_TIMEOUT=90

SERVICE=rabbitmq.sh
# shellcheck source=deploy/service-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/service-lib.sh"

show_server_logs() {
    show_tail "$SERVER_LOG"
    show_tail "$LOG_DIR/$NODE_NAME.log"
}

# Call the CLI directly as root: the /usr/sbin/rabbitmqctl wrapper switches to the rabbitmq user, whose
# Erlang cookie differs from /root/.erlang.cookie, so it could not reach our node.
# The CLI starts epmd if none runs yet: ERL_EPMD_ADDRESS keeps that epmd on loopback, and 9>&- keeps the
# lock fd out of it (epmd outlives us and would hold the lock forever).
# Deliberately no RABBITMQ_NODE_PORT/DIST_PORT here: the CLI derives its own distribution port from them.
ctl() {
    (cd / && env HOME=/root RABBITMQ_NODENAME="$NODE_NAME" ERL_EPMD_ADDRESS=127.0.0.1 \
        "$RMQ_BIN/rabbitmqctl" -n "$NODE_NAME" "$@" 9>&-)
}

install_rabbitmq() {
    local install_log="$STATE_DIR/apt-install.log"
    log "RabbitMQ not found, installing with apt-get (log: $install_log)..."
    # CI images usually ship without apt lists, so update before installing. The package's postinst
    # tries to start the service; policy-rc.d (or the missing init system) refuses and apt-get may report
    # an error for that alone, so judge success by the installed binaries, not apt-get's exit code.
    if ! { apt-get update \
            && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends rabbitmq-server; } \
            >"$install_log" 2>&1; then
        if [[ ! -x "$RMQ_BIN/rabbitmq-server" || ! -x "$RMQ_BIN/rabbitmqctl" ]]; then
            show_tail "$install_log"
            die "apt-get install rabbitmq-server failed"
        fi
        log "apt-get reported an error (service start refused?), but the broker is installed; continuing."
    fi
    [[ -x "$RMQ_BIN/rabbitmq-server" ]] || die "apt-get succeeded but $RMQ_BIN/rabbitmq-server is missing"
    log "RabbitMQ installed."
}

# Both the broker (running as root with HOME=/root) and the CLI authenticate with this cookie.
# Erlang would create one on first use, but the broker and the CLI could race to do so.
ensure_cookie() {
    local cookie=/root/.erlang.cookie
    if [[ ! -s "$cookie" ]]; then
        log "Creating Erlang cookie $cookie."
        (umask 077 && head -c 15 /dev/urandom | od -An -tx1 | tr -d ' \n' | tr 'a-f' 'A-F' >"$cookie")
    fi
    # Erlang refuses a cookie file that others can read.
    chmod 400 "$cookie"
}

# First free port in [from, BASE_PORT+100) other than $2 (so AMQP and distribution never collide).
pick_port() {
    local from=$1 skip=${2:-} port
    for ((port = from; port < BASE_PORT + 100; port++)); do
        [[ "$port" == "$skip" ]] && continue
        if ! port_in_use "$port"; then echo "$port"; return 0; fi
    done
    die "no free TCP port in $from..$((BASE_PORT + 99))"
}

# Node names are machine-wide (registered in epmd): a second broker with the same name, e.g. from another
# WORKFLOW_SERVICES_DIR, would die at boot, and worse, the CLI would report the *other* node as ready.
# So, like the port, take the next free name: workflow-test, workflow-test-2, ...
pick_nodename() {
    local short=${NODE_NAME%%@*} host=${NODE_NAME#*@} names candidate i
    names=$(epmd -names 2>/dev/null 9>&- || true)   # fails (= nothing registered) when no epmd runs
    for ((i = 1; i <= 20; i++)); do
        candidate=$short
        ((i > 1)) && candidate="$short-$i"
        if ! grep -qE "^name $candidate at port [0-9]+\$" <<<"$names"; then
            echo "$candidate@$host"
            return 0
        fi
    done
    die "node names $short..$short-20 are all in use (see: epmd -names)"
}

# True if our beam.smp is the process listening on the AMQP port, i.e. the node that answered is ours.
owns_port() {
    local pid=$1 port=$2
    command -v ss >/dev/null 2>&1 || return 0
    ss -ltnpH "sport = :$port" 2>/dev/null | grep -q "pid=$pid,"
}

# The broker's beam.smp, if it is alive. The node name is not on its command line (3.10 starts
# distribution at runtime), so match our pid file path in its environment to rule out a recycled pid.
broker_pid() {
    local pid
    pid=$(cat "$PID_FILE" 2>/dev/null || true)
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    [[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" == */beam.smp ]] || return 1
    grep -qzxF "RABBITMQ_PID_FILE=$PID_FILE" "/proc/$pid/environ" 2>/dev/null || return 1
    echo "$pid"
}

# Session leader of the start: the rabbitmq-server script (a sh that forwards TERM to the VM as a
# graceful shutdown) and the VM share its process group.
launcher_pid() {
    local pid
    pid=$(cat "$LAUNCH_FILE" 2>/dev/null || true)
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
    grep -qzxF "RABBITMQ_PID_FILE=$PID_FILE" "/proc/$pid/environ" 2>/dev/null || return 1
    echo "$pid"
}

broker_alive() { broker_pid >/dev/null || launcher_pid >/dev/null; }

# Graceful first (SIGTERM = clean shutdown for both the VM and the launcher script), then SIGKILL.
terminate_broker() {
    local pid launcher deadline=$((SECONDS + 30))
    pid=$(broker_pid || true)
    launcher=$(launcher_pid || true)
    [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null || true
    [[ -n "$launcher" ]] && kill -TERM "$launcher" 2>/dev/null || true
    while broker_alive; do
        if ((SECONDS >= deadline)); then
            log "broker still running after 30s, killing it"
            [[ -n "$pid" ]] && kill -KILL "$pid" 2>/dev/null || true
            [[ -n "$launcher" ]] && kill -KILL -- "-$launcher" 2>/dev/null || true
            break
        fi
        sleep 0.5
    done
    return 0
}

emit_connection() {
    local conn="host=127.0.0.1;port=$1;username=guest;password=guest;vhost=/"
    echo "$conn" >"$CONN_FILE"
    echo "$conn"
}

# await_startup gives up at once while the node is not reachable yet, so retry until the deadline, and
# stop early if the broker died (bad config, name or port clash) instead of waiting out the timeout.
# A broker that fails to come up is shut down again so the next start begins from a clean slate.
wait_ready() {
    local port=$1 deadline=$((SECONDS + START_TIMEOUT)) left pid
    while true; do
        left=$((deadline - SECONDS))
        if ((left <= 0)); then
            show_server_logs
            terminate_broker
            die "broker did not finish booting within ${START_TIMEOUT}s"
        fi
        if ctl await_startup --timeout "$left" >/dev/null 2>&1; then
            pid=$(broker_pid || true)
            [[ -n "$pid" ]] && owns_port "$pid" "$port" && return 0
            log "a node named $NODE_NAME answered, but it is not ours listening on port $port; waiting"
        fi
        if ! broker_alive; then
            show_server_logs
            die "broker exited during startup (rm -rf $STATE_DIR to start over with fresh data)"
        fi
        sleep 1
    done
}

write_config() {
    # Test-only tuning: a nearly full CI disk must not block publishers with a disk alarm.
    cat >"$CONFIG_FILE" <<'EOF'
disk_free_limit.absolute = 1MB
EOF
    # No plugins (no management UI): faster boot, fewer ports.
    echo '[].' >"$PLUGINS_FILE"
}

cmd_start() {
    [[ -x "$RMQ_BIN/rabbitmq-server" && -x "$RMQ_BIN/rabbitmqctl" ]] || install_rabbitmq
    ensure_cookie

    if broker_alive; then
        # Whatever node this state dir runs is the one to reuse, even if RABBITMQ_NODENAME_TEST changed.
        local port
        NODE_NAME=$(cat "$NODE_FILE" 2>/dev/null) && port=$(cat "$PORT_FILE" 2>/dev/null) \
            || die "a broker runs from $STATE_DIR but its nodename/port files are gone; run: $0 stop"
        log "Reusing broker $NODE_NAME already running on port $port."
        wait_ready "$port"
        emit_connection "$port"
        return 0
    fi

    local port dist_port
    NODE_NAME=$(pick_nodename)
    port=$(pick_port "$BASE_PORT")
    # Must be set: the default (AMQP port + 20000) is beyond 65535 for ports like ours.
    dist_port=$(pick_port "$((port + 1))" "$port")
    mkdir -p "$MNESIA_DIR" "$LOG_DIR"
    write_config
    rm -f "$PID_FILE" "$CONN_FILE"
    echo "$port" >"$PORT_FILE"
    echo "$NODE_NAME" >"$NODE_FILE"
    # Fresh logs per start so a failure tail shows this run, not an old shutdown.
    [[ -f "$SERVER_LOG" ]] && mv -f "$SERVER_LOG" "$SERVER_LOG.prev"
    [[ -f "$LOG_DIR/$NODE_NAME.log" ]] && mv -f "$LOG_DIR/$NODE_NAME.log" "$LOG_DIR/$NODE_NAME.log.prev"

    log "Starting RabbitMQ node $NODE_NAME on 127.0.0.1:$port (distribution port $dist_port)..."
    # setsid detaches the broker from our session (a CI step's Ctrl-C/hangup must not kill it) and makes
    # it a process group we can kill as a whole; 9>&- keeps the lock fd out of the long-lived broker.
    (
        cd "$STATE_DIR"
        export HOME=/root \
            RABBITMQ_NODENAME="$NODE_NAME" \
            RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
            RABBITMQ_NODE_PORT="$port" \
            RABBITMQ_DIST_PORT="$dist_port" \
            RABBITMQ_MNESIA_BASE="$MNESIA_DIR" \
            RABBITMQ_LOG_BASE="$LOG_DIR" \
            RABBITMQ_PID_FILE="$PID_FILE" \
            RABBITMQ_CONFIG_FILE="$CONFIG_FILE" \
            RABBITMQ_ENABLED_PLUGINS_FILE="$PLUGINS_FILE" \
            RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
            ERL_EPMD_ADDRESS=127.0.0.1 \
            ERL_CRASH_DUMP="$STATE_DIR/erl_crash.dump"
        exec setsid nohup "$RMQ_BIN/rabbitmq-server" </dev/null >"$SERVER_LOG" 2>&1 9>&-
    ) &
    echo $! >"$LAUNCH_FILE"

    wait_ready "$port"
    log "Ready: node $NODE_NAME (logs: $SERVER_LOG, $LOG_DIR)."
    emit_connection "$port"
}

cmd_stop() {
    local node
    node=$(cat "$NODE_FILE" 2>/dev/null || true)
    [[ -n "$node" ]] && NODE_NAME=$node
    if ! broker_alive; then
        log "No broker running from $STATE_DIR."
        rm -f "$CONN_FILE"
        return 0
    fi
    log "Stopping broker $NODE_NAME..."
    # rabbitmqctl stop returns once the node has shut down; terminate_broker then only reaps leftovers
    # (or does the whole job if the CLI cannot reach the node).
    if [[ ! -x "$RMQ_BIN/rabbitmqctl" ]] || ! ctl stop >/dev/null 2>&1; then
        log "rabbitmqctl stop failed, terminating the process instead"
    fi
    terminate_broker
    rm -f "$CONN_FILE" "$PID_FILE" "$LAUNCH_FILE"
    log "Stopped."
}

[[ $EUID -eq 0 ]] || die "must run as root (needs apt-get and /root/.erlang.cookie)"
[[ "$BASE_PORT" =~ ^[0-9]+$ ]] && ((BASE_PORT > 0 && BASE_PORT + 99 <= 65535)) \
    || die "RABBITMQ_PORT_TEST must be a port number up to 65436, got '$BASE_PORT'"
[[ "$NODE_NAME" == *@* ]] || NODE_NAME="$NODE_NAME@localhost"

dispatch "${1:-}"
