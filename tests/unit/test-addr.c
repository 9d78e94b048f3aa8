// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sriovvirt_pci_addr_parse() and sriovvirt_pci_addr_format(). Device paths
 * are built only from parsed and re-formatted addresses, so the parser is
 * what keeps a caller's string (say "../../etc") out of every path.
 */

#include <errno.h>

#include "unit.h"

static const struct sriovvirt_pci_addr poison = {
	.domain = 0xdeadbeef,
	.bus = 0xa5,
	.device = 0xa5,
	.function = 0xa5,
};

static bool addr_equal(const struct sriovvirt_pci_addr *a,
		       const struct sriovvirt_pci_addr *b)
{
	return a->domain == b->domain && a->bus == b->bus &&
	       a->device == b->device && a->function == b->function;
}

static void check_addr(const char *s, uint32_t domain, uint8_t bus,
			uint8_t device, uint8_t function)
{
	struct sriovvirt_pci_addr a = poison;
	int r = sriovvirt_pci_addr_parse(s, &a);

	unit_expect(r == 0, "\"%s\" (r = %d)", s, r);
	unit_expect(a.domain == domain && a.bus == bus && a.device == device &&
		    a.function == function,
		    "\"%s\" (got %x:%x:%x.%x)", s, a.domain, a.bus, a.device,
		    a.function);
}

static void check_invalid(const char *s)
{
	struct sriovvirt_pci_addr a = poison;
	int r = sriovvirt_pci_addr_parse(s, &a);

	unit_expect(r == -EINVAL, "\"%s\" (r = %d)", s, r);
	unit_expect(addr_equal(&a, &poison), "\"%s\"", s);
}

static void test_parse_full(void **state)
{
	(void)state;
	check_addr("0000:3b:00.0", 0, 0x3b, 0, 0);
	check_addr("0000:00:04.0", 0, 0, 4, 0);
	check_addr("0000:01:10.1", 0, 1, 0x10, 1);
	check_addr("0000:ff:1f.7", 0, 0xff, 0x1f, 7);
	check_addr("0001:82:00.3", 1, 0x82, 0, 3);
	/* Intel VMD puts its domains at 0x10000 and up. */
	check_addr("10000:e1:00.0", 0x10000, 0xe1, 0, 0);
	check_addr("ffffffff:ff:1f.7", 0xffffffff, 0xff, 0x1f, 7);
}

static void test_parse_short(void **state)
{
	(void)state;
	check_addr("3b:00.0", 0, 0x3b, 0, 0);
	check_addr("00:1f.7", 0, 0, 0x1f, 7);
	/* Fields of one digit, as in "0:3:1.2", are documented too. */
	check_addr("0:3:1.2", 0, 3, 1, 2);
	check_addr("3:1.2", 0, 3, 1, 2);
}

static void test_parse_case(void **state)
{
	(void)state;
	check_addr("0000:3B:1F.7", 0, 0x3b, 0x1f, 7);
	check_addr("ABCDEF01:aB:0c.5", 0xabcdef01, 0xab, 0x0c, 5);
	check_addr("dEaD:Be:0F.1", 0xdead, 0xbe, 0x0f, 1);
}

static void test_parse_rejects(void **state)
{
	static const char *const bad[] = {
		"", "../../etc", "../../../etc/passwd", "0000:3b:00.0/../..",
		"0000:zz:00.0", "0000:3g:00.0", "1:2:3:4", "1:2:3:4.0",
		"0000:00:20.0", "0000:00:ff.0", "0000:3b:00.8",
		"0000:3b:00.9", "0000:3b:00.a", "0000:3b:00.f",
		"0000:3b:00.0 ", " 0000:3b:00.0", "0000:3b:00.0\n",
		"0000:3b:00.0x", "0000:3b:00.00", "0000:3b:000.0",
		"0000:03b:00.0", "000000000:3b:00.0", "0000:3b:00",
		"0000:3b.00.0", "0000.3b:00.0", ":3b:00.0", "0000::00.0",
		"0000:3b:.0", "0000:3b:00.", "3b:00", "3b", "3b.0", ":",
		"::", "+3b:00.0", "-1:00.0", "0x3b:00.0", "0000:3b:00.-1",
		"0000:3b:00.+1", "0000:-3b:00.0", "0000:3b:00:0",
		"0000:3b:00.0.0", "3b:00.0:", "eth0", "enp1s0f0",
		"0000:3b:00.0\t", "0000 :3b:00.0",
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < SV_ARRAY_SIZE(bad); i++)
		check_invalid(bad[i]);
}

