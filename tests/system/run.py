#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""QEMU system tests: boot a config, read the UART, judge by the hypervisor's own report.

Every scenario boots build/<config>/hyp.elf under QEMU with a timeout. The verdict comes
from lines only the hypervisor can print (`emv: ...` at the start of a line; guest output is
always prefixed `[name] `), never from QEMU's exit code alone: semihosting is off, so no guest
can end QEMU, and the report is read line by line. Prints TAP.
Usage: run.py [-k substring] [--keep-logs DIR]
"""
import argparse
import os
import re
import subprocess
import sys
import threading
import time

QEMU = ["qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=3", "-cpu", "cortex-a53",
        "-m", "1G", "-nographic", "-nic", "none", "-monitor", "none"]


class Run:
    def __init__(self, config, out, rc, seconds):
        self.config, self.out, self.rc, self.seconds = config, out, rc, seconds
        self.lines = out.splitlines()

    def hyp(self, pattern):
        """First hypervisor line matching pattern (regex after 'emv: ')."""
        rx = re.compile(r"^emv: " + pattern)
        return next((l for l in self.lines if rx.search(l)), None)

    def guest(self, vm, pattern):
        rx = re.compile(r"^\[" + re.escape(vm) + r"\] " + pattern)
        return [i for i, l in enumerate(self.lines) if rx.search(l)]

    def vcpu_stat(self, vm, key):
        line = self.hyp(r"vm %s vcpu 0: .*%s=(\d+)" % (re.escape(vm), key))
        return int(re.search(key + r"=(\d+)", line).group(1)) if line else -1

    def cpu_stat(self, cpu, key):
        line = self.hyp(r"cpu %d: policy=.*%s=(\d+)" % (cpu, re.escape(key)))
        return int(re.search(re.escape(key) + r"=(\d+)", line).group(1)) if line else -1

    def state(self, vm):
        line = self.hyp(r"vm %s: state=" % re.escape(vm))
        return line.split("state=")[1].split()[0] if line else None

    def index(self, pattern):
        rx = re.compile(pattern)
        return next((i for i, l in enumerate(self.lines) if rx.search(l)), None)


def boot_typing(cmd, timeout, typing):
    """Run QEMU, typing at its console: for each (regex, text) in turn, once a line matches,
    the text goes in a byte at a time (as a person types: the UARTs' FIFOs are small)."""
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    timer = threading.Timer(timeout, p.kill)
    timer.start()
    lines, todo = [], list(typing)
    for raw in p.stdout:
        lines.append(raw.decode(errors="replace"))
        if todo and re.search(todo[0][0], lines[-1]):
            try:
                for ch in todo.pop(0)[1]:
                    p.stdin.write(ch.encode())
                    p.stdin.flush()
                    time.sleep(0.02)
            except BrokenPipeError:
                todo = []
    p.wait()
    killed = not timer.is_alive()
    timer.cancel()
    return "".join(lines) + ("\n<TIMEOUT>\n" if killed else ""), None if killed else p.returncode


# A config is built for the CPUs QEMU gives it (make SMP=, emvcfg --cpus), except these: built
# for more CPUs than they boot on, to test the hypervisor's own check at boot.
BUILD_SMP = {"test-stopboth": 3}


def boot(config, smp=2, timeout=60, extra=(), typing=None):
    subprocess.run(["make", "-s", "CONFIG=" + config, "SMP=%d" % BUILD_SMP.get(config, smp), "hyp"],
                   check=True)
    cmd = QEMU + ["-smp", str(smp), "-kernel", "build/%s/hyp.elf" % config] + list(extra)
    t0 = time.time()
    if typing:
        out, rc = boot_typing(cmd, timeout, typing)
        return Run(config, out.replace("\r", ""), rc, time.time() - t0)
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL, timeout=timeout)
        out, rc = p.stdout.decode(errors="replace"), p.returncode
    except subprocess.TimeoutExpired as e:
        out, rc = (e.stdout or b"").decode(errors="replace") + "\n<TIMEOUT>\n", None
    return Run(config, out.replace("\r", ""), rc, time.time() - t0)


class Checks:
    """Collects named checks of one scenario; each becomes a TAP line."""

    def __init__(self, name, run):
        self.name, self.run, self.results = name, run, []

    def ok(self, cond, what):
        self.results.append((bool(cond), "%s: %s" % (self.name, what)))

    def ended_cleanly(self, not_started=0):
        """The run ended by the hypervisor's system off, without a panic, and with every VM of
        the config started: a VM that cannot start fails the run (its RESULT line says FAILED)
        unless the scenario expects exactly @not_started such VMs."""
        r = self.run
        self.ok(r.rc == 0, "QEMU exited 0 after the hypervisor's system off (rc=%s)" % r.rc)
        self.ok(r.hyp(r"RESULT: ") is not None, "hypervisor printed its RESULT line")
        self.ok(r.hyp(r"PANIC") is None, "no hypervisor panic")
        m = re.search(r"; FAILED: (\d+) vm\(s\) did not start$", r.hyp(r"RESULT: ") or "")
        failed = int(m.group(1)) if m else 0
        self.ok(failed == not_started,
                "every VM of the config started" if not not_started else
                "%d VM(s) did not start, as planned, and the RESULT line says FAILED" % not_started)


def ran_on(r, vm):
    """Mask of the physical CPUs the hypervisor switched @vm's vCPU 0 in on, or None."""
    line = r.hyp(r"vm %s vcpu 0: .*ran-on=0x" % re.escape(vm))
    return int(re.search(r"ran-on=0x([0-9a-f]+)", line).group(1), 16) if line else None


def scenario_boot(c):
    r = c.run
    c.ended_cleanly()
    c.ok(r.hyp(r"2 cpu\(s\) online"), "both CPUs came up")
    c.ok(r.hyp(r"3 of 3 vm\(s\) started"), "three VMs started")
    for vm in ("alpha", "beta", "gamma"):
        c.ok(r.guest(vm, r"hello from %s: vm \d+ vcpu 0" % vm), "%s printed its greeting" % vm)
        c.ok(len(r.guest(vm, r"tick \d+")) >= 3, "%s printed at least 3 tick lines" % vm)
        c.ok(r.state(vm) == "running", "%s still running at the end" % vm)
    for vm in ("alpha", "beta", "gamma"):
        cpu, ran = r.vcpu_stat(vm, "cpu"), ran_on(r, vm)
        c.ok(cpu in (0, 1) and ran == 1 << cpu,
             "%s was switched in only on CPU %d, where the config pins it (ran-on mask %s)"
             % (vm, cpu, ran))
    c.ok(r.vcpu_stat("gamma", "cpu") == 1 and r.vcpu_stat("alpha", "cpu") == 0,
         "the config's pinning is alpha on CPU 0, gamma on CPU 1")
    c.ok(r.hyp(r"RESULT: 3 vms, 3 running, 0 stopped"), "report: 3 running")


def scenario_timer(c):
    r = c.run
    c.ended_cleanly()
    # 2000 ms run, ticks every 20 ms; three VMs time-share CPU 0 with 2 ms slices.
    for vm in ("busy1", "busy2", "busy3", "sleeper"):
        irqs = r.vcpu_stat(vm, "timer-irqs")
        c.ok(irqs >= 60, "%s got %d timer interrupts (>= 60 expected in ~1.8 s at 20 ms)"
             % (vm, irqs))
    for vm in ("busy1", "busy2", "busy3"):
        sw = r.vcpu_stat(vm, "switches")
        c.ok(sw >= 100, "%s was switched in %d times (>= 100): ticks survived switches" % (vm, sw))
    c.ok(r.hyp(r"RESULT: 4 vms, 4 running, 0 stopped"), "report: 4 running")


ATTACKS = {
    "evil-vm": r"stage-2 fault: write of 8 bytes at ipa 0x48000000 \(not mapped for this VM\), esr 0x[0-9a-f]+, pc 0x",
    "evil-hyp": r"stage-2 fault: write of 8 bytes at ipa 0x40200000 \(not mapped for this VM\), esr 0x",
    "evil-dev": r"stage-2 fault: write of 8 bytes at ipa 0x9010000 \(not mapped for this VM\), esr 0x",
    "evil-uart": r"stage-2 fault: read of 8 bytes at ipa 0x9000000 \(not mapped for this VM\), esr 0x",
    "evil-exec": r"stage-2 fault: instruction fetch at ipa 0x48000000, esr 0x",
    "evil-stp": r"stage-2 fault: write at ipa 0x8000000 \(access not decodable\), esr 0x",
}


def scenario_isolation(c):
    r = c.run
    c.ended_cleanly()
    for vm, rx in ATTACKS.items():
        c.ok(r.hyp(r"vm '%s' stopped: %s" % (re.escape(vm), rx)),
             "%s stopped with name, address and syndrome logged" % vm)
        c.ok(r.state(vm) == "stopped", "%s reported stopped" % vm)
        c.ok(not r.guest(vm, "SURVIVED"), "%s did not survive its attack" % vm)
    last_stop = max((r.index(r"^emv: vm '%s' stopped" % vm) or 10**9) for vm in ATTACKS)
    after = [i for i in r.guest("victim", r"tick \d+") if i > last_stop]
    c.ok(len(after) >= 3, "victim kept printing after the last attack (%d lines)" % len(after))
    c.ok(r.state("victim") == "running", "victim still running")
    c.ok(r.hyp(r"RESULT: 7 vms, 1 running, 6 stopped"), "report: 1 running, 6 stopped")


def scenario_spin(c):
    r = c.run
    c.ended_cleanly()
    irqs = r.vcpu_stat("victim", "timer-irqs")
    c.ok(irqs >= 60, "victim got %d timer interrupts beside a masked spinner (>= 60)" % irqs)
    c.ok(len(r.guest("victim", r"tick \d+")) >= 10, "victim kept printing")
    c.ok(r.guest("spinner", r"attack 4"), "spinner started spinning with interrupts masked")
    sw = r.vcpu_stat("spinner", "switches")
    c.ok(sw >= 50, "spinner was preempted and resumed %d times (>= 50)" % sw)
    c.ok(r.state("spinner") == "running", "spinner is not punished: it just gets its share")


def console_counts(r):
    """(tx-irqs, dropped-bytes, throttled) from the report, or None."""
    m = re.search(r"console: tx-irqs=(\d+) dropped-bytes=(\d+) throttled=(\d+)",
                  r.hyp(r"console: tx-irqs=") or "")
    return tuple(int(g) for g in m.groups()) if m else None


def console_dropped(r, vm):
    line = r.hyp(r"console: vm %s dropped-bytes=" % re.escape(vm))
    return int(line.split("dropped-bytes=")[1]) if line else -1


def scenario_conflood(c):
    """configs/test-conflood.dts: a flood from CPU 1 against the transmit interrupt on CPU 0.
    Before the interrupt work was bounded CPU 0 never left its interrupt loop: no report."""
    r = c.run
    c.ended_cleanly()
    counts = console_counts(r)
    c.ok(counts is not None, "report has the console line (%s)" % (counts,))
    irqs, dropped, throttled = counts or (0, -1, 0)
    c.ok(irqs > 1000 and throttled > 0, "the transmit interrupt drained the console (%d "
         "interrupts) and was throttled %d times" % (irqs, throttled))
    fl = console_dropped(r, "flood")
    c.ok(fl > 100000 and fl == dropped, "only the flooder's bytes were dropped and counted (%d "
         "of %d)" % (fl, dropped))
    c.ok(r.hyp(r"console: \d+ bytes dropped \(flood\)$"), "a notice named the flooder")
    c.ok(r.guest("flood", r"flood start$"), "the flooder started")
    c.ok(r.vcpu_stat("flood", "hypercalls") > 500, "the flooder kept writing (%d hypercalls)"
         % r.vcpu_stat("flood", "hypercalls"))
    for vm in ("ticker", "busy"):
        c.ok(console_dropped(r, vm) == 0, "none of %s's lines dropped: its share is its own" % vm)
    start = r.index(r"^\[flood\] flood start$") or 10**9
    at = [int(re.search(r"tick (\d+) at (\d+) ms", r.lines[i]).group(2))
          for i in r.guest("ticker", r"tick \d+ at \d+ ms")]
    ticks = [int(re.search(r"tick (\d+) at", r.lines[i]).group(1))
             for i in r.guest("ticker", r"tick \d+ at \d+ ms")]
    after = [i for i in r.guest("ticker", r"tick \d+ at") if i > start]
    gap = max(b - a for a, b in zip(at, at[1:])) if len(at) > 1 else None
    c.ok(len(ticks) >= 85 and ticks == list(range(1, len(ticks) + 1)) and len(after) >= 70,
         "CPU 0: ticker printed %d ticks (%d during the flood), none lost or reordered"
         % (len(ticks), len(after)))
    c.ok(gap is not None and gap <= 30 and at[-1] >= 1900, "CPU 0: ticks never more than 30 ms "
         "apart (worst %s ms), up to the end (last at %s ms)" % (gap, at[-1] if at else None))
    run_ms = r.vcpu_stat("busy", "runtime-ms")
    c.ok(run_ms >= 1000, "CPU 0: busy still got %d ms of the CPU (>= 1000 of ~2000)" % run_ms)
    for vm in ("ticker", "busy", "flood"):
        c.ok(r.state(vm) == "running", "%s still running" % vm)


