// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Physical functions: enumeration, handles, and the PF facts every operation
 * shares. A handle holds an O_PATH fd on the PF's sysfs directory, so VF
 * directories are reached as "virtfnN" below it and no path is rebuilt.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

static int addr_cmp(const void *a, const void *b)
{
	const struct sriovvirt_pci_addr *x = a, *y = b;

	if (x->domain != y->domain)
		return x->domain < y->domain ? -1 : 1;
	if (x->bus != y->bus)
		return x->bus - y->bus;
	if (x->device != y->device)
		return x->device - y->device;
	return x->function - y->function;
}

/* The PCI functions in a devices directory, as a growing array. */
struct addr_list {
	struct sriovvirt_ctx *ctx;
	struct sriovvirt_pci_addr *v;
	size_t n, cap;
};

static int collect_addr(void *userdata, const char *name)
{
	struct addr_list *l = userdata;
	struct sriovvirt_pci_addr addr, *bigger;

	if (sriovvirt_pci_addr_parse(name, &addr) < 0) {
		sv_dbg(l->ctx, "ignoring %s: not a PCI address", name);
		return 0;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		bigger = realloc(l->v, l->cap * sizeof(*l->v));
		if (!bigger)
			return -ENOMEM;
		l->v = bigger;
	}
	l->v[l->n++] = addr;
	return 0;
}

/*
 * The VFs of the PFs found so far, as routing IDs of one domain. The list is
 * sorted and a VF's routing ID is above its PF's, so a PF is always found
 * before its VFs, which are then passed over without a system call: one
 * check per PF and other function instead of one per function.
 */
struct vf_marks {
	uint32_t domain;
	uint8_t bits[(0xffff + 1) / 8];
};

static bool marked(const struct vf_marks *m, const struct sriovvirt_pci_addr *a)
{
	uint32_t rid = sv_routing_id(a);

	return a->domain == m->domain && (m->bits[rid / 8] & (1u << (rid % 8)));
}

static int read_pf_u16(struct sriovvirt_ctx *ctx, int devices_fd,
		       const char *pf_name, const char *attr, uint16_t *ret)
{
	char path[SRIOVVIRT_PCI_ADDR_BUFSIZE + 32];
	uint64_t v;
	int r;

	snprintf(path, sizeof(path), "%s/%s", pf_name, attr);
	r = sv_attr_read_uint(ctx, devices_fd, path, 10, 0xffff, &v);
	if (r == 0)
		*ret = (uint16_t)v;
	return r;
}

/*
 * Marks the VFs @pf has now. The three values are not read at once: a count
 * that changed meanwhile (another process enabling) may not match offset and
 * stride, so then nothing is marked and the VFs are checked one by one.
 */
static int mark_vfs(struct sriovvirt_ctx *ctx, int devices_fd,
		    const struct sriovvirt_pci_addr *pf, const char *pf_name,
		    struct vf_marks *m)
{
	uint16_t num_vfs = 0, again = 0, offset = 0, stride = 0, i;
	struct sriovvirt_pci_addr vf;
	uint32_t rid;
	int r;

	r = read_pf_u16(ctx, devices_fd, pf_name, "sriov_numvfs", &num_vfs);
	if (r == 0 && num_vfs)
		r = read_pf_u16(ctx, devices_fd, pf_name, "sriov_offset", &offset);
	if (r == 0 && num_vfs)
		r = read_pf_u16(ctx, devices_fd, pf_name, "sriov_stride", &stride);
	if (r == 0 && num_vfs)
		r = read_pf_u16(ctx, devices_fd, pf_name, "sriov_numvfs", &again);
	/* Removed meanwhile (kernfs says ENODEV while it goes), or odd. */
	if (r == -ENOENT || r == -ENODEV || r == -EIO || again != num_vfs)
		return 0;
	if (r < 0)
		return r;
	if (pf->domain != m->domain) {
		memset(m->bits, 0, sizeof(m->bits));
		m->domain = pf->domain;
	}
	for (i = 0; i < num_vfs; i++) {
		if (sv_vf_location(pf, offset, stride, i, &vf) < 0)
			break;
		rid = sv_routing_id(&vf);
		m->bits[rid / 8] |= (uint8_t)(1u << (rid % 8));
	}
	return 0;
}

