// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * EnableVirtualization over sriov_numvfs. The Windows rules are checked before
 * anything is written; the kernel's own rules (iov.c sriov_numvfs_store) are
 * explained when they bite: a same-value write silently succeeds, a change
 * between two non-zero counts is -EBUSY, no capable PF driver is -ENOENT, and
 * a driver may enable fewer VFs than asked while the write still succeeds.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>

#include "internal.h"

#define ENABLE_FLAGS                                                           \
	(SRIOVVIRT_ENABLE_VF_MIGRATION | SRIOVVIRT_ENABLE_MIGRATION_INTERRUPT | \
	 SRIOVVIRT_ENABLE_NO_AUTOPROBE | SRIOVVIRT_ENABLE_WAIT)

#define DRIVER_FIX                                                             \
	"bind a driver that can create VFs: the device's own driver, "         \
	"pci-pf-stub (echo pci-pf-stub > driver_override; echo ADDR > "        \
	"/sys/bus/pci/drivers_probe), or vfio-pci loaded with enable_sriov=1"

static int check_arguments(struct sriovvirt_pf *pf, uint16_t num_vfs,
			   bool enable, unsigned int flags, int timeout_ms)
{
	if ((flags & ~ENABLE_FLAGS) || timeout_ms < -1)
		return -EINVAL;
	if ((flags & SRIOVVIRT_ENABLE_MIGRATION_INTERRUPT) &&
	    !(flags & SRIOVVIRT_ENABLE_VF_MIGRATION)) {
		sv_err(pf->ctx, "%s: the VF migration interrupt needs VF "
		       "migration (EnableMigrationInterrupt requires "
		       "EnableVfMigration)", pf->name);
		return -EINVAL;
	}
	if (flags & SRIOVVIRT_ENABLE_VF_MIGRATION) {
		sv_err(pf->ctx, "%s: VF migration (MR-IOV) is not supported: "
		       "Linux never enables it", pf->name);
		return -EOPNOTSUPP;
	}
	if (enable && num_vfs == 0) {
		sv_err(pf->ctx, "%s: enabling needs at least 1 VF (NumVFs 0 is "
		       "only valid to disable)", pf->name);
		return -EINVAL;
	}
	if (!enable && num_vfs != 0) {
		sv_err(pf->ctx, "%s: disabling needs NumVFs 0, not %u", pf->name,
		       num_vfs);
		return -EINVAL;
	}
	return 0;
}

/* The state rules: enable only from 0, disable only from non-zero. */
static int check_state(struct sriovvirt_pf *pf, uint16_t num_vfs, bool enable,
		       uint16_t current)
{
	uint16_t total;
	int r;

	if (enable && current) {
		sv_err(pf->ctx, "%s: %u VFs are already enabled; disable them "
		       "first (a PF is enabled once, and the kernel refuses to "
		       "change a non-zero VF count)", pf->name, current);
		return -EBUSY;
	}
	if (!enable && !current) {
		sv_err(pf->ctx, "%s: no VFs are enabled, nothing to disable",
		       pf->name);
		return -EBUSY;
	}
	if (!enable)
		return 0;
	r = sv_pf_total_vfs(pf, &total);
	if (r < 0)
		return r;
	if (num_vfs > total) {
		sv_err(pf->ctx, "%s: cannot enable %u VFs: TotalVFs is %u",
		       pf->name, num_vfs, total);
		return -EINVAL;
	}
	return 0;
}

static int check_driver(struct sriovvirt_pf *pf)
{
	char driver[SRIOVVIRT_DRIVER_NAME_MAX];
	int r;

	r = sv_read_link(pf->ctx, pf->dirfd, "driver", driver, sizeof(driver));
	if (r == -ENOENT) {
		sv_err(pf->ctx, "%s: no driver is bound, and only the PF's "
		       "driver can create VFs; " DRIVER_FIX, pf->name);
		return -ENODATA;
	}
	return r == -ERANGE ? 0 : r;
}

/*
 * The kernel's ENOENT on the sriov_numvfs write: the PF went away, no driver
 * is bound (any more), or the bound one cannot configure SR-IOV.
 */
