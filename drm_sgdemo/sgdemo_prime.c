// SPDX-License-Identifier: GPL-2.0
/*
 * PRIME for sgdemo. Export: DRM's generic dma-buf helpers, wrapped to count
 * attachments and to know every live mapping of an attachment, so that
 * begin/end_cpu_access can make the CPU's view coherent with the importers';
 * each importer's table is built to its own device's segment limit.
 * Import: our own dma-bufs come back as the same object; foreign ones are
 * attached and mapped, so that every imported object has its sg_table.
 */

#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_prime.h>

#include "sgdemo.h"
#include "sgdemo_compat.h"
#include "sgdemo_prime.h"

/**
 * struct sgdemo_mapping - a live mapping of an attachment to our dma-buf
 * @link: entry in &sgdemo_object.mappings
 * @attach: the importer's attachment
 * @sgt: the table mapped for the importer's device
 * @dir: the direction it was mapped for
 */
struct sgdemo_mapping {
	struct list_head link;
	struct dma_buf_attachment *attach;
	struct sg_table *sgt;
	enum dma_data_direction dir;
};

static struct sgdemo_object *dmabuf_to_sgdemo_object(struct dma_buf *dmabuf)
{
	return to_sgdemo_object(dmabuf->priv);
}

static int sgdemo_dmabuf_attach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	int ret;

	ret = drm_gem_map_attach(dmabuf, attach);
	if (!ret)
		sgdemo_count(SGDEMO_ATTACHMENTS, 1);
	return ret;
}

static void sgdemo_dmabuf_detach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	drm_gem_map_detach(dmabuf, attach);
	sgdemo_count(SGDEMO_ATTACHMENTS, -1);
}

/*
 * The longest segment @dev can map: its own limit, and what the DMA layer
 * can map in one piece for it (256 KiB behind swiotlb; a 2 MiB huge folio
 * in one segment would not map there).
 */
static unsigned int sgdemo_dmabuf_max_segment(struct device *dev)
{
	size_t max = min_t(size_t, dma_get_max_seg_size(dev), dma_max_mapping_size(dev));

	return round_down(min_t(size_t, max, UINT_MAX), PAGE_SIZE);
}

/*
 * A table of the object's pages built for the importer's device: no segment
 * longer than that device takes (drm_gem_map_dma_buf() would size them for
 * ours), DMA-mapped for it. drm_gem_unmap_dma_buf() undoes it.
 */
static struct sg_table *sgdemo_dmabuf_table(struct dma_buf_attachment *attach,
					    enum dma_data_direction dir)
{
	struct sgdemo_object *sobj = dmabuf_to_sgdemo_object(attach->dmabuf);
	struct drm_gem_object *obj = &sobj->base.base;
	struct sg_table *sgt;
	int ret;

	sgt = kzalloc_obj(*sgt, GFP_KERNEL_ACCOUNT);
	if (!sgt)
		return ERR_PTR(-ENOMEM);
	/* The attachment pinned the pages: they stay until it detaches. */
	ret = sg_alloc_table_from_pages_segment(sgt, sobj->base.pages,
						obj->size >> PAGE_SHIFT, 0, obj->size,
						sgdemo_dmabuf_max_segment(attach->dev),
						GFP_KERNEL_ACCOUNT);
	if (ret)
		goto err_free;
	ret = dma_map_sgtable(attach->dev, sgt, dir, DMA_ATTR_SKIP_CPU_SYNC | DMA_ATTR_NO_WARN);
	if (ret)
		goto err_free_table;
	return sgt;

err_free_table:
	sg_free_table(sgt);
err_free:
	kfree(sgt);
	return ERR_PTR(ret);
}

/*
 * The table handed to an attachment is the attachment's until unmap. Its
 * mapping is charged on our device's budget and on the object's count of
 * mappings (sgdemo_dma_charge()), like our own.
 */
static struct sg_table *sgdemo_dmabuf_map(struct dma_buf_attachment *attach,
					  enum dma_data_direction dir)
{
	struct sgdemo_object *sobj = dmabuf_to_sgdemo_object(attach->dmabuf);
	struct drm_gem_object *obj = &sobj->base.base;
	struct sgdemo_mapping *mapping;
	struct sg_table *sgt;
	int ret;

	mapping = kmalloc_obj(*mapping, GFP_KERNEL_ACCOUNT);
	if (!mapping)
		return ERR_PTR(-ENOMEM);
	ret = sgdemo_dma_charge(to_sgdemo_device(obj->dev), obj, obj->size);
	if (ret) {
		kfree(mapping);
		return ERR_PTR(ret);
	}

	sgt = sgdemo_dmabuf_table(attach, dir);
	if (IS_ERR(sgt)) {
		sgdemo_dma_uncharge(to_sgdemo_device(obj->dev), obj, obj->size);
		kfree(mapping);
		return sgt;
	}

