#!/usr/bin/env bash
# Crash safety of `import`: SIGKILL it at random moments, resume, compare with an uninterrupted import
# (default 20 trials, --quick 5). Needs the built binaries (swift build; or GA_BIN_DIR) and sqlite3.
# See import_crash.py for the checks.
set -euo pipefail
exec python3 "$(dirname "$0")/import_crash.py" "$@"
