// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sv_find_std_cap(), sv_find_ext_cap() and sv_decode_sriov_cap() over
 * hand-built config-space images. The images come from a device, or from
 * whoever can write a fake sysfs tree: a walk must end on loops, on pointers
 * into the header and on images cut short, and never read past the length it
 * is given (each image is passed as an exact-length heap copy, so ASan and
 * valgrind see any such read).
 */

#include <errno.h>

#include "unit.h"

#define PCI_STATUS 0x06
#define PCI_STATUS_CAP_LIST 0x10
#define PCI_CAPABILITY_LIST 0x34

#define CAP_ID_PM 0x01
#define CAP_ID_MSI 0x05
#define CAP_ID_EXP 0x10
#define CAP_ID_MSIX 0x11

#define EXT_ID_AER 0x0001
#define EXT_ID_DSN 0x0003
#define EXT_ID_ARI 0x000e
#define EXT_ID_SRIOV 0x0010

#define SRIOV_POS 0x120

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

/* A type 0 header whose capability list starts at @first. */
static void std_init(uint8_t *cfg, uint8_t first)
{
	memset(cfg, 0, PCI_CFG_SPACE_EXP_SIZE);
	put16(cfg, 0x1b36);
	put16(cfg + PCI_STATUS, PCI_STATUS_CAP_LIST);
	cfg[PCI_CAPABILITY_LIST] = first;
}

static void std_cap(uint8_t *cfg, uint8_t pos, uint8_t id, uint8_t next)
{
	cfg[pos] = id;
	cfg[pos + 1] = next;
}

static void ext_cap(uint8_t *cfg, uint16_t pos, uint16_t id, uint8_t version,
		    uint16_t next)
{
	put32(cfg + pos, id | (uint32_t)version << 16 | (uint32_t)next << 20);
}

static int find_std(const uint8_t *cfg, size_t len, uint8_t id, uint8_t *ret)
{
	uint8_t *copy = unit_exact_copy(cfg, len);
	int r;

	r = sv_find_std_cap(copy, len, id, ret);
	free(copy);
	return r;
}

static int find_ext(const uint8_t *cfg, size_t len, uint16_t id,
		    uint16_t *ret)
{
	uint8_t *copy = unit_exact_copy(cfg, len);
	int r;

	r = sv_find_ext_cap(copy, len, id, ret);
	free(copy);
	return r;
}

static void check_std(const uint8_t *cfg, size_t len, uint8_t id, int want,
		       uint8_t want_pos)
{
	uint8_t pos = 0xee;
	int r = find_std(cfg, len, id, &pos);

	unit_expect(r == want, "id %#x, len %zu (r = %d)", id, len, r);
	unit_expect(pos == (r ? 0xee : want_pos), "id %#x, len %zu (pos %#x)",
		    id, len, pos);
}

static void check_ext(const uint8_t *cfg, size_t len, uint16_t id, int want,
		       uint16_t want_pos)
{
	uint16_t pos = 0xeeee;
	int r = find_ext(cfg, len, id, &pos);

	unit_expect(r == want, "id %#x, len %zu (r = %d)", id, len, r);
	unit_expect(pos == (r ? 0xeeee : want_pos),
		    "id %#x, len %zu (pos %#x)", id, len, pos);
}

/* PM at 0x40, MSI at 0x50, PCIe at 0x70: a common layout. */
static void std_chain(uint8_t *cfg)
{
	std_init(cfg, 0x40);
	std_cap(cfg, 0x40, CAP_ID_PM, 0x50);
	std_cap(cfg, 0x50, CAP_ID_MSI, 0x70);
	std_cap(cfg, 0x70, CAP_ID_EXP, 0x00);
}

static void test_std_found(void **state)
{
	uint8_t cfg[PCI_CFG_SPACE_EXP_SIZE];

	(void)state;
	std_chain(cfg);
	check_std(cfg, 256, CAP_ID_PM, 0, 0x40);
	check_std(cfg, 256, CAP_ID_MSI, 0, 0x50);
	check_std(cfg, 256, CAP_ID_EXP, 0, 0x70);
	/* A PCIe device's whole 4 KiB: only the first 256 bytes matter. */
	check_std(cfg, sizeof(cfg), CAP_ID_EXP, 0, 0x70);
}

