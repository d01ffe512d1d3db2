# shellcheck shell=bash disable=SC2034,SC2054 # data; the commas are QEMU's
# QEMU parameters for an x86_64 guest: data only, read by scripts/lib.sh and
# scripts/qemu.sh.
QEMU_BIN=qemu-system-x86_64
# Built natively: the hosts are x86_64 (an environment's CROSS_COMPILE is not read).
CROSS_COMPILE=
KERNEL_IMAGE=arch/x86/boot/bzImage
# The config fragments of this guest (config/ARCH.config: its own options).
GUEST_FRAGMENTS="config/guest.config config/x86_64.config"
# The guest's root is the host's own (read-only over virtio-9p): no GUEST_ROOT.
# Debian's packages the host needs for this guest (scripts/deps.sh): QEMU, qboot.
GUEST_DEPS=(qemu-system-x86 qemu-system-data)
# qboot boots faster than SeaBIOS and leaves the terminal alone.
QEMU_MACHINE=(-machine pc -bios /usr/share/qemu/qboot.rom)
QEMU_CPU_TCG=(-cpu max)
QEMU_CPU_KVM=(-cpu host)
QEMU_CONSOLE=ttyS0
QEMU_MEM=12G
QEMU_SMP=2,sockets=2,cores=1,threads=1
# Two NUMA nodes (mbind, migration and numa_maps need more than one), a CPU each.
QEMU_NUMA=(-object memory-backend-ram,id=mem0,size=4G -numa node,nodeid=0,cpus=0,memdev=mem0
	-object memory-backend-ram,id=mem1,size=8G -numa node,nodeid=1,cpus=1,memdev=mem1)
# Emulated pmem ranges above 4 GiB (below it they collide with the PCI hole),
# apart so that they stay separate regions: pmem0 for ext4 -o dax, pmem1-3
# for device-dax at 2 MiB, 4 KiB and 1 GiB alignment (1 GiB needs 3 GiB for two
# aligned units).  They leave node 1 with 2.75 GiB of RAM, node 0 with 4 GiB.
# Huge pages reserved at boot.
# A hung task or soft lockup panics (the report is printed first): the run ends
# at once instead of idling until QEMU's timeout.
# No devices beyond the root, results and console (the pmem is memmap= RAM).
QEMU_DEVICES=()
GUEST_KERNEL_ARGS=(memmap=1G!5G memmap=1G!7G memmap=256M!8448M memmap=3G!9G hugepagesz=2M hugepages=512
	transparent_hugepage=madvise hung_task_panic=1 softlockup_panic=1)
