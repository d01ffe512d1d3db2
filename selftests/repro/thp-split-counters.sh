#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Usage: thp-split-counters.sh BINARY [strace]: run BINARY (a build of
# split_huge_page_test beside this script) and print what the THP and
# khugepaged counters did during the run; with "strace", run it under strace
# (stopping it only at its mmap/munmap/brk/madvise/pread64 calls, printed when
# it fails), which slows its many pagemap and kpageflags reads and so widens
# the window between the debugfs split and the check of the folio orders.
bin=$1
thp=/sys/kernel/mm/transparent_hugepage
snap() {
	grep -E '^(thp_|compact_stall|compact_fail|compact_success)' /proc/vmstat
	for f in pages_collapsed full_scans pages_to_scan scan_sleep_millisecs max_ptes_none; do
		echo "khugepaged_$f $(cat $thp/khugepaged/$f)"
	done
}
snap >/tmp/thp-before
if [ "${2:-}" = strace ]; then
	strace --seccomp-bpf -o /tmp/thp-strace -e trace=mmap,munmap,brk,madvise,pread64 "./$bin"
else
	"./$bin"
fi
rc=$?
snap >/tmp/thp-after
echo "# counters that changed (name before after):"
join /tmp/thp-before /tmp/thp-after | awk '$2 != $3 { print "# " $0 }'
if [ "$rc" -ne 0 ] && [ -f /tmp/thp-strace ]; then
	echo "# the test's memory calls:"
	grep -v pread64 /tmp/thp-strace | sed 's/^/# /' | head -n 80
fi
rm -f /tmp/thp-strace
exit $rc
