/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The capability walks and the SR-IOV capability decode over config-space
 * images of any length and content: truncated as unprivileged sysfs reads
 * are (64 bytes), conventional (256), full (4096), longer, or hostile, with
 * lists that loop or point outside the image.
 *
 * Each walk is compared with a reference that ends loops the way the kernel
 * does, by a step limit (PCI_FIND_CAP_TTL and one step per dword of
 * extended space), instead of the library's visited bitmap; a found offset
 * must lie in the image, at or above the list's start and dword aligned
 * (PCI Local Bus 6.7, PCIe 7.6.3: the low two pointer bits are reserved).
 *
 * Input: bytes 0-1 an extended capability ID, byte 2 a standard one, bytes
 * 3-4 an offset to decode as SR-IOV; the rest is the image, copied to a
 * buffer of exactly its length so any read beyond it is caught.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "fuzz.h"

#define EXT_START 0x100
#define STD_START 0x40
#define CAP_PTR 0x34
#define STATUS 0x06
#define STATUS_CAP_LIST 0x10
#define SRIOV_ID 0x10
#define SRIOV_SIZE 0x40
#define FIND_CAP_TTL 48		/* drivers/pci/pci.c */
#define EXT_TTL ((PCI_CFG_SPACE_EXP_SIZE - EXT_START) / 4)

static long ref_ext(const uint8_t *cfg, size_t len, uint16_t id)
{
	unsigned int off = EXT_START, ttl = EXT_TTL;
	uint32_t header;

	if (len > PCI_CFG_SPACE_EXP_SIZE)
		len = PCI_CFG_SPACE_EXP_SIZE;
	while (ttl--) {
		if (off < EXT_START || off + 4 > len)
			return -1;
		header = fuzz_get32(cfg + off);
		if (header == 0 || header == 0xffffffff)
			return -1;
		if ((header & 0xffff) == id)
			return off;
		off = (header >> 20) & ~3u;
	}
	return -1;
}

static long ref_std(const uint8_t *cfg, size_t len, uint8_t id)
{
	unsigned int off, ttl = FIND_CAP_TTL;

	if (len > PCI_CFG_SPACE_SIZE)
		len = PCI_CFG_SPACE_SIZE;
	if (len <= CAP_PTR || !(fuzz_get16(cfg + STATUS) & STATUS_CAP_LIST))
		return -1;
	off = cfg[CAP_PTR];
	while (ttl--) {
		if (off < STD_START)
			return -1;
		off &= ~3u;
		if (off + 2 > len || cfg[off] == 0xff)
			return -1;
		if (cfg[off] == id)
			return off;
		off = cfg[off + 1];
	}
	return -1;
}

static long check_ext(const uint8_t *cfg, size_t len, uint16_t id)
{
	long want = ref_ext(cfg, len, id);
	uint16_t off = 0xa5a5;
	int r;

	r = sv_find_ext_cap(cfg, len, id, &off);
	if (want < 0) {
		FUZZ_CHECK(r == -ENOENT);
		FUZZ_CHECK(off == 0xa5a5);
		return -1;
	}
	FUZZ_CHECK(r == 0);
	FUZZ_CHECK(off == want);
	FUZZ_CHECK(off >= EXT_START && off % 4 == 0);
	FUZZ_CHECK((size_t)off + 4 <= len && off + 4 <= PCI_CFG_SPACE_EXP_SIZE);
	FUZZ_CHECK(fuzz_get16(cfg + off) == id);
	return off;
}

static void check_std(const uint8_t *cfg, size_t len, uint8_t id)
{
	long want = ref_std(cfg, len, id);
	uint8_t off = 0xa5;
	int r;

	r = sv_find_std_cap(cfg, len, id, &off);
	if (want < 0) {
		FUZZ_CHECK(r == -ENOENT);
		FUZZ_CHECK(off == 0xa5);
		return;
	}
	FUZZ_CHECK(r == 0);
	FUZZ_CHECK(off == want);
	FUZZ_CHECK(off >= STD_START && off % 4 == 0);
	FUZZ_CHECK((size_t)off + 2 <= len);
	FUZZ_CHECK(cfg[off] == id);
}

