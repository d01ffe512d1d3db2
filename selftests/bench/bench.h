/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared helpers of the benchmark programs run by `make bench`.
 *
 * Every program prints one line per measurement:
 *	bench <metric> <value> <unit>
 * which scripts/bench.sh collects from the base and the patched kernel and
 * reduces to a median and a spread.  A program exits 4 (KSFT_SKIP) when the
 * kernel lacks what it measures, saying why.
 */
#ifndef MM_SERIES_BENCH_H
#define MM_SERIES_BENCH_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define KSFT_SKIP 4
#define SZ_2M (2UL << 20)
#define SZ_1G (1UL << 30)

static inline unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static inline void report(const char *metric, double value, const char *unit)
{
	printf("bench %s %.3f %s\n", metric, value, unit);
	fflush(stdout);
}

static inline void __attribute__((noreturn, format(printf, 1, 2)))
skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("# SKIP ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	exit(KSFT_SKIP);
}

static inline void __attribute__((noreturn, format(printf, 1, 2)))
fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("# FAIL ");
	vprintf(fmt, ap);
	printf(" (errno %d: %s)\n", errno, strerror(errno));
	va_end(ap);
	exit(1);
}

/* The value of "Key:" (in kB) in a /proc file such as smaps_rollup or meminfo. */
static inline long proc_kb(const char *path, const char *key)
{
	char line[256];
	size_t len = strlen(key);
	long val = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && line[len] == ':') {
			val = strtol(line + len + 1, NULL, 10);
			break;
		}
	fclose(f);
	return val;
}

static inline int write_sysfs(const char *path, const char *val)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f)
		return -1;
	ret = fputs(val, f) < 0 ? -1 : 0;
	return fclose(f) ? -1 : ret;
}

/*
 * Run on the last CPU only, away from the CPU that takes most interrupts, so that
 * repetitions compare like with like.
 */
static inline void pin_to_last_cpu(void)
{
	cpu_set_t set;
	int cpu, last = -1;

	if (sched_getaffinity(0, sizeof(set), &set))
		return;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &set))
			last = cpu;
	CPU_ZERO(&set);
	CPU_SET(last, &set);
	if (!sched_setaffinity(0, sizeof(set), &set))
		printf("# pinned to CPU %d\n", last);
}

/* @size bytes of @fd (-1: anonymous) mapped at a 2 MiB-aligned address. */
static inline char *map_aligned(int fd, size_t size, int flags)
{
	char *raw, *addr;

	raw = mmap(NULL, size + SZ_2M, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		fail("mmap reserve");
	addr = (char *)(((uintptr_t)raw + SZ_2M - 1) & ~(SZ_2M - 1));
	if (mmap(addr, size, PROT_READ | PROT_WRITE, flags | MAP_FIXED, fd, 0) == MAP_FAILED)
		fail("mmap");
	return addr;
}

/* The features UFFDIO_API offers. */
static inline unsigned long long uffd_offered(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	int uffd = syscall(__NR_userfaultfd, O_CLOEXEC);

	if (uffd < 0)
		skip("userfaultfd: %s", strerror(errno));
	if (ioctl(uffd, UFFDIO_API, &api))
		fail("UFFDIO_API");
	close(uffd);
	return api.features;
}

/* A sysfs attribute of the device-dax instance open at @fd, 0 if unknown. */
static inline unsigned long devdax_attr(int fd, const char *name)
{
	char path[256], buf[64] = "";
	struct stat st;
	FILE *f;

	if (fstat(fd, &st))
		return 0;
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/%s",
		 major(st.st_rdev), minor(st.st_rdev), name);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return strtoul(buf, NULL, 0);
}

#endif
