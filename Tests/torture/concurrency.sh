#!/usr/bin/env bash
# Concurrency: 2 then 8 `collect` processes at once on one database (one collects, the others exit 75),
# and `report`/`runs` during a collection. --quick: one round of each. See concurrency.py.
set -euo pipefail
exec python3 "$(dirname "$0")/concurrency.py" "$@"