static int explain_enoent(struct sriovvirt_pf *pf, const char *driver)
{
	if (sv_exists(pf->ctx, pf->dirfd, "sriov_numvfs", false) == -ENOENT) {
		sv_err(pf->ctx, "%s: sriov_numvfs is gone; the PF was removed",
		       pf->name);
		return -ENODEV;
	}
	if (!driver[0]) {
		sv_err(pf->ctx, "%s: no driver is bound, and only the PF's "
		       "driver can create VFs; " DRIVER_FIX, pf->name);
		return -ENODATA;
	}
	if (!strcmp(driver, "vfio-pci"))
		sv_err(pf->ctx, "%s: vfio-pci refuses to create VFs unless loaded "
		       "with enable_sriov=1 (echo 1 > "
		       "/sys/module/vfio_pci/parameters/enable_sriov)", pf->name);
	else
		sv_err(pf->ctx, "%s: driver %s cannot configure SR-IOV through "
		       "sysfs (it has no sriov_configure); " DRIVER_FIX,
		       pf->name, driver);
	return -EOPNOTSUPP;
}

/*
 * An errno the PF driver returned that has a meaning of its own in the
 * library's table (sriovvirt.h) would say something the driver did not: it
 * becomes -EIO, with the driver's own word in the log.
 */
static bool has_library_meaning(int r)
{
	return r == -EINVAL || r == -ENODEV || r == -ENODATA ||
	       r == -ETIMEDOUT || r == -ENOTDIR || r == -ENAMETOOLONG ||
	       r == -ERANGE || r == -ENOENT;
}

/* Turns the kernel's answer to the sriov_numvfs write into an explanation. */
static int explain_write_error(struct sriovvirt_pf *pf, int r, uint16_t num_vfs)
{
	char driver[SRIOVVIRT_DRIVER_NAME_MAX] = "";

	/* Only for the message: without the name it is still explained. */
	if (sv_read_link(pf->ctx, pf->dirfd, "driver", driver,
			 sizeof(driver)) < 0)
		driver[0] = '\0';
	switch (r) {
	case -ENOENT:
		return explain_enoent(pf, driver);
	case -ERANGE:
		sv_err(pf->ctx, "%s: the kernel says %u VFs is more than "
		       "sriov_totalvfs allows", pf->name, num_vfs);
		return -EINVAL;
	case -EBUSY:
		if (num_vfs == 0)
			sv_err(pf->ctx, "%s: driver %s refused to disable the VFs: "
			       "they are in use (assigned to a guest or bound "
			       "to a driver that holds them)", pf->name,
			       driver[0] ? driver : "(none)");
		else
			sv_err(pf->ctx, "%s: the kernel refused: VFs were "
			       "enabled meanwhile by someone else; disable them "
			       "first", pf->name);
		return -EBUSY;
	case -EACCES:
		sv_err(pf->ctx, "%s: writing sriov_numvfs needs root", pf->name);
		return r;
	case -EPERM:
		/* sysfs checks permissions at open (EACCES); EPERM is the driver's. */
		sv_err(pf->ctx, "%s: driver %s refused to set %u VFs: VFs may be "
		       "assigned to a guest", pf->name,
		       driver[0] ? driver : "(none)", num_vfs);
		return r;
	case -ENOMEM:
		sv_err(pf->ctx, "%s: the kernel could not find memory space or "
		       "bus numbers for %u VFs (see the kernel log; "
		       "pci=realloc or fewer VFs may help)", pf->name, num_vfs);
		return -ENOSPC;
	default:
		sv_err(pf->ctx, "%s: driver %s refused to set %u VFs: %s",
		       pf->name, driver[0] ? driver : "(none)", num_vfs,
		       strerror(-r));
		return has_library_meaning(r) ? -EIO : r;
	}
}

static int write_num_vfs(struct sriovvirt_pf *pf, uint16_t num_vfs)
{
	char value[8];

	/* Whatever happens, VFs opened or read before are stale after (none
	 * is open through VFIO: sriovvirt_pf_enable_virtualization). */
	sv_pf_close_vfs(pf);
	sv_vf_common_forget(pf);
	/* Decimal: the kernel parses with base 0, so "010" would be 8. */
	snprintf(value, sizeof(value), "%u\n", num_vfs);
	return sv_attr_write(pf->ctx, pf->dirfd, "sriov_numvfs", value);
}

