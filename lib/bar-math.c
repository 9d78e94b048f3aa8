// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * BAR math (pure; unit-tested and fuzzed): a BAR's shape from the kernel's
 * resource line, and the value each BAR register reads after all ones were
 * written to it. That value is the size mask with the type bits; it follows
 * from the size and type the kernel already knows, which is the synthesis
 * vfio-pci performs for a guest (vfio_pci_config.c vfio_bar_fixup), so no
 * live BAR is ever written.
 */

#include <errno.h>

#include "internal.h"

static bool power_of_two(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* A 64-bit BAR fills two registers, so the shape after one is ignored. */
int sv_probed_bars(const struct sv_bar_shape *shapes,
		   uint32_t ret[SRIOVVIRT_NUM_BARS])
{
	unsigned int i;
	uint64_t mask;

	for (i = 0; i < SRIOVVIRT_NUM_BARS; i++) {
		const struct sv_bar_shape *s = &shapes[i];

		ret[i] = 0;
		if (s->type == SRIOVVIRT_BAR_UNUSED || !s->size)
			continue;
		if (!power_of_two(s->size))
			return -EIO;
		mask = ~(s->size - 1);
		if (s->type == SRIOVVIRT_BAR_IO) {
			ret[i] = ((uint32_t)mask & (uint32_t)PCI_BASE_ADDRESS_IO_MASK) |
				 PCI_BASE_ADDRESS_SPACE_IO;
			continue;
		}
		ret[i] = (uint32_t)mask & (uint32_t)PCI_BASE_ADDRESS_MEM_MASK;
		if (s->prefetchable)
			ret[i] |= PCI_BASE_ADDRESS_MEM_PREFETCH;
		if (s->type == SRIOVVIRT_BAR_MEM64 && i + 1 < SRIOVVIRT_NUM_BARS) {
			ret[i] |= PCI_BASE_ADDRESS_MEM_TYPE_64;
			ret[++i] = (uint32_t)(mask >> 32);
		}
	}
	return 0;
}

/* The type the kernel's resource flags (ioport.h) give a BAR. */
struct sv_bar_shape sv_bar_shape_of(const struct sv_resource *res)
{
	struct sv_bar_shape s = { 0 };

	if (res->flags & SRIOVVIRT_RESOURCE_IO)
		s.type = SRIOVVIRT_BAR_IO;
	else if (res->flags & SRIOVVIRT_RESOURCE_MEM)
		s.type = res->flags & SRIOVVIRT_RESOURCE_MEM_64 ?
				 SRIOVVIRT_BAR_MEM64 : SRIOVVIRT_BAR_MEM32;
	else
		return s;
	s.prefetchable = res->flags & SRIOVVIRT_RESOURCE_PREFETCH;
	s.size = res->end - res->start + 1;
	return s;
}
