#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Xen 4.17 (Debian's xen-hypervisor-4.17-arm64) as a peer: the same Debian kernel and lmb
initramfs as bench/linux_bench.py, booted as a dom0less domU of Xen on the same QEMU, beside
native Linux and the emvisor VM (configs/bench-linux.dts), one vCPU each.

Xen is booted with `-kernel` (it is an arm64 Image); the kernel and initramfs are put in memory
with QEMU's generic loader, and Xen finds them through the host device tree: QEMU's own (dumped
with -machine dumpdtb for the same machine options) plus, with fdtput, /chosen's Xen command
line and a /chosen/domU1 node ("xen,domain", memory, cpus, vpl011) holding the kernel
("multiboot,kernel", with the domU's command line) and initramfs ("multiboot,ramdisk")
modules (Xen's docs/misc/arm/device-tree/booting.txt and dom0less.pandoc). No dom0.
The domU's console is Xen's emulated PL011 (vpl011), which Xen prints as `(XEN) DOM1: ...`.

Counted like the rest (lmb reads CNTVCT, `-icount shift=0,sleep=off`, 16 instructions per
tick); each side boots with QEMU -seed 1, 2 and 3; Xen's seed 1 twice (repeatability).
Writes the `linux-xen` section of docs/benchmarks.md.
"""
import os
import re
import subprocess
import sys
import time

import linux_bench as lb

XEN = "build/xen/xen"
DTB_DIR = "build/xen"
MACHINE = "virt,virtualization=on,gic-version=3"
MEM = "1G"
KERNEL_AT, INITRD_AT = 0x50000000, 0x58000000  # in QEMU's RAM, above Xen, below its heap use
PREFIX = "(XEN) DOM1: "


def host_dtb(seed, bootargs, mem_kb):
    """QEMU's device tree for this machine and seed, with the dom0less nodes added."""
    dtb = "%s/host-%d.dtb" % (DTB_DIR, seed)
    subprocess.run(lb.QEMU + ["-seed", str(seed), "-M", MACHINE + ",dumpdtb=" + dtb, "-smp", "1",
                              "-m", MEM], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True)
    ksize = os.path.getsize(lb.LINUX + "/Image")
    rsize = os.path.getsize(lb.LINUX + "/initramfs-bench.cpio.gz")

    def put(*a):
        subprocess.run(["fdtput", dtb] + list(a), check=True)

    put("-t", "i", "/chosen", "#address-cells", "2")
    put("-t", "i", "/chosen", "#size-cells", "2")
    # Xen's console on the board's PL011; guest output unfiltered; credit2 (Debian's default)
    put("-t", "s", "/chosen", "xen,xen-bootargs",
        "console=dtuart dtuart=/pl011@9000000 loglvl=all guest_loglvl=all sched=credit2")
    d = "/chosen/domU1"
    put("-c", d)
    put("-t", "s", d, "compatible", "xen,domain")
    put("-t", "i", d, "#address-cells", "2")
    put("-t", "i", d, "#size-cells", "2")
    put("-t", "i", d, "memory", "0", str(mem_kb))
    put("-t", "i", d, "cpus", "1")
    put("-t", "s", d, "vpl011", "")
    k = "%s/module@%x" % (d, KERNEL_AT)
    put("-c", k)
    put("-t", "s", k, "compatible", "multiboot,kernel", "multiboot,module")
    put("-t", "x", k, "reg", "0", "%x" % KERNEL_AT, "0", "%x" % ksize)
    put("-t", "s", k, "bootargs", bootargs)
    r = "%s/module@%x" % (d, INITRD_AT)
    put("-c", r)
    put("-t", "s", r, "compatible", "multiboot,ramdisk", "multiboot,module")
    put("-t", "x", r, "reg", "0", "%x" % INITRD_AT, "0", "%x" % rsize)
    return dtb


def xen(seed, bootargs, mem_kb):
    """Boot Xen with the domU; Xen keeps running after the domU powers off (no dom0 to stop
    it), so QEMU is stopped once lmb is done."""
    dtb = host_dtb(seed, bootargs, mem_kb)
    cmd = lb.QEMU + ["-seed", str(seed), "-M", MACHINE, "-smp", "1", "-m", MEM, "-dtb", dtb,
                     "-kernel", XEN,
                     "-device", "loader,file=%s/Image,addr=0x%x,force-raw=on" % (lb.LINUX, KERNEL_AT),
                     "-device", "loader,file=%s/initramfs-bench.cpio.gz,addr=0x%x,force-raw=on"
                     % (lb.LINUX, INITRD_AT)]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL)
    out, end = [], time.time() + 900
    for raw in p.stdout:
        line = raw.decode(errors="replace").replace("\r", "").rstrip("\n")
        out.append(line)
        if line.endswith("lmb done") or "Kernel panic" in line or time.time() > end:
            break
    p.kill()
    p.wait()
    if not any(l.endswith("lmb done") for l in out):
        sys.exit("bench-linux-xen: Xen (seed %d) did not finish:\n%s" % (seed, "\n".join(out[-40:])))
    res, ticks = lb.parse(out, PREFIX)
    return {"res": res, "boot": ticks * lb.NS_PER_TICK, "lines": out}


def sp(xs):
    return "+-%.1f%%" % (100 * lb.spread(xs))


def main():
    for script in ("scripts/linux-bench-material.sh", "scripts/xen-material.sh"):
        r = subprocess.run([script])
        if r.returncode:
            sys.exit("bench-linux-xen: %s failed (exit %d): no material" % (script, r.returncode))
    config = "bench-linux-xen"
    subprocess.run(["make", "-s", "CONFIG=" + config, "hyp"], check=True)
    bootargs = lb.config_value(config, "bootargs", "s")
    mem = [int(x, 16) for x in lb.config_value(config, "memory", "x").split()]
    mem_kb = ((mem[2] << 32) | mem[3]) >> 10
    # The domU has no PL011 at 0x9000000 (its console is Xen's vpl011): no earlycon there.
    xen_args = re.sub(r"earlycon=\S+ ?", "", bootargs).strip()
    nats = [lb.native(config, 1, s) for s in lb.SEEDS]
    emvs = [lb.emvisor(config, 1, s) for s in lb.SEEDS]
    xens = [xen(s, xen_args, mem_kb) for s in lb.SEEDS]
    again = xen(lb.SEEDS[0], xen_args, mem_kb)
    stock_args = xen_args.replace(" randomize_kstack_offset=off", "")
    stock = xen(lb.SEEDS[0], stock_args, mem_kb)
    same = again["res"] == xens[0]["res"] and again["boot"] == xens[0]["boot"]
    if not same:
        sys.exit("bench-linux-xen: Xen seed %d booted twice gave different figures" % lb.SEEDS[0])
    version = open("build/xen/version").read().strip()
    sched = [l for l in xens[0]["lines"] if "Using scheduler" in l]
    rows, above = [], []
    for t in lb.TESTS:
        n = lb.mean([r["res"][t][1] for r in nats])
        e = lb.mean([r["res"][t][1] for r in emvs])
        x = lb.mean([r["res"][t][1] for r in xens])
        if x / n > 1.02:
            above.append("%s %.3f (emvisor %.3f)" % (t, x / n, e / n))
        rows.append("| %s (%s) | %d | %.1f %s | %.1f %s | %.3f | %.1f %s | %.3f | %.1f |" % (
            t, lb.WHAT[t], nats[0]["res"][t][0], n, sp([r["res"][t][1] for r in nats]),
            e, sp([r["res"][t][1] for r in emvs]), e / n,
            x, sp([r["res"][t][1] for r in xens]), x / n, stock["res"][t][1]))
    nb = lb.mean([r["boot"] for r in nats])
    xb = lb.mean([r["boot"] for r in xens])
    eb = lb.mean([r["boot"] for r in emvs])
    rows.append("| boot to /init (the counter when /init starts; a domU's counter starts when "
                "Xen creates it, so Xen's own boot is not in it) | 1 | %.0f | %.0f | "
                "%.3f | %.0f | %.3f | %d |" % (nb, eb, eb / nb, xb, xb / nb, stock["boot"]))
    text = "\n".join([
        "## linux-xen: Xen 4.17 as a peer (dom0less domU), same kernel and lmb",
        "",
        "`make bench-linux-xen` (bench/linux_xen_bench.py). Debian's Xen %s "
        "(xen-hypervisor-4.17-arm64, a release build; %s) boots on the same QEMU "
        "(`-M virt,virtualization=on,gic-version=3 -cpu cortex-a53 -smp 1 -m 1G`, "
        "`-icount shift=0,sleep=off`) with the same Debian kernel and lmb initramfs as the "
        "`linux` section, as a **dom0less domU** (no dom0): QEMU's device tree, dumped with "
        "`-machine dumpdtb` and given a /chosen/domU1 node (`xen,domain`, 512 MiB, 1 vCPU, "
        "`vpl011`) with the kernel and initramfs as `multiboot,kernel` / `multiboot,ramdisk` "
        "modules put in memory by QEMU's generic loader. All three sides get the command line of "
        "configs/bench-linux-xen.dts: the `linux` section's with `randomize_kstack_offset=off` "
        "(below); the domU's also without `earlycon=pl011,0x9000000`, as a domU has no PL011 "
        "there (its console is Xen's emulated PL011, printed by Xen as `(XEN) DOM1:`). lmb "
        "reads CNTVCT_EL0 in all three, which Xen lets a domU read (it traps the PMU), 16 "
        "instructions per tick. Native and emvisor are run as in the `linux` section "
        "(emvisor with its exit tracing on, a few instructions per exit); each side with "
        "QEMU -seed 1, 2, 3: mean +- half the range. Ratio = hypervisor / native. Xen seed 1 "
        "booted twice: identical figures %s." % (
            version, sched[0].split(": ", 1)[-1].strip() if sched else "credit2",
            "yes" if same else "no"),
        "",
        "| test | ops | native instr/op | emvisor instr/op | emvisor ratio | Xen 4.17 instr/op "
        "| Xen ratio | Xen, kernel-stack offset randomized (seed 1) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ] + rows + [
        "",
        "Why `randomize_kstack_offset=off`: Xen gives a dom0less domU no `rng-seed` in its "
        "device tree (emvisor's VMs and QEMU's native board have one), and nothing else seeds "
        "Linux's CRNG on this board, so every system call's random kernel-stack offset is "
        "drawn from an unseeded CRNG, at a cost of thousands of instructions: the last column "
        "is Xen with the stock command line (the `linux` section's, less earlycon), seed 1. "
        "That is a difference in what the guest is given, not in the hypervisors' paths, so "
        "the comparison turns the randomization off on all three sides.",
        "",
        "QEMU models no caches: these are instructions, not time. Xen's seeds agree exactly: "
        "QEMU's seed changes only the random bytes in the host device tree, which Xen does "
        "not pass to a domU. Above 1.02 x native under Xen: %s. Where Xen's extra goes was "
        "not measured here (Xen's exits are not counted: without a dom0 there is no "
        "xentrace, and a domU cannot read the cycle counter); the domU also runs Xen's "
        "paravirtual side of Linux (the `hypervisor` node, grant tables, event channels), "
        "which the emvisor VM and native do not." % ("; ".join(above) or "none"),
    ])
    print(text)
    subprocess.run([sys.executable, "scripts/bench_section.py", "linux-xen"], input=text.encode(),
                   check=True)


if __name__ == "__main__":
    main()
