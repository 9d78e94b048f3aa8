/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the in-process benchmarks share: choosing the tree (a fake one built
 * with mkfixture on tmpfs, or a real sysfs root and PF named by the caller),
 * removing a fake tree again, scratch directories, a monotonic clock and
 * the statistics of the reports.
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
#include <stddef.h>
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

/*
 * Where fake trees and other scratch directories go: $SRIOVVIRT_BENCH_TMPDIR,
 * else /dev/shm if writable, else $TMPDIR, else /tmp.
 */
const char *bench_tmp_parent(void);

/*
 * A new directory "@parent/@prefix-XXXXXX", mode 0700 (mkdtemp), in @buf;
 * @parent NULL is bench_tmp_parent(). 0, or -1 with a message on stderr.
 */
int bench_make_dir(char *buf, size_t size, const char *parent,
		   const char *prefix);

/* Removes @path and everything below it (no symlink is followed). */
void bench_remove_dir(const char *path);

/* The file system type of @path for people: "tmpfs", "ext4", ... */
const char *bench_fs_type(const char *path);

/*
 * A positive decimal number at most @max, or exit 2 with a message naming
 * @prog: the benchmarks' option parser.
 */
unsigned long bench_number(const char *prog, const char *s, unsigned long max);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t bench_now_ns(void);

/* Median of @n values (sorts @v). */
double bench_median(double *v, unsigned int n);

/*
 * The distribution of @n per-operation times (ns; sorts @v): percentiles
 * by nearest rank.
 */
struct bench_latency {
	unsigned int n;
	double min, p50, p90, p99, max, mean;
};

void bench_latency(double *v, unsigned int n, struct bench_latency *ret);

/*
 * Prints @l in microseconds for people and as "RESULT BENCH.NAME n=...
 * min_ns=... p50_ns=... p90_ns=... p99_ns=... max_ns=... mean_ns=..." for
 * scripts.
 */
void bench_latency_report(const char *bench, const char *name,
			  const struct bench_latency *l);

/*
 * A library call against the system call it wraps: two loops doing @n of
 * the same access on @arg, each returning 0, or -1 if an access failed.
 */
struct bench_pair {
	int (*raw)(void *arg, unsigned long n);
	int (*lib)(void *arg, unsigned long n);
	void *arg;
};

#define BENCH_MAX_RUNS 1001

/* ns per access, min and median over the runs, and library/raw ratios. */
struct bench_result {
	double raw_min, raw_med, lib_min, lib_med, ratio_min, ratio_med;
};

/*
 * Times @runs runs of @n accesses of each kind after a warm-up, the kind
 * that goes first alternating between runs. 0, or -1 if an access failed.
 */
int bench_compare(const struct bench_pair *p, unsigned long n,
		  unsigned int runs, struct bench_result *res);

/*
 * Prints @r for people and as "RESULT BENCH.NAME ..." for scripts; true if
 * the median of the per-run ratios (the headline: both kinds of one run
 * see the same machine state) is at most @target.
 */
bool bench_report(const char *bench, const char *name,
		  const struct bench_result *r, double target);

#endif /* SRIOVVIRT_BENCH_UTIL_H */
