// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The PF event channel: IOCTL_SRIOV_ATTACH, DETACH, NOTIFICATION and
 * EVENT_COMPLETE, with no daemon. The attacher holds an flock() on
 * runtime-dir/ADDR/attach (the kernel drops it when the attacher dies, so a
 * crash never leaves the PF claimed) and listens on runtime-dir/ADDR/events,
 * a SOCK_SEQPACKET socket. A process about to disrupt the PF connects,
 * sends a query and waits for the answer (events-query.c); the attacher's
 * descriptor is an epoll set over the socket, its clients, an eventfd and
 * the context's uevent monitor, and sriovvirt_pf_next_event() turns
 * whatever is ready into events, one at a time:
 *
 *   client state   NEW -> QUEUED (query read) -> ASKED (delivered as
 *                  QUERY_STOP_DEVICE) -> ANSWERED (completed) -> closed
 *                  when the initiator reports its result (RESTART)
 *
 * Only one query is ASKED at a time, as Windows pends one PnP query; the
 * others wait QUEUED. Kernel uevents and RESTARTs wait in a ring. The
 * eventfd is signalled whenever something is ready that no descriptor in
 * the set would announce, so the descriptor is readable exactly then.
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/vfio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "events.h"
#include "internal.h"

#define MAX_CLIENTS 32
#define RING_SIZE 256

enum client_state { CLIENT_NEW, CLIENT_QUEUED, CLIENT_ASKED, CLIENT_ANSWERED };

struct client {
	int fd;
	enum client_state state;
	struct sv_event_msg query;
};

struct sv_events {
	struct sriovvirt_pf *pf;
	bool attached;		/* false: monitoring kernel events only */
	bool uevents;
	bool answer_dropped;	/* an ASKED initiator left before the answer */
	bool listening;		/* listen_fd is in the epoll set */
	uint16_t total_vfs;	/* VF indexes past it are other devices */
	bool accept_failed;	/* out of descriptors: listening paused */
	int epoll_fd;
	int event_fd;
	int listen_fd;
	int lock_fd;
	unsigned int nr_clients;
	struct client clients[MAX_CLIENTS];
	unsigned int head, count;
	struct sriovvirt_pf_event ring[RING_SIZE];
};

static int epoll_add(struct sv_events *ev, int fd);

static void signal_ready(struct sv_events *ev)
{
	uint64_t one = 1;

	/* Fails only when the counter is saturated: readable then. */
	(void)!write(ev->event_fd, &one, sizeof(one));
}

/* Field by field into zeroed memory: callers may write the struct out
 * whole (a pipe, a log), so its padding must not carry stack bytes. */
static void copy_event(struct sriovvirt_pf_event *dst,
		       const struct sriovvirt_pf_event *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->code = src->code;
	dst->operation = src->operation;
	dst->addr.domain = src->addr.domain;
	dst->addr.bus = src->addr.bus;
	dst->addr.device = src->addr.device;
	dst->addr.function = src->addr.function;
	dst->vf = src->vf;
	dst->pid = src->pid;
	dst->status = src->status;
}

static void push(struct sv_events *ev, const struct sriovvirt_pf_event *e)
{
	if (ev->count == RING_SIZE) {
		sv_warn(ev->pf->ctx, "%s: event queue full, dropping the "
			"oldest event", ev->pf->name);
		ev->head = (ev->head + 1) % RING_SIZE;
		ev->count--;
	}
	copy_event(&ev->ring[(ev->head + ev->count++) % RING_SIZE], e);
	signal_ready(ev);
}

/* ------------------------------------------------------------------------ */
/* Kernel events                                                            */
/* ------------------------------------------------------------------------ */

