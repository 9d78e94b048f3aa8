// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The VF layer: how a VF is found below its PF. A VF is reached as the PF's
 * "virtfnN" link, which the kernel keeps exactly for N < NumVFs, so no VF
 * path is ever built from anything but the PF's directory fd and an index.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

const char *sv_vf_path(struct sv_vf_path *p, uint16_t vf, const char *name)
{
	if (name)
		snprintf(p->s, sizeof(p->s), "virtfn%u/%s", vf, name);
	else
		snprintf(p->s, sizeof(p->s), "virtfn%u", vf);
	return p->s;
}

int sv_vf_check_index(struct sriovvirt_pf *pf, uint16_t vf)
{
	uint16_t num_vfs;
	int r;

	r = sv_pf_num_vfs(pf, &num_vfs);
	if (r < 0)
		return r;
	if (vf >= num_vfs) {
		sv_err(pf->ctx, "%s: VF %u does not exist: the PF has %u VFs "
		       "enabled (VF indexes are 0..NumVFs-1)", pf->name, vf,
		       num_vfs);
		return -EINVAL;
	}
	return 0;
}

/*
 * A virtfnN path was missing: a bad index when NumVFs says so, else a VF
 * that vanished (or has not appeared yet).
 */
int sv_vf_missing(struct sriovvirt_pf *pf, uint16_t vf)
{
	int r;

	r = sv_vf_check_index(pf, vf);
	if (r < 0)
		return r;
	sv_err(pf->ctx, "%s: VF %u is counted in sriov_numvfs but its virtfn%u "
	       "link is missing", pf->name, vf, vf);
	return -ENODEV;
}

int sv_vf_open_dir(struct sriovvirt_pf *pf, uint16_t vf, int *ret_fd)
{
	struct sv_vf_path path;
	int fd;

	fd = sv_open(pf->ctx, pf->dirfd, sv_vf_path(&path, vf, NULL),
		     O_PATH | O_DIRECTORY);
	if (fd >= 0) {
		*ret_fd = fd;
		return 0;
	}
	if (fd != -ENOENT && fd != -ENOTDIR)
		return fd;
	return sv_vf_missing(pf, vf);
}

/*
 * The driver link is absent when no driver is bound; the caller knows the VF
 * exists (a missing VF would read as unbound too).
 */
int sv_vf_driver(struct sriovvirt_pf *pf, uint16_t vf, char *buf, size_t size)
{
	struct sv_vf_path path;
	int r;

	r = sv_read_link(pf->ctx, pf->dirfd, sv_vf_path(&path, vf, "driver"),
			 buf, size);
	return r == -ENOENT ? -ENODATA : r;
}

static int read_common_attr(struct sriovvirt_pf *pf, const char *name,
			    unsigned int base, uint16_t *ret)
{
	uint64_t v;
	int r;

	r = sv_attr_read_uint(pf->ctx, pf->dirfd, name, base, 0xffff, &v);
	if (r < 0) {
		sv_err(pf->ctx, "%s: cannot read %s: %s", pf->name, name,
		       strerror(-r));
		return r == -ENOENT ? -ENODEV : r;
	}
	*ret = (uint16_t)v;
	return 0;
}

static int read_common(struct sriovvirt_pf *pf, struct sv_vf_common *c)
{
	int r;

	r = read_common_attr(pf, "vendor", 16, &c->vendor_id);
	if (r == 0)
		r = read_common_attr(pf, "sriov_vf_device", 16, &c->device_id);
	if (r == 0)
		r = read_common_attr(pf, "sriov_offset", 10, &c->offset);
	if (r == 0)
		r = read_common_attr(pf, "sriov_stride", 10, &c->stride);
	c->valid = r == 0;
	return r;
}

/*
 * The vendor and VF Device ID never change for a PF; First VF Offset and VF
 * Stride may when NumVFs does (iov.c pci_iov_set_numvfs). A caller that
 * finds them disagreeing with a virtfnN link asks again with @refresh.
 */
int sv_vf_common_get(struct sriovvirt_pf *pf, bool refresh,
		     const struct sv_vf_common **ret)
{
	struct sv_vf_common c = { 0 };
	int r;

	if (!pf->common.valid || refresh) {
		r = read_common(pf, &c);
		if (r < 0)
			return r;
		pf->common = c;
	}
	*ret = &pf->common;
	return 0;
}

void sv_vf_common_forget(struct sriovvirt_pf *pf)
{
	pf->common.valid = false;
}

static int vf_link(struct sriovvirt_pf *pf, uint16_t vf,
		   struct sriovvirt_pci_addr *ret)
{
	struct sv_vf_path path;
	int r;

