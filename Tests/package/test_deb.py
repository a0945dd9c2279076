"""The Debian package, installed into a fresh minimal Debian 12 root as an admin would install it.

The tests run in file order and share one root: install, use (flags, manual, completion, SQLite, PostgreSQL,
the form), live beside Synapse's own package, purge, and last the container way (the binary and its data
copied in without the package).
"""

from __future__ import annotations

import os
import re
import secrets
import shlex
import sqlite3
import subprocess
import time
import uuid
from pathlib import Path

import bcrypt
import pytest

from conftest import PACKAGE, DebianRoot, env_required
from harness import PostgresDB, SQLiteDB

TOKEN_RE = re.compile(r"^syt_[A-Za-z0-9+/]+_[A-Za-z]{20}_[0-9A-Za-z]{6}$")
SERVER_NAME = "example.org"

# An admin's own tools, installed before the package: the manual's reader and bash's completion loader.
# Neither brings a library the package depends on, so what the package's install pulls in is its own doing.
ADMIN_TOOLS = ["man-db", "bash-completion"]
# The package's libraries that a minimal root lacks; its install must bring each of them.
LIBRARIES_IT_BRINGS = ["libpq5", "libcurl4", "libsqlite3-0", "libncursesw6"]

# Paths whose contents change with any apt run or belong to the tests, left out of the before/after comparison.
UNTRACKED = ("proc", "dev", "tmp", "run", "root", "srv", "var/lib/apt", "var/lib/dpkg", "var/cache", "var/log",
             "etc/matrix-synapse", "var/lib/matrix-synapse")


def files_of(root: DebianRoot) -> set[str]:
    found = set()
    for directory, subdirs, names in os.walk(root.path):
        rel = os.path.relpath(directory, root.path)
        rel = "" if rel == "." else rel + "/"
        subdirs[:] = [d for d in subdirs if (rel + d) not in UNTRACKED]
        found.update(rel + name for name in names + [d for d in subdirs])
    return found


def password_file(root: DebianRoot, name: str, password: str) -> str:
    inside = f"/root/{name}.pw"
    path = root.file(inside)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(password + "\n")
    return inside


def copy_sqlite_fixture(dest: Path) -> None:
    """A consistent copy of Synapse's database (its WAL included), through SQLite's backup API."""
    source = sqlite3.connect(f"file:{env_required('SYNAPSE_SQLITE_FIXTURE')}?mode=ro", uri=True)
    target = sqlite3.connect(dest)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


class Terminal:
    """A private tmux server running one command; the pane stays open after it so its last screen can be read."""

    def __init__(self, argv: list[str], width: int = 100, height: int = 32):
        self.name = f"deb-{uuid.uuid4().hex[:8]}"
        self.tmux = ["tmux", "-L", self.name]
        subprocess.run([*self.tmux, "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
                        shlex.join(argv)], check=True)

    def keys(self, *keys: str, literal: bool = False) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, *(["-l"] if literal else []), *keys], check=True)

    def screen(self) -> str:
        return subprocess.run([*self.tmux, "capture-pane", "-p", "-t", self.name], check=True, capture_output=True,
                              text=True).stdout

    def wait_for(self, pattern: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if re.search(pattern, screen, re.M):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{pattern!r} did not appear; screen:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)


# --- Fixtures shared by the tests, in the order they happen ----------------------------------------------------


@pytest.fixture(scope="module")
def prepared(debian_root: DebianRoot) -> set[str]:
    """The admin's tools and Synapse's system user, as on a Synapse host; returns the files before the install."""
    debian_root.sh(f"apt-get install -y -qq --no-install-recommends {' '.join(ADMIN_TOOLS)} >/dev/null")
    debian_root.sh("useradd --system --user-group --home-dir /var/lib/matrix-synapse --no-create-home matrix-synapse"
                   " && mkdir -p /var/lib/matrix-synapse")
    return files_of(debian_root)


