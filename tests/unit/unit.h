/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the unit tests: CMocka and what it needs included first, the
 * library's internal declarations, and two helpers.
 */
#ifndef SRIOVVIRT_UNIT_H
#define SRIOVVIRT_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"

/*
 * A heap copy of exactly @len bytes, with no NUL after them: a parser that
 * reads one byte past the length it was given then trips ASan or valgrind
 * instead of quietly finding a terminator.
 */
static inline void *unit_exact_copy(const void *s, size_t len)
{
	void *p = malloc(len);

	assert_non_null(p);
	memcpy(p, s, len);
	return p;
}

/*
 * assert_true() for table-driven tests: says which row failed, which a bare
 * line number in a loop cannot.
 */
#define unit_expect(cond, fmt, ...)                                            \
	do {                                                                   \
		if (!(cond))                                                   \
			fail_msg("%s is false for " fmt, #cond, __VA_ARGS__);  \
	} while (0)

#endif /* SRIOVVIRT_UNIT_H */
