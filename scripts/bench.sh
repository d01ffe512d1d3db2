#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Benchmark the base against the patched kernel in one invocation: both built
# from the same .config (the guest's, without the debug fragment: lockdep and
# DEBUG_VM would dominate what is measured), booted alternately ROUNDS times
# (base, patched, base, ...) with selftests/bench/plan, each program pinned to one
# guest CPU and repeating its measurements.  Prints the table (median, spread,
# ratio, boot-to-boot spread) and what was measured (build/bench/meta: the
# command, the accelerator, the series the patched kernel was built from);
# BENCH_RESULTS=1 also stores both in results/bench/ for the results report.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

x86_64_only "make bench (its programs are built for the host)"
ROUNDS=${ROUNDS:-3}
BENCH_PLAN=${BENCH_PLAN:-$TOP/selftests/bench/plan}
BENCH_FRAGMENTS=${BENCH_FRAGMENTS:-$GUEST_FRAGMENTS config/mm.config}
out=$BUILD/bench
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
# What was measured: the patched kernel's build record names the work tree's
# commit and whether it was the series as exported (it may hold other commits).
rec=$patched/build-record
series="work tree at $(field head "$rec" | cut -c1-12) (\"$(field subject "$rec")\", $(field commits_on_base "$rec") commits on the base"
[ "$(field uncommitted "$rec")" = 0 ] || series+=", with uncommitted changes"
if [ "$(field exported "$rec")" = 1 ]; then
	series+=", the series as exported in $(git_plain -C "$TOP" rev-parse --short=12 HEAD))"
else
	series+=", not the exported series)"
fi
plan_arg=
[ "$BENCH_PLAN" = "$TOP/selftests/bench/plan" ] || plan_arg="BENCH_PLAN=$(realpath --relative-to="$TOP" "$BENCH_PLAN") "
{
	icount_arg=
	[ "${ICOUNT:-0}" = 0 ] || icount_arg="ICOUNT=1 "
	echo "command=${icount_arg}make bench ${plan_arg}ROUNDS=$ROUNDS"
	echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "accel=$(cat "$out/patched/1/accel")"
	echo "host_cpus=$(nproc)"
	echo "config=$BENCH_FRAGMENTS"
	echo "series=$series"
	echo "harness=$(git_plain -C "$TOP" rev-parse --short=12 HEAD)"
} >"$out/meta"
cat "$out/meta"
# BENCH_RESULTS=1: store it for the results report (scripts/report.sh), as
# results/bench/PLAN[-icount]; nothing tracked changes otherwise.
if [ "${BENCH_RESULTS:-}" = 1 ]; then
	name=$(basename "$BENCH_PLAN")
	[ "${ICOUNT:-0}" = 0 ] || name+=-icount
	mkdir -p "$TOP/results/bench/$name"
	cp "$out/meta" "$out/table.md" "$TOP/results/bench/$name/"
	log "stored in results/bench/$name (make report writes docs/results.md)"
fi
log "benchmark done in $(($(now) - start)) s"
