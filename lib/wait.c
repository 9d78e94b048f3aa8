// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Waiting until sysfs shows a PF's VFs. The kernel normally creates every VF
 * before the sriov_numvfs write returns, but not on every platform (s390 adds
 * them later through hotplug), and another process may be the one enabling.
 * The wait sleeps in poll(2) on kernel uevents (real sysfs does not raise
 * inotify events for kernel-made entries) and on inotify (fake trees, where
 * files are plain), and re-checks sysfs on every wake-up.
 */

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

struct vf_watch {
	bool uevents;		/* holds the context's monitor */
	int inotify_fd;
};

int sv_monotonic_ms(int64_t *ret)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		return -errno;
	*ret = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	return 0;
}

static void watch_close(struct sriovvirt_pf *pf, struct vf_watch *w)
{
	if (w->uevents)
		sv_uevents_put(pf->ctx);
	sv_close(pf->ctx, w->inotify_fd);
}

/* Watches the PF directory (virtfnN, sriov_numvfs) and the devices list. */
static int watch_inotify(struct sriovvirt_pf *pf, struct vf_watch *w)
{
	const uint32_t mask = IN_CREATE | IN_DELETE | IN_MODIFY |
			      IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM;
	struct sriovvirt_ctx *ctx = pf->ctx;
	char devices[PATH_MAX];
	int fd, r;

	snprintf(devices, sizeof(devices), "%s/bus/pci/devices", pf->root);
	fd = ctx->sys->watch_init(ctx->sys_data);
	if (fd < 0)
		return fd;
	r = ctx->sys->watch_add(ctx->sys_data, fd, pf->path, mask);
	if (r == 0)
		r = ctx->sys->watch_add(ctx->sys_data, fd, devices, mask);
	if (r < 0) {
		sv_close(ctx, fd);
		return r;
	}
	w->inotify_fd = fd;
	return 0;
}

/*
 * The real sysfs raises uevents and no inotify events for what the kernel
 * makes; a fake or copied tree only inotify sees change. Either source
 * alone is enough to wait on, but which one is needed must be known: on
 * sysfs, inotify alone would sleep through the kernel's changes.
 */
static int watch_open(struct sriovvirt_pf *pf, struct vf_watch *w)
{
	bool sysfs;
	int r;

	w->uevents = false;
	w->inotify_fd = -1;
	r = sv_fs_is_sysfs(pf->ctx, pf->dirfd, &sysfs);
	if (r < 0) {
		sv_err(pf->ctx, "%s: cannot tell which file system holds it: %s",
		       pf->name, strerror(-r));
		return r;
	}
	w->uevents = sysfs && sv_uevents_get(pf->ctx) == 0;
	if (sysfs && !w->uevents)
		sv_dbg(pf->ctx, "no uevent monitor; relying on inotify");
	r = watch_inotify(pf, w);
	if (!w->uevents && r < 0) {
		sv_err(pf->ctx, "%s: cannot watch for VFs: neither uevents nor "
		       "inotify are available (%s)", pf->name, strerror(-r));
		return r == -ENOENT ? -ENODEV : r;
	}
	return 0;
}

/* Events only wake the wait up; what they say is read from sysfs again. */
static void drain_inotify(struct sriovvirt_ctx *ctx, int fd)
{
	char buf[4096];

	while (ctx->sys->read(ctx->sys_data, fd, buf, sizeof(buf)) > 0)
		;
}

/* Sleeps until an event arrives or @timeout_ms passes (-1: no limit). */
static int watch_wait(struct sriovvirt_pf *pf, struct vf_watch *w,
		      int timeout_ms)
{
	struct sriovvirt_ctx *ctx = pf->ctx;
	struct pollfd fds[2];
	unsigned int n = 0;
	int r;

	if (w->uevents)
		fds[n++] = (struct pollfd){ sv_uevents_fd(ctx), POLLIN, 0 };
	if (w->inotify_fd >= 0)
		fds[n++] = (struct pollfd){ w->inotify_fd, POLLIN, 0 };
	r = ctx->sys->poll(ctx->sys_data, fds, n, timeout_ms);
	if (r < 0)
		return r == -EINTR ? 0 : r;
	if (w->uevents)
		sv_uevents_dispatch(ctx);
	if (w->inotify_fd >= 0)
		drain_inotify(ctx, w->inotify_fd);
	return 0;
}

