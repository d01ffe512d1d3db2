#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Check that every option the fragments request survived into .config.
#
# Usage: check-config.sh DOTCONFIG FRAGMENT...
# Later fragments override earlier ones, as in merge_config.sh.  "=m" is met by
# "=y" (the guest is built without modules).  An option the architecture does
# not have (CONFIG_ABSENT of config/qemu/ARCH.sh) may be unset: it is named.
# Names every dropped option; exit 1.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] || die "usage: check-config.sh DOTCONFIG FRAGMENT..."
dotconfig=$1
shift
[ -f "$dotconfig" ] || die "$dotconfig does not exist"

awk -v absent=" ${CONFIG_ABSENT:-} " -v arch="$ARCH" '
function parse(line,   m) {
	if (match(line, /^CONFIG_[A-Za-z0-9_]+=/)) {
		key = substr(line, 1, RLENGTH - 1); val = substr(line, RLENGTH + 1)
		return 1
	}
	if (match(line, /^# CONFIG_[A-Za-z0-9_]+ is not set$/)) {
		key = line; sub(/^# /, "", key); sub(/ is not set$/, "", key); val = "n"
		return 1
	}
	return 0
}
FNR == 1 { nfile++ }
nfile == 1 { if (parse($0)) have[key] = val; next }
parse($0) { want[key] = val; from[key] = FILENAME }
END {
	bad = 0
	for (k in want) {
		h = (k in have) ? have[k] : "n"
		w = want[k]
		if (h == w || (w == "m" && h == "y"))
			continue
		if (h == "n" && index(absent, " " substr(k, 8) " ")) {
			printf "%s=%s requested by %s: %s has no such option (CONFIG_ABSENT)\n", k, w, from[k],
				arch > "/dev/stderr"
			continue
		}
		printf "%s=%s requested by %s, but .config has %s\n", k, w, from[k],
			(h == "n" ? "it unset" : k "=" h) | "sort"
		bad++
	}
	close("sort")
	exit bad ? 1 : 0
}' "$dotconfig" "$@" && exit 0
log "Kconfig did not honour the options above (a missing dependency, a select, or a typo)"
exit "$EXIT_SETUP"