static void test_std_not_found(void **state)
{
	uint8_t cfg[PCI_CFG_SPACE_EXP_SIZE];

	(void)state;
	std_chain(cfg);
	check_std(cfg, 256, CAP_ID_MSIX, -ENOENT, 0);
	/* The ID sits in the image, but not on the list. */
	std_cap(cfg, 0x90, CAP_ID_MSIX, 0);
	check_std(cfg, 256, CAP_ID_MSIX, -ENOENT, 0);
}

/* Without the Capabilities List bit, 0x34 means nothing. */
static void test_std_no_list_bit(void **state)
{
	uint8_t cfg[PCI_CFG_SPACE_EXP_SIZE];

	(void)state;
	std_chain(cfg);
	put16(cfg + PCI_STATUS, 0);
	check_std(cfg, 256, CAP_ID_PM, -ENOENT, 0);
	/* Other status bits do not stand in for it. */
	put16(cfg + PCI_STATUS, (uint16_t)~PCI_STATUS_CAP_LIST);
	check_std(cfg, 256, CAP_ID_PM, -ENOENT, 0);
}

static void test_std_empty_list(void **state)
{
	uint8_t cfg[PCI_CFG_SPACE_EXP_SIZE];

	(void)state;
	std_init(cfg, 0);
	check_std(cfg, 256, 0, -ENOENT, 0);
	check_std(cfg, 256, CAP_ID_PM, -ENOENT, 0);
}

static void test_std_loops(void **state)
{
	uint8_t cfg[PCI_CFG_SPACE_EXP_SIZE];

	(void)state;
	std_init(cfg, 0x40);
	std_cap(cfg, 0x40, CAP_ID_PM, 0x40);
	check_std(cfg, 256, CAP_ID_EXP, -ENOENT, 0);
	check_std(cfg, 256, CAP_ID_PM, 0, 0x40);

	std_init(cfg, 0x40);
	std_cap(cfg, 0x40, CAP_ID_PM, 0x50);
	std_cap(cfg, 0x50, CAP_ID_MSI, 0x40);
	check_std(cfg, 256, CAP_ID_EXP, -ENOENT, 0);
	check_std(cfg, 256, CAP_ID_MSI, 0, 0x50);

	/* A loop back into the middle of the list. */
	std_init(cfg, 0x40);
	std_cap(cfg, 0x40, CAP_ID_PM, 0x50);
	std_cap(cfg, 0x50, CAP_ID_MSI, 0x60);
	std_cap(cfg, 0x60, CAP_ID_MSIX, 0x50);
	check_std(cfg, 256, CAP_ID_EXP, -ENOENT, 0);
	check_std(cfg, 256, CAP_ID_MSIX, 0, 0x60);
}

/*
 * Capabilities live at 0x40 and up; a pointer below is the end. The trap IDs
 * make a walk that follows such a pointer report a wrong find.
 */
static void test_std_pointer_into_header(void **state)
{
	uint8_t cfg[PCI_CFG_SPACE_EXP_SIZE];

	(void)state;
	std_init(cfg, 0x10);
	std_cap(cfg, 0x10, CAP_ID_EXP, 0x40);
	std_cap(cfg, 0x40, CAP_ID_PM, 0);
	check_std(cfg, 256, CAP_ID_EXP, -ENOENT, 0);
	check_std(cfg, 256, CAP_ID_PM, -ENOENT, 0);

	std_init(cfg, 0x40);
	std_cap(cfg, 0x40, CAP_ID_PM, 0x3c);
	std_cap(cfg, 0x3c, CAP_ID_EXP, 0);
	check_std(cfg, 256, CAP_ID_EXP, -ENOENT, 0);
	check_std(cfg, 256, CAP_ID_PM, 0, 0x40);
}

/* The low two bits of a pointer are reserved: software masks them. */
static void test_std_misaligned(void **state)
{
	uint8_t cfg[PCI_CFG_SPACE_EXP_SIZE];

	(void)state;
	std_init(cfg, 0x43);
	std_cap(cfg, 0x40, CAP_ID_PM, 0x52);
	std_cap(cfg, 0x50, CAP_ID_EXP, 0);
	check_std(cfg, 256, CAP_ID_PM, 0, 0x40);
	check_std(cfg, 256, CAP_ID_EXP, 0, 0x50);
}

