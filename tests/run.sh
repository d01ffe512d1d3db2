#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host-only self-tests of the harness (seconds, no kernel build, no boot): apply and
# export round trip, refusals, quilt, base failure modes, config checker, TAP
# summariser, splat scanner, and the verdicts of a run (with a fake QEMU).
# Prints TAP and "N passed, N failed, N skipped"; exit 1 if anything failed.
#
# Usage: tests/run.sh [TEST_NAME...]
# A test function fails by exiting non-zero (fail, expect_*), skips with 77.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
S=$TOP/scripts
DATA=$TOP/tests/data
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Every script under test sees only the temporary paths, never the real build;
# checkpatch.pl is taken from the real work tree when there is one.
REAL_WORKTREE=${WORKTREE:-$(realpath -m "${BUILD:-$TOP/build}")/linux}
export BUILD=$TMP/build CACHE=$TMP/cache SHARED_BASE=$TMP/no-shared-base
export GIT_AUTHOR_NAME=Tester GIT_AUTHOR_EMAIL=tester@example.invalid
export GIT_COMMITTER_NAME=Tester GIT_COMMITTER_EMAIL=tester@example.invalid
# Nor what an outer make passes on (make KASAN=1 check reaches the inner
# makes of these tests through MAKEFLAGS).
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS
unset KSRC BASE TESTS FORCE WORKTREE KOBJ SERIES PATCHES POSTINGS ACCEL VERBOSE \
	GUEST_ARCH ARCH CROSS_COMPILE LLVM LLVM_IAS KASAN DEBUG_INFO ICOUNT RUN_DIR RUN_LINK PLAN KSELFTESTS BENCH_RESULTS RESULTS RESULTS_RUNS \
	REPEAT GUEST_TIME_CAP QEMU_TIMEOUT FAIL_LOG_LINES

fail() { echo "$*"; exit 1; }

# expect_rc WANT CMD...: run CMD, keep its output in $TMP/out, check its status.
expect_rc() {
	local want=$1 rc=0
	shift
	"$@" >"$TMP/cmd.out" 2>&1 || rc=$?
	[ "$rc" -eq "$want" ] || { cat "$TMP/cmd.out"; fail "exit $rc, wanted $want: $*"; }
}
expect_out() { grep -q -e "$1" "$TMP/cmd.out" || { cat "$TMP/cmd.out"; fail "output lacks '$1'"; }; }

# A toy kernel: a git repo with a tagged base, and a series of two one-patch
# postings made from it, the second applying on top of the first.
make_toy() {
	local d=$TMP/toy
	[ -d "$d" ] && return
	git init -q "$d"
	seq 1 40 >"$d/a.c"
	printf 'hello\n' >"$d/README"
	mkdir -p "$d/scripts"
	# The toy's "kernel build" fails when a.c says BROKEN.
	printf 'all:\n\t@! grep -q BROKEN a.c\n' >"$d/Makefile"
	# get_maintainer.pl: maintainers with --m, a list with --l.
	printf '#!/bin/sh\ncase " $* " in *" --m "*) echo "Maint Ainer <maint@example.invalid>" ;;\n*) echo "list@example.invalid" ;; esac\n' \
		>"$d/scripts/get_maintainer.pl"
	chmod +x "$d/scripts/get_maintainer.pl"
	git -C "$d" add -A && git -C "$d" commit -q -m base && git -C "$d" tag v0
	git clone -q "$d" "$TMP/author"
	git -C "$TMP/author" tag base v0
	git -C "$TMP/author" checkout -q -b mm-fault-walk-uffd
	sed -i 's/^10$/ten/' "$TMP/author/a.c"
	git -C "$TMP/author" commit -q -am 'toy: change ten' -m 'Signed-off-by: Tester <tester@example.invalid>'
	printf 'new file\n' >"$TMP/author/new.c"
	sed -i 's/^30$/thirty/' "$TMP/author/a.c"
	git -C "$TMP/author" add -A
	git -C "$TMP/author" commit -q -m 'toy: add new.c' -m 'Signed-off-by: Tester <tester@example.invalid>'
	git -C "$TMP/author" branch posting/01-toy-fix HEAD~1
	git -C "$TMP/author" branch posting/02-toy-feature HEAD
	git -C "$TMP/author" config branch.posting/01-toy-fix.description \
		"$(printf 'toy: a fix\n\nThe cover text.\n\nbase-commit: is not parsed from here')"
	git -C "$TMP/author" config branch.posting/02-toy-feature.description \
		"$(printf 'toy: a feature\n\nIt needs the fix.  User-visible, for linux-api: new.c.')"
	printf '# toy postings\n01-toy-fix  20261206-toy-fix-0123456789ab\n02-toy-feature  20261206-toy-feature-ba9876543210  01-toy-fix\n' \
		>"$TMP/postings"
	mkdir -p "$TMP/series1"
	POSTINGS=$TMP/postings WORKTREE=$TMP/author "$S/export.sh" "$TMP/series1" >/dev/null 2>&1
}

# Run a harness script against the toy: its own work tree, series and base.
toy() {
	KSRC=$TMP/toy BASE=v0 WORKTREE=${WORKTREE:-$TMP/wt} SERIES=${TOY_SERIES:-$TMP/series1/series} \
		PATCHES=${TOY_PATCHES:-$TMP/series1/patches} POSTINGS=${TOY_POSTINGS:-$TMP/postings} "$@"
}

