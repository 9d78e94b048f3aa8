// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sriovctl apply FILE|DIR... [--dry-run]: converge PFs to what documents
 * declare (apply-doc.c reads and checks them whole first). The plan is
 * what differs from the host, in a safe order per PF: a VF count change
 * disables first (which asks an attached virtualization stack), then
 * autoprobe, the new count (waiting for the VFs), the VFs' NIC settings
 * (they live in the PF: set before a VF driver probes with its own MAC),
 * then their drivers. A count change makes new VFs whose state is only
 * known once they exist, so their part is planned again then; they are
 * made with autoprobe off, so that no host driver races the plan, and get
 * the drivers declared, after which autoprobe is put back. Nothing that
 * already holds is written: a second run changes nothing.
 */

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"

#define ENABLE_WAIT_MS 30000
#define MAX_CHANGES 4096

enum change_kind {
	CHANGE_DISABLE, CHANGE_AUTOPROBE, CHANGE_ENABLE, CHANGE_BIND,
	CHANGE_UNBIND, CHANGE_NET,
};

static const char *const kind_names[] = {
	"disable", "autoprobe", "enable", "bind", "unbind", "set",
};

struct change {
	enum change_kind kind;
	const struct pf_decl *pf;
	const struct vf_decl *vf;	/* NULL for the PF's */
	unsigned int setting;		/* CHANGE_NET: one SRIOVVIRT_VF_NET_* */
	/* Of VFs a count change is about to make: shown by --dry-run, then
	 * planned again from the VFs as they come (never run as such). */
	bool predicted;
	/* CHANGE_ENABLE: autoprobe to put back once the VFs are set up. */
	bool autoprobe_after;
	char from[SRIOVVIRT_DRIVER_NAME_MAX];
	char to[SRIOVVIRT_DRIVER_NAME_MAX];
};

struct plan {
	struct change changes[MAX_CHANGES];
	size_t count;
};

static struct change *add(struct plan *p, enum change_kind kind,
			  const struct pf_decl *pf, const struct vf_decl *vf)
{
	struct change *c;

	if (p->count == MAX_CHANGES)
		return NULL;
	c = &p->changes[p->count++];
	*c = (struct change){ .kind = kind, .pf = pf, .vf = vf };
	return c;
}

/* ------------------------------------------------------------------------ */
/* What differs                                                             */
/* ------------------------------------------------------------------------ */

static void setting_text(const struct sriovvirt_vf_net *n, unsigned int bit,
			 bool known, char *buf, size_t size)
{
	char tmp[18];

	if (!known) {
		snprintf(buf, size, "?");
		return;
	}
	switch (bit) {
	case SRIOVVIRT_VF_NET_MAC:
		snprintf(buf, size, "%s", cli_mac_format(n->mac, tmp));
		break;
	case SRIOVVIRT_VF_NET_VLAN:
		snprintf(buf, size, "%u qos %u %s", n->vlan, n->qos,
			 cli_vlan_proto_name(n->vlan_proto, tmp));
		break;
	case SRIOVVIRT_VF_NET_SPOOFCHK:
		snprintf(buf, size, "%s", n->spoofchk ? "on" : "off");
		break;
	case SRIOVVIRT_VF_NET_TRUST:
		snprintf(buf, size, "%s", n->trust ? "on" : "off");
		break;
	case SRIOVVIRT_VF_NET_LINK_STATE:
		snprintf(buf, size, "%s", cli_link_state_name(n->link_state, tmp));
		break;
	case SRIOVVIRT_VF_NET_MIN_TX_RATE:
		snprintf(buf, size, "%u", n->min_tx_rate);
		break;
	default:
		snprintf(buf, size, "%u", n->max_tx_rate);
		break;
	}
}

