// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * aerinject: injects a PCIe AER error through the kernel's aer_inject
 * module (CONFIG_PCIEAER_INJECT), for the real-kernel tier. The kernel's
 * AER driver then runs its recovery as for a real error and announces it
 * in uevents (ERROR_EVENT=BEGIN_RECOVERY, SUCCESSFUL_RECOVERY, ...), which
 * is what the case checks the library turns into PF events.
 *
 *   aerinject DDDD:BB:DD.F uncor|cor STATUS
 *
 * STATUS is the AER status bit(s) to raise, e.g. 0x4000 (completion
 * timeout, non-fatal by default severity). The structure is the one
 * drivers/pci/pcie/aer_inject.c reads from /dev/aer_inject.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct aer_error_inj {
	uint8_t bus;
	uint8_t dev;
	uint8_t fn;
	uint32_t uncor_status;
	uint32_t cor_status;
	uint32_t header_log0;
	uint32_t header_log1;
	uint32_t header_log2;
	uint32_t header_log3;
	uint32_t domain;
};

int main(int argc, char **argv)
{
	struct aer_error_inj e = { 0 };
	unsigned int domain, bus, dev, fn;
	unsigned long status;
	int fd;

	if (argc != 4 || sscanf(argv[1], "%x:%x:%x.%x", &domain, &bus, &dev,
				&fn) != 4 ||
	    (strcmp(argv[2], "uncor") && strcmp(argv[2], "cor"))) {
		fprintf(stderr, "usage: aerinject DDDD:BB:DD.F uncor|cor STATUS\n");
		return 2;
	}
	status = strtoul(argv[3], NULL, 0);
	e.domain = domain;
	e.bus = (uint8_t)bus;
	e.dev = (uint8_t)dev;
	e.fn = (uint8_t)fn;
	if (!strcmp(argv[2], "uncor"))
		e.uncor_status = (uint32_t)status;
	else
		e.cor_status = (uint32_t)status;
	fd = open("/dev/aer_inject", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, &e, sizeof(e)) != (ssize_t)sizeof(e)) {
		fprintf(stderr, "aerinject: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}
