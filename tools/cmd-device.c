// SPDX-License-Identifier: GPL-2.0-or-later
/* sriovctl reset and power: ResetVf and SetVfPowerState. */

#include <errno.h>
#include <getopt.h>
#include <strings.h>

#include "cli.h"

static const char *const state_names[] = { "D0", "D1", "D2", "D3hot" };

/* A VF's address, and its power state (NULL after a reset). */
struct vf_state {
	struct sriovvirt_pci_addr addr;
	const char *state;
};

static void state_text(struct cli *cli, const void *data)
{
	const struct vf_state *v = data;
	char name[SRIOVVIRT_PCI_ADDR_BUFSIZE];

	(void)cli;
	sriovvirt_pci_addr_format(&v->addr, name, sizeof(name));
	printf("%s: %s\n", name, v->state ? v->state : "reset");
}

static void state_json(struct json *j, const void *data)
{
	const struct vf_state *v = data;
	char name[SRIOVVIRT_PCI_ADDR_BUFSIZE];

	sriovvirt_pci_addr_format(&v->addr, name, sizeof(name));
	json_begin_object(j);
	json_kv_string(j, "address", name);
	if (v->state)
		json_kv_string(j, "state", v->state);
	json_end_object(j);
}

static const struct cli_output state_output = { state_text, state_json };

/* reset PF: the PF itself, after asking an attached stack. */
static int reset_pf(struct cli *cli, const struct command *cmd,
		    const struct cli_args *args)
{
	struct vf_state out = { .state = NULL };
	struct sriovvirt_pf *pf;
	int r;

	if (cli_opt(cmd, args, "vfio") || cli_opt(cmd, args, "vf-token"))
		return cli_usage_error(cli, "--vfio and --vf-token need a VF");
	r = cli_query_options(cli, cmd, args);
	if (r == EXIT_OK)
		r = cli_open_pf(cli, args->operands[0], &pf);
	if (r != EXIT_OK)
		return r;
	out.addr = *sriovvirt_pf_get_addr(pf);
	r = sriovvirt_pf_reset(pf);
	r = r < 0 ? cli_fail(cli, r, "%s: PF reset", sriovvirt_pf_get_name(pf))
		  : cli_print(cli, &state_output, &out);
	sriovvirt_pf_unref(pf);
	return r;
}

static int run_reset(struct cli *cli, const struct command *cmd,
		     const struct cli_args *args)
{
	struct vf_state out = { .state = NULL };
	struct sriovvirt_pf *pf;
	uint16_t vf;
	int r;

	if (args->nr_operands == 1)
		return reset_pf(cli, cmd, args);
	if (cli_opt(cmd, args, "force") || cli_opt(cmd, args, "query-timeout"))
		return cli_usage_error(cli, "--force and --query-timeout are "
				       "for a reset of the PF itself (no VF)");
	r = cli_open_vf_vfio(cli, cmd, args, &pf, &vf, &out.addr);
	if (r != EXIT_OK)
		return r;
	r = sriovvirt_vf_reset(pf, vf);
	if (r < 0)
		r = cli_fail(cli, r, "%s: VF %u: reset",
			     sriovvirt_pf_get_name(pf), vf);
	else
		r = cli_print(cli, &state_output, &out);
	sriovvirt_pf_unref(pf);
	return r;
}

static int parse_state(const char *s, enum sriovvirt_power_state *ret)
{
	unsigned int i;

	for (i = 0; i < sizeof(state_names) / sizeof(state_names[0]); i++) {
		if (!strcasecmp(s, state_names[i])) {
			*ret = (enum sriovvirt_power_state)i;
			return 0;
		}
	}
	/* Windows' PowerDeviceD3 is D3hot. */
	if (!strcasecmp(s, "D3")) {
		*ret = SRIOVVIRT_POWER_D3HOT;
		return 0;
	}
	return -EINVAL;
}

static int set_power(struct cli *cli, struct sriovvirt_pf *pf, uint16_t vf,
		     const struct sriovvirt_pci_addr *addr,
		     const enum sriovvirt_power_state *state, bool wake)
{
	enum sriovvirt_power_state now;
	struct vf_state out = { .addr = *addr };
	int r;

	if (state) {
		now = *state;
		r = sriovvirt_vf_set_power_state(pf, vf, now, wake);
	} else {
		r = sriovvirt_vf_get_power_state(pf, vf, &now, &wake);
	}
	if (r < 0)
		return cli_fail(cli, r, "%s: VF %u: power state",
				sriovvirt_pf_get_name(pf), vf);
	out.state = state_names[now];
	return cli_print(cli, &state_output, &out);
}

static int run_power(struct cli *cli, const struct command *cmd,
		     const struct cli_args *args)
{
	enum sriovvirt_power_state state;
	struct sriovvirt_pci_addr addr;
	bool wake = cli_opt(cmd, args, "wake") != NULL;
	bool set = args->nr_operands == 3;
	struct sriovvirt_pf *pf;
	uint16_t vf;
	int r;

	if (set && parse_state(args->operands[2], &state) < 0)
		return cli_usage_error(cli, "unknown power state '%s' (D0, D1, "
				       "D2 or D3hot)", args->operands[2]);
	if (!set && wake)
		return cli_usage_error(cli, "--wake needs a STATE");
	r = cli_open_vf_vfio(cli, cmd, args, &pf, &vf, &addr);
	if (r != EXIT_OK)
		return r;
	r = set_power(cli, pf, vf, &addr, set ? &state : NULL, wake);
	sriovvirt_pf_unref(pf);
	return r;
}

static const struct cli_option reset_options[] = {
	CLI_VFIO_OPTIONS,
	CLI_QUERY_OPTIONS,
	{ 0 },
};

static const struct cli_option power_options[] = {
	{ "wake", no_argument, NULL, "enable PME (wake) in STATE; not with D0" },
	CLI_VFIO_OPTIONS,
	{ 0 },
};

const struct command device_commands[] = {
	{
		.name = "reset",
		.operands = "PF [VF]",
		.min_operands = 1,
		.max_operands = 2,
		.options = reset_options,
		.summary = "function-level reset of one VF, or of the PF",
		.help = "Resets VF through its sysfs reset attribute; the kernel restores\n"
			"its config space afterwards. Refused when the VF's reset_method\n"
			"lists a method that would reset other functions too (bus). With\n"
			"--vfio, through VFIO_DEVICE_RESET on the VF's VFIO device.\n"
			"Without VF, resets the PF itself (same policy), after asking an\n"
			"attached virtualization stack (--force does not ask); the VFs'\n"
			"state is lost.\n",
		.run = run_reset,
	},
	{
		.name = "power",
		.operands = "PF VF [STATE]",
		.min_operands = 2,
		.max_operands = 3,
		.options = power_options,
		.summary = "show or set a VF's power state (D0, D1, D2, D3hot)",
		.help = "Without STATE, prints the state PMCSR reports. With STATE, writes\n"
			"PMCSR, waits the PCI PM delay and reads it back; only states the\n"
			"VF's PM capability supports are accepted, and only for a VF no\n"
			"host driver is bound to. With --vfio, PMCSR is written through\n"
			"the VF's VFIO device, where vfio-pci makes the transition itself.\n",
		.run = run_power,
	},
	{ 0 },
};