static int set_autoprobe(struct sriovvirt_pf *pf, bool on)
{
	int r;

	r = sv_attr_write(pf->ctx, pf->dirfd, "sriov_drivers_autoprobe",
			  on ? "1\n" : "0\n");
	if (r < 0)
		sv_err(pf->ctx, "%s: cannot write sriov_drivers_autoprobe: %s",
		       pf->name, strerror(-r));
	return r == -ENOENT ? -ENODEV : r;
}

/* Disables VFs a failed enable left; 0, or why they remain. */
static int disable_again(struct sriovvirt_pf *pf)
{
	uint16_t now = 0;
	int r;

	r = write_num_vfs(pf, 0);
	if (r == 0)
		r = sv_pf_num_vfs(pf, &now);
	return r < 0 ? r : now ? -EBUSY : 0;
}

/* A failed call changes nothing, autoprobe included; -EIO if it did. */
static int restore_autoprobe(struct sriovvirt_pf *pf, bool restore, int r)
{
	if (restore && set_autoprobe(pf, true) < 0) {
		sv_err(pf->ctx, "%s: sriov_drivers_autoprobe stays 0", pf->name);
		return -EIO;
	}
	return r;
}

/* Read back: a driver may enable fewer VFs than asked and still succeed. */
static int verify_enable(struct sriovvirt_pf *pf, uint16_t num_vfs,
			 bool autoprobe)
{
	uint16_t now;
	int r;

	r = sv_pf_num_vfs(pf, &now);
	if (r < 0) {
		sv_err(pf->ctx, "%s: cannot read back sriov_numvfs after the "
		       "enable (%s); disabling the VFs again", pf->name,
		       strerror(-r));
		now = num_vfs;
	} else if (now == num_vfs) {
		return 0;
	} else {
		r = -ENOSPC;
	}
	if (now && disable_again(pf) < 0) {
		sv_err(pf->ctx, "%s: the driver enabled %s%u of %u VFs, and "
		       "disabling them again failed; VFs remain enabled",
		       pf->name, r == -ENOSPC ? "only " : "", now, num_vfs);
		restore_autoprobe(pf, autoprobe, r);
		return -EIO;
	}
	if (r == -ENOSPC)
		sv_err(pf->ctx, "%s: the driver enabled only %u of %u VFs (out "
		       "of resources); disabled them again", pf->name, now,
		       num_vfs);
	return restore_autoprobe(pf, autoprobe, r);
}

/* The write of 0 succeeded: the kernel's driver has disabled the VFs. */
static int verify_disable(struct sriovvirt_pf *pf)
{
	uint16_t now;
	int r;

	r = sv_pf_num_vfs(pf, &now);
	if (r == 0 && now == 0)
		return 0;
	if (r < 0)
		sv_err(pf->ctx, "%s: cannot read back sriov_numvfs after the "
		       "disable: %s", pf->name, strerror(-r));
	else
		sv_err(pf->ctx, "%s: %u VFs remain after disabling", pf->name,
		       now);
	return -EIO;
}

/* With NO_AUTOPROBE: autoprobe off; *@restore says whether it was on. */
static int autoprobe_off(struct sriovvirt_pf *pf, bool *restore)
{
	uint64_t autoprobe;
	int r;

	r = sv_attr_read_uint(pf->ctx, pf->dirfd, "sriov_drivers_autoprobe", 10,
			      1, &autoprobe);
	if (r == -ENOENT) {
		sv_err(pf->ctx, "%s: this kernel has no sriov_drivers_autoprobe "
		       "(added in Linux 4.12), so host drivers cannot be kept "
		       "off new VFs", pf->name);
		return -EOPNOTSUPP;
	}
	if (r == 0 && autoprobe)
		r = set_autoprobe(pf, false);
	if (r < 0)
		return r;
	*restore = autoprobe;
	return 0;
}

static int do_enable(struct sriovvirt_pf *pf, uint16_t num_vfs,
		     unsigned int flags)
{
	bool restore = false;
	int r;

	r = check_driver(pf);
	if (r == 0 && (flags & SRIOVVIRT_ENABLE_NO_AUTOPROBE))
		r = autoprobe_off(pf, &restore);
	if (r < 0)
		return r;
	r = write_num_vfs(pf, num_vfs);
	if (r < 0) {
		r = explain_write_error(pf, r, num_vfs);
		return restore_autoprobe(pf, restore, r);
	}
	return verify_enable(pf, num_vfs, restore);
}