static bool same_setting(const struct sriovvirt_vf_net *a,
			 const struct sriovvirt_vf_net *b, unsigned int bit)
{
	switch (bit) {
	case SRIOVVIRT_VF_NET_MAC:
		return !memcmp(a->mac, b->mac, sizeof(a->mac));
	case SRIOVVIRT_VF_NET_VLAN:
		return a->vlan == b->vlan && a->qos == b->qos &&
		       a->vlan_proto == b->vlan_proto;
	case SRIOVVIRT_VF_NET_SPOOFCHK:
		return a->spoofchk == b->spoofchk;
	case SRIOVVIRT_VF_NET_TRUST:
		return a->trust == b->trust;
	case SRIOVVIRT_VF_NET_LINK_STATE:
		return a->link_state == b->link_state;
	case SRIOVVIRT_VF_NET_MIN_TX_RATE:
		return a->min_tx_rate == b->min_tx_rate;
	default:
		return a->max_tx_rate == b->max_tx_rate;
	}
}

#define RATES (SRIOVVIRT_VF_NET_MIN_TX_RATE | SRIOVVIRT_VF_NET_MAX_TX_RATE)

/* Whether the declared @bits of @want already hold in @now. */
static bool holds(const struct sriovvirt_vf_net *now,
		  const struct sriovvirt_vf_net *want, unsigned int bits)
{
	for (unsigned int bit = 1; bit < SRIOVVIRT_VF_NET_STATS; bit <<= 1) {
		if ((bits & bit) && (!now || !(now->valid & bit) ||
				     !same_setting(now, want, bit)))
			return false;
	}
	return true;
}

static void settings_text(const struct sriovvirt_vf_net *n, unsigned int bits,
			  bool known, char *buf, size_t size)
{
	char min[24], max[24];

	if (bits != RATES) {
		setting_text(n, bits, known, buf, size);
		return;
	}
	setting_text(n, SRIOVVIRT_VF_NET_MIN_TX_RATE, known, min, sizeof(min));
	setting_text(n, SRIOVVIRT_VF_NET_MAX_TX_RATE, known, max, sizeof(max));
	snprintf(buf, size, "%s/%s", min, max);
}

/*
 * @now NULL: the VF does not exist yet, every declared setting is set. The
 * two rates are one change: the kernel sets them together, and a driver
 * may refuse an intermediate pair (min above the old max).
 */
static int plan_net(struct plan *p, const struct pf_decl *pf,
		    const struct vf_decl *vf, const struct sriovvirt_vf_net *now)
{
	static const unsigned int settings[] = {
		SRIOVVIRT_VF_NET_MAC, SRIOVVIRT_VF_NET_VLAN,
		SRIOVVIRT_VF_NET_SPOOFCHK, SRIOVVIRT_VF_NET_TRUST,
		SRIOVVIRT_VF_NET_LINK_STATE, RATES,
	};
	struct change *c;

	for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
		unsigned int bits = vf->net_which & settings[i];

		if (!bits || holds(now, &vf->net, bits))
			continue;
		c = add(p, CHANGE_NET, pf, vf);
		if (!c)
			return -ENOSPC;
		c->setting = bits;
		settings_text(now, bits, now && (now->valid & bits) == bits,
			      c->from, sizeof(c->from));
		settings_text(&vf->net, bits, true, c->to, sizeof(c->to));
	}
	return 0;
}

static int plan_driver(struct plan *p, const struct pf_decl *pf,
		       const struct vf_decl *vf, const char *now)
{
	struct change *c;

	if (!vf->has_driver || (now && !strcmp(now, vf->driver)))
		return 0;
	c = add(p, vf->driver[0] ? CHANGE_BIND : CHANGE_UNBIND, pf, vf);
	if (!c)
		return -ENOSPC;
	snprintf(c->from, sizeof(c->from), "%s", now ? (*now ? now : "none") : "?");
	snprintf(c->to, sizeof(c->to), "%s", vf->driver[0] ? vf->driver : "none");
	return 0;
}

