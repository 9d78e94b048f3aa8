/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the fuzz targets: the libFuzzer entry point, an invariant check
 * that aborts (so libFuzzer saves the input and the standalone driver fails
 * the test), and a reader that splits the input into parameters.
 */
#ifndef SRIOVVIRT_FUZZ_H
#define SRIOVVIRT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Each target defines it; libFuzzer or standalone.c calls it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fuzz-common.c: prints what failed and aborts. */
__attribute__((noreturn)) void fuzz_fail(const char *file, int line,
					 const char *cond);

/*
 * Not assert(): that would vanish under -DNDEBUG, and an invariant that is
 * not checked cannot find a bug.
 */
#define FUZZ_CHECK(cond)                                                       \
	do {                                                                   \
		if (!(cond))                                                   \
			fuzz_fail(__FILE__, __LINE__, #cond);                  \
	} while (0)

/*
 * Parameters are taken from the front of the input; past its end they read
 * as zero, so every input is usable and short inputs still mean something.
 */
struct fuzz_input {
	const uint8_t *data;
	size_t size;
};

static inline uint8_t fuzz_u8(struct fuzz_input *in)
{
	uint8_t v = 0;

	if (in->size) {
		v = in->data[0];
		in->data++;
		in->size--;
	}
	return v;
}

static inline uint16_t fuzz_u16(struct fuzz_input *in)
{
	uint16_t lo = fuzz_u8(in);

	return (uint16_t)(lo | fuzz_u8(in) << 8);
}

static inline uint32_t fuzz_u32(struct fuzz_input *in)
{
	uint32_t lo = fuzz_u16(in);

	return lo | (uint32_t)fuzz_u16(in) << 16;
}

static inline uint64_t fuzz_u64(struct fuzz_input *in)
{
	uint64_t lo = fuzz_u32(in);

	return lo | (uint64_t)fuzz_u32(in) << 32;
}

/* Little-endian reads of a config-space image, as the device presents it. */
static inline uint16_t fuzz_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t fuzz_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* True if @len bytes at @p all equal @byte: "left untouched on failure". */
static inline int fuzz_all_bytes(const void *p, size_t len, uint8_t byte)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != byte)
			return 0;
	return 1;
}

/* Output buffers are prefilled with this to see whether a call wrote them. */
#define FUZZ_POISON 0xa5

#endif /* SRIOVVIRT_FUZZ_H */
