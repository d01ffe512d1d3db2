#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Apply the series (files listed in ./series, from ./patches) onto the base in the
# work tree, on branch $SERIES_BRANCH, with git am; mark where each posting ends
# with a branch posting/NN-name (./postings), and restore each posting's cover
# letter as that branch's description.
#
# Never throws work away: it refuses when the work tree has uncommitted changes,
# an unfinished git am/rebase, or commits that were not exported (FORCE=1
# overrides the last; the old head stays in the reflog).  When the work tree
# already holds exactly this series it does nothing, so builds stay incremental.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

STAMP=$BUILD/applied.sha256
# The commit the last apply (or export check) left the branch at.
HEAD_STAMP=$BUILD/applied.head
wt() { git_plain -C "$WORKTREE" "$@"; }

# Hash of what export.sh makes of the series branch (empty if there is none yet).
exported_hash() {
	local tmp
	wt rev-parse -q --verify "refs/heads/$SERIES_BRANCH" >/dev/null || return 0
	# A fresh work tree: nothing applied, nothing to export.
	[ "$(wt rev-parse "refs/heads/$SERIES_BRANCH")" != "$(wt rev-parse base)" ] || return 0
	tmp=$(mktemp -d)
	"$TOP/scripts/export.sh" "$tmp" 2>"$tmp/err" || { cat "$tmp/err" >&2; rm -rf "$tmp"; return 1; }
	tree_hash "$tmp/series" "$tmp/patches"
	rm -rf "$tmp"
}

# Hash of a series: the series file, the cover letters and the patches it lists.
tree_hash() {
	local SERIES=$1 dir=$2 f name SERIES_ENTRIES
	load_series
	{
		cat "$SERIES" 2>/dev/null || true
		for name in "${POSTING_NAMES[@]}"; do
			f=$dir/$name/0000-cover-letter.patch
			if [ -f "$f" ]; then cat "$f"; fi
		done
		for f in "${SERIES_ENTRIES[@]}"; do
			if [ -f "$dir/$f" ]; then cat "$dir/$f"; fi
		done
	} | sha256sum | cut -d' ' -f1
}

