#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Rings between VMs: event notification latency and instructions per request by batch size.

Boots configs/bench-ringpong-same.dts and bench-ringpong-cross.dts (guests/apps/ringpong.c in
benchmark mode) under `-icount shift=0,sleep=off -smp 2`, each twice: the figures are
instruction counts and must come out identical, else this fails. Subtracts the measurement
floor (bench-hc, as bench/run_bench.py does) and writes the `ring` section of
docs/benchmarks.md.
"""
import re
import statistics
import subprocess
import sys

import run_bench

PLACES = (("same CPU", "bench-ringpong-same"), ("across CPUs", "bench-ringpong-cross"))
BATCHES = (1, 8, 32)


def figures(config):
    """Latency samples and per-batch-size counters of one boot."""
    lines = run_bench.boot(config, smp=2)
    lat = [int(x) for l in lines if " ringpong: latency " in l and "samples" not in l
           for x in l.split(" latency ")[1].split()]
    if not any(re.search(r"ringpong: latency samples 1000, bad 0$", l) for l in lines):
        sys.exit("bench: %s: latency samples missing or bad" % config)
    runs = {}
    for b in BATCHES:
        ok = [l for l in lines if re.search(r"ringpong: \d+ requests in batches of %d: 0 wrong, "
                                            r"0 lost, 0 duplicated$" % b, l)]
        n = [l for l in lines if " ringpong: batch %d: " % b in l and "notifications" in l]
        c = [l for l in lines if " ringpong: batch %d: cycles" % b in l]
        if not (ok and n and c):
            sys.exit("bench: %s: batch %d did not run cleanly" % (config, b))
        m = re.search(r"(\d+) batches, (\d+) answered, notifications (\d+) to the server, "
                      r"(\d+) from it, (\d+) upcalls", n[0])
        cyc = re.search(r"min (\d+) avg \d+ max (\d+) sum (\d+)", c[0])
        runs[b] = tuple(int(x) for x in m.groups() + cyc.groups())
    return lat, runs


def rows(floor, results):
    out = []
    for place, config in PLACES:
        lat, _ = results[config]
        net = [x - floor for x in lat]
        out.append("| %s | %d | %d | %d | %d |" % (place, statistics.median(net), min(net),
                                                    max(net), len(net)))
    table = ["| placement | median | min | max | samples |", "|---|---:|---:|---:|---:|"] + out
    ring = ["| placement | batch | instructions per batch, avg (min / max) | per request "
            "| notifications per request, to the server / from it | upcalls per request |",
            "|---|---:|---:|---:|---:|---:|"]
    for place, config in PLACES:
        _, runs = results[config]
        for b in BATCHES:
            batches, answered, to_srv, from_srv, ups, lo, hi, total = runs[b]
            avg = total / batches - floor
            ring.append("| %s | %d | %.0f (%d / %d) | %.0f | %.3f / %.3f | %.3f |" % (
                place, b, avg, lo - floor, hi - floor, avg / b, to_srv / answered,
                from_srv / answered, ups / answered))
    return table, ring


def main():
    floor = run_bench.hypercall()["counter"][0]
    first = {config: figures(config) for _, config in PLACES}
    second = {config: figures(config) for _, config in PLACES}
    if first != second:
        sys.exit("bench: ring figures differ between two identical runs: not deterministic")
    lat, ring = rows(floor, first)
    cross = first["bench-ringpong-cross"][1][1]
    text = "\n".join([
        "## ring: event channels and I/O rings between VMs",
        "",
        "`make bench` (bench/ring_bench.py) boots `configs/bench-ringpong-same.dts` (server "
        "`be` and client on CPU 0) and `configs/bench-ringpong-cross.dts` (client on CPU 1) "
        "with `-icount shift=0,sleep=off -smp 2`, twice each: both runs gave identical figures. "
        "The client is guests/apps/ringpong.c in benchmark mode; all figures are PMCCNTR_EL0 "
        "differences (instructions) less the measurement floor of the foundation section "
        "(%d)." % floor,
        "",
        "**Event notification latency**, from the client's counter read just before "
        "`EMV_HC_EVTCHN_NOTIFY` to the server's read at the start of its handler for the "
        "upcall (SGI 15), which it sends back in its answer; 1,000 samples, each after a "
        "20 us pause so that the server is asleep in `mos_block` with interrupts masked. The "
        "path: the notify hypercall, then the wake-up and switch, the server's return from "
        "`EMV_HC_BLOCK`, unmasking, the exception entry and minios's interrupt dispatch (saving "
        "registers, acknowledging the interrupt at the GIC). On one CPU, in this configuration, "
        "the woken server does not preempt the client (the credit scheduler of best-effort "
        "VMs leaves the CPU to it): the figure also holds the client's own way to sleep (take, "
        "poll, final check, block) before the server runs. Across CPUs the counter is one "
        "virtual clock that QEMU advances for the instructions of both CPUs as it runs them "
        "in turn, so the figure also holds whatever CPU 0 executed meanwhile; here CPU 0 is "
        "idle but for the client, so it is close to the wake-up path itself.",
        "",
    ] + lat + [
        "",
        "**Ring round trips** at batches of 1, 8 and 32 requests (3,200 requests each): "
        "the client builds and puts a batch, pushes, notifies if the push says so, waits "
        "(poll, final check, sleep) until all the answers are there and takes them; the "
        "counter is read before the batch is built and after its last answer is taken. "
        "Notifications are counted where they are sent (client: push said so; server: its "
        "push said so, from its own counters); upcalls where they arrive. Every answer was "
        "checked: none wrong, lost or duplicated.",
        "",
    ] + ring + [
        "",
        "A batch costs about one round trip plus a little per request, so the cost per "
        "request falls with the batch; the notifications per request fall as 1/batch: "
        "one per push in each direction at most. Across CPUs the server's answer often "
        "arrives before the client has re-armed its event index (it is still on its way to "
        "sleep), and then the server's push sends nothing and the client finds the answer "
        "before it sleeps: %d of the %d batches of 1 here, which is why min and max "
        "differ." % (cross[0] - cross[3], cross[0]),
    ])
    print(text)
    subprocess.run([sys.executable, "scripts/bench_section.py", "ring"], input=text.encode(),
                   check=True)


if __name__ == "__main__":
    main()
