/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels sgdemo builds on (6.1 to 7.x). Each shim
 * is chosen by a feature probe in Kbuild, which reads the target kernel's
 * headers, and names the change it covers. No other file of the driver knows
 * that kernels differ.
 */
#ifndef _SGDEMO_COMPAT_H_
#define _SGDEMO_COMPAT_H_

#include <linux/dma-buf.h>
#include <linux/huge_mm.h>
#include <linux/iosys-map.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#ifdef SGDEMO_HAVE_PFN_T
#include <linux/pfn_t.h>
#endif

#include <drm/drm_device.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/gpu_scheduler.h>

/* MODULE_IMPORT_NS() took a bare token before 6.13, a string literal since. */
#ifdef SGDEMO_IMPORT_NS_TOKEN
#define SGDEMO_IMPORT_NS_DMA_BUF	MODULE_IMPORT_NS(DMA_BUF)
#else
#define SGDEMO_IMPORT_NS_DMA_BUF	MODULE_IMPORT_NS("DMA_BUF")
#endif

/* struct drm_driver had a date until 6.14 (unused from 6.11 on). */
#ifdef SGDEMO_HAVE_DRIVER_DATE
#define SGDEMO_DRIVER_DATE		.date = "20251125",
#else
#define SGDEMO_DRIVER_DATE
#endif

/*
 * Before 6.6 (while drm_driver had gem_prime_mmap) the PRIME ioctls and
 * dma-buf mmap only worked when the driver named the generic helpers; since
 * then the core uses them by default.
 */
#ifdef SGDEMO_NEED_PRIME_OPS
#define SGDEMO_DRIVER_PRIME_OPS \
	.prime_handle_to_fd = drm_gem_prime_handle_to_fd, \
	.prime_fd_to_handle = drm_gem_prime_fd_to_handle, \
	.gem_prime_mmap = drm_gem_prime_mmap,
#else
#define SGDEMO_DRIVER_PRIME_OPS
#endif

/*
 * platform_driver.remove returned int before 6.11; the void form was called
 * remove_new then.
 */
#ifdef SGDEMO_HAVE_REMOVE_NEW
#define SGDEMO_PLATFORM_REMOVE		remove_new
#else
#define SGDEMO_PLATFORM_REMOVE		remove
#endif

/*
 * Until 7.x an exporter could ask the dma-buf core to cache each
 * attachment's mapping (DRM's own exporter does); 7.x dropped that cache and
 * maps on every request. sgdemo tracks each mapping either way.
 */
#ifdef SGDEMO_HAVE_CACHE_SGT_MAPPING
#define SGDEMO_DMA_BUF_CACHE_SGT_MAPPING	.cache_sgt_mapping = true,
#else
#define SGDEMO_DMA_BUF_CACHE_SGT_MAPPING
#endif

/*
 * Since 6.2 dma_buf_vmap() expects the reservation lock held and
 * dma_buf_vmap_unlocked() takes it; before, dma_buf_vmap() locked itself.
 */
static inline int sgdemo_dma_buf_vmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
#ifdef SGDEMO_HAVE_DMA_BUF_VMAP_UNLOCKED
	return dma_buf_vmap_unlocked(dmabuf, map);
#else
	return dma_buf_vmap(dmabuf, map);
#endif
}

static inline void sgdemo_dma_buf_vunmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
#ifdef SGDEMO_HAVE_DMA_BUF_VMAP_UNLOCKED
	dma_buf_vunmap_unlocked(dmabuf, map);
#else
	dma_buf_vunmap(dmabuf, map);
#endif
}

/*
 * Newer kernels (7.x, and Debian's 6.12 by backport) allocate one object of a
 * type with kzalloc_obj()/kmalloc_obj(), which take their size from the
 * pointer; before, kzalloc(sizeof(*p), gfp).
 */
#ifndef SGDEMO_HAVE_ALLOC_OBJ
#define kzalloc_obj(P, GFP)	kzalloc(sizeof(P), GFP)
#define kmalloc_obj(P, GFP)	kmalloc(sizeof(P), GFP)
#endif

/*
 * 7.3 asks the VMA itself whether a mapping is copy-on-write; before, the
 * question was put to its flags with is_cow_mapping().
 */
static inline bool sgdemo_vma_is_cow_mapping(const struct vm_area_struct *vma)
{
#ifdef SGDEMO_HAVE_VMA_IS_COW_MAPPING
	return vma_is_cow_mapping(vma);
#else
	return is_cow_mapping(vma->vm_flags);
#endif
}

/*
 * Since 7.x the DRM core can give a device's shmem objects a tmpfs of their
 * own, mounted with a huge page policy, and creates every object there.
 * Before, it cannot (-EOPNOTSUPP): sgdemo_hugefs.c then mounts one itself
 * and moves each new object onto it. A mount that failed is left behind as
 * an error pointer with a success code: that is an error too.
 */
