#!/usr/bin/env bash
# Bulk benchmark: --from-file against Synapse-made databases. Prints, in one run:
#   (a) bcrypt_rounds 12: accounts per second, divided by what every core hashing flat out could reach
#       (cores / the time of one bcrypt-12 hash, measured here), beside Synapse's admin API driven with 20
#       parallel requests on the same machine;
#   (b) bcrypt_rounds 4: accounts per second on SQLite and on PostgreSQL (everything but the hash);
#   (c) peak memory of a dry run over a 100,000-row file.
# Release build with the Swift runtime linked in, as scripts/install.sh builds it. Speed is measured here,
# never asserted in tests. Needs what scripts/test.sh installs (run it once first).
#
#   bash benchmarks/bulk/run.sh [ACCOUNTS]        default 10000 (at cost 12 that is minutes of bcrypt per side)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
accounts=${1:-10000}

work=$(mktemp -d /tmp/rnmu-bulk-bench.XXXXXX)
# A folder of its own: the postgres user must reach it, and $work is private to root.
pg_dir=$(mktemp -d /tmp/rnmu-bulk-bench-pg.XXXXXX)
cleanup() {
    [ -f "$pg_dir/env" ] && bash scripts/pg.sh stop "$pg_dir" >/dev/null 2>&1
    rm -rf "$work" "$pg_dir"
}
trap cleanup EXIT

echo "building: scripts/release-build.sh" >&2
bin=$(bash scripts/release-build.sh 2>"$work/build.log") || { tail -n 30 "$work/build.log"; exit 1; }

py=$(bash scripts/synapse-env.sh 1.163.2)
bash scripts/pg.sh start "$pg_dir" >/dev/null || { echo "PostgreSQL did not start" >&2; exit 1; }
# shellcheck disable=SC1091
. "$pg_dir/env"
echo "making Synapse databases..." >&2
"$py" Tests/e2e/harness.py make-fixture --synapse-python "$py" --engine sqlite --out "$work/sqlite" >/dev/null
"$py" Tests/e2e/harness.py make-fixture --synapse-python "$py" --engine postgres --out "$work/postgres" \
    --dbname bulk_bench_fixture >/dev/null

"$py" benchmarks/bulk/bench.py --tool "$bin" --synapse-python "$py" --work "$work" --accounts "$accounts" \
    --sqlite-fixture "$work/sqlite/homeserver.db" --pg-template bulk_bench_fixture
