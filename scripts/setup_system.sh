#!/usr/bin/env bash
# Installs the system packages the PDF reports need, only when they are missing.
# Debian/Ubuntu: chromium (prints the PDFs), fonts-noto-cjk (Traditional Chinese glyphs),
# poppler-utils (pdftotext/pdfinfo/pdftoppm used by tests and for checking pages).
# Idempotent: a second run finds everything and installs nothing.
set -euo pipefail

# --check: report what is missing and exit 1, never install (used by the tests).
check_only=0
[ "${1:-}" = "--check" ] && check_only=1

missing=()
have_chromium() {
  [ -n "${GBA_REPORT_CHROMIUM:-}" ] && [ -x "${GBA_REPORT_CHROMIUM}" ] && return 0
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
    || command -v google-chrome >/dev/null 2>&1
}
have_chromium || missing+=(chromium)
# (no `grep -q` on a pipe: with pipefail, fc-list dying of SIGPIPE would count as "missing")
fonts=$(fc-list : family 2>/dev/null || true)
grep -q "Noto Sans CJK TC" <<<"$fonts" || missing+=(fonts-noto-cjk)
command -v pdftotext >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: system packages present (chromium, Noto Sans CJK TC, poppler-utils)"
  exit 0
fi

if [ "$check_only" -eq 1 ]; then
  echo "setup: missing system packages: ${missing[*]} (run make setup to install them)" >&2
  exit 1
fi

echo "setup: installing missing system packages: ${missing[*]}"
if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "setup: need root or sudo to install ${missing[*]}; install them yourself and rerun." >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${missing[@]}" fontconfig
  fc-cache -f >/dev/null 2>&1 || true
else
  cat >&2 <<MSG
setup: this is not a Debian/Ubuntu system, so the missing packages (${missing[*]}) were not
installed automatically. Install Chromium (or Chrome; or set GBA_REPORT_CHROMIUM to its path),
the Noto Sans CJK TC font and poppler (pdftotext, pdftoppm) with your package manager, e.g.
  macOS:   brew install --cask chromium font-noto-sans-cjk-tc && brew install poppler
  Fedora:  sudo dnf install chromium google-noto-sans-cjk-ttc-fonts poppler-utils
then rerun the make target.
MSG
  exit 1
fi
