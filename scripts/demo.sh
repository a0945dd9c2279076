#!/usr/bin/env bash
# The main job on a fresh machine: create a Matrix account directly in a real Synapse database.
#
#   bash scripts/demo.sh
#
# Installs what is missing (Debian packages; Synapse 1.163.2 from PyPI into a venv under .build/), lets
# Synapse generate a homeserver.yaml and create its SQLite database in .build/demo, builds the tool, and runs it
# against that database: the wizard when run on a terminal, otherwise flag mode with a generated password
# (kept in .build/demo/demo.pw, never printed). Then, in flag mode, it starts Synapse once to log the new account
# in over HTTP, and prints how to start Synapse yourself.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
demo="$root/.build/demo"
server_name=${DEMO_SERVER_NAME:-demo.localhost}

echo "==> Debian packages"
bash scripts/install-deps.sh

echo "==> Synapse 1.163.2 (venv under .build/e2e)"
py=$(bash scripts/synapse-env.sh 1.163.2)

echo "==> Synapse config and database in $demo"
rm -rf "$demo"
mkdir -p "$demo"
# From inside the folder: the generated log config writes homeserver.log to the working directory.
(cd "$demo" && "$py" -m synapse.app.homeserver --server-name "$server_name" --config-path homeserver.yaml \
    --data-directory "$demo" --generate-config --report-stats=no >generate.log 2>&1)
# Loopback IPv4 only: some containers have no ::1.
sed -i '/^ *- ::1$/d' "$demo/homeserver.yaml"
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
        echo "  then point a Matrix client at http://127.0.0.1:8008"
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
import signal, subprocess, sys, time
import requests, yaml
py, config, pwfile, user = sys.argv[1:]
port = next(l["port"] for l in yaml.safe_load(open(config))["listeners"] if l.get("type") == "http")
url = f"http://127.0.0.1:{port}"
proc = subprocess.Popen([py, "-m", "synapse.app.homeserver", "-c", config], cwd=sys.argv[2].rsplit("/", 1)[0],
                        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
try:
    for _ in range(300):
        try:
            if requests.get(url + "/health", timeout=2).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.2)
    r = requests.post(url + "/_matrix/client/v3/login", json={
        "type": "m.login.password", "identifier": {"type": "m.id.user", "user": user},
        "password": open(pwfile).read().rstrip("\n")}, timeout=30)
    print(f"POST {url}/_matrix/client/v3/login -> {r.status_code}, user_id {r.json().get('user_id')}")
    sys.exit(0 if r.status_code == 200 else 1)
finally:
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
PY

cat <<EOT

Done. Start Synapse on this database yourself and log in as @demo:$server_name
(the password is in $demo/demo.pw):
  $py -m synapse.app.homeserver -c $demo/homeserver.yaml
  then point a Matrix client at http://127.0.0.1:8008
EOT
