// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * VPCI_INTERFACE_STANDARD: the VF side of the config-block backchannel.
 * Windows gives it to the VF's driver inside the guest; here whoever holds
 * the VF (a VMM relaying for its guest) opens it from the PF's address and
 * the VF index. It is bound to the VF's incarnation (its LUID) at open: a
 * VF disabled and enabled again is another VF, and the handle refuses it.
 * Invalidations are waited for with inotify on the PF's runtime directory
 * (blocks.c closes a VF's mask file after each invalidation).
 */

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "internal.h"

struct sriovvirt_vpci {
	int refcount;
	struct sriovvirt_pf *pf;
	uint16_t vf;
	uint64_t luid;
	int inotify_fd;		/* -1 until waited for */
	char mask_name[48];
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
		.inotify_fd = -1,
	};
	sv_block_mask_name(vpci->mask_name, sizeof(vpci->mask_name), vf, luid);
	*ret = vpci;
	return 0;
}

SV_EXPORT struct sriovvirt_vpci *sriovvirt_vpci_ref(struct sriovvirt_vpci *vpci)
{
	if (vpci)
		vpci->refcount++;
	return vpci;
}

SV_EXPORT struct sriovvirt_vpci *
sriovvirt_vpci_unref(struct sriovvirt_vpci *vpci)
{
	if (!vpci || --vpci->refcount > 0)
		return NULL;
	if (vpci->inotify_fd >= 0)
		close(vpci->inotify_fd);
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

SV_EXPORT int sriovvirt_vpci_get_fd(struct sriovvirt_vpci *vpci, int *ret_fd)
{
	char path[64];
	int dirfd, fd, r;

	if (!vpci || !ret_fd)
		return -EINVAL;
	if (vpci->inotify_fd >= 0) {
		*ret_fd = vpci->inotify_fd;
		return 0;
	}
	r = sv_pf_runtime_dir(vpci->pf, &dirfd);
	if (r < 0)
		return r;
	fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0)
		return -errno;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", dirfd);
	if (inotify_add_watch(fd, path, IN_CLOSE_WRITE | IN_ONLYDIR) < 0) {
		r = -errno;
		close(fd);
		return r == -ENOENT ? -EOPNOTSUPP : r;
	}
	vpci->inotify_fd = fd;
	*ret_fd = fd;
	return 0;
}

/*
 * Empties the inotify queue; true if it held an invalidation of this VF
 * (its mask file closed after a write) or lost events, so that a wake-up
 * for another VF or a block write costs no look at the store.
 */
static bool drain_inotify(struct sriovvirt_vpci *vpci)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool ours = false;
	ssize_t n;

	while ((n = read(vpci->inotify_fd, buf, sizeof(buf))) > 0) {
		for (ssize_t pos = 0; pos < n;) {
			const struct inotify_event *ev =
				(const struct inotify_event *)(buf + pos);

			if ((ev->mask & IN_Q_OVERFLOW) ||
			    (ev->len && !strcmp(ev->name, vpci->mask_name)))
				ours = true;
			pos += (ssize_t)(sizeof(*ev) + ev->len);
		}
	}
	return ours;
}

static int remaining_ms(int64_t deadline, int timeout_ms, int *ret)
{
	int64_t now;
	int r;

	if (timeout_ms < 0) {
		*ret = -1;
		return 0;
	}
	r = sv_monotonic_ms(&now);
	if (r == 0)
		*ret = now >= deadline ? 0 : (int)(deadline - now);
	return r;
}

SV_EXPORT int sriovvirt_vpci_wait_invalidate(struct sriovvirt_vpci *vpci,
					     int timeout_ms,
					     uint64_t *ret_mask)
{
	int64_t deadline = 0;
	uint64_t mask;
	int fd, left = 0, r;

	if (!vpci || !ret_mask || timeout_ms < -1)
		return -EINVAL;
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
		drain_inotify(vpci);
	for (bool look = true; r == 0; look = drain_inotify(vpci)) {
		if (look) {
			r = check_same_vf(vpci);
			if (r == 0)
				r = sv_block_drain(vpci->pf, vpci->vf,
						   vpci->luid, &mask);
			if (r < 0)
				break;
			if (mask) {
				*ret_mask = mask;
				return 0;
			}
		}
		r = remaining_ms(deadline, timeout_ms, &left);
		if (r < 0)
			break;
		if (left == 0)
			return timeout_ms == 0 ? -EAGAIN : -ETIMEDOUT;
		r = poll(&(struct pollfd){ .fd = fd, .events = POLLIN }, 1, left);
		r = r < 0 ? -errno : 0;
	}
	return r;
}
