/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Private declarations shared by the files of libsriovvirt. Nothing here is
 * part of the ABI; the unit and fixture tests link the library's objects
 * statically and may use these.
 */
#ifndef SRIOVVIRT_INTERNAL_H
#define SRIOVVIRT_INTERNAL_H

#include <linux/pci_regs.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <syslog.h>

#include "parse.h"
#include "sriovvirt.h"

#define SV_EXPORT __attribute__((visibility("default")))

/*
 * Binds @fn to a version of an exported name ("name@NODE", or "name@@NODE"
 * for the default), for names with several versions (compat.c). The symver
 * attribute where the compiler has it (GCC 10, clang 13; needed for LTO),
 * else the assembler directive.
 */
#if defined(__has_attribute)
#if __has_attribute(symver)
#define SV_HAVE_SYMVER_ATTRIBUTE 1
#endif
#endif
#ifdef SV_HAVE_SYMVER_ATTRIBUTE
#define SV_SYMVER(fn, version)                                                 \
	extern __typeof__(fn) fn __attribute__((symver(version)))
#else
#define SV_SYMVER(fn, version) __asm__(".symver " #fn ", " version)
#endif
#define SV_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define SV_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The public names of pci_regs.h values, which the header cannot include. */
_Static_assert(SRIOVVIRT_CONFIG_SPACE_SIZE == PCI_CFG_SPACE_EXP_SIZE,
	       "config space size");
_Static_assert(SRIOVVIRT_NUM_BARS == PCI_STD_NUM_BARS &&
	       SRIOVVIRT_NUM_BARS == PCI_SRIOV_NUM_BARS, "BAR count");

/*
 * A PF's sysfs resource lines 7..12 are its VF BAR apertures (the kernel's
 * PCI_IOV_RESOURCES, which no UAPI header exports).
 */
#define SV_IOV_RESOURCE_FIRST 7

/* How long a disruptive operation waits for an attached stack's answer. */
#define SV_QUERY_TIMEOUT_MS 10000

/* A sysfs attribute is at most one page; the library reads none longer. */
#define SV_ATTR_MAX 4096

/* ------------------------------------------------------------------------ */
/* The I/O seam                                                             */
/* ------------------------------------------------------------------------ */

typedef int (*sv_dir_fn)(void *userdata, const char *name);

/*
 * The context's sysfs operations: every system call the library makes on a
 * sysfs tree goes through these, so a test can stand in for the kernel and
 * inject any answer (partial enables, a driver's refusal, a failure of any
 * call). sysfs-backend.c has the real ones and is the only file that makes
 * these calls. Paths are relative to @dirfd (AT_FDCWD for absolute ones).
 * Each returns what its system call returns, with -errno instead of -1.
 *
 * attr_read and attr_write are one attribute access, open to close: a read
 * of at most @size bytes, a single write of @value. They are operations of
 * their own so that a test can answer for a named attribute as a driver
 * would; the real ones are built from open, read/write and close.
 */
struct sv_sysfs_ops {
	int (*open)(void *data, int dirfd, const char *path, int flags);
	int (*close)(void *data, int fd);
	ssize_t (*read)(void *data, int fd, void *buf, size_t len);
	ssize_t (*write)(void *data, int fd, const void *buf, size_t len);
	ssize_t (*pread)(void *data, int fd, void *buf, size_t len, off_t off);
	ssize_t (*pwrite)(void *data, int fd, const void *buf, size_t len,
			  off_t off);
	ssize_t (*readlink)(void *data, int dirfd, const char *path, char *buf,
			    size_t size);
	/* fstatat(2); path "" with AT_EMPTY_PATH stats @dirfd itself. */
	int (*stat)(void *data, int dirfd, const char *path, struct stat *st,
		    int flags);
	int (*flock)(void *data, int fd, int operation);
	/* Calls @fn for each entry of a directory but "." and ".."; stops
	 * at the first non-zero return of @fn and returns it. */
	int (*read_dir)(void *data, int dirfd, const char *path, sv_dir_fn fn,
			void *userdata);
	/* fstatfs(2)'s f_type of the file system that holds @fd. */
	int (*fs_magic)(void *data, int fd, unsigned long *ret);
	/* inotify_init1(IN_NONBLOCK | IN_CLOEXEC), inotify_add_watch(2); the
	 * events are drained with read. */
	int (*watch_init)(void *data);
	int (*watch_add)(void *data, int fd, const char *path, uint32_t mask);
	/* poll(2) on the watch and the uevent socket. */
	int (*poll)(void *data, struct pollfd *fds, unsigned int n,
		    int timeout_ms);
	/* eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), epoll_create1(EPOLL_CLOEXEC)
	 * and adding @fd to it for EPOLLIN: the pollable descriptor of a
	 * mitigation watch. */
	int (*eventfd)(void *data);
	int (*epoll_new)(void *data);
	int (*epoll_add)(void *data, int epoll_fd, int fd);
	/* ioctl(2), for VFIO's /dev/vfio nodes and device fds: the result
	 * (an fd, a count) or -errno. */
	int (*ioctl)(void *data, int fd, unsigned long request, void *arg);
	ssize_t (*attr_read)(void *data, int dirfd, const char *name, char *buf,
			     size_t size);
	int (*attr_write)(void *data, int dirfd, const char *name,
			  const char *value);
};