static uint32_t kernel_code(const struct sv_uevent *u)
{
	static const struct {
		const char *action, *error_event;
		uint32_t code;
	} map[] = {
		{ "remove", NULL, SRIOVVIRT_EVENT_SURPRISE_REMOVAL },
		{ "add", NULL, SRIOVVIRT_EVENT_DEVICE_ADDED },
		{ "unbind", NULL, SRIOVVIRT_EVENT_DRIVER_UNBOUND },
		{ "bind", NULL, SRIOVVIRT_EVENT_DRIVER_BOUND },
		{ "change", "BEGIN_RECOVERY", SRIOVVIRT_EVENT_ERROR_DETECTED },
		{ "change", "SUCCESSFUL_RECOVERY", SRIOVVIRT_EVENT_RECOVERED },
		{ "change", "FAILED_RECOVERY", SRIOVVIRT_EVENT_RECOVERY_FAILED },
	};

	for (size_t i = 0; i < SV_ARRAY_SIZE(map); i++) {
		if (!strcmp(u->action, map[i].action) &&
		    (!map[i].error_event ||
		     !strcmp(u->error_event, map[i].error_event)))
			return map[i].code;
	}
	return UINT32_MAX;
}

/* The PF itself, or one of its VFs by the routing-ID formula. */
static bool ours(struct sriovvirt_pf *pf, uint16_t total_vfs,
		 const struct sriovvirt_pci_addr *a, uint16_t *ret_vf)
{
	const struct sv_vf_common *common;

	if (sv_pci_addr_equal(a, &pf->addr)) {
		*ret_vf = SRIOVVIRT_ALL_VFS;
		return true;
	}
	/* The routing-ID formula matches devices past the last VF too. */
	return sv_vf_common_get(pf, false, &common) == 0 &&
	       sv_vf_index(&pf->addr, common->offset, common->stride, a,
			   ret_vf) == 0 &&
	       *ret_vf < total_vfs;
}

static void note_uevent(void *data, const struct sv_uevent *u)
{
	struct sv_events *ev = data;
	struct sriovvirt_pf_event e = { 0 };

	if (u->overflow) {
		sv_warn(ev->pf->ctx, "%s: the kernel dropped uevents; events "
			"may be missing", ev->pf->name);
		return;
	}
	e.code = kernel_code(u);
	if (e.code == UINT32_MAX ||
	    sriovvirt_pci_addr_parse(u->name, &e.addr) < 0 ||
	    !ours(ev->pf, ev->total_vfs, &e.addr, &e.vf))
		return;
	push(ev, &e);
}

/* ------------------------------------------------------------------------ */
/* The VFIO request IRQ of the VFs the attacher holds                       */
/* ------------------------------------------------------------------------ */

/*
 * vfio-pci signals a device's request IRQ when the kernel wants it back
 * (its driver is being unbound, the device removed), and waits until the
 * holder closes it. For a VF this handle holds, that is the stack's cue.
 */
static int set_request_trigger(struct sriovvirt_pf *pf, int device_fd,
			       int event_fd)
{
	struct {
		struct vfio_irq_set set;
		int32_t fd;
	} irq = {
		.set = {
			.argsz = sizeof(irq),
			.index = VFIO_PCI_REQ_IRQ_INDEX,
			.count = event_fd >= 0 ? 1 : 0,
			.flags = VFIO_IRQ_SET_ACTION_TRIGGER |
				 (event_fd >= 0 ? VFIO_IRQ_SET_DATA_EVENTFD
						: VFIO_IRQ_SET_DATA_NONE),
		},
		.fd = event_fd,
	};

	if (event_fd < 0)
		irq.set.argsz = sizeof(irq.set);
	return pf->ctx->sys->ioctl(pf->ctx->sys_data, device_fd,
				   VFIO_DEVICE_SET_IRQS, &irq);
}

static void arm_request(struct sv_events *ev, uint16_t vf)
{
	struct sv_vfio_dev *dev = ev->pf->vfs[vf].vfio;
	int fd, r;

	if (dev->req_fd >= 0)
		return;
	fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (fd < 0)
		return;
	r = set_request_trigger(ev->pf, dev->device_fd, fd);
	if (r == 0)
		r = epoll_add(ev, fd);
	if (r < 0) {
		/* Kernels without a request IRQ for the device: no events. */
		sv_dbg(ev->pf->ctx, "%s: VF %u: no VFIO request IRQ: %s",
		       ev->pf->name, vf, strerror(-r));
		close(fd);
		return;
	}
	dev->req_fd = fd;
}

