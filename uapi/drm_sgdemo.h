/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * drm_sgdemo.h - userspace interface of the sgdemo virtual DRM device
 *
 * sgdemo is a virtual, shmem-backed GEM device in the family of vgem. Its
 * render-node ioctls create buffer objects, map them, hand out their
 * scatter-gather tables and submit fill and copy jobs to a virtual copy
 * engine; PRIME exports and imports them.
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
#define DRM_SGDEMO_SGT_INFO		0x02
#define DRM_SGDEMO_SGT_ACQUIRE		0x03
#define DRM_SGDEMO_SGT_RELEASE		0x04
#define DRM_SGDEMO_SGT_READ		0x05
#define DRM_SGDEMO_SUBMIT		0x06

/**
 * DOC: DRM_IOCTL_SGDEMO_CREATE
 *
 * Creates a shmem-backed buffer object of at least &drm_sgdemo_create.size
 * bytes and returns a GEM handle for it in the calling file. Allowed on render
 * nodes. Pages are allocated when first needed: a CPU mapping populates them
 * as they are touched; an attachment, a pin or a table allocates them all.
 *
 * Errors: -EINVAL for unknown flags, a zero size or a size that overflows when
 * rounded up to a page; -E2BIG for a size larger than the system's memory or
 * than one object can address; -ENOMEM, -ENOSPC or -ENFILE when the object,
 * its mmap offset or its handle cannot be allocated.
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
 * handle that does not name an object of the calling file, -ENOMEM or -ENOSPC
 * when no offset can be allocated.
 */
#define DRM_IOCTL_SGDEMO_MMAP_OFFSET \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SGDEMO_MMAP_OFFSET, struct drm_sgdemo_mmap_offset)

/**
 * DOC: DRM_IOCTL_SGDEMO_SGT_INFO
 *
 * Describes a scatter-gather table: the borrowed table of the object named by
 * &drm_sgdemo_sgt_info.handle, or the owned table named by
 * &drm_sgdemo_sgt_info.id (exactly one of them is non-zero). Asking about an
 * object's borrowed table makes the object build, DMA-map and cache it if it
 * had none; the table then lives, pinned, as long as the object.
 *
 * It reports counts and lengths only, never an address. The lengths of the
 * DMA-mapped segments are written to &drm_sgdemo_sgt_info.segments_ptr when
 * the array is large enough: &drm_sgdemo_sgt_info.count says how many entries
 * it has and always returns how many there are, so a caller can ask once with
 * count 0 and again with an array of the right size.
 *
 * Segment lengths and &drm_sgdemo_sgt_info.page_runs tell how the pages lie
 * in physical memory, which /proc/PID/pagemap hides from unprivileged
 * processes: only a caller with CAP_SYS_ADMIN gets them. Others get the
 * size and the counts, page_runs reads 0, and a non-zero segments_ptr
 * fails with -EPERM.
 *
 * Errors: -EINVAL for unknown flags, or both or neither of handle and id;
 * -ENOENT for a handle or id unknown to the calling file; -EPERM for segment
 * lengths asked without CAP_SYS_ADMIN; -EFAULT for an array that cannot be
 * written; -ENOMEM.
 */
#define DRM_IOCTL_SGDEMO_SGT_INFO \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SGDEMO_SGT_INFO, struct drm_sgdemo_sgt_info)

/**
 * DOC: DRM_IOCTL_SGDEMO_SGT_ACQUIRE
 *
 * Acquires an owned scatter-gather table of the object named by
 * &drm_sgdemo_sgt_acquire.handle and returns its id, valid in the calling
 * file until DRM_IOCTL_SGDEMO_SGT_RELEASE or until the file is closed. The
 * table holds its own reference on the object and its own pin of the pages:
 * it keeps them, and their contents, alive after every handle, mapping and
 * dma-buf of the object is gone. For an imported object the table is the
 * one the dma-buf attachment owns, kept alive with the object.
 *
 * Errors: -EINVAL for unknown flags or non-zero padding; -ENOENT for an
 * unknown handle; -ENODEV once the device is unplugged; -ENOMEM, or -EBUSY
 * when the file has no id left.
 */
