// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfio-overhead: what the library adds to a config read and a BAR register
 * read through a VF's VFIO device fd, measured natively (DESIGN.md,
 * Targets: at most 1.10x a raw pread on the same region).
 *
 *   vfio-overhead [--iterations N] [--runs R] [--check]
 *
 * The VM tier measures the real vfio-pci under QEMU's TCG, where every
 * instruction is emulated; this measures the same library code on the
 * host's CPU. The device is the fixture tier's fake VFIO (a standard fake
 * tree, VF 0 bound to vfio-pci): it answers the open's ioctls, and after
 * the open the context goes back to the real system calls, so the reads
 * are plain preads on the device fd, a memfd with the regions at vfio-pci's
 * offsets. A memfd read is far cheaper than vfio-pci's config or MMIO read,
 * so the ratio here bounds the one on real hardware from above.
 *
 * Two workloads, each "raw" (pread of 4 bytes on the device fd) against
 * "library":
 *
 *   vfio-config  offset 0 of the config region, sriovvirt_vf_config_read()
 *   vfio-mmio    offset 8 of BAR 0, sriovvirt_vf_mmio_read()
 *
 * --check exits 1 when a headline ratio (the median of the per-run ratios)
 * exceeds 1.10.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench-util.h"
#include "fakevfio.h"
#include "fixture.h"
#include "internal.h"

#define TARGET_RATIO 1.10
#define PF "0000:00:04.0"
#define MMIO_OFFSET 8

static volatile uint32_t sink;

struct vfio_loop {
	struct sriovvirt_pf *pf;
	int fd;
	off_t raw_offset;
	bool mmio;
};

static int raw_loop(void *arg, unsigned long n)
{
	const struct vfio_loop *l = arg;
	uint32_t v, acc = 0;
	unsigned long i;

	for (i = 0; i < n; i++) {
		if (pread(l->fd, &v, sizeof(v), l->raw_offset) !=
		    (ssize_t)sizeof(v))
			return -1;
		acc += v;
	}
	sink += acc;
	return 0;
}

static int lib_loop(void *arg, unsigned long n)
{
	const struct vfio_loop *l = arg;
	uint32_t acc = 0, v;
	unsigned long i;
	uint64_t w;

	for (i = 0; i < n; i++) {
		if (l->mmio) {
			if (sriovvirt_vf_mmio_read(l->pf, 0, 0, MMIO_OFFSET, 4,
						   &w) < 0)
				return -1;
			v = (uint32_t)w;
		} else if (sriovvirt_vf_config_read(l->pf, 0, 0, &v, sizeof(v),
						    NULL) < 0) {
			return -1;
		}
		acc += v;
	}
	sink += acc;
	return 0;
}

static int region_offset(struct sriovvirt_pf *pf, uint32_t index, off_t *ret)
{
	struct sriovvirt_vfio_region region = { .size = sizeof(region) };
	int r;

	r = sriovvirt_vf_vfio_get_region(pf, 0, index, &region);
	if (r == 0)
		*ret = (off_t)region.offset;
	return r;
}

/* The fake's open and region info, then the real system calls. */
static int open_vf(const char *root, struct sriovvirt_ctx *ctx,
		   struct fakevfio *fv, struct vfio_loop *l, off_t *config_at,
		   off_t *bar_at)
{
	int r;

	fv_init(fv, root, &sv_sysfs_backend, NULL);
	sv_ctx_set_sysfs_ops(ctx, &fv_ops, fv);
	r = fx_set_driver(root, "0000:00:04.1", "vfio-pci");
	if (r == 0)
		r = sriovvirt_pf_open(ctx, PF, &l->pf);
	if (r == 0)
		r = sriovvirt_vf_vfio_open(l->pf, 0, NULL);
	if (r == 0)
		r = sriovvirt_vf_vfio_get_fd(l->pf, 0, &l->fd);
	if (r == 0)
		r = region_offset(l->pf, 7, config_at);	/* config */
	if (r == 0)
		r = region_offset(l->pf, 0, bar_at);
	sv_ctx_set_sysfs_ops(ctx, NULL, NULL);
	return r;
}

