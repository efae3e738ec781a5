#!/usr/bin/env bash
# Renders an exported .docx the way a reader sees it, for a visual check of the layout:
# LibreOffice Writer (headless) converts it to PDF, poppler's pdftoppm turns the first pages into PNGs.
# Installs libreoffice-writer-nogui, poppler-utils and the CJK fonts with apt-get when missing.
#
#   bash deploy/render-docx.sh REPORT.docx [OUT_DIR] [PAGES]
#
# OUT_DIR defaults to the .docx's folder, PAGES (how many first pages become PNGs) to 2. Writes
# OUT_DIR/NAME.pdf, OUT_DIR/NAME-1.png, NAME-2.png … and NAME-last.png (the last page, when it is not among
# them) at 80 dpi, and prints the PNG paths. deploy/final-sample.cs writes sample .docx files to render.
set -euo pipefail
log() { echo "render-docx.sh: $*" >&2; }

docx="${1:?usage: render-docx.sh REPORT.docx [OUT_DIR] [PAGES]}"
out="${2:-$(dirname "$docx")}"
pages="${3:-2}"
[[ -f "$docx" ]] || { log "ERROR: no such file: $docx"; exit 1; }

missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
# Without CJK fonts every Chinese character renders as a box; none of the GB2312 fonts the document names
# (方正小标宋简体, 仿宋_GB2312 …) is free, so LibreOffice substitutes Noto Serif/Sans CJK.
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
if ((${#missing[@]} > 0)); then
  sudo=()
  if [[ $EUID -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { log "ERROR: must run as root (or with sudo) to install ${missing[*]}"; exit 1; }
    sudo=(sudo)
  fi
  install_log="${TMPDIR:-/tmp}/render-docx-apt-install.log"
  log "installing ${missing[*]} with apt-get (log: $install_log)..."
  if ! { "${sudo[@]}" apt-get update -q \
      && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$install_log" 2>&1; then
    tail -n 30 "$install_log" >&2
    log "ERROR: apt-get install ${missing[*]} failed"
    exit 1
  fi
fi

mkdir -p "$out"
name="$(basename "${docx%.*}")"
# A profile of its own, so a running LibreOffice (or a previous crash) does not block the conversion.
work="$(mktemp -d "${TMPDIR:-/tmp}/render-docx.XXXXXX")"
trap 'rm -rf "$work"' EXIT
# The document's fonts mapped to their nearest free look-alikes, for this conversion only: 宋/仿宋/楷 to
# Noto Serif CJK, 黑体 to Noto Sans CJK, the heavy 小标宋 title to Noto Serif CJK Bold. (Unmapped, every
# one of them falls back to the sans face.) Widths are the same: every CJK face sets a character 1 em wide.
serif() { printf '  <match target="pattern"><test name="family"><string>%s</string></test><edit name="family" mode="prepend" binding="strong"><string>%s</string></edit>%s</match>\n' "$1" "$2" "${3:-}"; }
{
  echo '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
  echo '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
  for f in 仿宋_GB2312 仿宋 FangSong 宋体 SimSun 楷体_GB2312 楷体 KaiTi; do serif "$f" "Noto Serif CJK SC"; done
  for f in 黑体 SimHei; do serif "$f" "Noto Sans CJK SC"; done
  serif 方正小标宋简体 "Noto Serif CJK SC" '<edit name="weight" mode="assign" binding="strong"><const>bold</const></edit>'
  echo '</fontconfig>'
} >"$work/fonts.conf"
FONTCONFIG_FILE="$work/fonts.conf" soffice -env:UserInstallation="file://$work/profile" --headless --norestore \
  --convert-to pdf --outdir "$out" "$docx" >&2
pdf="$out/$name.pdf"
[[ -f "$pdf" ]] || { log "ERROR: LibreOffice wrote no $pdf"; exit 1; }
rm -f "$out/$name"-*.png
pdftoppm -png -r 80 -f 1 -l "$pages" "$pdf" "$out/$name"
# The last page too, where the 落款 stands.
count="$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')"
if [[ -n "$count" ]] && ((count > pages)); then
  pdftoppm -png -r 80 -f "$count" -l "$count" -singlefile "$pdf" "$out/$name-last"
fi
# pdftoppm pads page numbers to the page count's width (NAME-01.png for a 10+ page document).
ls -1 "$out/$name"-*.png
