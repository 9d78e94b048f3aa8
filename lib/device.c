// SPDX-License-Identifier: LGPL-2.1-or-later
/* Facts about any PCI function, read from its sysfs directory. */

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "internal.h"

/* vendor and device print "0x%04x\n". */
static int read_ids(struct sriovvirt_ctx *ctx, int dirfd, uint16_t *vendor,
		    uint16_t *device)
{
	uint64_t v, d;
	int r;

	r = sv_attr_read_uint(ctx, dirfd, "vendor", 16, 0xffff, &v);
	if (r == 0)
		r = sv_attr_read_uint(ctx, dirfd, "device", 16, 0xffff, &d);
	if (r == -ENOENT)
		return -ENODEV;
	if (r < 0)
		return r;
	*vendor = (uint16_t)v;
	*device = (uint16_t)d;
	return 0;
}

SV_EXPORT int sriovvirt_dev_get_ids(struct sriovvirt_ctx *ctx,
				    const struct sriovvirt_pci_addr *addr,
				    uint16_t *ret_vendor_id,
				    uint16_t *ret_device_id)
{
	uint16_t vendor, device;
	int fd, r;

	if (!ctx || !addr || !ret_vendor_id || !ret_device_id)
		return -EINVAL;
	r = sv_dev_open_dir(ctx, ctx->sysfs_root, addr, &fd);
	if (r < 0)
		return r;
	r = read_ids(ctx, fd, &vendor, &device);
	sv_close(ctx, fd);
	if (r < 0)
		return r;
	*ret_vendor_id = vendor;
	*ret_device_id = device;
	return 0;
}

/* -ENODATA when no driver is bound: the link is absent then. */
static int read_link_attr(struct sriovvirt_ctx *ctx,
			  const struct sriovvirt_pci_addr *addr,
			  const char *name, char *buf, size_t size)
{
	int fd, r;

	r = sv_dev_open_dir(ctx, ctx->sysfs_root, addr, &fd);
	if (r < 0)
		return r;
	r = sv_read_link(ctx, fd, name, buf, size);
	sv_close(ctx, fd);
	return r == -ENOENT ? -ENODATA : r;
}

SV_EXPORT int sriovvirt_dev_get_driver(struct sriovvirt_ctx *ctx,
				       const struct sriovvirt_pci_addr *addr,
				       char *buf, size_t size)
{
	if (!ctx || !addr || !buf || size == 0)
		return -EINVAL;
	return read_link_attr(ctx, addr, "driver", buf, size);
}

SV_EXPORT int sriovvirt_dev_get_iommu_group(struct sriovvirt_ctx *ctx,
					    const struct sriovvirt_pci_addr *addr,
					    unsigned int *ret_group)
{
	char name[NAME_MAX + 1];
	uint64_t group;
	int r;

	if (!ctx || !addr || !ret_group)
		return -EINVAL;
	r = read_link_attr(ctx, addr, "iommu_group", name, sizeof(name));
	if (r == -ERANGE)
		return -EIO;	/* no group number is that long */
	if (r < 0)
		return r;
	r = sv_parse_uint(name, strlen(name), 10, UINT32_MAX, &group);
	if (r < 0)
		return -EIO;
	*ret_group = (unsigned int)group;
	return 0;
}
