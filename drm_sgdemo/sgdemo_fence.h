/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A copy engine job's dependencies as one fence (sgdemo_fence.c).
 */
#ifndef _SGDEMO_FENCE_H_
#define _SGDEMO_FENCE_H_

struct dma_fence;
struct sgdemo_wait;
struct workqueue_struct;

/**
 * DOC: the dependency fence
 *
 * The scheduler waits for a job's dependencies for ever; sgdemo bounds that
 * wait. A &struct sgdemo_wait gathers the in-fences and implicit fences of
 * one job into a single fence, the only dependency the job gives the
 * scheduler. It signals:
 *
 * - once every dependency has, with the first error one of them had, if
 *   any; an error is only acted on once all have signalled, so the job's
 *   fence never signals while another dependency may still be writing;
 * - with -ETIMEDOUT when they have not all signalled within the job's
 *   timeout, and with -ENODEV when the engine stops (sgdemo_wait_complete());
 *   these two do not wait for the dependencies.
 *
 * sgdemo_wait_destroy() removes every callback and drops every dependency,
 * whenever it is called: no callback or timeout runs after it.
 */

struct sgdemo_wait *sgdemo_wait_create(struct dma_fence **fences, unsigned int count,
				       unsigned long timeout, struct workqueue_struct *wq);
struct dma_fence *sgdemo_wait_fence(struct sgdemo_wait *wait);
void sgdemo_wait_complete(struct sgdemo_wait *wait, int error);
void sgdemo_wait_destroy(struct sgdemo_wait *wait);

#endif /* _SGDEMO_FENCE_H_ */