	mapping->attach = attach;
	mapping->sgt = sgt;
	mapping->dir = dir;
	mutex_lock(&sobj->map_lock);
	list_add_tail(&mapping->link, &sobj->mappings);
	mutex_unlock(&sobj->map_lock);
	return sgt;
}

static void sgdemo_dmabuf_unmap(struct dma_buf_attachment *attach, struct sg_table *sgt,
				enum dma_data_direction dir)
{
	struct sgdemo_object *sobj = dmabuf_to_sgdemo_object(attach->dmabuf);
	struct sgdemo_mapping *mapping, *found = NULL;

	mutex_lock(&sobj->map_lock);
	list_for_each_entry(mapping, &sobj->mappings, link) {
		if (mapping->sgt == sgt) {
			found = mapping;
			list_del(&found->link);
			break;
		}
	}
	mutex_unlock(&sobj->map_lock);
	kfree(found);

	drm_gem_unmap_dma_buf(attach, sgt, dir);
	sgdemo_dma_uncharge(to_sgdemo_device(sobj->base.base.dev), &sobj->base.base,
			    sobj->base.base.size);
}

/**
 * sgdemo_prime_sync_one_for_cpu - take what one importer's device wrote
 * @obj: a native object
 * @attach: the importer's attachment
 *
 * As sgdemo_prime_sync_for_cpu(), for that attachment's mappings only: the
 * others' views are older than what this importer wrote. Found by the
 * attachment, not by the table the importer was handed, which the dma-buf
 * core may have copied. Safe in the fence signalling path, as the other
 * syncs.
 */
void sgdemo_prime_sync_one_for_cpu(struct drm_gem_object *obj, struct dma_buf_attachment *attach)
{
	struct sgdemo_object *sobj = to_sgdemo_object(obj);
	struct sgdemo_mapping *mapping;

	mutex_lock(&sobj->map_lock);
	list_for_each_entry(mapping, &sobj->mappings, link)
		if (mapping->attach == attach)
			dma_sync_sgtable_for_cpu(attach->dev, mapping->sgt, mapping->dir);
	mutex_unlock(&sobj->map_lock);
}

/*
 * The importers' mappings skip CPU cache maintenance when they are made;
 * around CPU access (DMA_BUF_IOCTL_SYNC, in-kernel CPU users) the exporter
 * hands the pages to the CPU and back.
 */
/**
 * sgdemo_prime_sync_for_cpu - take what the importers' devices wrote
 * @obj: a native object the CPU is about to read or write
 *
 * Syncs every live importer mapping of @obj for the CPU, so that what an
 * importer's device wrote (behind swiotlb: into its bounce slots) is in the
 * pages before the CPU touches them; for a mapping the device only reads,
 * the DMA API does nothing. Called around CPU access through the dma-buf,
 * at the start of every copy engine job and by SGT_READ. Takes only the
 * object's map_lock, which nothing holds while it allocates or waits for a
 * fence: safe in the fence signalling path.
 */
void sgdemo_prime_sync_for_cpu(struct drm_gem_object *obj)
{
	struct sgdemo_object *sobj = to_sgdemo_object(obj);
	struct sgdemo_mapping *mapping;

	mutex_lock(&sobj->map_lock);
	list_for_each_entry(mapping, &sobj->mappings, link)
		dma_sync_sgtable_for_cpu(mapping->attach->dev, mapping->sgt, mapping->dir);
	mutex_unlock(&sobj->map_lock);
}

/**
 * sgdemo_prime_sync_for_device - hand what the CPU wrote to the importers
 * @obj: a native object whose pages the CPU has just written
 *
 * Syncs every live importer mapping of @obj for its device, so that a
 * device importer waiting on the writer's fence sees the new bytes (behind
 * swiotlb, its bounce slots are refreshed). Called at the end of CPU access
 * through the dma-buf and at the end of every copy engine job, before its
 * fence signals. Locking as sgdemo_prime_sync_for_cpu().
 */
void sgdemo_prime_sync_for_device(struct drm_gem_object *obj)
{
	struct sgdemo_object *sobj = to_sgdemo_object(obj);
	struct sgdemo_mapping *mapping;

	mutex_lock(&sobj->map_lock);
	list_for_each_entry(mapping, &sobj->mappings, link)
		dma_sync_sgtable_for_device(mapping->attach->dev, mapping->sgt, mapping->dir);
	mutex_unlock(&sobj->map_lock);
}

static int sgdemo_dmabuf_begin_cpu_access(struct dma_buf *dmabuf, enum dma_data_direction dir)
{
	sgdemo_prime_sync_for_cpu(dmabuf->priv);
	return 0;
}

static int sgdemo_dmabuf_end_cpu_access(struct dma_buf *dmabuf, enum dma_data_direction dir)
{
	sgdemo_prime_sync_for_device(dmabuf->priv);
	return 0;
}

