// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * block-latency: what a config-block operation costs, per operation
 * (DESIGN.md, Targets: a block write and read, and a veto round trip, in
 * microseconds, not milliseconds, measured).
 *
 *   block-latency [--sysfs-root DIR --pf PF] [--mkfixture PATH]
 *                 [--iterations N] [--vfs N] [--runtime-parent DIR]
 *                 [--trace-one]
 *
 * The store lives in the context's runtime directory; the benchmark gives
 * it a fresh one, mode 0700 (mkdtemp), below --runtime-parent DIR or else
 * where fake trees go (bench-util.h: /dev/shm by default, a tmpfs like the
 * real /run/sriovvirt), and removes it afterwards. The tree is described in
 * bench-util.h (a fake one by default, --vfs VFs, default 8); only the
 * runtime directory is written, never the tree.
 *
 * Each operation is timed on its own (CLOCK_MONOTONIC before and after),
 * N times (default 10,000) after N/10 of warm-up; reported are the minimum,
 * median, 90th and 99th percentiles, maximum and mean, in microseconds:
 *
 *   write16, read16       sriovvirt_vf_write_block() then
 *   write+read16          sriovvirt_vf_read_block() of 16 bytes, VF 0,
 *                         and the pair (block IDs cycle over 0..7)
 *   write128, read128,    the same with 128 bytes, the largest block
 *   write+read128
 *   watched-write16,      write16 and read16 while a VF side watches the
 *   watched-read16        store (a VPCI handle with its descriptor, whose
 *                         inotify queue is emptied between operations,
 *                         untimed): what the kernel's inotify adds
 *   invalidate, wait,     sriovvirt_pf_invalidate_blocks() of VF 0, then
 *   invalidate+wait       the VF side's sriovvirt_vpci_wait_invalidate()
 *                         with timeout 0, which returns the mask
 *   wait-empty            sriovvirt_vpci_wait_invalidate(timeout 0) with
 *                         nothing pending (-EAGAIN): a spurious wake's cost
 *   vpci-write16,         the VF side's sriovvirt_vpci_write_block() and
 *   vpci-read16           sriovvirt_vpci_read_block() of 16 bytes
 *   invalidate-all        sriovvirt_pf_invalidate_blocks(SRIOVVIRT_ALL_VFS)
 *                         over every enabled VF (N/10 times)
 *
 * It also reports whether the VF side's descriptor polls readable right
 * after its own drain (a wake-up with nothing to report).
 *
 * --trace-one runs every operation a few times, then once between two
 * markers, access("/sriovvirt-bench-mark/begin/NAME") and .../end/NAME,
 * and times nothing: run it under strace -f to count the system calls of
 * one operation (docs/benchmarks.md).
 *
 * The exit status only says whether the benchmark could run; no time is
 * judged.
 */

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sriovvirt.h>

#include "bench-util.h"

#define MAX_ITERATIONS 10000000UL

struct bench {
	struct sriovvirt_ctx *ctx;
	struct sriovvirt_pf *pf;
	struct sriovvirt_vpci *vpci;
	int vpci_fd;		/* the VF side's descriptor, -1 until opened */
	uint16_t num_vfs;
	unsigned long n;
	bool trace;
	double *a, *b, *ab;	/* n samples each, ns */
	unsigned long self_wakes;	/* readable right after a drain */
};

static uint8_t wbuf[SRIOVVIRT_BLOCK_MAX_SIZE];
static uint8_t rbuf[SRIOVVIRT_BLOCK_MAX_SIZE];

static int fail(const char *what, int r)
{
	fprintf(stderr, "block-latency: %s: %s\n", what, strerror(-r));
	return -1;
}

static void marker(const char *edge, const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sriovvirt-bench-mark/%s/%s", edge, name);
	(void)!access(path, F_OK);
}

/* Empties the VF side's inotify queue (untimed), as its owner would. */
static void drain_watch(struct bench *b)
{
	char buf[4096];

	if (b->vpci_fd >= 0)
		while (read(b->vpci_fd, buf, sizeof(buf)) > 0)
			;
}

