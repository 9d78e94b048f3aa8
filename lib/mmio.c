// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ReadWriteMitigatedRegister and the mitigated ranges (MITIGABLE_DEVICE_
 * INTERFACE, IOCTL_SRIOV_QUERY_MITIGATED_RANGE_COUNT/RANGES).
 *
 * A register access is one pread or pwrite of 1, 2, 4 or 8 bytes at the
 * BAR region's offset in the VF's VFIO device fd; vfio-pci does the access
 * (vfio_pci_rdwr.c: naturally aligned, split into 4-byte accesses where the
 * kernel has no 8-byte MMIO helpers). Inside the MSI-X table it reads all
 * ones and drops writes: the table belongs to VFIO_DEVICE_SET_IRQS.
 *
 * The mitigated ranges are the pages of a VF BAR a VMM must trap instead
 * of mapping into the guest: the MSI-X table and PBA (which the guest must
 * never program directly: MSI-X goes through VFIO), and, with the VF open
 * through VFIO, any part of a BAR that VFIO will not let user space mmap.
 */

#include <errno.h>
#include <linux/vfio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ull << PAGE_SHIFT)

static int check_access(struct sriovvirt_pf *pf, uint16_t vf, unsigned int bar,
			uint64_t offset, unsigned int width,
			const struct sv_vfio_dev *dev)
{
	const struct sv_vfio_region *region;

	if (bar >= SRIOVVIRT_NUM_BARS || (width != 1 && width != 2 &&
					   width != 4 && width != 8)) {
		sv_err(pf->ctx, "%s: VF %u: BAR %u width %u: BARs are 0..5, "
		       "widths 1, 2, 4 or 8 bytes", pf->name, vf, bar, width);
		return -EINVAL;
	}
	region = &dev->regions[bar];
	if (!region->size) {
		sv_err(pf->ctx, "%s: VF %u has no BAR %u", pf->name, vf, bar);
		return -ENODATA;
	}
	if (offset % width || offset >= region->size ||
	    width > region->size - offset) {
		sv_err(pf->ctx, "%s: VF %u: a %u-byte access at %#llx of BAR %u "
		       "(%#llx bytes) is %s", pf->name, vf, width,
		       (unsigned long long)offset, bar,
		       (unsigned long long)region->size,
		       offset % width ? "not naturally aligned" : "outside it");
		return -EINVAL;
	}
	return 0;
}

static int access_bar(struct sriovvirt_pf *pf, uint16_t vf, unsigned int bar,
		      uint64_t offset, unsigned int width, uint64_t *value,
		      bool write)
{
	struct sriovvirt_ctx *ctx = pf->ctx;
	struct sv_vfio_dev *dev;
	uint8_t bytes[8];
	unsigned int i;
	off_t pos;
	ssize_t n;
	int r;

	r = sv_vf_vfio_dev(pf, vf, &dev);
	if (r == 0)
		r = check_access(pf, vf, bar, offset, width, dev);
	if (r < 0)
		return r;
	pos = (off_t)(dev->regions[bar].offset + offset);
	for (i = 0; write && i < width; i++)
		bytes[i] = (uint8_t)(*value >> (8 * i));	/* little endian */
	n = write ? ctx->sys->pwrite(ctx->sys_data, dev->device_fd, bytes,
				     width, pos) :
		    ctx->sys->pread(ctx->sys_data, dev->device_fd, bytes, width,
				    pos);
	if (n >= 0 && (size_t)n != width)
		n = -EIO;
	if (n < 0) {
		sv_err(ctx, "%s: VF %u: %u-byte %s at %#llx of BAR %u failed: %s",
		       pf->name, vf, width, write ? "write" : "read",
		       (unsigned long long)offset, bar, strerror((int)-n));
		/* The arguments were checked: the kernel's -EINVAL is not ours. */
		return n == -EINVAL ? -EIO : (int)n;
	}
	if (!write) {
		*value = 0;
		for (i = 0; i < width; i++)
			*value |= (uint64_t)bytes[i] << (8 * i);
	}
	return 0;
}

SV_EXPORT int sriovvirt_vf_mmio_read(struct sriovvirt_pf *pf, uint16_t vf,
				     unsigned int bar, uint64_t offset,
				     unsigned int width, uint64_t *ret_value)
{
	uint64_t value;
	int r;

	if (!pf || !ret_value)
		return -EINVAL;
	r = access_bar(pf, vf, bar, offset, width, &value, false);
	if (r == 0)
		*ret_value = value;
	return r;
}

SV_EXPORT int sriovvirt_vf_mmio_write(struct sriovvirt_pf *pf, uint16_t vf,
				      unsigned int bar, uint64_t offset,
				      unsigned int width, uint64_t value)
{
	if (!pf)
		return -EINVAL;
	if (width < 8 && value >> (8 * width)) {
		sv_err(pf->ctx, "%s: VF %u: %#llx does not fit %u bytes",
		       pf->name, vf, (unsigned long long)value, width);
		return -EINVAL;
	}
	return access_bar(pf, vf, bar, offset, width, &value, true);
}

