// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Windows x64 layouts, sizes and values of <sriovvirt-pcivirt.h>,
 * checked at run time against literal numbers taken from Microsoft's
 * headers (the "Layout check" table of the reference, the IOCTL codes
 * computed from CTL_CODE, the GUIDs and status values), so that a mistake
 * in the header's own static assertions cannot hide one in the layout.
 * Prints only what differs; exit 77 (skipped) on a 32-bit target, where
 * the header promises no Windows layout.
 */
#include <stddef.h>
#include <stdio.h>

#include <sriovvirt-pcivirt.h>

static int failures;

static void check(const char *what, unsigned long long got,
		  unsigned long long want)
{
	if (got == want)
		return;
	failures++;
	fprintf(stderr, "%s is %llu (0x%llx), Windows x64 has %llu (0x%llx)\n",
		what, got, got, want, want);
}

#define SIZE(type, n) check("sizeof(" #type ")", sizeof(type), (n))
#define OFF(type, member, n)                                                   \
	check("offsetof(" #type ", " #member ")", offsetof(type, member), (n))
#define VALUE(name, n) check(#name, (unsigned long long)(ULONG)(name), (n))

static void guid(const char *name, const GUID *g, unsigned long d1,
		 unsigned int d2, unsigned int d3, const unsigned char d4[8])
{
	char what[96];

	snprintf(what, sizeof(what), "%s.Data1", name);
	check(what, g->Data1, d1);
	snprintf(what, sizeof(what), "%s.Data2", name);
	check(what, g->Data2, d2);
	snprintf(what, sizeof(what), "%s.Data3", name);
	check(what, g->Data3, d3);
	for (int i = 0; i < 8; i++) {
		snprintf(what, sizeof(what), "%s.Data4[%d]", name, i);
		check(what, g->Data4[i], d4[i]);
	}
}

#define GUID_IS(g, d1, d2, d3, ...)                                            \
	do {                                                                   \
		static const unsigned char d4[8] = { __VA_ARGS__ };            \
		guid(#g, &g, d1, d2, d3, d4);                                  \
	} while (0)

int main(void)
{
	if (sizeof(void *) != 8)
		return 77;	/* no Windows x64 layout to check */

	/* Base types. */
	SIZE(UCHAR, 1);
	SIZE(USHORT, 2);
	SIZE(ULONG, 4);
	SIZE(LONG, 4);
	SIZE(ULONG64, 8);
	SIZE(ULONGLONG, 8);
	SIZE(BOOLEAN, 1);
	SIZE(NTSTATUS, 4);
	SIZE(ULONG_PTR, 8);
	SIZE(KAFFINITY, 8);
	SIZE(PVOID, 8);
	SIZE(LUID, 8);
	OFF(LUID, HighPart, 4);
	SIZE(LARGE_INTEGER, 8);
	SIZE(PHYSICAL_ADDRESS, 8);
	SIZE(GUID, 16);
	OFF(GUID, Data2, 4);
	OFF(GUID, Data3, 6);
	OFF(GUID, Data4, 8);
	SIZE(DEVICE_POWER_STATE, 4);

	/* The interface header (32 bytes) and the tables. */
	SIZE(INTERFACE, 32);
	OFF(INTERFACE, Version, 2);
	OFF(INTERFACE, Context, 8);
	OFF(INTERFACE, InterfaceReference, 16);
	OFF(INTERFACE, InterfaceDereference, 24);

	SIZE(PCI_VIRTUALIZATION_INTERFACE, 80);
	OFF(PCI_VIRTUALIZATION_INTERFACE, Context, 8);
	OFF(PCI_VIRTUALIZATION_INTERFACE, InterfaceDereference, 24);
	OFF(PCI_VIRTUALIZATION_INTERFACE, SetVirtualFunctionData, 32);
	OFF(PCI_VIRTUALIZATION_INTERFACE, GetVirtualFunctionData, 40);
	OFF(PCI_VIRTUALIZATION_INTERFACE, GetLocation, 48);
	OFF(PCI_VIRTUALIZATION_INTERFACE, GetResources, 56);
	OFF(PCI_VIRTUALIZATION_INTERFACE, EnableVirtualization, 64);
	OFF(PCI_VIRTUALIZATION_INTERFACE, GetVirtualFunctionProbedBars, 72);

	SIZE(SRIOV_DEVICE_INTERFACE_STANDARD, 120);
	OFF(SRIOV_DEVICE_INTERFACE_STANDARD, Context, 8);
	OFF(SRIOV_DEVICE_INTERFACE_STANDARD, ReadVfConfig, 32);
	OFF(SRIOV_DEVICE_INTERFACE_STANDARD, WriteVfConfig, 40);
	OFF(SRIOV_DEVICE_INTERFACE_STANDARD, ReadVfConfigBlock, 48);
	OFF(SRIOV_DEVICE_INTERFACE_STANDARD, WriteVfConfigBlock, 56);
	OFF(SRIOV_DEVICE_INTERFACE_STANDARD, QueryProbedBars, 64);
	OFF(SRIOV_DEVICE_INTERFACE_STANDARD, GetVendorAndDevice, 72);
	OFF(SRIOV_DEVICE_INTERFACE_STANDARD, GetDeviceLocation, 80);
	OFF(SRIOV_DEVICE_INTERFACE_STANDARD, ResetVf, 88);
	OFF(SRIOV_DEVICE_INTERFACE_STANDARD, SetVfPowerState, 96);
	OFF(SRIOV_DEVICE_INTERFACE_STANDARD, GetResourceForBar, 104);
	OFF(SRIOV_DEVICE_INTERFACE_STANDARD, QueryLuid, 112);

	SIZE(SRIOV_DEVICE_INTERFACE_STANDARD_2, 144);
	OFF(SRIOV_DEVICE_INTERFACE_STANDARD_2, ReadVfConfig, 32);
	OFF(SRIOV_DEVICE_INTERFACE_STANDARD_2, GetResourceForBar, 104);
	OFF(SRIOV_DEVICE_INTERFACE_STANDARD_2, QueryLuid, 112);
	OFF(SRIOV_DEVICE_INTERFACE_STANDARD_2, QueryProbedBars_2, 120);
	OFF(SRIOV_DEVICE_INTERFACE_STANDARD_2, QueryVfLuid, 128);
	OFF(SRIOV_DEVICE_INTERFACE_STANDARD_2, QueryLuidVf, 136);

	SIZE(MITIGABLE_DEVICE_INTERFACE, 40);
	OFF(MITIGABLE_DEVICE_INTERFACE, ReadWriteMitigatedRegister, 32);

	SIZE(VPCI_INTERFACE_STANDARD, 56);
	OFF(VPCI_INTERFACE_STANDARD, WriteVfConfigBlock, 32);
	OFF(VPCI_INTERFACE_STANDARD, ReadVfConfigBlock, 40);
	OFF(VPCI_INTERFACE_STANDARD, SerialNumber, 48);

	/* CM_PARTIAL_RESOURCE_DESCRIPTOR, pshpack4: 20 bytes on x64. */
	SIZE(CM_PARTIAL_RESOURCE_DESCRIPTOR, 20);
	OFF(CM_PARTIAL_RESOURCE_DESCRIPTOR, ShareDisposition, 1);
	OFF(CM_PARTIAL_RESOURCE_DESCRIPTOR, Flags, 2);
	OFF(CM_PARTIAL_RESOURCE_DESCRIPTOR, u, 4);
	OFF(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.Memory.Start, 4);
	OFF(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.Memory.Length, 12);
	OFF(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.Port.Length, 12);
	OFF(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.Memory40.Length40, 12);
	OFF(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.Memory48.Length48, 12);
	OFF(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.Memory64.Length64, 12);
	OFF(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.Interrupt.Affinity, 12);

	/* The request buffers. */
	SIZE(SRIOV_PNP_EVENT_COMPLETE, 4);
	SIZE(SRIOV_INVALIDATE_BLOCK, 16);
	OFF(SRIOV_INVALIDATE_BLOCK, BlockMask, 8);
	SIZE(SRIOV_MITIGATED_RANGE_COUNT_INPUT, 2);
	SIZE(SRIOV_MITIGATED_RANGE_COUNT_OUTPUT, 24);
	SIZE(SRIOV_MITIGATED_RANGES_INPUT, 4);
	OFF(SRIOV_MITIGATED_RANGES_INPUT, BarNumber, 2);
	SIZE(SRIOV_MITIGATED_RANGES_OUTPUT, 16);
	OFF(SRIOV_MITIGATED_RANGES_OUTPUT, PageCount, 8);
	OFF(SRIOV_MITIGATED_RANGES_OUTPUT, InterceptReads, 12);
	OFF(SRIOV_MITIGATED_RANGES_OUTPUT, InterceptWrites, 13);
	SIZE(SRIOV_MITIGATED_RANGE_UPDATE_INPUT, 2);
	SIZE(SRIOV_MITIGATED_RANGE_UPDATE_OUTPUT, 2);
	SIZE(SRIOV_PROXY_QUERY_LUID_OUTPUT, 8);
	SIZE(VPCI_READ_BLOCK_INPUT, 8);
	OFF(VPCI_READ_BLOCK_INPUT, BytesRequested, 4);
	SIZE(VPCI_WRITE_BLOCK_INPUT, 12);
	OFF(VPCI_WRITE_BLOCK_INPUT, DataLength, 4);
	OFF(VPCI_WRITE_BLOCK_INPUT, Data, 8);
	SIZE(VPCI_INVALIDATE_BLOCK_OUTPUT, 8);
	SIZE(SRIOV_PF_EVENT, 4);

	/* IOCTL codes (CTL_CODE of pcivirt.h and vpci.h). */
	VALUE(IOCTL_SRIOV_NOTIFICATION, 0x00226044);
	VALUE(IOCTL_SRIOV_EVENT_COMPLETE, 0x00226048);
	VALUE(IOCTL_SRIOV_ATTACH, 0x0022604C);
	VALUE(IOCTL_SRIOV_DETACH, 0x00226050);
	VALUE(IOCTL_SRIOV_INVALIDATE_BLOCK, 0x00226054);
	VALUE(IOCTL_SRIOV_QUERY_MITIGATED_RANGE_COUNT, 0x00226058);
	VALUE(IOCTL_SRIOV_QUERY_MITIGATED_RANGES, 0x0022605C);
	VALUE(IOCTL_SRIOV_MITIGATED_RANGE_UPDATE, 0x00226060);
	VALUE(IOCTL_SRIOV_PROXY_QUERY_LUID, 0x00226064);
	VALUE(IOCTL_VPCI_INVALIDATE_BLOCK, 0x002AC007);
	VALUE(IOCTL_VPCI_READ_BLOCK, 0x002AC00B);
	VALUE(IOCTL_VPCI_WRITE_BLOCK, 0x002AC00F);
	VALUE(FILE_DEVICE_UNKNOWN, 0x22);
	VALUE(FILE_DEVICE_VPCI, 0x2a);

	/* GUIDs. */
	GUID_IS(GUID_PCI_VIRTUALIZATION_INTERFACE, 0x64897b47, 0x3a4a, 0x4d75,
		0xbc, 0x74, 0x89, 0xdd, 0x6c, 0x07, 0x82, 0x93);
	GUID_IS(GUID_DEVINTERFACE_VIRTUALIZABLE_DEVICE, 0xA13A7A93, 0x11F0,
		0x4bd2, 0xA9, 0xF5, 0x6B, 0x5C, 0x5B, 0x88, 0x52, 0x7D);
	GUID_IS(GUID_SRIOV_DEVICE_INTERFACE_STANDARD, 0x937EE9B6, 0x0ED3,
		0x411c, 0x98, 0x2B, 0x1F, 0x56, 0x4A, 0xFB, 0xAB, 0xD3);
	GUID_IS(GUID_MITIGABLE_DEVICE_INTERFACE, 0xadfd9567, 0x4245, 0x497e,
		0x85, 0x72, 0x78, 0xd4, 0x5c, 0x16, 0x22, 0xb8);
	GUID_IS(GUID_DEVINTERFACE_DIRECTLY_ASSIGNABLE_DEVICE, 0x0db3e0f9,
		0x3536, 0x4213, 0x95, 0x72, 0xad, 0x77, 0xe2, 0x24, 0xbe, 0x27);
	GUID_IS(GUID_VPCI_INTERFACE_STANDARD, 0x12E65E71, 0xB651, 0x4067,
		0x83, 0x1A, 0x13, 0x83, 0x20, 0x3C, 0xB0, 0xCB);
	GUID_IS(GUID_BUS_VPCI, 0xC066F39A, 0xDE00, 0x4667,
		0x89, 0x41, 0x33, 0x68, 0xED, 0x5D, 0x83, 0xB5);
	GUID_IS(GUID_DEVINTERFACE_VPCI, 0x57863182, 0xC948, 0x4692,
		0x97, 0xE3, 0x34, 0xB5, 0x76, 0x62, 0xA3, 0xE0);

	/* Status values (ntstatus.h). */
	VALUE(STATUS_SUCCESS, 0x00000000);
	VALUE(STATUS_PENDING, 0x00000103);
	VALUE(STATUS_DEVICE_BUSY, 0x80000011);
	VALUE(STATUS_UNSUCCESSFUL, 0xC0000001);
	VALUE(STATUS_INVALID_PARAMETER, 0xC000000D);
	VALUE(STATUS_NO_SUCH_DEVICE, 0xC000000E);
	VALUE(STATUS_INVALID_DEVICE_REQUEST, 0xC0000010);
	VALUE(STATUS_ACCESS_DENIED, 0xC0000022);
	VALUE(STATUS_BUFFER_TOO_SMALL, 0xC0000023);
	VALUE(STATUS_OBJECT_PATH_NOT_FOUND, 0xC000003A);
	VALUE(STATUS_SHARING_VIOLATION, 0xC0000043);
	VALUE(STATUS_INSUFFICIENT_RESOURCES, 0xC000009A);
	VALUE(STATUS_IO_TIMEOUT, 0xC00000B5);
	VALUE(STATUS_NOT_SUPPORTED, 0xC00000BB);
	VALUE(STATUS_NAME_TOO_LONG, 0xC0000106);
	VALUE(STATUS_CANCELLED, 0xC0000120);
	VALUE(STATUS_INVALID_DEVICE_STATE, 0xC0000184);
	VALUE(STATUS_IO_DEVICE_ERROR, 0xC0000185);
	VALUE(STATUS_NOT_FOUND, 0xC0000225);

	/* Constants and enums. */
	VALUE(SRIOV_INVALIDATE_BLOCK_ALL_VFS, 0xFFFF);
	VALUE(VPCI_MAX_READ_WRITE_BLOCK_SIZE, 128);
	VALUE(PCI_TYPE0_ADDRESSES, 6);
	VALUE(SriovEventPfQueryStopDevice, 0);
	VALUE(SriovEventPfRestart, 1);
	VALUE(SriovEventPfMaximum, 2);
	VALUE(PowerDeviceUnspecified, 0);
	VALUE(PowerDeviceD0, 1);
	VALUE(PowerDeviceD3, 4);
	VALUE(PowerDeviceMaximum, 5);
	VALUE(CmResourceTypePort, 1);
	VALUE(CmResourceTypeMemory, 3);
	VALUE(CmResourceTypeMemoryLarge, 7);
	VALUE(CmResourceShareDeviceExclusive, 1);
	VALUE(CM_RESOURCE_MEMORY_PREFETCHABLE, 0x0004);
	VALUE(CM_RESOURCE_MEMORY_BAR, 0x0080);
	VALUE(CM_RESOURCE_MEMORY_LARGE_40, 0x0200);
	VALUE(CM_RESOURCE_MEMORY_LARGE_48, 0x0400);
	VALUE(CM_RESOURCE_MEMORY_LARGE_64, 0x0800);
	return failures ? 1 : 0;
}
