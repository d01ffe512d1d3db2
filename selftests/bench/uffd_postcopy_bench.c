// SPDX-License-Identifier: GPL-2.0
/*
 * The destination of a postcopy live migration, three ways, over the same
 * amount of guest RAM: SIZE, the 2 MiB-aligned device-dax instance of DEVDAX
 * rounded down to 2 MiB and at most 1 GiB.
 *
 *  devdax-2m      the RAM is that device-dax instance, registered for minor
 *                 faults (UFFD_FEATURE_MINOR_DAX); the handler writes each
 *                 2 MiB unit it receives through a second mapping of the
 *                 device and maps it with UFFDIO_CONTINUE (one PMD);
 *  shmem-thp-pmd  shmem THP, the same with UFFD_FEATURE_MINOR_SHMEM_PMD
 *                 (the page cache is populated first: a minor fault needs
 *                 the page to exist, as device-dax memory always does);
 *  anon-4k        anonymous memory registered for missing faults; the
 *                 handler places each 4 KiB page with UFFDIO_COPY, which is
 *                 what QEMU does for anonymous RAM.
 *
 * A "vCPU" thread touches every 4 KiB page once, in order; a handler thread
 * serves each fault, copying the unit from a "received" buffer (what came
 * from the source) before resolving it.  Both run on one CPU, so every fault
 * is a switch to the handler and back, as on a busy host.  Per kind:
 *   first-touch-KIND  ms   the vCPU's time to touch every page
 *   service-KIND      ms   the handler's time from reading a fault to the
 *                          resolving ioctl's return, summed
 *   faults-KIND       -    faults the handler served
 * A kind the kernel cannot do is skipped with the reason (devdax-2m on a
 * kernel without UFFD_FEATURE_MINOR_DAX, shmem-thp-pmd without
 * UFFD_FEATURE_MINOR_SHMEM_PMD); the program skips only if it can run none.
 *
 * Usage: uffd_postcopy_bench [REPETITIONS]
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "bench.h"

#ifndef UFFD_FEATURE_MINOR_SHMEM_PMD
#define UFFD_FEATURE_MINOR_SHMEM_PMD	(1 << 19)
#endif
#ifndef UFFD_FEATURE_MINOR_DAX
#define UFFD_FEATURE_MINOR_DAX		(1 << 20)
#endif

#define SHMEM_ENABLED "/sys/kernel/mm/transparent_hugepage/shmem_enabled"
#define KHUGEPAGED_SLEEP "/sys/kernel/mm/transparent_hugepage/khugepaged/scan_sleep_millisecs"

enum kind { DEVDAX, SHMEM, ANON };
static const char *const kind_name[] = { "devdax-2m", "shmem-thp-pmd", "anon-4k" };

struct dest {
	enum kind kind;
	size_t size;
	size_t unit;		/* what one fault is served with */
	char *area;		/* the guest's RAM, registered */
	char *alias;		/* DEVDAX, SHMEM: where received data is written */
	const char *recv;	/* the received data, one unit */
	int uffd;
	atomic_bool stop;
	unsigned long faults;
	unsigned long long service_ns;
	const char *err;
};

static int uffd_register(char *addr, size_t size, unsigned long long features,
			 unsigned long long mode)
{
	struct uffdio_api api = { .api = UFFD_API, .features = features };
	struct uffdio_register reg = {
		.range = { .start = (uintptr_t)addr, .len = size },
		.mode = mode,
	};
	int uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);

	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api))
		fail("userfaultfd with features %#llx", features);
	if (ioctl(uffd, UFFDIO_REGISTER, &reg))
		fail("UFFDIO_REGISTER");
	return uffd;
}

/* The 2 MiB-aligned instance of DEVDAX, or -1. */
static int open_devdax_2m(size_t *size)
{
	const char *list = getenv("DEVDAX");
	char devs[1024], *dev, *pos;
	int fd;

	if (!list || strlen(list) >= sizeof(devs))
		return -1;
	strcpy(devs, list);
	for (dev = strtok_r(devs, ":", &pos); dev; dev = strtok_r(NULL, ":", &pos)) {
		fd = open(dev, O_RDWR);
		if (fd < 0)
			fail("open %s", dev);
		if (devdax_attr(fd, "align") == SZ_2M) {
			*size = devdax_attr(fd, "size") & ~(SZ_2M - 1);
			printf("# devdax: %s, %zu MiB\n", dev, *size >> 20);
			return fd;
		}
		close(fd);
	}
	return -1;
}

