// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * GetLocation / GetDeviceLocation and the way back from a VF to its PF: the
 * routing-ID math of rid.c, checked against the kernel's virtfnN links.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

static int read_offset_stride(struct sriovvirt_pf *pf, uint16_t *offset,
			      uint16_t *stride)
{
	uint64_t o, s;
	int r;

	r = sv_attr_read_uint(pf->ctx, pf->dirfd, "sriov_offset", 10, 0xffff, &o);
	if (r == 0)
		r = sv_attr_read_uint(pf->ctx, pf->dirfd, "sriov_stride", 10,
				      0xffff, &s);
	if (r < 0) {
		sv_err(pf->ctx, "%s: cannot read sriov_offset/sriov_stride: %s",
		       pf->name, strerror(-r));
		return r == -ENOENT ? -ENODEV : r;
	}
	*offset = (uint16_t)o;
	*stride = (uint16_t)s;
	return 0;
}

/* The address virtfnN points to; -ENOENT when the VF is not enabled. */
static int virtfn_addr(struct sriovvirt_pf *pf, uint16_t vf,
		       struct sriovvirt_pci_addr *ret)
{
	struct sv_vf_path path;

	return sv_read_link_addr(pf->ctx, pf->dirfd, sv_vf_path(&path, vf, NULL),
				 ret);
}

static int check_against_virtfn(struct sriovvirt_pf *pf, uint16_t vf,
				const struct sriovvirt_pci_addr *computed)
{
	struct sriovvirt_pci_addr linked;
	char a[SRIOVVIRT_PCI_ADDR_BUFSIZE], b[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	int r;

	r = virtfn_addr(pf, vf, &linked);
	if (r == -ENOENT)
		return 0;	/* not enabled: nothing to check against */
	if (r < 0)
		return r;
	if (sv_pci_addr_equal(&linked, computed))
		return 0;
	sriovvirt_pci_addr_format(computed, a, sizeof(a));
	sriovvirt_pci_addr_format(&linked, b, sizeof(b));
	sv_err(pf->ctx, "%s: VF %u: offset and stride give %s but virtfn%u "
	       "is %s", pf->name, vf, a, vf, b);
	return -EIO;
}

SV_EXPORT int sriovvirt_vf_get_addr(struct sriovvirt_pf *pf, uint16_t vf,
				    struct sriovvirt_pci_addr *ret)
{
	struct sriovvirt_pci_addr addr;
	uint16_t total, offset, stride;
	int r;

	if (!pf || !ret)
		return -EINVAL;
	r = sv_pf_total_vfs(pf, &total);
	if (r < 0)
		return r;
	if (vf >= total) {
		sv_err(pf->ctx, "%s: VF %u is beyond TotalVFs (%u)", pf->name, vf,
		       total);
		return -EINVAL;
	}
	r = read_offset_stride(pf, &offset, &stride);
	if (r < 0)
		return r;
	r = sv_vf_location(&pf->addr, offset, stride, vf, &addr);
	if (r == -ERANGE) {
		sv_err(pf->ctx, "%s: VF %u would lie beyond bus 255", pf->name, vf);
		r = -ENOSPC;
	} else if (r < 0) {
		sv_err(pf->ctx, "%s: invalid First VF Offset %u / VF Stride %u",
		       pf->name, offset, stride);
	}
	if (r == 0)
		r = check_against_virtfn(pf, vf, &addr);
	if (r < 0)
		return r;
	*ret = addr;
	return 0;
}

/* The index of @vf_addr among @pf's VFs: the formula, confirmed by virtfnN. */
static int find_vf_index(struct sriovvirt_pf *pf,
			 const struct sriovvirt_pci_addr *vf_addr, uint16_t *ret)
{
	struct sriovvirt_pci_addr linked;
	uint16_t offset, stride, num_vfs, i;
	int r;

	r = sv_pf_num_vfs(pf, &num_vfs);
	if (r == 0)
		r = read_offset_stride(pf, &offset, &stride);
	if (r < 0)
		return r;
	if (sv_vf_index(&pf->addr, offset, stride, vf_addr, &i) == 0 &&
	    i < num_vfs && virtfn_addr(pf, i, &linked) == 0 &&
	    sv_pci_addr_equal(&linked, vf_addr)) {
		*ret = i;
		return 0;
	}
	/* Not where the formula says: trust the links. */
	for (i = 0; i < num_vfs; i++) {
		if (virtfn_addr(pf, i, &linked) == 0 &&
		    sv_pci_addr_equal(&linked, vf_addr)) {
			*ret = i;
			return 0;
		}
	}
	return -ENODEV;
}

static int physfn_addr(struct sriovvirt_ctx *ctx,
		       const struct sriovvirt_pci_addr *vf_addr,
		       struct sriovvirt_pci_addr *ret)
{
	char name[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	int fd, r;

	sriovvirt_pci_addr_format(vf_addr, name, sizeof(name));
	r = sv_dev_open_dir(ctx, ctx->sysfs_root, vf_addr, &fd);
	if (r == -ENODEV)
		sv_err(ctx, "%s: no such PCI device", name);
	if (r < 0)
		return r;
	r = sv_read_link_addr(ctx, fd, "physfn", ret);
	sv_close(ctx, fd);
	if (r == -ENOENT) {
		sv_err(ctx, "%s is not a virtual function (no physfn link)", name);
		return -EINVAL;
	}
	return r;
}

SV_EXPORT int sriovvirt_vf_from_addr(struct sriovvirt_ctx *ctx,
				     const struct sriovvirt_pci_addr *vf_addr,
				     struct sriovvirt_pf **ret_pf,
				     uint16_t *ret_vf)
{
	struct sriovvirt_pci_addr pf_addr;
	struct sriovvirt_pf *pf;
	uint16_t index;
	int r;

	if (!ctx || !vf_addr)
		return -EINVAL;
	r = physfn_addr(ctx, vf_addr, &pf_addr);
	if (r < 0)
		return r;
	r = sriovvirt_pf_open_addr(ctx, &pf_addr, &pf);
	if (r < 0)
		return r;
	r = find_vf_index(pf, vf_addr, &index);
	if (r < 0) {
		sv_err(ctx, "%s: no virtfnN link of its PF points to it", pf->name);
		sriovvirt_pf_unref(pf);
		return r;
	}
	if (ret_vf)
		*ret_vf = index;
	if (ret_pf)
		*ret_pf = pf;
	else
		sriovvirt_pf_unref(pf);
	return 0;
}
