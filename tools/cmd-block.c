// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sriovctl block: the config-block backchannel. read and write are the PF
 * side's ReadVfConfigBlock and WriteVfConfigBlock (--vf-side: the VF
 * side's, VPCI_INTERFACE_STANDARD), invalidate is INVALIDATE_BLOCK, wait
 * is the VF side waiting for invalidations, watch the PF side waiting for
 * the VF side's writes.
 */

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

struct block_view {
	uint16_t vf;
	uint32_t id;
	size_t length;		/* bytes shown or written */
	const uint8_t *bytes;	/* NULL: write */
};

static void block_text(struct cli *cli, const void *data)
{
	const struct block_view *v = data;

	(void)cli;
	if (!v->bytes) {
		printf("VF %u block %u: %zu bytes written\n", v->vf, v->id,
		       v->length);
		return;
	}
	for (size_t i = 0; i < v->length; i++)
		printf("%02x", v->bytes[i]);
	putchar('\n');
}

static void block_json(struct json *j, const void *data)
{
	const struct block_view *v = data;

	json_begin_object(j);
	json_kv_uint(j, "index", v->vf);
	json_kv_uint(j, "id", v->id);
	json_kv_uint(j, "length", v->length);
	if (v->bytes) {
		json_key(j, "bytes");
		json_begin_array(j);
		for (size_t i = 0; i < v->length; i++)
			json_uint(j, v->bytes[i]);
		json_end_array(j);
	}
	json_end_object(j);
}

static const struct cli_output block_output = { block_text, block_json };

struct mask_view {
	uint16_t vf;
	uint64_t mask;
};

static void mask_text(struct cli *cli, const void *data)
{
	const struct mask_view *v = data;

	(void)cli;
	printf("VF %u mask 0x%016llx\n", v->vf, (unsigned long long)v->mask);
	fflush(stdout);
}

static void mask_json(struct json *j, const void *data)
{
	const struct mask_view *v = data;

	json_begin_object(j);
	json_kv_uint(j, "index", v->vf);
	json_kv_uint(j, "mask", v->mask);
	json_end_object(j);
}

static const struct cli_output mask_output = { mask_text, mask_json };

struct masks_view {
	const struct mask_view *items;
	uint16_t count;
};

static void masks_text(struct cli *cli, const void *data)
{
	const struct masks_view *v = data;

	for (uint16_t i = 0; i < v->count; i++)
		mask_text(cli, &v->items[i]);
}

static void masks_json(struct json *j, const void *data)
{
	const struct masks_view *v = data;

	json_begin_array(j);
	for (uint16_t i = 0; i < v->count; i++)
		mask_json(j, &v->items[i]);
	json_end_array(j);
}

static const struct cli_output masks_output = { masks_text, masks_json };

/* "0a0b0c": 1..128 bytes of hex digits, two per byte. */
static int parse_hex(struct cli *cli, const char *s, uint8_t *buf,
		     size_t *ret_len)
{
	size_t n = strlen(s);

	if (n == 0 || n % 2)
		return cli_usage_error(cli, "block data '%s' must be an even "
				       "number of hex digits (e.g. 0a0b0c), "
				       "1 to %d bytes", s,
				       SRIOVVIRT_BLOCK_MAX_SIZE);
	if (n / 2 > SRIOVVIRT_BLOCK_MAX_SIZE)
		return cli_usage_error(cli, "block data is %zu bytes; a block "
				       "holds at most %d", n / 2,
				       SRIOVVIRT_BLOCK_MAX_SIZE);
	/* Digits only: strtoul() alone would take "\t1", "+1" or "-1". */
	if (strspn(s, "0123456789abcdefABCDEF") != n)
		return cli_usage_error(cli, "block data '%s' is not hex digits",
				       s);
	for (size_t i = 0; i < n / 2; i++) {
		char byte[3] = { s[2 * i], s[2 * i + 1], '\0' };

		buf[i] = (uint8_t)strtoul(byte, NULL, 16);
	}
	*ret_len = n / 2;
	return EXIT_OK;
}

static int block_id(struct cli *cli, const char *s, uint32_t *ret)
{
	uint64_t v;
	int r;

	r = cli_arg_number(cli, "block ID", s, UINT32_MAX, &v);
	if (r == EXIT_OK)
		*ret = (uint32_t)v;
	return r;
}

static int operand_count(struct cli *cli, const struct cli_args *args,
			 int min, int max, const char *synopsis)
{
	if (args->nr_operands >= min && args->nr_operands <= max)
		return EXIT_OK;
	return cli_usage_error(cli, "usage: sriovctl block %s", synopsis);
}

