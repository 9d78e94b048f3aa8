// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A program built against release 0.1's header keeps working: it is bound to
 * sriovvirt_pf_get_sriov_info@LIBSRIOVVIRT_0, which fills the 0.1 layout of
 * struct sriovvirt_sriov_info (no size member) and not one byte more. Linked
 * to the shared library, as such a program is.
 *
 * Also the growable-structure rule of today's version: a smaller size than
 * release 0.2's is refused, a larger one (a program built against a newer
 * header) is filled as far as this library knows and told so.
 *
 * usage: compat-0.1 (builds the standard fake tree itself)
 */

#include <errno.h>
#include <ftw.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sriovvirt.h>

#include "fixture.h"

/* Release 0.1's structure, copied from its header. */
struct sriov_info_0_1 {
	uint16_t cap_offset;
	uint8_t cap_version;
	uint32_t capabilities;
	uint16_t control;
	uint16_t status;
	uint16_t initial_vfs;
	uint16_t total_vfs;
	uint16_t num_vfs;
	uint8_t function_dependency_link;
	uint16_t vf_offset;
	uint16_t vf_stride;
	uint16_t vf_device_id;
	uint32_t supported_page_sizes;
	uint32_t system_page_size;
	uint32_t vf_migration_state;
	struct sriovvirt_vf_bar vf_bars[6];
	uint8_t captured_bus_numbers;
	uint16_t driver_total_vfs;
};

int get_0_1(struct sriovvirt_pf *pf, struct sriov_info_0_1 *ret);
__asm__(".symver get_0_1, sriovvirt_pf_get_sriov_info@LIBSRIOVVIRT_0");

/* What a program built against a later header, with one more field, has. */
struct sriov_info_later {
	struct sriovvirt_sriov_info known;
	uint64_t added_later;
};

static int failures;

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);   \
			fprintf(stderr, __VA_ARGS__);                          \
			fputc('\n', stderr);                                   \
			failures++;                                            \
		}                                                              \
	} while (0)

static void check_same(const struct sriov_info_0_1 *o,
		       const struct sriovvirt_sriov_info *n)
{
	CHECK(o->cap_offset == n->cap_offset && o->cap_offset != 0,
	      "cap_offset %#x", o->cap_offset);
	CHECK(o->total_vfs == n->total_vfs && o->num_vfs == n->num_vfs,
	      "total/num VFs %u/%u", o->total_vfs, o->num_vfs);
	CHECK(o->vf_offset == n->vf_offset && o->vf_stride == n->vf_stride,
	      "offset/stride");
	CHECK(o->vf_device_id == n->vf_device_id, "VF device ID");
	CHECK(o->supported_page_sizes == n->supported_page_sizes &&
	      o->system_page_size == n->system_page_size, "page sizes");
	CHECK(!memcmp(o->vf_bars, n->vf_bars, sizeof(o->vf_bars)), "VF BARs");
	CHECK(o->captured_bus_numbers == n->captured_bus_numbers &&
	      o->driver_total_vfs == n->driver_total_vfs, "tail fields");
}

static void test_old_program(struct sriovvirt_pf *pf)
{
	struct {
		struct sriov_info_0_1 info;
		unsigned char canary[64];
	} old;
	struct sriovvirt_sriov_info now = { .size = sizeof(now) };
	unsigned int i;

	memset(&old, 0xa5, sizeof(old));
	CHECK(get_0_1(pf, &old.info) == 0, "0.1 call failed");
	CHECK(sriovvirt_pf_get_sriov_info(pf, &now) == 0, "0.2 call failed");
	check_same(&old.info, &now);
	for (i = 0; i < sizeof(old.canary); i++)
		CHECK(old.canary[i] == 0xa5, "0.1 call wrote past its structure "
		      "(byte %u)", i);
}

static void test_sizes(struct sriovvirt_pf *pf)
{
	struct sriov_info_later later;
	struct sriovvirt_sriov_info small;

	memset(&later, 0xa5, sizeof(later));
	later.known.size = sizeof(later);
	CHECK(sriovvirt_pf_get_sriov_info(pf, &later.known) == 0, "later size");
	/* Filled through the last field, not its tail padding. */
	CHECK(later.known.size ==
	      offsetof(struct sriovvirt_sriov_info, driver_total_vfs) +
	      sizeof(later.known.driver_total_vfs),
	      "size says %u bytes were filled", later.known.size);
	CHECK(later.added_later == 0xa5a5a5a5a5a5a5a5ull,
	      "a field this library does not know was written");
	CHECK(SRIOVVIRT_HAS_FIELD(&later.known, driver_total_vfs),
	      "SRIOVVIRT_HAS_FIELD");

	memset(&small, 0, sizeof(small));
	small.size = offsetof(struct sriovvirt_sriov_info, driver_total_vfs);
	CHECK(sriovvirt_pf_get_sriov_info(pf, &small) == -EINVAL,
	      "a size below release 0.2's is refused");
	small.size = 0;
	CHECK(sriovvirt_pf_get_sriov_info(pf, &small) == -EINVAL,
	      "size 0 is refused");
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

int main(void)
{
	char root[] = "/tmp/sriovvirt-abi-XXXXXX";
	struct sriovvirt_ctx *ctx;
	struct sriovvirt_pf *pf;

	if (!mkdtemp(root) || fx_build("standard", root) < 0 ||
	    sriovvirt_ctx_new(&ctx) < 0 ||
	    sriovvirt_ctx_set_sysfs_root(ctx, root) < 0 ||
	    sriovvirt_pf_open(ctx, "0000:00:04.0", &pf) < 0) {
		fprintf(stderr, "cannot set up the fake tree in %s\n", root);
		return 1;
	}
	test_old_program(pf);
	test_sizes(pf);
	sriovvirt_pf_unref(pf);
	sriovvirt_ctx_unref(ctx);
	nftw(root, remove_entry, 64, FTW_DEPTH | FTW_PHYS);
	if (!failures)
		printf("compat-0.1: a 0.1 program and later sizes work\n");
	return failures ? 1 : 0;
}
