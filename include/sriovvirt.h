/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libsriovvirt - the SR-IOV physical-function virtualization interface for
 * Linux user space, over /sys/bus/pci.
 *
 * Conventions, for every function below unless its documentation says
 * otherwise:
 *
 * - Functions return 0 on success or a negative errno value on failure.
 *   Output parameters come last and are left untouched on failure. Each
 *   errno value has one meaning across the whole library:
 *
 *   -EINVAL       an argument is invalid: NULL, out of range, unknown flags,
 *                 a VF index that is not enabled, or a request the call's
 *                 rules forbid (e.g. enabling 0 VFs)
 *   -ENODEV       the device does not exist or vanished: the PF, the VF, the
 *                 network interface, the device a LUID names
 *   -ENODATA      the device exists but lacks what the call is about or
 *                 needs: no driver bound, no IOMMU group, a BAR that is not
 *                 implemented
 *   -EOPNOTSUPP   the device, its driver or the kernel cannot do this: no
 *                 SR-IOV or PM capability, a driver that cannot create VFs,
 *                 VF migration, no reset that stays within the VF
 *   -EBUSY        the device, or the handle, is in the wrong state for
 *                 this: VFs already enabled or none to disable, a host
 *                 driver owns the VF, VFs in use, another process is
 *                 changing it, a VF (not) open through VFIO in the handle,
 *                 a PF not watched, another process attached to the PF
 *   -ENOSPC       not enough resources: the driver enabled fewer VFs than
 *                 asked, no bus numbers or memory space for them, no disk
 *                 space (or quota) for the runtime directory
 *   -EACCES       the caller lacks permission: file permissions,
 *                 CAP_SYS_ADMIN, a runtime directory that is not the
 *                 caller's own
 *   -EPERM        the kernel or the PF driver refused for a policy reason:
 *                 kernel lockdown, VFs assigned to a guest
 *   -ETIMEDOUT    a wait expired, or an attached virtualization stack did
 *                 not answer in time
 *   -ECANCELED    an attached virtualization stack vetoed the operation
 *   -EAGAIN       nothing is pending (calls that never block)
 *   -EIO          the kernel or the device answered in a way that makes no
 *                 sense: a malformed sysfs value, a truncated capability, a
 *                 read-back that disagrees or fails; a change may then have
 *                 happened that could not be verified or undone (the log
 *                 says which)
 *   -ERANGE       an output buffer, or a fixed-size output field, is too
 *                 small
 *   -ENOENT       a path the caller configured does not exist: the sysfs
 *                 root has no bus/pci/devices, the runtime directory's
 *                 parent is missing
 *   -ENOTDIR      a path the caller configured is not a directory
 *   -ENAMETOOLONG a path the caller configured, or one built on it, is too
 *                 long
 *   -ENOMEM       out of memory
 *
 *   Any other value is the kernel's answer to a sysfs access, passed
 *   through unchanged; its meaning is the kernel's (an errno the kernel or a
 *   driver gives that has a meaning in this table is not passed through
 *   with another one: a driver's -EINVAL, say, becomes -EIO). Each function
 *   lists the values particular to it; besides those, any call that reads
 *   sysfs may return -ENODEV (its device vanished meanwhile), -EIO, -EACCES,
 *   -ENOENT (the sysfs root itself is gone) and such a kernel answer.
 * - Structures the library fills and may grow in later releases start with
 *   a size member: the caller sets it to sizeof the structure it was built
 *   with, e.g. struct sriovvirt_sriov_info info = { .size = sizeof(info) };
 *   the library fills at most that many bytes, up to the end of the last
 *   field it knows (never tail padding), and sets size to the number it
 *   filled. A field is valid when SRIOVVIRT_HAS_FIELD(&info, field) is true,
 *   so a program built against a newer header still runs on an older
 *   library, and an older program on a newer one. New fields are only ever
 *   added at the end. A size below the structure's first released size is
 *   -EINVAL. Programs that look functions up by name (dlsym) get today's
 *   version and must set size too.
 * - When a call fails for a reason the caller can act on, the library explains
 *   it (the device, the rule that was broken and the fix) through the context's
 *   log function at LOG_ERR. The library itself never prints.
 * - Every call may block: sysfs writes sleep in the kernel (enabling VFs takes
 *   100 ms and more, disabling at least 1 s). Do not call from signal handlers.
 * - Thread safety: a context and every object made from it must be used by one
 *   thread at a time (the same rule as libudev and libpci, which the context
 *   wraps). Use one context per thread, or serialize access to a context and
 *   its objects with your own lock. Different contexts are independent.
 * - Virtual functions are addressed by index, 0 .. NumVFs-1, as in every
 *   Windows SR-IOV callback. The Windows callback each function implements is
 *   named in its documentation.
 * - No libpci or libudev type appears in this header.
 */
#ifndef SRIOVVIRT_H
#define SRIOVVIRT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* True when @ptr's size member says the library filled @field. */
#define SRIOVVIRT_HAS_FIELD(ptr, field)                                        \
	((size_t)((const char *)&(ptr)->field - (const char *)(ptr)) +          \
		 sizeof((ptr)->field) <= (ptr)->size)

struct sriovvirt_ctx;
struct sriovvirt_pf;

/* ------------------------------------------------------------------------ */
/* Context                                                                  */
/* ------------------------------------------------------------------------ */

/**
 * typedef sriovvirt_log_fn - receives the library's log messages
 * @userdata: the pointer given to sriovvirt_ctx_set_log_fn()
 * @priority: a syslog priority (LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG)
 * @file: source file that logged
 * @line: source line that logged
 * @fn: function that logged
 * @format: printf-style format of the message, without a trailing newline
 * @args: arguments for @format
 */
typedef void (*sriovvirt_log_fn)(void *userdata, int priority, const char *file,
				 int line, const char *fn, const char *format,
				 va_list args);

/**
 * sriovvirt_ctx_new() - create a library context
 * @ret: the new context, with one reference
 *
 * The context starts with the sysfs root "/sys", the runtime directory
 * "/run/sriovvirt", no log function and log priority LOG_ERR. The first
 * wait, watch, attach or monitor on the real sysfs opens the context's
 * kernel uevent socket, which every later one shares and which stays open
 * (one descriptor) until the context is freed.
 *
 * Return: 0, or -ENOMEM.
 */
int sriovvirt_ctx_new(struct sriovvirt_ctx **ret);

/**
 * sriovvirt_ctx_ref() - take a reference on a context
 * @ctx: the context, or NULL
 *
 * Return: @ctx.
 */
struct sriovvirt_ctx *sriovvirt_ctx_ref(struct sriovvirt_ctx *ctx);

/**
 * sriovvirt_ctx_unref() - drop a reference on a context
 * @ctx: the context, or NULL
 *
 * Frees the context when the last reference goes. Every PF handle holds a
 * reference on its context.
 *
 * Return: NULL.
 */
struct sriovvirt_ctx *sriovvirt_ctx_unref(struct sriovvirt_ctx *ctx);

/**
 * sriovvirt_ctx_set_sysfs_root() - read and write sysfs below another root
 * @ctx: the context
 * @path: the directory that plays the role of /sys, e.g. a copied tree
 *
 * Devices are looked up as @path/bus/pci/devices/DDDD:BB:DD.F and network
 * interfaces as @path/class/net/NAME. libpci's "sysfs.path" is set to
 * @path/bus/pci. Handles opened before the change keep their old directory.
 * Kernel uevents are watched when the root is a sysfs mount (wherever it is
 * mounted); any other tree is watched with inotify.
 *
 * Return: 0; -EINVAL if @path is empty or longer than PATH_MAX; -ENOMEM.
 */
int sriovvirt_ctx_set_sysfs_root(struct sriovvirt_ctx *ctx, const char *path);

/**
 * sriovvirt_ctx_get_sysfs_root() - the sysfs root in use
 * @ctx: the context
 *
 * Return: the root, owned by @ctx, valid until it changes; NULL if @ctx is NULL.
 */
const char *sriovvirt_ctx_get_sysfs_root(const struct sriovvirt_ctx *ctx);

/**
 * sriovvirt_ctx_set_runtime_dir() - where the library keeps run-time state
 * @ctx: the context
 * @path: an absolute path
 *
 * The runtime directory holds what the processes working on one PF share
 * without a daemon: the config-block store and the PF event socket. Its
 * rules:
 *
 * - It belongs to one user. The library uses it only if it is a directory,
 *   not a symlink, owned by the caller's effective UID, with no access for
 *   group or others (mode 0700 or stricter). Anything else is refused with
 *   -EACCES (another owner, access for others, a symlink) or -ENOTDIR, and
 *   the library neither uses nor changes it; so another user's processes
 *   never reach the state. Processes that must share a PF's state run as
 *   one user.
 * - When it is absent, the first call that needs it creates it, mode 0700.
 *   Only the last component is created: a missing parent is -ENOENT.
 * - The default, /run/sriovvirt, suits root; other users set a directory of
 *   their own, such as $XDG_RUNTIME_DIR/sriovvirt.
 * - What is inside belongs to the library.
 * - The directory itself is checked as it is opened (a swap cannot slip
 *   another one in); the directories above it are the caller's choice, as
 *   for any path it gives.
 *
 * An existing @path is checked here, so a wrong directory is refused at
 * once rather than at first use.
 *
 * Return: 0; -EINVAL if @path is empty, relative or longer than PATH_MAX;
 * -EACCES or -ENOTDIR if @path exists and breaks the rules (the context
 * keeps its directory); -ENOMEM.
 */
int sriovvirt_ctx_set_runtime_dir(struct sriovvirt_ctx *ctx, const char *path);

/**
 * sriovvirt_ctx_get_runtime_dir() - the run-time directory in use
 * @ctx: the context
 *
 * Return: the directory, owned by @ctx; NULL if @ctx is NULL.
 */
const char *sriovvirt_ctx_get_runtime_dir(const struct sriovvirt_ctx *ctx);

/**
 * sriovvirt_ctx_set_log_fn() - route the library's messages to the caller
 * @ctx: the context
 * @fn: the log function, or NULL to drop messages
 * @userdata: passed to @fn unchanged
 */
void sriovvirt_ctx_set_log_fn(struct sriovvirt_ctx *ctx, sriovvirt_log_fn fn,
			      void *userdata);

/**
 * sriovvirt_ctx_set_log_priority() - the least important priority to log
 * @ctx: the context
 * @priority: LOG_EMERG (0) .. LOG_DEBUG (7)
 *
 * Return: 0; -EINVAL if @priority is out of range.
 */
int sriovvirt_ctx_set_log_priority(struct sriovvirt_ctx *ctx, int priority);

/**
 * sriovvirt_ctx_get_log_priority() - the current log priority
 * @ctx: the context
 *
 * Return: the priority; -EINVAL if @ctx is NULL.
 */
int sriovvirt_ctx_get_log_priority(const struct sriovvirt_ctx *ctx);

/* ------------------------------------------------------------------------ */
/* PCI addresses and names                                                  */
/* ------------------------------------------------------------------------ */

/**
 * struct sriovvirt_pci_addr - a PCI function address
 * @domain: PCI domain (segment); Linux domains may exceed 16 bits
 * @bus: bus number
 * @device: device number, 0..31
 * @function: function number, 0..7
 *
 * With ARI, device and function together form an 8-bit function number:
 * (@device << 3) | @function.
 */
struct sriovvirt_pci_addr {
	uint32_t domain;
	uint8_t bus;
	uint8_t device;
	uint8_t function;
};

/* Room for "DDDDDDDD:BB:DD.F" and its NUL. */
#define SRIOVVIRT_PCI_ADDR_BUFSIZE 20

/**
 * sriovvirt_pci_addr_parse() - parse a PCI address
 * @s: "DDDD:BB:DD.F" (domain of 1-8 hex digits) or "BB:DD.F" (domain 0);
 *     bus and device are 1-2 hex digits, device at most 1f, function 0-7
 * @ret: the parsed address
 *
 * Nothing else is accepted: no leading or trailing characters, no signs.
 *
 * Return: 0; -EINVAL if @s is not an address.
 */
int sriovvirt_pci_addr_parse(const char *s, struct sriovvirt_pci_addr *ret);