static bool same_value(const struct vfio_loop *l)
{
	uint32_t a = 0, b = 0;
	uint64_t w = 0;

	if (pread(l->fd, &a, sizeof(a), l->raw_offset) != (ssize_t)sizeof(a))
		return false;
	if (l->mmio) {
		if (sriovvirt_vf_mmio_read(l->pf, 0, 0, MMIO_OFFSET, 4, &w) < 0)
			return false;
		b = (uint32_t)w;
	} else if (sriovvirt_vf_config_read(l->pf, 0, 0, &b, sizeof(b),
					    NULL) < 0) {
		return false;
	}
	return a == b;
}

static int measure(struct vfio_loop *l, unsigned long n, unsigned int runs,
		   const char *name, bool *met)
{
	struct bench_pair p = { raw_loop, lib_loop, l };
	struct bench_result res;

	if (!same_value(l)) {
		fprintf(stderr, "vfio-overhead: %s: the library and pread read "
			"different values\n", name);
		return -1;
	}
	if (bench_compare(&p, n, runs, &res) < 0)
		return -1;
	*met = bench_report("vfio-overhead", name, &res, TARGET_RATIO) && *met;
	return 0;
}

static int run(const char *root, unsigned long n, unsigned int runs,
	       bool check)
{
	struct vfio_loop l = { .fd = -1 };
	struct sriovvirt_ctx *ctx = NULL;
	struct fakevfio *fv;
	off_t config_at = 0, bar_at = 0;
	bool met = true;
	int r;

	fv = calloc(1, sizeof(*fv));
	r = fv ? sriovvirt_ctx_new(&ctx) : -ENOMEM;
	if (r == 0)
		r = sriovvirt_ctx_set_sysfs_root(ctx, root);
	if (r == 0)
		r = open_vf(root, ctx, fv, &l, &config_at, &bar_at);
	if (r < 0) {
		fprintf(stderr, "vfio-overhead: VF 0 through the fake VFIO: %s\n",
			strerror(-r));
		goto out;
	}
	printf("vfio-overhead: fake VFIO device (a memfd), native; 4 bytes at "
	       "offset 0 of the config region, at offset %d of BAR 0\n",
	       MMIO_OFFSET);
	printf("%lu reads per run and kind, %u runs; ns per read:\n", n, runs);
	fflush(stdout);
	l.raw_offset = config_at;
	r = measure(&l, n, runs, "vfio-config", &met);
	l.raw_offset = bar_at + MMIO_OFFSET;
	l.mmio = true;
	if (r == 0)
		r = measure(&l, n, runs, "vfio-mmio", &met);
out:
	sriovvirt_pf_unref(l.pf);
	sriovvirt_ctx_unref(ctx);
	free(fv);
	if (r < 0)
		return 1;
	return check && !met ? 1 : 0;
}

int main(int argc, char **argv)
{
	unsigned long n = 100000, runs = 101;
	char root[] = "/dev/shm/sriovvirt-vfio-bench-XXXXXX";
	struct bench_target t = { .fake = false };
	bool check = false;
	int i, r;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--check"))
			check = true;
		else if (i + 1 < argc && !strcmp(argv[i], "--iterations"))
			n = bench_number("vfio-overhead", argv[++i], 1000000000UL);
		else if (i + 1 < argc && !strcmp(argv[i], "--runs"))
			runs = bench_number("vfio-overhead", argv[++i], BENCH_MAX_RUNS);
		else {
			fprintf(stderr, "Usage: vfio-overhead [--iterations N] "
				"[--runs R] [--check]\n");
			return 2;
		}
	}
	if (!mkdtemp(root) && (strcpy(root, "/tmp/sriovvirt-vfio-bench-XXXXXX"),
			       !mkdtemp(root))) {
		fprintf(stderr, "vfio-overhead: no temporary directory: %s\n",
			strerror(errno));
		return 1;
	}
	r = fx_build("standard", root) < 0 ? 1 :
	    run(root, n, (unsigned int)runs, check);
	t.fake = true;		/* made here: removed here */
	snprintf(t.root, sizeof(t.root), "%s", root);
	bench_target_cleanup(&t);
	return r;
}
