/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The driver's ioctls: SUBMIT in sgdemo_submit.c, the others in
 * sgdemo_ioctl.c. sgdemo_drv.c puts them in the driver's ioctl table.
 */
#ifndef _SGDEMO_IOCTL_H_
#define _SGDEMO_IOCTL_H_

struct drm_device;
struct drm_file;

int sgdemo_ioctl_create(struct drm_device *dev, void *data, struct drm_file *file);
int sgdemo_ioctl_mmap_offset(struct drm_device *dev, void *data, struct drm_file *file);
int sgdemo_ioctl_sgt_info(struct drm_device *dev, void *data, struct drm_file *file);
int sgdemo_ioctl_sgt_acquire(struct drm_device *dev, void *data, struct drm_file *file);
int sgdemo_ioctl_sgt_release(struct drm_device *dev, void *data, struct drm_file *file);
int sgdemo_ioctl_sgt_read(struct drm_device *dev, void *data, struct drm_file *file);
int sgdemo_ioctl_submit(struct drm_device *dev, void *data, struct drm_file *file);

#endif /* _SGDEMO_IOCTL_H_ */
