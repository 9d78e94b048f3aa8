// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The libudev adapter: kernel uevents for the PCI subsystem. The "kernel"
 * source is used rather than "udev" because it works without udevd (in
 * containers, in an initramfs) and events only serve to wake a re-check of
 * sysfs, so udev's rule processing is not needed.
 */

#include <errno.h>
#include <libudev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct sv_uevent_sub {
	sv_uevent_fn fn;
	void *data;
};

/*
 * The context's one monitor: every wait and watch of the context shares
 * it, and whoever finds it readable hands each event to every subscriber.
 */
struct sv_uevent_hub {
	unsigned int users;
	struct udev_monitor *monitor;
	struct sv_uevent_sub *subs;
	unsigned int nr_subs;
};

static int ctx_udev(struct sriovvirt_ctx *ctx, struct udev **ret)
{
	if (!ctx->udev) {
		ctx->udev = udev_new();
		if (!ctx->udev)
			return -ENOMEM;
	}
	*ret = ctx->udev;
	return 0;
}

static int hub_new(struct sriovvirt_ctx *ctx, struct sv_uevent_hub **ret)
{
	struct sv_uevent_hub *hub;
	struct udev *udev;
	int r;

	r = ctx_udev(ctx, &udev);
	if (r < 0)
		return r;
	hub = calloc(1, sizeof(*hub));
	if (!hub)
		return -ENOMEM;
	hub->monitor = udev_monitor_new_from_netlink(udev, "kernel");
	if (!hub->monitor) {
		free(hub);
		return -EOPNOTSUPP;
	}
	r = udev_monitor_filter_add_match_subsystem_devtype(hub->monitor,
							     "pci", NULL);
	if (r >= 0)
		r = udev_monitor_enable_receiving(hub->monitor);
	if (r < 0) {
		udev_monitor_unref(hub->monitor);
		free(hub);
		return r;
	}
	*ret = hub;
	return 0;
}

/* What queued while nobody listened concerns nobody: a full queue would
 * otherwise greet the next user as lost events (ENOBUFS). */
static void discard_backlog(struct sv_uevent_hub *hub)
{
	struct udev_device *d;

	for (;;) {
		errno = 0;
		d = udev_monitor_receive_device(hub->monitor);
		if (d)
			udev_device_unref(d);
		else if (errno != ENOBUFS)
			return;
	}
}

/*
 * The monitor lives as long as the context, from its first use: a VF wait
 * after another does not open a socket of its own each time.
 */
int sv_uevents_get(struct sriovvirt_ctx *ctx)
{
	int r;

	if (!ctx->uevents) {
		r = hub_new(ctx, &ctx->uevents);
		if (r < 0)
			return r;
	} else if (ctx->uevents->users == 0) {
		discard_backlog(ctx->uevents);
	}
	ctx->uevents->users++;
	return 0;
}

void sv_uevents_put(struct sriovvirt_ctx *ctx)
{
	if (ctx->uevents && ctx->uevents->users > 0)
		ctx->uevents->users--;
}

int sv_uevents_fd(const struct sriovvirt_ctx *ctx)
{
	return udev_monitor_get_fd(ctx->uevents->monitor);
}

int sv_uevents_subscribe(struct sriovvirt_ctx *ctx, sv_uevent_fn fn,
			 void *data)
{
	struct sv_uevent_sub *subs;
	struct sv_uevent_hub *hub;
	int r;

	r = sv_uevents_get(ctx);
	if (r < 0)
		return r;
	hub = ctx->uevents;
	subs = realloc(hub->subs, (hub->nr_subs + 1) * sizeof(*subs));
	if (!subs) {
		sv_uevents_put(ctx);
		return -ENOMEM;
	}
	subs[hub->nr_subs++] = (struct sv_uevent_sub){ fn, data };
	hub->subs = subs;
	return 0;
}

void sv_uevents_unsubscribe(struct sriovvirt_ctx *ctx, sv_uevent_fn fn,
			    void *data)
{
	struct sv_uevent_hub *hub = ctx->uevents;

	if (!hub)
		return;
	for (unsigned int i = 0; i < hub->nr_subs; i++) {
		if (hub->subs[i].fn == fn && hub->subs[i].data == data) {
			hub->subs[i] = hub->subs[--hub->nr_subs];
			sv_uevents_put(ctx);
			return;
		}
	}
}

static void copy_prop(struct udev_device *d, const char *key, char *buf,
		      size_t size)
{
	const char *s = udev_device_get_property_value(d, key);

	snprintf(buf, size, "%s", s ? s : "");
}

static void deliver(struct sv_uevent_hub *hub, const struct sv_uevent *ev)
{
	for (unsigned int i = 0; i < hub->nr_subs; i++)
		hub->subs[i].fn(hub->subs[i].data, ev);
}

void sv_uevents_dispatch(struct sriovvirt_ctx *ctx)
{
	struct sv_uevent_hub *hub = ctx->uevents;
	struct udev_device *d;
	struct sv_uevent ev;

	if (!hub)
		return;
	for (;;) {
		errno = 0;
		d = udev_monitor_receive_device(hub->monitor);
		if (!d && errno == ENOBUFS) {
			/* The kernel dropped events: any device may have changed. */
			deliver(hub, &(struct sv_uevent){ .overflow = true });
			continue;
		}
		if (!d)
			return;
		memset(&ev, 0, sizeof(ev));
		copy_prop(d, "ACTION", ev.action, sizeof(ev.action));
		copy_prop(d, "ERROR_EVENT", ev.error_event,
			  sizeof(ev.error_event));
		snprintf(ev.name, sizeof(ev.name), "%s",
			 udev_device_get_sysname(d) ? udev_device_get_sysname(d)
						    : "");
		udev_device_unref(d);
		deliver(hub, &ev);
	}
}

void sv_udev_release(struct sriovvirt_ctx *ctx)
{
	if (ctx->uevents) {
		udev_monitor_unref(ctx->uevents->monitor);
		free(ctx->uevents->subs);
		free(ctx->uevents);
		ctx->uevents = NULL;
	}
	ctx->udev = udev_unref(ctx->udev);
}
