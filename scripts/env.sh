#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make env: print the values the harness will use, as key=value lines: the
# guest's architecture and cross compiler, the paths, the plan and selection,
# the switches.  It fails, as every script does, on a value it refuses.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

cat <<EOT
arch=$ARCH
cross_compile=${CROSS_COMPILE:-}
qemu=${QEMU:-${QEMU_BIN:-none (build only)}}
accel=${ACCEL:-auto}
icount=${ICOUNT:-0}
kasan=${KASAN:-}
debug_info=$DEBUG_INFO
verbose=${VERBOSE:-}
build=$BUILD
worktree=$WORKTREE
kobj=$KOBJ
kselftests=${KSELFTESTS:-$KSELFTEST_OUT}
guest_root=$GUEST_ROOT$([ "$GUEST_ROOT" = / ] || echo " (from ${DEBIAN_MIRROR:-http://deb.debian.org/debian})")
fragments=${FRAGMENTS:-$DEFAULT_FRAGMENTS}
plan=${PLAN:-$TOP/selftests/plan}
tests=${TESTS:-all}
repeat=${REPEAT:-1}
run_dir=${RUN_DIR:-a new $BUILD/runs/STAMP, linked as $BUILD/${RUN_LINK:-run}}
EOT
