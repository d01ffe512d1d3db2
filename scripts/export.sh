#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Regenerate patches/ and series from the work tree's commits base..HEAD.
#
# Deterministic: no user git config, zero commit ids, no signature, fixed
# abbreviation, the cover letter dated and signed as the newest commit's author,
# base-commit recorded.  The cover letter's subject and text are the branch
# description ("git branch --edit-description" in the work tree).
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

mkdir -p "$pdir"
rm -f "$pdir"/*.patch
count=$(wt rev-list --count base..HEAD)
if [ "$count" -eq 0 ]; then
	: >"$series"
	exit 0
fi

IFS=$'\t' read -r name email date < <(wt log -1 --format='%an%x09%ae%x09%ad' --date=raw HEAD)
GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email GIT_COMMITTER_DATE=$date \
	git_plain -C "$WORKTREE" -c core.abbrev=12 -c diff.renames=true -c diff.algorithm=myers \
	-c diff.noprefix=false -c diff.mnemonicPrefix=false -c diff.suppressBlankEmpty=false \
	-c format.signOff=false -c format.numbered=auto -c format.coverLetter=false \
	format-patch -q --zero-commit --no-signature --base=base --cover-letter \
	--cover-from-description=subject -o "$pdir" base..HEAD
for f in "$pdir"/[0-9][0-9][0-9][0-9]-*.patch; do
	case "${f##*/}" in 0000-*) ;; *) printf '%s\n' "${f##*/}" ;; esac
done >"$series"
log "exported $count patches to $pdir"
