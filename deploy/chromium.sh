#!/usr/bin/env bash
# Debian's Chromium and the CJK fonts for the browser tests (Playwright drives it; `playwright install`
# cannot download browsers on these machines). Installs what is missing, then prints the browser's path
# as the last line.
set -euo pipefail
log() { echo "chromium.sh: $*" >&2; }

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# Without CJK fonts every Chinese label renders as boxes in the screenshots.
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
# fc-cache and its dpkg trigger: without them no font cache is built for the CJK fonts and every fresh
# browser process scans the large Noto files itself, slowing the first page each test opens. Helpful, not
# required: without root it is only reported.
if ! dpkg -s fontconfig >/dev/null 2>&1; then
  if [[ $EUID -eq 0 ]]; then missing+=(fontconfig); else log "fontconfig is not installed; fonts are scanned by each browser"; fi
fi
if ((${#missing[@]} > 0)); then
  [[ $EUID -eq 0 ]] || { log "ERROR: must run as root to install ${missing[*]}"; exit 1; }
  install_log="${TMPDIR:-/tmp}/chromium-apt-install.log"
  log "installing ${missing[*]} with apt-get (log: $install_log)..."
  if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"; } >"$install_log" 2>&1; then
    tail -n 30 "$install_log" >&2
    log "ERROR: apt-get install ${missing[*]} failed"
    exit 1
  fi
fi
# Quick when the cache is current (the package trigger normally builds it); makes sure it exists otherwise.
fc-cache >/dev/null 2>&1 || log "fc-cache failed; the browser will scan the fonts itself"
path="$(command -v chromium)"
log "$("$path" --version 2>/dev/null | tail -n 1)"
echo "$path"