static inline int sgdemo_huge_mnt_create(struct drm_device *drm)
{
#ifdef SGDEMO_HAVE_HUGE_MNT
	int ret = drm_gem_huge_mnt_create(drm, "within_size");

	if (!ret && IS_ERR(drm_gem_get_huge_mnt(drm)))
		ret = PTR_ERR(drm_gem_get_huge_mnt(drm));
	return ret;
#else
	return -EOPNOTSUPP;
#endif
}

/*
 * A new shmem file that reserves no memory up front: VM_NORESERVE until 7.x,
 * a vma_flags_t with VMA_NORESERVE_BIT since (sgdemo_hugefs.c, before 7.x
 * only, must build everywhere).
 */
static inline struct file *sgdemo_shmem_file_setup_with_mnt(struct vfsmount *mnt,
							    const char *name, loff_t size)
{
#ifdef SGDEMO_HAVE_VMA_FLAGS_T
	return shmem_file_setup_with_mnt(mnt, name, size, mk_vma_flags(VMA_NORESERVE_BIT));
#else
	return shmem_file_setup_with_mnt(mnt, name, size, VM_NORESERVE);
#endif
}

/*
 * Since 7.x the GEM file operations place a mapping where the object's huge
 * folios can be mapped whole (drm_gem_get_unmapped_area()); before, sgdemo
 * does (sgdemo_mmap_get_unmapped_area()), where the kernel has huge pages.
 */
#if defined(SGDEMO_HAVE_GEM_GET_UNMAPPED_AREA) || !defined(CONFIG_TRANSPARENT_HUGEPAGE)
#define SGDEMO_FOPS_GET_UNMAPPED_AREA
#else
#define SGDEMO_FOPS_GET_UNMAPPED_AREA	.get_unmapped_area = sgdemo_mmap_get_unmapped_area,
#endif

#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
/*
 * A huge folio mapped by one PMD in a PFN mapping (6.12 on; 6.1 cannot). The
 * PFN came as a pfn_t until 7.x, flagged PFN_DEV as for a PTE there.
 */
static inline vm_fault_t sgdemo_vmf_insert_pfn_pmd(struct vm_fault *vmf, unsigned long pfn,
						   bool write)
{
#ifdef SGDEMO_HAVE_PFN_T
	return vmf_insert_pfn_pmd(vmf, __pfn_to_pfn_t(pfn, PFN_DEV), write);
#else
	return vmf_insert_pfn_pmd(vmf, pfn, write);
#endif
}
#endif

/*
 * Since 6.8 a scheduler has a run queue per priority, which it is told the
 * number of; before, it always had them all.
 */
#ifdef SGDEMO_HAVE_SCHED_NUM_RQS
#define SGDEMO_SCHED_INIT_ARGS_RQS	.num_rqs = DRM_SCHED_PRIORITY_COUNT,
#else
#define SGDEMO_SCHED_INIT_ARGS_RQS
#endif

/*
 * Since 6.7 a job costs credits of the scheduler's credit limit (sgdemo's
 * cost one each), and since 6.15 it names the DRM client it comes from;
 * Debian's 6.12 has both, Debian's 6.1 neither.
 */
static inline int sgdemo_sched_job_init(struct drm_sched_job *job,
					struct drm_sched_entity *entity,
					struct drm_file *file)
{
#if defined(SGDEMO_HAVE_SCHED_CLIENT_ID)
	return drm_sched_job_init(job, entity, 1, file->driver_priv, file->client_id);
#elif defined(SGDEMO_HAVE_SCHED_JOB_CREDITS)
	return drm_sched_job_init(job, entity, 1, file->driver_priv);
#else
	return drm_sched_job_init(job, entity, file->driver_priv);
#endif
}

/*
 * What guards a shmem object's page array: until 6.5 the helpers' own
 * pages_lock mutex, since then the object's reservation lock. sgdemo's fault
 * handler takes the same lock the helpers' would.
 */
static inline void sgdemo_shmem_pages_lock(struct drm_gem_shmem_object *shmem)
{
#ifdef SGDEMO_HAVE_SHMEM_PAGES_LOCK
	mutex_lock(&shmem->pages_lock);
#else
	dma_resv_lock(shmem->base.resv, NULL);
#endif
}

static inline void sgdemo_shmem_pages_unlock(struct drm_gem_shmem_object *shmem)
{
#ifdef SGDEMO_HAVE_SHMEM_PAGES_LOCK
	mutex_unlock(&shmem->pages_lock);
#else
	dma_resv_unlock(shmem->base.resv);
#endif
}

/*
 * On 7.x (not yet on 6.12) the shmem helpers mark a page dirty when a mapping first writes
 * to it (&vm_operations_struct.pfn_mkwrite), so that the write is not lost
 * when the pages are put back; before, they did not track writes at all. The
 * helpers' own vm_ops tell which kind of kernel this is (the header does
 * not): sgdemo tracks writes exactly where the helpers do.
 */
static inline bool sgdemo_shmem_tracks_writes(void)
{
	return drm_gem_shmem_vm_ops.pfn_mkwrite;
}

#endif /* _SGDEMO_COMPAT_H_ */
