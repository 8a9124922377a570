// SPDX-License-Identifier: GPL-2.0
/*
 * The virtual copy engine: its jobs, the scheduler that runs them and the
 * files' queues. The rules its jobs follow are stated once, in
 * sgdemo_engine.h; this file implements them. Why the DRM GPU scheduler
 * and not a workqueue: docs/engine.md. What differs between kernels, two
 * signatures, lives in sgdemo_compat.h.
 */

#include <linux/dma-fence.h>
#include <linux/err.h>
#include <linux/sched.h>
#include <linux/signal.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/gpu_scheduler.h>

#include "drm_sgdemo.h"
#include "sgdemo.h"
#include "sgdemo_compat.h"
#include "sgdemo_engine.h"
#include "sgdemo_fence.h"
#include "sgdemo_xfer.h"

/* Jobs the engine runs at once; they run one after another anyway. */
#define SGDEMO_ENGINE_CREDITS	16

/*
 * struct sgdemo_job - a fill or copy job
 * @base: the scheduler's job; its finished fence is the job's fence
 * @engine: the engine
 * @link: entry in &sgdemo_engine.jobs, from creation until freed
 * @op: SGDEMO_OP_FILL, SGDEMO_OP_COPY or SGDEMO_OP_DEVICE_COPY
 * @fill: the byte a fill writes
 * @size: bytes written
 * @dst: the object written
 * @src: the object read, for a copy
 * @wait: the dependencies; NULL when there were none, or once the job is
 *	  being freed (under &sgdemo_engine.jobs_lock)
 * @free_work: frees the job, off the scheduler's queue
 */
struct sgdemo_job {
	struct drm_sched_job base;
	struct sgdemo_engine *engine;
	struct list_head link;
	u32 op;
	u8 fill;
	u64 size;
	struct sgdemo_xfer_buf dst;
	struct sgdemo_xfer_buf src;
	struct sgdemo_wait *wait;
	struct work_struct free_work;
};

static struct sgdemo_job *to_sgdemo_job(struct drm_sched_job *sched_job)
{
	return container_of(sched_job, struct sgdemo_job, base);
}

/* In the fence signalling path: lockdep checks it neither allocates nor waits. */
static struct dma_fence *sgdemo_job_run(struct drm_sched_job *sched_job)
{
	struct sgdemo_job *job = to_sgdemo_job(sched_job);
	bool cookie;
	int idx, ret;

	/* A job whose dependencies failed or timed out does not run. */
	if (job->wait && sgdemo_wait_fence(job->wait)->error)
		return ERR_PTR(sgdemo_wait_fence(job->wait)->error);
	if (!drm_dev_enter(job->engine->drm, &idx))
		return ERR_PTR(-ENODEV);
	cookie = dma_fence_begin_signalling();
	ret = sgdemo_xfer_run(job->op, to_sgdemo_device(job->engine->drm)->edu, &job->dst,
			      &job->src, job->fill, job->size);
	dma_fence_end_signalling(cookie);
	drm_dev_exit(idx);
	/* Done already: no hardware fence to wait for; an error fails the job. */
	return ret ? ERR_PTR(ret) : NULL;
}

/*
 * Frees what a job holds, in reverse order of its making. Unlinking it is
 * the last thing it does with the engine: sgdemo_engine_fini() waits for
 * that, then for this function to return (it drains free_wq).
 */
static void sgdemo_job_release(struct sgdemo_job *job)
{
	struct sgdemo_engine *engine = job->engine;
	struct sgdemo_wait *wait;
	bool idle;

	/* Out of reach of sgdemo_engine_fini() before it is freed. */
	spin_lock(&engine->jobs_lock);
	wait = job->wait;
	job->wait = NULL;
	spin_unlock(&engine->jobs_lock);
	if (wait)
		sgdemo_wait_destroy(wait);
	sgdemo_xfer_buf_put(&job->src);
	sgdemo_xfer_buf_put(&job->dst);

	spin_lock(&engine->jobs_lock);
	list_del(&job->link);
	idle = list_empty(&engine->jobs);
	spin_unlock(&engine->jobs_lock);
	sgdemo_count(SGDEMO_JOBS, -1);
	kfree(job);
	if (idle)
		wake_up_all(&engine->idle);
}

