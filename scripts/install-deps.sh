#!/usr/bin/env bash
# Install the Debian packages that building, testing and the demo need, when any is missing.
# C libraries the package links or loads (the headers of libcurl and libcrypto, which are dlopen'ed for HTTP and the shared-secret HMAC), a PostgreSQL server for the tests, sqlite3 and tmux for tests,
# python3-venv for the Synapse venvs, GNU time for the memory benchmark, openssl for a test's self-signed certificate,
# debootstrap and lintian for the Debian package and its test.
# apt runs only when something is missing (it is the slow part of a re-run).
set -euo pipefail

packages=(build-essential libncurses-dev libpq-dev libsqlite3-dev libcrypt-dev libyaml-dev libcurl4-openssl-dev libssl-dev
          postgresql-15 postgresql-client-15 sqlite3 tmux python3-venv time openssl
          debootstrap lintian zsh fish)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
    echo "missing Debian packages (run as root, or install them): ${missing[*]}" >&2
    exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# policy-rc.d may stop postgresql's post-install from starting Debian's own cluster; the tests start their own.
apt-get install -y -qq --no-install-recommends "${missing[@]}"
