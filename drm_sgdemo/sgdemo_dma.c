// SPDX-License-Identifier: GPL-2.0
/*
 * sgdemo's DMA mappings for a device: each one charged on the device's
 * budget and on its object's count of mappings before it is made, listed on
 * the device while it lives, and ended at unmap or at unplug, whichever comes
 * first. And the copy engine's device mode, which reaches memory through a
 * DMA address as a device does (docs/engine.md).
 */

#include <linux/cc_platform.h>
#include <linux/debugfs.h>
#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/scatterlist.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/swiotlb.h>

#include <drm/drm_drv.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_print.h>

#include "sgdemo.h"
#include "sgdemo_dma.h"

static char *engine = "cpu";
module_param(engine, charp, 0444);
MODULE_PARM_DESC(engine,
		 "How the copy engine reaches memory: cpu (the pages; default) or device (only the DMA addresses of its tables, as a device does)");

static unsigned int dma_budget_mib;
module_param(dma_budget_mib, uint, 0444);
MODULE_PARM_DESC(dma_budget_mib,
		 "Most a device may keep DMA-mapped, in MiB (0: half of the bounce pool where the device bounces, half of memory elsewhere)");

/* Set once at module load, from the engine parameter. */
bool sgdemo_engine_device_mode;

/*
 * Devices that bounce share one pool: what all sgdemo devices keep mapped
 * through it is bounded too, to half of it.
 */
static atomic64_t sgdemo_bounce_mapped = ATOMIC64_INIT(0);
static atomic64_t sgdemo_bounce_budget = ATOMIC64_INIT(0);

/**
 * sgdemo_dma_mode_init - read the module parameters at load
 *
 * Device mode needs a DMA address that is a physical address where no IOMMU
 * translates it: x86 without memory encryption. Elsewhere (an SEV or TDX
 * guest, another architecture) it is refused.
 *
 * Returns: 0, or -EINVAL for an unknown mode or one the machine cannot have.
 */
int sgdemo_dma_mode_init(void)
{
	if (sysfs_streq(engine, "cpu"))
		return 0;
	if (!sysfs_streq(engine, "device")) {
		pr_err("sgdemo: engine=%s: not cpu or device\n", engine);
		return -EINVAL;
	}
	if (!IS_ENABLED(CONFIG_X86) || cc_platform_has(CC_ATTR_MEM_ENCRYPT)) {
		pr_err("sgdemo: engine=device: a DMA address is not a physical address here\n");
		return -EINVAL;
	}
	sgdemo_engine_device_mode = true;
	return 0;
}

/* The bounce pool @dev would use, in bytes; 0 when it does not bounce. */
static u64 sgdemo_dma_bounce_pool(struct device *dev)
{
#ifdef CONFIG_SWIOTLB
	struct io_tlb_mem *mem = dev->dma_io_tlb_mem;

	if (mem && (mem->force_bounce || dma_addressing_limited(dev)))
		return (u64)mem->nslabs << IO_TLB_SHIFT;
#endif
	return 0;
}

/**
 * sgdemo_dma_init - set up a device's DMA state
 * @sdev: the device, just allocated
 * @dev: the device its tables are mapped for, its DMA mask already set
 */
void sgdemo_dma_init(struct sgdemo_device *sdev, struct device *dev)
{
	struct sgdemo_dma *dma = &sdev->dma;
	u64 pool = sgdemo_dma_bounce_pool(dev);

	mutex_init(&dma->lock);
	INIT_LIST_HEAD(&dma->maps);
	INIT_LIST_HEAD(&dma->imports);
	atomic64_set(&dma->mapped, 0);
	dma->bounces = pool != 0;
	if (dma->bounces)
		atomic64_set(&sgdemo_bounce_budget, pool / 2);
	if (dma_budget_mib)
		dma->budget = (u64)dma_budget_mib << 20;
	else if (pool)
		dma->budget = pool / 2;
	else
		dma->budget = ((u64)totalram_pages() << PAGE_SHIFT) / 2;
	/*
	 * Nor more than half of what the device can address: behind an
	 * IOMMU that is its IOVA space (256 MiB for edu's 28 bits).
	 */
	if (dma_get_mask(dev) != DMA_BIT_MASK(64))
		dma->budget = min(dma->budget, (dma_get_mask(dev) >> 1) + 1);
}

