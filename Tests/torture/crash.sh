#!/usr/bin/env bash
# Crash safety: SIGKILL `gateway-audit collect` at random moments N times (default 200, --quick 20).
# Needs the built binaries (swift build; or GA_BIN_DIR) and sqlite3. See crash.py for the checks.
set -euo pipefail
exec python3 "$(dirname "$0")/crash.py" "$@"
