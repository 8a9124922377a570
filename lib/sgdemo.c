// SPDX-License-Identifier: MIT
/*
 * sgdemo.c - libsgdemo: thin wrappers of the sgdemo ioctls (see sgdemo.h).
 *
 * Every ioctl goes through libdrm's drmIoctl(), which restarts it on EINTR
 * and EAGAIN: the library needs libdrm anyway (drmGetVersion() names a
 * node's driver), every program that uses it links libdrm, and a second
 * copy of that loop here would only be one more to keep right.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <drm_mode.h>
#include <xf86drm.h>

#include "sgdemo.h"

/* Nodes of one kind looked at, from card0 or renderD128 up. */
#define SGDEMO_MAX_NODES	16

/*
 * The end of every sgdemo_x(): when @ret, the __sgdemo_x() result, is an
 * error, says which call (@what) failed and why, the way the tools always
 * have, and exits 1. stdout is flushed first so that what the program said
 * before comes before the error.
 */
static void sgdemo_check(int ret, const char *what)
{
	if (!ret)
		return;
	fflush(stdout);
	fprintf(stderr, "%s: %s: %s (errno %d)\n", program_invocation_short_name, what,
		strerror(-ret), -ret);
	exit(EXIT_FAILURE);
}

int __sgdemo_device_dir(int fd, char *dir, size_t len)
{
	char link[64], *real;
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	if (!S_ISCHR(st.st_mode))
		return -ENOTTY;
	snprintf(link, sizeof(link), "/sys/dev/char/%u:%u/device", major(st.st_rdev),
		 minor(st.st_rdev));
	real = realpath(link, NULL);
	if (!real)
		return -errno;
	if (strlen(real) >= len) {
		free(real);
		return -ENAMETOOLONG;
	}
	strcpy(dir, real);
	free(real);
	return 0;
}

/* Whether the device behind DRM node @fd sits on @bus ("pci", "platform"). */
static int sgdemo_on_bus(int fd, void *bus)
{
	char dir[PATH_MAX], sub[PATH_MAX + 16], target[PATH_MAX];
	ssize_t n;

	if (__sgdemo_device_dir(fd, dir, sizeof(dir)))
		return 0;
	snprintf(sub, sizeof(sub), "%s/subsystem", dir);
	n = readlink(sub, target, sizeof(target) - 1);
	if (n < 0)
		return 0;
	target[n] = 0;
	return !strcmp(strrchr(target, '/') + 1, bus);
}

int __sgdemo_open_matching(const char *driver, enum sgdemo_node node,
			   int (*match)(int fd, void *data), void *data)
{
	const char *fmt = node == SGDEMO_RENDER ? "/dev/dri/renderD%d" : "/dev/dri/card%d";
	int first = node == SGDEMO_RENDER ? 128 : 0;
	char path[32];
	int i;

	for (i = first; i < first + SGDEMO_MAX_NODES; i++) {
		drmVersionPtr v;
		int ok;
		int fd;

		snprintf(path, sizeof(path), fmt, i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		v = drmGetVersion(fd);
		ok = v && strcmp(v->name, driver) == 0 && (!match || match(fd, data));
		drmFreeVersion(v);
		if (ok)
			return fd;
		close(fd);
	}
	return -ENODEV;
}

int __sgdemo_open_on_bus(const char *driver, enum sgdemo_node node, const char *bus)
{
	return __sgdemo_open_matching(driver, node, bus ? sgdemo_on_bus : NULL, (void *)bus);
}

int __sgdemo_open_driver(const char *driver, enum sgdemo_node node)
{
	return __sgdemo_open_on_bus(driver, node, NULL);
}

int __sgdemo_ioctl(int fd, unsigned long request, void *arg)
{
	return drmIoctl(fd, request, arg) ? -errno : 0;
}

int __sgdemo_create(int fd, uint64_t *size, uint32_t flags, uint32_t *handle)
{
	struct drm_sgdemo_create arg = { .size = *size, .flags = flags };
	int ret = __sgdemo_ioctl(fd, DRM_IOCTL_SGDEMO_CREATE, &arg);

	if (!ret) {
		*size = arg.size;
		*handle = arg.handle;
	}
	return ret;
}

uint32_t sgdemo_create(int fd, uint64_t *size)
{
	uint32_t handle;

	sgdemo_check(__sgdemo_create(fd, size, 0, &handle), "DRM_IOCTL_SGDEMO_CREATE");
	return handle;
}

int __sgdemo_mmap_offset(int fd, uint32_t handle, uint64_t *offset)
{
	struct drm_sgdemo_mmap_offset arg = { .handle = handle };
	int ret = __sgdemo_ioctl(fd, DRM_IOCTL_SGDEMO_MMAP_OFFSET, &arg);

	if (!ret)
		*offset = arg.offset;
	return ret;
}

uint64_t sgdemo_mmap_offset(int fd, uint32_t handle)
{
	uint64_t offset;

	sgdemo_check(__sgdemo_mmap_offset(fd, handle, &offset), "DRM_IOCTL_SGDEMO_MMAP_OFFSET");
	return offset;
}

int __sgdemo_mmap(int fd, uint32_t handle, size_t size, int prot, int flags, void **ptr)
{
	uint64_t offset;
	void *p;
	int ret;

	ret = __sgdemo_mmap_offset(fd, handle, &offset);
	if (ret)
		return ret;
	p = mmap(NULL, size, prot, flags, fd, offset);
	if (p == MAP_FAILED)
		return -errno;
	*ptr = p;
	return 0;
}

int __sgdemo_sgt_info(int fd, struct drm_sgdemo_sgt_info *info)
{
	return __sgdemo_ioctl(fd, DRM_IOCTL_SGDEMO_SGT_INFO, info);
}

void sgdemo_sgt_info(int fd, struct drm_sgdemo_sgt_info *info)
{
	sgdemo_check(__sgdemo_sgt_info(fd, info), "DRM_IOCTL_SGDEMO_SGT_INFO");
}

int __sgdemo_sgt_acquire(int fd, uint32_t handle, uint32_t flags, uint32_t *id)
{
	struct drm_sgdemo_sgt_acquire arg = { .handle = handle, .flags = flags };
	int ret = __sgdemo_ioctl(fd, DRM_IOCTL_SGDEMO_SGT_ACQUIRE, &arg);

	if (!ret)
		*id = arg.id;
	return ret;
}

uint32_t sgdemo_sgt_acquire(int fd, uint32_t handle)
{
	uint32_t id;

	sgdemo_check(__sgdemo_sgt_acquire(fd, handle, 0, &id), "DRM_IOCTL_SGDEMO_SGT_ACQUIRE");
	return id;
}

int __sgdemo_sgt_release(int fd, uint32_t id)
{
	struct drm_sgdemo_sgt_release arg = { .id = id };

	return __sgdemo_ioctl(fd, DRM_IOCTL_SGDEMO_SGT_RELEASE, &arg);
}

void sgdemo_sgt_release(int fd, uint32_t id)
{
	sgdemo_check(__sgdemo_sgt_release(fd, id), "DRM_IOCTL_SGDEMO_SGT_RELEASE");
}

int __sgdemo_sgt_read(int fd, uint32_t id, uint32_t flags, uint64_t offset, uint64_t length,
		      void *dst)
{
	struct drm_sgdemo_sgt_read arg = {
		.id = id,
		.flags = flags,
		.offset = offset,
		.length = length,
		.data_ptr = (uintptr_t)dst,
	};

	return __sgdemo_ioctl(fd, DRM_IOCTL_SGDEMO_SGT_READ, &arg);
}

void sgdemo_sgt_read(int fd, uint32_t id, uint64_t offset, uint64_t length, void *dst)
{
	sgdemo_check(__sgdemo_sgt_read(fd, id, 0, offset, length, dst),
		     "DRM_IOCTL_SGDEMO_SGT_READ");
}

int __sgdemo_submit(int fd, struct drm_sgdemo_submit *args)
{
	return __sgdemo_ioctl(fd, DRM_IOCTL_SGDEMO_SUBMIT, args);
}

int sgdemo_submit(int fd, struct drm_sgdemo_submit *args)
{
	sgdemo_check(__sgdemo_submit(fd, args), "DRM_IOCTL_SGDEMO_SUBMIT");
	return args->out_fence_fd;
}

int __sgdemo_gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close arg = { .handle = handle };

	return __sgdemo_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &arg);
}

