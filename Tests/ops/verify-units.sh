#!/usr/bin/env bash
# Verifies deploy/systemd with systemd-analyze: `verify` on copies whose ExecStart= points at the built
# binary (verify checks that the command exists), then `security` on the service (its exposure score).
# Usage: Tests/ops/verify-units.sh [path/to/gateway-audit]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
binary="${1:-$root/.build/debug/gateway-audit}"
[ -x "$binary" ] || { echo "verify-units: $binary is missing; run swift build first" >&2; exit 1; }
command -v systemd-analyze >/dev/null || { echo "verify-units: systemd-analyze is missing (apt-get install systemd)" >&2; exit 1; }
# The README's install lines and the units agree on who reads what: systemd reads the environment file as
# root, but the service's dynamic user reads the estate file itself, so the folder must let other users in
# (0755, never 0700) and estate.toml must be readable by them; the environment file stays private. The
# failure hook reads the journal and hands mail to a setgid/setuid mailer: no DynamicUser= there.
readme="$root/README.md"
units="$root/deploy/systemd"
fail() { echo "verify-units: $*" >&2; exit 1; }
env_file="$(sed -n 's/^EnvironmentFile=-\{0,1\}//p' "$units/gateway-audit.service" | head -n 1)"
[ -n "$env_file" ] || fail "gateway-audit.service has no EnvironmentFile="
folder="$(dirname "$env_file")"
folder_modes="$(grep -oE "install -d -m [0-7]+ $folder( |&|\$)" "$readme" | awk '{print $4}' || true)"
[ -n "$folder_modes" ] || fail "README.md has no 'install -d -m MODE $folder' line"
for mode in $folder_modes; do
    (( (8#$mode & 8#001) != 0 )) || fail "README.md makes $folder mode $mode: the service's dynamic user cannot enter it to read estate.toml (use 755)"
done
env_modes="$(grep -oE "install -m [0-7]+ /dev/null $env_file( |&|\$)" "$readme" | awk '{print $3}' || true)"
[ -n "$env_modes" ] || fail "README.md has no 'install -m MODE /dev/null $env_file' line"
for mode in $env_modes; do
    (( (8#$mode & 8#077) == 0 )) || fail "README.md makes $env_file mode $mode: it holds the secrets (use 600)"
done
estate_modes="$(grep -oE "install -m [0-7]+ [^ ]*estate\.toml $folder/?( |&|\$)" "$readme" | awk '{print $3}' || true)"
[ -n "$estate_modes" ] || fail "README.md has no 'install -m MODE estate.toml $folder/' line"
for mode in $estate_modes; do
    (( (8#$mode & 8#004) != 0 )) || fail "README.md makes estate.toml mode $mode: the service's dynamic user cannot read it (use 644)"
done
if grep -qE '^DynamicUser=(yes|true|on|1)' "$units/gateway-audit-failure@.service"; then
    fail "gateway-audit-failure@.service runs as a dynamic user: it could not read the journal or send mail"
fi
echo "verify-units: README install lines ok ($folder: ${folder_modes//$'\n'/ }, env: ${env_modes//$'\n'/ }, estate.toml: ${estate_modes//$'\n'/ })"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for unit in "$root"/deploy/systemd/*; do
    sed "s#/usr/local/bin/gateway-audit#$binary#g" "$unit" > "$work/$(basename "$unit")"
done
cd "$work"
# Without a running systemd (a container), verify still parses every unit, checks every directive and
# the commands; it may only warn about the missing manager, which is not a failure of the units.
if ! output="$(systemd-analyze verify ./*.service ./*.timer 2>&1)"; then
    echo "$output" >&2
    echo "verify-units: systemd-analyze verify failed" >&2
    exit 1
fi
[ -z "$output" ] || echo "$output"
echo "verify-units: systemd-analyze verify ok ($(ls | tr '\n' ' '))"
score="$(systemd-analyze security --offline=true ./gateway-audit.service 2>&1 | grep 'Overall exposure level' || true)"
echo "verify-units: ${score:-systemd-analyze security gave no score}"
case "$score" in
    *"OK"*|*"SAFE"*) ;;
    *) echo "verify-units: the service's exposure is not OK: $score" >&2; exit 1 ;;
esac
