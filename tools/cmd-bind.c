// SPDX-License-Identifier: GPL-2.0-or-later
/* sriovctl bind and unbind: a VF's driver, through driver_override. */

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* What bind and unbind print: the VFs they changed, as they are now. */
struct bound {
	struct sriovvirt_vf_info *vfs;
	uint16_t count;
};

static void bound_text(struct cli *cli, const void *data)
{
	const struct bound *b = data;
	char address[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	uint16_t i;

	(void)cli;
	for (i = 0; i < b->count; i++) {
		sriovvirt_pci_addr_format(&b->vfs[i].addr, address, sizeof(address));
		printf("%s: %s\n", address,
		       b->vfs[i].driver[0] ? b->vfs[i].driver : "no driver");
	}
}

static void bound_json(struct json *j, const void *data)
{
	const struct bound *b = data;
	char address[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	uint16_t i;

	json_begin_array(j);
	for (i = 0; i < b->count; i++) {
		sriovvirt_pci_addr_format(&b->vfs[i].addr, address, sizeof(address));
		json_begin_object(j);
		json_kv_uint(j, "index", b->vfs[i].index);
		json_kv_string(j, "address", address);
		json_key(j, "driver");
		json_string(j, b->vfs[i].driver[0] ? b->vfs[i].driver : NULL);
		json_end_object(j);
	}
	json_end_array(j);
}

static const struct cli_output bound_output = { bound_text, bound_json };

/* VF index, or "all" (*@ret_all). */
static int vf_operand(struct cli *cli, const char *s, uint16_t *ret,
		      bool *ret_all)
{
	*ret_all = !strcmp(s, "all");
	return *ret_all ? EXIT_OK : cli_arg_vf(cli, s, ret);
}

/* The VFs as they are now: @first .. @first + @count - 1. */
static int report(struct cli *cli, struct sriovvirt_pf *pf, uint16_t first,
		  uint16_t count)
{
	struct bound b = { calloc(count ? count : 1, sizeof(*b.vfs)), 0 };
	int r = b.vfs ? 0 : -ENOMEM;

	for (; r == 0 && b.count < count; b.count++) {
		b.vfs[b.count].size = sizeof(b.vfs[b.count]);
		r = sriovvirt_vf_get_info(pf, first + b.count, &b.vfs[b.count]);
	}
	r = r < 0 ? cli_fail(cli, r, "%s: reading the VFs",
			     sriovvirt_pf_get_name(pf)) :
		    cli_print(cli, &bound_output, &b);
	free(b.vfs);
	return r;
}

/* @driver NULL unbinds. */
static int change(struct cli *cli, const struct cli_args *args,
		  const char *driver)
{
	struct sriovvirt_pf *pf;
	uint16_t vf = 0, num_vfs = 0;
	bool all;
	int r;

	r = vf_operand(cli, args->operands[1], &vf, &all);
	if (r == EXIT_OK)
		r = cli_open_pf(cli, args->operands[0], &pf);
	if (r != EXIT_OK)
		return r;
	if (all)
		r = driver ? sriovvirt_pf_bind_vfs(pf, driver) :
			     sriovvirt_pf_unbind_vfs(pf);
	else
		r = driver ? sriovvirt_vf_bind(pf, vf, driver) :
			     sriovvirt_vf_unbind(pf, vf);
	if (r == 0 && all)
		r = sriovvirt_pf_get_num_vfs(pf, &num_vfs);
	if (r < 0)
		r = cli_fail(cli, r, "%s: %s", sriovvirt_pf_get_name(pf),
			     driver ? "binding" : "unbinding");
	else
		r = report(cli, pf, all ? 0 : vf, all ? num_vfs : 1);
	sriovvirt_pf_unref(pf);
	return r;
}

/* A name as bus/pci/drivers has them; anything else is a usage error. */
static bool driver_name_ok(const char *s)
{
	size_t len = strlen(s);

	return len > 0 && len < SRIOVVIRT_DRIVER_NAME_MAX && strcmp(s, ".") &&
	       strcmp(s, "..") && strcspn(s, "/ \t\n") == len;
}

static int run_bind(struct cli *cli, const struct command *cmd,
		    const struct cli_args *args)
{
	const char *driver = args->operands[2];
	int r;

	if (!driver_name_ok(driver))
		return cli_usage_error(cli, "'%s' is not a driver name (as in "
				       "/sys/bus/pci/drivers)", driver);
	r = cli_query_options(cli, cmd, args);
	return r != EXIT_OK ? r : change(cli, args, driver);
}

static void pf_unbound_text(struct cli *cli, const void *data)
{
	(void)cli;
	printf("%s: no driver\n", (const char *)data);
}

static void pf_unbound_json(struct json *j, const void *data)
{
	json_begin_object(j);
	json_kv_string(j, "address", data);
	json_key(j, "driver");
	json_null(j);
	json_end_object(j);
}

static const struct cli_output pf_unbound_output = { pf_unbound_text,
						     pf_unbound_json };

/* unbind PF --pf: the PF's own driver, after asking an attached stack. */
static int unbind_pf(struct cli *cli, const struct cli_args *args)
{
	struct sriovvirt_pf *pf;
	int r;

	r = cli_open_pf(cli, args->operands[0], &pf);
	if (r != EXIT_OK)
		return r;
	r = sriovvirt_pf_unbind_driver(pf);
	r = r < 0 ? cli_fail(cli, r, "%s: unbinding the PF's driver",
			     sriovvirt_pf_get_name(pf))
		  : cli_print(cli, &pf_unbound_output,
			      sriovvirt_pf_get_name(pf));
	sriovvirt_pf_unref(pf);
	return r;
}

static int run_unbind(struct cli *cli, const struct command *cmd,
		      const struct cli_args *args)
{
	bool pf_itself = cli_opt(cmd, args, "pf") != NULL;
	int r;

	if (pf_itself != (args->nr_operands == 1))
		return cli_usage_error(cli, pf_itself ?
				       "--pf unbinds the PF's own driver: no VF "
				       "operand with it" :
				       "unbind needs a VF index, 'all', or --pf");
	r = cli_query_options(cli, cmd, args);
	if (r != EXIT_OK)
		return r;
	return pf_itself ? unbind_pf(cli, args) : change(cli, args, NULL);
}

static const struct cli_option query_options[] = {
	CLI_QUERY_OPTIONS,
	{ 0 },
};

static const struct cli_option unbind_options[] = {
	{ "pf", no_argument, NULL,
	  "unbind the PF's own driver instead (its VFs\n"
	  "go with it)" },
	CLI_QUERY_OPTIONS,
	{ 0 },
};

const struct command bind_commands[] = {
	{
		.name = "bind",
		.operands = "PF VF|all DRIVER",
		.min_operands = 3,
		.max_operands = 3,
		.options = query_options,
		.summary = "bind one VF, or all VFs of a PF, to a driver",
		.help = "Sets the VF's driver_override to DRIVER (a loaded PCI driver, such\n"
			"as vfio-pci), unbinds the driver it has and probes it again; the\n"
			"kernel binds within that probe, so it is done, or refused, when\n"
			"the command returns. A refusal puts the previous driver back; with\n"
			"'all', every VF is put back when one is refused. Only VFs of PF\n"
			"are ever touched. Replacing a VF's driver asks an attached\n"
			"virtualization stack first (--force does not).\n",
		.run = run_bind,
	},
	{
		.name = "unbind",
		.operands = "PF [VF|all]",
		.min_operands = 1,
		.max_operands = 2,
		.options = unbind_options,
		.summary = "unbind one VF, or all VFs of a PF, from its driver",
		.help = "Unbinds the VF's driver and clears its driver_override, leaving it\n"
			"without a driver. Unbinding a VF a VM holds through vfio-pci waits\n"
			"until the VM lets go of it. An attached virtualization stack is\n"
			"asked first and may veto it (--force does not ask). With --pf\n"
			"and no VF, unbinds the PF's own driver (asking the same way).\n",
		.run = run_unbind,
	},
	{ 0 },
};
