// SPDX-License-Identifier: GPL-2.0-or-later
/* sriovctl list and show: what SR-IOV devices there are and what they hold. */

#include <errno.h>
#include <linux/pci_regs.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* What list prints about one PF, and show about the PF itself. */
struct pf_summary {
	char address[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	uint16_t vendor_id, device_id, total_vfs, num_vfs;
	char driver[SRIOVVIRT_DRIVER_NAME_MAX];	/* "" when unbound */
};

/* The pci.ids name, for people; JSON gives the IDs. */
static const char *device_name(struct cli *cli, const struct pf_summary *s,
			       char *buf, size_t size)
{
	if (sriovvirt_ctx_lookup_name(cli->ctx, s->vendor_id, s->device_id, buf,
				      size) < 0)
		buf[0] = '\0';
	return buf;
}

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

static void json_driver(struct json *j, const char *driver)
{
	json_key(j, "driver");
	json_string(j, driver[0] ? driver : NULL);
}

/* ------------------------------------------------------------------------ */
/* list                                                                     */
/* ------------------------------------------------------------------------ */

struct pf_list {
	const char *sysfs_root;
	struct pf_summary *pfs;
	size_t count;
};

static void list_text(struct cli *cli, const void *data)
{
	const struct pf_list *l = data;
	char name[256];
	size_t i;

	if (!l->count) {
		printf("No SR-IOV physical functions in %s/bus/pci/devices.\n",
		       l->sysfs_root);
		return;
	}
	printf("%-13s %-11s %-12s %5s %5s  %s\n", "PF", "VENDOR:DEV", "DRIVER",
	       "VFS", "TOTAL", "NAME");
	for (i = 0; i < l->count; i++) {
		const struct pf_summary *s = &l->pfs[i];

		printf("%-13s %04x:%04x   %-12s %5u %5u  %s\n", s->address,
		       s->vendor_id, s->device_id,
		       s->driver[0] ? s->driver : "-", s->num_vfs,
		       s->total_vfs, device_name(cli, s, name, sizeof(name)));
	}
}

static void list_json(struct json *j, const void *data)
{
	const struct pf_list *l = data;
	size_t i;

	json_begin_array(j);
	for (i = 0; i < l->count; i++) {
		const struct pf_summary *s = &l->pfs[i];

		json_begin_object(j);
		json_kv_string(j, "address", s->address);
		json_kv_uint(j, "vendor_id", s->vendor_id);
		json_kv_uint(j, "device_id", s->device_id);
		json_driver(j, s->driver);
		json_kv_uint(j, "total_vfs", s->total_vfs);
		json_kv_uint(j, "num_vfs", s->num_vfs);
		json_end_object(j);
	}
	json_end_array(j);
}

static const struct cli_output list_output = { list_text, list_json };

/* 1 if @addr was summarized, 0 if it vanished meanwhile. */
static int summarize_addr(struct cli *cli, const struct sriovvirt_pci_addr *addr,
			  struct pf_summary *s)
{
	struct sriovvirt_pf *pf;
	int r;

	r = sriovvirt_pf_open_addr(cli->ctx, addr, &pf);
	if (r == 0) {
		r = summarize(cli, pf, s);
		sriovvirt_pf_unref(pf);
	}
	if (r == -ENODEV)
		return 0;	/* removed while listing */
	return r < 0 ? r : 1;
}

static int run_list(struct cli *cli, const struct command *cmd,
		    const struct cli_args *args)
{
	struct pf_list l = { sriovvirt_ctx_get_sysfs_root(cli->ctx), NULL, 0 };
	struct sriovvirt_pci_addr *addrs;
	size_t n, i;
	int r;

	(void)cmd, (void)args;
	r = sriovvirt_list_pfs(cli->ctx, &addrs, &n);
	if (r < 0)
		return cli_fail(cli, r, "listing PCI devices");
	l.pfs = calloc(n ? n : 1, sizeof(*l.pfs));
	if (!l.pfs)
		r = -ENOMEM;
	for (i = 0; i < n && r >= 0; i++) {
		r = summarize_addr(cli, &addrs[i], &l.pfs[l.count]);
		if (r > 0)
			l.count++;
	}
	free(addrs);
	r = r < 0 ? cli_fail(cli, r, "listing PCI devices") :
		    cli_print(cli, &list_output, &l);
	free(l.pfs);
	return r;
}

/* ------------------------------------------------------------------------ */
/* show                                                                     */
/* ------------------------------------------------------------------------ */

struct pf_detail {
	struct pf_summary pf;
	struct sriovvirt_sriov_info info;
	struct sriovvirt_vf_info *vfs;
	uint16_t nr_vfs;
	char netdev[64];	/* the PF's network interface, "" if none */
	int autoprobe;		/* sriov_drivers_autoprobe; -1 unknown */
	/* With a netdev: each VF's NIC settings (valid 0 if unreadable). */
	struct sriovvirt_vf_net *nets;
};

static void json_vf(struct json *j, const struct sriovvirt_vf_info *vf,
		    const struct sriovvirt_vf_net *net)
{
	char address[SRIOVVIRT_PCI_ADDR_BUFSIZE];

	sriovvirt_pci_addr_format(&vf->addr, address, sizeof(address));
	json_begin_object(j);
	json_kv_uint(j, "index", vf->index);
	json_kv_string(j, "address", address);
	json_kv_uint(j, "vendor_id", vf->vendor_id);
	json_kv_uint(j, "device_id", vf->device_id);
	json_driver(j, vf->driver);
	json_key(j, "iommu_group");
	if (vf->iommu_group >= 0)
		json_uint(j, (uint64_t)vf->iommu_group);
	else
		json_null(j);
	if (net)
		cli_json_vf_net(j, net);
	json_end_object(j);
}

static void json_vf_bars(struct json *j, const struct sriovvirt_sriov_info *info)
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

static void json_sriov(struct json *j, const struct sriovvirt_sriov_info *info)
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
	json_vf_bars(j, info);
	json_end_object(j);
}

