// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * IOCTL_SRIOV_* (pcivirt.h): the requests a virtualization stack sends its
 * PF driver, with the buffer rules of a KMDF driver that retrieves each
 * buffer with a minimum size. The requests Windows pends block here until
 * they complete or are cancelled (cancel.c). What they wait on
 * is the native layer's: the attach descriptor, the mitigation watch, and
 * the block store (an inotify watch of the PF's runtime directory, kept in
 * the handle so that no invalidation falls between two requests).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "pcivirt.h"


struct sv_pcivirt {
	int store_fd;		/* inotify on the block store, -1 until used */
};

struct io {
	const void *in;
	ULONG in_len;
	void *out;
	ULONG out_len;
	ULONG_PTR info;
};

void sv_pcivirt_free(struct sriovvirt_pf *pf)
{
	struct sv_pcivirt *p = pf->pcivirt;

	if (!p)
		return;
	if (p->store_fd >= 0)
		close(p->store_fd);
	free(p);
	pf->pcivirt = NULL;
}

static struct sv_pcivirt *state(struct sriovvirt_pf *pf)
{
	if (!pf->pcivirt) {
		pf->pcivirt = calloc(1, sizeof(*pf->pcivirt));
		if (pf->pcivirt)
			pf->pcivirt->store_fd = -1;
	}
	return pf->pcivirt;
}

/* Copies the input structure; STATUS_BUFFER_TOO_SMALL if it is short. */
static NTSTATUS take_input(const struct io *io, void *in, size_t size)
{
	if (io->in_len < size)
		return STATUS_BUFFER_TOO_SMALL;
	memcpy(in, io->in, size);
	return STATUS_SUCCESS;
}

/* The output buffer must hold @size bytes; Information says so if not. */
static NTSTATUS check_output(struct io *io, size_t size)
{
	if (io->out_len >= size)
		return STATUS_SUCCESS;
	io->info = size;
	return STATUS_BUFFER_TOO_SMALL;
}

/* A request with both: the input copied, the output's size checked. */
static NTSTATUS take_buffers(struct io *io, void *in, size_t in_size,
			     size_t out_size)
{
	NTSTATUS status = take_input(io, in, in_size);

	return NT_SUCCESS(status) ? check_output(io, out_size) : status;
}

static NTSTATUS give_output(struct io *io, const void *out, size_t size)
{
	NTSTATUS status = check_output(io, size);

	if (NT_SUCCESS(status)) {
		memcpy(io->out, out, size);
		io->info = size;
	}
	return status;
}

/* Blocks until @fd is readable; STATUS_CANCELLED if cancelled. */
static NTSTATUS wait_readable(struct sriovvirt_pf *pf, int fd)
{
	return sriovvirt_ntstatus_from_errno(sv_cancel_poll(&pf->cancel, fd));
}

static NTSTATUS not_attached(struct sriovvirt_pf *pf, const char *what)
{
	sv_err(pf->ctx, "%s: %s: this handle is not attached "
	       "(IOCTL_SRIOV_ATTACH)", pf->name, what);
	return STATUS_INVALID_DEVICE_STATE;
}

/* ------------------------------------------------------------------------ */
/* ATTACH, DETACH, NOTIFICATION, EVENT_COMPLETE                             */
/* ------------------------------------------------------------------------ */

static NTSTATUS attach(struct sriovvirt_pf *pf)
{
	int fd, r;

	r = sriovvirt_pf_attach(pf, &fd);
	if (r == -EBUSY)	/* Microsoft's sample: one attacher at a time */
		return STATUS_SHARING_VIOLATION;
	return sriovvirt_ntstatus_from_errno(r);
}

static NTSTATUS detach(struct sriovvirt_pf *pf)
{
	if (!sv_events_attached(pf))
		return not_attached(pf, "DETACH");
	return sriovvirt_ntstatus_from_errno(sriovvirt_pf_detach(pf));
}

static NTSTATUS notification(struct sriovvirt_pf *pf, struct io *io)
{
	struct sriovvirt_pf_event e;
	NTSTATUS status;
	ULONG code;
	int r;

	status = check_output(io, sizeof(ULONG));
	if (!NT_SUCCESS(status))
		return status;
	if (sv_events_fd(pf) < 0)
		return not_attached(pf, "NOTIFICATION");
	while ((r = sriovvirt_pf_next_event(pf, &e)) == -EAGAIN) {
		status = wait_readable(pf, sv_events_fd(pf));
		if (!NT_SUCCESS(status))
			return status;
	}
	if (r < 0)
		return sriovvirt_ntstatus_from_errno(r);
	if (io->out_len >= sizeof(e))
		return give_output(io, &e, sizeof(e));
	code = e.code;
	return give_output(io, &code, sizeof(code));
}

