"""Drive a real Synapse for the end-to-end tests and for making fixture databases.

Used two ways:
  * as a library by the pytest suite (conftest.py), run with the Python of the newest Synapse's venv;
  * as a command, `python harness.py make-fixture ...`, by scripts/make-fixtures.sh, to create a database that a
    real Synapse made: start Synapse on an empty database, wait for its schema and background updates, stop it.

Synapse always runs from the Python of its own venv (`synapse_python`), so one harness drives any Synapse version.
Synapse listens on 127.0.0.1 only, on a port picked free at start.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

import requests
import yaml

SERVER_NAME = "example.org"

# Tables the account writer touches; their full contents are compared "before and after" a refused run.
ACCOUNT_TABLES = [
    "users",
    "profiles",
    "user_stats_current",
    "user_directory",
    "user_directory_search",
    "devices",
    "access_tokens",
    "account_validity",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------------------------------
# PostgreSQL


class PG:
    """The throwaway PostgreSQL server started by scripts/pg.sh, reached as superuser through TEST_PG_URL."""

    def __init__(self, url: str, synapse_user: str, synapse_password: str):
        import psycopg2.extensions

        self.url = url
        self.dsn = psycopg2.extensions.parse_dsn(url)
        self.host = self.dsn.get("host", "127.0.0.1")
        self.port = int(self.dsn.get("port", 5432))
        self.synapse_user = synapse_user
        self.synapse_password = synapse_password

    @classmethod
    def from_env(cls) -> "PG | None":
        url = os.environ.get("TEST_PG_URL")
        if not url:
            return None
        return cls(url, os.environ["TEST_PG_SYNAPSE_USER"], os.environ["TEST_PG_SYNAPSE_PASSWORD"])

    def connect(self, dbname: str = "postgres"):
        import psycopg2

        dsn = dict(self.dsn)
        dsn["dbname"] = dbname
        conn = psycopg2.connect(**dsn)
        return conn

    def admin(self, sql: str) -> None:
        """Run one statement outside a transaction (CREATE/DROP DATABASE need that)."""
        conn = self.connect()
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(sql)
        finally:
            conn.close()

    def create_empty(self, name: str) -> None:
        # Synapse requires UTF8 with C collation; template0 because template1 may carry another locale.
        self.admin(
            f'CREATE DATABASE "{name}" OWNER {self.synapse_user} ENCODING \'UTF8\' '
            f"LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0"
        )

    def create_from(self, name: str, template: str) -> None:
        self.admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}" OWNER {self.synapse_user}')

    def drop(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def synapse_args(self, dbname: str) -> dict:
        """Synapse's `database.args`: libpq keywords, as an admin writes them."""
        return {
            "user": self.synapse_user,
            "password": self.synapse_password,
            "dbname": dbname,
            "host": self.host,
            "port": self.port,
            "cp_min": 1,
            "cp_max": 5,
        }

    def url_for(self, dbname: str) -> str:
        return (
            f"postgresql://{self.synapse_user}:{urllib.parse.quote(self.synapse_password)}"
            f"@{self.host}:{self.port}/{dbname}"
        )


# ---------------------------------------------------------------------------------------------------------------
# Databases under test


class Database:
    """One Synapse database, SQLite file or PostgreSQL database, with read access for the checks."""

    engine: str

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        raise NotImplementedError

    def execute(self, sql: str, params: tuple = ()) -> None:
        raise NotImplementedError

    def config(self) -> dict:
        raise NotImplementedError

    def url(self) -> str:
        raise NotImplementedError

    def tables(self) -> list[str]:
        raise NotImplementedError

    def snapshot(self) -> dict[str, Any]:
        """Every row of the account tables plus the row count of every table: equal snapshots mean unchanged."""
        tables = self.tables()
        statements = [f"SELECT * FROM {t}" for t in ACCOUNT_TABLES if t in tables]
        statements += [f"SELECT COUNT(*) FROM {t}" for t in tables]
        results = self.query_many(statements)  # one connection: a snapshot reads a few hundred tables
        snap: dict[str, Any] = {}
        for sql, rows in zip(statements, results):
            snap[sql] = rows[0][0] if sql.startswith("SELECT COUNT") else sorted(repr(r) for r in rows)
        return snap

    def query_many(self, statements: list[str]) -> list[list[tuple]]:
        raise NotImplementedError

    def user_row(self, user_id: str) -> dict | None:
        cols = self.columns("users")
        rows = self.query(f"SELECT {', '.join(cols)} FROM users WHERE name = {self.ph}", (user_id,))
        return dict(zip(cols, rows[0])) if rows else None

    def columns(self, table: str) -> list[str]:
        raise NotImplementedError

    ph = "?"


