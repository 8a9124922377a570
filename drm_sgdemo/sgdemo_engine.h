/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sgdemo's virtual copy engine: fill and copy jobs, run by the DRM GPU
 * scheduler, that hold owned tables of their objects until they are freed.
 */
#ifndef _SGDEMO_ENGINE_H_
#define _SGDEMO_ENGINE_H_

struct dma_fence;
struct sgdemo_device;
struct sgdemo_file;
struct sgdemo_wait;

/**
 * DOC: the copy engine
 *
 * A job is a fill or a copy between byte ranges of sgdemo objects, native or
 * imported. DRM_IOCTL_SGDEMO_SUBMIT makes one and pushes it to the file's
 * scheduler entity, under the file's submit lock so that jobs are queued in
 * the order of their fences; the device's one scheduler runs the entities'
 * jobs on the CPU, which stands in for the engine.
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
 * - one dependency fence, &struct sgdemo_wait, that signals when all of the
 *   job's in-fences and implicit fences have (with the first error one of
 *   them had), or with -ETIMEDOUT when they have not within the job's
 *   timeout, or with -ENODEV when the device goes. The last two do not
 *   wait for the dependencies: the job's fence then signals with an error
 *   while a dependency may still be at work.
 *
 * Its fence, the scheduler's finished fence, is in its objects' reservation
 * objects (destination as writer, source as reader) before the ioctl
 * returns, and optionally in a syncobj and a sync_file.
 *
 * Teardown: closing a file flushes its entity, waiting until its queued
 * jobs have started (their timeouts bound that wait; a process killed by
 * SIGKILL does not wait, and the scheduler cancels its queued jobs).
 * Unplugging the device fails every job still waiting for dependencies with
 * -ENODEV, lets running jobs end, destroys every entity, waits until the
 * last job is freed and only then stops the scheduler: no job is left
 * pending, and nothing it holds leaks.
 *
 * Jobs are freed on a workqueue of the device's own, not on the scheduler's
 * ordered queue: letting go of what a job holds takes reservation locks,
 * and a holder of one may be waiting for the next job's fence.
 */

int sgdemo_engine_init(struct sgdemo_device *sdev);
void sgdemo_engine_fini(struct sgdemo_device *sdev);
int sgdemo_engine_open(struct sgdemo_device *sdev, struct sgdemo_file *sfile);
void sgdemo_engine_close(struct sgdemo_device *sdev, struct sgdemo_file *sfile);

struct sgdemo_wait *sgdemo_wait_create(struct dma_fence **fences, unsigned int count,
				       unsigned long timeout);
struct dma_fence *sgdemo_wait_fence(struct sgdemo_wait *wait);
void sgdemo_wait_complete(struct sgdemo_wait *wait, int error);
void sgdemo_wait_destroy(struct sgdemo_wait *wait);

#endif /* _SGDEMO_ENGINE_H_ */
