#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Write each posting as its own b4-compatible mbox, ready for git send-email or
# b4: cover letter with a statement of the base and, as b4 records them, the
# base-commit, the posting's change-id and the postings it applies on top of;
# To/Cc from scripts/get_maintainer.pl over that posting's patches; threaded;
# sent as the tester's git identity.  Patches still authored by the seed
# identity are re-authored and signed off by the sender; anyone else's
# authorship stays and the sender's sign-off is added.  Each mbox is then
# checked with check-mbox.sh.
#
# Usage: mbox.sh [OUTDIR]   (default: $BUILD/mbox; writes OUTDIR/NN-name.mbox)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

outdir=${1:-$BUILD/mbox}
load_series
load_postings
[ ${#SERIES_ENTRIES[@]} -gt 0 ] || die "the series is empty: nothing to mail"
[ -d "$WORKTREE/.git" ] || die "no work tree: run 'make apply' first"
if ! name=$(git -C "$TOP" config user.name) || ! email=$(git -C "$TOP" config user.email); then
	die "set your identity first: git config user.name/user.email (the sender)"
fi
sender="$name <$email>"
seed="$SEED_NAME <$SEED_EMAIL>"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
wt=$tmp/wt
git_plain clone -q --shared --no-checkout "$WORKTREE" "$wt"
# Only the files the series touches are checked out: the rebase below needs no
# more, and a full kernel checkout takes a minute.
mapfile -t files < <(sed -n 's|^diff --git a/\(.*\) b/\(.*\)$|/\1\n/\2|p' \
	"${SERIES_ENTRIES[@]/#/$PATCHES/}" | sort -u)
git_plain -C "$wt" sparse-checkout set --no-cone "${files[@]}"
git_plain -C "$wt" checkout -q -B "$SERIES_BRANCH" "origin/$SERIES_BRANCH"
git_plain -C "$wt" tag -f base "$(git_plain -C "$WORKTREE" rev-parse base)" >/dev/null
for p in "${POSTING_NAMES[@]}"; do
	b=$(posting_branch "$p")
	git_plain -C "$wt" branch -q -f "$b" "origin/$b"
done
export GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email

# Hand the seed's patches to the sender; add the sender's sign-off everywhere.
cat >"$tmp/resign" <<EOS
#!/bin/sh
set -e
msg=\$(git log -1 --format=%B | sed 's|^Signed-off-by: $seed\$|Signed-off-by: $sender|')
author=\$(git log -1 --format='%an <%ae>')
[ "\$author" != "$seed" ] || author="$sender"
printf '%s\n' "\$msg" | git interpret-trailers --if-exists addIfDifferent \
	--trailer "Signed-off-by: $sender" >"$tmp/msg"
git commit -q --amend --no-verify --author="\$author" -F "$tmp/msg"
EOS
chmod +x "$tmp/resign"
# --update-refs moves the posting branches along with the commits they end at.
out=$(git_plain -C "$wt" rebase -q --update-refs --exec "$tmp/resign" base 2>&1) ||
	{ printf '%s\n' "$out" >&2; die "re-signing the series for $sender failed"; }
posting_ranges "$wt"

mkdir -p "$outdir"
rm -f "$outdir"/*.mbox
for p in "${POSTING_NAMES[@]}"; do
	b=$(posting_branch "$p")
	desc=$(git_plain -C "$WORKTREE" config "branch.$b.description" || true)
	[ -n "$desc" ] || die "the cover letter of $p is empty: git branch --edit-description $b in $WORKTREE"
	git_plain -C "$wt" config "branch.$b.description" "$desc

This series is based on $BASE_UPSTREAM.  It was built and tested on
Debian's linux-source-7.3 $BASE_VERSION ($BASE_UPSTREAM with Debian's
patches, none of which touch the files changed here); base-commit below
names that tree."

	# Recipients: maintainers To, reviewers and lists Cc.
	gm=("$WORKTREE/scripts/get_maintainer.pl" --no-rolestats --no-git --no-git-fallback --no-tree)
	# Fixes: names commits that a base without history (the Debian tarball)
	# cannot look up; a tree with history (KSRC=) Cc's their authors.
	if [ "$(git_plain -C "$WORKTREE" rev-list --count base)" -eq 1 ]; then gm+=(--no-fixes); fi
	mapfile -t patches < <(posting_entries "$p" | sed "s|^|$PATCHES/|")
	mapfile -t to < <(cd "$WORKTREE" && "${gm[@]}" --m --no-r --no-l "${patches[@]}" | sort -u)
	# A maintainer who is also a reviewer is To: only.
	mapfile -t cc < <(cd "$WORKTREE" && "${gm[@]}" --no-m --r --l "${patches[@]}" | sort -u |
		{ grep -vxF -f <(printf '%s\n' "${to[@]}") || true; })
	# A posting that changes what user space sees says so for linux-api in its
	# cover letter, and goes there too.
	if grep -q 'linux-api' <<<"$desc"; then cc+=("linux-api@vger.kernel.org"); fi
	args=()
	for a in "${to[@]}"; do args+=(--to "$a"); done
	for a in "${cc[@]}"; do args+=(--cc "$a"); done

	git_plain -C "$wt" -c core.abbrev=12 format-patch --stdout --cover-letter \
		--cover-from-description=subject --thread=shallow "${args[@]}" \
		--from="$sender" "${POSTING_FIRST[$p]}..$b" >"$tmp/mbox"
	posting_b4_lines "$wt" "$p" >"$tmp/b4lines"
	out=$outdir/$p.mbox
	# Unfold the headers format-patch folds at 78 columns (From: with a long
	# name, To:/Cc: with many recipients, Subject:): still valid mail, and b4
	# 0.12 (bookworm) cannot copy a folded header ("may not contain
	# linefeed").
	awk '
	/^From [0-9a-f]+ / { inhdr = 1 }
	inhdr && /^$/ { inhdr = 0 }
	inhdr && /^[ \t]/ { sub(/^[ \t]+/, " "); prev = prev $0; next }
	{ if (NR > 1) print prev; prev = $0 }
	END { print prev }' "$tmp/mbox" |
		# The b4 lines end the cover letter (the first message), before its signature.
		awk -v b4lines="$tmp/b4lines" '
		!done && /^-- $/ { while ((getline l < b4lines) > 0) print l; print ""; done = 1 }
		{ print }' >"$out"
	log "wrote $out: $(posting_entries "$p" | wc -l) patches + cover, from $sender, To: ${#to[@]}, Cc: ${#cc[@]}"
	"$TOP/scripts/check-mbox.sh" "$out" "$p"
done