static void disarm_requests(struct sv_events *ev)
{
	struct sriovvirt_pf *pf = ev->pf;

	for (uint16_t vf = 0; vf < pf->nr_vf_slots; vf++) {
		struct sv_vfio_dev *dev = pf->vfs[vf].vfio;

		if (!sv_vf_is_vfio(pf, vf) || dev->req_fd < 0)
			continue;
		(void)set_request_trigger(pf, dev->device_fd, -1);
		close(dev->req_fd);
		dev->req_fd = -1;
	}
}

void sv_events_vfio_opened(struct sriovvirt_pf *pf, uint16_t vf)
{
	if (pf->events && pf->events->attached)
		arm_request(pf->events, vf);
}

static void collect_requests(struct sv_events *ev)
{
	struct sriovvirt_pf *pf = ev->pf;
	uint64_t count;

	for (uint16_t vf = 0; vf < pf->nr_vf_slots; vf++) {
		struct sriovvirt_pf_event e = {
			.code = SRIOVVIRT_EVENT_DEVICE_REQUEST,
			.addr = pf->addr,
			.vf = vf,
		};

		if (!sv_vf_is_vfio(pf, vf) || pf->vfs[vf].vfio->req_fd < 0 ||
		    read(pf->vfs[vf].vfio->req_fd, &count, sizeof(count)) <= 0)
			continue;
		sv_event_vf_addr(pf, &e);
		push(ev, &e);
	}
}

/* ------------------------------------------------------------------------ */
/* Setting up and tearing down                                              */
/* ------------------------------------------------------------------------ */

static void drop_client(struct sv_events *ev, unsigned int i)
{
	ev->accept_failed = false;	/* a descriptor is free again */
	close(ev->clients[i].fd);
	ev->clients[i] = ev->clients[--ev->nr_clients];
}

static void events_free(struct sv_events *ev)
{
	if (ev->attached)
		disarm_requests(ev);
	while (ev->nr_clients)
		drop_client(ev, 0);	/* an initiator waiting goes on */
	if (ev->uevents)
		sv_uevents_unsubscribe(ev->pf->ctx, note_uevent, ev);
	if (ev->listen_fd >= 0)
		close(ev->listen_fd);
	if (ev->lock_fd >= 0)
		close(ev->lock_fd);
	if (ev->event_fd >= 0)
		close(ev->event_fd);
	if (ev->epoll_fd >= 0)
		close(ev->epoll_fd);
	free(ev);
}

void sv_events_free(struct sriovvirt_pf *pf)
{
	if (pf->events)
		events_free(pf->events);
	pf->events = NULL;
}

static int epoll_add(struct sv_events *ev, int fd)
{
	struct epoll_event e = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(ev->epoll_fd, EPOLL_CTL_ADD, fd, &e) < 0 ? -errno : 0;
}

/* Kernel uevents are real sysfs's only; below a fake root, none come. */
static int add_uevents(struct sv_events *ev, bool required)
{
	struct sriovvirt_pf *pf = ev->pf;
	bool sysfs;
	int r;

	r = sv_fs_is_sysfs(pf->ctx, pf->dirfd, &sysfs);
	if (r < 0)
		return r;
	if (!sysfs) {
		if (!required)
			return 0;
		sv_err(pf->ctx, "%s: %s is not sysfs: no kernel events come "
		       "from it", pf->name, pf->root);
		return -EOPNOTSUPP;
	}
	r = sv_uevents_subscribe(pf->ctx, note_uevent, ev);
	if (r < 0) {
		sv_err(pf->ctx, "%s: cannot receive kernel uevents: %s",
		       pf->name, strerror(-r));
		return r;
	}
	ev->uevents = true;
	return epoll_add(ev, sv_uevents_fd(pf->ctx));
}

