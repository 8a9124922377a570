/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dma-buf export and import of sgdemo objects (sgdemo_prime.c).
 */
#ifndef _SGDEMO_PRIME_H_
#define _SGDEMO_PRIME_H_

struct dma_buf;
struct dma_buf_attachment;
struct drm_device;
struct drm_gem_object;

struct dma_buf *sgdemo_gem_prime_export(struct drm_gem_object *obj, int flags);
struct drm_gem_object *sgdemo_gem_prime_import(struct drm_device *dev, struct dma_buf *dmabuf);
struct drm_gem_object *sgdemo_prime_exporter(struct drm_gem_object *obj);
void sgdemo_prime_sync_for_cpu(struct drm_gem_object *obj);
void sgdemo_prime_sync_one_for_cpu(struct drm_gem_object *obj, struct dma_buf_attachment *attach);
void sgdemo_prime_sync_for_device(struct drm_gem_object *obj);

#endif /* _SGDEMO_PRIME_H_ */