#define DRM_IOCTL_SGDEMO_SGT_ACQUIRE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SGDEMO_SGT_ACQUIRE, struct drm_sgdemo_sgt_acquire)

/**
 * DOC: DRM_IOCTL_SGDEMO_SGT_RELEASE
 *
 * Drops the calling file's owned table &drm_sgdemo_sgt_release.id. When that
 * was the last reference, the table is torn down in reverse order of its
 * making: DMA unmap, free the table, unpin the pages, drop the object.
 *
 * Errors: -EINVAL for non-zero padding; -ENOENT for an id this file does not
 * hold (released already, or another file's).
 */
#define DRM_IOCTL_SGDEMO_SGT_RELEASE \
	DRM_IOW(DRM_COMMAND_BASE + DRM_SGDEMO_SGT_RELEASE, struct drm_sgdemo_sgt_release)

/**
 * DOC: DRM_IOCTL_SGDEMO_SGT_READ
 *
 * Copies &drm_sgdemo_sgt_read.length bytes, from byte
 * &drm_sgdemo_sgt_read.offset of the pages an owned table describes, to
 * &drm_sgdemo_sgt_read.data_ptr. For a native object the bytes are read
 * through the table's own pages, once the object's writers (a copy engine
 * job, another driver's write fence) have signalled; for an imported one
 * through the exporter's CPU access to the dma-buf, which waits for them.
 *
 * Errors: -EINVAL for unknown flags, or a range that overflows or ends past
 * the table; -ENOENT for an unknown id; -EFAULT for a destination that cannot
 * be written; -ERESTARTSYS (seen as -EINTR) when a signal ends the wait for
 * the writers; for an imported buffer, the exporter's error from CPU access
 * (-EOPNOTSUPP when its memory has no CPU mapping).
 */
#define DRM_IOCTL_SGDEMO_SGT_READ \
	DRM_IOW(DRM_COMMAND_BASE + DRM_SGDEMO_SGT_READ, struct drm_sgdemo_sgt_read)

/**
 * DOC: DRM_IOCTL_SGDEMO_SUBMIT
 *
 * Submits a job to sgdemo's virtual copy engine: fill a range of one object
 * with a byte (%SGDEMO_OP_FILL), or copy a range of one object to a range of
 * another, or of the same one without overlap (%SGDEMO_OP_COPY). Objects may
 * be native or imported. The ioctl returns once the job is queued; the job
 * runs asynchronously, in submission order among the file's jobs, once its
 * dependencies have signalled.
 *
 * The job holds owned tables of its objects (see DRM_IOCTL_SGDEMO_SGT_ACQUIRE)
 * for its whole life: every handle, mapping and dma-buf of them may be closed
 * right after the ioctl, and the job still completes.
 *
 * Dependencies: the fences of each syncobj in
 * &drm_sgdemo_submit.in_syncobjs, and, implicitly, the fences already in the
 * objects' reservation objects: the destination's readers and writers, the
 * source's writers. A job whose dependencies have not all signalled after
 * &drm_sgdemo_submit.timeout_ms does not run: its fence signals with
 * -ETIMEDOUT, without waiting any longer for them, so a dependency may still
 * be writing the buffers; whoever waits on the fence must check its error.
 * A dependency that signalled an error fails the job with that error,
 * without running it, once all dependencies have signalled.
 *
 * Fences: the job's fence is added to the destination's reservation object
 * as a writer and to the source's as a reader, so importers and
 * DMA_BUF_IOCTL_EXPORT_SYNC_FILE wait for it. It is also put in the syncobj
 * &drm_sgdemo_submit.out_syncobj when that is not zero, and returned as a
 * sync_file in &drm_sgdemo_submit.out_fence_fd with %SGDEMO_SUBMIT_FENCE_OUT.
 * It signals without an error once the bytes are in place; with an error
 * when the job did not run: -ETIMEDOUT, a dependency's error, -ENODEV when
 * the device went away first, or the scheduler's error for a job cancelled
 * when its file was closed by a process killed by SIGKILL. Closing the DRM
 * file otherwise waits until each of its jobs has started, which their
 * timeouts bound.
 *
 * Errors: -EINVAL for an unknown op or flag, non-zero padding, a zero size,
 * a range that overflows or ends past its object, overlapping ranges of one
 * object, a source or fill byte where the op takes none, a fill byte above
 * 0xff, more than %SGDEMO_SUBMIT_MAX_IN_SYNCOBJS in-syncobjs or
 * &drm_sgdemo_submit.in_syncobjs and &drm_sgdemo_submit.num_in_syncobjs
 * not both zero or both set, a timeout above %SGDEMO_SUBMIT_MAX_TIMEOUT_MS,
 * or an in-syncobj without a fence; -ENOENT for an unknown object or syncobj
 * handle; -EFAULT for an unreadable in_syncobjs array; -ENODEV once the
 * device is unplugged; -EMFILE when no file descriptor is left for the
 * sync_file; -EINTR when a signal interrupts the wait for a reservation
 * lock; -ENOMEM; -EOPNOTSUPP when an imported buffer's memory has no CPU
 * mapping, or the exporter's own error when it refuses one. A failed
 * submission leaves nothing behind: no job, no fence, no descriptor, with
 * two exceptions where the job is queued all the same and its fence is in
 * the reservations and the out-syncobj: -ENOMEM when the sync_file cannot
 * be made (it is made once the job is queued, as in other DRM drivers), and,
 * as with every DRM ioctl, -EFAULT when the argument cannot be written back
 * (the sync_file descriptor is open then). Do not retry a submission that
 * failed with either: the job runs once already.
 */
