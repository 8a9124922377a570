// SPDX-License-Identifier: GPL-2.0
/*
 * A test timeline in debugfs, /sys/kernel/debug/sgdemo/timeline: fences that
 * signal only when a test says so, for kernels without CONFIG_SW_SYNC (every
 * Debian kernel). vgem's fences signal on their own after 10 s, so they
 * cannot hold a job back for longer; these can, for as long as the file is
 * open.
 *
 * The interface is sw_sync's (drivers/dma-buf/sw_sync.c), so that one test
 * helper drives either: each open file is a timeline starting at 0;
 * SGDEMO_TIMELINE_CREATE_FENCE makes a fence that signals once the timeline
 * reaches its value and returns it as a sync_file; SGDEMO_TIMELINE_INC
 * advances the timeline. Closing the file signals every fence still pending
 * with -ECANCELED, so nothing waits for ever on a test that died. Root only,
 * like all of debugfs.
 */

#include <linux/debugfs.h>
#include <linux/dma-fence.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ioctl.h>
#include <linux/list.h>
#include <linux/list_sort.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/sync_file.h>
#include <linux/uaccess.h>

#include "sgdemo.h"
#include "sgdemo_compat.h"

/* sw_sync's ABI: the same layout and numbers. */
struct sgdemo_timeline_create_fence {
	__u32 value;
	char name[32];
	__s32 fence;
};

#define SGDEMO_TIMELINE_CREATE_FENCE	_IOWR('W', 0, struct sgdemo_timeline_create_fence)
#define SGDEMO_TIMELINE_INC		_IOW('W', 1, __u32)

/*
 * struct sgdemo_timeline - one open file of the timeline
 * @lock: protects @value and @pending
 * @context: the fence context of the timeline
 * @value: how far the timeline has advanced
 * @pending: fences not yet signalled, each with a reference
 */
struct sgdemo_timeline {
	spinlock_t lock; /* protects value and pending */
	u64 context;
	u32 value;
	struct list_head pending;
};

/*
 * A fence of the timeline. It has a lock of its own and no pointer to the
 * timeline: it may outlive its file. Each holds a reference on the module,
 * so its ops stay loaded for as long as anyone (a sync_file, another
 * driver's reservation) holds it; rmmod is refused until then.
 */
struct sgdemo_timeline_fence {
	struct dma_fence base;
	spinlock_t lock; /* the fence lock of base */
	struct list_head link;
};

static const char *sgdemo_timeline_driver_name(struct dma_fence *fence)
{
	return DRIVER_NAME;
}

static const char *sgdemo_timeline_name(struct dma_fence *fence)
{
	return "sgdemo-test-timeline";
}

static void sgdemo_timeline_fence_release(struct dma_fence *fence)
{
	dma_fence_free(fence);
	module_put(THIS_MODULE);
}

static const struct dma_fence_ops sgdemo_timeline_fence_ops = {
	.get_driver_name	= sgdemo_timeline_driver_name,
	.get_timeline_name	= sgdemo_timeline_name,
	.release		= sgdemo_timeline_fence_release,
};

/* Signalling order: a timeline's fences signal in the order of their values. */
static int sgdemo_timeline_cmp(void *priv, const struct list_head *a, const struct list_head *b)
{
	u64 sa = list_entry(a, struct sgdemo_timeline_fence, link)->base.seqno;
	u64 sb = list_entry(b, struct sgdemo_timeline_fence, link)->base.seqno;

	return sa > sb;
}

static int sgdemo_timeline_open(struct inode *inode, struct file *file)
{
	struct sgdemo_timeline *tl = kzalloc_obj(*tl, GFP_KERNEL);

	if (!tl)
		return -ENOMEM;
	spin_lock_init(&tl->lock);
	INIT_LIST_HEAD(&tl->pending);
	tl->context = dma_fence_context_alloc(1);
	file->private_data = tl;
	return 0;
}

