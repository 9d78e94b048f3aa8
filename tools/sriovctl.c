// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sriovctl: manage SR-IOV physical and virtual functions. A thin command-line
 * layer over libsriovvirt's public API: each command parses its arguments,
 * calls the library and prints text for people or JSON for programs.
 */

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "cli.h"

#ifndef SRIOVCTL_VERSION
#define SRIOVCTL_VERSION "unknown"
#endif

const struct command *const command_tables[] = {
	list_commands, vf_commands, net_commands, config_commands,
	device_commands, bar_commands, luid_commands, bind_commands,
	vfio_commands, block_commands, event_commands, apply_commands,
	completion_commands, NULL,
};

static void print_help(FILE *f)
{
	const struct command *c;
	size_t i;

	fputs("Usage: sriovctl [OPTIONS] COMMAND [ARGS...]\n\n"
	      "Manage SR-IOV physical functions (PFs) and their virtual functions (VFs).\n"
	      "PF is a PCI address (DDDD:BB:DD.F or BB:DD.F) or a network interface\n"
	      "name; VF is an index, 0 .. NumVFs-1.\n\n"
	      "Options:\n"
	      "  -j, --json             print JSON instead of text\n"
	      "      --sysfs-root DIR   use DIR instead of /sys (e.g. a copied tree)\n"
	      "      --runtime-dir DIR  keep config blocks and the event socket in DIR\n"
	      "                         (default /run/sriovvirt; 0700, the caller's own)\n"
	      "  -v, --verbose          show the library's messages (twice: debug)\n"
	      "  -h, --help             show this help\n"
	      "  -V, --version          show the version\n\n"
	      "Commands:\n", f);
	for_each_command(c, i)
		fprintf(f, "  %-17s %s\n", c->name, c->summary);
	fputs("\nRun 'sriovctl COMMAND --help' for a command's arguments.\n"
	      "Exit status: 0 success, 1 the operation failed, 2 usage error.\n", f);
}

/*
 * Errors are kept and printed when the command fails (with the library's
 * explanation instead of a bare errno); warnings are printed at once; the
 * rest only with --verbose.
 */
static void log_fn(void *userdata, int priority, const char *file, int line,
		   const char *fn, const char *format, va_list args)
{
	struct cli *cli = userdata;

	(void)file;
	(void)line;
	(void)fn;
	if (priority <= LOG_ERR && cli->nr_errors < CLI_MAX_ERRORS) {
		vsnprintf(cli->errors[cli->nr_errors],
			  sizeof(cli->errors[0]), format, args);
		cli->nr_errors++;
		return;
	}
	if (priority <= LOG_ERR)
		return;
	fputs(priority <= LOG_WARNING ? "sriovctl: warning: " : "sriovctl: ",
	      stderr);
	vfprintf(stderr, format, args);
	fputc('\n', stderr);
}

static int setup_ctx(struct cli *cli, const char *sysfs_root)
{
	int r;

	r = sriovvirt_ctx_new(&cli->ctx);
	if (r < 0) {
		fprintf(stderr, "sriovctl: %s\n", strerror(-r));
		return EXIT_FAILED;
	}
	sriovvirt_ctx_set_log_fn(cli->ctx, log_fn, cli);
	sriovvirt_ctx_set_log_priority(cli->ctx, cli->verbose > 1 ? LOG_DEBUG :
						 cli->verbose ? LOG_INFO :
						 LOG_WARNING);
	if (sysfs_root && sriovvirt_ctx_set_sysfs_root(cli->ctx, sysfs_root) < 0)
		return cli_usage_error(cli, "invalid --sysfs-root '%s'",
				       sysfs_root);
	if (!cli->runtime_dir)
		return EXIT_OK;
	if (cli->runtime_dir[0] != '/')
		return cli_usage_error(cli, "--runtime-dir '%s' must be an "
				       "absolute path", cli->runtime_dir);
	r = sriovvirt_ctx_set_runtime_dir(cli->ctx, cli->runtime_dir);
	return r < 0 ? cli_fail(cli, r, "--runtime-dir %s", cli->runtime_dir)
		     : EXIT_OK;
}

enum { OPT_SYSFS_ROOT = 256, OPT_RUNTIME_DIR };

/*
 * The options before the command. Returns an exit status; EXIT_OK with
 * *@ret_done when --help or --version answered already.
 */
static int parse_global_options(struct cli *cli, int argc, char **argv,
				const char **sysfs_root, bool *ret_done)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "sysfs-root", required_argument, NULL, OPT_SYSFS_ROOT },
		{ "runtime-dir", required_argument, NULL, OPT_RUNTIME_DIR },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	int c;

	*ret_done = false;
	while ((c = getopt_long(argc, argv, "+:jvhV", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			cli->json = true;
			break;
		case OPT_SYSFS_ROOT:
			*sysfs_root = optarg;
			break;
		case OPT_RUNTIME_DIR:
			cli->runtime_dir = optarg;
			break;
		case 'v':
			cli->verbose++;
			break;
		case 'h':
			print_help(stdout);
			*ret_done = true;
			return EXIT_OK;
		case 'V':
			printf("sriovctl %s\n", SRIOVCTL_VERSION);
			*ret_done = true;
			return EXIT_OK;
		case ':':
			return cli_usage_error(cli, "option '%s' needs a value",
					       argv[optind - 1]);
		default:
			return cli_usage_error(cli, "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	return EXIT_OK;
}

/* "sriovctl help [COMMAND]" */
static int run_help(struct cli *cli, int argc, char **argv)
{
	const struct command *cmd;

	if (argc < 2) {
		print_help(stdout);
		return EXIT_OK;
	}
	cmd = cli_find_command(argv[1]);
	if (!cmd)
		return cli_usage_error(cli, "unknown command '%s'", argv[1]);
	cli_print_command_help(cmd, stdout);
	return EXIT_OK;
}

static int run_command(struct cli *cli, const struct command *cmd, int argc,
		       char **argv, const char *sysfs_root)
{
	struct cli_args args;
	bool help;
	int r;

	r = cli_parse(cli, cmd, argc, argv, &args, &help);
	if (r != EXIT_OK)
		return r;
	if (help) {
		cli_print_command_help(cmd, stdout);
		return EXIT_OK;
	}
	r = setup_ctx(cli, sysfs_root);
	if (r == EXIT_OK)
		r = cmd->run(cli, cmd, &args);
	sriovvirt_ctx_unref(cli->ctx);
	return r;
}

int main(int argc, char **argv)
{
	struct cli cli = { 0 };
	const struct command *cmd;
	const char *sysfs_root = NULL;
	bool done;
	int r;

	json_init(&cli.out, stdout);
	r = parse_global_options(&cli, argc, argv, &sysfs_root, &done);
	if (r != EXIT_OK || done)
		return r;
	if (optind >= argc) {
		print_help(stderr);
		return EXIT_USAGE;
	}
	argc -= optind;
	argv += optind;
	if (!strcmp(argv[0], "help"))
		return run_help(&cli, argc, argv);
	cmd = cli_find_command(argv[0]);
	if (!cmd)
		return cli_usage_error(&cli, "unknown command '%s'", argv[0]);
	cli.command = cmd->name;
	r = run_command(&cli, cmd, argc, argv, sysfs_root);
	/* Output that did not reach its file is a failure (a full disk, a
	 * closed pipe), not a success. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "sriovctl: writing the output failed: %s\n",
			strerror(errno));
		return EXIT_FAILED;
	}
	return r;
}
