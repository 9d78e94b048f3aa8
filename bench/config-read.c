// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * config-read: what sriovvirt_vf_config_read() costs next to the pread(2) it
 * wraps (DESIGN.md, Targets: at most 1.10x a raw pread on the same file, also
 * when reads alternate between VFs).
 *
 *   config-read [--sysfs-root DIR --pf PF] [--mkfixture PATH]
 *               [--iterations N] [--runs R] [--vfs N] [--vfio] [--check]
 *
 * Two workloads, each timed as "raw" (pread of 4 bytes at offset 0 on the
 * VF's sysfs config file, opened once beforehand) and "library" (the same 4
 * bytes through sriovvirt_vf_config_read(), whose handle keeps the file open):
 *
 *   single       N reads of VF 0
 *   alternating  N reads cycling over every enabled VF (at most 256)
 *
 * With --vfio (a real kernel, VF 0 bound to vfio-pci), VF 0 is opened
 * through VFIO and the workloads are instead, "raw" being a pread on its
 * VFIO device fd at the same offset:
 *
 *   vfio-config  4 bytes at offset 0 of the config region, against
 *                sriovvirt_vf_config_read()
 *   vfio-mmio    4 bytes at offset 8 of BAR 0, against
 *                sriovvirt_vf_mmio_read() (ReadWriteMitigatedRegister)
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

static volatile uint32_t sink;

struct loop {
	struct sriovvirt_pf *pf;
	const int *fds;
	unsigned int nvf;	/* 1: VF 0 only */
	off_t raw_offset;	/* where the raw pread reads */
	bool mmio;		/* the library reads a BAR register, not config */
};

#define MMIO_BAR 0
#define MMIO_OFFSET 8

/* The library's read of the 4 bytes the raw pread reads; direct calls, so
 * that the loop adds nothing the raw one does not have. */
static inline int lib_read(const struct loop *l, uint16_t vf, uint32_t *ret)
{
	uint64_t v;
	int r;

	if (!l->mmio)
		return sriovvirt_vf_config_read(l->pf, vf, 0, ret, sizeof(*ret),
						NULL);
	r = sriovvirt_vf_mmio_read(l->pf, vf, MMIO_BAR, MMIO_OFFSET, 4, &v);
	*ret = (uint32_t)v;
	return r;
}

static int raw_loop(void *arg, unsigned long n)
{
	const struct loop *l = arg;
	unsigned int vf = 0;
	uint32_t v, acc = 0;
	unsigned long i;

	for (i = 0; i < n; i++) {
		if (pread(l->fds[vf], &v, sizeof(v), l->raw_offset) !=
		    (ssize_t)sizeof(v))
			return -1;
		acc += v;
		if (++vf == l->nvf)
			vf = 0;
	}
	sink += acc;
	return 0;
}

static int lib_loop(void *arg, unsigned long n)
{
	const struct loop *l = arg;
	unsigned int vf = 0;
	uint32_t v, acc = 0;
	unsigned long i;

	for (i = 0; i < n; i++) {
		if (lib_read(l, (uint16_t)vf, &v) < 0)
			return -1;
		acc += v;
		if (++vf == l->nvf)
			vf = 0;
	}
	sink += acc;
	return 0;
}

/* The library's loop against the raw one, on @l. */
static int measure(struct loop *l, unsigned long n, unsigned int runs,
		   struct bench_result *res)
{
	struct bench_pair p = { raw_loop, lib_loop, l };

	return bench_compare(&p, n, runs, res);
}

