// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sv_probed_bars(): the six values BAR registers read after all ones were
 * written to them, computed from each BAR's size and type. The expected
 * values are what hardware gives: the size mask with the type bits in the
 * low nibble (bit 0 I/O, bits 2:1 = 10 for 64-bit, bit 3 prefetchable) and,
 * for a 64-bit BAR, the upper size mask in the next register.
 */

#include <errno.h>

#include "unit.h"

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)

#define SHAPE(sz, t, p) { .size = (sz), .type = (t), .prefetchable = (p) }
#define MEM32(sz) SHAPE(sz, SRIOVVIRT_BAR_MEM32, false)
#define MEM32P(sz) SHAPE(sz, SRIOVVIRT_BAR_MEM32, true)
#define MEM64(sz) SHAPE(sz, SRIOVVIRT_BAR_MEM64, false)
#define MEM64P(sz) SHAPE(sz, SRIOVVIRT_BAR_MEM64, true)
#define IO(sz) SHAPE(sz, SRIOVVIRT_BAR_IO, false)
#define NONE SHAPE(0, SRIOVVIRT_BAR_UNUSED, false)

/*
 * The result array sits between guards: a write to a seventh register (a
 * 64-bit BAR in slot 5 has no upper half) shows up as a changed guard.
 */
struct probed {
	uint32_t before;
	uint32_t v[SRIOVVIRT_NUM_BARS];
	uint32_t after;
};

#define GUARD 0x5a5a5a5au

static int probe(const struct sv_bar_shape *shapes, struct probed *p)
{
	int r;

	p->before = GUARD;
	memset(p->v, 0xee, sizeof(p->v));
	p->after = GUARD;
	r = sv_probed_bars(shapes, p->v);
	assert_int_equal(p->before, GUARD);
	assert_int_equal(p->after, GUARD);
	return r;
}

static void check_probe(const struct sv_bar_shape *shapes,
			 const uint32_t want[SRIOVVIRT_NUM_BARS])
{
	struct probed p;
	unsigned int i;

	assert_int_equal(probe(shapes, &p), 0);
	for (i = 0; i < SRIOVVIRT_NUM_BARS; i++)
		unit_expect(p.v[i] == want[i], "BAR %u (%#010x, want %#010x)",
			    i, p.v[i], want[i]);
}

/* QEMU's NVMe controller: BAR 0 is 16 KiB, 64-bit, not prefetchable. */
static void test_qemu_nvme(void **state)
{
	static const struct sv_bar_shape shapes[] = {
		MEM64(16 * KiB), NONE, NONE, NONE, NONE, NONE,
	};
	static const uint32_t want[] = {
		0xffffc004, 0xffffffff, 0, 0, 0, 0,
	};

	(void)state;
	check_probe(shapes, want);
}

/*
 * A NIC-like layout: 64-bit prefetchable 128 KiB, an I/O BAR of 32 ports,
 * a 64-bit 16 KiB BAR for MSI-X, and a 32-bit BAR last.
 */
static void test_mixed_layout(void **state)
{
	static const struct sv_bar_shape shapes[] = {
		MEM64P(128 * KiB), NONE, IO(32), MEM64(16 * KiB), NONE,
		MEM32(1 * MiB),
	};
	static const uint32_t want[] = {
		0xfffe000c, 0xffffffff, 0xffffffe1, 0xffffc004, 0xffffffff,
		0xfff00000,
	};

	(void)state;
	check_probe(shapes, want);
}

static void test_mem32(void **state)
{
	static const struct sv_bar_shape shapes[] = {
		MEM32(16), MEM32(4 * KiB), MEM32P(256 * MiB), MEM32(2 * GiB),
		MEM32P(16 * MiB), MEM32(1 * MiB),
	};
	static const uint32_t want[] = {
		0xfffffff0, 0xfffff000, 0xf0000008, 0x80000000, 0xff000008,
		0xfff00000,
	};

	(void)state;
	check_probe(shapes, want);
}

static void test_io(void **state)
{
	static const struct sv_bar_shape shapes[] = {
		IO(4), IO(8), IO(32), IO(256), IO(64 * KiB), NONE,
	};
	static const uint32_t want[] = {
		0xfffffffd, 0xfffffff9, 0xffffffe1, 0xffffff01, 0xffff0001, 0,
	};

	(void)state;
	check_probe(shapes, want);
}

