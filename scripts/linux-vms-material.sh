#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The initramfs of the VMs benchmark (bench/linux_vms_bench.py): busybox, bench/linux/vmwork.c
# built static for arm64, and scripts/linux-vms-init.sh as /init, into
# build/linux/initramfs-vms.cpio.gz. The kernel and busybox come from scripts/linux-material.sh
# (run first; it fetches them once). Exit status 2 when the material cannot be had.
#
#   scripts/linux-vms-material.sh [outdir]      (default build/linux)
set -eu
OUT="${1:-build/linux}"
HERE="$(cd "$(dirname "$0")" && pwd)"
SRC="$HERE/../bench/linux/vmwork.c"
INIT="$HERE/linux-vms-init.sh"
"$HERE/linux-material.sh" "$OUT" || exit $?
OUT="$(cd "$OUT" && pwd)"
IMG="$OUT/initramfs-vms.cpio.gz"
if [ -s "$IMG" ] && [ "$IMG" -nt "$SRC" ] && [ "$IMG" -nt "$INIT" ] && [ "$IMG" -nt "$0" ]; then
    exit 0
fi
command -v aarch64-linux-gnu-gcc >/dev/null || { echo "linux-vms-material: no aarch64-linux-gnu-gcc" >&2; exit 2; }
R="$OUT/vms-root"
rm -rf "$R"
mkdir -p "$R/bx" "$R/bin" "$R/dev" "$R/proc"
dpkg-deb -x "$(ls "$OUT"/debs/busybox-static_*_arm64.deb | sort -V | tail -n1)" "$R/bx"
cp "$R/bx/bin/busybox" "$R/bin/busybox"
rm -rf "$R/bx"
for a in sh mount sed echo poweroff; do ln -s busybox "$R/bin/$a"; done
aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -o "$R/bin/vmwork" "$SRC"
cp "$INIT" "$R/init"
chmod 755 "$R/init"
python3 "$HERE/mkcpio.py" "$R" "$OUT/initramfs-vms.cpio" --dev dev/console:c:5:1:600
gzip -9 -n -f "$OUT/initramfs-vms.cpio"
rm -rf "$R"
echo "linux-vms-material: $IMG"
