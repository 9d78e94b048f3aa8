// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Old versions of exported symbols, for programs built against earlier
 * releases. Each is bound to its release's version node (SV_SYMVER), has
 * that release's ABI and is written on top of today's code. Released
 * versions are never edited.
 */

#include <errno.h>
#include <string.h>

#include "internal.h"

/* struct sriovvirt_sriov_info as release 0.1 defined it: no size member. */
struct sriovvirt_sriov_info_0_1 {
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

/* The layout release 0.1 had on x86-64 and every other LP64 ABI. */
_Static_assert(sizeof(void *) != 8 ||
	       sizeof(struct sriovvirt_sriov_info_0_1) == 192,
	       "release 0.1 layout");

int sv_pf_get_sriov_info_0_1(struct sriovvirt_pf *pf,
			     struct sriovvirt_sriov_info_0_1 *ret);
SV_SYMVER(sv_pf_get_sriov_info_0_1, "sriovvirt_pf_get_sriov_info@LIBSRIOVVIRT_0");

SV_EXPORT int sv_pf_get_sriov_info_0_1(struct sriovvirt_pf *pf,
				       struct sriovvirt_sriov_info_0_1 *ret)
{
	struct sriovvirt_sriov_info info;
	struct sriovvirt_sriov_info_0_1 old;
	int r;

	if (!pf || !ret)
		return -EINVAL;
	r = sv_pf_sriov_info(pf, &info);
	if (r < 0)
		return r;
	memset(&old, 0, sizeof(old));
	old.cap_offset = info.cap_offset;
	old.cap_version = info.cap_version;
	old.capabilities = info.capabilities;
	old.control = info.control;
	old.status = info.status;
	old.initial_vfs = info.initial_vfs;
	old.total_vfs = info.total_vfs;
	old.num_vfs = info.num_vfs;
	old.function_dependency_link = info.function_dependency_link;
	old.vf_offset = info.vf_offset;
	old.vf_stride = info.vf_stride;
	old.vf_device_id = info.vf_device_id;
	old.supported_page_sizes = info.supported_page_sizes;
	old.system_page_size = info.system_page_size;
	old.vf_migration_state = info.vf_migration_state;
	memcpy(old.vf_bars, info.vf_bars, sizeof(old.vf_bars));
	old.captured_bus_numbers = info.captured_bus_numbers;
	old.driver_total_vfs = info.driver_total_vfs;
	*ret = old;
	return 0;
}