static int events_new(struct sriovvirt_pf *pf, struct sv_events **ret)
{
	struct sv_events *ev;
	int r;

	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return -ENOMEM;
	ev->pf = pf;
	ev->listen_fd = ev->lock_fd = -1;
	ev->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	ev->event_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	r = ev->epoll_fd < 0 || ev->event_fd < 0 ? -errno : 0;
	if (r == 0)
		r = sv_pf_total_vfs(pf, &ev->total_vfs);
	if (r == 0)
		r = epoll_add(ev, ev->event_fd);
	if (r < 0) {
		events_free(ev);
		return r;
	}
	*ret = ev;
	return 0;
}

/* The table's meanings for what the runtime directory answers. */
static int attach_errno(int r)
{
	if (r == -EDQUOT)
		return -ENOSPC;
	if (r == -ELOOP || r == -EPERM || r == -EROFS || r == -EADDRINUSE)
		return -EACCES;
	return r;
}

/* Writes our PID into the lock file @fd, which we hold. */
static int write_pid(int fd)
{
	char pid[16];
	ssize_t n;
	int len;

	len = snprintf(pid, sizeof(pid), "%d", (int)getpid());
	if (ftruncate(fd, 0) < 0)
		return -errno;
	n = pwrite(fd, pid, (size_t)len, 0);
	return n < 0 ? -errno : n != len ? -ENOSPC : 0;
}

static pid_t read_pid(int fd)
{
	char pid[16];
	ssize_t n;

	n = pread(fd, pid, sizeof(pid) - 1, 0);
	pid[n > 0 ? n : 0] = '\0';
	return (pid_t)atoi(pid);
}

/*
 * The attach lock of a dead attacher whose forked children still hold its
 * descriptors (flock() locks are shared across fork) is replaced by a new
 * file: the children keep the old one, nobody asks them. Under the store's
 * lock, so that two processes taking over do not both win.
 */
static int take_over(struct sriovvirt_pf *pf, int dirfd, int *ret_fd)
{
	int lock, fd, r;

	r = sv_store_lock(pf, dirfd, 2000, &lock);
	if (r < 0)
		return r;
	fd = openat(dirfd, "attach.new", O_RDWR | O_CREAT | O_TRUNC |
		    O_NOFOLLOW | O_CLOEXEC, 0600);
	r = fd < 0 ? -errno : 0;
	if (r == 0 && flock(fd, LOCK_EX | LOCK_NB) < 0)
		r = -errno;
	if (r == 0)
		r = write_pid(fd);
	if (r == 0 && renameat(dirfd, "attach.new", dirfd, "attach") < 0)
		r = -errno;
	close(lock);
	if (r < 0) {
		if (fd >= 0)
			close(fd);
		return attach_errno(r == -EWOULDBLOCK ? -EBUSY : r);
	}
	*ret_fd = fd;
	return 0;
}

/* -EBUSY, naming the attacher, if a live process holds the attach lock. */
static int take_attach_lock(struct sriovvirt_pf *pf, int dirfd, int *ret_fd)
{
	pid_t holder;
	int fd, r;

	fd = openat(dirfd, "attach", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
		    0600);
	if (fd < 0)
		return attach_errno(-errno);
	if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
		r = write_pid(fd);
		if (r < 0) {
			close(fd);
			return attach_errno(r);
		}
		*ret_fd = fd;
		return 0;
	}
	r = errno == EWOULDBLOCK ? -EBUSY : attach_errno(-errno);
	holder = read_pid(fd);
	close(fd);
	if (r == -EBUSY && holder > 0 && !sv_process_alive(holder))
		return take_over(pf, dirfd, ret_fd);
	if (r == -EBUSY)
		sv_err(pf->ctx, "%s: a virtualization stack is already attached "
		       "(PID %d); one attacher at a time "
		       "(STATUS_SHARING_VIOLATION)", pf->name, (int)holder);
	return r;
}

