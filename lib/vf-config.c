// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * VF config space (Get/SetVirtualFunctionData, Read/WriteVfConfig) and
 * GetVendorAndDevice: the public calls, their argument checks and the write
 * policy, on the internal accessor of vf-access.c.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define CONFIG_WRITE_FLAGS SRIOVVIRT_CONFIG_FORCE

static int check_range(uint32_t offset, size_t length)
{
	if (length == 0 || offset >= PCI_CFG_SPACE_EXP_SIZE ||
	    length > PCI_CFG_SPACE_EXP_SIZE - offset)
		return -EINVAL;
	return 0;
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

/*
 * Reads aside, so that a failed (e.g. short) read leaves @buf untouched: a
 * register fits in a word on the stack, more takes a page-sized bounce
 * buffer, kept out of the common path's stack frame.
 */
static __attribute__((noinline)) int read_long(struct sriovvirt_pf *pf,
					       uint16_t vf, uint32_t offset,
					       void *buf, size_t length,
					       size_t *ret_read)
{
	uint8_t bytes[PCI_CFG_SPACE_EXP_SIZE];
	ssize_t n;
	int r;

	n = sv_vf_read(pf, vf, offset, bytes, length);
	r = finish(n, length, ret_read);
	if (r == 0)
		memcpy(buf, bytes, (size_t)n);
	return r;
}

SV_EXPORT int sriovvirt_vf_config_read(struct sriovvirt_pf *pf, uint16_t vf,
				       uint32_t offset, void *buf, size_t length,
				       size_t *ret_read)
{
	uint64_t word;
	ssize_t n;
	int r;

	if (!pf || !buf)
		return -EINVAL;
	if (check_range(offset, length) < 0) {
		sv_err(pf->ctx, "%s: VF %u: config read of %zu bytes at %#x is "
		       "outside 0..4095", pf->name, vf, length, offset);
		return -EINVAL;
	}
	if (length > sizeof(word))
		return read_long(pf, vf, offset, buf, length, ret_read);
	n = sv_vf_read(pf, vf, offset, &word, length);
	r = finish(n, length, ret_read);
	if (r == 0)
		memcpy(buf, &word, (size_t)n);
	return r;
}

/* Raw writes behind a host driver's back break it; VFIO drivers expect them. */
static int check_owner(struct sriovvirt_pf *pf, uint16_t vf)
{
	char driver[SRIOVVIRT_DRIVER_NAME_MAX];
	int r;

	r = sv_vf_driver(pf, vf, driver, sizeof(driver));
	if (r == -ENODATA)
		return 0;
	if (r == -ERANGE)	/* a name too long to be one of these */
		snprintf(driver, sizeof(driver), "a driver");
	else if (r < 0)
		return r;
	/* vfio-pci, its variants (mlx5_vfio_pci, ...) and pci-stub. */
	if (strstr(driver, "vfio") || !strcmp(driver, "pci-stub"))
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
	/* Through VFIO the VF is its own: vfio-pci filters what it must. */
	if (!(flags & SRIOVVIRT_CONFIG_FORCE) && !sv_vf_is_vfio(pf, vf)) {
		r = check_owner(pf, vf);
		if (r < 0)
			return r;
	}
	return finish(sv_vf_write(pf, vf, offset, buf, length), length,
		      ret_written);
}

SV_EXPORT int sriovvirt_vf_get_ids(struct sriovvirt_pf *pf, uint16_t vf,
				   uint16_t *ret_vendor_id,
				   uint16_t *ret_device_id)
{
	const struct sv_vf_common *c;
	int r;

	if (!pf || !ret_vendor_id || !ret_device_id)
		return -EINVAL;
	r = sv_vf_check_index(pf, vf);
	if (r == 0)
		r = sv_vf_common_get(pf, false, &c);
	if (r < 0)
		return r;
	*ret_vendor_id = c->vendor_id;
	*ret_device_id = c->device_id;
	return 0;
}
