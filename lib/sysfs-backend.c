// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The real sysfs operations behind the I/O seam (internal.h): the only file
 * of the library that makes system calls on a sysfs tree. Each is the system
 * call and nothing more, with -errno for -1, so that what the library does
 * with an answer is decided once, above the seam, for the kernel and for a
 * test standing in for it alike.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "internal.h"

static int sys_open(void *data, int dirfd, const char *path, int flags)
{
	int fd;

	(void)data;
	fd = openat(dirfd, path, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static int sys_close(void *data, int fd)
{
	(void)data;
	return close(fd) < 0 ? -errno : 0;
}

static ssize_t sys_read(void *data, int fd, void *buf, size_t len)
{
	ssize_t n;

	(void)data;
	n = read(fd, buf, len);
	return n < 0 ? -errno : n;
}

static ssize_t sys_write(void *data, int fd, const void *buf, size_t len)
{
	ssize_t n;

	(void)data;
	n = write(fd, buf, len);
	return n < 0 ? -errno : n;
}

static ssize_t sys_pread(void *data, int fd, void *buf, size_t len, off_t off)
{
	ssize_t n;

	(void)data;
	n = pread(fd, buf, len, off);
	return n < 0 ? -errno : n;
}

static ssize_t sys_pwrite(void *data, int fd, const void *buf, size_t len,
			  off_t off)
{
	ssize_t n;

	(void)data;
	n = pwrite(fd, buf, len, off);
	return n < 0 ? -errno : n;
}

static ssize_t sys_readlink(void *data, int dirfd, const char *path, char *buf,
			    size_t size)
{
	ssize_t n;

	(void)data;
	n = readlinkat(dirfd, path, buf, size);
	return n < 0 ? -errno : n;
}

static int sys_stat(void *data, int dirfd, const char *path, struct stat *st,
		    int flags)
{
	(void)data;
	return fstatat(dirfd, path, st, flags) < 0 ? -errno : 0;
}

static int sys_flock(void *data, int fd, int operation)
{
	(void)data;
	return flock(fd, operation) < 0 ? -errno : 0;
}

static int sys_read_dir(void *data, int dirfd, const char *path, sv_dir_fn fn,
			void *userdata)
{
	struct dirent *de;
	DIR *dir;
	int fd, r = 0;

	(void)data;
	fd = openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dir = fdopendir(fd);
	if (!dir) {
		r = -errno;
		close(fd);
		return r;
	}
	for (;;) {
		errno = 0;
		de = readdir(dir);
		if (!de) {
			r = errno ? -errno : 0;
			break;
		}
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		r = fn(userdata, de->d_name);
		if (r)
			break;
	}
	closedir(dir);
	return r;
}

static int sys_fs_magic(void *data, int fd, unsigned long *ret)
{
	struct statfs st;

	(void)data;
	if (fstatfs(fd, &st) < 0)
		return -errno;
	*ret = (unsigned long)st.f_type;
	return 0;
}

static int sys_watch_init(void *data)
{
	int fd;

	(void)data;
	fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static int sys_watch_add(void *data, int fd, const char *path, uint32_t mask)
{
	(void)data;
	return inotify_add_watch(fd, path, mask) < 0 ? -errno : 0;
}

static int sys_poll(void *data, struct pollfd *fds, unsigned int n,
		    int timeout_ms)
{
	int r;

	(void)data;
	r = poll(fds, n, timeout_ms);
	return r < 0 ? -errno : r;
}

static int sys_eventfd(void *data)
{
	int fd;

	(void)data;
	fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static int sys_epoll_new(void *data)
{
	int fd;

	(void)data;
	fd = epoll_create1(EPOLL_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static int sys_epoll_add(void *data, int epoll_fd, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	(void)data;
	return epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

static int sys_ioctl(void *data, int fd, unsigned long request, void *arg)
{
	int r;

	(void)data;
	r = ioctl(fd, request, arg);
	return r < 0 ? -errno : r;
}

static ssize_t sys_attr_read(void *data, int dirfd, const char *name,
			     char *buf, size_t size)
{
	ssize_t n;
	int fd;

	fd = sys_open(data, dirfd, name, O_RDONLY);
	if (fd < 0)
		return fd;
	n = sys_read(data, fd, buf, size);
	close(fd);
	return n;
}

/*
 * O_TRUNC matters on plain files (fake trees, umockdev): writing "4" over
 * "16\n" would leave "46\n". sysfs ignores it. One write, as the kernel's
 * store functions parse one buffer.
 */
static int sys_attr_write(void *data, int dirfd, const char *name,
			  const char *value)
{
	size_t len = strlen(value);
	ssize_t n;
	int fd, r = 0;

	fd = sys_open(data, dirfd, name, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return fd;
	n = sys_write(data, fd, value, len);
	if (n < 0)
		r = (int)n;
	else if ((size_t)n != len)
		r = -EIO;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	return r;
}

const struct sv_sysfs_ops sv_sysfs_backend = {
	.open = sys_open,
	.close = sys_close,
	.read = sys_read,
	.write = sys_write,
	.pread = sys_pread,
	.pwrite = sys_pwrite,
	.readlink = sys_readlink,
	.stat = sys_stat,
	.flock = sys_flock,
	.read_dir = sys_read_dir,
	.fs_magic = sys_fs_magic,
	.watch_init = sys_watch_init,
	.watch_add = sys_watch_add,
	.poll = sys_poll,
	.eventfd = sys_eventfd,
	.epoll_new = sys_epoll_new,
	.epoll_add = sys_epoll_add,
	.ioctl = sys_ioctl,
	.attr_read = sys_attr_read,
	.attr_write = sys_attr_write,
};
