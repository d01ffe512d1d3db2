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
SERIES_BRANCH=${SERIES_BRANCH:-mm-fault-walk-uffd}
DEBUG_INFO=${DEBUG_INFO:-1}
# The series: quilt's layout, a series file naming files in the patches directory,
# one subdirectory per posting (patches/NN-name/, with its 0000-cover-letter.patch).
SERIES=${SERIES:-$TOP/series}
PATCHES=${PATCHES:-$TOP/patches}
# The postings, in order, with the postings each applies on top of.
POSTINGS=${POSTINGS:-$TOP/postings}
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mm-series}

# The pinned base: Debian's linux-source-7.3 package.
readonly BASE_PKG=linux-source-7.3
readonly BASE_VERSION='7.3.4-1~bpo13+1'
# The suite that serves it (fetch-base-deb.sh pins it privately).
readonly BASE_SUITE=trixie-backports
# The upstream release it is (a user's own tree: KSRC=... BASE=$BASE_UPSTREAM).
readonly BASE_UPSTREAM=v7.3.4
readonly BASE_DEB_NAME="${BASE_PKG}_${BASE_VERSION}_all.deb"
SHARED_BASE=${SHARED_BASE:-$TOP/../shared/base}

PROG=$(basename "$0")

log() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() { log "error: $*"; exit "${DIE_CODE:-$EXIT_SETUP}"; }

# The guest's architecture is GUEST_ARCH (make ARCH=... on make's command line
# sets it), one of config/qemu/*.sh, whose data this loads.  ARCH and
# CROSS_COMPILE from the caller's environment are never read: a kernel
# developer's exported ARCH=x86 or CROSS_COMPILE must not change the guest.
ARCH=${GUEST_ARCH:-x86_64}
if [[ ! $ARCH =~ ^[a-z0-9_]+$ ]] || [ ! -f "$TOP/config/qemu/$ARCH.sh" ]; then
	die "ARCH=$ARCH: the guest architectures are those of config/qemu/: $(find "$TOP/config/qemu" -name '*.sh' -printf '%f\n' | sed 's/\.sh$//' | sort | tr '\n' ' ')"
fi
# LLVM=1 and LLVM_IAS are kbuild's too: the guest is built with gcc.
unset CROSS_COMPILE LLVM LLVM_IAS
# The architecture's data below, never the environment's.
unset GUEST_FRAGMENTS GUEST_ROOT GUEST_DEPS DEBIAN_ARCH CONFIG_ABSENT QEMU_DEVICES
# shellcheck source=../config/qemu/x86_64.sh
. "$TOP/config/qemu/$ARCH.sh"
# Each architecture's kernel objects and kselftests in their own directories.
if [ "$ARCH" = x86_64 ]; then
	KOBJ=${KOBJ:-$BUILD/obj} KSELFTEST_OUT=$BUILD/kselftest
else
	KOBJ=${KOBJ:-$BUILD/obj-$ARCH} KSELFTEST_OUT=$BUILD/kselftest-$ARCH
fi
# The guest's root: the host's own, or one built for the architecture.
GUEST_ROOT=${GUEST_ROOT:-/}
# The guest's config fragments, in merge order: the architecture's, then the
# mm ones (KASAN=1 adds config/kasan.config; config/debuginfo.config is in
# unless DEBUG_INFO=0).
DEFAULT_FRAGMENTS="$GUEST_FRAGMENTS config/mm.config config/fstests.config config/debug.config${KASAN:+ config/kasan.config}$([ "$DEBUG_INFO" = 0 ] || echo ' config/debuginfo.config')"

# x86_64_only WHAT: refuse another architecture for a step that has only been
# made for the x86_64 guest (its own object directories, host-built programs).
x86_64_only() {
	[ "$ARCH" = x86_64 ] || die "ARCH=$ARCH: $1 runs for the x86_64 guest only"
}

# The harness's own switches: refuse a value that would silently mean something else.
check_switch() {
	local name=$1 val=$2
	shift 2
	[[ " $* " == *" $val "* ]] || die "$name=$val: use one of: $(printf '"%s" ' "$@")"
}
check_switch KASAN "${KASAN:-}" '' 1
check_switch DEBUG_INFO "$DEBUG_INFO" 0 1
check_switch ICOUNT "${ICOUNT:-0}" 0 1
check_switch VERBOSE "${VERBOSE:-}" '' 0 1
check_switch ACCEL "${ACCEL:-auto}" auto tcg kvm

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

