// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The config-block store (ReadVfConfigBlock, WriteVfConfigBlock,
 * INVALIDATE_BLOCK). Windows keeps blocks in the PF driver; Linux has no
 * such driver interface, so the store is files in the PF's runtime
 * directory, one per block, which every process of the user shares:
 *
 *   b-VF-LUID-ID    a block: its bytes, 1..128 of them
 *   t-VF-LUID-ID.p  the PF side's next version of it (.v: the VF side's)
 *   m-VF-LUID       a VF's pending invalidation mask, 8 bytes LE
 *   lock            flock()ed by every writer
 *
 * A write fills the temporary file and renames it over the block: rename
 * is atomic, so a reader or a crash sees the old file or the new one. The
 * lock makes each side's temporary file one writer's at a time; the kernel
 * drops it when a writer dies, and the next writer truncates what the dead
 * one left. LUID is the VF's (its sysfs node), so a VF disabled and enabled
 * again finds none of its former blocks. The rename's IN_MOVED_FROM names
 * the side that wrote, which is how a PF-side watch learns of VF writes.
 * Draining a mask reads and unlinks it, so only an invalidation closes a
 * mask file after writing (IN_CLOSE_WRITE), which is what VF sides wait for.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

struct block_name {
	char s[64];
};

static const char *block_file(struct block_name *n, char kind, uint16_t vf,
			      uint64_t luid, uint32_t id, const char *suffix)
{
	snprintf(n->s, sizeof(n->s), "%c-%u-%016" PRIx64 "-%08" PRIx32 "%s",
		 kind, vf, luid, id, suffix);
	return n->s;
}

void sv_block_mask_name(char *buf, size_t size, uint16_t vf, uint64_t luid)
{
	snprintf(buf, size, "m-%u-%016" PRIx64, vf, luid);
}

int sv_block_vf_luid(struct sriovvirt_pf *pf, uint16_t vf, uint64_t *ret)
{
	struct sriovvirt_luid luid;
	int r;

	r = sriovvirt_vf_get_luid(pf, vf, &luid);
	if (r == 0)
		*ret = sriovvirt_luid_to_u64(luid);
	return r;
}

static int check_length(struct sriovvirt_pf *pf, size_t length)
{
	if (length >= 1 && length <= SRIOVVIRT_BLOCK_MAX_SIZE)
		return 0;
	sv_err(pf->ctx, "%s: a config block holds 1 to %d bytes, not %zu",
	       pf->name, SRIOVVIRT_BLOCK_MAX_SIZE, length);
	return -EINVAL;
}

/* The errno table's meanings for what the runtime directory answers. */
static int store_errno(struct sriovvirt_pf *pf, const char *what, int r)
{
	if (r == -EDQUOT)
		r = -ENOSPC;
	else if (r == -EPERM || r == -EROFS || r == -ELOOP)
		r = -EACCES;
	sv_err(pf->ctx, "%s: config-block store: cannot %s: %s", pf->name,
	       what, strerror(-r));
	return r;
}

/*
 * Read-only, as flock() allows: closing a lock opened for writing would be
 * an IN_CLOSE_WRITE, which wakes every VF side, and a VF side's own drain
 * would wake it again at once.
 */
/* How long a writer waits while another process holds the store's lock. */

static void backoff(long *delay_ns)
{
	struct timespec ts = { 0, *delay_ns };

	nanosleep(&ts, NULL);
	if (*delay_ns < 10000000)
		*delay_ns *= 2;
}

/*
 * The store's lock, waited for at most @timeout_ms (-1: no limit). Held
 * for a few system calls by each writer; a writer that is stopped (a
 * debugger, SIGSTOP, a frozen cgroup) holds it until it goes on, so the
 * wait is bounded: -EBUSY, "another process is changing it".
 */
int sv_store_lock(struct sriovvirt_pf *pf, int dirfd, int timeout_ms,
		  int *ret_fd)
{
	int64_t start = 0, now;
	long delay_ns = 100000;
	int fd;

	/* Read-only: its close must not look like an invalidation (no
	 * IN_CLOSE_WRITE); flock() needs no write access. */
	fd = openat(dirfd, "lock", O_RDONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
		    0600);
	if (fd < 0)
		return store_errno(pf, "open its lock", -errno);
	if (timeout_ms > 0)
		(void)sv_monotonic_ms(&start);
	for (;;) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			*ret_fd = fd;
			return 0;
		}
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			int r = -errno;

			close(fd);
			return store_errno(pf, "lock it", r);
		}
		if (timeout_ms == 0 || (timeout_ms > 0 &&
		    (sv_monotonic_ms(&now) < 0 || now - start >= timeout_ms)))
			break;
		backoff(&delay_ns);
	}
	close(fd);
	sv_err(pf->ctx, "%s: the config-block store is locked by another "
	       "process (stopped while writing?)", pf->name);
	return -EBUSY;
}