/**
 * sriovvirt_pci_addr_format() - format an address as sysfs names devices
 * @addr: the address
 * @buf: output, at least SRIOVVIRT_PCI_ADDR_BUFSIZE bytes for any address
 * @size: size of @buf
 *
 * The format is "%04x:%02x:%02x.%x", the name of the device in sysfs.
 *
 * Return: 0; -EINVAL for a bad address; -ERANGE if @buf is too small.
 */
int sriovvirt_pci_addr_format(const struct sriovvirt_pci_addr *addr, char *buf,
			      size_t size);

/**
 * sriovvirt_ctx_lookup_name() - vendor and device names from pci.ids
 * @ctx: the context
 * @vendor_id: PCI vendor ID
 * @device_id: PCI device ID
 * @buf: output, e.g. "Red Hat, Inc. QEMU NVM Express Controller"
 * @size: size of @buf; the name is truncated with "..." if it does not fit
 *
 * Uses libpci's name database. Unknown IDs give the numbers in lspci's style,
 * e.g. "Device 1234:5678".
 *
 * Return: 0; -EINVAL for a zero @size; -EIO if libpci failed.
 */
int sriovvirt_ctx_lookup_name(struct sriovvirt_ctx *ctx, uint16_t vendor_id,
			      uint16_t device_id, char *buf, size_t size);

/* ------------------------------------------------------------------------ */
/* Any PCI function: facts from sysfs                                       */
/* ------------------------------------------------------------------------ */

/**
 * sriovvirt_dev_get_ids() - vendor and device ID as the kernel reports them
 * @ctx: the context
 * @addr: the function
 * @ret_vendor_id: vendor ID
 * @ret_device_id: device ID
 *
 * For a VF these are the PF's vendor and the SR-IOV VF Device ID, which the
 * kernel fills in; the VF's own config space reads 0xffff there.
 *
 * Return: 0; -ENODEV if there is no such function; -EIO for a malformed file.
 */
int sriovvirt_dev_get_ids(struct sriovvirt_ctx *ctx,
			  const struct sriovvirt_pci_addr *addr,
			  uint16_t *ret_vendor_id, uint16_t *ret_device_id);

/**
 * sriovvirt_dev_get_driver() - the driver bound to a function
 * @ctx: the context
 * @addr: the function
 * @buf: output, the driver's name
 * @size: size of @buf
 *
 * Return: 0; -ENODATA if no driver is bound; -ENODEV if there is no such
 * function; -ERANGE if @buf is too small.
 */
int sriovvirt_dev_get_driver(struct sriovvirt_ctx *ctx,
			     const struct sriovvirt_pci_addr *addr, char *buf,
			     size_t size);

/**
 * sriovvirt_dev_get_iommu_group() - the IOMMU group of a function
 * @ctx: the context
 * @addr: the function
 * @ret_group: the group number, as in /dev/vfio/N
 *
 * Return: 0; -ENODATA if the function has no IOMMU group (no IOMMU, or
 * intel_iommu/amd_iommu off); -ENODEV if there is no such function.
 */
int sriovvirt_dev_get_iommu_group(struct sriovvirt_ctx *ctx,
				  const struct sriovvirt_pci_addr *addr,
				  unsigned int *ret_group);

/* ------------------------------------------------------------------------ */
/* Physical functions                                                       */
/* ------------------------------------------------------------------------ */

/**
 * sriovvirt_list_pfs() - find the SR-IOV capable physical functions
 * @ctx: the context
 * @ret_addrs: a malloc'ed array of addresses, sorted; release with free()
 * @ret_count: number of entries in @ret_addrs
 *
 * A function is SR-IOV capable when the kernel gives it sriov_totalvfs. An
 * empty result is a success with @ret_count 0 and @ret_addrs NULL. The VFs
 * of each PF found are passed over without a look (a VF is never a PF): the
 * PF's sriov_numvfs, First VF Offset and VF Stride say where they are. As
 * reading sriov_numvfs waits for the kernel's device lock, the call waits
 * while a PF's VFs are being enabled or disabled.
 *
 * Return: 0; -ENOENT if the sysfs root has no bus/pci/devices; -ENOMEM.
 */
int sriovvirt_list_pfs(struct sriovvirt_ctx *ctx,
		       struct sriovvirt_pci_addr **ret_addrs, size_t *ret_count);

/**
 * sriovvirt_pf_open() - open a PF by PCI address or network interface name
 * @ctx: the context
 * @name: "DDDD:BB:DD.F", "BB:DD.F", or a network interface name such as
 *        "enp1s0f0" (1-15 characters, no '/', ':' or white space)
 * @ret: the PF handle, with one reference
 *
 * This is InterfaceReference's counterpart: the handle is the Context of the
 * Windows interfaces. Opening is cheap; the SR-IOV capability is read when
 * first needed.
 *
 * Return: 0; -EINVAL if @name is neither an address nor an interface name;
 * -ENODEV if no such device or interface exists; -EOPNOTSUPP if the device is
 * not an SR-IOV PF (a VF, or no SR-IOV capability); -ENOMEM.
 */
int sriovvirt_pf_open(struct sriovvirt_ctx *ctx, const char *name,
		      struct sriovvirt_pf **ret);

/**
 * sriovvirt_pf_open_addr() - open a PF by PCI address
 * @ctx: the context
 * @addr: the PF's address
 * @ret: the PF handle, with one reference
 *
 * Return: as sriovvirt_pf_open().
 */
int sriovvirt_pf_open_addr(struct sriovvirt_ctx *ctx,
			   const struct sriovvirt_pci_addr *addr,
			   struct sriovvirt_pf **ret);

/**
 * sriovvirt_pf_ref() - take a reference on a PF handle (InterfaceReference)
 * @pf: the handle, or NULL
 *
 * Return: @pf.
 */
struct sriovvirt_pf *sriovvirt_pf_ref(struct sriovvirt_pf *pf);

/**
 * sriovvirt_pf_unref() - drop a reference (InterfaceDereference)
 * @pf: the handle, or NULL
 *
 * The last reference closes every file the handle keeps open.
 *
 * Return: NULL.
 */
struct sriovvirt_pf *sriovvirt_pf_unref(struct sriovvirt_pf *pf);

/**
 * sriovvirt_pf_get_ctx() - the context a PF handle belongs to
 * @pf: the handle
 *
 * Return: the context (no new reference); NULL if @pf is NULL.
 */
struct sriovvirt_ctx *sriovvirt_pf_get_ctx(const struct sriovvirt_pf *pf);

/**
 * sriovvirt_pf_get_addr() - the PF's PCI address
 * @pf: the handle
 *
 * Return: the address, owned by @pf; NULL if @pf is NULL.
 */
const struct sriovvirt_pci_addr *sriovvirt_pf_get_addr(const struct sriovvirt_pf *pf);

/**
 * sriovvirt_pf_get_name() - the PF's address as text, "DDDD:BB:DD.F"
 * @pf: the handle
 *
 * Return: the name, owned by @pf; NULL if @pf is NULL.
 */
const char *sriovvirt_pf_get_name(const struct sriovvirt_pf *pf);

/**
 * sriovvirt_pf_get_num_vfs() - how many VFs are enabled now
 * @pf: the handle
 * @ret: NumVFs, as sriov_numvfs reports it
 *
 * The read waits while another enable or disable of this PF is in progress
 * (the kernel holds the device lock).
 *
 * Return: 0; -ENODEV if the PF vanished; -EIO for a malformed value.
 */
int sriovvirt_pf_get_num_vfs(struct sriovvirt_pf *pf, uint16_t *ret);

/**
 * sriovvirt_pf_get_total_vfs() - how many VFs may be enabled
 * @pf: the handle
 * @ret: sriov_totalvfs: the capability's TotalVFs, or the lower limit the
 *       bound PF driver set
 *
 * Return: 0; -ENODEV if the PF vanished; -EIO for a malformed value.
 */
int sriovvirt_pf_get_total_vfs(struct sriovvirt_pf *pf, uint16_t *ret);

/* ------------------------------------------------------------------------ */
/* EnableVirtualization                                                     */
/* ------------------------------------------------------------------------ */

/* Windows' EnableVfMigration: rejected with -EOPNOTSUPP, Linux never enables
 * MR-IOV VF migration. */
#define SRIOVVIRT_ENABLE_VF_MIGRATION		(1u << 0)
/* Windows' EnableMigrationInterrupt: needs SRIOVVIRT_ENABLE_VF_MIGRATION. */
#define SRIOVVIRT_ENABLE_MIGRATION_INTERRUPT	(1u << 1)
/* Write 0 to sriov_drivers_autoprobe before enabling, so that no host driver
 * binds the new VFs (typical for VFs meant for VFIO). It stays 0. */
#define SRIOVVIRT_ENABLE_NO_AUTOPROBE		(1u << 2)
/* After the change, wait until sysfs shows exactly the VFs enabled. */
#define SRIOVVIRT_ENABLE_WAIT			(1u << 3)

/**
 * sriovvirt_pf_enable_virtualization() - enable or disable VFs
 * @pf: the handle
 * @num_vfs: with @enable, how many VFs to enable; 0 to disable
 * @enable: true to enable VFs, false to disable them
 * @flags: SRIOVVIRT_ENABLE_* flags
 * @timeout_ms: with SRIOVVIRT_ENABLE_WAIT, how long to wait; -1 waits forever
 *
 * EnableVirtualization. The Windows rules apply: enabling needs
 * 1 <= @num_vfs <= TotalVFs, disabling needs @num_vfs 0; enabling a PF that
 * has VFs, or disabling one that has none, is refused. To change the number of
 * VFs, disable first: the kernel itself refuses a change between two non-zero
 * counts. The value is written to sriov_numvfs in decimal and read back; if
 * the PF driver enabled fewer VFs than asked, they are disabled again and the
 * call fails with -ENOSPC. The wait is driven by kernel uevents (or inotify
 * on a tree that is not sysfs), never by sleeping. Calls from several processes or
 * handles are serialized by an flock() on the PF's sriov_numvfs, held from
 * the state check to the read-back (not during the wait), so of two
 * concurrent enables one succeeds and the other gets -EBUSY.
 *
 * Return: 0;
 * -EINVAL for @num_vfs out of range, @num_vfs not 0 on disable, unknown
 * @flags, or SRIOVVIRT_ENABLE_MIGRATION_INTERRUPT without VF migration;
 * -EOPNOTSUPP if VF migration is asked for, or SRIOVVIRT_ENABLE_NO_AUTOPROBE
 * on a kernel without sriov_drivers_autoprobe (before Linux 4.12);
 * -EBUSY if the PF already has VFs (enable) or has none (disable), or if the
 * PF driver refuses to disable VFs that are in use;
 * -ENODATA if no driver is bound to the PF, -EOPNOTSUPP if the bound driver
 * cannot create VFs (the kernel's ENOENT; vfio-pci without enable_sriov=1);
 * the log message names the fix: the device's driver, pci-pf-stub, or
 * vfio-pci with enable_sriov=1;
 * -ENOSPC if the driver enabled fewer VFs than asked (rolled back), or the
 * kernel found no bus numbers or memory space for them;
 * -EIO if VFs remain enabled after a disable, or after a partial enable whose
 * rollback failed, or if the count could not be read back after a disable;
 * -EACCES without privilege;
 * -EPERM if the PF driver refuses (e.g. VFs assigned to a guest);
 * -ETIMEDOUT if the wait expired (the VFs stay enabled);
 * -ECANCELED (disable) if the attached virtualization stack vetoed it,
 * -ETIMEDOUT also if it did not answer within the query timeout (see "The
 * PF event channel"): nothing was changed;
 * another negative errno that the PF driver returned.
 *
 * A call that fails before the wait leaves sriov_numvfs and
 * sriov_drivers_autoprobe as it found them, unless a rollback failed (-EIO).
 */
int sriovvirt_pf_enable_virtualization(struct sriovvirt_pf *pf, uint16_t num_vfs,
				       bool enable, unsigned int flags,
				       int timeout_ms);

/**
 * sriovvirt_pf_get_autoprobe() - whether new VFs are probed by host drivers
 * @pf: the handle
 * @ret: sriov_drivers_autoprobe: true if the kernel binds a driver to VFs
 *       as they are created
 *
 * Return: 0; -EOPNOTSUPP on a kernel without sriov_drivers_autoprobe
 * (before Linux 4.12); -ENODEV; -EIO.
 */
int sriovvirt_pf_get_autoprobe(struct sriovvirt_pf *pf, bool *ret);

