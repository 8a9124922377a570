// SPDX-License-Identifier: GPL-2.0
/*
 * GEM objects of sgdemo: the shmem helpers' objects, with their object
 * functions wrapped to keep the driver's counters and to refuse copy-on-write
 * mappings. Native, dumb and imported objects all come through here.
 */

#include <linux/build_bug.h>
#include <linux/err.h>
#include <linux/limits.h>
#include <linux/math.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>

#include "sgdemo.h"
#include "sgdemo_compat.h"
#include "sgdemo_gem.h"
#include "sgdemo_hugefs.h"
#include "sgdemo_mmap.h"
#include "sgdemo_prime.h"

/* The shmem helpers kfree() the drm_gem_shmem_object they were given. */
static_assert(offsetof(struct sgdemo_object, base) == 0);

static void sgdemo_gem_free(struct drm_gem_object *obj)
{
	struct sgdemo_object *sobj = to_sgdemo_object(obj);

	/* The borrowed table, in reverse order of sgdemo_gem_borrow_map(). */
	if (sobj->borrowed) {
		sgdemo_dma_unmap(&sobj->borrowed_map);
		sg_free_table(sobj->borrowed_map.sgt);
		kfree(sobj->borrowed_map.sgt);
		sgdemo_gem_unpin_pages(obj);
		sgdemo_count(SGDEMO_BORROWED_TABLES, -1);
	}
	/* An import's mapping for the device, unless unplug ended it. */
	if (obj->import_attach)
		sgdemo_dma_import_end(obj);
	mutex_destroy(&sobj->shared_lock);
	mutex_destroy(&sobj->map_lock);
	mutex_destroy(&sobj->borrow_lock);
	drm_gem_shmem_object_free(obj);
	sgdemo_count(SGDEMO_OBJECTS, -1);
}

/* Every pin of an object's pages, and every unpin, is counted here. */
static void sgdemo_gem_count_pin(struct drm_gem_object *obj, long sign)
{
	sgdemo_count(SGDEMO_PAGES_PINNED, sign * (long)(obj->size >> PAGE_SHIFT));
}

/* &drm_gem_object_funcs.pin: dma-buf attachments, reservation lock held on 6.12+. */
static int sgdemo_gem_pin(struct drm_gem_object *obj)
{
	int ret;

	ret = drm_gem_shmem_object_pin(obj);
	if (!ret)
		sgdemo_gem_count_pin(obj, 1);
	return ret;
}

static void sgdemo_gem_unpin(struct drm_gem_object *obj)
{
	drm_gem_shmem_object_unpin(obj);
	sgdemo_gem_count_pin(obj, -1);
}

/**
 * sgdemo_gem_pin_pages - pin a native object's pages, and count the pin
 * @obj: the object; its reservation lock must not be held
 *
 * For the driver's own users of the pages (borrowed and owned tables).
 *
 * Returns: 0 or a negative errno from the shmem helpers.
 */
int sgdemo_gem_pin_pages(struct drm_gem_object *obj)
{
	int ret;

	ret = sgdemo_inject_fault() ? -ENOMEM : drm_gem_shmem_pin(&to_sgdemo_object(obj)->base);
	if (!ret)
		sgdemo_gem_count_pin(obj, 1);
	return ret;
}

/**
 * sgdemo_gem_unpin_pages - drop a pin taken with sgdemo_gem_pin_pages()
 * @obj: the object; its reservation lock must not be held
 */
void sgdemo_gem_unpin_pages(struct drm_gem_object *obj)
{
	drm_gem_shmem_unpin(&to_sgdemo_object(obj)->base);
	sgdemo_gem_count_pin(obj, -1);
}

/* Pins the pages, builds a table of them and maps it for the device. */
static int sgdemo_gem_borrow_map(struct drm_gem_object *obj)
{
	struct sgdemo_object *sobj = to_sgdemo_object(obj);
	struct sg_table *sgt;
	int ret;

	ret = sgdemo_gem_pin_pages(obj);
	if (ret)
		return ret;
	sgt = sgdemo_inject_fault() ? ERR_PTR(-ENOMEM) : drm_gem_shmem_get_sg_table(&sobj->base);
	if (IS_ERR(sgt)) {
		ret = PTR_ERR(sgt);
		goto err_unpin;
	}
	ret = sgdemo_dma_map(&sobj->borrowed_map, obj, sgt);
	if (ret)
		goto err_free_table;
	sobj->borrowed = true;
	sgdemo_count(SGDEMO_BORROWED_TABLES, 1);
	return 0;

err_free_table:
	sg_free_table(sgt);
	kfree(sgt);
err_unpin:
	sgdemo_gem_unpin_pages(obj);
	return ret;
}

