#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tools/emvtrace.py on a hand-written trace: every expectation below is worked out by hand
# from tests/cli/data/trace/two-servers.log, not by running the tool. TAP output.
set -u
T=tools/emvtrace.py
D=tests/cli/data/trace
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
n=0
fails=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else fails=$((fails + 1)); echo "not ok $n - $1"; fi; }

out=$(python3 $T $D/two-servers.log 2>"$TMP/err")
rc=$?
check "summary exits 0 despite one malformed line" "[ $rc -eq 0 ]"
check "malformed line reported with its number" "grep -q 'line 26: malformed trace line' $TMP/err"
# b ran [0,1) and [5,5.5) ms; a ran [1,4); be ran [4,5) and [5.5,9).
check "b: 2 runs, 1500 us, server 1000/5000us, 2 periods, 1 exhaustion" \
    "grep -qx 'b/0: cpu 0 runs=2 run-us=1500 server=1000/5000us periods=2 exhausted=1' <<<\"\$out\""
check "a: 1 run, 3000 us, 1 exhaustion" \
    "grep -qx 'a/0: cpu 0 runs=1 run-us=3000 server=3000/10000us periods=1 exhausted=1' <<<\"\$out\""
check "be: 2 runs, 4500 us" "grep -qx 'be/0: cpu 0 runs=2 run-us=4500' <<<\"\$out\""
check "guest jobs: t1 missed, t2 missed, t0 met" \
    "grep -qx 'b task t1: jobs=1 misses=1' <<<\"\$out\" && grep -qx 'b task t2: jobs=1 misses=1' <<<\"\$out\" && grep -qx 'a task t0: jobs=1 misses=0' <<<\"\$out\""

python3 $T $D/two-servers.log --json "$TMP/t.json" --svg "$TMP/t.svg" --from-ms 0 --to-ms 10 2>/dev/null
check "json and svg written" "[ -s $TMP/t.json ] && [ -s $TMP/t.svg ]"
check "json parses" "python3 -m json.tool $TMP/t.json >/dev/null"
cnt() { python3 - "$@" <<'PY'
import json, sys
ev = json.load(open(sys.argv[1]))["traceEvents"]
kind = sys.argv[2]
if kind == "runs":
    print(sum(1 for e in ev if e["ph"] == "X" and e["name"] == "run"))
elif kind == "run-us":
    print(int(sum(e["dur"] for e in ev if e["ph"] == "X" and e["name"] == "run")))
elif kind == "misses":
    print(sum(1 for e in ev if e["ph"] == "i" and e["name"].startswith("deadline miss")))
elif kind == "exh":
    print(sum(1 for e in ev if e["ph"] == "i" and e["name"] == "budget exhausted"))
PY
}
check "json: 5 run slices" "[ \"\$(cnt $TMP/t.json runs)\" = 5 ]"
check "json: run time sums to 9000 us" "[ \"\$(cnt $TMP/t.json run-us)\" = 9000 ]"
check "json: 2 deadline-miss instants" "[ \"\$(cnt $TMP/t.json misses)\" = 2 ]"
check "json: 2 budget-exhausted instants" "[ \"\$(cnt $TMP/t.json exh)\" = 2 ]"
svg() { python3 - "$TMP/${2:-t}.svg" "$1" <<'PY'
import sys, xml.etree.ElementTree as E
r = E.parse(sys.argv[1]).getroot()
ns = "{http://www.w3.org/2000/svg}"
cls = sys.argv[2]
print(sum(1 for e in r.iter() if e.get("class") == cls))
PY
}
check "svg is XML with 3 row labels" "[ \"\$(svg label)\" = 3 ]"
check "svg: 5 run bars" "[ \"\$(svg run)\" = 5 ]"
check "svg: 2 miss markers" "[ \"\$(svg miss)\" = 2 ]"
check "svg: 3 budget bands (a: 1 period, b: 2)" "[ \"\$(svg band)\" = 3 ]"
python3 $T $D/two-servers.log --svg "$TMP/z.svg" --from-ms 4.5 --to-ms 5.2 2>/dev/null
check "zoomed svg keeps only bars overlapping [4.5, 5.2] ms (be, b)" \
    "[ \"\$(python3 -c \"import sys,xml.etree.ElementTree as E;print(sum(1 for e in E.parse('$TMP/z.svg').getroot().iter() if e.get('class')=='run'))\")\" = 2 ]"
