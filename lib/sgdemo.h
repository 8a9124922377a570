/* SPDX-License-Identifier: MIT */
/*
 * sgdemo.h - libsgdemo, thin wrappers of the sgdemo ioctls for userspace.
 *
 * libsgdemo wraps, for userspace, every ioctl of the sgdemo virtual DRM
 * device (uapi/drm_sgdemo.h, installed as <drm/drm_sgdemo.h>) and the few
 * generic DRM and dma-buf ioctls its users need alongside: closing a GEM
 * handle, PRIME export and import, dumb buffers (for the peers sgdemo shares
 * buffers with), and a dma-buf's fences as a sync_file. It also opens a DRM
 * node by driver name. The demo client, the benchmark, the stress programs,
 * the vkms importer and the IGT tests all build on it. Syncobjs are libdrm's
 * own drmSyncobj*(), which need no wrapper here.
 *
 * Conventions, those of IGT:
 * - __sgdemo_x() makes the call and returns 0 or a negative errno. It
 *   writes its outputs only when it succeeds, and does nothing to errno
 *   beyond what the failing system call left there (so errno == -ret right
 *   after a failed call; __sgdemo_open_driver() aside). Tests assert on the
 *   value; programs print it.
 * - sgdemo_x() is the same call for programs that cannot go on without it:
 *   on failure it prints "PROGRAM: IOCTL_NAME: strerror (errno N)" to
 *   stderr and exits with status 1 (stdout flushed first). Never use it in
 *   a library, or in an IGT test (wrap __sgdemo_x() in igt_assert_eq()).
 *   Every sgdemo ioctl has one; the generic calls only where a program
 *   uses it (add one the same way when a caller needs it).
 * - Every ioctl is restarted on EINTR and EAGAIN (libdrm's drmIoctl()).
 * - Reserved fields (pad) are always zero: a caller that wants to send a
 *   malformed structure on purpose fills it itself and passes it to
 *   __sgdemo_ioctl().
 * - No global state: everything lives in the caller's file descriptors.
 *
 * Build with $(pkg-config --cflags --libs libdrm) and the uAPI header on the
 * include path: -Iuapi in the source tree; once installed, pkg-config
 * drm_sgdemo adds $includedir/drm, where drm_sgdemo.h lives.
 */
#ifndef SGDEMO_H
#define SGDEMO_H

#include <stddef.h>
#include <stdint.h>

#include <drm_sgdemo.h>

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * enum sgdemo_node - which node of a DRM device to open
 * @SGDEMO_PRIMARY: the primary node, /dev/dri/cardN
 * @SGDEMO_RENDER: the render node, /dev/dri/renderDN
 */
enum sgdemo_node {
	SGDEMO_PRIMARY,
	SGDEMO_RENDER,
};

/*
 * __sgdemo_open_driver - open the first @node of a DRM device whose driver
 * is @driver ("sgdemo", "vgem", "vkms"...), as DRM_IOCTL_VERSION names it,
 * read-write and close-on-exec. Returns the file descriptor, or -ENODEV when
 * no such node can be opened (none exists, or opening it is not allowed).
 */
int __sgdemo_open_driver(const char *driver, enum sgdemo_node node);

/*
 * __sgdemo_open_on_bus - __sgdemo_open_driver(), but only a device on @bus
 * ("pci", "platform", as /sys/bus names them; NULL: any): sgdemo's platform
 * device and the PCI devices it binds to are told apart this way.
 */
int __sgdemo_open_on_bus(const char *driver, enum sgdemo_node node, const char *bus);

/*
 * __sgdemo_open_matching - __sgdemo_open_driver(), but only a node for which
 * @match(fd, @data) is true (NULL: any): the building block of the two
 * above, for callers with a filter of their own (a sysfs path, say).
 */
int __sgdemo_open_matching(const char *driver, enum sgdemo_node node,
			   int (*match)(int fd, void *data), void *data);

/*
 * __sgdemo_device_dir - the sysfs directory of the device behind DRM node
 * @fd, resolved (/sys/devices/platform/sgdemo,
 * /sys/devices/pci0000:00/0000:00:03.0), into @dir of @len bytes: 0, or a
 * negative errno (-ENOTTY when @fd is no character device, -ENOENT when its
 * device is gone, -ENAMETOOLONG).
 */
int __sgdemo_device_dir(int fd, char *dir, size_t len);

/*
 * __sgdemo_ioctl - any ioctl on any file descriptor, restarted on EINTR and
 * EAGAIN: 0 or a negative errno. For the structures the typed wrappers below
 * cannot express (reserved fields set, deliberately malformed arguments) and
 * for ioctls of other drivers.
 */
int __sgdemo_ioctl(int fd, unsigned long request, void *arg);

/*
 * __sgdemo_create - DRM_IOCTL_SGDEMO_CREATE: a new object of at least *@size
 * bytes. On success *@size is the object's size (rounded up to pages) and
 * *@handle its GEM handle. @flags: none are defined yet, 0.
 */
int __sgdemo_create(int fd, uint64_t *size, uint32_t flags, uint32_t *handle);
/* sgdemo_create - __sgdemo_create() without flags; returns the handle. */
uint32_t sgdemo_create(int fd, uint64_t *size);

/*
 * __sgdemo_mmap_offset - DRM_IOCTL_SGDEMO_MMAP_OFFSET: the fake offset of
 * object @handle, for mmap() on @fd, in *@offset.
 */
int __sgdemo_mmap_offset(int fd, uint32_t handle, uint64_t *offset);
/* sgdemo_mmap_offset - __sgdemo_mmap_offset(); returns the offset. */
uint64_t sgdemo_mmap_offset(int fd, uint32_t handle);

