#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The Linux benchmarks' material: the Linux guest's material (scripts/linux-material.sh), plus
# bench/linux/lmb.c built static for arm64 with Debian's cross gcc, in an initramfs variant:
#   build/linux/lmb                        the static program
#   build/linux/initramfs-bench.cpio.gz    initramfs.cpio.gz with /bin/lmb appended
# The variant is the plain initramfs followed by a second gzip'd cpio archive holding bin/lmb
# (Linux unpacks concatenated archives in turn), so both boot the same /init: it runs lmb when
# the command line has emv.test=lmb (scripts/linux-init.sh). Idempotent like linux-material.sh;
# exit status 2 when the material cannot be fetched.
#
#   scripts/linux-bench-material.sh [outdir]      (default build/linux)
set -eu
OUT="${1:-build/linux}"
HERE="$(cd "$(dirname "$0")" && pwd)"
SRC="$HERE/../bench/linux/lmb.c"
CC="${CROSS:-aarch64-linux-gnu-}gcc"

"$HERE/linux-material.sh" "$OUT"   # exits 2 (material unavailable) through set -e
OUT="$(cd "$OUT" && pwd)"
DST="$OUT/initramfs-bench.cpio.gz"

if [ -s "$DST" ] && [ "$DST" -nt "$SRC" ] && [ "$DST" -nt "$0" ] \
   && [ "$DST" -nt "$OUT/initramfs.cpio.gz" ]; then
    exit 0
fi

# libc6-dev-arm64-cross comes with gcc-aarch64-linux-gnu (scripts/install-deps.sh names it).
"$CC" -static -O2 -Wall -Wextra -Werror -o "$OUT/lmb" "$SRC"

R="$OUT/bench-root"
rm -rf "$R"
mkdir -p "$R/bin"
cp "$OUT/lmb" "$R/bin/lmb"
chmod 755 "$R/bin/lmb"
python3 "$HERE/mkcpio.py" "$R" "$OUT/lmb.cpio"
gzip -9 -n -f "$OUT/lmb.cpio"
cat "$OUT/initramfs.cpio.gz" "$OUT/lmb.cpio.gz" > "$DST.tmp"
mv "$DST.tmp" "$DST"
rm -rf "$R" "$OUT/lmb.cpio.gz"
echo "linux-bench-material: $DST (with /bin/lmb)"
