// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sriovctl vf-set: what a PF's network driver keeps for each of its VFs
 * (MAC, VLAN, spoof checking, trust, link state, TX rates), set as
 * `ip link set DEV vf N ...` sets it, with iproute2's names; and the
 * printing of those settings, which show shares.
 */

#include <errno.h>
#include <limits.h>
#include <linux/if_ether.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

/* ------------------------------------------------------------------------ */
/* Printing: shared with show                                               */
/* ------------------------------------------------------------------------ */

const char *cli_mac_format(const uint8_t mac[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
		 mac[2], mac[3], mac[4], mac[5]);
	return buf;
}

/* "802.1Q", "802.1ad", or any other protocol number in hex. */
const char *cli_vlan_proto_name(uint16_t proto, char buf[8])
{
	if (proto == ETH_P_8021Q)
		return "802.1Q";
	if (proto == ETH_P_8021AD)
		return "802.1ad";
	snprintf(buf, 8, "0x%04x", proto);
	return buf;
}

static const char *const link_state_names[] = {
	[SRIOVVIRT_VF_LINK_STATE_AUTO] = "auto",
	[SRIOVVIRT_VF_LINK_STATE_ENABLE] = "enable",
	[SRIOVVIRT_VF_LINK_STATE_DISABLE] = "disable",
};

/* The state's name, or its number for one this sriovctl does not know. */
const char *cli_link_state_name(uint32_t state, char buf[12])
{
	if (state < sizeof(link_state_names) / sizeof(link_state_names[0]))
		return link_state_names[state];
	snprintf(buf, 12, "%u", state);
	return buf;
}

int cli_link_state_parse(const char *s, uint32_t *ret)
{
	for (size_t i = 0; i < sizeof(link_state_names) /
			       sizeof(link_state_names[0]); i++) {
		if (!strcmp(s, link_state_names[i])) {
			*ret = (uint32_t)i;
			return 0;
		}
	}
	return -EINVAL;
}

int cli_vlan_proto_parse(const char *s, uint16_t *ret)
{
	if (!strcasecmp(s, "802.1Q"))
		*ret = ETH_P_8021Q;
	else if (!strcasecmp(s, "802.1ad"))
		*ret = ETH_P_8021AD;
	else
		return -EINVAL;
	return 0;
}

int cli_mac_parse(const char *s, uint8_t mac[6])
{
	uint64_t byte;

	for (int i = 0; i < 6; i++) {
		const char *p = s + 3 * i;

		/* p stays within s: each step checked the ':' before it. */
		if (!p[0] || !p[1] || p[2] != (i < 5 ? ':' : '\0') ||
		    sv_parse_digits(p, 2, 16, 0xff, &byte) < 0)
			return -EINVAL;
		mac[i] = (uint8_t)byte;
	}
	return 0;
}

static bool has(const struct sriovvirt_vf_net *net, unsigned int bit)
{
	return (net->valid & bit) != 0;
}

static void json_kv_valid_uint(struct json *j, const char *key, bool valid,
			       uint64_t v)
{
	json_key(j, key);
	if (valid)
		json_uint(j, v);
	else
		json_null(j);
}

static void json_kv_valid_bool(struct json *j, const char *key, bool valid,
			       bool v)
{
	json_key(j, key);
	if (valid)
		json_bool(j, v);
	else
		json_null(j);
}

void cli_json_vf_net(struct json *j, const struct sriovvirt_vf_net *net)
{
	const struct sriovvirt_vf_net_stats *st = &net->stats;
	bool vlan = has(net, SRIOVVIRT_VF_NET_VLAN);
	char mac[18], proto[8], state[12];

	json_kv_string(j, "mac", has(net, SRIOVVIRT_VF_NET_MAC) ?
				 cli_mac_format(net->mac, mac) : NULL);
	json_kv_valid_uint(j, "vlan", vlan, net->vlan);
	json_kv_valid_uint(j, "qos", vlan, net->qos);
	json_kv_string(j, "vlan_protocol", vlan ?
			  cli_vlan_proto_name(net->vlan_proto, proto) : NULL);
	json_kv_valid_bool(j, "spoofchk", has(net, SRIOVVIRT_VF_NET_SPOOFCHK),
			   net->spoofchk);
	json_kv_valid_bool(j, "trust", has(net, SRIOVVIRT_VF_NET_TRUST),
			   net->trust);
	json_kv_string(j, "link_state", has(net, SRIOVVIRT_VF_NET_LINK_STATE) ?
			  cli_link_state_name(net->link_state, state) : NULL);
	json_kv_valid_uint(j, "min_tx_rate",
			   has(net, SRIOVVIRT_VF_NET_MIN_TX_RATE),
			   net->min_tx_rate);
	json_kv_valid_uint(j, "max_tx_rate",
			   has(net, SRIOVVIRT_VF_NET_MAX_TX_RATE),
			   net->max_tx_rate);
	json_key(j, "stats");
	if (!has(net, SRIOVVIRT_VF_NET_STATS)) {
		json_null(j);
		return;
	}
	json_begin_object(j);
	json_kv_uint(j, "rx_packets", st->rx_packets);
	json_kv_uint(j, "tx_packets", st->tx_packets);
	json_kv_uint(j, "rx_bytes", st->rx_bytes);
	json_kv_uint(j, "tx_bytes", st->tx_bytes);
	json_kv_uint(j, "broadcast", st->broadcast);
	json_kv_uint(j, "multicast", st->multicast);
	json_end_object(j);
}