/* The VF side of PF VF, for --vf-side and wait. */
static int open_vpci(struct cli *cli, const struct cli_args *args,
		     struct sriovvirt_vpci **ret, uint16_t *ret_vf)
{
	struct sriovvirt_pci_addr addr;
	struct sriovvirt_pf *pf;
	int r;

	r = cli_open_vf(cli, args->operands[1], args->operands[2], &pf, ret_vf,
			&addr);
	if (r != EXIT_OK)
		return r;
	sriovvirt_pf_unref(pf);
	r = sriovvirt_vpci_open(cli->ctx, args->operands[1], *ret_vf, ret);
	return r < 0 ? cli_fail(cli, r, "%s: VF %u", args->operands[1],
				*ret_vf)
		     : EXIT_OK;
}

/* PF VF as the PF side (a PF handle) or, with --vf-side, the VF side. */
static int open_side(struct cli *cli, const struct command *cmd,
		     const struct cli_args *args, struct sriovvirt_pf **ret_pf,
		     struct sriovvirt_vpci **ret_vpci, uint16_t *ret_vf)
{
	struct sriovvirt_pci_addr addr;

	if (cli_opt(cmd, args, "vf-side"))
		return open_vpci(cli, args, ret_vpci, ret_vf);
	return cli_open_vf(cli, args->operands[1], args->operands[2], ret_pf,
			   ret_vf, &addr);
}

static int block_read(struct cli *cli, const struct command *cmd,
		      const struct cli_args *args)
{
	uint8_t buf[SRIOVVIRT_BLOCK_MAX_SIZE];
	struct block_view v = { .bytes = buf };
	struct sriovvirt_vpci *vpci = NULL;
	struct sriovvirt_pf *pf = NULL;
	uint64_t size = SRIOVVIRT_BLOCK_MAX_SIZE;
	int r;

	r = operand_count(cli, args, 4, 5, "read PF VF ID [LENGTH]");
	if (r == EXIT_OK)
		r = block_id(cli, args->operands[3], &v.id);
	if (r == EXIT_OK && args->nr_operands == 5)
		r = cli_arg_number(cli, "LENGTH", args->operands[4],
				   SRIOVVIRT_BLOCK_MAX_SIZE, &size);
	if (r == EXIT_OK && size == 0)
		r = cli_usage_error(cli, "LENGTH must be 1 to %d",
				    SRIOVVIRT_BLOCK_MAX_SIZE);
	if (r == EXIT_OK)
		r = open_side(cli, cmd, args, &pf, &vpci, &v.vf);
	if (r != EXIT_OK)
		return r;
	r = vpci ? sriovvirt_vpci_read_block(vpci, v.id, buf, size, &v.length)
		 : sriovvirt_vf_read_block(pf, v.vf, v.id, buf, size,
					   &v.length);
	if (r < 0) {
		r = cli_fail(cli, r, "%s: VF %u: reading block %u",
			     args->operands[1], v.vf, v.id);
	} else {
		if (v.length > size) {
			cli_warn(cli, "block %u holds %zu bytes; showing the "
				 "first %llu", v.id, v.length,
				 (unsigned long long)size);
			v.length = size;
		}
		r = cli_print(cli, &block_output, &v);
	}
	sriovvirt_vpci_unref(vpci);
	sriovvirt_pf_unref(pf);
	return r;
}

static int block_write(struct cli *cli, const struct command *cmd,
		       const struct cli_args *args)
{
	uint8_t buf[SRIOVVIRT_BLOCK_MAX_SIZE];
	struct block_view v = { 0 };
	struct sriovvirt_vpci *vpci = NULL;
	struct sriovvirt_pf *pf = NULL;
	int r;

	r = operand_count(cli, args, 5, 5, "write PF VF ID HEX");
	if (r == EXIT_OK)
		r = block_id(cli, args->operands[3], &v.id);
	if (r == EXIT_OK)
		r = parse_hex(cli, args->operands[4], buf, &v.length);
	if (r == EXIT_OK)
		r = open_side(cli, cmd, args, &pf, &vpci, &v.vf);
	if (r != EXIT_OK)
		return r;
	r = vpci ? sriovvirt_vpci_write_block(vpci, v.id, buf, v.length)
		 : sriovvirt_vf_write_block(pf, v.vf, v.id, buf, v.length);
	r = r < 0 ? cli_fail(cli, r, "%s: VF %u: writing block %u",
			     args->operands[1], v.vf, v.id)
		  : cli_print(cli, &block_output, &v);
	sriovvirt_vpci_unref(vpci);
	sriovvirt_pf_unref(pf);
	return r;
}

