// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * VPCI_INTERFACE_STANDARD: the VF side of the config-block backchannel.
 * Windows gives it to the VF's driver inside the guest; here whoever holds
 * the VF (a VMM relaying for its guest) opens it from the PF's address and
 * the VF index. It is bound to the VF's incarnation (its LUID) at open: a
 * VF disabled and enabled again is another VF, and the handle refuses it.
 * Invalidations are waited for with inotify on the PF's runtime directory
 * (blocks.c closes a VF's mask file after each invalidation). The wait
 * must also end when the VF goes away, which nothing in that directory
 * shows: the descriptor is an epoll set that also holds the context's
 * uevents (the real sysfs) and an inotify watch on the PF's sysfs
 * directory (a fake tree, where virtfnN links come and go).
 */

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "internal.h"

struct sriovvirt_vpci {
	int refcount;
	struct sriovvirt_pf *pf;
	uint16_t vf;
	uint64_t luid;
	int epoll_fd;		/* -1 until waited for: the public fd */
	int inotify_fd;		/* the store and the PF's sysfs directory */
	int store_wd;		/* the store's watch */
	bool uevents;		/* subscribed to the context's monitor */
	bool vf_changed;	/* a uevent or a virtfn change: look again */
	char addr[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	char mask_name[48];
	struct sv_cancel cancel;	/* sriovvirt_vpci_cancel_io() */
};

SV_EXPORT int sriovvirt_vpci_open(struct sriovvirt_ctx *ctx,
				  const char *pf_name, uint16_t vf,
				  struct sriovvirt_vpci **ret)
{
	struct sriovvirt_vpci *vpci;
	struct sriovvirt_pf *pf;
	uint64_t luid = 0;
	int r;

	if (!ctx || !pf_name || !ret)
		return -EINVAL;
	r = sriovvirt_pf_open(ctx, pf_name, &pf);
	if (r < 0)
		return r;
	r = sv_block_vf_luid(pf, vf, &luid);
	if (r < 0) {
		sriovvirt_pf_unref(pf);
		return r;
	}
	vpci = calloc(1, sizeof(*vpci));
	if (!vpci) {
		sriovvirt_pf_unref(pf);
		return -ENOMEM;
	}
	*vpci = (struct sriovvirt_vpci){
		.refcount = 1, .pf = pf, .vf = vf, .luid = luid,
		.epoll_fd = -1, .inotify_fd = -1,
	};
	sv_block_mask_name(vpci->mask_name, sizeof(vpci->mask_name), vf, luid);
	sv_cancel_init(&vpci->cancel);
	*ret = vpci;
	return 0;
}

struct sv_cancel *sv_vpci_cancel(struct sriovvirt_vpci *vpci)
{
	return &vpci->cancel;
}

int sv_vpci_check_store(struct sriovvirt_vpci *vpci)
{
	int dirfd;

	return sv_pf_runtime_dir(vpci->pf, &dirfd);
}

SV_EXPORT struct sriovvirt_vpci *sriovvirt_vpci_ref(struct sriovvirt_vpci *vpci)
{
	if (vpci)
		vpci->refcount++;
	return vpci;
}

static void note_uevent(void *data, const struct sv_uevent *ev);

SV_EXPORT struct sriovvirt_vpci *
sriovvirt_vpci_unref(struct sriovvirt_vpci *vpci)
{
	if (!vpci || --vpci->refcount > 0)
		return NULL;
	if (vpci->uevents)
		sv_uevents_unsubscribe(vpci->pf->ctx, note_uevent, vpci);
	if (vpci->epoll_fd >= 0)
		close(vpci->epoll_fd);
	if (vpci->inotify_fd >= 0)
		close(vpci->inotify_fd);
	sv_cancel_fini(&vpci->cancel);
	sriovvirt_pf_unref(vpci->pf);
	free(vpci);
	return NULL;
}

/* The VF must still be the one the handle was opened on. */
static int check_same_vf(struct sriovvirt_vpci *vpci)
{
	uint64_t luid = 0;
	int r;

	r = sv_block_vf_luid(vpci->pf, vpci->vf, &luid);
	if (r == 0 && luid != vpci->luid) {
		sv_err(vpci->pf->ctx, "%s: VF %u was disabled and enabled again "
		       "since this VPCI handle was opened; open a new one",
		       vpci->pf->name, vpci->vf);
		r = -EINVAL;
	}
	return r;
}

SV_EXPORT int sriovvirt_vpci_read_block(struct sriovvirt_vpci *vpci,
					uint32_t block_id, void *buf,
					size_t size, size_t *ret_length)
{
	int r;

	if (!vpci || !buf)
		return -EINVAL;
	r = check_same_vf(vpci);
	return r < 0 ? r : sv_block_read(vpci->pf, vpci->vf, vpci->luid,
					 block_id, buf, size, ret_length);
}

SV_EXPORT int sriovvirt_vpci_write_block(struct sriovvirt_vpci *vpci,
					 uint32_t block_id, const void *buf,
					 size_t length)
{
	int r;

	if (!vpci || !buf)
		return -EINVAL;
	r = check_same_vf(vpci);
	return r < 0 ? r : sv_block_write(vpci->pf, vpci->vf, vpci->luid,
					  block_id, buf, length, SV_BLOCK_VF);
}

SV_EXPORT int sriovvirt_vpci_get_serial_number(struct sriovvirt_vpci *vpci,
					       uint32_t *ret)
{
	int r;

	if (!vpci || !ret)
		return -EINVAL;
	r = check_same_vf(vpci);
	if (r == 0)
		*ret = (uint32_t)vpci->luid;
	return r == -EINVAL ? -ENODEV : r;
}

/* A uevent about this VF (or lost uevents): the VF may be gone. */
static void note_uevent(void *data, const struct sv_uevent *ev)
{
	struct sriovvirt_vpci *vpci = data;

	if (ev->overflow || !strcmp(ev->name, vpci->addr))
		vpci->vf_changed = true;
}

static int epoll_add(int epoll_fd, int fd)
{
	struct epoll_event e = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &e) < 0 ? -errno : 0;
}

/* Kernel uevents on the real sysfs; virtfnN links on any tree. */
static int watch_vf(struct sriovvirt_vpci *vpci)
{
	struct sriovvirt_pf *pf = vpci->pf;
	struct sriovvirt_pci_addr addr;
	bool sysfs;
	int r;

	r = sriovvirt_vf_get_addr(pf, vpci->vf, &addr);
	if (r == 0)
		r = sriovvirt_pci_addr_format(&addr, vpci->addr,
					      sizeof(vpci->addr));
	if (r == 0)
		r = sv_fs_is_sysfs(pf->ctx, pf->dirfd, &sysfs);
	if (r < 0)
		return r;
	if (inotify_add_watch(vpci->inotify_fd, pf->path,
			      IN_CREATE | IN_DELETE | IN_ONLYDIR) < 0)
		return -errno;
	if (!sysfs)
		return 0;
	r = sv_uevents_subscribe(pf->ctx, note_uevent, vpci);
	if (r < 0)
		return r;
	vpci->uevents = true;
	return epoll_add(vpci->epoll_fd, sv_uevents_fd(pf->ctx));
}

static int watch_store(struct sriovvirt_vpci *vpci)
{
	char path[64];
	int dirfd, r;

	r = sv_pf_runtime_dir(vpci->pf, &dirfd);
	if (r < 0)
		return r;
	/* inotify takes a path: the directory's own, through /proc. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", dirfd);
	vpci->store_wd = inotify_add_watch(vpci->inotify_fd, path,
					   IN_CLOSE_WRITE | IN_ONLYDIR);
	if (vpci->store_wd < 0)
		return errno == ENOENT ? -EOPNOTSUPP : -errno;
	return epoll_add(vpci->epoll_fd, vpci->inotify_fd);
}

SV_EXPORT int sriovvirt_vpci_get_fd(struct sriovvirt_vpci *vpci, int *ret_fd)
{
	int r;

	if (!vpci || !ret_fd)
		return -EINVAL;
	if (vpci->epoll_fd < 0) {
		vpci->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
		vpci->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		r = vpci->epoll_fd < 0 || vpci->inotify_fd < 0 ? -errno : 0;
		if (r == 0)
			r = watch_store(vpci);
		if (r == 0)
			r = watch_vf(vpci);
		if (r < 0) {
			if (vpci->uevents)
				sv_uevents_unsubscribe(vpci->pf->ctx,
						       note_uevent, vpci);
			if (vpci->epoll_fd >= 0)
				close(vpci->epoll_fd);
			if (vpci->inotify_fd >= 0)
				close(vpci->inotify_fd);
			vpci->uevents = false;
			vpci->epoll_fd = vpci->inotify_fd = -1;
			return r;
		}
	}
	*ret_fd = vpci->epoll_fd;
	return 0;
}

/*
 * Empties the inotify queue and the uevents; true if they held an
 * invalidation of this VF (its mask file closed after a write), a change
 * of the VF, or lost events, so that a wake-up for another VF or a block
 * write costs no look at the store.
 */
static bool drain_events(struct sriovvirt_vpci *vpci)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool ours = false;
	ssize_t n;

	if (vpci->uevents)
		sv_uevents_dispatch(vpci->pf->ctx);
	while ((n = read(vpci->inotify_fd, buf, sizeof(buf))) > 0) {
		for (ssize_t pos = 0; pos < n;) {
			const struct inotify_event *ev =
				(const struct inotify_event *)(buf + pos);

			if ((ev->mask & IN_Q_OVERFLOW) || ev->wd != vpci->store_wd ||
			    (ev->len && !strcmp(ev->name, vpci->mask_name)))
				ours = true;
			pos += (ssize_t)(sizeof(*ev) + ev->len);
		}
	}
	ours |= vpci->vf_changed;
	vpci->vf_changed = false;
	return ours;
}

/*
 * With a canceller (the Windows layer's pended request), a lock held by
 * another process is waited for in slices, so that a cancel is seen.
 */
static int lock_wait_ms(int left, const struct sv_cancel *cancel)
{
	if (cancel && (left < 0 || left > SV_CANCEL_SLICE_MS))
		return SV_CANCEL_SLICE_MS;
	return left;
}

static int wait_poll(struct sv_cancel *cancel, int fd, int left)
{
	int r;

	if (cancel)	/* only ever without a timeout */
		return sv_cancel_poll(cancel, fd);
	r = poll(&(struct pollfd){ .fd = fd, .events = POLLIN }, 1, left);
	return r < 0 ? -errno : 0;
}

int sv_vpci_wait(struct sriovvirt_vpci *vpci, int timeout_ms,
		 struct sv_cancel *cancel, uint64_t *ret_mask)
{
	bool locked_out = false;
	int64_t deadline = 0;
	uint64_t mask;
	int fd, left = 0, r;

	/* Watch before the first look, so no invalidation falls between. */
	r = sriovvirt_vpci_get_fd(vpci, &fd);
	if (r == 0 && timeout_ms > 0)
		r = sv_monotonic_ms(&deadline);
	deadline += timeout_ms;
	/*
	 * What is queued already, the first look sees: drained first, it does
	 * not leave the descriptor readable (a poll loop on it would spin).
	 */
	if (r == 0)
		drain_events(vpci);
	/* A look that found the store locked looks again, events or not:
	 * the invalidation's event may be the one just drained. */
	for (bool look = true; r == 0;
	     look = locked_out || drain_events(vpci)) {
		if (look) {
			left = sv_remaining_ms(deadline, timeout_ms);
			r = check_same_vf(vpci);
			if (r == 0)
				r = sv_block_drain(vpci->pf, vpci->vf, vpci->luid,
						   lock_wait_ms(left, cancel),
						   &mask);
			locked_out = r == -EBUSY && left != 0 && cancel != NULL;
			if (locked_out) {
				r = sv_cancel_check(cancel);
				continue;
			}
			if (r == -EBUSY)	/* locked past the deadline */
				return timeout_ms == 0 ? -EAGAIN : -ETIMEDOUT;
			if (r < 0)
				break;
			if (mask) {
				*ret_mask = mask;
				return 0;
			}
		}
		left = sv_remaining_ms(deadline, timeout_ms);
		if (left == 0)
			return timeout_ms == 0 ? -EAGAIN : -ETIMEDOUT;
		r = wait_poll(cancel, fd, left);
	}
	return r;
}

SV_EXPORT int sriovvirt_vpci_wait_invalidate(struct sriovvirt_vpci *vpci,
					     int timeout_ms,
					     uint64_t *ret_mask)
{
	if (!vpci || !ret_mask || timeout_ms < -1)
		return -EINVAL;
	return sv_vpci_wait(vpci, timeout_ms, NULL, ret_mask);
}
