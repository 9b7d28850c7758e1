#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Where the instructions of one IPC round trip through a passive server go.

Boots configs/bench-ipc.dts (the coop benchmark's fast-path configuration, with fewer calls
and a shorter run: the derived source is written to build/prof-ipc.dts) under
`-icount shift=0,sleep=off -singlestep -d exec,nochain`, so that QEMU logs every executed
instruction's PC, and reads the log as it comes (nothing is stored). In the steady state of
the client's calls, one round trip is the stretch from one guest trap to the trap two later
(the call's, the reply's); each instruction is charged to the hypervisor function it lies
in (from hyp.elf's symbols) or to the guests. Several consecutive round trips are taken and
must agree. Used by bench/coop_bench.py; run alone it prints the table (`--functions`: by
function).
"""
import bisect
import collections
import os
import re
import subprocess
import sys

import run_bench

CALLS = 300
SOURCE = "configs/bench-ipc.dts"
DERIVED = "build/prof-ipc.dts"

# Hypervisor functions by what they do for a round trip; anything else is "other".
ENTRY = "trap entry and return (vectors.S)"
EL1REGS = "the 25 EL1 system registers, saved and loaded (el1regs.S)"
GROUPS = [
    (ENTRY, {"el2_vectors", "el2_vectors_sync", "frame_return"}),
    ("the fast path's test, dispatch, endpoint decode, message (vectors.S, traps.c, ipc.c)",
     {"ipc_fast_test", "trap_guest_sync", "trap_ipc_call", "trap_ipc_reply_recv", "ipc_fast_call",
      "ipc_fast_reply_recv", "fast_endpoint", "fast_call", "fast_reply", "obj_decode"}),
    (EL1REGS, {"el1_save", "el1_load", "el1_switch"}),
    ("the rest of the switch: GIC virtual CPU interface, VMID, FP trap, vPMU and debug, "
     "current vCPU, return checks (vcpu_arch.c, sched.c)",
     {"sched_ipc_switch", "sched_exec_switch", "load_exec", "exec_in", "vcpu_arch_switch",
      "vcpu_arch_save", "vcpu_arch_restore", "trap_exit"}),
]


GUESTS = "the two guests' own code (client loop and check, server loop)"


def derive():
    src = open(SOURCE).read()
    out, n = re.subn(r"bootarg = <0x80000000 \d+>;", "bootarg = <0x80000000 %d>;" % CALLS, src)
    out, m = re.subn(r"run-for-ms = <\d+>;", "run-for-ms = <40>;", out)
    if n != 1 or m != 1:
        sys.exit("ipc_profile: %s no longer has one client bootarg and one run-for-ms" % SOURCE)
    os.makedirs(os.path.dirname(DERIVED), exist_ok=True)
    open(DERIVED, "w").write(out)


def symbols(elf):
    """The text symbols, sorted, and the image's range [__hyp_start, __hyp_end)."""
    out = subprocess.run(["aarch64-linux-gnu-nm", "-n", elf], check=True, capture_output=True,
                         text=True).stdout
    rows = [l.split() for l in out.splitlines() if len(l.split()) == 3]
    every = {name: int(a, 16) for a, _, name in rows}
    syms = [(int(a, 16), name) for a, t, name in rows if t in "tTW"]
    return syms, every["__hyp_start"], every["__hyp_end"]


def profile(rounds=8):
    """One round trip's instructions by hypervisor function (the guests' share under GUESTS)."""
    derive()
    subprocess.run(["make", "-s", "CONFIG=prof-ipc", "CONFIG_DTS=" + DERIVED, "hyp"], check=True)
    elf = "build/prof-ipc/hyp.elf"
    syms, lo, hi = symbols(elf)
    keys = [a for a, _ in syms]
    vector = dict((n, a) for a, n in syms)["el2_vectors"] + 0x400  # lower EL, AArch64, sync
    q = subprocess.Popen(run_bench.QEMU + ["-singlestep", "-d", "exec,nochain", "-smp", "1",
                                           "-kernel", elf], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    pcs, traps = [], []
    pat = re.compile(r"\[[0-9a-f]+/([0-9a-f]+)/")
    try:
        for line in q.stderr:
            m = pat.search(line)
            if not m:
                continue
            pc = int(m.group(1), 16)
            if pc == vector:
                traps.append(len(pcs))
            pcs.append(pc)
            # Skip the start: 2 * CALLS / 2 traps in, the calls are in their steady state.
            if len(traps) > CALLS // 2 * 2 + 2 * rounds + 1 and len(traps) > 40:
                break
            if len(pcs) > 60_000_000:
                break
    finally:
        q.kill()
        q.wait()
    start = len(traps) - 2 * rounds - 1
    if start < 20:
        sys.exit("ipc_profile: too few guest traps in the log (%d)" % len(traps))
    tables = []
    for r in range(rounds):
        a, b = traps[start + 2 * r], traps[start + 2 * r + 2]
        c = collections.Counter()
        for pc in pcs[a:b]:
            if lo <= pc < hi:
                name = syms[bisect.bisect_right(keys, pc) - 1][1]
                group = name
            else:
                group = GUESTS
            c[group] += 1
        tables.append(c)
    if any(t != tables[0] for t in tables):
        sys.exit("ipc_profile: consecutive round trips differ: %s" % tables)
    return tables[0]


def grouped(funcs):
    """@funcs (profile()) summed by GROUPS."""
    c = collections.Counter()
    for name, n in funcs.items():
        c[name if name == GUESTS else next((g for g, names in GROUPS if name in names),
                                           "other hypervisor code")] += n
    return c


def main():
    t = profile()
    if "--functions" not in sys.argv[1:]:
        t = grouped(t)
    total = sum(t.values())
    for g, n in t.most_common():
        print("%5d  %s" % (n, g))
    print("%5d  total per round trip" % total)


if __name__ == "__main__":
    main()
