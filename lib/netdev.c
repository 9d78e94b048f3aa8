// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * NIC VF settings over rtnetlink: what the PF's network driver configures
 * for each VF (MAC, VLAN, spoof checking, trust, link state, TX rates) and
 * its counters, as `ip link set DEV vf N ...` does. The only file that
 * includes libnl: libnl-route-3's rtnl_link_vf API builds and parses the
 * IFLA_VFINFO_LIST attributes (libvirt sets VFs through it too), and asks
 * the kernel for them with RTEXT_FILTER_VF. Each setting is its own
 * request, so that a setting the driver lacks is named (the kernel stops
 * at the first failing attribute of a request).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/sriov.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* Interface names are shorter than IFNAMSIZ (16); room for odd trees. */
#define IFNAMSIZ_MAX 64

struct find_netdev {
	struct sriovvirt_pf *pf;
	char best[IFNAMSIZ_MAX];
};

/*
 * A switchdev PF lists its VFs' representors (phys_port_name "pf0vf3")
 * under it too; they have no VF settings.
 */
static bool representor(struct sriovvirt_pf *pf, const char *name)
{
	char path[IFNAMSIZ_MAX + 32], port[32];

	snprintf(path, sizeof(path), "net/%s/phys_port_name", name);
	if (sv_attr_read(pf->ctx, pf->dirfd, path, port, sizeof(port)) <= 0)
		return false;
	return strstr(port, "vf") != NULL;
}

/* The PF's interface: not a representor; of several (multi-port cards),
 * the first by name, so that the answer does not depend on readdir. */
static int consider(void *userdata, const char *name)
{
	struct find_netdev *f = userdata;

	if (strlen(name) >= sizeof(f->best) || representor(f->pf, name))
		return 0;
	if (!f->best[0] || strcmp(name, f->best) < 0)
		snprintf(f->best, sizeof(f->best), "%s", name);
	return 0;
}

SV_EXPORT int sriovvirt_pf_get_netdev(struct sriovvirt_pf *pf, char *buf,
				      size_t size)
{
	struct find_netdev f = { .pf = pf };
	int r;

	if (!pf || !buf || !size)
		return -EINVAL;
	r = pf->ctx->sys->read_dir(pf->ctx->sys_data, pf->dirfd, "net",
				   consider, &f);
	if (r < 0 && r != -ENOENT)
		return r;
	if (!f.best[0])
		return -ENODATA;
	if (strlen(f.best) >= size)
		return -ERANGE;
	memcpy(buf, f.best, strlen(f.best) + 1);
	return 0;
}

/* libnl's error codes, back to the kernel's errno where they had one. */
static int nl_errno(int nle)
{
	switch (nle < 0 ? -nle : nle) {
	case NLE_OPNOTSUPP:
	case NLE_PROTO_MISMATCH:	/* the kernel's EPROTONOSUPPORT */
		return -EOPNOTSUPP;
	case NLE_INVAL:
	case NLE_RANGE:
	case NLE_AF_NOSUPPORT:
		return -EINVAL;
	case NLE_PERM:
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_BUSY:
		return -EBUSY;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_OBJ_NOTFOUND:
	case NLE_NODEV:
		return -ENODEV;
	default:
		return -EIO;
	}
}

/* The PF's interface, and its link as the kernel reports it with VFs. */
struct netdev {
	char name[64];
	struct nl_sock *sock;
	struct rtnl_link *link;
};

static void netdev_close(struct netdev *n)
{
	if (n->link)
		rtnl_link_put(n->link);
	if (n->sock)
		nl_socket_free(n->sock);
}

static int netdev_open(struct sriovvirt_pf *pf, struct netdev *n)
{
	int r;

	*n = (struct netdev){ .sock = NULL };
	r = sriovvirt_pf_get_netdev(pf, n->name, sizeof(n->name));
	if (r == -ENODATA)
		sv_err(pf->ctx, "%s: the PF has no network interface (its "
		       "driver is not a network driver, or is not bound)",
		       pf->name);
	if (r < 0)
		return r;
	n->sock = nl_socket_alloc();
	if (!n->sock)
		return -ENOMEM;
	r = nl_connect(n->sock, NETLINK_ROUTE);
	if (r == 0)
		r = rtnl_link_get_kernel(n->sock, 0, n->name, &n->link);
	if (r < 0) {
		sv_err(pf->ctx, "%s: %s: rtnetlink: %s", pf->name, n->name,
		       nl_geterror(r));
		netdev_close(n);
		return nl_errno(r);
	}
	return 0;
}

