// SPDX-License-Identifier: GPL-2.0
/*
 * CPU mappings of native objects: the shmem helpers set the VMA up and
 * count its references, sgdemo's fault handler finds the page by the
 * object's fake offset. The rules are in sgdemo_mmap.h ("CPU mappings").
 */

#include <linux/fs.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/swap.h>

#include <drm/drm_drv.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_print.h>
#include <drm/drm_vma_manager.h>

#include "sgdemo_compat.h"
#include "sgdemo_mmap.h"

/* The object page at vmf->pgoff; at or past the object's size when there is none. */
static pgoff_t sgdemo_mmap_page_index(struct drm_gem_object *obj, pgoff_t pgoff)
{
	/* A pgoff below the node's start wraps around to far past the end. */
	return pgoff - drm_vma_node_start(&obj->vma_node);
}

/*
 * Maps the pages of the faulting page's folio that lie inside the VMA and
 * the object, besides the faulting page itself, with @prot: the first fault
 * on a huge folio maps all of it. Best effort: it stops at the first page
 * that cannot be mapped, which a later fault then maps (or fails) on its own.
 */
static void sgdemo_mmap_map_folio(struct vm_fault *vmf, struct page **pages,
				  pgoff_t idx, pgoff_t num_pages, pgprot_t prot)
{
	struct vm_area_struct *vma = vmf->vma;
	struct drm_gem_object *obj = vma->vm_private_data;
	struct folio *folio = page_folio(pages[idx]);
	pgoff_t vma_first = sgdemo_mmap_page_index(obj, vma->vm_pgoff);
	pgoff_t first, last, i;

	if (!folio_test_large(folio))
		return;

	/* The folio's pages in the object (shmem folios are aligned in the file)... */
	first = idx - min_t(pgoff_t, idx, folio_page_idx(folio, pages[idx]));
	last = first + folio_nr_pages(folio);
	/* ...inside the VMA and the object. */
	first = max(first, vma_first);
	last = min3(last, vma_first + vma_pages(vma), num_pages);

	for (i = first; i < last; i++) {
		unsigned long addr = vma->vm_start + ((i - vma_first) << PAGE_SHIFT);

		if (i != idx &&
		    vmf_insert_pfn_prot(vma, addr, page_to_pfn(pages[i]), prot) != VM_FAULT_NOPAGE)
			break;
	}
}

/* A write through the mapping, where writes are tracked: the folio is dirty. */
static void sgdemo_mmap_record_write(struct vm_fault *vmf, struct folio *folio)
{
	file_update_time(vmf->vma->vm_file);
	folio_mark_dirty(folio);
}

/*
 * The protection a fault maps with. Where writes are tracked (the mapping
 * is write-protected until a page is dirtied), a write fault dirties the
 * page's folio now, and since a folio is dirty as a whole, all of it is
 * mapped writable: one fault a folio rather than a second one a page.
 */
static pgprot_t sgdemo_mmap_fault_prot(struct vm_fault *vmf, struct page *page)
{
	struct vm_area_struct *vma = vmf->vma;
	struct drm_gem_shmem_object *shmem = to_drm_gem_shmem_obj(vma->vm_private_data);

	/* A write-combined mapping keeps its one protection (sgdemo's are cached). */
	if (!sgdemo_shmem_tracks_writes() || !(vmf->flags & FAULT_FLAG_WRITE) ||
	    shmem->map_wc)
		return vma->vm_page_prot;

	sgdemo_mmap_record_write(vmf, page_folio(page));
	/* What a cached shared mapping of these flags is, writable included. */
	return vm_get_page_prot(vma->vm_flags);
}

/* The faulting page, and the rest of its folio that lies in the VMA. */
static vm_fault_t sgdemo_mmap_insert_ptes(struct vm_fault *vmf, struct page **pages,
					  pgoff_t idx, pgoff_t num_pages)
{
	struct page *page = pages[idx];
	pgprot_t prot = sgdemo_mmap_fault_prot(vmf, page);
	vm_fault_t ret;

	ret = vmf_insert_pfn_prot(vmf->vma, vmf->address, page_to_pfn(page), prot);
	if (ret != VM_FAULT_NOPAGE)
		return ret;
	folio_mark_accessed(page_folio(page));
	sgdemo_mmap_map_folio(vmf, pages, idx, num_pages, prot);
	return ret;
}

