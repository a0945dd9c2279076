#!/usr/bin/env bash
# Make (once) a Python virtual environment holding one Synapse release, under the build folder.
#
#   scripts/synapse-env.sh VERSION      prints the venv's python path on stdout
#
# Each release is installed with the dependencies PyPI had shortly after that release (pip's
# --uploaded-prior-to): an old Synapse does not import with today's dependencies, and pinning the newest one the
# same way keeps the test run from changing under us when a dependency publishes a breaking release.
# A stamp file records what was installed, so a re-run with an intact venv costs nothing.
set -euo pipefail

version=${1:?usage: synapse-env.sh VERSION}
root=$(cd "$(dirname "$0")/.." && pwd)

case "$version" in
    1.163.2) prior=2026-11-27T00:00:00Z; extra="pytest requests" ;;   # also runs the e2e suite
    1.95.1)  prior=2023-11-02T00:00:00Z; extra="" ;;                          # released 2023-10-31
    *) echo "synapse-env.sh: no dependency date known for Synapse $version" >&2; exit 64 ;;
esac

venv="$root/.build/e2e/venv-$version"
stamp="$venv/.installed"
want="matrix-synapse==$version psycopg2-binary $extra --uploaded-prior-to $prior"

if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    echo "$venv/bin/python"
    exit 0
fi

rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
python3 -m venv "$venv" >&2
# pip >= 25 is needed for --uploaded-prior-to; the pip that venv bundles may be older.
"$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >&2
# shellcheck disable=SC2086  # $want is a word list on purpose
"$venv/bin/python" -m pip install -q --disable-pip-version-check $want >&2
"$venv/bin/python" -c 'import synapse.app.homeserver' >&2
printf '%s' "$want" >"$stamp"
echo "$venv/bin/python"
