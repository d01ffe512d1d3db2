#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot the built kernel once, run the test plan in the guest, then judge the run:
# the TAP summary, a scan of the console log and the taint the tests added.
# Each run gets its own directory, $BUILD/runs/STAMP-KOBJNAME, linked as
# $BUILD/$RUN_LINK (default "run": build/run is the latest run); RUN_DIR names
# one instead (an existing run directory there is replaced).  In it: console.log,
# tap, setup, logs/ (one per test), qemu.cmd, verdict, summary and meta (what
# ran: date, kernel, accelerator, harness commit, series, counts; for
# scripts/record-run.sh and scripts/report.sh).
#
# TESTS: empty (the whole plan), "set:NAME", or a comma-separated list of names.
# REPEAT=N runs the selection N times in one boot, round after round (a flake
# check): the run directory gets its own plan, each entry named NAME-K for
# round K, and the summary gives each test's passes over its N runs.
# The guest gets the selected tests' timeouts (times N) + 300 s, at most
# GUEST_TIME_CAP.
# Exit codes (scripts/lib.sh), the most severe wins: 3 the guest hung (timeout);
# 2 a kernel report (BUG/WARNING/lockdep/KASAN/...) or a crash; 4 a setup error
# (no results share, pmem/swap/devdax missing for a test); 1 a test failed; 0 ok.
# The verdict is also written to $RUN_DIR/verdict.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

PLAN=${PLAN:-$TOP/selftests/plan}
TESTS=${TESTS:-}
KSELFTESTS=${KSELFTESTS:-$KSELFTEST_OUT}
# The guest reaches the host's files by absolute path only.
[ -f "$PLAN" ] || die "no plan file $PLAN"
PLAN=$(realpath "$PLAN") KSELFTESTS=$(realpath -m "$KSELFTESTS")

GUEST_TIME_CAP=${GUEST_TIME_CAP:-3600}
REPEAT=${REPEAT:-1}
[[ $REPEAT =~ ^[1-9][0-9]*$ ]] || die "REPEAT=$REPEAT: give a count of rounds, 1 or more"

# Guest time budget: the selected tests' timeouts plus boot and setup, capped
# (hung_task_panic/softlockup_panic end most hangs long before).
selected=$("$TOP/selftests/run-plan.sh" --list "$PLAN" "$TESTS") || exit "$EXIT_SETUP"
[ -n "$selected" ] || die "TESTS=$TESTS selects no test in $PLAN"
want=$(awk -F'\t' -v n="$REPEAT" '{ sum += $2 } END { print sum * n + 300 }' <<<"$selected")
budget=$((want < GUEST_TIME_CAP ? want : GUEST_TIME_CAP))
[ "$want" -le "$GUEST_TIME_CAP" ] ||
	log "the guest gets GUEST_TIME_CAP=$GUEST_TIME_CAP s, less than the $want s the selection's timeouts add up to (raise the cap if the run needs it)"

# Keep the most severe verdict: hang, then kernel report, then setup, then test.
verdict=$EXIT_OK
judge() {
	local rank=("$EXIT_OK" "$EXIT_TEST_FAILED" "$EXIT_SETUP" "$EXIT_SPLAT" "$EXIT_TIMEOUT") i cur=0 new=0
	for i in "${!rank[@]}"; do
		[ "${rank[$i]}" = "$verdict" ] && cur=$i
		[ "${rank[$i]}" = "$1" ] && new=$i
	done
	[ "$new" -le "$cur" ] || verdict=$1
}

if [ -n "${RUN_DIR:-}" ]; then
	# Replace an earlier run there (run-tests.sh marks its directories), but
	# nothing else.
	if [ -e "$RUN_DIR" ] && [ -n "$(ls -A "$RUN_DIR")" ] && [ ! -e "$RUN_DIR/.mm-series-run" ]; then
		die "RUN_DIR=$RUN_DIR is not empty and is not a run directory: not replacing it"
	fi
	rm -rf "$RUN_DIR"
else
	link=$BUILD/${RUN_LINK:-run}
	RUN_DIR=$BUILD/runs/$(date +%Y%m%d-%H%M%S)-$(basename "$KOBJ")
	while [ -e "$RUN_DIR" ]; do RUN_DIR=$RUN_DIR+; done
	# A run directory of the layout before runs/ is kept as a run.
	if [ -d "$link" ] && [ ! -L "$link" ]; then
		mkdir -p "$BUILD/runs"
		mv "$link" "$BUILD/runs/$(date -r "$link" +%Y%m%d-%H%M%S)-$(basename "$link")"
	fi
fi
mkdir -p "$RUN_DIR"
RUN_DIR=$(realpath "$RUN_DIR")
touch "$RUN_DIR/.mm-series-run"
if [ -n "${link:-}" ]; then
	ln -sfn "runs/$(basename "$RUN_DIR")" "$link"
fi
# What was asked for, for the run's meta (REPEAT replaces the plan).
asked_plan=$PLAN asked_tests=$TESTS
if [ "$REPEAT" -gt 1 ]; then
	# The rounds as a plan of their own, kept with the run.
	{
		echo "# $REPEAT rounds of TESTS=${TESTS:-(all)} from $PLAN"
		for k in $(seq "$REPEAT"); do
			awk -F'\t' -v k="$k" '{ print $1 "-" k, $2, $3, $4, $5 }' <<<"$selected"
		done
	} >"$RUN_DIR/plan"
	PLAN=$RUN_DIR/plan TESTS=
	selected=$("$TOP/selftests/run-plan.sh" --list "$PLAN" "")