/* Signals, and lets go of, every pending fence up to @value; all with @error. */
static void sgdemo_timeline_signal(struct sgdemo_timeline *tl, u32 value, int error)
{
	struct sgdemo_timeline_fence *f, *next;
	LIST_HEAD(done);

	spin_lock(&tl->lock);
	list_for_each_entry_safe(f, next, &tl->pending, link)
		if (error || f->base.seqno <= value)
			list_move_tail(&f->link, &done);
	spin_unlock(&tl->lock);

	list_sort(NULL, &done, sgdemo_timeline_cmp);
	list_for_each_entry_safe(f, next, &done, link) {
		list_del(&f->link);
		if (error)
			dma_fence_set_error(&f->base, error);
		dma_fence_signal(&f->base);
		dma_fence_put(&f->base);
	}
}

static int sgdemo_timeline_release(struct inode *inode, struct file *file)
{
	struct sgdemo_timeline *tl = file->private_data;

	sgdemo_timeline_signal(tl, 0, -ECANCELED);
	kfree(tl);
	return 0;
}

/* A fence at @value, pending on @tl unless the timeline is there already. */
static struct dma_fence *sgdemo_timeline_fence(struct sgdemo_timeline *tl, u32 value)
{
	struct sgdemo_timeline_fence *f = kzalloc_obj(*f, GFP_KERNEL);

	if (!f)
		return NULL;
	__module_get(THIS_MODULE);
	spin_lock_init(&f->lock);
	dma_fence_init(&f->base, &sgdemo_timeline_fence_ops, &f->lock, tl->context, value);
	spin_lock(&tl->lock);
	if (value > tl->value) {
		list_add_tail(&f->link, &tl->pending);
		dma_fence_get(&f->base);
	} else {
		dma_fence_signal(&f->base);
	}
	spin_unlock(&tl->lock);
	return &f->base;
}

static long sgdemo_timeline_create_fence(struct sgdemo_timeline *tl, void __user *uarg)
{
	struct sgdemo_timeline_create_fence args;
	struct sync_file *sync_file;
	struct dma_fence *fence;
	int fd;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	fence = sgdemo_timeline_fence(tl, args.value);
	sync_file = fence ? sync_file_create(fence) : NULL;
	if (fence)
		dma_fence_put(fence);
	if (!sync_file) {
		put_unused_fd(fd);
		return -ENOMEM;
	}
	args.fence = fd;
	if (copy_to_user(uarg, &args, sizeof(args))) {
		fput(sync_file->file);
		put_unused_fd(fd);
		return -EFAULT;
	}
	fd_install(fd, sync_file->file);
	return 0;
}

static long sgdemo_timeline_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct sgdemo_timeline *tl = file->private_data;
	u32 inc, value;

	switch (cmd) {
	case SGDEMO_TIMELINE_CREATE_FENCE:
		return sgdemo_timeline_create_fence(tl, (void __user *)arg);
	case SGDEMO_TIMELINE_INC:
		if (get_user(inc, (u32 __user *)arg))
			return -EFAULT;
		spin_lock(&tl->lock);
		tl->value += inc;
		value = tl->value;
		spin_unlock(&tl->lock);
		sgdemo_timeline_signal(tl, value, 0);
		return 0;
	default:
		return -ENOTTY;
	}
}

static const struct file_operations sgdemo_timeline_fops = {
	.owner		= THIS_MODULE,
	.open		= sgdemo_timeline_open,
	.release	= sgdemo_timeline_release,
	.unlocked_ioctl	= sgdemo_timeline_ioctl,
};

/**
 * sgdemo_timeline_debugfs_init - create the test timeline's debugfs file
 * @root: the driver's debugfs directory
 */
void sgdemo_timeline_debugfs_init(struct dentry *root)
{
	debugfs_create_file("timeline", 0600, root, NULL, &sgdemo_timeline_fops);
}
