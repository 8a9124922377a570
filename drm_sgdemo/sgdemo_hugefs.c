// SPDX-License-Identifier: GPL-2.0
/*
 * The tmpfs a device's native objects live on, with huge pages. The rules
 * are in sgdemo_hugefs.h ("Huge pages").
 */

#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/pgtable.h>
#include <linux/pagemap.h>

#include <drm/drm_gem.h>
#include <drm/drm_managed.h>

#include "sgdemo.h"
#include "sgdemo_compat.h"
#include "sgdemo_hugefs.h"

static void sgdemo_hugefs_unmount(struct drm_device *drm, void *mnt)
{
	kern_unmount(mnt);
}

/* sgdemo's own mount, where the DRM core cannot make one (before 7.x). */
static int sgdemo_hugefs_mount(struct sgdemo_device *sdev)
{
	char options[] = "huge=within_size";
	struct file_system_type *type;
	struct vfsmount *mnt;

	if (!IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE))
		return 0;
	type = get_fs_type("tmpfs");
	if (!type)
		return -ENODEV;
	mnt = vfs_kern_mount(type, SB_KERNMOUNT, type->name, options);
	if (IS_ERR(mnt))
		return PTR_ERR(mnt);
	sdev->hugefs = mnt;
	return drmm_add_action_or_reset(&sdev->drm, sgdemo_hugefs_unmount, mnt);
}

/**
 * sgdemo_hugefs_init - give a device's objects a tmpfs with huge pages
 * @sdev: the device, before it is registered
 *
 * The DRM core's mount where the kernel has one (7.x), else sgdemo's own;
 * none on a kernel without transparent huge pages.
 *
 * Returns: 0, or a negative errno from the mount.
 */
int sgdemo_hugefs_init(struct sgdemo_device *sdev)
{
	int ret = sgdemo_huge_mnt_create(&sdev->drm);

	return ret == -EOPNOTSUPP ? sgdemo_hugefs_mount(sdev) : ret;
}

/**
 * sgdemo_hugefs_adopt - move a new native object onto sgdemo's own tmpfs
 * @obj: the object, just created by the shmem helpers, with no page yet
 *
 * Nothing to do where the DRM core created the object on its mount, where
 * the device has no mount of sgdemo's, or for an object smaller than a huge
 * folio, which could get none: a second file costs its creation (6.1
 * create + close of 4 KiB objects ran at 0.59 of vgem's rate with it, 0.95
 * without).
 *
 * Returns: 0, or a negative errno when the new file cannot be made (the
 * object then keeps its first file).
 */
int sgdemo_hugefs_adopt(struct drm_gem_object *obj)
{
	struct vfsmount *mnt = to_sgdemo_device(obj->dev)->hugefs;
	struct file *filp;

	if (!mnt || obj->size < PMD_SIZE)
		return 0;
	filp = sgdemo_shmem_file_setup_with_mnt(mnt, "drm mm object", obj->size);
	if (IS_ERR(filp))
		return PTR_ERR(filp);
	mapping_set_gfp_mask(filp->f_mapping, mapping_gfp_mask(obj->filp->f_mapping));
	fput(obj->filp);
	obj->filp = filp;
	return 0;
}
