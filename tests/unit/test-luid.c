// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sriovvirt_luid_to_u64() and sriovvirt_luid_from_u64(). A LUID is Windows'
 * { DWORD LowPart; LONG HighPart; }: the high half is signed, yet the 64-bit
 * value is (uint32_t)high << 32 | low. Values with bit 63 (or bit 31) set are
 * where a sign extension or a signed shift goes wrong.
 */

#include "unit.h"

static struct sriovvirt_luid luid(uint32_t low, int32_t high)
{
	return (struct sriovvirt_luid){ .low_part = low, .high_part = high };
}

static void check_to(uint32_t low, int32_t high, uint64_t want)
{
	uint64_t got = sriovvirt_luid_to_u64(luid(low, high));

	unit_expect(got == want, "{ %#x, %d } (got %#llx)", low, high,
		    (unsigned long long)got);
}

static void check_from(uint64_t value, uint32_t low, int32_t high)
{
	struct sriovvirt_luid got = sriovvirt_luid_from_u64(value);

	unit_expect(got.low_part == low && got.high_part == high,
		    "%#llx (got { %#x, %d })", (unsigned long long)value,
		    got.low_part, got.high_part);
}

static void test_to_u64(void **state)
{
	(void)state;
	check_to(0, 0, 0);
	check_to(0x12345678, 0, 0x12345678);
	/* Bit 31 of the low half is not a sign. */
	check_to(0xffffffff, 0, 0x00000000ffffffffull);
	check_to(0x80000000, 0, 0x0000000080000000ull);
	check_to(0, 1, 0x0000000100000000ull);
	check_to(0xabc, 7, 0x0000000700000abcull);
	/* A negative high half is its 32 bits, nothing more. */
	check_to(0, -1, 0xffffffff00000000ull);
	check_to(0x12345678, -1, 0xffffffff12345678ull);
	check_to(0x12345678, INT32_MIN, 0x8000000012345678ull);
	check_to(0xffffffff, INT32_MAX, 0x7fffffffffffffffull);
	check_to(0xffffffff, -1, UINT64_MAX);
}

static void test_from_u64(void **state)
{
	(void)state;
	check_from(0, 0, 0);
	check_from(0x00000000ffffffffull, 0xffffffff, 0);
	/*
	 * kernfs inode numbers: (wrap count << 32) | a 31-bit number. The
	 * first wrap gives high 1.
	 */
	check_from(0x0000000100000abcull, 0xabc, 1);
	check_from(0x7fffffffffffffffull, 0xffffffff, INT32_MAX);
	check_from(0x8000000000000000ull, 0, INT32_MIN);
	check_from(0xffffffff00000000ull, 0, -1);
	check_from(UINT64_MAX, 0xffffffff, -1);
	check_from(0x9abcdef012345678ull, 0x12345678, (int32_t)-0x65432110);
}

static uint64_t xorshift64(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void test_round_trip_u64(void **state)
{
	static const uint64_t edges[] = {
		0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
		0x7fffffffffffffffull, 0x8000000000000000ull,
		0xffffffff00000000ull, UINT64_MAX,
	};
	uint64_t seed = 0x853c49e6748fea9bull, v;
	unsigned int i;

	(void)state;
	for (i = 0; i < SV_ARRAY_SIZE(edges); i++) {
		v = sriovvirt_luid_to_u64(sriovvirt_luid_from_u64(edges[i]));
		unit_expect(v == edges[i], "%#llx",
			    (unsigned long long)edges[i]);
	}
	for (i = 0; i < 100000; i++) {
		uint64_t x = xorshift64(&seed);

		v = sriovvirt_luid_to_u64(sriovvirt_luid_from_u64(x));
		unit_expect(v == x, "%#llx", (unsigned long long)x);
	}
}

static void test_round_trip_luid(void **state)
{
	static const int32_t highs[] = {
		INT32_MIN, INT32_MIN + 1, -2, -1, 0, 1, INT32_MAX,
	};
	static const uint32_t lows[] = { 0, 1, 0x7fffffff, 0x80000000,
					 0xffffffff };
	struct sriovvirt_luid back;
	unsigned int h, l;

	(void)state;
	for (h = 0; h < SV_ARRAY_SIZE(highs); h++) {
		for (l = 0; l < SV_ARRAY_SIZE(lows); l++) {
			back = sriovvirt_luid_from_u64(sriovvirt_luid_to_u64(
				luid(lows[l], highs[h])));
			unit_expect(back.low_part == lows[l] &&
				    back.high_part == highs[h],
				    "{ %#x, %d }", lows[l], highs[h]);
		}
	}
}

/* Ordering by the 64-bit value follows the high half read as unsigned. */
static void test_distinct(void **state)
{
	(void)state;
	assert_true(sriovvirt_luid_to_u64(luid(0, -1)) >
		    sriovvirt_luid_to_u64(luid(0xffffffff, INT32_MAX)));
	assert_true(sriovvirt_luid_to_u64(luid(1, 0)) !=
		    sriovvirt_luid_to_u64(luid(0, 1)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_to_u64),
		cmocka_unit_test(test_from_u64),
		cmocka_unit_test(test_round_trip_u64),
		cmocka_unit_test(test_round_trip_luid),
		cmocka_unit_test(test_distinct),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
