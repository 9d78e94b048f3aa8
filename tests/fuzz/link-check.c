/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Built at configure time: if clang links this with -fsanitize=fuzzer, the
 * fuzz targets are libFuzzer binaries. Debian's clang needs libclang-rt-dev
 * for it, which apt installs with clang only as a recommendation.
 */
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)data;
	(void)size;
	return 0;
}