# Read $POSTINGS into POSTING_NAMES, and POSTING_CHANGE_ID[name] and
# POSTING_NEEDS[name] (space-separated): one line per posting, "NN-name
# change-id [posting...]", the postings it needs named in full (the closure:
# what a needed posting needs is listed too) and earlier in the file.
load_postings() {
	local name cid needs n k needs_list
	POSTING_NAMES=()
	declare -gA POSTING_CHANGE_ID=() POSTING_NEEDS=()
	[ -f "$POSTINGS" ] || die "no $POSTINGS: the postings file lists the series' postings"
	while read -r name cid needs; do
		case "$name" in ''|'#'*) continue ;; esac
		[[ $name =~ ^[0-9][0-9]-[a-z0-9][a-z0-9.-]*$ ]] ||
			die "$POSTINGS: '$name' is not a posting name (NN-words-with-dashes)"
		[[ $cid =~ ^[0-9]{8}-[a-z0-9-]+-[0-9a-f]{12}$ ]] ||
			die "$POSTINGS: $name: '$cid' is not a b4 change-id (YYYYMMDD-slug-hex12)"
		[ -z "${POSTING_CHANGE_ID[$name]:-}" ] || die "$POSTINGS: $name is listed twice"
		for n in $needs; do
			[ -n "${POSTING_CHANGE_ID[$n]:-}" ] ||
				die "$POSTINGS: $name needs $n, which is not an earlier posting"
			for k in ${POSTING_NEEDS[$n]}; do
				[[ " $needs " == *" $k "* ]] ||
					die "$POSTINGS: $name needs $n, which needs $k: list $k for $name too"
			done
		done
		POSTING_NAMES+=("$name")
		POSTING_CHANGE_ID[$name]=$cid
		read -r -a needs_list <<<"$needs"
		POSTING_NEEDS[$name]=${needs_list[*]}
	done <"$POSTINGS"
}

# The work tree's branch that ends at a posting's last commit.
posting_branch() { echo "posting/$1"; }

# The series entries (patch files, relative to $PATCHES) of posting $1, in order.
posting_entries() {
	local e
	for e in "${SERIES_ENTRIES[@]}"; do
		if [ "${e%%/*}" = "$1" ]; then echo "$e"; fi
	done
}

# posting_ranges REPO: check that REPO's posting branches cut base..HEAD into
# consecutive, non-empty pieces in the order of $POSTINGS, and set
# POSTING_FIRST[name] (the commit the posting starts after) and
# POSTING_TIP[name].  load_postings first.
posting_ranges() {
	local repo=$1 prev name b t
	declare -gA POSTING_FIRST=() POSTING_TIP=()
	prev=$(git_plain -C "$repo" rev-parse 'base^{commit}')
	for name in "${POSTING_NAMES[@]}"; do
		b=$(posting_branch "$name")
		t=$(git_plain -C "$repo" rev-parse -q --verify "refs/heads/$b^{commit}") ||
			die "$repo has no branch $b (postings lists $name): 'make apply' makes them"
		if [ "$(git_plain -C "$repo" rev-list --count "$prev..$t")" -eq 0 ] ||
			[ "$(git_plain -C "$repo" rev-list --count "$t..$prev")" -ne 0 ]; then
			die "$b is not a non-empty continuation of the posting before it: rebase with --update-refs keeps the posting branches in place"
		fi
		POSTING_FIRST[$name]=$prev
		POSTING_TIP[$name]=$t
		prev=$t
	done
	[ "$(git_plain -C "$repo" rev-parse HEAD)" = "$prev" ] ||
		die "HEAD of $repo does not end where $(posting_branch "${POSTING_NAMES[-1]}") ends: move the posting branch (git branch -f), or put the commits into a posting"
}

# posting_b4_lines REPO NAME: the lines that end posting NAME's cover letter,
# as b4 writes them: the base, the posting's change-id, and for each posting it
# needs its change-id and the patch-id of each of its patches.  posting_ranges first.
posting_b4_lines() {
	local repo=$1 name=$2 need c
	echo "base-commit: $(git_plain -C "$repo" rev-parse 'base^{commit}')"
	echo "change-id: ${POSTING_CHANGE_ID[$name]}"
	for need in ${POSTING_NEEDS[$name]}; do
		echo "prerequisite-change-id: ${POSTING_CHANGE_ID[$need]}:v1"
	done
	for need in ${POSTING_NEEDS[$name]}; do
		for c in $(git_plain -C "$repo" rev-list --reverse "${POSTING_FIRST[$need]}..${POSTING_TIP[$need]}"); do
			echo "prerequisite-patch-id: $(git_plain -C "$repo" show "$c" | git_plain patch-id --stable | cut -d' ' -f1)"
		done
	done
}

