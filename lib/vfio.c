// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A VF's VFIO device, through the group/container API (type 1 IOMMU), the
 * one every distribution kernel has: Debian's 6.1 and 6.12 have no iommufd
 * (CONFIG_IOMMUFD off). The steps are those of
 * Documentation/driver-api/vfio.rst: container, group, viability, IOMMU
 * type, device fd. iommufd's cdev (/dev/vfio/devices/vfioN bound to
 * /dev/iommu) would take the place of sv_vfio_open_dev()'s container and
 * group steps; everything after the device fd is the same.
 *
 * Every refusal is explained: no IOMMU, the VF not bound to vfio-pci, no
 * permission on /dev/vfio/N, a group that is not viable (with the devices
 * that make it so), a VF token the kernel wants because the PF itself is
 * bound to vfio-pci with enable_sriov.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/vfio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include <unistd.h>

#include "internal.h"

_Static_assert(SV_ARRAY_SIZE(((struct sv_vfio_dev *)0)->regions) ==
	       VFIO_PCI_NUM_REGIONS, "a slot for each of vfio-pci's regions");

#define VFIO_DEV "/dev/vfio"
/* "DDDD:BB:DD.F vf_token=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" */
#define DEVICE_NAME_MAX (SRIOVVIRT_PCI_ADDR_BUFSIZE + 10 + SV_UUID_LEN)

/* A kernel -EINVAL here is no caller's mistake: -EIO (sriovvirt.h). */
static int vfio_ioctl(struct sriovvirt_ctx *ctx, int fd, unsigned long request,
		      void *arg)
{
	int r = ctx->sys->ioctl(ctx->sys_data, fd, request, arg);

	return r == -EINVAL ? -EIO : r;
}

/* The VF must be bound to vfio-pci (or a vfio-pci variant driver). */
static int check_driver(struct sriovvirt_pf *pf, uint16_t vf)
{
	char driver[SRIOVVIRT_DRIVER_NAME_MAX];
	int r;

	r = sv_vf_driver(pf, vf, driver, sizeof(driver));
	if (r == -ENODATA) {
		sv_err(pf->ctx, "%s: VF %u has no driver; VFIO needs it bound to "
		       "vfio-pci (sriovctl bind %s %u vfio-pci)", pf->name, vf,
		       pf->name, vf);
		return -ENODATA;
	}
	if (r == 0 && !strstr(driver, "vfio")) {
		sv_err(pf->ctx, "%s: VF %u is bound to %s, not to vfio-pci "
		       "(sriovctl bind %s %u vfio-pci)", pf->name, vf, driver,
		       pf->name, vf);
		return -EBUSY;
	}
	return r == -ERANGE ? 0 : r;
}

static int iommu_group(struct sriovvirt_pf *pf, uint16_t vf, unsigned int *ret)
{
	struct sv_vf_path path;
	char name[NAME_MAX + 1];
	uint64_t group;
	int r;

	r = sv_read_link(pf->ctx, pf->dirfd, sv_vf_path(&path, vf, "iommu_group"),
			 name, sizeof(name));
	if (r == -ENOENT) {
		sv_err(pf->ctx, "%s: VF %u has no IOMMU group: VFIO needs the "
		       "IOMMU (intel_iommu=on or amd_iommu=on on the kernel "
		       "command line)", pf->name, vf);
		return -ENODATA;
	}
	if (r < 0)
		return r == -ERANGE ? -EIO : r;
	if (sv_parse_uint(name, strlen(name), 10, UINT32_MAX, &group) < 0)
		return -EIO;
	*ret = (unsigned int)group;
	return 0;
}

static int open_container(struct sriovvirt_ctx *ctx, int *ret_fd)
{
	int fd, r;

	fd = sv_open(ctx, AT_FDCWD, VFIO_DEV "/vfio", O_RDWR);
	if (fd == -ENOENT) {
		sv_err(ctx, "%s/vfio does not exist: load vfio-pci (modprobe "
		       "vfio-pci)", VFIO_DEV);
		return -EOPNOTSUPP;
	}
	if (fd < 0) {
		sv_err(ctx, "cannot open %s/vfio: %s", VFIO_DEV, strerror(-fd));
		return fd;
	}
	r = vfio_ioctl(ctx, fd, VFIO_GET_API_VERSION, NULL);
	if (r >= 0 && r != VFIO_API_VERSION) {
		sv_err(ctx, "%s/vfio speaks VFIO API %d, not %d", VFIO_DEV, r,
		       VFIO_API_VERSION);
		r = -EOPNOTSUPP;
	}
	if (r >= 0)
		r = vfio_ioctl(ctx, fd, VFIO_CHECK_EXTENSION,
			       (void *)(unsigned long)VFIO_TYPE1v2_IOMMU);
	if (r == 0) {
		/* A soft dependency of vfio: not every modprobe follows it. */
		sv_err(ctx, "%s/vfio offers no type 1 IOMMU: load "
		       "vfio_iommu_type1 (modprobe vfio_iommu_type1)", VFIO_DEV);
		r = -EOPNOTSUPP;
	} else if (r < 0) {
		sv_err(ctx, "%s/vfio: %s", VFIO_DEV, strerror(-r));
	}
	if (r < 0) {
		sv_close(ctx, fd);
		return r;
	}
	*ret_fd = fd;
	return 0;
}

