// SPDX-License-Identifier: GPL-2.0
/*
 * The driver's ioctls. Each one validates every field of its argument before
 * it changes anything, and writes its results only once it has succeeded.
 */

#include <linux/capability.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_vma_manager.h>

#include "drm_sgdemo.h"
#include "sgdemo.h"
#include "sgdemo_gem.h"
#include "sgdemo_ioctl.h"
#include "sgdemo_sgt.h"

/**
 * sgdemo_ioctl_create - DRM_IOCTL_SGDEMO_CREATE
 * @dev: the DRM device
 * @data: a &struct drm_sgdemo_create
 * @file: the DRM file that gets the handle
 *
 * Returns: 0 on success; -EINVAL for unknown flags; otherwise as
 * sgdemo_gem_create_with_handle().
 */
int sgdemo_ioctl_create(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct drm_sgdemo_create *args = data;
	u64 size = args->size;
	u32 handle;
	int ret;

	if (args->flags)
		return -EINVAL;

	ret = sgdemo_gem_create_with_handle(file, dev, &size, &handle);
	if (ret)
		return ret;

	args->size = size;
	args->handle = handle;
	return 0;
}

/**
 * sgdemo_ioctl_mmap_offset - DRM_IOCTL_SGDEMO_MMAP_OFFSET
 * @dev: the DRM device
 * @data: a &struct drm_sgdemo_mmap_offset
 * @file: the DRM file that owns the handle
 *
 * Returns: 0 on success; -EINVAL for non-zero padding; -ENOENT for an unknown
 * handle; -ENOMEM or -ENOSPC when no offset can be allocated.
 */
int sgdemo_ioctl_mmap_offset(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct drm_sgdemo_mmap_offset *args = data;
	struct drm_gem_object *obj;
	int ret;

	if (args->pad)
		return -EINVAL;

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;

	ret = drm_gem_create_mmap_offset(obj);
	if (!ret)
		args->offset = drm_vma_node_offset_addr(&obj->vma_node);

	drm_gem_object_put(obj);
	return ret;
}

/* The calling file's owned table @id, with a reference, or NULL. */
static struct sgdemo_sgt *sgdemo_file_sgt(struct drm_file *file, u32 id)
{
	struct sgdemo_file *sfile = file->driver_priv;
	struct sgdemo_sgt *owned;

	/* Under the lock, SGT_RELEASE cannot drop the last reference first. */
	xa_lock(&sfile->owned);
	owned = xa_load(&sfile->owned, id);
	if (owned)
		sgdemo_sgt_get(owned);
	xa_unlock(&sfile->owned);
	return owned;
}

/* Runs of physically contiguous pages under a table of our own pages. */
static u32 sgdemo_sgt_page_runs(struct sg_table *sgt)
{
	unsigned long prev = 0;
	struct sg_page_iter piter;
	u32 runs = 0;

	for_each_sgtable_page(sgt, &piter, 0) {
		unsigned long pfn = page_to_pfn(sg_page_iter_page(&piter));

		if (!runs || pfn != prev + 1)
			runs++;
		prev = pfn;
	}
	return runs;
}

/*
 * Segment lengths and page runs tell how the pages lie in physical memory,
 * which /proc/PID/pagemap hides from all but CAP_SYS_ADMIN: so does sgdemo.
 * Everyone gets sizes and counts.
 */
static int sgdemo_sgt_describe(struct drm_gem_object *obj, struct sg_table *sgt,
			       struct drm_sgdemo_sgt_info *args)
{
	u64 __user *lengths = u64_to_user_ptr(args->segments_ptr);
	bool layout = capable(CAP_SYS_ADMIN);
	struct scatterlist *sg;
	unsigned int i;
	u64 size = 0;

	if (lengths && !layout)
		return -EPERM;
	for_each_sgtable_dma_sg(sgt, sg, i)
		size += sg_dma_len(sg);

	if (lengths && args->count >= sgt->nents) {
		for_each_sgtable_dma_sg(sgt, sg, i)
			if (put_user((u64)sg_dma_len(sg), &lengths[i]))
				return -EFAULT;
	}

	args->count = sgt->nents;
	args->size = size;
	args->nents = sgt->nents;
	args->orig_nents = sgt->orig_nents;
	/* An importer never looks at the exporter's pages. */
	args->page_runs = obj->import_attach || !layout ? 0 : sgdemo_sgt_page_runs(sgt);
	return 0;
}

