#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the harness needs (only those missing), those the
# guest's architecture needs (GUEST_DEPS of config/qemu/ARCH.sh: its cross
# compiler, QEMU and firmware), and any given as arguments.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

packages=(
	# kernel build
	build-essential flex bison bc libelf-dev libssl-dev cpio kmod ccache python3 rsync xz-utils
	# kselftests (liburing: the io_uring cases of cow and gup_longterm)
	libcap-dev libnuma-dev liburing-dev
	# guest: what the x86_64 guest runs from the host's root (QEMU: GUEST_DEPS)
	busybox-static e2fsprogs ndctl daxctl util-linux procps
	# series tooling: quilt, checkpatch's codespell and spdxcheck (ply, git), sparse, b4
	git quilt shellcheck codespell python3-ply python3-git sparse b4
	"${GUEST_DEPS[@]}" "$@"
)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
log "installing: ${missing[*]}"
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