/* The VF BAR registers (PCIe 9.3.3.14) as the decode must report them. */
static void check_vf_bars(const uint8_t *cap,
			  const struct sriovvirt_sriov_info *info)
{
	const struct sriovvirt_vf_bar *b;
	unsigned int i;
	uint32_t lo;

	for (i = 0; i < SRIOVVIRT_NUM_BARS; i++) {
		b = &info->vf_bars[i];
		lo = fuzz_get32(cap + 0x24 + 4 * i);
		FUZZ_CHECK(b->size == 0);	/* sizes come from sysfs */
		if (lo == 0 || lo == 0xffffffff) {
			FUZZ_CHECK(b->type == SRIOVVIRT_BAR_UNUSED);
			FUZZ_CHECK(b->base == 0 && !b->prefetchable);
		} else if (lo & 1) {
			FUZZ_CHECK(b->type == SRIOVVIRT_BAR_IO);
			FUZZ_CHECK(b->base == (lo & ~3u) && !b->prefetchable);
		} else if ((lo & 6) == 4 && i < SRIOVVIRT_NUM_BARS - 1) {
			FUZZ_CHECK(b->type == SRIOVVIRT_BAR_MEM64);
			FUZZ_CHECK(b->prefetchable == !!(lo & 8));
			FUZZ_CHECK(b->base ==
				   ((uint64_t)fuzz_get32(cap + 0x28 + 4 * i) << 32 |
				    (lo & ~0xfu)));
			/* The upper half is no BAR of its own. */
			b = &info->vf_bars[++i];
			FUZZ_CHECK(b->type == SRIOVVIRT_BAR_UNUSED);
			FUZZ_CHECK(b->base == 0 && !b->prefetchable && !b->size);
		} else {
			FUZZ_CHECK(b->type == SRIOVVIRT_BAR_MEM32);
			FUZZ_CHECK(b->prefetchable == !!(lo & 8));
			FUZZ_CHECK(b->base == (lo & ~0xfu));
		}
	}
}

static void check_decode(const uint8_t *cfg, size_t len, uint16_t offset)
{
	struct sriovvirt_sriov_info info, poison;
	const uint8_t *cap;
	bool valid;
	int r;

	memset(&info, FUZZ_POISON, sizeof(info));
	memset(&poison, FUZZ_POISON, sizeof(poison));
	r = sv_decode_sriov_cap(cfg, len, offset, &info);
	valid = offset >= EXT_START && offset % 4 == 0 &&
		(size_t)offset + SRIOV_SIZE <= len &&
		fuzz_get16(cfg + offset) == SRIOV_ID;
	if (!valid) {
		FUZZ_CHECK(r == -EINVAL);
		FUZZ_CHECK(!memcmp(&info, &poison, sizeof(info)));
		return;
	}
	FUZZ_CHECK(r == 0);
	cap = cfg + offset;
	FUZZ_CHECK(info.cap_offset == offset);
	FUZZ_CHECK(info.cap_version == (cap[2] & 0xf));
	FUZZ_CHECK(info.capabilities == fuzz_get32(cap + 0x04));
	FUZZ_CHECK(info.control == fuzz_get16(cap + 0x08));
	FUZZ_CHECK(info.status == fuzz_get16(cap + 0x0a));
	FUZZ_CHECK(info.initial_vfs == fuzz_get16(cap + 0x0c));
	FUZZ_CHECK(info.total_vfs == fuzz_get16(cap + 0x0e));
	FUZZ_CHECK(info.num_vfs == fuzz_get16(cap + 0x10));
	FUZZ_CHECK(info.function_dependency_link == cap[0x12]);
	FUZZ_CHECK(info.vf_offset == fuzz_get16(cap + 0x14));
	FUZZ_CHECK(info.vf_stride == fuzz_get16(cap + 0x16));
	FUZZ_CHECK(info.vf_device_id == fuzz_get16(cap + 0x1a));
	FUZZ_CHECK(info.supported_page_sizes == fuzz_get32(cap + 0x1c));
	FUZZ_CHECK(info.system_page_size == fuzz_get32(cap + 0x20));
	FUZZ_CHECK(info.vf_migration_state == fuzz_get32(cap + 0x3c));
	/* Filled in by the caller from sysfs, so zero here. */
	FUZZ_CHECK(info.captured_bus_numbers == 0 && info.driver_total_vfs == 0);
	check_vf_bars(cap, &info);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	uint16_t ext_id, decode_at;
	uint8_t std_id;
	uint8_t *cfg;
	long sriov;

	ext_id = fuzz_u16(&in);
	std_id = fuzz_u8(&in);
	decode_at = fuzz_u16(&in);
	cfg = malloc(in.size ? in.size : 1);
	if (!cfg)
		return 0;
	memcpy(cfg, in.data, in.size);

	check_ext(cfg, in.size, ext_id);
	check_std(cfg, in.size, std_id);
	/* What the library looks for: PM (power.c) and PCIe. */
	check_std(cfg, in.size, 0x01);
	check_std(cfg, in.size, 0x10);
	check_decode(cfg, in.size, decode_at);

	/*
	 * As pf.c and resources.c use them: where the walk finds SR-IOV, the
	 * decode succeeds unless the capability is cut off by the image's end.
	 */
	sriov = check_ext(cfg, in.size, SRIOV_ID);
	if (sriov >= 0)
		check_decode(cfg, in.size, (uint16_t)sriov);
	free(cfg);
	return 0;
}
