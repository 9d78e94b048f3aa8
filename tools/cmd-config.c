// SPDX-License-Identifier: GPL-2.0-or-later
/* sriovctl config-read and config-write: a VF's config space through sysfs. */

#include <errno.h>
#include <getopt.h>
#include <string.h>

#include "cli.h"

#define CONFIG_SIZE SRIOVVIRT_CONFIG_SPACE_SIZE

/* PF VF OFFSET: the operands both commands start with. */
struct config_target {
	const char *pf;
	uint16_t vf;
	uint32_t offset;
};

static int parse_target(struct cli *cli, char **argv, struct config_target *t)
{
	uint64_t offset;
	int r;

	t->pf = argv[optind];
	r = cli_arg_vf(cli, argv[optind + 1], &t->vf);
	if (r == EXIT_OK)
		r = cli_arg_number(cli, "offset", argv[optind + 2],
				   CONFIG_SIZE - 1, &offset);
	if (r == EXIT_OK)
		t->offset = (uint32_t)offset;
	return r;
}

static void print_bytes(struct cli *cli, uint32_t offset, const uint8_t *buf,
			size_t len)
{
	size_t i;

	if (cli->json) {
		json_begin_object(&cli->out);
		json_kv_uint(&cli->out, "offset", offset);
		json_kv_uint(&cli->out, "length", len);
		json_key(&cli->out, "bytes");
		json_begin_array(&cli->out);
		for (i = 0; i < len; i++)
			json_uint(&cli->out, buf[i]);
		json_end_array(&cli->out);
		json_end_object(&cli->out);
		json_finish(&cli->out);
		return;
	}
	for (i = 0; i < len; i++) {
		if (i % 16 == 0)
			printf("%s%03zx:", i ? "\n" : "", offset + i);
		printf(" %02x", buf[i]);
	}
	if (len)
		putchar('\n');
}

static int do_read(struct cli *cli, const struct config_target *t, size_t length)
{
	uint8_t buf[CONFIG_SIZE];
	struct sriovvirt_pf *pf;
	size_t got = 0;
	int r;

	r = cli_open_pf(cli, t->pf, &pf);
	if (r != EXIT_OK)
		return r;
	r = sriovvirt_vf_config_read(pf, t->vf, t->offset, buf, length, &got);
	if (r < 0) {
		r = cli_fail(cli, r, "%s: VF %u: config read",
			     sriovvirt_pf_get_name(pf), t->vf);
	} else {
		print_bytes(cli, t->offset, buf, got);
		r = EXIT_OK;
		if (got < length) {
			fprintf(stderr, "sriovctl: %s: VF %u: only %zu of %zu bytes "
				"are readable (reading past 64 bytes needs root)\n",
				sriovvirt_pf_get_name(pf), t->vf, got, length);
			r = EXIT_FAILED;
		}
	}
	sriovvirt_pf_unref(pf);
	return r;
}

static int run_config_read(struct cli *cli, int argc, char **argv)
{
	struct config_target t;
	uint64_t length = 4;
	int r;

	r = cli_simple_args(cli, &config_commands[0], argc, argv, 3, 4);
	if (r >= 0)
		return r;
	r = parse_target(cli, argv, &t);
	if (r == EXIT_OK && argc - optind == 4)
		r = cli_arg_number(cli, "length", argv[optind + 3], CONFIG_SIZE,
				   &length);
	if (r != EXIT_OK)
		return r;
	if (length == 0 || t.offset + length > CONFIG_SIZE)
		return cli_usage_error(cli, "%llu bytes at offset 0x%x do not "
				       "fit in config space (0..0x%x)",
				       (unsigned long long)length, t.offset,
				       CONFIG_SIZE - 1);
	return do_read(cli, &t, (size_t)length);
}

enum { OPT_WIDTH = 256, OPT_FORCE };

struct write_options {
	unsigned int width;
	unsigned int flags;
};