extern const struct sv_sysfs_ops sv_sysfs_backend;

struct pci_access;
struct udev;

struct sriovvirt_ctx {
	int refcount;
	char *sysfs_root;
	char *runtime_dir;
	sriovvirt_log_fn log_fn;
	void *log_data;
	int log_priority;
	const struct sv_sysfs_ops *sys;
	void *sys_data;
	struct pci_access *pacc;	/* lazily, for pci.ids names */
	struct udev *udev;		/* lazily, for kernel uevents */
	struct sv_uevent_hub *uevents;	/* while anything waits or watches */
	int query_timeout_ms;		/* asking an attached stack */
};

/* ctx.c: tests swap the sysfs operations (NULL: the real ones). */
void sv_ctx_set_sysfs_ops(struct sriovvirt_ctx *ctx,
			  const struct sv_sysfs_ops *ops, void *data);

struct sriovvirt_pf;
struct sv_vf_slot;
struct sv_mitigation_watch;
struct sv_block_watch;
struct sv_events;

/*
 * The per-VF accessor: how one VF's config space is read and written and
 * how it is reset. Chosen per VF when its slot is opened: sysfs (the VF's
 * config and reset files) for now, the VF's VFIO device later. Offsets and
 * lengths are checked by the caller; read and write return the bytes done
 * or -errno, and -ENODEV when the VF behind an open slot is gone.
 */
struct sv_vf_backend {
	const char *name;
	/* A slot that lost its VF (-ENODEV) may open the new one at its
	 * index; VFIO's may not: its user opened that very device. */
	bool reopens;
	int (*open)(struct sriovvirt_pf *pf, uint16_t vf, bool write,
		    struct sv_vf_slot *slot);
	ssize_t (*read)(struct sriovvirt_pf *pf, struct sv_vf_slot *slot,
			void *buf, size_t len, uint32_t offset);
	ssize_t (*write)(struct sriovvirt_pf *pf, struct sv_vf_slot *slot,
			 const void *buf, size_t len, uint32_t offset);
	/* Size of the VF's config space: 256 or 4096. */
	uint16_t (*size)(const struct sv_vf_slot *slot);
	/* Resets the VF whose sysfs directory is @vf_dirfd (the one the
	 * caller checked); @slot may be closed. -ENODEV if it is gone. */
	int (*reset)(struct sriovvirt_pf *pf, uint16_t vf, int vf_dirfd,
		     struct sv_vf_slot *slot);
	void (*close)(struct sriovvirt_pf *pf, struct sv_vf_slot *slot);
};

extern const struct sv_vf_backend sv_vf_sysfs;

extern const struct sv_vf_backend sv_vf_vfio;

/* Per-VF state a PF handle keeps. */
struct sv_vf_slot {
	const struct sv_vf_backend *backend;	/* NULL while closed */
	int fd;			/* sysfs: the config file */
	bool writable;
	uint16_t config_size;
	struct sv_vfio_dev *vfio;	/* VFIO: the open device */
};

