#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Check that each posting stands alone as its cover letter says: its patches
# apply with git am onto the base plus the postings it needs (./postings), and
# nothing else; and that every patch marked "Cc: stable" applies to the base
# by itself.  With "build", also configure (the test .config) and build the
# kernel of each posting so applied, and time it.
#
# Works in its own checkout ($BUILD/postings/linux, a git worktree of the work
# tree) and object directory ($BUILD/postings/obj), so the test kernel in
# $KOBJ is left alone; KBUILD_CMD replaces the kernel build (harness self-tests).
#
# Usage: check-postings.sh [build]
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

what=${1:-apply}
case "$what" in apply|build) ;; *) die "usage: check-postings.sh [build]" ;; esac
[ -d "$WORKTREE/.git" ] || die "no work tree: run 'make apply' first"
load_series
load_postings
dir=$BUILD/postings
src=$dir/linux
obj=$dir/obj
base=$(git_plain -C "$WORKTREE" rev-parse 'base^{commit}')
if [ "$what" = build ] && [ -z "${KBUILD_CMD:-}" ]; then
	[ -f "$KOBJ/.config" ] || die "no $KOBJ/.config to build the postings with: run 'make config' first"
fi

mkdir -p "$dir"
if [ ! -e "$src/.git" ]; then
	git_plain -C "$WORKTREE" worktree prune
	git_plain -C "$WORKTREE" worktree add -q --detach "$src" base
fi
src_git() { git_plain -C "$src" "$@"; }

# The patch files of posting $1 (absolute paths, in order).
posting_files() {
	local e
	while read -r e; do echo "$PATCHES/$e"; done < <(posting_entries "$1")
}

# am FILE...: git am onto whatever $src has checked out; on failure name the
# patch that did not apply and leave nothing in progress.
am() {
	local out
	if ! out=$(GIT_COMMITTER_NAME=$SEED_NAME GIT_COMMITTER_EMAIL=$SEED_EMAIL \
		git_plain -C "$src" am -q --no-3way "$@" 2>&1); then
		failed_patch=$(src_git am --show-current-patch=raw 2>/dev/null |
			sed -n 's/^Subject: \(\[[^]]*\] \)\{0,1\}//p' | head -n 1)
		src_git am --abort >/dev/null 2>&1 || true
		printf '%s\n' "$out" | grep '^error: ' | head -n 4 >&2
		return 1
	fi
}

fresh_base() {
	src_git am --abort >/dev/null 2>&1 || true
	src_git checkout -q -f --detach "$base"
	src_git clean -q -f -d -x
}

bad=0
# fail MESSAGE: report one posting or patch that does not stand alone.
fail() {
	log "$1"
	bad=$((bad + 1))
}
start=$(now)
for name in "${POSTING_NAMES[@]}"; do
	mapfile -t own < <(posting_files "$name")
	[ ${#own[@]} -gt 0 ] || { fail "$name: no patches in the series"; continue; }
	needed=()
	for need in ${POSTING_NEEDS[$name]}; do
		mapfile -t -O "${#needed[@]}" needed < <(posting_files "$need")
	done
	fresh_base
	on="the base"
	for need in ${POSTING_NEEDS[$name]}; do on+=" + $need"; done
	if [ ${#needed[@]} -gt 0 ] && ! am "${needed[@]}"; then
		fail "$name: FAIL: a posting it needs does not apply to the base: $failed_patch"
		continue
	fi
	if ! am "${own[@]}"; then
		fail "$name: FAIL: does not apply onto $on: $failed_patch"
		continue
	fi
	log "$name: ${#own[@]} patches apply onto $on"
	[ "$what" = build ] || continue
	t=$(now)
	mkdir -p "$obj"
	if [ -n "${KBUILD_CMD:-}" ]; then
		WORKTREE=$src KOBJ=$obj sh -c "$KBUILD_CMD" >"$dir/build.log" 2>&1 || rc=$?
	else
		cmp -s "$KOBJ/.config" "$obj/.config" || cp "$KOBJ/.config" "$obj/.config"
		{ kmake "$src" "$obj" -s olddefconfig && WORKTREE=$src KOBJ=$obj "$TOP/scripts/build-kernel.sh"; } \
			>"$dir/build.log" 2>&1 || rc=$?
	fi
	if [ "${rc:-0}" -ne 0 ]; then
		tail -n 25 "$dir/build.log" >&2
		fail "$name: FAIL: does not build on $on"
		rc=0
		continue
	fi
	log "$name: builds on $on ($(($(now) - t)) s)"
done

# Each patch for stable applies to the base by itself.
nstable=0
stable_bad=$bad
for e in "${SERIES_ENTRIES[@]}"; do
	grep -q '^Cc: stable@vger.kernel.org' "$PATCHES/$e" || continue
	nstable=$((nstable + 1))
	fresh_base
	if ! am "$PATCHES/$e"; then
		fail "$e: FAIL: marked for stable, does not apply to the base by itself"
	fi
done
[ "$bad" -ne "$stable_bad" ] || log "the $nstable patches marked Cc: stable each apply to the base by itself"
fresh_base

[ "$bad" -eq 0 ] || DIE_CODE=$EXIT_TEST_FAILED die "$bad postings or stable patches fail (see above)"
verb=apply
[ "$what" = apply ] || verb="apply and build"
log "${#POSTING_NAMES[@]} postings $verb on their declared bases ($(($(now) - start)) s)"
