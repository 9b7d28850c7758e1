#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# makerun.sh - `make run` fails when the hypervisor's RESULT line says FAILED (a VM of the
# config did not start); `make debug` runs the system of `make run` (same QEMU flags and
# terminal filter, DEBUG_RAW=1 the other way) and waits for gdb: gdb-multiarch attaches in
# batch mode, finds the CPU at _start, runs it to hyp_main and kills it. A few seconds. TAP.
set -u
cd "$(dirname "$0")/../.."
TMP=$(mktemp -d)
n=0
fails=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else fails=$((fails + 1)); echo "not ok $n - $1"; fi; }
qemu_line() { make -n "$@" | grep -o 'qemu-system-aarch64 .*'; }

# The command lines, as make would run them (-n: nothing runs).
run=$(qemu_line run)
dbg=$(qemu_line debug GDB_PORT=4321)
raw=$(qemu_line debug GDB_PORT=4321 DEBUG_RAW=1)
check "make run uses -icount and hides the trace lines" \
    "grep -q -- '-icount shift=0,sleep=off' <<<\"\$run\" && grep -qF \"grep --line-buffered -v '^emv: trace '\" <<<\"\$run\""
check "make debug = make run's QEMU and filter, stopped (-S) for gdb on GDB_PORT" \
    "[ \"\${dbg/ -S -gdb tcp::4321 | tee build\/debug.log/ | tee build/run.log}\" = \"\$run\" ]"
check "DEBUG_RAW=1: no -icount, every line on the terminal" \
    "! grep -q -- '-icount' <<<\"\$raw\" && grep -q '| cat\$' <<<\"\$raw\""

# make run's verdict, with QEMU replaced by the lines a run ends with (nothing boots).
fake() { make -s run RUN_LOG="$TMP/run.log" RUN_QEMU="printf '%s\n' '$1'" >"$TMP/run.out" 2>&1; }
fake "emv: RESULT: 3 vms, 1 running, 2 stopped; FAILED: 1 vm(s) did not start"
check "make run exits non-zero when a VM did not start, and says so" \
    "[ $? -ne 0 ] && grep -q 'the run FAILED: a VM of the config did not start' $TMP/run.out"
fake "emv: RESULT: 3 vms, 2 running, 1 stopped"
check "make run exits 0 when every VM started (even if one stopped later)" "[ $? -eq 0 ]"

# The real thing: QEMU waits for gdb, gdb-multiarch attaches.
ELF=build/demo/hyp.elf
[ -f "$ELF" ] || make -s CONFIG=demo hyp >/dev/null
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
setsid make -s debug GDB_PORT="$port" </dev/null >"$TMP/out" 2>&1 &
pgid=$!
trap 'kill -- -$pgid 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 100); do
    grep -q "QEMU waits for gdb on :$port" "$TMP/out" && ss -ltn 2>/dev/null | grep -q ":$port " && break
    sleep 0.2
done
sleep 0.5
check "QEMU waits: no console output before gdb attaches" "! grep -q 'emvisor starting' $TMP/out"
timeout 60 gdb-multiarch -batch -ex "target remote :$port" -ex 'info registers pc' \
    -ex 'break hyp_main' -ex 'continue' -ex 'info registers pc' -ex 'kill' "$ELF" >"$TMP/gdb" 2>&1
check "gdb-multiarch attaches and finds the boot CPU at _start" "grep -q '<_start>' $TMP/gdb"
check "the hypervisor runs under gdb to hyp_main" "grep -qE 'pc +0x[0-9a-f]+ +0x[0-9a-f]+ <hyp_main>' $TMP/gdb"
for _ in $(seq 50); do kill -0 $pgid 2>/dev/null || break; sleep 0.2; done
check "QEMU ends when gdb kills it" "! kill -0 $pgid 2>/dev/null"
[ $fails -eq 0 ] || sed 's/^/#   /' "$TMP/out" "$TMP/gdb"
echo "1..$n"
[ $fails -eq 0 ]
