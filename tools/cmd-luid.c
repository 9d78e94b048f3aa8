// SPDX-License-Identifier: GPL-2.0-or-later
/* sriovctl luid and vf-from-luid: QueryLuid, QueryVfLuid, QueryLuidVf. */

#include <errno.h>
#include <inttypes.h>

#include "cli.h"

static void print_luid(struct cli *cli, const char *address,
		       struct sriovvirt_luid luid)
{
	char value[24];

	/* The text form: 0x, then HighPart and LowPart as one 64-bit number. */
	snprintf(value, sizeof(value), "0x%016" PRIx64, sriovvirt_luid_to_u64(luid));
	if (!cli->json) {
		printf("%s %s\n", address, value);
		return;
	}
	json_begin_object(&cli->out);
	json_kv_string(&cli->out, "address", address);
	json_key(&cli->out, "luid");
	json_begin_object(&cli->out);
	json_kv_uint(&cli->out, "low_part", luid.low_part);
	json_key(&cli->out, "high_part");
	json_int(&cli->out, luid.high_part);
	json_end_object(&cli->out);
	json_kv_string(&cli->out, "value", value);
	json_end_object(&cli->out);
	json_finish(&cli->out);
}

static int run_luid(struct cli *cli, int argc, char **argv)
{
	char name[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	struct sriovvirt_pci_addr addr;
	struct sriovvirt_luid luid;
	struct sriovvirt_pf *pf;
	uint16_t vf = 0;
	bool has_vf;
	int r;

	r = cli_simple_args(cli, &luid_commands[0], argc, argv, 1, 2);
	if (r >= 0)
		return r;
	r = cli_open_pf_or_vf(cli, argc, argv, &pf, &has_vf, &vf, &addr);
	if (r != EXIT_OK)
		return r;
	if (has_vf) {
		sriovvirt_pci_addr_format(&addr, name, sizeof(name));
		r = sriovvirt_vf_get_luid(pf, vf, &luid);
	} else {
		snprintf(name, sizeof(name), "%s", sriovvirt_pf_get_name(pf));
		r = sriovvirt_pf_get_luid(pf, &luid);
	}
	if (r < 0)
		r = cli_fail(cli, r, "%s: LUID", name);
	else
		print_luid(cli, name, luid);
	sriovvirt_pf_unref(pf);
	return r < 0 ? EXIT_FAILED : r;
}

static int print_vf(struct cli *cli, struct sriovvirt_pf *pf, uint16_t vf)
{
	char name[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	struct sriovvirt_pci_addr addr;
	int r;

	r = sriovvirt_vf_get_addr(pf, vf, &addr);
	if (r < 0)
		return cli_fail(cli, r, "%s: VF %u", sriovvirt_pf_get_name(pf), vf);
	sriovvirt_pci_addr_format(&addr, name, sizeof(name));
	if (cli->json) {
		json_begin_object(&cli->out);
		json_kv_uint(&cli->out, "index", vf);
		json_kv_string(&cli->out, "address", name);
		json_end_object(&cli->out);
		json_finish(&cli->out);
	} else {
		printf("VF %u %s\n", vf, name);
	}
	return EXIT_OK;
}

static int run_vf_from_luid(struct cli *cli, int argc, char **argv)
{
	struct sriovvirt_pf *pf;
	uint64_t value;
	uint16_t vf;
	int r;

	r = cli_simple_args(cli, &luid_commands[1], argc, argv, 2, 2);
	if (r >= 0)
		return r;
	r = cli_arg_number(cli, "LUID", argv[optind + 1], UINT64_MAX, &value);
	if (r != EXIT_OK)
		return r;
	r = cli_open_pf(cli, argv[optind], &pf);
	if (r != EXIT_OK)
		return r;
	r = sriovvirt_pf_find_vf_by_luid(pf, sriovvirt_luid_from_u64(value), &vf);
	if (r < 0)
		r = cli_fail(cli, r, "%s: LUID %s", sriovvirt_pf_get_name(pf),
			     argv[optind + 1]);
	else
		r = print_vf(cli, pf, vf);
	sriovvirt_pf_unref(pf);
	return r;
}

const struct command luid_commands[] = {
	{
		.name = "luid",
		.args = "PF [VF]",
		.summary = "the locally unique ID of a PF or VF",
		.help = "Prints the LUID as one 64-bit hex value (0x, HighPart, LowPart).\n"
			"The LUID is the inode number of the function's sysfs directory:\n"
			"unique on this host until reboot, stable while the device exists,\n"
			"never reused; a VF disabled and enabled again gets a new one.\n",
		.run = run_luid,
	},
	{
		.name = "vf-from-luid",
		.args = "PF LUID",
		.summary = "which VF of a PF has a LUID",
		.help = "LUID is a number as luid prints it (0x-prefixed hex, or decimal).\n",
		.run = run_vf_from_luid,
	},
	{ 0 },
};
