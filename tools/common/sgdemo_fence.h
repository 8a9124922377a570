/* SPDX-License-Identifier: MIT */
/*
 * Shared by the programs in tools/ and igt-tests/: waiting for a sync_file
 * and reading its status, and vgem's fence ioctls (include/uapi/drm/
 * vgem_drm.h; libdrm ships no header), the fences the tests hold jobs back
 * with.
 */
#ifndef SGDEMO_FENCE_H
#define SGDEMO_FENCE_H

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/ioctl.h>

#include <linux/sync_file.h>
#include <drm.h>

struct vgem_fence_attach_arg {
	uint32_t handle;
	uint32_t flags;
	uint32_t out_fence;
	uint32_t pad;
};
struct vgem_fence_signal_arg {
	uint32_t fence;
	uint32_t flags;
};
#define VGEM_FENCE_WRITE 0x1
#define VGEM_IOCTL_FENCE_ATTACH \
	DRM_IOWR(DRM_COMMAND_BASE + 0x1, struct vgem_fence_attach_arg)
#define VGEM_IOCTL_FENCE_SIGNAL \
	DRM_IOW(DRM_COMMAND_BASE + 0x2, struct vgem_fence_signal_arg)

/* True once @fd is ready for @events within @timeout_ms (0: right now). */
static inline bool fd_ready(int fd, short events, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };

	return poll(&p, 1, timeout_ms) == 1;
}

/*
 * A sync_file's status: 1 signalled, 0 pending, a negative errno when it
 * signalled with an error; -errno of SYNC_IOC_FILE_INFO when that fails.
 */
static inline int sync_file_status(int fence)
{
	struct sync_file_info info = { 0 };

	if (ioctl(fence, SYNC_IOC_FILE_INFO, &info))
		return -errno;
	return info.status;
}

/* Waits up to @timeout_ms for a sync_file; returns its status then. */
static inline int sync_file_wait(int fence, int timeout_ms)
{
	fd_ready(fence, POLLIN, timeout_ms);
	return sync_file_status(fence);
}

#endif /* SGDEMO_FENCE_H */