static bool readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static void report(const char *name, double *v, unsigned long n)
{
	struct bench_latency l;

	bench_latency(v, (unsigned int)n, &l);
	bench_latency_report("block-latency", name, &l);
}

/* One operation: 0 or the library's -errno. */
typedef int (*op_fn)(struct bench *b, unsigned long i);

static int op_write16(struct bench *b, unsigned long i)
{
	wbuf[0] = (uint8_t)i;
	return sriovvirt_vf_write_block(b->pf, 0, (uint32_t)(i % 8), wbuf, 16);
}

static int op_read16(struct bench *b, unsigned long i)
{
	size_t got;
	int r;

	r = sriovvirt_vf_read_block(b->pf, 0, (uint32_t)(i % 8), rbuf, 16, &got);
	return r == 0 && got != 16 ? -EPROTO : r;
}

static int op_write128(struct bench *b, unsigned long i)
{
	wbuf[0] = (uint8_t)i;
	return sriovvirt_vf_write_block(b->pf, 0, (uint32_t)(16 + i % 8), wbuf,
					SRIOVVIRT_BLOCK_MAX_SIZE);
}

static int op_read128(struct bench *b, unsigned long i)
{
	size_t got;
	int r;

	r = sriovvirt_vf_read_block(b->pf, 0, (uint32_t)(16 + i % 8), rbuf,
				    SRIOVVIRT_BLOCK_MAX_SIZE, &got);
	return r == 0 && got != SRIOVVIRT_BLOCK_MAX_SIZE ? -EPROTO : r;
}

static int op_invalidate(struct bench *b, unsigned long i)
{
	return sriovvirt_pf_invalidate_blocks(b->pf, 0, 1ull << (i % 8));
}

static int op_wait(struct bench *b, unsigned long i)
{
	uint64_t mask = 0;
	int r;

	r = sriovvirt_vpci_wait_invalidate(b->vpci, 0, &mask);
	return r == 0 && mask != 1ull << (i % 8) ? -EPROTO : r;
}

static int op_wait_empty(struct bench *b, unsigned long i)
{
	uint64_t mask;
	int r;

	(void)i;
	r = sriovvirt_vpci_wait_invalidate(b->vpci, 0, &mask);
	return r == -EAGAIN ? 0 : r == 0 ? -EPROTO : r;
}

static int op_vpci_write16(struct bench *b, unsigned long i)
{
	wbuf[0] = (uint8_t)i;
	return sriovvirt_vpci_write_block(b->vpci, (uint32_t)(32 + i % 8), wbuf,
					  16);
}

static int op_vpci_read16(struct bench *b, unsigned long i)
{
	size_t got;
	int r;

	r = sriovvirt_vpci_read_block(b->vpci, (uint32_t)(32 + i % 8), rbuf, 16,
				      &got);
	return r == 0 && got != 16 ? -EPROTO : r;
}

static int op_invalidate_all(struct bench *b, unsigned long i)
{
	return sriovvirt_pf_invalidate_blocks(b->pf, SRIOVVIRT_ALL_VFS,
					      1ull << (i % 8));
}

/*
 * @first then @second (NULL: @first alone) @n times after @n/10 of warm-up,
 * timing each and the pair; the watch is emptied between pairs, untimed,
 * if @drain. With --trace-one, one pair between markers instead.
 */