/**
 * sriovvirt_pf_set_autoprobe() - set sriov_drivers_autoprobe
 * @pf: the handle
 * @on: whether VFs created from now on are probed by host drivers
 *
 * Writes only when the value changes. It applies to VFs created later.
 *
 * Return: 0; -EOPNOTSUPP on a kernel without it; -EACCES without
 * privilege; -ENODEV.
 */
int sriovvirt_pf_set_autoprobe(struct sriovvirt_pf *pf, bool on);

/**
 * sriovvirt_pf_wait_vfs() - wait until sysfs shows exactly @num_vfs VFs
 * @pf: the handle
 * @num_vfs: the number of VFs to wait for (0 waits for all to go)
 * @timeout_ms: how long to wait; 0 checks once; -1 waits forever
 *
 * Done means: sriov_numvfs is @num_vfs, virtfn0 .. virtfn(@num_vfs - 1)
 * resolve to device directories and virtfn@num_vfs does not exist. Woken by
 * kernel uevents (a sysfs root) or inotify (any other tree).
 *
 * Return: 0; -ETIMEDOUT; -EINVAL for @timeout_ms < -1; -ENODEV if the PF
 * vanished.
 */
int sriovvirt_pf_wait_vfs(struct sriovvirt_pf *pf, uint16_t num_vfs,
			  int timeout_ms);

/* ------------------------------------------------------------------------ */
/* GetResources: the SR-IOV extended capability                             */
/* ------------------------------------------------------------------------ */

/* VF BAR types, decoded from the VF BAR registers' low bits. */
enum sriovvirt_bar_type {
	SRIOVVIRT_BAR_UNUSED = 0,	/* not implemented, or upper half of a 64-bit BAR */
	SRIOVVIRT_BAR_MEM32 = 1,
	SRIOVVIRT_BAR_MEM64 = 2,
	SRIOVVIRT_BAR_IO = 3,
};

/**
 * struct sriovvirt_vf_bar - one VF BAR of the SR-IOV capability
 *
 * Part of struct sriovvirt_sriov_info's array, so it never changes.
 * @type: enum sriovvirt_bar_type
 * @prefetchable: memory BAR is prefetchable
 * @size: size of the BAR in each VF (the kernel's aperture / TotalVFs); 0 if
 *        unused or the kernel did not size it
 * @base: address programmed for VF 0 (the register value, both halves)
 */
struct sriovvirt_vf_bar {
	uint8_t type;
	bool prefetchable;
	uint64_t size;
	uint64_t base;
};

/**
 * struct sriovvirt_sriov_info - the decoded SR-IOV capability of a PF
 * @size: set by the caller to sizeof(struct sriovvirt_sriov_info); the call
 *        sets it to the bytes it filled (a growable structure, see the top)
 * @cap_offset: offset of the capability in config space
 * @cap_version: capability version
 * @capabilities: SR-IOV Capabilities register (VF Migration Capable, ...)
 * @control: SR-IOV Control register (VF Enable, VF MSE, ARI Capable Hierarchy)
 * @status: SR-IOV Status register
 * @initial_vfs: InitialVFs
 * @total_vfs: TotalVFs as the hardware reports it
 * @num_vfs: NumVFs as programmed in the capability
 * @function_dependency_link: Function Dependency Link
 * @vf_offset: First VF Offset
 * @vf_stride: VF Stride
 * @vf_device_id: VF Device ID
 * @supported_page_sizes: Supported Page Sizes (bit n: 4 KiB << n)
 * @system_page_size: System Page Size
 * @vf_migration_state: VF Migration State Array Offset register
 * @vf_bars: the six VF BARs
 * @captured_bus_numbers: buses beyond the PF's own that TotalVFs VFs occupy
 *                        at the current offset and stride (Windows'
 *                        GetResources output)
 * @driver_total_vfs: sriov_totalvfs, which a PF driver may set below TotalVFs
 */
struct sriovvirt_sriov_info {
	uint32_t size;
	uint16_t cap_offset;
	uint8_t cap_version;
	uint32_t capabilities;
	uint16_t control;
	uint16_t status;
	uint16_t initial_vfs;
	uint16_t total_vfs;
	uint16_t num_vfs;
	uint8_t function_dependency_link;
	uint16_t vf_offset;
	uint16_t vf_stride;
	uint16_t vf_device_id;
	uint32_t supported_page_sizes;
	uint32_t system_page_size;
	uint32_t vf_migration_state;
	struct sriovvirt_vf_bar vf_bars[6];
	uint8_t captured_bus_numbers;
	uint16_t driver_total_vfs;
};

/**
 * sriovvirt_pf_get_sriov_info() - decode the PF's SR-IOV capability
 * @pf: the handle
 * @ret: the decoded registers; the caller sets @ret->size first
 *
 * GetResources. The capability is found by walking the extended capability
 * list of the PF's config space (a walk that stops on loops and on truncated
 * files). VF BAR sizes come from the kernel's resource file, never from
 * probing the hardware. The VF Device ID, First VF Offset and VF Stride are
 * cross-checked with sriov_vf_device, sriov_offset and sriov_stride; a
 * disagreement is logged at LOG_WARNING and the registers are reported.
 *
 * Programs built against release 0.1, whose structure had no size member,
 * keep working: they are bound to a compatible version of this symbol.
 *
 * Return: 0; -EINVAL if @ret->size is smaller than the structure of release
 * 0.2; -EACCES if config space beyond 64 bytes is not readable (needs
 * CAP_SYS_ADMIN); -EOPNOTSUPP if no SR-IOV capability is found; -ENODEV if the
 * PF vanished; -EIO if the capability is truncated.
 */
int sriovvirt_pf_get_sriov_info(struct sriovvirt_pf *pf,
				struct sriovvirt_sriov_info *ret);

/* ------------------------------------------------------------------------ */
/* Virtual functions: location, IDs, config space                           */
/* ------------------------------------------------------------------------ */

/**
 * sriovvirt_vf_get_addr() - where VF @vf is, or will be
 * @pf: the handle
 * @vf: VF index, below TotalVFs
 * @ret: the VF's address
 *
 * GetLocation and GetDeviceLocation. Computed from the PF's routing ID, First
 * VF Offset and VF Stride, which is right with and without ARI and when VFs
 * cross device and bus numbers. For an enabled VF the result is checked
 * against the virtfnN link. For an index between NumVFs and TotalVFs the
 * location is what the current offset and stride give; the kernel may change
 * both when NumVFs changes.
 *
 * Return: 0; -EINVAL if @vf >= TotalVFs; -ENOSPC if the VF would lie beyond
 * bus 255 (no bus numbers for it); -EIO if the computed location disagrees
 * with virtfnN.
 */
int sriovvirt_vf_get_addr(struct sriovvirt_pf *pf, uint16_t vf,
			  struct sriovvirt_pci_addr *ret);

/**
 * sriovvirt_vf_from_addr() - the PF and index of a VF
 * @ctx: the context
 * @vf_addr: the VF's address
 * @ret_pf: a new handle on the VF's PF (may be NULL)
 * @ret_vf: the VF's index (may be NULL)
 *
 * Follows the VF's physfn link, then finds the index among the PF's virtfnN
 * links.
 *
 * Return: 0; -ENODEV if there is no such function; -EINVAL if it is not a VF.
 */
int sriovvirt_vf_from_addr(struct sriovvirt_ctx *ctx,
			   const struct sriovvirt_pci_addr *vf_addr,
			   struct sriovvirt_pf **ret_pf, uint16_t *ret_vf);

/* Room for a driver's name and its NUL; kernel drivers' names are shorter. */
#define SRIOVVIRT_DRIVER_NAME_MAX 64

/**
 * struct sriovvirt_vf_info - what identifies an enabled VF
 * @size: set by the caller to sizeof(struct sriovvirt_vf_info); the call sets
 *        it to the bytes it filled (a growable structure, see the top)
 * @index: the VF's index
 * @vendor_id: the PF's vendor ID, as sriovvirt_vf_get_ids()
 * @device_id: the VF Device ID of the PF's SR-IOV capability
 * @addr: the VF's address
 * @iommu_group: the VF's IOMMU group (/dev/vfio/N), or -1 when it has none
 * @driver: the driver bound to the VF, "" when none is
 */
struct sriovvirt_vf_info {
	uint32_t size;
	uint16_t index;
	uint16_t vendor_id;
	uint16_t device_id;
	struct sriovvirt_pci_addr addr;
	int32_t iommu_group;
	char driver[SRIOVVIRT_DRIVER_NAME_MAX];
};

/**
 * sriovvirt_vf_get_info() - address, IDs, driver and IOMMU group of a VF
 * @pf: the handle
 * @vf: an enabled VF, below NumVFs
 * @ret: the facts; the caller sets @ret->size first
 *
 * What a listing of a PF's VFs shows, at the cost of three readlinks per VF
 * (virtfnN, its driver and its IOMMU group): the address is virtfnN's,
 * checked against the routing-ID formula; the IDs and the First VF Offset
 * and VF Stride the formula uses are read once per handle (again when the
 * check disagrees, as the kernel may change offset and stride with NumVFs).
 * No VF config space is read.
 *
 * Return: 0; -EINVAL if @vf >= NumVFs or @ret->size is too small; -ENODEV if
 * the VF or the PF vanished; -EIO if virtfnN disagrees with the formula;
 * -ERANGE if the driver's name does not fit @driver.
 */
int sriovvirt_vf_get_info(struct sriovvirt_pf *pf, uint16_t vf,
			  struct sriovvirt_vf_info *ret);

/**
 * sriovvirt_vf_get_ids() - the IDs that identify VF @vf
 * @pf: the handle
 * @vf: an enabled VF, below NumVFs
 * @ret_vendor_id: the PF's vendor ID
 * @ret_device_id: the VF Device ID from the PF's SR-IOV capability
 *
 * GetVendorAndDevice. A VF's own config space reads 0xffff for both IDs; these
 * are the values the kernel gives the VF.
 *
 * Return: 0; -EINVAL if @vf >= NumVFs; -ENODEV if the PF vanished.
 */
int sriovvirt_vf_get_ids(struct sriovvirt_pf *pf, uint16_t vf,
			 uint16_t *ret_vendor_id, uint16_t *ret_device_id);

/* Largest config-space offset plus one (PCIe extended config space). */
#define SRIOVVIRT_CONFIG_SPACE_SIZE 4096

/**
 * sriovvirt_vf_config_read() - read a VF's config space
 * @pf: the handle
 * @vf: an enabled VF, below NumVFs
 * @offset: first byte, 0 .. 4095
 * @buf: output
 * @length: bytes to read, at least 1; @offset + @length at most 4096
 * @ret_read: bytes read (may be NULL)
 *
 * GetVirtualFunctionData and ReadVfConfig, through the VF's sysfs config file.
 * The raw hardware view: Vendor and Device ID read 0xffff. The file stays open
 * in the handle; it is reopened when the VF set changed. Without CAP_SYS_ADMIN
 * the kernel returns only the first 64 bytes: the read is then short, which is
 * reported through @ret_read, and the call fails with -EIO only when @ret_read
 * is NULL. Reading beyond the end of a 256-byte config space is short too.
 * On failure @buf is untouched.
 *
 * Return: 0; -EINVAL for a bad range or @vf >= NumVFs; -ENODEV if the VF
 * vanished; -EIO for a short read and no @ret_read.
 */
int sriovvirt_vf_config_read(struct sriovvirt_pf *pf, uint16_t vf,
			     uint32_t offset, void *buf, size_t length,
			     size_t *ret_read);

/* Write even though a host driver other than vfio-pci (or a variant) or
 * pci-stub owns the VF. */
#define SRIOVVIRT_CONFIG_FORCE (1u << 0)

/**
 * sriovvirt_vf_config_write() - write a VF's config space
 * @pf: the handle
 * @vf: an enabled VF, below NumVFs
 * @offset: first byte, 0 .. 4095
 * @buf: the bytes to write
 * @length: bytes to write, at least 1; @offset + @length at most 4096
 * @flags: 0 or SRIOVVIRT_CONFIG_FORCE
 * @ret_written: bytes written (may be NULL)
 *
 * SetVirtualFunctionData and WriteVfConfig, through the VF's sysfs config file
 * (the privileged bus-driver path: the kernel splits unaligned writes, nothing
 * is filtered). A raw write behind the back of a bound host driver can break
 * it, so the call refuses a VF bound to any driver other than vfio-pci or
 * pci-stub unless @flags has SRIOVVIRT_CONFIG_FORCE. A write that would not
 * fit the VF's config space (256 bytes for a conventional function, as the
 * size of the sysfs file says) is refused before anything is written.
 *
 * Return: 0; -EINVAL for a bad range (including beyond the VF's config
 * space), unknown @flags or @vf >= NumVFs; -EBUSY
 * if a host driver owns the VF; -EACCES without privilege; -EPERM under
 * kernel lockdown; -ENODEV if the VF vanished; -EIO for a short write and no
 * @ret_written.
 */
