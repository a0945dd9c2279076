"""Mistakes a new user makes: each gets one clear line on stderr, the documented exit code, and no change at all
to the database (every row of the account tables and the row count of every table compared before and after)."""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from conftest import ENGINES, EXIT, Account, Run, Tool, mxid, stderr_one_line
from harness import Database, Synapse, free_port


@dataclass
class Target:
    engine: str
    hs: Synapse  # config written; started only once, to register "taken"
    db: Database
    dir: Path
    taken: Account

    def config_with(self, name: str, changes: dict | None = None, raw: str | None = None) -> Path:
        path = self.dir / f"{name}-{uuid.uuid4().hex[:6]}.yaml"
        if raw is not None:
            path.write_text(raw)
        else:
            cfg = copy.deepcopy(self.hs.config)
            cfg.update(changes or {})
            path.write_text(yaml.safe_dump(cfg, sort_keys=False))
        return path


@pytest.fixture(scope="module", params=ENGINES)
def target(request, databases, synapse_python, tmp_path_factory):
    engine = request.param
    db = databases.new(engine)
    d = tmp_path_factory.mktemp(f"bad-{engine}")
    hs = Synapse(d / "hs", synapse_python, db)
    taken = Account("taken")
    hs.start()
    try:
        # The existing account is Synapse's own, so these tests do not depend on the tool's success path.
        r = hs.register_shared_secret("taken", taken.password)
        assert r.status_code == 200, r.text
    finally:
        hs.stop()
    # A user from an older era of Synapse with an upper-case localpart: names clash case-insensitively.
    cols = db.columns("users")
    values = {"name": "@Legacy:example.org", "password_hash": None, "creation_ts": 1_500_000_000,
              "is_guest": 0, "admin": 0, "deactivated": 0}
    if "approved" in cols:
        values["approved"] = True
    if "shadow_banned" in cols:
        values["shadow_banned"] = False
    keys = list(values)
    db.execute(f"INSERT INTO users ({', '.join(keys)}) VALUES ({', '.join([db.ph] * len(keys))})",
               tuple(values.values()))
    return Target(engine, hs, db, d, taken)


def refused(target: Target, run, code: str) -> tuple[Run, str]:
    """Run, and check: the exit code, exactly one stderr line, nothing on stdout, the database unchanged."""
    before = target.db.snapshot()
    r: Run = run()
    assert r.returncode == EXIT[code], r.describe()
    line = stderr_one_line(r)
    assert r.stdout == "", r.describe()
    assert target.db.snapshot() == before, "database changed by a refused run"
    return r, line


def register(tool: Tool, config: Path, user: str, password: str = "a perfectly fine passphrase 42",
             *extra: str) -> Run:
    return tool.register(config, Account(user.lstrip("@").split(":")[0], password), *extra, user=user)


# --- config ---------------------------------------------------------------------------------------------------


def test_missing_config_file(target, tool):
    missing = target.dir / "no-such-dir" / "homeserver.yaml"
    _, line = refused(target, lambda: register(tool, missing, "newbie"), "config")
    assert "homeserver.yaml" in line


def test_default_config_missing_in_working_directory(target, tool, tmp_path):
    pw = tool.password_file("a perfectly fine passphrase 42")
    refused(target, lambda: tool.run("-u", "newbie", "--password-file", str(pw), "--no-input", cwd=tmp_path),
            "config")


def test_broken_yaml(target, tool):
    cfg = target.config_with("broken", raw="server_name: example.org\ndatabase:\n  name: sqlite3\n"
                                           "  args: {database: [unclosed\n")
    _, line = refused(target, lambda: register(tool, cfg, "newbie"), "config")
    assert cfg.name in line


def test_wrong_type(target, tool):
    cfg = target.config_with("wrongtype", {"bcrypt_rounds": "twelve"})
    _, line = refused(target, lambda: register(tool, cfg, "newbie"), "config")
    assert "bcrypt_rounds" in line