static int block_invalidate(struct cli *cli, const struct cli_args *args)
{
	struct mask_view *items = NULL;
	struct sriovvirt_pci_addr addr;
	struct sriovvirt_pf *pf;
	bool all;
	uint16_t vf = 0, count = 1;
	uint64_t mask;
	int r;

	r = operand_count(cli, args, 4, 4, "invalidate PF VF|all MASK");
	if (r == EXIT_OK)
		r = cli_arg_number(cli, "MASK", args->operands[3], UINT64_MAX,
				   &mask);
	if (r == EXIT_OK && mask == 0)
		r = cli_usage_error(cli, "MASK must have at least one bit set "
				    "(bit n: block ID n, 0..63)");
	if (r != EXIT_OK)
		return r;
	all = !strcmp(args->operands[2], "all");
	r = all ? cli_open_pf(cli, args->operands[1], &pf)
		: cli_open_vf(cli, args->operands[1], args->operands[2], &pf,
			      &vf, &addr);
	if (r != EXIT_OK)
		return r;
	if (all)
		r = sriovvirt_pf_get_num_vfs(pf, &count);
	if (r == 0)
		r = sriovvirt_pf_invalidate_blocks(pf, all ? SRIOVVIRT_ALL_VFS
							   : vf, mask);
	if (r == 0)
		items = calloc(count, sizeof(*items));
	if (r == 0 && !items)
		r = -ENOMEM;
	if (r < 0) {
		r = cli_fail(cli, r, "%s: invalidating blocks",
			     sriovvirt_pf_get_name(pf));
	} else {
		for (uint16_t i = 0; i < count; i++)
			items[i] = (struct mask_view){ all ? i : vf, mask };
		r = all ? cli_print(cli, &masks_output,
				    &(struct masks_view){ items, count })
			: cli_print(cli, &mask_output, &items[0]);
	}
	free(items);
	sriovvirt_pf_unref(pf);
	return r;
}

static int loop_options(struct cli *cli, const struct command *cmd,
			const struct cli_args *args, int64_t *ret_deadline,
			uint64_t *ret_count)
{
	const char *timeout = cli_opt(cmd, args, "timeout");
	const char *count = cli_opt(cmd, args, "count");
	uint64_t seconds;
	int r = EXIT_OK;

	*ret_deadline = -1;
	*ret_count = 0;
	if (timeout) {
		r = cli_arg_number(cli, "--timeout", timeout, 86400, &seconds);
		if (r == EXIT_OK)
			*ret_deadline = cli_now_ms() + (int64_t)seconds * 1000;
	}
	if (r == EXIT_OK && count)
		r = cli_arg_number(cli, "--count", count, UINT32_MAX, ret_count);
	/* 0 is how the loops spell "no limit": not what --count 0 asks. */
	if (r == EXIT_OK && count && *ret_count == 0)
		r = cli_usage_error(cli, "--count must be at least 1");
	return r;
}

/* VF side: print and drain each accumulated mask, until done. */
static int block_wait(struct cli *cli, const struct command *cmd,
		      const struct cli_args *args)
{
	struct sriovvirt_vpci *vpci;
	struct mask_view v;
	uint64_t count, seen = 0;
	int64_t deadline;
	int r;

	r = operand_count(cli, args, 3, 3, "wait PF VF");
	if (r == EXIT_OK)
		r = loop_options(cli, cmd, args, &deadline, &count);
	if (r == EXIT_OK)
		r = open_vpci(cli, args, &vpci, &v.vf);
	if (r != EXIT_OK)
		return r;
	cli->out.compact = true;	/* one JSON object per line */
	fprintf(stderr, "sriovctl: waiting for invalidations of %s VF %u\n",
		args->operands[1], v.vf);
	while (!count || seen < count) {
		r = sriovvirt_vpci_wait_invalidate(vpci, cli_left_ms(deadline),
						   &v.mask);
		if (r == -ETIMEDOUT || r == -EAGAIN) {
			r = 0;
			break;
		}
		if (r < 0)
			break;
		cli_print(cli, &mask_output, &v);
		seen++;
	}
	sriovvirt_vpci_unref(vpci);
	return r < 0 ? cli_fail(cli, r, "%s: VF %u: waiting",
				args->operands[1], v.vf)
		     : EXIT_OK;
}

static void write_text(struct cli *cli, const void *data)
{
	const struct block_view *v = data;

	(void)cli;
	if (v->vf == SRIOVVIRT_ALL_VFS)
		printf("notifications were lost: re-read every block\n");
	else
		printf("VF %u wrote block %u\n", v->vf, v->id);
	fflush(stdout);
}

static void write_json(struct json *j, const void *data)
{
	const struct block_view *v = data;

	json_begin_object(j);
	json_key(j, "index");
	if (v->vf == SRIOVVIRT_ALL_VFS)
		json_null(j);
	else
		json_uint(j, v->vf);
	json_kv_uint(j, "id", v->id);
	json_end_object(j);
}

static const struct cli_output write_output = { write_text, write_json };

