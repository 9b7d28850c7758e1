#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Linux virtualized vs native: lmbench-style micro-benchmarks (bench/linux/lmb.c) and the boot
to /init, Debian's arm64 kernel booted directly on QEMU (native) and in an emvisor VM, the same
kernel, initramfs, command line and memory size.

Each side boots under `-icount shift=0,sleep=off` (one instruction per ns; lmb reads CNTVCT,
16 instructions per tick) and `-seed 1`, which makes the random bytes QEMU writes into its device
tree (/chosen/rng-seed, the board's entropy) the same every run: with them Linux's state, and so
its instruction counts, vary from boot to boot by up to a few per cent. Every configuration is
booted twice and the figures compared: the section says whether they came out identical.

In the VM, the hypervisor traces every guest exit with its cause (`trace;` in the config); the
exits inside each test's counter window (lmb prints it) say where the VM's extra instructions
go. Writes the `linux` section of docs/benchmarks.md.

    bench/linux_bench.py [--no-smp2]
"""
import re
import subprocess
import sys

QEMU = ["qemu-system-aarch64", "-seed", "1", "-cpu", "cortex-a53", "-nographic", "-nic", "none",
        "-monitor", "none", "-icount", "shift=0,sleep=off",
        "-rtc", "base=2024-01-01T00:00:00,clock=vm"]
NS_PER_TICK = 16  # CNTFRQ 62.5 MHz; under icount shift=0 one instruction per ns
LINUX = "build/linux"
TESTS = ["null-syscall", "read-devnull", "write-devnull", "open-close", "fork-exit", "fork-exec",
         "pipe-roundtrip", "page-fault", "cpu-checksum-64k"]
KINDS = ["irq", "wfx", "hvc", "smc", "sysreg", "mmio", "iabt", "fp", "other"]

# What each test does, and where a VM's extra instructions can come from besides its exits.
WHAT = {
    "null-syscall": "getppid: SVC to EL1 and back",
    "read-devnull": "read(2) of 1 byte from /dev/null",
    "write-devnull": "write(2) of 1 byte to /dev/null",
    "open-close": "open + close of /dev/null",
    "fork-exit": "fork, child _exit, parent waitpid",
    "fork-exec": "fork, child execs lmb (static), waitpid",
    "pipe-roundtrip": "1 byte to another process and back through two pipes (2 switches)",
    "page-fault": "first write to a fresh anonymous page (fault, zeroing, mapping)",
    "cpu-checksum-64k": "Fletcher checksum over 64 KiB, in EL0 only",
}


def run(cmd, what):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL, timeout=900)
    out = p.stdout.decode(errors="replace").replace("\r", "")
    if "lmb done" not in out:
        sys.exit("bench-linux: %s did not finish:\n%s" % (what, out[-3000:]))
    return out.splitlines()


def parse(lines, prefix=""):
    """lmb's lines (after the console prefix): {test: (n, instr/op, t0, t1)}, /init's ticks."""
    res, ticks = {}, None
    for l in lines:
        if not l.startswith(prefix + "lmb "):
            continue
        f = l[len(prefix):].split()
        if f[1] == "ticks":
            ticks = int(f[2])
        elif f[1] in TESTS:
            res[f[1]] = (int(f[2]), float(f[3]), int(f[4]), int(f[5]))
    missing = [t for t in TESTS if t not in res]
    if missing or ticks is None:
        sys.exit("bench-linux: lmb printed no figure for %s" % (missing or "the boot"))
    return res, ticks


def config_value(config, prop, kind):
    out = subprocess.run(["fdtget", "-t", kind, "build/%s/config.dtb" % config, "/vms/linux",
                          prop], stdout=subprocess.PIPE, check=True).stdout.decode().strip()
    return out


def native(config, smp):
    """Linux straight on QEMU, with the VM's command line and memory size (from the config)."""
    bootargs = config_value(config, "bootargs", "s")
    mem = [int(x, 16) for x in config_value(config, "memory", "x").split()]
    size_mb = ((mem[2] << 32) | mem[3]) >> 20
    lines = run(QEMU + ["-M", "virt,gic-version=3", "-smp", str(smp), "-m", "%dM" % size_mb,
                        "-kernel", LINUX + "/Image", "-initrd", LINUX + "/initramfs-bench.cpio.gz",
                        "-append", bootargs], "native Linux (-smp %d)" % smp)
    res, ticks = parse(lines)
    return {"res": res, "boot": ticks * NS_PER_TICK, "exits": None, "lines": lines}


def emvisor(config, smp):
    subprocess.run(["make", "-s", "CONFIG=" + config, "hyp"], check=True)
    lines = run(QEMU + ["-M", "virt,virtualization=on,gic-version=3", "-smp", str(smp), "-m", "1G",
                        "-kernel", "build/%s/hyp.elf" % config], "emvisor, config " + config)
    res, ticks = parse(lines, "[linux] ")
    start = next((int(m.group(1)) for m in
                  (re.match(r"^emv: guests start at (\d+) ns$", l) for l in lines) if m), None)
    if start is None:
        sys.exit("bench-linux: %s: no 'guests start at' line" % config)
    if not any(re.match(r"^emv: entropy: \d+ bytes from /chosen/rng-seed", l) for l in lines):
        sys.exit("bench-linux: %s: the hypervisor found no entropy for the VM's rng-seed" % config)
    ends = [re.match(r"^emv: trace-end events=(\d+) dropped=(\d+)$", l) for l in lines]
    ends = [m for m in ends if m]
    if not ends:
        sys.exit("bench-linux: %s: no trace (the config must say `trace;`)" % config)
    exits = []  # (ns, kind, hypervisor ns = instructions)
    for l in lines:
        m = re.match(r"^emv: trace (\d+) \d+ exit linux \d+ (\w+):(\d+)$", l)
        if m:
            exits.append((int(m.group(1)), m.group(2), int(m.group(3))))
    first = exits[0][0] if exits else 0
    if int(ends[0].group(2)) and any(first > r[2] * NS_PER_TICK for r in res.values()):
        sys.exit("bench-linux: %s: the trace lost events inside the tests' windows" % config)
    total = next((l for l in lines if re.match(r"^emv: vm linux vcpu 0: exits ", l)), "")
    boot = [e for e in exits if start <= e[0] <= ticks * NS_PER_TICK]
    if int(ends[0].group(2)) and (not exits or first > start):
        boot = None  # the trace ring lost the boot's first exits
    return {"res": res, "boot": ticks * NS_PER_TICK - start, "hyp_start": start,
            "boot_exits": boot,
            "exits": exits, "exit_total": total.split("exits ")[-1], "lines": lines}


def window_exits(run_, test):
    """Exits by kind inside the test's window, and the hypervisor's instructions for them."""
    n, _, t0, t1 = run_["res"][test]
    counts, el2 = dict.fromkeys(KINDS, 0), 0
    for t, k, d in run_["exits"]:
        if t0 * NS_PER_TICK <= t <= t1 * NS_PER_TICK:
            counts[k] = counts.get(k, 0) + 1
            el2 += d
    return counts, el2


def figures(r):
    """What must match between two runs of one configuration."""
    return ({t: r["res"][t][:2] for t in TESTS}, r["boot"],
            [window_exits(r, t) for t in TESTS] if r["exits"] is not None else None)


def twice(fn, *args):
    a, b = fn(*args), fn(*args)
    same = figures(a) == figures(b)
    diff = 0.0
    for t in TESTS:
        x, y = a["res"][t][1], b["res"][t][1]
        diff = max(diff, abs(x - y) / max(x, 1e-9))
    return a, same, diff


def explain(test, nat, emv, exits, n, smp):
    ex, el2 = exits
    extra = emv - nat
    nexits = sum(ex.values())
    parts = ["%d %s" % (v, k) for k, v in ex.items() if v]
    txt = "%s exits (%s) in the window" % (nexits, ", ".join(parts)) if nexits else \
        "no exit in the window"
    if nexits and smp > 1:
        # One clock for both CPUs: an exit's time on one CPU includes what the other ran
        # meanwhile, so the hypervisor's share cannot be told apart from the guest's here.
        txt += ", %.2f per op" % (nexits / n)
        if extra > 0:
            txt += ", %.0f instructions of extra per exit" % (extra * n / nexits)
        return txt
    if nexits:
        txt += ", %d hypervisor instructions = %.1f/op" % (el2, el2 / n)
    guest = extra - el2 / n
    txt += "; the guest's own difference %+.1f/op" % guest
    if abs(guest) > 0.005 * nat:
        txt += " (" + GUEST_NOTE.get(test, GUEST_DEFAULT) + ")"
    return txt


# Why the guest itself can run a different number of instructions in the VM, exits aside.
GUEST_DEFAULT = "its kernel state differs from the native boot's: the VM's device tree has " \
    "fewer devices (no PCIe, virtio-mmio, fw_cfg, flash, RTC), other random bytes, other " \
    "page and slab allocator history"
GUEST_NOTE = {
    "pipe-roundtrip": "scheduler and wake-up paths; " + GUEST_DEFAULT,
    "fork-exit": "process creation and teardown walk the allocators; " + GUEST_DEFAULT,
    "fork-exec": "process creation and teardown walk the allocators; " + GUEST_DEFAULT,
}


SMP2_NOTE = (
    "With 2 CPUs the counter is one clock advanced by both CPUs' instructions, so an exit's "
    "time on one CPU includes what the other ran meanwhile: the table gives exits per "
    "operation and the extra per exit instead of the hypervisor's share. A test whose two "
    "processes (or parent and child) wake each other across the CPUs pays for it in the VM: "
    "the waker's IPI is a trapped ICC_SGI1R_EL1 write (sysreg), the sleeper's WFI an exit that "
    "blocks its vCPU until the hypervisor wakes it; natively the idle CPU's WFI and the IPI "
    "cost no instructions beyond the guest's own. That is the pipe round trip's extra (about "
    "4 exits per round trip) and fork's (the child runs on the other CPU).\n")


def section(cases):
    out = [
        "## linux: Debian's Linux in a VM vs native",
        "",
        "`make bench-linux` (bench/linux_bench.py). The same Debian arm64 kernel (%s), initramfs "
        "and command line, booted directly on QEMU (native) and in an emvisor VM alone "
        "(configs/bench-linux.dts; bench-linux-2.dts for 2 vCPUs), 512 MiB each, under `-icount "
        "shift=0,sleep=off` and `-seed 1`. bench/linux/lmb.c (static, Debian's cross gcc) "
        "reads CNTVCT_EL0 around each test: instructions per operation, everything the system "
        "ran meanwhile (EL0, EL1 and, in the VM, EL2). lmb runs with scale 10 (the iteration "
        "counts below). Ratio = emvisor / native. Where the extra goes: the hypervisor traces "
        "each guest exit with its cause and the instructions it spent at EL2 until a guest ran "
        "again (idle time excluded); the exits inside a test's counter window give the "
        "hypervisor's share, the rest of the difference is the guest's own (a different code "
        "path in the same kernel). irq exits are Linux's 250 Hz timer tick (the virtual timer "
        "fires, the hypervisor takes it at EL2 and injects it); wfx and sysreg exits (2 vCPUs) "
        "are a vCPU idling in WFI and the other waking it with an SGI (ICC_SGI1R_EL1 traps). "
        "The tracing itself adds a few instructions per exit." % open(
            LINUX + "/version").read().strip(),
        "",
    ]
    for label, smp, nat, emv, same_n, same_e, dn, de in cases:
        out += [
            "### %s" % label,
            "",
            "| test | ops | native instr/op | emvisor instr/op | ratio | where the extra goes |",
            "|---|---:|---:|---:|---:|---|",
        ]
        for t in TESTS:
            n, a = nat["res"][t][:2]
            b = emv["res"][t][1]
            ex = window_exits(emv, t)
            out.append("| %s (%s) | %d | %.2f | %.2f | %.3f | %+.1f/op: %s |" % (
                t, WHAT[t], n, a, b, b / a, b - a, explain(t, a, b, ex, n, smp)))
        be = emv["boot_exits"]
        if smp > 1 and be is not None:
            kinds = {}
            for _, k, _ in be:
                kinds[k] = kinds.get(k, 0) + 1
            boot_ex = "%d exits (%s)" % (
                len(be), ", ".join("%d %s" % (v, k) for k, v in sorted(kinds.items())))
        elif be is None:
            boot_ex = "the trace ring did not hold the whole boot"
        else:
            kinds = {}
            for _, k, _ in be:
                kinds[k] = kinds.get(k, 0) + 1
            boot_ex = "%d exits (%s), %d hypervisor instructions; the guest's own difference " \
                "%+d: Linux probes fewer devices in the VM (its device tree has no PCIe, " \
                "virtio-mmio, fw_cfg, flash or RTC)" % (
                    len(be), ", ".join("%d %s" % (v, k) for k, v in sorted(kinds.items())),
                    sum(d for _, _, d in be),
                    emv["boot"] - nat["boot"] - sum(d for _, _, d in be))
        out += [
            "| boot to /init (Linux's first instruction to lmb's first counter read in /init) "
            "| 1 | %d | %d | %.3f | %+d: %s. Not counted: the hypervisor's own start before the "
            "VM's first instruction (%d instructions, mostly zeroing the VM's 512 MiB and "
            "copying the kernel and initramfs in); native counts QEMU's few boot-stub "
            "instructions |" % (nat["boot"], emv["boot"], emv["boot"] / nat["boot"],
                                emv["boot"] - nat["boot"], boot_ex, emv["hyp_start"]),
            "",
            SMP2_NOTE if smp > 1 else "",
            "Guest exits over the whole VM run (boot, tests, power-off), vCPU 0: %s. "
            "Determinism: native %s; emvisor %s." % (
                emv["exit_total"],
                "identical in two runs" if same_n else "differs between two runs by up to %.2f %%"
                % (100 * dn),
                "identical in two runs (figures and exits in every window)" if same_e else
                "differs between two runs by up to %.2f %%" % (100 * de)),
            "",
        ]
    return out


def main():
    p = subprocess.run(["scripts/linux-bench-material.sh", LINUX])
    if p.returncode == 2:
        sys.exit("bench-linux: no Linux material (scripts/linux-material.sh could not fetch it)")
    if p.returncode:
        sys.exit("bench-linux: scripts/linux-bench-material.sh failed")
    cases = []
    for label, config, smp in [("1 vCPU (native: -smp 1)", "bench-linux", 1),
                               ("2 vCPUs (native: -smp 2)", "bench-linux-2", 2)]:
        if smp == 2 and "--no-smp2" in sys.argv:
            continue
        subprocess.run(["make", "-s", "CONFIG=" + config, "hyp"], check=True)
        nat, same_n, dn = twice(native, config, smp)
        emv, same_e, de = twice(emvisor, config, smp)
        cases.append((label, smp, nat, emv, same_n, same_e, dn, de))
    text = "\n".join(section(cases)).rstrip("\n")
    print(text)
    subprocess.run([sys.executable, "scripts/bench_section.py", "linux"], input=text.encode(),
                   check=True)


if __name__ == "__main__":
    main()
