// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sriovctl config-read and config-write: a VF's config space through sysfs,
 * or with --vfio through its VFIO device.
 */

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

static int parse_target(struct cli *cli, const struct cli_args *args,
			struct config_target *t)
{
	uint64_t offset;
	int r;

	t->pf = args->operands[0];
	r = cli_arg_vf(cli, args->operands[1], &t->vf);
	if (r == EXIT_OK)
		r = cli_arg_number(cli, "offset", args->operands[2],
				   CONFIG_SIZE - 1, &offset);
	if (r == EXIT_OK)
		t->offset = (uint32_t)offset;
	return r;
}

/* The PF, with the VF opened through VFIO for --vfio. */
static int open_target(struct cli *cli, const struct command *cmd,
		       const struct cli_args *args,
		       const struct config_target *t, struct sriovvirt_pf **ret)
{
	int r;

	r = cli_open_pf(cli, t->pf, ret);
	if (r != EXIT_OK)
		return r;
	r = cli_vfio_open(cli, cmd, args, *ret, t->vf);
	if (r != EXIT_OK)
		sriovvirt_pf_unref(*ret);
	return r;
}

struct config_bytes {
	uint32_t offset;
	const uint8_t *bytes;
	size_t length;
};

static void bytes_text(struct cli *cli, const void *data)
{
	const struct config_bytes *b = data;
	size_t i;

	(void)cli;
	for (i = 0; i < b->length; i++) {
		if (i % 16 == 0)
			printf("%s%03zx:", i ? "\n" : "", b->offset + i);
		printf(" %02x", b->bytes[i]);
	}
	if (b->length)
		putchar('\n');
}

static void bytes_json(struct json *j, const void *data)
{
	const struct config_bytes *b = data;
	size_t i;

	json_begin_object(j);
	json_kv_uint(j, "offset", b->offset);
	json_kv_uint(j, "length", b->length);
	json_key(j, "bytes");
	json_begin_array(j);
	for (i = 0; i < b->length; i++)
		json_uint(j, b->bytes[i]);
	json_end_array(j);
	json_end_object(j);
}

static const struct cli_output bytes_output = { bytes_text, bytes_json };

static int do_read(struct cli *cli, const struct command *cmd,
		   const struct cli_args *args, const struct config_target *t,
		   size_t length)
{
	uint8_t buf[CONFIG_SIZE];
	struct config_bytes out = { t->offset, buf, 0 };
	struct sriovvirt_pf *pf;
	int r;

	r = open_target(cli, cmd, args, t, &pf);
	if (r != EXIT_OK)
		return r;
	r = sriovvirt_vf_config_read(pf, t->vf, t->offset, buf, length,
				     &out.length);
	if (r < 0) {
		r = cli_fail(cli, r, "%s: VF %u: config read",
			     sriovvirt_pf_get_name(pf), t->vf);
	} else {
		r = cli_print(cli, &bytes_output, &out);
		if (out.length < length) {
			fprintf(stderr, "sriovctl: %s: VF %u: only %zu of %zu bytes "
				"are readable (reading past 64 bytes needs root)\n",
				sriovvirt_pf_get_name(pf), t->vf, out.length,
				length);
			r = EXIT_FAILED;
		}
	}
	sriovvirt_pf_unref(pf);
	return r;
}

static int run_config_read(struct cli *cli, const struct command *cmd,
			   const struct cli_args *args)
{
	struct config_target t;
	uint64_t length = 4;
	int r;

	r = cli_check_vfio_args(cli, cmd, args);
	if (r == EXIT_OK)
		r = parse_target(cli, args, &t);
	if (r == EXIT_OK && args->nr_operands == 4)
		r = cli_arg_number(cli, "length", args->operands[3], CONFIG_SIZE,
				   &length);
	if (r != EXIT_OK)
		return r;
	if (length == 0 || t.offset + length > CONFIG_SIZE)
		return cli_usage_error(cli, "%llu bytes at offset 0x%x do not "
				       "fit in config space (0..0x%x)",
				       (unsigned long long)length, t.offset,
				       CONFIG_SIZE - 1);
	return do_read(cli, cmd, args, &t, (size_t)length);
}

struct config_written {
	uint32_t offset;
	unsigned int width;
	uint32_t value;
};

static void written_text(struct cli *cli, const void *data)
{
	const struct config_written *w = data;

	(void)cli;
	printf("wrote 0x%0*x to offset 0x%03x\n", (int)w->width * 2, w->value,
	       w->offset);
}

