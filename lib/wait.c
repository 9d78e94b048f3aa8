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
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

struct vf_watch {
	struct sv_uevent_monitor *uevents;
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

static void watch_close(struct vf_watch *w)
{
	sv_uevent_monitor_free(w->uevents);
	if (w->inotify_fd >= 0)
		close(w->inotify_fd);
}

/* Watches the PF directory (virtfnN, sriov_numvfs) and the devices list. */
static void watch_inotify(struct sriovvirt_pf *pf, struct vf_watch *w)
{
	const uint32_t mask = IN_CREATE | IN_DELETE | IN_MODIFY |
			      IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM;
	char devices[PATH_MAX];

	w->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->inotify_fd < 0)
		return;
	snprintf(devices, sizeof(devices), "%s/bus/pci/devices", pf->root);
	if (inotify_add_watch(w->inotify_fd, pf->path, mask) < 0 ||
	    inotify_add_watch(w->inotify_fd, devices, mask) < 0) {
		close(w->inotify_fd);
		w->inotify_fd = -1;
	}
}

/*
 * The real sysfs (wherever it is mounted: /sys, or /host/sys in a container)
 * raises uevents and no inotify events for what the kernel makes; anything
 * else is a fake or copied tree, which only inotify sees change.
 */
static bool root_is_sysfs(const char *root)
{
	struct statfs st;

	return statfs(root, &st) == 0 && st.f_type == SYSFS_MAGIC;
}

static int watch_open(struct sriovvirt_pf *pf, struct vf_watch *w)
{
	w->uevents = NULL;
	w->inotify_fd = -1;
	if (root_is_sysfs(pf->root) &&
	    sv_uevent_monitor_new(pf->ctx, &w->uevents) < 0)
		sv_dbg(pf->ctx, "no uevent monitor; relying on inotify");
	watch_inotify(pf, w);
	if (!w->uevents && w->inotify_fd < 0) {
		sv_err(pf->ctx, "%s: cannot watch for VFs: neither uevents nor "
		       "inotify are available", pf->name);
		return -EOPNOTSUPP;
	}
	return 0;
}

static void drain_fd(int fd)
{
	char buf[4096];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

/* Sleeps until an event arrives or @timeout_ms passes (-1: no limit). */
static int watch_wait(struct vf_watch *w, int timeout_ms)
{
	struct pollfd fds[2];
	nfds_t n = 0;
	int r;

	if (w->uevents)
		fds[n++] = (struct pollfd){ sv_uevent_monitor_fd(w->uevents), POLLIN, 0 };
	if (w->inotify_fd >= 0)
		fds[n++] = (struct pollfd){ w->inotify_fd, POLLIN, 0 };
	r = poll(fds, n, timeout_ms);
	if (r < 0)
		return errno == EINTR ? 0 : -errno;
	if (w->uevents)
		sv_uevent_monitor_drain(w->uevents);
	if (w->inotify_fd >= 0)
		drain_fd(w->inotify_fd);
	return 0;
}

static bool vf_present(struct sriovvirt_pf *pf, unsigned int vf)
{
	char link[32];
	struct stat st;

	snprintf(link, sizeof(link), "virtfn%u", vf);
	return fstatat(pf->dirfd, link, &st, 0) == 0 && S_ISDIR(st.st_mode);
}

static bool vf_link_exists(struct sriovvirt_pf *pf, unsigned int vf)
{
	char link[32];
	struct stat st;

	snprintf(link, sizeof(link), "virtfn%u", vf);
	return fstatat(pf->dirfd, link, &st, AT_SYMLINK_NOFOLLOW) == 0;
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
	while (*cursor < num_vfs && vf_present(pf, *cursor))
		(*cursor)++;
	if (*cursor < num_vfs || vf_link_exists(pf, num_vfs))
		return 0;
	for (i = 0; i < num_vfs; i++) {
		if (!vf_present(pf, i)) {
			*cursor = i;
			return 0;
		}
	}
	return 1;
}

static int remaining_ms(int64_t deadline, int timeout_ms)
{
	int64_t now = 0;

	if (timeout_ms < 0)
		return -1;
	if (sv_monotonic_ms(&now) < 0 || now >= deadline)
		return 0;
	return (int)(deadline - now);
}

SV_EXPORT int sriovvirt_pf_wait_vfs(struct sriovvirt_pf *pf, uint16_t num_vfs,
				    int timeout_ms)
{
	struct vf_watch w;
	unsigned int cursor = 0;
	int64_t deadline = 0;
	int r, left;

	if (!pf || timeout_ms < -1)
		return -EINVAL;
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
		left = remaining_ms(deadline, timeout_ms);
		if (left == 0) {
			r = -ETIMEDOUT;
			break;
		}
		r = watch_wait(&w, left);
		if (r < 0)
			break;
	}
	watch_close(&w);
	return r < 0 ? r : 0;
}