static int listen_socket(struct sriovvirt_pf *pf, int dirfd, int *ret_fd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, r;

	r = sv_event_socket_path(pf, &sa);
	if (r < 0)
		return r;
	/* The attach lock is ours: a socket left here is a dead attacher's. */
	if (unlinkat(dirfd, SV_EVENT_SOCKET, 0) < 0 && errno != ENOENT)
		return attach_errno(-errno);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* 0600 whatever the umask: the owner must be able to connect. */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    fchmodat(dirfd, SV_EVENT_SOCKET, 0600, 0) < 0 ||
	    listen(fd, MAX_CLIENTS) < 0) {
		r = attach_errno(-errno);
		close(fd);
		return r;
	}
	*ret_fd = fd;
	return 0;
}

static int attach(struct sriovvirt_pf *pf, struct sv_events *ev)
{
	int dirfd, r;

	r = sv_pf_runtime_dir(pf, &dirfd);
	if (r == 0)
		r = take_attach_lock(pf, dirfd, &ev->lock_fd);
	if (r == 0)
		r = listen_socket(pf, dirfd, &ev->listen_fd);
	if (r == 0)
		r = epoll_add(ev, ev->listen_fd);
	ev->listening = r == 0;
	if (r == 0)
		r = add_uevents(ev, false);
	ev->attached = true;
	for (uint16_t vf = 0; r == 0 && vf < pf->nr_vf_slots; vf++) {
		if (sv_vf_is_vfio(pf, vf))
			arm_request(ev, vf);
	}
	return r;
}

static int start(struct sriovvirt_pf *pf, bool attach_it, int *ret_fd)
{
	struct sv_events *ev;
	int r;

	if (pf->events) {
		if (pf->events->attached || attach_it) {
			sv_err(pf->ctx, "%s: this handle is already %s", pf->name,
			       pf->events->attached ? "attached" : "monitoring");
			return -EBUSY;
		}
		*ret_fd = pf->events->epoll_fd;
		return 0;
	}
	r = events_new(pf, &ev);
	if (r < 0)
		return r;
	r = attach_it ? attach(pf, ev) : add_uevents(ev, true);
	if (r < 0) {
		events_free(ev);
		return r;
	}
	pf->events = ev;
	*ret_fd = ev->epoll_fd;
	return 0;
}

SV_EXPORT int sriovvirt_pf_attach(struct sriovvirt_pf *pf, int *ret_fd)
{
	if (!pf || !ret_fd)
		return -EINVAL;
	return start(pf, true, ret_fd);
}

SV_EXPORT int sriovvirt_pf_monitor(struct sriovvirt_pf *pf, int *ret_fd)
{
	if (!pf || !ret_fd)
		return -EINVAL;
	return start(pf, false, ret_fd);
}

static int not_attached(struct sriovvirt_pf *pf)
{
	sv_err(pf->ctx, "%s: this handle is not attached (sriovvirt_pf_attach)",
	       pf->name);
	return -EBUSY;
}

bool sv_events_attached(const struct sriovvirt_pf *pf)
{
	return pf->events && pf->events->attached;
}

int sv_events_fd(const struct sriovvirt_pf *pf)
{
	return pf->events ? pf->events->epoll_fd : -1;
}

SV_EXPORT int sriovvirt_pf_detach(struct sriovvirt_pf *pf)
{
	if (!pf)
		return -EINVAL;
	if (!pf->events)
		return not_attached(pf);
	sv_events_free(pf);
	return 0;
}

/* ------------------------------------------------------------------------ */
/* NOTIFICATION and EVENT_COMPLETE                                          */
/* ------------------------------------------------------------------------ */

/*
 * Peers of another user are not ours to answer. Beyond MAX_CLIENTS, peers
 * wait in the backlog to be asked in turn: one refused would go on unasked.
 */
