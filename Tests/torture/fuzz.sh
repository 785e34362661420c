#!/usr/bin/env bash
# Fuzzes the gateway decoder and the timestamp parser with libFuzzer for a bounded time.
#
# Builds Tests/fuzz/FuzzTarget.swift together with the model and time sources, compiled directly with
# `swiftc -sanitize=fuzzer,address` (a stand-in replaces swift-crypto's SHA256, see CryptoStub.swift),
# so the normal `swift build`/`swift test` never sees it. Seeds: Tests/fuzz/corpus. A crash, a sanitizer
# report or a broken property stops it with exit status != 0 and leaves the input in .build/fuzz/.
#   Tests/torture/fuzz.sh            300 s
#   Tests/torture/fuzz.sh --quick     60 s
#   Tests/torture/fuzz.sh --seconds N
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/opt/swift/usr/bin:$PATH"
seconds=300
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) seconds=60 ;;
        --seconds) seconds="$2"; shift ;;
        *) echo "usage: $0 [--quick | --seconds N]" >&2; exit 2 ;;
    esac
    shift
done

out=.build/fuzz
mkdir -p "$out/corpus" "$out/artifacts"
cp -n Tests/fuzz/corpus/* "$out/corpus/" 2>/dev/null || true

echo "fuzz: building (swiftc -sanitize=fuzzer,address)"
build() {
    swiftc -parse-as-library -emit-module -emit-object -module-name Crypto -sanitize=fuzzer,address \
        -o "$out/Crypto.o" -emit-module-path "$out/Crypto.swiftmodule" Tests/fuzz/CryptoStub.swift &&
    swiftc -parse-as-library -sanitize=fuzzer,address -O -g -I "$out" -module-name GatewayAuditFuzz -package-name gateway_audit \
        Sources/GatewayAuditCore/Model/*.swift Sources/GatewayAuditCore/Time/*.swift Tests/fuzz/FuzzTarget.swift \
        "$out/Crypto.o" -o "$out/gateway-audit-fuzz"
}
# The linker's warnings about sanitizer symbols are noise; the log is shown when the build fails.
if ! build >"$out/build.log" 2>&1; then
    grep -v "Cannot export local symbol" "$out/build.log" | tail -40
    echo "fuzz: the build failed"
    exit 1
fi

echo "fuzz: running for ${seconds} s"
log="$out/fuzz.log"
set +e
"$out/gateway-audit-fuzz" "$out/corpus" -max_total_time="$seconds" -max_len=4096 -timeout=10 -dict=Tests/fuzz/gateway.dict \
    -rss_limit_mb=2048 -artifact_prefix="$out/artifacts/" -print_final_stats=1 >"$log" 2>&1
status=$?
set -e
runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
crashes=$(ls "$out/artifacts" | grep -cE '^(crash|leak|timeout|oom)-' || true)
corpus=$(ls "$out/corpus" | wc -l)
printf '\nfuzz (decoder + timestamp parser)\n'
printf '%s\n' "----------------------------------------"
printf '%-26s %12s\n' "seconds" "$seconds" "inputs executed" "${runs:-0}" "corpus size" "$corpus" \
    "crashes/timeouts/ooms" "$crashes" "libFuzzer exit status" "$status"
printf '%s\n' "----------------------------------------"
if [ "$status" -ne 0 ] || [ "$crashes" -ne 0 ]; then
    tail -40 "$log"
    echo "fuzz: FAILED (inputs in $out/artifacts)"
    exit 1
fi
echo "fuzz: ok"
