// SPDX-License-Identifier: GPL-2.0-or-later
/* sriovctl enable and disable: EnableVirtualization. */

#include <getopt.h>

#include "cli.h"

#define DEFAULT_WAIT_SECONDS 30
#define MAX_WAIT_SECONDS 86400

/* --wait[=SECONDS], as a library flag and timeout. */
static int wait_option(struct cli *cli, const struct command *cmd,
		       const struct cli_args *args, unsigned int *ret_flags,
		       int *ret_timeout_ms)
{
	const char *wait = cli_opt(cmd, args, "wait");
	uint64_t seconds = DEFAULT_WAIT_SECONDS;
	int r;

	*ret_flags = 0;
	*ret_timeout_ms = 0;
	if (!wait)
		return EXIT_OK;
	if (wait[0]) {
		r = cli_arg_number(cli, "--wait seconds", wait, MAX_WAIT_SECONDS,
				   &seconds);
		if (r != EXIT_OK)
			return r;
	}
	*ret_flags |= SRIOVVIRT_ENABLE_WAIT;
	*ret_timeout_ms = (int)seconds * 1000;
	return EXIT_OK;
}

struct vf_result {
	const char *address;
	uint16_t num_vfs;
	bool enable;
};

static void result_text(struct cli *cli, const void *data)
{
	const struct vf_result *v = data;

	(void)cli;
	if (v->enable)
		printf("%s: %u VFs enabled\n", v->address, v->num_vfs);
	else
		printf("%s: VFs disabled\n", v->address);
}

static void result_json(struct json *j, const void *data)
{
	const struct vf_result *v = data;

	json_begin_object(j);
	json_kv_string(j, "address", v->address);
	json_kv_uint(j, "num_vfs", v->num_vfs);
	json_end_object(j);
}

static const struct cli_output result_output = { result_text, result_json };

static int change_vfs(struct cli *cli, const char *name, uint16_t num_vfs,
		      bool enable, unsigned int flags, int timeout_ms)
{
	struct vf_result result = { .enable = enable };
	struct sriovvirt_pf *pf;
	int r;

	r = cli_open_pf(cli, name, &pf);
	if (r != EXIT_OK)
		return r;
	result.address = sriovvirt_pf_get_name(pf);
	r = sriovvirt_pf_enable_virtualization(pf, num_vfs, enable, flags,
					       timeout_ms);
	if (r == 0)
		r = sriovvirt_pf_get_num_vfs(pf, &result.num_vfs);
	if (r < 0)
		r = cli_fail(cli, r, "%s: %s", result.address,
			     enable ? "enabling VFs" : "disabling VFs");
	else
		r = cli_print(cli, &result_output, &result);
	sriovvirt_pf_unref(pf);
	return r;
}

static int run_enable(struct cli *cli, const struct command *cmd,
		      const struct cli_args *args)
{
	unsigned int flags;
	int timeout_ms, r;
	uint64_t n;

	r = wait_option(cli, cmd, args, &flags, &timeout_ms);
	if (r == EXIT_OK)
		r = cli_arg_number(cli, "number of VFs", args->operands[1],
				   0xffff, &n);
	if (r != EXIT_OK)
		return r;
	if (cli_opt(cmd, args, "no-autoprobe"))
		flags |= SRIOVVIRT_ENABLE_NO_AUTOPROBE;
	return change_vfs(cli, args->operands[0], (uint16_t)n, true, flags,
			  timeout_ms);
}

static int run_disable(struct cli *cli, const struct command *cmd,
		       const struct cli_args *args)
{
	unsigned int flags;
	int timeout_ms, r;

	r = wait_option(cli, cmd, args, &flags, &timeout_ms);
	if (r == EXIT_OK)
		r = cli_query_options(cli, cmd, args);
	if (r != EXIT_OK)
		return r;
	return change_vfs(cli, args->operands[0], 0, false, flags, timeout_ms);
}

static const struct cli_option enable_options[] = {
	{ "wait", optional_argument, "SECONDS",
	  "wait until sysfs shows all N VFs (default 30 s)" },
	{ "no-autoprobe", no_argument, NULL,
	  "keep host drivers off the new VFs (e.g. for\n"
	  "VFIO); sriov_drivers_autoprobe stays 0" },
	{ 0 },
};

static const struct cli_option disable_options[] = {
	{ "wait", optional_argument, "SECONDS",
	  "wait until sysfs shows no VFs (default 30 s)" },
	CLI_QUERY_OPTIONS,
	{ 0 },
};

const struct command vf_commands[] = {
	{
		.name = "enable",
		.operands = "PF N",
		.min_operands = 2,
		.max_operands = 2,
		.options = enable_options,
		.summary = "enable N VFs on a PF",
		.help = "Writes N to sriov_numvfs and checks the driver enabled all of them\n"
			"(a partial enable is rolled back). The PF must have no VFs yet:\n"
			"disable first to change the number, as the kernel requires.\n",
		.run = run_enable,
	},
	{
		.name = "disable",
		.operands = "PF",
		.min_operands = 1,
		.max_operands = 1,
		.options = disable_options,
		.summary = "disable all VFs of a PF",
		.help = "Writes 0 to sriov_numvfs. Fails if the PF has no VFs. A virtualization\n"
			"stack attached to the PF (sriovctl attach) is asked first and may\n"
			"veto it; --force does not ask.\n",
		.run = run_disable,
	},
	{ 0 },
};
