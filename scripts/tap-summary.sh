#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Summarise a TAP file's top-level results: list what failed or was skipped, then
# the subtests (the "Totals:" lines kselftest prints, nested in each test's
# output), then "N passed, N failed, N skipped" of the tests.  Tests the plan
# announced ("1..N") but that never reported (the guest died or hung) count as
# failed.  With ROUNDS > 1 (run-tests.sh's REPEAT: entries named NAME-K for
# round K), first a "repeat:" line per test: its passes over the rounds, its
# skips, and the rounds it never ran.
# Exit 0 when nothing failed, 1 otherwise.
#
# Usage: tap-summary.sh TAP_FILE [ROUNDS]
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

tap=${1:?usage: tap-summary.sh TAP_FILE [ROUNDS]}
rounds=${2:-1}
if [ ! -s "$tap" ]; then
	log "no TAP results in $tap: the guest never ran the plan"
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi

awk -v rounds="$rounds" '
/^1\.\.[0-9]+/ && planned == "" { planned = substr($1, 4) + 0; next }
# The "# Totals: pass:N fail:N ..." lines of kselftest, nested in a test.
/^(# )+Totals: pass:[0-9]+ fail:[0-9]+ xfail:[0-9]+ xpass:[0-9]+ skip:[0-9]+ error:[0-9]+/ {
	for (i = 1; i <= NF; i++) {
		split($i, kv, ":")
		if (kv[1] == "pass" || kv[1] == "xfail") sub_pass += kv[2]
		else if (kv[1] == "fail" || kv[1] == "xpass" || kv[1] == "error") sub_fail += kv[2]
		else if (kv[1] == "skip") sub_skip += kv[2]
	}
	counted = 1
	next
}
/^(not )?ok [0-9]+/ {
	with_totals += counted
	counted = 0
	seen++
	directive = ""
	if (match(toupper($0), / # *(SKIP|TODO)/)) directive = toupper(substr($0, RSTART, RLENGTH))
	if ($0 ~ /^not ok/ && directive !~ /TODO/) { failed++; print "FAIL: " $0; result = "fail" }
	else if (directive ~ /SKIP/) { skipped++; print "SKIP: " $0; result = "skip" }
	else { passed++; result = "pass" }
	if (rounds > 1) {
		name = ($1 == "not") ? $4 : $3
		sub(/-[0-9]+$/, "", name)
		if (!(name in ran)) order[++count] = name
		ran[name]++
		r_pass[name] += result == "pass"
		r_skip[name] += result == "skip"
	}
}
END {
	for (i = 1; i <= count; i++) {
		t = order[i]
		line = sprintf("repeat: %s passed %d of %d rounds", t, r_pass[t], rounds)
		if (r_skip[t]) line = line sprintf(", skipped %d", r_skip[t])
		if (ran[t] < rounds) line = line sprintf(" (%d never ran)", rounds - ran[t])
		print line
	}
	if (planned == "") {
		print "FAIL: no TAP plan line: the runner died before it started"
		failed++
	}
	if (planned > seen) {
		printf "FAIL: %d of %d planned tests never reported\n", planned - seen, planned
		failed += planned - seen
	}
	printf "subtests: %d passed, %d failed, %d skipped, in the %d of %d tests that print kselftest totals\n",
		sub_pass, sub_fail, sub_skip, with_totals, seen
	printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped
	exit failed ? 1 : 0
}' "$tap"
