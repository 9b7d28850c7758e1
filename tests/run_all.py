#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs every test layer and prints one closing line `N passed, N failed`.

Layers (each speaks TAP, counted by its `ok` / `not ok` lines):
  unit    host cmocka binaries given with --unit (run with CMOCKA_MESSAGE_OUTPUT=TAP)
  cli     tests/cli/*.sh: host tools driven from the shell
  system  tests/system/run.py: QEMU scenarios
A layer that crashes or prints no result counts as one failure, never as a pass.
"""
import argparse
import glob
import os
import re
import subprocess
import sys

OK = re.compile(r"^\s*ok \d+")
NOT_OK = re.compile(r"^\s*not ok \d+")


def run(cmd, env=None, timeout=1200):
    name = " ".join(cmd)
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           env=env, timeout=timeout)
        out, rc = p.stdout, p.returncode
    except subprocess.TimeoutExpired as e:
        out, rc = (e.stdout or b"").decode() if isinstance(e.stdout, bytes) else (e.stdout or ""), -1
        out += f"\nTIMEOUT after {timeout}s\n"
    passed = failed = 0
    for line in out.splitlines():
        if NOT_OK.match(line):
            failed += 1
            print(f"  FAIL {name}: {line.strip()}")
        elif OK.match(line):
            passed += 1
    if rc != 0 and failed == 0:
        failed += 1
        print(f"  FAIL {name}: exit status {rc} with no failing test reported")
    if passed + failed == 0:
        failed = 1
        print(f"  FAIL {name}: reported no results")
    if failed:
        print("  ---- output of " + name + " ----")
        print("\n".join("  | " + l for l in out.splitlines()[-60:]))
    print(f"{name}: {passed} passed, {failed} failed")
    return passed, failed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--unit", nargs="*", default=[])
    ap.add_argument("--no-unit", action="store_true")
    ap.add_argument("--no-cli", action="store_true")
    ap.add_argument("--no-system", action="store_true")
    a = ap.parse_args()
    total_p = total_f = 0
    jobs = []
    if not a.no_unit:
        env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="TAP")
        jobs += [([u], env) for u in a.unit]
    if not a.no_cli:
        jobs += [(["bash", s], None) for s in sorted(glob.glob("tests/cli/*.sh"))]
    if not a.no_system and os.path.exists("tests/system/run.py"):
        jobs.append(([sys.executable, "tests/system/run.py"], None))
    for cmd, env in jobs:
        p, f = run(cmd, env)
        total_p += p
        total_f += f
    print(f"{total_p} passed, {total_f} failed")
    return 0 if total_f == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
