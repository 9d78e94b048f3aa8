// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sriovctl vfio, mitigations, mmio-read, mmio-write and watch-mitigations:
 * a VF as a VMM holding it through VFIO sees it.
 */

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

/* VFIO's fixed region and interrupt indexes (linux/vfio.h, vfio-pci). */
static const char *const region_names[] = {
	"bar0", "bar1", "bar2", "bar3", "bar4", "bar5", "rom", "config", "vga",
};

static const char *const irq_names[] = {
	"intx", "msi", "msix", "err", "req",
};

#define MAX_REGIONS 16
#define MAX_IRQS 8

struct vfio_view {
	struct sriovvirt_pci_addr addr;
	struct sriovvirt_vfio_info info;
	struct sriovvirt_vfio_region regions[MAX_REGIONS];
	struct sriovvirt_vfio_irq irqs[MAX_IRQS];
	uint32_t nr_regions, nr_irqs;
};

static void region_name(const struct sriovvirt_vfio_region *r, char *buf,
			size_t size)
{
	if (r->index < sizeof(region_names) / sizeof(region_names[0]))
		snprintf(buf, size, "%s", region_names[r->index]);
	else
		snprintf(buf, size, "region%u", r->index);
}

static void irq_name(const struct sriovvirt_vfio_irq *q, char *buf, size_t size)
{
	if (q->index < sizeof(irq_names) / sizeof(irq_names[0]))
		snprintf(buf, size, "%s", irq_names[q->index]);
	else
		snprintf(buf, size, "irq%u", q->index);
}

static void access_text(uint32_t flags, char out[4])
{
	out[0] = flags & SRIOVVIRT_VFIO_REGION_READ ? 'r' : '-';
	out[1] = flags & SRIOVVIRT_VFIO_REGION_WRITE ? 'w' : '-';
	out[2] = flags & SRIOVVIRT_VFIO_REGION_MMAP ? 'm' : '-';
	out[3] = '\0';
}

static void vfio_text(struct cli *cli, const void *data)
{
	const struct vfio_view *v = data;
	char address[SRIOVVIRT_PCI_ADDR_BUFSIZE], name[24], access[4];
	uint32_t i, a;

	(void)cli;
	sriovvirt_pci_addr_format(&v->addr, address, sizeof(address));
	printf("%s: IOMMU group %u, %u regions, %u interrupt indexes, %s\n",
	       address, v->info.iommu_group, v->info.num_regions,
	       v->info.num_irqs, v->info.flags & SRIOVVIRT_VFIO_RESET ?
	       "can reset" : "no reset");
	for (i = 0; i < v->nr_regions; i++) {
		const struct sriovvirt_vfio_region *r = &v->regions[i];

		if (!r->region_size)
			continue;
		region_name(r, name, sizeof(name));
		access_text(r->flags, access);
		printf("  %-7s %s offset 0x%llx size 0x%llx%s", name, access,
		       (unsigned long long)r->offset,
		       (unsigned long long)r->region_size,
		       r->flags & SRIOVVIRT_VFIO_REGION_MSIX_MAPPABLE ?
		       ", MSI-X table mappable" : "");
		if (r->flags & SRIOVVIRT_VFIO_REGION_SPARSE) {
			printf(", mmap only");
			for (a = 0; a < r->nr_areas; a++)
				printf(" [0x%llx+0x%llx]",
				       (unsigned long long)r->areas[a].offset,
				       (unsigned long long)r->areas[a].size);
		}
		putchar('\n');
	}
	for (i = 0; i < v->nr_irqs; i++) {
		if (!v->irqs[i].count)
			continue;
		irq_name(&v->irqs[i], name, sizeof(name));
		printf("  %-7s %u interrupt%s\n", name, v->irqs[i].count,
		       v->irqs[i].count == 1 ? "" : "s");
	}
}

