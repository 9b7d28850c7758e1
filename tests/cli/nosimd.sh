#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# nosimd.sh - the hypervisor image uses no FP/SIMD register outside fpsimd_save/restore. Guests'
# FP/SIMD state stays in the registers between switches (lazy, CPTR_EL2.TFP), so any other
# use at EL2 (a compiler helper from libgcc, say) would trap there, or clobber a guest's state.
set -u
cd "$(dirname "$0")/../.."
ELF=build/demo/hyp.elf
[ -f "$ELF" ] || make -s CONFIG=demo hyp >/dev/null
echo "1..1"
bad=$(aarch64-linux-gnu-objdump -d --no-show-raw-insn "$ELF" | awk '
    /^[0-9a-f]+ <.*>:$/ { fn = $2; next }
    fn != "<fpsimd_save>:" && fn != "<fpsimd_restore>:" { print fn, $0 }' |
    grep -E $'\t[a-z0-9.]+\t(.*[ ,[])?[qvdsbh][0-9]+([.,]|$)' | grep -vE $'\t(msr|mrs)\t' | head -5)
if [ -z "$bad" ]; then
    echo "ok 1 - no FP/SIMD register used in $ELF outside fpsimd_save/restore"
else
    echo "not ok 1 - FP/SIMD registers used in $ELF:"
    echo "$bad" | sed 's/^/#   /'
fi
