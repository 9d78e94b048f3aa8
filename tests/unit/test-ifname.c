// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sv_ifname_valid(): sriovvirt_pf_open() takes a PCI address or a network
 * interface name, and the name becomes a path component below class/net.
 * The rules are the kernel's dev_valid_name() (net/core/dev.c): not empty,
 * shorter than IFNAMSIZ (16), not "." or "..", no '/', ':' or white space.
 */

#include "unit.h"

static void test_valid(void **state)
{
	static const char *const good[] = {
		"eth0", "enp1s0f0", "enp59s0f1v3", "ens1f0np0", "a", "0",
		"abcdefghijklmno",	/* 15: the longest */
		"eth0.100",		/* VLAN devices */
		"br-lan", "wg_0", "veth@1", "...", ".a", "a.", "-", "lo",
		"eth\xc3\xa9",		/* UTF-8 is only bytes to the kernel */
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < SV_ARRAY_SIZE(good); i++)
		unit_expect(sv_ifname_valid(good[i]), "\"%s\"", good[i]);
}

static void test_length(void **state)
{
	char name[64];
	size_t len;

	(void)state;
	for (len = 1; len < sizeof(name); len++) {
		memset(name, 'x', len);
		name[len] = '\0';
		unit_expect(sv_ifname_valid(name) == (len < 16), "length %zu",
			    len);
	}
	assert_false(sv_ifname_valid(""));
}

static void test_dots(void **state)
{
	(void)state;
	/* They would name the directory itself or its parent. */
	assert_false(sv_ifname_valid("."));
	assert_false(sv_ifname_valid(".."));
}

static void test_forbidden_characters(void **state)
{
	static const char *const bad[] = {
		"eth/0", "/", "../eth0", "eth0/", "eth0:1", ":", "eth0:",
		" eth0", "eth0 ", "et h0", "\teth0", "eth0\n", "eth\v0",
		"eth\f0", "eth\r0", " ",
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < SV_ARRAY_SIZE(bad); i++)
		unit_expect(!sv_ifname_valid(bad[i]), "\"%s\"", bad[i]);
}

/*
 * The kernel's isspace() is Latin-1: 0xa0 (no-break space) counts, so
 * dev_valid_name() refuses it; sv_ifname_valid() accepts it.
 */
static void test_latin1_space(void **state)
{
	(void)state;
	assert_false(sv_ifname_valid("eth\xa0" "0"));
}

static void test_null(void **state)
{
	(void)state;
	assert_false(sv_ifname_valid(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_dots),
		cmocka_unit_test(test_forbidden_characters),
		cmocka_unit_test(test_latin1_space),
		cmocka_unit_test(test_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