/* The VFs' part; @exist false: they are about to be made. */
static int plan_vfs(struct cli *cli, struct plan *p, const struct pf_decl *pf,
		    bool exist)
{
	struct sriovvirt_vf_info info = { .size = sizeof(info) };
	struct sriovvirt_vf_net net = { .size = sizeof(net) };
	int r = 0;

	size_t first = p->count;

	for (size_t i = 0; r == 0 && i < pf->nr_vfs; i++) {
		const struct vf_decl *vf = &pf->vfs[i];

		if (exist && vf->net_which)
			r = sriovvirt_vf_get_net(pf->pf, vf->index, &net);
		if (r == 0 && vf->net_which)
			r = plan_net(p, pf, vf, exist ? &net : NULL);
		if (r == 0 && exist && vf->has_driver)
			r = sriovvirt_vf_get_info(pf->pf, vf->index, &info);
		if (r == 0)
			r = plan_driver(p, pf, vf, exist && vf->has_driver ?
					info.driver : NULL);
	}
	for (size_t i = first; i < p->count; i++)
		p->changes[i].predicted = !exist;
	if (r < 0)
		return cli_fail(cli, r, "%s", pf->where);
	return EXIT_OK;
}

/* A PF's change: a count, or autoprobe (0 off, 1 on). A plan has room
 * for every PF's three before the VFs' changes fill it. */
static void add_pf_change(struct plan *p, enum change_kind kind,
			  const struct pf_decl *pf, unsigned int from,
			  unsigned int to)
{
	struct change *c = add(p, kind, pf, NULL);
	bool flag = kind == CHANGE_AUTOPROBE;

	if (!c)
		return;
	snprintf(c->from, sizeof(c->from), "%s", flag ? (from ? "on" : "off") : "");
	snprintf(c->to, sizeof(c->to), "%s", flag ? (to ? "on" : "off") : "");
	if (!flag) {
		snprintf(c->from, sizeof(c->from), "%u", from);
		snprintf(c->to, sizeof(c->to), "%u", to);
	}
}

/* The PF's part; *@ret_recount: the VF count changes. */
static int plan_pf(struct cli *cli, struct plan *p, const struct pf_decl *pf,
		   bool *ret_recount)
{
	uint16_t num_vfs = 0;
	bool autoprobe = true;
	int r;

	r = sriovvirt_pf_get_num_vfs(pf->pf, &num_vfs);
	if (r == 0) {
		r = sriovvirt_pf_get_autoprobe(pf->pf, &autoprobe);
		if (r == -EOPNOTSUPP && !pf->has_autoprobe)
			r = 0;		/* a kernel before 4.12: probed */
	}
	if (r < 0)
		return cli_fail(cli, r, "%s", pf->where);
	*ret_recount = pf->has_num_vfs && pf->num_vfs != num_vfs;
	if (*ret_recount && num_vfs)
		add_pf_change(p, CHANGE_DISABLE, pf, num_vfs, 0);
	if (pf->has_autoprobe && pf->autoprobe != autoprobe)
		add_pf_change(p, CHANGE_AUTOPROBE, pf, autoprobe, pf->autoprobe);
	if (*ret_recount && pf->num_vfs) {
		add_pf_change(p, CHANGE_ENABLE, pf, 0, pf->num_vfs);
		if (p->count)
			p->changes[p->count - 1].autoprobe_after =
				pf->has_autoprobe ? pf->autoprobe : autoprobe;
	}
	return EXIT_OK;
}

static int plan_all(struct cli *cli, const struct apply_doc *doc,
		    struct plan *p)
{
	bool recount = false;
	int r = EXIT_OK;

	for (size_t i = 0; r == EXIT_OK && i < doc->nr_pfs; i++) {
		r = plan_pf(cli, p, &doc->pfs[i], &recount);
		if (r == EXIT_OK)
			r = plan_vfs(cli, p, &doc->pfs[i], !recount);
	}
	return r;
}

/* ------------------------------------------------------------------------ */
/* Doing it                                                                 */
/* ------------------------------------------------------------------------ */