#define DRM_IOCTL_SGDEMO_SUBMIT \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_SGDEMO_SUBMIT, struct drm_sgdemo_submit)

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

/**
 * struct drm_sgdemo_sgt_info - argument of DRM_IOCTL_SGDEMO_SGT_INFO
 */
struct drm_sgdemo_sgt_info {
	/** @handle: In: a GEM handle, for the object's borrowed table; or 0. */
	__u32 handle;
	/** @id: In: an owned table id of this file; or 0. */
	__u32 id;
	/** @flags: In: no flags are defined yet; must be zero. */
	__u32 flags;
	/**
	 * @count: In: the number of entries at @segments_ptr. Out: the number
	 * of DMA-mapped segments, whether or not they were written.
	 */
	__u32 count;
	/**
	 * @segments_ptr: In: user pointer to an array of __u64 that receives
	 * the length in bytes of each DMA-mapped segment, in order, when
	 * @count is at least the number of segments; 0 for none.
	 */
	__u64 segments_ptr;
	/** @size: Out: the bytes the table describes. */
	__u64 size;
	/** @nents: Out: DMA-mapped segments (after any merging by the mapping). */
	__u32 nents;
	/** @orig_nents: Out: page-level segments, as built from the pages. */
	__u32 orig_nents;
	/**
	 * @page_runs: Out: how many runs of physically contiguous pages the
	 * table covers, counted page by page: the fewest segments any table
	 * of these pages can have. @orig_nents above it means segments were
	 * split. 0 for an imported object, whose pages are the exporter's,
	 * and for a caller without CAP_SYS_ADMIN. Says how the pages lie,
	 * never where.
	 */
	__u32 page_runs;
	/** @pad: Reserved; must be zero. */
	__u32 pad;
};

/**
 * struct drm_sgdemo_sgt_acquire - argument of DRM_IOCTL_SGDEMO_SGT_ACQUIRE
 */
struct drm_sgdemo_sgt_acquire {
	/** @handle: In: the GEM handle of the object. */
	__u32 handle;
	/** @flags: In: no flags are defined yet; must be zero. */
	__u32 flags;
	/** @id: Out: the owned table's id in this file, never 0. */
	__u32 id;
	/** @pad: Reserved; must be zero. */
	__u32 pad;
};

/**
 * struct drm_sgdemo_sgt_release - argument of DRM_IOCTL_SGDEMO_SGT_RELEASE
 */
struct drm_sgdemo_sgt_release {
	/** @id: In: the owned table to release. */
	__u32 id;
	/** @pad: Reserved; must be zero. */
	__u32 pad;
};