/* Text cells: "-" for what the driver did not report. */
static const char *uint_cell(bool valid, uint64_t v, char buf[24])
{
	if (!valid)
		return "-";
	snprintf(buf, 24, "%llu", (unsigned long long)v);
	return buf;
}

static const char *bool_cell(bool valid, bool v)
{
	return !valid ? "-" : v ? "on" : "off";
}

void cli_text_vf_net_header(void)
{
	printf("  %5s  %-17s  %4s %3s %-7s  %-8s %-5s %-7s  %s\n", "INDEX",
	       "MAC", "VLAN", "QOS", "PROTO", "SPOOFCHK", "TRUST", "STATE",
	       "TX RATE MIN/MAX");
}

void cli_text_vf_net_row(uint16_t index, const struct sriovvirt_vf_net *net)
{
	bool vlan = has(net, SRIOVVIRT_VF_NET_VLAN);
	char mac[18], proto[8], state[12], id[24], qos[24], min[24], max[24];

	printf("  %5u  %-17s  %4s %3s %-7s  %-8s %-5s %-7s  %s/%s\n", index,
	       has(net, SRIOVVIRT_VF_NET_MAC) ? cli_mac_format(net->mac, mac) : "-",
	       uint_cell(vlan, net->vlan, id), uint_cell(vlan, net->qos, qos),
	       vlan ? cli_vlan_proto_name(net->vlan_proto, proto) : "-",
	       bool_cell(has(net, SRIOVVIRT_VF_NET_SPOOFCHK), net->spoofchk),
	       bool_cell(has(net, SRIOVVIRT_VF_NET_TRUST), net->trust),
	       has(net, SRIOVVIRT_VF_NET_LINK_STATE) ?
		       cli_link_state_name(net->link_state, state) : "-",
	       uint_cell(has(net, SRIOVVIRT_VF_NET_MIN_TX_RATE),
			 net->min_tx_rate, min),
	       uint_cell(has(net, SRIOVVIRT_VF_NET_MAX_TX_RATE),
			 net->max_tx_rate, max));
}

/* ------------------------------------------------------------------------ */
/* vf-set                                                                   */
/* ------------------------------------------------------------------------ */

/* The settings, in the order of vf_settings[]. */
enum {
	S_MAC, S_VLAN, S_QOS, S_PROTO, S_SPOOFCHK, S_TRUST, S_STATE,
	S_MIN_TX_RATE, S_MAX_TX_RATE, NR_SETTINGS
};

static const struct cli_setting vf_settings[] = {
	[S_MAC] = { "mac", "XX:XX:XX:XX:XX:XX",
		    "the VF's MAC address (unicast; all zeros:\nnone, where the driver allows it)" },
	[S_VLAN] = { "vlan", "N",
		     "the VLAN ID the PF tags the VF's traffic\nwith, 0 to 4095; 0 for none" },
	[S_QOS] = { "qos", "N",
		    "its 802.1p priority, 0 to 7 (default 0;\nonly with vlan)" },
	[S_PROTO] = { "proto", "802.1Q|802.1ad",
		      "its protocol (default 802.1Q; only with vlan)" },
	[S_SPOOFCHK] = { "spoofchk", "on|off",
			 "drop frames from another source MAC" },
	[S_TRUST] = { "trust", "on|off",
		      "let the VF change its MAC, go promiscuous, ..." },
	[S_STATE] = { "state", "auto|enable|disable",
		      "the VF's link: the PF's, always up, always down" },
	[S_MIN_TX_RATE] = { "min_tx_rate", "N",
			    "guaranteed TX rate in Mb/s, 0 for none" },
	[S_MAX_TX_RATE] = { "max_tx_rate", "N",
			    "TX rate limit in Mb/s, 0 for none" },
	{ 0 },
};