test_export_is_deterministic() {
	make_toy
	POSTINGS=$TMP/postings WORKTREE=$TMP/author "$S/export.sh" "$TMP/again" >/dev/null 2>&1
	diff -r "$TMP/series1" "$TMP/again" || fail "two exports differ"
	[ "$(cat "$TMP/series1/series")" = "$(printf '01-toy-fix/0001-toy-change-ten.patch\n02-toy-feature/0001-toy-add-new.c.patch')" ] ||
		fail "series file: $(cat "$TMP/series1/series")"
	local p=$TMP/series1/patches fix feature
	grep -q '^From 0000000000000000000000000000000000000000' "$p/01-toy-fix/0001-toy-change-ten.patch" ||
		fail "commit id not zeroed"
	grep -q "^base-commit: $(git -C "$TMP/toy" rev-parse v0)" "$p/01-toy-fix/0000-cover-letter.patch" ||
		fail "no base-commit in the cover letter"
	grep -q '^change-id: 20261206-toy-fix-0123456789ab$' "$p/01-toy-fix/0000-cover-letter.patch" ||
		fail "no change-id in the cover letter"
	! grep -q '^prerequisite-' "$p/01-toy-fix/0000-cover-letter.patch" || fail "a posting that needs none has prerequisites"
	grep -q '^Subject: \[PATCH 0/1\] toy: a fix' "$p/01-toy-fix/0000-cover-letter.patch" ||
		fail "cover letter subject is not the posting branch's description"
	grep -q '^Subject: \[PATCH 0/1\] toy: a feature' "$p/02-toy-feature/0000-cover-letter.patch" ||
		fail "second cover letter subject is not its posting branch's description"
	# The posting that needs another records it as b4 does: its change-id and
	# the patch-id of each of its patches.
	fix=$(git -C "$TMP/author" show posting/01-toy-fix | git patch-id --stable | cut -d' ' -f1)
	feature=$p/02-toy-feature/0000-cover-letter.patch
	grep -q '^prerequisite-change-id: 20261206-toy-fix-0123456789ab:v1$' "$feature" || fail "no prerequisite-change-id"
	grep -q "^prerequisite-patch-id: $fix$" "$feature" || fail "no prerequisite-patch-id of the fix"
	! grep -q '^-- $' "$p"/*/*.patch || fail "a signature was exported"
}

test_export_refuses_commits_outside_the_postings() {
	make_toy
	git clone -q "$TMP/author" "$TMP/author-out"
	git -C "$TMP/author-out" tag base v0
	git -C "$TMP/author-out" checkout -q mm-fault-walk-uffd
	git -C "$TMP/author-out" branch -q posting/01-toy-fix origin/posting/01-toy-fix
	git -C "$TMP/author-out" branch -q posting/02-toy-feature origin/posting/02-toy-feature
	echo more >>"$TMP/author-out/new.c"
	git -C "$TMP/author-out" commit -q -am 'toy: after the last posting'
	POSTINGS=$TMP/postings WORKTREE=$TMP/author-out expect_rc 4 "$S/export.sh" "$TMP/out"
	expect_out 'does not end where posting/02-toy-feature ends'
	# Two postings in the wrong order are caught.
	git -C "$TMP/author-out" branch -q -f posting/02-toy-feature posting/01-toy-fix
	git -C "$TMP/author-out" branch -q -f posting/01-toy-fix HEAD
	POSTINGS=$TMP/postings WORKTREE=$TMP/author-out expect_rc 4 "$S/export.sh" "$TMP/out"
	expect_out 'posting/02-toy-feature is not a non-empty continuation'
}

test_postings_file_is_checked() {
	make_toy
	printf '01-a  20261206-a-0123456789ab  02-b\n02-b  20261206-b-0123456789ab\n' >"$TMP/postings-late"
	TOY_POSTINGS=$TMP/postings-late WORKTREE=$TMP/wt-pf expect_rc 4 toy "$S/apply.sh"
	expect_out '01-a needs 02-b, which is not an earlier posting'
	printf '01-a  20261206-a-0123456789ab\n02-b  20261206-b-0123456789ab  01-a\n03-c  20261206-c-0123456789ab  02-b\n' \
		>"$TMP/postings-open"
	TOY_POSTINGS=$TMP/postings-open WORKTREE=$TMP/wt-pf expect_rc 4 toy "$S/apply.sh"
	expect_out '03-c needs 02-b, which needs 01-a: list 01-a for 03-c too'
	printf '01-a  not-a-change-id\n' >"$TMP/postings-cid"
	TOY_POSTINGS=$TMP/postings-cid WORKTREE=$TMP/wt-pf expect_rc 4 toy "$S/apply.sh"
	expect_out 'is not a b4 change-id'
	# The series must list the postings' patches, posting by posting.
	printf '01-toy-fix  20261206-toy-fix-0123456789ab\n' >"$TMP/postings-one"
	TOY_POSTINGS=$TMP/postings-one WORKTREE=$TMP/wt-pf expect_rc 4 toy "$S/apply.sh"
	expect_out 'which postings does not list'
}

test_check_postings_applies_each_on_its_declared_base() {
	make_toy
	# A feature that changes the fix's line: it applies only on top of the fix.
	git clone -q "$TMP/author" "$TMP/author-dep"
	git -C "$TMP/author-dep" tag base v0
	git -C "$TMP/author-dep" checkout -q mm-fault-walk-uffd
	git -C "$TMP/author-dep" reset -q --hard HEAD~1
	sed -i 's/^ten$/TEN/' "$TMP/author-dep/a.c"
	git -C "$TMP/author-dep" commit -q -am 'toy: shout ten' -m 'Cc: stable@vger.kernel.org' \
		-m 'Signed-off-by: Tester <tester@example.invalid>'
	git -C "$TMP/author-dep" branch -q posting/01-toy-fix origin/posting/01-toy-fix
	git -C "$TMP/author-dep" branch -q posting/02-toy-feature HEAD
	git -C "$TMP/author-dep" config branch.posting/01-toy-fix.description 'toy: a fix'
	git -C "$TMP/author-dep" config branch.posting/02-toy-feature.description 'toy: shout'
	POSTINGS=$TMP/postings WORKTREE=$TMP/author-dep "$S/export.sh" "$TMP/series-dep" >/dev/null 2>&1
	TOY_SERIES=$TMP/series-dep/series TOY_PATCHES=$TMP/series-dep/patches WORKTREE=$TMP/wt-dep \
		expect_rc 0 toy "$S/apply.sh"
	# Declared on top of the fix: applies; but it is marked for stable and
	# does not apply to the base by itself.
	TOY_SERIES=$TMP/series-dep/series TOY_PATCHES=$TMP/series-dep/patches WORKTREE=$TMP/wt-dep \
		expect_rc 1 toy "$S/check-postings.sh"
	expect_out '02-toy-feature: 1 patches apply onto the base + 01-toy-fix'
	expect_out '02-toy-feature/0001-toy-shout-ten.patch: FAIL: marked for stable'
	# Declared on the base alone: it does not apply.
	printf '01-toy-fix  20261206-toy-fix-0123456789ab\n02-toy-feature  20261206-toy-feature-ba9876543210\n' \
		>"$TMP/postings-alone"
	TOY_SERIES=$TMP/series-dep/series TOY_PATCHES=$TMP/series-dep/patches WORKTREE=$TMP/wt-dep \
		TOY_POSTINGS=$TMP/postings-alone expect_rc 1 toy "$S/check-postings.sh"
	expect_out '02-toy-feature: FAIL: does not apply onto the base: toy: shout ten'
	# The toy series as it is: both apply, and build (with a toy build).
	WORKTREE=$TMP/wt-cp expect_rc 0 toy "$S/apply.sh"
	# shellcheck disable=SC2016 # expanded by check-postings.sh
	KBUILD_CMD='make -s -C "$WORKTREE"' BUILD=$TMP/build-cp WORKTREE=$TMP/wt-cp \
		expect_rc 0 toy "$S/check-postings.sh" build
	expect_out '02-toy-feature: builds on the base + 01-toy-fix'
	expect_out '2 postings apply and build on their declared bases'
}

test_apply_export_round_trip() {
	make_toy
	expect_rc 0 toy "$S/apply.sh"
	[ "$(git -C "$TMP/wt" rev-parse --abbrev-ref HEAD)" = mm-fault-walk-uffd ] || fail "wrong branch"
	toy "$S/export.sh" "$TMP/exported" >/dev/null 2>&1
	diff -r "$TMP/series1" "$TMP/exported" || fail "apply then export changed the series"
	# Applying again is a no-op that keeps the work tree as it is.
	expect_rc 0 toy "$S/apply.sh"
	expect_out 'already holds the series'
}

# A posting whose directory name ends in -rfc is exported as [RFC PATCH n/m],
# and apply gives its branch back the description without the prefix: apply
# then export is the identity for it too.
test_export_marks_an_rfc_posting() {
	make_toy
	git clone -q "$TMP/author" "$TMP/author-rfc"
	git -C "$TMP/author-rfc" tag -f base v0 >/dev/null
	git -C "$TMP/author-rfc" checkout -q mm-fault-walk-uffd
	git -C "$TMP/author-rfc" branch -q posting/01-toy-fix origin/posting/01-toy-fix
	git -C "$TMP/author-rfc" config branch.posting/01-toy-fix.description \
		"$(git -C "$TMP/author" config branch.posting/01-toy-fix.description)"
	git -C "$TMP/author-rfc" branch -q posting/02-toy-feature-rfc origin/posting/02-toy-feature
	git -C "$TMP/author-rfc" config branch.posting/02-toy-feature-rfc.description \
		"$(printf 'toy: a feature\n\nFor comments.')"
	sed 's/02-toy-feature /02-toy-feature-rfc /' "$TMP/postings" >"$TMP/postings-rfc"
	POSTINGS=$TMP/postings-rfc WORKTREE=$TMP/author-rfc "$S/export.sh" "$TMP/rfc" >/dev/null 2>&1 ||
		fail "export of an RFC posting failed"
	local p=$TMP/rfc/patches
	grep -q '^Subject: \[RFC PATCH 0/1\] toy: a feature' "$p/02-toy-feature-rfc/0000-cover-letter.patch" ||
		fail "the RFC posting's cover letter is not [RFC PATCH 0/1]"
	grep -q '^Subject: \[RFC PATCH 1/1\] toy: add new.c' "$p/02-toy-feature-rfc/0001-toy-add-new.c.patch" ||
		fail "the RFC posting's patch is not [RFC PATCH 1/1]"
	grep -q '^Subject: \[PATCH 0/1\] toy: a fix' "$p/01-toy-fix/0000-cover-letter.patch" ||
		fail "a posting that is not an RFC was marked as one"
	TOY_SERIES=$TMP/rfc/series TOY_PATCHES=$p TOY_POSTINGS=$TMP/postings-rfc WORKTREE=$TMP/wt-rfc \
		expect_rc 0 toy "$S/apply.sh"
	[ "$(git -C "$TMP/wt-rfc" config branch.posting/02-toy-feature-rfc.description)" = \
		"$(printf 'toy: a feature\n\nFor comments.')" ] || fail "apply did not restore the RFC posting's description"
	POSTINGS=$TMP/postings-rfc WORKTREE=$TMP/wt-rfc "$S/export.sh" "$TMP/rfc-again" >/dev/null 2>&1
	diff -r "$TMP/rfc" "$TMP/rfc-again" || fail "apply then export changed the RFC posting"
}

test_apply_names_the_broken_patch() {
	make_toy
	mkdir -p "$TMP/broken"
	cp -r "$TMP/series1/." "$TMP/broken/"
	sed -i 's/^-30$/-thirty-one/' "$TMP/broken/patches/02-toy-feature/0001-toy-add-new.c.patch"
	TOY_SERIES=$TMP/broken/series TOY_PATCHES=$TMP/broken/patches WORKTREE=$TMP/wt-broken \
		expect_rc 4 toy "$S/apply.sh"
	expect_out 'patch 02-toy-feature/0001-toy-add-new.c.patch does not apply'
	expect_out 'error: patch failed: a.c'
}

test_apply_names_a_missing_patch() {
	make_toy
	mkdir -p "$TMP/missing"
	cp -r "$TMP/series1/." "$TMP/missing/"
	echo 02-toy-feature/0003-not-there.patch >>"$TMP/missing/series"
	TOY_SERIES=$TMP/missing/series TOY_PATCHES=$TMP/missing/patches WORKTREE=$TMP/wt-missing \
		expect_rc 4 toy "$S/apply.sh"
	expect_out 'series lists 02-toy-feature/0003-not-there.patch, but patches/02-toy-feature/0003-not-there.patch does not exist'
}

test_apply_refuses_uncommitted_changes() {
	make_toy
	WORKTREE=$TMP/wt-dirty expect_rc 0 toy "$S/apply.sh"
	echo local >>"$TMP/wt-dirty/README"
	WORKTREE=$TMP/wt-dirty expect_rc 4 toy "$S/apply.sh"
	expect_out 'uncommitted changes'
	grep -q local "$TMP/wt-dirty/README" || fail "the change was thrown away"
}

test_apply_refuses_unexported_commits() {
	make_toy
	WORKTREE=$TMP/wt-ahead expect_rc 0 toy "$S/apply.sh"
	echo more >>"$TMP/wt-ahead/new.c"
	git -C "$TMP/wt-ahead" commit -q -am 'toy: unexported work'
	WORKTREE=$TMP/wt-ahead expect_rc 4 toy "$S/apply.sh"
	expect_out 'were not exported'
	[ "$(git -C "$TMP/wt-ahead" log -1 --format=%s)" = 'toy: unexported work' ] || fail "commit lost"
	FORCE=1 WORKTREE=$TMP/wt-ahead expect_rc 0 toy "$S/apply.sh"
	[ "$(git -C "$TMP/wt-ahead" log -1 --format=%s)" = 'toy: add new.c' ] || fail "FORCE=1 did not re-apply"
}

test_apply_refuses_a_work_tree_off_the_branch() {
	make_toy
	WORKTREE=$TMP/wt-off expect_rc 0 toy "$S/apply.sh"
	git -C "$TMP/wt-off" checkout -q --detach HEAD~1
	WORKTREE=$TMP/wt-off expect_rc 4 toy "$S/apply.sh"
	expect_out 'not on mm-fault-walk-uffd'
	WORKTREE=$TMP/wt-off expect_rc 4 toy "$S/export.sh" "$TMP/off"
	expect_out 'not on mm-fault-walk-uffd'
}

test_apply_reapplies_a_changed_series() {
	make_toy
	WORKTREE=$TMP/wt-change expect_rc 0 toy "$S/apply.sh"
	mkdir -p "$TMP/one"
	cp -r "$TMP/series1/." "$TMP/one/"
	sed -i '2d' "$TMP/one/series"
	sed '/^02-/d' "$TMP/postings" >"$TMP/one/postings"
	TOY_SERIES=$TMP/one/series TOY_PATCHES=$TMP/one/patches WORKTREE=$TMP/wt-change \
		TOY_POSTINGS=$TMP/one/postings expect_rc 0 toy "$S/apply.sh"
	[ "$(git -C "$TMP/wt-change" rev-list --count v0..HEAD)" = 1 ] || fail "not re-applied"
}

test_series_rejects_other_strip_levels() {
	make_toy
	mkdir -p "$TMP/p0"
	cp -r "$TMP/series1/." "$TMP/p0/"
	sed -i '1s/$/ -p0/' "$TMP/p0/series"
	TOY_SERIES=$TMP/p0/series TOY_PATCHES=$TMP/p0/patches WORKTREE=$TMP/wt-p0 \
		expect_rc 4 toy "$S/apply.sh"
	expect_out 'only -p1'
}

test_quilt_push_gives_the_same_tree() {
	make_toy
	WORKTREE=$TMP/wt-quilt expect_rc 0 toy "$S/apply.sh"
	WORKTREE=$TMP/wt-quilt expect_rc 0 toy "$S/quilt-check.sh"
	expect_out 'quilt push -a applied 2 patches'
	# A work tree that differs from the series is caught.
	echo extra >>"$TMP/wt-quilt/new.c"
	git -C "$TMP/wt-quilt" commit -q -am 'toy: drift'
	WORKTREE=$TMP/wt-quilt expect_rc 4 toy "$S/quilt-check.sh"
	expect_out 'quilt and git am disagree on new.c'
}

test_base_checksum_mismatch() {
	echo 'not a deb' >"$TMP/bad.deb"
	BASE_DEB=$TMP/bad.deb expect_rc 4 "$S/get-base.sh"
	expect_out 'checksum mismatch'
}

test_base_missing_everywhere() {
	# An apt that answers as it does once the archive dropped the version.
	mkdir -p "$TMP/fakebin"
	cat >"$TMP/fakebin/apt-get" <<'EOA'
#!/bin/sh
for a; do
	case "$a" in
	indextargets) echo "http://archive.invalid/debian/"; exit 0 ;;
	download) echo "E: Version '7.3.4-1~bpo13+1' for 'linux-source-7.3' was not found" >&2; exit 100 ;;
	esac
done
exit 0
EOA
	chmod +x "$TMP/fakebin/apt-get"
	PATH=$TMP/fakebin:$PATH expect_rc 4 "$S/get-base.sh"
	expect_out "Version '7.3.4-1~bpo13+1' for 'linux-source-7.3' was not found"
	expect_out 'BASE_DEB=/path/to/linux-source-7.3_7.3.4-1~bpo13+1_all.deb'
	expect_out 'BASE_TARBALL=/path/to/linux-source-7.3.tar.xz'
	# apt asked trixie-backports, through a private configuration that pins it
	# away from the system (never install or upgrade from it).
	grep -q ' trixie-backports main$' "$CACHE/apt/sources.list" || fail "not asked from trixie-backports"
	grep -q '^Pin: release a=trixie-backports$' "$CACHE/apt/preferences" || fail "no pin for trixie-backports"
	grep -q '^Pin-Priority: -1$' "$CACHE/apt/preferences" || fail "the pin is not -1"
}

test_base_uses_ksrc() {
	make_toy
	KSRC=$TMP/toy BASE=v0 expect_rc 0 "$S/get-base.sh"
	expect_out "$TMP/toy $(git -C "$TMP/toy" rev-parse v0)"
	KSRC=$TMP/toy BASE=nope expect_rc 4 "$S/get-base.sh"
	expect_out 'has no commit nope'
}

# The real fragments against the real Kconfig: every option each variant asks
# for survives (KASAN=1 once lost KASAN to tinyconfig's SLUB_TINY unnoticed).
test_config_variants_keep_every_option() {
	local kernel=${REAL_WORKTREE:-} v
	[ -f "$kernel/Kconfig" ] || { echo "no kernel work tree to configure (make apply)"; return 77; }
	for v in "" 1; do
		KASAN=$v WORKTREE=$kernel KOBJ=$TMP/kconfig-obj$v expect_rc 0 "$S/config.sh"
	done
	DEBUG_INFO=0 WORKTREE=$kernel KOBJ=$TMP/kconfig-obj-nodi expect_rc 0 "$S/config.sh"
	grep -q '^CONFIG_KASAN=y' "$TMP/kconfig-obj1/.config" || fail "KASAN=1 built no KASAN"
	! grep -q '^CONFIG_KASAN=y' "$TMP/kconfig-obj/.config" || fail "KASAN without KASAN=1"
	grep -q '^CONFIG_DEBUG_INFO_REDUCED=y' "$TMP/kconfig-obj/.config" || fail "the default config has no debug info"
	! grep -q '^CONFIG_DEBUG_INFO_REDUCED=y' "$TMP/kconfig-obj-nodi/.config" || fail "DEBUG_INFO=0 kept the debug info"
}

# The arm64 guest's fragments against the real Kconfig (needs the cross
# compiler: Kconfig asks it what it supports).
test_config_arm64_keeps_every_option() {
	local kernel=${REAL_WORKTREE:-}
	[ -f "$kernel/Kconfig" ] || { echo "no kernel work tree to configure (make apply)"; return 77; }
	command -v aarch64-linux-gnu-gcc >/dev/null ||
		{ echo "no aarch64-linux-gnu-gcc (make ARCH=arm64 deps installs it)"; return 77; }
	GUEST_ARCH=arm64 WORKTREE=$kernel KOBJ=$TMP/kconfig-arm64 expect_rc 0 "$S/config.sh"
	expect_out 'CONFIG_MEM_SOFT_DIRTY=y requested by .*: arm64 has no such option'
	for o in ARM64_CONTPTE ACPI_NFIT TRANSPARENT_HUGEPAGE USERFAULTFD DEV_DAX_PMEM SERIAL_AMBA_PL011_CONSOLE; do
		grep -q "^CONFIG_$o=y" "$TMP/kconfig-arm64/.config" || fail "arm64 .config has no CONFIG_$o"
	done
}

test_config_checker_names_dropped_options() {
	expect_rc 0 "$S/check-config.sh" "$DATA/dotconfig-good" "$DATA/frag1.config" "$DATA/frag2.config"
	expect_rc 4 "$S/check-config.sh" "$DATA/dotconfig-bad" "$DATA/frag1.config" "$DATA/frag2.config"
	expect_out 'CONFIG_C=n requested by .*frag1.config, but .config has CONFIG_C=y'
	expect_out 'CONFIG_E=64 requested by .*frag1.config, but .config has CONFIG_E=32'
	expect_out 'CONFIG_F=y requested by .*frag2.config, but .config has it unset'
	[ "$(grep -c requested "$TMP/cmd.out")" -eq 3 ] || fail "wrong number of dropped options"
}

# An option the architecture lacks (CONFIG_ABSENT of config/qemu/ARCH.sh: arm64
# has no soft-dirty) may be unset, and is named; on another it is a failure.
test_config_checker_lets_an_absent_option_go() {
	printf 'CONFIG_MEM_SOFT_DIRTY=y\nCONFIG_C=y\n' >"$TMP/frag-sd.config"
	printf 'CONFIG_C=y\n' >"$TMP/dotconfig-sd"
	GUEST_ARCH=arm64 expect_rc 0 "$S/check-config.sh" "$TMP/dotconfig-sd" "$TMP/frag-sd.config"
	expect_out 'CONFIG_MEM_SOFT_DIRTY=y requested by .*frag-sd.config: arm64 has no such option (CONFIG_ABSENT)'
	expect_rc 4 "$S/check-config.sh" "$TMP/dotconfig-sd" "$TMP/frag-sd.config"
	expect_out 'CONFIG_MEM_SOFT_DIRTY=y requested by .*frag-sd.config, but .config has it unset'
}

test_tap_summary_counts() {
	expect_rc 1 "$S/tap-summary.sh" "$DATA/tap-mixed.tap"
	expect_out '^1 passed, 3 failed, 2 skipped$'
	expect_out '1 of 6 planned tests never reported'
	expect_rc 0 "$S/tap-summary.sh" "$DATA/tap-clean.tap"
	expect_out '^2 passed, 0 failed, 0 skipped$'
	expect_rc 1 "$S/tap-summary.sh" "$DATA/tap-noplan.tap"
	expect_out '^0 passed, 1 failed, 0 skipped$'
	expect_rc 1 "$S/tap-summary.sh" "$TMP/no-such.tap"
	expect_out '^0 passed, 1 failed, 0 skipped$'
}

test_scanner_catches_every_kind_of_report() {
	local log want
	for log in warn:'WARNING: CPU: 1' bug:'kernel BUG at' lockdep:'circular locking' \
		lockdep-inconsistent:'inconsistent' kasan:'BUG: KASAN' kfence:'BUG: KFENCE' \
		rcu-stall:'detected stalls' hung-task:'blocked for more than' \
		panic:'Kernel panic' softlockup:'soft lockup' ubsan:'UBSAN:' \
		rcu-expedited:'detected expedited stalls' warn-between:'between tests' \
		fault-oom:'VM_FAULT_OOM leaked out'; do
		want=${log#*:}
		expect_rc 2 "$S/scan-log.sh" "$DATA/console-${log%%:*}.log"
		expect_out "$want"
	done
	expect_rc 2 "$S/scan-log.sh" "$DATA/console-warn.log"
	expect_out 'while running mm:cow)'
	# The digest comes last, so that the tail of a CI log names the report.
	tail -n 1 "$TMP/cmd.out" | grep -q '^kernel report 1: WARNING: CPU: 1.*(while running mm:cow)$' ||
		fail "the last line is not the report digest: $(tail -n 1 "$TMP/cmd.out")"
}

test_scanner_passes_clean_logs() {
	local log
	for log in "$DATA"/console-clean*.log "$DATA/console-short-clean.log"; do
		[ -f "$log" ] || continue
		expect_rc 0 "$S/scan-log.sh" "$log"
	done
}

test_mbox_round_trips_and_b4_accepts_it() {
	make_toy
	WORKTREE=$TMP/wt-mbox expect_rc 0 toy "$S/apply.sh"
	git -C "$TOP" config user.name >/dev/null || export GIT_CONFIG_COUNT=2 \
		GIT_CONFIG_KEY_0=user.name GIT_CONFIG_VALUE_0=Sender GIT_CONFIG_KEY_1=user.email \
		GIT_CONFIG_VALUE_1=sender@example.invalid
	WORKTREE=$TMP/wt-mbox expect_rc 0 toy "$S/mbox.sh" "$TMP/mbox"
	expect_out '01-toy-fix.mbox round-trips: git am onto the base gives'
	expect_out '02-toy-feature.mbox round-trips: git am onto the base + 01-toy-fix gives'
	local m=$TMP/mbox/02-toy-feature.mbox
	grep -q '^To: Maint Ainer <maint@example.invalid>' "$m" || fail "no To: from get_maintainer"
	grep -q '^Cc: list@example.invalid' "$m" || fail "no Cc: from get_maintainer"
	grep -q '^Subject: \[PATCH 0/1\] toy: a feature' "$m" || fail "no cover letter"
	grep -q '^This series is based on v7.3.4' "$m" || fail "no statement of the base"
	grep -q "^base-commit: $(git -C "$TMP/toy" rev-parse v0)" "$m" || fail "no base-commit"
	grep -q '^prerequisite-change-id: 20261206-toy-fix-0123456789ab:v1$' "$m" || fail "no prerequisite-change-id"
	grep -q '^prerequisite-patch-id: ' "$m" || fail "no prerequisite-patch-id"
	grep -q '^Cc: .*linux-api@vger.kernel.org' "$m" || fail "a posting for linux-api does not Cc it"
	! grep -q 'linux-api@' "$TMP/mbox/01-toy-fix.mbox" || fail "linux-api Cc'd on a posting that does not ask for it"
	if command -v b4 >/dev/null; then expect_out 'b4 am accepted'; fi
	# An mbox that lost a hunk does not round-trip.
	sed '/^+thirty$/d; s/^-30$/-30\n+30x/' "$m" >"$TMP/bad.mbox"
	WORKTREE=$TMP/wt-mbox expect_rc 1 toy "$S/check-mbox.sh" "$TMP/bad.mbox" 02-toy-feature
	expect_out 'gives tree'
	# Nor does one whose cover letter lost its prerequisites.
	grep -v '^prerequisite-patch-id: ' "$m" >"$TMP/noprereq.mbox"
	WORKTREE=$TMP/wt-mbox expect_rc 1 toy "$S/check-mbox.sh" "$TMP/noprereq.mbox" 02-toy-feature
	expect_out '0 prerequisite-patch-id lines, the needed postings have 1 patches'
}

test_bisect_names_the_first_prefix_that_breaks() {
	make_toy
	git clone -q "$TMP/author" "$TMP/author-bisect"
	git -C "$TMP/author-bisect" tag base v0
	git -C "$TMP/author-bisect" checkout -q mm-fault-walk-uffd
	sed -i 's/^20$/BROKEN/' "$TMP/author-bisect/a.c"
	git -C "$TMP/author-bisect" commit -q -am 'toy: break the build'
	sed -i 's/^BROKEN$/twenty/' "$TMP/author-bisect/a.c"
	git -C "$TMP/author-bisect" commit -q -am 'toy: fix the build'
	git -C "$TMP/author-bisect" branch -q posting/01-toy-fix origin/posting/01-toy-fix
	git -C "$TMP/author-bisect" branch -q posting/02-toy-feature HEAD
	POSTINGS=$TMP/postings WORKTREE=$TMP/author-bisect "$S/export.sh" "$TMP/series3" >/dev/null 2>&1
	TOY_SERIES=$TMP/series3/series TOY_PATCHES=$TMP/series3/patches WORKTREE=$TMP/wt-bisect \
		expect_rc 0 toy "$S/apply.sh"
	# shellcheck disable=SC2016 # expanded by bisect-build.sh
	KBUILD_CMD='make -s -C "$WORKTREE"' VARIANTS='' TOY_SERIES=$TMP/series3/series \
		TOY_PATCHES=$TMP/series3/patches WORKTREE=$TMP/wt-bisect expect_rc 1 toy "$S/bisect-build.sh"
	expect_out 'does not build at patch 3: 02-toy-feature/0002-toy-break-the-build.patch'
	WORKTREE=$TMP/wt-bisect-ok expect_rc 0 toy "$S/apply.sh"
	# shellcheck disable=SC2016 # expanded by bisect-build.sh
	KBUILD_CMD='make -s -C "$WORKTREE"' VARIANTS=X WORKTREE=$TMP/wt-bisect-ok \
		BUILD=$TMP/build-bisect-ok expect_rc 0 toy "$S/bisect-build.sh"
	expect_out 'every prefix (1..2) and every variant (X) builds'
	# FROM skips the prefixes before it; PREFIX_VARIANTS builds each later one twice.
	# shellcheck disable=SC2016 # expanded by bisect-build.sh
	KBUILD_CMD='make -s -C "$WORKTREE"' VARIANTS='' FROM=2 PREFIX_VARIANTS=X WORKTREE=$TMP/wt-bisect-ok \
		BUILD=$TMP/build-bisect-ok expect_rc 0 toy "$S/bisect-build.sh"
	expect_out '\[2/2\] building without CONFIG_X'
	! grep -q '\[1/2\]' "$TMP/cmd.out" || fail "FROM=2 built patch 1"
	expect_out 'every prefix (2..2, also without X)'
	# TO stops after its patch and says that the whole-series variants were not built.
	# shellcheck disable=SC2016 # expanded by bisect-build.sh
	KBUILD_CMD='make -s -C "$WORKTREE"' VARIANTS=X TO=1 WORKTREE=$TMP/wt-bisect-ok \
		BUILD=$TMP/build-bisect-ok expect_rc 0 toy "$S/bisect-build.sh"
	! grep -q '\[2/2\]' "$TMP/cmd.out" || fail "TO=1 built patch 2"
	expect_out 'every prefix (1..1) builds; the whole-series variants were not built (TO=1 of 2)'
	FROM=2 TO=1 VARIANTS='' WORKTREE=$TMP/wt-bisect-ok BUILD=$TMP/build-bisect-ok \
		expect_rc 4 toy "$S/bisect-build.sh"
	expect_out 'TO=1 is not a patch number from FROM=2 to 2'
	FROM=0 VARIANTS='' WORKTREE=$TMP/wt-bisect-ok BUILD=$TMP/build-bisect-ok \
		expect_rc 4 toy "$S/bisect-build.sh"
	expect_out 'FROM=0 is not a patch number'
}

test_checkpatch_catches_a_style_error() {
	local kernel=${REAL_WORKTREE:-}
	[ -x "$kernel/scripts/checkpatch.pl" ] || { echo "no kernel work tree to take checkpatch.pl from (make apply)"; return 77; }
	make_toy
	mkdir -p "$TMP/style"
	cp -r "$TMP/series1/." "$TMP/style/"
	# No exceptions file: the repository's own names the real series' patches.
	EXCEPTIONS=$TMP/style/none WORKTREE=$kernel SERIES=$TMP/style/series PATCHES=$TMP/style/patches \
		expect_rc 1 "$S/checkpatch.sh"
	expect_out '0001-toy-change-ten.patch:.*COMMIT_MESSAGE'
	expect_out 'checkpatch: 2 of 2 patches have reports'
	# A reviewed exception silences exactly its type, for its patch.
	# Named without the patch number, or with any number: it is ignored.
	printf 'toy-add-new.c.patch SPDX_LICENSE_TAG toy patch\n0007-toy-add-new.c.patch COMMIT_MESSAGE toy patch\ntoy-add-new.c.patch FILE_PATH_CHANGES toy patch\n' \
		>"$TMP/style/exceptions"
	EXCEPTIONS=$TMP/style/exceptions WORKTREE=$kernel SERIES=$TMP/style/series PATCHES=$TMP/style/patches \
		expect_rc 1 "$S/checkpatch.sh"
	expect_out 'checkpatch: 1 of 2 patches have reports'
	printf 'gone.patch COMMIT_MESSAGE stale\n' >"$TMP/style/exceptions"
	EXCEPTIONS=$TMP/style/exceptions WORKTREE=$kernel SERIES=$TMP/style/series PATCHES=$TMP/style/patches \
		expect_rc 4 "$S/checkpatch.sh"
	expect_out 'is not in the series'
}

# run-tests.sh end to end with a fake QEMU: each outcome has its own exit code.
fake_run() {
	local KERNEL_IMAGE
	# shellcheck source=../config/qemu/x86_64.sh
	. "$TOP/config/qemu/x86_64.sh"
	mkdir -p "$(dirname "$TMP/kobj/$KERNEL_IMAGE")"
	touch "$TMP/kobj/$KERNEL_IMAGE"
	KOBJ=$TMP/kobj QEMU=$DATA/fake/qemu ACCEL=tcg RUN_DIR=${RUN_DIR-$TMP/run} PLAN=${PLAN:-$DATA/plan-fake} \
		"$S/run-tests.sh"
}

# The arm64 guest's root (a fake mmdebstrap): made once, remade when its
# record no longer matches or the directory is gone; the stub init and awk.
test_rootfs_is_remade_only_when_stale() {
	local b=$TMP/rootfs-build fake=$TMP/rootfs-fake
	rm -rf "$b" "$fake"
	mkdir -p "$fake"
	# shellcheck disable=SC2016 # expanded by the fake
	printf '#!/bin/sh\necho "$@" >>"%s/calls"\nfor a; do dir=$b; b=$a; done\nmkdir -p "$dir/sbin" "$dir/usr/bin"\n' \
		"$fake" >"$fake/mmdebstrap"
	printf '#!/bin/sh\necho "install ok installed"\n' >"$fake/dpkg-query"
	chmod +x "$fake/mmdebstrap" "$fake/dpkg-query"
	PATH=$fake:$PATH GUEST_ARCH=arm64 BUILD=$b expect_rc 0 "$S/build-rootfs.sh" --if-stale
	grep -q -- '--variant=extract --architectures=arm64' "$fake/calls" || fail "mmdebstrap: $(cat "$fake/calls")"
	# shellcheck disable=SC2016 # the stub's own text
	grep -q 'MM_HOST=/host exec "/host$init"' "$b/rootfs-arm64/sbin/mm-host-init" || fail "no stub init"
	[ "$(readlink "$b/rootfs-arm64/usr/bin/awk")" = gawk ] || fail "no awk"
	PATH=$fake:$PATH GUEST_ARCH=arm64 BUILD=$b expect_rc 0 "$S/build-rootfs.sh" --if-stale
	expect_out 'is up to date'
	rm -rf "$b/rootfs-arm64"
	PATH=$fake:$PATH GUEST_ARCH=arm64 BUILD=$b expect_rc 0 "$S/build-rootfs.sh" --if-stale
	sed -i 's/^id=.*/id=old/' "$b/rootfs-arm64.record"
	PATH=$fake:$PATH GUEST_ARCH=arm64 BUILD=$b expect_rc 0 "$S/build-rootfs.sh" --if-stale
	[ "$(wc -l <"$fake/calls")" -eq 3 ] || fail "mmdebstrap ran $(wc -l <"$fake/calls") times, not 3"
	PATH=$fake:$PATH BUILD=$b expect_rc 0 "$S/build-rootfs.sh"
	[ "$(wc -l <"$fake/calls")" -eq 3 ] || fail "an x86_64 guest got a root of its own"
}