/* What every VF of a PF shares, read once per handle (vf.c). */
struct sv_vf_common {
	bool valid;
	uint16_t vendor_id;	/* the PF's */
	uint16_t device_id;	/* sriov_vf_device */
	uint16_t offset;	/* sriov_offset, sriov_stride: NumVFs may */
	uint16_t stride;	/* change them, see sv_vf_common_get() */
};

/*
 * cancel.c: IoCancelIrp for a pended Windows-shaped request; the cancel
 * may come from a signal handler or another thread, and is kept until a
 * pended request takes it.
 */
struct sv_cancel {
	atomic_int requested;
	atomic_int fd;		/* an eventfd, -1 until a request waited */
};

void sv_cancel_init(struct sv_cancel *c);
void sv_cancel_fini(struct sv_cancel *c);
void sv_cancel_request(struct sv_cancel *c);
/* Waits until @fd is readable (0) or the request is cancelled, by a
 * cancel or by a signal (-ECANCELED). */
int sv_cancel_poll(struct sv_cancel *c, int fd);
/* -ECANCELED, once, if a cancel came; 0 otherwise. */
int sv_cancel_check(struct sv_cancel *c);
/* How long a cancellable wait waits for a lock before it looks again. */
#define SV_CANCEL_SLICE_MS 100
/* vpci.c: a VPCI handle's canceller, and its wait, which @cancel (NULL
 * for none; then any @timeout_ms, else only -1) also ends. */
struct sv_cancel *sv_vpci_cancel(struct sriovvirt_vpci *vpci);
/* 0 if the handle's store is usable (created if needed); -EACCES,
 * explained, for another user's runtime directory. */
int sv_vpci_check_store(struct sriovvirt_vpci *vpci);
int sv_vpci_wait(struct sriovvirt_vpci *vpci, int timeout_ms,
		 struct sv_cancel *cancel, uint64_t *ret_mask);

struct sriovvirt_pf {
	int refcount;
	struct sriovvirt_ctx *ctx;
	struct sriovvirt_pci_addr addr;
	char name[SRIOVVIRT_PCI_ADDR_BUFSIZE];
	char *root;			/* the sysfs root it was opened in */
	int dirfd;			/* O_PATH, the PF's sysfs directory */
	char *path;			/* the same directory, for inotify */
	struct sv_vf_slot *vfs;		/* nr_vf_slots entries, lazily */
	unsigned int nr_vf_slots;
	struct sv_vf_common common;
	struct sv_mitigation_watch *watch;	/* NULL until watched */
	int run_dirfd;			/* runtime-dir/ADDR, -1 until used */
	struct sv_block_watch *block_watch;	/* NULL until watched */
	struct sv_events *events;	/* NULL until attached or monitoring */
	struct sv_pcivirt *pcivirt;	/* NULL until a pended Windows request */
	struct sv_cancel cancel;	/* sriovvirt_pf_cancel_io() */
};

/*
 * Growable structures (sriovvirt.h): a uint32_t size first, set by the
 * caller. sv_sized_ok() checks it against the structure's first released
 * size; sv_sized_fill() copies what fits and sets size to what it copied.
 */
#define SV_SIZE_THROUGH(type, field)                                           \
	((uint32_t)(offsetof(type, field) + sizeof(((type *)0)->field)))

bool sv_sized_ok(const void *dst, uint32_t min_size);
void sv_sized_fill(void *dst, const void *src, uint32_t src_size);

/* ------------------------------------------------------------------------ */
/* Logging                                                                  */
/* ------------------------------------------------------------------------ */

/* Through the context's log function, never to a stream. */
void sv_log_write(struct sriovvirt_ctx *ctx, int priority, const char *file,
		  int line, const char *fn, const char *format, ...)
	SV_PRINTF(6, 7);

static inline bool sv_log_enabled(const struct sriovvirt_ctx *ctx, int priority)
{
	return ctx && ctx->log_fn && priority <= ctx->log_priority;
}

#define sv_log(ctx, prio, ...)                                                 \
	do {                                                                   \
		if (sv_log_enabled(ctx, prio))                                 \
			sv_log_write(ctx, prio, __FILE__, __LINE__, __func__,  \
				     __VA_ARGS__);                             \
	} while (0)