def scenario_crosscpu(c):
    r = c.run
    c.ended_cleanly()
    c.ok(r.guest("spinner", r"attack 4"), "CPU 0: spinner masks interrupts and spins")
    c.ok(r.guest("flooder", r"flooded 262144 bytes"), "CPU 0: flooder wrote 256 KiB to the console")
    c.ok(r.state("crasher") == "stopped", "CPU 0: crasher was stopped by its stage-2 fault")
    at = [int(re.search(r"tick \d+ at (\d+) ms", r.lines[i]).group(1))
          for i in r.guest("far", r"tick \d+ at \d+ ms")]
    gap = max(b - a for a, b in zip(at, at[1:])) if len(at) > 1 else None
    irqs = r.vcpu_stat("far", "timer-irqs")
    c.ok(irqs >= 85, "CPU 1: far got %d timer interrupts in ~1.9 s at 20 ms (>= 85)" % irqs)
    c.ok(len(at) >= 85 and gap is not None and gap <= 30,
         "CPU 1: far printed %d ticks, never more than 30 ms apart (worst %s ms)" % (len(at), gap))
    c.ok(ran_on(r, "far") == 2 and r.state("far") == "running", "far ran on CPU 1 only, still running")


def scenario_console(c):
    """configs/test-console.dts: a 16-byte drain per call, so the UART's transmit interrupt
    must move almost everything. The flooder shares CPU 0 with that interrupt, which may take
    only a bounded part of it, so the flooder outruns the drain: its share of the ring fills
    and its excess lines are dropped whole and counted, never cut or reordered; far's lines
    are never dropped."""
    r = c.run
    c.ended_cleanly()  # the report itself had to get out: the console turns synchronous
    irqs, dropped, throttled = console_counts(r) or (0, -1, 0)
    c.ok(irqs > 500, "the UART transmit interrupt drained the console (%d interrupts, "
         "throttled %d times)" % (irqs, throttled))
    c.ok(console_dropped(r, "far") == 0 and console_dropped(r, "flooder") == dropped,
         "only the flooder's bytes were dropped (%d of %d)"
         % (console_dropped(r, "flooder"), dropped))
    total = broken = uncut = 0
    for i in r.guest("flooder", r"[a-z]+$"):
        s = r.lines[i][len("[flooder] "):]
        total += len(s)
        uncut += len(s) in (120, 4095 % 120)  # the hypervisor cuts lines at 120 characters
        broken += sum(1 for a, b in zip(s, s[1:]) if (ord(a) - 97 + 1) % 26 != ord(b) - 97)
    n = len(r.guest("flooder", r"[a-z]+$"))
    c.ok(n > 0 and uncut == n and broken == 0, "the flood's lines that arrived are whole and in "
         "order (%d lines, %d characters, %d out of place)" % (n, total, broken))
    # Every byte the flooder wrote went out or was counted: each line is queued as
    # "[flooder] " + text + "\r\n"; a chunk is 34 lines of 120 and one of 4095 % 120.
    arrived = sum(len(r.lines[i]) + 2 for i in r.guest("flooder", r".*"))
    attack = r.guest("flooder", r"attack 6 ")
    wrote = (len(r.lines[attack[0]]) + 2 if attack else 0) + 64 * (34 * 132 + 27) + 32
    c.ok(arrived + console_dropped(r, "flooder") == wrote,
         "every byte the flooder queued arrived or was counted as dropped (%d + %d of %d)"
         % (arrived, console_dropped(r, "flooder"), wrote))
    c.ok(r.hyp(r"console: \d+ bytes dropped \(flooder\)$"), "a notice named the flooder")
    strays = [l for l in r.lines if l and not re.match(r"(emv: |\[(far|flooder)\] )", l)]
    c.ok(not strays, "every console line starts with its owner's prefix (%d strays: %r)"
         % (len(strays), strays[:2]))
    ticks = [int(re.search(r"tick (\d+) at", r.lines[i]).group(1))
             for i in r.guest("far", r"tick \d+ at \d+ ms")]
    c.ok(len(ticks) >= 85 and ticks == list(range(1, len(ticks) + 1)),
         "CPU 1: far printed %d ticks, none lost or reordered" % len(ticks))
    c.ok(r.vcpu_stat("far", "timer-irqs") >= 85, "CPU 1: far got its timer interrupts (%d)"
         % r.vcpu_stat("far", "timer-irqs"))


def scenario_stoprace(c):
    """guests/bare/stoprace.S: a VM stopped by vCPU 0's fault while vCPU 1, on CPU 1, is in
    and out of EMV_HC_BLOCK all the time. A race detector: before the fix, 2 of 3 runs let
    vCPU 1 run on (and print) after the stop."""
    r = c.run
    c.ended_cleanly()
    stop = r.hyp(r"vm 'racer' stopped: stage-2 fault: write of 8 bytes at ipa 0x1000")
    at = r.lines.index(stop) if stop else len(r.lines)
    alive = r.guest("racer", r"alive$")
    c.ok(stop and r.state("racer") == "stopped", "the store outside its RAM stopped the VM")
    c.ok(not [i for i in alive if i > at],
         "no line of the VM after the stop (%d before it, %d after)"
         % (sum(1 for i in alive if i < at), sum(1 for i in alive if i > at)))
    m = re.search(r"vm racer vcpu 1: .*runtime-us=(\d+)", r.hyp(r"vm racer vcpu 1: ") or "")
    c.ok(m and int(m.group(1)) < 600000,
         "vCPU 1 on CPU 1 stopped too (ran %s us of 1.5 s)" % (m and m.group(1)))
    c.ok(r.cpu_stat(1, "idle") > 0, "CPU 1 idles between far's ticks once the VM is gone")
    c.ok(len(r.guest("far", r"tick \d+ at \d+ ms")) >= 50, "far on CPU 1 kept ticking")


def scenario_stopboth(c):
    r = c.run
    c.ended_cleanly(not_started=1)
    stops = [l for l in r.lines if l.startswith("emv: vm 'racer1' stopped: ")]
    c.ok(len(stops) == 1, "two CPUs stopping one VM at once log one stop, not %d" % len(stops))
    whole = r"stage-2 fault: write of 8 bytes at ipa 0x10(00|08) \(not mapped for this VM\), " \
            r"esr 0x[0-9a-f]+, pc 0x[0-9a-f]+$"
    c.ok(stops and re.search(r"stopped: " + whole, stops[0]), "with one whole reason (%s)"
         % (stops[0] if stops else None))
    c.ok(r.hyp(r"vm racer1: state=stopped reason=" + whole), "the report shows that reason")
    c.ok(r.hyp(r"vm 'lost' \(id 2\) not started: vcpu 0: cpu 2 is not online"),
         "a VM that cannot start says why, under its config id (2)")
    c.ok(r.hyp(r"vm 'after' \(id 3\): ram") and r.guest("after", r"hello from after: vm 3 vcpu 0"),
         "the VM after it keeps its config id 3 (the guest sees id 3)")
    c.ok(r.state("lost") == "stopped" and r.state("after") == "running",
         "the report lists the VM that did not start as stopped, the others as they are")
    c.ok(r.hyp(r"2 of 3 vm\(s\) started") and
         r.hyp(r"RESULT: 3 vms, 1 running, 2 stopped; FAILED: 1 vm\(s\) did not start$"),
         "and counts it (2 of 3 started; 1 running, 2 stopped; the run failed)")


def scenario_rtc(c):
    r = c.run
    c.ended_cleanly()
    c.ok(r.guest("clock", r"rtc: armed at \d+ s"), "the owner armed the PL031 alarm")
    ms = [int(re.search(r"\((\d+) ms\)", r.lines[i]).group(1))
          for i in r.guest("clock", r"rtc: alarm \d+ at \d+ s \(\d+ ms\)")]
    c.ok(len(ms) == 3, "its handler ran for each of the 3 alarms (%d): the guest's EOI "
         "deactivated the physical line each time" % len(ms))
    gaps = [b - a for a, b in zip(ms, ms[1:])]
    c.ok(len(gaps) == 2 and all(900 <= g <= 1100 for g in gaps),
         "one second apart, as armed (%s ms)" % gaps)
    c.ok(r.guest("clock", r"rtc: 3 alarm\(s\), 0 stray interrupt\(s\)"),
         "no other interrupt reached the handler")
    c.ok(r.hyp(r"unexpected interrupt") is None, "the hypervisor took no interrupt it did not expect")
    c.ok(r.state("other") == "running" and len(r.guest("other", r"tick \d+")) >= 2,
         "the VM beside it, which does not own the RTC, ran on")
    c.ok(r.hyp(r"RESULT: 2 vms, 2 running, 0 stopped"), "report: both running")


def scenario_rtcreset(c):
    r = c.run
    c.ended_cleanly()
    c.ok(r.guest("clock", r"rtc: alarm taken, restarting the VM before its end of interrupt$"),
         "the first run asks SYSTEM_RESET from its alarm handler, the interrupt still active")
    c.ok(not r.guest("clock", r"rtc: SYSTEM_RESET returned"), "SYSTEM_RESET does not return")
    c.ok(r.hyp(r"vm 'clock' restarted by the guest \(PSCI SYSTEM_RESET, vcpu 0\) \(restart 1\)"),
         "the hypervisor restarts that VM")
    c.ok(r.guest("clock", r"rtc: restarted \(counter at 10\d\d s, loaded by the first run\)"),
         "the restarted run starts afresh (its memory cleared, the RTC counting on)")
    c.ok(r.guest("clock", r"rtc: 3 alarm\(s\), [01] stray interrupt\(s\)"),
         "it takes its 3 alarms: the line active across the restart was deactivated (at most "
         "one stray: the RTC still holds its line high when the new run enables it)")
    c.ok(r.state("other") == "running" and r.state("clock") == "running",
         "report: both running")


def scenario_pingpong(c):
    r = c.run
    c.ended_cleanly()
    c.ok(r.guest("be", r"pingpong: serving ping-fe \(port 2, region at 0x800000000\) for fe$")
         and r.guest("be", r"pingpong: serving ping-far \(port 3, region at 0x800001000\) for far$"),
         "the server found both channels and regions in its boot information (ports 2, 3)")
    for vm, where in (("fe", "same CPU"), ("far", "across CPUs")):
        i = r.guest(vm, r"pingpong: \d+ round trips, \d+ wrong, \d+ lost, \d+ upcalls")
        m = re.search(r"(\d+) round trips, (\d+) wrong, (\d+) lost, (\d+) upcalls", r.lines[i[0]]) \
            if i else None
        c.ok(m and m.groups()[:3] == ("10000", "0", "0"),
             "%s (%s): 10,000 requests, every answer right, none lost (%s)"
             % (vm, where, m and m.group(0)))
        c.ok(m and 1 <= int(m.group(4)) <= 10000,
             "%s: woken by the event channel, never more than once per answer (%s upcalls)"
             % (vm, m and m.group(4)))
    c.ok(r.hyp(r"RESULT: 3 vms, 3 running, 0 stopped"), "report: all running")


