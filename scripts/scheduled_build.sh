#!/usr/bin/env bash
# Unattended build for cron and systemd: a thin wrapper around `gba-report scheduled`, which
# does the locking, logging (report/build/logs/scheduled.log), pruning and history itself.
# Options are passed through, e.g.  scripts/scheduled_build.sh --keep 10 --wait 60 --quiet
# Exit codes: see `gba-report scheduled --help` (0 ok, 1 build failed, 75 another run holds
# the lock, 78 no .venv: run `make setup` once in the checkout).
set -euo pipefail
umask 022
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
if [ ! -x .venv/bin/gba-report ]; then
  echo "scheduled_build.sh: $(pwd)/.venv/bin/gba-report not found; run 'make setup' in $(pwd) once" >&2
  exit 78
fi
exec .venv/bin/gba-report scheduled "$@" </dev/null
