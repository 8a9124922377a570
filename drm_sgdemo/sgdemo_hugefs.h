/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Huge pages for native objects (sgdemo_hugefs.c): the tmpfs their pages
 * live on.
 */
#ifndef _SGDEMO_HUGEFS_H_
#define _SGDEMO_HUGEFS_H_

struct drm_gem_object;
struct sgdemo_device;

/**
 * DOC: Huge pages
 *
 * A native object's pages come from a tmpfs mounted with
 * ``huge=within_size``: wherever a whole 2 MiB folio fits inside the object,
 * shmem gives it one. One fault then maps 2 MiB (sgdemo_mmap.c), and a
 * table needs one segment per huge folio. On 7.x the DRM core mounts it for
 * the device (drm_gem_huge_mnt_create()) and creates every object on it.
 * Before, the core cannot, and sgdemo mounts a tmpfs of its own per device
 * (the way i915's gemfs does) and moves each new object onto it before the
 * object has any page: the shmem helpers made the object's file on the
 * kernel's shm mount, and the object gets a new file of the same size on
 * sgdemo's mount, with the same allocation flags; the first file goes.
 * Objects smaller than a huge folio stay where they are: they could get no
 * huge folio, and a second file costs.
 *
 * The private mount's policy applies whatever the system's shmem_enabled
 * says, unless that is "deny" (or "force"). A kernel without transparent
 * huge pages gets no mount, and its objects stay on the shm mount with small
 * pages. The mount is taken down with the drm_device; an object's file
 * holds the mount's superblock for as long as the object lives.
 */

int sgdemo_hugefs_init(struct sgdemo_device *sdev);
int sgdemo_hugefs_adopt(struct drm_gem_object *obj);

#endif /* _SGDEMO_HUGEFS_H_ */
