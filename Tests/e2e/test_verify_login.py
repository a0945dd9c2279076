"""--verify-login against a real Synapse: the new account logs in over HTTP and the check leaves no session."""

from __future__ import annotations

import json

import pytest

from conftest import ENGINES, EXIT, Account, mxid

FAST = {"bcrypt_rounds": 4}


@pytest.mark.parametrize("engine", ENGINES)
def test_a_running_synapse_logs_the_account_in_and_keeps_no_session(engine, databases, tool, homeserver_factory):
    db = databases.new(engine)
    hs = homeserver_factory(db, FAST)
    hs.start()
    account = Account("verified")
    # The URL comes from the config's client listener.
    r = tool.register(hs.config_path, account, "--verify-login", "--display-name", "Verified One")
    assert r.returncode == 0, r.describe()
    assert f"Logged in as {account.user_id} through Synapse at http://127.0.0.1:{hs.port}" in r.stderr
    mark = "?" if engine == "sqlite" else "%s"
    assert db.query(f"SELECT COUNT(*) FROM devices WHERE user_id = {mark}", (account.user_id,))[0][0] == 0
    assert db.query(f"SELECT COUNT(*) FROM access_tokens WHERE user_id = {mark}", (account.user_id,))[0][0] == 0

    # An explicit URL, and the finding in the JSON object.
    second = Account("verified2")
    r = tool.register(hs.config_path, second, "--verify-login", hs.url, "--json", "--print-token")
    assert r.returncode == 0, r.describe()
    result = json.loads(r.stdout)
    assert result["login"] == "logged_in" and result["status"] == "created"
    # The printed token is the account's own and survives the check's logout.
    assert hs.whoami(result["access_token"]).json()["user_id"] == second.user_id


def test_a_stopped_synapse_is_a_warning(databases, tool, homeserver_factory):
    hs = homeserver_factory(databases.new("sqlite"), FAST)
    account = Account("unchecked")
    r = tool.register(hs.config_path, account, "--verify-login")
    assert r.returncode == 0, r.describe()
    assert any(line.startswith(f"warning: --verify-login: no Synapse answered at http://127.0.0.1:{hs.port}")
               for line in r.stderr_lines), r.describe()
    hs.start()
    assert hs.login(account.localpart, account.password).status_code == 200


def test_password_logins_switched_off_fail_before_writing(databases, tool, homeserver_factory):
    db = databases.new("sqlite")
    hs = homeserver_factory(db, {**FAST, "password_config": {"localdb_enabled": False}})
    account = Account("nologin")
    r = tool.register(hs.config_path, account, "--verify-login", "--json")
    assert r.returncode == EXIT["login_failed"], r.describe()
    assert json.loads(r.stdout)["kind"] == "login_disabled"
    assert db.user_row(mxid("nologin")) is None
