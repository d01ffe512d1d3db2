#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build every prefix of the series with the test config (and the plan's
# kselftests at each prefix that changes them), then the whole series with
# CONFIG_TRANSPARENT_HUGEPAGE, CONFIG_FS_DAX and CONFIG_USERFAULTFD each turned
# off.  Names the first prefix (or variant) that does not build.
#
# FROM=N starts at patch N (the prefixes before it built in an earlier run and
# have not changed); TO=M stops after patch M (one part of the series: the
# whole-series variants are then not built, and the summary says so);
# PREFIX_VARIANTS="TRANSPARENT_HUGEPAGE ..." also builds each prefix with those
# options off, in the variants' object directories.
#
# Builds in its own checkout ($BUILD/bisect/linux, a git worktree of the work
# tree) and object directories, incrementally and with ccache, so the test
# kernel in $KOBJ is left alone.  KBUILD_CMD replaces "config + build" (the
# harness self-tests use it with a toy tree).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
x86_64_only "make bisect (its object directories are not per architecture)"

VARIANTS=${VARIANTS-TRANSPARENT_HUGEPAGE FS_DAX USERFAULTFD}
PREFIX_VARIANTS=${PREFIX_VARIANTS:-}
FROM=${FROM:-1}
TO=${TO:-}
dir=$BUILD/bisect
src=$dir/linux
load_series
[ -d "$WORKTREE/.git" ] || die "no work tree: run 'make apply' first"
mapfile -t commits < <(git_plain -C "$WORKTREE" rev-list --reverse base..HEAD)
[ ${#commits[@]} -eq ${#SERIES_ENTRIES[@]} ] ||
	die "the work tree has ${#commits[@]} commits over base, the series ${#SERIES_ENTRIES[@]}: run 'make apply'"

# build OBJDIR [EXTRA_FRAGMENT]: configure and build $src into OBJDIR.
build() {
	local obj=$1 frag=${2:-}
	if [ -n "${KBUILD_CMD:-}" ]; then
		WORKTREE=$src KOBJ=$obj sh -c "$KBUILD_CMD"
		return
	fi
	WORKTREE=$src KOBJ=$obj FRAGMENTS="${FRAGMENTS:-$DEFAULT_FRAGMENTS}${frag:+ $frag}" \
		CHECK_FRAGMENTS=$frag "$TOP/scripts/config.sh" && WORKTREE=$src KOBJ=$obj "$TOP/scripts/build-kernel.sh"
}

checkout() {
	git_plain -C "$src" checkout -q --detach "$1"
}

# build_without OPT [N NAME]: build $src with CONFIG_OPT off, in that variant's
# own object directory; N and NAME (the patch) go into the error.
build_without() {
	local opt=$1 frag=$dir/no-$1.config
	printf '# CONFIG_%s is not set\n' "$opt" >"$frag"
	build "$dir/obj-no-$opt" "$frag" >"$dir/build-no-$opt.log" 2>&1 || {
		tail -n 25 "$dir/build-no-$opt.log" >&2
		DIE_CODE=$EXIT_TEST_FAILED die "the series does not build${2:+ at patch $2} without CONFIG_$opt${3:+: $3}"
	}
}

mkdir -p "$dir"
if [ ! -d "$src/.git" ] && [ ! -f "$src/.git" ]; then
	git_plain -C "$WORKTREE" worktree prune
	git_plain -C "$WORKTREE" worktree add -q --detach "$src" base
fi
start=$(now)
[[ $FROM =~ ^[1-9][0-9]*$ ]] || die "FROM=$FROM is not a patch number"
TO=${TO:-${#commits[@]}}
if ! [[ $TO =~ ^[1-9][0-9]*$ ]] || [ "$TO" -gt ${#commits[@]} ] || [ "$TO" -lt "$FROM" ]; then
	die "TO=$TO is not a patch number from FROM=$FROM to ${#commits[@]}"
fi
for i in "${!commits[@]}"; do
	[ $((i + 1)) -ge "$FROM" ] || continue
	[ $((i + 1)) -le "$TO" ] || break
	name=${SERIES_ENTRIES[$i]}
	checkout "${commits[$i]}"
	log "[$((i + 1))/${#commits[@]}] building with $name"
	build "$dir/obj" >"$dir/build.log" 2>&1 || {
		tail -n 25 "$dir/build.log" >&2
		DIE_CODE=$EXIT_TEST_FAILED die "the series does not build at patch $((i + 1)): $name"
	}
	# A patch to the kselftests: they must build at that prefix too.
	if [ -z "${KBUILD_CMD:-}" ] &&
		! git_plain -C "$src" diff --quiet "${commits[$i]}^" "${commits[$i]}" -- tools/testing/selftests; then
		log "[$((i + 1))/${#commits[@]}] building the kselftests"
		BUILD=$dir WORKTREE=$src KOBJ=$dir/obj "$TOP/scripts/build-selftests.sh" >"$dir/selftests.log" 2>&1 || {
			tail -n 25 "$dir/selftests.log" >&2
			DIE_CODE=$EXIT_TEST_FAILED die "the kselftests do not build at patch $((i + 1)): $name"
		}
	fi
	for opt in $PREFIX_VARIANTS; do
		log "[$((i + 1))/${#commits[@]}] building without CONFIG_$opt"
		build_without "$opt" $((i + 1)) "$name"
	done
done
prefixes="every prefix ($FROM..$TO${PREFIX_VARIANTS:+, also without $PREFIX_VARIANTS})"
if [ "$TO" -lt ${#commits[@]} ]; then
	log "$prefixes builds; the whole-series variants were not built (TO=$TO of ${#commits[@]}); $(($(now) - start)) s"
	exit 0
fi
[ ${#commits[@]} -gt 0 ] || checkout base
for opt in $VARIANTS; do
	log "building the whole series without CONFIG_$opt"
	build_without "$opt"
done
log "$prefixes and every variant ($VARIANTS) builds; $(($(now) - start)) s"
