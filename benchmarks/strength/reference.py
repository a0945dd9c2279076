#!/usr/bin/env python3
"""Time the reference Python zxcvbn (4.5.0) on the benchmark passwords: median and p99 per length.

Usage: python reference.py PASSWORDS.txt [--iterations N]
Passwords over 72 characters are scored with max_length=100, as our estimator scores them.
"""
import sys
import time
from collections import defaultdict

_import_start = time.perf_counter()
from zxcvbn import zxcvbn  # noqa: E402 (timed: the import builds the ranked dictionaries)
_import_ms = (time.perf_counter() - _import_start) * 1e3


def main() -> None:
    path = sys.argv[1]
    iterations = int(sys.argv[sys.argv.index("--iterations") + 1]) if "--iterations" in sys.argv else 200
    print(f"data load (import zxcvbn): {_import_ms:.2f} ms")
    zxcvbn("warm up")
    by_length = defaultdict(list)
    for line in open(path, encoding="utf-8").read().splitlines():
        by_length[len(line)].append(line)
    print("length  passwords  median_us  p99_us")
    for length in sorted(by_length):
        passwords = by_length[length]
        samples = []
        for i in range(iterations):
            password = passwords[i % len(passwords)]
            t0 = time.perf_counter()
            zxcvbn(password, max_length=100)
            samples.append((time.perf_counter() - t0) * 1e6)
        samples.sort()
        p99 = samples[min(len(samples) - 1, -(-len(samples) * 99 // 100) - 1)]
        print(f"{length:6d}  {len(passwords):9d}  {samples[len(samples) // 2]:9.1f}  {p99:6.1f}")


if __name__ == "__main__":
    main()
