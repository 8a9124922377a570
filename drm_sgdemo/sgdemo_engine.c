// SPDX-License-Identifier: GPL-2.0
/*
 * The virtual copy engine. The rules its jobs follow are stated once, in
 * sgdemo_engine.h; this file implements them.
 *
 * Why the DRM GPU scheduler rather than a workqueue: it gives each file an
 * in-order queue (an entity) that waits for dependencies without blocking a
 * thread, a finished fence per job that is safe to hand to other drivers,
 * and the killing of a closed file's queued jobs; every kernel of the matrix
 * has it with the same shape. What differs, two signatures, lives in
 * sgdemo_compat.h. A workqueue would have needed all of that written here.
 */

#include <linux/dma-buf.h>
#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/file.h>
#include <linux/highmem.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/signal.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sync_file.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_syncobj.h>
#include <drm/gpu_scheduler.h>

#include "drm_sgdemo.h"
#include "sgdemo_compat.h"
#include "sgdemo_drv.h"
#include "sgdemo_engine.h"
#include "sgdemo_sgt.h"

/* Jobs the engine runs at once; they run one after another anyway. */
#define SGDEMO_ENGINE_CREDITS	16

/*
 * struct sgdemo_wait - a job's dependencies, as one fence
 * @base: signals once every fence of @deps has, with the first error any of
 *	  them had; or with -ETIMEDOUT from @timeout; or -ENODEV at unplug
 * @lock: the lock of @base
 * @pending: dependencies not yet signalled, plus one while arming
 * @error: the first error a dependency signalled with, or 0
 * @timeout: signals @base with -ETIMEDOUT when the job waited too long
 * @count: entries of @deps
 * @deps: a callback on each dependency fence, with a reference on it
 */
struct sgdemo_wait {
	struct dma_fence base;
	spinlock_t lock; /* the fence lock of base */
	atomic_t pending;
	atomic_t error;
	struct delayed_work timeout;
	unsigned int count;
	struct sgdemo_wait_dep {
		struct dma_fence_cb cb;
		struct dma_fence *fence;
		struct sgdemo_wait *wait;
	} deps[];
};

/*
 * struct sgdemo_job_buf - an object as a job sees it
 * @owned: the job's owned table of the object
 * @dmabuf: an imported object's dma-buf, mapped for the CPU at @map; or NULL
 * @map: the CPU mapping of @dmabuf
 * @offset: the first byte the job touches
 */
struct sgdemo_job_buf {
	struct sgdemo_sgt *owned;
	struct dma_buf *dmabuf;
	struct iosys_map map;
	u64 offset;
};

/*
 * struct sgdemo_job - a fill or copy job
 * @base: the scheduler's job; its finished fence is the job's fence
 * @sdev: the device
 * @link: entry in &sgdemo_device.jobs, from submission until freed
 * @op: SGDEMO_OP_FILL or SGDEMO_OP_COPY
 * @fill: the byte a fill writes
 * @size: bytes written
 * @dst: the object written
 * @src: the object read, for a copy
 * @wait: the dependencies; NULL when there were none, or once the job is
 *	  being freed (under &sgdemo_device.jobs_lock)
 * @free_work: frees the job, off the scheduler's queue
 */
struct sgdemo_job {
	struct drm_sched_job base;
	struct sgdemo_device *sdev;
	struct list_head link;
	u32 op;
	u8 fill;
	u64 size;
	struct sgdemo_job_buf dst;
	struct sgdemo_job_buf src;
	struct sgdemo_wait *wait;
	struct work_struct free_work;
};

static struct sgdemo_job *to_sgdemo_job(struct drm_sched_job *sched_job)
{
	return container_of(sched_job, struct sgdemo_job, base);
}

static const char *sgdemo_wait_driver_name(struct dma_fence *fence)
{
	return DRIVER_NAME;
}

static const char *sgdemo_wait_timeline_name(struct dma_fence *fence)
{
	return "sgdemo-dependencies";
}

static const struct dma_fence_ops sgdemo_wait_ops = {
	.get_driver_name	= sgdemo_wait_driver_name,
	.get_timeline_name	= sgdemo_wait_timeline_name,
};

