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

mkdir -p "$pdir"
rm -f "$pdir"/*.patch "$pdir"/[0-9][0-9]-*/*.patch
find "$pdir" -mindepth 1 -type d -empty -delete
: >"$series"
for name in "${POSTING_NAMES[@]}"; do
	out=$pdir/$name
	mkdir -p "$out"
	IFS=$'\t' read -r aname email date < <(wt log -1 --format='%an%x09%ae%x09%ad' --date=raw "${POSTING_TIP[$name]}")
	GIT_COMMITTER_NAME=$aname GIT_COMMITTER_EMAIL=$email GIT_COMMITTER_DATE=$date \
		git_plain -C "$WORKTREE" -c core.abbrev=12 -c diff.renames=true -c diff.algorithm=myers \
		-c diff.noprefix=false -c diff.mnemonicPrefix=false -c diff.suppressBlankEmpty=false \
		-c format.signOff=false -c format.numbered=auto -c format.coverLetter=false \
		format-patch -q --zero-commit --no-signature --cover-letter \
		--cover-from-description=subject -o "$out" "${POSTING_FIRST[$name]}..$(posting_branch "$name")"
	# format-patch ends the cover letter with the diffstat and a blank line.
	posting_b4_lines "$WORKTREE" "$name" >>"$out/0000-cover-letter.patch"
	for f in "$out"/[0-9][0-9][0-9][0-9]-*.patch; do
		case "${f##*/}" in 0000-*) ;; *) printf '%s/%s\n' "$name" "${f##*/}" ;; esac
	done >>"$series"
done
log "exported $(wt rev-list --count base..HEAD) patches in ${#POSTING_NAMES[@]} postings to $pdir"
