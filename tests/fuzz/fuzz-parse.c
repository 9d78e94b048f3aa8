/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sysfs value parsers of parse.c: sv_parse_uint(), the resource line and
 * file parsers and sv_ifname_valid(). What they read comes from the kernel,
 * but through a file any driver or a fake tree can fill, so each is checked
 * against a reference written here from the documented formats rather than
 * from the code: overflow by __builtin_*_overflow instead of the division
 * test, lines split by hand.
 *
 * Input: byte 0 selects the base, byte 1 the maximum (bytes 3-10 give it
 * when byte 1 is 0xff), byte 2 the number of resource lines wanted; the
 * rest is the text, handed over without a NUL as sysfs reads are.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "fuzz.h"

/* Maxima the library uses (1, 0xffff, UINT32_MAX) and the edges around them. */
static const uint64_t max_table[] = {
	0, 1, 2, 7, 9, 10, 15, 16, 99, 100, 255, 0xffff, 0x10000,
	UINT32_MAX, (uint64_t)UINT32_MAX + 1, UINT64_MAX / 10,
	UINT64_MAX / 10 + 1, UINT64_MAX / 16, UINT64_MAX / 16 + 1,
	UINT64_MAX - 1, UINT64_MAX,
};

static uint64_t pick_max(uint8_t sel, struct fuzz_input *in)
{
	if (sel < SV_ARRAY_SIZE(max_table))
		return max_table[sel];
	if (sel == 0xff)
		return fuzz_u64(in);
	if (sel >= 0x80)
		return UINT64_MAX >> (sel & 63);	/* 2^k - 1 */
	return (uint64_t)sel * sel;
}

static unsigned int pick_base(uint8_t sel)
{
	switch (sel & 3) {
	case 0:
		return 10;
	case 1:
		return 16;
	case 2:
		return sel & 4 ? 16 : 10;
	default:
		return sel >> 2;	/* mostly invalid, may be 10 or 16 */
	}
}

static int digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/*
 * "%u\n", "%x\n" or "0x%x\n" (any case) as the parse.c comment describes:
 * 0, -ERANGE when well formed but above @max, -EINVAL otherwise.
 */
static int ref_uint(const char *s, size_t len, unsigned int base, uint64_t max,
		    uint64_t *ret)
{
	uint64_t v = 0;
	bool over = false;
	size_t i = 0;
	int d;

	if (base != 10 && base != 16)
		return -EINVAL;
	if (len && s[len - 1] == '\n')
		len--;
	if (base == 16 && len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		i = 2;
	if (i == len)
		return -EINVAL;
	for (; i < len; i++) {
		d = digit(s[i]);
		if ((unsigned int)d >= base)
			return -EINVAL;
		if (__builtin_mul_overflow(v, base, &v) ||
		    __builtin_add_overflow(v, (uint64_t)d, &v) || v > max)
			over = true;
	}
	if (over)
		return -ERANGE;
	*ret = v;
	return 0;
}

static void check_uint(const char *s, size_t len, unsigned int base,
		       uint64_t max)
{
	uint64_t got = 0x5a5a5a5a5a5a5a5aull, want = 0;
	int r, ref;

	r = sv_parse_uint(s, len, base, max, &got);
	ref = ref_uint(s, len, base, max, &want);
	FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ERANGE);
	if (ref == 0) {
		FUZZ_CHECK(r == 0);
		FUZZ_CHECK(got == want);
	} else if (ref == -ERANGE) {
		FUZZ_CHECK(r == -ERANGE);
	} else {
		/* An overflowing prefix may be reported before a bad digit. */
		FUZZ_CHECK(r < 0);
	}
	if (r == 0)
		FUZZ_CHECK(got <= max);
	else
		FUZZ_CHECK(got == 0x5a5a5a5a5a5a5a5aull);
}

/* "0x" and at least one hex digit, nothing else; *@over if above 2^64-1. */
static bool ref_field(const char *s, size_t len, uint64_t *v, bool *over)
{
	size_t i;
	int d;

	if (len < 3 || s[0] != '0' || s[1] != 'x')
		return false;
	*v = 0;
	for (i = 2; i < len; i++) {
		d = digit(s[i]);
		if (d > 15)
			return false;
		if (__builtin_mul_overflow(*v, 16, v) ||
		    __builtin_add_overflow(*v, (uint64_t)d, v))
			*over = true;
	}
	return true;
}

/*
 * The kernel's "0x%016llx 0x%016llx 0x%016llx\n", any number of digits:
 * three fields, single spaces, at most one newline and only at the end.
 */
