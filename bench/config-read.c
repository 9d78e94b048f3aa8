// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * config-read: what sriovvirt_vf_config_read() costs next to the pread(2) it
 * wraps (DESIGN.md, Targets: at most 1.10x a raw pread on the same file, also
 * when reads alternate between VFs).
 *
 *   config-read [--sysfs-root DIR --pf PF] [--mkfixture PATH]
 *               [--iterations N] [--runs R] [--vfs N] [--check]
 *
 * Two workloads, each timed as "raw" (pread of 4 bytes at offset 0 on the
 * VF's sysfs config file, opened once beforehand) and "library" (the same 4
 * bytes through sriovvirt_vf_config_read(), whose handle keeps the file open):
 *
 *   single       N reads of VF 0
 *   alternating  N reads cycling over every enabled VF (at most 256)
 *
 * Each run times N reads of each kind (default 10000, 101 runs); runs
 * alternate which kind goes first.
 * The report gives ns per read (min and median over the runs) and the ratio
 * library/raw: of the minima, and the median of the per-run ratios (the
 * headline: both kinds of one run see the same machine state). --check exits
 * 1 when a headline ratio exceeds 1.10; without it the exit status only says
 * whether the benchmark could run. The tree is described in bench-util.h;
 * --vfs sizes a fake one (default 256).
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <sriovvirt.h>

#include "bench-util.h"

#define TARGET_RATIO 1.10
#define MAX_VFS 256
#define MAX_RUNS 1001

static volatile uint32_t sink;

struct loop {
	struct sriovvirt_pf *pf;
	const int *fds;
	unsigned int nvf;	/* 1: VF 0 only */
	unsigned long n;
};

static int raw_loop(const struct loop *l)
{
	unsigned int vf = 0;
	uint32_t v, acc = 0;
	unsigned long i;

	for (i = 0; i < l->n; i++) {
		if (pread(l->fds[vf], &v, sizeof(v), 0) != (ssize_t)sizeof(v))
			return -1;
		acc += v;
		if (++vf == l->nvf)
			vf = 0;
	}
	sink += acc;
	return 0;
}

static int lib_loop(const struct loop *l)
{
	unsigned int vf = 0;
	uint32_t v, acc = 0;
	unsigned long i;

	for (i = 0; i < l->n; i++) {
		if (sriovvirt_vf_config_read(l->pf, (uint16_t)vf, 0, &v,
					     sizeof(v), NULL) < 0)
			return -1;
		acc += v;
		if (++vf == l->nvf)
			vf = 0;
	}
	sink += acc;
	return 0;
}

/* ns per read of one loop. */
static int timed(int (*fn)(const struct loop *), const struct loop *l,
		 double *ret)
{
	uint64_t t0 = bench_now_ns();

	if (fn(l) < 0)
		return -1;
	*ret = (double)(bench_now_ns() - t0) / (double)l->n;
	return 0;
}

struct result {
	double raw_min, raw_med, lib_min, lib_med, ratio_min, ratio_med;
};

static double min_of(const double *v, unsigned int n)
{
	double m = v[0];
	unsigned int i;

	for (i = 1; i < n; i++)
		if (v[i] < m)
			m = v[i];
	return m;
}

