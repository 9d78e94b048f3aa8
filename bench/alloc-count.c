// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * alloc-count: heap allocations per VF config access (DESIGN.md, Targets:
 * zero).
 *
 *   alloc-count [--sysfs-root DIR --pf PF] [--mkfixture PATH]
 *               [--iterations N] [--vfs N] [--vfio] [--check] [--inject-alloc]
 *               [--block-iterations N] [--runtime-parent DIR] [--no-blocks]
 *
 * This executable defines malloc, calloc, realloc, free and the aligned
 * allocators itself (alloc-hook.c) and forwards them to glibc's allocator
 * (__libc_malloc and friends). A definition in the executable interposes on
 * every shared object, libsriovvirt.so and libc's internal callers included,
 * so every heap allocation made in the process is counted while counting is
 * on.
 *
 * The run: prove the counter sees allocations made inside libc (strdup) and
 * inside libsriovvirt.so (opening the PF handle); touch every VF once (the
 * handle opens its config files and sizes its slot table then); then count
 * during N reads cycling over every VF (4 bytes at 0, whole header, single
 * bytes, the extended space, with and without @ret_read) and, on a fake tree
 * only, N/4 writes that put back the bytes just read. With --vfio (on a real
 * kernel, VF 0 bound to vfio-pci), VF 0 is opened through VFIO first and
 * the reads go through its device fd, each followed by a register read of
 * its BAR 0 (ReadWriteMitigatedRegister). --check exits 1 if any
 * allocation was counted; --inject-alloc adds one malloc per access inside
 * the counted loop, to see --check fail.
 *
 * Then, without --vfio or --no-blocks, the config-block store (DESIGN.md:
 * allocations per operation counted): with a fresh runtime directory
 * (mode 0700, below --runtime-parent DIR, default where fake trees go), after
 * one warm-up of each operation, M operations of each kind are counted
 * apart (default M = N/20 + 1): a block write and a block read on the PF side
 * (16 and 128 bytes, alternating), the same on the VF side (a VPCI handle
 * on VF 0), an invalidation of VF 0, the VF side's
 * sriovvirt_vpci_wait_invalidate() with timeout 0 after an uncounted
 * invalidation (it drains the mask) and with nothing pending (-EAGAIN),
 * and M/50 + 1 invalidations of every VF. These are reported per operation;
 * --check judges the config accesses only. A failed block operation makes
 * the exit status 1.
 *
 * Skipped (exit 77) where interposing malloc cannot work or would not count:
 * under AddressSanitizer (its runtime owns malloc) and under valgrind (it
 * redirects malloc and free, in libc and in this executable, to its own
 * allocator but not __libc_malloc: counts would be partial and blocks would
 * cross allocators).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sriovvirt.h>

#include "alloc-hook.h"
#include "bench-util.h"

#define MAX_VFS 256

/* The accesses of one cycle: ranges a caller would plausibly read. */
static const struct {
	uint32_t offset;
	uint32_t length;
	bool ret_read;
} accesses[] = {
	{ 0x000, 4, false },	/* vendor and device ID */
	{ 0x000, 64, true },	/* the type 0 header */
	{ 0x004, 2, false },	/* command */
	{ 0x03c, 1, true },	/* interrupt line */
	{ 0x040, 8, false },	/* first capability */
	{ 0x100, 4, true },	/* first extended capability header */
	{ 0x000, 256, true },	/* conventional config space */
	{ 0x000, 4096, true },	/* all of it */
};

#define NR_ACCESSES (sizeof(accesses) / sizeof(accesses[0]))

struct run_stats {
	unsigned long reads, writes, failures;
};

/* BAR 0 registers of one cycle: every width. */
static const struct {
	uint64_t offset;
	unsigned int width;
} registers[] = {
	{ 0x0, 8 }, { 0x8, 4 }, { 0x8, 2 }, { 0x8, 1 },
};

#define NR_REGISTERS (sizeof(registers) / sizeof(registers[0]))

static void mmio_read(struct sriovvirt_pf *pf, unsigned long i,
		      struct run_stats *st)
{
	uint64_t v;