#define sv_err(ctx, ...) sv_log(ctx, LOG_ERR, __VA_ARGS__)
#define sv_warn(ctx, ...) sv_log(ctx, LOG_WARNING, __VA_ARGS__)
#define sv_dbg(ctx, ...) sv_log(ctx, LOG_DEBUG, __VA_ARGS__)

/* ------------------------------------------------------------------------ */
/* Pure code: no I/O (unit-tested and fuzzed)                               */
/* ------------------------------------------------------------------------ */

/* addr.c: field by field (the structure has padding). */
bool sv_pci_addr_equal(const struct sriovvirt_pci_addr *a,
		       const struct sriovvirt_pci_addr *b);

/* Config space is little endian. */
static inline uint16_t sv_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t sv_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* capwalk.c: capability walks over a config-space image. */
int sv_find_ext_cap(const uint8_t *cfg, size_t len, uint16_t cap_id,
		    uint16_t *ret_offset);
int sv_find_std_cap(const uint8_t *cfg, size_t len, uint8_t cap_id,
		    uint8_t *ret_offset);
int sv_decode_sriov_cap(const uint8_t *cfg, size_t len, uint16_t offset,
			struct sriovvirt_sriov_info *ret);

/* rid.c: routing-ID math, the only place it is done. */
uint32_t sv_routing_id(const struct sriovvirt_pci_addr *a);
/* VF @vf's address; -EIO for impossible registers, -ERANGE past bus 255. */
int sv_vf_location(const struct sriovvirt_pci_addr *pf, uint16_t vf_offset,
		   uint16_t vf_stride, uint16_t vf, struct sriovvirt_pci_addr *ret);
/* The index the formula gives @vf_addr; -ENOENT if it gives none. */
int sv_vf_index(const struct sriovvirt_pci_addr *pf, uint16_t vf_offset,
		uint16_t vf_stride, const struct sriovvirt_pci_addr *vf_addr,
		uint16_t *ret);
/* Buses past the PF's own that VF @total_vfs - 1 needs (GetResources). */
uint8_t sv_captured_buses(const struct sriovvirt_pci_addr *pf,
			  uint16_t vf_offset, uint16_t vf_stride,
			  uint16_t total_vfs);

/* bar-math.c: BAR shapes and probed values. */
struct sv_bar_shape {
	uint64_t size;		/* 0: not implemented */
	uint8_t type;		/* enum sriovvirt_bar_type */
	bool prefetchable;
};

struct sv_bar_shape sv_bar_shape_of(const struct sv_resource *res);
int sv_probed_bars(const struct sv_bar_shape *shapes,
		   uint32_t ret[SRIOVVIRT_NUM_BARS]);

/* ------------------------------------------------------------------------ */
/* sysfs.c: helpers on the seam                                             */
/* ------------------------------------------------------------------------ */

int sv_open(struct sriovvirt_ctx *ctx, int dirfd, const char *path, int flags);
void sv_close(struct sriovvirt_ctx *ctx, int fd);
/* 0 if @path exists below @dirfd (the link itself with @nofollow). */
int sv_exists(struct sriovvirt_ctx *ctx, int dirfd, const char *path,
	      bool nofollow);
int sv_stat(struct sriovvirt_ctx *ctx, int dirfd, const char *path,
	    struct stat *st, int flags);
/* Reads an attribute as a NUL-terminated string; returns its length. */
ssize_t sv_attr_read(struct sriovvirt_ctx *ctx, int dirfd, const char *name,
		     char *buf, size_t size);
int sv_attr_write(struct sriovvirt_ctx *ctx, int dirfd, const char *name,
		  const char *value);
/* A numeric attribute; -EIO if it is not one. */
int sv_attr_read_uint(struct sriovvirt_ctx *ctx, int dirfd, const char *name,
		      unsigned int base, uint64_t max, uint64_t *ret);
/* The last component of a symlink's target, e.g. the driver's name. */
int sv_read_link(struct sriovvirt_ctx *ctx, int dirfd, const char *name,
		 char *buf, size_t size);
/* A symlink whose last component is a PCI address. */
int sv_read_link_addr(struct sriovvirt_ctx *ctx, int dirfd, const char *name,
		      struct sriovvirt_pci_addr *ret);
