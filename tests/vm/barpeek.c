// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * barpeek: the independent reader of a BAR register for the real-kernel
 * tier. Maps the device's sysfs resourceN file (the kernel's own mapping
 * of the BAR, no VFIO, no libsriovvirt) and reads or writes one register.
 *
 *   barpeek DEVICE-DIR BAR OFFSET WIDTH [VALUE]
 *
 * Prints the value read (0x-prefixed hex). The kernel refuses the mapping
 * while a driver has claimed the BAR (CONFIG_IO_STRICT_DEVMEM), so the
 * case reads while the VF is bound to vfio-pci but not open (vfio-pci
 * claims the BAR on the first access through the device).
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int peek(const char *dir, unsigned int bar, uint64_t offset,
		unsigned int width, const char *value)
{
	char path[4096];
	volatile uint8_t *base;
	struct stat st;
	uint64_t v = value ? strtoull(value, NULL, 0) : 0;
	off_t page = (off_t)(offset & ~(uint64_t)4095);
	int fd;

	snprintf(path, sizeof(path), "%s/resource%u", dir, bar);
	fd = open(path, value ? O_RDWR : O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "barpeek: %s: %s\n", path, strerror(errno));
		return 1;
	}
	base = mmap(NULL, 4096, value ? PROT_READ | PROT_WRITE : PROT_READ,
		    MAP_SHARED, fd, page);
	close(fd);
	if (base == MAP_FAILED) {
		fprintf(stderr, "barpeek: mmap %s: %s\n", path, strerror(errno));
		return 1;
	}
	base += offset - (uint64_t)page;
	switch (width) {
	case 1:
		if (value) *(volatile uint8_t *)base = (uint8_t)v;
		v = *(volatile uint8_t *)base;
		break;
	case 2:
		if (value) *(volatile uint16_t *)base = (uint16_t)v;
		v = *(volatile uint16_t *)base;
		break;
	case 4:
		if (value) *(volatile uint32_t *)base = (uint32_t)v;
		v = *(volatile uint32_t *)base;
		break;
	default:
		if (value) *(volatile uint64_t *)base = v;
		v = *(volatile uint64_t *)base;
		break;
	}
	printf("0x%0*" PRIx64 "\n", (int)width * 2, v);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int width;

	if (argc != 5 && argc != 6) {
		fprintf(stderr, "usage: barpeek DEVICE-DIR BAR OFFSET WIDTH [VALUE]\n");
		return 2;
	}
	width = (unsigned int)strtoul(argv[4], NULL, 0);
	if (width != 1 && width != 2 && width != 4 && width != 8)
		return 2;
	return peek(argv[1], (unsigned int)strtoul(argv[2], NULL, 0),
		    strtoull(argv[3], NULL, 0), width, argc == 6 ? argv[5] : NULL);
}
