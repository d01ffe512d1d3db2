#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# W=1 and sparse (C=2) on the C files the series touches, in the base and in the
# patched tree with the same .config; report only warnings the series adds
# (compared without line numbers).  Exit 1 if there are any.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

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
"$TOP/scripts/base-tree.sh" prepare

# warnings SRC OBJ: the W=1 and sparse reports for the objects, without line numbers.
warnings() {
	make -C "$1" O="$2" ARCH="$ARCH" -j"$(nproc)" CC="ccache gcc" W=1 C=2 "${objs[@]}" 2>&1 >/dev/null |
		grep -E '(warning|error):' | sed -E -e "s|$1/||g" -e 's|^([^: ]+):[0-9]+(:[0-9]+)?:|\1:|' |
		sort || true
}
warnings "$BUILD/base/linux" "$BUILD/base/obj" >"$BUILD/warnings.base"
warnings "$WORKTREE" "$KOBJ" >"$BUILD/warnings.patched"
new=$(comm -13 "$BUILD/warnings.base" "$BUILD/warnings.patched")
if [ -n "$new" ]; then
	printf '%s\n' "$new"
	DIE_CODE=$EXIT_TEST_FAILED die "the series adds $(printf '%s\n' "$new" | wc -l) W=1/sparse warnings"
fi
log "no new W=1 or sparse warnings in ${objs[*]} ($(wc -l <"$BUILD/warnings.base") already in base)"