static void show_json(struct json *j, const void *data)
{
	const struct pf_detail *d = data;
	uint16_t i;

	json_begin_object(j);
	json_kv_string(j, "address", d->pf.address);
	json_kv_uint(j, "vendor_id", d->pf.vendor_id);
	json_kv_uint(j, "device_id", d->pf.device_id);
	json_driver(j, d->pf.driver);
	json_kv_string(j, "netdev", d->netdev[0] ? d->netdev : NULL);
	json_key(j, "autoprobe");
	if (d->autoprobe < 0)
		json_null(j);
	else
		json_bool(j, d->autoprobe);
	json_sriov(j, &d->info);
	json_key(j, "vfs");
	json_begin_array(j);
	for (i = 0; i < d->nr_vfs; i++)
		json_vf(j, &d->vfs[i], d->nets ? &d->nets[i] : NULL);
	json_end_array(j);
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

static void text_sriov(const struct sriovvirt_sriov_info *info)
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

static void text_vf(const struct sriovvirt_vf_info *vf)
{
	char address[SRIOVVIRT_PCI_ADDR_BUFSIZE];

	sriovvirt_pci_addr_format(&vf->addr, address, sizeof(address));
	printf("  %5u  %-13s %04x:%04x   %-12s ", vf->index, address,
	       vf->vendor_id, vf->device_id, vf->driver[0] ? vf->driver : "-");
	if (vf->iommu_group >= 0)
		printf("%d\n", vf->iommu_group);
	else
		printf("-\n");
}

static void show_text(struct cli *cli, const void *data)
{
	const struct pf_detail *d = data;
	char name[256];
	uint16_t i;

	printf("%s  %s [%04x:%04x]\n", d->pf.address,
	       device_name(cli, &d->pf, name, sizeof(name)), d->pf.vendor_id,
	       d->pf.device_id);
	printf("  Driver                 %s\n",
	       d->pf.driver[0] ? d->pf.driver : "(none)");
	printf("  Netdev                 %s\n",
	       d->netdev[0] ? d->netdev : "(none)");
	printf("  Autoprobe              %s\n", d->autoprobe < 0 ? "-" :
	       d->autoprobe ? "on" : "off");
	text_sriov(&d->info);
	if (!d->nr_vfs) {
		printf("  No VFs enabled.\n");
		return;
	}
	printf("  VFs:\n  %5s  %-13s %-11s %-12s %s\n", "INDEX", "ADDRESS",
	       "VENDOR:DEV", "DRIVER", "IOMMU GROUP");
	for (i = 0; i < d->nr_vfs; i++)
		text_vf(&d->vfs[i]);
	if (!d->nets)
		return;
	printf("  VF network settings (%s):\n", d->netdev);
	cli_text_vf_net_header();
	for (i = 0; i < d->nr_vfs; i++)
		cli_text_vf_net_row(d->vfs[i].index, &d->nets[i]);
}

static const struct cli_output show_output = { show_text, show_json };

static int read_vfs(struct sriovvirt_pf *pf, struct pf_detail *d)
{
	uint16_t i;
	int r;

	d->vfs = calloc(d->pf.num_vfs ? d->pf.num_vfs : 1, sizeof(*d->vfs));
	if (!d->vfs)
		return -ENOMEM;
	for (i = 0; i < d->pf.num_vfs; i++) {
		d->vfs[i].size = sizeof(d->vfs[i]);
		r = sriovvirt_vf_get_info(pf, i, &d->vfs[i]);
		if (r < 0)
			return r;
		d->nr_vfs++;
	}
	return 0;
}

/*
 * The PF's network interface and, with one, its VFs' NIC settings. Both are
 * optional facts: what cannot be read is shown as unknown (null, "-") with
 * one warning, and show goes on.
 */
static int read_nets(struct cli *cli, struct sriovvirt_pf *pf,
		     struct pf_detail *d)
{
	const char *name = sriovvirt_pf_get_name(pf);
	char first[512] = "";
	unsigned int failed = 0;
	uint16_t i;
	int r;

	r = sriovvirt_pf_get_netdev(pf, d->netdev, sizeof(d->netdev));
	if (r < 0) {
		d->netdev[0] = '\0';
		cli->nr_errors = 0;
		if (r != -ENODATA)
			cli_warn(cli, "%s: its network interface is unknown: %s",
				 name, strerror(-r));
		return 0;
	}
	d->nets = calloc(d->nr_vfs ? d->nr_vfs : 1, sizeof(*d->nets));
	if (!d->nets)
		return -ENOMEM;
	for (i = 0; i < d->nr_vfs; i++) {
		d->nets[i].size = sizeof(d->nets[i]);
		r = sriovvirt_vf_get_net(pf, d->vfs[i].index, &d->nets[i]);
		if (r == 0)
			continue;
		memset(&d->nets[i], 0, sizeof(d->nets[i]));
		if (!failed++)
			snprintf(first, sizeof(first), "%s", cli->nr_errors ?
				 cli->errors[0] : strerror(-r));
		cli->nr_errors = 0;
	}
	if (failed)
		cli_warn(cli, "%s: the network settings of %u of %u VFs are "
			 "unknown: %s", name, failed, d->nr_vfs, first);
	return 0;
}

/* Kernels before 4.12 have no sriov_drivers_autoprobe: then unknown. */
static void read_autoprobe(struct sriovvirt_pf *pf, struct pf_detail *d)
{
	bool on;

	d->autoprobe = sriovvirt_pf_get_autoprobe(pf, &on) < 0 ? -1 : on;
}

/* Everything is read before anything is printed: no half documents. */
static int show_pf(struct cli *cli, struct sriovvirt_pf *pf)
{
	struct pf_detail d = { .info = { .size = sizeof(d.info) } };
	int r;

	r = summarize(cli, pf, &d.pf);
	if (r == 0)
		r = sriovvirt_pf_get_sriov_info(pf, &d.info);
	if (r < 0)
		return cli_fail(cli, r, "%s", sriovvirt_pf_get_name(pf));
	r = read_vfs(pf, &d);
	if (r == 0)
		r = read_nets(cli, pf, &d);
	if (r == 0)
		read_autoprobe(pf, &d);
	r = r < 0 ? cli_fail(cli, r, "%s: reading VFs",
			     sriovvirt_pf_get_name(pf)) :
		    cli_print(cli, &show_output, &d);
	free(d.nets);
	free(d.vfs);
	return r;
}

static int run_show(struct cli *cli, const struct command *cmd,
		    const struct cli_args *args)
{
	struct sriovvirt_pf *pf;
	int r;

	(void)cmd;
	r = cli_open_pf(cli, args->operands[0], &pf);
	if (r != EXIT_OK)
		return r;
	r = show_pf(cli, pf);
	sriovvirt_pf_unref(pf);
	return r;
}

const struct command list_commands[] = {
	{
		.name = "list",
		.operands = "",
		.summary = "list SR-IOV capable physical functions",
		.help = "Lists every PCI function that has an SR-IOV capability, with its\n"
			"IDs, driver, and enabled/total VFs.\n",
		.run = run_list,
	},
	{
		.name = "show",
		.operands = "PF",
		.min_operands = 1,
		.max_operands = 1,
		.summary = "show a PF's SR-IOV capability and its VFs",
		.help = "Decodes the PF's SR-IOV extended capability (needs root to read\n"
			"config space past 64 bytes) and lists the enabled VFs with their\n"
			"addresses, IDs, drivers and IOMMU groups. VF IDs are the ones the\n"
			"kernel reports; a VF's own config space reads ffff there. A PF with a\n"
			"network interface also gets its VFs' NIC settings (see vf-set), \"-\"\n"
			"where its driver does not report them.\n",
		.run = run_show,
	},
	{ 0 },
};