def ring_client(c, vm, where, batch, n=10000):
    """A ringpong client's report: every answer right, and the ring's notification counts."""
    r = c.run
    i = r.guest(vm, r"ringpong: %d requests in batches of %d: \d+ wrong, \d+ lost, \d+ duplicated$"
                % (n, batch))
    m = re.search(r"(\d+) wrong, (\d+) lost, (\d+) duplicated", r.lines[i[0]]) if i else None
    c.ok(m and m.groups() == ("0", "0", "0"),
         "%s (%s, batches of %d): %d requests, every answer right, none lost, none duplicated (%s)"
         % (vm, where, batch, n, m and m.group(0)))
    i = r.guest(vm, r"ringpong: batch %d: \d+ batches, \d+ answered, notifications" % batch)
    m = re.search(r"(\d+) batches, (\d+) answered, notifications (\d+) to the server, (\d+) from "
                  r"it, (\d+) upcalls", r.lines[i[0]]) if i else None
    b, answered, to, frm, up = (int(x) for x in m.groups()) if m else (-1,) * 5
    c.ok(b == -(-n // batch) and answered == n,
         "%s: %d batches, the server counted %d answers (%s)" % (vm, b, answered, m and m.group(0)))
    # Suppression: a push says "notify" at most once, and only if the peer re-armed since
    # (the +1: the event index the front-end set up at init, or a stats round trip's re-arm).
    i = r.guest(vm, r"ringpong: batch %d: re-armed \d+ times by the server, \d+ by us$" % batch)
    m = re.search(r"re-armed (\d+) times by the server, (\d+) by us", r.lines[i[0]]) if i else None
    srv_arm, cli_arm = (int(x) for x in m.groups()) if m else (-1, -1)
    c.ok(1 <= to <= min(b, srv_arm + 1) and frm <= min(b, cli_arm + 1) and up <= frm + 1,
         "%s: notifications suppressed: at most one per batch each way, one per re-arm of the "
         "peer, upcalls no more than notifications (%d to the server, which re-armed %d times; "
         "%d from it, we re-armed %d times; %d upcalls)" % (vm, to, srv_arm, frm, cli_arm, up))


def scenario_ringpong(c):
    """guests/apps/ringpong.c over include/emv/ring.h: four clients, two per CPU placement."""
    r = c.run
    c.ended_cleanly()
    for port, vm in enumerate(("fe", "fe8", "far", "far32"), 4):
        c.ok(r.guest("be", r"ringpong: serving ping-%s \(port %d, 32-slot ring at 0x80000%d000\) "
                     r"for %s$" % (vm, port, port - 4, vm)),
             "the server paired channel ping-%s with region ring-%s (port %d)" % (vm, vm, port))
    for vm, where, batch in (("fe", "same CPU", 1), ("fe8", "same CPU", 8),
                             ("far", "across CPUs", 1), ("far32", "across CPUs", 32)):
        ring_client(c, vm, where, batch)
    c.ok(not [l for l in r.lines if "broke the ring" in l or "guest exception" in l],
         "no client cut off, no guest exception")
    c.ok(r.hyp(r"RESULT: 5 vms, 5 running, 0 stopped"), "report: all running")


HOSTILE_RING = {"ahead": "producer ahead", "behind": "producer behind", "over": "producer ahead",
                "len": "bad request length"}


def scenario_ringhostile(c):
    """Four clients break their rings; the server cuts each off and serves the honest two."""
    r = c.run
    c.ended_cleanly()
    cut = [l for l in r.lines if "broke the ring" in l]
    for vm, kind in HOSTILE_RING.items():
        c.ok(r.guest(vm, r"ringpong: hostile: 100 honest requests first: 0 wrong, 0 lost$"),
             "%s was served honestly before it turned hostile" % vm)
        mine = [l for l in cut if " client %s " % vm in l]
        c.ok(mine == ["[be] ringpong: client %s broke the ring (%s): cut off" % (vm, kind)],
             "the server logged one line cutting %s off for '%s' (%s)" % (vm, kind, mine))
        c.ok(r.guest(vm, r"ringpong: hostile: 1000 scribbles and notifications later the "
                         r"server's indices are untouched$"),
             "%s: after the cut-off the server never wrote its ring again" % vm)
    c.ok(len(cut) == 4, "exactly four clients cut off (%d lines)" % len(cut))
    ring_client(c, "fe", "same CPU as the server", 8)
    ring_client(c, "far", "across CPUs", 1)
    c.ok(not [l for l in r.lines if "guest exception" in l], "no guest exception")
    c.ok(r.hyp(r"RESULT: 7 vms, 7 running, 0 stopped"), "report: no VM stopped")


def ipc_result(r, vm):
    i = r.guest(vm, r"ipcpong: \d+ calls, \d+ wrong, \d+ failed")
    m = re.search(r"(\d+) calls, (\d+) wrong, (\d+) failed", r.lines[i[0]]) if i else None
    return m.groups() if m else None


def scenario_ipc(c):
    r = c.run
    c.ended_cleanly()
    c.ok(ipc_result(r, "near") == ("20000", "0", "0"),
         "near: 20,000 calls to the passive server on its CPU, every answer right (%s)"
         % (ipc_result(r, "near"),))
    c.ok(ipc_result(r, "far") == ("5000", "0", "0"),
         "far: 5,000 calls across CPUs to the active server, every answer right (%s)"
         % (ipc_result(r, "far"),))
    for vm in ("near", "far"):
        c.ok(r.guest(vm, r"ipcpong: bad calls: unknown index -2, serve without the right -4$"),
             "%s: an index it does not have gets -EMV_EINVAL, serving a client's endpoint "
             "-EMV_EPERM" % vm)
    served = r.vcpu_stat("calc", "runtime-us")
    c.ok(0 <= served < 1000 and r.guest("calc", r"ipcpong: 20000 calls served"),
         "the passive server ran only on its callers' time: %d us of its own (its start), "
         "yet served 20,000 calls" % served)
    for vm in ("rt-edf", "rt-rm"):
        rep = rt_report(r, vm)
        c.ok(rep is not None and rep[2] == 0 and rep[1] > 800,
             "%s: zero deadline misses beside the IPC traffic (%s)" % (vm, rep))
    c.ok(r.hyp(r"RESULT: 6 vms, 6 running, 0 stopped"), "report: all running")


def scenario_ipcqueue(c):
    r = c.run
    c.ended_cleanly()
    for vm in ("near1", "near2"):
        c.ok(ipc_result(r, vm) == ("200000", "0", "0"),
             "%s: 200,000 calls to the passive server it shares, every answer right (%s)"
             % (vm, ipc_result(r, vm)))
    queued = r.vcpu_stat("near1", "ipc-queued") + r.vcpu_stat("near2", "ipc-queued")
    fast = r.vcpu_stat("calc", "ipc-fast")
    c.ok(queued >= 100,
         "calls found the server busy with the other client's call (its budget ran out "
         "mid-call) and waited in line: %d" % queued)
    c.ok(fast >= 300000,
         "the others took the fast path: %d of the server's 400,000 replies" % fast)
    for vm in ("near1", "near2"):
        run_us = r.vcpu_stat(vm, "runtime-us")
        c.ok(run_us >= 100000,
             "%s used its budget, not idled it waiting for the server: %d us run" % (vm, run_us))
    c.ok(0 <= r.vcpu_stat("calc", "runtime-us") < 200,
         "the passive server ran only on its callers' time once started (%d us of its own, "
         "its start; callers lend it time only after that)" % r.vcpu_stat("calc", "runtime-us"))
    c.ok(r.hyp(r"RESULT: 3 vms, 3 running, 0 stopped"), "report: all running")


def scenario_ipcfault(c):
    r = c.run
    c.ended_cleanly()
    for vm, srv in (("near", "calc"), ("far", "echo")):
        c.ok(r.state(srv) == "stopped" and r.state(vm) == "running",
             "%s stopped while serving; its client %s runs on" % (srv, vm))
        c.ok(r.guest(vm, r"ipcpong: call 100 failed \(-9\)$"),
             "%s: the call in flight when %s stopped ends with -EMV_EPIPE" % (vm, srv))
        c.ok(ipc_result(r, vm) == ("300", "0", "201"),
             "%s: 99 calls answered right, the 201 from the one in flight on fail (%s)"
             % (vm, ipc_result(r, vm)))
    c.ok(r.guest("mid", r"ipcpong: serving mid-ep \(object 0\), forwarding to leaf-ep$"),
         "mid serves mid-ep and calls leaf-ep for each call")
    c.ok(ipc_result(r, "deep") == ("1000", "0", "0"),
         "deep: 1,000 calls through two passive servers (its time lent down the chain and the "
         "replies back up it), every answer right (%s)" % (ipc_result(r, "deep"),))
    c.ok(r.hyp(r"RESULT: 7 vms, 5 running, 2 stopped"), "report: the servers stopped, not the clients")


def scenario_faulthandler(c):
    r = c.run
    c.ended_cleanly()
    want = ["resume", "restart", "resume", "stop"]
    got = [r.lines[i].split(": ")[-1] for i in r.guest("fixer", r"fixer: client 1 fault \d+: esr")]
    c.ok(got == want, "the fault handler got faulty's four faults as IPC calls, badge 1, and "
         "answered %s (%s%s)" % (want, got[:6], ", %d in all" % len(got) if len(got) > 6 else ""))
    c.ok(r.guest("fixer", r"fixer: client 1 fault 1: esr 0x93c18005 ipa 0x1000 pc 0x4000109c"),
         "with the fault's syndrome, IPA and PC")
    c.ok(len(r.guest("faulty", r"faulty: up$")) == 2 and
         r.hyp(r"vm 'faulty' restarted by its fault handler \(restart 1\)"),
         "restart: faulty started afresh from its entry point, once")
    c.ok(len(r.guest("faulty", r"faulty: resumed past the first fault")) == 2 and
         not r.guest("faulty", r"faulty: resumed past the second fault"),
         "resume went past the faulting load; the second fault was answered restart, then stop")
    c.ok(r.state("faulty") == "stopped" and r.hyp(r"vm faulty: state=stopped reason=stage-2 fault "
         r"at ipa 0x1000 \(esr 0x93c08045, pc 0x400010b0\); stopped by its fault handler"),
         "stop: the VM stopped, the reason says who decided")
    c.ok(r.state("bystander") == "running" and len(r.guest("bystander", r"tick \d+")) >= 5,
         "the VM sharing faulty's CPU ran on")


def scenario_ipcchain(c):
    r = c.run
    c.ended_cleanly()
    c.ok(ipc_result(r, "near2") == ("100000", "0", "0"),
         "near2: 100,000 calls to leaf, which it shares with the passive mid, every answer right "
         "(%s)" % (ipc_result(r, "near2"),))
    c.ok(ipc_result(r, "deep") == ("100000", "0", "0"),
         "deep: 100,000 calls through mid and leaf, every answer right (%s)"
         % (ipc_result(r, "deep"),))
    c.ok(r.vcpu_stat("near2", "ipc-queued") > 0,
         "near2 found leaf busy with mid's call and waited in line: %d times"
         % r.vcpu_stat("near2", "ipc-queued"))
    c.ok(r.vcpu_stat("mid", "ipc-queued") > 0,
         "mid, on deep's time, found leaf busy with near2's call and waited in line (deep's time "
         "running leaf) instead of being refused: %d times" % r.vcpu_stat("mid", "ipc-queued"))
    c.ok(not r.guest("leaf", r"ipcpong: .*badge 0\)"),
         "leaf never ran while it waited (no call from badge 0)")
    own = [r.vcpu_stat(vm, "runtime-us") for vm in ("mid", "leaf")]
    c.ok(all(0 <= t < 100 for t in own),
         "mid and leaf, first run on their callers' time (called before they first waited), "
         "never ran on their own: %s us" % own)
    c.ok(r.hyp(r"RESULT: 4 vms, 4 running, 0 stopped"), "report: all running")


def scenario_ipccycle(c):
    r = c.run
    c.ended_cleanly()
    for vm in ("a", "b"):
        res = ipc_result(r, vm)
        c.ok(res is not None and res[0] == "20000" and res[2] == "0",
             "%s: 20,000 calls into a cycle of two passive servers all came back (%s; the answers "
             "are wrong: the forward closing the cycle is refused)" % (vm, res))
    c.ok(r.vcpu_stat("s1", "ipc-queued") > 0 and r.vcpu_stat("s2", "ipc-queued") > 0,
         "each server, on lent time, also waited in line for the other (%d, %d times)"
         % (r.vcpu_stat("s1", "ipc-queued"), r.vcpu_stat("s2", "ipc-queued")))
    c.ok(r.hyp(r"RESULT: 4 vms, 4 running, 0 stopped"), "report: all running")


def scenario_ipcchainfault(c):
    r = c.run
    c.ended_cleanly()
    c.ok(r.state("leaf") == "stopped" and r.state("mid") == "running" and
         r.state("deep") == "running", "leaf stopped mid-call; mid and deep run on")
    c.ok(r.guest("deep", r"ipcpong: call 100 failed \(-9\)$") and
         ipc_result(r, "deep") is not None and ipc_result(r, "deep")[2] == "1",
         "deep: the call in flight ends with -EMV_EPIPE, the only one that fails (%s)"
         % (ipc_result(r, "deep"),))
    c.ok(r.guest("mid", r"ipcpong: forward of call 100 failed \(-9\)$"),
         "mid: its own call to leaf, left in flight, ends with -EMV_EPIPE too (not as if "
         "answered)")
    c.ok(r.hyp(r"RESULT: 3 vms, 2 running, 1 stopped"), "report: leaf stopped, the others running")


def scenario_ipcreset(c):
    r = c.run
    c.ended_cleanly()
    c.ok(len(r.guest("resetter", r"ipcreset: first$")) == 1 and
         len(r.guest("resetter", r"ipcreset: reset$")) == 1 and
         r.hyp(r"vm 'resetter' restarted by the guest \(PSCI SYSTEM_RESET, vcpu 1\) \(restart 1\)"),
         "resetter restarted itself once, its vCPU 0 in the middle of a call")
    c.ok(len(r.guest("resetter", r"ipcreset: second$")) == 1,
         "its new run started once, after the memory load (%d starts)"
         % len(r.guest("resetter", r"ipcreset: second$")))
    c.ok(r.guest("resetter", r"ipcreset: registers kept$") and
         not r.guest("resetter", r"ipcreset: (registers clobbered|wrong answer)"),
         "nothing of the old call landed in the new run's registers; its later calls were answered "
         "right")
    c.ok(ipc_result(r, "other") == ("4000", "0", "0"),
         "other: 4,000 calls to the server meanwhile, every answer right (%s)"
         % (ipc_result(r, "other"),))
    c.ok(0 <= r.vcpu_stat("slow", "runtime-us") < 1000,
         "the passive server ran only on its callers' time, even as reported mid-call at the end "
         "(%d us of its own)" % r.vcpu_stat("slow", "runtime-us"))
    c.ok(r.hyp(r"RESULT: 3 vms, 3 running, 0 stopped"), "report: all running")


def scenario_ipi(c):
    """guests/bare/ipi.S: SGIs by target list and by IRM reach the VM's own other vCPU, once
    each; one to a vCPU it does not have reaches nobody; the same writes from a one-vCPU VM
    on the same CPU reach none of them."""
    r = c.run
    c.ended_cleanly()
    c.ok(r.state("ipi") == "running" and r.state("other") == "running",
         "ICC_SGI1R_EL1 writes are emulated, not fatal: both VMs still running")
    got = [r.lines[i].split()[-1] for i in r.guest("ipi", r"sgi [0-9a-f]$")]
    c.ok(sorted(got) == ["5", "6", "9"],
         "vCPU 1 took SGI 5 (target list), 6 (IRM) and 9, once each, nothing else (%s)" % got)
    c.ok(r.guest("ipi", r"sent$") and r.guest("other", r"sent$"), "both senders finished")
    c.ok(not r.guest("other", r"sgi "), "the one-vCPU VM received nothing (IRM excludes self)")


def scenario_badcall(c):
    r = c.run
    c.ended_cleanly()
    c.ok(r.guest("badcall", r"badcall: 62 ok, 0 wrong$"), "every hypercall, bad or good, got the expected answer (62)")
    wrong = [r.lines[i] for i in r.guest("badcall", r"badcall: (WRONG|time: )")]
    c.ok(not r.guest("badcall", r"badcall: WRONG"), "no wrong answer %s" % wrong)
    hv = r.hyp(r"vm 'badcall' \(id \d+\)")
    hv_id = int(re.search(r"\(id (\d+)\)", hv).group(1)) if hv else None
    i = r.guest("badcall", r"badcall: self says vm %s vcpu 0 of 1$" % hv_id)
    c.ok(hv_id is not None and i, "EMV_HC_SELF gives the id the hypervisor logged (%s), vcpu 0 of 1"
         % hv_id)
    c.ok(r.guest("badcall", r"emv: RESULT: 9 vms"), "a forged hypervisor line came out prefixed")
    c.ok(r.hyp(r"RESULT: 2 vms, 2 running, 0 stopped"), "the real report is not the forged one")
    c.ok(len(r.guest("neighbour", r"tick \d+")) >= 5, "neighbour kept running")


def scenario_fp(c):
    r = c.run
    c.ended_cleanly()
    for vm in ("fp-a", "fp-b"):
        c.ok(r.guest(vm, r"fpcheck: \d+ rounds ok \(q0-q31, fpcr, fpsr, 10 system registers\)$"),
             "%s: all of q0-q31 (128 bits), FPCR, FPSR and 10 EL1/EL0 system registers intact" % vm)
        c.ok(not r.guest(vm, "fpcheck: MISMATCH"), "%s: no register mismatch" % vm)
        sw = r.vcpu_stat(vm, "switches")
        c.ok(sw >= 200, "%s was switched in %d times (>= 200) while checking" % (vm, sw))


def server_stat(r, vm, key):
    line = r.hyp(r"vm %s vcpu 0: server .*%s=(\d+)" % (re.escape(vm), key))
    return int(re.search(key + r"=(\d+)", line).group(1)) if line else -1


def check_emvtrace(c, r, vms):
    """tools/emvtrace.py on this run's real output: it must accept every trace line (--strict),
    and its Perfetto JSON and summary must agree with the raw trace and the hypervisor's
    own counters."""
    import json
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        p = subprocess.run([sys.executable, "tools/emvtrace.py", "--strict", "--summary",
                            "--json", d + "/t.json", "--svg", d + "/t.svg"],
                           input=r.out.encode(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        c.ok(p.returncode == 0, "emvtrace --strict accepts the real trace (rc %d %s)"
             % (p.returncode, p.stderr.decode()[:200]))
        try:
            ev = json.load(open(d + "/t.json"))
            ev = ev["traceEvents"] if isinstance(ev, dict) else ev
            svg = open(d + "/t.svg").read()
        except (OSError, ValueError) as e:
            c.ok(False, "emvtrace wrote valid JSON and SVG (%s)" % e)
            return
    summary = p.stdout.decode()
    exh = sum(1 for l in r.lines if l.startswith("emv: trace ") and l.split()[4] == "exh")
    c.ok(sum(1 for e in ev if e.get("name") == "budget exhausted") == exh and exh > 0,
         "Perfetto JSON: one instant per budget exhaustion in the trace (%d)" % exh)
    ins = sum(1 for l in r.lines if l.startswith("emv: trace ") and l.split()[4] == "in")
    c.ok(sum(1 for e in ev if e.get("ph") == "X" and e.get("name") == "run") == ins,
         "Perfetto JSON: one run slice per switch-in in the trace (%d)" % ins)
    for vm in vms:
        m = re.search(r"^%s/0: cpu \d+ runs=(\d+) run-us=(\d+)" % re.escape(vm), summary, re.M)
        sw, run = r.vcpu_stat(vm, "switches"), r.vcpu_stat(vm, "runtime-us")
        c.ok(m and int(m.group(1)) == sw and abs(int(m.group(2)) - run) <= 3000,
             "emvtrace summary of %s: %s runs, %s us; hypervisor: %d switches, %d us"
             % (vm, m and m.group(1), m and m.group(2), sw, run))
        c.ok(escape_name(vm) in svg, "the Gantt chart has a row for %s" % vm)


def escape_name(vm):
    return vm.replace("&", "&amp;").replace("<", "&lt;")


def scenario_rt(c):
    r = c.run
    c.ended_cleanly()
    for vm, budget, period, busy_from in (("rt-a", 3000, 10000, 0), ("rt-b", 2000, 5000, 300)):
        run = r.vcpu_stat(vm, "runtime-us")
        periods = server_stat(r, vm, "periods")
        c.ok(periods > 0, "%s is a periodic server (%d periods)" % (vm, periods))
        # each period's budget plus one late stop (enforce-late-ns-max): a stop that comes
        # late is repaid from the next budget, so the overruns do not add up
        late_us = -(-r.cpu_stat(0, "enforce-late-ns-max") // 1000)
        cap = budget * (periods + 1) + late_us
        c.ok(0 < run <= cap, "%s ran %d us, never more than its budgets: <= %d us (%d periods, "
             "+ one stop <= %d us late)" % (vm, run, cap, periods + 1, late_us))
        busy_periods = periods - busy_from * 1000 // period
        floor = budget * busy_periods * 9 // 10
        c.ok(run >= floor, "%s got its budget while busy: %d us >= %d us" % (vm, run, floor))
    for vm, period in (("rt-a", 10000000), ("rt-b", 5000000)):
        ts = [int(l.split()[2]) for l in r.lines
              if l.startswith("emv: trace ") and l.split()[4:6] == ["repl", vm]]
        gaps = {b - a for a, b in zip(ts, ts[1:])}
        c.ok(len(ts) > 100 and gaps == {period},
             "%s: %d budget refills, each exactly one period after the last (no drift): %s ns"
             % (vm, len(ts), sorted(gaps)[:3]))
    be = r.vcpu_stat("be", "runtime-us")
    c.ok(be >= 500000, "best effort got the rest of the CPU (%d us >= 500 ms)" % be)
    check_emvtrace(c, r, ("rt-a", "rt-b", "be"))
    c.ok(r.vcpu_stat("rt-a", "timer-irqs") >= 60, "rt-a's timer ticks arrive while throttled")
    c.ok(r.guest("rt-b", r"attack 4"), "rt-b spins with interrupts masked, yet is stopped on budget")


def policy_conflicts(r, cpu):
    """How the servers on @cpu were ordered, from the trace, in log order (robust to late
    timer handling): each refill of a server A while another server B runs with an earlier
    deadline than A's new one is a conflict EDF settles by keeping B and RM by switching to A
    (shorter period). Returns (rm_like, edf_like, preemptions as (out, in) pairs)."""
    per = {}
    for l in r.lines:
        m = re.match(r"emv: trace-server (\S+) \d+ (\d+) (\d+) ", l)
        if m and int(m.group(2)) == cpu:
            per[m.group(1)] = int(m.group(3))
    dl, running, pending, last_out = {}, None, None, None
    rm_like = edf_like = 0
    preempts = []
    for l in r.lines:
        f = l.split()
        if len(f) < 8 or f[:2] != ["emv:", "trace"] or not f[3].isdigit() or int(f[3]) != cpu:
            continue
        ev, vm, arg = f[4], f[5], f[7]
        if ev == "repl":
            dl[vm] = int(arg)
            if pending and vm == pending[0]:
                edf_like, pending = edf_like + 1, None  # B kept the CPU to its period's end
            # a conflict only while B's own period is still open (B's deadline after the
            # refill instant): a B whose period ends at this instant too is refilled itself
            if running in dl and running != vm and per.get(vm, 0) < per.get(running, 0) \
                    and int(f[2]) < dl[running] < dl[vm]:
                pending = (running, vm)
        elif ev == "out":
            last_out = (vm, arg)
            if pending and vm == pending[0] and arg != "preempt":
                edf_like, pending = edf_like + 1, None  # B ran on until its budget was spent
            running = None
        elif ev == "in":
            if last_out and last_out[1] == "preempt" and last_out[0] in per and vm in per:
                if pending and pending == (last_out[0], vm):
                    rm_like, pending = rm_like + 1, None
                preempts.append((last_out[0], vm, dict(dl)))
            running, last_out = vm, None
    return rm_like, edf_like, preempts, per


def scenario_rt_policies(c):
    r = c.run
    c.ended_cleanly()
    c.ok(r.hyp(r"cpu 0: policy=rm ") and r.hyp(r"cpu 1: policy=edf "),
         "the report names each CPU's configured policy (cpu 0 rm, cpu 1 edf)")
    rm, edf, pre, per = policy_conflicts(r, 0)
    c.ok(rm >= 40 and edf == 0,
         "cpu 0 (rm): the shorter period always wins a conflict (%d switched, %d kept)" % (rm, edf))
    c.ok(pre and all(per[b] < per[a] for a, b, _ in pre),
         "cpu 0 (rm): every one of %d preemptions is by a shorter-period server" % len(pre))
    rm, edf, pre, per = policy_conflicts(r, 1)
    c.ok(edf >= 40 and rm == 0,
         "cpu 1 (edf): the earlier deadline always wins a conflict (%d kept, %d switched)" % (edf, rm))
    c.ok(pre and all(d[b] <= d[a] for a, b, d in pre if a in d and b in d),
         "cpu 1 (edf): every one of %d preemptions is by an earlier deadline" % len(pre))
    for vm in ("rm-a", "rm-b", "edf-a", "edf-b"):
        c.ok(server_stat(r, vm, "periods") > 90, "%s ran as a periodic server" % vm)


def charged_us(r, vm, upto_line):
    """The overhead the control VM charged for @vm's request whose answer @vm printed at
    line @upto_line: the charging line just before the control VM's decision line for @vm
    (other requests may be decided between that decision and @vm's print)."""
    m = re.search(r"\(id (\d+)\)", r.hyp(r"vm '%s' \(id \d+\)" % re.escape(vm)) or "")
    asks = [i for i in r.guest("ctl", r"control: vm %s asks " % (m.group(1) if m else "?"))
            if i < upto_line]
    if not asks:
        return None, None
    got = [i for i in r.guest("ctl", r"control: cpu \d+: measured overhead up to \d+ ns per "
                                     r"period, charging \d+ us") if i < asks[-1]]
    if not got:
        return None, None
    m = re.search(r"up to (\d+) ns per period, charging (\d+) us", r.lines[got[-1]])
    return int(m.group(1)), int(m.group(2))


def scenario_admit(c):
    r = c.run
    c.ended_cleanly()
    c.ok(r.guest("ctl", r"control: vm 2 vcpu 0 on cpu 0: budget 1000 us every 10000 us"),
         "control VM read the servers' interfaces")
    c.ok(r.guest("ctl", r"control: vm 2 \(req\) asks over channel admit-req \(8-slot ring\)$") and
         r.guest("req", r"admit: asking the control VM over channel admit-req \(8-slot ring\)$"),
         "req asks on its own ring (config: admit-req, admbuf-req)")
    c.ok(r.guest("ctl", r"control: cpu 0 orders servers by edf$") and
         r.guest("ctl", r"control: cpu 1 orders servers by edf$") and
         not r.guest("ctl", r"control: cpu 2 "),
         "control VM learned each online CPU's policy (EMV_HC_CPU_INFO), and no more CPUs")
    i = r.guest("req", r"rtreq: fits: ADMITTED: budget \d+ us every 10000 us$")
    ns, us = charged_us(r, "req", i[0]) if i else (None, None)
    c.ok(us is not None and us >= 10 and us * 1000 >= 2 * ns,
         "the control VM charges twice the measured overhead (%s ns -> %s us)" % (ns, us))
    want = 1334 + (us or 0)
    c.ok(i and r.lines[i[0]].endswith("budget %d us every 10000 us" % want),
         "a task set that fits is admitted with its analysed budget (1334 + %s us overhead)" % us)
    c.ok(r.hyp(r"vm 'req' vcpu 0: interface set to budget %d us every 10000 us by 'ctl'" % want),
         "the control VM installed it through the privileged hypercall")
    c.ok(server_stat(r, "req", "budget-us") == want, "the hypervisor enforces the new budget")
    c.ok(r.guest("req", r"rtreq: too big: REFUSED: needs budget 50\d\d us; cpu 0 would be overloaded"),
         "a task set that does not fit is refused with a reason")
    c.ok(r.guest("req", r"rtreq: direct SCHED_SET: refused for every index"),
         "a non-control VM may not change budgets")
    c.ok(r.guest("req", r"rtreq: malformed: REFUSED: malformed request"), "malformed request refused")
    c.ok(server_stat(r, "rt2", "budget-us") == 6000, "the other server's budget is untouched")
    c.ok(r.hyp(r"RESULT: 4 vms, 4 running, 0 stopped"), "report: 4 running")


ICOUNT = ["-icount", "shift=0,sleep=off"]  # deterministic: guest time follows instructions


def rt_report(r, vm):
    """(tasks, jobs, misses) from the guest's `rt: report` line, or None."""
    i = r.guest(vm, r"rt: report policy=\w+ tasks=\d+ jobs=\d+ misses=\d+")
    if not i:
        return None
    f = dict(kv.split("=") for kv in r.lines[i[0]].split()[3:])
    return int(f["tasks"]), int(f["jobs"]), int(f["misses"])


def task_jobs(r, vm):
    return [int(re.search(r"jobs=(\d+)", r.lines[i]).group(1))
            for i in r.guest(vm, r"rt: task \S+ period-us=")]


def scenario_rtdemo(c):
    r = c.run
    c.ended_cleanly()
    for vm in ("rt-edf", "rt-rm"):
        rep = rt_report(r, vm)
        c.ok(rep is not None, "%s printed its job report" % vm)
        if rep:
            c.ok(rep[2] == 0, "%s: zero deadline misses in %d jobs beside a masked spinner" % (vm, rep[1]))
        c.ok(min(task_jobs(r, vm) or [0]) >= 70, "%s: every task ran >= 70 periods" % vm)
        check_tasks_as_configured(c, vm)
    c.ok(r.vcpu_stat("hog", "runtime-us") > 500000, "the best-effort spinner still got the rest")
    if r.config == "demo":  # what `make run` shows beside the real-time part
        for vm in ("ctl", "alpha"):
            c.ok(r.guest(vm, r".+") and r.state(vm) == "running",
                 "%s printed prefixed lines and is still running" % vm)
        c.ok(all(r.guest("ctl", r"control: vm \d \(%s\) asks over channel admit-%s " % (vm, vm))
                 for vm in ("rt-edf", "rt-rm")),
             "the control VM serves an admission ring for each real-time guest")
        c.ok(r.hyp(r"RESULT: 5 vms, 5 running, 0 stopped"), "report: all 5 demo VMs running")


def config_tasks(config, vm):
    """@vm's tasks node in configs/<config>.dts as dtc reads it: (its properties, [(task name,
    its properties)]) in config order, values as ints or strings. The config is the truth the
    real-time guest must follow (docs/config.md); scenarios compare what ran with this."""
    out = subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dts", "configs/%s.dts" % config],
                         stdout=subprocess.PIPE, check=True).stdout.decode()
    path, settings, tasks = [], {}, []
    for line in out.splitlines():
        s = line.strip()
        if s.endswith("{"):
            path.append(s[:-1].strip())
            if path[1:4] == ["vms", vm, "tasks"] and len(path) == 5:
                tasks.append((path[4], {}))
        elif s == "};":
            path.pop()
        elif path[1:4] == ["vms", vm, "tasks"] and "=" in s:
            k, v = (x.strip() for x in s.rstrip(";").split("=", 1))
            v = int(v.strip("<>"), 0) if v.startswith("<") else v.strip('"')
            (settings if len(path) == 4 else tasks[-1][1])[k] = v
    return settings, tasks


def check_tasks_as_configured(c, vm):
    """Every task @vm reports is one its config declares, with the config's period and WCET;
    every task the config starts at boot ran for the configured time; the policy and run time
    printed are the config's."""
    r = c.run
    settings, tasks = config_tasks(r.config, vm)
    ran = {}
    for i in r.guest(vm, r"rt: task \S+ period-us="):
        f = dict(kv.split("=") for kv in r.lines[i].split()[3:] if "=" in kv)
        ran[r.lines[i].split()[3]] = (int(f["period-us"]), int(f["wcet-us"]), int(f["jobs"]))
    declared = {n: (p["period-us"], p["wcet-us"]) for n, p in tasks}
    c.ok(ran and all(n in declared and declared[n] == v[:2] for n, v in ran.items()),
         "%s ran only tasks its config declares, with their period and WCET (%s)"
         % (vm, ", ".join("%s %d/%d" % (n, v[0], v[1]) for n, v in sorted(ran.items()))))
    run_ms = settings.get("run-for-ms")
    boot = [(n, p) for n, p in tasks if "request-at-ms" not in p]
    want = {n: run_ms * 1000 // p["period-us"] for n, p in boot} if run_ms else {}
    c.ok(want and all(n in ran and abs(ran[n][2] - w) <= max(2, w * 3 // 100)
                      for n, w in want.items()),
         "%s: every task the config starts at boot ran run-for-ms / period jobs, within 3%% (%s)"
         % (vm, ", ".join("%s %s of %d" % (n, ran.get(n, (0, 0, "none"))[2], w)
                          for n, w in want.items())))
    c.ok(r.guest(vm, r"rtguest: %s, %d tasks from the config, %s ms$"
                 % (settings.get("policy"), len(boot), run_ms)),
         "%s announced the config's policy, task count and run time" % vm)
    return settings, tasks, ran


def server_slack_us(config, vm):
    """What @vm's budget leaves above its task set's interface (the smallest budget `rtsa`
    proves enough), from the config itself: the overhead per period the system can absorb."""
    dts = open("configs/%s.dts" % config).read()
    body = dts[dts.index("\n        %s {" % vm):]
    period = int(re.search(r"period-us = <(\d+)>; budget-us", body).group(1))
    budget = int(re.search(r"budget-us = <(\d+)>", body).group(1))
    settings, tasks = config_tasks(config, vm)
    policy = settings["policy"]
    lines = ["%d %d" % (p["period-us"], p["wcet-us"]) for _, p in tasks if "request-at-ms" not in p]
    os.makedirs("build/system-logs", exist_ok=True)  # also when --keep-logs names another
    path = "build/system-logs/%s-%s.tasks" % (config, vm)
    open(path, "w").write("\n".join(lines) + "\n")
    out = subprocess.run(["build/host/rtsa", "interface", "--policy", policy, "--period",
                          str(period), path], stdout=subprocess.PIPE, check=True).stdout
    return budget - int(out.split()[1])


def scenario_ipistorm(c):
    r = c.run
    c.ended_cleanly()
    for vm in ("rt-edf", "rt-rm"):
        rep = rt_report(r, vm)
        c.ok(rep is not None and rep[2] == 0 and rep[1] > 800,
             "%s: zero deadline misses beside a cross-CPU interrupt storm (%s)" % (vm, rep))
    # the storm really ran, on both sides, for the whole run
    c.ok(len(r.guest("storm", r"storm$")) >= 4, "the sender kept writing ICC_SGI1R_EL1 (%d x 2^18)"
         % len(r.guest("storm", r"storm$")))
    c.ok(len(r.guest("storm", r"took$")) >= 2, "the target took the interrupts in its own time")
    c.ok(r.state("storm") == "running", "the storming VM is not stopped: IPIs are legal")
    # Each server's worst overhead in one period, against what its budget holds above the
    # analysis' interface. Under -icount an entry's measured time also holds the other CPU's
    # turns (QEMU runs the CPUs in turn), here up to one burst of the storm (~30 us), so
    # this is checked with that allowance; the exact claim is the kick count below.
    for vm in ("rt-edf", "rt-rm"):
        ovh, slack = server_stat(r, vm, "overhead-ns-max"), server_slack_us(r.config, vm)
        c.ok(0 < ovh <= (slack + 30) * 1000, "%s: worst overhead in a period %d ns <= the %d us "
             "its budget holds above its interface + 30 us" % (vm, ovh, slack))
    late = r.cpu_stat(0, "enforce-late-ns-max")
    c.ok(0 <= late <= 10000, "CPU 0 enforced budgets at most %d ns late (<= 10 us)" % late)
    # Kicks that interrupt a server: only the one in flight when the target leaves the CPU.
    ks, sw = r.cpu_stat(0, "kicks-server"), r.vcpu_stat("storm", "switches")
    line = r.hyp(r"vm storm vcpu 1: .*switches=(\d+)")
    sw = int(re.search(r"switches=(\d+)", line).group(1)) if line else -1
    c.ok(0 <= ks <= sw, "kicks that interrupted a server on CPU 0: %d <= %d switches of the "
         "target (one stray per switch at most)" % (ks, sw))
    # A stray needs the target to leave the CPU while a kick is on its way (a few us of its
    # turns): far fewer than one per switch. Kicking for every raise, as before the rule,
    # gave 2656 here against 35 with it (deterministic under -icount).
    c.ok(0 <= ks * 10 <= sw, "and in fact rare: %d <= 1 per 10 switches" % ks)


def scenario_rtdemo_credit(c):
    r = c.run
    c.ended_cleanly()
    misses = [rt_report(r, vm)[2] if rt_report(r, vm) else -1 for vm in ("rt-edf", "rt-rm")]
    c.ok(all(m > 0 for m in misses), "credit baseline (no budgets): deadlines are missed %s" % misses)
    c.ok(r.hyp(r"cpu 0: policy=credit "), "the report names the CPU's policy: credit")


def scenario_rt_overrun(c):
    r = c.run
    c.ended_cleanly()
    over, ok = rt_report(r, "rt-over"), rt_report(r, "rt-ok")
    c.ok(over is not None and over[2] > 0, "the overrunning VM misses deadlines (%s)" % (over,))
    c.ok(ok is not None and ok[2] == 0, "its neighbour on the same CPU misses none (%s)" % (ok,))


def scenario_rt_admit(c):
    r = c.run
    c.ended_cleanly()
    c.ok(r.guest("ctl", r"control: vm 2 \(rt-a\) asks over channel admit-rt-a \(8-slot ring\)$") and
         r.guest("rt-a", r"admit: asking the control VM over channel admit-rt-a \(8-slot ring\)$"),
         "rt-a asks on its own ring (config: admit-rt-a, admbuf-rt-a)")
    i = r.guest("rt-a", r"rtguest: add extra 20/4 ms: ADMITTED: budget \d+ us every 2000 us$")
    ns, us = charged_us(r, "rt-a", i[0]) if i else (None, None)
    want = 1239 + (us or 0)
    c.ok(i and r.lines[i[0]].endswith("budget %d us every 2000 us" % want),
         "a task that fits is admitted at run time (budget 843 -> 1239 + %s us measured overhead)" % us)
    c.ok(r.hyp(r"vm 'rt-a' vcpu 0: interface set to budget %d us every 2000 us by 'ctl'" % want),
         "the control VM installed the new budget")
    c.ok(r.guest("rt-a", r"rtguest: add huge 10/9 ms: REFUSED: "), "a task that does not fit is refused")
    c.ok(r.guest("rt-a", r"rt: task extra .* jobs=([4-9]\d|\d{3,}) misses=0"),
         "the admitted task ran and met every deadline")
    rep = rt_report(r, "rt-a")
    c.ok(rep is not None and rep[0] == 4 and rep[2] == 0,
         "all tasks, before and after, met their deadlines (%s)" % (rep,))


def scenario_threads(c):
    r = c.run
    c.ended_cleanly()
    c.ok(r.guest("thr", r"threads: round robin alternates: abab"),
         "two equal-priority threads that yield alternate strictly")
    i = r.guest("thr", r"threads: sleeper woke \d+ times")
    m = re.search(r"woke (\d+) times .* worst lateness (\d+) us, while spinners ran (\d+) and (\d+)",
                  r.lines[i[0]]) if i else None
    c.ok(m and int(m.group(1)) == 50, "a sleeping high-priority thread woke 50 times")
    c.ok(m and int(m.group(2)) <= 100,
         "it preempted two spinners on time (worst lateness %s us <= 100)" % (m and m.group(2)))
    if m:
        a, b = int(m.group(3)), int(m.group(4))
        c.ok(min(a, b) > 0 and min(a, b) * 10 >= max(a, b) * 8,
             "equal spinners share by time slices (%d vs %d loops, within 20%%)" % (a, b))
    c.ok(r.guest("thr", r"threads: table full after 6 more threads: create returned -1"),
         "a full thread table refuses with -1")
    c.ok(r.guest("thr", r"threads: after they exited a new thread got slot 1"),
         "ended threads give their slots back")
    c.ok(r.guest("thr", r"threads: background spinner ran [1-9]\d* loops"),
         "a background thread progresses beside a real-time task")
    c.ok(r.guest("thr", r"rt: task rt20 .* jobs=(4[5-9]|5\d) misses=0 .*\(removed\)"),
         "the task (created, then removed at run time) met all its deadlines")
    i = r.guest("thr", r"threads: inside a job: sleep returned after (\d+) us, create gave (\d+), "
                       r"which ran ([1-9]\d*) time")
    m = re.search(r"after (\d+) us", r.lines[i[0]]) if i else None
    c.ok(m and int(m.group(1)) < 2000 and
         r.guest("thr", r"minios: mos_thread_sleep_until inside a real-time job: refused"),
         "inside a job: sleep refused with a message, yield returns, a new thread starts after "
         "the job (%s)" % (r.lines[i[0]] if i else None))
    c.ok(r.guest("thr", r"threads: done"), "the threads guest finished")


def scenario_rt_newcomer(c):
    r = c.run
    c.ended_cleanly()
    i = r.guest("newc", r"rtguest: become a real-time component: ADMITTED: budget \d+ us every 2000 us$")
    ns, us = charged_us(r, "newc", i[0]) if i else (None, None)
    want = 885 + (us or 0)  # rtsa interface --policy rm --period 2000 for set 2: 885 us
    c.ok(i and r.lines[i[0]].endswith("budget %d us every 2000 us" % want),
         "a best-effort VM asking to become a component is admitted (885 + %s us overhead)" % us)
    c.ok(r.hyp(r"vm 'newc' vcpu 0: interface set to budget %d us every 2000 us by 'ctl'" % want),
         "the control VM installed it")
    c.ok(server_stat(r, "newc", "budget-us") == want and server_stat(r, "newc", "periods") > 1000,
         "the hypervisor now runs newc as a periodic server (%d periods)" % server_stat(r, "newc", "periods"))
    rep = rt_report(r, "newc")
    c.ok(rep is not None and rep[2] == 0 and rep[1] > 900,
         "the new component meets every deadline (%s)" % (rep,))
    c.ok(r.guest("late", r"rtguest: become a real-time component: REFUSED: the task set needs more"),
         "an overloaded newcomer is refused with the reason")
    c.ok(r.guest("late", r"rtguest: running best effort") and server_stat(r, "late", "periods") == -1,
         "and stays best effort")
    rep = rt_report(r, "rt-edf")
    c.ok(rep is not None and rep[2] == 0, "the component already there misses nothing (%s)" % (rep,))


# A bound on the control VM's hypercalls in the jam scenario (1.5 s). It serves at most one
# request per client per round and rounds are at least a millisecond apart (SERVE_GAP_NS):
# ~1500 rounds, each a time read, a poll, a sleep and for the jammer's request at most two
# SCHED_STATS (the servers on its CPU) and a notification, whatever the jammer does (~12000).
# The inbox's control VM, which took 16 messages a round, made ~55000; before the pacing, one
# undeliverable answer made it spin ~2 million times.
JAM_HC_BOUND = 15000


def vm_id(r, vm):
    m = re.search(r"\(id (\d+)\)", r.hyp(r"vm '%s' \(id \d+\)" % re.escape(vm)) or "")
    return int(m.group(1)) if m else None


def scenario_jam(c):
    """configs/test-jam.dts: `jam` keeps its admission ring full of junk and notifies its
    channel in a tight loop; `req` asks on its own ring after the flood started and must be
    answered all the same, and the control VM's work stays bounded."""
    r = c.run
    c.ended_cleanly()
    flood = r.guest("jam", r"jam: flooding my ring and channel to the control VM \(8 slots\)")
    c.ok(flood, "the jammer started flooding")
    fits = r.guest("req", r"rtreq: fits: ADMITTED: budget \d+ us every 10000 us$")
    c.ok(fits and flood and fits[0] > flood[0],
         "the real client's request, sent during the flood, was admitted")
    c.ok(r.guest("req", r"rtreq: too big: REFUSED: needs budget \d+ us; cpu 0 would be overloaded"),
         "its second request was refused with a reason")
    c.ok(r.guest("req", r"rtreq: malformed: REFUSED: malformed request"),
         "its malformed request was answered too")
    jid = vm_id(r, "jam")
    bad = r.guest("ctl", r"control: vm %s asks .*: refused: malformed request" % jid)
    c.ok(0 < len(bad) <= 24, "its lines about the jammer's malformed requests are rate-limited (%d)"
         % len(bad))
    refused = r.guest("ctl", r"control: vm %s asks for 2 task\(s\): refused: the task set needs" % jid)
    c.ok(0 < len(refused) <= 24,
         "its well-formed, overloaded requests were analysed and refused, logged rate-limited (%d)"
         % len(refused))
    c.ok(not r.guest("ctl", r"control: vm %s .*cut off" % jid),
         "the jammer keeps to the ring protocol: it is served, not cut off")
    hc = r.vcpu_stat("ctl", "hypercalls")
    c.ok(0 < hc <= JAM_HC_BOUND,
         "the control VM made %d hypercalls (<= %d): one request per client per round"
         % (hc, JAM_HC_BOUND))
    last = r.guest("jam", r"jam: \d+ requests pushed, \d+ answered, \d+ notifications")
    m = re.search(r"jam: (\d+) requests pushed, (\d+) answered, (\d+) notifications",
                  r.lines[last[-1]]) if last else None
    c.ok(m and int(m.group(3)) > 10 * int(m.group(2)) > 0,
         "the jammer notified far more often than it was answered (%s)" % (m and m.group(0)))
    c.ok(m and int(m.group(2)) <= 1500 and int(m.group(1)) <= int(m.group(2)) + 8,
         "the control VM answered it at most once a millisecond, and its ring held the rest (%s)"
         % (m and m.group(0)))
    c.ok(server_stat(r, "rt2", "budget-us") == 6000, "the other server's budget is untouched")
    c.ok(r.hyp(r"RESULT: 4 vms, 4 running, 0 stopped"), "report: all 4 VMs still running")


ADMIT_HOSTILE = {"ahead": "producer index ahead: more requests in flight than slots",
                 "behind": "producer index moved backwards",
                 "over": "producer index ahead: more requests in flight than slots"}


def scenario_admit_hostile(c):
    """configs/test-admit-hostile.dts: three clients break their admission rings; the control
    VM cuts each off with one line and admits the honest client meanwhile."""
    r = c.run
    c.ended_cleanly()
    cut = r.guest("ctl", r".*broke its admission ring")
    for vm, why in ADMIT_HOSTILE.items():
        c.ok(r.guest(vm, r"jam: honest request first: vcpu 0 is best effort: ask with a server "
                         r"period$"), "%s was served before it turned hostile" % vm)
        mine = [r.lines[i] for i in cut if "(%s)" % vm in r.lines[i]]
        c.ok(len(mine) == 1 and mine[0].endswith("(%s) broke its admission ring (%s): cut off"
                                                 % (vm, why)),
             "the control VM logged one line cutting %s off for '%s' (%s)" % (vm, why, mine))
        c.ok(r.guest(vm, r"jam: \d{4,} scribbles and notifications in 200 ms later the control "
                         r"VM's indices are untouched$"),
             "%s: after the cut-off the control VM never wrote its ring again" % vm)
    c.ok(len(cut) == 3, "exactly three clients cut off (%d lines)" % len(cut))
    broke = [i for vm in ADMIT_HOSTILE for i in r.guest(vm, r"jam: broke my ring")]
    stormed = [i for vm in ADMIT_HOSTILE for i in r.guest(vm, r"jam: \d+ scribbles")]
    fits = r.guest("req", r"rtreq: fits: ADMITTED: budget \d+ us every 10000 us$")
    c.ok(fits and r.hyp(r"vm 'req' vcpu 0: interface set to budget \d+ us every 10000 us by 'ctl'"),
         "the honest client was admitted and its budget installed")
    c.ok(fits and len(broke) == 3 and len(stormed) == 3 and max(broke) < fits[0] < min(stormed),
         "it was admitted after the rings were broken, while their owners still scribbled")
    c.ok(r.guest("req", r"rtreq: too big: REFUSED: needs budget \d+ us; cpu 0 would be overloaded")
         and r.guest("req", r"rtreq: malformed: REFUSED: malformed request"),
         "and its later requests were answered")
    c.ok(server_stat(r, "rt2", "budget-us") == 6000, "the other server's budget is untouched")
    c.ok(r.hyp(r"RESULT: 6 vms, 6 running, 0 stopped"), "report: no VM stopped")


def scenario_dbgpmu(c):
    """guests/apps/dbgpmu.c: one VM writes breakpoint registers, unlocks the OS lock, stops
    the cycle counter (PMCR_EL0.E, PMCCFILTR_EL0, PMCNTENCLR_EL0) and runs DC ISW/CISW/CSW;
    the other, on the same CPU, sees none of it and its counter keeps counting. On CPU 1,
    guests/bare/pmcrt.S reads the counter into every register (the vector's jump table)."""
    r = c.run
    c.ended_cleanly()
    for vm in ("hostile", "victim"):
        c.ok(r.guest(vm, r"dbgpmu: [1-9]\d* ok, 0 wrong$"), "%s: every check of its own view held" % vm)
        c.ok(not r.guest(vm, r"dbgpmu: WRONG"), "%s: no wrong value" % vm)
        c.ok(r.state(vm) == "running", "%s still running" % vm)
    c.ok(r.guest("hostile", r"dbgpmu: set/way done$"), "the set/way operations returned")
    c.ok(r.vcpu_stat("hostile", "setway-ops") == 4 and r.vcpu_stat("victim", "setway-ops") == 0,
         "the hypervisor counted the hostile VM's 4 set/way operations, none for the victim "
         "(%d, %d)" % (r.vcpu_stat("hostile", "setway-ops"), r.vcpu_stat("victim", "setway-ops")))
    avg, mx = r.cpu_stat(0, "decision-cycles-avg"), r.cpu_stat(0, "decision-cycles-max")
    c.ok(avg >= 20 and mx >= avg, "the hypervisor's decision-cost statistics still count "
         "(avg %d, max %d instructions)" % (avg, mx))
    c.ok(r.guest("regs", r"pmcrt: 32 ok$"), "MRS PMCCNTR_EL0 into each of x0-x30 and XZR "
         "changed that register only")
    c.ok(r.vcpu_stat("hostile", "switches") >= 6, "the VMs time-shared the CPU (%d switches in)"
         % r.vcpu_stat("hostile", "switches"))


def scenario_grant(c):
    """guests/apps/grant.c: grants from `owner` to `user`, `stranger` (its CPU) and `reader`
    (the other CPU):
    data both ways, read-only enforced, bad calls refused, revoke while mapped and a granter
    that stops take the pages away from the peer (a later access faults), nothing leaks."""
    r = c.run
    c.ended_cleanly()
    for vm, n in (("owner", 21), ("user", 19), ("stranger", 6), ("reader", 2)):
        c.ok(r.guest(vm, r"grant: %d ok, 0 wrong$" % n), "%s: all %d results as expected" % (vm, n))
    c.ok(not [l for l in r.lines if "WRONG" in l or "SURVIVED" in l or "timed out" in l],
         "no wrong result, no access that should have faulted survived, no timeout")
    want = {
        "owner": [r"create: a shared region's page: -3$", r"create: its grant window: -3$",
                  r"create: the GIC distributor: -3$", r"create: misaligned: -2$",
                  r"create: 17 pages: -2$", r"create: a region is not a channel end: -2$",
                  r"create: a 17th grant: -6$", r"the user's write, seen in page A: 51966$",
                  r"revoke: B while the user has it mapped: 0$"],
        "user": [r"A at 0x4000000000, 1 page\(s\), rw$", r"B at 0x4000001000, 1 page\(s\), ro$",
                 r"A: the owner's pattern \(first wrong word\): -1$", r"map: A again: -7$",
                 r"map: a reference never granted: -2$", r"map: no such object: -2$",
                 r"C at 0x4000002000, 2 page\(s\), rw$",
                 r"unmap: C, torn down when the owner stopped: 1$",
                 r"map: A of a stopped owner: -2$"],
        "stranger": [r"map: a grant meant for another VM: -4$", r"F: read-only: 1$"],
    }
    for vm, rxs in want.items():
        for rx in rxs:
            c.ok(r.guest(vm, r"grant: " + rx), "%s printed `%s`" % (vm, rx.rstrip("$")))
    c.ok(r.hyp(r"vm 'reader' stopped: stage-2 fault: read of 8 bytes at ipa 0x4000000000 "
               r"\(not mapped for this VM\)"),
         "reader, reading its grant in a loop on the other CPU, faulted once the owner revoked "
         "it (the revoke reached that CPU's TLB)")
    c.ok(r.hyp(r"vm 'user' stopped: stage-2 fault: read of 8 bytes at ipa 0x4000001000 "
               r"\(not mapped for this VM\)"),
         "user's read of B after the revoke faulted at B's old IPA (mapping and TLB entry gone)")
    c.ok(r.hyp(r"vm 'stranger' stopped: stage-2 fault: write of 8 bytes at ipa 0x4000000000 "
               r"\(read-only for this VM\)"), "stranger's store to its read-only grant faulted")
    c.ok(r.hyp(r"vm 'owner' stopped: stage-2 fault: write of 8 bytes at ipa 0x400003f000"),
         "owner stopped (by its own fault) with 4 grants outstanding")
    c.ok(r.hyp(r"vm owner grants: outstanding=0 created=22 revoked-while-mapped=4 mapped-pages=0 "
               r"window-pages=0"), "owner's grants all ended, 4 of them while mapped")
    for vm in ("user", "stranger", "reader"):
        c.ok(r.hyp(r"vm %s grants: .*mapped-pages=0 window-pages=0" % vm),
             "%s holds no mapping and no window page at the end" % vm)
    boot = r.hyp(r"4 of 4 vm\(s\) started; stage-2 tables: \d+ pages")
    end = r.hyp(r"stage-2 tables: \d+ pages in use$")
    nb = int(re.search(r"(\d+) pages", boot).group(1)) if boot else -1
    ne = int(re.search(r"(\d+) pages", end).group(1)) if end else -2
    c.ok(nb == ne and nb > 0, "stage-2 table pages in use: %d at boot, %d at the end" % (nb, ne))
    c.ok(r.hyp(r"RESULT: 4 vms, 0 running, 4 stopped"), "report: all four stopped as planned")


def scenario_evbind(c):
    """guests/apps/evbind.c: event channels bound at run time. left and right (two CPUs) bind
    one through the config's link, ping-pong, grant through it, close it; third (the control
    VM, left's CPU) is hostile first (binds what is not its own, through objects without
    EMV_RIGHT_BIND, until its table is full), then ping-pongs with left; right stops while
    bound and left sees the channel unbound."""
    r = c.run
    c.ended_cleanly()
    for vm, n in (("left", 20), ("right", 11), ("third", 19)):
        c.ok(r.guest(vm, r"evbind: %s: %d ok, 0 wrong$" % (vm, n)),
             "%s: all %d results as expected" % (vm, n))
    c.ok(not [l for l in r.lines if "WRONG" in l], "no wrong result, no timeout")
    want = {
        "left": [r"notify before right binds: -9$", r"2000 of 2000 round trips with right across CPUs$",
                 r"grant to right through the run-time port: 1$",
                 r"close the channel with right: 0$", r"notify a closed port: -2$",
                 r"close the config channel: -4$",
                 r"2000 of 2000 round trips with third on its CPU$",
                 r"notify after right stopped while bound: -9$",
                 r"alloc unbound for the stopped right: -9$",
                 r"close the port right left unbound: 0$"],
        "right": [r"bind it twice: -7$", r"pongs answered: 2000$",
                  r"map left's grant through the run-time port: 0$",
                  r"the grant holds left's pattern: 1$", r"notify after left closed: -9$"],
        "third": [r"bind a port left allocated for right: -4$",
                  r"bind through vm-right \(no EMV_RIGHT_BIND\): -4$",
                  r"alloc through vm-right \(no EMV_RIGHT_BIND\): -4$",
                  r"bind through a region: -2$", r"map the grant left made for right: -4$",
                  r"alloc until the table is full: -6$",
                  r"ports it got: every index past its objects: 27$",
                  r"pongs answered on the same CPU: 2000$", r"notify after left closed: -9$"],
    }
    for vm, rxs in want.items():
        for rx in rxs:
            c.ok(r.guest(vm, r"evbind: %s: " % vm + rx), "%s printed `%s`" % (vm, rx.rstrip("$")))
    c.ok(r.hyp(r"vm 'right' stopped: stage-2 fault: write of 8 bytes at ipa 0x1000"),
         "right stopped (by its own fault) while bound to left")
    c.ok(r.hyp(r"vm left ports: allocated=3 bound=0 closed=3 notifies=\d+ open=0$"),
         "left: every port it allocated closed, none left open")
    c.ok(r.hyp(r"vm third ports: allocated=28 bound=1 closed=29 notifies=2000 open=0$"),
         "third: 28 ports allocated while hostile plus one bound, all closed")
    c.ok(r.hyp(r"vm right ports: allocated=0 bound=2 closed=2 notifies=2000 open=0$"),
         "right: its second bound port closed when it stopped")
    c.ok(r.hyp(r"RESULT: 3 vms, 2 running, 1 stopped"), "report: left and third still running")


def scenario_rt_config(c):
    r = c.run
    c.ended_cleanly()
    settings, tasks, ran = check_tasks_as_configured(c, "rt-x")
    c.ok(settings.get("policy") == "rm" and r.guest("rt-x", r"rt: report policy=rm tasks=4 "),
         "the guest scheduled by the config's policy (rm) and reports four tasks")
    c.ok(r.guest("rt-x", r"rtguest: add d50 50/2 ms: ADMITTED: budget \d+ us every 2000 us$"),
         "the task the config requests at run time was asked for, with its period and WCET")
    c.ok("d50" in ran and 15 <= ran["d50"][2] <= 22,
         "d50 ran from 500 ms on: %s jobs (1000 ms / 50 ms = 20)" % (ran.get("d50", (0, 0, 0))[2],))
    rep = rt_report(r, "rt-x")
    c.ok(rep is not None and rep[2] == 0, "no deadline missed (%s)" % (rep,))


def scenario_hello(c):
    """docs/guests.md: the guide's guest and config, booted as the guide says, print what it
    shows; and the guide quotes both files exactly as they are in the tree."""
    r = c.run
    c.ended_cleanly()
    guide = open("docs/guests.md").read()
    for path in ("guests/apps/hello.c", "configs/example-hello.dts"):
        c.ok(open(path).read() in guide, "docs/guests.md quotes %s as it is" % path)
    c.ok(r.guest("hello", r"hello from hello: vm 1, bootarg 42$"),
         "the greeting names the VM, its id and the config's bootarg")
    ticks = [r.lines[i] for i in r.guest("hello", r"tick \d+ at \d+ ms$")]
    ms = [int(re.search(r"at (\d+) ms", l).group(1)) for l in ticks]
    c.ok(len(ticks) == 5 and all(re.search(r"tick %d " % (k + 1), l) for k, l in enumerate(ticks)),
         "five ticks, numbered 1 to 5 (%d lines)" % len(ticks))
    c.ok(len(ms) == 5 and all(95 <= b - a <= 105 for a, b in zip(ms, ms[1:])),
         "100 ms apart from the virtual timer (%s ms)" % ms)
    c.ok(r.guest("hello", r"done$") and r.state("hello") == "running",
         "it says done and stays in the report as running (blocked for good)")
    c.ok(r.hyp(r"RESULT: 1 vms, 1 running, 0 stopped"), "report: the one VM")
    shown = [int(m) for m in re.findall(r"\[hello\] tick \d+ at (\d+) ms", guide)]
    c.ok(len(shown) == 5 and ms and abs(shown[0] - ms[0]) <= 20 and
         all(b - a == 100 for a, b in zip(shown, shown[1:])),
         "the guide's sample ticks (%s ms) are what the guest prints, give or take the boot (%s)"
         % (shown, ms))
    c.ok("[hello] done" in guide, "the guide's sample output ends with [hello] done")




def linux_material():
    """Fetch the Linux guest's material (apt, cached in build/linux); a reason to skip if not."""
    p = subprocess.run(["scripts/linux-material.sh", "build/linux"], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT)
    if p.returncode == 2:
        return "no Linux material (%s)" % p.stdout.decode(errors="replace").strip().splitlines()[-1]
    if p.returncode:
        raise RuntimeError("scripts/linux-material.sh failed:\n" + p.stdout.decode())
    return None


def scenario_linux(c):
    r = c.run
    c.ended_cleanly()
    c.ok(r.guest("linux", r"\[ *[0-9.]+\] Booting Linux on physical CPU 0x0"),
         "Debian's kernel prints its boot log through the emulated PL011 (earlycon, then ttyAMA0)")
    c.ok(r.guest("linux", r"\[ *[0-9.]+\] smp: Brought up 1 node, 2 CPUs"),
         "Linux brings its second vCPU up with PSCI CPU_ON")
    c.ok(r.guest("linux", r"\[ *[0-9.]+\] arch_timer: cp15 timer\(s\) running at 62.50MHz \(virt\)"),
         "Linux runs on the virtual timer")
    c.ok(r.guest("linux", r"\[ *[0-9.]+\] 9000000.pl011: ttyAMA0 at MMIO 0x9000000 \(irq = \d+"),
         "the amba-pl011 driver takes the emulated UART with its interrupt")
    c.ok(r.hyp(r"entropy: 32 bytes from /chosen/rng-seed of the firmware device tree at "
               r"0x40000000$"), "the hypervisor takes the board's entropy from QEMU's device tree")
    c.ok(r.guest("linux", r"\[ *0\.000000\] random: crng init done$"),
         "Linux's RNG is ready before its first system call: the VM's /chosen/rng-seed, filled "
         "by the hypervisor")
    init = r.guest("linux", r"emv-linux: init up, 2 cpu\(s\), kernel 6\.1\.")
    c.ok(init, "/init runs and counts 2 CPUs in /proc/cpuinfo")
    c.ok(r.guest("linux", r"emv-linux: workload sum=2664667000$"), "its workload's result is right")
    c.ok(not r.guest("linux", r"(Kernel panic|Oops|BUG:|WARNING:|rcu: INFO|Unable to handle)"),
         "Linux reports no panic, oops, warning or stall")
    stop = r.index(r"^emv: vm 'linux' stopped: powered off by the guest \(PSCI SYSTEM_OFF, vcpu \d\)$")
    c.ok(stop is not None, "poweroff -f stops that VM only (PSCI SYSTEM_OFF), with a log line")
    ticks = r.guest("alpha", r"tick \d+ at")
    c.ok(stop is not None and ticks and ticks[-1] > stop,
         "the minios VM beside it goes on after Linux stopped")
    c.ok(r.state("linux") == "stopped" and r.state("alpha") == "running",
         "report: linux stopped, alpha running")
    c.ok(r.hyp(r"RESULT: 2 vms, 1 running, 1 stopped"), "RESULT: 2 vms, 1 running, 1 stopped")
    m = re.search(r"\[ *([0-9.]+)\] Run /init", r.out)
    print("# linux: Run /init at %s s guest time (virtual counter, icount: 1 ns per instruction)"
          % (m.group(1) if m else "?"))


def scenario_linux_noseed(c):
    """QEMU without its device tree's random bytes: the board has no entropy for the VMs."""
    r = c.run
    c.ended_cleanly()
    c.ok(r.hyp(r"no board entropy: the firmware device tree at 0x40000000 has no "
               r"/chosen/rng-seed .*Linux VMs boot without an rng-seed"),
         "the hypervisor says the board has no entropy, and what that means for Linux VMs")
    c.ok(not r.guest("linux", r"\[ *0\.000000\] random: crng init done"),
         "Linux gets no seed (the placeholder is taken out, not passed as one)")
    c.ok(r.guest("linux", r"emv-linux: workload sum=2664667000$"), "Linux still boots to /init")
    c.ok(r.hyp(r"vm 'linux' stopped: powered off by the guest"), "and powers off")


def scenario_linux_shell(c):
    r = c.run
    c.ended_cleanly()
    c.ok(r.hyp(r"console input: to vm 'linux' \(Ctrl-E three times: to the next VM\)"),
         "the console's input goes to the Linux VM from the start")
    c.ok(r.guest("linux", r"emv-linux: shell \(busybox sh\)"), "/init ends in a shell")
    nobody = r.index(r"^emv: console input: to nobody")
    back = r.index(r"^emv: console input: to vm 'linux'.*") if nobody is None else next(
        (i for i in range(nobody, len(r.lines)) if "console input: to vm 'linux'" in r.lines[i]),
        None)
    c.ok(nobody is not None and back is not None,
         "Ctrl-E three times moves the input to nobody, three more back to the Linux VM")
    c.ok(not r.guest("linux", r".*lost-\d+"), "what is typed while nobody has the input is lost")
    c.ok(r.guest("linux", r"typed-42$"), "a command typed at the shell runs (echo typed-$((6*7)))")
    c.ok(r.guest("linux", r"cpus=2$"), "and sees 2 CPUs in /proc/cpuinfo")
    print("# linux-shell: Run /init at %s s (no -icount: real time)"
          % next((re.search(r"\[ *([0-9.]+)\] Run /init", l).group(1) for l in r.lines
                  if re.search(r"\] Run /init", l)), "?"))
    c.ok(r.hyp(r"vm 'linux' stopped: powered off by the guest \(PSCI SYSTEM_OFF"),
         "poweroff -f typed at the shell stops the VM")
    c.ok(r.state("linux") == "stopped" and r.state("alpha") == "running",
         "report: linux stopped, alpha running")


def scenario_linux_fault(c):
    r = c.run
    c.ended_cleanly()
    c.ok(r.guest("linux", r"emv-linux: reading the RTC at 0x9010000, not ours"),
         "Linux's /init reads a device its VM was not given")
    c.ok(r.hyp(r"vm 'linux' stopped: stage-2 fault: read of 4 bytes at ipa 0x9010000 "
               r"\(not mapped for this VM\)"), "the hypervisor stops that VM, naming the address")
    c.ok(not r.guest("linux", r"emv-linux: still running"), "Linux runs no further")
    c.ok(r.state("linux") == "stopped" and r.state("alpha") == "running",
         "report: linux stopped, alpha running")


def scenario_linux_load(c):
    """Linux on 2 vCPUs under load on the CPU of the EDF and RM servers: zero misses over the
    whole run (Linux's boot, then a busy loop pinned to each of its CPUs), and the load did run
    on both vCPUs (Linux's own count and the hypervisor's run time per vCPU)."""
    r = c.run
    c.ended_cleanly()
    load = r.guest("linux", r"emv-linux: load: a busy loop on each of 2 cpu\(s\) for \d+ s, from [0-9.]+s$")
    c.ok(load, "Linux's /init starts a busy loop pinned to each of its 2 CPUs (taskset)")
    busy = {}
    for cpu in (0, 1):
        it = r.guest("linux", r"emv-linux: load: cpu%d loop iterations=\d+$" % cpu)
        n = int(r.lines[it[0]].split("=")[1]) if it else 0
        c.ok(n > 1000, "the loop pinned to Linux's cpu%d ran (%d iterations)" % (cpu, n))
        b = r.guest("linux", r"emv-linux: load: cpu%d busy-ticks=\d+ of \d+, until [0-9.]+s$" % cpu)
        m = re.search(r"busy-ticks=(\d+) of (\d+)", r.lines[b[0]]) if b else None
        busy[cpu] = (int(m.group(1)), int(m.group(2))) if m else (0, 1)
        c.ok(m and busy[cpu][0] * 2 >= busy[cpu][1],
             "Linux's /proc/stat: cpu%d busy for at least half the load (%d of %d ticks)"
             % ((cpu,) + busy[cpu]))
        line = r.hyp(r"vm linux vcpu %d: .*runtime-us=" % cpu)
        run = int(re.search(r"runtime-us=(\d+)", line).group(1)) if line else -1
        c.ok(run >= 300000, "the hypervisor ran Linux's vCPU %d for %d us (>= 300 ms) on CPU 0"
             % (cpu, run))
    off = r.index(r"^emv: vm 'linux' stopped: powered off by the guest \(PSCI SYSTEM_OFF")
    c.ok(off is not None and r.state("linux") == "stopped", "Linux powered its VM off after the load")
    c.ok(not r.guest("linux", r"(Kernel panic|Oops|BUG:|WARNING:|Unable to handle)"),
         "Linux reports no panic, oops or warning")
    for vm in ("rt-edf", "rt-rm"):
        rep = rt_report(r, vm)
        at = r.guest(vm, r"rt: report ")
        c.ok(rep is not None and rep[2] == 0,
             "%s: zero deadline misses in %s jobs over Linux's boot and load" % (vm, rep and rep[1]))
        c.ok(at and off is not None and at[0] > off,
             "%s's report comes after Linux's load ended: the whole load is inside its count" % vm)
        check_tasks_as_configured(c, vm)
    late = r.cpu_stat(0, "enforce-late-ns-max")
    c.ok(0 <= late <= 10000, "CPU 0 enforced budgets at most %d ns late (<= 10 us)" % late)
    print("# linux-load: worst response (us): %s" % ", ".join(
        "%s %s" % (vm, max(int(re.search(r"worst-response-us=(\d+)", r.lines[i]).group(1))
                           for i in r.guest(vm, r"rt: task "))) for vm in ("rt-edf", "rt-rm")
        if r.guest(vm, r"rt: task ")))


def scenario_linux_reboot(c):
    r = c.run
    c.ended_cleanly()
    shells = r.guest("linux", r"emv-linux: shell \(busybox sh\)")
    ups = r.guest("linux", r"emv-linux: init up, 2 cpu\(s\)")
    c.ok(len(ups) == 2 and len(shells) == 2, "Linux boots to its shell on 2 CPUs twice (%d, %d)"
         % (len(ups), len(shells)))
    start = r.index(r"^emv: vm 'linux' restarting: the guest \(PSCI SYSTEM_RESET, vcpu \d\)$")
    done = r.index(r"^emv: vm 'linux' restarted by the guest \(PSCI SYSTEM_RESET, vcpu \d\) "
                   r"\(restart 1\)")
    c.ok(start is not None and done is not None and shells and start > shells[0] and done > start,
         "reboot -f at the first shell: the hypervisor restarts that VM only, with log lines")
    c.ok(len(ups) == 2 and done is not None and ups[1] > done,
         "the second boot comes after the restart")
    c.ok(len(r.guest("linux", r"\[ *[0-9.]+\] smp: Brought up 1 node, 2 CPUs")) == 2,
         "Linux brings its second vCPU up again with PSCI CPU_ON after the restart")
    c.ok(not r.guest("linux", r"(Kernel panic|Oops|BUG:|WARNING:|rcu: INFO|Unable to handle)"),
         "Linux reports no panic, oops, warning or stall")
    c.ok(r.guest("linux", r"cpus=2$"), "the second shell sees 2 CPUs in /proc/cpuinfo")
    c.ok(r.hyp(r"vm 'linux' stopped: powered off by the guest \(PSCI SYSTEM_OFF"),
         "poweroff -f at the second shell stops the VM")
    c.ok(not r.hyp(r"vm '(rt-edf|rt-rm|alpha)' (stopped|restart)"), "no other VM stopped or restarted")
    for vm in ("rt-edf", "rt-rm"):
        rep = rt_report(r, vm)
        c.ok(rep is not None and rep[2] == 0 and rep[1] > 1000,
             "%s: zero deadline misses over the whole run (boot, restart, boot again): %s"
             % (vm, rep and "%d jobs, %d misses" % (rep[1], rep[2])))
    ticks = r.guest("alpha", r"tick \d+ at")
    c.ok(done is not None and ticks and ticks[-1] > done, "alpha ticks on after the restart")
    c.ok(r.state("linux") == "stopped" and all(r.state(v) == "running"
                                                for v in ("rt-edf", "rt-rm", "alpha")),
         "report: linux stopped, the others running")
    m = r.hyp(r"vm 'linux' restarted .*: \d+ us after the request; its state reset in (\d+) us, "
              r"its memory loaded in \d+ pieces of 64 KiB, the longest (\d+) us$")
    if m:
        print("# linux-reboot: " + m[5:])
    nums = re.search(r"reset in (\d+) us, .* the longest (\d+) us$", m or "")
    c.ok(nums and int(nums.group(1)) <= 200 and int(nums.group(2)) <= 200,
         "the restart keeps CPU 0 with interrupts masked for at most 200 us at a time (state reset "
         "%s us, longest memory piece %s us)" % (nums and nums.group(1), nums and nums.group(2)))


# Scenarios that need material fetched first: a function returning a reason to skip, or None.
PREPARE = {"linux": linux_material, "linux-shell": linux_material,
           "linux-fault": linux_material, "linux-load": linux_material,
           "linux-reboot": linux_material, "linux-noseed": linux_material}

SW = "\x05\x05\x05"  # the console input's switch sequence (Ctrl-E three times)
# Scenarios that type at the console: (line regex, text) in turn.
TYPING = {
    "linux-shell": [
        (r"emv-linux: shell", SW),
        (r"console input: to nobody", "echo lost-$((1+1))\n" + SW),
        (r"console input: to vm 'linux'", "echo typed-$((6*7))\n"),
        (r"^\[linux\] typed-42", "echo cpus=$(grep -c ^processor /proc/cpuinfo)\n"),
        (r"^\[linux\] cpus=", "poweroff -f\n"),
    ],
    "linux-reboot": [
        (r"^\[linux\] emv-linux: shell", "reboot -f\n"),
        (r"^\[linux\] emv-linux: shell", "echo cpus=$(grep -c ^processor /proc/cpuinfo)\n"),
        (r"^\[linux\] cpus=", "poweroff -f\n"),
    ],
}

SCENARIOS = [
    ("boot", "demo-basic", 2, scenario_boot),
    ("hello", "example-hello", 2, scenario_hello, ICOUNT),  # docs/guests.md, as `make run` runs it
    ("timer", "test-timer", 2, scenario_timer, ICOUNT),  # deterministic tick counts
    ("isolation", "test-isolation", 2, scenario_isolation),
    ("spin", "test-spin", 2, scenario_spin, ICOUNT),
    ("crosscpu", "test-crosscpu", 2, scenario_crosscpu, ICOUNT),
    ("console", "test-console", 2, scenario_console, ICOUNT),
    ("conflood", "test-conflood", 2, scenario_conflood, ICOUNT, 60),  # fails by timeout
    ("stoprace", "test-stoprace", 2, scenario_stoprace),  # real parallelism: no icount
    ("ipi", "test-ipi", 2, scenario_ipi, ICOUNT),
    ("pingpong", "test-pingpong", 2, scenario_pingpong, ICOUNT),
    ("ringpong", "test-ringpong", 2, scenario_ringpong, ICOUNT),
    ("ringhostile", "test-ringhostile", 2, scenario_ringhostile, ICOUNT),


    ("ipc", "test-ipc", 2, scenario_ipc, ICOUNT),
    ("ipcfault", "test-ipcfault", 2, scenario_ipcfault, ICOUNT),
    ("ipcqueue", "test-ipcqueue", 2, scenario_ipcqueue, ICOUNT),
    ("faulthandler", "test-faulthandler", 2, scenario_faulthandler, ICOUNT),
    ("faultpassive", "test-faultpassive", 2, scenario_faulthandler, ICOUNT),
    ("ipcchain", "test-ipcchain", 2, scenario_ipcchain, ICOUNT),
    ("ipcreset", "test-ipcreset", 2, scenario_ipcreset, ICOUNT),
    ("ipcchainfault", "test-ipcchainfault", 2, scenario_ipcchainfault, ICOUNT),
    ("ipccycle", "test-ipccycle", 2, scenario_ipccycle, ICOUNT),


    ("grant", "test-grant", 2, scenario_grant, ICOUNT),
    ("evbind", "test-evbind", 2, scenario_evbind, ICOUNT),
    ("rtc", "test-rtc", 2, scenario_rtc, ICOUNT + ["-rtc", "base=2024-01-01T00:00:00,clock=vm"]),
    ("rtcreset", "test-rtcreset", 2, scenario_rtcreset,
     ICOUNT + ["-rtc", "base=2024-01-01T00:00:00,clock=vm"]),
    # real parallelism (no icount) for the race; booted four times, as it is a race
    ("stopboth-1", "test-stopboth", 2, scenario_stopboth),
    ("stopboth-2", "test-stopboth", 2, scenario_stopboth),
    ("stopboth-3", "test-stopboth", 2, scenario_stopboth),
    ("stopboth-4", "test-stopboth", 2, scenario_stopboth),
    ("badcall", "test-badcall", 2, scenario_badcall),
    ("dbgpmu", "test-dbgpmu", 2, scenario_dbgpmu, ICOUNT),
    ("fp", "test-fp", 1, scenario_fp),
    ("rt", "test-rt", 2, scenario_rt, ICOUNT),
    ("rt-policies", "test-rt-rm", 2, scenario_rt_policies, ICOUNT),
    ("admit", "test-admit", 2, scenario_admit, ICOUNT),
    ("rtdemo", "demo", 2, scenario_rtdemo, ICOUNT),  # the `make run` system itself
    ("ipistorm", "test-ipistorm", 2, scenario_ipistorm, ICOUNT),
    ("rtdemo-credit", "test-rtdemo-credit", 1, scenario_rtdemo_credit, ICOUNT),
    ("rt-overrun", "test-rt-overrun", 1, scenario_rt_overrun, ICOUNT),
    ("rt-admit", "test-rt-admit", 2, scenario_rt_admit, ICOUNT),
    ("rt-newcomer", "test-rt-newcomer", 2, scenario_rt_newcomer, ICOUNT),
    ("rt-config", "test-rt-config", 2, scenario_rt_config, ICOUNT),
    ("threads", "test-threads", 1, scenario_threads, ICOUNT),
    ("jam", "test-jam", 2, scenario_jam, ICOUNT),
    ("admit-hostile", "test-admit-hostile", 2, scenario_admit_hostile, ICOUNT),
    ("linux", "test-linux", 2, scenario_linux, ICOUNT, 120),
    ("linux-fault", "test-linux-fault", 2, scenario_linux_fault, ICOUNT, 120),
    ("linux-noseed", "test-linux", 2, scenario_linux_noseed,
     ICOUNT + ["-machine", "dtb-randomness=off"], 120),
    ("linux-shell", "test-linux-shell", 2, scenario_linux_shell, [], 60),  # real time: typing
    ("linux-load", "test-linux-load", 2, scenario_linux_load, ICOUNT, 600),
    ("linux-reboot", "test-linux-reboot", 2, scenario_linux_reboot, ICOUNT, 240),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-k", default="", metavar="SUBSTRING",
                    help="run only the scenarios whose name contains SUBSTRING")
    ap.add_argument("--list", action="store_true", help="list the scenarios and their configs")
    ap.add_argument("--keep-logs", default="build/system-logs")
    a = ap.parse_args()
    if a.list:
        for name, config, smp, *_ in SCENARIOS:
            print("%-16s configs/%s.dts (-smp %d)" % (name, config, smp))
        return 0
    os.makedirs(a.keep_logs, exist_ok=True)
    results = []
    for name, config, smp, fn, *extra in SCENARIOS:
        if a.k not in name:
            continue
        skip = PREPARE[name]() if name in PREPARE else None
        if skip:
            print("# %s: SKIP: %s" % (name, skip))
            results.append((True, "%s: # SKIP %s" % (name, skip)))
            continue
        run = boot(config, smp, timeout=extra[1] if len(extra) > 1 else 180,
                   extra=extra[0] if extra else (), typing=TYPING.get(name))
        open(os.path.join(a.keep_logs, name + ".log"), "w").write(run.out)
        c = Checks(name, run)
        fn(c)
        print("# %s: %s, %.1f s wall" % (name, config, run.seconds))
        results += c.results
    print("1..%d" % len(results))
    for i, (good, what) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if good else "not ok", i, what))
    failed = sum(1 for g, _ in results if not g)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