static int do_change(const struct change *c)
{
	struct sriovvirt_pf *pf = c->pf->pf;

	switch (c->kind) {
	case CHANGE_DISABLE:
		return sriovvirt_pf_enable_virtualization(pf, 0, false, 0, 0);
	case CHANGE_AUTOPROBE:
		return sriovvirt_pf_set_autoprobe(pf, c->pf->autoprobe);
	case CHANGE_ENABLE:
		return sriovvirt_pf_enable_virtualization(pf, c->pf->num_vfs, true,
			SRIOVVIRT_ENABLE_WAIT |
			(c->autoprobe_after ? SRIOVVIRT_ENABLE_NO_AUTOPROBE : 0),
			ENABLE_WAIT_MS);
	case CHANGE_BIND:
		return sriovvirt_vf_bind(pf, c->vf->index, c->vf->driver);
	case CHANGE_UNBIND:
		return sriovvirt_vf_unbind(pf, c->vf->index);
	default:
		return sriovvirt_vf_set_net(pf, c->vf->index, &c->vf->net,
					    c->setting);
	}
}

static const char *change_what(const struct change *c)
{
	if (c->kind == CHANGE_NET && c->setting == RATES)
		return "min_tx_rate/max_tx_rate";
	if (c->kind == CHANGE_NET)
		return sriovvirt_vf_net_setting_name(c->setting);
	if (c->kind == CHANGE_DISABLE || c->kind == CHANGE_ENABLE)
		return "num_vfs";
	return c->kind == CHANGE_AUTOPROBE ? "autoprobe" : "driver";
}

static void print_change_text(const struct change *c, bool done)
{
	const char *pf = sriovvirt_pf_get_name(c->pf->pf);

	if (c->vf)
		printf("%s VF %u: %s %s -> %s%s\n", pf, c->vf->index,
		       change_what(c), c->from, c->to, done ? "" : " (planned)");
	else
		printf("%s: %s %s -> %s%s\n", pf, change_what(c), c->from, c->to,
		       done ? "" : " (planned)");
}

/* What failed, where it was declared, and the library's reason. */
static int fail_change(struct cli *cli, int err, const struct change *c)
{
	char what[256];

	if (c->vf)
		snprintf(what, sizeof(what), "VF %u: %s %s -> %s", c->vf->index,
			 change_what(c), c->from, c->to);
	else
		snprintf(what, sizeof(what), "%s %s -> %s", change_what(c),
			 c->from, c->to);
	fprintf(stderr, "sriovctl: apply: %s %s failed (declared in %s); "
		"the changes before it stay\n", sriovvirt_pf_get_name(c->pf->pf),
		what, c->vf ? c->vf->where : c->pf->where);
	return cli_fail(cli, err, "%s %s", sriovvirt_pf_get_name(c->pf->pf),
			what);
}

/* Runs @p's changes, recording each in @done; the VFs' part of a PF whose
 * count changed is planned again once the VFs exist. */
static int run_changes(struct cli *cli, const struct plan *p,
		       struct plan *done)
{
	struct plan *again;
	int r;

	for (size_t i = 0; i < p->count; i++) {
		const struct change *c = &p->changes[i];

		if (c->predicted)
			continue;
		r = do_change(c);
		if (r < 0)
			return fail_change(cli, r, c);
		if (done->count < MAX_CHANGES)
			done->changes[done->count++] = *c;
		if (!cli->json)
			print_change_text(c, true);
		if (c->kind != CHANGE_ENABLE)
			continue;
		/* The new VFs' drivers and settings, from what they are now. */
		again = calloc(1, sizeof(*again));
		if (!again)
			return cli_fail(cli, -ENOMEM, "apply");
		r = plan_vfs(cli, again, c->pf, true);
		if (r == EXIT_OK)
			r = run_changes(cli, again, done);
		free(again);
		if (r == EXIT_OK && c->autoprobe_after) {
			r = sriovvirt_pf_set_autoprobe(c->pf->pf, true);
			if (r < 0)
				return fail_change(cli, r, c);
		}
		if (r != EXIT_OK)
			return r;
	}
	return EXIT_OK;
}