# An arm64 guest boots on its own root (the guest root's stub init starts the
# harness's init from the host's root, shared as "host"), with the NVDIMMs of
# its data; an x86_64 guest on the host's root, with neither.
test_qemu_command_line_per_arch() {
	local run=$TMP/run-arm64 b=$TMP/build-arm64
	rm -rf "$run" "$b"
	mkdir -p "$run" "$b/obj-arm64/arch/arm64/boot" "$b/rootfs-arm64/sbin"
	touch "$b/obj-arm64/arch/arm64/boot/Image"
	printf '#!/bin/sh\n' >"$b/rootfs-arm64/sbin/mm-host-init"
	chmod +x "$b/rootfs-arm64/sbin/mm-host-init"
	GUEST_ARCH=arm64 BUILD=$b QEMU=$DATA/fake/qemu ACCEL=tcg expect_rc 0 "$S/qemu.sh" "$run" /x/init.sh a b
	# qemu.cmd quotes for the shell: compare it unquoted.
	sed -i 's/\\//g' "$run/qemu.cmd"
	grep -q "path=$b/rootfs-arm64,mount_tag=/dev/root" "$run/qemu.cmd" || fail "arm64 root: $(cat "$run/qemu.cmd")"
	grep -q 'path=/,mount_tag=host,' "$run/qemu.cmd" || fail "no host share: $(cat "$run/qemu.cmd")"
	grep -q 'init=/sbin/mm-host-init -- /x/init.sh a b' "$run/qemu.cmd" ||
		fail "arm64 init: $(cat "$run/qemu.cmd")"
	grep -q 'nvdimm,id=nvdimm3' "$run/qemu.cmd" || fail "no NVDIMMs: $(cat "$run/qemu.cmd")"
	rm -rf "$b/rootfs-arm64"
	GUEST_ARCH=arm64 BUILD=$b QEMU=$DATA/fake/qemu ACCEL=tcg expect_rc 4 "$S/qemu.sh" "$run" /x/init.sh
	expect_out "no guest root in $b/rootfs-arm64"
	mkdir -p "$TMP/kobj/arch/x86/boot"
	touch "$TMP/kobj/arch/x86/boot/bzImage"
	KOBJ=$TMP/kobj QEMU=$DATA/fake/qemu ACCEL=tcg expect_rc 0 "$S/qemu.sh" "$run" /x/init.sh a
	sed -i 's/\\//g' "$run/qemu.cmd"
	grep -q 'path=/,mount_tag=/dev/root' "$run/qemu.cmd" || fail "x86_64 root: $(cat "$run/qemu.cmd")"
	! grep -q 'mount_tag=host\|nvdimm' "$run/qemu.cmd" || fail "x86_64 with arm64's data: $(cat "$run/qemu.cmd")"
	grep -q 'init=/x/init.sh -- a' "$run/qemu.cmd" || fail "x86_64 init: $(cat "$run/qemu.cmd")"
}

