#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# PID 1 of the test guest (started by scripts/qemu.sh on the host's read-only root).
#
# Usage (kernel command line): init=.../guest-init.sh -- PLAN|--shell KSELFTEST_DIR [FILTER]
# Mounts the pseudo filesystems and a tmpfs for everything writable, mounts the
# host's results directory, sets up what the plan needs (zram swap, an ext4 on
# zram where the tests run, ext4 -o dax on pmem0, device-dax on pmem1-3 or, for
# a plan whose tests need "fstests", pmem1-3 left to fstests, debugfs),
# records it in results/setup, runs the plan with run-plan.sh from a copy of the
# kselftests on that ext4, and reboots (QEMU runs with -no-reboot, so it exits).
set -uo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp TMPDIR=/tmp LANG=C

plan=$1 kselftests=$2 filter=${3:-}
here=$(dirname "$(readlink -f "$0")")
results=/tmp/results

say() { echo "guest-init: $*" >/dev/console; }
finish() {
	sync
	echo "guest-init: done" >/dev/console
	busybox reboot -f
	sleep 60
}
trap finish EXIT

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/shm /dev/pts
ln -s /proc/self/fd /dev/fd
ln -s /proc/self/fd/0 /dev/stdin
ln -s /proc/self/fd/1 /dev/stdout
ln -s /proc/self/fd/2 /dev/stderr
mount -t tmpfs tmpfs /dev/shm
# The tmpfs mounts below hide whatever the host has there, and a checkout may
# live there (CI's clone under /tmp, one under /root): reach the host's files
# through a bind mount of the root instead.  A guest of another architecture
# has its own root, and the host's mounted on MM_HOST by its stub init
# (scripts/build-rootfs.sh), which started this script from there.
if [ -n "${MM_HOST:-}" ]; then
	host=$MM_HOST
else
	host=/dev/host
	mkdir -p "$host"
	mount --bind / "$host"
	here=$host$here
fi
kselftests=$host$kselftests
[ "$plan" = --shell ] || plan=$host$plan
for d in /tmp /run /mnt /var/tmp /root; do mount -t tmpfs tmpfs "$d"; done
mount -t debugfs debugfs /sys/kernel/debug
mkdir -p "$results" /dev/hugepages
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 results "$results" || {
	say "cannot mount the results share"
	exit 1
}
mount -t hugetlbfs hugetlbfs /dev/hugepages

# Each setup step prints "key=value" into results/setup; "key=!reason" when it
# failed, "key=-reason" when the guest does not have it (run-plan.sh skips).
# A zram device of size $1; prints its name.
new_zram() {
	local id
	id=$(cat /sys/class/zram-control/hot_add) && echo "$1" >"/sys/block/zram$id/disksize" &&
		echo "/dev/zram$id"
}

setup_swap() {
	local dev
	[ -e /sys/class/zram-control ] || { echo "swap=!no zram in this kernel"; return; }
	if dev=$(new_zram 2G) && mkswap "$dev" >/dev/null && swapon "$dev"; then
		echo "swap=$dev"
	else
		echo "swap=!zram swap setup failed"
	fi
}

wait_for() {
	local path=$1
	for _ in $(seq 1 300); do
		[ -e "$path" ] && return 0
		sleep 0.1
	done
	return 1
}

# An ordinary block-backed ext4 (not DAX, with page cache and readahead) where the
# tests run: kselftests create their scratch files in their working directory.
setup_scratch() {
	local dev dir=/mnt/scratch
	mkdir -p "$dir"
	if dev=$(new_zram 2G) && mkfs.ext4 -q -F "$dev" && mount "$dev" "$dir"; then
		echo "scratch=$dir"
	else
		echo "scratch=!no ext4 on zram for the tests' working directory"
	fi
}

setup_fsdax() {
	local dev=/dev/pmem0 dir=/mnt/dax
	# nvdimm probing is asynchronous.
	wait_for "$dev" || { echo "fsdax=!$dev did not appear"; return; }
	mkdir -p "$dir"
	# A raw namespace has no struct pages, hence no DAX, unless its region
	# maps them itself (x86's memmap= pmem does, NFIT's does not): give it
	# fsdax mode, its struct pages in RAM.
	if [ "$(cat /sys/block/pmem0/queue/dax 2>/dev/null)" != 1 ]; then
		if ! { ndctl create-namespace -f -e namespace0.0 -m fsdax -M mem >/dev/null && wait_for "$dev"; }; then
			echo "fsdax=!$dev has no DAX and ndctl could not make it fsdax"
			return
		fi
	fi
	if mkfs.ext4 -q -F -b 4096 -E stride=512,stripe_width=512 "$dev" && mount -o dax "$dev" "$dir"; then
		echo "fsdax=$dir"
	else
		echo "fsdax=!mkfs.ext4 or mount -o dax on $dev failed"
	fi
}

