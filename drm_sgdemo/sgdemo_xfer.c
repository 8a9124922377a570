// SPDX-License-Identifier: GPL-2.0
/*
 * The copy engine's data path. In cpu mode (the default) a job reaches a
 * native object's pages through its owned table, and an imported object's
 * through a CPU mapping of the dma-buf, made at submission. In device mode
 * (engine=device) it reaches both only through the DMA addresses of its
 * tables, as a device does: the table hands the range to the device before
 * and back to the CPU after. The loops run in the fence signalling path:
 * they do not allocate, and take no lock but the objects' map_lock, to sync
 * their importers' mappings for the CPU before and the written one's for
 * the devices after (docs/lifetime.md, "The DMA model").
 */

#include <linux/dma-buf.h>
#include <linux/err.h>
#include <linux/highmem.h>
#include <linux/minmax.h>
#include <linux/scatterlist.h>
#include <linux/sched.h>
#include <linux/string.h>

#include <drm/drm_device.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>

#include "drm_sgdemo.h"
#include "sgdemo.h"
#include "sgdemo_compat.h"
#include "sgdemo_dma.h"
#include "sgdemo_pci.h"
#include "sgdemo_prime.h"
#include "sgdemo_sgt.h"
#include "sgdemo_xfer.h"

/**
 * sgdemo_xfer_buf_get - make an object ready for a job
 * @buf: the job's view of the object, zeroed
 * @obj: the object; the caller's reference is not taken over
 * @offset: the first byte the job touches
 *
 * Takes a reference on the object's shared owned table and, for an
 * imported object in cpu mode, maps the dma-buf for the CPU. On error, what
 * was taken stays in @buf for sgdemo_xfer_buf_put().
 *
 * Returns: 0; -EOPNOTSUPP when an import has no CPU mapping in system
 * memory; or why the table or mapping could not be had.
 */
int sgdemo_xfer_buf_get(struct sgdemo_xfer_buf *buf, struct drm_gem_object *obj, u64 offset)
{
	struct sgdemo_sgt *owned;
	struct dma_buf *dmabuf;
	int ret;

	owned = sgdemo_sgt_acquire_shared(obj);
	if (IS_ERR(owned))
		return PTR_ERR(owned);
	buf->owned = owned;
	buf->offset = offset;
	buf->device = sgdemo_engine_device_mode;
	if (!obj->import_attach || buf->device)
		return 0;

	/*
	 * No dma_buf_begin_cpu_access(): it waits for the buffer's fences,
	 * which are the job's dependencies, and the job waits for them
	 * through the scheduler instead of blocking the submitter.
	 */
	dmabuf = obj->import_attach->dmabuf;
	ret = sgdemo_dma_buf_vmap(dmabuf, &buf->map);
	if (ret)
		return ret;
	if (buf->map.is_iomem) {
		sgdemo_dma_buf_vunmap(dmabuf, &buf->map);
		return -EOPNOTSUPP;
	}
	buf->dmabuf = dmabuf;
	return 0;
}

/**
 * sgdemo_xfer_buf_put - let go of what sgdemo_xfer_buf_get() took
 * @buf: the job's view of the object
 */
void sgdemo_xfer_buf_put(struct sgdemo_xfer_buf *buf)
{
	if (buf->dmabuf)
		sgdemo_dma_buf_vunmap(buf->dmabuf, &buf->map);
	if (buf->owned)
		sgdemo_sgt_put(buf->owned);
}

/*
 * A cursor over the bytes of a job's object: in cpu mode through the owned
 * table's pages for a native object and the CPU mapping for an imported
 * one; in device mode through the DMA segments of the table, for both.
 */
struct sgdemo_cursor {
	struct sgdemo_xfer_buf *buf;
	struct sg_page_iter piter;
	struct scatterlist *sg;
	u64 sg_start;
	u64 pos;
};

static void sgdemo_cursor_start(struct sgdemo_cursor *cur, struct sgdemo_xfer_buf *buf)
{
	struct sg_table *sgt = buf->owned->sgt;

	cur->buf = buf;
	cur->pos = buf->offset;
	if (buf->device) {
		cur->sg = sgt->sgl;
		cur->sg_start = 0;
	} else if (!buf->dmabuf) {
		__sg_page_iter_start(&cur->piter, sgt->sgl, sgt->orig_nents,
				     cur->pos >> PAGE_SHIFT);
		__sg_page_iter_next(&cur->piter);
	}
}

