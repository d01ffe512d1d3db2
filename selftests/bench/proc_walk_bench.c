// SPDX-License-Identifier: GPL-2.0
/*
 * Page-table walks from user space: read /proc/self/smaps, /proc/self/numa_maps
 * and /proc/self/pagemap, and call mincore(), over one populated mapping at a
 * time: 1 GiB of anonymous memory backed by PMD-mapped THPs, then 1 GiB backed
 * by 4K pages.  Prints the time of one full pass per interface and repetition;
 * over THP, where a pass takes a few ms, the mean of PASSES_THP passes.
 *
 * Usage: proc_walk_bench [REPETITIONS [SIZE_MB]]
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#include "bench.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

static char buf[1 << 16];

/* Read a whole /proc file; returns the bytes read. */
static size_t read_all(const char *path)
{
	size_t total = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		fail("open %s", path);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	if (n < 0)
		fail("read %s", path);
	close(fd);
	return total;
}

/* Read the pagemap entries of [addr, addr + size) in 64 KiB chunks. */
static void read_pagemap(int fd, char *addr, size_t size)
{
	size_t pages = size / getpagesize(), done = 0;
	off_t off = (uintptr_t)addr / getpagesize() * sizeof(uint64_t);

	while (done < pages) {
		size_t n = pages - done;

		if (n > sizeof(buf) / sizeof(uint64_t))
			n = sizeof(buf) / sizeof(uint64_t);
		if (pread(fd, buf, n * sizeof(uint64_t), off) != (ssize_t)(n * sizeof(uint64_t)))
			fail("pread pagemap");
		done += n;
		off += n * sizeof(uint64_t);
	}
}

/* Over THP a pass is too short to time alone under TCG: time this many. */
#define PASSES_THP 16

static const char *const walks[] = { "smaps", "numa_maps", "pagemap", "mincore" };

/* One pass of walk @w over [addr, addr + size). */
static void walk_once(int w, int pagemap_fd, char *addr, size_t size)
{
	static unsigned char vec[SZ_1G / 4096];

	switch (w) {
	case 0:
		read_all("/proc/self/smaps");
		break;
	case 1:
		read_all("/proc/self/numa_maps");
		break;
	case 2:
		read_pagemap(pagemap_fd, addr, size);
		break;
	case 3:
		if (size / getpagesize() > sizeof(vec) || mincore(addr, size, vec))
			fail("mincore");
		break;
	}
}

static void measure(const char *kind, char *addr, size_t size, int reps,
		    int passes)
{
	char metric[64];
	unsigned long long t;
	int fd, i, j, w;

	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0)
		fail("open pagemap");
	for (i = 0; i < reps; i++) {
		for (w = 0; w < (int)(sizeof(walks) / sizeof(walks[0])); w++) {
			t = now_ns();
			for (j = 0; j < passes; j++)
				walk_once(w, fd, addr, size);
			snprintf(metric, sizeof(metric), "%s-%s", walks[w], kind);
			report(metric, (now_ns() - t) / 1e6 / passes, "ms");
		}
	}
	close(fd);
}

static char *populate(size_t size, int advice)
{
	char *raw, *addr;

	/* Over-allocate to align the start to 2 MiB. */
	raw = mmap(NULL, size + SZ_2M, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		fail("mmap %zu", size);
	addr = (char *)(((uintptr_t)raw + SZ_2M - 1) & ~(SZ_2M - 1));
	if (madvise(addr, size, advice))
		fail("madvise");
	if (madvise(addr, size, MADV_POPULATE_WRITE))
		fail("MADV_POPULATE_WRITE");
	return addr;
}

int main(int argc, char **argv)
{
	int reps = argc > 1 ? atoi(argv[1]) : 5;
	size_t size = (argc > 2 ? strtoul(argv[2], NULL, 0) : 1024) << 20;
	long thp_kb;
	char *addr;

	pin_to_last_cpu();
	if (size > SZ_1G || size % SZ_2M)
		fail("SIZE_MB must be a multiple of 2 and at most 1024");
	if (access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK))
		skip("no transparent huge pages in this kernel");

	addr = populate(size, MADV_HUGEPAGE);
	thp_kb = proc_kb("/proc/self/smaps_rollup", "AnonHugePages");
	printf("# THP mapping: %ld of %zu kB in huge pages\n", thp_kb, size >> 10);
	if (thp_kb < (long)(size >> 10) * 9 / 10)
		skip("only %ld kB of %zu kB got huge pages", thp_kb, size >> 10);
	measure("thp", addr, size, reps, PASSES_THP);
	munmap(addr, size);

	addr = populate(size, MADV_NOHUGEPAGE);
	measure("4k", addr, size, reps, 1);
	munmap(addr, size);
	return 0;
}