/* Long inputs fail on their length, not on a fixed buffer. */
static void test_parse_very_long(void **state)
{
	size_t len = 1 << 16;
	char *s = malloc(len + 1);

	(void)state;
	assert_non_null(s);
	memset(s, '0', len);
	s[len] = '\0';
	check_invalid(s);
	/* An address at the end of a long domain. */
	memcpy(s + len - 6, ":00.0", 6);
	check_invalid(s);
	memcpy(s + len - 9, ":00:00.0", 9);
	check_invalid(s);
	/* Eight digits is the limit: nine fail, even if all are zeros. */
	check_invalid("000000000:00:00.0");
	check_addr("00000000:00:00.0", 0, 0, 0, 0);
	free(s);
}

static void test_parse_null(void **state)
{
	struct sriovvirt_pci_addr a = poison;

	(void)state;
	assert_int_equal(sriovvirt_pci_addr_parse(NULL, &a), -EINVAL);
	assert_int_equal(sriovvirt_pci_addr_parse("0000:3b:00.0", NULL),
			 -EINVAL);
	assert_true(addr_equal(&a, &poison));
}

static void check_format(uint32_t domain, uint8_t bus, uint8_t device,
			  uint8_t function, const char *want)
{
	struct sriovvirt_pci_addr a = { domain, bus, device, function };
	char buf[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	int r;

	r = sriovvirt_pci_addr_format(&a, buf, sizeof(buf));
	unit_expect(r == 0, "\"%s\" (r = %d)", want, r);
	unit_expect(!strcmp(buf, want), "\"%s\" (got \"%s\")", want, buf);
}

static void test_format(void **state)
{
	(void)state;
	check_format(0, 0x3b, 0, 0, "0000:3b:00.0");
	check_format(0, 0, 4, 0, "0000:00:04.0");
	check_format(1, 0x82, 0x1f, 7, "0001:82:1f.7");
	check_format(0x10000, 0xe1, 0, 0, "10000:e1:00.0");
	/* The longest address fits the documented buffer size. */
	check_format(0xffffffff, 0xff, 0x1f, 7, "ffffffff:ff:1f.7");
}

static void test_format_buffer_size(void **state)
{
	struct sriovvirt_pci_addr a = { 0, 0x3b, 0, 0 };
	struct sriovvirt_pci_addr big = { 0xffffffff, 0xff, 0x1f, 7 };
	char buf[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	char *exact;

	(void)state;
	/* "0000:3b:00.0" is 12 characters: 13 bytes fit, 12 do not. */
	exact = malloc(13);
	assert_non_null(exact);
	assert_int_equal(sriovvirt_pci_addr_format(&a, exact, 13), 0);
	assert_string_equal(exact, "0000:3b:00.0");
	free(exact);
	assert_int_equal(sriovvirt_pci_addr_format(&a, buf, 12), -ERANGE);
	assert_int_equal(sriovvirt_pci_addr_format(&a, buf, 1), -ERANGE);
	assert_int_equal(sriovvirt_pci_addr_format(&a, buf, 0), -ERANGE);
	assert_int_equal(sriovvirt_pci_addr_format(&big, buf, 16), -ERANGE);
	assert_int_equal(sriovvirt_pci_addr_format(&big, buf, 17), 0);
	assert_string_equal(buf, "ffffffff:ff:1f.7");
}

/*
 * The header's convention: output parameters are left untouched on failure.
 * snprintf() writes the truncated text before -ERANGE is returned.
 */
static void test_format_untouched_on_failure(void **state)
{
	struct sriovvirt_pci_addr a = { 0, 0x3b, 0, 0 };
	char buf[12];

	(void)state;
	memset(buf, 'Z', sizeof(buf));
	assert_int_equal(sriovvirt_pci_addr_format(&a, buf, sizeof(buf)),
			 -ERANGE);
	assert_int_equal(buf[0], 'Z');
}

static void test_format_invalid(void **state)
{
	struct sriovvirt_pci_addr a = { 0, 0, 0x20, 0 };
	struct sriovvirt_pci_addr b = { 0, 0, 0, 8 };
	struct sriovvirt_pci_addr ok = { 0, 0, 0, 0 };
	char buf[SRIOVVIRT_PCI_ADDR_BUFSIZE];

	(void)state;
	assert_int_equal(sriovvirt_pci_addr_format(&a, buf, sizeof(buf)),
			 -EINVAL);
	assert_int_equal(sriovvirt_pci_addr_format(&b, buf, sizeof(buf)),
			 -EINVAL);
	assert_int_equal(sriovvirt_pci_addr_format(NULL, buf, sizeof(buf)),
			 -EINVAL);
	assert_int_equal(sriovvirt_pci_addr_format(&ok, NULL, sizeof(buf)),
			 -EINVAL);
}

/* Every bus, device and function, in a few domains: format, then parse. */
static void test_round_trip(void **state)
{
	static const uint32_t domains[] = { 0, 1, 0xffff, 0x10000, 0xffffffff };
	struct sriovvirt_pci_addr a, back;
	char buf[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	unsigned int d, bus, devfn;

	(void)state;
	for (d = 0; d < SV_ARRAY_SIZE(domains); d++) {
		for (bus = 0; bus < 256; bus++) {
			for (devfn = 0; devfn < 256; devfn++) {
				a.domain = domains[d];
				a.bus = (uint8_t)bus;
				a.device = (uint8_t)(devfn >> 3);
				a.function = (uint8_t)(devfn & 7);
				assert_int_equal(sriovvirt_pci_addr_format(&a,
					buf, sizeof(buf)), 0);
				back = poison;
				assert_int_equal(sriovvirt_pci_addr_parse(buf,
					&back), 0);
				unit_expect(addr_equal(&a, &back), "\"%s\"",
					    buf);
			}
		}
	}
}

/* Parsing then formatting gives the canonical sysfs name. */
static void test_canonical(void **state)
{
	static const char *const in[][2] = {
		{ "3B:1F.7", "0000:3b:1f.7" },
		{ "0:3:1.2", "0000:03:01.2" },
		{ "00000001:0a:0b.0", "0001:0a:0b.0" },
		{ "Ab:c:D.4", "00ab:0c:0d.4" },
	};
	struct sriovvirt_pci_addr a;
	char buf[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	unsigned int i;

	(void)state;
	for (i = 0; i < SV_ARRAY_SIZE(in); i++) {
		assert_int_equal(sriovvirt_pci_addr_parse(in[i][0], &a), 0);
		assert_int_equal(sriovvirt_pci_addr_format(&a, buf,
							   sizeof(buf)), 0);
		unit_expect(!strcmp(buf, in[i][1]), "\"%s\" (got \"%s\")",
			    in[i][0], buf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_full),
		cmocka_unit_test(test_parse_short),
		cmocka_unit_test(test_parse_case),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_parse_very_long),
		cmocka_unit_test(test_parse_null),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_buffer_size),
		cmocka_unit_test(test_format_untouched_on_failure),
		cmocka_unit_test(test_format_invalid),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_canonical),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
