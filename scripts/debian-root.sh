#!/usr/bin/env bash
# Make the pristine minimal Debian 12 root the package test installs into, once, and keep it as a tarball.
#
#   scripts/debian-root.sh [TARBALL]      default TARBALL: .build/deb/bookworm-minbase.tar
#
# `debootstrap --variant=minbase bookworm` (no compiler, no Swift, no -dev package), from $DEBIAN_MIRROR
# (default http://deb.debian.org/debian). It takes a few minutes, so an existing tarball is kept: each test run
# unpacks a fresh copy of it. The tarball is written whole and then renamed, so an interrupted run leaves none.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tarball=${1:-$root/.build/deb/bookworm-minbase.tar}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
[ -f "$tarball" ] && exit 0

mkdir -p "$(dirname "$tarball")"
scratch=$(mktemp -d "$(dirname "$tarball")/debootstrap.XXXXXX")
trap 'rm -rf "$scratch" "$tarball.partial"' EXIT
chmod 0755 "$scratch"   # it becomes the root's /, which every user must be able to enter (mktemp made it 0700)
debootstrap --variant=minbase bookworm "$scratch" "$mirror" >"$scratch.log" 2>&1 || {
    tail -n 20 "$scratch.log" >&2; rm -f "$scratch.log"; exit 1; }
rm -f "$scratch.log"
tar -C "$scratch" --numeric-owner -cf "$tarball.partial" .
mv "$tarball.partial" "$tarball"