static int ref_line(const char *s, size_t len, struct sv_resource *ret)
{
	uint64_t v[3];
	bool over = false;
	size_t start = 0, end;
	int i;

	if (len && s[len - 1] == '\n')
		len--;
	for (i = 0; i < 3; i++) {
		end = start;
		while (end < len && s[end] != ' ')
			end++;
		if (!ref_field(s + start, end - start, &v[i], &over))
			return -EINVAL;
		if (i < 2) {
			if (end == len)
				return -EINVAL;
			start = end + 1;
		} else if (end != len) {
			return -EINVAL;
		}
	}
	if (over)
		return -ERANGE;
	if (v[1] < v[0])
		return -EINVAL;
	ret->start = v[0];
	ret->end = v[1];
	ret->flags = v[2];
	return 0;
}

static bool resource_equal(const struct sv_resource *a,
			   const struct sv_resource *b)
{
	return a->start == b->start && a->end == b->end && a->flags == b->flags;
}

static void check_line(const char *s, size_t len)
{
	struct sv_resource got, want, poison;
	int r, ref;

	memset(&got, FUZZ_POISON, sizeof(got));
	memset(&poison, FUZZ_POISON, sizeof(poison));
	r = sv_parse_resource_line(s, len, &got);
	ref = ref_line(s, len, &want);
	FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ERANGE);
	if (ref == 0) {
		FUZZ_CHECK(r == 0);
		FUZZ_CHECK(resource_equal(&got, &want));
	} else if (ref == -ERANGE) {
		FUZZ_CHECK(r == -ERANGE);
	} else {
		FUZZ_CHECK(r < 0);
	}
	if (r == 0)
		FUZZ_CHECK(got.end >= got.start);
	else
		FUZZ_CHECK(resource_equal(&got, &poison));
}

/* Up to @max lines, each ending in a newline; lines beyond @max are ignored. */
static void check_file(const char *s, size_t len, size_t max)
{
	struct sv_resource *res = NULL, want;
	size_t count = 12345, pos = 0, n = 0, end, i;
	bool ok = true;
	int r;

	/* Exactly @max entries, so a write past them is a heap overflow. */
	if (max) {
		res = malloc(max * sizeof(*res));
		if (!res)
			return;
		memset(res, FUZZ_POISON, max * sizeof(*res));
	}
	r = sv_parse_resource_file(s, len, res, max, &count);
	FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ERANGE);

	while (ok && pos < len && n < max) {
		for (end = pos; end < len && s[end] != '\n'; end++)
			;
		if (end == len || ref_line(s + pos, end - pos, &want) < 0) {
			ok = false;
			break;
		}
		if (r == 0)
			FUZZ_CHECK(resource_equal(&res[n], &want));
		n++;
		pos = end + 1;
	}
	if (!ok) {
		FUZZ_CHECK(r < 0);
		FUZZ_CHECK(count == 12345);
	} else {
		FUZZ_CHECK(r == 0);
		FUZZ_CHECK(count == n);
		for (i = n; i < max; i++)
			FUZZ_CHECK(fuzz_all_bytes(&res[i], sizeof(res[i]),
						  FUZZ_POISON));
	}
	free(res);
}

/* lib/ctype.c: the kernel's isspace() is Latin-1, \t..\r, ' ' and 0xa0. */
static bool kernel_isspace(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0;
}

/* The kernel's dev_valid_name() (net/core/dev.c), to the letter. */
static bool kernel_valid_name(const char *name)
{
	if (*name == '\0' || strnlen(name, 16) == 16 || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return false;
	for (; *name; name++)
		if (*name == '/' || *name == ':' ||
		    kernel_isspace((unsigned char)*name))
			return false;
	return true;
}

static void check_ifname(const char *name)
{
	bool valid = sv_ifname_valid(name);

	FUZZ_CHECK(valid == kernel_valid_name(name));
	/* And, whatever the kernel allows, one path component under /sys. */
	if (valid) {
		FUZZ_CHECK(strlen(name) >= 1 && strlen(name) <= 15);
		FUZZ_CHECK(!strchr(name, '/'));
		FUZZ_CHECK(strcmp(name, ".") && strcmp(name, ".."));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	unsigned int base;
	uint64_t max;
	size_t lines;
	char *text, *name;
	uint8_t sel;

	base = pick_base(fuzz_u8(&in));
	sel = fuzz_u8(&in);
	lines = fuzz_u8(&in) % 24;	/* a bridge has 17 */
	max = pick_max(sel, &in);

	/* Exactly the text, no NUL: the parsers must stay inside @len. */
	text = malloc(in.size ? in.size : 1);
	name = malloc(in.size + 1);
	if (!text || !name)
		goto out;
	memcpy(text, in.data, in.size);
	memcpy(name, in.data, in.size);
	name[in.size] = '\0';

	check_uint(text, in.size, base, max);
	check_line(text, in.size);
	check_file(text, in.size, lines);
	check_ifname(name);
out:
	free(text);
	free(name);
	return 0;
}