int sv_read_resources(struct sriovvirt_ctx *ctx, int dirfd,
		      struct sv_resource *res, size_t max, size_t *ret_count);
/* ROOT/bus/pci/devices/ADDR as an O_PATH fd; -ENODEV if absent. */
int sv_dev_open_dir(struct sriovvirt_ctx *ctx, const char *root,
		    const struct sriovvirt_pci_addr *addr, int *ret_fd);
int sv_read_config(struct sriovvirt_ctx *ctx, int dirfd, uint8_t *buf,
		   size_t size, size_t *ret_len);
int sv_fs_is_sysfs(struct sriovvirt_ctx *ctx, int fd, bool *ret);

/* ------------------------------------------------------------------------ */
/* pf.c: PF helpers every operation shares                                  */
/* ------------------------------------------------------------------------ */

int sv_pf_num_vfs(struct sriovvirt_pf *pf, uint16_t *ret);
int sv_pf_total_vfs(struct sriovvirt_pf *pf, uint16_t *ret);
int sv_pf_read_config(struct sriovvirt_pf *pf, uint8_t *buf, size_t size,
		      size_t *ret_len);
int sv_pf_sriov_cap(struct sriovvirt_pf *pf, uint16_t *ret_offset,
		    uint8_t *cfg, size_t *ret_len);
int sv_pf_sriov_info(struct sriovvirt_pf *pf, struct sriovvirt_sriov_info *ret);

/* ------------------------------------------------------------------------ */
/* vf.c: the VF layer                                                       */
/* ------------------------------------------------------------------------ */

/* "virtfnN" or "virtfnN/NAME" below the PF: the one place it is formatted. */
struct sv_vf_path {
	char s[48];
};

const char *sv_vf_path(struct sv_vf_path *p, uint16_t vf, const char *name);
/* -EINVAL, with the reason logged, unless VF @vf is enabled now. */
int sv_vf_check_index(struct sriovvirt_pf *pf, uint16_t vf);
/* Why virtfnN/... was missing: -EINVAL (bad index) or -ENODEV (gone). */
int sv_vf_missing(struct sriovvirt_pf *pf, uint16_t vf);
int sv_vf_open_dir(struct sriovvirt_pf *pf, uint16_t vf, int *ret_fd);
/* The driver bound to an existing VF; -ENODATA if none. */
int sv_vf_driver(struct sriovvirt_pf *pf, uint16_t vf, char *buf, size_t size);
/* The VFs' shared facts, read once per handle; @refresh re-reads them. */
int sv_vf_common_get(struct sriovvirt_pf *pf, bool refresh,
		     const struct sv_vf_common **ret);
void sv_vf_common_forget(struct sriovvirt_pf *pf);

/* The internal accessor (vf-access.c): no policy, only the range checks
 * the backend needs. Read and write return the bytes done. */
ssize_t sv_vf_read(struct sriovvirt_pf *pf, uint16_t vf, uint32_t offset,
		   void *buf, size_t length);
ssize_t sv_vf_write(struct sriovvirt_pf *pf, uint16_t vf, uint32_t offset,
		    const void *buf, size_t length);
int sv_vf_reset(struct sriovvirt_pf *pf, uint16_t vf, int vf_dirfd);
/* Closes every VF slot: the VF set changed or the handle goes. */
void sv_pf_close_vfs(struct sriovvirt_pf *pf);
/* -EBUSY, explained, while the VF (any VF) is open through VFIO here. */
int sv_vf_check_not_vfio(struct sriovvirt_pf *pf, uint16_t vf);
int sv_pf_check_no_vfio(struct sriovvirt_pf *pf);

/* reset.c: 0 if the function at @dirfd resets alone ("VF 3", "the PF"). */
int sv_check_reset_allowed(struct sriovvirt_pf *pf, const char *what,
			   int dirfd);

/* mitigation-watch.c: a VF's mitigated ranges may have changed. */
void sv_mitigations_changed(struct sriovvirt_pf *pf, uint16_t vf);
void sv_mitigation_watch_free(struct sriovvirt_pf *pf);
/* Takes VF @vf off a watched PF's pending set, true if it was there, and
 * leaves the descriptor unsignalled for the others until
 * sv_mitigation_resignal(): a wait for one VF must not spin on them. */