static void test_std_truncated(void **state)
{
	uint8_t cfg[PCI_CFG_SPACE_EXP_SIZE];

	(void)state;
	std_chain(cfg);
	/* Unprivileged readers get 64 bytes: the header only. */
	check_std(cfg, 64, CAP_ID_PM, -ENOENT, 0);
	/* The whole PCIe capability header is needed, both bytes. */
	check_std(cfg, 0x72, CAP_ID_EXP, 0, 0x70);
	check_std(cfg, 0x71, CAP_ID_EXP, -ENOENT, 0);
	check_std(cfg, 0x70, CAP_ID_EXP, -ENOENT, 0);
	check_std(cfg, 0x42, CAP_ID_PM, 0, 0x40);
	check_std(cfg, 0x41, CAP_ID_PM, -ENOENT, 0);
	/* Too short for the capability pointer itself. */
	check_std(cfg, PCI_CAPABILITY_LIST, CAP_ID_PM, -ENOENT, 0);
	check_std(cfg, 8, CAP_ID_PM, -ENOENT, 0);
	check_std(cfg, 0, CAP_ID_PM, -ENOENT, 0);
}

/* A function that is not there reads all ones. */
static void test_std_all_ones(void **state)
{
	uint8_t cfg[256];

	(void)state;
	memset(cfg, 0xff, sizeof(cfg));
	check_std(cfg, sizeof(cfg), CAP_ID_PM, -ENOENT, 0);
	check_std(cfg, sizeof(cfg), 0xff, -ENOENT, 0);
}

/* The longest list that fits: one capability per dword, 0x40 .. 0xfc. */
static void test_std_longest_chain(void **state)
{
	uint8_t cfg[PCI_CFG_SPACE_EXP_SIZE];
	unsigned int pos;

	(void)state;
	std_init(cfg, 0x40);
	for (pos = 0x40; pos < 0xfc; pos += 4)
		std_cap(cfg, (uint8_t)pos, 0x09, (uint8_t)(pos + 4));
	std_cap(cfg, 0xfc, CAP_ID_EXP, 0);
	check_std(cfg, 256, CAP_ID_EXP, 0, 0xfc);
}

static void test_std_null(void **state)
{
	uint8_t cfg[256] = { 0 };
	uint8_t pos = 0xee;

	(void)state;
	assert_int_equal(sv_find_std_cap(NULL, 256, CAP_ID_PM, &pos), -EINVAL);
	assert_int_equal(sv_find_std_cap(cfg, 256, CAP_ID_PM, NULL), -EINVAL);
	assert_int_equal(pos, 0xee);
}

/*
 * ARI at 0x100, SR-IOV at 0x120 (64 bytes), AER at 0x160 (72 bytes), DSN
 * at 0x1a8: the order of the list is not the order of the offsets.
 */
#define ARI_POS 0x100
#define AER_POS 0x160
#define DSN_POS 0x1a8

static void ext_chain(uint8_t *cfg)
{
	std_init(cfg, 0);
	ext_cap(cfg, ARI_POS, EXT_ID_ARI, 1, AER_POS);
	ext_cap(cfg, AER_POS, EXT_ID_AER, 2, SRIOV_POS);
	ext_cap(cfg, SRIOV_POS, EXT_ID_SRIOV, 1, DSN_POS);
	ext_cap(cfg, DSN_POS, EXT_ID_DSN, 1, 0);
}

static void test_ext_found(void **state)
{
	uint8_t cfg[PCI_CFG_SPACE_EXP_SIZE];

	(void)state;
	ext_chain(cfg);
	check_ext(cfg, sizeof(cfg), EXT_ID_ARI, 0, ARI_POS);
	check_ext(cfg, sizeof(cfg), EXT_ID_AER, 0, AER_POS);
	check_ext(cfg, sizeof(cfg), EXT_ID_SRIOV, 0, SRIOV_POS);
	check_ext(cfg, sizeof(cfg), EXT_ID_DSN, 0, DSN_POS);
}

