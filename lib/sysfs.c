// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sysfs helpers on the I/O seam. Every attribute is reached relative to a
 * device directory fd, so a path is only ever built from a canonical
 * address, and every access goes through the context's sysfs operations.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

int sv_open(struct sriovvirt_ctx *ctx, int dirfd, const char *path, int flags)
{
	return ctx->sys->open(ctx->sys_data, dirfd, path, flags);
}

/* A close that fails leaves nothing to do: the fd is gone either way. */
void sv_close(struct sriovvirt_ctx *ctx, int fd)
{
	if (fd >= 0)
		ctx->sys->close(ctx->sys_data, fd);
}

int sv_stat(struct sriovvirt_ctx *ctx, int dirfd, const char *path,
	    struct stat *st, int flags)
{
	return ctx->sys->stat(ctx->sys_data, dirfd, path, st, flags);
}

int sv_exists(struct sriovvirt_ctx *ctx, int dirfd, const char *path,
	      bool nofollow)
{
	struct stat st;

	return sv_stat(ctx, dirfd, path, &st, nofollow ? AT_SYMLINK_NOFOLLOW : 0);
}

ssize_t sv_attr_read(struct sriovvirt_ctx *ctx, int dirfd, const char *name,
		     char *buf, size_t size)
{
	ssize_t n;

	if (size == 0)
		return -EINVAL;
	n = ctx->sys->attr_read(ctx->sys_data, dirfd, name, buf, size - 1);
	if (n < 0)
		return n;
	buf[n] = '\0';
	return n;
}

int sv_attr_write(struct sriovvirt_ctx *ctx, int dirfd, const char *name,
		  const char *value)
{
	return ctx->sys->attr_write(ctx->sys_data, dirfd, name, value);
}

int sv_attr_read_uint(struct sriovvirt_ctx *ctx, int dirfd, const char *name,
		      unsigned int base, uint64_t max, uint64_t *ret)
{
	char buf[64];
	ssize_t n;
	int r;

	n = sv_attr_read(ctx, dirfd, name, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	r = sv_parse_uint(buf, (size_t)n, base, max, ret);
	if (r < 0) {
		sv_dbg(ctx, "malformed value in %s: \"%.*s\"", name, (int)n, buf);
		return -EIO;
	}
	return 0;
}

int sv_read_link(struct sriovvirt_ctx *ctx, int dirfd, const char *name,
		 char *buf, size_t size)
{
	char target[PATH_MAX];
	const char *base;
	ssize_t n;

	n = ctx->sys->readlink(ctx->sys_data, dirfd, name, target,
			       sizeof(target) - 1);
	if (n < 0)
		return (int)n;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= size)
		return -ERANGE;
	strcpy(buf, base);
	return 0;
}

int sv_read_link_addr(struct sriovvirt_ctx *ctx, int dirfd, const char *name,
		      struct sriovvirt_pci_addr *ret)
{
	char base[NAME_MAX + 1];
	int r;

	r = sv_read_link(ctx, dirfd, name, base, sizeof(base));
	if (r < 0)
		return r == -ERANGE ? -EIO : r;
	if (sriovvirt_pci_addr_parse(base, ret) < 0) {
		sv_err(ctx, "%s points to \"%s\", not a PCI address", name, base);
		return -EIO;
	}
	return 0;
}

int sv_read_resources(struct sriovvirt_ctx *ctx, int dirfd,
		      struct sv_resource *res, size_t max, size_t *ret_count)
{
	char buf[SV_ATTR_MAX];
	ssize_t n;
	int r;

	n = sv_attr_read(ctx, dirfd, "resource", buf, sizeof(buf));
	if (n < 0)
		return n == -ENOENT ? -ENODEV : (int)n;
	r = sv_parse_resource_file(buf, (size_t)n, res, max, ret_count);
	if (r < 0) {
		sv_err(ctx, "malformed sysfs resource file");
		return -EIO;
	}
	return 0;
}

int sv_dev_open_dir(struct sriovvirt_ctx *ctx, const char *root,
		    const struct sriovvirt_pci_addr *addr, int *ret_fd)
{
	char name[SRIOVVIRT_PCI_ADDR_BUFSIZE], path[PATH_MAX];
	int fd, n;

	if (sriovvirt_pci_addr_format(addr, name, sizeof(name)) < 0)
		return -EINVAL;
	n = snprintf(path, sizeof(path), "%s/bus/pci/devices/%s", root, name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	fd = sv_open(ctx, AT_FDCWD, path, O_PATH | O_DIRECTORY);
	if (fd >= 0) {
		*ret_fd = fd;
		return 0;
	}
	if (fd != -ENOENT && fd != -ENOTDIR)
		return fd;
	/* No such device, or no such sysfs tree: the root is the caller's. */
	path[strlen(path) - strlen(name) - 1] = '\0';
	return sv_exists(ctx, AT_FDCWD, path, false) == -ENOENT ? -ENOENT :
								   -ENODEV;
}

/*
 * Reads a device's whole config space (up to @size bytes). The length read
 * tells what the caller may see: 64 bytes without CAP_SYS_ADMIN, 256 for
 * conventional functions, 4096 for PCIe.
 */
int sv_read_config(struct sriovvirt_ctx *ctx, int dirfd, uint8_t *buf,
		   size_t size, size_t *ret_len)
{
	size_t len = 0;
	ssize_t n = 0;
	int fd;

	fd = sv_open(ctx, dirfd, "config", O_RDONLY);
	if (fd < 0)
		return fd == -ENOENT ? -ENODEV : fd;
	while (len < size) {
		n = ctx->sys->pread(ctx->sys_data, fd, buf + len, size - len,
				    (off_t)len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	sv_close(ctx, fd);
	if (n < 0)
		return (int)n;
	*ret_len = len;
	return 0;
}

/*
 * The real sysfs (wherever it is mounted: /sys, or /host/sys in a container)
 * raises uevents and no inotify events for what the kernel makes; anything
 * else is a fake or copied tree, which only inotify sees change.
 */
int sv_fs_is_sysfs(struct sriovvirt_ctx *ctx, int fd, bool *ret)
{
	unsigned long magic;
	int r;

	r = ctx->sys->fs_magic(ctx->sys_data, fd, &magic);
	if (r < 0)
		return r;
	*ret = magic == SYSFS_MAGIC;
	return 0;
}