# One device-dax instance per alignment the faults can map at: a PMD (2 MiB),
# a PTE (4 KiB) and a PUD (1 GiB, on a 3 GiB range: the namespace starts at a
# 1 GiB boundary, two units remain).  The tests pick them by their alignment.
# Prints devdax=/dev/daxA:/dev/daxB:... of those made, the reason for any
# missing one into setup.log.
setup_devdax() {
	local region align dev made=()
	for region in 1:2M 2:4K 3:1G; do
		align=${region#*:} region=${region%:*} dev=/dev/dax$region.0
		if ! wait_for "/dev/pmem$region"; then
			echo "devdax: /dev/pmem$region did not appear (align $align)" >&2
		elif ndctl create-namespace -f -e "namespace$region.0" -m devdax -a "$align" >/dev/null &&
			wait_for "$dev"; then
			made+=("$dev")
		else
			echo "devdax: ndctl could not make $dev with align $align" >&2
		fi
	done
	if [ ${#made[@]} -gt 0 ]; then
		(IFS=:; echo "devdax=${made[*]}")
	else
		echo "devdax=!no device-dax instance could be made (setup.log)"
	fi
}

# fstests' devices (make fstests): TEST_DEV, SCRATCH_DEV and LOGWRITES_DEV on
# pmem1 (1 GiB), pmem3 (3 GiB) and pmem2 (256 MiB), which stay block devices
# (no device-dax) in a guest whose plan needs "fstests".
setup_fstests() {
	local dev
	for dev in /dev/pmem1 /dev/pmem3 /dev/pmem2; do
		wait_for "$dev" || { echo "fstests=!$dev did not appear"; return; }
	done
	echo "fstests=/dev/pmem1:/dev/pmem3:/dev/pmem2"
}

# What a test needs that a guest may not have at all (a "-" value: the test
# skips), as opposed to a setup that failed ("!").
setup_features() {
	local nodes
	# VmFlags shows "sd" (VM_SOFTDIRTY, set on a new mapping) only with
	# CONFIG_MEM_SOFT_DIRTY.
	if grep -q '^VmFlags:.* sd' /proc/self/smaps; then
		echo "softdirty=yes"
	else
		echo "softdirty=-this kernel has no soft-dirty tracking (MEM_SOFT_DIRTY; none on $(uname -m))"
	fi
	nodes=$(find /sys/devices/system/node -maxdepth 1 -name "node[0-9]*" | wc -l)
	if [ "$nodes" -ge 2 ]; then
		echo "numa2=$nodes nodes"
	else
		echo "numa2=-this guest has $nodes NUMA node"
	fi
}

setup_debugfs() {
	if [ -n "$(ls /sys/kernel/debug)" ]; then
		echo "debugfs=/sys/kernel/debug"
	else
		echo "debugfs=!debugfs is empty"
	fi
}

{
	echo "kernel=$(uname -r)"
	# What the kernel was tainted with before any test (the host fails a
	# run whose tests added a taint).
	echo "tainted_boot=$(cat /proc/sys/kernel/tainted)"
	echo "cpus=$(nproc)"
	echo "thp=$(cat /sys/kernel/mm/transparent_hugepage/enabled)"
	echo "hugepages=$(cat /proc/sys/vm/nr_hugepages)"
	echo "numa_nodes=$(find /sys/devices/system/node -maxdepth 1 -name "node[0-9]*" | wc -l)"
	setup_swap
	setup_scratch
	setup_fsdax
	if [ "$plan" != --shell ] &&
		"$here/run-plan.sh" --list "$plan" "$filter" | cut -f3 | tr ',' '\n' | grep -qx fstests; then
		setup_fstests
	else
		setup_devdax
	fi
	setup_features
	setup_debugfs
} >"$results/setup" 2>>"$results/setup.log"
say "setup: $(tr '\n' ' ' <"$results/setup")"

# Where the tests find the scratch DAX resources made above (dax-fault and
# dax_fault_bench overwrite them; they never default to a device).
# setup_value KEY: what setup made for KEY, nothing if it failed ("KEY=!why").
setup_value() { sed -n "s/^$1=\([^!]\)/\1/p" "$results/setup"; }
DAX_DIR=$(setup_value fsdax)
DEVDAX=$(setup_value devdax)
[ -z "$DAX_DIR" ] || export DAX_DIR
[ -z "$DEVDAX" ] || export DEVDAX
# run-fstests.sh's devices, and where it keeps fstests' results.
fstests_devs=$(setup_value fstests)
if [ -n "$fstests_devs" ]; then
	IFS=: read -r FSTESTS_TEST_DEV FSTESTS_SCRATCH_DEV FSTESTS_LOGWRITES_DEV <<<"$fstests_devs"
	export FSTESTS_TEST_DEV FSTESTS_SCRATCH_DEV FSTESTS_LOGWRITES_DEV
fi
export MM_SERIES_RESULTS=$results

workdir=$(setup_value scratch)
workdir=${workdir:-/tmp}/kselftest
cp -a "$kselftests" "$workdir"
if [ "$plan" = --shell ]; then
	# make shell: the same guest, with an interactive shell on the console
	# instead of the plan; the guest powers off when it exits.
	console=$(awk '{ print $NF }' /sys/class/tty/console/active)
	say "shell: the kselftests are in $workdir; DAX_DIR=${DAX_DIR:-} DEVDAX=${DEVDAX:-}; exit (or Ctrl-D) powers off"
	cd "$workdir" && setsid -c bash -i <"/dev/$console" >"/dev/$console" 2>&1
	exit 0
fi
"$here/run-plan.sh" "$plan" "$workdir" "$results" "$filter"
cat /proc/sys/kernel/tainted >"$results/tainted"