/**
 * sgdemo_gem_borrow_table - the object's cached, DMA-mapped table
 * @obj: the object; the caller holds a reference on it for as long as it
 *	 uses the table
 *
 * The first call on a native object pins its pages, builds the table and
 * DMA-maps it for the device (sgdemo_dma_map()); the object keeps the pin
 * and the table until it is freed, the mapping until then or until the
 * device is unplugged. An imported object's table is the attachment's.
 *
 * Returns: the object's table, which the caller must not free, or an
 * ERR_PTR(): -ENODEV for an import whose mapping ended at unplug, -ENOSPC
 * when the device's DMA budget or the object's mappings are used up, or why
 * the pages cannot be had.
 */
struct sg_table *sgdemo_gem_borrow_table(struct drm_gem_object *obj)
{
	struct sgdemo_object *sobj = to_sgdemo_object(obj);
	int ret = 0;

	if (obj->import_attach)
		return sobj->base.sgt ?: ERR_PTR(-ENODEV);

	mutex_lock(&sobj->borrow_lock);
	if (!sobj->borrowed)
		ret = sgdemo_gem_borrow_map(obj);
	mutex_unlock(&sobj->borrow_lock);
	return ret ? ERR_PTR(ret) : sobj->borrowed_map.sgt;
}

static int sgdemo_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	/*
	 * A private writable mapping would give the process copies of pages
	 * the object does not know about, and the fault handler inserts PFNs,
	 * which copy-on-write cannot handle. Only shared mappings.
	 */
	if (sgdemo_vma_is_cow_mapping(vma))
		return -EINVAL;

	return sgdemo_mmap_object(obj, vma);
}

static const struct drm_gem_object_funcs sgdemo_gem_funcs = {
	.free		= sgdemo_gem_free,
	.print_info	= drm_gem_shmem_object_print_info,
	.pin		= sgdemo_gem_pin,
	.unpin		= sgdemo_gem_unpin,
	.get_sg_table	= drm_gem_shmem_object_get_sg_table,
	.vmap		= drm_gem_shmem_object_vmap,
	.vunmap		= drm_gem_shmem_object_vunmap,
	.mmap		= sgdemo_gem_mmap,
	.export		= sgdemo_gem_prime_export,
	.vm_ops		= &sgdemo_mmap_vm_ops,
};

/**
 * sgdemo_gem_create_object - &drm_driver.gem_create_object hook
 * @dev: the DRM device
 * @size: the object's size in bytes
 *
 * Allocates a &struct sgdemo_object for the shmem helpers and gives it the
 * driver's object functions. Mappings stay cached (map_wc is false): the
 * device is virtual, and coherent with the CPU's caches where it reaches
 * memory through DMA addresses (the engine's device mode).
 *
 * Returns: the new object, or an ERR_PTR() on allocation failure.
 */
struct drm_gem_object *sgdemo_gem_create_object(struct drm_device *dev, size_t size)
{
	struct sgdemo_object *sobj;

	sobj = sgdemo_inject_fault() ? NULL : kzalloc_obj(*sobj, GFP_KERNEL_ACCOUNT);
	if (!sobj)
		return ERR_PTR(-ENOMEM);

	mutex_init(&sobj->borrow_lock);
	mutex_init(&sobj->map_lock);
	mutex_init(&sobj->shared_lock);
	INIT_LIST_HEAD(&sobj->mappings);
	INIT_LIST_HEAD(&sobj->import_link);
	sobj->base.base.funcs = &sgdemo_gem_funcs;
	return &sobj->base.base;
}

/**
 * sgdemo_gem_create - create a native object
 * @dev: the DRM device
 * @size: size in bytes, a whole number of pages
 *
 * Every native object is made here, and counted here.
 *
 * Returns: the object with one reference for the caller, or an ERR_PTR().
 */
