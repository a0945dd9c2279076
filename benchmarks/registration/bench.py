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


def spawned(argv: list[str], check: bool = True) -> tuple[float, int, int]:
    """Runs argv with posix_spawn (no shell, no Python-side pipes): wall time, exit status, peak RSS in KiB."""
    errors = Path(os.environ.get("TMPDIR", "/tmp")) / f"rnmu-bench-stderr.{os.getpid()}"
    actions = [(os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
               (os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0),
               (os.POSIX_SPAWN_OPEN, 2, str(errors), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)]
    t0 = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if check and code != 0:
        sys.exit(f"{argv[0]} exited {code}: {errors.read_text().strip()}")
    errors.unlink(missing_ok=True)
    return elapsed, code, usage.ru_maxrss


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
    runs = [spawned([args.tool, flag]) for _ in range(max(n, 100))]
    rss = statistics.median(r[2] for r in runs)
    print(f"start ({flag}):                          {summary([r[0] for r in runs])}   target <= 3 ms;"
          f" peak RSS {rss / 1024:.1f} MiB")


def make_home(args, name: str, extra: dict) -> Synapse:
    folder = Path(args.work) / name
    folder.mkdir()
    shutil.copyfile(args.fixture, folder / "homeserver.db")
    return Synapse(folder / "hs", args.synapse_python, SQLiteDB(folder / "homeserver.db"), extra)


def ours_with_rss(args, hs: Synapse, label: str, n: int, *extra: str) -> list[tuple[float, int, int]]:
    pwfile = Path(args.work) / "pw"
    pwfile.write_text(PASSWORD + "\n")
    pwfile.chmod(0o600)
    timed([args.tool, "-c", str(hs.config_path), "-u", f"warmup-{label}", "--password-file", str(pwfile),
           "--no-input"])  # page cache and dynamic loader warm, as for the runs that follow
    return [spawned([args.tool, "-c", str(hs.config_path), "-u", f"{label}-{i}", "--password-file", str(pwfile),
                     "--no-input", *extra]) for i in range(n)]


def ours(args, hs: Synapse, label: str, n: int, *extra: str) -> list[float]:
    return [run[0] for run in ours_with_rss(args, hs, label, n, *extra)]


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
    a = ours_with_rss(args, hs4, "a", n)
    print(f"(a) ours, SQLite, bcrypt_rounds 4:        {summary([r[0] for r in a])}   target <= 10 ms")
    print(f"    peak RSS of one such registration:    median {statistics.median(r[2] for r in a) / 1024:.1f} MiB"
          f" (max {max(r[2] for r in a) / 1024:.1f})   target <= 16 MB")
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
    kb = spawned([args.tool, "-c", str(hs12.config_path), "-u", "rss", "--password-file", str(pwfile),
                  "--no-input", "--print-token"])[2]
    print(f"(c) peak RSS of one registration (--print-token, bcrypt 12): {kb / 1024:.1f} MiB   target < 30 MB")


if __name__ == "__main__":
    main()