static NTSTATUS event_complete(struct sriovvirt_pf *pf, struct io *io)
{
	SRIOV_PNP_EVENT_COMPLETE in;
	NTSTATUS status;

	status = take_input(io, &in, sizeof(in));
	if (!NT_SUCCESS(status))
		return status;
	if (!sv_events_attached(pf))
		return not_attached(pf, "EVENT_COMPLETE");
	/*
	 * Answers the QUERY_STOP_DEVICE awaiting one, whatever was notified
	 * since; a stack completes every event, and the others ask nothing.
	 */
	return sriovvirt_ntstatus_from_errno(
		sv_events_complete_quiet(pf,
			sv_errno_from_ntstatus(in.QueryStatus)));
}

/* ------------------------------------------------------------------------ */
/* INVALIDATE_BLOCK                                                         */
/* ------------------------------------------------------------------------ */

/*
 * One VF: a VPCI handle's wait, which also ends when the VF goes. A new
 * handle per request binds it to the VF enabled now; what was invalidated
 * between two requests waits in the store.
 */
static int wait_one_vf(struct sriovvirt_pf *pf, uint16_t vf,
		       uint64_t *ret_mask)
{
	struct sriovvirt_vpci *vpci;
	int r;

	r = sriovvirt_vpci_open(pf->ctx, pf->name, vf, &vpci);
	if (r < 0)
		return r;
	r = sv_vpci_wait(vpci, -1, &pf->cancel, ret_mask);
	sriovvirt_vpci_unref(vpci);
	return r == -EINVAL ? -ENODEV : r;	/* the VF went meanwhile */
}

static int watch_store(struct sriovvirt_pf *pf, struct sv_pcivirt *p)
{
	char path[64];
	int dirfd, r;

	if (p->store_fd >= 0)
		return 0;
	r = sv_pf_runtime_dir(pf, &dirfd);
	if (r < 0)
		return r;
	p->store_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (p->store_fd < 0)
		return -errno;
	/* inotify takes a path: the directory's own, through /proc. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", dirfd);
	if (inotify_add_watch(p->store_fd, path, IN_CLOSE_WRITE | IN_ONLYDIR) < 0) {
		r = -errno;
		close(p->store_fd);
		p->store_fd = -1;
		return r;
	}
	return 0;
}

/* True if the store's events hold an invalidation (a mask file written,
 * "m-VF-LUID") or lost events: block writes need no look. */
static bool drain_store_events(int fd)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool masks = false;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t pos = 0; pos < n;) {
			const struct inotify_event *ev =
				(const struct inotify_event *)(buf + pos);

			if ((ev->mask & IN_Q_OVERFLOW) ||
			    (ev->len && !strncmp(ev->name, "m-", 2)))
				masks = true;
			pos += (ssize_t)(sizeof(*ev) + ev->len);
		}
	}
	return masks;
}

/* The lowest enabled VF with a pending mask, drained; 0 in *@ret_mask if
 * none has one. */
static int drain_any_vf(struct sriovvirt_pf *pf, uint16_t *ret_vf,
			uint64_t *ret_mask)
{
	uint16_t num_vfs = 0;
	uint64_t luid;
	int r;

	*ret_mask = 0;
	r = sv_pf_num_vfs(pf, &num_vfs);
	for (uint16_t vf = 0; r == 0 && vf < num_vfs; vf++) {
		if (sv_block_vf_luid(pf, vf, &luid) < 0)
			continue;	/* going away meanwhile */
		r = sv_block_drain(pf, vf, luid, SV_STORE_LOCK_MS, ret_mask);
		if (r == 0 && *ret_mask) {
			*ret_vf = vf;
			return 0;
		}
	}
	return r;
}

/* Any VF: the store's directory wakes the wait, every VF is looked at. */
static NTSTATUS wait_any_vf(struct sriovvirt_pf *pf, struct sv_pcivirt *p,
			    uint16_t *ret_vf, uint64_t *ret_mask)
{
	NTSTATUS status;
	int r;

	r = watch_store(pf, p);
	if (r < 0)
		return sriovvirt_ntstatus_from_errno(r);
	/* Watched before the first look, so no invalidation falls between. */
	drain_store_events(p->store_fd);
	for (bool look = true;; look = drain_store_events(p->store_fd)) {
		if (look) {
			r = drain_any_vf(pf, ret_vf, ret_mask);
			if (r < 0)
				return sriovvirt_ntstatus_from_errno(r);
			if (*ret_mask)
				return STATUS_SUCCESS;
		}
		status = wait_readable(pf, p->store_fd);
		if (!NT_SUCCESS(status))
			return status;
	}
}

