// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Routing-ID math, the one place it is done (pure; unit-tested and fuzzed).
 *
 * A function's routing ID is bus << 8 | device << 3 | function. VF n's is the
 * PF's plus First VF Offset plus n * VF Stride, in 16-bit arithmetic: a carry
 * out of devfn moves to the next device number and then to the next bus. ARI
 * changes nothing in the sum; it only lets device numbers above 0 exist below
 * a downstream port (iov.c pci_iov_virtfn_bus/devfn, pci_iov_vf_id).
 */

#include <errno.h>

#include "internal.h"

uint32_t sv_routing_id(const struct sriovvirt_pci_addr *a)
{
	return (uint32_t)a->bus << 8 | (uint32_t)a->device << 3 | a->function;
}

int sv_vf_location(const struct sriovvirt_pci_addr *pf, uint16_t vf_offset,
		   uint16_t vf_stride, uint16_t vf, struct sriovvirt_pci_addr *ret)
{
	uint32_t rid;

	if (!pf || !ret)
		return -EINVAL;
	/* The kernel refuses such devices too (iov.c sriov_init). */
	if (vf_offset == 0 || (vf > 0 && vf_stride == 0))
		return -EIO;
	rid = sv_routing_id(pf) + vf_offset + (uint32_t)vf_stride * vf;
	if (rid > 0xffff)
		return -ERANGE;
	ret->domain = pf->domain;
	ret->bus = (uint8_t)(rid >> 8);
	ret->device = (uint8_t)((rid >> 3) & 0x1f);
	ret->function = (uint8_t)(rid & 0x7);
	return 0;
}

int sv_vf_index(const struct sriovvirt_pci_addr *pf, uint16_t vf_offset,
		uint16_t vf_stride, const struct sriovvirt_pci_addr *vf_addr,
		uint16_t *ret)
{
	uint32_t first = sv_routing_id(pf) + vf_offset, rid, n;

	if (vf_addr->domain != pf->domain || vf_offset == 0)
		return -ENOENT;
	rid = sv_routing_id(vf_addr);
	if (rid < first)
		return -ENOENT;
	if (rid == first) {
		*ret = 0;
		return 0;
	}
	if (vf_stride == 0 || (rid - first) % vf_stride)
		return -ENOENT;
	n = (rid - first) / vf_stride;
	if (n > 0xffff)
		return -ENOENT;
	*ret = (uint16_t)n;
	return 0;
}

uint8_t sv_captured_buses(const struct sriovvirt_pci_addr *pf,
			  uint16_t vf_offset, uint16_t vf_stride,
			  uint16_t total_vfs)
{
	uint32_t last;

	if (!total_vfs)
		return 0;
	last = sv_routing_id(pf) + vf_offset +
	       (uint32_t)vf_stride * (total_vfs - 1u);
	if ((last >> 8) > 0xff)
		return (uint8_t)(0xff - pf->bus);
	return (uint8_t)((last >> 8) - pf->bus);
}
