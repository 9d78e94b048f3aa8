// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sysfs access: the default I/O backend and the helpers built on it. Every
 * attribute is opened relative to a device directory fd, so a path is only
 * ever built from a canonical address.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

static ssize_t sysfs_attr_read(void *data, int dirfd, const char *name,
			       char *buf, size_t size)
{
	ssize_t n;
	int fd;

	(void)data;
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size);
	if (n < 0)
		n = -errno;
	close(fd);
	return n;
}

/*
 * O_TRUNC matters on plain files (fake trees, umockdev): writing "4" over
 * "16\n" would leave "46\n". sysfs ignores it. One write(2), as the kernel's
 * store functions parse one buffer.
 */
static int sysfs_attr_write(void *data, int dirfd, const char *name,
			    const char *value)
{
	size_t len = strlen(value);
	ssize_t n;
	int fd, r = 0;

	(void)data;
	fd = openat(dirfd, name, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, value, len);
	if (n < 0)
		r = -errno;
	else if ((size_t)n != len)
		r = -EIO;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	return r;
}

static ssize_t sysfs_cfg_read(void *data, int fd, void *buf, size_t len,
			      off_t off)
{
	ssize_t n;

	(void)data;
	n = pread(fd, buf, len, off);
	return n < 0 ? -errno : n;
}

static ssize_t sysfs_cfg_write(void *data, int fd, const void *buf, size_t len,
			       off_t off)
{
	ssize_t n;

	(void)data;
	n = pwrite(fd, buf, len, off);
	return n < 0 ? -errno : n;
}

const struct sv_io_ops sv_sysfs_io = {
	.attr_read = sysfs_attr_read,
	.attr_write = sysfs_attr_write,
	.cfg_read = sysfs_cfg_read,
	.cfg_write = sysfs_cfg_write,
};

/* Reads an attribute as a NUL-terminated string; returns its length. */
ssize_t sv_attr_read(struct sriovvirt_ctx *ctx, int dirfd, const char *name,
		     char *buf, size_t size)
{
	ssize_t n;

	if (size == 0)
		return -EINVAL;
	n = ctx->io->attr_read(ctx->io_data, dirfd, name, buf, size - 1);
	if (n < 0)
		return n;
	buf[n] = '\0';
	return n;
}

int sv_attr_write(struct sriovvirt_ctx *ctx, int dirfd, const char *name,
		  const char *value)
{
	return ctx->io->attr_write(ctx->io_data, dirfd, name, value);
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

/* The last path component of a symlink's target, e.g. the driver's name. */
int sv_attr_read_link(int dirfd, const char *name, char *buf, size_t size)
{
	char target[PATH_MAX];
	const char *base;
	ssize_t n;

	n = readlinkat(dirfd, name, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= size)
		return -ERANGE;
	strcpy(buf, base);
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

int sv_dev_open_dir(struct sriovvirt_ctx *ctx,
		    const struct sriovvirt_pci_addr *addr, int *ret_fd)
{
	char name[SRIOVVIRT_PCI_ADDR_BUFSIZE], path[PATH_MAX];
	int fd, n, r;

	r = sriovvirt_pci_addr_format(addr, name, sizeof(name));
	if (r < 0)
		return -EINVAL;
	n = snprintf(path, sizeof(path), "%s/bus/pci/devices/%s",
		     ctx->sysfs_root, name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR ? -ENODEV : -errno;
	*ret_fd = fd;
	return 0;
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

	fd = openat(dirfd, "config", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ENODEV : -errno;
	while (len < size) {
		n = ctx->io->cfg_read(ctx->io_data, fd, buf + len, size - len,
				      (off_t)len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (n < 0)
		return (int)n;
	*ret_len = len;
	return 0;
}