struct drm_gem_shmem_object *sgdemo_gem_create(struct drm_device *dev, size_t size)
{
	struct drm_gem_shmem_object *shmem;
	int ret;

	shmem = drm_gem_shmem_create(dev, size);
	if (IS_ERR(shmem))
		return shmem;
	/* Counted now: its free, on the error path too, uncounts it. */
	sgdemo_count(SGDEMO_OBJECTS, 1);
	ret = sgdemo_hugefs_adopt(&shmem->base);
	if (ret) {
		drm_gem_object_put(&shmem->base);
		return ERR_PTR(ret);
	}
	return shmem;
}

/**
 * sgdemo_gem_create_with_handle - create a native object and a handle for it
 * @file: the DRM file that gets the handle
 * @dev: the DRM device
 * @size: in: the requested size in bytes; out: rounded up to whole pages
 * @handle: out: the new handle
 *
 * For DRM_IOCTL_SGDEMO_CREATE and dumb buffers alike. The object is counted
 * before any handle to it exists.
 *
 * Returns: 0 on success; -EINVAL for a zero size or one that wraps around
 * when rounded up to a page; -E2BIG for a size beyond the system's memory or
 * what one object can address; -ENOMEM, -ENOSPC or -ENFILE when the object,
 * its mmap offset or its handle cannot be allocated.
 */
int sgdemo_gem_create_with_handle(struct drm_file *file, struct drm_device *dev,
				  u64 *size, u32 *handle)
{
	struct drm_gem_shmem_object *shmem;
	u64 aligned = PAGE_ALIGN(*size);
	int ret;

	if (!aligned)
		return -EINVAL;
	/* Beyond RAM, size_t, or a page array kvmalloc() accepts. */
	if (aligned >> PAGE_SHIFT > totalram_pages() || aligned > SIZE_MAX ||
	    aligned >> PAGE_SHIFT > INT_MAX / sizeof(struct page *))
		return -E2BIG;

	shmem = sgdemo_gem_create(dev, aligned);
	if (IS_ERR(shmem))
		return PTR_ERR(shmem);

	ret = drm_gem_handle_create(file, &shmem->base, handle);
	/* The handle, if any, now holds the object. */
	drm_gem_object_put(&shmem->base);
	if (ret)
		return ret;

	*size = aligned;
	return 0;
}

/**
 * sgdemo_gem_dumb_create - &drm_driver.dumb_create hook
 * @file: the DRM file that gets the handle
 * @dev: the DRM device
 * @args: the dumb-buffer request; the DRM core has checked that width, height
 *	  and bpp are non-zero and that pitch times height fits in 32 bits
 *
 * Rows are packed: the pitch is the width in bytes. The uAPI reserves
 * @args->flags, and the DRM core does not check them: sgdemo does.
 *
 * Returns: 0 on success; -EINVAL for a flag set; otherwise a negative errno,
 * as sgdemo_gem_create_with_handle().
 */
int sgdemo_gem_dumb_create(struct drm_file *file, struct drm_device *dev,
			   struct drm_mode_create_dumb *args)
{
	u64 pitch = DIV_ROUND_UP((u64)args->width * args->bpp, 8);
	u64 size = pitch * args->height;
	u32 handle;
	int ret;

	if (args->flags)
		return -EINVAL;
	ret = sgdemo_gem_create_with_handle(file, dev, &size, &handle);
	if (ret)
		return ret;

	args->pitch = pitch;
	args->size = size;
	args->handle = handle;
	return 0;
}

/**
 * sgdemo_gem_prime_import_sg_table - &drm_driver.gem_prime_import_sg_table hook
 * @dev: the DRM device
 * @attach: our attachment to the foreign dma-buf
 * @sgt: the attachment's mapped table; it belongs to the attachment and is
 *	 never freed by sgdemo
 *
 * Returns: the imported object, or an ERR_PTR().
 */
struct drm_gem_object *
sgdemo_gem_prime_import_sg_table(struct drm_device *dev,
				 struct dma_buf_attachment *attach,
				 struct sg_table *sgt)
{
	struct drm_gem_object *obj;

	obj = drm_gem_shmem_prime_import_sg_table(dev, attach, sgt);
	if (!IS_ERR(obj))
		sgdemo_count(SGDEMO_OBJECTS, 1);
	return obj;
}
