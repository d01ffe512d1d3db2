#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The one place that builds the QEMU command line.
#
# Usage: qemu.sh RESULTS_DIR INIT [ARG...]
# Boots $KOBJ's kernel with the host's root shared read-only over virtio-9p (as
# virtme-ng does), RESULTS_DIR shared read-write as "results", and runs INIT
# (a path on the host) as the guest's PID 1 with ARGs.  The console goes to
# stdout.  Exits with QEMU's status; 124 when QEMU_TIMEOUT (seconds) ran out.
# A guest of another architecture (GUEST_ROOT in config/qemu/ARCH.sh) has its
# own root (scripts/build-rootfs.sh), the host's shared as "host": its PID 1,
# /sbin/mm-host-init, mounts that on /host and runs INIT from there.
#
# ACCEL=auto (default) uses KVM only if a probe boot really reaches init,
# ACCEL=tcg or ACCEL=kvm force one.  KERNEL_ARGS adds to the kernel command line.
# The command line is written to RESULTS_DIR/qemu.cmd (and shown with VERBOSE=1);
# QEMU_INTERACTIVE=1 gives QEMU the terminal (make shell).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

[ -n "${QEMU_BIN:-}" ] || die "ARCH=$ARCH: config/qemu/$ARCH.sh has no QEMU data"
QEMU_BIN=${QEMU:-$QEMU_BIN}
command -v "$QEMU_BIN" >/dev/null || die "$QEMU_BIN is missing: run 'make deps'"
QEMU_TIMEOUT=${QEMU_TIMEOUT:-3600}
KVM_PROBE_TIMEOUT=${KVM_PROBE_TIMEOUT:-20}

# Print the QEMU command for accelerator $1 booting with kernel arguments $2...
qemu_cmd() {
	local accel=$1
	shift
	local cpu=("${QEMU_CPU_TCG[@]}") host=()
	# shellcheck disable=SC2054 # the commas are QEMU's
	[ "$GUEST_ROOT" = / ] ||
		host=(-virtfs "local,id=host,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap")
	# shellcheck disable=SC2054 # the commas are QEMU's
	local console=(-chardev stdio,id=console,signal=off -serial chardev:console)
	# make shell: the monitor shares the terminal, so that Ctrl-A x quits a
	# guest that no longer answers (Ctrl-A h lists the keys).
	# shellcheck disable=SC2054 # the commas are QEMU's
	[ "${QEMU_INTERACTIVE:-}" != 1 ] ||
		console=(-chardev stdio,id=console,mux=on,signal=off -serial chardev:console -mon chardev=console,mode=readline)
	[ "$accel" = kvm ] && cpu=("${QEMU_CPU_KVM[@]}")
	# shellcheck disable=SC2054 # the commas are QEMU's
	local cmd=("$QEMU_BIN" -nodefaults -no-user-config -no-reboot -display none
		"${QEMU_MACHINE[@]}" -accel "$accel" "${cpu[@]}" -m "$QEMU_MEM" -smp "$QEMU_SMP" "${QEMU_NUMA[@]}"
		-kernel "$KOBJ/$KERNEL_IMAGE"
		"${console[@]}"
		-virtfs "local,id=root,path=$GUEST_ROOT,mount_tag=/dev/root,security_model=none,readonly=on,multidevs=remap"
		"${host[@]}" "${QEMU_DEVICES[@]}"
		-append "console=$QEMU_CONSOLE root=/dev/root rootfstype=9p rootflags=trans=virtio,version=9p2000.L,msize=262144 ro panic=-1 $*")
	# ICOUNT=1 (TCG only): the guest's clock counts the instructions it
	# executes, 1 ns each, so that a time measured in the guest is a
	# count of guest instructions, the same on every run and host.
	if [ "$accel" = tcg ] && [ "${ICOUNT:-0}" = 1 ]; then
		# shellcheck disable=SC2054 # the comma is QEMU's
		cmd+=(-icount shift=0,sleep=off)
	fi
	printf '%s\0' "${cmd[@]}"
}

# Boot with init=/bin/true under KVM: it works if the kernel reaches init.
kvm_boots() {
	local -a cmd
	[ -r /dev/kvm ] && [ -w /dev/kvm ] || return 1
	mapfile -d '' cmd < <(qemu_cmd kvm init=/bin/true)
	timeout -k 2 "$KVM_PROBE_TIMEOUT" "${cmd[@]}" </dev/null 2>&1 |
		grep -q 'Run /bin/true as init process'
}

pick_accel() {
	local cache
	case "${ACCEL:-auto}" in
	tcg|kvm) echo "$ACCEL"; return ;;
	auto) ;;
	*) die "ACCEL=$ACCEL: use auto, tcg or kvm" ;;
	esac
	# One probe per host boot, kernel and command line is enough.
	cache=$BUILD/accel.$( { cat /proc/sys/kernel/random/boot_id; qemu_cmd kvm;
		stat -c %Y "$KOBJ/$KERNEL_IMAGE"; } | sha256sum | cut -c1-16)
	if [ ! -s "$cache" ]; then
		mkdir -p "$BUILD"
		if kvm_boots; then echo kvm; else echo tcg; fi >"$cache"
	fi
	cat "$cache"
}

[ $# -ge 2 ] || die "usage: qemu.sh RESULTS_DIR INIT [ARG...]"
results=$(cd "$1" && pwd)
init=$2
shift 2
[ -f "$KOBJ/$KERNEL_IMAGE" ] || die "no kernel at $KOBJ/$KERNEL_IMAGE: run 'make build'"
if [ "$GUEST_ROOT" != / ]; then
	[ -x "$GUEST_ROOT/sbin/mm-host-init" ] || die "no guest root in $GUEST_ROOT: run 'make ARCH=$ARCH rootfs'"
	set -- "$init" "$@"
	init=/sbin/mm-host-init
fi
accel=$(pick_accel)
log "booting $KOBJ/$KERNEL_IMAGE under $accel (${QEMU_MEM%%,*} RAM, ${QEMU_SMP%%,*} CPUs, timeout ${QEMU_TIMEOUT}s)"
if [ "$accel" = tcg ] && [ "${ICOUNT:-0}" = 1 ]; then
	echo "tcg -icount shift=0" >"$results/accel"
else
	echo "$accel" >"$results/accel"
fi
read -r -a extra <<<"${KERNEL_ARGS:-}"
mapfile -d '' cmd < <(qemu_cmd "$accel" "${GUEST_KERNEL_ARGS[@]}" "${extra[@]}" init="$init" -- "$@")
cmd+=(-virtfs "local,id=results,path=$results,mount_tag=results,security_model=none")
# The command line, for the record and to re-run by hand.
printf '%q ' "${cmd[@]}" | sed 's/ $/\n/' >"$results/qemu.cmd"
[ "${VERBOSE:-}" != 1 ] || log "QEMU command line: $(cat "$results/qemu.cmd")"
rc=0
if [ "${QEMU_INTERACTIVE:-}" = 1 ]; then
	# make shell: the terminal is the guest's console.
	timeout --foreground -k 10 "$QEMU_TIMEOUT" "${cmd[@]}" || rc=$?
	if [ -t 0 ]; then stty sane; fi
else
	timeout -k 10 "$QEMU_TIMEOUT" "${cmd[@]}" </dev/null || rc=$?
fi
exit "$rc"