static void print_plan_json(struct cli *cli, const struct plan *p, bool done)
{
	struct json *j = &cli->out;

	json_begin_object(j);
	json_kv_bool(j, "dry_run", !done);
	json_kv_bool(j, "changed", done && p->count);
	json_key(j, "changes");
	json_begin_array(j);
	for (size_t i = 0; i < p->count; i++) {
		const struct change *c = &p->changes[i];

		json_begin_object(j);
		json_kv_string(j, "pf", sriovvirt_pf_get_name(c->pf->pf));
		json_key(j, "vf");
		if (c->vf)
			json_uint(j, c->vf->index);
		else
			json_null(j);
		json_kv_string(j, "action", kind_names[c->kind]);
		json_kv_string(j, "setting", change_what(c));
		json_kv_string(j, "from", c->from);
		json_kv_string(j, "to", c->to);
		json_end_object(j);
	}
	json_end_array(j);
	json_end_object(j);
	json_finish(j);
}

static const struct cli_option apply_options[] = {
	{ "dry-run", no_argument, NULL, "print the plan, change nothing" },
	{ "pf", required_argument, "PF",
	  "apply only what is declared for PF (at boot, as its driver binds)" },
	CLI_QUERY_OPTIONS,
	{ 0 },
};

static int run_apply(struct cli *cli, const struct command *cmd,
		     const struct cli_args *args)
{
	const char *only_name = cli_opt(cmd, args, "pf");
	struct sriovvirt_pf *only = NULL;
	struct apply_doc doc;
	struct plan *p, *done;
	int r;

	r = cli_query_options(cli, cmd, args);
	if (r == EXIT_OK && only_name)
		r = cli_open_pf(cli, only_name, &only);
	if (r == EXIT_OK)
		r = apply_doc_read(cli, only, args->operands, args->nr_operands,
				   &doc);
	sriovvirt_pf_unref(only);
	if (r != EXIT_OK)
		return r;
	p = calloc(1, sizeof(*p));
	done = calloc(1, sizeof(*done));
	r = p && done ? plan_all(cli, &doc, p) : cli_fail(cli, -ENOMEM, "apply");
	if (r == EXIT_OK && only_name && !doc.nr_pfs && !cli->json)
		printf("nothing declared for %s\n", only_name);
	else if (r == EXIT_OK && !p->count && !cli->json)
		printf("no change: the host is as declared\n");
	if (r == EXIT_OK && cli_opt(cmd, args, "dry-run")) {
		for (size_t i = 0; !cli->json && i < p->count; i++)
			print_change_text(&p->changes[i], false);
		if (cli->json)
			print_plan_json(cli, p, false);
	} else if (r == EXIT_OK) {
		r = run_changes(cli, p, done);
		/* What changed, also when a change failed (exit 1). */
		if (cli->json && (r == EXIT_OK || r == EXIT_FAILED))
			print_plan_json(cli, done, true);
	}
	free(done);
	free(p);
	apply_doc_free(&doc);
	return r;
}

const struct command apply_commands[] = {
	{
		.name = "apply",
		.operands = "FILE...",
		.min_operands = 1,
		.max_operands = 64,
		.options = apply_options,
		.summary = "converge PFs to what JSON documents declare",
		.help = "Reads each FILE (a directory: its *.json, in name order): a PF\n"
			"object, or an array of them, in the shape `sriovctl --json show`\n"
			"prints (num_vfs, autoprobe, and per VF its driver and NIC\n"
			"settings; the man page has the schema). A document with an\n"
			"unknown field or a bad value, naming a PF that does not exist or\n"
			"more VFs than TotalVFs, is refused whole: nothing changes.\n"
			"Otherwise prints what differs and changes it, in a safe order: a\n"
			"count change disables first (asking an attached virtualization\n"
			"stack; --force does not), then autoprobe, the new count, drivers,\n"
			"NIC settings. A second run changes nothing and says so.\n",
		.run = run_apply,
	},
	{ 0 },
};