static NTSTATUS invalidate_block(struct sriovvirt_pf *pf, struct io *io)
{
	SRIOV_INVALIDATE_BLOCK in, out = { 0, 0 };
	struct sv_pcivirt *p;
	NTSTATUS status;
	int r;

	status = take_buffers(io, &in, sizeof(in), sizeof(out));
	if (!NT_SUCCESS(status))
		return status;
	p = state(pf);
	if (!p)
		return STATUS_INSUFFICIENT_RESOURCES;
	out.VfIndex = in.VfIndex;
	if (in.VfIndex == SRIOV_INVALIDATE_BLOCK_ALL_VFS) {
		status = wait_any_vf(pf, p, &out.VfIndex, &out.BlockMask);
	} else {
		r = sv_vf_check_index(pf, in.VfIndex);
		if (r == 0)
			r = wait_one_vf(pf, in.VfIndex, &out.BlockMask);
		status = sriovvirt_ntstatus_from_errno(r);
	}
	return NT_SUCCESS(status) ? give_output(io, &out, sizeof(out)) : status;
}

/* ------------------------------------------------------------------------ */
/* Mitigated ranges                                                         */
/* ------------------------------------------------------------------------ */

/* Every range of VF @vf, in a new array. */
static int get_ranges(struct sriovvirt_pf *pf, uint16_t vf,
		      struct sriovvirt_mitigated_range **ret, size_t *ret_count)
{
	struct sriovvirt_mitigated_range *ranges = NULL;
	size_t count = 0, max;
	int r;

	/* Asked twice: the count may grow between the calls (a VFIO open). */
	for (int tries = 0; tries < 4; tries++) {
		r = sriovvirt_vf_get_mitigated_ranges(pf, vf, NULL, 0, &count);
		if (r < 0 && r != -ERANGE)
			return r;
		max = count;
		free(ranges);
		ranges = calloc(max ? max : 1, sizeof(*ranges));
		if (!ranges)
			return -ENOMEM;
		r = sriovvirt_vf_get_mitigated_ranges(pf, vf, ranges, max,
						      &count);
		if (r != -ERANGE)
			break;
	}
	if (r < 0) {
		free(ranges);
		return r == -ERANGE ? -EBUSY : r;	/* kept changing */
	}
	*ret = ranges;
	*ret_count = count;
	return 0;
}

static NTSTATUS range_count(struct sriovvirt_pf *pf, struct io *io)
{
	SRIOV_MITIGATED_RANGE_COUNT_INPUT in;
	SRIOV_MITIGATED_RANGE_COUNT_OUTPUT out;
	struct sriovvirt_mitigated_range *ranges;
	NTSTATUS status;
	size_t count;
	int r;

	status = take_buffers(io, &in, sizeof(in), sizeof(out));
	if (!NT_SUCCESS(status))
		return status;
	r = get_ranges(pf, in.VfIndex, &ranges, &count);
	if (r < 0)
		return sriovvirt_ntstatus_from_errno(r);
	memset(&out, 0, sizeof(out));
	for (size_t i = 0; i < count; i++) {
		if (ranges[i].bar < SRIOVVIRT_NUM_BARS)
			out.RangeCount[ranges[i].bar]++;
	}
	free(ranges);
	return give_output(io, &out, sizeof(out));
}

static void range_out(SRIOV_MITIGATED_RANGES_OUTPUT *out,
		      const struct sriovvirt_mitigated_range *r)
{
	memset(out, 0, sizeof(*out));
	out->BasePageNumber = r->base_page;
	out->PageCount = r->page_count;
	out->InterceptReads = !!(r->flags & SRIOVVIRT_INTERCEPT_READS);
	out->InterceptWrites = !!(r->flags & SRIOVVIRT_INTERCEPT_WRITES);
}

static NTSTATUS ranges_of_bar(struct sriovvirt_pf *pf, struct io *io)
{
	SRIOV_MITIGATED_RANGES_INPUT in;
	SRIOV_MITIGATED_RANGES_OUTPUT out;
	struct sriovvirt_mitigated_range *ranges;
	size_t count, n = 0;
	NTSTATUS status;
	int r;

	status = take_input(io, &in, sizeof(in));
	if (!NT_SUCCESS(status))
		return status;
	if (in.BarNumber >= SRIOVVIRT_NUM_BARS) {
		sv_err(pf->ctx, "%s: QUERY_MITIGATED_RANGES: BAR %u, there are "
		       "six (0..5)", pf->name, in.BarNumber);
		return STATUS_INVALID_PARAMETER;
	}
	r = get_ranges(pf, in.VfIndex, &ranges, &count);
	if (r < 0)
		return sriovvirt_ntstatus_from_errno(r);
	for (size_t i = 0; i < count; i++)
		n += ranges[i].bar == in.BarNumber;
	status = check_output(io, n * sizeof(out));
	for (size_t i = 0, j = 0; NT_SUCCESS(status) && i < count; i++) {
		if (ranges[i].bar != in.BarNumber)
			continue;
		range_out(&out, &ranges[i]);
		memcpy((char *)io->out + j++ * sizeof(out), &out, sizeof(out));
	}
	free(ranges);
	if (NT_SUCCESS(status))
		io->info = n * sizeof(out);
	return status;
}

