// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * SRIOV_DEVICE_INTERFACE_STANDARD(_2) and MITIGABLE_DEVICE_INTERFACE
 * (pcivirt.h): what a PF driver gives the virtualization stack, here the
 * native calls, each failure turned into the NTSTATUS the Windows
 * documentation gives it (sriovvirt-pcivirt.h lists them).
 */

#include <errno.h>
#include <string.h>

#include "pcivirt.h"

static NTSTATUS read_vf_config(PVOID context, PVOID data, USHORT vf,
			       ULONG offset, ULONG length)
{
	if (!context || !data)
		return STATUS_INVALID_PARAMETER;
	return sriovvirt_ntstatus_from_errno(
		sriovvirt_vf_config_read(sv_pcivirt_pf(context), vf, offset,
					 data, length, NULL));
}

/* A guest's write goes through vfio-pci's filter, never to raw config. */
static NTSTATUS write_vf_config(PVOID context, const VOID *data, USHORT vf,
				ULONG offset, ULONG length)
{
	struct sriovvirt_pf *pf = sv_pcivirt_pf(context);
	int r;

	if (!pf || !data)
		return STATUS_INVALID_PARAMETER;
	r = sv_vf_check_index(pf, vf);
	if (r < 0)
		return sriovvirt_ntstatus_from_errno(r);
	if (!sv_vf_is_vfio(pf, vf)) {
		sv_err(pf->ctx, "%s: WriteVfConfig of VF %u: the VF is not open "
		       "through VFIO in this handle (sriovvirt_vf_vfio_open), "
		       "and a guest's write must not reach its raw config "
		       "space", pf->name, vf);
		return STATUS_INVALID_DEVICE_STATE;
	}
	return sriovvirt_ntstatus_from_errno(
		sriovvirt_vf_config_write(pf, vf, offset, data, length, 0,
					  NULL));
}

/* A block shorter than the buffer reads as its bytes, then zeros. */
NTSTATUS sv_pcivirt_block_status(int r, void *buf, ULONG length, size_t stored)
{
	if (r == -ENODATA)	/* never written */
		return STATUS_NOT_FOUND;
	if (r == 0 && stored < length)
		memset((char *)buf + stored, 0, length - stored);
	return sriovvirt_ntstatus_from_errno(r);
}

static NTSTATUS read_vf_config_block(PVOID context, USHORT vf, ULONG block_id,
				     PVOID buffer, ULONG length)
{
	size_t stored = 0;
	int r;

	if (!context || !buffer)
		return STATUS_INVALID_PARAMETER;
	r = sriovvirt_vf_read_block(sv_pcivirt_pf(context), vf, block_id,
				    buffer, length, &stored);
	return sv_pcivirt_block_status(r, buffer, length, stored);
}

static NTSTATUS write_vf_config_block(PVOID context, USHORT vf,
				      ULONG block_id, PVOID buffer,
				      ULONG length)
{
	if (!context || !buffer)
		return STATUS_INVALID_PARAMETER;
	return sriovvirt_ntstatus_from_errno(
		sriovvirt_vf_write_block(sv_pcivirt_pf(context), vf, block_id,
					 buffer, length));
}

static NTSTATUS query_probed_bars(PVOID context, PULONG values)
{
	if (!context || !values)
		return STATUS_INVALID_PARAMETER;
	return sriovvirt_ntstatus_from_errno(
		sriovvirt_pf_get_probed_bars(sv_pcivirt_pf(context), values));
}

static NTSTATUS query_probed_bars_2(PVOID context, USHORT vf, PULONG values)
{
	if (!context || !values)
		return STATUS_INVALID_PARAMETER;
	return sriovvirt_ntstatus_from_errno(
		sriovvirt_vf_get_probed_bars(sv_pcivirt_pf(context), vf,
					     values));
}

static VOID get_vendor_and_device(PVOID context, USHORT vf, PUSHORT vendor_id,
				  PUSHORT device_id)
{
	uint16_t vendor = 0xffff, device = 0xffff;

	if (context && sriovvirt_vf_get_ids(sv_pcivirt_pf(context), vf,
					    &vendor, &device) < 0)
		vendor = device = 0xffff;
	if (vendor_id)
		*vendor_id = vendor;
	if (device_id)
		*device_id = device;
}

