#!/usr/bin/env bash
# Crash safety of the upgrade to migration v7-compact: SIGKILL the first writing command on a history in
# the earlier release's form at random moments (default 20 trials, --quick 8). Needs the built binaries
# (swift build; or GA_BIN_DIR) and sqlite3. See upgrade_crash.py for the checks.
set -euo pipefail
exec python3 "$(dirname "$0")/upgrade_crash.py" "$@"