static void *handler(void *arg)
{
	struct dest *d = arg;
	struct pollfd pfd = { .fd = d->uffd, .events = POLLIN };
	struct uffd_msg msg;

	while (!atomic_load(&d->stop)) {
		unsigned long long t;
		size_t off;
		int ret;

		if (poll(&pfd, 1, 20) <= 0)
			continue;
		t = now_ns();
		if (read(d->uffd, &msg, sizeof(msg)) != sizeof(msg)) {
			if (errno == EAGAIN)
				continue;
			d->err = "read";
			break;
		}
		if (msg.event != UFFD_EVENT_PAGEFAULT) {
			d->err = "an event other than a page fault";
			break;
		}
		off = (msg.arg.pagefault.address - (uintptr_t)d->area) & ~(d->unit - 1);
		if (d->kind == ANON) {
			struct uffdio_copy copy = {
				.dst = (uintptr_t)d->area + off,
				.src = (uintptr_t)d->recv,
				.len = d->unit,
			};

			ret = ioctl(d->uffd, UFFDIO_COPY, &copy);
		} else {
			struct uffdio_continue cont = {
				.range = { .start = (uintptr_t)d->area + off, .len = d->unit },
			};

			memcpy(d->alias + off, d->recv, d->unit);
			ret = ioctl(d->uffd, UFFDIO_CONTINUE, &cont);
		}
		if (ret && errno == EEXIST) {
			struct uffdio_range range = {
				.start = (uintptr_t)d->area + off, .len = d->unit,
			};

			ret = ioctl(d->uffd, UFFDIO_WAKE, &range);
		}
		if (ret) {
			d->err = d->kind == ANON ? "UFFDIO_COPY" : "UFFDIO_CONTINUE";
			break;
		}
		d->service_ns += now_ns() - t;
		d->faults++;
	}
	return NULL;
}

/* One migration: the vCPU touches every page while the handler serves. */
static void migrate(struct dest *d)
{
	char metric[64];
	unsigned long long t;
	volatile char sink;
	pthread_t thread;
	size_t off;

	d->faults = 0;
	d->service_ns = 0;
	d->err = NULL;
	atomic_store(&d->stop, false);
	if (pthread_create(&thread, NULL, handler, d))
		fail("pthread_create");
	t = now_ns();
	for (off = 0; off < d->size; off += 4096)
		sink = d->area[off];
	t = now_ns() - t;
	atomic_store(&d->stop, true);
	pthread_join(thread, NULL);
	(void)sink;
	if (d->err)
		fail("%s: the handler's %s", kind_name[d->kind], d->err);
	for (off = 0; off < d->size; off += d->unit)
		if (memcmp(d->area + off, d->recv, 64))
			fail("%s: the data at +%zu is not what was received",
			     kind_name[d->kind], off);
	snprintf(metric, sizeof(metric), "first-touch-%s", kind_name[d->kind]);
	report(metric, t / 1e6, "ms");
	snprintf(metric, sizeof(metric), "service-%s", kind_name[d->kind]);
	report(metric, d->service_ns / 1e6, "ms");
	snprintf(metric, sizeof(metric), "faults-%s", kind_name[d->kind]);
	report(metric, d->faults, "-");
}

static void run_devdax(int fd, size_t size, const char *recv, int reps)
{
	struct dest d = { .kind = DEVDAX, .size = size, .unit = SZ_2M, .recv = recv };

	d.area = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	d.alias = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (d.area == MAP_FAILED || d.alias == MAP_FAILED)
		fail("mmap devdax");
	d.uffd = uffd_register(d.area, size, UFFD_FEATURE_MINOR_DAX,
			       UFFDIO_REGISTER_MODE_MINOR);
	/* The handler's mapping is in place before the migration starts */
	for (size_t off = 0; off < size; off += SZ_2M)
		d.alias[off] = 0;
	for (int r = 0; r < reps; r++) {
		/* The device's memory stays: unmapped, its units fault again */
		if (madvise(d.area, size, MADV_DONTNEED))
			fail("MADV_DONTNEED");
		migrate(&d);
	}
	close(d.uffd);
	munmap(d.area, size);
	munmap(d.alias, size);
}