static VOID get_device_location(PVOID context, USHORT vf, PUINT16 segment,
				PUINT8 bus, PUINT8 function)
{
	UINT16 s;
	UINT8 b, f;

	if (!segment || !bus || !function)
		return;
	if (!NT_SUCCESS(sv_pcivirt_location(sv_pcivirt_pf(context), vf, &s,
					    &b, &f))) {
		s = 0xffff;
		b = f = 0xff;
	}
	*segment = s;
	*bus = b;
	*function = f;
}

static NTSTATUS reset_vf(PVOID context, USHORT vf)
{
	if (!context)
		return STATUS_INVALID_PARAMETER;
	return sriovvirt_ntstatus_from_errno(
		sriovvirt_vf_reset(sv_pcivirt_pf(context), vf));
}

static NTSTATUS set_vf_power_state(PVOID context, USHORT vf,
				   DEVICE_POWER_STATE state, BOOLEAN wake)
{
	if (!context || state <= PowerDeviceUnspecified ||
	    state >= PowerDeviceMaximum)
		return STATUS_INVALID_PARAMETER;
	/* PowerDeviceD0..D3 are 1..4; D3 is D3hot (Windows has no D3cold). */
	return sriovvirt_ntstatus_from_errno(
		sriovvirt_vf_set_power_state(sv_pcivirt_pf(context), vf,
			(enum sriovvirt_power_state)(state - PowerDeviceD0),
			wake));
}

/* A memory BAR of 4 GiB or more is MemoryLarge, its length shifted. */
static void fill_memory(CM_PARTIAL_RESOURCE_DESCRIPTOR *d,
			const struct sriovvirt_bar_resource *res)
{
	static const struct {
		unsigned int shift;
		USHORT flag;
	} large[] = {
		{ 8, CM_RESOURCE_MEMORY_LARGE_40 },
		{ 16, CM_RESOURCE_MEMORY_LARGE_48 },
		{ 32, CM_RESOURCE_MEMORY_LARGE_64 },
	};

	d->Type = CmResourceTypeMemory;
	d->Flags = CM_RESOURCE_MEMORY_READ_WRITE | CM_RESOURCE_MEMORY_BAR;
	if (res->flags & SRIOVVIRT_RESOURCE_PREFETCH)
		d->Flags |= CM_RESOURCE_MEMORY_PREFETCHABLE;
	d->u.Memory.Start.QuadPart = (LONGLONG)res->start;
	d->u.Memory.Length = (ULONG)res->size;
	if (res->size <= UINT32_MAX)
		return;
	d->Type = CmResourceTypeMemoryLarge;
	for (size_t i = 0; i < SV_ARRAY_SIZE(large); i++) {
		if ((res->size >> large[i].shift) <= UINT32_MAX) {
			d->Flags |= large[i].flag;
			d->u.Memory.Length = (ULONG)(res->size >> large[i].shift);
			return;
		}
	}
}

static NTSTATUS get_resource_for_bar(PVOID context, USHORT vf, USHORT bar,
				     PCM_PARTIAL_RESOURCE_DESCRIPTOR resource)
{
	struct sriovvirt_bar_resource res;
	CM_PARTIAL_RESOURCE_DESCRIPTOR d;
	int r;

	if (!context || !resource)
		return STATUS_INVALID_PARAMETER;
	r = sriovvirt_vf_get_bar_resource(sv_pcivirt_pf(context), vf, bar,
					  &res);
	if (r == -ENODATA)	/* the BAR is not implemented */
		return STATUS_INVALID_PARAMETER;
	if (r < 0)
		return sriovvirt_ntstatus_from_errno(r);
	memset(&d, 0, sizeof(d));
	d.ShareDisposition = CmResourceShareDeviceExclusive;
	if (res.flags & SRIOVVIRT_RESOURCE_IO) {
		d.Type = CmResourceTypePort;
		d.Flags = CM_RESOURCE_PORT_IO;
		d.u.Port.Start.QuadPart = (LONGLONG)res.start;
		d.u.Port.Length = (ULONG)res.size;
	} else {
		fill_memory(&d, &res);
	}
	*resource = d;
	return STATUS_SUCCESS;
}

