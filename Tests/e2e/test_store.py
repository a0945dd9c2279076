"""Config honoured (pepper, bcrypt cost), concurrent creation, file ownership: checked in the store and through
Synapse."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import bcrypt
import pytest
import yaml

from conftest import ENGINES, EXIT, Account, mxid
from harness import SQLiteDB

PEPPER = "e2e-pepper-\u00e9t\u00e9"


@pytest.mark.parametrize("engine", ENGINES)
def test_pepper_and_bcrypt_rounds_are_honoured(engine, databases, homeserver_factory, tool):
    db = databases.new(engine)
    hs = homeserver_factory(db, {"password_config": {"pepper": PEPPER}, "bcrypt_rounds": 4})
    acct = Account("peppy")
    r = tool.register(hs.config_path, acct)
    assert r.returncode == EXIT["ok"], r.describe()
    stored = db.user_row(mxid("peppy"))["password_hash"]
    assert stored.startswith("$2b$04$")
    assert bcrypt.checkpw((acct.password + PEPPER).encode(), stored.encode())
    assert not bcrypt.checkpw(acct.password.encode(), stored.encode()), "pepper was not appended"
    hs.start()
    assert hs.login("peppy", acct.password).status_code == 200
    assert hs.login("peppy", acct.password + PEPPER).status_code == 403


def test_a_password_is_hashed_in_nfkc_as_synapse_hashes_it(databases, homeserver_factory, tool):
    """Ligatures, full-width letters, a circled digit, a combining accent and a half-width kana: the stored hash
    is of NFKC(password), so Synapse logs the account in with the password as typed."""
    db = databases.new("sqlite")
    hs = homeserver_factory(db, {"bcrypt_rounds": 4})
    acct = Account("nfkc", password="\ufb01ne \uff30\uff41\uff53\uff53 \u2460 cafe\u0301 \uff76\uff9e tail")
    r = tool.register(hs.config_path, acct)
    assert r.returncode == EXIT["ok"], r.describe()
    stored = db.user_row(mxid("nfkc"))["password_hash"]
    assert bcrypt.checkpw(unicodedata.normalize("NFKC", acct.password).encode(), stored.encode())
    hs.start()
    assert hs.login("nfkc", acct.password).status_code == 200


@pytest.mark.parametrize("engine", ENGINES)
def test_concurrent_creation_of_one_user(engine, databases, homeserver_factory, tool):
    """Four writers race for one name: one creates it, the others report "exists"; no partial account."""
    db = databases.new(engine)
    hs = homeserver_factory(db, {"bcrypt_rounds": 4})
    accounts = [Account("racer") for _ in range(4)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        runs = list(pool.map(lambda a: tool.register(hs.config_path, a, "--print-token"), accounts))
    codes = sorted(r.returncode for r in runs)
    assert codes == [EXIT["ok"]] + [EXIT["exists"]] * 3, [r.describe() for r in runs]
    winner = accounts[[r.returncode for r in runs].index(0)]
    for table, col in [("users", "name"), ("profiles", "full_user_id"), ("devices", "user_id"),
                       ("access_tokens", "user_id"), ("user_directory", "user_id")]:
        if "full_user_id" == col and col not in db.columns(table):
            continue
        n = db.query(f"SELECT COUNT(*) FROM {table} WHERE {col} = {db.ph}", (mxid("racer"),))[0][0]
        assert n == 1, f"{table} has {n} rows for the user"
    hs.start()
    assert hs.login("racer", winner.password).status_code == 200
    assert hs.whoami(winner.token).status_code == 200


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to write a database owned by another user")
def test_root_leaves_no_root_owned_files_next_to_sqlite_db(request, databases, homeserver_factory, tool):
    """Run as root on a database owned by the Synapse user: no root-owned -wal/-shm/-journal remains, and that
    Synapse user can still open and write the database."""
    owner = pwd.getpwnam("nobody")
    # A folder the owner can reach (pytest's own temporary folders are 0700 root).
    folder = Path(tempfile.mkdtemp(prefix="rnmu-owned-", dir="/tmp"))
    request.addfinalizer(lambda: shutil.rmtree(folder, ignore_errors=True))
    os.chmod(folder, 0o755)
    db = SQLiteDB(folder / "homeserver.db")
    shutil.copyfile(databases.new("sqlite").path, db.path)
    os.chown(folder, owner.pw_uid, owner.pw_gid)
    os.chown(db.path, owner.pw_uid, owner.pw_gid)
    hs = homeserver_factory(db, {"bcrypt_rounds": 4})
    r = tool.register(hs.config_path, Account("rooty"), "--print-token")
    assert r.returncode == EXIT["ok"], r.describe()
    assert db.user_row(mxid("rooty")) is not None
    for entry in folder.iterdir():
        if entry.name.startswith(db.path.name):
            st = entry.stat()
            assert st.st_uid == owner.pw_uid, f"{entry.name} is owned by uid {st.st_uid}"
    # The owner can write: sqlite3 as nobody opens the file read-write and commits.
    p = subprocess.run(["runuser", "-u", "nobody", "--", "sqlite3", str(db.path),
                        "BEGIN IMMEDIATE; UPDATE users SET admin = admin; COMMIT;"],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr


def test_split_config_with_conf_d_directory(databases, homeserver_factory, tool):
    """Debian's layout: homeserver.yaml plus conf.d/*.yaml, later files replacing earlier top-level keys.
    The pepper and cost live only in conf.d; Synapse started on the same files logs the account in."""
    db = databases.new("sqlite")
    hs = homeserver_factory(db)
    conf_d = hs.dir / "conf.d"
    conf_d.mkdir()
    (conf_d / "10-auth.yaml").write_text(yaml.safe_dump({"bcrypt_rounds": 5}))
    (conf_d / "20-auth.yaml").write_text(yaml.safe_dump({"password_config": {"pepper": PEPPER},
                                                          "bcrypt_rounds": 4}))
    acct = Account("debian")
    pw = tool.password_file(acct.password)
    r = tool.run("-c", str(hs.config_path), "-c", str(conf_d), "-u", acct.user_id, "--password-file", str(pw),
                 "--no-input")
    assert r.returncode == EXIT["ok"], r.describe()
    stored = db.user_row(acct.user_id)["password_hash"]
    assert stored.startswith("$2b$04$")
    assert bcrypt.checkpw((acct.password + PEPPER).encode(), stored.encode())
    hs.start(extra_args=["-c", str(conf_d)])
    assert hs.login("debian", acct.password).status_code == 200


def test_postgres_over_unix_socket(databases, homeserver_factory, tool):
    """`host` naming a socket directory, as in many PostgreSQL deployments; the config's args go to libpq."""
    db = databases.new("postgres")
    # The port stays: the socket file's name carries it (.s.PGSQL.<port>).
    args = dict(db.config()["args"], host=os.environ["TEST_PG_SOCKET_DIR"])
    hs = homeserver_factory(db, {"database": {"name": "psycopg2", "args": args}, "bcrypt_rounds": 4})
    acct = Account("socket")
    r = tool.register(hs.config_path, acct)
    assert r.returncode == EXIT["ok"], r.describe()
    assert db.user_row(acct.user_id) is not None


