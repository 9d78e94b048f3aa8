/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Private declarations shared by the files of libsriovvirt. Nothing here is
 * part of the ABI; the unit tests link the library's objects statically and
 * may use these.
 */
#ifndef SRIOVVIRT_INTERNAL_H
#define SRIOVVIRT_INTERNAL_H

#include <linux/pci_regs.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <syslog.h>

#include "parse.h"
#include "sriovvirt.h"

#define SV_EXPORT __attribute__((visibility("default")))
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

/* A sysfs attribute is at most one page; the library reads none longer. */
#define SV_ATTR_MAX 4096

/*
 * The I/O seam. Every sysfs attribute and config-space access goes through
 * these, so each operation is written once and the unit tests can stand in
 * for the kernel (partial enables, errno values no fake tree produces).
 * Return values follow read(2)/write(2) but with -errno instead of -1.
 */
struct sv_io_ops {
	ssize_t (*attr_read)(void *data, int dirfd, const char *name, char *buf,
			     size_t size);
	int (*attr_write)(void *data, int dirfd, const char *name,
			  const char *value);
	ssize_t (*cfg_read)(void *data, int fd, void *buf, size_t len, off_t off);
	ssize_t (*cfg_write)(void *data, int fd, const void *buf, size_t len,
			     off_t off);
};

extern const struct sv_io_ops sv_sysfs_io;

struct pci_access;
struct udev;

struct sriovvirt_ctx {
	int refcount;
	char *sysfs_root;
	char *runtime_dir;
	sriovvirt_log_fn log_fn;
	void *log_data;
	int log_priority;
	const struct sv_io_ops *io;
	void *io_data;
	struct pci_access *pacc;	/* lazily, for pci.ids names */
	struct udev *udev;		/* lazily, for kernel uevents */
};

/* Per-VF state a PF handle keeps: the open config file. */
struct sv_vf_slot {
	int config_fd;		/* -1 when not open */
	bool config_rw;		/* opened O_RDWR */
	uint16_t config_size;	/* the file's size: 256 or 4096 on sysfs */
};

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
};

/* Logging: through the context's log function, never to a stream. */
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

/* ctx.c: tests swap the I/O backend. */
void sv_ctx_set_io(struct sriovvirt_ctx *ctx, const struct sv_io_ops *io,
		   void *data);

/* capwalk.c: capability walks over a config-space image (pure; fuzzed). */
int sv_find_ext_cap(const uint8_t *cfg, size_t len, uint16_t cap_id,
		    uint16_t *ret_offset);
int sv_find_std_cap(const uint8_t *cfg, size_t len, uint8_t cap_id,
		    uint8_t *ret_offset);
int sv_decode_sriov_cap(const uint8_t *cfg, size_t len, uint16_t offset,
			struct sriovvirt_sriov_info *ret);

/* rid.c: routing-ID math, the only place it is done (pure; fuzzed). */
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

/* bar-math.c: BAR shapes and probed values (pure; fuzzed). */
struct sv_bar_shape {
	uint64_t size;		/* 0: not implemented */
	uint8_t type;		/* enum sriovvirt_bar_type */
	bool prefetchable;
};

struct sv_bar_shape sv_bar_shape_of(const struct sv_resource *res);
int sv_probed_bars(const struct sv_bar_shape *shapes,
		   uint32_t ret[SRIOVVIRT_NUM_BARS]);

/* sysfs.c: attribute I/O relative to a directory fd, through ctx->io. */
ssize_t sv_attr_read(struct sriovvirt_ctx *ctx, int dirfd, const char *name,
		     char *buf, size_t size);
int sv_attr_write(struct sriovvirt_ctx *ctx, int dirfd, const char *name,
		  const char *value);
int sv_attr_read_uint(struct sriovvirt_ctx *ctx, int dirfd, const char *name,
		      unsigned int base, uint64_t max, uint64_t *ret);
int sv_attr_read_link(int dirfd, const char *name, char *buf, size_t size);
int sv_read_resources(struct sriovvirt_ctx *ctx, int dirfd,
		      struct sv_resource *res, size_t max, size_t *ret_count);
int sv_dev_open_dir(struct sriovvirt_ctx *ctx,
		    const struct sriovvirt_pci_addr *addr, int *ret_fd);
int sv_read_config(struct sriovvirt_ctx *ctx, int dirfd, uint8_t *buf,
		   size_t size, size_t *ret_len);

/* pf.c: helpers every VF operation shares. */
int sv_pf_num_vfs(struct sriovvirt_pf *pf, uint16_t *ret);
int sv_pf_check_vf(struct sriovvirt_pf *pf, uint16_t vf);
int sv_pf_open_vf_dir(struct sriovvirt_pf *pf, uint16_t vf, int *ret_fd);
int sv_pf_read_config(struct sriovvirt_pf *pf, uint8_t *buf, size_t size,
		      size_t *ret_len);
int sv_pf_sriov_cap(struct sriovvirt_pf *pf, uint16_t *ret_offset,
		    uint8_t *cfg, size_t *ret_len);

/* vf-config.c: the per-VF file cache. */
void sv_pf_close_vf_files(struct sriovvirt_pf *pf);

/* wait.c */
int sv_monotonic_ms(int64_t *ret);

/* udev.c: kernel uevents; the only file that includes libudev. */
struct sv_uevent_monitor;
int sv_uevent_monitor_new(struct sriovvirt_ctx *ctx,
			  struct sv_uevent_monitor **ret);
int sv_uevent_monitor_fd(const struct sv_uevent_monitor *m);
void sv_uevent_monitor_drain(struct sv_uevent_monitor *m);
void sv_uevent_monitor_free(struct sv_uevent_monitor *m);
void sv_udev_release(struct sriovvirt_ctx *ctx);

/* pci-names.c: the only file that includes libpci. */
void sv_libpci_release(struct sriovvirt_ctx *ctx);

#endif /* SRIOVVIRT_INTERNAL_H */