	if (sriovvirt_vf_mmio_read(pf, 0, 0, registers[i % NR_REGISTERS].offset,
				   registers[i % NR_REGISTERS].width, &v) < 0)
		st->failures++;
	st->reads++;
}

static void access_loop(struct sriovvirt_pf *pf, unsigned int nvf,
			unsigned long n, bool writes, bool mmio, bool inject,
			struct run_stats *st)
{
	static uint8_t buf[SRIOVVIRT_CONFIG_SPACE_SIZE];
	unsigned int vf = 0, k = 0;
	unsigned long i;
	size_t got = 0;
	int r;

	for (i = 0; i < n; i++) {
		r = sriovvirt_vf_config_read(pf, (uint16_t)vf, accesses[k].offset,
					     buf, accesses[k].length,
					     accesses[k].ret_read ? &got : NULL);
		st->reads++;
		if (r < 0)
			st->failures++;
		/* Put back what was read: a write that changes nothing. */
		if (writes && r == 0 && i % 4 == 0) {
			got = accesses[k].ret_read ? got : accesses[k].length;
			r = sriovvirt_vf_config_write(pf, (uint16_t)vf,
						      accesses[k].offset, buf,
						      got, 0, NULL);
			st->writes++;
			if (r < 0)
				st->failures++;
		}
		if (mmio)
			mmio_read(pf, i, st);
		if (inject) {
			void *volatile p = malloc(16);

			free(p);
		}
		if (++vf == nvf) {
			vf = 0;
			if (++k == NR_ACCESSES)
				k = 0;
		}
	}
}

/* ------------------------------------------------------------------------ */
/* The config-block store                                                   */
/* ------------------------------------------------------------------------ */

enum block_op {
	OP_WRITE, OP_READ, OP_VPCI_WRITE, OP_VPCI_READ, OP_INVALIDATE,
	OP_WAIT, OP_WAIT_EMPTY, OP_INVALIDATE_ALL, NR_BLOCK_OPS
};

static const char *const block_op_names[NR_BLOCK_OPS] = {
	[OP_WRITE] = "write",
	[OP_READ] = "read",
	[OP_VPCI_WRITE] = "vpci-write",
	[OP_VPCI_READ] = "vpci-read",
	[OP_INVALIDATE] = "invalidate",
	[OP_WAIT] = "wait",
	[OP_WAIT_EMPTY] = "wait-empty",
	[OP_INVALIDATE_ALL] = "invalidate-all",
};

static const char *const block_op_what[NR_BLOCK_OPS] = {
	[OP_WRITE] = "sriovvirt_vf_write_block, 16/128 bytes",
	[OP_READ] = "sriovvirt_vf_read_block, 16/128 bytes",
	[OP_VPCI_WRITE] = "sriovvirt_vpci_write_block, 16/128 bytes",
	[OP_VPCI_READ] = "sriovvirt_vpci_read_block, 16/128 bytes",
	[OP_INVALIDATE] = "sriovvirt_pf_invalidate_blocks, VF 0",
	[OP_WAIT] = "sriovvirt_vpci_wait_invalidate(0), a mask pending",
	[OP_WAIT_EMPTY] = "sriovvirt_vpci_wait_invalidate(0), none: -EAGAIN",
	[OP_INVALIDATE_ALL] = "sriovvirt_pf_invalidate_blocks, every VF",
};

struct block_stats {
	unsigned long ops, failures;
	struct alloc_counts c;
};

static void add_counts(struct alloc_counts *sum, const struct alloc_counts *c)
{
	sum->malloc += c->malloc;
	sum->calloc += c->calloc;
	sum->realloc += c->realloc;
	sum->aligned += c->aligned;
	sum->free += c->free;
}

/* One operation of kind @op, number @i; 0 or the library's -errno. */
static int block_op(enum block_op op, unsigned long i, struct sriovvirt_pf *pf,
		    struct sriovvirt_vpci *vpci)
{
	static uint8_t buf[SRIOVVIRT_BLOCK_MAX_SIZE];
	size_t len = i % 2 ? SRIOVVIRT_BLOCK_MAX_SIZE : 16, got;
	uint32_t id = (uint32_t)(i % 8);
	uint64_t mask;
	int r;

