// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * IoCancelIrp for the Windows-shaped layer's pended requests. A request
 * waits in poll() on its own descriptor and on an eventfd that a cancel,
 * from a signal handler or another thread, writes. The cancel is also
 * remembered in a flag, checked after the eventfd exists and before the
 * wait: a cancel that comes before the wait began, even before the
 * request was made, is not lost (a SIGTERM handler cannot race the start
 * of the wait).
 */

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "pcivirt.h"

void sv_cancel_init(struct sv_cancel *c)
{
	atomic_init(&c->requested, 0);
	atomic_init(&c->fd, -1);
}

void sv_cancel_fini(struct sv_cancel *c)
{
	int fd = atomic_exchange(&c->fd, -1);

	if (fd >= 0)
		close(fd);
}

/* Async-signal-safe: an atomic store and a write(2). */
void sv_cancel_request(struct sv_cancel *c)
{
	uint64_t one = 1;
	int fd;

	atomic_store(&c->requested, 1);
	fd = atomic_load(&c->fd);
	if (fd >= 0)
		(void)!write(fd, &one, sizeof(one));
}

static bool take_cancel(struct sv_cancel *c)
{
	uint64_t count;
	int fd = atomic_load(&c->fd);

	if (!atomic_exchange(&c->requested, 0))
		return false;
	if (fd >= 0)
		(void)!read(fd, &count, sizeof(count));
	return true;
}

int sv_cancel_check(struct sv_cancel *c)
{
	return take_cancel(c) ? -ECANCELED : 0;
}

int sv_cancel_poll(struct sv_cancel *c, int fd)
{
	struct pollfd p[2] = {
		{ .fd = fd, .events = POLLIN },
		{ .events = POLLIN },
	};
	int efd = atomic_load(&c->fd);

	if (efd < 0) {
		efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (efd < 0)
			return -errno;
		atomic_store(&c->fd, efd);
	}
	p[1].fd = efd;
	if (take_cancel(c))
		return -ECANCELED;
	if (poll(p, 2, -1) < 0)
		return errno == EINTR ? -ECANCELED : -errno;
	return take_cancel(c) ? -ECANCELED : 0;
}

SV_EXPORT int sriovvirt_pf_cancel_io(struct sriovvirt_pf *pf)
{
	if (!pf)
		return -EINVAL;
	sv_cancel_request(&pf->cancel);
	return 0;
}

SV_EXPORT int sriovvirt_vpci_cancel_io(struct sriovvirt_vpci *vpci)
{
	if (!vpci)
		return -EINVAL;
	sv_cancel_request(sv_vpci_cancel(vpci));
	return 0;
}