int sriovvirt_vf_config_write(struct sriovvirt_pf *pf, uint16_t vf,
			      uint32_t offset, const void *buf, size_t length,
			      unsigned int flags, size_t *ret_written);

/* ------------------------------------------------------------------------ */
/* Driver binding                                                           */
/* ------------------------------------------------------------------------ */

/**
 * sriovvirt_vf_bind() - bind VF @vf to a driver
 * @pf: the handle
 * @vf: an enabled VF, below NumVFs
 * @driver: a loaded PCI driver, as named in /sys/bus/pci/drivers (e.g.
 *          "vfio-pci"); 1 to SRIOVVIRT_DRIVER_NAME_MAX - 1 bytes, no '/' or
 *          white space
 *
 * What driverctl and dpdk-devbind do, for one VF of this PF and nothing
 * else: writes @driver to the VF's driver_override, unbinds the driver it
 * has, and probes it through bus/pci/drivers_probe. The kernel probes within
 * that write (device_attach() is synchronous there), so when the call
 * returns the VF is bound, or the driver has refused it. A refusal leaves
 * nothing half done: the previous override and driver are put back. The
 * override stays, so no other driver takes the VF later; the PF's
 * sriov_drivers_autoprobe does not matter. Binding the driver the VF has
 * (with the override set) does nothing. Unbinding a driver whose users hold
 * the VF (a VM through vfio-pci) waits in the kernel until they let go.
 * The handle's open files of the VF are closed first.
 *
 * Return: 0; -EINVAL for a bad @driver or @vf >= NumVFs; -ENODATA if no
 * such driver is loaded (the log says: modprobe it); -EOPNOTSUPP if the
 * driver refused the VF (vfio-pci: no IOMMU group), or the kernel has no
 * driver_override; -EIO if putting the previous driver back failed too;
 * -EACCES without privilege; -ECANCELED or -ETIMEDOUT if the VF has
 * another driver and the attached virtualization stack vetoed the change
 * or did not answer (nothing changed).
 */
int sriovvirt_vf_bind(struct sriovvirt_pf *pf, uint16_t vf, const char *driver);

/**
 * sriovvirt_pf_driver_loaded() - whether a PCI driver can take VFs now
 * @pf: the handle (its sysfs root is looked in)
 * @driver: a PCI driver's name, as in /sys/bus/pci/drivers
 *
 * What sriovvirt_vf_bind() checks first, for a caller that must know
 * before it changes anything (sriovctl apply).
 *
 * Return: 0 if bus/pci/drivers/@driver exists; -ENODATA if it does not
 * (the log says which module to load); -EINVAL for a malformed name.
 */
int sriovvirt_pf_driver_loaded(struct sriovvirt_pf *pf, const char *driver);

/**
 * sriovvirt_vf_unbind() - unbind VF @vf from its driver
 * @pf: the handle
 * @vf: an enabled VF, below NumVFs
 *
 * Unbinds the VF's driver, if it has one, and clears its driver_override,
 * so the VF is left without a driver (with sriov_drivers_autoprobe 1, a
 * later probe may bind the default one again). Waits, as the kernel does,
 * while the driver's users hold the VF.
 *
 * Return: 0; -EINVAL if @vf >= NumVFs; -EIO if the VF is still bound after
 * the unbind; -EACCES without privilege; -ECANCELED or -ETIMEDOUT if the
 * attached virtualization stack vetoed it or did not answer (nothing
 * changed).
 */
int sriovvirt_vf_unbind(struct sriovvirt_pf *pf, uint16_t vf);

/**
 * sriovvirt_pf_bind_vfs() - bind every enabled VF of a PF to a driver
 * @pf: the handle
 * @driver: as for sriovvirt_vf_bind()
 *
 * sriovvirt_vf_bind() for VF 0 .. NumVFs-1, all or none: when one fails,
 * the VFs done before it are put back as they were (driver and override).
 * A PF without VFs is a success.
 *
 * Return: as sriovvirt_vf_bind(); -ENOMEM.
 */
int sriovvirt_pf_bind_vfs(struct sriovvirt_pf *pf, const char *driver);

/**
 * sriovvirt_pf_unbind_vfs() - unbind every enabled VF of a PF
 * @pf: the handle
 *
 * sriovvirt_vf_unbind() for every VF, all or none, as sriovvirt_pf_bind_vfs().
 *
 * Return: as sriovvirt_vf_unbind(); -ENOMEM.
 */
int sriovvirt_pf_unbind_vfs(struct sriovvirt_pf *pf);

/* ------------------------------------------------------------------------ */
/* VFIO: a VF as a guest sees it                                            */
/* ------------------------------------------------------------------------ */

/**
 * sriovvirt_vf_vfio_open() - open VF @vf through VFIO in this handle
 * @pf: the handle
 * @vf: an enabled VF, below NumVFs, bound to vfio-pci
 * @vf_token: the VF token (a UUID, "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx")
 *            when the PF itself is bound to vfio-pci with enable_sriov, as
 *            for a user-space PF driver such as DPDK's; NULL otherwise
 *
 * Opens the VF's VFIO device through the group/container API with a type 1
 * IOMMU (what every distribution kernel has; iommufd would replace only the
 * container and group steps). From then on, this handle reaches the VF's
 * config space through the device's config region, the guest's view:
 * vfio-pci shows the VF's real vendor and device IDs, virtualizes the BARs
 * (an all-ones write reads back the size mask, the hardware BAR is not
 * touched) and capability pointers, and turns a PMCSR write into a real
 * power transition; sriovvirt_vf_config_read()/_write(),
 * sriovvirt_vf_reset() (VFIO_DEVICE_RESET) and
 * sriovvirt_vf_set_power_state() go there, and the MMIO and mitigated-range
 * calls need it. The device stays open until sriovvirt_vf_vfio_close() or
 * the handle's last reference. While it is open, the kernel would wait for
 * it before disabling the VFs or unbinding vfio-pci, so this handle refuses
 * to change the PF's VF count or the VF's driver (-EBUSY). Opening an open
 * VF does nothing.
 *
 * vfio-pci resets the VF when its device is first opened and again when
 * it is closed, and rebuilds its virtual config space on each open: what
 * was written to the VF (registers, PMCSR, virtual BARs) does not outlive
 * the open. Each open VF has a container of its own
 * (sriovvirt_vf_vfio_get_container_fd()).
 *
 * Return: 0; -EINVAL for a malformed @vf_token, @vf >= NumVFs, or a token
 * given while the PF is not bound to vfio-pci; -ENODATA if the VF has no
 * driver or no IOMMU group (the IOMMU is off); -EBUSY if the VF is bound to
 * another driver, its IOMMU group is not viable (the log names the devices
 * in the group that are bound to host drivers) or is already open (in
 * another process, or another handle of this one); -EACCES without
 * permission on /dev/vfio/N, or a missing or wrong VF token; -EOPNOTSUPP if
 * the kernel has no VFIO (or no type 1 IOMMU); -ENOMEM.
 */
int sriovvirt_vf_vfio_open(struct sriovvirt_pf *pf, uint16_t vf,
			   const char *vf_token);

/**
 * sriovvirt_vf_vfio_close() - close VF @vf's VFIO device
 * @pf: the handle
 * @vf: a VF open through VFIO
 *
 * The VF's config space is reached through sysfs again.
 *
 * Return: 0; -EBUSY if the VF is not open through VFIO; -EINVAL if
 * @vf >= NumVFs.
 */
int sriovvirt_vf_vfio_close(struct sriovvirt_pf *pf, uint16_t vf);

/**
 * sriovvirt_vf_vfio_get_fd() - the VFIO device fd of VF @vf
 * @pf: the handle
 * @vf: a VF open through VFIO
 * @ret_fd: the device fd, owned by the handle (do not close it)
 *
 * For what the library does not do itself: mmap a BAR, set up interrupts
 * (VFIO_DEVICE_SET_IRQS).
 *
 * Return: 0; -EBUSY if the VF is not open through VFIO.
 */
int sriovvirt_vf_vfio_get_fd(struct sriovvirt_pf *pf, uint16_t vf, int *ret_fd);

/**
 * sriovvirt_vf_vfio_get_container_fd() - the VFIO container of VF @vf
 * @pf: the handle
 * @vf: a VF open through VFIO
 * @ret_fd: the container fd (type 1 IOMMU set), owned by the handle
 *
 * For the guest's DMA mappings (VFIO_IOMMU_MAP_DMA) of this VF.
 *
 * Return: 0; -EBUSY if the VF is not open through VFIO.
 */
int sriovvirt_vf_vfio_get_container_fd(struct sriovvirt_pf *pf, uint16_t vf,
				       int *ret_fd);

/* The VFIO device can reset the VF alone (VFIO_DEVICE_FLAGS_RESET). */
#define SRIOVVIRT_VFIO_RESET	(1u << 0)

/**
 * struct sriovvirt_vfio_info - a VF's VFIO device
 * @size: set by the caller to sizeof(struct sriovvirt_vfio_info); the call
 *        sets it to the bytes it filled (a growable structure)
 * @flags: SRIOVVIRT_VFIO_RESET
 * @num_regions: the regions: BAR0..5 (0..5), ROM (6), config (7), VGA (8),
 *               then device-specific ones
 * @num_irqs: the interrupt indexes: INTx (0), MSI (1), MSI-X (2), error
 *            (3), request (4)
 * @iommu_group: the IOMMU group, /dev/vfio/N
 */
struct sriovvirt_vfio_info {
	uint32_t size;
	uint32_t flags;
	uint32_t num_regions;
	uint32_t num_irqs;
	uint32_t iommu_group;
};

/**
 * sriovvirt_vf_vfio_get_info() - describe VF @vf's VFIO device
 * @pf: the handle
 * @vf: a VF open through VFIO
 * @ret: the facts; the caller sets @ret->size first
 *
 * Return: 0; -EBUSY if the VF is not open through VFIO; -EINVAL.
 */
int sriovvirt_vf_vfio_get_info(struct sriovvirt_pf *pf, uint16_t vf,
			       struct sriovvirt_vfio_info *ret);

/* Region flags: VFIO's (VFIO_REGION_INFO_FLAG_*), and two of the library's
 * for the capabilities the region has. */
#define SRIOVVIRT_VFIO_REGION_READ		(1u << 0)
#define SRIOVVIRT_VFIO_REGION_WRITE		(1u << 1)
#define SRIOVVIRT_VFIO_REGION_MMAP		(1u << 2)
/* A sparse-mmap capability: only @areas may be mmapped. */
#define SRIOVVIRT_VFIO_REGION_SPARSE		(1u << 16)
/* The MSI-X table's pages may be mmapped too (MSI-X is still set up with
 * VFIO_DEVICE_SET_IRQS, never through the table). */
#define SRIOVVIRT_VFIO_REGION_MSIX_MAPPABLE	(1u << 17)

/* Room for sparse-mmap areas in struct sriovvirt_vfio_region. */
#define SRIOVVIRT_VFIO_MAX_AREAS 8

/**
 * struct sriovvirt_vfio_area - a part of a region that may be mmapped
 * @offset: from the start of the region
 * @size: bytes
 */
struct sriovvirt_vfio_area {
	uint64_t offset;
	uint64_t size;
};

/**
 * struct sriovvirt_vfio_region - one region of a VF's VFIO device
 * @size: set by the caller to sizeof(struct sriovvirt_vfio_region); the call
 *        sets it to the bytes it filled (a growable structure)
 * @index: the region's index
 * @flags: SRIOVVIRT_VFIO_REGION_* flags
 * @nr_areas: with SRIOVVIRT_VFIO_REGION_SPARSE, how many of @areas are used
 * @offset: where the region starts in the device fd (pread, pwrite, mmap)
 * @region_size: its size in bytes; 0 for a BAR the VF does not implement
 * @areas: the parts that may be mmapped, with SRIOVVIRT_VFIO_REGION_SPARSE
 */
