// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The public side of a VF's VFIO device: opening it in a handle (which
 * moves the VF's config access, reset and power to the device fd), and what
 * the kernel says about its regions and interrupts.
 */

#include <errno.h>
#include <linux/vfio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

_Static_assert(SRIOVVIRT_VFIO_REGION_READ == VFIO_REGION_INFO_FLAG_READ &&
	       SRIOVVIRT_VFIO_REGION_WRITE == VFIO_REGION_INFO_FLAG_WRITE &&
	       SRIOVVIRT_VFIO_REGION_MMAP == VFIO_REGION_INFO_FLAG_MMAP,
	       "region flags are VFIO's");
_Static_assert(SRIOVVIRT_VFIO_IRQ_EVENTFD == VFIO_IRQ_INFO_EVENTFD &&
	       SRIOVVIRT_VFIO_IRQ_MASKABLE == VFIO_IRQ_INFO_MASKABLE &&
	       SRIOVVIRT_VFIO_IRQ_AUTOMASKED == VFIO_IRQ_INFO_AUTOMASKED &&
	       SRIOVVIRT_VFIO_IRQ_NORESIZE == VFIO_IRQ_INFO_NORESIZE,
	       "IRQ flags are VFIO's");

int sv_vf_vfio_dev(struct sriovvirt_pf *pf, uint16_t vf,
		   struct sv_vfio_dev **ret)
{
	int r;

	if (sv_vf_is_vfio(pf, vf)) {
		*ret = pf->vfs[vf].vfio;
		return 0;
	}
	r = sv_vf_check_index(pf, vf);
	if (r < 0)
		return r;
	sv_err(pf->ctx, "%s: VF %u is not open through VFIO in this handle "
	       "(sriovvirt_vf_vfio_open)", pf->name, vf);
	return -EBUSY;
}

SV_EXPORT int sriovvirt_vf_vfio_open(struct sriovvirt_pf *pf, uint16_t vf,
				     const char *vf_token)
{
	struct sv_vfio_dev *dev;
	struct sv_vf_slot *slot;
	uint64_t config;
	int r;

	if (!pf)
		return -EINVAL;
	if (vf_token && !sv_uuid_valid(vf_token)) {
		sv_err(pf->ctx, "%s: VF %u: \"%s\" is not a VF token (a UUID, "
		       "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)", pf->name, vf,
		       vf_token);
		return -EINVAL;
	}
	if (sv_vf_is_vfio(pf, vf))
		return 0;
	r = sv_vf_slot_reserve(pf, vf);
	if (r == 0)
		r = sv_vfio_open_dev(pf, vf, vf_token, &dev);
	if (r < 0)
		return r;
	sv_vf_close(pf, vf);
	slot = &pf->vfs[vf];
	slot->vfio = dev;
	slot->writable = true;
	config = dev->regions[VFIO_PCI_CONFIG_REGION_INDEX].size;
	slot->config_size = config < PCI_CFG_SPACE_EXP_SIZE ? (uint16_t)config :
							      PCI_CFG_SPACE_EXP_SIZE;
	slot->backend = &sv_vf_vfio;
	sv_mitigations_changed(pf, vf);
	sv_events_vfio_opened(pf, vf);
	return 0;
}

SV_EXPORT int sriovvirt_vf_vfio_close(struct sriovvirt_pf *pf, uint16_t vf)
{
	struct sv_vfio_dev *dev;
	int r;

	if (!pf)
		return -EINVAL;
	r = sv_vf_vfio_dev(pf, vf, &dev);
	if (r < 0)
		return r;
	sv_vf_close(pf, vf);
	return 0;
}

/* The device's or the container's fd. */
static int get_fd(struct sriovvirt_pf *pf, uint16_t vf, bool container,
		  int *ret_fd)
{
	struct sv_vfio_dev *dev;
	int r;

	if (!pf || !ret_fd)
		return -EINVAL;
	r = sv_vf_vfio_dev(pf, vf, &dev);
	if (r == 0)
		*ret_fd = container ? dev->container_fd : dev->device_fd;
	return r;
}

SV_EXPORT int sriovvirt_vf_vfio_get_fd(struct sriovvirt_pf *pf, uint16_t vf,
				       int *ret_fd)
{
	return get_fd(pf, vf, false, ret_fd);
}

