// SPDX-License-Identifier: GPL-2.0-or-later
/* The benchmarks' shared plumbing; see bench-util.h. */

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench-util.h"

extern char **environ;

static int copy(char *dst, size_t size, const char *src, const char *what)
{
	if (strlen(src) >= size || !*src) {
		fprintf(stderr, "bench: bad %s \"%s\"\n", what, src);
		return -1;
	}
	strcpy(dst, src);
	return 0;
}

int bench_target_args(struct bench_target *t, int argc, char **argv)
{
	int i, out = 1;

	memset(t, 0, sizeof(*t));
	t->mkfixture = getenv("MKFIXTURE");
	for (i = 1; i < argc; i++) {
		if (i + 1 < argc && !strcmp(argv[i], "--sysfs-root")) {
			if (copy(t->root, sizeof(t->root), argv[++i], "--sysfs-root") < 0)
				exit(2);
		} else if (i + 1 < argc && !strcmp(argv[i], "--pf")) {
			if (copy(t->pf, sizeof(t->pf), argv[++i], "--pf") < 0)
				exit(2);
		} else if (i + 1 < argc && !strcmp(argv[i], "--mkfixture")) {
			t->mkfixture = argv[++i];
		} else {
			argv[out++] = argv[i];
		}
	}
	argv[out] = NULL;
	return out;
}

const char *bench_tmp_parent(void)
{
	const char *dir = getenv("SRIOVVIRT_BENCH_TMPDIR");

	if (dir && *dir)
		return dir;
	if (access("/dev/shm", W_OK) == 0)
		return "/dev/shm";
	dir = getenv("TMPDIR");
	return dir && *dir ? dir : "/tmp";
}

static int run_mkfixture(const char *mkfixture, const char *root,
			 unsigned int vfs)
{
	posix_spawn_file_actions_t fa;
	char vfs_s[16];
	char *argv[] = { (char *)mkfixture, (char *)"scale", (char *)root,
			 (char *)"1", vfs_s, NULL };
	pid_t pid;
	int r, status;

	snprintf(vfs_s, sizeof(vfs_s), "%u", vfs);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null",
					 O_WRONLY, 0);
	r = posix_spawn(&pid, mkfixture, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (r != 0) {
		fprintf(stderr, "bench: cannot run %s: %s\n", mkfixture,
			strerror(r));
		return -1;
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench: %s scale %s 1 %u failed\n", mkfixture,
			root, vfs);
		return -1;
	}
	return 0;
}

int bench_target_prepare(struct bench_target *t, unsigned int fake_vfs)
{
	const char *root = getenv("SRIOVVIRT_BENCH_SYSFS_ROOT");
	const char *pf = getenv("SRIOVVIRT_BENCH_PF");

	if (!t->root[0] && root && *root &&
	    copy(t->root, sizeof(t->root), root, "SRIOVVIRT_BENCH_SYSFS_ROOT") < 0)
		return 1;
	if (!t->pf[0] && pf && *pf &&
	    copy(t->pf, sizeof(t->pf), pf, "SRIOVVIRT_BENCH_PF") < 0)
		return 1;
	if (t->root[0] || t->pf[0]) {
		if (!t->root[0])
			strcpy(t->root, "/sys");
		if (!t->pf[0]) {
			fprintf(stderr, "bench: a sysfs root needs a PF "
				"(--pf or SRIOVVIRT_BENCH_PF)\n");
			return 1;
		}
		return 0;
	}
	if (!t->mkfixture || !*t->mkfixture) {
		fprintf(stderr, "bench: no tree: give --sysfs-root and --pf, or "
			"mkfixture (--mkfixture or MKFIXTURE; built with "
			"-Dtests=true)\n");
		return BENCH_EXIT_SKIP;
	}
	if (bench_make_dir(t->root, sizeof(t->root), NULL,
			   "sriovvirt-bench") < 0)
		return 1;
	t->fake = true;
	strcpy(t->pf, "0000:01:00.0");
	if (run_mkfixture(t->mkfixture, t->root, fake_vfs) < 0) {
		bench_target_cleanup(t);
		return 1;
	}
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int type,
			struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	if (remove(path) < 0)
		fprintf(stderr, "bench: cannot remove %s: %s\n", path,
			strerror(errno));
	return 0;
}

void bench_target_cleanup(struct bench_target *t)
{
	if (!t->fake || !t->root[0])
		return;
	bench_remove_dir(t->root);
	t->fake = false;
}

int bench_make_dir(char *buf, size_t size, const char *parent,
		   const char *prefix)
{
	if (!parent)
		parent = bench_tmp_parent();
	if (snprintf(buf, size, "%s/%s-XXXXXX", parent, prefix) >= (int)size ||
	    !mkdtemp(buf)) {
		fprintf(stderr, "bench: cannot make a directory below %s: %s\n",
			parent, strerror(errno));
		buf[0] = '\0';
		return -1;
	}
	return 0;
}

void bench_remove_dir(const char *path)
{
	if (path[0])
		nftw(path, remove_entry, 32, FTW_DEPTH | FTW_PHYS);
}