/* A PF is any function the kernel gives sriov_totalvfs (iov.c's test). */
static int keep_pfs(struct sriovvirt_ctx *ctx, int devices_fd,
		    struct addr_list *l)
{
	char name[SRIOVVIRT_PCI_ADDR_BUFSIZE], attr[SRIOVVIRT_PCI_ADDR_BUFSIZE + 16];
	struct vf_marks *m;
	size_t i, kept = 0;
	int r = 0;

	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	for (i = 0; i < l->n; i++) {
		if (marked(m, &l->v[i]))
			continue;
		sriovvirt_pci_addr_format(&l->v[i], name, sizeof(name));
		snprintf(attr, sizeof(attr), "%s/sriov_totalvfs", name);
		r = sv_exists(ctx, devices_fd, attr, false);
		if (r == -ENOENT || r == -ENOTDIR || r == -ENODEV) {
			r = 0;
			continue;	/* not a PF, or removed meanwhile */
		}
		if (r == 0)
			r = mark_vfs(ctx, devices_fd, &l->v[i], name, m);
		if (r < 0)
			break;
		l->v[kept++] = l->v[i];
	}
	free(m);
	l->n = kept;
	return r;
}

static int scan_pfs(struct sriovvirt_ctx *ctx, int devices_fd,
		    struct addr_list *l)
{
	int r;

	r = ctx->sys->read_dir(ctx->sys_data, devices_fd, ".", collect_addr, l);
	if (r < 0)
		return r;
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), addr_cmp);
	return keep_pfs(ctx, devices_fd, l);
}

SV_EXPORT int sriovvirt_list_pfs(struct sriovvirt_ctx *ctx,
				 struct sriovvirt_pci_addr **ret_addrs,
				 size_t *ret_count)
{
	struct addr_list l = { .ctx = ctx };
	char path[PATH_MAX];
	int fd, r;

	if (!ctx || !ret_addrs || !ret_count)
		return -EINVAL;
	r = snprintf(path, sizeof(path), "%s/bus/pci/devices", ctx->sysfs_root);
	if (r < 0 || (size_t)r >= sizeof(path))
		return -ENAMETOOLONG;
	fd = sv_open(ctx, AT_FDCWD, path, O_PATH | O_DIRECTORY);
	r = fd < 0 ? fd : scan_pfs(ctx, fd, &l);
	sv_close(ctx, fd);
	if (r < 0) {
		sv_err(ctx, "cannot list PCI devices in %s: %s", path,
		       strerror(-r));
		free(l.v);
		return r;
	}
	if (!l.n) {
		free(l.v);
		l.v = NULL;
	}
	*ret_addrs = l.v;
	*ret_count = l.n;
	return 0;
}

static int check_is_pf(struct sriovvirt_ctx *ctx, int fd, const char *name)
{
	int r;

	r = sv_exists(ctx, fd, "sriov_totalvfs", false);
	if (r != -ENOENT)
		return r;
	r = sv_exists(ctx, fd, "physfn", true);
	if (r == 0)
		sv_err(ctx, "%s is a virtual function, not a physical function; "
		       "name its PF instead (see its physfn link)", name);
	else if (r == -ENOENT)
		sv_err(ctx, "%s is not an SR-IOV physical function: it has no "
		       "SR-IOV capability (no sriov_totalvfs in sysfs)", name);
	return r == 0 || r == -ENOENT ? -EOPNOTSUPP : r;
}

static int pf_new(struct sriovvirt_ctx *ctx, const struct sriovvirt_pci_addr *addr,
		  int fd, struct sriovvirt_pf **ret)
{
	struct sriovvirt_pf *pf;

	pf = calloc(1, sizeof(*pf));
	if (!pf)
		return -ENOMEM;
	pf->refcount = 1;
	pf->addr = *addr;
	pf->dirfd = fd;
	pf->run_dirfd = -1;
	sv_cancel_init(&pf->cancel);
	sriovvirt_pci_addr_format(addr, pf->name, sizeof(pf->name));
	pf->root = strdup(ctx->sysfs_root);
	if (!pf->root || asprintf(&pf->path, "%s/bus/pci/devices/%s", pf->root,
				  pf->name) < 0) {
		free(pf->root);
		free(pf);
		return -ENOMEM;
	}
	pf->ctx = sriovvirt_ctx_ref(ctx);
	*ret = pf;
	return 0;
}