/* Charges the pool that bouncing devices share; true when it has room. */
static bool sgdemo_dma_charge_bounce(struct sgdemo_dma *dma, s64 size)
{
	if (!dma->bounces)
		return true;
	if (atomic64_add_return(size, &sgdemo_bounce_mapped) <=
	    atomic64_read(&sgdemo_bounce_budget))
		return true;
	atomic64_sub(size, &sgdemo_bounce_mapped);
	return false;
}

static int sgdemo_dma_show(struct seq_file *m, void *unused)
{
	struct sgdemo_dma *dma = m->private;

	seq_printf(m, "budget %llu\nmapped %lld\nbounces %d\nengine %s\n", dma->budget,
		   (long long)atomic64_read(&dma->mapped), dma->bounces,
		   sgdemo_engine_device_mode ? "device" : "cpu");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sgdemo_dma);

/**
 * sgdemo_dma_debugfs_add - show a device's DMA budget in debugfs
 * @sdev: the device, registered
 *
 * /sys/kernel/debug/sgdemo/dma-DEVICE (DEVICE as the parent device is
 * named: dma-sgdemo, dma-0000:00:03.0): the budget and what is charged on
 * it, in bytes, whether the device bounces, and the engine's mode. Gone at
 * unplug, with sgdemo_dma_debugfs_remove().
 */
void sgdemo_dma_debugfs_add(struct sgdemo_device *sdev)
{
	char name[64];

	snprintf(name, sizeof(name), "dma-%s", dev_name(sdev->drm.dev));
	sdev->dma.debugfs = debugfs_create_file(name, 0444, sgdemo_debugfs_dir(), &sdev->dma,
						&sgdemo_dma_fops);
}

/**
 * sgdemo_dma_debugfs_remove - remove what sgdemo_dma_debugfs_add() made
 * @sdev: the device
 */
void sgdemo_dma_debugfs_remove(struct sgdemo_device *sdev)
{
	debugfs_remove(sdev->dma.debugfs);
	sdev->dma.debugfs = NULL;
}

/**
 * sgdemo_dma_charge - charge a mapping before it is made
 * @sdev: the device whose budget pays
 * @obj: a native object whose pages are mapped, counted against
 *	 %SGDEMO_MAX_OBJECT_MAPPINGS; NULL for an import's pages
 * @size: bytes mapped
 *
 * Returns: 0, or -ENOSPC when the device's budget, the bounce pool's share
 * of all sgdemo devices or the object's count of mappings is used up:
 * sgdemo's own error, where the DMA layer would say only -EIO or -ENOMEM
 * once a shared pool is already empty.
 */
int sgdemo_dma_charge(struct sgdemo_device *sdev, struct drm_gem_object *obj, size_t size)
{
	struct sgdemo_dma *dma = &sdev->dma;

	if (obj && atomic_inc_return(&to_sgdemo_object(obj)->dma_maps) >
		   SGDEMO_MAX_OBJECT_MAPPINGS)
		goto err_object;
	if (atomic64_add_return(size, &dma->mapped) > dma->budget)
		goto err_budget;
	if (!sgdemo_dma_charge_bounce(dma, size))
		goto err_budget;
	sgdemo_count(SGDEMO_DMA_MAPPED_PAGES, size >> PAGE_SHIFT);
	return 0;

err_budget:
	atomic64_sub(size, &dma->mapped);
err_object:
	if (obj)
		atomic_dec(&to_sgdemo_object(obj)->dma_maps);
	return -ENOSPC;
}

/**
 * sgdemo_dma_uncharge - give back what sgdemo_dma_charge() took
 * @sdev: the device charged
 * @obj: the object charged, or NULL
 * @size: bytes charged
 */
void sgdemo_dma_uncharge(struct sgdemo_device *sdev, struct drm_gem_object *obj, size_t size)
{
	sgdemo_count(SGDEMO_DMA_MAPPED_PAGES, -(long)(size >> PAGE_SHIFT));
	if (sdev->dma.bounces)
		atomic64_sub(size, &sgdemo_bounce_mapped);
	atomic64_sub(size, &sdev->dma.mapped);
	if (obj)
		atomic_dec(&to_sgdemo_object(obj)->dma_maps);
}

