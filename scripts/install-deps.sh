#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the Debian packages emvisor needs to build, run and test.
# Idempotent: does nothing when everything is present. libclang-rt-14-dev holds libFuzzer and
# the sanitizer runtimes, only recommended by clang (and so skipped by --no-install-recommends).
set -eu
PKGS="make gcc libc6-dev gcc-aarch64-linux-gnu libc6-dev-arm64-cross binutils-aarch64-linux-gnu qemu-system-arm
      device-tree-compiler libfdt-dev libcmocka-dev gdb-multiarch python3 clang-format valgrind
      clang libclang-rt-14-dev"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q || true
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
