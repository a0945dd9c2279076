"""The oldest supported Synapse, 1.95.1 (schema 82): accounts written by the tool into a database that release
made, then used through that release, on both engines."""

from __future__ import annotations


import pytest

from conftest import ENGINES, EXIT, TOKEN_RE, Account, env_required, mxid


@pytest.fixture(scope="session")
def old_python() -> str:
    return env_required("SYNAPSE_PYTHON_OLD")


@pytest.mark.parametrize("engine", ENGINES)
def test_written_while_stopped(engine, databases, homeserver_factory, tool, old_python):
    db = databases.new(engine, old=True)
    assert db.query("SELECT version FROM schema_version")[0][0] < 90
    hs = homeserver_factory(db, python=old_python)
    alice, boss, carol = Account("alice"), Account("boss"), Account("carol")
    for acct, extra in [(alice, ()), (boss, ("-a", "--display-name", "The Boss")),
                        (carol, ("--print-token", "--token-validity", "1"))]:
        r = tool.register(hs.config_path, acct, *extra)
        assert r.returncode == EXIT["ok"], r.describe()
    assert TOKEN_RE.fullmatch(carol.token or "")
    # Columns newer than this schema must not have been invented.
    assert "suspended" not in db.columns("users")
    hs.start()
    for user in ("alice", mxid("alice")):
        r = hs.login(user, alice.password)
        assert r.status_code == 200, r.text
    assert hs.login("alice", "wrong").status_code == 403
    assert hs.whoami(carol.token).json().get("user_id") == mxid("carol")
    admin_token = hs.login("boss", boss.password).json()["access_token"]
    info = hs.get(f"/_synapse/admin/v2/users/{mxid('boss')}", admin_token).json()
    assert info["admin"] is True and info["displayname"] == "The Boss"
    found = hs.post("/_matrix/client/v3/user_directory/search", {"search_term": "alice"}, carol.token).json()
    assert mxid("alice") in [u["user_id"] for u in found["results"]]


@pytest.mark.parametrize("engine", ENGINES)
def test_token_written_while_running(engine, databases, homeserver_factory, tool, old_python):
    db = databases.new(engine, old=True)
    hs = homeserver_factory(db, python=old_python)
    seed, carol = Account("seed"), Account("carol")
    hs.start()
    assert hs.register_shared_secret("seed", seed.password).status_code == 200
    r = tool.register(hs.config_path, carol, "--print-token")
    assert r.returncode == EXIT["ok"], r.describe()
    assert [hs.login("seed", seed.password).status_code for _ in range(3)] == [200, 200, 200]
    assert hs.whoami(carol.token).status_code == 200
    assert hs.login("carol", carol.password).status_code == 200


@pytest.mark.parametrize("engine", ENGINES)
def test_accounts_survive_upgrade_to_current_synapse(engine, databases, homeserver_factory, tool, old_python,
                                                     synapse_python):
    """Written into a 1.95.1 database, then the admin upgrades: 1.163.2 migrates the schema and still logs in."""
    db = databases.new(engine, old=True)
    hs = homeserver_factory(db, python=old_python)
    alice, carol = Account("alice"), Account("carol")
    assert tool.register(hs.config_path, alice).returncode == EXIT["ok"]
    assert tool.register(hs.config_path, carol, "--print-token").returncode == EXIT["ok"]
    hs.python = synapse_python
    hs.start()
    assert db.query("SELECT version FROM schema_version")[0][0] >= 94
    assert hs.login("alice", alice.password).status_code == 200
    assert hs.whoami(carol.token).status_code == 200