/**
 * sgdemo_dma_map - map a table of a native object's pages for the device
 * @map: where the mapping is recorded, unused
 * @obj: the object; its pages are pinned for as long as the table lives
 * @sgt: the table
 *
 * Bidirectional, and without CPU cache maintenance: the CPU works on the
 * pages, and whoever hands them to the device syncs (sgdemo_dma_sync()).
 * Userspace can ask for any number of these, so a full bounce pool is not
 * worth a warning in the log: the caller gets the error.
 *
 * Returns: 0, -ENOSPC as sgdemo_dma_charge(), or what the DMA layer failed
 * with.
 */
int sgdemo_dma_map(struct sgdemo_dma_map *map, struct drm_gem_object *obj,
		   struct sg_table *sgt)
{
	struct sgdemo_device *sdev = to_sgdemo_device(obj->dev);
	int ret;

	ret = sgdemo_dma_charge(sdev, obj, obj->size);
	if (ret)
		return ret;
	ret = sgdemo_inject_fault() ? -ENOMEM :
	      dma_map_sgtable(obj->dev->dev, sgt, DMA_BIDIRECTIONAL,
			      DMA_ATTR_SKIP_CPU_SYNC | DMA_ATTR_NO_WARN);
	if (ret) {
		sgdemo_dma_uncharge(sdev, obj, obj->size);
		return ret;
	}
	map->sgt = sgt;
	map->obj = obj;
	map->mapped = true;
	mutex_lock(&sdev->dma.lock);
	list_add_tail(&map->link, &sdev->dma.maps);
	mutex_unlock(&sdev->dma.lock);
	return 0;
}

static void sgdemo_dma_unmap_locked(struct sgdemo_device *sdev, struct sgdemo_dma_map *map)
{
	lockdep_assert_held(&sdev->dma.lock);

	if (!map->mapped)
		return;
	/* The CPU wrote the pages, not the device's view: nothing to copy back. */
	dma_unmap_sgtable(sdev->drm.dev, map->sgt, DMA_BIDIRECTIONAL, DMA_ATTR_SKIP_CPU_SYNC);
	map->mapped = false;
	list_del_init(&map->link);
	sgdemo_dma_uncharge(sdev, map->obj, map->obj->size);
}

/**
 * sgdemo_dma_unmap - end a mapping made by sgdemo_dma_map(), once
 * @map: the mapping; nothing happens when unplug ended it already
 */
void sgdemo_dma_unmap(struct sgdemo_dma_map *map)
{
	struct sgdemo_device *sdev = to_sgdemo_device(map->obj->dev);

	mutex_lock(&sdev->dma.lock);
	sgdemo_dma_unmap_locked(sdev, map);
	mutex_unlock(&sdev->dma.lock);
}

/**
 * sgdemo_dma_import_find - the device's live import of a dma-buf
 * @sdev: the device
 * @dmabuf: a foreign dma-buf
 *
 * One import, and so one mapping of the exporter's pages for the device,
 * however many files import the buffer: the DMA API's debug checker allows
 * only so many overlapping mappings of a page.
 *
 * Returns: the imported object with a new reference, or NULL when the
 * device has none (or it is being freed).
 */
struct drm_gem_object *sgdemo_dma_import_find(struct sgdemo_device *sdev, struct dma_buf *dmabuf)
{
	struct drm_gem_object *found = NULL;
	struct sgdemo_object *sobj;

	mutex_lock(&sdev->dma.lock);
	list_for_each_entry(sobj, &sdev->dma.imports, import_link) {
		struct drm_gem_object *obj = &sobj->base.base;

		if (obj->import_attach->dmabuf == dmabuf && kref_get_unless_zero(&obj->refcount)) {
			found = obj;
			break;
		}
	}
	mutex_unlock(&sdev->dma.lock);
	return found;
}

/**
 * sgdemo_dma_import_add - list an import whose attachment is mapped for us
 * @obj: the imported object, charged already with sgdemo_dma_charge()
 *
 * Returns: 0, or -ENODEV when the device was unplugged while the import was
 * under way: its mapping would outlive the device.
 */
int sgdemo_dma_import_add(struct drm_gem_object *obj)
{
	struct sgdemo_device *sdev = to_sgdemo_device(obj->dev);
	int idx;

	if (!drm_dev_enter(obj->dev, &idx))
		return -ENODEV;
	mutex_lock(&sdev->dma.lock);
	list_add_tail(&to_sgdemo_object(obj)->import_link, &sdev->dma.imports);
	mutex_unlock(&sdev->dma.lock);
	drm_dev_exit(idx);
	return 0;
}

