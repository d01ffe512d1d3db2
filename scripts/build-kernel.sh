#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the guest kernel out of tree in $KOBJ with ccache; report the time.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# shellcheck source=../config/qemu/x86_64.sh
. "$TOP/config/qemu/$ARCH.sh"
[ -f "$KOBJ/.config" ] || die "no $KOBJ/.config: run 'make config' first"
command -v ccache >/dev/null || die "ccache is missing: run 'make deps'"
ccache --max-size=8G >/dev/null
start=$(now)
kmake "$WORKTREE" "$KOBJ" -s KBUILD_BUILD_USER=mm-series KBUILD_BUILD_HOST=qemu \
	"$(basename "$KERNEL_IMAGE")"
log "built $KOBJ/$KERNEL_IMAGE in $(($(now) - start)) s ($(ccache -s 2>/dev/null | awk -F: '/Hits:/ {print "ccache hits:" $2; exit}'))"
