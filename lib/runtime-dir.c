// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The runtime directory's rules (sriovvirt_ctx_set_runtime_dir() in
 * sriovvirt.h): a directory of the caller's own, mode 0700, created when
 * first needed. The last component is checked on the opened directory
 * itself; the parents are the caller's to choose safely (as for any path it
 * gives). It is not sysfs, so it is not behind the I/O seam; tests point it
 * at a directory of their own.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/*
 * The errno table (sriovvirt.h) for what the file system answers about a
 * path the caller configured.
 */
static int table_errno(int r)
{
	switch (r) {
	case -ELOOP:		/* symlinks the library will not follow */
	case -EROFS:		/* nowhere to create it */
		return -EACCES;
	case -EDQUOT:
		return -ENOSPC;
	default:
		return r;
	}
}

/* 0 if the directory @fd is one the library may use. */
static int check_owned(struct sriovvirt_ctx *ctx, const char *path, int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode)) {
		sv_err(ctx, "runtime directory %s is not a directory", path);
		return -ENOTDIR;
	}
	if (st.st_uid != geteuid()) {
		sv_err(ctx, "runtime directory %s belongs to UID %u, not to this "
		       "process (UID %u); use a directory of your own",
		       path, (unsigned int)st.st_uid, (unsigned int)geteuid());
		return -EACCES;
	}
	if ((st.st_mode & 0777) != S_IRWXU) {
		sv_err(ctx, "runtime directory %s has mode %04o: it must be 0700 "
		       "(others must not reach it, its owner must use it); chmod "
		       "0700 it", path, (unsigned int)st.st_mode & 07777);
		return -EACCES;
	}
	return 0;
}

/* What is at @path, before it is opened: a symlink or a non-directory. */
static int check_kind(struct sriovvirt_ctx *ctx, const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		if (errno == EACCES)
			sv_err(ctx, "cannot reach runtime directory %s: a parent "
			       "directory is not searchable by UID %u", path,
			       (unsigned int)geteuid());
		return table_errno(-errno);
	}
	if (S_ISLNK(st.st_mode)) {
		sv_err(ctx, "runtime directory %s is a symlink, which another "
		       "user may have planted; name the directory itself", path);
		return -EACCES;
	}
	if (!S_ISDIR(st.st_mode)) {
		sv_err(ctx, "runtime directory %s is not a directory", path);
		return -ENOTDIR;
	}
	return 0;
}

/* Another user's directory: name its owner, as check_owned() does. */
static int explain_no_access(struct sriovvirt_ctx *ctx, const char *path)
{
	struct stat st;

	if (lstat(path, &st) == 0 && st.st_uid != geteuid())
		sv_err(ctx, "runtime directory %s belongs to UID %u, not to this "
		       "process (UID %u); use a directory of your own",
		       path, (unsigned int)st.st_uid, (unsigned int)geteuid());
	else
		sv_err(ctx, "runtime directory %s: permission denied", path);
	return -EACCES;
}

/*
 * O_NOFOLLOW, and the checks on the opened directory itself: a swap between
 * the lstat and the open cannot slip another directory in.
 */
static int open_dir(struct sriovvirt_ctx *ctx, const char *path, int *ret_fd)
{
	int fd, r;

	r = check_kind(ctx, path);
	if (r < 0)
		return r;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		if (r == -EACCES)
			return explain_no_access(ctx, path);
		if (r == -ELOOP || r == -ENOTDIR) {
			sv_err(ctx, "runtime directory %s changed while it was "
			       "opened", path);
			return -EACCES;
		}
		return table_errno(r);
	}
	r = check_owned(ctx, path, fd);
	if (r < 0) {
		close(fd);
		return r;
	}
	*ret_fd = fd;
	return 0;
}

int sv_runtime_dir_check(struct sriovvirt_ctx *ctx, const char *path)
{
	int fd, r;

	r = open_dir(ctx, path, &fd);
	if (r == -ENOENT)
		return 0;	/* made when first needed */
	if (r == 0)
		close(fd);
	return r;
}

/*
 * Created 0700 whatever the umask (which can only take bits away, so the
 * mode is set again on the new directory itself).
 */
static int create(struct sriovvirt_ctx *ctx, const char *path)
{
	int fd, r;

	if (mkdir(path, 0700) < 0) {
		r = -errno;
		if (r == -EEXIST)
			return 0;
		if (r == -ENOENT)
			sv_err(ctx, "cannot create runtime directory %s: its "
			       "parent does not exist", path);
		else
			sv_err(ctx, "cannot create runtime directory %s: %s",
			       path, strerror(-r));
		return table_errno(r);
	}
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return table_errno(-errno);
	r = fchmod(fd, 0700) < 0 ? -errno : 0;
	close(fd);
	return r;
}

int sv_runtime_dir_open(struct sriovvirt_ctx *ctx, int *ret_fd)
{
	int r;

	r = create(ctx, ctx->runtime_dir);
	return r < 0 ? r : open_dir(ctx, ctx->runtime_dir, ret_fd);
}

/*
 * The PF's own directory below the runtime directory, named by its address
 * and held open by the handle: the block store and the event socket live
 * there. Same rules as the runtime directory itself.
 */
int sv_pf_runtime_dir(struct sriovvirt_pf *pf, int *ret_fd)
{
	struct sriovvirt_ctx *ctx = pf->ctx;
	bool created = true;
	int top, fd, r;

	if (pf->run_dirfd >= 0) {
		*ret_fd = pf->run_dirfd;
		return 0;
	}
	/* The runtime directory's own checks first: they name its owner. */
	r = sv_runtime_dir_open(ctx, &top);
	if (r < 0)
		return r;
	if (mkdirat(top, pf->name, 0700) < 0) {
		created = false;
		r = table_errno(-errno);
	}
	if (!created && r != -EEXIST) {
		sv_err(ctx, "cannot create %s/%s: %s", ctx->runtime_dir,
		       pf->name, strerror(-r));
		close(top);
		return r;
	}
	fd = openat(top, pf->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
	r = fd < 0 ? table_errno(-errno) : 0;
	close(top);
	if (r == 0 && created && fchmod(fd, 0700) < 0)
		r = -errno;	/* the umask may have taken bits away */
	if (r == 0)
		r = check_owned(ctx, pf->name, fd);
	if (r < 0) {
		if (fd >= 0)
			close(fd);
		return r;
	}
	pf->run_dirfd = fd;
	*ret_fd = fd;
	return 0;
}