static int pair(struct bench *b, const char *name_a, op_fn first,
		const char *name_b, op_fn second, const char *name_ab,
		unsigned long n, bool drain)
{
	unsigned long warm = n / 10 + 1, i;
	uint64_t t0, t1, t2;
	int r;

	for (i = 0; i < warm; i++) {
		r = first(b, i);
		if (r == 0 && second)
			r = second(b, i);
		if (r < 0)
			return fail(name_a, r);
		if (drain)
			drain_watch(b);
	}
	if (b->trace) {
		marker("begin", name_a);
		r = first(b, i);
		marker("end", name_a);
		if (r == 0 && second) {
			marker("begin", name_b);
			r = second(b, i);
			marker("end", name_b);
		}
		if (drain)
			drain_watch(b);
		return r < 0 ? fail(name_a, r) : 0;
	}
	for (i = 0; i < n; i++) {
		t0 = bench_now_ns();
		r = first(b, i);
		t1 = bench_now_ns();
		if (r == 0 && second)
			r = second(b, i);
		t2 = bench_now_ns();
		if (r < 0)
			return fail(r == -EPROTO ? "unexpected result" : name_a, r);
		if (drain)
			drain_watch(b);
		b->a[i] = (double)(t1 - t0);
		b->b[i] = (double)(t2 - t1);
		b->ab[i] = (double)(t2 - t0);
	}
	report(name_a, b->a, n);
	if (second) {
		report(name_b, b->b, n);
		report(name_ab, b->ab, n);
	}
	fflush(stdout);
	return 0;
}

/* invalidate+wait, noting whether the drain leaves the descriptor readable. */
static int invalidate_wait(struct bench *b, unsigned long n)
{
	unsigned long warm = n / 10 + 1, i;
	uint64_t t0, t1, t2;
	int r;

	for (i = 0; i < warm; i++) {
		r = op_invalidate(b, i);
		if (r == 0)
			r = op_wait(b, i);
		if (r < 0)
			return fail("invalidate+wait", r);
	}
	if (b->trace) {
		marker("begin", "invalidate");
		r = op_invalidate(b, i);
		marker("end", "invalidate");
		marker("begin", "wait");
		if (r == 0)
			r = op_wait(b, i);
		marker("end", "wait");
		return r < 0 ? fail("invalidate+wait", r) : 0;
	}
	for (i = 0; i < n; i++) {
		t0 = bench_now_ns();
		r = op_invalidate(b, i);
		t1 = bench_now_ns();
		if (r == 0)
			r = op_wait(b, i);
		t2 = bench_now_ns();
		if (r < 0)
			return fail(r == -EPROTO ? "wait: unexpected mask" :
				    "invalidate+wait", r);
		if (readable(b->vpci_fd))
			b->self_wakes++;
		b->a[i] = (double)(t1 - t0);
		b->b[i] = (double)(t2 - t1);
		b->ab[i] = (double)(t2 - t0);
	}
	report("invalidate", b->a, n);
	report("wait", b->b, n);
	report("invalidate+wait", b->ab, n);
	fflush(stdout);
	return 0;
}

/* The clock's own cost, which every sample above includes once. */
static double clock_cost(void)
{
	double v[1001];
	unsigned int i;

	for (i = 0; i < 1001; i++) {
		uint64_t t0 = bench_now_ns();

		v[i] = (double)(bench_now_ns() - t0);
	}
	return bench_median(v, 1001);
}

