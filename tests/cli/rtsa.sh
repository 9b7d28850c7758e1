#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# rtsa.sh - drives build/host/rtsa from the shell and prints TAP.
# Run from the repository root after `make` (RTSA=path overrides the binary).
set -u

RTSA=${RTSA:-build/host/rtsa}
D=tests/cli/data/rt
N=0
FAILED=0
ERR=$(mktemp)
trap 'rm -f "$ERR"' EXIT

pass() { N=$((N + 1)); echo "ok $N - $1"; }
fail() {
    N=$((N + 1)); FAILED=$((FAILED + 1))
    echo "not ok $N - $1"
    shift
    for l in "$@"; do printf '#   %s\n' "$l"; done
}

# expect DESC STATUS EXPECTED_STDOUT ARGS...: exact stdout and exit status.
expect() {
    local desc=$1 status=$2 want=$3 out rc
    shift 3
    out=$("$RTSA" "$@" 2>"$ERR"); rc=$?
    if [ "$rc" -eq "$status" ] && [ "$out" = "$want" ]; then
        pass "$desc"
    else
        fail "$desc" "rtsa $*" "exit $rc (want $status)" "stdout: $out" "stderr: $(cat "$ERR")"
    fi
}

# expect_grep DESC STATUS PATTERN ARGS...: exit status and a fixed string in stdout.
expect_grep() {
    local desc=$1 status=$2 pat=$3 out rc
    shift 3
    out=$("$RTSA" "$@" 2>"$ERR"); rc=$?
    if [ "$rc" -eq "$status" ] && grep -qF -- "$pat" <<<"$out"; then
        pass "$desc"
    else
        fail "$desc" "rtsa $*" "exit $rc (want $status)" "stdout: $out" "wanted: $pat"
    fi
}

# expect_err DESC MESSAGE ARGS...: exit status 2, the exact message on stderr, nothing on stdout.
expect_err() {
    local desc=$1 msg=$2 out rc
    shift 2
    out=$("$RTSA" "$@" 2>"$ERR"); rc=$?
    if [ "$rc" -eq 2 ] && [ -z "$out" ] && grep -qxF -- "$msg" "$ERR"; then
        pass "$desc"
    else
        fail "$desc" "rtsa $*" "exit $rc (want 2)" "stderr: $(cat "$ERR")" "wanted: $msg"
    fi
}

if [ ! -x "$RTSA" ]; then
    echo "1..1"
    echo "not ok 1 - $RTSA exists (run make tools first)"
    exit 1
fi

# ---- sbf: Gamma(10, 4) has a 12-unit blackout, then 4 on / 6 off ----
expect "sbf at the end of the blackout" 0 "0" sbf --period 10 --budget 4 12
expect "sbf inside the first supply window" 0 "1" sbf --period 10 --budget 4 13
expect "sbf at the end of the first window" 0 "4" sbf --period 10 --budget 4 16
expect "sbf flat through the gap" 0 "4" sbf --period 10 --budget 4 22
expect "sbf several times, one per line" 0 $'0\n2\n8' sbf --period 10 --budget 4 0 14 26
expect "sbf of a dedicated CPU is t" 0 "123" sbf --period=7 --budget=7 123
expect "sbf --json" 0 '{"period": 10, "budget": 4, "t": 26, "sbf": 8}' \
    sbf --json --period 10 --budget 4 26

# ---- check ----
expect "check edf, budget 5 too small" 1 "unschedulable" \
    check --policy edf --period 10 --budget 5 $D/tasks.txt
expect "check edf, budget 6 enough" 0 "schedulable" \
    check --policy edf --period 10 --budget 6 $D/tasks.txt
expect "check rm, budget 6 enough" 0 "schedulable" \
    check --policy rm --period 10 --budget 6 $D/tasks.txt
expect "check rm -v names the task that misses" 1 \
    $'unschedulable\ntask ctl (line 3) misses its deadline: at t=15 demand 4 > supply 3' \
    check --policy rm --period 10 --budget 4 -v $D/tasks.txt
