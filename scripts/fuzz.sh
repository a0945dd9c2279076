#!/usr/bin/env bash
# Build the libFuzzer targets in Fuzz/Targets and run each from its seed corpus for a bounded time.
#
#   bash scripts/fuzz.sh [SECONDS]          (default 30 seconds per target)
#   FUZZ_TARGETS="config duration" bash scripts/fuzz.sh 60     (only these targets)
#
# Core and what it depends on are compiled by SwiftPM into .build-fuzz with AddressSanitizer and
# libFuzzer's coverage instrumentation, and -enable-testing so that a target can reach internal
# functions; nothing is linked there, so the package's executables (and their `main`) stay out of
# it. Each target's one file is then linked against those objects with `swiftc -sanitize=fuzzer`,
# which brings libFuzzer's own `main`. The normal build (.build) is not touched.
#
# Each run works on a copy of Fuzz/corpus/TARGET, so the repository is not modified. A crash, a
# failed invariant (a precondition), a leak or an input slower than 25 s stops that target; its
# input is kept in .build-fuzz/fuzz/crashes/TARGET/ and printed, and the script exits 1 after
# running the other targets.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

seconds=${1:-30}
scratch="$root/.build-fuzz"
out="$scratch/fuzz"
release="$scratch/release"
mkdir -p "$out/bin" "$out/logs"

echo "==> building Core with -sanitize=fuzzer,address"
swift build --scratch-path "$scratch" -c release --target Core \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing \
    -Xcc -fsanitize=fuzzer-no-link,address >"$out/logs/build.log" 2>&1 || {
    tail -n 40 "$out/logs/build.log"
    exit 1
}

module_maps=()
for map in Sources/CSQLite3 Sources/CLibPQ Sources/CXCrypt Sources/CYAML "$release/CCurlShim.build" "$release/CCryptoShim.build"; do
    module_maps+=(-Xcc "-fmodule-map-file=$map/module.modulemap")
done
objects=("$release"/Core.build/*.o "$release"/Zxcvbn.build/*.o "$release"/CCurlShim.build/*.o "$release"/CCryptoShim.build/*.o)

targets=${FUZZ_TARGETS:-$(cd Fuzz/Targets && ls -- *.swift | sed 's/\.swift$//')}
failed=()
for target in $targets; do
    printf '==> %-16s' "$target"
    log="$out/logs/$target.log"
    # -use-ld=lld: gold warns about every ASan helper symbol.
    if ! swiftc -sanitize=fuzzer,address -parse-as-library -O -use-ld=lld \
        -module-name "Fuzz_${target//-/_}" "Fuzz/Targets/$target.swift" Fuzz/Support/*.swift \
        -I "$release/Modules" "${module_maps[@]}" -Xcc "-I$root/Sources/CCurlShim/include" \
        -Xcc "-I$root/Sources/CCryptoShim/include" \
        "${objects[@]}" -o "$out/bin/$target" >"$log" 2>&1; then
        echo "does not build — $log:"
        tail -n 20 "$log" | sed 's/^/    /'
        failed+=("$target")
        continue
    fi

    corpus=$(mktemp -d /tmp/rnmu-fuzz.XXXXXX)
    cp -R "Fuzz/corpus/$target/." "$corpus/"
    crashes="$out/crashes/$target"
    rm -rf "$crashes"  # only this run's inputs
    mkdir -p "$crashes"
    status=0
    # Swift's own backtracer would catch the signal before libFuzzer and ASan can report it.
    SWIFT_BACKTRACE=enable=no "$out/bin/$target" "$corpus" -max_total_time="$seconds" -print_final_stats=1 -timeout=25 \
        -rss_limit_mb=2048 -artifact_prefix="$crashes/" >>"$log" 2>&1 || status=$?
    rm -rf "$corpus"

    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    if [ "$status" = 0 ]; then
        echo "ok: ${executions:-?} executions in ${seconds} s"
    else
        echo "FAILED (status $status) after ${executions:-?} executions — $log:"
        grep -aE '^(invariant broken|==[0-9]+==ERROR|SUMMARY)|Swift runtime failure' "$log" | head -n 5 | sed 's/^/    /' || true
        sed -n 's/.*Test unit written to \(.*\)$/    input: \1/p' "$log"
        failed+=("$target")
    fi
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz targets failed: ${failed[*]}"
    exit 1
fi
