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

#define PCI_STATUS 0x06
#define PCI_STATUS_CAP_LIST 0x10
#define PCI_CAPABILITY_LIST 0x34
#define PCI_STD_CAP_START 0x40
#define PCI_EXT_CAP_START 0x100
#define PCI_EXT_CAP_ID_SRIOV 0x10
#define SRIOV_CAP_SIZE 0x40

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* One bit per dword of config space: the pointers a walk has followed. */
struct visited {
	uint8_t bits[SV_CFG_EXT_SIZE / 4 / 8];
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
	unsigned int offset = PCI_EXT_CAP_START;
	uint32_t header;

	if (!cfg || !ret_offset)
		return -EINVAL;
	memset(&seen, 0, sizeof(seen));
	if (len > SV_CFG_EXT_SIZE)
		len = SV_CFG_EXT_SIZE;
	while (offset >= PCI_EXT_CAP_START && offset + 4 <= len &&
	       visit(&seen, offset)) {
		header = get32(cfg + offset);
		/* Absent extended space reads 0 or all ones. */
		if (header == 0 || header == 0xffffffff)
			break;
		if ((header & 0xffff) == cap_id) {
			*ret_offset = (uint16_t)offset;
			return 0;
		}
		offset = (header >> 20) & 0xffc;
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
	if (len > SV_CFG_STD_SIZE)
		len = SV_CFG_STD_SIZE;
	if (len <= PCI_CAPABILITY_LIST ||
	    !(get16(cfg + PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return -ENOENT;
	offset = cfg[PCI_CAPABILITY_LIST] & 0xfc;
	while (offset >= PCI_STD_CAP_START && offset + 2 <= len &&
	       visit(&seen, offset)) {
		if (cfg[offset] == 0xff)
			break;
		if (cfg[offset] == cap_id) {
			*ret_offset = (uint8_t)offset;
			return 0;
		}
		offset = cfg[offset + 1] & 0xfc;
	}
	return -ENOENT;
}

static void decode_vf_bars(const uint8_t *cap, struct sriovvirt_sriov_info *ret)
{
	unsigned int i;

	for (i = 0; i < SRIOVVIRT_NUM_BARS; i++) {
		struct sriovvirt_vf_bar *bar = &ret->vf_bars[i];
		uint32_t lo = get32(cap + 0x24 + 4 * i);

		memset(bar, 0, sizeof(*bar));
		/* As lspci: a register reading 0 (or all ones) is no BAR. */
		if (lo == 0 || lo == 0xffffffff)
			continue;
		if (lo & 0x1) {
			/* VF BARs must be memory; report I/O as the register says. */
			bar->type = SRIOVVIRT_BAR_IO;
			bar->base = lo & ~0x3u;
		} else if ((lo & 0x6) == 0x4 && i + 1 < SRIOVVIRT_NUM_BARS) {
			bar->type = SRIOVVIRT_BAR_MEM64;
			bar->prefetchable = lo & 0x8;
			bar->base = (uint64_t)get32(cap + 0x28 + 4 * i) << 32 |
				    (lo & ~0xfu);
			i++;
			memset(&ret->vf_bars[i], 0, sizeof(ret->vf_bars[i]));
		} else {
			bar->type = SRIOVVIRT_BAR_MEM32;
			bar->prefetchable = lo & 0x8;
			bar->base = lo & ~0xfu;
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

	if (!cfg || !ret || offset < PCI_EXT_CAP_START ||
	    (size_t)offset + SRIOV_CAP_SIZE > len || offset % 4)
		return -EINVAL;
	cap = cfg + offset;
	if (get16(cap) != PCI_EXT_CAP_ID_SRIOV)
		return -EINVAL;
	memset(ret, 0, sizeof(*ret));
	ret->cap_offset = offset;
	ret->cap_version = (cap[2] & 0xf);
	ret->capabilities = get32(cap + 0x04);
	ret->control = get16(cap + 0x08);
	ret->status = get16(cap + 0x0a);
	ret->initial_vfs = get16(cap + 0x0c);
	ret->total_vfs = get16(cap + 0x0e);
	ret->num_vfs = get16(cap + 0x10);
	ret->function_dependency_link = cap[0x12];
	ret->vf_offset = get16(cap + 0x14);
	ret->vf_stride = get16(cap + 0x16);
	ret->vf_device_id = get16(cap + 0x1a);
	ret->supported_page_sizes = get32(cap + 0x1c);
	ret->system_page_size = get32(cap + 0x20);
	ret->vf_migration_state = get32(cap + 0x3c);
	decode_vf_bars(cap, ret);
	return 0;
}
