/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Declarations shared by the files of the sgdemo driver. Each file has one
 * job: sgdemo_drv.c registers the device and the DRM driver, sgdemo_gem.c
 * makes the shmem-backed GEM objects, sgdemo_prime.c shares them through
 * dma-buf, sgdemo_sgt.c hands out their
 * scatter-gather tables (the rules are in sgdemo_sgt.h), sgdemo_engine.c
 * runs fill and copy jobs on the virtual copy engine (sgdemo_engine.h),
 * sgdemo_ioctl.c validates and runs the other ioctls, sgdemo_debugfs.c keeps
 * the counters the tests read.
 */
#ifndef _SGDEMO_DRV_H_
#define _SGDEMO_DRV_H_

#include <linux/fault-inject.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <drm/drm_device.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/gpu_scheduler.h>

struct dma_buf;
struct dma_buf_attachment;
struct drm_file;
struct drm_gem_object;
struct drm_gem_shmem_object;
struct drm_mode_create_dumb;
struct sg_table;
struct sgdemo_sgt;

#define DRIVER_NAME	"sgdemo"
#define DRIVER_DESC	"Virtual GEM device: who owns a scatter-gather table"
#define DRIVER_MAJOR	1
#define DRIVER_MINOR	0

/**
 * struct sgdemo_device - the sgdemo DRM device
 * @drm: the DRM device, allocated with devm_drm_dev_alloc() on the platform
 *	 device "sgdemo"
 * @owned_lock: protects @owned and the mapped state of its tables
 * @owned: owned tables whose DMA mapping for this device is alive
 * @sched: the copy engine's scheduler
 * @sched_list: the schedulers an entity may use: @sched
 * @engine_up: @sched runs; cleared, under @entities_lock, when it stops
 * @entities_lock: protects @entities and @engine_up
 * @entities: files (&struct sgdemo_file) with a live scheduler entity
 * @jobs_lock: protects @jobs and @entities_closing
 * @jobs: the engine's jobs, from submission until freed
 * @entities_closing: files tearing down their entity outside @entities_lock
 * @jobs_idle: woken when @jobs becomes empty or a file's entity is gone
 * @free_wq: where jobs are freed, off the scheduler's queue
 */
struct sgdemo_device {
	struct drm_device drm;
	struct mutex owned_lock; /* protects owned and their mapped state */
	struct list_head owned;
	struct drm_gpu_scheduler sched;
	struct drm_gpu_scheduler *sched_list[1];
	bool engine_up;
	struct mutex entities_lock; /* protects entities and engine_up */
	struct list_head entities;
	spinlock_t jobs_lock; /* protects jobs and entities_closing */
	struct list_head jobs;
	unsigned int entities_closing;
	wait_queue_head_t jobs_idle;
	struct workqueue_struct *free_wq;
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
 *	      pinned until the object is freed
 * @map_lock: protects @mappings; taken inside the reservation lock, never
 *	      around it
 * @mappings: live mappings of attachments to the object's dma-buf
 * @shared_lock: protects @shared
 * @shared: the owned table the copy engine's jobs share, while it has
 *	    users; not a reference
 */
struct sgdemo_object {
	struct drm_gem_shmem_object base;
	struct mutex borrow_lock; /* serialises setting borrowed */
	bool borrowed;
	struct mutex map_lock; /* protects mappings */
	struct list_head mappings;
	struct mutex shared_lock; /* protects shared */
	struct sgdemo_sgt *shared;
};

static inline struct sgdemo_object *to_sgdemo_object(struct drm_gem_object *obj)
{
	return container_of(obj, struct sgdemo_object, base.base);
}

/**
 * struct sgdemo_file - per-file state
 * @owned: the file's owned tables (&struct sgdemo_sgt), by id
 * @entity: the file's queue of jobs on the copy engine, while @entity_up
 * @entity_up: @entity is initialised; under &sgdemo_device.entities_lock
 * @link: entry in &sgdemo_device.entities while @entity_up
 * @submit_lock: makes arming and pushing a job one step for the file
 */
struct sgdemo_file {
	struct xarray owned;
	struct mutex submit_lock; /* held from arming a job to pushing it */
	struct drm_sched_entity entity;
	bool entity_up;
	struct list_head link;
};

/**
 * enum sgdemo_counter - what /sys/kernel/debug/sgdemo/counters counts
 * @SGDEMO_OBJECTS: GEM objects alive, native and imported
 * @SGDEMO_PAGES_PINNED: pages pinned, counted once per pin of an object
 * @SGDEMO_OWNED_TABLES: owned tables alive
 * @SGDEMO_BORROWED_TABLES: objects whose borrowed table is cached
 * @SGDEMO_ATTACHMENTS: attachments of importers to our dma-bufs
 * @SGDEMO_JOBS: copy engine jobs, from submission until freed
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
	SGDEMO_NR_COUNTERS
};

void sgdemo_count(enum sgdemo_counter counter, long delta);
long sgdemo_counter_read(enum sgdemo_counter counter);
void sgdemo_device_init(struct sgdemo_device *sdev);
extern const struct drm_driver sgdemo_driver;
void sgdemo_debugfs_init(void);
void sgdemo_debugfs_fini(void);

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

struct drm_gem_object *sgdemo_gem_create_object(struct drm_device *dev, size_t size);
struct drm_gem_shmem_object *sgdemo_gem_create(struct drm_device *dev, size_t size);
int sgdemo_gem_pin_pages(struct drm_gem_object *obj);
void sgdemo_gem_unpin_pages(struct drm_gem_object *obj);
int sgdemo_gem_create_with_handle(struct drm_file *file, struct drm_device *dev,
				  u64 *size, u32 *handle);
int sgdemo_gem_dumb_create(struct drm_file *file, struct drm_device *dev,
			   struct drm_mode_create_dumb *args);
struct drm_gem_object *
sgdemo_gem_prime_import_sg_table(struct drm_device *dev,
				 struct dma_buf_attachment *attach,
				 struct sg_table *sgt);

struct dma_buf *sgdemo_gem_prime_export(struct drm_gem_object *obj, int flags);
struct drm_gem_object *sgdemo_gem_prime_import(struct drm_device *dev, struct dma_buf *dmabuf);

int sgdemo_ioctl_create(struct drm_device *dev, void *data, struct drm_file *file);
int sgdemo_ioctl_mmap_offset(struct drm_device *dev, void *data, struct drm_file *file);
int sgdemo_ioctl_sgt_info(struct drm_device *dev, void *data, struct drm_file *file);
int sgdemo_ioctl_sgt_acquire(struct drm_device *dev, void *data, struct drm_file *file);
int sgdemo_ioctl_sgt_release(struct drm_device *dev, void *data, struct drm_file *file);
int sgdemo_ioctl_sgt_read(struct drm_device *dev, void *data, struct drm_file *file);
int sgdemo_ioctl_submit(struct drm_device *dev, void *data, struct drm_file *file);

#endif /* _SGDEMO_DRV_H_ */