static void test_ext_not_found(void **state)
{
	uint8_t cfg[PCI_CFG_SPACE_EXP_SIZE];

	(void)state;
	ext_chain(cfg);
	check_ext(cfg, sizeof(cfg), 0x0019, -ENOENT, 0);
	/* All 16 bits of the ID count. */
	check_ext(cfg, sizeof(cfg), 0x8010, -ENOENT, 0);
	ext_cap(cfg, 0x200, 0x0019, 1, 0);
	check_ext(cfg, sizeof(cfg), 0x0019, -ENOENT, 0);
}

/* Conventional devices and unprivileged readers: 256 bytes or fewer. */
static void test_ext_short_images(void **state)
{
	uint8_t cfg[PCI_CFG_SPACE_EXP_SIZE];

	(void)state;
	ext_chain(cfg);
	check_ext(cfg, 256, EXT_ID_ARI, -ENOENT, 0);
	check_ext(cfg, 255, EXT_ID_ARI, -ENOENT, 0);
	check_ext(cfg, 64, EXT_ID_ARI, -ENOENT, 0);
	check_ext(cfg, 0, EXT_ID_ARI, -ENOENT, 0);
}

/* A header cut short ends the walk; a whole one just before the cut counts. */
static void test_ext_truncated(void **state)
{
	uint8_t cfg[PCI_CFG_SPACE_EXP_SIZE];

	(void)state;
	ext_chain(cfg);
	check_ext(cfg, ARI_POS + 4, EXT_ID_ARI, 0, ARI_POS);
	check_ext(cfg, ARI_POS + 3, EXT_ID_ARI, -ENOENT, 0);
	check_ext(cfg, AER_POS + 4, EXT_ID_AER, 0, AER_POS);
	check_ext(cfg, AER_POS + 3, EXT_ID_AER, -ENOENT, 0);
	/* SR-IOV lies below AER, but the walk reaches it after AER. */
	check_ext(cfg, AER_POS + 3, EXT_ID_SRIOV, -ENOENT, 0);
	check_ext(cfg, AER_POS + 4, EXT_ID_SRIOV, 0, SRIOV_POS);
	check_ext(cfg, DSN_POS + 4, EXT_ID_DSN, 0, DSN_POS);
	check_ext(cfg, DSN_POS + 2, EXT_ID_DSN, -ENOENT, 0);
}

/* No extended space reads 0 (conventional behind a bridge) or all ones. */
static void test_ext_absent(void **state)
{
	uint8_t cfg[PCI_CFG_SPACE_EXP_SIZE];

	(void)state;
	memset(cfg, 0, sizeof(cfg));
	check_ext(cfg, sizeof(cfg), EXT_ID_AER, -ENOENT, 0);
	/* ID 0 with version 0 and no next is "no capability", not a find. */
	check_ext(cfg, sizeof(cfg), 0, -ENOENT, 0);
	memset(cfg, 0xff, sizeof(cfg));
	check_ext(cfg, sizeof(cfg), 0xffff, -ENOENT, 0);
	check_ext(cfg, sizeof(cfg), EXT_ID_SRIOV, -ENOENT, 0);
	/* All ones in the middle of a list ends it there. */
	ext_chain(cfg);
	put32(cfg + AER_POS, 0xffffffff);
	check_ext(cfg, sizeof(cfg), EXT_ID_SRIOV, -ENOENT, 0);
	check_ext(cfg, sizeof(cfg), 0xffff, -ENOENT, 0);
}

static void test_ext_loops(void **state)
{
	uint8_t cfg[PCI_CFG_SPACE_EXP_SIZE];

	(void)state;
	std_init(cfg, 0);
	ext_cap(cfg, 0x100, EXT_ID_AER, 1, 0x100);
	check_ext(cfg, sizeof(cfg), EXT_ID_SRIOV, -ENOENT, 0);

	std_init(cfg, 0);
	ext_cap(cfg, 0x100, EXT_ID_AER, 1, 0x200);
	ext_cap(cfg, 0x200, EXT_ID_ARI, 1, 0x100);
	check_ext(cfg, sizeof(cfg), EXT_ID_SRIOV, -ENOENT, 0);
	check_ext(cfg, sizeof(cfg), EXT_ID_ARI, 0, 0x200);

	/* Back into the middle, with the last capability at 0xffc. */
	std_init(cfg, 0);
	ext_cap(cfg, 0x100, EXT_ID_AER, 1, 0x800);
	ext_cap(cfg, 0x800, EXT_ID_ARI, 1, 0xffc);
	ext_cap(cfg, 0xffc, EXT_ID_DSN, 1, 0x800);
	check_ext(cfg, sizeof(cfg), EXT_ID_SRIOV, -ENOENT, 0);
	check_ext(cfg, sizeof(cfg), EXT_ID_DSN, 0, 0xffc);
}