@pytest.fixture(scope="module")
def install(debian_root: DebianRoot, deb: Path, prepared) -> subprocess.CompletedProcess:
    missing = [lib for lib in LIBRARIES_IT_BRINGS if not debian_root.installed(lib)]
    assert missing == LIBRARIES_IT_BRINGS, f"the root already has {set(LIBRARIES_IT_BRINGS) - set(missing)}"
    (debian_root.file("/tmp") / deb.name).write_bytes(deb.read_bytes())
    return debian_root.sh(f"apt-get install -y --no-install-recommends ./tmp/{deb.name}")


@pytest.fixture(scope="module")
def debian_config(debian_root: DebianRoot, install) -> str:
    """Synapse's Debian layout: homeserver.yaml, conf.d/server_name.yaml, the database owned by matrix-synapse."""
    db = debian_root.file("/var/lib/matrix-synapse/homeserver.db")
    copy_sqlite_fixture(db)
    debian_root.sh("chown -R matrix-synapse:matrix-synapse /var/lib/matrix-synapse")
    conf = debian_root.file("/etc/matrix-synapse")
    (conf / "conf.d").mkdir(parents=True, exist_ok=True)
    (conf / "homeserver.yaml").write_text(
        "database:\n  name: sqlite3\n  args:\n    database: /var/lib/matrix-synapse/homeserver.db\n"
        "bcrypt_rounds: 4\n")
    (conf / "conf.d/server_name.yaml").write_text(f"server_name: {SERVER_NAME}\n")
    return "-c /etc/matrix-synapse/homeserver.yaml -c /etc/matrix-synapse/conf.d"


# --- Install ------------------------------------------------------------------------------------------------------


def test_apt_installs_the_package_with_the_libraries_it_needs(debian_root, install):
    for lib in LIBRARIES_IT_BRINGS:
        assert debian_root.installed(lib), f"{lib} was not installed with the package\n{install.stdout}"
    assert debian_root.installed(PACKAGE)
    # Nothing to build with: the package needs no toolchain and no -dev package.
    listed = debian_root.sh("dpkg-query -W -f='${Package}\\n'").stdout.split()
    assert not [p for p in listed if p.endswith("-dev") or "swift" in p or p in ("gcc", "clang", "cpp")]
    assert "not found" not in debian_root.sh("ldd /usr/bin/register_new_matrix_user").stdout
    # The libraries it opens on demand resolve inside the root as well.
    cache = debian_root.sh("ldconfig -p").stdout
    for soname in ("libpq.so.5", "libcurl.so.4"):
        assert soname in cache


def test_version_names_the_release_and_the_schemas(debian_root, install):
    r = debian_root.sh("register_new_matrix_user --version")
    first, second = r.stdout.splitlines()
    assert re.fullmatch(r"register_new_matrix_user \d+\.\d+\.\d+", first)
    assert re.search(r"schema \d+ to \d+", second)
    package_version = debian_root.sh(f"dpkg-query -W -f='${{Version}}' {PACKAGE}").stdout
    assert first.split()[1] == package_version


def test_help(debian_root, install):
    r = debian_root.sh("register_new_matrix_user --help")
    assert "USAGE: register_new_matrix_user" in r.stdout
    assert "--print-token" in r.stdout and "EXIT STATUS" in r.stdout


def test_manual_page_renders_with_its_sections(debian_root, install):
    r = debian_root.sh("MANWIDTH=80 man register_new_matrix_user 2>&1 | col -bx")
    for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "MODES", "OPTIONS", "FILES", "EXIT STATUS", "EXAMPLES",
                    "CAVEATS", "SECURITY", "SEE ALSO"):
        assert re.search(rf"^{section}$", r.stdout, re.M), f"no {section} section:\n{r.stdout[:2000]}"
    # The options and statuses are those of --help: one flag and one status as samples.
    assert "--token-validity DAYS" in r.stdout
    assert re.search(r"^ +69 +Database\s+unavailable", r.stdout, re.M)
    # The written parts (synopsis, examples) name only flags the command has.
    help_text = debian_root.sh("register_new_matrix_user --help").stdout
    named = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*[a-z]", r.stdout))
    assert named and not {flag for flag in named if flag not in help_text}
    # groff's complaints about the page itself would come out on stderr.
    assert debian_root.sh("man --warnings -l /usr/share/man/man1/register_new_matrix_user.1.gz "
                          ">/dev/null").stderr == ""


