#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the patched work tree for arm64 with Debian's gcc-aarch64-linux-gnu and
# config/arm64.config (THP, userfaultfd, the walkers this series touches), in
# $BUILD/obj-arm64.  Only that fragment is checked: upstream's mm selftest
# fragment also asks for x86-only options (MEM_SOFT_DIRTY, GUP_TEST's deps).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

export GUEST_ARCH=arm64 KOBJ=$BUILD/obj-arm64 FRAGMENTS=config/arm64.config
export CHECK_FRAGMENTS=$TOP/config/arm64.config
command -v aarch64-linux-gnu-gcc >/dev/null ||
	die "aarch64-linux-gnu-gcc is missing: apt-get install gcc-aarch64-linux-gnu"
"$TOP/scripts/config.sh"
"$TOP/scripts/build-kernel.sh"