SV_EXPORT int sriovvirt_vf_vfio_get_container_fd(struct sriovvirt_pf *pf,
						 uint16_t vf, int *ret_fd)
{
	return get_fd(pf, vf, true, ret_fd);
}

#define VFIO_INFO_MIN_SIZE SV_SIZE_THROUGH(struct sriovvirt_vfio_info, iommu_group)
#define VFIO_INFO_FILLED SV_SIZE_THROUGH(struct sriovvirt_vfio_info, iommu_group)

SV_EXPORT int sriovvirt_vf_vfio_get_info(struct sriovvirt_pf *pf, uint16_t vf,
					 struct sriovvirt_vfio_info *ret)
{
	struct sriovvirt_vfio_info info;
	struct sv_vfio_dev *dev;
	int r;

	if (!pf || !ret || !sv_sized_ok(ret, VFIO_INFO_MIN_SIZE))
		return -EINVAL;
	r = sv_vf_vfio_dev(pf, vf, &dev);
	if (r < 0)
		return r;
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.flags = dev->flags & VFIO_DEVICE_FLAGS_RESET ?
			     SRIOVVIRT_VFIO_RESET : 0;
	info.num_regions = dev->num_regions;
	info.num_irqs = dev->num_irqs;
	info.iommu_group = dev->group;
	sv_sized_fill(ret, &info, VFIO_INFO_FILLED);
	return 0;
}

/* The region's info with its capability chain, which may not fit at once. */
static int region_info(struct sriovvirt_ctx *ctx, int fd, uint32_t index,
		       struct vfio_region_info **ret)
{
	struct vfio_region_info *info = NULL, *bigger;
	uint32_t argsz = sizeof(*info);
	int r;

	for (;;) {
		bigger = realloc(info, argsz);
		if (!bigger) {
			free(info);
			return -ENOMEM;
		}
		info = bigger;
		memset(info, 0, argsz);
		info->argsz = argsz;
		info->index = index;
		r = ctx->sys->ioctl(ctx->sys_data, fd,
				    VFIO_DEVICE_GET_REGION_INFO, info);
		if (r < 0 || info->argsz <= argsz)
			break;
		argsz = info->argsz;	/* the chain did not fit: again */
	}
	if (r < 0) {
		free(info);
		return r;
	}
	*ret = info;
	return 0;
}

static int take_sparse(const struct vfio_region_info_cap_sparse_mmap *cap,
		       struct sriovvirt_vfio_region *ret)
{
	uint32_t i;

	if (cap->nr_areas > SRIOVVIRT_VFIO_MAX_AREAS)
		return -ERANGE;
	ret->flags |= SRIOVVIRT_VFIO_REGION_SPARSE;
	ret->nr_areas = cap->nr_areas;
	for (i = 0; i < cap->nr_areas; i++) {
		ret->areas[i].offset = cap->areas[i].offset;
		ret->areas[i].size = cap->areas[i].size;
	}
	return 0;
}

/* Walks the chain (offsets from the start of @info), bounded by argsz. */
static int take_caps(const struct vfio_region_info *info,
		     struct sriovvirt_vfio_region *ret)
{
	const struct vfio_info_cap_header *h;
	uint32_t next = info->cap_offset;
	unsigned int hops = 0;
	int r;

	if (!(info->flags & VFIO_REGION_INFO_FLAG_CAPS))
		return 0;
	while (next >= sizeof(*info) && next + sizeof(*h) <= info->argsz &&
	       hops++ < 64) {
		h = (const void *)((const char *)info + next);
		if (h->id == VFIO_REGION_INFO_CAP_MSIX_MAPPABLE) {
			ret->flags |= SRIOVVIRT_VFIO_REGION_MSIX_MAPPABLE;
		} else if (h->id == VFIO_REGION_INFO_CAP_SPARSE_MMAP) {
			const struct vfio_region_info_cap_sparse_mmap *cap =
				(const void *)h;

			if (next + sizeof(*cap) > info->argsz ||
			    next + sizeof(*cap) + cap->nr_areas *
				    sizeof(cap->areas[0]) > info->argsz)
				return -EIO;
			r = take_sparse(cap, ret);
			if (r < 0)
				return r;
		}
		next = h->next;
	}
	return 0;
}