def test_bash_completes_a_flag(debian_root, install):
    # A login shell, as an admin gets one: /etc/profile.d loads bash-completion, which finds the package's file.
    term = Terminal(debian_root.chroot_argv("/bin/bash", "--login"))
    try:
        term.keys("PS1='ready> '", "Enter")
        term.wait_for(r"^ready>\s*$")
        term.keys("register_new_matrix_user --pri", literal=True)
        term.keys("Tab")
        term.wait_for(r"ready> register_new_matrix_user --print-token")
    finally:
        term.close()
    for path in ("/usr/share/zsh/vendor-completions/_register_new_matrix_user",
                 "/usr/share/fish/vendor_completions.d/register_new_matrix_user.fish"):
        assert "print-token" in debian_root.file(path).read_text()


# --- Use --------------------------------------------------------------------------------------------------------


def test_account_in_a_synapse_made_sqlite_database(debian_root, debian_config):
    password = secrets.token_urlsafe(16)
    pw = password_file(debian_root, "sqlite", password)
    r = debian_root.sh(f"register_new_matrix_user {debian_config} -u pkg-sqlite --password-file {pw} "
                       "--no-input --print-token --token-validity 1")
    token = r.stdout.strip()
    assert TOKEN_RE.match(token), r.stdout
    assert "as its owner matrix-synapse" in r.stderr
    db = SQLiteDB(debian_root.file("/var/lib/matrix-synapse/homeserver.db"))
    row = db.user_row(f"@pkg-sqlite:{SERVER_NAME}")
    assert row and bcrypt.checkpw(password.encode(), row["password_hash"].encode())
    assert db.query("SELECT user_id FROM access_tokens WHERE token = ?", (token,)) == [(f"@pkg-sqlite:{SERVER_NAME}",)]
    # Files SQLite made beside the database are Synapse's user's, not root's.
    owner = debian_root.sh("stat -c %U /var/lib/matrix-synapse/homeserver.db*").stdout.split()
    assert set(owner) == {"matrix-synapse"}


def test_account_in_postgresql_over_the_loopback(debian_root, install, pg):
    name = f"deb_{uuid.uuid4().hex[:10]}"
    pg.create_from(name, env_required("SYNAPSE_PG_FIXTURE_DB"))
    try:
        args = pg.synapse_args(name)
        conf = debian_root.file("/srv/pg/homeserver.yaml")
        conf.parent.mkdir(parents=True, exist_ok=True)
        conf.write_text(f"server_name: {SERVER_NAME}\nbcrypt_rounds: 4\ndatabase:\n  name: psycopg2\n  args:\n"
                        + "".join(f"    {k}: {v!r}\n" for k, v in args.items()))
        password = secrets.token_urlsafe(16)
        pw = password_file(debian_root, "pg", password)
        r = debian_root.sh(f"register_new_matrix_user -c /srv/pg/homeserver.yaml -u pkg-pg --password-file {pw} "
                           "--no-input --json")
        assert '"status":"created"' in r.stdout and '"engine":"postgresql"' in r.stdout
        row = PostgresDB(pg, name).user_row(f"@pkg-pg:{SERVER_NAME}")
        assert row and bcrypt.checkpw(password.encode(), row["password_hash"].encode())
    finally:
        pg.drop(name)


