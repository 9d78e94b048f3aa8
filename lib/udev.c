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

#include "internal.h"

struct sv_uevent_monitor {
	struct udev_monitor *monitor;
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

int sv_uevent_monitor_new(struct sriovvirt_ctx *ctx,
			  struct sv_uevent_monitor **ret)
{
	struct sv_uevent_monitor *m;
	struct udev *udev;
	int r;

	r = ctx_udev(ctx, &udev);
	if (r < 0)
		return r;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->monitor = udev_monitor_new_from_netlink(udev, "kernel");
	if (!m->monitor) {
		free(m);
		return -EOPNOTSUPP;
	}
	r = udev_monitor_filter_add_match_subsystem_devtype(m->monitor, "pci",
							     NULL);
	if (r >= 0)
		r = udev_monitor_enable_receiving(m->monitor);
	if (r < 0) {
		sv_uevent_monitor_free(m);
		return r;
	}
	*ret = m;
	return 0;
}

int sv_uevent_monitor_fd(const struct sv_uevent_monitor *m)
{
	return udev_monitor_get_fd(m->monitor);
}

/* Events only wake the caller up; their content is not needed. */
void sv_uevent_monitor_drain(struct sv_uevent_monitor *m)
{
	struct udev_device *d;

	while ((d = udev_monitor_receive_device(m->monitor)))
		udev_device_unref(d);
}

int sv_uevent_monitor_next(struct sv_uevent_monitor *m, char *name,
			   size_t name_size, char *action, size_t action_size)
{
	struct udev_device *d;
	const char *s;

	errno = 0;
	d = udev_monitor_receive_device(m->monitor);
	if (!d)
		return errno == ENOBUFS ? -ENOBUFS : 0;
	s = udev_device_get_sysname(d);
	snprintf(name, name_size, "%s", s ? s : "");
	s = udev_device_get_action(d);
	snprintf(action, action_size, "%s", s ? s : "");
	udev_device_unref(d);
	return 1;
}

void sv_uevent_monitor_free(struct sv_uevent_monitor *m)
{
	if (!m)
		return;
	udev_monitor_unref(m->monitor);
	free(m);
}

void sv_udev_release(struct sriovvirt_ctx *ctx)
{
	ctx->udev = udev_unref(ctx->udev);
}
