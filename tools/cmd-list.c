// SPDX-License-Identifier: GPL-2.0-or-later
/* sriovctl list and show: what SR-IOV devices there are and what they hold. */

#include <errno.h>
#include <getopt.h>
#include <linux/pci_regs.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* What list prints about one PF. */
struct pf_summary {
	char address[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	uint16_t vendor_id, device_id, total_vfs, num_vfs;
	char driver[64];	/* "" when unbound */
};

static int summarize(struct cli *cli, struct sriovvirt_pf *pf,
		     struct pf_summary *s)
{
	const struct sriovvirt_pci_addr *addr = sriovvirt_pf_get_addr(pf);
	int r;

	snprintf(s->address, sizeof(s->address), "%s", sriovvirt_pf_get_name(pf));
	r = sriovvirt_dev_get_ids(cli->ctx, addr, &s->vendor_id, &s->device_id);
	if (r == 0)
		r = sriovvirt_pf_get_total_vfs(pf, &s->total_vfs);
	if (r == 0)
		r = sriovvirt_pf_get_num_vfs(pf, &s->num_vfs);
	if (r < 0)
		return r;
	r = sriovvirt_dev_get_driver(cli->ctx, addr, s->driver, sizeof(s->driver));
	if (r == -ENODATA)
		s->driver[0] = '\0';
	else if (r < 0)
		return r;
	return 0;
}

static void print_driver_json(struct json *j, const char *driver)
{
	json_key(j, "driver");
	json_string(j, driver[0] ? driver : NULL);
}

static void print_summary(struct cli *cli, const struct pf_summary *s)
{
	char name[256];

	if (cli->json) {
		json_begin_object(&cli->out);
		json_kv_string(&cli->out, "address", s->address);
		json_kv_uint(&cli->out, "vendor_id", s->vendor_id);
		json_kv_uint(&cli->out, "device_id", s->device_id);
		print_driver_json(&cli->out, s->driver);
		json_kv_uint(&cli->out, "total_vfs", s->total_vfs);
		json_kv_uint(&cli->out, "num_vfs", s->num_vfs);
		json_end_object(&cli->out);
		return;
	}
	if (sriovvirt_ctx_lookup_name(cli->ctx, s->vendor_id, s->device_id, name,
				      sizeof(name)) < 0)
		name[0] = '\0';
	printf("%-13s %04x:%04x   %-12s %5u %5u  %s\n", s->address,
	       s->vendor_id, s->device_id, s->driver[0] ? s->driver : "-",
	       s->num_vfs, s->total_vfs, name);
}

static int list_one(struct cli *cli, const struct sriovvirt_pci_addr *addr)
{
	struct sriovvirt_pf *pf;
	struct pf_summary s;
	int r;

	r = sriovvirt_pf_open_addr(cli->ctx, addr, &pf);
	if (r == 0) {
		r = summarize(cli, pf, &s);
		sriovvirt_pf_unref(pf);
	}
	if (r == -ENODEV)
		return 0;	/* removed while listing */
	if (r < 0)
		return r;
	print_summary(cli, &s);
	return 0;
}

static int run_list(struct cli *cli, int argc, char **argv)
{
	struct sriovvirt_pci_addr *addrs;
	size_t n, i;
	int r;

	r = cli_simple_args(cli, &list_commands[0], argc, argv, 0, 0);
	if (r >= 0)
		return r;
	r = sriovvirt_list_pfs(cli->ctx, &addrs, &n);
	if (r < 0)
		return cli_fail(cli, r, "listing PCI devices");
	if (cli->json)
		json_begin_array(&cli->out);
	else if (n)
		printf("%-13s %-11s %-12s %5s %5s  %s\n", "PF", "VENDOR:DEV",
		       "DRIVER", "VFS", "TOTAL", "NAME");
	for (i = 0; i < n && r == 0; i++)
		r = list_one(cli, &addrs[i]);
	free(addrs);
	if (cli->json) {
		json_end_array(&cli->out);
		json_finish(&cli->out);
	} else if (!n) {
		printf("No SR-IOV physical functions in %s/bus/pci/devices.\n",
		       sriovvirt_ctx_get_sysfs_root(cli->ctx));
	}
	return r < 0 ? cli_fail(cli, r, "listing PCI devices") : EXIT_OK;
}

/* show: one VF row. */
struct vf_row {
	uint16_t index;
	char address[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	uint16_t vendor_id, device_id;
	char driver[64];
	int iommu_group;	/* -1: none */
};

static int read_vf_row(struct sriovvirt_pf *pf, uint16_t vf, struct vf_row *row)
{
	struct sriovvirt_vf_info info = { .size = sizeof(info) };
	int r;

	r = sriovvirt_vf_get_info(pf, vf, &info);
	if (r < 0)
		return r;
	row->index = vf;
	sriovvirt_pci_addr_format(&info.addr, row->address, sizeof(row->address));
	row->vendor_id = info.vendor_id;
	row->device_id = info.device_id;
	snprintf(row->driver, sizeof(row->driver), "%s", info.driver);
	row->iommu_group = info.iommu_group;
	return 0;
}

static void print_vf_row(struct cli *cli, const struct vf_row *row)
{
	if (!cli->json) {
		printf("  %5u  %-13s %04x:%04x   %-12s ", row->index,
		       row->address, row->vendor_id, row->device_id,
		       row->driver[0] ? row->driver : "-");
		if (row->iommu_group >= 0)
			printf("%d\n", row->iommu_group);
		else
			printf("-\n");
		return;
	}
	json_begin_object(&cli->out);
	json_kv_uint(&cli->out, "index", row->index);
	json_kv_string(&cli->out, "address", row->address);
	json_kv_uint(&cli->out, "vendor_id", row->vendor_id);
	json_kv_uint(&cli->out, "device_id", row->device_id);
	print_driver_json(&cli->out, row->driver);
	json_key(&cli->out, "iommu_group");
	if (row->iommu_group >= 0)
		json_uint(&cli->out, (uint64_t)row->iommu_group);
	else
		json_null(&cli->out);
	json_end_object(&cli->out);
}

static void print_vf_bars_json(struct json *j, const struct sriovvirt_sriov_info *info)
{
	unsigned int i;

	json_key(j, "vf_bars");
	json_begin_array(j);
	for (i = 0; i < SRIOVVIRT_NUM_BARS; i++) {
		const struct sriovvirt_vf_bar *bar = &info->vf_bars[i];

		if (bar->type == SRIOVVIRT_BAR_UNUSED)
			continue;
		json_begin_object(j);
		json_kv_uint(j, "index", i);
		json_kv_string(j, "type", cli_bar_type_name(bar->type));
		json_kv_bool(j, "prefetchable", bar->prefetchable);
		json_kv_uint(j, "base", bar->base);
		json_kv_uint(j, "size", bar->size);
		json_end_object(j);
	}
	json_end_array(j);
}

static void print_sriov_json(struct json *j, const struct sriovvirt_sriov_info *info)
{
	json_key(j, "sriov");
	json_begin_object(j);
	json_kv_uint(j, "cap_offset", info->cap_offset);
	json_kv_uint(j, "cap_version", info->cap_version);
	json_kv_uint(j, "capabilities", info->capabilities);
	json_kv_uint(j, "control", info->control);
	json_kv_uint(j, "status", info->status);
	json_kv_uint(j, "total_vfs", info->total_vfs);
	json_kv_uint(j, "driver_total_vfs", info->driver_total_vfs);
	json_kv_uint(j, "initial_vfs", info->initial_vfs);
	json_kv_uint(j, "num_vfs", info->num_vfs);
	json_kv_uint(j, "vf_offset", info->vf_offset);
	json_kv_uint(j, "vf_stride", info->vf_stride);
	json_kv_uint(j, "vf_device_id", info->vf_device_id);
	json_kv_uint(j, "function_dependency_link", info->function_dependency_link);
	json_kv_uint(j, "supported_page_sizes", info->supported_page_sizes);
	json_kv_uint(j, "system_page_size", info->system_page_size);
	json_kv_uint(j, "vf_migration_state", info->vf_migration_state);
	json_kv_uint(j, "captured_bus_numbers", info->captured_bus_numbers);
	print_vf_bars_json(j, info);
	json_end_object(j);
}

static const char *flag(uint32_t reg, uint32_t bit)
{
	return reg & bit ? "+" : "-";
}

static void print_size(uint64_t size)
{
	static const char units[] = "KMGTPE";
	int u = -1;

	while (size >= 1024 && !(size % 1024) && u < 5) {
		size /= 1024;
		u++;
	}
	if (u < 0)
		printf("%llu bytes", (unsigned long long)size);
	else
		printf("%llu %ciB", (unsigned long long)size, units[u]);
}

static void print_sriov_text(const struct sriovvirt_sriov_info *info)
{
	unsigned int i;

	printf("  SR-IOV capability      at 0x%x, version %u\n", info->cap_offset,
	       info->cap_version);
	printf("  Control                VF Enable%s VF MSE%s ARI Hierarchy%s "
	       "VF Migration%s\n", flag(info->control, PCI_SRIOV_CTRL_VFE),
	       flag(info->control, PCI_SRIOV_CTRL_MSE),
	       flag(info->control, PCI_SRIOV_CTRL_ARI),
	       flag(info->control, PCI_SRIOV_CTRL_VFM));
	printf("  VFs                    %u enabled, %u total (driver limit %u), "
	       "%u initial\n", info->num_vfs, info->total_vfs,
	       info->driver_total_vfs, info->initial_vfs);
	printf("  VF offset / stride     %u / %u\n", info->vf_offset,
	       info->vf_stride);
	printf("  VF device ID           %04x\n", info->vf_device_id);
	printf("  Function dependency    %02x\n", info->function_dependency_link);
	printf("  Page sizes             supported %08x, system %08x\n",
	       info->supported_page_sizes, info->system_page_size);
	for (i = 0; i < SRIOVVIRT_NUM_BARS; i++) {
		const struct sriovvirt_vf_bar *bar = &info->vf_bars[i];

		if (bar->type == SRIOVVIRT_BAR_UNUSED)
			continue;
		printf("  VF BAR %u               %s%s at 0x%llx, ", i,
		       cli_bar_type_name(bar->type),
		       bar->prefetchable ? " prefetchable" : "",
		       (unsigned long long)bar->base);
		print_size(bar->size);
		printf(" per VF\n");
	}
}

static void print_pf_header(struct cli *cli, const struct pf_summary *s)
{
	char name[256];

	if (cli->json) {
		json_kv_string(&cli->out, "address", s->address);
		json_kv_uint(&cli->out, "vendor_id", s->vendor_id);
		json_kv_uint(&cli->out, "device_id", s->device_id);
		print_driver_json(&cli->out, s->driver);
		return;
	}
	if (sriovvirt_ctx_lookup_name(cli->ctx, s->vendor_id, s->device_id, name,
				      sizeof(name)) < 0)
		name[0] = '\0';
	printf("%s  %s [%04x:%04x]\n", s->address, name, s->vendor_id,
	       s->device_id);
	printf("  Driver                 %s\n", s->driver[0] ? s->driver : "(none)");
}

static int print_vfs(struct cli *cli, struct sriovvirt_pf *pf, uint16_t num_vfs)
{
	struct vf_row row;
	uint16_t vf;
	int r = 0;

	if (cli->json) {
		json_key(&cli->out, "vfs");
		json_begin_array(&cli->out);
	} else if (num_vfs) {
		printf("  VFs:\n  %5s  %-13s %-11s %-12s %s\n", "INDEX",
		       "ADDRESS", "VENDOR:DEV", "DRIVER", "IOMMU GROUP");
	} else {
		printf("  No VFs enabled.\n");
	}
	for (vf = 0; vf < num_vfs && r == 0; vf++) {
		r = read_vf_row(pf, vf, &row);
		if (r == 0)
			print_vf_row(cli, &row);
	}
	if (cli->json)
		json_end_array(&cli->out);
	return r;
}

static int show_pf(struct cli *cli, struct sriovvirt_pf *pf)
{
	struct sriovvirt_sriov_info info = { .size = sizeof(info) };
	struct pf_summary s;
	int r;

	r = summarize(cli, pf, &s);
	if (r == 0)
		r = sriovvirt_pf_get_sriov_info(pf, &info);
	if (r < 0)
		return cli_fail(cli, r, "%s", sriovvirt_pf_get_name(pf));
	if (cli->json)
		json_begin_object(&cli->out);
	print_pf_header(cli, &s);
	if (cli->json)
		print_sriov_json(&cli->out, &info);
	else
		print_sriov_text(&info);
	r = print_vfs(cli, pf, s.num_vfs);
	if (cli->json) {
		json_end_object(&cli->out);
		json_finish(&cli->out);
	}
	return r < 0 ? cli_fail(cli, r, "%s: reading VFs",
				sriovvirt_pf_get_name(pf)) : EXIT_OK;
}

static int run_show(struct cli *cli, int argc, char **argv)
{
	struct sriovvirt_pf *pf;
	int r;

	r = cli_simple_args(cli, &list_commands[1], argc, argv, 1, 1);
	if (r >= 0)
		return r;
	r = cli_open_pf(cli, argv[optind], &pf);
	if (r != EXIT_OK)
		return r;
	r = show_pf(cli, pf);
	sriovvirt_pf_unref(pf);
	return r;
}

const struct command list_commands[] = {
	{
		.name = "list",
		.args = "",
		.summary = "list SR-IOV capable physical functions",
		.help = "Lists every PCI function that has an SR-IOV capability, with its\n"
			"IDs, driver, and enabled/total VFs.\n",
		.run = run_list,
	},
	{
		.name = "show",
		.args = "PF",
		.summary = "show a PF's SR-IOV capability and its VFs",
		.help = "Decodes the PF's SR-IOV extended capability (needs root to read\n"
			"config space past 64 bytes) and lists the enabled VFs with their\n"
			"addresses, IDs, drivers and IOMMU groups. VF IDs are the ones the\n"
			"kernel reports; a VF's own config space reads ffff there.\n",
		.run = run_show,
	},
	{ 0 },
};
