// SPDX-License-Identifier: GPL-2.0
/*
 * Borrowed and owned scatter-gather tables of sgdemo objects. The rules they
 * follow are stated once, in sgdemo_sgt.h; this file implements them.
 */

#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/err.h>
#include <linux/highmem.h>
#include <linux/iosys-map.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait_bit.h>

#include <drm/drm_drv.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>

#include "sgdemo.h"
#include "sgdemo_compat.h"
#include "sgdemo_gem.h"
#include "sgdemo_prime.h"
#include "sgdemo_sgt.h"

/**
 * sgdemo_sgt_borrow - borrow an object's scatter-gather table
 * @obj: the object; the caller holds a reference on it for as long as it
 *	 uses the table
 *
 * The table is the object's own, cached on it (sgdemo_gem_borrow_table()):
 * the first borrow of a native object pins its pages and DMA-maps the table
 * for the device, both until the object is freed. An imported object's
 * table is the attachment's.
 *
 * Returns: the object's table, which the caller must not free, or an
 * ERR_PTR(): -ENODEV once the device is unplugged, or why the pages cannot
 * be had.
 */
struct sg_table *sgdemo_sgt_borrow(struct drm_gem_object *obj)
{
	struct sg_table *sgt;
	int idx;

	/* No new mapping for a device that is gone. */
	if (!drm_dev_enter(obj->dev, &idx))
		return ERR_PTR(-ENODEV);
	sgt = sgdemo_gem_borrow_table(obj);
	drm_dev_exit(idx);
	return sgt;
}

/**
 * sgdemo_sgt_acquire - acquire an owned scatter-gather table of an object
 * @obj: the object; the caller's reference is not taken over
 *
 * In order: takes a reference on the object and on its device, pins the
 * pages, builds a table of them and DMA-maps it for the device. An imported
 * object's pages are the exporter's and already mapped for us: the owned
 * table then keeps the attachment's table alive through the object.
 *
 * Returns: the owned table with one reference for the caller, or an
 * ERR_PTR(): -ENODEV once the device is unplugged, -ENOSPC when the
 * device's DMA budget or the object's mappings are used up, -ENOMEM, or
 * what pinning or mapping failed with.
 */
struct sgdemo_sgt *sgdemo_sgt_acquire(struct drm_gem_object *obj)
{
	struct drm_gem_shmem_object *shmem = &to_sgdemo_object(obj)->base;
	struct sgdemo_sgt *owned;
	struct sg_table *sgt;
	int idx, ret;

	/* Holds off unplug, which unmaps every table on the device's list. */
	if (!drm_dev_enter(obj->dev, &idx))
		return ERR_PTR(-ENODEV);

	owned = sgdemo_inject_fault() ? NULL : kzalloc_obj(*owned, GFP_KERNEL_ACCOUNT);
	if (!owned) {
		ret = -ENOMEM;
		goto err_exit;
	}
	kref_init(&owned->ref);
	drm_gem_object_get(obj);
	drm_dev_get(obj->dev);
	owned->obj = obj;

	if (obj->import_attach) {
		sgt = sgdemo_sgt_borrow(obj);
		if (IS_ERR(sgt)) {
			ret = PTR_ERR(sgt);
			goto err_put;
		}
		owned->sgt = sgt;
	} else {
		ret = sgdemo_gem_pin_pages(obj);
		if (ret)
			goto err_put;
		sgt = sgdemo_inject_fault() ? ERR_PTR(-ENOMEM) :
					      drm_gem_shmem_get_sg_table(shmem);
		if (IS_ERR(sgt)) {
			ret = PTR_ERR(sgt);
			goto err_unpin;
		}
		ret = sgdemo_dma_map(&owned->dma, obj, sgt);
		if (ret)
			goto err_free_table;
		owned->sgt = sgt;
		owned->owns_table = true;
	}

	sgdemo_count(SGDEMO_OWNED_TABLES, 1);
	drm_dev_exit(idx);
	return owned;

err_free_table:
	sg_free_table(sgt);
	kfree(sgt);
err_unpin:
	sgdemo_gem_unpin_pages(obj);
err_put:
	drm_dev_put(obj->dev);
	drm_gem_object_put(obj);
	kfree(owned);
err_exit:
	drm_dev_exit(idx);
	return ERR_PTR(ret);
}

/**
 * sgdemo_sgt_acquire_shared - a reference on the object's shared owned table
 * @obj: the object; the caller's reference is not taken over
 *
 * The first caller acquires the table as sgdemo_sgt_acquire() does; while
 * it has users, later callers get a reference on the same table, and so the
 * same DMA mapping. The last sgdemo_sgt_put() tears it down; the next call
 * makes a new one, once that teardown has ended: a table and its successor
 * are never both charged on the DMA budget, so a submission right after a
 * job's end cannot fail with -ENOSPC because of the table it replaces (the
 * unmap of a bounced table copies it back, which takes a while).
 *
 * Returns: the shared table with a reference for the caller, or an ERR_PTR()
 * as sgdemo_sgt_acquire().
 */
struct sgdemo_sgt *sgdemo_sgt_acquire_shared(struct drm_gem_object *obj)
{
	struct sgdemo_object *sobj = to_sgdemo_object(obj);
	struct sgdemo_sgt *owned;
	unsigned int gen;