/* Device mode: the memory behind the DMA address at the cursor, or NULL. */
static void *sgdemo_cursor_map_dma(struct sgdemo_cursor *cur, size_t *len)
{
	struct drm_gem_object *obj = cur->buf->owned->obj;
	unsigned int offset;
	struct page *page;
	u64 seg_end;

	while (cur->pos >= cur->sg_start + sg_dma_len(cur->sg)) {
		cur->sg_start += sg_dma_len(cur->sg);
		cur->sg = sg_next(cur->sg);
	}
	page = sgdemo_dma_page(obj->dev->dev, sg_dma_address(cur->sg) + cur->pos - cur->sg_start,
			       &offset);
	if (!page) {
		sgdemo_count(SGDEMO_DMA_FAULTS, 1);
		drm_err_ratelimited(obj->dev,
				    "copy engine: the DMA address of byte %llu of an object reaches no memory; job failed\n",
				    cur->pos);
		return NULL;
	}
	seg_end = cur->sg_start + sg_dma_len(cur->sg);
	*len = min_t(u64, seg_end - cur->pos, PAGE_SIZE - offset);
	return kmap_local_page(page) + offset;
}

/* Maps the bytes at the cursor; *len says how many may be touched. */
static void *sgdemo_cursor_map(struct sgdemo_cursor *cur, size_t *len)
{
	if (cur->buf->device)
		return sgdemo_cursor_map_dma(cur, len);
	if (cur->buf->dmabuf) {
		*len = SIZE_MAX;
		return cur->buf->map.vaddr + cur->pos;
	}
	*len = PAGE_SIZE - offset_in_page(cur->pos);
	return kmap_local_page(sg_page_iter_page(&cur->piter)) + offset_in_page(cur->pos);
}

static void sgdemo_cursor_unmap(struct sgdemo_cursor *cur, void *vaddr)
{
	if (cur->buf->device || !cur->buf->dmabuf)
		kunmap_local(vaddr);
}

static void sgdemo_cursor_advance(struct sgdemo_cursor *cur, size_t len)
{
	cur->pos += len;
	if (!cur->buf->device && !cur->buf->dmabuf && !offset_in_page(cur->pos))
		__sg_page_iter_next(&cur->piter);
}

/*
 * Before a job touches a range: what importers' devices wrote is in the
 * pages, and in device mode the pages are in the view the job reaches: the
 * owned table's range, or for an import our attachment's mapping. An
 * import of another sgdemo device's buffer is synced through its exporter's
 * object, as a native one; a foreign exporter's syncs are its own.
 */
static void sgdemo_xfer_begin(struct sgdemo_xfer_buf *buf, u64 size)
{
	struct drm_gem_object *native = sgdemo_prime_exporter(buf->owned->obj);

	if (!native)
		return;
	sgdemo_prime_sync_for_cpu(native);
	if (!buf->device)
		return;
	if (buf->owned->owns_table)
		sgdemo_dma_sync(&buf->owned->dma, buf->offset, size, true);
	else
		sgdemo_prime_sync_for_device(native);
}

/*
 * After a job wrote a range: in device mode what the device wrote is taken
 * back into the pages (from our attachment's mapping alone, for an
 * import), and importers' devices see the new bytes, before the job's fence
 * signals.
 */
static void sgdemo_xfer_end(struct sgdemo_xfer_buf *buf, u64 size)
{
	struct drm_gem_object *native = sgdemo_prime_exporter(buf->owned->obj);

	if (!native)
		return;
	if (buf->device && buf->owned->owns_table)
		sgdemo_dma_sync(&buf->owned->dma, buf->offset, size, false);
	else if (buf->device)
		sgdemo_prime_sync_one_for_cpu(native, buf->owned->obj->import_attach);
	sgdemo_prime_sync_for_device(native);
}