bool sv_mitigation_take(struct sriovvirt_pf *pf, uint16_t vf);
void sv_mitigation_resignal(struct sriovvirt_pf *pf);
/* Makes room for VF @vf's slot; -EINVAL (explained) for a bad index. */
int sv_vf_slot_reserve(struct sriovvirt_pf *pf, uint16_t vf);
/* Closes VF @vf's slot: its driver is about to change. */
void sv_vf_close(struct sriovvirt_pf *pf, uint16_t vf);

/* ------------------------------------------------------------------------ */
/* The rest                                                                 */
/* ------------------------------------------------------------------------ */

/* vfio.c: a VF's VFIO device (group/container API). */
struct sv_vfio_region {
	uint64_t offset;	/* in the device fd */
	uint64_t size;
	uint32_t flags;		/* VFIO_REGION_INFO_FLAG_* */
};

struct sv_vfio_dev {
	int container_fd;
	int group_fd;
	int device_fd;
	int req_fd;		/* the request IRQ's eventfd, for an attacher */
	unsigned int group;
	uint32_t flags;		/* VFIO_DEVICE_FLAGS_* */
	uint32_t num_regions;
	uint32_t num_irqs;
	/* BAR0..5, ROM, config, VGA: vfio-pci's fixed indexes. */
	struct sv_vfio_region regions[9];
};

int sv_vfio_open_dev(struct sriovvirt_pf *pf, uint16_t vf, const char *token,
		     struct sv_vfio_dev **ret);
void sv_vfio_close_dev(struct sriovvirt_ctx *ctx, struct sv_vfio_dev *dev);
static inline bool sv_vf_is_vfio(const struct sriovvirt_pf *pf, uint16_t vf)
{
	return vf < pf->nr_vf_slots && pf->vfs[vf].backend == &sv_vf_vfio;
}

/* The open VFIO device of VF @vf; -EBUSY (explained) if there is none. */
int sv_vfio_get_region(struct sriovvirt_pf *pf, uint16_t vf, uint32_t index,
		       struct sriovvirt_vfio_region *ret);
int sv_vf_vfio_dev(struct sriovvirt_pf *pf, uint16_t vf,
		   struct sv_vfio_dev **ret);

/* runtime-dir.c: the rules of sriovvirt_ctx_set_runtime_dir(). */
/* 0 if @path is absent or a directory the library may use. */
int sv_runtime_dir_check(struct sriovvirt_ctx *ctx, const char *path);
/* Creates the context's runtime directory if needed and opens it. */
int sv_runtime_dir_open(struct sriovvirt_ctx *ctx, int *ret_fd);
/* runtime-dir/ADDR for this PF, created if needed; the handle owns it. */
int sv_pf_runtime_dir(struct sriovvirt_pf *pf, int *ret_fd);

/* blocks.c: the config-block store, shared by the PF side and vpci.c. */
enum sv_block_side { SV_BLOCK_PF, SV_BLOCK_VF };
int sv_block_read(struct sriovvirt_pf *pf, uint16_t vf, uint64_t luid,
		  uint32_t id, void *buf, size_t size, size_t *ret_length);
int sv_block_write(struct sriovvirt_pf *pf, uint16_t vf, uint64_t luid,
		   uint32_t id, const void *buf, size_t length,
		   enum sv_block_side side);
/* Drains VF @vf's pending invalidation mask (0 if none); waits at most
 * @timeout_ms for the store's lock (-EBUSY). */
int sv_block_drain(struct sriovvirt_pf *pf, uint16_t vf, uint64_t luid,
		   int timeout_ms, uint64_t *ret_mask);
/* How long a store operation waits for another process's lock. */
#define SV_STORE_LOCK_MS 2000
/* The store's lock (blocks.c), waited for at most @timeout_ms. */
int sv_store_lock(struct sriovvirt_pf *pf, int dirfd, int timeout_ms,
		  int *ret_fd);
