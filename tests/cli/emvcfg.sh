#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# emvcfg from the shell, TAP output. Run from the repo root after `make tools`.
#   - good*.dts pass `check` and `gen`; the generated C compiles against hyp/core/config.h and
#     the generated assembly assembles, with one page-aligned symbol per image; a dma-trusted VM
#     carries EMV_VM_F_DMA_TRUSTED in the tables.
#   - each bad-*.dts fails with exit 1 and prints every message its leading
#     `// expect: MESSAGE` lines announce (each prefixed with the .dts path); gen writes nothing.
#   - usage errors exit 2.
set -u
EMVCFG=build/host/emvcfg
DATA=tests/cli/data/cfg
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; fi; }

if [ ! -x "$EMVCFG" ]; then
    echo "1..1"
    echo "not ok 1 - $EMVCFG is missing: run make tools first"
    exit 1
fi

# Compile a fixture; prints the dtb path.
dtb() {
    local out="$TMP/$(basename "$1" .dts).dtb"
    dtc -q -I dts -O dtb -o "$out" "$1" && echo "$out"
}

# ---- good configs ----
for f in "$DATA"/good*.dts; do
    out=$("$EMVCFG" check --source "$f" "$(dtb "$f")" 2>&1)
    check "$(basename "$f") passes check" '[ $? -eq 0 ] && [[ "$out" == "$f: ok ("*" VM"*")" ]]' ||
        echo "# $out"
done

"$EMVCFG" gen --source "$DATA/good.dts" --out-c "$TMP/c.c" --out-s "$TMP/i.S" "$TMP/good.dtb" \
    2>"$TMP/err"
check "gen succeeds" '[ $? -eq 0 ]' || sed 's/^/# /' "$TMP/err"
check "gen: name defaults to the source's stem" 'grep -q "^    .name = \"good\"," "$TMP/c.c"'
check "gen: VM table fields" 'grep -q ".name = \"a\"" "$TMP/c.c" &&
    grep -q "EMV_VM_F_CONTROL" "$TMP/c.c" && grep -q ".ram_ipa = 0x50000000ULL" "$TMP/c.c" &&
    grep -q ".bootarg = 0x7ULL" "$TMP/c.c" && grep -q "EMV_SCHED_RT" "$TMP/c.c" &&
    grep -q ".image_size = 34," "$TMP/c.c" && grep -q ".cpu_policy = {0, 1}" "$TMP/c.c"'
check "gen: devices carry the board's address and IRQ" \
    'grep -q "{.name = \"rtc\", .base = 0x9010000ULL, .size = 0x1000ULL, .irq = 34}" "$TMP/c.c"'
check "gen: images by absolute path, page-aligned, in .rodata.guest_images" \
    'grep -q "^    .incbin \"/.*/tests/cli/data/cfg/tiny.bin\"" "$TMP/i.S" &&
    grep -q "^    .balign 4096" "$TMP/i.S" && grep -q "section .rodata.guest_images" "$TMP/i.S"'
check "generated C compiles against hyp/core/config.h" \
    'cc -std=c11 -Wall -Wextra -Werror -c -Ihyp -Iinclude -Ihyp/platform/qemu-virt "$TMP/c.c" -o "$TMP/c.o"'
check "generated assembly assembles: one 34-byte symbol per image, page-aligned" \
    'cc -c "$TMP/i.S" -o "$TMP/i.o" && [ "$(nm -S "$TMP/i.o" | grep -c " R emv_image_")" = 2 ] &&
    nm -S "$TMP/i.o" | grep -q "^0000000000001000 0000000000000022 R emv_image_1"'

"$EMVCFG" gen --source "$DATA/good-dma.dts" --out-c "$TMP/d.c" --out-s "$TMP/d.S" \
    "$(dtb "$DATA/good-dma.dts")" 2>"$TMP/err"
check "gen: a dma-trusted VM carries EMV_VM_F_DMA_TRUSTED, others do not" '[ $? -eq 0 ] &&
    grep -q "^        .flags = EMV_VM_F_CONTROL | EMV_VM_F_DMA_TRUSTED,$" "$TMP/d.c" &&
    [ "$(grep -c "^        .flags = EMV_VM_F_DMA_TRUSTED,$" "$TMP/d.c")" = 1 ] &&
    [ "$(grep -c "^        .flags = 0,$" "$TMP/d.c")" = 1 ] && ! grep -q DMA_TRUSTED "$TMP/c.c"' ||
    sed 's/^/# /' "$TMP/err"