static void accept_clients(struct sv_events *ev)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int fd;

	while (ev->nr_clients < MAX_CLIENTS) {
		fd = accept4(ev->listen_fd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0 && errno == EINTR)
			continue;
		if (fd < 0) {
			/* Out of descriptors: stop listening rather than spin;
			 * the peers wait in the backlog. */
			if (errno != EAGAIN) {
				sv_warn(ev->pf->ctx, "%s: cannot accept an event-"
					"channel peer: %s", ev->pf->name,
					strerror(errno));
				ev->accept_failed = true;
			}
			return;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 ||
		    cred.uid != geteuid()) {
			sv_warn(ev->pf->ctx, "%s: refused an event-channel peer "
				"of another user", ev->pf->name);
			close(fd);
			continue;
		}
		/* Kept even if it cannot be watched: collect() reads every
		 * client, and one dropped would go on unasked. */
		if (epoll_add(ev, fd) < 0)
			sv_warn(ev->pf->ctx, "%s: an event-channel peer is not "
				"polled: %s", ev->pf->name, strerror(errno));
		ev->clients[ev->nr_clients++] = (struct client){ .fd = fd };
	}
}

static struct sriovvirt_pf_event restart_of(struct sv_events *ev,
					    const struct client *c, int status)
{
	struct sriovvirt_pf_event e = {
		.code = SRIOVVIRT_EVENT_RESTART,
		.operation = c->query.operation,
		.addr = ev->pf->addr,
		.vf = c->query.vf,
		.pid = c->query.pid,
		.status = status,
	};

	sv_event_vf_addr(ev->pf, &e);
	return e;
}

