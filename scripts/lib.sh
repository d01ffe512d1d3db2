# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# Shared definitions for the scripts in this directory: paths, messages, exit codes.
# Source it; it sets no shell options of its own.

# Exit codes, the same for every script that boots or judges a run.
readonly EXIT_OK=0
readonly EXIT_TEST_FAILED=1
readonly EXIT_SPLAT=2
readonly EXIT_TIMEOUT=3
readonly EXIT_SETUP=4

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$(realpath -m "${BUILD:-$TOP/build}")
# The kernel work tree (a git clone of the base) and the out-of-tree objects.
WORKTREE=${WORKTREE:-$BUILD/linux}
KOBJ=${KOBJ:-$BUILD/obj}
SERIES_BRANCH=${SERIES_BRANCH:-mm-fault-walk-uffd}
# The guest's config fragments, in merge order (KASAN=1 adds config/kasan.config).
DEFAULT_FRAGMENTS="config/guest.config config/mm.config config/debug.config${KASAN:+ config/kasan.config}"
# The series: quilt's layout, a series file naming files in the patches directory.
SERIES=${SERIES:-$TOP/series}
PATCHES=${PATCHES:-$TOP/patches}
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mm-series}
ARCH=${ARCH:-x86_64}

# The pinned base: Debian's linux-source-7.3 package.
readonly BASE_PKG=linux-source-7.3
readonly BASE_VERSION='7.3~rc7-1~exp1'
readonly BASE_DEB_NAME="${BASE_PKG}_${BASE_VERSION}_all.deb"
SHARED_BASE=${SHARED_BASE:-$TOP/../shared/base}

PROG=$(basename "$0")

log() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() { log "error: $*"; exit "${DIE_CODE:-$EXIT_SETUP}"; }

# git with no user or system configuration, so that output is the same everywhere.
git_plain() {
	GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 git "$@"
}

# The identity that owns the series until a real author takes over.
readonly SEED_NAME='Seed e169f240'
readonly SEED_EMAIL='e169f240@seed.invalid'

# Read $SERIES into the array SERIES_ENTRIES (patch file names, in order):
# comments and blank lines dropped, a "-p1" option accepted, anything else refused.
load_series() {
	local name opt rest
	SERIES_ENTRIES=()
	[ -f "$SERIES" ] || return 0
	while read -r name opt rest; do
		case "$name" in ''|'#'*) continue ;; esac
		if [ -n "$rest" ] || { [ -n "$opt" ] && [ "$opt" != -p1 ]; }; then
			die "series: unsupported options for $name: $opt $rest (only -p1)"
		fi
		SERIES_ENTRIES+=("$name")
	done <"$SERIES"
}

# kmake SRC OBJ ARGS...: the kernel's make, out of tree, with ccache, for $ARCH.
# ccache's base_dir makes paths under the repository relative, so that another
# clone of it (CI's), or the base tree beside the work tree, hits the same cache.
kmake() {
	local src=$1 obj=$2
	shift 2
	CCACHE_BASEDIR=$TOP make -C "$src" O="$obj" ARCH="$ARCH" ${CROSS_COMPILE:+CROSS_COMPILE=$CROSS_COMPILE} \
		-j"$(nproc)" CC="ccache ${CROSS_COMPILE:-}gcc" "$@"
}

# Refuse to touch a work tree that is not on the series branch or is in the middle
# of a git am or rebase.
require_series_branch() {
	local gitdir head
	gitdir=$(git_plain -C "$WORKTREE" rev-parse --absolute-git-dir)
	if [ -d "$gitdir/rebase-apply" ] || [ -d "$gitdir/rebase-merge" ]; then
		die "a git am or rebase is in progress in $WORKTREE: finish or abort it first"
	fi
	head=$(git_plain -C "$WORKTREE" symbolic-ref -q --short HEAD || echo "a detached HEAD")
	[ "$head" = "$SERIES_BRANCH" ] ||
		die "$WORKTREE is on $head, not on $SERIES_BRANCH: git checkout $SERIES_BRANCH first"
}

# Seconds since the epoch, for timing steps.
now() { date +%s; }

# Checksums of the pinned base: the .deb as the archive serves it, and the
# tarball inside it (for users who supply the tarball alone).
readonly BASE_DEB_SHA256=8bf8ca5ea8b1b307ca698db982ba48d6d223263b4d3dfb1973d055e316c44e75
readonly BASE_TAR_SHA256=d958c61d44f5be4e6c874d860889e3f15a7f1d238c58458e91f685f79f721df1
