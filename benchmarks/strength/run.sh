#!/usr/bin/env bash
# Benchmarks the password strength estimator against the reference Python zxcvbn 4.5.0.
#
# Usage: benchmarks/strength/run.sh [--iterations N]   (default 2000 for Swift, 200 for Python)
# Builds strength-bench in release mode, writes the benchmark passwords, times both on the same
# strings, and prints median and 99th-percentile microseconds per estimate for each length and
# the data-load time of each side. Wall-clock tails on a shared machine include time given to other
# processes; the Swift columns also show this thread's CPU time, which does not.
set -euo pipefail
cd "$(dirname "$0")/../.."

iterations=2000
if [[ "${1:-}" == "--iterations" ]]; then iterations="$2"; fi
venv=.build/venv-zxcvbn
work=.build/strength-bench
mkdir -p "$work"

if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet zxcvbn==4.5.0

python3 benchmarks/strength/passwords.py > "$work/passwords.txt"
swift build -c release --product strength-bench >/dev/null
bench=$(swift build -c release --show-bin-path)/strength-bench

echo "== Machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) =="
echo "== Swift (strength-bench, release) =="
"$bench" bench "$work/passwords.txt" --iterations "$iterations" | tee "$work/swift.txt"

echo
echo "== Python zxcvbn 4.5.0 =="
"$venv/bin/python" benchmarks/strength/reference.py "$work/passwords.txt" --iterations $((iterations / 10)) \
    | tee "$work/python.txt"

echo
echo "== Ratio (Python median / Swift median) =="
join <(awk '$1 ~ /^[0-9]+$/ {print $1, $3}' "$work/swift.txt" | sort) \
     <(awk '$1 ~ /^[0-9]+$/ {print $1, $3}' "$work/python.txt" | sort) \
    | sort -n | awk '{printf "%6d  %8.0fx\n", $1, $3 / $2}'