test_run_refuses_an_unknown_or_empty_selection() {
	PLAN=$TOP/selftests/plan TESTS=mm:cow,mm:no-such-test expect_rc 4 fake_run
	expect_out 'no test mm:no-such-test in'
	TESTS=set:no-such-set expect_rc 4 fake_run
	expect_out 'selects no test'
	PLAN=no-such-plan expect_rc 4 fake_run
	expect_out 'no plan file no-such-plan'
}

# A guest that ran fewer tests than selected (it could not read the plan,
# say) is a setup error, even if all it ran passed.
test_run_fails_when_the_guest_planned_other_tests() {
	FAKE_CONSOLE=$DATA/console-short-clean.log FAKE_TAP=$DATA/tap-clean.tap FAKE_SETUP=$DATA/setup-ok \
		TESTS=mm:a,mm:b,mm:c expect_rc 4 fake_run
	expect_out 'the guest planned 2 tests, 3 were selected'
	FAKE_CONSOLE=$DATA/console-short-clean.log FAKE_TAP=$DATA/tap-noplan.tap FAKE_SETUP=$DATA/setup-ok \
		TESTS=mm:a expect_rc 4 fake_run
	expect_out 'the guest planned no tests, 1 were selected'
}

test_run_verdict_pass() {
	FAKE_CONSOLE=$DATA/console-short-clean.log FAKE_TAP=$DATA/tap-clean.tap FAKE_SETUP=$DATA/setup-ok \
		TESTS=mm:a,mm:b expect_rc 0 fake_run
	expect_out '^2 passed, 0 failed, 0 skipped$'
}

