/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The Windows-shaped layer (sriovvirt-pcivirt.h): shared by the table
 * files (pcivirt-bus.c, pcivirt-sriov.c, pcivirt-vpci.c), the requests
 * (pcivirt-ioctl.c) and the status table (ntstatus.c).
 */
#ifndef SRIOVVIRT_PCIVIRT_PRIVATE_H
#define SRIOVVIRT_PCIVIRT_PRIVATE_H

#include "sriovvirt-pcivirt.h"
#include "internal.h"

/* A failure status's errno (its first row in the table), 0 for success;
 * -ECANCELED for a status the table does not have. */
int sv_errno_from_ntstatus(NTSTATUS status);

/* The PF a table's Context names, NULL for none. */
static inline struct sriovvirt_pf *sv_pcivirt_pf(PVOID context)
{
	return (struct sriovvirt_pf *)context;
}

/* The Context's reference, as InterfaceReference/InterfaceDereference. */
VOID sv_pcivirt_pf_reference(PVOID context);
VOID sv_pcivirt_pf_dereference(PVOID context);

/* Fill a table whose GUID, size and version were checked. */
void sv_pcivirt_fill_bus(struct sriovvirt_pf *pf,
			 PCI_VIRTUALIZATION_INTERFACE *iface);
void sv_pcivirt_fill_sriov(struct sriovvirt_pf *pf, USHORT version,
			   SRIOV_DEVICE_INTERFACE_STANDARD_2 *iface);
void sv_pcivirt_fill_mitigable(struct sriovvirt_pf *pf,
			       MITIGABLE_DEVICE_INTERFACE *iface);

/* GetLocation's answer; STATUS_NOT_SUPPORTED for a domain above 16 bits. */
NTSTATUS sv_pcivirt_location(struct sriovvirt_pf *pf, USHORT vf,
			     PUINT16 segment, PUINT8 bus, PUINT8 function);

/* A block read's status: STATUS_NOT_FOUND if never written; the bytes
 * past a block shorter than @length zeroed. */
NTSTATUS sv_pcivirt_block_status(int r, void *buf, ULONG length,
				 size_t stored);

#endif
