#!/usr/bin/env bash
# Crash safety on PostgreSQL: SIGKILL `gateway-audit collect --db postgres://…` at random moments N times
# (default 200, --quick 20). Needs the built binaries, psql and GATEWAY_AUDIT_TEST_PG (a server URL;
# Tests/postgres/cluster.sh start DIR prints one). See crash_postgres.py for the checks.
set -euo pipefail
exec python3 "$(dirname "$0")/crash_postgres.py" "$@"
