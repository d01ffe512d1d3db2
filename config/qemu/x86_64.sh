# shellcheck shell=bash disable=SC2034
# QEMU parameters for an x86_64 guest: data only, read by scripts/qemu.sh.
QEMU_BIN=qemu-system-x86_64
KERNEL_IMAGE=arch/x86/boot/bzImage
# qboot boots faster than SeaBIOS and leaves the terminal alone.
QEMU_MACHINE=(-machine pc -bios /usr/share/qemu/qboot.rom)
QEMU_CPU_TCG=(-cpu max)
QEMU_CPU_KVM=(-cpu host)
QEMU_CONSOLE=ttyS0
QEMU_MEM=${QEMU_MEM:-8G}
QEMU_SMP=${QEMU_SMP:-2}
# Two emulated pmem ranges above 4 GiB (below it they collide with the PCI hole):
# pmem0 for ext4 -o dax, pmem1 for device-dax.  Huge pages reserved at boot.
GUEST_KERNEL_ARGS=(memmap=1G!5G memmap=1G!7G hugepagesz=2M hugepages=512
	transparent_hugepage=madvise)