static int find_setting(const char *name)
{
	int i;

	for (i = 0; i < NR_SETTINGS; i++)
		if (!strcmp(vf_settings[i].name, name))
			return i;
	return -1;
}

/* 6 pairs of hex digits separated by ':', unicast. */
static int parse_mac(struct cli *cli, const char *s, uint8_t mac[6])
{
	if (cli_mac_parse(s, mac) < 0)
		return cli_usage_error(cli, "mac '%s' is not a MAC address "
				       "(XX:XX:XX:XX:XX:XX, 6 pairs of hex "
				       "digits)", s);
	if (mac[0] & 1)
		return cli_usage_error(cli, "mac '%s' is a multicast address; "
				       "a VF's MAC address must be unicast "
				       "(the first byte even)", s);
	return EXIT_OK;
}

static int parse_on_off(struct cli *cli, const char *name, const char *s,
			bool *ret)
{
	if (!strcmp(s, "on") || !strcmp(s, "off")) {
		*ret = !strcmp(s, "on");
		return EXIT_OK;
	}
	return cli_usage_error(cli, "%s '%s' is neither on nor off", name, s);
}

/* One SETTING VALUE pair into @net. */
static int parse_value(struct cli *cli, int setting, const char *s,
		       struct sriovvirt_vf_net *net)
{
	const char *name = vf_settings[setting].name;
	uint64_t v = 0;
	int r = EXIT_OK;

	switch (setting) {
	case S_MAC:
		return parse_mac(cli, s, net->mac);
	case S_VLAN:
		r = cli_arg_number(cli, name, s, 4095, &v);
		net->vlan = (uint16_t)v;
		return r;
	case S_QOS:
		r = cli_arg_number(cli, name, s, 7, &v);
		net->qos = (uint8_t)v;
		return r;
	case S_PROTO:
		if (cli_vlan_proto_parse(s, &net->vlan_proto) < 0)
			r = cli_usage_error(cli, "proto '%s' is neither 802.1Q "
					    "nor 802.1ad", s);
		return r;
	case S_SPOOFCHK:
		return parse_on_off(cli, name, s, &net->spoofchk);
	case S_TRUST:
		return parse_on_off(cli, name, s, &net->trust);
	case S_STATE:
		if (cli_link_state_parse(s, &net->link_state) == 0)
			return EXIT_OK;
		return cli_usage_error(cli, "state '%s' is none of auto, enable, "
				       "disable", s);
	case S_MIN_TX_RATE:
		r = cli_arg_number(cli, name, s, UINT32_MAX, &v);
		net->min_tx_rate = (uint32_t)v;
		return r;
	default:
		r = cli_arg_number(cli, name, s, UINT32_MAX, &v);
		net->max_tx_rate = (uint32_t)v;
		return r;
	}
}

/* The library's bit for each setting (qos and proto go with vlan). */
static const unsigned int setting_bits[NR_SETTINGS] = {
	[S_MAC] = SRIOVVIRT_VF_NET_MAC,
	[S_VLAN] = SRIOVVIRT_VF_NET_VLAN,
	[S_QOS] = SRIOVVIRT_VF_NET_VLAN,
	[S_PROTO] = SRIOVVIRT_VF_NET_VLAN,
	[S_SPOOFCHK] = SRIOVVIRT_VF_NET_SPOOFCHK,
	[S_TRUST] = SRIOVVIRT_VF_NET_TRUST,
	[S_STATE] = SRIOVVIRT_VF_NET_LINK_STATE,
	[S_MIN_TX_RATE] = SRIOVVIRT_VF_NET_MIN_TX_RATE,
	[S_MAX_TX_RATE] = SRIOVVIRT_VF_NET_MAX_TX_RATE,
};

/* The operands after PF VF: SETTING VALUE pairs, into @net and @ret_which. */
static int parse_settings(struct cli *cli, const struct cli_args *args,
			  struct sriovvirt_vf_net *net, unsigned int *ret_which)
{
	unsigned int given = 0, which = 0;
	int i, s, r;