/**
 * sgdemo_ioctl_sgt_info - DRM_IOCTL_SGDEMO_SGT_INFO
 * @dev: the DRM device
 * @data: a &struct drm_sgdemo_sgt_info
 * @file: the DRM file that owns the handle or the table id
 *
 * Returns: 0 on success; -EINVAL for unknown flags, non-zero padding or not
 * exactly one of handle and id; -ENOENT for an unknown handle or id; -EPERM
 * for segment lengths asked without CAP_SYS_ADMIN; -EFAULT when the segment
 * array cannot be written; or why the table could not be built.
 */
int sgdemo_ioctl_sgt_info(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct drm_sgdemo_sgt_info *args = data;
	struct drm_gem_object *obj;
	struct sgdemo_sgt *owned;
	struct sg_table *sgt;
	int ret;

	if (args->flags || args->pad || !args->handle == !args->id)
		return -EINVAL;

	if (args->id) {
		owned = sgdemo_file_sgt(file, args->id);
		if (!owned)
			return -ENOENT;
		ret = sgdemo_sgt_describe(owned->obj, owned->sgt, args);
		sgdemo_sgt_put(owned);
		return ret;
	}

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	sgt = sgdemo_sgt_borrow(obj);
	ret = IS_ERR(sgt) ? PTR_ERR(sgt) : sgdemo_sgt_describe(obj, sgt, args);
	/* The borrowed table is not used past the object reference. */
	drm_gem_object_put(obj);
	return ret;
}

/**
 * sgdemo_ioctl_sgt_acquire - DRM_IOCTL_SGDEMO_SGT_ACQUIRE
 * @dev: the DRM device
 * @data: a &struct drm_sgdemo_sgt_acquire
 * @file: the DRM file that owns the handle and gets the id
 *
 * Returns: 0 on success; -EINVAL for unknown flags or non-zero padding;
 * -ENOENT for an unknown handle; -ENODEV once the device is unplugged;
 * -ENOMEM or -EBUSY when no table or id can be allocated.
 */
int sgdemo_ioctl_sgt_acquire(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct sgdemo_file *sfile = file->driver_priv;
	struct drm_sgdemo_sgt_acquire *args = data;
	struct drm_gem_object *obj;
	struct sgdemo_sgt *owned;
	u32 id;
	int ret;

	if (args->flags || args->pad)
		return -EINVAL;

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	owned = sgdemo_sgt_acquire(obj);
	drm_gem_object_put(obj);
	if (IS_ERR(owned))
		return PTR_ERR(owned);

	ret = xa_alloc(&sfile->owned, &id, owned, xa_limit_32b, GFP_KERNEL_ACCOUNT);
	if (ret) {
		sgdemo_sgt_put(owned);
		return ret;
	}

	args->id = id;
	return 0;
}

/**
 * sgdemo_ioctl_sgt_release - DRM_IOCTL_SGDEMO_SGT_RELEASE
 * @dev: the DRM device
 * @data: a &struct drm_sgdemo_sgt_release
 * @file: the DRM file that holds the table id
 *
 * Returns: 0 on success; -EINVAL for non-zero padding; -ENOENT for an id
 * the file does not hold.
 */
int sgdemo_ioctl_sgt_release(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct sgdemo_file *sfile = file->driver_priv;
	struct drm_sgdemo_sgt_release *args = data;
	struct sgdemo_sgt *owned;

	if (args->pad)
		return -EINVAL;
	/*
	 * Ids start at 1 (XA_FLAGS_ALLOC1): index 0 holds a reserved entry
	 * that keeps it busy, and xa_erase() of index 0 would free it, so
	 * that the next SGT_ACQUIRE handed out id 0.
	 */
	if (!args->id)
		return -ENOENT;

	owned = xa_erase(&sfile->owned, args->id);
	if (!owned)
		return -ENOENT;
	sgdemo_sgt_put(owned);
	return 0;
}

/**
 * sgdemo_ioctl_sgt_read - DRM_IOCTL_SGDEMO_SGT_READ
 * @dev: the DRM device
 * @data: a &struct drm_sgdemo_sgt_read
 * @file: the DRM file that holds the table id
 *
 * Returns: 0 on success; -EINVAL for unknown flags or a bad range; -ENOENT
 * for an unknown id; -EFAULT when the destination cannot be written;
 * -ERESTARTSYS when a signal ends the wait for the object's writers.
 */
int sgdemo_ioctl_sgt_read(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct drm_sgdemo_sgt_read *args = data;
	struct sgdemo_sgt *owned;
	int ret;

	if (args->flags)
		return -EINVAL;

	owned = sgdemo_file_sgt(file, args->id);
	if (!owned)
		return -ENOENT;
	ret = sgdemo_sgt_read(owned, args->offset, args->length,
			      u64_to_user_ptr(args->data_ptr));
	sgdemo_sgt_put(owned);
	return ret;
}