/* Walking a group's devices for those that keep it from being viable. */
struct blockers {
	struct sriovvirt_pf *pf;
	int dirfd;		/* the group's devices directory */
	char list[512];
};

static int note_blocker(void *userdata, const char *name)
{
	struct blockers *b = userdata;
	char link[NAME_MAX + 16], driver[SRIOVVIRT_DRIVER_NAME_MAX];
	size_t len = strlen(b->list);

	snprintf(link, sizeof(link), "%s/driver", name);
	/*
	 * No driver, a VFIO one, or one that leaves DMA to VFIO: fine
	 * (vfio_dev_driver_allowed(); pcieport has driver_managed_dma).
	 */
	if (sv_read_link(b->pf->ctx, b->dirfd, link, driver, sizeof(driver)) < 0 ||
	    strstr(driver, "vfio") || !strcmp(driver, "pci-stub") ||
	    !strcmp(driver, "pcieport"))
		return 0;
	snprintf(b->list + len, sizeof(b->list) - len, " %s (%s)", name, driver);
	return 0;
}

static void explain_not_viable(struct sriovvirt_pf *pf, uint16_t vf,
			       unsigned int group)
{
	struct blockers b = { .pf = pf, .dirfd = -1 };
	struct sv_vf_path path;

	b.dirfd = sv_open(pf->ctx, pf->dirfd,
			  sv_vf_path(&path, vf, "iommu_group/devices"),
			  O_PATH | O_DIRECTORY);
	if (b.dirfd >= 0) {
		pf->ctx->sys->read_dir(pf->ctx->sys_data, b.dirfd, ".",
				       note_blocker, &b);
		sv_close(pf->ctx, b.dirfd);
	}
	sv_err(pf->ctx, "%s: VF %u: IOMMU group %u is not viable: every device "
	       "in it must be bound to vfio-pci, to a driver that leaves DMA "
	       "to VFIO (pci-stub, pcieport) or to none%s%s",
	       pf->name, vf, group, b.list[0] ? "; these are not:" : "",
	       b.list);
}

static int open_group(struct sriovvirt_pf *pf, uint16_t vf, unsigned int group,
		      int container, int *ret_fd)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	struct sriovvirt_ctx *ctx = pf->ctx;
	char path[32];
	int fd, r;

	snprintf(path, sizeof(path), VFIO_DEV "/%u", group);
	fd = sv_open(ctx, AT_FDCWD, path, O_RDWR);
	if (fd == -EACCES || fd == -EPERM) {
		sv_err(ctx, "%s: VF %u: no permission on %s: VFIO needs root, or "
		       "the group node given to the user", pf->name, vf, path);
		return -EACCES;
	}
	if (fd == -EBUSY) {
		/* A group opens once: in another process (a VM?), or here. */
		sv_err(ctx, "%s: VF %u: %s is already open (another process, a "
		       "VM, or another handle of this one)", pf->name, vf, path);
		return -EBUSY;
	}
	if (fd == -ENOENT) {
		sv_err(ctx, "%s: VF %u: %s does not exist although the VF is bound "
		       "to vfio-pci", pf->name, vf, path);
		return -ENODEV;
	}
	if (fd < 0) {
		sv_err(ctx, "%s: VF %u: cannot open %s: %s", pf->name, vf, path,
		       strerror(-fd));
		return fd;
	}
	r = vfio_ioctl(ctx, fd, VFIO_GROUP_GET_STATUS, &status);
	if (r == 0 && !(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		explain_not_viable(pf, vf, group);
		sv_close(ctx, fd);
		return -EBUSY;
	}
	if (r == 0)
		r = vfio_ioctl(ctx, fd, VFIO_GROUP_SET_CONTAINER, &container);
	if (r == 0)
		r = vfio_ioctl(ctx, container, VFIO_SET_IOMMU,
			       (void *)(unsigned long)VFIO_TYPE1v2_IOMMU);
	if (r < 0) {
		sv_err(ctx, "%s: VF %u: setting up %s failed: %s", pf->name, vf,
		       path, strerror(-r));
		sv_close(ctx, fd);
		return r;
	}
	*ret_fd = fd;
	return 0;
}

