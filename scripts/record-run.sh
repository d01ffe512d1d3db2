#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Store a finished run for the results report: its meta, summary, top-level
# TAP results and kernel reports (not the console or the test logs) go to
# results/runs/NAME, which is tracked; scripts/report.sh writes docs/results.md
# from what is stored there.
#
# Usage: record-run.sh RUN_DIR NAME [NOTE]   (NOTE: one line on what the run was)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] || die "usage: record-run.sh RUN_DIR NAME [NOTE]"
dir=$(realpath "$1") name=$2 note=${3:-}
[ -f "$dir/meta" ] || die "$dir has no meta: not a run of run-tests.sh, or one from before it wrote one"
[[ $name =~ ^[a-z0-9][a-z0-9.-]*$ ]] || die "NAME=$name: use lower-case letters, digits, dots and dashes"
dest=${RESULTS:-$TOP/results}/runs/$name
rm -rf "$dest"
mkdir -p "$dest"
{
	cat "$dir/meta"
	[ -z "$note" ] || echo "note=$note"
} >"$dest/meta"
cp "$dir/summary" "$dest/summary"
grep -E '^(not )?ok [0-9]+ ' "$dir/tap" >"$dest/results" || true
if [ -s "$dir/reports.txt" ]; then
	cp "$dir/reports.txt" "$dest/reports.txt"
fi
log "stored $dir as results/runs/$name"
