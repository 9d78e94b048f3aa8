/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the in-process benchmarks share: choosing the tree (a fake one built
 * with mkfixture on tmpfs, or a real sysfs root and PF named by the caller),
 * removing a fake tree again, and a monotonic clock.
 *
 * Selection, first match wins:
 *   --sysfs-root DIR --pf ADDR      a real (or copied) tree; nothing is built
 *   SRIOVVIRT_BENCH_SYSFS_ROOT and SRIOVVIRT_BENCH_PF in the environment
 *   otherwise: "mkfixture scale ROOT 1 VFS" below $SRIOVVIRT_BENCH_TMPDIR
 *   (default /dev/shm, else $TMPDIR, else /tmp); mkfixture is --mkfixture
 *   PATH or $MKFIXTURE. The PF is then 0000:01:00.0 with VFS VFs (ARI).
 */
#ifndef SRIOVVIRT_BENCH_UTIL_H
#define SRIOVVIRT_BENCH_UTIL_H

#include <stdbool.h>
#include <stdint.h>

/* meson test's "skipped" exit status. */
#define BENCH_EXIT_SKIP 77

struct bench_target {
	char root[4096];	/* the sysfs root */
	char pf[64];		/* the PF's address or interface name */
	bool fake;		/* built here, removed by bench_target_cleanup() */
	const char *mkfixture;	/* from --mkfixture or $MKFIXTURE */
};

/*
 * Consumes --sysfs-root, --pf and --mkfixture from argv (the other arguments
 * are kept in order, argv[0] included) and returns the new argc.
 */
int bench_target_args(struct bench_target *t, int argc, char **argv);

/*
 * Fills in the root and PF, building a fake tree with @fake_vfs VFs if no
 * real one was named. Returns 0, BENCH_EXIT_SKIP when neither a tree nor
 * mkfixture was given, or 1 on errors (reported on stderr).
 */
int bench_target_prepare(struct bench_target *t, unsigned int fake_vfs);

/* Removes a fake tree; a real one is left alone. */
void bench_target_cleanup(struct bench_target *t);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t bench_now_ns(void);

/* Median of @n values (sorts @v). */
double bench_median(double *v, unsigned int n);

#endif /* SRIOVVIRT_BENCH_UTIL_H */