/* The VF's entry of the link; -ENODATA if the driver reports none. */
static int netdev_vf(struct sriovvirt_pf *pf, struct netdev *n, uint16_t vf,
		     struct rtnl_link_vf **ret)
{
	/* libnl's rtnl_link_vf_get() dereferences a VF list the link may
	 * lack (no IFLA_VFINFO_LIST: a driver without VF configuration). */
	*ret = rtnl_link_has_vf_list(n->link) ? rtnl_link_vf_get(n->link, vf)
					      : NULL;
	if (*ret)
		return 0;
	sv_err(pf->ctx, "%s: %s reports no settings for VF %u (the driver "
	       "does not implement VF configuration)", pf->name, n->name, vf);
	return -ENODATA;
}

static void get_vlan(struct rtnl_link_vf *v, struct sriovvirt_vf_net *net)
{
	nl_vf_vlans_t *vlans = NULL;

	if (rtnl_link_vf_get_vlans(v, &vlans) < 0 || !vlans)
		return;
	if (vlans->size > 0) {
		net->vlan = (uint16_t)vlans->vlans[0].vf_vlan;
		net->qos = (uint8_t)vlans->vlans[0].vf_vlan_qos;
		net->vlan_proto = vlans->vlans[0].vf_vlan_proto;
	}
	if (!net->vlan_proto)
		net->vlan_proto = ETH_P_8021Q;
	net->valid |= SRIOVVIRT_VF_NET_VLAN;
	rtnl_link_vf_vlan_put(vlans);
}

/*
 * The kernel reports IFLA_VF_RATE for every VF (since Linux 3.16), but
 * libnl keeps it only when a rate is not 0: no rate reported means none
 * set.
 */
static void get_rate(struct rtnl_link_vf *v, struct sriovvirt_vf_net *net)
{
	struct nl_vf_rate rate = { .api = RTNL_LINK_VF_RATE_API_NEW };

	net->valid |= SRIOVVIRT_VF_NET_MIN_TX_RATE | SRIOVVIRT_VF_NET_MAX_TX_RATE;
	if (rtnl_link_vf_get_rate(v, &rate) == 0) {
		net->min_tx_rate = rate.min_tx_rate;
		net->max_tx_rate = rate.max_tx_rate;
		return;
	}
	rate.api = RTNL_LINK_VF_RATE_API_OLD;
	if (rtnl_link_vf_get_rate(v, &rate) == 0)
		net->max_tx_rate = rate.rate;
}

static void get_stats(struct rtnl_link_vf *v, struct sriovvirt_vf_net *net)
{
	static const struct {
		rtnl_link_vf_stats_t id;
		size_t offset;
	} stats[] = {
#define STAT(id, field) { id, offsetof(struct sriovvirt_vf_net_stats, field) }
		STAT(RTNL_LINK_VF_STATS_RX_PACKETS, rx_packets),
		STAT(RTNL_LINK_VF_STATS_TX_PACKETS, tx_packets),
		STAT(RTNL_LINK_VF_STATS_RX_BYTES, rx_bytes),
		STAT(RTNL_LINK_VF_STATS_TX_BYTES, tx_bytes),
		STAT(RTNL_LINK_VF_STATS_BROADCAST, broadcast),
		STAT(RTNL_LINK_VF_STATS_MULTICAST, multicast),
#undef STAT
	};
	uint64_t value;

	for (size_t i = 0; i < SV_ARRAY_SIZE(stats); i++) {
		if (rtnl_link_vf_get_stat(v, stats[i].id, &value) < 0)
			return;
		memcpy((char *)&net->stats + stats[i].offset, &value,
		       sizeof(value));
	}
	net->valid |= SRIOVVIRT_VF_NET_STATS;
}

