#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build fstests from the tarball in ../shared/fstests (its SHA256SUMS checked)
# into $BUILD/fstests/fstests, and pack it for the guest: $BUILD/fstests/guest
# is what `make fstests` gives the guest as its KSELFTESTS, its suite
# directory "fstests" holding the built tree as one tar file (the guest
# copies its KSELFTESTS over 9p; 4700 small files take minutes there) and
# selftests/fstests/run-fstests.sh, which unpacks it.  Installs the Debian
# packages fstests needs to build and to run (the guest runs the host's).
#
# Usage: build-fstests.sh [--if-stale]   (--if-stale: only if the tarball or
#        the runner changed since the recorded build)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

FSTESTS_SRC=${FSTESTS_SRC:-$TOP/../shared/fstests}
out=$BUILD/fstests
sums=$FSTESTS_SRC/SHA256SUMS
[ -f "$sums" ] || die "no $sums: fstests' source tarball is missing (FSTESTS_SRC=dir names another)"
tarball=$FSTESTS_SRC/$(awk 'NR == 1 { print $2 }' "$sums")
(cd "$FSTESTS_SRC" && sha256sum --quiet -c "$sums") || die "$tarball does not match $sums"
runner=$TOP/selftests/fstests/run-fstests.sh
id=$(cat "$sums" "$runner" | sha256sum | cut -c1-16)
if [ "${1:-}" = --if-stale ] && [ "$(field id "$out/build-record" 2>/dev/null)" = "$id" ]; then
	log "$out is up to date with $(basename "$tarball")"
	exit 0
fi

"$TOP/scripts/deps.sh" \
	xfslibs-dev uuid-dev libacl1-dev libattr1-dev libaio-dev liburing-dev libgdbm-dev libinih-dev \
	libtool autoconf automake pkg-config \
	xfsprogs e2fsprogs attr acl bc fio psmisc dmsetup quota
start=$(now)
rm -rf "$out"
mkdir -p "$out"
tar -xJf "$tarball" -C "$out"
mv "$out"/xfstests-* "$out/fstests"
make -C "$out/fstests" -j"$(nproc)" >"$out/build.log" 2>&1 ||
	{ tail -n 30 "$out/build.log" >&2; die "building fstests failed (log: $out/build.log)"; }
mkdir -p "$out/guest/fstests"
tar -C "$out" -cf "$out/guest/fstests/fstests.tar" fstests
cp "$runner" "$out/guest/fstests/"
{
	echo "id=$id"
	echo "tarball=$(basename "$tarball")"
	echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$out/build-record"
log "built fstests ($(basename "$tarball")) in $(($(now) - start)) s"
