#!/usr/bin/env bash
# The main job on a fresh machine: create a Matrix account directly in a real Synapse database.
#
#   bash scripts/demo.sh            (DEMO_PORT=8448 bash scripts/demo.sh to choose Synapse's port)
#
# Installs what is missing (Debian packages; Synapse 1.163.2 from PyPI into a venv under .build/), lets
# Synapse generate a homeserver.yaml and create its SQLite database in .build/demo, builds the tool, and runs it
# against that database: the wizard when run on a terminal, otherwise flag mode with a generated password
# (kept in .build/demo/demo.pw, never printed). Then, in flag mode, it starts Synapse once to log the new account
# in over HTTP, and prints how to start Synapse yourself. Synapse listens on $DEMO_PORT, or on a free port
# picked at start, so that the demo runs beside a Synapse already on 8008.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
demo="$root/.build/demo"
server_name=${DEMO_SERVER_NAME:-demo.localhost}

echo "==> Debian packages"
bash scripts/install-deps.sh

echo "==> Synapse 1.163.2 (venv under .build/e2e)"
py=$(bash scripts/synapse-env.sh 1.163.2)

# The port: the environment's, else one the kernel says is free now.
port=${DEMO_PORT:-$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
case $port in
    '' | *[!0-9]*) echo "DEMO_PORT must be a port number, not '$port'" >&2; exit 64 ;;
esac

echo "==> Synapse config and database in $demo (port $port)"
rm -rf "$demo"
mkdir -p "$demo"
# From inside the folder: the generated log config writes homeserver.log to the working directory.
(cd "$demo" && "$py" -m synapse.app.homeserver --server-name "$server_name" --config-path homeserver.yaml \
    --data-directory "$demo" --generate-config --report-stats=no >generate.log 2>&1)
# Loopback IPv4 only: some containers have no ::1.
sed -i '/^ *- ::1$/d' "$demo/homeserver.yaml"
sed -i "s/^\( *\)- port: 8008\$/\1- port: $port/; s/^\( *\)port: 8008\$/\1port: $port/" "$demo/homeserver.yaml"
grep -q "port: $port\$" "$demo/homeserver.yaml" || { echo "could not set port $port in $demo/homeserver.yaml" >&2; exit 1; }
cat >>"$demo/homeserver.yaml" <<'YAML'
# Run the initial background updates at once instead of pacing them over a minute.
background_updates:
  sleep_enabled: false
YAML
"$py" Tests/e2e/harness.py init-db --synapse-python "$py" --config "$demo/homeserver.yaml"

echo "==> Building register_new_matrix_user"
swift build --product register_new_matrix_user >"$demo/build.log" 2>&1 || { tail -n 30 "$demo/build.log"; exit 1; }
bin="$(swift build --show-bin-path)/register_new_matrix_user"

echo "==> Creating an account"
if [ -t 0 ] && [ -t 1 ]; then
    echo "$ register_new_matrix_user -c $demo/homeserver.yaml"
    status=0
    "$bin" -c "$demo/homeserver.yaml" || status=$?
    if [ "$status" -ne 64 ]; then
        echo
        echo "Start Synapse on this database and log in with the account you created:"
        echo "  $py -m synapse.app.homeserver -c $demo/homeserver.yaml"
        echo "  then point a Matrix client at http://127.0.0.1:$port"
        exit "$status"
    fi
    # 64: this build has no wizard yet and asked for the missing flags; use flag mode below.
    echo "(this build has no wizard: flag mode instead)"
fi

(umask 077 && "$py" -c 'import secrets; print(secrets.token_urlsafe(18))' >"$demo/demo.pw")
echo "$ register_new_matrix_user -c $demo/homeserver.yaml -u @demo:$server_name --password-file $demo/demo.pw --no-input -a --display-name 'Demo Admin'"
"$bin" -c "$demo/homeserver.yaml" -u "@demo:$server_name" --password-file "$demo/demo.pw" --no-input \
    -a --display-name "Demo Admin"

echo "==> Logging in through Synapse"
"$py" - "$py" "$demo/homeserver.yaml" "$demo/demo.pw" "@demo:$server_name" <<'PY'
import os, signal, subprocess, sys, time
import requests, yaml
py, config, pwfile, user = sys.argv[1:]
folder = os.path.dirname(config)
port = next(l["port"] for l in yaml.safe_load(open(config))["listeners"] if l.get("type") == "http")
url = f"http://127.0.0.1:{port}"
# Synapse's own log goes to homeserver.log (its generated log config); what it prints before
# logging starts, such as a port already in use, goes to synapse.out.
logs = f"{folder}/homeserver.log and {folder}/synapse.out"
out = open(f"{folder}/synapse.out", "w")
proc = subprocess.Popen([py, "-m", "synapse.app.homeserver", "-c", config], cwd=folder,
                        stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
try:
    for _ in range(300):
        if proc.poll() is not None:
            sys.exit(f"Synapse exited with status {proc.returncode} before it answered on {url}; see {logs}")
        try:
            if requests.get(url + "/health", timeout=2).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.2)
    else:
        sys.exit(f"Synapse did not answer on {url} within a minute; see {logs}")
    r = requests.post(url + "/_matrix/client/v3/login", json={
        "type": "m.login.password", "identifier": {"type": "m.id.user", "user": user},
        "password": open(pwfile).read().rstrip("\n")}, timeout=30)
    print(f"POST {url}/_matrix/client/v3/login -> {r.status_code}, user_id {r.json().get('user_id')}")
    sys.exit(0 if r.status_code == 200 else 1)
finally:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
PY

cat <<EOT

Done. Start Synapse on this database yourself and log in as @demo:$server_name
(the password is in $demo/demo.pw):
  $py -m synapse.app.homeserver -c $demo/homeserver.yaml
  then point a Matrix client at http://127.0.0.1:$port
EOT
