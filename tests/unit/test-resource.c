// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sv_parse_resource_line() and sv_parse_resource_file(): the sysfs resource
 * file, which the probed-BAR and BAR-resource calls are computed from. The
 * kernel (drivers/pci/pci-sysfs.c resource_show) prints one line per
 * resource, "0x%016llx 0x%016llx 0x%016llx\n" (start, end, flags): 13 lines
 * for a device (6 BARs, the ROM, 6 VF BAR apertures), 17 for a bridge (its 4
 * windows follow).
 */

#include <errno.h>
#include <stdio.h>

#include "unit.h"

/* Real lines: a QEMU NVMe PF's 16 KiB 64-bit BAR, an I/O BAR, a 64-bit
 * prefetchable BAR high above 4 GiB, an unused resource. */
#define LINE_MEM64 "0x00000000fe800000 0x00000000fe803fff 0x0000000000140204"
#define LINE_IO "0x000000000000c000 0x000000000000c03f 0x0000000000040101"
#define LINE_PREF "0x0000383ffff00000 0x0000383fffffffff 0x000000000014220c"
#define LINE_ZERO "0x0000000000000000 0x0000000000000000 0x0000000000000000"

/* Lines 7 and 8: VF BAR 0 aperture of 8 VFs (8 x 16 KiB) and the upper half. */
#define LINE_VF_APERTURE \
	"0x00000000fe600000 0x00000000fe61ffff 0x0000000000140204"

/* Bridge windows, lines 13..16. */
#define LINE_WIN_IO "0x0000000000001000 0x0000000000001fff 0x0000000000000101"
#define LINE_WIN_MEM "0x00000000fe400000 0x00000000fe5fffff 0x0000000000000200"
#define LINE_WIN_PREF \
	"0x0000000fe0000000 0x0000000fefffffff 0x0000000000102201"

#define NL "\n"

static const char pf_file[] =
	LINE_MEM64 NL LINE_ZERO NL LINE_ZERO NL LINE_ZERO NL LINE_ZERO NL
	LINE_ZERO NL LINE_ZERO NL LINE_VF_APERTURE NL LINE_ZERO NL LINE_ZERO NL
	LINE_ZERO NL LINE_ZERO NL LINE_ZERO NL;

static const char bridge_file[] =
	LINE_ZERO NL LINE_ZERO NL LINE_ZERO NL LINE_ZERO NL LINE_ZERO NL
	LINE_ZERO NL LINE_ZERO NL LINE_ZERO NL LINE_ZERO NL LINE_ZERO NL
	LINE_ZERO NL LINE_ZERO NL LINE_ZERO NL LINE_WIN_IO NL LINE_WIN_MEM NL
	LINE_WIN_PREF NL LINE_ZERO NL;

static const struct sv_resource poison = {
	.start = 0xdeadbeefdeadbeefull,
	.end = 0xdeadbeefdeadbeefull,
	.flags = 0xdeadbeefdeadbeefull,
};

static bool res_equal(const struct sv_resource *a, const struct sv_resource *b)
{
	return a->start == b->start && a->end == b->end && a->flags == b->flags;
}

/* Parses the line @s from an exact-length copy (no NUL after it). */
static int parse_line(const char *s, size_t len, struct sv_resource *ret)
{
	char *copy = unit_exact_copy(s, len);
	int r;

	r = sv_parse_resource_line(copy, len, ret);
	free(copy);
	return r;
}

static int parse_file(const char *s, size_t len, struct sv_resource *res,
		      size_t max, size_t *ret_count)
{
	char *copy = unit_exact_copy(s, len);
	int r;

	r = sv_parse_resource_file(copy, len, res, max, ret_count);
	free(copy);
	return r;
}

static void check_line(const char *s, uint64_t start, uint64_t end,
			uint64_t flags)
{
	struct sv_resource res = poison;
	int r = parse_line(s, strlen(s), &res);

	unit_expect(r == 0, "\"%s\" (r = %d)", s, r);
	unit_expect(res.start == start && res.end == end && res.flags == flags,
		    "\"%s\"", s);
}

