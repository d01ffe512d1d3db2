// Does /proc/self/numa_maps, read while VMAs split and merge, list VMAs that
// overlap?  The reader sums anon= over VMAs starting in an 8 MiB range with
// walk-locked's old de-dup (skip a start <= the last one) and counts the sums
// above the range's 2048 pages; it also checks each line alone against
// (end - start) / 4K.  The mutator only splits and re-merges the VMA (mprotect
// one page and back); no page is ever freed or added.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define SZ_2M (2UL << 20)
#define LEN (4 * SZ_2M)
static char *p;
static volatile int stop;

static void *mutator(void *arg)
{
	unsigned int seed = 1;

	while (!stop) {
		char *pg = p + (rand_r(&seed) % (LEN / 4096)) * 4096;

		mprotect(pg, 4096, PROT_READ);
		mprotect(pg, 4096, PROT_READ | PROT_WRITE);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int secs = argc > 1 ? atoi(argv[1]) : 20;
	unsigned long reads = 0, over = 0, line_over = 0, max = 0;
	char *raw = mmap(NULL, LEN + SZ_2M, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pthread_t t;
	time_t end;

	p = (char *)(((unsigned long)raw + SZ_2M - 1) & ~(SZ_2M - 1));
	madvise(p, LEN, MADV_HUGEPAGE);
	memset(p, 1, LEN);
	pthread_create(&t, NULL, mutator, NULL);
	end = time(NULL) + secs;
	while (time(NULL) < end) {
		char line[1024], *tok, *save;
		unsigned long vs, last = 0;
		long sum = 0;
		int vmas = 0;
		FILE *f = fopen("/proc/self/numa_maps", "r");

		while (fgets(line, sizeof(line), f)) {
			long anon = 0;

			if (sscanf(line, "%lx ", &vs) != 1 ||
			    vs < (unsigned long)p || vs >= (unsigned long)p + LEN)
				continue;
			for (tok = strtok_r(line, "\n ", &save); tok;
			     tok = strtok_r(NULL, "\n ", &save))
				if (!strncmp(tok, "anon=", 5))
					anon = atol(tok + 5);
			if (anon > (long)(((unsigned long)p + LEN - vs) / 4096))
				line_over++;
			if (vmas && vs <= last)
				continue;
			last = vs;
			vmas++;
			sum += anon;
		}
		fclose(f);
		reads++;
		if (sum > (long)(LEN / 4096))
			over++;
		if (sum > (long)max)
			max = sum;
	}
	stop = 1;
	pthread_join(t, NULL);
	printf("%s reads %lu, sums over %lu pages: %lu (max %lu), single lines over their bound: %lu\n",
	       over ? "not ok" : "ok", reads, LEN / 4096, over, max, line_over);
	return 0;
}
