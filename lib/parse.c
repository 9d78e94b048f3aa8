// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Strict parsers for what sysfs prints and what people type (parse.h). One
 * digit loop, sv_parse_digits(), under all of them: the sysfs values "%u\n"
 * (sriov_numvfs), "0x%04x\n" (vendor) and "%x\n" (sriov_vf_device), the
 * three hex columns of the resource file, PCI addresses and sriovctl's
 * numeric operands.
 */

#include <errno.h>
#include <string.h>

#include "parse.h"

static int digit_value(char c, unsigned int base)
{
	int d;

	if (c >= '0' && c <= '9')
		d = c - '0';
	else if (c >= 'a' && c <= 'f')
		d = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		d = c - 'A' + 10;
	else
		return -1;
	return (unsigned int)d < base ? d : -1;
}

int sv_parse_digits(const char *s, size_t len, unsigned int base, uint64_t max,
		    uint64_t *ret)
{
	uint64_t value = 0;
	size_t i;
	int d;

	if (!s || !ret || (base != 10 && base != 16) || len == 0)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		d = digit_value(s[i], base);
		if (d < 0)
			return -EINVAL;
		/* d > max first: max - d must not wrap. */
		if ((uint64_t)d > max || value > (max - (uint64_t)d) / base)
			return -ERANGE;
		value = value * base + (uint64_t)d;
	}
	*ret = value;
	return 0;
}

static bool hex_prefix(const char *s, size_t len)
{
	return len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

int sv_parse_uint(const char *s, size_t len, unsigned int base, uint64_t max,
		  uint64_t *ret)
{
	if (!s)
		return -EINVAL;
	if (len > 0 && s[len - 1] == '\n')
		len--;
	if (base == 16 && hex_prefix(s, len))
		return sv_parse_digits(s + 2, len - 2, base, max, ret);
	return sv_parse_digits(s, len, base, max, ret);
}

int sv_parse_number(const char *s, size_t len, uint64_t max, uint64_t *ret)
{
	if (!s)
		return -EINVAL;
	if (hex_prefix(s, len))
		return sv_parse_digits(s + 2, len - 2, 16, max, ret);
	return sv_parse_digits(s, len, 10, max, ret);
}

/* Parses "0x%016llx" as the resource file prints it; advances *@pos. */
static int parse_resource_field(const char *s, size_t len, size_t *pos,
				uint64_t *ret)
{
	size_t start = *pos, end = start;

	while (end < len && s[end] != ' ')
		end++;
	if (end - start < 3 || s[start] != '0' || s[start + 1] != 'x')
		return -EINVAL;
	*pos = end;
	return sv_parse_digits(s + start + 2, end - start - 2, 16, UINT64_MAX,
			       ret);
}

int sv_parse_resource_line(const char *s, size_t len, struct sv_resource *ret)
{
	uint64_t v[3];
	size_t pos = 0;
	int i, r;

	if (!s || !ret)
		return -EINVAL;
	if (len > 0 && s[len - 1] == '\n')
		len--;
	/* One line: a newline inside would let a field end in its own "\n". */
	if (memchr(s, '\n', len))
		return -EINVAL;
	for (i = 0; i < 3; i++) {
		if (i > 0) {
			if (pos >= len || s[pos] != ' ')
				return -EINVAL;
			pos++;
		}
		r = parse_resource_field(s, len, &pos, &v[i]);
		if (r < 0)
			return r;
	}
	if (pos != len || v[1] < v[0])
		return -EINVAL;
	ret->start = v[0];
	ret->end = v[1];
	ret->flags = v[2];
	return 0;
}

/* Parses up to @max lines; a file with more lines is fine (bridges have 17). */
int sv_parse_resource_file(const char *s, size_t len, struct sv_resource *res,
			   size_t max, size_t *ret_count)
{
	size_t count = 0, pos = 0;
	const char *nl;
	int r;

	if (!s || !ret_count || (max && !res))
		return -EINVAL;
	while (pos < len && count < max) {
		nl = memchr(s + pos, '\n', len - pos);
		if (!nl)
			return -EINVAL;	/* truncated: every line ends in \n */
		r = sv_parse_resource_line(s + pos, (size_t)(nl - (s + pos)),
					   &res[count]);
		if (r < 0)
			return r;
		count++;
		pos = (size_t)(nl - s) + 1;
	}
	*ret_count = count;
	return 0;
}

/*
 * The kernel's dev_valid_name(): what a network interface may be called. Its
 * isspace() is Latin-1: 0x09-0x0d, space and 0xa0 (lib/ctype.c).
 */
bool sv_ifname_valid(const char *name)
{
	size_t len;

	if (!name)
		return false;
	len = strnlen(name, 16);
	if (len == 0 || len > 15 || !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (; *name; name++) {
		unsigned char c = (unsigned char)*name;

		if (c == '/' || c == ':' || c == ' ' || c == 0xa0 ||
		    (c >= '\t' && c <= '\r'))
			return false;
	}
	return true;
}

bool sv_uuid_valid(const char *s)
{
	size_t i;

	if (!s || strnlen(s, SV_UUID_LEN + 1) != SV_UUID_LEN)
		return false;
	for (i = 0; i < SV_UUID_LEN; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		char c = s[i];

		if (dash ? c != '-' :
			   !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
			     (c >= 'A' && c <= 'F')))
			return false;
	}
	return true;
}
