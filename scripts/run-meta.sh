#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Print what a finished run was, as key=value lines (run-tests.sh writes them
# to RUN_DIR/meta; record-run.sh and report.sh read them): when, which kernel
# (its build record: the work tree's commit, whether it was the series as
# exported), which config, accelerator, harness commit, plan and selection,
# verdict and counts.
#
# Usage: run-meta.sh RUN_DIR GUEST_SECONDS   (after run-tests.sh judged RUN_DIR)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

dir=${1:?usage: run-meta.sh RUN_DIR GUEST_SECONDS}
secs=${2:?usage: run-meta.sh RUN_DIR GUEST_SECONDS}
rec=$KOBJ/build-record
config() {
	local c=$KOBJ/.config flavour=
	grep -q '^CONFIG_DEBUG_VM=y' "$c" 2>/dev/null && flavour=debug
	grep -q '^CONFIG_KASAN=y' "$c" 2>/dev/null && flavour=${flavour:+$flavour+}kasan
	echo "${flavour:-plain}"
}

echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "guest_seconds=$secs"
echo "accel=$(cat "$dir/accel" 2>/dev/null || echo '?')"
echo "kernel=$(field kernel "$dir/setup")"
echo "kernel_obj=$KOBJ"
echo "arch=$ARCH"
if [ "$GUEST_ROOT" != / ]; then
	echo "guest_root=$(field id "$GUEST_ROOT.record") built $(field built "$GUEST_ROOT.record")"
fi
echo "config=$(config)"
if [ -f "$rec" ]; then
	echo "kernel_head=$(field head "$rec")"
	echo "kernel_subject=$(field subject "$rec")"
	echo "kernel_commits_on_base=$(field commits_on_base "$rec")"
	echo "kernel_uncommitted=$(field uncommitted "$rec")"
	echo "kernel_exported=$(field exported "$rec")"
else
	echo "kernel_head=unknown (no build record: not built by build-kernel.sh)"
fi
echo "harness=$(git_plain -C "$TOP" rev-parse --short=12 HEAD)"
echo "harness_uncommitted=$([ -z "$(git_plain -C "$TOP" status --porcelain -- . ':!build' ':!results')" ] && echo 0 || echo 1)"
echo "series_tree=$(git_plain -C "$TOP" rev-parse --short=12 HEAD:patches 2>/dev/null || echo none)"
echo "plan=$(realpath --relative-to="$TOP" "${PLAN:-$TOP/selftests/plan}")"
echo "tests=${TESTS:-all}"
echo "repeat=${REPEAT:-1}"
echo "verdict=$(cat "$dir/verdict" 2>/dev/null || echo '?')"
echo "result=$(tail -n 1 "$dir/summary" 2>/dev/null)"
echo "subtests=$(sed -n 's/^subtests: //p' "$dir/summary" 2>/dev/null)"
