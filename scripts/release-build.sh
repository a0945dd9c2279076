#!/usr/bin/env bash
# Build register_new_matrix_user for release, with the Swift runtime, FoundationEssentials and the C++
# runtime linked in, and print the binary's path on stdout (the build's own output goes to stderr).
#
#   scripts/release-build.sh
#
# The one release build: scripts/install.sh installs it, scripts/package.sh packages it, and
# benchmarks/registration/run.sh measures it. It lives in .build-static, apart from the debug build in .build,
# so neither makes the other start over.
#
# The Swift runtime needs the C++ runtime, which the toolchain links as libstdc++.so: a library of 2 MB whose
# 3,000 symbol relocations the dynamic loader resolves at every start, more than half of what `--version`
# costs. The linker takes GCC's libstdc++.a instead (only the parts the runtime uses; the GCC Runtime Library
# Exception allows it) when the first folder it searches for -lstdc++ holds the archive alone.
set -euo pipefail
cd "$(dirname "$0")/.."
archive=$(g++ -print-file-name=libstdc++.a)
[ -f "$archive" ] || { echo "release-build.sh: no libstdc++.a (Debian: apt install libstdc++-12-dev)" >&2; exit 1; }
cxx=.build-static/static-libstdc++
mkdir -p "$cxx"
ln -sf "$archive" "$cxx/libstdc++.a"
build=(swift build -c release --static-swift-stdlib --scratch-path .build-static -Xlinker -L"$PWD/$cxx")
"${build[@]}" --product register_new_matrix_user >&2
binary="$("${build[@]}" --show-bin-path)/register_new_matrix_user"
if readelf -d "$binary" | grep -q 'NEEDED.*libstdc++'; then
    echo "release-build.sh: $binary still loads libstdc++.so" >&2
    exit 1
fi
echo "$binary"
