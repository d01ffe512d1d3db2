#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Usage: ksm-smart-scan.sh 0|1: run the unfixed ksm_tests -N -m 1 -d (as
# ksm_tests_old) with KSM's smart_scan set to 0 or 1, and restore it to 1.
echo "$1" >/sys/kernel/mm/ksm/smart_scan || exit 1
echo "smart_scan=$(cat /sys/kernel/mm/ksm/smart_scan) skipped_before=$(cat /sys/kernel/mm/ksm/pages_skipped)"
./ksm_tests_old -N -m 1 -d
rc=$?
echo "skipped_after=$(cat /sys/kernel/mm/ksm/pages_skipped)"
echo 1 >/sys/kernel/mm/ksm/smart_scan
exit $rc
