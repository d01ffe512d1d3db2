# SPDX-License-Identifier: GPL-2.0
# A thin table of targets: each is one script in scripts/ that also runs alone.
# `make` applies the series, builds, boots and runs the series' own tests;
# `make check` is what CI runs.  `make help` lists every target and variable:
# it reads the "## " comment above each target and the "#: " lines below.

SHELL := /bin/bash
S := scripts

# Targets run one after another even under make -j (kernel developers have -j in
# MAKEFLAGS): the steps depend on each other's files, and each script runs its
# own parallel build.
.NOTPARALLEL:

#: Variables (on make's command line or in the environment, unless said):
#:   TESTS=name,name|set:NAME  which plan entries `make run` runs (default: the series' own; `make check`, `make kasan`: all)
#:   PLAN=file                 the plan file (default selftests/plan)
#:   REPEAT=N                  `make run`: the selection N times in one boot, round after round (flake check)
#:   KSELFTESTS=dir            the built kselftests the guest runs (default $(BUILD)/kselftest, $(BUILD)/kselftest-ARCH)
#:   KSRC=~/linux BASE=v7.3.4  apply onto your own tree's commit instead of Debian's package
#:   BASE_DEB=file BASE_TARBALL=file  the base from a file of yours (docs/base.md)
#:   FORCE=1                   `make apply` over commits that were never exported (they are lost)
#:   KASAN=1                   add config/kasan.config (KASAN) at `make config`
#:   DEBUG_INFO=0              leave out config/debuginfo.config at `make config` (default 1: kernel reports decoded to file:line)
#:   FRAGMENTS="f ..."         the config fragments instead of the default list (scripts/lib.sh)
#:   ACCEL=auto|tcg|kvm        QEMU's accelerator (auto: KVM only if a probe boot reaches init)
#:   ICOUNT=1                  under TCG, guest time counts guest instructions (QEMU -icount)
#:   VERBOSE=1                 show the whole console and the QEMU command line
#:   KERNEL_ARGS="..."         add to the guest kernel's command line
#:   QEMU=path                 the QEMU binary (default from config/qemu/ARCH.sh)
#:   QEMU_TIMEOUT=s GUEST_TIME_CAP=s  kill a guest after s seconds (default: the plan's timeouts + 300, at most the cap, 3600; make fstests: 14400)
#:   ARCH=x86_64|arm64         the guest's architecture, from make's command line only (arm64: make ARCH=arm64 run)
#:   BUILD=dir KOBJ=dir        build directory (default ./build), kernel objects (default $(BUILD)/obj, $(BUILD)/obj-ARCH)
#:   RUN_DIR=dir               where `make run` writes (default: a new $(BUILD)/runs/STAMP-OBJ, linked as $(BUILD)/run)
#:   ROUNDS=N BENCH_PLAN=file  bench: boots per kernel (default 3), the benchmark plan
#:   BENCH_RESULTS=1           bench: also store the table in results/bench/ (for make report)
#:   FSTESTS_RESULTS=1         fstests: also store the table in results/fstests/ (for make report)
#:   DEBIAN_MIRROR=url         ARCH=arm64: the Debian mirror its guest root comes from (default deb.debian.org)
#:   FROM=N TO=M PREFIX_VARIANTS="OPT ..."  bisect: patches N..M; also each prefix with CONFIG_OPT off
#:   RESULTS_RUNS="name ..."   report: the stored runs (results/runs/) docs/results.md is written from

# The guest's architecture comes from make's command line only: an ARCH or
# CROSS_COMPILE exported in a kernel developer's shell is never read (the cross
# compiler is the architecture's data, config/qemu/ARCH.sh), and neither is
# LLVM: the guest is built with gcc.
GUEST_ARCH := $(if $(filter command line,$(origin ARCH)),$(ARCH),x86_64)
unexport ARCH CROSS_COMPILE LLVM LLVM_IAS
export GUEST_ARCH FRAGMENTS KSRC BASE KASAN DEBUG_INFO ACCEL ICOUNT FORCE VERBOSE BUILD ROUNDS FROM TO \
	PREFIX_VARIANTS KOBJ RUN_DIR PLAN REPEAT BENCH_PLAN BENCH_RESULTS FSTESTS_RESULTS RESULTS_RUNS KSELFTESTS KERNEL_ARGS \
	QEMU QEMU_TIMEOUT GUEST_TIME_CAP BASE_DEB BASE_TARBALL

# Another architecture's objects and runs beside x86_64's (build/obj-kasan-arm64).
ARCH_SUFFIX := $(if $(filter-out x86_64,$(GUEST_ARCH)),-$(GUEST_ARCH))
KASAN_OBJ = $(abspath $(or $(BUILD),build))/obj-kasan$(ARCH_SUFFIX)

# Plain `make` runs the series' own tests; the whole plan while there are none.
SERIES_TESTS := $(shell selftests/run-plan.sh --list selftests/plan set:series)
TESTS ?= $(if $(SERIES_TESTS),set:series)
export TESTS

.PHONY: all check deps base apply export config build kernel rootfs selftests run shell \
	test-harness quilt-check check-postings build-postings kasan shellcheck checkpatch warnings \
	bisect cross mbox bench fstests report env clean distclean help