static void luid_out(PLUID out, struct sriovvirt_luid luid)
{
	out->LowPart = luid.low_part;
	out->HighPart = luid.high_part;
}

static NTSTATUS query_luid(PVOID context, PLUID luid)
{
	struct sriovvirt_luid l;
	int r;

	if (!context || !luid)
		return STATUS_INVALID_PARAMETER;
	r = sriovvirt_pf_get_luid(sv_pcivirt_pf(context), &l);
	if (r == 0)
		luid_out(luid, l);
	return sriovvirt_ntstatus_from_errno(r);
}

static NTSTATUS query_vf_luid(PVOID context, USHORT vf, PLUID luid)
{
	struct sriovvirt_luid l;
	int r;

	if (!context || !luid)
		return STATUS_INVALID_PARAMETER;
	r = sriovvirt_vf_get_luid(sv_pcivirt_pf(context), vf, &l);
	if (r == 0)
		luid_out(luid, l);
	return sriovvirt_ntstatus_from_errno(r);
}

static NTSTATUS query_luid_vf(PVOID context, LUID luid, PUSHORT vf)
{
	struct sriovvirt_luid l = { luid.LowPart, luid.HighPart };
	int r;

	if (!context || !vf)
		return STATUS_INVALID_PARAMETER;
	r = sriovvirt_pf_find_vf_by_luid(sv_pcivirt_pf(context), l, vf);
	if (r == -ENODEV)	/* no enabled VF has it */
		return STATUS_NOT_FOUND;
	return sriovvirt_ntstatus_from_errno(r);
}

void sv_pcivirt_fill_sriov(struct sriovvirt_pf *pf, USHORT version,
			   SRIOV_DEVICE_INTERFACE_STANDARD_2 *iface)
{
	SRIOV_DEVICE_INTERFACE_STANDARD_2 t = {
		.Size = sizeof(SRIOV_DEVICE_INTERFACE_STANDARD),
		.Version = version,
		.InterfaceReference = sv_pcivirt_pf_reference,
		.InterfaceDereference = sv_pcivirt_pf_dereference,
		.ReadVfConfig = read_vf_config,
		.WriteVfConfig = write_vf_config,
		.ReadVfConfigBlock = read_vf_config_block,
		.WriteVfConfigBlock = write_vf_config_block,
		.QueryProbedBars = query_probed_bars,
		.GetVendorAndDevice = get_vendor_and_device,
		.GetDeviceLocation = get_device_location,
		.ResetVf = reset_vf,
		.SetVfPowerState = set_vf_power_state,
		.GetResourceForBar = get_resource_for_bar,
		.QueryLuid = query_luid,
		.QueryProbedBars_2 = query_probed_bars_2,
		.QueryVfLuid = query_vf_luid,
		.QueryLuidVf = query_luid_vf,
	};

	/* Version 1's table is version 2's first part: copy only that. */
	if (version >= SRIOVVIRT_SRIOV_DEVICE_INTERFACE_STANDARD_VERSION_2)
		t.Size = sizeof(t);
	t.Context = sriovvirt_pf_ref(pf);
	memcpy(iface, &t, t.Size);
}

/* The device's bytes, in its (little-endian) order, as a number. */
static uint64_t le_value(const UCHAR *data, ULONG length)
{
	uint64_t v = 0;

	for (ULONG i = length; i-- > 0;)
		v = v << 8 | data[i];
	return v;
}

static void le_bytes(UCHAR *data, ULONG length, uint64_t v)
{
	for (ULONG i = 0; i < length; i++, v >>= 8)
		data[i] = (UCHAR)v;
}

static NTSTATUS read_write_mitigated_register(PVOID context, USHORT vf,
					      BOOLEAN read, USHORT bar,
					      ULONGLONG offset, ULONG length,
					      PUCHAR data)
{
	struct sriovvirt_pf *pf = sv_pcivirt_pf(context);
	uint64_t value = 0;
	int r;

	if (!pf || !data || length < 1 || length > 8)
		return STATUS_INVALID_PARAMETER;
	if (read) {
		r = sriovvirt_vf_mmio_read(pf, vf, bar, offset, length, &value);
		if (r == 0)
			le_bytes(data, length, value);
	} else {
		r = sriovvirt_vf_mmio_write(pf, vf, bar, offset, length,
					    le_value(data, length));
	}
	if (r == -EBUSY)	/* not open through VFIO */
		return STATUS_INVALID_DEVICE_STATE;
	if (r == -ENODATA)	/* no such BAR */
		return STATUS_INVALID_PARAMETER;
	return sriovvirt_ntstatus_from_errno(r);
}

