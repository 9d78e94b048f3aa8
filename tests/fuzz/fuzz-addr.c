/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sriovvirt_pci_addr_parse() and sriovvirt_pci_addr_format(). Every device
 * path is built from a parsed address formatted again, so the parser must
 * accept exactly the documented grammar and the two must round-trip.
 *
 * The input, as a string, is checked against a POSIX regex of that grammar:
 * a second implementation that shares no code with the hand-written parser.
 * Its first 7 bytes, as a struct, exercise the formatter on any value.
 */

#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sriovvirt.h"
#include "fuzz.h"

/* sriovvirt.h: "DDDD:BB:DD.F" (domain 1-8 digits) or "BB:DD.F". */
#define ADDR_GRAMMAR                                                           \
	"^(([0-9a-fA-F]{1,8}):)?([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\\.([0-7])$"
/* What sysfs names devices: "%04x:%02x:%02x.%x". */
#define CANONICAL "^[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]$"

static regex_t grammar, canonical;

static void compile_once(void)
{
	static int done;

	if (done)
		return;
	FUZZ_CHECK(regcomp(&grammar, ADDR_GRAMMAR, REG_EXTENDED) == 0);
	FUZZ_CHECK(regcomp(&canonical, CANONICAL, REG_EXTENDED | REG_NOSUB) == 0);
	done = 1;
}

static uint32_t group_value(const char *s, const regmatch_t *m)
{
	char buf[16];
	size_t n = (size_t)(m->rm_eo - m->rm_so);

	if (m->rm_so < 0)
		return 0;	/* the optional domain is absent */
	FUZZ_CHECK(n < sizeof(buf));
	memcpy(buf, s + m->rm_so, n);
	buf[n] = '\0';
	return (uint32_t)strtoul(buf, NULL, 16);
}

static int addr_equal(const struct sriovvirt_pci_addr *a,
		      const struct sriovvirt_pci_addr *b)
{
	return a->domain == b->domain && a->bus == b->bus &&
	       a->device == b->device && a->function == b->function;
}

/* @a is valid: it formats canonically, at any buffer size, and parses back. */
static void check_format(const struct sriovvirt_pci_addr *a)
{
	char buf[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	struct sriovvirt_pci_addr back;
	size_t len, size;
	char *small;
	int r;

	memset(buf, FUZZ_POISON, sizeof(buf));
	FUZZ_CHECK(sriovvirt_pci_addr_format(a, buf, sizeof(buf)) == 0);
	len = strnlen(buf, sizeof(buf));
	FUZZ_CHECK(len < sizeof(buf));
	FUZZ_CHECK(regexec(&canonical, buf, 0, NULL, 0) == 0);
	FUZZ_CHECK(sriovvirt_pci_addr_parse(buf, &back) == 0);
	FUZZ_CHECK(addr_equal(a, &back));

	/*
	 * Exactly sized heap buffers, so that a write past @size is a heap
	 * overflow the sanitizer reports rather than a silent stack write.
	 */
	for (size = 0; size <= len + 1; size++) {
		small = malloc(size ? size : 1);
		if (!small)
			return;
		memset(small, FUZZ_POISON, size);
		r = sriovvirt_pci_addr_format(a, small, size);
		if (size > len) {
			FUZZ_CHECK(r == 0);
			FUZZ_CHECK(strcmp(small, buf) == 0);
		} else {
			/* sriovvirt.h: outputs are left untouched on failure. */
			FUZZ_CHECK(r == -ERANGE);
			FUZZ_CHECK(fuzz_all_bytes(small, size, FUZZ_POISON));
		}
		free(small);
	}
}

static void check_parse(const char *s)
{
	struct sriovvirt_pci_addr a, poison;
	regmatch_t m[6];
	int r, match;

	memset(&a, FUZZ_POISON, sizeof(a));
	memset(&poison, FUZZ_POISON, sizeof(poison));
	r = sriovvirt_pci_addr_parse(s, &a);
	FUZZ_CHECK(r == 0 || r == -EINVAL);

	match = regexec(&grammar, s, sizeof(m) / sizeof(m[0]), m, 0) == 0 &&
		group_value(s, &m[4]) <= 0x1f;
	if (!match) {
		FUZZ_CHECK(r == -EINVAL);
		FUZZ_CHECK(!memcmp(&a, &poison, sizeof(a)));
		return;
	}
	FUZZ_CHECK(r == 0);
	FUZZ_CHECK(a.domain == group_value(s, &m[2]));
	FUZZ_CHECK(a.bus == group_value(s, &m[3]));
	FUZZ_CHECK(a.device == group_value(s, &m[4]));
	FUZZ_CHECK(a.function == group_value(s, &m[5]));
	check_format(&a);
}

/* Any struct: out-of-range fields are refused, everything else formats. */
static void check_struct(struct fuzz_input in)
{
	struct sriovvirt_pci_addr a;
	char buf[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	int r;

	a.domain = fuzz_u32(&in);
	a.bus = fuzz_u8(&in);
	a.device = fuzz_u8(&in);
	a.function = fuzz_u8(&in);
	r = sriovvirt_pci_addr_format(&a, buf, sizeof(buf));
	if (a.device > 0x1f || a.function > 7) {
		FUZZ_CHECK(r == -EINVAL);
		return;
	}
	FUZZ_CHECK(r == 0);
	check_format(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	char *s;

	compile_once();
	/* Exactly the input and its NUL: reading past the NUL is caught. */
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_parse(s);
	free(s);
	if (size >= 7)
		check_struct(in);
	return 0;
}