static void check_bad_line(const char *s, size_t len, int want)
{
	struct sv_resource res = poison;
	int r = parse_line(s, len, &res);

	unit_expect(r == want, "\"%.*s\" (r = %d, want %d)", (int)len, s, r,
		    want);
	unit_expect(res_equal(&res, &poison), "\"%.*s\"", (int)len, s);
}

static void test_real_lines(void **state)
{
	(void)state;
	check_line(LINE_MEM64 NL, 0xfe800000, 0xfe803fff, 0x140204);
	check_line(LINE_IO NL, 0xc000, 0xc03f, 0x40101);
	check_line(LINE_PREF NL, 0x383ffff00000ull, 0x383fffffffffull,
		    0x14220c);
	/* The file parser hands over lines without their newline. */
	check_line(LINE_MEM64, 0xfe800000, 0xfe803fff, 0x140204);
}

/* An unimplemented BAR: the kernel prints zeros and the line is valid. */
static void test_all_zero_line(void **state)
{
	(void)state;
	check_line(LINE_ZERO NL, 0, 0, 0);
	check_line(LINE_ZERO, 0, 0, 0);
}

static void test_extreme_values(void **state)
{
	(void)state;
	check_line("0xffffffffffffffff 0xffffffffffffffff 0xffffffffffffffff\n",
		    UINT64_MAX, UINT64_MAX, UINT64_MAX);
	/* A one-byte resource: end == start. */
	check_line("0x0000000000001000 0x0000000000001000 0x0000000000000101\n",
		    0x1000, 0x1000, 0x101);
}

static void test_end_before_start(void **state)
{
	(void)state;
	check_bad_line("0x0000000000001000 0x0000000000000fff 0x0000000000000200\n",
			57, -EINVAL);
	check_bad_line("0xffffffffffffffff 0x0000000000000000 0x0000000000000200\n",
			57, -EINVAL);
}

static void test_malformed_lines(void **state)
{
	static const char *const bad[] = {
		"",
		"\n",
		"0x00000000fe800000 0x00000000fe803fff",
		"0x00000000fe800000 0x00000000fe803fff\n",
		"0x00000000fe800000 0x00000000fe803fff 0x0000000000140204 0x0000000000000000",
		"0x00000000fe800000  0x00000000fe803fff 0x0000000000140204",
		" 0x00000000fe800000 0x00000000fe803fff 0x0000000000140204",
		"0x00000000fe800000 0x00000000fe803fff 0x0000000000140204 ",
		"0x00000000fe800000 0x00000000fe803fff 0x0000000000140204 \n",
		"0x00000000fe800000\t0x00000000fe803fff\t0x0000000000140204",
		"0x00000000fe800000,0x00000000fe803fff,0x0000000000140204",
		"00000000fe800000 0x00000000fe803fff 0x0000000000140204",
		"0x00000000fe800000 0x00000000fe803fff 0000000000140204",
		"0X00000000fe800000 0x00000000fe803fff 0x0000000000140204",
		"0x 0x00000000fe803fff 0x0000000000140204",
		"0x00000000fe800000 0x 0x0000000000140204",
		"0x00000000fe800000 0x00000000fe803fff 0x",
		"0x00000000fe80000g 0x00000000fe803fff 0x0000000000140204",
		"-0x0000000000000001 0x00000000fe803fff 0x0000000000140204",
		"0x00000000fe800000 0x00000000fe803fff 0x0000000000140204\r\n",
		"4269801472 4269817855 1311236",
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < SV_ARRAY_SIZE(bad); i++)
		check_bad_line(bad[i], strlen(bad[i]), -EINVAL);
}

/* A NUL inside the line is a bad character, not its end. */
static void test_embedded_nul(void **state)
{
	static const char line[] = LINE_MEM64;
	char buf[sizeof(line)];

	(void)state;
	memcpy(buf, line, sizeof(line));
	buf[40] = '\0';
	check_bad_line(buf, sizeof(line) - 1, -EINVAL);
}

/* 17 hex digits do not fit: refused, not wrapped. */
static void test_overflowing_field(void **state)
{
	static const char line[] =
		"0x10000000000000000 0x10000000000003fff 0x0000000000140204";
	struct sv_resource res = poison;

	(void)state;
	assert_true(parse_line(line, sizeof(line) - 1, &res) < 0);
	assert_true(res_equal(&res, &poison));
}