	switch (op) {
	case OP_WRITE:
		buf[0] = (uint8_t)i;
		return sriovvirt_vf_write_block(pf, 0, id, buf, len);
	case OP_READ:
		return sriovvirt_vf_read_block(pf, 0, id, buf, len, &got);
	case OP_VPCI_WRITE:
		buf[0] = (uint8_t)i;
		return sriovvirt_vpci_write_block(vpci, 8 + id, buf, len);
	case OP_VPCI_READ:
		return sriovvirt_vpci_read_block(vpci, 8 + id, buf, len, &got);
	case OP_INVALIDATE:
		return sriovvirt_pf_invalidate_blocks(pf, 0, 1ull << id);
	case OP_WAIT:
		r = sriovvirt_vpci_wait_invalidate(vpci, 0, &mask);
		return r == 0 && mask != 1ull << id ? -EPROTO : r;
	case OP_WAIT_EMPTY:
		r = sriovvirt_vpci_wait_invalidate(vpci, 0, &mask);
		return r == -EAGAIN ? 0 : r == 0 ? -EPROTO : r;
	case OP_INVALIDATE_ALL:
		return sriovvirt_pf_invalidate_blocks(pf, SRIOVVIRT_ALL_VFS,
						      1ull << id);
	default:
		return -EINVAL;
	}
}

/* What must happen, uncounted, before operation @i of kind @op. */
static int block_op_setup(enum block_op op, unsigned long i,
			  struct sriovvirt_pf *pf, struct sriovvirt_vpci *vpci)
{
	uint64_t mask;
	int r;

	if (op != OP_WAIT && op != OP_WAIT_EMPTY)
		return 0;
	/* Whatever was left pending (by invalidate, invalidate-all). */
	r = sriovvirt_vpci_wait_invalidate(vpci, 0, &mask);
	if (r < 0 && r != -EAGAIN)
		return r;
	return op == OP_WAIT ?
	       sriovvirt_pf_invalidate_blocks(pf, 0, 1ull << (i % 8)) : 0;
}

/* Counts @n operations of kind @op, each counted on its own. */
static void count_block_op(enum block_op op, unsigned long n,
			   struct sriovvirt_pf *pf, struct sriovvirt_vpci *vpci,
			   struct block_stats *st)
{
	struct alloc_counts c;
	unsigned long i;
	int r;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < n; i++) {
		if (block_op_setup(op, i, pf, vpci) < 0) {
			st->failures++;
			continue;
		}
		alloc_count_start();
		r = block_op(op, i, pf, vpci);
		c = alloc_count_stop();
		add_counts(&st->c, &c);
		st->ops++;
		if (r < 0) {
			if (st->failures++ == 0)
				fprintf(stderr, "alloc-count: block %s: %s\n",
					block_op_names[op], strerror(-r));
		}
	}
}

/*
 * The store's operations, with a runtime directory of their own below
 * @parent: 0, or 1 if one failed. A directory that cannot be made skips
 * them (0).
 */
