// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * MITIGATED_RANGE_UPDATE as a pollable descriptor. Windows pends one IOCTL
 * per VF and completes it when the PF wants that VF's ranges queried
 * again; here one epoll descriptor per watched PF holds an eventfd, which
 * the handle signals when it changes a VF (reset, VFIO open or close, bind
 * or unbind), and the kernel's uevents, which say when anyone binds,
 * unbinds, adds or removes one of the PF's VFs. The VFs to report wait in
 * a bitmap, so a VF that changed many times is reported once, and the
 * eventfd is signalled again while any remain, so the descriptor stays
 * readable exactly while something is pending.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct sv_mitigation_watch {
	int epoll_fd;
	int event_fd;
	struct sriovvirt_pf *pf;
	bool uevents;			/* false below a fake root */
	uint16_t nr_vfs;			/* TotalVFs: the bitmap's size */
	uint64_t pending[];
};

static void note_uevent(void *data, const struct sv_uevent *ev);

static void watch_free(struct sriovvirt_pf *pf, struct sv_mitigation_watch *w)
{
	if (!w)
		return;
	sv_close(pf->ctx, w->epoll_fd);
	sv_close(pf->ctx, w->event_fd);
	if (w->uevents)
		sv_uevents_unsubscribe(pf->ctx, note_uevent, w);
	free(w);
}

void sv_mitigation_watch_free(struct sriovvirt_pf *pf)
{
	watch_free(pf, pf->watch);
	pf->watch = NULL;
}

static void signal_pending(struct sriovvirt_pf *pf,
			   struct sv_mitigation_watch *w)
{
	uint64_t one = 1;

	/* Only fails when the counter is saturated: it is readable then. */
	(void)pf->ctx->sys->write(pf->ctx->sys_data, w->event_fd, &one,
				  sizeof(one));
}

static void set_pending(struct sv_mitigation_watch *w, uint16_t vf)
{
	if (vf < w->nr_vfs)
		w->pending[vf / 64] |= 1ull << (vf % 64);
}

static void mark_all(struct sv_mitigation_watch *w)
{
	uint16_t vf;

	for (vf = 0; vf < w->nr_vfs; vf++)
		set_pending(w, vf);
}

void sv_mitigations_changed(struct sriovvirt_pf *pf, uint16_t vf)
{
	if (!pf->watch || vf >= pf->watch->nr_vfs)
		return;
	set_pending(pf->watch, vf);
	signal_pending(pf, pf->watch);
}

/* Kernel uevents are real sysfs's only; below a fake root, none come. */
static int add_uevents(struct sriovvirt_pf *pf, struct sv_mitigation_watch *w)
{
	bool sysfs;
	int r;

	r = sv_fs_is_sysfs(pf->ctx, pf->dirfd, &sysfs);
	if (r < 0 || !sysfs)
		return r;
	r = sv_uevents_subscribe(pf->ctx, note_uevent, w);
	if (r < 0) {
		sv_err(pf->ctx, "%s: cannot receive kernel uevents: %s",
		       pf->name, strerror(-r));
		return r;
	}
	w->uevents = true;
	return pf->ctx->sys->epoll_add(pf->ctx->sys_data, w->epoll_fd,
				       sv_uevents_fd(pf->ctx));
}

static int watch_new(struct sriovvirt_pf *pf, struct sv_mitigation_watch **ret)
{
	struct sriovvirt_ctx *ctx = pf->ctx;
	struct sv_mitigation_watch *w;
	uint16_t total;
	int r;

	r = sv_pf_total_vfs(pf, &total);
	if (r < 0)
		return r;
	w = calloc(1, sizeof(*w) + (total / 64 + 1) * sizeof(uint64_t));
	if (!w)
		return -ENOMEM;
	w->nr_vfs = total;
	w->pf = pf;
	w->event_fd = ctx->sys->eventfd(ctx->sys_data);
	w->epoll_fd = ctx->sys->epoll_new(ctx->sys_data);
	r = w->event_fd < 0 ? w->event_fd : w->epoll_fd < 0 ? w->epoll_fd : 0;
	if (r == 0)
		r = ctx->sys->epoll_add(ctx->sys_data, w->epoll_fd, w->event_fd);
	if (r == 0)
		r = add_uevents(pf, w);
	if (r < 0) {
		watch_free(pf, w);
		return r;
	}
	*ret = w;
	return 0;
}