static void sgdemo_dma_import_end_locked(struct sgdemo_device *sdev, struct drm_gem_object *obj)
{
	struct sgdemo_object *sobj = to_sgdemo_object(obj);

	lockdep_assert_held(&sdev->dma.lock);

	if (list_empty(&sobj->import_link))
		return;
	/* The object is freed without a table: drm_prime_gem_destroy() detaches only. */
	dma_buf_unmap_attachment_unlocked(obj->import_attach, sobj->base.sgt, DMA_BIDIRECTIONAL);
	sobj->base.sgt = NULL;
	list_del_init(&sobj->import_link);
	sgdemo_dma_uncharge(sdev, NULL, obj->size);
}

/**
 * sgdemo_dma_import_end - end an import's mapping for the device, once
 * @obj: the imported object, being freed
 */
void sgdemo_dma_import_end(struct drm_gem_object *obj)
{
	struct sgdemo_device *sdev = to_sgdemo_device(obj->dev);

	mutex_lock(&sdev->dma.lock);
	sgdemo_dma_import_end_locked(sdev, obj);
	mutex_unlock(&sdev->dma.lock);
}

/**
 * sgdemo_dma_unplug - end every DMA mapping of a device
 * @sdev: the device, unplugged with drm_dev_unplug() and its engine stopped
 *
 * Borrowed and owned tables, and imports' attachments: no DMA mapping
 * outlives the device. The tables, pins and objects stay until their
 * owners let go of them.
 */
void sgdemo_dma_unplug(struct sgdemo_device *sdev)
{
	struct sgdemo_object *sobj, *next_obj;
	struct sgdemo_dma_map *map, *next;

	mutex_lock(&sdev->dma.lock);
	list_for_each_entry_safe(map, next, &sdev->dma.maps, link)
		sgdemo_dma_unmap_locked(sdev, map);
	list_for_each_entry_safe(sobj, next_obj, &sdev->dma.imports, import_link)
		sgdemo_dma_import_end_locked(sdev, &sobj->base.base);
	mutex_unlock(&sdev->dma.lock);
}

/**
 * sgdemo_dma_sync - hand a range of a mapping to the device or to the CPU
 * @map: the mapping; the caller keeps it alive
 * @offset: the range's first byte in the object
 * @size: its length
 * @for_device: true before the device reads or writes the range, false
 *		after it did
 *
 * For the copy engine's device mode, which touches the DMA view of a table
 * as a device does (docs/lifetime.md, rule 6). Only the range: bytes around
 * it that the CPU wrote meanwhile are not overwritten. Takes no lock and
 * does not allocate: safe in the fence signalling path.
 */
void sgdemo_dma_sync(struct sgdemo_dma_map *map, u64 offset, u64 size, bool for_device)
{
	struct device *dev = map->obj->dev->dev;
	struct scatterlist *sg;
	u64 start = 0, end = offset + size;
	int i;

	for_each_sgtable_dma_sg(map->sgt, sg, i) {
		u64 lo = max(start, offset), hi = min(start + sg_dma_len(sg), end);

		if (lo < hi) {
			dma_addr_t addr = sg_dma_address(sg) + (lo - start);

			if (for_device)
				dma_sync_single_for_device(dev, addr, hi - lo, DMA_BIDIRECTIONAL);
			else
				dma_sync_single_for_cpu(dev, addr, hi - lo, DMA_BIDIRECTIONAL);
		}
		start += sg_dma_len(sg);
		if (start >= end)
			break;
	}
}

/**
 * sgdemo_dma_page - the page a device would reach at a DMA address
 * @dev: the device
 * @addr: the DMA address
 * @offset: set to the address's offset in the page
 *
 * Through the device's IOMMU domain where it translates (an address not
 * mapped there reaches nothing); elsewhere a DMA address is the physical
 * address (sgdemo_dma_mode_init() refused the machines where it is not).
 * Behind swiotlb that is the bounce slot, not the object's page.
 *
 * Returns: the page, or NULL when the address reaches no memory.
 */
struct page *sgdemo_dma_page(struct device *dev, dma_addr_t addr, unsigned int *offset)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);
	phys_addr_t phys = addr;

	if (domain && (domain->type & __IOMMU_DOMAIN_PAGING)) {
		phys = iommu_iova_to_phys(domain, addr);
		if (!phys)
			return NULL;
	}
	if (!pfn_valid(PHYS_PFN(phys)))
		return NULL;
	*offset = offset_in_page(phys);
	return pfn_to_page(PHYS_PFN(phys));
}
