#!/usr/bin/env bash
# Runs the end-to-end suite with TZ set to Pacific/Chatham (+12:45/+13:45), America/St_Johns (-03:30/
# -02:30) and UTC: nothing the tool stores or prints may depend on the machine's zone.
# --quick is the same run (the suite takes well under a minute per zone); the DST fold/gap test of the
# collector (GatewayAuditTests' DaylightSavingTests) runs under each zone too.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/opt/swift/usr/bin:$PATH"
filter="EndToEndTests|DaylightSavingTests"
if [ $# -gt 0 ] && [ "$1" != "--quick" ]; then
    echo "usage: $0 [--quick]" >&2
    exit 2
fi
# GA_SWIFT_TEST_FLAGS: the configuration of a build already made, whose tests run as they are (.ci/run:
# "-c release -Xswiftc -enable-testing"); without it, a debug build is made first.
read -r -a flags <<<"${GA_SWIFT_TEST_FLAGS:-}"
if [ ${#flags[@]} -eq 0 ]; then
    swift build -j 1 --build-tests >/dev/null
fi
declare -A results
failed=0
for zone in Pacific/Chatham America/St_Johns UTC; do
    log=$(mktemp)
    if TZ="$zone" swift test -j 1 --skip-build "${flags[@]}" --filter "$filter" >"$log" 2>&1; then
        results[$zone]="passed"
    else
        results[$zone]="FAILED"
        failed=1
        grep -E "✘|error|failed" "$log" | head -30
    fi
    summary=$(grep -E "Test run with [0-9]+ tests" "$log" | tail -1 | sed 's/^.*Test run with/Test run with/')
    grep -h "^secret scan:" "$log" | sed "s|^|  $zone: |" || true
    results[$zone]="${results[$zone]} (${summary:-no summary})"
    rm -f "$log"
done
printf '\nend-to-end suite under three time zones (filter %s)\n' "$filter"
printf '%s\n' "--------------------------------------------------------------"
for zone in Pacific/Chatham America/St_Johns UTC; do
    printf '%-18s %s\n' "$zone" "${results[$zone]}"
done
printf '%s\n' "--------------------------------------------------------------"
if [ "$failed" -ne 0 ]; then
    echo "timezones: FAILED"
    exit 1
fi
echo "timezones: ok"