	mutex_lock(&sobj->shared_lock);
	/* A table whose last put is under way: wait for its teardown. */
	while (sobj->shared && !kref_get_unless_zero(&sobj->shared->ref)) {
		gen = sobj->shared_gen;
		mutex_unlock(&sobj->shared_lock);
		wait_var_event(&sobj->shared_gen, READ_ONCE(sobj->shared_gen) != gen);
		mutex_lock(&sobj->shared_lock);
	}
	owned = sobj->shared;
	if (!owned) {
		owned = sgdemo_sgt_acquire(obj);
		if (!IS_ERR(owned)) {
			owned->shared = true;
			sobj->shared = owned;
		}
	}
	mutex_unlock(&sobj->shared_lock);
	return owned;
}

/**
 * sgdemo_sgt_get - take another reference on an owned table
 * @owned: the table; the caller already holds a reference
 */
void sgdemo_sgt_get(struct sgdemo_sgt *owned)
{
	kref_get(&owned->ref);
}

static void sgdemo_sgt_release(struct kref *ref)
{
	struct sgdemo_sgt *owned = container_of(ref, struct sgdemo_sgt, ref);
	struct drm_gem_object *obj = owned->obj;
	struct drm_device *drm = obj->dev;

	/* Reverse order of sgdemo_sgt_acquire(). */
	if (owned->owns_table) {
		sgdemo_dma_unmap(&owned->dma);
		sg_free_table(owned->sgt);
		kfree(owned->sgt);
		sgdemo_gem_unpin_pages(obj);
	}
	/* A shared table's successor may be made now (sgdemo_sgt_acquire_shared()). */
	if (owned->shared) {
		struct sgdemo_object *sobj = to_sgdemo_object(obj);

		mutex_lock(&sobj->shared_lock);
		sobj->shared = NULL;
		sobj->shared_gen++;
		mutex_unlock(&sobj->shared_lock);
		wake_up_var(&sobj->shared_gen);
	}
	drm_gem_object_put(obj);
	sgdemo_count(SGDEMO_OWNED_TABLES, -1);
	kfree(owned);
	drm_dev_put(drm);
}

/**
 * sgdemo_sgt_put - drop a reference on an owned table
 * @owned: the table
 *
 * The last put tears the table down: DMA unmap (unless unplug did already),
 * free the table, unpin the pages, put the object and the device.
 */
void sgdemo_sgt_put(struct sgdemo_sgt *owned)
{
	kref_put(&owned->ref, sgdemo_sgt_release);
}

static int sgdemo_sgt_read_pages(struct sg_table *sgt, u64 offset, u64 length,
				 void __user *dst)
{
	unsigned int skip = offset_in_page(offset);
	struct sg_page_iter piter;
	u64 done = 0;

	for_each_sgtable_page(sgt, &piter, offset >> PAGE_SHIFT) {
		size_t n = min_t(u64, PAGE_SIZE - skip, length - done);
		void *vaddr = kmap_local_page(sg_page_iter_page(&piter));
		unsigned long left = copy_to_user(dst + done, vaddr + skip, n);

		kunmap_local(vaddr);
		if (left)
			return -EFAULT;
		done += n;
		skip = 0;
		if (done == length)
			return 0;
	}
	return -EINVAL;
}

/* An importer never touches the exporter's pages: ask for CPU access. */
static int sgdemo_sgt_read_import(struct dma_buf *dmabuf, u64 offset, u64 length,
				  void __user *dst)
{
	struct iosys_map map;
	int ret;

	ret = dma_buf_begin_cpu_access(dmabuf, DMA_FROM_DEVICE);
	if (ret)
		return ret;
	ret = sgdemo_dma_buf_vmap(dmabuf, &map);
	if (ret)
		goto out_end;
	if (map.is_iomem)
		ret = -EOPNOTSUPP;
	else if (copy_to_user(dst, map.vaddr + offset, length))
		ret = -EFAULT;
	sgdemo_dma_buf_vunmap(dmabuf, &map);
out_end:
	dma_buf_end_cpu_access(dmabuf, DMA_FROM_DEVICE);
	return ret;
}

/**
 * sgdemo_sgt_read - copy bytes of the pages an owned table describes
 * @owned: the table; the caller holds a reference
 * @offset: first byte
 * @length: number of bytes
 * @dst: user memory to copy to
 *
 * Waits for the object's writers first (a job still writing it) and takes
 * what importers' devices wrote into the pages; for an import, the
 * exporter's CPU access does both.
 *
 * Returns: 0, -EINVAL for a range that overflows or ends past the object,
 * -EFAULT when @dst cannot be written, -ERESTARTSYS when a signal ends the
 * wait, or the exporter's error for an imported object.
 */
int sgdemo_sgt_read(struct sgdemo_sgt *owned, u64 offset, u64 length, void __user *dst)
{
	struct drm_gem_object *obj = owned->obj;
	long ret;
	u64 end;

	if (check_add_overflow(offset, length, &end) || end > obj->size)
		return -EINVAL;
	if (!length)
		return 0;
	if (obj->import_attach)
		return sgdemo_sgt_read_import(obj->import_attach->dmabuf, offset, length, dst);
	/* A job, or another driver, may still be writing the pages. */
	ret = dma_resv_wait_timeout(obj->resv, DMA_RESV_USAGE_WRITE, true, MAX_SCHEDULE_TIMEOUT);
	if (ret < 0)
		return ret;
	sgdemo_prime_sync_for_cpu(obj);
	return sgdemo_sgt_read_pages(owned->sgt, offset, length, dst);
}
