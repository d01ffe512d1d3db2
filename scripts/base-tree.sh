#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Prepare the unpatched base beside the work tree, for comparisons: a checkout of
# tag base in $BUILD/base/linux (a git worktree) configured with the same .config
# as $KOBJ, in $BASE_OBJ (default $BUILD/base/ and $KOBJ's name: base/obj,
# base/obj-arm64 with ARCH=arm64).  "build" also builds its kernel.
#
# Usage: base-tree.sh [prepare|build]
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

what=${1:-prepare}
src=$BUILD/base/linux
obj=${BASE_OBJ:-$BUILD/base/$(basename "$KOBJ")}
[ -f "$KOBJ/.config" ] || die "no $KOBJ/.config: run 'make config' first"
if [ ! -e "$src/.git" ]; then
	git_plain -C "$WORKTREE" worktree prune
	git_plain -C "$WORKTREE" worktree add -q --detach "$src" base
fi
git_plain -C "$src" checkout -q --detach "$(git_plain -C "$WORKTREE" rev-parse base)"
mkdir -p "$obj"
cmp -s "$KOBJ/.config" "$obj/.config" || cp "$KOBJ/.config" "$obj/.config"
kmake "$src" "$obj" -s olddefconfig
case "$what" in
prepare) kmake "$src" "$obj" -s prepare ;;
build) WORKTREE=$src KOBJ=$obj "$TOP/scripts/build-kernel.sh" ;;
*) die "usage: base-tree.sh [prepare|build]" ;;
esac