#define VFIO_REGION_MIN_SIZE SV_SIZE_THROUGH(struct sriovvirt_vfio_region, areas)
#define VFIO_REGION_FILLED SV_SIZE_THROUGH(struct sriovvirt_vfio_region, areas)

/* Without a log entry for -ERANGE: the mitigated ranges cope with it. */
int sv_vfio_get_region(struct sriovvirt_pf *pf, uint16_t vf, uint32_t index,
		       struct sriovvirt_vfio_region *ret)
{
	struct sriovvirt_vfio_region region;
	struct vfio_region_info *info;
	struct sv_vfio_dev *dev;
	int r;

	r = sv_vf_vfio_dev(pf, vf, &dev);
	if (r < 0)
		return r;
	if (index >= dev->num_regions) {
		sv_err(pf->ctx, "%s: VF %u: VFIO has %u regions, not %u", pf->name,
		       vf, dev->num_regions, index + 1);
		return -EINVAL;
	}
	memset(&region, 0, sizeof(region));
	region.size = sizeof(region);
	region.index = index;
	r = region_info(pf->ctx, dev->device_fd, index, &info);
	if (r == -EINVAL) {
		/* vfio-pci's answer for a region the device lacks (VGA). */
		sv_sized_fill(ret, &region, VFIO_REGION_FILLED);
		return 0;
	}
	if (r < 0)
		return r;
	region.flags = info->flags & (VFIO_REGION_INFO_FLAG_READ |
				      VFIO_REGION_INFO_FLAG_WRITE |
				      VFIO_REGION_INFO_FLAG_MMAP);
	region.offset = info->offset;
	region.region_size = info->size;
	r = take_caps(info, &region);
	free(info);
	if (r < 0)
		return r;
	sv_sized_fill(ret, &region, VFIO_REGION_FILLED);
	return 0;
}

SV_EXPORT int sriovvirt_vf_vfio_get_region(struct sriovvirt_pf *pf, uint16_t vf,
					   uint32_t index,
					   struct sriovvirt_vfio_region *ret)
{
	int r;

	if (!pf || !ret || !sv_sized_ok(ret, VFIO_REGION_MIN_SIZE))
		return -EINVAL;
	r = sv_vfio_get_region(pf, vf, index, ret);
	if (r == -ERANGE)
		sv_err(pf->ctx, "%s: VF %u: region %u has more than %u sparse "
		       "mmap areas", pf->name, vf, index, SRIOVVIRT_VFIO_MAX_AREAS);
	return r;
}

#define VFIO_IRQ_MIN_SIZE SV_SIZE_THROUGH(struct sriovvirt_vfio_irq, count)
#define VFIO_IRQ_FILLED SV_SIZE_THROUGH(struct sriovvirt_vfio_irq, count)

SV_EXPORT int sriovvirt_vf_vfio_get_irq(struct sriovvirt_pf *pf, uint16_t vf,
					uint32_t index, struct sriovvirt_vfio_irq *ret)
{
	struct vfio_irq_info info = { .argsz = sizeof(info), .index = index };
	struct sriovvirt_vfio_irq irq;
	struct sv_vfio_dev *dev;
	int r;

	if (!pf || !ret || !sv_sized_ok(ret, VFIO_IRQ_MIN_SIZE))
		return -EINVAL;
	r = sv_vf_vfio_dev(pf, vf, &dev);
	if (r < 0)
		return r;
	if (index >= dev->num_irqs) {
		sv_err(pf->ctx, "%s: VF %u: VFIO has %u interrupt indexes, not %u",
		       pf->name, vf, dev->num_irqs, index + 1);
		return -EINVAL;
	}
	r = pf->ctx->sys->ioctl(pf->ctx->sys_data, dev->device_fd,
				VFIO_DEVICE_GET_IRQ_INFO, &info);
	if (r < 0) {
		sv_err(pf->ctx, "%s: VF %u: VFIO_DEVICE_GET_IRQ_INFO %u failed: %s",
		       pf->name, vf, index, strerror(-r));
		return r == -EINVAL ? -EIO : r;
	}
	memset(&irq, 0, sizeof(irq));
	irq.size = sizeof(irq);
	irq.index = index;
	irq.flags = info.flags;
	irq.count = info.count;
	sv_sized_fill(ret, &irq, VFIO_IRQ_FILLED);
	return 0;
}
