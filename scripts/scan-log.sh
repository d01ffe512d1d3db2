#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Scan a guest console log for kernel reports: BUG, WARNING, Oops, KASAN, KFENCE,
# UBSAN, lockdep, RCU stalls, hung tasks, panics, a VM_FAULT_OOM that leaked out
# of a page fault (a WARN-less report, but a bug).  Print each report's excerpt
# (with the test that was running, from the runner's kmsg markers), then a
# digest of one line per report (last, so that a CI log's tail names them),
# and exit 2; exit 0 on a clean log.
#
# Usage: scan-log.sh CONSOLE_LOG [MAX_REPORTS]
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

logfile=${1:?usage: scan-log.sh CONSOLE_LOG [MAX_REPORTS]}
max=${2:-5}
[ -f "$logfile" ] || die "$logfile does not exist"

awk -v max="$max" -v name="$logfile" '
BEGIN {
	pat = "(BUG:|WARNING:|Oops(:| )|kernel BUG at|KASAN:|KFENCE:|UBSAN:|" \
	      "general protection fault|Unable to handle kernel|Kernel panic - not syncing|" \
	      "possible circular locking dependency|possible recursive locking|" \
	      "inconsistent lock state|suspicious RCU usage|possible irq lock inversion|" \
	      "DEBUG_LOCKS_WARN_ON|detected (expedited )?stalls? on|self-detected stall|" \
	      "INFO: task .* blocked for more than|hung_task: blocked tasks|" \
	      "Huh VM_FAULT_OOM leaked out)"
}
{
	sub(/\r+$/, "")		# the serial console ends lines with CR LF
	line[NR] = $0
	text = $0
	sub(/^\[ *[0-9]+\.[0-9]+\] /, "", text)
	if (text ~ /^mm-series: start /) { test = text; sub(/^mm-series: start /, "", test) }
	if (text ~ /^mm-series: end /) test = "between tests"
	if (text ~ pat && NR > last_end) {
		found++
		if (found <= max) { start[found] = NR; intest[found] = test; what[found] = text }
		last_end = NR + 40
	}
}
END {
	if (!found) exit 0
	for (i = 1; i <= found && i <= max; i++) {
		printf "==== kernel report %d of %d at %s:%d%s ====\n", i, found, name, start[i],
			intest[i] == "" ? " (before any test)" : intest[i] == "between tests" ? \
			" (between tests)" : " (while running " intest[i] ")"
		from = start[i] - 3; if (from < 1) from = 1
		to = start[i] + 40; if (to > NR) to = NR
		for (j = from; j <= to; j++) print line[j]
	}
	if (found > max) printf "==== %d more reports not shown ====\n", found - max
	for (i = 1; i <= found && i <= max; i++)
		printf "kernel report %d: %s (%s)\n", i, what[i],
			intest[i] == "" ? "before any test" : intest[i] == "between tests" ? \
			"between tests" : "while running " intest[i]
	exit 2
}' "$logfile"
