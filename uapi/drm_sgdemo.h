/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * drm_sgdemo.h - userspace interface of the sgdemo virtual DRM device
 *
 * sgdemo is a virtual, shmem-backed GEM device in the family of vgem. Its
 * render-node ioctls create buffer objects and map them; PRIME exports and
 * imports them.
 *
 * Every structure here is ABI: fields are only ever appended, reserved fields
 * and flags must be zero and are rejected with -EINVAL otherwise, and no field
 * ever carries a kernel or DMA address.
 */
#ifndef _UAPI_DRM_SGDEMO_H_
#define _UAPI_DRM_SGDEMO_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

#define DRM_SGDEMO_CREATE		0x00
#define DRM_SGDEMO_MMAP_OFFSET		0x01

/**
 * DOC: DRM_IOCTL_SGDEMO_CREATE
 *
 * Creates a shmem-backed buffer object of at least &drm_sgdemo_create.size
 * bytes and returns a GEM handle for it in the calling file. Allowed on render
 * nodes. Pages are allocated lazily, on first CPU access, export or pin.
 *
 * Errors: -EINVAL for unknown flags, a zero size or a size that overflows when
 * rounded up to a page; -E2BIG for a size larger than the system's memory;
 * -ENOMEM when the object or its handle cannot be allocated.
 */
#define DRM_IOCTL_SGDEMO_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SGDEMO_CREATE, struct drm_sgdemo_create)

/**
 * DOC: DRM_IOCTL_SGDEMO_MMAP_OFFSET
 *
 * Returns the fake offset to pass to mmap() on the DRM file descriptor to map
 * the object whose handle is given. The mapping must be MAP_SHARED: private
 * (copy-on-write) mappings are refused with -EINVAL by mmap().
 *
 * Errors: -EINVAL for a non-zero &drm_sgdemo_mmap_offset.pad, -ENOENT for a
 * handle that does not name an object of the calling file.
 */
#define DRM_IOCTL_SGDEMO_MMAP_OFFSET \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SGDEMO_MMAP_OFFSET, struct drm_sgdemo_mmap_offset)

/**
 * struct drm_sgdemo_create - argument of DRM_IOCTL_SGDEMO_CREATE
 */
struct drm_sgdemo_create {
	/**
	 * @size: In: the requested size in bytes, not zero. Out: the size of
	 * the object, the request rounded up to a whole number of pages.
	 */
	__u64 size;
	/** @flags: In: no flags are defined yet; must be zero. */
	__u32 flags;
	/** @handle: Out: the GEM handle of the new object. */
	__u32 handle;
};

/**
 * struct drm_sgdemo_mmap_offset - argument of DRM_IOCTL_SGDEMO_MMAP_OFFSET
 */
struct drm_sgdemo_mmap_offset {
	/** @handle: In: the GEM handle of the object to map. */
	__u32 handle;
	/** @pad: Reserved; must be zero. */
	__u32 pad;
	/** @offset: Out: the offset to pass to mmap() on the DRM fd. */
	__u64 offset;
};

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_DRM_SGDEMO_H_ */