def test_database_url_as_libpq_keywords(databases, homeserver_factory, tool):
    """--database-url with a key=value conninfo string overrides the config's database."""
    db = databases.new("postgres")
    elsewhere = databases.new("postgres")
    hs = homeserver_factory(elsewhere, {"bcrypt_rounds": 4})
    pg = db.pg
    conninfo = (f"host=127.0.0.1 port={pg.port} dbname={db.name} user={pg.synapse_user} "
                f"password={pg.synapse_password}")
    before = elsewhere.snapshot()
    acct = Account("keywords")
    r = tool.register(hs.config_path, acct, "--database-url", conninfo)
    assert r.returncode == EXIT["ok"], r.describe()
    assert "password=" not in r.stderr, "the summary line shows the database password"
    assert db.user_row(acct.user_id) is not None
    assert elsewhere.snapshot() == before


@pytest.mark.parametrize("engine", ENGINES)
def test_account_validity_row_and_token_accepted(engine, databases, homeserver_factory, tool):
    """With (legacy) account validity on, Synapse writes an expiry of now + period at registration; so does the
    tool, and Synapse serves the account."""
    db = databases.new(engine)
    period_ms = 6 * 7 * 86400 * 1000
    hs = homeserver_factory(db, {"bcrypt_rounds": 4, "account_validity": {"enabled": True, "period": "6w"}})
    acct = Account("valid")
    r = tool.register(hs.config_path, acct, "--print-token")
    assert r.returncode == EXIT["ok"], r.describe()
    rows = db.query(f"SELECT expiration_ts_ms FROM account_validity WHERE user_id = {db.ph}", (acct.user_id,))
    assert len(rows) == 1
    assert abs(rows[0][0] - (time.time() * 1000 + period_ms)) < 300_000
    hs.start()
    assert hs.whoami(acct.token).status_code == 200