	for (i = 2; i < args->nr_operands; i += 2) {
		const char *name = args->operands[i];

		s = find_setting(name);
		if (s < 0)
			return cli_usage_error(cli, "unknown setting '%s' (mac, "
					       "vlan, qos, proto, spoofchk, "
					       "trust, state, min_tx_rate, "
					       "max_tx_rate)", name);
		if (given & (1u << s))
			return cli_usage_error(cli, "setting '%s' given twice",
					       name);
		if (i + 1 >= args->nr_operands)
			return cli_usage_error(cli, "setting '%s' needs a value "
					       "(%s)", name, vf_settings[s].arg);
		r = parse_value(cli, s, args->operands[i + 1], net);
		if (r != EXIT_OK)
			return r;
		given |= 1u << s;
		which |= setting_bits[s];
	}
	if (!given)
		return cli_usage_error(cli, "no setting given: usage: sriovctl "
				       "vf-set PF VF SETTING VALUE [SETTING "
				       "VALUE]...");
	for (s = S_QOS; s <= S_PROTO; s++)
		if ((given & (1u << s)) && !(given & (1u << S_VLAN)))
			return cli_usage_error(cli, "%s needs vlan in the same "
					       "command (the kernel sets the "
					       "VLAN ID, QoS and protocol "
					       "together)", vf_settings[s].name);
	/* vlan 0 with a qos is priority tagging; 802.1ad needs an ID. */
	if ((given & (1u << S_VLAN)) && !net->vlan &&
	    net->vlan_proto == ETH_P_8021AD)
		return cli_usage_error(cli, "vlan 0 (none) cannot be 802.1ad");
	*ret_which = which;
	return EXIT_OK;
}

struct vf_net_result {
	uint16_t index;
	char address[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	char netdev[64];	/* "" if unknown */
	struct sriovvirt_vf_net net;
};

static void result_text(struct cli *cli, const void *data)
{
	const struct vf_net_result *res = data;
	const struct sriovvirt_vf_net *net = &res->net;
	const struct sriovvirt_vf_net_stats *st = &net->stats;
	bool vlan = has(net, SRIOVVIRT_VF_NET_VLAN);
	bool stats = has(net, SRIOVVIRT_VF_NET_STATS);
	char mac[18], proto[8], state[12], buf[24];

	(void)cli;
#define LINE(key, value) printf("%-14s %s\n", key, value)
	printf("%-14s %u\n", "index", res->index);
	LINE("address", res->address);
	LINE("netdev", res->netdev[0] ? res->netdev : "-");
	LINE("mac", has(net, SRIOVVIRT_VF_NET_MAC) ?
			    cli_mac_format(net->mac, mac) : "-");
	LINE("vlan", uint_cell(vlan, net->vlan, buf));
	LINE("qos", uint_cell(vlan, net->qos, buf));
	LINE("vlan_protocol", vlan ? cli_vlan_proto_name(net->vlan_proto, proto) :
				     "-");
	LINE("spoofchk", bool_cell(has(net, SRIOVVIRT_VF_NET_SPOOFCHK),
				   net->spoofchk));
	LINE("trust", bool_cell(has(net, SRIOVVIRT_VF_NET_TRUST), net->trust));
	LINE("link_state", has(net, SRIOVVIRT_VF_NET_LINK_STATE) ?
				   cli_link_state_name(net->link_state, state) : "-");
	LINE("min_tx_rate", uint_cell(has(net, SRIOVVIRT_VF_NET_MIN_TX_RATE),
				      net->min_tx_rate, buf));
	LINE("max_tx_rate", uint_cell(has(net, SRIOVVIRT_VF_NET_MAX_TX_RATE),
				      net->max_tx_rate, buf));
	LINE("rx_packets", uint_cell(stats, st->rx_packets, buf));
	LINE("tx_packets", uint_cell(stats, st->tx_packets, buf));
	LINE("rx_bytes", uint_cell(stats, st->rx_bytes, buf));
	LINE("tx_bytes", uint_cell(stats, st->tx_bytes, buf));
	LINE("broadcast", uint_cell(stats, st->broadcast, buf));
	LINE("multicast", uint_cell(stats, st->multicast, buf));
#undef LINE
}

static void result_json(struct json *j, const void *data)
{
	const struct vf_net_result *res = data;

	json_begin_object(j);
	json_kv_uint(j, "index", res->index);
	json_kv_string(j, "address", res->address);
	json_kv_string(j, "netdev", res->netdev[0] ? res->netdev : NULL);
	cli_json_vf_net(j, &res->net);
	json_end_object(j);
}

static const struct cli_output result_output = { result_text, result_json };

/* The names of the settings asked for, "vlan, trust", for messages. */
static void which_names(unsigned int which, char *buf, size_t size)
{
	unsigned int bit;
	size_t len = 0;

	buf[0] = '\0';
	for (bit = 1; bit && bit <= which; bit <<= 1) {
		const char *name = sriovvirt_vf_net_setting_name(bit);

		if (!(which & bit) || !name || len >= size)
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					len ? ", " : "", name);
	}
}

