#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Benchmark the base against the patched kernel in one invocation: both built
# from the same .config (the guest's, without the debug fragment: lockdep and
# DEBUG_VM would dominate what is measured), booted alternately ROUNDS times
# (base, patched, base, ...) with selftests/bench/plan, each program pinned to one
# guest CPU and repeating its measurements.  Prints the table (median, spread,
# ratio) and writes it with the command into docs/results.md between the markers.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

ROUNDS=${ROUNDS:-3}
BENCH_PLAN=${BENCH_PLAN:-$TOP/selftests/bench/plan}
BENCH_FRAGMENTS=${BENCH_FRAGMENTS:-config/guest.config config/mm.config}
out=$BUILD/bench
results=$TOP/docs/results.md
# Object directories one level below their source trees (build/linux and
# build/base/linux), so that the relative paths ccache's base_dir makes are the
# same for both and the base build hits the cache wherever the sources agree.
patched=$BUILD/obj-bench
base=$BUILD/base/obj-bench

start=$(now)
KOBJ=$patched FRAGMENTS=$BENCH_FRAGMENTS "$TOP/scripts/config.sh"
KOBJ=$patched "$TOP/scripts/build-kernel.sh"
KOBJ=$patched BASE_OBJ=$base "$TOP/scripts/base-tree.sh" build
kmake "$WORKTREE" "$patched" -s headers
rm -rf "${out:?}/bin" "$out/base" "$out/patched"
mkdir -p "$out/bin/bench"
make -s -C "$TOP/selftests/bench" OUTPUT="$out/bin/bench" KHDR_INCLUDES="-isystem $patched/usr/include"

for round in $(seq 1 "$ROUNDS"); do
	for kernel in base patched; do
		obj=$patched
		[ "$kernel" = base ] && obj=$base
		log "round $round/$ROUNDS: $kernel kernel"
		KOBJ=$obj PLAN=$BENCH_PLAN KSELFTESTS=$out/bin RUN_DIR=$out/$kernel/$round TESTS='' \
			"$TOP/scripts/run-tests.sh" >"$out/$kernel-$round.log" 2>&1 ||
			{ tail -n 20 "$out/$kernel-$round.log" >&2; die "the $kernel kernel failed the benchmark run"; }
	done
done

table=$("$TOP/scripts/bench-table.py" "$out/base" "$out/patched")
printf '%s\n' "$table" | tee "$out/table.md"
series=$(git -C "$TOP" log -1 --format='%h %s' -- series patches)
{
	echo "<!-- bench:begin (written by scripts/bench.sh) -->"
	plan_arg=
	[ "$BENCH_PLAN" = "$TOP/selftests/bench/plan" ] || plan_arg="BENCH_PLAN=$BENCH_PLAN "
	echo "Command: \`make bench ${plan_arg}ROUNDS=$ROUNDS\` on $(date -u +%Y-%m-%d), series at ${series:-an empty series},"
	echo "$(cat "$out/patched/1/accel") guest (QEMU), $(nproc) host CPUs, config: $BENCH_FRAGMENTS (no debug options)."
	echo "Times in ms for one full pass; median ±half the min..max range, n samples; ratio < 1 means patched is faster (of the medians, and of the minima)."
	echo
	printf '%s\n' "$table"
	echo "<!-- bench:end -->"
} >"$out/section.md"
if [ -f "$results" ] && grep -q '^<!-- bench:begin' "$results"; then
	python3 - "$results" "$out/section.md" <<'PY'
import re, sys
doc = open(sys.argv[1]).read()
new = open(sys.argv[2]).read().rstrip('\n')
doc = re.sub(r'<!-- bench:begin.*?<!-- bench:end -->', lambda _: new, doc, flags=re.S)
open(sys.argv[1], 'w').write(doc)
PY
	log "updated $results"
fi
log "benchmark done in $(($(now) - start)) s"
