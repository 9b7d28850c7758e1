#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run each libFuzzer target for many inputs and print a Markdown section for
docs/benchmarks.md (piped through scripts/bench_section.py fuzz by `make fuzz-long`).

Usage: scripts/fuzz_long.py --runs N build/fuzz/fuzz_a build/fuzz/fuzz_b
Exits non-zero if a target crashed: a crash is a bug to fix, not a number to record.
"""
import argparse
import datetime
import os
import platform
import re
import subprocess
import sys
import time

DONE = re.compile(r"^#(\d+)\s+DONE\s+cov: (\d+) ft: (\d+) corp: (\S+)")
STAT = re.compile(r"^stat::(\w+):\s+(\d+)")


def run(binary, runs):
    name = binary.rsplit("/", 1)[-1]
    cmd = [binary, f"-runs={runs}", "-seed=1", "-print_final_stats=1",
           f"-artifact_prefix=build/fuzz/{name}-"]
    t0 = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    secs = time.monotonic() - t0
    res = {"name": name, "cmd": " ".join(cmd), "rc": p.returncode, "secs": secs,
           "cov": "-", "ft": "-", "corp": "-", "units": "-", "rss": "-"}
    for line in p.stdout.splitlines():
        m = DONE.match(line)
        if m:
            res.update(cov=m.group(2), ft=m.group(3), corp=m.group(4))
        m = STAT.match(line)
        if m and m.group(1) == "number_of_executed_units":
            res["units"] = m.group(2)
        if m and m.group(1) == "peak_rss_mb":
            res["rss"] = m.group(2)
    if p.returncode != 0:
        sys.stderr.write(p.stdout[-4000:])
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10_000_000)
    ap.add_argument("targets", nargs="+")
    a = ap.parse_args()
    results = [run(t, a.runs) for t in a.targets]
    print("## fuzz: libFuzzer targets, long runs\n")
    print("Measured by `make fuzz-long` (scripts/fuzz_long.py; about 16 min, so not part of "
          f"`make bench`) on "
          f"{datetime.date.today()}, {platform.machine()} host with {os.cpu_count()} CPUs: clang 14, "
          "`-fsanitize=fuzzer,address,undefined`, one process per target, no seed corpus. "
          "`make test` runs the same targets briefly (tests/cli/fuzz.sh). Coverage (`cov`, "
          "edges) and features (`ft`) are libFuzzer's final counts; crashes are runs that "
          "ended on a failed check or a sanitizer report.\n")
    print("| target | inputs | seconds | inputs/s | crashes | cov | ft | corpus | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---|---:|")
    for r in results:
        rate = int(int(r["units"]) / r["secs"]) if r["units"] != "-" else "-"
        crashes = 0 if r["rc"] == 0 else 1
        print(f"| {r['name']} | {r['units']} | {r['secs']:.0f} | {rate} | {crashes} | "
              f"{r['cov']} | {r['ft']} | {r['corp']} | {r['rss']} |")
    print("\nCommand lines:\n")
    for r in results:
        print(f"    {r['cmd']}")
    print("\nfuzz_ring plays a hostile peer against one real side of a ring "
          "(guests/lib/ring.c): arbitrary region content, arbitrary writes to any word of it "
          "between the real side's calls, every result checked against an independent model. "
          "fuzz_hc_decode feeds hc_decode() and guest_range_to_pa() arbitrary registers, "
          "immediate, privilege and RAM window and checks that every accepted buffer lies "
          "inside the window at its translated address.")
    return 0 if all(r["rc"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