/* What the kernel's -EACCES/-EINVAL on GET_DEVICE_FD means for a VF. */
static int explain_device_fd(struct sriovvirt_pf *pf, uint16_t vf,
			     const char *token, int r)
{
	char driver[SRIOVVIRT_DRIVER_NAME_MAX] = "";
	bool pf_vfio;

	if (sv_read_link(pf->ctx, pf->dirfd, "driver", driver,
			 sizeof(driver)) < 0)
		driver[0] = '\0';
	pf_vfio = strstr(driver, "vfio") != NULL;
	if (r == -EACCES && pf_vfio && !token)
		sv_err(pf->ctx, "%s: VF %u: the PF is bound to %s, so the kernel "
		       "wants the VF token the PF's user set (vfio_pci_core "
		       "vf_token); pass it", pf->name, vf, driver);
	else if (r == -EACCES && pf_vfio)
		sv_err(pf->ctx, "%s: VF %u: the kernel refused the VF token: it is "
		       "not the one the PF's user set", pf->name, vf);
	else if (r == -EINVAL && token && !pf_vfio)
		sv_err(pf->ctx, "%s: VF %u: a VF token only applies when the PF is "
		       "bound to vfio-pci (it is bound to %s)", pf->name, vf,
		       driver[0] ? driver : "no driver");
	else
		sv_err(pf->ctx, "%s: VF %u: VFIO refused the device: %s",
		       pf->name, vf, strerror(-r));
	if (r == -EINVAL && token && !pf_vfio)
		return -EINVAL;
	return r == -EINVAL ? -EIO : r;
}

static int open_device(struct sriovvirt_pf *pf, uint16_t vf, int group_fd,
		       const char *token, int *ret_fd)
{
	char name[DEVICE_NAME_MAX], addr[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	struct sv_vf_path path;
	int fd, r;

	r = sv_read_link(pf->ctx, pf->dirfd, sv_vf_path(&path, vf, NULL), addr,
			 sizeof(addr));
	if (r < 0)
		return r == -ENOENT ? sv_vf_missing(pf, vf) : r;
	if (token)
		snprintf(name, sizeof(name), "%s vf_token=%s", addr, token);
	else
		snprintf(name, sizeof(name), "%s", addr);
	fd = pf->ctx->sys->ioctl(pf->ctx->sys_data, group_fd,
				 VFIO_GROUP_GET_DEVICE_FD, name);
	if (fd < 0)
		return explain_device_fd(pf, vf, token, fd);
	*ret_fd = fd;
	return 0;
}

static int read_region(struct sriovvirt_ctx *ctx, int device_fd,
		       uint32_t index, struct sv_vfio_region *ret)
{
	struct vfio_region_info info = { .argsz = sizeof(info), .index = index };
	int r;

	r = ctx->sys->ioctl(ctx->sys_data, device_fd, VFIO_DEVICE_GET_REGION_INFO,
			    &info);
	if (r == -EINVAL) {
		/* vfio-pci's answer for a region the device lacks (VGA). */
		memset(ret, 0, sizeof(*ret));
		return 0;
	}
	if (r < 0)
		return r;
	ret->offset = info.offset;
	ret->size = info.size;
	ret->flags = info.flags;
	return 0;
}

static int read_device(struct sriovvirt_ctx *ctx, struct sv_vfio_dev *dev)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	uint32_t i;
	int r;

	r = vfio_ioctl(ctx, dev->device_fd, VFIO_DEVICE_GET_INFO, &info);
	if (r < 0)
		return r;
	if (!(info.flags & VFIO_DEVICE_FLAGS_PCI) ||
	    info.num_regions < VFIO_PCI_NUM_REGIONS)
		return -EIO;
	dev->flags = info.flags;
	dev->num_regions = info.num_regions;
	dev->num_irqs = info.num_irqs;
	for (i = 0; i < VFIO_PCI_NUM_REGIONS && r == 0; i++)
		r = read_region(ctx, dev->device_fd, i, &dev->regions[i]);
	return r;
}

void sv_vfio_close_dev(struct sriovvirt_ctx *ctx, struct sv_vfio_dev *dev)
{
	if (!dev)
		return;
	sv_close(ctx, dev->device_fd);
	if (dev->req_fd >= 0)
		close(dev->req_fd);	/* after the device: VFIO held it */
	sv_close(ctx, dev->group_fd);
	sv_close(ctx, dev->container_fd);
	free(dev);
}

int sv_vfio_open_dev(struct sriovvirt_pf *pf, uint16_t vf, const char *token,
		     struct sv_vfio_dev **ret)
{
	struct sv_vfio_dev *dev;
	int r;

	r = sv_vf_check_index(pf, vf);
	if (r == 0)
		r = check_driver(pf, vf);
	if (r < 0)
		return r;
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	dev->container_fd = dev->group_fd = dev->device_fd = dev->req_fd = -1;
	r = iommu_group(pf, vf, &dev->group);
	if (r == 0)
		r = open_container(pf->ctx, &dev->container_fd);
	if (r == 0)
		r = open_group(pf, vf, dev->group, dev->container_fd,
			       &dev->group_fd);
	if (r == 0)
		r = open_device(pf, vf, dev->group_fd, token, &dev->device_fd);
	if (r == 0) {
		r = read_device(pf->ctx, dev);
		if (r < 0)
			sv_err(pf->ctx, "%s: VF %u: reading its VFIO device "
			       "failed: %s", pf->name, vf, strerror(-r));
	}
	if (r < 0) {
		sv_vfio_close_dev(pf->ctx, dev);
		return r;
	}
	*ret = dev;
	return 0;
}