/*
 * __sgdemo_mmap - maps @size bytes of object @handle with mmap(2)'s @prot
 * and @flags (sgdemo refuses MAP_PRIVATE); the mapping in *@ptr. The error
 * is DRM_IOCTL_SGDEMO_MMAP_OFFSET's or mmap()'s.
 */
int __sgdemo_mmap(int fd, uint32_t handle, size_t size, int prot, int flags, void **ptr);

/*
 * __sgdemo_sgt_info - DRM_IOCTL_SGDEMO_SGT_INFO with @info as given: set
 * handle or id (and count and segments_ptr for the segment lengths); the
 * facts come back in @info.
 */
int __sgdemo_sgt_info(int fd, struct drm_sgdemo_sgt_info *info);
/* sgdemo_sgt_info - __sgdemo_sgt_info(). */
void sgdemo_sgt_info(int fd, struct drm_sgdemo_sgt_info *info);

/*
 * __sgdemo_sgt_acquire - DRM_IOCTL_SGDEMO_SGT_ACQUIRE: an owned table of
 * object @handle; its id in *@id. @flags: none are defined yet, 0.
 */
int __sgdemo_sgt_acquire(int fd, uint32_t handle, uint32_t flags, uint32_t *id);
/* sgdemo_sgt_acquire - __sgdemo_sgt_acquire() without flags; returns the id. */
uint32_t sgdemo_sgt_acquire(int fd, uint32_t handle);

/* __sgdemo_sgt_release - DRM_IOCTL_SGDEMO_SGT_RELEASE of owned table @id. */
int __sgdemo_sgt_release(int fd, uint32_t id);
/* sgdemo_sgt_release - __sgdemo_sgt_release(). */
void sgdemo_sgt_release(int fd, uint32_t id);

/*
 * __sgdemo_sgt_read - DRM_IOCTL_SGDEMO_SGT_READ: @length bytes from byte
 * @offset of the pages owned table @id describes, into @dst. @flags: none
 * are defined yet, 0.
 */
int __sgdemo_sgt_read(int fd, uint32_t id, uint32_t flags, uint64_t offset, uint64_t length,
		      void *dst);
/* sgdemo_sgt_read - __sgdemo_sgt_read() without flags. */
void sgdemo_sgt_read(int fd, uint32_t id, uint64_t offset, uint64_t length, void *dst);

/*
 * __sgdemo_submit - DRM_IOCTL_SGDEMO_SUBMIT of the job @args describes; with
 * %SGDEMO_SUBMIT_FENCE_OUT in its flags, the job's sync_file comes back in
 * @args->out_fence_fd.
 */
int __sgdemo_submit(int fd, struct drm_sgdemo_submit *args);
/* sgdemo_submit - __sgdemo_submit(); returns @args->out_fence_fd (or -1). */
int sgdemo_submit(int fd, struct drm_sgdemo_submit *args);

/* __sgdemo_gem_close - DRM_IOCTL_GEM_CLOSE of @handle, on any DRM device. */
int __sgdemo_gem_close(int fd, uint32_t handle);
/* sgdemo_gem_close - __sgdemo_gem_close(). */
void sgdemo_gem_close(int fd, uint32_t handle);

/*
 * __sgdemo_prime_handle_to_fd - DRM_IOCTL_PRIME_HANDLE_TO_FD: export
 * @handle, on any DRM device, as a dma-buf; @flags are DRM_CLOEXEC and
 * DRM_RDWR; the dma-buf's file descriptor in *@dmabuf.
 */
int __sgdemo_prime_handle_to_fd(int fd, uint32_t handle, uint32_t flags, int *dmabuf);

/*
 * __sgdemo_prime_fd_to_handle - DRM_IOCTL_PRIME_FD_TO_HANDLE: import
 * @dmabuf into any DRM device; the handle in *@handle.
 */
int __sgdemo_prime_fd_to_handle(int fd, int dmabuf, uint32_t *handle);

/*
 * __sgdemo_dumb_create - DRM_IOCTL_MODE_CREATE_DUMB on any DRM device: a
 * @width x @height buffer of @bpp bits per pixel; its handle in *@handle
 * and its size in *@size (unless @size is NULL).
 */
int __sgdemo_dumb_create(int fd, uint32_t width, uint32_t height, uint32_t bpp,
			 uint32_t *handle, uint64_t *size);
/* sgdemo_dumb_create - __sgdemo_dumb_create(); returns the handle. */
uint32_t sgdemo_dumb_create(int fd, uint32_t width, uint32_t height, uint32_t bpp,
			    uint64_t *size);

/*
 * __sgdemo_dumb_map_offset - DRM_IOCTL_MODE_MAP_DUMB: the fake offset of
 * dumb buffer @handle, for mmap() on @fd, in *@offset.
 */
int __sgdemo_dumb_map_offset(int fd, uint32_t handle, uint64_t *offset);
/* sgdemo_dumb_map_offset - __sgdemo_dumb_map_offset(); returns the offset. */
uint64_t sgdemo_dumb_map_offset(int fd, uint32_t handle);

/*
 * __sgdemo_dmabuf_export_sync_file - DMA_BUF_IOCTL_EXPORT_SYNC_FILE: the
 * fences of @dmabuf's reservation object that an access of @flags
 * (DMA_BUF_SYNC_READ, _WRITE or _RW) would wait for, as a sync_file in
 * *@sync_file.
 */
int __sgdemo_dmabuf_export_sync_file(int dmabuf, uint32_t flags, int *sync_file);

#if defined(__cplusplus)
}
#endif

#endif /* SGDEMO_H */
