/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sv_probed_bars(): what the six BAR registers read after all ones were
 * written, synthesized from sizes and types. The values must follow the BAR
 * layout (PCI Local Bus 6.2.5.1): size mask over the type bits, a 64-bit BAR
 * spending the next register on the upper mask. And read back as a BAR, by
 * the library's own SR-IOV decode, each value must give the type,
 * prefetchability and size it was made from: that is what a consumer of
 * QueryProbedBars does with them.
 *
 * Input: per BAR, one byte (bits 0-1 type, bit 2 prefetchable, bits 3-4 how
 * the size is given: none, 2^n from the next byte, 8 raw bytes, or 3 * 2^n
 * from the next byte).
 */

#include <errno.h>
#include <string.h>

#include "internal.h"
#include "fuzz.h"

#define CAP 0x100
#define BAR_REG(i) (CAP + 0x24 + 4 * (i))

static int is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

static void read_shapes(struct fuzz_input *in, struct sv_bar_shape *shapes)
{
	unsigned int i;
	uint8_t b;

	for (i = 0; i < SRIOVVIRT_NUM_BARS; i++) {
		b = fuzz_u8(in);
		shapes[i].type = b & 3;
		shapes[i].prefetchable = b & 4;
		switch ((b >> 3) & 3) {
		case 0:
			shapes[i].size = 0;
			break;
		case 1:
			shapes[i].size = 1ull << (fuzz_u8(in) & 63);
			break;
		case 2:
			shapes[i].size = fuzz_u64(in);
			break;
		default:
			shapes[i].size = 3ull << (fuzz_u8(in) & 63);
			break;
		}
	}
}

static int used(const struct sv_bar_shape *s)
{
	return s->type != SRIOVVIRT_BAR_UNUSED && s->size;
}

static int is_mem64_pair(const struct sv_bar_shape *shapes, unsigned int i)
{
	return shapes[i].type == SRIOVVIRT_BAR_MEM64 && used(&shapes[i]) &&
	       i + 1 < SRIOVVIRT_NUM_BARS;
}

/*
 * The values as registers of an SR-IOV capability, decoded by capwalk.c:
 * the library's reading of a BAR must agree with its synthesis of one.
 */
static void check_read_back(const struct sv_bar_shape *shapes,
			    const uint32_t *val)
{
	uint8_t cfg[CAP + 0x40];
	struct sriovvirt_sriov_info info;
	const struct sriovvirt_vf_bar *b;
	unsigned int i, j;

	memset(cfg, 0, sizeof(cfg));
	cfg[CAP] = 0x10;	/* SR-IOV, version 1, last in the list */
	cfg[CAP + 2] = 0x01;
	for (i = 0; i < SRIOVVIRT_NUM_BARS; i++)
		for (j = 0; j < 4; j++)
			cfg[BAR_REG(i) + j] = (uint8_t)(val[i] >> (8 * j));
	FUZZ_CHECK(sv_decode_sriov_cap(cfg, sizeof(cfg), CAP, &info) == 0);

	for (i = 0; i < SRIOVVIRT_NUM_BARS; i++) {
		const struct sv_bar_shape *s = &shapes[i];

		b = &info.vf_bars[i];
		if (!used(s)) {
			FUZZ_CHECK(b->type == SRIOVVIRT_BAR_UNUSED);
			continue;
		}
		if (s->type == SRIOVVIRT_BAR_IO) {
			FUZZ_CHECK(b->type == SRIOVVIRT_BAR_IO);
			FUZZ_CHECK(b->base == ((uint32_t)-s->size & ~3u));
			continue;
		}
		if (is_mem64_pair(shapes, i)) {
			FUZZ_CHECK(b->type == SRIOVVIRT_BAR_MEM64);
			FUZZ_CHECK(b->prefetchable == s->prefetchable);
			FUZZ_CHECK(b->base == (-s->size & ~0xfull));
			FUZZ_CHECK(info.vf_bars[++i].type == SRIOVVIRT_BAR_UNUSED);
			continue;
		}
		/* 32 bits (also a 64-bit BAR in the last register): up to 2 GiB. */
		if (s->size > 1ull << 31)
			continue;
		FUZZ_CHECK(b->type == SRIOVVIRT_BAR_MEM32);
		FUZZ_CHECK(b->prefetchable == s->prefetchable);
		FUZZ_CHECK(b->base == ((uint32_t)-s->size & ~0xfu));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	struct sv_bar_shape shapes[SRIOVVIRT_NUM_BARS];
	uint32_t val[SRIOVVIRT_NUM_BARS];
	unsigned int i;
	int r, bad = 0;

	read_shapes(&in, shapes);
	memset(val, FUZZ_POISON, sizeof(val));
	r = sv_probed_bars(shapes, val);

	/* Only a used BAR's size counts; the shape after a 64-bit one is none. */
	for (i = 0; i < SRIOVVIRT_NUM_BARS; i++) {
		if (used(&shapes[i]) && !is_pow2(shapes[i].size))
			bad = 1;
		if (is_pow2(shapes[i].size) && is_mem64_pair(shapes, i))
			i++;
	}
	if (bad) {
		FUZZ_CHECK(r == -EIO);
		return 0;
	}
	FUZZ_CHECK(r == 0);

	for (i = 0; i < SRIOVVIRT_NUM_BARS; i++) {
		const struct sv_bar_shape *s = &shapes[i];
		uint64_t mask = -s->size;	/* ~(size - 1) */

		if (!used(s)) {
			FUZZ_CHECK(val[i] == 0);
		} else if (s->type == SRIOVVIRT_BAR_IO) {
			FUZZ_CHECK((val[i] & 3) == 1);
			FUZZ_CHECK((val[i] & ~3u) == ((uint32_t)mask & ~3u));
		} else if (is_mem64_pair(shapes, i)) {
			FUZZ_CHECK((val[i] & 7) == 4);
			FUZZ_CHECK(!!(val[i] & 8) == s->prefetchable);
			FUZZ_CHECK(((uint64_t)val[i + 1] << 32 | (val[i] & ~0xfu)) ==
				   (mask & ~0xfull));
			i++;
		} else {
			FUZZ_CHECK((val[i] & 7) == 0);
			FUZZ_CHECK(!!(val[i] & 8) == s->prefetchable);
			FUZZ_CHECK((val[i] & ~0xfu) == ((uint32_t)mask & ~0xfu));
		}
	}
	check_read_back(shapes, val);
	return 0;
}
