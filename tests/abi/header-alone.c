// SPDX-License-Identifier: GPL-2.0-or-later
/* The public header must compile on its own, first, with strict flags. */
#include <sriovvirt.h>

int main(void)
{
	struct sriovvirt_sriov_info info;
	struct sriovvirt_pci_addr addr = { 0, 0, 0, 0 };
	char buf[SRIOVVIRT_PCI_ADDR_BUFSIZE];

	info.size = sizeof(info);
	/* The growable-structure macro works in strict C99 too. */
	if (!SRIOVVIRT_HAS_FIELD(&info, driver_total_vfs))
		return 1;
	info.size = 4;
	if (SRIOVVIRT_HAS_FIELD(&info, cap_offset))
		return 1;
	return sriovvirt_pci_addr_format(&addr, buf, sizeof(buf)) == 0 ? 0 : 1;
}
