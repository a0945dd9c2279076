"""Measurements for run.sh: times whole processes, as an admin or a script experiences them."""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "Tests" / "e2e"))
from harness import SQLiteDB, Synapse  # noqa: E402

PASSWORD = "benchmark passphrase 1234"


def timed(argv: list[str]) -> float:
    t0 = time.perf_counter()
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"{argv[0]} exited {p.returncode}: {p.stderr.strip()}")
    return elapsed


def summary(samples: list[float]) -> str:
    ms = [s * 1000 for s in samples]
    return f"median {statistics.median(ms):7.1f} ms  (min {min(ms):.1f}, max {max(ms):.1f}, n={len(ms)})"


def make_home(args, name: str, extra: dict) -> Synapse:
    folder = Path(args.work) / name
    folder.mkdir()
    shutil.copyfile(args.fixture, folder / "homeserver.db")
    return Synapse(folder / "hs", args.synapse_python, SQLiteDB(folder / "homeserver.db"), extra)


def ours(args, hs: Synapse, label: str, n: int, *extra: str) -> list[float]:
    pwfile = Path(args.work) / "pw"
    pwfile.write_text(PASSWORD + "\n")
    pwfile.chmod(0o600)
    timed([args.tool, "-c", str(hs.config_path), "-u", f"warmup-{label}", "--password-file", str(pwfile),
           "--no-input"])  # page cache and dynamic loader warm, as for the runs that follow
    return [timed([args.tool, "-c", str(hs.config_path), "-u", f"{label}-{i}", "--password-file", str(pwfile),
                   "--no-input", *extra]) for i in range(n)]


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--tool", required=True)
    p.add_argument("--synapse-python", required=True)
    p.add_argument("--fixture", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--runs", type=int, default=20)
    args = p.parse_args()
    n = args.runs
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    print(f"machine: {os.cpu_count()} cores, {cpu}")

    # (a) bcrypt cost 4: the tool's own cost, config to commit.
    hs4 = make_home(args, "rounds4", {"bcrypt_rounds": 4})
    a = ours(args, hs4, "a", n)
    print(f"(a) ours, SQLite, bcrypt_rounds 4:        {summary(a)}   target < 25 ms")

    # (b) bcrypt cost 12 (Synapse's default), ours against Synapse's script through a running Synapse.
    hs12 = make_home(args, "rounds12", {"bcrypt_rounds": 12})
    b_ours = ours(args, hs12, "b", n)
    theirs_home = make_home(args, "theirs", {"bcrypt_rounds": 12})
    script = str(Path(args.synapse_python).parent / "register_new_matrix_user")
    pwfile = Path(args.work) / "pw"
    theirs_home.start()
    try:
        argv = lambda user: [script, "-c", str(theirs_home.config_path), "-u", user,  # noqa: E731
                             "--password-file", str(pwfile), "--no-admin", theirs_home.url]
        timed(argv("warmup"))
        b_theirs = [timed(argv(f"theirs-{i}")) for i in range(n)]
    finally:
        theirs_home.stop()
    ratio = statistics.median(b_ours) / statistics.median(b_theirs)
    print(f"(b) ours, SQLite, bcrypt_rounds 12:       {summary(b_ours)}")
    print(f"    Synapse's register_new_matrix_user:   {summary(b_theirs)}")
    print(f"    ratio ours/theirs: {ratio:.2f}   target < 0.4")

    # (c) Peak resident memory of one registration with a token, at cost 12.
    out = subprocess.run(["/usr/bin/time", "-v", args.tool, "-c", str(hs12.config_path), "-u", "rss",
                          "--password-file", str(pwfile), "--no-input", "--print-token"],
                         stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(out.stderr)
    kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.stderr).group(1))
    print(f"(c) peak RSS of one registration (--print-token, bcrypt 12): {kb / 1024:.1f} MiB   target < 30 MB")


if __name__ == "__main__":
    main()