static bool report(const char *name, const struct bench_result *r)
{
	return bench_report("config-read", name, r, TARGET_RATIO);
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
static int same_bytes(const struct loop *l, unsigned int nvf)
{
	uint32_t a, b;
	unsigned int i;
	int r;

	for (i = 0; i < nvf; i++) {
		if (pread(l->fds[i], &a, sizeof(a), l->raw_offset) !=
		    (ssize_t)sizeof(a)) {
			fprintf(stderr, "config-read: VF %u: raw pread failed: %s\n",
				i, strerror(errno));
			return -1;
		}
		r = lib_read(l, (uint16_t)i, &b);
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

static int run_vfio(struct sriovvirt_pf *pf, unsigned long n,
		    unsigned int runs, bool check);

static int run(const struct bench_target *t, unsigned long n, unsigned int runs,
	       bool vfio, bool check)
{
	struct sriovvirt_ctx *ctx = NULL;
	struct sriovvirt_pf *pf = NULL;
	struct bench_result single, alt;
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
	if (vfio) {
		status = run_vfio(pf, n, runs, check);
		goto out;
	}
	nvf = num_vfs < MAX_VFS ? num_vfs : MAX_VFS;
	l = (struct loop){ .pf = pf, .fds = fds, .nvf = 1 };
	if (open_raw(t->root, sriovvirt_pf_get_name(pf), nvf, fds) < 0 ||
	    same_bytes(&l, nvf) < 0)
		goto out;

	printf("config-read: PF %s below %s (%s), %u of %u VFs, 4 bytes at "
	       "offset 0\n", sriovvirt_pf_get_name(pf), t->root,
	       t->fake ? "fake tree" : "given tree", nvf, num_vfs);
	printf("%lu reads per run and kind, %u runs; ns per read:\n", n, runs);
	fflush(stdout);
	if (measure(&l, n, runs, &single) < 0)
		goto failed;
	l.nvf = nvf;
	if (measure(&l, n, runs, &alt) < 0)
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

/* The offset of VFIO region @index in the device fd. */
static int region_offset(struct sriovvirt_pf *pf, uint32_t index, off_t *ret)
{
	struct sriovvirt_vfio_region region = { .size = sizeof(region) };
	int r;

	r = sriovvirt_vf_vfio_get_region(pf, 0, index, &region);
	if (r == 0 && !region.region_size)
		r = -ENODATA;
	if (r == 0)
		*ret = (off_t)region.offset;
	return r;
}

#define VFIO_CONFIG_REGION 7

/* VF 0 through VFIO: config space and a BAR 0 register, against pread. */
static int run_vfio(struct sriovvirt_pf *pf, unsigned long n,
		    unsigned int runs, bool check)
{
	struct bench_result config, mmio;
	off_t config_at, bar_at;
	int fd, r;
	bool met;
	struct loop l = { .pf = pf, .fds = &fd, .nvf = 1 };

	r = sriovvirt_vf_vfio_open(pf, 0, NULL);
	if (r == 0)
		r = sriovvirt_vf_vfio_get_fd(pf, 0, &fd);
	if (r == 0)
		r = region_offset(pf, VFIO_CONFIG_REGION, &config_at);
	if (r == 0)
		r = region_offset(pf, MMIO_BAR, &bar_at);
	if (r < 0) {
		fprintf(stderr, "config-read: VF 0 through VFIO: %s\n",
			strerror(-r));
		return 1;
	}
	printf("config-read: PF %s, VF 0 through VFIO: 4 bytes at offset 0 of "
	       "its config region, at offset %d of BAR %d\n",
	       sriovvirt_pf_get_name(pf), MMIO_OFFSET, MMIO_BAR);
	printf("%lu reads per run and kind, %u runs; ns per read:\n", n, runs);
	fflush(stdout);
	l.raw_offset = config_at;
	if (same_bytes(&l, 1) < 0 || measure(&l, n, runs, &config) < 0)
		return 1;
	l.raw_offset = bar_at + MMIO_OFFSET;
	l.mmio = true;
	if (same_bytes(&l, 1) < 0 || measure(&l, n, runs, &mmio) < 0)
		return 1;
	met = report("vfio-config", &config);
	met = report("vfio-mmio", &mmio) && met;
	return check && !met ? 1 : 0;
}

int main(int argc, char **argv)
{
	unsigned long n = 10000, runs = 101, vfs = 256;
	struct bench_target t;
	bool check = false, vfio = false;
	int i, r;

	argc = bench_target_args(&t, argc, argv);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--check"))
			check = true;
		else if (!strcmp(argv[i], "--vfio"))
			vfio = true;
		else if (i + 1 < argc && !strcmp(argv[i], "--iterations"))
			n = bench_number("config-read", argv[++i], 1000000000UL);
		else if (i + 1 < argc && !strcmp(argv[i], "--runs"))
			runs = bench_number("config-read", argv[++i], BENCH_MAX_RUNS);
		else if (i + 1 < argc && !strcmp(argv[i], "--vfs"))
			vfs = bench_number("config-read", argv[++i], 256);
		else {
			fprintf(stderr, "Usage: config-read [--sysfs-root DIR --pf PF] "
				"[--mkfixture PATH] [--iterations N] [--runs R] "
				"[--vfs N] [--vfio] [--check]\n");
			return 2;
		}
	}
	raise_fd_limit();
	r = bench_target_prepare(&t, (unsigned int)vfs);
	if (r != 0)
		return r;
	r = run(&t, n, (unsigned int)runs, vfio, check);
	bench_target_cleanup(&t);
	return r;
}
