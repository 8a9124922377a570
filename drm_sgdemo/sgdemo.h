/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The core types of the sgdemo driver: the device, its objects and files,
 * the counters the tests read and the fault-injection hook. Every file of the
 * driver includes this header for them; each file's functions are declared
 * in a header of its own:
 *
 *   sgdemo_drv.h     the DRM driver and the device's set-up (sgdemo_drv.c)
 *   sgdemo_gem.h     shmem-backed GEM objects (sgdemo_gem.c)
 *   sgdemo_mmap.h    CPU mappings of objects, their fault handler (sgdemo_mmap.c)
 *   sgdemo_prime.h   dma-buf export and import (sgdemo_prime.c)
 *   sgdemo_sgt.h     borrowed and owned sg_tables, their rules (sgdemo_sgt.c)
 *   sgdemo_dma.h     DMA mappings, their budget and unplug (sgdemo_dma.c)
 *   sgdemo_pci.h     sgdemo on QEMU's edu PCI device (sgdemo_pci.c)
 *   sgdemo_fence.h   a job's dependencies as one fence (sgdemo_fence.c)
 *   sgdemo_engine.h  the copy engine: jobs, scheduler, entities (sgdemo_engine.c)
 *   sgdemo_ioctl.h   the ioctls (sgdemo_ioctl.c, and SUBMIT in sgdemo_submit.c)
 *
 * sgdemo_debugfs.c keeps the counters and sgdemo_timeline.c a test
 * timeline, both in debugfs; sgdemo_compat.h holds every difference between
 * the kernels sgdemo builds on.
 */
#ifndef _SGDEMO_H_
#define _SGDEMO_H_

#include <linux/fault-inject.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include <drm/drm_device.h>
#include <drm/drm_gem_shmem_helper.h>

#include "sgdemo_dma.h"
#include "sgdemo_engine.h"

struct dentry;
struct sgdemo_edu;
struct vfsmount;

#define DRIVER_NAME	"sgdemo"
#define DRIVER_DESC	"Virtual GEM device: who owns a scatter-gather table"
#define DRIVER_MAJOR	1
#define DRIVER_MINOR	0

/**
 * struct sgdemo_device - the sgdemo DRM device
 * @drm: the DRM device, allocated with devm_drm_dev_alloc() on the platform
 *	 device "sgdemo" or on a PCI device sgdemo binds to
 * @dma: what is DMA-mapped for the device, and its budget
 * @engine: the copy engine; sgdemo_engine_init() and sgdemo_engine_fini()
 *	    set it up and tear it down
 * @edu: the edu PCI device whose DMA engine the device has; NULL for the
 *	 platform device. Freed with the PCI device: use it only inside
 *	 drm_dev_enter()
 * @hugefs: sgdemo's own tmpfs for the device's objects, where the DRM core
 *	    cannot mount one (sgdemo_hugefs.c); NULL elsewhere
 */
struct sgdemo_device {
	struct drm_device drm;
	struct sgdemo_dma dma;
	struct sgdemo_engine engine;
	struct sgdemo_edu *edu;
	struct vfsmount *hugefs;
};

static inline struct sgdemo_device *to_sgdemo_device(struct drm_device *drm)
{
	return container_of(drm, struct sgdemo_device, drm);
}

/**
 * struct sgdemo_object - an sgdemo GEM object
 * @base: the shmem helpers' object; must stay first (the helpers kfree it)
 * @borrow_lock: serialises the first borrow of the table
 * @borrowed: the object's table was borrowed: it is cached, DMA-mapped and
 *	      pinned until the object is freed (the mapping until unplug)
 * @borrowed_map: the borrowed table and its mapping, once @borrowed
 * @dma_maps: live DMA mappings of the object's pages, for any device
 *	      (sgdemo_dma_charge())
 * @import_link: entry in &sgdemo_dma.imports while an import's attachment
 *		 is mapped for the device; empty otherwise
 * @map_lock: protects @mappings; taken inside the reservation lock, never
 *	      around it
 * @mappings: live mappings of attachments to the object's dma-buf
 * @shared_lock: protects @shared and @shared_gen
 * @shared: the owned table the copy engine's jobs share, while it has
 *	    users or its teardown is under way; not a reference
 * @shared_gen: counts the shared tables whose teardown ended, for a caller
 *		that waits for one
 */
struct sgdemo_object {
	struct drm_gem_shmem_object base;
	struct mutex borrow_lock; /* serialises setting borrowed */
	bool borrowed;
	struct sgdemo_dma_map borrowed_map;
	atomic_t dma_maps;
	struct list_head import_link;
	struct mutex map_lock; /* protects mappings */
	struct list_head mappings;
	struct mutex shared_lock; /* protects shared, shared_gen */
	struct sgdemo_sgt *shared;
	unsigned int shared_gen;
};

static inline struct sgdemo_object *to_sgdemo_object(struct drm_gem_object *obj)
{
	return container_of(obj, struct sgdemo_object, base.base);
}

/**
 * struct sgdemo_file - per-file state
 * @owned: the file's owned tables (&struct sgdemo_sgt), by id
 * @queue: the file's queue on the copy engine
 */
struct sgdemo_file {
	struct xarray owned;
	struct sgdemo_queue queue;
};

/**
 * enum sgdemo_counter - what /sys/kernel/debug/sgdemo/counters counts
 * @SGDEMO_OBJECTS: GEM objects alive, native and imported
 * @SGDEMO_PAGES_PINNED: pages pinned, counted once per pin of an object
 * @SGDEMO_OWNED_TABLES: owned tables alive
 * @SGDEMO_BORROWED_TABLES: objects whose borrowed table is cached
 * @SGDEMO_ATTACHMENTS: attachments of importers to our dma-bufs
 * @SGDEMO_JOBS: copy engine jobs, from submission until freed
 * @SGDEMO_DMA_MAPPED_PAGES: pages charged on the devices' DMA budgets
 * @SGDEMO_DMA_FAULTS: device-mode jobs that met a DMA address reaching no
 *		       memory; never goes down
 * @SGDEMO_NR_COUNTERS: number of counters
 *
 * The counters belong to the module, not to a device: they outlive an unbind
 * so a test can check that everything was freed after it.
 */
enum sgdemo_counter {
	SGDEMO_OBJECTS,
	SGDEMO_PAGES_PINNED,
	SGDEMO_OWNED_TABLES,
	SGDEMO_BORROWED_TABLES,
	SGDEMO_ATTACHMENTS,
	SGDEMO_JOBS,
	SGDEMO_DMA_MAPPED_PAGES,
	SGDEMO_DMA_FAULTS,
	SGDEMO_NR_COUNTERS
};

void sgdemo_count(enum sgdemo_counter counter, long delta);
long sgdemo_counter_read(enum sgdemo_counter counter);
void sgdemo_debugfs_init(void);
void sgdemo_debugfs_fini(void);
struct dentry *sgdemo_debugfs_dir(void);
void sgdemo_timeline_debugfs_init(struct dentry *root);

#ifdef CONFIG_FAULT_INJECTION
extern struct fault_attr sgdemo_fail_alloc;

/*
 * Fault injection: true where an allocation of the driver's should fail, as
 * /sys/kernel/debug/sgdemo/fail_alloc/ or the KUnit suite ask. Every point
 * where the driver acquires memory, pins or maps asks this first.
 */
static inline bool sgdemo_inject_fault(void)
{
	return should_fail(&sgdemo_fail_alloc, 1);
}
#else
static inline bool sgdemo_inject_fault(void)
{
	return false;
}
#endif

#endif /* _SGDEMO_H_ */
