/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Counting heap allocations (alloc-hook.c): an executable built with it
 * defines malloc, calloc, realloc, free and the aligned allocators itself
 * and forwards them to glibc's allocator (__libc_malloc and friends). A
 * definition in the executable interposes on every shared object,
 * libsriovvirt.so and libc's internal callers included, and on a static
 * archive linked in (the internal library), so every heap allocation made
 * in the process is counted while counting is on. Build it into the
 * executable itself (not through a static library), with -fno-builtin and
 * export_dynamic (bench/meson.build).
 */
#ifndef SRIOVVIRT_BENCH_ALLOC_HOOK_H
#define SRIOVVIRT_BENCH_ALLOC_HOOK_H

struct alloc_counts {
	unsigned long malloc, calloc, realloc, aligned, free;
};

/* Zeroes the counts and counts from now on (this thread and others). */
void alloc_count_start(void);

/* Stops counting; what was counted since alloc_count_start(). */
struct alloc_counts alloc_count_stop(void);

/* malloc + calloc + realloc + aligned: the allocations, frees aside. */
unsigned long alloc_total(const struct alloc_counts *c);

/*
 * Why counting cannot work in this process (a sanitizer's runtime or
 * valgrind owns malloc), or NULL: the caller then skips (exit 77).
 */
const char *alloc_skip_reason(void);

#endif /* SRIOVVIRT_BENCH_ALLOC_HOOK_H */
