// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Probed BARs (QueryProbedBars, QueryProbedBars_2, GetVirtualFunctionProbedBars)
 * and GetResourceForBar.
 *
 * Writing all ones to a BAR and reading it back gives the size mask with the
 * type bits; Windows' stack wants those values without anyone writing to a
 * live BAR. They follow from each BAR's size and type (bar-math.c), which the
 * kernel already knows: the resource file of the PF (lines 0..5: its BARs;
 * 7..12: the VF BAR apertures, TotalVFs copies each) and of each VF.
 */

#include <errno.h>
#include <string.h>

#include "internal.h"

static int shapes_from_resources(struct sriovvirt_ctx *ctx, int dirfd,
				 struct sv_bar_shape *shapes)
{
	struct sv_resource res[SRIOVVIRT_NUM_BARS];
	size_t count, i;
	int r;

	r = sv_read_resources(ctx, dirfd, res, SRIOVVIRT_NUM_BARS, &count);
	if (r < 0)
		return r;
	memset(shapes, 0, SRIOVVIRT_NUM_BARS * sizeof(*shapes));
	for (i = 0; i < count; i++)
		shapes[i] = sv_bar_shape_of(&res[i]);
	return 0;
}

static int finish_probe(struct sriovvirt_ctx *ctx, const char *what,
			const struct sv_bar_shape *shapes, uint32_t *ret)
{
	uint32_t values[SRIOVVIRT_NUM_BARS];

	if (sv_probed_bars(shapes, values) < 0) {
		sv_err(ctx, "%s: a BAR size is not a power of two", what);
		return -EIO;
	}
	memcpy(ret, values, sizeof(values));
	return 0;
}

SV_EXPORT int sriovvirt_pf_get_probed_bars(struct sriovvirt_pf *pf,
					   uint32_t ret_values[SRIOVVIRT_NUM_BARS])
{
	struct sv_bar_shape shapes[SRIOVVIRT_NUM_BARS];
	int r;

	if (!pf || !ret_values)
		return -EINVAL;
	r = shapes_from_resources(pf->ctx, pf->dirfd, shapes);
	if (r < 0)
		return r;
	return finish_probe(pf->ctx, pf->name, shapes, ret_values);
}

SV_EXPORT int sriovvirt_pf_get_vf_probed_bars(struct sriovvirt_pf *pf,
					      uint32_t ret_values[SRIOVVIRT_NUM_BARS])
{
	struct sv_bar_shape shapes[SRIOVVIRT_NUM_BARS];
	struct sriovvirt_sriov_info info;
	unsigned int i;
	int r;

	if (!pf || !ret_values)
		return -EINVAL;
	r = sv_pf_sriov_info(pf, &info);
	if (r < 0)
		return r;
	for (i = 0; i < SRIOVVIRT_NUM_BARS; i++) {
		shapes[i].type = info.vf_bars[i].type;
		shapes[i].prefetchable = info.vf_bars[i].prefetchable;
		shapes[i].size = info.vf_bars[i].size;
		if (shapes[i].type != SRIOVVIRT_BAR_UNUSED && !shapes[i].size)
			sv_warn(pf->ctx, "%s: the kernel did not size VF BAR %u",
				pf->name, i);
	}
	return finish_probe(pf->ctx, pf->name, shapes, ret_values);
}

SV_EXPORT int sriovvirt_vf_get_probed_bars(struct sriovvirt_pf *pf, uint16_t vf,
					   uint32_t ret_values[SRIOVVIRT_NUM_BARS])
{
	struct sv_bar_shape shapes[SRIOVVIRT_NUM_BARS];
	int fd, r;

	if (!pf || !ret_values)
		return -EINVAL;
	r = sv_vf_open_dir(pf, vf, &fd);
	if (r < 0)
		return r;
	r = shapes_from_resources(pf->ctx, fd, shapes);
	sv_close(pf->ctx, fd);
	if (r < 0)
		return r;
	return finish_probe(pf->ctx, pf->name, shapes, ret_values);
}

/* Resource line @line of the directory @dirfd; -ENODATA if unused. */
static int read_bar_line(struct sriovvirt_ctx *ctx, int dirfd, unsigned int line,
			 struct sv_resource *ret)
{
	struct sv_resource res[SV_IOV_RESOURCE_FIRST + SRIOVVIRT_NUM_BARS];
	size_t count;
	int r;

	r = sv_read_resources(ctx, dirfd, res, line + 1, &count);
	if (r < 0)
		return r;
	if (line >= count || !(res[line].flags &
			       (SRIOVVIRT_RESOURCE_IO | SRIOVVIRT_RESOURCE_MEM)))
		return -ENODATA;
	*ret = res[line];
	return 0;
}

static void to_bar_resource(const struct sv_resource *res,
			    struct sriovvirt_bar_resource *ret)
{
	ret->start = res->start;
	ret->size = res->end - res->start + 1;
	ret->flags = res->flags;
}

SV_EXPORT int sriovvirt_pf_get_bar_resource(struct sriovvirt_pf *pf,
					    unsigned int bar,
					    struct sriovvirt_bar_resource *ret)
{
	struct sv_resource res;
	int r;

	if (!pf || !ret || bar >= SRIOVVIRT_NUM_BARS)
		return -EINVAL;
	r = read_bar_line(pf->ctx, pf->dirfd, bar, &res);
	if (r < 0)
		return r;
	to_bar_resource(&res, ret);
	return 0;
}

/*
 * VF n's BAR is slice n of the PF's aperture (iov.c pci_iov_add_virtfn); the
 * slice size is the VF's own BAR size, so no privileged read is needed.
 */
static int check_slice(struct sriovvirt_pf *pf, uint16_t vf, unsigned int bar,
		       const struct sv_resource *vf_res)
{
	struct sv_resource aperture;
	uint64_t size = vf_res->end - vf_res->start + 1;
	int r;

	r = read_bar_line(pf->ctx, pf->dirfd, SV_IOV_RESOURCE_FIRST + bar, &aperture);
	if (r < 0 && r != -ENODATA)
		return r;
	if (r == 0 && aperture.start + (uint64_t)vf * size == vf_res->start &&
	    vf_res->end <= aperture.end)
		return 0;
	sv_err(pf->ctx, "%s: VF %u BAR %u at %#llx is not slice %u of the PF's "
	       "VF BAR %u aperture", pf->name, vf, bar,
	       (unsigned long long)vf_res->start, vf, bar);
	return -EIO;
}

SV_EXPORT int sriovvirt_vf_get_bar_resource(struct sriovvirt_pf *pf, uint16_t vf,
					    unsigned int bar,
					    struct sriovvirt_bar_resource *ret)
{
	struct sv_resource res;
	int fd, r;

	if (!pf || !ret || bar >= SRIOVVIRT_NUM_BARS)
		return -EINVAL;
	r = sv_vf_open_dir(pf, vf, &fd);
	if (r < 0)
		return r;
	r = read_bar_line(pf->ctx, fd, bar, &res);
	sv_close(pf->ctx, fd);
	if (r == 0)
		r = check_slice(pf, vf, bar, &res);
	if (r < 0)
		return r;
	to_bar_resource(&res, ret);
	return 0;
}
