// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The asking side of the event channel: before a disruptive operation, a
 * process connects to the PF's attacher (events.c), sends a query and
 * waits for the answer, then reports the operation's result so that the
 * attacher can announce RESTART. Nobody listening (no socket, or a dead
 * attacher's) means nobody to ask; an attacher that hangs up, detaches or
 * dies while asked lets the operation go on; one that stays silent past
 * the context's timeout fails it. The process that is itself the
 * attacher is not asked: it is the one doing it.
 */

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "events.h"
#include "internal.h"

static bool socket_path_fits(struct sriovvirt_pf *pf, struct sockaddr_un *ret)
{
	int n;

	n = snprintf(ret->sun_path, sizeof(ret->sun_path), "%s/%s/%s",
		     pf->ctx->runtime_dir, pf->name, SV_EVENT_SOCKET);
	return n >= 0 && (size_t)n < sizeof(ret->sun_path);
}

int sv_event_socket_path(struct sriovvirt_pf *pf, struct sockaddr_un *ret)
{
	if (socket_path_fits(pf, ret))
		return 0;
	sv_err(pf->ctx, "%s: the runtime directory's path is too long for the "
	       "event socket (at most %zu bytes in all)", pf->name,
	       sizeof(ret->sun_path) - 1);
	return -ENAMETOOLONG;
}

void sv_event_vf_addr(struct sriovvirt_pf *pf, struct sriovvirt_pf_event *e)
{
	const struct sv_vf_common *common;

	if (e->vf != SRIOVVIRT_ALL_VFS &&
	    sv_vf_common_get(pf, false, &common) == 0)
		(void)sv_vf_location(&pf->addr, common->offset, common->stride,
				     e->vf, &e->addr);
}

static const char *operation_name(uint32_t op)
{
	switch (op) {
	case SRIOVVIRT_OP_DISABLE:
		return "disabling VFs";
	case SRIOVVIRT_OP_RESET_PF:
		return "resetting the PF";
	case SRIOVVIRT_OP_UNBIND_PF:
		return "unbinding the PF's driver";
	default:
		return "changing a VF's driver";
	}
}

bool sv_process_alive(pid_t pid)
{
	return kill(pid, 0) == 0 || errno != ESRCH;
}

/*
 * The attacher's socket, or -1 if nobody of this user listens there;
 * -ETIMEDOUT if its backlog stayed full for the query timeout (connect()
 * would block for ever on a stuck attacher's, so it is bounded as a send).
 * The listener's PID (SO_PEERCRED: the process that listened) must be
 * alive: children an attacher forked keep its socket, not its role.
 */
static int connect_attacher(struct sriovvirt_pf *pf, int *ret_fd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = {
		.tv_sec = pf->ctx->query_timeout_ms / 1000,
		.tv_usec = pf->ctx->query_timeout_ms % 1000 * 1000,
	};
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int fd, r;

	*ret_fd = -1;
	/* A path too long to attach at means nobody can be attached. */
	if (!socket_path_fits(pf, &sa))
		return 0;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	r = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	while (r == 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		r = errno == EINTR ? 0 : -1;
	if (r < 0) {
		r = errno;
		close(fd);
		/* No socket, a dead attacher's, or a directory not ours. */
		if (r == ENOENT || r == ECONNREFUSED || r == EACCES ||
		    r == ENOTDIR) {
			sv_dbg(pf->ctx, "%s: nobody to ask (%s)", pf->name,
			       strerror(r));
			return 0;
		}
		return r == EAGAIN ? -ETIMEDOUT : -r;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 ||
	    cred.uid != geteuid() || cred.pid == getpid() ||
	    !sv_process_alive(cred.pid)) {
		close(fd);
		return 0;
	}
	*ret_fd = fd;
	return 0;
}

/*
 * 0 and the attacher's answer, or -ETIMEDOUT at @deadline; an attacher
 * that hung up (detached, died) lets the operation go on.
 */
static int await_answer(struct sriovvirt_pf *pf, int fd, int64_t deadline,
			int *ret_status)
{
	struct sv_event_msg m;
	int64_t now;
	ssize_t n;
	int r;

	do {
		r = sv_monotonic_ms(&now);
		if (r < 0)
			return r;
		if (now >= deadline)
			return -ETIMEDOUT;
		r = poll(&(struct pollfd){ .fd = fd, .events = POLLIN }, 1,
			 (int)(deadline - now));
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	if (r == 0)
		return -ETIMEDOUT;
	n = recv(fd, &m, sizeof(m), MSG_DONTWAIT);
	if (n == 0 || (n < 0 && errno == ECONNRESET)) {
		*ret_status = 0;	/* hung up, detached, died */
		return 0;
	}
	if (n != sizeof(m) || !sv_event_msg_ok(&m) ||
	    m.type != SV_EVENT_COMPLETE) {
		sv_err(pf->ctx, "%s: the attached virtualization stack answered "
		       "something else than a completion", pf->name);
		return -EIO;
	}
	*ret_status = m.status;
	return 0;
}

static int timed_out(struct sriovvirt_pf *pf, uint32_t operation)
{
	sv_err(pf->ctx, "%s: the attached virtualization stack did not answer "
	       "within %d ms; not %s (a query timeout of 0, sriovctl's --force, "
	       "skips the question)", pf->name, pf->ctx->query_timeout_ms,
	       operation_name(operation));
	return -ETIMEDOUT;
}

/* 0 if sent; 1 if the attacher went away meanwhile; -ETIMEDOUT. */
static int send_query(int fd, uint32_t operation, uint16_t vf)
{
	struct sv_event_msg m;

	sv_event_msg_init(&m, SV_EVENT_QUERY);
	m.operation = operation;
	m.vf = vf;
	m.pid = (int32_t)getpid();
	if (send(fd, &m, sizeof(m), MSG_NOSIGNAL) == sizeof(m))
		return 0;
	return errno == EAGAIN ? -ETIMEDOUT : 1;
}

int sv_pf_query_stop(struct sriovvirt_pf *pf, uint32_t operation,
		     uint16_t vf, int *ret_fd)
{
	int fd, status = 0, r;
	int64_t deadline;

	*ret_fd = -1;
	if (pf->ctx->query_timeout_ms == 0)
		return 0;	/* forced */
	r = sv_monotonic_ms(&deadline);
	if (r < 0)
		return r;
	deadline += pf->ctx->query_timeout_ms;
	r = connect_attacher(pf, &fd);
	if (r == -ETIMEDOUT)
		return timed_out(pf, operation);
	if (r < 0 || fd < 0)
		return r;
	r = send_query(fd, operation, vf);
	if (r == 0)
		r = await_answer(pf, fd, deadline, &status);
	if (r > 0) {
		close(fd);
		return 0;	/* it went away: nobody to ask */
	}
	if (r == -ETIMEDOUT) {
		sv_pf_query_done(fd, r);	/* RESTART says it timed out */
		return timed_out(pf, operation);
	}
	if (r < 0) {
		close(fd);
		return r;
	}
	if (status < 0) {
		sv_err(pf->ctx, "%s: the attached virtualization stack vetoed "
		       "%s (%s)", pf->name, operation_name(operation),
		       strerror(-status));
		sv_pf_query_done(fd, -ECANCELED);
		return -ECANCELED;
	}
	*ret_fd = fd;
	return 0;
}

void sv_pf_query_done(int fd, int result)
{
	struct sv_event_msg m;

	if (fd < 0)
		return;
	sv_event_msg_init(&m, SV_EVENT_DONE);
	m.status = result > 0 ? 0 : result;
	(void)send(fd, &m, sizeof(m), MSG_NOSIGNAL | MSG_DONTWAIT);
	close(fd);
}
