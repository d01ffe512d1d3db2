#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Make the guest's .config in $KOBJ: tinyconfig + upstream's mm selftest fragment +
# our fragments (FRAGMENTS, in order), then check that every request survived.
# .config is replaced only when it changes, so that builds stay incremental.
# CHECK_FRAGMENTS limits the check to those fragments (bisect's variants that
# turn an option off check only that, since what depends on it goes too).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

export CROSS_COMPILE
read -r -a frags <<<"${FRAGMENTS:-$DEFAULT_FRAGMENTS}"
all=("$WORKTREE/tools/testing/selftests/mm/config")
for f in "${frags[@]}"; do
	case "$f" in /*) ;; *) f=$TOP/$f ;; esac
	[ -f "$f" ] || die "config fragment $f does not exist"
	all+=("$f")
done

scratch=$BUILD/kconfig-$(basename "$KOBJ")
rm -rf "$scratch"
mkdir -p "$scratch" "$KOBJ"
make -s -C "$WORKTREE" O="$scratch" ARCH="$ARCH" tinyconfig >/dev/null
(cd "$scratch" && "$WORKTREE/scripts/kconfig/merge_config.sh" -m -O "$scratch" \
	"$scratch/.config" "${all[@]}" >"$scratch/merge.log")
make -s -C "$WORKTREE" O="$scratch" ARCH="$ARCH" olddefconfig >/dev/null
read -r -a check <<<"${CHECK_FRAGMENTS:-${all[*]}}"
"$TOP/scripts/check-config.sh" "$scratch/.config" "${check[@]}"
if cmp -s "$scratch/.config" "$KOBJ/.config"; then
	log "$KOBJ/.config unchanged"
else
	cp "$scratch/.config" "$KOBJ/.config"
	log "wrote $KOBJ/.config ($(grep -c '=y' "$KOBJ/.config") options built in)"
fi
rm -rf "$scratch"