/* Extended capabilities live at 0x100 and up; 0 is the end of the list. */
static void test_ext_pointer_below_0x100(void **state)
{
	uint8_t cfg[PCI_CFG_SPACE_EXP_SIZE];

	(void)state;
	std_init(cfg, 0);
	ext_cap(cfg, 0x100, EXT_ID_AER, 1, 0x40);
	/* A trap: an SR-IOV header in standard space. */
	ext_cap(cfg, 0x40, EXT_ID_SRIOV, 1, 0);
	check_ext(cfg, sizeof(cfg), EXT_ID_SRIOV, -ENOENT, 0);
	ext_cap(cfg, 0x100, EXT_ID_AER, 1, 0xfc);
	ext_cap(cfg, 0xfc, EXT_ID_SRIOV, 1, 0);
	check_ext(cfg, sizeof(cfg), EXT_ID_SRIOV, -ENOENT, 0);
}

/* As for standard capabilities, the low two pointer bits are masked. */
static void test_ext_misaligned(void **state)
{
	uint8_t cfg[PCI_CFG_SPACE_EXP_SIZE];

	(void)state;
	std_init(cfg, 0);
	ext_cap(cfg, 0x100, EXT_ID_AER, 1, 0x143);
	ext_cap(cfg, 0x140, EXT_ID_SRIOV, 1, 0);
	check_ext(cfg, sizeof(cfg), EXT_ID_SRIOV, 0, 0x140);
}

/* A length above 4096 is the extended space; the walk stays inside it. */
static void test_ext_long_image(void **state)
{
	uint8_t *cfg = calloc(1, 2 * PCI_CFG_SPACE_EXP_SIZE);
	uint16_t pos = 0xeeee;

	(void)state;
	assert_non_null(cfg);
	std_init(cfg, 0);
	ext_cap(cfg, 0x100, EXT_ID_AER, 1, 0xffc);
	ext_cap(cfg, 0xffc, EXT_ID_SRIOV, 1, 0);
	assert_int_equal(sv_find_ext_cap(cfg, 2 * PCI_CFG_SPACE_EXP_SIZE,
					 EXT_ID_SRIOV, &pos), 0);
	assert_int_equal(pos, 0xffc);
	free(cfg);
}

/* The longest list: a header in every dword from 0x100 to 0xffc. */
static void test_ext_longest_chain(void **state)
{
	uint8_t cfg[PCI_CFG_SPACE_EXP_SIZE];
	unsigned int pos;

	(void)state;
	std_init(cfg, 0);
	for (pos = 0x100; pos < 0xffc; pos += 4)
		ext_cap(cfg, (uint16_t)pos, 0x000b, 1, (uint16_t)(pos + 4));
	ext_cap(cfg, 0xffc, EXT_ID_SRIOV, 1, 0);
	check_ext(cfg, sizeof(cfg), EXT_ID_SRIOV, 0, 0xffc);
}

static void test_ext_null(void **state)
{
	uint8_t cfg[PCI_CFG_SPACE_EXP_SIZE] = { 0 };
	uint16_t pos = 0xeeee;

	(void)state;
	assert_int_equal(sv_find_ext_cap(NULL, sizeof(cfg), EXT_ID_SRIOV,
					 &pos), -EINVAL);
	assert_int_equal(sv_find_ext_cap(cfg, sizeof(cfg), EXT_ID_SRIOV, NULL),
			 -EINVAL);
	assert_int_equal(pos, 0xeeee);
}

/*
 * An SR-IOV capability at SRIOV_POS with a distinct value in every register,
 * so that a field read from the wrong offset shows. The VF BARs are a 64-bit
 * prefetchable BAR above 4 GiB (0, 1), a 32-bit BAR (2), nothing (3) and a
 * 64-bit non-prefetchable BAR (4, 5).
 */
