#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# docrefs.sh - the documentation stands on its own: no tracked file points outside the
# repository (design notes a reader does not have), and every repository path the README and
# docs/*.md name in backquotes exists (placeholders such as configs/name.dts and build/
# outputs aside). TAP output.
set -u
cd "$(dirname "$0")/../.."
echo "1..2"
out=$(git grep -nE 'DESIGN\.md|STYLE\.md|PLATFORM-NOTES|\.\./shared' -- . ':!tests/cli/docrefs.sh')
if [ -z "$out" ]; then
    echo "ok 1 - no reference to notes outside the repository"
else
    echo "not ok 1 - references to notes outside the repository:"
    echo "$out" | sed 's/^/#   /'
fi
missing=$(grep -oE '`(include|hyp|rt|guests|tools|tests|configs|docs|bench|scripts|mk)/[A-Za-z0-9_./*<>-]+' \
    README.md docs/*.md | sed 's/:`/ /' | while read -r doc p; do
        p=${p%.}
        p=${p%/}
        case "$p" in */x.*|*name*|*NAME*|*'<'*|*'*'*) continue ;; esac
        [ -e "$p" ] || echo "$doc: $p"
    done | sort -u)
if [ -z "$missing" ]; then
    echo "ok 2 - every repository path the docs name exists"
else
    echo "not ok 2 - the docs name paths that do not exist:"
    echo "$missing" | sed 's/^/#   /'
fi
[ -z "$out" ] && [ -z "$missing" ]
