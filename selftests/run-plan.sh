#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the test plan inside the guest and write TAP to RESULTS/tap.
#
# Usage: run-plan.sh PLAN KSELFTEST_DIR RESULTS [FILTER]
#        run-plan.sh --list PLAN [FILTER]    (host and guest: the selected entries)
# FILTER: empty (all), "set:NAME" (the plan's set column), or a comma-separated
# list of test names (an unknown name is an error).  Each test runs in
# KSELFTEST_DIR/SUITE with its timeout; its output is nested into the TAP as "# "
# lines and kept in RESULTS/logs/.  Exit 4 means skip (kselftest's KSFT_SKIP).
# A test whose setup (RESULTS/setup) is missing fails with the reason; one that
# needs what this guest does not have ("KEY=-reason": a feature its kernel or
# machine lacks, not a failed setup) skips with the reason.
set -uo pipefail

# list PLAN FILTER: print "name<TAB>timeout<TAB>needs<TAB>set<TAB>command" lines.
list() {
	local plan=$1 filter=$2 name timeout needs set cmd want found=()
	while read -r name timeout needs set cmd; do
		case "$name" in ''|'#'*) continue ;; esac
		case "$filter" in
		'') ;;
		set:*) [ "$set" = "${filter#set:}" ] || continue ;;
		*) [[ ",$filter," == *",$name,"* ]] || continue ;;
		esac
		found+=("$name")
		printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$timeout" "$needs" "$set" "$cmd"
	done <"$plan"
	case "$filter" in ''|set:*) return 0 ;; esac
	for want in ${filter//,/ }; do
		[[ " ${found[*]} " == *" $want "* ]] || { echo "run-plan.sh: no test $want in $plan" >&2; return 1; }
	done
}

if [ "${1:-}" = --list ]; then
	list "$2" "${3:-}"
	exit
fi

plan=$1 root=$2 results=$3 filter=${4:-}
tap=$results/tap
# Where the start/end markers and result lines go (the host's self-test of this
# runner points them at files).
kmsg=${RUN_PLAN_KMSG:-/dev/kmsg} console=${RUN_PLAN_CONSOLE:-/dev/console}
mkdir -p "$results/logs"

# Print why a need is not met, or nothing: "!why" for a setup that failed or
# is missing, "-why" for what this guest does not have.
unmet() {
	local need val
	for need in ${1//,/ }; do
		[ "$need" = - ] && continue
		val=$(sed -n "s/^$need=//p" "$results/setup")
		case "$val" in
		'') echo "!$need was not set up"; return ;;
		'!'*) echo "!$need: ${val#!}"; return ;;
		'-'*) echo "-$need: ${val#-}"; return ;;
		esac
	done
}

mapfile -t tests < <(list "$plan" "$filter")
{
	echo "TAP version 13"
	echo "1..${#tests[@]}"
} >"$tap"
n=0
for t in "${tests[@]}"; do
	IFS=$'\t' read -r name timeout needs _ cmd <<<"$t"
	n=$((n + 1))
	log=$results/logs/${name//[:\/]/_}.log
	echo "# $name" >>"$tap"
	why=$(unmet "$needs")
	if [ "${why:0:1}" = - ]; then
		line="ok $n $name # SKIP ${why#-}"
	elif [ -n "$why" ]; then
		line="not ok $n $name # SETUP ${why#!}"
	else
		echo "mm-series: start $name" >>"$kmsg"
		start=$(date +%s)
		# cmd is a command line from the plan: NAME=value words before the
		# program set its environment, as in a shell.
		read -r -a words <<<"$cmd"
		envs=()
		while [ ${#words[@]} -gt 1 ] && [[ ${words[0]} =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; do
			envs+=("${words[0]}")
			words=("${words[@]:1}")
		done
		(cd "$root/${name%%:*}" &&
			exec env "${envs[@]}" timeout -k 10 "$timeout" "./${words[0]}" "${words[@]:1}") >"$log" 2>&1 </dev/null
		rc=$?
		secs=$(($(date +%s) - start))
		# awk, not sed: output without a final newline must not swallow the result line.
		awk '{ print "# " $0 }' "$log" >>"$tap"
		echo "mm-series: end $name ($secs s)" >>"$kmsg"
		case $rc in
		0) line="ok $n $name (${secs}s)" ;;
		4) line="ok $n $name (${secs}s) # SKIP $(grep -m1 -i 'skip' "$log" | cut -c1-100)" ;;
		124) line="not ok $n $name # TIMEOUT after ${timeout}s" ;;
		137) if [ "$secs" -ge "$timeout" ]; then line="not ok $n $name # TIMEOUT after ${timeout}s (killed)"
			else line="not ok $n $name (${secs}s) # killed by SIGKILL (OOM?)"; fi ;;
		*) line="not ok $n $name (${secs}s) # exit code $rc" ;;
		esac
	fi
	echo "$line" >>"$tap"
	echo "$line" >>"$console"
done