static int count_blocks(struct sriovvirt_ctx *ctx, struct sriovvirt_pf *pf,
			unsigned long n, const char *parent)
{
	struct sriovvirt_vpci *vpci = NULL;
	struct block_stats st[NR_BLOCK_OPS];
	struct alloc_counts c_first, c_vpci;
	unsigned int op;
	char dir[4096];
	int r, status = 1;

	if (bench_make_dir(dir, sizeof(dir), parent, "sriovvirt-bench-run") < 0) {
		printf("  config blocks: skipped (no runtime directory)\n");
		return 0;
	}
	r = sriovvirt_ctx_set_runtime_dir(ctx, dir);
	alloc_count_start();
	if (r == 0)
		r = sriovvirt_vpci_open(ctx, sriovvirt_pf_get_name(pf), 0, &vpci);
	c_vpci = alloc_count_stop();
	if (r < 0) {
		fprintf(stderr, "alloc-count: runtime directory %s, VPCI handle "
			"on VF 0: %s\n", dir, strerror(-r));
		goto out;
	}
	/* First use: the PF's directory is made and opened, the VF side's
	 * inotify watch set up. */
	memset(&c_first, 0, sizeof(c_first));
	for (op = 0; op < NR_BLOCK_OPS && r == 0; op++) {
		struct alloc_counts c;

		r = block_op_setup(op, 0, pf, vpci);
		if (r < 0)
			break;
		alloc_count_start();
		r = block_op(op, 0, pf, vpci);
		c = alloc_count_stop();
		add_counts(&c_first, &c);
	}
	if (r < 0) {
		fprintf(stderr, "alloc-count: block %s (warm-up): %s\n",
			block_op_names[op - 1], strerror(-r));
		goto out;
	}
	for (op = 0; op < NR_BLOCK_OPS; op++)
		count_block_op(op, op == OP_INVALIDATE_ALL ? n / 50 + 1 : n, pf,
			       vpci, &st[op]);

	printf("  config blocks, runtime directory %s (%s):\n", dir,
	       bench_fs_type(dir));
	printf("    sriovvirt_vpci_open: %lu allocation(s); the first of each "
	       "kind below (warm-up): %lu allocation(s) in all\n",
	       alloc_total(&c_vpci), alloc_total(&c_first));
	status = 0;
	for (op = 0; op < NR_BLOCK_OPS; op++) {
		const struct block_stats *s = &st[op];

		printf("    %-15s %7lu ops: %.3f allocations/op (%lu malloc, "
		       "%lu calloc, %lu realloc, %lu aligned, %lu free)  [%s]\n",
		       block_op_names[op], s->ops,
		       (double)alloc_total(&s->c) / (double)s->ops, s->c.malloc,
		       s->c.calloc, s->c.realloc, s->c.aligned, s->c.free,
		       block_op_what[op]);
		printf("RESULT alloc-count.block.%s ops=%lu allocations=%lu "
		       "frees=%lu\n", block_op_names[op], s->ops,
		       alloc_total(&s->c), s->c.free);
		if (s->failures) {
			fprintf(stderr, "alloc-count: block %s: %lu of %lu "
				"failed\n", block_op_names[op], s->failures,
				s->ops);
			status = 1;
		}
	}
out:
	sriovvirt_vpci_unref(vpci);
	bench_remove_dir(dir);
	return status;
}