static void run_shmem(size_t size, const char *recv, int reps)
{
	struct dest d = { .kind = SHMEM, .size = size, .unit = SZ_2M, .recv = recv };

	for (int r = 0; r < reps; r++) {
		/* A new memfd each time: nothing received yet */
		int fd = memfd_create("postcopy", MFD_CLOEXEC);

		if (fd < 0 || ftruncate(fd, size))
			fail("memfd");
		d.area = map_aligned(fd, size, MAP_SHARED);
		d.alias = map_aligned(fd, size, MAP_SHARED);
		if (madvise(d.area, size, MADV_HUGEPAGE) ||
		    madvise(d.alias, size, MADV_HUGEPAGE))
			fail("MADV_HUGEPAGE");
		/*
		 * A minor fault needs the page in the page cache: the
		 * destination's memory exists (in huge pages), stale, as the
		 * device's does; the handler's mapping is in place.
		 */
		for (size_t off = 0; off < size; off += 4096)
			d.alias[off] = 0;
		d.uffd = uffd_register(d.area, size, UFFD_FEATURE_MINOR_SHMEM |
				       UFFD_FEATURE_MINOR_SHMEM_PMD,
				       UFFDIO_REGISTER_MODE_MINOR);
		migrate(&d);
		close(d.uffd);
		munmap(d.area, size);
		munmap(d.alias, size);
		close(fd);
	}
}

static void run_anon(size_t size, const char *recv, int reps)
{
	struct dest d = { .kind = ANON, .size = size, .unit = 4096, .recv = recv };

	d.area = map_aligned(-1, size, MAP_PRIVATE | MAP_ANONYMOUS);
	/* QEMU's postcopy places 4 KiB pages of anonymous RAM, no THP */
	if (madvise(d.area, size, MADV_NOHUGEPAGE))
		fail("MADV_NOHUGEPAGE");
	d.uffd = uffd_register(d.area, size, 0, UFFDIO_REGISTER_MODE_MISSING);
	for (int r = 0; r < reps; r++) {
		if (madvise(d.area, size, MADV_DONTNEED))
			fail("MADV_DONTNEED");
		migrate(&d);
	}
	close(d.uffd);
	munmap(d.area, size);
}

int main(int argc, char **argv)
{
	int reps = argc > 1 ? atoi(argv[1]) : 3;
	unsigned long long offered = uffd_offered();
	char old[64] = "", sleep_ms[64] = "";
	size_t size = SZ_1G, dax_size = 0;
	int fd = open_devdax_2m(&dax_size);
	char *recv;
	FILE *f;

	pin_to_last_cpu();
	if (fd >= 0 && dax_size < size)
		size = dax_size;
	printf("# %zu MiB of guest RAM, %d repetitions\n", size >> 20, reps);
	recv = aligned_alloc(SZ_2M, SZ_2M);
	if (!recv)
		fail("aligned_alloc");
	for (size_t i = 0; i < SZ_2M; i++)
		recv[i] = (char)(i * 7 + 1);

	if (fd < 0)
		printf("# devdax-2m: skipped, no 2 MiB-aligned device-dax instance in DEVDAX\n");
	else if (!(offered & UFFD_FEATURE_MINOR_DAX))
		printf("# devdax-2m: skipped, no UFFD_FEATURE_MINOR_DAX in this kernel\n");
	else
		run_devdax(fd, size, recv, reps);

	f = fopen(SHMEM_ENABLED, "r");
	if (f && fscanf(f, "%*[^[][%63[^]]", old) != 1)
		old[0] = 0;
	if (f)
		fclose(f);
	f = fopen(KHUGEPAGED_SLEEP, "r");
	if (f && fscanf(f, "%63s", sleep_ms) != 1)
		sleep_ms[0] = 0;
	if (f)
		fclose(f);
	if (!(offered & UFFD_FEATURE_MINOR_SHMEM_PMD))
		printf("# shmem-thp-pmd: skipped, no UFFD_FEATURE_MINOR_SHMEM_PMD in this kernel\n");
	else if (!old[0] || write_sysfs(SHMEM_ENABLED, "advise"))
		printf("# shmem-thp-pmd: skipped, no shmem THP in this kernel\n");
	else {
		/* khugepaged would collapse what the handler left as PTEs */
		if (sleep_ms[0])
			write_sysfs(KHUGEPAGED_SLEEP, "3600000");
		run_shmem(size, recv, reps);
		if (sleep_ms[0])
			write_sysfs(KHUGEPAGED_SLEEP, sleep_ms);
		write_sysfs(SHMEM_ENABLED, old);
	}

	run_anon(size, recv, reps);
	return 0;
}
