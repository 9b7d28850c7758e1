#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# format.sh - every tracked C source and header follows .clang-format (what `make
# format-check` checks), as one TAP test so that `make test` catches drift.
set -u
out=$(clang-format --dry-run --Werror $(git ls-files '*.c' '*.h') 2>&1)
echo "1..1"
if [ -z "$out" ]; then
    echo "ok 1 - all C sources are clang-formatted"
else
    echo "not ok 1 - all C sources are clang-formatted"
    printf '%s\n' "$out" | grep -E '^[^ ].*error' | head -20 | sed 's/^/#   /'
fi
