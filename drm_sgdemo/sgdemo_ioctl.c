// SPDX-License-Identifier: GPL-2.0
/*
 * The driver's ioctls. Each one validates every field of its argument before
 * it changes anything, and writes its results only once it has succeeded.
 */

#include <linux/err.h>
#include <linux/mm.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_vma_manager.h>

#include "drm_sgdemo.h"
#include "sgdemo_drv.h"

/**
 * sgdemo_ioctl_create - DRM_IOCTL_SGDEMO_CREATE
 * @dev: the DRM device
 * @data: a &struct drm_sgdemo_create
 * @file: the DRM file that gets the handle
 *
 * Returns: 0 on success; -EINVAL for unknown flags, a zero size or one that
 * overflows when rounded to pages; -E2BIG for a size beyond the system's
 * memory; -ENOMEM on allocation failure.
 */
int sgdemo_ioctl_create(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct drm_sgdemo_create *args = data;
	struct drm_gem_shmem_object *shmem;
	u32 handle;
	u64 size;
	int ret;

	if (args->flags)
		return -EINVAL;

	/* Zero, and sizes that wrap to zero when rounded up, are invalid. */
	size = PAGE_ALIGN(args->size);
	if (!size)
		return -EINVAL;
	if (size >> PAGE_SHIFT > totalram_pages())
		return -E2BIG;

	shmem = sgdemo_gem_create(dev, size);
	if (IS_ERR(shmem))
		return PTR_ERR(shmem);

	ret = drm_gem_handle_create(file, &shmem->base, &handle);
	/* The handle, if any, now holds the object. */
	drm_gem_object_put(&shmem->base);
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