struct sriovvirt_vfio_region {
	uint32_t size;
	uint32_t index;
	uint32_t flags;
	uint32_t nr_areas;
	uint64_t offset;
	uint64_t region_size;
	struct sriovvirt_vfio_area areas[SRIOVVIRT_VFIO_MAX_AREAS];
};

/**
 * sriovvirt_vf_vfio_get_region() - one region of VF @vf's VFIO device
 * @pf: the handle
 * @vf: a VF open through VFIO
 * @index: below the device's num_regions
 * @ret: the region; the caller sets @ret->size first
 *
 * VFIO_DEVICE_GET_REGION_INFO with its capability chain.
 *
 * Return: 0; -EINVAL for a bad @index; -EBUSY if the VF is not open through
 * VFIO; -ERANGE if the region has more than SRIOVVIRT_VFIO_MAX_AREAS sparse
 * areas; -ENOMEM.
 */
int sriovvirt_vf_vfio_get_region(struct sriovvirt_pf *pf, uint16_t vf,
				 uint32_t index,
				 struct sriovvirt_vfio_region *ret);

/* Interrupt flags: VFIO's (VFIO_IRQ_INFO_*). */
#define SRIOVVIRT_VFIO_IRQ_EVENTFD	(1u << 0)
#define SRIOVVIRT_VFIO_IRQ_MASKABLE	(1u << 1)
#define SRIOVVIRT_VFIO_IRQ_AUTOMASKED	(1u << 2)
#define SRIOVVIRT_VFIO_IRQ_NORESIZE	(1u << 3)

/**
 * struct sriovvirt_vfio_irq - one interrupt index of a VF's VFIO device
 * @size: set by the caller to sizeof(struct sriovvirt_vfio_irq); the call
 *        sets it to the bytes it filled (a growable structure)
 * @index: the index (INTx 0, MSI 1, MSI-X 2, error 3, request 4)
 * @flags: SRIOVVIRT_VFIO_IRQ_* flags
 * @count: how many interrupts it has (0: none, e.g. INTx of a VF)
 */
struct sriovvirt_vfio_irq {
	uint32_t size;
	uint32_t index;
	uint32_t flags;
	uint32_t count;
};

/**
 * sriovvirt_vf_vfio_get_irq() - one interrupt index of VF @vf's VFIO device
 * @pf: the handle
 * @vf: a VF open through VFIO
 * @index: below the device's num_irqs
 * @ret: the interrupt index; the caller sets @ret->size first
 *
 * Return: 0; -EINVAL for a bad @index; -EBUSY if the VF is not open
 * through VFIO.
 */
int sriovvirt_vf_vfio_get_irq(struct sriovvirt_pf *pf, uint16_t vf,
			      uint32_t index, struct sriovvirt_vfio_irq *ret);

/* ------------------------------------------------------------------------ */
/* Mitigated ranges and ReadWriteMitigatedRegister                          */
/* ------------------------------------------------------------------------ */

/* Reads of the range must be trapped (Windows' InterceptReads). */
#define SRIOVVIRT_INTERCEPT_READS	(1u << 0)
/* Writes of the range must be trapped (InterceptWrites). */
#define SRIOVVIRT_INTERCEPT_WRITES	(1u << 1)

/**
 * struct sriovvirt_mitigated_range - pages of a VF BAR a VMM must trap
 * @base_page: the first page, in 4 KiB pages from the start of the BAR
 *             (BAR-relative, not a bus or physical address)
 * @page_count: how many pages, 1 to 0x80000
 * @bar: the BAR, 0..5
 * @flags: SRIOVVIRT_INTERCEPT_READS, SRIOVVIRT_INTERCEPT_WRITES; other bits
 *         are 0 today and may be defined later
 * @reserved: 0
 *
 * Windows' SRIOV_MITIGATED_RANGES_OUTPUT, with the BAR it belongs to: 16
 * bytes, a fixed layout (it is an array element).
 */
struct sriovvirt_mitigated_range {
	uint64_t base_page;
	uint32_t page_count;
	uint8_t bar;
	uint8_t flags;
	uint8_t reserved[2];
};

/**
 * sriovvirt_vf_get_mitigated_ranges() - the pages of VF @vf's BARs to trap
 * @pf: the handle
 * @vf: an enabled VF
 * @ret: room for @max ranges; NULL with @max 0 asks only how many there are
 * @max: how many fit in @ret
 * @ret_count: how many ranges there are (and were stored in @ret)
 *
 * QUERY_MITIGATED_RANGE_COUNT and QUERY_MITIGATED_RANGES for every BAR at
 * once, ordered by BAR then page: the pages holding the MSI-X table and
 * the PBA (from the VF's MSI-X capability: a guest must never program
 * MSI-X directly, it goes through VFIO_DEVICE_SET_IRQS, even where VFIO
 * would let the table be mmapped), and, with the VF open through VFIO in
 * this handle, every page of a BAR that VFIO does not let user space mmap
 * (outside its sparse-mmap areas, or the whole BAR when it is not
 * mmappable). Reads and writes are both intercepted. Without VFIO open it
 * reads the capability through sysfs, which needs root.
 *
 * A range never spans more than 0x80000 pages (Windows' limit); a longer
 * one is split. A BAR with more mmappable areas than
 * SRIOVVIRT_VFIO_MAX_AREAS is trapped whole.
 *
 * Return: 0; -ERANGE if more than @max ranges exist (ask for the count
 * first); -EINVAL; -EACCES if the capability cannot be read; -ENODEV if the
 * VF is gone.
 */
int sriovvirt_vf_get_mitigated_ranges(struct sriovvirt_pf *pf, uint16_t vf,
				      struct sriovvirt_mitigated_range *ret,
				      size_t max, size_t *ret_count);

/**
 * sriovvirt_vf_mmio_read() - read a register in a VF BAR
 * @pf: the handle
 * @vf: a VF open through VFIO in this handle
 * @bar: the BAR, 0..5
 * @offset: the register's byte offset in the BAR, a multiple of @width
 * @width: 1, 2, 4 or 8 bytes
 * @ret_value: the value read (the device's little-endian bytes as a
 *             number)
 *
 * ReadWriteMitigatedRegister with Read TRUE: one pread of @width bytes on
 * the VF's VFIO device fd at the BAR region; vfio-pci makes the access.
 * Older kernels (6.1 among them) have no 8-byte MMIO in vfio-pci and
 * split such an access into two 4-byte ones, low half first: mind
 * registers with side effects. Inside the MSI-X table vfio-pci reads all
 * ones (the table belongs to VFIO, which programs it from
 * VFIO_DEVICE_SET_IRQS). No allocation.
 *
 * Return: 0; -EINVAL for @bar > 5, a @width other than 1, 2, 4 or 8, or an
 * @offset not aligned to @width or outside the BAR; -ENODATA if the VF has
 * no such BAR; -EBUSY if the VF is not open through VFIO; -EIO if the
 * device did not answer or is in D3hot (vfio-pci refuses then).
 */
int sriovvirt_vf_mmio_read(struct sriovvirt_pf *pf, uint16_t vf,
			   unsigned int bar, uint64_t offset,
			   unsigned int width, uint64_t *ret_value);

/**
 * sriovvirt_vf_mmio_write() - write a register in a VF BAR
 * @pf: the handle
 * @vf: a VF open through VFIO in this handle
 * @bar: the BAR, 0..5
 * @offset: the register's byte offset in the BAR, a multiple of @width
 * @width: 1, 2, 4 or 8 bytes
 * @value: the value; it must fit in @width bytes
 *
 * ReadWriteMitigatedRegister with Read FALSE: one pwrite on the VF's VFIO
 * device fd. Inside the MSI-X table vfio-pci drops the write and still
 * reports success. No allocation.
 *
 * Return: as sriovvirt_vf_mmio_read(); -EINVAL also when @value does not
 * fit in @width bytes.
 */
int sriovvirt_vf_mmio_write(struct sriovvirt_pf *pf, uint16_t vf,
			    unsigned int bar, uint64_t offset,
			    unsigned int width, uint64_t value);

/**
 * sriovvirt_pf_watch_mitigations() - be told when a VF's ranges may change
 * @pf: the handle
 * @ret_fd: a file descriptor, owned by the handle, that polls readable
 *          (POLLIN) while a VF's mitigated ranges are to be queried again
 *
 * MITIGATED_RANGE_UPDATE as a pollable file descriptor: add it to the
 * VMM's event loop, and when it is readable call
 * sriovvirt_pf_next_mitigation_update() for the VF, then
 * sriovvirt_vf_get_mitigated_ranges() again. A VF is reported after a
 * reset, a VFIO open or close, or a bind or unbind through this handle,
 * and after any driver bind, unbind, addition or removal of the VF the
 * kernel announces (uevents, whoever caused them). A reset done by
 * another process has no kernel event and is not seen. Watching an
 * already watched PF returns the same descriptor.
 *
 * The descriptor also wakes on the kernel's uevents about other devices:
 * after POLLIN, call sriovvirt_pf_next_mitigation_update() until it
 * returns -EAGAIN, which may be at once. If the kernel dropped uevents
 * (the socket's buffer overflowed), every VF is reported.
 *
 * Return: 0; -EINVAL; -ENOMEM; -EMFILE; -EOPNOTSUPP without uevents.
 */
int sriovvirt_pf_watch_mitigations(struct sriovvirt_pf *pf, int *ret_fd);

/**
 * sriovvirt_pf_next_mitigation_update() - the next VF whose ranges changed
 * @pf: a handle with a watch
 * @ret_vf: the VF's index
 *
 * Each VF is reported once however many times it changed since the last
 * call, lowest index first. The descriptor stays readable while more VFs
 * are pending. Never blocks.
 *
 * Return: 0; -EAGAIN if none is pending; -EBUSY if the PF is not watched;
 * -EINVAL.
 */
int sriovvirt_pf_next_mitigation_update(struct sriovvirt_pf *pf,
					uint16_t *ret_vf);

/**
 * sriovvirt_pf_unwatch_mitigations() - stop watching, close the descriptor
 * @pf: the handle
 *
 * Return: 0; -EBUSY if the PF is not watched; -EINVAL.
 */
int sriovvirt_pf_unwatch_mitigations(struct sriovvirt_pf *pf);

/* ------------------------------------------------------------------------ */
/* ResetVf and SetVfPowerState                                              */
/* ------------------------------------------------------------------------ */

/**
 * sriovvirt_vf_reset() - function-level reset of one VF
 * @pf: the handle
 * @vf: an enabled VF, below NumVFs
 *
 * ResetVf. Writes the VF's sysfs reset attribute; the kernel saves the VF's
 * config space, resets it and restores the saved state (a Windows FLR leaves
 * the function in its reset state instead). A reset must not touch other
 * functions, so the call refuses when the VF's reset_method lists a method
 * that resets more than the VF ("bus", "cxl_bus") or one this library does not
 * know; the known function-scoped methods are flr, af_flr, pm, acpi and
 * device_specific.
 *
 * Return: 0; -EINVAL if @vf >= NumVFs; -EOPNOTSUPP if the VF has no reset
 * method, only ones that reach other functions, or none that applied (the
 * kernel's ENOTTY); -EACCES without privilege; -ENODEV if the VF vanished;
 * another negative errno from the kernel's reset.
 */
int sriovvirt_vf_reset(struct sriovvirt_pf *pf, uint16_t vf);

/* PCI power states, numbered as the PMCSR PowerState field. */
enum sriovvirt_power_state {
	SRIOVVIRT_POWER_D0 = 0,
	SRIOVVIRT_POWER_D1 = 1,
	SRIOVVIRT_POWER_D2 = 2,
	SRIOVVIRT_POWER_D3HOT = 3,
};

