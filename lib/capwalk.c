// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Capability walks and the SR-IOV capability decode, over an image of config
 * space that may be short (sysfs gives unprivileged readers 64 bytes and
 * conventional devices 256) or hostile (a fuzzer, a broken device). A walk
 * ends at the end of the list, at a pointer outside the valid range or the
 * image, and at the first pointer it has already followed, so loops end.
 */

#include <errno.h>
#include <string.h>

#include "internal.h"

/* Capabilities follow the header; extended ones the standard space. */
#define STD_CAP_START PCI_STD_HEADER_SIZEOF
#define EXT_CAP_START PCI_CFG_SPACE_SIZE

/* One bit per dword of config space: the pointers a walk has followed. */
struct visited {
	uint8_t bits[PCI_CFG_SPACE_EXP_SIZE / 4 / 8];
};

static bool visit(struct visited *v, unsigned int offset)
{
	unsigned int dword = offset / 4;
	uint8_t mask = (uint8_t)(1u << (dword % 8));

	if (v->bits[dword / 8] & mask)
		return false;
	v->bits[dword / 8] |= mask;
	return true;
}

int sv_find_ext_cap(const uint8_t *cfg, size_t len, uint16_t cap_id,
		    uint16_t *ret_offset)
{
	struct visited seen;
	unsigned int offset = EXT_CAP_START;
	uint32_t header;

	if (!cfg || !ret_offset)
		return -EINVAL;
	memset(&seen, 0, sizeof(seen));
	if (len > PCI_CFG_SPACE_EXP_SIZE)
		len = PCI_CFG_SPACE_EXP_SIZE;
	while (offset >= EXT_CAP_START && offset + 4 <= len &&
	       visit(&seen, offset)) {
		header = sv_le32(cfg + offset);
		/* Absent extended space reads 0 or all ones. */
		if (header == 0 || header == 0xffffffff)
			break;
		if (PCI_EXT_CAP_ID(header) == cap_id) {
			*ret_offset = (uint16_t)offset;
			return 0;
		}
		offset = PCI_EXT_CAP_NEXT(header);
	}
	return -ENOENT;
}

int sv_find_std_cap(const uint8_t *cfg, size_t len, uint8_t cap_id,
		    uint8_t *ret_offset)
{
	struct visited seen;
	unsigned int offset;

	if (!cfg || !ret_offset)
		return -EINVAL;
	memset(&seen, 0, sizeof(seen));
	if (len > PCI_CFG_SPACE_SIZE)
		len = PCI_CFG_SPACE_SIZE;
	if (len <= PCI_CAPABILITY_LIST ||
	    !(sv_le16(cfg + PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return -ENOENT;
	offset = cfg[PCI_CAPABILITY_LIST] & 0xfc;
	while (offset >= STD_CAP_START && offset + 2 <= len &&
	       visit(&seen, offset)) {
		if (cfg[offset + PCI_CAP_LIST_ID] == 0xff)
			break;
		if (cfg[offset + PCI_CAP_LIST_ID] == cap_id) {
			*ret_offset = (uint8_t)offset;
			return 0;
		}
		offset = cfg[offset + PCI_CAP_LIST_NEXT] & 0xfc;
	}
	return -ENOENT;
}

static void decode_vf_bars(const uint8_t *cap, struct sriovvirt_sriov_info *ret)
{
	unsigned int i;

	for (i = 0; i < SRIOVVIRT_NUM_BARS; i++) {
		struct sriovvirt_vf_bar *bar = &ret->vf_bars[i];
		uint32_t lo = sv_le32(cap + PCI_SRIOV_BAR + 4 * i);

		memset(bar, 0, sizeof(*bar));
		/* As lspci: a register reading 0 (or all ones) is no BAR. */
		if (lo == 0 || lo == 0xffffffff)
			continue;
		if (lo & PCI_BASE_ADDRESS_SPACE_IO) {
			/* VF BARs must be memory; report I/O as the register says. */
			bar->type = SRIOVVIRT_BAR_IO;
			bar->base = lo & (uint32_t)PCI_BASE_ADDRESS_IO_MASK;
		} else if ((lo & PCI_BASE_ADDRESS_MEM_TYPE_MASK) ==
				   PCI_BASE_ADDRESS_MEM_TYPE_64 &&
			   i + 1 < SRIOVVIRT_NUM_BARS) {
			bar->type = SRIOVVIRT_BAR_MEM64;
			bar->prefetchable = lo & PCI_BASE_ADDRESS_MEM_PREFETCH;
			bar->base = (uint64_t)sv_le32(cap + PCI_SRIOV_BAR + 4 * (i + 1))
					    << 32 |
				    (lo & (uint32_t)PCI_BASE_ADDRESS_MEM_MASK);
			i++;
			memset(&ret->vf_bars[i], 0, sizeof(ret->vf_bars[i]));
		} else {
			bar->type = SRIOVVIRT_BAR_MEM32;
			bar->prefetchable = lo & PCI_BASE_ADDRESS_MEM_PREFETCH;
			bar->base = lo & (uint32_t)PCI_BASE_ADDRESS_MEM_MASK;
		}
	}
}

/*
 * Decodes the registers; sizes, driver limit and captured buses need sysfs
 * and are filled in by the caller.
 */
int sv_decode_sriov_cap(const uint8_t *cfg, size_t len, uint16_t offset,
			struct sriovvirt_sriov_info *ret)
{
	const uint8_t *cap;
	uint32_t header;

	if (!cfg || !ret || offset < EXT_CAP_START ||
	    (size_t)offset + PCI_EXT_CAP_SRIOV_SIZEOF > len || offset % 4)
		return -EINVAL;
	cap = cfg + offset;
	header = sv_le32(cap);
	if (PCI_EXT_CAP_ID(header) != PCI_EXT_CAP_ID_SRIOV)
		return -EINVAL;
	memset(ret, 0, sizeof(*ret));
	ret->size = sizeof(*ret);
	ret->cap_offset = offset;
	ret->cap_version = (uint8_t)PCI_EXT_CAP_VER(header);
	ret->capabilities = sv_le32(cap + PCI_SRIOV_CAP);
	ret->control = sv_le16(cap + PCI_SRIOV_CTRL);
	ret->status = sv_le16(cap + PCI_SRIOV_STATUS);
	ret->initial_vfs = sv_le16(cap + PCI_SRIOV_INITIAL_VF);
	ret->total_vfs = sv_le16(cap + PCI_SRIOV_TOTAL_VF);
	ret->num_vfs = sv_le16(cap + PCI_SRIOV_NUM_VF);
	ret->function_dependency_link = cap[PCI_SRIOV_FUNC_LINK];
	ret->vf_offset = sv_le16(cap + PCI_SRIOV_VF_OFFSET);
	ret->vf_stride = sv_le16(cap + PCI_SRIOV_VF_STRIDE);
	ret->vf_device_id = sv_le16(cap + PCI_SRIOV_VF_DID);
	ret->supported_page_sizes = sv_le32(cap + PCI_SRIOV_SUP_PGSIZE);
	ret->system_page_size = sv_le32(cap + PCI_SRIOV_SYS_PGSIZE);
	ret->vf_migration_state = sv_le32(cap + PCI_SRIOV_VFM);
	decode_vf_bars(cap, ret);
	return 0;
}
