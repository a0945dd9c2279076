#!/usr/bin/env bash
# Create databases made by a real Synapse, for the Swift tests and the end-to-end suite:
# for each Synapse release, an SQLite file and a PostgreSQL template database, each made by starting that
# Synapse on an empty database and stopping it once its schema and background updates are done.
#
#   scripts/make-fixtures.sh OUT_DIR     (TEST_PG_* from scripts/pg.sh must be in the environment)
#
# Writes OUT_DIR/env with the exports the tests read.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: make-fixtures.sh OUT_DIR}
: "${TEST_PG_URL:?TEST_PG_URL is not set: start scripts/pg.sh first}"
mkdir -p "$out"

# The harness runs on the newest venv; each Synapse runs from its own.
harness_py=$(bash "$root/scripts/synapse-env.sh" 1.163.2)
env_file="$out/env"
: >"$env_file"

for version in 1.163.2 1.95.1; do
    syn_py=$(bash "$root/scripts/synapse-env.sh" "$version")
    tag=${version//./_}
    "$harness_py" "$root/Tests/e2e/harness.py" make-fixture --synapse-python "$syn_py" \
        --engine sqlite --out "$out/$version-sqlite"
    "$harness_py" "$root/Tests/e2e/harness.py" make-fixture --synapse-python "$syn_py" \
        --engine postgres --out "$out/$version-postgres" --dbname "synapse_fixture_$tag"
    suffix=""
    [ "$version" = 1.163.2 ] || suffix=_OLD
    {
        echo "export SYNAPSE_SQLITE_FIXTURE$suffix=$out/$version-sqlite/homeserver.db"
        echo "export SYNAPSE_PG_FIXTURE_DB$suffix=synapse_fixture_$tag"
        echo "export SYNAPSE_PYTHON$suffix=$syn_py"
        echo "export SYNAPSE_VERSION$suffix=$version"
    } >>"$env_file"
done
echo "export SYNAPSE_FIXTURE_SERVER_NAME=example.org" >>"$env_file"
echo "export E2E_HARNESS_PYTHON=$harness_py" >>"$env_file"
