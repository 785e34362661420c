#!/usr/bin/env bash
# Resource faults: `collect` under `ulimit -f` limits hit mid-write must exit 4 cleanly (never die of
# SIGXFSZ), keep every committed row, and the next run must complete. --quick: fewer limits.
set -euo pipefail
exec python3 "$(dirname "$0")/resources.py" "$@"
