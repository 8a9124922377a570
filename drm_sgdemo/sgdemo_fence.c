// SPDX-License-Identifier: GPL-2.0
/*
 * The dependency fence of a copy engine job: what it promises is stated in
 * sgdemo_fence.h; this file implements it.
 */

#include <linux/atomic.h>
#include <linux/dma-fence.h>
#include <linux/err.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "sgdemo.h"
#include "sgdemo_fence.h"

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
 * @wq: where the timeout runs: a queue with a rescuer (WQ_MEM_RECLAIM), since
 *	the timeout may be what signals a fence that memory reclaim waits for
 *
 * The fence signals once every dependency has, with the first error one of
 * them signalled with, if any; or, if they have not all signalled by then,
 * with -ETIMEDOUT after @timeout.
 *
 * Returns: the wait, to be ended with sgdemo_wait_destroy(); NULL when every
 * dependency has signalled without an error already; ERR_PTR(-ENOMEM).
 */
struct sgdemo_wait *sgdemo_wait_create(struct dma_fence **fences, unsigned int count,
				       unsigned long timeout, struct workqueue_struct *wq)
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

	wait = sgdemo_inject_fault() ? NULL :
	       kzalloc(struct_size(wait, deps, n), GFP_KERNEL_ACCOUNT);
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
	queue_delayed_work(wq, &wait->timeout, timeout);
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