expect "check edf -v gives the time demand exceeds supply" 1 \
    $'unschedulable\nat t=30 demand 12 > supply 10' \
    check -v --policy edf --period 10 --budget 5 $D/tasks.txt
expect_grep "check --json schedulable" 0 '"schedulable": true' \
    check --json --policy edf --period 10 --budget 6 $D/tasks.txt
expect_grep "check --json witness" 1 '"witness": {"t": 30, "demand": 12, "supply": 10}' \
    check --json --policy edf --period 10 --budget 5 $D/tasks.txt
# RM ties in file order: the later of two equal periods waits, so it is the one that fails.
expect "check rm: of tied periods the later line fails" 1 \
    $'unschedulable\ntask second (line 3) misses its deadline: at t=10 demand 11 > supply 10' \
    check --policy rm --period 5 --budget 5 -v $D/tie_ab.txt
expect "check rm: swapping tied lines swaps which task fails" 1 \
    $'unschedulable\ntask first (line 3) misses its deadline: at t=10 demand 11 > supply 10' \
    check --policy rm --period 5 --budget 5 -v $D/tie_ba.txt
expect "check takes policy/period/budget from header lines" 0 "schedulable" \
    check $D/headers.txt
expect "check: command line overrides header lines" 1 "unschedulable" \
    check --budget 5 $D/headers.txt
expect "check reads stdin for -" 0 "schedulable" \
    check --policy rm --period 10 --budget 6 - <$D/tasks.txt

# ---- interface ----
expect "interface edf" 0 "budget 6" interface --policy edf --period 10 $D/tasks.txt
expect "interface rm" 0 "budget 6" interface --policy rm --period 10 $D/tasks.txt
expect "interface rm of an RM component" 0 "budget 2" interface --policy rm --period 5 $D/comp_a.txt
expect "interface overload is unschedulable" 1 "unschedulable" \
    interface --policy edf --period 10 $D/overload.txt
expect "interface --json" 0 \
    '{"policy": "edf", "period": 10, "budget": 6, "bandwidth": 0.600000, "minimal": true, "undecided": 0, "schedulable": true}' \
    interface --json --policy edf --period 10 $D/tasks.txt
expect "interface --json unschedulable" 1 \
    '{"policy": "rm", "period": 10, "budget": null, "schedulable": false}' \
    interface --json --policy rm --period 10 $D/overload.txt

# 100 tasks in ns: at 1 ms the minimum is exact; at 10 ms budgets within 5 ns of U P are too
# costly to decide, so the answer is the smallest proven budget, flagged as such.
H=$D/hundred_ns.txt
expect "interface of 100 tasks, exact minimum" 0 "budget 500000" \
    interface --policy edf --period 1000000 $H
expect "interface of 100 tasks near U P" 0 "budget 5000003" interface --policy edf --period 10000000 $H
if grep -qF "minimum is in 4999998..5000003" "$ERR"; then
    pass "interface near U P notes the undecided budgets"
else
    fail "interface near U P notes the undecided budgets" "stderr: $(cat "$ERR")"
fi
expect_grep "interface --json near U P: not minimal" 0 '"minimal": false, "undecided": 5' \
    interface --json --policy edf --period 10000000 $H
expect "the flagged budget passes check" 0 "schedulable" \
    check --policy edf --period 10000000 --budget 5000003 $H
expect "the budget below the undecided range fails check" 1 "unschedulable" \
    check --policy edf --period 10000000 --budget 4999997 $H

# ---- compose ----
expect "compose edf: interfaces and verdict" 0 \
    $'ctl: policy rm period 5 budget 2\nlogger: policy edf period 10 budget 2\ntotal bandwidth 0.600000\nschedulable' \
    compose --policy edf $D/comp_a.txt $D/comp_b.txt