/* Fills, or copies from @src when it is not NULL. */
static int sgdemo_xfer_loop(struct sgdemo_xfer_buf *dst, struct sgdemo_xfer_buf *src, u8 byte,
			    u64 size)
{
	struct sgdemo_cursor d, s;
	u64 done = 0;

	sgdemo_cursor_start(&d, dst);
	if (src)
		sgdemo_cursor_start(&s, src);

	while (done < size) {
		size_t dlen, slen, n;
		void *dp, *sp;

		dp = sgdemo_cursor_map(&d, &dlen);
		if (!dp)
			return -EFAULT;
		n = min_t(u64, dlen, size - done);
		if (src) {
			sp = sgdemo_cursor_map(&s, &slen);
			if (!sp) {
				sgdemo_cursor_unmap(&d, dp);
				return -EFAULT;
			}
			n = min(n, slen);
			memcpy(dp, sp, n);
			sgdemo_cursor_unmap(&s, sp);
			sgdemo_cursor_advance(&s, n);
		} else {
			memset(dp, byte, n);
		}
		sgdemo_cursor_unmap(&d, dp);
		sgdemo_cursor_advance(&d, n);
		done += n;
		cond_resched();
	}
	return 0;
}

static int sgdemo_xfer(struct sgdemo_xfer_buf *dst, struct sgdemo_xfer_buf *src, u8 byte,
		       u64 size)
{
	int ret;

	sgdemo_xfer_begin(dst, size);
	if (src)
		sgdemo_xfer_begin(src, size);
	ret = sgdemo_xfer_loop(dst, src, byte, size);
	sgdemo_xfer_end(dst, size);
	return ret;
}

/* The DMA address of byte @pos of @buf's object, and how many follow it. */
static dma_addr_t sgdemo_xfer_dma_at(struct sgdemo_xfer_buf *buf, u64 pos, u64 *contig)
{
	struct scatterlist *sg;
	u64 start = 0;
	int i;

	for_each_sgtable_dma_sg(buf->owned->sgt, sg, i) {
		if (pos < start + sg_dma_len(sg)) {
			*contig = start + sg_dma_len(sg) - pos;
			return sg_dma_address(sg) + (pos - start);
		}
		start += sg_dma_len(sg);
	}
	*contig = 0;	/* not reached: the range is inside the object */
	return 0;
}

/* A copy through the device's own DMA engine, for SGDEMO_OP_DEVICE_COPY. */
static int sgdemo_xfer_device_copy(struct sgdemo_edu *edu, struct sgdemo_xfer_buf *dst,
				   struct sgdemo_xfer_buf *src, u64 size)
{
	u64 done = 0;
	int ret = 0;

	dst->device = true;
	src->device = true;
	sgdemo_xfer_begin(dst, size);
	sgdemo_xfer_begin(src, size);
	while (done < size && !ret) {
		u64 dlen, slen, n;
		dma_addr_t d = sgdemo_xfer_dma_at(dst, dst->offset + done, &dlen);
		dma_addr_t s = sgdemo_xfer_dma_at(src, src->offset + done, &slen);

		n = min3(dlen, slen, size - done);
		ret = sgdemo_edu_copy(edu, d, s, n);
		done += n;
	}
	sgdemo_xfer_end(dst, size);
	return ret;
}

/**
 * sgdemo_xfer_run - move a job's bytes
 * @op: %SGDEMO_OP_FILL, %SGDEMO_OP_COPY or %SGDEMO_OP_DEVICE_COPY
 * @edu: the device's own DMA engine, for a device copy
 * @dst: the object written, from its offset on
 * @src: the object read, from its offset on, for a copy
 * @fill: the byte a fill writes
 * @size: how many bytes; the ranges are inside their objects and, in one
 *	  object, do not overlap; at most %SGDEMO_DEVICE_COPY_MAX for a device
 *	  copy
 *
 * A device copy is done by edu's DMA engine, one run of contiguous DMA
 * addresses at a time; a fill or a copy by the CPU, through the pages or,
 * in device mode, through the DMA addresses.
 *
 * Returns: 0; -EFAULT in device mode when a DMA address of a range reaches
 * no memory (the bytes before it are written); or edu's error.
 */
int sgdemo_xfer_run(u32 op, struct sgdemo_edu *edu, struct sgdemo_xfer_buf *dst,
		    struct sgdemo_xfer_buf *src, u8 fill, u64 size)
{
	if (op == SGDEMO_OP_DEVICE_COPY)
		return sgdemo_xfer_device_copy(edu, dst, src, size);
	return sgdemo_xfer(dst, op == SGDEMO_OP_COPY ? src : NULL, fill, size);
}