/* Reads what client @i sent; false if it was dropped. */
static bool read_client(struct sv_events *ev, unsigned int i)
{
	struct client *c = &ev->clients[i];
	struct sv_event_msg m;
	ssize_t n;

	n = recv(c->fd, &m, sizeof(m), MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return true;
	if (n == sizeof(m) && sv_event_msg_ok(&m)) {
		if (c->state == CLIENT_NEW && m.type == SV_EVENT_QUERY) {
			c->query = m;
			c->state = CLIENT_QUEUED;
			signal_ready(ev);
			return true;
		}
		/* Still ASKED, it is an initiator that gave up waiting. */
		if ((c->state == CLIENT_ASKED || c->state == CLIENT_ANSWERED) &&
		    m.type == SV_EVENT_DONE) {
			struct sriovvirt_pf_event e = restart_of(ev, c, m.status);

			if (c->state == CLIENT_ASKED)
				ev->answer_dropped = true;
			push(ev, &e);
		}
	} else if (c->state == CLIENT_ASKED || c->state == CLIENT_ANSWERED) {
		/* The initiator gave up or died: the PF is as it left it. */
		struct sriovvirt_pf_event e = restart_of(ev, c, -ECONNRESET);

		if (c->state == CLIENT_ASKED)
			ev->answer_dropped = true;
		push(ev, &e);
	}
	drop_client(ev, i);
	return false;
}

static void read_clients(struct sv_events *ev)
{
	unsigned int i = 0;

	while (i < ev->nr_clients) {
		if (read_client(ev, i))
			i++;
	}
}

static int find_client(struct sv_events *ev, enum client_state state)
{
	for (unsigned int i = 0; i < ev->nr_clients; i++) {
		if (ev->clients[i].state == state)
			return (int)i;
	}
	return -1;
}

/*
 * While the client table is full, the listening socket leaves the epoll set,
 * or its backlog would keep the descriptor readable with nothing to do.
 */
static void set_listening(struct sv_events *ev, bool on)
{
	struct epoll_event e = { .events = EPOLLIN, .data.fd = ev->listen_fd };

	if (on == ev->listening ||
	    epoll_ctl(ev->epoll_fd, on ? EPOLL_CTL_ADD : EPOLL_CTL_DEL,
		      ev->listen_fd, &e) < 0)
		return;
	ev->listening = on;	/* a backlog left makes it readable at once */
}

static void collect(struct sv_events *ev)
{
	uint64_t count;

	if (ev->uevents)
		sv_uevents_dispatch(ev->pf->ctx);
	if (ev->attached) {
		accept_clients(ev);
		read_clients(ev);
		set_listening(ev, ev->nr_clients < MAX_CLIENTS &&
				  !ev->accept_failed);
		collect_requests(ev);
	}
	/* Emptied last: the caller signals it again if anything is left. */
	while (read(ev->event_fd, &count, sizeof(count)) > 0)
		;
}

/* The next QUEUED query, if none is ASKED. */
static bool next_query(struct sv_events *ev, struct sriovvirt_pf_event *ret)
{
	int i;

	if (find_client(ev, CLIENT_ASKED) >= 0)
		return false;
	i = find_client(ev, CLIENT_QUEUED);
	if (i < 0)
		return false;
	ev->clients[i].state = CLIENT_ASKED;
	ev->answer_dropped = false;
	*ret = restart_of(ev, &ev->clients[i], 0);
	ret->code = SRIOVVIRT_EVENT_QUERY_STOP_DEVICE;
	return true;
}

SV_EXPORT int sriovvirt_pf_next_event(struct sriovvirt_pf *pf,
				      struct sriovvirt_pf_event *ret)
{
	struct sriovvirt_pf_event e;
	struct sv_events *ev;

	if (!pf || !ret)
		return -EINVAL;
	ev = pf->events;
	if (!ev)
		return not_attached(pf);
	collect(ev);
	if (ev->count) {
		e = ev->ring[ev->head];
		ev->head = (ev->head + 1) % RING_SIZE;
		ev->count--;
	} else if (!next_query(ev, &e)) {
		return -EAGAIN;
	}
	copy_event(ret, &e);
	if (ev->count || (find_client(ev, CLIENT_ASKED) < 0 &&
			  find_client(ev, CLIENT_QUEUED) >= 0))
		signal_ready(ev);
	return 0;
}

/* Answers the query asked; with @quiet, none asked is no error. */
static int complete(struct sriovvirt_pf *pf, int status, bool quiet)
{
	struct sv_event_msg m;
	struct sv_events *ev;
	int i;

	ev = pf->events;
	if (!ev || !ev->attached)
		return not_attached(pf);
	collect(ev);
	i = find_client(ev, CLIENT_ASKED);
	if (i < 0) {
		if (ev->answer_dropped || quiet) {
			ev->answer_dropped = false;
			return 0;
		}
		sv_err(pf->ctx, "%s: no QUERY_STOP_DEVICE awaits an answer",
		       pf->name);
		return -EBUSY;
	}
	sv_event_msg_init(&m, SV_EVENT_COMPLETE);
	m.status = status;
	/* A send that fails finds an initiator gone: it goes on unasked. */
	(void)send(ev->clients[i].fd, &m, sizeof(m), MSG_NOSIGNAL | MSG_DONTWAIT);
	ev->clients[i].state = CLIENT_ANSWERED;
	if (find_client(ev, CLIENT_QUEUED) >= 0)
		signal_ready(ev);
	return 0;
}

SV_EXPORT int sriovvirt_pf_complete_event(struct sriovvirt_pf *pf, int status)
{
	if (!pf || status > 0)
		return -EINVAL;
	return complete(pf, status, false);
}

int sv_events_complete_quiet(struct sriovvirt_pf *pf, int status)
{
	return complete(pf, status, true);
}

SV_EXPORT const char *sriovvirt_event_name(uint32_t code)
{
	switch (code) {
	case SRIOVVIRT_EVENT_QUERY_STOP_DEVICE:
		return "query_stop_device";
	case SRIOVVIRT_EVENT_RESTART:
		return "restart";
	case SRIOVVIRT_EVENT_SURPRISE_REMOVAL:
		return "surprise_removal";
	case SRIOVVIRT_EVENT_DRIVER_UNBOUND:
		return "driver_unbound";
	case SRIOVVIRT_EVENT_DRIVER_BOUND:
		return "driver_bound";
	case SRIOVVIRT_EVENT_ERROR_DETECTED:
		return "error_detected";
	case SRIOVVIRT_EVENT_RECOVERED:
		return "recovered";
	case SRIOVVIRT_EVENT_RECOVERY_FAILED:
		return "recovery_failed";
	case SRIOVVIRT_EVENT_DEVICE_ADDED:
		return "device_added";
	case SRIOVVIRT_EVENT_DEVICE_REQUEST:
		return "device_request";
	default:
		return NULL;
	}
}
