"""The wizard, typed into on a real terminal (tmux), then the account used through a real Synapse."""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid

import pytest

from conftest import ENGINES, Account, mxid

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Terminal:
    def __init__(self, command: str, cwd):
        self.name = f"e2e-{uuid.uuid4().hex[:8]}"
        self.done = cwd / f"{self.name}.exit"
        # A private tmux server (-L): nothing else's sessions are seen or touched. The exit status lands in a
        # file; the pane stays open so the last screen can be read.
        self.tmux = ["tmux", "-L", self.name]
        subprocess.run([*self.tmux, "new-session", "-d", "-s", self.name, "-x", "100", "-y", "32",
                        f"{command}; echo $? > {self.done}; sleep 600"], check=True, cwd=cwd)

    def keys(self, *keys: str, literal: bool = False) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, *(["-l"] if literal else []), *keys], check=True)

    def screen(self) -> str:
        return subprocess.run([*self.tmux, "capture-pane", "-p", "-t", self.name], check=True, capture_output=True,
                              text=True).stdout

    def wait_for(self, text: str, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            s = self.screen()
            if text in s:
                return s
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear; screen:\n{self.screen()}")

    def exit_status(self, timeout: float = 15) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.done.exists() and self.done.read_text().strip():
                return int(self.done.read_text())
            time.sleep(0.1)
        raise AssertionError("the program did not exit; screen:\n" + self.screen())

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)


@pytest.mark.parametrize("engine", ENGINES)
def test_wizard_account_logs_in_through_synapse(engine, databases, homeserver_factory, tool_binary, tmp_path):
    db = databases.new(engine)
    hs = homeserver_factory(db, {"bcrypt_rounds": 4})
    acct = Account("wizzy", password="correct horse battery staple 42")
    term = Terminal(f"{tool_binary} -c {hs.config_path}", tmp_path)
    try:
        term.wait_for("User ID")
        term.keys(acct.localpart, literal=True)
        term.keys("Enter")
        term.keys("Wizard Person", literal=True)
        term.keys("Enter")
        term.wait_for("Confirm")
        for _ in range(2):  # password, then its confirmation
            term.keys(acct.password, literal=True)
            term.keys("Enter")
        # Options keep their defaults; Enter moves through them to the review and then creates the account.
        for _ in range(12):
            if "Created" in term.screen():
                break
            term.keys("Enter")
            time.sleep(0.3)
        screen = term.wait_for("Created " + mxid(acct.localpart))
        assert acct.password not in screen, "the wizard shows the password"
        term.keys("Enter")
        assert term.exit_status() == 0
    finally:
        term.close()
    hs.start()
    r = hs.login(acct.localpart, acct.password)
    assert r.status_code == 200, r.text
    name = hs.get(f"/_matrix/client/v3/profile/{mxid(acct.localpart)}/displayname").json()
    assert name.get("displayname") == "Wizard Person"


def test_the_result_screen_tests_the_login_through_a_running_synapse(databases, homeserver_factory, tool_binary,
                                                                     tmp_path):
    db = databases.new("sqlite")
    hs = homeserver_factory(db, {"bcrypt_rounds": 4})
    hs.start()
    acct = Account("tested", password="correct horse battery staple 43")
    term = Terminal(f"{tool_binary} -c {hs.config_path}", tmp_path)
    try:
        term.wait_for("User ID")
        term.keys(acct.localpart, literal=True)
        term.keys("Enter")
        term.keys("Enter")
        term.wait_for("Confirm")
        for _ in range(2):
            term.keys(acct.password, literal=True)
            term.keys("Enter")
        for _ in range(12):
            if "Created" in term.screen():
                break
            term.keys("Enter")
            time.sleep(0.3)
        term.wait_for("Created " + mxid(acct.localpart))
        term.wait_for("Press t to log in")
        term.keys("t")
        screen = term.wait_for(f"Logged in at http://127.0.0.1:{hs.port}, and out again.")
        assert acct.password not in screen
        term.keys("Enter")
        assert term.exit_status() == 0
    finally:
        term.close()
    # The test's session was logged out: no device of it is left.
    assert db.query("SELECT COUNT(*) FROM devices WHERE user_id = ?", (mxid(acct.localpart),))[0][0] == 0


@pytest.mark.parametrize(("console", "engine"), [("TERM=dumb", "sqlite"), ("--prompt", "postgres")])
def test_the_prompts_account_logs_in_through_synapse(console, engine, databases, homeserver_factory, tool_binary,
                                                     tmp_path):
    """The line-by-line prompts, typed into on a console the form cannot use, make an account Synapse logs in."""
    db = databases.new(engine)
    hs = homeserver_factory(db, {"bcrypt_rounds": 4})
    acct = Account("liner", password="correct horse battery staple 44")
    prefix, flag = ("TERM=dumb", "") if console == "TERM=dumb" else ("", "--prompt")
    term = Terminal(f"{prefix} {tool_binary} {flag} -c {hs.config_path}", tmp_path)
    try:
        term.wait_for("User ID (")
        assert "\x1b" not in term.screen()
        term.keys(acct.localpart, literal=True)
        term.keys("Enter")
        term.wait_for("Display name [liner]:")
        term.keys("Line Person", literal=True)
        term.keys("Enter")
        term.wait_for("Password:")
        term.keys(acct.password, literal=True)
        term.keys("Enter")
        term.wait_for("Confirm password:")
        term.keys(acct.password, literal=True)
        term.keys("Enter")
        term.wait_for("Make admin [no]:")
        term.keys("Enter")
        term.wait_for("Create this account? [y/N]:")
        term.keys("y", literal=True)
        term.keys("Enter")
        screen = term.wait_for("Created " + mxid(acct.localpart))
        assert acct.password not in screen, "the prompts show the password"
        assert term.exit_status() == 0
    finally:
        term.close()
    hs.start()
    r = hs.login(acct.localpart, acct.password)
    assert r.status_code == 200, r.text
    name = hs.get(f"/_matrix/client/v3/profile/{mxid(acct.localpart)}/displayname").json()
    assert name.get("displayname") == "Line Person"