static int parse_write_options(struct cli *cli, int argc, char **argv,
			       struct write_options *o)
{
	static const struct option extra[] = {
		{ "width", required_argument, NULL, OPT_WIDTH },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ 0 },
	};
	int c;

	o->width = 4;
	o->flags = 0;
	while ((c = cli_getopt(cli, &config_commands[1], argc, argv, NULL,
			       extra)) != -1) {
		if (c >= CLI_DONE(0))
			return c - CLI_DONE(0);
		if (c == OPT_FORCE) {
			o->flags |= SRIOVVIRT_CONFIG_FORCE;
		} else if (!strcmp(optarg, "1") || !strcmp(optarg, "2") ||
			   !strcmp(optarg, "4")) {
			o->width = (unsigned int)(optarg[0] - '0');
		} else {
			return cli_usage_error(cli, "--width must be 1, 2 or 4, "
					       "not '%s'", optarg);
		}
	}
	return -1;
}

static void print_written(struct cli *cli, const struct config_target *t,
			  unsigned int width, uint32_t value)
{
	if (cli->json) {
		json_begin_object(&cli->out);
		json_kv_uint(&cli->out, "offset", t->offset);
		json_kv_uint(&cli->out, "width", width);
		json_kv_uint(&cli->out, "value", value);
		json_end_object(&cli->out);
		json_finish(&cli->out);
	} else {
		printf("wrote 0x%0*x to offset 0x%03x\n", (int)width * 2, value,
		       t->offset);
	}
}

static int do_write(struct cli *cli, const struct config_target *t,
		    const struct write_options *o, uint32_t value)
{
	struct sriovvirt_pf *pf;
	uint8_t bytes[4];
	unsigned int i;
	int r;

	for (i = 0; i < o->width; i++)
		bytes[i] = (uint8_t)(value >> (8 * i));	/* little endian */
	r = cli_open_pf(cli, t->pf, &pf);
	if (r != EXIT_OK)
		return r;
	r = sriovvirt_vf_config_write(pf, t->vf, t->offset, bytes, o->width,
				      o->flags, NULL);
	if (r < 0) {
		r = cli_fail(cli, r, "%s: VF %u: config write",
			     sriovvirt_pf_get_name(pf), t->vf);
	} else {
		print_written(cli, t, o->width, value);
		r = EXIT_OK;
	}
	sriovvirt_pf_unref(pf);
	return r;
}

static int run_config_write(struct cli *cli, int argc, char **argv)
{
	struct write_options o;
	struct config_target t;
	uint64_t value, max;
	int r;

	r = parse_write_options(cli, argc, argv, &o);
	if (r >= 0)
		return r;
	if (cli_check_operands(cli, &config_commands[1], argc, argv, 4, 4) < 0)
		return EXIT_USAGE;
	max = o.width == 4 ? 0xffffffffu : (1u << (8 * o.width)) - 1;
	r = parse_target(cli, argv, &t);
	if (r == EXIT_OK)
		r = cli_arg_number(cli, "value", argv[optind + 3], max, &value);
	if (r != EXIT_OK)
		return r;
	if (t.offset + o.width > CONFIG_SIZE)
		return cli_usage_error(cli, "%u bytes at offset 0x%x do not fit "
				       "in config space", o.width, t.offset);
	return do_write(cli, &t, &o, (uint32_t)value);
}

const struct command config_commands[] = {
	{
		.name = "config-read",
		.args = "PF VF OFFSET [LENGTH]",
		.summary = "read a VF's config space",
		.help = "Reads LENGTH bytes (default 4) at OFFSET (0..0xfff) of VF's config\n"
			"space through sysfs: the raw hardware view, where a VF's Vendor\n"
			"and Device ID read ffff. Numbers are decimal or 0x-prefixed hex.\n"
			"Without root only the first 64 bytes are readable.\n",
		.run = run_config_read,
	},
	{
		.name = "config-write",
		.args = "PF VF OFFSET VALUE [--width 1|2|4] [--force]",
		.summary = "write a VF's config space",
		.help = "Writes VALUE, little endian, WIDTH bytes wide (default 4) at OFFSET\n"
			"of VF's config space through sysfs (needs root). Refused while a\n"
			"host driver other than vfio-pci or pci-stub owns the VF.\n"
			"\n"
			"      --width 1|2|4  bytes to write\n"
			"      --force        write even though a host driver owns the VF\n",
		.run = run_config_write,
	},
	{ 0 },
};
