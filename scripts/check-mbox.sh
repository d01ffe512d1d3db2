#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Check that the mbox of one posting round-trips: on a fresh base plus the
# postings it needs (their patches from patches/), git am of the mbox gives
# the same tree as the posting's own patches from patches/; b4 am accepts it
# (when b4 is installed) and its output gives that tree too; the cover letter
# records the base-commit, the change-id and one prerequisite-patch-id per
# patch of the postings it needs.
#
# Usage: check-mbox.sh MBOX POSTING
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

mbox=$(realpath "${1:?usage: check-mbox.sh MBOX POSTING}")
posting=${2:?usage: check-mbox.sh MBOX POSTING}
[ -d "$WORKTREE/.git" ] || die "no work tree: run 'make apply' first"
load_series
load_postings
[ -n "${POSTING_CHANGE_ID[$posting]:-}" ] || die "$posting is not in $POSTINGS"
fail() { DIE_CODE=$EXIT_TEST_FAILED die "$mbox: $*"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

needed=()
for need in ${POSTING_NEEDS[$posting]}; do
	mapfile -t -O "${#needed[@]}" needed < <(posting_entries "$need" | sed "s|^|$PATCHES/|")
done
mapfile -t own < <(posting_entries "$posting" | sed "s|^|$PATCHES/|")
on="the base"
for need in ${POSTING_NEEDS[$posting]}; do on+=" + $need"; done

# The files the patches touch: the checkouts below hold only those (a sparse
# checkout of a kernel takes a second, a full one a minute).
mapfile -t files < <(sed -n 's|^diff --git a/\(.*\) b/\(.*\)$|/\1\n/\2|p' "${needed[@]}" "${own[@]}" | sort -u)

# am_tree FILE...: the tree git am makes of FILE... on a fresh checkout of the
# base plus the postings this one needs.
am_tree() {
	local dir=$tmp/am.$RANDOM
	git_plain clone -q --shared --no-checkout "$WORKTREE" "$dir"
	git_plain -C "$dir" sparse-checkout set --no-cone "${files[@]}"
	git_plain -C "$dir" checkout -q --detach "$(git_plain -C "$WORKTREE" rev-parse base)"
	GIT_COMMITTER_NAME=check GIT_COMMITTER_EMAIL=check@invalid \
		git_plain -C "$dir" am -q --empty=drop "${needed[@]}" "$@" >&2 || {
		git_plain -C "$dir" am --abort 2>/dev/null || true
		return 1
	}
	git_plain -C "$dir" rev-parse 'HEAD^{tree}'
}

want=$(am_tree "${own[@]}") || fail "the posting's own patches do not apply: run 'make check-postings'"
got=$(am_tree "$mbox") || fail "git am onto $on failed"
[ "$got" = "$want" ] || fail "git am gives tree $got, patches/$posting gives $want"

# The cover letter is the first message: its b4 lines must be the posting's.
cover=$(awk '/^From [0-9a-f]+ /{n++} n == 1' "$mbox")
grep -q "^base-commit: $(git_plain -C "$WORKTREE" rev-parse 'base^{commit}')$" <<<"$cover" || fail "no base-commit of the base"
grep -q "^change-id: ${POSTING_CHANGE_ID[$posting]}$" <<<"$cover" || fail "no change-id ${POSTING_CHANGE_ID[$posting]}"
for need in ${POSTING_NEEDS[$posting]}; do
	grep -q "^prerequisite-change-id: ${POSTING_CHANGE_ID[$need]}:v1$" <<<"$cover" ||
		fail "no prerequisite-change-id for $need"
done
nids=$(grep -c '^prerequisite-patch-id: [0-9a-f]\{40\}$' <<<"$cover" || true)
[ "$nids" -eq "${#needed[@]}" ] || fail "$nids prerequisite-patch-id lines, the needed postings have ${#needed[@]} patches"

if command -v b4 >/dev/null; then
	mkdir -p "$tmp/b4"
	(cd "$tmp" && b4 -q am -m "$mbox" -o "$tmp/b4" -n series >"$tmp/b4.log" 2>&1) ||
		{ cat "$tmp/b4.log" >&2; fail "b4 am rejected it"; }
	got=$(am_tree "$tmp/b4/series.mbx") || fail "git am of b4's output failed"
	[ "$got" = "$want" ] || fail "b4 am's output gives tree $got, not $want"
	log "b4 am accepted $mbox"
fi
log "$mbox round-trips: git am onto $on gives tree $want"