static void get_settings(struct rtnl_link_vf *v, struct sriovvirt_vf_net *net)
{
	struct nl_addr *mac = NULL;
	uint32_t value;

	if (rtnl_link_vf_get_addr(v, &mac) == 0 && mac &&
	    nl_addr_get_len(mac) >= sizeof(net->mac)) {
		memcpy(net->mac, nl_addr_get_binary_addr(mac), sizeof(net->mac));
		net->valid |= SRIOVVIRT_VF_NET_MAC;
	}
	get_vlan(v, net);
	if (rtnl_link_vf_get_spoofchk(v, &value) == 0) {
		net->spoofchk = value != 0;
		net->valid |= SRIOVVIRT_VF_NET_SPOOFCHK;
	}
	if (rtnl_link_vf_get_trust(v, &value) == 0) {
		net->trust = value != 0;
		net->valid |= SRIOVVIRT_VF_NET_TRUST;
	}
	if (rtnl_link_vf_get_linkstate(v, &value) == 0) {
		net->link_state = value;
		net->valid |= SRIOVVIRT_VF_NET_LINK_STATE;
	}
	get_rate(v, net);
	get_stats(v, net);
}

static int read_net(struct sriovvirt_pf *pf, struct netdev *n, uint16_t vf,
		    struct sriovvirt_vf_net *ret)
{
	struct rtnl_link_vf *v;
	int r;

	r = netdev_vf(pf, n, vf, &v);
	if (r < 0)
		return r;
	memset(ret, 0, sizeof(*ret));
	ret->size = sizeof(*ret);
	get_settings(v, ret);
	rtnl_link_vf_put(v);
	return 0;
}

SV_EXPORT int sriovvirt_vf_get_net(struct sriovvirt_pf *pf, uint16_t vf,
				   struct sriovvirt_vf_net *ret)
{
	struct sriovvirt_vf_net net;
	struct netdev n;
	int r;

	if (!pf || !ret || !sv_sized_ok(ret, SV_SIZE_THROUGH(
				struct sriovvirt_vf_net, stats)))
		return -EINVAL;
	r = sv_vf_check_index(pf, vf);
	if (r == 0)
		r = netdev_open(pf, &n);
	if (r < 0)
		return r;
	r = read_net(pf, &n, vf, &net);
	netdev_close(&n);
	if (r == 0)
		sv_sized_fill(ret, &net, sizeof(net));
	return r;
}

SV_EXPORT const char *sriovvirt_vf_net_setting_name(unsigned int setting)
{
	switch (setting) {
	case SRIOVVIRT_VF_NET_MAC:
		return "mac";
	case SRIOVVIRT_VF_NET_VLAN:
		return "vlan";
	case SRIOVVIRT_VF_NET_SPOOFCHK:
		return "spoofchk";
	case SRIOVVIRT_VF_NET_TRUST:
		return "trust";
	case SRIOVVIRT_VF_NET_LINK_STATE:
		return "link_state";
	case SRIOVVIRT_VF_NET_MIN_TX_RATE:
		return "min_tx_rate";
	case SRIOVVIRT_VF_NET_MAX_TX_RATE:
		return "max_tx_rate";
	case SRIOVVIRT_VF_NET_STATS:
		return "stats";
	default:
		return NULL;
	}
}

#define SETTABLE (SRIOVVIRT_VF_NET_MAC | SRIOVVIRT_VF_NET_VLAN |               \
		  SRIOVVIRT_VF_NET_SPOOFCHK | SRIOVVIRT_VF_NET_TRUST |         \
		  SRIOVVIRT_VF_NET_LINK_STATE | SRIOVVIRT_VF_NET_MIN_TX_RATE | \
		  SRIOVVIRT_VF_NET_MAX_TX_RATE)

/* The rules the kernel's rtnetlink and the drivers share, checked first so
 * that a bad value changes nothing. */
