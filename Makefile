# SPDX-License-Identifier: GPL-2.0
# A thin table of targets: each is one script in scripts/ that also runs alone.
# `make` applies the series, builds, boots and runs the series' own tests;
# `make check` is what CI runs: harness self-tests, quilt check, each posting
# applied on its declared base, build, whole plan.
#
# Variables: KSRC=/path/to/linux.git BASE=<commit-ish> (your tree instead of the
# Debian package), TESTS=name,name|set:NAME (which plan entries), ACCEL=tcg|kvm,
# KASAN=1 (add config/kasan.config), FORCE=1 (apply over unexported commits),
# VERBOSE=1 (show the whole console), BUILD=dir (default ./build),
# ROUNDS=N (bench boots per kernel), ICOUNT=1 (TCG -icount: guest time counts
# instructions), FROM=N TO=M PREFIX_VARIANTS="OPT ..." (bisect:
# patches N..M; also build each prefix with CONFIG_OPT off).

SHELL := /bin/bash
S := scripts

export FRAGMENTS KSRC BASE KASAN ACCEL ICOUNT FORCE VERBOSE BUILD ROUNDS FROM TO PREFIX_VARIANTS KOBJ RUN_DIR

# Plain `make` runs the series' own tests; the whole plan while there are none.
SERIES_TESTS := $(shell selftests/run-plan.sh --list selftests/plan set:series)
TESTS ?= $(if $(SERIES_TESTS),set:series)
export TESTS

.PHONY: all check deps base apply export config build kernel selftests run \
	test-harness quilt-check check-postings build-postings kasan shellcheck checkpatch warnings \
	bisect cross mbox bench \
	clean distclean help

all: deps apply config build run

# The cheap checks of the series' form first, then build and the whole plan.
check: deps apply test-harness shellcheck checkpatch quilt-check check-postings config build warnings
	$(MAKE) run TESTS=

deps:
	$(S)/deps.sh
base:
	$(S)/get-base.sh
apply:
	$(S)/apply.sh
export:
	$(S)/export.sh
config:
	$(S)/config.sh
build: kernel selftests
kernel:
	$(S)/build-kernel.sh
selftests:
	$(S)/build-selftests.sh
run:
	$(S)/run-tests.sh
quilt-check:
	$(S)/quilt-check.sh
# Each posting applies on the base plus the postings it needs (./postings);
# build-postings also builds each so applied (the .config of `make config`).
check-postings:
	$(S)/check-postings.sh
build-postings: config
	$(S)/check-postings.sh build
test-harness:
	tests/run.sh
shellcheck:
	shellcheck $(S)/*.sh selftests/*.sh tests/*.sh config/qemu/*.sh .ci/run

# The whole plan on a KASAN kernel, in its own object and run directories so
# that the debug build and its results stay (not in CI: see docs/harness.md).
kasan: deps apply
	$(MAKE) config kernel selftests run KASAN=1 KOBJ=$(abspath $(or $(BUILD),build))/obj-kasan \
		RUN_DIR=$(abspath $(or $(BUILD),build))/run-kasan TESTS=

# The series' form.
checkpatch:
	$(S)/checkpatch.sh
warnings:
	$(S)/warnings.sh
bisect:
	$(S)/bisect-build.sh
cross:
	$(S)/deps.sh gcc-aarch64-linux-gnu
	$(S)/cross-build.sh
mbox:
	$(S)/mbox.sh
bench:
	$(S)/bench.sh

clean:
	rm -rf $(addprefix $(or $(BUILD),build)/,obj obj-kasan kselftest run run-kasan)
# Everything but the work tree, which may hold unexported commits.
distclean: clean
	rm -rf $(addprefix $(or $(BUILD),build)/,base bisect bench kselftest obj-arm64 postings quilt-check mbox *.log)

help:
	@sed -n '2,/^$$/s/^# \{0,1\}//p' Makefile
	@printf '\nTargets: %s\n' "$$(sed -n 's/^\([a-z-]*\):.*/\1/p' Makefile | tr '\n' ' ')"