/**
 * sriovvirt_vf_set_power_state() - put a VF into D0, D1, D2 or D3hot
 * @pf: the handle
 * @vf: an enabled VF, below NumVFs
 * @state: enum sriovvirt_power_state
 * @wake: arm PME (wake) in @state; must be false for D0
 *
 * SetVfPowerState. Writes PowerState and PME_En in the PMCSR of the VF's power
 * management capability, waits the delay the PCI PM specification requires for
 * the transition (10 ms to or from D3hot, 200 us to or from D2), then reads
 * PMCSR back. Only states the capability supports are accepted: D1 and D2 need
 * their PMC support bits, and @wake needs PME support from @state.
 *
 * A kernel driver bound to the VF owns its power management; the kernel tracks
 * the state it set and would not notice this write. The call therefore refuses
 * a VF bound to any driver (-EBUSY): unbind it, or with vfio-pci, let the VM
 * (through VFIO) change the state. After D3hot to D0 the device may reset its
 * config space if PMCSR.No_Soft_Reset is clear; the caller restores it then.
 *
 * Return: 0; -EINVAL for a bad @state, @wake with D0, or @vf >= NumVFs;
 * -EOPNOTSUPP if the VF has no PM capability, does not support @state, or
 * cannot wake from @state; -EBUSY if a driver is bound to the VF; -EIO if the
 * read-back shows another state; -EACCES without privilege; -EPERM under
 * kernel lockdown.
 */
int sriovvirt_vf_set_power_state(struct sriovvirt_pf *pf, uint16_t vf,
				 enum sriovvirt_power_state state, bool wake);

/**
 * sriovvirt_vf_get_power_state() - read a VF's power state from PMCSR
 * @pf: the handle
 * @vf: an enabled VF, below NumVFs
 * @ret_state: enum sriovvirt_power_state
 * @ret_wake: whether PME_En is set (may be NULL)
 *
 * Return: 0; -EINVAL if @vf >= NumVFs; -EOPNOTSUPP if the VF has no PM
 * capability; -EACCES without privilege.
 */
int sriovvirt_vf_get_power_state(struct sriovvirt_pf *pf, uint16_t vf,
				 enum sriovvirt_power_state *ret_state,
				 bool *ret_wake);

/* ------------------------------------------------------------------------ */
/* Probed BARs and BAR resources                                            */
/* ------------------------------------------------------------------------ */

/* Number of BARs in a type 0 header (Windows' PCI_TYPE0_ADDRESSES). */
#define SRIOVVIRT_NUM_BARS 6

/**
 * sriovvirt_pf_get_probed_bars() - what the PF's BARs read after sizing
 * @pf: the handle
 * @ret_values: the six 32-bit values
 *
 * QueryProbedBars. The value each BAR register would read after all ones were
 * written to it: the size mask with the type bits (I/O; 32- or 64-bit memory;
 * prefetchable), the upper half of a 64-bit BAR holding the upper size mask,
 * 0 for an unimplemented BAR. Computed from the sizes and flags in the PF's
 * sysfs resource file; live hardware is never probed.
 *
 * Return: 0; -ENODEV if the PF vanished; -EIO for a malformed resource file.
 */
int sriovvirt_pf_get_probed_bars(struct sriovvirt_pf *pf,
				 uint32_t ret_values[SRIOVVIRT_NUM_BARS]);

/**
 * sriovvirt_pf_get_vf_probed_bars() - what every VF's BARs read after sizing
 * @pf: the handle
 * @ret_values: the six 32-bit values
 *
 * GetVirtualFunctionProbedBars. Like sriovvirt_pf_get_probed_bars() for the
 * VF BARs of the SR-IOV capability, which all VFs share; each VF's size is the
 * kernel's VF BAR aperture divided by TotalVFs. Works with VFs disabled.
 *
 * Return: 0; -EOPNOTSUPP without an SR-IOV capability; -EACCES if config space
 * is not readable; -ENODEV; -EIO for a malformed resource file.
 */
int sriovvirt_pf_get_vf_probed_bars(struct sriovvirt_pf *pf,
				    uint32_t ret_values[SRIOVVIRT_NUM_BARS]);

/**
 * sriovvirt_vf_get_probed_bars() - what VF @vf's BARs read after sizing
 * @pf: the handle
 * @vf: an enabled VF, below NumVFs
 * @ret_values: the six 32-bit values
 *
 * QueryProbedBars_2. Computed from the VF's own sysfs resource file, so a VF
 * whose layout differs from its siblings is reported as it is.
 *
 * Return: 0; -EINVAL if @vf >= NumVFs; -ENODEV; -EIO.
 */
int sriovvirt_vf_get_probed_bars(struct sriovvirt_pf *pf, uint16_t vf,
				 uint32_t ret_values[SRIOVVIRT_NUM_BARS]);

/* Kernel resource flags (include/linux/ioport.h), as sysfs exports them. */
#define SRIOVVIRT_RESOURCE_IO		0x00000100u
#define SRIOVVIRT_RESOURCE_MEM		0x00000200u
#define SRIOVVIRT_RESOURCE_PREFETCH	0x00002000u
#define SRIOVVIRT_RESOURCE_MEM_64	0x00100000u

/**
 * struct sriovvirt_bar_resource - a BAR as the kernel assigned it
 * @start: first address (CPU view, as sysfs prints it)
 * @size: length in bytes
 * @flags: the kernel's resource flags (SRIOVVIRT_RESOURCE_* and more)
 */
struct sriovvirt_bar_resource {
	uint64_t start;
	uint64_t size;
	uint64_t flags;
};

/**
 * sriovvirt_pf_get_bar_resource() - a BAR of the PF itself
 * @pf: the handle
 * @bar: BAR index, 0..5
 * @ret: the resource
 *
 * Return: 0; -EINVAL if @bar > 5; -ENODATA if the BAR is not implemented (or
 * is the upper half of a 64-bit BAR); -ENODEV; -EIO.
 */
int sriovvirt_pf_get_bar_resource(struct sriovvirt_pf *pf, unsigned int bar,
				  struct sriovvirt_bar_resource *ret);

/**
 * sriovvirt_vf_get_bar_resource() - a BAR of VF @vf
 * @pf: the handle
 * @vf: an enabled VF, below NumVFs
 * @bar: BAR index, 0..5
 * @ret: the resource
 *
 * GetResourceForBar: start, length and flags of the VF's BAR as the kernel
 * assigned it (the VF's resource file), checked against the PF's VF BAR
 * aperture: start = aperture start + @vf * (aperture size / TotalVFs).
 *
 * Return: 0; -EINVAL if @bar > 5 or @vf >= NumVFs; -ENODATA if the BAR is not
 * implemented; -EIO if the VF's resource disagrees with the PF's aperture;
 * -ENODEV.
 */
int sriovvirt_vf_get_bar_resource(struct sriovvirt_pf *pf, uint16_t vf,
				  unsigned int bar,
				  struct sriovvirt_bar_resource *ret);

/* ------------------------------------------------------------------------ */
/* Locally unique IDs                                                       */
/* ------------------------------------------------------------------------ */

/**
 * struct sriovvirt_luid - a locally unique identifier, as Windows' LUID
 * @low_part: low 32 bits
 * @high_part: high 32 bits
 *
 * The scheme: the LUID of a PCI function is the inode number of its sysfs
 * device directory. On 64-bit kernels sysfs (kernfs) numbers its nodes with a
 * 64-bit id, (wrap count << 32) | a cyclically allocated 31-bit number, so the
 * value is unique on this host until reboot, never 0, stable while the device
 * exists (driver binds and unbinds do not change it), and never reused for
 * another device in the same boot: a VF disabled and enabled again is a new
 * device with a new LUID. Reading it needs no privilege and no state. On
 * 32-bit kernels only the low 32 bits exist and wrap after 2^31 sysfs nodes.
 */
struct sriovvirt_luid {
	uint32_t low_part;
	int32_t high_part;
};

/**
 * sriovvirt_pf_get_luid() - the PF's LUID
 * @pf: the handle
 * @ret: the LUID
 *
 * QueryLuid.
 *
 * Return: 0; -ENODEV if the PF vanished.
 */
int sriovvirt_pf_get_luid(struct sriovvirt_pf *pf, struct sriovvirt_luid *ret);

/**
 * sriovvirt_vf_get_luid() - VF @vf's LUID
 * @pf: the handle
 * @vf: an enabled VF, below NumVFs
 * @ret: the LUID
 *
 * QueryVfLuid.
 *
 * Return: 0; -EINVAL if @vf >= NumVFs; -ENODEV.
 */
int sriovvirt_vf_get_luid(struct sriovvirt_pf *pf, uint16_t vf,
			  struct sriovvirt_luid *ret);

/**
 * sriovvirt_pf_find_vf_by_luid() - the VF that has a LUID
 * @pf: the handle
 * @luid: a VF LUID
 * @ret_vf: the VF's index
 *
 * QueryLuidVf.
 *
 * Return: 0; -ENODEV if no enabled VF of this PF has @luid (or the PF
 * vanished).
 */
int sriovvirt_pf_find_vf_by_luid(struct sriovvirt_pf *pf,
				 struct sriovvirt_luid luid, uint16_t *ret_vf);

/**
 * sriovvirt_query_luid() - the LUID of any PCI function, without privilege
 * @ctx: the context
 * @addr: the function
 * @ret: the LUID
 *
 * IOCTL_SRIOV_PROXY_QUERY_LUID: works for unprivileged callers because it
 * only looks at the sysfs directory.
 *
 * Return: 0; -ENODEV if there is no such function.
 */
int sriovvirt_query_luid(struct sriovvirt_ctx *ctx,
			 const struct sriovvirt_pci_addr *addr,
			 struct sriovvirt_luid *ret);

/**
 * sriovvirt_luid_to_u64() - a LUID as one 64-bit value
 * @luid: the LUID
 *
 * Return: ((uint64_t)high_part << 32) | low_part.
 */
uint64_t sriovvirt_luid_to_u64(struct sriovvirt_luid luid);

/**
 * sriovvirt_luid_from_u64() - a 64-bit value as a LUID
 * @value: ((uint64_t)high_part << 32) | low_part
 *
 * Return: the LUID.
 */
struct sriovvirt_luid sriovvirt_luid_from_u64(uint64_t value);

/* ------------------------------------------------------------------------ */
/* Config blocks: ReadVfConfigBlock, WriteVfConfigBlock, INVALIDATE_BLOCK   */
/* ------------------------------------------------------------------------ */

/*
 * The PF/VF backchannel of pcivirt.h and vpci.h: small blocks of bytes,
 * keyed by a VF index and a 32-bit block ID, whose meaning only the PF's
 * and the VF's owners know. Linux has no such channel, so the library keeps
 * a store per PF in the context's runtime directory, shared by every
 * process of the same user (the directory's rules keep other users out:
 * -EACCES, with the owner named in the log). No daemon is involved.
 *
 * - A block holds 1..SRIOVVIRT_BLOCK_MAX_SIZE bytes: what its last write
 *   gave. A read copies min(size, stored length) bytes and reports the
 *   stored length, so a short buffer is noticed; a block never written is
 *   -ENODATA.
 * - A write replaces the whole block atomically: a reader, or a writer
 *   killed at any instant, leaves the old or the new content, never a mix.
 * - Blocks belong to one incarnation of a VF: a VF that is disabled and
 *   enabled again starts with no blocks (the store is keyed by the VF's
 *   LUID, which sysfs never hands out twice in a boot). The runtime
 *   directory is normally a tmpfs, so blocks do not outlive a reboot.
 * - Invalidation (INVALIDATE_BLOCK) ORs a 64-bit mask, bit n for block ID
 *   n, into a VF's pending mask; the VF side drains the accumulated mask
 *   (sriovvirt_vpci_wait_invalidate()).
 */
#define SRIOVVIRT_BLOCK_MAX_SIZE 128
/* SRIOV_INVALIDATE_BLOCK_ALL_VFS: every enabled VF of the PF. */
#define SRIOVVIRT_ALL_VFS 0xFFFF

/**
 * sriovvirt_vf_read_block() - ReadVfConfigBlock, from the PF side
 * @pf: the handle
 * @vf: an enabled VF, below NumVFs
 * @block_id: the block
 * @buf: output, @size bytes
 * @size: 1..SRIOVVIRT_BLOCK_MAX_SIZE
 * @ret_length: the block's stored length (may exceed @size; NULL allowed)
 *
 * Return: 0; -EINVAL for a bad argument or a VF that is not enabled;
 * -ENODATA if the block was never written; -EACCES if the runtime
 * directory is not the caller's; -EIO for a damaged store entry.
 */
int sriovvirt_vf_read_block(struct sriovvirt_pf *pf, uint16_t vf,
			    uint32_t block_id, void *buf, size_t size,
			    size_t *ret_length);