static void sriov_image(uint8_t *cfg)
{
	uint8_t *cap = cfg + SRIOV_POS;

	ext_chain(cfg);
	memset(cap + 4, 0, 0x3c);
	put32(cap + 0x04, 0x00200002);	/* ARI Capable Hierarchy Preserved */
	put16(cap + 0x08, 0x0019);	/* VF Enable, VF MSE, ARI Hierarchy */
	put16(cap + 0x0a, 0x0001);
	put16(cap + 0x0c, 32);		/* InitialVFs */
	put16(cap + 0x0e, 64);		/* TotalVFs */
	put16(cap + 0x10, 7);		/* NumVFs */
	cap[0x12] = 0x01;		/* Function Dependency Link */
	cap[0x13] = 0xaa;		/* reserved */
	put16(cap + 0x14, 0x0180);	/* First VF Offset */
	put16(cap + 0x16, 0x0002);	/* VF Stride */
	put16(cap + 0x18, 0x5555);	/* reserved */
	put16(cap + 0x1a, 0x10ed);	/* VF Device ID */
	put32(cap + 0x1c, 0x00000553);	/* Supported Page Sizes */
	put32(cap + 0x20, 0x00000001);	/* System Page Size: 4 KiB */
	put32(cap + 0x24, 0x0010000c);	/* BAR0: 64-bit prefetchable */
	put32(cap + 0x28, 0x00003800);	/* BAR1: its upper half */
	put32(cap + 0x2c, 0xfe000000);	/* BAR2: 32-bit */
	put32(cap + 0x30, 0x00000000);	/* BAR3: none */
	put32(cap + 0x34, 0xfd000004);	/* BAR4: 64-bit */
	put32(cap + 0x38, 0x00000001);	/* BAR5: its upper half */
	put32(cap + 0x3c, 0x00002005);	/* VF Migration State: BIR 5 */
}

static int decode(const uint8_t *cfg, size_t len, uint16_t offset,
		  struct sriovvirt_sriov_info *ret)
{
	uint8_t *copy = unit_exact_copy(cfg, len);
	int r;

	r = sv_decode_sriov_cap(copy, len, offset, ret);
	free(copy);
	return r;
}

static void check_bar(const struct sriovvirt_sriov_info *info,
		       unsigned int i, uint8_t type, bool prefetchable,
		       uint64_t base)
{
	const struct sriovvirt_vf_bar *bar = &info->vf_bars[i];

	unit_expect(bar->type == type, "VF BAR %u (type %u)", i, bar->type);
	unit_expect(bar->prefetchable == prefetchable, "VF BAR %u", i);
	unit_expect(bar->base == base, "VF BAR %u (base %#llx)", i,
		    (unsigned long long)bar->base);
	/* Sizes come from sysfs, which the caller reads. */
	unit_expect(bar->size == 0, "VF BAR %u (size %#llx)", i,
		    (unsigned long long)bar->size);
}

static void test_sriov_decode(void **state)
{
	uint8_t cfg[PCI_CFG_SPACE_EXP_SIZE];
	struct sriovvirt_sriov_info info;
	uint16_t pos;

	(void)state;
	sriov_image(cfg);
	assert_int_equal(find_ext(cfg, sizeof(cfg), EXT_ID_SRIOV, &pos), 0);
	assert_int_equal(pos, SRIOV_POS);
	/* Poisoned, so a field the decode forgets shows. */
	memset(&info, 0xa5, sizeof(info));
	assert_int_equal(decode(cfg, sizeof(cfg), pos, &info), 0);
	assert_int_equal(info.cap_offset, SRIOV_POS);
	assert_int_equal(info.cap_version, 1);
	assert_int_equal(info.capabilities, 0x00200002);
	assert_int_equal(info.control, 0x0019);
	assert_int_equal(info.status, 0x0001);
	assert_int_equal(info.initial_vfs, 32);
	assert_int_equal(info.total_vfs, 64);
	assert_int_equal(info.num_vfs, 7);
	assert_int_equal(info.function_dependency_link, 0x01);
	assert_int_equal(info.vf_offset, 0x0180);
	assert_int_equal(info.vf_stride, 2);
	assert_int_equal(info.vf_device_id, 0x10ed);
	assert_int_equal(info.supported_page_sizes, 0x553);
	assert_int_equal(info.system_page_size, 1);
	assert_int_equal(info.vf_migration_state, 0x00002005);
	check_bar(&info, 0, SRIOVVIRT_BAR_MEM64, true, 0x0000380000100000ull);
	check_bar(&info, 1, SRIOVVIRT_BAR_UNUSED, false, 0);
	check_bar(&info, 2, SRIOVVIRT_BAR_MEM32, false, 0xfe000000);
	check_bar(&info, 3, SRIOVVIRT_BAR_UNUSED, false, 0);
	check_bar(&info, 4, SRIOVVIRT_BAR_MEM64, false, 0x1fd000000ull);
	check_bar(&info, 5, SRIOVVIRT_BAR_UNUSED, false, 0);
	/* Filled in by the caller from sysfs. */
	assert_int_equal(info.captured_bus_numbers, 0);
	assert_int_equal(info.driver_total_vfs, 0);
}