static const struct dma_buf_ops sgdemo_dmabuf_ops = {
	SGDEMO_DMA_BUF_CACHE_SGT_MAPPING
	.attach			= sgdemo_dmabuf_attach,
	.detach			= sgdemo_dmabuf_detach,
	.map_dma_buf		= sgdemo_dmabuf_map,
	.unmap_dma_buf		= sgdemo_dmabuf_unmap,
	.release		= drm_gem_dmabuf_release,
	.begin_cpu_access	= sgdemo_dmabuf_begin_cpu_access,
	.end_cpu_access		= sgdemo_dmabuf_end_cpu_access,
	.mmap			= drm_gem_dmabuf_mmap,
	.vmap			= drm_gem_dmabuf_vmap,
	.vunmap			= drm_gem_dmabuf_vunmap,
};

/**
 * sgdemo_gem_prime_export - &drm_gem_object_funcs.export hook
 * @obj: the native object to export
 * @flags: the dma-buf file's flags
 *
 * The dma-buf holds a reference on the object and on the device until it is
 * released, and on this module (an exported buffer keeps the module loaded).
 * The object gets its fake offset first, if it has none yet: a mapping of
 * the dma-buf finds its pages by that offset, which must not change under
 * it (sgdemo_mmap.h, "CPU mappings").
 *
 * Returns: the new dma-buf, or an ERR_PTR(): -ENOMEM or -ENOSPC when no
 * fake offset can be allocated.
 */
struct dma_buf *sgdemo_gem_prime_export(struct drm_gem_object *obj, int flags)
{
	DEFINE_DMA_BUF_EXPORT_INFO(exp_info);
	int ret;

	ret = drm_gem_create_mmap_offset(obj);
	if (ret)
		return ERR_PTR(ret);

	exp_info.ops = &sgdemo_dmabuf_ops;
	exp_info.size = obj->size;
	exp_info.flags = flags;
	exp_info.priv = obj;
	exp_info.resv = obj->resv;

	return drm_gem_dmabuf_export(obj->dev, &exp_info);
}

/**
 * sgdemo_prime_exporter - the sgdemo object whose pages an object shows
 * @obj: an object of any sgdemo device
 *
 * Returns: @obj for a native object; for an import of a dma-buf another
 * sgdemo device exported, the exporter's object, whose importers' mappings
 * (ours among them) sgdemo_prime_sync_for_cpu() and _for_device() reach;
 * NULL for an import of a foreign exporter's, whose syncs are its own.
 */
struct drm_gem_object *sgdemo_prime_exporter(struct drm_gem_object *obj)
{
	struct dma_buf *dmabuf;

	if (!obj->import_attach)
		return obj;
	dmabuf = obj->import_attach->dmabuf;
	return dmabuf->ops == &sgdemo_dmabuf_ops ? dmabuf->priv : NULL;
}

/**
 * sgdemo_gem_prime_import - &drm_driver.gem_prime_import hook
 * @dev: the DRM device
 * @dmabuf: the dma-buf to import
 *
 * A dma-buf this device exported gives back the same object, with another
 * reference, and so does one this device has imported already, in any
 * file. Any other is attached and mapped (drm_gem_prime_import()), so
 * that the imported object has the attachment's sg_table on every kernel;
 * the mapping is for our device, so it is charged on its DMA budget and
 * ended at unplug (sgdemo_dma_import_add()).
 *
 * Returns: the object, or an ERR_PTR(): -ENOSPC when the device's DMA
 * budget is used up.
 */
struct drm_gem_object *sgdemo_gem_prime_import(struct drm_device *dev, struct dma_buf *dmabuf)
{
	struct sgdemo_device *sdev = to_sgdemo_device(dev);
	struct drm_gem_object *obj;
	int ret;

	if (dmabuf->ops == &sgdemo_dmabuf_ops) {
		obj = dmabuf->priv;
		if (obj->dev == dev) {
			drm_gem_object_get(obj);
			return obj;
		}
	}
	/* Another file's import of it: the same object, and mapping. */
	obj = sgdemo_dma_import_find(sdev, dmabuf);
	if (obj)
		return obj;
	ret = sgdemo_dma_charge(sdev, NULL, dmabuf->size);
	if (ret)
		return ERR_PTR(ret);
	obj = drm_gem_prime_import(dev, dmabuf);
	if (IS_ERR(obj)) {
		sgdemo_dma_uncharge(sdev, NULL, dmabuf->size);
		return obj;
	}
	ret = sgdemo_dma_import_add(obj);
	if (ret) {
		/* Not listed: the object's free ends its mapping. */
		drm_gem_object_put(obj);
		sgdemo_dma_uncharge(sdev, NULL, dmabuf->size);
		return ERR_PTR(ret);
	}
	return obj;
}