/* 1 if virtfnN resolves to a directory, 0 if not, or -errno. */
static int vf_present(struct sriovvirt_pf *pf, unsigned int vf)
{
	struct sv_vf_path path;
	struct stat st;
	int r;

	r = sv_stat(pf->ctx, pf->dirfd, sv_vf_path(&path, (uint16_t)vf, NULL),
		    &st, 0);
	if (r == -ENOENT || r == -ENOTDIR)
		return 0;
	return r < 0 ? r : S_ISDIR(st.st_mode);
}

/* 1 if the virtfnN link exists at all (even dangling), 0 if not. */
static int vf_link_exists(struct sriovvirt_pf *pf, unsigned int vf)
{
	struct sv_vf_path path;
	int r;

	r = sv_exists(pf->ctx, pf->dirfd, sv_vf_path(&path, (uint16_t)vf, NULL),
		      true);
	if (r == -ENOENT)
		return 0;
	return r < 0 ? r : 1;
}

/*
 * 1 when sysfs shows exactly @num_vfs VFs. *@cursor remembers how many VFs
 * were already seen, so a slowly growing set is not re-checked from 0 on
 * every event; the final answer re-checks all.
 */
static int vfs_ready(struct sriovvirt_pf *pf, uint16_t num_vfs,
		     unsigned int *cursor)
{
	uint16_t now;
	unsigned int i;
	int r;

	r = sv_pf_num_vfs(pf, &now);
	if (r < 0)
		return r;
	if (now != num_vfs)
		return 0;
	while (*cursor < num_vfs && (r = vf_present(pf, *cursor)) > 0)
		(*cursor)++;
	if (r < 0)
		return r;
	if (*cursor < num_vfs)
		return 0;
	r = vf_link_exists(pf, num_vfs);
	if (r != 0)
		return r < 0 ? r : 0;
	for (i = 0; i < num_vfs; i++) {
		r = vf_present(pf, i);
		if (r <= 0) {
			*cursor = i;
			return r;
		}
	}
	return 1;
}

int sv_remaining_ms(int64_t deadline, int timeout_ms)
{
	int64_t now = 0;

	if (timeout_ms < 0)
		return -1;
	if (sv_monotonic_ms(&now) < 0 || now >= deadline)
		return 0;
	return (int)(deadline - now);
}

int sv_pf_wait_vfs(struct sriovvirt_pf *pf, uint16_t num_vfs, int timeout_ms)
{
	struct vf_watch w;
	unsigned int cursor = 0;
	int64_t deadline = 0;
	int r, left;

	r = sv_monotonic_ms(&deadline);
	if (r < 0)
		return r;
	deadline += timeout_ms;
	/* Subscribe before the first check, so no event falls in between. */
	r = watch_open(pf, &w);
	if (r < 0)
		return r;
	for (;;) {
		r = vfs_ready(pf, num_vfs, &cursor);
		if (r != 0)
			break;
		left = sv_remaining_ms(deadline, timeout_ms);
		if (left == 0) {
			r = -ETIMEDOUT;
			break;
		}
		r = watch_wait(pf, &w, left);
		if (r < 0)
			break;
	}
	watch_close(pf, &w);
	return r < 0 ? r : 0;
}

SV_EXPORT int sriovvirt_pf_wait_vfs(struct sriovvirt_pf *pf, uint16_t num_vfs,
				    int timeout_ms)
{
	if (!pf || timeout_ms < -1)
		return -EINVAL;
	return sv_pf_wait_vfs(pf, num_vfs, timeout_ms);
}
