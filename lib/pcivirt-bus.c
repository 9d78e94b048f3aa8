// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * PCI_VIRTUALIZATION_INTERFACE (wdm.h): what Windows' PCI bus driver gives
 * a PF driver, here the native calls through sysfs. The routines that
 * cannot report failure (a byte count, VOID) still log why through the
 * context.
 */

#include <errno.h>

#include "pcivirt.h"

/* EnableVirtualization returns once the VFs exist, as on Windows. */
#define ENABLE_WAIT_MS 30000

VOID sv_pcivirt_pf_reference(PVOID context)
{
	sriovvirt_pf_ref(sv_pcivirt_pf(context));
}

VOID sv_pcivirt_pf_dereference(PVOID context)
{
	sriovvirt_pf_unref(sv_pcivirt_pf(context));
}

static ULONG set_virtual_function_data(PVOID context, USHORT vf, PVOID buffer,
				       ULONG offset, ULONG length)
{
	size_t done = 0;

	if (!context || sriovvirt_vf_config_write(sv_pcivirt_pf(context), vf,
						  offset, buffer, length, 0,
						  &done) < 0)
		return 0;
	return (ULONG)done;
}

static ULONG get_virtual_function_data(PVOID context, USHORT vf, PVOID buffer,
				       ULONG offset, ULONG length)
{
	size_t done = 0;

	if (!context || sriovvirt_vf_config_read(sv_pcivirt_pf(context), vf,
						 offset, buffer, length,
						 &done) < 0)
		return 0;
	return (ULONG)done;
}

NTSTATUS sv_pcivirt_location(struct sriovvirt_pf *pf, USHORT vf,
			     PUINT16 segment, PUINT8 bus, PUINT8 function)
{
	struct sriovvirt_pci_addr addr;
	int r;

	if (!pf || !segment || !bus || !function)
		return STATUS_INVALID_PARAMETER;
	r = sriovvirt_vf_get_addr(pf, vf, &addr);
	if (r < 0)
		return sriovvirt_ntstatus_from_errno(r);
	if (addr.domain > 0xffff) {
		sv_err(pf->ctx, "%s: VF %u is in PCI domain %04x, which a "
		       "16-bit SegmentNumber cannot hold", pf->name, vf,
		       addr.domain);
		return STATUS_NOT_SUPPORTED;
	}
	*segment = (UINT16)addr.domain;
	*bus = addr.bus;
	*function = (UINT8)(addr.device << 3 | addr.function);
	return STATUS_SUCCESS;
}

static NTSTATUS get_location(PVOID context, USHORT vf, PUINT16 segment,
			     PUINT8 bus, PUINT8 function)
{
	return sv_pcivirt_location(sv_pcivirt_pf(context), vf, segment, bus,
				   function);
}

static VOID get_resources(PVOID context, PUINT8 captured_bus_numbers)
{
	struct sriovvirt_sriov_info info = { .size = sizeof(info) };

	if (!captured_bus_numbers)
		return;
	*captured_bus_numbers = 0;
	if (context && sriovvirt_pf_get_sriov_info(sv_pcivirt_pf(context),
						   &info) == 0)
		*captured_bus_numbers = info.captured_bus_numbers;
}

static NTSTATUS enable_virtualization(PVOID context, UINT16 num_vfs,
				      BOOLEAN enable_vf_migration,
				      BOOLEAN enable_migration_interrupt,
				      BOOLEAN enable)
{
	unsigned int flags = SRIOVVIRT_ENABLE_WAIT;
	int r;

	if (!context)
		return STATUS_INVALID_PARAMETER;
	if (enable_vf_migration)
		flags |= SRIOVVIRT_ENABLE_VF_MIGRATION;
	if (enable_migration_interrupt)
		flags |= SRIOVVIRT_ENABLE_MIGRATION_INTERRUPT;
	r = sriovvirt_pf_enable_virtualization(sv_pcivirt_pf(context), num_vfs,
					       enable, flags, ENABLE_WAIT_MS);
	/* Windows: enabling twice, or disabling twice, is a state error. */
	if (r == -EBUSY)
		return STATUS_INVALID_DEVICE_STATE;
	return sriovvirt_ntstatus_from_errno(r);
}

static NTSTATUS get_virtual_function_probed_bars(PVOID context,
						 PULONG values)
{
	int r;

	if (!context || !values)
		return STATUS_INVALID_PARAMETER;
	r = sriovvirt_pf_get_vf_probed_bars(sv_pcivirt_pf(context), values);
	if (r == -EOPNOTSUPP)	/* no SR-IOV capability */
		return STATUS_INVALID_DEVICE_STATE;
	return sriovvirt_ntstatus_from_errno(r);
}

void sv_pcivirt_fill_bus(struct sriovvirt_pf *pf,
			 PCI_VIRTUALIZATION_INTERFACE *iface)
{
	*iface = (PCI_VIRTUALIZATION_INTERFACE){
		.Size = sizeof(*iface),
		.Version = SRIOVVIRT_PCI_VIRTUALIZATION_INTERFACE_VERSION,
		.Context = sriovvirt_pf_ref(pf),
		.InterfaceReference = sv_pcivirt_pf_reference,
		.InterfaceDereference = sv_pcivirt_pf_dereference,
		.SetVirtualFunctionData = set_virtual_function_data,
		.GetVirtualFunctionData = get_virtual_function_data,
		.GetLocation = get_location,
		.GetResources = get_resources,
		.EnableVirtualization = enable_virtualization,
		.GetVirtualFunctionProbedBars = get_virtual_function_probed_bars,
	};
}