static int run(struct bench *b, const struct bench_target *t,
	       const char *run_dir)
{
	unsigned long n = b->n;
	int r;

	r = sriovvirt_ctx_new(&b->ctx);
	if (r == 0)
		r = sriovvirt_ctx_set_sysfs_root(b->ctx, t->root);
	if (r == 0)
		r = sriovvirt_ctx_set_runtime_dir(b->ctx, run_dir);
	if (r == 0)
		r = sriovvirt_pf_open(b->ctx, t->pf, &b->pf);
	if (r == 0)
		r = sriovvirt_pf_get_num_vfs(b->pf, &b->num_vfs);
	if (r < 0) {
		fprintf(stderr, "block-latency: %s in %s, runtime directory %s: "
			"%s\n", t->pf, t->root, run_dir, strerror(-r));
		return -1;
	}
	if (b->num_vfs == 0) {
		fprintf(stderr, "block-latency: %s has no VFs enabled\n", t->pf);
		return -1;
	}
	memset(wbuf, 0x5a, sizeof(wbuf));
	if (!b->trace) {
		printf("block-latency: PF %s below %s (%s), VF 0 of %u; runtime "
		       "directory %s (%s)\n", sriovvirt_pf_get_name(b->pf),
		       t->root, t->fake ? "fake tree" : "given tree", b->num_vfs,
		       run_dir, bench_fs_type(run_dir));
		printf("%lu operations of each kind after %lu of warm-up; a "
		       "clock read costs %.0f ns (in every sample once)\n", n,
		       n / 10 + 1, clock_cost());
		printf("per operation, in microseconds:\n");
		fflush(stdout);
	}

	/* Nobody watches the store yet. */
	if (pair(b, "write16", op_write16, "read16", op_read16, "write+read16",
		 n, false) < 0 ||
	    pair(b, "write128", op_write128, "read128", op_read128,
		 "write+read128", n, false) < 0)
		return -1;

	/* The VF side: a VPCI handle on VF 0 with its descriptor. */
	r = sriovvirt_vpci_open(b->ctx, sriovvirt_pf_get_name(b->pf), 0,
				&b->vpci);
	if (r == 0)
		r = sriovvirt_vpci_get_fd(b->vpci, &b->vpci_fd);
	if (r < 0)
		return fail("the VPCI handle on VF 0", r);
	drain_watch(b);
	if (pair(b, "watched-write16", op_write16, "watched-read16", op_read16,
		 "watched-write+read16", n, true) < 0 ||
	    invalidate_wait(b, n) < 0 ||
	    pair(b, "wait-empty", op_wait_empty, NULL, NULL, NULL, n, false) < 0 ||
	    pair(b, "vpci-write16", op_vpci_write16, "vpci-read16",
		 op_vpci_read16, "vpci-write+read16", n, true) < 0 ||
	    pair(b, "invalidate-all", op_invalidate_all, NULL, NULL, NULL,
		 n / 10 + 1, true) < 0)
		return -1;
	if (!b->trace) {
		printf("  invalidate-all covers %u VFs\n", b->num_vfs);
		printf("  the VF side's descriptor was readable right after its "
		       "own drain in %lu of %lu invalidate+wait pairs\n",
		       b->self_wakes, n);
		printf("RESULT block-latency.self-wakes pairs=%lu readable=%lu\n",
		       n, b->self_wakes);
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long n = 10000, vfs = 8;
	struct bench b = { .vpci_fd = -1 };
	const char *run_parent = NULL;
	struct bench_target t;
	char run_dir[4096];
	int i, r;

	argc = bench_target_args(&t, argc, argv);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--trace-one"))
			b.trace = true;
		else if (i + 1 < argc && !strcmp(argv[i], "--iterations"))
			n = bench_number("block-latency", argv[++i],
					 MAX_ITERATIONS);
		else if (i + 1 < argc && !strcmp(argv[i], "--vfs"))
			vfs = bench_number("block-latency", argv[++i], 256);
		else if (i + 1 < argc && !strcmp(argv[i], "--runtime-parent"))
			run_parent = argv[++i];
		else {
			fprintf(stderr, "Usage: block-latency [--sysfs-root DIR "
				"--pf PF] [--mkfixture PATH] [--iterations N] "
				"[--vfs N] [--runtime-parent DIR] "
				"[--trace-one]\n");
			return 2;
		}
	}
	b.n = b.trace ? 1 : n;
	b.a = calloc(b.n, sizeof(double));
	b.b = calloc(b.n, sizeof(double));
	b.ab = calloc(b.n, sizeof(double));
	if (!b.a || !b.b || !b.ab) {
		fprintf(stderr, "block-latency: out of memory\n");
		return 1;
	}
	r = bench_target_prepare(&t, (unsigned int)vfs);
	if (r != 0)
		return r;
	r = 1;
	if (bench_make_dir(run_dir, sizeof(run_dir), run_parent,
			   "sriovvirt-bench-run") == 0) {
		r = run(&b, &t, run_dir) < 0 ? 1 : 0;
		bench_remove_dir(run_dir);
	}
	sriovvirt_vpci_unref(b.vpci);
	sriovvirt_pf_unref(b.pf);
	sriovvirt_ctx_unref(b.ctx);
	bench_target_cleanup(&t);
	free(b.a);
	free(b.b);
	free(b.ab);
	return r;
}
