"""Accounts written by the tool, checked through a real Synapse 1.163.2 over HTTP.

Each scenario (engine x mode) writes the same accounts once:
  * stopped: Synapse is not running during the writes and is started afterwards;
  * running: Synapse is serving (and has issued tokens of its own) while the tool writes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pytest

from conftest import ENGINES, EXIT, TOKEN_RE, Account, Run, mxid, stderr_one_line
from harness import Synapse

EXPIRING_SECONDS = 2


@dataclass
class World:
    engine: str
    mode: str
    hs: Synapse
    accounts: dict[str, Account]
    runs: dict[str, Run]
    written_at: float
    expiring_written_at: float
    # Status codes of password logins made through Synapse right after the tool wrote tokens.
    logins_after_write: list[int] = field(default_factory=list)

    def admin_token(self) -> str:
        r = self.hs.login("boss", self.accounts["boss"].password)
        assert r.status_code == 200, r.text
        return r.json()["access_token"]


@pytest.fixture(scope="module", params=[(e, m) for e in ENGINES for m in ("stopped", "running")],
                ids=lambda p: f"{p[0]}-{p[1]}")
def world(request, databases, tool, synapse_python, tmp_path_factory):
    engine, mode = request.param
    db = databases.new(engine)
    hs = Synapse(tmp_path_factory.mktemp(f"hs-{engine}-{mode}"), synapse_python, db)
    accounts = {n: Account(n) for n in ("alice", "boss", "carol", "dave", "erin", "seed")}
    runs: dict[str, Run] = {}
    try:
        if mode == "running":
            hs.start()
            # Synapse registers one user itself and so issues the first token id from its in-memory counter.
            r = hs.register_shared_secret("seed", accounts["seed"].password)
            assert r.status_code == 200, r.text
        cfg = str(hs.config_path)
        runs["dave"] = tool.register(hs.config_path, accounts["dave"], "--print-token",
                                     "--token-validity", f"{EXPIRING_SECONDS}s")
        expiring_written_at = time.time()
        runs["alice"] = tool.register(hs.config_path, accounts["alice"])
        runs["boss"] = tool.register(hs.config_path, accounts["boss"], "-a", "--display-name", "The Boss")
        runs["carol"] = tool.register(hs.config_path, accounts["carol"], "--print-token", "--token-validity", "30",
                                      "--no-admin")
        # A bare localpart is accepted for -u as well.
        runs["erin"] = tool.register(hs.config_path, accounts["erin"], "-t", "bot", user="erin")
        written_at = time.time()
        assert cfg
        logins: list[int] = []
        if mode == "stopped":
            hs.start()
        # Normal password logins make Synapse allocate access-token ids; with the tool's tokens already in the
        # table, an id chosen carelessly (MAX+1) makes one of these fail with a 500.
        who = "seed" if mode == "running" else "alice"
        for _ in range(3):
            logins.append(hs.login(who, accounts[who].password).status_code)
        yield World(engine, mode, hs, accounts, runs, written_at, expiring_written_at, logins)
    finally:
        hs.stop()


# --- what the tool printed ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["alice", "boss", "carol", "dave", "erin"])
def test_tool_succeeds_with_one_summary_line(world, name):
    r = world.runs[name]
    assert r.returncode == EXIT["ok"], r.describe()
    line = stderr_one_line(r)
    assert mxid(name) in line, r.describe()


@pytest.mark.parametrize("name", ["alice", "boss", "erin"])
def test_stdout_is_empty_without_print_token(world, name):
    assert world.runs[name].stdout == ""


@pytest.mark.parametrize("name", ["carol", "dave"])
def test_stdout_is_only_the_token(world, name):
    out = world.runs[name].stdout
    assert out.endswith("\n") and out.count("\n") == 1, "stdout must be the token and one line ending"
    assert TOKEN_RE.fullmatch(out.strip()), "printed token is not in Synapse's syt_ format"


# --- through Synapse ------------------------------------------------------------------------------------------


def test_password_logins_after_token_writes_succeed(world):
    db = world.hs.db
    tokens = db.query(f"SELECT COUNT(*) FROM access_tokens WHERE user_id IN ({db.ph}, {db.ph})",
                      (mxid("carol"), mxid("dave")))[0][0]
    assert tokens == 2, "the tool wrote no tokens, so this checks nothing"
    assert world.logins_after_write == [200, 200, 200]


def test_login_with_full_user_id(world):
    r = world.hs.login(mxid("alice"), world.accounts["alice"].password)
    assert r.status_code == 200, r.text
    assert r.json()["user_id"] == mxid("alice")


def test_login_with_bare_localpart(world):
    r = world.hs.login("alice", world.accounts["alice"].password)
    assert r.status_code == 200, r.text
    assert r.json()["user_id"] == mxid("alice")


def test_login_of_user_given_as_localpart(world):
    r = world.hs.login("erin", world.accounts["erin"].password)
    assert r.status_code == 200, r.text


def test_wrong_password_is_refused(world):
    assert world.hs.login("alice", world.accounts["alice"].password).status_code == 200
    r = world.hs.login("alice", world.accounts["alice"].password + "x")
    assert r.status_code == 403, r.text
    assert r.json()["errcode"] == "M_FORBIDDEN"


def test_printed_token_is_accepted(world):
    token = world.accounts["carol"].token
    assert token
    r = world.hs.whoami(token)
    assert r.status_code == 200, r.text
    assert r.json()["user_id"] == mxid("carol")
    assert r.json().get("device_id"), r.text


def test_printed_token_device_is_listed(world):
    token = world.accounts["carol"].token
    me = world.hs.whoami(token).json()
    r = world.hs.get("/_matrix/client/v3/devices", token)
    assert r.status_code == 200, r.text
    assert me["device_id"] in [d["device_id"] for d in r.json()["devices"]]


def test_expired_token_is_refused(world):
    token = world.accounts["dave"].token
    assert token and TOKEN_RE.fullmatch(token)
    db = world.hs.db
    rows = db.query(f"SELECT valid_until_ms FROM access_tokens WHERE token = {db.ph}", (token,))
    assert len(rows) == 1, "the printed token is not in the database"
    assert abs(rows[0][0] - (world.expiring_written_at + EXPIRING_SECONDS) * 1000) < 5000
    wait = world.expiring_written_at + EXPIRING_SECONDS + 1 - time.time()
    if wait > 0:
        time.sleep(wait)
    r = world.hs.whoami(token)
    assert r.status_code == 401, r.text
    assert r.json()["errcode"] == "M_UNKNOWN_TOKEN"


def test_admin_flag_and_display_name_as_asked(world):
    token = world.admin_token()
    boss = world.hs.get(f"/_synapse/admin/v2/users/{mxid('boss')}", token)
    assert boss.status_code == 200, boss.text
    assert boss.json()["admin"] is True
    assert boss.json()["displayname"] == "The Boss"
    alice = world.hs.get(f"/_synapse/admin/v2/users/{mxid('alice')}", token)
    assert alice.status_code == 200, alice.text
    assert alice.json()["admin"] is False
    assert alice.json()["displayname"] == "alice"  # Synapse's default: the localpart
    assert alice.json()["deactivated"] is False


def test_non_admin_is_not_admin(world):
    r = world.hs.get(f"/_synapse/admin/v2/users/{mxid('alice')}", world.accounts["carol"].token)
    assert r.status_code == 403, r.text


def test_user_type(world):
    token = world.admin_token()
    r = world.hs.get(f"/_synapse/admin/v2/users/{mxid('erin')}", token)
    assert r.json()["user_type"] == "bot"
    r = world.hs.get(f"/_synapse/admin/v2/users/{mxid('carol')}", token)
    assert r.json()["user_type"] is None


def test_profile_display_name(world):
    r = world.hs.get(f"/_matrix/client/v3/profile/{mxid('boss')}/displayname")
    assert r.status_code == 200, r.text
    assert r.json()["displayname"] == "The Boss"


@pytest.mark.parametrize("term,expected", [("The Boss", "boss"), ("alice", "alice"), ("erin", "erin")])
def test_directory_search_finds_user(world, term, expected):
    r = world.hs.post("/_matrix/client/v3/user_directory/search", {"search_term": term, "limit": 10},
                      world.accounts["carol"].token)
    assert r.status_code == 200, r.text
    assert mxid(expected) in [u["user_id"] for u in r.json()["results"]], r.text


# --- in the store -------------------------------------------------------------------------------------------------


def test_rows_as_synapse_writes_them(world):
    db = world.hs.db
    boss = db.user_row(mxid("boss"))
    assert boss is not None
    assert boss["admin"] == 1 and boss["is_guest"] == 0 and boss["deactivated"] == 0
    assert boss["password_hash"].startswith("$2b$12$")  # Synapse's default cost when bcrypt_rounds is unset
    # creation_ts is in seconds, not milliseconds.
    assert abs(boss["creation_ts"] - world.written_at) < 120
    if "approved" in boss:
        assert boss["approved"] in (1, True)
    assert db.query(f"SELECT user_id FROM profiles WHERE full_user_id = {db.ph}", (mxid("boss"),)) == [("boss",)]


def test_token_expiry_stored_in_milliseconds(world):
    db = world.hs.db
    rows = db.query(f"SELECT valid_until_ms, device_id FROM access_tokens WHERE user_id = {db.ph}", (mxid("carol"),))
    assert len(rows) == 1
    valid_until_ms, device_id = rows[0]
    expected = (world.written_at + 30 * 86400) * 1000
    assert abs(valid_until_ms - expected) < 300_000
    devices = db.query(f"SELECT device_id FROM devices WHERE user_id = {db.ph}", (mxid("carol"),))
    assert devices == [(device_id,)]


def test_token_ids_are_distinct_and_never_zero(world):
    """Synapse reads token id 0 as "no token"; the collision check itself is the logins-after-write test."""
    db = world.hs.db
    ours = db.query(f"SELECT id FROM access_tokens WHERE user_id IN ({db.ph}, {db.ph})", (mxid("carol"), mxid("dave")))
    assert len(ours) == 2
    assert len({i for (i,) in ours}) == 2
    assert all(i != 0 for (i,) in ours)
