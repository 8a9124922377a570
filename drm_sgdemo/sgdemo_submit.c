// SPDX-License-Identifier: GPL-2.0
/*
 * DRM_IOCTL_SGDEMO_SUBMIT: checks the arguments, looks up the objects and
 * fences, makes a copy engine job of them and queues it. Each step is a
 * function of its own; a failed step undoes only what it did itself, and
 * the ioctl lets go of the rest in reverse order.
 */

#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/jiffies.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/sync_file.h>
#include <linux/uaccess.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_syncobj.h>

#include "drm_sgdemo.h"
#include "sgdemo.h"
#include "sgdemo_engine.h"
#include "sgdemo_ioctl.h"

/*
 * struct sgdemo_submit - what a submission has looked up
 * @sdev: the device
 * @args: the ioctl's argument
 * @file: the submitting file
 * @objs: the destination and, for a copy, the source, each with a reference
 * @nobjs: entries of @objs
 * @nresv: reservation objects of @objs: 1 for a copy within one object
 * @fences: the dependencies found so far, each with a reference
 * @nfences: entries of @fences
 * @out_syncobj: the syncobj to put the job's fence in, with a reference
 * @out_fd: a descriptor reserved for the job's sync_file, or -1
 */
struct sgdemo_submit {
	struct sgdemo_device *sdev;
	struct drm_sgdemo_submit *args;
	struct drm_file *file;
	struct drm_gem_object *objs[2];
	unsigned int nobjs;
	unsigned int nresv;
	struct dma_fence **fences;
	unsigned int nfences;
	struct drm_syncobj *out_syncobj;
	int out_fd;
};

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
	case SGDEMO_OP_DEVICE_COPY:
		if (args->size > SGDEMO_DEVICE_COPY_MAX)
			return -EINVAL;
		fallthrough;
	case SGDEMO_OP_COPY:
		if (!args->src_handle || args->fill ||
		    check_add_overflow(args->src_offset, args->size, &end))
			return -EINVAL;
		return 0;
	default:
		return -EINVAL;
	}
}

/* The ranges against the objects' sizes, and against each other. */
static int sgdemo_submit_check_ranges(const struct sgdemo_submit *s)
{
	const struct drm_sgdemo_submit *args = s->args;

	if (args->dst_offset + args->size > s->objs[0]->size)
		return -EINVAL;
	if (s->nobjs == 1)
		return 0;
	if (args->src_offset + args->size > s->objs[1]->size)
		return -EINVAL;
	/* One object: the ranges must not overlap. */
	if (s->objs[1] == s->objs[0] &&
	    args->src_offset < args->dst_offset + args->size &&
	    args->dst_offset < args->src_offset + args->size)
		return -EINVAL;
	return 0;
}

/* The objects, with a reference each; their ranges checked. */
static int sgdemo_submit_lookup(struct sgdemo_submit *s)
{
	/* Only a device with a DMA engine of its own copies with it. */
	if (s->args->op == SGDEMO_OP_DEVICE_COPY && !s->sdev->edu)
		return -EOPNOTSUPP;
	s->objs[0] = drm_gem_object_lookup(s->file, s->args->dst_handle);
	if (!s->objs[0])
		return -ENOENT;
	s->nobjs = 1;
	if (s->args->op != SGDEMO_OP_FILL) {
		s->objs[1] = drm_gem_object_lookup(s->file, s->args->src_handle);
		if (!s->objs[1])
			return -ENOENT;
		s->nobjs = 2;
	}
	s->nresv = s->nobjs;
	/* A copy within one object locks and fences it once. */
	if (s->nobjs == 2 && s->objs[1]->resv == s->objs[0]->resv)
		s->nresv = 1;
	return sgdemo_submit_check_ranges(s);
}

/* The fences of the in-syncobjs, before anything is made for the job. */
static int sgdemo_submit_in_fences(struct sgdemo_submit *s)
{
	unsigned int n = s->args->num_in_syncobjs;
	u32 *handles;
	int ret = 0;

	if (!n)
		return 0;
	s->fences = kmalloc_array(n, sizeof(*s->fences), GFP_KERNEL);
	handles = kmalloc_array(n, sizeof(*handles), GFP_KERNEL);
	if (!s->fences || !handles) {
		ret = -ENOMEM;
		goto out;
	}
	if (copy_from_user(handles, u64_to_user_ptr(s->args->in_syncobjs),
			   n * sizeof(*handles))) {
		ret = -EFAULT;
		goto out;
	}
	for (; s->nfences < n; s->nfences++) {
		ret = drm_syncobj_find_fence(s->file, handles[s->nfences], 0, 0,
					     &s->fences[s->nfences]);
		if (ret)
			break;
	}
out:
	kfree(handles);
	return ret;
}