# two-cpus.log: a (CPU 1) runs [2,4) ms, idle (CPU 1) never runs, z (CPU 0, server 1/4 ms)
# runs [6,7) and runs out of budget at 3 ms while m runs (idling server) and at 7 ms while it
# runs itself; m (CPU 0) runs [2,6) and [7,8); the hypervisor dropped 120 earlier events.
python3 $T $D/two-cpus.log --svg "$TMP/c.svg" --from-ms 0 --to-ms 10 2>"$TMP/cerr"
check "dropped events: the warning says what the trace covers (2-8 ms)" \
    "grep -q 'dropped the 120 earliest events; the trace covers only 2.000-8.000 ms' $TMP/cerr"
texts() { python3 - "$TMP/c.svg" "$1" <<'PY'
import sys, xml.etree.ElementTree as E
r = E.parse(sys.argv[1]).getroot()
print("|".join("".join(e.itertext()) for e in r.iter() if e.get("class") == sys.argv[2]))
PY
}
check "rows grouped by CPU, in CPU order: CPU 0 (m, z) then CPU 1 (a)" \
    "[ \"\$(texts cpu)\" = 'CPU 0|CPU 1' ] && [ \"\$(texts label)\" = 'm/0|z/0|a/0' ]"
check "top to bottom: CPU 0, m, z, CPU 1, a" "python3 - $TMP/c.svg <<'PY'
import sys, xml.etree.ElementTree as E
r = E.parse(sys.argv[1]).getroot()
rows = sorted((float(e.get('y')), e.text) for e in r.iter() if e.get('class') in ('cpu', 'label'))
sys.exit(0 if [t for _, t in rows] == ['CPU 0', 'm/0', 'z/0', 'CPU 1', 'a/0'] else 1)
PY"
check "a vCPU that never ran has no row but is named under the picture" \
    "[ \"\$(texts hidden)\" = 'not shown, no run in this window: idle/0 (CPU 1)' ]"
check "budget exhausted while running (7 ms) and while not running (3 ms) drawn apart" \
    "[ \"\$(svg exh c)\" = 1 ] && [ \"\$(svg exh-idle c)\" = 1 ]"
check "the legend explains the idling-server rule" "texts legend | grep -q 'idling-server rule'"
check "no grey tick, no idling-server note (two-servers: both ran out while running)" \
    "[ \"\$(svg exh-idle)\" = 0 ] && ! grep -q 'idling-server' $TMP/t.svg"
check "the title names the window and what the trace covers" \
    "texts title | grep -qF 'emvisor schedule, 0.000-10.000 ms (the trace covers 2.000-8.000 ms, 120 earlier events dropped)'"
check "the last axis label ends inside the picture" "python3 - $TMP/c.svg <<'PY'
import sys, xml.etree.ElementTree as E
r = E.parse(sys.argv[1]).getroot()
last = [e for e in r.iter() if e.get('class') == 'tick'][-1]
# 12 px sans-serif: a digit or letter is at most ~7 px wide; the label is centred on x
sys.exit(0 if float(last.get('x')) + 7 * len(last.text) / 2 <= float(r.get('width')) else 1)
PY"
python3 $T $D/two-servers.log --strict >/dev/null 2>&1
check "--strict: malformed line exits 2" "[ $? -eq 2 ]"
echo "[x] nothing here" | python3 $T >/dev/null 2>&1
check "no trace in the input exits 2" "[ $? -eq 2 ]"
python3 $T /nonexistent >/dev/null 2>&1
check "missing file exits 2" "[ $? -eq 2 ]"
echo "1..$n"
[ $fails -eq 0 ]
