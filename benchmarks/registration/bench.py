"""Measurements for run.sh: times whole processes, as an admin or a script experiences them."""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "Tests" / "e2e"))
from harness import SQLiteDB, Synapse  # noqa: E402

PASSWORD = "benchmark passphrase 1234"


CPU_TIMES: list[float] = []


def cpu_since(mark: int) -> str:
    """The median CPU time of the processes spawned since len(CPU_TIMES) was `mark`."""
    return f"CPU median {statistics.median(CPU_TIMES[mark:]) * 1000:.2f} ms"


def spawned(argv: list[str], check: bool = True) -> tuple[float, int]:
    """Runs argv with posix_spawn (no shell, no Python-side pipes): wall time and exit status.

    The child's CPU time (user and system) is kept in CPU_TIMES: on a busy machine it varies far less
    than the wall time."""
    errors = Path(os.environ.get("TMPDIR", "/tmp")) / f"rnmu-bench-stderr.{os.getpid()}"
    actions = [(os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
               (os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0),
               (os.POSIX_SPAWN_OPEN, 2, str(errors), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)]
    t0 = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - t0
    CPU_TIMES.append(usage.ru_utime + usage.ru_stime)
    code = os.waitstatus_to_exitcode(status)
    if check and code != 0:
        sys.exit(f"{argv[0]} exited {code}: {errors.read_text().strip()}")
    errors.unlink(missing_ok=True)
    return elapsed, code


def peak_rss(argv: list[str]) -> int:
    """The peak resident memory of argv in KiB, from GNU time. (A child spawned from this Python would
    count the memory it shares with Python until exec as its own peak.)"""
    report = Path(os.environ.get("TMPDIR", "/tmp")) / f"rnmu-bench-rss.{os.getpid()}"
    spawned(["/usr/bin/time", "-f", "%M", "-o", str(report)] + argv)
    kib = int(report.read_text().split()[-1])
    report.unlink()
    return kib


def timed(argv: list[str]) -> float:
    return spawned(argv)[0]


def summary(samples: list[float]) -> str:
    ms = [s * 1000 for s in samples]
    return f"median {statistics.median(ms):7.2f} ms  (min {min(ms):.2f}, max {max(ms):.2f}, n={len(ms)})"


def start_up(args, n: int) -> None:
    """Size on disk and the time to start and answer --version (--help where there is no --version)."""
    size = os.path.getsize(args.tool)
    print(f"binary: {size / 1e6:.1f} MB ({size} bytes)   target <= 20 MB")
    flag = "--version" if spawned([args.tool, "--version"], check=False)[1] == 0 else "--help"
    for _ in range(5):
        spawned([args.tool, flag])  # page cache warm
    mark = len(CPU_TIMES)
    runs = [spawned([args.tool, flag])[0] for _ in range(max(n, 100))]
    cpu = cpu_since(mark)
    rss = peak_rss([args.tool, flag])
    print(f"start ({flag}):                          {summary(runs)}   target <= 3 ms")
    print(f"    {cpu}; peak RSS {rss / 1024:.1f} MiB")


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


def ours_rss(args, hs: Synapse, label: str, n: int, *extra: str) -> list[int]:
    pwfile = Path(args.work) / "pw"
    return [peak_rss([args.tool, "-c", str(hs.config_path), "-u", f"{label}-rss-{i}", "--password-file", str(pwfile),
                      "--no-input", *extra]) for i in range(n)]


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--tool", required=True)
    p.add_argument("--synapse-python", required=True)
    p.add_argument("--fixture", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--only-ours", action="store_true", help="skip (b) and (c), which start Synapse")
    args = p.parse_args()
    n = args.runs
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    print(f"machine: {os.cpu_count()} cores, {cpu}")

    start_up(args, n)

    # (a) bcrypt cost 4: the tool's own cost, config to commit.
    hs4 = make_home(args, "rounds4", {"bcrypt_rounds": 4})
    mark = len(CPU_TIMES) + 1  # after the warm-up run
    a = ours(args, hs4, "a", n)
    print(f"(a) ours, SQLite, bcrypt_rounds 4:        {summary(a)}   target <= 10 ms")
    print(f"    {cpu_since(mark)}")
    rss = ours_rss(args, hs4, "a", 5)
    print(f"    peak RSS of one such registration:    median {statistics.median(rss) / 1024:.1f} MiB"
          f" (max {max(rss) / 1024:.1f}, n=5)   target <= 16 MB")
    if args.only_ours:
        return

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
    kb = peak_rss([args.tool, "-c", str(hs12.config_path), "-u", "rss", "--password-file", str(pwfile),
                   "--no-input", "--print-token"])
    print(f"(c) peak RSS of one registration (--print-token, bcrypt 12): {kb / 1024:.1f} MiB   target < 30 MB")


if __name__ == "__main__":
    main()