/**
 * sgdemo_wait_complete - signal a job's dependency fence early
 * @wait: the dependencies
 * @error: the error to signal with, or 0
 *
 * Does nothing when the fence has signalled already.
 */
void sgdemo_wait_complete(struct sgdemo_wait *wait, int error)
{
	unsigned long flags;

	spin_lock_irqsave(&wait->lock, flags);
	if (!test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &wait->base.flags)) {
		if (error)
			dma_fence_set_error(&wait->base, error);
		dma_fence_signal_locked(&wait->base);
	}
	spin_unlock_irqrestore(&wait->lock, flags);
}

/*
 * A dependency signalled. An error is remembered, not acted on at once: the
 * job's fence must not signal while another dependency, say a writer of the
 * same buffer, is still at work.
 */
static void sgdemo_wait_dep_done(struct sgdemo_wait *wait, int error)
{
	if (error)
		atomic_cmpxchg(&wait->error, 0, error);
	if (atomic_dec_and_test(&wait->pending))
		sgdemo_wait_complete(wait, atomic_read(&wait->error));
}

static void sgdemo_wait_dep_cb(struct dma_fence *fence, struct dma_fence_cb *cb)
{
	struct sgdemo_wait_dep *dep = container_of(cb, struct sgdemo_wait_dep, cb);

	sgdemo_wait_dep_done(dep->wait, fence->error);
}

static void sgdemo_wait_timeout(struct work_struct *work)
{
	struct sgdemo_wait *wait = container_of(to_delayed_work(work), struct sgdemo_wait,
						timeout);

	sgdemo_wait_complete(wait, -ETIMEDOUT);
}

/**
 * sgdemo_wait_create - make one fence of a job's dependencies
 * @fences: the dependencies; their references are taken over, the array
 *	    is not (its order is changed)
 * @count: entries of @fences
 * @timeout: how long to wait for them, in jiffies
 *
 * The fence signals once every dependency has, with the first error one of
 * them signalled with, if any; or, if they have not all signalled by then,
 * with -ETIMEDOUT after @timeout.
 *
 * Returns: the wait, to be ended with sgdemo_wait_destroy(); NULL when every
 * dependency has signalled without an error already; ERR_PTR(-ENOMEM).
 */
struct sgdemo_wait *sgdemo_wait_create(struct dma_fence **fences, unsigned int count,
				       unsigned long timeout)
{
	struct sgdemo_wait *wait;
	unsigned int i, n = 0;

	for (i = 0; i < count; i++) {
		if (dma_fence_is_signaled(fences[i]) && !fences[i]->error)
			dma_fence_put(fences[i]);
		else
			fences[n++] = fences[i];
	}
	if (!n)
		return NULL;

	wait = sgdemo_inject_fault() ? NULL : kzalloc(struct_size(wait, deps, n), GFP_KERNEL);
	if (!wait) {
		while (n--)
			dma_fence_put(fences[n]);
		return ERR_PTR(-ENOMEM);
	}
	spin_lock_init(&wait->lock);
	dma_fence_init(&wait->base, &sgdemo_wait_ops, &wait->lock, dma_fence_context_alloc(1), 1);
	INIT_DELAYED_WORK(&wait->timeout, sgdemo_wait_timeout);
	wait->count = n;
	atomic_set(&wait->pending, n + 1);
	for (i = 0; i < n; i++) {
		wait->deps[i].fence = fences[i];
		wait->deps[i].wait = wait;
		if (dma_fence_add_callback(fences[i], &wait->deps[i].cb, sgdemo_wait_dep_cb))
			sgdemo_wait_dep_done(wait, fences[i]->error);
	}
	sgdemo_wait_dep_done(wait, 0);
	schedule_delayed_work(&wait->timeout, timeout);
	return wait;
}

/**
 * sgdemo_wait_fence - the fence of a job's dependencies
 * @wait: the dependencies
 *
 * Returns: the fence, without a new reference.
 */
