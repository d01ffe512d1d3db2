#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Check that `quilt push -a` with QUILT_PATCHES=patches applies the series onto
# the base and gives exactly the files that git am gave in the work tree.
# Works in a sparse checkout of the base that holds only the files the series
# touches, so it takes seconds.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

command -v quilt >/dev/null || die "quilt is missing: run 'make deps'"
load_series
entries=("${SERIES_ENTRIES[@]}")
if [ ${#entries[@]} -eq 0 ]; then
	log "the series is empty: nothing for quilt to push"
	exit 0
fi
[ -d "$WORKTREE/.git" ] || die "no work tree: run 'make apply' first"

mapfile -t files < <(for e in "${entries[@]}"; do
	sed -n 's|^diff --git a/\(.*\) b/\(.*\)$|\1\n\2|p' "$PATCHES/$e"
done | sort -u)

tmp=$BUILD/quilt-check
git_plain -C "$WORKTREE" worktree remove --force "$tmp" 2>/dev/null || rm -rf "$tmp"
git_plain -C "$WORKTREE" worktree prune
git_plain -C "$WORKTREE" worktree add -q --no-checkout --detach "$tmp" base
trap 'git_plain -C "$WORKTREE" worktree remove --force "$tmp"' EXIT
git_plain -C "$tmp" sparse-checkout set --no-cone "${files[@]/#//}"
git_plain -C "$tmp" checkout -q

if ! out=$(cd "$tmp" && QUILT_PATCHES=$PATCHES QUILT_SERIES=$SERIES QUILT_PC=.pc \
	quilt push -a --fuzz=0 2>&1); then
	printf '%s\n' "$out" | tail -n 20 >&2
	die "quilt push -a failed"
fi
bad=0
for f in "${files[@]}"; do
	if git_plain -C "$WORKTREE" cat-file -e "HEAD:$f" 2>/dev/null; then
		cmp -s <(git_plain -C "$WORKTREE" show "HEAD:$f") "$tmp/$f" ||
			{ log "quilt and git am disagree on $f"; bad=1; }
	elif [ -e "$tmp/$f" ]; then
		log "quilt left $f, which git am deleted"; bad=1
	fi
done
[ "$bad" -eq 0 ] || die "quilt's result differs from the work tree's HEAD (unexported commits?)"
log "quilt push -a applied ${#entries[@]} patches; result identical to git am"