test_run_verdict_test_failure() {
	FAKE_CONSOLE=$DATA/console-short-clean.log FAKE_TAP=$DATA/tap-mixed.tap FAKE_SETUP=$DATA/setup-ok \
		expect_rc 1 fake_run
	expect_out '^1 passed, 3 failed, 2 skipped$'
}

test_run_verdict_splat_beats_passing_tests() {
	FAKE_CONSOLE=$DATA/console-warn.log FAKE_TAP=$DATA/tap-clean.tap FAKE_SETUP=$DATA/setup-ok \
		TESTS=mm:a,mm:b expect_rc 2 fake_run
	expect_out 'kernel report 1 of 1'
	expect_out '^2 passed, 0 failed, 0 skipped$'
}

test_run_verdict_crash() {
	FAKE_NO_DONE=1 FAKE_CONSOLE=$DATA/console-short-clean.log FAKE_TAP=$DATA/tap-clean.tap \
		FAKE_SETUP=$DATA/setup-ok TESTS=mm:a,mm:b expect_rc 2 fake_run
	expect_out 'stopped before the plan finished'
}

test_run_verdict_hang() {
	FAKE_SLEEP=30 QEMU_TIMEOUT=2 FAKE_CONSOLE=$DATA/console-short-clean.log FAKE_SETUP=$DATA/setup-ok \
		expect_rc 3 fake_run
	expect_out 'the guest hung'
}

