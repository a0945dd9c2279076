#!/usr/bin/env bash
# Build the Debian package of register_new_matrix_user for amd64, check it with lintian, and print its path.
#
#   scripts/package.sh [OUT_DIR]       default OUT_DIR: .build/deb
#
# The package, register-new-matrix-user_VERSION_amd64.deb, holds:
#   /usr/bin/register_new_matrix_user                   the release build (scripts/release-build.sh: the Swift
#                                                       runtime linked in), stripped
#   /usr/share/register_new_matrix_user/zxcvbn/         the strength estimator's data, where the binary looks
#   /usr/share/man/man1/register_new_matrix_user.1.gz   from the command's definition (scripts/manpage.py)
#   bash, zsh and fish completions                      from the option table (--generate-completion-script)
#   /usr/share/doc/register-new-matrix-user/            copyright (with the word lists' licence), changelog
# Its Depends are found from the binary: the libraries it is linked with, and those it opens with dlopen
# (their sonames are string constants in it), all mapped to Debian packages by dpkg-shlibdeps. Maintainer
# scripts divert Synapse's own register_new_matrix_user (packaging/preinst, packaging/postrm).
#
# Needs the Swift toolchain, build-essential, dpkg-dev, python3 and lintian (scripts/install-deps.sh).
# VERSION is the binary's own (`--version`, from ToolVersion in Core). Messages go to stderr.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=${1:-.build/deb}
package=register-new-matrix-user
maintainer=${DEB_MAINTAINER:-"register_new_matrix_user maintainers <register-new-matrix-user@users.noreply.github.com>"}

[ "$(dpkg --print-architecture)" = amd64 ] || { echo "package.sh: builds for amd64 only, on amd64" >&2; exit 1; }

binary=$(bash scripts/release-build.sh)
version=$("$binary" --version | head -n 1 | cut -d' ' -f2)
# The changelog's and the manual's date: the last commit's, so that a rebuild gives the same package.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}

work=$(mktemp -d /tmp/rnmu-package.XXXXXX)
trap 'rm -rf "$work"' EXIT
# Laid out as debhelper would (debian/PACKAGE under a source folder), which is where dpkg-shlibdeps expects it.
stage=$work/src/debian/$package
doc=$stage/usr/share/doc/$package
install -d "$stage/DEBIAN" "$stage/usr/bin" "$stage/usr/share/register_new_matrix_user/zxcvbn" \
    "$stage/usr/share/man/man1" "$stage/usr/share/bash-completion/completions" \
    "$stage/usr/share/zsh/vendor-completions" "$stage/usr/share/fish/vendor_completions.d" "$doc"

# --- Files ------------------------------------------------------------------------------------------------------
install -s -m 0755 "$binary" "$stage/usr/bin/register_new_matrix_user"
install -m 0644 assets/zxcvbn/ranked_words.tsv assets/zxcvbn/adjacency_graphs.tsv \
    "$stage/usr/share/register_new_matrix_user/zxcvbn/"

python3 scripts/manpage.py "$binary" packaging/register_new_matrix_user.1.in "$work/register_new_matrix_user.1"
gzip -9n <"$work/register_new_matrix_user.1" >"$stage/usr/share/man/man1/register_new_matrix_user.1.gz"

"$binary" --generate-completion-script bash >"$stage/usr/share/bash-completion/completions/register_new_matrix_user"
"$binary" --generate-completion-script zsh >"$stage/usr/share/zsh/vendor-completions/_register_new_matrix_user"
"$binary" --generate-completion-script fish >"$stage/usr/share/fish/vendor_completions.d/register_new_matrix_user.fish"

# The copyright file ends with the word lists' own licence, as the zxcvbn wheel carries it.
{
    cat packaging/copyright.in
    echo "License: Expat"
    sed -e 's/^$/./' -e 's/^/ /' assets/zxcvbn/LICENSE.txt
} >"$doc/copyright"

changelog_date=$(date -u -R -d "@$SOURCE_DATE_EPOCH")
gzip -9n >"$doc/changelog.gz" <<EOF
$package ($version) bookworm; urgency=medium

  * Release $version: see README.md and DECISIONS.md in the source tree.

 -- $maintainer  $changelog_date
EOF

find "$stage/usr" -type d -exec chmod 0755 {} +
find "$stage/usr" -type f ! -path '*/usr/bin/*' -exec chmod 0644 {} +

# --- Depends ----------------------------------------------------------------------------------------------------
# dpkg-shlibdeps reads the ELF's NEEDED entries, which miss the libraries opened with dlopen (libpq, libcurl, …).
# Their sonames are in the binary as strings; a stub library linked against exactly those lets dpkg-shlibdeps
# map them the same way, with the minimum versions from Debian's symbols files.
needed=$(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u)
loaded=$(strings -a "$binary" | grep -E '^lib[A-Za-z0-9_+-]+\.so\.[0-9]+$' | sort -u | comm -23 - <(echo "$needed"))
probe_libs=()
for soname in $loaded; do
    if ! ldconfig -p | grep -q "^[[:space:]]*$soname "; then
        echo "package.sh: the binary loads $soname, which is not installed here; install the Debian package" \
             "that holds it (apt-file search $soname) and run again" >&2
        exit 1
    fi
    probe_libs+=("-l:$soname")
done
echo "linked: $(echo $needed); loaded on demand: $(echo $loaded)" >&2
# The probe sits in the package's folder while dpkg-shlibdeps reads it, and is removed before the build.
probe=$stage/usr/lib/dlopen-probe.so
printf 'Source: %s\n\nPackage: %s\nArchitecture: amd64\n' "$package" "$package" >"$work/src/debian/control"
shlibdeps=(-e"debian/$package/usr/bin/register_new_matrix_user")
if [ ${#probe_libs[@]} -gt 0 ]; then
    mkdir -p "$(dirname "$probe")"
    gcc -shared -o "$probe" -Wl,--no-as-needed "${probe_libs[@]}"
    shlibdeps+=(-e"debian/$package/usr/lib/dlopen-probe.so")
fi
# --warnings=1: keep "symbol not found", drop "useless dependency", which the probe is by construction.
depends=$(cd "$work/src" && dpkg-shlibdeps -O --warnings=1 "${shlibdeps[@]}" | sed -n 's/^shlibs:Depends=//p')
rm -rf "$(dirname "$probe")"
[ -n "$depends" ] || { echo "package.sh: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
echo "Depends: $depends" >&2

# --- Control files ----------------------------------------------------------------------------------------------
installed_size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
sed -e "s|@VERSION@|$version|" -e "s|@MAINTAINER@|$maintainer|" -e "s|@INSTALLED_SIZE@|$installed_size|" \
    -e "s|@DEPENDS@|$depends|" packaging/control.in >"$stage/DEBIAN/control"
install -m 0755 packaging/preinst packaging/postrm "$stage/DEBIAN/"
(cd "$stage" && find usr -type f -print0 | sort -z | xargs -0 md5sum) >"$stage/DEBIAN/md5sums"
chmod 0644 "$stage/DEBIAN/control" "$stage/DEBIAN/md5sums"

mkdir -p "$out"
deb="$(cd "$out" && pwd)/${package}_${version}_amd64.deb"
rm -f "$deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >&2

# --- Check ------------------------------------------------------------------------------------------------------
# lintian exits non-zero on an error; warnings are shown and allowed.
lintian --fail-on error "$deb" >&2
echo "$deb"
