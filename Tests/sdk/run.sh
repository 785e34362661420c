#!/usr/bin/env bash
# The official Huawei Cloud Python SDK (huaweicloudsdkvpn) as a client of vpn-simulator: builds a venv in
# .build/sdk-venv, starts .build/debug/vpn-simulator (or $GA_BIN_DIR/vpn-simulator) on a free loopback
# port with the standard scenario and its own AK/SK, runs Tests/sdk/conformance.py, stops the simulator.
# Exits non-zero on any failure. Needs python3 with venv and network access to PyPI (or a pip mirror).
set -euo pipefail
cd "$(dirname "$0")/../.."

want=3.1.219
venv=.build/sdk-venv
bin="${GA_BIN_DIR:-.build/debug}/vpn-simulator"
[ -x "$bin" ] || { echo "sdk: $bin not found: run \`swift build --product vpn-simulator\` first" >&2; exit 2; }

[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
pip=("$venv/bin/pip" install -q --disable-pip-version-check)
# python-dateutil lets the SDK parse datetime fields (it is not one of its dependencies).
if ! "${pip[@]}" "huaweicloudsdkvpn==$want" python-dateutil; then
    echo "sdk: huaweicloudsdkvpn==$want is not available; installing the closest 3.1 release" >&2
    "${pip[@]}" "huaweicloudsdkvpn~=3.1.0" python-dateutil
fi
installed=$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("huaweicloudsdkvpn"))')
echo "sdk: huaweicloudsdkvpn $installed (wanted $want)"

ak=SDKCONFORMANCEAK0001
sk=sdk-conformance-secret-key
banner=$(mktemp)
"$bin" --port 0 --sdk-date-clock wall --access-key "$ak" --secret-key "$sk" >"$banner" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$banner"' EXIT
for _ in $(seq 1 100); do
    grep -q "project id:" "$banner" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
url=$(sed -n 's/^vpn-simulator listening on \(http:[^ ]*\).*/\1/p' "$banner" | head -n 1)
project=$(sed -n 's/^ *project id: *\([^ ]*\).*/\1/p' "$banner" | head -n 1)
if [ -z "$url" ] || [ -z "$project" ]; then
    echo "sdk: the simulator did not start:" >&2
    cat "$banner" >&2
    exit 2
fi
echo "sdk: simulator at $url, project $project"
"$venv/bin/python" Tests/sdk/conformance.py --endpoint "$url" --project-id "$project" --ak "$ak" --sk "$sk"