static int write_all(int fd, const void *buf, size_t length)
{
	ssize_t n;

	do
		n = write(fd, buf, length);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == length ? 0 : -ENOSPC;
}

static int replace_block(struct sriovvirt_pf *pf, int dirfd, const char *tmp,
			 const char *final, const void *buf, size_t length)
{
	int fd, r;

	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
		    O_CLOEXEC, 0600);
	if (fd < 0)
		return store_errno(pf, "create a block", -errno);
	r = write_all(fd, buf, length);
	close(fd);
	if (r == 0 && renameat(dirfd, tmp, dirfd, final) < 0)
		r = -errno;
	if (r < 0) {
		unlinkat(dirfd, tmp, 0);
		return store_errno(pf, "write a block", r);
	}
	return 0;
}

int sv_block_write(struct sriovvirt_pf *pf, uint16_t vf, uint64_t luid,
		   uint32_t id, const void *buf, size_t length,
		   enum sv_block_side side)
{
	struct block_name tmp, final;
	int dirfd, lock, r;

	r = check_length(pf, length);
	if (r == 0)
		r = sv_pf_runtime_dir(pf, &dirfd);
	if (r == 0)
		r = sv_store_lock(pf, dirfd, SV_STORE_LOCK_MS, &lock);
	if (r < 0)
		return r;
	block_file(&tmp, 't', vf, luid, id, side == SV_BLOCK_PF ? ".p" : ".v");
	block_file(&final, 'b', vf, luid, id, "");
	r = replace_block(pf, dirfd, tmp.s, final.s, buf, length);
	close(lock);
	return r;
}

int sv_block_read(struct sriovvirt_pf *pf, uint16_t vf, uint64_t luid,
		  uint32_t id, void *buf, size_t size, size_t *ret_length)
{
	uint8_t data[SRIOVVIRT_BLOCK_MAX_SIZE + 1];
	struct block_name name;
	int dirfd, fd, r;
	ssize_t n;

	r = check_length(pf, size);
	if (r == 0)
		r = sv_pf_runtime_dir(pf, &dirfd);
	if (r < 0)
		return r;
	fd = openat(dirfd, block_file(&name, 'b', vf, luid, id, ""),
		    O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		sv_err(pf->ctx, "%s: VF %u has no config block %" PRIu32
		       " (never written since the VF was enabled)", pf->name,
		       vf, id);
		return -ENODATA;
	}
	if (fd < 0)
		return store_errno(pf, "open a block", -errno);
	do
		n = read(fd, data, sizeof(data));
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n < 0)
		return store_errno(pf, "read a block", -errno);
	if (n == 0 || n > SRIOVVIRT_BLOCK_MAX_SIZE) {
		sv_err(pf->ctx, "%s: the store's file %s holds %zd bytes, not "
		       "1 to %d: it was changed outside the library", pf->name,
		       name.s, n, SRIOVVIRT_BLOCK_MAX_SIZE);
		return -EIO;
	}
	memcpy(buf, data, (size_t)n < size ? (size_t)n : size);
	if (ret_length)
		*ret_length = (size_t)n;
	return 0;
}

/* Called with the store locked. */
static int or_mask(struct sriovvirt_pf *pf, int dirfd, uint16_t vf,
		   uint64_t luid, uint64_t mask)
{
	uint8_t le[8] = { 0 };
	char name[48];
	uint64_t old;
	int fd, r = 0;

	sv_block_mask_name(name, sizeof(name), vf, luid);
	fd = openat(dirfd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
		    0600);
	if (fd < 0)
		return store_errno(pf, "open a mask", -errno);
	if (pread(fd, le, sizeof(le), 0) < 0)
		r = -errno;
	old = (uint64_t)sv_le32(le) | (uint64_t)sv_le32(le + 4) << 32;
	mask |= old;
	for (int i = 0; i < 8; i++)
		le[i] = (uint8_t)(mask >> (8 * i));
	if (r == 0) {
		ssize_t n = pwrite(fd, le, sizeof(le), 0);

		r = n < 0 ? -errno : n != sizeof(le) ? -ENOSPC : 0;
	}
	close(fd);	/* IN_CLOSE_WRITE: wakes the VF side */
	return r < 0 ? store_errno(pf, "update a mask", r) : 0;
}