struct dma_fence *sgdemo_wait_fence(struct sgdemo_wait *wait)
{
	return &wait->base;
}

/**
 * sgdemo_wait_destroy - end a wait
 * @wait: the dependencies
 *
 * Stops the timeout, removes the callbacks from the dependencies and drops
 * them; signals the fence with -ECANCELED if it had not signalled, and drops
 * the wait's reference on it. No callback or timeout runs after this.
 */
void sgdemo_wait_destroy(struct sgdemo_wait *wait)
{
	unsigned int i;

	cancel_delayed_work_sync(&wait->timeout);
	for (i = 0; i < wait->count; i++) {
		dma_fence_remove_callback(wait->deps[i].fence, &wait->deps[i].cb);
		dma_fence_put(wait->deps[i].fence);
	}
	sgdemo_wait_complete(wait, -ECANCELED);
	dma_fence_put(&wait->base);
}

/*
 * A cursor over the bytes of a job's object: through the owned table's pages
 * for a native object, through the CPU mapping for an imported one.
 */
struct sgdemo_cursor {
	struct sgdemo_job_buf *buf;
	struct sg_page_iter piter;
	u64 pos;
};

static void sgdemo_cursor_start(struct sgdemo_cursor *cur, struct sgdemo_job_buf *buf)
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

/* The engine: moves the bytes. Runs in the fence signalling path. */
static void sgdemo_job_execute(struct sgdemo_job *job)
{
	struct sgdemo_cursor dst, src;
	u64 done = 0;

	sgdemo_cursor_start(&dst, &job->dst);
	if (job->op == SGDEMO_OP_COPY)
		sgdemo_cursor_start(&src, &job->src);

	while (done < job->size) {
		size_t dlen, slen, n;
		void *d, *s;

		d = sgdemo_cursor_map(&dst, &dlen);
		n = min_t(u64, dlen, job->size - done);
		if (job->op == SGDEMO_OP_COPY) {
			s = sgdemo_cursor_map(&src, &slen);
			n = min(n, slen);
			memcpy(d, s, n);
			sgdemo_cursor_unmap(&src, s);
			sgdemo_cursor_advance(&src, n);
		} else {
			memset(d, job->fill, n);
		}
		sgdemo_cursor_unmap(&dst, d);
		sgdemo_cursor_advance(&dst, n);
		done += n;
		cond_resched();
	}
}

static struct dma_fence *sgdemo_job_run(struct drm_sched_job *sched_job)
{
	struct sgdemo_job *job = to_sgdemo_job(sched_job);
	int idx;

	/* A job whose dependencies failed or timed out does not run. */
	if (job->wait && job->wait->base.error)
		return ERR_PTR(job->wait->base.error);
	if (!drm_dev_enter(&job->sdev->drm, &idx))
		return ERR_PTR(-ENODEV);
	sgdemo_job_execute(job);
	drm_dev_exit(idx);

	/* Done already: no hardware fence to wait for. */
	return NULL;
}

static void sgdemo_job_buf_put(struct sgdemo_job_buf *buf)
{
	if (buf->dmabuf)
		sgdemo_dma_buf_vunmap(buf->dmabuf, &buf->map);
	if (buf->owned)
		sgdemo_sgt_put(buf->owned);
}

/*
 * Frees what a job holds, in reverse order of its submission. Unlinking it
 * is the last thing it does with the device: sgdemo_engine_fini() waits for
 * that, then for this function to return (it drains free_wq).
 */