static void region_json(struct json *j, const struct sriovvirt_vfio_region *r)
{
	char name[24];
	uint32_t a;

	region_name(r, name, sizeof(name));
	json_begin_object(j);
	json_kv_uint(j, "index", r->index);
	json_kv_string(j, "name", name);
	json_kv_uint(j, "offset", r->offset);
	json_kv_uint(j, "size", r->region_size);
	json_kv_bool(j, "read", r->flags & SRIOVVIRT_VFIO_REGION_READ);
	json_kv_bool(j, "write", r->flags & SRIOVVIRT_VFIO_REGION_WRITE);
	json_kv_bool(j, "mmap", r->flags & SRIOVVIRT_VFIO_REGION_MMAP);
	json_key(j, "sparse_mmap");
	if (r->flags & SRIOVVIRT_VFIO_REGION_SPARSE) {
		json_begin_array(j);
		for (a = 0; a < r->nr_areas; a++) {
			json_begin_object(j);
			json_kv_uint(j, "offset", r->areas[a].offset);
			json_kv_uint(j, "size", r->areas[a].size);
			json_end_object(j);
		}
		json_end_array(j);
	} else {
		json_null(j);
	}
	json_kv_bool(j, "msix_mappable",
		     r->flags & SRIOVVIRT_VFIO_REGION_MSIX_MAPPABLE);
	json_end_object(j);
}

static void vfio_json(struct json *j, const void *data)
{
	const struct vfio_view *v = data;
	char address[SRIOVVIRT_PCI_ADDR_BUFSIZE], name[24];
	uint32_t i;

	sriovvirt_pci_addr_format(&v->addr, address, sizeof(address));
	json_begin_object(j);
	json_kv_string(j, "address", address);
	json_kv_uint(j, "iommu_group", v->info.iommu_group);
	json_key(j, "regions");
	json_begin_array(j);
	for (i = 0; i < v->nr_regions; i++)
		region_json(j, &v->regions[i]);
	json_end_array(j);
	json_key(j, "irqs");
	json_begin_array(j);
	for (i = 0; i < v->nr_irqs; i++) {
		irq_name(&v->irqs[i], name, sizeof(name));
		json_begin_object(j);
		json_kv_uint(j, "index", v->irqs[i].index);
		json_kv_string(j, "name", name);
		json_kv_uint(j, "count", v->irqs[i].count);
		json_end_object(j);
	}
	json_end_array(j);
	json_kv_bool(j, "reset_supported", v->info.flags & SRIOVVIRT_VFIO_RESET);
	json_end_object(j);
}

static const struct cli_output vfio_output = { vfio_text, vfio_json };

static int describe(struct sriovvirt_pf *pf, uint16_t vf, struct vfio_view *v)
{
	uint32_t i;
	int r;

	v->info.size = sizeof(v->info);
	r = sriovvirt_vf_vfio_get_info(pf, vf, &v->info);
	v->nr_regions = v->info.num_regions < MAX_REGIONS ?
			v->info.num_regions : MAX_REGIONS;
	v->nr_irqs = v->info.num_irqs < MAX_IRQS ? v->info.num_irqs : MAX_IRQS;
	for (i = 0; r == 0 && i < v->nr_regions; i++) {
		v->regions[i].size = sizeof(v->regions[i]);
		r = sriovvirt_vf_vfio_get_region(pf, vf, i, &v->regions[i]);
	}
	for (i = 0; r == 0 && i < v->nr_irqs; i++) {
		v->irqs[i].size = sizeof(v->irqs[i]);
		r = sriovvirt_vf_vfio_get_irq(pf, vf, i, &v->irqs[i]);
	}
	return r;
}

static int run_vfio(struct cli *cli, const struct command *cmd,
		    const struct cli_args *args)
{
	struct sriovvirt_pf *pf;
	struct vfio_view *v;
	uint16_t vf;
	int r;

	v = calloc(1, sizeof(*v));
	if (!v)
		return cli_fail(cli, -ENOMEM, "vfio");
	r = cli_open_vf_vfio(cli, cmd, args, &pf, &vf, &v->addr);
	if (r == EXIT_OK) {
		r = describe(pf, vf, v);
		r = r < 0 ? cli_fail(cli, r, "%s: VF %u: reading its VFIO device",
				     sriovvirt_pf_get_name(pf), vf) :
			    cli_print(cli, &vfio_output, v);
		sriovvirt_pf_unref(pf);
	}
	free(v);
	return r;
}