/**
 * struct drm_sgdemo_sgt_read - argument of DRM_IOCTL_SGDEMO_SGT_READ
 */
struct drm_sgdemo_sgt_read {
	/** @id: In: the owned table to read through. */
	__u32 id;
	/** @flags: In: no flags are defined yet; must be zero. */
	__u32 flags;
	/** @offset: In: the first byte to read. */
	__u64 offset;
	/** @length: In: how many bytes to read; 0 reads nothing. */
	__u64 length;
	/** @data_ptr: In: user pointer to at least @length writable bytes. */
	__u64 data_ptr;
};

/*
 * The operations of the copy engine, &drm_sgdemo_submit.op: fill the
 * destination range with a byte, or copy the source range to it. A device
 * copy is a copy done by the device's own DMA engine, through the DMA
 * addresses of both objects' tables: only a device that has one (sgdemo on
 * QEMU's edu PCI device) takes it, others fail it with EOPNOTSUPP; it moves
 * at most %SGDEMO_DEVICE_COPY_MAX bytes, and takes about 200 ms for each
 * run of contiguous DMA addresses.
 */
#define SGDEMO_OP_FILL			1
#define SGDEMO_OP_COPY			2
#define SGDEMO_OP_DEVICE_COPY		3

/* The most bytes one %SGDEMO_OP_DEVICE_COPY moves. */
#define SGDEMO_DEVICE_COPY_MAX		2048

/* &drm_sgdemo_submit.flags: return the job's fence as a sync_file too. */
#define SGDEMO_SUBMIT_FENCE_OUT		0x1

/* At most this many in-syncobjs per job. */
#define SGDEMO_SUBMIT_MAX_IN_SYNCOBJS	64
/* The longest a job may wait for its dependencies, and the default wait. */
#define SGDEMO_SUBMIT_MAX_TIMEOUT_MS	60000
#define SGDEMO_SUBMIT_DEFAULT_TIMEOUT_MS 10000

/**
 * struct drm_sgdemo_submit - argument of DRM_IOCTL_SGDEMO_SUBMIT
 */
struct drm_sgdemo_submit {
	/**
	 * @op: In: %SGDEMO_OP_FILL, %SGDEMO_OP_COPY or
	 * %SGDEMO_OP_DEVICE_COPY.
	 */
	__u32 op;
	/** @flags: In: 0 or %SGDEMO_SUBMIT_FENCE_OUT. */
	__u32 flags;
	/** @dst_handle: In: the GEM handle of the object written. */
	__u32 dst_handle;
	/** @src_handle: In: the GEM handle of the object read; 0 for a fill. */
	__u32 src_handle;
	/** @dst_offset: In: the first byte written. */
	__u64 dst_offset;
	/** @src_offset: In: the first byte read; 0 for a fill. */
	__u64 src_offset;
	/** @size: In: how many bytes to write; not zero. */
	__u64 size;
	/**
	 * @in_syncobjs: In: user pointer to an array of
	 * @num_in_syncobjs __u32 syncobj handles whose fences the job waits
	 * for; 0 when there are none.
	 */
	__u64 in_syncobjs;
	/** @num_in_syncobjs: In: entries at @in_syncobjs. */
	__u32 num_in_syncobjs;
	/**
	 * @out_syncobj: In: a syncobj handle that receives the job's fence,
	 * replacing the one it had; 0 for none.
	 */
	__u32 out_syncobj;
	/**
	 * @timeout_ms: In: how long the job may wait for its dependencies, in
	 * milliseconds; 0 for %SGDEMO_SUBMIT_DEFAULT_TIMEOUT_MS.
	 */
	__u32 timeout_ms;
	/** @fill: In: the byte a fill writes (0 to 0xff); 0 for a copy. */
	__u32 fill;
	/**
	 * @out_fence_fd: Out, on success: with %SGDEMO_SUBMIT_FENCE_OUT, a
	 * sync_file (close-on-exec) of the job's fence; otherwise -1.
	 */
	__s32 out_fence_fd;
	/** @pad: Reserved; must be zero. */
	__u32 pad;
};

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_DRM_SGDEMO_H_ */
