/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sriovctl internals shared by the command files. Public API only. */
#ifndef SRIOVCTL_CLI_H
#define SRIOVCTL_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <sriovvirt.h>

#include "json.h"
#include "parse.h"

/* Exit codes: the sriovctl contract. */
#define EXIT_OK 0
#define EXIT_FAILED 1
#define EXIT_USAGE 2

#define CLI_MAX_ERRORS 4

struct cli {
	struct sriovvirt_ctx *ctx;
	bool json;
	int verbose;
	const char *command;
	/* LOG_ERR messages of the library since the command started. */
	char errors[CLI_MAX_ERRORS][512];
	int nr_errors;
	struct json out;
};

struct option;

struct command {
	const char *name;
	const char *args;	/* synopsis after the name */
	const char *summary;	/* one line */
	const char *help;	/* details: options and arguments */
	int (*run)(struct cli *cli, int argc, char **argv);
};

/* The command tables of each command file. */
extern const struct command list_commands[];
extern const struct command vf_commands[];
extern const struct command config_commands[];
extern const struct command device_commands[];
extern const struct command bar_commands[];
extern const struct command luid_commands[];

/* Usage errors: print to stderr, return EXIT_USAGE. */
int cli_usage_error(struct cli *cli, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * An operation failed with @err (negative errno): print what the library
 * explained, or "@what: strerror" if it explained nothing. Returns EXIT_FAILED.
 */
int cli_fail(struct cli *cli, int err, const char *format, ...)
	__attribute__((format(printf, 3, 4)));

void cli_warn(struct cli *cli, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Parses the command's options: --help/-h, --json, and the extra ones the
 * command has (a getopt_long table terminated by a zero entry, which may be
 * NULL). Returns the getopt result for extra options, -1 at the end,
 * or EXIT_USAGE + 1000 / EXIT_OK + 1000 when the command is done (bad
 * option or --help printed).
 */
#define CLI_DONE(code) (1000 + (code))
int cli_getopt(struct cli *cli, const struct command *cmd, int argc,
	       char **argv, const char *shortopts, const struct option *extra);

void cli_print_command_help(const struct command *cmd, FILE *f);

/* Strict number parsing: decimal, or hex with 0x. 0 or -EINVAL/-ERANGE. */
int cli_parse_number(const char *s, uint64_t max, uint64_t *ret);

/* Argument helpers that print a usage error naming the argument. */
int cli_arg_number(struct cli *cli, const char *name, const char *s,
		   uint64_t max, uint64_t *ret);
int cli_arg_vf(struct cli *cli, const char *s, uint16_t *ret);

/* Opens the PF named by @name; prints the failure. Returns an exit code. */
int cli_open_pf(struct cli *cli, const char *name, struct sriovvirt_pf **ret);

/*
 * Opens PF, checks that VF is enabled and finds the VF's address; prints
 * failures. Returns an exit code.
 */
int cli_open_vf(struct cli *cli, const char *pf_name, const char *vf_text,
		struct sriovvirt_pf **ret_pf, uint16_t *ret_vf,
		struct sriovvirt_pci_addr *ret_addr);

/*
 * The operands "PF [VF]" at argv[optind]: opens the PF and, when a VF operand
 * is there (*@ret_has_vf), checks it as cli_open_vf() does. Returns an exit
 * code.
 */
int cli_open_pf_or_vf(struct cli *cli, int argc, char **argv,
		      struct sriovvirt_pf **ret_pf, bool *ret_has_vf,
		      uint16_t *ret_vf, struct sriovvirt_pci_addr *ret_addr);

/* -1 when the command line has not exactly @min..@max operands left. */
int cli_check_operands(struct cli *cli, const struct command *cmd, int argc,
		       char **argv, int min, int max);

/*
 * For commands without options of their own: handles --help and --json and
 * checks for @min..@max operands. Returns -1 to go on, else the exit code.
 */
int cli_simple_args(struct cli *cli, const struct command *cmd, int argc,
		    char **argv, int min, int max);

const char *cli_bar_type_name(uint8_t type);

#endif /* SRIOVCTL_CLI_H */