static int check_values(struct sriovvirt_pf *pf,
			const struct sriovvirt_vf_net *net, unsigned int which)
{
	const char *why = NULL;

	if (which & ~SETTABLE)
		why = "unknown settings";
	else if ((which & SRIOVVIRT_VF_NET_MAC) && (net->mac[0] & 1))
		why = "the MAC address is a multicast address";
	else if ((which & SRIOVVIRT_VF_NET_VLAN) && net->vlan > 4095)
		why = "the VLAN ID is above 4095";
	else if ((which & SRIOVVIRT_VF_NET_VLAN) && net->qos > 7)
		why = "the VLAN QoS is above 7";
	else if ((which & SRIOVVIRT_VF_NET_VLAN) && net->vlan_proto &&
		 net->vlan_proto != ETH_P_8021Q && net->vlan_proto != ETH_P_8021AD)
		why = "the VLAN protocol is neither 802.1Q (0x8100) nor 802.1ad (0x88a8)";
	else if ((which & SRIOVVIRT_VF_NET_VLAN) && !net->vlan &&
		 net->vlan_proto == ETH_P_8021AD)
		why = "802.1ad without a VLAN ID";
	else if ((which & SRIOVVIRT_VF_NET_LINK_STATE) &&
		 net->link_state > SRIOVVIRT_VF_LINK_STATE_DISABLE)
		why = "unknown link state";
	if (!why)
		return 0;
	sv_err(pf->ctx, "%s: VF settings: %s", pf->name, why);
	return -EINVAL;
}

/* The rates are one request, named after those asked for. */
static const char *setting_name(unsigned int setting)
{
	const char *name = sriovvirt_vf_net_setting_name(setting);

	return name ? name : "min_tx_rate and max_tx_rate";
}

/* Puts one setting of VF @vf into @v. */
static int fill_vf(struct rtnl_link_vf *v, uint16_t vf,
		   const struct sriovvirt_vf_net *net, unsigned int setting)
{
	struct nl_vf_rate rate = { .api = RTNL_LINK_VF_RATE_API_NEW };
	nl_vf_vlans_t *vlans = NULL;
	struct nl_addr *mac;

	rtnl_link_vf_set_index(v, vf);
	switch (setting) {
	case SRIOVVIRT_VF_NET_MAC:
		mac = nl_addr_build(AF_LLC, net->mac, sizeof(net->mac));
		if (!mac)
			return -ENOMEM;
		rtnl_link_vf_set_addr(v, mac);	/* takes its own reference */
		nl_addr_put(mac);
		break;
	case SRIOVVIRT_VF_NET_VLAN:
		if (rtnl_link_vf_vlan_alloc(&vlans, 1) < 0)
			return -ENOMEM;
		vlans->vlans[0].vf_vlan = net->vlan;
		vlans->vlans[0].vf_vlan_qos = net->qos;
		/*
		 * libnl (3.7 and later) sends a protocol other than 802.1Q in
		 * IFLA_VF_VLAN_LIST without converting it to network order,
		 * as the kernel reads it: give it in network order. 802.1Q
		 * goes as IFLA_VF_VLAN, which has no protocol.
		 */
		vlans->vlans[0].vf_vlan_proto = net->vlan_proto == ETH_P_8021Q ?
						ETH_P_8021Q : htons(net->vlan_proto);
		rtnl_link_vf_set_vlans(v, vlans);	/* and its own here */
		rtnl_link_vf_vlan_put(vlans);
		break;
	case SRIOVVIRT_VF_NET_SPOOFCHK:
		rtnl_link_vf_set_spoofchk(v, net->spoofchk);
		break;
	case SRIOVVIRT_VF_NET_TRUST:
		rtnl_link_vf_set_trust(v, net->trust);
		break;
	case SRIOVVIRT_VF_NET_LINK_STATE:
		rtnl_link_vf_set_linkstate(v, net->link_state);
		break;
	default:	/* the rates: IFLA_VF_RATE sets both */
		rate.min_tx_rate = net->min_tx_rate;
		rate.max_tx_rate = net->max_tx_rate;
		rtnl_link_vf_set_rate(v, &rate);
		break;
	}
	return 0;
}