static void sgdemo_job_free_work(struct work_struct *work)
{
	sgdemo_job_release(container_of(work, struct sgdemo_job, free_work));
}

/*
 * Called on the scheduler's ordered queue, which also runs jobs: what a job
 * holds is let go elsewhere, because unmapping an import, unpinning and
 * freeing objects take reservation locks, and whoever holds one of those
 * may be waiting for the next job's fence.
 */
static void sgdemo_job_free(struct drm_sched_job *sched_job)
{
	struct sgdemo_job *job = to_sgdemo_job(sched_job);

	drm_sched_job_cleanup(sched_job);
	INIT_WORK(&job->free_work, sgdemo_job_free_work);
	queue_work(job->engine->free_wq, &job->free_work);
}

/*
 * No timedout_job: a job runs to its end inside run_job and returns no
 * hardware fence, so the scheduler has no timeout to arm. The time a job may
 * wait for its dependencies is bounded by its &struct sgdemo_wait instead.
 */
static const struct drm_sched_backend_ops sgdemo_sched_ops = {
	.run_job	= sgdemo_job_run,
	.free_job	= sgdemo_job_free,
};

/**
 * sgdemo_job_create - make a job on a file's queue
 * @engine: the engine
 * @queue: the file's queue
 * @file: the DRM file the job comes from
 * @op: SGDEMO_OP_FILL, SGDEMO_OP_COPY or SGDEMO_OP_DEVICE_COPY
 * @fill: the byte a fill writes
 * @size: how many bytes the job writes
 *
 * Returns: the job, to be armed and pushed or ended with sgdemo_job_abort();
 * ERR_PTR(-ENODEV) when the queue is gone, -ENOMEM, or the scheduler's error.
 */
struct sgdemo_job *sgdemo_job_create(struct sgdemo_engine *engine, struct sgdemo_queue *queue,
				     struct drm_file *file, u32 op, u8 fill, u64 size)
{
	struct sgdemo_job *job;
	int ret;

	if (!queue->up)
		return ERR_PTR(-ENODEV);
	job = sgdemo_inject_fault() ? NULL : kzalloc_obj(*job, GFP_KERNEL_ACCOUNT);
	if (!job)
		return ERR_PTR(-ENOMEM);
	job->engine = engine;
	job->op = op;
	job->fill = fill;
	job->size = size;
	spin_lock(&engine->jobs_lock);
	list_add_tail(&job->link, &engine->jobs);
	spin_unlock(&engine->jobs_lock);
	sgdemo_count(SGDEMO_JOBS, 1);

	ret = sgdemo_sched_job_init(&job->base, &queue->entity, file);
	if (ret) {
		/* Nothing of the scheduler's to clean up. */
		sgdemo_job_release(job);
		return ERR_PTR(ret);
	}
	return job;
}

/**
 * sgdemo_job_add_object - an object the job touches
 * @job: the job, not armed
 * @obj: the object; the caller's reference is not taken over
 * @offset: the first byte touched
 *
 * The first object added is the one written; a copy's second, the one read.
 *
 * Returns: 0, or an error as sgdemo_xfer_buf_get().
 */
int sgdemo_job_add_object(struct sgdemo_job *job, struct drm_gem_object *obj, u64 offset)
{
	return sgdemo_xfer_buf_get(job->dst.owned ? &job->src : &job->dst, obj, offset);
}

/**
 * sgdemo_job_add_deps - the fences a job waits for
 * @job: the job, not armed
 * @fences: the dependencies; their references are taken over, even on
 *	    error, the array is not
 * @count: entries of @fences
 * @timeout: how long the job may wait for them, in jiffies
 *
 * Returns: 0, or -ENOMEM.
 */