/* VF @vf's ranges are to be queried again (0xffff: any VF's). */
static int wait_range_update(struct sriovvirt_pf *pf, uint16_t *vf)
{
	int fd, r;

	r = sriovvirt_pf_watch_mitigations(pf, &fd);
	while (r == 0) {
		if (*vf == SRIOVVIRT_ALL_VFS)
			r = sriovvirt_pf_next_mitigation_update(pf, vf);
		else if (sv_mitigation_take(pf, *vf))
			break;
		else
			r = -EAGAIN;
		if (r != -EAGAIN)
			break;
		r = sv_cancel_poll(&pf->cancel, fd);
	}
	sv_mitigation_resignal(pf);
	return r;
}

static NTSTATUS range_update(struct sriovvirt_pf *pf, struct io *io)
{
	SRIOV_MITIGATED_RANGE_UPDATE_INPUT in;
	SRIOV_MITIGATED_RANGE_UPDATE_OUTPUT out;
	NTSTATUS status;
	int r = 0;

	status = take_buffers(io, &in, sizeof(in), sizeof(out));
	if (!NT_SUCCESS(status))
		return status;
	if (in.VfIndex != SRIOVVIRT_ALL_VFS)
		r = sv_vf_check_index(pf, in.VfIndex);
	out.VfIndex = in.VfIndex;
	if (r == 0)
		r = wait_range_update(pf, &out.VfIndex);
	if (r < 0)
		return sriovvirt_ntstatus_from_errno(r);
	return give_output(io, &out, sizeof(out));
}

/* ------------------------------------------------------------------------ */
/* PROXY_QUERY_LUID and the dispatch                                        */
/* ------------------------------------------------------------------------ */

static NTSTATUS proxy_query_luid(struct sriovvirt_pf *pf, struct io *io)
{
	SRIOV_PROXY_QUERY_LUID_OUTPUT out;
	struct sriovvirt_luid luid;
	NTSTATUS status;
	int r;

	status = check_output(io, sizeof(out));
	if (!NT_SUCCESS(status))
		return status;
	r = sriovvirt_pf_get_luid(pf, &luid);
	if (r < 0)
		return sriovvirt_ntstatus_from_errno(r);
	out.DeviceLuid.LowPart = luid.low_part;
	out.DeviceLuid.HighPart = luid.high_part;
	return give_output(io, &out, sizeof(out));
}

static NTSTATUS dispatch(struct sriovvirt_pf *pf, ULONG code, struct io *io)
{
	switch (code) {
	case IOCTL_SRIOV_ATTACH:
		return attach(pf);
	case IOCTL_SRIOV_DETACH:
		return detach(pf);
	case IOCTL_SRIOV_NOTIFICATION:
		return notification(pf, io);
	case IOCTL_SRIOV_EVENT_COMPLETE:
		return event_complete(pf, io);
	case IOCTL_SRIOV_INVALIDATE_BLOCK:
		return invalidate_block(pf, io);
	case IOCTL_SRIOV_QUERY_MITIGATED_RANGE_COUNT:
		return range_count(pf, io);
	case IOCTL_SRIOV_QUERY_MITIGATED_RANGES:
		return ranges_of_bar(pf, io);
	case IOCTL_SRIOV_MITIGATED_RANGE_UPDATE:
		return range_update(pf, io);
	case IOCTL_SRIOV_PROXY_QUERY_LUID:
		return proxy_query_luid(pf, io);
	default:
		sv_err(pf->ctx, "%s: unknown IOCTL code %#x", pf->name,
		       (unsigned int)code);
		return STATUS_INVALID_DEVICE_REQUEST;
	}
}

SV_EXPORT NTSTATUS sriovvirt_device_io_control(struct sriovvirt_pf *pf,
					       ULONG code, const void *in,
					       ULONG in_len, void *out,
					       ULONG out_len,
					       ULONG_PTR *information)
{
	struct io io = { in, in_len, out, out_len, 0 };
	NTSTATUS status;

	if (information)
		*information = 0;
	if (!pf || (in_len && !in) || (out_len && !out))
		return STATUS_INVALID_PARAMETER;
	status = dispatch(pf, code, &io);
	if (information)
		*information = io.info;
	return status;
}
