// SPDX-License-Identifier: GPL-2.0
/*
 * UFFDIO_CONTINUE throughput on shmem, as a postcopy live migration uses it:
 * the page cache of a memfd is filled through one mapping, a second mapping is
 * registered for minor faults, and CONTINUE maps the existing pages into it.
 * Measured over SIZE_MB of shmem backed by PMD-sized THPs and by 4K pages, with
 * CONTINUE calls of 4 KiB (one page at a time) and of 2 MiB, and the first touch
 * of every page after them.  MADV_DONTNEED unmaps the range between repetitions
 * (the page cache stays).  Over THP three ways: a shared mapping whose handler
 * asks for PMDs (UFFD_FEATURE_MINOR_SHMEM_PMD, where the kernel offers it:
 * "shmem-thp-pmd"), a shared one that does not ("shmem-thp": PTEs), and a
 * private one ("shmem-thp-private": PTEs, as CONTINUE never maps a PMD there).
 *
 * Usage: uffd_continue_bench [REPETITIONS [SIZE_MB]]
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <linux/userfaultfd.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "bench.h"

#ifndef UFFD_FEATURE_MINOR_SHMEM_PMD
#define UFFD_FEATURE_MINOR_SHMEM_PMD	(1 << 19)
#endif

#define SHMEM_ENABLED "/sys/kernel/mm/transparent_hugepage/shmem_enabled"
#define KHUGEPAGED_SLEEP "/sys/kernel/mm/transparent_hugepage/khugepaged/scan_sleep_millisecs"

/*
 * Nobody serves fault events: a page that is not mapped when touched (it was
 * unmapped again after CONTINUE) raises SIGBUS (UFFD_FEATURE_SIGBUS) instead of
 * blocking the benchmark forever.  khugepaged is what did that here, retracting
 * the page table of a PTE-mapped THP in the registered range (it leaves only
 * uffd-wp ranges alone), so main() keeps it asleep while the benchmark runs.
 */
static void refault(int sig)
{
	static const char msg[] = "# FAIL a page was unmapped again between CONTINUE and the touch\n";

	(void)sig;
	write(1, msg, sizeof(msg) - 1);
	_exit(1);
}

static int uffd_minor(char *addr, size_t size, int pmd)
{
	struct uffdio_api api = {
		.api = UFFD_API,
		.features = UFFD_FEATURE_MINOR_SHMEM | UFFD_FEATURE_SIGBUS,
	};
	struct uffdio_register reg = {
		.range = { .start = (uintptr_t)addr, .len = size },
		.mode = UFFDIO_REGISTER_MODE_MINOR,
	};
	int uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);

	if (pmd && (uffd_offered() & UFFD_FEATURE_MINOR_SHMEM_PMD))
		api.features |= UFFD_FEATURE_MINOR_SHMEM_PMD;
	else if (pmd)
		printf("# no UFFD_FEATURE_MINOR_SHMEM_PMD in this kernel: PTEs\n");
	if (uffd < 0)
		skip("userfaultfd: %s", strerror(errno));
	if (ioctl(uffd, UFFDIO_API, &api))
		skip("UFFD_FEATURE_MINOR_SHMEM: %s", strerror(errno));
	if (ioctl(uffd, UFFDIO_REGISTER, &reg))
		fail("UFFDIO_REGISTER minor");
	return uffd;
}

/* @shared: the registered mapping's; @pmd: ask for PMD-level CONTINUE */
static void run(const char *kind, int huge, int shared, int pmd, size_t size,
		int reps)
{
	static const size_t grans[] = { 4096, SZ_2M };
	long before = proc_kb("/proc/meminfo", "ShmemHugePages"), got;
	volatile char sink;
	char metric[64], *fill, *dst;
	unsigned long long t;
	int fd, uffd, r, g;
	size_t off;

	fd = memfd_create(kind, MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, size))
		fail("memfd");
	fill = map_aligned(fd, size, MAP_SHARED);
	if (madvise(fill, size, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE))
		fail("madvise fill");
	for (off = 0; off < size; off += 4096)
		fill[off] = 1;
	got = proc_kb("/proc/meminfo", "ShmemHugePages") - before;
	printf("# %s: %ld of %zu kB of the page cache in huge pages\n", kind, got, size >> 10);
	if (huge && got < (long)(size >> 10) * 9 / 10)
		skip("shmem THP: only %ld of %zu kB in huge pages", got, size >> 10);

	dst = map_aligned(fd, size, shared ? MAP_SHARED : MAP_PRIVATE);
	if (madvise(dst, size, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE))
		fail("madvise dst");
	uffd = uffd_minor(dst, size, pmd);
	for (r = 0; r < reps; r++) {
		for (g = 0; g < 2; g++) {
			if (madvise(dst, size, MADV_DONTNEED))
				fail("MADV_DONTNEED");
			t = now_ns();
			for (off = 0; off < size; off += grans[g]) {
				struct uffdio_continue cont = {
					.range = { .start = (uintptr_t)dst + off, .len = grans[g] },
				};

				if (ioctl(uffd, UFFDIO_CONTINUE, &cont) || cont.mapped != (long long)grans[g])
					fail("UFFDIO_CONTINUE at +%zu: mapped %lld", off, cont.mapped);
			}
			snprintf(metric, sizeof(metric), "continue-%s-%s", g ? "2m" : "4k", kind);
			report(metric, (now_ns() - t) / 1e6, "ms");

			t = now_ns();
			for (off = 0; off < size; off += 4096)
				sink = dst[off];
			snprintf(metric, sizeof(metric), "touch-after-%s-%s", g ? "2m" : "4k", kind);
			report(metric, (now_ns() - t) / 1e6, "ms");
		}
	}
	(void)sink;
	close(uffd);
	munmap(dst, size);
	munmap(fill, size);
	close(fd);
}

int main(int argc, char **argv)
{
	int reps = argc > 1 ? atoi(argv[1]) : 3;
	size_t size = (argc > 2 ? strtoul(argv[2], NULL, 0) : 1024) << 20;
	char old[64] = "", sleep_ms[64];
	FILE *f;

	pin_to_last_cpu();
	signal(SIGBUS, refault);
	if (!size || size % SZ_2M)
		fail("SIZE_MB must be a multiple of 2");
	f = fopen(SHMEM_ENABLED, "r");
	if (!f)
		skip("no shmem THP in this kernel");
	if (fscanf(f, "%*[^[][%63[^]]", old) != 1)
		old[0] = 0;
	fclose(f);
	if (write_sysfs(SHMEM_ENABLED, "advise"))
		fail("set %s", SHMEM_ENABLED);
	f = fopen(KHUGEPAGED_SLEEP, "r");
	if (!f || fscanf(f, "%63s", sleep_ms) != 1)
		fail("read %s", KHUGEPAGED_SLEEP);
	fclose(f);
	if (write_sysfs(KHUGEPAGED_SLEEP, "3600000"))
		fail("set %s", KHUGEPAGED_SLEEP);

	run("shmem-thp-pmd", 1, 1, 1, size, reps);
	run("shmem-thp", 1, 1, 0, size, reps);
	run("shmem-thp-private", 1, 0, 0, size, reps);
	run("shmem-4k", 0, 1, 0, size, reps);

	write_sysfs(KHUGEPAGED_SLEEP, sleep_ms);
	if (old[0])
		write_sysfs(SHMEM_ENABLED, old);
	return 0;
}
