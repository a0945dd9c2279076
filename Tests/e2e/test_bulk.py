"""--from-file against a real Synapse: accounts from a CSV file are the accounts single runs write.

On both engines a 200-row file (plain, admin, bot, display names with commas, quotes and newlines, given and
generated passwords) is written with Synapse stopped; Synapse then logs a sample in, with generated passwords
read from the report, and finds them in the directory. A run killed half-way finishes when rerun with
--exists-ok. On SQLite, Synapse keeps answering logins during a 1,000-account import.
"""

from __future__ import annotations

import csv
import io
import json
import os
import secrets
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from conftest import ENGINES, Account, mxid

FAST = {"bcrypt_rounds": 4}


def write_csv(path: Path, rows: list[dict]) -> None:
    columns = ["id", "displayname", "password", "admin", "user_type"]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=columns, lineterminator="\r\n")
        w.writeheader()
        for row in rows:
            w.writerow({c: row.get(c, "") for c in columns})


def read_report(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def mixed_rows(n: int, prefix: str) -> list[dict]:
    rows = []
    for i in range(n):
        row: dict = {"id": f"{prefix}{i:03d}" if i % 2 else mxid(f"{prefix}{i:03d}")}
        if i % 4 == 0:
            row["password"] = secrets.token_urlsafe(12)
        if i % 5 == 0:
            row["displayname"] = f'Doe, "J" {i}'
        elif i % 7 == 0:
            row["displayname"] = f"Line one\nline two {i}"
        if i % 25 == 0:
            row["admin"] = "TRUE"
        if i % 11 == 0:
            row["user_type"] = "bot"
        rows.append(row)
    return rows


def localpart(row: dict) -> str:
    return row["id"].split(":")[0].lstrip("@")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_file_of_accounts_logs_in_through_synapse(engine, databases, tool, homeserver_factory, tmp_path):
    db = databases.new(engine)
    hs = homeserver_factory(db, FAST)
    rows = mixed_rows(200, "bulk")
    source = tmp_path / "users.csv"
    write_csv(source, rows)
    report_path = tmp_path / "report.jsonl"

    run = tool.run("-c", str(hs.config_path), "--from-file", str(source), "--report", str(report_path))
    assert run.returncode == 0, run.describe()
    assert run.stderr_lines[-1] == "Created 200, existing 0, invalid 0, failed 0."
    assert oct(os.stat(report_path).st_mode & 0o777) == "0o600"
    report = read_report(report_path)
    assert [r["line"] for r in report][:3] == [2, 3, 4]
    assert all(r["status"] == "created" for r in report)
    by_user = {r["user_id"]: r for r in report}
    assert len(by_user) == 200
    # Generated passwords are in the report, given ones never are.
    for row in rows:
        entry = by_user[mxid(localpart(row))]
        assert ("password" in entry) == ("password" not in row), entry

    # A single-account run writes the same rows as a bulk row with the same values.
    single = Account("single000")
    r = tool.register(hs.config_path, single, "-a", "-t", "bot", "--display-name", 'Doe, "J" 0')
    assert r.returncode == 0, r.describe()
    mark = "?" if engine == "sqlite" else "%s"

    def rows_of(user_id: str) -> dict:
        return {
            "users": db.query("SELECT admin, user_type, is_guest, approved, shadow_banned, deactivated FROM users"
                              f" WHERE name = {mark}", (user_id,)),
            "profiles": db.query(f"SELECT displayname FROM profiles WHERE full_user_id = {mark}", (user_id,)),
            "directory": db.query(f"SELECT display_name FROM user_directory WHERE user_id = {mark}", (user_id,)),
        }
    assert rows_of(mxid("bulk000")) == rows_of(single.user_id)

    hs.start()
    admin = rows[0]  # bulk000: given password, admin, bot, display name with a comma and quotes
    r = hs.login(localpart(admin), admin["password"])
    assert r.status_code == 200, r.text
    token = r.json()["access_token"]
    info = hs.get(f"/_synapse/admin/v2/users/{mxid('bulk000')}", token).json()
    assert info["admin"] is True and info["user_type"] == "bot" and info["displayname"] == 'Doe, "J" 0'
    for row in rows[1:40]:
        password = row.get("password") or by_user[mxid(localpart(row))]["password"]
        r = hs.login(localpart(row), password)
        assert r.status_code == 200, (row["id"], r.text)
    newline = hs.get(f"/_matrix/client/v3/profile/{mxid('bulk007')}/displayname", token).json()
    assert newline["displayname"] == "Line one\nline two 7"
    found = hs.post("/_matrix/client/v3/user_directory/search", {"search_term": "bulk013"}, token).json()
    assert [u["user_id"] for u in found["results"]] == [mxid("bulk013")]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_run_killed_half_way_finishes_when_rerun(engine, databases, tool, homeserver_factory, tmp_path):
    db = databases.new(engine)
    # Cost 8: slow enough to be killed half-way, fast enough for the test.
    hs = homeserver_factory(db, {"bcrypt_rounds": 8})
    rows = [{"id": f"kill{i:03d}", "password": f"pw-{i}-{secrets.token_hex(4)}"} for i in range(120)]
    source = tmp_path / "users.csv"
    write_csv(source, rows)
    argv = [str(tool.binary), "-c", str(hs.config_path), "--from-file", str(source), "--jobs", "1", "--quiet"]
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    placeholder = "?" if engine == "sqlite" else "%s"
    deadline = time.time() + 60
    while time.time() < deadline:
        done = db.query(f"SELECT COUNT(*) FROM users WHERE name LIKE {placeholder}", ("@kill%",))[0][0]
        if done >= 30:
            break
        time.sleep(0.05)
    p.send_signal(signal.SIGKILL)
    p.wait(timeout=30)
    written = db.query(f"SELECT COUNT(*) FROM users WHERE name LIKE {placeholder}", ("@kill%",))[0][0]
    assert 30 <= written < 120, "the kill landed half-way"
    # Every account written so far is complete: one profile and one directory row per user.
    for table, column in (("profiles", "full_user_id"), ("user_directory", "user_id")):
        assert db.query(f"SELECT COUNT(*) FROM {table} WHERE {column} LIKE {placeholder}", ("@kill%",))[0][0] == written

    run = tool.run("-c", str(hs.config_path), "--from-file", str(source), "--exists-ok", "--quiet")
    assert run.returncode == 0, run.describe()
    assert run.stderr_lines[-1] == f"Created {120 - written}, existing {written}, invalid 0, failed 0."
    for table, column in (("users", "name"), ("profiles", "full_user_id"), ("user_directory", "user_id")):
        assert db.query(f"SELECT COUNT(*) FROM {table} WHERE {column} LIKE {placeholder}", ("@kill%",))[0][0] == 120
    hs.start()
    for row in (rows[0], rows[written - 1], rows[written], rows[-1]):
        assert hs.login(row["id"], row["password"]).status_code == 200, row["id"]


def test_synapse_keeps_answering_logins_during_a_long_import(databases, tool, homeserver_factory, tmp_path):
    db = databases.new("sqlite")
    hs = homeserver_factory(db, FAST)
    hs.start()
    seed = Account("seeduser")
    assert hs.register_shared_secret(seed.localpart, seed.password).status_code == 200
    rows = [{"id": f"load{i:04d}", "password": f"pw-{i}-{secrets.token_hex(4)}"} for i in range(1000)]
    source = tmp_path / "users.csv"
    write_csv(source, rows)

    latencies: list[float] = []
    statuses: list[int] = []
    stop = threading.Event()

    def keep_logging_in():
        while not stop.is_set():
            t0 = time.monotonic()
            statuses.append(hs.login(seed.localpart, seed.password).status_code)
            latencies.append(time.monotonic() - t0)

    watcher = threading.Thread(target=keep_logging_in)
    watcher.start()
    try:
        run = tool.run("-c", str(hs.config_path), "--from-file", str(source), "--quiet", timeout=600)
    finally:
        stop.set()
        watcher.join()
    assert run.returncode == 0, run.describe()
    assert run.stderr_lines[-1] == "Created 1000, existing 0, invalid 0, failed 0."
    assert len(statuses) >= 5 and set(statuses) == {200}
    assert max(latencies) < 1.0, f"slowest login during the import: {max(latencies):.2f}s"
    # Logins made while the tool wrote tokens' neighbours still work afterwards, and so do the new users.
    assert hs.login("load0999", rows[-1]["password"]).status_code == 200


def test_a_synapse_admin_export_is_used_as_is(databases, tool, homeserver_factory, tmp_path):
    db = databases.new("sqlite")
    hs = homeserver_factory(db, FAST)
    # What synapse-admin's CSV export writes: its columns, full user IDs, booleans as numbers or words.
    export = tmp_path / "export.csv"
    export.write_text(
        "\ufeffid,displayname,password,is_guest,admin,deactivated,user_type,avatar_url,threepids,creation_ts\r\n"
        "@exported1:example.org,Ex One,,0,0,0,,,[],1700000000000\r\n"
        "@exported2:example.org,\"Two, Ex\",,false,true,false,bot,,[],1700000000001\r\n",
        encoding="utf-8")
    report_path = tmp_path / "export-report.jsonl"
    run = tool.run("-c", str(hs.config_path), "--from-file", str(export), "--report", str(report_path))
    assert run.returncode == 0, run.describe()
    report = {r["user_id"]: r for r in read_report(report_path)}
    assert set(report) == {mxid("exported1"), mxid("exported2")}
    hs.start()
    r = hs.login("exported2", report[mxid("exported2")]["password"])
    assert r.status_code == 200, r.text
    info = hs.get(f"/_synapse/admin/v2/users/{mxid('exported2')}", r.json()["access_token"]).json()
    assert info["admin"] is True and info["displayname"] == "Two, Ex" and info["user_type"] == "bot"
