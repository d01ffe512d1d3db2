#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Regenerate patches/ and series from the work tree's commits base..HEAD, one
# directory per posting (./postings): patches/NN-name/ holds the commits from
# the previous posting's branch to posting/NN-name, and its cover letter.
#
# Deterministic: no user git config, zero commit ids, no signature, fixed
# abbreviation, each cover letter dated and signed as its posting's newest
# commit's author.  A cover letter's subject and text are the description of
# its posting branch ("git branch --edit-description posting/NN-name" in the
# work tree); its last lines record, as b4 does, the base, the posting's
# change-id and the postings it applies on top of (prerequisite-change-id, and
# the patch-id of each of their patches).
#
# Usage: export.sh [OUTDIR]   writes OUTDIR/patches/ and OUTDIR/series
#                              (default: $PATCHES and $SERIES, i.e. the repository)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

pdir=${1:+$1/patches}
pdir=${pdir:-$PATCHES}
series=${1:+$1/series}
series=${series:-$SERIES}
wt() { git_plain -C "$WORKTREE" "$@"; }

[ -d "$WORKTREE/.git" ] || die "no work tree at $WORKTREE: run 'make apply' first"
wt rev-parse -q --verify 'base^{commit}' >/dev/null || die "work tree has no 'base' tag"
require_series_branch
[ -z "$(wt status --porcelain --untracked-files=no)" ] ||
	log "warning: uncommitted changes in $WORKTREE are not exported"
load_postings

posting_ranges "$WORKTREE"

# A posting is exported as it applies on its declared base (the base plus the
# postings it needs), so that its index lines name blobs of that tree, which
# git am -3 and b4 shazam use.  Where it needs every posting before it, that
# is the work tree itself; otherwise its commits are cherry-picked onto its
# declared base in a sparse clone holding only the files the series touches.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
declared=$tmp/declared
git_plain clone -q --shared --no-checkout "$WORKTREE" "$declared"
mapfile -t touched < <(wt log --format= --name-only base..HEAD | sort -u | sed 's|^|/|')
git_plain -C "$declared" sparse-checkout set --no-cone "${touched[@]}"
dc() { GIT_COMMITTER_NAME=$SEED_NAME GIT_COMMITTER_EMAIL=$SEED_EMAIL git_plain -C "$declared" "$@"; }

# declared_repo NAME: set REPO and START such that START..posting/NAME in REPO
# is posting NAME on its declared base.
declared_repo() {
	local name=$1 need earlier=() branch
	for need in "${POSTING_NAMES[@]}"; do
		[ "$need" != "$name" ] || break
		earlier+=("$need")
	done
	if [ "${earlier[*]}" = "${POSTING_NEEDS[$name]}" ]; then
		REPO=$WORKTREE START=${POSTING_FIRST[$name]}
		return
	fi
	dc checkout -q -f --detach "$base"
	for need in ${POSTING_NEEDS[$name]} "$name"; do
		[ "$need" != "$name" ] || START=$(dc rev-parse HEAD)
		dc cherry-pick --allow-empty --cleanup=verbatim "${POSTING_FIRST[$need]}..${POSTING_TIP[$need]}" \
			>"$tmp/pick.log" 2>&1 || {
			grep -v '^hint:' "$tmp/pick.log" >&2
			die "$name does not apply on its declared base (at $need): see 'make check-postings'"
		}
	done
	branch=$(posting_branch "$name")
	dc branch -q -f "$branch" HEAD
	dc config "branch.$branch.description" "$(wt config "branch.$branch.description" || true)"
	REPO=$declared
}

base=$(wt rev-parse 'base^{commit}')
# Written aside first: a failure leaves patches/ and series as they were.
new=$tmp/new
mkdir -p "$new/patches"
: >"$new/series"
for name in "${POSTING_NAMES[@]}"; do
	out=$new/patches/$name
	mkdir -p "$out"
	declared_repo "$name"
	# A posting whose name ends in -rfc is sent as [RFC PATCH n/m].
	rfc=()
	case $name in *-rfc) rfc=(--rfc) ;; esac
	IFS=$'\t' read -r aname email date < <(wt log -1 --format='%an%x09%ae%x09%ad' --date=raw "${POSTING_TIP[$name]}")
	GIT_COMMITTER_NAME=$aname GIT_COMMITTER_EMAIL=$email GIT_COMMITTER_DATE=$date \
		git_plain -C "$REPO" -c core.abbrev=12 -c diff.renames=true -c diff.algorithm=myers \
		-c diff.noprefix=false -c diff.mnemonicPrefix=false -c diff.suppressBlankEmpty=false \
		-c format.signOff=false -c format.numbered=auto -c format.coverLetter=false \
		format-patch -q --zero-commit --no-signature --cover-letter "${rfc[@]}" \
		--cover-from-description=subject -o "$out" "$START..$(posting_branch "$name")"
	# format-patch ends the cover letter with the diffstat and a blank line.
	posting_b4_lines "$WORKTREE" "$name" >>"$out/0000-cover-letter.patch"
	for f in "$out"/[0-9][0-9][0-9][0-9]-*.patch; do
		case "${f##*/}" in 0000-*) ;; *) printf '%s/%s\n' "$name" "${f##*/}" ;; esac
	done >>"$new/series"
done
mkdir -p "$pdir"
rm -f "$pdir"/*.patch "$pdir"/[0-9][0-9]-*/*.patch
find "$pdir" -mindepth 1 -type d -empty -delete
cp -r "$new/patches/." "$pdir/"
cp "$new/series" "$series"
# The repository's patches/ are now this HEAD's (build records use it to tell
# an exported series from one with unexported commits), unless exporting
# elsewhere (apply.sh checks what an export would be).
if [ -z "${1:-}" ]; then
	mkdir -p "$BUILD"
	wt rev-parse HEAD >"$BUILD/applied.head"
fi
log "exported $(wt rev-list --count base..HEAD) patches in ${#POSTING_NAMES[@]} postings to $pdir"
