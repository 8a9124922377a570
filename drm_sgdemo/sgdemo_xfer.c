// SPDX-License-Identifier: GPL-2.0
/*
 * The copy engine's data path: a job reaches a native object's pages
 * through its owned table, and an imported object's through a CPU mapping
 * of the dma-buf, made at submission. The loops run in the fence
 * signalling path: they do not allocate, and take no lock but the objects'
 * map_lock, to sync their importers' mappings for the CPU before and the
 * written one's for the devices after (docs/lifetime.md, "The DMA model").
 */

#include <linux/dma-buf.h>
#include <linux/err.h>
#include <linux/highmem.h>
#include <linux/minmax.h>
#include <linux/scatterlist.h>
#include <linux/sched.h>
#include <linux/string.h>

#include <drm/drm_gem.h>

#include "sgdemo_compat.h"
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
 * imported object, maps the dma-buf for the CPU. On error, what was taken
 * stays in @buf for sgdemo_xfer_buf_put().
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
	if (!obj->import_attach)
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
 * A cursor over the bytes of a job's object: through the owned table's pages
 * for a native object, through the CPU mapping for an imported one.
 */
struct sgdemo_cursor {
	struct sgdemo_xfer_buf *buf;
	struct sg_page_iter piter;
	u64 pos;
};

static void sgdemo_cursor_start(struct sgdemo_cursor *cur, struct sgdemo_xfer_buf *buf)
{
	struct sg_table *sgt = buf->owned->sgt;

	cur->buf = buf;
	cur->pos = buf->offset;
	if (!buf->dmabuf) {
		__sg_page_iter_start(&cur->piter, sgt->sgl, sgt->orig_nents,
				     cur->pos >> PAGE_SHIFT);
		__sg_page_iter_next(&cur->piter);
	}
}

/* Maps the bytes at the cursor; *len says how many may be touched. */
static void *sgdemo_cursor_map(struct sgdemo_cursor *cur, size_t *len)
{
	if (cur->buf->dmabuf) {
		*len = SIZE_MAX;
		return cur->buf->map.vaddr + cur->pos;
	}
	*len = PAGE_SIZE - offset_in_page(cur->pos);
	return kmap_local_page(sg_page_iter_page(&cur->piter)) + offset_in_page(cur->pos);
}

static void sgdemo_cursor_unmap(struct sgdemo_cursor *cur, void *vaddr)
{
	if (!cur->buf->dmabuf)
		kunmap_local(vaddr);
}

static void sgdemo_cursor_advance(struct sgdemo_cursor *cur, size_t len)
{
	cur->pos += len;
	if (!cur->buf->dmabuf && !offset_in_page(cur->pos))
		__sg_page_iter_next(&cur->piter);
}

/* Fills, or copies from @src when it is not NULL. */
static void sgdemo_xfer(struct sgdemo_xfer_buf *dst, struct sgdemo_xfer_buf *src, u8 byte,
			u64 size)
{
	struct sgdemo_cursor d, s;
	u64 done = 0;

	/* What importers' devices wrote is in the pages before the CPU touches them. */
	if (!dst->dmabuf)
		sgdemo_prime_sync_for_cpu(dst->owned->obj);
	if (src && !src->dmabuf)
		sgdemo_prime_sync_for_cpu(src->owned->obj);
	sgdemo_cursor_start(&d, dst);
	if (src)
		sgdemo_cursor_start(&s, src);

	while (done < size) {
		size_t dlen, slen, n;
		void *dp, *sp;

		dp = sgdemo_cursor_map(&d, &dlen);
		n = min_t(u64, dlen, size - done);
		if (src) {
			sp = sgdemo_cursor_map(&s, &slen);
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
	/* Importers' devices see the new bytes before the job's fence signals. */
	if (!dst->dmabuf)
		sgdemo_prime_sync_for_device(dst->owned->obj);
}

/**
 * sgdemo_xfer_fill - write one byte over a range of an object
 * @dst: the object, from its offset on
 * @byte: the byte
 * @size: how many bytes; the range is inside the object
 */
void sgdemo_xfer_fill(struct sgdemo_xfer_buf *dst, u8 byte, u64 size)
{
	sgdemo_xfer(dst, NULL, byte, size);
}

/**
 * sgdemo_xfer_copy - copy a range of one object to a range of another
 * @dst: the object written, from its offset on
 * @src: the object read, from its offset on
 * @size: how many bytes; both ranges are inside their objects and, in one
 *	  object, do not overlap
 */
void sgdemo_xfer_copy(struct sgdemo_xfer_buf *dst, struct sgdemo_xfer_buf *src, u64 size)
{
	sgdemo_xfer(dst, src, 0, size);
}