check "generated C with the DMA flag compiles against hyp/core/config.h" \
    'cc -std=c11 -Wall -Wextra -Werror -c -Ihyp -Iinclude -Ihyp/platform/qemu-virt "$TMP/d.c" -o "$TMP/d.o"'

"$EMVCFG" gen --name my-sys --out-c "$TMP/n.c" --out-s "$TMP/n.S" "$TMP/good.dtb" 2>/dev/null
check "gen --name sets emv_config.name" 'grep -q "^    .name = \"my-sys\"," "$TMP/n.c"'
"$EMVCFG" gen --name 'bad"name' --out-c "$TMP/q.c" --out-s "$TMP/q.S" "$TMP/good.dtb" 2>/dev/null
check "gen --name refuses a name the C string cannot hold (exit 2)" '[ $? -eq 2 ] && [ ! -e "$TMP/q.c" ]'

# --root: image paths are relative to it, output paths stay relative to the caller.
mkdir -p "$TMP/root/tests/cli/data/cfg" "$TMP/out"
cp "$DATA/tiny.bin" "$TMP/root/tests/cli/data/cfg/"
(cd "$TMP" && "$OLDPWD/$EMVCFG" gen --root root --out-c out/r.c --out-s out/r.S good.dtb)
check "gen --root: images found under the root, outputs where asked" \
    'grep -q "incbin \"$TMP/root/tests/cli/data/cfg/tiny.bin\"" "$TMP/out/r.S"'

# ---- bad configs ----
for f in "$DATA"/bad-*.dts; do
    mapfile -t wants < <(sed -n 's|^// expect: ||p' "$f")
    out=$("$EMVCFG" check --source "$f" "$(dtb "$f")" 2>&1)
    rc=$?
    missing=""
    for w in "${wants[@]}"; do
        [[ "$out" == *"$f: $w"* ]] || missing="$missing [$w]"
    done
    if [ $rc -eq 1 ] && [ ${#wants[@]} -gt 0 ] && [ -z "$missing" ]; then
        ok "$(basename "$f") refused: ${wants[0]}"
    else
        notok "$(basename "$f") refused (rc=$rc), missing:$missing"
        echo "$out" | sed 's/^/# /'
    fi
done

wrote=""
for f in "$DATA"/bad-*.dts; do
    "$EMVCFG" gen --out-c "$TMP/x.c" --out-s "$TMP/x.S" "$TMP/$(basename "$f" .dts).dtb" \
        2>/dev/null
    rc=$?
    { [ $rc -eq 1 ] && [ ! -e "$TMP/x.c" ] && [ ! -e "$TMP/x.S" ]; } || wrote="$wrote $(basename "$f")"
    rm -f "$TMP/x.c" "$TMP/x.S"
done
check "gen exits 1 and writes nothing for every bad config" '[ -z "$wrote" ]' ||
    echo "# wrong for:$wrote"

out=$("$EMVCFG" check "$TMP/bad-overlap.dtb" 2>&1)
check "without --source, messages name the dtb" '[[ "$out" == *"$TMP/bad-overlap.dtb: vm '"'b'"': memory:"* ]]'

# ---- usage ----
out=$("$EMVCFG" --help)
check "--help: usage on stdout, exit 0" '[ $? -eq 0 ] && [[ "$out" == *"usage: emvcfg check"* ]]'
"$EMVCFG" check 2>/dev/null
check "missing CONFIG.dtb: exit 2" '[ $? -eq 2 ]'
"$EMVCFG" frobnicate x.dtb 2>/dev/null
check "unknown command: exit 2" '[ $? -eq 2 ]'
"$EMVCFG" check --bogus x.dtb 2>/dev/null
check "unknown option: exit 2" '[ $? -eq 2 ]'
"$EMVCFG" gen --out-c "$TMP/y.c" "$TMP/good.dtb" 2>/dev/null
check "gen without --out-s: exit 2, nothing written" '[ $? -eq 2 ] && [ ! -e "$TMP/y.c" ]'
"$EMVCFG" check "$TMP/none.dtb" 2>/dev/null
check "missing file: exit 2" '[ $? -eq 2 ]'
printf 'garbage' >"$TMP/g.dtb"
out=$("$EMVCFG" check "$TMP/g.dtb" 2>&1)
check "garbage input: exit 1, one clear error" '[ $? -eq 1 ] &&
    [[ "$out" == *"not a valid device tree blob"* ]] && [[ "$out" == *": 1 error"* ]]'

echo "1..$n"
[ $fails -eq 0 ]
