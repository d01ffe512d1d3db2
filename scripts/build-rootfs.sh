#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The root filesystem of a guest whose architecture is not the host's (ARCH=arm64):
# Debian bookworm's packages for that architecture, unpacked (never configured:
# nothing of them runs on the host) into $GUEST_ROOT with mmdebstrap's
# "extract" variant.  The guest mounts it over virtio-9p as its root, as an
# x86_64 guest mounts the host's own root, and the host's root as /host, where
# it finds the harness, the plan and the kselftests (scripts/qemu.sh).  The
# kselftests are built against it too (its libc, libnuma and libcap headers:
# scripts/build-selftests.sh), so that they run on the libraries the guest has.
#
# Debian's own packages rather than a static busybox: the guest runs the same
# harness (bash, util-linux, e2fsprogs, ndctl, python3 for DAMON's tests) on
# both architectures, from bookworm, the hosts' release.  The packages are
# whatever the mirror (DEBIAN_MIRROR) serves on the day: the record keeps the
# date, and each run's meta the record.
#
# Usage: build-rootfs.sh [--if-stale]   (--if-stale: only if the package list or
#        what is done to the unpacked root changed)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# An x86_64 guest boots on the host's own root: nothing to build.
[ "$GUEST_ROOT" != / ] || exit 0
[ -n "${DEBIAN_ARCH:-}" ] || die "config/qemu/$ARCH.sh names no DEBIAN_ARCH"
SUITE=bookworm
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
packages=(
	# what guest-init.sh, run-plan.sh and the tests run (awk: gawk, linked below)
	base-files base-passwd bash dash coreutils util-linux mount sed grep gawk findutils
	diffutils procps kmod e2fsprogs ndctl daxctl busybox-static python3
	# what the kselftests are built against (scripts/build-selftests.sh)
	libc6-dev libnuma-dev libcap-dev liburing-dev
)
id=$(printf '%s\n' "$SUITE" "$DEBIAN_ARCH" "${packages[@]}" "$(sed -n '/^stub_init/,$p' "$0")" |
	sha256sum | cut -c1-16)
if [ "${1:-}" = --if-stale ] && [ "$(field id "$GUEST_ROOT.record" 2>/dev/null)" = "$id" ] &&
	[ -x "$GUEST_ROOT/sbin/mm-host-init" ]; then
	log "$GUEST_ROOT is up to date"
	exit 0
fi
# As root: a user's mmdebstrap unpacks in a user namespace (its "unshare"
# mode), and the files it leaves belong to subordinate ids this script cannot
# then change or remove.
[ "$(id -u)" -eq 0 ] || die "building the guest root needs root (mmdebstrap's root mode): run 'sudo make ARCH=$ARCH rootfs'"
"$TOP/scripts/deps.sh" mmdebstrap

# PID 1 of the guest: mount the host's root where the harness is, and start
# the init qemu.sh named (a host path, its first argument) from there.
stub_init() {
	cat <<-'EOF'
	#!/bin/sh
	# Written by scripts/build-rootfs.sh: the host's root as /host, then the harness's init.
	mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,ro host /host ||
		{ echo "mm-host-init: cannot mount the host's root on /host" >/dev/console; exit 1; }
	init=$1
	shift
	MM_HOST=/host exec "/host$init" "$@"
	EOF
}

start=$(now)
rm -rf "$GUEST_ROOT" "$GUEST_ROOT.record"
mkdir -p "$(dirname "$GUEST_ROOT")"
include=$(IFS=,; echo "${packages[*]}")
mmdebstrap --quiet --variant=extract --architectures="$DEBIAN_ARCH" --include="$include" \
	"$SUITE" "$GUEST_ROOT" "$MIRROR" >"$GUEST_ROOT.log" 2>&1 ||
	{ tail -n 30 "$GUEST_ROOT.log" >&2; die "mmdebstrap failed (log: $GUEST_ROOT.log)"; }
# Mount points (the root is read-only in the guest) and the stub init.
mkdir -p "$GUEST_ROOT"/{host,proc,sys,dev,tmp,run,mnt,var/tmp,root}
# The one alternative the harness needs, which gawk's maintainer script would
# have made: awk.
ln -s gawk "$GUEST_ROOT/usr/bin/awk"
stub_init >"$GUEST_ROOT/sbin/mm-host-init"
chmod 755 "$GUEST_ROOT/sbin/mm-host-init"
{
	echo "id=$id"
	echo "suite=$SUITE"
	echo "arch=$DEBIAN_ARCH"
	echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$GUEST_ROOT.record"
log "built $GUEST_ROOT ($DEBIAN_ARCH, $(du -sh "$GUEST_ROOT" | cut -f1)) in $(($(now) - start)) s"
