// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sv_parse_uint(): the parser behind every numeric sysfs attribute. The
 * kernel prints "%u\n" (sriov_numvfs, sriov_offset), "0x%04x\n" (vendor,
 * device) and "%x\n" (sriov_vf_device); anything else must be refused, and
 * the parser must stay inside the length it is given.
 */

#include <errno.h>
#include <stdio.h>

#include "unit.h"

#define SENTINEL 0x5a5a5a5a5a5a5a5aull

/* Parses the string @s from an exact-length copy (no NUL after it). */
static int parse(const char *s, unsigned int base, uint64_t max, uint64_t *ret)
{
	size_t len = strlen(s);
	char *copy = unit_exact_copy(s, len);
	int r;

	r = sv_parse_uint(copy, len, base, max, ret);
	free(copy);
	return r;
}

static void check_value(const char *s, unsigned int base, uint64_t max,
			 uint64_t want)
{
	uint64_t v = SENTINEL;
	int r = parse(s, base, max, &v);

	unit_expect(r == 0, "\"%s\" base %u (r = %d)", s, base, r);
	unit_expect(v == want, "\"%s\" base %u (v = %#llx)", s, base,
		    (unsigned long long)v);
}

/* A refused input must leave the output alone (the header's convention). */
static void check_error(const char *s, unsigned int base, uint64_t max,
			 int want)
{
	uint64_t v = SENTINEL;
	int r = parse(s, base, max, &v);

	unit_expect(r == want, "\"%s\" base %u (r = %d, want %d)", s, base, r,
		    want);
	unit_expect(v == SENTINEL, "\"%s\" base %u", s, base);
}

static void test_decimal(void **state)
{
	(void)state;
	check_value("0", 10, 0xffff, 0);
	check_value("0\n", 10, 0xffff, 0);
	check_value("7\n", 10, 0xffff, 7);
	check_value("128\n", 10, 0xffff, 128);
	check_value("65535\n", 10, 0xffff, 65535);
	check_value("4294967295", 10, UINT32_MAX, UINT32_MAX);
}

static void test_hex_kernel_formats(void **state)
{
	(void)state;
	/* vendor and device: "0x%04x\n", zero-padded */
	check_value("0x1b36\n", 16, 0xffff, 0x1b36);
	check_value("0x8086\n", 16, 0xffff, 0x8086);
	check_value("0x0001\n", 16, 0xffff, 1);
	check_value("0x0000\n", 16, 0xffff, 0);
	/* sriov_vf_device: "%x\n", no prefix */
	check_value("10ed\n", 16, 0xffff, 0x10ed);
	check_value("0\n", 16, 0xffff, 0);
	check_value("ffff", 16, 0xffff, 0xffff);
	/* Upper case is what strtoul() takes too. */
	check_value("0X1B36", 16, 0xffff, 0x1b36);
	check_value("ABCD\n", 16, 0xffff, 0xabcd);
}

/* Every 16-bit value as the kernel prints it, in all three formats. */
static void test_kernel_formats_round_trip(void **state)
{
	static const char *const formats[] = { "%u\n", "0x%04x\n", "%x\n" };
	static const unsigned int bases[] = { 10, 16, 16 };
	char buf[16];
	uint64_t v;
	unsigned int f, i;
	int n, r;

	(void)state;
	for (f = 0; f < SV_ARRAY_SIZE(formats); f++) {
		for (i = 0; i <= 0xffff; i++) {
			n = snprintf(buf, sizeof(buf), formats[f], i);
			assert_in_range(n, 2, 7);
			v = SENTINEL;
			r = sv_parse_uint(buf, (size_t)n, bases[f], 0xffff, &v);
			unit_expect(r == 0 && v == i, "\"%s\" (r = %d)", buf,
				    r);
		}
	}
}

static void test_rejects_garbage(void **state)
{
	static const char *const bad10[] = {
		" 5", "5 ", "\t5", "5\t", "\n5", "5\n\n", "5\r\n", "5\r",
		"1a", "0x10", "5.0", "1,000", "1_000", "five", "5\v", "5\f",
		"5;", "0b101",
	};
	static const char *const bad16[] = {
		" 0x1b36", "0x1b36 ", "0x 1b36", "0x1b36\n\n", "0x1b36h",
		"1b36g", "0x0x1", "x1b36", "0y1", "#1b36", "1b 36",
		"0x1b36\r\n",
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < SV_ARRAY_SIZE(bad10); i++)
		check_error(bad10[i], 10, UINT64_MAX, -EINVAL);
	for (i = 0; i < SV_ARRAY_SIZE(bad16); i++)
		check_error(bad16[i], 16, UINT64_MAX, -EINVAL);
}

