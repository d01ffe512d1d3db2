#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Write docs/results.md from the stored runs (results/runs/*, record-run.sh),
# fstests' base-against-patched tables (results/fstests/*, make fstests
# FSTESTS_RESULTS=1) and benchmarks (results/bench/*, make bench
# BENCH_RESULTS=1): one table of the runs (what, verdict, tests, subtests,
# kernel, architecture, config, accelerator, guest time, date, harness
# commit), the failures and kernel reports of each run that did not pass,
# each fstests table and each benchmark table with its command.  Nothing in
# it is written by hand.
#
# Usage: report.sh [OUT]   (default docs/results.md; RESULTS_RUNS="name ..."
#                           limits and orders the runs, default all by date)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

out=${1:-$TOP/docs/results.md}
runs=${RESULTS:-$TOP/results}/runs
bench=${RESULTS:-$TOP/results}/bench
fstests=${RESULTS:-$TOP/results}/fstests
verdict_name() {
	case $1 in
	0) echo pass ;; 1) echo "test failure" ;; 2) echo "kernel report" ;; 3) echo hang ;;
	4) echo "setup error" ;; *) echo "$1" ;;
	esac
}
kernel_desc() {
	local m=$1/meta n
	n=$(field kernel_commits_on_base "$m")
	case "$n" in
	0) echo "$BASE_UPSTREAM (the base)" ;;
	'') field kernel_head "$m" ;;
	*)
		printf '%s patches, %s "%s"' "$n" "$(field kernel_head "$m" | cut -c1-12)" "$(field kernel_subject "$m")"
		[ "$(field kernel_uncommitted "$m")" = 0 ] || printf ', uncommitted changes'
		[ "$(field kernel_exported "$m")" = 1 ] || printf ', not as exported'
		echo
		;;
	esac
}

if [ -n "${RESULTS_RUNS:-}" ]; then
	read -r -a names <<<"$RESULTS_RUNS"
else
	mapfile -t names < <(for d in "$runs"/*/; do
		[ -f "$d/meta" ] && printf '%s %s\n' "$(field date "$d/meta")" "$(basename "$d")"
	done | sort | cut -d' ' -f2)
fi

# The description above a stored table: its command, date and what it compared.
describe_fstests() {
	local m=$1/meta
	echo "\`$(field command "$m")\` on $(field date "$m" | cut -c1-10), $(field accel "$m"),"
	echo "$(field fstests "$m"); patched kernel $(field patched_kernel "$m"); harness $(field harness "$m");"
	echo "guest time: base $(field base_guest_seconds "$m") s, patched $(field patched_guest_seconds "$m") s;"
	echo "run verdicts: base $(verdict_name "$(field base_verdict "$m")"), patched $(verdict_name "$(field patched_verdict "$m")")."
}
describe_bench() {
	local m=$1/meta
	echo "\`$(field command "$m")\` on $(field date "$m" | cut -c1-10), $(field accel "$m"),"
	echo "$(field host_cpus "$m") host CPUs, config $(field config "$m"); patched kernel: $(field series "$m");"
	echo "harness $(field harness "$m").  Median ±half the min..max range (n samples);"
	echo "ratio < 1: patched faster; boots: spread of the per-boot medians (number of boots)."
}
# tables DIR HEADING DESCRIBE: a section of the stored tables in DIR/*/ (each
# a meta and a table.md), each under its name and DESCRIBE's lines.
tables() {
	local dir=$1 heading=$2 describe=$3 t
	compgen -G "$dir/*/meta" >/dev/null || return 0
	echo
	echo "## $heading"
	for t in "$dir"/*/; do
		[ -f "$t/meta" ] || continue
		echo
		echo "### $(basename "$t")"
		echo
		"$describe" "$t"
		echo
		cat "$t/table.md"
	done
}

trap 'rm -f "$out.tmp"' EXIT
# A table cell: no "|" (it would end the cell).
cell() { echo "${1//|/\\|}"; }
{
	echo "# Results"
	echo
	echo "Written by \`make report\` (scripts/report.sh) from the runs stored in"
	echo "[results/runs/](../results/runs) and the benchmarks in [results/bench/](../results/bench);"
	echo "not edited by hand.  A run is stored with \`scripts/record-run.sh RUN_DIR NAME [NOTE]\`"
	echo "(every run directory has its meta), a benchmark with \`make bench BENCH_RESULTS=1\`."
	echo "Earlier measurements, with the reasoning around them, are in [history.md](history.md)."
	echo
	echo "## Runs"
	echo
	echo "| run | what | verdict | tests | subtests | kernel | arch | config | accel | guest s | date | harness |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
	for name in "${names[@]}"; do
		d=$runs/$name
		[ -f "$d/meta" ] || die "no stored run $name in $runs"
		m=$d/meta
		harness=$(field harness "$m")
		[ "$(field harness_uncommitted "$m")" = 0 ] || harness+="+"
		arch=$(field arch "$m")
		printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" \
			"$(cell "$(field note "$m")")" "$(verdict_name "$(field verdict "$m")")" "$(field result "$m")" \
			"$(field subtests "$m" | sed 's/, in the \([0-9]*\) of \([0-9]*\) tests.*/ (\1 of \2 tests count them)/')" \
			"$(cell "$(kernel_desc "$d")")" "${arch:-x86_64}" "$(field config "$m")" "$(field accel "$m")" \
			"$(field guest_seconds "$m")" "$(field date "$m" | cut -c1-10)" "$harness"
	done
	echo
	echo "Kernel: the work tree's commits on $BASE_UPSTREAM the kernel was built from"
	echo "(\"not as exported\": not the series of that harness commit).  Harness: the"
	echo "repository's commit (+: with uncommitted changes).  Tests count each plan"
	echo "entry once; subtests are the kselftest totals the tests print."
	for name in "${names[@]}"; do
		d=$runs/$name
		[ "$(field verdict "$d/meta")" != 0 ] || continue
		echo
		echo "### $name: $(verdict_name "$(field verdict "$d/meta")")"
		echo
		echo '```'
		grep -E '^(FAIL|SKIP): ' "$d/summary" | grep -v '^      log:' || true
		[ ! -f "$d/reports.txt" ] || grep '^kernel report [0-9]*: ' "$d/reports.txt" || true
		echo '```'
	done
	tables "$fstests" "fstests on DAX" describe_fstests
	tables "$bench" "Benchmarks" describe_bench
} >"$out.tmp"
mv "$out.tmp" "$out"
log "wrote $out from ${#names[@]} runs"
