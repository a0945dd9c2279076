"""Fixtures for the end-to-end suite: the built tool, fresh copies of Synapse-made databases, Synapse processes.

Environment (set by scripts/test.sh):
  RNMU_BIN                       the built register_new_matrix_user (default .build/debug/register_new_matrix_user)
  SYNAPSE_PYTHON                 python of the venv holding Synapse 1.163.2
  SYNAPSE_SQLITE_FIXTURE         homeserver.db made by that Synapse
  SYNAPSE_PG_FIXTURE_DB          PostgreSQL template database made by that Synapse
  SYNAPSE_PYTHON_OLD, SYNAPSE_SQLITE_FIXTURE_OLD, SYNAPSE_PG_FIXTURE_DB_OLD   the same for Synapse 1.95.1
  TEST_PG_URL, TEST_PG_SYNAPSE_USER, TEST_PG_SYNAPSE_PASSWORD                 the throwaway PostgreSQL server
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from harness import PG, SERVER_NAME, PostgresDB, SQLiteDB, Synapse

ROOT = Path(__file__).resolve().parents[2]

# The tool's documented exit codes (README "Exit status").
EXIT = {
    "ok": 0,
    "usage": 64,
    "config": 65,
    "user_id": 66,
    "exists": 67,
    "password": 68,
    "database": 69,
    "internal": 70,
    "partly_written": 75,
    "login_failed": 76,
    "cancelled": 130,
}

# syt_<unpadded base64 of the localpart>_<20 letters>_<6 base62 digits of a crc32>
TOKEN_RE = re.compile(r"syt_[A-Za-z0-9+/]+_[A-Za-z]{20}_[0-9A-Za-z]{6}")

ENGINES = ["sqlite", "postgres"]


def env_required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run the suite through scripts/test.sh", pytrace=False)
    return value


def mxid(localpart: str) -> str:
    return f"@{localpart}:{SERVER_NAME}"


@dataclass
class Run:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str

    @property
    def stderr_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]

    def describe(self) -> str:
        # Arguments are shown; they never hold a password (passwords go through --password-file).
        return f"exit {self.returncode}, args {self.args[1:]}\nstderr:\n{self.stderr}"


@dataclass
class Account:
    localpart: str
    password: str = field(default_factory=lambda: secrets.token_urlsafe(18), repr=False)
    token: str | None = field(default=None, repr=False)

    @property
    def user_id(self) -> str:
        return mxid(self.localpart)


class Tool:
    """Runs the built register_new_matrix_user without a terminal (stdin closed), as scripts do."""

    def __init__(self, binary: Path, workdir: Path):
        self.binary = binary
        self.workdir = workdir

    def password_file(self, password: str) -> Path:
        path = self.workdir / f"pw-{uuid.uuid4().hex}"
        # 0600: a file readable by others makes the tool warn, which is a second stderr line.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(password + "\n")
        return path

    def run(self, *args: str, cwd: Path | None = None, timeout: float = 120) -> Run:
        argv = [str(self.binary), *args]
        p = subprocess.run(argv, cwd=cwd or self.workdir, stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=timeout)
        return Run(argv, p.returncode, p.stdout, p.stderr)

    def register(self, config: Path, account: Account, *extra: str, user: str | None = None) -> Run:
        """`-c CONFIG -u USER --password-file F --no-input EXTRA...`; stores a printed token on the account."""
        pw = self.password_file(account.password)
        try:
            r = self.run("-c", str(config), "-u", user or account.user_id, "--password-file", str(pw),
                         "--no-input", *extra)
        finally:
            pw.unlink()
        if r.returncode == 0 and "--print-token" in extra:
            account.token = r.stdout.strip()
        return r


@pytest.fixture(scope="session")
def tool_binary() -> Path:
    path = Path(os.environ.get("RNMU_BIN", ROOT / ".build/debug/register_new_matrix_user"))
    if not path.is_file():
        pytest.fail(f"{path} does not exist: build the package first", pytrace=False)
    return path


@pytest.fixture(scope="session")
def synapse_python() -> str:
    return env_required("SYNAPSE_PYTHON")


@pytest.fixture(scope="session")
def pg() -> PG:
    env_required("TEST_PG_URL")
    return PG.from_env()


class Databases:
    """Fresh copies of the Synapse-made fixture databases; dropped at the end of the session."""

    def __init__(self, tmp_factory, pg: PG):
        self.tmp_factory = tmp_factory
        self.pg = pg
        self.pg_dbs: list[str] = []

    def new(self, engine: str, old: bool = False):
        suffix = "_OLD" if old else ""
        if engine == "sqlite":
            src = Path(env_required("SYNAPSE_SQLITE_FIXTURE" + suffix))
            dest = self.tmp_factory.mktemp("sqlite") / "homeserver.db"
            shutil.copyfile(src, dest)
            return SQLiteDB(dest)
        template = env_required("SYNAPSE_PG_FIXTURE_DB" + suffix)
        name = f"e2e_{uuid.uuid4().hex[:12]}"
        self.pg.create_from(name, template)
        self.pg_dbs.append(name)
        return PostgresDB(self.pg, name)

    def close(self):
        for name in self.pg_dbs:
            try:
                self.pg.drop(name)
            except Exception:
                pass


@pytest.fixture(scope="session")
def databases(tmp_path_factory, pg):
    dbs = Databases(tmp_path_factory, pg)
    yield dbs
    dbs.close()


@pytest.fixture(scope="session")
def tool(tool_binary, tmp_path_factory) -> Tool:
    return Tool(tool_binary, tmp_path_factory.mktemp("tool"))


@pytest.fixture
def homeserver_factory(tmp_path_factory, synapse_python):
    """Makes Synapse instances (config written, not started) and stops them after the test."""
    made: list[Synapse] = []

    def make(db, extra: dict | None = None, python: str | None = None) -> Synapse:
        hs = Synapse(tmp_path_factory.mktemp("hs"), python or synapse_python, db, extra)
        made.append(hs)
        return hs

    yield make
    for hs in made:
        hs.stop()


def stderr_one_line(r: Run) -> str:
    assert len(r.stderr_lines) == 1, "expected exactly one line on stderr\n" + r.describe()
    return r.stderr_lines[0]
