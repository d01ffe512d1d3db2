# shellcheck shell=bash disable=SC2034,SC2054 # data; the commas are QEMU's
# QEMU parameters for an arm64 guest: data only, read by scripts/lib.sh and
# scripts/qemu.sh.  Cross-built with Debian's gcc-aarch64-linux-gnu, booted
# under TCG (-cpu max; pauth-impdef: QEMU's own pointer-authentication hash,
# much cheaper to emulate than the architected QARMA).
CROSS_COMPILE=aarch64-linux-gnu-
KERNEL_IMAGE=arch/arm64/boot/Image
# The config fragments of this guest (config/ARCH.config: its own options).
GUEST_FRAGMENTS="config/guest.config config/arm64.config"
# Options of the fragments (upstream's mm selftest fragment among them) that
# arm64 does not have in v7.3: check-config.sh lets them go, naming them.
CONFIG_ABSENT="MEM_SOFT_DIRTY"
# Debian's packages the host needs for this guest (scripts/deps.sh).
GUEST_DEPS=(gcc-aarch64-linux-gnu qemu-system-arm qemu-efi-aarch64 mmdebstrap)
# The guest's root: Debian bookworm's arm64 packages, unpacked by
# scripts/build-rootfs.sh; the host's root is mounted on /host in it.
DEBIAN_ARCH=arm64
GUEST_ROOT=$BUILD/rootfs-arm64
QEMU_BIN=qemu-system-aarch64
# UEFI firmware (EDK2) boots the kernel given with -kernel and gives it ACPI
# tables: QEMU describes NVDIMMs only in ACPI's NFIT, never in the device tree.
QEMU_MACHINE=(-machine virt,nvdimm=on,gic-version=3 -bios /usr/share/qemu-efi-aarch64/QEMU_EFI.fd)
QEMU_CPU_TCG=(-cpu max,pauth-impdef=on)
QEMU_CPU_KVM=(-cpu host)
QEMU_CONSOLE=ttyAMA0
# 7 GiB of RAM; the NVDIMMs are memory devices, in slots above it.
QEMU_MEM=7G,slots=4,maxmem=16G
QEMU_SMP=2,sockets=2,cores=1,threads=1
# One NUMA node: EDK2 (Debian's 2022.11) marks the flash that holds its
# variables as write-combining runtime MMIO, arm64's EFI code counts such a
# region as memory, no node of ACPI's SRAT covers it, and the kernel falls
# back to one node ("NUMA: no nodes coverage for 64MB"), so two -numa nodes
# would only be a fake.  The tests that need two nodes say so and skip.
QEMU_NUMA=()
# The pmem of the x86_64 guest's memmap= ranges, as four NVDIMMs in the same
# order and sizes: pmem0 (1 GiB) for ext4 -o dax, pmem1-3 for device-dax at
# 2 MiB, 4 KiB and 1 GiB alignment (arm64 has no PUD-sized THP: device-dax
# refuses 1 GiB, and guest-init.sh's setup.log says so).
# Without labels: each region has one namespace, which guest-init.sh turns
# into fsdax or devdax mode (NFIT pmem has no struct pages in raw mode).
QEMU_DEVICES=(-object memory-backend-ram,id=nvmem0,size=1G -device nvdimm,id=nvdimm0,memdev=nvmem0
	-object memory-backend-ram,id=nvmem1,size=1G -device nvdimm,id=nvdimm1,memdev=nvmem1
	-object memory-backend-ram,id=nvmem2,size=256M -device nvdimm,id=nvdimm2,memdev=nvmem2
	-object memory-backend-ram,id=nvmem3,size=3G -device nvdimm,id=nvdimm3,memdev=nvmem3)
# acpi=force: the firmware gives both a device tree and ACPI; the NVDIMMs are
# only in ACPI.  Huge pages and panics as on x86_64.
GUEST_KERNEL_ARGS=(acpi=force hugepagesz=2M hugepages=512
	transparent_hugepage=madvise hung_task_panic=1 softlockup_panic=1)
