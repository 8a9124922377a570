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

	file_update_time(vma->vm_file);
	folio_mark_dirty(page_folio(page));
	/* What a cached shared mapping of these flags is, writable included. */
	return vm_get_page_prot(vma->vm_flags);
}

static vm_fault_t sgdemo_mmap_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct drm_gem_object *obj = vma->vm_private_data;
	struct drm_gem_shmem_object *shmem = to_drm_gem_shmem_obj(obj);
	pgoff_t num_pages = obj->size >> PAGE_SHIFT;
	pgoff_t idx = sgdemo_mmap_page_index(obj, vmf->pgoff);
	struct page *page;
	vm_fault_t ret;
	pgprot_t prot;

	if (idx >= num_pages)
		return VM_FAULT_SIGBUS;

	/* The VMA holds a reference on the pages; the lock is the helpers'. */
	sgdemo_shmem_pages_lock(shmem);
	if (drm_WARN_ON_ONCE(obj->dev, !shmem->pages) || shmem->madv < 0) {
		ret = VM_FAULT_SIGBUS;
		goto out;
	}
	page = shmem->pages[idx];
	prot = sgdemo_mmap_fault_prot(vmf, page);
	ret = vmf_insert_pfn_prot(vma, vmf->address, page_to_pfn(page), prot);
	if (ret != VM_FAULT_NOPAGE)
		goto out;
	folio_mark_accessed(page_folio(page));
	sgdemo_mmap_map_folio(vmf, shmem->pages, idx, num_pages, prot);
out:
	sgdemo_shmem_pages_unlock(shmem);
	return ret;
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

	if (drm_WARN_ON_ONCE(obj->dev, !shmem->pages || idx >= obj->size >> PAGE_SHIFT))
		return VM_FAULT_SIGBUS;

	file_update_time(vma->vm_file);
	folio_mark_dirty(page_folio(shmem->pages[idx]));
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
	.open		= sgdemo_mmap_open,
	.close		= sgdemo_mmap_close,
};

static const struct vm_operations_struct sgdemo_mmap_vm_ops_track_writes = {
	.fault		= sgdemo_mmap_fault,
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