/*
 * The other BAR encodings: I/O (VF BARs must be memory, but the register is
 * reported as it reads), all ones, 32-bit prefetchable, a 64-bit BAR whose
 * low half holds only type bits, and a 64-bit type in the last register,
 * which has no upper half: the migration-state register after it must not
 * be read as one.
 */
static void test_sriov_bar_encodings(void **state)
{
	uint8_t cfg[PCI_CFG_SPACE_EXP_SIZE];
	uint8_t *cap = cfg + SRIOV_POS;
	struct sriovvirt_sriov_info info;

	(void)state;
	sriov_image(cfg);
	put32(cap + 0x24, 0x0000e001);
	put32(cap + 0x28, 0xffffffff);
	put32(cap + 0x2c, 0xc0000008);
	put32(cap + 0x30, 0x0000000c);
	put32(cap + 0x34, 0x00000040);
	put32(cap + 0x38, 0xf000000c);
	put32(cap + 0x3c, 0xdeadbeef);
	memset(&info, 0xa5, sizeof(info));
	assert_int_equal(decode(cfg, sizeof(cfg), SRIOV_POS, &info), 0);
	check_bar(&info, 0, SRIOVVIRT_BAR_IO, false, 0xe000);
	check_bar(&info, 1, SRIOVVIRT_BAR_UNUSED, false, 0);
	check_bar(&info, 2, SRIOVVIRT_BAR_MEM32, true, 0xc0000000);
	check_bar(&info, 3, SRIOVVIRT_BAR_MEM64, true, 0x4000000000ull);
	check_bar(&info, 4, SRIOVVIRT_BAR_UNUSED, false, 0);
	check_bar(&info, 5, SRIOVVIRT_BAR_MEM32, true, 0xf0000000);
	assert_int_equal(info.vf_migration_state, 0xdeadbeef);
}

/* The version is the header's bits 19:16, not the next pointer above. */
static void test_sriov_version(void **state)
{
	uint8_t cfg[PCI_CFG_SPACE_EXP_SIZE];
	struct sriovvirt_sriov_info info;

	(void)state;
	sriov_image(cfg);
	ext_cap(cfg, SRIOV_POS, EXT_ID_SRIOV, 2, 0xfff);
	assert_int_equal(decode(cfg, sizeof(cfg), SRIOV_POS, &info), 0);
	assert_int_equal(info.cap_version, 2);
}

/* The capability is 64 bytes; an image that ends inside it is refused. */
static void test_sriov_truncated(void **state)
{
	uint8_t cfg[PCI_CFG_SPACE_EXP_SIZE];
	struct sriovvirt_sriov_info info;
	size_t len;

	(void)state;
	sriov_image(cfg);
	assert_int_equal(decode(cfg, SRIOV_POS + 0x40, SRIOV_POS, &info), 0);
	assert_int_equal(info.vf_migration_state, 0x00002005);
	for (len = 0; len < SRIOV_POS + 0x40; len++) {
		memset(&info, 0xa5, sizeof(info));
		unit_expect(decode(cfg, len, SRIOV_POS, &info) == -EINVAL,
			    "len %#zx", len);
		unit_expect(info.total_vfs == 0xa5a5, "len %#zx", len);
	}
}

