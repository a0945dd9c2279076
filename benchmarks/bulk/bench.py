"""Measurements for run.sh: whole runs of --from-file, timed as a script experiences them."""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "Tests" / "e2e"))
from harness import PG, PostgresDB, SQLiteDB, Synapse  # noqa: E402


def write_csv(path: Path, n: int, prefix: str) -> None:
    with open(path, "w") as f:
        f.write("id,displayname,password\n")
        for i in range(n):
            f.write(f"{prefix}{i:06d},User {i},pass-{prefix}-{i:06d}-word\n")


def run_tool(tool: str, config: Path, source: Path, *extra: str) -> float:
    t0 = time.perf_counter()
    p = subprocess.run([tool, "-c", str(config), "--from-file", str(source), "--quiet", *extra],
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"the tool exited {p.returncode}: {p.stderr.strip()[-500:]}")
    return elapsed


def one_bcrypt_12(python: str) -> float:
    """Seconds for one bcrypt hash at cost 12 on one core, with the bcrypt Synapse uses (median of 7)."""
    code = ("import bcrypt,time,statistics;s=bcrypt.gensalt(12);t=[];"
            "exec('for _ in range(7):\\n a=time.perf_counter();bcrypt.hashpw(b\"benchmark password\",s);"
            "t.append(time.perf_counter()-a)');print(statistics.median(t))")
    return float(subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout)


def one_hash_ours(tool: str, work: Path, make) -> float:
    """Seconds for one bcrypt-12 hash through this tool's own libxcrypt: a single registration at cost 12
    less one at cost 4 (everything but the hash), medians of 5 each."""
    pw = work / "pw"
    pw.write_text("pass-single-0000-word\n")
    pw.chmod(0o600)
    medians = []
    for rounds in (12, 4):
        hs = make(f"single{rounds}", {"bcrypt_rounds": rounds})
        times = []
        for i in range(5):
            t0 = time.perf_counter()
            subprocess.run([tool, "-c", str(hs.config_path), "-u", f"single{i}", "--password-file", str(pw), "--no-input"],
                           stdin=subprocess.DEVNULL, capture_output=True, check=True)
            times.append(time.perf_counter() - t0)
        medians.append(sorted(times)[2])
    return medians[0] - medians[1]


def sqlite_home(args, name: str, extra: dict) -> Synapse:
    folder = Path(args.work) / name
    folder.mkdir()
    shutil.copyfile(args.sqlite_fixture, folder / "homeserver.db")
    return Synapse(folder / "hs", args.synapse_python, SQLiteDB(folder / "homeserver.db"), extra)


def pg_home(args, name: str, extra: dict) -> Synapse:
    pg = PG.from_env()
    pg.create_from(name, args.pg_template)
    return Synapse(Path(args.work) / name, args.synapse_python, PostgresDB(pg, name), extra)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--tool", required=True)
    p.add_argument("--synapse-python", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--accounts", type=int, default=10_000)
    p.add_argument("--sqlite-fixture", required=True)
    p.add_argument("--pg-template", required=True)
    args = p.parse_args()
    n = args.accounts
    cores = os.cpu_count() or 1
    work = Path(args.work)
    print(f"machine: {cores} cores; {n} accounts per run")

    # (a) Cost 12: how close to every core hashing without pause.
    hash_seconds = one_bcrypt_12(args.synapse_python)
    ceiling = cores / hash_seconds
    source = work / "cost12.csv"
    write_csv(source, n, "c")
    hs = sqlite_home(args, "cost12", {"bcrypt_rounds": 12})
    elapsed = run_tool(args.tool, hs.config_path, source)
    rate = n / elapsed
    print(f"(a) bcrypt 12, SQLite: {rate:7.1f} accounts/s; one hash {hash_seconds * 1000:.0f} ms (Python's bcrypt), so "
          f"{cores} cores reach {ceiling:.1f}/s; ratio {rate / ceiling:.3f}   target >= 0.95")
    ours_seconds = one_hash_ours(args.tool, work, lambda name, extra: sqlite_home(args, name, extra))
    ours_ceiling = cores / ours_seconds
    print(f"    against this tool's own hash (libxcrypt, {ours_seconds * 1000:.0f} ms): {cores} cores reach "
          f"{ours_ceiling:.1f}/s; ratio {rate / ours_ceiling:.3f}")

    theirs = sqlite_home(args, "theirs12", {"bcrypt_rounds": 12})
    theirs.start()
    try:
        m = min(n, 2_000)
        t0 = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(20) as pool:
            codes = list(pool.map(lambda i: theirs.register_shared_secret(f"s{i:06d}", f"pass-s-{i:06d}-word")
                                  .status_code, range(m)))
        their_rate = m / (time.perf_counter() - t0)
    finally:
        theirs.stop()
    bad = [c for c in codes if c != 200]
    print(f"    Synapse's admin API, 20 parallel requests, {m} accounts: {their_rate:7.1f} accounts/s"
          + (f" ({len(bad)} failed)" if bad else ""))

    # (b) Cost 4: everything but the hash.
    for engine, make in (("SQLite", sqlite_home), ("PostgreSQL", pg_home)):
        source = work / f"cost4-{engine}.csv"
        write_csv(source, n, "f")
        hs = make(args, f"cost4_{engine.lower()}", {"bcrypt_rounds": 4})
        elapsed = run_tool(args.tool, hs.config_path, source)
        target = 1000 if engine == "SQLite" else 500
        print(f"(b) bcrypt 4, {engine:10}: {n / elapsed:7.1f} accounts/s   target >= {target}")

    # (c) Memory for a 100,000-row file, judged whole and written.
    source = work / "large.csv"
    write_csv(source, 100_000, "m")
    hs = sqlite_home(args, "memory", {"bcrypt_rounds": 4})
    out = subprocess.run(["/usr/bin/time", "-v", args.tool, "-c", str(hs.config_path), "--from-file", str(source),
                          "--quiet"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    if out.returncode != 0:
        sys.exit(out.stderr[-500:])
    kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.stderr).group(1))
    print(f"(c) peak RSS, 100,000 rows at bcrypt 4: {kb / 1024:.1f} MiB   target <= 64 MB")


if __name__ == "__main__":
    main()
