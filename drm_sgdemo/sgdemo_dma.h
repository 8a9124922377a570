/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What sgdemo keeps DMA-mapped for a device, and how much it may
 * (sgdemo_dma.c): every mapping the driver makes of an object's pages for
 * its own device (borrowed and owned tables), its charge on the device's
 * budget and on the object's count of mappings, and the end of them all when
 * the device goes. Also the copy engine's device mode: reaching memory
 * through a DMA address, as a device would. docs/lifetime.md, "The DMA
 * model", says which rule each function keeps.
 */
#ifndef _SGDEMO_DMA_H_
#define _SGDEMO_DMA_H_

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>

struct dentry;
struct dma_buf;
struct device;
struct drm_gem_object;
struct page;
struct sg_table;
struct sgdemo_device;

/*
 * The most mappings of one object's pages that may be alive at once: its
 * borrowed table, owned tables and importers' mappings together. The DMA
 * API's debug checker warns past eight overlapping device-writable mappings
 * of a cacheline.
 */
#define SGDEMO_MAX_OBJECT_MAPPINGS	8

/**
 * struct sgdemo_dma - a device's DMA mappings and their budget
 * @lock: protects @maps, @imports and the mapped state of their entries
 * @maps: the live &struct sgdemo_dma_map of the device
 * @imports: imported objects (&sgdemo_object.import_link) whose attachment
 *	     is still mapped for the device
 * @mapped: bytes charged on the budget: our tables mapped for the device,
 *	    imports mapped for it, and mappings of our objects made for
 *	    importers' devices
 * @budget: the most @mapped may be; the module parameter dma_budget_mib,
 *	    or half of the bounce pool where the device bounces, half of
 *	    memory where it does not; never more than half of what the
 *	    device's DMA mask addresses
 * @bounces: the device's streaming mappings go through the swiotlb pool;
 *	     all such devices together keep at most half of it mapped
 * @debugfs: the device's file in debugfs (sgdemo_dma_debugfs_add())
 */
struct sgdemo_dma {
	struct mutex lock; /* protects maps, imports and their mapped state */
	struct list_head maps;
	struct list_head imports;
	atomic64_t mapped;
	u64 budget;
	bool bounces;
	struct dentry *debugfs;
};

/**
 * struct sgdemo_dma_map - a table of an object's pages mapped for the device
 * @link: entry in &sgdemo_dma.maps while @mapped, under &sgdemo_dma.lock
 * @sgt: the table
 * @obj: the object whose pages it describes
 * @mapped: the DMA mapping is alive; it ends once, at unmap or at unplug
 */
struct sgdemo_dma_map {
	struct list_head link;
	struct sg_table *sgt;
	struct drm_gem_object *obj;
	bool mapped;
};

extern bool sgdemo_engine_device_mode;

int sgdemo_dma_mode_init(void);
void sgdemo_dma_init(struct sgdemo_device *sdev, struct device *dev);
void sgdemo_dma_debugfs_add(struct sgdemo_device *sdev);
void sgdemo_dma_debugfs_remove(struct sgdemo_device *sdev);
int sgdemo_dma_charge(struct sgdemo_device *sdev, struct drm_gem_object *obj, size_t size);
void sgdemo_dma_uncharge(struct sgdemo_device *sdev, struct drm_gem_object *obj, size_t size);
int sgdemo_dma_map(struct sgdemo_dma_map *map, struct drm_gem_object *obj,
		   struct sg_table *sgt);
void sgdemo_dma_unmap(struct sgdemo_dma_map *map);
struct drm_gem_object *sgdemo_dma_import_find(struct sgdemo_device *sdev, struct dma_buf *dmabuf);
int sgdemo_dma_import_add(struct drm_gem_object *obj);
void sgdemo_dma_import_end(struct drm_gem_object *obj);
void sgdemo_dma_unplug(struct sgdemo_device *sdev);
void sgdemo_dma_sync(struct sgdemo_dma_map *map, u64 offset, u64 size, bool for_device);
struct page *sgdemo_dma_page(struct device *dev, dma_addr_t addr, unsigned int *offset);

#endif /* _SGDEMO_DMA_H_ */
