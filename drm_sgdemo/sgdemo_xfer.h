/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How the copy engine moves a job's bytes (sgdemo_xfer.c): the objects as a
 * job sees them, and the fill and copy loops. sgdemo_engine.c decides when a
 * job runs; this decides how its bytes are reached.
 */
#ifndef _SGDEMO_XFER_H_
#define _SGDEMO_XFER_H_

#include <linux/iosys-map.h>
#include <linux/types.h>

struct dma_buf;
struct drm_gem_object;
struct sgdemo_edu;
struct sgdemo_sgt;

/**
 * struct sgdemo_xfer_buf - an object as a job sees it
 * @owned: the job's reference on the object's shared owned table
 * @dmabuf: an imported object's dma-buf, mapped for the CPU at @map; or NULL
 * @map: the CPU mapping of @dmabuf
 * @offset: the first byte the job touches
 * @device: the engine reaches the object through its table's DMA
 *	    addresses (engine=device), not through the CPU
 */
struct sgdemo_xfer_buf {
	struct sgdemo_sgt *owned;
	struct dma_buf *dmabuf;
	struct iosys_map map;
	u64 offset;
	bool device;
};

int sgdemo_xfer_buf_get(struct sgdemo_xfer_buf *buf, struct drm_gem_object *obj, u64 offset);
void sgdemo_xfer_buf_put(struct sgdemo_xfer_buf *buf);
int sgdemo_xfer_run(u32 op, struct sgdemo_edu *edu, struct sgdemo_xfer_buf *dst,
		    struct sgdemo_xfer_buf *src, u8 fill, u64 size);

#endif /* _SGDEMO_XFER_H_ */
