#!/usr/bin/env bash
# Throwaway PostgreSQL server for integration tests (CI containers and dev boxes).
#
#   deploy/postgres.sh start   # install if needed, start (or reuse), print connection string
#   deploy/postgres.sh stop    # stop it; succeeds even if nothing runs
#
# Env: WORKFLOW_SERVICES_DIR (default /tmp/workflow-services), PGPORT_TEST (default 55432).
set -euo pipefail

STATE_DIR="${WORKFLOW_SERVICES_DIR:-/tmp/workflow-services}/postgres"
DATA_DIR="$STATE_DIR/data"
SOCKET_DIR="$STATE_DIR/socket"
SERVER_LOG="$STATE_DIR/server.log"
CONN_FILE="$STATE_DIR/connection-string"
BASE_PORT="${PGPORT_TEST:-55432}"
DB_NAME=workflow
DB_PASSWORD=workflow
START_TIMEOUT=60

SERVICE=postgres.sh
# shellcheck source=deploy/service-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/service-lib.sh"

# PostgreSQL refuses to run as root; cd / so the postgres user never trips over an unreadable cwd.
# 9>&- keeps the lock fd out of the postmaster, which would otherwise hold the lock for its lifetime.
as_pg() { (cd / && runuser -u postgres -- "$@" 9>&-); }

# Newest installed major wins; Debian can have several side by side.
find_bindir() {
    local ctl
    ctl=$(ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -n 1 || true)
    [[ -n "$ctl" ]] && dirname "$ctl"
}

install_postgres() {
    local install_log="$STATE_DIR/apt-install.log"
    log "PostgreSQL not found, installing with apt-get (log: $install_log)..."
    # CI images usually ship without apt lists, so update before installing.
    if ! { apt-get update \
            && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql; } \
            >"$install_log" 2>&1; then
        show_tail "$install_log"
        die "apt-get install postgresql failed"
    fi
    log "PostgreSQL installed."
}

pick_port() {
    local port
    for ((port = BASE_PORT; port < BASE_PORT + 100; port++)); do
        if ! port_in_use "$port"; then echo "$port"; return 0; fi
    done
    die "no free TCP port in $BASE_PORT..$((BASE_PORT + 99))"
}

server_running() {
    [[ -f "$DATA_DIR/postmaster.pid" ]] && as_pg "$BINDIR/pg_ctl" status -D "$DATA_DIR" >/dev/null 2>&1
}

# Line 4 of postmaster.pid is the port the live server actually bound.
running_port() { sed -n 4p "$DATA_DIR/postmaster.pid"; }

emit_connection_string() {
    local conn="Host=127.0.0.1;Port=$1;Username=postgres;Password=$DB_PASSWORD;Database=$DB_NAME"
    echo "$conn" >"$CONN_FILE"
    echo "$conn"
}

init_cluster() {
    local initdb_log="$STATE_DIR/initdb.log"
    rm -rf "$DATA_DIR"
    log "Creating cluster in $DATA_DIR..."
    # --no-sync: the data is disposable, so skip initdb's slow final fsync.
    if ! as_pg "$BINDIR/initdb" -D "$DATA_DIR" -A trust -U postgres --encoding=UTF8 \
            --locale=C.UTF-8 --no-sync >"$initdb_log" 2>&1; then
        # Minimal images may lack the C.UTF-8 locale; plain C still gives a UTF8 database.
        log "initdb with C.UTF-8 failed, retrying with --locale=C"
        rm -rf "$DATA_DIR"
        if ! as_pg "$BINDIR/initdb" -D "$DATA_DIR" -A trust -U postgres --encoding=UTF8 \
                --locale=C --no-sync >"$initdb_log" 2>&1; then
            show_tail "$initdb_log"
            die "initdb failed"
        fi
    fi
    # Per-start settings live in a separate file so a restart can change the port.
    echo "include_if_exists = 'workflow-test.conf'" >>"$DATA_DIR/postgresql.conf"
}

