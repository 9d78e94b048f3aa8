// SPDX-License-Identifier: GPL-2.0-or-later
/* sriovctl enable and disable: EnableVirtualization. */

#include <errno.h>
#include <getopt.h>

#include "cli.h"

#define DEFAULT_WAIT_SECONDS 30
#define MAX_WAIT_SECONDS 86400

enum { OPT_WAIT = 256, OPT_NO_AUTOPROBE };

struct vf_options {
	unsigned int flags;
	int timeout_ms;
};

static int parse_vf_options(struct cli *cli, const struct command *cmd,
			    int argc, char **argv, bool allow_autoprobe,
			    struct vf_options *o)
{
	static const struct option extra[] = {
		{ "wait", optional_argument, NULL, OPT_WAIT },
		{ "no-autoprobe", no_argument, NULL, OPT_NO_AUTOPROBE },
		{ 0 },
	};
	uint64_t seconds;
	int c, r;

	o->flags = 0;
	o->timeout_ms = 0;
	while ((c = cli_getopt(cli, cmd, argc, argv, NULL, extra)) != -1) {
		if (c >= CLI_DONE(0))
			return c - CLI_DONE(0);
		if (c == OPT_NO_AUTOPROBE && !allow_autoprobe)
			return cli_usage_error(cli, "--no-autoprobe only applies "
					       "to enable");
		if (c == OPT_NO_AUTOPROBE) {
			o->flags |= SRIOVVIRT_ENABLE_NO_AUTOPROBE;
			continue;
		}
		seconds = DEFAULT_WAIT_SECONDS;
		if (optarg) {
			r = cli_arg_number(cli, "--wait seconds", optarg,
					   MAX_WAIT_SECONDS, &seconds);
			if (r != EXIT_OK)
				return r;
		}
		o->flags |= SRIOVVIRT_ENABLE_WAIT;
		o->timeout_ms = (int)seconds * 1000;
	}
	return -1;
}

static int print_result(struct cli *cli, struct sriovvirt_pf *pf, bool enable)
{
	uint16_t num_vfs;
	int r;

	r = sriovvirt_pf_get_num_vfs(pf, &num_vfs);
	if (r < 0)
		return cli_fail(cli, r, "%s", sriovvirt_pf_get_name(pf));
	if (cli->json) {
		json_begin_object(&cli->out);
		json_kv_string(&cli->out, "address", sriovvirt_pf_get_name(pf));
		json_kv_uint(&cli->out, "num_vfs", num_vfs);
		json_end_object(&cli->out);
		json_finish(&cli->out);
	} else if (enable) {
		printf("%s: %u VFs enabled\n", sriovvirt_pf_get_name(pf), num_vfs);
	} else {
		printf("%s: VFs disabled\n", sriovvirt_pf_get_name(pf));
	}
	return EXIT_OK;
}

static int change_vfs(struct cli *cli, const char *name, uint16_t num_vfs,
		      bool enable, const struct vf_options *o)
{
	struct sriovvirt_pf *pf;
	int r;

	r = cli_open_pf(cli, name, &pf);
	if (r != EXIT_OK)
		return r;
	r = sriovvirt_pf_enable_virtualization(pf, num_vfs, enable, o->flags,
					       o->timeout_ms);
	if (r < 0)
		r = cli_fail(cli, r, "%s: %s", sriovvirt_pf_get_name(pf),
			     enable ? "enabling VFs" : "disabling VFs");
	else
		r = print_result(cli, pf, enable);
	sriovvirt_pf_unref(pf);
	return r;
}

static int run_enable(struct cli *cli, int argc, char **argv)
{
	struct vf_options o;
	uint64_t n;
	int r;

	r = parse_vf_options(cli, &vf_commands[0], argc, argv, true, &o);
	if (r >= 0)
		return r;
	if (cli_check_operands(cli, &vf_commands[0], argc, argv, 2, 2) < 0)
		return EXIT_USAGE;
	r = cli_arg_number(cli, "number of VFs", argv[optind + 1], 0xffff, &n);
	if (r != EXIT_OK)
		return r;
	return change_vfs(cli, argv[optind], (uint16_t)n, true, &o);
}

static int run_disable(struct cli *cli, int argc, char **argv)
{
	struct vf_options o;
	int r;

	r = parse_vf_options(cli, &vf_commands[1], argc, argv, false, &o);
	if (r >= 0)
		return r;
	if (cli_check_operands(cli, &vf_commands[1], argc, argv, 1, 1) < 0)
		return EXIT_USAGE;
	return change_vfs(cli, argv[optind], 0, false, &o);
}

const struct command vf_commands[] = {
	{
		.name = "enable",
		.args = "PF N [--wait[=SECONDS]] [--no-autoprobe]",
		.summary = "enable N VFs on a PF",
		.help = "Writes N to sriov_numvfs and checks the driver enabled all of them\n"
			"(a partial enable is rolled back). The PF must have no VFs yet:\n"
			"disable first to change the number, as the kernel requires.\n"
			"\n"
			"      --wait[=SECONDS]  wait until sysfs shows all N VFs (default 30 s)\n"
			"      --no-autoprobe    keep host drivers off the new VFs (e.g. for\n"
			"                        VFIO); sriov_drivers_autoprobe stays 0\n",
		.run = run_enable,
	},
	{
		.name = "disable",
		.args = "PF [--wait[=SECONDS]]",
		.summary = "disable all VFs of a PF",
		.help = "Writes 0 to sriov_numvfs. Fails if the PF has no VFs.\n"
			"\n"
			"      --wait[=SECONDS]  wait until sysfs shows no VFs (default 30 s)\n",
		.run = run_disable,
	},
	{ 0 },
};