SV_EXPORT int sriovvirt_pf_open_addr(struct sriovvirt_ctx *ctx,
				     const struct sriovvirt_pci_addr *addr,
				     struct sriovvirt_pf **ret)
{
	char name[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	int fd, r;

	if (!ctx || !addr || !ret)
		return -EINVAL;
	if (sriovvirt_pci_addr_format(addr, name, sizeof(name)) < 0)
		return -EINVAL;
	r = sv_dev_open_dir(ctx, ctx->sysfs_root, addr, &fd);
	if (r == -ENODEV)
		sv_err(ctx, "%s: no such PCI device in %s/bus/pci/devices", name,
		       ctx->sysfs_root);
	else if (r == -ENOENT)
		sv_err(ctx, "%s has no bus/pci/devices: not a sysfs tree",
		       ctx->sysfs_root);
	if (r < 0)
		return r;
	r = check_is_pf(ctx, fd, name);
	if (r == 0)
		r = pf_new(ctx, addr, fd, ret);
	if (r < 0)
		sv_close(ctx, fd);
	return r;
}

/* A network interface's PCI function: class/net/NAME/device links to it. */
static int netdev_addr(struct sriovvirt_ctx *ctx, const char *ifname,
		       struct sriovvirt_pci_addr *ret)
{
	char path[PATH_MAX];
	int fd, r;

	r = snprintf(path, sizeof(path), "%s/class/net/%s", ctx->sysfs_root,
		     ifname);
	if (r < 0 || (size_t)r >= sizeof(path))
		return -ENAMETOOLONG;
	fd = sv_open(ctx, AT_FDCWD, path, O_PATH | O_DIRECTORY);
	if (fd == -ENOENT || fd == -ENOTDIR) {
		sv_err(ctx, "%s: no such network interface", ifname);
		return -ENODEV;
	}
	if (fd < 0)
		return fd;
	r = sv_read_link_addr(ctx, fd, "device", ret);
	sv_close(ctx, fd);
	if (r == -ENOENT || r == -EIO) {
		sv_err(ctx, "%s: network interface is not a PCI function",
		       ifname);
		return -ENODEV;
	}
	return r;
}

SV_EXPORT int sriovvirt_pf_open(struct sriovvirt_ctx *ctx, const char *name,
				struct sriovvirt_pf **ret)
{
	struct sriovvirt_pci_addr addr;
	int r;