/**
 * sriovvirt_vf_write_block() - WriteVfConfigBlock, from the PF side
 * @pf: the handle
 * @vf: an enabled VF, below NumVFs
 * @block_id: the block
 * @buf: the content
 * @length: 1..SRIOVVIRT_BLOCK_MAX_SIZE
 *
 * Replaces the block atomically. A PF-side write does not wake the VF
 * side by itself: invalidate the block to have it re-read. Writers of a
 * PF's store take turns (an flock); one stopped while it writes holds up
 * the others for at most 2 s, then -EBUSY.
 *
 * Return: 0; -EINVAL; -EACCES; -ENOSPC if the runtime directory is full;
 * -EBUSY if another process kept the store locked.
 */
int sriovvirt_vf_write_block(struct sriovvirt_pf *pf, uint16_t vf,
			     uint32_t block_id, const void *buf, size_t length);

/**
 * sriovvirt_pf_invalidate_blocks() - IOCTL_SRIOV_INVALIDATE_BLOCK
 * @pf: the handle
 * @vf: an enabled VF, or SRIOVVIRT_ALL_VFS for every enabled VF
 * @mask: bit n asks the VF side to re-read block n (IDs 0..63); not 0
 *
 * ORs @mask into each VF's pending mask and wakes its waiters.
 *
 * Return: 0; -EINVAL (also for @mask 0, or SRIOVVIRT_ALL_VFS with no VFs);
 * -EACCES; -ENOSPC.
 */
int sriovvirt_pf_invalidate_blocks(struct sriovvirt_pf *pf, uint16_t vf,
				   uint64_t mask);

/**
 * sriovvirt_pf_watch_blocks() - learn of the VF side's block writes
 * @pf: the handle
 * @ret_fd: a descriptor, owned by the handle, that polls readable (POLLIN)
 *          when the VF side may have written a block
 *
 * What the PF driver's WriteVfConfigBlock callback tells it on Windows:
 * after POLLIN, call sriovvirt_pf_next_block_write() until -EAGAIN. Only
 * writes made while the PF is watched are reported (the blocks themselves
 * are always in the store). Watching again returns the same descriptor.
 *
 * Return: 0; -EINVAL; -EACCES; -ENOMEM; -EMFILE.
 */
int sriovvirt_pf_watch_blocks(struct sriovvirt_pf *pf, int *ret_fd);

/**
 * sriovvirt_pf_next_block_write() - the next block the VF side wrote
 * @pf: a handle with a block watch
 * @ret_vf: the VF
 * @ret_block_id: the block
 *
 * Never blocks. If the kernel dropped notifications (its inotify queue
 * overflowed), @ret_vf is SRIOVVIRT_ALL_VFS and @ret_block_id 0: re-read
 * every block of interest.
 *
 * Return: 0; -EAGAIN if none is pending; -EBUSY if the PF is not watched.
 */
int sriovvirt_pf_next_block_write(struct sriovvirt_pf *pf, uint16_t *ret_vf,
				  uint32_t *ret_block_id);

/**
 * sriovvirt_pf_unwatch_blocks() - stop watching, close the descriptor
 * @pf: the handle
 *
 * Return: 0; -EBUSY if the PF is not watched; -EINVAL.
 */
int sriovvirt_pf_unwatch_blocks(struct sriovvirt_pf *pf);

/* ------------------------------------------------------------------------ */
/* VPCI_INTERFACE_STANDARD: the VF side of the backchannel                  */
/* ------------------------------------------------------------------------ */

struct sriovvirt_vpci;

/**
 * sriovvirt_vpci_open() - the VF side of one VF's blocks
 * @ctx: the context (its runtime directory holds the store)
 * @pf_name: the PF, a PCI address or a network interface name
 * @vf: an enabled VF of that PF
 * @ret: the new handle, reference count 1
 *
 * What the guest's VPCI bus gives a VF driver on Windows, for whoever holds
 * the VF here (a VMM relaying for its guest, a test): read and write the
 * VF's blocks, and wait for the PF side's invalidations.
 *
 * Return: 0; -EINVAL for a bad argument or a VF that is not enabled;
 * -ENODEV; -EOPNOTSUPP if @pf_name is not an SR-IOV PF; -EACCES; -ENOMEM.
 */
int sriovvirt_vpci_open(struct sriovvirt_ctx *ctx, const char *pf_name,
			uint16_t vf, struct sriovvirt_vpci **ret);

/**
 * sriovvirt_vpci_ref() - take a reference (InterfaceReference)
 * @vpci: the handle, or NULL
 *
 * Return: @vpci.
 */
struct sriovvirt_vpci *sriovvirt_vpci_ref(struct sriovvirt_vpci *vpci);

/**
 * sriovvirt_vpci_unref() - drop a reference (InterfaceDereference)
 * @vpci: the handle, or NULL
 *
 * Frees the handle and its descriptor when the last reference goes.
 *
 * Return: NULL.
 */
struct sriovvirt_vpci *sriovvirt_vpci_unref(struct sriovvirt_vpci *vpci);

/**
 * sriovvirt_vpci_read_block() - VPCI ReadVfConfigBlock
 * @vpci: the handle
 * @block_id: the block
 * @buf: output, @size bytes
 * @size: 1..SRIOVVIRT_BLOCK_MAX_SIZE
 * @ret_length: the stored length (NULL allowed)
 *
 * Return: as sriovvirt_vf_read_block(); -EINVAL also when the VF was
 * disabled since the handle was opened.
 */
int sriovvirt_vpci_read_block(struct sriovvirt_vpci *vpci, uint32_t block_id,
			      void *buf, size_t size, size_t *ret_length);

/**
 * sriovvirt_vpci_write_block() - VPCI WriteVfConfigBlock
 * @vpci: the handle
 * @block_id: the block
 * @buf: the content
 * @length: 1..SRIOVVIRT_BLOCK_MAX_SIZE
 *
 * Replaces the block atomically and tells a PF-side watcher
 * (sriovvirt_pf_watch_blocks()).
 *
 * Return: as sriovvirt_vf_write_block().
 */
int sriovvirt_vpci_write_block(struct sriovvirt_vpci *vpci, uint32_t block_id,
			       const void *buf, size_t length);

/**
 * sriovvirt_vpci_get_serial_number() - VPCI_INTERFACE_STANDARD SerialNumber
 * @vpci: the handle
 * @ret: the low 32 bits of the VF's LUID: unique among this boot's VFs
 *       unless sysfs has created 2^32 nodes since boot
 *
 * Return: 0; -EINVAL; -ENODEV if the VF is gone.
 */
int sriovvirt_vpci_get_serial_number(struct sriovvirt_vpci *vpci,
				     uint32_t *ret);

/**
 * sriovvirt_vpci_get_fd() - a descriptor for the VF's invalidations
 * @vpci: the handle
 * @ret_fd: owned by the handle; polls readable (POLLIN) when an
 *          invalidation may be pending (it may also wake for other blocks'
 *          activity: call sriovvirt_vpci_wait_invalidate() with timeout 0)
 *
 * The descriptor also wakes when the VF goes away (then the wait fails),
 * and on the kernel's uevents about other devices.
 *
 * Return: 0; -EINVAL; -EACCES if the runtime directory is not the
 * caller's; -ENOSPC; -ENOMEM; -EMFILE.
 */
int sriovvirt_vpci_get_fd(struct sriovvirt_vpci *vpci, int *ret_fd);

/**
 * sriovvirt_vpci_wait_invalidate() - IOCTL_VPCI_INVALIDATE_BLOCK
 * @vpci: the handle
 * @timeout_ms: 0 never blocks, -1 waits for ever
 * @ret_mask: the OR of every mask invalidated since the last drain
 *
 * Returns the accumulated mask and clears it, atomically with respect to
 * other processes' invalidations: no bit is lost or reported twice.
 *
 * Return: 0; -EAGAIN (timeout 0) or -ETIMEDOUT if nothing was pending
 * (or the store stayed locked by another process until then); -EINVAL,
 * also when the VF is no longer enabled or was enabled again (-ENODEV
 * while the kernel is removing it); -EACCES; -ENOSPC;
 * -EINTR if a signal interrupted the wait.
 */
int sriovvirt_vpci_wait_invalidate(struct sriovvirt_vpci *vpci,
				   int timeout_ms, uint64_t *ret_mask);

/* ------------------------------------------------------------------------ */
/* The PF event channel: ATTACH, DETACH, NOTIFICATION, EVENT_COMPLETE       */
/* ------------------------------------------------------------------------ */

/*
 * One process, the virtualization stack, attaches to a PF. Before a
 * disruptive operation that any process of the same user starts through
 * the library (disabling VFs, unbinding or rebinding a VF's driver, a PF
 * reset, unbinding the PF's driver), the
 * attacher is sent SRIOVVIRT_EVENT_QUERY_STOP_DEVICE and answers with
 * sriovvirt_pf_complete_event(): a failure status vetoes the operation,
 * which then fails with -ECANCELED and changes nothing; success lets it go
 * on. SRIOVVIRT_EVENT_RESTART follows once the operation ended, whatever
 * its outcome. An attacher that does not answer within the context's query
 * timeout fails the operation with -ETIMEDOUT; one that exited or crashed
 * is not asked. Kernel events about the PF and its VFs reach the attacher
 * too, with codes >= 0x100 where SRIOV_PF_EVENT has no value; they are
 * reports and cannot be vetoed. There is no daemon: the attacher listens
 * on a UNIX socket in the runtime directory, and peers of another user are
 * refused (SO_PEERCRED). The attaching process's own operations are not
 * asked (it is the one doing them), nor are those of processes using
 * another runtime directory, of another user, or made without the library
 * (a write to sriov_numvfs): those reach the attacher as kernel events
 * after the fact. An attach belongs to the process that made it: children
 * it forks do not inherit it, and once it is gone nobody is asked.
 */
enum sriovvirt_pf_event_code {
	SRIOVVIRT_EVENT_QUERY_STOP_DEVICE = 0,	/* SriovEventPfQueryStopDevice */
	SRIOVVIRT_EVENT_RESTART = 1,		/* SriovEventPfRestart */
	/* 2 is SriovEventPfMaximum, reserved. Extensions: */
	SRIOVVIRT_EVENT_SURPRISE_REMOVAL = 0x100,	/* removed */
	SRIOVVIRT_EVENT_DRIVER_UNBOUND = 0x101,
	SRIOVVIRT_EVENT_DRIVER_BOUND = 0x102,
	SRIOVVIRT_EVENT_ERROR_DETECTED = 0x103,	/* AER recovery began */
	SRIOVVIRT_EVENT_RECOVERED = 0x104,
	SRIOVVIRT_EVENT_RECOVERY_FAILED = 0x105,
	SRIOVVIRT_EVENT_DEVICE_ADDED = 0x106,
	/* The kernel wants back a VF this attached handle holds through
	 * VFIO (its driver is being unbound, the device removed), and waits
	 * until sriovvirt_vf_vfio_close() lets go of it: VFIO's request
	 * IRQ. Only attachers get it. */
	SRIOVVIRT_EVENT_DEVICE_REQUEST = 0x107,
};

/* What a QUERY_STOP_DEVICE (and its RESTART) is about. */
enum sriovvirt_pf_operation {
	SRIOVVIRT_OP_NONE = 0,		/* a kernel event */
	SRIOVVIRT_OP_DISABLE = 1,	/* VFs disabled (NumVFs to 0) */
	SRIOVVIRT_OP_UNBIND_VF = 2,	/* a VF's driver unbound or replaced */
	SRIOVVIRT_OP_RESET_PF = 3,	/* sriovvirt_pf_reset() */
	SRIOVVIRT_OP_UNBIND_PF = 4,	/* sriovvirt_pf_unbind_driver() */
};

/* Fixed in size: the reserved fields are zero and may gain meanings. */
struct sriovvirt_pf_event {
	uint32_t code;		/* enum sriovvirt_pf_event_code */
	uint32_t operation;	/* enum sriovvirt_pf_operation */
	struct sriovvirt_pci_addr addr;	/* the PF or the VF concerned */
	uint16_t vf;		/* its VF index, or SRIOVVIRT_ALL_VFS (the PF) */
	int32_t pid;		/* who started the operation; 0: the kernel */
	int32_t status;		/* RESTART: the operation's result, 0 or -errno */
	uint32_t reserved[4];
};

