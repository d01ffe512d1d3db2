#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# fstests on DAX, the base against the patched kernel in one invocation:
# builds fstests (build-fstests.sh), the patched kernel if stale and the base
# with the same .config (base-tree.sh, in $BASE_OBJ), then runs
# selftests/plan-fstests (TESTS selects entries or sets) on each, base first,
# into $BUILD/fstests-runs/{base,patched}, and writes the table of both
# (fstests-table.py) to $BUILD/fstests-runs/table.md with a meta file;
# FSTESTS_RESULTS=1 also stores both in results/fstests/ for the report.
#
# Fails when a test that passes on the base fails with the series, when the
# patched run has a kernel report, a new taint, a hang or a setup error, or
# when the base run could not run the plan (a setup error or a hang).  Tests
# that fail on both kernels are listed with fstests' reason.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

x86_64_only "make fstests (fstests is built for the host)"
FSTESTS_PLAN=${FSTESTS_PLAN:-$TOP/selftests/plan-fstests}
base_obj=${BASE_OBJ:-$BUILD/base/obj}
out=$BUILD/fstests-runs
# One round on each kernel: rounds would write over each other's results.
export REPEAT=1
start=$(now)
# The selection, checked before anything is built.
selected=$("$TOP/selftests/run-plan.sh" --list "$FSTESTS_PLAN" "${TESTS:-}") || exit "$EXIT_SETUP"
[ -n "$selected" ] || die "TESTS=${TESTS:-} selects no entry of $FSTESTS_PLAN"
mapfile -t entries < <(cut -f1 <<<"$selected" | sed 's/^fstests://')
"$TOP/scripts/build-fstests.sh" --if-stale
"$TOP/scripts/build-kernel.sh" --if-stale
build_start=$(now)
BASE_OBJ=$base_obj "$TOP/scripts/base-tree.sh" build
log "base kernel built in $(($(now) - build_start)) s"
rm -rf "$out"
mkdir -p "$out"
declare -A verdict
for kernel in base patched; do
	obj=$KOBJ
	[ "$kernel" = base ] && obj=$base_obj
	log "$kernel kernel: $obj"
	rc=0
	KOBJ=$obj PLAN=$FSTESTS_PLAN KSELFTESTS=$BUILD/fstests/guest RUN_DIR=$out/$kernel TESTS=${TESTS:-} \
		GUEST_TIME_CAP=${GUEST_TIME_CAP:-14400} "$TOP/scripts/run-tests.sh" 2>&1 |
		tee "$out/$kernel.log" || rc=$?
	verdict[$kernel]=$rc
done

ok=1
table=$("$TOP/scripts/fstests-table.py" "$out/base" "$out/patched" "${entries[@]}") || ok=0
printf '%s\n' "$table" >"$out/table.md"
case "${verdict[patched]}" in
0 | "$EXIT_TEST_FAILED") ;;
*)
	# A kernel report fails the run even where the base has one too: the
	# reports of both are in their run directories to compare.
	log "the patched run's verdict is ${verdict[patched]} (scripts/lib.sh: report, hang or setup; base: ${verdict[base]})"
	ok=0
	;;
esac
case "${verdict[base]}" in
"$EXIT_SETUP" | "$EXIT_TIMEOUT") log "the base run's verdict is ${verdict[base]}: it did not run the plan"; ok=0 ;;
esac
{
	echo "command=make fstests${TESTS:+ TESTS=$TESTS}"
	echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "accel=$(cat "$out/patched/accel" 2>/dev/null || echo '?')"
	echo "fstests=$(field tarball "$BUILD/fstests/build-record")"
	echo "base_verdict=${verdict[base]}"
	echo "patched_verdict=${verdict[patched]}"
	echo "base_guest_seconds=$(field guest_seconds "$out/base/meta")"
	echo "patched_guest_seconds=$(field guest_seconds "$out/patched/meta")"
	echo "patched_kernel=$(field kernel_head "$out/patched/meta") exported=$(field kernel_exported "$out/patched/meta")"
	echo "harness=$(git_plain -C "$TOP" rev-parse --short=12 HEAD)"
	echo "seconds=$(($(now) - start))"
} >"$out/meta"
printf '%s\n' "$table"
cat "$out/meta"
# FSTESTS_RESULTS=1: store the table and meta for the results report, as
# results/fstests/SELECTION, whatever the verdict (a regression is a result).
if [ "${FSTESTS_RESULTS:-}" = 1 ]; then
	name=$(tr -c 'a-zA-Z0-9.\n-' - <<<"${TESTS:-all}")
	mkdir -p "$TOP/results/fstests/$name"
	cp "$out/meta" "$out/table.md" "$TOP/results/fstests/$name/"
	log "stored in results/fstests/$name (make report writes docs/results.md)"
fi
[ "$ok" = 1 ] || die "fstests: see $out/table.md"
log "fstests: no test that passes on the base fails with the series ($(($(now) - start)) s)"
