#!/usr/bin/env bash
# Keystroke latency of the wizard's password field: one key through the reducer, the zxcvbn
# estimate and the 72-byte check, an 80x24 render and the changed cells copied through ncurses
# (onto /dev/null), for passwords of 8 to 64 characters. Target: under 5 ms.
#
#   benchmarks/wizard/run.sh [ITERATIONS]     default 2000 per length
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product wizard-demo >/dev/null
.build/release/wizard-demo --bench "${1:-2000}"
