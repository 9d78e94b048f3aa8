// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The internal per-VF accessor: a PF handle keeps one slot per VF, opened
 * through the VF's backend on first use, so a config access costs one call
 * into the backend (one pread or pwrite on sysfs) and no allocation.
 *
 * The VF index is checked when a slot is opened. When VFs are disabled the
 * kernel deactivates the files of the removed devices and accesses through
 * them fail with ENODEV; the access then reopens the slot once, which also
 * picks up a VF that was enabled again at the same index.
 *
 * No policy here: whether a host driver may be bypassed, or which states a
 * power transition may take, is decided by the callers.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void sv_pf_close_vfs(struct sriovvirt_pf *pf)
{
	unsigned int i;

	for (i = 0; i < pf->nr_vf_slots; i++) {
		struct sv_vf_slot *slot = &pf->vfs[i];

		if (slot->backend)
			slot->backend->close(pf, slot);
		slot->backend = NULL;
	}
}

/*
 * A VF open through VFIO in this handle holds its device: the kernel would
 * wait for the handle to let go of it before removing the VF or unbinding
 * vfio-pci, which this process would never do while it waits.
 */
int sv_vf_check_not_vfio(struct sriovvirt_pf *pf, uint16_t vf)
{
	if (!sv_vf_is_vfio(pf, vf))
		return 0;
	sv_err(pf->ctx, "%s: VF %u is open through VFIO in this handle; close "
	       "it first (sriovvirt_vf_vfio_close)", pf->name, vf);
	return -EBUSY;
}

int sv_pf_check_no_vfio(struct sriovvirt_pf *pf)
{
	unsigned int i;
	int r = 0;

	for (i = 0; i < pf->nr_vf_slots && r == 0; i++)
		r = sv_vf_check_not_vfio(pf, (uint16_t)i);
	return r;
}

void sv_vf_close(struct sriovvirt_pf *pf, uint16_t vf)
{
	struct sv_vf_slot *slot;

	if (vf >= pf->nr_vf_slots || !pf->vfs[vf].backend)
		return;
	slot = &pf->vfs[vf];
	/* Closing VFIO changes which pages are mappable, hence trapped. */
	if (slot->backend == &sv_vf_vfio)
		sv_mitigations_changed(pf, vf);
	slot->backend->close(pf, slot);
	slot->backend = NULL;
}

/*
 * Makes room for VF @vf's slot, sized to TotalVFs on first use. A bad index
 * is refused first, so it cannot grow the array.
 */
int sv_vf_slot_reserve(struct sriovvirt_pf *pf, uint16_t vf)
{
	struct sv_vf_slot *slots;
	uint16_t total;
	unsigned int i;
	int r;

	if (vf < pf->nr_vf_slots)
		return 0;
	r = sv_pf_total_vfs(pf, &total);
	if (r < 0)
		return r;
	if (vf >= total) {
		r = sv_vf_check_index(pf, vf);
		if (r == 0)
			sv_err(pf->ctx, "%s: VF %u is beyond TotalVFs (%u)",
			       pf->name, vf, total);
		return r < 0 ? r : -EINVAL;
	}
	slots = realloc(pf->vfs, total * sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (i = pf->nr_vf_slots; i < total; i++)
		slots[i] = (struct sv_vf_slot){ .fd = -1, .vfio = NULL };
	pf->vfs = slots;
	pf->nr_vf_slots = total;
	return 0;
}

/* The backend a VF is reached through when its slot opens. */
static const struct sv_vf_backend *choose_backend(struct sriovvirt_pf *pf,
						  uint16_t vf)
{
	(void)pf;
	(void)vf;
	return &sv_vf_sysfs;
}

static int open_slot(struct sriovvirt_pf *pf, uint16_t vf, bool write,
		     struct sv_vf_slot **ret)
{
	const struct sv_vf_backend *backend;
	struct sv_vf_slot *slot;
	int r;

	r = sv_vf_slot_reserve(pf, vf);
	if (r < 0)
		return r;
	slot = &pf->vfs[vf];
	if (slot->backend && write && !slot->writable) {
		slot->backend->close(pf, slot);
		slot->backend = NULL;
	}
	if (!slot->backend) {
		backend = choose_backend(pf, vf);
		r = backend->open(pf, vf, write, slot);
		if (r < 0)
			return r;
		slot->backend = backend;
	}
	*ret = slot;
	return 0;
}

static void close_slot(struct sriovvirt_pf *pf, struct sv_vf_slot *slot)
{
	slot->backend->close(pf, slot);
	slot->backend = NULL;
}

/* One access, retried once through a fresh slot if the VF was replaced. */
static ssize_t access_vf(struct sriovvirt_pf *pf, uint16_t vf, bool write,
			 uint32_t offset, void *buf, size_t length)
{
	struct sv_vf_slot *slot;
	ssize_t n = -ENODEV;
	int attempt, r;

	for (attempt = 0; attempt < 2 && n == -ENODEV; attempt++) {
		r = open_slot(pf, vf, write, &slot);
		if (r < 0)
			return r;
		/* The kernel would write the part that fits and report short. */
		if (write && offset + length > slot->backend->size(slot)) {
			sv_err(pf->ctx, "%s: VF %u: config write of %zu bytes at "
			       "%#x goes beyond its %u bytes of config space",
			       pf->name, vf, length, offset,
			       slot->backend->size(slot));
			return -EINVAL;
		}
		if (write)
			n = slot->backend->write(pf, slot, buf, length, offset);
		else
			n = slot->backend->read(pf, slot, buf, length, offset);
		if (n == -ENODEV && !slot->backend->reopens)
			break;
		if (n == -ENODEV)
			close_slot(pf, slot);
	}
	if (n < 0)
		sv_err(pf->ctx, "%s: VF %u: config %s at %#x failed: %s", pf->name,
		       vf, write ? "write" : "read", offset, strerror((int)-n));
	return n;
}

ssize_t sv_vf_read(struct sriovvirt_pf *pf, uint16_t vf, uint32_t offset,
		   void *buf, size_t length)
{
	return access_vf(pf, vf, false, offset, buf, length);
}

ssize_t sv_vf_write(struct sriovvirt_pf *pf, uint16_t vf, uint32_t offset,
		    const void *buf, size_t length)
{
	return access_vf(pf, vf, true, offset, (void *)buf, length);
}

/* Through the backend the VF's slot is open on, else the default one. */
int sv_vf_reset(struct sriovvirt_pf *pf, uint16_t vf, int vf_dirfd)
{
	struct sv_vf_slot *slot;

	if (vf < pf->nr_vf_slots && pf->vfs[vf].backend) {
		slot = &pf->vfs[vf];
		return slot->backend->reset(pf, vf, vf_dirfd, slot);
	}
	return choose_backend(pf, vf)->reset(pf, vf, vf_dirfd, NULL);
}
