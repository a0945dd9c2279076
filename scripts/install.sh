#!/usr/bin/env bash
# Build register_new_matrix_user for release and install it with its strength-estimator data.
#
#   scripts/install.sh [PREFIX]      default PREFIX: /usr/local
#
# Installs PREFIX/bin/register_new_matrix_user and PREFIX/share/register_new_matrix_user/zxcvbn/,
# where the binary looks for its data. The Swift runtime is linked in statically, so the binary
# runs without the toolchain; it needs libsqlite3, libcrypt, libyaml and libncursesw at run time, libpq only when
# it writes to PostgreSQL and libcurl and libcrypto only for HTTP (--verify-login, registration through Synapse). On Debian, scripts/package.sh makes a .deb.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${1:-/usr/local}

binary=$(bash scripts/release-build.sh)
install -d "$prefix/bin" "$prefix/share/register_new_matrix_user/zxcvbn"
install -s -m 0755 "$binary" "$prefix/bin/"
install -m 0644 assets/zxcvbn/* "$prefix/share/register_new_matrix_user/zxcvbn/"
echo "Installed $prefix/bin/register_new_matrix_user"