def test_unknown_database_type(target, tool):
    cfg = target.config_with("mysql", {"database": {"name": "mysql", "args": {"database": "synapse"}}})
    _, line = refused(target, lambda: register(tool, cfg, "newbie"), "config")
    assert "mysql" in line


# --- database ---------------------------------------------------------------------------------------------------


def test_unreachable_postgres_from_config(target, tool):
    args = {"user": "synapse_user", "password": "x", "dbname": "synapse", "host": "127.0.0.1",
            "port": free_port(), "cp_min": 1, "cp_max": 2}
    cfg = target.config_with("unreachable", {"database": {"name": "psycopg2", "args": args}})
    refused(target, lambda: register(tool, cfg, "newbie"), "database")


def test_unreachable_postgres_from_url(target, tool):
    url = f"postgresql://synapse_user@127.0.0.1:{free_port()}/synapse?connect_timeout=5"
    refused(target, lambda: register(tool, target.hs.config_path, "newbie", "a perfectly fine passphrase 42",
                                     "--database-url", url), "database")


def test_missing_sqlite_file_is_not_created(target, tool):
    missing = target.dir / "absent.db"
    refused(target, lambda: register(tool, target.hs.config_path, "newbie", "a perfectly fine passphrase 42",
                                      "--database-url", f"sqlite://{missing}"), "database")
    assert not missing.exists()


def test_not_a_synapse_database(target, tool):
    import sqlite3

    other = target.dir / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    refused(target, lambda: register(tool, target.hs.config_path, "newbie", "a perfectly fine passphrase 42",
                                     "--database-url", f"sqlite://{other}"), "database")


def test_newer_schema_is_refused(target, tool, databases):
    newer = databases.new(target.engine)
    newer.execute("UPDATE schema_compat_version SET compat_version = 9999")
    cfg = target.config_with("newer", {"database": newer.config()})
    view = Target(target.engine, target.hs, newer, target.dir, target.taken)
    _, line = refused(view, lambda: register(tool, cfg, "newbie"), "database")
    assert "9999" in line


def test_a_refused_row_is_not_quoted(target, tool, databases):
    """A constraint the write breaks: the line names it and quotes nothing of the row (hash, user ID, token)."""
    guarded = databases.new(target.engine)
    if target.engine == "postgres":
        # PostgreSQL's DETAIL would say "Failing row contains (@leaky:example.org, $2b$…, …)".
        guarded.execute("ALTER TABLE users ADD CONSTRAINT e2e_refuse CHECK (left(password_hash, 4) <> '$2b$')")
        expected = 'violates check constraint "e2e_refuse"'
    else:
        # SQLite cannot add a CHECK to a table; this trigger's insert breaks a NOT NULL constraint with the token.
        guarded.execute("CREATE TRIGGER e2e_refuse AFTER INSERT ON access_tokens BEGIN "
                        "INSERT INTO users (name, password_hash, admin) VALUES (NEW.token, NEW.token, NULL); END")
        expected = "NOT NULL constraint failed: users.admin"
    cfg = target.config_with("guarded", {"database": guarded.config()})
    view = Target(target.engine, target.hs, guarded, target.dir, target.taken)
    password = "a perfectly fine passphrase 42"
    _, line = refused(view, lambda: register(tool, cfg, "@leaky:example.org", password, "--print-token",
                                             "--display-name", "Leaky Name"), "database")
    assert expected in line
    for value in ("leaky", "Leaky Name", "$2b$", "syt_", password):
        assert value not in line, line


# --- user ID ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["@alice:other.org", "1234", "@al ice:example.org", "ali\u00e7e"])
def test_invalid_user_id(target, tool, user):
    refused(target, lambda: register(tool, target.hs.config_path, user), "user_id")


def test_taken_user_id(target, tool):
    refused(target, lambda: register(tool, target.hs.config_path, mxid("taken")), "exists")