class SQLiteDB(Database):
    engine = "sqlite"
    ph = "?"

    def __init__(self, path: Path):
        self.path = Path(path)

    def _conn(self):
        # Read-only URI: the checks must never create -wal/-shm files or change the file.
        return sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=10)

    def query(self, sql, params=()):
        conn = self._conn()
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    def query_many(self, statements):
        conn = self._conn()
        try:
            return [conn.execute(sql).fetchall() for sql in statements]
        finally:
            conn.close()

    def execute(self, sql, params=()):
        conn = sqlite3.connect(self.path, timeout=10)
        try:
            conn.execute(sql, params)
            conn.commit()
        finally:
            conn.close()

    def tables(self):
        return [r[0] for r in self.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                if not r[0].startswith("sqlite_") and "_content" not in r[0] and not r[0].endswith(
                    ("_segments", "_segdir", "_docsize", "_stat"))]

    def columns(self, table):
        return [r[1] for r in self.query(f"PRAGMA table_info({table})")]

    def config(self):
        return {"name": "sqlite3", "args": {"database": str(self.path)}}

    def url(self):
        return f"sqlite://{self.path}"


class PostgresDB(Database):
    engine = "postgres"
    ph = "%s"

    def __init__(self, pg: PG, name: str):
        self.pg = pg
        self.name = name

    def query(self, sql, params=()):
        conn = self.pg.connect(self.name)
        try:
            with conn.cursor() as cur:
                cur.execute(sql, params)
                return cur.fetchall()
        finally:
            conn.close()

    def query_many(self, statements):
        conn = self.pg.connect(self.name)
        try:
            out = []
            with conn.cursor() as cur:
                for sql in statements:
                    cur.execute(sql)
                    out.append(cur.fetchall())
            return out
        finally:
            conn.close()

    def execute(self, sql, params=()):
        conn = self.pg.connect(self.name)
        try:
            with conn.cursor() as cur:
                cur.execute(sql, params)
            conn.commit()
        finally:
            conn.close()

    def tables(self):
        return [r[0] for r in self.query(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name")]

    def columns(self, table):
        return [r[0] for r in self.query(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position", (table,))]

    def config(self):
        return {"name": "psycopg2", "args": self.pg.synapse_args(self.name)}

    def url(self):
        return self.pg.url_for(self.name)

    def drop(self):
        self.pg.drop(self.name)


def pending_background_updates(db: Database) -> int:
    return db.query("SELECT COUNT(*) FROM background_updates")[0][0]


# ---------------------------------------------------------------------------------------------------------------
# Synapse


def make_signing_key(synapse_python: str, path: Path) -> None:
    """A signing key written by Synapse's own key library (signedjson, a Synapse dependency)."""
    code = (
        "import sys\n"
        "from signedjson.key import generate_signing_key, write_signing_keys\n"
        "with open(sys.argv[1], 'w') as f:\n"
        "    write_signing_keys(f, [generate_signing_key('a_e2e')])\n"
    )
    subprocess.run([synapse_python, "-c", code, str(path)], check=True)


class Synapse:
    """A Synapse homeserver process in its own folder, with a config written from a dict."""

    def __init__(self, workdir: Path, synapse_python: str, db: Database, extra: dict | None = None):
        self.dir = Path(workdir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.python = synapse_python
        self.db = db
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.shared_secret = secrets.token_urlsafe(24)
        self.config_path = self.dir / "homeserver.yaml"
        self.log_path = self.dir / "homeserver.log"
        self.stdout_path = self.dir / "synapse.stdout"
        key = self.dir / "signing.key"
        if not key.exists():
            make_signing_key(self.python, key)
        self.config: dict = self.base_config()
        if extra:
            self.config.update(extra)
        self.write_config()

    def base_config(self) -> dict:
        log_config = self.dir / "log.config"
        log_config.write_text(yaml.safe_dump({
            "version": 1,
            "formatters": {"precise": {"format": "%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - %(message)s"}},
            "handlers": {"file": {"class": "logging.FileHandler", "formatter": "precise",
                                  "filename": str(self.log_path), "encoding": "utf8"}},
            "root": {"level": "INFO", "handlers": ["file"]},
            "disable_existing_loggers": False,
        }))
        relaxed = {"per_second": 1000, "burst_count": 1000}
        return {
            "server_name": SERVER_NAME,
            "pid_file": str(self.dir / "homeserver.pid"),
            "listeners": [{
                "port": self.port,
                "tls": False,
                "type": "http",
                "x_forwarded": False,
                "bind_addresses": ["127.0.0.1"],
                "resources": [{"names": ["client"], "compress": False}],
            }],
            "database": self.db.config(),
            "log_config": str(log_config),
            "media_store_path": str(self.dir / "media_store"),
            "signing_key_path": str(self.dir / "signing.key"),
            "registration_shared_secret": self.shared_secret,
            "macaroon_secret_key": secrets.token_urlsafe(32),
            "form_secret": secrets.token_urlsafe(32),
            "report_stats": False,
            "enable_registration": False,
            "trusted_key_servers": [],
            "suppress_key_server_warning": True,
            # The initial background updates then finish in about a second instead of minutes.
            "background_updates": {"sleep_enabled": False},
            "user_directory": {"search_all_users": True},
            # Many logins from one address in a few seconds: keep the rate limiter out of the way.
            "rc_login": {"address": relaxed, "account": relaxed, "failed_attempts": relaxed},
        }

    def write_config(self) -> Path:
        self.config_path.write_text(yaml.safe_dump(self.config, sort_keys=False))
        return self.config_path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self, timeout: float = 120, extra_args: list[str] | None = None) -> None:
        assert not self.running
        out = open(self.stdout_path, "ab")
        self.proc = subprocess.Popen(
            [self.python, "-m", "synapse.app.homeserver", "-c", str(self.config_path), *(extra_args or [])],
            cwd=self.dir, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        out.close()
        pidfile = os.environ.get("E2E_PIDFILE")
        if pidfile:  # lets the test command end a Synapse that outlived a killed test run
            with open(pidfile, "a") as f:
                f.write(f"{self.proc.pid}\n")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Synapse exited with {self.proc.returncode} during start\n{self.log_tail()}")
            try:
                if requests.get(self.url + "/health", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"Synapse did not answer /health within {timeout}s\n{self.log_tail()}")

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def log_tail(self, n: int = 60) -> str:
        parts = []
        for p in (self.stdout_path, self.log_path):
            if p.exists():
                lines = p.read_text(errors="replace").splitlines()[-n:]
                parts.append(f"--- {p} ---\n" + "\n".join(lines))
        return "\n".join(parts)

    def wait_background_updates(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if pending_background_updates(self.db) == 0:
                return
            if not self.running:
                raise RuntimeError("Synapse stopped before its background updates finished\n" + self.log_tail())
            time.sleep(0.3)
        raise RuntimeError("background updates still pending after %ss" % timeout)

    # --- HTTP ------------------------------------------------------------------------------------------------

    def login(self, user: str, password: str) -> requests.Response:
        return requests.post(self.url + "/_matrix/client/v3/login", json={
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": user},
            "password": password,
        }, timeout=30)

    def whoami(self, token: str) -> requests.Response:
        return requests.get(self.url + "/_matrix/client/v3/account/whoami",
                            headers={"Authorization": f"Bearer {token}"}, timeout=30)

    def get(self, path: str, token: str | None = None) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return requests.get(self.url + path, headers=headers, timeout=30)

    def post(self, path: str, body: dict, token: str | None = None) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return requests.post(self.url + path, json=body, headers=headers, timeout=30)

    def register_shared_secret(self, username: str, password: str, admin: bool = False) -> requests.Response:
        """Synapse's own registration (the admin API its register_new_matrix_user uses); issues a token too."""
        import hashlib
        import hmac

        nonce = requests.get(self.url + "/_synapse/admin/v1/register", timeout=30).json()["nonce"]
        mac = hmac.new(self.shared_secret.encode(), digestmod=hashlib.sha1)
        mac.update(b"\x00".join([nonce.encode(), username.encode(), password.encode(),
                                  b"admin" if admin else b"notadmin"]))
        return self.post("/_synapse/admin/v1/register", {
            "nonce": nonce, "username": username, "password": password, "admin": admin, "mac": mac.hexdigest(),
        })


# ---------------------------------------------------------------------------------------------------------------
# Fixture databases


def make_fixture(args: argparse.Namespace) -> None:
    out = Path(args.out).resolve()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    if args.engine == "sqlite":
        db: Database = SQLiteDB(out / "homeserver.db")
    else:
        pg = PG.from_env()
        if pg is None:
            sys.exit("TEST_PG_URL is not set")
        pg.drop(args.dbname)
        pg.create_empty(args.dbname)
        db = PostgresDB(pg, args.dbname)
    hs = Synapse(out / "synapse", args.synapse_python, db)
    t0 = time.monotonic()
    try:
        hs.start()
        hs.wait_background_updates()
    finally:
        hs.stop()
    if args.engine == "postgres":
        # Tests copy it with CREATE DATABASE ... TEMPLATE; marking it a template documents that.
        db.pg.admin(f'ALTER DATABASE "{args.dbname}" IS_TEMPLATE true')
    else:
        for suffix in ("-wal", "-shm", "-journal"):
            if Path(str(db.path) + suffix).exists():
                sys.exit(f"{db.path}{suffix} left behind after Synapse stopped")
    version, compat = db.query("SELECT version FROM schema_version")[0][0], \
        db.query("SELECT compat_version FROM schema_compat_version")[0][0]
    info = {"engine": args.engine, "schema_version": version, "compat_version": compat,
            "seconds": round(time.monotonic() - t0, 1)}
    (out / "fixture.json").write_text(json.dumps(info) + "\n")
    print(json.dumps(info))


def init_db(args: argparse.Namespace) -> None:
    """Start Synapse with an existing config (as generated by --generate-config) until its SQLite database is
    complete, then stop it."""
    config = yaml.safe_load(Path(args.config).read_text())
    db = SQLiteDB(Path(config["database"]["args"]["database"]))
    port = next(li["port"] for li in config["listeners"] if li.get("type") == "http")
    folder = Path(args.config).resolve().parent
    # What Synapse prints before its logging starts (a port in use, a bad config) goes to synapse.out;
    # the rest goes to the log its generated log config names, homeserver.log in its working folder.
    out_path = folder / "synapse.out"
    logs = f"{folder / 'homeserver.log'} and {out_path}"
    out = out_path.open("w")
    proc = subprocess.Popen([args.synapse_python, "-m", "synapse.app.homeserver", "-c", args.config],
                            cwd=folder, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                last = [line for line in out_path.read_text(errors="replace").splitlines() if line.strip()][-1:]
                sys.exit(f"Synapse exited with status {proc.returncode} before it answered on port {port}"
                         + (f" ({last[0].strip()[:160]})" if last else "") + f"; see {logs}")
            try:
                if requests.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200 \
                        and pending_background_updates(db) == 0:
                    break
            except (requests.RequestException, sqlite3.Error):
                pass
            if time.monotonic() > deadline:
                sys.exit(f"Synapse did not finish creating its database within 120 s; see {logs}")
            time.sleep(0.3)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("make-fixture", help="create a database with a real Synapse")
    f.add_argument("--synapse-python", required=True)
    f.add_argument("--engine", choices=["sqlite", "postgres"], required=True)
    f.add_argument("--out", required=True, help="folder for the SQLite file, Synapse's config and logs")
    f.add_argument("--dbname", help="PostgreSQL database name (postgres engine)")
    i = sub.add_parser("init-db", help="run Synapse once on a config so that it creates its SQLite database")
    i.add_argument("--synapse-python", required=True)
    i.add_argument("--config", required=True)
    args = p.parse_args()
    if args.cmd == "init-db":
        init_db(args)
        return
    if args.cmd == "make-fixture":
        if args.engine == "postgres" and not args.dbname:
            p.error("--dbname is required for postgres")
        make_fixture(args)


if __name__ == "__main__":
    main()
