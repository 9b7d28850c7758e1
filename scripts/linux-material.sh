#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fetches the Linux guest material from Debian (arm64 packages, with apt, on a Debian host) and
# builds the initramfs:  build/linux/Image  and  build/linux/initramfs.cpio.gz.
# Idempotent: does nothing when both files exist and the /init source has not changed.
# The downloaded .debs stay in build/linux/debs (build/ is not in git), so a rebuild of the
# initramfs does not download again. Exit status 0 on success; 2 when the material cannot be
# fetched (no network, no apt): callers may skip, saying why.
#
#   scripts/linux-material.sh [outdir]      (default build/linux)
set -eu
OUT="${1:-build/linux}"
HERE="$(cd "$(dirname "$0")" && pwd)"
INIT_SRC="$HERE/linux-init.sh"
mkdir -p "$OUT/debs"
OUT="$(cd "$OUT" && pwd)"

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive

need_pkg() {   # host packages the script itself needs
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" && return 0
    echo "linux-material: installing $1"
    $SUDO apt-get install -y -q --no-install-recommends "$1" >/dev/null || {
        $SUDO apt-get update -q >/dev/null || true
        $SUDO apt-get install -y -q --no-install-recommends "$1" >/dev/null
    }
}

if [ -s "$OUT/Image" ] && [ -s "$OUT/initramfs.cpio.gz" ] && [ "$OUT/initramfs.cpio.gz" -nt "$INIT_SRC" ] \
   && [ "$OUT/initramfs.cpio.gz" -nt "$0" ] \
   && [ "$OUT/initramfs.cpio.gz" -nt "$HERE/mkcpio.py" ]; then
    exit 0
fi

fail() { echo "linux-material: $*" >&2; exit 2; }


cd "$OUT/debs"
if ! ls linux-image-6.1.0-*-arm64_*_arm64.deb >/dev/null 2>&1 || ! ls busybox-static_*_arm64.deb >/dev/null 2>&1; then
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        echo "linux-material: adding the arm64 architecture to dpkg"
        $SUDO dpkg --add-architecture arm64
        $SUDO apt-get update -q >/dev/null || fail "apt-get update failed (network?)"
    fi
    # The newest linux-image-6.1.0-N-arm64 the archive has: the one linux-image-arm64 depends on.
    kpkg="$(apt-cache depends linux-image-arm64:arm64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-6\.1\.0-[0-9]*-arm64\).*/\1/p' | head -n1)"
    if [ -z "$kpkg" ]; then
        $SUDO apt-get update -q >/dev/null || fail "apt-get update failed (network?)"
        kpkg="$(apt-cache depends linux-image-arm64:arm64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-6\.1\.0-[0-9]*-arm64\).*/\1/p' | head -n1)"
    fi
    [ -n "$kpkg" ] || fail "no linux-image-6.1.0-*-arm64 known to apt"
    echo "linux-material: downloading $kpkg:arm64 busybox-static:arm64"
    apt-get download -q "$kpkg:arm64" "busybox-static:arm64" >/dev/null || fail "apt-get download failed (network?)"
fi

kdeb="$(ls linux-image-6.1.0-*-arm64_*_arm64.deb | sort -V | tail -n1)"
bdeb="$(ls busybox-static_*_arm64.deb | sort -V | tail -n1)"

rm -rf "$OUT/kx" "$OUT/root"
mkdir -p "$OUT/kx"
dpkg-deb -x "$kdeb" "$OUT/kx"
cp "$(ls "$OUT"/kx/boot/vmlinuz-* | head -n1)" "$OUT/Image.tmp"   # arm64 vmlinuz: a raw Image
basename "$(ls "$OUT"/kx/boot/vmlinuz-* | head -n1)" | sed 's/^vmlinuz-//' > "$OUT/version"
rm -rf "$OUT/kx"

# The initramfs: busybox (static), its applet links, /dev/console, and /init.
R="$OUT/root"
mkdir -p "$R/bx" "$R/bin" "$R/sbin" "$R/dev" "$R/proc" "$R/sys" "$R/tmp" "$R/etc"
dpkg-deb -x "$bdeb" "$R/bx"
cp "$R/bx/bin/busybox" "$R/bin/busybox"
rm -rf "$R/bx"
for a in sh mount umount cat grep wc echo poweroff reboot ls uname sleep dmesg mkdir; do
    ln -s busybox "$R/bin/$a"
done
cp "$INIT_SRC" "$R/init"
chmod 755 "$R/init"
# /dev/console must be in the archive: the kernel opens it for /init before anything mounts
# devtmpfs, and without it nothing /init prints is seen. scripts/mkcpio.py writes the node
# into the archive, so no root (mknod) is needed.
python3 "$HERE/mkcpio.py" "$R" "$OUT/initramfs.cpio" --dev dev/console:c:5:1:600
gzip -9 -n -f "$OUT/initramfs.cpio"
mv "$OUT/Image.tmp" "$OUT/Image"
rm -rf "$R"
echo "linux-material: $OUT/Image ($(cat "$OUT/version")), $OUT/initramfs.cpio.gz"