static void check_decode_invalid(const uint8_t *cfg, size_t len,
				  uint16_t offset)
{
	struct sriovvirt_sriov_info info;

	memset(&info, 0xa5, sizeof(info));
	unit_expect(decode(cfg, len, offset, &info) == -EINVAL, "offset %#x",
		    offset);
	unit_expect(info.cap_offset == 0xa5a5, "offset %#x", offset);
}

static void test_sriov_bad_offset(void **state)
{
	uint8_t cfg[PCI_CFG_SPACE_EXP_SIZE];
	uint8_t *cap = cfg + SRIOV_POS;

	(void)state;
	sriov_image(cfg);
	/* Not 4-byte aligned, even with an SR-IOV ID there. */
	put16(cfg + SRIOV_POS + 2, EXT_ID_SRIOV);
	check_decode_invalid(cfg, sizeof(cfg), SRIOV_POS + 2);
	/* In standard space. */
	memcpy(cfg + 0x40, cap, 0x40);
	check_decode_invalid(cfg, sizeof(cfg), 0x40);
	/* Not an SR-IOV capability. */
	check_decode_invalid(cfg, sizeof(cfg), AER_POS);
	check_decode_invalid(cfg, sizeof(cfg), ARI_POS);
	/* The last dwords of config space cannot hold 64 bytes. */
	memcpy(cfg + 0xfc4, cap, 0x3c);
	check_decode_invalid(cfg, sizeof(cfg), 0xfc4);
	check_decode_invalid(cfg, sizeof(cfg), 0xfffc);
}

/* The capability may sit as high as 0xfc0 and still be whole. */
static void test_sriov_at_the_end(void **state)
{
	uint8_t cfg[PCI_CFG_SPACE_EXP_SIZE];
	struct sriovvirt_sriov_info info;

	(void)state;
	sriov_image(cfg);
	memcpy(cfg + 0xfc0, cfg + SRIOV_POS, 0x40);
	assert_int_equal(decode(cfg, sizeof(cfg), 0xfc0, &info), 0);
	assert_int_equal(info.cap_offset, 0xfc0);
	assert_int_equal(info.vf_device_id, 0x10ed);
	assert_int_equal(info.vf_migration_state, 0x00002005);
}

static void test_sriov_null(void **state)
{
	uint8_t cfg[PCI_CFG_SPACE_EXP_SIZE];
	struct sriovvirt_sriov_info info;

	(void)state;
	sriov_image(cfg);
	assert_int_equal(sv_decode_sriov_cap(NULL, sizeof(cfg), SRIOV_POS,
					     &info), -EINVAL);
	assert_int_equal(sv_decode_sriov_cap(cfg, sizeof(cfg), SRIOV_POS,
					     NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_std_found),
		cmocka_unit_test(test_std_not_found),
		cmocka_unit_test(test_std_no_list_bit),
		cmocka_unit_test(test_std_empty_list),
		cmocka_unit_test(test_std_loops),
		cmocka_unit_test(test_std_pointer_into_header),
		cmocka_unit_test(test_std_misaligned),
		cmocka_unit_test(test_std_truncated),
		cmocka_unit_test(test_std_all_ones),
		cmocka_unit_test(test_std_longest_chain),
		cmocka_unit_test(test_std_null),
		cmocka_unit_test(test_ext_found),
		cmocka_unit_test(test_ext_not_found),
		cmocka_unit_test(test_ext_short_images),
		cmocka_unit_test(test_ext_truncated),
		cmocka_unit_test(test_ext_absent),
		cmocka_unit_test(test_ext_loops),
		cmocka_unit_test(test_ext_pointer_below_0x100),
		cmocka_unit_test(test_ext_misaligned),
		cmocka_unit_test(test_ext_long_image),
		cmocka_unit_test(test_ext_longest_chain),
		cmocka_unit_test(test_ext_null),
		cmocka_unit_test(test_sriov_decode),
		cmocka_unit_test(test_sriov_bar_encodings),
		cmocka_unit_test(test_sriov_version),
		cmocka_unit_test(test_sriov_truncated),
		cmocka_unit_test(test_sriov_bad_offset),
		cmocka_unit_test(test_sriov_at_the_end),
		cmocka_unit_test(test_sriov_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
