#!/usr/bin/env bash
# Renders every HTML report in headless Chromium (Debian's `chromium`) at 1280 px and 390 px through the
# DevTools protocol: the committed samples (reports/samples/*.html), the digest of the demo's history, and
# the 1,000 gateways × 60 nights history dashboard (written by `gateway-audit-bench dashboard`). Fails on
# any console error, uncaught exception or Content-Security-Policy violation, on a page wider than the
# window, on a table header broken over two lines, and on a dashboard whose inline script did not run.
# Screenshots go to .build/browser-screenshots/ (not committed).
# Usage: Tests/browser/check-html.sh [--samples-only]   (GA_BIN_DIR: built binaries, default .build/debug)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${GA_BIN_DIR:-$root/.build/debug}"
chromium="$(command -v chromium || command -v chromium-browser || true)"
[ -n "$chromium" ] || { echo "check-html: chromium is missing (apt-get install chromium)" >&2; exit 1; }
[ -x "$bin/gateway-audit" ] || { echo "check-html: $bin/gateway-audit is missing; run swift build first" >&2; exit 1; }
venv="$root/.build/browser-venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import websocket' 2>/dev/null \
    || "$venv/bin/pip" install -q --disable-pip-version-check websocket-client
work="$root/.build/browser-pages"
shots="$root/.build/browser-screenshots"
rm -rf "$work" "$shots"
mkdir -p "$work" "$shots"
pages=("$root"/reports/samples/*.html)
if [ "${1:-}" != "--samples-only" ]; then
    # The digest of every demo night, as e-mail HTML.
    "$bin/gateway-audit" demo --output-dir "$work/demo" >/dev/null
    "$bin/gateway-audit" report digest --since-run 1 --format html --db "$work/demo/demo.sqlite" \
        --output "$work/digest.html" 2>/dev/null
    pages+=("$work/digest.html")
    # The 1,000 × 60 page.
    "$bin/gateway-audit-bench" dashboard --work-dir "$work/dashboard" >&2
    pages+=("$work/dashboard/history.UTC.html")
fi
exec "$venv/bin/python" "$root/Tests/browser/cdp_check.py" --chromium "$chromium" --screenshots "$shots" "${pages[@]}"
