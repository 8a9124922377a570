/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scatter-gather tables of sgdemo objects: who owns them, how long they live.
 */
#ifndef _SGDEMO_SGT_H_
#define _SGDEMO_SGT_H_

#include <linux/kref.h>
#include <linux/types.h>

#include "sgdemo_dma.h"

struct drm_gem_object;
struct sg_table;

/**
 * DOC: sg_table lifetime rules
 *
 * An sgdemo object hands out its scatter-gather table in two ways.
 *
 * Borrowed, sgdemo_sgt_borrow(): the object's own cached, DMA-mapped table.
 *
 * - The caller never frees it, and may use it only while it holds a
 *   reference on the object: the object reference is what keeps it alive.
 * - The first borrow pins the pages, and the pin is held until the object is
 *   freed, so nothing (purge, shrinker) frees the table under a borrower.
 *   Its DMA mapping ends at unplug, if the device goes first.
 * - For an imported object the table is the one the dma-buf attachment made;
 *   it belongs to the attachment and lives as long as the object.
 *
 * Owned, sgdemo_sgt_acquire(): a &struct sgdemo_sgt with its own refcount.
 *
 * - It holds its own reference on the object, the guarantor of the pages,
 *   and its own pin; for a native object also its own table, DMA-mapped for
 *   the device. It outlives every handle, mapping and dma-buf.
 * - sgdemo_sgt_get() and sgdemo_sgt_put() count its users. The last put tears
 *   it down exactly once, in reverse order of acquisition: DMA unmap, free
 *   the table, unpin the pages, put the object (and the device).
 * - For an imported object it owns no table: it keeps the attachment's table
 *   alive through the object reference and never frees it.
 * - Every owned table is a DMA mapping of its own. Users that need the same
 *   pages many times over, like the copy engine's jobs, share one:
 *   sgdemo_sgt_acquire_shared() hands out a reference on the object's
 *   shared owned table, made by the first and torn down by the last put.
 *   (The DMA API's debug checker refuses more than a few overlapping
 *   device-writable mappings of the same memory, and rightly so.)
 * - A DMA mapping must not outlive the device: when the device is unplugged,
 *   sgdemo_dma_unplug() unmaps every table at once; their last put later
 *   frees the rest.
 * - Every mapping is charged on the device's budget and on the object's
 *   count of mappings (sgdemo_dma.h): past either, acquiring fails with
 *   -ENOSPC.
 */

/**
 * struct sgdemo_sgt - an owned scatter-gather table
 * @ref: users of the table; the last sgdemo_sgt_put() tears it down
 * @obj: the object whose pages the table describes, one reference held
 * @sgt: the table: ours for a native object, the attachment's for an
 *	 imported one
 * @owns_table: @sgt was built, and DMA-mapped, for this owned table
 * @dma: the DMA mapping of @sgt, when @owns_table
 * @shared: the object's shared table (&sgdemo_object.shared points here
 *	    while it has users)
 */
struct sgdemo_sgt {
	struct kref ref;
	struct drm_gem_object *obj;
	struct sg_table *sgt;
	bool owns_table;
	struct sgdemo_dma_map dma;
	bool shared;
};

struct sg_table *sgdemo_sgt_borrow(struct drm_gem_object *obj);

struct sgdemo_sgt *sgdemo_sgt_acquire(struct drm_gem_object *obj);
struct sgdemo_sgt *sgdemo_sgt_acquire_shared(struct drm_gem_object *obj);
void sgdemo_sgt_get(struct sgdemo_sgt *owned);
void sgdemo_sgt_put(struct sgdemo_sgt *owned);
int sgdemo_sgt_read(struct sgdemo_sgt *owned, u64 offset, u64 length, void __user *dst);

#endif /* _SGDEMO_SGT_H_ */
