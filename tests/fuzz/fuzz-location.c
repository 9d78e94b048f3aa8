/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sv_vf_location(): VF n's address from the PF's, First VF Offset and VF
 * Stride. Checked against the kernel's own formula (iov.c
 * pci_iov_virtfn_bus() and pci_iov_virtfn_devfn(): the bus moves by the
 * carry out of devfn + offset + stride * n) and for what callers rely on:
 * the result is a valid address other than the PF's, neighbours are one
 * stride apart, and find_vf_index()'s inverse gives n back.
 *
 * Input: PF domain (4 bytes), bus, devfn, offset, stride and VF index
 * (2 bytes each).
 */

#include <errno.h>
#include <string.h>

#include "internal.h"
#include "fuzz.h"

static int addr_equal(const struct sriovvirt_pci_addr *a,
		      const struct sriovvirt_pci_addr *b)
{
	return a->domain == b->domain && a->bus == b->bus &&
	       a->device == b->device && a->function == b->function;
}

static uint32_t rid_of(const struct sriovvirt_pci_addr *a)
{
	return (uint32_t)a->bus << 8 | (uint32_t)a->device << 3 | a->function;
}

/* 0 and *@ret, or the error the library must return. */
static int ref_location(const struct sriovvirt_pci_addr *pf, uint16_t offset,
			uint16_t stride, uint16_t vf,
			struct sriovvirt_pci_addr *ret)
{
	uint64_t devfn = (uint64_t)pf->device << 3 | pf->function;
	uint64_t sum = devfn + offset + (uint64_t)stride * vf;
	uint64_t bus = pf->bus + (sum >> 8);

	/* sriov_init(): offset 0, or stride 0 with more than one VF, is bad. */
	if (offset == 0 || (vf > 0 && stride == 0))
		return -EIO;
	if (bus > 0xff)
		return -ERANGE;
	ret->domain = pf->domain;
	ret->bus = (uint8_t)bus;
	ret->device = (uint8_t)((sum & 0xff) >> 3);
	ret->function = (uint8_t)(sum & 7);
	return 0;
}

static int location(const struct sriovvirt_pci_addr *pf, uint16_t offset,
		    uint16_t stride, uint16_t vf, struct sriovvirt_pci_addr *ret)
{
	struct sriovvirt_pci_addr want, poison;
	int r, ref;

	memset(ret, FUZZ_POISON, sizeof(*ret));
	memset(&poison, FUZZ_POISON, sizeof(poison));
	r = sv_vf_location(pf, offset, stride, vf, ret);
	ref = ref_location(pf, offset, stride, vf, &want);
	FUZZ_CHECK(r == ref);
	if (r < 0) {
		FUZZ_CHECK(!memcmp(ret, &poison, sizeof(*ret)));
		return r;
	}
	FUZZ_CHECK(addr_equal(ret, &want));
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	struct sriovvirt_pci_addr pf, vf_addr, next, back;
	char name[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	uint16_t offset, stride, vf, index;
	uint8_t devfn;
	uint32_t vf_rid;

	pf.domain = fuzz_u32(&in);
	pf.bus = fuzz_u8(&in);
	devfn = fuzz_u8(&in);
	pf.device = devfn >> 3;
	pf.function = devfn & 7;
	offset = fuzz_u16(&in);
	stride = fuzz_u16(&in);
	vf = fuzz_u16(&in);

	if (location(&pf, offset, stride, vf, &vf_addr) < 0)
		return 0;

	/* A real address, and never the PF's: offset is at least 1. */
	FUZZ_CHECK(sriovvirt_pci_addr_format(&vf_addr, name, sizeof(name)) == 0);
	FUZZ_CHECK(sriovvirt_pci_addr_parse(name, &back) == 0);
	FUZZ_CHECK(addr_equal(&back, &vf_addr));
	vf_rid = rid_of(&vf_addr);
	FUZZ_CHECK(vf_rid > rid_of(&pf));

	/* sv_vf_index() inverts the formula (VF 0 needs no stride). */
	if (stride || vf == 0) {
		FUZZ_CHECK(sv_vf_index(&pf, offset, stride, &vf_addr, &index) == 0);
		FUZZ_CHECK(index == vf);
	}
	/* Another domain is never one of the PF's VFs. */
	back.domain = vf_addr.domain + 1;
	FUZZ_CHECK(sv_vf_index(&pf, offset, stride, &back, &index) == -ENOENT);

	/* VF n + 1 is one stride further, or past bus 255. */
	if (vf < 0xffff && stride) {
		if (location(&pf, offset, stride, vf + 1, &next) == 0)
			FUZZ_CHECK(rid_of(&next) == vf_rid + stride);
		else
			FUZZ_CHECK(vf_rid + stride > 0xffff);
	}
	return 0;
}
