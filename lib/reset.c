// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ResetVf: the policy, then the VF's backend (sysfs: the reset attribute).
 * The kernel saves config space, tries the methods in reset_method in order
 * until one applies, and restores the saved state (pci.c
 * pci_reset_function); VFIO_DEVICE_RESET goes the same way. A method that
 * does not apply returns -ENOTTY and the kernel moves on, so any listed
 * method may run: the reset is refused unless every listed method resets
 * this function alone.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* Methods that reset only the function itself (pci.c pci_reset_fn_methods). */
static const char *const function_scoped[] = {
	"device_specific", "acpi", "flr", "af_flr", "pm",
};

static bool function_scoped_method(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < SV_ARRAY_SIZE(function_scoped); i++) {
		if (strlen(function_scoped[i]) == len &&
		    !strncmp(function_scoped[i], name, len))
			return true;
	}
	return false;
}

/*
 * 0 if every method in the space-separated @methods is function-scoped;
 * @what names the function in messages ("VF 3", "the PF").
 */
static int check_methods(struct sriovvirt_pf *pf, const char *what,
			 const char *methods)
{
	const char *p = methods;
	size_t len;
	bool any = false;

	for (;;) {
		p += strspn(p, " \n");
		len = strcspn(p, " \n");
		if (!len)
			break;
		if (!function_scoped_method(p, len)) {
			sv_err(pf->ctx, "%s: %s: reset method \"%.*s\" may reset "
			       "other functions too; refusing (choose methods with "
			       "echo flr > reset_method)", pf->name, what, (int)len,
			       p);
			return -EOPNOTSUPP;
		}
		any = true;
		p += len;
	}
	if (!any) {
		sv_err(pf->ctx, "%s: %s has no reset method enabled "
		       "(reset_method is empty)", pf->name, what);
		return -EOPNOTSUPP;
	}
	return 0;
}

/* reset_method exists since Linux 5.15; before it, VFs reset by FLR. */
int sv_check_reset_allowed(struct sriovvirt_pf *pf, const char *what,
			   int dirfd)
{
	char methods[256];
	ssize_t n;
	int r;

	n = sv_attr_read(pf->ctx, dirfd, "reset_method", methods,
			 sizeof(methods));
	if (n >= 0)
		r = check_methods(pf, what, methods);
	else
		r = n == -ENOENT ? 0 : (int)n;
	if (r < 0)
		return r;
	r = sv_exists(pf->ctx, dirfd, "reset", false);
	if (r == -ENOENT) {
		sv_err(pf->ctx, "%s: %s cannot be reset alone: the kernel "
		       "offers no reset for it", pf->name, what);
		return -EOPNOTSUPP;
	}
	return r;
}

/*
 * The reset goes to the very VF whose methods were checked (its directory
 * fd); if that VF was replaced meanwhile (-ENODEV), the new one is checked
 * and reset once more.
 */
static int reset_once(struct sriovvirt_pf *pf, uint16_t vf)
{
	char what[16];
	int fd, r;

	r = sv_vf_open_dir(pf, vf, &fd);
	if (r < 0)
		return r;
	snprintf(what, sizeof(what), "VF %u", vf);
	r = sv_check_reset_allowed(pf, what, fd);
	if (r == 0)
		r = sv_vf_reset(pf, vf, fd);
	sv_close(pf->ctx, fd);
	return r;
}

/*
 * Held through VFIO, the reset is VFIO_DEVICE_RESET, which runs the same
 * reset_method list (pci_try_reset_function()): the same policy applies.
 */
static int reset_vf(struct sriovvirt_pf *pf, uint16_t vf)
{
	int r;

	r = reset_once(pf, vf);
	return r == -ENODEV && !sv_vf_is_vfio(pf, vf) ? reset_once(pf, vf) : r;
}

SV_EXPORT int sriovvirt_vf_reset(struct sriovvirt_pf *pf, uint16_t vf)
{
	int r;

	if (!pf)
		return -EINVAL;
	r = reset_vf(pf, vf);
	if (r == 0)
		sv_mitigations_changed(pf, vf);
	if (r == -ENOTTY) {
		sv_err(pf->ctx, "%s: VF %u: no reset method of reset_method "
		       "applied to it", pf->name, vf);
		return -EOPNOTSUPP;
	}
	if (r < 0 && r != -EOPNOTSUPP && r != -EINVAL)
		sv_err(pf->ctx, "%s: VF %u: reset failed: %s", pf->name, vf,
		       strerror(-r));
	return r;
}