static void test_rejects_empty(void **state)
{
	(void)state;
	check_error("", 10, UINT64_MAX, -EINVAL);
	check_error("\n", 10, UINT64_MAX, -EINVAL);
	check_error("", 16, UINT64_MAX, -EINVAL);
	check_error("\n", 16, UINT64_MAX, -EINVAL);
}

/* "0x" is a prefix, not a number; "0" alone is a digit. */
static void test_prefix_alone(void **state)
{
	(void)state;
	check_error("0x", 16, UINT64_MAX, -EINVAL);
	check_error("0x\n", 16, UINT64_MAX, -EINVAL);
	check_error("0X", 16, UINT64_MAX, -EINVAL);
	check_error("x", 16, UINT64_MAX, -EINVAL);
	check_value("0", 16, UINT64_MAX, 0);
	check_value("0\n", 16, UINT64_MAX, 0);
}

static void test_rejects_signs(void **state)
{
	(void)state;
	check_error("-1", 10, UINT64_MAX, -EINVAL);
	check_error("-0", 10, UINT64_MAX, -EINVAL);
	check_error("+1", 10, UINT64_MAX, -EINVAL);
	check_error("-0x1", 16, UINT64_MAX, -EINVAL);
	check_error("0x-1", 16, UINT64_MAX, -EINVAL);
	check_error("0x+1", 16, UINT64_MAX, -EINVAL);
}

/* No silent wrap-around at 2^64: strtoull's classic trap. */
static void test_overflow(void **state)
{
	(void)state;
	check_value("18446744073709551615", 10, UINT64_MAX, UINT64_MAX);
	check_error("18446744073709551616", 10, UINT64_MAX, -ERANGE);
	check_error("18446744073709551617", 10, UINT64_MAX, -ERANGE);
	check_error("99999999999999999999", 10, UINT64_MAX, -ERANGE);
	check_error("1000000000000000000000000000000000000000", 10,
		     UINT64_MAX, -ERANGE);
	check_value("0xffffffffffffffff", 16, UINT64_MAX, UINT64_MAX);
	check_error("0x10000000000000000", 16, UINT64_MAX, -ERANGE);
	check_error("0x10000000000000001", 16, UINT64_MAX, -ERANGE);
	/* Leading zeros are not magnitude. */
	check_value("0000000000000000000000000000000000000001", 10,
		     UINT64_MAX, 1);
	check_value("0x00000000000000000000000000000000ffffffffffffffff", 16,
		     UINT64_MAX, UINT64_MAX);
}

/*
 * Values above @max fail with -ERANGE. Here @max is at least the largest
 * digit; the cases below it are in test_small_max.
 */
static void test_above_max(void **state)
{
	(void)state;
	check_value("65535", 10, 0xffff, 0xffff);
	check_error("65536", 10, 0xffff, -ERANGE);
	check_error("65536\n", 10, 0xffff, -ERANGE);
	check_error("100000", 10, 0xffff, -ERANGE);
	check_value("0xffff", 16, 0xffff, 0xffff);
	check_error("0x10000", 16, 0xffff, -ERANGE);
	check_error("10000\n", 16, 0xffff, -ERANGE);
	check_value("255", 10, 255, 255);
	check_error("256", 10, 255, -ERANGE);
	check_value("100", 10, 100, 100);
	check_error("101", 10, 100, -ERANGE);
	check_value("4294967295", 10, UINT32_MAX, UINT32_MAX);
	check_error("4294967296", 10, UINT32_MAX, -ERANGE);
}

/*
 * sriov_drivers_autoprobe is read with max 1. With max below the digit, the
 * bound check computes max - digit in unsigned arithmetic, which wraps, so
 * the digit passes: "2" with max 1 parses as 2.
 */
static void test_small_max(void **state)
{
	(void)state;
	check_value("0", 10, 1, 0);
	check_value("1\n", 10, 1, 1);
	check_error("2\n", 10, 1, -ERANGE);
	check_error("9", 10, 1, -ERANGE);
	check_error("12", 10, 1, -ERANGE);
	check_error("1", 10, 0, -ERANGE);
	check_error("a", 16, 9, -ERANGE);
}