#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
/*
 * One PMD for the whole huge folio, when that folio is exactly the object's
 * part of the PMD-aligned 2 MiB of the VMA around the faulting address
 * (mmap() placed GEM mappings so: sgdemo_mmap_get_unmapped_area()).
 * Otherwise VM_FAULT_FALLBACK, and the core retries with PTEs. A write to a
 * folio mapped read-only by a PMD comes here too, and makes it writable.
 */
static vm_fault_t sgdemo_mmap_insert_pmd(struct vm_fault *vmf, struct page **pages,
					 pgoff_t idx, pgoff_t num_pages)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long start = vmf->address & PMD_MASK;
	pgoff_t below = (vmf->address - start) >> PAGE_SHIFT;
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	struct folio *folio;
	vm_fault_t ret;

	if (start < vma->vm_start || start + PMD_SIZE > vma->vm_end || below > idx ||
	    idx - below + (PMD_SIZE >> PAGE_SHIFT) > num_pages)
		return VM_FAULT_FALLBACK;
	folio = page_folio(pages[idx - below]);
	if (!folio_test_pmd_mappable(folio) || folio_page(folio, 0) != pages[idx - below])
		return VM_FAULT_FALLBACK;

	/* Where writes are tracked, a PMD becomes writable only here. */
	if (write && sgdemo_shmem_tracks_writes())
		sgdemo_mmap_record_write(vmf, folio);
	ret = sgdemo_vmf_insert_pfn_pmd(vmf, folio_pfn(folio), write);
	if (ret == VM_FAULT_NOPAGE)
		folio_mark_accessed(folio);
	return ret;
}
#endif

/*
 * A fault of any size (@order 0: a page; PMD_ORDER: a huge folio), under the
 * lock the helpers take around the page array. An unplugged device serves
 * no fault: SIGBUS.
 */
static vm_fault_t sgdemo_mmap_any_fault(struct vm_fault *vmf, unsigned int order)
{
	struct drm_gem_object *obj = vmf->vma->vm_private_data;
	struct drm_gem_shmem_object *shmem = to_drm_gem_shmem_obj(obj);
	pgoff_t num_pages = obj->size >> PAGE_SHIFT;
	pgoff_t idx = sgdemo_mmap_page_index(obj, vmf->pgoff);
	vm_fault_t ret = VM_FAULT_SIGBUS;
	int cookie;

	if (idx >= num_pages || !drm_dev_enter(obj->dev, &cookie))
		return VM_FAULT_SIGBUS;

	/* The VMA holds a reference on the pages; the lock is the helpers'. */
	sgdemo_shmem_pages_lock(shmem);
	if (drm_WARN_ON_ONCE(obj->dev, !shmem->pages) || shmem->madv < 0)
		goto out;
	if (!order)
		ret = sgdemo_mmap_insert_ptes(vmf, shmem->pages, idx, num_pages);
#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
	else if (order == PMD_ORDER)
		ret = sgdemo_mmap_insert_pmd(vmf, shmem->pages, idx, num_pages);
#endif
	else
		ret = VM_FAULT_FALLBACK;
out:
	sgdemo_shmem_pages_unlock(shmem);
	drm_dev_exit(cookie);
	return ret;
}

static vm_fault_t sgdemo_mmap_fault(struct vm_fault *vmf)
{
	return sgdemo_mmap_any_fault(vmf, 0);
}

/*
 * The first write through a read-only PTE of a mapping that tracks writes:
 * the page is dirty now, and must be written back if the pages are ever put.
 */