	if (!ctx || !name || !ret)
		return -EINVAL;
	if (sriovvirt_pci_addr_parse(name, &addr) < 0) {
		if (!sv_ifname_valid(name)) {
			sv_err(ctx, "\"%.64s\" is neither a PCI address "
			       "(DDDD:BB:DD.F) nor a network interface name",
			       name);
			return -EINVAL;
		}
		r = netdev_addr(ctx, name, &addr);
		if (r < 0)
			return r;
	}
	return sriovvirt_pf_open_addr(ctx, &addr, ret);
}

SV_EXPORT struct sriovvirt_pf *sriovvirt_pf_ref(struct sriovvirt_pf *pf)
{
	if (pf)
		pf->refcount++;
	return pf;
}

SV_EXPORT struct sriovvirt_pf *sriovvirt_pf_unref(struct sriovvirt_pf *pf)
{
	if (!pf || --pf->refcount > 0)
		return NULL;
	sv_pf_close_vfs(pf);
	sv_mitigation_watch_free(pf);
	sv_block_watch_free(pf);
	sv_events_free(pf);
	sv_pcivirt_free(pf);
	sv_cancel_fini(&pf->cancel);
	if (pf->run_dirfd >= 0)
		close(pf->run_dirfd);
	free(pf->vfs);
	sv_close(pf->ctx, pf->dirfd);
	free(pf->path);
	free(pf->root);
	sriovvirt_ctx_unref(pf->ctx);
	free(pf);
	return NULL;
}

SV_EXPORT struct sriovvirt_ctx *sriovvirt_pf_get_ctx(const struct sriovvirt_pf *pf)
{
	return pf ? pf->ctx : NULL;
}

SV_EXPORT const struct sriovvirt_pci_addr *
sriovvirt_pf_get_addr(const struct sriovvirt_pf *pf)
{
	return pf ? &pf->addr : NULL;
}

SV_EXPORT const char *sriovvirt_pf_get_name(const struct sriovvirt_pf *pf)
{
	return pf ? pf->name : NULL;
}

static int read_u16_attr(struct sriovvirt_pf *pf, const char *name,
			 uint16_t *ret)
{
	uint64_t v;
	int r;

	r = sv_attr_read_uint(pf->ctx, pf->dirfd, name, 10, 0xffff, &v);
	if (r == -ENOENT) {
		sv_err(pf->ctx, "%s: %s is gone; the PF was removed", pf->name,
		       name);
		return -ENODEV;
	}
	if (r == -EIO)
		sv_err(pf->ctx, "%s: malformed %s", pf->name, name);
	if (r < 0)
		return r;
	*ret = (uint16_t)v;
	return 0;
}

int sv_pf_num_vfs(struct sriovvirt_pf *pf, uint16_t *ret)
{
	return read_u16_attr(pf, "sriov_numvfs", ret);
}

int sv_pf_total_vfs(struct sriovvirt_pf *pf, uint16_t *ret)
{
	return read_u16_attr(pf, "sriov_totalvfs", ret);
}

SV_EXPORT int sriovvirt_pf_get_num_vfs(struct sriovvirt_pf *pf, uint16_t *ret)
{
	if (!pf || !ret)
		return -EINVAL;
	return sv_pf_num_vfs(pf, ret);
}

SV_EXPORT int sriovvirt_pf_get_total_vfs(struct sriovvirt_pf *pf, uint16_t *ret)
{
	if (!pf || !ret)
		return -EINVAL;
	return sv_pf_total_vfs(pf, ret);
}

int sv_pf_read_config(struct sriovvirt_pf *pf, uint8_t *buf, size_t size,
		      size_t *ret_len)
{
	int r;

	r = sv_read_config(pf->ctx, pf->dirfd, buf, size, ret_len);
	if (r < 0)
		sv_err(pf->ctx, "%s: cannot read config space: %s", pf->name,
		       strerror(-r));
	return r;
}

/*
 * Reads the PF's config space into @cfg (PCI_CFG_SPACE_EXP_SIZE bytes) and
 * finds the SR-IOV capability. A short image means the caller lacks
 * CAP_SYS_ADMIN.
 */
int sv_pf_sriov_cap(struct sriovvirt_pf *pf, uint16_t *ret_offset,
		    uint8_t *cfg, size_t *ret_len)
{
	size_t len;
	int r;

	r = sv_pf_read_config(pf, cfg, PCI_CFG_SPACE_EXP_SIZE, &len);
	if (r < 0)
		return r;
	if (len <= PCI_CFG_SPACE_SIZE) {
		if (len < PCI_CFG_SPACE_SIZE) {
			sv_err(pf->ctx, "%s: only %zu bytes of config space are "
			       "readable; the SR-IOV capability needs root "
			       "(CAP_SYS_ADMIN)", pf->name, len);
			return -EACCES;
		}
		sv_err(pf->ctx, "%s: config space has no extended part, so no "
		       "SR-IOV capability", pf->name);
		return -EOPNOTSUPP;
	}
	r = sv_find_ext_cap(cfg, len, PCI_EXT_CAP_ID_SRIOV, ret_offset);
	if (r < 0) {
		sv_err(pf->ctx, "%s: no SR-IOV capability in config space",
		       pf->name);
		return -EOPNOTSUPP;
	}
	*ret_len = len;
	return 0;
}
