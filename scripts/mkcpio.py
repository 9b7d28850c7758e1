#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes a cpio "newc" archive (the initramfs format) of a directory tree, owned by root,
with fixed times so the same tree gives the same bytes, plus device nodes named on the command
line (no root or mknod needed to build it).

    mkcpio.py DIR OUT.cpio [--dev path:c|b:major:minor:mode ...]
"""
import os
import stat
import sys


def entry(out, ino, name, mode, data=b"", nlink=1, rmaj=0, rmin=0):
    name_b = name.encode() + b"\0"
    hdr = "070701" + "".join("%08X" % v for v in (
        ino, mode, 0, 0, nlink, 0, len(data), 0, 0, rmaj, rmin, len(name_b), 0))
    out.write(hdr.encode() + name_b)
    out.write(b"\0" * ((4 - (110 + len(name_b)) % 4) % 4))
    out.write(data)
    out.write(b"\0" * ((4 - len(data) % 4) % 4))


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    root, dst = argv[1], argv[2]
    devs = []
    args = argv[3:]
    while args:
        if args[0] != "--dev" or len(args) < 2:
            sys.exit(__doc__)
        path, kind, maj, mnr, mode = args[1].split(":")
        devs.append((path, kind, int(maj), int(mnr), int(mode, 8)))
        args = args[2:]
    paths = []
    for d, dirs, files in os.walk(root):
        for n in dirs + files:
            paths.append(os.path.relpath(os.path.join(d, n), root))
    ino = 1
    with open(dst, "wb") as out:
        for p in sorted(paths):
            full = os.path.join(root, p)
            st = os.lstat(full)
            if stat.S_ISLNK(st.st_mode):
                entry(out, ino, p, 0o120777, os.readlink(full).encode())
            elif stat.S_ISDIR(st.st_mode):
                entry(out, ino, p, 0o040755, nlink=2)
            else:
                with open(full, "rb") as f:
                    entry(out, ino, p, 0o100000 | (st.st_mode & 0o777), f.read())
            ino += 1
        for path, kind, maj, mnr, mode in devs:
            kbits = stat.S_IFCHR if kind == "c" else stat.S_IFBLK
            entry(out, ino, path, kbits | mode, rmaj=maj, rmin=mnr)
            ino += 1
        entry(out, 0, "TRAILER!!!", 0)
        out.write(b"\0" * ((512 - out.tell() % 512) % 512))


if __name__ == "__main__":
    main(sys.argv)
