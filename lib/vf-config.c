// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * VF config space through sysfs (Get/SetVirtualFunctionData, Read/WriteVfConfig)
 * and GetVendorAndDevice.
 *
 * A handle keeps each VF's config file open, so an access costs one pread or
 * pwrite and no allocation. The VF index is checked when the file is opened:
 * virtfnN exists exactly for N < NumVFs. When VFs are disabled the kernel
 * deactivates the files of the removed devices and reads on them fail with
 * ENODEV; the access then reopens through virtfnN once, which also picks up a
 * VF that was enabled again at the same index.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define CONFIG_WRITE_FLAGS SRIOVVIRT_CONFIG_FORCE

void sv_pf_close_vf_files(struct sriovvirt_pf *pf)
{
	unsigned int i;

	for (i = 0; i < pf->nr_vf_slots; i++) {
		if (pf->vfs[i].config_fd >= 0)
			close(pf->vfs[i].config_fd);
		pf->vfs[i].config_fd = -1;
	}
}

/*
 * Makes room for VF @vf's slot, sized to TotalVFs on first use. A bad index
 * is refused first, so it cannot grow the array.
 */
static int reserve_slot(struct sriovvirt_pf *pf, uint16_t vf)
{
	struct sv_vf_slot *slots;
	uint16_t total;
	unsigned int i;
	int r;

	if (vf < pf->nr_vf_slots)
		return 0;
	r = sriovvirt_pf_get_total_vfs(pf, &total);
	if (r < 0)
		return r;
	if (vf >= total) {
		r = sv_pf_check_vf(pf, vf);
		if (r == 0)
			sv_err(pf->ctx, "%s: VF %u is beyond TotalVFs (%u)",
			       pf->name, vf, total);
		return r < 0 ? r : -EINVAL;
	}
	slots = realloc(pf->vfs, total * sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (i = pf->nr_vf_slots; i < total; i++)
		slots[i] = (struct sv_vf_slot){ .config_fd = -1 };
	pf->vfs = slots;
	pf->nr_vf_slots = total;
	return 0;
}

static int open_config(struct sriovvirt_pf *pf, uint16_t vf, bool need_write,
		       struct sv_vf_slot *slot)
{
	char path[48];
	int fd, r;

	snprintf(path, sizeof(path), "virtfn%u/config", vf);
	fd = openat(pf->dirfd, path, O_RDWR | O_CLOEXEC);
	slot->config_rw = fd >= 0;
	if (fd < 0 && (errno == EACCES || errno == EPERM) && !need_write)
		fd = openat(pf->dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		struct stat st;

		/* sysfs sizes the file as the function's config space. */
		slot->config_size = fstat(fd, &st) == 0 && st.st_size >= 0 &&
					    st.st_size < SRIOVVIRT_CONFIG_SPACE_SIZE ?
				    (uint16_t)st.st_size :
				    SRIOVVIRT_CONFIG_SPACE_SIZE;
		slot->config_fd = fd;
		return 0;
	}
	r = -errno;
	if (r != -ENOENT && r != -ENOTDIR) {
		sv_err(pf->ctx, "%s: VF %u: cannot open config space: %s%s",
		       pf->name, vf, strerror(-r),
		       r == -EACCES || r == -EPERM ? " (writing needs root)" : "");
		return r;
	}
	r = sv_pf_check_vf(pf, vf);
	if (r < 0)
		return r;
	sv_err(pf->ctx, "%s: VF %u has no config file", pf->name, vf);
	return -ENODEV;
}

static int vf_config_slot(struct sriovvirt_pf *pf, uint16_t vf, bool need_write,
			  struct sv_vf_slot **ret)
{
	struct sv_vf_slot *slot;
	int r;

	r = reserve_slot(pf, vf);
	if (r < 0)
		return r;
	slot = &pf->vfs[vf];
	if (slot->config_fd >= 0 && need_write && !slot->config_rw) {
		close(slot->config_fd);
		slot->config_fd = -1;
	}
	if (slot->config_fd < 0) {
		r = open_config(pf, vf, need_write, slot);
		if (r < 0)
			return r;
	}
	*ret = slot;
	return 0;
}

static int check_range(uint32_t offset, size_t length)
{
	if (length == 0 || offset >= SRIOVVIRT_CONFIG_SPACE_SIZE ||
	    length > SRIOVVIRT_CONFIG_SPACE_SIZE - offset)
		return -EINVAL;
	return 0;
}

/* One access, retried once through a fresh file if the VF was replaced. */
static ssize_t config_io(struct sriovvirt_pf *pf, uint16_t vf, bool write,
			 uint32_t offset, void *buf, size_t length)
{
	struct sriovvirt_ctx *ctx = pf->ctx;
	struct sv_vf_slot *slot;
	ssize_t n = -ENODEV;
	int attempt, r;

	for (attempt = 0; attempt < 2 && n == -ENODEV; attempt++) {
		r = vf_config_slot(pf, vf, write, &slot);
		if (r < 0)
			return r;
		/* The kernel would write the part that fits and report short. */
		if (write && offset + length > slot->config_size) {
			sv_err(ctx, "%s: VF %u: config write of %zu bytes at %#x "
			       "goes beyond its %u bytes of config space",
			       pf->name, vf, length, offset, slot->config_size);
			return -EINVAL;
		}
		if (write)
			n = ctx->io->cfg_write(ctx->io_data, slot->config_fd, buf,
					       length, offset);
		else
			n = ctx->io->cfg_read(ctx->io_data, slot->config_fd, buf,
					      length, offset);
		if (n == -ENODEV) {
			close(slot->config_fd);
			slot->config_fd = -1;
		}
	}
	if (n < 0)
		sv_err(ctx, "%s: VF %u: config %s at %#x failed: %s", pf->name, vf,
		       write ? "write" : "read", offset, strerror((int)-n));
	return n;
}

static int finish(ssize_t n, size_t length, size_t *ret)
{
	if (n < 0)
		return (int)n;
	if ((size_t)n < length && !ret)
		return -EIO;
	if (ret)
		*ret = (size_t)n;
	return 0;
}

SV_EXPORT int sriovvirt_vf_config_read(struct sriovvirt_pf *pf, uint16_t vf,
				       uint32_t offset, void *buf, size_t length,
				       size_t *ret_read)
{
	/* Read aside: a failed (e.g. short) read leaves @buf untouched. */
	uint8_t bytes[SRIOVVIRT_CONFIG_SPACE_SIZE];
	ssize_t n;
	int r;

	if (!pf || !buf)
		return -EINVAL;
	if (check_range(offset, length) < 0) {
		sv_err(pf->ctx, "%s: VF %u: config read of %zu bytes at %#x is "
		       "outside 0..4095", pf->name, vf, length, offset);
		return -EINVAL;
	}
	n = config_io(pf, vf, false, offset, bytes, length);
	r = finish(n, length, ret_read);
	if (r == 0)
		memcpy(buf, bytes, (size_t)n);
	return r;
}

/* Raw writes behind a host driver's back break it; VFIO drivers expect them. */
static int check_owner(struct sriovvirt_pf *pf, uint16_t vf)
{
	char link[48], driver[64];
	int r;

	snprintf(link, sizeof(link), "virtfn%u/driver", vf);
	r = sv_attr_read_link(pf->dirfd, link, driver, sizeof(driver));
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	if (!strcmp(driver, "vfio-pci") || !strcmp(driver, "pci-stub"))
		return 0;
	sv_err(pf->ctx, "%s: VF %u is bound to %s, which does not expect its "
	       "config space to change behind its back; unbind it, or force "
	       "the write", pf->name, vf, driver);
	return -EBUSY;
}

SV_EXPORT int sriovvirt_vf_config_write(struct sriovvirt_pf *pf, uint16_t vf,
					uint32_t offset, const void *buf,
					size_t length, unsigned int flags,
					size_t *ret_written)
{
	int r;

	if (!pf || !buf || (flags & ~CONFIG_WRITE_FLAGS))
		return -EINVAL;
	if (check_range(offset, length) < 0) {
		sv_err(pf->ctx, "%s: VF %u: config write of %zu bytes at %#x is "
		       "outside 0..4095", pf->name, vf, length, offset);
		return -EINVAL;
	}
	if (!(flags & SRIOVVIRT_CONFIG_FORCE)) {
		r = check_owner(pf, vf);
		if (r < 0)
			return r;
	}
	return finish(config_io(pf, vf, true, offset, (void *)buf, length),
		      length, ret_written);
}

SV_EXPORT int sriovvirt_vf_get_ids(struct sriovvirt_pf *pf, uint16_t vf,
				   uint16_t *ret_vendor_id,
				   uint16_t *ret_device_id)
{
	uint64_t vendor, device;
	int r;

	if (!pf || !ret_vendor_id || !ret_device_id)
		return -EINVAL;
	r = sv_pf_check_vf(pf, vf);
	if (r < 0)
		return r;
	r = sv_attr_read_uint(pf->ctx, pf->dirfd, "vendor", 16, 0xffff, &vendor);
	if (r == 0)
		r = sv_attr_read_uint(pf->ctx, pf->dirfd, "sriov_vf_device", 16,
				      0xffff, &device);
	if (r < 0) {
		sv_err(pf->ctx, "%s: cannot read vendor/sriov_vf_device: %s",
		       pf->name, strerror(-r));
		return r == -ENOENT ? -ENODEV : r;
	}
	*ret_vendor_id = (uint16_t)vendor;
	*ret_device_id = (uint16_t)device;
	return 0;
}