test_run_verdict_setup_error() {
	FAKE_CONSOLE=$DATA/console-short-clean.log FAKE_TAP=$DATA/tap-setup.tap FAKE_SETUP=$DATA/setup-nopmem \
		expect_rc 4 fake_run
	expect_out 'setup error: fsdax=!/dev/pmem0 did not appear'
}

# The guest-side runner, on the host: a plan of fake tests that pass, fail,
# skip, time out, lack their setup or a feature, and take environment words.
test_run_plan_runs_a_plan() {
	local k=$TMP/rp/kselftest r=$TMP/rp/results
	rm -rf "$TMP/rp"
	mkdir -p "$k/mm" "$r"
	printf '#!/bin/sh\necho "# Totals: pass:3 fail:0 xfail:0 xpass:0 skip:1 error:0"\n' >"$k/mm/pass"
	printf '#!/bin/sh\necho broken; exit 1\n' >"$k/mm/fail"
	printf '#!/bin/sh\necho "SKIP: no such feature"; exit 4\n' >"$k/mm/skip"
	printf '#!/bin/sh\nsleep 30\n' >"$k/mm/hang"
	# shellcheck disable=SC2016 # expanded by the fake test
	printf '#!/bin/sh\n[ "$FOO" = bar ] && [ "$1" = -x ]\n' >"$k/mm/env"
	printf '#!/bin/sh\nprintf "no newline"\n' >"$k/mm/nonl"
	chmod +x "$k"/mm/*
	cat >"$TMP/rp/plan" <<-'PLAN'
	# name timeout needs set command
	mm:pass   10 -      s pass
	mm:fail   10 -      s fail
	mm:skip   10 -      s skip
	mm:hang   1  -      s hang
	mm:nopmem 10 fsdax  s pass
	mm:env    10 -      s FOO=bar env -x
	mm:nonl   10 -      s nonl
	mm:absent 10 numa2  s pass
	mm:other  10 -      t pass
	PLAN
	printf 'fsdax=!/dev/pmem0 did not appear\nnuma2=-this guest has 1 NUMA node\n' >"$r/setup"
	RUN_PLAN_KMSG=$TMP/rp/kmsg RUN_PLAN_CONSOLE=$TMP/rp/console \
		expect_rc 0 "$TOP/selftests/run-plan.sh" "$TMP/rp/plan" "$k" "$r" set:s
	local tap=$r/tap
	grep -qx '1\.\.8' "$tap" || fail "plan line: $(head -n 2 "$tap")"
	grep -q '^ok 1 mm:pass ' "$tap" || fail "pass: $(cat "$tap")"
	grep -q '^# # Totals: pass:3' "$tap" || fail "the output is not nested"
	grep -q '^not ok 2 mm:fail (.*) # exit code 1$' "$tap" || fail "fail: $(cat "$tap")"
	grep -q '^ok 3 mm:skip (.*) # SKIP SKIP: no such feature' "$tap" || fail "skip: $(cat "$tap")"
	grep -q '^not ok 4 mm:hang # TIMEOUT after 1s' "$tap" || fail "timeout: $(cat "$tap")"
	grep -q '^not ok 5 mm:nopmem # SETUP fsdax: /dev/pmem0 did not appear' "$tap" || fail "setup: $(cat "$tap")"
	grep -q '^ok 6 mm:env ' "$tap" || fail "env words: $(cat "$tap")"
	grep -q '^ok 7 mm:nonl ' "$tap" || fail "output without a newline: $(cat "$tap")"
	grep -q '^# no newline$' "$tap" || fail "output without a newline is lost"
	grep -qx 'ok 8 mm:absent # SKIP numa2: this guest has 1 NUMA node' "$tap" || fail "absent: $(cat "$tap")"
	[ ! -f "$r/logs/mm_absent.log" ] || fail "a test the guest cannot run was run"
	[ -f "$r/logs/mm_fail.log" ] || fail "no per-test log"
	grep -q '^mm-series: start mm:pass$' "$TMP/rp/kmsg" || fail "no kmsg marker"
	[ "$(grep -c '^\(not \)\{0,1\}ok ' "$TMP/rp/console")" -eq 8 ] || fail "console lines: $(cat "$TMP/rp/console")"
	RUN_PLAN_KMSG=/dev/null RUN_PLAN_CONSOLE=/dev/null \
		expect_rc 1 "$TOP/selftests/run-plan.sh" --list "$TMP/rp/plan" mm:pass,mm:nosuch
	expect_out 'no test mm:nosuch'
}

test_tap_summary_counts_subtests() {
	test_run_plan_runs_a_plan >/dev/null
	expect_rc 1 "$S/tap-summary.sh" "$TMP/rp/results/tap"
	expect_out '^subtests: 3 passed, 0 failed, 1 skipped, in the 1 of 8 tests that print kselftest totals$'
	expect_out '^3 passed, 3 failed, 2 skipped$'
}

test_run_names_the_log_of_each_failing_test() {
	mkdir -p "$TMP/fakelogs"
	{ seq 1 30 | sed 's/^/noise /'; echo 'Bail out! the reason it failed'; } >"$TMP/fakelogs/mm_b.log"
	FAKE_LOGS=$TMP/fakelogs FAKE_CONSOLE=$DATA/console-short-clean.log FAKE_TAP=$DATA/tap-mixed.tap \
		FAKE_SETUP=$DATA/setup-ok expect_rc 1 fake_run
	expect_out "log: $TMP/run/logs/mm_b.log"
	# Its last lines too, for a CI log where the run directory is gone.
	expect_out "^--- the last lines of $TMP/run/logs/mm_b.log:$"
	expect_out '^      | Bail out! the reason it failed$'
	! grep -q 'noise 15$' "$TMP/cmd.out" || fail "more than the last lines of the log"
}

test_run_fails_on_a_taint_the_tests_added() {
	FAKE_TAINTED=512 FAKE_CONSOLE=$DATA/console-short-clean.log FAKE_TAP=$DATA/tap-clean.tap \
		FAKE_SETUP=$DATA/setup-ok TESTS=mm:a,mm:b expect_rc 2 fake_run
	expect_out 'tainted the kernel: W (WARN)'
	# A taint that was there after boot is not the tests'.
	printf 'tainted_boot=4096\n' | cat "$DATA/setup-ok" - >"$TMP/setup-tainted"
	FAKE_TAINTED=4096 FAKE_CONSOLE=$DATA/console-short-clean.log FAKE_TAP=$DATA/tap-clean.tap \
		FAKE_SETUP=$TMP/setup-tainted TESTS=mm:a,mm:b expect_rc 0 fake_run
	# A taint that cannot be read is a setup error, with every result still written.
	FAKE_TAINTED=garbled FAKE_CONSOLE=$DATA/console-short-clean.log FAKE_TAP=$DATA/tap-clean.tap \
		FAKE_SETUP=$TMP/setup-tainted TESTS=mm:a,mm:b expect_rc 4 fake_run
	expect_out 'cannot read the taint'
	[ -f "$TMP/run/meta" ] || fail "no meta after an unreadable taint"
}

# REPEAT=N: the run directory's own plan holds N rounds of the selection, and
# the summary counts each test's passes over its rounds.
test_run_repeats_the_selection() {
	FAKE_CONSOLE=$DATA/console-short-clean.log FAKE_TAP=$DATA/tap-repeat.tap FAKE_SETUP=$DATA/setup-ok \
		TESTS=mm:a,mm:b REPEAT=3 expect_rc 1 fake_run
	expect_out '^repeat: mm:a passed 2 of 3 rounds$'
	expect_out '^repeat: mm:b passed 3 of 3 rounds$'
	expect_out "log: $TMP/run/logs/mm_a-2.log"
	expect_out '^5 passed, 1 failed, 0 skipped$'
	[ "$("$TOP/selftests/run-plan.sh" --list "$TMP/run/plan" "" | cut -f1 | tr '\n' ' ')" = \
		"mm:a-1 mm:b-1 mm:a-2 mm:b-2 mm:a-3 mm:b-3 " ] || fail "the rounds' plan: $(cat "$TMP/run/plan")"
	grep -q '^repeat=3$' "$TMP/run/meta" || fail "meta: $(cat "$TMP/run/meta")"
	grep -q '^tests=mm:a,mm:b$' "$TMP/run/meta" || fail "meta does not record the selection: $(cat "$TMP/run/meta")"
	# A guest that died in round 2: the rounds it never ran are counted.
	head -n 7 "$DATA/tap-repeat.tap" | sed 's/^1\.\.6$/1..6/' >"$TMP/tap-cut.tap"
	FAKE_NO_DONE=1 FAKE_CONSOLE=$DATA/console-short-clean.log FAKE_TAP=$TMP/tap-cut.tap FAKE_SETUP=$DATA/setup-ok \
		TESTS=mm:a,mm:b REPEAT=3 expect_rc 2 fake_run
	expect_out '^repeat: mm:b passed 1 of 3 rounds (2 never ran)$'
	# A relative RUN_DIR still gives the guest an absolute plan.
	(cd "$TMP" && FAKE_CONSOLE=$DATA/console-short-clean.log FAKE_TAP=$DATA/tap-repeat.tap FAKE_SETUP=$DATA/setup-ok \
		TESTS=mm:a,mm:b REPEAT=3 RUN_DIR=relrun fake_run >/dev/null 2>&1)
	grep -qF -- "--\\ $TMP/relrun/plan\\ " "$TMP/relrun/qemu.cmd" || fail "qemu.cmd: $(cat "$TMP/relrun/qemu.cmd")"
	# A guest that ran one round where three were asked for is a setup error.
	FAKE_CONSOLE=$DATA/console-short-clean.log FAKE_TAP=$DATA/tap-clean.tap FAKE_SETUP=$DATA/setup-ok \
		TESTS=mm:a,mm:b REPEAT=3 expect_rc 4 fake_run
	expect_out 'the guest planned 2 tests, 6 were selected'
	TESTS=mm:a REPEAT=0 expect_rc 4 fake_run
	expect_out 'REPEAT=0: give a count'
}

# make fstests: the table of both kernels names a test that passes on the base
# and fails with the series, and fails; one failing on both is listed.
test_fstests_table_finds_a_regression() {
	expect_rc 1 "$S/fstests-table.py" "$DATA/fstests/base" "$DATA/fstests/patched"
	expect_out '^| ext4-dax | generic/437 | pass | fail (_check_dmesg: something found (see generic/437.dmesg)) |$'
	expect_out '^REGRESSION: ext4-dax generic/437 passes on the base'
	expect_out '^fails on both: ext4-dax generic/470: fail (output mismatch: -1.0M SCRATCH_MNT/test)$'
	expect_out '^fstests: 4 tests; passed: 2 on the base, 1 with the series$'
	expect_rc 0 "$S/fstests-table.py" "$DATA/fstests/base" "$DATA/fstests/base"
	expect_rc 1 "$S/fstests-table.py" "$TMP" "$TMP"
	expect_out 'no fstests results found'
	# An entry that left no report anywhere, and a failure with nothing to
	# compare it with on the base, fail too.
	expect_rc 1 "$S/fstests-table.py" "$DATA/fstests/base" "$DATA/fstests/base" ext4-dax xfs-dax
	expect_out '^NO RESULTS: xfs-dax has no fstests report on either kernel$'
	expect_rc 1 "$S/fstests-table.py" "$TMP" "$DATA/fstests/patched"
	expect_out '^CANNOT COMPARE: ext4-dax generic/437 is missing on the base, fail'
}

# Without RUN_DIR, each run gets its own directory and build/run names the latest.
test_run_keeps_every_run() {
	local first
	FAKE_CONSOLE=$DATA/console-short-clean.log FAKE_TAP=$DATA/tap-clean.tap FAKE_SETUP=$DATA/setup-ok \
		TESTS=mm:a,mm:b RUN_DIR='' expect_rc 0 fake_run
	first=$(readlink -f "$BUILD/run")
	[ -f "$first/meta" ] || fail "no meta in $first"
	grep -q '^result=2 passed, 0 failed, 0 skipped$' "$first/meta" || fail "meta: $(cat "$first/meta")"
	FAKE_CONSOLE=$DATA/console-short-clean.log FAKE_TAP=$DATA/tap-mixed.tap FAKE_SETUP=$DATA/setup-ok \
		RUN_DIR='' expect_rc 1 fake_run
	[ "$(readlink -f "$BUILD/run")" != "$first" ] || fail "build/run still names the first run"
	[ -f "$first/tap" ] || fail "the second run removed the first"
	[ "$(find "$BUILD/runs" -mindepth 1 -maxdepth 1 | wc -l)" -eq 2 ] || fail "runs: $(ls "$BUILD/runs")"
	# A RUN_DIR that holds something else is not replaced.
	mkdir -p "$TMP/notarun" && touch "$TMP/notarun/precious"
	FAKE_CONSOLE=$DATA/console-short-clean.log FAKE_TAP=$DATA/tap-clean.tap FAKE_SETUP=$DATA/setup-ok \
		TESTS=mm:a,mm:b RUN_DIR=$TMP/notarun expect_rc 4 fake_run
	[ -f "$TMP/notarun/precious" ] || fail "a directory that was not a run was removed"
}

# make help names every target; make's command line alone sets the guest's
# architecture, and an exported ARCH or CROSS_COMPILE changes nothing.
test_make_help_lists_every_target() {
	local t
	expect_rc 0 make -s -C "$TOP" help
	local targets
	read -r -a targets <<<"$(sed -n '/^\.PHONY:/,/^$/p' "$TOP/Makefile" | sed 's/^\.PHONY://; s/[\\]$//' | tr '\n' ' ')"
	[ "${#targets[@]}" -gt 20 ] || fail "found only ${#targets[@]} targets in .PHONY"
	for t in "${targets[@]}"; do
		grep -q "^  $t  *[^ ]" "$TMP/cmd.out" || fail "make help does not describe $t"
	done
	local v
	local exported
	read -r -a exported <<<"$(awk '/^export GUEST_ARCH/ { on = 1 } on { print; if ($0 !~ /\\$/) exit }' \
		"$TOP/Makefile" | sed 's/^export //; s/[\\]$//' | tr '\n' ' ')"
	[ "${#exported[@]}" -gt 20 ] || fail "found only ${#exported[@]} exported variables"
	for v in "${exported[@]}"; do
		[ "$v" != GUEST_ARCH ] || v=ARCH
		grep -q "^  .*\b$v=" "$TMP/cmd.out" || fail "make help does not describe $v"
	done
}

test_environment_does_not_change_the_guest() {
	ARCH=x86 CROSS_COMPILE=bogus- expect_rc 0 make -s -C "$TOP" env
	expect_out '^arch=x86_64$'
	expect_out '^cross_compile=$'
	expect_rc 2 make -s -C "$TOP" env ARCH=x86
	expect_out 'ARCH=x86: the guest architectures are those of config/qemu/: arm64 x86_64'
	expect_rc 0 make -s -C "$TOP" env ARCH=arm64
	expect_out '^cross_compile=aarch64-linux-gnu-$'
	KASAN=yes expect_rc 2 make -s -C "$TOP" env
	expect_out 'KASAN=yes: use one of'
}

# make -j must not run the steps of a composite target at the same time.
test_make_runs_steps_in_order_under_j() {
	local f=$TMP/order/s
	rm -rf "$TMP/order"
	mkdir -p "$f"
	for s in deps apply config build-kernel build-rootfs build-selftests run-tests; do
		printf '#!/bin/sh\necho "start %s $*" >>"%s"\nsleep 0.3\necho "end %s" >>"%s"\n' \
			"$s" "$TMP/order/log" "$s" "$TMP/order/log" >"$f/$s.sh"
		chmod +x "$f/$s.sh"
	done
	expect_rc 0 make -s -C "$TOP" -j8 all S="$f"
	awk '/^start/ { if (open) bad = 1; open = 1 } /^end/ { open = 0 } END { exit bad }' "$TMP/order/log" ||
		fail "steps overlapped: $(cat "$TMP/order/log")"
	[ "$(grep -c '^start' "$TMP/order/log")" -eq 10 ] || fail "steps: $(cat "$TMP/order/log")"
	grep -q '^start build-kernel --if-stale' "$TMP/order/log" || fail "make run does not rebuild a stale kernel"
	grep -A3 '^start build-rootfs --if-stale' "$TMP/order/log" | grep -q '^start build-selftests --if-stale' ||
		fail "make run does not remake the guest root before the kselftests: $(cat "$TMP/order/log")"
}

# Every target that configures a kernel applies the series first, so that it
# works from a clean clone (config.sh reads the work tree's Kconfig).
test_targets_apply_before_they_configure() {
	local f=$TMP/applyfirst/s t
	rm -rf "$TMP/applyfirst"
	mkdir -p "$f"
	for s in deps apply config build-kernel build-rootfs build-selftests run-tests fstests check-postings; do
		printf '#!/bin/sh\necho "%s" >>"%s"\n' "$s" "$TMP/applyfirst/log" >"$f/$s.sh"
		chmod +x "$f/$s.sh"
	done
	for t in all fstests build-postings cross kasan; do
		rm -f "$TMP/applyfirst/log"
		expect_rc 0 make -s -C "$TOP" "$t" S="$f"
		grep -q '^config$' "$TMP/applyfirst/log" || fail "make $t does not configure: $(cat "$TMP/applyfirst/log")"
		[ "$(grep -m1 -x -e apply -e config "$TMP/applyfirst/log")" = apply ] ||
			fail "make $t configures before it applies the series: $(tr '\n' ' ' <"$TMP/applyfirst/log")"
	done
}

# What a build was made from, and when it is stale.
test_build_record_tells_a_stale_build() {
	make_toy
	local wt=$TMP/author rec=$TMP/rec
	(
		WORKTREE=$wt
		# shellcheck source=../scripts/lib.sh
		. "$S/lib.sh"
		build_record "$(tree_id "$wt" "$DATA/frag1.config")" >"$rec"
		grep -qx 'uncommitted=0' "$rec" || fail "record: $(cat "$rec")"
		grep -qx "commits_on_base=2" "$rec" || fail "record: $(cat "$rec")"
		! record_stale "$rec" "$DATA/frag1.config" 2>/dev/null || fail "fresh build called stale"
		echo change >>"$wt/README"
		record_stale "$rec" "$DATA/frag1.config" 2>/dev/null || fail "an uncommitted change is not stale"
		git -C "$wt" checkout -q README
		! record_stale "$rec" "$DATA/frag1.config" 2>/dev/null || fail "reverted change still stale"
		echo 'int x;' >"$wt/added.c"
		record_stale "$rec" "$DATA/frag1.config" 2>/dev/null || fail "a new untracked file is not stale"
		build_record "$(tree_id "$wt" "$DATA/frag1.config")" >"$rec"
		echo 'int y;' >>"$wt/added.c"
		record_stale "$rec" "$DATA/frag1.config" 2>/dev/null || fail "an edit of an untracked file is not stale"
		rm "$wt/added.c"
		record_stale "$rec" "$DATA/frag2.config" 2>/dev/null || fail "another config is not stale"
		record_stale "$TMP/no-record" 2>/dev/null || fail "a build without a record is not rebuilt"
		WORKTREE=$TMP/elsewhere
		! record_stale "$rec" 2>/dev/null || fail "another tree's build would be rebuilt from this one"
	)
}

# kbuild sees the harness's ARCH, the arch's CROSS_COMPILE and no LLVM,
# whatever the caller's environment says.
test_kbuild_gets_no_variable_from_the_environment() {
	mkdir -p "$TMP/fakebin"
	# shellcheck disable=SC2016 # expanded by the fake make
	printf '#!/bin/sh\necho "args: $*"\necho "env: ARCH=${ARCH-unset} CROSS_COMPILE=${CROSS_COMPILE-unset} LLVM=${LLVM-unset}"\n' \
		>"$TMP/fakebin/make"
	chmod +x "$TMP/fakebin/make"
	# shellcheck disable=SC2016 # expanded by the inner shell
	ARCH=x86 CROSS_COMPILE=bogus- LLVM=1 PATH=$TMP/fakebin:$PATH expect_rc 0 \
		bash -c '. "$1"; kmake src obj vmlinux' _ "$S/lib.sh"
	expect_out 'args: -C src O=obj ARCH=x86_64 -j'
	grep -q 'CROSS_COMPILE=bogus\|LLVM=1' "$TMP/cmd.out" && fail "the environment reached kbuild: $(cat "$TMP/cmd.out")"
	expect_out 'env: ARCH=x86_64 CROSS_COMPILE=unset LLVM=unset'
	# shellcheck disable=SC2016 # expanded by the inner shell
	GUEST_ARCH=arm64 PATH=$TMP/fakebin:$PATH expect_rc 0 bash -c '. "$1"; kmake src obj Image' _ "$S/lib.sh"
	expect_out 'ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- '
}

# The results report is written from stored runs, by a command.
test_report_is_written_from_stored_runs() {
	local want
	export RESULTS=$TMP/results
	FAKE_CONSOLE=$DATA/console-short-clean.log FAKE_TAP=$DATA/tap-clean.tap FAKE_SETUP=$DATA/setup-ok \
		TESTS=mm:a,mm:b RUN_DIR=$TMP/run-pass expect_rc 0 fake_run
	FAKE_CONSOLE=$DATA/console-warn.log FAKE_TAP=$DATA/tap-mixed.tap FAKE_SETUP=$DATA/setup-ok \
		RUN_DIR=$TMP/run-fail expect_rc 2 fake_run
	expect_rc 0 "$S/record-run.sh" "$TMP/run-pass" good "a passing run"
	expect_rc 0 "$S/record-run.sh" "$TMP/run-fail" bad
	expect_rc 4 "$S/record-run.sh" "$TMP" nometa
	expect_out 'has no meta'
	expect_rc 0 "$S/report.sh" "$TMP/results.md"
	grep -q '^| good | a passing run | pass | 2 passed, 0 failed, 0 skipped | ' "$TMP/results.md" ||
		fail "no row for the passing run: $(cat "$TMP/results.md")"
	grep -q '^| bad |  | kernel report | 1 passed, 3 failed, 2 skipped | ' "$TMP/results.md" ||
		fail "no row for the failing run: $(cat "$TMP/results.md")"
	grep -q '^### bad: kernel report' "$TMP/results.md" || fail "no section for the failing run"
	grep -q '^kernel report 1: WARNING: CPU: 1' "$TMP/results.md" || fail "the report's digest is missing"
	grep -q '^FAIL: not ok 2 mm:b' "$TMP/results.md" || fail "the failing test is missing"
	grep -q ' | x86_64 | plain | ' "$TMP/results.md" || fail "no architecture column: $(cat "$TMP/results.md")"
	mkdir -p "$RESULTS/fstests/set-dax"
	printf 'command=make fstests TESTS=set:dax\nbase_verdict=1\npatched_verdict=1\n' >"$RESULTS/fstests/set-dax/meta"
	printf '| test | base | patched |\n|---|---|---|\n| generic/344 | fail | fail |\n' >"$RESULTS/fstests/set-dax/table.md"
	expect_rc 0 "$S/report.sh" "$TMP/results.md"
	for want in '^### set-dax' '^| generic/344 | fail | fail |' 'run verdicts: base test failure, patched test failure'; do
		grep -q "$want" "$TMP/results.md" || fail "fstests table: no '$want' in $(cat "$TMP/results.md")"
	done
	RESULTS_RUNS="good nosuch" expect_rc 4 "$S/report.sh" "$TMP/results2.md"
	expect_out 'no stored run nosuch'
}

mapfile -t all < <(declare -F | awk '$3 ~ /^test_/ {print $3}')
selected=("${@/#/test_}")
[ $# -gt 0 ] || selected=("${all[@]}")
echo "TAP version 13"
echo "1..${#selected[@]}"
# A test returns 0 (pass), 77 (skip, printing why) or anything else (fail).
n=0 passed=0 failed=0 skipped=0
for t in "${selected[@]}"; do
	n=$((n + 1))
	rc=0
	out=$("$t" 2>&1) || rc=$?
	case $rc in
	0) echo "ok $n ${t#test_}"; passed=$((passed + 1)) ;;
	77) echo "ok $n ${t#test_} # SKIP $(tail -n 1 <<<"$out")"; skipped=$((skipped + 1)) ;;
	*)
		echo "not ok $n ${t#test_}"
		printf '%s\n' "$out" | tail -n 25 | sed 's/^/# /'
		failed=$((failed + 1))
		;;
	esac
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
