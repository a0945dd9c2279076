#!/usr/bin/env bash
# Start or stop a throwaway PostgreSQL 15 cluster on a loopback port.
#
#   scripts/pg.sh start DIR [PORT]   initdb into DIR/data, start on 127.0.0.1:PORT (default: first free from 54329),
#                                    write DIR/env with TEST_PG_* variables to source
#   scripts/pg.sh stop DIR           fast shutdown; DIR is left for the caller to remove
#
# DIR must be reachable by the postgres user (a mktemp -d under /tmp, not a folder under a 0700 home).
# initdb and pg_ctl refuse to run as root, so as root they run through runuser as postgres.
# Local socket connections are trusted; TCP connections need a password (SCRAM), so code under test really
# authenticates the way a Synapse deployment does.
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_is_free() {
    python3 - "$1" <<'PY'
import socket, sys
s = socket.socket()
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
PY
}

cmd=${1:?usage: pg.sh start|stop DIR [PORT]}
dir=${2:?usage: pg.sh start|stop DIR [PORT]}

case "$cmd" in
start)
    port=${3:-}
    if [ -z "$port" ]; then
        port=54329
        while ! port_is_free "$port"; do port=$((port + 1)); done
    fi
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    chmod 0755 "$dir"
    superpw=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
    synpw=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
    pwfile="$dir/superuser.pw"
    printf '%s\n' "$superpw" >"$pwfile"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$pwfile"
    chmod 0600 "$pwfile"
    as_postgres "$PGBIN/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 --pwfile="$pwfile" >"$dir/initdb.log" 2>&1
    rm -f "$pwfile"
    # fsync off: the cluster is thrown away, and it makes CREATE DATABASE ... TEMPLATE fast.
    as_postgres "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null
    # A non-superuser role owns Synapse's databases, as in a real deployment.
    as_postgres psql -X -q -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE synapse_user LOGIN CREATEDB PASSWORD '$synpw'" >/dev/null
    cat >"$dir/env" <<ENV
export TEST_PG_PORT=$port
export TEST_PG_SOCKET_DIR=$dir
export TEST_PG_URL=postgresql://postgres:$superpw@127.0.0.1:$port/postgres
export TEST_PG_SYNAPSE_USER=synapse_user
export TEST_PG_SYNAPSE_PASSWORD=$synpw
ENV
    chmod 0600 "$dir/env"  # holds the passwords
    ;;
stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_postgres "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
    fi
    ;;
*)
    echo "usage: pg.sh start|stop DIR [PORT]" >&2
    exit 64
    ;;
esac
