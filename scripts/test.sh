#!/usr/bin/env bash
# Run every test: the Swift unit and integration tests, then the end-to-end suite against real Synapse releases.
#
#   bash scripts/test.sh            (as root on a fresh Debian 12 machine it installs what is missing)
#
# It starts a throwaway PostgreSQL 15 on a free loopback port (stopped on exit, also on failure), installs
# Synapse 1.163.2 and 1.95.1 (and the reference zxcvbn) into venvs under .build/e2e, makes fixture databases
# with both Synapses (SQLite and PostgreSQL), builds the package and its tests, runs `swift test`, runs the
# fuzz targets for 30 s each (scripts/fuzz.sh), runs pytest on Tests/e2e, then builds the Debian package
# (scripts/package.sh: the release build, lintian) and installs it into a fresh Debian 12 root (Tests/package).
# Logs go to .build/e2e/logs; a failing step prints the tail of its log. The last line is the total count.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

E2E="$root/.build/e2e"
LOGS="$E2E/logs"
rm -rf "$LOGS" "$E2E/run" "$E2E/results"
mkdir -p "$LOGS" "$E2E/run" "$E2E/results"

failed_steps=()
pg_dir=""
bg_pid=""
root_pid=""

cleanup() {
    local rc=$?
    set +e
    [ -n "$bg_pid" ] && kill "$bg_pid" 2>/dev/null && wait "$bg_pid" 2>/dev/null
    # debootstrap runs in a process group of its own: the whole group goes.
    [ -n "$root_pid" ] && kill -- "-$root_pid" 2>/dev/null && wait "$root_pid" 2>/dev/null
    # Synapse processes the suite started and could not stop itself (pytest killed, say): their pids are listed.
    if [ -f "$E2E/run/synapse.pids" ]; then
        while read -r pid; do kill "$pid" 2>/dev/null; done <"$E2E/run/synapse.pids"
    fi
    # The package test's root, should it have been stopped before unmounting /proc and /dev in it.
    findmnt -rn -o TARGET | grep "^$root/.build/deb/roots/" | sort -r | while read -r m; do umount -l "$m"; done
    if [ -n "$pg_dir" ]; then
        bash "$root/scripts/pg.sh" stop "$pg_dir"
        rm -rf "$pg_dir"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# step NAME COMMAND...: run quietly into $LOGS/NAME.log; on failure show the log's tail and remember the step.
step() {
    local name=$1; shift
    local t0=$SECONDS
    printf '==> %-28s' "$name"
    if "$@" >"$LOGS/$name.log" 2>&1; then
        echo "ok ($((SECONDS - t0))s)"
        return 0
    fi
    echo "FAILED ($((SECONDS - t0))s) — $LOGS/$name.log:"
    tail -n 40 "$LOGS/$name.log" | sed 's/^/    /'
    failed_steps+=("$name")
    return 1
}

# --- Debian packages ------------------------------------------------------------------------------------------
step debian-packages bash scripts/install-deps.sh || exit 1

# --- Venvs, PostgreSQL and fixtures run in the background while Swift builds ---------------------------------
pg_dir=$(mktemp -d /tmp/rnmu-pg.XXXXXX)
rm -f "$E2E/zxcvbn-reference.jsonl"
(
    set -euo pipefail
    bash scripts/synapse-env.sh 1.163.2 >/dev/null
    bash scripts/synapse-env.sh 1.95.1 >/dev/null
    # The strength estimator's parity test compares with scores computed now by the reference Python zxcvbn,
    # not only with the committed copy of them.
    zx="$E2E/venv-zxcvbn"
    if [ ! -f "$zx/.installed" ]; then
        rm -rf "$zx"
        python3 -m venv "$zx"
        "$zx/bin/python" -m pip install -q --disable-pip-version-check zxcvbn==4.5.0
        touch "$zx/.installed"
    fi
    "$zx/bin/python" scripts/zxcvbn-reference.py Tests/Fixtures/strength/corpus.jsonl "$E2E/zxcvbn-reference.jsonl"
) >"$LOGS/synapse-venvs.log" 2>&1 &
bg_pid=$!
# The minimal Debian 12 root the package test installs into: debootstrap, once (kept under .build/deb), while
# the CPU builds; the package test waits for it.
setsid bash scripts/debian-root.sh >"$LOGS/debian-root.log" 2>&1 &
root_pid=$!

step postgres-start bash scripts/pg.sh start "$pg_dir" || exit 1
# shellcheck disable=SC1091
. "$pg_dir/env"

swift_ok=1
step swift-build swift build --build-tests || swift_ok=0

printf '==> %-28s' "venvs"
t0=$SECONDS
if wait "$bg_pid"; then echo "ok ($((SECONDS - t0))s after build)"; else
    echo "FAILED — $LOGS/synapse-venvs.log:"; tail -n 40 "$LOGS/synapse-venvs.log" | sed 's/^/    /'
    failed_steps+=(synapse-venvs); bg_pid=""; exit 1
fi
bg_pid=""

step fixtures bash scripts/make-fixtures.sh "$E2E/fixtures" || exit 1
# shellcheck disable=SC1091
. "$E2E/fixtures/env"
export E2E_PIDFILE="$E2E/run/synapse.pids"
export ZXCVBN_REFERENCE="$E2E/zxcvbn-reference.jsonl"

# --- Swift tests -----------------------------------------------------------------------------------------------
# The CLI tests and the e2e suite both run the built binary.
export RNMU_BIN
RNMU_BIN="$(swift build --show-bin-path)/register_new_matrix_user"
if [ "$swift_ok" = 1 ]; then
    step swift-test swift test --skip-build --xunit-output "$E2E/results/swift.xml" || true
    grep -E 'Test run with|^Executed [0-9]+ tests' "$LOGS/swift-test.log" | tail -n 3 || true
fi

# --- Fuzzing -------------------------------------------------------------------------------------------------------
# libFuzzer on the parsers, 30 s each from the committed seeds (built apart, in .build-fuzz); a crash fails the run.
if [ "$swift_ok" = 1 ]; then
    step fuzz bash scripts/fuzz.sh || true
    grep -E '^==> [a-z-]+ +(ok|FAILED)' "$LOGS/fuzz.log" | sed 's/^==> /    /' || true
fi

# --- End-to-end suite ------------------------------------------------------------------------------------------
if [ "$swift_ok" = 1 ] && [ -x "${RNMU_BIN:-}" ]; then
    step e2e "$E2E_HARNESS_PYTHON" -m pytest -c Tests/e2e/pytest.ini Tests/e2e -rfE \
        --junitxml "$E2E/results/e2e.xml" --basetemp "$E2E/run/pytest" || true
    grep -E '(passed|failed|error|deselected).* in [0-9.]+s' "$LOGS/e2e.log" | tail -n 1 || true
else
    echo "==> e2e                         skipped: the tool did not build"
    failed_steps+=(e2e)
fi

# --- The Debian package ----------------------------------------------------------------------------------------
# The release build with the Swift runtime linked in, the .deb, lintian; then the package installed, used and purged
# in a fresh minimal Debian 12 root, beside a stand-in for Synapse's package, and copied in the container way.
wait "$root_pid" || echo "    debootstrap failed ($LOGS/debian-root.log): the package test tries once more"
root_pid=""
if step package bash scripts/package.sh "$root/.build/deb"; then
    RNMU_DEB=$(tail -n 1 "$LOGS/package.log")
    export RNMU_DEB
    step package-test "$E2E_HARNESS_PYTHON" -m pytest -c Tests/package/pytest.ini Tests/package -rfE \
        --junitxml "$E2E/results/package.xml" --basetemp "$E2E/run/pytest-package" || true
    grep -E '(passed|failed|error).* in [0-9.]+s' "$LOGS/package-test.log" | tail -n 1 || true
fi

# --- Total -----------------------------------------------------------------------------------------------------
"$E2E_HARNESS_PYTHON" - "$E2E/results" "${failed_steps[@]}" <<'PY'
import sys, glob
import xml.etree.ElementTree as ET
passed = failed = skipped = 0
for f in sorted(glob.glob(sys.argv[1] + "/*.xml")):
    for case in ET.parse(f).getroot().iter("testcase"):
        kinds = {c.tag for c in case}
        if kinds & {"failure", "error"}:
            failed += 1
        elif "skipped" in kinds:
            skipped += 1
        else:
            passed += 1
steps = sys.argv[2:]
if steps:
    print("failed steps: " + ", ".join(steps))
print(f"total: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or steps else 0)
PY