/*
 * The parser owns exactly @len bytes: digits after them are not part of the
 * number, and a NUL inside them is not a terminator.
 */
static void test_length_is_the_end(void **state)
{
	static const char digits[] = "1234567";
	static const char hex[] = "0x1b36ffff";
	static const char nl[] = "42\n99";
	static const char nul[] = "1\0002";
	uint64_t v;

	(void)state;
	v = SENTINEL;
	assert_int_equal(sv_parse_uint(digits, 3, 10, UINT64_MAX, &v), 0);
	assert_int_equal(v, 123);
	assert_int_equal(sv_parse_uint(hex, 6, 16, UINT64_MAX, &v), 0);
	assert_int_equal(v, 0x1b36);
	assert_int_equal(sv_parse_uint(nl, 3, 10, UINT64_MAX, &v), 0);
	assert_int_equal(v, 42);
	/* "0x" then digits: len 2 must not peek at them. */
	v = SENTINEL;
	assert_int_equal(sv_parse_uint(hex, 2, 16, UINT64_MAX, &v), -EINVAL);
	assert_int_equal(sv_parse_uint(digits, 0, 10, UINT64_MAX, &v), -EINVAL);
	assert_int_equal(sv_parse_uint(nul, 3, 10, UINT64_MAX, &v), -EINVAL);
	assert_int_equal(sv_parse_uint(nul, 2, 10, UINT64_MAX, &v), -EINVAL);
	assert_int_equal(v, SENTINEL);
	/* "65536" cut to "6553" is in range: the cut is where reading stops. */
	assert_int_equal(sv_parse_uint("65536", 4, 10, 0xffff, &v), 0);
	assert_int_equal(v, 6553);
}

static void test_bad_arguments(void **state)
{
	static const unsigned int bases[] = { 0, 1, 2, 8, 15, 17, 36 };
	uint64_t v = SENTINEL;
	unsigned int i;

	(void)state;
	assert_int_equal(sv_parse_uint(NULL, 1, 10, UINT64_MAX, &v), -EINVAL);
	assert_int_equal(sv_parse_uint("1", 1, 10, UINT64_MAX, NULL), -EINVAL);
	for (i = 0; i < SV_ARRAY_SIZE(bases); i++)
		unit_expect(sv_parse_uint("1", 1, bases[i], UINT64_MAX, &v) ==
			    -EINVAL, "base %u", bases[i]);
	assert_int_equal(v, SENTINEL);
}

/* VF tokens: the shape the kernel's uuid_parse() takes, nothing else. */
static void test_uuid(void **state)
{
	static const char *const good[] = {
		"6f1b3cf1-2a5c-4b6e-9d1f-0a1b2c3d4e5f",
		"00000000-0000-0000-0000-000000000000",
		"ABCDEF01-2345-6789-abcd-EF0123456789",
	};
	static const char *const bad[] = {
		"", "6f1b3cf1-2a5c-4b6e-9d1f-0a1b2c3d4e5", /* short */
		"6f1b3cf1-2a5c-4b6e-9d1f-0a1b2c3d4e5f0", /* long */
		"6f1b3cf1x2a5c-4b6e-9d1f-0a1b2c3d4e5f", /* no dash */
		"6f1b3cf1-2a5c-4b6e-9d1f-0a1b2c3d4e5g", /* not hex */
		"6f1b3cf1-2a5c-4b6e-9d1f0-a1b2c3d4e5f", /* dash moved */
		" 6f1b3cf1-2a5c-4b6e-9d1f-0a1b2c3d4e5",
	};
	size_t i;

	(void)state;
	for (i = 0; i < SV_ARRAY_SIZE(good); i++)
		unit_expect(sv_uuid_valid(good[i]), "%s", good[i]);
	for (i = 0; i < SV_ARRAY_SIZE(bad); i++)
		unit_expect(!sv_uuid_valid(bad[i]), "'%s'", bad[i]);
	assert_false(sv_uuid_valid(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decimal),
		cmocka_unit_test(test_hex_kernel_formats),
		cmocka_unit_test(test_kernel_formats_round_trip),
		cmocka_unit_test(test_rejects_garbage),
		cmocka_unit_test(test_rejects_empty),
		cmocka_unit_test(test_prefix_alone),
		cmocka_unit_test(test_rejects_signs),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_above_max),
		cmocka_unit_test(test_small_max),
		cmocka_unit_test(test_length_is_the_end),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_uuid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
