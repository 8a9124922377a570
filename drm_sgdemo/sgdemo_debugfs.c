// SPDX-License-Identifier: GPL-2.0
/*
 * The driver's own accounting, in /sys/kernel/debug/sgdemo/counters. Tests
 * read it before and after they run to prove that nothing leaked. Beside it,
 * timeline (sgdemo_timeline.c) makes fences that signal when a test says
 * so, and on kernels with fault injection fail_alloc/ makes the driver's
 * allocations fail on demand (Documentation/fault-injection/).
 */

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "sgdemo.h"

static atomic_long_t sgdemo_counters[SGDEMO_NR_COUNTERS];

static const char *const sgdemo_counter_names[SGDEMO_NR_COUNTERS] = {
	[SGDEMO_OBJECTS]	= "objects",
	[SGDEMO_PAGES_PINNED]	= "pages_pinned",
	[SGDEMO_OWNED_TABLES]	= "owned_tables",
	[SGDEMO_BORROWED_TABLES] = "borrowed_tables",
	[SGDEMO_ATTACHMENTS]	= "attachments",
	[SGDEMO_JOBS]		= "jobs",
	[SGDEMO_DMA_MAPPED_PAGES] = "dma_mapped_pages",
	[SGDEMO_DMA_FAULTS]	= "dma_faults",
};

static struct dentry *sgdemo_debugfs_root;

#ifdef CONFIG_FAULT_INJECTION
/* Off until configured: probability 0. */
DECLARE_FAULT_ATTR(sgdemo_fail_alloc);
#endif

/**
 * sgdemo_count - add to one of the driver's counters
 * @counter: which counter
 * @delta: how much to add; negative to subtract
 */
void sgdemo_count(enum sgdemo_counter counter, long delta)
{
	atomic_long_add(delta, &sgdemo_counters[counter]);
}

/**
 * sgdemo_counter_read - read one of the driver's counters
 * @counter: which counter
 *
 * Returns: its current value.
 */
long sgdemo_counter_read(enum sgdemo_counter counter)
{
	return atomic_long_read(&sgdemo_counters[counter]);
}

static int sgdemo_counters_show(struct seq_file *m, void *unused)
{
	int i;

	for (i = 0; i < SGDEMO_NR_COUNTERS; i++)
		seq_printf(m, "%s %ld\n", sgdemo_counter_names[i],
			   atomic_long_read(&sgdemo_counters[i]));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sgdemo_counters);

/**
 * sgdemo_debugfs_dir - the driver's directory in debugfs
 *
 * Returns: /sys/kernel/debug/sgdemo/, for the devices' files.
 */
struct dentry *sgdemo_debugfs_dir(void)
{
	return sgdemo_debugfs_root;
}

/**
 * sgdemo_debugfs_init - create /sys/kernel/debug/sgdemo/
 *
 * Called once at module load. Failure to create debugfs entries is not an
 * error: the driver works without them.
 */
void sgdemo_debugfs_init(void)
{
	sgdemo_debugfs_root = debugfs_create_dir(DRIVER_NAME, NULL);
	debugfs_create_file("counters", 0444, sgdemo_debugfs_root, NULL,
			    &sgdemo_counters_fops);
	sgdemo_timeline_debugfs_init(sgdemo_debugfs_root);
#ifdef CONFIG_FAULT_INJECTION
	fault_create_debugfs_attr("fail_alloc", sgdemo_debugfs_root, &sgdemo_fail_alloc);
#endif
}

/**
 * sgdemo_debugfs_fini - remove /sys/kernel/debug/sgdemo/
 */
void sgdemo_debugfs_fini(void)
{
	debugfs_remove_recursive(sgdemo_debugfs_root);
}
