"""--generate-password and --review-accounts against a real Synapse, on both engines, with Synapse running.

A generated password logs in over HTTP (printed on its own line, or inside the --json object); the review lists an
admin Synapse itself made through its shared-secret admin API beside the tool's own accounts, tells this tool's
never-expiring tokens from the login Synapse issued, and changes nothing while Synapse serves.
"""

from __future__ import annotations

import json

import pytest

from conftest import ENGINES, EXIT, TOKEN_RE, Account, mxid

POLICY = {"bcrypt_rounds": 4,
          "password_config": {"policy": {"enabled": True, "minimum_length": 24, "require_digit": True,
                                         "require_uppercase": True, "require_lowercase": True}}}


@pytest.mark.parametrize("engine", ENGINES)
def test_a_generated_password_logs_in(engine, databases, tool, homeserver_factory):
    hs = homeserver_factory(databases.new(engine), POLICY)
    hs.start()
    cfg = str(hs.config_path)

    r = tool.run("-c", cfg, "-u", "gen", "--generate-password", "--no-input", "--print-token")
    assert r.returncode == EXIT["ok"], r.stderr
    password, token = r.stdout.splitlines()
    assert len(password) >= 24 and TOKEN_RE.fullmatch(token)
    assert password not in r.stderr
    login = hs.login("gen", password)
    assert login.status_code == 200, login.text
    assert login.json()["user_id"] == mxid("gen")
    assert hs.whoami(token).json()["user_id"] == mxid("gen")

    r = tool.run("-c", cfg, "-u", "genjson", "--generate-password", "--json")
    assert r.returncode == EXIT["ok"], r.stderr
    result = json.loads(r.stdout)
    assert result["status"] == "created"
    assert hs.login(mxid("genjson"), result["password"]).status_code == 200
    assert hs.login(mxid("genjson"), result["password"] + "x").status_code == 403


@pytest.mark.parametrize("engine", ENGINES)
def test_the_review_lists_an_admin_synapse_made(engine, databases, tool, homeserver_factory):
    db = databases.new(engine)
    hs = homeserver_factory(db, {"bcrypt_rounds": 4})
    hs.start()
    root = Account("root")
    r = hs.register_shared_secret("root", root.password, admin=True)
    assert r.status_code == 200, r.text
    cfg = hs.config_path
    assert tool.register(cfg, Account("ops"), "-a").returncode == EXIT["ok"]
    robot = tool.register(cfg, Account("robot"), "-t", "bot", "--print-token")
    assert robot.returncode == EXIT["ok"], robot.stderr
    assert tool.register(cfg, Account("temp"), "--print-token", "--token-validity", "1d").returncode == EXIT["ok"]

    def rows():
        return {t: sorted(repr(row) for row in db.query(f"SELECT * FROM {t}")) for t in ("users", "access_tokens")}

    before = rows()
    r = tool.run("-c", str(cfg), "--review-accounts", "--json")
    assert r.returncode == EXIT["ok"], r.stderr
    items = [json.loads(line) for line in r.stdout.splitlines()]

    def listed(section: str) -> list[str]:
        return [item["user_id"] for item in items if item["section"] == section]

    assert listed("admin") == [mxid("ops"), mxid("root")]
    assert set(listed("recent")) == {mxid(n) for n in ("ops", "root", "robot", "temp")}
    assert listed("support_or_bot") == [mxid("robot")]
    # Synapse's own login for root never expires either, but its device is not the tool's.
    assert listed("token_without_expiry") == [mxid("robot")]
    assert listed("deactivated_admin") == []

    text = tool.run("-c", str(cfg), "--review-accounts")
    assert text.returncode == EXIT["ok"], text.stderr
    assert "Server admins (2)" in text.stdout and mxid("root") in text.stdout
    assert rows() == before, "the review wrote nothing"
    assert hs.login("root", root.password).status_code == 200, "Synapse kept serving"
