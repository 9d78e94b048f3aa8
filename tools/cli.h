/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sriovctl internals shared by the command files. Public API only.
 *
 * Conventions:
 * - A command is a struct command in its file's table: its operands and
 *   options are data, from which the parser, --help and the shell
 *   completion are made. run() receives its own entry and the parsed
 *   arguments.
 * - Every helper returns an exit status: EXIT_OK means "go on", anything
 *   else ends the command with that status, its message already printed.
 * - Output goes through cli_print() with a struct cli_output: one function
 *   for people, one for JSON, chosen in one place.
 */
#ifndef SRIOVCTL_CLI_H
#define SRIOVCTL_CLI_H

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
#define CLI_MAX_OPTIONS 8

struct cli {
	struct sriovvirt_ctx *ctx;
	bool json;
	int verbose;
	const char *command;
	const char *runtime_dir;	/* --runtime-dir, or NULL */
	/* LOG_ERR messages of the library since the command started. */
	char errors[CLI_MAX_ERRORS][512];
	int nr_errors;
	struct json out;
};

/* A command's option; the table ends with an entry without a name. */
struct cli_option {
	const char *name;	/* long name, without "--" */
	int has_arg;		/* getopt's no_argument, required_argument, ... */
	/* Its value's name in help, "SECONDS"; or the values it takes, "1|2|4"
	 * (which completion then offers). */
	const char *arg;
	const char *help;	/* what it does */
};

/*
 * A SETTING VALUE operand pair of a command that takes them (vf-set); the
 * table ends with an entry without a name. Its help lists them, and
 * completion offers the names and the values of a choice.
 */
struct cli_setting {
	const char *name;
	/* Its value's name in help, "N"; or the values it takes, "on|off"
	 * (which completion then offers). */
	const char *arg;
	const char *help;
};

/* What the parser found on a command's command line. */
struct cli_args {
	char **operands;
	int nr_operands;
	/* By option table index: the value, "" for a flag; NULL if absent. */
	const char *values[CLI_MAX_OPTIONS];
};

struct command {
	const char *name;
	/*
	 * The operands, as the synopsis shows them: "PF VF [STATE]". A word
	 * in capitals names a kind of operand (PF, VF, STATE: completion
	 * knows them); "[...]" marks the optional ones at the end, and
	 * "[...]..." a group that may repeat (SETTING VALUE pairs).
	 */
	const char *operands;
	int min_operands;
	int max_operands;
	const struct cli_option *options;	/* may be NULL */
	/* The SETTING VALUE pairs it takes, or NULL. */
	const struct cli_setting *settings;
	const char *summary;	/* one line */
	const char *help;	/* what it does, in more lines */
	int (*run)(struct cli *cli, const struct command *cmd,
		   const struct cli_args *args);
};

/* The command tables of each command file, and all of them. */
extern const struct command list_commands[];
extern const struct command vf_commands[];
extern const struct command net_commands[];
extern const struct command apply_commands[];
extern const struct command config_commands[];
extern const struct command device_commands[];
extern const struct command bar_commands[];
extern const struct command luid_commands[];
extern const struct command bind_commands[];
extern const struct command vfio_commands[];
extern const struct command block_commands[];
extern const struct command event_commands[];
extern const struct command completion_commands[];
extern const struct command *const command_tables[];

#define for_each_command(c, i)                                                 \
	for ((i) = 0; command_tables[i]; (i)++)                                \
		for ((c) = command_tables[i]; (c)->name; (c)++)

const struct command *cli_find_command(const char *name);

/*
 * Parses a command's options and operands into @args (--help prints the
 * command's help and returns EXIT_OK with @ret_help set).
 */
int cli_parse(struct cli *cli, const struct command *cmd, int argc,
	      char **argv, struct cli_args *args, bool *ret_help);
void cli_print_command_help(const struct command *cmd, FILE *f);

/* The value of option @name, "" for a flag; NULL if not given. */
const char *cli_opt(const struct command *cmd, const struct cli_args *args,
		    const char *name);

/* Printed output: text for people or JSON, chosen here and nowhere else. */
struct cli_output {
	void (*text)(struct cli *cli, const void *data);
	void (*json)(struct json *j, const void *data);
};

int cli_print(struct cli *cli, const struct cli_output *out, const void *data);

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

/* Argument helpers that print a usage error naming the argument. */
int cli_arg_number(struct cli *cli, const char *name, const char *s,
		   uint64_t max, uint64_t *ret);