const char *bench_fs_type(const char *path)
{
	static char other[32];
	struct statfs sfs;

	if (statfs(path, &sfs) < 0)
		return "unknown";
	switch ((unsigned long)sfs.f_type) {
	case TMPFS_MAGIC:
		return "tmpfs";
	case EXT4_SUPER_MAGIC:	/* ext2, ext3 and ext4 share it */
		return "ext4";
	case XFS_SUPER_MAGIC:
		return "xfs";
	case BTRFS_SUPER_MAGIC:
		return "btrfs";
	case SYSFS_MAGIC:
		return "sysfs";
	case OVERLAYFS_SUPER_MAGIC:
		return "overlayfs";
	default:
		snprintf(other, sizeof(other), "f_type 0x%lx",
			 (unsigned long)sfs.f_type);
		return other;
	}
}

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double bench_median(double *v, unsigned int n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Nearest rank: the smallest value with at least @p of them at or below. */
static double percentile(const double *sorted, unsigned int n, double p)
{
	double want = p * n;
	unsigned int rank = (unsigned int)want;

	if ((double)rank < want - 1e-9)
		rank++;		/* ceil, but 0.99 * 10000 is 9900 */
	if (rank < 1)
		rank = 1;
	return sorted[(rank > n ? n : rank) - 1];
}

void bench_latency(double *v, unsigned int n, struct bench_latency *ret)
{
	double sum = 0;
	unsigned int i;

	memset(ret, 0, sizeof(*ret));
	ret->n = n;
	if (n == 0)
		return;
	ret->p50 = bench_median(v, n);	/* sorts */
	for (i = 0; i < n; i++)
		sum += v[i];
	ret->min = v[0];
	ret->max = v[n - 1];
	ret->p90 = percentile(v, n, 0.90);
	ret->p99 = percentile(v, n, 0.99);
	ret->mean = sum / n;
}

void bench_latency_report(const char *bench, const char *name,
			  const struct bench_latency *l)
{
	printf("  %-24s min %8.2f  median %8.2f  p90 %8.2f  p99 %8.2f  "
	       "max %9.2f  mean %8.2f us\n", name, l->min / 1e3, l->p50 / 1e3,
	       l->p90 / 1e3, l->p99 / 1e3, l->max / 1e3, l->mean / 1e3);
	printf("RESULT %s.%s n=%u min_ns=%.0f p50_ns=%.0f p90_ns=%.0f "
	       "p99_ns=%.0f max_ns=%.0f mean_ns=%.0f\n", bench, name, l->n,
	       l->min, l->p50, l->p90, l->p99, l->max, l->mean);
}

/* ns per access of one loop. */
static int timed(int (*fn)(void *, unsigned long), void *arg, unsigned long n,
		 double *ret)
{
	uint64_t t0 = bench_now_ns();

	if (fn(arg, n) < 0)
		return -1;
	*ret = (double)(bench_now_ns() - t0) / (double)n;
	return 0;
}

static double min_of(const double *v, unsigned int n)
{
	double m = v[0];
	unsigned int i;

	for (i = 1; i < n; i++)
		if (v[i] < m)
			m = v[i];
	return m;
}

int bench_compare(const struct bench_pair *p, unsigned long n,
		  unsigned int runs, struct bench_result *res)
{
	double raw[BENCH_MAX_RUNS], lib[BENCH_MAX_RUNS], ratio[BENCH_MAX_RUNS];
	unsigned int r;
	int e = 0;

	if (runs == 0 || runs > BENCH_MAX_RUNS)
		return -1;
	/* Warm-up: caches, the library's open files, the CPU's clock. */
	if (p->raw(p->arg, n / 10 + 1) < 0 || p->lib(p->arg, n / 10 + 1) < 0)
		return -1;
	for (r = 0; r < runs && e == 0; r++) {
		if (r % 2 == 0) {
			e = timed(p->raw, p->arg, n, &raw[r]);
			if (e == 0)
				e = timed(p->lib, p->arg, n, &lib[r]);
		} else {
			e = timed(p->lib, p->arg, n, &lib[r]);
			if (e == 0)
				e = timed(p->raw, p->arg, n, &raw[r]);
		}
		ratio[r] = lib[r] / raw[r];
	}
	if (e < 0)
		return -1;
	res->raw_min = min_of(raw, runs);
	res->lib_min = min_of(lib, runs);
	res->ratio_min = res->lib_min / res->raw_min;
	res->raw_med = bench_median(raw, runs);
	res->lib_med = bench_median(lib, runs);
	res->ratio_med = bench_median(ratio, runs);
	return 0;
}

bool bench_report(const char *bench, const char *name,
		  const struct bench_result *r, double target)
{
	bool met = r->ratio_med <= target;

	printf("  %-12s raw pread  min %8.1f ns  median %8.1f ns\n", name,
	       r->raw_min, r->raw_med);
	printf("  %-12s library    min %8.1f ns  median %8.1f ns\n", "",
	       r->lib_min, r->lib_med);
	printf("  %-12s overhead   %+.1f ns per read (min - min)\n", "",
	       r->lib_min - r->raw_min);
	printf("  %-12s ratio      min/min %.3f  median of runs %.3f  "
	       "(target <= %.2f: %s)\n", "", r->ratio_min, r->ratio_med,
	       target, met ? "met" : "NOT MET");
	printf("RESULT %s.%s raw_min_ns=%.1f lib_min_ns=%.1f "
	       "ratio_min=%.3f ratio_median=%.3f\n", bench, name, r->raw_min,
	       r->lib_min, r->ratio_min, r->ratio_med);
	return met;
}

unsigned long bench_number(const char *prog, const char *s, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v == 0 || v > max) {
		fprintf(stderr, "%s: bad number \"%s\"\n", prog, s);
		exit(2);
	}
	return v;
}
