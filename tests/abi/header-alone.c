// SPDX-License-Identifier: GPL-2.0-or-later
/* The public header must compile on its own, first, with strict flags. */
#include <sriovvirt.h>

int main(void)
{
	struct sriovvirt_pci_addr addr = { 0 };
	char buf[SRIOVVIRT_PCI_ADDR_BUFSIZE];

	return sriovvirt_pci_addr_format(&addr, buf, sizeof(buf)) == 0 ? 0 : 1;
}
