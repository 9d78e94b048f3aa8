// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sriovctl bars: probed BAR values (QueryProbedBars, QueryProbedBars_2,
 * GetVirtualFunctionProbedBars) and BAR resources (GetResourceForBar).
 */

#include <errno.h>
#include <string.h>

#include "cli.h"

typedef int (*bar_resource_fn)(struct sriovvirt_pf *pf, uint16_t vf,
			       unsigned int bar,
			       struct sriovvirt_bar_resource *ret);

static int pf_bar_resource(struct sriovvirt_pf *pf, uint16_t vf,
			   unsigned int bar, struct sriovvirt_bar_resource *ret)
{
	(void)vf;
	return sriovvirt_pf_get_bar_resource(pf, bar, ret);
}

/* What bars prints: probed values and the BARs' address ranges. */
struct bars {
	const char *address;
	const char *what;		/* "(physical function)", ... */
	uint32_t probed[SRIOVVIRT_NUM_BARS];
	const uint32_t *vf_probed;	/* PF only; NULL when unavailable */
	bool is_pf;
	struct sriovvirt_bar_resource res[SRIOVVIRT_NUM_BARS];
	bool present[SRIOVVIRT_NUM_BARS];
};

static const char *resource_kind(uint64_t flags)
{
	if (flags & SRIOVVIRT_RESOURCE_IO)
		return "io";
	if (flags & SRIOVVIRT_RESOURCE_MEM_64)
		return flags & SRIOVVIRT_RESOURCE_PREFETCH ? "mem64 prefetchable" :
							     "mem64";
	return flags & SRIOVVIRT_RESOURCE_PREFETCH ? "mem32 prefetchable" : "mem32";
}

static void text_probed(const char *key, const uint32_t *v)
{
	unsigned int i;

	printf("  %-10s", key);
	for (i = 0; i < SRIOVVIRT_NUM_BARS; i++)
		printf(" %08x", v[i]);
	putchar('\n');
}

static void bars_text(struct cli *cli, const void *data)
{
	const struct bars *b = data;
	unsigned int bar;

	(void)cli;
	printf("%s %s\nProbed BARs (each BAR's value after writing all ones):\n",
	       b->address, b->what);
	text_probed("probed", b->probed);
	if (b->vf_probed)
		text_probed("vf_probed", b->vf_probed);
	printf("Resources (as the kernel assigned them):\n");
	for (bar = 0; bar < SRIOVVIRT_NUM_BARS; bar++) {
		const struct sriovvirt_bar_resource *res = &b->res[bar];

		if (!b->present[bar])
			continue;
		printf("  BAR%u  0x%016llx  size 0x%llx  flags 0x%llx (%s)\n", bar,
		       (unsigned long long)res->start,
		       (unsigned long long)res->size,
		       (unsigned long long)res->flags, resource_kind(res->flags));
	}
}

static void json_probed(struct json *j, const char *key, const uint32_t *v)
{
	unsigned int i;

	json_key(j, key);
	json_begin_array(j);
	for (i = 0; i < SRIOVVIRT_NUM_BARS; i++)
		json_uint(j, v[i]);
	json_end_array(j);
}

static void bars_json(struct json *j, const void *data)
{
	const struct bars *b = data;
	unsigned int bar;

	json_begin_object(j);
	json_kv_string(j, "address", b->address);
	json_probed(j, "probed", b->probed);
	if (b->vf_probed)
		json_probed(j, "vf_probed", b->vf_probed);
	else if (b->is_pf)
		json_kv_string(j, "vf_probed", NULL);
	json_key(j, "resources");
	json_begin_array(j);
	for (bar = 0; bar < SRIOVVIRT_NUM_BARS; bar++) {
		if (!b->present[bar])
			continue;
		json_begin_object(j);
		json_kv_uint(j, "index", bar);
		json_kv_uint(j, "start", b->res[bar].start);
		json_kv_uint(j, "size", b->res[bar].size);
		json_kv_uint(j, "flags", b->res[bar].flags);
		json_end_object(j);
	}
	json_end_array(j);
	json_end_object(j);
}

