// SPDX-License-Identifier: GPL-2.0-or-later
/* sriovctl reset and power: ResetVf and SetVfPowerState. */

#include <errno.h>
#include <getopt.h>
#include <strings.h>

#include "cli.h"

static const char *const state_names[] = { "D0", "D1", "D2", "D3hot" };

static void print_address(struct cli *cli, const struct sriovvirt_pci_addr *addr,
			  const char *state)
{
	char name[SRIOVVIRT_PCI_ADDR_BUFSIZE];

	sriovvirt_pci_addr_format(addr, name, sizeof(name));
	if (!cli->json) {
		if (state)
			printf("%s: %s\n", name, state);
		else
			printf("%s: reset\n", name);
		return;
	}
	json_begin_object(&cli->out);
	json_kv_string(&cli->out, "address", name);
	if (state)
		json_kv_string(&cli->out, "state", state);
	json_end_object(&cli->out);
	json_finish(&cli->out);
}

static int run_reset(struct cli *cli, int argc, char **argv)
{
	struct sriovvirt_pci_addr addr;
	struct sriovvirt_pf *pf;
	uint16_t vf;
	int r;

	r = cli_simple_args(cli, &device_commands[0], argc, argv, 2, 2);
	if (r >= 0)
		return r;
	r = cli_open_vf(cli, argv[optind], argv[optind + 1], &pf, &vf, &addr);
	if (r != EXIT_OK)
		return r;
	r = sriovvirt_vf_reset(pf, vf);
	if (r < 0) {
		r = cli_fail(cli, r, "%s: VF %u: reset",
			     sriovvirt_pf_get_name(pf), vf);
	} else {
		print_address(cli, &addr, NULL);
		r = EXIT_OK;
	}
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

enum { OPT_WAKE = 256 };

static int set_power(struct cli *cli, struct sriovvirt_pf *pf, uint16_t vf,
		     const struct sriovvirt_pci_addr *addr, const char *state_text,
		     bool wake)
{
	enum sriovvirt_power_state state;
	int r;

	if (state_text) {
		if (parse_state(state_text, &state) < 0)
			return cli_usage_error(cli, "unknown power state '%s' "
					       "(D0, D1, D2 or D3hot)", state_text);
		r = sriovvirt_vf_set_power_state(pf, vf, state, wake);
	} else {
		r = sriovvirt_vf_get_power_state(pf, vf, &state, &wake);
	}
	if (r < 0)
		return cli_fail(cli, r, "%s: VF %u: power state",
				sriovvirt_pf_get_name(pf), vf);
	print_address(cli, addr, state_names[state]);
	return EXIT_OK;
}

static int run_power(struct cli *cli, int argc, char **argv)
{
	static const struct option extra[] = {
		{ "wake", no_argument, NULL, OPT_WAKE },
		{ 0 },
	};
	enum sriovvirt_power_state unused;
	struct sriovvirt_pci_addr addr;
	struct sriovvirt_pf *pf;
	const char *state = NULL;
	bool wake = false;
	uint16_t vf;
	int c, r;

	while ((c = cli_getopt(cli, &device_commands[1], argc, argv, NULL,
			       extra)) != -1) {
		if (c >= CLI_DONE(0))
			return c - CLI_DONE(0);
		wake = true;
	}
	if (cli_check_operands(cli, &device_commands[1], argc, argv, 2, 3) < 0)
		return EXIT_USAGE;
	if (argc - optind == 3) {
		state = argv[optind + 2];
		if (parse_state(state, &unused) < 0)
			return cli_usage_error(cli, "unknown power state '%s' "
					       "(D0, D1, D2 or D3hot)", state);
	} else if (wake) {
		return cli_usage_error(cli, "--wake needs a STATE");
	}
	r = cli_open_vf(cli, argv[optind], argv[optind + 1], &pf, &vf, &addr);
	if (r != EXIT_OK)
		return r;
	r = set_power(cli, pf, vf, &addr, state, wake);
	sriovvirt_pf_unref(pf);
	return r;
}

const struct command device_commands[] = {
	{
		.name = "reset",
		.args = "PF VF",
		.summary = "function-level reset of one VF",
		.help = "Resets VF through its sysfs reset attribute; the kernel restores\n"
			"its config space afterwards. Refused when the VF's reset_method\n"
			"lists a method that would reset other functions too (bus).\n",
		.run = run_reset,
	},
	{
		.name = "power",
		.args = "PF VF [STATE [--wake]]",
		.summary = "show or set a VF's power state (D0, D1, D2, D3hot)",
		.help = "Without STATE, prints the state PMCSR reports. With STATE, writes\n"
			"PMCSR, waits the PCI PM delay and reads it back; only states the\n"
			"VF's PM capability supports are accepted, and only for a VF no\n"
			"host driver is bound to.\n"
			"\n"
			"      --wake    enable PME (wake) in STATE; not with D0\n",
		.run = run_power,
	},
	{ 0 },
};
