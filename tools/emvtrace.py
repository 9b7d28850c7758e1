#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""emvtrace: turn an emvisor console log with a scheduling trace into pictures.

Reads the lines `emv: trace...` the hypervisor prints at the end of a run with `trace;` in
its config (format: docs/trace.md) and the guests' `[vm] job/miss ...` lines; ignores the rest.
  --json OUT   Chrome/Perfetto trace-event JSON (open in ui.perfetto.dev)
  --svg OUT    Gantt chart: rows grouped by physical CPU, one per vCPU that ran in the
               window (--from-ms/--to-ms), server periods shaded, misses in red, a legend
  --summary    per-vCPU totals (the default when nothing else is asked)
Exit: 0 ok, 2 bad usage or, with --strict, a malformed trace line.
"""
import argparse
import json
import re
import sys
from xml.sax.saxutils import escape

EVENTS = {"in", "out", "repl", "exh", "wake", "idle"}
RE_EV = re.compile(r"^emv: trace (\d+) (\d+) (\w+) (\S+) (\S+) (\S+)$")
RE_SRV = re.compile(r"^emv: trace-server (\S+) (\d+) (\d+) (\d+) (\d+)$")
RE_VCPU = re.compile(r"^emv: trace-vcpu (\S+) (\d+) (\d+)$")
RE_END = re.compile(r"^emv: trace-end events=(\d+) dropped=(\d+)$")
RE_JOB = re.compile(r"^\[([\w-]+)\] job (\S+) (\d+) (\d+) (\d+)$")
RE_MISS = re.compile(r"^\[([\w-]+)\] miss (\S+) (\d+) (\d+)$")


class Trace:
    def __init__(self):
        self.vcpus = {}    # (vm, vcpu) -> cpu
        self.servers = {}  # (vm, vcpu) -> (period, budget)
        self.runs = {}     # (vm, vcpu) -> [(start, end, cpu)]
        self.instants = []  # (t, kind, vm, vcpu)
        self.jobs = []     # (vm, task, release, finish, deadline, missed)
        self.repl = {}     # (vm, vcpu) -> [period start times]
        self.exh = {}      # (vm, vcpu) -> [times]
        self.dropped = 0
        self.start = None  # first event kept by the hypervisor (ns)
        self.end = 0
        self.warnings = 0


def parse(lines, strict):
    t = Trace()
    running = {}  # cpu -> (key, start)
    for no, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        m = RE_EV.match(line)
        if m:
            ts, cpu, ev, vm, vc, arg = int(m[1]), int(m[2]), m[3], m[4], m[5], m[6]
            if ev == "exit":
                continue  # a guest exit by cause: counted by bench/linux_bench.py, not drawn
            if ev not in EVENTS or (ev != "idle" and not vc.isdigit()):
                warn(t, no, line, strict)
                continue
            key = (vm, int(vc)) if ev != "idle" else None
            t.end = max(t.end, ts)
            t.start = ts if t.start is None else min(t.start, ts)
            close = ev in ("out", "idle") or (ev == "in" and cpu in running)
            if close and cpu in running and (ev != "out" or running[cpu][0] == key):
                k, start = running.pop(cpu)
                t.runs.setdefault(k, []).append((start, ts, cpu))
            if ev == "in":
                running[cpu] = (key, ts)
                t.vcpus.setdefault(key, cpu)
            elif ev == "repl":
                t.repl.setdefault(key, []).append(ts)
            elif ev == "exh":
                t.exh.setdefault(key, []).append(ts)
                t.instants.append((ts, "budget exhausted", key, cpu))
            elif ev == "wake":
                t.instants.append((ts, "wake", key, cpu))
            continue
        if line.startswith("emv: trace ") :
            warn(t, no, line, strict)
            continue
        m = RE_SRV.match(line)
        if m:
            t.servers[(m[1], int(m[2]))] = (int(m[4]), int(m[5]))
            t.vcpus.setdefault((m[1], int(m[2])), int(m[3]))
            continue
        m = RE_VCPU.match(line)
        if m:
            t.vcpus.setdefault((m[1], int(m[2])), int(m[3]))
            continue
        m = RE_END.match(line)
        if m:
            t.dropped += int(m[2])
            continue
        m = RE_JOB.match(line)
        if m:
            rel, fin, dl = int(m[3]), int(m[4]), int(m[5])
            t.jobs.append((m[1], m[2], rel, fin, dl, fin > dl))
            continue
        m = RE_MISS.match(line)
        if m:
            t.jobs.append((m[1], m[2], int(m[3]), None, int(m[4]), True))
    for cpu, (k, start) in running.items():  # still running when the dump was taken
        t.runs.setdefault(k, []).append((start, t.end, cpu))
    if t.dropped:
        print("emvtrace: warning: the hypervisor's trace ring was full and dropped the %d "
              "earliest events; the trace covers only %s" % (t.dropped, covers(t)), file=sys.stderr)
    return t


def covers(t):
    return "%.3f-%.3f ms" % ((t.start or 0) / 1e6, t.end / 1e6)


def warn(t, no, line, strict):
    t.warnings += 1
    print("emvtrace: line %d: malformed trace line: %s" % (no, line), file=sys.stderr)
    if strict:
        sys.exit(2)


def to_json(t):
    ev = []
    pids = {vm: i + 1 for i, vm in enumerate(sorted({k[0] for k in t.vcpus} | {j[0] for j in t.jobs}))}
    for vm, pid in pids.items():
        ev.append({"ph": "M", "name": "process_name", "pid": pid, "args": {"name": "vm " + vm}})
    for (vm, vc), cpu in t.vcpus.items():
        ev.append({"ph": "M", "name": "thread_name", "pid": pids[vm], "tid": vc,
                   "args": {"name": "vcpu %d (cpu %d)" % (vc, cpu)}})
    for (vm, vc), runs in t.runs.items():
        for s, e, cpu in runs:
            ev.append({"ph": "X", "name": "run", "cat": "vcpu", "pid": pids[vm], "tid": vc,
                       "ts": s / 1000.0, "dur": (e - s) / 1000.0, "args": {"cpu": cpu}})
    for ts, kind, (vm, vc), cpu in t.instants:
        ev.append({"ph": "i", "s": "t", "name": kind, "pid": pids[vm], "tid": vc, "ts": ts / 1000.0})
    tasks = {}
    for vm, task, rel, fin, dl, missed in t.jobs:
        tid = tasks.setdefault((vm, task), 1000 + len(tasks))
        if fin is not None:
            ev.append({"ph": "X", "name": "job " + task, "cat": "job", "pid": pids[vm], "tid": tid,
                       "ts": rel / 1000.0, "dur": (fin - rel) / 1000.0,
                       "args": {"deadline_us": dl / 1000.0, "missed": missed}})
        if missed:
            ev.append({"ph": "i", "s": "t", "name": "deadline miss " + task, "pid": pids[vm],
                       "tid": tid, "ts": dl / 1000.0})
    for (vm, task), tid in tasks.items():
        ev.append({"ph": "M", "name": "thread_name", "pid": pids[vm], "tid": tid,
                   "args": {"name": "task " + task}})
    return {"traceEvents": ev, "displayTimeUnit": "ns"}


IDLING_NOTE = ("A server's budget drains whenever it is the most urgent server, also while it "
               "waits blocked and others run (the idling-server rule the analysis assumes), so it "
               "can run out where the server has no bar: grey tick.")


def to_svg(t, t0, t1, width):
    def shown(key):
        return (any(s < t1 and e > t0 for s, e, _ in t.runs.get(key, []))
                or any(t0 <= ts <= t1 for ts in t.exh.get(key, [])))
    keys = sorted(t.vcpus, key=lambda k: (t.vcpus[k], k))
    rows = [k for k in keys if shown(k)]
    hidden = [k for k in keys if not shown(k)]
    cpus = sorted({t.vcpus[k] for k in rows})
    left, right, top, rh, pad, gh = 140, 50, 46, 28, 8, 20
    ya = top + len(cpus) * gh + len(rows) * rh + 10
    idle_exh = any(t0 <= ts <= t1 and not any(s < ts <= e for s, e, _ in t.runs.get(k, []))
                   for k in rows for ts in t.exh.get(k, []))
    notes = 2 + 2 * idle_exh + bool(hidden)
    h = ya + 30 + notes * 16 + 8
    span = max(t1 - t0, 1)
    x = lambda ts: left + (min(max(ts, t0), t1) - t0) * (width - left - right) / span
    cover = "the trace covers %s" % covers(t)
    if t.dropped:
        cover += ", %d earlier events dropped" % t.dropped
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" '
           'font-size="12">' % (width, h),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text class="title" x="5" y="18" font-size="14">emvisor schedule, %.3f-%.3f ms '
           '(%s)</text>' % (t0 / 1e6, t1 / 1e6, escape(cover))]
    colours = ["#4c78a8", "#f58518", "#54a24b", "#b279a2", "#9d755d", "#e45756", "#72b7b2"]
    ypos = {}
    y = top
    for cpu in cpus:
        out.append('<line x1="5" x2="%d" y1="%d" y2="%d" stroke="#888888"/>' % (width - 5, y, y))
        out.append('<text class="cpu" x="5" y="%d" font-weight="bold">CPU %d</text>' % (y + 14, cpu))
        y += gh
        for key in (k for k in rows if t.vcpus[k] == cpu):
            ypos[key] = y
            y += rh
    for i, key in enumerate(rows):
        y = ypos[key]
        out.append('<text class="label" x="15" y="%d">%s/%d</text>' % (y + rh - 10, escape(key[0]), key[1]))
        if key in t.servers:
            period, budget = t.servers[key]
            starts = sorted(t.repl.get(key, []))
            for k, s in enumerate(starts):
                if s + period < t0 or s > t1:
                    continue
                out.append('<rect class="band" x="%.1f" y="%d" width="%.1f" height="%d" fill="%s" '
                           'opacity="0.35"/>' % (x(s), y + 2, max(x(s + period) - x(s) - 1, 0.5),
                                                 rh - 4, "#dddddd" if k % 2 else "#c8d6e5"))
        runs = t.runs.get(key, [])
        for s, e, cpu in runs:
            if e < t0 or s > t1:
                continue
            out.append('<rect class="run" x="%.2f" y="%d" width="%.2f" height="%d" fill="%s"/>'
                       % (x(s), y + pad, max(x(e) - x(s), 0.3), rh - 2 * pad, colours[i % len(colours)]))
        for ts in t.exh.get(key, []):
            if t0 <= ts <= t1:
                running = any(s < ts <= e for s, e, _ in runs)
                out.append('<line class="%s" x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="%s" '
                           'stroke-width="1.5"><title>budget exhausted at %.3f ms%s</title></line>'
                           % ("exh" if running else "exh-idle", x(ts), x(ts), y + 2, y + rh - 2,
                              "black" if running else "#999999", ts / 1e6,
                              "" if running else " while not running (idling server)"))
    for vm, task, rel, fin, dl, missed in t.jobs:
        if missed and t0 <= dl <= t1:
            vrows = [k for k in rows if k[0] == vm]
            if not vrows:
                continue
            y = ypos[vrows[0]]
            out.append('<circle class="miss" cx="%.1f" cy="%d" r="4" fill="red"><title>%s missed '
                       '%.3f ms</title></circle>' % (x(dl), y + rh // 2, escape(task), dl / 1e6))
    out.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="black"/>' % (left, width - right, ya, ya))
    for k in range(11):
        ts = t0 + span * k / 10
        out.append('<text class="tick" x="%.1f" y="%d" text-anchor="middle">%.1f ms</text>'
                   % (x(ts), ya + 15, ts / 1e6))
    legend = ["bar: the vCPU runs on that CPU; shaded: a real-time server's periods (alternating); "
              "red dot: a missed deadline",
              "black tick: the server's budget ran out while it ran, and the hypervisor stopped it"]
    if idle_exh:  # one line is too long for the width: cut after the rule's name
        legend += [IDLING_NOTE[:IDLING_NOTE.index(", so") + 1], IDLING_NOTE[IDLING_NOTE.index(", so") + 2:]]
    if hidden:
        legend.append("not shown, no run in this window: " + ", ".join(
            "%s/%d (CPU %d)" % (k[0], k[1], t.vcpus[k]) for k in hidden))
    for n, text in enumerate(legend):
        cls = "hidden" if text.startswith("not shown") else "legend"
        out.append('<text class="%s" x="5" y="%d">%s</text>' % (cls, ya + 40 + 16 * n, escape(text)))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def summary(t):
    out = ["trace of %s%s:" % (covers(t), ", %d earlier events dropped" % t.dropped if t.dropped else "")]
    for key in sorted(t.vcpus):
        runs = t.runs.get(key, [])
        total = sum(e - s for s, e, _ in runs)
        line = "%s/%d: cpu %d runs=%d run-us=%d" % (key[0], key[1], t.vcpus[key], len(runs), total // 1000)
        if key in t.servers:
            p, b = t.servers[key]
            line += " server=%d/%dus periods=%d exhausted=%d" % (
                b // 1000, p // 1000, len(t.repl.get(key, [])), len(t.exh.get(key, [])))
        out.append(line)
    tasks = {}
    for vm, task, *_rest, missed in t.jobs:
        j, m = tasks.get((vm, task), (0, 0))
        tasks[(vm, task)] = (j + 1, m + int(missed))
    for (vm, task), (j, m) in sorted(tasks.items()):
        out.append("%s task %s: jobs=%d misses=%d" % (vm, task, j, m))
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("log", nargs="?", help="console log (default: stdin)")
    ap.add_argument("--json")
    ap.add_argument("--svg")
    ap.add_argument("--summary", action="store_true")
    ap.add_argument("--from-ms", type=float)
    ap.add_argument("--to-ms", type=float)
    ap.add_argument("--width", type=int, default=1200)
    ap.add_argument("--strict", action="store_true")
    a = ap.parse_args()
    try:
        lines = open(a.log, errors="replace").readlines() if a.log else sys.stdin.readlines()
    except OSError as e:
        print("emvtrace: %s" % e, file=sys.stderr)
        return 2
    t = parse(lines, a.strict)
    if not t.vcpus:
        print("emvtrace: no trace in the input (is `trace;` in the config's hypervisor node?)",
              file=sys.stderr)
        return 2
    if a.json:
        json.dump(to_json(t), open(a.json, "w"))
    if a.svg:
        first = min((s for r in t.runs.values() for s, _, _ in r), default=0)
        t0 = int(a.from_ms * 1e6) if a.from_ms is not None else first
        t1 = int(a.to_ms * 1e6) if a.to_ms is not None else t0 + 100000000
        if t1 <= t0:
            print("emvtrace: --to-ms must be after --from-ms", file=sys.stderr)
            return 2
        open(a.svg, "w").write(to_svg(t, t0, t1, a.width))
    if a.summary or not (a.json or a.svg):
        print(summary(t))
    return 0


if __name__ == "__main__":
    sys.exit(main())