static int do_disable(struct sriovvirt_pf *pf)
{
	int r;

	r = write_num_vfs(pf, 0);
	if (r < 0)
		return explain_write_error(pf, r, 0);
	r = verify_disable(pf);
	if (r == 0)
		sv_block_forget_vfs(pf);
	return r;
}

/*
 * Serializes state check and write across processes: two enables that both
 * read NumVFs 0 would both succeed, as the kernel takes the second write of
 * the same count as a no-op. flock() works on any open file, sysfs included,
 * and needs no state of our own; it is held until the count is verified, not
 * during the wait. A lock that cannot be taken fails the call: going on
 * unserialized would break the promise above.
 */
static int lock_numvfs(struct sriovvirt_pf *pf, int *ret_fd)
{
	int fd, r;

	fd = sv_open(pf->ctx, pf->dirfd, "sriov_numvfs", O_RDONLY);
	if (fd == -ENOENT) {
		sv_err(pf->ctx, "%s: sriov_numvfs is gone; the PF was removed",
		       pf->name);
		return -ENODEV;
	}
	if (fd < 0)
		return fd;
	do
		r = pf->ctx->sys->flock(pf->ctx->sys_data, fd, LOCK_EX);
	while (r == -EINTR);
	if (r < 0) {
		sv_err(pf->ctx, "%s: cannot lock sriov_numvfs: %s", pf->name,
		       strerror(-r));
		sv_close(pf->ctx, fd);
		return r;
	}
	*ret_fd = fd;
	return 0;
}

static int change_num_vfs(struct sriovvirt_pf *pf, uint16_t num_vfs,
			  bool enable, unsigned int flags)
{
	uint16_t current;
	int lock, query = -1, r;

	r = lock_numvfs(pf, &lock);
	if (r < 0)
		return r;
	r = sv_pf_num_vfs(pf, &current);
	if (r == 0)
		r = check_state(pf, num_vfs, enable, current);
	if (r == 0 && !enable)
		r = sv_pf_query_stop(pf, SRIOVVIRT_OP_DISABLE,
				     SRIOVVIRT_ALL_VFS, &query);
	if (r == 0)
		r = enable ? do_enable(pf, num_vfs, flags) : do_disable(pf);
	sv_pf_query_done(query, r);
	sv_close(pf->ctx, lock);	/* releases the lock */
	return r;
}

SV_EXPORT int sriovvirt_pf_enable_virtualization(struct sriovvirt_pf *pf,
						 uint16_t num_vfs, bool enable,
						 unsigned int flags,
						 int timeout_ms)
{
	int r;

	if (!pf)
		return -EINVAL;
	r = check_arguments(pf, num_vfs, enable, flags, timeout_ms);
	if (r == 0)
		r = sv_pf_check_no_vfio(pf);
	if (r < 0)
		return r;
	r = change_num_vfs(pf, num_vfs, enable, flags);
	if (r < 0 || !(flags & SRIOVVIRT_ENABLE_WAIT))
		return r;
	r = sv_pf_wait_vfs(pf, num_vfs, timeout_ms);
	if (r == -ETIMEDOUT)
		sv_err(pf->ctx, "%s: sriov_numvfs is %u but sysfs did not show "
		       "all VFs within %d ms", pf->name, num_vfs, timeout_ms);
	return r;
}

SV_EXPORT int sriovvirt_pf_get_autoprobe(struct sriovvirt_pf *pf, bool *ret)
{
	uint64_t value;
	int r;

	if (!pf || !ret)
		return -EINVAL;
	r = sv_attr_read_uint(pf->ctx, pf->dirfd, "sriov_drivers_autoprobe", 10,
			      1, &value);
	if (r == -ENOENT)
		return -EOPNOTSUPP;
	if (r == 0)
		*ret = value != 0;
	return r;
}

SV_EXPORT int sriovvirt_pf_set_autoprobe(struct sriovvirt_pf *pf, bool on)
{
	bool now;
	int r;

	if (!pf)
		return -EINVAL;
	r = sriovvirt_pf_get_autoprobe(pf, &now);
	if (r < 0 || now == on)
		return r;
	return set_autoprobe(pf, on);
}
