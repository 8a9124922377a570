// SPDX-License-Identifier: GPL-2.0
/*
 * sgdemo is a virtual GEM device in the family of vgem: shmem-backed buffer
 * objects that userspace creates, maps and shares through PRIME. It exists to
 * show who owns a GEM object's scatter-gather table and how long it lives.
 */

#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_prime.h>

#include "drm_sgdemo.h"
#include "sgdemo.h"
#include "sgdemo_compat.h"
#include "sgdemo_drv.h"
#include "sgdemo_engine.h"
#include "sgdemo_gem.h"
#include "sgdemo_hugefs.h"
#include "sgdemo_ioctl.h"
#include "sgdemo_mmap.h"
#include "sgdemo_pci.h"
#include "sgdemo_prime.h"
#include "sgdemo_sgt.h"

static const struct drm_ioctl_desc sgdemo_ioctls[] = {
	DRM_IOCTL_DEF_DRV(SGDEMO_CREATE, sgdemo_ioctl_create, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SGDEMO_MMAP_OFFSET, sgdemo_ioctl_mmap_offset, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SGDEMO_SGT_INFO, sgdemo_ioctl_sgt_info, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SGDEMO_SGT_ACQUIRE, sgdemo_ioctl_sgt_acquire, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SGDEMO_SGT_RELEASE, sgdemo_ioctl_sgt_release, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SGDEMO_SGT_READ, sgdemo_ioctl_sgt_read, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SGDEMO_SUBMIT, sgdemo_ioctl_submit, DRM_RENDER_ALLOW),
};

static int sgdemo_open(struct drm_device *dev, struct drm_file *file)
{
	struct sgdemo_file *sfile;
	int ret;

	sfile = kzalloc_obj(*sfile, GFP_KERNEL_ACCOUNT);
	if (!sfile)
		return -ENOMEM;

	ret = sgdemo_engine_open(&to_sgdemo_device(dev)->engine, &sfile->queue);
	if (ret) {
		kfree(sfile);
		return ret;
	}
	xa_init_flags(&sfile->owned, XA_FLAGS_ALLOC1);
	file->driver_priv = sfile;
	return 0;
}

/*
 * Closing the file ends its queue on the engine, then releases every owned
 * table it still holds; its jobs hold their own.
 */
static void sgdemo_postclose(struct drm_device *dev, struct drm_file *file)
{
	struct sgdemo_file *sfile = file->driver_priv;
	struct sgdemo_sgt *owned;
	unsigned long id;

	sgdemo_engine_close(&to_sgdemo_device(dev)->engine, &sfile->queue);

	xa_for_each(&sfile->owned, id, owned)
		sgdemo_sgt_put(owned);
	xa_destroy(&sfile->owned);
	kfree(sfile);
}

static const struct file_operations sgdemo_fops = {
	.owner		= THIS_MODULE,
	DRM_GEM_FOPS,
	SGDEMO_FOPS_GET_UNMAPPED_AREA
};

/* Not static: the KUnit suite makes devices of its own with it. */
const struct drm_driver sgdemo_driver = {
	.driver_features		= DRIVER_GEM | DRIVER_RENDER |
					  DRIVER_SYNCOBJ | DRIVER_SYNCOBJ_TIMELINE,
	.fops				= &sgdemo_fops,
	.ioctls				= sgdemo_ioctls,
	.num_ioctls			= ARRAY_SIZE(sgdemo_ioctls),
	.open				= sgdemo_open,
	.postclose			= sgdemo_postclose,

	.gem_create_object		= sgdemo_gem_create_object,
	.dumb_create			= sgdemo_gem_dumb_create,
	/*
	 * Import by attaching and mapping the dma-buf, so that an imported
	 * object has its sg_table on every kernel. Named here rather than
	 * taken from DRM_GEM_SHMEM_DRIVER_OPS, which on 7.x imports without a
	 * mapping.
	 */
	.gem_prime_import		= sgdemo_gem_prime_import,
	.gem_prime_import_sg_table	= sgdemo_gem_prime_import_sg_table,
	SGDEMO_DRIVER_PRIME_OPS

	.name				= DRIVER_NAME,
	.desc				= DRIVER_DESC,
	SGDEMO_DRIVER_DATE
	.major				= DRIVER_MAJOR,
	.minor				= DRIVER_MINOR,
};

/**
 * sgdemo_device_init - initialise the state of a new device
 * @sdev: the device, just allocated
 *
 * Everything but the copy engine, which sgdemo_engine_init() starts: the
 * KUnit suite's devices have none.
 */
void sgdemo_device_init(struct sgdemo_device *sdev)
{
	sgdemo_dma_init(sdev, sdev->drm.dev);
}

/**
 * sgdemo_device_create - make, set up and register an sgdemo device
 * @parent: the device it is made for, its DMA mask and segment size set;
 *	    the DRM device is released with it (devm)
 * @edu: the edu device behind it, or NULL for the platform device
 *
 * Returns: the registered device, or an ERR_PTR().
 */
