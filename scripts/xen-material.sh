#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fetches Xen 4.17 for arm64 from Debian (xen-hypervisor-4.17-arm64, with apt, like the Linux
# material) for the Xen comparison (bench/linux_xen_bench.py): build/xen/xen, the hypervisor
# as an arm64 Image, and build/xen/version. The .deb stays in build/xen/debs (build/ is not
# in git). Idempotent. Exit status 0 on success; 2 when it cannot be fetched.
#
#   scripts/xen-material.sh [outdir]      (default build/xen)
set -eu
OUT="${1:-build/xen}"
mkdir -p "$OUT/debs"
OUT="$(cd "$OUT" && pwd)"
[ -s "$OUT/xen" ] && [ "$OUT/xen" -nt "$0" ] && exit 0
fail() { echo "xen-material: $*" >&2; exit 2; }
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
PKG=xen-hypervisor-4.17-arm64
cd "$OUT/debs"
if ! ls ${PKG}_*_arm64.deb >/dev/null 2>&1; then
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        echo "xen-material: adding the arm64 architecture to dpkg"
        $SUDO dpkg --add-architecture arm64
        $SUDO apt-get update -q >/dev/null || fail "apt-get update failed (network?)"
    fi
    if ! apt-cache show "$PKG:arm64" >/dev/null 2>&1; then
        $SUDO apt-get update -q >/dev/null || fail "apt-get update failed (network?)"
    fi
    echo "xen-material: downloading $PKG:arm64"
    apt-get download -q "$PKG:arm64" >/dev/null 2>&1 || fail "apt-get download $PKG:arm64 failed"
fi
deb="$(ls ${PKG}_*_arm64.deb | sort -V | tail -n1)"
rm -rf "$OUT/x"
dpkg-deb -x "$deb" "$OUT/x"
cp "$OUT/x/boot/xen-4.17-arm64" "$OUT/xen.tmp"
dpkg-deb -f "$deb" Version > "$OUT/version"
rm -rf "$OUT/x"
mv "$OUT/xen.tmp" "$OUT/xen"
echo "xen-material: $OUT/xen ($PKG $(cat "$OUT/version"))"
