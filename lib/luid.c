// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * LUIDs (QueryLuid, QueryVfLuid, QueryLuidVf, PROXY_QUERY_LUID). Linux has no
 * locally-unique-ID service, but sysfs numbers every node it ever creates:
 * kernfs gives each node a 64-bit id, (wrap count << 32) | a number from a
 * cyclic allocator starting at 1, and reports it as the inode number on
 * 64-bit kernels (fs/kernfs/dir.c __kernfs_new_node, kernfs_create_root). The
 * device directory's inode number is therefore unique for this boot, stable
 * while the device exists, and never handed to another device: exactly the
 * contract of a LUID, with no registry, no daemon and no privilege.
 */

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "internal.h"

SV_EXPORT uint64_t sriovvirt_luid_to_u64(struct sriovvirt_luid luid)
{
	return (uint64_t)(uint32_t)luid.high_part << 32 | luid.low_part;
}

SV_EXPORT struct sriovvirt_luid sriovvirt_luid_from_u64(uint64_t value)
{
	return (struct sriovvirt_luid){
		.low_part = (uint32_t)value,
		.high_part = (int32_t)(uint32_t)(value >> 32),
	};
}

static struct sriovvirt_luid luid_of(const struct stat *st)
{
	return sriovvirt_luid_from_u64((uint64_t)st->st_ino);
}

SV_EXPORT int sriovvirt_pf_get_luid(struct sriovvirt_pf *pf,
				    struct sriovvirt_luid *ret)
{
	struct stat held, now;
	int r;

	if (!pf || !ret)
		return -EINVAL;
	r = sv_stat(pf->ctx, pf->dirfd, "", &held, AT_EMPTY_PATH);
	if (r == 0)
		r = sv_stat(pf->ctx, AT_FDCWD, pf->path, &now, 0);
	if (r < 0 && r != -ENOENT)
		return r;
	/* A handle on a PF that was removed and added again is stale. */
	if (r == -ENOENT || held.st_ino != now.st_ino ||
	    held.st_dev != now.st_dev) {
		sv_err(pf->ctx, "%s: the PF this handle was opened on is gone",
		       pf->name);
		return -ENODEV;
	}
	*ret = luid_of(&held);
	return 0;
}

static int stat_vf(struct sriovvirt_pf *pf, uint16_t vf, struct stat *st)
{
	struct sv_vf_path path;

	return sv_stat(pf->ctx, pf->dirfd, sv_vf_path(&path, vf, NULL), st, 0);
}

SV_EXPORT int sriovvirt_vf_get_luid(struct sriovvirt_pf *pf, uint16_t vf,
				    struct sriovvirt_luid *ret)
{
	struct stat st;
	int r;

	if (!pf || !ret)
		return -EINVAL;
	r = stat_vf(pf, vf, &st);
	if (r == -ENOENT)
		return sv_vf_missing(pf, vf);
	if (r < 0)
		return r;
	*ret = luid_of(&st);
	return 0;
}

SV_EXPORT int sriovvirt_pf_find_vf_by_luid(struct sriovvirt_pf *pf,
					   struct sriovvirt_luid luid,
					   uint16_t *ret_vf)
{
	uint64_t wanted = sriovvirt_luid_to_u64(luid);
	uint16_t num_vfs, vf;
	struct stat st;
	int r;

	if (!pf || !ret_vf)
		return -EINVAL;
	r = sv_pf_num_vfs(pf, &num_vfs);
	if (r < 0)
		return r;
	for (vf = 0; vf < num_vfs; vf++) {
		r = stat_vf(pf, vf, &st);
		if (r == -ENOENT)
			continue;	/* disabled meanwhile */
		if (r < 0)
			return r;
		if ((uint64_t)st.st_ino == wanted) {
			*ret_vf = vf;
			return 0;
		}
	}
	sv_err(pf->ctx, "%s: no enabled VF has LUID %#llx", pf->name,
	       (unsigned long long)wanted);
	return -ENODEV;
}

SV_EXPORT int sriovvirt_query_luid(struct sriovvirt_ctx *ctx,
				   const struct sriovvirt_pci_addr *addr,
				   struct sriovvirt_luid *ret)
{
	struct stat st;
	int fd, r;

	if (!ctx || !addr || !ret)
		return -EINVAL;
	r = sv_dev_open_dir(ctx, ctx->sysfs_root, addr, &fd);
	if (r < 0)
		return r;
	r = sv_stat(ctx, fd, "", &st, AT_EMPTY_PATH);
	sv_close(ctx, fd);
	if (r < 0)
		return r == -ENOENT ? -ENODEV : r;
	*ret = luid_of(&st);
	return 0;
}