struct sgdemo_device *sgdemo_device_create(struct device *parent, struct sgdemo_edu *edu)
{
	struct sgdemo_device *sdev;
	int ret;

	sdev = devm_drm_dev_alloc(parent, &sgdemo_driver, struct sgdemo_device, drm);
	if (IS_ERR(sdev))
		return sdev;
	sdev->edu = edu;
	sgdemo_device_init(sdev);

	/*
	 * Objects live on a tmpfs of their own that backs them with
	 * transparent huge pages wherever a whole huge folio fits in the
	 * object (sgdemo_hugefs.h). Failing to mount it leaves the device half
	 * set up: the probe fails.
	 */
	ret = sgdemo_hugefs_init(sdev);
	if (ret)
		return ERR_PTR(ret);

	ret = sgdemo_engine_init(&sdev->engine, &sdev->drm);
	if (ret)
		return ERR_PTR(ret);
	ret = drm_dev_register(&sdev->drm, 0);
	if (ret) {
		sgdemo_engine_fini(&sdev->engine);
		return ERR_PTR(ret);
	}
	sgdemo_dma_debugfs_add(sdev);
	return sdev;
}

/**
 * sgdemo_device_unplug - the device is going: end its work and mappings
 * @sdev: the device
 *
 * Open files, mappings, dma-bufs and owned tables may outlive the device:
 * unplug makes new ioctls fail with -ENODEV, and no DMA mapping may outlive
 * the device, so every mapping made for it (borrowed and owned tables,
 * imports' attachments) is ended now, once the copy engine has finished or
 * failed every job. The drm_device itself is freed when its last reference
 * goes.
 */
void sgdemo_device_unplug(struct sgdemo_device *sdev)
{
	sgdemo_dma_debugfs_remove(sdev);
	drm_dev_unplug(&sdev->drm);
	sgdemo_engine_fini(&sdev->engine);
	sgdemo_dma_unplug(sdev);
}

static int sgdemo_probe(struct platform_device *pdev)
{
	struct sgdemo_device *sdev;
	int ret;

	/*
	 * A virtual device can address all memory; with the default 32-bit
	 * mask, mapping sg_tables would bounce through swiotlb.
	 */
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	/*
	 * Nor does it limit a segment's length: the tables the shmem helpers
	 * build merge every run of contiguous pages, and the DMA API's default
	 * limit (64 KiB) would be exceeded.
	 */
	dma_set_max_seg_size(&pdev->dev, UINT_MAX);

	sdev = sgdemo_device_create(&pdev->dev, NULL);
	if (IS_ERR(sdev))
		return PTR_ERR(sdev);
	platform_set_drvdata(pdev, sdev);
	return 0;
}

static void sgdemo_remove(struct platform_device *pdev)
{
	sgdemo_device_unplug(platform_get_drvdata(pdev));
}

static struct platform_driver sgdemo_platform_driver = {
	.probe				= sgdemo_probe,
	.SGDEMO_PLATFORM_REMOVE		= sgdemo_remove,
	.driver = {
		.name			= DRIVER_NAME,
		/* sgdemo_init() checks the probe's result right away. */
		.probe_type		= PROBE_FORCE_SYNCHRONOUS,
	},
};

static struct platform_device *sgdemo_pdev;

static int __init sgdemo_init(void)
{
	int ret;

	ret = sgdemo_dma_mode_init();
	if (ret)
		return ret;
	sgdemo_debugfs_init();

	ret = platform_driver_register(&sgdemo_platform_driver);
	if (ret)
		goto out_debugfs;

	sgdemo_pdev = platform_device_register_simple(DRIVER_NAME, -1, NULL, 0);
	if (IS_ERR(sgdemo_pdev)) {
		ret = PTR_ERR(sgdemo_pdev);
		goto out_unregister;
	}

	/* Probing is synchronous: no driver data means the probe failed. */
	if (!platform_get_drvdata(sgdemo_pdev)) {
		ret = -ENODEV;
		goto out_device;
	}

	/* A PCI device that is there, or comes, is a device of its own. */
	ret = sgdemo_pci_register();
	if (ret)
		goto out_device;
	return 0;

out_device:
	platform_device_unregister(sgdemo_pdev);
out_unregister:
	platform_driver_unregister(&sgdemo_platform_driver);
out_debugfs:
	sgdemo_debugfs_fini();
	return ret;
}

static void __exit sgdemo_exit(void)
{
	sgdemo_pci_unregister();
	platform_device_unregister(sgdemo_pdev);
	platform_driver_unregister(&sgdemo_platform_driver);
	sgdemo_debugfs_fini();
}

module_init(sgdemo_init);
module_exit(sgdemo_exit);

MODULE_AUTHOR("drm_sgdemo developers");
MODULE_DESCRIPTION("Virtual GEM device showing scatter-gather table ownership");
MODULE_LICENSE("GPL");
MODULE_VERSION(SGDEMO_VERSION);
SGDEMO_IMPORT_NS_DMA_BUF;
