// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The VFIO VF backend: once a VF is opened through VFIO in a handle, its
 * config space is the device's config region, as a guest sees it (vfio-pci
 * virtualizes IDs, BARs, capability pointers and traps what has side
 * effects, vfio_pci_config.c), and a reset is VFIO_DEVICE_RESET. A stack
 * that holds the VF this way needs nothing of sysfs for either.
 */

#include <errno.h>
#include <linux/vfio.h>
#include <string.h>

#include "internal.h"

static struct sv_vfio_region *config_region(struct sv_vf_slot *slot)
{
	return &slot->vfio->regions[VFIO_PCI_CONFIG_REGION_INDEX];
}

/* Only sriovvirt_vf_vfio_open() opens it: nothing to reopen by itself. */
static int vfio_open(struct sriovvirt_pf *pf, uint16_t vf, bool write,
		     struct sv_vf_slot *slot)
{
	(void)write;
	(void)slot;
	sv_err(pf->ctx, "%s: VF %u: its VFIO device is gone; open it again",
	       pf->name, vf);
	return -ENODEV;
}

static ssize_t vfio_read(struct sriovvirt_pf *pf, struct sv_vf_slot *slot,
			 void *buf, size_t len, uint32_t offset)
{
	struct sriovvirt_ctx *ctx = pf->ctx;

	return ctx->sys->pread(ctx->sys_data, slot->vfio->device_fd, buf, len,
			       (off_t)(config_region(slot)->offset + offset));
}

static ssize_t vfio_write(struct sriovvirt_pf *pf, struct sv_vf_slot *slot,
			  const void *buf, size_t len, uint32_t offset)
{
	struct sriovvirt_ctx *ctx = pf->ctx;

	return ctx->sys->pwrite(ctx->sys_data, slot->vfio->device_fd, buf, len,
				(off_t)(config_region(slot)->offset + offset));
}

static uint16_t vfio_size(const struct sv_vf_slot *slot)
{
	return slot->config_size;
}

/*
 * vfio-pci runs pci_try_reset_function() (its reset_works says whether one
 * works for this function alone): -EAGAIN when the device lock is taken.
 */
static int vfio_reset(struct sriovvirt_pf *pf, uint16_t vf, int vf_dirfd,
		      struct sv_vf_slot *slot)
{
	struct sriovvirt_ctx *ctx = pf->ctx;
	int r;

	(void)vf_dirfd;
	if (!(slot->vfio->flags & VFIO_DEVICE_FLAGS_RESET)) {
		sv_err(ctx, "%s: VF %u: VFIO says the VF cannot be reset alone",
		       pf->name, vf);
		return -EOPNOTSUPP;
	}
	r = ctx->sys->ioctl(ctx->sys_data, slot->vfio->device_fd,
			    VFIO_DEVICE_RESET, NULL);
	if (r == -EAGAIN) {
		sv_err(ctx, "%s: VF %u: the kernel is busy with the VF (its "
		       "device lock is taken); try again", pf->name, vf);
		return -EBUSY;
	}
	if (r < 0)
		sv_err(ctx, "%s: VF %u: VFIO_DEVICE_RESET failed: %s", pf->name,
		       vf, strerror(-r));
	return r == -EINVAL ? -EOPNOTSUPP : r;
}

static void vfio_close(struct sriovvirt_pf *pf, struct sv_vf_slot *slot)
{
	sv_vfio_close_dev(pf->ctx, slot->vfio);
	slot->vfio = NULL;
}

const struct sv_vf_backend sv_vf_vfio = {
	.name = "vfio",
	.reopens = false,
	.open = vfio_open,
	.read = vfio_read,
	.write = vfio_write,
	.size = vfio_size,
	.reset = vfio_reset,
	.close = vfio_close,
};