def test_form_opens_in_tmux_and_ctrl_c_restores_the_terminal(debian_root, debian_config):
    modes = "stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(icanon|echo|isig)$' | tr '\\n' ' '"
    script = (f"register_new_matrix_user {debian_config}; echo \"EXIT=$?\"; echo \"TTY: $({modes})\"; "
              "sleep 600")
    term = Terminal(debian_root.chroot_argv("/bin/bash", "--norc", "-c", script))
    try:
        term.wait_for("New Matrix account on example.org")
        term.keys("C-c")
        screen = term.wait_for(r"TTY: .*echo")
    finally:
        term.close()
    assert "EXIT=130" in screen
    assert "TTY: isig icanon echo" in screen, screen
    assert "New Matrix account" not in screen, "the form's screen was left behind:\n" + screen


# --- Beside Synapse's own package ---------------------------------------------------------------------------------


def stand_in_for_synapse_package(folder: Path) -> Path:
    """A package named and laid out like matrix-synapse-py3 as far as this tool is concerned: its
    register_new_matrix_user is a link from /usr/bin into its virtualenv, with a manual page beside it."""
    tree = folder / "matrix-synapse-py3"
    script = tree / "opt/venvs/matrix-synapse/bin/register_new_matrix_user"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/sh\necho \"Synapse's register_new_matrix_user (stand-in)\"\n")
    script.chmod(0o755)
    (tree / "usr/bin").mkdir(parents=True)
    (tree / "usr/bin/register_new_matrix_user").symlink_to("/opt/venvs/matrix-synapse/bin/register_new_matrix_user")
    man = tree / "usr/share/man/man1"
    man.mkdir(parents=True)
    subprocess.run(["gzip", "-9n"], input=b".TH SYNAPSE-STAND-IN 1\n", stdout=(man / "register_new_matrix_user.1.gz")
                   .open("wb"), check=True)
    (tree / "DEBIAN").mkdir()
    (tree / "DEBIAN/control").write_text(
        "Package: matrix-synapse-py3\nVersion: 1.163.2+standin\nArchitecture: all\n"
        "Maintainer: Tests <tests@example.org>\nDescription: stand-in for Synapse's package\n")
    deb = folder / "matrix-synapse-py3_standin_all.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "--build", str(tree), str(deb)], check=True,
                   capture_output=True)
    return deb


def commands(root: DebianRoot) -> dict[str, str]:
    """What each name runs and which manual page it has: "ours", "synapse" or "missing"."""
    def who(cmd: str) -> str:
        r = root.sh(f"{cmd} --version", check=False)
        return "ours" if r.stdout.startswith("register_new_matrix_user ") else \
            "synapse" if "stand-in" in r.stdout else "missing"

    def manual(name: str) -> str:
        page = root.file(f"/usr/share/man/man1/{name}.1.gz")
        if not page.exists():
            return "missing"
        text = subprocess.run(["zcat", str(page)], capture_output=True, text=True).stdout
        return "synapse" if "STAND-IN" in text else "ours"

    return {"command": who("register_new_matrix_user"), "command.synapse": who("register_new_matrix_user.synapse"),
            "man": manual("register_new_matrix_user"), "man.synapse": manual("register_new_matrix_user.synapse")}


def test_coexists_with_synapses_package_in_either_order(debian_root, deb, install, tmp_path):
    synapse_deb = stand_in_for_synapse_package(tmp_path)
    (debian_root.file("/tmp") / synapse_deb.name).write_bytes(synapse_deb.read_bytes())
    ours, theirs = f"/tmp/{deb.name}", f"/tmp/{synapse_deb.name}"
    opt_existed = debian_root.file("/opt").exists()
    both = {"command": "ours", "command.synapse": "synapse", "man": "ours", "man.synapse": "synapse"}

    # This package first, then Synapse's: Synapse's lands under the diverted names.
    debian_root.sh(f"dpkg -i {theirs}")
    assert commands(debian_root) == both
    # This one removed first: Synapse's gets its name back.
    debian_root.sh(f"dpkg -r {PACKAGE}")
    assert commands(debian_root) == {"command": "synapse", "command.synapse": "missing",
                                     "man": "synapse", "man.synapse": "missing"}
    assert debian_root.sh("dpkg-divert --list '*register_new_matrix_user*'").stdout == ""
    # Synapse's first, then this one: Synapse's is moved aside.
    debian_root.sh(f"dpkg -i {ours}")
    assert commands(debian_root) == both
    # An upgrade (the same version again) keeps the diversion.
    debian_root.sh(f"dpkg -i {ours}")
    assert commands(debian_root) == both
    # Synapse's removed first: this one keeps working.
    debian_root.sh("dpkg --purge matrix-synapse-py3")
    assert commands(debian_root) == {"command": "ours", "command.synapse": "missing",
                                     "man": "ours", "man.synapse": "missing"}
    # dpkg takes the root's empty /opt away with the stand-in, which listed it (no package owns it here).
    if opt_existed and not debian_root.file("/opt").exists():
        debian_root.file("/opt").mkdir(mode=0o755)


