// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The documents of sriovctl apply, read with json-c: one PF object, or an
 * array of them, in the shape `sriovctl --json show PF` prints, so that
 * show's output of a configured PF applies as a no-op. Every field is
 * known: what apply converges (num_vfs, autoprobe, each VF's driver and
 * NIC settings), facts it checks (vendor_id, device_id, the PF's driver),
 * and facts it ignores (the rest of show's output, which the kernel
 * decides). Anything else, or a bad value, refuses the whole document,
 * naming the file and the field.
 */

#include <dirent.h>
#include <errno.h>
/* json-c's json_bool typedef would clash with sriovctl's json_bool()
 * writer (json.h): json-c's is renamed in this file, which never uses it. */
#define json_bool json_c_bool
#include <json-c/json.h>
#undef json_bool
#include <linux/if_ether.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "apply.h"

/* Where in which document: "FILE: [0].vfs[2].vlan". */
struct at {
	struct cli *cli;
	const char *file;
	char path[96];
	struct sriovvirt_pf *only;	/* --pf: the one PF applied, or NULL */
};

static int refuse(const struct at *at, const char *key, const char *format, ...)
	__attribute__((format(printf, 3, 4)));

static int refuse(const struct at *at, const char *key, const char *format, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, format);
	vsnprintf(why, sizeof(why), format, ap);
	va_end(ap);
	return cli_usage_error(at->cli, "%s: %s%s%s: %s", at->file, at->path,
			       key && *at->path ? "." : "", key ? key : "", why);
}

/* ------------------------------------------------------------------------ */
/* Values                                                                   */
/* ------------------------------------------------------------------------ */

static int want_type(const struct at *at, const char *key, json_object *v,
		     json_type type, const char *what)
{
	if (json_object_is_type(v, type))
		return EXIT_OK;
	return refuse(at, key, "must be %s", what);
}

static int get_uint(const struct at *at, const char *key, json_object *v,
		    uint64_t max, uint64_t *ret)
{
	int64_t n;

	if (want_type(at, key, v, json_type_int, "a whole number") != EXIT_OK)
		return EXIT_USAGE;
	errno = 0;
	n = json_object_get_int64(v);
	if (errno || n < 0 || (uint64_t)n > max)
		return refuse(at, key, "must be from 0 to %llu",
			      (unsigned long long)max);
	*ret = (uint64_t)n;
	return EXIT_OK;
}

static int get_bool(const struct at *at, const char *key, json_object *v,
		    bool *ret)
{
	if (want_type(at, key, v, json_type_boolean, "true or false") != EXIT_OK)
		return EXIT_USAGE;
	*ret = json_object_get_boolean(v);
	return EXIT_OK;
}

