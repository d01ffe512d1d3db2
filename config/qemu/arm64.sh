# shellcheck shell=bash disable=SC2034 # data
# arm64: cross-built only (make cross), never booted here.
CROSS_COMPILE=aarch64-linux-gnu-
KERNEL_IMAGE=arch/arm64/boot/Image
