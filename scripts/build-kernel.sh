#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the guest kernel out of tree in $KOBJ with ccache; report the time.
# Records what it built in $KOBJ/build-record (scripts/lib.sh: build_record).
#
# Usage: build-kernel.sh [--if-stale]   (--if-stale: build only if the work
#        tree or .config changed since the recorded build; make run uses it)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

[ -f "$KOBJ/.config" ] || die "no $KOBJ/.config: run 'make config' first"
if [ "${1:-}" = --if-stale ]; then
	# A kernel built from another tree (the base's) has its own record.
	case "$KOBJ" in "$BUILD"/base/*) [ -f "$KOBJ/build-record" ] || exit 0 ;; esac
	record_stale "$KOBJ/build-record" "$KOBJ/.config" || exit 0
fi
tree=$(tree_id "$WORKTREE" "$KOBJ/.config")
command -v ccache >/dev/null || die "ccache is missing: run 'make deps'"
ccache --max-size=8G >/dev/null
start=$(now)
kmake "$WORKTREE" "$KOBJ" -s KBUILD_BUILD_USER=mm-series KBUILD_BUILD_HOST=qemu \
	"$(basename "$KERNEL_IMAGE")"
log "built $KOBJ/$KERNEL_IMAGE in $(($(now) - start)) s ($(ccache -s 2>/dev/null | awk -F: '/Hits:/ {print "ccache hits:" $2; exit}'))"
build_record "$tree" >"$KOBJ/build-record"