static void sgdemo_job_release(struct sgdemo_job *job)
{
	struct sgdemo_device *sdev = job->sdev;
	struct sgdemo_wait *wait;
	bool idle;

	/* Out of reach of sgdemo_engine_fini() before it is freed. */
	spin_lock(&sdev->jobs_lock);
	wait = job->wait;
	job->wait = NULL;
	spin_unlock(&sdev->jobs_lock);
	if (wait)
		sgdemo_wait_destroy(wait);
	sgdemo_job_buf_put(&job->src);
	sgdemo_job_buf_put(&job->dst);

	spin_lock(&sdev->jobs_lock);
	list_del(&job->link);
	idle = list_empty(&sdev->jobs);
	spin_unlock(&sdev->jobs_lock);
	sgdemo_count(SGDEMO_JOBS, -1);
	kfree(job);
	if (idle)
		wake_up_all(&sdev->jobs_idle);
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
	queue_work(job->sdev->free_wq, &job->free_work);
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
 * sgdemo_engine_init - start a device's copy engine
 * @sdev: the device, being probed
 *
 * Returns: 0, or the scheduler's error.
 */
int sgdemo_engine_init(struct sgdemo_device *sdev)
{
	const struct drm_sched_init_args args = {
		.ops		= &sgdemo_sched_ops,
		SGDEMO_SCHED_INIT_ARGS_RQS
		.credit_limit	= SGDEMO_ENGINE_CREDITS,
		.timeout	= MAX_SCHEDULE_TIMEOUT,
		.name		= "sgdemo-copy",
		.dev		= sdev->drm.dev,
	};
	int ret;

	sdev->free_wq = alloc_workqueue("sgdemo-free", WQ_UNBOUND, 0);
	if (!sdev->free_wq)
		return -ENOMEM;
	ret = drm_sched_init(&sdev->sched, &args);
	if (ret) {
		destroy_workqueue(sdev->free_wq);
		return ret;
	}
	sdev->sched_list[0] = &sdev->sched;
	sdev->engine_up = true;
	return 0;
}

/* No job is left, and no file is tearing its entity down. */
static bool sgdemo_engine_idle(struct sgdemo_device *sdev)
{
	bool idle;

	spin_lock(&sdev->jobs_lock);
	idle = list_empty(&sdev->jobs) && !sdev->entities_closing;
	spin_unlock(&sdev->jobs_lock);
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

/* Ends a file's entity: its queued jobs start, or are cancelled. */
static void sgdemo_entity_end(struct sgdemo_file *sfile)
{
	drm_sched_entity_flush(&sfile->entity, sgdemo_entity_flush_timeout());
	drm_sched_entity_fini(&sfile->entity);
}

/**
 * sgdemo_engine_fini - stop a device's copy engine
 * @sdev: the device, unplugged: no job can be submitted any more
 *
 * Jobs waiting for dependencies fail with -ENODEV, every file's entity is
 * destroyed, and the scheduler stops once the last job is freed and no file
 * is still closing its entity.
 */
void sgdemo_engine_fini(struct sgdemo_device *sdev)
{
	struct sgdemo_file *sfile, *next;
	struct sgdemo_job *job;

	if (!sdev->engine_up)
		return;

	spin_lock(&sdev->jobs_lock);
	list_for_each_entry(job, &sdev->jobs, link)
		if (job->wait)
			sgdemo_wait_complete(job->wait, -ENODEV);
	spin_unlock(&sdev->jobs_lock);

	mutex_lock(&sdev->entities_lock);
	sdev->engine_up = false;
	list_for_each_entry_safe(sfile, next, &sdev->entities, link) {
		sgdemo_entity_end(sfile);
		list_del_init(&sfile->link);
		sfile->entity_up = false;
	}
	mutex_unlock(&sdev->entities_lock);

	wait_event(sdev->jobs_idle, sgdemo_engine_idle(sdev));
	drm_sched_fini(&sdev->sched);
	/* The last release may still be returning. */
	destroy_workqueue(sdev->free_wq);
}

/**
 * sgdemo_engine_open - give a new file its queue on the engine
 * @sdev: the device
 * @sfile: the file's state
 *
 * A device without an engine (unplugged, or made by the KUnit suite) gives
 * none: the file's submissions fail with -ENODEV.
 *
 * Returns: 0, or the scheduler's error.
 */
int sgdemo_engine_open(struct sgdemo_device *sdev, struct sgdemo_file *sfile)
{
	int ret = 0;

	INIT_LIST_HEAD(&sfile->link);
	mutex_init(&sfile->submit_lock);
	mutex_lock(&sdev->entities_lock);
	if (sdev->engine_up) {
		ret = drm_sched_entity_init(&sfile->entity, DRM_SCHED_PRIORITY_NORMAL,
					    sdev->sched_list, 1, NULL);
		if (!ret) {
			sfile->entity_up = true;
			list_add_tail(&sfile->link, &sdev->entities);
		}
	}
	mutex_unlock(&sdev->entities_lock);
	return ret;
}

/**
 * sgdemo_engine_close - end a file's queue on the engine
 * @sdev: the device
 * @sfile: the file's state
 *
 * Waits until the file's queued jobs have started (their timeouts bound the
 * wait), or for a process killed by SIGKILL cancels them; jobs that started
 * complete on their own.
 */
void sgdemo_engine_close(struct sgdemo_device *sdev, struct sgdemo_file *sfile)
{
	bool up;

	mutex_lock(&sdev->entities_lock);
	up = sfile->entity_up;
	if (up) {
		list_del_init(&sfile->link);
		sfile->entity_up = false;
		spin_lock(&sdev->jobs_lock);
		sdev->entities_closing++;
		spin_unlock(&sdev->jobs_lock);
	}
	mutex_unlock(&sdev->entities_lock);
	if (!up)
		return;

	/*
	 * Outside the lock, so that one file's wait does not hold up another's
	 * close; sgdemo_engine_fini() waits for entities_closing to drop to
	 * zero before it stops the scheduler.
	 */
	sgdemo_entity_end(sfile);

	spin_lock(&sdev->jobs_lock);
	sdev->entities_closing--;
	spin_unlock(&sdev->jobs_lock);
	wake_up_all(&sdev->jobs_idle);
}

/* Checks the arguments alone, before anything is looked up. */
static int sgdemo_submit_check(const struct drm_sgdemo_submit *args)
{
	u64 end;

	if (args->flags & ~SGDEMO_SUBMIT_FENCE_OUT || args->pad)
		return -EINVAL;
	if (!args->size || args->num_in_syncobjs > SGDEMO_SUBMIT_MAX_IN_SYNCOBJS ||
	    args->timeout_ms > SGDEMO_SUBMIT_MAX_TIMEOUT_MS)
		return -EINVAL;
	if (!args->num_in_syncobjs != !args->in_syncobjs)
		return -EINVAL;
	if (check_add_overflow(args->dst_offset, args->size, &end))
		return -EINVAL;

	switch (args->op) {
	case SGDEMO_OP_FILL:
		if (args->src_handle || args->src_offset || args->fill > 0xff)
			return -EINVAL;
		return 0;
	case SGDEMO_OP_COPY:
		if (!args->src_handle || args->fill ||
		    check_add_overflow(args->src_offset, args->size, &end))
			return -EINVAL;
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * Takes a reference on @obj's shared owned table for the job, and maps an
 * import for the CPU.
 */
static int sgdemo_job_buf_get(struct sgdemo_job_buf *buf, struct drm_gem_object *obj, u64 offset)
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

/*
 * Appends the fences of @resv that @usage asks to wait for to the array at
 * *@fences of *@count entries, growing it.
 */
static int sgdemo_collect_fences(struct dma_fence ***fences, unsigned int *count,
				 struct dma_resv *resv, enum dma_resv_usage usage)
{
	struct dma_fence **found, **all;
	unsigned int n, i;
	int ret;

	ret = dma_resv_get_fences(resv, usage, &n, &found);
	if (ret || !n)
		return ret;
	all = krealloc_array(*fences, *count + n, sizeof(*all), GFP_KERNEL);
	if (!all) {
		while (n--)
			dma_fence_put(found[n]);
		kfree(found);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		all[(*count)++] = found[i];
	kfree(found);
	*fences = all;
	return 0;
}

/**
 * sgdemo_ioctl_submit - DRM_IOCTL_SGDEMO_SUBMIT
 * @dev: the DRM device
 * @data: a &struct drm_sgdemo_submit
 * @file: the DRM file that owns the handles and whose queue runs the job
 *
 * Returns: 0 once the job is queued, or an error as the uAPI documents;
 * nothing is left behind after an error.
 */
int sgdemo_ioctl_submit(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct sgdemo_device *sdev = to_sgdemo_device(dev);
	struct sgdemo_file *sfile = file->driver_priv;
	struct drm_sgdemo_submit *args = data;
	struct drm_gem_object *objs[2] = {};
	struct drm_syncobj *out_syncobj = NULL;
	struct sync_file *sync_file = NULL;
	struct dma_fence **fences = NULL;
	unsigned int nfences = 0, nobjs, i;
	unsigned int timeout_ms = args->timeout_ms ?: SGDEMO_SUBMIT_DEFAULT_TIMEOUT_MS;
	struct sgdemo_wait *wait;
	struct ww_acquire_ctx ctx;
	struct sgdemo_job *job;
	struct dma_fence *done;
	int idx, ret, fd = -1;
	u32 *handles = NULL;
	u64 end;

	ret = sgdemo_submit_check(args);
	if (ret)
		return ret;
	if (!drm_dev_enter(dev, &idx))
		return -ENODEV;
	if (!sfile->entity_up) {
		ret = -ENODEV;
		goto out_exit;
	}

	/* Objects, and their ranges. */
	objs[0] = drm_gem_object_lookup(file, args->dst_handle);
	if (!objs[0]) {
		ret = -ENOENT;
		goto out_exit;
	}
	nobjs = 1;
	if (args->op == SGDEMO_OP_COPY) {
		objs[1] = drm_gem_object_lookup(file, args->src_handle);
		if (!objs[1]) {
			ret = -ENOENT;
			goto out_objs;
		}
		nobjs = 2;
		if (args->src_offset + args->size > objs[1]->size)
			ret = -EINVAL;
		/* One object: the ranges must not overlap. */
		if (objs[1] == objs[0] &&
		    args->src_offset < args->dst_offset + args->size &&
		    args->dst_offset < args->src_offset + args->size)
			ret = -EINVAL;
	}
	end = args->dst_offset + args->size;
	if (end > objs[0]->size)
		ret = -EINVAL;
	if (ret)
		goto out_objs;

	/* In-fences, before anything is allocated for the job. */
	if (args->num_in_syncobjs) {
		handles = kmalloc_array(args->num_in_syncobjs, sizeof(*handles), GFP_KERNEL);
		fences = kmalloc_array(args->num_in_syncobjs, sizeof(*fences), GFP_KERNEL);
		if (!handles || !fences) {
			ret = -ENOMEM;
			goto out_fences;
		}
		if (copy_from_user(handles, u64_to_user_ptr(args->in_syncobjs),
				   args->num_in_syncobjs * sizeof(*handles))) {
			ret = -EFAULT;
			goto out_fences;
		}
		for (i = 0; i < args->num_in_syncobjs; i++) {
			ret = drm_syncobj_find_fence(file, handles[i], 0, 0, &fences[nfences]);
			if (ret)
				goto out_fences;
			nfences++;
		}
	}
	if (args->out_syncobj) {
		out_syncobj = drm_syncobj_find(file, args->out_syncobj);
		if (!out_syncobj) {
			ret = -ENOENT;
			goto out_fences;
		}
	}
	if (args->flags & SGDEMO_SUBMIT_FENCE_OUT) {
		fd = get_unused_fd_flags(O_CLOEXEC);
		if (fd < 0) {
			ret = fd;
			goto out_syncobj;
		}
		/*
		 * The sync_file is made now, around a stub, so that nothing can
		 * fail once the job is armed; it gets the job's fence before
		 * anyone can see it.
		 */
		done = dma_fence_get_stub();
		sync_file = sgdemo_inject_fault() ? NULL : sync_file_create(done);
		dma_fence_put(done);
		if (!sync_file) {
			ret = -ENOMEM;
			goto out_fd;
		}
	}

	/* The job, with owned tables of its objects. */
	job = sgdemo_inject_fault() ? NULL : kzalloc_obj(*job, GFP_KERNEL);
	if (!job) {
		ret = -ENOMEM;
		goto out_sync_file;
	}
	job->sdev = sdev;
	job->op = args->op;
	job->fill = args->fill;
	job->size = args->size;
	spin_lock(&sdev->jobs_lock);
	list_add_tail(&job->link, &sdev->jobs);
	spin_unlock(&sdev->jobs_lock);
	sgdemo_count(SGDEMO_JOBS, 1);

	ret = sgdemo_sched_job_init(&job->base, &sfile->entity, file);
	if (ret) {
		/* Nothing of the scheduler's to clean up. */
		sgdemo_job_release(job);
		goto out_sync_file;
	}
	ret = sgdemo_job_buf_get(&job->dst, objs[0], args->dst_offset);
	if (!ret && nobjs == 2)
		ret = sgdemo_job_buf_get(&job->src, objs[1], args->src_offset);
	if (ret)
		goto out_job;

	/*
	 * Implicit fences, and room for ours, under the reservation locks; and
	 * under the file's submit lock, so that jobs are pushed in the order
	 * they are armed (their fences' order on the entity's timeline).
	 */
	if (nobjs == 2 && objs[1]->resv == objs[0]->resv)
		nobjs = 1;
	mutex_lock(&sfile->submit_lock);
	ret = drm_gem_lock_reservations(objs, nobjs, &ctx);
	if (ret)
		goto out_submit_unlock;
	for (i = 0; i < nobjs; i++) {
		ret = dma_resv_reserve_fences(objs[i]->resv, 1);
		if (ret)
			goto out_unlock;
	}
	ret = sgdemo_collect_fences(&fences, &nfences, objs[0]->resv, dma_resv_usage_rw(true));
	if (!ret && nobjs == 2)
		ret = sgdemo_collect_fences(&fences, &nfences, objs[1]->resv,
					    dma_resv_usage_rw(false));
	if (ret)
		goto out_unlock;
	wait = sgdemo_wait_create(fences, nfences, msecs_to_jiffies(timeout_ms));
	nfences = 0;
	if (IS_ERR(wait)) {
		ret = PTR_ERR(wait);
		goto out_unlock;
	}
	job->wait = wait;
	if (wait) {
		ret = drm_sched_job_add_dependency(&job->base, dma_fence_get(&wait->base));
		if (ret)
			goto out_unlock;
	}

	/* Nothing fails from here on: the job is armed, published and queued. */
	drm_sched_job_arm(&job->base);
	done = dma_fence_get(&job->base.s_fence->finished);
	dma_resv_add_fence(objs[0]->resv, done, DMA_RESV_USAGE_WRITE);
	if (nobjs == 2)
		dma_resv_add_fence(objs[1]->resv, done, DMA_RESV_USAGE_READ);
	drm_gem_unlock_reservations(objs, nobjs, &ctx);

	if (out_syncobj)
		drm_syncobj_replace_fence(out_syncobj, done);
	args->out_fence_fd = -1;
	if (sync_file) {
		dma_fence_put(sync_file->fence);
		sync_file->fence = dma_fence_get(done);
		fd_install(fd, sync_file->file);
		args->out_fence_fd = fd;
		sync_file = NULL;
		fd = -1;
	}
	drm_sched_entity_push_job(&job->base);
	mutex_unlock(&sfile->submit_lock);
	dma_fence_put(done);
	ret = 0;
	goto out_syncobj;

out_unlock:
	drm_gem_unlock_reservations(objs, nobjs, &ctx);
out_submit_unlock:
	mutex_unlock(&sfile->submit_lock);
out_job:
	drm_sched_job_cleanup(&job->base);
	sgdemo_job_release(job);
out_sync_file:
	if (sync_file)
		fput(sync_file->file);
out_fd:
	if (fd >= 0)
		put_unused_fd(fd);
out_syncobj:
	if (out_syncobj)
		drm_syncobj_put(out_syncobj);
out_fences:
	while (nfences--)
		dma_fence_put(fences[nfences]);
	kfree(handles);
	kfree(fences);
out_objs:
	for (i = 0; i < 2; i++)
		if (objs[i])
			drm_gem_object_put(objs[i]);
out_exit:
	drm_dev_exit(idx);
	return ret;
}
