// SPDX-License-Identifier: GPL-2.0-or-later
/* Helpers every sriovctl command uses: options, numbers, errors. */

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void vprint(const char *prefix, const char *format, va_list args)
{
	fprintf(stderr, "sriovctl: %s", prefix);
	vfprintf(stderr, format, args);
	fputc('\n', stderr);
}

int cli_usage_error(struct cli *cli, const char *format, ...)
{
	va_list args;

	va_start(args, format);
	vprint("", format, args);
	va_end(args);
	if (cli->command)
		fprintf(stderr, "Try 'sriovctl %s --help'.\n", cli->command);
	else
		fprintf(stderr, "Try 'sriovctl --help'.\n");
	return EXIT_USAGE;
}

void cli_warn(struct cli *cli, const char *format, ...)
{
	va_list args;

	(void)cli;
	va_start(args, format);
	vprint("warning: ", format, args);
	va_end(args);
}

int cli_fail(struct cli *cli, int err, const char *format, ...)
{
	va_list args;
	int i;

	if (cli->nr_errors) {
		/* The library said which device, which rule and what to do. */
		for (i = 0; i < cli->nr_errors; i++)
			fprintf(stderr, "sriovctl: %s\n", cli->errors[i]);
		cli->nr_errors = 0;
		return EXIT_FAILED;
	}
	fputs("sriovctl: ", stderr);
	va_start(args, format);
	vfprintf(stderr, format, args);
	va_end(args);
	fprintf(stderr, ": %s\n", strerror(err < 0 ? -err : err));
	return EXIT_FAILED;
}

void cli_print_command_help(const struct command *cmd, FILE *f)
{
	fprintf(f, "Usage: sriovctl [--json] [--sysfs-root DIR] %s %s\n\n%s\n",
		cmd->name, cmd->args, cmd->summary);
	if (cmd->help && cmd->help[0])
		fprintf(f, "\n%s", cmd->help);
	fprintf(f, "\n  -j, --json    print JSON instead of text\n"
		   "  -h, --help    show this help\n");
}

int cli_getopt(struct cli *cli, const struct command *cmd, int argc,
	       char **argv, const char *shortopts, const struct option *extra)
{
	struct option opts[16];
	char spec[64];
	size_t n = 0;
	int c;

	opts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	opts[n++] = (struct option){ "json", no_argument, NULL, 'j' };
	for (; extra && extra->name && n + 1 < sizeof(opts) / sizeof(opts[0]);
	     extra++)
		opts[n++] = *extra;
	opts[n] = (struct option){ 0 };
	/* No "+": a command's options may follow its operands. */
	snprintf(spec, sizeof(spec), ":hj%s", shortopts ? shortopts : "");

	c = getopt_long(argc, argv, spec, opts, NULL);
	switch (c) {
	case 'h':
		cli_print_command_help(cmd, stdout);
		return CLI_DONE(EXIT_OK);
	case 'j':
		cli->json = true;
		return cli_getopt(cli, cmd, argc, argv, shortopts, extra);
	case '?':
		return CLI_DONE(cli_usage_error(cli, "unknown option '%s'",
						argv[optind - 1]));
	case ':':
		return CLI_DONE(cli_usage_error(cli, "option '%s' needs a value",
						argv[optind - 1]));
	default:
		return c;
	}
}

int cli_parse_number(const char *s, uint64_t max, uint64_t *ret)
{
	if (!s)
		return -EINVAL;
	return sv_parse_number(s, strlen(s), max, ret);
}

int cli_arg_number(struct cli *cli, const char *name, const char *s,
		   uint64_t max, uint64_t *ret)
{
	int r = cli_parse_number(s, max, ret);

	if (r == -ERANGE)
		return cli_usage_error(cli, "%s '%s' is out of range (at most "
				       "%llu)", name, s, (unsigned long long)max);
	if (r < 0)
		return cli_usage_error(cli, "%s '%s' is not a number (decimal, "
				       "or hex with 0x)", name, s);
	return EXIT_OK;
}

