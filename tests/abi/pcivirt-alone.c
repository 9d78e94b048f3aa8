// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Windows-shapes header must compile on its own, first, as strict C11,
 * and its names must work as a Windows-minded program uses them.
 */
#include <sriovvirt-pcivirt.h>

static NTSTATUS table_size_check(void)
{
	SRIOV_DEVICE_INTERFACE_STANDARD_2 s;
	PCI_VIRTUALIZATION_INTERFACE bus;
	MITIGABLE_DEVICE_INTERFACE m;
	VPCI_INTERFACE_STANDARD v;

	/* No PF: every query refuses, and the GUIDs are told apart. */
	if (sriovvirt_query_interface(NULL, &GUID_SRIOV_DEVICE_INTERFACE_STANDARD,
				      sizeof(s), 2, (PINTERFACE)&s) !=
	    STATUS_INVALID_PARAMETER)
		return STATUS_UNSUCCESSFUL;
	if (sriovvirt_query_interface(NULL, &GUID_PCI_VIRTUALIZATION_INTERFACE,
				      sizeof(bus), 1, (PINTERFACE)&bus) !=
	    STATUS_INVALID_PARAMETER)
		return STATUS_UNSUCCESSFUL;
	if (sriovvirt_query_interface(NULL, &GUID_MITIGABLE_DEVICE_INTERFACE,
				      sizeof(m), 1, (PINTERFACE)&m) !=
	    STATUS_INVALID_PARAMETER)
		return STATUS_UNSUCCESSFUL;
	if (sriovvirt_vf_query_interface(NULL, 0, &GUID_VPCI_INTERFACE_STANDARD,
					 sizeof(v), 1, (PINTERFACE)&v) !=
	    STATUS_INVALID_PARAMETER)
		return STATUS_UNSUCCESSFUL;
	return STATUS_SUCCESS;
}

int main(void)
{
	SRIOV_INVALIDATE_BLOCK ib = { SRIOV_INVALIDATE_BLOCK_ALL_VFS, 0 };
	SRIOV_PF_EVENT e = SriovEventPfQueryStopDevice;
	ULONG codes[] = {
		IOCTL_SRIOV_NOTIFICATION, IOCTL_SRIOV_EVENT_COMPLETE,
		IOCTL_SRIOV_ATTACH, IOCTL_SRIOV_DETACH,
		IOCTL_SRIOV_INVALIDATE_BLOCK,
		IOCTL_SRIOV_QUERY_MITIGATED_RANGE_COUNT,
		IOCTL_SRIOV_QUERY_MITIGATED_RANGES,
		IOCTL_SRIOV_MITIGATED_RANGE_UPDATE, IOCTL_SRIOV_PROXY_QUERY_LUID,
		IOCTL_VPCI_INVALIDATE_BLOCK, IOCTL_VPCI_READ_BLOCK,
		IOCTL_VPCI_WRITE_BLOCK,
	};
	ULONG_PTR information = 1;
	unsigned int i;

	if (!IsEqualGUID(&GUID_SRIOV_DEVICE_INTERFACE_STANDARD,
			 &GUID_SRIOV_DEVICE_INTERFACE_STANDARD) ||
	    IsEqualGUID(&GUID_SRIOV_DEVICE_INTERFACE_STANDARD,
			&GUID_MITIGABLE_DEVICE_INTERFACE))
		return 1;
	if (!NT_SUCCESS(STATUS_SUCCESS) || NT_SUCCESS(STATUS_NOT_SUPPORTED) ||
	    !NT_SUCCESS(STATUS_PENDING))
		return 1;
	if (sriovvirt_ntstatus_from_errno(0) != STATUS_SUCCESS ||
	    !sriovvirt_ntstatus_name(STATUS_CANCELLED))
		return 1;
	/* The codes are distinct, and a PF is needed to send any. */
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		for (unsigned int j = 0; j < i; j++)
			if (codes[i] == codes[j])
				return 1;
	}
	(void)sriovvirt_device_io_control(NULL, IOCTL_SRIOV_PROXY_QUERY_LUID,
					  NULL, 0, NULL, 0, &information);
	if (ib.VfIndex != 0xffff || e != 0 || TRUE != 1 || FALSE != 0)
		return 1;
	return NT_SUCCESS(table_size_check()) ? 0 : 1;
}