static int get_string(const struct at *at, const char *key, json_object *v,
		      const char **ret)
{
	if (want_type(at, key, v, json_type_string, "a string") != EXIT_OK)
		return EXIT_USAGE;
	*ret = json_object_get_string(v);
	return EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* VFs                                                                      */
/* ------------------------------------------------------------------------ */

/* show's facts about a VF that the kernel decides: accepted, not applied. */
static bool vf_fact(const char *key)
{
	static const char *const facts[] = {
		"address", "vendor_id", "device_id", "iommu_group", "stats",
		"netdev", NULL,
	};

	for (int i = 0; facts[i]; i++) {
		if (!strcmp(key, facts[i]))
			return true;
	}
	return false;
}

static int vf_driver(const struct at *at, json_object *v, struct vf_decl *d)
{
	const char *s;

	d->has_driver = true;
	if (json_object_is_type(v, json_type_null))
		return EXIT_OK;		/* no driver */
	if (get_string(at, "driver", v, &s) != EXIT_OK)
		return EXIT_USAGE;
	if (!*s || strlen(s) >= sizeof(d->driver) || strpbrk(s, "/ \t\n"))
		return refuse(at, "driver", "'%s' is not a driver's name", s);
	snprintf(d->driver, sizeof(d->driver), "%s", s);
	return EXIT_OK;
}

static int vf_text_setting(const struct at *at, const char *key,
			   json_object *v, struct vf_decl *d)
{
	const char *s;

	if (get_string(at, key, v, &s) != EXIT_OK)
		return EXIT_USAGE;
	if (!strcmp(key, "mac")) {
		if (cli_mac_parse(s, d->net.mac) < 0 || (d->net.mac[0] & 1))
			return refuse(at, key, "'%s' is not a unicast MAC "
				      "address (xx:xx:xx:xx:xx:xx)", s);
		d->net_which |= SRIOVVIRT_VF_NET_MAC;
	} else if (!strcmp(key, "vlan_protocol")) {
		if (cli_vlan_proto_parse(s, &d->net.vlan_proto) < 0)
			return refuse(at, key, "'%s' is neither 802.1Q nor "
				      "802.1ad", s);
	} else {
		if (cli_link_state_parse(s, &d->net.link_state) < 0)
			return refuse(at, key, "'%s' is not auto, enable or "
				      "disable", s);
		d->net_which |= SRIOVVIRT_VF_NET_LINK_STATE;
	}
	return EXIT_OK;
}

static int vf_number_setting(const struct at *at, const char *key,
			     json_object *v, struct vf_decl *d)
{
	uint64_t n;

	if (!strcmp(key, "vlan")) {
		if (get_uint(at, key, v, 4095, &n) != EXIT_OK)
			return EXIT_USAGE;
		d->net.vlan = (uint16_t)n;
		d->net_which |= SRIOVVIRT_VF_NET_VLAN;
	} else if (!strcmp(key, "qos")) {
		if (get_uint(at, key, v, 7, &n) != EXIT_OK)
			return EXIT_USAGE;
		d->net.qos = (uint8_t)n;
	} else {
		if (get_uint(at, key, v, UINT32_MAX, &n) != EXIT_OK)
			return EXIT_USAGE;
		if (!strcmp(key, "min_tx_rate")) {
			d->net.min_tx_rate = (uint32_t)n;
			d->net_which |= SRIOVVIRT_VF_NET_MIN_TX_RATE;
		} else {
			d->net.max_tx_rate = (uint32_t)n;
			d->net_which |= SRIOVVIRT_VF_NET_MAX_TX_RATE;
		}
	}
	return EXIT_OK;
}

static int vf_setting(const struct at *at, const char *key, json_object *v,
		      struct vf_decl *d)
{
	bool on;

	if (!strcmp(key, "driver"))
		return vf_driver(at, v, d);
	/* show prints null for what the driver does not report: no wish. */
	if (json_object_is_type(v, json_type_null) || vf_fact(key))
		return EXIT_OK;
	if (!strcmp(key, "mac") || !strcmp(key, "vlan_protocol") ||
	    !strcmp(key, "link_state"))
		return vf_text_setting(at, key, v, d);
	if (!strcmp(key, "vlan") || !strcmp(key, "qos") ||
	    !strcmp(key, "min_tx_rate") || !strcmp(key, "max_tx_rate"))
		return vf_number_setting(at, key, v, d);
	if (strcmp(key, "spoofchk") && strcmp(key, "trust"))
		return refuse(at, key, "unknown field");
	if (get_bool(at, key, v, &on) != EXIT_OK)
		return EXIT_USAGE;
	if (!strcmp(key, "spoofchk")) {
		d->net.spoofchk = on;
		d->net_which |= SRIOVVIRT_VF_NET_SPOOFCHK;
	} else {
		d->net.trust = on;
		d->net_which |= SRIOVVIRT_VF_NET_TRUST;
	}
	return EXIT_OK;
}

/* qos and vlan_protocol are part of the VLAN setting. */
static int vf_vlan_rules(const struct at *at, json_object *obj,
			 struct vf_decl *d)
{
	json_object *qos = NULL, *proto = NULL;

	json_object_object_get_ex(obj, "qos", &qos);
	json_object_object_get_ex(obj, "vlan_protocol", &proto);
	if (!d->net.vlan_proto)
		d->net.vlan_proto = ETH_P_8021Q;
	if (d->net_which & SRIOVVIRT_VF_NET_VLAN) {
		/* vlan 0 with a qos is priority tagging; 802.1ad needs an ID */
		if (!d->net.vlan && d->net.vlan_proto == ETH_P_8021AD)
			return refuse(at, "vlan_protocol", "802.1ad needs a VLAN");
		return EXIT_OK;
	}
	if ((qos && !json_object_is_type(qos, json_type_null)) ||
	    (proto && !json_object_is_type(proto, json_type_null)))
		return refuse(at, qos ? "qos" : "vlan_protocol",
			      "given without vlan");
	return EXIT_OK;
}

static int read_vf(struct at *at, json_object *obj, struct vf_decl *d)
{
	json_object *index;
	uint64_t n;
	int r = EXIT_OK;

	if (want_type(at, NULL, obj, json_type_object, "an object") != EXIT_OK)
		return EXIT_USAGE;
	if (!json_object_object_get_ex(obj, "index", &index))
		return refuse(at, "index", "missing: which VF?");
	if (get_uint(at, "index", index, UINT16_MAX - 1, &n) != EXIT_OK)
		return EXIT_USAGE;
	memset(d, 0, sizeof(*d));
	d->index = (uint16_t)n;
	d->net.size = sizeof(d->net);
	json_object_object_foreach(obj, key, v) {
		if (r == EXIT_OK && strcmp(key, "index"))
			r = vf_setting(at, key, v, d);
	}
	if (r == EXIT_OK)
		r = vf_vlan_rules(at, obj, d);
	snprintf(d->where, sizeof(d->where), "%s: %s", at->file, at->path);
	return r;
}

/* ------------------------------------------------------------------------ */
/* PFs                                                                      */
/* ------------------------------------------------------------------------ */

/* show's facts about a PF: checked where a mismatch means another device
 * (IDs, driver), ignored where the kernel decides (the rest). */
static bool pf_fact(const char *key)
{
	return !strcmp(key, "netdev");
}

static int check_fact_uint(const struct at *at, const char *key,
			   json_object *v, uint16_t actual)
{
	uint64_t n;

	if (get_uint(at, key, v, UINT16_MAX, &n) != EXIT_OK)
		return EXIT_USAGE;
	if (n != actual)
		return refuse(at, key, "%#06llx, but the device has %#06x",
			      (unsigned long long)n, actual);
	return EXIT_OK;
}

static int check_pf_driver(const struct at *at, json_object *v,
			   struct pf_decl *d)
{
	char driver[SRIOVVIRT_DRIVER_NAME_MAX] = "";
	const char *want = NULL;
	int r;

	if (!json_object_is_type(v, json_type_null) &&
	    get_string(at, "driver", v, &want) != EXIT_OK)
		return EXIT_USAGE;
	r = sriovvirt_dev_get_driver(at->cli->ctx,
				     sriovvirt_pf_get_addr(d->pf), driver,
				     sizeof(driver));
	if (r < 0 && r != -ENODATA)
		return cli_fail(at->cli, r, "%s: driver", at->file);
	if (strcmp(want ? want : "", driver))
		return refuse(at, "driver", "the PF's driver is %s, not %s; "
			      "apply does not change it", *driver ? driver :
			      "none", want ? want : "none");
	return EXIT_OK;
}

static int read_num_vfs(const struct at *at, const char *key, json_object *v,
			struct pf_decl *d)
{
	uint16_t total = 0;
	uint64_t n;
	int r;

	r = sriovvirt_pf_get_total_vfs(d->pf, &total);
	if (r < 0)
		return cli_fail(at->cli, r, "%s: TotalVFs", at->file);
	if (get_uint(at, key, v, UINT16_MAX, &n) != EXIT_OK)
		return EXIT_USAGE;
	if (n > total)
		return refuse(at, key, "%llu is above the PF's TotalVFs, %u",
			      (unsigned long long)n, total);
	if (d->has_num_vfs && d->num_vfs != n)
		return refuse(at, key, "%llu disagrees with num_vfs %u",
			      (unsigned long long)n, d->num_vfs);
	d->has_num_vfs = true;
	d->num_vfs = (uint16_t)n;
	return EXIT_OK;
}

/* show's "sriov" object: its num_vfs is the count to converge to; the
 * rest is the capability as the device has it, and a typo is refused. */
static int read_sriov(struct at *at, json_object *v, struct pf_decl *d)
{
	static const char *const facts[] = {
		"cap_offset", "cap_version", "capabilities", "control", "status",
		"total_vfs", "driver_total_vfs", "initial_vfs", "vf_offset",
		"vf_stride", "vf_device_id", "function_dependency_link",
		"supported_page_sizes", "system_page_size", "vf_migration_state",
		"captured_bus_numbers", "vf_bars", NULL,
	};
	char key_at[48];
	bool known;

	if (want_type(at, "sriov", v, json_type_object, "an object") != EXIT_OK)
		return EXIT_USAGE;
	json_object_object_foreach(v, key, member) {
		snprintf(key_at, sizeof(key_at), "sriov.%s", key);
		if (!strcmp(key, "num_vfs")) {
			if (read_num_vfs(at, key_at, member, d) != EXIT_OK)
				return EXIT_USAGE;
			continue;
		}
		known = false;
		for (int i = 0; facts[i] && !known; i++)
			known = !strcmp(key, facts[i]);
		if (!known)
			return refuse(at, key_at, "unknown field");
	}
	return EXIT_OK;
}

static int read_vfs(struct at *at, json_object *v, struct pf_decl *d)
{
	size_t len, base = strlen(at->path);
	int r = EXIT_OK;

	if (want_type(at, "vfs", v, json_type_array, "an array") != EXIT_OK)
		return EXIT_USAGE;
	len = json_object_array_length(v);
	d->vfs = calloc(len ? len : 1, sizeof(*d->vfs));
	if (!d->vfs)
		return cli_fail(at->cli, -ENOMEM, "%s", at->file);
	for (size_t i = 0; r == EXIT_OK && i < len; i++) {
		snprintf(at->path + base, sizeof(at->path) - base, "%svfs[%zu]",
			 base ? "." : "", i);
		r = read_vf(at, json_object_array_get_idx(v, i), &d->vfs[i]);
		for (size_t k = 0; r == EXIT_OK && k < i; k++) {
			if (d->vfs[k].index == d->vfs[i].index)
				r = refuse(at, "index", "VF %u is declared twice",
					   d->vfs[i].index);
		}
		d->nr_vfs = i + 1;
	}
	at->path[base] = '\0';
	return r;
}

static int pf_field(struct at *at, const char *key, json_object *v,
		    struct pf_decl *d)
{
	const struct sriovvirt_pci_addr *addr = sriovvirt_pf_get_addr(d->pf);
	uint16_t vendor = 0, device = 0;
	int r;

	if (!strcmp(key, "address") || pf_fact(key))
		return EXIT_OK;		/* resolved by find_pf() */
	if (!strcmp(key, "num_vfs"))
		return read_num_vfs(at, key, v, d);
	if (!strcmp(key, "autoprobe")) {
		if (json_object_is_type(v, json_type_null))
			return EXIT_OK;		/* show: the kernel has none */
		d->has_autoprobe = true;
		return get_bool(at, key, v, &d->autoprobe);
	}
	if (!strcmp(key, "sriov"))
		return read_sriov(at, v, d);
	if (!strcmp(key, "vfs"))
		return read_vfs(at, v, d);
	if (!strcmp(key, "driver"))
		return check_pf_driver(at, v, d);
	if (strcmp(key, "vendor_id") && strcmp(key, "device_id"))
		return refuse(at, key, "unknown field");
	r = sriovvirt_dev_get_ids(at->cli->ctx, addr, &vendor, &device);
	if (r < 0)
		return cli_fail(at->cli, r, "%s: IDs", at->file);
	return check_fact_uint(at, key, v,
			       !strcmp(key, "vendor_id") ? vendor : device);
}

/*
 * With --pf, whether the object names that PF, decided without opening the
 * PF it names: at boot, other PFs' drivers may not be there yet.
 */
static bool names_only(const struct at *at, const char *address,
		       const char *netdev)
{
	char name[SRIOVVIRT_PCI_ADDR_BUFSIZE], ifname[64];
	struct sriovvirt_pci_addr addr;

	if (address)
		return sriovvirt_pci_addr_parse(address, &addr) == 0 &&
		       sriovvirt_pci_addr_format(&addr, name, sizeof(name)) == 0 &&
		       !strcmp(name, sriovvirt_pf_get_name(at->only));
	return sriovvirt_pf_get_netdev(at->only, ifname, sizeof(ifname)) == 0 &&
	       !strcmp(ifname, netdev);
}

/* The PF the object names by "address" or "netdev" (both: the same one);
 * with --pf, d->pf stays NULL for another PF's object. */
static int find_pf(struct at *at, json_object *obj, struct pf_decl *d)
{
	json_object *address = NULL, *netdev = NULL;
	const char *a = NULL, *n = NULL;
	struct sriovvirt_pf *other;
	int r;

	json_object_object_get_ex(obj, "address", &address);
	json_object_object_get_ex(obj, "netdev", &netdev);
	if (netdev && json_object_is_type(netdev, json_type_null))
		netdev = NULL;
	if (!address && !netdev)
		return refuse(at, "address", "missing: name the PF by address "
			      "or by netdev");
	if ((address && get_string(at, "address", address, &a) != EXIT_OK) ||
	    (netdev && get_string(at, "netdev", netdev, &n) != EXIT_OK))
		return EXIT_USAGE;
	if (at->only && !names_only(at, a, n))
		return EXIT_OK;
	r = sriovvirt_pf_open(at->cli->ctx, a ? a : n, &d->pf);
	if (r < 0)
		return refuse(at, a ? "address" : "netdev", "%s: %s", a ? a : n,
			      r == -EOPNOTSUPP ? "not an SR-IOV PF" :
			      r == -EINVAL ? "neither a PCI address nor an "
			      "interface name" : strerror(-r));
	if (!a || !n)
		return EXIT_OK;
	r = sriovvirt_pf_open(at->cli->ctx, n, &other);
	if (r == 0) {
		r = strcmp(sriovvirt_pf_get_name(other),
			   sriovvirt_pf_get_name(d->pf)) ? -ENODEV : 0;
		sriovvirt_pf_unref(other);
	}
	if (r == 0)
		return EXIT_OK;
	return refuse(at, "netdev", "%s is not the network interface of %s", n,
		      a);
}

/* VF indexes must exist once num_vfs (declared, or the current) is set. */
static int check_vf_indexes(const struct at *at, struct pf_decl *d)
{
	uint16_t num_vfs = d->num_vfs;
	int r;

	if (!d->has_num_vfs) {
		r = sriovvirt_pf_get_num_vfs(d->pf, &num_vfs);
		if (r < 0)
			return cli_fail(at->cli, r, "%s: NumVFs", at->file);
	}
	for (size_t i = 0; i < d->nr_vfs; i++) {
		if (d->vfs[i].index >= num_vfs)
			return cli_usage_error(at->cli, "%s: VF %u is declared, "
					       "but the PF will have %u VFs",
					       d->vfs[i].where, d->vfs[i].index,
					       num_vfs);
	}
	return EXIT_OK;
}

/* A VF driver that is not loaded would fail the apply half way. */
static int check_drivers(const struct at *at, struct pf_decl *d)
{
	for (size_t i = 0; i < d->nr_vfs; i++) {
		const struct vf_decl *vf = &d->vfs[i];

		if (vf->has_driver && vf->driver[0] &&
		    sriovvirt_pf_driver_loaded(d->pf, vf->driver) < 0)
			return cli_usage_error(at->cli, "%s.driver: PCI driver "
					       "\"%s\" is not loaded (modprobe "
					       "%s, or list it in "
					       "/etc/modules-load.d/)",
					       vf->where, vf->driver, vf->driver);
	}
	return EXIT_OK;
}

/* NIC settings need a network interface on the PF. */
static int check_netdev(const struct at *at, struct pf_decl *d)
{
	char name[64];

	for (size_t i = 0; i < d->nr_vfs; i++) {
		if (d->vfs[i].net_which &&
		    sriovvirt_pf_get_netdev(d->pf, name, sizeof(name)) < 0)
			return cli_usage_error(at->cli, "%s: NIC settings, but "
					       "the PF has no network interface",
					       d->vfs[i].where);
	}
	return EXIT_OK;
}

static int read_pf(struct at *at, json_object *obj, struct pf_decl *d)
{
	int r;

	if (want_type(at, NULL, obj, json_type_object, "an object") != EXIT_OK)
		return EXIT_USAGE;
	r = find_pf(at, obj, d);
	if (r == EXIT_OK && !d->pf)
		return EXIT_OK;		/* another PF's, with --pf */
	json_object_object_foreach(obj, key, v) {
		if (r == EXIT_OK)
			r = pf_field(at, key, v, d);
	}
	if (r == EXIT_OK)
		r = check_vf_indexes(at, d);
	if (r == EXIT_OK)
		r = check_netdev(at, d);
	if (r == EXIT_OK)
		r = check_drivers(at, d);
	snprintf(d->where, sizeof(d->where), "%s: %s", at->file, at->path);
	return r;
}

/* ------------------------------------------------------------------------ */
/* Documents                                                                */
/* ------------------------------------------------------------------------ */

static int add_pfs(struct cli *cli, struct sriovvirt_pf *only,
		   const char *file, json_object *root, struct apply_doc *doc)
{
	bool array = json_object_is_type(root, json_type_array);
	size_t n = array ? json_object_array_length(root) : 1;
	struct at at = { .cli = cli, .file = file, .only = only };
	struct pf_decl *pfs;
	int r = EXIT_OK;

	pfs = realloc(doc->pfs, (doc->nr_pfs + n) * sizeof(*pfs));
	if (!pfs)
		return cli_fail(cli, -ENOMEM, "%s", file);
	doc->pfs = pfs;
	for (size_t i = 0; r == EXIT_OK && i < n; i++) {
		struct pf_decl *d = &doc->pfs[doc->nr_pfs++];

		memset(d, 0, sizeof(*d));
		if (array)
			snprintf(at.path, sizeof(at.path), "[%zu]", i);
		r = read_pf(&at, array ? json_object_array_get_idx(root, i) :
				     root, d);
		if (r == EXIT_OK && !d->pf)
			doc->nr_pfs--;	/* another PF's, with --pf */
	}
	return r;
}

/* The same PF twice would converge to whichever came last: refused. */
static int check_duplicates(struct cli *cli, const struct apply_doc *doc)
{
	for (size_t i = 0; i < doc->nr_pfs; i++) {
		for (size_t k = 0; k < i; k++) {
			if (!strcmp(sriovvirt_pf_get_name(doc->pfs[i].pf),
				    sriovvirt_pf_get_name(doc->pfs[k].pf)))
				return cli_usage_error(cli, "%s: %s is declared "
						       "again (first in %s)",
						       doc->pfs[i].where,
						       sriovvirt_pf_get_name(doc->pfs[i].pf),
						       doc->pfs[k].where);
		}
	}
	return EXIT_OK;
}

static int read_file(struct cli *cli, struct sriovvirt_pf *only,
		     const char *file, struct apply_doc *doc)
{
	json_object *root;
	int r;

	root = json_object_from_file(file);
	if (!root) {
		const char *why = json_util_get_last_err();

		return cli_usage_error(cli, "%s: not a JSON document: %.*s", file,
				       why ? (int)strcspn(why, "\n") : 0,
				       why ? why : "");
	}
	if (!json_object_is_type(root, json_type_object) &&
	    !json_object_is_type(root, json_type_array)) {
		json_object_put(root);
		return cli_usage_error(cli, "%s: must be a PF object or an array "
				       "of them", file);
	}
	r = add_pfs(cli, only, file, root, doc);
	json_object_put(root);
	return r;
}

static int has_json_suffix(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 5 && !strcmp(d->d_name + n - 5, ".json");
}

static int read_dir(struct cli *cli, struct sriovvirt_pf *only,
		    const char *dir, struct apply_doc *doc)
{
	struct dirent **names;
	char path[4096];
	int n, r = EXIT_OK;

	n = scandir(dir, &names, has_json_suffix, alphasort);
	if (n < 0)
		return cli_usage_error(cli, "%s: %s", dir, strerror(errno));
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (r == EXIT_OK)
			r = read_file(cli, only, path, doc);
		free(names[i]);
	}
	free(names);
	return r;
}

int apply_doc_read(struct cli *cli, struct sriovvirt_pf *only, char **paths,
		   int nr_paths, struct apply_doc *ret)
{
	struct apply_doc doc = { NULL, 0 };
	struct stat st;
	int r = EXIT_OK;

	for (int i = 0; r == EXIT_OK && i < nr_paths; i++) {
		if (stat(paths[i], &st) < 0)
			r = cli_usage_error(cli, "%s: %s", paths[i],
					    strerror(errno));
		else if (S_ISDIR(st.st_mode))
			r = read_dir(cli, only, paths[i], &doc);
		else
			r = read_file(cli, only, paths[i], &doc);
	}
	if (r == EXIT_OK)
		r = check_duplicates(cli, &doc);
	if (r != EXIT_OK) {
		apply_doc_free(&doc);
		return r;
	}
	*ret = doc;
	return EXIT_OK;
}

void apply_doc_free(struct apply_doc *doc)
{
	for (size_t i = 0; i < doc->nr_pfs; i++) {
		free(doc->pfs[i].vfs);
		sriovvirt_pf_unref(doc->pfs[i].pf);
	}
	free(doc->pfs);
	doc->pfs = NULL;
	doc->nr_pfs = 0;
}