static int set_failed(struct cli *cli, struct sriovvirt_pf *pf, uint16_t vf,
		      unsigned int which, int err)
{
	const char *pf_name = sriovvirt_pf_get_name(pf);
	const char *root = sriovvirt_ctx_get_sysfs_root(cli->ctx);
	char names[128], netdev[64];
	int r;

	which_names(which, names, sizeof(names));
	r = cli_fail(cli, err, "%s: VF %u: setting %s", pf_name, vf, names);
	/* rtnetlink does not know the interface sysfs named. */
	if (err == -ENODEV &&
	    sriovvirt_pf_get_netdev(pf, netdev, sizeof(netdev)) == 0) {
		if (root && strcmp(root, "/sys"))
			fprintf(stderr, "sriovctl: %s: %s is the PF's network "
				"interface in %s, but this host has no "
				"interface of that name\n", pf_name, netdev,
				root);
		else
			fprintf(stderr, "sriovctl: %s: network interface %s "
				"not found (renamed, removed, or in another "
				"network namespace)\n", pf_name, netdev);
	}
	return r;
}

/* What the VF has now, read back; unknown (null) if that fails. */
static void read_back(struct cli *cli, struct sriovvirt_pf *pf,
		      struct vf_net_result *res)
{
	int r;

	if (sriovvirt_pf_get_netdev(pf, res->netdev, sizeof(res->netdev)) < 0)
		res->netdev[0] = '\0';
	res->net.size = sizeof(res->net);
	r = sriovvirt_vf_get_net(pf, res->index, &res->net);
	if (r == 0)
		return;
	memset(&res->net, 0, sizeof(res->net));
	cli_warn(cli, "%s: VF %u: set, but reading the settings back failed: "
		 "%s", sriovvirt_pf_get_name(pf), res->index,
		 cli->nr_errors ? cli->errors[0] : strerror(-r));
	cli->nr_errors = 0;
}

static int run_vf_set(struct cli *cli, const struct command *cmd,
		      const struct cli_args *args)
{
	struct sriovvirt_vf_net net = { .size = sizeof(net),
					.vlan_proto = ETH_P_8021Q };
	struct vf_net_result res = { 0 };
	struct sriovvirt_pci_addr addr;
	struct sriovvirt_pf *pf;
	unsigned int which = 0;
	uint16_t vf;
	int r;

	(void)cmd;
	/* Every usage error before anything is opened. */
	r = cli_arg_vf(cli, args->operands[1], &vf);
	if (r == EXIT_OK)
		r = parse_settings(cli, args, &net, &which);
	if (r == EXIT_OK)
		r = cli_open_vf(cli, args->operands[0], args->operands[1], &pf,
				&vf, &addr);
	if (r != EXIT_OK)
		return r;
	r = sriovvirt_vf_set_net(pf, vf, &net, which);
	if (r < 0) {
		r = set_failed(cli, pf, vf, which, r);
	} else {
		res.index = vf;
		sriovvirt_pci_addr_format(&addr, res.address,
					  sizeof(res.address));
		read_back(cli, pf, &res);
		r = cli_print(cli, &result_output, &res);
	}
	sriovvirt_pf_unref(pf);
	return r;
}

const struct command net_commands[] = {
	{
		.name = "vf-set",
		.operands = "PF VF SETTING VALUE [SETTING VALUE]...",
		.min_operands = 2,
		.max_operands = INT_MAX,
		.settings = vf_settings,
		.summary = "set a VF's MAC, VLAN, spoof checking, trust, link state, rates",
		.help = "Sets what the PF's network driver keeps for the VF, as `ip link set\n"
			"DEV vf N ...` does, through rtnetlink on the PF's network interface\n"
			"(the PF needs a network driver; needs CAP_NET_ADMIN). Each setting is\n"
			"its own request, in the order mac, vlan, spoofchk, trust, state,\n"
			"rates; the first the driver refuses ends the command, naming it,\n"
			"and those before it stay set. vlan sets the VLAN ID, QoS and\n"
			"protocol together: qos and proto need vlan, and default to 0 and\n"
			"802.1Q. One rate keeps the other's value. Prints the VF's settings\n"
			"afterwards.\n",
		.run = run_vf_set,
	},
	{ 0 },
};