## get the base, apply the series, configure, build, boot, run the series' own tests
all: deps apply config build run

## what CI runs: self-tests, shellcheck, checkpatch, quilt, postings, build, W=1, the whole plan
check: deps apply test-harness shellcheck checkpatch quilt-check check-postings config build warnings
	$(MAKE) run TESTS=

## install the Debian packages the harness needs (apt; only those missing)
deps:
	$(S)/deps.sh
## fetch and verify the base (Debian's linux-source package, or KSRC/BASE)
base:
	$(S)/get-base.sh
## apply the series onto the base in build/linux (refuses to lose unexported work)
apply:
	$(S)/apply.sh
## write the work tree's commits back to patches/ and series
export:
	$(S)/export.sh
## make the guest's .config from the fragments, and check every option survived
config:
	$(S)/config.sh
## build the kernel, the guest's root (ARCH=arm64) and the kselftests
build: kernel rootfs selftests
## build the kernel (ccache, out of tree in KOBJ)
kernel:
	$(S)/build-kernel.sh
## the root filesystem of another architecture's guest (ARCH=arm64: Debian's arm64 packages)
rootfs:
	$(S)/build-rootfs.sh --if-stale
## build the kselftest suites the plan uses
selftests:
	$(S)/build-selftests.sh
## boot once and run the plan (TESTS=...); rebuilds first what an edit made stale
run:
	$(S)/build-kernel.sh --if-stale
	$(S)/build-rootfs.sh --if-stale
	$(S)/build-selftests.sh --if-stale
	$(S)/run-tests.sh
## the test guest (pmem, fsdax, device-dax, swap, NUMA, the kselftests) with a shell
shell:
	$(S)/build-kernel.sh --if-stale
	$(S)/build-rootfs.sh --if-stale
	$(S)/build-selftests.sh --if-stale
	$(S)/guest-shell.sh
## host-only self-tests of the harness (seconds)
test-harness:
	tests/run.sh
## quilt push -a gives the same tree as git am
quilt-check:
	$(S)/quilt-check.sh
## each posting applies on the base plus the postings it names
check-postings:
	$(S)/check-postings.sh
## check-postings, and build each posting so applied
build-postings: apply config
	$(S)/check-postings.sh build
## shellcheck every script
shellcheck:
	shellcheck $(S)/*.sh selftests/*.sh selftests/fstests/*.sh selftests/repro/*.sh tests/*.sh tests/data/fake/qemu \
		config/qemu/*.sh .ci/run

## the whole plan (TESTS is ignored) on a KASAN kernel, in build/obj-kasan, runs linked as build/run-kasan (-arm64 with ARCH=arm64; not in CI)
kasan: deps apply
	$(MAKE) config kernel rootfs selftests KASAN=1 KOBJ=$(KASAN_OBJ)
	KASAN=1 KOBJ=$(KASAN_OBJ) RUN_LINK=run-kasan$(ARCH_SUFFIX) TESTS= $(S)/run-tests.sh

## checkpatch.pl --strict on every patch (reviewed exceptions: config/checkpatch-exceptions)
checkpatch:
	$(S)/checkpatch.sh
## W=1 and sparse on the touched files: new warnings only
warnings:
	$(S)/warnings.sh
## build every prefix of the stack (FROM/TO), also with PREFIX_VARIANTS off
bisect:
	$(S)/bisect-build.sh
## cross-build the patched kernel for arm64 (make ARCH=arm64 deps apply config kernel)
cross:
	$(MAKE) deps apply config kernel ARCH=arm64
## one b4-compatible mbox per posting in build/mbox (you as the sender)
mbox:
	$(S)/mbox.sh
## base against patched, booted alternately ROUNDS times (ICOUNT=1: instruction counts)
bench:
	$(S)/bench.sh
## fstests on DAX (ext4, xfs -o dax=always), base against patched in one invocation; TESTS: entries or sets of selftests/plan-fstests (not in CI)
fstests: deps apply config
	TESTS=$(if $(filter command line environment,$(origin TESTS)),$(TESTS)) $(S)/fstests.sh
## write docs/results.md from the stored runs in results/
report:
	$(S)/report.sh
## print the values the harness will use (arch, paths, plan, selection)
env:
	@$(S)/env.sh

## remove the kernel objects, kselftests and runs
clean:
	rm -rf $(addprefix $(or $(BUILD),build)/,obj obj-kasan obj-arm64 obj-kasan-arm64 kselftest kselftest-arm64 run run-kasan run-kasan-arm64 runs shell)
## clean, and everything else built, but the work tree (it may hold unexported commits)
distclean: clean
	rm -rf $(addprefix $(or $(BUILD),build)/,base bisect bench rootfs-* postings quilt-check mbox fstests fstests-runs *.log)

## this list
help:
	@sed -n '2,/^$$/s/^# \{0,1\}//p' Makefile
	@echo
	@echo 'Targets:'
	@awk '/^## / { doc = substr($$0, 4); next } /^[a-z-]+:/ && doc != "" { sub(/:.*/, ""); printf "  %-15s %s\n", $$0, doc } { doc = "" }' Makefile
	@echo
	@sed -n 's/^#: \{0,1\}//p' Makefile