# kmake SRC OBJ ARGS...: the kernel's make, out of tree, with ccache, for $ARCH.
# ccache's base_dir makes paths under the repository relative, so that another
# clone of it (CI's), or the base tree beside the work tree, hits the same cache.
# With debug info (-g) ccache also hashes the working directory, which differs
# between those trees; CCACHE_NOHASHDIR leaves it out (an object from the cache
# may then name the other tree as its DWARF comp_dir: addr2line's file:line,
# all run-tests.sh decodes, is the same).
kmake() {
	local src=$1 obj=$2
	shift 2
	CCACHE_BASEDIR=$TOP CCACHE_NOHASHDIR=1 make -C "$src" O="$obj" ARCH="$ARCH" ${CROSS_COMPILE:+CROSS_COMPILE=$CROSS_COMPILE} \
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

# field KEY FILE: the value of the first "KEY=value" line of FILE (the format
# of setup, meta and build-record files); empty when there is none or no FILE.
field() {
	awk -v k="$1=" 'index($0, k) == 1 { print substr($0, length(k) + 1); exit }' "$2" 2>/dev/null || true
}

# Seconds since the epoch, for timing steps.
now() { date +%s; }

# Checksums of the pinned base: the .deb as the archive serves it, and the
# tarball inside it (for users who supply the tarball alone).
readonly BASE_DEB_SHA256=703e369ddd4cce971452f5a593ee55df3a5c10c83caf0fa0df039633ed181ee3
readonly BASE_TAR_SHA256=76df1affb19f24926949369be1d74b60071c963c598ce8780bddd4bbf0fc3bc4

# tree_id DIR [FILE...]: one hash of a git tree's HEAD, its uncommitted
# changes, its untracked files (but the selftests' generated local_config.*)
# and FILEs, to tell whether what was built from it is stale.  TREE_PATHS
# (pathspecs) limits it to part of the tree.
tree_id() {
	local dir=$1 paths
	shift
	read -r -a paths <<<"${TREE_PATHS:-.}"
	{
		git_plain -C "$dir" rev-parse HEAD
		git_plain -C "$dir" diff HEAD --binary -- "${paths[@]}"
		git_plain -C "$dir" ls-files -z -o -- "${paths[@]}" ':!:*local_config.*' |
			xargs -0r -I{} sha256sum -- "$dir/{}"
		if [ $# -gt 0 ]; then cat -- "$@"; fi
	} | sha256sum | cut -c1-16
}

# build_record TREE_ID [FILE...]: what a build is made from, as key=value
# lines: the work tree, its HEAD, whether it has uncommitted changes, whether
# it is the series as exported (HEAD as the last apply or export left it, and
# patches/ and series as committed in this repository), and TREE_ID (tree_id
# taken before the build, so that an edit made during it counts as unbuilt).
build_record() {
	local head dirty=0 exported=0
	head=$(git_plain -C "$WORKTREE" rev-parse HEAD)
	git_plain -C "$WORKTREE" diff --quiet HEAD || dirty=1
	if [ "$dirty" = 0 ] && [ "$head" = "$(cat "$BUILD/applied.head" 2>/dev/null)" ] &&
		git_plain -C "$TOP" diff --quiet HEAD -- series patches postings &&
		[ -z "$(git_plain -C "$TOP" ls-files -o --exclude-standard -- patches)" ]; then
		exported=1
	fi
	echo "src=$(realpath "$WORKTREE")"
	echo "head=$head"
	echo "subject=$(git_plain -C "$WORKTREE" log -1 --format=%s HEAD)"
	echo "commits_on_base=$(git_plain -C "$WORKTREE" rev-list --count base..HEAD 2>/dev/null || echo '?')"
	echo "uncommitted=$dirty"
	echo "exported=$exported"
	echo "tree=$1"
	echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
}

# record_stale RECORD [FILE...]: true if what RECORD was built from changed
# (the work tree's HEAD, its uncommitted and untracked files, FILEs), or if
# there is no record (a build from before records were kept: kbuild makes a
# rebuild of an unchanged tree cheap).  False for a build of another tree
# (the base's, say): that is not rebuilt from this one.
record_stale() {
	local rec=$1 src
	shift
	if [ ! -f "$rec" ]; then
		log "no $rec: building"
		return 0
	fi
	src=$(field src "$rec")
	if [ "$src" != "$(realpath "$WORKTREE")" ]; then
		log "$(dirname "$rec") was built from $src, not $WORKTREE: not rebuilt"
		return 1
	fi
	if [ "$(tree_id "$WORKTREE" "$@")" = "$(field tree "$rec")" ]; then
		log "$(dirname "$rec") is up to date with $WORKTREE"
		return 1
	fi
	log "$WORKTREE changed since $(dirname "$rec") was built: rebuilding"
}

# taint_flags N: the kernel's letters for the taint bits in N, each with its
# name (Documentation/admin-guide/tainted-kernels.rst), e.g. "W (WARN)".
taint_flags() {
	local n=$1 bit flags=()
	local names=("P (PROPRIETARY_MODULE)" "F (FORCED_MODULE)" "S (CPU_OUT_OF_SPEC)"
		"R (FORCED_RMMOD)" "M (MACHINE_CHECK)" "B (BAD_PAGE)" "U (USER)" "D (DIE)"
		"A (OVERRIDDEN_ACPI_TABLE)" "W (WARN)" "C (CRAP)" "I (FIRMWARE_WORKAROUND)"
		"O (OOT_MODULE)" "E (UNSIGNED_MODULE)" "L (SOFTLOCKUP)" "K (LIVEPATCH)"
		"X (AUX)" "T (RANDSTRUCT)" "N (TEST)" "J (FWCTL)")
	for bit in "${!names[@]}"; do
		if (( n >> bit & 1 )); then flags+=("${names[$bit]}"); fi
	done
	(( n >> ${#names[@]} == 0 )) || flags+=("unknown bits $(( n >> ${#names[@]} << ${#names[@]} ))")
	printf '%s\n' "${flags[@]}" | paste -sd, | sed 's/,/, /g'
}