expect "compose rm: response times 2 and 4 fit periods 5 and 10" 0 \
    $'ctl: policy rm period 5 budget 2\nlogger: policy edf period 10 budget 2\ntotal bandwidth 0.600000\nschedulable' \
    compose --policy rm $D/comp_a.txt $D/comp_b.txt
expect "compose overloaded system" 1 \
    $'ctl: policy rm period 5 budget 2\ntests/cli/data/rt/comp_heavy.txt: policy edf period 10 budget 10\ntotal bandwidth 1.400000\nunschedulable' \
    compose --policy edf $D/comp_a.txt $D/comp_heavy.txt
expect_grep "compose --json" 0 \
    '"components": [{"component": "ctl", "policy": "rm", "period": 5, "budget": 2, "bandwidth": 0.400000, "minimal": true, "undecided": 0, "schedulable": true}' \
    compose --json --policy rm $D/comp_a.txt $D/comp_b.txt
expect_grep "compose --json system verdict" 1 '"bandwidth": 1.400000, "schedulable": false}' \
    compose --json --policy edf $D/comp_a.txt $D/comp_heavy.txt

# ---- malformed input: exit 2, message names the file and line ----
expect_err "wcet above period" "rtsa: $D/bad_wcet.txt:3: wcet 12 exceeds period 10" \
    check --policy edf --period 10 --budget 5 $D/bad_wcet.txt
expect_err "zero period" "rtsa: $D/bad_zero.txt:2: period must be positive, got 0" \
    interface --policy rm --period 10 $D/bad_zero.txt
expect_err "negative period" "rtsa: $D/bad_negative.txt:1: period '-10' is not a positive integer" \
    interface --policy edf --period 10 $D/bad_negative.txt
expect_err "non-integer wcet" "rtsa: $D/bad_nonint.txt:2: wcet '2.5' is not a positive integer" \
    check --policy rm --period 10 --budget 5 $D/bad_nonint.txt
expect_err "missing wcet" "rtsa: $D/bad_missing.txt:1: missing wcet after period 10" \
    interface --policy edf --period 10 $D/bad_missing.txt
expect_err "unknown policy in a component" \
    "rtsa: $D/bad_policy.txt:1: unknown policy 'fifo' (expected edf or rm)" \
    compose --policy edf $D/comp_a.txt $D/bad_policy.txt
expect_err "component without period" \
    "rtsa: $D/comp_noperiod.txt: missing 'period' line (a component needs policy and period)" \
    compose --policy edf $D/comp_noperiod.txt
expect_err "missing file" "rtsa: $D/nonexistent.txt: No such file or directory" \
    check --policy edf --period 10 --budget 5 $D/nonexistent.txt
expect_err "unknown option" "rtsa: unknown option '--deadline'" \
    check --deadline 5 $D/tasks.txt
expect_err "unknown policy option" "rtsa: --policy: unknown policy 'llf' (expected edf or rm)" \
    interface --policy llf --period 10 $D/tasks.txt
expect_err "option needs a value" "rtsa: option --period needs a value" \
    interface --policy edf $D/tasks.txt --period
expect_err "zero period option" "rtsa: --period must be positive" \
    interface --policy edf --period 0 $D/tasks.txt
expect_err "non-integer budget option" "rtsa: --budget: '4.5' is not a non-negative integer" \
    check --policy edf --period 10 --budget 4.5 $D/tasks.txt
expect_err "budget above period" "rtsa check: budget 11 exceeds period 10" \
    check --policy edf --period 10 --budget 11 $D/tasks.txt
expect_err "missing --policy" "rtsa interface: missing --policy" \
    interface --period 10 $D/tasks.txt
expect_err "option that does not apply" "rtsa interface: option --budget does not apply" \
    interface --policy edf --period 10 --budget 3 $D/tasks.txt
expect_err "unknown command" "rtsa: unknown command 'schedule'" schedule $D/tasks.txt

echo "1..$N"
[ "$FAILED" -eq 0 ]