fi
export QEMU_TIMEOUT=${QEMU_TIMEOUT:-$budget}
start=$(now)
set +e
"$TOP/scripts/qemu.sh" "$RUN_DIR" "$TOP/selftests/guest-init.sh" "$PLAN" "$KSELFTESTS" "$TESTS" |
	tee "$RUN_DIR/console.log" |
	if [ "${VERBOSE:-}" = 1 ]; then cat; else grep --line-buffered -E '^(not )?ok [0-9]+|^guest-init: '; fi
rc=${PIPESTATUS[0]}
set -e
secs=$(($(now) - start))

summary=$("$TOP/scripts/tap-summary.sh" "$RUN_DIR/tap" "$REPEAT") || judge "$EXIT_TEST_FAILED"
# Name each failing test's log.
summary=$(awk -v logs="$RUN_DIR/logs" '
	{ print }
	/^FAIL: not ok [0-9]+ / && !/# SETUP / { name = $5; gsub(/[:\/]/, "_", name); print "      log: " logs "/" name ".log" }' <<<"$summary")
# The end of each failing test's log, printed before the summary, so that a
# log that is not kept (CI's) still says why.
# (With REPEAT, the first failing run of each test.)
tails=$(sed -n 's/^      log: //p' <<<"$summary" |
	awk -v n="$REPEAT" '{ t = $0; if (n > 1) sub(/-[0-9]+\.log$/, "", t) } !seen[t]++' |
	while read -r failed; do
		[ -f "$failed" ] || continue
		echo "--- the last lines of $failed:"
		tail -n "${FAIL_LOG_LINES:-15}" "$failed" | sed 's/^/      | /'
	done)
# The guest's TAP plan must be the selection (a plan file it cannot read gives 1..0).
planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$RUN_DIR/tap" 2>/dev/null | head -n 1) || planned=
nselected=$(wc -l <<<"$selected")
if [ "${planned:-0}" -ne "$nselected" ]; then
	log "the guest planned ${planned:-no} tests, $nselected were selected"
	judge "$EXIT_SETUP"
fi
if grep -q '# SETUP ' "$RUN_DIR/tap" 2>/dev/null || [ ! -f "$RUN_DIR/setup" ]; then
	log "setup error: $(grep -h '=!' "$RUN_DIR/setup" 2>/dev/null | tr '\n' ' ')"
	judge "$EXIT_SETUP"
fi
if ! "$TOP/scripts/scan-log.sh" "$RUN_DIR/console.log" >"$RUN_DIR/reports.txt"; then
	# With line tables (the default; not with DEBUG_INFO=0), each frame as file:line.
	src=$(field src "$KOBJ/build-record")
	src=${src:-$WORKTREE}
	if [ -f "$KOBJ/vmlinux" ] && readelf -S "$KOBJ/vmlinux" 2>/dev/null | grep -c '\.debug_line' >/dev/null &&
		"$src/scripts/decode_stacktrace.sh" "$KOBJ/vmlinux" "$src" \
			<"$RUN_DIR/reports.txt" >"$RUN_DIR/reports.decoded.txt" 2>/dev/null; then
		mv "$RUN_DIR/reports.decoded.txt" "$RUN_DIR/reports.txt"
	fi
	cat "$RUN_DIR/reports.txt"
	log "kernel reports in the console log: the run fails even where tests passed"
	judge "$EXIT_SPLAT"
fi
# A taint the tests added fails the run even if no report was recognised.
if [ -f "$RUN_DIR/tainted" ]; then
	end_taint=$(cat "$RUN_DIR/tainted")
	boot_taint=$(field tainted_boot "$RUN_DIR/setup")
	# A guest that did not record it: any taint counts.
	boot_taint=${boot_taint:-0}
	if [[ ! $end_taint =~ ^[0-9]+$ ]] || [[ ! $boot_taint =~ ^[0-9]+$ ]]; then
		log "cannot read the taint: '$end_taint' after the plan, '$boot_taint' after boot"
		judge "$EXIT_SETUP"
	elif (( end_taint & ~boot_taint )); then
		log "the tests tainted the kernel: $(taint_flags $((end_taint & ~boot_taint))) (/proc/sys/kernel/tainted $end_taint, $boot_taint after boot)"
		judge "$EXIT_SPLAT"
	fi
fi
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	tail -n 30 "$RUN_DIR/console.log"
	log "the guest hung: killed after $QEMU_TIMEOUT s"
	judge "$EXIT_TIMEOUT"
elif [ "$rc" -ne 0 ]; then
	tail -n 5 "$RUN_DIR/console.log"
	log "QEMU failed (exit $rc)"
	judge "$EXIT_SETUP"
elif ! grep -q '^guest-init: done' "$RUN_DIR/console.log"; then
	tail -n 30 "$RUN_DIR/console.log"
	log "the guest stopped before the plan finished (QEMU exit $rc)"
	judge "$EXIT_SPLAT"
fi
log "guest ran $secs s under $(cat "$RUN_DIR/accel" 2>/dev/null || echo '?'); results in $RUN_DIR"
echo "$verdict" >"$RUN_DIR/verdict"
printf '%s\n' "$summary" >"$RUN_DIR/summary"
PLAN=$asked_plan TESTS=$asked_tests REPEAT=$REPEAT "$TOP/scripts/run-meta.sh" "$RUN_DIR" "$secs" >"$RUN_DIR/meta"
[ -z "$tails" ] || printf '%s\n' "$tails"
printf '%s\n' "$summary"
exit "$verdict"
