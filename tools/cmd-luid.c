// SPDX-License-Identifier: GPL-2.0-or-later
/* sriovctl luid and vf-from-luid: QueryLuid, QueryVfLuid, QueryLuidVf. */

#include <errno.h>
#include <inttypes.h>

#include "cli.h"

struct luid_out {
	const char *address;
	struct sriovvirt_luid luid;
	char value[24];		/* the text form: 0x + 16 hex digits */
};

static void luid_text(struct cli *cli, const void *data)
{
	const struct luid_out *l = data;

	(void)cli;
	printf("%s %s\n", l->address, l->value);
}

static void luid_json(struct json *j, const void *data)
{
	const struct luid_out *l = data;

	json_begin_object(j);
	json_kv_string(j, "address", l->address);
	json_key(j, "luid");
	json_begin_object(j);
	json_kv_uint(j, "low_part", l->luid.low_part);
	json_key(j, "high_part");
	json_int(j, l->luid.high_part);
	json_end_object(j);
	json_kv_string(j, "value", l->value);
	json_end_object(j);
}

static const struct cli_output luid_output = { luid_text, luid_json };

static int run_luid(struct cli *cli, const struct command *cmd,
		    const struct cli_args *args)
{
	char name[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	struct luid_out out = { .address = name };
	struct sriovvirt_pci_addr addr;
	struct sriovvirt_pf *pf;
	uint16_t vf = 0;
	bool has_vf;
	int r;

	(void)cmd;
	r = cli_open_pf_or_vf(cli, args, &pf, &has_vf, &vf, &addr);
	if (r != EXIT_OK)
		return r;
	if (has_vf) {
		sriovvirt_pci_addr_format(&addr, name, sizeof(name));
		r = sriovvirt_vf_get_luid(pf, vf, &out.luid);
	} else {
		snprintf(name, sizeof(name), "%s", sriovvirt_pf_get_name(pf));
		r = sriovvirt_pf_get_luid(pf, &out.luid);
	}
	if (r < 0) {
		r = cli_fail(cli, r, "%s: LUID", name);
	} else {
		/* HighPart and LowPart as one 64-bit number. */
		snprintf(out.value, sizeof(out.value), "0x%016" PRIx64,
			 sriovvirt_luid_to_u64(out.luid));
		r = cli_print(cli, &luid_output, &out);
	}
	sriovvirt_pf_unref(pf);
	return r;
}

struct vf_out {
	uint16_t index;
	char address[SRIOVVIRT_PCI_ADDR_BUFSIZE];
};

static void vf_text(struct cli *cli, const void *data)
{
	const struct vf_out *v = data;

	(void)cli;
	printf("VF %u %s\n", v->index, v->address);
}

static void vf_json(struct json *j, const void *data)
{
	const struct vf_out *v = data;

	json_begin_object(j);
	json_kv_uint(j, "index", v->index);
	json_kv_string(j, "address", v->address);
	json_end_object(j);
}

static const struct cli_output vf_output = { vf_text, vf_json };

static int print_vf(struct cli *cli, struct sriovvirt_pf *pf, uint16_t vf)
{
	struct vf_out out = { .index = vf };
	struct sriovvirt_pci_addr addr;
	int r;

	r = sriovvirt_vf_get_addr(pf, vf, &addr);
	if (r < 0)
		return cli_fail(cli, r, "%s: VF %u", sriovvirt_pf_get_name(pf), vf);
	sriovvirt_pci_addr_format(&addr, out.address, sizeof(out.address));
	return cli_print(cli, &vf_output, &out);
}

static int run_vf_from_luid(struct cli *cli, const struct command *cmd,
			    const struct cli_args *args)
{
	struct sriovvirt_pf *pf;
	uint64_t value;
	uint16_t vf;
	int r;

	(void)cmd;
	r = cli_arg_number(cli, "LUID", args->operands[1], UINT64_MAX, &value);
	if (r == EXIT_OK)
		r = cli_open_pf(cli, args->operands[0], &pf);
	if (r != EXIT_OK)
		return r;
	r = sriovvirt_pf_find_vf_by_luid(pf, sriovvirt_luid_from_u64(value), &vf);
	if (r < 0)
		r = cli_fail(cli, r, "%s: LUID %s", sriovvirt_pf_get_name(pf),
			     args->operands[1]);
	else
		r = print_vf(cli, pf, vf);
	sriovvirt_pf_unref(pf);
	return r;
}

const struct command luid_commands[] = {
	{
		.name = "luid",
		.operands = "PF [VF]",
		.min_operands = 1,
		.max_operands = 2,
		.summary = "the locally unique ID of a PF or VF",
		.help = "Prints the LUID as one 64-bit hex value (0x, HighPart, LowPart).\n"
			"The LUID is the inode number of the function's sysfs directory:\n"
			"unique on this host until reboot, stable while the device exists,\n"
			"never reused; a VF disabled and enabled again gets a new one.\n",
		.run = run_luid,
	},
	{
		.name = "vf-from-luid",
		.operands = "PF LUID",
		.min_operands = 2,
		.max_operands = 2,
		.summary = "which VF of a PF has a LUID",
		.help = "LUID is a number as luid prints it (0x-prefixed hex, or decimal).\n",
		.run = run_vf_from_luid,
	},
	{ 0 },
};
