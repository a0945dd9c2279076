"""The safety flags against a real Synapse on both engines: --dry-run, --json and --backup."""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import pytest

from conftest import ENGINES, EXIT, Account, mxid
from harness import SQLiteDB

FAST = {"bcrypt_rounds": 4}


@pytest.mark.parametrize("engine", ENGINES)
def test_a_dry_run_changes_nothing_and_predicts_the_run(engine, databases, tool, homeserver_factory, tmp_path):
    db = databases.new(engine)
    hs = homeserver_factory(db, {**FAST, "password_config": {"policy": {"enabled": True, "minimum_length": 12}}})
    existing = Account("already", password="long enough passphrase 1")
    assert tool.register(hs.config_path, existing).returncode == 0
    cases = [Account("fresh", password="long enough passphrase 2"), existing, Account("weak", password="short")]

    before = db.snapshot()
    sqlite_bytes = db.path.read_bytes() if isinstance(db, SQLiteDB) else None
    predicted = [tool.register(hs.config_path, a, "--dry-run", "--json") for a in cases]
    assert db.snapshot() == before
    if sqlite_bytes is not None:
        assert db.path.read_bytes() == sqlite_bytes, "a dry run changes no byte of the SQLite file"

    actual = [tool.register(hs.config_path, a, "--json") for a in cases]
    assert [p.returncode for p in predicted] == [a.returncode for a in actual] == [0, EXIT["exists"], EXIT["password"]]
    fresh = json.loads(predicted[0].stdout)
    assert fresh["status"] == "would_create" and fresh["user_id"] == mxid("fresh")
    tables = [w["table"] for w in fresh["writes"]]
    assert tables[:2] == ["users", "profiles"]
    assert json.loads(actual[0].stdout)["status"] == "created"
    assert [json.loads(r.stdout)["kind"] for r in actual[1:]] == ["user_exists", "password_policy"]


@pytest.mark.parametrize("engine", ENGINES)
def test_json_names_the_account_and_the_database(engine, databases, tool, homeserver_factory):
    db = databases.new(engine)
    hs = homeserver_factory(db, FAST)
    account = Account("jsonny")
    r = tool.register(hs.config_path, account, "--json", "--print-token", "--token-validity", "1d", "-a",
                      "--display-name", "Jay Son")
    assert r.returncode == 0, r.describe()
    result = json.loads(r.stdout)
    assert list(result) == ["status", "user_id", "admin", "user_type", "display_name", "device_id", "valid_until",
                            "database", "access_token"]
    assert (result["status"], result["user_id"], result["admin"], result["display_name"]) == \
           ("created", account.user_id, True, "Jay Son")
    assert result["valid_until"].endswith("Z")
    if engine == "sqlite":
        assert result["database"] == {"engine": "sqlite", "path": str(db.path)}
    else:
        assert result["database"]["engine"] == "postgresql"
        assert result["database"]["name"] == db.name
        assert result["database"]["port"] == str(db.pg.port)
        assert "password" not in json.dumps(result["database"])
    hs.start()
    assert hs.whoami(result["access_token"]).json()["user_id"] == account.user_id


def test_a_backup_made_while_synapse_writes_restores_to_a_working_server(databases, tool, homeserver_factory,
                                                                        tmp_path, synapse_python):
    db = databases.new("sqlite")
    hs = homeserver_factory(db, FAST)
    hs.start()
    seed = Account("seedling")
    assert hs.register_shared_secret(seed.localpart, seed.password).status_code == 200
    earlier = [Account(f"early{i}") for i in range(5)]
    for account in earlier:
        assert tool.register(hs.config_path, account).returncode == 0

    # Synapse writes (logins make devices and tokens) all through the backup.
    stop = threading.Event()
    logins: list[int] = []

    def keep_logging_in():
        while not stop.is_set():
            logins.append(hs.login(seed.localpart, seed.password).status_code)

    writer = threading.Thread(target=keep_logging_in)
    writer.start()
    try:
        target = tmp_path / "copy.db"
        r = tool.register(hs.config_path, Account("after"), "--backup", str(target), "--json")
    finally:
        stop.set()
        writer.join()
    assert r.returncode == 0, r.describe()
    assert json.loads(r.stdout)["backup"] == str(target)
    assert logins and set(logins) == {200}
    hs.stop()

    # Synapse starts on the copy, and every account made before the write logs in there.
    restored = homeserver_factory(SQLiteDB(target), FAST)
    restored.start()
    for account in [seed, *earlier]:
        assert restored.login(account.localpart, account.password).status_code == 200, account.localpart
    # The account written after the backup is not in it; it is in the live database.
    assert SQLiteDB(target).user_row(mxid("after")) is None
    assert db.user_row(mxid("after")) is not None