/*
 * Where the job's fence goes besides the reservations: the out-syncobj, and
 * a descriptor reserved now for its sync_file, made once the job is queued.
 */
static int sgdemo_submit_out_fences(struct sgdemo_submit *s)
{
	if (s->args->out_syncobj) {
		s->out_syncobj = drm_syncobj_find(s->file, s->args->out_syncobj);
		if (!s->out_syncobj)
			return -ENOENT;
	}
	if (s->args->flags & SGDEMO_SUBMIT_FENCE_OUT) {
		s->out_fd = get_unused_fd_flags(O_CLOEXEC);
		if (s->out_fd < 0)
			return s->out_fd;
	}
	return 0;
}

/*
 * Appends the fences of @resv that @usage asks to wait for to the
 * submission's dependencies.
 */
static int sgdemo_submit_implicit(struct sgdemo_submit *s, struct dma_resv *resv,
				  enum dma_resv_usage usage)
{
	struct dma_fence **found, **all;
	unsigned int n, i;
	int ret;

	ret = dma_resv_get_fences(resv, usage, &n, &found);
	if (ret || !n)
		return ret;
	all = krealloc_array(s->fences, s->nfences + n, sizeof(*all), GFP_KERNEL);
	if (!all) {
		while (n--)
			dma_fence_put(found[n]);
		kfree(found);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		all[s->nfences++] = found[i];
	kfree(found);
	s->fences = all;
	return 0;
}

/*
 * With the reservations locked: room for the job's fence, the implicit
 * fences, and all dependencies handed to the job (whose they are then).
 */
static int sgdemo_submit_deps(struct sgdemo_submit *s, struct sgdemo_job *job)
{
	unsigned int timeout_ms = s->args->timeout_ms ?: SGDEMO_SUBMIT_DEFAULT_TIMEOUT_MS;
	unsigned int i, n;
	int ret;

	for (i = 0; i < s->nresv; i++) {
		ret = dma_resv_reserve_fences(s->objs[i]->resv, 1);
		if (ret)
			return ret;
	}
	ret = sgdemo_submit_implicit(s, s->objs[0]->resv, dma_resv_usage_rw(true));
	if (!ret && s->nresv == 2)
		ret = sgdemo_submit_implicit(s, s->objs[1]->resv, dma_resv_usage_rw(false));
	if (ret)
		return ret;
	n = s->nfences;
	s->nfences = 0;
	return sgdemo_job_add_deps(job, s->fences, n, msecs_to_jiffies(timeout_ms));
}

/*
 * Takes the implicit fences, arms the job, publishes its fence in the
 * reservations and queues it: under the reservation locks, and under the
 * queue's submit lock so that jobs are pushed in the order they are armed
 * and the out-syncobj holds the last of them. Nothing allocates between
 * arming and pushing.
 *
 * Returns: the job's fence, with a reference; or an ERR_PTR(), and then the
 * job is still the caller's.
 */
static struct dma_fence *sgdemo_submit_queue(struct sgdemo_submit *s, struct sgdemo_queue *queue,
					     struct sgdemo_job *job)
{
	struct drm_gem_object **objs = s->objs;
	struct ww_acquire_ctx ctx;
	struct dma_fence *done;
	bool cookie;
	int ret;

	mutex_lock(&queue->submit_lock);
	ret = drm_gem_lock_reservations(objs, s->nresv, &ctx);
	if (ret)
		goto out_unlock_queue;
	ret = sgdemo_submit_deps(s, job);
	if (ret)
		goto out_unlock_resv;

