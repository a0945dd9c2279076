#!/usr/bin/env bash
# Build register_new_matrix_user for release, with the Swift runtime and FoundationEssentials linked in, and print the
# binary's path on stdout (the build's own output goes to stderr).
#
#   scripts/release-build.sh
#
# The one release build: scripts/install.sh installs it, scripts/package.sh packages it, and
# benchmarks/registration/run.sh measures the same build folder. It lives in .build-static, apart from the
# debug build in .build, so neither makes the other start over.
set -euo pipefail
cd "$(dirname "$0")/.."
build=(swift build -c release --static-swift-stdlib --scratch-path .build-static)
"${build[@]}" --product register_new_matrix_user >&2
echo "$("${build[@]}" --show-bin-path)/register_new_matrix_user"
