// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * PCI addresses. Device paths are built only from addresses that went through
 * this parser and are formatted again canonically, so nothing a caller types
 * ever becomes part of a path.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/*
 * Reads 1..@max_digits hex digits ending at @stop; advances *@s past @stop.
 * A NUL @stop means the end of the string.
 */
static int parse_hex_field(const char **s, unsigned int max_digits, char stop,
			   uint32_t *ret)
{
	const char *p = *s;
	size_t n = strspn(p, "0123456789abcdefABCDEF");
	uint64_t value;

	if (n == 0 || n > max_digits || p[n] != stop ||
	    sv_parse_digits(p, n, 16, UINT32_MAX, &value) < 0)
		return -EINVAL;
	*s = stop ? p + n + 1 : p + n;
	*ret = (uint32_t)value;
	return 0;
}

static int count_colons(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == ':';
	return n;
}

SV_EXPORT int sriovvirt_pci_addr_parse(const char *s, struct sriovvirt_pci_addr *ret)
{
	uint32_t domain = 0, bus, device, function;
	int colons;

	if (!s || !ret)
		return -EINVAL;
	colons = count_colons(s);
	if (colons == 2) {
		if (parse_hex_field(&s, 8, ':', &domain) < 0)
			return -EINVAL;
	} else if (colons != 1) {
		return -EINVAL;
	}
	if (parse_hex_field(&s, 2, ':', &bus) < 0 ||
	    parse_hex_field(&s, 2, '.', &device) < 0 || device > 0x1f)
		return -EINVAL;
	if (s[0] < '0' || s[0] > '7' || s[1] != '\0')
		return -EINVAL;
	function = (uint32_t)(s[0] - '0');

	ret->domain = domain;
	ret->bus = (uint8_t)bus;
	ret->device = (uint8_t)device;
	ret->function = (uint8_t)function;
	return 0;
}

SV_EXPORT int sriovvirt_pci_addr_format(const struct sriovvirt_pci_addr *addr,
					char *buf, size_t size)
{
	char text[32];
	int n;

	if (!addr || !buf || addr->device > 0x1f || addr->function > 7)
		return -EINVAL;
	/* Formatted aside first: a failed call leaves @buf untouched. */
	n = snprintf(text, sizeof(text), "%04x:%02x:%02x.%x", addr->domain,
		     addr->bus, addr->device, addr->function);
	if (n < 0 || (size_t)n >= size)
		return -ERANGE;
	memcpy(buf, text, (size_t)n + 1);
	return 0;
}

bool sv_pci_addr_equal(const struct sriovvirt_pci_addr *a,
		       const struct sriovvirt_pci_addr *b)
{
	return a->domain == b->domain && a->bus == b->bus &&
	       a->device == b->device && a->function == b->function;
}
