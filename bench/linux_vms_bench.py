#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Instructions per unit of guest work with 1, 2 and 3 Linux VMs (the XenARM paper's
CPI-versus-VMs table, counted in instructions under -icount), against the same Linux native.

Each VM (configs/bench-linux-vms{1,2,3}.dts: Debian's kernel, one vCPU, all VMs on one
CPU under the credit policy) runs bench/linux/vmwork.c: 4 busy processes doing units of work
(a checksum over 4 KiB, user mode only) over one window of the counter, the same absolute
window in every VM (the kernel command line's emv.vms=T0,T1). Under `-icount
shift=0,sleep=off` and `-smp 1`, one nanosecond of virtual time is one instruction of the one
CPU, so the window holds (T1 - T0) x 10^6 instructions less the hypervisor's idle time (none:
the workers leave none). The hypervisor logs its instructions at EL2 (PMU event counter
INST_RETIRED filtered to EL2, stopped while idle) every 2.5 s (stats-every-ms): the
difference between the lines at T0 and T1 is its share of the window. Native: the same
kernel and initramfs straight on QEMU (EL1, no hypervisor), same window.

Every configuration is booted twice; the figures must come out identical, else this fails.
Writes the `linux-vms` section of docs/benchmarks.md.
"""
import re
import subprocess
import sys

QEMU = ["qemu-system-aarch64", "-cpu", "cortex-a53", "-smp", "1", "-nographic", "-nic", "none",
        "-monitor", "none", "-icount", "shift=0,sleep=off",
        "-rtc", "base=2024-01-01T00:00:00,clock=vm"]
LINUX = "build/linux"


def qemu(args, what):
    try:
        p = subprocess.run(QEMU + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL, timeout=900)
    except subprocess.TimeoutExpired:
        sys.exit("bench: %s did not finish in 900 s" % what)
    return p.stdout.decode(errors="replace").replace("\r", "").splitlines()


def window_of(config):
    """T0, T1 (ms) from the config's kernel command line: the one place they are set."""
    m = re.search(r"emv\.vms=(\d+),(\d+)", open("configs/%s.dts" % config).read())
    return int(m.group(1)), int(m.group(2))


def vmwork(lines, what, n):
    late = [l for l in lines if "vmwork late" in l or "vmwork failed" in l]
    found = [re.search(r"vmwork units=(\d+) workers=4 each=\S+ window-ms=(\d+)-(\d+) ", l)
             for l in lines]
    found = [m for m in found if m]
    if late or len(found) != n:
        sys.exit("bench: %s: %d of %d VMs reported their work%s\n%s" % (
            what, len(found), n, "; " + late[0] if late else "", "\n".join(lines[-40:])))
    return [int(m.group(1)) for m in found]


def run_vms(n):
    config = "bench-linux-vms%d" % n
    subprocess.run(["make", "-s", "CONFIG=" + config, "hyp"], check=True)
    lines = qemu(["-M", "virt,virtualization=on,gic-version=3,dtb-randomness=off", "-m", "1G",
                  "-kernel", "build/%s/hyp.elf" % config], config)
    if not any("emv: RESULT" in l for l in lines):
        sys.exit("bench: %s did not finish:\n%s" % (config, "\n".join(lines[-40:])))
    units = vmwork(lines, config, n)
    t0, t1 = window_of(config)
    stats = {}
    for l in lines:
        m = re.search(r"emv: stats at (\d+) ms: cpu 0 el2-insns=(\d+) idle-ns=(\d+) "
                      r"decisions=(\d+)", l)
        if m:
            stats[int(m.group(1))] = tuple(int(x) for x in m.groups()[1:])
    if t0 not in stats or t1 not in stats:
        sys.exit("bench: %s: no hypervisor counters at %d and %d ms" % (config, t0, t1))
    el2, idle, decisions = (b - a for a, b in zip(stats[t0], stats[t1]))
    return {"units": units, "el2": el2, "idle": idle, "decisions": decisions,
            "insns": (t1 - t0) * 1000000 - idle}


def run_native():
    t0, t1 = window_of("bench-linux-vms1")
    lines = qemu(["-M", "virt,gic-version=3,dtb-randomness=off", "-m", "256M",
                  "-kernel", LINUX + "/Image", "-initrd", LINUX + "/initramfs-vms.cpio.gz",
                  "-append", "console=ttyAMA0 nokaslr quiet emv.vms=%d,%d" % (t0, t1)], "native")
    units = vmwork(lines, "native Linux", 1)
    return {"units": units, "el2": 0, "idle": 0, "decisions": 0,
            "insns": (t1 - t0) * 1000000}


def main():
    r = subprocess.run(["scripts/linux-vms-material.sh", LINUX])
    if r.returncode:
        sys.exit("bench: no Linux material (scripts/linux-vms-material.sh exit %d)" % r.returncode)
    cases = [("native", run_native)] + [(n, lambda n=n: run_vms(n)) for n in (1, 2, 3)]
    res = {}
    for name, fn in cases:
        a, b = fn(), fn()
        if a != b:
            sys.exit("bench: %s: two identical runs differ: %r vs %r" % (name, a, b))
        res[name] = a
        print("bench: linux-vms %s: %r" % (name, a), file=sys.stderr)
    t0, t1 = window_of("bench-linux-vms1")
    nat = res["native"]["insns"] / sum(res["native"]["units"])
    one = res[1]["el2"] / sum(res[1]["units"])
    rows = []
    for name in ("native", 1, 2, 3):
        x = res[name]
        u = sum(x["units"])
        per = x["insns"] / u
        el2 = x["el2"] / u
        rows.append("| %s | %s | %d | %.1f | %.4f | %s | %s | %d |" % (
            "Linux native" if name == "native" else "emvisor, %d VM%s" % (name, "s" * (name > 1)),
            " + ".join(str(v) for v in x["units"]), u, per, per / nat,
            "—" if name == "native" else "%.2f" % el2,
            "—" if name == "native" else "%.2f" % (el2 / one), x["decisions"]))
    text = "\n".join([
        "## linux-vms: instructions per unit of guest work with 1, 2 and 3 Linux VMs",
        "",
        "`make bench-linux-vms` (bench/linux_vms_bench.py), `-icount shift=0,sleep=off -smp 1`; "
        "each configuration booted twice with identical figures. Every VM is Debian's 6.1 "
        "kernel with one vCPU, all VMs on the one CPU (credit policy, 10 ms slice; "
        "configs/bench-linux-vms{1,2,3}.dts), each running 4 busy processes "
        "(bench/linux/vmwork.c) over the same window of the counter, %d to %d ms. A **unit of "
        "guest work** is one checksum (two sums modulo 65521) over a 4 KiB buffer, in user "
        "mode, no system calls. Under icount with one CPU the window is %d x 10^6 instructions "
        "of that CPU less the hypervisor's idle time in it (%s); the hypervisor counts its own "
        "instructions at EL2 (a PMU event counter, INST_RETIRED at EL2 only) and logs them "
        "every 2.5 s (`stats-every-ms`). Native: the same kernel and initramfs straight on "
        "QEMU, at EL1, same window." % (
            t0, t1, t1 - t0, "none in any row" if not any(res[k]["idle"] for k in (1, 2, 3))
            else "some: see the instructions column"),
        "",
        "| system | units done (per VM) | units | instructions per unit, all | ratio to native "
        "| hypervisor (EL2) instructions per unit | EL2 ratio to 1 VM | scheduling decisions in "
        "the window |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ] + rows + [
        "",
        "This is the shape of the XenARM paper's CPI-versus-VMs table, but counted: QEMU "
        "models **no caches and no TLB timing**, and under icount every instruction costs the "
        "same, so what grows with the number of VMs here is only instructions executed (VM "
        "switches, each guest kernel's own timer ticks, the hypervisor's interrupt handling), "
        "not the cache and TLB pollution that made the paper's CPI rise. The user-mode work "
        "per unit is the same in every row; the rest of each row's figure is the guest "
        "kernels' and the hypervisor's share: the hypervisor's is %.3f%% of each unit with 3 "
        "VMs. The policy decides once per 10 ms slice in every row; with one VM no decision "
        "switches VMs, with two or three nearly every one does: from 1 to 2 VMs the "
        "hypervisor's instructions per unit grow by %.2f, from 2 to 3 (no more decisions, "
        "only more VMs to choose from) by %.2f." % (
            100 * res[3]["el2"] / res[3]["insns"],
            res[2]["el2"] / sum(res[2]["units"]) - one,
            res[3]["el2"] / sum(res[3]["units"]) - res[2]["el2"] / sum(res[2]["units"])),
    ])
    print(text)
    subprocess.run([sys.executable, "scripts/bench_section.py", "linux-vms"], input=text.encode(),
                   check=True)


if __name__ == "__main__":
    main()
