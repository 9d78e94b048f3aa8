// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The benchmarks' malloc interposer; see alloc-hook.h.
 *
 * Not compiled in where interposing malloc cannot work or would not count:
 * under AddressSanitizer (its runtime owns malloc), detected at compile
 * time. Under valgrind (it redirects malloc and free, in libc and in this
 * executable, to its own allocator but not __libc_malloc: counts would be
 * partial and blocks would cross allocators), alloc_skip_reason() says so
 * at run time.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc-hook.h"

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

static struct alloc_counts counts;
static volatile int counting;

unsigned long alloc_total(const struct alloc_counts *c)
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

void alloc_count_start(void)
{
	memset(&counts, 0, sizeof(counts));
	counting = 1;
}

struct alloc_counts alloc_count_stop(void)
{
	counting = 0;
	return counts;
}

const char *alloc_skip_reason(void)
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