	r = sv_read_link_addr(pf->ctx, pf->dirfd, sv_vf_path(&path, vf, NULL),
			      ret);
	return r == -ENOENT ? sv_vf_missing(pf, vf) : r;
}

/* Does the formula, with the facts read once or @refresh'ed, give @linked? */
static int formula_agrees(struct sriovvirt_pf *pf, uint16_t vf, bool refresh,
			  const struct sriovvirt_pci_addr *linked)
{
	const struct sv_vf_common *c;
	struct sriovvirt_pci_addr want;
	int r;

	r = sv_vf_common_get(pf, refresh, &c);
	if (r < 0)
		return r;
	return sv_vf_location(&pf->addr, c->offset, c->stride, vf, &want) == 0 &&
	       sv_pci_addr_equal(&want, linked);
}

/*
 * The address virtfnN links to, checked against the routing-ID formula. If
 * they disagree with the facts read once, they are read again; if they still
 * disagree, the link is read again too, as the VFs may have been replaced in
 * between (NumVFs to 0 and back); only a link that stays and disagrees is
 * reported.
 */
static int vf_addr_checked(struct sriovvirt_pf *pf, uint16_t vf,
			   struct sriovvirt_pci_addr *ret)
{
	char linked_name[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	struct sriovvirt_pci_addr linked, again;
	const struct sv_vf_common *c;
	int r;

	r = vf_link(pf, vf, &linked);
	if (r == 0)
		r = formula_agrees(pf, vf, false, &linked);
	if (r == 0)
		r = formula_agrees(pf, vf, true, &linked);
	if (r == 0) {
		r = vf_link(pf, vf, &again);
		if (r == 0 && !sv_pci_addr_equal(&again, &linked)) {
			linked = again;
			r = formula_agrees(pf, vf, true, &linked);
		}
	}
	if (r < 0)
		return r;
	if (r > 0) {
		*ret = linked;
		return 0;
	}
	c = &pf->common;
	sriovvirt_pci_addr_format(&linked, linked_name, sizeof(linked_name));
	sv_err(pf->ctx, "%s: VF %u: First VF Offset %u and VF Stride %u do not "
	       "give virtfn%u's %s", pf->name, vf, c->offset, c->stride, vf,
	       linked_name);
	return -EIO;
}

/* The VF's IOMMU group, -1 without one. */
static int vf_iommu_group(struct sriovvirt_pf *pf, uint16_t vf, int32_t *ret)
{
	struct sv_vf_path path;
	char name[16];
	uint64_t group;
	int r;

	r = sv_read_link(pf->ctx, pf->dirfd, sv_vf_path(&path, vf, "iommu_group"),
			 name, sizeof(name));
	if (r == -ENOENT) {
		/* No group, or no VF any more: virtfnN tells which. */
		r = sv_exists(pf->ctx, pf->dirfd, sv_vf_path(&path, vf, NULL),
			      false);
		if (r == -ENOENT)
			return sv_vf_missing(pf, vf);
		if (r < 0)
			return r;
		*ret = -1;
		return 0;
	}
	if (r == 0 && sv_parse_uint(name, strlen(name), 10, INT32_MAX,
				    &group) == 0) {
		*ret = (int32_t)group;
		return 0;
	}
	if (r < 0 && r != -ERANGE)
		return r;
	sv_err(pf->ctx, "%s: VF %u: its iommu_group link does not name a "
	       "group number", pf->name, vf);
	return -EIO;
}

/*
 * struct sriovvirt_vf_info's first released size, and the end of its last
 * field now (what is filled; see SRIOV_INFO_FILLED in resources.c).
 */
#define VF_INFO_MIN_SIZE SV_SIZE_THROUGH(struct sriovvirt_vf_info, driver)
#define VF_INFO_FILLED SV_SIZE_THROUGH(struct sriovvirt_vf_info, driver)

SV_EXPORT int sriovvirt_vf_get_info(struct sriovvirt_pf *pf, uint16_t vf,
				    struct sriovvirt_vf_info *ret)
{
	struct sriovvirt_vf_info info;
	int r;

	if (!pf || !ret || !sv_sized_ok(ret, VF_INFO_MIN_SIZE))
		return -EINVAL;
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.index = vf;
	r = vf_addr_checked(pf, vf, &info.addr);
	if (r < 0)
		return r;
	info.vendor_id = pf->common.vendor_id;
	info.device_id = pf->common.device_id;
	r = sv_vf_driver(pf, vf, info.driver, sizeof(info.driver));
	if (r == -ENODATA)
		r = 0;
	if (r == 0)
		r = vf_iommu_group(pf, vf, &info.iommu_group);
	if (r < 0)
		return r;
	sv_sized_fill(ret, &info, VF_INFO_FILLED);
	return 0;
}
