#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Write the series as one b4-compatible mbox, ready for git send-email or b4:
# cover letter with a statement of the base and base-commit, To/Cc from
# scripts/get_maintainer.pl, threaded, sent as the tester's git identity.
# Patches still authored by the seed identity are re-authored and signed off by
# the sender; anyone else's authorship stays and the sender's sign-off is added.
# The result is then checked with check-mbox.sh.
#
# Usage: mbox.sh [OUT]   (default: $BUILD/series.mbox)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

out=${1:-$BUILD/series.mbox}
load_series
[ ${#SERIES_ENTRIES[@]} -gt 0 ] || die "the series is empty: nothing to mail"
[ -d "$WORKTREE/.git" ] || die "no work tree: run 'make apply' first"
if ! name=$(git -C "$TOP" config user.name) || ! email=$(git -C "$TOP" config user.email); then
	die "set your identity first: git config user.name/user.email (the sender)"
fi
sender="$name <$email>"
seed="$SEED_NAME <$SEED_EMAIL>"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git_plain clone -q --shared "$WORKTREE" "$tmp/wt"
git_plain -C "$tmp/wt" checkout -q -B "$SERIES_BRANCH" "origin/$SERIES_BRANCH"
git_plain -C "$tmp/wt" tag -f base "$(git_plain -C "$WORKTREE" rev-parse base)"
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
git_plain -C "$tmp/wt" rebase -q --exec "$tmp/resign" base >/dev/null

desc=$(git_plain -C "$WORKTREE" config "branch.$SERIES_BRANCH.description" || true)
[ -n "$desc" ] || die "the cover letter is empty: git branch --edit-description in $WORKTREE"
git_plain -C "$tmp/wt" config "branch.$SERIES_BRANCH.description" "$desc

This series is based on v7.3-rc7. It was built and tested on Debian's
linux-source-7.3 7.3~rc7-1~exp1 (v7.3-rc7 with Debian's patches, none of
which touch the files changed here); base-commit below names that tree."

# Recipients: maintainers To, reviewers and lists Cc.
gm=("$WORKTREE/scripts/get_maintainer.pl" --no-rolestats --no-git --no-git-fallback --no-tree)
patches=("${SERIES_ENTRIES[@]/#/$PATCHES/}")
mapfile -t to < <(cd "$WORKTREE" && "${gm[@]}" --m --no-r --no-l "${patches[@]}" | sort -u)
# A maintainer who is also a reviewer is To: only.
mapfile -t cc < <(cd "$WORKTREE" && "${gm[@]}" --no-m --r --l "${patches[@]}" | sort -u |
	{ grep -vxF -f <(printf '%s\n' "${to[@]}") || true; })
args=()
for a in "${to[@]}"; do args+=(--to "$a"); done
for a in "${cc[@]}"; do args+=(--cc "$a"); done

mkdir -p "$(dirname "$out")"
git_plain -C "$tmp/wt" -c core.abbrev=12 format-patch --stdout --cover-letter \
	--cover-from-description=subject --thread=shallow --base=base "${args[@]}" \
	--from="$sender" base.."$SERIES_BRANCH" >"$tmp/mbox"
# Unfold the headers format-patch folds at 78 columns (From: with a long name,
# To:/Cc: with many recipients, Subject:): still valid mail, and b4 0.12
# (bookworm) cannot copy a folded header ("may not contain linefeed").
awk '
/^From [0-9a-f]+ / { inhdr = 1 }
inhdr && /^$/ { inhdr = 0 }
inhdr && /^[ \t]/ { sub(/^[ \t]+/, " "); prev = prev $0; next }
{ if (NR > 1) print prev; prev = $0 }
END { print prev }' "$tmp/mbox" >"$out"
log "wrote $out: ${#SERIES_ENTRIES[@]} patches + cover, from $sender, To: ${#to[@]}, Cc: ${#cc[@]}"
"$TOP/scripts/check-mbox.sh" "$out"
