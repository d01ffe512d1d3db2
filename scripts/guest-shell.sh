#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make shell: boot the test guest, the same kernel ($KOBJ), setup (pmem, ext4
# -o dax, device-dax at three alignments, swap, two NUMA nodes, debugfs; on
# arm64 two alignments and one node) and
# kselftests as `make run`, with an interactive shell on the console instead of
# the plan.  The guest powers off when the shell exits; Ctrl-A x quits QEMU
# (the monitor shares the terminal: Ctrl-A c), and QEMU_TIMEOUT (default a day)
# ends a forgotten one.  The guest's setup and results share: $BUILD/shell.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

KSELFTESTS=$(realpath -m "${KSELFTESTS:-$KSELFTEST_OUT}")
[ -d "$KSELFTESTS" ] || die "no kselftests in $KSELFTESTS: run 'make selftests'"
dir=$BUILD/shell
rm -rf "$dir"
mkdir -p "$dir"
QEMU_TIMEOUT=${QEMU_TIMEOUT:-86400} QEMU_INTERACTIVE=1 \
	exec "$TOP/scripts/qemu.sh" "$dir" "$TOP/selftests/guest-init.sh" --shell "$KSELFTESTS"
