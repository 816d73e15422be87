/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Time what `slabscope info` does: open the dump and its vmlinux, check the
 * banner, gather the facts (including the walk of slab_caches).  Prints
 * figures, one line per dump:
 *   bench-info DUMP [VMLINUX]
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include <slabscope/info.h>
#include <slabscope/kernel.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench-info DUMP [VMLINUX]\n");
		return 2;
	}
	struct ss_kernel_options opts = { .vmlinux = argc > 2 ? argv[2] : NULL };
	double t0 = now();
	struct ss_kernel *k;
	struct ss_error *err = ss_kernel_open(argv[1], &opts, &k);
	if (err) {
		fprintf(stderr, "bench-info: %s\n", err->message);
		ss_error_destroy(err);
		return 2;
	}
	double t1 = now();
	struct ss_info info;
	err = ss_info_gather(k, &info);
	double t2 = now();
	if (err) {
		fprintf(stderr, "bench-info: %s\n", err->message);
		ss_error_destroy(err);
		ss_kernel_close(k);
		return 2;
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("info %-40s open %.3f s, gather %.3f s, total %.3f s, "
	       "peak RSS %ld MB, %u caches\n",
	       argv[1], t1 - t0, t2 - t1, t2 - t0, ru.ru_maxrss / 1024,
	       info.caches);
	ss_info_deinit(&info);
	ss_kernel_close(k);
	return 0;
}
