/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The pure parsers: text in, numbers out, no I/O, no state, no context. They
 * take a length and never trust a NUL terminator. The library parses what
 * sysfs prints with them, sriovctl its numeric operands and VF tokens (it
 * links parse.c alone, not for any SR-IOV logic), and the fuzz tier checks
 * them against separately written references.
 */
#ifndef SRIOVVIRT_PARSE_H
#define SRIOVVIRT_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Digits only: every byte of @s[0..@len) a digit of @base (10 or 16, either
 * case), at least one, the value at most @max. 0, -EINVAL (not such a
 * number) or -ERANGE (above @max); *@ret untouched on failure.
 */
int sv_parse_digits(const char *s, size_t len, unsigned int base, uint64_t max,
		    uint64_t *ret);

/*
 * A number as sysfs prints it: sv_parse_digits() plus one optional trailing
 * newline, and in base 16 an optional "0x": "%u\n" (sriov_numvfs),
 * "0x%04x\n" (vendor), "%x\n" (sriov_vf_device).
 */
int sv_parse_uint(const char *s, size_t len, unsigned int base, uint64_t max,
		  uint64_t *ret);

/* A number as people type it: decimal, or hex after "0x" (or "0X"). */
int sv_parse_number(const char *s, size_t len, uint64_t max, uint64_t *ret);

/* One line of a sysfs resource file: "0x%016llx 0x%016llx 0x%016llx". */
struct sv_resource {
	uint64_t start;
	uint64_t end;
	uint64_t flags;
};

int sv_parse_resource_line(const char *s, size_t len, struct sv_resource *ret);
int sv_parse_resource_file(const char *s, size_t len, struct sv_resource *res,
			   size_t max, size_t *ret_count);

/* The kernel's dev_valid_name(): may a network interface be called @name? */
bool sv_ifname_valid(const char *name);

/* A UUID as the kernel's uuid_parse() takes it (a VF token):
 * xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, hex digits in either case. */
#define SV_UUID_LEN 36
bool sv_uuid_valid(const char *s);

#endif /* SRIOVVIRT_PARSE_H */