void sgdemo_gem_close(int fd, uint32_t handle)
{
	sgdemo_check(__sgdemo_gem_close(fd, handle), "DRM_IOCTL_GEM_CLOSE");
}

int __sgdemo_prime_handle_to_fd(int fd, uint32_t handle, uint32_t flags, int *dmabuf)
{
	struct drm_prime_handle arg = { .handle = handle, .flags = flags, .fd = -1 };
	int ret = __sgdemo_ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &arg);

	if (!ret)
		*dmabuf = arg.fd;
	return ret;
}

int __sgdemo_prime_fd_to_handle(int fd, int dmabuf, uint32_t *handle)
{
	struct drm_prime_handle arg = { .fd = dmabuf };
	int ret = __sgdemo_ioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &arg);

	if (!ret)
		*handle = arg.handle;
	return ret;
}

int __sgdemo_dumb_create(int fd, uint32_t width, uint32_t height, uint32_t bpp,
			 uint32_t *handle, uint64_t *size)
{
	struct drm_mode_create_dumb arg = { .width = width, .height = height, .bpp = bpp };
	int ret = __sgdemo_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &arg);

	if (!ret) {
		*handle = arg.handle;
		if (size)
			*size = arg.size;
	}
	return ret;
}

uint32_t sgdemo_dumb_create(int fd, uint32_t width, uint32_t height, uint32_t bpp,
			    uint64_t *size)
{
	uint32_t handle;

	sgdemo_check(__sgdemo_dumb_create(fd, width, height, bpp, &handle, size),
		     "DRM_IOCTL_MODE_CREATE_DUMB");
	return handle;
}

int __sgdemo_dumb_map_offset(int fd, uint32_t handle, uint64_t *offset)
{
	struct drm_mode_map_dumb arg = { .handle = handle };
	int ret = __sgdemo_ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &arg);

	if (!ret)
		*offset = arg.offset;
	return ret;
}

uint64_t sgdemo_dumb_map_offset(int fd, uint32_t handle)
{
	uint64_t offset;

	sgdemo_check(__sgdemo_dumb_map_offset(fd, handle, &offset), "DRM_IOCTL_MODE_MAP_DUMB");
	return offset;
}

int __sgdemo_dmabuf_export_sync_file(int dmabuf, uint32_t flags, int *sync_file)
{
	struct dma_buf_export_sync_file arg = { .flags = flags, .fd = -1 };
	int ret = __sgdemo_ioctl(dmabuf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &arg);

	if (!ret)
		*sync_file = arg.fd;
	return ret;
}
