// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Driver binding of VFs, what driverctl and dpdk-devbind do: driver_override
 * names the one driver the VF may bind to, the current driver lets go of it
 * (driver/unbind), and bus/pci/drivers_probe probes it again.
 *
 * The kernel probes within the drivers_probe write: store_drivers_probe ->
 * bus_rescan_devices_helper -> device_attach(), which is
 * __device_attach(dev, allow_async = false) in drivers/base/dd.c, so even a
 * driver that prefers asynchronous probing has bound, or refused, when the
 * write returns; the driver link then tells which. A refusal leaves nothing
 * half done: the override and the previous driver are put back.
 *
 * With sriov_drivers_autoprobe 0, a VF is only probed when it has an
 * override (pci-driver.c pci_device_can_probe), which is exactly this path.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A driver name as the kernel has them: a directory in bus/pci/drivers. */
static bool driver_name_valid(const char *name)
{
	size_t len;

	if (!name)
		return false;
	len = strnlen(name, SRIOVVIRT_DRIVER_NAME_MAX);
	if (len == 0 || len >= SRIOVVIRT_DRIVER_NAME_MAX ||
	    !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	return strcspn(name, "/ \t\n") == len;
}

/* ROOT/bus/pci/NAME of the tree @pf was opened in. */
static int bus_path(struct sriovvirt_pf *pf, const char *name, char *buf,
		    size_t size)
{
	int n = snprintf(buf, size, "%s/bus/pci/%s", pf->root, name);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

static int check_loaded(struct sriovvirt_pf *pf, const char *driver)
{
	char path[PATH_MAX], name[SRIOVVIRT_DRIVER_NAME_MAX + 16];
	int r;

	snprintf(name, sizeof(name), "drivers/%s", driver);
	r = bus_path(pf, name, path, sizeof(path));
	if (r < 0)
		return r;
	r = sv_exists(pf->ctx, AT_FDCWD, path, false);
	if (r == -ENOENT) {
		sv_err(pf->ctx, "PCI driver \"%s\" is not loaded (modprobe %s)",
		       driver, driver);
		return -ENODATA;
	}
	return r;
}

SV_EXPORT int sriovvirt_pf_driver_loaded(struct sriovvirt_pf *pf,
					 const char *driver)
{
	if (!pf || !driver || !*driver ||
	    strlen(driver) >= SRIOVVIRT_DRIVER_NAME_MAX || strpbrk(driver, "/ \t\n"))
		return -EINVAL;
	return check_loaded(pf, driver);
}

/* The state binding changes, to put back when it fails. */
struct binding {
	char address[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	char driver[SRIOVVIRT_DRIVER_NAME_MAX];		/* "" if none */
	char override[SRIOVVIRT_DRIVER_NAME_MAX];	/* "" if none */
};

/* "(null)\n" is how the kernel shows no override (driver_override_show). */
static int read_override(struct sriovvirt_pf *pf, int dirfd, char *buf,
			 size_t size)
{
	ssize_t n;

	n = sv_attr_read(pf->ctx, dirfd, "driver_override", buf, size);
	if (n == -ENOENT)
		return -EOPNOTSUPP;	/* kernels before 3.16 */
	if (n < 0)
		return (int)n;
	buf[strcspn(buf, "\n")] = '\0';
	if (!strcmp(buf, "(null)"))
		buf[0] = '\0';
	return 0;
}

static int read_binding(struct sriovvirt_pf *pf, uint16_t vf, int dirfd,
			struct binding *b)
{
	struct sv_vf_path path;
	int r;

	r = sv_read_link(pf->ctx, pf->dirfd, sv_vf_path(&path, vf, NULL),
			 b->address, sizeof(b->address));
	if (r == 0)
		r = sv_vf_driver(pf, vf, b->driver, sizeof(b->driver));
	if (r == -ENODATA) {
		b->driver[0] = '\0';
		r = 0;
	}
	if (r == 0)
		r = read_override(pf, dirfd, b->override, sizeof(b->override));
	if (r == -EOPNOTSUPP)
		sv_err(pf->ctx, "%s: VF %u has no driver_override (Linux 3.16 "
		       "and later have it)", pf->name, vf);
	return r;
}

static int write_override(struct sriovvirt_pf *pf, int dirfd, const char *driver)
{
	char value[SRIOVVIRT_DRIVER_NAME_MAX + 1];

	/* A lone newline clears it (driver_set_override). */
	snprintf(value, sizeof(value), "%s\n", driver ? driver : "");
	return sv_attr_write(pf->ctx, dirfd, "driver_override", value);
}

static int write_bus(struct sriovvirt_pf *pf, const char *name,
		     const char *address)
{
	char path[PATH_MAX];
	int r;

	r = bus_path(pf, name, path, sizeof(path));
	return r < 0 ? r : sv_attr_write(pf->ctx, AT_FDCWD, path, address);
}

static int release_driver(struct sriovvirt_pf *pf, int dirfd,
			  const struct binding *b)
{
	if (!b->driver[0])
		return 0;
	/* Blocks while the driver's users hold the VF (vfio-pci asks them). */
	return sv_attr_write(pf->ctx, dirfd, "driver/unbind", b->address);
}

/* Puts the override and the driver back; -EIO if that fails too. */
static int restore(struct sriovvirt_pf *pf, uint16_t vf, int dirfd,
		   const struct binding *was, int r)
{
	char name[SRIOVVIRT_DRIVER_NAME_MAX + 16];
	struct binding now;

	if (read_binding(pf, vf, dirfd, &now) == 0 && now.driver[0] &&
	    strcmp(now.driver, was->driver))
		release_driver(pf, dirfd, &now);
	write_override(pf, dirfd, was->override);
	if (was->driver[0]) {
		snprintf(name, sizeof(name), "drivers/%s/bind", was->driver);
		write_bus(pf, name, was->address);
	}
	if (read_binding(pf, vf, dirfd, &now) < 0 ||
	    strcmp(now.driver, was->driver) || strcmp(now.override, was->override)) {
		sv_err(pf->ctx, "%s: VF %u: putting back driver \"%s\" failed; it "
		       "is left with \"%s\"", pf->name, vf, was->driver, now.driver);
		return -EIO;
	}
	return r;
}

static int explain_refusal(struct sriovvirt_pf *pf, uint16_t vf, int dirfd,
			   const char *driver)
{
	if (!strcmp(driver, "vfio-pci") &&
	    sv_exists(pf->ctx, dirfd, "iommu_group", true) == -ENOENT)
		sv_err(pf->ctx, "%s: VF %u has no IOMMU group, which vfio-pci "
		       "needs: enable the IOMMU (intel_iommu=on or amd_iommu=on "
		       "on the kernel command line)", pf->name, vf);
	else
		sv_err(pf->ctx, "%s: VF %u: driver %s refused it (its probe "
		       "failed; the kernel log says why)", pf->name, vf, driver);
	return -EOPNOTSUPP;
}

static int bind_vf(struct sriovvirt_pf *pf, uint16_t vf, int dirfd,
		   const char *driver)
{
	struct binding was, now;
	int r;

	r = read_binding(pf, vf, dirfd, &was);
	if (r < 0)
		return r;
	if (!strcmp(was.driver, driver) && !strcmp(was.override, driver))
		return 0;
	r = write_override(pf, dirfd, driver);
	if (r == 0 && strcmp(was.driver, driver))
		r = release_driver(pf, dirfd, &was);
	if (r == 0 && strcmp(was.driver, driver))
		r = write_bus(pf, "drivers_probe", was.address);
	if (r == 0)
		r = read_binding(pf, vf, dirfd, &now);
	if (r == 0 && strcmp(now.driver, driver))
		r = explain_refusal(pf, vf, dirfd, driver);
	else if (r < 0)
		sv_err(pf->ctx, "%s: VF %u: binding %s failed: %s", pf->name, vf,
		       driver, strerror(-r));
	return r < 0 ? restore(pf, vf, dirfd, &was, r) : 0;
}

/* The VF left without a driver and without an override. */
static int unbind_vf(struct sriovvirt_pf *pf, uint16_t vf, int dirfd)
{
	struct binding was, now;
	int r;

	r = read_binding(pf, vf, dirfd, &was);
	if (r == 0)
		r = release_driver(pf, dirfd, &was);
	if (r == 0 && was.override[0])
		r = write_override(pf, dirfd, "");
	if (r == 0)
		r = read_binding(pf, vf, dirfd, &now);
	if (r == 0 && (now.driver[0] || now.override[0])) {
		sv_err(pf->ctx, "%s: VF %u is still bound to \"%s\" after the "
		       "unbind", pf->name, vf, now.driver);
		r = -EIO;
	} else if (r < 0) {
		sv_err(pf->ctx, "%s: VF %u: unbinding failed: %s", pf->name, vf,
		       strerror(-r));
	}
	return r;
}

/* @driver NULL unbinds. */
static int change_vf(struct sriovvirt_pf *pf, uint16_t vf, int dirfd,
		     const char *driver)
{
	/* Its sysfs files may be replaced; they are reopened later. */
	sv_vf_close(pf, vf);
	sv_mitigations_changed(pf, vf);
	return driver ? bind_vf(pf, vf, dirfd, driver) : unbind_vf(pf, vf, dirfd);
}

static int change_one(struct sriovvirt_pf *pf, uint16_t vf, const char *driver)
{
	struct binding was;
	int fd, query = -1, r;

	r = sv_vf_check_not_vfio(pf, vf);
	if (r == 0)
		r = sv_vf_open_dir(pf, vf, &fd);
	if (r < 0)
		return r;
	r = read_binding(pf, vf, fd, &was);
	if (r == 0 && was.driver[0] && (!driver || strcmp(was.driver, driver)))
		r = sv_pf_query_stop(pf, SRIOVVIRT_OP_UNBIND_VF, vf, &query);
	if (r == 0)
		r = change_vf(pf, vf, fd, driver);
	sv_pf_query_done(query, r);
	sv_close(pf->ctx, fd);
	return r;
}

/* Whether a VF's driver is unbound or replaced: what an attacher is asked. */
static bool any_driver_leaves(const struct binding *was, uint16_t num_vfs,
			      const char *driver)
{
	for (uint16_t vf = 0; vf < num_vfs; vf++) {
		if (was[vf].driver[0] &&
		    (!driver || strcmp(was[vf].driver, driver)))
			return true;
	}
	return false;
}

/* Every enabled VF, or none: on a failure the ones done are put back. */
static int change_all(struct sriovvirt_pf *pf, const char *driver)
{
	struct binding *was;
	uint16_t num_vfs, vf, done = 0;
	int *fds, query = -1, r;

	r = sv_pf_num_vfs(pf, &num_vfs);
	if (r == 0)
		r = sv_pf_check_no_vfio(pf);
	if (r < 0 || num_vfs == 0)
		return r;
	was = calloc(num_vfs, sizeof(*was));
	fds = malloc(num_vfs * sizeof(*fds));
	r = was && fds ? 0 : -ENOMEM;
	for (vf = 0; fds && vf < num_vfs; vf++)
		fds[vf] = -1;
	for (vf = 0; r == 0 && vf < num_vfs; vf++) {
		r = sv_vf_open_dir(pf, vf, &fds[vf]);
		if (r == 0)
			r = read_binding(pf, vf, fds[vf], &was[vf]);
	}
	if (r == 0 && any_driver_leaves(was, num_vfs, driver))
		r = sv_pf_query_stop(pf, SRIOVVIRT_OP_UNBIND_VF,
				     SRIOVVIRT_ALL_VFS, &query);
	for (; r == 0 && done < num_vfs; done++)
		r = change_vf(pf, done, fds[done], driver);
	while (r < 0 && done-- > 0)
		r = restore(pf, done, fds[done], &was[done], r);
	sv_pf_query_done(query, r);
	for (vf = 0; fds && vf < num_vfs; vf++)
		sv_close(pf->ctx, fds[vf]);
	free(fds);
	free(was);
	return r;
}

SV_EXPORT int sriovvirt_vf_bind(struct sriovvirt_pf *pf, uint16_t vf,
				const char *driver)
{
	int r;

	if (!pf || !driver_name_valid(driver))
		return -EINVAL;
	r = check_loaded(pf, driver);
	return r < 0 ? r : change_one(pf, vf, driver);
}

SV_EXPORT int sriovvirt_vf_unbind(struct sriovvirt_pf *pf, uint16_t vf)
{
	if (!pf)
		return -EINVAL;
	return change_one(pf, vf, NULL);
}

SV_EXPORT int sriovvirt_pf_bind_vfs(struct sriovvirt_pf *pf, const char *driver)
{
	int r;

	if (!pf || !driver_name_valid(driver))
		return -EINVAL;
	r = check_loaded(pf, driver);
	return r < 0 ? r : change_all(pf, driver);
}

SV_EXPORT int sriovvirt_pf_unbind_vfs(struct sriovvirt_pf *pf)
{
	if (!pf)
		return -EINVAL;
	return change_all(pf, NULL);
}