write_runtime_conf() {
    local port=$1
    # Test-only tuning: durability is worthless here, speed and many parallel test connections matter.
    as_pg tee "$DATA_DIR/workflow-test.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '${SOCKET_DIR//\'/\'\'}'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
}

wait_ready() {
    local port=$1 deadline=$((SECONDS + START_TIMEOUT))
    until "$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$port" -d postgres -U postgres; do
        if ((SECONDS >= deadline)); then
            show_tail "$SERVER_LOG"
            die "server did not accept connections within ${START_TIMEOUT}s"
        fi
        sleep 0.5
    done
}

cmd_start() {
    BINDIR=$(find_bindir) || true
    if [[ -z "${BINDIR:-}" ]]; then
        install_postgres
        BINDIR=$(find_bindir) || die "apt-get succeeded but no /usr/lib/postgresql/*/bin/pg_ctl exists"
    fi
    chown postgres:postgres "$STATE_DIR"
    as_pg test -w "$STATE_DIR" || die "user postgres cannot write $STATE_DIR (check parent dir permissions)"

    if server_running; then
        local port
        port=$(running_port)
        log "Reusing server already running from $DATA_DIR on port $port."
        wait_ready "$port"
        emit_connection_string "$port"
        return 0
    fi

    # Keep an existing cluster across stop/start; only rebuild if missing or from another major version.
    local major
    major=$(basename "$(dirname "$BINDIR")")
    if [[ "$(cat "$DATA_DIR/PG_VERSION" 2>/dev/null || true)" != "$major" ]]; then
        init_cluster
    else
        log "Reusing existing cluster in $DATA_DIR."
    fi

    as_pg mkdir -p -m 0700 "$SOCKET_DIR"
    local port
    port=$(pick_port)
    write_runtime_conf "$port"
    # Fresh log per start so a failure tail shows this run, not an old shutdown.
    [[ -f "$SERVER_LOG" ]] && mv -f "$SERVER_LOG" "$SERVER_LOG.prev"
    as_pg touch "$SERVER_LOG"

    log "Starting PostgreSQL $major on 127.0.0.1:$port..."
    # -w notices a postmaster that dies at once (bad config, port race) instead of polling for the full timeout.
    if ! as_pg "$BINDIR/pg_ctl" start -w -t "$START_TIMEOUT" -D "$DATA_DIR" -l "$SERVER_LOG" >/dev/null 2>&1; then
        show_tail "$SERVER_LOG"
        die "pg_ctl start failed (rm -rf $STATE_DIR to start over with a fresh cluster)"
    fi
    wait_ready "$port"

    # Via the unix socket as the superuser: works regardless of auth method. Idempotent for restarts.
    "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCKET_DIR" -p "$port" -U postgres -d postgres >/dev/null <<EOF
ALTER USER postgres PASSWORD '$DB_PASSWORD';
SELECT 'CREATE DATABASE $DB_NAME' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$DB_NAME')\gexec
EOF
    log "Ready (server log: $SERVER_LOG)."
    emit_connection_string "$port"
}

cmd_stop() {
    BINDIR=$(find_bindir) || true
    if [[ -z "${BINDIR:-}" ]] || ! server_running; then
        log "No server running from $DATA_DIR."
        rm -f "$CONN_FILE"
        return 0
    fi
    log "Stopping server in $DATA_DIR..."
    if ! as_pg "$BINDIR/pg_ctl" stop -D "$DATA_DIR" -m fast -w -t 60 >/dev/null 2>&1; then
        # A stuck client shouldn't leave the server around for the next CI step.
        log "fast shutdown timed out, using immediate"
        as_pg "$BINDIR/pg_ctl" stop -D "$DATA_DIR" -m immediate -w -t 30 >/dev/null 2>&1 || true
    fi
    rm -f "$CONN_FILE"
    log "Stopped."
}

[[ $EUID -eq 0 ]] || die "must run as root (needs apt-get and runuser)"
[[ "$BASE_PORT" =~ ^[0-9]+$ ]] || die "PGPORT_TEST must be a port number, got '$BASE_PORT'"

dispatch "${1:-}"
