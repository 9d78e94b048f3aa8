// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * GetResources: the SR-IOV capability of a PF, decoded, with the VF BAR sizes
 * the kernel computed (resource lines 7..12 span TotalVFs copies of each VF
 * BAR, iov.c sriov_init) and the values sysfs reports cross-checked.
 */

#include <errno.h>
#include <string.h>

#include "internal.h"

/*
 * The kernel sized every implemented VF BAR (an aperture line with flags);
 * its flags say the type even where the register itself reads 0.
 */
static void take_kernel_view(struct sriovvirt_pf *pf,
			     struct sriovvirt_sriov_info *info, unsigned int i,
			     const struct sv_resource *r)
{
	struct sriovvirt_vf_bar *bar = &info->vf_bars[i];
	struct sv_bar_shape shape = sv_bar_shape_of(r);
	uint64_t aperture = shape.size;

	bar->type = shape.type;
	bar->prefetchable = shape.prefetchable;
	if (aperture % info->total_vfs)
		sv_warn(pf->ctx, "%s: VF BAR %u aperture %#llx is not a multiple "
			"of TotalVFs %u", pf->name, i,
			(unsigned long long)aperture, info->total_vfs);
	bar->size = aperture / info->total_vfs;
	if (bar->type == SRIOVVIRT_BAR_MEM64 && i + 1 < SRIOVVIRT_NUM_BARS)
		memset(&info->vf_bars[i + 1], 0, sizeof(info->vf_bars[i + 1]));
}

static int fill_vf_bar_sizes(struct sriovvirt_pf *pf,
			     struct sriovvirt_sriov_info *info)
{
	struct sv_resource res[SV_IOV_RESOURCE_FIRST + SRIOVVIRT_NUM_BARS];
	size_t count = 0;
	unsigned int i;
	int r;

	if (!info->total_vfs)
		return 0;
	r = sv_read_resources(pf->ctx, pf->dirfd, res, SV_ARRAY_SIZE(res),
			      &count);
	if (r < 0)
		return r;
	for (i = 0; i < SRIOVVIRT_NUM_BARS; i++) {
		const struct sv_resource *line = &res[SV_IOV_RESOURCE_FIRST + i];

		if (SV_IOV_RESOURCE_FIRST + i < count &&
		    (line->flags & (SRIOVVIRT_RESOURCE_MEM | SRIOVVIRT_RESOURCE_IO)))
			take_kernel_view(pf, info, i, line);
	}
	return 0;
}

static void cross_check(struct sriovvirt_pf *pf,
			const struct sriovvirt_sriov_info *info)
{
	uint64_t vf_device, offset, stride;

	if (sv_attr_read_uint(pf->ctx, pf->dirfd, "sriov_vf_device", 16, 0xffff,
			      &vf_device) == 0 &&
	    vf_device != info->vf_device_id)
		sv_warn(pf->ctx, "%s: VF Device ID is %04x in config space but "
			"sriov_vf_device says %04llx", pf->name,
			info->vf_device_id, (unsigned long long)vf_device);
	if (sv_attr_read_uint(pf->ctx, pf->dirfd, "sriov_offset", 10, 0xffff,
			      &offset) == 0 &&
	    sv_attr_read_uint(pf->ctx, pf->dirfd, "sriov_stride", 10, 0xffff,
			      &stride) == 0 &&
	    (offset != info->vf_offset || stride != info->vf_stride))
		sv_warn(pf->ctx, "%s: First VF Offset/VF Stride are %u/%u in "
			"config space but sysfs says %llu/%llu", pf->name,
			info->vf_offset, info->vf_stride,
			(unsigned long long)offset, (unsigned long long)stride);
}

int sv_pf_sriov_info(struct sriovvirt_pf *pf, struct sriovvirt_sriov_info *ret)
{
	uint8_t cfg[PCI_CFG_SPACE_EXP_SIZE];
	struct sriovvirt_sriov_info info;
	uint16_t offset, total;
	size_t len;
	int r;

	r = sv_pf_sriov_cap(pf, &offset, cfg, &len);
	if (r < 0)
		return r;
	r = sv_decode_sriov_cap(cfg, len, offset, &info);
	if (r < 0) {
		sv_err(pf->ctx, "%s: the SR-IOV capability at %#x is truncated",
		       pf->name, offset);
		return -EIO;
	}
	r = sv_pf_total_vfs(pf, &total);
	if (r < 0)
		return r;
	info.driver_total_vfs = total;
	/* Buses past the PF's own that VF TotalVFs-1 needs (GetResources). */
	info.captured_bus_numbers = sv_captured_buses(&pf->addr, info.vf_offset,
						      info.vf_stride,
						      info.total_vfs);
	r = fill_vf_bar_sizes(pf, &info);
	if (r < 0)
		return r;
	cross_check(pf, &info);
	*ret = info;
	return 0;
}

/*
 * The structure's first released size (0.2, the first with a size member)
 * and the end of its last field now: the bytes this library fills. Tail
 * padding is not filled, so a field a later header puts there is not
 * reported as filled. Move SRIOV_INFO_FILLED when adding a field.
 */
#define SRIOV_INFO_MIN_SIZE                                                    \
	SV_SIZE_THROUGH(struct sriovvirt_sriov_info, driver_total_vfs)
#define SRIOV_INFO_FILLED                                                      \
	SV_SIZE_THROUGH(struct sriovvirt_sriov_info, driver_total_vfs)

/*
 * The default version of sriovvirt_pf_get_sriov_info; release 0.1's is in
 * compat.c. Both are bound to their nodes explicitly, as the name is in two
 * nodes of the version script.
 */
int sv_pf_get_sriov_info_0_2(struct sriovvirt_pf *pf,
			     struct sriovvirt_sriov_info *ret);
SV_SYMVER(sv_pf_get_sriov_info_0_2,
	  "sriovvirt_pf_get_sriov_info@@LIBSRIOVVIRT_0.2");

SV_EXPORT int sv_pf_get_sriov_info_0_2(struct sriovvirt_pf *pf,
				       struct sriovvirt_sriov_info *ret)
{
	struct sriovvirt_sriov_info info;
	int r;

	if (!pf || !ret || !sv_sized_ok(ret, SRIOV_INFO_MIN_SIZE))
		return -EINVAL;
	r = sv_pf_sriov_info(pf, &info);
	if (r == 0)
		sv_sized_fill(ret, &info, SRIOV_INFO_FILLED);
	return r;
}
