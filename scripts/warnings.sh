#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# W=1 and sparse (C=2) on the C files the series touches, in the base and in the
# patched tree with the same .config; report only warnings the series adds
# (compared without line numbers).  Exit 1 if there are any.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
x86_64_only "make warnings (the base's objects are build/base/obj)"

command -v sparse >/dev/null || die "sparse is missing: apt-get install sparse"
[ -d "$WORKTREE/.git" ] || die "no work tree: run 'make apply' first"
mapfile -t files < <(git_plain -C "$WORKTREE" diff --name-only --diff-filter=AM base HEAD -- '*.c' |
	grep -v '^tools/' || true)
# Only what this config builds.
objs=()
for f in "${files[@]}"; do
	[ -f "$KOBJ/${f%.c}.o" ] && objs+=("${f%.c}.o")
done
if [ ${#objs[@]} -eq 0 ]; then
	log "the series touches no C file that this config builds (${#files[@]} touched): nothing to compare"
	exit 0
fi
BASE_OBJ=$BUILD/base/obj "$TOP/scripts/base-tree.sh" prepare

# warnings SRC OBJ OBJECTS...: the W=1 and sparse reports, without line numbers.
warnings() {
	local src=$1 obj=$2 log
	shift 2
	[ $# -gt 0 ] || return 0
	log=$(mktemp)
	kmake "$src" "$obj" W=1 C=2 "$@" >/dev/null 2>"$log" ||
		{ tail -n 20 "$log" >&2; rm -f "$log"; die "W=1 C=2 build of $* in $src failed"; }
	# No warning at all is the usual case: grep's status 1 is not an error.
	{ grep -E '(warning|error):' "$log" || true; } | sed -E -e "s|$src/||g" -e 's|^([^: ]+):[0-9]+(:[0-9]+)?:|\1:|' | sort
	rm -f "$log"
}
# Files the series adds have no base version: their every warning is new.
base_objs=()
for o in "${objs[@]}"; do
	[ -f "$BUILD/base/linux/${o%.o}.c" ] && base_objs+=("$o")
done
warnings "$BUILD/base/linux" "$BUILD/base/obj" "${base_objs[@]}" >"$BUILD/warnings.base"
warnings "$WORKTREE" "$KOBJ" "${objs[@]}" >"$BUILD/warnings.patched"
new=$(comm -13 "$BUILD/warnings.base" "$BUILD/warnings.patched")
if [ -n "$new" ]; then
	printf '%s\n' "$new"
	DIE_CODE=$EXIT_TEST_FAILED die "the series adds $(printf '%s\n' "$new" | wc -l) W=1/sparse warnings"
fi
log "no new W=1 or sparse warnings in ${objs[*]} ($(wc -l <"$BUILD/warnings.base") already in base)"