/* PF side: print each block the VF side writes, until done. */
static int block_watch(struct cli *cli, const struct command *cmd,
		       const struct cli_args *args)
{
	struct block_view v = { 0 };
	struct sriovvirt_pf *pf;
	uint64_t count, seen = 0;
	int64_t deadline;
	int fd, r;

	r = operand_count(cli, args, 2, 2, "watch PF");
	if (r == EXIT_OK)
		r = loop_options(cli, cmd, args, &deadline, &count);
	if (r == EXIT_OK)
		r = cli_open_pf(cli, args->operands[1], &pf);
	if (r != EXIT_OK)
		return r;
	cli->out.compact = true;	/* one JSON object per line */
	r = sriovvirt_pf_watch_blocks(pf, &fd);
	if (r == 0)
		fprintf(stderr, "sriovctl: watching blocks of %s\n",
			sriovvirt_pf_get_name(pf));
	while (r == 0 && (!count || seen < count)) {
		int left = cli_left_ms(deadline);

		if (left == 0)
			break;
		r = poll(&(struct pollfd){ .fd = fd, .events = POLLIN }, 1, left);
		if (r < 0) {
			r = errno == EINTR ? 0 : -errno;
			continue;
		}
		while ((!count || seen < count) &&
		       (r = sriovvirt_pf_next_block_write(pf, &v.vf, &v.id)) == 0) {
			cli_print(cli, &write_output, &v);
			seen++;
		}
		if (r == -EAGAIN)
			r = 0;
	}
	if (r < 0)
		r = cli_fail(cli, r, "%s: watching blocks",
			     sriovvirt_pf_get_name(pf));
	sriovvirt_pf_unref(pf);
	return r;
}

/* Options that mean nothing for @action are usage errors, not ignored. */
static int check_options(struct cli *cli, const struct command *cmd,
			 const struct cli_args *args, const char *action)
{
	bool loops = !strcmp(action, "wait") || !strcmp(action, "watch");
	bool rw = !strcmp(action, "read") || !strcmp(action, "write");

	if (cli_opt(cmd, args, "vf-side") && !rw)
		return cli_usage_error(cli, "--vf-side is for block read and "
				       "write");
	if ((cli_opt(cmd, args, "timeout") || cli_opt(cmd, args, "count")) &&
	    !loops)
		return cli_usage_error(cli, "--timeout and --count are for "
				       "block wait and watch");
	return EXIT_OK;
}

static int run_block(struct cli *cli, const struct command *cmd,
		     const struct cli_args *args)
{
	const char *action = args->operands[0];
	int r;

	r = check_options(cli, cmd, args, action);
	if (r != EXIT_OK)
		return r;

	if (!strcmp(action, "read"))
		return block_read(cli, cmd, args);
	if (!strcmp(action, "write"))
		return block_write(cli, cmd, args);
	if (!strcmp(action, "invalidate"))
		return block_invalidate(cli, args);
	if (!strcmp(action, "wait"))
		return block_wait(cli, cmd, args);
	if (!strcmp(action, "watch"))
		return block_watch(cli, cmd, args);
	return cli_usage_error(cli, "unknown block action '%s' (read, write, "
			       "invalidate, wait, watch)", action);
}

static const struct cli_option block_options[] = {
	{ "vf-side", no_argument, NULL,
	  "read or write as the VF's holder (VPCI); a\n"
	  "VF-side write is reported to 'block watch'" },
	{ "timeout", required_argument, "SECONDS",
	  "wait, watch: stop after SECONDS" },
	{ "count", required_argument, "N",
	  "wait, watch: stop after N lines" },
	{ 0 },
};

const struct command block_commands[] = {
	{
		.name = "block",
		.operands = "read|write|invalidate|wait|watch PF [VF] [ID] [DATA]",
		.min_operands = 2,
		.max_operands = 5,
		.options = block_options,
		.summary = "config blocks: read, write, invalidate, wait, watch",
		.help = "The PF/VF config-block backchannel (1 to 128 bytes per block, 32-bit\n"
			"IDs), shared by every process of the user:\n"
			"  block read PF VF ID [LENGTH]     ReadVfConfigBlock (LENGTH default 128)\n"
			"  block write PF VF ID HEX         WriteVfConfigBlock, e.g. HEX 0a0b0c\n"
			"  block invalidate PF VF|all MASK  INVALIDATE_BLOCK: OR MASK (bit n:\n"
			"                                   block n) into the VF's pending mask\n"
			"  block wait PF VF                 VF side: print and drain the mask,\n"
			"                                   once per invalidation, until SIGINT\n"
			"  block watch PF                   PF side: print each block the VF\n"
			"                                   side writes\n"
			"A VF disabled and enabled again starts with no blocks.\n",
		.run = run_block,
	},
	{ 0 },
};
