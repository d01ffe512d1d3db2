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

# The posting branches must cut base..HEAD into consecutive, non-empty pieces.
base=$(wt rev-parse 'base^{commit}')
prev=$base
declare -A first=() tip=()
for name in "${POSTING_NAMES[@]}"; do
	b=$(posting_branch "$name")
	t=$(wt rev-parse -q --verify "refs/heads/$b^{commit}") ||
		die "the work tree has no branch $b (postings lists $name): 'make apply' makes them"
	if [ "$(wt rev-list --count "$prev..$t")" -eq 0 ] || [ "$(wt rev-list --count "$t..$prev")" -ne 0 ]; then
		die "$b is not a non-empty continuation of the posting before it: rebase with --update-refs keeps the posting branches in place"
	fi
	first[$name]=$prev
	tip[$name]=$t
	prev=$t
done
[ "$(wt rev-parse HEAD)" = "$prev" ] ||
	die "$SERIES_BRANCH does not end where $(posting_branch "${POSTING_NAMES[-1]}") ends: move the posting branch (git branch -f), or put the commits into a posting"

# The b4 lines that end posting $1's cover letter.
base_lines() {
	local name=$1 need c
	echo "base-commit: $base"
	echo "change-id: ${POSTING_CHANGE_ID[$name]}"
	for need in ${POSTING_NEEDS[$name]}; do
		echo "prerequisite-change-id: ${POSTING_CHANGE_ID[$need]}:v1"
	done
	for need in ${POSTING_NEEDS[$name]}; do
		for c in $(wt rev-list --reverse "${first[$need]}..${tip[$need]}"); do
			echo "prerequisite-patch-id: $(wt show "$c" | git_plain patch-id --stable | cut -d' ' -f1)"
		done
	done
}

mkdir -p "$pdir"
rm -f "$pdir"/*.patch "$pdir"/[0-9][0-9]-*/*.patch
find "$pdir" -mindepth 1 -type d -empty -delete
: >"$series"
for name in "${POSTING_NAMES[@]}"; do
	out=$pdir/$name
	mkdir -p "$out"
	IFS=$'\t' read -r aname email date < <(wt log -1 --format='%an%x09%ae%x09%ad' --date=raw "${tip[$name]}")
	GIT_COMMITTER_NAME=$aname GIT_COMMITTER_EMAIL=$email GIT_COMMITTER_DATE=$date \
		git_plain -C "$WORKTREE" -c core.abbrev=12 -c diff.renames=true -c diff.algorithm=myers \
		-c diff.noprefix=false -c diff.mnemonicPrefix=false -c diff.suppressBlankEmpty=false \
		-c format.signOff=false -c format.numbered=auto -c format.coverLetter=false \
		format-patch -q --zero-commit --no-signature --cover-letter \
		--cover-from-description=subject -o "$out" "${first[$name]}..$(posting_branch "$name")"
	# format-patch ends the cover letter with the diffstat and a blank line.
	base_lines "$name" >>"$out/0000-cover-letter.patch"
	for f in "$out"/[0-9][0-9][0-9][0-9]-*.patch; do
		case "${f##*/}" in 0000-*) ;; *) printf '%s/%s\n' "$name" "${f##*/}" ;; esac
	done >>"$series"
done
log "exported $(wt rev-list --count base..HEAD) patches in ${#POSTING_NAMES[@]} postings to $pdir"