int sgdemo_job_add_deps(struct sgdemo_job *job, struct dma_fence **fences,
			unsigned int count, unsigned long timeout)
{
	struct sgdemo_wait *wait;

	wait = sgdemo_wait_create(fences, count, timeout, job->engine->timeout_wq);
	if (IS_ERR_OR_NULL(wait))
		return PTR_ERR_OR_ZERO(wait);
	job->wait = wait;
	return drm_sched_job_add_dependency(&job->base, dma_fence_get(sgdemo_wait_fence(wait)));
}

/**
 * sgdemo_job_arm - give a job its fence
 * @job: the job, complete
 *
 * sgdemo_job_push() must follow, with nothing between them that can fail or
 * allocate memory: the fence is already on the queue's timeline.
 *
 * Returns: the job's fence, with a reference for the caller.
 */
struct dma_fence *sgdemo_job_arm(struct sgdemo_job *job)
{
	drm_sched_job_arm(&job->base);
	return dma_fence_get(&job->base.s_fence->finished);
}

/**
 * sgdemo_job_push - queue an armed job, which the scheduler owns from now on
 * @job: the job
 */
void sgdemo_job_push(struct sgdemo_job *job)
{
	drm_sched_entity_push_job(&job->base);
}

/**
 * sgdemo_job_abort - end a job that was never armed
 * @job: the job
 */
void sgdemo_job_abort(struct sgdemo_job *job)
{
	drm_sched_job_cleanup(&job->base);
	sgdemo_job_release(job);
}

/**
 * sgdemo_engine_init - start a device's copy engine
 * @engine: the engine, embedded in the device being probed
 * @drm: the device
 *
 * Returns: 0, -ENOMEM, or the scheduler's error.
 */
int sgdemo_engine_init(struct sgdemo_engine *engine, struct drm_device *drm)
{
	const struct drm_sched_init_args args = {
		.ops		= &sgdemo_sched_ops,
		SGDEMO_SCHED_INIT_ARGS_RQS
		.credit_limit	= SGDEMO_ENGINE_CREDITS,
		.timeout	= MAX_SCHEDULE_TIMEOUT,
		.name		= "sgdemo-copy",
		.dev		= drm->dev,
	};
	int ret;

	engine->drm = drm;
	mutex_init(&engine->queues_lock);
	INIT_LIST_HEAD(&engine->queues);
	spin_lock_init(&engine->jobs_lock);
	INIT_LIST_HEAD(&engine->jobs);
	init_waitqueue_head(&engine->idle);
	ret = -ENOMEM;
	engine->free_wq = alloc_workqueue("sgdemo-free", WQ_UNBOUND, 0);
	if (!engine->free_wq)
		goto err_mutex;
	engine->timeout_wq = alloc_workqueue("sgdemo-timeout", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!engine->timeout_wq)
		goto err_free_wq;
	ret = drm_sched_init(&engine->sched, &args);
	if (ret)
		goto err_timeout_wq;
	engine->sched_list[0] = &engine->sched;
	engine->up = true;
	return 0;

err_timeout_wq:
	destroy_workqueue(engine->timeout_wq);
err_free_wq:
	destroy_workqueue(engine->free_wq);
err_mutex:
	mutex_destroy(&engine->queues_lock);
	return ret;
}

/* No job is left, and no queue is being torn down. */
static bool sgdemo_engine_idle(struct sgdemo_engine *engine)
{
	bool idle;

	spin_lock(&engine->jobs_lock);
	idle = list_empty(&engine->jobs) && !engine->queues_closing;
	spin_unlock(&engine->jobs_lock);
	return idle;
}

/*
 * How long closing a file waits for its queued jobs to start.
 * drm_sched_entity_flush() applies it only to a process that is exiting;
 * otherwise it waits, killably, until the queue is empty. Either way the
 * wait is bounded by the jobs' own timeouts, at most 60 s: a job whose
 * dependencies time out starts, and fails. A process killed by SIGKILL
 * does not wait: the scheduler cancels its queued jobs.
 */
static long sgdemo_entity_flush_timeout(void)
{
	if ((current->flags & PF_EXITING) && current->exit_code == SIGKILL)
		return 0;
	return msecs_to_jiffies(SGDEMO_SUBMIT_MAX_TIMEOUT_MS);
}

