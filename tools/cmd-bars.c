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

static void print_probed(struct cli *cli, const char *key, const uint32_t *v)
{
	unsigned int i;

	if (cli->json) {
		json_key(&cli->out, key);
		json_begin_array(&cli->out);
		for (i = 0; i < SRIOVVIRT_NUM_BARS; i++)
			json_uint(&cli->out, v[i]);
		json_end_array(&cli->out);
		return;
	}
	printf("  %-10s", key);
	for (i = 0; i < SRIOVVIRT_NUM_BARS; i++)
		printf(" %08x", v[i]);
	putchar('\n');
}

static const char *resource_kind(uint64_t flags)
{
	if (flags & SRIOVVIRT_RESOURCE_IO)
		return "io";
	if (flags & SRIOVVIRT_RESOURCE_MEM_64)
		return flags & SRIOVVIRT_RESOURCE_PREFETCH ? "mem64 prefetchable" :
							     "mem64";
	return flags & SRIOVVIRT_RESOURCE_PREFETCH ? "mem32 prefetchable" : "mem32";
}

static void print_resource(struct cli *cli, unsigned int bar,
			   const struct sriovvirt_bar_resource *res)
{
	if (cli->json) {
		json_begin_object(&cli->out);
		json_kv_uint(&cli->out, "index", bar);
		json_kv_uint(&cli->out, "start", res->start);
		json_kv_uint(&cli->out, "size", res->size);
		json_kv_uint(&cli->out, "flags", res->flags);
		json_end_object(&cli->out);
		return;
	}
	printf("  BAR%u  0x%016llx  size 0x%llx  flags 0x%llx (%s)\n", bar,
	       (unsigned long long)res->start, (unsigned long long)res->size,
	       (unsigned long long)res->flags, resource_kind(res->flags));
}

/* The BARs the function implements; fetched before anything is printed. */
struct bar_resources {
	struct sriovvirt_bar_resource res[SRIOVVIRT_NUM_BARS];
	bool present[SRIOVVIRT_NUM_BARS];
};

static int fetch_resources(struct sriovvirt_pf *pf, uint16_t vf,
			   bar_resource_fn get, struct bar_resources *ret)
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

static void print_resources(struct cli *cli, const struct bar_resources *b)
{
	unsigned int bar;

	if (cli->json) {
		json_key(&cli->out, "resources");
		json_begin_array(&cli->out);
	} else {
		printf("Resources (as the kernel assigned them):\n");
	}
	for (bar = 0; bar < SRIOVVIRT_NUM_BARS; bar++)
		if (b->present[bar])
			print_resource(cli, bar, &b->res[bar]);
	if (cli->json)
		json_end_array(&cli->out);
}

static void begin(struct cli *cli, const char *address, const char *what)
{
	if (cli->json) {
		json_begin_object(&cli->out);
		json_kv_string(&cli->out, "address", address);
	} else {
		printf("%s %s\nProbed BARs (each BAR's value after writing all ones):\n",
		       address, what);
	}
}

static int end(struct cli *cli)
{
	if (cli->json) {
		json_end_object(&cli->out);
		json_finish(&cli->out);
	}
	return EXIT_OK;
}

static int pf_bars(struct cli *cli, struct sriovvirt_pf *pf)
{
	uint32_t probed[SRIOVVIRT_NUM_BARS], vf_probed[SRIOVVIRT_NUM_BARS];
	const char *name = sriovvirt_pf_get_name(pf);
	struct bar_resources res;
	int r, vf_r;

	r = sriovvirt_pf_get_probed_bars(pf, probed);
	if (r < 0)
		return cli_fail(cli, r, "%s: probed BARs", name);
	r = fetch_resources(pf, 0, pf_bar_resource, &res);
	if (r < 0)
		return cli_fail(cli, r, "%s: BAR resources", name);
	/* The VF layout needs the SR-IOV capability, readable by root only. */
	vf_r = sriovvirt_pf_get_vf_probed_bars(pf, vf_probed);
	if (vf_r < 0) {
		cli->nr_errors = 0;
		cli_warn(cli, "%s: VF BAR layout unavailable: %s", name,
			 vf_r == -EACCES ? "reading the SR-IOV capability "
					   "needs root" : strerror(-vf_r));
	}
	begin(cli, name, "(physical function)");
	print_probed(cli, "probed", probed);
	if (vf_r == 0)
		print_probed(cli, "vf_probed", vf_probed);
	else if (cli->json)
		json_kv_string(&cli->out, "vf_probed", NULL);
	print_resources(cli, &res);
	return end(cli);
}

static int vf_bars(struct cli *cli, struct sriovvirt_pf *pf, uint16_t vf,
		   const struct sriovvirt_pci_addr *addr)
{
	char name[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	uint32_t probed[SRIOVVIRT_NUM_BARS];
	struct bar_resources res;
	int r;

	sriovvirt_pci_addr_format(addr, name, sizeof(name));
	r = sriovvirt_vf_get_probed_bars(pf, vf, probed);
	if (r < 0)
		return cli_fail(cli, r, "%s: probed BARs", name);
	r = fetch_resources(pf, vf, sriovvirt_vf_get_bar_resource, &res);
	if (r < 0)
		return cli_fail(cli, r, "%s: BAR resources", name);
	begin(cli, name, "(virtual function)");
	print_probed(cli, "probed", probed);
	print_resources(cli, &res);
	return end(cli);
}

static int run_bars(struct cli *cli, int argc, char **argv)
{
	struct sriovvirt_pci_addr addr;
	struct sriovvirt_pf *pf;
	uint16_t vf = 0;
	bool has_vf;
	int r;

	r = cli_simple_args(cli, &bar_commands[0], argc, argv, 1, 2);
	if (r >= 0)
		return r;
	r = cli_open_pf_or_vf(cli, argc, argv, &pf, &has_vf, &vf, &addr);
	if (r != EXIT_OK)
		return r;
	r = has_vf ? vf_bars(cli, pf, vf, &addr) : pf_bars(cli, pf);
	sriovvirt_pf_unref(pf);
	return r;
}

const struct command bar_commands[] = {
	{
		.name = "bars",
		.args = "PF [VF]",
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
