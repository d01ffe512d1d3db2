#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Check that an mbox of the series round-trips: git am of it onto a fresh base
# gives exactly the work tree's HEAD tree, and b4 am accepts it (when b4 is
# installed) and its output gives the same tree.
#
# Usage: check-mbox.sh MBOX
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

mbox=$(realpath "${1:?usage: check-mbox.sh MBOX}")
[ -d "$WORKTREE/.git" ] || die "no work tree: run 'make apply' first"
want=$(git_plain -C "$WORKTREE" rev-parse 'HEAD^{tree}')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# am_tree MBOX: the tree git am makes of MBOX on a fresh checkout of base.
am_tree() {
	local dir=$tmp/am.$RANDOM
	git_plain clone -q --shared --no-checkout "$WORKTREE" "$dir"
	git_plain -C "$dir" checkout -q --detach "$(git_plain -C "$WORKTREE" rev-parse base)"
	GIT_COMMITTER_NAME=check GIT_COMMITTER_EMAIL=check@invalid \
		git_plain -C "$dir" am -q --empty=drop "$1" >&2 || {
		git_plain -C "$dir" am --abort 2>/dev/null || true
		return 1
	}
	git_plain -C "$dir" rev-parse 'HEAD^{tree}'
}

got=$(am_tree "$mbox") || DIE_CODE=$EXIT_TEST_FAILED die "git am of $mbox failed"
[ "$got" = "$want" ] ||
	DIE_CODE=$EXIT_TEST_FAILED die "git am of $mbox gives tree $got, the work tree has $want"
grep -q '^base-commit: ' "$mbox" || DIE_CODE=$EXIT_TEST_FAILED die "$mbox has no base-commit"

if command -v b4 >/dev/null; then
	mkdir -p "$tmp/b4"
	(cd "$tmp" && b4 -q am -m "$mbox" -o "$tmp/b4" -n series >"$tmp/b4.log" 2>&1) ||
		{ cat "$tmp/b4.log" >&2; DIE_CODE=$EXIT_TEST_FAILED die "b4 am rejected $mbox"; }
	got=$(am_tree "$tmp/b4/series.mbx") ||
		DIE_CODE=$EXIT_TEST_FAILED die "git am of b4's output failed"
	[ "$got" = "$want" ] || DIE_CODE=$EXIT_TEST_FAILED die "b4 am's output gives tree $got, not $want"
	log "b4 am accepted $mbox"
fi
log "$mbox round-trips: git am on base gives the work tree's tree $want"
