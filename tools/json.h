/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A streaming JSON writer for sriovctl's --json output: objects, arrays and
 * scalars written in order, with commas and two-space indentation handled
 * here so the commands only say what they print (or compact, a line each).
 */
#ifndef SRIOVCTL_JSON_H
#define SRIOVCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *f;
	int depth;
	bool has_items[JSON_MAX_DEPTH];
	bool after_key;
	/* One line per value, no spaces: for commands that print a value
	 * per event (--json of attach, monitor, block wait). */
	bool compact;
};

void json_init(struct json *j, FILE *f);
void json_begin_object(struct json *j);
void json_end_object(struct json *j);
void json_begin_array(struct json *j);
void json_end_array(struct json *j);
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s);
void json_uint(struct json *j, uint64_t v);
void json_int(struct json *j, int64_t v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* Ends the document with a newline. */
void json_finish(struct json *j);

/* Shorthands for "key": value members. */
void json_kv_string(struct json *j, const char *key, const char *s);
void json_kv_uint(struct json *j, const char *key, uint64_t v);
void json_kv_bool(struct json *j, const char *key, bool v);

#endif /* SRIOVCTL_JSON_H */
