/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sgdemo DRM driver and the set-up of a new device (sgdemo_drv.c): for
 * the platform device here, for a PCI device in sgdemo_pci.c; the KUnit
 * suite makes devices of its own with them.
 */
#ifndef _SGDEMO_DRV_H_
#define _SGDEMO_DRV_H_

struct device;
struct drm_driver;
struct sgdemo_device;
struct sgdemo_edu;

extern const struct drm_driver sgdemo_driver;
void sgdemo_device_init(struct sgdemo_device *sdev);
struct sgdemo_device *sgdemo_device_create(struct device *parent, struct sgdemo_edu *edu);
void sgdemo_device_unplug(struct sgdemo_device *sdev);

#endif /* _SGDEMO_DRV_H_ */
