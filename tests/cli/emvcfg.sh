#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# emvcfg from the shell: good configs pass and generate; each bad-*.dts fails with exit 1 and
# the message its first line announces (`// expect: ...`). Run from the repo root after
# `make tools`. TAP output.
set -u
EMVCFG=build/host/emvcfg
DATA=tests/cli/data/cfg
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }

dtb() { dtc -q -I dts -O dtb -o "$TMP/$(basename "$1" .dts).dtb" "$1" && echo "$TMP/$(basename "$1" .dts).dtb"; }

out=$("$EMVCFG" check --source $DATA/good.dts "$(dtb $DATA/good.dts)" 2>&1)
[ $? -eq 0 ] && [[ "$out" == *"good.dts: ok (2 VMs)"* ]] && ok "good config passes" || notok "good config passes: $out"

"$EMVCFG" gen --source $DATA/good.dts --name good --out-c "$TMP/c.c" --out-s "$TMP/i.S" \
    "$TMP/good.dtb" 2>"$TMP/err"
if [ $? -eq 0 ] && grep -q '.name = "a"' "$TMP/c.c" && grep -q 'EMV_VM_F_CONTROL' "$TMP/c.c" &&
   grep -q '.ram_ipa = 0x50000000ULL' "$TMP/c.c" && grep -q 'EMV_SCHED_RT' "$TMP/c.c" &&
   grep -q '.name = "rtc", .base = 0x9010000ULL' "$TMP/c.c" && grep -q 'incbin ".*tiny.bin"' "$TMP/i.S"; then
    ok "gen writes the VM tables and the image blob"
else
    notok "gen writes the VM tables and the image blob ($(cat "$TMP/err"))"
fi
if cc -std=c11 -fsyntax-only -Ihyp -Ihyp/platform/qemu-virt "$TMP/c.c" 2>"$TMP/err"; then
    ok "generated C compiles against hyp/core/config.h"
else
    notok "generated C compiles ($(head -3 "$TMP/err"))"
fi

for f in $DATA/bad-*.dts; do
    want=$(head -1 "$f" | sed 's|^// expect: ||')
    out=$("$EMVCFG" check --source "$f" "$(dtb "$f")" 2>&1)
    rc=$?
    if [ $rc -eq 1 ] && [[ "$out" == *"$f: $want"* ]]; then
        ok "$(basename "$f") refused: $want"
    else
        notok "$(basename "$f") refused (rc=$rc): want '$want', got: $out"
    fi
done

wrote=""
for f in $DATA/bad-*.dts; do
    "$EMVCFG" gen --out-c "$TMP/x.c" --out-s "$TMP/x.S" "$TMP/$(basename "$f" .dts).dtb" 2>/dev/null
    rc=$?
    { [ $rc -eq 1 ] && [ ! -e "$TMP/x.c" ]; } || wrote="$wrote $(basename "$f")"
    rm -f "$TMP/x.c" "$TMP/x.S"
done
[ -z "$wrote" ] && ok "gen exits 1 and writes nothing for any bad config" ||
    notok "gen wrote output or wrong status for:$wrote"

"$EMVCFG" check 2>/dev/null; [ $? -eq 2 ] && ok "missing argument: exit 2" || notok "missing argument: exit 2"
"$EMVCFG" check --bogus x.dtb 2>/dev/null; [ $? -eq 2 ] && ok "unknown option: exit 2" || notok "unknown option: exit 2"
"$EMVCFG" check "$TMP/none.dtb" 2>/dev/null; [ $? -eq 2 ] && ok "missing file: exit 2" || notok "missing file: exit 2"
printf 'garbage' > "$TMP/g.dtb"
out=$("$EMVCFG" check "$TMP/g.dtb" 2>&1); [ $? -eq 1 ] && [[ "$out" == *"not a valid device tree blob"* ]] &&
    ok "garbage input: clear error" || notok "garbage input: $out"

echo "1..$n"
[ $fails -eq 0 ]
