#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run fstests in the test guest (a plan command, run beside fstests.tar, the
# tree scripts/build-fstests.sh built, which it unpacks once): FS is ext4 or
# xfs, made fresh on
# TEST_DEV and mounted with -o dax=always, as SCRATCH_DEV is by the tests;
# the other arguments are check's (-g GROUP, test names).
#
# Usage: run-fstests.sh FS NAME CHECK_ARG...
# From guest-init: FSTESTS_TEST_DEV, FSTESTS_SCRATCH_DEV, FSTESTS_LOGWRITES_DEV
# (the guest's pmem, not DAX-mounted anywhere else) and MM_SERIES_RESULTS (the
# host's results share): check's results, with its xunit report, go to
# fstests/NAME there.  Exit: check's (0 when every test passed or did not run).
set -uo pipefail

fs=${1:?usage: run-fstests.sh FS NAME CHECK_ARG...}
name=${2:?usage: run-fstests.sh FS NAME CHECK_ARG...}
shift 2
case "$fs" in
ext4) mkfs=(mkfs.ext4 -q -F -b 4096) ;;
xfs) mkfs=(mkfs.xfs -q -f) ;;
*) echo "run-fstests.sh: FS is ext4 or xfs, not $fs" >&2; exit 2 ;;
esac
for v in FSTESTS_TEST_DEV FSTESTS_SCRATCH_DEV MM_SERIES_RESULTS; do
	[ -n "${!v:-}" ] || { echo "run-fstests.sh: $v is not set (not in the test guest?)" >&2; exit 2; }
done

[ -x fstests/check ] || tar -xf fstests.tar || { echo "run-fstests.sh: cannot unpack fstests.tar" >&2; exit 2; }
cd fstests || exit 2

# The users fstests' permission tests run as (generic/462 among them), in
# copies of the host's files bound over the read-only ones.
add_users() {
	local f uid=9001 u
	[ -e /tmp/fstests-etc/passwd ] && return
	mkdir -p /tmp/fstests-etc
	for f in passwd group shadow; do cp "/etc/$f" "/tmp/fstests-etc/$f"; done
	for u in fsgqa fsgqa2 123456-fsgqa; do
		echo "$u:x:$uid:$uid::/tmp:/bin/sh" >>/tmp/fstests-etc/passwd
		echo "$u:x:$uid:" >>/tmp/fstests-etc/group
		echo "$u:*:19000:0:99999:7:::" >>/tmp/fstests-etc/shadow
		uid=$((uid + 1))
	done
	for f in passwd group shadow; do mount --bind "/tmp/fstests-etc/$f" "/etc/$f"; done
}
add_users

# What an entry killed by its timeout left behind (mounts, device-mapper
# targets) must not make the next entry's mkfs refuse its device.
cleanup() {
	local m dev
	for m in /mnt/fstests/scratch /mnt/fstests/test; do
		! mountpoint -q "$m" || umount -l "$m"
	done
	dmsetup remove_all >/dev/null 2>&1
	for dev in "$FSTESTS_TEST_DEV" "$FSTESTS_SCRATCH_DEV" ${FSTESTS_LOGWRITES_DEV:+"$FSTESTS_LOGWRITES_DEV"}; do
		if grep -q "^$dev " /proc/mounts; then
			echo "run-fstests.sh: $dev is still mounted" >&2
			return 1
		fi
	done
}
cleanup || exit 2

results=$MM_SERIES_RESULTS/fstests/$name
mkdir -p /mnt/fstests/test /mnt/fstests/scratch "$results"
"${mkfs[@]}" "$FSTESTS_TEST_DEV" || { echo "run-fstests.sh: ${mkfs[*]} $FSTESTS_TEST_DEV failed" >&2; exit 2; }
cat >local.config <<EOT
export FSTYP=$fs
export TEST_DEV=$FSTESTS_TEST_DEV
export TEST_DIR=/mnt/fstests/test
export SCRATCH_DEV=$FSTESTS_SCRATCH_DEV
export SCRATCH_MNT=/mnt/fstests/scratch
export LOGWRITES_DEV=${FSTESTS_LOGWRITES_DEV:-}
export MOUNT_OPTIONS="-o dax=always"
export TEST_FS_MOUNT_OPTS="-o dax=always"
export RESULT_BASE=$results
# No udevd runs in the guest: never wait for its database (udevadm wait has
# no timeout), only for the device nodes.
export UDEV_SETTLE_PROG="sleep 1"
unset UDEV_WAIT_PROG
# and so nothing makes device-mapper's nodes: libdevmapper makes them itself
# when told so (else /dev/mapper/NAME never appears, and the mkfs in
# _require_log_writes_dax_mountopt failed generic/470, silently, on both
# kernels).
export DM_DISABLE_UDEV=1
EOT
echo "# run-fstests.sh: $fs -o dax=always, TEST_DEV=$FSTESTS_TEST_DEV SCRATCH_DEV=$FSTESTS_SCRATCH_DEV LOGWRITES_DEV=${FSTESTS_LOGWRITES_DEV:-none}: ./check $*"
./check -R xunit "$@"
