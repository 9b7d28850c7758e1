#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# corehw.sh - hyp/core holds no hardware access (docs/architecture.md): no inline assembly, no
# system register named, no device register reached through a volatile pointer. It reaches
# the hardware only through hyp/arch/aarch64 (arch_cpu.h and the *_arch_* hooks of hyp.h) and
# the drivers (drivers.h), so its logic stays host-testable. TAP output.
set -u
cd "$(dirname "$0")/../.."
echo "1..1"
# __asm__/asm statements, the sysreg.h accessors and barriers, and casts to a volatile pointer
# (MMIO); comments are skipped so that a comment may still name an instruction.
bad=$(grep -rnE '__asm__|(^|[^_[:alnum:]])asm[[:space:]]*(volatile|goto)?[[:space:]]*\(|read_sysreg|write_sysreg|(^|[^_[:alnum:]])(isb|dsb|dmb|wfi|wfe|sev)[[:space:]]*\(|\(volatile [[:alnum:]_ ]+\*\)|#include "sysreg.h"' \
    hyp/core --include='*.c' --include='*.h' | grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/?\*|//)')
if [ -z "$bad" ]; then
    echo "ok 1 - hyp/core has no inline assembly, system register or MMIO access"
else
    echo "not ok 1 - hardware access in hyp/core (move it behind hyp/arch/aarch64/arch_cpu.h):"
    echo "$bad" | sed 's/^/#   /'
    exit 1
fi
