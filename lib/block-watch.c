// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The PF side's view of the VF side's block writes: what Windows tells a PF
 * driver by calling its WriteVfConfigBlock. Every VF-side write ends in a
 * rename of "t-VF-LUID-ID.v" (blocks.c), so an inotify watch on the PF's
 * runtime directory for IN_MOVED_FROM sees each one, from any process,
 * with the VF and the block in the name. The descriptor is the inotify
 * descriptor itself; events are read a buffer at a time and handed out one
 * by one.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "internal.h"

struct sv_block_watch {
	int fd;
	size_t pos, len;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
};

void sv_block_watch_free(struct sriovvirt_pf *pf)
{
	if (!pf->block_watch)
		return;
	close(pf->block_watch->fd);
	free(pf->block_watch);
	pf->block_watch = NULL;
}

SV_EXPORT int sriovvirt_pf_watch_blocks(struct sriovvirt_pf *pf, int *ret_fd)
{
	struct sv_block_watch *w;
	char path[64];
	int dirfd, r;

	if (!pf || !ret_fd)
		return -EINVAL;
	if (pf->block_watch) {
		*ret_fd = pf->block_watch->fd;
		return 0;
	}
	r = sv_pf_runtime_dir(pf, &dirfd);
	if (r < 0)
		return r;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0) {
		r = -errno;
		free(w);
		return r;
	}
	/* inotify takes a path: the directory's own, through /proc. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", dirfd);
	if (inotify_add_watch(w->fd, path, IN_MOVED_FROM | IN_ONLYDIR) < 0) {
		r = -errno;
		sv_err(pf->ctx, "%s: cannot watch the config-block store: %s",
		       pf->name, strerror(-r));
		close(w->fd);
		free(w);
		return r == -ENOENT ? -EOPNOTSUPP : r;
	}
	pf->block_watch = w;
	*ret_fd = w->fd;
	return 0;
}

/* 1 and the VF and block of a VF-side write, 0 for anything else. */
static int parse_vf_write(const char *name, uint16_t *ret_vf, uint32_t *ret_id)
{
	unsigned int vf;
	uint64_t luid;
	uint32_t id;
	int end = 0;

	if (sscanf(name, "t-%u-%16" SCNx64 "-%8" SCNx32 ".v%n", &vf, &luid,
		   &id, &end) != 3 || end == 0 || name[end] || vf >= 0xFFFF)
		return 0;
	*ret_vf = (uint16_t)vf;
	*ret_id = id;
	return 1;
}

static int refill(struct sv_block_watch *w)
{
	ssize_t n;

	do
		n = read(w->fd, w->buf, sizeof(w->buf));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN ? -EAGAIN : -errno;
	w->pos = 0;
	w->len = (size_t)n;
	return 0;
}

SV_EXPORT int sriovvirt_pf_next_block_write(struct sriovvirt_pf *pf,
					    uint16_t *ret_vf,
					    uint32_t *ret_block_id)
{
	struct sv_block_watch *w;
	int r;

	if (!pf || !ret_vf || !ret_block_id)
		return -EINVAL;
	w = pf->block_watch;
	if (!w)
		return -EBUSY;
	for (;;) {
		const struct inotify_event *ev;
		uint16_t vf;
		uint32_t id;

		if (w->pos >= w->len) {
			r = refill(w);
			if (r < 0)
				return r;
		}
		ev = (const struct inotify_event *)(w->buf + w->pos);
		w->pos += sizeof(*ev) + ev->len;
		if (ev->mask & IN_Q_OVERFLOW) {
			*ret_vf = SRIOVVIRT_ALL_VFS;
			*ret_block_id = 0;
			return 0;
		}
		if (ev->len && parse_vf_write(ev->name, &vf, &id)) {
			*ret_vf = vf;
			*ret_block_id = id;
			return 0;
		}
	}
}

SV_EXPORT int sriovvirt_pf_unwatch_blocks(struct sriovvirt_pf *pf)
{
	if (!pf)
		return -EINVAL;
	if (!pf->block_watch)
		return -EBUSY;
	sv_block_watch_free(pf);
	return 0;
}
