#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# fuzz.sh - a short run of each libFuzzer target (mk/fuzz.mk builds them) as TAP: ok when it
# ends without a crash, a sanitizer report or a failed check. Each target's own number of
# inputs (about 2 s each on an idle machine; FUZZ_RUNS overrides them all), and never more
# than FUZZ_SECONDS (default 8) so a loaded machine stays bounded.
# Run from the repository root; a crashing input is kept as build/fuzz/<target>-crash-*.
set -u
SECS=${FUZZ_SECONDS:-8}
TARGETS="fuzz_ring:200000 fuzz_hc_decode:2000000"
N=0
echo "1..$(echo $TARGETS | wc -w)"
for tr in $TARGETS; do
    t=${tr%%:*}
    RUNS=${FUZZ_RUNS:-${tr##*:}}
    N=$((N + 1))
    bin=build/fuzz/$t
    if [ ! -x "$bin" ]; then
        echo "not ok $N - $t: $bin missing (make fuzz builds it)"
        continue
    fi
    out=$("$bin" -runs="$RUNS" -max_total_time="$SECS" -seed=1 -artifact_prefix="build/fuzz/$t-" \
        2>&1)
    rc=$?
    done_line=$(printf '%s\n' "$out" | grep -E '^Done [0-9]+ runs' | tail -1)
    if [ "$rc" -eq 0 ] && [ -n "$done_line" ]; then
        echo "ok $N - $t: $done_line"
    else
        echo "not ok $N - $t: exit $rc"
        printf '%s\n' "$out" | grep -E 'ERROR|SUMMARY|fuzz_|artifact' | head -20 | sed 's/^/#   /'
    fi
done