SV_EXPORT int sriovvirt_pf_watch_mitigations(struct sriovvirt_pf *pf,
					     int *ret_fd)
{
	int r;

	if (!pf || !ret_fd)
		return -EINVAL;
	if (!pf->watch) {
		r = watch_new(pf, &pf->watch);
		if (r < 0)
			return r;
	}
	*ret_fd = pf->watch->epoll_fd;
	return 0;
}

static int not_watched(struct sriovvirt_pf *pf)
{
	sv_err(pf->ctx, "%s is not watched (sriovvirt_pf_watch_mitigations)",
	       pf->name);
	return -EBUSY;
}

/*
 * A uevent about one of the PF's VFs marks it; others are not ours. The
 * eventfd is signalled, since another user of the context's monitor may
 * have been the one to read the event.
 */
static void note_uevent(void *data, const struct sv_uevent *ev)
{
	static const char *const changes[] = { "add", "remove", "bind",
					       "unbind" };
	struct sv_mitigation_watch *w = data;
	const struct sv_vf_common *common;
	struct sriovvirt_pci_addr addr;
	struct sriovvirt_pf *pf = w->pf;
	uint16_t vf;
	size_t i;

	if (ev->overflow) {
		mark_all(w);
		signal_pending(pf, w);
		return;
	}
	for (i = 0; i < SV_ARRAY_SIZE(changes); i++) {
		if (!strcmp(ev->action, changes[i]))
			break;
	}
	if (i == SV_ARRAY_SIZE(changes) ||
	    sriovvirt_pci_addr_parse(ev->name, &addr) < 0 ||
	    sv_vf_common_get(pf, false, &common) < 0 ||
	    sv_vf_index(&pf->addr, common->offset, common->stride, &addr,
			&vf) < 0)
		return;
	set_pending(w, vf);
	signal_pending(pf, w);
}

static void collect(struct sriovvirt_pf *pf)
{
	struct sv_mitigation_watch *w = pf->watch;
	uint64_t count;

	/* Dispatched first: what it signals is emptied with the rest, and
	 * next() signals again only while VFs remain pending. */
	if (w->uevents)
		sv_uevents_dispatch(pf->ctx);
	while (pf->ctx->sys->read(pf->ctx->sys_data, w->event_fd, &count,
				  sizeof(count)) > 0)
		;
}

/* Takes the lowest pending VF off the bitmap; false if none is pending. */
static bool take_lowest(struct sv_mitigation_watch *w, uint16_t *ret)
{
	unsigned int word, words = w->nr_vfs / 64 + 1;

	for (word = 0; word < words; word++) {
		if (w->pending[word]) {
			*ret = (uint16_t)(word * 64 +
					  __builtin_ctzll(w->pending[word]));
			w->pending[word] &= w->pending[word] - 1;
			return true;
		}
	}
	return false;
}

static bool any_pending(const struct sv_mitigation_watch *w)
{
	unsigned int word, words = w->nr_vfs / 64 + 1;

	for (word = 0; word < words; word++) {
		if (w->pending[word])
			return true;
	}
	return false;
}

bool sv_mitigation_take(struct sriovvirt_pf *pf, uint16_t vf)
{
	struct sv_mitigation_watch *w = pf->watch;
	uint64_t bit = 1ull << (vf % 64);

	collect(pf);
	if (vf >= w->nr_vfs || !(w->pending[vf / 64] & bit))
		return false;
	w->pending[vf / 64] &= ~bit;
	return true;
}

void sv_mitigation_resignal(struct sriovvirt_pf *pf)
{
	if (pf->watch && any_pending(pf->watch))
		signal_pending(pf, pf->watch);
}

SV_EXPORT int sriovvirt_pf_next_mitigation_update(struct sriovvirt_pf *pf,
						  uint16_t *ret_vf)
{
	uint16_t vf;

	if (!pf || !ret_vf)
		return -EINVAL;
	if (!pf->watch)
		return not_watched(pf);
	collect(pf);
	if (!take_lowest(pf->watch, &vf))
		return -EAGAIN;
	if (any_pending(pf->watch))
		signal_pending(pf, pf->watch);
	*ret_vf = vf;
	return 0;
}

SV_EXPORT int sriovvirt_pf_unwatch_mitigations(struct sriovvirt_pf *pf)
{
	if (!pf)
		return -EINVAL;
	if (!pf->watch)
		return not_watched(pf);
	sv_mitigation_watch_free(pf);
	return 0;
}