def test_taken_user_id_as_localpart(target, tool):
    refused(target, lambda: register(tool, target.hs.config_path, "taken"), "exists")


def test_taken_case_insensitively(target, tool):
    refused(target, lambda: register(tool, target.hs.config_path, "legacy"), "exists")


def test_exists_ok_changes_nothing(target, tool):
    before = target.db.snapshot()
    r = register(tool, target.hs.config_path, mxid("taken"), "another password entirely 99", "--exists-ok", "-a")
    assert r.returncode == EXIT["ok"], r.describe()
    assert r.stdout == ""
    assert len(r.stderr_lines) <= 1, r.describe()
    assert target.db.snapshot() == before


# --- password ---------------------------------------------------------------------------------------------------


def test_policy_refused_password(target, tool):
    cfg = target.config_with("policy", {"password_config": {"policy": {
        "enabled": True, "minimum_length": 15, "require_digit": True, "require_symbol": True}}})
    refused(target, lambda: register(tool, cfg, "newbie", "short1!"), "password")


def test_empty_password_file(target, tool):
    refused(target, lambda: register(tool, target.hs.config_path, "newbie", ""), "password")


# --- usage ------------------------------------------------------------------------------------------------------


def test_print_token_requires_no_input(target, tool):
    pw = tool.password_file("a perfectly fine passphrase 42")
    refused(target, lambda: tool.run("-c", str(target.hs.config_path), "-u", "newbie", "--password-file", str(pw),
                                     "--print-token"), "usage")


def test_token_validity_requires_print_token(target, tool):
    pw = tool.password_file("a perfectly fine passphrase 42")
    refused(target, lambda: tool.run("-c", str(target.hs.config_path), "-u", "newbie", "--password-file", str(pw),
                                     "--no-input", "--token-validity", "3"), "usage")


def test_admin_and_no_admin_exclude_each_other(target, tool):
    pw = tool.password_file("a perfectly fine passphrase 42")
    refused(target, lambda: tool.run("-c", str(target.hs.config_path), "-u", "newbie", "--password-file", str(pw),
                                     "--no-input", "-a", "--no-admin"), "usage")


def test_missing_user_without_input_names_the_flag(target, tool):
    pw = tool.password_file("a perfectly fine passphrase 42")
    _, line = refused(target, lambda: tool.run("-c", str(target.hs.config_path), "--password-file", str(pw),
                                               "--no-input"), "usage")
    assert "-u" in line or "--user" in line


# --- accounts the server reserves -------------------------------------------------------------------------------


def test_appservice_exclusive_namespace(target, tool):
    reg = target.dir / f"bridge-{uuid.uuid4().hex[:6]}.yaml"
    reg.write_text(yaml.safe_dump({
        "id": "ircbridge", "url": None, "as_token": uuid.uuid4().hex, "hs_token": uuid.uuid4().hex,
        "sender_localpart": "ircbot", "rate_limited": False,
        "namespaces": {"users": [{"exclusive": True, "regex": "@irc_.*:example\\.org"}], "aliases": [], "rooms": []},
    }))
    cfg = target.config_with("appservice", {"app_service_config_files": [str(reg)]})
    refused(target, lambda: register(tool, cfg, "irc_bob"), "user_id")


def test_server_notices_user(target, tool):
    cfg = target.config_with("notices", {"server_notices": {"system_mxid_localpart": "notices"}})
    refused(target, lambda: register(tool, cfg, "notices"), "user_id")


@pytest.mark.parametrize("changes", [
    {"matrix_authentication_service": {"enabled": True, "endpoint": "http://127.0.0.1:8080/",
                                       "secret": "x" * 32}},
    {"experimental_features": {"msc3861": {"enabled": True}}},
], ids=["mas", "msc3861"])
def test_accounts_owned_by_authentication_service(target, tool, changes):
    cfg = target.config_with("mas", changes)
    refused(target, lambda: register(tool, cfg, "newbie"), "config")
