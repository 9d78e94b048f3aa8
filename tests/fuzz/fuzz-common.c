/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Linked into every fuzz target next to lib_pure_sources: the invariant
 * failure report, and stand-ins for the I/O functions those sources call.
 *
 * location.c and bars.c hold both the pure math that is fuzzed and the public
 * functions around it, which read sysfs through sysfs.c, pf.c and ctx.c.
 * Linking those would pull in libpci and libudev and a whole context; the
 * pure functions must never reach them anyway, so each stand-in aborts: a
 * pure function that starts doing I/O is a bug the fuzzers then report.
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

__attribute__((noreturn)) static void io_reached(const char *fn)
{
	fprintf(stderr, "fuzz: pure code called %s(), which does I/O\n", fn);
	abort();
}

/* The stand-ins cannot return, but their prototypes are the library's. */
#pragma GCC diagnostic ignored "-Wmissing-noreturn"
#ifndef __clang__
#pragma GCC diagnostic ignored "-Wsuggest-attribute=noreturn"
#endif

void sv_log_write(struct sriovvirt_ctx *ctx, int priority, const char *file,
		  int line, const char *fn, const char *format, ...)
{
	(void)ctx, (void)priority, (void)file, (void)line, (void)fn,
	(void)format;
	io_reached(__func__);
}

int sv_attr_read_uint(struct sriovvirt_ctx *ctx, int dirfd, const char *name,
		      unsigned int base, uint64_t max, uint64_t *ret)
{
	(void)ctx, (void)dirfd, (void)name, (void)base, (void)max, (void)ret;
	io_reached(__func__);
}

int sv_attr_read_link(int dirfd, const char *name, char *buf, size_t size)
{
	(void)dirfd, (void)name, (void)buf, (void)size;
	io_reached(__func__);
}

int sv_read_resources(struct sriovvirt_ctx *ctx, int dirfd,
		      struct sv_resource *res, size_t max, size_t *ret_count)
{
	(void)ctx, (void)dirfd, (void)res, (void)max, (void)ret_count;
	io_reached(__func__);
}

int sv_dev_open_dir(struct sriovvirt_ctx *ctx,
		    const struct sriovvirt_pci_addr *addr, int *ret_fd)
{
	(void)ctx, (void)addr, (void)ret_fd;
	io_reached(__func__);
}

int sv_pf_num_vfs(struct sriovvirt_pf *pf, uint16_t *ret)
{
	(void)pf, (void)ret;
	io_reached(__func__);
}

int sv_pf_open_vf_dir(struct sriovvirt_pf *pf, uint16_t vf, int *ret_fd)
{
	(void)pf, (void)vf, (void)ret_fd;
	io_reached(__func__);
}

int sriovvirt_pf_open_addr(struct sriovvirt_ctx *ctx,
			   const struct sriovvirt_pci_addr *addr,
			   struct sriovvirt_pf **ret)
{
	(void)ctx, (void)addr, (void)ret;
	io_reached(__func__);
}

struct sriovvirt_pf *sriovvirt_pf_unref(struct sriovvirt_pf *pf)
{
	(void)pf;
	io_reached(__func__);
}

int sriovvirt_pf_get_total_vfs(struct sriovvirt_pf *pf, uint16_t *ret)
{
	(void)pf, (void)ret;
	io_reached(__func__);
}

int sriovvirt_pf_get_sriov_info(struct sriovvirt_pf *pf,
				struct sriovvirt_sriov_info *ret)
{
	(void)pf, (void)ret;
	io_reached(__func__);
}
