// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * VPCI_INTERFACE_STANDARD and the IOCTL_VPCI_* requests (vpci.h): the VF
 * side of the config-block backchannel, on a VPCI handle (vpci.c).
 */

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "pcivirt.h"

static VOID vpci_reference(PVOID context)
{
	sriovvirt_vpci_ref(context);
}

static VOID vpci_dereference(PVOID context)
{
	sriovvirt_vpci_unref(context);
}

static NTSTATUS vpci_read_block(PVOID context, ULONG block_id, PVOID buffer,
				ULONG length)
{
	size_t stored = 0;
	int r;

	if (!context || !buffer)
		return STATUS_INVALID_PARAMETER;
	r = sriovvirt_vpci_read_block(context, block_id, buffer, length,
				      &stored);
	return sv_pcivirt_block_status(r, buffer, length, stored);
}

static NTSTATUS vpci_write_block(PVOID context, ULONG block_id, PVOID buffer,
				 ULONG length)
{
	if (!context || !buffer)
		return STATUS_INVALID_PARAMETER;
	return sriovvirt_ntstatus_from_errno(
		sriovvirt_vpci_write_block(context, block_id, buffer, length));
}

SV_EXPORT NTSTATUS sriovvirt_vf_query_interface(struct sriovvirt_pf *pf,
						USHORT vf, const GUID *type,
						USHORT size, USHORT version,
						INTERFACE *iface)
{
	struct sriovvirt_vpci *vpci;
	uint32_t serial = 0;
	int r;

	if (!pf || !type || !iface)
		return STATUS_INVALID_PARAMETER;
	if (!IsEqualGUID(type, &GUID_VPCI_INTERFACE_STANDARD)) {
		sv_err(pf->ctx, "%s: a VF has only GUID_VPCI_INTERFACE_STANDARD",
		       pf->name);
		return STATUS_NOT_SUPPORTED;
	}
	if (version != SRIOVVIRT_VPCI_INTERFACE_STANDARD_VERSION ||
	    size < sizeof(VPCI_INTERFACE_STANDARD)) {
		sv_err(pf->ctx, "%s: VPCI_INTERFACE_STANDARD is version %u, %zu "
		       "bytes; asked for version %u in %u bytes", pf->name,
		       SRIOVVIRT_VPCI_INTERFACE_STANDARD_VERSION,
		       sizeof(VPCI_INTERFACE_STANDARD), version, size);
		return STATUS_INVALID_PARAMETER;
	}
	r = sriovvirt_vpci_open(pf->ctx, pf->name, vf, &vpci);
	if (r < 0)
		return sriovvirt_ntstatus_from_errno(r);
	r = sriovvirt_vpci_get_serial_number(vpci, &serial);
	if (r == 0)	/* refused now rather than at the first block */
		r = sv_vpci_check_store(vpci);
	if (r < 0) {
		sriovvirt_vpci_unref(vpci);
		return sriovvirt_ntstatus_from_errno(r);
	}
	*(VPCI_INTERFACE_STANDARD *)iface = (VPCI_INTERFACE_STANDARD){
		.Size = sizeof(VPCI_INTERFACE_STANDARD),
		.Version = version,
		.Context = vpci,
		.InterfaceReference = vpci_reference,
		.InterfaceDereference = vpci_dereference,
		.WriteVfConfigBlock = vpci_write_block,
		.ReadVfConfigBlock = vpci_read_block,
		.SerialNumber = serial,
	};
	return STATUS_SUCCESS;
}

struct vpci_io {
	const void *in;
	ULONG in_len;
	void *out;
	ULONG out_len;
	ULONG_PTR info;
};

static NTSTATUS read_block(struct sriovvirt_vpci *vpci, struct vpci_io *io)
{
	VPCI_READ_BLOCK_INPUT in;
	size_t stored = 0;
	int r;

	if (io->in_len < sizeof(in))
		return STATUS_BUFFER_TOO_SMALL;
	memcpy(&in, io->in, sizeof(in));
	if (io->out_len != in.BytesRequested) {
		io->info = in.BytesRequested;
		return STATUS_BUFFER_TOO_SMALL;
	}
	r = sriovvirt_vpci_read_block(vpci, in.BlockId, io->out,
				      in.BytesRequested, &stored);
	if (r == -ENODATA)
		return STATUS_NOT_FOUND;
	if (r == 0)
		io->info = stored < in.BytesRequested ? stored : in.BytesRequested;
	return sriovvirt_ntstatus_from_errno(r);
}

static NTSTATUS write_block(struct sriovvirt_vpci *vpci, struct vpci_io *io)
{
	const size_t head = offsetof(VPCI_WRITE_BLOCK_INPUT, Data);
	VPCI_WRITE_BLOCK_INPUT in;
	int r;

	if (io->in_len < head)
		return STATUS_BUFFER_TOO_SMALL;
	memcpy(&in, io->in, head);
	if (io->in_len - head < in.DataLength)
		return STATUS_BUFFER_TOO_SMALL;
	r = sriovvirt_vpci_write_block(vpci, in.BlockId,
				       (const char *)io->in + head,
				       in.DataLength);
	if (r == 0)
		io->info = in.DataLength;
	return sriovvirt_ntstatus_from_errno(r);
}

/*
 * Windows passes the output structure as the request's Type3InputBuffer
 * (METHOD_NEITHER): with no output buffer, the input one is written.
 */
static NTSTATUS invalidate_block(struct sriovvirt_vpci *vpci,
				 struct vpci_io *io)
{
	VPCI_INVALIDATE_BLOCK_OUTPUT out;
	void *dst = io->out;
	uint64_t mask = 0;
	int r;

	if (!io->out_len && io->in_len >= sizeof(out))
		dst = (void *)io->in;
	else if (io->out_len < sizeof(out)) {
		io->info = sizeof(out);
		return STATUS_BUFFER_TOO_SMALL;
	}
	r = sv_vpci_wait(vpci, -1, sv_vpci_cancel(vpci), &mask);
	if (r < 0)
		return sriovvirt_ntstatus_from_errno(r);
	out.BlockMask = mask;
	memcpy(dst, &out, sizeof(out));
	return STATUS_SUCCESS;	/* Information 0, as Windows' page says */
}

SV_EXPORT NTSTATUS sriovvirt_vpci_device_io_control(struct sriovvirt_vpci *vpci,
						    ULONG code, const void *in,
						    ULONG in_len, void *out,
						    ULONG out_len,
						    ULONG_PTR *information)
{
	struct vpci_io io = { in, in_len, out, out_len, 0 };
	NTSTATUS status;

	if (information)
		*information = 0;
	if (!vpci || (in_len && !in) || (out_len && !out))
		return STATUS_INVALID_PARAMETER;
	switch (code) {
	case IOCTL_VPCI_READ_BLOCK:
		status = read_block(vpci, &io);
		break;
	case IOCTL_VPCI_WRITE_BLOCK:
		status = write_block(vpci, &io);
		break;
	case IOCTL_VPCI_INVALIDATE_BLOCK:
		status = invalidate_block(vpci, &io);
		break;
	default:
		return STATUS_INVALID_DEVICE_REQUEST;
	}
	if (information)
		*information = io.info;
	return status;
}