int sv_netdev_build_change(uint16_t vf, const struct sriovvirt_vf_net *net,
			   unsigned int setting, struct rtnl_link **ret)
{
	struct rtnl_link *changes = rtnl_link_alloc();
	struct rtnl_link_vf *v = rtnl_link_vf_alloc();
	int r = -ENOMEM;

	if (changes && v)
		r = fill_vf(v, vf, net, setting);
	if (r == 0)
		r = rtnl_link_vf_add(changes, v) < 0 ? -ENOMEM : 0;
	if (v)
		rtnl_link_vf_put(v);	/* the link keeps its reference */
	if (r < 0 && changes)
		rtnl_link_put(changes);
	if (r == 0)
		*ret = changes;
	return r;
}

/* One setting of VF @vf, alone in its request. */
static int set_one(struct sriovvirt_pf *pf, struct netdev *n, uint16_t vf,
		   const struct sriovvirt_vf_net *net, unsigned int setting)
{
	struct rtnl_link *changes;
	int r;

	r = sv_netdev_build_change(vf, net, setting, &changes);
	if (r < 0)
		return r;
	r = rtnl_link_change(n->sock, n->link, changes, 0);
	rtnl_link_put(changes);
	if (r < 0) {
		sv_err(pf->ctx, "%s: %s VF %u: setting %s: %s%s", pf->name,
		       n->name, vf, setting_name(setting),
		       nl_geterror(r), nl_errno(r) == -EOPNOTSUPP ?
		       " (the PF's driver does not implement it)" : "");
		r = nl_errno(r);
	}
	return r;
}

/* The kernel replaces both rates at once: one given keeps the other. */
static int complete_rates(struct sriovvirt_pf *pf, struct netdev *n,
			  uint16_t vf, struct sriovvirt_vf_net *net,
			  unsigned int which)
{
	struct sriovvirt_vf_net now;
	int r;

	if ((which & SRIOVVIRT_VF_NET_MIN_TX_RATE) &&
	    (which & SRIOVVIRT_VF_NET_MAX_TX_RATE))
		return 0;
	r = read_net(pf, n, vf, &now);
	if (r < 0)
		return r;
	if (!(which & SRIOVVIRT_VF_NET_MIN_TX_RATE))
		net->min_tx_rate = now.min_tx_rate;
	if (!(which & SRIOVVIRT_VF_NET_MAX_TX_RATE))
		net->max_tx_rate = now.max_tx_rate;
	return 0;
}

SV_EXPORT int sriovvirt_vf_set_net(struct sriovvirt_pf *pf, uint16_t vf,
				   const struct sriovvirt_vf_net *net,
				   unsigned int which)
{
	static const unsigned int order[] = {
		SRIOVVIRT_VF_NET_MAC, SRIOVVIRT_VF_NET_VLAN,
		SRIOVVIRT_VF_NET_SPOOFCHK, SRIOVVIRT_VF_NET_TRUST,
		SRIOVVIRT_VF_NET_LINK_STATE,
	};
	const unsigned int rates = SRIOVVIRT_VF_NET_MIN_TX_RATE |
				   SRIOVVIRT_VF_NET_MAX_TX_RATE;
	struct sriovvirt_vf_net values;
	struct rtnl_link_vf *v;
	struct netdev n;
	int r;

	if (!pf || !net || !which)
		return -EINVAL;
	values = *net;
	if (!values.vlan_proto)		/* a zeroed structure: 802.1Q */
		values.vlan_proto = ETH_P_8021Q;
	r = check_values(pf, &values, which);
	if (r == 0)
		r = sv_vf_check_index(pf, vf);
	if (r == 0)
		r = netdev_open(pf, &n);
	if (r < 0)
		return r;
	r = netdev_vf(pf, &n, vf, &v);
	if (r == 0)
		rtnl_link_vf_put(v);
	if (r == 0 && (which & rates))
		r = complete_rates(pf, &n, vf, &values, which);
	for (size_t i = 0; r == 0 && i < SV_ARRAY_SIZE(order); i++) {
		if (which & order[i])
			r = set_one(pf, &n, vf, &values, order[i]);
	}
	if (r == 0 && (which & rates))	/* one request, named as asked */
		r = set_one(pf, &n, vf, &values, which & rates);
	netdev_close(&n);
	return r;
}
