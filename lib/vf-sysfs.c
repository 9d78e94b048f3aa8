// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The sysfs VF backend: a VF's config space is its sysfs config file (the
 * host's raw view: the kernel does the access, nothing is virtualized), its
 * reset the sysfs reset attribute. All through the context's I/O seam.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

/* sysfs sizes the file as the function's config space: 256 or 4096. */
static int config_size_of(struct sriovvirt_pf *pf, int fd, uint16_t *ret)
{
	struct stat st;
	int r;

	r = sv_stat(pf->ctx, fd, "", &st, AT_EMPTY_PATH);
	if (r < 0)
		return r == -ENOENT ? -ENODEV : r;
	*ret = st.st_size > 0 && st.st_size < PCI_CFG_SPACE_EXP_SIZE ?
		       (uint16_t)st.st_size : PCI_CFG_SPACE_EXP_SIZE;
	return 0;
}

/* Read-write when allowed; read-only for an unprivileged reader. */
static int sysfs_open(struct sriovvirt_pf *pf, uint16_t vf, bool write,
		      struct sv_vf_slot *slot)
{
	struct sv_vf_path path;
	int fd, r;

	sv_vf_path(&path, vf, "config");
	fd = sv_open(pf->ctx, pf->dirfd, path.s, O_RDWR);
	slot->writable = fd >= 0;
	if ((fd == -EACCES || fd == -EPERM) && !write)
		fd = sv_open(pf->ctx, pf->dirfd, path.s, O_RDONLY);
	if (fd >= 0) {
		r = config_size_of(pf, fd, &slot->config_size);
		if (r < 0) {
			sv_close(pf->ctx, fd);
			return r;
		}
		slot->fd = fd;
		return 0;
	}
	if (fd == -ENOENT || fd == -ENOTDIR)
		return sv_vf_missing(pf, vf);
	sv_err(pf->ctx, "%s: VF %u: cannot open config space: %s%s", pf->name,
	       vf, strerror(-fd),
	       fd == -EACCES || fd == -EPERM ? " (writing needs root)" : "");
	return fd;
}

static ssize_t sysfs_read(struct sriovvirt_pf *pf, struct sv_vf_slot *slot,
			  void *buf, size_t len, uint32_t offset)
{
	struct sriovvirt_ctx *ctx = pf->ctx;

	return ctx->sys->pread(ctx->sys_data, slot->fd, buf, len, offset);
}

static ssize_t sysfs_write(struct sriovvirt_pf *pf, struct sv_vf_slot *slot,
			   const void *buf, size_t len, uint32_t offset)
{
	struct sriovvirt_ctx *ctx = pf->ctx;

	return ctx->sys->pwrite(ctx->sys_data, slot->fd, buf, len, offset);
}

static uint16_t sysfs_size(const struct sv_vf_slot *slot)
{
	return slot->config_size;
}

/*
 * The kernel saves config space, tries reset_method's methods in order and
 * restores it (pci.c pci_reset_function); reset.c has checked the methods.
 */
static int sysfs_reset(struct sriovvirt_pf *pf, uint16_t vf, int vf_dirfd,
		       struct sv_vf_slot *slot)
{
	int r;

	(void)vf;
	(void)slot;
	r = sv_attr_write(pf->ctx, vf_dirfd, "reset", "1\n");
	return r == -ENOENT ? -ENODEV : r;
}

static void sysfs_close(struct sriovvirt_pf *pf, struct sv_vf_slot *slot)
{
	sv_close(pf->ctx, slot->fd);
	slot->fd = -1;
}

const struct sv_vf_backend sv_vf_sysfs = {
	.name = "sysfs",
	.reopens = true,
	.open = sysfs_open,
	.read = sysfs_read,
	.write = sysfs_write,
	.size = sysfs_size,
	.reset = sysfs_reset,
	.close = sysfs_close,
};