static const struct cli_output bars_output = { bars_text, bars_json };

/* The BARs the function implements; fetched before anything is printed. */
static int fetch_resources(struct sriovvirt_pf *pf, uint16_t vf,
			   bar_resource_fn get, struct bars *ret)
{
	unsigned int bar;
	int r;

	for (bar = 0; bar < SRIOVVIRT_NUM_BARS; bar++) {
		r = get(pf, vf, bar, &ret->res[bar]);
		ret->present[bar] = r == 0;
		if (r < 0 && r != -ENODATA)	/* -ENODATA: not implemented */
			return r;
	}
	return 0;
}

static int pf_bars(struct cli *cli, struct sriovvirt_pf *pf)
{
	struct bars b = { .address = sriovvirt_pf_get_name(pf),
			  .what = "(physical function)", .is_pf = true };
	uint32_t vf_probed[SRIOVVIRT_NUM_BARS];
	int r, vf_r;

	r = sriovvirt_pf_get_probed_bars(pf, b.probed);
	if (r < 0)
		return cli_fail(cli, r, "%s: probed BARs", b.address);
	r = fetch_resources(pf, 0, pf_bar_resource, &b);
	if (r < 0)
		return cli_fail(cli, r, "%s: BAR resources", b.address);
	/* The VF layout needs the SR-IOV capability, readable by root only. */
	vf_r = sriovvirt_pf_get_vf_probed_bars(pf, vf_probed);
	if (vf_r == 0) {
		b.vf_probed = vf_probed;
	} else {
		cli->nr_errors = 0;
		cli_warn(cli, "%s: VF BAR layout unavailable: %s", b.address,
			 vf_r == -EACCES ? "reading the SR-IOV capability "
					   "needs root" : strerror(-vf_r));
	}
	return cli_print(cli, &bars_output, &b);
}

static int vf_bars(struct cli *cli, struct sriovvirt_pf *pf, uint16_t vf,
		   const struct sriovvirt_pci_addr *addr)
{
	char name[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	struct bars b = { .address = name, .what = "(virtual function)" };
	int r;

	sriovvirt_pci_addr_format(addr, name, sizeof(name));
	r = sriovvirt_vf_get_probed_bars(pf, vf, b.probed);
	if (r < 0)
		return cli_fail(cli, r, "%s: probed BARs", name);
	r = fetch_resources(pf, vf, sriovvirt_vf_get_bar_resource, &b);
	if (r < 0)
		return cli_fail(cli, r, "%s: BAR resources", name);
	return cli_print(cli, &bars_output, &b);
}

static int run_bars(struct cli *cli, const struct command *cmd,
		    const struct cli_args *args)
{
	struct sriovvirt_pci_addr addr;
	struct sriovvirt_pf *pf;
	uint16_t vf = 0;
	bool has_vf;
	int r;

	(void)cmd;
	r = cli_open_pf_or_vf(cli, args, &pf, &has_vf, &vf, &addr);
	if (r != EXIT_OK)
		return r;
	r = has_vf ? vf_bars(cli, pf, vf, &addr) : pf_bars(cli, pf);
	sriovvirt_pf_unref(pf);
	return r;
}

const struct command bar_commands[] = {
	{
		.name = "bars",
		.operands = "PF [VF]",
		.min_operands = 1,
		.max_operands = 2,
		.summary = "probed BAR values and BAR resources of a PF or VF",
		.help = "Prints the six values the BAR registers would read after all ones\n"
			"were written (size mask and type bits; 0 for an unimplemented\n"
			"BAR), computed from the kernel's sizes without touching hardware,\n"
			"and the BARs' address ranges as the kernel assigned them. For a\n"
			"PF, vf_probed is the VF BAR layout of its SR-IOV capability.\n",
		.run = run_bars,
	},
	{ 0 },
};
