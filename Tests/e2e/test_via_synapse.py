"""Registration through a running Synapse 1.163.2 (-k/--shared-secret, --via-synapse), beside the direct write.

Every invocation of Synapse's and its Docker image's documentation is run as written there, and each account it
makes then logs in; each way the shared-secret endpoint can refuse is shown with its status and message.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import requests

from conftest import EXIT, TOKEN_RE, Account, env_required, mxid
from harness import SQLiteDB, Synapse, free_port

FAST = {"bcrypt_rounds": 4}


def sqlite_copy(tmp_path: Path) -> SQLiteDB:
    dest = tmp_path / "homeserver.db"
    shutil.copyfile(env_required("SYNAPSE_SQLITE_FIXTURE"), dest)
    return SQLiteDB(dest)


@pytest.fixture(scope="module")
def hs(tmp_path_factory, synapse_python):
    """One running Synapse with shared-secret registration on, for the invocations that succeed."""
    server = Synapse(tmp_path_factory.mktemp("hs-via"), synapse_python, sqlite_copy(tmp_path_factory.mktemp("db")),
                     dict(FAST, user_types={"extra_user_types": ["bridge"]}))
    server.start()
    yield server
    server.stop()


def error_line(r) -> str:
    """The one error line; warnings (-k and -p are visible in the process list) may stand beside it."""
    errors = [line for line in r.stderr_lines if not line.startswith("warning: ")]
    assert len(errors) == 1 and errors[0].startswith("error: "), "expected exactly one error line\n" + r.describe()
    return errors[0]


def pw_file(tool, password: str) -> str:
    return str(tool.password_file(password))


def logs_in(hs: Synapse, localpart: str, password: str) -> bool:
    r = hs.login(localpart, password)
    return r.status_code == 200 and r.json()["user_id"] == mxid(localpart)


def test_the_documented_invocations_each_make_an_account_that_logs_in(hs, tool):
    config = str(hs.config_path)
    # Synapse's documentation: `register_new_matrix_user -c homeserver.yaml http://localhost:8008`; without -k the
    # account is written to the database and the URL is ignored with a note.
    a = Account("doc_plain")
    r = tool.run("-c", config, hs.url, "-u", a.localpart, "--password-file", pw_file(tool, a.password), "--no-admin")
    assert r.returncode == 0, r.describe()
    assert any(f"ignoring '{hs.url}'" in line for line in r.stderr_lines), r.describe()
    assert logs_in(hs, a.localpart, a.password)

    # The Docker image's: `-c /data/homeserver.yaml -u NAME -p PASSWORD -a URL`.
    b = Account("doc_admin")
    r = tool.run("-c", config, "-u", b.localpart, "-p", b.password, "-a", hs.url)
    assert r.returncode == 0, r.describe()
    assert logs_in(hs, b.localpart, b.password)
    assert hs.db.user_row(mxid(b.localpart))["admin"] == 1

    # `-k SECRET -u NAME -p PASSWORD URL`: through Synapse, no config at all.
    c = Account("doc_secret")
    r = tool.run("-k", hs.shared_secret, "-u", c.localpart, "-p", c.password, hs.url)
    assert r.returncode == 0, r.describe()
    assert f"Created {c.user_id} through Synapse at {hs.url}." in r.stderr, r.describe()
    assert hs.shared_secret not in r.stderr + r.stdout
    assert logs_in(hs, c.localpart, c.password)

    # --via-synapse: the secret and the URL (the client listener) both from the config.
    d = Account("doc_config")
    r = tool.run("-c", config, "--via-synapse", "-u", d.localpart, "--password-file", pw_file(tool, d.password))
    assert r.returncode == 0, r.describe()
    assert f"through Synapse at http://127.0.0.1:{hs.port}" in r.stderr, r.describe()
    assert logs_in(hs, d.localpart, d.password)

    # --user_type bot, through Synapse: Synapse stores the type.
    e = Account("doc_bot")
    r = tool.run("-k", hs.shared_secret, "-u", e.localpart, "-p", e.password, "--user_type", "bot", hs.url)
    assert r.returncode == 0, r.describe()
    assert hs.db.user_row(mxid(e.localpart))["user_type"] == "bot"
    assert logs_in(hs, e.localpart, e.password)

    # --exists-ok on an account that exists: success, nothing changed (the old password still logs in).
    r = tool.run("-k", hs.shared_secret, "-u", c.localpart, "-p", "another password 123", "--exists-ok", hs.url)
    assert r.returncode == 0, r.describe()
    # Without -c the server's name is known only from a registration's answer: the localpart names the account.
    assert f"User {c.localpart} already exists; nothing changed." in r.stderr
    assert logs_in(hs, c.localpart, c.password)


def test_upper_case_display_name_token_and_json_through_synapse(hs, tool):
    password = "Ünïcødé pässwörd ✓ 2026"
    r = tool.run("-c", str(hs.config_path), "--via-synapse", "-u", "Zoe", "--password-file", pw_file(tool, password),
                 "--display-name", "Zoë Z", "--print-token", "--no-input", "--json")
    assert r.returncode == 0, r.describe()
    result = json.loads(r.stdout)
    assert result["status"] == "created" and result["user_id"] == mxid("zoe")
    assert result["database"] is None and result["server"] == f"http://127.0.0.1:{hs.port}"
    assert "User IDs are lower case: creating @zoe:example.org" in r.stderr
    assert TOKEN_RE.fullmatch(result["access_token"]), result
    assert hs.whoami(result["access_token"]).json()["user_id"] == mxid("zoe")
    assert hs.db.query("SELECT displayname FROM profiles WHERE full_user_id = ?", (mxid("zoe"),)) == [("Zoë Z",)]
    # The device Synapse made for the token is named as the direct write names it.
    assert hs.db.query("SELECT display_name FROM devices WHERE user_id = ? AND device_id = ?",
                       (mxid("zoe"), result["device_id"])) == [("register_new_matrix_user",)]
    assert logs_in(hs, "zoe", password)


def test_without_a_token_no_device_is_left(hs, tool):
    r = tool.run("-k", hs.shared_secret, "-u", "nodevice", "-p", "a password 4 nodevice", hs.url)
    assert r.returncode == 0, r.describe()
    assert hs.db.query("SELECT COUNT(*) FROM devices WHERE user_id = ?", (mxid("nodevice"),)) == [(0,)]


def test_an_existing_user_is_67_through_both_paths(hs, tool):
    a = Account("taken")
    assert tool.register(hs.config_path, a).returncode == 0
    direct = tool.register(hs.config_path, Account("taken"))
    assert direct.returncode == EXIT["exists"], direct.describe()
    via = tool.run("-c", str(hs.config_path), "-k", hs.shared_secret, "-u", "taken", "--password-file",
                   pw_file(tool, "some password 67"), hs.url, "--json")
    assert via.returncode == EXIT["exists"], via.describe()
    assert json.loads(via.stdout)["kind"] == "user_exists"
    assert error_line(via).startswith("error: user @taken:example.org already exists"), via.describe()


def test_dry_run_sends_nothing_and_shows_no_secret(hs, tool):
    r = tool.run("-k", hs.shared_secret, "-u", "dryrun", "-p", "dry run password 1", "-t", "bot", "--dry-run", hs.url)
    assert r.returncode == 0, r.describe()
    assert '"dryrun"' in r.stdout and "<the password>" in r.stdout and "user_type" in r.stdout
    assert hs.shared_secret not in r.stdout + r.stderr and "dry run password 1" not in r.stdout + r.stderr
    assert hs.db.user_row(mxid("dryrun")) is None


def test_the_mac_is_synapses_for_user_types_and_non_ascii_passwords(hs, tool, synapse_python):
    """Synapse's own script's MAC (from the PyPI package, in Synapse's venv) and this tool's, for the same inputs,
    are accepted by the same endpoint; and the tool's accounts log in with those passwords."""
    cases = [("mac_plain", "plain password 123", None, False),
             ("mac_bot", "pässwörd ünïcode", "bot", False),
             ("mac_bridge", "密码 пароль كلمة 🔑", "bridge", True)]
    for localpart, password, user_type, admin in cases:
        args = ["-k", hs.shared_secret, "-u", localpart, "--password-file", pw_file(tool, password), hs.url]
        if user_type:
            args += ["-t", user_type]
        if admin:
            args.append("-a")
        r = tool.run(*args)
        assert r.returncode == 0, r.describe()
        assert logs_in(hs, localpart, password), localpart
        row = hs.db.user_row(mxid(localpart))
        assert (row["user_type"], row["admin"]) == (user_type, int(admin))
    # The same MAC computed by Synapse's script's own function for one of these inputs registers too, which shows
    # that the inputs above meet the same computation.
    code = (
        "import sys\n"
        "from synapse._scripts.register_new_matrix_user import request_registration\n"
        "request_registration(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], admin=False, user_type='bot',"
        " _print=lambda m: None)\n"
    )
    subprocess.run([synapse_python, "-c", code, "mac_script", "pässwörd ünïcode", hs.url, hs.shared_secret],
                   check=True, timeout=60)
    assert logs_in(hs, "mac_script", "pässwörd ünïcode")


def test_a_wrong_secret_is_69_and_names_the_fix(hs, tool):
    r = tool.run("-k", "not-the-secret", "-u", "wrongsecret", "-p", "wrong secret pw 1", hs.url, "--json")
    assert r.returncode == EXIT["database"], r.describe()
    line = error_line(r)
    assert "refused the shared secret (HMAC incorrect)" in line and "registration_shared_secret" in line, line
    assert "not-the-secret" not in r.stderr + r.stdout
    assert json.loads(r.stdout)["kind"] == "wrong_shared_secret"
    assert hs.db.user_row(mxid("wrongsecret")) is None


def test_shared_secret_registration_switched_off(tmp_path, synapse_python, tool):
    db = sqlite_copy(tmp_path)
    server = Synapse(tmp_path / "hs", synapse_python, db, FAST)
    del server.config["registration_shared_secret"]
    server.write_config()
    server.start()
    try:
        r = tool.run("-k", "whatever-secret", "-u", "off", "-p", "switched off pw 1", server.url)
        assert r.returncode == EXIT["database"], r.describe()
        line = error_line(r)
        assert "shared-secret registration switched off" in line and "registration_shared_secret" in line, line
        # --via-synapse on that config: the missing keys are named, before any request.
        r = tool.run("-c", str(server.config_path), "--via-synapse", "-u", "off", "-p", "switched off pw 1")
        assert r.returncode == EXIT["config"], r.describe()
        line = error_line(r)
        assert "registration_shared_secret" in line and "registration_shared_secret_path" in line, line
        assert db.user_row(mxid("off")) is None
    finally:
        server.stop()


def test_the_secret_from_registration_shared_secret_path(tmp_path, synapse_python, tool):
    db = sqlite_copy(tmp_path)
    server = Synapse(tmp_path / "hs", synapse_python, db, FAST)
    secret_file = tmp_path / "secret"
    secret_file.write_text(server.config.pop("registration_shared_secret") + "\n")
    server.config["registration_shared_secret_path"] = str(secret_file)
    server.write_config()
    server.start()
    try:
        r = tool.run("-c", str(server.config_path), "--via-synapse", "-u", "frompath", "-p", "from path pw 12")
        assert r.returncode == 0, r.describe()
        assert logs_in(server, "frompath", "from path pw 12")
    finally:
        server.stop()


def test_synapse_down_is_69_and_names_the_url_and_listener(tmp_path, tool):
    url = f"http://127.0.0.1:{free_port()}"
    r = tool.run("-k", "some-secret", "-u", "down", "-p", "synapse down pw 1", url)
    assert r.returncode == EXIT["database"], r.describe()
    line = error_line(r)
    assert f"nothing answered at {url}" in line and "listener" in line, line


def test_a_self_signed_tls_listener_is_69_and_names_the_host(tmp_path, synapse_python, tool):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    tls_port = free_port()
    server = Synapse(tmp_path / "hs", synapse_python, sqlite_copy(tmp_path), dict(
        FAST, tls_certificate_path=str(cert), tls_private_key_path=str(key)))
    server.config["listeners"].append({
        "port": tls_port, "tls": True, "type": "http", "bind_addresses": ["127.0.0.1"],
        "resources": [{"names": ["client"], "compress": False}]})
    server.write_config()
    server.start()
    try:
        # The listener does serve TLS: with its certificate trusted, the endpoint answers.
        assert requests.get(f"https://localhost:{tls_port}/_synapse/admin/v1/register", verify=str(cert),
                            timeout=30).status_code == 200
        r = tool.run("-k", server.shared_secret, "-u", "tls", "-p", "tls test pw 123", f"https://localhost:{tls_port}")
        assert r.returncode == EXIT["database"], r.describe()
        line = error_line(r)
        assert line.startswith("error: TLS verification of localhost failed:") and "certificate" in line, line
        assert server.db.user_row(mxid("tls")) is None
    finally:
        server.stop()


def test_flags_that_need_the_database_are_refused_with_k(tool):
    for extra, flag in [(["--backup"], "--backup"), (["--print-token", "--token-validity", "3", "--no-input"],
                                                      "--token-validity"),
                        (["--database-url", "sqlite:/tmp/x.db"], "--database-url")]:
        r = tool.run("-k", "s3cret-value", "-u", "x", "-p", "pw refused 123", *extra, "http://127.0.0.1:9")
        assert r.returncode == EXIT["usage"], r.describe()
        line = error_line(r)
        assert flag in line and "s3cret-value" not in line, line


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_the_form_registers_through_synapse_and_says_availability_waits_for_create(hs, tool_binary, tmp_path):
    from test_wizard import Terminal

    taken = Account("formtaken")
    assert hs.register_shared_secret(taken.localpart, taken.password).status_code == 200
    acct = Account("formvia", password="correct horse battery staple 44")
    term = Terminal(f"{tool_binary} -c {hs.config_path} --via-synapse", tmp_path)
    try:
        term.wait_for("User ID")
        # Synapse answers register/available only with enable_registration on, which this server has off.
        term.keys(taken.localpart, literal=True)
        term.keys("Tab")
        screen = term.wait_for("@formtaken:example.org: Synapse checks it at Create")
        assert "Could not check availability" not in screen
        term.keys("BTab")
        term.keys("C-u")
        term.keys(acct.localpart, literal=True)
        term.keys("Tab")
        term.keys("Form Via", literal=True)
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
        screen = term.wait_for("Created " + mxid(acct.localpart))
        assert acct.password not in screen and hs.shared_secret not in screen
        term.keys("Enter")
        assert term.exit_status() == 0
    finally:
        term.close()
    assert logs_in(hs, acct.localpart, acct.password)
    assert hs.db.query("SELECT displayname FROM profiles WHERE full_user_id = ?", (mxid(acct.localpart),)) == [("Form Via",)]


def test_verify_login_after_a_registration_through_synapse(hs, tool):
    r = tool.run("-k", hs.shared_secret, "-u", "verified_via", "--password-file", pw_file(tool, "verify via pw 12"),
                 hs.url, "--verify-login", "--json")  # a bare --verify-login checks at the URL registered at
    assert r.returncode == 0, r.describe()
    assert json.loads(r.stdout)["login"] == "logged_in"
    # Neither the registration (inhibit_login) nor the check (logged out) left a device.
    assert hs.db.query("SELECT COUNT(*) FROM devices WHERE user_id = ?", (mxid("verified_via"),)) == [(0,)]


def test_the_oldest_supported_synapse_takes_the_same_request(tmp_path, tool):
    """Synapse 1.95.1's endpoint: the display name, a user type, inhibit_login and a token all as on 1.163.2."""
    dest = tmp_path / "homeserver.db"
    shutil.copyfile(env_required("SYNAPSE_SQLITE_FIXTURE_OLD"), dest)
    server = Synapse(tmp_path / "hs", env_required("SYNAPSE_PYTHON_OLD"), SQLiteDB(dest), FAST)
    server.start()
    try:
        password = "ältere Version ✓ 195"
        r = tool.run("-c", str(server.config_path), "--via-synapse", "-u", "oldbot", "--password-file",
                     pw_file(tool, password), "-t", "bot", "--display-name", "Old Bot", "--print-token", "--no-input")
        assert r.returncode == 0, r.describe()
        assert server.whoami(r.stdout.strip()).json()["user_id"] == mxid("oldbot")
        assert logs_in(server, "oldbot", password)
        assert server.db.user_row(mxid("oldbot"))["user_type"] == "bot"
        r = tool.run("-c", str(server.config_path), "--via-synapse", "-u", "oldplain", "-p", "old plain pw 12")
        assert r.returncode == 0, r.describe()
        assert server.db.query("SELECT COUNT(*) FROM devices WHERE user_id = ?", (mxid("oldplain"),)) == [(0,)]
    finally:
        server.stop()


def test_generated_password_and_local_password_rules_through_synapse(hs, tool):
    r = tool.run("-c", str(hs.config_path), "--via-synapse", "-u", "generated_via", "--generate-password", "--json")
    assert r.returncode == 0, r.describe()
    result = json.loads(r.stdout)
    assert logs_in(hs, "generated_via", result["password"])
    # --min-strength is this tool's rule, applied before Synapse is asked: 68, nothing registered.
    r = tool.run("-c", str(hs.config_path), "--via-synapse", "-u", "weak_via", "--password-file",
                 pw_file(tool, "password1"), "--min-strength", "3")
    assert r.returncode == EXIT["password"], r.describe()
    assert "below --min-strength 3" in error_line(r)
    assert hs.db.user_row(mxid("weak_via")) is None