/* Ends a queue's entity: its queued jobs start, or are cancelled. */
static void sgdemo_queue_end(struct sgdemo_queue *queue)
{
	drm_sched_entity_flush(&queue->entity, sgdemo_entity_flush_timeout());
	drm_sched_entity_fini(&queue->entity);
}

/**
 * sgdemo_engine_fini - stop a device's copy engine
 * @engine: the engine of an unplugged device: no job can be made any more
 *
 * Jobs waiting for dependencies fail with -ENODEV, every queue's entity is
 * destroyed, and the scheduler stops once the last job is freed and no file
 * is still closing its queue. Files opened before stay valid: their queues
 * are down.
 */
void sgdemo_engine_fini(struct sgdemo_engine *engine)
{
	struct sgdemo_queue *queue, *next;
	struct sgdemo_job *job;

	if (!engine->up)
		return;

	spin_lock(&engine->jobs_lock);
	list_for_each_entry(job, &engine->jobs, link)
		if (job->wait)
			sgdemo_wait_complete(job->wait, -ENODEV);
	spin_unlock(&engine->jobs_lock);

	mutex_lock(&engine->queues_lock);
	engine->up = false;
	list_for_each_entry_safe(queue, next, &engine->queues, link) {
		sgdemo_queue_end(queue);
		list_del_init(&queue->link);
		queue->up = false;
	}
	mutex_unlock(&engine->queues_lock);

	wait_event(engine->idle, sgdemo_engine_idle(engine));
	drm_sched_fini(&engine->sched);
	/* The last release may still be returning. */
	destroy_workqueue(engine->free_wq);
	destroy_workqueue(engine->timeout_wq);
}

/**
 * sgdemo_engine_open - give a new file its queue on the engine
 * @engine: the engine, initialised with sgdemo_engine_init()
 * @queue: the file's queue
 *
 * A stopped engine gives a queue that is down: the file's submissions fail
 * with -ENODEV.
 *
 * Returns: 0, or the scheduler's error.
 */
int sgdemo_engine_open(struct sgdemo_engine *engine, struct sgdemo_queue *queue)
{
	int ret = 0;

	INIT_LIST_HEAD(&queue->link);
	mutex_init(&queue->submit_lock);
	mutex_lock(&engine->queues_lock);
	if (engine->up) {
		ret = drm_sched_entity_init(&queue->entity, DRM_SCHED_PRIORITY_NORMAL,
					    engine->sched_list, 1, NULL);
		if (!ret) {
			queue->up = true;
			list_add_tail(&queue->link, &engine->queues);
		}
	}
	mutex_unlock(&engine->queues_lock);
	if (ret)
		mutex_destroy(&queue->submit_lock);
	return ret;
}

/**
 * sgdemo_engine_close - end a file's queue on the engine
 * @engine: the engine
 * @queue: the file's queue
 *
 * Waits until the queue's jobs have started (their timeouts bound the wait),
 * or for a process killed by SIGKILL cancels them; jobs that started
 * complete on their own.
 */
void sgdemo_engine_close(struct sgdemo_engine *engine, struct sgdemo_queue *queue)
{
	bool up;

	mutex_lock(&engine->queues_lock);
	up = queue->up;
	if (up) {
		list_del_init(&queue->link);
		queue->up = false;
		spin_lock(&engine->jobs_lock);
		engine->queues_closing++;
		spin_unlock(&engine->jobs_lock);
	}
	mutex_unlock(&engine->queues_lock);

	/*
	 * Outside the lock, so that one file's wait does not hold up another's
	 * close; sgdemo_engine_fini() waits for queues_closing to drop to zero
	 * before it stops the scheduler.
	 */
	if (up) {
		sgdemo_queue_end(queue);
		spin_lock(&engine->jobs_lock);
		engine->queues_closing--;
		spin_unlock(&engine->jobs_lock);
		wake_up_all(&engine->idle);
	}
	mutex_destroy(&queue->submit_lock);
}