/*
 * The line parser strips one trailing newline, then hands the last field to
 * sv_parse_uint(), which strips another: a line ending "\n\n", or a field
 * followed by a newline inside the line, is accepted. Not reachable through
 * sv_parse_resource_file(), which splits at every newline.
 */
static void test_extra_newlines(void **state)
{
	(void)state;
	check_bad_line(LINE_ZERO "\n\n", strlen(LINE_ZERO) + 2, -EINVAL);
	check_bad_line("0x1\n 0x2 0x3", 12, -EINVAL);
}

static void test_line_bad_arguments(void **state)
{
	struct sv_resource res = poison;

	(void)state;
	assert_int_equal(sv_parse_resource_line(NULL, 5, &res), -EINVAL);
	assert_int_equal(sv_parse_resource_line(LINE_ZERO, strlen(LINE_ZERO),
						NULL), -EINVAL);
	assert_true(res_equal(&res, &poison));
}

static void test_file_device(void **state)
{
	struct sv_resource res[13];
	size_t count = 99, i;

	(void)state;
	assert_int_equal(parse_file(pf_file, sizeof(pf_file) - 1, res, 13,
				    &count), 0);
	assert_int_equal(count, 13);
	assert_int_equal(res[0].start, 0xfe800000);
	assert_int_equal(res[0].end, 0xfe803fff);
	assert_int_equal(res[0].flags, 0x140204);
	assert_int_equal(res[7].start, 0xfe600000);
	assert_int_equal(res[7].end, 0xfe61ffff);
	assert_int_equal(res[7].flags, 0x140204);
	for (i = 1; i < 13; i++) {
		if (i == 7)
			continue;
		unit_expect(!res[i].start && !res[i].end && !res[i].flags,
			    "line %zu", i);
	}
}

static void test_file_bridge(void **state)
{
	struct sv_resource res[20];
	size_t count = 99;

	(void)state;
	/* What the library asks for: the first 13 lines of the 17. */
	assert_int_equal(parse_file(bridge_file, sizeof(bridge_file) - 1, res,
				    13, &count), 0);
	assert_int_equal(count, 13);
	assert_int_equal(parse_file(bridge_file, sizeof(bridge_file) - 1, res,
				    SV_ARRAY_SIZE(res), &count), 0);
	assert_int_equal(count, 17);
	assert_int_equal(res[13].start, 0x1000);
	assert_int_equal(res[13].end, 0x1fff);
	assert_int_equal(res[13].flags, 0x101);
	assert_int_equal(res[14].end, 0xfe5fffff);
	assert_int_equal(res[15].start, 0xfe0000000ull);
	assert_int_equal(res[15].end, 0xfefffffffull);
	assert_int_equal(res[15].flags, 0x102201);
	assert_int_equal(res[16].flags, 0);
}

/* Asked for 6 of 13 lines: 6 are filled and nothing past them is written. */
static void test_file_more_lines_than_max(void **state)
{
	struct sv_resource res[8];
	size_t count = 99, i;

	(void)state;
	for (i = 0; i < SV_ARRAY_SIZE(res); i++)
		res[i] = poison;
	assert_int_equal(parse_file(pf_file, sizeof(pf_file) - 1, res, 6,
				    &count), 0);
	assert_int_equal(count, 6);
	assert_int_equal(res[0].end, 0xfe803fff);
	assert_true(res_equal(&res[6], &poison));
	assert_true(res_equal(&res[7], &poison));
}

static void test_file_empty(void **state)
{
	struct sv_resource res[1] = { poison };
	size_t count = 99;

	(void)state;
	assert_int_equal(parse_file("", 0, res, 1, &count), 0);
	assert_int_equal(count, 0);
	assert_true(res_equal(&res[0], &poison));
	/* Nothing asked for: nothing parsed and no array needed. */
	assert_int_equal(sv_parse_resource_file(pf_file, sizeof(pf_file) - 1,
						NULL, 0, &count), 0);
	assert_int_equal(count, 0);
}

/* A failure leaves the count alone; the array may be partly filled. */
static void check_bad_file(const char *s, size_t len, size_t max)
{
	struct sv_resource res[20];
	size_t count = 99;
	int r;

	r = parse_file(s, len, res, max, &count);
	unit_expect(r < 0, "a %zu-byte file, max %zu (r = %d)", len, max, r);
	unit_expect(count == 99, "a %zu-byte file, max %zu", len, max);
}