/**
 * sriovvirt_event_name() - an event code's name
 * @code: a code
 *
 * Return: "query_stop_device", "restart", "surprise_removal",
 * "driver_unbound", "driver_bound", "error_detected", "recovered",
 * "recovery_failed", "device_added", "device_request"; NULL for an
 * unknown code.
 */
const char *sriovvirt_event_name(uint32_t code);

/**
 * sriovvirt_ctx_set_query_timeout() - how long operations ask an attacher
 * @ctx: the context
 * @timeout_ms: how long a disruptive operation waits for the attached
 *              stack's answer (default 10000); 0 does not ask at all, which
 *              is sriovctl's --force
 *
 * Return: 0; -EINVAL for a negative @timeout_ms.
 */
int sriovvirt_ctx_set_query_timeout(struct sriovvirt_ctx *ctx, int timeout_ms);

/**
 * sriovvirt_pf_reset() - function-level reset of the PF itself
 * @pf: the handle
 *
 * What Windows' PnP stop of the PF stands for, as far as an attached stack
 * is concerned: asks it first (SRIOVVIRT_OP_RESET_PF), then writes the
 * PF's sysfs reset attribute; the kernel saves and restores the PF's
 * config space and its SR-IOV state, but the VFs' own state is lost. The
 * same policy as sriovvirt_vf_reset(): refused unless every method in
 * reset_method resets the PF alone.
 *
 * Return: 0; -EOPNOTSUPP if no method resets the PF alone; -EBUSY if this
 * handle holds a VF through VFIO; -ECANCELED or -ETIMEDOUT (the attached
 * stack vetoed or did not answer; nothing was done); -EACCES; -EINVAL.
 */
int sriovvirt_pf_reset(struct sriovvirt_pf *pf);

/**
 * sriovvirt_pf_unbind_driver() - unbind the PF's own driver
 * @pf: the handle
 *
 * Asks an attached stack first (SRIOVVIRT_OP_UNBIND_PF), then unbinds the
 * PF's driver through sysfs. The driver's remove disables the PF's VFs.
 * Bind it again with the kernel's drivers_probe or the driver's bind file.
 *
 * Return: 0; -ENODATA if no driver is bound; -EBUSY if this handle holds a
 * VF through VFIO; -ECANCELED or -ETIMEDOUT; -EIO if the driver is still
 * bound afterwards; -EACCES; -EINVAL.
 */
int sriovvirt_pf_unbind_driver(struct sriovvirt_pf *pf);

/**
 * sriovvirt_pf_attach() - IOCTL_SRIOV_ATTACH
 * @pf: the handle
 * @ret_fd: a descriptor, owned by the handle, that polls readable (POLLIN)
 *          when an event may be pending: call sriovvirt_pf_next_event()
 *          until -EAGAIN
 *
 * Makes this process the PF's virtualization stack until
 * sriovvirt_pf_detach(), the handle's end or the process's exit.
 *
 * Kernel events come only from the real sysfs: below another root (a
 * fake tree) the attacher gets the library's queries alone.
 *
 * Return: 0; -EBUSY if another process (or handle) is attached, the log
 * names its PID; -EINVAL; -EACCES; -ENAMETOOLONG if the runtime directory's
 * path is too long for a socket; -EOPNOTSUPP if the root is sysfs but
 * uevents cannot be received; -ENOMEM; -EMFILE.
 */
int sriovvirt_pf_attach(struct sriovvirt_pf *pf, int *ret_fd);

/**
 * sriovvirt_pf_next_event() - IOCTL_SRIOV_NOTIFICATION, never blocking
 * @pf: an attached handle
 * @ret: the event
 *
 * Each event is delivered once. After a QUERY_STOP_DEVICE, the next
 * QUERY_STOP_DEVICE is not delivered before sriovvirt_pf_complete_event()
 * answers it; other events are.
 *
 * Return: 0; -EAGAIN if none is pending; -EBUSY if not attached; -EINVAL.
 */
int sriovvirt_pf_next_event(struct sriovvirt_pf *pf,
			    struct sriovvirt_pf_event *ret);

/**
 * sriovvirt_pf_complete_event() - IOCTL_SRIOV_EVENT_COMPLETE
 * @pf: an attached handle
 * @status: 0 lets the operation go on; a negative errno vetoes it (the
 *          initiator's call fails with -ECANCELED and logs this status)
 *
 * Answers the QUERY_STOP_DEVICE last delivered. If its initiator gave up
 * meanwhile (timeout, exit), the answer is dropped and 0 returned.
 *
 * Return: 0; -EBUSY if not attached or no query awaits an answer;
 * -EINVAL for a positive @status.
 */
int sriovvirt_pf_complete_event(struct sriovvirt_pf *pf, int status);

/**
 * sriovvirt_pf_detach() - IOCTL_SRIOV_DETACH
 * @pf: an attached handle
 *
 * An operation waiting for an answer goes on as if allowed.
 *
 * Return: 0; -EBUSY if not attached; -EINVAL.
 */
int sriovvirt_pf_detach(struct sriovvirt_pf *pf);

/**
 * sriovvirt_pf_monitor() - kernel events only, without attaching
 * @pf: the handle
 * @ret_fd: as for sriovvirt_pf_attach()
 *
 * Delivers the kernel's events about the PF and its VFs through
 * sriovvirt_pf_next_event(), as an attacher gets them, for any number of
 * observers (sriovctl monitor). A handle is attached or monitoring, not
 * both; sriovvirt_pf_detach() ends either.
 *
 * Return: 0; -EBUSY if the handle is attached; -EOPNOTSUPP without
 * uevents; -EINVAL; -ENOMEM; -EMFILE.
 */
int sriovvirt_pf_monitor(struct sriovvirt_pf *pf, int *ret_fd);

/* ------------------------------------------------------------------------ */
/* NIC VF settings: MAC, VLAN, spoof checking, trust, link state, rates     */
/* ------------------------------------------------------------------------ */

/*
 * What the PF's network driver configures for each of its VFs (on Windows,
 * the NDIS PF miniport's part), as `ip link set DEV vf N ...` sets it:
 * through rtnetlink on the PF's network interface. Only a PF bound to a
 * network driver has one.
 */

/* The VF's link state as the PF reports it to the VF (IFLA_VF_LINK_STATE). */
enum sriovvirt_vf_link_state {
	SRIOVVIRT_VF_LINK_STATE_AUTO = 0,	/* follows the PF's link */
	SRIOVVIRT_VF_LINK_STATE_ENABLE = 1,	/* always up */
	SRIOVVIRT_VF_LINK_STATE_DISABLE = 2,	/* always down */
};

/* Settings, for sriovvirt_vf_set_net()'s @which and the @valid mask. */
#define SRIOVVIRT_VF_NET_MAC		(1u << 0)	/* mac */
#define SRIOVVIRT_VF_NET_VLAN		(1u << 1)	/* vlan, qos, vlan_proto */
#define SRIOVVIRT_VF_NET_SPOOFCHK	(1u << 2)
#define SRIOVVIRT_VF_NET_TRUST		(1u << 3)
#define SRIOVVIRT_VF_NET_LINK_STATE	(1u << 4)
#define SRIOVVIRT_VF_NET_MIN_TX_RATE	(1u << 5)
#define SRIOVVIRT_VF_NET_MAX_TX_RATE	(1u << 6)
#define SRIOVVIRT_VF_NET_STATS		(1u << 7)	/* read only */

/* A VF's counters, as the PF's driver counts them. */
struct sriovvirt_vf_net_stats {
	uint64_t rx_packets;
	uint64_t tx_packets;
	uint64_t rx_bytes;
	uint64_t tx_bytes;
	uint64_t broadcast;
	uint64_t multicast;
};

/**
 * struct sriovvirt_vf_net - a VF's network settings
 * @size: set by the caller to sizeof(struct sriovvirt_vf_net); the call
 *        sets it to the bytes it filled (a growable structure, see the top)
 * @valid: SRIOVVIRT_VF_NET_* bits of the fields the driver reported
 * @mac: the VF's MAC address (all zeros: none set)
 * @vlan: the VLAN ID the PF tags the VF's traffic with, 0 for none
 * @vlan_proto: its protocol, ETH_P_8021Q (0x8100) or ETH_P_8021AD (0x88a8)
 * @qos: its 802.1p priority, 0..7
 * @spoofchk: source MAC (and VLAN) spoof checking
 * @trust: the VF may change its MAC, enter promiscuous mode, ...
 * @link_state: enum sriovvirt_vf_link_state
 * @min_tx_rate: guaranteed TX rate in Mb/s, 0 for none
 * @max_tx_rate: TX rate limit in Mb/s, 0 for none
 * @stats: the counters
 */
struct sriovvirt_vf_net {
	uint32_t size;
	uint32_t valid;
	uint8_t mac[6];
	uint16_t vlan;
	uint16_t vlan_proto;
	uint8_t qos;
	bool spoofchk;
	bool trust;
	uint32_t link_state;
	uint32_t min_tx_rate;
	uint32_t max_tx_rate;
	struct sriovvirt_vf_net_stats stats;
};

/**
 * sriovvirt_pf_get_netdev() - the PF's network interface
 * @pf: the handle
 * @buf: output, the interface's name
 * @size: the size of @buf (IFNAMSIZ, 16, is enough)
 *
 * The interfaces listed under the PF's sysfs directory, less switchdev
 * representors of its VFs (phys_port_name "pfNvfM"); of several (a
 * multi-port card), the first by name.
 *
 * Return: 0; -ENODATA if the PF has none (no network driver bound);
 * -ERANGE if the name does not fit; -EINVAL.
 */
int sriovvirt_pf_get_netdev(struct sriovvirt_pf *pf, char *buf, size_t size);

/**
 * sriovvirt_vf_get_net() - VF @vf's network settings and counters
 * @pf: the handle; its PF has a network interface
 * @vf: an enabled VF, below NumVFs
 * @ret: the settings; the caller sets @ret->size first
 *
 * One RTM_GETLINK of the PF's interface with the VF information
 * (RTEXT_FILTER_VF). Fields the driver does not report are 0 and not in
 * @ret->valid.
 *
 * Return: 0; -EINVAL for a bad argument or @vf >= NumVFs; -ENODATA if the
 * PF has no network interface, or its driver reports nothing for VFs;
 * -ENODEV if the interface vanished; -EIO.
 */
int sriovvirt_vf_get_net(struct sriovvirt_pf *pf, uint16_t vf,
			 struct sriovvirt_vf_net *ret);

/**
 * sriovvirt_vf_set_net() - set some of VF @vf's network settings
 * @pf: the handle; its PF has a network interface
 * @vf: an enabled VF, below NumVFs
 * @net: the values (@net->size and @net->valid are not looked at)
 * @which: the SRIOVVIRT_VF_NET_* settings to set from @net, at least one
 *
 * Each setting is one rtnetlink request on the PF's interface, in the
 * order MAC, VLAN, spoof checking, trust, link state, rates; the first
 * that fails ends the call (the ones before it stay set) and is named in
 * the log. The values are checked before anything is sent: a multicast
 * MAC, a VLAN above 4095, a QoS above 7, a protocol other than 802.1Q or
 * 802.1ad (0 is taken as 802.1Q), 802.1ad without a VLAN ID (a QoS without
 * one is priority tagging), an unknown link state. The
 * kernel sets both rates at once: asking for one keeps the other's
 * current value. Needs CAP_NET_ADMIN.
 *
 * Return: 0; -EINVAL for a bad argument or value, or a value the driver
 * refused (e.g. a minimum rate igb does not support); -EOPNOTSUPP if the
 * driver does not implement a setting (the log names it); -ENODATA if the
 * PF has no network interface; -EACCES without CAP_NET_ADMIN; -ENODEV;
 * -EBUSY; -EIO.
 */
int sriovvirt_vf_set_net(struct sriovvirt_pf *pf, uint16_t vf,
			 const struct sriovvirt_vf_net *net,
			 unsigned int which);

/**
 * sriovvirt_vf_net_setting_name() - a setting's name
 * @setting: one SRIOVVIRT_VF_NET_* bit
 *
 * Return: "mac", "vlan", "spoofchk", "trust", "link_state", "min_tx_rate",
 * "max_tx_rate", "stats"; NULL for anything else.
 */
const char *sriovvirt_vf_net_setting_name(unsigned int setting);

#ifdef __cplusplus
}
#endif

#endif /* SRIOVVIRT_H */
