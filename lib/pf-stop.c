// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The PF's own disruptive operations: a function-level reset of the PF and
 * unbinding its driver. Windows stops a PF through PnP, which is what an
 * attached virtualization stack hears as QUERY_STOP_DEVICE; here the
 * library asks the attacher first, as for disabling VFs. Both take every VF
 * with them (the PF driver's remove disables SR-IOV; a PF reset resets the
 * VFs' state), so a handle holding a VF through VFIO is refused first: the
 * kernel would wait for it.
 */

#include <errno.h>
#include <string.h>

#include "internal.h"

static int ask_and_do(struct sriovvirt_pf *pf, uint32_t operation,
		      int (*fn)(struct sriovvirt_pf *pf))
{
	int query, r;

	r = sv_pf_check_no_vfio(pf);
	if (r == 0)
		r = sv_pf_query_stop(pf, operation, SRIOVVIRT_ALL_VFS, &query);
	if (r < 0)
		return r;
	r = fn(pf);
	sv_pf_query_done(query, r);
	return r;
}

static int reset_pf(struct sriovvirt_pf *pf)
{
	int r;

	r = sv_attr_write(pf->ctx, pf->dirfd, "reset", "1");
	if (r == -ENOTTY) {
		sv_err(pf->ctx, "%s: no reset method of reset_method applied "
		       "to the PF", pf->name);
		return -EOPNOTSUPP;
	}
	if (r < 0)
		sv_err(pf->ctx, "%s: PF reset failed: %s", pf->name,
		       strerror(-r));
	sv_pf_close_vfs(pf);	/* the VFs' config files may be stale */
	return r;
}

SV_EXPORT int sriovvirt_pf_reset(struct sriovvirt_pf *pf)
{
	int r;

	if (!pf)
		return -EINVAL;
	r = sv_check_reset_allowed(pf, "the PF", pf->dirfd);
	return r < 0 ? r : ask_and_do(pf, SRIOVVIRT_OP_RESET_PF, reset_pf);
}

static int unbind_pf(struct sriovvirt_pf *pf)
{
	char driver[SRIOVVIRT_DRIVER_NAME_MAX];
	int r;

	r = sv_attr_write(pf->ctx, pf->dirfd, "driver/unbind", pf->name);
	sv_pf_close_vfs(pf);
	sv_vf_common_forget(pf);
	if (r == -ENOENT)
		return 0;	/* unbound meanwhile */
	if (r < 0) {
		sv_err(pf->ctx, "%s: unbinding the PF's driver failed: %s",
		       pf->name, strerror(-r));
		return r;
	}
	r = sv_read_link(pf->ctx, pf->dirfd, "driver", driver, sizeof(driver));
	if (r == 0) {
		sv_err(pf->ctx, "%s: the PF is still bound to %s after the "
		       "unbind", pf->name, driver);
		return -EIO;
	}
	return r == -ENOENT ? 0 : r;
}

SV_EXPORT int sriovvirt_pf_unbind_driver(struct sriovvirt_pf *pf)
{
	char driver[SRIOVVIRT_DRIVER_NAME_MAX];
	int r;

	if (!pf)
		return -EINVAL;
	r = sv_read_link(pf->ctx, pf->dirfd, "driver", driver, sizeof(driver));
	if (r == -ENOENT) {
		sv_err(pf->ctx, "%s: the PF has no driver to unbind", pf->name);
		return -ENODATA;
	}
	return r < 0 ? r : ask_and_do(pf, SRIOVVIRT_OP_UNBIND_PF, unbind_pf);
}