	/* Lockdep checks that nothing here allocates or waits. */
	cookie = dma_fence_begin_signalling();
	done = sgdemo_job_arm(job);
	dma_resv_add_fence(objs[0]->resv, done, DMA_RESV_USAGE_WRITE);
	if (s->nresv == 2)
		dma_resv_add_fence(objs[1]->resv, done, DMA_RESV_USAGE_READ);
	sgdemo_job_push(job);
	dma_fence_end_signalling(cookie);
	drm_gem_unlock_reservations(objs, s->nresv, &ctx);
	/* Under the submit lock too: the syncobj ends with the later job's fence. */
	if (s->out_syncobj)
		drm_syncobj_replace_fence(s->out_syncobj, done);
	mutex_unlock(&queue->submit_lock);
	return done;

out_unlock_resv:
	drm_gem_unlock_reservations(objs, s->nresv, &ctx);
out_unlock_queue:
	mutex_unlock(&queue->submit_lock);
	return ERR_PTR(ret);
}

/*
 * The queued job's fence into a sync_file. The job runs whatever happens
 * here: a sync_file that cannot be made fails the ioctl with the job queued,
 * as the uAPI says.
 */
static int sgdemo_submit_publish(struct sgdemo_submit *s, struct dma_fence *done)
{
	struct sync_file *sync_file;

	s->args->out_fence_fd = -1;
	if (s->out_fd < 0)
		return 0;
	sync_file = sgdemo_inject_fault() ? NULL : sync_file_create(done);
	if (!sync_file)
		return -ENOMEM;
	fd_install(s->out_fd, sync_file->file);
	s->args->out_fence_fd = s->out_fd;
	s->out_fd = -1;
	return 0;
}

/* Makes the job from what was looked up, queues it and publishes its fence. */
static int sgdemo_submit_job(struct sgdemo_submit *s)
{
	struct sgdemo_file *sfile = s->file->driver_priv;
	struct drm_sgdemo_submit *args = s->args;
	struct sgdemo_job *job;
	struct dma_fence *done;
	int ret;

	job = sgdemo_job_create(&s->sdev->engine, &sfile->queue, s->file, args->op, args->fill,
				args->size);
	if (IS_ERR(job))
		return PTR_ERR(job);
	ret = sgdemo_job_add_object(job, s->objs[0], args->dst_offset);
	if (!ret && s->nobjs == 2)
		ret = sgdemo_job_add_object(job, s->objs[1], args->src_offset);
	if (ret)
		goto err_abort;
	done = sgdemo_submit_queue(s, &sfile->queue, job);
	if (IS_ERR(done)) {
		ret = PTR_ERR(done);
		goto err_abort;
	}
	ret = sgdemo_submit_publish(s, done);
	dma_fence_put(done);
	return ret;

err_abort:
	sgdemo_job_abort(job);
	return ret;
}

/* Lets go of whatever the job did not take over, in reverse order. */
static void sgdemo_submit_end(struct sgdemo_submit *s)
{
	if (s->out_fd >= 0)
		put_unused_fd(s->out_fd);
	if (s->out_syncobj)
		drm_syncobj_put(s->out_syncobj);
	while (s->nfences--)
		dma_fence_put(s->fences[s->nfences]);
	kfree(s->fences);
	while (s->nobjs--)
		drm_gem_object_put(s->objs[s->nobjs]);
}

/**
 * sgdemo_ioctl_submit - DRM_IOCTL_SGDEMO_SUBMIT
 * @dev: the DRM device
 * @data: a &struct drm_sgdemo_submit
 * @file: the DRM file that owns the handles and whose queue runs the job
 *
 * Returns: 0 once the job is queued, or an error as the uAPI documents;
 * nothing is left behind after an error, but for a sync_file that could
 * not be made for a job already queued.
 */
int sgdemo_ioctl_submit(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct sgdemo_submit s = {
		.sdev = to_sgdemo_device(dev), .args = data, .file = file, .out_fd = -1,
	};
	int idx, ret;

	ret = sgdemo_submit_check(s.args);
	if (ret)
		return ret;
	if (!drm_dev_enter(dev, &idx))
		return -ENODEV;

	ret = sgdemo_submit_lookup(&s);
	if (ret)
		goto out;
	ret = sgdemo_submit_in_fences(&s);
	if (ret)
		goto out;
	ret = sgdemo_submit_out_fences(&s);
	if (ret)
		goto out;
	ret = sgdemo_submit_job(&s);
out:
	sgdemo_submit_end(&s);
	drm_dev_exit(idx);
	return ret;
}
