#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the kselftest suites the plan uses, against the work tree's exported UAPI
# headers ($KOBJ/usr/include), into $BUILD/kselftest/SUITE ($BUILD/kselftest-ARCH
# for another architecture: cross-compiled against its guest root's libraries);
# records what it built in build-record there.
#
# Usage: build-selftests.sh [--if-stale]   (as build-kernel.sh)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

PLAN=${PLAN:-$TOP/selftests/plan}
out=$KSELFTEST_OUT
# What the kselftests are built from: their sources and the UAPI headers.
export TREE_PATHS="tools/testing/selftests tools/include include/uapi arch/$ARCH/include/uapi"
[ "$ARCH" != x86_64 ] || TREE_PATHS+=" arch/x86/include/uapi"
# Another architecture's are built against its guest root: a new root makes them stale.
inputs=("$PLAN")
[ "$GUEST_ROOT" = / ] || inputs+=("$GUEST_ROOT.record")
if [ "${1:-}" = --if-stale ]; then
	# Only the directory this script builds (not a KSELFTESTS of one's own).
	[ "$(realpath -m "${KSELFTESTS:-$out}")" = "$(realpath -m "$out")" ] || exit 0
	record_stale "$out/build-record" "${inputs[@]}" || exit 0
fi
tree=$(tree_id "$WORKTREE" "${inputs[@]}")
start=$(now)
make -s -C "$WORKTREE" O="$KOBJ" ARCH="$ARCH" headers
# Another architecture's: its cross compiler, with the guest's root as the
# sysroot (its libc, libnuma, libcap, liburing: what the guest runs them on).
cross=()
if [ -n "$CROSS_COMPILE" ]; then
	[ -f "$GUEST_ROOT.record" ] || die "no guest root in $GUEST_ROOT: run 'make ARCH=$ARCH rootfs'"
	cross=(ARCH="$ARCH" CROSS_COMPILE="$CROSS_COMPILE" CC="${CROSS_COMPILE}gcc --sysroot=$GUEST_ROOT")
fi
mapfile -t suites < <("$TOP/selftests/run-plan.sh" --list "$PLAN" | cut -d: -f1 | sort -u)
for suite in "${suites[@]}"; do
	mkdir -p "$out/$suite"
	# What mm's check_config.sh probed (liburing) is kept in the source tree,
	# and would carry one architecture's compiler's answer to the other's build.
	rm -f "$WORKTREE/tools/testing/selftests/$suite"/local_config.*
	make -s -C "$WORKTREE/tools/testing/selftests/$suite" OUTPUT="$out/$suite" "${cross[@]}" \
		KHDR_INCLUDES="-isystem $KOBJ/usr/include" -j"$(nproc)" all >"$out/$suite.build.log" 2>&1 ||
		{ tail -n 30 "$out/$suite.build.log" >&2; die "building selftests/$suite failed"; }
	# The suite's scripts and data files, for tests that call them.
	find "$WORKTREE/tools/testing/selftests/$suite" -maxdepth 1 -type f \
		\( -name '*.sh' -o -name '*.py' -o -name settings \) -exec cp -t "$out/$suite" {} +
done
log "built kselftests (${suites[*]}) in $(($(now) - start)) s"
build_record "$tree" >"$out/build-record"
