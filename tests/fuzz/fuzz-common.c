/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Linked into every fuzz target next to lib_pure_sources: the invariant
 * failure report. The pure sources (parsers, capability walks, routing-ID
 * and BAR math) call nothing that does I/O, so they link alone: a pure file
 * that starts doing I/O no longer links here.
 */

#include <stdio.h>
#include <stdlib.h>

#include "internal.h"
#include "fuzz.h"

void fuzz_fail(const char *file, int line, const char *cond)
{
	fprintf(stderr, "fuzz: invariant violated at %s:%d: %s\n", file, line,
		cond);
	abort();
}