int main(int argc, char **argv)
{
	struct sriovvirt_ctx *ctx = NULL;
	struct sriovvirt_pf *pf = NULL;
	unsigned long n = 10000, vfs = 256;
	struct alloc_counts c_libc, c_open, c_warm, c_run;
	struct run_stats st = { 0 };
	bool check = false, inject = false, vfio = false, blocks = true;
	unsigned long block_n = 0;
	const char *run_parent = NULL;
	struct bench_target t;
	unsigned int nvf, vf;
	uint16_t num_vfs;
	const char *why;
	int i, r, status = 1;
	uint8_t b[4];

	argc = bench_target_args(&t, argc, argv);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--check"))
			check = true;
		else if (!strcmp(argv[i], "--inject-alloc"))
			inject = true;
		else if (!strcmp(argv[i], "--vfio"))
			vfio = true;
		else if (!strcmp(argv[i], "--no-blocks"))
			blocks = false;
		else if (i + 1 < argc && !strcmp(argv[i], "--iterations"))
			n = bench_number("alloc-count", argv[++i], 1000000000UL);
		else if (i + 1 < argc && !strcmp(argv[i], "--block-iterations"))
			block_n = bench_number("alloc-count", argv[++i],
					       100000000UL);
		else if (i + 1 < argc && !strcmp(argv[i], "--runtime-parent"))
			run_parent = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--vfs"))
			vfs = bench_number("alloc-count", argv[++i], 1000000000UL);
		else {
			fprintf(stderr, "Usage: alloc-count [--sysfs-root DIR --pf PF] "
				"[--mkfixture PATH] [--iterations N] [--vfs N] "
				"[--vfio] [--check] [--inject-alloc] "
				"[--block-iterations N] [--runtime-parent DIR] "
				"[--no-blocks]\n");
			return 2;
		}
	}
	why = alloc_skip_reason();
	if (why) {
		printf("alloc-count: skipped: %s\n", why);
		return BENCH_EXIT_SKIP;
	}
	r = bench_target_prepare(&t, vfs > MAX_VFS ? MAX_VFS : (unsigned int)vfs);
	if (r != 0)
		return r;

	/* The counter must see libc's own allocations... */
	alloc_count_start();
	{
		char *volatile p = strdup("counted");

		free(p);
	}
	c_libc = alloc_count_stop();
	/* ...and the library's. */
	alloc_count_start();
	r = sriovvirt_ctx_new(&ctx);
	if (r == 0)
		r = sriovvirt_ctx_set_sysfs_root(ctx, t.root);
	if (r == 0)
		r = sriovvirt_pf_open(ctx, t.pf, &pf);
	c_open = alloc_count_stop();
	if (r == 0)
		r = sriovvirt_pf_get_num_vfs(pf, &num_vfs);
	if (r < 0) {
		fprintf(stderr, "alloc-count: %s in %s: %s\n", t.pf, t.root,
			strerror(-r));
		goto out;
	}
	if (alloc_total(&c_libc) == 0 || alloc_total(&c_open) == 0) {
		fprintf(stderr, "alloc-count: the malloc interposer counted "
			"nothing (libc: %lu, opening the PF: %lu); the count "
			"below would mean nothing\n", alloc_total(&c_libc),
			alloc_total(&c_open));
		goto out;
	}
	if (num_vfs == 0) {
		fprintf(stderr, "alloc-count: %s has no VFs enabled\n", t.pf);
		goto out;
	}
	nvf = num_vfs < MAX_VFS ? num_vfs : MAX_VFS;

	/* Through VFIO: VF 0 only, its device opened before counting. */
	if (vfio) {
		nvf = 1;
		r = sriovvirt_vf_vfio_open(pf, 0, NULL);
		if (r < 0) {
			fprintf(stderr, "alloc-count: VF 0 through VFIO: %s\n",
				strerror(-r));
			goto out;
		}
	}

	/* Warm-up: every VF once; the handle opens and caches its files. */
	alloc_count_start();
	for (vf = 0; vf < nvf; vf++) {
		r = sriovvirt_vf_config_read(pf, (uint16_t)vf, 0, b, sizeof(b),
					     NULL);
		if (r < 0)
			break;
	}
	c_warm = alloc_count_stop();
	if (r < 0) {
		fprintf(stderr, "alloc-count: VF %u: %s\n", vf, strerror(-r));
		goto out;
	}

	alloc_count_start();
	access_loop(pf, nvf, n, t.fake, vfio, inject, &st);
	c_run = alloc_count_stop();

	printf("alloc-count: PF %s below %s (%s), %u VFs%s\n",
	       sriovvirt_pf_get_name(pf), t.root,
	       t.fake ? "fake tree" : "given tree", nvf,
	       vfio ? ", through VFIO with BAR 0 register reads" : "");
	printf("  counter check: strdup %lu allocation(s); ctx_new + pf_open "
	       "%lu allocation(s)\n", alloc_total(&c_libc), alloc_total(&c_open));
	printf("  warm-up (first read of each VF): %lu allocation(s)\n",
	       alloc_total(&c_warm));
	printf("  %lu reads + %lu writes after warm-up (%lu failed): "
	       "%lu malloc, %lu calloc, %lu realloc, %lu aligned, %lu free\n",
	       st.reads, st.writes, st.failures, c_run.malloc, c_run.calloc,
	       c_run.realloc, c_run.aligned, c_run.free);
	printf("  allocations per access: %.6f (target 0: %s)\n",
	       (double)alloc_total(&c_run) / (double)(st.reads + st.writes),
	       alloc_total(&c_run) ? "NOT MET" : "met");
	printf("RESULT alloc-count%s accesses=%lu allocations=%lu\n",
	       vfio ? ".vfio" : "", st.reads + st.writes, alloc_total(&c_run));
	if (st.failures) {
		fprintf(stderr, "alloc-count: %lu accesses failed\n", st.failures);
		goto out;
	}
	status = check && alloc_total(&c_run) ? 1 : 0;
	if (blocks && !vfio) {
		fflush(stdout);
		if (count_blocks(ctx, pf, block_n ? block_n : n / 20 + 1,
				 run_parent) != 0)
			status = 1;
	}
out:
	sriovvirt_pf_unref(pf);
	sriovvirt_ctx_unref(ctx);
	bench_target_cleanup(&t);
	return status;
}