/* Sizes of 4 GiB and more: the low register keeps only its type bits. */
static void test_mem64_large(void **state)
{
	static const struct sv_bar_shape shapes[] = {
		MEM64P(4 * GiB), NONE, MEM64P(8 * GiB), NONE,
		MEM64(1ull << 63), NONE,
	};
	static const uint32_t want[] = {
		0x0000000c, 0xffffffff, 0x0000000c, 0xfffffffe, 0x00000004,
		0x80000000,
	};

	(void)state;
	check_probe(shapes, want);
}

static void test_mem64_every_size(void **state)
{
	struct sv_bar_shape shapes[SRIOVVIRT_NUM_BARS] = { NONE };
	struct probed p;
	unsigned int bit;
	uint64_t mask;

	(void)state;
	for (bit = 4; bit < 64; bit++) {
		shapes[2] = (struct sv_bar_shape)MEM64P(1ull << bit);
		assert_int_equal(probe(shapes, &p), 0);
		mask = ~0ull << bit;
		unit_expect(p.v[2] == ((uint32_t)mask | 0xc), "size 2^%u", bit);
		unit_expect(p.v[3] == (uint32_t)(mask >> 32), "size 2^%u", bit);
		unit_expect(!p.v[0] && !p.v[1] && !p.v[4] && !p.v[5],
			    "size 2^%u", bit);
	}
}

/* No size or no type: the register is not implemented and reads 0. */
static void test_unused(void **state)
{
	static const struct sv_bar_shape shapes[] = {
		NONE,
		SHAPE(4 * KiB, SRIOVVIRT_BAR_UNUSED, false),
		SHAPE(4 * KiB, SRIOVVIRT_BAR_UNUSED, true),
		MEM32(0), MEM64P(0), IO(0),
	};
	static const uint32_t want[] = { 0, 0, 0, 0, 0, 0 };

	(void)state;
	check_probe(shapes, want);
}

/*
 * The register after a 64-bit BAR is its upper half, whatever shape the
 * caller left there, even a size that would otherwise fail.
 */
static void test_upper_half_shape_ignored(void **state)
{
	static const struct sv_bar_shape shapes[] = {
		MEM64(16 * KiB), MEM32(3 * KiB), MEM64P(1 * MiB), IO(6),
		NONE, NONE,
	};
	static const uint32_t want[] = {
		0xffffc004, 0xffffffff, 0xfff0000c, 0xffffffff, 0, 0,
	};

	(void)state;
	check_probe(shapes, want);
}

/*
 * A 64-bit BAR cannot start in the last register: it has no upper half to
 * fill, and the result must stay within the six registers. It reads as the
 * 32-bit low half of its mask, without the 64-bit type bits.
 */
static void test_mem64_in_slot_5(void **state)
{
	static const struct sv_bar_shape shapes[] = {
		NONE, NONE, NONE, NONE, NONE, MEM64P(16 * KiB),
	};
	static const uint32_t want[] = { 0, 0, 0, 0, 0, 0xffffc008 };
	uint32_t *exact = malloc(SRIOVVIRT_NUM_BARS * sizeof(*exact));

	(void)state;
	check_probe(shapes, want);
	/* And on the heap, where ASan and valgrind watch the end. */
	assert_non_null(exact);
	assert_int_equal(sv_probed_bars(shapes, exact), 0);
	assert_int_equal(exact[5], 0xffffc008);
	free(exact);
}

/* Hardware sizes are powers of two; anything else is a broken resource. */
static void test_not_power_of_two(void **state)
{
	static const struct sv_bar_shape bad[] = {
		MEM32(3 * KiB), MEM32(0x3000), MEM32P(0xffffffff), IO(6),
		IO(48), MEM64(0x8000000000000001ull), MEM64P(12 * GiB),
		MEM64(UINT64_MAX),
	};
	struct sv_bar_shape shapes[SRIOVVIRT_NUM_BARS] = { NONE };
	struct probed p;
	unsigned int i, slot;

	(void)state;
	for (i = 0; i < SV_ARRAY_SIZE(bad); i++) {
		for (slot = 0; slot < SRIOVVIRT_NUM_BARS; slot += 2) {
			shapes[slot] = bad[i];
			unit_expect(probe(shapes, &p) == -EIO,
				    "shape %u in slot %u", i, slot);
			shapes[slot] = (struct sv_bar_shape)NONE;
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_nvme),
		cmocka_unit_test(test_mixed_layout),
		cmocka_unit_test(test_mem32),
		cmocka_unit_test(test_io),
		cmocka_unit_test(test_mem64_large),
		cmocka_unit_test(test_mem64_every_size),
		cmocka_unit_test(test_unused),
		cmocka_unit_test(test_upper_half_shape_ignored),
		cmocka_unit_test(test_mem64_in_slot_5),
		cmocka_unit_test(test_not_power_of_two),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
