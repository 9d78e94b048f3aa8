// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * alloc-count: heap allocations per VF config access (DESIGN.md, Targets:
 * zero).
 *
 *   alloc-count [--sysfs-root DIR --pf PF] [--mkfixture PATH]
 *               [--iterations N] [--vfs N] [--vfio] [--check] [--inject-alloc]
 *
 * This executable defines malloc, calloc, realloc, free and the aligned
 * allocators itself and forwards them to glibc's allocator (__libc_malloc and
 * friends). A definition in the executable interposes on every shared
 * object, libsriovvirt.so and libc's internal callers included, so every
 * heap allocation made in the process is counted while counting is on.
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

#include "bench-util.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || \
	__has_feature(thread_sanitizer)
#define UNDER_SANITIZER 1
#endif
#endif

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define HAVE_VALGRIND_H 1
#endif
#endif

#define MAX_VFS 256

struct counts {
	unsigned long malloc, calloc, realloc, aligned, free;
};

static struct counts counts;
static volatile int counting;

static unsigned long allocations(const struct counts *c)
{
	return c->malloc + c->calloc + c->realloc + c->aligned;
}

#ifndef UNDER_SANITIZER
/* glibc's allocator under its internal names (exported by libc.so.6). */
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t nmemb, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void __libc_free(void *ptr);
extern void *__libc_memalign(size_t alignment, size_t size);

void *malloc(size_t size)
{
	if (counting)
		counts.malloc++;
	return __libc_malloc(size);
}

void *calloc(size_t nmemb, size_t size)
{
	if (counting)
		counts.calloc++;
	return __libc_calloc(nmemb, size);
}

void *realloc(void *ptr, size_t size)
{
	if (counting)
		counts.realloc++;
	return __libc_realloc(ptr, size);
}

void free(void *ptr)
{
	if (counting && ptr)
		counts.free++;
	__libc_free(ptr);
}

void *memalign(size_t alignment, size_t size);
void *memalign(size_t alignment, size_t size)
{
	if (counting)
		counts.aligned++;
	return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size)
{
	if (counting)
		counts.aligned++;
	return __libc_memalign(alignment, size);
}

int posix_memalign(void **ret, size_t alignment, size_t size)
{
	void *p;

	if (alignment % sizeof(void *) || (alignment & (alignment - 1)))
		return EINVAL;
	if (counting)
		counts.aligned++;
	p = __libc_memalign(alignment, size);
	if (!p)
		return ENOMEM;
	*ret = p;
	return 0;
}
#endif /* !UNDER_SANITIZER */

static void count_start(void)
{
	memset(&counts, 0, sizeof(counts));
	counting = 1;
}

static struct counts count_stop(void)
{
	counting = 0;
	return counts;
}

static const char *skip_reason(void)
{
#ifdef UNDER_SANITIZER
	return "built with a sanitizer, whose runtime owns malloc";
#else
	const char *preload = getenv("LD_PRELOAD");

#ifdef HAVE_VALGRIND_H
	if (RUNNING_ON_VALGRIND)
		return "running under valgrind, which replaces malloc itself";
#endif
	if (preload && strstr(preload, "vgpreload"))
		return "running under valgrind, which replaces malloc itself";
	return NULL;
#endif
}

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

int main(int argc, char **argv)
{
	struct sriovvirt_ctx *ctx = NULL;
	struct sriovvirt_pf *pf = NULL;
	unsigned long n = 10000, vfs = 256;
	struct counts c_libc, c_open, c_warm, c_run;
	struct run_stats st = { 0 };
	bool check = false, inject = false, vfio = false;
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
		else if (i + 1 < argc && !strcmp(argv[i], "--iterations"))
			n = bench_number("alloc-count", argv[++i], 1000000000UL);
		else if (i + 1 < argc && !strcmp(argv[i], "--vfs"))
			vfs = bench_number("alloc-count", argv[++i], 1000000000UL);
		else {
			fprintf(stderr, "Usage: alloc-count [--sysfs-root DIR --pf PF] "
				"[--mkfixture PATH] [--iterations N] [--vfs N] "
				"[--vfio] [--check] [--inject-alloc]\n");
			return 2;
		}
	}
	why = skip_reason();
	if (why) {
		printf("alloc-count: skipped: %s\n", why);
		return BENCH_EXIT_SKIP;
	}
	r = bench_target_prepare(&t, vfs > MAX_VFS ? MAX_VFS : (unsigned int)vfs);
	if (r != 0)
		return r;

	/* The counter must see libc's own allocations... */
	count_start();
	{
		char *volatile p = strdup("counted");

		free(p);
	}
	c_libc = count_stop();
	/* ...and the library's. */
	count_start();
	r = sriovvirt_ctx_new(&ctx);
	if (r == 0)
		r = sriovvirt_ctx_set_sysfs_root(ctx, t.root);
	if (r == 0)
		r = sriovvirt_pf_open(ctx, t.pf, &pf);
	c_open = count_stop();
	if (r == 0)
		r = sriovvirt_pf_get_num_vfs(pf, &num_vfs);
	if (r < 0) {
		fprintf(stderr, "alloc-count: %s in %s: %s\n", t.pf, t.root,
			strerror(-r));
		goto out;
	}
	if (allocations(&c_libc) == 0 || allocations(&c_open) == 0) {
		fprintf(stderr, "alloc-count: the malloc interposer counted "
			"nothing (libc: %lu, opening the PF: %lu); the count "
			"below would mean nothing\n", allocations(&c_libc),
			allocations(&c_open));
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
	count_start();
	for (vf = 0; vf < nvf; vf++) {
		r = sriovvirt_vf_config_read(pf, (uint16_t)vf, 0, b, sizeof(b),
					     NULL);
		if (r < 0)
			break;
	}
	c_warm = count_stop();
	if (r < 0) {
		fprintf(stderr, "alloc-count: VF %u: %s\n", vf, strerror(-r));
		goto out;
	}

	count_start();
	access_loop(pf, nvf, n, t.fake, vfio, inject, &st);
	c_run = count_stop();

	printf("alloc-count: PF %s below %s (%s), %u VFs%s\n",
	       sriovvirt_pf_get_name(pf), t.root,
	       t.fake ? "fake tree" : "given tree", nvf,
	       vfio ? ", through VFIO with BAR 0 register reads" : "");
	printf("  counter check: strdup %lu allocation(s); ctx_new + pf_open "
	       "%lu allocation(s)\n", allocations(&c_libc), allocations(&c_open));
	printf("  warm-up (first read of each VF): %lu allocation(s)\n",
	       allocations(&c_warm));
	printf("  %lu reads + %lu writes after warm-up (%lu failed): "
	       "%lu malloc, %lu calloc, %lu realloc, %lu aligned, %lu free\n",
	       st.reads, st.writes, st.failures, c_run.malloc, c_run.calloc,
	       c_run.realloc, c_run.aligned, c_run.free);
	printf("  allocations per access: %.6f (target 0: %s)\n",
	       (double)allocations(&c_run) / (double)(st.reads + st.writes),
	       allocations(&c_run) ? "NOT MET" : "met");
	printf("RESULT alloc-count%s accesses=%lu allocations=%lu\n",
	       vfio ? ".vfio" : "", st.reads + st.writes, allocations(&c_run));
	if (st.failures) {
		fprintf(stderr, "alloc-count: %lu accesses failed\n", st.failures);
		goto out;
	}
	status = check && allocations(&c_run) ? 1 : 0;
out:
	sriovvirt_pf_unref(pf);
	sriovvirt_ctx_unref(ctx);
	bench_target_cleanup(&t);
	return status;
}