static void written_json(struct json *j, const void *data)
{
	const struct config_written *w = data;

	json_begin_object(j);
	json_kv_uint(j, "offset", w->offset);
	json_kv_uint(j, "width", w->width);
	json_kv_uint(j, "value", w->value);
	json_end_object(j);
}

static const struct cli_output written_output = { written_text, written_json };

static int do_write(struct cli *cli, const struct command *cmd,
		    const struct cli_args *args, const struct config_target *t,
		    const struct config_written *w, unsigned int flags)
{
	struct sriovvirt_pf *pf;
	uint8_t bytes[4];
	unsigned int i;
	int r;

	for (i = 0; i < w->width; i++)
		bytes[i] = (uint8_t)(w->value >> (8 * i));	/* little endian */
	r = open_target(cli, cmd, args, t, &pf);
	if (r != EXIT_OK)
		return r;
	r = sriovvirt_vf_config_write(pf, t->vf, t->offset, bytes, w->width,
				      flags, NULL);
	if (r < 0)
		r = cli_fail(cli, r, "%s: VF %u: config write",
			     sriovvirt_pf_get_name(pf), t->vf);
	else
		r = cli_print(cli, &written_output, w);
	sriovvirt_pf_unref(pf);
	return r;
}

static int parse_width(struct cli *cli, const char *text, unsigned int *ret)
{
	if (!text) {
		*ret = 4;
		return EXIT_OK;
	}
	if (strcmp(text, "1") && strcmp(text, "2") && strcmp(text, "4"))
		return cli_usage_error(cli, "--width must be 1, 2 or 4, not '%s'",
				       text);
	*ret = (unsigned int)(text[0] - '0');
	return EXIT_OK;
}

static int run_config_write(struct cli *cli, const struct command *cmd,
			    const struct cli_args *args)
{
	struct config_written w;
	struct config_target t;
	uint64_t value, max;
	unsigned int flags;
	int r;

	r = parse_width(cli, cli_opt(cmd, args, "width"), &w.width);
	if (r == EXIT_OK)
		r = cli_check_vfio_args(cli, cmd, args);
	if (r != EXIT_OK)
		return r;
	flags = cli_opt(cmd, args, "force") ? SRIOVVIRT_CONFIG_FORCE : 0;
	max = w.width == 4 ? 0xffffffffu : (1u << (8 * w.width)) - 1;
	r = parse_target(cli, args, &t);
	if (r == EXIT_OK)
		r = cli_arg_number(cli, "value", args->operands[3], max, &value);
	if (r != EXIT_OK)
		return r;
	if (t.offset + w.width > CONFIG_SIZE)
		return cli_usage_error(cli, "%u bytes at offset 0x%x do not fit "
				       "in config space", w.width, t.offset);
	w.offset = t.offset;
	w.value = (uint32_t)value;
	return do_write(cli, cmd, args, &t, &w, flags);
}

static const struct cli_option read_options[] = {
	CLI_VFIO_OPTIONS,
	{ 0 },
};

static const struct cli_option write_options[] = {
	{ "width", required_argument, "1|2|4", "bytes to write" },
	{ "force", no_argument, NULL,
	  "write even though a host driver owns the VF" },
	CLI_VFIO_OPTIONS,
	{ 0 },
};

const struct command config_commands[] = {
	{
		.name = "config-read",
		.operands = "PF VF OFFSET [LENGTH]",
		.min_operands = 3,
		.max_operands = 4,
		.options = read_options,
		.summary = "read a VF's config space",
		.help = "Reads LENGTH bytes (default 4) at OFFSET (0..0xfff) of VF's config\n"
			"space through sysfs: the raw hardware view, where a VF's Vendor\n"
			"and Device ID read ffff. Numbers are decimal or 0x-prefixed hex.\n"
			"Without root only the first 64 bytes are readable. With --vfio,\n"
			"through the VF's VFIO device instead: the guest's view, where\n"
			"vfio-pci shows the real IDs and virtualizes the BARs.\n",
		.run = run_config_read,
	},
	{
		.name = "config-write",
		.operands = "PF VF OFFSET VALUE",
		.min_operands = 4,
		.max_operands = 4,
		.options = write_options,
		.summary = "write a VF's config space",
		.help = "Writes VALUE, little endian, WIDTH bytes wide (default 4) at OFFSET\n"
			"of VF's config space through sysfs (needs root). Refused while a\n"
			"host driver other than vfio-pci or pci-stub owns the VF. With\n"
			"--vfio, through the VF's VFIO device: vfio-pci keeps what a guest\n"
			"writes to the BARs to itself and turns a PMCSR write into a real\n"
			"power transition.\n",
		.run = run_config_write,
	},
	{ 0 },
};