/* ------------------------------------------------------------------------ */
/* mitigations                                                              */
/* ------------------------------------------------------------------------ */

struct mitigations {
	struct sriovvirt_pci_addr addr;
	bool vfio;
	struct sriovvirt_mitigated_range *ranges;
	size_t count;
};

static void mitigations_text(struct cli *cli, const void *data)
{
	const struct mitigations *m = data;
	char address[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	size_t i;

	(void)cli;
	sriovvirt_pci_addr_format(&m->addr, address, sizeof(address));
	printf("%s: %zu mitigated range%s (4 KiB pages from the BAR's start)%s\n",
	       address, m->count, m->count == 1 ? "" : "s",
	       m->vfio ? ", VFIO's view" : "");
	for (i = 0; i < m->count; i++) {
		const struct sriovvirt_mitigated_range *r = &m->ranges[i];

		printf("  BAR %u pages 0x%llx..0x%llx (%u) trap%s%s\n", r->bar,
		       (unsigned long long)r->base_page,
		       (unsigned long long)(r->base_page + r->page_count - 1),
		       r->page_count,
		       r->flags & SRIOVVIRT_INTERCEPT_READS ? " reads" : "",
		       r->flags & SRIOVVIRT_INTERCEPT_WRITES ? " writes" : "");
	}
}

static void mitigations_json(struct json *j, const void *data)
{
	const struct mitigations *m = data;
	char address[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	size_t i;

	sriovvirt_pci_addr_format(&m->addr, address, sizeof(address));
	json_begin_object(j);
	json_kv_string(j, "address", address);
	json_kv_bool(j, "vfio", m->vfio);
	json_key(j, "ranges");
	json_begin_array(j);
	for (i = 0; i < m->count; i++) {
		const struct sriovvirt_mitigated_range *r = &m->ranges[i];

		json_begin_object(j);
		json_kv_uint(j, "bar", r->bar);
		json_kv_uint(j, "base_page", r->base_page);
		json_kv_uint(j, "page_count", r->page_count);
		json_kv_bool(j, "intercept_reads",
			     r->flags & SRIOVVIRT_INTERCEPT_READS);
		json_kv_bool(j, "intercept_writes",
			     r->flags & SRIOVVIRT_INTERCEPT_WRITES);
		json_end_object(j);
	}
	json_end_array(j);
	json_end_object(j);
}

static const struct cli_output mitigations_output = { mitigations_text,
						      mitigations_json };

/* The count first, then the ranges: the two Windows queries. */
static int query_ranges(struct sriovvirt_pf *pf, uint16_t vf,
			struct mitigations *m)
{
	size_t count;
	int r;

	r = sriovvirt_vf_get_mitigated_ranges(pf, vf, NULL, 0, &count);
	if (r < 0 || count == 0)
		return r;
	m->ranges = calloc(count, sizeof(*m->ranges));
	if (!m->ranges)
		return -ENOMEM;
	return sriovvirt_vf_get_mitigated_ranges(pf, vf, m->ranges, count,
						 &m->count);
}

static int run_mitigations(struct cli *cli, const struct command *cmd,
			   const struct cli_args *args)
{
	struct mitigations m = { .vfio = cli_wants_vfio(cmd, args) };
	struct sriovvirt_pf *pf;
	uint16_t vf;
	int r;

	r = cli_open_vf_vfio(cli, cmd, args, &pf, &vf, &m.addr);
	if (r != EXIT_OK)
		return r;
	r = query_ranges(pf, vf, &m);
	r = r < 0 ? cli_fail(cli, r, "%s: VF %u: mitigated ranges",
			     sriovvirt_pf_get_name(pf), vf) :
		    cli_print(cli, &mitigations_output, &m);
	free(m.ranges);
	sriovvirt_pf_unref(pf);
	return r;
}

/* ------------------------------------------------------------------------ */
/* mmio-read, mmio-write                                                    */
/* ------------------------------------------------------------------------ */

struct mmio_access {
	unsigned int bar;
	uint64_t offset;
	unsigned int width;
	uint64_t value;
	bool write;
};

static void mmio_text(struct cli *cli, const void *data)
{
	const struct mmio_access *a = data;

	(void)cli;
	if (a->write)
		printf("wrote 0x%0*llx to BAR %u offset 0x%llx\n",
		       (int)a->width * 2, (unsigned long long)a->value, a->bar,
		       (unsigned long long)a->offset);
	else
		printf("0x%0*llx\n", (int)a->width * 2,
		       (unsigned long long)a->value);
}

static void mmio_json(struct json *j, const void *data)
{
	const struct mmio_access *a = data;

	json_begin_object(j);
	json_kv_uint(j, "bar", a->bar);
	json_kv_uint(j, "offset", a->offset);
	json_kv_uint(j, "width", a->width);
	json_kv_uint(j, "value", a->value);
	json_end_object(j);
}

static const struct cli_output mmio_output = { mmio_text, mmio_json };

static int parse_access(struct cli *cli, const struct command *cmd,
			const struct cli_args *args, struct mmio_access *a)
{
	const char *width = cli_opt(cmd, args, "width");
	uint64_t bar, max;
	int r;

	a->width = 4;
	if (width && strcmp(width, "1") && strcmp(width, "2") &&
	    strcmp(width, "4") && strcmp(width, "8"))
		return cli_usage_error(cli, "--width must be 1, 2, 4 or 8, not "
				       "'%s'", width);
	if (width)
		a->width = (unsigned int)(width[0] - '0');
	r = cli_arg_number(cli, "BAR", args->operands[2],
			   SRIOVVIRT_NUM_BARS - 1, &bar);
	if (r == EXIT_OK)
		r = cli_arg_number(cli, "offset", args->operands[3], UINT64_MAX,
				   &a->offset);
	if (r != EXIT_OK)
		return r;
	a->bar = (unsigned int)bar;
	if (a->offset % a->width)
		return cli_usage_error(cli, "offset 0x%llx is not a multiple of "
				       "the width (%u)",
				       (unsigned long long)a->offset, a->width);
	max = a->width == 8 ? UINT64_MAX : (1ull << (8 * a->width)) - 1;
	if (a->write)
		r = cli_arg_number(cli, "value", args->operands[4], max,
				   &a->value);
	return r;
}

static int run_mmio(struct cli *cli, const struct command *cmd,
		    const struct cli_args *args, bool write)
{
	struct mmio_access a = { .write = write };
	struct sriovvirt_pci_addr addr;
	struct sriovvirt_pf *pf;
	uint16_t vf;
	int r;

	r = parse_access(cli, cmd, args, &a);
	if (r == EXIT_OK)
		r = cli_open_vf_vfio(cli, cmd, args, &pf, &vf, &addr);
	if (r != EXIT_OK)
		return r;
	r = write ? sriovvirt_vf_mmio_write(pf, vf, a.bar, a.offset, a.width,
					    a.value) :
		    sriovvirt_vf_mmio_read(pf, vf, a.bar, a.offset, a.width,
					   &a.value);
	r = r < 0 ? cli_fail(cli, r, "%s: VF %u: BAR %u: %s",
			     sriovvirt_pf_get_name(pf), vf, a.bar,
			     write ? "write" : "read") :
		    cli_print(cli, &mmio_output, &a);
	sriovvirt_pf_unref(pf);
	return r;
}

static int run_mmio_read(struct cli *cli, const struct command *cmd,
			 const struct cli_args *args)
{
	return run_mmio(cli, cmd, args, false);
}

static int run_mmio_write(struct cli *cli, const struct command *cmd,
			  const struct cli_args *args)
{
	return run_mmio(cli, cmd, args, true);
}

/* ------------------------------------------------------------------------ */
/* watch-mitigations                                                        */
/* ------------------------------------------------------------------------ */

#define MAX_UPDATES 4096

struct updates {
	const struct sriovvirt_pci_addr *pf;
	uint16_t vfs[MAX_UPDATES];
	unsigned int count;
};

static void updates_text(struct cli *cli, const void *data)
{
	const struct updates *u = data;
	unsigned int i;

	(void)cli;
	for (i = 0; i < u->count; i++)
		printf("VF %u\n", u->vfs[i]);
}

static void updates_json(struct json *j, const void *data)
{
	const struct updates *u = data;
	unsigned int i;

	json_begin_array(j);
	for (i = 0; i < u->count; i++) {
		json_begin_object(j);
		json_kv_uint(j, "index", u->vfs[i]);
		json_end_object(j);
	}
	json_end_array(j);
}

static const struct cli_output updates_output = { updates_text, updates_json };

/*
 * Collects updates until @want arrived or @timeout_ms passed (-1: no
 * limit). The descriptor also wakes on other devices' uevents.
 */
static int collect_updates(struct sriovvirt_pf *pf, int fd, unsigned int want,
			   int timeout_ms, struct updates *u)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int64_t deadline = timeout_ms < 0 ? -1 : cli_now_ms() + timeout_ms;
	uint16_t vf;
	int r;

	while (u->count < want) {
		r = poll(&p, 1, cli_left_ms(deadline));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -ETIMEDOUT;
		while (u->count < want &&
		       (r = sriovvirt_pf_next_mitigation_update(pf, &vf)) == 0)
			u->vfs[u->count++] = vf;
		if (r < 0 && r != -EAGAIN)
			return r;
	}
	return 0;
}

static int run_watch(struct cli *cli, const struct command *cmd,
		     const struct cli_args *args)
{
	const char *count_opt = cli_opt(cmd, args, "count");
	const char *timeout_opt = cli_opt(cmd, args, "timeout");
	uint64_t count = 1, timeout = 0;
	struct sriovvirt_pf *pf;
	struct updates *u;
	int fd, r = EXIT_OK;

	if (count_opt)
		r = cli_arg_number(cli, "--count", count_opt, MAX_UPDATES,
				   &count);
	if (r == EXIT_OK && count == 0)
		r = cli_usage_error(cli, "--count must be at least 1");
	if (r == EXIT_OK && timeout_opt)
		r = cli_arg_number(cli, "--timeout", timeout_opt, 86400,
				   &timeout);
	if (r == EXIT_OK)
		r = cli_open_pf(cli, args->operands[0], &pf);
	if (r != EXIT_OK)
		return r;
	u = calloc(1, sizeof(*u));
	r = u ? sriovvirt_pf_watch_mitigations(pf, &fd) : -ENOMEM;
	if (r == 0) {
		/* Ready: a script may now make the change it waits for. */
		fprintf(stderr, "sriovctl: watching %s\n",
			sriovvirt_pf_get_name(pf));
		r = collect_updates(pf, fd, (unsigned int)count,
				    timeout ? (int)timeout * 1000 : -1, u);
	}
	if (r == 0) {
		r = cli_print(cli, &updates_output, u);
	} else if (r == -ETIMEDOUT) {
		cli_print(cli, &updates_output, u);
		fprintf(stderr, "sriovctl: %s: %u of %llu updates within %llu "
			"seconds\n", sriovvirt_pf_get_name(pf), u->count,
			(unsigned long long)count, (unsigned long long)timeout);
		r = EXIT_FAILED;
	} else {
		r = cli_fail(cli, r, "%s: watching mitigated ranges",
			     sriovvirt_pf_get_name(pf));
	}
	free(u);
	sriovvirt_pf_unref(pf);
	return r;
}

/* ------------------------------------------------------------------------ */

static const struct cli_option vfio_only_options[] = {
	CLI_VF_TOKEN_OPTION,
	{ 0 },
};

static const struct cli_option mitigations_options[] = {
	CLI_VFIO_OPTIONS,
	{ 0 },
};

static const struct cli_option mmio_options[] = {
	{ "width", required_argument, "1|2|4|8", "bytes to access (default 4)" },
	CLI_VF_TOKEN_OPTION,
	{ 0 },
};

static const struct cli_option watch_options[] = {
	{ "count", required_argument, "N", "updates to wait for (default 1)" },
	{ "timeout", required_argument, "SECONDS", "give up after this long" },
	{ 0 },
};

const struct command vfio_commands[] = {
	{
		.name = "vfio",
		.operands = "PF VF",
		.min_operands = 2,
		.max_operands = 2,
		.options = vfio_only_options,
		.summary = "open a VF through VFIO and describe its device",
		.help = "Opens the VF's VFIO device (the VF must be bound to vfio-pci:\n"
			"sriovctl bind PF VF vfio-pci; vfio-pci resets the VF when the\n"
			"device is opened and closed) and prints its IOMMU group, regions\n"
			"(offset in the device fd, size, access, the parts that may be\n"
			"mmapped, whether the MSI-X table may be) and interrupt indexes.\n"
			"Every refusal is explained: no IOMMU, a group that is not viable,\n"
			"no permission on /dev/vfio/N, a missing VF token.\n",
		.run = run_vfio,
	},
	{
		.name = "mitigations",
		.operands = "PF VF",
		.min_operands = 2,
		.max_operands = 2,
		.options = mitigations_options,
		.summary = "the pages of a VF's BARs a VMM must trap",
		.help = "Prints QUERY_MITIGATED_RANGES for every BAR: the 4 KiB pages\n"
			"(numbered from the BAR's start) that hold the MSI-X table and PBA,\n"
			"and, with --vfio, every page VFIO does not let user space mmap.\n"
			"Without --vfio the MSI-X capability is read through sysfs (root).\n",
		.run = run_mitigations,
	},
	{
		.name = "mmio-read",
		.operands = "PF VF BAR OFFSET",
		.min_operands = 4,
		.max_operands = 4,
		.options = mmio_options,
		.summary = "read a register in a VF BAR through VFIO",
		.help = "Reads WIDTH bytes (default 4) at OFFSET of BAR (0..5) through the\n"
			"VF's VFIO device, as ReadWriteMitigatedRegister does. OFFSET must\n"
			"be a multiple of WIDTH and inside the BAR. Inside the MSI-X table\n"
			"vfio-pci answers all ones.\n",
		.run = run_mmio_read,
	},
	{
		.name = "mmio-write",
		.operands = "PF VF BAR OFFSET VALUE",
		.min_operands = 5,
		.max_operands = 5,
		.options = mmio_options,
		.summary = "write a register in a VF BAR through VFIO",
		.help = "Writes VALUE, WIDTH bytes (default 4), at OFFSET of BAR through\n"
			"the VF's VFIO device. Writes inside the MSI-X table are dropped by\n"
			"vfio-pci (MSI-X is set up through VFIO_DEVICE_SET_IRQS).\n",
		.run = run_mmio_write,
	},
	{
		.name = "watch-mitigations",
		.operands = "PF",
		.min_operands = 1,
		.max_operands = 1,
		.options = watch_options,
		.summary = "wait until VFs' mitigated ranges may have changed",
		.help = "MITIGATED_RANGE_UPDATE: waits until COUNT updates (default 1) have\n"
			"arrived and prints the VF of each: a VF's driver was bound or\n"
			"unbound, or the VF was added or removed (kernel uevents, from any\n"
			"process; a reset or VFIO open made by another process has no\n"
			"event). Prints \"watching\" on stderr once it listens. Exit 1 when\n"
			"SECONDS pass first.\n",
		.run = run_watch,
	},
	{ 0 },
};
