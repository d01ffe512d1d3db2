// SPDX-License-Identifier: GPL-2.0
/*
 * Page-fault cost on DAX, the paths that vmf_insert_page_order() now serves:
 * read faults on a hole of a file on a -o dax filesystem (the 4K zero page
 * with PTEs, the huge zero folio with PMDs), write faults on its allocated
 * extents (PTE and PMD), and read faults on device-dax at its alignment.
 *
 * Every metric is the time of one pass over SIZE_MB with a fresh mapping: one
 * access per 4 KiB through a mapping that is not 2 MiB aligned (PTE faults), or
 * per 2 MiB through an aligned one (PMD faults; PMD_PASSES passes per sample,
 * there are few of them).  The mapping is made before and removed after the
 * timed loop.  The file's DAX entries stay between passes, as in a workload
 * that maps a file again.
 *
 * Usage: dax_fault_bench [REPETITIONS [SIZE_MB]]; DAX_DIR (default /mnt/dax),
 * DEVDAX (device-dax instances it may overwrite, separated by ':'; it uses the
 * one with 2 MiB alignment, and has no device-dax metrics without one).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "bench.h"

#define SZ_4K 4096UL
#define PMD_PASSES 16

/* A mapping of @size of @fd, 2 MiB aligned plus @skew, in a reservation *@raw. */
static char *map_at(int fd, size_t size, int prot, size_t skew, char **raw)
{
	char *addr;

	*raw = mmap(NULL, size + 2 * SZ_2M, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (*raw == MAP_FAILED)
		fail("mmap reserve");
	addr = (char *)(((uintptr_t)*raw + SZ_2M - 1) & ~(SZ_2M - 1)) + skew;
	if (mmap(addr, size, prot, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED)
		fail("mmap");
	return addr;
}

/* One timed pass: touch every @step bytes of a fresh mapping; ms. */
static double pass(int fd, size_t size, int prot, size_t step, bool write, size_t skew)
{
	unsigned long long t0;
	char *raw, *p = map_at(fd, size, prot, skew, &raw);
	volatile char sink;
	size_t i;

	t0 = now_ns();
	for (i = 0; i < size; i += step) {
		if (write)
			p[i] = (char)i;
		else
			sink = p[i];
	}
	t0 = now_ns() - t0;
	(void)sink;
	munmap(raw, size + 2 * SZ_2M);
	return t0 / 1e6;
}

static void measure(const char *metric, int fd, size_t size, int prot, bool write, bool pmd,
		    int reps)
{
	int r, i;

	for (r = 0; r < reps; r++) {
		double ms = 0;

		if (pmd)
			for (i = 0; i < PMD_PASSES; i++)
				ms += pass(fd, size, prot, SZ_2M, write, 0);
		else
			ms = pass(fd, size, prot, SZ_4K, write, SZ_4K);
		report(metric, ms, "ms");
	}
}

static void fsdax(int reps, size_t size)
{
	const char *dir = getenv("DAX_DIR") ? : "/mnt/dax";
	char path[4096], *buf;
	struct statx stx;
	size_t off;
	int fd;

	snprintf(path, sizeof(path), "%s/dax_fault_bench.XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0)
		skip("cannot create a file in %s (DAX_DIR)", dir);
	unlink(path);
	if (statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx) ||
	    !(stx.stx_attributes & STATX_ATTR_DAX))
		skip("%s is not mounted with -o dax", dir);

	/* Holes: read faults map the zero page or the huge zero folio. */
	if (ftruncate(fd, size))
		fail("ftruncate");
	measure("fsdax-hole-read-4k", fd, size, PROT_READ, false, false, reps);
	measure("fsdax-hole-read-2m", fd, size, PROT_READ, false, true, reps);

	/* Allocated extents, written once: write faults map the blocks. */
	buf = malloc(SZ_2M);
	if (!buf)
		fail("malloc");
	memset(buf, 0x5a, SZ_2M);
	for (off = 0; off < size; off += SZ_2M)
		if (pwrite(fd, buf, SZ_2M, off) != (ssize_t)SZ_2M)
			fail("pwrite");
	if (fsync(fd))
		fail("fsync");
	free(buf);
	measure("fsdax-write-4k", fd, size, PROT_READ | PROT_WRITE, true, false, reps);
	measure("fsdax-write-2m", fd, size, PROT_READ | PROT_WRITE, true, true, reps);
	close(fd);
}

static void devdax(int reps, size_t size)
{
	const char *list = getenv("DEVDAX");
	char devs[4096], *dev, *pos;
	int fd = -1;

	if (!list) {
		printf("# DEVDAX names no device-dax that may be overwritten: no device-dax metrics\n");
		return;
	}
	snprintf(devs, sizeof(devs), "%s", list);
	for (dev = strtok_r(devs, ":", &pos); dev; dev = strtok_r(NULL, ":", &pos)) {
		fd = open(dev, O_RDWR);
		if (fd < 0)
			fail("cannot open %s (DEVDAX): %s", dev, strerror(errno));
		if (devdax_attr(fd, "align") == SZ_2M)
			break;
		close(fd);
		fd = -1;
	}
	if (fd < 0) {
		printf("# no device-dax with 2 MiB alignment in DEVDAX (%s): no device-dax metrics\n", list);
		return;
	}
	/* 2 MiB alignment: PMD faults. */
	measure("devdax-read-2m", fd, size, PROT_READ, false, true, reps);
	measure("devdax-write-2m", fd, size, PROT_READ | PROT_WRITE, true, true, reps);
	close(fd);
}

int main(int argc, char **argv)
{
	int reps = argc > 1 ? atoi(argv[1]) : 5;
	size_t size = (argc > 2 ? strtoul(argv[2], NULL, 0) : 256) << 20;

	if (reps < 1 || !size || size % SZ_2M)
		fail("usage: dax_fault_bench [REPETITIONS [SIZE_MB, a multiple of 2]]");
	pin_to_last_cpu();
	fsdax(reps, size);
	devdax(reps, size);
	return 0;
}