int cli_arg_vf(struct cli *cli, const char *s, uint16_t *ret)
{
	uint64_t v;
	int r;

	r = cli_arg_number(cli, "VF index", s, 0xffff, &v);
	if (r == EXIT_OK)
		*ret = (uint16_t)v;
	return r;
}

int cli_open_pf(struct cli *cli, const char *name, struct sriovvirt_pf **ret)
{
	int r;

	r = sriovvirt_pf_open(cli->ctx, name, ret);
	if (r == -EINVAL)
		return cli_usage_error(cli, "'%s' is neither a PCI address "
				       "(DDDD:BB:DD.F or BB:DD.F) nor a network "
				       "interface name", name);
	if (r < 0)
		return cli_fail(cli, r, "%s", name);
	return EXIT_OK;
}

/* Opens PF, checks that VF is enabled and finds its address; prints failures. */
int cli_open_vf(struct cli *cli, const char *pf_name, const char *vf_text,
		struct sriovvirt_pf **ret_pf, uint16_t *ret_vf,
		struct sriovvirt_pci_addr *ret_addr)
{
	struct sriovvirt_pf *pf;
	uint16_t vf, num_vfs;
	int r;

	r = cli_arg_vf(cli, vf_text, &vf);
	if (r == EXIT_OK)
		r = cli_open_pf(cli, pf_name, &pf);
	if (r != EXIT_OK)
		return r;
	r = sriovvirt_pf_get_num_vfs(pf, &num_vfs);
	if (r == 0 && vf >= num_vfs) {
		fprintf(stderr, "sriovctl: %s: VF %u does not exist: the PF has "
			"%u VFs enabled\n", sriovvirt_pf_get_name(pf), vf, num_vfs);
		sriovvirt_pf_unref(pf);
		return EXIT_FAILED;
	}
	if (r == 0)
		r = sriovvirt_vf_get_addr(pf, vf, ret_addr);
	if (r < 0) {
		r = cli_fail(cli, r, "%s: VF %u", sriovvirt_pf_get_name(pf), vf);
		sriovvirt_pf_unref(pf);
		return r;
	}
	*ret_pf = pf;
	*ret_vf = vf;
	return EXIT_OK;
}

int cli_open_pf_or_vf(struct cli *cli, int argc, char **argv,
		      struct sriovvirt_pf **ret_pf, bool *ret_has_vf,
		      uint16_t *ret_vf, struct sriovvirt_pci_addr *ret_addr)
{
	*ret_has_vf = argc - optind == 2;
	if (!*ret_has_vf)
		return cli_open_pf(cli, argv[optind], ret_pf);
	return cli_open_vf(cli, argv[optind], argv[optind + 1], ret_pf, ret_vf,
			   ret_addr);
}

int cli_check_operands(struct cli *cli, const struct command *cmd, int argc,
		       char **argv, int min, int max)
{
	int n = argc - optind;

	if (n < min) {
		cli_usage_error(cli, "missing operand: usage: sriovctl %s %s",
				cmd->name, cmd->args);
		return -1;
	}
	if (n > max) {
		cli_usage_error(cli, "unexpected operand '%s'",
				argv[optind + max]);
		return -1;
	}
	return 0;
}

int cli_simple_args(struct cli *cli, const struct command *cmd, int argc,
		    char **argv, int min, int max)
{
	int r = cli_getopt(cli, cmd, argc, argv, NULL, NULL);

	if (r >= CLI_DONE(0))
		return r - CLI_DONE(0);
	if (cli_check_operands(cli, cmd, argc, argv, min, max) < 0)
		return EXIT_USAGE;
	return -1;
}

const char *cli_bar_type_name(uint8_t type)
{
	switch (type) {
	case SRIOVVIRT_BAR_MEM32:
		return "mem32";
	case SRIOVVIRT_BAR_MEM64:
		return "mem64";
	case SRIOVVIRT_BAR_IO:
		return "io";
	default:
		return "unused";
	}
}
