/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sriovvirt-pcivirt.h - the Windows shapes of libsriovvirt.
 *
 * The interface tables of wdm.h (PCI_VIRTUALIZATION_INTERFACE), pcivirt.h
 * (SRIOV_DEVICE_INTERFACE_STANDARD(_2), MITIGABLE_DEVICE_INTERFACE, the
 * IOCTL_SRIOV_* requests) and vpci.h (VPCI_INTERFACE_STANDARD, the
 * IOCTL_VPCI_* requests), with Windows' type, member and constant names and
 * values, so that a virtualization stack written against Microsoft's
 * documentation ports with few changes. Every callback is the native call
 * of <sriovvirt.h> that the Windows routine's documentation names, with its
 * negative errno turned into an NTSTATUS by one table
 * (sriovvirt_ntstatus_from_errno()).
 *
 * Where the I/O manager stands on Windows, two calls stand here:
 *
 * - sriovvirt_query_interface() is IRP_MN_QUERY_INTERFACE: it fills a
 *   table for a GUID. Its Context holds a reference on the PF handle, which
 *   InterfaceDereference drops, as on Windows.
 * - sriovvirt_device_io_control() is IRP_MJ_DEVICE_CONTROL for every
 *   IOCTL_SRIOV_* code, with the buffer rules of a KMDF driver that
 *   retrieves its buffers with a minimum size.
 *
 * The VF side (vpci.h) is sriovvirt_vf_query_interface() and
 * sriovvirt_vpci_device_io_control().
 *
 * Linux rules that hold for everything below:
 *
 * - The layouts are Windows x64's on 64-bit Linux (x86-64, arm64, ...):
 *   the header checks every size and offset there with static assertions.
 *   On 32-bit targets the structures are the natural C ones; they are not
 *   laid out as on 32-bit Windows.
 * - Windows' ULONG is 32 bits: here it is uint32_t, never unsigned long
 *   (64 bits on Linux). The base types (VOID, UCHAR, USHORT, ULONG, ...,
 *   NTSTATUS) are defined unless the program defines
 *   SRIOVVIRT_PCIVIRT_HAVE_BASE_TYPES before including this header, for a
 *   program that already has fixed-width ones under these names; the
 *   structures, GUIDs and constants below are always defined.
 * - The same thread rule as the native API: a context and every handle,
 *   table and Context made from it are used by one thread at a time. There
 *   is no IRQL: every routine may sleep, and none may be called from a
 *   signal handler.
 * - The requests Windows pends (IOCTL_SRIOV_NOTIFICATION,
 *   IOCTL_SRIOV_INVALIDATE_BLOCK, IOCTL_SRIOV_MITIGATED_RANGE_UPDATE,
 *   IOCTL_VPCI_INVALIDATE_BLOCK) block the calling thread until they are
 *   completed or cancelled (STATUS_CANCELLED), as the sender cancels the
 *   IRP on Windows: by sriovvirt_pf_cancel_io() or
 *   sriovvirt_vpci_cancel_io() from a signal handler or another thread.
 *   Any signal whose handler runs during the wait cancels it too,
 *   SA_RESTART or not (poll() is never restarted); one that comes just
 *   before the wait does not, so a handler that means to stop a request
 *   cancels it. An event loop uses the native descriptors instead
 *   (sriovvirt_pf_attach(), sriovvirt_pf_watch_mitigations(),
 *   sriovvirt_vpci_get_fd()).
 * - Why a call failed is logged through the context's log function
 *   (sriovvirt_ctx_set_log_fn()), as with the native API.
 *
 * Needs C11 or C++11.
 */
#ifndef SRIOVVIRT_PCIVIRT_H
#define SRIOVVIRT_PCIVIRT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <sriovvirt.h>

#if !defined(__cplusplus) && (!defined(__STDC_VERSION__) || __STDC_VERSION__ < 201112L)
#error "sriovvirt-pcivirt.h needs C11 (or C++11)"
#endif

