#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run the work tree's scripts/checkpatch.pl --strict (with --codespell when
# Debian's codespell dictionary is there) on every patch in the series.
# Every error, warning and check fails, unless config/checkpatch-exceptions has a
# line "PATCH-FILE TYPE reason..." for it (one reviewed reason per line).  The
# PATCH-FILE's posting directory and number are ignored (and best left out), so
# that moving or inserting patches does not orphan the exception.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

EXCEPTIONS=${EXCEPTIONS:-$TOP/config/checkpatch-exceptions}
checkpatch=$WORKTREE/scripts/checkpatch.pl
[ -x "$checkpatch" ] || die "no $checkpatch: run 'make apply' first"
load_series

opts=(--root="$WORKTREE" --strict --show-types --terse --no-summary)
for dict in /usr/lib/python3/dist-packages/codespell_lib/data/dictionary.txt \
	/usr/share/codespell/dictionary.txt; do
	if [ -f "$dict" ]; then opts+=(--codespell --codespellfile="$dict"); break; fi
done

# A patch file's name without its posting and number:
# 03-dax-fixes/0003-foo.patch -> foo.patch.
unnumbered() {
	local name=${1##*/}
	echo "${name#[0-9][0-9][0-9][0-9]-}"
}

# The exception types for patch $1, comma-separated.
exceptions_for() {
	[ -f "$EXCEPTIONS" ] || return 0
	awk -v p="$(unnumbered "$1")" '!/^#/ && NF { sub(/^[0-9][0-9][0-9][0-9]-/, "", $1) }
		!/^#/ && NF && $1 == p { printf "%s%s", sep, $2; sep = "," }' "$EXCEPTIONS"
}

if [ -f "$EXCEPTIONS" ]; then
	while read -r patch type reason; do
		case "$patch" in ''|'#'*) continue ;; esac
		if [ -z "$type" ] || [ -z "$reason" ]; then die "$EXCEPTIONS: '$patch $type' has no reason"; fi
		found=
		for entry in "${SERIES_ENTRIES[@]}"; do
			[ "$(unnumbered "$entry")" = "$(unnumbered "$patch")" ] && found=1
		done
		[ -n "$found" ] || die "$EXCEPTIONS: $patch is not in the series"
	done <"$EXCEPTIONS"
fi

bad=0
for patch in "${SERIES_ENTRIES[@]}"; do
	ignore=$(exceptions_for "$patch")
	# Debian's python3 first: spdxcheck.py needs its python3-ply.
	out=$(cd "$WORKTREE" && PATH=/usr/bin:$PATH "$checkpatch" "${opts[@]}" ${ignore:+--ignore "$ignore"} "$PATCHES/$patch" 2>&1) || true
	if [ -n "$out" ]; then
		printf '%s\n' "$out" | sed "s|$PATCHES/||"
		bad=$((bad + 1))
	fi
done
n=${#SERIES_ENTRIES[@]}
[ "$bad" -eq 0 ] || DIE_CODE=$EXIT_TEST_FAILED die "checkpatch: $bad of $n patches have reports"
log "checkpatch --strict: $n patches clean"
