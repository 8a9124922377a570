/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sgdemo's GEM objects (sgdemo_gem.c): made, pinned and freed here, with the
 * table a borrower gets cached on the object.
 */
#ifndef _SGDEMO_GEM_H_
#define _SGDEMO_GEM_H_

#include <linux/types.h>

struct dma_buf_attachment;
struct drm_device;
struct drm_file;
struct drm_gem_object;
struct drm_gem_shmem_object;
struct drm_mode_create_dumb;
struct sg_table;

struct drm_gem_object *sgdemo_gem_create_object(struct drm_device *dev, size_t size);
struct drm_gem_shmem_object *sgdemo_gem_create(struct drm_device *dev, size_t size);
int sgdemo_gem_create_with_handle(struct drm_file *file, struct drm_device *dev,
				  u64 *size, u32 *handle);
int sgdemo_gem_dumb_create(struct drm_file *file, struct drm_device *dev,
			   struct drm_mode_create_dumb *args);
struct drm_gem_object *
sgdemo_gem_prime_import_sg_table(struct drm_device *dev,
				 struct dma_buf_attachment *attach,
				 struct sg_table *sgt);
int sgdemo_gem_pin_pages(struct drm_gem_object *obj);
void sgdemo_gem_unpin_pages(struct drm_gem_object *obj);
struct sg_table *sgdemo_gem_borrow_table(struct drm_gem_object *obj);

#endif /* _SGDEMO_GEM_H_ */