#ifdef __cplusplus
#define SRIOVVIRT_PCIVIRT_ASSERT(e, msg) static_assert(e, msg)
extern "C" {
#else
#define SRIOVVIRT_PCIVIRT_ASSERT(e, msg) _Static_assert(e, msg)
#endif

#ifdef __GNUC__
#define SRIOVVIRT_PCIVIRT_EXTENSION __extension__
#define SRIOVVIRT_PCIVIRT_UNUSED __attribute__((unused))
#else
#define SRIOVVIRT_PCIVIRT_EXTENSION
#define SRIOVVIRT_PCIVIRT_UNUSED
#endif

/* ------------------------------------------------------------------------ */
/* Base types (ntdef.h, basetsd.h), fixed width                             */
/* ------------------------------------------------------------------------ */

#ifndef SRIOVVIRT_PCIVIRT_HAVE_BASE_TYPES
typedef void VOID;
typedef void *PVOID;
typedef uint8_t UCHAR, *PUCHAR;
typedef uint16_t USHORT, *PUSHORT;
typedef uint32_t ULONG, *PULONG;
typedef int32_t LONG, *PLONG;
typedef uint64_t ULONG64, *PULONG64;
typedef uint64_t ULONGLONG, *PULONGLONG;
typedef int64_t LONGLONG, *PLONGLONG;
typedef uintptr_t ULONG_PTR, *PULONG_PTR;
typedef uintptr_t KAFFINITY;
typedef uint8_t UINT8, *PUINT8;
typedef uint16_t UINT16, *PUINT16;
typedef uint32_t UINT32, *PUINT32;
typedef uint64_t UINT64, *PUINT64;
typedef uint8_t BOOLEAN, *PBOOLEAN;
typedef int32_t NTSTATUS;
#endif

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

#define NT_SUCCESS(Status) (((NTSTATUS)(Status)) >= 0)

typedef struct _LUID {
	ULONG LowPart;
	LONG HighPart;
} LUID, *PLUID;

typedef union _LARGE_INTEGER {
	SRIOVVIRT_PCIVIRT_EXTENSION struct {
		ULONG LowPart;
		LONG HighPart;
	};
	struct {
		ULONG LowPart;
		LONG HighPart;
	} u;
	LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef LARGE_INTEGER PHYSICAL_ADDRESS, *PPHYSICAL_ADDRESS;

typedef struct _GUID {
	ULONG Data1;
	USHORT Data2;
	USHORT Data3;
	UCHAR Data4[8];
} GUID, *PGUID;

/* True when two GUIDs are equal, as Windows' IsEqualGUID (in C++ it also
 * takes references, as Windows' REFGUID there). */
static inline int IsEqualGUID(const GUID *a, const GUID *b)
{
	return memcmp(a, b, sizeof(GUID)) == 0;
}

/* ------------------------------------------------------------------------ */
/* NTSTATUS values (ntstatus.h) that the routines below return              */
/* ------------------------------------------------------------------------ */

#define STATUS_SUCCESS			((NTSTATUS)0x00000000)
#define STATUS_PENDING			((NTSTATUS)0x00000103)
#define STATUS_DEVICE_BUSY		((NTSTATUS)0x80000011)
#define STATUS_UNSUCCESSFUL		((NTSTATUS)0xC0000001)
#define STATUS_INVALID_PARAMETER	((NTSTATUS)0xC000000D)
#define STATUS_NO_SUCH_DEVICE		((NTSTATUS)0xC000000E)
#define STATUS_INVALID_DEVICE_REQUEST	((NTSTATUS)0xC0000010)
#define STATUS_ACCESS_DENIED		((NTSTATUS)0xC0000022)
#define STATUS_BUFFER_TOO_SMALL		((NTSTATUS)0xC0000023)
#define STATUS_OBJECT_PATH_NOT_FOUND	((NTSTATUS)0xC000003A)
#define STATUS_SHARING_VIOLATION	((NTSTATUS)0xC0000043)
#define STATUS_INSUFFICIENT_RESOURCES	((NTSTATUS)0xC000009A)
#define STATUS_IO_TIMEOUT		((NTSTATUS)0xC00000B5)
#define STATUS_NOT_SUPPORTED		((NTSTATUS)0xC00000BB)
#define STATUS_NAME_TOO_LONG		((NTSTATUS)0xC0000106)
#define STATUS_CANCELLED		((NTSTATUS)0xC0000120)
#define STATUS_INVALID_DEVICE_STATE	((NTSTATUS)0xC0000184)
#define STATUS_IO_DEVICE_ERROR		((NTSTATUS)0xC0000185)
#define STATUS_NOT_FOUND		((NTSTATUS)0xC0000225)

/**
 * sriovvirt_ntstatus_from_errno() - the NTSTATUS for a native result
 * @err: 0 or a negative errno value, as the native calls return (a positive
 *       value is taken as its negative)
 *
 * The one table every callback and request below goes through, unless its
 * documentation names an exception:
 *
 *   0                            STATUS_SUCCESS
 *   -EINVAL                      STATUS_INVALID_PARAMETER
 *   -ENODEV, -ENXIO              STATUS_NO_SUCH_DEVICE
 *   -ENODATA                     STATUS_INVALID_DEVICE_STATE
 *   -EOPNOTSUPP, -ENOTTY, -ENOSYS STATUS_NOT_SUPPORTED
 *   -EBUSY                       STATUS_DEVICE_BUSY
 *   -ENOSPC, -ENOMEM, -EMFILE, -ENFILE  STATUS_INSUFFICIENT_RESOURCES
 *   -EACCES, -EPERM              STATUS_ACCESS_DENIED
 *   -ETIMEDOUT                   STATUS_IO_TIMEOUT
 *   -ECANCELED, -EINTR           STATUS_CANCELLED
 *   -EIO                         STATUS_IO_DEVICE_ERROR
 *   -ERANGE                      STATUS_BUFFER_TOO_SMALL
 *   -ENOENT, -ENOTDIR            STATUS_OBJECT_PATH_NOT_FOUND
 *   -ENAMETOOLONG                STATUS_NAME_TOO_LONG
 *   anything else                STATUS_UNSUCCESSFUL
 *
 * Return: the NTSTATUS.
 */
NTSTATUS sriovvirt_ntstatus_from_errno(int err);

/**
 * sriovvirt_ntstatus_name() - an NTSTATUS's name, for messages
 * @status: a status
 *
 * Return: "STATUS_SUCCESS", "STATUS_INVALID_PARAMETER", ... for the values
 * defined in this header; NULL for any other.
 */
const char *sriovvirt_ntstatus_name(NTSTATUS status);

/* ------------------------------------------------------------------------ */
/* GUIDs (wdmguid.h, pcivirt.h, vpci.h)                                     */
/* ------------------------------------------------------------------------ */

/* Each translation unit gets its own copy, as with Windows' INITGUID. */
static const GUID SRIOVVIRT_PCIVIRT_UNUSED GUID_PCI_VIRTUALIZATION_INTERFACE = {
	0x64897b47, 0x3a4a, 0x4d75,
	{ 0xbc, 0x74, 0x89, 0xdd, 0x6c, 0x07, 0x82, 0x93 } };
static const GUID SRIOVVIRT_PCIVIRT_UNUSED GUID_DEVINTERFACE_VIRTUALIZABLE_DEVICE = {
	0xa13a7a93, 0x11f0, 0x4bd2,
	{ 0xa9, 0xf5, 0x6b, 0x5c, 0x5b, 0x88, 0x52, 0x7d } };
static const GUID SRIOVVIRT_PCIVIRT_UNUSED GUID_SRIOV_DEVICE_INTERFACE_STANDARD = {
	0x937ee9b6, 0x0ed3, 0x411c,
	{ 0x98, 0x2b, 0x1f, 0x56, 0x4a, 0xfb, 0xab, 0xd3 } };
static const GUID SRIOVVIRT_PCIVIRT_UNUSED GUID_MITIGABLE_DEVICE_INTERFACE = {
	0xadfd9567, 0x4245, 0x497e,
	{ 0x85, 0x72, 0x78, 0xd4, 0x5c, 0x16, 0x22, 0xb8 } };
static const GUID SRIOVVIRT_PCIVIRT_UNUSED GUID_DEVINTERFACE_DIRECTLY_ASSIGNABLE_DEVICE = {
	0x0db3e0f9, 0x3536, 0x4213,
	{ 0x95, 0x72, 0xad, 0x77, 0xe2, 0x24, 0xbe, 0x27 } };
static const GUID SRIOVVIRT_PCIVIRT_UNUSED GUID_VPCI_INTERFACE_STANDARD = {
	0x12e65e71, 0xb651, 0x4067,
	{ 0x83, 0x1a, 0x13, 0x83, 0x20, 0x3c, 0xb0, 0xcb } };
static const GUID SRIOVVIRT_PCIVIRT_UNUSED GUID_BUS_VPCI = {
	0xc066f39a, 0xde00, 0x4667,
	{ 0x89, 0x41, 0x33, 0x68, 0xed, 0x5d, 0x83, 0xb5 } };
static const GUID SRIOVVIRT_PCIVIRT_UNUSED GUID_DEVINTERFACE_VPCI = {
	0x57863182, 0xc948, 0x4692,
	{ 0x97, 0xe3, 0x34, 0xb5, 0x76, 0x62, 0xa3, 0xe0 } };

/* ------------------------------------------------------------------------ */
/* Shared types (wdm.h)                                                     */
/* ------------------------------------------------------------------------ */

#define PCI_TYPE0_ADDRESSES 6

typedef enum _DEVICE_POWER_STATE {
	PowerDeviceUnspecified = 0,
	PowerDeviceD0,
	PowerDeviceD1,
	PowerDeviceD2,
	PowerDeviceD3,
	PowerDeviceMaximum
} DEVICE_POWER_STATE, *PDEVICE_POWER_STATE;

typedef VOID INTERFACE_REFERENCE(PVOID Context);
typedef INTERFACE_REFERENCE *PINTERFACE_REFERENCE;
typedef VOID INTERFACE_DEREFERENCE(PVOID Context);
typedef INTERFACE_DEREFERENCE *PINTERFACE_DEREFERENCE;

/* The header every interface table starts with. */
typedef struct _INTERFACE {
	USHORT Size;
	USHORT Version;
	PVOID Context;
	PINTERFACE_REFERENCE InterfaceReference;
	PINTERFACE_DEREFERENCE InterfaceDereference;
} INTERFACE, *PINTERFACE;

/* CM_PARTIAL_RESOURCE_DESCRIPTOR: Type */
#define CmResourceTypeNull		0
#define CmResourceTypePort		1
#define CmResourceTypeInterrupt		2
#define CmResourceTypeMemory		3
#define CmResourceTypeMemoryLarge	7
/* ShareDisposition */
#define CmResourceShareUndetermined	0
#define CmResourceShareDeviceExclusive	1
/* Flags of a memory resource */
#define CM_RESOURCE_MEMORY_READ_WRITE		0x0000
#define CM_RESOURCE_MEMORY_PREFETCHABLE		0x0004
#define CM_RESOURCE_MEMORY_BAR			0x0080
#define CM_RESOURCE_MEMORY_LARGE_40		0x0200
#define CM_RESOURCE_MEMORY_LARGE_48		0x0400
#define CM_RESOURCE_MEMORY_LARGE_64		0x0800
/* Flags of a port resource */
#define CM_RESOURCE_PORT_MEMORY			0x0000
#define CM_RESOURCE_PORT_IO			0x0001

/*
 * The parts of wdm.h's CM_PARTIAL_RESOURCE_DESCRIPTOR that GetResourceForBar
 * fills, with the members that give the union its Windows size. Packed to
 * 4 bytes as wdm.h declares it (pshpack4.h): 20 bytes on x64.
 */
#pragma pack(push, 4)
typedef struct _CM_PARTIAL_RESOURCE_DESCRIPTOR {
	UCHAR Type;
	UCHAR ShareDisposition;
	USHORT Flags;
	union {
		struct {
			PHYSICAL_ADDRESS Start;
			ULONG Length;
		} Generic;
		struct {
			PHYSICAL_ADDRESS Start;
			ULONG Length;
		} Port;
		struct {
			USHORT Level;
			USHORT Group;
			ULONG Vector;
			KAFFINITY Affinity;
		} Interrupt;
		struct {
			PHYSICAL_ADDRESS Start;
			ULONG Length;
		} Memory;
		struct {
			ULONG Data[3];
		} DevicePrivate;
		/* Length40/48/64 hold the length >> 8, >> 16, >> 32. */
		struct {
			PHYSICAL_ADDRESS Start;
			ULONG Length40;
		} Memory40;
		struct {
			PHYSICAL_ADDRESS Start;
			ULONG Length48;
		} Memory48;
		struct {
			PHYSICAL_ADDRESS Start;
			ULONG Length64;
		} Memory64;
	} u;
} CM_PARTIAL_RESOURCE_DESCRIPTOR, *PCM_PARTIAL_RESOURCE_DESCRIPTOR;
#pragma pack(pop)

/* ------------------------------------------------------------------------ */
/* PCI_VIRTUALIZATION_INTERFACE (wdm.h): the PCI bus driver's side          */
/* ------------------------------------------------------------------------ */

/*
 * The privileged bus layer. VF config space is reached as the PF handle
 * reaches it: through sysfs, the hardware's view (Vendor and Device ID
 * read 0xffff), or, once this handle opened the VF with
 * sriovvirt_vf_vfio_open(), through its VFIO device (the guest's view).
 *
 * SetVirtualFunctionData: sriovvirt_vf_config_write() with no flags.
 *   Returns the bytes written, 0 on any failure (no NTSTATUS, as on
 *   Windows): a VF bound to a host driver other than vfio-pci or pci-stub
 *   is refused, and so is a range past the VF's config space.
 * GetVirtualFunctionData: sriovvirt_vf_config_read(). Returns the bytes
 *   read: fewer than Length when the kernel reads short (64 bytes without
 *   CAP_SYS_ADMIN, the end of a 256-byte config space), 0 on failure.
 * GetLocation: sriovvirt_vf_get_addr(). VirtualFunction must be below
 *   TotalVFs (Windows' "larger than TotalVFs" is off by one):
 *   STATUS_INVALID_PARAMETER otherwise. TotalVFs here and in
 *   EnableVirtualization is the limit the PF driver sets (sysfs
 *   sriov_totalvfs), which may be below the capability's register: the
 *   kernel creates no VF past it. FunctionNumber is the 8-bit
 *   (device << 3 | function) number. A PCI domain above 0xffff (Linux has
 *   them, e.g. VMD) is STATUS_NOT_SUPPORTED rather than truncated; a VF
 *   that would lie past bus 255 STATUS_INSUFFICIENT_RESOURCES.
 * GetResources: the CapturedBusNumbers of sriovvirt_pf_get_sriov_info(); 0
 *   when it fails (the routine cannot report failure).
 * EnableVirtualization: sriovvirt_pf_enable_virtualization(), waiting (at
 *   most 30 s) until every VF exists, as Windows' bus driver has enumerated
 *   them when the call returns. STATUS_INVALID_PARAMETER: NumVFs 0 or above
 *   TotalVFs on enable, not 0 on disable, EnableMigrationInterrupt without
 *   EnableVfMigration. STATUS_INVALID_DEVICE_STATE: enabling a PF that has
 *   VFs, disabling one that has none, no driver bound to the PF, VFs
 *   that this handle holds through VFIO or that the PF driver refuses to
 *   disable (in use), or another process changing the VFs meanwhile.
 *   STATUS_NOT_SUPPORTED: EnableVfMigration (Linux never enables MR-IOV,
 *   so this is the answer whether or not the device is migration capable,
 *   where Windows answers STATUS_INVALID_PARAMETER for a device that is
 *   not), or a PF driver that cannot create VFs. STATUS_INSUFFICIENT_RESOURCES:
 *   the driver enabled fewer VFs than asked (rolled back). STATUS_CANCELLED
 *   or STATUS_IO_TIMEOUT: an attached stack vetoed the disable or did not
 *   answer. STATUS_IO_TIMEOUT also when the VFs did not all appear in time
 *   (they stay enabled).
 * GetVirtualFunctionProbedBars: sriovvirt_pf_get_vf_probed_bars(), the VF
 *   BARs of the SR-IOV capability; STATUS_INVALID_DEVICE_STATE without an
 *   SR-IOV capability.
 */
typedef ULONG SET_VIRTUAL_DEVICE_DATA(PVOID Context, USHORT VirtualFunction,
				      PVOID Buffer, ULONG Offset, ULONG Length);
typedef SET_VIRTUAL_DEVICE_DATA *PSET_VIRTUAL_DEVICE_DATA;
typedef ULONG GET_VIRTUAL_DEVICE_DATA(PVOID Context, USHORT VirtualFunction,
				      PVOID Buffer, ULONG Offset, ULONG Length);
typedef GET_VIRTUAL_DEVICE_DATA *PGET_VIRTUAL_DEVICE_DATA;
typedef NTSTATUS GET_VIRTUAL_DEVICE_LOCATION(PVOID Context,
					     USHORT VirtualFunction,
					     PUINT16 SegmentNumber,
					     PUINT8 BusNumber,
					     PUINT8 FunctionNumber);
typedef GET_VIRTUAL_DEVICE_LOCATION *PGET_VIRTUAL_DEVICE_LOCATION;
typedef VOID GET_VIRTUAL_DEVICE_RESOURCES(PVOID Context,
					  PUINT8 CapturedBusNumbers);
typedef GET_VIRTUAL_DEVICE_RESOURCES *PGET_VIRTUAL_DEVICE_RESOURCES;
typedef NTSTATUS ENABLE_VIRTUALIZATION(PVOID Context, UINT16 NumVFs,
				       BOOLEAN EnableVfMigration,
				       BOOLEAN EnableMigrationInterrupt,
				       BOOLEAN EnableVirtualization);
typedef ENABLE_VIRTUALIZATION *PENABLE_VIRTUALIZATION;
typedef NTSTATUS GET_VIRTUAL_FUNCTION_PROBED_BARS(PVOID Context,
						  PULONG BaseRegisterValues);
typedef GET_VIRTUAL_FUNCTION_PROBED_BARS *PGET_VIRTUAL_FUNCTION_PROBED_BARS;

typedef struct _PCI_VIRTUALIZATION_INTERFACE {
	USHORT Size;
	USHORT Version;
	PVOID Context;
	PINTERFACE_REFERENCE InterfaceReference;
	PINTERFACE_DEREFERENCE InterfaceDereference;
	PSET_VIRTUAL_DEVICE_DATA SetVirtualFunctionData;
	PGET_VIRTUAL_DEVICE_DATA GetVirtualFunctionData;
	PGET_VIRTUAL_DEVICE_LOCATION GetLocation;
	PGET_VIRTUAL_DEVICE_RESOURCES GetResources;
	PENABLE_VIRTUALIZATION EnableVirtualization;
	PGET_VIRTUAL_FUNCTION_PROBED_BARS GetVirtualFunctionProbedBars;
} PCI_VIRTUALIZATION_INTERFACE, *PPCI_VIRTUALIZATION_INTERFACE;

#define SRIOVVIRT_PCI_VIRTUALIZATION_INTERFACE_VERSION 1

/* ------------------------------------------------------------------------ */
/* SRIOV_DEVICE_INTERFACE_STANDARD(_2) (pcivirt.h): the PF driver's side    */
/* ------------------------------------------------------------------------ */

#define VPCI_MAX_READ_WRITE_BLOCK_SIZE 128

/*
 * What the virtualization stack asks the PF driver for, on behalf of a VM.
 * VfIndex is below NumVFs (an enabled VF) unless said otherwise:
 * STATUS_INVALID_PARAMETER otherwise.
 *
 * ReadVfConfig: sriovvirt_vf_config_read(). Through the VF's VFIO device
 *   (the guest's view: real IDs, virtual BARs) once this PF handle has
 *   opened the VF with sriovvirt_vf_vfio_open(), through sysfs (the
 *   hardware's view) before. A short read is STATUS_IO_DEVICE_ERROR.
 * WriteVfConfig: sriovvirt_vf_config_write(), only through the VF's VFIO
 *   device: a guest's write must never reach the hardware unfiltered.
 *   STATUS_INVALID_DEVICE_STATE until sriovvirt_vf_vfio_open() opened it.
 * ReadVfConfigBlock, WriteVfConfigBlock: sriovvirt_vf_read_block() and
 *   sriovvirt_vf_write_block(); Length 1..VPCI_MAX_READ_WRITE_BLOCK_SIZE.
 *   A block never written is STATUS_NOT_FOUND; a block shorter than Length
 *   reads as its bytes followed by zeros.
 * QueryProbedBars: sriovvirt_pf_get_probed_bars(), the PF's own BARs (the
 *   callback page's reading; GetVirtualFunctionProbedBars has the VFs').
 * GetVendorAndDevice: sriovvirt_vf_get_ids(); 0xffff and 0xffff when it
 *   fails (the routine cannot report failure).
 * GetDeviceLocation: as GetLocation (any VF below TotalVFs, enabled or
 *   not); 0xffff, 0xff, 0xff when it fails.
 * ResetVf: sriovvirt_vf_reset(); STATUS_NOT_SUPPORTED when no reset method
 *   stays within the VF.
 * SetVfPowerState: sriovvirt_vf_set_power_state(). PowerDeviceD3 is D3hot;
 *   PowerDeviceUnspecified, PowerDeviceMaximum and Wake with PowerDeviceD0
 *   are STATUS_INVALID_PARAMETER; a state the VF does not support is
 *   STATUS_NOT_SUPPORTED; a VF bound to a host driver STATUS_DEVICE_BUSY.
 * GetResourceForBar: sriovvirt_vf_get_bar_resource(). Type
 *   CmResourceTypeMemory with CM_RESOURCE_MEMORY_BAR (and _PREFETCHABLE),
 *   CmResourceTypeMemoryLarge with _LARGE_40/48/64 for a BAR of 4 GiB or
 *   more, CmResourceTypePort for an I/O BAR; ShareDisposition
 *   CmResourceShareDeviceExclusive. A BAR the VF does not implement is
 *   STATUS_INVALID_PARAMETER, as is a VF index past NumVFs (Microsoft's
 *   sample answers STATUS_INVALID_DEVICE_REQUEST there).
 * QueryLuid: sriovvirt_pf_get_luid().
 * QueryProbedBars_2 (version 2): sriovvirt_vf_get_probed_bars().
 * QueryVfLuid (version 2): sriovvirt_vf_get_luid().
 * QueryLuidVf (version 2): sriovvirt_pf_find_vf_by_luid(); a LUID that no
 *   enabled VF of the PF has is STATUS_NOT_FOUND (so is a PF that
 *   vanished).
 */
typedef NTSTATUS SRIOV_READ_CONFIG(PVOID Context, PVOID Data, USHORT VfIndex,
				   ULONG Offset, ULONG Length);
typedef SRIOV_READ_CONFIG *PSRIOV_READ_CONFIG;
typedef NTSTATUS SRIOV_WRITE_CONFIG(PVOID Context, const VOID *Data,
				    USHORT VfIndex, ULONG Offset, ULONG Length);
typedef SRIOV_WRITE_CONFIG *PSRIOV_WRITE_CONFIG;
typedef NTSTATUS SRIOV_READ_BLOCK(PVOID Context, USHORT VfIndex, ULONG BlockId,
				  PVOID Buffer, ULONG Length);
typedef SRIOV_READ_BLOCK *PSRIOV_READ_BLOCK;
typedef NTSTATUS SRIOV_WRITE_BLOCK(PVOID Context, USHORT VfIndex,
				   ULONG BlockId, PVOID Buffer, ULONG Length);
typedef SRIOV_WRITE_BLOCK *PSRIOV_WRITE_BLOCK;
typedef NTSTATUS SRIOV_QUERY_PROBED_BARS(PVOID Context,
					 PULONG BaseRegisterValues);
typedef SRIOV_QUERY_PROBED_BARS *PSRIOV_QUERY_PROBED_BARS;
typedef NTSTATUS SRIOV_QUERY_PROBED_BARS_2(PVOID Context, USHORT VfIndex,
					   PULONG BaseRegisterValues);
typedef SRIOV_QUERY_PROBED_BARS_2 *PSRIOV_QUERY_PROBED_BARS_2;
typedef VOID SRIOV_GET_VENDOR_AND_DEVICE_IDS(PVOID Context, USHORT VfIndex,
					     PUSHORT VendorId,
					     PUSHORT DeviceId);
typedef SRIOV_GET_VENDOR_AND_DEVICE_IDS *PSRIOV_GET_VENDOR_AND_DEVICE_IDS;
typedef VOID SRIOV_GET_DEVICE_LOCATION(PVOID Context, USHORT VfIndex,
				       PUINT16 SegmentNumber,
				       PUINT8 BusNumber,
				       PUINT8 FunctionNumber);
typedef SRIOV_GET_DEVICE_LOCATION *PSRIOV_GET_DEVICE_LOCATION;
typedef NTSTATUS SRIOV_RESET_FUNCTION(PVOID Context, USHORT VfIndex);
typedef SRIOV_RESET_FUNCTION *PSRIOV_RESET_FUNCTION;
typedef NTSTATUS SRIOV_SET_POWER_STATE(PVOID Context, USHORT VfIndex,
				       DEVICE_POWER_STATE PowerState,
				       BOOLEAN Wake);
typedef SRIOV_SET_POWER_STATE *PSRIOV_SET_POWER_STATE;
typedef NTSTATUS SRIOV_GET_RESOURCE_FOR_BAR(PVOID Context, USHORT VfIndex,
					    USHORT BarIndex,
					    PCM_PARTIAL_RESOURCE_DESCRIPTOR Resource);
typedef SRIOV_GET_RESOURCE_FOR_BAR *PSRIOV_GET_RESOURCE_FOR_BAR;
typedef NTSTATUS SRIOV_QUERY_LUID(PVOID Context, PLUID Luid);
typedef SRIOV_QUERY_LUID *PSRIOV_QUERY_LUID;
typedef NTSTATUS SRIOV_QUERY_VF_LUID(PVOID Context, USHORT VfIndex,
				     PLUID Luid);
typedef SRIOV_QUERY_VF_LUID *PSRIOV_QUERY_VF_LUID;
typedef NTSTATUS SRIOV_QUERY_LUID_VF(PVOID Context, LUID Luid,
				     PUSHORT VfIndex);
typedef SRIOV_QUERY_LUID_VF *PSRIOV_QUERY_LUID_VF;
/* Declared by pcivirt.h, documented as not supported, in no table. */
typedef NTSTATUS SRIOV_GET_MMIO_REQUIREMENTS(PVOID Context, USHORT VfIndex,
					     ULONG BlockId, PVOID Buffer,
					     ULONG Length);
typedef SRIOV_GET_MMIO_REQUIREMENTS *PSRIOV_GET_MMIO_REQUIREMENTS;

typedef struct _SRIOV_DEVICE_INTERFACE_STANDARD {
	USHORT Size;
	USHORT Version;
	PVOID Context;
	PINTERFACE_REFERENCE InterfaceReference;
	PINTERFACE_DEREFERENCE InterfaceDereference;
	PSRIOV_READ_CONFIG ReadVfConfig;
	PSRIOV_WRITE_CONFIG WriteVfConfig;
	PSRIOV_READ_BLOCK ReadVfConfigBlock;
	PSRIOV_WRITE_BLOCK WriteVfConfigBlock;
	PSRIOV_QUERY_PROBED_BARS QueryProbedBars;
	PSRIOV_GET_VENDOR_AND_DEVICE_IDS GetVendorAndDevice;
	PSRIOV_GET_DEVICE_LOCATION GetDeviceLocation;
	PSRIOV_RESET_FUNCTION ResetVf;
	PSRIOV_SET_POWER_STATE SetVfPowerState;
	PSRIOV_GET_RESOURCE_FOR_BAR GetResourceForBar;
	PSRIOV_QUERY_LUID QueryLuid;
} SRIOV_DEVICE_INTERFACE_STANDARD, *PSRIOV_DEVICE_INTERFACE_STANDARD;

typedef struct _SRIOV_DEVICE_INTERFACE_STANDARD_2 {
	USHORT Size;
	USHORT Version;
	PVOID Context;
	PINTERFACE_REFERENCE InterfaceReference;
	PINTERFACE_DEREFERENCE InterfaceDereference;
	PSRIOV_READ_CONFIG ReadVfConfig;
	PSRIOV_WRITE_CONFIG WriteVfConfig;
	PSRIOV_READ_BLOCK ReadVfConfigBlock;
	PSRIOV_WRITE_BLOCK WriteVfConfigBlock;
	PSRIOV_QUERY_PROBED_BARS QueryProbedBars;
	PSRIOV_GET_VENDOR_AND_DEVICE_IDS GetVendorAndDevice;
	PSRIOV_GET_DEVICE_LOCATION GetDeviceLocation;
	PSRIOV_RESET_FUNCTION ResetVf;
	PSRIOV_SET_POWER_STATE SetVfPowerState;
	PSRIOV_GET_RESOURCE_FOR_BAR GetResourceForBar;
	PSRIOV_QUERY_LUID QueryLuid;
	PSRIOV_QUERY_PROBED_BARS_2 QueryProbedBars_2;
	PSRIOV_QUERY_VF_LUID QueryVfLuid;
	PSRIOV_QUERY_LUID_VF QueryLuidVf;
} SRIOV_DEVICE_INTERFACE_STANDARD_2, *PSRIOV_DEVICE_INTERFACE_STANDARD_2;

/* Version 1 fills SRIOV_DEVICE_INTERFACE_STANDARD, version 2 the _2 table. */
#define SRIOVVIRT_SRIOV_DEVICE_INTERFACE_STANDARD_VERSION 1
#define SRIOVVIRT_SRIOV_DEVICE_INTERFACE_STANDARD_VERSION_2 2

/* ------------------------------------------------------------------------ */
/* MITIGABLE_DEVICE_INTERFACE (pcivirt.h)                                   */
/* ------------------------------------------------------------------------ */

/*
 * ReadWriteMitigatedRegister: sriovvirt_vf_mmio_read() or _write() of
 * Length (1, 2, 4 or 8) bytes at Offset, a multiple of Length, in BAR
 * BarIndex of a VF this PF handle opened through VFIO; Data is the
 * register's bytes in the device's (little-endian) order. Not open through
 * VFIO: STATUS_INVALID_DEVICE_STATE. A BAR the VF lacks, another Length, an
 * unaligned Offset or one past the BAR: STATUS_INVALID_PARAMETER. Inside
 * the MSI-X table vfio-pci reads all ones and drops writes, as the guest
 * would see it.
 */
typedef NTSTATUS READ_WRITE_MITIGATED_REGISTER(PVOID Context, USHORT VfIndex,
					       BOOLEAN Read, USHORT BarIndex,
					       ULONGLONG Offset, ULONG Length,
					       PUCHAR Data);
typedef READ_WRITE_MITIGATED_REGISTER *PREAD_WRITE_MITIGATED_REGISTER;

typedef struct _MITIGABLE_DEVICE_INTERFACE {
	USHORT Size;
	USHORT Version;
	PVOID Context;
	PINTERFACE_REFERENCE InterfaceReference;
	PINTERFACE_DEREFERENCE InterfaceDereference;
	PREAD_WRITE_MITIGATED_REGISTER ReadWriteMitigatedRegister;
} MITIGABLE_DEVICE_INTERFACE, *PMITIGABLE_DEVICE_INTERFACE;

#define SRIOVVIRT_MITIGABLE_DEVICE_INTERFACE_VERSION 1

/* ------------------------------------------------------------------------ */
/* VPCI_INTERFACE_STANDARD (vpci.h): the VF side                            */
/* ------------------------------------------------------------------------ */

/*
 * Context is a VPCI handle (struct sriovvirt_vpci, sriovvirt_vpci_open())
 * bound to one incarnation of the VF. ReadVfConfigBlock and
 * WriteVfConfigBlock are sriovvirt_vpci_read_block() and _write_block()
 * (a block never written: STATUS_NOT_FOUND; one shorter than Length reads
 * as its bytes followed by zeros; the VF disabled since:
 * STATUS_INVALID_PARAMETER). SerialNumber is the low 32 bits of the VF's
 * LUID.
 */
typedef NTSTATUS VPCI_READ_BLOCK(PVOID Context, ULONG BlockId, PVOID Buffer,
				 ULONG Length);
typedef VPCI_READ_BLOCK *PVPCI_READ_BLOCK;
typedef NTSTATUS VPCI_WRITE_BLOCK(PVOID Context, ULONG BlockId, PVOID Buffer,
				  ULONG Length);
typedef VPCI_WRITE_BLOCK *PVPCI_WRITE_BLOCK;

typedef struct _VPCI_INTERFACE_STANDARD {
	USHORT Size;
	USHORT Version;
	PVOID Context;
	PINTERFACE_REFERENCE InterfaceReference;
	PINTERFACE_DEREFERENCE InterfaceDereference;
	PVPCI_WRITE_BLOCK WriteVfConfigBlock;
	PVPCI_READ_BLOCK ReadVfConfigBlock;
	UINT32 SerialNumber;
} VPCI_INTERFACE_STANDARD, *PVPCI_INTERFACE_STANDARD;

#define SRIOVVIRT_VPCI_INTERFACE_STANDARD_VERSION 1

/* ------------------------------------------------------------------------ */
/* IOCTL codes (pcivirt.h, vpci.h)                                          */
/* ------------------------------------------------------------------------ */

#ifndef CTL_CODE
#define CTL_CODE(DeviceType, Function, Method, Access)                         \
	(((ULONG)(DeviceType) << 16) | ((ULONG)(Access) << 14) |               \
	 ((ULONG)(Function) << 2) | (ULONG)(Method))
#endif
#define FILE_DEVICE_UNKNOWN		0x00000022
#define FILE_DEVICE_BUS_EXTENDER	0x0000002a
#define FILE_DEVICE_VPCI		FILE_DEVICE_BUS_EXTENDER
#define METHOD_BUFFERED			0
#define METHOD_IN_DIRECT		1
#define METHOD_OUT_DIRECT		2
#define METHOD_NEITHER			3
#define FILE_ANY_ACCESS			0
#define FILE_READ_DATA			0x0001
#define FILE_READ_ACCESS		0x0001
#define FILE_WRITE_ACCESS		0x0002

/* As pcivirt.h has it: the method argument is ignored (every request is
 * METHOD_BUFFERED). */
#define SRIOV_IOCTL(_index_, _method_)                                         \
	CTL_CODE(FILE_DEVICE_UNKNOWN, (_index_ + 0x810), METHOD_BUFFERED,      \
		 FILE_READ_DATA)

#define IOCTL_SRIOV_NOTIFICATION		SRIOV_IOCTL(1, METHOD_OUT_DIRECT)
#define IOCTL_SRIOV_EVENT_COMPLETE		SRIOV_IOCTL(2, METHOD_IN_DIRECT)
#define IOCTL_SRIOV_ATTACH			SRIOV_IOCTL(3, METHOD_IN_DIRECT)
#define IOCTL_SRIOV_DETACH			SRIOV_IOCTL(4, METHOD_IN_DIRECT)
#define IOCTL_SRIOV_INVALIDATE_BLOCK		SRIOV_IOCTL(5, METHOD_BUFFERED)
#define IOCTL_SRIOV_QUERY_MITIGATED_RANGE_COUNT	SRIOV_IOCTL(6, METHOD_BUFFERED)
#define IOCTL_SRIOV_QUERY_MITIGATED_RANGES	SRIOV_IOCTL(7, METHOD_BUFFERED)
#define IOCTL_SRIOV_MITIGATED_RANGE_UPDATE	SRIOV_IOCTL(8, METHOD_BUFFERED)
#define IOCTL_SRIOV_PROXY_QUERY_LUID		SRIOV_IOCTL(9, METHOD_BUFFERED)

#define IOCTL_VPCI_INVALIDATE_BLOCK                                            \
	CTL_CODE(FILE_DEVICE_VPCI, 0x1, METHOD_NEITHER,                        \
		 FILE_READ_ACCESS | FILE_WRITE_ACCESS)
#define IOCTL_VPCI_READ_BLOCK                                                  \
	CTL_CODE(FILE_DEVICE_VPCI, 0x2, METHOD_NEITHER,                        \
		 FILE_READ_ACCESS | FILE_WRITE_ACCESS)
#define IOCTL_VPCI_WRITE_BLOCK                                                 \
	CTL_CODE(FILE_DEVICE_VPCI, 0x3, METHOD_NEITHER,                        \
		 FILE_READ_ACCESS | FILE_WRITE_ACCESS)

/* ------------------------------------------------------------------------ */
/* IOCTL_SRIOV_* buffers and SRIOV_PF_EVENT (pcivirt.h)                     */
/* ------------------------------------------------------------------------ */

/*
 * The event codes SRIOV_PF_EVENT has. NOTIFICATION also completes with
 * the codes of enum sriovvirt_pf_event_code that Windows has no value for
 * (0x100 and up: surprise removal, driver unbound and bound, AER recovery,
 * a VF added, VFIO's request for a VF): a stack switch()ing on
 * SRIOV_PF_EVENT ignores them in its default case.
 */
typedef enum _SRIOV_PF_EVENT {
	SriovEventPfQueryStopDevice,
	SriovEventPfRestart,
	SriovEventPfMaximum
} SRIOV_PF_EVENT, *PSRIOV_PF_EVENT;

typedef struct _SRIOV_PNP_EVENT_COMPLETE {
	NTSTATUS QueryStatus;
} SRIOV_PNP_EVENT_COMPLETE, *PSRIOV_PNP_EVENT_COMPLETE;

#define SRIOV_INVALIDATE_BLOCK_ALL_VFS 0xFFFF

typedef struct _SRIOV_INVALIDATE_BLOCK {
	USHORT VfIndex;
	UINT64 BlockMask;
} SRIOV_INVALIDATE_BLOCK, *PSRIOV_INVALIDATE_BLOCK;

typedef struct _SRIOV_MITIGATED_RANGE_COUNT_INPUT {
	USHORT VfIndex;
} SRIOV_MITIGATED_RANGE_COUNT_INPUT, *PSRIOV_MITIGATED_RANGE_COUNT_INPUT;

typedef struct _SRIOV_MITIGATED_RANGE_COUNT_OUTPUT {
	ULONG RangeCount[6];	/* one for each BAR */
} SRIOV_MITIGATED_RANGE_COUNT_OUTPUT, *PSRIOV_MITIGATED_RANGE_COUNT_OUTPUT;

typedef struct _SRIOV_MITIGATED_RANGES_INPUT {
	USHORT VfIndex;
	UCHAR BarNumber;
} SRIOV_MITIGATED_RANGES_INPUT, *PSRIOV_MITIGATED_RANGES_INPUT;

/* BasePageNumber counts 4 KiB pages from the start of the BAR. */
typedef struct _SRIOV_MITIGATED_RANGES_OUTPUT {
	ULONG64 BasePageNumber;
	ULONG PageCount;	/* 1 .. 0x80000 */
	BOOLEAN InterceptReads;
	BOOLEAN InterceptWrites;
} SRIOV_MITIGATED_RANGES_OUTPUT, *PSRIOV_MITIGATED_RANGES_OUTPUT;

typedef struct _SRIOV_MITIGATED_RANGE_UPDATE_INPUT {
	USHORT VfIndex;
} SRIOV_MITIGATED_RANGE_UPDATE_INPUT, *PSRIOV_MITIGATED_RANGE_UPDATE_INPUT;

typedef struct _SRIOV_MITIGATED_RANGE_UPDATE_OUTPUT {
	USHORT VfIndex;
} SRIOV_MITIGATED_RANGE_UPDATE_OUTPUT, *PSRIOV_MITIGATED_RANGE_UPDATE_OUTPUT;

typedef struct _SRIOV_PROXY_QUERY_LUID_OUTPUT {
	LUID DeviceLuid;
} SRIOV_PROXY_QUERY_LUID_OUTPUT, *PSRIOV_PROXY_QUERY_LUID_OUTPUT;

/* IOCTL_VPCI_* buffers (vpci.h) */
typedef struct _VPCI_READ_BLOCK_INPUT {
	ULONG BlockId;
	ULONG BytesRequested;
} VPCI_READ_BLOCK_INPUT, *PVPCI_READ_BLOCK_INPUT;

typedef struct _VPCI_WRITE_BLOCK_INPUT {
	ULONG BlockId;
	ULONG DataLength;
	UCHAR Data[1];		/* ANYSIZE_ARRAY: DataLength bytes */
} VPCI_WRITE_BLOCK_INPUT, *PVPCI_WRITE_BLOCK_INPUT;

typedef struct _VPCI_INVALIDATE_BLOCK_OUTPUT {
	UINT64 BlockMask;
} VPCI_INVALIDATE_BLOCK_OUTPUT, *PVPCI_INVALIDATE_BLOCK_OUTPUT;

/* ------------------------------------------------------------------------ */
/* The entry points                                                         */
/* ------------------------------------------------------------------------ */

/**
 * sriovvirt_query_interface() - IRP_MN_QUERY_INTERFACE on a PF
 * @pf: the PF handle
 * @type: GUID_PCI_VIRTUALIZATION_INTERFACE, GUID_SRIOV_DEVICE_INTERFACE_STANDARD
 *        or GUID_MITIGABLE_DEVICE_INTERFACE
 * @size: the size of the structure at @iface, at least the size of the
 *        table @version asks for
 * @version: 1; or 2 for SRIOV_DEVICE_INTERFACE_STANDARD_2 (its own GUID is
 *           the version 1 one, as on Windows)
 * @iface: the table to fill, a PCI_VIRTUALIZATION_INTERFACE,
 *         SRIOV_DEVICE_INTERFACE_STANDARD(_2) or MITIGABLE_DEVICE_INTERFACE
 *
 * Fills the table: Size (the table's size), Version (@version), Context (a
 * new reference on @pf, which the caller drops with
 * InterfaceDereference(Context) when done) and the routines. Nothing is
 * written on failure.
 *
 * Return: STATUS_SUCCESS; STATUS_NOT_SUPPORTED for another GUID (use
 * sriovvirt_vf_query_interface() for GUID_VPCI_INTERFACE_STANDARD);
 * STATUS_INVALID_PARAMETER for a NULL argument, an unknown @version or a
 * @size smaller than the table.
 */
NTSTATUS sriovvirt_query_interface(struct sriovvirt_pf *pf, const GUID *type,
				   USHORT size, USHORT version,
				   INTERFACE *iface);

/**
 * sriovvirt_vf_query_interface() - IRP_MN_QUERY_INTERFACE on a VF
 * @pf: the VF's PF
 * @vf: an enabled VF of @pf
 * @type: GUID_VPCI_INTERFACE_STANDARD
 * @size: at least sizeof(VPCI_INTERFACE_STANDARD)
 * @version: 1
 * @iface: the VPCI_INTERFACE_STANDARD to fill
 *
 * What the guest's VPCI bus gives a VF's driver, for whoever holds the VF
 * here: Context is a new VPCI handle on the VF (sriovvirt_vpci_open()),
 * freed by InterfaceDereference(Context); it can also be passed to
 * sriovvirt_vpci_device_io_control().
 *
 * Return: STATUS_SUCCESS; STATUS_NOT_SUPPORTED for another GUID;
 * STATUS_INVALID_PARAMETER for a NULL argument, @vf not enabled, an
 * unknown @version or a short @size; or the status of the VPCI handle's
 * failure (e.g. STATUS_ACCESS_DENIED for another user's runtime
 * directory).
 */
NTSTATUS sriovvirt_vf_query_interface(struct sriovvirt_pf *pf, USHORT vf,
				      const GUID *type, USHORT size,
				      USHORT version, INTERFACE *iface);

/**
 * sriovvirt_device_io_control() - an IOCTL_SRIOV_* request to the PF driver
 * @pf: the PF handle
 * @code: IOCTL_SRIOV_*
 * @in: the input buffer (NULL when @in_len is 0)
 * @in_len: its length
 * @out: the output buffer (NULL when @out_len is 0)
 * @out_len: its length
 * @information: Irp->IoStatus.Information, the bytes written to @out (or,
 *               with STATUS_BUFFER_TOO_SMALL for the output, the bytes
 *               needed); may be NULL
 *
 * The buffer rules: an input or output buffer shorter than its structure is
 * STATUS_BUFFER_TOO_SMALL (and changes nothing); a NULL buffer with a
 * length, or a bad value in the input, STATUS_INVALID_PARAMETER; an
 * unknown @code STATUS_INVALID_DEVICE_REQUEST.
 *
 * IOCTL_SRIOV_ATTACH, no buffers: sriovvirt_pf_attach(). A second attacher
 *   (another process or handle) gets STATUS_SHARING_VIOLATION.
 * IOCTL_SRIOV_DETACH, no buffers: sriovvirt_pf_detach(); an operation
 *   waiting for an answer goes on. STATUS_INVALID_DEVICE_STATE if not
 *   attached.
 * IOCTL_SRIOV_NOTIFICATION, out: SRIOV_PF_EVENT (4 bytes): blocks until
 *   an event, then writes its code. With an output buffer of at least
 *   sizeof(struct sriovvirt_pf_event), the whole native event is written
 *   (its first member is the code) and Information says so. Each event is
 *   delivered once. STATUS_INVALID_DEVICE_STATE if not attached or
 *   monitoring; STATUS_CANCELLED if cancelled.
 * IOCTL_SRIOV_EVENT_COMPLETE, in: SRIOV_PNP_EVENT_COMPLETE: answers the
 *   SriovEventPfQueryStopDevice that awaits an answer, whatever was
 *   notified since (as on Windows, where it completes the PnP query the PF
 *   driver holds). A QueryStatus that is not NT_SUCCESS vetoes the
 *   operation (its initiator fails with -ECANCELED, STATUS_CANCELLED
 *   through this layer, and changes nothing). When no query awaits an
 *   answer, it does nothing and succeeds: a stack may complete every
 *   event. STATUS_INVALID_DEVICE_STATE if not attached.
 * IOCTL_SRIOV_INVALIDATE_BLOCK, in and out: SRIOV_INVALIDATE_BLOCK:
 *   blocks until the PF side invalidates blocks of VF VfIndex (or of any VF
 *   with SRIOV_INVALIDATE_BLOCK_ALL_VFS), then drains that VF's pending
 *   mask and writes VfIndex and BlockMask. The stack relays invalidations
 *   to its guest, so it drains the same mask a VPCI handle of the VF would:
 *   one of them serves a VF. STATUS_INVALID_PARAMETER for a VF that is not
 *   enabled, STATUS_NO_SUCH_DEVICE if the VF goes away during the wait.
 *   Several VFs pending: the lowest index first. SRIOV_INVALIDATE_BLOCK_ALL_VFS
 *   waits for VFs enabled later too, so with none enabled it waits.
 * IOCTL_SRIOV_QUERY_MITIGATED_RANGE_COUNT, in:
 *   SRIOV_MITIGATED_RANGE_COUNT_INPUT, out:
 *   SRIOV_MITIGATED_RANGE_COUNT_OUTPUT: the ranges per BAR of
 *   sriovvirt_vf_get_mitigated_ranges().
 * IOCTL_SRIOV_QUERY_MITIGATED_RANGES, in: SRIOV_MITIGATED_RANGES_INPUT,
 *   out: an array of RangeCount[BarNumber] SRIOV_MITIGATED_RANGES_OUTPUT,
 *   ordered by page, BAR-relative page numbers. BarNumber above 5:
 *   STATUS_INVALID_PARAMETER; a BAR with no ranges: success, Information 0.
 * IOCTL_SRIOV_MITIGATED_RANGE_UPDATE, in and out:
 *   SRIOV_MITIGATED_RANGE_UPDATE_INPUT/OUTPUT: blocks until the ranges of
 *   VF VfIndex (any VF with 0xffff, an extension) are to be queried again
 *   (sriovvirt_pf_watch_mitigations(): the watch starts with the first
 *   such request and stays until the handle goes), then writes the VF.
 * IOCTL_SRIOV_PROXY_QUERY_LUID, out: SRIOV_PROXY_QUERY_LUID_OUTPUT: the
 *   PF's LUID (sriovvirt_pf_get_luid()); needs no privilege.
 *
 * Return: the request's NTSTATUS.
 */
NTSTATUS sriovvirt_device_io_control(struct sriovvirt_pf *pf, ULONG code,
				     const void *in, ULONG in_len, void *out,
				     ULONG out_len, ULONG_PTR *information);

/**
 * sriovvirt_vpci_device_io_control() - an IOCTL_VPCI_* request of a VF driver
 * @vpci: a VPCI handle (the Context of VPCI_INTERFACE_STANDARD)
 * @code: IOCTL_VPCI_*
 * @in: the input buffer (NULL when @in_len is 0)
 * @in_len: its length
 * @out: the output buffer (NULL when @out_len is 0)
 * @out_len: its length
 * @information: Irp->IoStatus.Information, as each request says (may be
 *               NULL)
 *
 * IOCTL_VPCI_READ_BLOCK, in: VPCI_READ_BLOCK_INPUT, out: BytesRequested
 *   bytes (@out_len must equal it, STATUS_BUFFER_TOO_SMALL otherwise):
 *   Information is the bytes read, the smaller of BytesRequested and the
 *   block's length; the output past them is left as it was.
 * IOCTL_VPCI_WRITE_BLOCK, in: VPCI_WRITE_BLOCK_INPUT followed by its
 *   DataLength bytes (@in_len at least offsetof(Data) + DataLength),
 *   no output: Information is the bytes written.
 * IOCTL_VPCI_INVALIDATE_BLOCK, out: VPCI_INVALIDATE_BLOCK_OUTPUT (or, as
 *   Windows passes it, in Type3InputBuffer: with @out_len 0, the input
 *   buffer is written): blocks
 *   until the PF side invalidates blocks of the VF, then writes the
 *   accumulated mask and clears it (sriovvirt_vpci_wait_invalidate());
 *   Information is 0, as Windows' page has it. STATUS_CANCELLED if
 *   cancelled (sriovvirt_vpci_cancel_io()).
 * Block IDs, lengths and statuses as VPCI_INTERFACE_STANDARD's routines;
 * an unknown @code is STATUS_INVALID_DEVICE_REQUEST.
 *
 * Return: the request's NTSTATUS.
 */
NTSTATUS sriovvirt_vpci_device_io_control(struct sriovvirt_vpci *vpci,
					  ULONG code, const void *in,
					  ULONG in_len, void *out,
					  ULONG out_len,
					  ULONG_PTR *information);

/**
 * sriovvirt_pf_cancel_io() - IoCancelIrp for a PF's pended request
 * @pf: the PF handle a request is, or will be, pended on
 *
 * The request pended on @pf (NOTIFICATION, INVALIDATE_BLOCK,
 * MITIGATED_RANGE_UPDATE) completes with STATUS_CANCELLED. A cancel made
 * while none is pended cancels the next one, so that a signal handler
 * cannot miss a wait that was about to begin. The one call that may be
 * made from a signal handler, or from another thread while a request is
 * pended (it is async-signal-safe).
 *
 * Return: 0; -EINVAL for a NULL @pf.
 */
int sriovvirt_pf_cancel_io(struct sriovvirt_pf *pf);

/**
 * sriovvirt_vpci_cancel_io() - IoCancelIrp for a VF driver's pended request
 * @vpci: the VPCI handle an IOCTL_VPCI_INVALIDATE_BLOCK is, or will be,
 *        pended on
 *
 * As sriovvirt_pf_cancel_io(), for the VF side.
 *
 * Return: 0; -EINVAL for a NULL @vpci.
 */
int sriovvirt_vpci_cancel_io(struct sriovvirt_vpci *vpci);

/* ------------------------------------------------------------------------ */
/* Layout checks: Windows x64's sizes and offsets                           */
/* ------------------------------------------------------------------------ */

#define SRIOVVIRT_PCIVIRT_LAYOUT(type, size)                                   \
	SRIOVVIRT_PCIVIRT_ASSERT(sizeof(type) == (size),                       \
				 #type " has the Windows x64 size")
#define SRIOVVIRT_PCIVIRT_OFFSET(type, member, off)                            \
	SRIOVVIRT_PCIVIRT_ASSERT(offsetof(type, member) == (off),              \
				 #type "." #member " has the Windows x64 offset")

SRIOVVIRT_PCIVIRT_ASSERT(sizeof(ULONG) == 4 && sizeof(USHORT) == 2 &&
			 sizeof(UCHAR) == 1 && sizeof(ULONG64) == 8 &&
			 sizeof(BOOLEAN) == 1 && sizeof(NTSTATUS) == 4,
			 "Windows base types have their Windows widths");
SRIOVVIRT_PCIVIRT_ASSERT(IOCTL_SRIOV_NOTIFICATION == 0x00226044 &&
			 IOCTL_SRIOV_EVENT_COMPLETE == 0x00226048 &&
			 IOCTL_SRIOV_ATTACH == 0x0022604C &&
			 IOCTL_SRIOV_DETACH == 0x00226050 &&
			 IOCTL_SRIOV_INVALIDATE_BLOCK == 0x00226054 &&
			 IOCTL_SRIOV_QUERY_MITIGATED_RANGE_COUNT == 0x00226058 &&
			 IOCTL_SRIOV_QUERY_MITIGATED_RANGES == 0x0022605C &&
			 IOCTL_SRIOV_MITIGATED_RANGE_UPDATE == 0x00226060 &&
			 IOCTL_SRIOV_PROXY_QUERY_LUID == 0x00226064 &&
			 IOCTL_VPCI_INVALIDATE_BLOCK == 0x002AC007 &&
			 IOCTL_VPCI_READ_BLOCK == 0x002AC00B &&
			 IOCTL_VPCI_WRITE_BLOCK == 0x002AC00F,
			 "IOCTL codes have their Windows values");

#if UINTPTR_MAX == UINT64_MAX
SRIOVVIRT_PCIVIRT_LAYOUT(LUID, 8);
SRIOVVIRT_PCIVIRT_LAYOUT(GUID, 16);
SRIOVVIRT_PCIVIRT_LAYOUT(PHYSICAL_ADDRESS, 8);
SRIOVVIRT_PCIVIRT_LAYOUT(DEVICE_POWER_STATE, 4);
SRIOVVIRT_PCIVIRT_LAYOUT(INTERFACE, 32);
SRIOVVIRT_PCIVIRT_OFFSET(INTERFACE, Context, 8);
SRIOVVIRT_PCIVIRT_OFFSET(INTERFACE, InterfaceDereference, 24);
SRIOVVIRT_PCIVIRT_LAYOUT(CM_PARTIAL_RESOURCE_DESCRIPTOR, 20);
SRIOVVIRT_PCIVIRT_OFFSET(CM_PARTIAL_RESOURCE_DESCRIPTOR, Flags, 2);
SRIOVVIRT_PCIVIRT_OFFSET(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.Memory.Start, 4);
SRIOVVIRT_PCIVIRT_OFFSET(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.Memory.Length, 12);
SRIOVVIRT_PCIVIRT_LAYOUT(PCI_VIRTUALIZATION_INTERFACE, 80);
SRIOVVIRT_PCIVIRT_OFFSET(PCI_VIRTUALIZATION_INTERFACE, SetVirtualFunctionData, 32);
SRIOVVIRT_PCIVIRT_OFFSET(PCI_VIRTUALIZATION_INTERFACE, GetVirtualFunctionProbedBars, 72);
SRIOVVIRT_PCIVIRT_LAYOUT(SRIOV_DEVICE_INTERFACE_STANDARD, 120);
SRIOVVIRT_PCIVIRT_OFFSET(SRIOV_DEVICE_INTERFACE_STANDARD, ReadVfConfig, 32);
SRIOVVIRT_PCIVIRT_OFFSET(SRIOV_DEVICE_INTERFACE_STANDARD, QueryLuid, 112);
SRIOVVIRT_PCIVIRT_LAYOUT(SRIOV_DEVICE_INTERFACE_STANDARD_2, 144);
SRIOVVIRT_PCIVIRT_OFFSET(SRIOV_DEVICE_INTERFACE_STANDARD_2, QueryLuid, 112);
SRIOVVIRT_PCIVIRT_OFFSET(SRIOV_DEVICE_INTERFACE_STANDARD_2, QueryProbedBars_2, 120);
SRIOVVIRT_PCIVIRT_OFFSET(SRIOV_DEVICE_INTERFACE_STANDARD_2, QueryLuidVf, 136);
SRIOVVIRT_PCIVIRT_LAYOUT(MITIGABLE_DEVICE_INTERFACE, 40);
SRIOVVIRT_PCIVIRT_OFFSET(MITIGABLE_DEVICE_INTERFACE, ReadWriteMitigatedRegister, 32);
SRIOVVIRT_PCIVIRT_LAYOUT(VPCI_INTERFACE_STANDARD, 56);
SRIOVVIRT_PCIVIRT_OFFSET(VPCI_INTERFACE_STANDARD, WriteVfConfigBlock, 32);
SRIOVVIRT_PCIVIRT_OFFSET(VPCI_INTERFACE_STANDARD, SerialNumber, 48);
SRIOVVIRT_PCIVIRT_LAYOUT(SRIOV_PNP_EVENT_COMPLETE, 4);
SRIOVVIRT_PCIVIRT_LAYOUT(SRIOV_INVALIDATE_BLOCK, 16);
SRIOVVIRT_PCIVIRT_OFFSET(SRIOV_INVALIDATE_BLOCK, BlockMask, 8);
SRIOVVIRT_PCIVIRT_LAYOUT(SRIOV_MITIGATED_RANGE_COUNT_INPUT, 2);
SRIOVVIRT_PCIVIRT_LAYOUT(SRIOV_MITIGATED_RANGE_COUNT_OUTPUT, 24);
SRIOVVIRT_PCIVIRT_LAYOUT(SRIOV_MITIGATED_RANGES_INPUT, 4);
SRIOVVIRT_PCIVIRT_OFFSET(SRIOV_MITIGATED_RANGES_INPUT, BarNumber, 2);
SRIOVVIRT_PCIVIRT_LAYOUT(SRIOV_MITIGATED_RANGES_OUTPUT, 16);
SRIOVVIRT_PCIVIRT_OFFSET(SRIOV_MITIGATED_RANGES_OUTPUT, PageCount, 8);
SRIOVVIRT_PCIVIRT_OFFSET(SRIOV_MITIGATED_RANGES_OUTPUT, InterceptWrites, 13);
SRIOVVIRT_PCIVIRT_LAYOUT(SRIOV_MITIGATED_RANGE_UPDATE_INPUT, 2);
SRIOVVIRT_PCIVIRT_LAYOUT(SRIOV_MITIGATED_RANGE_UPDATE_OUTPUT, 2);
SRIOVVIRT_PCIVIRT_LAYOUT(SRIOV_PROXY_QUERY_LUID_OUTPUT, 8);
SRIOVVIRT_PCIVIRT_LAYOUT(VPCI_READ_BLOCK_INPUT, 8);
SRIOVVIRT_PCIVIRT_LAYOUT(VPCI_WRITE_BLOCK_INPUT, 12);
SRIOVVIRT_PCIVIRT_OFFSET(VPCI_WRITE_BLOCK_INPUT, Data, 8);
SRIOVVIRT_PCIVIRT_LAYOUT(VPCI_INVALIDATE_BLOCK_OUTPUT, 8);
SRIOVVIRT_PCIVIRT_LAYOUT(SRIOV_PF_EVENT, 4);
#endif

#ifdef __cplusplus
}

static inline int IsEqualGUID(const GUID &a, const GUID &b)
{
	return IsEqualGUID(&a, &b);
}
#endif

#endif /* SRIOVVIRT_PCIVIRT_H */
