// SPDX-License-Identifier: GPL-2.0-or-later
/* What every sriovctl command uses: parsing, help, output, errors, PFs. */

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

int cli_print(struct cli *cli, const struct cli_output *out, const void *data)
{
	if (cli->json) {
		out->json(&cli->out, data);
		json_finish(&cli->out);
	} else {
		out->text(cli, data);
	}
	return EXIT_OK;
}

const struct command *cli_find_command(const char *name)
{
	const struct command *c;
	size_t i;

	for_each_command(c, i)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* ------------------------------------------------------------------------ */
/* Options and help, from the command's table                              */
/* ------------------------------------------------------------------------ */

static size_t nr_options(const struct command *cmd)
{
	size_t n = 0;

	while (cmd->options && cmd->options[n].name)
		n++;
	return n;
}

/* "--wait[=SECONDS]", "--width 1|2|4", "--force" */
static void format_option(const struct cli_option *o, char *buf, size_t size)
{
	if (o->has_arg == optional_argument)
		snprintf(buf, size, "--%s[=%s]", o->name, o->arg);
	else if (o->has_arg == required_argument)
		snprintf(buf, size, "--%s %s", o->name, o->arg);
	else
		snprintf(buf, size, "--%s", o->name);
}

/* "enable PF N [--wait[=SECONDS]] [--no-autoprobe]" */
static void format_synopsis(const struct command *cmd, char *buf, size_t size)
{
	char text[96];
	size_t i, len;

	snprintf(buf, size, "%s%s%s", cmd->name, cmd->operands[0] ? " " : "",
		 cmd->operands);
	for (i = 0; i < nr_options(cmd); i++) {
		format_option(&cmd->options[i], text, sizeof(text));
		len = strlen(buf);
		snprintf(buf + len, size - len, " [%s]", text);
	}
}

static void print_synopsis(const struct command *cmd, FILE *f)
{
	char text[256];

	format_synopsis(cmd, text, sizeof(text));
	fprintf(f, "Usage: sriovctl [--json] [--sysfs-root DIR] %s\n", text);
}

/* One option line; continuation lines of @help line up under its start. */
static void print_option_line(FILE *f, const char *flag, const char *help,
			      int width)
{
	const char *nl;

	fprintf(f, "  %-*s  ", width, flag);
	while ((nl = strchr(help, '\n'))) {
		fprintf(f, "%.*s\n%*s", (int)(nl - help), help, width + 4, "");
		help = nl + 1;
	}
	fprintf(f, "%s\n", help);
}

void cli_print_command_help(const struct command *cmd, FILE *f)
{
	const struct cli_setting *s;
	char text[96];
	int width = (int)strlen("-j, --json");
	size_t i;

	for (i = 0; i < nr_options(cmd); i++) {
		format_option(&cmd->options[i], text, sizeof(text));
		if ((int)strlen(text) + 4 > width)
			width = (int)strlen(text) + 4;
	}
	for (s = cmd->settings; s && s->name; s++)
		if ((int)(strlen(s->name) + 1 + strlen(s->arg)) > width)
			width = (int)(strlen(s->name) + 1 + strlen(s->arg));
	print_synopsis(cmd, f);
	fprintf(f, "\n%s\n", cmd->summary);
	if (cmd->help && cmd->help[0])
		fprintf(f, "\n%s", cmd->help);
	if (cmd->settings)
		fprintf(f, "\nSettings:\n");
	for (s = cmd->settings; s && s->name; s++) {
		snprintf(text, sizeof(text), "%s %s", s->name, s->arg);
		print_option_line(f, text, s->help, width);
	}
	fprintf(f, "\nOptions:\n");
	for (i = 0; i < nr_options(cmd); i++) {
		snprintf(text, sizeof(text), "    ");
		format_option(&cmd->options[i], text + 4, sizeof(text) - 4);
		print_option_line(f, text, cmd->options[i].help, width);
	}
	print_option_line(f, "-j, --json", "print JSON instead of text", width);
	print_option_line(f, "-h, --help", "show this help", width);
}

enum { OPT_FIRST = 256 };

static int parse_options(struct cli *cli, const struct command *cmd, int argc,
			 char **argv, struct cli_args *args, bool *ret_help)
{
	struct option opts[CLI_MAX_OPTIONS + 3];
	size_t n = nr_options(cmd), i;
	int c;

	if (n > CLI_MAX_OPTIONS)
		abort();	/* a table too long for struct cli_args */
	opts[0] = (struct option){ "help", no_argument, NULL, 'h' };
	opts[1] = (struct option){ "json", no_argument, NULL, 'j' };
	for (i = 0; i < n; i++)
		opts[2 + i] = (struct option){ cmd->options[i].name,
					       cmd->options[i].has_arg, NULL,
					       OPT_FIRST + (int)i };
	opts[2 + n] = (struct option){ 0 };
	optind = 0;	/* glibc: restart, as main's getopt ran before */
	/* No "+": a command's options may follow its operands. */
	while ((c = getopt_long(argc, argv, ":hj", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			*ret_help = true;
			return EXIT_OK;
		case 'j':
			cli->json = true;
			break;
		case '?':
			return cli_usage_error(cli, "unknown option '%s'",
					       argv[optind - 1]);
		case ':':
			return cli_usage_error(cli, "option '%s' needs a value",
					       argv[optind - 1]);
		default:
			args->values[c - OPT_FIRST] = optarg ? optarg : "";
		}
	}
	return EXIT_OK;
}

int cli_parse(struct cli *cli, const struct command *cmd, int argc,
	      char **argv, struct cli_args *args, bool *ret_help)
{
	char synopsis[256];
	int r;

	memset(args, 0, sizeof(*args));
	*ret_help = false;
	r = parse_options(cli, cmd, argc, argv, args, ret_help);
	if (r != EXIT_OK || *ret_help)
		return r;
	args->operands = argv + optind;
	args->nr_operands = argc - optind;
	if (args->nr_operands < cmd->min_operands) {
		format_synopsis(cmd, synopsis, sizeof(synopsis));
		return cli_usage_error(cli, "missing operand: usage: sriovctl %s",
				       synopsis);
	}
	if (args->nr_operands > cmd->max_operands)
		return cli_usage_error(cli, "unexpected operand '%s'",
				       args->operands[cmd->max_operands]);
	return EXIT_OK;
}

const char *cli_opt(const struct command *cmd, const struct cli_args *args,
		    const char *name)
{
	size_t i;

	for (i = 0; i < nr_options(cmd); i++)
		if (!strcmp(cmd->options[i].name, name))
			return args->values[i];
	abort();	/* a command asked for an option it does not have */
}

/* ------------------------------------------------------------------------ */
/* Operands                                                                 */
/* ------------------------------------------------------------------------ */

int cli_arg_number(struct cli *cli, const char *name, const char *s,
		   uint64_t max, uint64_t *ret)
{
	int r = sv_parse_number(s, strlen(s), max, ret);

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

int cli_open_pf_or_vf(struct cli *cli, const struct cli_args *args,
		      struct sriovvirt_pf **ret_pf, bool *ret_has_vf,
		      uint16_t *ret_vf, struct sriovvirt_pci_addr *ret_addr)
{
	*ret_has_vf = args->nr_operands == 2;
	if (!*ret_has_vf)
		return cli_open_pf(cli, args->operands[0], ret_pf);
	return cli_open_vf(cli, args->operands[0], args->operands[1], ret_pf,
			   ret_vf, ret_addr);
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

/* ------------------------------------------------------------------------ */
/* VFIO                                                                     */
/* ------------------------------------------------------------------------ */

static bool has_option(const struct command *cmd, const char *name)
{
	size_t i;

	for (i = 0; i < nr_options(cmd); i++)
		if (!strcmp(cmd->options[i].name, name))
			return true;
	return false;
}

bool cli_wants_vfio(const struct command *cmd, const struct cli_args *args)
{
	return !has_option(cmd, "vfio") || cli_opt(cmd, args, "vfio");
}

int cli_check_vfio_args(struct cli *cli, const struct command *cmd,
			const struct cli_args *args)
{
	const char *token = cli_opt(cmd, args, "vf-token");

	if (!token)
		return EXIT_OK;
	if (!cli_wants_vfio(cmd, args))
		return cli_usage_error(cli, "--vf-token needs --vfio");
	if (!sv_uuid_valid(token))
		return cli_usage_error(cli, "--vf-token '%s' is not a UUID "
				       "(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
				       token);
	return EXIT_OK;
}

int cli_vfio_open(struct cli *cli, const struct command *cmd,
		  const struct cli_args *args, struct sriovvirt_pf *pf,
		  uint16_t vf)
{
	int r;

	if (!cli_wants_vfio(cmd, args))
		return EXIT_OK;
	r = sriovvirt_vf_vfio_open(pf, vf, cli_opt(cmd, args, "vf-token"));
	if (r < 0)
		return cli_fail(cli, r, "%s: VF %u: opening it through VFIO",
				sriovvirt_pf_get_name(pf), vf);
	return EXIT_OK;
}

int cli_open_vf_vfio(struct cli *cli, const struct command *cmd,
		     const struct cli_args *args, struct sriovvirt_pf **ret_pf,
		     uint16_t *ret_vf, struct sriovvirt_pci_addr *ret_addr)
{
	int r;

	r = cli_check_vfio_args(cli, cmd, args);
	if (r == EXIT_OK)
		r = cli_open_vf(cli, args->operands[0], args->operands[1],
				ret_pf, ret_vf, ret_addr);
	if (r != EXIT_OK)
		return r;
	r = cli_vfio_open(cli, cmd, args, *ret_pf, *ret_vf);
	if (r != EXIT_OK)
		sriovvirt_pf_unref(*ret_pf);
	return r;
}

int cli_query_options(struct cli *cli, const struct command *cmd,
		      const struct cli_args *args)
{
	const char *timeout = cli_opt(cmd, args, "query-timeout");
	uint64_t seconds;
	int r;

	if (cli_opt(cmd, args, "force")) {
		if (timeout)
			return cli_usage_error(cli, "--force and --query-timeout "
					       "exclude each other");
		sriovvirt_ctx_set_query_timeout(cli->ctx, 0);
		return EXIT_OK;
	}
	if (!timeout)
		return EXIT_OK;
	r = cli_arg_number(cli, "--query-timeout", timeout, 3600, &seconds);
	if (r == EXIT_OK && seconds == 0)
		r = cli_usage_error(cli, "--query-timeout must be at least 1 "
				    "second (--force skips the question)");
	if (r == EXIT_OK)
		sriovvirt_ctx_set_query_timeout(cli->ctx, (int)seconds * 1000);
	return r;
}

int64_t cli_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int cli_left_ms(int64_t deadline)
{
	int64_t left;

	if (deadline < 0)
		return -1;
	left = deadline - cli_now_ms();
	return left > 0 ? (int)left : 0;
}
