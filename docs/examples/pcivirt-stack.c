// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pcivirt-stack - a virtualization stack written the way Microsoft's
 * documentation writes one, over <sriovvirt-pcivirt.h>.
 *
 * On Windows the stack sends IRP_MN_QUERY_INTERFACE to the PF's device
 * stack for GUID_PCI_VIRTUALIZATION_INTERFACE (the bus driver's table),
 * GUID_SRIOV_DEVICE_INTERFACE_STANDARD (the PF driver's, version 2) and
 * GUID_MITIGABLE_DEVICE_INTERFACE, calls through their function pointers,
 * talks to the PF driver with IOCTL_SRIOV_*, and drops each table with
 * InterfaceDereference. This program does the same, with the two Linux
 * calls that stand where the I/O manager stands:
 * sriovvirt_query_interface() and sriovvirt_device_io_control().
 *
 * The native API is used only where Windows has nothing to call: to create
 * the library context and open the PF (what the PnP manager hands a
 * Windows stack), and to open a VF through VFIO (the guest's view, which a
 * Windows stack gets from its own VM worker process).
 *
 *   pcivirt-stack report PF [VF]    every read-only callback, as JSON
 *   pcivirt-stack enable PF N       EnableVirtualization
 *   pcivirt-stack disable PF
 *   pcivirt-stack misuse PF         each documented misuse and its status
 *   pcivirt-stack serve PF [--veto] ATTACH, NOTIFICATION, EVENT_COMPLETE
 *   pcivirt-stack vfio PF VF        the guest's view through VFIO, as JSON
 *   pcivirt-stack blocks PF VF      the config-block backchannel, as JSON
 *
 * Exit status: 0 success, 1 failure, 2 usage.
 */

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sriovvirt-pcivirt.h>

#define EXIT_USAGE 2
#define CONFIG_BYTES 64
#define MAX_RANGES 64
#define PENDED_TIMEOUT_S 20

/* What the PnP manager would hand a Windows stack: the PF and its tables. */
struct stack {
	struct sriovvirt_ctx *ctx;
	struct sriovvirt_pf *pf;
	const char *name;
	PCI_VIRTUALIZATION_INTERFACE pci;
	SRIOV_DEVICE_INTERFACE_STANDARD_2 sriov;
	MITIGABLE_DEVICE_INTERFACE mitigable;
	NTSTATUS pci_status;
	NTSTATUS sriov_status;
	NTSTATUS mitigable_status;
};

static volatile sig_atomic_t stop_requested;
/* Where a signal handler cancels the pended request (IoCancelIrp). */
static struct sriovvirt_pf *pended_pf;
static struct sriovvirt_vpci *pended_vpci;

/* ------------------------------------------------------------------------ */
/* Output                                                                   */
/* ------------------------------------------------------------------------ */

static const char *status_name(NTSTATUS status)
{
	static char buf[16];
	const char *name = sriovvirt_ntstatus_name(status);

	if (name)
		return name;
	snprintf(buf, sizeof(buf), "0x%08" PRIx32, (uint32_t)status);
	return buf;
}

/*
 * A hand-written JSON emitter: the key order is the order of the calls,
 * so the output is stable for scripts that compare it.
 */
static int json_depth;
static bool json_first[16];

static void json_sep(void)
{
	if (!json_first[json_depth])
		putchar(',');
	json_first[json_depth] = false;
}

static void json_open(char c)
{
	putchar(c);
	json_first[++json_depth] = true;
}

static void json_close(char c)
{
	json_depth--;
	putchar(c);
}

static void json_key(const char *key)
{
	json_sep();
	printf("\"%s\":", key);
}

static void json_open_key(const char *key, char c)
{
	json_key(key);
	json_open(c);
}

static void kv_uint(const char *key, uint64_t value)
{
	json_key(key);
	printf("%" PRIu64, value);
}

static void kv_int(const char *key, int64_t value)
{
	json_key(key);
	printf("%" PRId64, value);
}

static void kv_str(const char *key, const char *value)
{
	json_key(key);
	printf("\"%s\"", value);
}

static void kv_bool(const char *key, bool value)
{
	json_key(key);
	fputs(value ? "true" : "false", stdout);
}

/* "status": "0xc000000d", "status_name": "STATUS_INVALID_PARAMETER" */
static void kv_status(NTSTATUS status)
{
	char hex[16];

	snprintf(hex, sizeof(hex), "0x%08" PRIx32, (uint32_t)status);
	kv_str("status", hex);
	kv_str("status_name", status_name(status));
}

static void kv_bytes(const char *key, const UCHAR *bytes, size_t length)
{
	size_t i;

	json_open_key(key, '[');
	for (i = 0; i < length; i++) {
		json_sep();
		printf("%u", bytes[i]);
	}
	json_close(']');
}

static void kv_ulongs(const char *key, const ULONG *values, size_t count)
{
	size_t i;

	json_open_key(key, '[');
	for (i = 0; i < count; i++) {
		json_sep();
		printf("%" PRIu32, values[i]);
	}
	json_close(']');
}

/* A LUID as sriovctl prints it: both parts, and HighPart:LowPart in hex. */
static void kv_luid(LUID luid)
{
	char value[24];

	snprintf(value, sizeof(value), "0x%016" PRIx64,
		 (uint64_t)(uint32_t)luid.HighPart << 32 | luid.LowPart);
	kv_uint("low_part", luid.LowPart);
	kv_int("high_part", luid.HighPart);
	kv_str("value", value);
}

static void json_end(void)
{
	json_close('}');
	putchar('\n');
}

/* Why a call failed: the library says so through the context's log. */
static void log_to_stderr(void *userdata, int priority, const char *file,
			  int line, const char *fn, const char *format,
			  va_list args)
{
	(void)userdata;
	(void)priority;
	(void)file;
	(void)line;
	(void)fn;
	fputs("libsriovvirt: ", stderr);
	vfprintf(stderr, format, args);
	fputc('\n', stderr);
}

/* ------------------------------------------------------------------------ */
/* Opening the PF and querying its interfaces                               */
/* ------------------------------------------------------------------------ */

static NTSTATUS query(struct stack *s, const GUID *type, void *iface,
		      USHORT size, USHORT version)
{
	return sriovvirt_query_interface(s->pf, type, size, version, iface);
}

/*
 * IRP_MN_QUERY_INTERFACE for the three tables. Each one that succeeded
 * holds a reference on the PF until stack_close() dereferences it.
 */
static void stack_query_interfaces(struct stack *s)
{
	s->pci_status = query(s, &GUID_PCI_VIRTUALIZATION_INTERFACE, &s->pci,
			      sizeof(s->pci),
			      SRIOVVIRT_PCI_VIRTUALIZATION_INTERFACE_VERSION);
	s->sriov_status = query(s, &GUID_SRIOV_DEVICE_INTERFACE_STANDARD,
				&s->sriov, sizeof(s->sriov),
				SRIOVVIRT_SRIOV_DEVICE_INTERFACE_STANDARD_VERSION_2);
	s->mitigable_status = query(s, &GUID_MITIGABLE_DEVICE_INTERFACE,
				    &s->mitigable, sizeof(s->mitigable),
				    SRIOVVIRT_MITIGABLE_DEVICE_INTERFACE_VERSION);
}

static int stack_open(struct stack *s, const char *name)
{
	int r;

	memset(s, 0, sizeof(*s));
	s->name = name;
	r = sriovvirt_ctx_new(&s->ctx);
	if (r < 0) {
		fprintf(stderr, "pcivirt-stack: context: %s\n", strerror(-r));
		return -1;
	}
	sriovvirt_ctx_set_log_fn(s->ctx, log_to_stderr, NULL);
	r = sriovvirt_pf_open(s->ctx, name, &s->pf);
	if (r < 0) {
		fprintf(stderr, "pcivirt-stack: %s: %s\n", name, strerror(-r));
		sriovvirt_ctx_unref(s->ctx);
		return -1;
	}
	stack_query_interfaces(s);
	if (!NT_SUCCESS(s->pci_status) || !NT_SUCCESS(s->sriov_status) ||
	    !NT_SUCCESS(s->mitigable_status)) {
		fprintf(stderr, "pcivirt-stack: %s: query interface: %s %s %s\n",
			name, status_name(s->pci_status),
			status_name(s->sriov_status),
			status_name(s->mitigable_status));
	}
	return 0;
}

/* InterfaceDereference for each table obtained, as a Windows stack does. */
static void stack_close(struct stack *s)
{
	if (NT_SUCCESS(s->pci_status))
		s->pci.InterfaceDereference(s->pci.Context);
	if (NT_SUCCESS(s->sriov_status))
		s->sriov.InterfaceDereference(s->sriov.Context);
	if (NT_SUCCESS(s->mitigable_status))
		s->mitigable.InterfaceDereference(s->mitigable.Context);
	sriovvirt_pf_unref(s->pf);
	sriovvirt_ctx_unref(s->ctx);
}

static bool stack_ready(const struct stack *s)
{
	return NT_SUCCESS(s->pci_status) && NT_SUCCESS(s->sriov_status) &&
	       NT_SUCCESS(s->mitigable_status);
}

static NTSTATUS ioctl_pf(struct stack *s, ULONG code, const void *in,
			 ULONG in_len, void *out, ULONG out_len,
			 ULONG_PTR *information)
{
	return sriovvirt_device_io_control(s->pf, code, in, in_len, out,
					   out_len, information);
}

/* ------------------------------------------------------------------------ */
/* report                                                                   */
/* ------------------------------------------------------------------------ */

static void report_interface(const char *key, NTSTATUS status,
			     const INTERFACE *iface)
{
	json_open_key(key, '{');
	kv_status(status);
	if (NT_SUCCESS(status)) {
		kv_uint("size", iface->Size);
		kv_uint("version", iface->Version);
	}
	json_close('}');
}

static void report_bars(const char *key, const char *field, NTSTATUS status,
			const ULONG *bars)
{
	json_open_key(key, '{');
	kv_status(status);
	if (NT_SUCCESS(status))
		kv_ulongs(field, bars, PCI_TYPE0_ADDRESSES);
	json_close('}');
}

/* FunctionNumber is (device << 3 | function), as in a routing ID. */
static void kv_location(UINT16 segment, UINT8 bus, UINT8 function)
{
	char address[SRIOVVIRT_PCI_ADDR_BUFSIZE];

	snprintf(address, sizeof(address), "%04x:%02x:%02x.%x", segment, bus,
		 function >> 3, function & 7);
	kv_uint("segment", segment);
	kv_uint("bus", bus);
	kv_uint("function", function);
	kv_str("address", address);
}

/* The BAR's length in bytes: the Large types keep it shifted. */
static uint64_t resource_length(const CM_PARTIAL_RESOURCE_DESCRIPTOR *res)
{
	if (res->Type != CmResourceTypeMemoryLarge)
		return res->u.Generic.Length;
	if (res->Flags & CM_RESOURCE_MEMORY_LARGE_40)
		return (uint64_t)res->u.Memory40.Length40 << 8;
	if (res->Flags & CM_RESOURCE_MEMORY_LARGE_48)
		return (uint64_t)res->u.Memory48.Length48 << 16;
	if (res->Flags & CM_RESOURCE_MEMORY_LARGE_64)
		return (uint64_t)res->u.Memory64.Length64 << 32;
	return 0;
}

static void report_resources(struct stack *s, USHORT vf)
{
	CM_PARTIAL_RESOURCE_DESCRIPTOR res;
	NTSTATUS status;
	USHORT bar;

	json_open_key("GetResourceForBar", '[');
	for (bar = 0; bar < PCI_TYPE0_ADDRESSES; bar++) {
		memset(&res, 0, sizeof(res));
		status = s->sriov.GetResourceForBar(s->sriov.Context, vf, bar,
						    &res);
		json_sep();
		json_open('{');
		kv_uint("bar", bar);
		kv_status(status);
		if (NT_SUCCESS(status)) {
			kv_uint("type", res.Type);
			kv_uint("share_disposition", res.ShareDisposition);
			kv_uint("flags", res.Flags);
			kv_uint("start", (uint64_t)res.u.Generic.Start.QuadPart);
			kv_uint("length", resource_length(&res));
		}
		json_close('}');
	}
	json_close(']');
}

static void report_config(struct stack *s, USHORT vf)
{
	UCHAR config[CONFIG_BYTES];
	NTSTATUS status;
	ULONG got;

	memset(config, 0, sizeof(config));
	status = s->sriov.ReadVfConfig(s->sriov.Context, config, vf, 0,
				       sizeof(config));
	json_open_key("ReadVfConfig", '{');
	kv_status(status);
	if (NT_SUCCESS(status))
		kv_bytes("bytes", config, sizeof(config));
	json_close('}');

	/* The bus driver's side cannot fail loudly: it returns a count. */
	memset(config, 0, sizeof(config));
	got = s->pci.GetVirtualFunctionData(s->pci.Context, vf, config, 0,
					    sizeof(config));
	json_open_key("GetVirtualFunctionData", '{');
	kv_uint("returned", got);
	kv_bytes("bytes", config, got);
	json_close('}');
}

static void report_locations(struct stack *s, USHORT vf)
{
	UINT16 segment = 0;
	UINT8 bus = 0, function = 0;
	NTSTATUS status;

	status = s->pci.GetLocation(s->pci.Context, vf, &segment, &bus,
				    &function);
	json_open_key("GetLocation", '{');
	kv_status(status);
	if (NT_SUCCESS(status))
		kv_location(segment, bus, function);
	json_close('}');

	s->sriov.GetDeviceLocation(s->sriov.Context, vf, &segment, &bus,
				   &function);
	json_open_key("GetDeviceLocation", '{');
	kv_location(segment, bus, function);
	json_close('}');
}

static void report_luids(struct stack *s, USHORT vf)
{
	SRIOV_PROXY_QUERY_LUID_OUTPUT proxy;
	USHORT found = 0xffff;
	LUID luid, vf_luid;
	ULONG_PTR information = 0;
	NTSTATUS status;

	memset(&luid, 0, sizeof(luid));
	status = s->sriov.QueryLuid(s->sriov.Context, &luid);
	json_open_key("QueryLuid", '{');
	kv_status(status);
	if (NT_SUCCESS(status))
		kv_luid(luid);
	json_close('}');

	memset(&vf_luid, 0, sizeof(vf_luid));
	status = s->sriov.QueryVfLuid(s->sriov.Context, vf, &vf_luid);
	json_open_key("QueryVfLuid", '{');
	kv_status(status);
	if (NT_SUCCESS(status))
		kv_luid(vf_luid);
	json_close('}');

	/* And back: which VF has that LUID. */
	status = s->sriov.QueryLuidVf(s->sriov.Context, vf_luid, &found);
	json_open_key("QueryLuidVf", '{');
	kv_status(status);
	if (NT_SUCCESS(status))
		kv_uint("vf_index", found);
	json_close('}');

	memset(&proxy, 0, sizeof(proxy));
	status = ioctl_pf(s, IOCTL_SRIOV_PROXY_QUERY_LUID, NULL, 0, &proxy,
			  sizeof(proxy), &information);
	json_open_key("IOCTL_SRIOV_PROXY_QUERY_LUID", '{');
	kv_status(status);
	kv_uint("information", information);
	if (NT_SUCCESS(status))
		kv_luid(proxy.DeviceLuid);
	json_close('}');
}

static void report_ranges_of_bar(struct stack *s, USHORT vf, UCHAR bar,
				 ULONG count)
{
	SRIOV_MITIGATED_RANGES_OUTPUT ranges[MAX_RANGES];
	SRIOV_MITIGATED_RANGES_INPUT in = { .VfIndex = vf, .BarNumber = bar };
	ULONG_PTR information = 0;
	NTSTATUS status;
	ULONG i, n;

	/* The stack sizes the buffer from the count, as on Windows. */
	if (count > MAX_RANGES)
		count = MAX_RANGES;
	memset(ranges, 0, sizeof(ranges));
	status = ioctl_pf(s, IOCTL_SRIOV_QUERY_MITIGATED_RANGES, &in,
			  sizeof(in), count ? ranges : NULL,
			  count * sizeof(ranges[0]), &information);
	json_sep();
	json_open('{');
	kv_uint("bar", bar);
	kv_status(status);
	kv_uint("information", information);
	json_open_key("ranges", '[');
	n = NT_SUCCESS(status) ? information / sizeof(ranges[0]) : 0;
	for (i = 0; i < n && i < count; i++) {
		json_sep();
		json_open('{');
		kv_uint("base_page", ranges[i].BasePageNumber);
		kv_uint("page_count", ranges[i].PageCount);
		kv_bool("intercept_reads", ranges[i].InterceptReads);
		kv_bool("intercept_writes", ranges[i].InterceptWrites);
		json_close('}');
	}
	json_close(']');
	json_close('}');
}

/* The mitigated ranges, the way a stack asks: the count, then each BAR. */
static void report_mitigations(struct stack *s, USHORT vf)
{
	SRIOV_MITIGATED_RANGE_COUNT_INPUT in = { .VfIndex = vf };
	SRIOV_MITIGATED_RANGE_COUNT_OUTPUT out;
	ULONG_PTR information = 0;
	NTSTATUS status;
	UCHAR bar;

	memset(&out, 0, sizeof(out));
	status = ioctl_pf(s, IOCTL_SRIOV_QUERY_MITIGATED_RANGE_COUNT, &in,
			  sizeof(in), &out, sizeof(out), &information);
	json_open_key("IOCTL_SRIOV_QUERY_MITIGATED_RANGE_COUNT", '{');
	kv_status(status);
	kv_uint("information", information);
	if (NT_SUCCESS(status))
		kv_ulongs("range_count", out.RangeCount, PCI_TYPE0_ADDRESSES);
	json_close('}');
	if (!NT_SUCCESS(status))
		memset(&out, 0, sizeof(out));

	json_open_key("IOCTL_SRIOV_QUERY_MITIGATED_RANGES", '[');
	for (bar = 0; bar < PCI_TYPE0_ADDRESSES; bar++)
		report_ranges_of_bar(s, vf, bar, out.RangeCount[bar]);
	json_close(']');
}

static int cmd_report(struct stack *s, USHORT vf)
{
	ULONG bars[PCI_TYPE0_ADDRESSES];
	USHORT vendor = 0, device = 0;
	UINT8 captured = 0;
	NTSTATUS status;

	json_open('{');
	kv_str("pf", s->name);
	kv_uint("vf", vf);
	json_open_key("interfaces", '{');
	report_interface("GUID_PCI_VIRTUALIZATION_INTERFACE", s->pci_status,
			 (const INTERFACE *)&s->pci);
	report_interface("GUID_SRIOV_DEVICE_INTERFACE_STANDARD", s->sriov_status,
			 (const INTERFACE *)&s->sriov);
	report_interface("GUID_MITIGABLE_DEVICE_INTERFACE",
			 s->mitigable_status,
			 (const INTERFACE *)&s->mitigable);
	json_close('}');
	if (!stack_ready(s)) {
		json_end();
		return EXIT_FAILURE;
	}

	s->pci.GetResources(s->pci.Context, &captured);
	json_open_key("GetResources", '{');
	kv_uint("captured_bus_numbers", captured);
	json_close('}');

	memset(bars, 0, sizeof(bars));
	status = s->pci.GetVirtualFunctionProbedBars(s->pci.Context, bars);
	report_bars("GetVirtualFunctionProbedBars", "vf_probed", status, bars);
	memset(bars, 0, sizeof(bars));
	status = s->sriov.QueryProbedBars(s->sriov.Context, bars);
	report_bars("QueryProbedBars", "probed", status, bars);
	memset(bars, 0, sizeof(bars));
	status = s->sriov.QueryProbedBars_2(s->sriov.Context, vf, bars);
	report_bars("QueryProbedBars_2", "probed", status, bars);

	s->sriov.GetVendorAndDevice(s->sriov.Context, vf, &vendor, &device);
	json_open_key("GetVendorAndDevice", '{');
	kv_uint("vendor_id", vendor);
	kv_uint("device_id", device);
	json_close('}');

	report_locations(s, vf);
	report_config(s, vf);
	report_resources(s, vf);
	report_luids(s, vf);
	report_mitigations(s, vf);
	json_end();
	return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------------ */
/* enable, disable                                                          */
/* ------------------------------------------------------------------------ */

static NTSTATUS enable(struct stack *s, UINT16 num_vfs, BOOLEAN migration,
		       BOOLEAN interrupt, BOOLEAN on)
{
	return s->pci.EnableVirtualization(s->pci.Context, num_vfs, migration,
					   interrupt, on);
}

static int cmd_enable(struct stack *s, UINT16 num_vfs, BOOLEAN on)
{
	NTSTATUS status;

	if (!stack_ready(s))
		return EXIT_FAILURE;
	status = enable(s, num_vfs, FALSE, FALSE, on);
	printf("%s\n", status_name(status));
	return NT_SUCCESS(status) ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* ------------------------------------------------------------------------ */
/* misuse                                                                   */
/* ------------------------------------------------------------------------ */

/* One line a case: its name, what came back, and sometimes a detail. */
static void misuse(const char *name, NTSTATUS status)
{
	printf("%s %s\n", name, status_name(status));
}

static void misuse_detail(const char *name, NTSTATUS status,
			  const char *detail)
{
	printf("%s %s %s\n", name, status_name(status), detail);
}

/*
 * TotalVFs the Windows way: GetLocation answers for every index below it
 * and refuses the first one past it.
 */
static USHORT total_vfs_by_location(struct stack *s, NTSTATUS *status)
{
	UINT16 segment;
	UINT8 bus, function;
	USHORT vf;

	for (vf = 0; vf < 0xffff; vf++) {
		*status = s->pci.GetLocation(s->pci.Context, vf, &segment,
					     &bus, &function);
		if (!NT_SUCCESS(*status))
			break;
	}
	return vf;
}

static void misuse_enable(struct stack *s, USHORT total)
{
	misuse("disable_none", enable(s, 0, FALSE, FALSE, FALSE));
	misuse("enable_zero", enable(s, 0, FALSE, FALSE, TRUE));
	misuse("enable_over_total", enable(s, total + 1, FALSE, FALSE, TRUE));
	misuse("enable_migration", enable(s, 1, TRUE, FALSE, TRUE));
	misuse("migration_interrupt_alone", enable(s, 1, FALSE, TRUE, TRUE));
	misuse("enable_two", enable(s, 2, FALSE, FALSE, TRUE));
	misuse("enable_twice", enable(s, 2, FALSE, FALSE, TRUE));
	misuse("disable_with_numvfs", enable(s, 2, FALSE, FALSE, FALSE));
}

/* With two VFs enabled, index 2 is past NumVFs. */
static void misuse_vf_index(struct stack *s)
{
	CM_PARTIAL_RESOURCE_DESCRIPTOR res;
	ULONG bars[PCI_TYPE0_ADDRESSES];
	UCHAR config[4] = { 0 };
	USHORT vendor = 0, device = 0;
	UINT16 segment = 0;
	UINT8 bus = 0, function = 0;
	LUID luid;
	PVOID ctx = s->sriov.Context;
	char ids[32];

	misuse("read_config_past_numvfs",
	       s->sriov.ReadVfConfig(ctx, config, 2, 0, sizeof(config)));
	misuse("reset_past_numvfs", s->sriov.ResetVf(ctx, 2));
	misuse("bar_past_numvfs", s->sriov.GetResourceForBar(ctx, 2, 0, &res));
	misuse("probed_bars_2_past_numvfs",
	       s->sriov.QueryProbedBars_2(ctx, 2, bars));
	misuse("vf_luid_past_numvfs", s->sriov.QueryVfLuid(ctx, 2, &luid));
	misuse("bar_6", s->sriov.GetResourceForBar(ctx, 0, 6, &res));
	/* Both families' VF BAR 0 is 64-bit: BAR 1 is its upper half. */
	misuse("bar_upper_half", s->sriov.GetResourceForBar(ctx, 0, 1, &res));

	/* The routines that cannot fail say so with all-ones values. */
	s->sriov.GetVendorAndDevice(ctx, 2, &vendor, &device);
	snprintf(ids, sizeof(ids), "0x%04x:0x%04x", vendor, device);
	printf("vendor_device_past_numvfs %s\n", ids);
	s->sriov.GetDeviceLocation(ctx, 0xffff, &segment, &bus, &function);
	printf("device_location_past_total 0x%04x:0x%02x:0x%02x\n", segment,
	       bus, function);
	printf("get_data_past_config %" PRIu32 "\n",
	       s->pci.GetVirtualFunctionData(s->pci.Context, 0, config, 4096,
					     sizeof(config)));
	printf("set_data_past_config %" PRIu32 "\n",
	       s->pci.SetVirtualFunctionData(s->pci.Context, 0, config, 4096,
					     sizeof(config)));
}

/* What must go through VFIO, asked without it. */
static void misuse_without_vfio(struct stack *s)
{
	UCHAR data[4] = { 0x06, 0x00, 0x00, 0x00 };

	misuse("write_config_without_vfio",
	       s->sriov.WriteVfConfig(s->sriov.Context, data, 0, 4, 2));
	misuse("mitigated_register_without_vfio",
	       s->mitigable.ReadWriteMitigatedRegister(s->mitigable.Context,
						       0, TRUE, 0, 8, 4, data));
}

static void misuse_power(struct stack *s)
{
	PVOID ctx = s->sriov.Context;

	misuse("power_unspecified",
	       s->sriov.SetVfPowerState(ctx, 0, PowerDeviceUnspecified, FALSE));
	misuse("power_maximum",
	       s->sriov.SetVfPowerState(ctx, 0, PowerDeviceMaximum, FALSE));
	misuse("power_wake_d0",
	       s->sriov.SetVfPowerState(ctx, 0, PowerDeviceD0, TRUE));
}

static void misuse_blocks(struct stack *s)
{
	UCHAR buf[VPCI_MAX_READ_WRITE_BLOCK_SIZE + 1];
	PVOID ctx = s->sriov.Context;
	LUID luid;

	memset(buf, 0, sizeof(buf));
	misuse("read_block_never_written",
	       s->sriov.ReadVfConfigBlock(ctx, 0, 9, buf, 16));
	misuse("read_block_length_0",
	       s->sriov.ReadVfConfigBlock(ctx, 0, 9, buf, 0));
	misuse("read_block_length_129",
	       s->sriov.ReadVfConfigBlock(ctx, 0, 9, buf, sizeof(buf)));
	misuse("write_block_past_numvfs",
	       s->sriov.WriteVfConfigBlock(ctx, 2, 9, buf, 4));
	/* The PF's own LUID is no VF's. */
	if (NT_SUCCESS(s->sriov.QueryLuid(ctx, &luid)))
		misuse("luid_vf_of_pf_luid",
		       s->sriov.QueryLuidVf(ctx, luid, &(USHORT){ 0 }));
}

static void misuse_query_interface(struct stack *s)
{
	SRIOV_DEVICE_INTERFACE_STANDARD_2 table, untouched;
	VPCI_INTERFACE_STANDARD vpci;
	NTSTATUS status;

	misuse("unknown_guid",
	       query(s, &GUID_DEVINTERFACE_VIRTUALIZABLE_DEVICE, &table,
		     sizeof(table), 1));
	misuse("vpci_guid_on_pf",
	       query(s, &GUID_VPCI_INTERFACE_STANDARD, &vpci, sizeof(vpci), 1));

	/* "Nothing is written on failure": the table keeps its filler. */
	memset(&table, 0xa5, sizeof(table));
	memcpy(&untouched, &table, sizeof(table));
	status = query(s, &GUID_SRIOV_DEVICE_INTERFACE_STANDARD, &table,
		       sizeof(SRIOV_DEVICE_INTERFACE_STANDARD),
		       SRIOVVIRT_SRIOV_DEVICE_INTERFACE_STANDARD_VERSION_2);
	printf("short_size %s %s\n", status_name(status),
	       memcmp(&table, &untouched, sizeof(table)) ? "written" :
							   "untouched");
	misuse("bad_version", query(s, &GUID_SRIOV_DEVICE_INTERFACE_STANDARD,
				    &table, sizeof(table), 3));
	misuse("null_table", sriovvirt_query_interface(s->pf,
			&GUID_SRIOV_DEVICE_INTERFACE_STANDARD, sizeof(table),
			2, NULL));
	misuse("vf_query_past_numvfs",
	       sriovvirt_vf_query_interface(s->pf, 2,
					    &GUID_VPCI_INTERFACE_STANDARD,
					    sizeof(vpci), 1,
					    (INTERFACE *)&vpci));
}

static void misuse_buffers(struct stack *s)
{
	SRIOV_MITIGATED_RANGE_COUNT_INPUT count_in = { .VfIndex = 0 };
	SRIOV_MITIGATED_RANGE_COUNT_OUTPUT count_out;
	SRIOV_MITIGATED_RANGES_INPUT ranges_in = { .VfIndex = 0, .BarNumber = 6 };
	SRIOV_MITIGATED_RANGES_OUTPUT ranges_out[4];
	SRIOV_INVALIDATE_BLOCK invalidate = { .VfIndex = 2 };
	SRIOV_PROXY_QUERY_LUID_OUTPUT luid;
	ULONG_PTR information = 0;
	NTSTATUS status;
	char detail[32];

	misuse("unknown_ioctl", ioctl_pf(s, SRIOV_IOCTL(10, METHOD_BUFFERED),
					 NULL, 0, NULL, 0, NULL));
	status = ioctl_pf(s, IOCTL_SRIOV_PROXY_QUERY_LUID, NULL, 0, &luid, 4,
			  &information);
	snprintf(detail, sizeof(detail), "information=%" PRIu64,
		 (uint64_t)information);
	misuse_detail("short_output", status, detail);
	misuse("short_input",
	       ioctl_pf(s, IOCTL_SRIOV_QUERY_MITIGATED_RANGE_COUNT, &count_in,
			1, &count_out, sizeof(count_out), NULL));
	misuse("null_output_with_length",
	       ioctl_pf(s, IOCTL_SRIOV_PROXY_QUERY_LUID, NULL, 0, NULL,
			sizeof(luid), NULL));
	misuse("ranges_bar_6",
	       ioctl_pf(s, IOCTL_SRIOV_QUERY_MITIGATED_RANGES, &ranges_in,
			sizeof(ranges_in), ranges_out, sizeof(ranges_out),
			NULL));
	count_in.VfIndex = 2;
	misuse("range_count_past_numvfs",
	       ioctl_pf(s, IOCTL_SRIOV_QUERY_MITIGATED_RANGE_COUNT, &count_in,
			sizeof(count_in), &count_out, sizeof(count_out), NULL));
	/* Refused before it would pend. */
	misuse("invalidate_past_numvfs",
	       ioctl_pf(s, IOCTL_SRIOV_INVALIDATE_BLOCK, &invalidate,
			sizeof(invalidate), &invalidate, sizeof(invalidate),
			NULL));
}

/* A second stack, in a child process: the PF has one attacher. */
static NTSTATUS attach_from_child(const char *name)
{
	NTSTATUS status = STATUS_UNSUCCESSFUL;
	int fds[2];
	pid_t pid;

	if (pipe(fds) < 0)
		return STATUS_UNSUCCESSFUL;
	pid = fork();
	if (pid == 0) {
		struct sriovvirt_ctx *ctx;
		struct sriovvirt_pf *pf;

		close(fds[0]);
		if (sriovvirt_ctx_new(&ctx) == 0 &&
		    sriovvirt_pf_open(ctx, name, &pf) == 0)
			status = sriovvirt_device_io_control(pf,
					IOCTL_SRIOV_ATTACH, NULL, 0, NULL, 0,
					NULL);
		if (write(fds[1], &status, sizeof(status)) != sizeof(status))
			_exit(EXIT_FAILURE);
		_exit(EXIT_SUCCESS);
	}
	close(fds[1]);
	if (pid < 0 || read(fds[0], &status, sizeof(status)) != sizeof(status))
		status = STATUS_UNSUCCESSFUL;
	close(fds[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return status;
}

static void misuse_attach(struct stack *s)
{
	SRIOV_PNP_EVENT_COMPLETE complete = { .QueryStatus = STATUS_SUCCESS };
	SRIOV_PF_EVENT event;
	struct sriovvirt_pf *second;

	misuse("detach_not_attached",
	       ioctl_pf(s, IOCTL_SRIOV_DETACH, NULL, 0, NULL, 0, NULL));
	misuse("notification_not_attached",
	       ioctl_pf(s, IOCTL_SRIOV_NOTIFICATION, NULL, 0, &event,
			sizeof(event), NULL));
	misuse("event_complete_not_attached",
	       ioctl_pf(s, IOCTL_SRIOV_EVENT_COMPLETE, &complete,
			sizeof(complete), NULL, 0, NULL));
	misuse("attach", ioctl_pf(s, IOCTL_SRIOV_ATTACH, NULL, 0, NULL, 0,
				  NULL));
	if (sriovvirt_pf_open(s->ctx, s->name, &second) == 0) {
		misuse("attach_second_handle",
		       sriovvirt_device_io_control(second, IOCTL_SRIOV_ATTACH,
						   NULL, 0, NULL, 0, NULL));
		sriovvirt_pf_unref(second);
	}
	misuse("attach_child", attach_from_child(s->name));
	misuse("detach", ioctl_pf(s, IOCTL_SRIOV_DETACH, NULL, 0, NULL, 0,
				  NULL));
}

/* The VF side's table, and its requests. */
static void misuse_vpci(struct stack *s)
{
	VPCI_INTERFACE_STANDARD vpci;
	VPCI_READ_BLOCK_INPUT in = { .BlockId = 9, .BytesRequested = 16 };
	UCHAR buf[16];
	NTSTATUS status;

	status = sriovvirt_vf_query_interface(s->pf, 0,
					      &GUID_VPCI_INTERFACE_STANDARD,
					      sizeof(vpci), 1,
					      (INTERFACE *)&vpci);
	misuse("vf_query_interface", status);
	if (!NT_SUCCESS(status))
		return;
	misuse("vpci_unknown_ioctl",
	       sriovvirt_vpci_device_io_control(vpci.Context, 0x002AC013,
						NULL, 0, NULL, 0, NULL));
	misuse("vpci_read_short_output",
	       sriovvirt_vpci_device_io_control(vpci.Context,
						IOCTL_VPCI_READ_BLOCK, &in,
						sizeof(in), buf, 8, NULL));
	misuse("vpci_read_never_written",
	       sriovvirt_vpci_device_io_control(vpci.Context,
						IOCTL_VPCI_READ_BLOCK, &in,
						sizeof(in), buf, sizeof(buf),
						NULL));
	misuse("vpci_read_block_never_written",
	       vpci.ReadVfConfigBlock(vpci.Context, 9, buf, sizeof(buf)));
	vpci.InterfaceDereference(vpci.Context);
}

/*
 * Each misuse the header documents a status for. Starts and ends with the
 * PF's VFs disabled; the VM case compares the lines with the header.
 */
static int cmd_misuse(struct stack *s)
{
	NTSTATUS status;
	char detail[8];
	USHORT total;

	if (!stack_ready(s))
		return EXIT_FAILURE;
	misuse_query_interface(s);
	total = total_vfs_by_location(s, &status);
	snprintf(detail, sizeof(detail), "%u", total);
	misuse_detail("get_location_total", status, detail);
	misuse_enable(s, total);
	misuse_vf_index(s);
	misuse_without_vfio(s);
	misuse_power(s);
	misuse_blocks(s);
	misuse_buffers(s);
	misuse_attach(s);
	misuse_vpci(s);
	status = enable(s, 0, FALSE, FALSE, FALSE);
	misuse("disable", status);
	return NT_SUCCESS(status) ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* ------------------------------------------------------------------------ */
/* serve                                                                    */
/* ------------------------------------------------------------------------ */

/*
 * Cancel rather than rely on the interrupted poll: a signal that lands just
 * before NOTIFICATION starts waiting would interrupt nothing, while a
 * cancel is kept for the request about to wait.
 */
static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
	sriovvirt_pf_cancel_io(pended_pf);
}

/*
 * No SA_RESTART: the signal must interrupt the pended NOTIFICATION, which
 * then completes with STATUS_CANCELLED, as Windows cancels the IRP.
 */
static void install_handler(int sig, void (*handler)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

/* The answer to a query: a veto fails it with a status of our choosing. */
static NTSTATUS answer_for(const struct sriovvirt_pf_event *event, bool veto)
{
	if (event->code == SriovEventPfQueryStopDevice && veto)
		return STATUS_DEVICE_BUSY;
	return STATUS_SUCCESS;
}

static NTSTATUS serve_one(struct stack *s, bool veto)
{
	SRIOV_PNP_EVENT_COMPLETE complete;
	struct sriovvirt_pf_event event;
	ULONG_PTR information = 0;
	const char *name;
	NTSTATUS status;

	/*
	 * A buffer the size of the native event gets the details too; its
	 * first member is the SRIOV_PF_EVENT.
	 */
	memset(&event, 0, sizeof(event));
	status = ioctl_pf(s, IOCTL_SRIOV_NOTIFICATION, NULL, 0, &event,
			  sizeof(event), &information);
	if (!NT_SUCCESS(status))
		return status;
	name = sriovvirt_event_name(event.code);
	printf("event %" PRIu32 " %s operation=%" PRIu32 " vf=%u pid=%" PRId32
	       " status=%" PRId32 " information=%" PRIu64 "\n", event.code,
	       name ? name : "unknown", event.operation, event.vf, event.pid,
	       event.status, (uint64_t)information);

	/* Events that ask nothing are completed too: it does no harm. */
	complete.QueryStatus = answer_for(&event, veto);
	status = ioctl_pf(s, IOCTL_SRIOV_EVENT_COMPLETE, &complete,
			  sizeof(complete), NULL, 0, NULL);
	printf("complete %s %s\n", status_name(complete.QueryStatus),
	       status_name(status));
	fflush(stdout);
	return status;
}

static int cmd_serve(struct stack *s, bool veto)
{
	NTSTATUS status;

	if (!stack_ready(s))
		return EXIT_FAILURE;
	install_handler(SIGTERM, on_stop);
	install_handler(SIGINT, on_stop);
	status = ioctl_pf(s, IOCTL_SRIOV_ATTACH, NULL, 0, NULL, 0, NULL);
	if (!NT_SUCCESS(status)) {
		fprintf(stderr, "pcivirt-stack: %s: attach: %s\n", s->name,
			status_name(status));
		return EXIT_FAILURE;
	}
	fprintf(stderr, "attached\n");
	fflush(stderr);

	/* SIGTERM or SIGINT cancels the pended NOTIFICATION, and ends. */
	while (!stop_requested) {
		status = serve_one(s, veto);
		if (status == STATUS_CANCELLED && stop_requested)
			break;
		if (!NT_SUCCESS(status)) {
			fprintf(stderr, "pcivirt-stack: %s: %s\n", s->name,
				status_name(status));
			break;
		}
	}
	printf("stopped %s\n", status_name(status));
	status = ioctl_pf(s, IOCTL_SRIOV_DETACH, NULL, 0, NULL, 0, NULL);
	printf("detach %s\n", status_name(status));
	return NT_SUCCESS(status) ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* ------------------------------------------------------------------------ */
/* vfio                                                                     */
/* ------------------------------------------------------------------------ */

static void vfio_read(struct stack *s, USHORT vf, const char *key,
		      ULONG offset, ULONG length)
{
	UCHAR data[CONFIG_BYTES];
	NTSTATUS status;

	memset(data, 0, sizeof(data));
	status = s->sriov.ReadVfConfig(s->sriov.Context, data, vf, offset,
				       length);
	json_open_key(key, '{');
	kv_status(status);
	kv_uint("offset", offset);
	if (NT_SUCCESS(status))
		kv_bytes("bytes", data, length);
	json_close('}');
}

static void vfio_write(struct stack *s, USHORT vf, const char *key,
		       ULONG offset, const UCHAR *data, ULONG length)
{
	NTSTATUS status;

	status = s->sriov.WriteVfConfig(s->sriov.Context, data, vf, offset,
					length);
	json_open_key(key, '{');
	kv_status(status);
	kv_uint("offset", offset);
	kv_bytes("bytes", data, length);
	json_close('}');
}

static void vfio_register(struct stack *s, USHORT vf)
{
	UCHAR data[4] = { 0 };
	NTSTATUS status;

	status = s->mitigable.ReadWriteMitigatedRegister(s->mitigable.Context,
							 vf, TRUE, 0, 8, 4,
							 data);
	json_open_key("ReadWriteMitigatedRegister", '{');
	kv_status(status);
	kv_uint("bar", 0);
	kv_uint("offset", 8);
	kv_uint("length", 4);
	kv_uint("value", (uint32_t)data[0] | (uint32_t)data[1] << 8 |
			 (uint32_t)data[2] << 16 | (uint32_t)data[3] << 24);
	json_close('}');
}

/*
 * The guest's view of a VF. vfio-pci resets the VF at open and virtualizes
 * its BARs: an all-ones write reads back the size mask, the hardware BAR
 * is untouched. A guest sets Memory Space before touching a BAR.
 */
static int cmd_vfio(struct stack *s, USHORT vf)
{
	static const UCHAR ones[4] = { 0xff, 0xff, 0xff, 0xff };
	static const UCHAR memory_space[2] = { 0x06, 0x00 };
	int r;

	if (!stack_ready(s))
		return EXIT_FAILURE;
	json_open('{');
	kv_str("pf", s->name);
	kv_uint("vf", vf);
	r = sriovvirt_vf_vfio_open(s->pf, vf, NULL);
	kv_int("vfio_open", r);
	if (r < 0) {
		json_end();
		return EXIT_FAILURE;
	}
	vfio_read(s, vf, "ReadVfConfig", 0, CONFIG_BYTES);
	vfio_write(s, vf, "WriteVfConfig_bar0", 0x10, ones, sizeof(ones));
	vfio_read(s, vf, "ReadVfConfig_bar0", 0x10, 4);
	vfio_write(s, vf, "WriteVfConfig_command", 0x04, memory_space,
		   sizeof(memory_space));
	vfio_register(s, vf);
	report_mitigations(s, vf);
	r = sriovvirt_vf_vfio_close(s->pf, vf);
	kv_int("vfio_close", r);
	json_end();
	return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* ------------------------------------------------------------------------ */
/* blocks                                                                   */
/* ------------------------------------------------------------------------ */

#define BLOCK_PF	3	/* written by the PF side */
#define BLOCK_VF	4	/* written by the VF side */
#define BLOCK_IOCTL	5	/* written with IOCTL_VPCI_WRITE_BLOCK */
#define BLOCK_READ_LEN	16

/* What each side writes ("pf->vf", "vf->pf!"); the routines take a PVOID. */
static UCHAR pf_data[] = { 0x70, 0x66, 0x2d, 0x3e, 0x76, 0x66 };
static UCHAR vf_data[] = { 0x76, 0x66, 0x2d, 0x3e, 0x70, 0x66, 0x21 };

static void block_status(const char *key, NTSTATUS status, const UCHAR *bytes,
			 size_t length)
{
	json_open_key(key, '{');
	kv_status(status);
	if (bytes && NT_SUCCESS(status))
		kv_bytes("bytes", bytes, length);
	json_close('}');
}

static void pf_read_block(struct stack *s, USHORT vf, const char *key,
			  ULONG block)
{
	UCHAR buf[BLOCK_READ_LEN];
	NTSTATUS status;

	memset(buf, 0xee, sizeof(buf));
	status = s->sriov.ReadVfConfigBlock(s->sriov.Context, vf, block, buf,
					    sizeof(buf));
	block_status(key, status, buf, sizeof(buf));
}

/*
 * The PF side's invalidation, from another process: what a PF driver
 * does on Windows when it wants the VF driver to re-read blocks.
 */
static pid_t invalidate_in_child(const char *name, USHORT vf, UINT64 mask)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct sriovvirt_ctx *ctx;
		struct sriovvirt_pf *pf;
		int r;

		r = sriovvirt_ctx_new(&ctx);
		if (r == 0)
			r = sriovvirt_pf_open(ctx, name, &pf);
		if (r == 0)
			r = sriovvirt_pf_invalidate_blocks(pf, vf, mask);
		_exit(r < 0 ? EXIT_FAILURE : EXIT_SUCCESS);
	}
	return pid;
}

static bool reap(pid_t pid)
{
	int wstatus;

	if (pid < 0 || waitpid(pid, &wstatus, 0) != pid)
		return false;
	return WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0;
}

/* IOCTL_SRIOV_INVALIDATE_BLOCK pends until the child has invalidated. */
static void invalidate_round(struct stack *s, const char *key, USHORT ask,
			     USHORT vf, UINT64 mask)
{
	SRIOV_INVALIDATE_BLOCK block = { .VfIndex = ask };
	ULONG_PTR information = 0;
	NTSTATUS status;
	pid_t child;

	child = invalidate_in_child(s->name, vf, mask);
	alarm(PENDED_TIMEOUT_S);
	status = ioctl_pf(s, IOCTL_SRIOV_INVALIDATE_BLOCK, &block,
			  sizeof(block), &block, sizeof(block), &information);
	alarm(0);
	json_open_key(key, '{');
	kv_bool("child_ok", reap(child));
	kv_uint("asked", ask);
	kv_uint("mask_sent", mask);
	kv_status(status);
	kv_uint("information", information);
	kv_uint("vf_index", block.VfIndex);
	kv_uint("block_mask", block.BlockMask);
	json_close('}');
}

static void vpci_invalidate_round(struct stack *s, PVOID vpci, USHORT vf,
				  UINT64 mask)
{
	VPCI_INVALIDATE_BLOCK_OUTPUT out = { 0 };
	ULONG_PTR information = 0;
	NTSTATUS status;
	pid_t child;

	child = invalidate_in_child(s->name, vf, mask);
	pended_vpci = vpci;
	alarm(PENDED_TIMEOUT_S);
	status = sriovvirt_vpci_device_io_control(vpci,
						  IOCTL_VPCI_INVALIDATE_BLOCK,
						  NULL, 0, &out, sizeof(out),
						  &information);
	alarm(0);
	pended_vpci = NULL;
	json_open_key("IOCTL_VPCI_INVALIDATE_BLOCK", '{');
	kv_bool("child_ok", reap(child));
	kv_uint("mask_sent", mask);
	kv_status(status);
	kv_uint("information", information);
	kv_uint("block_mask", out.BlockMask);
	json_close('}');
}

/* IOCTL_VPCI_WRITE_BLOCK's input: the header, then DataLength bytes. */
static void vpci_ioctl_blocks(PVOID vpci)
{
	union {
		VPCI_WRITE_BLOCK_INPUT in;
		UCHAR raw[offsetof(VPCI_WRITE_BLOCK_INPUT, Data) + 20];
	} w;
	VPCI_READ_BLOCK_INPUT r = { .BlockId = BLOCK_IOCTL,
				    .BytesRequested = BLOCK_READ_LEN * 2 };
	UCHAR buf[BLOCK_READ_LEN * 2];
	ULONG_PTR information = 0;
	NTSTATUS status;
	ULONG i;

	w.in.BlockId = BLOCK_IOCTL;
	w.in.DataLength = 20;
	for (i = 0; i < 20; i++)
		w.in.Data[i] = (UCHAR)(i * 3);
	status = sriovvirt_vpci_device_io_control(vpci, IOCTL_VPCI_WRITE_BLOCK,
						  &w, sizeof(w), NULL, 0,
						  &information);
	json_open_key("IOCTL_VPCI_WRITE_BLOCK", '{');
	kv_status(status);
	kv_uint("information", information);
	json_close('}');

	memset(buf, 0xee, sizeof(buf));
	information = 0;
	status = sriovvirt_vpci_device_io_control(vpci, IOCTL_VPCI_READ_BLOCK,
						  &r, sizeof(r), buf,
						  sizeof(buf), &information);
	json_open_key("IOCTL_VPCI_READ_BLOCK", '{');
	kv_status(status);
	kv_uint("information", information);
	if (NT_SUCCESS(status))
		kv_bytes("bytes", buf, sizeof(buf));
	json_close('}');
}

/* The guest's side of the VF: VPCI_INTERFACE_STANDARD. */
static void vf_side(struct stack *s, USHORT vf,
		    const VPCI_INTERFACE_STANDARD *vpci)
{
	UCHAR buf[BLOCK_READ_LEN];
	NTSTATUS status;
	LUID luid;

	memset(buf, 0xee, sizeof(buf));
	status = vpci->ReadVfConfigBlock(vpci->Context, BLOCK_PF, buf,
					 sizeof(buf));
	block_status("vpci_ReadVfConfigBlock", status, buf, sizeof(buf));
	status = vpci->WriteVfConfigBlock(vpci->Context, BLOCK_VF,
					  vf_data, sizeof(vf_data));
	block_status("vpci_WriteVfConfigBlock", status, NULL, 0);
	pf_read_block(s, vf, "ReadVfConfigBlock_vf_written", BLOCK_VF);

	json_open_key("SerialNumber", '{');
	kv_uint("serial_number", vpci->SerialNumber);
	memset(&luid, 0, sizeof(luid));
	status = s->sriov.QueryVfLuid(s->sriov.Context, vf, &luid);
	kv_status(status);
	kv_uint("vf_luid_low_part", luid.LowPart);
	json_close('}');

	vpci_ioctl_blocks(vpci->Context);
	pf_read_block(s, vf, "ReadVfConfigBlock_ioctl_written", BLOCK_IOCTL);
}

static int cmd_blocks(struct stack *s, USHORT vf)
{
	VPCI_INTERFACE_STANDARD vpci;
	NTSTATUS status;

	if (!stack_ready(s))
		return EXIT_FAILURE;
	json_open('{');
	kv_str("pf", s->name);
	kv_uint("vf", vf);
	status = s->sriov.WriteVfConfigBlock(s->sriov.Context, vf, BLOCK_PF,
					     pf_data, sizeof(pf_data));
	block_status("WriteVfConfigBlock", status, NULL, 0);
	pf_read_block(s, vf, "ReadVfConfigBlock", BLOCK_PF);

	memset(&vpci, 0, sizeof(vpci));
	status = sriovvirt_vf_query_interface(s->pf, vf,
			&GUID_VPCI_INTERFACE_STANDARD, sizeof(vpci),
			SRIOVVIRT_VPCI_INTERFACE_STANDARD_VERSION,
			(INTERFACE *)&vpci);
	report_interface("GUID_VPCI_INTERFACE_STANDARD", status,
			 (const INTERFACE *)&vpci);
	if (!NT_SUCCESS(status)) {
		json_end();
		return EXIT_FAILURE;
	}
	vf_side(s, vf, &vpci);

	invalidate_round(s, "IOCTL_SRIOV_INVALIDATE_BLOCK", vf, vf, 0x5);
	invalidate_round(s, "IOCTL_SRIOV_INVALIDATE_BLOCK_ALL_VFS",
			 SRIOV_INVALIDATE_BLOCK_ALL_VFS, vf, 0x30);
	vpci_invalidate_round(s, vpci.Context, vf, 0x100);
	vpci.InterfaceDereference(vpci.Context);
	json_end();
	return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------------ */
/* Command line                                                             */
/* ------------------------------------------------------------------------ */

static const char usage_text[] =
	"usage: pcivirt-stack report PF [VF]\n"
	"       pcivirt-stack enable PF N\n"
	"       pcivirt-stack disable PF\n"
	"       pcivirt-stack misuse PF\n"
	"       pcivirt-stack serve PF [--veto]\n"
	"       pcivirt-stack vfio PF VF\n"
	"       pcivirt-stack blocks PF VF\n"
	"\n"
	"A virtualization stack on the Windows-shaped SR-IOV interfaces of\n"
	"libsriovvirt (<sriovvirt-pcivirt.h>). PF is a PCI address or a network\n"
	"interface name, VF an index. report, vfio and blocks print JSON;\n"
	"misuse prints one line per case (NAME STATUS); serve attaches to the\n"
	"PF and answers its events (a veto with --veto) until SIGTERM.\n"
	"Exit status: 0 success, 1 failure, 2 usage.\n";

static int usage(const char *why)
{
	if (why)
		fprintf(stderr, "pcivirt-stack: %s\n", why);
	fputs(usage_text, stderr);
	return EXIT_USAGE;
}

static bool parse_u16(const char *s, USHORT *ret)
{
	unsigned long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > 0xffff)
		return false;
	*ret = (USHORT)v;
	return true;
}

/* A pended request that nobody completes in time is cancelled. */
static void on_alarm(int sig)
{
	(void)sig;
	if (pended_pf)
		sriovvirt_pf_cancel_io(pended_pf);
	if (pended_vpci)
		sriovvirt_vpci_cancel_io(pended_vpci);
}

struct command {
	const char *name;
	int min_args;	/* after the PF */
	int max_args;
};

static const struct command commands[] = {
	{ "report", 0, 1 }, { "enable", 1, 1 }, { "disable", 0, 0 },
	{ "misuse", 0, 0 }, { "serve", 0, 1 }, { "vfio", 1, 1 },
	{ "blocks", 1, 1 }, { NULL, 0, 0 },
};

static int run(struct stack *s, const char *cmd, int argc, char **argv)
{
	USHORT n = 0;

	if (argc > 0 && strcmp(cmd, "serve") != 0 && !parse_u16(argv[0], &n))
		return -1;
	if (!strcmp(cmd, "report"))
		return cmd_report(s, n);
	if (!strcmp(cmd, "enable"))
		return cmd_enable(s, n, TRUE);
	if (!strcmp(cmd, "disable"))
		return cmd_enable(s, 0, FALSE);
	if (!strcmp(cmd, "misuse"))
		return cmd_misuse(s);
	if (!strcmp(cmd, "serve"))
		return cmd_serve(s, argc > 0);
	if (!strcmp(cmd, "vfio"))
		return cmd_vfio(s, n);
	return cmd_blocks(s, n);
}

int main(int argc, char **argv)
{
	const struct command *c;
	struct stack s;
	USHORT n;
	int i, r;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage_text, stdout);
			return EXIT_SUCCESS;
		}
	if (argc < 2)
		return usage("no command");
	for (c = commands; c->name; c++)
		if (!strcmp(c->name, argv[1]))
			break;
	if (!c->name)
		return usage("unknown command");
	if (argc < 3)
		return usage("no PF");
	if (argc - 3 < c->min_args || argc - 3 > c->max_args)
		return usage("wrong number of arguments");
	if (!strcmp(c->name, "serve") && argc == 4 && strcmp(argv[3], "--veto"))
		return usage("serve takes only --veto");
	if (strcmp(c->name, "serve") && argc == 4 && !parse_u16(argv[3], &n))
		return usage("not a number from 0 to 65535");

	/* Requests that pend end at this alarm rather than hang. */
	install_handler(SIGALRM, on_alarm);
	if (stack_open(&s, argv[2]) < 0)
		return EXIT_FAILURE;
	pended_pf = s.pf;
	r = run(&s, c->name, argc - 3, argv + 3);
	stack_close(&s);
	fflush(stdout);
	return r < 0 ? EXIT_USAGE : r;
}