static void test_file_truncated(void **state)
{
	size_t len = sizeof(pf_file) - 1;

	(void)state;
	/* Every line ends in a newline; a read cut short does not. */
	check_bad_file(pf_file, len - 1, 13);
	check_bad_file(pf_file, len - 20, 13);
	check_bad_file(pf_file, 56, 13);
	check_bad_file(pf_file, 10, 13);
}

static void test_file_bad_line(void **state)
{
	static const char bad_middle[] =
		LINE_MEM64 NL LINE_ZERO NL "0x0 0x0 garbage" NL LINE_ZERO NL;
	static const char blank[] = LINE_MEM64 NL NL LINE_ZERO NL;
	static const char crlf[] = LINE_MEM64 "\r\n" LINE_ZERO "\r\n";
	static const char backwards[] =
		LINE_ZERO NL
		"0x00000000fe804000 0x00000000fe803fff 0x0000000000140204" NL;

	(void)state;
	check_bad_file(bad_middle, sizeof(bad_middle) - 1, 13);
	check_bad_file(blank, sizeof(blank) - 1, 13);
	check_bad_file(crlf, sizeof(crlf) - 1, 13);
	check_bad_file(backwards, sizeof(backwards) - 1, 13);
}

static void test_file_bad_arguments(void **state)
{
	struct sv_resource res[1];
	size_t count = 99;

	(void)state;
	assert_int_equal(sv_parse_resource_file(NULL, 0, res, 1, &count),
			 -EINVAL);
	assert_int_equal(sv_parse_resource_file(pf_file, sizeof(pf_file) - 1,
						res, 1, NULL), -EINVAL);
	assert_int_equal(sv_parse_resource_file(pf_file, sizeof(pf_file) - 1,
						NULL, 1, &count), -EINVAL);
	assert_int_equal(count, 99);
}

/* A small PRNG, so every run checks the same values. */
static uint64_t xorshift64(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Appends one line as resource_show() prints it. */
static size_t print_line(char *buf, size_t size, const struct sv_resource *r)
{
	int n = snprintf(buf, size, "0x%016llx 0x%016llx 0x%016llx\n",
			 (unsigned long long)r->start,
			 (unsigned long long)r->end,
			 (unsigned long long)r->flags);

	assert_int_equal(n, 57);
	return (size_t)n;
}

/* Whatever the kernel's format string prints comes back unchanged. */
static void test_file_round_trip(void **state)
{
	enum { LINES = 17 };
	struct sv_resource want[LINES], got[LINES];
	char file[LINES * 64];
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	size_t len, count, i;
	int round;

	(void)state;
	for (round = 0; round < 200; round++) {
		len = 0;
		for (i = 0; i < LINES; i++) {
			uint64_t a = xorshift64(&seed), b = xorshift64(&seed);

			want[i].start = a < b ? a : b;
			want[i].end = a < b ? b : a;
			want[i].flags = xorshift64(&seed) >> (i * 3);
			len += print_line(file + len, sizeof(file) - len,
					  &want[i]);
		}
		assert_int_equal(parse_file(file, len, got, LINES, &count), 0);
		assert_int_equal(count, LINES);
		for (i = 0; i < LINES; i++)
			unit_expect(res_equal(&got[i], &want[i]),
				    "round %d line %zu", round, i);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_lines),
		cmocka_unit_test(test_all_zero_line),
		cmocka_unit_test(test_extreme_values),
		cmocka_unit_test(test_end_before_start),
		cmocka_unit_test(test_malformed_lines),
		cmocka_unit_test(test_embedded_nul),
		cmocka_unit_test(test_overflowing_field),
		cmocka_unit_test(test_extra_newlines),
		cmocka_unit_test(test_line_bad_arguments),
		cmocka_unit_test(test_file_device),
		cmocka_unit_test(test_file_bridge),
		cmocka_unit_test(test_file_more_lines_than_max),
		cmocka_unit_test(test_file_empty),
		cmocka_unit_test(test_file_truncated),
		cmocka_unit_test(test_file_bad_line),
		cmocka_unit_test(test_file_bad_arguments),
		cmocka_unit_test(test_file_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