int sv_block_drain(struct sriovvirt_pf *pf, uint16_t vf, uint64_t luid,
		   int timeout_ms, uint64_t *ret_mask)
{
	uint8_t le[8] = { 0 };
	char name[48];
	int dirfd, lock, fd, r;
	ssize_t n;

	r = sv_pf_runtime_dir(pf, &dirfd);
	if (r == 0)
		r = sv_store_lock(pf, dirfd, timeout_ms, &lock);
	if (r < 0)
		return r;
	sv_block_mask_name(name, sizeof(name), vf, luid);
	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		r = errno == ENOENT ? 0 : store_errno(pf, "open a mask", -errno);
		close(lock);
		if (r == 0)
			*ret_mask = 0;
		return r;
	}
	n = pread(fd, le, sizeof(le), 0);
	r = n < 0 ? -errno : 0;
	close(fd);
	if (r == 0 && unlinkat(dirfd, name, 0) < 0)
		r = -errno;
	close(lock);
	if (r < 0)
		return store_errno(pf, "drain a mask", r);
	*ret_mask = (uint64_t)sv_le32(le) | (uint64_t)sv_le32(le + 4) << 32;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* The PF side                                                              */
/* ------------------------------------------------------------------------ */

SV_EXPORT int sriovvirt_vf_read_block(struct sriovvirt_pf *pf, uint16_t vf,
				      uint32_t block_id, void *buf, size_t size,
				      size_t *ret_length)
{
	uint64_t luid = 0;
	int r;

	if (!pf || !buf)
		return -EINVAL;
	r = sv_block_vf_luid(pf, vf, &luid);
	return r < 0 ? r : sv_block_read(pf, vf, luid, block_id, buf, size,
					 ret_length);
}

SV_EXPORT int sriovvirt_vf_write_block(struct sriovvirt_pf *pf, uint16_t vf,
				       uint32_t block_id, const void *buf,
				       size_t length)
{
	uint64_t luid = 0;
	int r;

	if (!pf || !buf)
		return -EINVAL;
	r = sv_block_vf_luid(pf, vf, &luid);
	return r < 0 ? r : sv_block_write(pf, vf, luid, block_id, buf, length,
					  SV_BLOCK_PF);
}

/* The VFs to invalidate and their LUIDs, all checked before any change. */
static int invalidation_targets(struct sriovvirt_pf *pf, uint16_t vf,
				uint64_t **ret_luids, uint16_t *ret_first,
				uint16_t *ret_count)
{
	uint16_t first = vf, count = 1;
	uint64_t *luids;
	int r;

	if (vf == SRIOVVIRT_ALL_VFS) {
		first = 0;
		r = sv_pf_num_vfs(pf, &count);
		if (r < 0)
			return r;
		if (count == 0) {
			sv_err(pf->ctx, "%s: no VFs are enabled to invalidate",
			       pf->name);
			return -EINVAL;
		}
	}
	luids = calloc(count, sizeof(*luids));
	if (!luids)
		return -ENOMEM;
	for (uint16_t i = 0; i < count; i++) {
		r = sv_block_vf_luid(pf, first + i, &luids[i]);
		if (r < 0) {
			free(luids);
			return r;
		}
	}
	*ret_luids = luids;
	*ret_first = first;
	*ret_count = count;
	return 0;
}

SV_EXPORT int sriovvirt_pf_invalidate_blocks(struct sriovvirt_pf *pf,
					     uint16_t vf, uint64_t mask)
{
	uint16_t first, count;
	int dirfd, lock, r;
	uint64_t *luids;

	if (!pf || !mask)
		return -EINVAL;
	r = invalidation_targets(pf, vf, &luids, &first, &count);
	if (r < 0)
		return r;
	r = sv_pf_runtime_dir(pf, &dirfd);
	if (r == 0)
		r = sv_store_lock(pf, dirfd, SV_STORE_LOCK_MS, &lock);
	if (r == 0) {
		for (uint16_t i = 0; r == 0 && i < count; i++)
			r = or_mask(pf, dirfd, first + i, luids[i], mask);
		close(lock);
	}
	free(luids);
	return r;
}

/*
 * After the PF's VFs were disabled, its store holds only blocks and masks
 * of VF incarnations that cannot come back (their LUIDs are gone): remove
 * them, so that enable and disable cycles do not fill the tmpfs. A store
 * that was never made is not made now; a failure only leaves them there.
 */
void sv_block_forget_vfs(struct sriovvirt_pf *pf)
{
	char path[PATH_MAX];
	struct dirent *d;
	struct stat st;
	int dirfd, fd, lock;
	DIR *dir;

	if (pf->run_dirfd < 0) {
		snprintf(path, sizeof(path), "%s/%s", pf->ctx->runtime_dir,
			 pf->name);
		if (lstat(path, &st) < 0)
			return;
	}
	if (sv_pf_runtime_dir(pf, &dirfd) < 0 ||
	    sv_store_lock(pf, dirfd, SV_STORE_LOCK_MS, &lock) < 0)
		return;
	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	dir = fd < 0 ? NULL : fdopendir(fd);
	if (!dir && fd >= 0)
		close(fd);
	while (dir && (d = readdir(dir))) {
		if (strchr("bmt", d->d_name[0]) && d->d_name[1] == '-')
			unlinkat(dirfd, d->d_name, 0);
	}
	if (dir)
		closedir(dir);
	close(lock);
}