int cli_arg_vf(struct cli *cli, const char *s, uint16_t *ret);

/* Opens the PF named by @name; prints the failure. */
int cli_open_pf(struct cli *cli, const char *name, struct sriovvirt_pf **ret);

/* Opens PF, checks that VF is enabled and finds its address. */
int cli_open_vf(struct cli *cli, const char *pf_name, const char *vf_text,
		struct sriovvirt_pf **ret_pf, uint16_t *ret_vf,
		struct sriovvirt_pci_addr *ret_addr);

/*
 * The operands "PF [VF]": opens the PF and, when a VF operand is there
 * (*@ret_has_vf), checks it as cli_open_vf() does.
 */
int cli_open_pf_or_vf(struct cli *cli, const struct cli_args *args,
		      struct sriovvirt_pf **ret_pf, bool *ret_has_vf,
		      uint16_t *ret_vf, struct sriovvirt_pci_addr *ret_addr);

const char *cli_bar_type_name(uint8_t type);

/*
 * A VF's NIC settings (cmd-net.c; vf-set and show print them alike): the
 * JSON members "mac" to "stats", each null unless its bit is in
 * @net->valid; a text table of them, one row per VF.
 */
void cli_json_vf_net(struct json *j, const struct sriovvirt_vf_net *net);
void cli_text_vf_net_header(void);
/* The NIC settings' names and values, as vf-set, show and apply spell them;
 * the parsers return 0 or -EINVAL and print nothing. */
const char *cli_mac_format(const uint8_t mac[6], char buf[18]);
int cli_mac_parse(const char *s, uint8_t mac[6]);
const char *cli_vlan_proto_name(uint16_t proto, char buf[8]);
int cli_vlan_proto_parse(const char *s, uint16_t *ret);
const char *cli_link_state_name(uint32_t state, char buf[12]);
int cli_link_state_parse(const char *s, uint32_t *ret);
void cli_text_vf_net_row(uint16_t index, const struct sriovvirt_vf_net *net);

/*
 * Going through VFIO: the options of the commands that can (--vfio,
 * --vf-token) or must (--vf-token alone), listed in their option tables as
 * CLI_VFIO_OPTIONS or CLI_VF_TOKEN_OPTION.
 */
#define CLI_VF_TOKEN_OPTION                                                    \
	{ "vf-token", required_argument, "UUID",                               \
	  "the VF token, when the PF is bound to vfio-pci" }
#define CLI_VFIO_OPTIONS                                                       \
	{ "vfio", no_argument, NULL,                                           \
	  "go through the VF's VFIO device (bound to vfio-pci)" },             \
	CLI_VF_TOKEN_OPTION

/* Checks --vf-token (a UUID; with --vfio where the command has it). */
int cli_check_vfio_args(struct cli *cli, const struct command *cmd,
			const struct cli_args *args);

/* True if the command goes through VFIO: it must, or --vfio was given. */
bool cli_wants_vfio(const struct command *cmd, const struct cli_args *args);

/* Opens VF @vf through VFIO in @pf when cli_wants_vfio(); prints failures. */
int cli_vfio_open(struct cli *cli, const struct command *cmd,
		  const struct cli_args *args, struct sriovvirt_pf *pf,
		  uint16_t vf);

/* cli_open_vf() on the operands PF VF, after checking the VFIO options,
 * then cli_vfio_open(). */
int cli_open_vf_vfio(struct cli *cli, const struct command *cmd,
		     const struct cli_args *args, struct sriovvirt_pf **ret_pf,
		     uint16_t *ret_vf, struct sriovvirt_pci_addr *ret_addr);

/*
 * The options of the commands that ask an attached virtualization stack
 * first (disable, bind, unbind): --force skips the question,
 * --query-timeout bounds the wait for its answer.
 */
#define CLI_QUERY_OPTIONS                                                      \
	{ "force", no_argument, NULL,                                          \
	  "do not ask an attached virtualization stack" },                     \
	{ "query-timeout", required_argument, "SECONDS",                       \
	  "how long to wait for its answer (default 10)" }

/* The monotonic clock in ms, and what is left to @deadline of it: -1 for
 * no deadline (a negative one), 0 once it passed. For --timeout loops. */
int64_t cli_now_ms(void);
int cli_left_ms(int64_t deadline);

/* Applies CLI_QUERY_OPTIONS to the context. */
int cli_query_options(struct cli *cli, const struct command *cmd,
		      const struct cli_args *args);

#endif /* SRIOVCTL_CLI_H */