/* ------------------------------------------------------------------------ */
/* Mitigated ranges                                                         */
/* ------------------------------------------------------------------------ */

/*
 * The trapped pages of one BAR, as page intervals [first, end): at most
 * the MSI-X table, the PBA and the gaps around VFIO's sparse-mmap areas.
 */
#define SV_MAX_TRAPS (2 + SRIOVVIRT_VFIO_MAX_AREAS + 1)

struct traps {
	uint64_t pages;			/* the BAR's size in pages */
	unsigned int n;
	struct {
		uint64_t first, end;
	} t[SV_MAX_TRAPS];
};

/* Trap the pages bytes [start, start + len) touch. */
static void trap_bytes(struct traps *tr, uint64_t start, uint64_t len)
{
	uint64_t first = start >> PAGE_SHIFT, end;

	if (!len || first >= tr->pages || tr->n == SV_MAX_TRAPS)
		return;
	end = ((start + len - 1) >> PAGE_SHIFT) + 1;
	tr->t[tr->n].first = first;
	tr->t[tr->n].end = end < tr->pages ? end : tr->pages;
	tr->n++;
}

static int by_first(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

/* The MSI-X table and PBA: BIR and offset from the capability. */
struct msix_layout {
	bool present;
	uint8_t table_bar, pba_bar;
	uint32_t table_offset, pba_offset;
	uint16_t entries;
};

static int read_msix(struct sriovvirt_pf *pf, uint16_t vf,
		     struct msix_layout *ret)
{
	uint8_t cfg[PCI_CFG_SPACE_SIZE], cap;
	uint32_t table, pba;
	ssize_t n;

	n = sv_vf_read(pf, vf, 0, cfg, sizeof(cfg));
	if (n < 0)
		return (int)n;
	if ((size_t)n < sizeof(cfg)) {
		sv_err(pf->ctx, "%s: VF %u: reading the MSI-X capability needs "
		       "root (CAP_SYS_ADMIN)", pf->name, vf);
		return -EACCES;
	}
	memset(ret, 0, sizeof(*ret));
	if (sv_find_std_cap(cfg, sizeof(cfg), PCI_CAP_ID_MSIX, &cap) < 0 ||
	    (size_t)cap + PCI_CAP_MSIX_SIZEOF > sizeof(cfg))
		return 0;
	table = sv_le32(cfg + cap + PCI_MSIX_TABLE);
	pba = sv_le32(cfg + cap + PCI_MSIX_PBA);
	ret->present = true;
	ret->entries = (uint16_t)((sv_le16(cfg + cap + PCI_MSIX_FLAGS) &
				   PCI_MSIX_FLAGS_QSIZE) + 1);
	ret->table_bar = table & PCI_MSIX_TABLE_BIR;
	ret->table_offset = table & PCI_MSIX_TABLE_OFFSET;
	ret->pba_bar = pba & PCI_MSIX_PBA_BIR;
	ret->pba_offset = pba & PCI_MSIX_PBA_OFFSET;
	return 0;
}

/* What VFIO will not let user space mmap of a BAR: the gaps between its
 * sparse-mmap areas (which VFIO reports sorted and disjoint), or all of it. */
static int trap_unmappable(struct sriovvirt_pf *pf, uint16_t vf,
			   unsigned int bar, struct traps *tr)
{
	struct sriovvirt_vfio_region region = { .size = sizeof(region) };
	uint64_t at = 0;
	uint32_t i;
	int r;

	r = sv_vfio_get_region(pf, vf, bar, &region);
	if (r == -ERANGE) {
		/* More mmappable areas than the library keeps: trap it all. */
		trap_bytes(tr, 0, tr->pages << PAGE_SHIFT);
		return 0;
	}
	if (r < 0)
		return r;
	if (!(region.flags & SRIOVVIRT_VFIO_REGION_MMAP)) {
		trap_bytes(tr, 0, region.region_size);
		return 0;
	}
	if (!(region.flags & SRIOVVIRT_VFIO_REGION_SPARSE))
		return 0;
	for (i = 0; i < region.nr_areas; i++) {
		if (region.areas[i].offset > at)
			trap_bytes(tr, at, region.areas[i].offset - at);
		at = region.areas[i].offset + region.areas[i].size;
	}
	if (at < region.region_size)
		trap_bytes(tr, at, region.region_size - at);
	return 0;
}

/*
 * Every BAR's size in pages: from VFIO's regions once the VF is open there
 * (known since the open), else from the VF's resource file, read once.
 */
static int bar_pages(struct sriovvirt_pf *pf, uint16_t vf,
		     uint64_t pages[SRIOVVIRT_NUM_BARS])
{
	struct sv_resource res[SRIOVVIRT_NUM_BARS];
	size_t count = 0, bar;
	uint64_t size;
	int fd, r;

	if (sv_vf_is_vfio(pf, vf)) {
		for (bar = 0; bar < SRIOVVIRT_NUM_BARS; bar++)
			pages[bar] = (pf->vfs[vf].vfio->regions[bar].size +
				      PAGE_SIZE - 1) >> PAGE_SHIFT;
		return 0;
	}
	r = sv_vf_open_dir(pf, vf, &fd);
	if (r < 0)
		return r;
	r = sv_read_resources(pf->ctx, fd, res, SV_ARRAY_SIZE(res), &count);
	sv_close(pf->ctx, fd);
	for (bar = 0; r == 0 && bar < SRIOVVIRT_NUM_BARS; bar++) {
		size = bar < count && (res[bar].flags & (SRIOVVIRT_RESOURCE_IO |
							 SRIOVVIRT_RESOURCE_MEM)) ?
		       res[bar].end - res[bar].start + 1 : 0;
		pages[bar] = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	}
	return r;
}

/*
 * Overlapping or touching intervals merge into one range; a range longer
 * than Windows' 0x80000 pages (2 GiB) is split. *@n counts every range,
 * even past @max.
 */
#define SV_MAX_RANGE_PAGES 0x80000u

static void emit_range(unsigned int bar, uint64_t first, uint64_t end,
		       struct sriovvirt_mitigated_range *out, size_t max,
		       size_t *n)
{
	uint64_t count;

	for (; first < end; first += count, (*n)++) {
		count = end - first;
		if (count > SV_MAX_RANGE_PAGES)
			count = SV_MAX_RANGE_PAGES;
		if (*n >= max)
			continue;
		out[*n] = (struct sriovvirt_mitigated_range){
			.base_page = first,
			.page_count = (uint32_t)count,
			.bar = (uint8_t)bar,
			.flags = SRIOVVIRT_INTERCEPT_READS |
				 SRIOVVIRT_INTERCEPT_WRITES,
		};
	}
}

/* @tr sorted by first page. */
static void emit(const struct traps *tr, unsigned int bar,
		 struct sriovvirt_mitigated_range *out, size_t max, size_t *n)
{
	uint64_t first, end;
	unsigned int i;

	if (!tr->n)
		return;
	first = tr->t[0].first;
	end = tr->t[0].end;
	for (i = 1; i < tr->n; i++) {
		if (tr->t[i].first > end) {
			emit_range(bar, first, end, out, max, n);
			first = tr->t[i].first;
		}
		if (tr->t[i].end > end)
			end = tr->t[i].end;
	}
	emit_range(bar, first, end, out, max, n);
}

/* Every BAR's trapped pages, sorted: all the I/O the query makes. */
static int gather(struct sriovvirt_pf *pf, uint16_t vf,
		  struct traps tr[SRIOVVIRT_NUM_BARS])
{
	uint64_t pages[SRIOVVIRT_NUM_BARS];
	struct msix_layout msix;
	unsigned int bar;
	int r;

	memset(tr, 0, SRIOVVIRT_NUM_BARS * sizeof(*tr));
	r = read_msix(pf, vf, &msix);
	if (r == 0)
		r = bar_pages(pf, vf, pages);
	for (bar = 0; r == 0 && bar < SRIOVVIRT_NUM_BARS; bar++) {
		tr[bar].pages = pages[bar];
		if (!pages[bar])
			continue;
		if (msix.present && msix.table_bar == bar)
			trap_bytes(&tr[bar], msix.table_offset,
				   (uint64_t)PCI_MSIX_ENTRY_SIZE * msix.entries);
		if (msix.present && msix.pba_bar == bar)
			trap_bytes(&tr[bar], msix.pba_offset,
				   8ull * ((msix.entries + 63) / 64));
		if (sv_vf_is_vfio(pf, vf))
			r = trap_unmappable(pf, vf, bar, &tr[bar]);
		qsort(tr[bar].t, tr[bar].n, sizeof(tr[bar].t[0]), by_first);
	}
	return r;
}

/* The ranges, into @out as far as @max goes; how many there are. */
static size_t emit_all(const struct traps tr[SRIOVVIRT_NUM_BARS],
		       struct sriovvirt_mitigated_range *out, size_t max)
{
	unsigned int bar;
	size_t n = 0;

	for (bar = 0; bar < SRIOVVIRT_NUM_BARS; bar++)
		emit(&tr[bar], bar, out, max, &n);
	return n;
}

SV_EXPORT int sriovvirt_vf_get_mitigated_ranges(struct sriovvirt_pf *pf,
						uint16_t vf,
						struct sriovvirt_mitigated_range *ret,
						size_t max, size_t *ret_count)
{
	struct traps tr[SRIOVVIRT_NUM_BARS];
	size_t n;
	int r;

	if (!pf || !ret_count || (max && !ret))
		return -EINVAL;
	r = sv_vf_check_index(pf, vf);
	if (r == 0)
		r = gather(pf, vf, tr);
	if (r < 0)
		return r;
	/* Counted first, so that a short @ret is left untouched. */
	n = emit_all(tr, NULL, 0);
	if (n > max && ret) {
		sv_err(pf->ctx, "%s: VF %u has %zu mitigated ranges, room for %zu",
		       pf->name, vf, n, max);
		return -ERANGE;
	}
	if (ret)
		emit_all(tr, ret, max);
	*ret_count = n;
	return 0;
}