static int measure(struct loop *l, unsigned int runs, struct result *res)
{
	double raw[MAX_RUNS], lib[MAX_RUNS], ratio[MAX_RUNS];
	unsigned long n = l->n;
	unsigned int r;
	int e = 0;

	/* Warm-up: caches, the library's open files, the CPU's clock. */
	l->n = n / 10 + 1;
	if (raw_loop(l) < 0 || lib_loop(l) < 0)
		return -1;
	l->n = n;
	for (r = 0; r < runs && e == 0; r++) {
		if (r % 2 == 0) {
			e = timed(raw_loop, l, &raw[r]);
			if (e == 0)
				e = timed(lib_loop, l, &lib[r]);
		} else {
			e = timed(lib_loop, l, &lib[r]);
			if (e == 0)
				e = timed(raw_loop, l, &raw[r]);
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

static bool report(const char *name, const struct result *r)
{
	bool met = r->ratio_med <= TARGET_RATIO;

	printf("  %-12s raw pread  min %8.1f ns  median %8.1f ns\n", name,
	       r->raw_min, r->raw_med);
	printf("  %-12s library    min %8.1f ns  median %8.1f ns\n", "",
	       r->lib_min, r->lib_med);
	printf("  %-12s overhead   %+.1f ns per read (min - min)\n", "",
	       r->lib_min - r->raw_min);
	printf("  %-12s ratio      min/min %.3f  median of runs %.3f  "
	       "(target <= %.2f: %s)\n", "", r->ratio_min, r->ratio_med,
	       TARGET_RATIO, met ? "met" : "NOT MET");
	printf("RESULT config-read.%s raw_min_ns=%.1f lib_min_ns=%.1f "
	       "ratio_min=%.3f ratio_median=%.3f\n", name, r->raw_min,
	       r->lib_min, r->ratio_min, r->ratio_med);
	return met;
}

static unsigned long number(const char *s, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v == 0 || v > max) {
		fprintf(stderr, "config-read: bad number \"%s\"\n", s);
		exit(2);
	}
	return v;
}

/* Room for the library's open files and ours. */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int open_raw(const char *root, const char *pf, unsigned int nvf,
		    int *fds)
{
	char path[PATH_MAX];
	unsigned int i;

	for (i = 0; i < nvf; i++) {
		if (snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/virtfn%u/config",
			     root, pf, i) >= (int)sizeof(path))
			errno = ENAMETOOLONG;
		else
			fds[i] = open(path, O_RDONLY | O_CLOEXEC);
		if (fds[i] < 0) {
			fprintf(stderr, "config-read: %s: %s\n", path,
				strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Both paths must read the same bytes, or the comparison means nothing. */
static int same_bytes(struct sriovvirt_pf *pf, const int *fds, unsigned int nvf)
{
	uint32_t a, b;
	unsigned int i;
	int r;

	for (i = 0; i < nvf; i++) {
		if (pread(fds[i], &a, sizeof(a), 0) != (ssize_t)sizeof(a)) {
			fprintf(stderr, "config-read: VF %u: raw pread failed: %s\n",
				i, strerror(errno));
			return -1;
		}
		r = sriovvirt_vf_config_read(pf, (uint16_t)i, 0, &b, sizeof(b),
					     NULL);
		if (r < 0) {
			fprintf(stderr, "config-read: VF %u: library read failed: "
				"%s\n", i, strerror(-r));
			return -1;
		}
		if (a != b) {
			fprintf(stderr, "config-read: VF %u: library read %08x, "
				"pread %08x\n", i, b, a);
			return -1;
		}
	}
	return 0;
}

static int run(const struct bench_target *t, unsigned long n, unsigned int runs,
	       bool check)
{
	struct sriovvirt_ctx *ctx = NULL;
	struct sriovvirt_pf *pf = NULL;
	struct result single, alt;
	int fds[MAX_VFS], r, status = 1;
	unsigned int nvf = 0, i;
	uint16_t num_vfs;
	struct loop l;
	bool met;

	for (i = 0; i < MAX_VFS; i++)
		fds[i] = -1;
	r = sriovvirt_ctx_new(&ctx);
	if (r == 0)
		r = sriovvirt_ctx_set_sysfs_root(ctx, t->root);
	if (r == 0)
		r = sriovvirt_pf_open(ctx, t->pf, &pf);
	if (r == 0)
		r = sriovvirt_pf_get_num_vfs(pf, &num_vfs);
	if (r < 0) {
		fprintf(stderr, "config-read: %s in %s: %s\n", t->pf, t->root,
			strerror(-r));
		goto out;
	}
	if (num_vfs == 0) {
		fprintf(stderr, "config-read: %s has no VFs enabled; enable some "
			"first (sriovctl enable)\n", t->pf);
		goto out;
	}
	nvf = num_vfs < MAX_VFS ? num_vfs : MAX_VFS;
	if (open_raw(t->root, sriovvirt_pf_get_name(pf), nvf, fds) < 0 ||
	    same_bytes(pf, fds, nvf) < 0)
		goto out;

	printf("config-read: PF %s below %s (%s), %u of %u VFs, 4 bytes at "
	       "offset 0\n", sriovvirt_pf_get_name(pf), t->root,
	       t->fake ? "fake tree" : "given tree", nvf, num_vfs);
	printf("%lu reads per run and kind, %u runs; ns per read:\n", n, runs);
	fflush(stdout);
	l = (struct loop){ .pf = pf, .fds = fds, .nvf = 1, .n = n };
	if (measure(&l, runs, &single) < 0)
		goto failed;
	l.nvf = nvf;
	if (measure(&l, runs, &alt) < 0)
		goto failed;
	met = report("single", &single);
	met = report("alternating", &alt) && met;
	status = check && !met ? 1 : 0;
	goto out;
failed:
	fprintf(stderr, "config-read: a read failed during the measurement\n");
out:
	for (i = 0; i < nvf; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	sriovvirt_pf_unref(pf);
	sriovvirt_ctx_unref(ctx);
	return status;
}

int main(int argc, char **argv)
{
	unsigned long n = 10000, runs = 101, vfs = 256;
	struct bench_target t;
	bool check = false;
	int i, r;

	argc = bench_target_args(&t, argc, argv);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--check"))
			check = true;
		else if (i + 1 < argc && !strcmp(argv[i], "--iterations"))
			n = number(argv[++i], 1000000000UL);
		else if (i + 1 < argc && !strcmp(argv[i], "--runs"))
			runs = number(argv[++i], MAX_RUNS);
		else if (i + 1 < argc && !strcmp(argv[i], "--vfs"))
			vfs = number(argv[++i], 256);
		else {
			fprintf(stderr, "Usage: config-read [--sysfs-root DIR --pf PF] "
				"[--mkfixture PATH] [--iterations N] [--runs R] "
				"[--vfs N] [--check]\n");
			return 2;
		}
	}
	raise_fd_limit();
	r = bench_target_prepare(&t, (unsigned int)vfs);
	if (r != 0)
		return r;
	r = run(&t, n, (unsigned int)runs, check);
	bench_target_cleanup(&t);
	return r;
}
