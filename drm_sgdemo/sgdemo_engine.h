/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sgdemo's virtual copy engine (sgdemo_engine.c): fill and copy jobs, run by
 * the DRM GPU scheduler, that hold owned tables of their objects until they
 * are freed. DRM_IOCTL_SGDEMO_SUBMIT (sgdemo_submit.c) makes them.
 */
#ifndef _SGDEMO_ENGINE_H_
#define _SGDEMO_ENGINE_H_

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

#include <drm/gpu_scheduler.h>

struct dma_fence;
struct drm_device;
struct drm_file;
struct drm_gem_object;
struct sgdemo_job;
struct workqueue_struct;

/**
 * DOC: the copy engine
 *
 * A job is a fill or a copy between byte ranges of sgdemo objects, native or
 * imported. DRM_IOCTL_SGDEMO_SUBMIT makes one and pushes it to the file's
 * queue (a scheduler entity), under the queue's submit lock so that jobs are
 * queued in the order of their fences; the device's one scheduler runs the
 * queues' jobs on the CPU, which stands in for the engine.
 *
 * What a job holds, from submission until the scheduler frees it:
 *
 * - a reference on the shared owned table (&struct sgdemo_sgt) of each of
 *   its objects, and through it on the object and a pin of its pages (jobs
 *   on one object share one table, one DMA mapping); so a job completes
 *   after userspace has closed every handle, mapping and dma-buf of its
 *   objects.
 *   It reads and writes a native object's pages through that table. An
 *   imported object's pages are the exporter's: the job maps the dma-buf for
 *   the CPU (dma_buf_vmap) at submission, outside the fence signalling
 *   path, and unmaps it when freed. It does not bracket the job with
 *   dma_buf_begin_cpu_access(), which would block the submitter on the
 *   fences the job already waits for; the engine stands in for a
 *   cache-coherent device;
 * - one dependency fence (sgdemo_fence.h) of all its in-fences and implicit
 *   fences, bounded by the job's timeout and failed with -ENODEV when the
 *   device goes.
 *
 * Its fence, the scheduler's finished fence, is in its objects' reservation
 * objects (destination as writer, source as reader) before the ioctl
 * returns, and optionally in a syncobj and a sync_file.
 *
 * A job is made in steps, each of which may fail until it is armed:
 * sgdemo_job_create(), sgdemo_job_add_object() for the destination and, for
 * a copy, the source, sgdemo_job_add_deps(); sgdemo_job_abort() undoes them. sgdemo_job_arm()
 * gives the job its fence, and sgdemo_job_push() must follow with nothing
 * in between that can fail or allocate.
 *
 * Teardown: closing a file flushes its queue, waiting until its queued
 * jobs have started (their timeouts bound that wait; a process killed by
 * SIGKILL does not wait, and the scheduler cancels its queued jobs).
 * Unplugging the device fails every job still waiting for dependencies with
 * -ENODEV, lets running jobs end, destroys every queue, waits until the
 * last job is freed and only then stops the scheduler: no job is left
 * pending, and nothing it holds leaks.
 *
 * Jobs are freed on a workqueue of the engine's own, not on the scheduler's
 * ordered queue: letting go of what a job holds takes reservation locks,
 * and a holder of one may be waiting for the next job's fence.
 */

/**
 * struct sgdemo_engine - a device's copy engine
 * @drm: the device it belongs to
 * @sched: the scheduler that runs the jobs
 * @sched_list: the schedulers a queue may use: @sched
 * @up: @sched runs; cleared, under @queues_lock, when it stops
 * @queues_lock: protects @queues and @up
 * @queues: files' queues (&struct sgdemo_queue) with a live entity
 * @jobs_lock: protects @jobs and @queues_closing
 * @jobs: the engine's jobs, from creation until freed
 * @queues_closing: queues being torn down outside @queues_lock
 * @idle: woken when @jobs becomes empty or a queue is gone
 * @free_wq: where jobs are freed, off the scheduler's queue
 * @timeout_wq: where the jobs' dependency timeouts run; it has a rescuer,
 *		since a timeout may be what signals a job's fence
 */
struct sgdemo_engine {
	struct drm_device *drm;
	struct drm_gpu_scheduler sched;
	struct drm_gpu_scheduler *sched_list[1];
	bool up;
	struct mutex queues_lock; /* protects queues and up */
	struct list_head queues;
	spinlock_t jobs_lock; /* protects jobs and queues_closing */
	struct list_head jobs;
	unsigned int queues_closing;
	wait_queue_head_t idle;
	struct workqueue_struct *free_wq;
	struct workqueue_struct *timeout_wq;
};

/**
 * struct sgdemo_queue - a file's queue of jobs on the engine
 * @entity: the scheduler entity, while @up
 * @up: @entity is initialised; under &sgdemo_engine.queues_lock
 * @link: entry in &sgdemo_engine.queues while @up
 * @submit_lock: makes arming and pushing a job one step for the queue
 */
struct sgdemo_queue {
	struct drm_sched_entity entity;
	bool up;
	struct list_head link;
	struct mutex submit_lock; /* held from arming a job to pushing it */
};

int sgdemo_engine_init(struct sgdemo_engine *engine, struct drm_device *drm);
void sgdemo_engine_fini(struct sgdemo_engine *engine);
int sgdemo_engine_open(struct sgdemo_engine *engine, struct sgdemo_queue *queue);
void sgdemo_engine_close(struct sgdemo_engine *engine, struct sgdemo_queue *queue);

struct sgdemo_job *sgdemo_job_create(struct sgdemo_engine *engine, struct sgdemo_queue *queue,
				     struct drm_file *file, u32 op, u8 fill, u64 size);
int sgdemo_job_add_object(struct sgdemo_job *job, struct drm_gem_object *obj, u64 offset);
int sgdemo_job_add_deps(struct sgdemo_job *job, struct dma_fence **fences,
			unsigned int count, unsigned long timeout);
struct dma_fence *sgdemo_job_arm(struct sgdemo_job *job);
void sgdemo_job_push(struct sgdemo_job *job);
void sgdemo_job_abort(struct sgdemo_job *job);

#endif /* _SGDEMO_ENGINE_H_ */