void sv_pcivirt_fill_mitigable(struct sriovvirt_pf *pf,
			       MITIGABLE_DEVICE_INTERFACE *iface)
{
	*iface = (MITIGABLE_DEVICE_INTERFACE){
		.Size = sizeof(*iface),
		.Version = SRIOVVIRT_MITIGABLE_DEVICE_INTERFACE_VERSION,
		.Context = sriovvirt_pf_ref(pf),
		.InterfaceReference = sv_pcivirt_pf_reference,
		.InterfaceDereference = sv_pcivirt_pf_dereference,
		.ReadWriteMitigatedRegister = read_write_mitigated_register,
	};
}

/* The table @type and @version name, and its size; 0 if none. */
static size_t table_size(const GUID *type, USHORT version)
{
	if (IsEqualGUID(type, &GUID_PCI_VIRTUALIZATION_INTERFACE))
		return version == SRIOVVIRT_PCI_VIRTUALIZATION_INTERFACE_VERSION ?
			sizeof(PCI_VIRTUALIZATION_INTERFACE) : 0;
	if (IsEqualGUID(type, &GUID_MITIGABLE_DEVICE_INTERFACE))
		return version == SRIOVVIRT_MITIGABLE_DEVICE_INTERFACE_VERSION ?
			sizeof(MITIGABLE_DEVICE_INTERFACE) : 0;
	if (version == SRIOVVIRT_SRIOV_DEVICE_INTERFACE_STANDARD_VERSION)
		return sizeof(SRIOV_DEVICE_INTERFACE_STANDARD);
	if (version == SRIOVVIRT_SRIOV_DEVICE_INTERFACE_STANDARD_VERSION_2)
		return sizeof(SRIOV_DEVICE_INTERFACE_STANDARD_2);
	return 0;
}

static bool known_pf_guid(const GUID *type)
{
	return IsEqualGUID(type, &GUID_PCI_VIRTUALIZATION_INTERFACE) ||
	       IsEqualGUID(type, &GUID_SRIOV_DEVICE_INTERFACE_STANDARD) ||
	       IsEqualGUID(type, &GUID_MITIGABLE_DEVICE_INTERFACE);
}

SV_EXPORT NTSTATUS sriovvirt_query_interface(struct sriovvirt_pf *pf,
					     const GUID *type, USHORT size,
					     USHORT version, INTERFACE *iface)
{
	size_t need;

	if (!pf || !type || !iface)
		return STATUS_INVALID_PARAMETER;
	if (!known_pf_guid(type)) {
		sv_err(pf->ctx, "%s: no interface with that GUID (the VF side, "
		       "GUID_VPCI_INTERFACE_STANDARD, comes from "
		       "sriovvirt_vf_query_interface)", pf->name);
		return STATUS_NOT_SUPPORTED;
	}
	need = table_size(type, version);
	if (!need) {
		sv_err(pf->ctx, "%s: QUERY_INTERFACE: no version %u of that "
		       "interface", pf->name, version);
		return STATUS_INVALID_PARAMETER;
	}
	if (size < need) {
		sv_err(pf->ctx, "%s: QUERY_INTERFACE: version %u needs a table "
		       "of %zu bytes, Size is %u", pf->name, version, need,
		       size);
		return STATUS_INVALID_PARAMETER;
	}
	if (IsEqualGUID(type, &GUID_PCI_VIRTUALIZATION_INTERFACE))
		sv_pcivirt_fill_bus(pf, (PCI_VIRTUALIZATION_INTERFACE *)iface);
	else if (IsEqualGUID(type, &GUID_MITIGABLE_DEVICE_INTERFACE))
		sv_pcivirt_fill_mitigable(pf,
					  (MITIGABLE_DEVICE_INTERFACE *)iface);
	else
		sv_pcivirt_fill_sriov(pf, version,
				      (SRIOV_DEVICE_INTERFACE_STANDARD_2 *)iface);
	return STATUS_SUCCESS;
}
