// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Physical functions: enumeration, handles, and the checks every VF operation
 * shares. A handle holds an O_PATH fd on the PF's sysfs directory, so VF
 * directories are reached as "virtfnN" below it and no path is rebuilt.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

static int append_addr(struct sriovvirt_pci_addr **v, size_t *n, size_t *cap,
		       const struct sriovvirt_pci_addr *addr)
{
	struct sriovvirt_pci_addr *bigger;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		bigger = realloc(*v, *cap * sizeof(**v));
		if (!bigger)
			return -ENOMEM;
		*v = bigger;
	}
	(*v)[(*n)++] = *addr;
	return 0;
}

/* A PF is any function the kernel gives sriov_totalvfs (iov.c's test). */
static bool entry_is_pf(int devices_fd, const char *name)
{
	char attr[NAME_MAX + 32];

	snprintf(attr, sizeof(attr), "%s/sriov_totalvfs", name);
	return faccessat(devices_fd, attr, F_OK, 0) == 0;
}

static int scan_pfs(struct sriovvirt_ctx *ctx, DIR *dir,
		    struct sriovvirt_pci_addr **ret_addrs, size_t *ret_count)
{
	struct sriovvirt_pci_addr *addrs = NULL, addr;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int r = 0;

	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		if (sriovvirt_pci_addr_parse(de->d_name, &addr) < 0) {
			sv_dbg(ctx, "ignoring %s: not a PCI address", de->d_name);
			continue;
		}
		if (!entry_is_pf(dirfd(dir), de->d_name))
			continue;
		r = append_addr(&addrs, &n, &cap, &addr);
		if (r < 0)
			break;
	}
	if (r < 0) {
		free(addrs);
		return r;
	}
	if (n)
		qsort(addrs, n, sizeof(*addrs), addr_cmp);
	*ret_addrs = addrs;
	*ret_count = n;
	return 0;
}

SV_EXPORT int sriovvirt_list_pfs(struct sriovvirt_ctx *ctx,
				 struct sriovvirt_pci_addr **ret_addrs,
				 size_t *ret_count)
{
	char path[PATH_MAX];
	DIR *dir;
	int r;

	if (!ctx || !ret_addrs || !ret_count)
		return -EINVAL;
	r = snprintf(path, sizeof(path), "%s/bus/pci/devices", ctx->sysfs_root);
	if (r < 0 || (size_t)r >= sizeof(path))
		return -ENAMETOOLONG;
	dir = opendir(path);
	if (!dir) {
		r = -errno;
		sv_err(ctx, "cannot list PCI devices in %s: %s", path,
		       strerror(-r));
		return r;
	}
	r = scan_pfs(ctx, dir, ret_addrs, ret_count);
	closedir(dir);
	return r;
}

static int check_is_pf(struct sriovvirt_ctx *ctx, int fd, const char *name)
{
	if (faccessat(fd, "sriov_totalvfs", F_OK, 0) == 0)
		return 0;
	if (faccessat(fd, "physfn", F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		sv_err(ctx, "%s is a virtual function, not a physical function; "
		       "name its PF instead (see its physfn link)", name);
	else
		sv_err(ctx, "%s is not an SR-IOV physical function: it has no "
		       "SR-IOV capability (no sriov_totalvfs in sysfs)", name);
	return -EOPNOTSUPP;
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
	r = sv_dev_open_dir(ctx, addr, &fd);
	if (r == -ENODEV)
		sv_err(ctx, "%s: no such PCI device in %s/bus/pci/devices", name,
		       ctx->sysfs_root);
	if (r < 0)
		return r;
	r = check_is_pf(ctx, fd, name);
	if (r == 0)
		r = pf_new(ctx, addr, fd, ret);
	if (r < 0)
		close(fd);
	return r;
}

/* A network interface's PCI function: class/net/NAME/device links to it. */
static int netdev_addr(struct sriovvirt_ctx *ctx, const char *ifname,
		       struct sriovvirt_pci_addr *ret)
{
	char path[PATH_MAX], base[NAME_MAX + 1];
	int fd, r;

	r = snprintf(path, sizeof(path), "%s/class/net/%s", ctx->sysfs_root,
		     ifname);
	if (r < 0 || (size_t)r >= sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		sv_err(ctx, "%s: no such network interface", ifname);
		return -ENODEV;
	}
	r = sv_attr_read_link(fd, "device", base, sizeof(base));
	close(fd);
	if (r < 0 || sriovvirt_pci_addr_parse(base, ret) < 0) {
		sv_err(ctx, "%s: network interface is not a PCI function",
		       ifname);
		return -ENODEV;
	}
	return 0;
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
	sv_pf_close_vf_files(pf);
	free(pf->vfs);
	close(pf->dirfd);
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
	return read_u16_attr(pf, "sriov_totalvfs", ret);
}

/* -EINVAL, with the reason logged, unless VF @vf is enabled now. */
int sv_pf_check_vf(struct sriovvirt_pf *pf, uint16_t vf)
{
	uint16_t num_vfs;
	int r;

	r = sv_pf_num_vfs(pf, &num_vfs);
	if (r < 0)
		return r;
	if (vf >= num_vfs) {
		sv_err(pf->ctx, "%s: VF %u does not exist: the PF has %u VFs "
		       "enabled (VF indexes are 0..NumVFs-1)", pf->name, vf,
		       num_vfs);
		return -EINVAL;
	}
	return 0;
}

/*
 * Opens VF @vf's sysfs directory through the PF's virtfnN link. A missing link
 * is a bad index when NumVFs says so, else a VF that vanished (or has not
 * appeared yet).
 */
int sv_pf_open_vf_dir(struct sriovvirt_pf *pf, uint16_t vf, int *ret_fd)
{
	char link[32];
	int fd, r;

	snprintf(link, sizeof(link), "virtfn%u", vf);
	fd = openat(pf->dirfd, link, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		*ret_fd = fd;
		return 0;
	}
	if (errno != ENOENT && errno != ENOTDIR)
		return -errno;
	r = sv_pf_check_vf(pf, vf);
	if (r < 0)
		return r;
	sv_err(pf->ctx, "%s: VF %u is counted in sriov_numvfs but %s is missing",
	       pf->name, vf, link);
	return -ENODEV;
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
 * Reads the PF's config space into @cfg (PCI_CFG_SPACE_EXP_SIZE bytes) and finds the
 * SR-IOV capability. A short image means the caller lacks CAP_SYS_ADMIN.
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
