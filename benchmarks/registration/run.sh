#!/usr/bin/env bash
# Registration benchmark: prints
#   the binary's size, and the wall time and peak memory of `--version` (`--help` without it), median of
#   at least 100 runs;
#   (a) wall time of one --no-input registration on a Synapse-made SQLite database at bcrypt_rounds 4
#       (everything but the hash), median of 20 runs;
#   (b) the same at bcrypt_rounds 12, beside Synapse's own register_new_matrix_user creating a user through a
#       running Synapse at bcrypt_rounds 12, and the ratio of the two medians;
#   (c) peak resident memory of one registration with --print-token at bcrypt_rounds 12.
# Processes are started with posix_spawn and reaped with wait4, so the times hold no shell and the memory
# is the kernel's own peak RSS for the child.
# Release build; Synapse 1.163.2 from the venv the test command uses. Not part of the test command: speed is
# measured here, never asserted in tests. Needs what scripts/test.sh installs (run that once first, or as root).
#
#   bash benchmarks/registration/run.sh [--shared-runtime | --binary PATH] [--only-ours] [RUNS]
#
# --binary PATH measures that binary as it is (an installed or packaged one, e.g. /usr/bin/register_new_matrix_user
# from the .deb) instead of building one. --only-ours stops after (a), without starting Synapse.
# By default the binary is the release build scripts/install.sh and scripts/package.sh use
# (scripts/release-build.sh: the Swift and C++ runtimes linked in, build folder .build-static).
# --shared-runtime measures a plain `swift build -c release` instead: more shared objects to load and relocate
# at start, so more time and memory per run.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
shared=
bin=
only=()
while [ $# -gt 0 ]; do
    case "$1" in
        --shared-runtime) shared=1; shift ;;
        --binary) bin=$(realpath "${2:?--binary needs a path}"); shift 2 ;;
        --only-ours) only=(--only-ours); shift ;;
        *) break ;;
    esac
done
runs=${1:-20}

work=$(mktemp -d /tmp/rnmu-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

if [ -z "$bin" ]; then
    if [ -n "$shared" ]; then
        echo "building: swift build -c release" >&2
        swift build -c release --product register_new_matrix_user >"$work/build.log" 2>&1 || { tail -n 30 "$work/build.log"; exit 1; }
        built="$(swift build -c release --show-bin-path)/register_new_matrix_user"
    else
        echo "building: scripts/release-build.sh" >&2
        built=$(bash scripts/release-build.sh 2>"$work/build.log") || { tail -n 30 "$work/build.log"; exit 1; }
    fi
    # Stripped, as scripts/install.sh and the package install it.
    strip -o "$work/register_new_matrix_user" "$built"
    bin="$work/register_new_matrix_user"
fi
echo "measuring: $bin"

py=$(bash scripts/synapse-env.sh 1.163.2)
echo "making a Synapse database..." >&2
"$py" Tests/e2e/harness.py make-fixture --synapse-python "$py" --engine sqlite --out "$work/fixture" >/dev/null

"$py" benchmarks/registration/bench.py --tool "$bin" --synapse-python "$py" \
    --fixture "$work/fixture/homeserver.db" --work "$work" --runs "$runs" "${only[@]}"