static vm_fault_t sgdemo_mmap_pfn_mkwrite(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct drm_gem_object *obj = vma->vm_private_data;
	struct drm_gem_shmem_object *shmem = to_drm_gem_shmem_obj(obj);
	pgoff_t idx = sgdemo_mmap_page_index(obj, vmf->pgoff);
	int cookie;

	if (drm_WARN_ON_ONCE(obj->dev, !shmem->pages || idx >= obj->size >> PAGE_SHIFT) ||
	    !drm_dev_enter(obj->dev, &cookie))
		return VM_FAULT_SIGBUS;

	sgdemo_mmap_record_write(vmf, page_folio(shmem->pages[idx]));
	drm_dev_exit(cookie);
	return 0;
}

/* A new VMA of the mapping (split, mremap(), fork()): the helpers count it. */
static void sgdemo_mmap_open(struct vm_area_struct *vma)
{
	drm_gem_shmem_vm_ops.open(vma);
}

static void sgdemo_mmap_close(struct vm_area_struct *vma)
{
	drm_gem_shmem_vm_ops.close(vma);
}

/*
 * The VM operations of a native object's mapping, sgdemo's objects'
 * &drm_gem_object_funcs.vm_ops. sgdemo_mmap_object() switches a mapping to
 * the variant that tracks writes on kernels whose shmem helpers do.
 */
const struct vm_operations_struct sgdemo_mmap_vm_ops = {
	.fault		= sgdemo_mmap_fault,
#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
	.huge_fault	= sgdemo_mmap_any_fault,
#endif
	.open		= sgdemo_mmap_open,
	.close		= sgdemo_mmap_close,
};

static const struct vm_operations_struct sgdemo_mmap_vm_ops_track_writes = {
	.fault		= sgdemo_mmap_fault,
#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
	.huge_fault	= sgdemo_mmap_any_fault,
#endif
	.open		= sgdemo_mmap_open,
	.close		= sgdemo_mmap_close,
	.pfn_mkwrite	= sgdemo_mmap_pfn_mkwrite,
};

/**
 * sgdemo_mmap_object - set up a CPU mapping of an object
 * @obj: the object, native or imported
 * @vma: the new VMA, shared, its vm_pgoff the object's fake offset plus the
 *	 first object page it maps (for a GEM mapping and for a mapping of
 *	 sgdemo's dma-buf alike)
 *
 * The shmem helpers set the VMA up: for a native object, a PFN mapping with
 * a reference on the pages; an imported object's mapping goes to its
 * exporter. A native object's mapping then gets sgdemo's fault handler.
 *
 * Returns: 0, or a negative errno from the shmem helpers or the exporter.
 */
int sgdemo_mmap_object(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	int ret;

	ret = drm_gem_shmem_object_mmap(obj, vma);
	if (ret || obj->import_attach)
		return ret;

	vma->vm_ops = sgdemo_shmem_tracks_writes() ? &sgdemo_mmap_vm_ops_track_writes :
						     &sgdemo_mmap_vm_ops;
	return 0;
}

#ifdef CONFIG_TRANSPARENT_HUGEPAGE
/**
 * sgdemo_mmap_get_unmapped_area - place a GEM mapping for huge folios
 * @filp: the DRM file
 * @addr: the address asked for, or 0
 * @len: the mapping's length
 * @pgoff: its offset in the file: the object's fake offset (a GEM mapping
 *	   starts at the object's first page)
 * @flags: the mmap() flags
 *
 * The DRM file's &file_operations.get_unmapped_area where the DRM core has
 * none (before 7.x): a mapping of 2 MiB or more starts on a 2 MiB boundary,
 * where the object's first page is, so that each huge folio of the object
 * can be mapped with one PMD. The fake offset itself is no multiple of
 * 2 MiB, so it is not what the placement goes by.
 *
 * Returns: the address, or a negative errno.
 */
unsigned long sgdemo_mmap_get_unmapped_area(struct file *filp, unsigned long addr,
					    unsigned long len, unsigned long pgoff,
					    unsigned long flags)
{
	return thp_get_unmapped_area(filp, addr, len, 0, flags);
}
#endif