# The series file must list the postings' patches, posting by posting, in the
# order of ./postings, each posting with at least one.
check_series_postings() {
	local e name seen=() last=
	for e in "${SERIES_ENTRIES[@]}"; do
		name=${e%%/*}
		[ "$name" != "$e" ] || die "series: $e is not in a posting's directory (NN-name/...)"
		[ -n "${POSTING_CHANGE_ID[$name]:-}" ] || die "series: $e is in $name, which postings does not list"
		if [ "$name" != "$last" ]; then seen+=("$name"); last=$name; fi
	done
	[ "${seen[*]}" = "${POSTING_NAMES[*]}" ] ||
		die "series: the postings come as '${seen[*]}', postings lists '${POSTING_NAMES[*]}' (each once, in order, none empty)"
}

ensure_worktree() {
	local repo=$1 commit=$2 origin
	if [ ! -d "$WORKTREE/.git" ]; then
		log "creating work tree $WORKTREE from $repo"
		mkdir -p "$(dirname "$WORKTREE")"
		# A plain local clone (hard links) of the cache, so that the work tree
		# survives the cache's removal; --shared for a user's own KSRC tree.
		git_plain clone -q ${KSRC:+--shared} --no-checkout "$repo" "$WORKTREE"
		wt tag -f base "$commit" >/dev/null
		wt checkout -q -B "$SERIES_BRANCH" base
	fi
	origin=$(wt config remote.origin.url)
	[ "$origin" = "$repo" ] ||
		die "$WORKTREE was cloned from $origin, not $repo: move it away or set WORKTREE="
	wt tag -f base "$commit" >/dev/null
}

refuse_to_lose_work() {
	require_series_branch
	if [ -n "$(wt status --porcelain)" ]; then
		wt status --short | head -n 20 >&2
		die "uncommitted changes in $WORKTREE: commit them (then 'make export') or stash them"
	fi
}

# Set each posting branch's description from patches/NN-name/0000-cover-letter.patch:
# its subject, and its text without the part that export.sh generates (shortlog,
# diffstat, the b4 lines).
restore_descriptions() {
	local name tmp
	tmp=$(mktemp -d)
	for name in "${POSTING_NAMES[@]}"; do
		wt config "branch.$(posting_branch "$name").description" "PLACEHOLDER"
	done
	"$TOP/scripts/export.sh" "$tmp/ref" 2>/dev/null
	for name in "${POSTING_NAMES[@]}"; do
		restore_description "$name" "$tmp/ref/patches/$name/0000-cover-letter.patch"
	done
	rm -rf "$tmp"
}

# restore_description NAME REFERENCE: REFERENCE is the cover letter exported
# with the description PLACEHOLDER.
restore_description() {
	local name=$1 ref=$2 cover=$PATCHES/$1/0000-cover-letter.patch tmp subject branch
	branch=$(posting_branch "$name")
	if [ ! -f "$cover" ]; then
		wt config --unset "branch.$branch.description" || true
		return 0
	fi
	tmp=$(mktemp -d)
	git_plain mailinfo -b "$tmp/msg" "$tmp/patch" <"$cover" >"$tmp/info"
	subject=$(sed -n 's/^Subject: //p' "$tmp/info")
	git_plain mailinfo -b "$tmp/refmsg" "$tmp/refpatch" <"$ref" >/dev/null
	# The reference body is "PLACEHOLDER-less" text followed by the generated part:
	# drop from the cover text the longest suffix it shares with the reference.
	python3 - "$tmp/msg" "$tmp/refmsg" "$tmp/body" <<'PY'
import sys
msg = open(sys.argv[1]).read().split('\n')
ref = open(sys.argv[2]).read().split('\n')
n = 0
while n < min(len(msg), len(ref)) and msg[-1 - n] == ref[-1 - n]:
    n += 1
body = msg[:len(msg) - n] if n else msg
open(sys.argv[3], 'w').write('\n'.join(body).strip('\n'))
PY
	printf '%s\n' "$subject" >"$tmp/desc"
	if [ -s "$tmp/body" ]; then printf '\n%s\n' "$(cat "$tmp/body")" >>"$tmp/desc"; fi
	wt config "branch.$branch.description" "$(cat "$tmp/desc")"
	rm -rf "$tmp"
}

apply_series() {
	local name patch out posting
	wt checkout -q -f -B "$SERIES_BRANCH" base
	for name in "${SERIES_ENTRIES[@]}"; do
		patch=$PATCHES/$name
		[ -f "$patch" ] || die "series lists $name, but patches/$name does not exist"
		posting=${name%%/*}
		if ! out=$(GIT_COMMITTER_NAME=$SEED_NAME GIT_COMMITTER_EMAIL=$SEED_EMAIL \
			git_plain -C "$WORKTREE" am -q --no-3way "$patch" 2>&1); then
			wt am --abort >/dev/null 2>&1 || true
			printf '%s\n' "$out" >&2
			# What is on the branch now is ours: the next apply may replace it.
			exported_hash >"$STAMP" || true
			wt rev-parse HEAD >"$HEAD_STAMP"
			DIE_CODE=$EXIT_SETUP die "patch $name does not apply (work tree left at the patch before it)"
		fi
		# The posting's branch follows its patches: it ends at the last.
		wt branch -f "$(posting_branch "$posting")" HEAD
	done
}

load_series
load_postings
check_series_postings
base=$("$TOP/scripts/get-base.sh") || exit
read -r base_repo base_commit <<<"$base"
mkdir -p "$BUILD"
ensure_worktree "$base_repo" "$base_commit"
# Commits made in the work tree carry the series' identity, not the machine's
# global one, until a real author sets theirs there (git config user.name ...).
wt config user.name >/dev/null || wt config user.name "$SEED_NAME"
wt config user.email >/dev/null || wt config user.email "$SEED_EMAIL"
refuse_to_lose_work

want=$(tree_hash "$SERIES" "$PATCHES")
# Commits that cannot be exported (a commit after the last posting, a work
# tree from before the postings) are unexported work too, unless the branch
# is where the last apply left it.
have=$(exported_hash) || have=unexportable
if [ -n "$have" ] && [ "$have" = "$want" ]; then
	log "work tree already holds the series (${#SERIES_ENTRIES[@]} patches) on $SERIES_BRANCH"
	echo "$want" >"$STAMP"
	wt rev-parse HEAD >"$HEAD_STAMP"
	exit 0
fi
head=$(wt rev-parse "refs/heads/$SERIES_BRANCH")
if [ -n "$have" ] && [ "$have" != "$(cat "$STAMP" 2>/dev/null)" ] && [ "$head" != "$(wt rev-parse base)" ] &&
	[ "$head" != "$(cat "$HEAD_STAMP" 2>/dev/null)" ] && [ -z "${FORCE:-}" ]; then
	die "the commits on $(wt rev-parse --abbrev-ref HEAD) in $WORKTREE differ from patches/ and were not exported:
  'make export' to keep them, or 'make apply FORCE=1' to replace them (old head: $(wt rev-parse --short HEAD))"
fi
apply_series
restore_descriptions
have=$(exported_hash) || die "cannot export the applied series (see above)"
[ "$have" = "$want" ] ||
	log "warning: exporting the applied series would change patches/ (run 'make export' and review the diff)"
echo "$have" >"$STAMP"
wt rev-parse HEAD >"$HEAD_STAMP"
log "applied ${#SERIES_ENTRIES[@]} patches in ${#POSTING_NAMES[@]} postings on $SERIES_BRANCH ($(wt rev-parse --short HEAD))"
