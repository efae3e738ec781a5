#!/usr/bin/env bash
# strace for the test that records every connect() of the host process (it must reach loopback only).
# Installs it when missing, checks that it may trace here, then prints its path as the last line.
set -euo pipefail
log() { echo "strace.sh: $*" >&2; }

if ! command -v strace >/dev/null 2>&1; then
  [[ $EUID -eq 0 ]] || { log "ERROR: must run as root to install strace"; exit 1; }
  install_log="${TMPDIR:-/tmp}/strace-apt-install.log"
  log "installing strace with apt-get (log: $install_log)..."
  if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends strace; } >"$install_log" 2>&1; then
    tail -n 30 "$install_log" >&2
    log "ERROR: apt-get install strace failed"
    exit 1
  fi
fi
path="$(command -v strace)"
# A container may forbid ptrace; say so here rather than as a host that never started.
if ! out="$("$path" -f -e trace=connect -o /dev/null true 2>&1)"; then
  log "ERROR: strace cannot trace on this machine: $out"
  exit 1
fi
log "$("$path" -V | head -n 1)"
echo "$path"
