/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The event channel's wire format, shared by the attacher (events.c) and
 * the processes that ask it (events-query.c). One message per
 * SOCK_SEQPACKET record, in host byte order: both ends are on this host.
 */
#ifndef SRIOVVIRT_EVENTS_H
#define SRIOVVIRT_EVENTS_H

#include <stdint.h>
#include <sys/un.h>

#include "internal.h"

#define SV_EVENT_SOCKET "events"
#define SV_EVENT_MAGIC 0x53564531u	/* "SVE1" */

enum sv_event_msg_type {
	SV_EVENT_QUERY = 1,	/* initiator: may I? */
	SV_EVENT_COMPLETE = 2,	/* attacher: status 0 yes, -errno no */
	SV_EVENT_DONE = 3,	/* initiator: the operation's result */
};

struct sv_event_msg {
	uint32_t magic;
	uint32_t type;
	uint32_t operation;
	uint16_t vf;
	uint16_t reserved;
	int32_t pid;
	int32_t status;
};

static inline void sv_event_msg_init(struct sv_event_msg *m, uint32_t type)
{
	*m = (struct sv_event_msg){ .magic = SV_EVENT_MAGIC, .type = type };
}

static inline bool sv_event_msg_ok(const struct sv_event_msg *m)
{
	return m->magic == SV_EVENT_MAGIC && m->status <= 0;
}

/* runtime-dir/ADDR/events; -ENAMETOOLONG if it does not fit sun_path. */
int sv_event_socket_path(struct sriovvirt_pf *pf, struct sockaddr_un *ret);
/* Fills @e->addr with VF @e->vf's address when it is a VF. */
void sv_event_vf_addr(struct sriovvirt_pf *pf, struct sriovvirt_pf_event *e);

#endif