# --- Removal ---------------------------------------------------------------------------------------------------


def test_purge_leaves_nothing_of_it(debian_root, deb, install, prepared):
    shipped = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    debian_root.sh(f"apt-get purge -y -qq {PACKAGE} >/dev/null && apt-get autoremove --purge -y -qq >/dev/null")
    assert not debian_root.installed(PACKAGE)
    for line in shipped.splitlines():
        path = line.split()[-1].lstrip(".")
        if not line.startswith("d"):
            assert not debian_root.file(path).exists() and not debian_root.file(path).is_symlink(), path
    assert debian_root.sh("dpkg-divert --list").stdout.find("register_new_matrix_user") == -1
    assert not list(debian_root.file("/var/lib/dpkg/info").glob(f"{PACKAGE}.*"))
    # The root is as it was before the install: the libraries it brought went with it.
    assert files_of(debian_root) ^ prepared == set()


# --- The container way ------------------------------------------------------------------------------------------


def test_binary_and_data_copied_into_a_synapse_container_root(debian_root, deb, tmp_path):
    """Synapse's image (Debian 12 slim) has the libraries already and Synapse's data in /data; the binary and
    its data are copied in, as the README shows, without the package."""
    depends = subprocess.run(["dpkg-deb", "-f", str(deb), "Depends"], capture_output=True, text=True,
                             check=True).stdout
    libraries = [d.split()[0] for d in depends.split(",")]
    debian_root.sh(f"apt-get install -y -qq --no-install-recommends {' '.join(libraries)} >/dev/null")
    unpacked = tmp_path / "unpacked"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(unpacked)], check=True)
    local = debian_root.file("/usr/local")
    (local / "bin/register_new_matrix_user").write_bytes((unpacked / "usr/bin/register_new_matrix_user").read_bytes())
    (local / "bin/register_new_matrix_user").chmod(0o755)
    subprocess.run(["cp", "-r", str(unpacked / "usr/share/register_new_matrix_user"), str(local / "share/")],
                   check=True)
    # The image's volume: config and database in /data, owned by Synapse's uid 991.
    data = debian_root.file("/data")
    data.mkdir()
    copy_sqlite_fixture(data / "homeserver.db")
    (data / "homeserver.yaml").write_text(f"server_name: {SERVER_NAME}\nbcrypt_rounds: 4\ndatabase:\n"
                                          "  name: sqlite3\n  args:\n    database: /data/homeserver.db\n")
    os.chown(data, 991, 991)
    os.chown(data / "homeserver.db", 991, 991)
    password = secrets.token_urlsafe(16)
    pw = password_file(debian_root, "container", password)
    try:
        r = debian_root.sh(f"register_new_matrix_user -c /data/homeserver.yaml -u pkg-container "
                           f"--password-file {pw} --no-input --min-strength 3")
        assert "Created @pkg-container:example.org" in r.stderr
        row = SQLiteDB(data / "homeserver.db").user_row(f"@pkg-container:{SERVER_NAME}")
        assert row and bcrypt.checkpw(password.encode(), row["password_hash"].encode())
    finally:
        subprocess.run(["rm", "-rf", str(data), str(local / "bin/register_new_matrix_user"),
                        str(local / "share/register_new_matrix_user")], check=True)