/* Removes every block and mask of the PF's store: its VFs are gone. */
void sv_block_forget_vfs(struct sriovvirt_pf *pf);
/* The VF's current LUID; -EINVAL (explained) unless it is enabled. */
int sv_block_vf_luid(struct sriovvirt_pf *pf, uint16_t vf, uint64_t *ret);
/* The name of VF @vf's mask file, for the VF side's inotify filter. */
void sv_block_mask_name(char *buf, size_t size, uint16_t vf, uint64_t luid);
void sv_block_watch_free(struct sriovvirt_pf *pf);
/* events.c */
void sv_events_free(struct sriovvirt_pf *pf);
/* events-query.c: false only if @pid is certainly gone (ESRCH). */
bool sv_process_alive(pid_t pid);
/* VF @vf was opened through VFIO: an attacher hears its request IRQ. */
void sv_events_vfio_opened(struct sriovvirt_pf *pf, uint16_t vf);
/*
 * events-query.c: asks the PF's attached stack before a disruptive
 * operation on VF @vf (SRIOVVIRT_ALL_VFS: the PF). 0 lets it go on, with
 * *@ret_fd to pass to sv_pf_query_done() with the operation's result
 * afterwards (-1 if nobody was asked); -ECANCELED (vetoed) or -ETIMEDOUT,
 * explained, stop it.
 */
int sv_pf_query_stop(struct sriovvirt_pf *pf, uint32_t operation,
		     uint16_t vf, int *ret_fd);
void sv_pf_query_done(int fd, int result);

/* netdev.c: the RTM_NEWLINK change of one VF setting, for the tests to see
 * the bytes libnl makes of it (an rtnl_link; only netdev.c includes libnl). */
struct rtnl_link;
int sv_netdev_build_change(uint16_t vf, const struct sriovvirt_vf_net *net,
			   unsigned int setting, struct rtnl_link **ret);

/* pcivirt-ioctl.c: the Windows-shaped layer's state in a PF handle. */
void sv_pcivirt_free(struct sriovvirt_pf *pf);
/* events.c: true while @pf is attached (not only monitoring). */
bool sv_events_attached(const struct sriovvirt_pf *pf);
/* sriovvirt_pf_complete_event(), but 0 when no query awaits an answer. */
int sv_events_complete_quiet(struct sriovvirt_pf *pf, int status);
/* The descriptor sriovvirt_pf_attach() or _monitor() returned; -1 if none. */
int sv_events_fd(const struct sriovvirt_pf *pf);

/* wait.c */
int sv_monotonic_ms(int64_t *ret);
/* Milliseconds to @deadline: -1 when @timeout_ms is -1 (no limit), 0 once
 * it passed (or the clock failed). */
int sv_remaining_ms(int64_t deadline, int timeout_ms);
int sv_pf_wait_vfs(struct sriovvirt_pf *pf, uint16_t num_vfs, int timeout_ms);

/*
 * udev.c: kernel uevents; the only file that includes libudev. A context
 * has one monitor, made at its first use and kept until the context goes:
 * sv_uevents_get() before polling sv_uevents_fd(), sv_uevents_put() after
 * (a first user after none finds the backlog discarded). When it is readable,
 * sv_uevents_dispatch() hands every queued event to every subscriber, so
 * a watch whose own descriptor must wake subscribes and signals itself.
 */
struct sv_uevent {
	char name[32];		/* the device, e.g. "0000:01:00.0" */
	char action[16];	/* add, remove, bind, unbind, change */
	char error_event[24];	/* change: BEGIN_RECOVERY, ... or "" */
	bool overflow;		/* events were lost; nothing else is set */
};

typedef void (*sv_uevent_fn)(void *data, const struct sv_uevent *ev);

struct sv_uevent_hub;
int sv_uevents_get(struct sriovvirt_ctx *ctx);
void sv_uevents_put(struct sriovvirt_ctx *ctx);
int sv_uevents_fd(const struct sriovvirt_ctx *ctx);
int sv_uevents_subscribe(struct sriovvirt_ctx *ctx, sv_uevent_fn fn,
			 void *data);
void sv_uevents_unsubscribe(struct sriovvirt_ctx *ctx, sv_uevent_fn fn,
			    void *data);
void sv_uevents_dispatch(struct sriovvirt_ctx *ctx);
void sv_udev_release(struct sriovvirt_ctx *ctx);

/* pci-names.c: the only file that includes libpci. */
void sv_libpci_release(struct sriovvirt_ctx *ctx);

#endif /* SRIOVVIRT_INTERNAL_H */
